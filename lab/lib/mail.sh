# shellcheck shell=bash
# mail.sh: the lab's private Postfix instance (sourced by lab/up): renders
# lab/mail/main.cf, lab/mail/master.cf and lab/mail/services/*.cf into
# state/postfix/etc and records the addresses its smtpd services listen on.
# Also the STARTTLS front (lab/fakes/starttls-front.pl, daemon "starttls"):
# port 25 of every host with role starttls:<backend-host>:<mx-name> greets
# as <mx-name> and, after STARTTLS, relays to port 443 of <backend-host>'s
# first (IPv4) address; one process for all such hosts, started in the
# background like faketls (start_starttls), its sockets recorded here.

POSTFIX=$STATE/postfix

mail_up() {
	local domains interfaces f h specs
	domains=$(scenario_rows | cut -f1 | paste -sd, | sed 's/,/, /g')
	interfaces=$(role_addrs postfix | paste -sd, | sed 's/,/, /g')
	rm -rf "${POSTFIX:?}/etc"
	mkdir -p "$POSTFIX/etc" "$POSTFIX/spool/data"
	chown postfix: "$POSTFIX/spool/data"
	render "$LAB_DIR/mail/main.cf" "$POSTFIX/etc/main.cf" \
		"DOMAINS=$domains" "INTERFACES=$interfaces"
	cp "$LAB_DIR/mail/master.cf" "$POSTFIX/etc/master.cf"
	for h in $(hosts_with_role postfix); do
		f=$LAB_DIR/mail/services/$h.cf
		[ -r "$f" ] || die "host $h has role postfix but no lab/mail/services/$h.cf"
	done
	for f in "$LAB_DIR"/mail/services/*.cf; do
		render "$f" "$POSTFIX/etc/$(basename "$f")"
		cat "$POSTFIX/etc/$(basename "$f")" >>"$POSTFIX/etc/master.cf"
		rm "$POSTFIX/etc/$(basename "$f")"
	done
	mail_fakes
	# Postfix re-reads a config file younger than ~2 s until it "settles":
	# backdate them, or each start waits ~1.8 s.
	touch -d '-1 minute' "$POSTFIX/etc/main.cf" "$POSTFIX/etc/master.cf"
	# "ADDR:smtp inet ..." and "ADDR:PORT inet ..." lines: the sockets the
	# master must listen on.
	sed -n -e 's/^\(\[[^]]*\]\|[0-9.]*\):smtp[[:space:]]\{1,\}inet.*/postfix tcp \1:25/p' \
		-e 's/^\(\[[^]]*\]\|[0-9.]*\):\([0-9]\{1,\}\)[[:space:]]\{1,\}inet.*/postfix tcp \1:\2/p' \
		"$POSTFIX/etc/master.cf" >>"$RUN/listeners"
	specs=$(starttls_specs)
	[ -z "$specs" ] || cut -d, -f2 <<<"$specs" | sed 's/^/starttls tcp /' >>"$RUN/listeners"
}

# starttls_specs: "MX-NAME,ADDR:25,BACKEND-ADDR:443" for every address of
# every host with role starttls:<backend-host>:<mx-name> ([ADDR] for IPv6).
starttls_specs() {
	local role h a be name
	for role in $(all_roles); do
		case $role in starttls:*:*) ;; *) continue ;; esac
		be=${role#starttls:}
		name=${be#*:}
		be=$(host_addrs "${be%%:*}" | head -n 1)
		[ -n "$be" ] || die "role $role: no host ${role#starttls:} in hosts.tsv"
		for h in $(hosts_with_role "$role"); do
			for a in $(host_addrs "$h"); do
				echo "$name,$(bracket "$a"):25,$(bracket "$be"):443"
			done
		done
	done
}

# start_starttls: lab/fakes/starttls-front.pl for every starttls host, in the
# background, in nh-srv; it writes its pid file once it listens.
start_starttls() {
	# shellcheck disable=SC2046 # one argument per socket
	ip netns exec "$NS_SRV" setsid perl "$LAB_DIR/fakes/starttls-front.pl" \
		--pidfile "$RUN/starttls.pid" $(starttls_specs) </dev/null >>"$LOGS/starttls.log" 2>&1 &
}

# mail_fakes: what the spawn(8) services of lab/mail/services/ run
# (lab/fakes/smtp421.pl). spawn runs a command as an unprivileged user
# (nobody: it refuses root and the mail owner) in the queue folder, and
# nobody may be unable to traverse the checkout's parent folders (a clone
# below /root): so a copy of the script, a state folder and a log it can
# write sit in the queue folder's fakes/, which the command reaches by a
# relative path. The log is linked from state/log; state and log start empty.
mail_fakes() {
	local d=$POSTFIX/spool/fakes
	rm -rf "$d"
	mkdir -p "$d/state"
	cp "$LAB_DIR/fakes/smtp421.pl" "$d/"
	: >"$d/smtp421.log"
	chown nobody: "$d/state" "$d/smtp421.log"
	chmod 755 "$d"
	ln -sfn "$d/smtp421.log" "$LOGS/smtp421.log"
}

# in_srv_tty CMD...: run CMD in nh-srv on a pseudo-terminal: Postfix reports
# errors on a terminal only (there is no syslog here), so this keeps them.
in_srv_tty() {
	local cmd
	cmd=$(printf '%q ' ip netns exec "$NS_SRV" "$@")
	SHELL=/bin/bash script -qec "$cmd" /dev/null </dev/null
}

# start_postfix: the master daemon, directly: "postfix start" would spend a
# second on checks. The first start creates the queue folders ("postfix check").
start_postfix() {
	local log=$LOGS/postfix.start.log
	if [ ! -d "$POSTFIX/spool/maildrop" ]; then
		in_srv_tty postfix -c "$POSTFIX/etc" check >>"$log" 2>&1 || return 1
	fi
	in_srv_tty /usr/lib/postfix/sbin/master -c "$POSTFIX/etc" -w >>"$log" 2>&1 && return 0
	# The master says nothing on failure; "postfix check" often says why.
	in_srv_tty postfix -c "$POSTFIX/etc" check >>"$log" 2>&1
	return 1
}
