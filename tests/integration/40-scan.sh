#!/bin/bash
# 40-scan.sh: nethealth scan over every scenario domain of the lab, both
# tests: every domain has exactly one result of each test in the round, the
# same verdicts as the single tests (lab/*-verdicts.tsv, so sharing an MX's
# assessment across domains changes nothing), invalid lines kept with their
# reasons and duplicates merged; then the same scan killed with SIGKILL in
# the middle and started again: the store holds the uninterrupted one's
# verdicts (tests/integration/nh_store_dump: every target and invalid line,
# every test's score, every category and check with its status and points;
# messages and evidence may differ between any two scans, see below).
#
# The politeness limit is lifted (--conn-rate 0): 44 scenario domains share
# one web address, and politeness is not what this test is about.
set -u
. tests/integration/lib.sh

DUMP=${NH_STORE_DUMP:-build/tests/nh_store_dump}
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

# The list: every scenario, a sector tag; 5 invalid names, 2 duplicates
# (one with another tag), a blank line and a comment.
awk -F'\t' 'BEGIN { split("government health finance education", s, " ") }
	!/^#/ && NF >= 4 { n++; print $1 ",sector=" s[n % 4 + 1] }' \
	"$LAB/scenarios.tsv" >"$tmp/list"
# And the other names the verdict tables hold (www.cname.test, ...).
grep -hv '^#' "$LAB/web-verdicts.tsv" "$LAB/mail-verdicts.tsv" | cut -f1 | sort -u |
	awk -F, 'NR == FNR { have[$1] = 1; next } !($1 in have)' "$tmp/list" - >>"$tmp/list"
ndomains=$(wc -l <"$tmp/list")
cat >>"$tmp/list" <<'LIST'

# five invalid names
localhost
bad..test
-bad.test
under_score!.test
label-longer-than-sixty-three-characters-is-not-allowed-in-the-dns.test
GOOD.test.,duplicate
1,legacy.test
LIST

scan() {
	in_lab "$NETHEALTH" scan -i "$tmp/list" --both --conn-rate 0 "$@"
}

# 1. One uninterrupted scan.
if scan --db "$tmp/a.db" >"$tmp/a.out" 2>"$tmp/a.err"; then
	ok "scan of $ndomains lab domains, both tests, exits 0"
else
	not_ok "scan of $ndomains lab domains, both tests, exits 0"
	diag "$(tail -5 "$tmp/a.err")"
fi
"$DUMP" "$tmp/a.db" >"$tmp/a.dump"

for reason in "'localhost': not a domain name (one label only)" \
	"'bad..test': empty label" "'-bad.test': " "'under_score!.test': " \
	"'label-longer-than-sixty-three-characters-is-not-allowed-in-the-dns.test': "; do
	check "invalid line reported: $reason" grep -qF "$reason" "$tmp/a.err"
done
check_eq "5 invalid lines in the store, with their reasons" 5 \
	"$(grep -c '^invalid .* error="[^"]' "$tmp/a.dump")"
check_eq "one target per distinct domain" "$ndomains" "$(grep -c '^target ' "$tmp/a.dump")"
check_eq "the duplicate's tag joins the first line's" \
	'target "good.test" tags=["duplicate","sector=health"]' \
	"$(grep '^target "good.test"' "$tmp/a.dump")"
for t in web mail; do
	check_eq "exactly one $t result per domain" "$ndomains" \
		"$(grep "^test \"[^\"]*\" $t " "$tmp/a.dump" | sort -u | wc -l)"
	check_eq "no $t result twice" 0 \
		"$(grep "^test \"[^\"]*\" $t " "$tmp/a.dump" | cut -d' ' -f2 | sort | uniq -d | wc -l)"
done

# 2. The verdicts equal the single tests' (lab/web-verdicts.tsv,
# lab/mail-verdicts.tsv): the same engine, and MX assessments shared.
for t in web mail; do
	want=$(grep -v '^#' "$LAB/$t-verdicts.tsv" | sort)
	names=$(cut -f1 <<<"$want" | sort -u)
	got=$(sed -n "s/^check \"\([^\"]*\)\" $t \"\([^\"]*\)\" category=\"[^\"]*\" \([a-z_]*\) points=\([0-9]*\)\/.*/\1\t\2\t\3\t\4/p" \
		"$tmp/a.dump" | awk -F'\t' 'NR == FNR { want[$1] = 1; next } $1 in want' \
		<(echo "$names") - | sort)
	if [ "$got" = "$want" ]; then
		ok "$t: every check of $(wc -l <<<"$names") scenarios as lab/$t-verdicts.tsv says"
	else
		not_ok "$t: every check as lab/$t-verdicts.tsv says"
		diag "$(diff <(echo "$want") <(echo "$got") | head -20)"
	fi
done

# 3. Killed in the middle (SIGKILL: no chance to clean up), started again.
# Not through the function: $! must be the scan itself, not a subshell.
"$LAB/exec" "$NETHEALTH" scan -i "$tmp/list" --both --conn-rate 0 \
	--db "$tmp/b.db" --concurrency 4 >/dev/null 2>"$tmp/b1.err" &
pid=$!
total=$((2 * ndomains))
for _ in $(seq 600); do
	n=$("$DUMP" "$tmp/b.db" 2>/dev/null | grep -c '^test ')
	[ "${n:-0}" -ge $((total / 3)) ] && break
	sleep 0.1
done
# lab/exec's process is the scan itself (exec all the way down).
if [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$(basename "$NETHEALTH")" ]; then
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	pid=
	ok "scan killed with SIGKILL after $n of $total results"
else
	not_ok "scan still running when killed (it ended first, or is not pid $pid)"
fi
before=$("$DUMP" "$tmp/b.db" | grep -c '^test ')
# Started again with two worker processes (the round's key does not
# depend on them): they share the rest and write to the one store.
if scan --db "$tmp/b.db" --workers 2 >"$tmp/b2.out" 2>"$tmp/b2.err"; then
	ok "the same scan started again (two workers) exits 0"
else
	not_ok "the same scan started again (two workers) exits 0"
	diag "$(tail -5 "$tmp/b2.err")"
fi
check "it resumed the same round" grep -q 'round 1 (resumed)' "$tmp/b2.err"
check "it ran only what was missing ($((total - before)) tests)" \
	grep -q "; $((total - before)) tests to run" "$tmp/b2.err"
"$DUMP" "$tmp/b.db" >"$tmp/b.dump"
# The verdicts: every target, invalid line, test (score), category and
# check (status, points). Messages and evidence are left out of this
# comparison: two uninterrupted scans differ there too, as servers do
# (which name server's signatures unbound names as expired, curl's
# "after 93 ms", whether mail421.test's server deferred a try).
verdicts() { sed 's/ message=.*//' "$1"; }
if diff <(verdicts "$tmp/a.dump") <(verdicts "$tmp/b.dump") >"$tmp/diff"; then
	ok "the resumed store holds the uninterrupted one's verdicts ($(wc -l <"$tmp/a.dump") lines)"
else
	not_ok "the resumed store holds the uninterrupted one's verdicts"
	diag "$(cut -c1-300 "$tmp/diff" | head -20)"
	mkdir -p build && cp "$tmp/a.dump" "$tmp/b.dump" build/ # to look at
fi

# 4. A finished round is not resumed: the same scan again is a new round.
echo good.test >"$tmp/one"
for r in 2 3; do
	in_lab "$NETHEALTH" scan -i "$tmp/one" --web --conn-rate 0 --db "$tmp/b.db" \
		>/dev/null 2>"$tmp/c.err"
	check "the same finished scan again: a new round ($r)" grep -q "round $r:" "$tmp/c.err"
done
