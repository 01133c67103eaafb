/*
 * schema.c: the store's schema and its migrations.
 *
 * The schema version is PRAGMA user_version; PRAGMA application_id marks
 * the file as a nethealth store. migrations[i] takes a store from version
 * i to i + 1; at open, the missing ones run in order in one transaction,
 * so a store is at one version or the next, never between. A store of a
 * newer version than the code knows is refused, untouched, as is an
 * SQLite database that is not a store.
 *
 * To change the schema: append a migration; never edit one that was
 * released. Foreign keys are on, and PRAGMA foreign_keys cannot change
 * inside a transaction: a migration that rebuilds a table uses PRAGMA
 * defer_foreign_keys = ON and the rename dance of SQLite's "ALTER TABLE"
 * page, section 7.
 *
 * Tables (version 1):
 *   rounds       one scan of one list: its key (a digest of the list and
 *                the options), source, options (JSON), the tests run, and
 *                when it started and finished (RFC 3339 UTC, NULL while
 *                running or interrupted)
 *   targets      one row per distinct valid domain (domain set) or per
 *                invalid line (domain NULL, error set); pos is the list
 *                order, line the source line
 *   target_tags  a target's tags, in the order given
 *   tests        one per (round, domain, type): score (NULL when not
 *                scored), started, duration_ms, error (the test could not
 *                run)
 *   categories   a test's categories, in the result's order: status (API
 *                name), score (NULL when not scored)
 *   checks       a test's checks, in the result's order: status, points,
 *                max, message, and evidence (JSON text: {"evidence": ...,
 *                "servers": [per-server findings]}, NULL when neither)
 *   facts        the facts a test was judged on (JSON text), when kept
 *
 * Version 2 adds live_tests and batch_requests; version 3 adds
 *   survey_results  one row per address and service observed by a survey
 *                round (or read from a Shadowserver report): bytes, the
 *                amplification (NULL unknown), AS and country (NULL
 *                unknown), what the service said, the time (RFC 3339 UTC)
 */
#include <stdio.h>

#include "store_impl.h"

#define STORE_APP_ID 0x6e686c74 /* "nhlt" */

#define STATUS_CHECK(col) \
	"CHECK (" col " IN ('error', 'failed', 'warning', 'info', " \
	"'not_tested', 'passed'))"

static const char *const migrations[] = {
	/* 0 -> 1: the initial schema. */
	"CREATE TABLE rounds ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  options TEXT NOT NULL,"
	"  web INTEGER NOT NULL CHECK (web IN (0, 1)),"
	"  mail INTEGER NOT NULL CHECK (mail IN (0, 1)),"
	"  started TEXT NOT NULL,"
	"  finished TEXT"
	");"
	"CREATE INDEX rounds_key ON rounds (key);"
	"CREATE TABLE targets ("
	"  id INTEGER PRIMARY KEY,"
	"  round INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,"
	"  pos INTEGER NOT NULL,"
	"  line INTEGER NOT NULL,"
	"  input TEXT NOT NULL,"
	"  domain TEXT,"
	"  error TEXT,"
	"  UNIQUE (round, pos),"
	"  UNIQUE (round, domain)"
	");"
	"CREATE TABLE target_tags ("
	"  target INTEGER NOT NULL REFERENCES targets (id) ON DELETE CASCADE,"
	"  pos INTEGER NOT NULL,"
	"  tag TEXT NOT NULL,"
	"  PRIMARY KEY (target, pos),"
	"  UNIQUE (target, tag)"
	") WITHOUT ROWID;"
	"CREATE INDEX target_tags_tag ON target_tags (tag);"
	"CREATE TABLE tests ("
	"  id INTEGER PRIMARY KEY,"
	"  round INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,"
	"  domain TEXT NOT NULL,"
	"  type TEXT NOT NULL CHECK (type IN ('web', 'mail')),"
	"  score INTEGER,"
	"  started TEXT,"
	"  duration_ms INTEGER NOT NULL,"
	"  error TEXT,"
	"  UNIQUE (round, domain, type)"
	");"
	"CREATE TABLE categories ("
	"  test INTEGER NOT NULL REFERENCES tests (id) ON DELETE CASCADE,"
	"  pos INTEGER NOT NULL,"
	"  category TEXT NOT NULL,"
	"  status TEXT NOT NULL " STATUS_CHECK(
	    "status") ","
		      "  score INTEGER,"
		      "  PRIMARY KEY (test, pos)"
		      ") WITHOUT ROWID;"
		      "CREATE INDEX categories_id ON categories (category, status);"
		      "CREATE TABLE checks ("
		      "  test INTEGER NOT NULL REFERENCES tests (id) ON DELETE CASCADE,"
		      "  pos INTEGER NOT NULL,"
		      "  check_id TEXT NOT NULL,"
		      "  category TEXT NOT NULL,"
		      "  status TEXT NOT NULL " STATUS_CHECK(
			  "status") ","
				    "  points INTEGER NOT NULL,"
				    "  max INTEGER NOT NULL,"
				    "  message TEXT,"
				    "  evidence TEXT,"
				    "  PRIMARY KEY (test, pos)"
				    ");"
				    "CREATE INDEX checks_id ON checks (check_id, status);"
				    "CREATE TABLE facts ("
				    "  test INTEGER PRIMARY KEY REFERENCES tests (id) ON DELETE CASCADE,"
				    "  json TEXT NOT NULL"
				    ");",
	/* 1 -> 2: the web site's tests and the batch API's requests. */
	"CREATE TABLE live_tests ("
	"  id TEXT PRIMARY KEY,"
	"  type TEXT NOT NULL CHECK (type IN ('web', 'mail')),"
	"  domain TEXT NOT NULL,"
	"  client TEXT NOT NULL,"
	"  state TEXT NOT NULL"
	"    CHECK (state IN ('queued', 'running', 'done', 'error')),"
	"  created TEXT NOT NULL,"
	"  finished TEXT,"
	"  score INTEGER,"
	"  error TEXT,"
	"  result TEXT"
	");"
	"CREATE INDEX live_tests_domain ON live_tests (domain, type);"
	"CREATE INDEX live_tests_state ON live_tests (state);"
	"CREATE TABLE batch_requests ("
	"  id TEXT PRIMARY KEY,"
	"  user TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  type TEXT NOT NULL CHECK (type IN ('web', 'mail')),"
	"  status TEXT NOT NULL,"
	"  submitted TEXT NOT NULL,"
	"  finished TEXT,"
	"  round INTEGER NOT NULL REFERENCES rounds (id)"
	");"
	"CREATE INDEX batch_requests_user ON batch_requests (user);",
	/* 2 -> 3: the network health survey's records (survey rounds are
	 * rows of rounds with web = mail = 0 and a key "survey:..."). */
	"CREATE TABLE survey_results ("
	"  id INTEGER PRIMARY KEY,"
	"  round INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,"
	"  ip TEXT NOT NULL,"
	"  service TEXT NOT NULL,"
	"  port INTEGER NOT NULL,"
	"  open INTEGER NOT NULL CHECK (open IN (0, 1)),"
	"  bytes_out INTEGER NOT NULL,"
	"  bytes_in INTEGER NOT NULL,"
	"  packets_in INTEGER NOT NULL,"
	"  amplification REAL,"
	"  asn INTEGER,"
	"  cc TEXT,"
	"  detail TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  ts TEXT NOT NULL"
	");"
	"CREATE INDEX survey_results_round ON survey_results (round, service);",
};

const int store_schema_version =
    (int)(sizeof(migrations) / sizeof(migrations[0]));

/* What the file holds: its version, application id, number of objects. */
struct schema_state {
	int64_t version, app, objects;
};

static int
schema_read(struct nh_store *s, struct schema_state *ss)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(s->db,
		"SELECT (SELECT user_version FROM pragma_user_version),"
		" (SELECT application_id FROM pragma_application_id),"
		" (SELECT count(*) FROM sqlite_master)",
		-1, &st, NULL) != SQLITE_OK) {
		store_dbfail(s);
		goto out;
	}
	switch (store_step(s, st)) {
	case SQLITE_ROW:
		ss->version = sqlite3_column_int64(st, 0);
		ss->app = sqlite3_column_int64(st, 1);
		ss->objects = sqlite3_column_int64(st, 2);
		rc = 0;
		break;
	case SQLITE_DONE:
		store_fail(s, "cannot read the schema version");
		break;
	default:
		break;
	}
out:
	sqlite3_finalize(st); /* its error, if any, is reported above */
	return rc;
}

/* Refuses what this code must not touch. Returns 0, or -1. */
static int
schema_check(struct nh_store *s, const struct schema_state *ss)
{
	if (ss->app != 0 && ss->app != STORE_APP_ID)
		return store_fail(s,
		    "not a nethealth store (an SQLite database of another "
		    "program: application_id %#llx)",
		    (unsigned long long)ss->app);
	if (ss->version > store_schema_version)
		return store_fail(s,
		    "the store's schema version is %lld, newer than this "
		    "nethealth knows (%d): use a newer nethealth",
		    (long long)ss->version, store_schema_version);
	if (ss->version < 0)
		return store_fail(
		    s, "bad schema version %lld", (long long)ss->version);
	if (ss->version == 0 && ss->objects > 0)
		return store_fail(s,
		    "not a nethealth store (an SQLite database with tables of "
		    "its own and no nethealth schema)");
	return 0;
}

/* Runs SQL text without results (a migration, a pragma). */
static int
run(struct nh_store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		if (msg != NULL)
			store_fail(s, "%s", msg);
		else
			store_dbfail(s);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
store_schema_apply(struct nh_store *s)
{
	struct schema_state ss;
	char sql[128];

	/* First without a lock, so that a refused store is not written. */
	if (schema_read(s, &ss) == -1 || schema_check(s, &ss) == -1)
		return -1;
	if (ss.version == store_schema_version)
		return 0;
	if (store_begin(s) == -1)
		return -1;
	/* Again under the lock: another process may have migrated it. */
	if (schema_read(s, &ss) == -1 || schema_check(s, &ss) == -1)
		goto fail;
	for (int64_t v = ss.version; v < store_schema_version; v++) {
		if (run(s, migrations[v]) == -1) {
			store_context(s, "migrating the schema to version %lld",
			    (long long)v + 1);
			goto fail;
		}
	}
	snprintf(sql, sizeof(sql),
	    "PRAGMA user_version = %d; PRAGMA application_id = %d",
	    store_schema_version, STORE_APP_ID);
	if (run(s, sql) == -1)
		goto fail;
	return store_commit(s);
fail:
	store_rollback(s);
	return -1;
}
