#!/bin/bash
# 13-http-hostile.sh: nethealth's HTTP client (src/http/, through the
# build/tests/nh_http tool, built with ASan) against servers that never end:
# header lines for ever, a body announced as 1 GiB and sent as fast as read,
# a body dripped a byte at a time. Each must cost bounded time and memory: the
# header lines kept stop at NH_HTTP_MAX_HEADERS, the body at the cap asked,
# the drip at the request's timeout. On loopback only (hostile_http.pl).
set -u
. tests/integration/lib.sh

NH_HTTP=${NH_HTTP:-build/tests/nh_http}
tmp=$(mktemp -d)
trap 'kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT

# serve MODE: starts hostile_http.pl; sets srv (its pid) and port.
serve() {
	rm -f "$tmp/port"
	perl tests/integration/hostile_http.pl "$tmp/port" "$1" 2>>"$tmp/server.log" &
	srv=$!
	for _ in $(seq 50); do
		[ -s "$tmp/port" ] && break
		sleep 0.1
	done
	port=$(cat "$tmp/port" 2>/dev/null)
}

# fetch ARGS...: nh_http ARGS, its output in $tmp/out, "SECONDS KB" (wall
# time, peak memory) in $tmp/cost.
fetch() {
	/usr/bin/time -f '%e %M' -o "$tmp/cost" "$NH_HTTP" "$@" >"$tmp/out" 2>&1
}

# within DESC SECONDS KB: the last fetch took at most SECONDS and KB.
within() {
	local s kb
	read -r s kb <"$tmp/cost"
	if awk -v s="$s" -v kb="$kb" -v ms="$2" -v mk="$3" \
		'BEGIN { exit !(s <= ms && kb <= mk) }'; then
		ok "$1 ($s s, $kb KB)"
	else
		not_ok "$1"
		diag "took $s s and $kb KB; at most $2 s and $3 KB" "$(tail -5 "$tmp/out")"
	fi
}

# Generous bounds: ASan's own memory, a loaded 2-core machine.
MAX_KB=200000

serve headers
fetch -t 5 "http://hostile.test:$port/" 127.0.0.1
check_eq "endless header lines: $(grep -c '^header ' "$tmp/out") kept, the rest cut" \
	"100 headers cut" "$(grep -c '^header ' "$tmp/out") $(grep -x 'headers cut' "$tmp/out")"
within "endless header lines: the request stops at the cap" 4 "$MAX_KB"
kill "$srv"

serve body
fetch -t 5 -m 1000000 "http://hostile.test:$port/" 127.0.0.1
check_eq "a 1 GiB body: 1000000 bytes kept, the transfer cut" "body 1000000 cut" \
	"$(grep '^body ' "$tmp/out")"
within "a 1 GiB body: the request stops at the cap" 4 "$MAX_KB"
fetch -t 5 -z -m 1000000 "http://hostile.test:$port/" 127.0.0.1
check_eq "a 1 GiB body with compression offered: cut the same" "body 1000000 cut" \
	"$(grep '^body ' "$tmp/out")"
kill "$srv"

serve drip
fetch -t 3 "http://hostile.test:$port/" 127.0.0.1
check "a dripping body: the request ends at its timeout with an error" \
	grep -q '^error .*[Tt]imed out' "$tmp/out"
within "a dripping body: no longer than the timeout" 6 "$MAX_KB"
