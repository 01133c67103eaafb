/*
 * store_impl.h: what the files of src/store/ share. Internal.
 *
 * The store is one SQLite connection and the statements prepared on it.
 * Each statement has a slot (enum store_st); it is prepared on first use
 * with the SQL written where it is used, kept for the life of the store
 * and reset after every use, so a statement is compiled once per store.
 * A slot whose statement is still stepping (a walk whose callback called
 * the same walk) is refused, not reset under the walk's feet.
 *
 * Errors: the helpers below set the store's message to SQLite's own
 * (sqlite3_errmsg) and return -1; each public function then prefixes it
 * with what it was doing (store_context), so a message reads
 * "cannot store the web result of good.test: database is locked".
 *
 * Files: sqlite.c (open, close, statements, binding, transactions),
 * schema.c (the schema and its migrations), round.c (rounds and targets),
 * put.c (writing results), walk.c (reading results), dump.c (the
 * canonical text form), live.c (the web site's tests), batch.c (the batch
 * API's requests), survey.c (survey rounds and their records).
 */
#ifndef NH_STORE_IMPL_H
#define NH_STORE_IMPL_H

#include <stdarg.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store.h"

#define STORE_ERR 1024 /* bytes of an error message */

/* Statement slots: one per SQL text, in the file that uses it. */
enum store_st {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_ROUND_EXISTS,
	/* round.c */
	ST_ROUND_FIND,
	ST_ROUND_NEW,
	ST_ROUND_HAS_TARGETS,
	ST_TARGET_NEW,
	ST_TARGET_TAG,
	ST_PENDING,
	ST_ROUND_FINISH,
	ST_ROUND_RESULTS,
	ST_ROUNDS,
	/* put.c */
	ST_TEST_NEW,
	ST_CATEGORY_NEW,
	ST_CHECK_NEW,
	ST_FACTS_NEW,
	/* walk.c */
	ST_TESTS,
	ST_TAGS_BY_DOMAIN,
	ST_TAGS_BY_TARGET,
	ST_CATEGORIES,
	ST_CHECKS,
	ST_FACTS,
	ST_INVALID,
	ST_TEST_ONE,
	/* dump.c */
	ST_DUMP_TARGETS,
	ST_DUMP_TAGS,
	/* live.c */
	ST_LIVE_PUT,
	ST_LIVE_GET,
	ST_LIVE_RECENT,
	ST_LIVE_INTERRUPT,
	ST_HOF,
	/* batch.c */
	ST_BATCH_NEW,
	ST_BATCH_STATUS,
	ST_BATCH_GET,
	ST_BATCH_LIST,
	/* survey.c */
	ST_SURVEY_ROUND_NEW,
	ST_SURVEY_ROUND_IS,
	ST_SURVEY_PUT,
	ST_SURVEY_EACH,
	ST_COUNT
};

struct nh_store {
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT]; /* prepared on first use; owned */
	char err[STORE_ERR];        /* the last error; "" when none */
};

/* ---- sqlite.c ---- */

/* Sets the message (printf-style). Returns -1. */
int store_fail(struct nh_store *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Sets the message to SQLite's last error on the connection. Returns -1. */
int store_dbfail(struct nh_store *s);

/*
 * Prefixes the current message with what the caller was doing:
 * "<context>: <message>". Returns -1.
 */
int store_context(struct nh_store *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * The statement of slot `id`, prepared from `sql` on first use, reset and
 * unbound. Returns NULL with the message set on failure, or when the
 * statement is in use by a walk further up the stack. Borrowed from the
 * store; give it back with store_done().
 */
sqlite3_stmt *store_stmt(struct nh_store *s, enum store_st id, const char *sql);

/*
 * Binds parameters from 1 in order, one per character of `fmt`:
 *   I  int64_t
 *   i  int
 *   l  long
 *   b  bool (passed as int)
 *   S  int score: a negative value is bound as NULL
 *   t  const char *: copied; NULL is bound as NULL
 * Returns 0, or -1 with the message set.
 */
int store_bind(struct nh_store *s, sqlite3_stmt *st, const char *fmt, ...);
int store_vbind(
    struct nh_store *s, sqlite3_stmt *st, const char *fmt, va_list ap);

/*
 * Steps a statement. Returns SQLITE_ROW, SQLITE_DONE, or -1 with the
 * message set.
 */
int store_step(struct nh_store *s, sqlite3_stmt *st);

/* Runs a bound statement to its end and resets it. Returns 0, or -1. */
int store_exec(struct nh_store *s, sqlite3_stmt *st);

/*
 * The statement of slot `id` (store_stmt), bound (store_bind), run to its
 * end and reset. Returns 0, or -1.
 */
int store_run(struct nh_store *s, enum store_st id, const char *sql,
    const char *fmt, ...);

/*
 * Like store_run() for a query: *out receives the first column of the
 * first row. Returns 1 (a row), 0 (none, *out untouched), or -1.
 */
int store_get_int64(struct nh_store *s, enum store_st id, const char *sql,
    int64_t *out, const char *fmt, ...);

/* Resets a statement and drops its bindings. NULL is safe. */
void store_done(sqlite3_stmt *st);

/*
 * Column i as text into *out: borrowed from the statement, valid until
 * it is stepped or reset; NULL for an SQL NULL. Returns 0, or -1 (out of
 * memory) with the message set.
 */
int store_col_text(
    struct nh_store *s, sqlite3_stmt *st, int i, const char **out);

/* Column i as an int score: -1 for NULL. */
int store_col_score(sqlite3_stmt *st, int i);

/* BEGIN IMMEDIATE. Returns 0, or -1. */
int store_begin(struct nh_store *s);

/* COMMIT; on failure rolls back. Returns 0, or -1. */
int store_commit(struct nh_store *s);

/*
 * Rolls back the open transaction, if any, keeping the message of the
 * failure that caused it (a failed rollback is added to it).
 */
void store_rollback(struct nh_store *s);

/*
 * Whether round `round` exists: 1, 0 (the message says "no round N"), or
 * -1.
 */
int store_round_exists(struct nh_store *s, int64_t round);

/* SQL for "now", as the RFC 3339 UTC text the store keeps. */
#define SQL_NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

/* ---- schema.c ---- */

/* The schema version this code writes and reads. */
extern const int store_schema_version;

/*
 * Brings the schema of a freshly opened connection to
 * store_schema_version: refuses a store of a newer version or a database
 * that is not a store, applies the missing migrations in one transaction.
 * Returns 0, or -1 with the message set.
 */
int store_schema_apply(struct nh_store *s);

#endif /* NH_STORE_IMPL_H */
