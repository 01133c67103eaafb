#!/usr/bin/env bash
# cli.sh: the command-line contract of DESIGN.md: help, version, exit codes,
# usage errors, environment defaults, and the commands that work today.
# Needs no lab. NETHEALTH names the binary under test.
set -u
. "$(dirname "$0")/integration/lib.sh"

nh() { "$NETHEALTH" "$@"; }

# expect_rc DESC RC CMD...: CMD exits with RC.
expect_rc() {
	local desc=$1 want=$2 got
	shift 2
	"$@" >/dev/null 2>&1
	got=$?
	check_eq "$desc (exit $want)" "$want" "$got"
}

# expect_out DESC PATTERN CMD...: CMD's output (stdout+stderr) matches.
expect_out() {
	local desc=$1 pat=$2 out
	shift 2
	out=$("$@" 2>&1)
	if printf '%s\n' "$out" | grep -qE -- "$pat"; then
		ok "$desc"
	else
		not_ok "$desc"
		diag "wanted /$pat/ in:" "$out"
	fi
}

expect_rc "--help" 0 nh --help
expect_rc "help" 0 nh help
expect_rc "--version" 0 nh --version
expect_out "--version names the program and version" \
    '^nethealth [0-9]+\.[0-9]+\.[0-9]+' nh --version
expect_rc "no arguments is a usage error" 1 nh
expect_rc "unknown command" 1 nh frobnicate
expect_out "unknown command is named" "unknown command 'frobnicate'" \
    nh frobnicate
expect_rc "unknown global option" 1 nh --frob
expect_out "usage follows an unknown command" '^Usage: nethealth' \
    nh frobnicate

# Every subcommand of DESIGN.md is listed and has its own help.
for c in web mail tls scan report serve survey checks explain; do
	expect_out "--help lists $c" "^[ *] $c( |$)" nh --help
	expect_rc "$c --help" 0 nh "$c" --help
	expect_out "$c --help shows its usage" "^Usage: nethealth $c" \
	    nh "$c" --help
	expect_rc "help $c" 0 nh help "$c"
	expect_rc "$c with an unknown option" 1 nh "$c" --no-such-option
done
expect_out "web --help names its options" '--json' nh web --help
expect_out "scan --help names --shard" '--shard K/N' nh scan --help
expect_out "tls --help names --starttls" '--starttls PROTO' nh tls --help

# Commands that are not built yet say so and exit 2 (could not run).
# --starttls smtp works (the mail test); on a closed loopback port it says
# so in the facts: nothing listens, no STARTTLS.
s=$(nh tls 127.0.0.1:1 --starttls smtp --json --timeout 2 |
    jq -r '.servers.tls[0] | "\(.port) \(.reachable)"')
check_eq "tls --starttls smtp on a closed port: tested, not reachable" \
    "1 failed" "$s"
expect_rc "tls with a bad port" 1 nh tls good.test:0
expect_rc "tls with a port out of range" 1 nh tls good.test:65536
expect_rc "tls with an unclosed bracket" 1 nh tls '[2001:db8::1:443'
expect_rc "tls with a bad name" 1 nh tls 'bad..name:443'
# scan without the lab: only lists whose names are all invalid (a valid one
# would be looked up on the real Internet).
scantmp=$(mktemp -d)
expect_rc "scan of an unreadable list" 1 nh scan -i /nonexistent/list --db "$scantmp/s.db"
expect_out "scan names the list it cannot read" '/nonexistent/list: No such file' \
    nh scan -i /nonexistent/list --db "$scantmp/s.db"
expect_rc "scan into a store that cannot be made" 2 nh scan -i /dev/null \
    --db /nonexistent/dir/s.db
printf 'localhost\n\nbad..test\nlocalhost\n# comment\n' >"$scantmp/bad"
out=$(nh scan -i - --db "$scantmp/s.db" <"$scantmp/bad" 2>&1)
# Each invalid line is an error of its own, a repeated one too (only valid
# names are merged: they are tested once).
check_eq "scan of invalid names only: each line reported with its reason" \
    "line 1: 'localhost': not a domain name (one label only)|line 3: 'bad..test': empty label|line 4: 'localhost': not a domain name (one label only)" \
    "$(grep -o "line [0-9]*: .*" <<<"$out" | paste -sd'|')"
check "scan of invalid names: a round with 0 tests" grep -q '0 tests to run' <<<"$out"
check_eq "the report counts the 3 invalid lines" 3 \
    "$(nh report --db "$scantmp/s.db" --json | jq '.errors.invalid')"
# A progress bar on a terminal only (script(1) gives the scan a tty).
out=$(script -qec "$NETHEALTH scan -i $scantmp/bad --db $scantmp/t.db" /dev/null)
check "scan on a terminal draws a progress bar" grep -q '0/0 tests 100%.*ETA' <<<"$out"
expect_rc "scan --workers 0" 1 nh scan --workers 0 -i "$scantmp/bad"
expect_rc "scan --workers 2 of invalid names" 0 nh scan --workers 2 \
    -i "$scantmp/bad" --db "$scantmp/w.db"
out=$(nh scan -i "$scantmp/bad" --db "$scantmp/u.db" 2>&1)
check "scan not on a terminal draws none" bash -c "! grep -q ETA <<<'$out'"
rm -rf "$scantmp"
# report: the store must exist (it is never created), one output at a time.
expect_rc "report without a store" 2 nh report --db /nonexistent/nh.db
expect_out "report names the store it cannot open" '/nonexistent/nh\.db' \
    nh report --db /nonexistent/nh.db
expect_rc "report with two outputs" 1 nh report --csv --json
expect_rc "report --round not a number" 1 nh report --round x
expect_rc "report --by with '='" 1 nh report --by a=b
# serve: bad usage exits 1, what it cannot start on exits 2; one server
# on loopback answers /healthz and stops at SIGTERM with exit 0.
servetmp=$(mktemp -d)
expect_rc "serve --listen without a port" 1 nh serve --listen 127.0.0.1
expect_rc "serve --max-tests 0" 1 nh serve --max-tests 0
expect_rc "serve --users missing" 2 nh serve --listen 127.0.0.1:0 \
    --db "$servetmp/a.db" --users /nonexistent/users
expect_out "serve names the users file it cannot read" \
    'users /nonexistent/users: No such file' \
    nh serve --listen 127.0.0.1:0 --db "$servetmp/a.db" --users /nonexistent/users
expect_rc "serve with a store it cannot open" 2 nh serve \
    --listen 127.0.0.1:0 --db /nonexistent/dir/nh.db
# A survey round in the store (an imported Shadowserver report: no
# packet sent), for the site's round pages.
printf '%s\n' '"timestamp","ip","protocol","port","asn","geo","version"' \
    '"2026-11-28 10:00:00","198.51.100.7","udp",11211,64501,"NL","1.6.18"' \
    >"$servetmp/2026-11-28-scan_memcached-x.csv"
expect_rc "survey --import of a Shadowserver report" 0 nh survey \
    --import "$servetmp/2026-11-28-scan_memcached-x.csv" --db "$servetmp/a.db"
"$NETHEALTH" serve --listen 127.0.0.1:18399 --db "$servetmp/a.db" >/dev/null \
    2>"$servetmp/err" &
servepid=$!
for _ in $(seq 1 50); do
	curl -sf -o "$servetmp/h" http://127.0.0.1:18399/healthz && break
	sleep 0.1
done
check_eq "serve answers /healthz" ok "$(cat "$servetmp/h" 2>/dev/null)"
curl -s -o "$servetmp/r1" http://127.0.0.1:18399/rounds/1
check "serve: a survey round's page is the survey report" \
    grep -q 'memcached' "$servetmp/r1"
check "serve: the survey report names the country" grep -q '>NL<' "$servetmp/r1"
check "serve: the rounds page lists the survey round" \
    bash -c "curl -s http://127.0.0.1:18399/rounds | grep -q 'href=\"/rounds/1\"'"
expect_out "a second serve on the same port says so" \
    'cannot listen on 127.0.0.1:18399' \
    nh serve --listen 127.0.0.1:18399 --db "$servetmp/b.db"
kill -TERM "$servepid"
wait "$servepid"
check_eq "serve stops at SIGTERM with exit 0" 0 "$?"
check "serve said it stopped" grep -q 'stopped (0 tests interrupted)' "$servetmp/err"
rm -rf "$servetmp"
# survey: never without explicit ranges; bad ranges and services are
# usage errors; --dry-run lists the probes (in a permuted order, the
# exclusion list honoured) and sends nothing.
expect_rc "survey without ranges" 1 nh survey
expect_out "survey without ranges says why" 'never starts' nh survey
expect_rc "survey of a bad range" 1 nh survey 198.51.100.0/33
expect_rc "survey with an unknown service" 1 nh survey --services dns,bogus \
    198.51.100.0/30 --dry-run
expect_rc "survey --import with ranges" 1 nh survey --import x.csv 198.51.100.0/30
expect_out "survey of documentation space without --lab: all excluded" \
    '0 probes listed, 8 pairs excluded' \
    nh survey 198.51.100.0/30 --services dns,ntp --dry-run
dry=$(nh survey 198.51.100.0/30 2001:db8::/126 --lab --dry-run --seed 7 2>/dev/null)
check_eq "survey --dry-run --lab: one line per address and service" 56 \
    "$(printf '%s\n' "$dry" | wc -l)"
check_eq "survey --dry-run: every pair once" 56 \
    "$(printf '%s\n' "$dry" | cut -d' ' -f1,2 | sort -u | wc -l)"
order=$(printf '%s\n' "$dry" | cut -d' ' -f1 | paste -sd' ')
listed=$(printf '%s\n' "$dry" | cut -d' ' -f1 | sort | paste -sd' ')
if [ "$order" != "$listed" ]; then
	ok "survey --dry-run: a permuted order, not the listing order"
else
	not_ok "survey --dry-run: a permuted order, not the listing order"
fi
check_eq "survey --dry-run: the same seed, the same order" "$dry" \
    "$(nh survey 198.51.100.0/30 2001:db8::/126 --lab --dry-run --seed 7 2>/dev/null)"
printf '198.51.100.2\n# a comment\n2001:db8::/127\n' >"$servetmp.ex"
check_eq "survey --exclude FILE: its addresses are never listed" "" \
    "$(nh survey 198.51.100.0/30 2001:db8::/126 --lab --dry-run --seed 7 \
	--exclude "$servetmp.ex" 2>/dev/null | grep -E '^(198\.51\.100\.2|2001:db8::[01]) ')"
shards=$(for k in 1 2 3; do nh survey 198.51.100.0/30 2001:db8::/126 --lab \
    --dry-run --seed 7 --shard $k/3 2>/dev/null; done | sort)
check_eq "survey --shard 1/3..3/3: the shares make the whole, once" \
    "$(printf '%s\n' "$dry" | sort)" "$shards"
rm -f "$servetmp.ex"

# web and mail judge saved facts offline (these tests use no network).
FX=tests/fixtures/facts
expect_rc "web --from-facts" 0 nh web good.test --from-facts $FX/good.test-web.json
expect_out "web --from-facts: the score first" \
    '^Website test of good.test: 100%' \
    nh web good.test --from-facts $FX/good.test-web.json
expect_rc "mail --from-facts" 0 nh mail good.test --from-facts $FX/good.test-mail.json
s=$(nh web good.test --json --from-facts $FX/good.test-web.json |
    jq -r '[.domain, .type, .score, .categories.web_ipv6.status,
    .checks.web_dnssec_valid.status] | join(" ")')
check_eq "web --json shape" "good.test web 100 passed passed" "$s"
s=$(nh web legacy.test --json --from-facts $FX/legacy.test-web.json |
    jq -r '[.score, .checks.web_dnssec_exist.status,
    .checks.web_ipv6_ns_address.status,
    .checks.web_https_tls_version.status] | join(" ")')
# IPv6 0, DNSSEC 0, HTTPS 40, RPKI 100 (lab/expect.tsv says why).
check_eq "legacy.test fails" "35 failed failed failed" "$s"
s=$(nh mail good.test --json --from-facts $FX/good.test-mail.json |
    jq -r '.servers.mx[0].name + " " + .servers.mx_status')
check_eq "mail --json carries the facts" "mail.good.test has_mx" "$s"
expect_rc "facts of another domain" 1 \
    nh web unsigned.test --from-facts $FX/good.test-web.json
expect_rc "facts of another test" 1 \
    nh mail good.test --from-facts $FX/good.test-web.json
expect_rc "facts that are not JSON" 1 nh web good.test --from-facts /dev/null
expect_out "bad facts are explained" "expected" \
    nh web good.test --from-facts /dev/null
s=$(nh web good.test --brief --from-facts $FX/good.test-web.json)
check_eq "--brief: one line, every category" \
    "good.test web 100 web_ipv6=100 web_dnssec=100 web_https=100 web_appsecpriv=passed web_rpki=100 0ms" \
    "$s"
expect_rc "--brief and --json together" 1 \
    nh web good.test --brief --json --from-facts $FX/good.test-web.json
# RPKI files: a malformed one stops the test before any network traffic,
# naming the file, the line and what is wrong.
rpki_bad=$(mktemp)
printf 'ASN,IP Prefix,Max Length,Trust Anchor\nAS64500,203.0.113.1/24,24,lab\n' >"$rpki_bad"
expect_rc "a malformed VRP file" 2 nh web good.test --rpki-vrps "$rpki_bad" \
    --rpki-routes lab/rpki/routes.pfx2as
expect_out "a malformed VRP file: file, line and reason" ':2: host bits set' \
    nh web good.test --rpki-vrps "$rpki_bad" --rpki-routes lab/rpki/routes.pfx2as
rm -f "$rpki_bad"
tmp=$(mktemp)
expect_rc "--save-facts writes the facts" 0 nh web good.test \
    --from-facts $FX/good.test-web.json --save-facts "$tmp"
s=$(jq -S . "$tmp" | cmp -s - <(jq -S . $FX/good.test-web.json) && echo same)
check_eq "saved facts equal the facts read" same "$s"
rm -f "$tmp"
s=$(nh web legacy.test --from-facts $FX/legacy.test-web.json | grep -c '^ *How to fix it:')
if [ "$s" -ge 2 ]; then ok "failures say how to fix them"; else not_ok "failures say how to fix them ($s)"; fi
# escapes CMD...: how many ANSI escape characters CMD writes to a terminal
# (script(1) gives it one).
escapes() {
	script -qec "$(printf '%q ' "$@")" /dev/null </dev/null | tr -cd '\033' |
	    wc -c
}
# no_escapes DESC CMD...: on a terminal, CMD writes no escape character.
no_escapes() {
	local desc=$1
	shift
	check_eq "$desc" 0 "$(escapes "$@")"
}
n=$(escapes env NO_COLOR= "$NETHEALTH" web legacy.test --from-facts \
    $FX/legacy.test-web.json)
if [ "$n" -gt 0 ]; then ok "colour on a terminal"; else not_ok "colour on a terminal"; fi
no_escapes "NO_COLOR: no escape codes in the report" \
    env NO_COLOR=1 "$NETHEALTH" web legacy.test --from-facts $FX/legacy.test-web.json
expect_rc "options after the domain" 0 \
    nh web good.test --json --from-facts $FX/good.test-web.json --timeout 5

# Bad input is refused with exit 1, before anything runs.
expect_rc "web without a domain" 1 nh web
expect_rc "web with two domains" 1 nh web a.test b.test
expect_rc "web with a bad name" 1 nh web 'bad..name'
expect_out "a bad name is explained" "empty label" nh web 'bad..name'
expect_rc "web with one label" 1 nh web localhost
expect_rc "--timeout 0" 1 nh web good.test --timeout 0
expect_rc "--timeout not a number" 1 nh web good.test --timeout soon
expect_rc "--timeout without a value" 1 nh web good.test --timeout
expect_rc "--conn-rate below 0" 1 nh web good.test --conn-rate -1
expect_rc "--conn-rate not a number" 1 nh tls good.test --conn-rate fast
expect_rc "--max-conns 0" 1 nh web good.test --max-conns 0
expect_out "tls --help names --conn-rate" '--conn-rate R' nh tls --help
expect_rc "--ca-file missing" 1 nh web good.test --ca-file /nonexistent/ca.pem
expect_out "--ca-file missing is explained" "No such file" \
    nh web good.test --ca-file /nonexistent/ca.pem
expect_rc "--resolver-conf missing" 1 nh web good.test --resolver-conf /nonexistent
expect_rc "--starttls other than smtp" 1 nh tls x.test --starttls imap
expect_rc "--shard 3/2" 1 nh scan --shard 3/2
expect_rc "--shard 0/2" 1 nh scan --shard 0/2
expect_rc "--shard junk" 1 nh scan --shard 1/x
expect_rc "--concurrency 0" 1 nh scan --concurrency 0
expect_rc "--rate 0" 1 nh survey 198.51.100.0/24 --rate 0
expect_rc "an option of another command" 1 nh web good.test --db x.db
expect_rc "NETHEALTH_TIMEOUT checked" 1 \
    env NETHEALTH_TIMEOUT=-1 "$NETHEALTH" web good.test
expect_out "a bad environment value is named" "NETHEALTH_TIMEOUT" \
    env NETHEALTH_TIMEOUT=-1 "$NETHEALTH" web good.test
expect_rc "NETHEALTH_CA_FILE checked" 1 \
    env NETHEALTH_CA_FILE=/nonexistent "$NETHEALTH" web good.test

# checks and explain work today.
expect_rc "checks" 0 nh checks
expect_out "checks lists a web check" '^web_https_tls_version ' nh checks
expect_out "checks lists a mail check" '^mail_auth_spf_policy ' nh checks
expect_rc "checks mail" 0 nh checks mail
expect_rc "checks bogus" 1 nh checks bogus
n=$(nh checks --json | jq 'length')
check_eq "checks --json lists 84 checks" 84 "$n"
n=$(nh checks --json web | jq '[.[] | select(.test != "web")] | length')
check_eq "checks --json web lists web checks only" 0 "$n"
n=$(nh checks --json | jq '[.[] | select(.scored)] | map(.points) | add')
# web 22+10+150+30, mail 20+20+50+140+45 (see tests/unit/test_checks.c)
check_eq "scored points over all checks" 487 "$n"
expect_rc "explain a check" 0 nh explain web_https_tls_version
expect_out "explain says how to fix it" '^How to fix it' \
    nh explain web_https_tls_version
expect_rc "explain a category" 0 nh explain mail_auth
expect_rc "explain an unknown id" 1 nh explain no_such_check
expect_out "explain suggests near ids" 'web_ipv6_ns_reach' nh explain ipv6_ns
t=$(nh explain --json mail_auth_spf_policy | jq -r '.id + " " + .theme')
check_eq "explain --json" "mail_auth_spf_policy standards" "$t"
# The man page documents every command.
for c in web mail tls scan report serve survey checks explain; do
	if grep -q "^\.B nethealth $c\$" man/nethealth.1; then
		ok "man page synopsis has $c"
	else
		not_ok "man page synopsis has $c"
	fi
done
no_escapes "NO_COLOR: no escape codes" \
    env NO_COLOR=1 "$NETHEALTH" explain web_ipv6
exit 0
