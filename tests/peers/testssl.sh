#!/usr/bin/env bash
# testssl.sh: nethealth and testssl.sh (Debian's testssl, 3.0.x) on the
# same lab TLS servers must find the same accepted protocol versions and
# cipher suites, on every address of every TLS scenario, and through
# STARTTLS (testssl -t smtp) on every address of every MX of every mail
# scenario. A difference
# fails, printed line by line, unless tests/peers/known.tsv explains it (a
# peer that cannot see something, with the reason); an explanation that no
# longer applies fails too. Like tests/integration/30-tls-sslscan.sh, which
# compares with sslscan.
#
# testssl runs once per address, with the SNI of the scenario, and only
# -E (--cipher-per-proto): every suite of its cipher mapping, per protocol
# SSLv2 to TLS 1.3, first those OpenSSL has through s_client, then the rest
# with its own bash sockets. No protocol detection (-p): -E then probes
# every protocol itself, so a refused protocol is a protocol in which no
# suite is accepted, as for nethealth. Not --fast or --ssl-native: both drop
# the sockets, so every suite Debian's OpenSSL 3 lacks. --ip with -6 and
# --nodns none: testssl 3.0.8 otherwise tests also, or instead, the
# addresses the name resolves to (its --ip is dropped for an IPv6 address
# without -6, and with -6 an IPv4 one is tested with every AAAA).
#
# testssl takes 11 to 75 s an address, most of it forks of bash and
# openssl (CPU, not waiting), so the addresses run TESTSSL_JOBS at a time
# (default: the number of CPUs, at most 4). Each address's wall time is
# printed as a diagnostic.
set -u
. tests/integration/lib.sh
. tests/peers/lib.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

TESTSSL_OPTS="--quiet --warnings off --color 0 --openssl-timeout 10 --connect-timeout 10 -6 --nodns none -E"
jobs=${TESTSSL_JOBS:-$(nproc 2>/dev/null || echo 2)}
[ "$jobs" -le 4 ] || jobs=4

# First nethealth on every scenario (a few seconds each), then testssl on
# every address it reports, in parallel.
mkdir -p "$tmp/nh" "$tmp/ts"
scenarios=$(tls_scenarios)
: >"$tmp/jobs"
for d in $scenarios; do
	if ! in_lab "$NETHEALTH" tls "$d" --json >"$tmp/nh/$d.json" 2>"$tmp/nh/$d.err"; then
		continue
	fi
	jq -r --arg d "$d" --arg t "$tmp/ts" '.servers.tls[].ip | "\($d) \(.) \($t)/\($d)_\(.) \($d) -"' \
		"$tmp/nh/$d.json" >>"$tmp/jobs"
done
mail_scenarios=$(mail_tls_scenarios)
for d in $mail_scenarios; do
	if ! in_lab "$NETHEALTH" mail "$d" --json >"$tmp/nh/mail-$d.json" 2>"$tmp/nh/mail-$d.err"; then
		continue
	fi
	jq -r --arg d "$d" --arg t "$tmp/ts" '.servers.mx_tls[] |
	    "\($d) \(.ip) \($t)/mail-\($d)_\(.ip) \(.sni):25 smtp"' \
		"$tmp/nh/mail-$d.json" >>"$tmp/jobs"
done

# One line of jobs is "DOMAIN ADDRESS BASE TARGET STARTTLS": testssl on
# ADDRESS with SNI and name TARGET (the domain, or MX:25), STARTTLS
# protocol STARTTLS ("-": none), its flat JSON in BASE.json, its terminal
# output in BASE.out, its wall time in seconds in BASE.time.
start=$(date +%s)
# shellcheck disable=SC2016,SC2086 # expanded by the inner shell; $2 is words
xargs -P "$jobs" -L 1 bash -c '
	t0=$(date +%s.%N)
	st=""
	[ "$7" = - ] || st="-t $7"
	"$1/exec" testssl $2 $st --ip="$4" --jsonfile "$5.json" "$6" >"$5.out" 2>&1 </dev/null
	t1=$(date +%s.%N)
	awk -v s="$t0" -v e="$t1" "BEGIN { printf \"%.1f\n\", e - s }" >"$5.time"
' _ "$LAB" "$TESTSSL_OPTS" <"$tmp/jobs"
total=$(($(date +%s) - start))

for d in $scenarios; do
	if [ ! -s "$tmp/nh/$d.json" ]; then
		not_ok "$d: nethealth tls ran"
		diag "$(cat "$tmp/nh/$d.err")"
		continue
	fi
	nh_accepted "$tmp/nh/$d.json" >"$tmp/nh/$d"
	: >"$tmp/peer"
	failed_runs=""
	times=""
	for ip in $(jq -r '.servers.tls[].ip' "$tmp/nh/$d.json"); do
		base="$tmp/ts/${d}_$ip"
		times="$times $ip $(cat "$base.time" 2>/dev/null)s"
		# A connection that failed ("Oops: TCP connect problem", which
		# testssl prints and then goes on) would hide suites.
		if [ ! -s "$base.json" ] || ! testssl_ran "$base.json" "$ip" ||
			grep -q 'Oops: ' "$base.out"; then
			failed_runs="$failed_runs $ip"
			continue
		fi
		testssl_accepted "$base.json" "$ip" >>"$tmp/peer"
	done
	if [ -n "$failed_runs" ]; then
		not_ok "$d: testssl ran on every address"
		for ip in $failed_runs; do
			diag "testssl on $ip:" "$(grep -m 5 'Oops: ' "$tmp/ts/${d}_$ip.out")" \
				"$(tail -n 20 "$tmp/ts/${d}_$ip.out" 2>/dev/null)"
		done
		continue
	fi
	sort -u -o "$tmp/peer" "$tmp/peer"
	compare_pairs testssl "$d" "$tmp/nh/$d" "$tmp/peer"
	diag "testssl wall time:$times"
done
for d in $mail_scenarios; do
	if [ ! -s "$tmp/nh/mail-$d.json" ]; then
		not_ok "$d (mail): nethealth mail ran"
		diag "$(cat "$tmp/nh/mail-$d.err")"
		continue
	fi
	nh_accepted "$tmp/nh/mail-$d.json" mx_tls >"$tmp/nh/mail-$d"
	: >"$tmp/peer"
	failed_runs=""
	for ip in $(jq -r '.servers.mx_tls[].ip' "$tmp/nh/mail-$d.json"); do
		base="$tmp/ts/mail-${d}_$ip"
		if [ ! -s "$base.json" ] || ! testssl_ran "$base.json" "$ip" ||
			grep -q 'Oops: ' "$base.out"; then
			failed_runs="$failed_runs $ip"
			continue
		fi
		testssl_accepted "$base.json" "$ip" >>"$tmp/peer"
	done
	if [ -n "$failed_runs" ]; then
		not_ok "$d (mail): testssl -t smtp ran on every MX address"
		for ip in $failed_runs; do
			diag "testssl on $ip:" "$(tail -n 20 "$tmp/ts/mail-${d}_$ip.out" 2>/dev/null)"
		done
		continue
	fi
	sort -u -o "$tmp/peer" "$tmp/peer"
	compare_pairs testssl "$d" "$tmp/nh/mail-$d" "$tmp/peer"
done
diag "testssl: $(wc -l <"$tmp/jobs") addresses, $jobs at a time, ${total}s in all;" \
	"options: $TESTSSL_OPTS --ip=ADDRESS --jsonfile FILE DOMAIN"
exit 0
