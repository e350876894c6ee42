-- Shared by the wrk scenarios: the token and ids come from the environment that wrk-compare.sh exports.
token = os.getenv("WRK_TOKEN")
channel = os.getenv("WRK_CHANNEL")
headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }

-- wrk counts non-2xx answers in summary.errors.status: printed so that a run full of errors cannot pass as fast.
done = function(summary, latency, requests)
  local errs = summary.errors.status
  io.write(string.format("non2xx=%d p50_ms=%.2f p99_ms=%.2f\n", errs, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000))
end
