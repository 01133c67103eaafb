/*
 * test_serve_headers.c: the security headers of nethealth serve's own
 * pages, judged by nethealth's own checks (src/webpol/): the site passes
 * the security-options category of its own website test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "server/server_impl.h"
#include "webpol/webpol.h"

static void
judged(void (*judge)(const char *const *, size_t, struct nh_webpol_result *),
    const char *value)
{
	struct nh_webpol_result r = { 0 };

	judge(&value, 1, &r);
	if (r.status != NH_PASSED)
		fail_msg("%s: %s", value, nh_status_name(r.status));
}

static void
test_own_headers(void **state)
{
	const char *csp = NH_SITE_CSP;
	struct nh_webpol_result r = { 0 };

	(void)state;
	nh_webpol_csp(&csp, 1, "nethealth.example", &r);
	assert_int_equal(r.status, NH_PASSED);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.f[0].code, "csp_ok");
	judged(nh_webpol_xfo, NH_SITE_XFO);
	judged(nh_webpol_xcto, NH_SITE_XCTO);
	judged(nh_webpol_referrer, NH_SITE_REFERRER);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
