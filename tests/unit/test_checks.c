/*
 * test_checks.c: invariants of the check table, its catalog texts, and
 * evaluation of facts into a scored result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "checks/checks.h"

static bool
prefixed(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void
test_table_invariants(void **state)
{
	(void)state;
	/* At least every check of Internet.nl (38 web, 38 mail). */
	assert_true(nh_check_count >= 76);
	for (size_t i = 0; i < nh_check_count; i++) {
		const struct nh_check_def *d = &nh_check_table[i];
		const struct nh_category_def *c = nh_check_category(d);

		if (c == NULL)
			fail_msg("%s: unknown category %s", d->meta.id,
			    d->meta.category);
		/* Ids are unique and the catalog text is this check's. */
		assert_ptr_equal(nh_check_find(d->meta.id), d);
		assert_string_equal(d->text->key, d->meta.id);
		/* A check belongs to its test: web_* or mail_*. */
		assert_true(prefixed(d->meta.id,
		    c->meta.test == NH_TEST_WEB ? "web_" : "mail_"));
		/* Points are one of Internet.nl's weights. */
		assert_true(d->meta.points == 0 || d->meta.points == 2 ||
		    d->meta.points == 5 || d->meta.points == 10);
		/* Worst statuses are verdicts, never error or not tested. */
		assert_true(d->meta.worst == NH_FAILED ||
		    d->meta.worst == NH_WARNING || d->meta.worst == NH_INFO);
		/* Points only mean something on a mandatory check. */
		if (d->meta.worst != NH_FAILED)
			assert_int_equal(d->meta.points, 0);
	}
	for (size_t i = 0; i < nh_category_count; i++) {
		const struct nh_category_def *c = &nh_category_table[i];

		assert_ptr_equal(nh_category_find(c->meta.id), c);
		assert_string_equal(c->text->key, c->meta.id);
		if (c->meta.gate != NULL)
			assert_non_null(nh_check_find(c->meta.gate));
	}
	assert_null(nh_check_find("web_nope"));
}

/* Sum of full points of the scored checks of a category. */
static int
category_max(const char *cat)
{
	int sum = 0;

	for (size_t i = 0; i < nh_check_count; i++) {
		const struct nh_check_def *d = &nh_check_table[i];

		if (strcmp(d->meta.category, cat) == 0 &&
		    nh_check_meta_scored(&d->meta))
			sum += d->meta.points;
	}
	return sum;
}

static void
test_category_maxima(void **state)
{
	(void)state;
	/* Internet.nl's category maxima (internetnl-catalog.md). */
	assert_int_equal(category_max("web_ipv6"), 22);
	assert_int_equal(category_max("web_dnssec"), 10);
	/* 13 x 10, plus EMS and key-exchange hash when they apply. */
	assert_int_equal(category_max("web_https"), 150);
	assert_int_equal(category_max("web_appsecpriv"), 0);
	assert_int_equal(category_max("web_rpki"), 30);
	assert_int_equal(category_max("mail_ipv6"), 20);
	assert_int_equal(category_max("mail_auth"), 50);
	assert_int_equal(category_max("mail_rpki"), 45);
}

static void
test_catalog_complete(void **state)
{
	(void)state;
	for (size_t i = 0; i < NH_CATKEY_COUNT; i++) {
		const struct nh_text *t = &nh_catalog_texts[i];

		assert_non_null(t->key);
		assert_ptr_equal(nh_catalog_get(t->key), t);
		assert_true(strlen(t->title) > 0 && strlen(t->title) <= 70);
		assert_true(strlen(t->means) > 0);
		assert_true(strlen(t->why) > 0);
		assert_true(strlen(t->fix) > 0);
		assert_true(strlen(t->refs) > 0);
		assert_true(strlen(t->theme) > 0);
		assert_true(strlen(t->stakeholder) > 0);
	}
	assert_null(nh_catalog_get("no_such_key"));
}

static void
test_evaluate(void **state)
{
	struct nh_facts *f = nh_facts_new("good.test", NH_TEST_WEB);
	struct nh_test_result *t;
	size_t web = 0;

	(void)state;
	assert_non_null(f);
	t = nh_checks_evaluate(
	    NH_TEST_WEB, f, &(struct nh_check_opts){ false });
	assert_non_null(t);
	for (size_t i = 0; i < nh_check_count; i++)
		web += prefixed(nh_check_table[i].meta.id, "web_");
	assert_int_equal(t->nchecks, web);
	assert_int_equal(t->ncategories, 5);
	for (size_t i = 0; i < t->nchecks; i++) {
		const struct nh_check_def *d =
		    nh_check_find(t->checks[i].meta->id);

		assert_true(prefixed(t->checks[i].meta->id, "web_"));
		/* A check without a probe yet is not tested and not counted. */
		if (d->fn == NULL) {
			assert_int_equal(t->checks[i].status, NH_NOT_TESTED);
			assert_int_equal(t->checks[i].max, 0);
			assert_non_null(t->checks[i].message);
		}
	}
	nh_test_result_free(t);
	nh_facts_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_invariants),
		cmocka_unit_test(test_category_maxima),
		cmocka_unit_test(test_catalog_complete),
		cmocka_unit_test(test_evaluate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
