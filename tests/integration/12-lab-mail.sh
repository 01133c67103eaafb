#!/bin/bash
# 12-lab-mail.sh: the lab's mail servers: STARTTLS on good.test's MX over
# IPv4 and IPv6 with a certificate the lab CA verifies and a matching DANE
# TLSA 3 1 1 record; mail for the scenario domains accepted, relaying refused;
# mail.legacy.test accepts TLS 1.0 and anonymous suites.
set -u
. tests/integration/lib.sh

mx=$(in_lab dig +short MX good.test | awk '{ print $2 }' | sed 's/\.$//')
check_eq "good.test's MX (through the lab resolver)" "mail.good.test" "$mx"
tlsa=$(in_lab dig +short TLSA "_25._tcp.$mx" |
	awk '{ d = ""; for (i = 4; i <= NF; i++) d = d $i; print $1, $2, $3, d }')
check "good.test's MX has a TLSA 3 1 1 record" grep -Eq '^3 1 1 [0-9A-Fa-f]{64}$' <<<"$tlsa"

# starttls ARGS...: openssl s_client -starttls smtp in the lab, lab CA trusted.
# shellcheck disable=SC2016 # expanded inside the lab
starttls() {
	printf 'EHLO client.test\r\nQUIT\r\n' |
		in_lab sh -c 'exec openssl s_client -starttls smtp -CAfile "$NETHEALTH_CA_FILE" "$@" 2>&1' \
			starttls "$@"
}

for v in 4 6; do
	res=$(starttls "-$v" -connect "$mx:25" -servername "$mx" -verify_return_error \
		-dane_tlsa_domain "$mx" -dane_tlsa_rrdata "$tlsa")
	check "$mx over IPv$v: STARTTLS, certificate verified (return code 0)" \
		grep -q 'Verify return code: 0 (ok)' <<<"$res"
	check "$mx over IPv$v: DANE TLSA 3 1 1 matches the certificate" \
		grep -q 'DANE TLSA 3 1 1 .* matched EE certificate' <<<"$res"
	check "$mx over IPv$v: TLS 1.2 or 1.3" grep -Eq '^New, TLSv1\.[23],' <<<"$res"
done
res=$(starttls -4 -connect "$mx:25" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0')
check "$mx: TLS 1.1 refused" grep -q 'alert protocol version' <<<"$res"
res=$(starttls -4 -connect "$mx:25" -tls1_2 -cipher 'aNULL:@SECLEVEL=0')
check "$mx: no anonymous suites" grep -q 'handshake failure' <<<"$res"
res=$(starttls -4 -connect "$mx:25" -tls1_2 -cipher 'ECDHE-ECDSA-AES128-SHA')
check "$mx: no CBC suites" grep -q 'handshake failure' <<<"$res"
bad=$(awk '{ print $1, $2, $3, "00" substr($4, 3) }' <<<"$tlsa")
res=$(starttls -4 -connect "$mx:25" -dane_tlsa_domain "$mx" -dane_tlsa_rrdata "$bad")
check "$mx: a wrong TLSA record does not match (DANE check is real)" \
	grep -q 'Verify return code: 65' <<<"$res"

# swaks_lab ARGS...: one SMTP transaction from the lab client.
swaks_lab() {
	# shellcheck disable=SC2016 # expanded inside the lab
	in_lab sh -c 'exec swaks --helo client.test --from probe@client.test \
		--tls-ca-path "$NETHEALTH_CA_FILE" "$@" 2>&1' swaks "$@"
}
res=$(swaks_lab --server "$mx" --tls --tls-verify --tls-sni "$mx" --to postmaster@good.test)
check "$mx accepts mail for good.test over verified TLS" grep -q '^<~  250 .*queued' <<<"$res"
res=$(swaks_lab --server "$mx" -6 --to someone@unsigned.test)
check "$mx accepts mail for unsigned.test over IPv6" grep -q '^<-  250 .*queued' <<<"$res"
res=$(swaks_lab --server "$mx" --to someone@example.org)
check "$mx refuses to relay" grep -q '^<\*\* 554 .*Relay access denied' <<<"$res"

lmx=$(in_lab dig +short MX legacy.test | awk '{ print $2 }' | sed 's/\.$//')
check_eq "legacy.test's MX" "mail.legacy.test" "$lmx"
check_eq "mail.legacy.test is IPv4 only" "203.0.113.26 -" \
	"$(in_lab dig +short A "$lmx") $(in_lab dig +short AAAA "$lmx")-"
res=$(starttls -connect "$lmx:25" -tls1 -cipher 'DEFAULT:@SECLEVEL=0')
check "$lmx: TLS 1.0 accepted" grep -q '^ *Protocol *: TLSv1$' <<<"$res"
res=$(starttls -connect "$lmx:25" -tls1 -cipher 'aNULL:@SECLEVEL=0')
check "$lmx: anonymous suite accepted" grep -Eq '^ *Cipher *: A(EC)?DH-' <<<"$res"
res=$(starttls -connect "$lmx:25" -tls1_2 -cipher 'ALL:@SECLEVEL=0')
check "$lmx: RSA-1024 certificate" grep -q 'Server public key is 1024 bit' <<<"$res"
exit 0
