/*
 * server_impl.h: what the files of src/server/ share. Internal: other
 * layers use server.h.
 *
 * One thread. libmicrohttpd runs without a thread of its own, in epoll
 * mode; its epoll descriptor is one event on the engine's libevent loop
 * (daemon.c), so requests, tests and store writes all happen on that loop
 * and nothing is locked. A handler builds its whole response in memory
 * (struct nh_resp) and returns; nothing blocks but the store (SQLite, a
 * local file).
 *
 * Files:
 *   daemon.c      libmicrohttpd on the loop, request bodies, responses,
 *                 security headers, the request log, shutdown
 *   router.c      which handler serves a method and path
 *   live.c        interactive tests: queue, limits, the safety check,
 *                 results kept in the store
 *   guard.c       which addresses a public server may test
 *   batch.c       batch requests on the scan engine and store
 *   batch_json.c  Internet.nl batch API v2 shapes of stored results
 *   api.c         /api/v1 and /api/batch/v2 handlers
 *   auth.c        HTTP Basic authentication against crypt(3) hashes
 *   page_*.c      the HTML pages (pages.h)
 *
 * Ownership: a handler owns the response it fills until the daemon sends
 * it; borrowed pointers are noted where they are declared.
 */
#ifndef NH_SERVER_IMPL_H
#define NH_SERVER_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "model/model.h"
#include "server.h"

/*
 * The security headers of the site's own answers (daemon.c), judged by
 * nethealth's own checks in tests/unit/test_serve_headers.c: the site
 * should pass its own test. The CSP allows only the site's own style
 * sheet and script.
 */
#define NH_SITE_CSP \
	"default-src 'none'; style-src 'self'; script-src 'self'; " \
	"img-src 'self' data:; connect-src 'self'; form-action 'self'; " \
	"frame-ancestors 'none'; base-uri 'none'"
#define NH_SITE_XFO "DENY"
#define NH_SITE_XCTO "nosniff"
#define NH_SITE_REFERRER "no-referrer"

/* An interactive test's state. */
enum nh_live_state {
	NH_LIVE_QUEUED,  /* waiting for a slot under the overall cap */
	NH_LIVE_RUNNING, /* on the engine */
	NH_LIVE_DONE,    /* result stored */
	NH_LIVE_ERROR,   /* could not run; `error` says why */
};

/* "queued", "running", "done", "error". */
const char *nh_live_state_name(enum nh_live_state st);

/*
 * One interactive test as the pages and the API show it. Every pointer is
 * borrowed for the duration of the call that hands the view over.
 */
struct nh_live_view {
	const char *id; /* 32 lower-case hex digits */
	enum nh_test_type type;
	const char *domain; /* normalized (A-labels) */
	enum nh_live_state state;
	const char *created;  /* RFC 3339 UTC */
	const char *finished; /* RFC 3339 UTC, or NULL */
	int score;            /* 0..100 when done, else -1 */
	const char *error;    /* why it could not run, or NULL */
	const json_t *result; /* DESIGN.md's result object when done, else
				 NULL */
	double elapsed;       /* seconds since created (running) */
	const char *link;     /* the permalink's path, or NULL: /test/ID */
};

/* A domain whose latest test of a type scored 100. */
struct nh_hof_entry {
	const char *domain;
	bool web, mail;     /* which tests scored 100 (both: a champion) */
	const char *since;  /* RFC 3339 UTC of the latest such test */
	const char *web_id; /* permalink ids, or NULL */
	const char *mail_id;
};

/* A response being built by a handler. */
struct nh_resp {
	unsigned status;  /* HTTP status; 200 by default */
	const char *type; /* Content-Type (static string) */
	char *body;       /* owned (malloc), or NULL */
	size_t len;
	const char *location; /* Location header (static or in `owned`) */
	char *owned;          /* freed with the response */
	const char *csp;      /* Content-Security-Policy, or NULL for the
				    site's default */
	const char *cache;    /* Cache-Control, or NULL: no-store */
	unsigned retry_after; /* seconds, for 429 and 503; 0: none */
	bool auth_challenge;  /* 401: send WWW-Authenticate */
};

struct MHD_Connection;
struct nh_live_set;
struct nh_batch_set;
struct nh_users;
struct nh_store;
struct nh_engine;

/* The server (daemon.c). */
struct nh_server {
	const struct nh_server_config *cfg;
	struct nh_engine *engine;
	struct nh_store *store;
	struct nh_live_set *live;   /* live.c */
	struct nh_batch_set *batch; /* batch.c */
	struct nh_users *users;     /* auth.c; NULL: no batch API */
	struct nh_cache *cache;     /* cache.c */
	struct nh_daemon *d;        /* daemon.c */
	bool stopping;              /* SIGTERM: no new tests */
};

/* One HTTP request (daemon.c fills it; handlers read it). */
struct nh_req {
	struct nh_server *srv;
	struct MHD_Connection *conn;
	const char *method; /* borrowed from libmicrohttpd */
	const char *path;   /* without the query string */
	char *body;         /* the request body, NUL-ended; owned */
	size_t len;
	bool too_big;    /* the body passed NH_SERVE_MAX_BODY */
	char client[64]; /* the client's address; an IPv6 client's /64 */
	char *user;      /* the batch API user, once authenticated */
	bool suspended;  /* the handler answers later (nh_req_answer) */
	bool answered;
	struct nh_resp resp;
	struct timespec start;
};

#define NH_SERVE_MAX_BODY (1024 * 1024)

/* The value of query argument `key`, or NULL. Borrowed. */
const char *nh_req_arg(const struct nh_req *rq, const char *key);

/* The value of request header `key`, or NULL. Borrowed. */
const char *nh_req_header(const struct nh_req *rq, const char *key);

/*
 * For a handler that set rq->suspended: sends rq->resp now (on the loop).
 * The request must not be used after.
 */
void nh_req_answer(struct nh_req *rq);

/* Response helpers (daemon.c). Each returns 0, or -1 out of memory (the
 * daemon then answers 500). */
int nh_resp_text(
    struct nh_resp *r, unsigned status, const char *type, const char *text);
int nh_resp_take(struct nh_resp *r, unsigned status, const char *type,
    char *body, size_t len); /* takes body (malloc) */
int nh_resp_json(struct nh_resp *r, unsigned status, json_t *j); /* takes j */
/* {"error": message} with the status. */
int nh_resp_json_error(struct nh_resp *r, unsigned status, const char *msg);
/* A page rendered by fn(fp, arg) into memory. */
int nh_resp_page(struct nh_resp *r, unsigned status,
    int (*fn)(FILE *fp, const void *arg), const void *arg);
/* An HTML error page. */
int nh_resp_error_page(struct nh_resp *r, unsigned status, const char *msg);
/* 303 See Other to `location` (copied). */
int nh_resp_redirect(struct nh_resp *r, const char *location);

/* Routing (router.c): fills rq->resp, or sets rq->suspended. */
void nh_route(struct nh_req *rq);

/* Handlers. */
void nh_live_form(struct nh_req *rq);                 /* POST /test */
void nh_live_page(struct nh_req *rq, const char *id); /* GET /test/ID */
void nh_live_api_post(struct nh_req *rq);             /* POST /api/v1/tests */
void nh_live_api_get(struct nh_req *rq, const char *id);
void nh_live_hof(struct nh_req *rq);                      /* GET /halloffame */
void nh_batch_route(struct nh_req *rq, const char *rest); /* /api/batch/v2/ */
void nh_rounds_page(struct nh_req *rq);                   /* GET /rounds */
void nh_round_page(struct nh_req *rq, const char *id);    /* GET /rounds/ID */

/* live.c */
struct nh_live_set *nh_live_new(struct nh_server *srv);
void nh_live_free(struct nh_live_set *l);
unsigned nh_live_flight(const struct nh_live_set *l); /* queued+running */

/* batch.c */
struct nh_batch_set *nh_batch_new(struct nh_server *srv, const char **err);
void nh_batch_free(struct nh_batch_set *b);
unsigned nh_batch_flight(const struct nh_batch_set *b);

/* auth.c: users from a file of "name:crypt-hash" lines. */
struct nh_users *nh_users_load(const char *path, char *err, size_t errlen);
void nh_users_free(struct nh_users *u);
/* The user the request authenticates as (HTTP Basic), or NULL. */
const char *nh_users_check(struct nh_users *u, struct nh_req *rq);

/* Files served from the binary (build/gen/assets.c, tools/embed.sh):
 * data/server/ by base name; the table ends with a NULL name. */
struct nh_asset {
	const char *name;
	const char *type;
	const unsigned char *data;
	size_t len;
};
extern const struct nh_asset nh_assets[];

/*
 * The value of field `key` in a form body (form.c), decoded into out (at
 * most outlen - 1 bytes, NUL-ended); NULL when the field is absent or its
 * value does not fit. The first field of that name counts.
 */
const char *nh_form_value(
    const char *body, const char *key, char *out, size_t outlen);

/*
 * Answers about finished tests, rendered once (cache.c): kind 'p' a page,
 * 'j' the API's JSON. nh_cache_get fills r with a copy and returns 1, or
 * returns 0 (not there, or out of memory); nh_cache_put keeps a copy of a
 * 200 answer. NULL caches are empty.
 */
struct nh_cache;
struct nh_cache *nh_cache_new(size_t budget);
void nh_cache_free(struct nh_cache *c);
int nh_cache_get(
    struct nh_cache *c, char kind, const char *id, struct nh_resp *r);
void nh_cache_put(
    struct nh_cache *c, char kind, const char *id, const struct nh_resp *r);

/* A random id: 32 lower-case hex digits. Returns 0, or -1. */
int nh_random_id(char id[33]);

/* Whether s is 32 lower-case hex digits. */
bool nh_is_id(const char *s);

/* The time t (or now when 0) as RFC 3339 UTC. */
void nh_time_text(time_t t, char out[32]);

#endif /* NH_SERVER_IMPL_H */
