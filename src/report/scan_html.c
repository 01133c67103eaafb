/*
 * scan_html.c: the report of a scan round as one self-contained HTML page
 * for decision makers: inline CSS, inline SVG charts drawn here, no script
 * and no outside resource (a Content-Security-Policy forbids them), every
 * string from the store escaped, a table or a <title>/<desc> beside each
 * chart, readable when printed.
 */
#include <stdlib.h>
#include <string.h>

#include "scan_impl.h"

#define HTML_GAPS 20    /* gaps explained in full; the rest in a table */
#define HTML_CHANGES 15 /* domains listed per direction of change */

static const char css[] =
    ":root{--ink:#1a202c;--muted:#4a5568;--line:#cbd5e0;--accent:#0072B2;}"
    "*{box-sizing:border-box;}"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,"
    "'Helvetica Neue',Arial,sans-serif;color:var(--ink);line-height:1.45;"
    "max-width:1100px;margin:0 auto;padding:1rem 1.5rem 3rem;"
    "overflow-wrap:break-word;}"
    "td,th.name{overflow-wrap:anywhere;}"
    "h1{font-size:1.7rem;margin:.5rem 0 .25rem;}"
    "h2{font-size:1.35rem;margin:2.2rem 0 .6rem;padding-bottom:.2rem;"
    "border-bottom:2px solid var(--accent);}"
    "h3{font-size:1.1rem;margin:1.4rem 0 .4rem;}"
    ".meta,.note,figcaption{color:var(--muted);}"
    ".note{font-size:.92rem;}"
    "nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem "
    "1.2rem;}"
    "nav a{color:var(--accent);}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,"
    "1fr));gap:.8rem;margin:0;}"
    ".card{border:1px solid var(--line);border-radius:6px;padding:.6rem "
    ".8rem;margin:0;}"
    ".card dt{font-size:.85rem;color:var(--muted);}"
    ".card dd{margin:0;font-size:1.35rem;font-weight:600;}"
    ".card dd small{display:block;font-size:.85rem;font-weight:400;"
    "color:var(--muted);line-height:1.3;}"
    "table{border-collapse:collapse;margin:.4rem 0 1rem;font-size:.92rem;}"
    "caption{text-align:left;font-weight:600;padding:.3rem 0;}"
    "th,td{border-bottom:1px solid var(--line);padding:.25rem .5rem;"
    "text-align:left;vertical-align:top;}"
    "thead th{border-bottom:2px solid var(--muted);}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;}"
    "td.n{white-space:nowrap;}"
    "td.bar{min-width:130px;white-space:nowrap;}"
    "table.wide{width:100%;}"
    "code{font-size:.85em;color:var(--muted);overflow-wrap:anywhere;}"
    "td.name{overflow-wrap:anywhere;max-width:28rem;}"
    "figure{margin:.8rem 0 1.2rem;}"
    "svg{max-width:100%;height:auto;}"
    "svg text{font-family:inherit;fill:var(--ink);}"
    "svg .axis{stroke:var(--muted);stroke-width:1;}"
    "svg .grid{stroke:var(--line);stroke-width:1;}"
    "svg .bar{fill:var(--accent);}"
    "svg .track{fill:#edf2f7;}"
    "svg .small{font-size:11px;fill:var(--muted);}"
    ".gaps{padding-left:1.6rem;}"
    ".gaps>li{margin-bottom:1.2rem;padding-left:.6rem;"
    "border-left:3px solid var(--line);}"
    ".gaps h3{margin:.2rem 0;}"
    ".gaps dl{margin:.3rem 0;}"
    ".gaps dt{font-weight:600;margin-top:.3rem;}"
    ".gaps dd{margin:0 0 0 1rem;}"
    ".fix{white-space:pre-wrap;}"
    ".up{color:#22543d;}.down{color:#9b2c2c;}"
    ".h0{background:#fde2e1;}.h1{background:#feebc8;}"
    ".h2{background:#fefcbf;}.h3{background:#e6f4ea;}"
    ".h4{background:#c6f6d5;}"
    ".cols{display:flex;flex-wrap:wrap;gap:2rem;}"
    "footer{margin-top:3rem;font-size:.85rem;color:var(--muted);}"
    "@media print{"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact;}"
    "body{max-width:none;padding:0;font-size:10pt;}"
    "nav{display:none;}"
    "h2{break-after:avoid;page-break-after:avoid;}"
    "h3{break-after:avoid;page-break-after:avoid;}"
    "figure,tr,.gaps>li,.card{break-inside:avoid;page-break-inside:avoid;}"
    "thead{display:table-header-group;}"
    "a{color:inherit;text-decoration:none;}"
    "}";

static double
absd(double v)
{
	return v < 0 ? -v : v;
}

static void
esc(struct scan_html *h, const char *s)
{
	nh_html_escape(h->fp, s);
}

/* "67.3%" or "–" when undefined. */
static void
pct(struct scan_html *h, double v)
{
	if (v < 0)
		fputs("&ndash;", h->fp);
	else
		fprintf(h->fp, "%.1f%%", v);
}

void
scan_html_number(struct scan_html *h, double v)
{
	if (v < 0)
		fputs("&ndash;", h->fp);
	else
		fprintf(h->fp, "%.1f", v);
}

static void
number(struct scan_html *h, double v)
{
	scan_html_number(h, v);
}

/* A change in points with its sign and a class for colour. */
static void
delta(struct scan_html *h, double d, const char *unit)
{
	if (absd(d) < 0.05)
		fprintf(h->fp, "0.0%s", unit);
	else
		fprintf(h->fp, "<span class=\"%s\">%+.1f%s</span>",
		    d > 0 ? "up" : "down", d, unit);
}

/* The heat class of an adoption share. */
static const char *
heat(double share)
{
	if (share < 0)
		return "";
	return share >= 80 ? "h4"
	    : share >= 60  ? "h3"
	    : share >= 40  ? "h2"
	    : share >= 20  ? "h1"
			   : "h0";
}

/* ---- the score histogram ---- */

/* ---- adoption ---- */

/* One category's checks: a table with a bar per row. */
static void
adoption_table(struct scan_html *h, size_t cat, const struct scan_stats *s,
    const struct scan_stats *base)
{
	const struct nh_scan_agg *a = h->a;
	const struct scan_cat *c = &a->cats[cat];
	const long *cn = scan_cat_counts(s, cat);

	fputs("<h3>", h->fp);
	esc(h, scan_cat_title(c));
	fputs("</h3>\n<p class=\"note\">Category verdict passed: ", h->fp);
	pct(h, scan_share(cn));
	fprintf(h->fp, " of %ld tested domains (<code>", scan_tested(cn));
	esc(h, c->id);
	fputs("</code>).</p>\n<table class=\"wide\"><caption>", h->fp);
	esc(h, scan_cat_title(c));
	fputs(": adoption per check</caption><thead><tr>"
	      "<th scope=\"col\">Check</th>"
	      "<th scope=\"col\">Passing</th>"
	      "<th scope=\"col\" class=\"n\">Passed</th>"
	      "<th scope=\"col\" class=\"n\">Failed</th>"
	      "<th scope=\"col\" class=\"n\">Warning</th>"
	      "<th scope=\"col\" class=\"n\">Info</th>"
	      "<th scope=\"col\" class=\"n\">Not tested</th>"
	      "<th scope=\"col\" class=\"n\">Error</th>",
	    h->fp);
	if (base != NULL)
		fputs("<th scope=\"col\" class=\"n\">Change</th>", h->fp);
	fputs("</tr></thead><tbody>\n", h->fp);
	for (size_t k = 0; k < a->nchecks; k++) {
		size_t i = a->check_order[k];
		const long *n = scan_check_counts(s, i);
		double sh = scan_share(n);

		if (a->checks[i].cat != cat)
			continue;
		fputs("<tr><th scope=\"row\">", h->fp);
		esc(h, scan_check_title(&a->checks[i]));
		fputs("<br><code>", h->fp);
		esc(h, a->checks[i].id);
		fputs("</code></th><td class=\"bar\">", h->fp);
		if (sh >= 0)
			scan_svg_cell_bar(h, sh);
		pct(h, sh);
		fputs("</td>", h->fp);
		fprintf(h->fp,
		    "<td class=\"n\">%ld</td><td class=\"n\">%ld</td>"
		    "<td class=\"n\">%ld</td><td class=\"n\">%ld</td>"
		    "<td class=\"n\">%ld</td><td class=\"n\">%ld</td>",
		    n[NH_PASSED], n[NH_FAILED], n[NH_WARNING], n[NH_INFO],
		    n[NH_NOT_TESTED], n[NH_ERROR]);
		if (base != NULL) {
			double b = scan_share(scan_check_counts(base, i));

			fputs("<td class=\"n\">", h->fp);
			if (b >= 0 && sh >= 0)
				delta(h, sh - b, " pts");
			else
				fputs("&ndash;", h->fp);
			fputs("</td>", h->fp);
		}
		fputs("</tr>\n", h->fp);
	}
	fputs("</tbody></table>\n", h->fp);
}

static void
adoption(struct scan_html *h)
{
	const struct nh_scan_agg *a = h->a;
	const struct scan_stats *s = &a->rounds[a->cur].all;
	const struct scan_stats *b =
	    a->base >= 0 ? &a->rounds[a->base].all : NULL;

	fputs("<section id=\"adoption\" aria-labelledby=\"adoption-h\">"
	      "<h2 id=\"adoption-h\">Adoption of the standards</h2>\n"
	      "<p class=\"note\">For each standard, the share of the domains "
	      "tested on it that pass. Domains where a check does not apply "
	      "(not tested) and checks that could not run (error) are "
	      "counted apart, neither passing nor failing.</p>\n",
	    h->fp);
	if (a->ncats == 0) {
		fputs(
		    "<p>No test results in this round.</p></section>\n", h->fp);
		return;
	}
	scan_svg_categories(h, s);
	for (size_t k = 0; k < a->ncats; k++)
		adoption_table(h, a->cat_order[k], s, b);
	fputs("</section>\n", h->fp);
}

/* ---- gaps ---- */

static void
gaps(struct scan_html *h)
{
	const struct nh_scan_agg *a = h->a;
	const struct scan_stats *s = &a->rounds[a->cur].all;
	size_t n = a->ngaps < HTML_GAPS ? a->ngaps : HTML_GAPS;

	fputs("<section id=\"gaps\" aria-labelledby=\"gaps-h\">"
	      "<h2 id=\"gaps-h\">Biggest gaps</h2>\n",
	    h->fp);
	if (a->ngaps == 0) {
		fputs("<p>No gaps: every tested check passed.</p></section>\n",
		    h->fp);
		return;
	}
	fputs("<p class=\"note\">Checks that domains fail or are warned on, "
	      "ranked by the number of domains affected, with what the check "
	      "means, who must act and how to fix it.</p>\n"
	      "<table><caption>Who must act</caption><thead><tr>"
	      "<th scope=\"col\">Stakeholder</th>"
	      "<th scope=\"col\" class=\"n\">Gaps (domain &times; check)</th>"
	      "<th scope=\"col\" class=\"n\">Checks</th></tr></thead><tbody>\n",
	    h->fp);
	for (size_t i = 0; i < a->nstakeholders; i++) {
		fputs("<tr><th scope=\"row\">", h->fp);
		esc(h, a->stakeholders[i].name);
		fprintf(h->fp,
		    "</th><td class=\"n\">%ld</td><td class=\"n\">%ld</td>"
		    "</tr>\n",
		    a->stakeholders[i].affected, a->stakeholders[i].checks);
	}
	fputs("</tbody></table>\n<ol class=\"gaps\">\n", h->fp);
	for (size_t i = 0; i < n; i++) {
		const struct scan_check *c = &a->checks[a->gaps[i]];
		const long *k = scan_check_counts(s, a->gaps[i]);
		long tested = scan_tested(k);

		fputs("<li><h3>", h->fp);
		esc(h, scan_check_title(c));
		fprintf(h->fp,
		    "</h3><p>Domains affected: <strong>%ld</strong> (",
		    scan_affected(k));
		pct(h,
		    tested > 0
			? 100.0 * (double)scan_affected(k) / (double)tested
			: -1);
		fprintf(h->fp,
		    " of %ld tested): %ld failed, %ld warned. %s test, "
		    "<code>",
		    tested, k[NH_FAILED], k[NH_WARNING],
		    scan_type_label(c->type));
		esc(h, c->id);
		fputs("</code>.</p>", h->fp);
		if (c->text == NULL) {
			fputs("<p class=\"note\">This version of nethealth has "
			      "no text for this check.</p></li>\n",
			    h->fp);
			continue;
		}
		fputs("<dl><dt>What it means</dt><dd>", h->fp);
		esc(h, c->text->means);
		fputs("</dd><dt>Why it matters</dt><dd>", h->fp);
		esc(h, c->text->why);
		fputs("</dd><dt>Who must act</dt><dd>", h->fp);
		esc(h, c->text->stakeholder);
		fputs("</dd><dt>How to fix it</dt><dd class=\"fix\">", h->fp);
		esc(h, c->text->fix);
		fputs("</dd><dt>Standards</dt><dd>", h->fp);
		esc(h, c->text->refs);
		fputs("</dd></dl></li>\n", h->fp);
	}
	fputs("</ol>\n", h->fp);
	if (a->ngaps > n) {
		fputs("<table><caption>Other gaps</caption><thead><tr>"
		      "<th scope=\"col\">Check</th>"
		      "<th scope=\"col\" class=\"n\">Domains affected</th>"
		      "<th scope=\"col\">Who must act</th></tr></thead>"
		      "<tbody>\n",
		    h->fp);
		for (size_t i = n; i < a->ngaps; i++) {
			const struct scan_check *c = &a->checks[a->gaps[i]];

			fputs("<tr><th scope=\"row\">", h->fp);
			esc(h, scan_check_title(c));
			fputs(" <code>", h->fp);
			esc(h, c->id);
			fprintf(h->fp,
			    "</code></th><td class=\"n\">%ld</td><td>",
			    scan_affected(scan_check_counts(s, a->gaps[i])));
			esc(h, c->text ? c->text->stakeholder : "");
			fputs("</td></tr>\n", h->fp);
		}
		fputs("</tbody></table>\n", h->fp);
	}
	fputs("</section>\n", h->fp);
}

/* ---- progress ---- */

static void
change_table(struct scan_html *h, const char *caption,
    const struct scan_change *c, size_t n)
{
	if (n == 0)
		return;
	fprintf(h->fp,
	    "<table><caption>%s</caption><thead><tr>"
	    "<th scope=\"col\">Domain</th><th scope=\"col\">Test</th>"
	    "<th scope=\"col\" class=\"n\">Before</th>"
	    "<th scope=\"col\" class=\"n\">Now</th>"
	    "<th scope=\"col\" class=\"n\">Change</th></tr></thead><tbody>\n",
	    caption);
	for (size_t i = 0; i < n; i++) {
		fputs("<tr><td class=\"name\">", h->fp);
		esc(h, c[i].domain);
		fprintf(h->fp,
		    "</td><td>%s</td><td class=\"n\">%d</td>"
		    "<td class=\"n\">%d</td><td class=\"n\">",
		    scan_type_label(c[i].type), c[i].before, c[i].after);
		fprintf(h->fp, "<span class=\"%s\">%+d</span></td></tr>\n",
		    c[i].after > c[i].before ? "up" : "down",
		    c[i].after - c[i].before);
	}
	fputs("</tbody></table>\n", h->fp);
}

static void
name_list(struct scan_html *h, const char *title, const char *const *names,
    size_t n, long total)
{
	if (total == 0)
		return;
	fprintf(h->fp, "<h3>%s (%ld)</h3><p>", title, total);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : "", h->fp);
		esc(h, names[i]);
	}
	if ((long)n < total)
		fprintf(h->fp, " and %ld more", total - (long)n);
	fputs(".</p>\n", h->fp);
}

struct check_delta {
	size_t check;
	double d;
};

static int
cmp_delta(const void *x, const void *y)
{
	const struct check_delta *a = x, *b = y;
	double fa = absd(a->d), fb = absd(b->d);

	if (fa != fb)
		return fa < fb ? 1 : -1;
	return (a->check > b->check) - (a->check < b->check);
}

static void
progress(struct scan_html *h)
{
	static const char *const moves[SCAN_NMOVES] = { "Improved", "Worsened",
		"Unchanged", "New", "Gone", "No score on one side" };
	const struct nh_scan_agg *a = h->a;
	const struct scan_stats *now = &a->rounds[a->cur].all, *was;
	struct check_delta *d;
	size_t nd = 0;

	fputs("<section id=\"progress\" aria-labelledby=\"progress-h\">"
	      "<h2 id=\"progress-h\">Progress</h2>\n",
	    h->fp);
	if (a->base < 0) {
		fputs("<p>There is no earlier round to compare with.</p>"
		      "</section>\n",
		    h->fp);
		return;
	}
	was = &a->rounds[a->base].all;
	fprintf(h->fp, "<p>Since round %lld (started ",
	    (long long)a->rounds[a->base].id);
	esc(h, a->rounds[a->base].started);
	fprintf(h->fp,
	    "): new domains %ld, gone domains %ld. A test improved or "
	    "worsened when its score went up or down.</p>\n"
	    "<table><caption>Tests by how their score moved</caption>"
	    "<thead><tr><th scope=\"col\">Test</th>",
	    a->domains_new, a->domains_gone);
	for (int k = 0; k < SCAN_NMOVES; k++)
		fprintf(
		    h->fp, "<th scope=\"col\" class=\"n\">%s</th>", moves[k]);
	fputs("<th scope=\"col\" class=\"n\">Mean before</th>"
	      "<th scope=\"col\" class=\"n\">Mean now</th></tr></thead>"
	      "<tbody>\n",
	    h->fp);
	for (int t = 0; t < SCAN_NTYPES; t++) {
		if (!scan_has_type(now, (enum nh_test_type)t) &&
		    !scan_has_type(was, (enum nh_test_type)t))
			continue;
		fprintf(h->fp, "<tr><th scope=\"row\">%s</th>",
		    scan_type_label((enum nh_test_type)t));
		for (int k = 0; k < SCAN_NMOVES; k++)
			fprintf(
			    h->fp, "<td class=\"n\">%ld</td>", a->moves[t][k]);
		fputs("<td class=\"n\">", h->fp);
		number(h, scan_mean(&was->type[t]));
		fputs("</td><td class=\"n\">", h->fp);
		number(h, scan_mean(&now->type[t]));
		fputs("</td></tr>\n", h->fp);
	}
	fputs("</tbody></table>\n", h->fp);
	fputs("<div class=\"cols\">", h->fp);
	change_table(h, "Biggest improvements", a->improved,
	    a->nimproved < HTML_CHANGES ? a->nimproved : HTML_CHANGES);
	change_table(h, "Biggest drops", a->worsened,
	    a->nworsened < HTML_CHANGES ? a->nworsened : HTML_CHANGES);
	fputs("</div>\n", h->fp);
	name_list(h, "New domains", a->new_domains, a->nnew, a->domains_new);
	name_list(
	    h, "Gone domains", a->gone_domains, a->ngone, a->domains_gone);

	if ((d = malloc((a->nchecks + 1) * sizeof(*d))) == NULL) {
		fputs("</section>\n", h->fp);
		return;
	}
	for (size_t c = 0; c < a->nchecks; c++) {
		double s0 = scan_share(scan_check_counts(was, c));
		double s1 = scan_share(scan_check_counts(now, c));

		if (s0 >= 0 && s1 >= 0 && absd(s1 - s0) >= 0.05)
			d[nd++] = (struct check_delta){ c, s1 - s0 };
	}
	qsort(d, nd, sizeof(*d), cmp_delta);
	fputs("<h3>Adoption change per check</h3>\n", h->fp);
	if (nd == 0)
		fputs("<p>No check's adoption changed.</p>\n", h->fp);
	else
		fputs("<table><caption>Checks whose adoption changed, largest "
		      "change first</caption><thead><tr>"
		      "<th scope=\"col\">Check</th>"
		      "<th scope=\"col\" class=\"n\">Before</th>"
		      "<th scope=\"col\" class=\"n\">Now</th>"
		      "<th scope=\"col\" class=\"n\">Change</th></tr></thead>"
		      "<tbody>\n",
		    h->fp);
	for (size_t i = 0; i < nd; i++) {
		const struct scan_check *c = &a->checks[d[i].check];

		fputs("<tr><th scope=\"row\">", h->fp);
		esc(h, scan_check_title(c));
		fputs(" <code>", h->fp);
		esc(h, c->id);
		fputs("</code></th><td class=\"n\">", h->fp);
		pct(h, scan_share(scan_check_counts(was, d[i].check)));
		fputs("</td><td class=\"n\">", h->fp);
		pct(h, scan_share(scan_check_counts(now, d[i].check)));
		fputs("</td><td class=\"n\">", h->fp);
		delta(h, d[i].d, " pts");
		fputs("</td></tr>\n", h->fp);
	}
	if (nd > 0)
		fputs("</tbody></table>\n", h->fp);
	free(d);
	fputs("</section>\n", h->fp);
}

/* ---- trends ---- */

static double
mean_of(const struct scan_round *r, size_t type)
{
	return scan_mean(&r->all.type[type]);
}

static double
cat_share_of(const struct scan_round *r, size_t cat)
{
	return scan_share(scan_cat_counts(&r->all, cat));
}

static void
trends(struct scan_html *h)
{
	const struct nh_scan_agg *a = h->a;
	size_t which[SCAN_SERIES];
	const char *names[SCAN_SERIES];
	size_t n = 0;

	fputs("<section id=\"trend\" aria-labelledby=\"trend-h\">"
	      "<h2 id=\"trend-h\">Trend across rounds</h2>\n",
	    h->fp);
	if (a->nrounds < 2)
		fputs("<p class=\"note\">Only one round so far: the lines "
		      "start with the next round.</p>\n",
		    h->fp);
	for (int t = 0; t < SCAN_NTYPES; t++) {
		bool any = false;

		for (size_t i = 0; i < a->nrounds; i++)
			any = any ||
			    scan_has_type(
				&a->rounds[i].all, (enum nh_test_type)t);
		if (any) {
			which[n] = (size_t)t;
			names[n++] = scan_type_label((enum nh_test_type)t);
		}
	}
	if (n > 0)
		scan_svg_lines(
		    h, "Mean score per round", "", which, names, n, mean_of);
	for (int t = 0; t < SCAN_NTYPES; t++) {
		char title[96];

		n = 0;
		for (size_t k = 0; k < a->ncats && n < SCAN_SERIES; k++) {
			size_t c = a->cat_order[k];

			if ((int)a->cats[c].type != t)
				continue;
			which[n] = c;
			names[n++] = scan_cat_title(&a->cats[c]);
		}
		if (n == 0)
			continue;
		snprintf(title, sizeof(title),
		    "%s: adoption per category per round",
		    scan_type_label((enum nh_test_type)t));
		scan_svg_lines(h, title, "%", which, names, n, cat_share_of);
	}
	fputs("</section>\n", h->fp);
}

/* ---- groups ---- */

static void
groups(struct scan_html *h)
{
	const struct nh_scan_agg *a = h->a;
	const struct scan_round *r = &a->rounds[a->cur];
	const struct scan_round *b = a->base >= 0 ? &a->rounds[a->base] : NULL;

	if (a->by == NULL)
		return;
	fputs("<section id=\"groups\" aria-labelledby=\"groups-h\">"
	      "<h2 id=\"groups-h\">By ",
	    h->fp);
	esc(h, a->by);
	fputs("</h2>\n<p class=\"note\">", h->fp);
	if (strcmp(a->by, "tag") == 0)
		fputs("Domains grouped by each of their plain tags", h->fp);
	else {
		fputs(
		    "Domains grouped by the value of their tag <code>", h->fp);
		esc(h, a->by);
		fputs("=&hellip;</code>", h->fp);
	}
	fputs("; a domain with several is in each group, one with none in "
	      "&ldquo;(none)&rdquo;. Cells give the share of tested domains "
	      "passing each category.</p>\n",
	    h->fp);
	for (int t = 0; t < SCAN_NTYPES; t++) {
		if (!scan_has_type(&r->all, (enum nh_test_type)t))
			continue;
		fprintf(h->fp,
		    "<table><caption>%s test by group</caption><thead><tr>"
		    "<th scope=\"col\">Group</th>"
		    "<th scope=\"col\" class=\"n\">Domains</th>"
		    "<th scope=\"col\" class=\"n\">Mean</th>"
		    "<th scope=\"col\" class=\"n\">Median</th>",
		    scan_type_label((enum nh_test_type)t));
		if (b != NULL)
			fputs("<th scope=\"col\" class=\"n\">Mean change</th>",
			    h->fp);
		for (size_t k = 0; k < a->ncats; k++) {
			const struct scan_cat *c = &a->cats[a->cat_order[k]];

			if ((int)c->type != t)
				continue;
			fputs("<th scope=\"col\" class=\"n\">", h->fp);
			esc(h, scan_cat_title(c));
			fputs("</th>", h->fp);
		}
		fputs("</tr></thead><tbody>\n", h->fp);
		for (size_t gk = 0; gk < a->ngroups; gk++) {
			size_t g = a->group_order[gk];
			const struct scan_stats *s = scan_group_stats(r, g);
			const struct scan_type_stats *ts = &s->type[t];

			if (!scan_has_type(s, (enum nh_test_type)t))
				continue;
			fputs("<tr><th scope=\"row\" class=\"name\">", h->fp);
			esc(h, a->groups[g]);
			fprintf(h->fp,
			    "</th><td class=\"n\">%ld</td>"
			    "<td class=\"n\">",
			    ts->scored + ts->unscored + ts->errors);
			number(h, scan_mean(ts));
			fputs("</td><td class=\"n\">", h->fp);
			number(h, scan_median(ts));
			fputs("</td>", h->fp);
			if (b != NULL) {
				double m0 =
				    scan_mean(&scan_group_stats(b, g)->type[t]);
				double m1 = scan_mean(ts);

				fputs("<td class=\"n\">", h->fp);
				if (m0 >= 0 && m1 >= 0)
					delta(h, m1 - m0, "");
				else
					fputs("&ndash;", h->fp);
				fputs("</td>", h->fp);
			}
			for (size_t k = 0; k < a->ncats; k++) {
				size_t c = a->cat_order[k];
				double sh;

				if ((int)a->cats[c].type != t)
					continue;
				sh = scan_share(scan_cat_counts(s, c));
				fprintf(h->fp, "<td class=\"n %s\">", heat(sh));
				pct(h, sh);
				fputs("</td>", h->fp);
			}
			fputs("</tr>\n", h->fp);
		}
		fputs("</tbody></table>\n", h->fp);
	}
	fputs("</section>\n", h->fp);
}

/* ---- problems, summary, page ---- */

static void
problems(struct scan_html *h)
{
	const struct nh_scan_agg *a = h->a;
	long total = a->invalid_total + a->errors_total;

	fputs("<section id=\"problems\" aria-labelledby=\"problems-h\">"
	      "<h2 id=\"problems-h\">Invalid lines and tests that could not "
	      "run</h2>\n",
	    h->fp);
	fprintf(h->fp,
	    "<p>Invalid lines in the list: %ld. Tests that could not run: "
	    "%ld.</p>\n",
	    a->invalid_total, a->errors_total);
	if (total == 0) {
		fputs("</section>\n", h->fp);
		return;
	}
	fputs("<table><caption>Problems and their reasons</caption><thead><tr>"
	      "<th scope=\"col\">Domain or line</th>"
	      "<th scope=\"col\">Test</th><th scope=\"col\">Reason</th>"
	      "</tr></thead><tbody>\n",
	    h->fp);
	for (size_t i = 0; i < a->nlisted; i++) {
		const struct scan_listed *l = &a->listed[i];

		fputs("<tr><td class=\"name\">", h->fp);
		esc(h, l->domain);
		fprintf(h->fp, "</td><td>%s</td><td>",
		    l->invalid ? "invalid line" : scan_type_label(l->type));
		esc(h, l->reason);
		fputs("</td></tr>\n", h->fp);
	}
	fputs("</tbody></table>\n", h->fp);
	if ((long)a->nlisted < total)
		fprintf(h->fp,
		    "<p class=\"note\">%ld more not listed here; the JSON and "
		    "CSV outputs have them all.</p>\n",
		    total - (long)a->nlisted);
	fputs("</section>\n", h->fp);
}

static void
card(struct scan_html *h, const char *label)
{
	fprintf(h->fp, "<div class=\"card\"><dt>%s</dt><dd>", label);
}

static void
summary(struct scan_html *h)
{
	const struct nh_scan_agg *a = h->a;
	const struct scan_round *r = &a->rounds[a->cur];
	const struct scan_stats *s = &r->all;

	fputs("<section id=\"summary\" aria-labelledby=\"summary-h\">"
	      "<h2 id=\"summary-h\">Summary</h2>\n<dl class=\"cards\">",
	    h->fp);
	card(h, "Domains tested");
	fprintf(h->fp, "%ld</dd></div>", s->domains);
	for (int t = 0; t < SCAN_NTYPES; t++) {
		if (!scan_has_type(s, (enum nh_test_type)t))
			continue;
		card(h,
		    t == NH_TEST_WEB ? "Website test: mean score"
				     : "Mail test: mean score");
		number(h, scan_mean(&s->type[t]));
		fputs(" <small>median ", h->fp);
		number(h, scan_median(&s->type[t]));
		if (a->base >= 0) {
			double m0 = scan_mean(&a->rounds[a->base].all.type[t]);
			double m1 = scan_mean(&s->type[t]);

			if (m0 >= 0 && m1 >= 0) {
				fputs("; ", h->fp);
				delta(h, m1 - m0, "");
				fprintf(h->fp, " since round %lld",
				    (long long)a->rounds[a->base].id);
			}
		}
		fputs("</small></dd></div>", h->fp);
	}
	if (a->ngaps > 0) {
		const struct scan_check *c = &a->checks[a->gaps[0]];

		card(h, "Biggest gap: domains affected");
		fprintf(h->fp, "%ld <small>",
		    scan_affected(scan_check_counts(s, a->gaps[0])));
		esc(h, scan_check_title(c));
		fputs("</small></dd></div>", h->fp);
	}
	card(h, "Invalid lines; tests that could not run");
	fprintf(
	    h->fp, "%ld; %ld</dd></div>", a->invalid_total, a->errors_total);
	fputs("</dl>\n</section>\n", h->fp);
}

static void
method(struct scan_html *h)
{
	fputs("<section id=\"method\" aria-labelledby=\"method-h\">"
	      "<h2 id=\"method-h\">How to read this report</h2>\n<ul>"
	      "<li>Scores follow Internet.nl's model: per category the points "
	      "earned over the points possible for its mandatory checks, per "
	      "test the mean of the scored categories, from 0 to 100.</li>"
	      "<li>The score charts count domains per 10-point bin: 0&ndash;9 "
	      "up to 90&ndash;100 (the last bin holds 100).</li>"
	      "<li>Adoption is the share of tested domains that pass: a "
	      "check's status passed, over passed, failed, warning and info. "
	      "Not tested (the check does not apply) and error (it could not "
	      "run) are counted apart.</li>"
	      "<li>A gap is a check that a domain fails or is warned on; gaps "
	      "are ranked by the number of domains affected. Who must act "
	      "comes from the catalog of each check.</li>"
	      "<li>Progress compares each domain's score per test with the "
	      "base round: improved, worsened or unchanged; new and gone "
	      "tests and domains are counted apart, and so are tests without "
	      "a score on one side.</li></ul>\n</section>\n",
	    h->fp);
}

int
nh_report_scan_html(FILE *fp, const struct nh_scan_agg *a)
{
	struct scan_html h = { fp, a, 0 };
	const struct scan_round *r = &a->rounds[a->cur];
	const struct scan_stats *s = &r->all;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" "
	      "content=\"default-src 'none'; style-src 'unsafe-inline'; "
	      "img-src data:; base-uri 'none'; form-action 'none'\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"nethealth " NH_VERSION
	      "\">\n<title>nethealth report: ",
	    fp);
	esc(&h, r->source);
	fprintf(fp,
	    ", round %lld</title>\n<style>%s</style>\n</head>\n<body>\n",
	    (long long)r->id, css);
	fputs("<header><h1>Internet standards report: ", fp);
	esc(&h, r->source);
	fprintf(fp, "</h1>\n<p class=\"meta\">Round %lld, started ",
	    (long long)r->id);
	esc(&h, r->started);
	if (r->finished != NULL) {
		fputs(", finished ", fp);
		esc(&h, r->finished);
	} else {
		fputs(", <strong>not finished</strong>: the figures cover the "
		      "results so far",
		    fp);
	}
	fprintf(fp,
	    ". %ld domains in the list, %ld results. Made by nethealth "
	    "%s.</p>\n</header>\n",
	    r->targets, r->results, NH_VERSION);
	fputs("<nav aria-label=\"Contents\"><ul>"
	      "<li><a href=\"#summary\">Summary</a></li>"
	      "<li><a href=\"#scores\">Scores</a></li>"
	      "<li><a href=\"#adoption\">Adoption</a></li>"
	      "<li><a href=\"#gaps\">Biggest gaps</a></li>"
	      "<li><a href=\"#progress\">Progress</a></li>"
	      "<li><a href=\"#trend\">Trend</a></li>",
	    fp);
	if (a->by != NULL)
		fputs("<li><a href=\"#groups\">Groups</a></li>", fp);
	fputs("<li><a href=\"#problems\">Problems</a></li>"
	      "<li><a href=\"#method\">How to read</a></li></ul></nav>\n"
	      "<main>\n",
	    fp);
	summary(&h);
	fputs("<section id=\"scores\" aria-labelledby=\"scores-h\">"
	      "<h2 id=\"scores-h\">Score distribution</h2>\n",
	    fp);
	for (int t = 0; t < SCAN_NTYPES; t++) {
		if (!scan_has_type(s, (enum nh_test_type)t))
			continue;
		fprintf(fp, "<h3>%s test</h3>\n",
		    scan_type_label((enum nh_test_type)t));
		scan_svg_histogram(&h, (enum nh_test_type)t, &s->type[t]);
	}
	if (!scan_has_type(s, NH_TEST_WEB) && !scan_has_type(s, NH_TEST_MAIL))
		fputs("<p>No scores in this round yet.</p>\n", fp);
	fputs("</section>\n", fp);
	adoption(&h);
	gaps(&h);
	progress(&h);
	trends(&h);
	groups(&h);
	problems(&h);
	method(&h);
	fputs("</main>\n<footer><p>nethealth " NH_VERSION
	      ": measures domains against the Internet's security standards. "
	      "This page is self-contained: it loads nothing and runs no "
	      "script.</p></footer>\n</body>\n</html>\n",
	    fp);
	return ferror(fp) ? -1 : 0;
}
