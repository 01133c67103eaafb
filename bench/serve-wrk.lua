-- serve-wrk.lua: the wrk script of bench/serve.sh. Counts the answers by
-- HTTP status (wrk itself only counts "non-2xx or 3xx") and prints, at the
-- end, one JSON line: requests, duration, requests/s, latency percentiles
-- (microseconds), socket errors and the count of each status.
--
-- Usage: wrk ... -s bench/serve-wrk.lua URL [-- post JSON]
--   post JSON   every request is a POST of JSON (Content-Type
--               application/json) instead of a GET
-- (bench/serve-wrk-post.lua: a POST of a new name each time.)
--
-- Each wrk thread has its own Lua state: the counts are kept per thread
-- and added up in done() through the thread objects setup() kept.

local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("tid", #threads)
end

function init(args)
	statuses = {}
	if args[1] == "post" then
		wrk.method = "POST"
		wrk.body = args[2] or "{}"
		wrk.headers["Content-Type"] = "application/json"
	end
end

function response(status, headers, body)
	local k = tostring(status)
	statuses[k] = (statuses[k] or 0) + 1
end

function done(summary, latency, requests)
	local total = {}
	for _, t in ipairs(threads) do
		local s = t:get("statuses")
		if s then
			for k, v in pairs(s) do
				total[k] = (total[k] or 0) + v
			end
		end
	end
	local parts = {}
	for k, v in pairs(total) do
		table.insert(parts, string.format('"%s":%d', k, v))
	end
	table.sort(parts)
	local e = summary.errors
	local secs = summary.duration / 1e6
	io.write(string.format(
		'{"requests":%d,"duration_s":%.3f,"rps":%.1f,"bytes":%d,' ..
		'"latency_us":{"mean":%.0f,"stdev":%.0f,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d},' ..
		'"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},' ..
		'"non_2xx_3xx":%d,"statuses":{%s}}\n',
		summary.requests, secs, summary.requests / secs, summary.bytes,
		latency.mean, latency.stdev, latency:percentile(50), latency:percentile(90),
		latency:percentile(99), latency:percentile(99.9), latency.max,
		e.connect, e.read, e.write, e.timeout, e.status, table.concat(parts, ",")))
end
