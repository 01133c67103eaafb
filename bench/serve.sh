#!/usr/bin/env bash
# serve.sh: HTTP load on `nethealth serve --lab`, with wrk (Debian's wrk,
# scripts/install-deps), both in the lab's client namespace (lab/exec; the
# server listens on nh-cli's own loopback, so the load never leaves it).
#
# First one website test of good.test through the API (POST
# /api/v1/tests, then GET /api/v1/tests/ID until done: score 100), so that
# there is a result to serve; then wrk with BENCH_SERVE_CONNECTIONS
# connections for BENCH_SERVE_SECONDS each on:
#   (a) page    GET /test/ID, the result page (HTML, every check)
#   (b) api     GET /api/v1/tests/ID, the result as JSON
#   (c) healthz GET /healthz
#   (d) post-same  POST /api/v1/tests {"type":"web","domain":"good.test"}:
#               the name just tested, so the server hands back that test
#               (200 {"id"}) and starts none
#   (e) post-new   POST /api/v1/tests with a new name each time
#               (bench/serve-wrk-post.lua: wrkT-N.good.test, which do not
#               exist): all from one client (127.0.0.1), so all but the
#               first few must be refused with 429 by the per-client limits
#               (tests per hour, tests in flight); the few accepted end at
#               once (NXDOMAIN)
#   (a') page-again  (a) again, after the rest: the same load, to compare
#               the memory with the first time
#
# Figures, per run: requests/s, latency percentiles (wrk's, measured from
# the request's send; wrk corrects nothing for coordinated omission), the
# answers by HTTP status (bench/serve-wrk.lua; wrk itself only counts
# "non-2xx or 3xx"), socket errors (connect, read, write, timeout), and the
# server's memory: VmRSS before and after, the highest VmRSS sampled every
# 0.2 s during the run, open file descriptors before and after; at the end
# VmHWM (the peak of the process's life). After each run the server must
# still be alive and answer /healthz; at the end SIGTERM must end it with
# status 0.
#
# The lab: brought up if it is down and put down again at the end. It is
# shared: run this under the lab lock, e.g.
#   flock -o /tmp/nethealth-lab.lock bench/serve.sh
# About 4 minutes with the defaults.
#
# Settings (environment):
#   BENCH_SERVE_SECONDS      each run's length (default 30)
#   BENCH_SERVE_CONNECTIONS  wrk's connections (default 200)
#   BENCH_SERVE_THREADS      wrk's threads (default 2: the machine's cores,
#                            shared with the server)
#   BENCH_SERVE_PORT         the port in nh-cli (default 18090)
#   BENCH_SERVE_LOG          the server's request log (--log; default a
#                            file in a temporary folder, deleted at the end;
#                            /dev/null: none written)
#   NETHEALTH                the binary (default ./nethealth)
# Results: build/bench/serve.json (one JSON object a line).
set -euo pipefail
cd "$(dirname "$0")/.."

SECS=${BENCH_SERVE_SECONDS:-30}
CONNS=${BENCH_SERVE_CONNECTIONS:-200}
THREADS=${BENCH_SERVE_THREADS:-2}
PORT=${BENCH_SERVE_PORT:-18090}
NH=${NETHEALTH:-./nethealth}
U=http://127.0.0.1:$PORT
out=build/bench/serve.json
mkdir -p build/bench
: >"$out"

if ! "$NH" serve --help >/dev/null 2>&1 || "$NH" serve --help 2>&1 | grep -q 'not available'; then
	echo "bench/serve.sh: $NH has no working 'serve' command yet: skipped"
	exit 0
fi
if ! command -v wrk >/dev/null 2>&1; then
	echo "bench/serve.sh: wrk is missing (scripts/install-deps installs it)" >&2
	exit 1
fi

tmp=$(mktemp -d)
pid=
sampler=
started=0
if ! lab/status >/dev/null 2>&1; then
	lab/up >"$tmp/up.log" 2>&1 || {
		cat "$tmp/up.log" >&2
		exit 1
	}
	started=1
fi
finish() {
	local rc=$?
	rm -f "$tmp/sampling"
	[ -z "$sampler" ] || wait "$sampler" 2>/dev/null || true
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		sleep 2
		kill -KILL "$pid" 2>/dev/null || true
	fi
	[ "$started" = 0 ] || lab/down >/dev/null 2>&1 || true
	rm -rf "$tmp"
	exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM
# Enough descriptors for the connections, the server's and wrk's (both
# inherit this limit through lab/exec).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# get URL [CURL ARGS]: the status; the body in $tmp/body.
get() {
	lab/exec curl -sS --max-time 15 -o "$tmp/body" -w '%{http_code}' "$@" 2>/dev/null || true
}
# status KEY: a field of /proc/PID/status in KB (or a count), 0 if gone.
status() { awk -v k="$1:" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }' "/proc/$pid/status" 2>/dev/null || echo 0; }
fds() { find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
alive() {
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "bench/serve.sh: the server died ($1); its last words:" >&2
		tail -n 20 "$tmp/server.err" >&2
		pid=
		exit 1
	fi
	if [ "$(get "$U/healthz")" != 200 ]; then
		echo "bench/serve.sh: the server does not answer /healthz ($1)" >&2
		exit 1
	fi
}

# The server.
log=${BENCH_SERVE_LOG:-$tmp/requests.log}
lab/exec "$NH" serve --lab --listen "127.0.0.1:$PORT" --db "$tmp/serve.db" --log "$log" \
	</dev/null >"$tmp/server.out" 2>"$tmp/server.err" &
pid=$!
for ((i = 0; i < 120; i++)); do
	[ "$(get "$U/healthz")" = 200 ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.25
done
alive "at start"
echo "nethealth serve --lab on $U (pid $pid): RSS $(mb "$(status VmRSS)") MB at start"

# One test to have a result.
code=$(get -X POST -H 'Content-Type: application/json' --data '{"type":"web","domain":"good.test"}' "$U/api/v1/tests")
id=$(jq -r '.id // empty | tostring' "$tmp/body" 2>/dev/null || true)
if [ "$code" != 201 ] || [ -z "$id" ]; then
	echo "bench/serve.sh: POST /api/v1/tests answered $code: $(head -c 300 "$tmp/body")" >&2
	exit 1
fi
eid=$(jq -rn --arg s "$id" '$s | @uri')
t0=$(date +%s.%N)
for ((i = 0; i < 360; i++)); do
	get "$U/api/v1/tests/$eid" >/dev/null
	st=$(jq -r '.status // empty' "$tmp/body" 2>/dev/null || true)
	case $st in done | error) break ;; esac
	sleep 0.5
done
score=$(jq -r '.result.score // "none"' "$tmp/body" 2>/dev/null || echo none)
echo "good.test through the API: test $id, $st, score $score," \
	"$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
if [ "$st" != "done" ]; then
	echo "bench/serve.sh: the test did not finish: $(head -c 300 "$tmp/body")" >&2
	exit 1
fi
[ "$score" = 100 ] || echo "  NOTE: good.test should score 100"
page=$(get "$U/test/$eid")
echo "  /test/$id: $page, $(wc -c <"$tmp/body") bytes; /api/v1/tests/$id: $(get "$U/api/v1/tests/$eid"), $(wc -c <"$tmp/body") bytes"
sleep 1

# sample: the highest VmRSS while $tmp/sampling exists, into $tmp/peak.
sample() {
	local max=0 v
	while [ -e "$tmp/sampling" ]; do
		v=$(status VmRSS)
		[ "${v:-0}" -le "$max" ] || max=$v
		echo "$max" >"$tmp/peak"
		sleep 0.2
	done
}

# run NAME SCRIPT PATH [ARGS]: one wrk run with bench/SCRIPT (ARGS after
# "--"); its figures into $tmp/NAME.json.
run() {
	local name=$1 script=$2 path=$3 r0 r1 f0 f1 peak
	shift 3
	r0=$(status VmRSS)
	f0=$(fds)
	: >"$tmp/sampling"
	sample &
	sampler=$!
	lab/exec wrk -t "$THREADS" -c "$CONNS" -d "${SECS}s" --timeout 10s \
		-s "bench/$script" "$U$path" ${1:+--} "$@" >"$tmp/$name.wrk" 2>&1 || {
		echo "bench/serve.sh: wrk failed ($name):" >&2
		cat "$tmp/$name.wrk" >&2
		exit 1
	}
	rm -f "$tmp/sampling"
	wait "$sampler" || true
	sampler=
	peak=$(cat "$tmp/peak" 2>/dev/null || echo 0)
	r1=$(status VmRSS)
	[ "$peak" -ge "$r1" ] || peak=$r1
	f1=$(fds)
	alive "after $name"
	grep '^{' "$tmp/$name.wrk" | tail -n 1 |
		jq -c --arg name "$name" --arg path "$path" --argjson c "$CONNS" --argjson t "$THREADS" \
			--argjson r0 "$r0" --argjson r1 "$r1" --argjson peak "$peak" --argjson f0 "$f0" --argjson f1 "$f1" \
			'{what: "nethealth serve", run: $name, path: $path, connections: $c, threads: $t} + .
			 + {rss_kb_before: $r0, rss_kb_after: $r1, rss_kb_peak: $peak, fds_before: $f0, fds_after: $f1}' \
			>"$tmp/$name.json" || {
		echo "bench/serve.sh: no figures from wrk ($name):" >&2
		cat "$tmp/$name.wrk" >&2
		exit 1
	}
	cat "$tmp/$name.json" >>"$out"
	echo "$name: $(jq -r '"\(.requests) requests, \(.rps) req/s, p50 \(.latency_us.p50 / 1000) ms, p99 \(.latency_us.p99 / 1000) ms; statuses \(.statuses | to_entries | map("\(.key): \(.value)") | join(", ")); RSS \(.rss_kb_before / 1024 | floor) -> \(.rss_kb_after / 1024 | floor) MB"' "$tmp/$name.json")"
}

echo "wrk: $CONNS connections, $THREADS threads, ${SECS} s a run"
run page serve-wrk.lua "/test/$eid"
run api serve-wrk.lua "/api/v1/tests/$eid"
run healthz serve-wrk.lua "/healthz"
run post-same serve-wrk.lua "/api/v1/tests" post '{"type":"web","domain":"good.test"}'
run post-new serve-wrk-post.lua "/api/v1/tests" good.test
run page-again serve-wrk.lua "/test/$eid"

[ ! -f "$log" ] || echo "request log: $(wc -l <"$log") lines, $(du -m "$log" | cut -f1) MB"
hwm=$(status VmHWM)
rss_end=$(status VmRSS)
alive "at the end"

# The table.
echo
printf '%-11s %9s %9s %8s %8s %8s %8s  %-26s %-10s %s\n' run requests "req/s" "p50 ms" "p90 ms" "p99 ms" \
	"max ms" "answers by status" "sock.err" "RSS MB before/after/peak, fds"
for name in page api healthz post-same post-new page-again; do
	jq -r '[.run, .requests, .rps,
		(.latency_us.p50 / 1000 * 10 | round / 10), (.latency_us.p90 / 1000 * 10 | round / 10),
		(.latency_us.p99 / 1000 * 10 | round / 10), (.latency_us.max / 1000 | round),
		(.statuses | to_entries | map("\(.key):\(.value)") | join(" ")),
		(.socket_errors | "\(.connect)/\(.read)/\(.write)/\(.timeout)"),
		"\(.rss_kb_before / 1024 * 10 | round / 10)/\(.rss_kb_after / 1024 * 10 | round / 10)/\(.rss_kb_peak / 1024 * 10 | round / 10), \(.fds_before)->\(.fds_after)"]
		| @tsv' "$tmp/$name.json" |
		awk -F'\t' '{ printf "%-11s %9d %9.0f %8s %8s %8s %8s  %-26s %-10s %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }'
done
echo "(sock.err: connect/read/write/timeout; a status outside 2xx/3xx is counted by wrk as an error too)"
non=$(jq -s '[.[] | .statuses | to_entries[] | select(.key | test("^[23]") | not) | .value] | add // 0' \
	"$tmp"/{page,api,healthz,page-again}.json)
same=$(jq -r '.statuses | to_entries | map("\(.value) \(.key)") | join(", ")' "$tmp/post-same.json")
post429=$(jq -r '.statuses["429"] // 0' "$tmp/post-new.json")
postall=$(jq -r '.requests' "$tmp/post-new.json")
post201=$(jq -r '.statuses["201"] // 0' "$tmp/post-new.json")
first=$(jq -r '.rss_kb_after' "$tmp/page.json")
again=$(jq -r '.rss_kb_after' "$tmp/page-again.json")
echo "GET runs: $non answers outside 2xx/3xx; POST of good.test again: $same;" \
	"POST of new names: $post429 of $postall refused with 429, $post201 tests started"
echo "memory: VmRSS $(mb "$rss_end") MB at the end, VmHWM (peak) $(mb "$hwm") MB;" \
	"after the page run $(mb "$first") MB, after the same run again $(mb "$again") MB" \
	"($(awk -v a="$first" -v b="$again" 'BEGIN { printf "%+.1f", (b - a) / 1024 }') MB)"

# SIGTERM: the tests the POST run started may still be running.
t0=$(date +%s.%N)
kill -TERM "$pid"
rc=
for ((i = 0; i < 240; i++)); do
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid" && rc=0 || rc=$?
		break
	fi
	sleep 0.25
done
stop=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
if [ -z "$rc" ]; then
	echo "SIGTERM: still running after $stop s"
else
	echo "SIGTERM: exit status $rc after $stop s"
	pid=
fi
jq -nc --argjson hwm "$hwm" --argjson rend "$rss_end" --argjson non "$non" --argjson p429 "$post429" \
	--argjson pall "$postall" --argjson p201 "$post201" --arg rc "${rc:-running}" --argjson stop "$stop" --arg same "$same" \
	'{what: "nethealth serve summary", vmhwm_kb: $hwm, rss_kb_end: $rend, get_non_2xx_3xx: $non,
	  post_same_statuses: $same, post_429: $p429, post_requests: $pall, post_201: $p201, sigterm_exit: $rc, sigterm_s: $stop}' >>"$out"
[ "${rc:-1}" = 0 ]
