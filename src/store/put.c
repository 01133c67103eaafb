/*
 * put.c: writing a test's result: the test row, its categories, its
 * checks with their evidence, and its facts, in one transaction, once.
 *
 * A check's evidence column is one JSON text, compact with sorted keys
 * (the same result gives the same bytes):
 *
 *   { "evidence": <the check's evidence>,
 *     "servers": [ { "server", "status", "points", "max_points",
 *                    "message", "evidence" }, ... ] }
 *
 * with the findings as nh_finding_to_json() writes them (the member names
 * of nh_test_result_to_json()); a check with neither evidence nor
 * findings has NULL.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

/* json_object_set_new that reports failure; `v` is always consumed. */
static int
set(json_t *obj, const char *key, json_t *v)
{
	if (v == NULL)
		return -1;
	return json_object_set_new(obj, key, v);
}

/* Sets obj[key] to a new reference to v when v is not NULL. */
static int
set_json(json_t *obj, const char *key, json_t *v)
{
	return v == NULL ? 0 : set(obj, key, json_incref(v));
}

/*
 * The evidence column of a check (see the top of the file) into *out,
 * which the caller frees; NULL when there is nothing to keep. Returns 0,
 * or -1 on allocation failure.
 */
static int
evidence_text(const struct nh_check_result *r, char **out)
{
	json_t *o, *servers;

	*out = NULL;
	if (r->evidence == NULL && r->nservers == 0)
		return 0;
	if ((o = json_object()) == NULL ||
	    set_json(o, "evidence", r->evidence) == -1)
		goto fail;
	if (r->nservers > 0) {
		if (set(o, "servers", servers = json_array()) == -1)
			goto fail;
		for (size_t i = 0; i < r->nservers; i++) {
			if (json_array_append_new(servers,
				nh_finding_to_json(&r->servers[i])) == -1)
				goto fail;
		}
	}
	if ((*out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		goto fail;
	json_decref(o);
	return 0;
fail:
	json_decref(o);
	return -1;
}

/*
 * Inserts the test row unless one exists for (round, domain, type).
 * Returns 1 with *id set, 0 when it exists, or -1.
 */
static int
test_insert(struct nh_store *s, int64_t round, const char *domain,
    enum nh_test_type type, int score, const char *started, long duration,
    const char *error, int64_t *id)
{
	if (store_run(s, ST_TEST_NEW,
		"INSERT INTO tests"
		" (round, domain, type, score, started, duration_ms, error)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
		" ON CONFLICT (round, domain, type) DO NOTHING",
		"IttStlt", round, domain, nh_test_type_name(type), score,
		started, duration, error) == -1) {
		if (sqlite3_extended_errcode(s->db) ==
		    SQLITE_CONSTRAINT_FOREIGNKEY)
			store_fail(s, "no round %lld", (long long)round);
		return -1;
	}
	if (sqlite3_changes(s->db) == 0)
		return 0;
	*id = sqlite3_last_insert_rowid(s->db);
	return 1;
}

static int
categories_insert(
    struct nh_store *s, int64_t test, const struct nh_test_result *r)
{
	for (size_t i = 0; i < r->ncategories; i++) {
		const struct nh_category_result *c = &r->categories[i];

		assert(c->meta != NULL);
		if (store_run(s, ST_CATEGORY_NEW,
			"INSERT INTO categories"
			" (test, pos, category, status, score)"
			" VALUES (?1, ?2, ?3, ?4, ?5)",
			"IIttS", test, (int64_t)i, c->meta->id,
			nh_status_name(c->status), c->score) == -1)
			return -1;
	}
	return 0;
}

static int
checks_insert(struct nh_store *s, int64_t test, const struct nh_test_result *r)
{
	char *ev;
	int rc;

	for (size_t i = 0; i < r->nchecks; i++) {
		const struct nh_check_result *c = &r->checks[i];

		assert(c->meta != NULL);
		if (evidence_text(c, &ev) == -1)
			return store_fail(s, "out of memory");
		rc = store_run(s, ST_CHECK_NEW,
		    "INSERT INTO checks (test, pos, check_id, category,"
		    " status, points, max, message, evidence)"
		    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		    "IItttiitt", test, (int64_t)i, c->meta->id,
		    c->meta->category, nh_status_name(c->status), c->points,
		    c->max, c->message, ev);
		free(ev);
		if (rc == -1)
			return -1;
	}
	return 0;
}

static int
facts_insert(struct nh_store *s, int64_t test, const json_t *facts)
{
	char *text;
	int rc;

	if (facts == NULL)
		return 0;
	if ((text = json_dumps(facts,
		 JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY)) == NULL)
		return store_fail(s, "out of memory");
	rc = store_run(s, ST_FACTS_NEW,
	    "INSERT INTO facts (test, json) VALUES (?1, ?2)", "It", test, text);
	free(text);
	return rc;
}

int
nh_store_put_result(struct nh_store *s, int64_t round,
    const struct nh_test_result *r, const json_t *facts)
{
	int64_t test;
	int rc;

	assert(r->domain != NULL);
	if (store_begin(s) == -1)
		goto fail;
	rc = test_insert(s, round, r->domain, r->type, r->score,
	    r->started[0] != '\0' ? r->started : NULL, r->duration_ms, NULL,
	    &test);
	if (rc == -1)
		goto fail;
	/* Stored already: the first result stays. */
	if (rc == 1 &&
	    (categories_insert(s, test, r) == -1 ||
		checks_insert(s, test, r) == -1 ||
		facts_insert(s, test, facts) == -1))
		goto fail;
	if (store_commit(s) == -1)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return store_context(s, "cannot store the %s result of %s",
	    nh_test_type_name(r->type), r->domain);
}

int
nh_store_put_error(struct nh_store *s, int64_t round, const char *domain,
    enum nh_test_type type, const char *why)
{
	int64_t test;

	assert(domain != NULL);
	if (store_begin(s) == -1)
		goto fail;
	if (test_insert(s, round, domain, type, -1, NULL, 0,
		why != NULL ? why : "the test could not run", &test) == -1)
		goto fail;
	if (store_commit(s) == -1)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return store_context(s, "cannot store the %s error of %s",
	    nh_test_type_name(type), domain);
}
