/*
 * batch_results.c: one domain of the batch API's /results, in Internet.nl's
 * shape (interface/batch/util.py gather_batch_results), from a stored
 * result and, when given, its facts.
 *
 * Statuses: a test's status is the check's stored status under its API
 * name (passed, failed, warning, info, not_tested, error); a category's is
 * Internet.nl's word for the stored category status (a category not tested
 * is "info", as Internet.nl has no such category).
 *
 * Verdicts: Internet.nl's verdict is the last word of its translation id
 * ("detail web tls version verdict phase-out" gives "phase-out"). Each
 * status maps to a default word (batch_json.c's table); the rules below
 * pick the other words Internet.nl would give, from what the stored check
 * says (its points, its evidence, its per-server findings) and from the
 * facts:
 *   *_ipv6_ns_address failed, exactly one name server with IPv6: "other"
 *   mail MX tests (mx_address, dnssec_mx_exist, tls_available) when the
 *     domain has no usable MX: the MX status of the facts ("null-mx",
 *     "no-null-mx", "invalid-null-mx"; no MX: the default)
 *   mail_starttls_tls_available error: "could-not-test" when a server
 *     would not talk SMTP (4xx/5xx greetings), else "other" (unreachable)
 *   web_https_http_redirect passed with no HTTP answer at all: "other"
 *   web_https_http_hsts failed on a max-age too short: "other"
 *   *_tls_cipherorder passed with only good suites below TLS 1.3: "na"
 *   *_tls_keyexchange passed with no ECDHE or DHE: "na"
 *   *_tls_extendedmastersecret not tested, no TLS 1.2: "na"
 *   web_https_tls_0rtt passed without TLS 1.3: "na"
 *   *_dane_exist failed (web: info) with a bogus TLSA answer: "bogus"
 *   mail_auth_dmarc_policy failed with points (a weak policy): "policy"
 *   mail_auth_spf_policy failed with points (the "all" term): "all";
 *     more than 10 DNS lookups: "max-lookups"
 *   mail_auth_dkim_exist not tested with full points (no mail sent):
 *     "no-email"
 *   web_rpki_exists, mail_rpki_exists, mail_mx_ns_rpki_exists not tested
 *     with RPKI data at hand (there were no addresses): "no-addresses"
 * Category verdicts are the status word, except web_https ("unreachable")
 * and mail_starttls ("unreachable", "untestable", "no-mx", "null-mx",
 * "no-null-mx", "invalid-null-mx"), from the verdict of their first test,
 * as Internet.nl's probes.py get_text_verdict.
 *
 * Custom results (Internet.nl's custom_results.py):
 *   tls_1_3_support (web and mail): over every TLS endpoint the facts hold
 *     (web: every address on 443; mail: every address of every MX on 25):
 *     "undetermined" when one could not be reached or tested (mail: its
 *     SMTP server would not talk), else "no" when one has no TLS 1.3 (or no
 *     TLS at all), or when there is no endpoint, else "yes". Internet.nl
 *     reads it from its 0-RTT test on one address per family. Without
 *     facts: "undetermined".
 *   mail_non_sending_domain (mail): true when the DKIM check was skipped
 *     because the domain sends no mail (DMARC p=reject and SPF exactly
 *     "v=spf1 -all", Internet.nl's rule, see src/checks/auth.c) and the
 *     DMARC and SPF policies both passed; else false.
 *   mail_servers_testable_status (mail): from mail_starttls_tls_available's
 *     verdict: "no_mx" (no MX), "untestable", "unreachable", else "ok".
 *     Without facts, a domain without usable MX counts as "no_mx". Left
 *     out when the result has no such check.
 *
 * Differences from Internet.nl: nethealth tests every address of a web
 * server or MX, where Internet.nl tests one per family; an MX whose port 25
 * is closed is a failed STARTTLS test here ("ok" in
 * mail_servers_testable_status), an unreachable one there.
 */
#include <stdio.h>
#include <string.h>

#include "batch_json.h"
#include "checks/checks.h"
#include "tlsdata/tlsdata.h"

/* What the rules read. */
struct ctx {
	const struct nh_store_result *r;
	const struct nh_facts *f; /* or NULL */
};

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The TLS endpoints of the test: web on 443, mail on 25. */
static const struct nh_fact_tls *
endpoints(const struct nh_facts *f, size_t *n)
{
	if (f->type == NH_TEST_MAIL) {
		*n = f->nmxtls;
		return f->mxtls;
	}
	*n = f->ntls;
	return f->tls;
}

/* Whether every endpoint with TLS offers only good suites below TLS 1.3
 * (Internet.nl: the cipher order does not apply). */
static bool
cipherorder_na(const struct nh_facts *f)
{
	size_t n, usable = 0;
	const struct nh_fact_tls *t = endpoints(f, &n);

	for (size_t i = 0; i < n; i++) {
		if (nh_fact_tls_best(&t[i]) == 0)
			continue;
		usable++;
		for (size_t v = 0; v < NH_TLS_NVERSIONS; v++) {
			const struct nh_fact_tls_version *x = &t[i].versions[v];

			if (x->probed != NH_PROBE_OK || x->version >= NH_TLS13)
				continue;
			for (size_t s = 0; s < x->nsuites; s++) {
				const struct nh_tls_suite *su =
				    nh_tls_suite_by_id(x->suites[s]);

				if (su == NULL || su->level != NH_TLS_GOOD)
					return false;
			}
		}
	}
	return usable > 0;
}

/* Whether no endpoint with TLS negotiated an ephemeral key exchange. */
static bool
keyexchange_na(const struct nh_facts *f)
{
	size_t n, usable = 0;
	const struct nh_fact_tls *t = endpoints(f, &n);

	for (size_t i = 0; i < n; i++) {
		if (nh_fact_tls_best(&t[i]) == 0)
			continue;
		usable++;
		if (t[i].dhe || t[i].ngroups12 > 0 || t[i].ngroups13 > 0)
			return false;
	}
	return usable > 0;
}

/* Whether endpoints have TLS, and none accepts `version`. */
static bool
version_absent(const struct nh_facts *f, unsigned version)
{
	size_t n, usable = 0;
	const struct nh_fact_tls *t = endpoints(f, &n);

	for (size_t i = 0; i < n; i++) {
		if (nh_fact_tls_best(&t[i]) == 0)
			continue;
		usable++;
		if (nh_fact_tls_accepted(&t[i], version))
			return false;
	}
	return usable > 0;
}

static bool
tlsa_bogus(const struct nh_facts *f)
{
	size_t n;
	const struct nh_fact_tls *t = endpoints(f, &n);

	for (size_t i = 0; i < n; i++) {
		if (t[i].tlsa_lookup.sec == NH_SEC_BOGUS)
			return true;
	}
	return false;
}

/* Whether an MX would not talk SMTP (only 4xx/5xx greetings). */
static bool
smtp_refused(const struct nh_facts *f)
{
	for (size_t i = 0; i < f->nmxtls; i++) {
		if (f->mxtls[i].smtp.answered == NH_PROBE_FAILED)
			return true;
	}
	return false;
}

/* How many name servers of the evidence have an IPv6 address, or -1 when
 * memory ran out. */
static int
ns_with_ipv6(const struct nh_store_check *c)
{
	json_t *ev, *ns;
	size_t i;
	int n = 0;

	if (nh_batch_evidence(c, &ev) == -1)
		return -1;
	json_array_foreach(json_object_get(ev, "name_servers"), i, ns)
	{
		if (json_array_size(json_object_get(ns, "ipv6")) > 0)
			n++;
	}
	json_decref(ev);
	return n;
}

/* Whether no per-server finding of the redirect check got an HTTP answer
 * (nothing listens on port 80: Internet.nl's "HTTPS only"): 1 or 0, or -1
 * when memory ran out. */
static int
redirect_no_http(const struct nh_store_check *c)
{
	json_t *fs, *s;
	bool none;
	size_t i;

	if (nh_batch_findings(c, &fs) == -1)
		return -1;
	none = json_array_size(fs) > 0;
	json_array_foreach(fs, i, s)
	{
		json_t *chain =
		    json_object_get(json_object_get(s, "evidence"), "chain");

		if (json_array_size(chain) > 0 &&
		    json_integer_value(json_object_get(
			json_array_get(chain, 0), "status")) != 0)
			none = false;
	}
	json_decref(fs);
	return none;
}

/* Whether a per-server finding has a webpol finding with this code: 1 or
 * 0, or -1 when memory ran out. */
static int
finding_code(const struct nh_store_check *c, const char *code)
{
	json_t *fs, *s, *w;
	bool found = false;
	size_t i, j;

	if (nh_batch_findings(c, &fs) == -1)
		return -1;
	json_array_foreach(fs, i, s)
	{
		json_t *list =
		    json_object_get(json_object_get(s, "evidence"), "findings");

		json_array_foreach(list, j, w)
		{
			const char *x =
			    json_string_value(json_object_get(w, "code"));

			if (x != NULL && strcmp(x, code) == 0)
				found = true;
		}
	}
	json_decref(fs);
	return found;
}

/* An integer of the check's evidence into *v (0 when absent). Returns 0,
 * or -1 when memory ran out. */
static int
evidence_int(const struct nh_store_check *c, const char *key, json_int_t *v)
{
	json_t *ev;

	if (nh_batch_evidence(c, &ev) == -1)
		return -1;
	*v = json_integer_value(json_object_get(ev, key));
	json_decref(ev);
	return 0;
}

/* The verdict word of a domain without usable MX, or NULL. */
static const char *
no_mx_word(const struct nh_facts *f)
{
	if (f == NULL)
		return NULL;
	switch (f->mx_status) {
	case NH_MX_NULL:
	case NH_MX_NULL_WITHOUT_A:
		return "null-mx";
	case NH_MX_NO_NULL_MX:
		return "no-null-mx";
	case NH_MX_NULL_WITH_OTHER:
		return "invalid-null-mx";
	default:
		return NULL;
	}
}

/* Whether id is one of the NULL-terminated list. */
static bool
one_of(const char *id, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (strcmp(id, *list) == 0)
			return true;
	}
	return false;
}

/*
 * The verdict word of a stored check (see the top of the file): a static
 * string or buf. NULL when memory ran out.
 */
static const char *
verdict(
    const struct ctx *x, const struct nh_store_check *c, char *buf, size_t size)
{
	static const char *const mx_tests[] = { "mail_ipv6_mx_address",
		"mail_dnssec_mx_exist", "mail_starttls_tls_available", NULL };
	static const char *const rpki_exists[] = { "web_rpki_exists",
		"mail_rpki_exists", "mail_mx_ns_rpki_exists", NULL };
	const struct nh_facts *f = x->f;
	const char *id = c->id;
	enum nh_status st = c->status;
	json_int_t lookups;
	int rc;

	nh_batch_verdict_default(nh_batch_test_find(id), st, buf, size);
	if (ends_with(id, "_ipv6_ns_address") && st == NH_FAILED) {
		if ((rc = ns_with_ipv6(c)) < 0)
			return NULL;
		return rc == 1 ? "other" : buf;
	}
	if (one_of(id, mx_tests) &&
	    (st == NH_NOT_TESTED || st == NH_INFO || st == NH_WARNING) &&
	    no_mx_word(f) != NULL)
		return no_mx_word(f);
	if (strcmp(id, "mail_starttls_tls_available") == 0 && st == NH_ERROR &&
	    f != NULL && smtp_refused(f))
		return "could-not-test";
	if (strcmp(id, "web_https_http_redirect") == 0 && st == NH_PASSED) {
		if ((rc = redirect_no_http(c)) < 0)
			return NULL;
		return rc ? "other" : buf;
	}
	if (strcmp(id, "web_https_http_hsts") == 0 && st == NH_FAILED) {
		if ((rc = finding_code(c, "hsts_short")) < 0)
			return NULL;
		return rc ? "other" : buf;
	}
	if (strcmp(id, "mail_auth_dmarc_policy") == 0 && st == NH_FAILED)
		return c->points > 0 ? "policy" : buf;
	if (strcmp(id, "mail_auth_spf_policy") == 0 && st == NH_FAILED) {
		if (c->points > 0)
			return "all";
		if (evidence_int(c, "lookups", &lookups) == -1)
			return NULL;
		return lookups > 10 ? "max-lookups" : buf;
	}
	if (strcmp(id, "mail_auth_dkim_exist") == 0 && st == NH_NOT_TESTED)
		return c->points > 0 ? "no-email" : buf;
	if (f == NULL)
		return buf;
	if (ends_with(id, "_tls_cipherorder") && st == NH_PASSED &&
	    cipherorder_na(f))
		return "na";
	if (ends_with(id, "_tls_keyexchange") && st == NH_PASSED &&
	    keyexchange_na(f))
		return "na";
	if (ends_with(id, "_tls_extendedmastersecret") && st == NH_NOT_TESTED &&
	    version_absent(f, NH_TLS12))
		return "na";
	if (strcmp(id, "web_https_tls_0rtt") == 0 && st == NH_PASSED &&
	    version_absent(f, NH_TLS13))
		return "na";
	if (ends_with(id, "_dane_exist") &&
	    (st == NH_FAILED || st == NH_INFO) && tlsa_bogus(f))
		return "bogus";
	if (one_of(id, rpki_exists) && st == NH_NOT_TESTED &&
	    f->rpki.done == NH_PROBE_OK)
		return "no-addresses";
	return buf;
}

/*
 * The verdict of a TLS category from the verdict of its first test into
 * *out (NULL: the status word). Returns 0, or -1 when memory ran out.
 */
static int
gate_category_verdict(
    const struct ctx *x, const char *category, const char **out)
{
	static const struct {
		const char *category, *test, *word, *verdict;
	} map[] = {
		{ "web_https", "web_https_http_available", "other",
		    "unreachable" },
		{ "mail_starttls", "mail_starttls_tls_available", "other",
		    "unreachable" },
		{ "mail_starttls", "mail_starttls_tls_available",
		    "could-not-test", "untestable" },
		{ "mail_starttls", "mail_starttls_tls_available", "other-2",
		    "no-mx" },
		{ "mail_starttls", "mail_starttls_tls_available", "null-mx",
		    "null-mx" },
		{ "mail_starttls", "mail_starttls_tls_available", "no-null-mx",
		    "no-null-mx" },
		{ "mail_starttls", "mail_starttls_tls_available",
		    "invalid-null-mx", "invalid-null-mx" },
	};
	char buf[32];

	*out = NULL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const struct nh_store_check *c;
		const char *v;

		if (strcmp(map[i].category, category) != 0 ||
		    (c = nh_batch_check(x->r, map[i].test)) == NULL)
			continue;
		if ((v = verdict(x, c, buf, sizeof(buf))) == NULL)
			return -1;
		if (strcmp(v, map[i].word) == 0) {
			*out = map[i].verdict;
			return 0;
		}
	}
	return 0;
}

static json_t *
status_verdict(const char *status, const char *verdict)
{
	return json_pack("{s:s, s:s}", "status", status, "verdict", verdict);
}

static json_t *
categories_json(const struct ctx *x)
{
	json_t *o = json_object();

	for (size_t i = 0; o != NULL && i < nh_category_count; i++) {
		const struct nh_category_def *d = &nh_category_table[i];
		const struct nh_store_category *c = NULL;
		const char *st, *v;

		if (d->meta.test != x->r->type)
			continue;
		for (size_t j = 0; j < x->r->ncategories; j++) {
			if (strcmp(x->r->categories[j].id, d->meta.id) == 0)
				c = &x->r->categories[j];
		}
		if (c == NULL)
			continue;
		st = nh_batch_category_status(c->status);
		if (gate_category_verdict(x, d->meta.id, &v) == -1 ||
		    nh_batch_jset(o, d->meta.id,
			status_verdict(st, v != NULL ? v : st)) == -1) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static json_t *
tests_json(const struct ctx *x, unsigned flags)
{
	json_t *o = json_object();

	for (size_t i = 0; o != NULL && i < nh_check_count; i++) {
		const struct nh_check_def *d = &nh_check_table[i];
		const struct nh_batch_test *t = nh_batch_test_find(d->meta.id);
		const struct nh_store_check *c =
		    nh_batch_check(x->r, d->meta.id);
		const char *v;
		char buf[32];

		if (c == NULL || t == NULL ||
		    ((flags & NH_BATCH_INTERNETNL_ONLY) && t->key == NULL))
			continue;
		if ((v = verdict(x, c, buf, sizeof(buf))) == NULL ||
		    nh_batch_jset(o, c->id,
			status_verdict(nh_status_name(c->status), v)) == -1) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* ---- Custom results ---- */

static const char *
tls_1_3_support(const struct nh_facts *f)
{
	const char *st = "yes";
	size_t n;
	const struct nh_fact_tls *t;

	if (f == NULL)
		return "undetermined";
	t = endpoints(f, &n);
	if (n == 0)
		return "no";
	for (size_t i = 0; i < n; i++) {
		bool talked = f->type == NH_TEST_MAIL &&
		    t[i].smtp.answered == NH_PROBE_OK;

		if (f->type == NH_TEST_MAIL &&
		    t[i].smtp.answered == NH_PROBE_FAILED)
			return "undetermined";
		if (t[i].reachable != NH_PROBE_OK && !talked)
			return "undetermined";
		if (nh_fact_tls_best(&t[i]) != NH_TLS13)
			st = "no";
	}
	return st;
}

static bool
non_sending(const struct nh_store_result *r)
{
	const struct nh_store_check *dkim, *dmarc, *spf;

	dkim = nh_batch_check(r, "mail_auth_dkim_exist");
	dmarc = nh_batch_check(r, "mail_auth_dmarc_policy");
	spf = nh_batch_check(r, "mail_auth_spf_policy");
	return dkim != NULL && dmarc != NULL && spf != NULL &&
	    dkim->status == NH_NOT_TESTED && dkim->points > 0 &&
	    dmarc->status == NH_PASSED && spf->status == NH_PASSED;
}

/* Internet.nl's mail_servers_testable_status into *out (NULL: no STARTTLS
 * check in the result). Returns 0, or -1 when memory ran out. */
static int
servers_testable(const struct ctx *x, const char **out)
{
	const struct nh_store_check *c =
	    nh_batch_check(x->r, "mail_starttls_tls_available");
	const char *v;
	char buf[32];

	*out = NULL;
	if (c == NULL)
		return 0;
	if ((v = verdict(x, c, buf, sizeof(buf))) == NULL)
		return -1;
	if (strcmp(v, "other-2") == 0)
		*out = "no_mx";
	else if (strcmp(v, "could-not-test") == 0)
		*out = "untestable";
	else if (strcmp(v, "other") == 0)
		*out = "unreachable";
	else
		*out = "ok";
	return 0;
}

static json_t *
custom_json(const struct ctx *x)
{
	json_t *o = json_object();
	const char *s;

	if (o == NULL ||
	    nh_batch_jset(
		o, "tls_1_3_support", json_string(tls_1_3_support(x->f))) == -1)
		goto fail;
	if (x->r->type == NH_TEST_MAIL) {
		if (nh_batch_jset(o, "mail_non_sending_domain",
			json_boolean(non_sending(x->r))) == -1)
			goto fail;
		if (servers_testable(x, &s) == -1 ||
		    (s != NULL &&
			nh_batch_jset(o, "mail_servers_testable_status",
			    json_string(s)) == -1))
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

json_t *
nh_batch_domain_result(const struct nh_store_result *r,
    const struct nh_facts *f, const char *report_url, unsigned flags)
{
	struct ctx x = { .r = r, .f = f };
	json_t *o = json_object(), *results;

	if (o == NULL)
		return NULL;
	if (r->invalid || r->error != NULL) {
		if (nh_batch_jset(o, "status", json_string("error")) == -1)
			goto fail;
		return o;
	}
	if (nh_batch_jset(o, "status", json_string("ok")) == -1 ||
	    nh_batch_jset(o, "scoring",
		json_pack(
		    "{s:i}", "percentage", r->score < 0 ? 0 : r->score)) == -1)
		goto fail;
	if (report_url != NULL &&
	    nh_batch_jset(o, "report",
		json_pack("{s:o}", "url",
		    nh_batch_text(report_url, strlen(report_url)))) == -1)
		goto fail;
	if (nh_batch_jset(o, "results", results = json_object()) == -1 ||
	    nh_batch_jset(results, "categories", categories_json(&x)) == -1 ||
	    nh_batch_jset(results, "tests", tests_json(&x, flags)) == -1 ||
	    nh_batch_jset(results, "custom", custom_json(&x)) == -1)
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}
