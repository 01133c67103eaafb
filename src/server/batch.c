/*
 * batch.c: the Internet.nl-compatible batch API (v2): requests of many
 * domains from authenticated users, run on the scan engine and written to
 * the store as scan rounds, one per request.
 *
 * Scheduling: at most batch_flight tests in flight for all requests;
 * each user's requests in the order they came (FIFO), users taking turns
 * test by test. A request's progress is its round's: a server stopped and
 * started again carries on with the tests not yet written.
 *
 * Differences from Internet.nl (docs/server.md): results are built when
 * asked (no "generating" state and no 400 "being generated" first); a
 * name that is not a domain name is kept in the request (and reported)
 * instead of dropped.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "batch_json.h"
#include "engine/engine.h"
#include "server_impl.h"
#include "store/store.h"

#define NH_BATCH_MAX_DOMAINS 5000 /* per request (Internet.nl's fair use) */
#define NH_BATCH_LIST_LIMIT 10    /* GET /requests without ?limit */

struct run {
	struct nh_batch_set *set;
	char id[33];
	char *user;
	enum nh_test_type type;
	int64_t round;
	char **domains; /* pending, owned */
	size_t n, cap, next;
	unsigned flight;
	bool cancelled;
	TAILQ_ENTRY(run) link;
};

struct nh_batch_set {
	struct nh_server *srv;
	TAILQ_HEAD(, run) runs; /* oldest first */
	unsigned flight;
	char last_user[64]; /* whose test started last */
};

static void
run_free(struct run *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->domains[i]);
	free(r->domains);
	free(r->user);
	free(r);
}

static void
store_warn(struct nh_batch_set *b)
{
	fprintf(stderr, "nethealth serve: batch: %s\n",
	    nh_store_error(b->srv->store));
}

/* A run's end: the request done (or left cancelled), the run dropped. */
static void
run_end(struct run *r)
{
	struct nh_batch_set *b = r->set;

	if (!r->cancelled) {
		if (nh_store_round_finish(b->srv->store, r->round) == -1 ||
		    nh_store_batch_status(b->srv->store, r->id, "done", true) ==
			-1)
			store_warn(b);
	}
	TAILQ_REMOVE(&b->runs, r, link);
	run_free(r);
}

static void fill(struct nh_batch_set *b);

struct job {
	struct run *run;
	const char *domain; /* the run's */
};

static void
on_result(struct nh_facts *facts, struct nh_test_result *res, void *arg)
{
	struct job *j = arg;
	struct run *r = j->run;
	struct nh_batch_set *b = r->set;
	json_t *fj = NULL;
	int rc;

	if (res != NULL && (fj = nh_facts_to_json(facts)) != NULL)
		rc = nh_store_put_result(b->srv->store, r->round, res, fj);
	else
		rc = nh_store_put_error(b->srv->store, r->round, j->domain,
		    r->type, "out of memory");
	if (rc == -1)
		store_warn(b);
	json_decref(fj);
	nh_test_result_free(res);
	nh_facts_free(facts);
	free(j);
	r->flight--;
	b->flight--;
	if (r->flight == 0 && (r->next == r->n || r->cancelled))
		run_end(r);
	fill(b);
}

/* The next run to take a test from: the oldest with work whose user did
 * not start the last test, else the oldest with work. */
static struct run *
pick(struct nh_batch_set *b)
{
	struct run *r, *any = NULL;

	TAILQ_FOREACH(r, &b->runs, link)
	{
		if (r->cancelled || r->next == r->n)
			continue;
		if (any == NULL)
			any = r;
		if (strcmp(r->user, b->last_user) != 0)
			return r;
	}
	return any;
}

static void
fill(struct nh_batch_set *b)
{
	const struct nh_server_config *c = b->srv->cfg;
	unsigned cap =
	    c->batch_flight ? c->batch_flight : NH_SERVE_BATCH_FLIGHT;
	struct run *r;

	while (!b->srv->stopping && b->flight < cap && (r = pick(b)) != NULL) {
		struct job *j = malloc(sizeof(*j));

		if (j == NULL)
			return;
		j->run = r;
		j->domain = r->domains[r->next++];
		snprintf(b->last_user, sizeof(b->last_user), "%s", r->user);
		if (nh_engine_test(b->srv->engine, j->domain, r->type,
			on_result, j) == -1) {
			if (nh_store_put_error(b->srv->store, r->round,
				j->domain, r->type, "out of memory") == -1)
				store_warn(b);
			free(j);
			continue;
		}
		r->flight++;
		b->flight++;
	}
}

static int
on_pending(const char *domain, void *arg)
{
	struct run *r = arg;

	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		char **v = realloc(r->domains, cap * sizeof(*v));

		if (v == NULL)
			return 1;
		r->domains = v;
		r->cap = cap;
	}
	if ((r->domains[r->n] = strdup(domain)) == NULL)
		return 1;
	r->n++;
	return 0;
}

/* A run for a stored request, with the domains its round still lacks. */
static struct run *
run_new(struct nh_batch_set *b, const char *id, const char *user,
    enum nh_test_type type, int64_t round)
{
	struct run *r = calloc(1, sizeof(*r));

	if (r == NULL || (r->user = strdup(user)) == NULL) {
		free(r);
		return NULL;
	}
	r->set = b;
	snprintf(r->id, sizeof(r->id), "%s", id);
	r->type = type;
	r->round = round;
	if (nh_store_round_pending(b->srv->store, round, type, on_pending, r) ==
	    -1) {
		run_free(r);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&b->runs, r, link);
	return r;
}

/* ---- start: requests left running by the last server ---- */

struct active {
	struct nh_store_batch *v;
	size_t n;
	bool fail;
};

static int
on_active(const struct nh_store_batch *s, void *arg)
{
	struct active *a = arg;
	struct nh_store_batch *v = realloc(a->v, (a->n + 1) * sizeof(*v));

	if (v == NULL) {
		a->fail = true;
		return 1;
	}
	a->v = v;
	v[a->n] = *s;
	v[a->n].id = strdup(s->id);
	v[a->n].user = strdup(s->user);
	a->n++;
	if (v[a->n - 1].id == NULL || v[a->n - 1].user == NULL) {
		a->fail = true;
		return 1;
	}
	return 0;
}

struct nh_batch_set *
nh_batch_new(struct nh_server *srv, const char **err)
{
	struct nh_batch_set *b = calloc(1, sizeof(*b));
	struct active a = { 0 };
	int rc = 0;

	if (b == NULL)
		return NULL;
	b->srv = srv;
	TAILQ_INIT(&b->runs);
	if (nh_store_batch_list(srv->store, NULL, 0, true, on_active, &a) == -1)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < a.n; i++) {
		struct run *r = run_new(
		    b, a.v[i].id, a.v[i].user, a.v[i].type, a.v[i].round);

		if (r == NULL)
			rc = -1;
		else if (r->n == 0)
			run_end(r);
	}
	for (size_t i = 0; i < a.n; i++) {
		free((char *)a.v[i].id);
		free((char *)a.v[i].user);
	}
	free(a.v);
	if (rc == -1) {
		*err = a.fail ? "out of memory" : nh_store_error(srv->store);
		nh_batch_free(b);
		return NULL;
	}
	if (!TAILQ_EMPTY(&b->runs))
		fprintf(stderr,
		    "nethealth serve: batch: carrying on with the requests "
		    "left running\n");
	fill(b);
	return b;
}

unsigned
nh_batch_flight(const struct nh_batch_set *b)
{
	return b != NULL ? b->flight : 0;
}

void
nh_batch_free(struct nh_batch_set *b)
{
	struct run *r;

	if (b == NULL)
		return;
	while ((r = TAILQ_FIRST(&b->runs)) != NULL) {
		TAILQ_REMOVE(&b->runs, r, link);
		run_free(r);
	}
	free(b);
}

/* ---- the API ---- */

static void
reply(struct nh_req *rq, unsigned status, json_t *j)
{
	nh_resp_json(&rq->resp, status, j);
}

static void
fail(struct nh_req *rq, unsigned status, const char *label, const char *msg)
{
	reply(rq, status, nh_batch_error(label, msg));
}

static struct nh_batch_req
as_req(const struct nh_store_batch *s)
{
	return (struct nh_batch_req){
		.id = s->id,
		.name = s->name,
		.type = s->type,
		.status = s->status,
		.submit_date = s->submitted,
		.finished_date = s->finished,
	};
}

/* Copies the request row the callback sees. */
struct got {
	struct nh_store_batch b;
	char *copy[6];
	json_t *json; /* its "request" object */
};

static char *
keep(struct got *g, int slot, const char *s)
{
	return s != NULL ? (g->copy[slot] = strdup(s)) : NULL;
}

static int
on_got(const struct nh_store_batch *s, void *arg)
{
	struct got *g = arg;
	struct nh_batch_req r = as_req(s);

	g->b = *s;
	g->b.id = keep(g, 0, s->id);
	g->b.user = keep(g, 1, s->user);
	g->b.name = keep(g, 2, s->name);
	g->b.status = keep(g, 3, s->status);
	g->b.submitted = keep(g, 4, s->submitted);
	g->b.finished = keep(g, 5, s->finished);
	g->json = nh_batch_request_json(&r);
	return 0;
}

static void
got_clear(struct got *g)
{
	for (size_t i = 0; i < sizeof(g->copy) / sizeof(g->copy[0]); i++)
		free(g->copy[i]);
	json_decref(g->json);
}

/* Finds the user's request id; answers 404/500 itself when it cannot. */
static int
get_request(struct nh_req *rq, const char *id, struct got *g)
{
	int rc;

	memset(g, 0, sizeof(*g));
	if (!nh_is_id(id)) {
		fail(rq, 404, "unknown-request", "Unknown request.");
		return -1;
	}
	rc = nh_store_batch_get(rq->srv->store, id, rq->user, on_got, g);
	if (rc == 1 && g->json != NULL)
		return 0;
	if (rc == 0)
		fail(rq, 404, "unknown-request", "Unknown request.");
	else
		fail(rq, 500, "server-error", "The store cannot be read.");
	got_clear(g);
	return -1;
}

/* GET /requests/ID: { "api_version", "request" }. */
static void
show_request(struct nh_req *rq, const char *id)
{
	struct got g;
	json_t *out;

	if (get_request(rq, id, &g) == -1)
		return;
	out = nh_batch_reply();
	if (out != NULL)
		json_object_set(out, "request", g.json);
	reply(rq, 200, out);
	got_clear(&g);
}

static int
on_list(const struct nh_store_batch *s, void *arg)
{
	json_t *arr = arg;
	struct nh_batch_req r = as_req(s);

	return json_array_append_new(arr, nh_batch_request_json(&r)) == -1;
}

static void
list_requests(struct nh_req *rq)
{
	const char *ls = nh_req_arg(rq, "limit");
	long limit = NH_BATCH_LIST_LIMIT;
	json_t *j = nh_batch_reply(), *arr = json_array();
	char *end;

	if (ls != NULL) {
		limit = strtol(ls, &end, 10);
		if (*ls == '\0' || *end != '\0' || limit < 0) {
			json_decref(j);
			json_decref(arr);
			fail(rq, 400, "bad-request",
			    "limit must be a whole number, 0 for all.");
			return;
		}
	}
	if (j == NULL || arr == NULL ||
	    json_object_set(j, "requests", arr) == -1 ||
	    nh_store_batch_list(
		rq->srv->store, rq->user, limit, false, on_list, arr) == -1) {
		json_decref(j);
		json_decref(arr);
		fail(rq, 500, "server-error", "The store cannot be read.");
		return;
	}
	json_decref(arr);
	reply(rq, 200, j);
}

/* Writes the domains as lines for the scan-list reader: the same
 * normalization, duplicates and invalid names as `nethealth scan`. */
static int
read_domains(json_t *domains, struct nh_target_list *l, const char **why)
{
	char *buf = NULL;
	size_t len = 0, i;
	json_t *d;
	FILE *fp = open_memstream(&buf, &len);
	int rc = -1;

	*why = "out of memory";
	if (fp == NULL)
		return -1;
	json_array_foreach(domains, i, d)
	{
		const char *s = json_string_value(d);

		if (s == NULL) {
			*why = "domains must be a list of strings";
			goto out;
		}
		if (strpbrk(s, "\r\n,#") != NULL || *s == '\0') {
			/* Not a name, and would break the line format. */
			fprintf(fp, "#\n");
			continue;
		}
		fprintf(fp, "%s\n", s);
	}
	if (fclose(fp) == EOF)
		goto out_closed;
	fp = fmemopen(buf, len, "r");
	if (fp == NULL || (len > 0 && nh_targets_read(fp, l) == -1))
		goto out;
	rc = 0;
out:
	if (fp != NULL)
		fclose(fp);
out_closed:
	free(buf);
	return rc;
}

static void
post_request(struct nh_req *rq)
{
	json_error_t je;
	json_t *j = NULL, *domains, *type, *name, *out = NULL;
	struct nh_target_list l = { 0 };
	struct nh_store_batch s = { 0 };
	struct nh_round_spec spec = { 0 };
	struct nh_batch_req r;
	char id[33], key[64], source[512];
	const char *why;
	bool resumed;
	struct run *run;
	int64_t round;

	if (rq->body == NULL ||
	    (j = json_loadb(rq->body, rq->len, JSON_REJECT_DUPLICATES, &je)) ==
		NULL ||
	    !json_is_object(j)) {
		fail(rq, 400, "bad-request",
		    "The body must be a JSON object: {\"type\": \"web\" or "
		    "\"mail\", \"name\": \"...\", \"domains\": [...]}.");
		goto out;
	}
	type = json_object_get(j, "type");
	name = json_object_get(j, "name");
	domains = json_object_get(j, "domains");
	if (!json_is_string(type) ||
	    (strcmp(json_string_value(type), "web") != 0 &&
		strcmp(json_string_value(type), "mail") != 0)) {
		fail(rq, 400, "bad-request",
		    "type must be \"web\" or \"mail\".");
		goto out;
	}
	if (name != NULL && !json_is_string(name)) {
		fail(rq, 400, "bad-request", "name must be a string.");
		goto out;
	}
	if (!json_is_array(domains) || json_array_size(domains) == 0 ||
	    json_array_size(domains) > NH_BATCH_MAX_DOMAINS) {
		fail(rq, 400, "bad-request",
		    "domains must be a list of 1 to 5000 domain names.");
		goto out;
	}
	if (rq->srv->stopping) {
		fail(rq, 503, "server-error",
		    "The server is stopping; try again in a minute.");
		goto out;
	}
	if (read_domains(domains, &l, &why) == -1) {
		fail(rq, 400, "bad-request", why);
		goto out;
	}
	if (nh_random_id(id) == -1) {
		fail(rq, 500, "server-error", "No random numbers.");
		goto out;
	}
	snprintf(key, sizeof(key), "batch:%s", id);
	snprintf(source, sizeof(source), "batch request %s (%.200s) of %s", id,
	    name != NULL ? json_string_value(name) : "", rq->user);
	spec.key = key;
	spec.source = source;
	spec.options = "{\"batch\": true}";
	spec.web = strcmp(json_string_value(type), "web") == 0;
	spec.mail = !spec.web;
	s.id = id;
	s.user = rq->user;
	s.name = name != NULL ? json_string_value(name) : "";
	s.type = spec.web ? NH_TEST_WEB : NH_TEST_MAIL;
	s.status = "running";
	if ((round = nh_store_round_begin(rq->srv->store, &spec, &resumed)) ==
		-1 ||
	    nh_targets_store(rq->srv->store, round, &l) == -1 ||
	    (s.round = round, nh_store_batch_new(rq->srv->store, &s)) == -1) {
		store_warn(rq->srv->batch);
		fail(rq, 500, "server-error", "The store cannot be written.");
		goto out;
	}
	if ((run = run_new(rq->srv->batch, id, rq->user, s.type, round)) ==
	    NULL) {
		store_warn(rq->srv->batch);
		fail(rq, 500, "server-error", "The request cannot be started.");
		goto out;
	}
	if (run->n == 0)
		run_end(run);
	fill(rq->srv->batch);
	r = (struct nh_batch_req){ .id = id,
		.name = s.name,
		.type = s.type,
		.status = run->n == 0 ? "done" : "running" };
	out = nh_batch_reply();
	if (out != NULL)
		json_object_set_new(out, "request", nh_batch_request_json(&r));
	reply(rq, 201, out);
out:
	nh_targets_free(&l);
	json_decref(j);
}

static struct run *
find_run(struct nh_batch_set *b, const char *id)
{
	struct run *r;

	TAILQ_FOREACH(r, &b->runs, link)
	{
		if (strcmp(r->id, id) == 0)
			return r;
	}
	return NULL;
}

static void
cancel_request(struct nh_req *rq, const char *id)
{
	json_t *j = NULL, *st;
	struct got g;
	struct run *r;
	json_error_t je;

	if (rq->body != NULL)
		j = json_loadb(rq->body, rq->len, 0, &je);
	st = json_object_get(j, "status");
	if (!json_is_string(st) ||
	    strcmp(json_string_value(st), "cancelled") != 0) {
		json_decref(j);
		fail(rq, 400, "bad-request",
		    "The only change is {\"status\": \"cancelled\"}.");
		return;
	}
	json_decref(j);
	if (get_request(rq, id, &g) == -1)
		return;
	if (strcmp(g.b.status, "running") == 0 ||
	    strcmp(g.b.status, "registering") == 0) {
		if (nh_store_batch_status(
			rq->srv->store, id, "cancelled", true) == -1) {
			got_clear(&g);
			fail(rq, 500, "server-error",
			    "The store cannot be written.");
			return;
		}
		if ((r = find_run(rq->srv->batch, id)) != NULL) {
			r->cancelled = true;
			if (r->flight == 0)
				run_end(r);
		}
	}
	got_clear(&g);
	show_request(rq, id); /* as it is now */
}

struct results {
	json_t *domains;
	bool technical;
	bool fail;
	int64_t round;
	char base[300]; /* scheme and host of the report URLs */
};

static int
on_stored(const struct nh_store_result *r, const char *facts_json, void *arg)
{
	struct results *x = arg;
	struct nh_facts *f;
	json_t *d;
	char url[640];

	if (r->invalid)
		return 0; /* Internet.nl leaves names that are not out */
	f = facts_json != NULL ? nh_batch_facts(facts_json) : NULL;
	snprintf(url, sizeof(url), "%s/rounds/%lld/%s/%s", x->base,
	    (long long)x->round, r->domain, nh_test_type_name(r->type));
	d = x->technical ? nh_batch_domain_technical(r, f)
			 : nh_batch_domain_result(r, f, url, 0);
	nh_facts_free(f);
	if (d == NULL || json_object_set_new(x->domains, r->domain, d) == -1) {
		x->fail = true;
		return 1;
	}
	return 0;
}

static void
results(struct nh_req *rq, const char *id, bool technical)
{
	struct got g;
	struct results x = { .technical = technical };
	const char *host = nh_req_header(rq, "Host");
	const char *proto = nh_req_header(rq, "X-Forwarded-Proto");
	json_t *out;

	if (get_request(rq, id, &g) == -1)
		return;
	/* Each domain's report: its result page on this server, as the
	 * client reached it (a proxy in front says its scheme). */
	x.round = g.b.round;
	if (host != NULL && strpbrk(host, "/\\\"<> ") == NULL)
		snprintf(x.base, sizeof(x.base), "%s://%.200s",
		    proto != NULL && strcmp(proto, "https") == 0 ? "https"
								 : "http",
		    host);
	if (strcmp(g.b.status, "done") != 0) {
		fail(rq, 400, "bad-request",
		    strcmp(g.b.status, "cancelled") == 0
			? "The request was cancelled: it has no results."
			: "The request is not done yet; poll its status.");
		got_clear(&g);
		return;
	}
	out = nh_batch_reply();
	x.domains = json_object();
	if (out == NULL || x.domains == NULL ||
	    json_object_set(out, "request", g.json) == -1 ||
	    json_object_set(out, "domains", x.domains) == -1 ||
	    nh_store_each_result(
		rq->srv->store, g.b.round, true, on_stored, &x) == -1) {
		json_decref(out);
		json_decref(x.domains);
		got_clear(&g);
		fail(rq, 500, "server-error",
		    x.fail ? "Out of memory." : "The store cannot be read.");
		return;
	}
	json_decref(x.domains);
	got_clear(&g);
	reply(rq, 200, out);
}

void
nh_batch_route(struct nh_req *rq, const char *rest)
{
	const char *id, *slash;
	char idbuf[40];

	if (rq->srv->users == NULL) {
		fail(rq, 404, "invalid-url",
		    "The batch API is off: start the server with --users "
		    "FILE.");
		return;
	}
	const char *user = nh_users_check(rq->srv->users, rq);
	if (user == NULL) {
		fail(rq, 401, "bad-request",
		    "Authentication required (HTTP Basic).");
		rq->resp.auth_challenge = true;
		return;
	}
	if ((rq->user = strdup(user)) == NULL)
		return;
	if (strcmp(rest, "metadata/report") == 0) {
		json_t *out = nh_batch_reply();

		if (out != NULL)
			json_object_set_new(
			    out, "report", nh_batch_metadata(0));
		reply(rq, 200, out);
		return;
	}
	if (strcmp(rest, "requests") == 0) {
		if (strcmp(rq->method, "POST") == 0)
			post_request(rq);
		else if (strcmp(rq->method, "GET") == 0)
			list_requests(rq);
		else
			fail(rq, 405, "bad-request", "Use GET or POST.");
		return;
	}
	if ((id = strncmp(rest, "requests/", 9) == 0 ? rest + 9 : NULL) ==
	    NULL) {
		fail(rq, 404, "invalid-url", "No such API endpoint.");
		return;
	}
	slash = strchr(id, '/');
	snprintf(idbuf, sizeof(idbuf), "%.*s",
	    (int)(slash != NULL ? (size_t)(slash - id) : strlen(id)), id);
	if (slash == NULL && strcmp(rq->method, "GET") == 0) {
		show_request(rq, idbuf);
	} else if (slash == NULL && strcmp(rq->method, "PATCH") == 0) {
		cancel_request(rq, idbuf);
	} else if (slash != NULL && strcmp(slash, "/results") == 0 &&
	    strcmp(rq->method, "GET") == 0) {
		results(rq, idbuf, false);
	} else if (slash != NULL && strcmp(slash, "/results_technical") == 0 &&
	    strcmp(rq->method, "GET") == 0) {
		results(rq, idbuf, true);
	} else {
		fail(rq, 404, "invalid-url", "No such API endpoint.");
	}
}
