# shellcheck shell=bash
# mail.sh: the lab's private Postfix instance (sourced by lab/up): renders
# lab/mail/main.cf, lab/mail/master.cf and lab/mail/services/*.cf into
# state/postfix/etc and records the addresses its smtpd services listen on.

POSTFIX=$STATE/postfix

mail_up() {
	local domains interfaces f h
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
	# Postfix re-reads a config file younger than ~2 s until it "settles":
	# backdate them, or each start waits ~1.8 s.
	touch -d '-1 minute' "$POSTFIX/etc/main.cf" "$POSTFIX/etc/master.cf"
	# "ADDR:smtp inet ..." lines: the addresses smtpd must listen on.
	sed -n 's/^\(\[[^]]*\]\|[0-9.]*\):\(smtp\|25\)[[:space:]]\{1,\}inet.*/postfix tcp \1:25/p' \
		"$POSTFIX/etc/master.cf" >>"$RUN/listeners"
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
