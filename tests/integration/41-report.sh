#!/bin/bash
# 41-report.sh: nethealth report on a real store: two scan rounds of lab
# domains (the second drops two domains and adds two), then the report's
# JSON, CSV and HTML checked against each other and against the store:
# every check's adoption equals what the CSV rows count, progress names the
# new and gone domains, --by groups by a tag's values, a hostile tag shows
# as text; the HTML page opens in headless Chromium (Debian's chromium,
# driven by tests/browser/check-html.js) with no console error, no request
# but the file itself, and its screenshot is kept in build/report.png.
set -u
. tests/integration/lib.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/r.db

# Round 1: 12 scenarios; round 2: the first 10 and two others.
cat >"$tmp/one" <<'LIST'
good.test,sector=health
legacy.test,sector=health
unsigned.test,sector=finance
bogus.test,sector=finance
nsec3.test,sector=education
tls13only.test,sector=education
nohsts.test,sector=health
spfplus.test,sector=finance,<script>alert(1)</script>
nodmarc.test,sector=education
mtasts.test,sector=health
mailweak.test,sector=finance
noheaders.test,sector=education
LIST
{ head -10 "$tmp/one"; printf 'dmarcnone.test,sector=health\nhsts1d.test,sector=finance\n'; } >"$tmp/two"

for r in one two; do
	if in_lab "$NETHEALTH" scan -i "$tmp/$r" --both --conn-rate 0 --db "$db" \
		>/dev/null 2>"$tmp/$r.err"; then
		ok "scan round '$r' into the store"
	else
		not_ok "scan round '$r' into the store"
		diag "$(tail -5 "$tmp/$r.err")"
	fi
done

"$NETHEALTH" report --db "$db" --json >"$tmp/r.json" 2>"$tmp/err" ||
	diag "report --json: $(cat "$tmp/err")"
# (RFC 4180 ends lines with CRLF; the checks below read LF lines.)
"$NETHEALTH" report --db "$db" --csv 2>"$tmp/err" | tr -d '\r' >"$tmp/r.csv" ||
	diag "report --csv: $(cat "$tmp/err")"
check_eq "the report is of the latest round, compared with the one before" \
	"2 1" "$(jq -r '"\(.round.id) \(.base_round.id)"' "$tmp/r.json")"

# CSV: a header, then one row per domain, test and check, each once.
check_eq "CSV header" "round,domain,tags,test,category,check,status,points,max,message" \
	"$(head -1 "$tmp/r.csv")"
check_eq "CSV: no domain, test and check twice" 0 \
	"$(tail -n +2 "$tmp/r.csv" | cut -d, -f2,4,6 | sort | uniq -d | wc -l)"
check_eq "CSV: the 12 domains of round 2, both tests" "12 web 12 mail" \
	"$(tail -n +2 "$tmp/r.csv" | awk -F, '!(($4 " " $2) in seen) { seen[$4 " " $2] = 1; n[$4]++ }
		END { printf "%d web %d mail", n["web"], n["mail"] }')"

# Every check's adoption in the JSON equals the CSV's count (status is
# the 7th field; messages come after it, so commas there do not matter).
want=$(tail -n +2 "$tmp/r.csv" | awk -F, '{ n[$6]++; if ($7 == "passed") p[$6]++;
	if ($7 != "not_tested" && $7 != "error") t[$6]++ }
	END { for (c in n) printf "%s %d %d\n", c, p[c], t[c] }' | sort)
got=$(jq -r '.overall.checks | to_entries[] | "\(.key) \(.value.passed) \(.value.tested)"' \
	"$tmp/r.json" | sort)
if [ "$want" = "$got" ]; then
	ok "every check's adoption in the JSON equals the CSV's rows ($(wc -l <<<"$got") checks)"
else
	not_ok "every check's adoption in the JSON equals the CSV's rows"
	diag "$(diff <(echo "$want") <(echo "$got") | head -10)"
fi

check_eq "progress: the two new domains" "dmarcnone.test hsts1d.test" \
	"$(jq -r '[.progress.new[]? | if type == "object" then .domain else . end] | unique | join(" ")' "$tmp/r.json")"
check_eq "progress: the two gone domains" "mailweak.test noheaders.test" \
	"$(jq -r '[.progress.gone[]? | if type == "object" then .domain else . end] | unique | join(" ")' "$tmp/r.json")"
check_eq "trend: both rounds" 2 "$(jq '.trend | length' "$tmp/r.json")"

"$NETHEALTH" report --db "$db" --json --by sector >"$tmp/by.json" 2>/dev/null
check_eq "--by sector: one group per sector" "education finance health" \
	"$(jq -r '[.groups[].group] | sort | join(" ")' "$tmp/by.json")"

# The HTML page, in a real browser.
html=build/report.html
mkdir -p build
if "$NETHEALTH" report --db "$db" --by sector --html "$html" 2>"$tmp/err"; then
	ok "report --html writes $html"
else
	not_ok "report --html writes $html"
	diag "$(cat "$tmp/err")"
fi
# The hostile plain tag names a group with --by tag.
"$NETHEALTH" report --db "$db" --by tag --html - >"$tmp/tag.html" 2>/dev/null
check "--by tag: the hostile tag is a group, escaped in the page" \
	grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/tag.html"
check "--by tag: no <script> element in that page" bash -c "! grep -qi '<script' '$tmp/tag.html'"
check "no <script> element in the page" bash -c "! grep -qi '<script' '$html'"
if tests/browser/install >"$tmp/npm.log" 2>&1; then
	node tests/browser/check-html.js "$html" build/report.png 2>&1 | grep -E '^(ok|not ok|#)'
else
	not_ok "tests/browser/install (npm ci of playwright-core)"
	diag "$(tail -5 "$tmp/npm.log")"
fi
check "a screenshot of the report: build/report.png" test -s build/report.png
