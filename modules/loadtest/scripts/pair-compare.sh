#!/usr/bin/env bash
# pair-compare.sh JAR_A JAR_B [OUT]: compares two builds on a shared or noisy machine. Both servers run at the same
# time (default store, -Xmx2g -XX:MaxGCPauseMillis=10, fresh directories), each seeded as wrk-compare.sh seeds one (a
# user in 20 channels, a 1,000-message channel), and each scenario loads both at once with the same wrk script and
# connections. What a slower host does to one it does to the other, so the figure to compare is each server's CPU per
# request (utime + stime from /proc/<pid>/stat over the measured run), not its requests per second. Run it twice with
# the jars swapped. Env: SCENARIOS (channels history send), CONNS (16), WARM (10s), RUN (20s).
set -uo pipefail
export WRK_DIR=$(cd "$(dirname "$0")/wrk" && pwd)
WARM=${WARM:-10s}; RUN=${RUN:-20s}; CONNS=${CONNS:-16}; OUT=${3:-/dev/null}
export RATE_LIMITS='{"login":{"per_ip":"off","per_account":"off"},"register":{"per_ip":"off"},"send_message":{"per_ip":"off","per_account":"off"}}'
WORK=$(mktemp -d); PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null; done; for p in "${PIDS[@]}"; do wait $p 2>/dev/null; done; rm -rf "$WORK"' EXIT
source "$(dirname "$0")/seed-wrk-user.sh"

start() { # name jar port store-port
  mkdir -p "$WORK/$1"
  ( cd "$WORK/$1" && PORT=$3 EMBEDDED_MONGO_PORT=$4 DATA_DIR=$WORK/$1/data \
      exec java -Xmx2g -XX:MaxGCPauseMillis=10 -jar "$2" > server.log 2>&1 ) &
  PIDS+=($!); echo "PID=$!" > "$WORK/$1.env"
}

seed() { # name port
  until curl -sf -o /dev/null http://127.0.0.1:$2/health/ready; do sleep 0.3; done
  seed_wrk_user http://127.0.0.1:$2
  echo "TOKEN=$WRK_TOKEN CH=$WRK_CHANNEL SCH=$WRK_SEND_CHANNEL PORT=$2" >> "$WORK/$1.env"
}

load() { # name scenario duration output
  local PID TOKEN CH SCH PORT
  eval "$(tr '\n' ' ' < "$WORK/$1.env")"
  WRK_TOKEN=$TOKEN WRK_CHANNEL=$CH WRK_SEND_CHANNEL=$SCH \
    wrk -t1 -c$CONNS -d$3 --latency -s "$WRK_DIR/$2.lua" http://127.0.0.1:$PORT > "$4"
}

cpu_ticks() { local PID; eval "$(head -1 "$WORK/$1.env")"; awk '{print $14+$15}' /proc/$PID/stat; }

start a "$(realpath "$1")" 5101 27201
start b "$(realpath "$2")" 5102 27202
seed a 5101
seed b 5102
HZ=$(getconf CLK_TCK)
for scenario in ${SCENARIOS:-channels history send}; do
  load a $scenario $WARM /dev/null & W1=$!; load b $scenario $WARM /dev/null & W2=$!; wait $W1 $W2
  A0=$(cpu_ticks a); B0=$(cpu_ticks b)
  load a $scenario $RUN "$WORK/a.out" & W1=$!; load b $scenario $RUN "$WORK/b.out" & W2=$!; wait $W1 $W2
  A1=$(cpu_ticks a); B1=$(cpu_ticks b)
  RA=$(awk '/requests in/ {print $1}' "$WORK/a.out"); RB=$(awk '/requests in/ {print $1}' "$WORK/b.out")
  echo "$scenario c=$CONNS A: rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/a.out") cpu_us_per_req=$(( (A1 - A0) * 1000000 / HZ / RA ))" \
    "B: rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/b.out") cpu_us_per_req=$(( (B1 - B0) * 1000000 / HZ / RB ))" | tee -a "$OUT"
done
