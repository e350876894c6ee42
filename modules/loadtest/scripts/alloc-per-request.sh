#!/usr/bin/env bash
# alloc-per-request.sh JAR OUT [SCENARIO]: bytes allocated per request, a figure a noisy host does not move (CPU per
# request does, by a third from run to run). Starts JAR as wrk-compare.sh does (default store, -Xmx2g
# and conf/jvm.options, fresh directory), seeds its user, warms up with wrk -c16 for WARM (45s), then runs 30 s
# of wrk -c16 on SCENARIO (a script of wrk/, default send) and prints req/s, p99, server CPU and bytes written per
# request, and bytes allocated per request: eden at each young GC of the G1 log during the run, plus the change of
# eden in use (jstat EU) between its start and end. Objects allocated straight into the old generation (humongous)
# are not counted.
set -euo pipefail
# The server's JVM options (conf/jvm.options, as deployed); JVM_OPTIONS names another argument file.
JVM_OPTIONS=${JVM_OPTIONS:-$(cd "$(dirname "$0")/../../.." && pwd)/conf/jvm.options}
JAR=$(realpath "$1"); OUT=$2; SCEN=${3:-send}
S=$(cd "$(dirname "$0")" && pwd)
export WRK_DIR=$S/wrk
DIR=$(mktemp -d); PORT=5091; BASE=http://127.0.0.1:$PORT
GCLOG=${TMPDIR:-/tmp}/gc-$OUT.log
source "$S/rate-limits-off.sh"
( cd "$DIR" && PORT=$PORT EMBEDDED_MONGO_PORT=27191 DATA_DIR=$DIR/data \
    exec java -Xmx2g @$JVM_OPTIONS -Xlog:gc+heap=info,gc+init=info:file=$GCLOG -jar "$JAR" > /tmp/srv-$OUT.log 2>&1 ) &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
until curl -sf -o /dev/null $BASE/health/ready; do sleep 0.2; kill -0 $PID || exit 1; done
JPID=$(pgrep -f "java -Xmx2g.*$JAR" | head -1)
source $S/seed-wrk-user.sh; seed_wrk_user $BASE; export WRK_TOKEN WRK_CHANNEL WRK_SEND_CHANNEL
wrk -t2 -c16 -d${WARM:-45s} -s $WRK_DIR/$SCEN.lua $BASE > /dev/null
EU0=$(jstat -gc $JPID | awk 'NR==2 {print $6}'); L0=$(wc -l < $GCLOG)
C0=$(awk '{print $14+$15}' /proc/$JPID/stat); IO0=$(awk '/^wchar/ {print $2}' /proc/$JPID/io)
wrk -t2 -c16 -d30s --latency -s $WRK_DIR/$SCEN.lua $BASE > /tmp/wrk-$OUT.txt
C1=$(awk '{print $14+$15}' /proc/$JPID/stat); IO1=$(awk '/^wchar/ {print $2}' /proc/$JPID/io)
EU1=$(jstat -gc $JPID | awk 'NR==2 {print $6}'); L1=$(wc -l < $GCLOG)
REGION=$(grep -o "Heap Region Size: [0-9]*M" $GCLOG | grep -o "[0-9]*" | head -1)
EDEN=$(sed -n "$((L0+1)),${L1}p" $GCLOG | grep -o "Eden regions: [0-9]*->" | grep -o "[0-9]*" | awk '{s+=$1} END {print s+0}')
R=$(awk '/requests in/ {print $1}' /tmp/wrk-$OUT.txt)
ALLOC=$(python3 -c "print(int(($EDEN*$REGION*1048576 + ($EU1-$EU0)*1024)/$R))")
echo "$OUT $(awk '/Requests\/sec/ {print "rps="$2}' /tmp/wrk-$OUT.txt) $(awk '$1=="99%" {print "p99="$2}' /tmp/wrk-$OUT.txt) cpu_us=$(( (C1-C0)*10000/R )) wbytes_per_req=$(( (IO1-IO0)/R )) alloc_per_req=$ALLOC gcs=$(sed -n "$((L0+1)),${L1}p" $GCLOG | grep -c 'Eden regions')"
