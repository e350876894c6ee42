#!/usr/bin/env bash
# pair-compare.sh JAR_A JAR_B [OUT]: compares two builds on a shared or noisy machine. Both servers run at the same
# time (default store, -Xmx2g and conf/jvm.options, fresh directories), each seeded as wrk-compare.sh seeds one (a
# user in 20 channels, a 1,000-message channel). The figure to compare is each server's CPU per request (utime + stime
# from /proc/<pid>/stat over a measured run), not its requests per second.
# MODE=alternate (default): the servers are loaded one at a time, ROUNDS times each (AB, BA, AB, ...; RUN each), and
#   the medians are compared. On a 2-core machine whose host is busy, two loaded servers at once inflate both figures
#   4-6x and favour whichever is second; one at a time, both stay warm and a slow minute hits both about equally.
# MODE=together: each scenario loads both at once with the same wrk script and connections, so what a slower host
#   does to one it does to the other; run it twice with the jars swapped.
# Env: SCENARIOS (channels history send), CONNS (16), WARM (10s; 30s for alternate), RUN (20s; 10s for alternate),
# ROUNDS (6), JAVA_OPTS_A / JAVA_OPTS_B (extra JVM options of either server, e.g. to compare a setting on one
# jar). Alternate prints each run's figure, the medians, and the median of the rounds' B/A ratios.
set -uo pipefail
export WRK_DIR=$(cd "$(dirname "$0")/wrk" && pwd)
# The servers' JVM options (conf/jvm.options, as deployed); JVM_OPTIONS names another argument file.
JVM_OPTIONS=${JVM_OPTIONS:-$(cd "$(dirname "$0")/../../.." && pwd)/conf/jvm.options}
MODE=${MODE:-alternate}; ROUNDS=${ROUNDS:-6}; CONNS=${CONNS:-16}; OUT=${3:-/dev/null}
# Alternating runs are short, so the warm-up is longer: the JIT was still lowering the cost per request after 10 s.
if [ "$MODE" = alternate ]; then RUN=${RUN:-10s}; WARM=${WARM:-30s}; else RUN=${RUN:-20s}; WARM=${WARM:-10s}; fi
source "$(dirname "$0")/rate-limits-off.sh"
WORK=$(mktemp -d); PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null; done; for p in "${PIDS[@]}"; do wait $p 2>/dev/null; done; rm -rf "$WORK"' EXIT
source "$(dirname "$0")/seed-wrk-user.sh"

start() { # name jar port store-port [jvm options]
  mkdir -p "$WORK/$1"
  ( cd "$WORK/$1" && PORT=$3 EMBEDDED_MONGO_PORT=$4 DATA_DIR=$WORK/$1/data \
      exec java -Xmx2g @$JVM_OPTIONS ${5:-} -jar "$2" > server.log 2>&1 ) &
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

start a "$(realpath "$1")" 5101 27201 "${JAVA_OPTS_A:-}"
start b "$(realpath "$2")" 5102 27202 "${JAVA_OPTS_B:-}"
seed a 5101
seed b 5102
HZ=$(getconf CLK_TCK)
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }

measure() { # name scenario: one measured run of one server; prints "rps cpu_us_per_req"
  local C0 C1 REQS
  C0=$(cpu_ticks $1)
  load $1 $2 $RUN "$WORK/$1.out"
  C1=$(cpu_ticks $1); REQS=$(awk '/requests in/ {print $1}' "$WORK/$1.out")
  echo "$(awk '/Requests\/sec/ {print $2}' "$WORK/$1.out") $(( (C1 - C0) * 1000000 / HZ / REQS ))"
}

for scenario in ${SCENARIOS:-channels history send}; do
  if [ "$MODE" = alternate ]; then
    load a $scenario $WARM /dev/null; load b $scenario $WARM /dev/null
    : > "$WORK/a.runs"; : > "$WORK/b.runs"
    for round in $(seq 1 $ROUNDS); do
      if [ $((round % 2)) = 1 ]; then ORDER="a b"; else ORDER="b a"; fi
      for name in $ORDER; do measure $name $scenario >> "$WORK/$name.runs"; done
    done
    MA=$(cut -d' ' -f2 "$WORK/a.runs" | median); MB=$(cut -d' ' -f2 "$WORK/b.runs" | median)
    echo "$scenario c=$CONNS alternate x$ROUNDS A: rps=$(cut -d' ' -f1 "$WORK/a.runs" | median)" \
      "cpu_us_per_req=$MA ($(cut -d' ' -f2 "$WORK/a.runs" | tr '\n' ' '| sed 's/ $//'))" \
      "B: rps=$(cut -d' ' -f1 "$WORK/b.runs" | median)" \
      "cpu_us_per_req=$MB ($(cut -d' ' -f2 "$WORK/b.runs" | tr '\n' ' ' | sed 's/ $//'))" \
      "B/A=$(awk -v a=$MA -v b=$MB 'BEGIN {printf "%.3f", b / a}')" \
      "rounds' B/A median=$(paste -d' ' "$WORK/a.runs" "$WORK/b.runs" | awk '{printf "%.4f\n", $4 / $2}' | sort -n \
        | awk '{v[NR]=$1} END {printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')" \
      | tee -a "$OUT"
    continue
  fi
  load a $scenario $WARM /dev/null & W1=$!; load b $scenario $WARM /dev/null & W2=$!; wait $W1 $W2
  A0=$(cpu_ticks a); B0=$(cpu_ticks b)
  load a $scenario $RUN "$WORK/a.out" & W1=$!; load b $scenario $RUN "$WORK/b.out" & W2=$!; wait $W1 $W2
  A1=$(cpu_ticks a); B1=$(cpu_ticks b)
  RA=$(awk '/requests in/ {print $1}' "$WORK/a.out"); RB=$(awk '/requests in/ {print $1}' "$WORK/b.out")
  echo "$scenario c=$CONNS A: rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/a.out") cpu_us_per_req=$(( (A1 - A0) * 1000000 / HZ / RA ))" \
    "B: rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/b.out") cpu_us_per_req=$(( (B1 - B0) * 1000000 / HZ / RB ))" | tee -a "$OUT"
done
