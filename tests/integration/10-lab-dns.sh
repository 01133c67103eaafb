#!/bin/bash
# 10-lab-dns.sh: the lab's DNS tree validates as scenarios.tsv says: every
# scenario's SOA has its expected DNSSEC status through libunbound
# (tests/integration/dnssec_status.c), NXDOMAIN is provably secure, and the
# lab's recursive resolver (what dig, curl and openssl use) agrees.
set -u
. tests/integration/lib.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# dnssec_status_bin: the lead's build (build/tests/dnssec_status) when it is
# up to date, else a private build in $tmp.
dnssec_status_bin() {
	local src=tests/integration/dnssec_status.c bin=build/tests/dnssec_status
	if [ -x "$bin" ] && [ ! "$src" -nt "$bin" ]; then
		readlink -f "$bin"
		return 0
	fi
	cc -Wall -Wextra -Werror -o "$tmp/dnssec_status" "$src" -lunbound >&2 &&
		echo "$tmp/dnssec_status"
}

if ! bin=$(dnssec_status_bin); then
	not_ok "dnssec_status builds"
	exit 0
fi

# Every scenario row, plus secure NXDOMAINs under NSEC and NSEC3 zones.
rows=$(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$LAB/scenarios.tsv" | cut -f1,3)
names=$(cut -f1 <<<"$rows" | paste -sd' ')
# shellcheck disable=SC2086 # one argument per name
out=$(in_lab "$bin" $names nosuchname.good.test nosuchname.nsec3.test 2>"$tmp/why")
rc=$?
check_eq "dnssec_status resolves every name" 0 "$rc"
while IFS=$'\t' read -r domain want; do
	got=$(awk -v d="$domain" '$1 == d { print $2 }' <<<"$out")
	check_eq "libunbound: $domain is $want" "$want" "$got"
done <<<"$rows"
check_eq "libunbound: nosuchname.good.test is a secure NXDOMAIN (NSEC)" \
	"secure NXDOMAIN" "$(awk '$1 == "nosuchname.good.test" { print $2, $3 }' <<<"$out")"
check_eq "libunbound: nosuchname.nsec3.test is a secure NXDOMAIN (NSEC3)" \
	"secure NXDOMAIN" "$(awk '$1 == "nosuchname.nsec3.test" { print $2, $3 }' <<<"$out")"
if grep -q '^bogus.test: why_bogus: .*signature expired' "$tmp/why"; then
	ok "libunbound: bogus.test is bogus because its signatures expired"
else
	not_ok "libunbound: bogus.test is bogus because its signatures expired"
	diag "$(cat "$tmp/why")"
fi

# The lab's recursive resolver (resolv.conf in lab/exec) as dig sees it.
# dig_flags NAME: "STATUS ad" or "STATUS -" for NAME's SOA.
dig_flags() {
	in_lab dig +dnssec +time=3 +tries=1 "$1" SOA |
		awk '/status:/ { s = $6; sub(",", "", s) }
		     /^;; flags:/ { a = ($0 ~ / ad[ ;]/) ? "ad" : "-" }
		     END { print s, a }'
}
check_eq "resolver: good.test answers with AD" "NOERROR ad" "$(dig_flags good.test)"
check_eq "resolver: bogus.test is SERVFAIL" "SERVFAIL -" "$(dig_flags bogus.test)"
check_eq "resolver: unsigned.test answers without AD" "NOERROR -" "$(dig_flags unsigned.test)"
check_eq "resolver: nosuchname.good.test is NXDOMAIN with AD" "NXDOMAIN ad" \
	"$(dig_flags nosuchname.good.test)"
check_eq "resolver: good.test MX" "10 mail.good.test." "$(in_lab dig +short MX good.test)"
check_eq "resolver: www.good.test AAAA" "2001:db8:0:2::10" "$(in_lab dig +short AAAA www.good.test)"
check_eq "resolver: legacy.test has no AAAA" "" "$(in_lab dig +short AAAA legacy.test)"
ns=$(in_lab dig +short NS legacy.test)
check_eq "resolver: legacy.test's only name server is IPv4-only ns3" \
	"ns3.dns-host.test. 198.51.100.5 -" \
	"$ns $(in_lab dig +short A "$ns") $(in_lab dig +short AAAA "$ns")-"
dkim=$(in_lab dig +short TXT lab._domainkey.good.test | tr -d '" ')
case $dkim in
v=DKIM1\;k=rsa\;p=MII*) ok "resolver: good.test has a DKIM key" ;;
*) not_ok "resolver: good.test has a DKIM key" && diag "got: $dkim" ;;
esac

# The authoritative servers answer directly too (RRL off: a burst all answers).
check_eq "ns1.dns-host.test serves good.test" "ns1.dns-host.test." \
	"$(in_lab dig +short +norec @198.51.100.3 SOA good.test | cut -d' ' -f1)"
check_eq "ns2.dns-host.test serves good.test over IPv6" "ns1.dns-host.test." \
	"$(in_lab dig +short +norec @2001:db8:0:1::4 SOA good.test | cut -d' ' -f1)"
for i in $(seq 300); do echo "n$i.good.test A"; done >"$tmp/burst"
burst=$(in_lab dig +norec +tries=1 +time=2 @198.51.100.3 -f "$tmp/burst" | grep -c "status: NXDOMAIN")
check_eq "300 NXDOMAIN queries in a burst all answered (no rate limiting)" 300 "$burst"
exit 0
