/*
 * router.c: which handler serves a method and path. Paths are matched
 * exactly or by a prefix followed by one id; anything else is a 404, a
 * known path with another method a 405.
 */
#include <stdlib.h>
#include <string.h>

#include "pages.h"
#include "server_impl.h"

/* The rest of path after prefix, or NULL when path does not start so. */
static const char *
after(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(path, prefix, n) == 0 ? path + n : NULL;
}

static bool
is(const struct nh_req *rq, const char *method)
{
	return strcmp(rq->method, method) == 0 ||
	    (strcmp(method, "GET") == 0 && strcmp(rq->method, "HEAD") == 0);
}

static void
not_allowed(struct nh_req *rq)
{
	nh_resp_error_page(
	    &rq->resp, 405, "This address does not take that method.");
}

static void
not_found(struct nh_req *rq)
{
	nh_resp_error_page(&rq->resp, 404,
	    "There is no page at this address. Start from the home page.");
}

struct home_arg {
	const char *domain, *type;
};

static int
render_home(FILE *fp, const void *arg)
{
	const struct home_arg *h = arg;

	return nh_page_home(fp, h->domain, h->type, NULL);
}

static void
standards(struct nh_req *rq, const char *category)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int rc;

	if (fp == NULL)
		return;
	rc = nh_page_standards(fp, category);
	if (fclose(fp) == EOF)
		rc = -1;
	if (rc != 0) {
		free(buf);
		if (rc == 1) /* an unknown category */
			not_found(rq);
		return;
	}
	nh_resp_take(&rq->resp, 200, "text/html; charset=utf-8", buf, len);
	rq->resp.cache = "public, max-age=3600";
}

static void
asset(struct nh_req *rq, const char *name)
{
	for (const struct nh_asset *a = nh_assets; a->name != NULL; a++) {
		if (strcmp(a->name, name) != 0)
			continue;
		char *b = malloc(a->len + 1);
		if (b == NULL)
			return;
		memcpy(b, a->data, a->len);
		nh_resp_take(&rq->resp, 200, a->type, b, a->len);
		rq->resp.cache = "public, max-age=3600";
		return;
	}
	not_found(rq);
}

static void
api_v1(struct nh_req *rq, const char *rest)
{
	const char *id;

	if (strcmp(rest, "tests") == 0) {
		if (is(rq, "POST"))
			nh_live_api_post(rq);
		else
			nh_resp_json_error(&rq->resp, 405, "use POST");
		return;
	}
	if ((id = after(rest, "tests/")) != NULL) {
		if (is(rq, "GET"))
			nh_live_api_get(rq, id);
		else
			nh_resp_json_error(&rq->resp, 405, "use GET");
		return;
	}
	nh_resp_json_error(&rq->resp, 404, "no such API endpoint");
}

void
nh_route(struct nh_req *rq)
{
	const char *path = rq->path, *rest;

	if ((rest = after(path, "/api/batch/v2/")) != NULL) {
		nh_batch_route(rq, rest);
		return;
	}
	if ((rest = after(path, "/api/v1/")) != NULL) {
		api_v1(rq, rest);
		return;
	}
	if (strcmp(path, "/api/batch/openapi.yaml") == 0) {
		if (is(rq, "GET"))
			asset(rq, "openapi.yaml");
		else
			not_allowed(rq);
		return;
	}
	if (strcmp(path, "/test") == 0) {
		if (is(rq, "POST"))
			nh_live_form(rq);
		else if (is(rq, "GET"))
			nh_resp_redirect(&rq->resp, "/");
		else
			not_allowed(rq);
		return;
	}
	if (!is(rq, "GET")) {
		not_allowed(rq);
		return;
	}
	if (strcmp(path, "/") == 0) {
		struct home_arg h = { nh_req_arg(rq, "domain"),
			nh_req_arg(rq, "type") };

		nh_resp_page(&rq->resp, 200, render_home, &h);
	} else if (strcmp(path, "/healthz") == 0) {
		nh_resp_text(&rq->resp, rq->srv->stopping ? 503 : 200,
		    "text/plain; charset=utf-8",
		    rq->srv->stopping ? "stopping\n" : "ok\n");
	} else if ((rest = after(path, "/test/")) != NULL) {
		nh_live_page(rq, rest);
	} else if (strcmp(path, "/halloffame") == 0) {
		nh_live_hof(rq);
	} else if (strcmp(path, "/standards") == 0) {
		standards(rq, NULL);
	} else if ((rest = after(path, "/standards/")) != NULL) {
		standards(rq, rest);
	} else if (strcmp(path, "/rounds") == 0) {
		nh_rounds_page(rq);
	} else if ((rest = after(path, "/rounds/")) != NULL) {
		nh_round_page(rq, rest);
	} else if ((rest = after(path, "/static/")) != NULL) {
		asset(rq, rest);
	} else {
		not_found(rq);
	}
}
