# shellcheck shell=bash
# survey.sh: the survey servers (issue 10; sourced by lab/up): UDP services
# that nethealth survey probes, each kind open on some addresses and closed
# on others. Hosts of lab/hosts.tsv with role survey:<kind>; every host of a
# kind shares one daemon, survey-<kind> (survey:monlist and survey:ssdp:
# one process of lab/fakes/survey-udp.pl, daemon survey-fakes):
#   dns-open       unbound, recursion for anyone (access-control 0.0.0.0/0,
#                  ::/0 allow), validating like the lab's resolver
#   dns-closed     unbound that refuses everyone (REFUSED)
#   ntp-open       lab/fakes/survey-udp.pl: NTP mode 6 READVAR (ntpsec's
#                  ntpd never answers mode 6 in this sandbox: docs/lab.md)
#   ntp-closed     ntpsec ntpd, "restrict default ignore": never answers
#   monlist        survey-udp.pl: NTP mode 7 MON_GETLIST_1 (ntpsec has no
#                  mode 7), port 123
#   snmp-open      net-snmp snmpd, rocommunity public
#   snmp-closed    net-snmp snmpd, another community only
#   memcached-udp  memcached with UDP on port 11211
#   memcached-tcp  memcached with UDP off (-U 0; TCP 11211 only)
#   ssdp           survey-udp.pl: SSDP, unicast M-SEARCH on port 1900
#   chargen        xinetd's internal chargen, dgram (UDP 19)
# Configs go to state/survey/<kind>/, logs to state/log/survey-<kind>.log,
# pid files to state/run/survey-<kind>.pid (all daemons run in the
# foreground or write their own pid file). Each daemon's sockets go to
# state/run/listeners, so lab/up waits for them and lab/status shows them.

SURVEY=$STATE/survey

# survey_kinds: the survey:<kind> roles of hosts.tsv, without "survey:".
survey_kinds() { all_roles | sed -n 's/^survey://p'; }

# survey_daemon KIND: the daemon that serves KIND.
survey_daemon() {
	case $1 in
	ntp-open | monlist | ssdp) echo survey-fakes ;;
	*) echo "survey-$1" ;;
	esac
}

# survey_listen DAEMON PROTO PORT KIND: listener lines for every address of KIND.
survey_listen() {
	local a
	for a in $(role_addrs "survey:$4"); do
		echo "$1 $2 $(bracket "$a"):$3"
	done >>"$RUN/listeners"
}

# survey_unbound KIND ACL: an unbound config for the hosts of KIND.
survey_unbound() {
	local kind=$1 acl=$2 a
	echo "# unbound.conf: survey server $kind (made by lab/up)."
	echo "server:"
	for a in $(role_addrs "survey:$kind"); do echo "	interface: $a"; done
	cat <<EOF
	port: 53
	interface-automatic: no
	access-control: 0.0.0.0/0 $acl
	access-control: ::/0 $acl
	username: ""
	chroot: ""
	directory: "$SURVEY/$kind"
	pidfile: "$RUN/survey-$kind.pid"
	logfile: "$LOGS/survey-$kind.log"
	use-syslog: no
	do-daemonize: yes
	num-threads: 1
	verbosity: 1
	# Answers for anyone, at any rate: the survey is a burst.
	ip-ratelimit: 0
	ratelimit: 0
EOF
	resolver_common
	printf 'remote-control:\n\tcontrol-enable: no\n'
}

# survey_ntp KIND RESTRICT: an ntpsec config for the hosts of KIND. No time
# source and no clock discipline: the clock is the host's (not namespaced).
survey_ntp() {
	local kind=$1 restrict=$2 a
	echo "# ntp.conf: survey server $kind (made by lab/up)."
	# Only KIND's addresses (ntpd also takes the loopback ones when it
	# can: the first instance gets them, the next logs that it cannot).
	echo "interface ignore wildcard"
	echo "interface ignore all"
	for a in $(role_addrs "survey:$kind"); do echo "interface listen $a"; done
	cat <<EOF
disable kernel
disable ntp
restrict default $restrict
EOF
}

# survey_snmp COMMUNITY DIR: an snmpd config, its persistent data in DIR.
survey_snmp() {
	cat <<EOF
# snmpd.conf: a survey server (made by lab/up).
[snmp] persistentDir $2
rocommunity $1 default
rocommunity6 $1 default
sysDescr Linux survey-lab 6.1.0 #1 SMP x86_64 (nethealth lab)
sysContact lab@survey.test
sysLocation the nethealth lab
sysName survey-snmp
EOF
}

# survey_snmp_addrs KIND: snmpd's listening addresses (udp:A:161,udp6:[A]:161).
survey_snmp_addrs() {
	local a out=()
	for a in $(role_addrs "survey:$1"); do
		case $a in
		*:*) out+=("udp6:[$a]:161") ;;
		*) out+=("udp:$a:161") ;;
		esac
	done
	local IFS=,
	echo "${out[*]}"
}

# survey_xinetd KIND: xinetd with the internal dgram chargen on every
# address of KIND (one service per address: "bind" takes one).
survey_xinetd() {
	local kind=$1 a n=0
	cat <<EOF
# xinetd.conf: survey server $kind (made by lab/up).
defaults
{
	log_type = FILE $LOGS/survey-$kind.log
	instances = UNLIMITED
	cps = 0 0
}
EOF
	for a in $(role_addrs "survey:$kind"); do
		n=$((n + 1))
		cat <<EOF
service chargen
{
	id = chargen-dgram-$n
	type = INTERNAL
	socket_type = dgram
	protocol = udp
	user = root
	wait = yes
	bind = $a
EOF
		case $a in *:*) printf '\tflags = IPv6\n' ;; *) printf '\tflags = IPv4\n' ;; esac
		echo "}"
	done
}

# survey_up: every config and listener line (before any daemon starts).
survey_up() {
	local kind d
	rm -rf "${SURVEY:?}"
	for kind in $(survey_kinds); do
		mkdir -p "$SURVEY/$kind"
		d=$(survey_daemon "$kind")
		case $kind in
		dns-open | dns-closed)
			if [ "$kind" = dns-open ]; then
				survey_unbound "$kind" allow
			else
				survey_unbound "$kind" refuse
			fi >"$SURVEY/$kind/unbound.conf"
			unbound-checkconf "$SURVEY/$kind/unbound.conf" >/dev/null ||
				die "unbound-checkconf rejected $SURVEY/$kind/unbound.conf"
			survey_listen "$d" udp 53 "$kind"
			survey_listen "$d" tcp 53 "$kind"
			;;
		ntp-closed) survey_ntp "$kind" "ignore" >"$SURVEY/$kind/ntp.conf"
			survey_listen "$d" udp 123 "$kind"
			;;
		snmp-open) survey_snmp public "$SURVEY/$kind" >"$SURVEY/$kind/snmpd.conf"
			survey_listen "$d" udp 161 "$kind"
			;;
		snmp-closed) survey_snmp lab-private-9f3c "$SURVEY/$kind" >"$SURVEY/$kind/snmpd.conf"
			survey_listen "$d" udp 161 "$kind"
			;;
		memcached-udp)
			survey_listen "$d" udp 11211 "$kind"
			survey_listen "$d" tcp 11211 "$kind"
			;;
		memcached-tcp) survey_listen "$d" tcp 11211 "$kind" ;;
		ntp-open | monlist) survey_listen "$d" udp 123 "$kind" ;;
		ssdp) survey_listen "$d" udp 1900 "$kind" ;;
		chargen) survey_xinetd "$kind" >"$SURVEY/$kind/xinetd.conf"
			survey_listen "$d" udp 19 "$kind"
			;;
		*) die "hosts.tsv: unknown role survey:$kind" ;;
		esac
	done
}

# survey_fake_specs: KIND=ADDR arguments of lab/fakes/survey-udp.pl.
survey_fake_specs() {
	local kind a
	for kind in ntp-open monlist ssdp; do
		for a in $(role_addrs "survey:$kind"); do echo "${kind%-open}=$a"; done
	done
}

# survey_bg PIDFILE LOG CMD...: CMD (which stays in the foreground) in
# nh-srv, in the background, its pid in PIDFILE.
survey_bg() {
	local pidfile=$1 log=$2
	shift 2
	# shellcheck disable=SC2016 # $$ is the inner shell's pid
	ip netns exec "$NS_SRV" setsid sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" \
		</dev/null >>"$log" 2>&1 &
}

# start_survey KIND|fakes: start one survey daemon in nh-srv.
start_survey() {
	local kind=$1 dir=$SURVEY/$1 log=$LOGS/survey-$1.log a list=()
	case $kind in
	dns-open | dns-closed) in_srv unbound -c "$dir/unbound.conf" </dev/null >>"$log" 2>&1 ;;
	ntp-closed)
		survey_bg "$RUN/survey-$kind.pid" "$log" ntpd -n -c "$dir/ntp.conf" -l "$log"
		;;
	snmp-open | snmp-closed)
		# Its persistent data in the state folder, not /var/lib/snmp.
		SNMP_PERSISTENT_DIR=$dir survey_bg "$RUN/survey-$kind.pid" "$log" \
			snmpd -f -C -c "$dir/snmpd.conf" -I -smux -Lf "$log" "$(survey_snmp_addrs "$kind")"
		;;
	memcached-udp | memcached-tcp)
		for a in $(role_addrs "survey:$kind"); do list+=("$(bracket "$a")"); done
		local IFS=,
		local udp=11211
		[ "$kind" = memcached-udp ] || udp=0
		survey_bg "$RUN/survey-$kind.pid" "$log" memcached -u root -m 8 -p 11211 \
			-U "$udp" -l "${list[*]}"
		;;
	chargen)
		survey_bg "$RUN/survey-$kind.pid" "$log" xinetd -dontfork -stayalive \
			-f "$dir/xinetd.conf"
		;;
	fakes)
		# shellcheck disable=SC2046 # one argument per address
		ip netns exec "$NS_SRV" setsid perl "$LAB_DIR/fakes/survey-udp.pl" \
			--pidfile "$RUN/survey-fakes.pid" $(survey_fake_specs) \
			</dev/null >>"$LOGS/survey-fakes.log" 2>&1 &
		;;
	*) die "unknown survey daemon $kind" ;;
	esac
}
