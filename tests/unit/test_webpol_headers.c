/*
 * test_webpol_headers.c: the X-Frame-Options, X-Content-Type-Options and
 * Referrer-Policy judges (Internet.nl's web_appsecpriv checks) on header
 * values written by hand: each value passing, noted or warned, missing
 * headers, several field lines and comma lists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "webpol/webpol.h"

#define V(...) ((const char *const[]){ __VA_ARGS__ })
#define N(...) (sizeof(V(__VA_ARGS__)) / sizeof(const char *))
#define XFO(...) nh_webpol_xfo(V(__VA_ARGS__), N(__VA_ARGS__), &r)
#define XCTO(...) nh_webpol_xcto(V(__VA_ARGS__), N(__VA_ARGS__), &r)
#define REF(...) nh_webpol_referrer(V(__VA_ARGS__), N(__VA_ARGS__), &r)

#define EXPECT(r, st, code) \
	do { \
		if ((r).status != (st) || !nh_webpol_find(&(r), (code))) \
			fail_msg( \
			    "line %d: status %s, expected %s with %s: %s", \
			    __LINE__, nh_status_name((r).status), \
			    nh_status_name(st), (code), \
			    (r).n ? (r).f[0].msg : "(none)"); \
	} while (0)

static void
test_xfo(void **state)
{
	struct nh_webpol_result r;

	(void)state;
	XFO("DENY");
	EXPECT(r, NH_PASSED, "xfo_ok");
	XFO("SAMEORIGIN");
	EXPECT(r, NH_PASSED, "xfo_ok");
	XFO(" sameOrigin ");
	EXPECT(r, NH_PASSED, "xfo_ok");
	/* The same value twice (a proxy adds it again): one value. */
	XFO("SAMEORIGIN", "sameorigin");
	EXPECT(r, NH_PASSED, "xfo_ok");
	assert_null(strstr(r.f[0].msg, "several"));
	XFO("DENY, DENY");
	EXPECT(r, NH_PASSED, "xfo_ok");
	/* Internet.nl reads the first value; browsers refuse all framing
	 * when values conflict: a pass, with a note. */
	XFO("DENY, SAMEORIGIN");
	EXPECT(r, NH_PASSED, "xfo_ok");
	assert_non_null(strstr(r.f[0].msg, "several"));

	nh_webpol_xfo(NULL, 0, &r);
	EXPECT(r, NH_INFO, "xfo_missing");
	XFO("ALLOW-FROM https://example.nl/");
	EXPECT(r, NH_INFO, "xfo_invalid");
	assert_non_null(strstr(r.f[0].msg, "ALLOW-FROM"));
	XFO("ALLOWALL");
	EXPECT(r, NH_INFO, "xfo_invalid");
	XFO("DENYALL");
	EXPECT(r, NH_INFO, "xfo_invalid");
	XFO("");
	EXPECT(r, NH_INFO, "xfo_invalid");
	XFO(NULL);
	EXPECT(r, NH_INFO, "xfo_invalid");
	/* The first value decides, as in Internet.nl; the conflict is
	 * explained. */
	XFO("foo", "DENY");
	EXPECT(r, NH_INFO, "xfo_conflict");
	XFO("ALLOW-FROM https://a.nl, SAMEORIGIN");
	EXPECT(r, NH_INFO, "xfo_conflict");
	XFO("foo, bar");
	EXPECT(r, NH_INFO, "xfo_invalid");
}

static void
test_xcto(void **state)
{
	struct nh_webpol_result r;

	(void)state;
	XCTO("nosniff");
	EXPECT(r, NH_PASSED, "xcto_ok");
	XCTO("NoSniff");
	EXPECT(r, NH_PASSED, "xcto_ok");
	XCTO("\tnosniff ");
	EXPECT(r, NH_PASSED, "xcto_ok");
	XCTO("nosniff, foo");
	EXPECT(r, NH_PASSED, "xcto_ok");
	XCTO("nosniff", "nosniff");
	EXPECT(r, NH_PASSED, "xcto_ok");

	nh_webpol_xcto(NULL, 0, &r);
	EXPECT(r, NH_WARNING, "xcto_missing");
	XCTO("sniff");
	EXPECT(r, NH_WARNING, "xcto_invalid");
	XCTO("");
	EXPECT(r, NH_WARNING, "xcto_invalid");
	XCTO("nosniff;");
	EXPECT(r, NH_WARNING, "xcto_invalid");
	/* Only the first value counts (Fetch "determine nosniff"). */
	XCTO("foo, nosniff");
	EXPECT(r, NH_WARNING, "xcto_invalid");
	XCTO("\"nosniff, x\"", "nosniff");
	EXPECT(r, NH_WARNING, "xcto_invalid");
}

static void
test_referrer_policies(void **state)
{
	static const struct {
		const char *v;
		enum nh_status st;
		const char *code;
	} cases[] = {
		{ "no-referrer", NH_PASSED, "good" },
		{ "same-origin", NH_PASSED, "good" },
		{ "strict-origin", NH_INFO, "recommendation-strict-origin" },
		{ "strict-origin-when-cross-origin", NH_INFO,
		    "recommendation-strict-origin-when-cross-origin" },
		{ "origin", NH_WARNING, "bad-origin" },
		{ "origin-when-cross-origin", NH_WARNING,
		    "bad-origin-when-cross-origin" },
		{ "no-referrer-when-downgrade", NH_WARNING,
		    "bad-no-referrer-when-downgrade" },
		{ "unsafe-url", NH_WARNING, "bad-unsafe-url" },
		{ "No-Referrer", NH_PASSED, "good" },
		{ "", NH_INFO, "no-policy" },
		{ " , ", NH_INFO, "no-policy" },
		{ "nope", NH_WARNING, "bad-invalid" },
		{ "no-referrer;", NH_WARNING, "bad-invalid" },
	};
	struct nh_webpol_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		nh_webpol_referrer(&cases[i].v, 1, &r);
		if (r.status != cases[i].st ||
		    !nh_webpol_find(&r, cases[i].code))
			fail_msg("\"%s\": %s %s, expected %s %s", cases[i].v,
			    nh_status_name(r.status), r.f[0].code,
			    nh_status_name(cases[i].st), cases[i].code);
	}
	nh_webpol_referrer(NULL, 0, &r);
	EXPECT(r, NH_INFO, "no-policy");
}

static void
test_referrer_lists(void **state)
{
	struct nh_webpol_result r;

	(void)state;
	/* The last value decides (the fallback pattern). */
	REF("no-referrer, strict-origin-when-cross-origin");
	EXPECT(r, NH_INFO, "recommendation-strict-origin-when-cross-origin");
	REF("unsafe-url, same-origin");
	EXPECT(r, NH_PASSED, "good");
	assert_int_equal(r.n, 1);
	/* Over several field lines too. */
	REF("origin", "no-referrer");
	EXPECT(r, NH_PASSED, "good");
	REF("no-referrer", "unsafe-url");
	EXPECT(r, NH_WARNING, "bad-unsafe-url");
	/* Browsers skip values they do not know (Referrer Policy §8.1):
	 * the known one before applies, the unknown one is noted. */
	REF("no-referrer, some-future-policy");
	EXPECT(r, NH_INFO, "good");
	EXPECT(r, NH_INFO, "unknown-values");
	assert_int_equal(r.n, 2);
	REF("foo, bar");
	EXPECT(r, NH_WARNING, "bad-invalid");
	/* Empty elements are skipped. */
	REF("same-origin,,");
	EXPECT(r, NH_PASSED, "good");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xfo),
		cmocka_unit_test(test_xcto),
		cmocka_unit_test(test_referrer_policies),
		cmocka_unit_test(test_referrer_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
