/*
 * batch.c: the batch API's requests: each names the scan round that runs
 * its domains.
 */
#include <string.h>

#include "store_impl.h"

#define BATCH_COLS "id, user, name, type, status, submitted, finished, round"

int
nh_store_batch_new(struct nh_store *s, const struct nh_store_batch *b)
{
	if (store_run(s, ST_BATCH_NEW,
		"INSERT INTO batch_requests (" BATCH_COLS ")"
		" VALUES (?1, ?2, ?3, ?4, ?5, " SQL_NOW ", NULL, ?6)",
		"tttttI", b->id, b->user, b->name, nh_test_type_name(b->type),
		b->status, b->round) == -1)
		return store_context(
		    s, "cannot record batch request %s", b->id);
	return 0;
}

int
nh_store_batch_status(
    struct nh_store *s, const char *id, const char *status, bool finished)
{
	if (store_run(s, ST_BATCH_STATUS,
		"UPDATE batch_requests SET status = ?2,"
		" finished = CASE WHEN ?3 THEN " SQL_NOW " ELSE finished END"
		" WHERE id = ?1",
		"ttb", id, status, (int)finished) == -1)
		return store_context(
		    s, "cannot set the status of batch request %s", id);
	return 0;
}

/* Steps st and calls cb for each row. Returns the rows, or -1. */
static long
batch_walk(struct nh_store *s, sqlite3_stmt *st,
    int (*cb)(const struct nh_store_batch *b, void *arg), void *arg)
{
	struct nh_store_batch b;
	const char *type;
	long n = 0;
	int rc;

	while ((rc = store_step(s, st)) == SQLITE_ROW) {
		memset(&b, 0, sizeof(b));
		if (store_col_text(s, st, 0, &b.id) == -1 ||
		    store_col_text(s, st, 1, &b.user) == -1 ||
		    store_col_text(s, st, 2, &b.name) == -1 ||
		    store_col_text(s, st, 3, &type) == -1 ||
		    store_col_text(s, st, 4, &b.status) == -1 ||
		    store_col_text(s, st, 5, &b.submitted) == -1 ||
		    store_col_text(s, st, 6, &b.finished) == -1)
			goto fail;
		b.type = type != NULL && strcmp(type, "mail") == 0
		    ? NH_TEST_MAIL
		    : NH_TEST_WEB;
		b.round = sqlite3_column_int64(st, 7);
		n++;
		if (cb(&b, arg) != 0) {
			store_fail(s, "stopped by the caller");
			goto fail;
		}
	}
	if (rc == -1)
		goto fail;
	store_done(st);
	return n;
fail:
	store_done(st);
	return -1;
}

int
nh_store_batch_get(struct nh_store *s, const char *id, const char *user,
    int (*cb)(const struct nh_store_batch *b, void *arg), void *arg)
{
	sqlite3_stmt *st;
	long n;

	st = store_stmt(s, ST_BATCH_GET,
	    "SELECT " BATCH_COLS " FROM batch_requests"
	    " WHERE id = ?1 AND (?2 IS NULL OR user = ?2)");
	if (st == NULL || store_bind(s, st, "tt", id, user) == -1 ||
	    (n = batch_walk(s, st, cb, arg)) == -1) {
		store_done(st);
		return store_context(s, "cannot read batch request %s", id);
	}
	return n > 0;
}

int
nh_store_batch_list(struct nh_store *s, const char *user, long limit,
    bool active, int (*cb)(const struct nh_store_batch *b, void *arg),
    void *arg)
{
	sqlite3_stmt *st;

	st = store_stmt(s, ST_BATCH_LIST,
	    "SELECT " BATCH_COLS " FROM batch_requests"
	    " WHERE (?1 IS NULL OR user = ?1)"
	    " AND (NOT ?3 OR status IN ('registering', 'running'))"
	    " ORDER BY CASE WHEN ?3 THEN rowid ELSE -rowid END"
	    " LIMIT CASE WHEN ?2 > 0 THEN ?2 ELSE -1 END");
	if (st == NULL ||
	    store_bind(s, st, "tlb", user, limit, (int)active) == -1 ||
	    batch_walk(s, st, cb, arg) == -1) {
		store_done(st);
		return store_context(s, "cannot list batch requests");
	}
	return 0;
}
