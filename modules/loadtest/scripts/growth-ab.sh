#!/usr/bin/env bash
# growth-ab.sh JAR_A JAR_B [OUT]: compares two builds on one large store, for changes that may act only at size (the
# page cache, page splits). The growth mode fills a store once with A (to STAGE messages and MEMBERSHIPS memberships),
# then A and B take turns on that same store, ROUNDS times each (AB, BA, ...): each turn starts the server on it,
# runs `growth --stages STAGE` (nothing left to fill: a fresh measured user, then the nine operations) and stops the
# server. Single growth runs of one build on fresh stores differed by up to 40 % on this machine from one run to the
# next, more than most changes; taking turns on one store puts both builds on the same data and the same minutes.
# Env: STAGE (100000), MEMBERSHIPS (10000), ROUNDS (2), DURATION (10s), WARM (5s), STORE (a temporary directory; an
# existing one is reused as filled). Prints each turn's operations; compare the builds' medians per operation.
set -euo pipefail
# The server's JVM options (conf/jvm.options, as deployed); JVM_OPTIONS names another argument file.
JVM_OPTIONS=${JVM_OPTIONS:-$(cd "$(dirname "$0")/../../.." && pwd)/conf/jvm.options}
JAR_A=$(realpath "$1"); JAR_B=$(realpath "$2"); OUT=${3:-/dev/null}
STAGE=${STAGE:-100000}; MEMBERSHIPS=${MEMBERSHIPS:-10000}; ROUNDS=${ROUNDS:-2}
LT="java -jar $(dirname "$0")/../target/connectbest-loadtest.jar"
source "$(dirname "$0")/rate-limits-off.sh"
STORE=${STORE:-$(mktemp -d)}; PORT=5096; PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null' EXIT

serve() { # jar: start on the store and wait until ready
  ( cd "$STORE" && PORT=$PORT EMBEDDED_MONGO_PORT=27196 DATA_DIR=$STORE/data \
      exec java -Xmx2g @$JVM_OPTIONS -jar "$1" >> server.log 2>&1 ) &
  PID=$!
  until curl -sf -o /dev/null http://127.0.0.1:$PORT/health/ready; do sleep 0.3; kill -0 $PID; done
}
stop() { kill $PID; wait $PID 2>/dev/null || true; PID=; }
turn() { # label jar
  serve "$2"
  echo "# $1 $(date -u +%H:%M:%S)" | tee -a "$OUT"
  $LT growth --targets http://127.0.0.1:$PORT --stages "$STAGE" --memberships "$MEMBERSHIPS" \
    --warm-up "${WARM:-5s}" --duration "${DURATION:-10s}" --timeout 30s --accounts-file "$STORE/accounts.json" \
    | grep -E '^  [a-z]+ +[0-9]' | tee -a "$OUT"
  stop
}

echo "# growth-ab: A=$1 B=$2 stage $STAGE, $MEMBERSHIPS memberships, store $STORE" | tee -a "$OUT"
if [ ! -f "$STORE/accounts.json" ]; then
  serve "$JAR_A"
  $LT growth --targets http://127.0.0.1:$PORT --stages "$STAGE" --memberships "$MEMBERSHIPS" --warm-up 1s \
    --duration 1s --timeout 30s --accounts-file "$STORE/accounts.json" | grep -E '^stage|filling' | tail -2
  stop
fi
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then turn "A round $r" "$JAR_A"; turn "B round $r" "$JAR_B"
  else turn "B round $r" "$JAR_B"; turn "A round $r" "$JAR_A"; fi
done
