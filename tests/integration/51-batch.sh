#!/bin/bash
# 51-batch.sh: the batch API of nethealth serve (Internet.nl's batch API v2)
# against the lab: HTTP Basic with yescrypt hashes (no user, a wrong
# password, another user's request); a web request of lab domains polled to
# done, its results under Internet.nl's field names and with the scores of
# the single tests; results_technical; a mail request; a request cancelled
# with PATCH; the list; metadata/report; the OpenAPI document; and a server
# killed with SIGKILL in the middle of a request, started again, finishing
# it with every domain.
set -u
. tests/integration/lib.sh

tmp=$(mktemp -d)
pid=
port=18181
base=http://127.0.0.1:$port/api/batch/v2
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

printf 'alice:%s\nbob:%s\n' "$(mkpasswd -m yescrypt alice-secret)" \
	"$(mkpasswd -m yescrypt bob-secret)" >"$tmp/users"

# lab/exec itself, not in_lab: $! must be the server (lab/exec execs it),
# not a subshell running a function.
start_server() {
	"$LAB/exec" "$NETHEALTH" serve --lab --listen 127.0.0.1:$port \
		--db "$tmp/site.db" --users "$tmp/users" --conn-rate 0 \
		--log "$tmp/access.log" >/dev/null 2>>"$tmp/server.err" &
	pid=$!
	for _ in $(seq 1 50); do
		in_lab curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && return 0
		sleep 0.1
	done
	return 1
}

# api USER METHOD PATH [BODY]: prints the body; the status in $tmp/status.
api() {
	local user=$1 method=$2 path=$3 body=${4-}
	in_lab curl -s -u "$user" -X "$method" -o "$tmp/body" \
		-w '%{http_code}' ${body:+-H 'Content-Type: application/json' -d "$body"} \
		"$base$path" >"$tmp/status"
	cat "$tmp/body"
}

# poll USER ID: waits (at most 240 s) until the request is no longer running.
poll() {
	local st
	for _ in $(seq 1 480); do
		st=$(api "$1" GET "/requests/$2" | jq -r .request.status)
		case $st in registering | running | generating) sleep 0.5 ;; *)
			echo "$st"
			return
			;;
		esac
	done
	echo timeout
}

# Not through check: the server's pid must reach this shell.
if start_server; then ok "server starts with --users"; else not_ok "server starts with --users"; fi

# Authentication.
in_lab curl -s -o /dev/null -D "$tmp/h" -w '%{http_code}' "$base/requests" >"$tmp/status"
check_eq "no credentials: 401" 401 "$(cat "$tmp/status")"
check "401 asks for Basic" grep -qi '^WWW-Authenticate: Basic' "$tmp/h"
api alice:wrong GET /requests >/dev/null
check_eq "a wrong password: 401" 401 "$(cat "$tmp/status")"
api nobody:alice-secret GET /requests >/dev/null
check_eq "an unknown user: 401" 401 "$(cat "$tmp/status")"

# A web request: scenario domains, a duplicate in other case, an invalid name.
web='["good.test","legacy.test","nohsts.test","unsigned.test","bogus.test","GOOD.TEST","bad..test"]'
api alice:alice-secret POST /requests \
	"{\"type\":\"web\",\"name\":\"lab web\",\"domains\":$web}" >"$tmp/post"
check_eq "POST /requests: 201" 201 "$(cat "$tmp/status")"
id=$(jq -r .request.request_id "$tmp/post")
check "request_id is 32 hex digits" grep -Eq '^[0-9a-f]{32}$' <<<"$id"
check_eq "request fields as Internet.nl's" \
	"api_version finished_date name request_id request_type status submit_date" \
	"$(jq -r '[keys[], (.request | keys[])] | map(select(. != "request")) | sort | join(" ")' "$tmp/post")"
check_eq "request_type and name kept" "web lab web" \
	"$(jq -r '.request.request_type + " " + .request.name' "$tmp/post")"

api bob:bob-secret GET "/requests/$id" >/dev/null
check_eq "another user's request: 404" 404 "$(cat "$tmp/status")"
api alice:alice-secret GET "/requests/$id/results" >"$tmp/early"
if [ "$(cat "$tmp/status")" = 400 ]; then
	ok "results before done: 400 (or the request was already done)"
else
	check_eq "results before done: 400 (or the request was already done)" \
		done "$(api alice:alice-secret GET "/requests/$id" | jq -r .request.status)"
fi

check_eq "web request done" done "$(poll alice:alice-secret "$id")"
api alice:alice-secret GET "/requests/$id" >"$tmp/req"
check "finished_date set when done" jq -e '.request.finished_date | type == "string"' "$tmp/req"

api alice:alice-secret GET "/requests/$id/results" >"$tmp/results"
check_eq "GET results: 200" 200 "$(cat "$tmp/status")"
check_eq "results: the distinct valid domains" \
	"bogus.test good.test legacy.test nohsts.test unsigned.test" \
	"$(jq -r '.domains | keys | join(" ")' "$tmp/results")"
check_eq "results: Internet.nl's web categories" \
	"web_appsecpriv web_dnssec web_https web_ipv6 web_rpki" \
	"$(jq -r '.domains["good.test"].results.categories | keys | join(" ")' "$tmp/results")"
check "results: status, scoring.percentage, results.tests, results.custom" \
	jq -e '.domains[] | (.status == "ok") and (.scoring.percentage | type == "number")
		and (.results.tests | length > 30) and (.results.custom | type == "object")' "$tmp/results"
check "results: Internet.nl's test names (web_https_tls_version, web_ipv6_ws_similar, web_dnssec_valid)" \
	jq -e '.domains["good.test"].results.tests | has("web_https_tls_version") and has("web_ipv6_ws_similar") and has("web_dnssec_valid")' "$tmp/results"
check "results: every test has status and verdict" \
	jq -e '[.domains[].results.tests[] | has("status") and has("verdict")] | all' "$tmp/results"
for d in good.test legacy.test nohsts.test unsigned.test bogus.test; do
	single=$(in_lab "$NETHEALTH" web "$d" --json --conn-rate 0 2>/dev/null | jq .score)
	check_eq "$d: batch percentage equals the single test's score" "$single" \
		"$(jq ".domains[\"$d\"].scoring.percentage" "$tmp/results")"
done
check_eq "good.test scores 100" 100 "$(jq '.domains["good.test"].scoring.percentage' "$tmp/results")"
url=$(jq -r '.domains["good.test"].report.url' "$tmp/results")
check "report.url: good.test's result page on this server ($url)" \
	grep -Eq "^http://127\.0\.0\.1:$port/rounds/[0-9]+/good\.test/web\$" <<<"$url"
in_lab curl -s -o "$tmp/report.html" -w '%{http_code}' "$url" >"$tmp/status"
check_eq "report.url answers 200" 200 "$(cat "$tmp/status")"
check "report.url shows score 100" grep -q 'id="score">100<' "$tmp/report.html"
check "report.url shows the technical details" grep -q '203\.0\.113\.' "$tmp/report.html"

api alice:alice-secret GET "/requests/$id/results_technical" >"$tmp/tech"
check_eq "GET results_technical: 200" 200 "$(cat "$tmp/status")"
check "results_technical: domain.dnssec.status, nameservers, webservers" \
	jq -e '.domains["good.test"] | (.domain.dnssec.status | type == "string") and has("nameservers") and has("webservers")' "$tmp/tech"

# A mail request; a request cancelled at once.
api bob:bob-secret POST /requests \
	'{"type":"mail","name":"lab mail","domains":["good.test","legacy.test","nodmarc.test"]}' >"$tmp/mpost"
mid=$(jq -r .request.request_id "$tmp/mpost")
api alice:alice-secret POST /requests \
	'{"type":"web","name":"cancel me","domains":["good.test","legacy.test","nohsts.test","unsigned.test","bogus.test","nsec3.test","tls13only.test","noheaders.test"]}' >"$tmp/cpost"
cid=$(jq -r .request.request_id "$tmp/cpost")
api alice:alice-secret PATCH "/requests/$cid" '{"status":"cancelled"}' >"$tmp/cancel"
check_eq "PATCH cancelled: 200" 200 "$(cat "$tmp/status")"
check_eq "the request is cancelled" cancelled "$(jq -r .request.status "$tmp/cancel")"
api alice:alice-secret PATCH "/requests/$cid" '{"status":"running"}' >/dev/null
check_eq "PATCH with another status: 400" 400 "$(cat "$tmp/status")"
api alice:alice-secret GET "/requests/$cid/results" >/dev/null
check_eq "a cancelled request has no results: 400" 400 "$(cat "$tmp/status")"

check_eq "mail request done" done "$(poll bob:bob-secret "$mid")"
api bob:bob-secret GET "/requests/$mid/results" >"$tmp/mres"
check_eq "mail results: Internet.nl's mail categories" \
	"mail_auth mail_dnssec mail_ipv6 mail_rpki mail_starttls" \
	"$(jq -r '.domains["good.test"].results.categories | keys | join(" ")' "$tmp/mres")"
check "mail results: custom mail_servers_testable_status and mail_non_sending_domain" \
	jq -e '.domains["good.test"].results.custom | has("mail_servers_testable_status") and has("mail_non_sending_domain")' "$tmp/mres"
for d in good.test legacy.test nodmarc.test; do
	single=$(in_lab "$NETHEALTH" mail "$d" --json --conn-rate 0 2>/dev/null | jq .score)
	check_eq "$d: mail batch percentage equals the single test's score" "$single" \
		"$(jq ".domains[\"$d\"].scoring.percentage" "$tmp/mres")"
done

api alice:alice-secret GET '/requests?limit=0' >"$tmp/list"
check_eq "alice's list: her two requests, newest first" "$cid $id" \
	"$(jq -r '[.requests[].request_id] | join(" ")' "$tmp/list")"
api alice:alice-secret GET '/requests?limit=1' >"$tmp/list1"
check_eq "limit=1: one request" 1 "$(jq '.requests | length' "$tmp/list1")"
api alice:alice-secret GET /metadata/report >"$tmp/meta"
check "metadata/report: web and mail hierarchies" \
	jq -e '.report.hierarchy | has("web") and has("mail")' "$tmp/meta"
in_lab curl -s -o "$tmp/openapi" -w '%{http_code}' "http://127.0.0.1:$port/api/batch/openapi.yaml" >"$tmp/status"
check_eq "OpenAPI document served" 200 "$(cat "$tmp/status")"
check "OpenAPI document is OpenAPI 3" grep -Eq '^openapi: "?3\.' "$tmp/openapi"

# Killed in the middle of a request, started again: it finishes, complete.
many=$(awk -F'\t' '!/^#/ && NF >= 4 { printf "%s\"%s\"", n++ ? "," : "", $1 }' "$LAB/scenarios.tsv")
nmany=$(awk -F'\t' '!/^#/ && NF >= 4' "$LAB/scenarios.tsv" | wc -l)
api alice:alice-secret POST /requests "{\"type\":\"web\",\"name\":\"killed\",\"domains\":[$many]}" >"$tmp/kpost"
kid=$(jq -r .request.request_id "$tmp/kpost")
sleep 2
kill -9 "$pid"
wait "$pid" 2>/dev/null
pid=
check "the killed server is gone" bash -c "! $LAB/exec curl -s -o /dev/null http://127.0.0.1:$port/healthz"
if start_server; then
	ok "server starts again after SIGKILL"
else
	not_ok "server starts again after SIGKILL"
fi
check_eq "the killed request is done after the restart" done "$(poll alice:alice-secret "$kid")"
api alice:alice-secret GET "/requests/$kid/results" >"$tmp/kres"
check_eq "every domain of the killed request has a result" "$nmany" \
	"$(jq '[.domains[] | select(.status == "ok")] | length' "$tmp/kres")"
check "the restart said it carries on" grep -q 'carrying on' "$tmp/server.err"

kill -TERM "$pid"
if wait "$pid"; then ok "SIGTERM: exit 0"; else not_ok "SIGTERM: exit 0"; fi
pid=
check "request log: one line per API call, user named" grep -q ' alice "GET /api/batch/v2/requests' "$tmp/access.log"
