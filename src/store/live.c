/*
 * live.c: the web site's tests: written when queued and when they end,
 * read back for their permalink, the hall of fame.
 */
#include <string.h>

#include "store_impl.h"

#define LIVE_COLS \
	"id, type, domain, client, state, created, finished, score, error," \
	" result"

int
nh_store_live_put(struct nh_store *s, const struct nh_store_live *t)
{
	if (store_run(s, ST_LIVE_PUT,
		"INSERT OR REPLACE INTO live_tests (" LIVE_COLS ")"
		" VALUES (?1, ?2, ?3, ?4, ?5, COALESCE(?6, " SQL_NOW "),"
		" CASE WHEN ?5 IN ('done', 'error') THEN " SQL_NOW
		" END, ?7, ?8, ?9)",
		"tttttt"
		"Stt",
		t->id, nh_test_type_name(t->type), t->domain, t->client,
		t->state, t->created, t->score, t->error, t->result) == -1)
		return store_context(
		    s, "cannot store the test %s of %s", t->id, t->domain);
	return 0;
}

/* Reads the row the statement is on. Returns 0, or -1. */
static int
live_row(struct nh_store *s, sqlite3_stmt *st, struct nh_store_live *t)
{
	const char *type;

	memset(t, 0, sizeof(*t));
	if (store_col_text(s, st, 0, &t->id) == -1 ||
	    store_col_text(s, st, 1, &type) == -1 ||
	    store_col_text(s, st, 2, &t->domain) == -1 ||
	    store_col_text(s, st, 3, &t->client) == -1 ||
	    store_col_text(s, st, 4, &t->state) == -1 ||
	    store_col_text(s, st, 5, &t->created) == -1 ||
	    store_col_text(s, st, 6, &t->finished) == -1 ||
	    store_col_text(s, st, 8, &t->error) == -1 ||
	    store_col_text(s, st, 9, &t->result) == -1)
		return -1;
	t->type = type != NULL && strcmp(type, "mail") == 0 ? NH_TEST_MAIL
							    : NH_TEST_WEB;
	t->score = store_col_score(st, 7);
	return 0;
}

/* Steps st and calls cb for each row. Returns the rows, or -1. */
static long
live_walk(struct nh_store *s, sqlite3_stmt *st,
    int (*cb)(const struct nh_store_live *t, void *arg), void *arg)
{
	struct nh_store_live t;
	long n = 0;
	int rc;

	while ((rc = store_step(s, st)) == SQLITE_ROW) {
		if (live_row(s, st, &t) == -1)
			goto fail;
		n++;
		if (cb(&t, arg) != 0) {
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
nh_store_live_get(struct nh_store *s, const char *id,
    int (*cb)(const struct nh_store_live *t, void *arg), void *arg)
{
	sqlite3_stmt *st;
	long n;

	st = store_stmt(s, ST_LIVE_GET,
	    "SELECT " LIVE_COLS " FROM live_tests WHERE id = ?1");
	if (st == NULL || store_bind(s, st, "t", id) == -1)
		goto fail;
	if ((n = live_walk(s, st, cb, arg)) == -1)
		goto fail;
	return n > 0;
fail:
	store_done(st);
	return store_context(s, "cannot read the test %s", id);
}

int
nh_store_live_recent(struct nh_store *s, const char *domain,
    enum nh_test_type type, long seconds, char id[33])
{
	sqlite3_stmt *st;
	const char *got;
	int rc;

	st = store_stmt(s, ST_LIVE_RECENT,
	    "SELECT id FROM live_tests WHERE domain = ?1 AND type = ?2"
	    " AND state = 'done'"
	    " AND finished >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now',"
	    "   '-' || ?3 || ' seconds')"
	    " ORDER BY rowid DESC LIMIT 1");
	if (st == NULL ||
	    store_bind(
		s, st, "ttl", domain, nh_test_type_name(type), seconds) == -1)
		goto fail;
	if ((rc = store_step(s, st)) == -1)
		goto fail;
	if (rc == SQLITE_ROW) {
		if (store_col_text(s, st, 0, &got) == -1)
			goto fail;
		snprintf(id, 33, "%s", got != NULL ? got : "");
	}
	store_done(st);
	return rc == SQLITE_ROW;
fail:
	store_done(st);
	return store_context(s, "cannot look up recent tests of %s", domain);
}

long
nh_store_live_interrupt(struct nh_store *s, const char *why)
{
	if (store_run(s, ST_LIVE_INTERRUPT,
		"UPDATE live_tests SET state = 'error', error = ?1,"
		" finished = " SQL_NOW " WHERE state IN ('queued', 'running')",
		"t", why) == -1)
		return store_context(s, "cannot record interrupted tests");
	return (long)sqlite3_changes(s->db);
}

int
nh_store_hof(struct nh_store *s,
    int (*cb)(const struct nh_store_live *t, void *arg), void *arg)
{
	sqlite3_stmt *st;

	/* The latest finished test of each domain and type, if 100. */
	st = store_stmt(s, ST_HOF,
	    "SELECT id, type, domain, client, state, created, finished,"
	    " score, NULL, NULL FROM live_tests t"
	    " WHERE state = 'done' AND score = 100 AND NOT EXISTS ("
	    "   SELECT 1 FROM live_tests u WHERE u.domain = t.domain"
	    "   AND u.type = t.type AND u.state = 'done'"
	    "   AND u.rowid > t.rowid)"
	    " ORDER BY domain, type = 'mail'");
	if (st == NULL || live_walk(s, st, cb, arg) == -1) {
		store_done(st);
		return store_context(s, "cannot read the hall of fame");
	}
	return 0;
}
