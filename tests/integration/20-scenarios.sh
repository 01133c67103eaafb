#!/usr/bin/env bash
# 20-scenarios.sh: nethealth's verdicts on the lab's scenarios, as
# lab/expect.tsv states them: runs `nethealth web|mail NAME --json` (and
# with --internetnl-compat where a row asks) once per name and test, and
# asserts every row. Then checks that every check nethealth runs passes in
# some row and does not pass in another. Last, every scenario against
# lab/web-verdicts.tsv and lab/mail-verdicts.tsv: the status and points of
# every check of the test (UPDATE_VERDICTS=1 rewrites those files from
# this run: review their diff, a changed verdict needs a reason).
set -u
. tests/integration/lib.sh

EXPECT=$LAB/expect.tsv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# result NAME TEST [compat]: the JSON of that test, run once and kept.
result() {
	local f=$tmp/$1-$2${3:+-compat}.json
	if [ ! -s "$f" ]; then
		in_lab "$NETHEALTH" "$2" "$1" --json ${3:+--internetnl-compat} \
		    </dev/null >"$f" 2>"$f.err" || {
			echo "{}" >"$f"
			diag "$NETHEALTH $2 $1 failed: $(cat "$f.err")"
		}
	fi
	cat "$f"
}

# The jq path of an expect.tsv "what".
jq_path() {
	local w=${1#compat:}
	case $w in
	score) echo '.score' ;;
	score:*) echo ".categories.${w#score:}.score" ;;
	category:*) echo ".categories.${w#category:}.status" ;;
	points:*) echo ".checks.${w#points:}.points" ;;
	*) echo ".checks.$w.status" ;;
	esac
}

# Every test the rows need, run ahead, four at a time: a TLS scenario
# takes about a second (the politeness limit), a silent server the timeout.
while IFS=$'\t' read -r name test what _; do
	case $name in '' | '#'*) continue ;; esac
	case $what in compat:*) echo "$name $test 1" ;; *) echo "$name $test" ;; esac
done <"$EXPECT" | sort -u >"$tmp/runs"
export -f result in_lab diag
export tmp LAB NETHEALTH
xargs -P 4 -L 1 bash -c 'result "$@" >/dev/null' _ <"$tmp/runs"

while IFS=$'\t' read -r name test what expect why; do
	case $name in '' | '#'*) continue ;; esac
	compat=
	case $what in compat:*) compat=1 ;; esac
	got=$(result "$name" "$test" $compat | jq -r "$(jq_path "$what")")
	check_eq "$name $test $what = $expect ($why)" "$expect" "$got"
	# What passed and what did not, for the coverage check below.
	c=${what#compat:}
	case $c in
	score* | category:* | points:*) ;;
	*)
		if [ "$expect" = passed ]; then
			echo "$c" >>"$tmp/passes"
		elif [ "$expect" != not_tested ] && [ "$expect" != error ]; then
			echo "$c" >>"$tmp/fails"
		fi
		;;
	esac
done <"$EXPECT"

# verdicts NAME TEST: "NAME CHECK STATUS POINTS" for every check of TEST.
verdicts() {
	result "$1" "$2" | jq -r --arg n "$1" \
	    '.checks | to_entries[] | "\($n)\t\(.key)\t\(.value.status)\t\(.value.points)"'
}

for test in web mail; do
	VERDICTS=$LAB/$test-verdicts.tsv
	names=$(awk -F'\t' -v t="$test" '$2 == t && $1 !~ /^#/ { print $1 }' \
	    "$EXPECT" | sort -u)
	if [ "${UPDATE_VERDICTS:-}" = 1 ]; then
		{
			echo "# $test-verdicts.tsv: the status and points of every check of"
			echo "# the $test test on every $test scenario of lab/expect.tsv, asserted"
			echo "# by tests/integration/20-scenarios.sh. Written by that test with"
			echo "# UPDATE_VERDICTS=1; expect.tsv holds the reasoned rows, this file"
			echo "# the whole picture. Columns: domain, check, status, points."
			for n in $names; do verdicts "$n" "$test"; done
		} >"$VERDICTS"
	fi
	for n in $names; do
		want=$(awk -F'\t' -v n="$n" '$1 == n' "$VERDICTS" 2>/dev/null)
		got=$(verdicts "$n" "$test")
		if [ -n "$want" ] && [ "$want" = "$got" ]; then
			ok "$n $test: every check as lab/$test-verdicts.tsv says"
		else
			not_ok "$n $test: every check as lab/$test-verdicts.tsv says"
			diag "$(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | head -20)"
		fi
	done
done

# Every check this version runs has a scenario that passes it and one
# that does not.
# Checks that cannot fail by design, each with the reason.
NEVER_FAILS="mail_starttls_tls_0rtt" # SMTP has no early data: not tested
for c in $("$NETHEALTH" checks --json | jq -r '.[] | select(.available) | .id'); do
	case " $NEVER_FAILS " in
	*" $c "*)
		grep -qx "$c" "$tmp/fails" 2>/dev/null &&
		    not_ok "$c is listed as never failing, but a row fails it"
		continue
		;;
	esac
	grep -qx "$c" "$tmp/passes" 2>/dev/null &&
	    grep -qx "$c" "$tmp/fails" 2>/dev/null &&
	    { ok "scenarios pass and fail $c"; continue; }
	not_ok "scenarios pass and fail $c"
	diag "lab/expect.tsv needs a row where $c passes and one where it does not"
done
exit 0
