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
	struct nh_store_round *v;

	if ((v = realloc(l->v, (l->n + 1) * sizeof(*v))) == NULL)
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
	/* A network survey is listed, but is no round of domains. */
	if (l->agg != NULL && !r->survey && nh_scan_agg_round(l->agg, r) == -1)
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

/* A stored check's evidence column: {"evidence", "servers"} (put.c). */
static int
check_json(json_t *checks, const struct nh_store_check *c)
{
	json_t *o = json_pack("{s:s, s:s, s:i, s:i, s:s}", "status",
	    nh_status_name(c->status), "category", c->category, "points",
	    c->points, "max_points", c->max, "advice", c->id);
	json_t *ev;

	if (o == NULL)
		return -1;
	if (c->message != NULL &&
	    json_object_set_new(o, "message", json_string(c->message)) == -1)
		goto fail;
	if (c->evidence != NULL &&
	    (ev = json_loads(c->evidence, 0, NULL)) != NULL) {
		json_object_update(o, ev);
		json_decref(ev);
	}
	return json_object_set_new(checks, c->id, o);
fail:
	json_decref(o);
	return -1;
}

/* A stored result in the shape of `nethealth web --json` (DESIGN.md). */
static json_t *
stored_json(const struct nh_store_result *r, const char *facts)
{
	json_t *j = json_pack("{s:s, s:s, s:s?, s:I}", "domain", r->domain,
	    "type", nh_test_type_name(r->type), "started", r->started,
	    "duration_ms", (json_int_t)r->duration_ms);
	json_t *cats = json_object(), *checks = json_object(), *servers;

	if (j == NULL || cats == NULL || checks == NULL)
		goto fail;
	json_object_set_new(
	    j, "score", r->score >= 0 ? json_integer(r->score) : json_null());
	for (size_t i = 0; i < r->ncategories; i++) {
		const struct nh_store_category *c = &r->categories[i];

		if (json_object_set_new(cats, c->id,
			json_pack("{s:s, s:o}", "status",
			    nh_status_name(c->status), "score",
			    c->score >= 0 ? json_integer(c->score)
					  : json_null())) == -1)
			goto fail;
	}
	for (size_t i = 0; i < r->nchecks; i++) {
		if (check_json(checks, &r->checks[i]) == -1)
			goto fail;
	}
	servers = facts != NULL ? json_loads(facts, 0, NULL) : NULL;
	if (json_object_set_new(j, "categories", cats) == -1 ||
	    json_object_set_new(j, "checks", checks) == -1 ||
	    json_object_set_new(j, "servers",
		servers != NULL ? servers : json_object()) == -1) {
		cats = checks = NULL;
		goto fail;
	}
	return j;
fail:
	json_decref(j);
	json_decref(cats);
	json_decref(checks);
	return NULL;
}

struct one {
	struct nh_req *rq;
	char link[600];
};

static int
render_view(FILE *fp, const void *arg)
{
	return nh_page_result(fp, arg);
}

static int
on_one(const struct nh_store_result *r, const char *facts, void *arg)
{
	struct one *o = arg;
	json_t *j = r->error == NULL ? stored_json(r, facts) : NULL;
	struct nh_live_view v = {
		.id = "",
		.type = r->type,
		.domain = r->domain,
		.state = r->error != NULL ? NH_LIVE_ERROR : NH_LIVE_DONE,
		.created = r->started,
		.finished = r->started,
		.score = r->score,
		.error = r->error,
		.result = j,
		.link = o->link,
	};

	if (r->error != NULL || j != NULL)
		nh_resp_page(&o->rq->resp, 200, render_view, &v);
	json_decref(j);
	return 0;
}

/* GET /rounds/ID/DOMAIN/TYPE: one stored result as a result page (the
 * batch API's report.url). */
static void
result_page(struct nh_req *rq, long long round, const char *rest)
{
	const char *slash = strrchr(rest, '/');
	char domain[256];
	enum nh_test_type type;
	struct one o = { .rq = rq };
	int rc;

	if (slash == NULL || slash == rest ||
	    (size_t)(slash - rest) >= sizeof(domain) ||
	    (strcmp(slash, "/web") != 0 && strcmp(slash, "/mail") != 0)) {
		nh_resp_error_page(&rq->resp, 404, "There is no such result.");
		return;
	}
	snprintf(domain, sizeof(domain), "%.*s", (int)(slash - rest), rest);
	type = strcmp(slash, "/mail") == 0 ? NH_TEST_MAIL : NH_TEST_WEB;
	snprintf(
	    o.link, sizeof(o.link), "/rounds/%lld/%s%s", round, domain, slash);
	rc = nh_store_one_result(
	    rq->srv->store, round, domain, type, true, on_one, &o);
	if (rc == 0)
		nh_resp_error_page(
		    &rq->resp, 404, "That round has no such result.");
	else if (rc == -1)
		nh_resp_error_page(
		    &rq->resp, 500, "The server cannot read its store.");
	else if (rq->resp.status == 200)
		nh_cache_put(rq->srv->cache, 'r', rq->path, &rq->resp);
}

/* A survey round: the survey report's page (exposed services per
 * country and AS), against the survey round before it. */
static void
survey_page(struct nh_req *rq, int64_t round)
{
	char *buf = NULL, err[256] = "";
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int rc;

	if (fp == NULL)
		return;
	rc = nh_report_survey(fp, rq->srv->store, round, 0, NH_SURVEY_HTML,
	    NULL, err, sizeof(err));
	if (fclose(fp) == EOF && rc == 0)
		rc = -1;
	if (rc != 0) {
		free(buf);
		nh_resp_error_page(&rq->resp, rc == 1 ? 404 : 500,
		    rc == 1 ? "There is no such survey round."
			    : "The server cannot read its store.");
		return;
	}
	nh_resp_take(&rq->resp, 200, "text/html; charset=utf-8", buf, len);
	rq->resp.csp = ROUND_CSP;
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

	if (*end == '/' && cur > 0) {
		if (nh_cache_get(rq->srv->cache, 'r', rq->path, &rq->resp) != 1)
			result_page(rq, cur, end + 1);
		return;
	}
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
	for (i = 0; i < l.n && l.v[i].id != cur; i++) {
		if (!l.v[i].survey)
			base = l.v[i].id;
	}
	if (i == l.n) {
		nh_resp_error_page(&rq->resp, 404, "There is no such round.");
		goto out;
	}
	if (l.v[i].survey) {
		survey_page(rq, cur);
		goto out;
	}
	if (nh_scan_agg_focus(l.agg, cur, base) == -1)
		goto fail;
	f.agg = l.agg;
	for (i = 0; i < l.n; i++) {
		if (l.v[i].survey)
			continue;
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
