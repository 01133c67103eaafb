/*
 * survey_json.c: the survey report as one JSON object (report.h).
 */
#include <jansson.h>

#include "survey_impl.h"

/* Builds with a sticky failure: any NULL or failed set marks it. */
struct jb {
	bool fail;
};

static void
set(struct jb *b, json_t *o, const char *key, json_t *v)
{
	if (o == NULL) {
		json_decref(v);
		b->fail = true;
	} else if (v == NULL || json_object_set_new(o, key, v) == -1) {
		b->fail = true; /* jansson has dropped v */
	}
}

static void
push(struct jb *b, json_t *arr, json_t *v)
{
	if (arr == NULL) {
		json_decref(v);
		b->fail = true;
	} else if (v == NULL || json_array_append_new(arr, v) == -1) {
		b->fail = true; /* jansson has dropped v */
	}
}

static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
jround(struct jb *b, const struct survey_side *sd)
{
	json_t *o = json_object();

	set(b, o, "id", json_integer(sd->id));
	set(b, o, "source", jstr(sd->source));
	set(b, o, "started", jstr(sd->started));
	set(b, o, "finished", jstr(sd->finished));
	set(b, o, "records", json_integer(sd->records));
	return o;
}

static json_t *
jservices(struct jb *b, const struct nh_survey_agg *a)
{
	json_t *arr = json_array();
	const struct survey_side *cur = &a->side[SURVEY_CUR];
	const struct survey_side *base = &a->side[SURVEY_BASE];

	for (int j = 0; j < NH_SVC_COUNT; j++) {
		json_t *o = json_object();

		set(b, o, "service", json_string(nh_svc_table[j].name));
		set(b, o, "risk", jstr(nh_svc_table[j].risk));
		set(b, o, "title", jstr(nh_svc_table[j].title));
		set(b, o, "port", json_integer(nh_svc_table[j].port));
		set(b, o, "weight", json_real(nh_svc_table[j].weight));
		set(b, o, "count", json_integer(cur->count[j]));
		set(b, o, "base_count",
		    survey_has_base(a) ? json_integer(base->count[j])
				       : json_null());
		set(b, o, "answers", json_integer(cur->answers[j]));
		set(b, o, "weighted",
		    json_real((double)cur->count[j] * nh_svc_table[j].weight));
		set(b, o, "device_kbps",
		    json_real(survey_device_kbps(a, (enum nh_svc)j)));
		set(b, o, "ddos_kbps",
		    json_real((double)cur->count[j] *
			survey_device_kbps(a, (enum nh_svc)j)));
		set(b, o, "measured_amplification_mean",
		    cur->amp_n[j] > 0
			? json_real(cur->amp_sum[j] / (double)cur->amp_n[j])
			: json_null());
		set(b, o, "catalog", jstr(nh_svc_table[j].catalog));
		push(b, arr, o);
	}
	return arr;
}

static json_t *
jcounts(struct jb *b, const long *count)
{
	json_t *o = json_object();

	for (int j = 0; j < NH_SVC_COUNT; j++)
		set(b, o, nh_svc_table[j].name, json_integer(count[j]));
	return o;
}

static json_t *
jents(struct jb *b, const struct nh_survey_agg *a, const struct survey_ents *e,
    bool as)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < e->n; i++) {
		const struct survey_ent *x = e->order[i];
		json_t *o = json_object();
		bool base = survey_has_base(a);

		set(b, o, "rank",
		    x->rank > 0 ? json_integer(x->rank) : json_null());
		if (as)
			set(b, o, "asn",
			    x->asn != 0 ? json_integer(x->asn) : json_null());
		else
			set(b, o, "country",
			    x->name[0] != '(' ? json_string(x->name)
					      : json_null());
		set(b, o, "name", json_string(x->name));
		set(b, o, "counts", jcounts(b, x->count[SURVEY_CUR]));
		set(b, o, "base_counts",
		    base ? jcounts(b, x->count[SURVEY_BASE]) : json_null());
		set(b, o, "total", json_integer(x->total[SURVEY_CUR]));
		set(b, o, "base_total",
		    base ? json_integer(x->total[SURVEY_BASE]) : json_null());
		set(b, o, "weighted", json_real(x->weighted[SURVEY_CUR]));
		set(b, o, "base_weighted",
		    base ? json_real(x->weighted[SURVEY_BASE]) : json_null());
		set(b, o, "ddos_kbps", json_real(x->ddos_kbps[SURVEY_CUR]));
		set(b, o, "base_ddos_kbps",
		    base ? json_real(x->ddos_kbps[SURVEY_BASE]) : json_null());
		push(b, arr, o);
	}
	return arr;
}

static json_t *
jadvice(struct jb *b)
{
	json_t *o = json_object();

	for (int j = 0; j < NH_SVC_COUNT; j++) {
		const struct nh_text *t = survey_advice((enum nh_svc)j);
		json_t *e;

		if (t == NULL)
			continue;
		e = json_object();
		set(b, e, "key", json_string(t->key));
		set(b, e, "title", json_string(t->title));
		set(b, e, "means", json_string(t->means));
		set(b, e, "why", json_string(t->why));
		set(b, e, "fix", json_string(t->fix));
		set(b, e, "refs", json_string(t->refs));
		set(b, e, "stakeholder", json_string(t->stakeholder));
		set(b, o, nh_svc_table[j].name, e);
	}
	return o;
}

int
nh_report_survey_json(FILE *fp, const struct nh_survey_agg *a)
{
	struct jb b = { false };
	json_t *root = json_object(), *p = json_object(), *tot = json_object();
	int rc = -1;

	set(&b, root, "round", jround(&b, &a->side[SURVEY_CUR]));
	set(&b, root, "base_round",
	    survey_has_base(a) ? jround(&b, &a->side[SURVEY_BASE])
			       : json_null());
	set(&b, p, "upstream_kbps", json_real(a->p.upstream_kbps));
	set(&b, p, "request_kbps", json_real(a->p.request_kbps));
	set(&b, p, "weighted",
	    json_string("sum of count * AF (CyberGreen v2.1)"));
	set(&b, p, "ddos",
	    json_string("sum over devices of min(upstream, AF * request) "
			"(CyberGreen v2.1.7), kbit/s; request_kbps is an "
			"assumption"));
	set(&b, root, "params", p);
	set(&b, tot, "count", json_integer(a->side[SURVEY_CUR].total));
	set(&b, tot, "base_count",
	    survey_has_base(a) ? json_integer(a->side[SURVEY_BASE].total)
			       : json_null());
	set(&b, tot, "weighted", json_real(a->side[SURVEY_CUR].weighted));
	set(&b, tot, "ddos_kbps", json_real(a->side[SURVEY_CUR].ddos_kbps));
	set(&b, root, "total", tot);
	set(&b, root, "services", jservices(&b, a));
	set(&b, root, "countries", jents(&b, a, &a->cc, false));
	set(&b, root, "ases", jents(&b, a, &a->as, true));
	set(&b, root, "advice", jadvice(&b));
	if (!b.fail && root != NULL &&
	    json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 &&
	    fputc('\n', fp) != EOF)
		rc = 0;
	json_decref(root);
	return rc;
}
