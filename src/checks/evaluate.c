/*
 * evaluate.c: runs the check table of one test over a set of facts, then
 * scores the result.
 */
#include <stdlib.h>

#include "checks.h"

static size_t
count_rows(enum nh_test_type type, size_t *ncategories)
{
	size_t n = 0;

	*ncategories = 0;
	for (size_t i = 0; i < nh_category_count; i++) {
		if (nh_category_table[i].meta.test == type)
			(*ncategories)++;
	}
	for (size_t i = 0; i < nh_check_count; i++) {
		const struct nh_category_def *c;

		c = nh_check_category(&nh_check_table[i]);
		if (c != NULL && c->meta.test == type)
			n++;
	}
	return n;
}

struct nh_test_result *
nh_checks_evaluate(enum nh_test_type type, const struct nh_facts *facts)
{
	struct nh_test_result *t;
	size_t nchecks, ncats, ci = 0, ki = 0;

	nchecks = count_rows(type, &ncats);
	t = nh_test_result_new(facts->domain, type, nchecks, ncats);
	if (t == NULL)
		return NULL;
	for (size_t i = 0; i < nh_category_count; i++) {
		if (nh_category_table[i].meta.test == type)
			t->categories[ci++].meta = &nh_category_table[i].meta;
	}
	for (size_t i = 0; i < nh_check_count; i++) {
		const struct nh_check_def *d = &nh_check_table[i];
		const struct nh_category_def *c = nh_check_category(d);
		struct nh_check_result *r;

		if (c == NULL || c->meta.test != type)
			continue;
		r = &t->checks[ki++];
		nh_check_result_init(r, &d->meta);
		if (d->fn == NULL) {
			if (nh_check_result_not_applicable(r,
			    "not available in this version of nethealth") == -1)
				goto fail;
		} else if (d->fn(facts, r) == -1) {
			goto fail;
		}
		nh_check_result_finish(r);
	}
	nh_score(t);
	return t;
fail:
	nh_test_result_free(t);
	return NULL;
}
