#!/usr/bin/env bash
# web.sh: the whole website test of one lab domain (nethealth web: DNS,
# IPv6, DNSSEC, TLS on every address, HTTP redirect, headers, security.txt,
# the same-site comparison), its wall time and the connections it opens to
# each web address, beside testssl.sh's header checks (-h: HSTS and the
# security headers of one address, the part of the website test it covers).
# Needs the lab up.
#
# nethealth runs with its default politeness (at most 10 new connections a
# second to an address, which sets its time once an address needs more
# than 10) and with --conn-rate 0 (no limit); both figures are printed,
# each the median of BENCH_WEB_RUNS runs (default 5). Connections come from
# the facts (TLS probes and handshakes, HTTP transfers, each address).
#
#   BENCH_WEB_HOSTS   the domains (default: good.test legacy.test
#                     nonces.test downgrade.test)
#   BENCH_TESTSSL     none to skip testssl.sh
set -euo pipefail
cd "$(dirname "$0")/.."

HOSTS=${BENCH_WEB_HOSTS:-good.test legacy.test nonces.test downgrade.test}
RUNS=${BENCH_WEB_RUNS:-5}
out=build/bench/web.json
mkdir -p build/bench
: >"$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for h in $HOSTS; do
	for mode in polite unlimited; do
		extra=
		[ "$mode" = polite ] || extra="--conn-rate 0"
		: >"$tmp/walls"
		for _ in $(seq "$RUNS"); do
			t0=$(now)
			# shellcheck disable=SC2086 # one option or none
			lab/exec ./nethealth web "$h" --json $extra >"$tmp/nh.json"
			t1=$(now)
			elapsed "$t0" "$t1" >>"$tmp/walls"
		done
		jq -c --arg h "$h" --arg m "$mode" --argjson w "$(median <"$tmp/walls")" '
		  [.servers.tls[] | {key: .ip, value: {tls: .connections}}] as $t |
		  [.servers.http[] | {key: .ip, value: {http: .connections, requests: .requests}}] as $hh |
		  {host: $h, tool: "nethealth", mode: $m, wall_s: $w, score: .score,
		   addresses: ([$t[], $hh[]] | group_by(.key) |
		     map({ip: .[0].key} + (map(.value) | add) |
		       .connections = ((.tls // 0) + (.http // 0))))}' \
			"$tmp/nh.json" | tee -a "$out"
	done
	[ "${BENCH_TESTSSL:-}" != none ] || continue
	ip=$(lab/exec dig +short "$h" A | tail -n 1)
	t0=$(now)
	lab/exec testssl --quiet --warnings off --color 0 --nodns none \
		--ip="$ip" -h "$h" >/dev/null 2>&1 || true
	t1=$(now)
	jq -nc --arg h "$h" --argjson w "$(elapsed "$t0" "$t1")" \
		'{host: $h, tool: "testssl", mode: "-h", wall_s: $w}' | tee -a "$out"
done

jq -rs '
  def r(x): (x * 10 | round) / 10;
  group_by(.host)[] |
  (map(select(.tool == "nethealth" and .mode == "polite"))[0]) as $p |
  (map(select(.tool == "nethealth" and .mode == "unlimited"))[0]) as $u |
  (map(select(.tool == "testssl"))[0]) as $t |
  "\(.[0].host): score \($p.score)",
  "  nethealth web, 10 conn/s  \(r($p.wall_s * 1000)) ms (median of runs)",
  "  nethealth web, no limit   \(r($u.wall_s * 1000)) ms",
  ($p.addresses[] | "    \(.ip): \(.connections) connections (TLS \(.tls // 0), HTTP \(.http // 0) for \(.requests // 0) requests)"),
  (if $t then "  testssl.sh -h (headers of one address)  \(r($t.wall_s * 1000)) ms; / nethealth no limit: \(if $u.wall_s > 0 then r($t.wall_s / $u.wall_s) else "-" end)x" else empty end)
' "$out"
