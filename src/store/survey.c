/*
 * survey.c: survey rounds and their records: a round of the network
 * health survey is a row of rounds (web = mail = 0, key "survey:<id>")
 * and one survey_results row per address and service observed.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "store_impl.h"

#define SURVEY_KEY_PREFIX "survey:"

/* Whether round ?1 is a survey round. */
#define SQL_IS_SURVEY \
	"SELECT 1 FROM rounds WHERE id = ?1 AND substr(key, 1, 7) = " \
	"'survey:'"

/* Fills key (size bytes) with "survey:" + UTC time + 32 random bits. */
static void
survey_key(char *key, size_t size)
{
	struct timespec ts = { 0 };
	struct tm tm;
	uint32_t rnd = 0;
	char when[32] = "";

	clock_gettime(CLOCK_REALTIME, &ts);
	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd))
		rnd = (uint32_t)ts.tv_nsec ^ ((uint32_t)getpid() << 16);
	if (gmtime_r(&ts.tv_sec, &tm) != NULL)
		strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(key, size, SURVEY_KEY_PREFIX "%s-%08x", when, (unsigned)rnd);
}

int64_t
nh_store_survey_begin(
    struct nh_store *s, const char *source, const char *options)
{
	char key[64];

	survey_key(key, sizeof(key));
	if (store_run(s, ST_SURVEY_ROUND_NEW,
		"INSERT INTO rounds"
		" (key, source, options, web, mail, started)"
		" VALUES (?1, ?2, ?3, 0, 0, " SQL_NOW ")",
		"ttt", key, source != NULL ? source : "",
		options != NULL ? options : "") == -1) {
		store_context(s, "cannot begin a survey round");
		return -1;
	}
	return sqlite3_last_insert_rowid(s->db);
}

/* Binds text of at most max bytes (an unterminated array is cut). */
static int
bind_text_n(sqlite3_stmt *st, int i, const char *t, size_t max)
{
	return sqlite3_bind_text(
	    st, i, t, (int)strnlen(t, max), SQLITE_TRANSIENT);
}

/* The time as RFC 3339 UTC into buf (21 bytes at least). */
static void
ts_text(time_t t, char *buf, size_t size)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, size, "1970-01-01T00:00:00Z");
}

/* Inserts one record (in the caller's transaction). */
static int
survey_insert(
    struct nh_store *s, int64_t round, const struct nh_survey_record *r)
{
	sqlite3_stmt *st;
	char ts[32];
	int rc;

	if ((unsigned)r->svc >= NH_SVC_COUNT)
		return store_fail(s, "record of %.46s: service %d unknown",
		    r->ip, (int)r->svc);
	st = store_stmt(s, ST_SURVEY_PUT,
	    "INSERT INTO survey_results (round, ip, service, port, open,"
	    " bytes_out, bytes_in, packets_in, amplification, asn, cc,"
	    " detail, source, ts)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	    " ?13, ?14)");
	if (st == NULL)
		return -1;
	ts_text(r->ts, ts, sizeof(ts));
	rc = sqlite3_bind_int64(st, 1, round);
	if (rc == SQLITE_OK)
		rc = bind_text_n(st, 2, r->ip, sizeof(r->ip));
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(
		    st, 3, nh_svc_table[r->svc].name, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 4, r->port);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 5, r->open ? 1 : 0);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 6, r->bytes_out);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 7, r->bytes_in);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 8, r->packets_in);
	if (rc == SQLITE_OK)
		rc = r->amplification >= 0
		    ? sqlite3_bind_double(st, 9, r->amplification)
		    : sqlite3_bind_null(st, 9);
	if (rc == SQLITE_OK)
		rc = r->asn != 0 ? sqlite3_bind_int64(st, 10, r->asn)
				 : sqlite3_bind_null(st, 10);
	if (rc == SQLITE_OK)
		rc = r->cc[0] != '\0' ? bind_text_n(st, 11, r->cc, 2)
				      : sqlite3_bind_null(st, 11);
	if (rc == SQLITE_OK)
		rc = bind_text_n(st, 12, r->detail, sizeof(r->detail));
	if (rc == SQLITE_OK)
		rc = bind_text_n(st, 13, r->source, sizeof(r->source));
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 14, ts, -1, SQLITE_TRANSIENT);
	if (rc != SQLITE_OK) {
		store_dbfail(s);
		store_done(st);
		return -1;
	}
	return store_exec(s, st);
}

int
nh_store_survey_put(struct nh_store *s, int64_t round,
    const struct nh_survey_record *r, size_t n)
{
	int64_t one;
	int rc;

	if (store_begin(s) == -1)
		goto fail;
	if (store_round_exists(s, round) != 1)
		goto fail;
	rc = store_get_int64(
	    s, ST_SURVEY_ROUND_IS, SQL_IS_SURVEY, &one, "I", round);
	if (rc == -1)
		goto fail;
	if (rc == 0) {
		store_fail(
		    s, "round %lld is not a survey round", (long long)round);
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		if (survey_insert(s, round, &r[i]) == -1)
			goto fail;
	}
	if (store_commit(s) == -1)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return store_context(s, "cannot store %zu survey records of round %lld",
	    n, (long long)round);
}

int
nh_store_survey_finish(struct nh_store *s, int64_t round)
{
	return nh_store_round_finish(s, round);
}

/* Copies column i's text (or "" for NULL) into dst of size bytes, cut. */
static int
col_copy(struct nh_store *s, sqlite3_stmt *st, int i, char *dst, size_t size)
{
	const char *t;

	if (store_col_text(s, st, i, &t) == -1)
		return -1;
	snprintf(dst, size, "%s", t != NULL ? t : "");
	return 0;
}

/* Fills r from a row of ST_SURVEY_EACH. Returns 0, or -1. */
static int
survey_row(struct nh_store *s, sqlite3_stmt *st, struct nh_survey_record *r)
{
	const char *svc, *ts;
	struct tm tm;
	size_t j;

	memset(r, 0, sizeof(*r));
	if (store_col_text(s, st, 1, &svc) == -1 || svc == NULL)
		return -1;
	for (j = 0; j < NH_SVC_COUNT; j++) {
		if (strcmp(nh_svc_table[j].name, svc) == 0)
			break;
	}
	if (j == NH_SVC_COUNT)
		return store_fail(s, "unknown service \"%.32s\"", svc);
	r->svc = (enum nh_svc)j;
	if (col_copy(s, st, 0, r->ip, sizeof(r->ip)) == -1 ||
	    col_copy(s, st, 9, r->cc, sizeof(r->cc)) == -1 ||
	    col_copy(s, st, 10, r->detail, sizeof(r->detail)) == -1 ||
	    col_copy(s, st, 11, r->source, sizeof(r->source)) == -1 ||
	    store_col_text(s, st, 12, &ts) == -1)
		return -1;
	r->port = (uint16_t)sqlite3_column_int(st, 2);
	r->open = sqlite3_column_int(st, 3) != 0;
	r->bytes_out = (uint32_t)sqlite3_column_int64(st, 4);
	r->bytes_in = (uint32_t)sqlite3_column_int64(st, 5);
	r->packets_in = (uint32_t)sqlite3_column_int64(st, 6);
	r->amplification = sqlite3_column_type(st, 7) == SQLITE_NULL
	    ? -1
	    : sqlite3_column_double(st, 7);
	r->asn = (uint32_t)sqlite3_column_int64(st, 8);
	memset(&tm, 0, sizeof(tm));
	if (ts != NULL && strptime(ts, "%Y-%m-%dT%H:%M:%SZ", &tm) != NULL)
		r->ts = timegm(&tm);
	return 0;
}

int
nh_store_survey_each(struct nh_store *s, int64_t round,
    int (*cb)(const struct nh_survey_record *r, void *arg), void *arg)
{
	struct nh_survey_record r;
	sqlite3_stmt *st = NULL;
	int rc;

	if (store_round_exists(s, round) != 1)
		goto fail;
	st = store_stmt(s, ST_SURVEY_EACH,
	    "SELECT ip, service, port, open, bytes_out, bytes_in,"
	    " packets_in, amplification, asn, cc, detail, source, ts"
	    " FROM survey_results WHERE round = ?1 ORDER BY id");
	if (st == NULL || store_bind(s, st, "I", round) == -1)
		goto fail;
	while ((rc = store_step(s, st)) == SQLITE_ROW) {
		if (survey_row(s, st, &r) == -1)
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
	return store_context(s, "cannot read the survey records of round %lld",
	    (long long)round);
}
