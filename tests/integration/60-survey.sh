#!/bin/bash
# 60-survey.sh: nethealth survey against the lab's survey servers
# (lab/lib/survey.sh; docs/lab.md "Survey servers"):
#   - a survey of the four survey prefixes finds exactly the open services of
#     lab/survey/expect.tsv (address, service, AS from lab/survey/pfx2as,
#     country from lab/survey/delegated), and none of the closed ones; the
#     per-AS and per-country counts are expect.tsv's;
#   - the exclusion list holds: addresses in --exclude FILE get no packet,
#     counted by nftables in the servers' namespace (a positive control
#     shows the counters count);
#   - the rate holds: at --rate 1000 over some 10,000 probes, the probes
#     leave at 1,000 a second within 10%;
#   - a Shadowserver report imported gives records with the same AS and
#     country lookup.
set -u
. tests/integration/lib.sh

tmp=$(mktemp -d)
trap 'in_srv_nft delete table inet nhsurvey 2>/dev/null; rm -rf "$tmp"' EXIT
in_srv_nft() { ip netns exec nh-srv nft "$@"; }

prefixes="198.51.100.160/28 203.0.113.160/28 203.0.113.176/28 2001:db8:0:2::100/120"
geo="--pfx2as $LAB/survey/pfx2as --delegated $LAB/survey/delegated"

# 1. The survey of the survey prefixes.
# shellcheck disable=SC2086 # word splitting intended
if in_lab "$NETHEALTH" survey $prefixes --lab --rate 2000 --wait 2 $geo \
	--db "$tmp/s.db" --json >"$tmp/s.json" 2>"$tmp/s.err"; then
	ok "survey of the lab's survey prefixes exits 0"
else
	not_ok "survey of the lab's survey prefixes exits 0"
	diag "$(tail -5 "$tmp/s.err")"
fi
want=$(awk -F'\t' '!/^#/ && $3 == "yes" { print $1, $2, $4, $5 }' \
	"$LAB/survey/expect.tsv" | sort)
got=$(jq -r 'select(.open) | "\(.ip) \(.service) \(.asn) \(.cc)"' "$tmp/s.json" | sort)
check_eq "the open services found are exactly expect.tsv's (address, service, AS, country)" \
	"$want" "$got"
closed=$(awk -F'\t' '!/^#/ && $3 == "no" { print $1, $2 }' "$LAB/survey/expect.tsv" | sort)
wrongly=$(jq -r 'select(.open) | "\(.ip) \(.service)"' "$tmp/s.json" | sort |
	comm -12 - <(printf '%s\n' "$closed"))
check_eq "none of expect.tsv's closed services is found open" "" "$wrongly"
for d in "203.0.113.163 memcached memcached 1" "203.0.113.161 snmp Linux" \
	"198.51.100.163 ntp version=ntpd" "203.0.113.177 ssdp MiniUPnPd"; do
	set -- $d
	check "$1 $2: what it says it is ($3...)" \
		jq -se --arg ip "$1" --arg s "$2" --arg d "$3" \
		'[.[] | select(.ip == $ip and .service == $s)] | length == 1 and (.[0].detail | contains($d))' "$tmp/s.json"
done
check "every open record has bytes in and out and its amplification" \
	jq -se '[.[] | select(.open)] | all(.bytes_out > 0 and .bytes_in > 0 and .amplification == (.bytes_in / .bytes_out))' "$tmp/s.json"
for key in asn cc; do
	w=$(awk -F'\t' -v k=$key '!/^#/ && $3 == "yes" { print (k == "asn" ? $4 : $5), $2 }' \
		"$LAB/survey/expect.tsv" | sort | uniq -c | sed 's/^ *//')
	g=$(jq -r --arg k $key 'select(.open) | "\(.[$k]) \(.service)"' "$tmp/s.json" |
		sort | uniq -c | sed 's/^ *//')
	check_eq "open services per $key and service as expect.tsv's" "$w" "$g"
done

# 2. The exclusion list: no packet to an excluded address.
printf '203.0.113.161\n2001:db8:0:2::161\n198.51.100.165/32\n' >"$tmp/exclude"
in_srv_nft add table inet nhsurvey
in_srv_nft add chain inet nhsurvey pre '{ type filter hook prerouting priority -300; }'
for a in 203.0.113.161 198.51.100.165 203.0.113.163; do
	in_srv_nft add rule inet nhsurvey pre ip daddr "$a" counter
done
in_srv_nft add rule inet nhsurvey pre ip6 daddr 2001:db8:0:2::161 counter
# shellcheck disable=SC2086
in_lab "$NETHEALTH" survey $prefixes --lab --rate 2000 --wait 1 \
	--exclude "$tmp/exclude" --db "$tmp/x.db" --json >"$tmp/x.json" 2>"$tmp/x.err"
counts=$(in_srv_nft list chain inet nhsurvey pre |
	sed -nE 's/.*daddr ([^ ]+) counter packets ([0-9]+).*/\1 \2/p')
check_eq "excluded addresses get no packet (nftables counters in nh-srv)" \
	"$(printf '%s 0\n' 2001:db8:0:2::161 198.51.100.165 203.0.113.161 | sort)" \
	"$(printf '%s\n' "$counts" | grep -v '^203.0.113.163 ' | sort)"
n163=$(printf '%s\n' "$counts" | awk '$1 == "203.0.113.163" { print $2 }')
if [ "${n163:-0}" -eq 7 ]; then
	ok "a surveyed address gets one packet per service (control: 203.0.113.163 got 7)"
else
	not_ok "a surveyed address gets one packet per service (control: 203.0.113.163 got 7)"
	diag "counters: $counts"
fi
check_eq "nothing excluded is in the records" "" \
	"$(jq -r 'select(.ip == "203.0.113.161" or .ip == "2001:db8:0:2::161" or .ip == "198.51.100.165") | .ip' "$tmp/x.json")"
in_srv_nft delete table inet nhsurvey

# 3. The rate: 10,240 probes at --rate 1000: 2,048 addresses of the lab's
# rate prefix (held whole by nh-srv: lab/lib/net.sh), five services.
in_lab "$NETHEALTH" survey 2001:db8:0:6::/117 --lab --rate 1000 --wait 0 \
	--services dns,ntp,ssdp,snmp,memcached --db "$tmp/r.db" \
	>"$tmp/r.out" 2>"$tmp/r.err"
line=$(grep '^probes sent:' "$tmp/r.out")
sent=$(sed -E 's/^probes sent: ([0-9]+) .*/\1/' <<<"$line")
secs=$(sed -E 's/.* in ([0-9.]+) s .*/\1/' <<<"$line")
rate=$(awk -v n="${sent:-0}" -v s="${secs:-0}" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print 0 }')
if [ "${sent:-0}" -ge 10000 ] && [ "$rate" -ge 900 ] && [ "$rate" -le 1100 ]; then
	ok "--rate 1000: $sent probes in $secs s, $rate a second (within 10%)"
else
	not_ok "--rate 1000: $sent probes in $secs s, $rate a second (within 10%)"
	diag "$line" "$(tail -3 "$tmp/r.err")"
fi

# 4. A Shadowserver report: the same lookups, the same records.
cat >"$tmp/2026-11-28-scan_ntpmonitor-lab.csv" <<'CSV'
"timestamp","ip","protocol","port","hostname","tag","packets","size","asn","geo","region","city"
"2026-11-28 10:00:00","198.51.100.165","udp",123,,"ntpmonitor",3,"1500",,,,
"2026-11-28 10:00:01","203.0.113.170","udp",123,,"ntpmonitor",1,"480",64502,"BR",,
"2026-11-28 10:00:02","198.18.0.5","udp",123,,"ntpmonitor",1,"480",64999,"US",,
CSV
if in_lab "$NETHEALTH" survey --import "$tmp/2026-11-28-scan_ntpmonitor-lab.csv" \
	$geo --db "$tmp/s.db" --json >"$tmp/i.json" 2>"$tmp/i.err"; then
	ok "survey --import of a Shadowserver NTP monitor report exits 0"
else
	not_ok "survey --import of a Shadowserver NTP monitor report exits 0"
	diag "$(cat "$tmp/i.err")"
fi
# The lookup files win where they know the address (one source for
# surveys and imports alike); the report's own values stay where they
# know nothing.
check_eq "imported rows: service, and AS and country from the lookup files, else the report's" \
	"198.18.0.5 ntp-monlist 64999 US shadowserver
198.51.100.165 ntp-monlist 64501 NL shadowserver
203.0.113.170 ntp-monlist 65536 DE shadowserver" \
	"$(jq -r '"\(.ip) \(.service) \(.asn) \(.cc) \(.source)"' "$tmp/i.json" | sort)"

# 5. The report of the first survey round (the import is round 2:
# --round names the first): per country and per AS, the counts of
# expect.tsv; the weighted figure is Σ count × CyberGreen's weight.
in_lab "$NETHEALTH" report --db "$tmp/s.db" --survey --round 1 --json >"$tmp/rep.json" 2>"$tmp/rep.err"
for key in cc asn; do
	w=$(awk -F'\t' -v k=$key '!/^#/ && $3 == "yes" { print (k == "asn" ? "AS" $4 : $5), $2 }' \
		"$LAB/survey/expect.tsv" | sort | uniq -c | awk '{ print $2, $3, $1 }' | sort)
	if [ $key = cc ]; then sel='.countries[] | .country as $e'; else sel='.ases[] | .name as $e'; fi
	g=$(jq -r "$sel | .counts | to_entries[] | select(.value > 0) | \"\\(\$e) \\(.key) \\(.value)\"" \
		"$tmp/rep.json" | sort)
	check_eq "report: exposed services per $key as expect.tsv's" "$w" "$g"
done
check "report: weighted = Σ count × weight (CyberGreen's: DNS 41, NTP monlist 556.9, SNMP 6.3, SSDP 30.8, CHARGEN 358.8)" \
	jq -e '[.services[] | (.count * .weight - .weighted) | fabs < 0.01] | all' "$tmp/rep.json"
check "report: advice for every exposed service" \
	jq -e '(.advice | length) >= 7' "$tmp/rep.json"
