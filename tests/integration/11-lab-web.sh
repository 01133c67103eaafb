#!/bin/bash
# 11-lab-web.sh: the lab's web servers: good.test over HTTPS on IPv4 and IPv6
# with the lab CA, its headers, redirect and security.txt; legacy.test's
# TLS 1.0 and weak suites; RC4 and 3DES on weakciphers.test (GnuTLS).
set -u
. tests/integration/lib.sh

# head_of URL CURL_ARGS...: the response headers, lower-cased, CRs removed.
head_of() {
	local url=$1
	shift
	in_lab curl -sS --max-time 5 -o /dev/null -D - "$@" "$url" | tr -d '\r' |
		tr '[:upper:]' '[:lower:]'
}

for v in 4 6; do
	h=$(head_of https://good.test/ "-$v")
	check_eq "https://good.test/ over IPv$v: HTTP/2 200 (lab CA trusted)" \
		"http/2 200" "$(head -n1 <<<"$h" | sed 's/ *$//')"
	check "https://good.test/ over IPv$v: HSTS header" \
		grep -qx 'strict-transport-security: max-age=31536000; includesubdomains' <<<"$h"
done
check_eq "https://good.test/ is served from 2001:db8:0:2::10 over IPv6" "2001:db8:0:2::10" \
	"$(in_lab curl -sS -6 --max-time 5 -o /dev/null -w '%{remote_ip}' https://good.test/)"
h=$(head_of https://www.good.test/)
for hdr in "x-frame-options: deny" "x-content-type-options: nosniff" \
	"referrer-policy: no-referrer" \
	"content-security-policy: default-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'"; do
	check "https://www.good.test/: ${hdr%%:*}" grep -qxF "$hdr" <<<"$h"
done
check "https://good.test/: no compression" \
	test -z "$(head_of https://good.test/ -H 'Accept-Encoding: gzip' | grep content-encoding)"

h=$(head_of 'http://good.test/a?b=c')
check_eq "http://good.test/ answers 301" "http/1.1 301 moved permanently" "$(head -n1 <<<"$h")"
check_eq "http://good.test/ redirects to https://good.test/ (path kept)" \
	"location: https://good.test/a?b=c" "$(grep '^location:' <<<"$h")"
check_eq "http://www.good.test/ over IPv6 redirects to https" \
	"location: https://www.good.test/" "$(head_of http://www.good.test/ -6 | grep '^location:')"

sec=$(in_lab curl -sS --max-time 5 -D - https://good.test/.well-known/security.txt | tr -d '\r')
check "security.txt: text/plain; charset=utf-8" grep -qix 'content-type: text/plain; charset=utf-8' <<<"$sec"
check "security.txt: Contact" grep -qx 'Contact: mailto:security@good.test' <<<"$sec"
check "security.txt: Canonical" grep -qx 'Canonical: https://good.test/.well-known/security.txt' <<<"$sec"
expires=$(sed -n 's/^Expires: //p' <<<"$sec")
days=$(( ($(date -d "$expires" +%s 2>/dev/null || echo 0) - $(date +%s)) / 86400 ))
check "security.txt: Expires about 6 months ahead ($expires)" test "$days" -ge 150 -a "$days" -le 200
check_eq "https://unsigned.test/ (own certificate, by SNI)" 200 \
	"$(in_lab curl -sS --max-time 5 -o /dev/null -w '%{http_code}' https://unsigned.test/)"

# openssl_lab ARGS...: openssl s_client in the lab; output with stderr.
s_client() { in_lab openssl s_client "$@" </dev/null 2>&1; }

res=$(s_client -connect legacy.test:443 -servername legacy.test -tls1 -cipher 'DEFAULT:@SECLEVEL=0')
check "legacy.test: TLS 1.0 handshake" grep -q '^ *Protocol *: TLSv1$' <<<"$res"
res=$(s_client -connect legacy.test:443 -tls1_2 -cipher 'aNULL:@SECLEVEL=0')
check "legacy.test: anonymous suite accepted" grep -Eq '^ *Cipher *: A(EC)?DH-' <<<"$res"
res=$(s_client -connect legacy.test:443 -tls1_2 -cipher 'eNULL:@SECLEVEL=0')
check "legacy.test: NULL cipher accepted" grep -Eq '^ *Cipher *: .*NULL' <<<"$res"
res=$(s_client -connect legacy.test:443 -servername legacy.test -tls1_2 -cipher 'ALL:@SECLEVEL=0')
check "legacy.test: RSA-1024 certificate" grep -q 'Server public key is 1024 bit' <<<"$res"
res=$(s_client -connect legacy.test:443 -tls1_3)
check "legacy.test: no TLS 1.3" grep -Eq 'alert protocol version|no protocols available|wrong version' <<<"$res"
h=$(head_of http://legacy.test/ -H 'Accept-Encoding: gzip')
check_eq "http://legacy.test/: 200, no redirect" "http/1.1 200 ok" "$(head -n1 <<<"$h")"
check "http://legacy.test/: gzip" grep -qx 'content-encoding: gzip' <<<"$h"
check_eq "legacy.test: no AAAA, so no IPv6 web" "" "$(in_lab dig +short AAAA www.legacy.test)"

res=$(s_client -connect good.test:443 -servername good.test -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0')
check "good.test: TLS 1.1 refused" grep -q 'alert protocol version' <<<"$res"

# sslscan finds RC4 and 3DES on weakciphers.test (GnuTLS behind nginx stream).
scan=$(in_lab sslscan --no-colour weakciphers.test:443 2>&1)
check "weakciphers.test: sslscan: RC4 accepted" grep -Eq '^(Accepted|Preferred) .*RC4' <<<"$scan"
check "weakciphers.test: sslscan: 3DES accepted" grep -Eq '^(Accepted|Preferred) .*3DES' <<<"$scan"
check "weakciphers.test: sslscan: TLS 1.0 enabled" grep -Eq '^TLSv1.0 +enabled' <<<"$scan"
check "weakciphers.test: sslscan: TLS 1.3 disabled" grep -Eq '^TLSv1.3 +disabled' <<<"$scan"
# shellcheck disable=SC2016 # expanded inside the lab
res=$(in_lab sh -c 'gnutls-cli --x509cafile "$NETHEALTH_CA_FILE" --port 443 \
	--priority "NONE:+VERS-TLS1.2:+ARCFOUR-128:+RSA:+SHA1:+COMP-NULL:+SIGN-ALL:+CURVE-ALL" \
	weakciphers.test </dev/null 2>&1')
check "weakciphers.test: gnutls-cli negotiates RC4 (certificate verified)" \
	grep -Eq 'Description: .*ARCFOUR' <<<"$res"
exit 0
