/*
 * batch_json.h: the JSON shapes of the Internet.nl batch API v2 (API
 * version NH_BATCH_API_VERSION), built from what nethealth's store holds.
 * Internal to src/server/: batch.c and api.c walk the store and hand each
 * stored result over; these functions only build JSON. They are pure: no
 * I/O, no store, no global state.
 *
 * Files:
 *   batch_json.c       the envelope, a request, /metadata/report, and the
 *                      table that places every check in Internet.nl's
 *                      report hierarchy, with its verdict words
 *   batch_results.c    one domain of /results: status, score, report URL,
 *                      categories, tests and custom results
 *   batch_technical.c  one domain of /results_technical, from the facts
 *
 * Names follow Internet.nl's interface/batch (openapi.yaml, util.py,
 * custom_results.py): category ids (web_ipv6 ... mail_rpki), test names
 * (the check ids of src/checks/table.c), status and verdict words. What
 * nethealth cannot give in Internet.nl's shape is listed at the top of the
 * file that builds it. The OpenAPI document is data/server/openapi.yaml.
 *
 * Ownership: every function returns a new jansson reference the caller
 * releases with json_decref(), or NULL on allocation failure (nothing
 * leaked; the unit test fails each allocation in turn) or, for the two
 * domain functions, when a check's stored evidence is not JSON (a damaged
 * store row). Arguments are borrowed for the call.
 */
#ifndef NH_BATCH_JSON_H
#define NH_BATCH_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "facts/facts.h"
#include "model/model.h"
#include "store/store.h"

/* The API version served (semantic versioning; the major is in the path
 * /api/batch/v2). */
#define NH_BATCH_API_VERSION "2.7.0"

/* Flags of nh_batch_domain_result() and nh_batch_metadata(). */
#define NH_BATCH_INTERNETNL_ONLY \
	0x1 /* leave out the tests nethealth runs
					beyond Internet.nl's (web_ns_reach_ipv4,
					*_dnssec_algorithms, ...) */

/* A batch request as the API shows it. All strings borrowed. */
struct nh_batch_req {
	const char *id;   /* 32 lower-case hex digits */
	const char *name; /* the requester's label; NULL: "" */
	enum nh_test_type type;
	const char *status;        /* registering, running, generating, done,
			       cancelled, error */
	const char *submit_date;   /* RFC 3339 UTC */
	const char *finished_date; /* RFC 3339 UTC, or NULL (null) */
};

/*
 * A reply with only { "api_version" }, for the caller to add its members
 * ("request", "requests", "domains", "report") to.
 */
json_t *nh_batch_reply(void);

/*
 * A whole error reply: { "api_version", "error": { "label", "msg" } }.
 * Internet.nl's labels: "bad-request", "invalid-url", "unknown-request",
 * "server-error". Both strings are copied.
 */
json_t *nh_batch_error(const char *label, const char *msg);

/*
 * The "request" object: { "request_id", "name", "request_type", "status",
 * "submit_date", "finished_date" } (finished_date null until finished).
 */
json_t *nh_batch_request_json(const struct nh_batch_req *r);

/*
 * Facts for the two functions below, from the facts text the store keeps
 * (nh_store_each_result() with want_facts). Returns NULL when text is NULL
 * or is not facts (a missing or unreadable facts row is not an error: the
 * fields that need facts are then left out or "undetermined"), or on
 * allocation failure. Caller frees with nh_facts_free().
 */
struct nh_facts *nh_batch_facts(const char *text);

/*
 * One domain's entry under "domains" of /results:
 *
 *   { "status": "ok", "scoring": { "percentage" }, "report": { "url" },
 *     "results": { "categories": { <category>: { "status", "verdict" } },
 *                  "tests": { <test>: { "status", "verdict" } },
 *                  "custom": { "tls_1_3_support",
 *                              "mail_non_sending_domain",
 *                              "mail_servers_testable_status" } } }
 *
 * or { "status": "error" } when the test could not run (r->error) or the
 * line is invalid (r->invalid; Internet.nl leaves invalid names out of a
 * request: the caller may skip them). `f` (may be NULL) refines verdicts
 * and custom results (see batch_results.c); report_url NULL leaves
 * "report" out. flags: NH_BATCH_*.
 */
json_t *nh_batch_domain_result(const struct nh_store_result *r,
    const struct nh_facts *f, const char *report_url, unsigned flags);

/*
 * One domain's entry under "domains" of /results_technical:
 *
 *   web:  { "status", "domain": { "dnssec" }, "nameservers",
 *           "webservers": { "ip_similarity", "ipv4", "ipv6" } }
 *   mail: { "status", "domain": { "dnssec", "dmarc", "spf", "dkim" },
 *           "nameservers", "mx_nameservers", "receiving_mailservers" }
 *
 * or { "status": "error" } as above, and { "status": "ok" } with only what
 * the checks give when f is NULL. See batch_technical.c for each field's
 * source and for what is left out.
 */
json_t *nh_batch_domain_technical(
    const struct nh_store_result *r, const struct nh_facts *f);

/*
 * The "report" object of /metadata/report: { "hierarchy": { "web": [...],
 * "mail": [...] }, "data": { <name>: { "type", "translation_key",
 * "label", "status_verdict_map" } } }, Internet.nl's report tree (category,
 * section, test) with every check nethealth runs. flags: NH_BATCH_*.
 */
json_t *nh_batch_metadata(unsigned flags);

/* ---- Shared by the batch_*.c files ---- */

/* A test's row: where it sits in Internet.nl's report, and the verdict
 * words of each status (see batch_json.c). */
struct nh_batch_test {
	const char *id;      /* check id = Internet.nl's test name */
	const char *section; /* section name, or NULL: under the category */
	const char *key;     /* Internet.nl's translation key; NULL:
				beyond Internet.nl (the key is the id) */
	/* Verdict words by status, space-separated: the first is the
	 * default, the others are what a rule of batch_results.c may give.
	 * NULL: "good", "bad", "bad", "bad", "not-tested",
	 * "could-not-test" for passed, failed, warning, info, not tested,
	 * error. */
	const char *verdicts[NH_STATUS_COUNT];
};

/* The row of a test, or NULL when the id is not a check. */
const struct nh_batch_test *nh_batch_test_find(const char *id);

/*
 * The default verdict word of a row for a status (the first word of its
 * list, or the generic one), into buf (NUL-terminated). Returns buf.
 */
const char *nh_batch_verdict_default(
    const struct nh_batch_test *t, enum nh_status st, char *buf, size_t size);

/* Internet.nl's status word of a category ("passed", "failed", "warning",
 * "info", "error"; a category not tested is "info"). */
const char *nh_batch_category_status(enum nh_status st);

/*
 * A JSON string of untrusted text of len bytes: as it is when it is valid
 * UTF-8 without NUL, else with every NUL and every byte outside ASCII as
 * '?'. s NULL gives JSON null. NULL on allocation failure.
 */
json_t *nh_batch_text(const char *s, size_t len);

/* json_object_set_new that fails on a NULL value; v is always consumed.
 * Returns 0, or -1. */
int nh_batch_jset(json_t *obj, const char *key, json_t *v);

/*
 * The per-server findings of a stored check (the "servers" array of its
 * evidence text) into *out, a new reference, or NULL when it has none.
 * Returns 0, or -1 when memory ran out or the text is not JSON (a damaged
 * store row). c may be NULL.
 */
int nh_batch_findings(const struct nh_store_check *c, json_t **out);

/* The check's own evidence (the "evidence" member of its text), as
 * nh_batch_findings(). */
int nh_batch_evidence(const struct nh_store_check *c, json_t **out);

/* The stored check of a result with this id, or NULL. */
const struct nh_store_check *nh_batch_check(
    const struct nh_store_result *r, const char *id);

#endif /* NH_BATCH_JSON_H */
