#!/usr/bin/env bash
# dns.sh: validated lookups per second through nethealth's resolver layer
# beside raw libunbound, in the same run, over the same names (the signed
# zone bench.test's h1..hN A records), each run from a cold cache; and the
# peak memory of each. Runs each mode ROUNDS times, alternating, and
# reports medians and the ratio. Needs the lab up and build/bench/dns_bench.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${BENCH_NAMES:-2000}
WINDOW=${WINDOW:-200}
ROUNDS=${ROUNDS:-5}
out=build/bench/dns.json
names=build/bench/dns-names.txt
mkdir -p build/bench
seq 1 "$N" | sed 's/^/h/; s/$/.bench.test/' >"$names"
: >"$out"

for _ in $(seq "$ROUNDS"); do
	for mode in raw nethealth; do
		lab/exec build/bench/dns_bench -m "$mode" -w "$WINDOW" "$names" \
		    </dev/null | tee -a "$out"
	done
done

jq -rs --arg n "$N" --arg w "$WINDOW" '
  def median: sort | .[length / 2 | floor];
  (map(select(.mode == "raw")) | map(.qps) | median) as $raw |
  (map(select(.mode == "nethealth")) | map(.qps) | median) as $nh |
  (map(select(.mode == "raw")) | map(.maxrss_kb) | median) as $rawmem |
  (map(select(.mode == "nethealth")) | map(.maxrss_kb) | median) as $nhmem |
  (map(.errors + .bogus + .insecure) | add) as $bad |
  "names \($n), window \($w), median of \(length / 2) runs each:",
  "  raw libunbound       \($raw) lookups/s, peak RSS \($rawmem) KB",
  "  nethealth src/dns    \($nh) lookups/s, peak RSS \($nhmem) KB",
  "  ratio nethealth/raw  \(($nh / $raw * 100 | floor) / 100)",
  (if $bad > 0 then "  WARNING: \($bad) answers were not secure" else
   "  every answer validated as secure" end)' "$out"
