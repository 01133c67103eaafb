/*
 * scan_json.c: the aggregates of a scan round as one JSON object (the
 * shape is in report.h); every string from the store made valid UTF-8.
 */
#include <stdlib.h>

#include "jbuild.h"
#include "scan_impl.h"

/* v, marking the builder when it is NULL. */
static json_t *
jcheck(struct nh_jb *b, json_t *v)
{
	if (v == NULL)
		b->fail = true;
	return v;
}

/* o[key] = v, with a key from the store (made valid UTF-8). */
static void
setk(struct nh_jb *b, json_t *o, const char *key, json_t *v)
{
	char *clean = scan_utf8_clean(key);

	if (clean == NULL) {
		json_decref(v);
		b->fail = true;
		return;
	}
	nh_jb_set(b, o, clean, v);
	free(clean);
}

/* A string from the store: valid UTF-8, or null. */
static json_t *
str(struct nh_jb *b, const char *s)
{
	char *clean;
	json_t *v;

	if (s == NULL)
		return jcheck(b, json_null());
	if ((clean = scan_utf8_clean(s)) == NULL)
		return jcheck(b, NULL);
	v = json_string(clean);
	free(clean);
	return jcheck(b, v);
}

/* v rounded to one decimal, half away from zero (no libm). */
static double
round1(double v)
{
	long long t = (long long)(v * 10 + (v < 0 ? -0.5 : 0.5));

	return (double)t / 10;
}

/* A percentage or mean, one decimal; null when undefined (< 0). */
static json_t *
num(struct nh_jb *b, double v)
{
	if (v < 0)
		return jcheck(b, json_null());
	return jcheck(b, json_real(round1(v)));
}

static json_t *
counts(struct nh_jb *b, const long *n)
{
	json_t *o = jcheck(b, json_object());

	for (int st = 0; st < NH_STATUS_COUNT; st++)
		nh_jb_set(b, o, nh_status_name((enum nh_status)st),
		    json_integer(n[st]));
	nh_jb_set(b, o, "tested", json_integer(scan_tested(n)));
	nh_jb_set(b, o, "adoption_pct", num(b, scan_share(n)));
	return o;
}

static json_t *
type_scores(struct nh_jb *b, const struct scan_type_stats *t)
{
	json_t *o = jcheck(b, json_object()), *h = jcheck(b, json_array());
	long bins[SCAN_BINS];

	scan_bins(t, bins);
	for (int i = 0; i < SCAN_BINS; i++)
		nh_jb_push(b, h, json_integer(bins[i]));
	nh_jb_set(b, o, "scored", json_integer(t->scored));
	nh_jb_set(b, o, "unscored", json_integer(t->unscored));
	nh_jb_set(b, o, "errors", json_integer(t->errors));
	nh_jb_set(b, o, "mean", num(b, scan_mean(t)));
	nh_jb_set(b, o, "median", num(b, scan_median(t)));
	nh_jb_set(b, o, "histogram", h);
	return o;
}

/* One scope: the whole round or a group. */
static json_t *
scope(struct nh_jb *b, const struct nh_scan_agg *a, const struct scan_stats *s)
{
	json_t *o = jcheck(b, json_object()), *sc = jcheck(b, json_object());
	json_t *cats = jcheck(b, json_object()),
	       *chk = jcheck(b, json_object());

	nh_jb_set(b, o, "domains", json_integer(s->domains));
	for (int t = 0; t < SCAN_NTYPES; t++) {
		if (scan_has_type(s, (enum nh_test_type)t))
			nh_jb_set(b, sc,
			    nh_test_type_name((enum nh_test_type)t),
			    type_scores(b, &s->type[t]));
	}
	nh_jb_set(b, o, "scores", sc);
	for (size_t k = 0; k < a->ncats; k++) {
		const struct scan_cat *c = &a->cats[a->cat_order[k]];
		json_t *v = counts(b, scan_cat_counts(s, a->cat_order[k]));

		nh_jb_set(
		    b, v, "test", json_string(nh_test_type_name(c->type)));
		setk(b, cats, c->id, v);
	}
	nh_jb_set(b, o, "categories", cats);
	for (size_t k = 0; k < a->nchecks; k++) {
		const struct scan_check *c = &a->checks[a->check_order[k]];
		json_t *v = counts(b, scan_check_counts(s, a->check_order[k]));

		nh_jb_set(b, v, "category", str(b, a->cats[c->cat].id));
		setk(b, chk, c->id, v);
	}
	nh_jb_set(b, o, "checks", chk);
	return o;
}

static json_t *
round_json(struct nh_jb *b, const struct scan_round *r)
{
	json_t *o = jcheck(b, json_object());

	nh_jb_set(b, o, "id", json_integer(r->id));
	nh_jb_set(b, o, "source", str(b, r->source));
	nh_jb_set(b, o, "started", str(b, r->started));
	nh_jb_set(b, o, "finished", str(b, r->finished));
	nh_jb_set(b, o, "web", json_boolean(r->web));
	nh_jb_set(b, o, "mail", json_boolean(r->mail));
	nh_jb_set(b, o, "targets", json_integer(r->targets));
	nh_jb_set(b, o, "invalid", json_integer(r->invalid));
	nh_jb_set(b, o, "results", json_integer(r->results));
	return o;
}

static json_t *
gaps(struct nh_jb *b, const struct nh_scan_agg *a)
{
	const struct scan_stats *s = &a->rounds[a->cur].all;
	json_t *arr = jcheck(b, json_array());

	for (size_t i = 0; i < a->ngaps; i++) {
		const struct scan_check *c = &a->checks[a->gaps[i]];
		const long *n = scan_check_counts(s, a->gaps[i]);
		long tested = scan_tested(n);
		json_t *g = jcheck(b, json_object());

		nh_jb_set(b, g, "rank", json_integer((json_int_t)i + 1));
		nh_jb_set(b, g, "check", str(b, c->id));
		nh_jb_set(b, g, "category", str(b, a->cats[c->cat].id));
		nh_jb_set(
		    b, g, "test", json_string(nh_test_type_name(c->type)));
		nh_jb_set(b, g, "title", str(b, scan_check_title(c)));
		nh_jb_set(b, g, "affected", json_integer(scan_affected(n)));
		nh_jb_set(b, g, "failed", json_integer(n[NH_FAILED]));
		nh_jb_set(b, g, "warning", json_integer(n[NH_WARNING]));
		nh_jb_set(b, g, "tested", json_integer(tested));
		nh_jb_set(b, g, "affected_pct",
		    num(b,
			tested > 0
			    ? 100.0 * (double)scan_affected(n) / (double)tested
			    : -1));
		nh_jb_set(
		    b, g, "means", str(b, c->text ? c->text->means : NULL));
		nh_jb_set(b, g, "why", str(b, c->text ? c->text->why : NULL));
		nh_jb_set(b, g, "fix", str(b, c->text ? c->text->fix : NULL));
		nh_jb_set(b, g, "stakeholder",
		    str(b, c->text ? c->text->stakeholder : NULL));
		nh_jb_set(b, g, "refs", str(b, c->text ? c->text->refs : NULL));
		nh_jb_push(b, arr, g);
	}
	return arr;
}

static json_t *
stakeholders(struct nh_jb *b, const struct nh_scan_agg *a)
{
	json_t *arr = jcheck(b, json_array());

	for (size_t i = 0; i < a->nstakeholders; i++)
		nh_jb_push(b, arr,
		    jcheck(b,
			json_pack("{s:s, s:I, s:I}", "stakeholder",
			    a->stakeholders[i].name, "affected",
			    (json_int_t)a->stakeholders[i].affected, "checks",
			    (json_int_t)a->stakeholders[i].checks)));
	return arr;
}

static json_t *
changes(struct nh_jb *b, const struct scan_change *c, size_t n)
{
	json_t *arr = jcheck(b, json_array());

	for (size_t i = 0; i < n; i++) {
		json_t *o = jcheck(b, json_object());

		nh_jb_set(b, o, "domain", str(b, c[i].domain));
		nh_jb_set(
		    b, o, "test", json_string(nh_test_type_name(c[i].type)));
		nh_jb_set(b, o, "before", json_integer(c[i].before));
		nh_jb_set(b, o, "after", json_integer(c[i].after));
		nh_jb_push(b, arr, o);
	}
	return arr;
}

static json_t *
names(struct nh_jb *b, const char *const *list, size_t n)
{
	json_t *arr = jcheck(b, json_array());

	for (size_t i = 0; i < n; i++)
		nh_jb_push(b, arr, str(b, list[i]));
	return arr;
}

static json_t *
progress(struct nh_jb *b, const struct nh_scan_agg *a)
{
	static const char *const move_names[SCAN_NMOVES] = { "improved",
		"worsened", "unchanged", "new", "gone", "not_comparable" };
	const struct scan_stats *now = &a->rounds[a->cur].all;
	const struct scan_stats *was;
	json_t *o, *tests, *chk;

	if (a->base < 0)
		return jcheck(b, json_null());
	was = &a->rounds[a->base].all;
	o = jcheck(b, json_object());
	tests = jcheck(b, json_object());
	chk = jcheck(b, json_object());
	nh_jb_set(b, o, "since", json_integer(a->rounds[a->base].id));
	nh_jb_set(b, o, "domains_new", json_integer(a->domains_new));
	nh_jb_set(b, o, "domains_gone", json_integer(a->domains_gone));
	for (int t = 0; t < SCAN_NTYPES; t++) {
		json_t *m = jcheck(b, json_object());

		if (!scan_has_type(now, (enum nh_test_type)t) &&
		    !scan_has_type(was, (enum nh_test_type)t)) {
			json_decref(m);
			continue;
		}
		for (int k = 0; k < SCAN_NMOVES; k++)
			nh_jb_set(
			    b, m, move_names[k], json_integer(a->moves[t][k]));
		nh_jb_set(
		    b, m, "mean_before", num(b, scan_mean(&was->type[t])));
		nh_jb_set(b, m, "mean_after", num(b, scan_mean(&now->type[t])));
		nh_jb_set(b, tests, nh_test_type_name((enum nh_test_type)t), m);
	}
	nh_jb_set(b, o, "tests", tests);
	for (size_t k = 0; k < a->nchecks; k++) {
		size_t c = a->check_order[k];
		double s0 = scan_share(scan_check_counts(was, c));
		double s1 = scan_share(scan_check_counts(now, c));
		json_t *v = jcheck(b, json_object());

		nh_jb_set(b, v, "before_pct", num(b, s0));
		nh_jb_set(b, v, "after_pct", num(b, s1));
		nh_jb_set(b, v, "change_points",
		    s0 >= 0 && s1 >= 0 ? jcheck(b, json_real(round1(s1 - s0)))
				       : jcheck(b, json_null()));
		setk(b, chk, a->checks[c].id, v);
	}
	nh_jb_set(b, o, "checks", chk);
	nh_jb_set(b, o, "improved", changes(b, a->improved, a->nimproved));
	nh_jb_set(b, o, "worsened", changes(b, a->worsened, a->nworsened));
	nh_jb_set(b, o, "new", names(b, a->new_domains, a->nnew));
	nh_jb_set(b, o, "gone", names(b, a->gone_domains, a->ngone));
	return o;
}

static json_t *
trend(struct nh_jb *b, const struct nh_scan_agg *a)
{
	json_t *arr = jcheck(b, json_array());

	for (size_t i = 0; i < a->nrounds; i++) {
		const struct scan_round *r = &a->rounds[i];
		json_t *o = jcheck(b, json_object());
		json_t *sc = jcheck(b, json_object());
		json_t *cats = jcheck(b, json_object());

		nh_jb_set(b, o, "round", json_integer(r->id));
		nh_jb_set(b, o, "started", str(b, r->started));
		for (int t = 0; t < SCAN_NTYPES; t++) {
			if (!scan_has_type(&r->all, (enum nh_test_type)t))
				continue;
			nh_jb_set(b, sc,
			    nh_test_type_name((enum nh_test_type)t),
			    jcheck(b,
				json_pack("{s:o, s:I}", "mean",
				    num(b, scan_mean(&r->all.type[t])),
				    "scored",
				    (json_int_t)r->all.type[t].scored)));
		}
		nh_jb_set(b, o, "mean_score", sc);
		for (size_t k = 0; k < a->ncats; k++) {
			size_t c = a->cat_order[k];

			setk(b, cats, a->cats[c].id,
			    num(b, scan_share(scan_cat_counts(&r->all, c))));
		}
		nh_jb_set(b, o, "adoption_pct", cats);
		nh_jb_push(b, arr, o);
	}
	return arr;
}

static json_t *
problems(struct nh_jb *b, const struct nh_scan_agg *a)
{
	json_t *o = jcheck(b, json_object()), *arr = jcheck(b, json_array());

	nh_jb_set(b, o, "invalid", json_integer(a->invalid_total));
	nh_jb_set(b, o, "could_not_run", json_integer(a->errors_total));
	for (size_t i = 0; i < a->nlisted; i++) {
		const struct scan_listed *l = &a->listed[i];
		json_t *e = jcheck(b, json_object());

		nh_jb_set(b, e, "domain", str(b, l->domain));
		nh_jb_set(b, e, "test",
		    l->invalid
			? jcheck(b, json_null())
			: jcheck(b, json_string(nh_test_type_name(l->type))));
		nh_jb_set(b, e, "invalid", json_boolean(l->invalid));
		nh_jb_set(b, e, "reason", str(b, l->reason));
		nh_jb_push(b, arr, e);
	}
	nh_jb_set(b, o, "list", arr);
	nh_jb_set(b, o, "truncated",
	    json_boolean(
		(long)a->nlisted < a->invalid_total + a->errors_total));
	return o;
}

int
nh_report_scan_json(FILE *fp, const struct nh_scan_agg *a)
{
	struct nh_jb b = { false };
	json_t *o = jcheck(&b, json_object()), *groups = NULL;
	const struct scan_round *r = &a->rounds[a->cur];
	int rc = -1;

	nh_jb_set(&b, o, "generator", json_string("nethealth " NH_VERSION));
	nh_jb_set(&b, o, "round", round_json(&b, r));
	nh_jb_set(&b, o, "base_round",
	    a->base >= 0 ? round_json(&b, &a->rounds[a->base])
			 : jcheck(&b, json_null()));
	nh_jb_set(&b, o, "by", str(&b, a->by));
	nh_jb_set(&b, o, "overall", scope(&b, a, &r->all));
	if (a->by != NULL) {
		groups = jcheck(&b, json_array());
		for (size_t k = 0; k < a->ngroups; k++) {
			size_t g = a->group_order[k];
			json_t *v = scope(&b, a, scan_group_stats(r, g));

			nh_jb_set(&b, v, "group", str(&b, a->groups[g]));
			if (a->base >= 0) {
				const struct scan_stats *w =
				    scan_group_stats(&a->rounds[a->base], g);

				nh_jb_set(&b, v, "domains_before",
				    json_integer(w->domains));
				nh_jb_set(&b, v, "mean_before",
				    jcheck(&b,
					json_pack("{s:o, s:o}", "web",
					    num(&b,
						scan_mean(
						    &w->type[NH_TEST_WEB])),
					    "mail",
					    num(&b,
						scan_mean(
						    &w->type[NH_TEST_MAIL])))));
			}
			nh_jb_push(&b, groups, v);
		}
	}
	nh_jb_set(
	    &b, o, "groups", groups != NULL ? groups : jcheck(&b, json_null()));
	nh_jb_set(&b, o, "gaps", gaps(&b, a));
	nh_jb_set(&b, o, "stakeholders", stakeholders(&b, a));
	nh_jb_set(&b, o, "progress", progress(&b, a));
	nh_jb_set(&b, o, "trend", trend(&b, a));
	nh_jb_set(&b, o, "errors", problems(&b, a));
	if (!b.fail &&
	    json_dumpf(o, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 &&
	    fputc('\n', fp) != EOF)
		rc = 0;
	json_decref(o);
	return rc;
}
