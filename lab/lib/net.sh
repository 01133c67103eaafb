# shellcheck shell=bash
# net.sh: the lab's namespaces, addresses and process life cycle (sourced by
# lab/up, lab/down and lab/status): creating the two namespaces, starting the
# daemons in nh-srv, waiting for their sockets, and tearing everything down.

# net_up: nh-srv ("the Internet", one /32 and /128 per host of hosts.tsv) and
# nh-cli (the client), joined by one veth pair. No route leaves them.
net_up() {
	local ns a
	for ns in "$NS_SRV" "$NS_CLI"; do
		ip netns add "$ns"
		# No duplicate address detection (a fresh v6 address would stay
		# unusable for ~2 s), no router solicitations, no forwarding. No
		# ICMP rate limit: a closed UDP port (host ns-closed) must always
		# answer "port unreachable", not, after a few probes, nothing at
		# all (the kernel sends about one a second per destination).
		ip netns exec "$ns" sysctl -q -w net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.router_solicitations=0 \
			net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0 \
			net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 >/dev/null
		ip -n "$ns" link set lo up
	done
	ip link add "$VETH_SRV" netns "$NS_SRV" type veth peer name "$VETH_CLI" netns "$NS_CLI"
	{
		echo "address add $SRV_GW4/24 dev $VETH_SRV"
		echo "address add $SRV_GW6/64 dev $VETH_SRV nodad"
		for a in $(data_rows "$HOSTS_TSV" | cut -f2,3 | tr '\t' '\n' | grep -v '^-$'); do
			case $a in
			*:*) echo "address add $a/128 dev $VETH_SRV nodad" ;;
			*) echo "address add $a/32 dev $VETH_SRV" ;;
			esac
		done
		# The generated scan domains' web addresses (lab/lib/gen.sh), if any.
		[ ! -s "$RUN/gen-hosts.tsv" ] || awk -F'\t' -v dev="$VETH_SRV" '{
			print "address add " $2 "/32 dev " dev
			if ($3 != "-") print "address add " $3 "/128 dev " dev " nodad"
		}' "$RUN/gen-hosts.tsv"
		echo "link set $VETH_SRV up"
		# The survey prefixes (lab/survey/pfx2as) and the survey's rate
		# prefix are held whole (local routes): a survey of them sends
		# nothing to an address nobody holds, which 90-lab-hermetic
		# counts as trying to leave the lab; their idle addresses answer
		# as a host with nothing listening does.
		for a in 198.51.100.160/28 203.0.113.160/28 203.0.113.176/28 \
			2001:db8:0:2::100/120 2001:db8:0:6::/112; do
			echo "route add local $a dev lo"
		done
	} | ip -n "$NS_SRV" -batch -
	ip -n "$NS_CLI" -batch - <<EOF
address add $CLI_ADDR4/24 dev $VETH_CLI
address add $CLI_ADDR6/64 dev $VETH_CLI nodad
link set $VETH_CLI up
route add default via $SRV_GW4
route add default via $SRV_GW6
EOF
}

# listening: "PROTO ADDR:PORT" of every listening socket in nh-srv.
listening() { in_srv ss -Hlntu | awk '{ print $1, $5 }'; }

# missing_listeners: lines of state/run/listeners without a socket yet. A
# "*:PORT" line is satisfied by a wildcard socket (*, 0.0.0.0 or [::]) on
# PORT. One awk for all lines: lab/up calls this every 50 ms while it waits.
missing_listeners() {
	listening | awk -v list="$RUN/listeners" '
		{
			have[$1 " " $2] = 1
			if ($2 ~ /^(\*|0\.0\.0\.0|\[::\]):[0-9]+$/) {
				p = $2
				sub(/.*:/, "", p)
				wild[$1 " " p] = 1
			}
		}
		END {
			while ((getline line < list) > 0) {
				if (split(line, f, " ") < 3) continue
				if (f[3] ~ /^\*:/) {
					p = f[3]
					sub(/^\*:/, "", p)
					if (!((f[2] " " p) in wild)) print line
				} else if (!((f[2] " " f[3]) in have)) print line
			}
		}
	'
}

# wait_listeners SECONDS: wait until every expected socket is there. Gives up
# at once if a daemon that still lacks a socket has died (its pid file names
# a dead process).
wait_listeners() {
	local deadline=$((SECONDS + $1)) missing d dead
	while :; do
		missing=$(missing_listeners)
		[ -z "$missing" ] && return 0
		dead=""
		while read -r d; do
			[ -e "$(pidfile_of "$d")" ] && ! pid_of "$d" >/dev/null && dead="$dead $d"
		done < <(cut -d' ' -f1 <<<"$missing" | sort -u)
		[ -n "$dead" ] && break
		[ "$SECONDS" -lt "$deadline" ] || break
		sleep 0.05
	done
	warn "not listening${dead:+ (died:$dead)} (daemon, protocol, address):"
	printf '  %s\n' "$missing" >&2
	return 1
}

# kill_pids SIGNAL PID...: signal the live ones; quiet.
kill_pids() {
	local sig=$1
	shift
	[ $# -gt 0 ] && kill "-$sig" "$@" 2>/dev/null
	return 0
}

# running PID: true if PID is a live process. A zombie counts as gone: here
# PID 1 (the sandbox's init) reaps orphans only every couple of seconds.
running() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# wait_gone SECONDS PID...: wait until none of PID runs; 1 if some stay.
wait_gone() {
	local tries=$(($1 * 50)) p alive
	shift
	while :; do
		alive=""
		for p in "$@"; do running "$p" && alive="$alive $p"; done
		[ -z "$alive" ] && return 0
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.02
	done
}

# ns_pids: every process inside the lab namespaces.
ns_pids() {
	local ns
	for ns in "$NS_SRV" "$NS_CLI"; do
		ns_exists "$ns" && ip netns pids "$ns" 2>/dev/null
	done
	return 0
}

# orphan_pids: processes whose command line names the state folder and that
# live in a network namespace other than ours (left from a lab whose
# namespace was deleted under them). Editors or tails in the host namespace
# are never touched.
orphan_pids() {
	local p mine
	mine=$(readlink /proc/self/ns/net)
	for p in $(pgrep -f "$STATE/" || true); do
		[ "$(readlink "/proc/$p/ns/net" 2>/dev/null)" != "$mine" ] || continue
		running "$p" && echo "$p"
	done
	return 0
}

# lab_teardown: stop every lab process (pid files first, then whatever is
# left in the namespaces), then delete the namespaces. Safe when down.
lab_teardown() {
	local d pids=() p
	for d in $(lab_daemons 2>/dev/null); do
		p=$(pid_of "$d") && pids+=("$p")
	done
	kill_pids TERM "${pids[@]}"
	wait_gone 3 "${pids[@]}" || true
	# shellcheck disable=SC2207 # pids are words
	pids=($(ns_pids) $(orphan_pids))
	if [ ${#pids[@]} -gt 0 ]; then
		kill_pids TERM "${pids[@]}"
		wait_gone 2 "${pids[@]}" || kill_pids KILL "${pids[@]}"
		wait_gone 2 "${pids[@]}" || warn "processes still alive:$(printf ' %s' "${pids[@]}")"
	fi
	for d in "$NS_CLI" "$NS_SRV"; do
		ns_exists "$d" && ip netns del "$d"
	done
	rm -f "$RUN"/*.pid "$STATE/postfix/spool/pid/master.pid"
	# The generated scan domains' lists (lab/lib/gen.sh) describe a running lab.
	rm -f "$STATE/scan-domains.csv" "$STATE/scan-domains.tsv"
	return 0
}
