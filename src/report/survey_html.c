/*
 * survey_html.c: the survey report as one self-contained HTML page
 * (inline CSS, no script, no outside resource; a Content-Security-Policy
 * forbids them). Every string from the store or the catalog goes through
 * nh_html_escape().
 */
#include "survey_impl.h"

static const char css[] =
    "body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:"
    "72rem;padding:1rem;color:#1a1a1a}"
    "table{border-collapse:collapse;margin:.5rem 0 1rem}"
    "th,td{border-bottom:1px solid #ddd;padding:.2rem .5rem;text-align:"
    "right}th:first-child,td:first-child,td.l,th.l{text-align:left}"
    "thead th{background:#f2f2f2}.up{color:#b00020}.down{color:#1b7a2b}"
    "pre{background:#f6f6f6;padding:.5rem;white-space:pre-wrap}"
    ".meta{color:#555}.card{border:1px solid #ddd;border-radius:6px;"
    "padding:.5rem 1rem;margin:.5rem 0}";

static void
esc(FILE *fp, const char *s)
{
	nh_html_escape(fp, s);
}

/* A change cell: "+3" in red (worse), "-3" in green, "0". */
static void
delta(FILE *fp, const struct nh_survey_agg *a, long now, long before)
{
	if (!survey_has_base(a)) {
		fputs("<td>–</td>", fp);
		return;
	}
	fprintf(fp, "<td class=\"%s\">%+ld</td>",
	    now > before       ? "up"
		: now < before ? "down"
			       : "",
	    now - before);
}

static void
round_meta(FILE *fp, const char *what, const struct survey_side *sd)
{
	fprintf(fp, "<p class=\"meta\">%s survey round %lld (", what,
	    (long long)sd->id);
	esc(fp, sd->source);
	fputs("), started ", fp);
	esc(fp, sd->started);
	if (sd->finished != NULL) {
		fputs(", finished ", fp);
		esc(fp, sd->finished);
	} else {
		fputs(", <strong>not finished</strong>", fp);
	}
	fprintf(fp, "; %ld records.</p>\n", sd->records);
}

static void
services(FILE *fp, const struct nh_survey_agg *a)
{
	const struct survey_side *cur = &a->side[SURVEY_CUR];
	const struct survey_side *base = &a->side[SURVEY_BASE];

	fputs("<section id=\"services\"><h2>Exposed services</h2>\n"
	      "<table><thead><tr><th>Service</th><th>Now</th><th>Before</th>"
	      "<th>Change</th><th>AF</th><th>Weighted</th>"
	      "<th>DDoS potential (Mbit/s)</th></tr></thead><tbody>\n",
	    fp);
	for (int j = 0; j < NH_SVC_COUNT; j++) {
		fputs("<tr><td>", fp);
		esc(fp, nh_svc_table[j].title);
		fprintf(fp, " (%s, UDP %u)</td><td>%ld</td>",
		    nh_svc_table[j].name, (unsigned)nh_svc_table[j].port,
		    cur->count[j]);
		if (survey_has_base(a))
			fprintf(fp, "<td>%ld</td>", base->count[j]);
		else
			fputs("<td>–</td>", fp);
		delta(fp, a, cur->count[j], base->count[j]);
		fprintf(fp, "<td>%.1f</td><td>%.0f</td><td>%.1f</td></tr>\n",
		    nh_svc_table[j].weight,
		    (double)cur->count[j] * nh_svc_table[j].weight,
		    (double)cur->count[j] *
			survey_device_kbps(a, (enum nh_svc)j) / 1000.0);
	}
	fprintf(fp, "<tr><th>Total</th><th>%ld</th>", cur->total);
	if (survey_has_base(a))
		fprintf(fp, "<th>%ld</th>", base->total);
	else
		fputs("<th>–</th>", fp);
	delta(fp, a, cur->total, base->total);
	fprintf(fp,
	    "<th></th><th>%.0f</th><th>%.1f</th></tr>\n</tbody></table>"
	    "</section>\n",
	    cur->weighted, cur->ddos_kbps / 1000.0);
}

static void
entities(FILE *fp, const struct nh_survey_agg *a, const char *id,
    const char *title, const struct survey_ents *e)
{
	size_t shown = 0;

	fprintf(fp, "<section id=\"%s\"><h2>%s, worst first</h2>\n", id, title);
	if (e->n == 0) {
		fputs("<p>None.</p></section>\n", fp);
		return;
	}
	fputs("<table><thead><tr><th>Rank</th><th class=\"l\">Name</th>", fp);
	for (int j = 0; j < NH_SVC_COUNT; j++)
		fprintf(fp, "<th>%s</th>", nh_svc_table[j].name);
	fputs("<th>Total</th><th>Change</th><th>Weighted</th>"
	      "<th>Weighted before</th><th>DDoS (Mbit/s)</th></tr></thead>"
	      "<tbody>\n",
	    fp);
	for (size_t i = 0; i < e->n && shown < SURVEY_HTML_TOP; i++) {
		const struct survey_ent *x = e->order[i];

		shown++;
		if (x->rank > 0)
			fprintf(fp, "<tr><td>%ld</td>", x->rank);
		else
			fputs("<tr><td>–</td>", fp);
		fputs("<td class=\"l\">", fp);
		esc(fp, x->name);
		fputs("</td>", fp);
		for (int j = 0; j < NH_SVC_COUNT; j++) {
			long n = x->count[SURVEY_CUR][j];
			long b = x->count[SURVEY_BASE][j];

			if (survey_has_base(a) && n != b)
				fprintf(fp,
				    "<td title=\"before: %ld\">%ld "
				    "<small>(%ld)</small></td>",
				    b, n, b);
			else
				fprintf(fp, "<td>%ld</td>", n);
		}
		fprintf(fp, "<td>%ld</td>", x->total[SURVEY_CUR]);
		delta(fp, a, x->total[SURVEY_CUR], x->total[SURVEY_BASE]);
		fprintf(fp, "<td>%.0f</td>", x->weighted[SURVEY_CUR]);
		if (survey_has_base(a))
			fprintf(fp, "<td>%.0f</td>", x->weighted[SURVEY_BASE]);
		else
			fputs("<td>–</td>", fp);
		fprintf(fp, "<td>%.1f</td></tr>\n",
		    x->ddos_kbps[SURVEY_CUR] / 1000.0);
	}
	fputs("</tbody></table>\n", fp);
	if (e->n > shown)
		fprintf(fp,
		    "<p>%zu more not shown (the JSON and CSV have all)."
		    "</p>\n",
		    e->n - shown);
	if (survey_has_base(a))
		fputs("<p class=\"meta\">A count in brackets is the previous "
		      "round's.</p>\n",
		    fp);
	fputs("</section>\n", fp);
}

static void
advice(FILE *fp, const struct nh_survey_agg *a)
{
	fputs("<section id=\"advice\"><h2>What network operators should "
	      "do</h2>\n",
	    fp);
	for (int j = 0; j < NH_SVC_COUNT; j++) {
		const struct nh_text *t = survey_advice((enum nh_svc)j);

		if (t == NULL || a->side[SURVEY_CUR].count[j] == 0)
			continue;
		fputs("<div class=\"card\"><h3>", fp);
		esc(fp, t->title);
		fprintf(fp, " <small>(%ld addresses)</small></h3>\n<p>",
		    a->side[SURVEY_CUR].count[j]);
		esc(fp, t->means);
		fputs("</p>\n<p><strong>Why:</strong> ", fp);
		esc(fp, t->why);
		fputs("</p>\n<p><strong>Fix:</strong></p><pre>", fp);
		esc(fp, t->fix);
		fputs("</pre>\n<p><strong>References:</strong> ", fp);
		esc(fp, t->refs);
		fputs(". <strong>Who:</strong> ", fp);
		esc(fp, t->stakeholder);
		fputs(".</p></div>\n", fp);
	}
	fputs("</section>\n", fp);
}

int
nh_report_survey_html(FILE *fp, const struct nh_survey_agg *a)
{
	const struct survey_side *cur = &a->side[SURVEY_CUR];

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" "
	      "content=\"default-src 'none'; style-src 'unsafe-inline'; "
	      "base-uri 'none'; form-action 'none'\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"nethealth " NH_VERSION
	      "\">\n<title>nethealth survey: ",
	    fp);
	esc(fp, cur->source);
	fprintf(fp,
	    ", round %lld</title>\n<style>%s</style>\n</head>\n<body>\n"
	    "<header><h1>Network health survey</h1>\n",
	    (long long)cur->id, css);
	round_meta(fp, "Report of", cur);
	if (survey_has_base(a))
		round_meta(fp, "Compared with", &a->side[SURVEY_BASE]);
	else
		fputs("<p class=\"meta\">No earlier survey round to compare "
		      "with.</p>\n",
		    fp);
	fputs("</header>\n<main>\n", fp);
	services(fp, a);
	entities(fp, a, "countries", "Countries", &a->cc);
	entities(fp, a, "ases", "Networks (AS)", &a->as);
	advice(fp, a);
	fprintf(fp,
	    "<section id=\"method\"><h2>How to read</h2><ul>"
	    "<li>An address counts once per service when it answered as an "
	    "amplifier.</li>"
	    "<li>Weighted = Σ count × AF (CyberGreen v2.1; AF from US-CERT "
	    "TA14-017A).</li>"
	    "<li>DDoS potential = Σ over devices of min(US, AF × DS) "
	    "(CyberGreen v2.1.7), with US = %.0f kbit/s upstream per device "
	    "(the M-Lab mean) and DS = %.0f kbit/s of requests per device "
	    "(an assumption, not a measurement).</li>"
	    "<li>Ranks: worst first by the weighted sum; \"–\" when none is "
	    "left now.</li></ul></section>\n</main>\n"
	    "<footer><p>nethealth " NH_VERSION
	    ". This page is self-contained: it loads nothing and runs no "
	    "script.</p></footer>\n</body>\n</html>\n",
	    a->p.upstream_kbps, a->p.request_kbps);
	return ferror(fp) ? -1 : 0;
}
