#!/usr/bin/env bash
# wrk-compare.sh JAR [OUT]: the issue-13 comparison method against the original service's published figures.
# Starts the server on the default store (H2 file, durable) with -Xmx2g and conf/jvm.options in an empty
# directory, seeds one user in 20 channels with a 1,000-message channel, then runs each scenario (me, channel list,
# history page, send) with wrk at 16 and 64 connections: a 10 s warm-up, then 30 s measured. Prints one line per run.
set -euo pipefail
# The server's JVM options (conf/jvm.options, as deployed); JVM_OPTIONS names another argument file.
JVM_OPTIONS=${JVM_OPTIONS:-$(cd "$(dirname "$0")/../../.." && pwd)/conf/jvm.options}
JAR=$(realpath "$1"); OUT=${2:-/dev/null}
export WRK_DIR=$(cd "$(dirname "$0")/wrk" && pwd)
WARM=${WARM:-10s}; RUN=${RUN:-30s}; THREADS=${THREADS:-2}
DIR=$(mktemp -d); PORT=${PORT:-5091}; BASE=http://127.0.0.1:$PORT
source "$(dirname "$0")/rate-limits-off.sh"
( cd "$DIR" && PORT=$PORT EMBEDDED_MONGO_PORT=27191 DATA_DIR=$DIR/data \
    exec java -Xmx2g @$JVM_OPTIONS -jar "$JAR" > server.log 2>&1 ) &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
until curl -sf -o /dev/null $BASE/health/ready; do sleep 0.2; kill -0 $PID 2>/dev/null || { cat "$DIR/server.log"; exit 1; }; done

source "$(dirname "$0")/seed-wrk-user.sh"
seed_wrk_user $BASE
export WRK_TOKEN WRK_CHANNEL WRK_SEND_CHANNEL

# SCENARIOS and CONNS narrow a run (e.g. SCENARIOS=send CONNS=16). Beside each figure: the server's CPU per request
# (/proc/<pid>/stat) and, on the embedded store, its writes and file syncs per request (/metrics).
store_counts() { curl -sf $BASE/metrics | awk '/^chat_store_(writes_durable|writes_staged|file_syncs)_total/ {v[$1]=$2}
  END {printf "%d %d\n", v["chat_store_writes_durable_total"] + v["chat_store_writes_staged_total"], v["chat_store_file_syncs_total"]}'; }
for scenario in ${SCENARIOS:-me channels history send}; do
  for conns in ${CONNS:-16 64}; do
    wrk -t$THREADS -c$conns -d$WARM -s "$WRK_DIR/$scenario.lua" $BASE > /dev/null
    read -r W0 S0 < <(store_counts); C0=$(awk '{print $14+$15}' /proc/$PID/stat)
    RESULT=$(wrk -t$THREADS -c$conns -d$RUN --latency -s "$WRK_DIR/$scenario.lua" $BASE)
    C1=$(awk '{print $14+$15}' /proc/$PID/stat); read -r W1 S1 < <(store_counts)
    RPS=$(echo "$RESULT" | awk '/Requests\/sec/ {print $2}')
    P99=$(echo "$RESULT" | awk '$1=="99%" {print $2}')
    TAIL=$(echo "$RESULT" | grep non2xx || true)
    REQS=$(echo "$RESULT" | awk '/requests in/ {print $1}')
    PER_REQ=$(awk -v c=$((C1 - C0)) -v w=$((W1 - W0)) -v s=$((S1 - S0)) -v r="$REQS" -v hz="$(getconf CLK_TCK)" \
      'BEGIN {printf "cpu_us_per_req=%d store_writes_per_req=%.2f syncs_per_req=%.3f", c * 1e6 / hz / r, w / r, s / r}')
    echo "$scenario c=$conns rps=$RPS p99=$P99 $PER_REQ $TAIL" | tee -a "$OUT"
  done
done
