/*
 * http.c: the checks of what the web server says over HTTP, per web
 * address (../shared/internetnl-catalog.md §1.3 and §1.4): the redirect
 * from http:// to https://, HSTS and compression (HTTPS category), and
 * the security options: X-Frame-Options, X-Content-Type-Options,
 * Referrer-Policy, Content-Security-Policy and security.txt. The judging
 * is src/webpol/'s; this file turns its findings into results, with the
 * evidence (header values, the redirect chain).
 *
 * Where nethealth departs from Internet.nl (docs/internetnl-differences.md):
 * a redirect chain that goes back to http:// after its first hop fails
 * (Internet.nl reads the first hop only; --internetnl-compat does too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks_impl.h"
#include "http/http.h"
#include "webpol/webpol.h"

/* Judges one address's HTTP facts into a finding. */
typedef enum nh_status (*http_judge)(const struct nh_facts *f,
    const struct nh_fact_http *h, const struct nh_check_opts *o, int full,
    int *points, char *msg, size_t size, json_t **evidence);

/* The TLS endpoint of an address, or NULL. */
static const struct nh_fact_tls *
tls_of(const struct nh_facts *f, const char *ip)
{
	for (size_t i = 0; i < f->ntls; i++) {
		if (strcmp(f->tls[i].ip, ip) == 0)
			return &f->tls[i];
	}
	return NULL;
}

/*
 * Whether HTTPS works at an address: the TLS probes decide, as they gate
 * the HTTPS category; without TLS facts for it, whether HTTPS answered.
 */
static bool
https_works(const struct nh_facts *f, const struct nh_fact_http *h)
{
	const struct nh_fact_tls *t = tls_of(f, h->ip);

	return t == NULL ? h->https.status > 0 : nh_fact_tls_best(t) != 0;
}

/*
 * Runs `judge` over every address, a finding each. An address without
 * HTTPS is not tested and earns no points (Internet.nl: "no_https").
 * `needs_https`: the check reads the answer to https://domain/.
 */
static int
per_address(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r, http_judge judge, bool needs_https)
{
	if (f->nhttp == 0)
		return nh_check_result_set(
		    r, NH_NOT_TESTED, 0, "no web server address to test");
	for (size_t i = 0; i < f->nhttp; i++) {
		const struct nh_fact_http *h = &f->http[i];
		char msg[600] = "";
		int points = 0;
		json_t *ev = NULL;
		enum nh_status st;

		if (!https_works(f, h)) {
			st = NH_NOT_TESTED;
			snprintf(msg, sizeof(msg), "HTTPS is not available");
		} else if (needs_https && h->https.status == 0) {
			st = NH_NOT_TESTED;
			snprintf(msg, sizeof(msg),
			    "https://%s/ gave no HTTP answer: %s", f->domain,
			    h->https.error ? h->https.error : "no answer");
		} else {
			st = judge(f, h, o, r->meta->points, &points, msg,
			    sizeof(msg), &ev);
		}
		if (nh_check_result_add_server(r, h->ip, st, points, msg, ev) ==
		    NULL)
			return -1;
	}
	return nh_check_summarize(r);
}

/* Findings of a judge as evidence: [{status, code, message}]. */
static json_t *
findings_json(const struct nh_webpol_result *w)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < w->n; i++) {
		if (json_array_append_new(a,
			json_pack("{s:s, s:s, s:s}", "status",
			    nh_status_name(w->f[i].status), "code",
			    w->f[i].code, "message", w->f[i].msg)) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* A header's field lines as JSON strings (what is not UTF-8 shown as ?). */
static json_t *
values_json(const struct nh_fact_header *x)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < x->n; i++) {
		json_t *s = json_string(x->values[i]);
		size_t len = strlen(x->values[i]) + 8;
		char *buf;

		if (s == NULL && (buf = malloc(len)) != NULL) {
			s = json_string(
			    nh_webpol_clean(x->values[i], buf, len));
			free(buf);
		}
		if (json_array_append_new(a, s) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* Judges a header with a webpol judge of (values, n, result). */
static enum nh_status
header_verdict(const struct nh_fact_http *h, enum nh_hdr which,
    const struct nh_webpol_result *w, char *msg, size_t size, json_t **evidence)
{
	const char *name = nh_hdr_name(which);

	nh_webpol_summary(w, msg, size);
	*evidence = json_pack("{s:s, s:o*, s:o*}", "header", name, "values",
	    values_json(&h->headers[which]), "findings", findings_json(w));
	return w->status;
}

/* ---- web_https_http_redirect ---- */

/* The redirect chain as evidence: [{url, status, location, error}]. */
static json_t *
chain_json(const struct nh_fact_http *h)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < h->nhops; i++) {
		const struct nh_fact_http_hop *x = &h->hops[i];
		char url[NH_WEBPOL_MSG], loc[NH_WEBPOL_MSG];

		nh_webpol_clean(x->url ? x->url : "", url, sizeof(url));
		nh_webpol_clean(
		    x->location ? x->location : "", loc, sizeof(loc));
		if (json_array_append_new(a,
			json_pack("{s:s, s:i, s:s*, s:s*}", "url", url,
			    "status", x->status, "location",
			    x->location ? loc : NULL, "error", x->error)) ==
		    -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* Whether a URL is https:// on host `domain`. */
static bool
https_on(const char *url, const char *domain)
{
	char scheme[16], host[256];

	return url != NULL &&
	    nh_http_url_split(
		url, scheme, sizeof(scheme), host, sizeof(host)) == 0 &&
	    strcmp(scheme, "https") == 0 && strcmp(host, domain) == 0;
}

static bool
is_http(const char *url)
{
	char scheme[16], host[256];

	return url != NULL &&
	    nh_http_url_split(
		url, scheme, sizeof(scheme), host, sizeof(host)) == 0 &&
	    strcmp(scheme, "http") == 0;
}

static enum nh_status
judge_redirect(const struct nh_facts *f, const struct nh_fact_http *h,
    const struct nh_check_opts *o, int full, int *points, char *msg,
    size_t size, json_t **evidence)
{
	const struct nh_fact_http_hop *first = h->nhops ? &h->hops[0] : NULL;
	char where[NH_WEBPOL_MSG];

	*evidence = json_pack("{s:o*}", "chain", chain_json(h));
	if (first == NULL || first->status == 0) {
		if (nh_web_port(f, h->ip, 80) != NH_PROBE_OK) {
			*points = full;
			snprintf(msg, size,
			    "nothing listens on port 80: HTTPS only");
			return NH_PASSED;
		}
		snprintf(msg, size,
		    "port 80 is open, but http://%s/ gave no HTTP answer: %s",
		    f->domain,
		    first && first->error ? first->error : "no answer");
		return NH_ERROR;
	}
	if (first->location == NULL) {
		snprintf(msg, size,
		    "http://%s/ answers %d without redirecting to HTTPS",
		    f->domain, first->status);
		return NH_FAILED;
	}
	nh_webpol_clean(first->location, where, sizeof(where));
	if (!https_on(first->location, f->domain)) {
		snprintf(msg, size,
		    "http://%s/ first redirects to %s, not to https://%s/",
		    f->domain, where, f->domain);
		return NH_FAILED;
	}
	/* Later hops: a chain that goes back to http:// is downgraded. */
	for (size_t i = 1; !o->internetnl_compat && i < h->nhops; i++) {
		if (is_http(h->hops[i].url)) {
			nh_webpol_clean(h->hops[i].url, where, sizeof(where));
			snprintf(msg, size,
			    "http://%s/ redirects to HTTPS, but hop %zu of "
			    "the chain goes back to plain HTTP (%s)",
			    f->domain, i + 1, where);
			return NH_FAILED;
		}
	}
	*points = full;
	snprintf(msg, size, "http://%s/ redirects to https://%s/%s", f->domain,
	    f->domain,
	    h->nhops > 1 ? ", and the whole chain stays on HTTPS" : "");
	return NH_PASSED;
}

int
nh_check_http_redirect(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	return per_address(f, o, r, judge_redirect, false);
}

/* ---- web_https_http_hsts ---- */

#define HSTS_SHORT_POINTS 2 /* Internet.nl: present but short */

static enum nh_status
judge_hsts(const struct nh_facts *f, const struct nh_fact_http *h,
    const struct nh_check_opts *o, int full, int *points, char *msg,
    size_t size, json_t **evidence)
{
	const struct nh_fact_header *x = &h->headers[NH_HDR_HSTS];
	struct nh_webpol_result w;
	struct nh_webpol_hsts hs;
	enum nh_status st;

	(void)f;
	(void)o;
	nh_webpol_hsts(
	    (const char *const *)x->values, x->n + x->dropped, &hs, &w);
	st = header_verdict(h, NH_HDR_HSTS, &w, msg, size, evidence);
	if (st == NH_PASSED)
		*points = full;
	else if (hs.short_max_age)
		*points = HSTS_SHORT_POINTS;
	if (*evidence != NULL && hs.valid)
		json_object_update_new(*evidence,
		    json_pack("{s:I, s:b, s:b}", "max_age",
			(json_int_t)hs.max_age, "include_subdomains",
			hs.include_subdomains, "preload", hs.preload));
	return st;
}

int
nh_check_http_hsts(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	return per_address(f, o, r, judge_hsts, true);
}

/* ---- the other headers ---- */

#define HEADER_JUDGE(fn_, hdr_, call_) \
	static enum nh_status fn_(const struct nh_facts *f, \
	    const struct nh_fact_http *h, const struct nh_check_opts *o, \
	    int full, int *points, char *msg, size_t size, json_t **evidence) \
	{ \
		const struct nh_fact_header *x = &h->headers[hdr_]; \
		const char *const *v = (const char *const *)x->values; \
		size_t n = x->n + x->dropped; \
		struct nh_webpol_result w; \
\
		(void)f; \
		(void)o; \
		(void)full; \
		(void)points; \
		(void)v; \
		(void)n; \
		call_; \
		return header_verdict(h, hdr_, &w, msg, size, evidence); \
	}

HEADER_JUDGE(judge_compress, NH_HDR_ENCODING, nh_webpol_compress(v, n, &w))
HEADER_JUDGE(judge_xfo, NH_HDR_XFO, nh_webpol_xfo(v, n, &w))
HEADER_JUDGE(judge_xcto, NH_HDR_XCTO, nh_webpol_xcto(v, n, &w))
HEADER_JUDGE(judge_referrer, NH_HDR_REFERRER, nh_webpol_referrer(v, n, &w))
HEADER_JUDGE(judge_csp, NH_HDR_CSP, nh_webpol_csp(v, n, f->domain, &w))

int
nh_check_http_compress(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	return per_address(f, o, r, judge_compress, true);
}

int
nh_check_xfo(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	return per_address(f, o, r, judge_xfo, true);
}

int
nh_check_xcto(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	return per_address(f, o, r, judge_xcto, true);
}

int
nh_check_referrer(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	return per_address(f, o, r, judge_referrer, true);
}

int
nh_check_csp(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	return per_address(f, o, r, judge_csp, true);
}

/* ---- web_appsecpriv_securitytxt ---- */

static enum nh_status
judge_sectxt(const struct nh_facts *f, const struct nh_fact_http *h,
    const struct nh_check_opts *o, int full, int *points, char *msg,
    size_t size, json_t **evidence)
{
	const struct nh_fact_sectxt *s = &h->sectxt;
	struct nh_sectxt_input in = { 0 };
	struct nh_webpol_result w;
	char url[NH_WEBPOL_MSG], final[NH_WEBPOL_MSG];

	(void)f;
	(void)o;
	(void)full;
	(void)points;
	in.status = s->status;
	in.content_type = s->content_type;
	in.body = s->body;
	in.len = s->len;
	in.truncated = s->truncated;
	in.url = s->url;
	in.final_url = s->final_url;
	in.legacy = s->legacy;
	in.now = time(NULL);
	nh_webpol_sectxt(&in, &w);
	nh_webpol_summary(&w, msg, size);
	nh_webpol_clean(s->url ? s->url : "", url, sizeof(url));
	nh_webpol_clean(s->final_url ? s->final_url : "", final, sizeof(final));
	*evidence = json_pack("{s:s, s:s*, s:i, s:b, s:I, s:o*}", "url", url,
	    "final_url", s->final_url ? final : NULL, "status", s->status,
	    "legacy", s->legacy, "bytes", (json_int_t)s->len, "findings",
	    findings_json(&w));
	return w.status;
}

int
nh_check_securitytxt(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	return per_address(f, o, r, judge_sectxt, false);
}
