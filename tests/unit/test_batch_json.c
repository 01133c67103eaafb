/*
 * test_batch_json.c: the Internet.nl batch API v2 shapes (src/server/
 * batch_json.c, batch_results.c, batch_technical.c).
 *
 * Results built the real way: the fixture facts of tests/fixtures/facts/
 * judged by the checks, written to a store on a temporary file, read back
 * with their facts, then shaped. Rules that the fixtures do not reach are
 * tested on results built by hand. The names of categories and tests are
 * checked against Internet.nl's own list (interface/batch/__init__.py
 * REPORT_METADATA_WEB_MAP and _MAIL_MAP), written out here independently
 * of the code under test.
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "checks/checks.h"
#include "server/batch_json.h"
#include "store/store.h"

/* Internet.nl's categories and tests, in its report order. */
static const char *const inl_web_categories[] = { "web_ipv6", "web_dnssec",
	"web_https", "web_appsecpriv", "web_rpki" };
static const char *const inl_mail_categories[] = { "mail_ipv6", "mail_dnssec",
	"mail_auth", "mail_starttls", "mail_rpki" };
static const char *const inl_web_tests[] = { "web_ipv6_ns_address",
	"web_ipv6_ns_reach", "web_ipv6_ws_address", "web_ipv6_ws_reach",
	"web_ipv6_ws_similar", "web_dnssec_exist", "web_dnssec_valid",
	"web_https_http_available", "web_https_http_redirect",
	"web_https_http_compress", "web_https_http_hsts",
	"web_https_tls_version", "web_https_tls_ciphers",
	"web_https_tls_cipherorder", "web_https_tls_keyexchange",
	"web_https_tls_keyexchangehash", "web_https_tls_compress",
	"web_https_tls_secreneg", "web_https_tls_clientreneg",
	"web_https_tls_extendedmastersecret", "web_https_tls_0rtt",
	"web_https_tls_ocsp", "web_https_tls_caa", "web_https_cert_chain",
	"web_https_cert_pubkey", "web_https_cert_sig", "web_https_cert_domain",
	"web_https_dane_exist", "web_https_dane_valid",
	"web_appsecpriv_x_frame_options",
	"web_appsecpriv_x_content_type_options", "web_appsecpriv_csp",
	"web_appsecpriv_referrer_policy", "web_appsecpriv_securitytxt",
	"web_rpki_exists", "web_rpki_valid", "web_ns_rpki_exists",
	"web_ns_rpki_valid" };
static const char *const inl_mail_tests[] = { "mail_ipv6_ns_address",
	"mail_ipv6_ns_reach", "mail_ipv6_mx_address", "mail_ipv6_mx_reach",
	"mail_dnssec_mailto_exist", "mail_dnssec_mailto_valid",
	"mail_dnssec_mx_exist", "mail_dnssec_mx_valid", "mail_auth_dmarc_exist",
	"mail_auth_dmarc_policy", "mail_auth_dkim_exist", "mail_auth_spf_exist",
	"mail_auth_spf_policy", "mail_starttls_tls_available",
	"mail_starttls_tls_version", "mail_starttls_tls_ciphers",
	"mail_starttls_tls_cipherorder", "mail_starttls_tls_keyexchange",
	"mail_starttls_tls_keyexchangehash", "mail_starttls_tls_compress",
	"mail_starttls_tls_secreneg", "mail_starttls_tls_clientreneg",
	"mail_starttls_tls_extendedmastersecret", "mail_starttls_tls_0rtt",
	"mail_starttls_tls_caa", "mail_starttls_cert_chain",
	"mail_starttls_cert_pubkey", "mail_starttls_cert_sig",
	"mail_starttls_cert_domain", "mail_starttls_dane_exist",
	"mail_starttls_dane_valid", "mail_starttls_dane_rollover",
	"mail_rpki_exists", "mail_rpki_valid", "mail_ns_rpki_exists",
	"mail_ns_rpki_valid", "mail_mx_ns_rpki_exists",
	"mail_mx_ns_rpki_valid" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Helpers ---- */

static const char *
sget(const json_t *o, const char *path)
{
	char key[128];
	const char *dot;

	while ((dot = strchr(path, '.')) != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		o = json_object_get(o, key);
		path = dot + 1;
	}
	return json_string_value(json_object_get(o, path));
}

static json_t *
get(json_t *o, const char *path)
{
	char key[128];
	const char *dot;

	while ((dot = strchr(path, '.')) != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		o = json_object_get(o, key);
		path = dot + 1;
	}
	return json_object_get(o, path);
}

static bool
in_array(const json_t *a, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	}
	return false;
}

/* Whether a string of the array contains s. */
static bool
in_array_sub(const json_t *a, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
	{
		if (json_is_string(v) && strstr(json_string_value(v), s))
			return true;
	}
	return false;
}

static void
assert_test(
    json_t *res, const char *test, const char *status, const char *verdict)
{
	json_t *t = get(json_object_get(res, "results"), "tests");

	t = json_object_get(t, test);
	if (t == NULL)
		fail_msg("no test %s", test);
	if (strcmp(sget(t, "status"), status) != 0 ||
	    strcmp(sget(t, "verdict"), verdict) != 0)
		fail_msg("%s: %s/%s, expected %s/%s", test, sget(t, "status"),
		    sget(t, "verdict"), status, verdict);
}

/* ---- Allocation failure: each allocation of jansson fails in turn ---- */

static size_t alloc_count, fail_at = SIZE_MAX;
static bool alloc_failed;
static long alloc_live;
static int in_loads;

/*
 * jansson 2.14's parser does not survive allocation failures: its string
 * buffer drops a character and carries on, or its lexer aborts on an
 * assertion. json_loads() is wrapped so that no allocation fails inside
 * it; every other one does in turn.
 */
json_t *
json_loads(const char *input, size_t flags, json_error_t *error)
{
	static json_t *(*real)(const char *, size_t, json_error_t *);
	json_t *j;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "json_loads");
	assert_non_null(real);
	in_loads++;
	j = real(input, flags, error);
	in_loads--;
	return j;
}

static void *
t_malloc(size_t n)
{
	void *p;

	if (alloc_count++ == fail_at && in_loads == 0) {
		alloc_failed = true;
		return NULL;
	}
	if ((p = malloc(n)) != NULL)
		alloc_live++;
	return p;
}

static void
t_free(void *p)
{
	if (p != NULL)
		alloc_live--;
	free(p);
}

typedef json_t *(*build_fn)(const void *arg);

/*
 * Builds with every allocation failing in turn (curl's torture test):
 * each failure must give NULL and leave nothing allocated; with none
 * failing, the same JSON as built normally.
 */
static void
torture(build_fn fn, const void *arg)
{
	json_t *ref, *v;
	size_t total, step;
	long live_ref;

	json_set_alloc_funcs(t_malloc, t_free);
	alloc_count = 0;
	alloc_live = 0;
	fail_at = SIZE_MAX;
	ref = fn(arg);
	total = alloc_count;
	live_ref = alloc_live;
	assert_non_null(ref);
	/* Every allocation in turn; one in `step` of a long series (the
	 * metadata repeats the same code per test). */
	step = total > 1000 ? total / 500 : 1;
	for (size_t k = 0; k < total; k += step) {
		alloc_count = 0;
		alloc_failed = false;
		fail_at = k;
		v = fn(arg);
		if (!alloc_failed) {
			/* Inside json_loads(): nothing failed. */
			assert_true(json_equal(v, ref));
		} else if (v != NULL) {
			json_set_alloc_funcs(malloc, free);
			fail_msg("allocation %zu of %zu failed, yet a result "
				 "came",
			    k, total);
		}
		json_decref(v);
		if (alloc_live != live_ref) {
			json_set_alloc_funcs(malloc, free);
			fail_msg(
			    "allocation %zu failed: %ld allocations leaked", k,
			    alloc_live - live_ref);
		}
	}
	fail_at = SIZE_MAX;
	alloc_count = 0;
	v = fn(arg);
	assert_true(json_equal(v, ref));
	json_decref(v);
	json_decref(ref);
	if (alloc_live != 0) {
		json_set_alloc_funcs(malloc, free);
		fail_msg("%ld allocations leaked", alloc_live);
	}
	json_set_alloc_funcs(malloc, free);
}

struct build_arg {
	const struct nh_store_result *r;
	const struct nh_facts *f;
};

static json_t *
build_result(const void *arg)
{
	const struct build_arg *a = arg;

	return nh_batch_domain_result(a->r, a->f, "https://batch.test/r/", 0);
}

static json_t *
build_technical(const void *arg)
{
	const struct build_arg *a = arg;

	return nh_batch_domain_technical(a->r, a->f);
}

static json_t *
build_metadata(const void *arg)
{
	(void)arg;
	return nh_batch_metadata(0);
}

static json_t *
build_request(const void *arg)
{
	return nh_batch_request_json(arg);
}

static json_t *
build_error(const void *arg)
{
	(void)arg;
	return nh_batch_error("bad-request", "no");
}

/* ---- Fixtures through the store ---- */

struct shaped {
	bool torture;      /* also fail each allocation in turn */
	json_t *result;    /* nh_batch_domain_result, all tests */
	json_t *inl;       /* the same, NH_BATCH_INTERNETNL_ONLY */
	json_t *technical; /* nh_batch_domain_technical */
	json_t *nofacts;   /* nh_batch_domain_result without facts */
};

static int
shape(const struct nh_store_result *r, const char *facts_json, void *arg)
{
	struct shaped *s = arg;
	struct nh_facts *f = nh_batch_facts(facts_json);

	assert_non_null(facts_json);
	assert_non_null(f);
	s->result =
	    nh_batch_domain_result(r, f, "https://batch.test/site/x/1/", 0);
	s->inl = nh_batch_domain_result(r, f, NULL, NH_BATCH_INTERNETNL_ONLY);
	s->technical = nh_batch_domain_technical(r, f);
	s->nofacts = nh_batch_domain_result(r, NULL, NULL, 0);
	if (s->torture) {
		struct build_arg a = { r, f };

		torture(build_result, &a);
		torture(build_technical, &a);
	}
	nh_facts_free(f);
	return 0;
}

static void
shaped_free(struct shaped *s)
{
	json_decref(s->result);
	json_decref(s->inl);
	json_decref(s->technical);
	json_decref(s->nofacts);
}

/*
 * Judges a fixture's facts, stores the result and its facts in a new
 * store on a temporary file, reads it back and shapes it.
 */
static void
from_fixture(
    const char *file, enum nh_test_type type, struct shaped *out, bool torture)
{
	char path[64] = "/tmp/nh-batch-XXXXXX", p[96];
	struct nh_round_spec spec = { "k", "test", "{}", type == NH_TEST_WEB,
		type == NH_TEST_MAIL };
	struct nh_store_target tg = { 0 };
	struct nh_test_result *t;
	struct nh_facts *f;
	struct nh_store *s;
	const char *why = NULL;
	json_error_t e;
	json_t *j, *fj;
	int64_t round;
	bool resumed;
	int fd;

	memset(out, 0, sizeof(*out));
	out->torture = torture;
	if ((j = json_load_file(file, 0, &e)) == NULL)
		fail_msg("%s: %s", file, e.text);
	f = nh_facts_from_json(j, &why);
	json_decref(j);
	if (f == NULL)
		fail_msg("%s: %s", file, why);
	t = nh_checks_evaluate(type, f, &(struct nh_check_opts){ false });
	assert_non_null(t);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	s = nh_store_open(path, &why);
	if (s == NULL)
		fail_msg("store: %s", why);
	round = nh_store_round_begin(s, &spec, &resumed);
	assert_true(round > 0);
	tg.input = f->domain;
	tg.domain = f->domain;
	tg.line = 1;
	assert_int_equal(nh_store_round_targets(s, round, &tg, 1), 0);
	assert_non_null(fj = nh_facts_to_json(f));
	assert_int_equal(nh_store_put_result(s, round, t, fj), 0);
	json_decref(fj);
	assert_int_equal(nh_store_each_result(s, round, true, shape, out), 0);
	nh_store_close(s);
	nh_test_result_free(t);
	nh_facts_free(f);
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	if (getenv("NH_BATCH_DUMP") != NULL) {
		/* NH_BATCH_DUMP=1 shows what the fixtures give. */
		json_dumpf(out->result, stdout, JSON_INDENT(1));
		json_dumpf(out->technical, stdout, JSON_INDENT(1));
		putchar('\n');
	}
	assert_non_null(out->result);
	assert_non_null(out->inl);
	assert_non_null(out->technical);
	assert_non_null(out->nofacts);
}

/* The categories are exactly Internet.nl's, and the tests are Internet.nl's
 * (NH_BATCH_INTERNETNL_ONLY) or a superset of them (every check). */
static void
assert_names(const struct shaped *s, enum nh_test_type type)
{
	bool web = type == NH_TEST_WEB;
	const char *const *cats =
	    web ? inl_web_categories : inl_mail_categories;
	const char *const *tests = web ? inl_web_tests : inl_mail_tests;
	size_t ncats = web ? N(inl_web_categories) : N(inl_mail_categories);
	size_t ntests = web ? N(inl_web_tests) : N(inl_mail_tests);
	json_t *c = get(s->result, "results.categories");
	json_t *all = get(s->result, "results.tests");
	json_t *only = get(s->inl, "results.tests");
	size_t checks = 0;

	assert_int_equal(json_object_size(c), ncats);
	for (size_t i = 0; i < ncats; i++)
		assert_non_null(json_object_get(c, cats[i]));
	assert_int_equal(json_object_size(only), ntests);
	for (size_t i = 0; i < ntests; i++) {
		assert_non_null(json_object_get(only, tests[i]));
		assert_non_null(json_object_get(all, tests[i]));
	}
	for (size_t i = 0; i < nh_check_count; i++)
		checks +=
		    nh_check_table[i].meta.category[0] == (web ? 'w' : 'm');
	assert_int_equal(json_object_size(all), checks);
}

/*
 * Every status and verdict of a result is one /metadata/report announces
 * for that test (Internet.nl writes its generic verdicts whole there).
 */
static void
assert_in_metadata(json_t *res)
{
	json_t *meta = nh_batch_metadata(0), *t;
	const char *name;

	assert_non_null(meta);
	json_object_foreach(get(res, "results.tests"), name, t)
	{
		json_t *map = get(json_object_get(get(meta, "data"), name),
		    "status_verdict_map");
		json_t *list = json_object_get(map, sget(t, "status"));
		char whole[64];

		snprintf(whole, sizeof(whole), "detail verdict %s",
		    sget(t, "verdict"));
		if (!in_array(list, sget(t, "verdict")) &&
		    !in_array(list, whole))
			fail_msg("%s: %s/%s not in the metadata", name,
			    sget(t, "status"), sget(t, "verdict"));
	}
	json_decref(meta);
}

static void
test_web_good(void **state)
{
	struct shaped s;
	json_t *r, *tech, *v6, *d;

	(void)state;
	from_fixture(
	    "tests/fixtures/facts/good.test-web.json", NH_TEST_WEB, &s, true);
	r = s.result;
	assert_string_equal(sget(r, "status"), "ok");
	assert_int_equal(json_integer_value(get(r, "scoring.percentage")), 100);
	assert_string_equal(
	    sget(r, "report.url"), "https://batch.test/site/x/1/");
	assert_null(json_object_get(s.inl, "report"));
	assert_names(&s, NH_TEST_WEB);
	for (size_t i = 0; i < N(inl_web_categories); i++) {
		json_t *c = json_object_get(
		    get(r, "results.categories"), inl_web_categories[i]);

		assert_string_equal(sget(c, "status"), "passed");
		assert_string_equal(sget(c, "verdict"), "passed");
	}
	assert_test(r, "web_ipv6_ns_address", "passed", "good");
	assert_test(r, "web_https_http_redirect", "passed", "good");
	assert_test(r, "web_https_tls_0rtt", "passed", "good");
	/* TLS 1.2 suites that are only sufficient: the order applies. */
	assert_test(r, "web_https_tls_cipherorder", "passed", "good");
	assert_test(r, "web_https_dane_exist", "passed", "good");
	assert_test(r, "web_ns_reach_ipv4", "passed", "good");
	/* Custom results: only tls_1_3_support for a web test. */
	assert_string_equal(sget(r, "results.custom.tls_1_3_support"), "yes");
	assert_int_equal(json_object_size(get(r, "results.custom")), 1);
	assert_string_equal(
	    sget(s.nofacts, "results.custom.tls_1_3_support"), "undetermined");
	assert_in_metadata(r);

	tech = s.technical;
	assert_string_equal(sget(tech, "status"), "ok");
	assert_string_equal(sget(tech, "domain.dnssec.status"), "secure");
	v6 = json_object_get(get(tech, "nameservers"), "ns1.dns-host.test");
	assert_non_null(v6);
	v6 = json_array_get(get(v6, "ipv6.addresses"), 0);
	assert_string_equal(sget(v6, "address"), "2001:db8:0:1::3");
	assert_true(json_is_true(json_object_get(v6, "reachable")));
	assert_string_equal(
	    sget(json_array_get(json_object_get(v6, "routing"), 0), "origin"),
	    "AS64496");
	assert_string_equal(
	    sget(
		json_array_get(json_object_get(v6, "routing"), 0), "rov_state"),
	    "valid");
	assert_true(json_is_true(get(tech, "webservers.ip_similarity")));
	v6 = get(tech, "webservers.ipv6");
	assert_string_equal(sget(v6, "tested_address"), "2001:db8:0:2::10");
	assert_true(json_is_true(json_object_get(v6, "server_reachable")));
	assert_true(json_is_true(json_object_get(v6, "https_enabled")));
	assert_string_equal(
	    sget(
		json_array_get(json_object_get(v6, "addresses"), 0), "address"),
	    "2001:db8:0:2::10");
	d = json_object_get(v6, "details");
	assert_non_null(d);
	assert_string_equal(sget(d, "dane_status"), "validated");
	assert_int_equal(
	    json_array_size(json_object_get(d, "dane_records")), 1);
	assert_int_equal(
	    json_array_size(json_object_get(d, "protocols_bad")), 0);
	assert_int_equal(json_array_size(json_object_get(d, "ciphers_bad")), 0);
	assert_int_equal(
	    json_array_size(json_object_get(d, "kex_params_bad")), 0);
	assert_string_equal(sget(d, "zero_rtt"), "good");
	assert_string_equal(sget(d, "kex_hash_func"), "good");
	assert_string_equal(sget(d, "cipher_order"), "good");
	assert_string_equal(sget(d, "extended_master_secret_status"), "good");
	assert_string_equal(sget(d, "https_redirect"), "good");
	assert_string_equal(sget(d, "ocsp_stapling"), "ok");
	assert_true(json_is_true(json_object_get(d, "cert_trusted")));
	assert_string_equal(json_string_value(json_array_get(
				json_object_get(d, "cert_chain"), 0)),
	    "good.test");
	assert_null(json_object_get(d, "cert_hostmatch_bad"));
	assert_true(json_is_false(json_object_get(d, "compression")));
	assert_true(json_is_true(json_object_get(d, "secure_reneg")));
	assert_true(json_is_true(json_object_get(d, "hsts")));
	assert_string_equal(json_string_value(json_array_get(
				json_object_get(d, "hsts_policies"), 0)),
	    "max-age=31536000; includeSubDomains");
	assert_true(
	    json_is_true(json_object_get(d, "x_frame_options_enabled")));
	assert_true(
	    in_array(json_object_get(d, "x_frame_options_values"), "DENY"));
	assert_true(json_is_true(json_object_get(d, "securitytxt_enabled")));
	assert_string_equal(sget(d, "securitytxt_found_host"), "good.test");
	assert_null(json_object_get(tech, "receiving_mailservers"));
	shaped_free(&s);
}

static void
test_web_legacy(void **state)
{
	struct shaped s;
	json_t *r, *d;

	(void)state;
	from_fixture(
	    "tests/fixtures/facts/legacy.test-web.json", NH_TEST_WEB, &s, true);
	r = s.result;
	assert_names(&s, NH_TEST_WEB);
	assert_true(json_integer_value(get(r, "scoring.percentage")) < 100);
	assert_string_equal(
	    sget(r, "results.categories.web_https.status"), "failed");
	assert_string_equal(
	    sget(r, "results.categories.web_https.verdict"), "failed");
	assert_string_equal(
	    sget(r, "results.categories.web_appsecpriv.status"), "warning");
	assert_test(r, "web_https_tls_version", "failed", "bad");
	assert_test(r, "web_https_http_redirect", "failed", "bad");
	assert_test(r, "web_https_http_hsts", "failed", "bad");
	/* No TLS 1.3: Internet.nl's 0-RTT is "na", and so no TLS 1.3. */
	assert_test(r, "web_https_tls_0rtt", "passed", "na");
	assert_test(r, "web_https_http_compress", "info", "bad");
	assert_test(r, "web_https_tls_caa", "warning", "bad");
	assert_test(r, "web_https_tls_ocsp", "not_tested", "not-tested");
	assert_string_equal(sget(r, "results.custom.tls_1_3_support"), "no");
	assert_in_metadata(r);

	assert_string_equal(
	    sget(s.technical, "domain.dnssec.status"), "insecure");
	d = get(s.technical, "webservers.ipv4.details");
	assert_non_null(d);
	assert_true(in_array(json_object_get(d, "protocols_bad"), "TLS 1.0"));
	assert_true(in_array(json_object_get(d, "protocols_bad"), "TLS 1.1"));
	assert_false(in_array(json_object_get(d, "protocols_bad"), "TLS 1.2"));
	assert_true(json_array_size(json_object_get(d, "ciphers_bad")) > 0);
	assert_true(in_array(json_object_get(d, "kex_params_bad"), "DH-1024"));
	assert_true(
	    in_array_sub(json_object_get(d, "cert_pubkey_bad"), ": RSA-1024"));
	assert_true(
	    json_object_size(json_object_get(d, "cert_signature_bad")) > 0);
	assert_string_equal(sget(d, "kex_hash_func"), "bad");
	assert_string_equal(sget(d, "zero_rtt"), "na");
	assert_string_equal(sget(d, "cipher_order"), "bad");
	assert_string_equal(sget(d, "https_redirect"), "bad");
	assert_true(json_is_false(json_object_get(d, "hsts")));
	assert_true(json_is_true(json_object_get(d, "http_compression")));
	assert_true(json_is_false(json_object_get(d, "securitytxt_enabled")));
	assert_null(json_object_get(d, "securitytxt_found_host"));
	assert_string_equal(
	    sget(json_array_get(json_object_get(d, "securitytxt_errors"), 0),
		"msgid"),
	    "no_security_txt_404");
	/* No IPv6 web address: an empty side, nothing tested on it. */
	assert_int_equal(
	    json_array_size(get(s.technical, "webservers.ipv6.addresses")), 0);
	assert_null(get(s.technical, "webservers.ipv6.tested_address"));
	shaped_free(&s);
}

static void
test_mail_good(void **state)
{
	struct shaped s;
	json_t *r, *t, *mx, *d;

	(void)state;
	from_fixture(
	    "tests/fixtures/facts/good.test-mail.json", NH_TEST_MAIL, &s, true);
	r = s.result;
	assert_names(&s, NH_TEST_MAIL);
	assert_int_equal(json_integer_value(get(r, "scoring.percentage")), 100);
	assert_string_equal(
	    sget(r, "results.categories.mail_starttls.verdict"), "passed");
	assert_test(r, "mail_auth_dkim_exist", "passed", "good");
	assert_test(r, "mail_starttls_dane_rollover", "info", "bad");
	/* Internet.nl no longer tests 0-RTT over SMTP. */
	assert_test(r, "mail_starttls_tls_0rtt", "not_tested", "na");
	assert_string_equal(sget(r, "results.custom.tls_1_3_support"), "yes");
	assert_true(
	    json_is_false(get(r, "results.custom.mail_non_sending_domain")));
	assert_string_equal(
	    sget(r, "results.custom.mail_servers_testable_status"), "ok");
	assert_in_metadata(r);

	t = s.technical;
	assert_string_equal(sget(t, "domain.dnssec.status"), "secure");
	assert_string_equal(json_string_value(json_array_get(
				get(t, "domain.dmarc.records"), 0)),
	    "v=DMARC1; p=reject; rua=mailto:dmarc@good.test");
	assert_null(get(t, "domain.dmarc.record_org_domain"));
	assert_string_equal(sget(t, "domain.dmarc.policy_status"), "valid");
	assert_string_equal(
	    json_string_value(json_array_get(get(t, "domain.spf.records"), 0)),
	    "v=spf1 mx -all");
	assert_string_equal(sget(t, "domain.spf.policy_status"), "valid");
	assert_true(json_is_true(get(t, "domain.dkim.discovered")));
	assert_non_null(json_object_get(
	    json_object_get(t, "mx_nameservers"), "ns1.dns-host.test"));
	mx = json_object_get(
	    json_object_get(t, "receiving_mailservers"), "mail.good.test");
	assert_non_null(mx);
	assert_string_equal(sget(mx, "dnssec.status"), "secure");
	assert_string_equal(
	    sget(json_array_get(get(mx, "addresses.ipv6.addresses"), 0),
		"address"),
	    "2001:db8:0:2::25");
	assert_true(json_is_true(json_object_get(mx, "server_reachable")));
	assert_true(json_is_true(json_object_get(mx, "starttls_enabled")));
	assert_true(json_is_true(json_object_get(mx, "server_testable")));
	d = json_object_get(mx, "details");
	assert_non_null(d);
	assert_string_equal(sget(d, "dane_status"), "validated");
	assert_true(json_is_false(json_object_get(d, "dane_rollover")));
	assert_string_equal(sget(d, "cipher_order"), "good");
	/* Web-only details stay out of a mail server's. */
	assert_null(json_object_get(d, "hsts"));
	assert_null(json_object_get(d, "ocsp_stapling"));
	assert_null(json_object_get(t, "webservers"));
	shaped_free(&s);
}

static void
test_mail_legacy(void **state)
{
	struct shaped s;
	json_t *r, *d;

	(void)state;
	from_fixture("tests/fixtures/facts/legacy.test-mail.json", NH_TEST_MAIL,
	    &s, false);
	r = s.result;
	assert_names(&s, NH_TEST_MAIL);
	assert_test(r, "mail_ipv6_ns_address", "failed", "bad");
	/* SPF "+all" keeps 2 points: Internet.nl's "all" verdict. */
	assert_test(r, "mail_auth_spf_policy", "failed", "all");
	assert_test(r, "mail_auth_dmarc_exist", "failed", "bad");
	assert_test(r, "mail_auth_dkim_exist", "failed", "bad");
	assert_test(r, "mail_starttls_dane_exist", "failed", "bad");
	assert_test(r, "mail_dnssec_mailto_valid", "not_tested", "not-tested");
	assert_string_equal(
	    sget(r, "results.categories.mail_auth.status"), "failed");
	assert_in_metadata(r);

	d = get(s.technical, "domain");
	assert_string_equal(sget(d, "dnssec.status"), "insecure");
	assert_int_equal(json_array_size(get(d, "dmarc.records")), 0);
	assert_null(get(d, "dmarc.policy_status"));
	assert_string_equal(sget(d, "spf.policy_status"), "invalid_all");
	assert_true(json_is_false(get(d, "dkim.discovered")));
	d = json_object_get(
	    get(s.technical, "receiving_mailservers"), "mail.legacy.test");
	assert_string_equal(sget(d, "details.dane_status"), "none");
	assert_true(in_array(get(d, "details.protocols_bad"), "TLS 1.0"));
	shaped_free(&s);
}

/* ---- Results built by hand ---- */

/* A stored result of one category with the given checks. */
static struct nh_store_result
hand(enum nh_test_type type, const char *category, enum nh_status cst,
    const struct nh_store_check *checks, size_t n)
{
	static struct nh_store_category cat;

	cat = (struct nh_store_category){ category, cst, 50 };
	return (struct nh_store_result){ .domain = "hand.test",
		.type = type,
		.score = 50,
		.categories = &cat,
		.ncategories = 1,
		.checks = checks,
		.nchecks = n };
}

static const char *
verdict_of(json_t *res, const char *test)
{
	return sget(
	    json_object_get(get(res, "results.tests"), test), "verdict");
}

static void
test_status_mapping(void **state)
{
	static const struct nh_store_check checks[] = {
		{ "web_ipv6_ns_address", "web_ipv6", NH_FAILED, 0, 0, NULL,
		    "{\"evidence\":{\"name_servers\":[{\"name\":\"a\",\"ipv6\":"
		    "[\"2001:db8::1\"]},{\"name\":\"b\",\"ipv6\":[]}]}}" },
		{ "web_ipv6_ns_reach", "web_ipv6", NH_ERROR, 0, 10, NULL,
		    NULL },
		{ "web_ipv6_ws_address", "web_ipv6", NH_NOT_TESTED, 0, 0, NULL,
		    NULL },
		{ "web_ns_reach_ipv4", "web_ipv6", NH_WARNING, 0, 0, NULL,
		    NULL },
	};
	struct nh_store_result r =
	    hand(NH_TEST_WEB, "web_ipv6", NH_NOT_TESTED, checks, N(checks));
	json_t *o = nh_batch_domain_result(&r, NULL, NULL, 0);

	(void)state;
	assert_non_null(o);
	/* A category not tested: Internet.nl has only info for that. */
	assert_string_equal(
	    sget(o, "results.categories.web_ipv6.status"), "info");
	/* Exactly one name server with IPv6: "other" (Internet.nl's
	 * only-one verdict). */
	assert_test(o, "web_ipv6_ns_address", "failed", "other");
	assert_test(o, "web_ipv6_ns_reach", "error", "could-not-test");
	assert_test(o, "web_ipv6_ws_address", "not_tested", "not-tested");
	assert_test(o, "web_ns_reach_ipv4", "warning", "bad");
	json_decref(o);

	/* Both name servers with IPv6, yet failed: plain "bad". */
	struct nh_store_check two = checks[0];
	two.evidence = "{\"evidence\":{\"name_servers\":[{\"ipv6\":[\"a\"]},"
		       "{\"ipv6\":[\"b\"]}]}}";
	r = hand(NH_TEST_WEB, "web_ipv6", NH_FAILED, &two, 1);
	o = nh_batch_domain_result(&r, NULL, NULL, 0);
	assert_string_equal(verdict_of(o, "web_ipv6_ns_address"), "bad");
	json_decref(o);
}

static void
test_error_and_invalid(void **state)
{
	struct nh_store_result r = { .domain = "down.test",
		.type = NH_TEST_MAIL,
		.score = -1,
		.error = "out of memory" };
	json_t *o;

	(void)state;
	o = nh_batch_domain_result(&r, NULL, "https://x/", 0);
	assert_string_equal(sget(o, "status"), "error");
	assert_int_equal(json_object_size(o), 1);
	json_decref(o);
	o = nh_batch_domain_technical(&r, NULL);
	assert_string_equal(sget(o, "status"), "error");
	assert_int_equal(json_object_size(o), 1);
	json_decref(o);
	r.error = NULL;
	r.invalid = true;
	o = nh_batch_domain_result(&r, NULL, NULL, 0);
	assert_string_equal(sget(o, "status"), "error");
	json_decref(o);
	/* Not scored: 0 per cent, as Internet.nl has no null score. */
	r.invalid = false;
	o = nh_batch_domain_result(&r, NULL, NULL, 0);
	assert_int_equal(json_integer_value(get(o, "scoring.percentage")), 0);
	json_decref(o);
}

static void
test_no_mx(void **state)
{
	static const struct nh_store_check checks[] = {
		{ "mail_starttls_tls_available", "mail_starttls", NH_NOT_TESTED,
		    0, 0, "no MX", NULL },
		{ "mail_ipv6_mx_address", "mail_ipv6", NH_NOT_TESTED, 0, 0,
		    NULL, NULL },
		{ "mail_dnssec_mx_exist", "mail_dnssec", NH_NOT_TESTED, 0, 0,
		    NULL, NULL },
	};
	struct nh_store_result r = hand(
	    NH_TEST_MAIL, "mail_starttls", NH_NOT_TESTED, checks, N(checks));
	struct nh_facts *f = nh_facts_new("hand.test", NH_TEST_MAIL);
	json_t *o;

	(void)state;
	assert_non_null(f);
	f->mx_status = NH_MX_NONE;
	o = nh_batch_domain_result(&r, f, NULL, 0);
	assert_test(o, "mail_starttls_tls_available", "not_tested", "other-2");
	assert_test(o, "mail_ipv6_mx_address", "not_tested", "other");
	assert_test(o, "mail_dnssec_mx_exist", "not_tested", "no-mailservers");
	assert_string_equal(
	    sget(o, "results.categories.mail_starttls.status"), "info");
	assert_string_equal(
	    sget(o, "results.categories.mail_starttls.verdict"), "no-mx");
	assert_string_equal(
	    sget(o, "results.custom.mail_servers_testable_status"), "no_mx");
	/* No TLS endpoint at all: no TLS 1.3. */
	assert_string_equal(sget(o, "results.custom.tls_1_3_support"), "no");
	json_decref(o);

	/* A null MX ("0 ."): its own verdict; the servers are "ok". */
	f->mx_status = NH_MX_NULL;
	o = nh_batch_domain_result(&r, f, NULL, 0);
	assert_test(o, "mail_starttls_tls_available", "not_tested", "null-mx");
	assert_test(o, "mail_ipv6_mx_address", "not_tested", "null-mx");
	assert_string_equal(
	    sget(o, "results.categories.mail_starttls.verdict"), "null-mx");
	assert_string_equal(
	    sget(o, "results.custom.mail_servers_testable_status"), "ok");
	json_decref(o);

	/* Without facts, no usable MX reads as no MX. */
	o = nh_batch_domain_result(&r, NULL, NULL, 0);
	assert_test(o, "mail_starttls_tls_available", "not_tested", "other-2");
	assert_string_equal(
	    sget(o, "results.custom.mail_servers_testable_status"), "no_mx");
	json_decref(o);
	nh_facts_free(f);
}

static void
test_mx_untestable(void **state)
{
	static const struct nh_store_check checks[] = {
		{ "mail_starttls_tls_available", "mail_starttls", NH_ERROR, 0,
		    10, "would not talk", NULL },
	};
	struct nh_store_result r =
	    hand(NH_TEST_MAIL, "mail_starttls", NH_ERROR, checks, N(checks));
	struct nh_facts *f = nh_facts_new("hand.test", NH_TEST_MAIL);
	json_t *o;

	(void)state;
	assert_non_null(f);
	f->mx_status = NH_MX_HAS_MX;
	assert_non_null(f->mxtls = calloc(1, sizeof(*f->mxtls)));
	f->nmxtls = 1;
	snprintf(f->mxtls[0].ip, sizeof(f->mxtls[0].ip), "192.0.2.25");
	f->mxtls[0].family = 4;
	/* Only 421 greetings: untestable, not unreachable. */
	f->mxtls[0].smtp.answered = NH_PROBE_FAILED;
	o = nh_batch_domain_result(&r, f, NULL, 0);
	assert_test(
	    o, "mail_starttls_tls_available", "error", "could-not-test");
	assert_string_equal(
	    sget(o, "results.categories.mail_starttls.status"), "error");
	assert_string_equal(
	    sget(o, "results.categories.mail_starttls.verdict"), "untestable");
	assert_string_equal(
	    sget(o, "results.custom.mail_servers_testable_status"),
	    "untestable");
	assert_string_equal(
	    sget(o, "results.custom.tls_1_3_support"), "undetermined");
	json_decref(o);

	/* No answer on port 25 at all: unreachable. */
	f->mxtls[0].smtp.answered = NH_PROBE_NOT_DONE;
	f->mxtls[0].reachable = NH_PROBE_FAILED;
	o = nh_batch_domain_result(&r, f, NULL, 0);
	assert_test(o, "mail_starttls_tls_available", "error", "other");
	assert_string_equal(
	    sget(o, "results.categories.mail_starttls.verdict"), "unreachable");
	assert_string_equal(
	    sget(o, "results.custom.mail_servers_testable_status"),
	    "unreachable");
	assert_string_equal(
	    sget(o, "results.custom.tls_1_3_support"), "undetermined");
	json_decref(o);

	nh_facts_free(f);
}

static void
test_mail_auth_rules(void **state)
{
	static const struct nh_store_check checks[] = {
		{ "mail_auth_dkim_exist", "mail_auth", NH_NOT_TESTED, 10, 10,
		    NULL, NULL },
		{ "mail_auth_dmarc_policy", "mail_auth", NH_PASSED, 10, 10,
		    NULL, NULL },
		{ "mail_auth_spf_policy", "mail_auth", NH_PASSED, 10, 10, NULL,
		    NULL },
	};
	struct nh_store_check weak[3];
	struct nh_store_result r =
	    hand(NH_TEST_MAIL, "mail_auth", NH_PASSED, checks, N(checks));
	json_t *o;

	(void)state;
	/* DMARC reject and SPF -all: no mail sent, DKIM not needed. */
	o = nh_batch_domain_result(&r, NULL, NULL, 0);
	assert_test(o, "mail_auth_dkim_exist", "not_tested", "no-email");
	assert_true(
	    json_is_true(get(o, "results.custom.mail_non_sending_domain")));
	/* No such check in the result: the custom result is left out. */
	assert_null(get(o, "results.custom.mail_servers_testable_status"));
	json_decref(o);

	memcpy(weak, checks, sizeof(weak));
	weak[1].status = NH_FAILED; /* p=none: 2 points */
	weak[1].points = 2;
	weak[2].status = NH_FAILED; /* syntax, 11 lookups */
	weak[2].points = 0;
	weak[2].evidence = "{\"evidence\":{\"all\":\"-\",\"lookups\":11}}";
	r = hand(NH_TEST_MAIL, "mail_auth", NH_FAILED, weak, N(weak));
	o = nh_batch_domain_result(&r, NULL, NULL, 0);
	assert_test(o, "mail_auth_dmarc_policy", "failed", "policy");
	assert_test(o, "mail_auth_spf_policy", "failed", "max-lookups");
	assert_true(
	    json_is_false(get(o, "results.custom.mail_non_sending_domain")));
	json_decref(o);

	weak[1].status = NH_WARNING; /* an external report address */
	weak[1].points = 10;
	weak[2].points = 2; /* "+all" */
	o = nh_batch_domain_result(&r, NULL, NULL, 0);
	assert_test(o, "mail_auth_dmarc_policy", "warning", "external");
	assert_test(o, "mail_auth_spf_policy", "failed", "all");
	json_decref(o);
}

static void
test_http_rules(void **state)
{
	static const struct nh_store_check checks[] = {
		{ "web_https_http_redirect", "web_https", NH_PASSED, 10, 10,
		    NULL,
		    "{\"servers\":[{\"server\":\"192.0.2.1\",\"status\":"
		    "\"passed\",\"evidence\":{\"chain\":[]}}]}" },
		{ "web_https_http_hsts", "web_https", NH_FAILED, 2, 10, NULL,
		    "{\"servers\":[{\"server\":\"192.0.2.1\",\"status\":"
		    "\"failed\",\"evidence\":{\"findings\":[{\"status\":"
		    "\"failed\",\"code\":\"hsts_short\"}]}}]}" },
		{ "web_https_http_available", "web_https", NH_ERROR, 0, 0, NULL,
		    NULL },
	};
	struct nh_store_result r =
	    hand(NH_TEST_WEB, "web_https", NH_ERROR, checks, N(checks));
	json_t *o = nh_batch_domain_result(&r, NULL, NULL, 0);

	(void)state;
	/* Nothing on port 80: HTTPS only, Internet.nl's "other". */
	assert_test(o, "web_https_http_redirect", "passed", "other");
	/* A max-age too short: "other". */
	assert_test(o, "web_https_http_hsts", "failed", "other");
	assert_test(o, "web_https_http_available", "error", "other");
	assert_string_equal(
	    sget(o, "results.categories.web_https.status"), "error");
	assert_string_equal(
	    sget(o, "results.categories.web_https.verdict"), "unreachable");
	json_decref(o);
}

static void
test_technical_without_facts(void **state)
{
	static const struct nh_store_check checks[] = {
		{ "mail_dnssec_mailto_exist", "mail_dnssec", NH_PASSED, 0, 0,
		    NULL, NULL },
		{ "mail_dnssec_mailto_valid", "mail_dnssec", NH_FAILED, 0, 10,
		    NULL, NULL },
		{ "mail_auth_dmarc_exist", "mail_auth", NH_PASSED, 10, 10, NULL,
		    "{\"evidence\":{\"name\":\"_dmarc.org.test\",\"records\":"
		    "[\"v=DMARC1; p=reject\"]}}" },
		{ "mail_auth_dmarc_policy", "mail_auth", NH_PASSED, 10, 10,
		    NULL, NULL },
	};
	struct nh_store_result r =
	    hand(NH_TEST_MAIL, "mail_dnssec", NH_FAILED, checks, N(checks));
	json_t *o = nh_batch_domain_technical(&r, NULL);

	(void)state;
	assert_non_null(o);
	assert_string_equal(sget(o, "status"), "ok");
	/* Signed, but the signatures do not validate. */
	assert_string_equal(sget(o, "domain.dnssec.status"), "bogus");
	/* Found at the organizational domain. */
	assert_string_equal(
	    sget(o, "domain.dmarc.record_org_domain"), "org.test");
	assert_string_equal(sget(o, "domain.dmarc.policy_status"), "valid");
	assert_int_equal(json_array_size(get(o, "domain.spf.records")), 0);
	assert_null(json_object_get(o, "nameservers"));
	assert_null(json_object_get(o, "receiving_mailservers"));
	json_decref(o);
}

/* ---- Metadata, request, envelope ---- */

static void
test_table_covers_checks(void **state)
{
	(void)state;
	for (size_t i = 0; i < nh_check_count; i++) {
		if (nh_batch_test_find(nh_check_table[i].meta.id) == NULL)
			fail_msg(
			    "%s has no batch row", nh_check_table[i].meta.id);
	}
	/* Every Internet.nl test has a translation key. */
	for (size_t i = 0; i < N(inl_web_tests); i++)
		assert_non_null(nh_batch_test_find(inl_web_tests[i])->key);
	for (size_t i = 0; i < N(inl_mail_tests); i++)
		assert_non_null(nh_batch_test_find(inl_mail_tests[i])->key);
	/* nethealth's own have none. */
	assert_null(nh_batch_test_find("web_ns_reach_ipv4")->key);
	assert_null(nh_batch_test_find("mail_starttls_mtasts")->key);
	assert_null(nh_batch_test_find("no_such_check"));
}

/* The names of a hierarchy list, and the tests below it (recursively). */
static void
collect(json_t *list, json_t *names, json_t *tests)
{
	size_t i;
	json_t *item;

	json_array_foreach(list, i, item)
	{
		const char *name = sget(item, "name");
		json_t *children = json_object_get(item, "children");

		if (names != NULL)
			json_array_append_new(names, json_string(name));
		if (children != NULL)
			collect(children, NULL, tests);
		else
			json_array_append_new(tests, json_string(name));
	}
}

static void
test_metadata(void **state)
{
	json_t *m = nh_batch_metadata(0), *only, *names, *tests, *d, *map;

	(void)state;
	assert_non_null(m);
	if (getenv("NH_BATCH_DUMP") != NULL) {
		json_dumpf(m, stdout, JSON_INDENT(1));
		putchar('\n');
	}
	names = json_array();
	tests = json_array();
	collect(get(m, "hierarchy.web"), names, tests);
	assert_int_equal(json_array_size(names), N(inl_web_categories));
	for (size_t i = 0; i < N(inl_web_categories); i++)
		assert_string_equal(json_string_value(json_array_get(names, i)),
		    inl_web_categories[i]);
	for (size_t i = 0; i < N(inl_web_tests); i++)
		assert_true(in_array(tests, inl_web_tests[i]));
	assert_true(in_array(tests, "web_ns_reach_ipv4"));
	json_decref(names);
	json_decref(tests);

	names = json_array();
	tests = json_array();
	collect(get(m, "hierarchy.mail"), names, tests);
	assert_int_equal(json_array_size(names), N(inl_mail_categories));
	for (size_t i = 0; i < N(inl_mail_categories); i++)
		assert_string_equal(json_string_value(json_array_get(names, i)),
		    inl_mail_categories[i]);
	for (size_t i = 0; i < N(inl_mail_tests); i++)
		assert_true(in_array(tests, inl_mail_tests[i]));
	json_decref(names);
	json_decref(tests);

	/* Items: a category, a section, a test with its verdicts. */
	d = get(m, "data");
	assert_string_equal(sget(d, "web_ipv6.type"), "category");
	assert_string_equal(sget(d, "web_ipv6.translation_key"), "siteipv6");
	assert_non_null(sget(d, "web_ipv6.label"));
	assert_string_equal(
	    sget(d, "mail_starttls.translation_key"), "mailtls");
	/* web_rpki names a category and a section: data keeps the category. */
	assert_string_equal(sget(d, "web_rpki.type"), "category");
	assert_string_equal(sget(d, "web_ipv6_nameservers.type"), "section");
	assert_string_equal(sget(d, "web_ipv6_nameservers.translation_key"),
	    "domain-mail ipv6 name-servers");
	assert_string_equal(sget(d, "web_https_tls_version.type"), "test");
	assert_string_equal(sget(d, "web_https_tls_version.translation_key"),
	    "web tls version");
	map = get(d, "web_https_tls_version.status_verdict_map");
	assert_true(in_array(json_object_get(map, "passed"), "good"));
	assert_true(in_array(json_object_get(map, "failed"), "bad"));
	assert_true(in_array(json_object_get(map, "warning"), "phase-out"));
	assert_true(in_array(
	    json_object_get(map, "not_tested"), "detail verdict not-tested"));
	assert_true(in_array(
	    json_object_get(map, "error"), "detail verdict could-not-test"));
	/* An info-capped test cannot fail. */
	map = get(d, "web_appsecpriv_x_frame_options.status_verdict_map");
	assert_null(json_object_get(map, "failed"));
	assert_null(json_object_get(map, "warning"));
	assert_non_null(json_object_get(map, "info"));
	map = get(d, "mail_starttls_tls_available.status_verdict_map");
	assert_true(in_array(json_object_get(map, "not_tested"), "other-2"));
	assert_true(in_array(json_object_get(map, "not_tested"), "null-mx"));
	assert_true(in_array(json_object_get(map, "error"), "other"));
	/* nethealth's own checks carry their id as key. */
	assert_string_equal(
	    sget(d, "web_dnssec_nsec3.translation_key"), "web_dnssec_nsec3");
	json_decref(m);

	only = nh_batch_metadata(NH_BATCH_INTERNETNL_ONLY);
	assert_non_null(only);
	assert_null(json_object_get(get(only, "data"), "web_ns_reach_ipv4"));
	assert_null(json_object_get(get(only, "data"), "mail_starttls_mtasts"));
	assert_non_null(
	    json_object_get(get(only, "data"), "web_ipv6_ns_reach"));
	tests = json_array();
	collect(get(only, "hierarchy.web"), NULL, tests);
	collect(get(only, "hierarchy.mail"), NULL, tests);
	assert_int_equal(
	    json_array_size(tests), N(inl_web_tests) + N(inl_mail_tests));
	json_decref(tests);
	json_decref(only);
}

static void
test_request_and_envelope(void **state)
{
	struct nh_batch_req rq = { "0123456789abcdef0123456789abcdef",
		"gov web", NH_TEST_WEB, "running", "2026-11-28T09:21:41Z",
		NULL };
	json_t *o;

	(void)state;
	o = nh_batch_request_json(&rq);
	assert_non_null(o);
	assert_int_equal(json_object_size(o), 6);
	assert_string_equal(
	    sget(o, "request_id"), "0123456789abcdef0123456789abcdef");
	assert_string_equal(sget(o, "name"), "gov web");
	assert_string_equal(sget(o, "request_type"), "web");
	assert_string_equal(sget(o, "status"), "running");
	assert_string_equal(sget(o, "submit_date"), "2026-11-28T09:21:41Z");
	assert_true(json_is_null(json_object_get(o, "finished_date")));
	json_decref(o);
	rq.type = NH_TEST_MAIL;
	rq.status = "done";
	rq.name = NULL;
	rq.finished_date = "2026-11-28T10:00:00Z";
	o = nh_batch_request_json(&rq);
	assert_string_equal(sget(o, "request_type"), "mail");
	assert_string_equal(sget(o, "name"), "");
	assert_string_equal(sget(o, "finished_date"), "2026-11-28T10:00:00Z");
	json_decref(o);

	o = nh_batch_reply();
	assert_string_equal(sget(o, "api_version"), "2.7.0");
	assert_int_equal(json_object_size(o), 1);
	json_decref(o);
	o = nh_batch_error("unknown-request", "no such request");
	assert_string_equal(sget(o, "api_version"), NH_BATCH_API_VERSION);
	assert_string_equal(sget(o, "error.label"), "unknown-request");
	assert_string_equal(sget(o, "error.msg"), "no such request");
	json_decref(o);
}

static void
test_allocation_failure(void **state)
{
	struct nh_batch_req rq = { "0123456789abcdef0123456789abcdef", "x",
		NH_TEST_WEB, "done", "2026-11-28T09:21:41Z",
		"2026-11-28T10:00:00Z" };

	(void)state;
	torture(build_metadata, NULL);
	torture(build_request, &rq);
	torture(build_error, NULL);
}

static void
test_text(void **state)
{
	json_t *v;

	(void)state;
	/* Bytes a server sent that are not UTF-8, or NUL: kept as '?'. */
	v = nh_batch_text("a\xff"
			  "b\0c",
	    5);
	assert_string_equal(json_string_value(v), "a?b?c");
	json_decref(v);
	v = nh_batch_text("caf\xc3\xa9", 5);
	assert_string_equal(json_string_value(v), "caf\xc3\xa9");
	json_decref(v);
	assert_true(json_is_null(v = nh_batch_text(NULL, 0)));
	json_decref(v);
	assert_null(nh_batch_facts(NULL));
	assert_null(nh_batch_facts("not json"));
	assert_null(nh_batch_facts("{\"domain\": 5}"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_web_good),
		cmocka_unit_test(test_web_legacy),
		cmocka_unit_test(test_mail_good),
		cmocka_unit_test(test_mail_legacy),
		cmocka_unit_test(test_status_mapping),
		cmocka_unit_test(test_error_and_invalid),
		cmocka_unit_test(test_no_mx),
		cmocka_unit_test(test_mx_untestable),
		cmocka_unit_test(test_mail_auth_rules),
		cmocka_unit_test(test_http_rules),
		cmocka_unit_test(test_technical_without_facts),
		cmocka_unit_test(test_table_covers_checks),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_request_and_envelope),
		cmocka_unit_test(test_allocation_failure),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
