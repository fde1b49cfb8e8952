-- wrk script for the collector benchmark: every request POSTs EVENTS (default 1) NDJSON events
-- of about 300 bytes each to /v1/events.
--   EVENTS=100 wrk -t2 -c64 -d20s --latency -s services/collector/wrk-post.lua http://127.0.0.1:8080/v1/events
local n = tonumber(os.getenv("EVENTS") or "1")
local lines = {}
for i = 1, n do
  lines[i] = string.format(
    '{"event_id":"bench-%06d","user_id":"user-%04d","session_id":"s-%05d","type":"page_view",' ..
    '"page":"/products/category/%03d/item/%05d","referrer":"https://search.example/?q=item+%d",' ..
    '"ts":"2026-01-01T00:00:00.000Z","amount":12.50,"currency":"EUR","country":"de","device":"mobile"}',
    i, i % 1000, i % 5000, i % 100, i, i)
end
wrk.method = "POST"
wrk.body = table.concat(lines, "\n") .. "\n"
wrk.headers["Content-Type"] = "application/x-ndjson"
