/*
 * rounds.c: the scan rounds of the store as pages: the list, and one
 * round's report (the report module's HTML, with its charts, grouped by a
 * tag with ?by=KEY).
 */
#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "report/report.h"
#include "server_impl.h"
#include "store/store.h"

/* The report page has its own inline style and no script. */
#define ROUND_CSP \
	"default-src 'none'; style-src 'unsafe-inline'; img-src data:; " \
	"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

struct list {
	struct nh_store_round *v;
	size_t n;
	bool fail;
	struct nh_scan_agg *agg; /* or NULL */
};

static int
on_round(const struct nh_store_round *r, void *arg)
{
	struct list *l = arg;
	struct nh_store_round *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (v == NULL)
		goto fail;
	l->v = v;
	v[l->n] = *r;
	/* Strings are borrowed for the call: keep copies. */
	v[l->n].key = strdup(r->key);
	v[l->n].source = strdup(r->source);
	v[l->n].options = strdup(r->options);
	v[l->n].started = strdup(r->started);
	v[l->n].finished = r->finished != NULL ? strdup(r->finished) : NULL;
	l->n++;
	if (v[l->n - 1].key == NULL || v[l->n - 1].source == NULL ||
	    v[l->n - 1].options == NULL || v[l->n - 1].started == NULL ||
	    (r->finished != NULL && v[l->n - 1].finished == NULL))
		goto fail;
	if (l->agg != NULL && nh_scan_agg_round(l->agg, r) == -1)
		goto fail;
	return 0;
fail:
	l->fail = true;
	return 1;
}

static void
list_clear(struct list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((char *)l->v[i].key);
		free((char *)l->v[i].source);
		free((char *)l->v[i].options);
		free((char *)l->v[i].started);
		free((char *)l->v[i].finished);
	}
	free(l->v);
	nh_scan_agg_free(l->agg);
}

static int
render_rounds(FILE *fp, const void *arg)
{
	const struct list *l = arg;
	struct nh_store_round *v = malloc((l->n ? l->n : 1) * sizeof(*v));
	int rc;

	if (v == NULL)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		v[i] = l->v[l->n - 1 - i]; /* newest first */
	rc = nh_page_rounds(fp, v, l->n);
	free(v);
	return rc;
}

void
nh_rounds_page(struct nh_req *rq)
{
	struct list l = { 0 };

	if (nh_store_rounds(rq->srv->store, on_round, &l) == -1)
		nh_resp_error_page(
		    &rq->resp, 500, "The server cannot read its store.");
	else
		nh_resp_page(&rq->resp, 200, render_rounds, &l);
	list_clear(&l);
}

struct feed {
	struct nh_scan_agg *agg;
	int64_t round;
};

static int
on_result(const struct nh_store_result *r, const char *facts, void *arg)
{
	struct feed *f = arg;

	(void)facts;
	return nh_scan_agg_add(f->agg, f->round, r) == -1;
}

static int
render_round(FILE *fp, const void *arg)
{
	return nh_report_scan_html(fp, arg);
}

void
nh_round_page(struct nh_req *rq, const char *id)
{
	struct list l = { 0 };
	const char *by = nh_req_arg(rq, "by");
	char *end;
	long long cur = strtoll(id, &end, 10);
	int64_t base = 0;
	size_t i;
	struct feed f;

	if (*id == '\0' || *end != '\0' || cur <= 0) {
		nh_resp_error_page(&rq->resp, 404, "There is no such round.");
		return;
	}
	if (by != NULL && (*by == '\0' || strlen(by) > 100))
		by = NULL;
	if ((l.agg = nh_scan_agg_new(by)) == NULL)
		return;
	if (nh_store_rounds(rq->srv->store, on_round, &l) == -1)
		goto fail;
	for (i = 0; i < l.n && l.v[i].id != cur; i++)
		base = l.v[i].id;
	if (i == l.n) {
		nh_resp_error_page(&rq->resp, 404, "There is no such round.");
		goto out;
	}
	if (nh_scan_agg_focus(l.agg, cur, base) == -1)
		goto fail;
	f.agg = l.agg;
	for (i = 0; i < l.n; i++) {
		f.round = l.v[i].id;
		if (nh_store_each_result(
			rq->srv->store, f.round, false, on_result, &f) == -1)
			goto fail;
	}
	if (nh_scan_agg_finish(l.agg) == -1 ||
	    nh_resp_page(&rq->resp, 200, render_round, l.agg) == -1)
		goto fail;
	rq->resp.csp = ROUND_CSP;
	goto out;
fail:
	nh_resp_error_page(&rq->resp, 500,
	    "The server cannot read its store, or ran out of memory.");
out:
	list_clear(&l);
}
