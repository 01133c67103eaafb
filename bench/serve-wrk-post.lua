-- serve-wrk-post.lua: the wrk script of bench/serve.sh's POST run: every
-- request is POST /api/v1/tests {"type":"web","domain":NAME} with a name
-- never asked before (wrk<thread>-<n>.SUFFIX), so that the server cannot
-- hand back a test of the same name (it does, with 200, for a name tested
-- in the last minutes) and each request meets the per-client limits: from
-- one client, all but the first few must be refused with 429. The names do
-- not exist (NXDOMAIN under SUFFIX): the few tests that start end at once.
-- Counting and the final JSON line: bench/serve-wrk.lua.
--
-- Usage: wrk ... -s bench/serve-wrk-post.lua URL [-- SUFFIX]
--   SUFFIX   the zone the names go under (default good.test)

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "serve-wrk.lua")

local count_init = init

function init(args)
	count_init({})
	suffix = args[1] or "good.test"
	n = 0
end

function request()
	n = n + 1
	return wrk.format("POST", nil, { ["Content-Type"] = "application/json" },
		string.format('{"type":"web","domain":"wrk%d-%d.%s"}', tid or 0, n, suffix))
end
