/*
 * round.c: rounds and their targets: opening or resuming a round, listing
 * its targets once, what is left to test, finishing, and the list of
 * rounds.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

/* Whether a round has targets (valid or not). */
#define SQL_HAS_TARGETS "SELECT 1 FROM targets WHERE round = ?1 LIMIT 1"

/* Domains handed to a pending walk's callback per query. */
#define PENDING_BATCH 256

int64_t
nh_store_round_begin(
    struct nh_store *s, const struct nh_round_spec *spec, bool *resumed)
{
	int64_t id = -1, one;
	int found, listed = 0;

	*resumed = false;
	if (spec->key == NULL) {
		store_fail(s, "cannot begin a round: no key");
		return -1;
	}
	if (store_begin(s) == -1)
		goto fail;
	found = store_get_int64(s, ST_ROUND_FIND,
	    "SELECT id FROM rounds WHERE key = ?1 AND finished IS NULL"
	    " ORDER BY id DESC LIMIT 1",
	    &id, "t", spec->key);
	if (found == -1)
		goto fail;
	if (found == 1) {
		/*
		 * A round whose targets were never recorded (the process
		 * died between the two calls) is not resumed: the caller
		 * records them.
		 */
		listed = store_get_int64(
		    s, ST_ROUND_HAS_TARGETS, SQL_HAS_TARGETS, &one, "I", id);
		if (listed == -1)
			goto fail;
	} else {
		if (store_run(s, ST_ROUND_NEW,
			"INSERT INTO rounds"
			" (key, source, options, web, mail, started)"
			" VALUES (?1, ?2, ?3, ?4, ?5, " SQL_NOW ")",
			"tttbb", spec->key,
			spec->source != NULL ? spec->source : "",
			spec->options != NULL ? spec->options : "",
			(int)spec->web, (int)spec->mail) == -1)
			goto fail;
		id = sqlite3_last_insert_rowid(s->db);
	}
	if (store_commit(s) == -1)
		goto fail;
	*resumed = listed == 1;
	return id;
fail:
	store_rollback(s);
	store_context(s, "cannot begin a round");
	return -1;
}

/* Inserts one target and its tags (in a transaction). */
static int
target_insert(struct nh_store *s, int64_t round, size_t pos,
    const struct nh_store_target *t)
{
	const char *input = t->input;
	int64_t id;

	if (input == NULL)
		input = t->domain != NULL ? t->domain : "";
	if (store_run(s, ST_TARGET_NEW,
		"INSERT INTO targets (round, pos, line, input, domain, error)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		"IIlttt", round, (int64_t)pos, t->line, input, t->domain,
		t->error) == -1) {
		if (t->domain != NULL &&
		    sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE)
			return store_fail(s, "%s (line %ld) listed twice",
			    t->domain, t->line);
		return -1;
	}
	id = sqlite3_last_insert_rowid(s->db);
	for (size_t i = 0; i < t->ntags; i++) {
		assert(t->tags[i] != NULL);
		/* A repeated tag is kept once. */
		if (store_run(s, ST_TARGET_TAG,
			"INSERT OR IGNORE INTO target_tags (target, pos, tag)"
			" VALUES (?1, ?2, ?3)",
			"IIt", id, (int64_t)i, t->tags[i]) == -1)
			return -1;
	}
	return 0;
}

int
nh_store_round_targets(struct nh_store *s, int64_t round,
    const struct nh_store_target *t, size_t n)
{
	int64_t one;
	int rc;

	if (store_begin(s) == -1)
		goto fail;
	if (store_round_exists(s, round) != 1)
		goto fail;
	rc = store_get_int64(
	    s, ST_ROUND_HAS_TARGETS, SQL_HAS_TARGETS, &one, "I", round);
	if (rc == -1)
		goto fail;
	if (rc == 1) {
		store_fail(s, "the round has its targets already");
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		if (target_insert(s, round, i, &t[i]) == -1)
			goto fail;
	}
	if (store_commit(s) == -1)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	store_context(
	    s, "cannot record the targets of round %lld", (long long)round);
	return -1;
}

/*
 * Fills batch[] with the next pending domains after list position
 * *after, and moves *after. Returns how many (< PENDING_BATCH at the
 * end), or -1.
 */
static int
pending_batch(struct nh_store *s, int64_t round, enum nh_test_type type,
    int64_t *after, char **batch)
{
	sqlite3_stmt *st;
	const char *d;
	int n = 0, rc;

	st = store_stmt(s, ST_PENDING,
	    "SELECT pos, domain FROM targets"
	    " WHERE round = ?1 AND pos > ?2 AND domain IS NOT NULL"
	    " AND NOT EXISTS (SELECT 1 FROM tests WHERE tests.round = ?1"
	    "  AND tests.domain = targets.domain AND tests.type = ?3)"
	    " ORDER BY pos LIMIT ?4");
	if (st == NULL ||
	    store_bind(s, st, "IIti", round, *after, nh_test_type_name(type),
		PENDING_BATCH) == -1)
		goto fail;
	while ((rc = store_step(s, st)) == SQLITE_ROW) {
		assert(n < PENDING_BATCH);
		*after = sqlite3_column_int64(st, 0);
		if (store_col_text(s, st, 1, &d) == -1)
			goto fail;
		if ((batch[n] = strdup(d)) == NULL) {
			store_fail(s, "out of memory");
			goto fail;
		}
		n++;
	}
	if (rc == -1)
		goto fail;
	store_done(st);
	return n;
fail:
	store_done(st);
	while (n > 0)
		free(batch[--n]);
	return -1;
}

int
nh_store_round_pending(struct nh_store *s, int64_t round,
    enum nh_test_type type, int (*cb)(const char *domain, void *arg), void *arg)
{
	char *batch[PENDING_BATCH];
	int64_t after = -1;
	bool stopped = false;
	int n;

	if (store_round_exists(s, round) != 1)
		goto fail;
	/*
	 * In batches, with no statement open while the callback runs: it
	 * may write results (and another process may too).
	 */
	do {
		if ((n = pending_batch(s, round, type, &after, batch)) == -1)
			goto fail;
		for (int i = 0; i < n; i++) {
			if (!stopped && cb(batch[i], arg) != 0)
				stopped = true;
			free(batch[i]);
		}
		if (stopped) {
			store_fail(s, "stopped by the callback");
			goto fail;
		}
	} while (n == PENDING_BATCH);
	return 0;
fail:
	store_context(s, "cannot list the %s tests left in round %lld",
	    nh_test_type_name(type), (long long)round);
	return -1;
}

int
nh_store_round_finish(struct nh_store *s, int64_t round)
{
	if (store_run(s, ST_ROUND_FINISH,
		"UPDATE rounds SET finished = " SQL_NOW " WHERE id = ?1", "I",
		round) == -1)
		goto fail;
	if (sqlite3_changes(s->db) == 0) {
		store_fail(s, "no round %lld", (long long)round);
		goto fail;
	}
	return 0;
fail:
	return store_context(s, "cannot finish round %lld", (long long)round);
}

long
nh_store_round_results(struct nh_store *s, int64_t round)
{
	int64_t n = 0;

	if (store_get_int64(s, ST_ROUND_RESULTS,
		"SELECT count(*) FROM tests WHERE round = ?1", &n, "I",
		round) == -1)
		return -1;
	return (long)n;
}

/* Fills r from a row of ST_ROUNDS; strings borrowed from the row. */
static int
round_row(struct nh_store *s, sqlite3_stmt *st, struct nh_store_round *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	if (store_col_text(s, st, 1, &r->key) == -1 ||
	    store_col_text(s, st, 2, &r->source) == -1 ||
	    store_col_text(s, st, 3, &r->options) == -1 ||
	    store_col_text(s, st, 4, &r->started) == -1 ||
	    store_col_text(s, st, 5, &r->finished) == -1)
		return -1;
	r->web = sqlite3_column_int(st, 6) != 0;
	r->mail = sqlite3_column_int(st, 7) != 0;
	r->targets = (long)sqlite3_column_int64(st, 8);
	r->invalid = (long)sqlite3_column_int64(st, 9);
	r->results = (long)sqlite3_column_int64(st, 10);
	r->survey = sqlite3_column_int(st, 11) != 0;
	return 0;
}

int
nh_store_rounds(struct nh_store *s,
    int (*cb)(const struct nh_store_round *r, void *arg), void *arg)
{
	struct nh_store_round r;
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(s, ST_ROUNDS,
	    "SELECT r.id, r.key, r.source, r.options, r.started, r.finished,"
	    " r.web, r.mail,"
	    " (SELECT count(*) FROM targets t"
	    "  WHERE t.round = r.id AND t.domain IS NOT NULL),"
	    " (SELECT count(*) FROM targets t"
	    "  WHERE t.round = r.id AND t.domain IS NULL),"
	    " (SELECT count(*) FROM tests x WHERE x.round = r.id),"
	    " (substr(r.key, 1, 7) = 'survey:' OR EXISTS (SELECT 1"
	    "  FROM survey_results v WHERE v.round = r.id))"
	    " FROM rounds r ORDER BY r.id");
	if (st == NULL)
		goto fail;
	while ((rc = store_step(s, st)) == SQLITE_ROW) {
		if (round_row(s, st, &r) == -1)
			goto fail;
		if (cb(&r, arg) != 0) {
			store_fail(s, "stopped by the callback");
			goto fail;
		}
	}
	if (rc == -1)
		goto fail;
	store_done(st);
	return 0;
fail:
	store_done(st);
	return store_context(s, "cannot list the rounds");
}
