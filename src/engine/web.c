/*
 * web.c: the HTTP steps of the web test, for every web address
 * (../shared/internetnl-catalog.md §1.1, §1.3, §1.4):
 *
 *   - http://domain/ and its redirect chain (the HTTPS redirect check and
 *     the page for the same-site check);
 *   - https://domain/ without following redirects, every coding offered
 *     (HSTS, compression, the security headers), then its redirect chain
 *     (the page for the same-site check);
 *   - https://domain/.well-known/security.txt, following redirects, and
 *     https://domain/security.txt when that gives no 200 (RFC 9116 §3).
 *
 * The three chains of an address run at once; each asks one URL at a
 * time. A URL on the domain's own name goes to the address under test; a
 * URL on another name goes to that name's first address of the same
 * family, found with the engine's resolver (never the system's). Every
 * request waits for the engine's politeness limiter.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dns/dns.h"
#include "engine_impl.h"
#include "http/http.h"
#include "webpol/webpol.h"

#define SECTXT_REDIRECTS 8 /* Internet.nl's documented limit */

enum chain_kind {
	CH_HTTP,   /* http://domain/ */
	CH_HTTPS,  /* https://domain/ */
	CH_SECTXT, /* /.well-known/security.txt, then /security.txt */
	CH_COUNT,
};

struct chain {
	struct web_ep *w;
	enum chain_kind kind;
	char *url;               /* the URL being asked; owned */
	char pin[NH_IP_TEXT];    /* the address it goes to */
	unsigned answers;        /* answers of this chain so far */
	bool legacy;             /* CH_SECTXT: asking /security.txt */
	struct nh_http_get *get; /* in flight, or NULL */
	struct nh_dns_query *q;  /* resolving another name, or NULL */
};

/* One web address's HTTP steps. */
struct web_ep {
	struct job *job;
	struct nh_fact_http *fact; /* in the job's facts */
	struct chain ch[CH_COUNT];
	/* CH_SECTXT: the answer for /.well-known/, kept while /security.txt
	 * is asked. */
	struct nh_fact_sectxt first;
	struct timespec start;
};

int
nh_web_alloc(struct job *j, size_t n)
{
	j->f->http = calloc(n, sizeof(*j->f->http));
	j->weps = calloc(n, sizeof(*j->weps));
	j->web_cap = n;
	return j->f->http == NULL || j->weps == NULL ? -1 : 0;
}

void
nh_web_free(struct job *j)
{
	for (size_t i = 0; i < j->nweps; i++)
		nh_fact_sectxt_clear(&j->weps[i].first);
	free(j->weps);
	j->weps = NULL;
}

static char *
dup_or_oom(struct job *j, const char *s)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		nh_job_oom(j);
	return d;
}

/* The chain ends: its step is done. */
static void
chain_end(struct chain *c)
{
	struct web_ep *w = c->w;
	struct timespec now;

	free(c->url);
	c->url = NULL;
	clock_gettime(CLOCK_MONOTONIC, &now);
	w->fact->ms = (double)(now.tv_sec - w->start.tv_sec) * 1e3 +
	    (double)(now.tv_nsec - w->start.tv_nsec) / 1e6;
	nh_job_step_done(w->job);
}

static void ask(struct chain *c);

/* Ends the chain with a request that could not be made. */
static void
chain_fail(struct chain *c, const char *why)
{
	struct nh_fact_http *h = c->w->fact;
	struct job *j = c->w->job;

	switch (c->kind) {
	case CH_HTTP:
		if (h->nhops < NH_FACTS_MAX_HOPS) {
			struct nh_fact_http_hop *hop = &h->hops[h->nhops++];

			hop->url = dup_or_oom(j, c->url);
			hop->error = dup_or_oom(j, why);
		}
		if (h->page_http.error == NULL)
			h->page_http.error = dup_or_oom(j, why);
		break;
	case CH_HTTPS:
		if (c->answers == 0) {
			h->https.url = dup_or_oom(j, c->url);
			h->https.error = dup_or_oom(j, why);
		}
		if (h->page_https.error == NULL)
			h->page_https.error = dup_or_oom(j, why);
		break;
	default:
		if (c->legacy) {
			/* /security.txt could not be asked: the answer
			 * for /.well-known/ stands. */
			h->sectxt = c->w->first;
			memset(&c->w->first, 0, sizeof(c->w->first));
		} else if (h->sectxt.error == NULL)
			h->sectxt.error = dup_or_oom(j, why);
		break;
	}
	chain_end(c);
}

/* Records the last answer of a page chain for the same-site check. */
static void
set_page(struct job *j, struct nh_fact_page *p, const char *url,
    const struct nh_http_response *r)
{
	struct nh_webpol_page d;

	free(p->url);
	free(p->error);
	p->url = dup_or_oom(j, url);
	p->error = dup_or_oom(j, r->error);
	p->status = r->status;
	p->got = r->status > 0 ? NH_PROBE_OK : NH_PROBE_FAILED;
	nh_webpol_page_digest(r->body, r->body_len, &d);
	memcpy(p->hist, d.hist, sizeof(p->hist));
	p->len = d.len;
	p->stripped = d.stripped;
}

/* Keeps every field line of the headers the checks judge. */
static void
keep_headers(
    struct job *j, struct nh_fact_http *h, const struct nh_http_response *r)
{
	for (int i = 0; i < NH_HDR_COUNT; i++) {
		struct nh_fact_header *x = &h->headers[i];
		const char *v[NH_FACTS_MAX_VALUES];
		size_t n = nh_http_headers(
		    r, nh_hdr_name((enum nh_hdr)i), v, NH_FACTS_MAX_VALUES);

		for (size_t k = 0; k < n && k < NH_FACTS_MAX_VALUES; k++)
			x->values[x->n++] = dup_or_oom(j, v[k] ? v[k] : "");
		x->dropped =
		    n > NH_FACTS_MAX_VALUES ? n - NH_FACTS_MAX_VALUES : 0;
	}
}

/* The answer to a security.txt request, as the judge reads it. */
static void
sectxt_from(struct job *j, struct nh_fact_sectxt *s, const char *first_url,
    const char *final_url, const struct nh_http_response *r, bool legacy)
{
	nh_fact_sectxt_clear(s);
	s->got = r->status > 0 ? NH_PROBE_OK : NH_PROBE_FAILED;
	s->status = r->status;
	s->url = dup_or_oom(j, first_url);
	if (strcmp(first_url, final_url) != 0)
		s->final_url = dup_or_oom(j, final_url);
	s->content_type = dup_or_oom(j, nh_http_header(r, "Content-Type"));
	if (r->status == 200 && r->body != NULL) {
		if ((s->body = malloc(r->body_len + 1)) == NULL)
			nh_job_oom(j);
		else {
			memcpy(s->body, r->body, r->body_len);
			s->body[r->body_len] = '\0';
			s->len = r->body_len;
		}
		s->truncated = r->body_cut;
	}
	s->legacy = legacy;
	s->error = dup_or_oom(j, r->error);
}

/* The URL a chain starts with. */
static void
start_url(const struct web_ep *w, enum chain_kind k, bool legacy, char *buf,
    size_t size)
{
	const char *d = w->job->f->domain;

	switch (k) {
	case CH_HTTP:
		snprintf(buf, size, "http://%s/", d);
		break;
	case CH_HTTPS:
		snprintf(buf, size, "https://%s/", d);
		break;
	default:
		snprintf(buf, size, "https://%s/%s", d,
		    legacy ? "security.txt" : ".well-known/security.txt");
		break;
	}
}

/* Whether an answer redirects to a URL to follow: http or https. */
static bool
can_follow(const struct nh_http_response *r)
{
	char scheme[16], host[256];

	return r->status >= 300 && r->status < 400 && r->location != NULL &&
	    nh_http_url_split(
		r->location, scheme, sizeof(scheme), host, sizeof(host)) == 0 &&
	    (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0);
}

/* Goes on to the redirect's target. */
static void
follow(struct chain *c, const struct nh_http_response *r)
{
	free(c->url);
	if ((c->url = strdup(r->location)) == NULL) {
		nh_job_oom(c->w->job);
		chain_end(c);
		return;
	}
	ask(c);
}

/* An answer for security.txt (RFC 9116 §3). */
static void
on_sectxt(struct chain *c, const struct nh_http_response *r)
{
	struct web_ep *w = c->w;
	struct job *j = w->job;
	char first[300];

	if (can_follow(r) && c->answers <= SECTXT_REDIRECTS) {
		follow(c, r);
		return;
	}
	start_url(w, CH_SECTXT, c->legacy, first, sizeof(first));
	if (!c->legacy) {
		sectxt_from(j, &w->fact->sectxt, first, c->url, r, false);
		if (r->status == 200) {
			chain_end(c);
			return;
		}
		/* /security.txt only when /.well-known/ gives no file. */
		w->first = w->fact->sectxt;
		memset(&w->fact->sectxt, 0, sizeof(w->fact->sectxt));
		c->legacy = true;
		c->answers = 0;
		start_url(w, CH_SECTXT, true, first, sizeof(first));
		free(c->url);
		if ((c->url = strdup(first)) == NULL) {
			nh_job_oom(j);
			w->fact->sectxt = w->first;
			memset(&w->first, 0, sizeof(w->first));
			chain_end(c);
			return;
		}
		ask(c);
		return;
	}
	if (r->status == 200) {
		sectxt_from(j, &w->fact->sectxt, first, c->url, r, true);
	} else {
		w->fact->sectxt = w->first;
		memset(&w->first, 0, sizeof(w->first));
	}
	chain_end(c);
}

static void
on_answer(struct nh_http_response *r, void *arg)
{
	struct chain *c = arg;
	struct web_ep *w = c->w;
	struct nh_fact_http *h = w->fact;
	struct job *j = w->job;
	bool redirect;

	c->get = NULL;
	if (r == NULL) {
		nh_job_oom(j);
		chain_end(c);
		return;
	}
	h->requests++;
	h->connections += r->connections;
	c->answers++;
	redirect = r->status >= 300 && r->status < 400 && r->location != NULL;
	switch (c->kind) {
	case CH_HTTP: {
		/* Only a chain with room for another hop goes on. */
		struct nh_fact_http_hop *hop = &h->hops[h->nhops++];

		hop->url = dup_or_oom(j, c->url);
		hop->status = r->status;
		hop->location = redirect ? dup_or_oom(j, r->location) : NULL;
		hop->error = dup_or_oom(j, r->error);
		if (can_follow(r) && h->nhops < NH_FACTS_MAX_HOPS) {
			follow(c, r);
			break;
		}
		h->hops_cut = can_follow(r);
		set_page(j, &h->page_http, c->url, r);
		chain_end(c);
		break;
	}
	case CH_HTTPS:
		if (c->answers == 1) {
			h->https.url = dup_or_oom(j, c->url);
			h->https.status = r->status;
			h->https.location =
			    redirect ? dup_or_oom(j, r->location) : NULL;
			h->https.error = dup_or_oom(j, r->error);
			keep_headers(j, h, r);
		}
		if (can_follow(r) && c->answers < NH_FACTS_MAX_HOPS)
			follow(c, r);
		else {
			set_page(j, &h->page_https, c->url, r);
			chain_end(c);
		}
		break;
	default:
		on_sectxt(c, r);
		break;
	}
	nh_http_response_free(r);
}

/* Sends the chain's request to c->pin. */
static void
send_get(struct chain *c)
{
	struct nh_http_request req = { 0 };
	const char *err;

	req.url = c->url;
	req.pin_ip = c->pin;
	req.timeout = c->w->job->e->http_timeout;
	switch (c->kind) {
	case CH_SECTXT:
		req.max_body = NH_SECTXT_MAX;
		break;
	case CH_HTTPS:
		/* The first answer tells whether the server compresses. */
		req.compression = true;
		/* FALLTHROUGH */
	default:
		req.max_body = NH_WEBPOL_PAGE_MAX;
		break;
	}
	if ((c->get = nh_http_get(
		 c->w->job->e->http, &req, on_answer, c, &err)) == NULL)
		chain_fail(c, err);
}

static void
on_resolved(const struct nh_dns_answer *a, void *arg)
{
	struct chain *c = arg;
	char ips[1][NH_IP_TEXT];
	size_t got = 0, mapped = 0, trunc = 0;

	c->q = NULL;
	if (a->pkt != NULL)
		nh_dns_read_addrs(
		    a->pkt, a->type, ips, 1, &got, &mapped, &trunc);
	if (got == 0) {
		chain_fail(c,
		    "the redirect's host name has no address of "
		    "this family");
		return;
	}
	memcpy(c->pin, ips[0], NH_IP_TEXT);
	send_get(c);
}

/* Asks c->url: on the domain, at the address under test; elsewhere, at
 * the other name's first address of the same family. */
static void
ask(struct chain *c)
{
	struct web_ep *w = c->w;
	char scheme[16], host[256];

	if (nh_http_url_split(
		c->url, scheme, sizeof(scheme), host, sizeof(host)) == -1) {
		chain_fail(c, "not a URL");
		return;
	}
	if (strcmp(host, w->job->f->domain) == 0) {
		memcpy(c->pin, w->fact->ip, NH_IP_TEXT);
		send_get(c);
		return;
	}
	if ((c->q = nh_dns_resolve(w->job->e->dns, host,
		 w->fact->family == 6 ? LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A,
		 on_resolved, c)) == NULL) {
		nh_job_oom(w->job);
		chain_end(c);
	}
}

void
nh_web_start(struct job *j, const char *ip, int family)
{
	struct nh_facts *f = j->f;
	struct web_ep *w;
	char url[300];

	if (f->http == NULL || j->weps == NULL || f->nhttp >= j->web_cap)
		return;
	w = &j->weps[j->nweps++];
	w->job = j;
	w->fact = &f->http[f->nhttp++];
	snprintf(w->fact->ip, sizeof(w->fact->ip), "%s", ip);
	w->fact->family = family;
	clock_gettime(CLOCK_MONOTONIC, &w->start);
	for (int k = 0; k < CH_COUNT; k++) {
		struct chain *c = &w->ch[k];

		c->w = w;
		c->kind = (enum chain_kind)k;
		start_url(w, c->kind, false, url, sizeof(url));
		if ((c->url = strdup(url)) == NULL) {
			nh_job_oom(j);
			continue;
		}
		j->pending++;
		ask(c);
	}
}
