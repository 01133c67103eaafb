/*
 * test_report_scan.c: the report on scan rounds, fed made-up stored
 * results (no store): adoption shares with not_tested and errors apart,
 * the ranking of gaps and who must act, progress between two rounds,
 * histogram bins, mean and median, groups by tag, and the renderers:
 * hostile strings escaped in HTML and cleaned for the terminal, RFC 4180
 * quoting in CSV, the keys of the JSON.
 *
 * With NH_REPORT_SAMPLE_HTML=FILE set, it also writes a sample report of
 * three rounds of every check to FILE (for tests/browser/check-html.js).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/checks.h"
#include "report/report.h"
#include "report/scan_impl.h"

/* ---- building results ---- */

#define MAXC 8

struct res {
	struct nh_store_result r;
	struct nh_store_check checks[MAXC];
	struct nh_store_category cats[MAXC];
};

/* A web result of domain with score, tags and no checks yet. */
static void
res_init(struct res *x, const char *domain, enum nh_test_type type, int score,
    const char *const *tags, size_t ntags)
{
	memset(x, 0, sizeof(*x));
	x->r.domain = domain;
	x->r.type = type;
	x->r.score = score;
	x->r.tags = tags;
	x->r.ntags = ntags;
	x->r.checks = x->checks;
	x->r.categories = x->cats;
}

static void
res_check(struct res *x, const char *id, const char *cat, enum nh_status st,
    const char *message)
{
	struct nh_store_check *c = &x->checks[x->r.nchecks++];

	assert_true(x->r.nchecks <= MAXC);
	c->id = id;
	c->category = cat;
	c->status = st;
	c->points = st == NH_PASSED ? 10 : 0;
	c->max = 10;
	c->message = message;
}

static void
res_cat(struct res *x, const char *id, enum nh_status st, int score)
{
	struct nh_store_category *c = &x->cats[x->r.ncategories++];

	assert_true(x->r.ncategories <= MAXC);
	c->id = id;
	c->status = st;
	c->score = score;
}

static struct nh_scan_agg *
agg_with_rounds(const char *by, int n)
{
	struct nh_scan_agg *a = nh_scan_agg_new(by);

	assert_non_null(a);
	for (int i = 1; i <= n; i++) {
		struct nh_store_round r = { .id = i,
			.source = "list.txt",
			.started = "2026-11-28T10:00:00Z",
			.finished = "2026-11-28T10:05:00Z",
			.web = true,
			.targets = 4 };

		assert_int_equal(nh_scan_agg_round(a, &r), 0);
	}
	return a;
}

/* One web result with one DNSSEC check of a status and a score. */
static void
add_simple(struct nh_scan_agg *a, int64_t round, const char *domain,
    enum nh_status st, int score)
{
	struct res x;

	res_init(&x, domain, NH_TEST_WEB, score, NULL, 0);
	res_check(&x, "web_dnssec_exist", "web_dnssec", st, NULL);
	res_cat(&x, "web_dnssec", st, score);
	assert_int_equal(nh_scan_agg_add(a, round, &x.r), 0);
}

static long
check_index(const struct nh_scan_agg *a, const char *id)
{
	for (size_t i = 0; i < a->nchecks; i++) {
		if (strcmp(a->checks[i].id, id) == 0)
			return (long)i;
	}
	return -1;
}

/* Renders into a string; caller frees. */
static char *
render(const struct nh_scan_agg *a, int which)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct nh_report_opts o = { 0 };

	assert_non_null(fp);
	if (which == 'h')
		assert_int_equal(nh_report_scan_html(fp, a), 0);
	else if (which == 'j')
		assert_int_equal(nh_report_scan_json(fp, a), 0);
	else
		assert_int_equal(nh_report_scan_text(fp, a, &o), 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

/* ---- aggregation ---- */

static void
test_adoption_shares(void **state)
{
	struct nh_scan_agg *a = agg_with_rounds(NULL, 1);
	const struct scan_stats *s;
	struct res x;
	long c;

	(void)state;
	assert_int_equal(nh_scan_agg_focus(a, 1, 0), 0);
	add_simple(a, 1, "a.test", NH_PASSED, 100);
	add_simple(a, 1, "b.test", NH_PASSED, 100);
	add_simple(a, 1, "c.test", NH_FAILED, 0);
	add_simple(a, 1, "d.test", NH_NOT_TESTED, -1);
	add_simple(a, 1, "e.test", NH_ERROR, 0);
	add_simple(a, 1, "f.test", NH_INFO, 50);
	/* A test that could not run counts apart, with no checks. */
	res_init(&x, "g.test", NH_TEST_WEB, -1, NULL, 0);
	x.r.error = "out of memory";
	assert_int_equal(nh_scan_agg_add(a, 1, &x.r), 0);
	assert_int_equal(nh_scan_agg_finish(a), 0);

	s = &a->rounds[a->cur].all;
	c = check_index(a, "web_dnssec_exist");
	assert_true(c >= 0);
	/* passed 2 of tested 4 (passed, failed, info): not_tested and error
	 * are neither. */
	assert_int_equal(scan_tested(scan_check_counts(s, (size_t)c)), 4);
	assert_int_equal(
	    (int)(scan_share(scan_check_counts(s, (size_t)c)) * 10), 500);
	assert_int_equal(scan_check_counts(s, (size_t)c)[NH_NOT_TESTED], 1);
	assert_int_equal(scan_check_counts(s, (size_t)c)[NH_ERROR], 1);
	assert_int_equal(s->domains, 7);
	assert_int_equal(s->type[NH_TEST_WEB].errors, 1);
	assert_int_equal(s->type[NH_TEST_WEB].unscored, 1);
	assert_int_equal(s->type[NH_TEST_WEB].scored, 5);
	assert_int_equal(a->errors_total, 1);
	assert_int_equal(a->nlisted, 1);
	assert_string_equal(a->listed[0].reason, "out of memory");
	/* Nothing tested: no share. */
	assert_true(scan_share(scan_check_counts(s, 999)) < 0);
	nh_scan_agg_free(a);
}

static void
test_gap_ranking(void **state)
{
	struct nh_scan_agg *a = agg_with_rounds(NULL, 1);
	static const char *const domains[] = { "a.test", "b.test", "c.test",
		"d.test" };
	/* hsts: 3 failed; dnssec_valid: 1 failed 2 warning (3 affected, fewer
	 * failed); dnssec_exist: 1 failed; ns_reach: all passed. */
	static const enum nh_status hsts[] = { NH_FAILED, NH_FAILED, NH_FAILED,
		NH_PASSED };
	static const enum nh_status valid[] = { NH_WARNING, NH_WARNING,
		NH_FAILED, NH_PASSED };
	static const enum nh_status exist[] = { NH_PASSED, NH_PASSED, NH_FAILED,
		NH_NOT_TESTED };

	(void)state;
	assert_int_equal(nh_scan_agg_focus(a, 1, 0), 0);
	for (int i = 0; i < 4; i++) {
		struct res x;

		res_init(&x, domains[i], NH_TEST_WEB, 50, NULL, 0);
		res_check(&x, "web_ipv6_ns_reach", "web_ipv6", NH_PASSED, NULL);
		res_check(&x, "web_dnssec_exist", "web_dnssec", exist[i], NULL);
		res_check(&x, "web_dnssec_valid", "web_dnssec", valid[i], NULL);
		res_check(
		    &x, "web_https_http_hsts", "web_https", hsts[i], NULL);
		assert_int_equal(nh_scan_agg_add(a, 1, &x.r), 0);
	}
	assert_int_equal(nh_scan_agg_finish(a), 0);
	assert_int_equal(a->ngaps, 3);
	assert_string_equal(a->checks[a->gaps[0]].id, "web_https_http_hsts");
	assert_string_equal(a->checks[a->gaps[1]].id, "web_dnssec_valid");
	assert_string_equal(a->checks[a->gaps[2]].id, "web_dnssec_exist");
	/* The catalog says who must act. */
	assert_non_null(a->checks[a->gaps[0]].text);
	assert_non_null(
	    strstr(a->checks[a->gaps[0]].text->stakeholder, "web-hoster"));
	/* domain-owner is named by all three: 3 + 3 + 1 affected. */
	assert_string_equal(a->stakeholders[0].name, "domain-owner");
	assert_int_equal(a->stakeholders[0].affected, 7);
	assert_int_equal(a->stakeholders[0].checks, 3);
	/* Report order follows the check table: IPv6 before DNSSEC. */
	assert_string_equal(
	    a->checks[a->check_order[0]].id, "web_ipv6_ns_reach");
	assert_string_equal(a->cats[a->cat_order[0]].id, "web_ipv6");
	nh_scan_agg_free(a);
}

static void
test_progress(void **state)
{
	struct nh_scan_agg *a = agg_with_rounds(NULL, 3);
	const struct scan_stats *now, *was;
	struct res x;
	long c;

	(void)state;
	/* Progress from round 1 to round 3; round 2 only feeds the trend. */
	assert_int_equal(nh_scan_agg_focus(a, 3, 1), 0);
	add_simple(a, 1, "a.test", NH_FAILED, 50);
	add_simple(a, 1, "b.test", NH_PASSED, 70);
	add_simple(a, 1, "c.test", NH_PASSED, 80);
	res_init(&x, "d.test", NH_TEST_WEB, -1, NULL, 0);
	x.r.error = "resolver failed";
	assert_int_equal(nh_scan_agg_add(a, 1, &x.r), 0);
	add_simple(a, 1, "gone.test", NH_FAILED, 10);
	add_simple(a, 2, "zzz.test", NH_PASSED, 100);

	add_simple(a, 3, "a.test", NH_PASSED, 60);
	add_simple(a, 3, "b.test", NH_FAILED, 40);
	add_simple(a, 3, "c.test", NH_PASSED, 80);
	add_simple(a, 3, "d.test", NH_PASSED, 50);
	add_simple(a, 3, "new.test", NH_PASSED, 90);
	/* a.test gets a mail test only now: a new test of an old domain. */
	res_init(&x, "a.test", NH_TEST_MAIL, 30, NULL, 0);
	assert_int_equal(nh_scan_agg_add(a, 3, &x.r), 0);
	assert_int_equal(nh_scan_agg_finish(a), 0);

	assert_int_equal(a->moves[NH_TEST_WEB][SCAN_IMPROVED], 1);
	assert_int_equal(a->moves[NH_TEST_WEB][SCAN_WORSENED], 1);
	assert_int_equal(a->moves[NH_TEST_WEB][SCAN_UNCHANGED], 1);
	assert_int_equal(a->moves[NH_TEST_WEB][SCAN_NOT_COMPARABLE], 1);
	assert_int_equal(a->moves[NH_TEST_WEB][SCAN_NEW], 1);
	assert_int_equal(a->moves[NH_TEST_WEB][SCAN_GONE], 1);
	assert_int_equal(a->moves[NH_TEST_MAIL][SCAN_NEW], 1);
	assert_int_equal(a->domains_new, 1);
	assert_int_equal(a->domains_gone, 1);
	assert_int_equal(a->nnew, 1);
	assert_string_equal(a->new_domains[0], "new.test");
	assert_string_equal(a->gone_domains[0], "gone.test");
	assert_int_equal(a->nimproved, 1);
	assert_string_equal(a->improved[0].domain, "a.test");
	assert_int_equal(a->improved[0].before, 50);
	assert_int_equal(a->improved[0].after, 60);
	assert_string_equal(a->worsened[0].domain, "b.test");
	/* zzz.test of round 2 is neither new nor gone. */
	assert_int_equal(a->ndomains, 6);

	/* Adoption change of the check: 3 of 5 passed, now 4 of 5. */
	c = check_index(a, "web_dnssec_exist");
	now = &a->rounds[2].all;
	was = &a->rounds[0].all;
	assert_int_equal(
	    (int)(scan_share(scan_check_counts(was, (size_t)c)) + 0.5), 50);
	assert_int_equal(
	    (int)(scan_share(scan_check_counts(now, (size_t)c)) + 0.5), 80);
	/* The trend has every round. */
	assert_int_equal(a->rounds[1].all.type[NH_TEST_WEB].scored, 1);
	nh_scan_agg_free(a);
}

static void
test_histogram(void **state)
{
	static const int scores[] = { 0, 9, 10, 55, 99, 100, 100 };
	struct nh_scan_agg *a = agg_with_rounds(NULL, 1);
	const struct scan_type_stats *t;
	long bins[SCAN_BINS];
	char name[32];

	(void)state;
	assert_int_equal(nh_scan_agg_focus(a, 1, 0), 0);
	for (size_t i = 0; i < sizeof(scores) / sizeof(scores[0]); i++) {
		snprintf(name, sizeof(name), "d%zu.test", i);
		add_simple(a, 1, name, NH_PASSED, scores[i]);
	}
	assert_int_equal(nh_scan_agg_finish(a), 0);
	t = &a->rounds[0].all.type[NH_TEST_WEB];
	scan_bins(t, bins);
	assert_int_equal(bins[0], 2); /* 0, 9 */
	assert_int_equal(bins[1], 1); /* 10 */
	assert_int_equal(bins[5], 1); /* 55 */
	assert_int_equal(bins[9], 3); /* 99, 100, 100 */
	for (int i = 2; i < 9; i++)
		assert_int_equal(bins[i], i == 5 ? 1 : 0);
	assert_int_equal((int)(scan_median(t) * 10), 550);
	/* (0 + 9 + 10 + 55 + 99 + 100 + 100) / 7 = 53.29 */
	assert_int_equal((int)(scan_mean(t) * 100), 5328);
	nh_scan_agg_free(a);

	/* An even count: the mean of the two middle ones. */

	a = agg_with_rounds(NULL, 1);
	assert_int_equal(nh_scan_agg_focus(a, 1, 0), 0);
	add_simple(a, 1, "a.test", NH_PASSED, 40);
	add_simple(a, 1, "b.test", NH_PASSED, 61);
	assert_int_equal(nh_scan_agg_finish(a), 0);
	t = &a->rounds[0].all.type[NH_TEST_WEB];
	assert_int_equal((int)(scan_median(t) * 10), 505);
	nh_scan_agg_free(a);
}

static void
test_groups(void **state)
{
	static const char *const t1[] = { "sector=health", "gov",
		"sector=finance", "sector=health" };
	static const char *const t2[] = { "gov", "sector=finance" };
	static const char *const t3[] = { "region=north" };
	struct nh_scan_agg *a;
	struct res x;

	(void)state;
	for (int pass = 0; pass < 2; pass++) {
		a = agg_with_rounds(pass == 0 ? "sector" : "tag", 1);
		assert_int_equal(nh_scan_agg_focus(a, 1, 0), 0);
		res_init(&x, "a.test", NH_TEST_WEB, 80, t1, 4);
		assert_int_equal(nh_scan_agg_add(a, 1, &x.r), 0);
		res_init(&x, "a.test", NH_TEST_MAIL, 20, t1, 4);
		assert_int_equal(nh_scan_agg_add(a, 1, &x.r), 0);
		res_init(&x, "b.test", NH_TEST_WEB, 40, t2, 2);
		assert_int_equal(nh_scan_agg_add(a, 1, &x.r), 0);
		res_init(&x, "c.test", NH_TEST_WEB, 10, t3, 1);
		assert_int_equal(nh_scan_agg_add(a, 1, &x.r), 0);
		assert_int_equal(nh_scan_agg_finish(a), 0);
		if (pass == 0) {
			/* finance (a, b), health (a), (none) (c). */
			assert_int_equal(a->ngroups, 3);
			assert_string_equal(
			    a->groups[a->group_order[0]], "finance");
			assert_string_equal(
			    a->groups[a->group_order[1]], "health");
			assert_string_equal(
			    a->groups[a->group_order[2]], "(none)");
			assert_int_equal(
			    scan_group_stats(&a->rounds[0], a->group_order[0])
				->domains,
			    2);
			/* health counted once though tagged twice; both
			 * tests of a.test in it. */
			assert_int_equal(
			    scan_group_stats(&a->rounds[0], a->group_order[1])
				->domains,
			    1);
			assert_int_equal(
			    scan_group_stats(&a->rounds[0], a->group_order[1])
				->type[NH_TEST_MAIL]
				.scored,
			    1);
		} else {
			/* gov (a, b), (none) (c). */
			assert_int_equal(a->ngroups, 2);
			assert_string_equal(
			    a->groups[a->group_order[0]], "gov");
			assert_int_equal(
			    scan_group_stats(&a->rounds[0], a->group_order[0])
				->domains,
			    2);
			assert_int_equal(
			    (int)scan_mean(&scan_group_stats(
				&a->rounds[0], a->group_order[0])
						->type[NH_TEST_WEB]),
			    60);
		}
		nh_scan_agg_free(a);
	}
}

/* ---- renderers ---- */

static const char *const hostile_tags[] = { "sector=<script>alert(1)</script>",
	"<img src=x onerror=alert(2)>" };
#define HOSTILE_DOMAIN "<script>alert(3)</script>\"'&.test"
#define HOSTILE_MESSAGE "<b>bold</b> & \"quoted\" <iframe src=//evil>"

static struct nh_scan_agg *
hostile_agg(void)
{
	struct nh_scan_agg *a = agg_with_rounds("sector", 2);
	struct res x;

	assert_int_equal(nh_scan_agg_focus(a, 2, 1), 0);
	for (int64_t round = 1; round <= 2; round++) {
		res_init(&x, HOSTILE_DOMAIN, NH_TEST_WEB, round == 1 ? 20 : 30,
		    hostile_tags, 2);
		res_check(&x, "web_dnssec_exist", "web_dnssec", NH_FAILED,
		    HOSTILE_MESSAGE);
		res_cat(&x, "web_dnssec", NH_FAILED, 0);
		assert_int_equal(nh_scan_agg_add(a, round, &x.r), 0);
		res_init(&x, "\033[31mred\033[0m.test\xff\xfe", NH_TEST_WEB, -1,
		    hostile_tags, 1);
		x.r.error = HOSTILE_MESSAGE " \033]0;title\007";
		assert_int_equal(nh_scan_agg_add(a, round, &x.r), 0);
	}
	res_init(&x, "<script>bad line", NH_TEST_WEB, -1, NULL, 0);
	x.r.invalid = true;
	x.r.error = "label <script> too long";
	assert_int_equal(nh_scan_agg_add(a, 2, &x.r), 0);
	assert_int_equal(nh_scan_agg_finish(a), 0);
	return a;
}

static void
test_html_escaping(void **state)
{
	struct nh_scan_agg *a = hostile_agg();
	char *html = render(a, 'h');

	(void)state;
	/* No markup from the store survives as markup. */
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "<iframe"));
	assert_null(strstr(html, "<b>"));
	assert_null(strstr(html, "\033"));
	assert_null(strstr(html, "\xff"));
	assert_non_null(strstr(html,
	    "&lt;script&gt;alert(3)&lt;/script&gt;"
	    "&quot;&#39;&amp;.test"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(html,
	    "&lt;b&gt;bold&lt;/b&gt; &amp; "
	    "&quot;quoted&quot;"));
	assert_non_null(strstr(html, "label &lt;script&gt; too long"));
	/* Self-contained and accessible. */
	assert_non_null(strstr(html, "<html lang=\"en\">"));
	assert_non_null(strstr(html, "Content-Security-Policy"));
	assert_null(strstr(html, "src=\""));
	assert_null(strstr(html, "href=\"http"));
	assert_null(strstr(html, "url("));
	assert_null(strstr(html, "<link"));
	assert_non_null(strstr(html, "<title id="));
	assert_non_null(strstr(html, "<desc id="));
	assert_non_null(strstr(html, "<th scope=\"col\""));
	assert_non_null(strstr(html, "@media print"));
	free(html);
	nh_scan_agg_free(a);
}

static void
test_text_summary(void **state)
{
	struct nh_scan_agg *a = hostile_agg();
	char *text = render(a, 't');

	(void)state;
	assert_non_null(strstr(text, "Biggest gaps"));
	assert_non_null(strstr(text, "who must act: domain-owner"));
	assert_non_null(strstr(text, "since round 1"));
	/* Terminal escapes from the store are defused. */
	assert_null(strstr(text, "\033"));
	assert_null(strstr(text, "\007"));
	assert_non_null(strstr(text, "\xef\xbf\xbd[31mred"));
	free(text);
	nh_scan_agg_free(a);
}

static void
test_csv_quoting(void **state)
{
	static const char *const tags[] = { "gov", "sector=a,b", "q\"t" };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct res x;

	(void)state;
	assert_non_null(fp);
	assert_int_equal(nh_report_scan_csv_header(fp), 0);
	res_init(&x, "a.test", NH_TEST_WEB, 50, tags, 3);
	res_check(&x, "web_dnssec_exist", "web_dnssec", NH_FAILED,
	    "not signed, \"really\"\nsecond line");
	res_check(&x, "web_dnssec_valid", "web_dnssec", NH_PASSED, NULL);
	assert_int_equal(nh_report_scan_csv(fp, 7, &x.r), 0);
	res_init(&x, "b.test", NH_TEST_MAIL, -1, NULL, 0);
	x.r.error = "out of memory";
	assert_int_equal(nh_report_scan_csv(fp, 7, &x.r), 0);
	res_init(&x, "bad line,with comma", NH_TEST_WEB, -1, NULL, 0);
	x.r.invalid = true;
	x.r.error = "empty label";
	assert_int_equal(nh_report_scan_csv(fp, 7, &x.r), 0);
	assert_int_equal(fclose(fp), 0);
	assert_string_equal(buf,
	    "round,domain,tags,test,category,check,status,points,max,message\r\n"
	    "7,a.test,\"gov;sector=a,b;q\"\"t\",web,web_dnssec,web_dnssec_exist,"
	    "failed,0,10,\"not signed, \"\"really\"\"\nsecond line\"\r\n"
	    "7,a.test,\"gov;sector=a,b;q\"\"t\",web,web_dnssec,web_dnssec_valid,"
	    "passed,10,10,\r\n"
	    "7,b.test,,mail,,,error,,,out of memory\r\n"
	    "7,\"bad line,with comma\",,,,,invalid,,,empty label\r\n");
	free(buf);
}

static void
test_json_keys(void **state)
{
	struct nh_scan_agg *a = hostile_agg();
	char *text = render(a, 'j');
	json_error_t e;
	json_t *j = json_loads(text, 0, &e), *v;

	(void)state;
	assert_non_null(j);
	for (const char *const *k = (const char *const[]){ "round",
		 "base_round", "by", "overall", "groups", "gaps",
		 "stakeholders", "progress", "trend", "errors", NULL };
	     *k != NULL; k++)
		assert_non_null(json_object_get(j, *k));
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(j, "round"), "id")),
	    2);
	v = json_object_get(
	    json_object_get(json_object_get(j, "overall"), "scores"), "web");
	assert_int_equal(json_array_size(json_object_get(v, "histogram")), 10);
	assert_true(json_is_number(json_object_get(v, "mean")));
	v = json_object_get(
	    json_object_get(json_object_get(j, "overall"), "checks"),
	    "web_dnssec_exist");
	assert_int_equal(json_integer_value(json_object_get(v, "failed")), 1);
	assert_true(json_is_number(json_object_get(v, "adoption_pct")));
	v = json_array_get(json_object_get(j, "gaps"), 0);
	assert_string_equal(
	    json_string_value(json_object_get(v, "check")), "web_dnssec_exist");
	assert_non_null(json_string_value(json_object_get(v, "stakeholder")));
	assert_non_null(json_string_value(json_object_get(v, "fix")));
	v = json_object_get(
	    json_object_get(json_object_get(j, "progress"), "tests"), "web");
	assert_int_equal(json_integer_value(json_object_get(v, "improved")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(v, "not_comparable")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "trend")), 2);
	v = json_object_get(j, "errors");
	assert_int_equal(json_integer_value(json_object_get(v, "invalid")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(v, "could_not_run")), 1);
	/* Invalid UTF-8 from the store became U+FFFD, not a failure. */
	assert_null(strstr(text, "\\u001b"));
	assert_non_null(strstr(text, "\xef\xbf\xbd[31mred"));
	assert_string_equal(
	    json_string_value(json_object_get(
		json_array_get(json_object_get(j, "groups"), 0), "group")),
	    "<script>alert(1)</script>");
	json_decref(j);
	free(text);
	nh_scan_agg_free(a);
}

static void
test_utf8_clean(void **state)
{
	char *s;

	(void)state;
	s = scan_utf8_clean("ok \xc3\xa9 \xff \xc2\x9b \xed\xa0\x80 \x01\t");
	assert_string_equal(s,
	    "ok \xc3\xa9 \xef\xbf\xbd \xef\xbf\xbd "
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
	    "\xef\xbf\xbd\t");
	free(s);
	s = scan_utf8_clean("cut \xe2\x82");
	assert_string_equal(s, "cut \xef\xbf\xbd\xef\xbf\xbd");
	free(s);
}

static void
test_api_misuse(void **state)
{
	struct nh_scan_agg *a = agg_with_rounds(NULL, 2);
	struct nh_store_round r = { .id = 1 };
	struct res x;

	(void)state;
	assert_int_equal(nh_scan_agg_round(a, &r), -1); /* twice */
	assert_int_equal(nh_scan_agg_focus(a, 9, 0), -1);
	assert_int_equal(nh_scan_agg_focus(a, 1, 1), -1);
	assert_int_equal(nh_scan_agg_focus(a, 2, 1), 0);
	res_init(&x, "a.test", NH_TEST_WEB, 50, NULL, 0);
	assert_int_equal(nh_scan_agg_add(a, 5, &x.r), -1);
	assert_int_equal(nh_scan_agg_finish(a), 0);
	nh_scan_agg_free(a);
	nh_scan_agg_free(NULL);
}

static void
test_empty_round(void **state)
{
	struct nh_scan_agg *a = agg_with_rounds("tag", 1);
	char *out;

	(void)state;
	assert_int_equal(nh_scan_agg_focus(a, 1, 0), 0);
	assert_int_equal(nh_scan_agg_finish(a), 0);
	out = render(a, 'h');
	assert_non_null(strstr(out, "No test results in this round"));
	assert_non_null(strstr(out, "</html>"));
	free(out);
	out = render(a, 'j');
	assert_non_null(strstr(out, "\"gaps\": []"));
	free(out);
	out = render(a, 't');
	assert_non_null(strstr(out, "no earlier round"));
	free(out);
	nh_scan_agg_free(a);
}

/* ---- a sample report of every check over three rounds ---- */

static unsigned
mix(const char *s, unsigned seed)
{
	unsigned h = 2166136261u ^ seed;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h ^ (h >> 15);
}

static void
sample_round(struct nh_scan_agg *a, int64_t round, int ndomains)
{
	static const char *const sectors[] = { "sector=health",
		"sector=finance", "sector=education", "sector=energy" };

	for (int d = 0; d < ndomains; d++) {
		char name[64];
		const char *tags[2];
		size_t ntags = 0;

		snprintf(name, sizeof(name), "%s%02d.example.test",
		    d % 3 ? "agency" : "city", d);
		if (d % 5 != 4)
			tags[ntags++] = sectors[d % 4];
		if (d % 2 == 0)
			tags[ntags++] = "gov";
		for (int t = 0; t < 2; t++) {
			struct nh_store_check checks[128];
			struct nh_store_category cats[16];
			struct nh_store_result r = { 0 };
			unsigned passed = 0, scored = 0;

			r.domain = name;
			r.tags = tags;
			r.ntags = ntags;
			r.type = (enum nh_test_type)t;
			r.checks = checks;
			r.categories = cats;
			if (d == 7 && round == 3) {
				r.score = -1;
				r.error = "the resolver timed out";
				assert_int_equal(
				    nh_scan_agg_add(a, round, &r), 0);
				continue;
			}
			for (size_t i = 0;
			     i < nh_check_count && r.nchecks < 128; i++) {
				const struct nh_check_def *c =
				    &nh_check_table[i];
				unsigned h = mix(name, (unsigned)i * 7 + t);
				/* Each round fixes a few more. */
				unsigned good = 45 + 12 * (unsigned)round +
				    (unsigned)(i % 5) * 8;
				struct nh_store_check *sc = &checks[r.nchecks];

				if ((int)nh_check_category(c)->meta.test != t)
					continue;
				sc->id = c->meta.id;
				sc->category = c->meta.category;
				sc->status = h % 100 < good ? NH_PASSED
				    : h % 7 == 0            ? NH_NOT_TESTED
				    : h % 11 == 0           ? NH_ERROR
							    : c->meta.worst;
				sc->max = c->meta.points;
				sc->points = sc->status == NH_PASSED
				    ? c->meta.points
				    : 0;
				sc->message = sc->status == NH_PASSED
				    ? NULL
				    : "as found on 192.0.2.1, \"quoted\"";
				passed += sc->status == NH_PASSED;
				scored += sc->status != NH_NOT_TESTED;
				r.nchecks++;
			}
			for (size_t i = 0; i < nh_category_count; i++) {
				const struct nh_category_def *c =
				    &nh_category_table[i];
				enum nh_status worst = NH_PASSED;

				if ((int)c->meta.test != t)
					continue;
				for (size_t k = 0; k < r.nchecks; k++) {
					if (strcmp(checks[k].category,
						c->meta.id) == 0 &&
					    checks[k].status < worst &&
					    checks[k].status != NH_ERROR)
						worst = checks[k].status;
				}
				cats[r.ncategories].id = c->meta.id;
				cats[r.ncategories].status = worst;
				cats[r.ncategories++].score = 0;
			}
			/* Spread the scores: a few failures cost a lot. */
			r.score = scored
			    ? (int)(100 * passed * passed * passed /
				  (scored * scored * scored))
			    : -1;
			assert_int_equal(nh_scan_agg_add(a, round, &r), 0);
		}
	}
	{
		struct nh_store_result r = { 0 };
		static const char *const tags[] = {
			"sector=<script>alert(1)</script>"
		};

		r.domain = "<script>alert('domain')</script>..test";
		r.invalid = true;
		r.error = "empty label <b>here</b>";
		r.tags = tags;
		r.ntags = 1;
		r.score = -1;
		assert_int_equal(nh_scan_agg_add(a, round, &r), 0);
	}
	{
		/* A long line without a space must not widen the page. */
		char line[400];
		struct nh_store_result r = { 0 };

		memset(line, 'x', sizeof(line) - 1);
		line[sizeof(line) - 1] = '\0';
		r.domain = line;
		r.invalid = true;
		r.error = "name longer than 253 characters";
		r.score = -1;
		assert_int_equal(nh_scan_agg_add(a, round, &r), 0);
	}
}

static void
test_sample_report(void **state)
{
	const char *out = getenv("NH_REPORT_SAMPLE_HTML");
	struct nh_scan_agg *a = nh_scan_agg_new("sector");
	static const char *const started[] = { "2026-09-01T08:00:00Z",
		"2026-10-01T08:00:00Z", "2026-11-01T08:00:00Z" };
	char *html;

	(void)state;
	assert_non_null(a);
	for (int i = 0; i < 3; i++) {
		struct nh_store_round r = { .id = i + 1,
			.source = "government-domains.txt",
			.started = started[i],
			.finished = started[i],
			.web = true,
			.mail = true,
			.targets = 36 + 2 * i,
			.invalid = 1,
			.results = 2 * (36 + 2 * i) };

		assert_int_equal(nh_scan_agg_round(a, &r), 0);
	}
	assert_int_equal(nh_scan_agg_focus(a, 3, 2), 0);
	for (int i = 0; i < 3; i++)
		sample_round(a, i + 1, 36 + 2 * i);
	assert_int_equal(nh_scan_agg_finish(a), 0);
	assert_true(a->ngaps > 10);
	html = render(a, 'h');
	assert_null(strstr(html, "<script"));
	if (out != NULL) {
		FILE *fp = fopen(out, "w");

		assert_non_null(fp);
		assert_int_equal(fputs(html, fp) >= 0, 1);
		assert_int_equal(fclose(fp), 0);
	}
	free(html);
	html = render(a, 't');
	if (getenv("NH_REPORT_SAMPLE_TEXT") != NULL)
		fputs(html, stdout);
	free(html);
	nh_scan_agg_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adoption_shares),
		cmocka_unit_test(test_gap_ranking),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_histogram),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_html_escaping),
		cmocka_unit_test(test_text_summary),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_json_keys),
		cmocka_unit_test(test_utf8_clean),
		cmocka_unit_test(test_api_misuse),
		cmocka_unit_test(test_empty_round),
		cmocka_unit_test(test_sample_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
