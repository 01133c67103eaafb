/*
 * survey_json.c: the survey report as one JSON object (report.h).
 */
#include <jansson.h>

#include "jbuild.h"
#include "survey_impl.h"

static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
jround(struct nh_jb *b, const struct survey_side *sd)
{
	json_t *o = json_object();

	nh_jb_set(b, o, "id", json_integer(sd->id));
	nh_jb_set(b, o, "source", jstr(sd->source));
	nh_jb_set(b, o, "started", jstr(sd->started));
	nh_jb_set(b, o, "finished", jstr(sd->finished));
	nh_jb_set(b, o, "records", json_integer(sd->records));
	return o;
}

static json_t *
jservices(struct nh_jb *b, const struct nh_survey_agg *a)
{
	json_t *arr = json_array();
	const struct survey_side *cur = &a->side[SURVEY_CUR];
	const struct survey_side *base = &a->side[SURVEY_BASE];

	for (int j = 0; j < NH_SVC_COUNT; j++) {
		json_t *o = json_object();

		nh_jb_set(b, o, "service", json_string(nh_svc_table[j].name));
		nh_jb_set(b, o, "risk", jstr(nh_svc_table[j].risk));
		nh_jb_set(b, o, "title", jstr(nh_svc_table[j].title));
		nh_jb_set(b, o, "port", json_integer(nh_svc_table[j].port));
		nh_jb_set(b, o, "weight", json_real(nh_svc_table[j].weight));
		nh_jb_set(b, o, "count", json_integer(cur->count[j]));
		nh_jb_set(b, o, "base_count",
		    survey_has_base(a) ? json_integer(base->count[j])
				       : json_null());
		nh_jb_set(b, o, "answers", json_integer(cur->answers[j]));
		nh_jb_set(b, o, "weighted",
		    json_real((double)cur->count[j] * nh_svc_table[j].weight));
		nh_jb_set(b, o, "device_kbps",
		    json_real(survey_device_kbps(a, (enum nh_svc)j)));
		nh_jb_set(b, o, "ddos_kbps",
		    json_real((double)cur->count[j] *
			survey_device_kbps(a, (enum nh_svc)j)));
		nh_jb_set(b, o, "measured_amplification_mean",
		    cur->amp_n[j] > 0
			? json_real(cur->amp_sum[j] / (double)cur->amp_n[j])
			: json_null());
		nh_jb_set(b, o, "catalog", jstr(nh_svc_table[j].catalog));
		nh_jb_push(b, arr, o);
	}
	return arr;
}

static json_t *
jcounts(struct nh_jb *b, const long *count)
{
	json_t *o = json_object();

	for (int j = 0; j < NH_SVC_COUNT; j++)
		nh_jb_set(b, o, nh_svc_table[j].name, json_integer(count[j]));
	return o;
}

static json_t *
jents(struct nh_jb *b, const struct nh_survey_agg *a,
    const struct survey_ents *e, bool as)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < e->n; i++) {
		const struct survey_ent *x = e->order[i];
		json_t *o = json_object();
		bool base = survey_has_base(a);

		nh_jb_set(b, o, "rank",
		    x->rank > 0 ? json_integer(x->rank) : json_null());
		if (as)
			nh_jb_set(b, o, "asn",
			    x->asn != 0 ? json_integer(x->asn) : json_null());
		else
			nh_jb_set(b, o, "country",
			    x->name[0] != '(' ? json_string(x->name)
					      : json_null());
		nh_jb_set(b, o, "name", json_string(x->name));
		nh_jb_set(b, o, "counts", jcounts(b, x->count[SURVEY_CUR]));
		nh_jb_set(b, o, "base_counts",
		    base ? jcounts(b, x->count[SURVEY_BASE]) : json_null());
		nh_jb_set(b, o, "total", json_integer(x->total[SURVEY_CUR]));
		nh_jb_set(b, o, "base_total",
		    base ? json_integer(x->total[SURVEY_BASE]) : json_null());
		nh_jb_set(b, o, "weighted", json_real(x->weighted[SURVEY_CUR]));
		nh_jb_set(b, o, "base_weighted",
		    base ? json_real(x->weighted[SURVEY_BASE]) : json_null());
		nh_jb_set(
		    b, o, "ddos_kbps", json_real(x->ddos_kbps[SURVEY_CUR]));
		nh_jb_set(b, o, "base_ddos_kbps",
		    base ? json_real(x->ddos_kbps[SURVEY_BASE]) : json_null());
		nh_jb_push(b, arr, o);
	}
	return arr;
}

static json_t *
jadvice(struct nh_jb *b)
{
	json_t *o = json_object();

	for (int j = 0; j < NH_SVC_COUNT; j++) {
		const struct nh_text *t = survey_advice((enum nh_svc)j);
		json_t *e;

		if (t == NULL)
			continue;
		e = json_object();
		nh_jb_set(b, e, "key", json_string(t->key));
		nh_jb_set(b, e, "title", json_string(t->title));
		nh_jb_set(b, e, "means", json_string(t->means));
		nh_jb_set(b, e, "why", json_string(t->why));
		nh_jb_set(b, e, "fix", json_string(t->fix));
		nh_jb_set(b, e, "refs", json_string(t->refs));
		nh_jb_set(b, e, "stakeholder", json_string(t->stakeholder));
		nh_jb_set(b, o, nh_svc_table[j].name, e);
	}
	return o;
}

int
nh_report_survey_json(FILE *fp, const struct nh_survey_agg *a)
{
	struct nh_jb b = { false };
	json_t *root = json_object(), *p = json_object(), *tot = json_object();
	int rc = -1;

	nh_jb_set(&b, root, "round", jround(&b, &a->side[SURVEY_CUR]));
	nh_jb_set(&b, root, "base_round",
	    survey_has_base(a) ? jround(&b, &a->side[SURVEY_BASE])
			       : json_null());
	nh_jb_set(&b, p, "upstream_kbps", json_real(a->p.upstream_kbps));
	nh_jb_set(&b, p, "request_kbps", json_real(a->p.request_kbps));
	nh_jb_set(&b, p, "weighted",
	    json_string("sum of count * AF (CyberGreen v2.1)"));
	nh_jb_set(&b, p, "ddos",
	    json_string("sum over devices of min(upstream, AF * request) "
			"(CyberGreen v2.1.7), kbit/s; request_kbps is an "
			"assumption"));
	nh_jb_set(&b, root, "params", p);
	nh_jb_set(&b, tot, "count", json_integer(a->side[SURVEY_CUR].total));
	nh_jb_set(&b, tot, "base_count",
	    survey_has_base(a) ? json_integer(a->side[SURVEY_BASE].total)
			       : json_null());
	nh_jb_set(&b, tot, "weighted", json_real(a->side[SURVEY_CUR].weighted));
	nh_jb_set(
	    &b, tot, "ddos_kbps", json_real(a->side[SURVEY_CUR].ddos_kbps));
	nh_jb_set(&b, root, "total", tot);
	nh_jb_set(&b, root, "services", jservices(&b, a));
	nh_jb_set(&b, root, "countries", jents(&b, a, &a->cc, false));
	nh_jb_set(&b, root, "ases", jents(&b, a, &a->as, true));
	nh_jb_set(&b, root, "advice", jadvice(&b));
	if (!b.fail && root != NULL &&
	    json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 &&
	    fputc('\n', fp) != EOF)
		rc = 0;
	json_decref(root);
	return rc;
}
