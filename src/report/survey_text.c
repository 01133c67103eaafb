/*
 * survey_text.c: the terminal report of a survey round: the services, the
 * worst countries and ASes with their trend, and what to do.
 */
#include <string.h>

#include "survey_impl.h"

/* "+12", "-3", "0", or "new" when there is no base round. */
static void
change(FILE *fp, const struct nh_survey_agg *a, long now, long before)
{
	char buf[32];

	if (!survey_has_base(a))
		snprintf(buf, sizeof(buf), "-");
	else
		snprintf(buf, sizeof(buf), "%+ld", now - before);
	fprintf(fp, " %8s", buf);
}

static void
round_line(FILE *fp, const char *what, const struct survey_side *sd)
{
	fprintf(fp, "%s survey round %lld (", what, (long long)sd->id);
	survey_put_plain(fp, sd->source);
	fputs("), started ", fp);
	survey_put_plain(fp, sd->started);
	if (sd->finished != NULL) {
		fputs(", finished ", fp);
		survey_put_plain(fp, sd->finished);
	} else {
		fputs(", not finished", fp);
	}
	fputs("\n", fp);
}

static void
services(FILE *fp, const struct nh_survey_agg *a)
{
	const struct survey_side *cur = &a->side[SURVEY_CUR];
	const struct survey_side *base = &a->side[SURVEY_BASE];

	fputs("\nExposed services (distinct addresses that answered as "
	      "amplifiers)\n",
	    fp);
	fprintf(fp, "  %-12s %9s %9s %8s %8s %12s %12s %9s\n", "service", "now",
	    "before", "change", "AF", "weighted", "DDoS Mbit/s", "answers");
	for (int j = 0; j < NH_SVC_COUNT; j++) {
		fprintf(
		    fp, "  %-12s %9ld ", nh_svc_table[j].name, cur->count[j]);
		if (survey_has_base(a))
			fprintf(fp, "%9ld", base->count[j]);
		else
			fprintf(fp, "%9s", "-");
		change(fp, a, cur->count[j], base->count[j]);
		fprintf(fp, " %8.1f %12.0f %12.1f %9ld\n",
		    nh_svc_table[j].weight,
		    (double)cur->count[j] * nh_svc_table[j].weight,
		    (double)cur->count[j] *
			survey_device_kbps(a, (enum nh_svc)j) / 1000.0,
		    cur->answers[j]);
	}
	fprintf(fp, "  %-12s %9ld ", "total", cur->total);
	if (survey_has_base(a))
		fprintf(fp, "%9ld", base->total);
	else
		fprintf(fp, "%9s", "-");
	change(fp, a, cur->total, base->total);
	fprintf(fp, " %8s %12.0f %12.1f %9ld\n", "", cur->weighted,
	    cur->ddos_kbps / 1000.0, cur->records);
}

/* The top of an entity list. */
static void
entities(FILE *fp, const struct nh_survey_agg *a, const char *title,
    const struct survey_ents *e)
{
	size_t shown = 0;

	fprintf(fp, "\n%s, worst first (by Σ count × AF)\n", title);
	if (e->n == 0) {
		fputs("  none\n", fp);
		return;
	}
	fprintf(fp, "  %4s %-10s", "rank", "");
	for (int j = 0; j < NH_SVC_COUNT; j++)
		fprintf(fp, " %*s", j == NH_SVC_NTP_MONLIST ? 11 : 9,
		    nh_svc_table[j].name);
	fprintf(fp, " %9s %12s %12s %12s\n", "total", "weighted", "DDoS Mbit/s",
	    "weighted was");
	for (size_t i = 0; i < e->n && shown < SURVEY_TEXT_TOP; i++) {
		const struct survey_ent *x = e->order[i];

		if (x->rank == 0)
			break;
		shown++;
		fprintf(fp, "  %4ld %-10s", x->rank, x->name);
		for (int j = 0; j < NH_SVC_COUNT; j++)
			fprintf(fp, " %*ld", j == NH_SVC_NTP_MONLIST ? 11 : 9,
			    x->count[SURVEY_CUR][j]);
		fprintf(fp, " %9ld %12.0f %12.1f ", x->total[SURVEY_CUR],
		    x->weighted[SURVEY_CUR], x->ddos_kbps[SURVEY_CUR] / 1000.0);
		if (survey_has_base(a))
			fprintf(fp, "%12.0f\n", x->weighted[SURVEY_BASE]);
		else
			fprintf(fp, "%12s\n", "-");
		if (survey_has_base(a)) {
			/* The trend of each service that moved. */
			bool any = false;

			for (int j = 0; j < NH_SVC_COUNT; j++) {
				long n = x->count[SURVEY_CUR][j],
				     b = x->count[SURVEY_BASE][j];

				if (n == b)
					continue;
				fprintf(fp, "%s%s %ld -> %ld",
				    any ? ", " : "         trend: ",
				    nh_svc_table[j].name, b, n);
				any = true;
			}
			if (any)
				fputs("\n", fp);
		}
	}
	if (e->n > shown) {
		size_t clean = 0;

		for (size_t i = 0; i < e->n; i++)
			clean += e->order[i]->rank == 0;
		fprintf(fp, "  ... %zu more", e->n - shown - clean);
		if (clean > 0)
			fprintf(fp, "; %zu with none left now (all cleaned up)",
			    clean);
		fputs("\n", fp);
	}
}

static void
advice(FILE *fp, const struct nh_survey_agg *a)
{
	bool any = false;

	for (int j = 0; j < NH_SVC_COUNT; j++) {
		const struct nh_text *t = survey_advice((enum nh_svc)j);

		if (a->side[SURVEY_CUR].count[j] == 0 || t == NULL)
			continue;
		if (!any)
			fputs("\nWhat network operators should do\n", fp);
		any = true;
		fprintf(fp, "\n* %s (%s, %ld addresses)\n", t->title,
		    nh_svc_table[j].name, a->side[SURVEY_CUR].count[j]);
		fprintf(fp, "  Why: %s\n  Fix: ", t->why);
		for (const char *p = t->fix; *p != '\0'; p++) {
			fputc(*p, fp);
			if (*p == '\n')
				fputs("  ", fp);
		}
		fprintf(fp, "\n  References: %s\n  Who: %s\n", t->refs,
		    t->stakeholder);
	}
}

int
nh_report_survey_text(
    FILE *fp, const struct nh_survey_agg *a, const struct nh_report_opts *o)
{
	(void)o;
	fputs("Network health survey\n", fp);
	round_line(fp, "Report of", &a->side[SURVEY_CUR]);
	if (survey_has_base(a))
		round_line(fp, "Compared with", &a->side[SURVEY_BASE]);
	else
		fputs("No earlier survey round to compare with.\n", fp);
	services(fp, a);
	entities(fp, a, "Countries", &a->cc);
	entities(fp, a, "Networks (AS)", &a->as);
	advice(fp, a);
	fprintf(fp,
	    "\nHow to read: an address counts once per service when it "
	    "answered as an amplifier.\nweighted = Σ count × AF "
	    "(CyberGreen v2.1, AF from US-CERT TA14-017A). DDoS potential "
	    "=\nΣ min(US, AF × DS) per device (CyberGreen v2.1.7) with US = "
	    "%.0f kbit/s upstream per\ndevice (the M-Lab mean) and DS = %.0f "
	    "kbit/s of requests per device (an assumption).\n",
	    a->p.upstream_kbps, a->p.request_kbps);
	return ferror(fp) ? -1 : 0;
}
