#!/usr/bin/env bash
# team-capacity.sh JAR USERS [OUT]: benchmark 7 (the team profile) on one node, as docs/performance.md runs it: the
# server on an existing store (DATA_DIR, e.g. the 1M-message growth store) with -Xmx1g and conf/jvm.options, the
# load generator on the same machine, 60 s ramp-up, 120 s in all, the SLO avg 100 ms, p99 2 s, errors 0.025 %.
# WARM_USERS=n first runs n team users for 120 s on the same server (JIT and caches warm), then the measured run.
# Prints the tool's summary, then the server's and the load generator's CPU (from /proc) over the measured run, its
# set-up included (sign-ups when the accounts file is new, the sockets).
# Env: DATA_DIR (required), ACCOUNTS (accounts file, reused across runs: registering 10,000 users takes minutes),
# PREFIX (user and channel prefix, default cap), LT (load-test jar), PORT (5001), STORE_PORT (27001), POOL_SIZE (the
# tool's HTTP connections, default its --pool-size of 256: with fewer connections than users, requests queue in the
# tool, and Vert.x 5.0's pool race (eclipse-vertx/vert.x#6169) can strand connections whose wait timed out).
set -uo pipefail
# The server's JVM options (conf/jvm.options, as deployed); JVM_OPTIONS names another argument file.
JVM_OPTIONS=${JVM_OPTIONS:-$(cd "$(dirname "$0")/../../.." && pwd)/conf/jvm.options}
JAR=$(realpath "$1"); USERS=$2; OUT=${3:-/dev/null}
: "${DATA_DIR:?set DATA_DIR to the store directory}"
LT=${LT:-$(dirname "$0")/../target/connectbest-loadtest.jar}; PREFIX=${PREFIX:-cap}; PORT=${PORT:-5001}
ACCOUNTS=${ACCOUNTS:-accounts-$PREFIX.json}
source "$(dirname "$0")/rate-limits-off.sh"
LOG=$(mktemp)
DATA_DIR=$DATA_DIR PORT=$PORT EMBEDDED_MONGO_PORT=${STORE_PORT:-27001} \
  java -Xmx1g @$JVM_OPTIONS -jar "$JAR" > "$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT
until curl -sf -o /dev/null http://127.0.0.1:$PORT/health/ready; do sleep 0.5; kill -0 $PID 2>/dev/null || { cat "$LOG"; exit 1; }; done
team() { java -jar "$LT" team --targets http://127.0.0.1:$PORT --prefix "$PREFIX" --channel-prefix "${PREFIX}c" \
  --accounts-file "$ACCOUNTS" --duration 120s ${POOL_SIZE:+--pool-size "$POOL_SIZE"} "$@"; }
if [ "${WARM_USERS:-0}" -gt 0 ]; then
  team --users "$WARM_USERS" --ramp-up 30s --quiet > /dev/null 2>&1
fi
cpu() { awk '{print $14 + $15}' /proc/$1/stat 2>/dev/null || echo 0; }
S0=$(cpu $PID); T0=$(date +%s)
team --users "$USERS" --ramp-up 60s --slo avg=100ms,p99=2s,errors=0.025% --out "$OUT" --quiet &
TP=$!; sleep 2; L=$(pgrep -f "$(basename "$LT") team" | head -1); L0=$(cpu "${L:-none}")
L1=$L0; while kill -0 $TP 2>/dev/null; do L1=$(cpu "${L:-none}"); sleep 1; done
wait $TP; S1=$(cpu $PID); T1=$(date +%s)
HZ=$(getconf CLK_TCK)
echo "measured run: $((T1 - T0)) s; server CPU $(( (S1 - S0) / HZ )) s, load generator CPU $(( (L1 - L0) / HZ )) s"
