#!/usr/bin/env bash
# 30-tls-sslscan.sh: nethealth and sslscan on the same lab TLS servers must
# find the same accepted protocol versions and cipher suites, on every
# address of every TLS scenario, and through STARTTLS on every address of
# every MX of every mail scenario (sslscan --starttls-smtp). A difference fails, printed line by line,
# unless tests/peers/known.tsv explains it (a peer that cannot see
# something, with the reason); an explanation that no longer applies fails
# too.
set -u
. tests/integration/lib.sh
. tests/peers/lib.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for d in $(tls_scenarios); do
	if ! in_lab "$NETHEALTH" tls "$d" --json >"$tmp/nh.json" 2>"$tmp/nh.err"; then
		not_ok "$d: nethealth tls ran"
		diag "$(cat "$tmp/nh.err")"
		continue
	fi
	nh_accepted "$tmp/nh.json" >"$tmp/nh"
	: >"$tmp/peer"
	for ip in $(jq -r '.servers.tls[].ip' "$tmp/nh.json"); do
		case $ip in *:*) target="[$ip]:443" ;; *) target="$ip:443" ;; esac
		in_lab sslscan --no-colour --no-check-certificate --xml="$tmp/s.xml" \
			--sni-name="$d" "$target" >/dev/null 2>&1
		sslscan_accepted "$tmp/s.xml" "$ip" >>"$tmp/peer"
	done
	sort -u -o "$tmp/peer" "$tmp/peer"
	compare_pairs sslscan "$d" "$tmp/nh" "$tmp/peer"
done

for d in $(mail_tls_scenarios); do
	if ! in_lab "$NETHEALTH" mail "$d" --json >"$tmp/nh.json" 2>"$tmp/nh.err"; then
		not_ok "$d (mail): nethealth mail ran"
		diag "$(cat "$tmp/nh.err")"
		continue
	fi
	nh_accepted "$tmp/nh.json" mx_tls >"$tmp/nh"
	: >"$tmp/peer"
	jq -r '.servers.mx_tls[] | "\(.sni) \(.ip)"' "$tmp/nh.json" >"$tmp/eps"
	while read -r mx ip; do
		case $ip in *:*) target="[$ip]:25" ;; *) target="$ip:25" ;; esac
		in_lab sslscan --no-colour --no-check-certificate --starttls-smtp \
			--xml="$tmp/s.xml" --sni-name="$mx" "$target" >/dev/null 2>&1
		sslscan_accepted "$tmp/s.xml" "$ip" >>"$tmp/peer"
	done <"$tmp/eps"
	sort -u -o "$tmp/peer" "$tmp/peer"
	compare_pairs sslscan "$d" "$tmp/nh" "$tmp/peer"
done
exit 0
