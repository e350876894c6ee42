# Sourced by the benchmark scripts: the server they start accepts any rate of sign-ins, registrations, sends and
# uploads (the defaults, e.g. 60 sends per 10 s per account, would turn a load test into a 429 test).
export RATE_LIMITS='{"login":{"per_ip":"off","per_account":"off"},"register":{"per_ip":"off"},"send_message":{"per_ip":"off","per_account":"off"},"upload":{"per_ip":"off","per_account":"off"}}'
