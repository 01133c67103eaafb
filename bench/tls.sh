#!/usr/bin/env bash
# tls.sh: one TLS server's assessment by nethealth, sslscan and testssl.sh,
# side by side on the same lab servers in one run: wall time, connections
# opened to the address, and the longest chain of connections that had to
# wait for each other (on the real Internet each costs about two round
# trips: TCP, then the hello). Needs the lab up.
#
# nethealth runs twice: with its default politeness (at most 10 new
# connections a second to an address, which sets its time) and with
# --conn-rate 0 (no limit); both figures are printed. nethealth assesses
# every address of the name at once; the peers are given the IPv4 address
# (sslscan and testssl.sh test one address a run), so nethealth's time is
# that of all addresses, the peers' that of one.
#
# Connections are counted with strace (connect() calls to port 443, in
# every process a tool starts); wall times come from runs without strace.
#
#   BENCH_TLS_HOSTS   the scenarios (default: a representative six; "all"
#                     for every TLS scenario of lab/expect.tsv)
#   BENCH_TESTSSL     full (testssl.sh's default run, minutes a host),
#                     ciphers (-E only: the same question as the others),
#                     or none (default: ciphers)
set -euo pipefail
cd "$(dirname "$0")/.."
LAB=lab
. tests/peers/lib.sh

HOSTS=${BENCH_TLS_HOSTS:-good.test tls13only.test legacy.test weakciphers.test nullanon.test dualcert.test}
[ "$HOSTS" != all ] || HOSTS=$(tls_scenarios)
TESTSSL=${BENCH_TESTSSL:-ciphers}
out=build/bench/tls.json
mkdir -p build/bench
: >"$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }

# conns FILE ADDRESS: connect() calls to ADDRESS port 443 in an strace log.
conns() {
	grep -c "htons(443).*$2\|$2.*htons(443)" "$1" || true
}

# record HOST TOOL MODE WALL CONNS SEQUENTIAL
record() {
	jq -nc --arg h "$1" --arg t "$2" --arg m "$3" --argjson w "$4" \
		--argjson c "$5" --argjson s "$6" \
		'{host: $h, tool: $t, mode: $m, wall_s: $w, connections: $c, sequential: $s}' |
		tee -a "$out"
}

for h in $HOSTS; do
	ip=$(lab/exec dig +short "$h" A | tail -n 1)
	[ -n "$ip" ] || { echo "$h: no address" >&2; continue; }

	for mode in polite unlimited; do
		extra=
		[ "$mode" = polite ] || extra="--conn-rate 0"
		t0=$(now)
		# shellcheck disable=SC2086 # one option or none
		lab/exec ./nethealth tls "$h" --json $extra >"$tmp/nh.json"
		t1=$(now)
		c=$(jq --arg ip "$ip" '.servers.tls[] | select(.ip == $ip) | .connections' "$tmp/nh.json")
		s=$(jq --arg ip "$ip" '.servers.tls[] | select(.ip == $ip) | .sequential' "$tmp/nh.json")
		record "$h" nethealth "$mode" "$(elapsed "$t0" "$t1")" "$c" "$s"
	done

	t0=$(now)
	lab/exec sslscan --no-colour --sni-name="$h" "$ip:443" >/dev/null 2>&1
	t1=$(now)
	lab/exec strace -f -qq -e trace=connect -o "$tmp/ss.trace" \
		sslscan --no-colour --sni-name="$h" "$ip:443" >/dev/null 2>&1
	c=$(conns "$tmp/ss.trace" "$ip")
	# sslscan connects one after the other.
	record "$h" sslscan default "$(elapsed "$t0" "$t1")" "$c" "$c"

	case $TESTSSL in
	none) continue ;;
	full) topts="" ;;
	*) topts="-E" ;;
	esac
	t0=$(now)
	# shellcheck disable=SC2086 # options, none with a space
	lab/exec testssl --quiet --warnings off --color 0 --nodns none \
		--ip="$ip" $topts "$h" >/dev/null 2>&1 || true
	t1=$(now)
	# shellcheck disable=SC2086
	lab/exec strace -f -qq -e trace=connect -o "$tmp/ts.trace" \
		testssl --quiet --warnings off --color 0 --nodns none \
		--ip="$ip" $topts "$h" >/dev/null 2>&1 || true
	c=$(conns "$tmp/ts.trace" "$ip")
	# testssl.sh is a shell script: one connection after the other.
	record "$h" testssl "$TESTSSL" "$(elapsed "$t0" "$t1")" "$c" "$c"
done

jq -rs '
  def r(x): (x * 10 | round) / 10;
  def ratio(a; b): if b > 0 then "\(r(a / b))x" else "-" end;
  group_by(.host)[] |
  (map(select(.tool == "nethealth" and .mode == "polite"))[0]) as $p |
  (map(select(.tool == "nethealth" and .mode == "unlimited"))[0]) as $u |
  (map(select(.tool == "sslscan"))[0]) as $s |
  (map(select(.tool == "testssl"))[0]) as $t |
  "\(.[0].host):",
  "  nethealth, 10 conn/s  \(r($p.wall_s * 1000)) ms, \($p.connections) connections, \($p.sequential) in sequence",
  "  nethealth, no limit   \(r($u.wall_s * 1000)) ms",
  "  sslscan               \(r($s.wall_s * 1000)) ms, \($s.connections) connections (in sequence)",
  (if $t then "  testssl.sh (\($t.mode))  \(r($t.wall_s)) s, \($t.connections) connections (in sequence)" else empty end),
  "  sslscan / nethealth   time \(ratio($s.wall_s; $p.wall_s)) (no limit: \(ratio($s.wall_s; $u.wall_s))), connections \(ratio($s.connections; $p.connections))",
  (if $t then "  testssl / nethealth   time \(ratio($t.wall_s; $p.wall_s)) (no limit: \(ratio($t.wall_s; $u.wall_s))), connections \(ratio($t.connections; $p.connections))" else empty end)
' "$out"
