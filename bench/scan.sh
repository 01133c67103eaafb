#!/usr/bin/env bash
# scan.sh: batch scanning. `nethealth scan` over the lab's generated domains
# (lab/up --scan-domains N: gen1.test ... genN.test, copies of good.test,
# unsigned.test, nohsts.test and legacy.test on about 450 IPv4 and 350 IPv6
# web addresses; docs/lab.md, "Generated scan domains"), with the website
# test, the mail test and both: domains per second, peak memory, memory per
# domain in flight and the CPU split between nethealth and the lab's
# servers; beside it, in the same run, testssl.sh's mass mode (--file) and a
# loop of sslscan over the same hosts, as ratios of hosts per second.
#
# The lab: brought up with the generated domains if it lacks them, and put
# back as it was at the end (a normal lab/up, or lab/down). Several people
# share the one lab: run this under the lab lock, e.g.
#   flock /tmp/nethealth-lab.lock bench/scan.sh
# Everything takes about 10 minutes at b31036d's speed (a scan of 2000
# domains about 90 s, the testssl.sh time box 2 minutes); to keep each hold
# of the lab short, run it in parts, e.g.
#   BENCH_SCAN_TESTS=web BENCH_SCAN_MEMORY=0     (the ratios to the peers)
#   BENCH_SCAN_TESTS=mail BENCH_SCAN_PEERS=none  (web's rate is then missing)
#   BENCH_SCAN_TESTS=both BENCH_SCAN_PEERS=none
#
# Figures:
#   domains/s        N / wall time of the whole scan (start, ramp-up and tail
#                    included), and "sustained": the tests completed between
#                    the 10th and the 90th percentile of completion times,
#                    over that span, per test of a domain (from the store:
#                    started + duration_ms; start times are kept to the
#                    second). With every domain in flight at once (the
#                    memory run) all tests start together and end together:
#                    only the whole-scan rate means anything there.
#   peak RSS         "Maximum resident set size" of /usr/bin/time -v around
#                    the nethealth process (inside lab/exec)
#   per domain       (peak RSS of a web scan with --concurrency N, every
#   in flight        domain admitted at once) - (peak RSS of a web scan of
#                    the first 10 domains with --concurrency 1: the fixed
#                    part: code, libunbound, OpenSSL, the store), / N. With
#                    all N admitted at once the scan holds N tests' state at
#                    its peak (those waiting for an address slot included).
#                    Also the slope between the rate run's --concurrency
#                    and N (what one more domain in flight costs, without
#                    what grows with the work done, e.g. the DNS cache).
#                    The rate runs print (peak - fixed) / their concurrency.
#   CPU              nethealth: its user + sys time / wall (cores), and per
#                    domain; the lab's servers: the user + sys ticks
#                    (children's included) of every process in nh-srv,
#                    before and after / wall; the machine: busy ticks of
#                    /proc/stat / wall (the rest is other jobs on the shared
#                    machine). nethealth, the lab's servers and other jobs
#                    share the 2 cores; nethealth's loop is one thread.
#   verdicts         each domain's score against the expected score of its
#                    variant (lab/state/scan-domains.tsv); mismatches are
#                    listed (up to 10) and counted
#   politeness       the limits used are printed; the "politeness ceiling"
#                    is the rate at which the busiest web address's
#                    connections (its domains x the connections a website
#                    test opens to one address, measured on one domain of
#                    each variant with nethealth web) take exactly the
#                    budget of --conn-rate: no scan can be faster at these
#                    limits. If it is below the target (100 domains/s), it
#                    says so.
#   peers            testssl.sh --file over the first BENCH_SCAN_TESTSSL_HOSTS
#                    hosts (one line each: --quiet ... --ip=<IPv4> <name>),
#                    stopped after BENCH_SCAN_TESTSSL_SECONDS; hosts finished
#                    ("Done" lines) per second. sslscan over the first
#                    BENCH_SCAN_SSLSCAN_HOSTS hosts, one after the other.
#                    Both test one IPv4 address's TLS (testssl.sh also its
#                    HTTP headers and vulnerabilities); nethealth's website
#                    test does every address, DNS, DNSSEC, HTTP and RPKI.
#
# Settings (environment):
#   BENCH_SCAN_DOMAINS        N (default 2000)
#   BENCH_SCAN_CONCURRENCY    --concurrency of the rate runs (default 200,
#                             nethealth's own: at a9305d1+b31036d 200, 500
#                             and 2000 gave the same rate, CPU-bound)
#   BENCH_SCAN_TESTS          which rate runs (default "web mail both")
#   BENCH_SCAN_MEMORY         0: skip the run with all N domains in flight
#   BENCH_SCAN_WORKERS        --workers of the rate runs (default 1: one
#                             process, one event loop; the memory run uses
#                             one worker always)
#   BENCH_SCAN_CONN_RATE      --conn-rate (default: nethealth's, 10)
#   BENCH_SCAN_MAX_CONNS      --max-conns (default: nethealth's, 5)
#   BENCH_SCAN_TESTSSL_HOSTS  default 20; BENCH_SCAN_TESTSSL_SECONDS default
#                             120; BENCH_SCAN_SSLSCAN_HOSTS default 50;
#   BENCH_SCAN_PEERS          none: skip testssl.sh and sslscan
#   BENCH_SCAN_KEEP           1: keep each scan's store in build/bench/scan-<test>.db
#   NETHEALTH                 the binary (default ./nethealth)
# Results: build/bench/scan.json (one JSON object a line).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${BENCH_SCAN_DOMAINS:-2000}
CONC=${BENCH_SCAN_CONCURRENCY:-200}
TESTS=${BENCH_SCAN_TESTS:-web mail both}
MEM=${BENCH_SCAN_MEMORY:-1}
WORKERS=${BENCH_SCAN_WORKERS:-1}
TS_HOSTS=${BENCH_SCAN_TESTSSL_HOSTS:-20}
TS_SECONDS=${BENCH_SCAN_TESTSSL_SECONDS:-120}
SS_HOSTS=${BENCH_SCAN_SSLSCAN_HOSTS:-50}
NH=${NETHEALTH:-./nethealth}
TARGET=100
BASE_DOMAINS=10
out=build/bench/scan.json
mkdir -p build/bench
: >"$out"

if ! "$NH" scan --help >/dev/null 2>&1 || "$NH" scan --help 2>&1 | grep -q 'not available'; then
	echo "bench/scan.sh: $NH has no working 'scan' command yet: skipped"
	exit 0
fi

tmp=$(mktemp -d)
# The lab as it was, to put it back.
was=down
if lab/status >/dev/null 2>&1; then
	was=up
	if [ -s lab/state/scan-domains.csv ] &&
		[ "$(wc -l <lab/state/scan-domains.csv)" -ge "$N" ]; then
		was=generated
	fi
fi
restore() {
	local rc=$?
	case $was in
	down) lab/down >/dev/null 2>&1 || true ;;
	up) lab/up >/dev/null 2>&1 || echo "bench/scan.sh: could not put the lab back up" >&2 ;;
	esac
	rm -rf "$tmp"
	exit "$rc"
}
trap restore EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.${2:-3}f\", $1 }"; }

if [ "$was" != generated ]; then
	t0=$(now)
	lab/up --scan-domains "$N" >"$tmp/up.log" 2>&1 || {
		cat "$tmp/up.log" >&2
		exit 1
	}
	echo "lab/up --scan-domains $N: $(calc "$(now) - $t0" 1) s ($(tail -n 1 "$tmp/up.log" | sed 's/^lab\/up: //'))"
fi
head -n "$N" lab/state/scan-domains.csv >"$tmp/list.csv"
awk -F'\t' 'NR > 1' lab/state/scan-domains.tsv | head -n "$N" >"$tmp/expect.tsv"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# The politeness limits.
polite=()
rate=10 conns=5 changed=""
if [ -n "${BENCH_SCAN_CONN_RATE:-}" ]; then
	polite+=(--conn-rate "$BENCH_SCAN_CONN_RATE")
	rate=$BENCH_SCAN_CONN_RATE
	changed="$changed --conn-rate $rate"
fi
if [ -n "${BENCH_SCAN_MAX_CONNS:-}" ]; then
	polite+=(--max-conns "$BENCH_SCAN_MAX_CONNS")
	conns=$BENCH_SCAN_MAX_CONNS
	changed="$changed --max-conns $conns"
fi

# Connections a website test opens to one address, per variant (the first
# domain of each, nethealth web --json: TLS and HTTP connections, the most
# to one address).
: >"$tmp/conns.tsv"
awk -F'\t' '!seen[$2]++ { print $1, $2 }' "$tmp/expect.tsv" | while read -r d v; do
	lab/exec "$NH" web "$d" --json "${polite[@]}" >"$tmp/one.json" 2>/dev/null || true
	c=$(jq '[((.servers.tls // [])[] | {ip, c: (.connections // 0)}),
		 ((.servers.http // [])[] | {ip, c: (.connections // 0)})] |
		group_by(.ip) | map(map(.c) | add) | max // 0' "$tmp/one.json" 2>/dev/null || echo 0)
	printf '%s\t%s\n' "$v" "$c" >>"$tmp/conns.tsv"
done
# The busiest address: the sum of its domains' connections.
ceiling=$(awk -F'\t' -v rate="$rate" -v n="$N" '
	FILENAME == ARGV[1] { c[$1] = $2; next }
	{
		load[$8] += c[$2]; doms[$8]++; four[$8] = 1
		if ($9 != "-") { load[$9] += c[$2]; doms[$9]++; six[$9] = 1 }
	}
	END {
		for (a in load) if (load[a] > max) { max = load[a]; busy = a }
		for (a in four) n4++
		for (a in six) n6++
		if (rate == 0 || max == 0) { printf "none\t%d\t%d\t%s\t%d\t%d\n", n4, n6, busy, doms[busy], max; exit }
		printf "%.1f\t%d\t%d\t%s\t%d\t%d\n", n / (max / rate), n4, n6, busy, doms[busy], max
	}' "$tmp/conns.tsv" "$tmp/expect.tsv")
IFS=$'\t' read -r ceil addrs4 addrs6 busy busy_doms busy_conns <<<"$ceiling"
addrs=$((addrs4 + addrs6))
whose="nethealth's defaults"
[ -z "$changed" ] || whose="changed for this benchmark:$changed"
per_variant=$(awk -F'\t' '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }' "$tmp/conns.tsv")
echo "politeness: at most $conns connections at once and $rate new connections a second per address" \
	"($whose); at most 2 at once per MX"
echo "  connections of a website test to one address: $per_variant"
echo "  $N domains on $addrs web addresses ($addrs4 IPv4, $addrs6 IPv6); busiest $busy: $busy_doms domains," \
	"$busy_conns connections; politeness ceiling $ceil domains/s"
if [ "$ceil" != none ] && awk -v c="$ceil" -v t="$TARGET" 'BEGIN { exit !(c < t) }'; then
	echo "  NOTE: too few addresses for $TARGET domains/s at these limits (ceiling $ceil)"
fi
jq -nc --argjson rate "$rate" --argjson conns "$conns" --arg changed "$changed" \
	--arg ceil "$ceil" --argjson a4 "$addrs4" --argjson a6 "$addrs6" --argjson n "$N" \
	--arg busy "$busy" --argjson busy_conns "$busy_conns" \
	'{what: "politeness", conn_rate: $rate, max_conns: $conns, changed: $changed,
	  web_addresses_ipv4: $a4, web_addresses_ipv6: $a6, domains: $n,
	  busiest_address: $busy, busiest_connections: $busy_conns,
	  ceiling_domains_per_s: ($ceil | tonumber? // null)}' >>"$out"

tck=$(getconf CLK_TCK)
# lab_ticks: CPU ticks (user + sys, and those of reaped children) of every
# process in nh-srv.
lab_ticks() {
	local p s t=0
	for p in $(ip netns pids nh-srv 2>/dev/null); do
		s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
		s=${s##*) }
		# shellcheck disable=SC2086 # fields
		set -- $s
		t=$((t + ${12} + ${13} + ${14} + ${15}))
	done
	echo "$t"
}
# busy_ticks: the machine's busy ticks (all but idle and iowait).
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }

# timev FILE FIELD: a figure of /usr/bin/time -v's report.
timev() { awk -F': ' -v f="$2" 'index($0, f) { print $2; exit }' "$1"; }
# wall_of FILE: the elapsed time of a /usr/bin/time -v report, in seconds.
wall_of() {
	timev "$1" "Elapsed (wall clock)" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'
}

# scan NAME TEST LIST CONCURRENCY [WORKERS]: one scan into a fresh store;
# figures into $tmp/NAME.*.
scan() {
	local name=$1 test=$2 list=$3 c=$4 w=${5:-1} db=$tmp/$1.db l0 l1 b0 b1
	rm -f "$db" "$db-wal" "$db-shm"
	l0=$(lab_ticks)
	b0=$(busy_ticks)
	lab/exec /usr/bin/time -v -o "$tmp/$name.time" "$NH" scan -i "$list" "--$test" \
		--db "$db" --concurrency "$c" --workers "$w" "${polite[@]}" >"$tmp/$name.out" 2>&1 || {
		echo "bench/scan.sh: nethealth scan ($name) failed:" >&2
		tail -n 20 "$tmp/$name.out" >&2
		return 1
	}
	l1=$(lab_ticks)
	b1=$(busy_ticks)
	echo "$((l1 - l0)) $((b1 - b0))" >"$tmp/$name.ticks"
}

# verdicts NAME TYPES: "<tests> <errors> <mismatches> <sustained domains/s>"
# of a scan's store (TYPES: tests per domain), and the first mismatches into
# $tmp/NAME.mismatch.
verdicts() {
	local db=$tmp/$1.db sustained
	sqlite3 -separator $'\t' "$db" \
		"SELECT domain, type, ifnull(score, 'null'), ifnull(error, ''),
		 printf('%.3f', julianday(started) * 86400 + duration_ms / 1000.0),
		 printf('%.3f', julianday(started) * 86400) FROM tests" \
		>"$tmp/$1.tests" 2>"$tmp/$1.sqlerr" || {
		echo "0 0 0 -"
		return 0
	}
	awk -F'\t' -v mm="$tmp/$1.mismatch" '
		FILENAME == ARGV[1] { web[$1] = $4; mail[$1] = $5; var[$1] = $2; next }
		{
			n++
			if ($4 != "") err++
			want = $2 == "web" ? web[$1] : mail[$1]
			if ($3 != want) { bad++; if (bad <= 10) printf "  %s %s (%s): %s, expected %s%s\n", $1, $2, var[$1], $3, want, ($4 != "" ? " (" $4 ")" : "") > mm }
		}
		END { printf "%d %d %d", n, err, bad }' "$tmp/expect.tsv" "$tmp/$1.tests"
	# Completion times, sorted: tests completed between the 10th and the
	# 90th percentile, over that span, per test of a domain; and when the
	# first, 10%, 50%, 90% and last completed, from the first start (the
	# store keeps start times to the second: +-1 s).
	sustained=$(cut -f5 "$tmp/$1.tests" | sort -n | awk -v types="$2" -v t0="$(cut -f6 "$tmp/$1.tests" | sort -n | head -n 1)" \
		-v tl="$tmp/$1.timeline" '
		{ t[NR] = $1 }
		END {
			lo = int(NR * 0.1) + 1; hi = int(NR * 0.9)
			if (NR < 20 || t[hi] <= t[lo]) { print "-"; exit }
			printf "%.1f\n", (hi - lo) / (t[hi] - t[lo]) / types
			printf "first %.0f s, 10%% %.0f s, 50%% %.0f s, 90%% %.0f s, last %.0f s\n", t[1] - t0, t[lo] - t0,
				t[int(NR * 0.5)] - t0, t[hi] - t0, t[NR] - t0 > tl
		}')
	echo " $sustained"
}

# The fixed part of the memory: a web scan of the first domains, one at a time.
head -n "$BASE_DOMAINS" "$tmp/list.csv" >"$tmp/base.csv"
scan base web "$tmp/base.csv" 1
base_rss=$(timev "$tmp/base.time" "Maximum resident set size")
echo "memory, fixed part: peak RSS $((base_rss / 1024)) MB (web, $BASE_DOMAINS domains, --concurrency 1)"

# run NAME TEST CONCURRENCY [WORKERS]: a scan of the whole list; its
# figures printed and recorded.
run() {
	local name=$1 t=$2 c=$3 w=${4:-1} wall rss user sys lab busy types ntests nerr nbad sustained per
	scan "$name" "$t" "$tmp/list.csv" "$c" "$w" || exit 1
	wall=$(wall_of "$tmp/$name.time")
	rss=$(timev "$tmp/$name.time" "Maximum resident set size")
	user=$(timev "$tmp/$name.time" "User time (seconds)")
	sys=$(timev "$tmp/$name.time" "System time (seconds)")
	read -r lab busy <"$tmp/$name.ticks"
	types=1
	[ "$t" != both ] || types=2
	read -r ntests nerr nbad sustained <<<"$(verdicts "$name" "$types")"
	# All in flight at once: they all end together; no steady state.
	[ "$c" -lt "$N" ] || sustained="-"
	per=$(calc "($rss - $base_rss) / $c" 1)
	echo "$rss" >"$tmp/$name.rss"
	jq -nc --arg name "$name" --arg t "$t" --argjson n "$N" --argjson c "$c" --argjson w "$w" --argjson wall "$wall" \
		--argjson rss "$rss" --argjson base "$base_rss" --argjson per "$per" \
		--argjson user "$user" --argjson sys "$sys" \
		--argjson lab "$(calc "$lab / $tck / $wall" 2)" \
		--argjson machine "$(calc "$busy / $tck / $wall" 2)" \
		--argjson tests "$ntests" --argjson errors "$nerr" --argjson mismatches "$nbad" \
		--arg sustained "$sustained" --argjson rate "$rate" --argjson conns "$conns" \
		--arg timeline "$(cat "$tmp/$name.timeline" 2>/dev/null || true)" \
		'{what: "nethealth scan", run: $name, test: $t, domains: $n, concurrency: $c, workers: $w, wall_s: $wall,
		  domains_per_s: (($n / $wall * 10 | round) / 10),
		  sustained_domains_per_s: ($sustained | tonumber? // null),
		  max_rss_kb: $rss, base_rss_kb: $base, kb_per_domain_in_flight: $per,
		  nethealth_cpu_s: ($user + $sys),
		  nethealth_cores: ((($user + $sys) / $wall * 100 | round) / 100),
		  lab_servers_cores: $lab, machine_cores: $machine,
		  tests: $tests, test_errors: $errors, verdict_mismatches: $mismatches,
		  completed: $timeline, conn_rate: $rate, max_conns: $conns}' >>"$out"
	printf '%s: %d domains, --concurrency %d --workers %d: %s s, %s domains/s (sustained %s), peak RSS %d MB, %s KB per domain in flight\n' \
		"$name" "$N" "$c" "$w" "$wall" "$(calc "$N / $wall" 1)" "$sustained" "$((rss / 1024))" "$per"
	printf '  CPU (cores of 2): nethealth %s (%s ms a domain), lab servers %s, whole machine %s\n' \
		"$(calc "($user + $sys) / $wall" 2)" "$(calc "($user + $sys) * 1000 / $N" 0)" \
		"$(calc "$lab / $tck / $wall" 2)" "$(calc "$busy / $tck / $wall" 2)"
	[ ! -s "$tmp/$name.timeline" ] || echo "  tests completed (from the first start): $(cat "$tmp/$name.timeline")"
	printf '  %d tests, %d with errors, %d verdicts unlike their variant%s\n' \
		"$ntests" "$nerr" "$nbad" "$(if [ "$nbad" -gt 0 ]; then echo ':'; fi)"
	[ ! -s "$tmp/$name.mismatch" ] || cat "$tmp/$name.mismatch"
	if [ -n "${BENCH_SCAN_KEEP:-}" ]; then
		cp "$tmp/$name.db" "build/bench/scan-$name.db"
		echo "  store kept: build/bench/scan-$name.db"
	fi
}

for t in $TESTS; do run "$t" "$t" "$CONC" "$WORKERS"; done
if [ "$MEM" = 1 ]; then
	run inflight web "$N"
	rss=$(cat "$tmp/inflight.rss")
	slope=""
	if [ -s "$tmp/web.rss" ] && [ "$N" -gt "$CONC" ]; then
		slope=$(calc "($rss - $(cat "$tmp/web.rss")) / ($N - $CONC)" 1)
	fi
	echo "memory at $N domains in flight: peak RSS $((rss / 1024)) MB;" \
		"($((rss / 1024)) - $((base_rss / 1024)) MB) / $N = $(calc "($rss - $base_rss) / $N" 1) KB a domain in flight" \
		"${slope:+(between --concurrency $CONC and $N: $slope KB a domain)}"
	jq -nc --argjson n "$N" --argjson rss "$rss" --argjson base "$base_rss" \
		--argjson per "$(calc "($rss - $base_rss) / $N" 1)" --arg slope "$slope" \
		'{what: "memory in flight", domains_in_flight: $n, max_rss_kb: $rss, base_rss_kb: $base,
		  kb_per_domain_in_flight: $per, kb_per_domain_slope: ($slope | tonumber? // null)}' >>"$out"
fi

[ "${BENCH_SCAN_PEERS:-}" != none ] || exit 0

# The peers, on the first hosts of the same list (their IPv4 address).
head -n "$TS_HOSTS" "$tmp/expect.tsv" |
	awk -F'\t' '{ print "--quiet --warnings off --color 0 --nodns none --ip=" $8 " " $1 }' >"$tmp/testssl.txt"
t0=$(now)
timeout -k 5 "$TS_SECONDS" lab/exec testssl --file "$tmp/testssl.txt" >"$tmp/testssl.out" 2>&1 || true
ts_wall=$(calc "$(now) - $t0")
ts_done=$(grep -c 'Done .*-->>' "$tmp/testssl.out" || true)
t0=$(now)
head -n "$SS_HOSTS" "$tmp/expect.tsv" | awk -F'\t' '{ print $1, $8 }' >"$tmp/sslscan.txt"
# shellcheck disable=SC2016 # expanded by the inner shell
lab/exec sh -c 'while read -r name ip; do sslscan --no-colour --sni-name="$name" "$ip:443" >/dev/null 2>&1; done <"$0"' \
	"$tmp/sslscan.txt"
ss_wall=$(calc "$(now) - $t0")
ss_hosts=$(wc -l <"$tmp/sslscan.txt")
web_rate=$(jq -rs 'map(select(.what == "nethealth scan" and .test == "web"))[0].domains_per_s // empty' "$out")
ts_rate=$(calc "$ts_done / $ts_wall" 4)
ss_rate=$(calc "$ss_hosts / $ss_wall" 2)
jq -nc --argjson d "$ts_done" --argjson h "$TS_HOSTS" --argjson w "$ts_wall" --argjson box "$TS_SECONDS" \
	'{what: "testssl.sh --file", hosts: $h, done: $d, wall_s: $w, time_box_s: $box,
	  hosts_per_s: (if $w > 0 then $d / $w else null end)}' >>"$out"
jq -nc --argjson h "$ss_hosts" --argjson w "$ss_wall" \
	'{what: "sslscan loop", hosts: $h, wall_s: $w, hosts_per_s: ($h / $w)}' >>"$out"
if [ "$ts_done" -gt 0 ]; then
	echo "testssl.sh --file (first $TS_HOSTS hosts, stopped after ${TS_SECONDS} s): $ts_done done in $ts_wall s:" \
		"$(calc "$ts_wall / $ts_done" 1) s a host, $ts_rate hosts/s"
else
	echo "testssl.sh --file (first $TS_HOSTS hosts, stopped after ${TS_SECONDS} s): none done: over $ts_wall s a host"
fi
echo "sslscan loop (first $ss_hosts hosts): $ss_wall s: $(calc "$ss_wall / $ss_hosts" 2) s a host, $ss_rate hosts/s"
if [ -n "$web_rate" ]; then
	if [ "$ts_done" -gt 0 ]; then
		echo "  nethealth scan --web / testssl.sh --file: $(calc "$web_rate / $ts_rate" 0)x the hosts per second"
	else
		echo "  nethealth scan --web / testssl.sh --file: over $(calc "$web_rate * $ts_wall" 0)x the hosts per second"
	fi
	echo "  nethealth scan --web / sslscan loop: $(calc "$web_rate / $ss_rate" 1)x the hosts per second"
	echo "  (the peers test one IPv4 address's TLS; nethealth's website test every address, DNS, DNSSEC, HTTP and RPKI)"
fi
