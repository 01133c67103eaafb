#!/usr/bin/env bash
# survey.sh: the sending rate of `nethealth survey` on the lab, beside zmap
# (Debian's zmap 2.1.1) sending the same UDP probe to the same IPv4 range:
# probes per second each tool says it sent, the packets that arrived in
# nh-srv, the CPU time of each tool, at increasing rates up to each tool's
# maximum, to find where the lab stops absorbing them; and the ratio
# nethealth / zmap.
#
# Run it under the lab lock (it brings the lab up if it is down and puts it
# back down at the end), e.g.
#   flock -o /tmp/nethealth-lab.lock bench/survey.sh
# About 2 minutes with the defaults.
#
# What is sent (only documentation ranges, only inside the lab):
#   nethealth  `nethealth survey --lab --services dns --wait 0 --seed 1`:
#              - v4: 198.51.100.0/24 and 203.0.113.0/24 (511 addresses:
#                198.51.100.100, the client's own address, is excluded from
#                both tools: a probe to it never leaves nh-cli), one DNS probe
#                each. 511 probes: at 10k pps 0.05 s, so its rate is the
#                burst of one short run (start-up of the pacing included).
#                nethealth sends through the kernel: nh-cli holds
#                198.51.100.100/24, so 198.51.100.0/24 is on-link there and
#                each probe to it waits for ARP; only the lab's own
#                addresses answer, the rest are dropped in nh-cli (at most
#                3 queued per neighbour): about 269 of 510 arrive, at any
#                rate. That "loss" is the lab's topology, not the rate;
#                zmap writes frames to the gateway's MAC and skips it;
#              - v6: 2001:db8:0:7::/P, nothing there (nh-srv does not forward:
#                the packets die in nh-srv after the counter), P chosen so
#                the run lasts about BENCH_SURVEY_SECONDS at the rate asked
#                (at least /112, 65,536 addresses; "max" uses 2^21). This
#                is the sustained figure; IPv6 packets are 20 bytes longer.
#   zmap       zmap -M udp -p 53 --probe-args=file:PROBE over the same two
#              IPv4 /24s with the same blocklist entry, -P N probes per
#              address (N = rate x BENCH_SURVEY_SECONDS / 511, so it runs
#              as long as nethealth's v6 run), -i nhcli0 -S 198.51.100.100
#              -r RATE / P (zmap 2.1.1 paces addresses, not packets: each
#              address gets its P probes back to back; a first run with
#              -r RATE sent every run unpaced; its status line also counts
#              addresses, multiplied by P here),
#              -G <MAC of nhsrv0 in nh-srv> (zmap writes Ethernet frames on a
#              packet socket: no routing, no neighbour lookup), -b a file
#              holding only 198.51.100.100/32 (its default blocklist forbids
#              the documentation ranges), -c 2 (cooldown), -T 1 (one send
#              thread, as nethealth's one loop), -o /dev/null. zmap is IPv4
#              only. PROBE is nethealth's DNS probe, byte for byte (38
#              bytes, src/survey/probe.c: ID, RD, one question A IN
#              <8 hex digits of the cookie>.survey.test; here the cookie 0,
#              where nethealth puts a per-address one): same UDP payload,
#              same frame size. The lab's DNS servers in 198.51.100.0/24
#              answer both tools; zmap asks each P times.
#   "max"      --rate 10000000 (nethealth's highest) and -r 10000000 for
#              zmap: neither paces, both send as fast as they can.
#
# Figures:
#   sent, pps  as each tool reports: nethealth's "probes sent: N ... in S s
#              (R a second)" (R counts from the first to the last send);
#              zmap's last status line "send: N done (R p/s avg)" (its
#              sending span, cooldown not included).
#   arrived    packets counted in nh-srv by an nftables rule on the
#              prerouting hook (priority -300, before anything can drop
#              them: what crossed the veth), iifname nhsrv0, udp dport 53,
#              daddr in the target ranges (table inet nhbench, deleted at
#              the end); the difference over the run.
#   arr %      arrived / sent. "loss" when below 99%: the lab (the veth and
#              nh-srv's softirq work, on the same 2 cores) did not absorb it.
#   CPU s      user + sys of the tool (/usr/bin/time, inside lab/exec),
#              the whole run (start-up; zmap's 2 s cooldown is idle), and
#              us/probe = CPU / sent.
#   ratios     at each rate: nethealth's pps (v6, and v4) / zmap's pps;
#              and at the highest rate both got through without loss.
# The lab runs on the same 2 cores as the tools (the sender, the veth's
# softirq receive in nh-srv, the lab's DNS daemons answering): the figures
# are of this shared machine, not of a NIC; compare the ratios of one run.
#
# Measured on 2026-11-28, the shared 2-core build machine (the lab's veth
# and daemons, the tool and other jobs on the same 2 cores), nethealth of
# the working tree, zmap 2.1.1, BENCH_SURVEY_SECONDS=4, under the lock:
#   tool          rate   target          sent     pps  arrived  CPU s us/probe
#   zmap           10k   511 x 79       40369    8532  100%      4.80  119
#   nethealth-v6   10k   /112           65536   10009  100%      0.41  6.3
#   zmap           50k   511 x 392     200312   48216  100%      4.23  21
#   nethealth-v6   50k   /110          262144   50009  100%      1.09  4.2
#   zmap          100k   511 x 783     400113   94743  100%      4.28  10.7
#   nethealth-v6  100k   /109          524288  100007  100%      1.95  3.7
#   zmap          200k   511 x 1566    800226  187920  100%      4.31  5.4
#   nethealth-v6  200k   /108         1048576  200004  100%      3.55  3.4
#   zmap           max   511 x 7827   3999597  610506  100%      6.56  1.6
#   nethealth-v6   max   /107         2097152  414629  100%      5.05  2.4
#   nethealth-v4  10k..max 511 addr       510  11k..317k 280 (55%: ARP, above)
# No loss up to either tool's maximum: the lab absorbed all they sent.
# nethealth / zmap, pps: 1.04-1.17 at 10k-200k (both reach the rate; zmap's
# average includes its start and lands a little under), 0.68 at the
# maximum (415k against 611k pps; nethealth ~2.4 us CPU a probe through
# sendmmsg and the kernel's UDP/IPv6 path, zmap ~1.6 us on a packet
# socket). zmap's pacing spins: its CPU equals its wall time at any rate.
#
# Settings (environment):
#   BENCH_SURVEY_RATES     rates asked, pps (default "10000 50000 100000
#                          200000 max"; max = 10000000)
#   BENCH_SURVEY_SECONDS   target length of a run, s (default 4)
#   BENCH_SURVEY_TOOLS     which runs (default "zmap nethealth-v4
#                          nethealth-v6")
#   NETHEALTH              the binary (default ./nethealth)
#   ZMAP                   zmap (default zmap)
# Results: build/bench/survey.json (one JSON object a line).
set -euo pipefail
cd "$(dirname "$0")/.."

RATES=${BENCH_SURVEY_RATES:-10000 50000 100000 200000 max}
SECS=${BENCH_SURVEY_SECONDS:-4}
TOOLS=${BENCH_SURVEY_TOOLS:-zmap nethealth-v4 nethealth-v6}
NH=${NETHEALTH:-./nethealth}
ZMAP=${ZMAP:-zmap}
MAXRATE=10000000
V4="198.51.100.0/24 203.0.113.0/24"
V4N=511
V6BASE=2001:db8:0:7::
SELF=198.51.100.100
out=build/bench/survey.json
mkdir -p build/bench
: >"$out"

NH=$(readlink -f "$NH")
command -v "$ZMAP" >/dev/null || { echo "bench/survey.sh: no zmap: its runs skipped" >&2; TOOLS=${TOOLS//zmap/}; }

tmp=$(mktemp -d)
was=down
lab/status >/dev/null 2>&1 && was=up
in_srv_nft() { ip netns exec nh-srv nft "$@"; }
restore() {
	local rc=$?
	in_srv_nft delete table inet nhbench >/dev/null 2>&1 || true
	[ "$was" = down ] && { lab/down >/dev/null 2>&1 || true; }
	rm -rf "$tmp"
	exit "$rc"
}
trap restore EXIT
trap 'exit 130' INT TERM

if [ "$was" = down ]; then
	lab/up >"$tmp/up.log" 2>&1 || { cat "$tmp/up.log" >&2; exit 1; }
fi

# The counter in nh-srv.
in_srv_nft delete table inet nhbench >/dev/null 2>&1 || true
in_srv_nft add table inet nhbench
in_srv_nft add chain inet nhbench pre '{ type filter hook prerouting priority -300; }'
in_srv_nft add rule inet nhbench pre iifname nhsrv0 ip daddr '{ 198.51.100.0/24, 203.0.113.0/24 }' udp dport 53 counter
in_srv_nft add rule inet nhbench pre iifname nhsrv0 ip6 daddr 2001:db8:0:7::/64 udp dport 53 counter
arrived() { in_srv_nft list chain inet nhbench pre | sed -nE 's/.*counter packets ([0-9]+).*/\1/p' | awk '{ s += $1 } END { print s + 0 }'; }

# nethealth's DNS probe with the cookie 0: ID 0, RD, QDCOUNT 1,
# "00000000.survey.test" A IN.
printf '\000\000\001\000\000\001\000\000\000\000\000\000\01000000000\006survey\004test\000\000\001\000\001' >"$tmp/probe"
[ "$(stat -c %s "$tmp/probe")" -eq 38 ] || { echo "bench/survey.sh: probe is not 38 bytes" >&2; exit 1; }
printf '%s/32\n' "$SELF" >"$tmp/block"
printf '%s\n' "$SELF" >"$tmp/exclude"
gw=$(ip -n nh-srv -br link show nhsrv0 | awk '{ print $3 }')

# unit_num "498.31 K": 498310
unit_num() { awk -v s="$1" 'BEGIN { n = s + 0; if (s ~ /K/) n *= 1e3; if (s ~ /M/) n *= 1e6; if (s ~ /G/) n *= 1e9; printf "%.0f", n }'; }

# run TOOL RATE: one run; appends a row to $tmp/rows:
# tool rate target sent secs pps arrived cpu
run() {
	local tool=$1 r=$2 rr=$2 zr a0 a1 sent pps secs cpu bits target p line
	[ "$r" = max ] && rr=$MAXRATE
	a0=$(arrived)
	case $tool in
	zmap)
		p=$(awk -v r="$rr" -v s="$SECS" -v n="$V4N" 'BEGIN { p = int(r * s / n + 0.999); if (r >= 1e7) p = int(1000000 * s / n); print (p < 1 ? 1 : p) }')
		# zmap 2.1.1 paces targets, not packets: -r is addresses a
		# second, each sent its P probes back to back.
		zr=$(awk -v r="$rr" -v p="$p" 'BEGIN { z = int(r / p + 0.5); print (z < 1 ? 1 : z) }')
		target="v4 511 x $p"
		# shellcheck disable=SC2086
		lab/exec /usr/bin/time -o "$tmp/time" -f '%e %U %S' "$ZMAP" -M udp -p 53 \
			--probe-args="file:$tmp/probe" -i nhcli0 -S "$SELF" -G "$gw" -b "$tmp/block" \
			-r "$zr" -P "$p" -c 2 -T 1 -o /dev/null $V4 >"$tmp/z.out" 2>"$tmp/z.err" || true
		line=$(grep -E 'send: [0-9]+ done' "$tmp/z.err" | tail -1)
		# zmap counts addresses done: x P for packets.
		sent=$(sed -E 's/.*send: ([0-9]+) done.*/\1/' <<<"$line")
		pps=$(unit_num "$(sed -E 's/.*done \(([0-9.]+ ?[KMG]?)p\/s avg\).*/\1/' <<<"$line")")
		secs=$(awk -v n="${sent:-0}" -v p="${pps:-0}" 'BEGIN { printf "%.2f", (p > 0 ? n / p : 0) }')
		[ -n "$sent" ] && sent=$((sent * p)) && pps=$((pps * p))
		;;
	nethealth-v4 | nethealth-v6)
		if [ "$tool" = nethealth-v4 ]; then
			target="v4 511"
			# shellcheck disable=SC2086 # two ranges
			set -- $V4
		else
			bits=$(awk -v r="$rr" -v s="$SECS" 'BEGIN { n = (r >= 1e7 ? 2^21 : r * s); b = 16; while (2^b < n && b < 24) b++; print b }')
			target="v6 /$((128 - bits))"
			set -- "$V6BASE/$((128 - bits))"
		fi
		rm -f "$tmp/nh.db"
		lab/exec /usr/bin/time -o "$tmp/time" -f '%e %U %S' "$NH" survey "$@" --lab \
			--services dns --rate "$rr" --wait 0 --seed 1 --exclude "$tmp/exclude" \
			--db "$tmp/nh.db" >"$tmp/n.out" 2>"$tmp/n.err" || true
		line=$(grep '^probes sent:' "$tmp/n.out" || true)
		sent=$(sed -E 's/^probes sent: ([0-9]+) .*/\1/' <<<"$line")
		secs=$(sed -E 's/.* in ([0-9.]+) s .*/\1/' <<<"$line")
		pps=$(sed -E 's/.* s \(([0-9]+) a second\).*/\1/' <<<"$line")
		;;
	esac
	sleep 0.5 # late frames on the veth
	a1=$(arrived)
	cpu=$(awk '{ printf "%.2f", $2 + $3 }' "$tmp/time" 2>/dev/null || echo 0)
	if [ -z "${sent:-}" ] || [ -z "${pps:-}" ]; then
		echo "bench/survey.sh: $tool at $r: no rate line" >&2
		tail -3 "$tmp/z.err" "$tmp/n.err" "$tmp/n.out" 2>/dev/null >&2 || true
		sent=0 pps=0 secs=0
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$r" "$target" "$sent" "$secs" "$pps" \
		"$((a1 - a0))" "$cpu" >>"$tmp/rows"
	printf '{"tool": "%s", "rate": "%s", "target": "%s", "sent": %s, "seconds": %s, "pps": %s, "arrived": %s, "cpu_s": %s}\n' \
		"$tool" "$r" "$target" "$sent" "$secs" "$pps" "$((a1 - a0))" "$cpu" >>"$out"
}

: >"$tmp/rows"
for r in $RATES; do
	for t in $TOOLS; do run "$t" "$r"; done
done

echo "nethealth survey vs zmap 2.1.1, UDP/53 38-byte DNS probe, lab veth nhcli0 -> nhsrv0;"
echo "the lab, nethealth and zmap share the machine's $(nproc) cores. loss: arrived < 99% of sent."
printf '%-13s %8s %-13s %9s %6s %9s %9s %6s %6s %7s  %s\n' tool rate target sent "s" "pps" arrived "arr%" "CPU s" "us/prb" ""
awk -F'\t' '{
	pct = $4 > 0 ? 100 * $7 / $4 : 0
	printf "%-13s %8s %-13s %9d %6.2f %9d %9d %6.1f %6.2f %7.2f  %s\n", $1, $2, $3, $4, $5, $6, $7, pct, $8,
		($4 > 0 ? 1e6 * $8 / $4 : 0), (pct < 99 ? "loss" : "")
}' "$tmp/rows"

echo
echo "ratio nethealth / zmap (pps as reported):"
awk -F'\t' '{ pps[$1 " " $2] = $6; ok[$1 " " $2] = ($4 > 0 && $7 >= 0.99 * $4); if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
END {
	for (i = 1; i <= n; i++) {
		r = order[i]; z = pps["zmap " r]
		if (z > 0)
			printf "  rate %-8s v6 %5.2f   v4 %5.2f   (zmap %d pps)\n", r, pps["nethealth-v6 " r] / z, pps["nethealth-v4 " r] / z, z
		for (t in ok) if (t ~ (" " r "$") && ok[t]) { split(t, a, " "); if (pps[t] > best[a[1]]) best[a[1]] = pps[t] }
	}
	if (best["zmap"] > 0)
		printf "  highest pps without loss: nethealth-v6 %d, nethealth-v4 %d, zmap %d; nethealth-v6 / zmap %.2f\n",
			best["nethealth-v6"], best["nethealth-v4"], best["zmap"], best["nethealth-v6"] / best["zmap"]
}' "$tmp/rows"
