# shellcheck shell=bash
# dns.sh: the lab's DNS (sourced by lab/up). Renders the scenario zones from
# lab/zones, signs them (keys made once, signatures made at every start),
# generates the test. and root zones, and writes the configs of the NSD
# instances, of the unbound daemon and of libunbound clients.

DNS=$STATE/dns
SCENARIOS_TSV=$LAB_DIR/scenarios.tsv
SERIAL=$(date +%s)

# scenario_rows: "domain signing expected" for each scenario, tab-separated.
scenario_rows() { data_rows "$SCENARIOS_TSV" | cut -f1-3; }

# keydir ZONE [SUFFIX]: where ZONE's keys are kept ("." is "root").
keydir() {
	local z=${1%.}
	echo "$DNS/keys/${z:-root}${2:-}"
}

# zone_keys ZONE DIR [ALG BITS]: a KSK and a ZSK of algorithm ALG (default
# ECDSAP256SHA256; BITS for RSA) for ZONE in DIR, made once; DIR/ksk holds the
# KSK's file name, DIR/alg the algorithm (remade when it changes).
zone_keys() {
	local zone=$1 dir=$2 alg=${3:-ECDSAP256SHA256} bits=() have
	[ -n "${4:-}" ] && bits=(-b "$4")
	have=ECDSAP256SHA256
	[ -s "$dir/alg" ] && read -r have <"$dir/alg"
	[ -s "$dir/ksk" ] && [ -s "$dir/zsk" ] && [ "$have" = "$alg" ] && return 0
	rm -rf "$dir"
	mkdir -p "$dir"
	echo "$alg" >"$dir/alg"
	# Quiet unless it fails: RSASHA1 draws a deprecation warning.
	{
		dnssec-keygen -q -K "$dir" -a "$alg" "${bits[@]}" -f KSK -n ZONE "$zone" >"$dir/ksk.new" &&
			dnssec-keygen -q -K "$dir" -a "$alg" "${bits[@]}" -n ZONE "$zone" >"$dir/zsk"
	} 2>"$dir/keygen.log" || {
		cat "$dir/keygen.log" >&2
		die "dnssec-keygen failed for $zone"
	}
	mv "$dir/ksk.new" "$dir/ksk"
}

# ds_of DIR [DIGEST...]: the DS records of the KSK kept in DIR, one per
# digest type (default 2, SHA-256).
ds_of() {
	local dir=$1 t
	shift
	for t in "${@:-2}"; do
		# Quiet unless it fails: a SHA-1 digest draws a deprecation warning.
		dnssec-dsfromkey "-$t" "$dir/$(cat "$dir/ksk").key" 2>"$dir/dsfromkey.log" || {
			cat "$dir/dsfromkey.log" >&2
			die "dnssec-dsfromkey failed for $dir"
		}
	done
}

# sign_zone ZONE MODE IN OUT: sign IN into OUT with ZONE's keys.
sign_zone() {
	local zone=$1 mode=$2 in=$3 out=$4 dir opts
	dir=$(keydir "$zone")
	scenario_keys "$zone" "$mode"
	opts=(-q -S -x -K "$dir" -d "$DNS/tmp" -o "$zone" -f "$out")
	case $mode in
	nsec | dsmismatch | rsasha1) ;;
	nsec3) opts+=(-3 - -H 0) ;;
	nsec3iter) opts+=(-3 abcdef -H 10) ;;
	expired)
		# Expired a week ago: validators allow clock skew of up to 10% of
		# a signature's lifetime, capped at one day (unbound's
		# val-sig-skew-max); an expiry only one day back is a coin toss.
		opts+=(-P -s "$(date -u -d '-30 days' +%Y%m%d%H%M%S)"
			-e "$(date -u -d '-7 days' +%Y%m%d%H%M%S)")
		;;
	*) die "scenarios.tsv: $zone: unknown signing '$mode'" ;;
	esac
	dnssec-signzone "${opts[@]}" "$in" >"$DNS/tmp/$zone.sign.log" 2>&1 || {
		cat "$DNS/tmp/$zone.sign.log" >&2
		die "dnssec-signzone failed for $zone"
	}
}

# render_zone DOMAIN: lab/zones/DOMAIN.zone with its placeholders filled in,
# except @SERIAL@ (check_zone fills that in), into DNS/tmp/DOMAIN.src.
render_zone() {
	local d=$1 src=$LAB_DIR/zones/$1.zone args=() ph name value lines re
	[ -r "$src" ] || die "scenarios.tsv: $d: no zone file lab/zones/$d.zone"
	# Fast path, without a process (lab/up renders every zone at every
	# start): a file with no "@NAME:ARG@" anywhere, comments included, is
	# copied as it is.
	re='@[A-Z0-9]*:[^@ ]*@'
	mapfile -t lines <"$src"
	if ! [[ ${lines[*]} =~ $re ]]; then
		printf '%s\n' "${lines[@]}" >"$DNS/tmp/$d.src"
		return 0
	fi
	# Placeholders on comment lines (";" first) are left alone.
	while read -r ph; do
		[ -n "$ph" ] || continue
		name=${ph#*:}
		name=${name%@}
		case $ph in
		@TLSA311:*) value=$(tlsa311 "$name") ;;
		@DKIM:*) value=$(dkim_strings "$name") ;;
		*) die "lab/zones/$d.zone: unknown placeholder $ph" ;;
		esac
		args+=(-e "s|$ph|$value|g")
	done < <(grep -v '^[[:space:]]*;' "$src" | grep -o '@[A-Z0-9]*:[^@ ]*@' | sort -u)
	sed -e '' "${args[@]}" "$src" >"$DNS/tmp/$d.src"
}

# check_zone DOMAIN: DNS/tmp/DOMAIN.src with its serial into
# DNS/zones/DOMAIN.zone; loads it (named-checkzone) into DNS/tmp/DOMAIN.canon.
check_zone() {
	local d=$1 dst=$DNS/zones/$1.zone
	sed "s|@SERIAL@|$SERIAL|g" "$DNS/tmp/$d.src" >"$dst"
	if grep -v '^[[:space:]]*;' "$dst" | grep -q '@[A-Z][A-Z0-9]*\(:[^@ ]*\)\{0,1\}@'; then
		die "lab/zones/$d.zone: unknown placeholder"
	fi
	named-checkzone -D -o "$DNS/tmp/$d.canon" "$d" "$dst" \
		>"$DNS/tmp/$d.check.log" 2>&1 || {
		cat "$DNS/tmp/$d.check.log" >&2
		die "lab/zones/$d.zone does not load"
	}
}

# delegation DOMAIN MODE: DOMAIN's NS records (taken from its own apex), the
# glue for name servers inside it, and its DS (a rogue key's for dsmismatch;
# SHA-1 and SHA-256 digests for rsasha1).
delegation() {
	local d=$1 mode=$2 canon=$DNS/tmp/$1.canon
	awk -v z="$d." '$1 == z && $4 == "NS" { print }' "$canon"
	awk -v z="$d." '$1 == z && $4 == "NS" { print $5 }' "$canon" |
		while read -r ns; do
			case $ns in
			*".$d.") awk -v n="$ns" '$1 == n && ($4 == "A" || $4 == "AAAA")' "$canon" ;;
			esac
		done
	case $mode in
	unsigned) ;;
	dsmismatch) ds_of "$(keydir "$d" -rogue)" ;;
	rsasha1) ds_of "$(keydir "$d")" 1 2 ;;
	*) ds_of "$(keydir "$d")" ;;
	esac
}

# scenario_keys DOMAIN MODE: make DOMAIN's keys if MODE needs them.
scenario_keys() {
	case $2 in
	unsigned) ;;
	rsasha1) zone_keys "$1" "$(keydir "$1")" RSASHA1 2048 ;;
	dsmismatch)
		zone_keys "$1" "$(keydir "$1")"
		zone_keys "$1" "$(keydir "$1" -rogue)"
		;;
	*) zone_keys "$1" "$(keydir "$1")" ;;
	esac
}

# scenario_zone DOMAIN MODE: render, check and sign one scenario zone into
# DNS/zones/DOMAIN.db, and write its delegation into DNS/tmp/DOMAIN.deleg.
# The result is kept in DNS/cache and reused (its serial and signatures
# included) while the rendered zone, MODE, the keys and this file stay the
# same and it is less than a day old.
scenario_zone() {
	local d=$1 mode=$2 c=$DNS/cache/$1 fp old=
	render_zone "$d"
	scenario_keys "$d" "$mode"
	# (keydir inlined: a scenario domain has no trailing dot.)
	fp=$({
		echo "$mode"
		cat "$DNS/tmp/$d.src" "${BASH_SOURCE[0]}" "$DNS/keys/$d"/*.key \
			"$DNS/keys/$d-rogue"/*.key 2>/dev/null || true
	} | sha256sum)
	[ -s "$c.fp" ] && read -r old <"$c.fp"
	if [ "$old" = "$fp" ] && [ "$c.db" -nt "$DNS/tmp/stale" ] &&
		[ ! "$c.db" -nt "$DNS/tmp/now" ]; then
		cp "$c.zone" "$c.db" "$DNS/zones/"
		cp "$c.deleg" "$DNS/tmp/$d.deleg"
		return 0
	fi
	check_zone "$d"
	if [ "$mode" = unsigned ]; then
		cp "$DNS/zones/$d.zone" "$DNS/zones/$d.db"
	else
		sign_zone "$d" "$mode" "$DNS/zones/$d.zone" "$DNS/zones/$d.db"
	fi
	delegation "$d" "$mode" >"$DNS/tmp/$d.deleg"
	rm -f "$c.fp"
	cp "$DNS/zones/$d.zone" "$c.zone"
	cp "$DNS/zones/$d.db" "$c.db"
	cp "$DNS/tmp/$d.deleg" "$c.deleg"
	echo "$fp" >"$c.fp"
}

# addr_records NAME...: A and AAAA records of hosts.tsv names.
addr_records() {
	local h a
	for h in "$@"; do
		for a in $(host_addrs "$h"); do
			case $a in
			*:*) echo "$h. AAAA $a" ;;
			*) echo "$h. A $a" ;;
			esac
		done
	done
}

# tld_zone: the test. zone: its name servers, the addresses of every ".test"
# host of hosts.tsv, and one delegation per scenario.
tld_zone() {
	local h d
	{
		echo "\$TTL 3600"
		echo "test. SOA ns1.nic.test. hostmaster.nic.test. $SERIAL 3600 900 604800 300"
		for h in $(hosts_with_role nsd:tld); do echo "test. NS $h."; done
		# shellcheck disable=SC2046 # one word per host name
		addr_records $(data_rows "$HOSTS_TSV" | cut -f1 | grep '\.test$')
		for d in $(scenario_rows | cut -f1); do cat "$DNS/tmp/$d.deleg"; done
		[ ! -s "$DNS/tmp/gen.deleg" ] || cat "$DNS/tmp/gen.deleg"
	} >"$DNS/zones/test.zone"
	sign_zone test nsec "$DNS/zones/test.zone" "$DNS/zones/test.db"
}

# root_zone: the root zone (delegating test. with its DS), the root hints and
# the trust anchor (the DS of the root KSK).
root_zone() {
	local h
	{
		echo "\$TTL 86400"
		echo ". SOA a.root-servers.test. hostmaster.nic.test. $SERIAL 1800 900 604800 86400"
		for h in $(hosts_with_role nsd:root); do echo ". NS $h."; done
		# shellcheck disable=SC2046
		addr_records $(hosts_with_role nsd:root)
		for h in $(hosts_with_role nsd:tld); do echo "test. NS $h."; done
		# shellcheck disable=SC2046
		addr_records $(hosts_with_role nsd:tld)
		ds_of "$(keydir test)"
	} >"$DNS/zones/root.zone"
	sign_zone . nsec "$DNS/zones/root.zone" "$DNS/zones/root.db"
	ds_of "$(keydir .)" >"$DNS/root.ds"
	{
		for h in $(hosts_with_role nsd:root); do echo ". 3600000 NS $h."; done
		# shellcheck disable=SC2046
		addr_records $(hosts_with_role nsd:root) | sed 's/\. A/. 3600000 A/'
	} >"$DNS/root.hints"
}

# dns_zones: every zone, signed; the scenario zones in parallel.
dns_zones() {
	local d mode pids=() names=() i
	rm -rf "${DNS:?}/zones" "${DNS:?}/tmp"
	mkdir -p "$DNS/zones" "$DNS/tmp" "$DNS/keys" "$DNS/cache"
	# A kept zone is reused only if signed in the last day (and not in the
	# future: a clock set back would make its signatures not yet valid).
	touch "$DNS/tmp/now"
	touch -d '-1 day' "$DNS/tmp/stale"
	while IFS=$'\t' read -r d mode _; do
		scenario_zone "$d" "$mode" &
		pids+=($!)
		names+=("$d")
	done < <(scenario_rows)
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || die "zone ${names[$i]} failed (see above)"
	done
	# The generated scan domains (lab/lib/gen.sh), when asked for.
	[ "${GEN_N:-0}" -eq 0 ] || gen_zones
	tld_zone
	root_zone
}

# nsd_conf INSTANCE: the config of one NSD instance (role nsd:INSTANCE).
nsd_conf() {
	local inst=$1 a d
	echo "# nsd-$inst.conf: made by lab/up from lab/hosts.tsv"
	echo "server:"
	for a in $(role_addrs "nsd:$inst"); do echo "	ip-address: $a"; done
	cat <<EOF
	port: 53
	username: ""
	chroot: ""
	database: ""
	server-count: 1
	refuse-any: no
	rrl-ratelimit: 0
	rrl-whitelist-ratelimit: 0
	verbosity: 1
	zonesdir: "$DNS/zones"
	logfile: "$LOGS/nsd-$inst.log"
	pidfile: "$RUN/nsd-$inst.pid"
	zonelistfile: "$RUN/nsd-$inst.zonelist"
	xfrdfile: "$RUN/nsd-$inst.xfrd"
	xfrdir: "$RUN"
remote-control:
	control-enable: no
EOF
	case $inst in
	root) printf 'zone:\n\tname: "."\n\tzonefile: "root.db"\n' ;;
	tld) printf 'zone:\n\tname: "test."\n\tzonefile: "test.db"\n' ;;
	*)
		for d in $(scenario_rows | cut -f1); do
			printf 'zone:\n\tname: "%s."\n\tzonefile: "%s.db"\n' "$d" "$d"
		done
		# The generated scan domains' zones (lab/lib/gen.sh), if any.
		[ ! -s "$DNS/tmp/gen.nsd" ] || cat "$DNS/tmp/gen.nsd"
		;;
	esac
}

# resolver_common: the unbound settings shared by the daemon and libunbound.
resolver_common() {
	cat <<EOF
	root-hints: "$DNS/root.hints"
	trust-anchor-file: "$DNS/root.ds"
	do-ip4: yes
	do-ip6: yes
	# unbound serves test. as a built-in (RFC 6761) local zone: turn it off.
	local-zone: "test." nodefault
EOF
}

# dns_configs: NSD, unbound daemon, libunbound and resolv.conf configs.
dns_configs() {
	local role a
	mkdir -p "$STATE/nsd" "$STATE/unbound"
	for role in $(all_roles); do
		case $role in
		nsd:*)
			nsd_conf "${role#nsd:}" >"$STATE/nsd/${role#nsd:}.conf"
			nsd-checkconf "$STATE/nsd/${role#nsd:}.conf" ||
				die "nsd-checkconf rejected $STATE/nsd/${role#nsd:}.conf"
			;;
		esac
	done
	{
		echo "# resolver.conf: libunbound config for lab clients (made by lab/up)."
		echo "server:"
		resolver_common
	} >"$STATE/resolver.conf"
	{
		echo "# unbound.conf: the lab's recursive resolver (made by lab/up)."
		echo "server:"
		for a in $(role_addrs unbound); do echo "	interface: $a"; done
		cat <<EOF
	port: 53
	interface-automatic: no
	access-control: 198.51.100.0/24 allow
	access-control: 2001:db8:0:1::/64 allow
	username: ""
	chroot: ""
	directory: "$STATE/unbound"
	pidfile: "$RUN/unbound.pid"
	logfile: "$LOGS/unbound.log"
	use-syslog: no
	do-daemonize: yes
	num-threads: 1
	verbosity: 1
	val-log-level: 2
EOF
		resolver_common
		printf 'remote-control:\n\tcontrol-enable: no\n'
	} >"$STATE/unbound/unbound.conf"
	unbound-checkconf "$STATE/unbound/unbound.conf" >/dev/null ||
		die "unbound-checkconf rejected $STATE/unbound/unbound.conf"
	for a in $(role_addrs unbound); do echo "nameserver $a"; done >"$STATE/resolv.conf"
}

dns_up() {
	dns_zones
	dns_configs
}
