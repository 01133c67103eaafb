/*
 * result.c: building check results and test results, and freeing them.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* strdup that accepts NULL. Returns 0, or -1 on allocation failure. */
static int
dup_opt(char **dst, const char *src)
{
	char *p = NULL;

	if (src != NULL && (p = strdup(src)) == NULL)
		return -1;
	free(*dst);
	*dst = p;
	return 0;
}

static int
clamp_points(int points, int max)
{
	if (points < 0)
		return 0;
	if (points > max)
		return max;
	return points;
}

void
nh_check_result_init(
    struct nh_check_result *r, const struct nh_check_meta *meta)
{
	memset(r, 0, sizeof(*r));
	r->meta = meta;
	r->status = NH_NOT_TESTED;
	r->max = nh_check_meta_scored(meta) ? meta->points : 0;
}

static void
finding_clear(struct nh_finding *f)
{
	free(f->server);
	free(f->message);
	json_decref(f->evidence);
	memset(f, 0, sizeof(*f));
}

void
nh_check_result_clear(struct nh_check_result *r)
{
	for (size_t i = 0; i < r->nservers; i++)
		finding_clear(&r->servers[i]);
	free(r->servers);
	free(r->message);
	json_decref(r->evidence);
	memset(r, 0, sizeof(*r));
}

int
nh_check_result_set(struct nh_check_result *r, enum nh_status st, int points,
    const char *message)
{
	if (dup_opt(&r->message, message) == -1)
		return -1;
	r->status = st;
	r->status_set = true;
	r->points = clamp_points(points, r->max);
	return 0;
}

int
nh_check_result_not_applicable(struct nh_check_result *r, const char *message)
{
	r->max = 0;
	return nh_check_result_set(r, NH_NOT_TESTED, 0, message);
}

struct nh_finding *
nh_check_result_add_server(struct nh_check_result *r, const char *server,
    enum nh_status st, int points, const char *message, json_t *evidence)
{
	struct nh_finding *a, *f;

	a = realloc(r->servers, (r->nservers + 1) * sizeof(*a));
	if (a == NULL) {
		json_decref(evidence);
		return NULL;
	}
	r->servers = a;
	f = &a[r->nservers];
	memset(f, 0, sizeof(*f));
	f->evidence = evidence;
	if (dup_opt(&f->server, server) == -1 ||
	    dup_opt(&f->message, message) == -1) {
		finding_clear(f);
		return NULL;
	}
	f->status = st;
	f->max = nh_check_meta_scored(r->meta) ? r->meta->points : 0;
	f->points = clamp_points(points, f->max);
	r->nservers++;
	return f;
}

struct nh_finding *
nh_check_result_add_detail(struct nh_check_result *r, const char *server,
    enum nh_status st, const char *message, json_t *evidence)
{
	struct nh_finding *f;

	f = nh_check_result_add_server(r, server, st, 0, message, evidence);
	if (f != NULL)
		f->max = 0;
	return f;
}

void
nh_check_result_finish(struct nh_check_result *r)
{
	enum nh_status worst_seen = NH_PASSED;
	int min_points = 0, max_max = 0;

	assert(r->meta != NULL);
	for (size_t i = 0; i < r->nservers; i++) {
		struct nh_finding *f = &r->servers[i];

		f->status = nh_status_clamp(f->status, r->meta->worst);
		worst_seen = nh_status_worse(worst_seen, f->status);
		if (f->max == 0)
			continue; /* not counted for this server */
		if (max_max == 0 || f->points < min_points)
			min_points = f->points;
		if (f->max > max_max)
			max_max = f->max;
	}
	if (r->nservers > 0) {
		r->status = r->status_set
		    ? nh_status_worse(r->status, worst_seen)
		    : worst_seen;
		/* Details (findings not counted) leave the points alone. */
		if (max_max > 0) {
			r->points = min_points;
			r->max = max_max;
		}
	}
	r->status = nh_status_clamp(r->status, r->meta->worst);
}

struct nh_test_result *
nh_test_result_new(const char *domain, enum nh_test_type type, size_t nchecks,
    size_t ncategories)
{
	struct nh_test_result *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->type = type;
	t->score = -1;
	if ((t->domain = strdup(domain)) == NULL)
		goto fail;
	if (nchecks > 0 &&
	    (t->checks = calloc(nchecks, sizeof(*t->checks))) == NULL)
		goto fail;
	t->nchecks = nchecks;
	if (ncategories > 0 &&
	    (t->categories = calloc(ncategories, sizeof(*t->categories))) ==
		NULL)
		goto fail;
	t->ncategories = ncategories;
	return t;
fail:
	nh_test_result_free(t);
	return NULL;
}

void
nh_test_result_free(struct nh_test_result *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nchecks; i++)
		nh_check_result_clear(&t->checks[i]);
	free(t->checks);
	for (size_t i = 0; i < t->ncategories; i++)
		free(t->categories[i].note);
	free(t->categories);
	json_decref(t->servers);
	free(t->domain);
	free(t);
}

const struct nh_check_result *
nh_test_result_check(const struct nh_test_result *t, const char *id)
{
	for (size_t i = 0; i < t->nchecks; i++) {
		if (t->checks[i].meta != NULL &&
		    strcmp(t->checks[i].meta->id, id) == 0)
			return &t->checks[i];
	}
	return NULL;
}

const struct nh_category_result *
nh_test_result_category(const struct nh_test_result *t, const char *id)
{
	for (size_t i = 0; i < t->ncategories; i++) {
		if (t->categories[i].meta != NULL &&
		    strcmp(t->categories[i].meta->id, id) == 0)
			return &t->categories[i];
	}
	return NULL;
}
