/*
 * score.c: category verdicts, category percentages and the test score.
 *
 * Internet.nl's model (checks/probes.py, checks/models.py; summarised in
 * ../shared/internetnl-catalog.md §0 and §4), with the differences that
 * docs/scoring.md lists:
 *   - a category's percentage is int(100 * earned / possible) over its
 *     mandatory checks (worst status failed, points > 0);
 *   - in a per-server category (web TLS per address, mail TLS per MX, mail
 *     DNSSEC per domain and MX) the points are summed per server and the
 *     category takes the lowest server's percentage;
 *   - the test score is the truncated mean of the scored categories.
 */
#include <string.h>

#include "model.h"

/* Checks of category `cat` are those whose meta->category equals cat->id. */
static bool
in_category(const struct nh_category_meta *cat, const struct nh_check_result *r)
{
	return r->meta != NULL && strcmp(r->meta->category, cat->id) == 0;
}

enum nh_status
nh_score_category_verdict(const struct nh_category_meta *cat,
    const struct nh_check_result *checks, size_t nchecks)
{
	size_t count[NH_STATUS_COUNT] = { 0 };
	size_t n = 0, tested = 0;
	bool has_mandatory = false, has_optional = false;
	const struct nh_check_result *gate = NULL;

	for (size_t i = 0; i < nchecks; i++) {
		const struct nh_check_result *r = &checks[i];

		if (!in_category(cat, r))
			continue;
		n++;
		if (r->meta->worst == NH_FAILED)
			has_mandatory = true;
		else if (r->meta->worst == NH_WARNING)
			has_optional = true;
		count[r->status]++;
		if (r->status == NH_NOT_TESTED) {
			/*
			 * A check that was not tested but cost points counts
			 * as its worst status (Internet.nl counts every
			 * not-tested check so; one that kept its points or
			 * is not counted is no failure: docs/scoring.md).
			 */
			if (r->max > 0 && r->points < r->max)
				count[r->meta->worst]++;
		} else {
			tested++;
		}
		if (cat->gate != NULL && strcmp(r->meta->id, cat->gate) == 0)
			gate = r;
	}
	if (n == 0 || tested == 0)
		return NH_NOT_TESTED;
	/* Only the gate check ran (no HTTPS, no STARTTLS): it is the verdict. */
	if (gate != NULL && gate->status != NH_NOT_TESTED && tested == 1)
		return gate->status;
	if (count[NH_ERROR] > 0)
		return NH_ERROR;
	if (count[NH_FAILED] > 0)
		return NH_FAILED;
	if (count[NH_WARNING] > 0 && !has_mandatory)
		return NH_WARNING;
	if (count[NH_INFO] > 0 && !has_mandatory && !has_optional)
		return NH_INFO;
	return NH_PASSED;
}

/* Percentage of earned over max, truncated as Python's int() does. */
static int
percent(int earned, int max)
{
	return max > 0 ? (int)((100L * earned) / max) : -1;
}

/*
 * Points of one server in a per-server category: each check contributes its
 * finding for that server, or, when it has no per-server findings, its own
 * points (a domain-level check counts for every server).
 */
static void
server_points(const struct nh_category_meta *cat,
    const struct nh_check_result *checks, size_t nchecks, const char *server,
    int *earned, int *max)
{
	*earned = *max = 0;
	for (size_t i = 0; i < nchecks; i++) {
		const struct nh_check_result *r = &checks[i];

		if (!in_category(cat, r))
			continue;
		if (r->nservers == 0) {
			*earned += r->points;
			*max += r->max;
			continue;
		}
		for (size_t j = 0; j < r->nservers; j++) {
			const struct nh_finding *f = &r->servers[j];

			if (f->server != NULL &&
			    strcmp(f->server, server) == 0) {
				*earned += f->points;
				*max += f->max;
				break;
			}
		}
	}
}

int
nh_score_category_points(const struct nh_category_meta *cat,
    const struct nh_check_result *checks, size_t nchecks, int *earned, int *max)
{
	int best = -1;

	*earned = *max = 0;
	if (cat->flags & NH_CAT_PER_SERVER) {
		/* Every server label seen in the category, lowest wins. */
		for (size_t i = 0; i < nchecks; i++) {
			const struct nh_check_result *r = &checks[i];

			if (!in_category(cat, r))
				continue;
			for (size_t j = 0; j < r->nservers; j++) {
				const char *s = r->servers[j].server;
				int e, m, p;

				if (s == NULL)
					continue;
				server_points(cat, checks, nchecks, s, &e, &m);
				if ((p = percent(e, m)) < 0)
					continue;
				if (best < 0 || p < best) {
					best = p;
					*earned = e;
					*max = m;
				}
			}
		}
		if (best >= 0)
			return best;
	}
	for (size_t i = 0; i < nchecks; i++) {
		if (!in_category(cat, &checks[i]))
			continue;
		*earned += checks[i].points;
		*max += checks[i].max;
	}
	return percent(*earned, *max);
}

void
nh_score(struct nh_test_result *t)
{
	for (size_t i = 0; i < t->ncategories; i++) {
		struct nh_category_result *c = &t->categories[i];

		c->status =
		    nh_score_category_verdict(c->meta, t->checks, t->nchecks);
		c->score = nh_score_category_points(
		    c->meta, t->checks, t->nchecks, &c->earned, &c->max);
	}
	nh_score_total(t);
}

void
nh_score_total(struct nh_test_result *t)
{
	long sum = 0;
	int scored = 0;

	for (size_t i = 0; i < t->ncategories; i++) {
		if (t->categories[i].score >= 0) {
			sum += t->categories[i].score;
			scored++;
		}
	}
	if (scored == 0) {
		t->score = -1;
		return;
	}
	t->score = (int)(sum / scored);
	if (t->score > 100)
		t->score = 100;
	if (t->score < 0)
		t->score = 0;
}
