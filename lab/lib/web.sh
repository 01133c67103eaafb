# shellcheck shell=bash
# web.sh: the lab's web servers (sourced by lab/up): renders the nginx config
# from lab/web/ and the gnutls-serv hosts from lab/web/gnutls/, and records the
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
	local f h a expires
	expires=$(date -u -d '+182 days' +%Y-%m-%dT%H:%M:%SZ)
	rm -rf "${NGINX:?}"
	mkdir -p "$NGINX/sites" "$NGINX/tmp"
	render "$LAB_DIR/web/nginx.conf" "$NGINX/nginx.conf"
	for f in "$LAB_DIR"/web/*.inc; do
		render "$f" "$NGINX/$(basename "$f")" "EXPIRES=$expires"
	done
	for f in "$LAB_DIR"/web/sites/*.conf; do
		render "$f" "$NGINX/sites/$(basename "$f")" "EXPIRES=$expires"
	done
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
}

# start_gnutls HOST: gnutls-serv for HOST, in the background, in nh-srv.
start_gnutls() {
	local h=$1 cert prio
	cert=$(gnutls_key "$h" cert)
	prio=$(gnutls_key "$h" priority)
	# shellcheck disable=SC2016 # $$ is the inner shell's pid
	in_srv setsid sh -c 'echo $$ >"$0"; exec "$@"' "$RUN/gnutls-$h.pid" \
		gnutls-serv --http --quiet --disable-client-cert \
		--port "$(gnutls_key "$h" backend)" \
		--x509certfile "$STATE/pki/$cert.chain.pem" \
		--x509keyfile "$STATE/pki/$cert.key" \
		--priority "$prio" </dev/null >>"$LOGS/gnutls-$h.log" 2>&1 &
}
