/*
 * page_layout.c: the frame every page shares (head, skip link, header and
 * navigation, footer) and the small words of the pages: statuses, test
 * types, times.
 */
#include <string.h>

#include "page_impl.h"
#include "report/report.h"

#ifndef NH_VERSION
#define NH_VERSION "unknown"
#endif

static const struct {
	enum page_nav nav;
	const char *href;
	const char *label;
} nav_items[] = {
	{ PAGE_NAV_HOME, "/", "Home" },
	{ PAGE_NAV_HOF, "/halloffame", "Hall of fame" },
	{ PAGE_NAV_STANDARDS, "/standards", "Standards" },
	{ PAGE_NAV_ROUNDS, "/rounds", "Scan rounds" },
	{ PAGE_NAV_NONE, "/api/batch/openapi.yaml", "API" },
};

void
page_esc(FILE *fp, const char *s)
{
	(void)nh_html_escape(fp, s);
}

void
page_head(FILE *fp, const char *title, const char *subject, enum page_nav cur,
    unsigned flags)
{
	fputs("<!DOCTYPE html>\n"
	      "<html lang=\"en\">\n"
	      "<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" "
	      "content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"referrer\" content=\"same-origin\">\n",
	    fp);
	/* app.js, when it runs, cancels the refresh and polls instead. */
	if (flags & PAGE_REFRESH)
		fputs("<meta http-equiv=\"refresh\" content=\"2\">\n", fp);
	fputs("<title>", fp);
	page_esc(fp, title);
	if (subject != NULL) {
		fputs(": ", fp);
		page_esc(fp, subject);
	}
	fputs(" - nethealth</title>\n"
	      "<link rel=\"icon\" href=\"data:,\">\n"
	      "<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
	      "<script src=\"/static/app.js\" defer></script>\n"
	      "</head>\n"
	      "<body>\n"
	      "<a class=\"skip\" href=\"#main\">Skip to the content</a>\n"
	      "<header class=\"site\">\n<div class=\"wrap\">\n"
	      "<a class=\"brand\" href=\"/\">nethealth</a>\n"
	      "<nav aria-label=\"Site\">\n<ul>\n",
	    fp);
	for (size_t i = 0; i < sizeof(nav_items) / sizeof(nav_items[0]); i++) {
		bool here = cur != PAGE_NAV_NONE && nav_items[i].nav == cur;

		fprintf(fp, "<li><a href=\"%s\"%s>%s</a></li>\n",
		    nav_items[i].href, here ? " aria-current=\"page\"" : "",
		    nav_items[i].label);
	}
	fputs("</ul>\n</nav>\n</div>\n</header>\n"
	      "<main id=\"main\" tabindex=\"-1\">\n",
	    fp);
}

int
page_foot(FILE *fp)
{
	fputs("</main>\n"
	      "<footer class=\"site\">\n<div class=\"wrap\">\n"
	      "<p>nethealth " NH_VERSION " tests domains against the "
	      "Internet's standards; its checks and score follow "
	      "<a href=\"https://internet.nl/\">Internet.nl</a>'s published "
	      "model.</p>\n"
	      "<p><a href=\"/standards\">What is tested</a> &middot; "
	      "<a href=\"/api/batch/openapi.yaml\">API</a></p>\n"
	      "</div>\n</footer>\n"
	      "</body>\n"
	      "</html>\n",
	    fp);
	return ferror(fp) ? -1 : 0;
}

enum nh_status
page_status(const char *name)
{
	enum nh_status st;

	if (name == NULL || nh_status_parse(name, &st) != 0)
		return NH_ERROR;
	return st;
}

const char *
page_status_word(enum nh_status st)
{
	switch (st) {
	case NH_PASSED:
		return "Passed";
	case NH_FAILED:
		return "Failed";
	case NH_WARNING:
		return "Warning";
	case NH_INFO:
		return "Info";
	case NH_NOT_TESTED:
		return "Not tested";
	case NH_ERROR:
		break;
	}
	return "Error";
}

void
page_badge(FILE *fp, enum nh_status st)
{
	fprintf(fp, "<span class=\"badge %s\">%s</span>", nh_status_name(st),
	    page_status_word(st));
}

const char *
page_type_label(enum nh_test_type t)
{
	return t == NH_TEST_MAIL ? "E-mail" : "Website";
}

/* Whether s is "YYYY-MM-DDTHH:MM:SS" followed by "Z" or a fraction. */
static bool
is_rfc3339(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";

	for (size_t i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9'
				    : s[i] != shape[i])
			return false;
	}
	return s[19] == 'Z' || s[19] == '.';
}

void
page_time(FILE *fp, const char *t)
{
	if (t == NULL || *t == '\0') {
		fputs("-", fp);
		return;
	}
	if (!is_rfc3339(t)) {
		page_esc(fp, t);
		return;
	}
	fputs("<time datetime=\"", fp);
	page_esc(fp, t);
	/* Checked above: 19 ASCII digits and separators. */
	fprintf(fp, "\">%.10s %.8s UTC</time>", t, t + 11);
}
