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

# The names of the versions nethealth's JSON gives as wire numbers.
NH_VERSIONS='{"512":"SSLv2","768":"SSLv3","769":"TLSv1.0","770":"TLSv1.1","771":"TLSv1.2","772":"TLSv1.3"}'

# nh_accepted JSON_FILE: the pairs of `nethealth tls DOMAIN --json`.
nh_accepted() {
	jq -r --argjson names "$NH_VERSIONS" '
	    .servers.tls[] | .ip as $ip | .versions[] |
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
