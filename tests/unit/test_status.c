/*
 * test_status.c: the status set, its order, names and clamping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model.h"

static void
test_order_and_names(void **state)
{
	static const char *const names[] = { "error", "failed", "warning",
		"info", "not_tested", "passed" };
	enum nh_status st;

	(void)state;
	for (int i = 0; i < NH_STATUS_COUNT; i++) {
		assert_string_equal(
		    nh_status_name((enum nh_status)i), names[i]);
		assert_int_equal(nh_status_parse(names[i], &st), 0);
		assert_int_equal(st, i);
	}
	assert_int_equal(nh_status_parse("notice", &st), -1);
	assert_int_equal(nh_status_parse("", &st), -1);
	assert_true(NH_ERROR < NH_FAILED && NH_FAILED < NH_WARNING &&
	    NH_WARNING < NH_INFO && NH_INFO < NH_NOT_TESTED &&
	    NH_NOT_TESTED < NH_PASSED);
	assert_int_equal(nh_status_worse(NH_PASSED, NH_INFO), NH_INFO);
	assert_int_equal(nh_status_worse(NH_FAILED, NH_WARNING), NH_FAILED);
	assert_int_equal(nh_status_worse(NH_ERROR, NH_FAILED), NH_ERROR);
}

static void
test_clamp(void **state)
{
	(void)state;
	/* A finding worse than the worst status becomes the worst status. */
	assert_int_equal(nh_status_clamp(NH_FAILED, NH_INFO), NH_INFO);
	assert_int_equal(nh_status_clamp(NH_FAILED, NH_WARNING), NH_WARNING);
	assert_int_equal(nh_status_clamp(NH_WARNING, NH_INFO), NH_INFO);
	assert_int_equal(nh_status_clamp(NH_FAILED, NH_FAILED), NH_FAILED);
	/* Better findings are kept. */
	assert_int_equal(nh_status_clamp(NH_INFO, NH_WARNING), NH_INFO);
	assert_int_equal(nh_status_clamp(NH_PASSED, NH_INFO), NH_PASSED);
	assert_int_equal(
	    nh_status_clamp(NH_NOT_TESTED, NH_INFO), NH_NOT_TESTED);
	/* An error is not a verdict and is never clamped. */
	assert_int_equal(nh_status_clamp(NH_ERROR, NH_INFO), NH_ERROR);
	assert_int_equal(nh_status_clamp(NH_ERROR, NH_FAILED), NH_ERROR);
}

static void
test_scored(void **state)
{
	struct nh_check_meta a = { "a", "c", NH_FAILED, 10 };
	struct nh_check_meta b = { "b", "c", NH_FAILED, 0 };
	struct nh_check_meta c = { "c", "c", NH_WARNING, 10 };

	(void)state;
	assert_true(nh_check_meta_scored(&a));
	assert_false(nh_check_meta_scored(&b));
	assert_false(nh_check_meta_scored(&c));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_names),
		cmocka_unit_test(test_clamp),
		cmocka_unit_test(test_scored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
