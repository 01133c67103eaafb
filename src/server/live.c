/*
 * live.c: the tests people start from the web site and the JSON API.
 *
 * A start goes through, in order: the name (normalized, or refused with
 * the reason); a test of the same name and type already queued or
 * running, or finished in the last NH_LIVE_REUSE seconds, is handed back
 * instead of a new one (as Internet.nl does); the client's limits (tests
 * running at once, tests started per hour: a token bucket); the overall
 * queue; then, unless --lab, the addresses the test would connect to
 * first, looked up while the request waits: a name leading to a private,
 * loopback, link-local, documentation, multicast or reserved address is
 * refused with the address named. (The connection guard of net.h still
 * refuses every such connection during the test: a redirect or an MX
 * added later cannot lead there either.)
 *
 * A test is written to the store when queued, when it starts and when it
 * ends (with the result as JSON); at most max_tests run at once, the rest
 * wait in order.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include "engine/engine.h"
#include "net/net.h"
#include "pages.h"
#include "server_impl.h"
#include "store/store.h"

#define NH_LIVE_REUSE 200    /* seconds a finished result is handed back */
#define NH_LIVE_QUEUE 5      /* queued tests allowed, per running slot */
#define NH_LIVE_CLIENTS 4096 /* clients remembered before pruning */

struct client {
	char key[64];
	unsigned flight;        /* tests queued or running, or looked up */
	double tokens;          /* tests it may still start */
	struct timespec refill; /* when tokens were last topped up */
};

struct live {
	struct nh_live_set *set;
	char id[33];
	enum nh_test_type type;
	char *domain;
	char client[64];
	enum nh_live_state state;
	time_t created;
	struct timespec t0;
	TAILQ_ENTRY(live) link;
};

/* A start waiting for the look-up of its addresses. */
struct lookup {
	struct nh_live_set *set;
	struct nh_req *rq;
	char *domain, *input;
	enum nh_test_type type;
	bool api;
	TAILQ_ENTRY(lookup) link;
};

struct nh_live_set {
	struct nh_server *srv;
	TAILQ_HEAD(, live) tests; /* queued and running, oldest first */
	TAILQ_HEAD(, lookup) lookups;
	unsigned running, queued;
	struct client *clients;
	size_t nclients, capclients;
};

const char *
nh_live_state_name(enum nh_live_state st)
{
	switch (st) {
	case NH_LIVE_QUEUED:
		return "queued";
	case NH_LIVE_RUNNING:
		return "running";
	case NH_LIVE_DONE:
		return "done";
	case NH_LIVE_ERROR:
		return "error";
	}
	return "error";
}

static int
state_parse(const char *s, enum nh_live_state *out)
{
	for (int i = NH_LIVE_QUEUED; i <= NH_LIVE_ERROR; i++) {
		if (s != NULL && strcmp(s, nh_live_state_name(i)) == 0) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

/* ---- clients and their limits ---- */

static double
secs_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static unsigned
per_hour(const struct nh_live_set *l)
{
	const struct nh_server_config *c = l->srv->cfg;

	return c->client_tests ? c->client_tests : NH_SERVE_CLIENT_TESTS;
}

/* Forgets idle clients with a full bucket (they are as new ones). */
static void
prune(struct nh_live_set *l)
{
	size_t k = 0;

	for (size_t i = 0; i < l->nclients; i++) {
		struct client *c = &l->clients[i];
		struct timespec now;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (c->flight == 0 &&
		    c->tokens +
			    secs_between(&c->refill, &now) * per_hour(l) /
				3600.0 >=
			per_hour(l))
			continue;
		l->clients[k++] = *c;
	}
	l->nclients = k;
}

/* The client's entry, topped up; NULL out of memory. */
static struct client *
client_get(struct nh_live_set *l, const char *key)
{
	struct timespec now;
	struct client *c = NULL;
	double cap = per_hour(l);

	clock_gettime(CLOCK_MONOTONIC, &now);
	for (size_t i = 0; i < l->nclients && c == NULL; i++) {
		if (strcmp(l->clients[i].key, key) == 0)
			c = &l->clients[i];
	}
	if (c == NULL) {
		if (l->nclients >= NH_LIVE_CLIENTS)
			prune(l);
		if (l->nclients == l->capclients) {
			size_t cap2 = l->capclients ? 2 * l->capclients : 16;
			struct client *v =
			    realloc(l->clients, cap2 * sizeof(*v));

			if (v == NULL)
				return NULL;
			l->clients = v;
			l->capclients = cap2;
		}
		c = &l->clients[l->nclients++];
		memset(c, 0, sizeof(*c));
		snprintf(c->key, sizeof(c->key), "%s", key);
		c->tokens = cap;
		c->refill = now;
		return c;
	}
	c->tokens = fmin(
	    cap, c->tokens + secs_between(&c->refill, &now) * cap / 3600.0);
	c->refill = now;
	return c;
}

static struct client *
client_find(struct nh_live_set *l, const char *key)
{
	for (size_t i = 0; i < l->nclients; i++) {
		if (strcmp(l->clients[i].key, key) == 0)
			return &l->clients[i];
	}
	return NULL;
}

static void
client_release(struct nh_live_set *l, const char *key, bool refund)
{
	struct client *c = client_find(l, key);

	if (c == NULL)
		return;
	if (c->flight > 0)
		c->flight--;
	if (refund)
		c->tokens = fmin((double)per_hour(l), c->tokens + 1);
}

/* ---- running tests ---- */

static void
live_free(struct live *t)
{
	free(t->domain);
	free(t);
}

static int
live_store(struct nh_live_set *l, const struct live *t, const char *state,
    int score, const char *error, const char *result)
{
	char created[32];
	struct nh_store_live row = {
		.id = t->id,
		.type = t->type,
		.domain = t->domain,
		.client = t->client,
		.state = state,
		.created = created,
		.score = score,
		.error = error,
		.result = result,
	};

	nh_time_text(t->created, created);
	if (nh_store_live_put(l->srv->store, &row) == -1) {
		fprintf(stderr, "nethealth serve: %s\n",
		    nh_store_error(l->srv->store));
		return -1;
	}
	return 0;
}

static void pump(struct nh_live_set *l);

static void
on_done(struct nh_facts *facts, struct nh_test_result *r, void *arg)
{
	struct live *t = arg;
	struct nh_live_set *l = t->set;
	json_t *j = r != NULL ? nh_test_result_to_json(r) : NULL;
	json_t *servers = j != NULL ? nh_facts_to_json(facts) : NULL;
	char *text = NULL;

	/* The same object as `nethealth web --json`: the facts are the
	 * technical details. */
	if (servers != NULL && json_object_set_new(j, "servers", servers) == 0)
		text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (text != NULL)
		live_store(l, t, "done", r->score, NULL, text);
	else
		live_store(l, t, "error", -1, "out of memory", NULL);
	free(text);
	json_decref(j);
	nh_test_result_free(r);
	nh_facts_free(facts);
	TAILQ_REMOVE(&l->tests, t, link);
	l->running--;
	client_release(l, t->client, false);
	live_free(t);
	pump(l);
}

/* Starts queued tests while there are free slots. */
static void
pump(struct nh_live_set *l)
{
	const struct nh_server_config *c = l->srv->cfg;
	unsigned max = c->max_tests ? c->max_tests : NH_SERVE_MAX_TESTS;
	struct live *t, *next;

	for (t = TAILQ_FIRST(&l->tests); t != NULL && l->running < max;
	     t = next) {
		next = TAILQ_NEXT(t, link);
		if (t->state != NH_LIVE_QUEUED)
			continue;
		if (nh_engine_test(
			l->srv->engine, t->domain, t->type, on_done, t) == -1) {
			live_store(l, t, "error", -1, "out of memory", NULL);
			TAILQ_REMOVE(&l->tests, t, link);
			l->queued--;
			client_release(l, t->client, false);
			live_free(t);
			continue;
		}
		t->state = NH_LIVE_RUNNING;
		clock_gettime(CLOCK_MONOTONIC, &t->t0);
		l->queued--;
		l->running++;
		live_store(l, t, "running", -1, NULL, NULL);
	}
}

static struct live *
find_test(struct nh_live_set *l, const char *domain, enum nh_test_type type)
{
	struct live *t;

	TAILQ_FOREACH(t, &l->tests, link)
	{
		if (t->type == type && strcmp(t->domain, domain) == 0)
			return t;
	}
	return NULL;
}

static struct live *
find_id(struct nh_live_set *l, const char *id)
{
	struct live *t;

	TAILQ_FOREACH(t, &l->tests, link)
	{
		if (strcmp(t->id, id) == 0)
			return t;
	}
	return NULL;
}

/* ---- answers ---- */

struct home_arg {
	const char *domain, *type, *error;
};

static int
render_home(FILE *fp, const void *arg)
{
	const struct home_arg *h = arg;

	return nh_page_home(fp, h->domain, h->type, h->error);
}

/* Refuses a start: the form again with the message, or a JSON error. */
static void
refuse(struct nh_req *rq, bool api, unsigned status, const char *input,
    enum nh_test_type type, const char *msg)
{
	struct home_arg h = { input, nh_test_type_name(type), msg };

	if (api)
		nh_resp_json_error(&rq->resp, status, msg);
	else
		nh_resp_page(&rq->resp, status, render_home, &h);
	if (status == 429 || status == 503)
		rq->resp.retry_after = status == 429 ? 60 : 30;
}

/* Hands the test `id` back: 303 to its page, or its id in JSON. */
static void
accepted(struct nh_req *rq, bool api, const char *id, bool created)
{
	char url[64], page[64];

	snprintf(page, sizeof(page), "/test/%s", id);
	if (!api) {
		nh_resp_redirect(&rq->resp, page);
		return;
	}
	snprintf(url, sizeof(url), "/api/v1/tests/%s", id);
	nh_resp_json(&rq->resp, created ? 201 : 200,
	    json_pack("{s:s, s:s, s:s, s:b}", "id", id, "url", url, "page",
		page, "new", created));
}

/* Queues a new test; answers the request. */
static void
create(struct nh_live_set *l, struct nh_req *rq, const char *domain,
    enum nh_test_type type, bool api)
{
	struct live *t = calloc(1, sizeof(*t));

	if (t == NULL || (t->domain = strdup(domain)) == NULL ||
	    nh_random_id(t->id) == -1) {
		free(t);
		client_release(l, rq->client, true);
		return;
	}
	t->set = l;
	t->type = type;
	t->state = NH_LIVE_QUEUED;
	t->created = time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &t->t0);
	snprintf(t->client, sizeof(t->client), "%s", rq->client);
	if (live_store(l, t, "queued", -1, NULL, NULL) == -1) {
		live_free(t);
		client_release(l, rq->client, true);
		refuse(rq, api, 500, domain, type,
		    "The server cannot record the test (its store failed).");
		return;
	}
	TAILQ_INSERT_TAIL(&l->tests, t, link);
	l->queued++;
	pump(l);
	accepted(rq, api, t->id, true);
}

static void
lookup_free(struct lookup *k)
{
	free(k->domain);
	free(k->input);
	free(k);
}

/* The addresses of a name to test are known: refuse or create. */
static void
on_addrs(const char *const *addrs, size_t n, const char *error, void *arg)
{
	struct lookup *k = arg;
	struct nh_live_set *l = k->set;
	struct nh_req *rq = k->rq;
	char msg[512];
	size_t i;

	TAILQ_REMOVE(&l->lookups, k, link);
	for (i = 0; i < n && nh_ip_is_public(addrs[i]); i++)
		;
	if (i < n) {
		snprintf(msg, sizeof(msg),
		    "%s %s %s, which is not a public address (private, "
		    "loopback, link-local, documentation, multicast or "
		    "reserved). This server tests only names on the public "
		    "Internet.",
		    k->domain,
		    k->type == NH_TEST_MAIL ? "has a mail server at"
					    : "resolves to",
		    addrs[i]);
	} else if (n == 0 && error != NULL) {
		snprintf(
		    msg, sizeof(msg), "Cannot test %s: %s.", k->domain, error);
	} else if (n == 0 && k->type == NH_TEST_WEB) {
		snprintf(msg, sizeof(msg),
		    "%s has no IPv4 or IPv6 address: there is no website "
		    "to test.",
		    k->domain);
	} else {
		/* The client's reservation moves to the test. */
		create(l, rq, k->domain, k->type, k->api);
		lookup_free(k);
		nh_req_answer(rq);
		return;
	}
	client_release(l, rq->client, true);
	refuse(rq, k->api, 400, k->input, k->type, msg);
	lookup_free(k);
	nh_req_answer(rq);
}

/* ---- starting ---- */

static void
start(struct nh_req *rq, const char *input, const char *type_s, bool api)
{
	struct nh_live_set *l = rq->srv->live;
	const struct nh_server_config *cfg = rq->srv->cfg;
	enum nh_test_type type;
	const char *why = NULL;
	char *domain = NULL, msg[512], id[33];
	struct live *t;
	struct client *c;
	unsigned max = cfg->max_tests ? cfg->max_tests : NH_SERVE_MAX_TESTS;
	unsigned cflight =
	    cfg->client_flight ? cfg->client_flight : NH_SERVE_CLIENT_FLIGHT;

	if (type_s != NULL && strcmp(type_s, "mail") == 0)
		type = NH_TEST_MAIL;
	else if (type_s == NULL || strcmp(type_s, "web") == 0)
		type = NH_TEST_WEB;
	else {
		refuse(rq, api, 400, input, NH_TEST_WEB,
		    "The type of test is \"web\" or \"mail\".");
		return;
	}
	if (rq->srv->stopping) {
		refuse(rq, api, 503, input, type,
		    "The server is stopping; try again in a minute.");
		return;
	}
	if (input == NULL || *input == '\0') {
		refuse(rq, api, 400, input, type,
		    "Enter a domain name, such as example.nl.");
		return;
	}
	if ((domain = nh_domain_normalize(input, &why)) == NULL) {
		snprintf(msg, sizeof(msg),
		    "\"%.200s\" is not a domain name: %s.", input,
		    why != NULL ? why : "out of memory");
		refuse(rq, api, 400, input, type, msg);
		return;
	}
	/* The same test running, or just finished: hand it back. */
	if ((t = find_test(l, domain, type)) != NULL) {
		accepted(rq, api, t->id, false);
		goto out;
	}
	if (nh_store_live_recent(
		rq->srv->store, domain, type, NH_LIVE_REUSE, id) == 1) {
		accepted(rq, api, id, false);
		goto out;
	}
	if ((c = client_get(l, rq->client)) == NULL)
		goto out;
	if (c->flight >= cflight) {
		snprintf(msg, sizeof(msg),
		    "You have %u tests running; wait until one ends.",
		    c->flight);
		refuse(rq, api, 429, input, type, msg);
		goto out;
	}
	if (c->tokens < 1) {
		snprintf(msg, sizeof(msg),
		    "You started %u tests in the last hour, the most one "
		    "visitor may; try again in a few minutes.",
		    per_hour(l));
		refuse(rq, api, 429, input, type, msg);
		goto out;
	}
	if (l->queued + l->running >= max * NH_LIVE_QUEUE) {
		refuse(rq, api, 503, input, type,
		    "The server is busy with other tests; try again in a "
		    "minute.");
		goto out;
	}
	c->flight++;
	c->tokens -= 1;
	if (cfg->lab) {
		create(l, rq, domain, type, api);
		goto out;
	}
	struct lookup *k = calloc(1, sizeof(*k));
	if (k == NULL || (k->input = strdup(input)) == NULL) {
		free(k);
		client_release(l, rq->client, true);
		goto out;
	}
	k->set = l;
	k->rq = rq;
	k->domain = domain;
	k->type = type;
	k->api = api;
	domain = NULL;
	if (nh_engine_addresses(
		rq->srv->engine, k->domain, type, on_addrs, k) == -1) {
		client_release(l, rq->client, true);
		lookup_free(k);
		goto out;
	}
	TAILQ_INSERT_TAIL(&l->lookups, k, link);
	rq->suspended = true;
out:
	free(domain);
}

void
nh_live_form(struct nh_req *rq)
{
	char domain[1024], type[16];
	const char *body = rq->body != NULL ? rq->body : "";

	start(rq, nh_form_value(body, "domain", domain, sizeof(domain)),
	    nh_form_value(body, "type", type, sizeof(type)), false);
}

void
nh_live_api_post(struct nh_req *rq)
{
	json_error_t je;
	json_t *j = NULL, *d, *ty;

	if (rq->body == NULL ||
	    (j = json_loadb(rq->body, rq->len, JSON_REJECT_DUPLICATES, &je)) ==
		NULL ||
	    !json_is_object(j)) {
		nh_resp_json_error(&rq->resp, 400,
		    "the body must be a JSON object: {\"type\": \"web\" or "
		    "\"mail\", \"domain\": \"example.nl\"}");
		json_decref(j);
		return;
	}
	d = json_object_get(j, "domain");
	ty = json_object_get(j, "type");
	if (!json_is_string(d) || (ty != NULL && !json_is_string(ty))) {
		nh_resp_json_error(&rq->resp, 400,
		    "\"domain\" must be a string, and \"type\" \"web\" or "
		    "\"mail\"");
		json_decref(j);
		return;
	}
	start(rq, json_string_value(d),
	    ty != NULL ? json_string_value(ty) : NULL, true);
	json_decref(j);
}

/* ---- showing tests ---- */

struct view_arg {
	struct nh_live_view v;
	json_t *result;
	char created[32], finished[32];
	char *copy[6]; /* strings copied out of the store's row */
	bool found;
};

static char *
keep(struct view_arg *va, int slot, const char *s)
{
	if (s == NULL)
		return NULL;
	va->copy[slot] = strdup(s);
	return va->copy[slot];
}

static int
on_row(const struct nh_store_live *t, void *arg)
{
	struct view_arg *va = arg;

	va->found = true;
	va->v.id = keep(va, 0, t->id);
	va->v.type = t->type;
	va->v.domain = keep(va, 1, t->domain);
	if (state_parse(t->state, &va->v.state) == -1)
		va->v.state = NH_LIVE_ERROR;
	va->v.created = keep(va, 2, t->created);
	va->v.finished = keep(va, 3, t->finished);
	va->v.score = t->score;
	va->v.error = keep(va, 4, t->error);
	if (t->result != NULL)
		va->result = json_loads(t->result, 0, NULL);
	va->v.result = va->result;
	return 0;
}

static void
view_clear(struct view_arg *va)
{
	for (size_t i = 0; i < sizeof(va->copy) / sizeof(va->copy[0]); i++)
		free(va->copy[i]);
	json_decref(va->result);
}

/* Fills va for test id: in flight (1), stored (1), unknown (0), -1. */
static int
view_get(struct nh_live_set *l, const char *id, struct view_arg *va)
{
	struct live *t;
	struct timespec now;

	memset(va, 0, sizeof(*va));
	if (!nh_is_id(id))
		return 0;
	if ((t = find_id(l, id)) != NULL) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		nh_time_text(t->created, va->created);
		va->v = (struct nh_live_view){
			.id = t->id,
			.type = t->type,
			.domain = t->domain,
			.state = t->state,
			.created = va->created,
			.score = -1,
			.elapsed = secs_between(&t->t0, &now),
		};
		va->found = true;
		return 1;
	}
	if (nh_store_live_get(l->srv->store, id, on_row, va) == -1) {
		fprintf(stderr, "nethealth serve: %s\n",
		    nh_store_error(l->srv->store));
		return -1;
	}
	return va->found;
}

static int
render_view(FILE *fp, const void *arg)
{
	const struct nh_live_view *v = arg;

	if (v->state == NH_LIVE_QUEUED || v->state == NH_LIVE_RUNNING)
		return nh_page_progress(fp, v);
	return nh_page_result(fp, v);
}

/* Whether a view is final: its answers may be cached. */
static bool
final(const struct view_arg *va)
{
	return va->v.state == NH_LIVE_DONE || va->v.state == NH_LIVE_ERROR;
}

void
nh_live_page(struct nh_req *rq, const char *id)
{
	struct view_arg va;
	int rc;

	if (nh_cache_get(rq->srv->cache, 'p', id, &rq->resp) == 1)
		return;
	rc = view_get(rq->srv->live, id, &va);
	if (rc == 1) {
		nh_resp_page(&rq->resp, 200, render_view, &va.v);
		if (final(&va))
			nh_cache_put(rq->srv->cache, 'p', id, &rq->resp);
	} else if (rc == 0)
		nh_resp_error_page(&rq->resp, 404,
		    "There is no test with this address. Tests are kept "
		    "while the server's store is; start a new one from the "
		    "home page.");
	else
		nh_resp_error_page(
		    &rq->resp, 500, "The server cannot read its store.");
	view_clear(&va);
}

void
nh_live_api_get(struct nh_req *rq, const char *id)
{
	struct view_arg va;
	int rc;
	json_t *j;

	if (nh_cache_get(rq->srv->cache, 'j', id, &rq->resp) == 1)
		return;
	rc = view_get(rq->srv->live, id, &va);
	if (rc != 1) {
		nh_resp_json_error(&rq->resp, rc == 0 ? 404 : 500,
		    rc == 0 ? "no such test" : "the store cannot be read");
		view_clear(&va);
		return;
	}
	j = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:f}", "id", va.v.id, "type",
	    nh_test_type_name(va.v.type), "domain", va.v.domain, "status",
	    nh_live_state_name(va.v.state), "created", va.v.created, "elapsed",
	    va.v.elapsed);
	if (j != NULL && va.v.finished != NULL)
		json_object_set_new(j, "finished", json_string(va.v.finished));
	if (j != NULL && va.v.score >= 0)
		json_object_set_new(j, "score", json_integer(va.v.score));
	if (j != NULL && va.v.error != NULL)
		json_object_set_new(j, "error", json_string(va.v.error));
	if (j != NULL && va.result != NULL)
		json_object_set(j, "result", va.result);
	nh_resp_json(&rq->resp, 200, j);
	if (final(&va))
		nh_cache_put(rq->srv->cache, 'j', id, &rq->resp);
	view_clear(&va);
}

/* ---- the hall of fame ---- */

struct hof {
	struct nh_hof_entry *v;
	size_t n, cap;
	bool fail;
};

static char *
dup_or_fail(struct hof *h, const char *s)
{
	char *d = s != NULL ? strdup(s) : NULL;

	if (s != NULL && d == NULL)
		h->fail = true;
	return d;
}

static int
on_hof(const struct nh_store_live *t, void *arg)
{
	struct hof *h = arg;
	struct nh_hof_entry *e;

	if (h->n > 0 && strcmp(h->v[h->n - 1].domain, t->domain) == 0) {
		e = &h->v[h->n - 1];
	} else {
		if (h->n == h->cap) {
			size_t cap = h->cap ? 2 * h->cap : 64;
			struct nh_hof_entry *v =
			    realloc(h->v, cap * sizeof(*v));

			if (v == NULL) {
				h->fail = true;
				return 1;
			}
			h->v = v;
			h->cap = cap;
		}
		e = &h->v[h->n++];
		memset(e, 0, sizeof(*e));
		e->domain = dup_or_fail(h, t->domain);
	}
	if (t->type == NH_TEST_MAIL) {
		e->mail = true;
		e->mail_id = dup_or_fail(h, t->id);
	} else {
		e->web = true;
		e->web_id = dup_or_fail(h, t->id);
	}
	if (e->since == NULL ||
	    (t->finished != NULL && strcmp(t->finished, e->since) > 0)) {
		free((char *)e->since);
		e->since = dup_or_fail(h, t->finished);
	}
	return h->fail ? 1 : 0;
}

static int
render_hof(FILE *fp, const void *arg)
{
	const struct hof *h = arg;

	return nh_page_hof(fp, h->v, h->n);
}

void
nh_live_hof(struct nh_req *rq)
{
	struct hof h = { 0 };

	if (nh_store_hof(rq->srv->store, on_hof, &h) == -1 && !h.fail)
		nh_resp_error_page(
		    &rq->resp, 500, "The server cannot read its store.");
	else if (!h.fail)
		nh_resp_page(&rq->resp, 200, render_hof, &h);
	for (size_t i = 0; i < h.n; i++) {
		free((char *)h.v[i].domain);
		free((char *)h.v[i].since);
		free((char *)h.v[i].web_id);
		free((char *)h.v[i].mail_id);
	}
	free(h.v);
}

/* ---- the set ---- */

struct nh_live_set *
nh_live_new(struct nh_server *srv)
{
	struct nh_live_set *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->srv = srv;
	TAILQ_INIT(&l->tests);
	TAILQ_INIT(&l->lookups);
	return l;
}

unsigned
nh_live_flight(const struct nh_live_set *l)
{
	return l != NULL ? l->queued + l->running : 0;
}

void
nh_live_free(struct nh_live_set *l)
{
	struct live *t;
	struct lookup *k;

	if (l == NULL)
		return;
	while ((t = TAILQ_FIRST(&l->tests)) != NULL) {
		TAILQ_REMOVE(&l->tests, t, link);
		live_free(t);
	}
	/* Starts waiting for their look-up: answered now, as libmicrohttpd
	 * cannot stop with connections suspended. */
	while ((k = TAILQ_FIRST(&l->lookups)) != NULL) {
		TAILQ_REMOVE(&l->lookups, k, link);
		client_release(l, k->rq->client, true);
		refuse(k->rq, k->api, 503, k->input, k->type,
		    "The server is stopping; try again in a minute.");
		nh_req_answer(k->rq);
		lookup_free(k);
	}
	free(l->clients);
	free(l);
}
