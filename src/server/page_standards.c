/*
 * page_standards.c: what nethealth tests, from the check table and the
 * catalog: the index of categories (/standards) and one category with
 * every check's texts and references (/standards/CATEGORY). A check's
 * anchor is its id, so that a result links to /standards/CATEGORY#CHECK.
 */
#include <string.h>

#include "checks/checks.h"
#include "page_impl.h"
#include "pages.h"

static size_t
count_checks(const char *category)
{
	size_t n = 0;

	for (size_t i = 0; i < nh_check_count; i++)
		n += strcmp(nh_check_table[i].meta.category, category) == 0;
	return n;
}

static void
index_test(FILE *fp, enum nh_test_type type)
{
	const char *name = nh_test_type_name(type);

	fprintf(fp,
	    "<section aria-labelledby=\"std-%s-h\">\n"
	    "<h2 id=\"std-%s-h\">%s test</h2>\n<ul class=\"cards\">\n",
	    name, name, page_type_label(type));
	for (size_t i = 0; i < nh_category_count; i++) {
		const struct nh_category_def *c = &nh_category_table[i];

		if (c->meta.test != type)
			continue;
		fprintf(fp,
		    "<li class=\"card\">\n<h3><a href=\"/standards/%s\">",
		    c->meta.id);
		page_esc(fp, c->text->title);
		fputs("</a></h3>\n", fp);
		page_text(fp, c->text->means);
		fprintf(fp, "<p class=\"meta\">%zu checks</p>\n</li>\n",
		    count_checks(c->meta.id));
	}
	fputs("</ul>\n</section>\n", fp);
}

static int
standards_index(FILE *fp)
{
	page_head(fp, "Standards", NULL, PAGE_NAV_STANDARDS, 0);
	fputs("<h1>The standards nethealth tests</h1>\n"
	      "<p class=\"lead\">Each category groups the checks of one "
	      "standard or family of standards. A category's score is the "
	      "points earned over the points possible for its required "
	      "checks; a test's score is the mean over its scored "
	      "categories, as at <a href=\"https://internet.nl/\">"
	      "Internet.nl</a>.</p>\n",
	    fp);
	index_test(fp, NH_TEST_WEB);
	index_test(fp, NH_TEST_MAIL);
	return page_foot(fp);
}

/* How a check counts, in words. */
static void
check_kind(FILE *fp, const struct nh_check_def *d)
{
	const struct nh_check_meta *m = &d->meta;

	if (d->fn == NULL)
		fputs("Not tested yet", fp);
	else if (nh_check_meta_scored(m))
		fprintf(fp, "Required; %d point%s", m->points,
		    m->points == 1 ? "" : "s");
	else if (m->worst == NH_FAILED)
		fputs("Required; no points of its own", fp);
	else if (m->worst == NH_WARNING)
		fputs("Recommended; not counted in the score", fp);
	else
		fputs("For information; not counted in the score", fp);
}

static void
category_check(FILE *fp, const struct nh_check_def *d)
{
	fprintf(fp,
	    "<section class=\"std-check\" id=\"%s\" "
	    "aria-labelledby=\"%s-h\">\n<h3 id=\"%s-h\">",
	    d->meta.id, d->meta.id, d->meta.id);
	page_esc(fp, d->text->title);
	fputs("</h3>\n<p class=\"meta\">", fp);
	check_kind(fp, d);
	fprintf(fp, " &middot; <code>%s</code></p>\n", d->meta.id);
	page_catalog_entry(fp, d->text, 4);
	fputs("</section>\n", fp);
}

static int
standards_category(FILE *fp, const struct nh_category_def *c)
{
	const char *id = c->meta.id;

	page_head(fp, "Standards", c->text->title, PAGE_NAV_STANDARDS, 0);
	fprintf(fp,
	    "<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><ol>"
	    "<li><a href=\"/standards\">Standards</a></li>"
	    "<li>%s test</li></ol></nav>\n<h1>",
	    page_type_label(c->meta.test));
	page_esc(fp, c->text->title);
	fputs("</h1>\n", fp);
	page_catalog_entry(fp, c->text, 2);
	fputs("<h2>The checks</h2>\n<nav class=\"contents\" "
	      "aria-label=\"Checks\">\n<ul>\n",
	    fp);
	for (size_t i = 0; i < nh_check_count; i++) {
		const struct nh_check_def *d = &nh_check_table[i];

		if (strcmp(d->meta.category, id) != 0)
			continue;
		fprintf(fp, "<li><a href=\"#%s\">", d->meta.id);
		page_esc(fp, d->text->title);
		fputs("</a></li>\n", fp);
	}
	fputs("</ul>\n</nav>\n", fp);
	for (size_t i = 0; i < nh_check_count; i++) {
		if (strcmp(nh_check_table[i].meta.category, id) == 0)
			category_check(fp, &nh_check_table[i]);
	}
	return page_foot(fp);
}

int
nh_page_standards(FILE *fp, const char *category)
{
	const struct nh_category_def *c;

	if (category == NULL)
		return standards_index(fp);
	c = nh_category_find(category);
	if (c == NULL)
		return 1;
	return standards_category(fp, c);
}
