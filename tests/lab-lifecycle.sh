#!/bin/bash
# lab-lifecycle.sh: the lab's life cycle: lab/up twice in a row works and the
# second start replaces the first; lab/status agrees; lab/down leaves no lab
# process and no lab namespace behind, can run twice, and lab/status and
# lab/exec then report the lab down. Prints TAP lines; leaves the lab DOWN.
# Run from the repository root, outside the integration suite (which needs
# the lab up all along).
set -u
. tests/integration/lib.sh

STATE=$(cd "$LAB" && pwd -P)/state
# Daemon process names (comm) the lab starts: NSD names its processes
# "nsd: main" and so on; Postfix's are its master and services. Anchored,
# because kernel threads are called e.g. "kworker/u8:0-events_unbound".
NAMES="^nsd ^unbound$ ^nginx ^gnutls-serv$ ^master$ ^qmgr$ ^pickup$ ^smtpd$
	^postlogd$ ^tlsmgr$ ^anvil$ ^cleanup$ ^trivial-rewrit ^discard$
	^ntpd$ ^snmpd$ ^memcached$ ^xinetd$"

# pidfile_pids: the pids named by the lab's pid files.
pidfile_pids() {
	cat "$STATE"/run/*.pid "$STATE/postfix/spool/pid/master.pid" 2>/dev/null |
		tr -dc '0-9\n'
}

# alive PID...: those of PID that still run (zombies do not).
alive() {
	local p
	for p in "$@"; do
		grep -qs '^State:[[:space:]]*[A-Y]' "/proc/$p/status" && echo "$p"
	done
	return 0
}

# lab_processes: processes that look like the lab's (state path or name),
# with their command lines, excluding this script's own pipeline.
lab_processes() {
	{
		pgrep -f "$STATE/"
		for n in $NAMES; do pgrep "$n"; done
	} | sort -u | while read -r p; do
		[ "$p" = "$$" ] && continue
		# A zombie is gone: here PID 1 reaps orphans only every few seconds.
		grep -qs '^State:[[:space:]]*[A-Y]' "/proc/$p/status" || continue
		printf '%s %s\n' "$p" "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-120)"
	done | grep -v -e 'pgrep' -e 'lab-lifecycle' || true
}

t0=$(date +%s.%N)
check "lab/up (first) succeeds" "$LAB/up"
# shellcheck disable=SC2207 # pids are words
first=($(pidfile_pids))
check "lab/up (second, in a row) succeeds" "$LAB/up"
check_eq "the second lab/up stopped the first one's daemons" "" "$(alive "${first[@]}")"
check "lab/status exits 0 when up" "$LAB/status"
check_eq "lab/exec passes the exit status through" 3 \
	"$("$LAB/exec" sh -c 'exit 3' >/dev/null 2>&1; echo $?)"
check_eq "lab/exec passes stdin and stdout through" "lab" "$(echo lab | "$LAB/exec" cat)"
check_eq "the host's /etc/resolv.conf is untouched by lab/exec" \
	"$(sha256sum </etc/resolv.conf)" \
	"$("$LAB/exec" true && sha256sum </etc/resolv.conf)"
# shellcheck disable=SC2207
running=($(pidfile_pids))
check "lab/down succeeds" "$LAB/down"
check_eq "no process named by a pid file is alive" "" "$(alive "${running[@]}")"
check_eq "no lab process is left (state path or daemon name)" "" "$(lab_processes)"
check_eq "no nh-* namespace is left" "" "$(ip netns list | grep '^nh-')"
check_eq "no lab veth is left in the host namespace" "" "$(ip -o link show | grep -E 'nhsrv0|nhcli0')"
check "lab/down again (lab already down) succeeds" "$LAB/down"
if "$LAB/status" >/dev/null 2>&1; then
	not_ok "lab/status exits non-zero when down"
else
	ok "lab/status exits non-zero when down"
fi
if "$LAB/exec" true >/dev/null 2>&1; then
	not_ok "lab/exec fails when the lab is down"
else
	ok "lab/exec fails when the lab is down"
fi
diag "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "life cycle took %.1f s", b - a }')"
exit 0
