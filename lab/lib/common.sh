# shellcheck shell=bash
# common.sh: settings and small helpers shared by the lab scripts (sourced by
# lab/up, lab/down, lab/status and lab/exec; never run on its own).
#
# Every path is computed from this file's own location, so the lab works from
# any current directory and from any checkout of the repository.

# shellcheck disable=SC2034 # the settings are used by the files that source this

LAB_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)
STATE=$LAB_DIR/state
RUN=$STATE/run
LOGS=$STATE/log

# The two namespaces and the veth pair that joins them.
NS_SRV=nh-srv
NS_CLI=nh-cli
VETH_SRV=nhsrv0
VETH_CLI=nhcli0
SRV_GW4=198.51.100.254
SRV_GW6=2001:db8:0:1::fe
CLI_ADDR4=198.51.100.100
CLI_ADDR6=2001:db8:0:1::100

PROG=lab/$(basename "$0")

say() { printf '%s: %s\n' "$PROG" "$*"; }
warn() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() {
	warn "$*"
	exit 1
}

need_root() {
	[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces)"
}

ns_exists() { [ -e "/run/netns/$1" ]; }

# in_srv CMD...: run CMD in the server namespace.
in_srv() { ip netns exec "$NS_SRV" "$@"; }

# data_rows FILE: the data lines of a lab table (no comments, no blank lines).
data_rows() { grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$1"; }

# --- hosts.tsv: name, ipv4, ipv6 or "-", roles (comma-separated) ---

HOSTS_TSV=$LAB_DIR/hosts.tsv

# hosts_with_role ROLE: names of the hosts that run ROLE (e.g. nsd:root).
hosts_with_role() {
	data_rows "$HOSTS_TSV" | awk -F'\t' -v r="$1" '{
		n = split($4, roles, ",")
		for (i = 1; i <= n; i++) if (roles[i] == r) print $1
	}'
}

# host_addrs NAME: the host's addresses, one a line (IPv4 first, then IPv6).
host_addrs() {
	data_rows "$HOSTS_TSV" | awk -F'\t' -v h="$1" '$1 == h {
		print $2; if ($3 != "-") print $3
	}'
}

# role_addrs ROLE: the addresses of every host that runs ROLE.
role_addrs() {
	local h
	for h in $(hosts_with_role "$1"); do host_addrs "$h"; done
}

# all_roles: every distinct role in hosts.tsv.
all_roles() {
	data_rows "$HOSTS_TSV" | awk -F'\t' '{
		n = split($4, roles, ",")
		for (i = 1; i <= n; i++) if (!seen[roles[i]]++) print roles[i]
	}'
}

# --- daemons: one name per running program, derived from the roles ---

# lab_daemons: names of the daemons the lab runs, in start order.
lab_daemons() {
	local role fake=0 front=0 sfake=0
	for role in $(all_roles); do
		case $role in
		nsd:*) echo "nsd-${role#nsd:}" ;;
		esac
	done
	for role in $(all_roles); do
		case $role in
		unbound | nginx | postfix) echo "$role" ;;
		gnutls)
			local h
			for h in $(hosts_with_role gnutls); do echo "gnutls-$h"; done
			;;
		faketls:*) fake=1 ;;
		starttls:*) front=1 ;;
		# Survey servers (lab/lib/survey.sh): one daemon per kind; the
		# fake ones (ntp-open, monlist, ssdp) share lab/fakes/survey-udp.pl.
		survey:ntp-open | survey:monlist | survey:ssdp) sfake=1 ;;
		survey:*) echo "survey-${role#survey:}" ;;
		esac
	done
	# One faketls process serves every faketls:<mode> host, one starttls
	# process (lab/fakes/starttls-front.pl) every starttls:<backend>:<name> host.
	[ "$fake" -eq 0 ] || echo faketls
	[ "$front" -eq 0 ] || echo starttls
	[ "$sfake" -eq 0 ] || echo survey-fakes
}

# pidfile_of DAEMON: where DAEMON's pid is written.
pidfile_of() {
	case $1 in
	postfix) echo "$STATE/postfix/spool/pid/master.pid" ;;
	*) echo "$RUN/$1.pid" ;;
	esac
}

# pid_of DAEMON: its pid if the pid file names a live process in a lab
# namespace; nothing (status 1) otherwise. Guards against stale pid files.
pid_of() {
	local f pid ns
	f=$(pidfile_of "$1")
	[ -r "$f" ] || return 1
	pid=$(tr -dc '0-9' <"$f")
	[ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
	grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null && return 1
	ns=$(ip netns identify "$pid" 2>/dev/null || true)
	case $ns in
	"$NS_SRV" | "$NS_CLI") echo "$pid" ;;
	*) return 1 ;;
	esac
}

# render SRC DST: copy a template, replacing @LAB@ and @STATE@ and any extra
# NAME=VALUE pairs given after DST (as @NAME@).
render() {
	local src=$1 dst=$2 args kv
	shift 2
	args=(-e "s|@LAB@|$LAB_DIR|g" -e "s|@STATE@|$STATE|g")
	for kv in "$@"; do
		args+=(-e "s|@${kv%%=*}@|${kv#*=}|g")
	done
	sed "${args[@]}" "$src" >"$dst"
}
