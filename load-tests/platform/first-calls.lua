-- wrk script: the first REQUESTS calls (default 500), as post.lua sends them, then stop. With one connection:
--   REQUESTS=500 wrk -t1 -c1 -d120s --latency -s load-tests/platform/first-calls.lua "$gateway/v1/functions/$cid/invoke"
-- the first calls of a platform measured by a client with no JIT of its own (BENCHMARKS.md, goal 3).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("CIDRA_TOKEN")
local count = 0
local limit = tonumber(os.getenv("REQUESTS") or "500")
response = function(status, headers, body)
  count = count + 1
  if count >= limit then
    wrk.thread:stop()
  end
end
