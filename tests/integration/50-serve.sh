#!/bin/bash
# 50-serve.sh: nethealth serve, in the lab. Both servers run in the lab's
# client namespace (lab/exec: they resolve through the lab) and listen on
# its own loopback, where curl and the browser reach them.
#
# 1. `serve --lab`: prints its URL on standard error, /healthz, the JSON
#    API (POST /api/v1/tests 201 {"id"}; GET /api/v1/tests/ID queued |
#    running | done, the result the same as `nethealth web --json` gives;
#    4xx with a JSON error for an unknown test, bad JSON, a bad type, a bad
#    name), the form (POST /test 303 to /test/ID), a Content-Security-Policy
#    without 'unsafe-inline'; then the browser test (tests/browser/serve.js
#    in Debian's chromium: good.test with the keyboard, score 100;
#    legacy.test's failures and their advice; xss.test's <script> payloads
#    shown as text, nothing run; the other pages; a phone; screenshots in
#    build/serve-*.png); SIGTERM ends it with status 0.
# 2. `serve` without --lab (and without NETHEALTH_LAB in its environment)
#    refuses names whose addresses are not public, loopback.nonpublic.test
#    (127.0.0.1) and private.nonpublic.test (10.0.0.1), lab/zones/
#    nonpublic.test.zone, with a message that says so: through the form (400,
#    a page with id="error") and the API (4xx, a JSON error). A packet to
#    10.0.0.1 would also fail 90-lab-hermetic.sh. SIGTERM: status 0.
# Runs from the repository root with the lab up. SERVE_PORT (default
# 18080) and SERVE_PORT + 1 are the ports, in nh-cli only.
set -u
. tests/integration/lib.sh

PORT=${SERVE_PORT:-18080}
PORT2=$((PORT + 1))
WAIT_START=30  # s for a server to listen (the sanitized build is slower)
WAIT_TEST=180  # s for one test's result
WAIT_STOP=40   # s for a server to end after SIGTERM
tmp=$(mktemp -d)
pids=""
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	local p
	for p in $pids; do kill -TERM "$p" 2>/dev/null; done
	for p in $pids; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# http METHOD URL [CURL ARGS...]: the status code; the body in $tmp/body,
# the headers in $tmp/hdr. curl runs in nh-cli, where the servers listen.
http() {
	local m=$1 u=$2 code
	shift 2
	: >"$tmp/body"
	: >"$tmp/hdr"
	code=$("$LAB/exec" curl -sS --max-time 15 -o "$tmp/body" -D "$tmp/hdr" \
		-w '%{http_code}' -X "$m" "$u" "$@" 2>"$tmp/curl.err") || true
	echo "${code:-000}"
}
header() { awk -v h="$1" 'tolower($0) ~ "^" tolower(h) ":" { sub(/^[^:]*:[ \t]*/, ""); sub(/\r$/, ""); print; exit }' "$tmp/hdr"; }
body_head() { tr -d '\r' <"$tmp/body" | head -c 300; }

# The text of the element with id="error" in $tmp/body (tags dropped).
error_text() {
	perl -0777 -ne 'if (/<(\w+)[^>]*\bid=["\x27]?error["\x27]?[^>]*>(.*?)<\/\1>/si) {
		my $t = $2; $t =~ s/<[^>]*>/ /g; $t =~ s/&lt;/</g; $t =~ s/&gt;/>/g; $t =~ s/&quot;/"/g;
		$t =~ s/&#0*39;|&apos;/\x27/g; $t =~ s/&amp;/&/g; $t =~ s/\s+/ /g; $t =~ s/^ | $//g; print $t }' "$tmp/body"
}

# json_error DESC CODE: CODE is 4xx and $tmp/body a JSON object with a
# non-empty "error" (a string, or an object with a "message").
json_error() {
	local desc=$1 code=$2 msg
	msg=$(jq -r 'if (.error | type) == "string" then .error
		elif (.error | type) == "object" then (.error.message // empty) else empty end' \
		"$tmp/body" 2>/dev/null)
	if [[ $code == 4?? ]] && [ -n "$msg" ]; then
		ok "$desc: $code, JSON error"
	else
		not_ok "$desc: 4xx with a JSON error"
		diag "status $code, Content-Type $(header Content-Type)" "body: $(body_head)"
	fi
	LAST_ERROR=$msg
}

# start_server NAME PORT CMD...: runs CMD (nethealth serve ...) in nh-cli in
# the background; SPID is its pid (lab/exec execs all the way down), SURL
# the URL it printed. Returns 1 (and says why) if it does not listen.
start_server() {
	local name=$1 port=$2 i url rc
	shift 2
	: >"$tmp/$name.out"
	: >"$tmp/$name.err"
	"$LAB/exec" "$@" </dev/null >>"$tmp/$name.out" 2>>"$tmp/$name.err" &
	SPID=$!
	pids="$pids $SPID"
	SURL=
	for ((i = 0; i < WAIT_START * 4; i++)); do
		if ! kill -0 "$SPID" 2>/dev/null; then
			wait "$SPID"
			rc=$?
			not_ok "$name: nethealth serve starts and listens on 127.0.0.1:$port"
			diag "it exited with status $rc before listening: $*" "$(tail -5 "$tmp/$name.err")"
			return 1
		fi
		url=$(grep -o 'http://[^ ]*' "$tmp/$name.err" | head -1)
		if [ -n "$url" ]; then
			SURL=${url%/}
			SURL=${SURL%.}
			break
		fi
		if [ "$(http GET "http://127.0.0.1:$port/healthz")" = 200 ]; then break; fi
		sleep 0.25
	done
	if [ -z "$SURL" ] && [ "$(http GET "http://127.0.0.1:$port/healthz")" != 200 ]; then
		not_ok "$name: nethealth serve starts and listens on 127.0.0.1:$port"
		diag "nothing printed and nothing answers /healthz after ${WAIT_START} s: $*" \
			"$(tail -5 "$tmp/$name.err")"
		return 1
	fi
	ok "$name: nethealth serve starts and listens on 127.0.0.1:$port"
	# It answered: the URL, if it prints one, is on its way.
	for ((i = 0; i < 8 && ${#SURL} == 0; i++)); do
		url=$(grep -o 'http://[^ ]*' "$tmp/$name.err" | head -1)
		SURL=${url%/}
		SURL=${SURL%.}
		[ -n "$SURL" ] || sleep 0.25
	done
	if [ -n "$SURL" ] && [[ $SURL == "http://127.0.0.1:$port"* ]]; then
		ok "$name: prints its URL on standard error ($SURL)"
	else
		not_ok "$name: prints its URL on standard error"
		diag "standard error: $(head -3 "$tmp/$name.err")"
	fi
	SURL=http://127.0.0.1:$port
	local comm
	comm=$(basename "$NETHEALTH" | cut -c1-15)
	[ "$(cat "/proc/$SPID/comm" 2>/dev/null)" = "$comm" ] ||
		diag "pid $SPID is $(cat "/proc/$SPID/comm" 2>/dev/null), not $comm: SIGTERM goes there"
	return 0
}

# stop_server NAME PID URL: SIGTERM; it must end within WAIT_STOP s with
# status 0, stop listening, and its standard error hold no sanitizer report.
stop_server() {
	local name=$1 pid=$2 u=$3 i rc
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < WAIT_STOP * 4; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.25
	done
	if kill -0 "$pid" 2>/dev/null; then
		not_ok "$name: SIGTERM ends the server within ${WAIT_STOP} s"
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return
	fi
	wait "$pid"
	rc=$?
	check_eq "$name: SIGTERM ends the server with exit status 0" 0 "$rc"
	[ "$rc" = 0 ] || diag "$(tail -5 "$tmp/$name.err")"
	check_eq "$name: nothing listens after it ended" 000 "$(http GET "$u/healthz")"
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$tmp/$name.err"; then
		not_ok "$name: no sanitizer report on standard error"
		diag "$(grep -m 5 -E 'ERROR|SUMMARY|runtime error' "$tmp/$name.err")"
	else
		ok "$name: no sanitizer report on standard error"
	fi
}

# wait_test URL ID: polls GET /api/v1/tests/ID until done or error; the
# statuses seen in $tmp/seen-ID, the last answer in $tmp/test-ID.json.
wait_test() {
	local u=$1 id=$2 i st eid
	eid=$(jq -rn --arg s "$id" '$s | @uri')
	: >"$tmp/seen-$id"
	for ((i = 0; i < WAIT_TEST; i++)); do
		http GET "$u/api/v1/tests/$eid" >/dev/null
		cp "$tmp/body" "$tmp/test-$id.json"
		st=$(jq -r '.status // "(none)"' "$tmp/body" 2>/dev/null || echo "(not JSON)")
		echo "$st" >>"$tmp/seen-$id"
		case $st in done | error) return 0 ;; esac
		sleep 1
	done
	return 1
}

if ! "$NETHEALTH" serve --help >"$tmp/help" 2>&1 || grep -qi 'not available' "$tmp/help"; then
	not_ok "nethealth serve is available"
	diag "$NETHEALTH serve --help: $(grep -i -m 1 'not available' "$tmp/help" || tail -1 "$tmp/help")"
	exit 0
fi
check "nethealth serve --help lists --lab" grep -q -- '--lab' "$tmp/help"

# -- 1. serve --lab ---------------------------------------------------------
if start_server lab "$PORT" "$NETHEALTH" serve --lab --listen "127.0.0.1:$PORT" --db "$tmp/lab.db"; then
	U=$SURL
	LABPID=$SPID
	check_eq "lab: GET /healthz: 200 \"ok\"" "200 ok" "$(http GET "$U/healthz") $(tr -d '\r\n' <"$tmp/body")"

	code=$(http GET "$U/")
	check_eq "lab: GET /: 200" 200 "$code"
	check "lab: GET / holds the form (id=\"test-form\")" grep -q 'id="test-form"' "$tmp/body"
	csp=$(header Content-Security-Policy)
	if [ -n "$csp" ] && ! grep -qi "unsafe-inline\|unsafe-eval" <<<"$csp"; then
		ok "lab: pages send a Content-Security-Policy without 'unsafe-inline' ($csp)"
	else
		not_ok "lab: pages send a Content-Security-Policy without 'unsafe-inline'"
		diag "Content-Security-Policy: ${csp:-(none)}"
	fi

	# The JSON API: good.test.
	code=$(http POST "$U/api/v1/tests" -H 'Content-Type: application/json' \
		--data '{"type":"web","domain":"good.test"}')
	id=$(jq -r '.id // empty | tostring' "$tmp/body" 2>/dev/null)
	if [ "$code" = 201 ] && [ -n "$id" ]; then
		ok "lab: POST /api/v1/tests {good.test, web}: 201 {\"id\": \"$id\"}"
	else
		not_ok "lab: POST /api/v1/tests {good.test, web}: 201 with an id"
		diag "status $code: $(body_head)"
	fi
	check "lab: the API answers application/json" bash -c "grep -qi '^content-type: *application/json' '$tmp/hdr'"
	if [ -n "$id" ]; then
		if wait_test "$U" "$id"; then
			ok "lab: GET /api/v1/tests/$id comes to an end within ${WAIT_TEST} s"
		else
			not_ok "lab: GET /api/v1/tests/$id comes to an end within ${WAIT_TEST} s"
			diag "last answer: $(head -c 300 "$tmp/test-$id.json")"
		fi
		bad=$(grep -vxE 'queued|running|done|error' "$tmp/seen-$id" | sort -u | paste -sd' ')
		check_eq "lab: its status is always queued, running, done or error" "" "$bad"
		t=$tmp/test-$id.json
		check_eq "lab: the finished test: id, status done, domain, type" \
			"$id done good.test web" \
			"$(jq -r '"\(.id) \(.status) \(.domain) \(.type)"' "$t" 2>/dev/null)"
		check_eq "lab: its result scores good.test 100" 100 "$(jq -r '.result.score' "$t" 2>/dev/null)"
		in_lab "$NETHEALTH" web good.test --json >"$tmp/cli.json" 2>/dev/null
		shape='{domain, type, score, categories: (.categories | map_values(.status)),
			checks: (.checks | map_values({status, points}))}'
		want=$(jq -S "$shape" "$tmp/cli.json" 2>/dev/null)
		got=$(jq -S ".result | $shape" "$t" 2>/dev/null)
		if [ -n "$want" ] && [ "$want" = "$got" ]; then
			ok "lab: the API's result is what nethealth web good.test --json says (every check's status and points)"
		else
			not_ok "lab: the API's result is what nethealth web good.test --json says (every check's status and points)"
			diag "$(diff <(echo "$want") <(echo "$got") | head -10)"
		fi
		check_eq "lab: the result has the keys of nethealth web --json" \
			"$(jq -c 'keys' "$tmp/cli.json" 2>/dev/null)" "$(jq -c '.result | keys' "$t" 2>/dev/null)"
		check_eq "lab: the result's servers (technical details) are the facts of nethealth web --json" \
			"$(jq -c '.servers | keys' "$tmp/cli.json" 2>/dev/null)" "$(jq -c '.result.servers | keys' "$t" 2>/dev/null)"
		check "lab: the result's servers name the web addresses" \
			jq -e '.result.servers | tostring | test("203\\.0\\.113\\.")' "$t"
	fi

	# The API's errors.
	code=$(http GET "$U/api/v1/tests/no-such-test-0")
	json_error "lab: GET /api/v1/tests/<unknown id>" "$code"
	check_eq "lab: GET /api/v1/tests/<unknown id>: 404" 404 "$code"
	json_error "lab: POST /api/v1/tests, not JSON" \
		"$(http POST "$U/api/v1/tests" -H 'Content-Type: application/json' --data '{"type": "web", "domain":')"
	json_error "lab: POST /api/v1/tests, type \"dns\"" \
		"$(http POST "$U/api/v1/tests" -H 'Content-Type: application/json' --data '{"type":"dns","domain":"good.test"}')"
	json_error "lab: POST /api/v1/tests, domain \"bad..test\"" \
		"$(http POST "$U/api/v1/tests" -H 'Content-Type: application/json' --data '{"type":"web","domain":"bad..test"}')"

	# The form, without a browser.
	code=$(http POST "$U/test" -H "Origin: $U" --data-urlencode domain=unsigned.test -d type=web)
	loc=$(header Location)
	fid=$(sed -n 's|^\(https\?://[^/]*\)\{0,1\}/test/\([^/?#]*\)$|\2|p' <<<"$loc")
	if [ "$code" = 303 ] && [ -n "$fid" ]; then
		ok "lab: POST /test (the form, unsigned.test): 303 to /test/$fid"
		wait_test "$U" "$fid" || true
		code=$(http GET "$U/test/$fid")
		if [ "$code" = 200 ] && grep -q 'id="score"' "$tmp/body"; then
			ok "lab: GET /test/$fid: the result page (id=\"score\")"
		else
			not_ok "lab: GET /test/$fid: the result page (id=\"score\")"
			diag "status $code: $(body_head)"
		fi
	else
		not_ok "lab: POST /test (the form, unsigned.test): 303 to /test/ID"
		diag "status $code, Location: ${loc:-(none)}" "$(body_head)"
	fi

	# The browser.
	mkdir -p build
	rm -f build/serve-*.png
	if tests/browser/install >"$tmp/npm.log" 2>&1; then
		"$NETHEALTH" checks --json >"$tmp/checks.json"
		jq -r '.[] | select(.test == "web") | .id' "$tmp/checks.json" |
			while read -r c; do "$NETHEALTH" explain "$c" --json; done |
			jq -s --slurpfile all "$tmp/checks.json" \
				'($all[0] | map({(.id): .category}) | add) as $cat
				 | map({(.id): {title, fix, category: $cat[.id]}}) | add' >"$tmp/catalog.json"
		in_lab env SERVE_RESULT_TIMEOUT="$WAIT_TEST" node tests/browser/serve.js "$U" build \
			"$tmp/catalog.json" >"$tmp/browser.out" 2>&1
		grep -E '^(ok|not ok|#)' "$tmp/browser.out"
		grep -qE '^(ok|not ok)' "$tmp/browser.out" || {
			not_ok "tests/browser/serve.js ran"
			diag "$(tail -5 "$tmp/browser.out")"
		}
	else
		not_ok "tests/browser/install (npm ci of playwright-core)"
		diag "$(tail -5 "$tmp/npm.log")"
	fi
	check "screenshots: build/serve-*.png" bash -c 'ls build/serve-*.png >/dev/null 2>&1'

	http GET "$U/healthz" >/dev/null
	check_eq "lab: still answers /healthz after all that" "ok" "$(tr -d '\r\n' <"$tmp/body")"
	stop_server lab "$LABPID" "$U"
fi

# -- 2. serve without --lab -------------------------------------------------
if start_server public "$PORT2" env -u NETHEALTH_LAB "$NETHEALTH" serve \
	--listen "127.0.0.1:$PORT2" --db "$tmp/public.db"; then
	U=$SURL
	PUBPID=$SPID
	check_eq "public: GET /healthz: 200 \"ok\"" "200 ok" "$(http GET "$U/healthz") $(tr -d '\r\n' <"$tmp/body")"

	# name, address, what a clear message names
	while read -r name addr says; do
		code=$(http POST "$U/test" -H "Origin: $U" --data-urlencode "domain=$name" -d type=web)
		msg=$(error_text)
		if [ "$code" = 400 ] && [ -n "$msg" ]; then
			ok "public: the form refuses $name ($addr): 400, id=\"error\""
		else
			not_ok "public: the form refuses $name ($addr): 400, id=\"error\""
			diag "status $code, Location: $(header Location)" "$(body_head)"
		fi
		if [ -n "$msg" ] && grep -qiE "$says" <<<"$msg"; then
			ok "public: the page says why: $msg"
		else
			not_ok "public: the page's message names the address or says it is not public"
			diag "#error: ${msg:-(none)}"
		fi
		LAST_ERROR=
		json_error "public: POST /api/v1/tests {$name}" \
			"$(http POST "$U/api/v1/tests" -H 'Content-Type: application/json' \
				--data "{\"type\":\"web\",\"domain\":\"$name\"}")"
		if [ -n "$LAST_ERROR" ] && grep -qiE "$says" <<<"$LAST_ERROR"; then
			ok "public: the API says why: $LAST_ERROR"
		else
			not_ok "public: the API's error names the address or says it is not public"
			diag "error: ${LAST_ERROR:-(none)}"
		fi
	done <<'NAMES'
loopback.nonpublic.test 127.0.0.1 127\.0\.0\.1|loopback|not (a )?public|non-public|private|reserved|local|internal
private.nonpublic.test 10.0.0.1 10\.0\.0\.1|private|not (a )?public|non-public|reserved|internal
NAMES
	stop_server public "$PUBPID" "$U"
fi
exit 0
