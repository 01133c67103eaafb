# lib.sh: what the peer comparisons share: the lab's TLS scenarios, and
# the accepted (version, suite) pairs of an endpoint as nethealth and as
# each peer reports them, one "ADDRESS VERSION SUITE" line each (version
# SSLv2 ... TLSv1.3, suite as lower-case hex), sorted, so that two lists
# compare with comm(1). Sourced after tests/integration/lib.sh.

# tls_scenarios: the lab domains with a TLS server a peer can assess: every
# domain lab/expect.tsv judges web_https_tls_version on, less the fake
# servers (lab/fakes/faketls.pl has no cryptography: no peer that needs a
# completed handshake can see what it accepts) and the silent ones.
tls_scenarios() {
	local fakes
	fakes=$(grep -v '^#' "$LAB/scenarios.tsv" | grep -i 'faketls' | cut -f1)
	grep -v '^#' "$LAB/expect.tsv" |
		awk -F'\t' '$2 == "web" && $3 == "web_https_tls_version" { print $1 }' |
		sort -u | grep -vxF -f <(printf '%s\n' $fakes)
}

# mail_tls_scenarios: the lab mail domains whose MX speak STARTTLS with a
# TLS server a peer can assess: every domain lab/expect.tsv passes
# mail_starttls_tls_available on, less those behind the fake TLS endpoint.
mail_tls_scenarios() {
	local fakes
	fakes=$(grep -v '^#' "$LAB/scenarios.tsv" | grep -i 'faketls' | cut -f1)
	grep -v '^#' "$LAB/expect.tsv" |
		awk -F'\t' '$2 == "mail" && $3 == "mail_starttls_tls_available" && $4 == "passed" { print $1 }' |
		sort -u | grep -vxF -f <(printf '%s\n' $fakes)
}

# The names of the versions nethealth's JSON gives as wire numbers.
NH_VERSIONS='{"512":"SSLv2","768":"SSLv3","769":"TLSv1.0","770":"TLSv1.1","771":"TLSv1.2","772":"TLSv1.3"}'

# nh_accepted JSON_FILE [KEY]: the pairs of `nethealth tls DOMAIN --json`
# (KEY tls), or of the MX endpoints of `nethealth mail DOMAIN --json`
# (KEY mx_tls).
nh_accepted() {
	jq -r --argjson names "$NH_VERSIONS" --arg k "${2:-tls}" '
	    .servers[$k][] | .ip as $ip | .versions[] |
	    select(.probed == "ok") | .version as $v | .suites[] |
	    "\($ip) \($names[($v | tostring)]) \(.)"' "$1" |
		awk '{ printf "%s %s %04x\n", $1, $2, $3 }' | sort -u
}

# sslscan_accepted XML_FILE ADDRESS: the pairs of `sslscan --xml`.
sslscan_accepted() {
	grep -o '<cipher status="\(accepted\|preferred\)"[^>]*>' "$1" |
		sed -E 's/.*sslversion="([^"]*)".* id="0x([0-9A-Fa-f]+)".*/\1 \2/' |
		while read -r v h; do printf '%s %s %04x\n' "$2" "$v" "$((16#$h))"; done |
		sort -u
}

# The versions testssl names in its finding ids ("cipher-tls1_2_xc02c").
TESTSSL_VERSIONS='{"ssl2":"SSLv2","ssl3":"SSLv3","tls1":"TLSv1.0","tls1_1":"TLSv1.1","tls1_2":"TLSv1.2","tls1_3":"TLSv1.3"}'

# testssl_accepted JSON_FILE ADDRESS: the pairs of testssl -E's flat JSON
# (--jsonfile) for ADDRESS. -E writes one finding per suite the server
# accepted in a protocol, id "cipher-PROTO_xHEX" (PROTO as in
# TESTSSL_VERSIONS; HEX the code point without leading zero bytes, "x9c"
# for 0x009c, three bytes for an SSLv2 CIPHER-SPEC), the finding's text
# starting with the protocol and the same "xHEX"; without --show-each it
# writes no finding for a suite refused ("not a/v" with it). Findings of
# another address (testssl tests more than --ip in some cases) are ignored.
testssl_accepted() {
	jq -r --arg ip "$2" --argjson names "$TESTSSL_VERSIONS" '
	    .[] | select((.ip | sub("^[^/]*/"; "") | ltrimstr("[") | rtrimstr("]")) == $ip) |
	    (.id | capture("^cipher-(?<p>ssl2|ssl3|tls1|tls1_1|tls1_2|tls1_3)_x(?<h>[0-9a-f]+)$")) as $c |
	    select((.finding | test("not a/v")) | not) |
	    select(.finding | test(" x\($c.h) ")) |
	    "\($names[$c.p]) \($c.h)"' "$1" |
		while read -r v h; do printf '%s %s %04x\n' "$2" "$v" "$((16#$h))"; done |
		sort -u
}

# testssl_ran JSON_FILE ADDRESS: testssl finished its run on ADDRESS (its
# flat JSON has the closing "scanTime" finding for it and no fatal
# "scanProblem").
testssl_ran() {
	jq -e --arg ip "$2" '
	    [.[] | select((.ip | sub("^[^/]*/"; "") | ltrimstr("[") | rtrimstr("]")) == $ip)] |
	    any(.id == "scanTime") and
	    all(.id != "scanProblem" or .severity != "FATAL")' "$1" >/dev/null 2>&1
}

# compare_pairs PEER DOMAIN NH_FILE PEER_FILE: one TAP line saying whether
# nethealth's pairs (NH_FILE) and the peer's (PEER_FILE, both sorted) are
# the same once tests/peers/known.tsv's lines for PEER and DOMAIN are taken
# out; prints the differences, and known lines that did not occur.
compare_pairs() {
	local peer=$1 d=$2 nh=$3 other=$4 diff known unexplained stale n k
	diff=$(
		{
			comm -23 "$nh" "$other" | sed 's/$/ only-nethealth/'
			comm -13 "$nh" "$other" | sed "s/\$/ only-$peer/"
		} | sort
	)
	known=$(grep -v '^#' tests/peers/known.tsv |
		awk -F'\t' -v p="$peer" -v d="$d" '$1 == p && $2 == d { print $3, $4, $5, $6 }' | sort)
	unexplained=$(comm -23 <(printf '%s\n' "$diff" | grep .) <(printf '%s\n' "$known" | grep .))
	stale=$(comm -13 <(printf '%s\n' "$diff" | grep .) <(printf '%s\n' "$known" | grep .))
	n=$(wc -l <"$nh")
	k=$(printf '%s\n' "$known" | grep -c .)
	if [ -z "$unexplained" ] && [ -z "$stale" ] && [ "$n" -gt 0 ]; then
		ok "$d: nethealth and $peer agree on every (address, version, suite) ($n found by nethealth, $k known differences)"
	else
		not_ok "$d: nethealth and $peer agree on every (address, version, suite)"
		[ -z "$unexplained" ] || diag "differences:" "$unexplained"
		[ -z "$stale" ] || diag "known differences that did not occur:" "$stale"
		[ "$n" -gt 0 ] || diag "nethealth found nothing accepted"
	fi
}
