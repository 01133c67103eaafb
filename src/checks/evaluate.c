/*
 * evaluate.c: runs the check table of one test over a set of facts, then
 * scores the result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/*
 * Categories whose checks are not all built yet. A category whose gate
 * check, or every scored check, or every check is missing is not tested
 * and not scored: a score made of what happens to be built would mislead.
 * Otherwise the note names the missing checks, which are left out of the
 * maximum.
 */
static int
mark_unbuilt(struct nh_test_result *t)
{
	for (size_t c = 0; c < t->ncategories; c++) {
		struct nh_category_result *cr = &t->categories[c];
		const struct nh_category_meta *cm = cr->meta;
		char note[1024];
		size_t len = 0, missing = 0, scored = 0, scored_missing = 0,
		       total = 0;
		bool gate_missing = false;

		note[0] = '\0';
		for (size_t i = 0; i < nh_check_count; i++) {
			const struct nh_check_def *d = &nh_check_table[i];

			if (strcmp(d->meta.category, cm->id) != 0)
				continue;
			total++;
			scored += nh_check_meta_scored(&d->meta);
			if (d->fn != NULL)
				continue;
			missing++;
			scored_missing += nh_check_meta_scored(&d->meta);
			if (cm->gate != NULL &&
			    strcmp(cm->gate, d->meta.id) == 0)
				gate_missing = true;
			if (len < sizeof(note) - 1)
				len += (size_t)snprintf(note + len,
				    sizeof(note) - len, "%s%s",
				    missing > 1 ? ", " : "", d->meta.id);
		}
		if (missing == 0)
			continue;
		if (gate_missing || missing == total ||
		    (scored > 0 && scored_missing == scored)) {
			cr->status = NH_NOT_TESTED;
			cr->score = -1;
			cr->earned = cr->max = 0;
			free(cr->note);
			cr->note = strdup("not available in this version of "
					  "nethealth");
		} else {
			char *msg = NULL;

			if (asprintf(&msg, "not available in this version: %s",
				note) == -1)
				return -1;
			free(cr->note);
			cr->note = msg;
		}
		if (cr->note == NULL)
			return -1;
	}
	return 0;
}

struct nh_test_result *
nh_checks_evaluate(enum nh_test_type type, const struct nh_facts *facts,
    const struct nh_check_opts *opts)
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
				"not available in this version of nethealth") ==
			    -1)
				goto fail;
		} else if (d->fn(facts, opts, r) == -1) {
			goto fail;
		}
		nh_check_result_finish(r);
	}
	nh_score(t);
	if (mark_unbuilt(t) == -1)
		goto fail;
	nh_score_total(t);
	return t;
fail:
	nh_test_result_free(t);
	return NULL;
}
