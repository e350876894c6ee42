#!/usr/bin/env bash
# wrk-compare.sh JAR [OUT]: the issue-13 comparison method against the original service's published figures.
# Starts the server on the default store (H2 file, durable) with -Xmx2g -XX:MaxGCPauseMillis=10 in an empty
# directory, seeds one user in 20 channels with a 1,000-message channel, then runs each scenario (me, channel list,
# history page, send) with wrk at 16 and 64 connections: a 10 s warm-up, then 30 s measured. Prints one line per run.
set -euo pipefail
JAR=$(realpath "$1"); OUT=${2:-/dev/null}
export WRK_DIR=$(cd "$(dirname "$0")/wrk" && pwd)
WARM=${WARM:-10s}; RUN=${RUN:-30s}; THREADS=${THREADS:-2}
DIR=$(mktemp -d); PORT=${PORT:-5091}; BASE=http://127.0.0.1:$PORT
export RATE_LIMITS='{"login":{"per_ip":"off","per_account":"off"},"register":{"per_ip":"off"},"send_message":{"per_ip":"off","per_account":"off"}}'
( cd "$DIR" && PORT=$PORT EMBEDDED_MONGO_PORT=27191 DATA_DIR=$DIR/data \
    exec java -Xmx2g -XX:MaxGCPauseMillis=10 -jar "$JAR" > server.log 2>&1 ) &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
until curl -sf -o /dev/null $BASE/health/ready; do sleep 0.2; kill -0 $PID 2>/dev/null || { cat "$DIR/server.log"; exit 1; }; done

source "$(dirname "$0")/seed-wrk-user.sh"
seed_wrk_user $BASE
export WRK_TOKEN WRK_CHANNEL WRK_SEND_CHANNEL

for scenario in me channels history send; do
  for conns in 16 64; do
    wrk -t$THREADS -c$conns -d$WARM -s "$WRK_DIR/$scenario.lua" $BASE > /dev/null
    RESULT=$(wrk -t$THREADS -c$conns -d$RUN --latency -s "$WRK_DIR/$scenario.lua" $BASE)
    RPS=$(echo "$RESULT" | awk '/Requests\/sec/ {print $2}')
    P99=$(echo "$RESULT" | awk '$1=="99%" {print $2}')
    TAIL=$(echo "$RESULT" | grep non2xx || true)
    echo "$scenario c=$conns rps=$RPS p99=$P99 $TAIL" | tee -a "$OUT"
  done
done
