# shellcheck shell=bash
# pki.sh: the lab's private PKI (sourced by lab/up). Makes, when absent, a root
# CA, an issuing CA, the certificates listed in lab/pki/certs.tsv, 1024-bit DH
# parameters and the DKIM keys that zone files ask for. Everything lives in
# state/pki and state/dkim and is reused by later starts.

PKI=$STATE/pki
CERTS_TSV=$LAB_DIR/pki/certs.tsv

# stamp DAYS: an openssl ca date (GeneralizedTime), DAYS from now (may be < 0).
stamp() { date -u -d "$1 days" +%Y%m%d%H%M%SZ; }

# pki_config: the openssl configuration used for every request and signature.
pki_config() {
	[ -e "$PKI/ca.cnf" ] && return 0
	cat >"$PKI/ca.cnf" <<EOF
# ca.cnf: openssl configuration of the lab PKI (made by lab/up).
[ ca ]
default_ca = lab_ca
[ lab_ca ]
database = $PKI/db/index.txt
new_certs_dir = $PKI/db
rand_serial = yes
default_md = sha256
policy = lab_policy
unique_subject = no
email_in_dn = no
preserve = yes
copy_extensions = none
[ lab_policy ]
organizationName = optional
commonName = supplied
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused
[ ext_root ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ ext_inter ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
	mkdir -p "$PKI/db"
	touch "$PKI/db/index.txt"
}

# new_key TYPE FILE: a private key of TYPE (ec256, ec384, rsaNNNN).
new_key() {
	local opt
	case $1 in
	ec256) opt=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256) ;;
	ec384) opt=(-algorithm EC -pkeyopt ec_paramgen_curve:P-384) ;;
	rsa[0-9]*) opt=(-algorithm RSA -pkeyopt "rsa_keygen_bits:${1#rsa}") ;;
	*) die "certs.tsv: unknown key type '$1'" ;;
	esac
	openssl genpkey "${opt[@]}" -out "$2" 2>/dev/null
	chmod 600 "$2"
}

# sign_csr CSR OUT ISSUER DIGEST FROM_DAYS TO_DAYS EXTFILE EXTSECTION
# ISSUER is "self:KEYFILE" or "CERTFILE:KEYFILE".
sign_csr() {
	local csr=$1 out=$2 issuer=$3 md=$4 from=$5 to=$6 extfile=$7 ext=$8
	local who=(-cert "${issuer%%:*}" -keyfile "${issuer#*:}")
	[ "${issuer%%:*}" = self ] && who=(-selfsign -keyfile "${issuer#*:}")
	openssl ca -batch -notext -config "$PKI/ca.cnf" "${who[@]}" \
		-in "$csr" -out "$out" -md "$md" \
		-startdate "$(stamp "$from")" -enddate "$(stamp "$to")" \
		-extfile "$extfile" -extensions "$ext" >>"$LOGS/pki.log" 2>&1 ||
		die "openssl ca failed for $out (see $LOGS/pki.log)"
}

# make_ca NAME KEYTYPE DIGEST SUBJECT ISSUER DAYS EXT: a CA certificate.
make_ca() {
	local name=$1 subj=$4 issuer=$5
	new_key "$2" "$PKI/$name.key"
	openssl req -new -config "$PKI/ca.cnf" -key "$PKI/$name.key" \
		-subj "$subj" -out "$PKI/$name.csr"
	[ "$issuer" = self ] && issuer=self:$PKI/$name.key
	sign_csr "$PKI/$name.csr" "$PKI/$name.pem" "$issuer" "$3" -1 "$6" \
		"$PKI/ca.cnf" "$7"
	rm -f "$PKI/$name.csr"
}

# pki_cas: the root CA and the issuing CA, when absent.
pki_cas() {
	if [ ! -s "$PKI/ca.pem" ] || [ ! -s "$PKI/ca.key" ]; then
		make_ca ca ec384 sha384 "/O=nethealth Lab/CN=nethealth Lab Root CA" \
			self 3650 ext_root
		rm -f "$PKI/inter.pem"
	fi
	if [ ! -s "$PKI/inter.pem" ] || [ ! -s "$PKI/inter.key" ]; then
		make_ca inter ec256 sha384 \
			"/O=nethealth Lab/CN=nethealth Lab Issuing CA" \
			"$PKI/ca.pem:$PKI/ca.key" 1825 ext_inter
	fi
}

# leaf_fresh NAME ROW: true if NAME's certificate exists, was made from ROW,
# is not older than the issuing CA and, if meant to be valid, is far from its end.
leaf_fresh() {
	local crt=$PKI/$1.crt kept="" validity
	[ -s "$crt" ] && [ -s "$PKI/$1.key" ] && [ -s "$PKI/$1.chain.pem" ] || return 1
	[ -r "$PKI/$1.row" ] && IFS= read -r kept <"$PKI/$1.row"
	[ "$kept" = "$2" ] || return 1
	[ "$PKI/inter.pem" -nt "$crt" ] && return 1
	# A "valid" certificate lasts 825 days from its making: remake it at 800
	# (PKI/.age800 is dated 800 days back by pki_leaves).
	IFS=$'\t' read -r _ _ _ _ validity _ <<<"$2"
	if [ "$validity" = valid ]; then
		[ "$crt" -nt "$PKI/.age800" ]
	fi
}

# OCSP_URL: the responder URL that certificates with option "ocsp" name in
# their Authority Information Access. Nothing answers there: the servers staple
# responses made by pki_ocsp (the name does not even resolve in the lab).
OCSP_URL=http://ocsp.lab-ca.test/

# make_leaf NAME KEY DIGEST ISSUER VALIDITY SANS [OPTIONS]: one row of
# certs.tsv; its key, PKI/NAME.key, is already made (pki_leaves).
make_leaf() {
	local name=$1 key=$2 md=$3 issuer=$4 validity=$5 sans=$6 opts=${7:-} o
	local ext=$PKI/$name.ext from to signer cn
	cn=${sans%%,*}
	case $validity in
	valid) from=-1 to=825 ;;
	expired) from=-395 to=-30 ;;
	*) die "certs.tsv: $name: unknown validity '$validity'" ;;
	esac
	case $issuer in
	inter | inter-nochain) signer=$PKI/inter.pem:$PKI/inter.key ;;
	root) signer=$PKI/ca.pem:$PKI/ca.key ;;
	self) signer=self:$PKI/$name.key ;;
	*) die "certs.tsv: $name: unknown issuer '$issuer'" ;;
	esac
	{
		echo "[ ext_leaf ]"
		echo "basicConstraints = critical,CA:FALSE"
		case $key in
		rsa*) echo "keyUsage = critical,digitalSignature,keyEncipherment" ;;
		*) echo "keyUsage = critical,digitalSignature" ;;
		esac
		echo "extendedKeyUsage = serverAuth"
		echo "subjectKeyIdentifier = hash"
		[ "$issuer" = self ] || echo "authorityKeyIdentifier = keyid:always"
		echo "subjectAltName = DNS:${sans//,/,DNS:}"
		for o in ${opts//,/ }; do
			case $o in
			ocsp) echo "authorityInfoAccess = OCSP;URI:$OCSP_URL" ;;
			-) ;;
			*) die "certs.tsv: $name: unknown option '$o'" ;;
			esac
		done
	} >"$ext"
	openssl req -new -config "$PKI/ca.cnf" -key "$PKI/$name.key" \
		-subj "/CN=$cn" -out "$PKI/$name.csr"
	sign_csr "$PKI/$name.csr" "$PKI/$name.crt" "$signer" "$md" "$from" "$to" \
		"$ext" ext_leaf
	if [ "$issuer" = inter ]; then
		cat "$PKI/$name.crt" "$PKI/inter.pem" >"$PKI/$name.chain.pem"
	else
		cp "$PKI/$name.crt" "$PKI/$name.chain.pem"
	fi
	rm -f "$PKI/$name.csr" "$ext"
}

# pki_leaves: every row of certs.tsv, made when missing or stale. The keys
# first, all at once in the background (RSA key generation is most of a cold
# start, and two run in about the time of one here); then the certificates,
# one at a time (openssl ca rewrites its database).
pki_leaves() {
	local row name key md issuer validity sans opts stale=() pids=() i
	touch -d '-800 days' "$PKI/.age800"
	while IFS= read -r row; do
		IFS=$'\t' read -r name key md issuer validity sans opts <<<"$row"
		[ -n "$sans" ] || die "certs.tsv: $name: needs 6 tab-separated columns"
		leaf_fresh "$name" "$row" || stale+=("$row")
	done < <(data_rows "$CERTS_TSV")
	for row in "${stale[@]}"; do
		IFS=$'\t' read -r name key _ <<<"$row"
		new_key "$key" "$PKI/$name.key" &
		pids+=($!)
	done
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || die "certs.tsv: no key for ${stale[$i]%%$'\t'*}"
	done
	for row in "${stale[@]}"; do
		IFS=$'\t' read -r name key md issuer validity sans opts <<<"$row"
		make_leaf "$name" "$key" "$md" "$issuer" "$validity" "$sans" "$opts"
		printf '%s\n' "$row" >"$PKI/$name.row"
	done
}

# pki_ocsp: for each certificate with option "ocsp", a "good" OCSP response
# signed by its issuer (the Issuing CA itself, no delegated responder), valid
# for 7 days, in NAME.ocsp.der for servers to staple (nginx
# ssl_stapling_file). Remade when missing, older than the certificate, or a
# day old. "openssl ocsp" acts as the responder on the CA's own database
# (db/index.txt) once; no responder ever runs.
pki_ocsp() {
	local name opts resp
	touch -d '-1 day' "$PKI/.age1d"
	while IFS=$'\t' read -r name _ _ _ _ _ opts; do
		case ",$opts," in *,ocsp,*) ;; *) continue ;; esac
		resp=$PKI/$name.ocsp.der
		if [ -s "$resp" ] && [ ! "$PKI/$name.crt" -nt "$resp" ] &&
			[ "$resp" -nt "$PKI/.age1d" ]; then
			continue
		fi
		if ! {
			openssl ocsp -issuer "$PKI/inter.pem" -cert "$PKI/$name.crt" -no_nonce \
				-reqout "$PKI/$name.ocsp.req" &&
				openssl ocsp -index "$PKI/db/index.txt" -CA "$PKI/inter.pem" \
					-rsigner "$PKI/inter.pem" -rkey "$PKI/inter.key" -rmd sha256 \
					-reqin "$PKI/$name.ocsp.req" -respout "$resp.tmp" -ndays 7
		} >>"$LOGS/pki.log" 2>&1; then
			die "openssl ocsp failed for $name (see $LOGS/pki.log)"
		fi
		mv "$resp.tmp" "$resp"
		rm -f "$PKI/$name.ocsp.req"
	done < <(data_rows "$CERTS_TSV")
}

# pki_up: everything the servers need, made when absent.
pki_up() {
	local dh="" g
	mkdir -p "$PKI" "$STATE/dkim"
	chmod 755 "$PKI"
	# The 1024-bit DH group takes 0.3 to 5 s (a prime search): in the
	# background while the certificates are made.
	if [ ! -s "$PKI/dh1024.pem" ]; then
		openssl dhparam -out "$PKI/dh1024.tmp" 1024 2>/dev/null &
		dh=$!
	fi
	pki_config
	pki_cas
	pki_leaves
	pki_ocsp
	if [ -n "$dh" ]; then
		wait "$dh" || die "openssl dhparam 1024 failed"
		mv "$PKI/dh1024.tmp" "$PKI/dh1024.pem"
	fi
	# The RFC 7919 groups (fixed primes, generator 2): nothing to compute.
	for g in ffdhe2048 ffdhe3072; do
		[ -s "$PKI/$g.pem" ] && continue
		openssl genpkey -genparam -algorithm DH -pkeyopt "group:$g" \
			-out "$PKI/$g.tmp" 2>>"$LOGS/pki.log" || die "no $g parameters"
		mv "$PKI/$g.tmp" "$PKI/$g.pem"
	done
}

# tlsa311 NAME: the TLSA 3 1 1 data (SHA-256 of the SubjectPublicKeyInfo),
# kept in NAME.tlsa311 until the certificate changes (openssl is slow to start).
# NAME is a certificate of certs.tsv, or a CA: ca or inter (PKI/NAME.pem; the
# same digest is the data of a DANE-TA record, TLSA 2 1 1).
tlsa311() {
	local crt=$PKI/$1.crt kept=$PKI/$1.tlsa311 tmp=$PKI/$1.tlsa311.$BASHPID
	case $1 in ca | inter) crt=$PKI/$1.pem ;; esac
	[ -s "$crt" ] || die "no certificate '$1' (not in certs.tsv?)"
	if [ ! -s "$kept" ] || [ "$crt" -nt "$kept" ]; then
		openssl x509 -in "$crt" -noout -pubkey |
			openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1 >"$tmp"
		mv "$tmp" "$kept"
	fi
	cat "$kept"
}

# dkim_strings NAME: the DKIM key NAME's public key (made when absent) as
# quoted TXT strings of at most 250 characters, kept in NAME.txt.
dkim_strings() {
	local key=$STATE/dkim/$1.key kept=$STATE/dkim/$1.txt tmp=$STATE/dkim/$1.txt.$BASHPID
	if [ ! -s "$key" ]; then
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
			-out "$key.tmp" 2>/dev/null
		chmod 600 "$key.tmp"
		mv "$key.tmp" "$key"
	fi
	if [ ! -s "$kept" ] || [ "$key" -nt "$kept" ]; then
		openssl pkey -in "$key" -pubout -outform DER | base64 -w0 |
			fold -w 250 | sed 's/.*/"&"/' | paste -sd' ' >"$tmp"
		mv "$tmp" "$kept"
	fi
	cat "$kept"
}
