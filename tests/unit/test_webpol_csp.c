/*
 * test_webpol_csp.c: the Content-Security-Policy judge, rule by rule
 * (../shared/internetnl-catalog.md §1.4): each rule passing and failing,
 * the domain-relative hosts of default-src and base-uri, the fallbacks,
 * several policies, and parsing as browsers do (case, repeats, unknown
 * directives, invalid sources).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "webpol/webpol.h"

/* A policy that passes every rule (the catalog's example). */
#define GOOD \
	"default-src 'self'; frame-ancestors 'self'; base-uri 'self'; " \
	"form-action 'self'"
/* The required part, to add one directive to. */
#define REQ "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; "

static struct nh_webpol_result r;

static void
csp1(const char *v, const char *domain)
{
	nh_webpol_csp(&v, 1, domain, &r);
}

/* Fails unless the result holds exactly the codes listed (and its
 * status is the worst of them). */
static void
expect_codes(const char *what, const char *const *codes, size_t n)
{
	char got[512] = "";
	size_t o = 0;
	bool ok = r.n == n;

	for (size_t i = 0; i < n; i++) {
		if (!nh_webpol_find(&r, codes[i]))
			ok = false;
	}
	for (size_t i = 0; i < r.n && o < sizeof(got); i++)
		o += (size_t)snprintf(got + o, sizeof(got) - o, " %s(%s)",
		    r.f[i].code, nh_status_name(r.f[i].status));
	if (!ok)
		fail_msg("%s: got%s", what, got);
}

#define EXPECT(v, dom, ...) \
	do { \
		static const char *const c_[] = { __VA_ARGS__ }; \
		csp1((v), (dom)); \
		expect_codes((v), c_, sizeof(c_) / sizeof(*c_)); \
	} while (0)

static void
test_good_policies(void **state)
{
	(void)state;
	EXPECT(GOOD, "example.nl", "csp_ok");
	assert_int_equal(r.status, NH_PASSED);
	EXPECT("default-src 'none'; frame-ancestors 'none'; base-uri "
	       "'none'; form-action 'none'",
	    "example.nl", "csp_ok");
	/* Internet.nl's own policy style: scripts by nonce and hash, hosts
	 * with a scheme. */
	EXPECT(GOOD "; script-src 'self' 'nonce-r4nd0m+/=' "
		    "'sha256-abc123=' 'strict-dynamic'; img-src 'self' "
		    "https://cdn.example.net data:; style-src 'self' "
		    "https://fonts.example.net",
	    "example.nl", "csp_ok");
	/* Names and keywords in any case, extra white space, trailing
	 * semicolons, unknown directives and report-uri ignored. */
	EXPECT("  DEFAULT-SRC 'SELF' ;frame-ancestors\t'Self';base-uri "
	       "'self' ;form-action 'self';;; report-uri /csp; "
	       "upgrade-insecure-requests; foo-bar baz.example",
	    "example.nl", "csp_ok");
	/* An empty source list is 'none' (CSP3 §6.7.2.5). */
	EXPECT("default-src; frame-ancestors; base-uri; form-action",
	    "example.nl", "csp_ok");
}

static void
test_unsafe_keywords(void **state)
{
	(void)state;
	EXPECT(GOOD "; script-src 'self' 'unsafe-inline'", "example.nl",
	    "has-unsafe-inline");
	assert_int_equal(r.status, NH_WARNING);
	assert_non_null(strstr(r.f[0].msg, "script-src"));
	EXPECT(GOOD "; style-src 'UNSAFE-INLINE'", "example.nl",
	    "has-unsafe-inline");
	EXPECT(GOOD "; script-src 'self' 'unsafe-eval'", "example.nl",
	    "has-unsafe-eval");
	EXPECT(GOOD "; script-src-attr 'unsafe-hashes' 'sha256-abc='",
	    "example.nl", "has-unsafe-hashes");
	/* In default-src it also spoils default-src. */
	EXPECT("default-src 'self' 'unsafe-inline' 'unsafe-eval'; " REQ,
	    "example.nl", "has-unsafe-inline", "has-unsafe-eval",
	    "missing-invalid-default-src");
	/* 'wasm-unsafe-eval' is another keyword: not flagged. */
	EXPECT(GOOD "; script-src 'self' 'wasm-unsafe-eval'", "example.nl",
	    "csp_ok");
	/* Keywords mean nothing in frame-ancestors (CSP3 §7.7). */
	EXPECT("default-src 'self'; frame-ancestors 'self' "
	       "'unsafe-inline'; base-uri 'self'; form-action 'self'",
	    "example.nl", "csp_ok");
}

static void
test_schemes_and_hosts(void **state)
{
	(void)state;
	EXPECT(GOOD "; img-src http:", "example.nl", "has-http");
	EXPECT(
	    GOOD "; img-src http://cdn.example.nl", "example.nl", "has-http");
	EXPECT(GOOD "; img-src HTTP://cdn.example.nl:8080/x", "example.nl",
	    "has-http");
	EXPECT(GOOD "; img-src https:", "example.nl", "has-bare-https");
	EXPECT("default-src 'self'; frame-ancestors 'self' https:; base-uri "
	       "'self'; form-action 'self'",
	    "example.nl", "has-bare-https");
	EXPECT(GOOD "; img-src cdn.example.nl", "example.nl",
	    "has-host-without-scheme");
	EXPECT(GOOD "; img-src *.example.nl:443/img/", "example.nl",
	    "has-host-without-scheme");
	EXPECT(GOOD "; img-src *", "example.nl", "has-host-without-scheme",
	    "has-invalid-host");
	EXPECT(
	    GOOD "; connect-src https://*", "example.nl", "has-invalid-host");
	EXPECT(GOOD "; connect-src https://127.0.0.1:8080", "example.nl",
	    "has-invalid-host");
	/* Other schemes are fine where they are not bare https. */
	EXPECT(GOOD "; connect-src wss://ws.example.nl blob:", "example.nl",
	    "csp_ok");
	/* Invalid source expressions are ignored, as by browsers. */
	EXPECT(GOOD "; img-src https://exa_mple.nl 'self '[::1]' ",
	    "example.nl", "csp_ok");
	/* Every rule at once: each reported once, in Internet.nl's order. */
	EXPECT("script-src 'unsafe-inline' 'unsafe-eval' 'unsafe-hashes' "
	       "http: https: data: example.nl *",
	    "example.nl", "has-unsafe-inline", "has-unsafe-eval", "has-http",
	    "has-bare-https", "has-host-without-scheme", "has-data",
	    "has-invalid-host", "has-unsafe-hashes",
	    "missing-invalid-default-src", "missing-invalid-frame-src",
	    "missing-invalid-frame-ancestors", "missing-invalid-base-uri",
	    "missing-invalid-form-action");
	assert_string_equal(r.f[0].code, "has-unsafe-inline");
	assert_string_equal(r.f[7].code, "has-unsafe-hashes");
}

static void
test_data(void **state)
{
	(void)state;
	EXPECT(GOOD "; script-src 'self' data:", "example.nl", "has-data");
	EXPECT(GOOD "; object-src DATA:", "example.nl", "has-data");
	/* default-src stands in for script-src and object-src. */
	EXPECT("default-src 'self' data:; " REQ, "example.nl", "has-data",
	    "missing-invalid-default-src");
	assert_non_null(strstr(r.f[0].msg, "default-src"));
	/* ... but not when both are set. */
	EXPECT("default-src 'self' data:; script-src 'self'; object-src "
	       "'none'; " REQ,
	    "example.nl", "missing-invalid-default-src");
	/* data: for images or fonts is fine. */
	EXPECT(GOOD "; img-src 'self' data:; font-src data:", "example.nl",
	    "csp_ok");
}

static void
test_default_src(void **state)
{
	(void)state;
	EXPECT(REQ, "example.nl", "missing-invalid-default-src",
	    "missing-invalid-frame-src");
	/* Hosts equal to, under or above the domain, with 'self'. */
	EXPECT("default-src 'self' https://example.nl "
	       "https://static.example.nl https://*.example.nl; " REQ,
	    "example.nl", "csp_ok");
	EXPECT("default-src 'self' https://example.nl; " REQ, "www.example.nl",
	    "csp_ok");
	EXPECT("default-src 'self' https://*.example.nl; " REQ,
	    "www.example.nl", "csp_ok");
	EXPECT("default-src 'self' https://EXAMPLE.NL.:443/path; " REQ,
	    "example.nl.", "csp_ok");
	EXPECT(
	    "default-src 'self' 'report-sample'; " REQ, "example.nl", "csp_ok");
	/* Sibling subdomains are all within the domain. */
	EXPECT("default-src 'self' https://a.example.nl "
	       "https://b.example.nl; " REQ,
	    "example.nl", "csp_ok");
	/* Hosts elsewhere, a whole top-level domain, look-alikes. */
	EXPECT("default-src 'self' https://cdn.other.nl; " REQ, "example.nl",
	    "missing-invalid-default-src");
	assert_non_null(strstr(r.f[0].msg, "outside"));
	EXPECT("default-src 'self' https://*.nl; " REQ, "example.nl",
	    "missing-invalid-default-src");
	EXPECT("default-src 'self' https://notexample.nl; " REQ, "example.nl",
	    "missing-invalid-default-src");
	EXPECT("default-src 'self' https://example.nl.evil.com; " REQ,
	    "example.nl", "missing-invalid-default-src");
	/* Without the domain, no host is the site's. */
	EXPECT("default-src 'self' https://example.nl; " REQ, NULL,
	    "missing-invalid-default-src");
	/* 'self' is required unless it is 'none' alone. */
	EXPECT("default-src https://example.nl; " REQ, "example.nl",
	    "missing-invalid-default-src");
	EXPECT("default-src 'none' 'self'; " REQ, "example.nl",
	    "missing-invalid-default-src");
	EXPECT("default-src 'self' 'nonce-abc'; " REQ, "example.nl",
	    "missing-invalid-default-src");
	EXPECT("default-src 'self' blob:; " REQ, "example.nl",
	    "missing-invalid-default-src");
	EXPECT("default-src 'self' https:; " REQ, "example.nl",
	    "has-bare-https", "missing-invalid-default-src");
	EXPECT("default-src 'wasm-unsafe-eval'; " REQ, "example.nl",
	    "missing-invalid-default-src", "missing-invalid-frame-src");
}

static void
test_frame_src(void **state)
{
	(void)state;
	/* Without a strict default-src, frame-src or child-src must say. */
	EXPECT("default-src https://example.nl; frame-src 'self'; " REQ,
	    "example.nl", "missing-invalid-default-src");
	EXPECT("default-src https://example.nl; child-src 'none'; " REQ,
	    "example.nl", "missing-invalid-default-src");
	EXPECT("frame-src https://frames.example.net; " REQ, "example.nl",
	    "missing-invalid-default-src");
	EXPECT("frame-src https:; " REQ, "example.nl", "has-bare-https",
	    "missing-invalid-default-src", "missing-invalid-frame-src");
	/* frame-src wins over child-src, which wins over default-src. */
	EXPECT("default-src 'self' 'unsafe-inline'; child-src https:; "
	       "frame-src 'self'; " REQ,
	    "example.nl", "has-unsafe-inline", "has-bare-https",
	    "missing-invalid-default-src");
	EXPECT("default-src 'self' 'unsafe-inline'; child-src https:; " REQ,
	    "example.nl", "has-unsafe-inline", "has-bare-https",
	    "missing-invalid-default-src", "missing-invalid-frame-src");
	/* A non-strict default-src with 'self' still governs frames. */
	EXPECT("default-src 'self' 'unsafe-inline'; " REQ, "example.nl",
	    "has-unsafe-inline", "missing-invalid-default-src");
}

static void
test_frame_ancestors_base_uri_form_action(void **state)
{
	(void)state;
	EXPECT("default-src 'self'; base-uri 'self'; form-action 'self'",
	    "example.nl", "missing-invalid-frame-ancestors");
	/* Hosts alone do not count; 'self' beside them does. */
	EXPECT("default-src 'self'; frame-ancestors https://example.nl; "
	       "base-uri 'self'; form-action 'self'",
	    "example.nl", "missing-invalid-frame-ancestors");
	EXPECT("default-src 'self'; frame-ancestors 'self' "
	       "https://partner.example.com; base-uri 'self'; form-action "
	       "'self'",
	    "example.nl", "csp_ok");
	/* default-src does not stand in for these. */
	EXPECT("default-src 'self'; frame-ancestors 'self'; form-action "
	       "'self'",
	    "example.nl", "missing-invalid-base-uri");
	EXPECT("default-src 'self'; frame-ancestors 'self'; base-uri "
	       "https://evil.example.com; form-action 'self'",
	    "example.nl", "missing-invalid-base-uri");
	EXPECT("default-src 'self'; frame-ancestors 'self'; base-uri "
	       "'self' https://www.example.nl; form-action 'self'",
	    "example.nl", "csp_ok");
	EXPECT("default-src 'self'; frame-ancestors 'self'; base-uri "
	       "'self'",
	    "example.nl", "missing-invalid-form-action");
	/* form-action: any host will do. */
	EXPECT("default-src 'self'; frame-ancestors 'self'; base-uri "
	       "'self'; form-action https://forms.example.com",
	    "example.nl", "csp_ok");
	EXPECT("default-src 'self'; frame-ancestors 'self'; base-uri "
	       "'self'; form-action https:",
	    "example.nl", "has-bare-https", "missing-invalid-form-action");
}

static void
test_parsing(void **state)
{
	const char *two[] = { "default-src 'self'", REQ };
	const char *bad2[] = { GOOD, "img-src http:" };
	const char *none[] = { "", " " };

	(void)state;
	nh_webpol_csp(NULL, 0, "example.nl", &r);
	expect_codes("absent", (const char *const[]){ "no-csp" }, 1);
	assert_int_equal(r.status, NH_WARNING);
	nh_webpol_csp(none, 2, "example.nl", &r);
	expect_codes("empty", (const char *const[]){ "no-csp" }, 1);
	EXPECT(" ; ;", "example.nl", "no-csp");
	EXPECT(",", "example.nl", "no-csp");
	/* A directive given twice: the first counts (CSP3 §2.2.1). */
	EXPECT(GOOD "; default-src *", "example.nl", "duplicate-directive",
	    "csp_ok");
	assert_int_equal(r.status, NH_INFO);
	EXPECT("default-src *; " GOOD, "example.nl", "duplicate-directive",
	    "has-host-without-scheme", "has-invalid-host",
	    "missing-invalid-default-src");
	/* Several policies, over lines or comma-separated: each is
	 * enforced, so a requirement met by one is met. */
	nh_webpol_csp(two, 2, "example.nl", &r);
	expect_codes("two lines", (const char *const[]){ "csp_ok" }, 1);
	EXPECT("default-src 'self', " REQ, "example.nl", "csp_ok");
	/* ... and a forbidden source in any of them counts. */
	nh_webpol_csp(bad2, 2, "example.nl", &r);
	expect_codes("bad second", (const char *const[]){ "has-http" }, 1);
	/* A repeat in another policy is no repeat. */
	EXPECT(GOOD ", " GOOD, "example.nl", "csp_ok");
	/* A NULL value is empty. */
	nh_webpol_csp((const char *const[]){ NULL }, 1, "example.nl", &r);
	expect_codes("NULL", (const char *const[]){ "no-csp" }, 1);
	/* Text from the server is shown safely. */
	EXPECT(GOOD "; script-src 'unsafe-inline' \x1b[2J", "example.nl",
	    "has-unsafe-inline");
	for (size_t i = 0; i < r.n; i++)
		assert_null(strchr(r.f[i].msg, '\x1b'));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_policies),
		cmocka_unit_test(test_unsafe_keywords),
		cmocka_unit_test(test_schemes_and_hosts),
		cmocka_unit_test(test_data),
		cmocka_unit_test(test_default_src),
		cmocka_unit_test(test_frame_src),
		cmocka_unit_test(test_frame_ancestors_base_uri_form_action),
		cmocka_unit_test(test_parsing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
