/*
 * page_result.c: one interactive test's page: its progress while it is
 * queued or running, then the result (score, verdict, each category and
 * check with the catalog's texts, findings per server, evidence,
 * technical details, permalink), or why it could not run.
 *
 * The result is the JSON of DESIGN.md ("categories" and "checks" objects
 * in report order, "servers" the facts); it is read, never changed, and
 * every string of it is escaped.
 */
#include <string.h>

#include "catalog/catalog.h"
#include "page_impl.h"
#include "pages.h"

/* The test's permanent address: its link, or /test/ID. */
static void
permalink(FILE *fp, const struct nh_live_view *v)
{
	if (v->link != NULL) {
		page_esc(fp, v->link);
		return;
	}
	fputs("/test/", fp);
	page_esc(fp, v->id);
}

/* "12 s", "3 min 5 s". */
static void
elapsed_words(FILE *fp, double secs)
{
	long s = secs > 0 && secs < 1e9 ? (long)secs : 0;

	if (s < 60)
		fprintf(fp, "%ld s", s);
	else
		fprintf(fp, "%ld min %ld s", s / 60, s % 60);
}

static const char *
state_words(enum nh_live_state st)
{
	switch (st) {
	case NH_LIVE_QUEUED:
		return "Waiting for a free slot";
	case NH_LIVE_RUNNING:
		return "Running";
	case NH_LIVE_DONE:
		return "Done";
	case NH_LIVE_ERROR:
		break;
	}
	return "Could not run";
}

int
nh_page_progress(FILE *fp, const struct nh_live_view *v)
{
	const char *label = page_type_label(v->type);

	page_head(fp,
	    v->type == NH_TEST_MAIL ? "Testing e-mail" : "Testing website",
	    v->domain, PAGE_NAV_NONE, PAGE_REFRESH);
	fprintf(fp, "<h1>Testing the %s of <span class=\"domain\">",
	    v->type == NH_TEST_MAIL ? "e-mail" : "website");
	page_esc(fp, v->domain);
	fputs("</span></h1>\n<section id=\"progress\" class=\"progress\" "
	      "data-id=\"",
	    fp);
	page_esc(fp, v->id);
	fprintf(fp, "\" data-elapsed=\"%.1f\" aria-label=\"Progress\">\n",
	    v->elapsed > 0 && v->elapsed < 1e9 ? v->elapsed : 0.0);
	fputs("<dl class=\"facts\">\n<dt>Domain</dt><dd>", fp);
	page_esc(fp, v->domain);
	fprintf(fp,
	    "</dd>\n<dt>Test</dt><dd>%s</dd>\n"
	    "<dt>State</dt><dd><span id=\"state\" role=\"status\">%s</span>"
	    "</dd>\n<dt>Elapsed</dt><dd><span id=\"elapsed\">",
	    label, state_words(v->state));
	elapsed_words(fp, v->elapsed);
	fputs("</span></dd>\n<dt>Started</dt><dd>", fp);
	page_time(fp, v->created);
	fputs("</dd>\n</dl>\n"
	      "<div class=\"bar\" aria-hidden=\"true\"><span></span></div>\n"
	      "<p>Most tests take between ten seconds and a minute. This "
	      "page shows the result as soon as it is ready; without "
	      "JavaScript it reloads itself every two seconds.</p>\n"
	      "<p>The result will stay at <a href=\"/test/",
	    fp);
	page_esc(fp, v->id);
	fputs("\">this permanent link</a>: you may leave and come back.</p>\n"
	      "</section>\n",
	    fp);
	return page_foot(fp);
}

/* ---- the result ---- */

static const char *
json_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* An integer member, or def when missing or not an integer. */
static long long
json_int(const json_t *o, const char *key, long long def)
{
	const json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : def;
}

/* The title of a catalog key, or the key itself. */
static const char *
title_of(const char *key)
{
	const struct nh_text *t = key != NULL ? nh_catalog_get(key) : NULL;

	return t != NULL ? t->title : key;
}

/* The verdict line under the score. */
static void
verdict(FILE *fp, enum nh_test_type type, const json_t *cats, int score)
{
	size_t failed = 0, warned = 0, errors = 0, scored = 0;
	const char *what =
	    type == NH_TEST_MAIL ? "this domain's e-mail" : "this website";
	const char *k, *cls, *head;
	json_t *c;

	json_object_foreach((json_t *)cats, k, c)
	{
		enum nh_status st = page_status(json_str(c, "status"));

		failed += st == NH_FAILED;
		warned += st == NH_WARNING;
		errors += st == NH_ERROR;
		scored += json_is_integer(json_object_get(c, "score"));
	}
	if (failed > 0) {
		cls = "bad";
		head = "Needs work";
	} else if (errors > 0) {
		cls = "incomplete";
		head = "Incomplete";
	} else if (score < 0) {
		cls = "incomplete";
		head = "Not scored";
	} else if (warned > 0) {
		cls = "advice";
		head = "Good, with advice";
	} else {
		cls = "good";
		head = "Good";
	}
	fprintf(fp,
	    "<p id=\"verdict\" class=\"verdict %s\"><strong>%s:"
	    "</strong> ",
	    cls, head);
	if (failed > 0)
		fprintf(fp,
		    "%s falls short of the standards in %zu of %zu "
		    "categories; the findings below say what to fix.",
		    what, failed, json_object_size(cats));
	else if (errors > 0)
		fputs("some checks could not run, so the score leaves them "
		      "out; try again later.",
		    fp);
	else if (score < 0)
		fputs("no category could be tested.", fp);
	else if (warned > 0)
		fprintf(fp,
		    "%s meets the requirements tested; some "
		    "recommendations are not followed.",
		    what);
	else
		fprintf(fp, "%s follows the standards tested.", what);
	if (failed > 0 && errors > 0)
		fputs(" Some checks could not run.", fp);
	if (scored < json_object_size(cats) && score >= 0)
		fputs(" Categories marked &ldquo;not scored&rdquo; are left "
		      "out of the score.",
		    fp);
	fputs("</p>\n", fp);
}

static void
summary(FILE *fp, const struct nh_live_view *v, const json_t *res, int score)
{
	long long ms = json_int(res, "duration_ms", -1);

	fputs("<section class=\"summary\" aria-label=\"Summary\">\n"
	      "<div class=\"score-box\">\n<p class=\"score-label\">Score</p>\n",
	    fp);
	if (score >= 0)
		fprintf(fp,
		    "<p class=\"score\"><span id=\"score\">%d</span>"
		    "<span class=\"pct\">%%</span></p>\n",
		    score);
	else
		fputs("<p class=\"score none\">No score</p>\n", fp);
	fputs("</div>\n", fp);
	verdict(fp, v->type, json_object_get(res, "categories"), score);
	fprintf(fp, "<dl class=\"facts\">\n<dt>Test</dt><dd>%s</dd>\n",
	    page_type_label(v->type));
	fputs("<dt>Tested</dt><dd>", fp);
	page_time(fp, v->finished != NULL ? v->finished : v->created);
	fputs("</dd>\n", fp);
	if (ms > 0)
		fprintf(fp, "<dt>Duration</dt><dd>%.1f s</dd>\n",
		    (double)ms / 1000.0);
	fputs("<dt>Permanent link</dt><dd class=\"permalink\">"
	      "<a id=\"permalink\" href=\"",
	    fp);
	permalink(fp, v);
	fputs("\">", fp);
	permalink(fp, v);
	fputs("</a> <button type=\"button\" id=\"copy-permalink\" "
	      "class=\"button small\" hidden>Copy link</button> "
	      "<span id=\"copy-status\" role=\"status\"></span></dd>\n"
	      "</dl>\n</section>\n",
	    fp);
}

/* The score of a category in words: "80%" or "not scored". */
static void
cat_score(FILE *fp, const json_t *c)
{
	long long s = json_int(c, "score", -1);

	if (s >= 0 && s <= 100)
		fprintf(fp, "<span class=\"cat-score\">%lld%%</span>", s);
	else
		fputs("<span class=\"cat-score none\">not scored</span>", fp);
}

/* The list of categories at the top, each linking to its section. */
static void
contents(FILE *fp, const json_t *cats)
{
	const char *k;
	json_t *c;

	if (json_object_size(cats) == 0)
		return;
	fputs("<nav class=\"contents\" aria-label=\"Categories\">\n"
	      "<ul>\n",
	    fp);
	json_object_foreach((json_t *)cats, k, c)
	{
		fputs("<li><a href=\"#cat-", fp);
		page_esc(fp, k);
		fputs("\">", fp);
		page_esc(fp, title_of(k));
		fputs("</a> ", fp);
		page_badge(fp, page_status(json_str(c, "status")));
		fputs(" ", fp);
		cat_score(fp, c);
		fputs("</li>\n", fp);
	}
	fputs("</ul>\n</nav>\n", fp);
}

static void
points(FILE *fp, const json_t *o)
{
	long long max = json_int(o, "max_points", 0);

	if (max > 0)
		fprintf(fp, "%lld of %lld", json_int(o, "points", 0), max);
	else
		fputs("not counted", fp);
}

/* The check's "servers": one row per server. */
static void
servers_table(FILE *fp, const char *title, const json_t *servers)
{
	size_t i;
	json_t *s;

	fputs("<h3>Per server</h3>\n<div class=\"table-wrap\" "
	      "role=\"region\" tabindex=\"0\" aria-label=\"Per server: ",
	    fp);
	page_esc(fp, title);
	fputs("\">\n<table class=\"servers\">\n<thead><tr>"
	      "<th scope=\"col\">Server</th><th scope=\"col\">Status</th>"
	      "<th scope=\"col\">Points</th><th scope=\"col\">Finding</th>"
	      "</tr></thead>\n<tbody>\n",
	    fp);
	json_array_foreach(servers, i, s)
	{
		fputs("<tr><th scope=\"row\">", fp);
		page_esc(fp, json_str(s, "server"));
		fputs("</th><td>", fp);
		page_badge(fp, page_status(json_str(s, "status")));
		fputs("</td><td>", fp);
		points(fp, s);
		fputs("</td><td>", fp);
		page_esc(fp, json_str(s, "message"));
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n</div>\n", fp);
}

/* The evidence of the check and of each server, pretty JSON. */
static int
evidence(FILE *fp, const json_t *check, const json_t *servers)
{
	const json_t *ev = json_object_get(check, "evidence");
	bool any = ev != NULL;
	size_t i;
	json_t *s;

	json_array_foreach(servers, i, s) any =
	    any || json_object_get(s, "evidence") != NULL;
	if (!any)
		return 0;
	fputs("<h3>Evidence</h3>\n", fp);
	if (page_json_pre(fp, ev) != 0)
		return -1;
	json_array_foreach(servers, i, s)
	{
		ev = json_object_get(s, "evidence");
		if (ev == NULL)
			continue;
		fputs("<details class=\"evidence\"><summary>", fp);
		page_esc(fp, json_str(s, "server"));
		fputs("</summary>\n", fp);
		if (page_json_pre(fp, ev) != 0)
			return -1;
		fputs("</details>\n", fp);
	}
	return 0;
}

static int
check(FILE *fp, const char *id, const json_t *c)
{
	const char *key = json_str(c, "advice");
	const struct nh_text *t = nh_catalog_get(key != NULL ? key : id);
	enum nh_status st = page_status(json_str(c, "status"));
	const char *msg = json_str(c, "message"), *cat;
	const json_t *servers = json_object_get(c, "servers");

	if (t == NULL)
		t = nh_catalog_get(id);
	fprintf(
	    fp, "<details class=\"check %s\" id=\"check-", nh_status_name(st));
	page_esc(fp, id);
	fputs("\">\n<summary>", fp);
	page_badge(fp, st);
	fputs(" <span class=\"check-title\">", fp);
	page_esc(fp, t != NULL ? t->title : id);
	fputs("</span>", fp);
	if (msg != NULL && *msg != '\0') {
		fputs("<span class=\"check-message\">", fp);
		page_esc(fp, msg);
		fputs("</span>", fp);
	}
	fputs("</summary>\n<div class=\"check-body\">\n<p class=\"points\">"
	      "Points: ",
	    fp);
	points(fp, c);
	cat = json_str(c, "category");
	if (cat != NULL && t != NULL) {
		fputs(" &middot; <a href=\"/standards/", fp);
		page_esc(fp, cat);
		fputs("#", fp);
		page_esc(fp, id);
		fputs("\">This check on the standards page</a>", fp);
	}
	fputs("</p>\n", fp);
	page_catalog_entry(fp, t, 3);
	if (json_array_size(servers) > 0)
		servers_table(fp, t != NULL ? t->title : id, servers);
	if (evidence(fp, c, json_is_array(servers) ? servers : NULL) != 0)
		return -1;
	fputs("</div>\n</details>\n", fp);
	return 0;
}

/* One category's section; c is NULL for checks of no listed category
 * ("other"). */
static int
category(FILE *fp, const char *id, const json_t *c, const json_t *checks,
    const json_t *cats)
{
	const struct nh_text *t = c != NULL ? nh_catalog_get(id) : NULL;
	const char *k;
	json_t *ch;

	fputs("<section class=\"category\" id=\"cat-", fp);
	page_esc(fp, c != NULL ? id : "other");
	fputs("\" aria-labelledby=\"cat-", fp);
	page_esc(fp, c != NULL ? id : "other");
	fputs("-h\">\n<h2 id=\"cat-", fp);
	page_esc(fp, c != NULL ? id : "other");
	fputs("-h\">", fp);
	page_esc(fp, c == NULL ? "Other checks" : t != NULL ? t->title : id);
	fputs("</h2>\n", fp);
	if (c != NULL) {
		fputs("<p class=\"cat-result\">", fp);
		page_badge(fp, page_status(json_str(c, "status")));
		fputs(" ", fp);
		cat_score(fp, c);
		if (t != NULL) {
			fputs(" &middot; <a href=\"/standards/", fp);
			page_esc(fp, id);
			fputs("\">About ", fp);
			page_esc(fp, t->title);
			fputs("</a>", fp);
		}
		fputs("</p>\n", fp);
	}
	json_object_foreach((json_t *)checks, k, ch)
	{
		const char *cc = json_str(ch, "category");
		bool mine = c != NULL
		    ? cc != NULL && strcmp(cc, id) == 0
		    : cc == NULL || json_object_get(cats, cc) == NULL;

		if (mine && check(fp, k, ch) != 0)
			return -1;
	}
	fputs("</section>\n", fp);
	return 0;
}

static const struct {
	const char *key, *label;
} tech_labels[] = {
	{ "ns", "Name servers" },
	{ "a", "IPv4 addresses (A)" },
	{ "aaaa", "IPv6 addresses (AAAA)" },
	{ "web", "Web server addresses" },
	{ "dnssec", "DNSSEC" },
	{ "caa", "CAA records" },
	{ "tls", "TLS of the web server" },
	{ "http", "HTTP and security headers" },
	{ "mx", "Mail servers (MX)" },
	{ "mx_tls", "STARTTLS of the mail servers" },
	{ "auth", "SPF, DKIM and DMARC" },
	{ "rpki", "Route origin validation (RPKI)" },
};

static int
technical(FILE *fp, const json_t *servers)
{
	const char *k;
	json_t *v;
	bool any_scalar = false;

	if (!json_is_object(servers) || json_object_size(servers) == 0)
		return 0;
	fputs("<section class=\"technical\" id=\"technical\" "
	      "aria-labelledby=\"technical-h\">\n"
	      "<h2 id=\"technical-h\">Technical details</h2>\n"
	      "<p>What nethealth saw, per name server, web server, mail "
	      "server and address.</p>\n",
	    fp);
	json_object_foreach((json_t *)servers, k, v)
	{
		if (!json_is_object(v) && !json_is_array(v)) {
			if (!any_scalar)
				fputs("<dl class=\"kv\">\n", fp);
			any_scalar = true;
			fputs("<dt>", fp);
			page_key_words(fp, k);
			fputs("</dt><dd>", fp);
			if (page_json_html(fp, v, k) != 0)
				return -1;
			fputs("</dd>\n", fp);
		}
	}
	if (any_scalar)
		fputs("</dl>\n", fp);
	json_object_foreach((json_t *)servers, k, v)
	{
		const char *label = k;

		if (!json_is_object(v) && !json_is_array(v))
			continue;
		for (size_t i = 0;
		     i < sizeof(tech_labels) / sizeof(*tech_labels); i++) {
			if (strcmp(tech_labels[i].key, k) == 0)
				label = tech_labels[i].label;
		}
		fputs("<details class=\"tech\"><summary>", fp);
		page_key_words(fp, label);
		fputs("</summary>\n", fp);
		if (page_json_html(fp, v, label) != 0)
			return -1;
		fputs("</details>\n", fp);
	}
	fputs("</section>\n", fp);
	return 0;
}

/* A test that could not run, or whose result is missing. */
static int
failed_page(FILE *fp, const struct nh_live_view *v)
{
	page_head(fp, "Test failed", v->domain, PAGE_NAV_NONE, 0);
	fprintf(fp, "<h1>The %s test of <span class=\"domain\">",
	    v->type == NH_TEST_MAIL ? "e-mail" : "website");
	page_esc(fp, v->domain);
	fputs("</span> could not run</h1>\n"
	      "<div id=\"error\" class=\"alert\" role=\"alert\">\n<p>",
	    fp);
	page_esc(fp, v->error != NULL ? v->error : "The result is missing.");
	fputs("</p>\n</div>\n<dl class=\"facts\">\n<dt>Started</dt><dd>", fp);
	page_time(fp, v->created);
	fputs("</dd>\n<dt>Permanent link</dt><dd><a href=\"", fp);
	permalink(fp, v);
	fputs("\">", fp);
	permalink(fp, v);
	fputs("</a></dd>\n</dl>\n"
	      "<form id=\"retry-form\" method=\"post\" action=\"/test\">\n"
	      "<input type=\"hidden\" name=\"domain\" value=\"",
	    fp);
	page_esc(fp, v->domain);
	fprintf(fp,
	    "\">\n<input type=\"hidden\" name=\"type\" value=\"%s\">\n"
	    "<button type=\"submit\" class=\"button\">Test again</button>\n"
	    "</form>\n"
	    "<p><a href=\"/\">Test another domain</a></p>\n",
	    nh_test_type_name(v->type));
	return page_foot(fp);
}

int
nh_page_result(FILE *fp, const struct nh_live_view *v)
{
	const json_t *res = v->result, *cats, *checks;
	int score = v->score;
	const char *k;
	json_t *c;

	if (v->state == NH_LIVE_QUEUED || v->state == NH_LIVE_RUNNING)
		return nh_page_progress(fp, v);
	if (v->state == NH_LIVE_ERROR || !json_is_object(res))
		return failed_page(fp, v);
	cats = json_object_get(res, "categories");
	checks = json_object_get(res, "checks");
	if (score < 0 || score > 100)
		score = (int)json_int(res, "score", -1);
	if (score < 0 || score > 100)
		score = -1;

	page_head(fp, v->type == NH_TEST_MAIL ? "E-mail test" : "Website test",
	    v->domain, PAGE_NAV_NONE, 0);
	fprintf(fp, "<h1>%s test of <span class=\"domain\">",
	    page_type_label(v->type));
	page_esc(fp, v->domain);
	fputs("</span></h1>\n", fp);
	summary(fp, v, res, score);
	contents(fp, cats);
	json_object_foreach((json_t *)cats, k, c)
	{
		if (category(fp, k, c, checks, cats) != 0)
			return -1;
	}
	/* Checks of a category the result does not list, if any. */
	json_object_foreach((json_t *)checks, k, c)
	{
		const char *cc = json_str(c, "category");

		if (cc == NULL || json_object_get(cats, cc) == NULL) {
			if (category(fp, "other", NULL, checks, cats) != 0)
				return -1;
			break;
		}
	}
	if (technical(fp, json_object_get(res, "servers")) != 0)
		return -1;
	fputs("<p class=\"again\"><a href=\"/\">Test another domain</a></p>\n",
	    fp);
	return page_foot(fp);
}
