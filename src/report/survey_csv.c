/*
 * survey_csv.c: the survey report as CSV (RFC 4180: CRLF line ends): one
 * row per service overall, then per country and service and per AS and
 * service with a count now or in the base round.
 *
 * Columns: round, base_round (empty: none), scope ("all", "country",
 * "as"), entity ("" for all, "NL", "AS64500", "(unknown)"), rank (empty:
 * none now), service, count, base_count (empty: no base round), change,
 * weight, weighted, ddos_kbps. Every field is a number or a name this
 * code made (country names are two ASCII letters): none needs quoting.
 */
#include "survey_impl.h"

static void
row(FILE *fp, const struct nh_survey_agg *a, const char *scope,
    const char *entity, long rank, enum nh_svc j, long now, long before)
{
	fprintf(fp, "%lld,", (long long)a->side[SURVEY_CUR].id);
	if (survey_has_base(a))
		fprintf(fp, "%lld", (long long)a->side[SURVEY_BASE].id);
	fprintf(fp, ",%s,%s,", scope, entity);
	if (rank > 0)
		fprintf(fp, "%ld", rank);
	fprintf(fp, ",%s,%ld,", nh_svc_table[j].name, now);
	if (survey_has_base(a))
		fprintf(fp, "%ld,%ld", before, now - before);
	else
		fputs(",", fp);
	fprintf(fp, ",%g,%.1f,%.1f\r\n", nh_svc_table[j].weight,
	    (double)now * nh_svc_table[j].weight,
	    (double)now * survey_device_kbps(a, j));
}

static void
ents(FILE *fp, const struct nh_survey_agg *a, const char *scope,
    const struct survey_ents *e)
{
	for (size_t i = 0; i < e->n; i++) {
		const struct survey_ent *x = e->order[i];

		for (int j = 0; j < NH_SVC_COUNT; j++) {
			long now = x->count[SURVEY_CUR][j];
			long before = x->count[SURVEY_BASE][j];

			if (now == 0 && before == 0)
				continue;
			row(fp, a, scope, x->name, x->rank, (enum nh_svc)j, now,
			    before);
		}
	}
}

int
nh_report_survey_csv(FILE *fp, const struct nh_survey_agg *a)
{
	fputs("round,base_round,scope,entity,rank,service,count,base_count,"
	      "change,weight,weighted,ddos_kbps\r\n",
	    fp);
	for (int j = 0; j < NH_SVC_COUNT; j++)
		row(fp, a, "all", "", 0, (enum nh_svc)j,
		    a->side[SURVEY_CUR].count[j],
		    a->side[SURVEY_BASE].count[j]);
	ents(fp, a, "country", &a->cc);
	ents(fp, a, "as", &a->as);
	return ferror(fp) ? -1 : 0;
}
