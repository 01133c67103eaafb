/*
 * walk.c: reading a round's results back: nh_store_each_result().
 *
 * The tests of the round in (domain, type) order, web before mail, then
 * its invalid lines in line order. For each, the structures handed to
 * the callback are built in a struct walk, which owns every string and
 * array of them, and is emptied after the call.
 */
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

/* What one callback's structures are made of. */
struct walk {
	char **strs; /* every string handed out */
	size_t nstrs, capstrs;
	const char **tags;
	size_t ntags, captags;
	struct nh_store_category *cats;
	size_t ncats, capcats;
	struct nh_store_check *checks;
	size_t nchecks, capchecks;
	char *facts;
};

/*
 * Room for element n of arr (cap allocated). Returns arr, moved perhaps,
 * or NULL on allocation failure (arr is left as it was).
 */
static void *
grow(void *arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return arr;
	ncap = *cap > 0 ? *cap * 2 : 16;
	if ((p = reallocarray(arr, ncap, size)) == NULL)
		return NULL;
	*cap = ncap;
	return p;
}

/* Frees what the last callback was given; keeps the arrays for reuse. */
static void
walk_reset(struct walk *w)
{
	for (size_t i = 0; i < w->nstrs; i++)
		free(w->strs[i]);
	w->nstrs = w->ntags = w->ncats = w->nchecks = 0;
	free(w->facts);
	w->facts = NULL;
}

static void
walk_free(struct walk *w)
{
	walk_reset(w);
	free(w->strs);
	free(w->tags);
	free(w->cats);
	free(w->checks);
	memset(w, 0, sizeof(*w));
}

/* Copies column i's text (NULL stays NULL) into *out, owned by w. */
static int
walk_text(struct nh_store *s, struct walk *w, sqlite3_stmt *st, int i,
    const char **out)
{
	const char *t;
	char **a, *c;

	*out = NULL;
	if (store_col_text(s, st, i, &t) == -1)
		return -1;
	if (t == NULL)
		return 0;
	if ((a = grow(w->strs, &w->capstrs, w->nstrs, sizeof(*a))) == NULL)
		return store_fail(s, "out of memory");
	w->strs = a;
	if ((c = strdup(t)) == NULL)
		return store_fail(s, "out of memory");
	w->strs[w->nstrs++] = c;
	*out = c;
	return 0;
}

static int
walk_status(struct nh_store *s, sqlite3_stmt *st, int i, enum nh_status *out)
{
	const char *t;

	if (store_col_text(s, st, i, &t) == -1)
		return -1;
	if (t == NULL || nh_status_parse(t, out) == -1)
		return store_fail(
		    s, "unknown status \"%s\"", t != NULL ? t : "NULL");
	return 0;
}

/* The tags a bound statement yields (one per row, column 0). */
static int
tags_load(struct nh_store *s, struct walk *w, sqlite3_stmt *st)
{
	const char **a;
	int rc;

	while ((rc = store_step(s, st)) == SQLITE_ROW) {
		a = grow(w->tags, &w->captags, w->ntags, sizeof(*a));
		if (a == NULL) {
			rc = store_fail(s, "out of memory");
			break;
		}
		w->tags = a;
		if ((rc = walk_text(s, w, st, 0, &w->tags[w->ntags])) == -1)
			break;
		w->ntags++;
	}
	store_done(st);
	return rc == -1 ? -1 : 0;
}

static int
categories_load(struct nh_store *s, struct walk *w, int64_t test)
{
	struct nh_store_category *a, *c;
	sqlite3_stmt *st;
	int rc = -1;

	st = store_stmt(s, ST_CATEGORIES,
	    "SELECT category, status, score FROM categories"
	    " WHERE test = ?1 ORDER BY pos");
	if (st == NULL || store_bind(s, st, "I", test) == -1)
		goto out;
	while ((rc = store_step(s, st)) == SQLITE_ROW) {
		a = grow(w->cats, &w->capcats, w->ncats, sizeof(*a));
		if (a == NULL) {
			rc = store_fail(s, "out of memory");
			break;
		}
		w->cats = a;
		c = &a[w->ncats];
		memset(c, 0, sizeof(*c));
		if ((rc = walk_text(s, w, st, 0, &c->id)) == -1 ||
		    (rc = walk_status(s, st, 1, &c->status)) == -1)
			break;
		c->score = store_col_score(st, 2);
		w->ncats++;
	}
out:
	store_done(st);
	return rc == -1 ? -1 : 0;
}

static int
checks_load(struct nh_store *s, struct walk *w, int64_t test)
{
	struct nh_store_check *a, *c;
	sqlite3_stmt *st;
	int rc = -1;

	st = store_stmt(s, ST_CHECKS,
	    "SELECT check_id, category, status, points, max, message,"
	    " evidence FROM checks WHERE test = ?1 ORDER BY pos");
	if (st == NULL || store_bind(s, st, "I", test) == -1)
		goto out;
	while ((rc = store_step(s, st)) == SQLITE_ROW) {
		a = grow(w->checks, &w->capchecks, w->nchecks, sizeof(*a));
		if (a == NULL) {
			rc = store_fail(s, "out of memory");
			break;
		}
		w->checks = a;
		c = &a[w->nchecks];
		memset(c, 0, sizeof(*c));
		if ((rc = walk_text(s, w, st, 0, &c->id)) == -1 ||
		    (rc = walk_text(s, w, st, 1, &c->category)) == -1 ||
		    (rc = walk_status(s, st, 2, &c->status)) == -1 ||
		    (rc = walk_text(s, w, st, 5, &c->message)) == -1 ||
		    (rc = walk_text(s, w, st, 6, &c->evidence)) == -1)
			break;
		c->points = sqlite3_column_int(st, 3);
		c->max = sqlite3_column_int(st, 4);
		w->nchecks++;
	}
out:
	store_done(st);
	return rc == -1 ? -1 : 0;
}

static int
facts_load(struct nh_store *s, struct walk *w, int64_t test)
{
	sqlite3_stmt *st;
	const char *t;
	int rc = -1;

	st = store_stmt(s, ST_FACTS, "SELECT json FROM facts WHERE test = ?1");
	if (st == NULL || store_bind(s, st, "I", test) == -1 ||
	    (rc = store_step(s, st)) != SQLITE_ROW)
		goto out;
	if ((rc = store_col_text(s, st, 0, &t)) == -1)
		goto out;
	if (t != NULL && (w->facts = strdup(t)) == NULL)
		rc = store_fail(s, "out of memory");
out:
	store_done(st);
	return rc == -1 ? -1 : 0;
}

static int
type_parse(struct nh_store *s, const char *name, enum nh_test_type *out)
{
	if (name != NULL && strcmp(name, "web") == 0)
		*out = NH_TEST_WEB;
	else if (name != NULL && strcmp(name, "mail") == 0)
		*out = NH_TEST_MAIL;
	else
		return store_fail(s, "unknown test type \"%s\"",
		    name != NULL ? name : "NULL");
	return 0;
}

/* Builds r from a row of ST_TESTS. */
static int
test_row(struct nh_store *s, struct walk *w, sqlite3_stmt *st, int64_t round,
    bool want_facts, struct nh_store_result *r)
{
	sqlite3_stmt *tags;
	const char *type;
	int64_t test;

	memset(r, 0, sizeof(*r));
	test = sqlite3_column_int64(st, 0);
	if (walk_text(s, w, st, 1, &r->domain) == -1 ||
	    store_col_text(s, st, 2, &type) == -1 ||
	    type_parse(s, type, &r->type) == -1 ||
	    walk_text(s, w, st, 4, &r->started) == -1 ||
	    walk_text(s, w, st, 6, &r->error) == -1)
		return -1;
	r->score = store_col_score(st, 3);
	r->duration_ms = (long)sqlite3_column_int64(st, 5);
	tags = store_stmt(s, ST_TAGS_BY_DOMAIN,
	    "SELECT g.tag FROM targets t JOIN target_tags g"
	    " ON g.target = t.id WHERE t.round = ?1 AND t.domain = ?2"
	    " ORDER BY g.pos");
	if (tags == NULL || store_bind(s, tags, "It", round, r->domain) == -1) {
		store_done(tags);
		return -1;
	}
	if (tags_load(s, w, tags) == -1 || categories_load(s, w, test) == -1 ||
	    checks_load(s, w, test) == -1 ||
	    (want_facts && facts_load(s, w, test) == -1))
		return -1;
	r->tags = w->tags;
	r->ntags = w->ntags;
	r->categories = w->cats;
	r->ncategories = w->ncats;
	r->checks = w->checks;
	r->nchecks = w->nchecks;
	return 0;
}

/* Builds r from a row of ST_INVALID. */
static int
invalid_row(struct nh_store *s, struct walk *w, sqlite3_stmt *st,
    struct nh_store_result *r)
{
	sqlite3_stmt *tags;
	int64_t target = sqlite3_column_int64(st, 0);

	memset(r, 0, sizeof(*r));
	r->invalid = true;
	r->type = NH_TEST_WEB;
	r->score = -1;
	if (walk_text(s, w, st, 1, &r->domain) == -1 ||
	    walk_text(s, w, st, 2, &r->error) == -1)
		return -1;
	tags = store_stmt(s, ST_TAGS_BY_TARGET,
	    "SELECT tag FROM target_tags WHERE target = ?1 ORDER BY pos");
	if (tags == NULL || store_bind(s, tags, "I", target) == -1) {
		store_done(tags);
		return -1;
	}
	if (tags_load(s, w, tags) == -1)
		return -1;
	r->tags = w->tags;
	r->ntags = w->ntags;
	return 0;
}

int
nh_store_each_result(struct nh_store *s, int64_t round, bool want_facts,
    int (*cb)(
	const struct nh_store_result *r, const char *facts_json, void *arg),
    void *arg)
{
	struct walk w;
	struct nh_store_result r;
	sqlite3_stmt *st = NULL;
	int rc;

	memset(&w, 0, sizeof(w));
	if (store_round_exists(s, round) != 1)
		goto fail;
	st = store_stmt(s, ST_TESTS,
	    "SELECT id, domain, type, score, started, duration_ms, error"
	    " FROM tests WHERE round = ?1 ORDER BY domain, type = 'mail'");
	if (st == NULL || store_bind(s, st, "I", round) == -1)
		goto fail;
	while ((rc = store_step(s, st)) == SQLITE_ROW) {
		if (test_row(s, &w, st, round, want_facts, &r) == -1)
			goto fail;
		if (cb(&r, w.facts, arg) != 0)
			goto stopped;
		walk_reset(&w);
	}
	if (rc == -1)
		goto fail;
	store_done(st);
	st = store_stmt(s, ST_INVALID,
	    "SELECT id, input, error FROM targets"
	    " WHERE round = ?1 AND domain IS NULL ORDER BY line, pos");
	if (st == NULL || store_bind(s, st, "I", round) == -1)
		goto fail;
	while ((rc = store_step(s, st)) == SQLITE_ROW) {
		if (invalid_row(s, &w, st, &r) == -1)
			goto fail;
		if (cb(&r, NULL, arg) != 0)
			goto stopped;
		walk_reset(&w);
	}
	if (rc == -1)
		goto fail;
	store_done(st);
	walk_free(&w);
	return 0;
stopped:
	store_fail(s, "stopped by the callback");
fail:
	store_done(st);
	walk_free(&w);
	return store_context(
	    s, "cannot read the results of round %lld", (long long)round);
}

int
nh_store_one_result(struct nh_store *s, int64_t round, const char *domain,
    enum nh_test_type type, bool want_facts,
    int (*cb)(
	const struct nh_store_result *r, const char *facts_json, void *arg),
    void *arg)
{
	struct walk w;
	struct nh_store_result r;
	sqlite3_stmt *st = NULL;
	int rc, found = 0;

	memset(&w, 0, sizeof(w));
	st = store_stmt(s, ST_TEST_ONE,
	    "SELECT id, domain, type, score, started, duration_ms, error"
	    " FROM tests WHERE round = ?1 AND domain = ?2 AND type = ?3");
	if (st == NULL ||
	    store_bind(s, st, "Itt", round, domain, nh_test_type_name(type)) ==
		-1)
		goto fail;
	if ((rc = store_step(s, st)) == -1)
		goto fail;
	if (rc == SQLITE_ROW) {
		found = 1;
		if (test_row(s, &w, st, round, want_facts, &r) == -1)
			goto fail;
		if (cb(&r, w.facts, arg) != 0) {
			store_fail(s, "stopped by the callback");
			goto fail;
		}
	}
	store_done(st);
	walk_free(&w);
	return found;
fail:
	store_done(st);
	walk_free(&w);
	return store_context(s, "cannot read the %s result of %s in round %lld",
	    nh_test_type_name(type), domain, (long long)round);
}
