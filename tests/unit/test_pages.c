/*
 * test_pages.c: the HTML pages of `nethealth serve` (src/server/pages.h),
 * rendered from the results of the fixtures in tests/fixtures/pages/
 * (`nethealth web|mail DOMAIN --from-facts tests/fixtures/facts/... --json`)
 * and from made-up hostile ones.
 *
 * Every page rendered is checked for the same properties: one HTML5
 * document in English, tags balanced, ids unique, one h1, the landmarks
 * and skip link, the stylesheet and script of /static and no inline
 * script, style or event handler (the site's CSP forbids them), the
 * version in the footer. Then per page: the stable hooks of pages.h, the
 * score and verdict, the categories and checks in the result's order,
 * hostile strings (markup, quotes, '&') escaped wherever they come from
 * (domain, check id, message, evidence, servers, error) and never raw,
 * an unknown standards category refused, a write error reported.
 *
 * Run from the repository root (the fixtures are read from there). With
 * NH_PAGES_SAMPLE_DIR=DIR set, it also writes every page it renders to
 * DIR (for a look in a browser).
 */
#include <ctype.h>
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
#include "server/page_impl.h"
#include "server/pages.h"

#define FIXTURES "tests/fixtures/pages/"
#define TEST_ID "0123456789abcdef0123456789abcdef"

/* A hostile string, marked so that each place it goes is told apart. */
#define HOSTILE(tag) "<script>alert(1)</script>\"" tag "'&"
/* ... as nh_html_escape() writes it ... */
#define ESCAPED(tag) \
	"&lt;script&gt;alert(1)&lt;/script&gt;&quot;" tag "&#39;&amp;"
/* ... and inside escaped pretty JSON, where '"' is first "\"". */
#define ESCAPED_JSON(tag) \
	"&lt;script&gt;alert(1)&lt;/script&gt;\\&quot;" tag "&#39;&amp;"

/* ---- rendering ---- */

static char *
page_text_of(FILE *fp, char **buf)
{
	assert_int_equal(fclose(fp), 0);
	assert_non_null(*buf);
	return *buf;
}

/* Writes html to $NH_PAGES_SAMPLE_DIR/name.html when set. */
static void
sample(const char *name, const char *html)
{
	const char *dir = getenv("NH_PAGES_SAMPLE_DIR");
	char path[512];
	FILE *fp;

	if (dir == NULL)
		return;
	/* "good.test-web.json" is written as good.test-web.html. */
	assert_true(snprintf(path, sizeof(path), "%s/%.*s.html", dir,
			(int)(strlen(name) - (strstr(name, ".json") ? 5 : 0)),
			name) < (int)sizeof(path));
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_true(fputs(html, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p != NULL;
	     p = strstr(p + 1, needle))
		n++;
	return n;
}

static void
assert_has(const char *html, const char *needle)
{
	if (strstr(html, needle) == NULL)
		fail_msg("missing from the page: %s", needle);
}

static void
assert_lacks(const char *html, const char *needle)
{
	if (strstr(html, needle) != NULL)
		fail_msg("on the page but should not be: %s", needle);
}

/* s as nh_html_escape() writes it; caller frees. */
static char *
escaped(const char *s)
{
	char *buf = NULL;
	size_t len;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(nh_html_escape(fp, s), 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

/* The <section> with id `id` (to its first "</section>"); caller frees. */
static char *
section_of(const char *html, const char *id)
{
	char needle[128], *sec;
	const char *start, *end;

	snprintf(
	    needle, sizeof(needle), "<section class=\"hof\" id=\"%s\"", id);
	start = strstr(html, needle);
	if (start == NULL)
		fail_msg("no section %s", id);
	end = strstr(start, "</section>");
	assert_non_null(end);
	sec = strndup(start, (size_t)(end - start));
	assert_non_null(sec);
	return sec;
}

/* ---- the properties of every page ---- */

#define MAX_STACK 64
#define MAX_IDS 1024

static bool
is_void(const char *name)
{
	static const char *const v[] = { "meta", "link", "input", "br", "hr",
		"img", "wbr", "source", "col", "area", "base", "track" };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (strcmp(v[i], name) == 0)
			return true;
	}
	return false;
}

struct scan {
	char stack[MAX_STACK][16];
	size_t depth;
	char *ids[MAX_IDS];
	size_t nids;
	size_t h1;
};

/* Reads one attribute value of a tag; returns a copy (caller frees). */
static char *
attr_value(const char **pp)
{
	const char *p = *pp, *start;
	char q = 0;
	char *v;

	if (*p == '"' || *p == '\'')
		q = *p++;
	start = p;
	while (*p != '\0' && (q ? *p != q : (*p != ' ' && *p != '>')))
		p++;
	v = strndup(start, (size_t)(p - start));
	assert_non_null(v);
	if (q && *p == q)
		p++;
	*pp = p;
	return v;
}

/*
 * One tag at p (just after '<'): its name, its attributes (no event
 * handler, no style, ids unique, a script has src), the nesting.
 * Returns the position after '>'.
 */
static const char *
scan_tag(struct scan *s, const char *p)
{
	char name[16];
	size_t n = 0;
	bool closing = *p == '/', has_src = false;

	if (closing)
		p++;
	if (*p == '!') { /* <!DOCTYPE html> */
		p = strchr(p, '>');
		assert_non_null(p);
		return p + 1;
	}
	if (!isalpha((unsigned char)*p))
		fail_msg("a raw '<' not starting a tag: %.40s", p - 1);
	while (isalnum((unsigned char)*p) && n < sizeof(name) - 1)
		name[n++] = (char)tolower((unsigned char)*p++);
	name[n] = '\0';
	while (*p != '>' && *p != '\0') {
		char attr[32];
		size_t a = 0;

		if (*p == ' ' || *p == '\n') {
			p++;
			continue;
		}
		while (*p != '=' && *p != ' ' && *p != '>' && *p != '\0' &&
		    a < sizeof(attr) - 1)
			attr[a++] = (char)tolower((unsigned char)*p++);
		attr[a] = '\0';
		if (strncmp(attr, "on", 2) == 0)
			fail_msg("event handler %s on <%s>", attr, name);
		if (strcmp(attr, "style") == 0)
			fail_msg("inline style on <%s>", name);
		has_src = has_src || strcmp(attr, "src") == 0;
		if (*p == '=') {
			char *v;

			p++;
			v = attr_value(&p);
			if (strcmp(attr, "id") == 0) {
				for (size_t i = 0; i < s->nids; i++) {
					if (strcmp(s->ids[i], v) == 0)
						fail_msg("id twice: %s", v);
				}
				assert_true(s->nids < MAX_IDS);
				s->ids[s->nids++] = v;
			} else {
				free(v);
			}
		}
	}
	assert_int_equal(*p, '>');
	if (closing) {
		if (s->depth == 0 || strcmp(s->stack[s->depth - 1], name) != 0)
			fail_msg("</%s> closes <%s>", name,
			    s->depth ? s->stack[s->depth - 1] : "nothing");
		s->depth--;
	} else {
		if (strcmp(name, "script") == 0 && !has_src)
			fail_msg("inline script");
		if (strcmp(name, "style") == 0)
			fail_msg("inline style element");
		s->h1 += strcmp(name, "h1") == 0;
		if (!is_void(name)) {
			assert_true(s->depth < MAX_STACK);
			memcpy(s->stack[s->depth++], name, n + 1);
		}
	}
	return p + 1;
}

/* The properties every page has. */
static void
check_page(const char *html)
{
	struct scan s = { .depth = 0 };

	assert_true(strncmp(html, "<!DOCTYPE html>\n", 16) == 0);
	assert_has(html, "<html lang=\"en\">");
	assert_has(html, "<meta charset=\"utf-8\">");
	assert_has(html,
	    "<meta name=\"viewport\" content=\"width=device-width,"
	    " initial-scale=1\">");
	assert_has(
	    html, "<link rel=\"stylesheet\" href=\"/static/style.css\">");
	assert_has(html, "<script src=\"/static/app.js\" defer></script>");
	assert_has(html, "<a class=\"skip\" href=\"#main\">");
	assert_has(html, "<main id=\"main\"");
	assert_has(html, "<header class=\"site\">");
	assert_has(html, "<footer class=\"site\">");
	assert_has(html, "<nav aria-label=\"Site\">");
	assert_has(html, "nethealth " NH_VERSION);
	assert_has(html, "<a href=\"/halloffame\"");
	assert_has(html, "<a href=\"/standards\"");
	assert_has(html, "<a href=\"/rounds\"");
	assert_has(html, "<a href=\"/api/batch/openapi.yaml\"");
	assert_int_equal(count(html, "<title>"), 1);
	for (const char *p = strchr(html, '<'); p != NULL; p = strchr(p, '<'))
		p = scan_tag(&s, p + 1);
	if (s.depth != 0)
		fail_msg("<%s> left open", s.stack[s.depth - 1]);
	assert_int_equal(s.h1, 1);
	assert_true(strstr(html, "</html>\n") != NULL);
	for (size_t i = 0; i < s.nids; i++)
		free(s.ids[i]);
}

/* Renders one page with fn, checks the common properties, returns it. */
#define RENDER(name, html, call) \
	do { \
		size_t len_; \
		FILE *fp = open_memstream(&(html), &len_); \
		assert_non_null(fp); \
		assert_int_equal((call), 0); \
		page_text_of(fp, &(html)); \
		sample((name), (html)); \
		check_page(html); \
	} while (0)

/* ---- fixtures ---- */

static json_t *
load(const char *name)
{
	char path[256];
	json_error_t err;
	json_t *j;

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	j = json_load_file(path, 0, &err);
	if (j == NULL)
		fail_msg(
		    "%s: %s (run from the repository root)", path, err.text);
	return j;
}

static struct nh_live_view
done_view(const json_t *res)
{
	struct nh_live_view v = {
		.id = TEST_ID,
		.type = strcmp(json_string_value(json_object_get(res, "type")),
			    "mail") == 0
		    ? NH_TEST_MAIL
		    : NH_TEST_WEB,
		.domain = json_string_value(json_object_get(res, "domain")),
		.state = NH_LIVE_DONE,
		.created = "2026-11-28T09:21:41Z",
		.finished = "2026-11-28T09:21:49Z",
		.score = (int)json_integer_value(json_object_get(res, "score")),
		.result = res,
	};

	return v;
}

/* The categories and checks of res appear in its order, each check
 * inside its category's section, with its status as class. */
static void
assert_result_order(const char *html, const json_t *res)
{
	const json_t *cats = json_object_get(res, "categories");
	const json_t *checks = json_object_get(res, "checks");
	const char *k, *prev = html;
	json_t *c;

	assert_true(json_object_size(cats) >= 5);
	json_object_foreach((json_t *)cats, k, c)
	{
		char needle[256];
		const char *sec, *end, *ck;
		json_t *ch;

		snprintf(needle, sizeof(needle),
		    "<section class=\"category\" id=\"cat-%s\"", k);
		sec = strstr(html, needle);
		if (sec == NULL)
			fail_msg("no section for %s", k);
		assert_true(sec > prev);
		prev = sec;
		end = strstr(sec, "</section>");
		assert_non_null(end);
		snprintf(needle, sizeof(needle), "href=\"/standards/%s\"", k);
		assert_has(sec, needle);
		json_object_foreach((json_t *)checks, ck, ch)
		{
			const char *cat =
			    json_string_value(json_object_get(ch, "category"));
			const char *at;

			if (strcmp(cat, k) != 0)
				continue;
			snprintf(needle, sizeof(needle),
			    "<details class=\"check %s\" id=\"check-%s\">",
			    json_string_value(json_object_get(ch, "status")),
			    ck);
			at = strstr(html, needle);
			if (at == NULL)
				fail_msg("no check element: %s", needle);
			assert_true(at > sec && at < end);
		}
	}
}

/* ---- the pages ---- */

static void
test_home(void **state)
{
	char *html = NULL;

	(void)state;
	RENDER("home", html, nh_page_home(fp, NULL, NULL, NULL));
	assert_has(html,
	    "<form id=\"test-form\" class=\"test-form\" "
	    "method=\"post\" action=\"/test\">");
	assert_has(html, "<label for=\"domain\">");
	assert_has(html, "id=\"domain\" name=\"domain\"");
	assert_has(
	    html, "id=\"type-web\" name=\"type\" value=\"web\" checked>");
	assert_has(html, "id=\"type-mail\" name=\"type\" value=\"mail\">");
	assert_has(html, "<label for=\"type-web\">");
	assert_has(html, "<label for=\"type-mail\">");
	assert_has(html, "<button type=\"submit\" id=\"start\"");
	assert_has(html, "aria-current=\"page\"");
	assert_lacks(html, "id=\"error\"");
	free(html);

	RENDER("home-error", html,
	    nh_page_home(fp, HOSTILE("dom"), "mail", HOSTILE("err")));
	assert_has(html, "value=\"mail\" checked>");
	assert_has(html, "value=\"" ESCAPED("dom") "\"");
	assert_has(html, "<div id=\"error\" class=\"alert\" role=\"alert\">");
	assert_has(html, ESCAPED("err"));
	assert_has(html, "aria-invalid=\"true\"");
	/* The error comes before the form. */
	assert_true(
	    strstr(html, "id=\"error\"") < strstr(html, "id=\"test-form\""));
	assert_lacks(html, "<script>alert");
	free(html);
}

static void
test_result_scores(void **state)
{
	static const struct {
		const char *file;
		int score;
		const char *verdict;
	} cases[] = {
		{ "good.test-web.json", 100,
		    "<strong>Good:</strong> this website follows" },
		{ "good.test-mail.json", 100,
		    "<strong>Good:</strong> this domain's e-mail follows" },
		{ "legacy.test-web.json", 35,
		    "<strong>Needs work:</strong> this website falls short" },
		{ "legacy.test-mail.json", 30, "<strong>Needs work:</strong>" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *res = load(cases[i].file);
		struct nh_live_view v = done_view(res);
		char *html = NULL, needle[128];

		assert_int_equal(v.score, cases[i].score);
		RENDER(cases[i].file, html, nh_page_result(fp, &v));
		snprintf(needle, sizeof(needle), "<span id=\"score\">%d</span>",
		    cases[i].score);
		assert_has(html, needle);
		assert_int_equal(count(html, "id=\"score\""), 1);
		assert_has(html, "<p id=\"verdict\" class=\"verdict ");
		assert_has(html, cases[i].verdict);
		assert_result_order(html, res);
		assert_has(html,
		    "<a id=\"permalink\" href=\"/test/" TEST_ID
		    "\">/test/" TEST_ID "</a>");
		assert_has(html, "id=\"copy-permalink\"");
		assert_has(
		    html, "<h2 id=\"technical-h\">Technical details</h2>");
		/* The catalog's texts of a check. */
		assert_has(html, "<h3>What it means</h3>");
		assert_has(html, "<h3>Why it matters</h3>");
		assert_has(html, "<h3>How to fix it</h3>");
		/* Per-server findings as a table, evidence as JSON. */
		assert_has(html, "<table class=\"servers\">");
		assert_has(html, "<pre class=\"json\">");
		assert_lacks(html, "http-equiv=\"refresh\"");
		free(html);

		/* Without the view's score, the result's is shown. */
		v.score = -1;
		RENDER(cases[i].file, html, nh_page_result(fp, &v));
		snprintf(needle, sizeof(needle), "<span id=\"score\">%d</span>",
		    cases[i].score);
		assert_has(html, needle);
		free(html);
		json_decref(res);
	}
}

static void
test_result_failed_check(void **state)
{
	json_t *res = load("legacy.test-web.json");
	struct nh_live_view v = done_view(res);
	char *html = NULL;

	(void)state;
	RENDER("legacy-web", html, nh_page_result(fp, &v));
	/* A failed check: its status in words, not by colour alone. */
	assert_has(html, "<details class=\"check failed\" id=\"check-");
	assert_has(html, "<span class=\"badge failed\">Failed</span>");
	assert_has(html, "<span class=\"badge warning\">Warning</span>");
	assert_has(html, "<span class=\"cat-score\">0%</span>");
	free(html);
	json_decref(res);
}

/* The legacy web result with hostile strings everywhere a stored result
 * carries outside text. */
static json_t *
hostile_result(void)
{
	json_t *res = load("legacy.test-web.json");
	json_t *checks = json_object_get(res, "checks");
	json_t *first = json_object_iter_value(json_object_iter(checks));
	json_t *hostile = json_deep_copy(first);
	json_t *servers;

	assert_non_null(hostile);
	json_object_set_new(res, "domain", json_string(HOSTILE("dom")));
	json_object_set_new(hostile, "message", json_string(HOSTILE("msg")));
	json_object_set_new(hostile, "evidence",
	    json_pack(
		"{s:s, s:[s]}", HOSTILE("evkey"), "x", "list", HOSTILE("ev")));
	servers = json_pack("[{s:s, s:s, s:i, s:i, s:s, s:{s:s}}]", "server",
	    HOSTILE("srv"), "status", "failed", "points", 0, "max_points", 10,
	    "message", HOSTILE("srvmsg"), "evidence", "banner",
	    HOSTILE("srvev"));
	assert_non_null(servers);
	json_object_set_new(hostile, "servers", servers);
	json_object_set_new(checks, HOSTILE("cid"), hostile);
	json_object_set_new(json_object_get(res, "servers"), "extra",
	    json_pack("[{s:s}]", "header", HOSTILE("tech")));
	return res;
}

static void
test_result_escaping(void **state)
{
	json_t *res = hostile_result();
	struct nh_live_view v = done_view(res);
	char *html = NULL;

	(void)state;
	RENDER("hostile", html, nh_page_result(fp, &v));
	assert_lacks(html, "<script>alert");
	assert_lacks(html, "'&");
	/* The domain: title and h1. */
	assert_true(count(html, ESCAPED("dom")) >= 2);
	/* The check id (in attributes), message, evidence, servers. */
	assert_has(html, "id=\"check-" ESCAPED("cid") "\"");
	assert_has(html, "#" ESCAPED("cid") "\"");
	assert_has(html, "<span class=\"check-message\">" ESCAPED("msg"));
	assert_has(html, ESCAPED_JSON("evkey"));
	assert_has(html, ESCAPED_JSON("ev"));
	assert_has(html, "<th scope=\"row\">" ESCAPED("srv") "</th>");
	assert_has(html, "<summary>" ESCAPED("srv") "</summary>");
	assert_has(html, ESCAPED("srvmsg"));
	assert_has(html, ESCAPED_JSON("srvev"));
	/* The technical details, as a table. */
	assert_has(html, "<td>" ESCAPED("tech") "</td>");
	free(html);

	/* A test that could not run shows why, escaped. */
	v.state = NH_LIVE_ERROR;
	v.result = NULL;
	v.score = -1;
	v.error = HOSTILE("why");
	RENDER("error-test", html, nh_page_result(fp, &v));
	assert_has(html,
	    "<div id=\"error\" class=\"alert\" role=\"alert\">\n"
	    "<p>" ESCAPED("why") "</p>");
	assert_has(html, "name=\"domain\" value=\"" ESCAPED("dom") "\"");
	assert_lacks(html, "id=\"score\"");
	assert_lacks(html, "<script>alert");
	free(html);
	json_decref(res);
}

static void
test_progress(void **state)
{
	struct nh_live_view v = {
		.id = TEST_ID,
		.type = NH_TEST_MAIL,
		.domain = HOSTILE("dom"),
		.state = NH_LIVE_RUNNING,
		.created = "2026-11-28T09:21:41Z",
		.score = -1,
		.elapsed = 75.4,
	};
	char *html = NULL;

	(void)state;
	RENDER("progress", html, nh_page_progress(fp, &v));
	assert_has(html,
	    "<section id=\"progress\" class=\"progress\" "
	    "data-id=\"" TEST_ID "\" data-elapsed=\"75.4\"");
	assert_has(html, "<meta http-equiv=\"refresh\" content=\"2\">");
	assert_has(html, "<span id=\"state\" role=\"status\">Running</span>");
	assert_has(html, "<span id=\"elapsed\">1 min 15 s</span>");
	assert_has(html, "<dd>E-mail</dd>");
	assert_has(html, ESCAPED("dom"));
	assert_lacks(html, "<script>alert");
	assert_lacks(html, "id=\"score\"");
	free(html);

	/* The result page of a queued test is the progress page. */
	v.state = NH_LIVE_QUEUED;
	v.type = NH_TEST_WEB;
	RENDER("queued", html, nh_page_result(fp, &v));
	assert_has(html, "id=\"progress\"");
	assert_has(html, "<dd>Website</dd>");
	assert_has(html, "Waiting for a free slot");
	free(html);
}

static void
test_error_page(void **state)
{
	char *html = NULL;

	(void)state;
	RENDER("error", html, nh_page_error(fp, 404, HOSTILE("msg")));
	assert_has(html, "<h1>Page not found</h1>");
	assert_has(html, "id=\"error\"");
	assert_has(html, ESCAPED("msg"));
	assert_has(html, "HTTP status 404");
	assert_lacks(html, "<script>alert");
	free(html);

	RENDER("error-429", html, nh_page_error(fp, 429, NULL));
	assert_has(html, "<h1>Too many requests</h1>");
	free(html);
}

static void
test_hof(void **state)
{
	const struct nh_hof_entry e[] = {
		{ .domain = "both.test",
		    .web = true,
		    .mail = true,
		    .since = "2026-11-01T10:00:00Z",
		    .web_id = "aa01",
		    .mail_id = "bb01" },
		{ .domain = HOSTILE("dom"),
		    .web = true,
		    .since = "2026-11-02T10:00:00Z",
		    .web_id = "aa02" },
		{ .domain = "mail-only.test", .mail = true, .mail_id = "bb03" },
	};
	char *html = NULL, *web, *mail, *champ;

	(void)state;
	RENDER("hof", html, nh_page_hof(fp, e, 3));
	web = section_of(html, "hof-web");
	mail = section_of(html, "hof-mail");
	champ = section_of(html, "hof-champions");
	assert_true(
	    strstr(html, "id=\"hof-web\"") < strstr(html, "id=\"hof-mail\""));
	assert_true(strstr(html, "id=\"hof-mail\"") <
	    strstr(html, "id=\"hof-champions\""));
	/* Websites: both and the hostile one (escaped), each linking to
	 * its website result. */
	assert_has(web, "<a href=\"/test/aa01\">both.test</a>");
	assert_has(web, "<a href=\"/test/aa02\">" ESCAPED("dom") "</a>");
	assert_lacks(web, "mail-only.test");
	/* E-mail: both and mail-only, linking to the mail results. */
	assert_has(mail, "<a href=\"/test/bb01\">both.test</a>");
	assert_has(mail, "<a href=\"/test/bb03\">mail-only.test</a>");
	assert_lacks(mail, ESCAPED("dom"));
	/* Champions: both only, linking to both results. */
	assert_has(champ, "<a href=\"/test/aa01\">both.test</a>");
	assert_has(champ, "<a href=\"/test/bb01\">");
	assert_lacks(champ, "mail-only.test");
	assert_lacks(champ, ESCAPED("dom"));
	assert_has(champ, "<time datetime=\"2026-11-01T10:00:00Z\">");
	assert_lacks(html, "<script>alert");
	free(web);
	free(mail);
	free(champ);
	free(html);

	RENDER("hof-empty", html, nh_page_hof(fp, NULL, 0));
	assert_int_equal(count(html, "None yet."), 3);
	free(html);
}

static void
test_standards(void **state)
{
	char *html = NULL;

	(void)state;
	RENDER("standards", html, nh_page_standards(fp, NULL));
	for (size_t i = 0; i < nh_category_count; i++) {
		char needle[128];

		snprintf(needle, sizeof(needle), "<a href=\"/standards/%s\">",
		    nh_category_table[i].meta.id);
		assert_has(html, needle);
	}
	free(html);

	for (size_t i = 0; i < nh_category_count; i++) {
		const char *cat = nh_category_table[i].meta.id;
		char *title = escaped(nh_category_table[i].text->title);
		size_t n = 0;

		RENDER(cat, html, nh_page_standards(fp, cat));
		assert_has(html, title);
		free(title);
		for (size_t k = 0; k < nh_check_count; k++) {
			char needle[160];

			if (strcmp(nh_check_table[k].meta.category, cat) != 0)
				continue;
			snprintf(needle, sizeof(needle),
			    "<section class=\"std-check\" id=\"%s\"",
			    nh_check_table[k].meta.id);
			assert_has(html, needle);
			n++;
		}
		assert_true(n > 0);
		assert_int_equal(count(html, "class=\"std-check\""), n);
		assert_has(
		    html, "<a href=\"https://www.rfc-editor.org/rfc/rfc");
		free(html);
	}
}

static void
test_standards_unknown(void **state)
{
	static const char *const bad[] = { "nope", "", "web", "web_ipv6_ns",
		"web_ipv6_ns_address", HOSTILE("cat") };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);

		assert_non_null(fp);
		assert_int_equal(nh_page_standards(fp, bad[i]), 1);
		assert_int_equal(fclose(fp), 0);
		assert_int_equal(len, 0);
		free(buf);
	}
}

static void
test_rounds(void **state)
{
	const struct nh_store_round r[] = {
		{ .id = 1,
		    .source = "gov.txt",
		    .started = "2026-10-01T08:00:00Z",
		    .finished = "2026-10-01T09:00:00Z",
		    .web = true,
		    .targets = 40,
		    .results = 40 },
		{ .id = 2,
		    .source = HOSTILE("src"),
		    .started = "2026-11-01T08:00:00Z",
		    .web = true,
		    .mail = true,
		    .targets = 42,
		    .results = 17 },
	};
	char *html = NULL;
	const char *one, *two;

	(void)state;
	RENDER("rounds", html, nh_page_rounds(fp, r, 2));
	one = strstr(html, "<a href=\"/rounds/1\">1</a>");
	two = strstr(html, "<a href=\"/rounds/2\">2</a>");
	assert_non_null(one);
	assert_non_null(two);
	assert_true(two < one); /* newest first */
	assert_has(two,
	    "<td>running</td><td class=\"num\">42</td>"
	    "<td class=\"num\">17</td>");
	assert_has(html, "<td>" ESCAPED("src") "</td>");
	assert_has(one,
	    "<time datetime=\"2026-10-01T09:00:00Z\">"
	    "2026-10-01 09:00:00 UTC</time>");
	assert_has(html, "<th scope=\"col\">Round</th>");
	assert_lacks(html, "<script>alert");
	free(html);

	RENDER("rounds-empty", html, nh_page_rounds(fp, NULL, 0));
	assert_has(html, "No scan rounds yet.");
	free(html);
}

/* The catalog's text layout: paragraphs, lists, preformatted lines. */
static void
test_catalog_text(void **state)
{
	char *buf = NULL;
	size_t len;
	FILE *fp = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(fp);
	page_text(fp,
	    "Work from the bottom up, <b> & \"so\":\n"
	    "1. Name servers: ask the DNS operator for at least\n"
	    "   two with IPv6.\n"
	    "     code in the item;\n"
	    "   more of the item.\n"
	    "2. Web server.\n"
	    "Then publish:\n"
	    "  ns1.example.nl.  IN AAAA 2001:db8::53\n"
	    "    indented more\n"
	    "Done.");
	assert_int_equal(fclose(fp), 0);
	assert_string_equal(buf,
	    "<p>Work from the bottom up, &lt;b&gt; &amp; &quot;so&quot;:</p>\n"
	    "<ol>\n"
	    "<li>Name servers: ask the DNS operator for at least two with "
	    "IPv6.<pre>  code in the item;</pre>\n"
	    "more of the item.</li>\n"
	    "<li>Web server.</li>\n"
	    "</ol>\n"
	    "<p>Then publish:</p>\n"
	    "<pre>ns1.example.nl.  IN AAAA 2001:db8::53\n"
	    "  indented more</pre>\n"
	    "<p>Done.</p>\n");
	free(buf);

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	page_refs(fp,
	    "RFC 8446 \xc2\xa7"
	    "E.5; RFC 6540 (BCP 177); W3C <CSP>; RFC 9325 \xc2\xa7"
	    "3.1.1.");
	assert_int_equal(fclose(fp), 0);
	assert_string_equal(buf,
	    "<ul class=\"refs\">\n"
	    "<li><a href=\"https://www.rfc-editor.org/rfc/rfc8446#appendix-E.5"
	    "\">RFC 8446 &sect;E.5</a></li>\n"
	    "<li><a href=\"https://www.rfc-editor.org/rfc/rfc6540\">RFC 6540"
	    "</a> (BCP 177)</li>\n"
	    "<li>W3C &lt;CSP&gt;</li>\n"
	    "<li><a href=\"https://www.rfc-editor.org/rfc/rfc9325#section-3.1.1"
	    "\">RFC 9325 &sect;3.1.1</a>.</li>\n"
	    "</ul>\n");
	free(buf);
}

static void
test_escape(void **state)
{
	char *buf = NULL;
	size_t len;
	FILE *fp = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(fp);
	assert_int_equal(nh_html_escape(fp, "<a href=\"x\">'&'</a>"), 0);
	assert_int_equal(nh_html_escape(fp, " \x01\xff caf\xc3\xa9\n"), 0);
	assert_int_equal(nh_html_escape(fp, NULL), 0);
	assert_int_equal(fclose(fp), 0);
	assert_string_equal(buf,
	    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
	    " \xef\xbf\xbd\xef\xbf\xbd caf\xc3\xa9\n");
	free(buf);
}

/* A page written to a stream that fails says so. */
static void
test_write_error(void **state)
{
	FILE *fp = fopen("/dev/null", "r");
	json_t *res = load("good.test-web.json");
	struct nh_live_view v = done_view(res);

	(void)state;
	assert_non_null(fp);
	/* Each from a clean stream: the first write fails. */
#define FAILS(call) \
	do { \
		clearerr(fp); \
		assert_int_equal((call), -1); \
	} while (0)
	FAILS(nh_page_home(fp, "x.test", "web", NULL));
	FAILS(nh_page_progress(fp, &v));
	FAILS(nh_page_result(fp, &v));
	FAILS(nh_page_standards(fp, NULL));
	FAILS(nh_page_standards(fp, "web_ipv6"));
	FAILS(nh_page_error(fp, 500, "x"));
	FAILS(nh_page_rounds(fp, NULL, 0));
	FAILS(nh_page_hof(fp, NULL, 0));
	FAILS(nh_html_escape(fp, "x"));
#undef FAILS
	fclose(fp);
	json_decref(res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_home),
		cmocka_unit_test(test_result_scores),
		cmocka_unit_test(test_result_failed_check),
		cmocka_unit_test(test_result_escaping),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_error_page),
		cmocka_unit_test(test_hof),
		cmocka_unit_test(test_standards),
		cmocka_unit_test(test_standards_unknown),
		cmocka_unit_test(test_rounds),
		cmocka_unit_test(test_catalog_text),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
