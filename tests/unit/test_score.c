/*
 * test_score.c: every scoring rule, with hand-made results: clamping,
 * points, category percentages, per-server aggregation, not-tested checks,
 * category verdicts and the test score. Figures are worked out by hand from
 * Internet.nl's model (internetnl-catalog.md §0, §4).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model.h"

/* The web IPv6 category (§1.1), max 22 points. */
static const struct nh_category_meta cat_ipv6 = { "web_ipv6", NH_TEST_WEB, 0,
	NULL };
static const struct nh_check_meta ns_address = { "web_ipv6_ns_address",
	"web_ipv6", NH_FAILED, 0 };
static const struct nh_check_meta ns_reach = { "web_ipv6_ns_reach", "web_ipv6",
	NH_FAILED, 10 };
static const struct nh_check_meta ws_reach = { "web_ipv6_ws_reach", "web_ipv6",
	NH_FAILED, 10 };
static const struct nh_check_meta ws_similar = { "web_ipv6_ws_similar",
	"web_ipv6", NH_FAILED, 2 };

/* The web DNSSEC category (§1.2). */
static const struct nh_category_meta cat_dnssec = { "web_dnssec", NH_TEST_WEB,
	0, NULL };
static const struct nh_check_meta dnssec_exist = { "web_dnssec_exist",
	"web_dnssec", NH_FAILED, 0 };
static const struct nh_check_meta dnssec_valid = { "web_dnssec_valid",
	"web_dnssec", NH_FAILED, 10 };

/* A per-server TLS category with a gate, an info and a notice check. */
static const struct nh_category_meta cat_tls = { "web_https", NH_TEST_WEB,
	NH_CAT_PER_SERVER, "web_https_http_available" };
static const struct nh_check_meta https_available = {
	"web_https_http_available", "web_https", NH_FAILED, 0
};
static const struct nh_check_meta tls_version = { "web_https_tls_version",
	"web_https", NH_FAILED, 10 };
static const struct nh_check_meta hsts = { "web_https_http_hsts", "web_https",
	NH_FAILED, 10 };
static const struct nh_check_meta ems = { "web_https_tls_extendedmastersecret",
	"web_https", NH_FAILED, 10 };
static const struct nh_check_meta compress = { "web_https_http_compress",
	"web_https", NH_INFO, 0 };
static const struct nh_check_meta ocsp = { "web_https_tls_ocsp", "web_https",
	NH_WARNING, 0 };

/* The security options category: nothing mandatory. */
static const struct nh_category_meta cat_appsec = { "web_appsecpriv",
	NH_TEST_WEB, 0, NULL };
static const struct nh_check_meta xfo = { "web_appsecpriv_x_frame_options",
	"web_appsecpriv", NH_INFO, 0 };
static const struct nh_check_meta xcto = {
	"web_appsecpriv_x_content_type_options", "web_appsecpriv", NH_WARNING, 0
};

/* Mail DNSSEC: per server, the domain and each MX (§2.2). */
static const struct nh_category_meta cat_mail_dnssec = { "mail_dnssec",
	NH_TEST_MAIL, NH_CAT_PER_SERVER, NULL };
static const struct nh_check_meta mailto_valid = { "mail_dnssec_mailto_valid",
	"mail_dnssec", NH_FAILED, 10 };
static const struct nh_check_meta mx_valid = { "mail_dnssec_mx_valid",
	"mail_dnssec", NH_FAILED, 10 };

/* RPKI (§1.5). */
static const struct nh_category_meta cat_rpki = { "web_rpki", NH_TEST_WEB, 0,
	NULL };
static const struct nh_check_meta rpki_exists = { "web_rpki_exists", "web_rpki",
	NH_FAILED, 5 };
static const struct nh_check_meta rpki_valid = { "web_rpki_valid", "web_rpki",
	NH_FAILED, 10 };

/* Sets r to meta with a status and points, finished. */
static void
mk(struct nh_check_result *r, const struct nh_check_meta *m, enum nh_status st,
    int points)
{
	nh_check_result_init(r, m);
	assert_int_equal(nh_check_result_set(r, st, points, NULL), 0);
	nh_check_result_finish(r);
}

static void
clear_all(struct nh_check_result *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		nh_check_result_clear(&r[i]);
}

static void
test_result_points_clamped(void **state)
{
	struct nh_check_result r;

	(void)state;
	/* Points never exceed the check's full points nor drop below 0. */
	mk(&r, &ns_reach, NH_PASSED, 99);
	assert_int_equal(r.points, 10);
	assert_int_equal(r.max, 10);
	nh_check_result_clear(&r);
	mk(&r, &ns_reach, NH_FAILED, -3);
	assert_int_equal(r.points, 0);
	nh_check_result_clear(&r);
	/* A check without points, or not mandatory, is not counted. */
	mk(&r, &ns_address, NH_PASSED, 10);
	assert_int_equal(r.max, 0);
	assert_int_equal(r.points, 0);
	nh_check_result_clear(&r);
	mk(&r, &ocsp, NH_PASSED, 10);
	assert_int_equal(r.max, 0);
	nh_check_result_clear(&r);
}

static void
test_result_clamped_to_worst(void **state)
{
	struct nh_check_result r;

	(void)state;
	mk(&r, &compress, NH_FAILED, 0);
	assert_int_equal(r.status, NH_INFO);
	nh_check_result_clear(&r);
	mk(&r, &ocsp, NH_FAILED, 0);
	assert_int_equal(r.status, NH_WARNING);
	nh_check_result_clear(&r);
	mk(&r, &ocsp, NH_ERROR, 0);
	assert_int_equal(r.status, NH_ERROR);
	nh_check_result_clear(&r);
}

static void
test_category_percentage(void **state)
{
	struct nh_check_result r[4];
	int earned, max;

	(void)state;
	/* All good: 22 of 22. */
	mk(&r[0], &ns_address, NH_PASSED, 0);
	mk(&r[1], &ns_reach, NH_PASSED, 10);
	mk(&r[2], &ws_reach, NH_PASSED, 10);
	mk(&r[3], &ws_similar, NH_PASSED, 2);
	assert_int_equal(
	    nh_score_category_points(&cat_ipv6, r, 4, &earned, &max), 100);
	assert_int_equal(earned, 22);
	assert_int_equal(max, 22);
	assert_int_equal(nh_score_category_verdict(&cat_ipv6, r, 4), NH_PASSED);
	clear_all(r, 4);

	/* Partial reach (2 points each) and no similarity: 4/22 = 18.18 -> 18. */
	mk(&r[0], &ns_address, NH_PASSED, 0);
	mk(&r[1], &ns_reach, NH_FAILED, 2);
	mk(&r[2], &ws_reach, NH_FAILED, 2);
	mk(&r[3], &ws_similar, NH_FAILED, 0);
	assert_int_equal(
	    nh_score_category_points(&cat_ipv6, r, 4, &earned, &max), 18);
	assert_int_equal(earned, 4);
	assert_int_equal(nh_score_category_verdict(&cat_ipv6, r, 4), NH_FAILED);
	clear_all(r, 4);

	/* 14 of 22 = 63.6 -> 63: truncated, not rounded. */
	mk(&r[0], &ns_address, NH_PASSED, 0);
	mk(&r[1], &ns_reach, NH_PASSED, 10);
	mk(&r[2], &ws_reach, NH_FAILED, 2);
	mk(&r[3], &ws_similar, NH_PASSED, 2);
	assert_int_equal(
	    nh_score_category_points(&cat_ipv6, r, 4, &earned, &max), 63);
	clear_all(r, 4);
}

static void
test_not_tested_but_mandatory(void **state)
{
	struct nh_check_result r[2];
	int earned, max;

	(void)state;
	/*
	 * An unsigned domain: DNSSEC absent (failed) and validity not tested,
	 * yet mandatory: it stays in the max. Internet.nl awards 2 of 10
	 * here; the compat number is what the check sets.
	 */
	mk(&r[0], &dnssec_exist, NH_FAILED, 0);
	mk(&r[1], &dnssec_valid, NH_NOT_TESTED, 2);
	assert_int_equal(
	    nh_score_category_points(&cat_dnssec, r, 2, &earned, &max), 20);
	assert_int_equal(max, 10);
	assert_int_equal(
	    nh_score_category_verdict(&cat_dnssec, r, 2), NH_FAILED);
	clear_all(r, 2);

	/* Not tested with no points: 0%, and it counts as a failure. */
	mk(&r[0], &dnssec_exist, NH_PASSED, 0);
	mk(&r[1], &dnssec_valid, NH_NOT_TESTED, 0);
	assert_int_equal(
	    nh_score_category_points(&cat_dnssec, r, 2, &earned, &max), 0);
	assert_int_equal(
	    nh_score_category_verdict(&cat_dnssec, r, 2), NH_FAILED);
	clear_all(r, 2);

	/* An error is 0 points and the error verdict. */
	mk(&r[0], &dnssec_exist, NH_ERROR, 0);
	mk(&r[1], &dnssec_valid, NH_ERROR, 0);
	assert_int_equal(
	    nh_score_category_points(&cat_dnssec, r, 2, &earned, &max), 0);
	assert_int_equal(max, 10);
	assert_int_equal(
	    nh_score_category_verdict(&cat_dnssec, r, 2), NH_ERROR);
	clear_all(r, 2);
}

static void
test_not_tested_full_points(void **state)
{
	struct nh_check_result r[2];
	int earned, max;

	(void)state;
	/* Unrouted addresses: validity not tested with full points. */
	mk(&r[0], &rpki_exists, NH_PASSED, 5);
	mk(&r[1], &rpki_valid, NH_NOT_TESTED, 10);
	assert_int_equal(
	    nh_score_category_points(&cat_rpki, r, 2, &earned, &max), 100);
	/* It kept its points: no failure (docs/scoring.md). */
	assert_int_equal(nh_score_category_verdict(&cat_rpki, r, 2), NH_PASSED);
	clear_all(r, 2);
}

static void
test_not_applicable_not_counted(void **state)
{
	struct nh_check_result r[3];
	int earned, max;

	(void)state;
	/* No TLS 1.2: EMS does not apply and leaves the max. */
	mk(&r[0], &https_available, NH_PASSED, 0);
	mk(&r[1], &tls_version, NH_PASSED, 10);
	nh_check_result_init(&r[2], &ems);
	assert_int_equal(
	    nh_check_result_not_applicable(&r[2], "no TLS 1.2"), 0);
	nh_check_result_finish(&r[2]);
	assert_int_equal(
	    nh_score_category_points(&cat_tls, r, 3, &earned, &max), 100);
	assert_int_equal(max, 10);
	assert_int_equal(nh_score_category_verdict(&cat_tls, r, 3), NH_PASSED);
	clear_all(r, 3);
}

/* Adds a per-server finding. */
static void
server(struct nh_check_result *r, const char *s, enum nh_status st, int points)
{
	assert_non_null(
	    nh_check_result_add_server(r, s, st, points, NULL, NULL));
}

static void
test_per_server_aggregation(void **state)
{
	struct nh_check_result r[4];
	int earned, max;

	(void)state;
	/* Two addresses: the IPv6 one lacks HSTS. */
	nh_check_result_init(&r[0], &https_available);
	server(&r[0], "203.0.113.10", NH_PASSED, 0);
	server(&r[0], "2001:db8::10", NH_PASSED, 0);
	nh_check_result_init(&r[1], &tls_version);
	server(&r[1], "203.0.113.10", NH_PASSED, 10);
	server(&r[1], "2001:db8::10", NH_PASSED, 10);
	nh_check_result_init(&r[2], &hsts);
	server(&r[2], "203.0.113.10", NH_PASSED, 10);
	server(&r[2], "2001:db8::10", NH_FAILED, 0);
	nh_check_result_init(&r[3], &compress);
	server(&r[3], "203.0.113.10", NH_FAILED, 0); /* clamped to info */
	server(&r[3], "2001:db8::10", NH_PASSED, 0);
	for (int i = 0; i < 4; i++)
		nh_check_result_finish(&r[i]);

	/* The worst status over servers, the lowest points. */
	assert_int_equal(r[2].status, NH_FAILED);
	assert_int_equal(r[2].points, 0);
	assert_int_equal(r[2].max, 10);
	assert_int_equal(r[3].status, NH_INFO);
	assert_int_equal(r[3].servers[0].status, NH_INFO);
	assert_int_equal(r[1].status, NH_PASSED);

	/* Per server: v4 20/20, v6 10/20; the category takes the lowest. */
	assert_int_equal(
	    nh_score_category_points(&cat_tls, r, 4, &earned, &max), 50);
	assert_int_equal(earned, 10);
	assert_int_equal(max, 20);
	assert_int_equal(nh_score_category_verdict(&cat_tls, r, 4), NH_FAILED);
	clear_all(r, 4);
}

static void
test_per_server_min_of_sums(void **state)
{
	struct nh_check_result r[3];
	int earned, max;

	(void)state;
	/*
	 * Server A loses version, server B loses HSTS: each server has 10 of
	 * 20, so 50%; the minimum of per-check minimums would say 0%.
	 * Internet.nl takes the minimum of per-server totals (models.py
	 * DomainServersModel.totalscore).
	 */
	nh_check_result_init(&r[0], &https_available);
	server(&r[0], "a", NH_PASSED, 0);
	server(&r[0], "b", NH_PASSED, 0);
	nh_check_result_init(&r[1], &tls_version);
	server(&r[1], "a", NH_FAILED, 0);
	server(&r[1], "b", NH_PASSED, 10);
	nh_check_result_init(&r[2], &hsts);
	server(&r[2], "a", NH_PASSED, 10);
	server(&r[2], "b", NH_FAILED, 0);
	for (int i = 0; i < 3; i++)
		nh_check_result_finish(&r[i]);
	assert_int_equal(
	    nh_score_category_points(&cat_tls, r, 3, &earned, &max), 50);
	clear_all(r, 3);
}

static void
test_per_server_domain_and_mx(void **state)
{
	struct nh_check_result r[2];
	int earned, max;

	(void)state;
	/* Mail DNSSEC: the domain is signed, one of two MX names is not. */
	nh_check_result_init(&r[0], &mailto_valid);
	server(&r[0], "good.test", NH_PASSED, 10);
	nh_check_result_init(&r[1], &mx_valid);
	server(&r[1], "mx1.good.test", NH_PASSED, 10);
	server(&r[1], "mx2.other.test", NH_NOT_TESTED, 2);
	nh_check_result_finish(&r[0]);
	nh_check_result_finish(&r[1]);
	/* Each server has a max of 10; the unsigned MX scores 2 -> 20%. */
	assert_int_equal(
	    nh_score_category_points(&cat_mail_dnssec, r, 2, &earned, &max),
	    20);
	assert_int_equal(earned, 2);
	assert_int_equal(max, 10);
	assert_int_equal(r[1].status, NH_NOT_TESTED);
	clear_all(r, 2);
}

static void
test_verdicts(void **state)
{
	struct nh_check_result r[3];

	(void)state;
	/* A warning beside passing mandatory checks does not change it. */
	mk(&r[0], &https_available, NH_PASSED, 0);
	mk(&r[1], &tls_version, NH_PASSED, 10);
	mk(&r[2], &ocsp, NH_WARNING, 0);
	assert_int_equal(nh_score_category_verdict(&cat_tls, r, 3), NH_PASSED);
	clear_all(r, 3);

	/* Optional checks only: a warning is the verdict. */
	mk(&r[0], &xfo, NH_PASSED, 0);
	mk(&r[1], &xcto, NH_FAILED, 0); /* clamped to warning */
	assert_int_equal(r[1].status, NH_WARNING);
	assert_int_equal(
	    nh_score_category_verdict(&cat_appsec, r, 2), NH_WARNING);
	clear_all(r, 2);

	/* Info only when nothing mandatory or optional is in the category. */
	mk(&r[0], &xfo, NH_FAILED, 0); /* clamped to info */
	assert_int_equal(nh_score_category_verdict(&cat_appsec, r, 1), NH_INFO);
	mk(&r[1], &xcto, NH_PASSED, 0);
	assert_int_equal(
	    nh_score_category_verdict(&cat_appsec, r, 2), NH_PASSED);
	clear_all(r, 2);

	/* Nothing tested at all: the category is not tested. */
	mk(&r[0], &xfo, NH_NOT_TESTED, 0);
	mk(&r[1], &xcto, NH_NOT_TESTED, 0);
	assert_int_equal(
	    nh_score_category_verdict(&cat_appsec, r, 2), NH_NOT_TESTED);
	clear_all(r, 2);
	assert_int_equal(
	    nh_score_category_verdict(&cat_appsec, r, 0), NH_NOT_TESTED);
}

static void
test_gate_verdict(void **state)
{
	struct nh_check_result r[3];

	(void)state;
	/* No HTTPS: only the gate ran; its status is the verdict. */
	mk(&r[0], &https_available, NH_FAILED, 0);
	mk(&r[1], &tls_version, NH_NOT_TESTED, 0);
	mk(&r[2], &hsts, NH_NOT_TESTED, 0);
	assert_int_equal(nh_score_category_verdict(&cat_tls, r, 3), NH_FAILED);
	clear_all(r, 3);
	mk(&r[0], &https_available, NH_ERROR, 0);
	mk(&r[1], &tls_version, NH_NOT_TESTED, 0);
	mk(&r[2], &hsts, NH_NOT_TESTED, 0);
	assert_int_equal(nh_score_category_verdict(&cat_tls, r, 3), NH_ERROR);
	clear_all(r, 3);
}

static void
test_test_score(void **state)
{
	static const struct nh_check_meta *const metas[] = { &ns_address,
		&ns_reach, &ws_reach, &ws_similar, &dnssec_exist, &dnssec_valid,
		&xfo, &xcto };
	struct nh_test_result *t;

	(void)state;
	t = nh_test_result_new("good.test", NH_TEST_WEB, 8, 3);
	assert_non_null(t);
	t->categories[0].meta = &cat_ipv6;
	t->categories[1].meta = &cat_dnssec;
	t->categories[2].meta = &cat_appsec;
	mk(&t->checks[0], metas[0], NH_PASSED, 0);
	mk(&t->checks[1], metas[1], NH_PASSED, 10);
	mk(&t->checks[2], metas[2], NH_FAILED, 2);
	mk(&t->checks[3], metas[3], NH_PASSED, 2); /* IPv6: 14/22 = 63 */
	mk(&t->checks[4], metas[4], NH_FAILED, 0);
	mk(&t->checks[5], metas[5], NH_NOT_TESTED, 2); /* DNSSEC: 20 */
	mk(&t->checks[6], metas[6], NH_FAILED, 0);
	mk(&t->checks[7], metas[7], NH_FAILED, 0); /* not scored */
	nh_score(t);
	assert_int_equal(t->categories[0].score, 63);
	assert_int_equal(t->categories[1].score, 20);
	assert_int_equal(t->categories[2].score, -1);
	assert_int_equal(t->categories[2].status, NH_WARNING);
	/* Mean of 63 and 20 = 41.5 -> 41; the unscored category is left out. */
	assert_int_equal(t->score, 41);
	assert_non_null(nh_test_result_check(t, "web_dnssec_valid"));
	assert_null(nh_test_result_check(t, "nope"));
	assert_int_equal(nh_test_result_category(t, "web_dnssec")->score, 20);
	nh_test_result_free(t);

	/* No scored category: no score. */
	t = nh_test_result_new("x.test", NH_TEST_WEB, 1, 1);
	assert_non_null(t);
	t->categories[0].meta = &cat_appsec;
	mk(&t->checks[0], &xfo, NH_PASSED, 0);
	nh_score(t);
	assert_int_equal(t->score, -1);
	nh_test_result_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_result_points_clamped),
		cmocka_unit_test(test_result_clamped_to_worst),
		cmocka_unit_test(test_category_percentage),
		cmocka_unit_test(test_not_tested_but_mandatory),
		cmocka_unit_test(test_not_tested_full_points),
		cmocka_unit_test(test_not_applicable_not_counted),
		cmocka_unit_test(test_per_server_aggregation),
		cmocka_unit_test(test_per_server_min_of_sums),
		cmocka_unit_test(test_per_server_domain_and_mx),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_gate_verdict),
		cmocka_unit_test(test_test_score),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
