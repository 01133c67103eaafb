/*
 * test_checks_http.c: the web test's HTTP checks over facts written by
 * hand: the redirect to HTTPS (first hop, later downgrade, HTTPS only),
 * HSTS points, compression, the security headers, security.txt, the same
 * site over IPv4 and IPv6, per address; and the HTTP facts through JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/checks.h"
#include "http_fixture.h"

static const struct nh_check_opts std_opts = { false };
static const struct nh_check_opts compat_opts = { true };

/* good.test's facts at one address per family, both ports open. */
static struct nh_facts *
facts(void)
{
	static const char *const ips[] = { "2001:db8:0:2::10", "203.0.113.10" };
	struct nh_facts *f = nh_facts_new("good.test", NH_TEST_WEB);

	assert_non_null(f);
	f->ports[0] = 80;
	f->ports[1] = 443;
	f->nports = 2;
	f->web = calloc(2, sizeof(*f->web));
	for (size_t i = 0; i < 2; i++) {
		strcpy(f->web[i].ip, ips[i]);
		f->web[i].family = i == 0 ? 6 : 4;
		f->web[i].port[0] = f->web[i].port[1] = NH_PROBE_OK;
		fx_good_http(f, ips[i]);
	}
	f->nweb = 2;
	return f;
}

static struct nh_test_result *
judge(const struct nh_facts *f, const struct nh_check_opts *o)
{
	struct nh_test_result *t = nh_checks_evaluate(NH_TEST_WEB, f, o);

	assert_non_null(t);
	return t;
}

#define EXPECT(t, id, st, pts) \
	do { \
		const struct nh_check_result *r_ = \
		    nh_test_result_check(t, id); \
		if (r_ == NULL || r_->status != (st) || r_->points != (pts)) \
			fail_msg("%s: %s %d, expected %s %d (%s)", (id), \
			    r_ ? nh_status_name(r_->status) : "missing", \
			    r_ ? r_->points : -1, nh_status_name(st), (pts), \
			    r_ && r_->message ? r_->message : ""); \
	} while (0)

/* Judges f with opts o and expects check id at st and pts; frees. */
static void
expect(const struct nh_facts *f, const struct nh_check_opts *o, const char *id,
    enum nh_status st, int pts)
{
	struct nh_test_result *t = judge(f, o);

	EXPECT(t, id, st, pts);
	nh_test_result_free(t);
}

static void
set_hop(struct nh_fact_http_hop *h, const char *url, int status,
    const char *location)
{
	free(h->url);
	free(h->location);
	h->url = strdup(url);
	h->status = status;
	h->location = location ? strdup(location) : NULL;
}

static void
test_good_passes(void **state)
{
	struct nh_facts *f = facts();
	struct nh_test_result *t;

	(void)state;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_http_redirect", NH_PASSED, 10);
	EXPECT(t, "web_https_http_hsts", NH_PASSED, 10);
	EXPECT(t, "web_https_http_compress", NH_PASSED, 0);
	EXPECT(t, "web_appsecpriv_x_frame_options", NH_PASSED, 0);
	EXPECT(t, "web_appsecpriv_x_content_type_options", NH_PASSED, 0);
	EXPECT(t, "web_appsecpriv_referrer_policy", NH_PASSED, 0);
	EXPECT(t, "web_appsecpriv_csp", NH_PASSED, 0);
	EXPECT(t, "web_appsecpriv_securitytxt", NH_PASSED, 0);
	EXPECT(t, "web_ipv6_ws_similar", NH_PASSED, 2);
	assert_int_equal(
	    nh_test_result_check(t, "web_appsecpriv_csp")->nservers, 2);
	nh_test_result_free(t);
	nh_facts_free(f);
}

static void
test_redirect(void **state)
{
	struct nh_facts *f = facts();
	struct nh_fact_http *h = &f->http[1];

	(void)state;
	/* To www first: Internet.nl's rule, the first hop must stay. */
	set_hop(
	    &h->hops[0], "http://good.test/", 301, "https://www.good.test/");
	expect(f, &std_opts, "web_https_http_redirect", NH_FAILED, 0);
	/* To http:// first. */
	set_hop(&h->hops[0], "http://good.test/", 302, "http://good.test/x");
	expect(f, &std_opts, "web_https_http_redirect", NH_FAILED, 0);
	/* No redirect: the page over plain HTTP. */
	set_hop(&h->hops[0], "http://good.test/", 200, NULL);
	expect(f, &std_opts, "web_https_http_redirect", NH_FAILED, 0);
	/* A later hop back to http://: nethealth fails, compat passes. */
	set_hop(&h->hops[0], "http://good.test/", 301, "https://good.test/");
	set_hop(
	    &h->hops[1], "https://good.test/", 301, "http://good.test/plain/");
	set_hop(&h->hops[2], "http://good.test/plain/", 200, NULL);
	h->nhops = 3;
	expect(f, &std_opts, "web_https_http_redirect", NH_FAILED, 0);
	expect(f, &compat_opts, "web_https_http_redirect", NH_PASSED, 10);
	/* Nothing on port 80: HTTPS only passes. */
	for (size_t i = 0; i < h->nhops; i++) {
		free(h->hops[i].url);
		free(h->hops[i].location);
	}
	memset(h->hops, 0, sizeof(h->hops));
	h->hops[0].url = strdup("http://good.test/");
	h->hops[0].error = strdup("Connection refused");
	h->nhops = 1;
	f->web[1].port[0] = NH_PROBE_FAILED;
	expect(f, &std_opts, "web_https_http_redirect", NH_PASSED, 10);
	/* Port 80 open but no HTTP answer: an error, not a verdict. */
	f->web[1].port[0] = NH_PROBE_OK;
	expect(f, &std_opts, "web_https_http_redirect", NH_ERROR, 0);
	nh_facts_free(f);
}

static void
test_hsts_points(void **state)
{
	struct nh_facts *f = facts();

	(void)state;
	fx_header(&f->http[0], NH_HDR_HSTS, "max-age=86400");
	expect(f, &std_opts, "web_https_http_hsts", NH_FAILED, 2);
	fx_header(&f->http[0], NH_HDR_HSTS, NULL);
	expect(f, &std_opts, "web_https_http_hsts", NH_FAILED, 0);
	fx_header(&f->http[0], NH_HDR_HSTS, "max-age=31536000; max-age=1");
	expect(f, &std_opts, "web_https_http_hsts", NH_FAILED, 0);
	nh_facts_free(f);
}

static void
test_headers(void **state)
{
	struct nh_facts *f = facts();

	(void)state;
	fx_header(&f->http[0], NH_HDR_ENCODING, "gzip");
	expect(f, &std_opts, "web_https_http_compress", NH_INFO, 0);
	fx_header(&f->http[0], NH_HDR_XFO, "ALLOW-FROM https://good.test/");
	expect(f, &std_opts, "web_appsecpriv_x_frame_options", NH_INFO, 0);
	fx_header(&f->http[0], NH_HDR_XCTO, NULL);
	expect(f, &std_opts, "web_appsecpriv_x_content_type_options",
	    NH_WARNING, 0);
	fx_header(&f->http[0], NH_HDR_REFERRER, "unsafe-url");
	expect(f, &std_opts, "web_appsecpriv_referrer_policy", NH_WARNING, 0);
	fx_header(&f->http[0], NH_HDR_REFERRER, NULL);
	expect(f, &std_opts, "web_appsecpriv_referrer_policy", NH_INFO, 0);
	fx_header(&f->http[0], NH_HDR_CSP,
	    "default-src 'self'; script-src 'self' 'unsafe-inline'; "
	    "frame-ancestors 'self'; base-uri 'self'; form-action 'self'");
	expect(f, &std_opts, "web_appsecpriv_csp", NH_WARNING, 0);
	nh_facts_free(f);
}

static void
test_securitytxt(void **state)
{
	struct nh_facts *f = facts();
	struct nh_fact_sectxt *s = &f->http[1].sectxt;

	(void)state;
	free(s->body);
	s->body = strdup("Contact: mailto:security@good.test\n"
			 "Expires: 2099-01-01T00:00:00Z\n");
	s->len = strlen(s->body);
	/* Valid, not signed: a recommendation. */
	expect(f, &std_opts, "web_appsecpriv_securitytxt", NH_INFO, 0);
	free(s->body);
	s->body = strdup("Contact: mailto:security@good.test\n"
			 "Expires: 2020-01-01T00:00:00Z\n");
	s->len = strlen(s->body);
	expect(f, &std_opts, "web_appsecpriv_securitytxt", NH_WARNING, 0);
	free(s->content_type);
	s->content_type = strdup("text/html");
	expect(f, &std_opts, "web_appsecpriv_securitytxt", NH_WARNING, 0);
	/* None at all. */
	free(s->body);
	s->body = NULL;
	s->len = 0;
	s->status = 404;
	expect(f, &std_opts, "web_appsecpriv_securitytxt", NH_WARNING, 0);
	nh_facts_free(f);
}

static void
test_similar(void **state)
{
	struct nh_facts *f = facts();

	(void)state;
	/* A nonce that differs leaves the histogram nearly unchanged. */
	fx_page(&f->http[0].page_https, "https://good.test/",
	    FX_PAGE "<!-- 0123456789 -->");
	expect(f, &std_opts, "web_ipv6_ws_similar", NH_PASSED, 2);
	/* Another page altogether over IPv6. */
	fx_page(&f->http[0].page_https, "https://good.test/",
	    "<html><body>Down for maintenance; back soon!!!!!!!!!!!!!!!!"
	    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
	    "</body></html>");
	expect(f, &std_opts, "web_ipv6_ws_similar", NH_FAILED, 0);
	expect(f, &compat_opts, "web_ipv6_ws_similar", NH_WARNING, 0);
	/* Different status codes: Internet.nl fails but gives the points. */
	fx_page(&f->http[0].page_https, "https://good.test/", FX_PAGE);
	f->http[0].page_https.status = 404;
	expect(f, &std_opts, "web_ipv6_ws_similar", NH_FAILED, 0);
	expect(f, &compat_opts, "web_ipv6_ws_similar", NH_FAILED, 2);
	/* No answer from either family (a suite the HTTP client lacks):
	 * nothing compared, not counted. */
	f->http[0].page_https.got = NH_PROBE_FAILED;
	f->http[1].page_https.got = NH_PROBE_FAILED;
	f->http[0].page_http.got = NH_PROBE_FAILED;
	f->http[1].page_http.got = NH_PROBE_FAILED;
	expect(f, &std_opts, "web_ipv6_ws_similar", NH_NOT_TESTED, 0);
	/* Only IPv6 fails to answer: a difference. */
	f->http[1].page_https.got = NH_PROBE_OK;
	f->http[1].page_http.got = NH_PROBE_OK;
	expect(f, &std_opts, "web_ipv6_ws_similar", NH_FAILED, 0);
	f->http[0].page_https.got = NH_PROBE_OK;
	f->http[0].page_http.got = NH_PROBE_OK;
	/* Ports differ. */
	f->http[0].page_https.status = 200;
	f->web[0].port[0] = NH_PROBE_FAILED;
	expect(f, &std_opts, "web_ipv6_ws_similar", NH_FAILED, 0);
	/* IPv6 only: nothing to compare, full points. */
	f->web[1].port[0] = f->web[1].port[1] = NH_PROBE_FAILED;
	expect(f, &std_opts, "web_ipv6_ws_similar", NH_NOT_TESTED, 2);
	nh_facts_free(f);
}

static void
test_json_roundtrip(void **state)
{
	struct nh_facts *f = facts(), *g;
	struct nh_fact_sectxt *s = &f->http[1].sectxt;
	json_t *j, *k;
	const char *why = NULL;
	char *a, *b;

	(void)state;
	/* Bytes that are not UTF-8, and a NUL, survive the trip. */
	free(s->body);
	s->body = malloc(8);
	memcpy(s->body, "A\xff\0B\xc3(Z", 8);
	s->len = 7;
	fx_header(&f->http[0], NH_HDR_CSP, "default-src 'self' \xfe");
	f->http[0].headers[NH_HDR_XFO].dropped = 2;
	j = nh_facts_to_json(f);
	assert_non_null(j);
	g = nh_facts_from_json(j, &why);
	if (g == NULL)
		fail_msg("from_json: %s", why);
	assert_int_equal(g->nhttp, 2);
	assert_int_equal(g->http[1].sectxt.len, 7);
	assert_memory_equal(g->http[1].sectxt.body, "A\xff\0B\xc3(Z", 7);
	assert_string_equal(g->http[0].headers[NH_HDR_CSP].values[0],
	    "default-src 'self' \xfe");
	assert_int_equal(g->http[0].headers[NH_HDR_XFO].dropped, 2);
	assert_memory_equal(g->http[0].page_https.hist,
	    f->http[0].page_https.hist, sizeof(f->http[0].page_https.hist));
	k = nh_facts_to_json(g);
	a = json_dumps(j, JSON_SORT_KEYS);
	b = json_dumps(k, JSON_SORT_KEYS);
	assert_string_equal(a, b);
	free(a);
	free(b);
	json_decref(j);
	json_decref(k);
	nh_facts_free(g);
	nh_facts_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_passes),
		cmocka_unit_test(test_redirect),
		cmocka_unit_test(test_hsts_points),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_securitytxt),
		cmocka_unit_test(test_similar),
		cmocka_unit_test(test_json_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
