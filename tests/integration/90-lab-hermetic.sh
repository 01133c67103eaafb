#!/bin/bash
# 90-lab-hermetic.sh: nothing left the lab's namespaces. Runs last: the lab
# has served every earlier test, and any packet meant for an address outside
# the lab ended in nh-srv (the client's only route) and was counted there.
# Then positive controls prove the counters see such a packet.
#
# Which counter (measured on this kernel; nh-srv has ip_forward off, no
# default route, and only a /32 or /128 per lab host plus the /24 and /64 it
# shares with nh-cli):
#   IpInAddrErrors   an IPv4 packet from nh-cli for an address nh-srv does not
#                    hold (forwarding off: "host unreachable"). Any v4 address.
#   Ip6InNoRoutes    an IPv6 packet from nh-cli for an address no route of
#                    nh-srv covers (e.g. 2001:db8:0:2::250, or the Internet).
#                    Ip6InAddrErrors counts only non-local addresses inside
#                    the shared /64, so it is checked but is not the v6 signal.
#   IpOutNoRoutes, Ip6OutNoRoutes
#                    a daemon in nh-srv itself sending outside (no default route).
#   IpExtInNoRoutes  checked for completeness.
# nh-cli's own counters are not used: at start-up it counts nh-srv's MLD
# reports (sent before nh-cli's IPv6 is ready) as Ip6InAddrErrors.
#
# The controls raise the counters for good; the amounts they added are kept in
# lab/state/run/hermetic-induced (wiped at lab/up) so that running this test
# again without restarting the lab still expects exactly what it caused.
set -u
. tests/integration/lib.sh

COUNTERS="IpInAddrErrors Ip6InAddrErrors IpOutNoRoutes Ip6OutNoRoutes IpExtInNoRoutes Ip6InNoRoutes"
LEDGER=$LAB/state/run/hermetic-induced

# counter NAME: the absolute value of NAME in nh-srv (-s: the nstat history
# file is neither read nor updated, -a: absolute, -z: zeros shown).
counter() {
	ip netns exec nh-srv nstat -saz "$1" | awk -v n="$1" '$1 == n { print $2 }'
}

# induced NAME: how much earlier runs' controls added to NAME.
induced() {
	[ -r "$LEDGER" ] && awk -v n="$1" '$1 == n { s += $2 } END { print s + 0 }' "$LEDGER" ||
		echo 0
}

# udp_from NS ADDR: one UDP datagram from namespace NS to ADDR, port 9.
udp_from() {
	# shellcheck disable=SC2016 # $0 is the inner shell's
	ip netns exec "$1" bash -c 'echo lab-hermetic-control >"/dev/udp/$0/9"' "$2" 2>/dev/null
	return 0
}

# control NS ADDR COUNTER: send one datagram; COUNTER must rise (within 2 s).
control() {
	local before after tries=40
	before=$(counter "$3")
	udp_from "$1" "$2"
	while after=$(counter "$3") && [ "$after" -le "$before" ] && [ $tries -gt 0 ]; do
		sleep 0.05
		tries=$((tries - 1))
	done
	echo "$3 1" >>"$LEDGER"
	if [ "$after" -gt "$before" ]; then
		ok "control: a datagram from $1 to $2 is counted in nh-srv's $3"
	else
		not_ok "control: a datagram from $1 to $2 is counted in nh-srv's $3"
		diag "before: $before, after: $after"
	fi
}

for c in $COUNTERS; do
	check_eq "nh-srv: $c shows nothing tried to leave the lab" \
		"$(induced "$c")" "$(counter "$c")"
done
check_eq "nh-srv has no IPv4 default route" "" "$(ip -n nh-srv route show default)"
check_eq "nh-srv has no IPv6 default route" "" "$(ip -n nh-srv -6 route show default)"
check_eq "nh-srv does not forward (IPv4, IPv6)" "0 0" \
	"$(ip netns exec nh-srv sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding | paste -sd' ')"
check_eq "no lab veth end in the host namespace" "" \
	"$(ip -o link show | grep -E 'nhsrv0|nhcli0')"
check_eq "nh-srv's links: lo and nhsrv0 only" "lo nhsrv0" \
	"$(ip -n nh-srv -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort | paste -sd' ')"
check_eq "nh-cli's links: lo and nhcli0 only" "lo nhcli0" \
	"$(ip -n nh-cli -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort | paste -sd' ')"

# Positive controls: addresses in the lab ranges that nobody holds.
control nh-cli 203.0.113.250 IpInAddrErrors
control nh-cli 2001:db8:0:2::250 Ip6InNoRoutes
control nh-srv 203.0.113.250 IpOutNoRoutes
control nh-srv 2001:db8:0:2::250 Ip6OutNoRoutes
exit 0
