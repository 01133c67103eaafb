/*
 * test_store.c: the results store on a temporary file: opening (and what
 * it refuses), rounds begun, resumed and finished, targets with tags and
 * invalid lines, results written once and in one transaction, what is
 * pending, results read back as they were written, reopening, and the
 * canonical dump.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/store.h"

/* The web test: IPv6 (scored) and the security options (not scored). */
static const struct nh_category_meta cat_ipv6 = { "web_ipv6", NH_TEST_WEB, 0,
	NULL };
static const struct nh_category_meta cat_appsec = { "web_appsecpriv",
	NH_TEST_WEB, 0, NULL };
static const struct nh_check_meta ns_address = { "web_ipv6_ns_address",
	"web_ipv6", NH_FAILED, 0 };
static const struct nh_check_meta ns_reach = { "web_ipv6_ns_reach", "web_ipv6",
	NH_FAILED, 10 };
static const struct nh_check_meta xfo = { "web_appsecpriv_x_frame_options",
	"web_appsecpriv", NH_INFO, 0 };
/* An id no real check has: quotes, a semicolon, SQL, a space. */
static const struct nh_check_meta odd = {
	"web_odd 'quoted' \"twice\"; DROP TABLE checks; --", "web_appsecpriv",
	NH_WARNING, 0
};
/* The mail test, one category. */
static const struct nh_category_meta cat_auth = { "mail_auth", NH_TEST_MAIL, 0,
	NULL };
static const struct nh_check_meta spf = { "mail_auth_spf_policy", "mail_auth",
	NH_FAILED, 10 };

/* The evidence column of ns_reach as make_web() builds it. */
#define REACH_EVIDENCE \
	"{\"servers\":[{\"max_points\":10,\"points\":10,\"server\":" \
	"\"2001:db8::53\",\"status\":\"passed\"},{\"evidence\":" \
	"{\"timeout_ms\":5000},\"max_points\":10,\"message\":\"unreachable " \
	"over IPv6\",\"points\":0,\"server\":\"2001:db8::54\",\"status\":" \
	"\"failed\"}]}"

struct fx {
	char path[64];
	struct nh_store *s;
};

static void
unlink_db(const char *path)
{
	char p[96];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-journal", path);
	unlink(p);
}

/* A fresh file name in /tmp (the file exists, empty). */
static void
tmp_path(char *path, size_t size)
{
	int fd;

	snprintf(path, size, "/tmp/nh-store-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

static struct nh_store *
open_ok(const char *path)
{
	const char *err = NULL;
	struct nh_store *s = nh_store_open(path, &err);

	if (s == NULL)
		fail_msg("open %s: %s", path, err);
	return s;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	tmp_path(f->path, sizeof(f->path));
	f->s = open_ok(f->path);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	nh_store_close(f->s);
	unlink_db(f->path);
	free(f);
	return 0;
}

static int64_t
begin(struct nh_store *s, const char *key, bool *resumed)
{
	struct nh_round_spec spec = { key, "gov.txt", "{\"concurrency\":8}",
		true, true };
	bool r;
	int64_t id = nh_store_round_begin(s, &spec, resumed ? resumed : &r);

	if (id <= 0)
		fail_msg("round_begin: %s", nh_store_error(s));
	return id;
}

/*
 * A realistic web result: two name servers with IPv6, one of two web
 * addresses unreachable, X-Frame-Options missing; `variant` changes the
 * order of the findings and the timing, not the verdicts.
 */
static struct nh_test_result *
make_web(const char *domain, int variant)
{
	struct nh_test_result *t;
	struct nh_check_result *c;
	const char *ns[2] = { "ns1.example.test", "ns2.example.test" };

	t = nh_test_result_new(domain, NH_TEST_WEB, 4, 2);
	assert_non_null(t);
	snprintf(
	    t->started, sizeof(t->started), "2026-11-28T09:00:0%dZ", variant);
	t->duration_ms = 812 + variant;
	t->categories[0].meta = &cat_ipv6;
	t->categories[1].meta = &cat_appsec;

	c = &t->checks[0];
	nh_check_result_init(c, &ns_address);
	for (int i = 0; i < 2; i++) {
		const char *n = ns[variant ? 1 - i : i];

		assert_non_null(nh_check_result_add_server(
		    c, n, NH_PASSED, 0, NULL, json_pack("{s:s}", "name", n)));
	}
	nh_check_result_finish(c);

	c = &t->checks[1];
	nh_check_result_init(c, &ns_reach);
	assert_non_null(nh_check_result_add_server(
	    c, "2001:db8::53", NH_PASSED, 10, NULL, NULL));
	assert_non_null(nh_check_result_add_server(c, "2001:db8::54", NH_FAILED,
	    0, "unreachable over IPv6",
	    json_pack("{s:i}", "timeout_ms", 5000)));
	nh_check_result_finish(c);

	c = &t->checks[2];
	nh_check_result_init(c, &xfo);
	assert_int_equal(
	    nh_check_result_set(c, NH_FAILED, 0, "no X-Frame-Options header"),
	    0);
	c->evidence = json_pack("{s:n,s:i}", "header", "status", 200);
	assert_non_null(c->evidence);
	nh_check_result_finish(c);

	c = &t->checks[3];
	nh_check_result_init(c, &odd);
	assert_int_equal(nh_check_result_set(c, NH_WARNING, 0,
			     "line one\nline \"two\"\t\\ caf\xc3\xa9"),
	    0);
	nh_check_result_finish(c);

	nh_score(t);
	return t;
}

static struct nh_test_result *
make_mail(const char *domain)
{
	struct nh_test_result *t;

	t = nh_test_result_new(domain, NH_TEST_MAIL, 1, 1);
	assert_non_null(t);
	strcpy(t->started, "2026-11-28T09:00:01Z");
	t->duration_ms = 40;
	t->categories[0].meta = &cat_auth;
	nh_check_result_init(&t->checks[0], &spf);
	assert_int_equal(
	    nh_check_result_set(&t->checks[0], NH_PASSED, 10, "v=spf1 -all"),
	    0);
	nh_check_result_finish(&t->checks[0]);
	nh_score(t);
	return t;
}

static void
put(struct nh_store *s, int64_t round, struct nh_test_result *t, json_t *facts)
{
	if (nh_store_put_result(s, round, t, facts) != 0)
		fail_msg("put_result: %s", nh_store_error(s));
	nh_test_result_free(t);
	json_decref(facts);
}

/* The targets most tests use: three domains, an invalid line. */
static const char *const tags_gov[] = { "nl", "gov" };
static const char *const tags_dup[] = { "x", "x", "y" };
static const struct nh_store_target targets[] = {
	{ "zeta.test", "zeta.test", NULL, tags_gov, 2, 1 },
	{ "Alpha.test.", "alpha.test", NULL, NULL, 0, 2 },
	{ "bad..test", NULL, "empty label", tags_gov, 1, 3 },
	{ "mid.test", "mid.test", NULL, tags_dup, 3, 5 },
	{ "-x-", NULL, "hyphen at the start of a label", NULL, 0, 4 },
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static void
put_targets(struct nh_store *s, int64_t round)
{
	if (nh_store_round_targets(s, round, targets, NTARGETS) != 0)
		fail_msg("round_targets: %s", nh_store_error(s));
}

/* Collects a walk's domains as "a,b,c". */
struct names {
	char buf[512];
	int stop_after; /* > 0: stop at that call */
	int calls;
};

static int
collect(const char *domain, void *arg)
{
	struct names *n = arg;
	size_t len = strlen(n->buf);

	snprintf(
	    n->buf + len, sizeof(n->buf) - len, "%s%s", len ? "," : "", domain);
	return ++n->calls == n->stop_after;
}

static const char *
pending(
    struct nh_store *s, int64_t round, enum nh_test_type type, struct names *n)
{
	memset(n, 0, sizeof(*n));
	if (nh_store_round_pending(s, round, type, collect, n) != 0)
		fail_msg("round_pending: %s", nh_store_error(s));
	return n->buf;
}

/* Collects nh_store_rounds(). */
struct rounds {
	struct {
		int64_t id;
		char key[48], source[32], options[64];
		bool started, finished, web, mail, survey;
		long targets, invalid, results;
	} r[8];
	int n;
};

static int
collect_round(const struct nh_store_round *r, void *arg)
{
	struct rounds *rs = arg;

	assert_true(rs->n < 8);
	rs->r[rs->n].id = r->id;
	snprintf(rs->r[rs->n].key, sizeof(rs->r[0].key), "%s", r->key);
	snprintf(rs->r[rs->n].source, sizeof(rs->r[0].source), "%s", r->source);
	snprintf(
	    rs->r[rs->n].options, sizeof(rs->r[0].options), "%s", r->options);
	rs->r[rs->n].started = r->started != NULL && strlen(r->started) == 20;
	rs->r[rs->n].finished = r->finished != NULL;
	rs->r[rs->n].web = r->web;
	rs->r[rs->n].mail = r->mail;
	rs->r[rs->n].targets = r->targets;
	rs->r[rs->n].invalid = r->invalid;
	rs->r[rs->n].results = r->results;
	rs->r[rs->n].survey = r->survey;
	rs->n++;
	return 0;
}

static void
rounds(struct nh_store *s, struct rounds *rs)
{
	memset(rs, 0, sizeof(*rs));
	if (nh_store_rounds(s, collect_round, rs) != 0)
		fail_msg("rounds: %s", nh_store_error(s));
}

static void
test_open_refused(void **state)
{
	char path[64];
	const char *err = NULL;
	sqlite3 *db;
	FILE *fp;

	(void)state;
	assert_null(nh_store_open("/nonexistent/dir/x.db", &err));
	assert_string_equal(err,
	    "cannot open /nonexistent/dir/x.db: unable to open database file");

	/* Not SQLite at all. */
	tmp_path(path, sizeof(path));
	assert_non_null(fp = fopen(path, "w"));
	for (int i = 0; i < 200; i++)
		fputs("this is not a database, just text\n", fp);
	assert_int_equal(fclose(fp), 0);
	assert_null(nh_store_open(path, &err));
	assert_non_null(strstr(err, "file is not a database"));
	unlink_db(path);

	/* SQLite, but another program's. */
	tmp_path(path, sizeof(path));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "CREATE TABLE mine (x)", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	assert_null(nh_store_open(path, &err));
	assert_non_null(strstr(err, "not a nethealth store"));
	unlink_db(path);
	nh_store_close(NULL);
}

static void
test_newer_schema_refused(void **state)
{
	struct fx *f = *state;
	const char *err = NULL;
	sqlite3 *db;
	sqlite3_stmt *st;

	begin(f->s, "k", NULL);
	nh_store_close(f->s);
	f->s = NULL;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);

	assert_null(nh_store_open(f->path, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, f->path));
	assert_non_null(strstr(err,
	    "schema version is 99, newer than this "
	    "nethealth knows (3)"));

	/* Left as it was. */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 99);
	assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void
test_round_begin_resume(void **state)
{
	struct fx *f = *state;
	struct rounds rs;
	bool resumed = true;
	int64_t a, b, c;

	a = begin(f->s, "key-a", &resumed);
	assert_false(resumed);
	/* Begun, but its targets never recorded: the caller lists them. */
	assert_int_equal(begin(f->s, "key-a", &resumed), a);
	assert_false(resumed);
	put_targets(f->s, a);
	assert_int_equal(begin(f->s, "key-a", &resumed), a);
	assert_true(resumed);
	b = begin(f->s, "key-b", &resumed);
	assert_false(resumed);
	assert_true(b != a);

	/* Finished: the same key starts a new round. */
	assert_int_equal(nh_store_round_finish(f->s, a), 0);
	c = begin(f->s, "key-a", &resumed);
	assert_false(resumed);
	assert_true(c != a && c != b);
	assert_int_equal(nh_store_round_targets(f->s, c, NULL, 0), 0);
	assert_int_equal(begin(f->s, "key-a", &resumed), c);
	assert_false(resumed); /* an empty list: nothing to resume */
	assert_int_equal(nh_store_round_targets(f->s, c, targets, 1), 0);
	assert_int_equal(begin(f->s, "key-a", &resumed), c);
	assert_true(resumed);

	rounds(f->s, &rs);
	assert_int_equal(rs.n, 3);
	assert_int_equal(rs.r[0].id, a);
	assert_string_equal(rs.r[0].key, "key-a");
	assert_string_equal(rs.r[0].source, "gov.txt");
	assert_string_equal(rs.r[0].options, "{\"concurrency\":8}");
	assert_true(rs.r[0].started);
	assert_true(rs.r[0].finished);
	assert_true(rs.r[0].web && rs.r[0].mail);
	assert_int_equal(rs.r[1].id, b);
	assert_false(rs.r[1].finished);
	assert_int_equal(rs.r[2].id, c);
	assert_false(rs.r[2].finished);

	assert_int_equal(nh_store_round_finish(f->s, 999), -1);
	assert_string_equal(
	    nh_store_error(f->s), "cannot finish round 999: no round 999");
}

static void
test_targets_and_pending(void **state)
{
	struct fx *f = *state;
	struct nh_store_target dup[2] = {
		{ "a.test", "a.test", NULL, NULL, 0, 1 },
		{ "A.test", "a.test", NULL, NULL, 0, 2 },
	};
	struct rounds rs;
	struct names n;
	int64_t r, r2;

	r = begin(f->s, "k", NULL);
	put_targets(f->s, r);
	/* Valid targets only, in list order (not by name). */
	assert_string_equal(
	    pending(f->s, r, NH_TEST_WEB, &n), "zeta.test,alpha.test,mid.test");
	assert_string_equal(pending(f->s, r, NH_TEST_MAIL, &n),
	    "zeta.test,alpha.test,mid.test");

	put(f->s, r, make_web("alpha.test", 0), NULL);
	assert_int_equal(nh_store_put_error(f->s, r, "zeta.test", NH_TEST_MAIL,
			     "out of memory"),
	    0);
	assert_string_equal(
	    pending(f->s, r, NH_TEST_WEB, &n), "zeta.test,mid.test");
	assert_string_equal(
	    pending(f->s, r, NH_TEST_MAIL, &n), "alpha.test,mid.test");

	rounds(f->s, &rs);
	assert_int_equal(rs.r[0].targets, 3);
	assert_int_equal(rs.r[0].invalid, 2);
	assert_int_equal(rs.r[0].results, 2);
	assert_int_equal(nh_store_round_results(f->s, r), 2);
	assert_int_equal(nh_store_round_results(f->s, r + 1000), 0);

	/* Once per round. */
	assert_int_equal(nh_store_round_targets(f->s, r, targets, 1), -1);
	assert_non_null(strstr(nh_store_error(f->s), "already"));

	/* A duplicate domain: refused, and nothing of the list is kept. */
	r2 = begin(f->s, "k2", NULL);
	assert_int_equal(nh_store_round_targets(f->s, r2, dup, 2), -1);
	assert_string_equal(nh_store_error(f->s),
	    "cannot record the targets of round 2: a.test (line 2) listed "
	    "twice");
	assert_string_equal(pending(f->s, r2, NH_TEST_WEB, &n), "");
	assert_int_equal(nh_store_round_targets(f->s, r2, dup, 1), 0);
	assert_string_equal(pending(f->s, r2, NH_TEST_WEB, &n), "a.test");

	/* A callback that stops the walk. */
	memset(&n, 0, sizeof(n));
	n.stop_after = 2;
	assert_int_equal(
	    nh_store_round_pending(f->s, r, NH_TEST_WEB, collect, &n), -1);
	assert_string_equal(n.buf, "zeta.test,mid.test");
	assert_non_null(strstr(nh_store_error(f->s), "stopped"));

	/* A round that does not exist. */
	assert_int_equal(
	    nh_store_round_pending(f->s, 77, NH_TEST_WEB, collect, &n), -1);
	assert_non_null(strstr(nh_store_error(f->s), "no round 77"));
	assert_int_equal(nh_store_round_targets(f->s, 77, targets, 1), -1);
	assert_int_equal(
	    nh_store_put_error(f->s, 77, "x.test", NH_TEST_WEB, "why"), -1);
	assert_string_equal(nh_store_error(f->s),
	    "cannot store the web error of x.test: no round 77");
}

/* A pending walk's callback may write results (as a scanner does). */
struct writer {
	struct nh_store *s;
	int64_t round;
	int n;
};

static int
write_each(const char *domain, void *arg)
{
	struct writer *w = arg;

	w->n++;
	return nh_store_put_error(w->s, w->round, domain, NH_TEST_WEB, "x");
}

static void
test_pending_callback_writes(void **state)
{
	struct fx *f = *state;
	struct writer w = { f->s, 0, 0 };
	struct names n;

	w.round = begin(f->s, "k", NULL);
	put_targets(f->s, w.round);
	if (nh_store_round_pending(
		f->s, w.round, NH_TEST_WEB, write_each, &w) != 0)
		fail_msg("pending: %s", nh_store_error(f->s));
	assert_int_equal(w.n, 3);
	assert_string_equal(pending(f->s, w.round, NH_TEST_WEB, &n), "");
}

/* Walks a round, checking what make_web() and make_mail() wrote. */
struct seen {
	char order[512];
	bool facts_wanted;
	int checked;
};

static void
check_good_web(
    const struct nh_store_result *r, const char *facts, struct seen *sn)
{
	struct nh_test_result *t = make_web(r->domain, 0);

	assert_false(r->invalid);
	assert_int_equal(r->score, t->score);
	assert_null(r->error);
	assert_string_equal(r->started, "2026-11-28T09:00:00Z");
	assert_int_equal(r->duration_ms, 812);
	assert_int_equal(r->ncategories, 2);
	assert_string_equal(r->categories[0].id, "web_ipv6");
	assert_int_equal(r->categories[0].status, t->categories[0].status);
	assert_int_equal(r->categories[0].score, t->categories[0].score);
	assert_string_equal(r->categories[1].id, "web_appsecpriv");
	assert_int_equal(r->categories[1].score, -1);
	assert_int_equal(r->nchecks, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(r->checks[i].id, t->checks[i].meta->id);
		assert_string_equal(
		    r->checks[i].category, t->checks[i].meta->category);
		assert_int_equal(r->checks[i].status, t->checks[i].status);
		assert_int_equal(r->checks[i].points, t->checks[i].points);
		assert_int_equal(r->checks[i].max, t->checks[i].max);
	}
	/* The worst finding decides; the lowest points count. */
	assert_int_equal(r->checks[1].status, NH_FAILED);
	assert_int_equal(r->checks[1].points, 0);
	assert_int_equal(r->checks[1].max, 10);
	assert_null(r->checks[1].message);
	assert_string_equal(r->checks[1].evidence, REACH_EVIDENCE);
	assert_string_equal(r->checks[0].evidence,
	    "{\"servers\":[{\"evidence\":{\"name\":\"ns1.example.test\"},"
	    "\"max_points\":0,\"points\":0,\"server\":\"ns1.example.test\","
	    "\"status\":\"passed\"},{\"evidence\":{\"name\":"
	    "\"ns2.example.test\"},\"max_points\":0,\"points\":0,\"server\":"
	    "\"ns2.example.test\",\"status\":\"passed\"}]}");
	/* Clamped to the check's worst status. */
	assert_int_equal(r->checks[2].status, NH_INFO);
	assert_string_equal(r->checks[2].message, "no X-Frame-Options header");
	assert_string_equal(r->checks[2].evidence,
	    "{\"evidence\":{\"header\":null,\"status\":200}}");
	assert_string_equal(r->checks[3].id, odd.id);
	assert_int_equal(r->checks[3].status, NH_WARNING);
	assert_string_equal(
	    r->checks[3].message, "line one\nline \"two\"\t\\ caf\xc3\xa9");
	assert_null(r->checks[3].evidence);
	assert_int_equal(r->ntags, 2);
	assert_string_equal(r->tags[0], "nl");
	assert_string_equal(r->tags[1], "gov");
	if (sn->facts_wanted)
		assert_string_equal(facts, "{\"a\":1,\"b\":[true,null]}");
	else
		assert_null(facts);
	nh_test_result_free(t);
	sn->checked++;
}

static int
see(const struct nh_store_result *r, const char *facts, void *arg)
{
	struct seen *sn = arg;
	size_t len = strlen(sn->order);

	snprintf(sn->order + len, sizeof(sn->order) - len, "%s%s/%s%s",
	    len ? "," : "", r->domain, nh_test_type_name(r->type),
	    r->invalid ? "/invalid" : "");
	if (r->invalid) {
		assert_int_equal(r->score, -1);
		assert_int_equal(r->nchecks, 0);
		assert_int_equal(r->ncategories, 0);
		assert_null(facts);
		assert_non_null(r->error);
		if (strcmp(r->domain, "bad..test") == 0) {
			assert_string_equal(r->error, "empty label");
			assert_int_equal(r->ntags, 1);
			assert_string_equal(r->tags[0], "nl");
		}
		return 0;
	}
	if (strcmp(r->domain, "zeta.test") == 0 && r->type == NH_TEST_WEB)
		check_good_web(r, facts, sn);
	if (strcmp(r->domain, "zeta.test") == 0 && r->type == NH_TEST_MAIL) {
		assert_int_equal(r->score, 100);
		assert_int_equal(r->nchecks, 1);
		assert_int_equal(r->checks[0].status, NH_PASSED);
		assert_int_equal(r->checks[0].points, 10);
		assert_string_equal(r->checks[0].message, "v=spf1 -all");
		assert_null(r->checks[0].evidence);
		assert_null(facts);
	}
	if (strcmp(r->domain, "mid.test") == 0) {
		/* A test that could not run. */
		assert_int_equal(r->score, -1);
		assert_string_equal(r->error, "resolver failed");
		assert_null(r->started);
		assert_int_equal(r->nchecks, 0);
		/* A repeated tag is kept once. */
		assert_int_equal(r->ntags, 2);
		assert_string_equal(r->tags[0], "x");
		assert_string_equal(r->tags[1], "y");
	}
	return 0;
}

/* Fills a round: zeta web (with facts) and mail, alpha web, mid error. */
static int64_t
fill(struct nh_store *s)
{
	int64_t r = begin(s, "k", NULL);

	put_targets(s, r);
	put(s, r, make_mail("zeta.test"), NULL);
	put(s, r, make_web("alpha.test", 1), NULL);
	put(s, r, make_web("zeta.test", 0),
	    json_pack("{s:[b,n],s:i}", "b", 1, "a", 1));
	assert_int_equal(nh_store_put_error(
			     s, r, "mid.test", NH_TEST_WEB, "resolver failed"),
	    0);
	return r;
}

#define ORDER \
	"alpha.test/web,mid.test/web,zeta.test/web,zeta.test/mail," \
	"bad..test/web/invalid,-x-/web/invalid"

static void
test_each_result(void **state)
{
	struct fx *f = *state;
	struct seen sn = { "", true, 0 };
	int64_t r = fill(f->s);

	if (nh_store_each_result(f->s, r, true, see, &sn) != 0)
		fail_msg("each_result: %s", nh_store_error(f->s));
	assert_string_equal(sn.order, ORDER);
	assert_int_equal(sn.checked, 1);

	memset(&sn, 0, sizeof(sn));
	assert_int_equal(nh_store_each_result(f->s, r, false, see, &sn), 0);
	assert_string_equal(sn.order, ORDER);
	assert_int_equal(sn.checked, 1);

	assert_int_equal(nh_store_each_result(f->s, 42, false, see, &sn), -1);
	assert_string_equal(nh_store_error(f->s),
	    "cannot read the results of round 42: no round 42");
}

static void
test_put_twice(void **state)
{
	struct fx *f = *state;
	struct nh_test_result *t;
	struct seen sn = { "", true, 0 };
	struct rounds rs;
	int64_t r = fill(f->s);

	/* A second result for zeta.test's web test, different: ignored. */
	t = make_web("zeta.test", 1);
	t->score = 3;
	assert_int_equal(
	    nh_check_result_set(&t->checks[2], NH_PASSED, 0, "changed"), 0);
	put(f->s, r, t, json_pack("{s:i}", "other", 1));
	assert_int_equal(
	    nh_store_put_error(f->s, r, "zeta.test", NH_TEST_MAIL, "again"), 0);

	rounds(f->s, &rs);
	assert_int_equal(rs.r[0].results, 4);
	assert_int_equal(nh_store_each_result(f->s, r, true, see, &sn), 0);
	assert_string_equal(sn.order, ORDER);
	assert_int_equal(sn.checked, 1); /* the first, as it was */
}

static void
test_reopen(void **state)
{
	struct fx *f = *state;
	struct seen sn = { "", true, 0 };
	struct names n;
	bool resumed = false;
	int64_t r = fill(f->s);

	nh_store_close(f->s);
	f->s = open_ok(f->path);
	assert_int_equal(begin(f->s, "k", &resumed), r);
	assert_true(resumed);
	assert_int_equal(nh_store_each_result(f->s, r, true, see, &sn), 0);
	assert_string_equal(sn.order, ORDER);
	assert_int_equal(sn.checked, 1);
	assert_string_equal(pending(f->s, r, NH_TEST_WEB, &n), "");
	assert_string_equal(
	    pending(f->s, r, NH_TEST_MAIL, &n), "alpha.test,mid.test");
}

/* A failure in the middle of a put leaves nothing of it. */
static void
test_put_atomic(void **state)
{
	struct fx *f = *state;
	struct nh_test_result *t;
	struct rounds rs;
	struct names n;
	sqlite3 *db;
	int64_t r;

	r = begin(f->s, "k", NULL);
	put_targets(f->s, r);
	/* Another connection makes the fourth check's insert fail. */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
			     "CREATE TRIGGER boom BEFORE INSERT ON checks"
			     " WHEN NEW.pos = 3 BEGIN"
			     " SELECT RAISE(ABORT, 'boom'); END",
			     NULL, NULL, NULL),
	    SQLITE_OK);
	t = make_web("alpha.test", 0);
	assert_int_equal(nh_store_put_result(f->s, r, t, NULL), -1);
	assert_string_equal(nh_store_error(f->s),
	    "cannot store the web result of alpha.test: boom");
	rounds(f->s, &rs);
	assert_int_equal(rs.r[0].results, 0);
	assert_string_equal(
	    pending(f->s, r, NH_TEST_WEB, &n), "zeta.test,alpha.test,mid.test");

	assert_int_equal(
	    sqlite3_exec(db, "DROP TRIGGER boom", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	assert_int_equal(nh_store_put_result(f->s, r, t, NULL), 0);
	nh_test_result_free(t);
	assert_string_equal(
	    pending(f->s, r, NH_TEST_WEB, &n), "zeta.test,mid.test");
}

/* A walk's callback may not start the same walk again. */
struct nest {
	struct nh_store *s;
	int64_t round;
	int calls, inner_rc;
	char inner_err[256];
};

static int
nested(const struct nh_store_result *r, const char *facts, void *arg)
{
	struct nest *n = arg;
	struct seen sn;

	(void)r;
	(void)facts;
	if (n->calls++ == 0) {
		memset(&sn, 0, sizeof(sn));
		n->inner_rc =
		    nh_store_each_result(n->s, n->round, false, see, &sn);
		snprintf(n->inner_err, sizeof(n->inner_err), "%s",
		    nh_store_error(n->s));
	}
	return 0;
}

static void
test_nested_walk(void **state)
{
	struct fx *f = *state;
	struct nest n = { f->s, 0, 0, 0, "" };

	n.round = fill(f->s);
	assert_int_equal(
	    nh_store_each_result(f->s, n.round, false, nested, &n), 0);
	assert_int_equal(n.calls, 6);
	assert_int_equal(n.inner_rc, -1);
	assert_non_null(strstr(n.inner_err, "same walk"));
}

static char *
dump(struct nh_store *s, int64_t round)
{
	char *buf = NULL;
	size_t len;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	if (nh_store_dump(s, round, fp) != 0)
		fail_msg("dump: %s", nh_store_error(s));
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static void
test_dump(void **state)
{
	struct fx *f = *state;
	struct nh_store *s2;
	char path[64], *a, *b;
	int64_t r1, r2;

	/* The same scan, results in another order, other times. */
	r1 = fill(f->s);
	tmp_path(path, sizeof(path));
	s2 = open_ok(path);
	begin(s2, "other", NULL);
	r2 = begin(s2, "k", NULL);
	put_targets(s2, r2);
	assert_int_equal(nh_store_put_error(s2, r2, "mid.test", NH_TEST_WEB,
			     "resolver failed"),
	    0);
	put(s2, r2, make_web("zeta.test", 1), NULL);
	put(s2, r2, make_web("alpha.test", 0),
	    json_pack("{s:s}", "facts", "differ"));
	put(s2, r2, make_mail("zeta.test"), NULL);

	a = dump(f->s, r1);
	b = dump(s2, r2);
	assert_string_equal(a, b);
	assert_null(strstr(a, "2026-"));
	assert_null(strstr(a, "812"));
	assert_non_null(strstr(a,
	    "target \"alpha.test\" tags=[]\n"
	    "target \"mid.test\" tags=[\"x\",\"y\"]\n"
	    "target \"zeta.test\" tags=[\"gov\",\"nl\"]\n"
	    "invalid line=3 input=\"bad..test\" error=\"empty label\" "
	    "tags=[\"nl\"]\n"
	    "invalid line=4 input=\"-x-\" error=\"hyphen at the start of a "
	    "label\" tags=[]\n"
	    "test \"alpha.test\" web score=0 error=null\n"
	    "category \"alpha.test\" web \"web_appsecpriv\" warning score=null\n"
	    "category \"alpha.test\" web \"web_ipv6\" failed score=0\n"
	    "check \"alpha.test\" web \"web_appsecpriv_x_frame_options\" "
	    "category=\"web_appsecpriv\" info points=0/0 message=\"no "
	    "X-Frame-Options header\" evidence={\"evidence\":{\"header\":"
	    "null,\"status\":200}}\n"
	    "check \"alpha.test\" web \"web_ipv6_ns_address\""));
	assert_non_null(strstr(a,
	    "check \"zeta.test\" web \"web_odd 'quoted' \\\"twice\\\"; DROP "
	    "TABLE checks; --\" category=\"web_appsecpriv\" warning "
	    "points=0/0 message=\"line one\\u000aline \\\"two\\\"\\u0009\\\\ "
	    "caf\xc3\xa9\" evidence=null\n"));
	assert_non_null(strstr(a,
	    "test \"mid.test\" web score=null error=\"resolver failed\"\n"
	    "test \"zeta.test\" web"));
	free(a);
	free(b);

	/* A difference shows. */
	assert_int_equal(
	    nh_store_put_error(s2, r2, "alpha.test", NH_TEST_MAIL, "timeout"),
	    0);
	a = dump(f->s, r1);
	b = dump(s2, r2);
	assert_string_not_equal(a, b);
	free(a);
	free(b);

	assert_int_equal(nh_store_dump(s2, 99, stdout), -1);
	assert_string_equal(
	    nh_store_error(s2), "cannot dump round 99: no round 99");
	nh_store_close(s2);
	unlink_db(path);
}

/* ---- the web site's tests and the batch API's requests ---- */

struct live_seen {
	char id[40], state[16], error[80], result[64], finished[32];
	int score, n;
	enum nh_test_type type;
};

static int
on_live(const struct nh_store_live *t, void *arg)
{
	struct live_seen *x = arg;

	x->n++;
	snprintf(x->id, sizeof(x->id), "%s", t->id);
	snprintf(x->state, sizeof(x->state), "%s", t->state);
	snprintf(x->error, sizeof(x->error), "%s", t->error ? t->error : "");
	snprintf(
	    x->result, sizeof(x->result), "%s", t->result ? t->result : "");
	snprintf(x->finished, sizeof(x->finished), "%s",
	    t->finished ? t->finished : "");
	x->score = t->score;
	x->type = t->type;
	return 0;
}

static void
live(struct nh_store *s, const char *id, const char *domain,
    enum nh_test_type type, const char *state, int score)
{
	struct nh_store_live t = { .id = id,
		.type = type,
		.domain = domain,
		.client = "192.0.2.1",
		.state = state,
		.score = score,
		.result = strcmp(state, "done") == 0 ? "{\"score\":1}" : NULL };

	if (nh_store_live_put(s, &t) == -1)
		fail_msg("live_put: %s", nh_store_error(s));
}

static void
test_live(void **state)
{
	struct fx *f = *state;
	struct live_seen x = { 0 };
	char id[33] = "";

	live(f->s, "a1", "good.test", NH_TEST_WEB, "queued", -1);
	assert_int_equal(nh_store_live_get(f->s, "a1", on_live, &x), 1);
	assert_string_equal(x.state, "queued");
	assert_string_equal(x.finished, "");
	assert_int_equal(x.score, -1);
	assert_int_equal(nh_store_live_get(f->s, "nope", on_live, &x), 0);
	assert_int_equal(
	    nh_store_live_recent(f->s, "good.test", NH_TEST_WEB, 200, id), 0);

	/* Done: replaced in place, finished stamped, found as recent. */
	live(f->s, "a1", "good.test", NH_TEST_WEB, "done", 100);
	memset(&x, 0, sizeof(x));
	assert_int_equal(nh_store_live_get(f->s, "a1", on_live, &x), 1);
	assert_int_equal(x.n, 1);
	assert_string_equal(x.state, "done");
	assert_int_equal(x.score, 100);
	assert_string_equal(x.result, "{\"score\":1}");
	assert_true(strlen(x.finished) == 20);
	assert_int_equal(
	    nh_store_live_recent(f->s, "good.test", NH_TEST_WEB, 200, id), 1);
	assert_string_equal(id, "a1");
	assert_int_equal(
	    nh_store_live_recent(f->s, "good.test", NH_TEST_MAIL, 200, id), 0);

	/* Interrupted: queued and running become errors, done stays. */
	live(f->s, "b2", "other.test", NH_TEST_MAIL, "running", -1);
	live(f->s, "c3", "third.test", NH_TEST_WEB, "queued", -1);
	assert_int_equal(nh_store_live_interrupt(f->s, "stopped"), 2);
	memset(&x, 0, sizeof(x));
	nh_store_live_get(f->s, "b2", on_live, &x);
	assert_string_equal(x.state, "error");
	assert_string_equal(x.error, "stopped");
	assert_int_equal(x.type, NH_TEST_MAIL);
	memset(&x, 0, sizeof(x));
	nh_store_live_get(f->s, "a1", on_live, &x);
	assert_string_equal(x.state, "done");
}

struct hof {
	char line[512];
};

static int
on_hof(const struct nh_store_live *t, void *arg)
{
	struct hof *h = arg;
	size_t n = strlen(h->line);

	snprintf(h->line + n, sizeof(h->line) - n, "%s/%s/%s ", t->domain,
	    nh_test_type_name(t->type), t->id);
	return 0;
}

/* The hall of fame holds a domain's test only if its latest scored 100. */
static void
test_hof(void **state)
{
	struct fx *f = *state;
	struct hof h = { { 0 } };

	live(f->s, "1", "good.test", NH_TEST_WEB, "done", 100);
	live(f->s, "2", "good.test", NH_TEST_MAIL, "done", 100);
	live(f->s, "3", "fell.test", NH_TEST_WEB, "done", 100);
	live(f->s, "4", "fell.test", NH_TEST_WEB, "done", 80);
	live(f->s, "5", "rose.test", NH_TEST_WEB, "done", 70);
	live(f->s, "6", "rose.test", NH_TEST_WEB, "done", 100);
	live(f->s, "7", "rose.test", NH_TEST_WEB, "error", -1);
	live(f->s, "8", "alpha.test", NH_TEST_MAIL, "running", -1);
	assert_int_equal(nh_store_hof(f->s, on_hof, &h), 0);
	assert_string_equal(
	    h.line, "good.test/web/1 good.test/mail/2 rose.test/web/6 ");
}

struct blist {
	char ids[256];
	char status[32];
	int64_t round;
};

static int
on_batch(const struct nh_store_batch *b, void *arg)
{
	struct blist *l = arg;
	size_t n = strlen(l->ids);

	snprintf(l->ids + n, sizeof(l->ids) - n, "%s ", b->id);
	snprintf(l->status, sizeof(l->status), "%s", b->status);
	l->round = b->round;
	return 0;
}

static void
test_batch(void **state)
{
	struct fx *f = *state;
	int64_t r1 = begin(f->s, "batch:1", NULL),
		r2 = begin(f->s, "batch:2", NULL);
	struct nh_store_batch b1 = { "id1", "alice", "first", NH_TEST_WEB,
		"running", NULL, NULL, r1 };
	struct nh_store_batch b2 = { "id2", "bob", "second", NH_TEST_MAIL,
		"running", NULL, NULL, r2 };
	struct nh_store_batch b3 = { "id3", "alice", "third", NH_TEST_WEB,
		"running", NULL, NULL, r2 };
	struct blist l = { 0 };

	assert_int_equal(nh_store_batch_new(f->s, &b1), 0);
	assert_int_equal(nh_store_batch_new(f->s, &b2), 0);
	assert_int_equal(nh_store_batch_new(f->s, &b3), 0);
	assert_int_equal(nh_store_batch_new(f->s, &b3), -1); /* same id */

	assert_int_equal(
	    nh_store_batch_get(f->s, "id2", "alice", on_batch, &l), 0);
	assert_int_equal(
	    nh_store_batch_get(f->s, "id2", "bob", on_batch, &l), 1);
	assert_int_equal(l.round, r2);
	assert_int_equal(
	    nh_store_batch_get(f->s, "id2", NULL, on_batch, &l), 1);

	/* Newest first, limited; all users with NULL; active oldest first. */
	memset(&l, 0, sizeof(l));
	nh_store_batch_list(f->s, "alice", 0, false, on_batch, &l);
	assert_string_equal(l.ids, "id3 id1 ");
	memset(&l, 0, sizeof(l));
	nh_store_batch_list(f->s, NULL, 2, false, on_batch, &l);
	assert_string_equal(l.ids, "id3 id2 ");
	assert_int_equal(nh_store_batch_status(f->s, "id1", "done", true), 0);
	assert_int_equal(
	    nh_store_batch_status(f->s, "id3", "cancelled", true), 0);
	memset(&l, 0, sizeof(l));
	nh_store_batch_list(f->s, NULL, 0, true, on_batch, &l);
	assert_string_equal(l.ids, "id2 ");
	memset(&l, 0, sizeof(l));
	nh_store_batch_get(f->s, "id1", NULL, on_batch, &l);
	assert_string_equal(l.status, "done");
}

/* A version-1 store (before the web site's tables and the survey's) is
 * migrated on open, its rounds kept. */
static void
test_migrate_from_1(void **state)
{
	struct fx *f = *state;
	struct blist l = { 0 };
	sqlite3 *db;
	int64_t r = begin(f->s, "old", NULL);

	nh_store_close(f->s);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
			     "DROP TABLE survey_results;"
			     "DROP TABLE live_tests; DROP TABLE batch_requests;"
			     "PRAGMA user_version = 1",
			     NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	f->s = open_ok(f->path);
	assert_int_equal(begin(f->s, "old", NULL), r); /* still there */
	live(f->s, "a1", "good.test", NH_TEST_WEB, "queued", -1);
	struct nh_store_batch b = { "id1", "alice", "n", NH_TEST_WEB, "running",
		NULL, NULL, r };
	assert_int_equal(nh_store_batch_new(f->s, &b), 0);
	assert_int_equal(
	    nh_store_batch_get(f->s, "id1", NULL, on_batch, &l), 1);
	assert_true(nh_store_survey_begin(f->s, NULL, NULL) > r);
}

/* A version-2 store (before the survey's table) is migrated on open. */
static void
test_migrate_from_2(void **state)
{
	struct fx *f = *state;
	struct nh_survey_record rec;
	struct rounds rs;
	sqlite3 *db;
	int64_t r = begin(f->s, "old", NULL), sv;

	nh_store_close(f->s);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
			     "DROP TABLE survey_results;"
			     "PRAGMA user_version = 2",
			     NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	f->s = open_ok(f->path);
	sv = nh_store_survey_begin(f->s, "x", NULL);
	assert_true(sv > r);
	memset(&rec, 0, sizeof(rec));
	snprintf(rec.ip, sizeof(rec.ip), "192.0.2.1");
	rec.amplification = -1;
	assert_int_equal(nh_store_survey_put(f->s, sv, &rec, 1), 0);
	rounds(f->s, &rs);
	assert_int_equal(rs.n, 2);
	assert_false(rs.r[0].survey);
	assert_true(rs.r[1].survey);
}

/* ---- survey rounds ---- */

/* A record of service svc at ip. */
static struct nh_survey_record
survey_rec(
    const char *ip, enum nh_svc svc, bool open, uint32_t asn, const char *cc)
{
	struct nh_survey_record r;

	memset(&r, 0, sizeof(r));
	r.ts = 1700000000; /* 2023-11-14T22:13:20Z */
	snprintf(r.ip, sizeof(r.ip), "%s", ip);
	r.svc = svc;
	r.port = nh_svc_table[svc].port;
	r.open = open;
	r.bytes_out = 60;
	r.bytes_in = 3000;
	r.packets_in = 2;
	r.amplification = 50.0;
	r.asn = asn;
	snprintf(r.cc, sizeof(r.cc), "%s", cc);
	snprintf(r.detail, sizeof(r.detail), "version=ntpd 4.2.6");
	snprintf(r.source, sizeof(r.source), "survey");
	return r;
}

struct srecs {
	struct nh_survey_record r[8];
	int n;
	int stop_at; /* stop the walk at this record (0: never) */
};

static int
collect_survey(const struct nh_survey_record *r, void *arg)
{
	struct srecs *c = arg;

	assert_true(c->n < 8);
	c->r[c->n++] = *r;
	return c->stop_at != 0 && c->n == c->stop_at;
}

static void
test_survey(void **state)
{
	struct fx *f = *state;
	struct nh_survey_record in[3];
	struct srecs out = { 0 };
	struct rounds rs;
	int64_t domain, r1, r2;

	domain = begin(f->s, "k1", NULL);
	r1 = nh_store_survey_begin(f->s, "192.0.2.0/24", "{\"rate\":100}");
	r2 = nh_store_survey_begin(f->s, NULL, NULL);
	assert_true(r1 > domain);
	assert_true(r2 > r1);

	in[0] = survey_rec("192.0.2.1", NH_SVC_NTP_MONLIST, true, 64500, "NL");
	in[1] = survey_rec("2001:db8::1", NH_SVC_DNS, false, 0, "");
	in[1].amplification = -1;
	snprintf(in[1].detail, sizeof(in[1].detail),
	    "it's \"odd\"; DROP TABLE survey_results; --");
	in[2] = survey_rec("192.0.2.2", NH_SVC_MEMCACHED, true, 64501, "DE");
	/* An unterminated country is cut at two characters. */
	memcpy(in[2].cc, "DEX", 3);
	assert_int_equal(nh_store_survey_put(f->s, r1, in, 3), 0);
	assert_int_equal(nh_store_survey_put(f->s, r1, in, 0), 0);

	/* Not a survey round; no such round; a bad record: nothing
	 * written. */
	assert_int_equal(nh_store_survey_put(f->s, domain, in, 1), -1);
	assert_non_null(strstr(nh_store_error(f->s), "not a survey round"));
	assert_int_equal(nh_store_survey_put(f->s, 999, in, 1), -1);
	assert_non_null(strstr(nh_store_error(f->s), "no round 999"));
	{
		struct nh_survey_record bad[2] = { in[0], in[0] };

		bad[1].svc = NH_SVC_COUNT;
		assert_int_equal(nh_store_survey_put(f->s, r2, bad, 2), -1);
		assert_int_equal(
		    nh_store_survey_each(f->s, r2, collect_survey, &out), 0);
		assert_int_equal(out.n, 0);
	}

	assert_int_equal(
	    nh_store_survey_each(f->s, r1, collect_survey, &out), 0);
	assert_int_equal(out.n, 3);
	assert_string_equal(out.r[0].ip, "192.0.2.1");
	assert_int_equal(out.r[0].svc, NH_SVC_NTP_MONLIST);
	assert_int_equal(out.r[0].port, 123);
	assert_true(out.r[0].open);
	assert_int_equal(out.r[0].bytes_out, 60);
	assert_int_equal(out.r[0].bytes_in, 3000);
	assert_int_equal(out.r[0].packets_in, 2);
	assert_true(out.r[0].amplification == 50.0);
	assert_int_equal(out.r[0].asn, 64500);
	assert_string_equal(out.r[0].cc, "NL");
	assert_string_equal(out.r[0].detail, "version=ntpd 4.2.6");
	assert_string_equal(out.r[0].source, "survey");
	assert_int_equal((long long)out.r[0].ts, 1700000000LL);
	assert_string_equal(out.r[1].ip, "2001:db8::1");
	assert_false(out.r[1].open);
	assert_true(out.r[1].amplification == -1);
	assert_int_equal(out.r[1].asn, 0);
	assert_string_equal(out.r[1].cc, "");
	assert_string_equal(
	    out.r[1].detail, "it's \"odd\"; DROP TABLE survey_results; --");
	assert_string_equal(out.r[2].cc, "DE");

	/* A callback that stops the walk. */
	memset(&out, 0, sizeof(out));
	out.stop_at = 1;
	assert_int_equal(
	    nh_store_survey_each(f->s, r1, collect_survey, &out), -1);
	assert_non_null(strstr(nh_store_error(f->s), "stopped"));
	assert_int_equal(
	    nh_store_survey_each(f->s, 999, collect_survey, &out), -1);

	/* Listed as survey rounds; the domain round is not one. */
	assert_int_equal(nh_store_survey_finish(f->s, r1), 0);
	assert_int_equal(nh_store_survey_finish(f->s, 999), -1);
	rounds(f->s, &rs);
	assert_int_equal(rs.n, 3);
	assert_false(rs.r[0].survey);
	assert_true(rs.r[1].survey);
	assert_true(rs.r[2].survey);
	assert_int_equal(strncmp(rs.r[1].key, "survey:", 7), 0);
	assert_string_not_equal(rs.r[1].key, rs.r[2].key);
	assert_string_equal(rs.r[1].source, "192.0.2.0/24");
	assert_string_equal(rs.r[1].options, "{\"rate\":100}");
	assert_true(rs.r[1].started);
	assert_true(rs.r[1].finished);
	assert_false(rs.r[2].finished);
	assert_false(rs.r[1].web);
	assert_false(rs.r[1].mail);
	assert_int_equal(rs.r[1].targets, 0);
	assert_int_equal(rs.r[1].results, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_refused),
		cmocka_unit_test_setup_teardown(
		    test_newer_schema_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_round_begin_resume, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_targets_and_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_pending_callback_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_each_result, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_put_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_put_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_nested_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_live, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hof, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_migrate_from_1, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_migrate_from_2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_survey, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
