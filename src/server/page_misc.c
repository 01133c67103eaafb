/*
 * page_misc.c: the small pages: an error, the hall of fame, the scan
 * rounds of the store.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "page_impl.h"
#include "pages.h"

static const char *
status_title(unsigned status)
{
	switch (status) {
	case 400:
		return "Bad request";
	case 401:
		return "Authentication required";
	case 403:
		return "Forbidden";
	case 404:
		return "Page not found";
	case 405:
		return "Method not allowed";
	case 409:
		return "Conflict";
	case 413:
		return "Request too large";
	case 429:
		return "Too many requests";
	case 503:
		return "Service unavailable";
	}
	return status >= 500 ? "Server error" : "Request not served";
}

int
nh_page_error(FILE *fp, unsigned status, const char *message)
{
	const char *title = status_title(status);

	page_head(fp, title, NULL, PAGE_NAV_NONE, 0);
	fprintf(fp,
	    "<h1>%s</h1>\n"
	    "<div id=\"error\" class=\"alert\" role=\"alert\">\n"
	    "<p>",
	    title);
	page_esc(fp, message != NULL ? message : title);
	fprintf(
	    fp, "</p>\n<p class=\"code\">HTTP status %u</p>\n</div>\n", status);
	fputs("<p><a href=\"/\">Go to the home page</a> to test a "
	      "domain.</p>\n",
	    fp);
	return page_foot(fp);
}

/* ---- hall of fame ---- */

enum hof_list { HOF_WEB, HOF_MAIL, HOF_BOTH };

/* A link to a permalink, or the text alone when there is no id. */
static void
permalink(FILE *fp, const char *id, const char *text)
{
	if (id == NULL) {
		page_esc(fp, text);
		return;
	}
	fputs("<a href=\"/test/", fp);
	page_esc(fp, id);
	fputs("\">", fp);
	page_esc(fp, text);
	fputs("</a>", fp);
}

static void
hof_list(FILE *fp, const struct nh_hof_entry *e, size_t n, enum hof_list which)
{
	static const char *const heading[] = { "Websites", "E-mail",
		"Champions" };
	static const char *const hid[] = { "hof-web", "hof-mail",
		"hof-champions" };
	static const char *const what[] = {
		"Domains whose website scored 100.",
		"Domains whose e-mail scored 100.",
		"Domains whose website and e-mail both scored 100.",
	};
	size_t shown = 0;

	fprintf(fp,
	    "<section class=\"hof\" id=\"%s\" aria-labelledby=\"%s-h\">\n"
	    "<h2 id=\"%s-h\">%s</h2>\n<p>%s</p>\n",
	    hid[which], hid[which], hid[which], heading[which], what[which]);
	for (size_t i = 0; i < n; i++) {
		bool in = which == HOF_WEB ? e[i].web
		    : which == HOF_MAIL    ? e[i].mail
					   : e[i].web && e[i].mail;

		if (!in)
			continue;
		fputs(shown == 0 ? "<ul class=\"domains\">\n" : "", fp);
		shown++;
		fputs("<li>", fp);
		permalink(fp, which == HOF_MAIL ? e[i].mail_id : e[i].web_id,
		    e[i].domain);
		if (which == HOF_BOTH) {
			fputs(" <span class=\"also\">(", fp);
			permalink(fp, e[i].web_id, "website");
			fputs(", ", fp);
			permalink(fp, e[i].mail_id, "e-mail");
			fputs(")</span>", fp);
		}
		if (e[i].since != NULL) {
			fputs(" <span class=\"since\">since ", fp);
			page_time(fp, e[i].since);
			fputs("</span>", fp);
		}
		fputs("</li>\n", fp);
	}
	fputs(shown > 0 ? "</ul>\n" : "<p class=\"empty\">None yet.</p>\n", fp);
	fputs("</section>\n", fp);
}

int
nh_page_hof(FILE *fp, const struct nh_hof_entry *e, size_t n)
{
	page_head(fp, "Hall of fame", NULL, PAGE_NAV_HOF, 0);
	fputs("<h1>Hall of fame</h1>\n"
	      "<p class=\"lead\">Domains whose latest test scored 100: they "
	      "follow every standard tested. Each links to its result.</p>\n",
	    fp);
	hof_list(fp, e, n, HOF_WEB);
	hof_list(fp, e, n, HOF_MAIL);
	hof_list(fp, e, n, HOF_BOTH);
	return page_foot(fp);
}

/* ---- scan rounds ---- */

static int
newest_first(const void *a, const void *b)
{
	const struct nh_store_round *x =
	    *(const struct nh_store_round *const *)a;
	const struct nh_store_round *y =
	    *(const struct nh_store_round *const *)b;

	return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

static void
round_row(FILE *fp, const struct nh_store_round *r)
{
	fprintf(fp,
	    "<tr><th scope=\"row\"><a href=\"/rounds/%" PRId64 "\">%" PRId64
	    "</a></th><td>",
	    r->id, r->id);
	page_esc(fp, r->source != NULL ? r->source : "-");
	fputs("</td><td>", fp);
	if (r->web || r->mail)
		fputs(r->web && r->mail ? "website, e-mail"
			: r->mail       ? "e-mail"
					: "website",
		    fp);
	else
		fputs("-", fp);
	fputs("</td><td>", fp);
	page_time(fp, r->started);
	fputs("</td><td>", fp);
	if (r->finished != NULL)
		page_time(fp, r->finished);
	else
		fputs("running", fp);
	fprintf(fp,
	    "</td><td class=\"num\">%ld</td><td class=\"num\">%ld</td>"
	    "</tr>\n",
	    r->targets, r->results);
}

int
nh_page_rounds(FILE *fp, const struct nh_store_round *r, size_t n)
{
	const struct nh_store_round **order = NULL;

	if (n > 0) {
		order = calloc(n, sizeof(*order));
		if (order == NULL)
			return -1;
		for (size_t i = 0; i < n; i++)
			order[i] = &r[i];
		qsort(order, n, sizeof(*order), newest_first);
	}
	page_head(fp, "Scan rounds", NULL, PAGE_NAV_ROUNDS, 0);
	fputs("<h1>Scan rounds</h1>\n"
	      "<p class=\"lead\">Each round tests a list of domains "
	      "(<code>nethealth scan</code>); the newest comes first.</p>\n",
	    fp);
	if (n == 0) {
		fputs("<p class=\"empty\">No scan rounds yet.</p>\n", fp);
		return page_foot(fp);
	}
	fputs("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" "
	      "aria-labelledby=\"rounds-caption\">\n"
	      "<table class=\"rounds\">\n"
	      "<caption id=\"rounds-caption\">Scan rounds, newest "
	      "first</caption>\n"
	      "<thead><tr><th scope=\"col\">Round</th>"
	      "<th scope=\"col\">Source</th><th scope=\"col\">Tests</th>"
	      "<th scope=\"col\">Started</th><th scope=\"col\">Finished</th>"
	      "<th scope=\"col\" class=\"num\">Targets</th>"
	      "<th scope=\"col\" class=\"num\">Results</th></tr></thead>\n"
	      "<tbody>\n",
	    fp);
	for (size_t i = 0; i < n; i++)
		round_row(fp, order[i]);
	fputs("</tbody>\n</table>\n</div>\n", fp);
	free(order);
	return page_foot(fp);
}
