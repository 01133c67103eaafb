/*
 * survey_report.c: nh_report_survey(): picks the survey round and the one
 * before it from the store, feeds their records to the aggregate and
 * renders it.
 */
#include <stdlib.h>
#include <string.h>

#include "survey_impl.h"

/* The survey rounds, oldest first (copies of what the aggregate needs). */
struct list {
	struct nh_store_round *v;
	size_t n;
	bool fail;
};

static void
list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((char *)l->v[i].source);
		free((char *)l->v[i].started);
		free((char *)l->v[i].finished);
	}
	free(l->v);
}

static int
on_round(const struct nh_store_round *r, void *arg)
{
	struct list *l = arg;
	struct nh_store_round *v, *x;

	if (!r->survey)
		return 0;
	if ((v = realloc(l->v, (l->n + 1) * sizeof(*v))) == NULL)
		goto fail;
	l->v = v;
	x = &v[l->n++];
	memset(x, 0, sizeof(*x));
	x->id = r->id;
	x->survey = true;
	x->source = strdup(r->source != NULL ? r->source : "");
	x->started = strdup(r->started != NULL ? r->started : "");
	x->finished = r->finished != NULL ? strdup(r->finished) : NULL;
	if (x->source == NULL || x->started == NULL ||
	    (r->finished != NULL && x->finished == NULL))
		goto fail;
	return 0;
fail:
	l->fail = true;
	return 1;
}

struct feed {
	struct nh_survey_agg *a;
	int64_t round;
	bool fail;
};

static int
on_record(const struct nh_survey_record *r, void *arg)
{
	struct feed *f = arg;

	if (nh_survey_agg_add(f->a, f->round, r) == -1) {
		f->fail = true;
		return 1;
	}
	return 0;
}

/* Index of survey round id in l, or -1. */
static long
find(const struct list *l, int64_t id)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].id == id)
			return (long)i;
	}
	return -1;
}

int
nh_report_survey(FILE *fp, struct nh_store *s, int64_t round, int64_t base,
    enum nh_survey_format f, const struct nh_report_opts *o, char *err,
    size_t err_size)
{
	struct list l = { 0 };
	struct feed fd = { 0 };
	long cur = -1, prev = -1;
	int rc = -1;

	snprintf(err, err_size, "out of memory");
	if (nh_store_rounds(s, on_round, &l) == -1) {
		if (!l.fail)
			snprintf(err, err_size, "%s", nh_store_error(s));
		goto out;
	}
	if (l.n == 0) {
		snprintf(err, err_size, "the store has no survey rounds");
		rc = 1;
		goto out;
	}
	cur = round != 0 ? find(&l, round) : (long)l.n - 1;
	if (cur >= 0 && base > 0)
		prev = find(&l, base);
	else if (cur >= 0 && base == 0)
		prev = cur - 1;
	if (cur < 0 || (base > 0 && (prev < 0 || prev == cur))) {
		snprintf(err, err_size,
		    "no survey round %lld (survey rounds: "
		    "%lld to %lld)",
		    (long long)(cur < 0 ? round : base), (long long)l.v[0].id,
		    (long long)l.v[l.n - 1].id);
		rc = 1;
		goto out;
	}
	if ((fd.a = nh_survey_agg_new(NULL)) == NULL ||
	    nh_survey_agg_round(fd.a, &l.v[cur], false) == -1 ||
	    (prev >= 0 && nh_survey_agg_round(fd.a, &l.v[prev], true) == -1))
		goto out;
	for (int k = 0; k < 2; k++) {
		long i = k == 0 ? cur : prev;

		if (i < 0)
			continue;
		fd.round = l.v[i].id;
		if (nh_store_survey_each(s, fd.round, on_record, &fd) == -1) {
			if (!fd.fail)
				snprintf(
				    err, err_size, "%s", nh_store_error(s));
			goto out;
		}
	}
	if (nh_survey_agg_finish(fd.a) == -1)
		goto out;
	snprintf(err, err_size, "cannot write the report");
	switch (f) {
	case NH_SURVEY_JSON:
		rc = nh_report_survey_json(fp, fd.a);
		break;
	case NH_SURVEY_CSV:
		rc = nh_report_survey_csv(fp, fd.a);
		break;
	case NH_SURVEY_HTML:
		rc = nh_report_survey_html(fp, fd.a);
		break;
	case NH_SURVEY_TEXT:
	default:
		rc = nh_report_survey_text(fp, fd.a, o);
		break;
	}
	if (rc == 0)
		err[0] = '\0';
out:
	nh_survey_agg_free(fd.a);
	list_free(&l);
	return rc;
}
