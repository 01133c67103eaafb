/*
 * scan_svg.c: the inline SVG charts of the HTML report, drawn here: the
 * score histogram, the adoption bar per category, the small bar of a table
 * cell, and the line charts across rounds. Each chart that carries
 * information has role="img" with a <title> and a <desc> that says its
 * numbers, and a table beside it; a decorative one is aria-hidden.
 */
#include "scan_impl.h"

/* Okabe-Ito colours (told apart by most colour-blind readers) and dash
 * patterns, so that lines differ by more than colour. */
static const char *const series_color[SCAN_SERIES] = { "#0072B2", "#D55E00",
	"#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C6D1F" };
static const char *const series_dash[SCAN_SERIES] = { "", "6 3", "2 3",
	"8 3 2 3", "12 4", "4 2 1 2", "1 3", "10 2 2 2 2 2" };

static void
esc(struct scan_html *h, const char *s)
{
	nh_html_escape(h->fp, s);
}

static void
number(struct scan_html *h, double v)
{
	scan_html_number(h, v);
}

/* A count axis for values up to v: a step of 1, 2 or 5 times a power of
 * ten, and a top that is a multiple of it, with at most 5 steps. */
static void
count_axis(long v, long *top, long *step)
{
	static const long m[] = { 1, 2, 5 };

	for (long p = 1;; p *= 10) {
		for (int i = 0; i < 3; i++) {
			long st = m[i] * p, n = (v + st - 1) / st;

			if (n <= 5) {
				*step = st;
				*top = (n > 0 ? n : 1) * st;
				return;
			}
		}
	}
}

/* A small adoption bar for a table cell; the number beside it is what a
 * screen reader reads. */
void
scan_svg_cell_bar(struct scan_html *h, double share)
{
	fputs("<svg width=\"120\" height=\"12\" viewBox=\"0 0 120 12\" "
	      "aria-hidden=\"true\" focusable=\"false\">"
	      "<rect class=\"track\" x=\"0\" y=\"0\" width=\"120\" "
	      "height=\"12\"/>",
	    h->fp);
	if (share > 0)
		fprintf(h->fp,
		    "<rect class=\"bar\" x=\"0\" y=\"0\" width=\"%.1f\" "
		    "height=\"12\"/>",
		    1.2 * share);
	fputs("</svg> ", h->fp);
}

void
scan_svg_histogram(
    struct scan_html *h, enum nh_test_type t, const struct scan_type_stats *ts)
{
	const int W = 560, H = 250, L = 50, R = 10, T = 14, B = 40;
	const double pw = W - L - R, ph = H - T - B, bw = pw / SCAN_BINS;
	long bins[SCAN_BINS], max = 0, top, step;
	int id = ++h->ids;

	scan_bins(ts, bins);
	for (int i = 0; i < SCAN_BINS; i++)
		max = bins[i] > max ? bins[i] : max;
	count_axis(max, &top, &step);
	fprintf(h->fp,
	    "<figure><svg role=\"img\" aria-labelledby=\"c%d-t c%d-d\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
	    "<title id=\"c%d-t\">%s: domains per score</title>"
	    "<desc id=\"c%d-d\">",
	    id, id, W, H, W, H, id, scan_type_label(t), id);
	for (int i = 0; i < SCAN_BINS; i++)
		fprintf(h->fp, "%s%d to %d: %ld", i ? "; " : "", i * 10,
		    i == SCAN_BINS - 1 ? 100 : i * 10 + 9, bins[i]);
	fputs(".</desc>", h->fp);
	for (long v = 0; v <= top; v += step) {
		double y = T + ph - ph * (double)v / (double)top;

		fprintf(h->fp,
		    "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" "
		    "y2=\"%.1f\"/><text class=\"small\" x=\"%d\" y=\"%.1f\" "
		    "text-anchor=\"end\">%ld</text>",
		    L, W - R, y, y, L - 6, y + 4, v);
	}
	for (int i = 0; i < SCAN_BINS; i++) {
		double bh = ph * (double)bins[i] / (double)top;
		double x = L + bw * i;

		fprintf(h->fp,
		    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\"><title>%d to %d: %ld</title></rect>",
		    x + 2, T + ph - bh, bw - 4, bh, i * 10,
		    i == SCAN_BINS - 1 ? 100 : i * 10 + 9, bins[i]);
		fprintf(h->fp,
		    "<text class=\"small\" x=\"%.1f\" y=\"%d\" "
		    "text-anchor=\"middle\">%d&ndash;%d</text>",
		    x + bw / 2, H - B + 16, i * 10,
		    i == SCAN_BINS - 1 ? 100 : i * 10 + 9);
	}
	fprintf(h->fp,
	    "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
	    "<text class=\"small\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
	    "score</text></svg>",
	    L, W - R, T + ph, T + ph, L + pw / 2, H - 6);
	fprintf(h->fp, "<figcaption>%s: %ld domains scored; mean ",
	    scan_type_label(t), ts->scored);
	number(h, scan_mean(ts));
	fputs(", median ", h->fp);
	number(h, scan_median(ts));
	fputs(".</figcaption></figure>\n", h->fp);

	fprintf(h->fp,
	    "<table><caption>%s: domains per score bin</caption>"
	    "<thead><tr><th scope=\"col\">Score</th>",
	    scan_type_label(t));
	for (int i = 0; i < SCAN_BINS; i++)
		fprintf(h->fp, "<th scope=\"col\" class=\"n\">%d&ndash;%d</th>",
		    i * 10, i == SCAN_BINS - 1 ? 100 : i * 10 + 9);
	fputs("</tr></thead><tbody><tr><th scope=\"row\">Domains</th>", h->fp);
	for (int i = 0; i < SCAN_BINS; i++)
		fprintf(h->fp, "<td class=\"n\">%ld</td>", bins[i]);
	fputs("</tr></tbody></table>\n", h->fp);
	if (ts->unscored > 0 || ts->errors > 0)
		fprintf(h->fp,
		    "<p class=\"note\">Not in the chart: tests without a "
		    "score (no scored category applied): %ld; tests that could "
		    "not run: %ld.</p>\n",
		    ts->unscored, ts->errors);
}

/* The overview: one bar per category, the label above it. */
void
scan_svg_categories(struct scan_html *h, const struct scan_stats *s)
{
	const struct nh_scan_agg *a = h->a;
	const int W = 700, row = 44, L = 4, bwmax = 560;
	int id = ++h->ids, H = (int)a->ncats * row + 8;

	fprintf(h->fp,
	    "<figure><svg role=\"img\" aria-labelledby=\"c%d-t c%d-d\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
	    "<title id=\"c%d-t\">Adoption per category: share of tested "
	    "domains passing</title><desc id=\"c%d-d\">",
	    id, id, W, H, W, H, id, id);
	for (size_t k = 0; k < a->ncats; k++) {
		size_t c = a->cat_order[k];
		double sh = scan_share(scan_cat_counts(s, c));

		fprintf(h->fp, "%s", k ? "; " : "");
		esc(h, scan_cat_title(&a->cats[c]));
		fputs(": ", h->fp);
		if (sh < 0)
			fputs("not tested", h->fp);
		else
			fprintf(h->fp, "%.1f%%", sh);
	}
	fputs(".</desc>", h->fp);
	for (size_t k = 0; k < a->ncats; k++) {
		size_t c = a->cat_order[k];
		double sh = scan_share(scan_cat_counts(s, c));
		int y = (int)k * row + 4;

		fprintf(h->fp, "<text x=\"%d\" y=\"%d\">%s: ", L, y + 14,
		    scan_type_label(a->cats[c].type));
		esc(h, scan_cat_title(&a->cats[c]));
		fprintf(h->fp,
		    "</text><rect class=\"track\" x=\"%d\" y=\"%d\" "
		    "width=\"%d\" height=\"16\"/>",
		    L, y + 20, bwmax);
		if (sh > 0)
			fprintf(h->fp,
			    "<rect class=\"bar\" x=\"%d\" y=\"%d\" "
			    "width=\"%.1f\" height=\"16\"/>",
			    L, y + 20, bwmax * sh / 100);
		fprintf(
		    h->fp, "<text x=\"%d\" y=\"%d\">", L + bwmax + 8, y + 33);
		if (sh < 0)
			fputs("not tested", h->fp);
		else
			fprintf(h->fp, "%.1f%%", sh);
		fputs("</text>", h->fp);
	}
	fputs("</svg><figcaption>Share of tested domains whose category "
	      "verdict is passed.</figcaption></figure>\n",
	    h->fp);
}

/*
 * A line chart across rounds, 0..100, one line per series, with a legend
 * inside the chart and a table of the values after it.
 */
void
scan_svg_lines(struct scan_html *h, const char *title, const char *unit,
    const size_t *which, const char *const *names, size_t nseries,
    scan_value_fn value)
{
	const struct nh_scan_agg *a = h->a;
	const int W = 700, L = 44, R = 16, T = 14 + 18 * (int)nseries, B = 34;
	const int H = T + 200 + B;
	const double pw = W - L - R, ph = 200;
	size_t nr = a->nrounds, every = nr > 12 ? (nr + 11) / 12 : 1;
	int id = ++h->ids;

	fprintf(h->fp,
	    "<figure><svg role=\"img\" aria-labelledby=\"c%d-t c%d-d\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
	    "<title id=\"c%d-t\">%s</title><desc id=\"c%d-d\">",
	    id, id, W, H, W, H, id, title, id);
	for (size_t s = 0; s < nseries; s++) {
		esc(h, names[s]);
		fputs(":", h->fp);
		for (size_t i = 0; i < nr; i++) {
			double v = value(&a->rounds[i], which[s]);

			fprintf(
			    h->fp, " round %lld ", (long long)a->rounds[i].id);
			if (v < 0)
				fputs("none", h->fp);
			else
				fprintf(h->fp, "%.1f%s", v, unit);
			fputs(i + 1 < nr ? "," : ".", h->fp);
		}
		fputs(" ", h->fp);
	}
	fputs("</desc>", h->fp);
	for (size_t s = 0; s < nseries; s++) {
		int y = 14 + 18 * (int)s;

		fprintf(h->fp,
		    "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" "
		    "stroke=\"%s\" stroke-width=\"2.5\" "
		    "stroke-dasharray=\"%s\"/><text x=\"%d\" y=\"%d\">",
		    L, L + 36, y - 4, y - 4, series_color[s % SCAN_SERIES],
		    series_dash[s % SCAN_SERIES], L + 44, y);
		esc(h, names[s]);
		fputs("</text>", h->fp);
	}
	for (int k = 0; k <= 4; k++) {
		double y = T + ph - ph * k / 4;

		fprintf(h->fp,
		    "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" "
		    "y2=\"%.1f\"/><text class=\"small\" x=\"%d\" y=\"%.1f\" "
		    "text-anchor=\"end\">%d</text>",
		    L, W - R, y, y, L - 6, y + 4, k * 25);
	}
	for (size_t i = 0; i < nr; i++) {
		double x = nr > 1
		    ? L + 10 + (pw - 20) * (double)i / (double)(nr - 1)
		    : L + pw / 2;

		if (i % every == 0 || i + 1 == nr)
			fprintf(h->fp,
			    "<text class=\"small\" x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\">%lld</text>",
			    x, T + ph + 16, (long long)a->rounds[i].id);
	}
	fprintf(h->fp,
	    "<text class=\"small\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
	    "round</text>",
	    L + pw / 2, H - 4);
	for (size_t s = 0; s < nseries; s++) {
		bool open = false;

		for (size_t i = 0; i < nr; i++) {
			double v = value(&a->rounds[i], which[s]);
			double x = nr > 1
			    ? L + 10 + (pw - 20) * (double)i / (double)(nr - 1)
			    : L + pw / 2;

			if (v < 0)
				continue;
			fprintf(h->fp, "%s%.1f,%.1f",
			    open ? " " : "<polyline fill=\"none\" points=\"", x,
			    T + ph - ph * v / 100);
			open = true;
		}
		if (open)
			fprintf(h->fp,
			    "\" stroke=\"%s\" stroke-width=\"2.5\" "
			    "stroke-dasharray=\"%s\"/>",
			    series_color[s % SCAN_SERIES],
			    series_dash[s % SCAN_SERIES]);
		for (size_t i = 0; i < nr; i++) {
			double v = value(&a->rounds[i], which[s]);
			double x = nr > 1
			    ? L + 10 + (pw - 20) * (double)i / (double)(nr - 1)
			    : L + pw / 2;

			if (v < 0)
				continue;
			fprintf(h->fp,
			    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
			    "fill=\"%s\"><title>",
			    x, T + ph - ph * v / 100,
			    series_color[s % SCAN_SERIES]);
			esc(h, names[s]);
			fprintf(h->fp, ", round %lld: %.1f%s</title></circle>",
			    (long long)a->rounds[i].id, v, unit);
		}
	}
	fprintf(h->fp,
	    "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" "
	    "y2=\"%.1f\"/></svg><figcaption>%s.</figcaption></figure>\n",
	    L, W - R, T + ph, T + ph, title);

	fprintf(h->fp,
	    "<table><caption>%s</caption><thead><tr>"
	    "<th scope=\"col\">Round</th><th scope=\"col\">Started"
	    "</th>",
	    title);
	for (size_t s = 0; s < nseries; s++) {
		fputs("<th scope=\"col\" class=\"n\">", h->fp);
		esc(h, names[s]);
		fputs("</th>", h->fp);
	}
	fputs("</tr></thead><tbody>\n", h->fp);
	for (size_t i = 0; i < nr; i++) {
		fprintf(h->fp, "<tr><th scope=\"row\">%lld%s</th><td>",
		    (long long)a->rounds[i].id,
		    (long)i == a->cur ? " (this report)" : "");
		esc(h, a->rounds[i].started);
		fputs("</td>", h->fp);
		for (size_t s = 0; s < nseries; s++) {
			double v = value(&a->rounds[i], which[s]);

			fputs("<td class=\"n\">", h->fp);
			if (v < 0)
				fputs("&ndash;", h->fp);
			else
				fprintf(h->fp, "%.1f%s", v, unit);
			fputs("</td>", h->fp);
		}
		fputs("</tr>\n", h->fp);
	}
	fputs("</tbody></table>\n", h->fp);
}
