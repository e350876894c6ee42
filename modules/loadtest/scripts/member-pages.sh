#!/usr/bin/env bash
# member-pages.sh JAR: member pages (getChannel with members_limit / members_cursor) of a 1,000-member and a
# 100,000-member channel: first page, a page from the middle, the last one, and the default page of 1,000. wrk -t1
# -c16, 15 s warm-up then 20 s each, default store, -Xmx2g and conf/jvm.options. The members and their accounts
# are written straight into the embedded store (MemberFill.java): 100,000 registrations through the API would cost
# a bcrypt hash each (about an hour on 2 cores). N (100000) sets the large channel's size.
set -uo pipefail
# The server's JVM options (conf/jvm.options, as deployed); JVM_OPTIONS names another argument file.
JVM_OPTIONS=${JVM_OPTIONS:-$(cd "$(dirname "$0")/../../.." && pwd)/conf/jvm.options}
JAR=$(realpath "$1"); S=$(cd "$(dirname "$0")" && pwd); export WRK_DIR=$S/wrk
DIR=$(mktemp -d); PORT=5095; BASE=http://127.0.0.1:$PORT; N=${N:-100000}
source "$(dirname "$0")/rate-limits-off.sh"
( cd "$DIR" && PORT=$PORT EMBEDDED_MONGO_PORT=27195 DATA_DIR=$DIR/data exec java -Xmx2g @$JVM_OPTIONS -jar "$JAR" > "$DIR/server.log" 2>&1 ) &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; cp "$DIR/server.log" "${LOG:-/dev/null}"; rm -rf "$DIR"' EXIT
until curl -sf -o /dev/null $BASE/health/ready; do sleep 0.3; done
source $S/seed-wrk-user.sh; seed_wrk_user $BASE; export WRK_TOKEN
AUTH="Authorization: Bearer $WRK_TOKEN"
new_channel() { # name -> id
  curl -sf "$BASE/api/chat/channels" -H "$AUTH" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"type\":\"public\"}" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p'
}
measure() { # label path
  WRK_PATH="$2" wrk -t1 -c16 -d15s -s "$S/wrk/path.lua" $BASE > /dev/null
  WRK_PATH="$2" wrk -t1 -c16 -d20s --latency -s "$S/wrk/path.lua" $BASE > "$DIR/wrk.txt"
  echo "$1: $(awk '/Requests\/sec/ {print $2" req/s"}' "$DIR/wrk.txt"), p50 $(awk '$1=="50%" {print $2}' "$DIR/wrk.txt"), p99 $(awk '$1=="99%" {print $2}' "$DIR/wrk.txt"), $(grep -o "non2xx=[0-9]*" "$DIR/wrk.txt")"
}
page() { curl -sf "$BASE$1" -H "$AUTH"; }
next_cursor() { page "$1" | sed -n 's/.*"members_next_cursor":"\([^"]*\)".*/\1/p'; }
small=$(new_channel small)
java -cp "$JAR" "$S/MemberFill.java" 27195 $small 1000 > /dev/null
echo "small: $(page "/api/chat/channels/$small?members_limit=1000" | grep -o '"user_id"' | wc -l) members on its first page"
measure "1,000 members, first page of 100" "/api/chat/channels/$small?members_limit=100"
scur=$(next_cursor "/api/chat/channels/$small?members_limit=500")
measure "1,000 members, page of 100 from the middle" "/api/chat/channels/$small?members_limit=100&members_cursor=$scur"
measure "1,000 members, default page (all 1,000)" "/api/chat/channels/$small"
big=$(new_channel big)
t0=$(date +%s); java -cp "$JAR" "$S/MemberFill.java" 27195 $big $N | tail -1; echo "fill $N: $(( $(date +%s) - t0 )) s"
echo "members now: $(page "/api/chat/channels/$big?members_limit=1000" | grep -o '"user_id"' | wc -l) on the first page"
measure "$N members, first page of 100" "/api/chat/channels/$big?members_limit=100"
# cursors of the middle page and of the last one, found by following next cursors 1,000 members at a time
cur=$(next_cursor "/api/chat/channels/$big?members_limit=1000")
for i in $(seq 2 $(( N / 2000 ))); do cur=$(next_cursor "/api/chat/channels/$big?members_limit=1000&members_cursor=$cur"); done; mid=$cur
for i in $(seq $(( N / 2000 + 1 )) $(( N / 1000 - 1 ))); do cur=$(next_cursor "/api/chat/channels/$big?members_limit=1000&members_cursor=$cur"); done; last=$cur
echo "cursors: middle $mid, last page $last"
measure "$N members, page of 100 from the middle" "/api/chat/channels/$big?members_limit=100&members_cursor=$mid"
measure "$N members, page of 100 at the end" "/api/chat/channels/$big?members_limit=100&members_cursor=$last"
measure "$N members, default page (1000) from the middle" "/api/chat/channels/$big?members_cursor=$mid"
echo "server log lines at WARN or ERROR: $(grep -c "WARN\|ERROR" "$DIR/server.log")"
