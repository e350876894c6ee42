#!/usr/bin/env bash
# cold.sh JAR: ms from `java -jar` (empty directory, embedded defaults) to the first 200 from /api/auth/status and
# to the first 200 from /health/ready (every service up, stores answering); then stops the server.
JAR=$(realpath "$1"); DIR=$(mktemp -d); cd "$DIR" || exit 1
START=$(date +%s%N)
java -jar "$JAR" > server.log 2>&1 &
PID=$!
until curl -sf -o /dev/null http://127.0.0.1:5001/api/auth/status; do sleep 0.02; kill -0 $PID 2>/dev/null || exit 1; done
FIRST=$(( ($(date +%s%N) - START) / 1000000 ))
until curl -sf -o /dev/null http://127.0.0.1:5001/health/ready; do sleep 0.02; kill -0 $PID 2>/dev/null || exit 1; done
echo "first 200: $FIRST ms, ready: $(( ($(date +%s%N) - START) / 1000000 )) ms"
kill $PID; wait $PID 2>/dev/null; cd /; rm -rf "$DIR"
