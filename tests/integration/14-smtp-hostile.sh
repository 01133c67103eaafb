#!/bin/bash
# 14-smtp-hostile.sh: nethealth's STARTTLS opener (src/mail/) against SMTP
# servers that misbehave: greeting lines for ever, a greeting line that
# never ends, a 421 to every connection, silence, no STARTTLS. Each must end
# in bounded time and memory with the reason in the facts (the smtp error),
# never a crash, a hang or a made-up verdict. On loopback only
# (hostile_smtp.pl); nethealth tls ADDRESS:PORT --starttls smtp asks no DNS.
set -u
. tests/integration/lib.sh

tmp=$(mktemp -d)
trap 'kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT

serve() {
	rm -f "$tmp/port"
	perl tests/integration/hostile_smtp.pl "$tmp/port" "$1" 2>>"$tmp/server.log" &
	srv=$!
	for _ in $(seq 50); do
		[ -s "$tmp/port" ] && break
		sleep 0.1
	done
	port=$(cat "$tmp/port" 2>/dev/null)
}

# probe MODE: nethealth against MODE; the endpoint's facts in $tmp/ep,
# "SECONDS KB" in $tmp/cost.
probe() {
	serve "$1"
	/usr/bin/time -f '%e %M' -o "$tmp/cost" "$NETHEALTH" tls "127.0.0.1:$port" \
		--starttls smtp --json --timeout 3 >"$tmp/out.json" 2>"$tmp/err"
	jq -c '.servers.tls[0]' "$tmp/out.json" >"$tmp/ep" 2>/dev/null
	kill "$srv"
	wait "$srv" 2>/dev/null
}

# expect_ep DESC JQ_FILTER: the endpoint's facts satisfy the filter.
expect_ep() {
	if jq -e "$2" "$tmp/ep" >/dev/null 2>&1; then
		ok "$1"
	else
		not_ok "$1"
		diag "filter: $2" "facts: $(cat "$tmp/ep")" "stderr: $(tail -3 "$tmp/err")"
	fi
}

# within DESC SECONDS: the last probe took at most SECONDS and 200 MB.
within() {
	local s kb
	read -r s kb <"$tmp/cost"
	if awk -v s="$s" -v kb="$kb" -v m="$2" 'BEGIN { exit !(s <= m && kb <= 200000) }'; then
		ok "$1 ($s s, $kb KB)"
	else
		not_ok "$1"
		diag "took $s s and $kb KB; at most $2 s and 200000 KB"
	fi
}

probe lines
expect_ep "greeting lines for ever: refused as not SMTP" \
	'.reachable == "failed" and (.smtp.error | test("more lines"))'
within "greeting lines for ever: bounded" 5
probe longline
expect_ep "a greeting line that never ends: refused" \
	'.reachable == "failed" and (.smtp.error | test("longer than SMTP allows"))'
within "a greeting line that never ends: bounded" 5
probe defer
expect_ep "421 to every connection: deferred, with the server's words, no verdict" \
	'.reachable == "failed" and .smtp.answered == "failed" and .smtp.code == 421 and .smtp.deferred >= 1 and (.smtp.error | test("deferred"))'
within "421 to every connection: tries end with the timeout" 8
probe silent
expect_ep "a silent server: no answer" '.reachable == "failed"'
within "a silent server: the timeout" 8
probe nostarttls
expect_ep "no STARTTLS offered: said so" \
	'.smtp.answered == "ok" and .smtp.ehlo and (.smtp.starttls | not) and (.smtp.error | test("does not offer STARTTLS"))'
within "no STARTTLS offered: at once" 5
