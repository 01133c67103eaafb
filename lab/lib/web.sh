# shellcheck shell=bash
# web.sh: the lab's web servers (sourced by lab/up): renders the nginx config
# from lab/web/ (and clear-signs the files there that ask for it, with gpg)
# and the gnutls-serv hosts from lab/web/gnutls/, lists the fake TLS endpoints
# (lab/fakes/faketls.pl, hosts with role faketls:<mode>), and records the
# addresses each must listen on (state/run/listeners).

NGINX=$STATE/nginx

# gnutls_key HOST KEY: one setting of lab/web/gnutls/HOST.conf.
gnutls_key() {
	local f=$LAB_DIR/web/gnutls/$1.conf k v
	[ -r "$f" ] || die "host $1 has role gnutls but no lab/web/gnutls/$1.conf"
	while IFS=$' \t' read -r k v; do
		[ "$k" = "$2" ] && { printf '%s\n' "$v"; return 0; }
	done < <(data_rows "$f")
	die "lab/web/gnutls/$1.conf: no '$2'"
}

# bracket ADDR: ADDR as it appears in a socket address ([v6]).
bracket() {
	case $1 in
	*:*) echo "[$1]" ;;
	*) echo "$1" ;;
	esac
}

# nginx_listeners CONF: "nginx tcp ADDR:PORT" for each listen directive.
nginx_listeners() {
	sed -n 's/^[[:space:]]*listen[[:space:]]\{1,\}\([^[:space:];]*\).*/nginx tcp \1/p' "$@"
}

web_up() {
	local h a expires
	expires=$(date -u -d '+182 days' +%Y-%m-%dT%H:%M:%SZ)
	rm -rf "${NGINX:?}"
	mkdir -p "$NGINX/sites" "$NGINX/tmp"
	render "$LAB_DIR/web/nginx.conf" "$NGINX/nginx.conf"
	# The includes and sites, rendered in place (one sed for all of them).
	cp "$LAB_DIR"/web/*.inc "$NGINX/"
	cp "$LAB_DIR"/web/sites/*.conf "$NGINX/sites/"
	sed -i -e "s|@LAB@|$LAB_DIR|g" -e "s|@STATE@|$STATE|g" -e "s|@EXPIRES@|$expires|g" \
		"$NGINX"/*.inc "$NGINX"/sites/*.conf
	web_clearsign "$expires"
	: >"$NGINX/stream.conf"
	for h in $(hosts_with_role gnutls); do
		{
			echo "# $h: TCP pass-through to its gnutls-serv"
			echo "server {"
			for a in $(host_addrs "$h"); do
				echo "	listen $(bracket "$a"):$(gnutls_key "$h" port);"
			done
			echo "	proxy_pass 127.0.0.1:$(gnutls_key "$h" backend);"
			echo "}"
		} >>"$NGINX/stream.conf"
		echo "gnutls-$h tcp *:$(gnutls_key "$h" backend)" >>"$RUN/listeners"
	done
	nginx_listeners "$NGINX"/sites/*.conf "$NGINX/stream.conf" | sort -u >>"$RUN/listeners"
	faketls_specs | sed 's/^[a-z]*=\(.*\)/faketls tcp \1/' >>"$RUN/listeners"
}

# web_clearsign EXPIRES: every lab/web/sites/NAME.clearsign, @EXPIRES@ filled
# in, OpenPGP clear-signed (RFC 4880 §7, Hash: SHA256) into NGINX/sites/NAME
# with the lab's throwaway key (gpg's future-default: Ed25519 and a Curve25519
# encryption subkey; no passphrase; made once in state/gnupg), whose public
# half goes to NGINX/lab-pgp-key.asc. Signed at every start: Expires changes.
# gpg starts an agent; it is stopped before returning.
web_clearsign() {
	local gh=$STATE/gnupg uid="nethealth Lab <security@lab.test>" rc=0
	local gpg=(gpg --homedir "$gh" --batch --no-tty --pinentry-mode loopback --passphrase '')
	local tpl=("$LAB_DIR"/web/sites/*.clearsign)
	[ -e "${tpl[0]}" ] || return 0
	mkdir -p "$gh"
	chmod 700 "$gh"
	(
		"${gpg[@]}" --list-secret-keys "$uid" >/dev/null 2>&1 ||
			"${gpg[@]}" --quick-gen-key "$uid" future-default default never || exit 1
		for f in "${tpl[@]}"; do
			sed "s|@EXPIRES@|$1|g" "$f" |
				"${gpg[@]}" --yes --local-user "$uid" --digest-algo SHA256 --clearsign \
					--output "$NGINX/sites/$(basename "$f" .clearsign)" || exit 1
		done
		"${gpg[@]}" --armor --export "$uid" >"$NGINX/lab-pgp-key.asc"
	) >>"$LOGS/gpg.log" 2>&1 || rc=$?
	gpgconf --homedir "$gh" --kill gpg-agent >>"$LOGS/gpg.log" 2>&1 || true
	[ "$rc" -eq 0 ] || die "gpg could not sign lab/web/sites/*.clearsign (see $LOGS/gpg.log)"
}

# faketls_specs: "MODE=ADDR:443" for every address of every host with role
# faketls:MODE ([ADDR] for IPv6).
faketls_specs() {
	local role h a
	for role in $(all_roles); do
		case $role in faketls:*) ;; *) continue ;; esac
		for h in $(hosts_with_role "$role"); do
			for a in $(host_addrs "$h"); do
				echo "${role#faketls:}=$(bracket "$a"):443"
			done
		done
	done
}

# start_faketls: lab/fakes/faketls.pl for every faketls host, in the
# background, in nh-srv; it writes its pid file once it listens.
start_faketls() {
	# shellcheck disable=SC2046 # one argument per socket
	ip netns exec "$NS_SRV" setsid perl "$LAB_DIR/fakes/faketls.pl" \
		--pidfile "$RUN/faketls.pid" --chain "$STATE/pki/faketls.chain.pem" \
		$(faketls_specs) </dev/null >>"$LOGS/faketls.log" 2>&1 &
}

# start_gnutls HOST: gnutls-serv for HOST, in the background, in nh-srv.
start_gnutls() {
	local h=$1 cert prio
	cert=$(gnutls_key "$h" cert)
	prio=$(gnutls_key "$h" priority)
	# Not in_srv: a function run in the background keeps a bash process
	# waiting for it; a plain command is exec'd.
	# shellcheck disable=SC2016 # $$ is the inner shell's pid
	ip netns exec "$NS_SRV" setsid sh -c 'echo $$ >"$0"; exec "$@"' "$RUN/gnutls-$h.pid" \
		gnutls-serv --http --quiet --disable-client-cert \
		--port "$(gnutls_key "$h" backend)" \
		--x509certfile "$STATE/pki/$cert.chain.pem" \
		--x509keyfile "$STATE/pki/$cert.key" \
		--priority "$prio" </dev/null >>"$LOGS/gnutls-$h.log" 2>&1 &
}
