/*
 * sqlite.c: the store's connection: opening (pragmas, schema), closing,
 * the error message, and the helpers the other files of src/store/ use
 * for statements, bindings and transactions (see store_impl.h).
 *
 * Settings of every connection: WAL (readers never wait for the scan
 * that writes), synchronous=NORMAL (in WAL mode a crash loses at most the
 * last transactions, never consistency), foreign keys on, and a busy
 * timeout so that several processes writing one store wait for each
 * other instead of failing.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store_impl.h"

#define STORE_BUSY_MS 10000 /* how long a writer waits for another */

/* The message of the last failed open: valid until the next open. */
static char open_err[STORE_ERR];

int
store_fail(struct nh_store *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	return -1;
}

int
store_dbfail(struct nh_store *s)
{
	if (s->db == NULL)
		return store_fail(s, "out of memory");
	return store_fail(s, "%s", sqlite3_errmsg(s->db));
}

int
store_context(struct nh_store *s, const char *fmt, ...)
{
	char what[STORE_ERR], old[STORE_ERR];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	memcpy(old, s->err, sizeof(old));
	return store_fail(s, "%s: %s", what, old[0] != '\0' ? old : "failed");
}

sqlite3_stmt *
store_stmt(struct nh_store *s, enum store_st id, const char *sql)
{
	sqlite3_stmt *st;

	assert(id < ST_COUNT);
	if ((st = s->st[id]) == NULL) {
		if (sqlite3_prepare_v3(s->db, sql, -1,
			SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
			store_dbfail(s);
			sqlite3_finalize(st); /* NULL on failure; harmless */
			return NULL;
		}
		s->st[id] = st;
		return st;
	}
	/* One slot, one SQL text. */
	assert(strcmp(sqlite3_sql(st), sql) == 0);
	if (sqlite3_stmt_busy(st)) {
		store_fail(s, "a walk's callback started the same walk again");
		return NULL;
	}
	return st;
}

int
store_bind(struct nh_store *s, sqlite3_stmt *st, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = store_vbind(s, st, fmt, ap);
	va_end(ap);
	return rc;
}

int
store_vbind(struct nh_store *s, sqlite3_stmt *st, const char *fmt, va_list ap)
{
	const char *t;
	int rc = SQLITE_OK, i = 1, v;

	for (; *fmt != '\0' && rc == SQLITE_OK; fmt++, i++) {
		switch (*fmt) {
		case 'I':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'i':
		case 'b':
			rc = sqlite3_bind_int(st, i, va_arg(ap, int));
			break;
		case 'l':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, long));
			break;
		case 'S':
			v = va_arg(ap, int);
			rc = v < 0 ? sqlite3_bind_null(st, i)
				   : sqlite3_bind_int(st, i, v);
			break;
		case 't':
			t = va_arg(ap, const char *);
			rc = t == NULL
			    ? sqlite3_bind_null(st, i)
			    : sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
			break;
		default:
			abort(); /* a bug in the caller's format */
		}
	}
	return rc == SQLITE_OK ? 0 : store_dbfail(s);
}

int
store_step(struct nh_store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	return store_dbfail(s);
}

int
store_exec(struct nh_store *s, sqlite3_stmt *st)
{
	int rc = store_step(s, st);

	store_done(st);
	return rc == -1 ? -1 : 0;
}

int
store_run(
    struct nh_store *s, enum store_st id, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	if ((st = store_stmt(s, id, sql)) == NULL)
		return -1;
	va_start(ap, fmt);
	rc = store_vbind(s, st, fmt, ap);
	va_end(ap);
	if (rc == -1) {
		store_done(st);
		return -1;
	}
	return store_exec(s, st);
}

int
store_get_int64(struct nh_store *s, enum store_st id, const char *sql,
    int64_t *out, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	if ((st = store_stmt(s, id, sql)) == NULL)
		return -1;
	va_start(ap, fmt);
	rc = store_vbind(s, st, fmt, ap);
	va_end(ap);
	if (rc == 0 && (rc = store_step(s, st)) == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = 1;
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	}
	store_done(st);
	return rc;
}

void
store_done(sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	/* reset returns the last step's error, already reported. */
	(void)sqlite3_reset(st);
	(void)sqlite3_clear_bindings(st); /* always SQLITE_OK */
}

int
store_col_text(struct nh_store *s, sqlite3_stmt *st, int i, const char **out)
{
	const unsigned char *p;

	*out = NULL;
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return 0;
	if ((p = sqlite3_column_text(st, i)) == NULL)
		return store_fail(s, "out of memory");
	*out = (const char *)p;
	return 0;
}

int
store_col_score(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return -1;
	return sqlite3_column_int(st, i);
}

int
store_begin(struct nh_store *s)
{
	sqlite3_stmt *st = store_stmt(s, ST_BEGIN, "BEGIN IMMEDIATE");

	return st == NULL ? -1 : store_exec(s, st);
}

int
store_commit(struct nh_store *s)
{
	sqlite3_stmt *st = store_stmt(s, ST_COMMIT, "COMMIT");

	if (st == NULL || store_exec(s, st) == -1) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

void
store_rollback(struct nh_store *s)
{
	char why[STORE_ERR];
	sqlite3_stmt *st;

	if (sqlite3_get_autocommit(s->db))
		return; /* no transaction open (or SQLite closed it) */
	memcpy(why, s->err, sizeof(why));
	if ((st = store_stmt(s, ST_ROLLBACK, "ROLLBACK")) == NULL ||
	    store_exec(s, st) == -1) {
		char how[STORE_ERR];

		memcpy(how, s->err, sizeof(how));
		store_fail(s, "%s (and the rollback failed: %s)", why, how);
		return;
	}
	memcpy(s->err, why, sizeof(s->err));
}

int
store_round_exists(struct nh_store *s, int64_t round)
{
	int64_t one;
	int rc;

	rc = store_get_int64(s, ST_ROUND_EXISTS,
	    "SELECT 1 FROM rounds WHERE id = ?1", &one, "I", round);
	if (rc == 0)
		store_fail(s, "no round %lld", (long long)round);
	return rc;
}

/*
 * Runs a pragma. With `want`, its first row's text must equal `want`
 * (case-insensitively). Returns 0, or -1 with the message set.
 */
static int
pragma(struct nh_store *s, const char *sql, const char *want)
{
	sqlite3_stmt *st = NULL;
	const char *v;
	int rc = -1, step;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_dbfail(s);
		goto out;
	}
	if ((step = store_step(s, st)) == -1)
		goto out;
	if (want != NULL) {
		if (step != SQLITE_ROW) {
			store_fail(s, "%s: not supported by this SQLite", sql);
			goto out;
		}
		if (store_col_text(s, st, 0, &v) == -1)
			goto out;
		if (v == NULL || strcasecmp(v, want) != 0) {
			store_fail(s, "%s: SQLite answered \"%s\"", sql,
			    v != NULL ? v : "");
			goto out;
		}
	}
	rc = 0;
out:
	sqlite3_finalize(st); /* its error, if any, is reported above */
	return rc;
}

/* The per-connection settings (see the top of the file). */
static int
configure(struct nh_store *s, const char *path)
{
	int rc;

	if ((rc = sqlite3_extended_result_codes(s->db, 1)) != SQLITE_OK ||
	    (rc = sqlite3_busy_timeout(s->db, STORE_BUSY_MS)) != SQLITE_OK)
		return store_dbfail(s);
	if (pragma(s, "PRAGMA foreign_keys = ON", NULL) == -1 ||
	    pragma(s, "PRAGMA foreign_keys", "1") == -1)
		return -1;
	if (store_schema_apply(s) == -1)
		return -1;
	/* After the schema: a store of a newer version is left untouched. */
	if (strcmp(path, ":memory:") == 0) {
		if (pragma(s, "PRAGMA journal_mode = WAL", "memory") == -1)
			return -1;
	} else if (pragma(s, "PRAGMA journal_mode = WAL", "wal") == -1) {
		return -1;
	}
	return pragma(s, "PRAGMA synchronous = NORMAL", NULL);
}

struct nh_store *
nh_store_open(const char *path, const char **err)
{
	struct nh_store *s;
	int rc;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(open_err, sizeof(open_err),
		    "cannot open %s: out of memory", path);
		goto fail;
	}
	rc = sqlite3_open_v2(
	    path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK || configure(s, path) == -1) {
		if (rc != SQLITE_OK)
			store_dbfail(s);
		store_context(s, "cannot open %s", path);
		memcpy(open_err, s->err, sizeof(open_err));
		goto fail;
	}
	s->err[0] = '\0';
	return s;
fail:
	nh_store_close(s);
	if (err != NULL)
		*err = open_err;
	return NULL;
}

void
nh_store_close(struct nh_store *s)
{
	int rc;

	if (s == NULL)
		return;
	for (size_t i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->st[i]); /* NULL is a no-op */
	/* Only unfinalized statements make it fail: none are left. */
	rc = sqlite3_close(s->db);
	assert(rc == SQLITE_OK);
	(void)rc;
	free(s);
}

const char *
nh_store_error(const struct nh_store *s)
{
	if (s == NULL)
		return "no store";
	return s->err[0] != '\0' ? s->err : "no error";
}
