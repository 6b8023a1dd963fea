-- wrk script for bench/serve-load: each request takes the next path of a
-- rotation across every read endpoint, with and without filters (Arabic
-- values percent-encoded), so no single query's cache flatters the figures.
local paths = {
  "/api/health",
  "/api/events?limit=50",
  "/api/events?actor=RUS&limit=20",
  "/api/events?country=ISR&since=2024-01-01",
  "/api/events?code=04&limit=100",
  "/api/events?text=%D8%BA%D8%B2%D8%A9",
  "/api/quotes?limit=50",
  "/api/quotes?actor=%D8%A8%D9%88%D8%AA%D9%8A%D9%86",
  "/api/entities?limit=50",
  "/api/entities?country=USA",
  "/api/counts?code=KILL",
  "/api/timeline",
  "/api/timeline?by=plover&actor=USA",
  "/api/network?limit=60",
  "/api/network?country=RUS",
  "/api/documents/DOC_ID",
}
local i = 0
local doc_id = os.getenv("MARSAD_DOC_ID") or "none"
for k, p in ipairs(paths) do paths[k] = p:gsub("DOC_ID", doc_id) end

request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end

done = function(summary, latency, requests)
  io.write(string.format("requests: %d\n", summary.requests))
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
  io.write(string.format("latency_us: p50 %d, p90 %d, p99 %d, max %d\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
