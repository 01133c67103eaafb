/*
 * test_webpol_hsts.c: the Strict-Transport-Security judge (RFC 6797 §6.1,
 * Internet.nl's web_https_http_hsts) and the HTTP compression note, on
 * header values written by hand: passing, short, missing, malformed.
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
#define HSTS(...) nh_webpol_hsts(V(__VA_ARGS__), N(__VA_ARGS__), &h, &r)

#define EXPECT(r, st, code) \
	do { \
		if ((r).status != (st) || !nh_webpol_find(&(r), (code))) \
			fail_msg("status %s, expected %s with %s: %s", \
			    nh_status_name((r).status), nh_status_name(st), \
			    (code), (r).n ? (r).f[0].msg : "(none)"); \
	} while (0)

static void
test_hsts_passes(void **state)
{
	struct nh_webpol_hsts h;
	struct nh_webpol_result r;

	(void)state;
	HSTS("max-age=31536000");
	EXPECT(r, NH_PASSED, "hsts_ok");
	assert_true(h.present && h.valid && !h.short_max_age);
	assert_int_equal(h.max_age, 31536000);
	assert_false(h.include_subdomains || h.preload);
	assert_int_equal(r.n, 1);

	/* Internet.nl's own header and the preload form. */
	HSTS("max-age=31536000; includeSubdomains");
	EXPECT(r, NH_PASSED, "hsts_ok");
	assert_true(h.include_subdomains && !h.preload);
	HSTS("max-age=63072000; includeSubDomains; preload");
	EXPECT(r, NH_PASSED, "hsts_ok");
	assert_true(h.include_subdomains && h.preload);
	assert_non_null(strstr(r.f[0].msg, "730 days"));

	/* Names in any case, white space, empty directives, unknown
	 * directives, a quoted value (RFC 6797 §6.1). */
	HSTS("MAX-AGE=31536000;INCLUDESUBDOMAINS");
	EXPECT(r, NH_PASSED, "hsts_ok");
	assert_true(h.include_subdomains);
	HSTS(" ;; max-age = 31536000 ; ");
	EXPECT(r, NH_PASSED, "hsts_ok");
	HSTS("max-age=31536000; foo=bar; baz; qux=\"a;b\"");
	EXPECT(r, NH_PASSED, "hsts_ok");
	HSTS("max-age=\"31536000\"");
	EXPECT(r, NH_PASSED, "hsts_ok");
	assert_int_equal(h.max_age, 31536000);

	/* A huge max-age saturates. */
	HSTS("max-age=999999999999999999999999999999");
	EXPECT(r, NH_PASSED, "hsts_ok");
	assert_true(h.max_age == ~0ULL);

	/* Only the first header counts; the others are ignored. */
	HSTS("max-age=31536000", "max-age=0");
	EXPECT(r, NH_PASSED, "hsts_ok");
	assert_non_null(strstr(r.f[0].msg, "only the first"));
}

static void
test_hsts_short(void **state)
{
	struct nh_webpol_hsts h;
	struct nh_webpol_result r;

	(void)state;
	HSTS("max-age=31535999");
	EXPECT(r, NH_FAILED, "hsts_short");
	assert_true(h.valid && h.short_max_age);
	HSTS("max-age=86400; includeSubDomains");
	EXPECT(r, NH_FAILED, "hsts_short");
	assert_true(h.short_max_age && h.include_subdomains);
	assert_non_null(strstr(r.f[0].msg, "1 day"));
	/* max-age=0 is short too: Internet.nl gives it 2 points. */
	HSTS("max-age=0");
	EXPECT(r, NH_FAILED, "hsts_short");
	assert_true(h.valid && h.short_max_age && h.max_age == 0);
	assert_non_null(strstr(r.f[0].msg, "forget"));
	/* The first header decides, even when a later one is good. */
	HSTS("max-age=300", "max-age=31536000");
	EXPECT(r, NH_FAILED, "hsts_short");
}

static void
test_hsts_missing_and_invalid(void **state)
{
	static const char *const bad[] = {
		"",                            /* empty */
		"includeSubDomains",           /* no max-age */
		"max-age=abc",                 /* not a number */
		"max-age=-1",                  /* not 1*DIGIT */
		"max-age=",                    /* no value */
		"max-age",                     /* no value */
		"max-age=1.5",                 /* not 1*DIGIT */
		"max-age=1; max-age=31536000", /* twice */
		"max-age=31536000; includeSubDomains; includeSubDomains",
		"max-age=31536000; preload; preload", /* twice */
		"max-age=31536000 includeSubDomains", /* no ';' */
		"max-age=31536000, max-age=31536000", /* a list */
		"max-age=\"31536000",                 /* not closed */
		"max-age=31536000; includeSubDomains=yes",
		"max-age=31536000; =x", /* no name */
		"max-age=31536000; \x01",
		"foo-max-age=31536000", /* Internet.nl's split() took it */
	};
	struct nh_webpol_hsts h;
	struct nh_webpol_result r;

	(void)state;
	nh_webpol_hsts(NULL, 0, &h, &r);
	EXPECT(r, NH_FAILED, "hsts_missing");
	assert_false(h.present || h.valid || h.short_max_age);

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		nh_webpol_hsts(&bad[i], 1, &h, &r);
		if (r.status != NH_FAILED ||
		    !nh_webpol_find(&r, "hsts_invalid"))
			fail_msg("\"%s\": %s %s", bad[i],
			    nh_status_name(r.status), r.f[0].msg);
		assert_true(h.present && !h.valid && !h.short_max_age);
		assert_int_equal(h.max_age, 0);
	}
	/* A NULL value is an empty one. */
	HSTS(NULL);
	EXPECT(r, NH_FAILED, "hsts_invalid");
	/* A malformed first header is not saved by a good second one. */
	HSTS("max-age=x", "max-age=31536000");
	EXPECT(r, NH_FAILED, "hsts_invalid");
	/* The message shows the value safely. */
	HSTS("max-age=\x1b[31mred");
	EXPECT(r, NH_FAILED, "hsts_invalid");
	assert_null(strchr(r.f[0].msg, '\x1b'));
}

static void
test_compression(void **state)
{
	struct nh_webpol_result r;

	(void)state;
	nh_webpol_compress(NULL, 0, &r);
	EXPECT(r, NH_PASSED, "http_compression_none");
	nh_webpol_compress(V("identity"), 1, &r);
	EXPECT(r, NH_PASSED, "http_compression_none");
	nh_webpol_compress(V("gzip"), 1, &r);
	EXPECT(r, NH_INFO, "http_compression");
	assert_non_null(strstr(r.f[0].msg, "gzip"));
	nh_webpol_compress(V("", "br"), 2, &r);
	EXPECT(r, NH_INFO, "http_compression");
	nh_webpol_compress(V("identity, zstd"), 1, &r);
	EXPECT(r, NH_INFO, "http_compression");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hsts_passes),
		cmocka_unit_test(test_hsts_short),
		cmocka_unit_test(test_hsts_missing_and_invalid),
		cmocka_unit_test(test_compression),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
