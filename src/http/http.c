/*
 * http.c: GET requests through libcurl's multi socket interface, driven by
 * libevent: curl asks for sockets to be watched (on_socket) and for a
 * timer (on_timer_set); their events call curl_multi_socket_action(), and
 * finished transfers are collected (collect) and handed to the caller.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "http.h"
#include "net/net.h"

#ifndef NH_VERSION
#define NH_VERSION "unknown"
#endif

struct nh_http {
	struct event_base *base;
	CURLM *multi;
	struct event *timer;
	struct nh_limiter *lim;
	struct nh_limiter *own_lim; /* without limits, when none is given */
	LIST_HEAD(, nh_http_get) gets;
};

struct nh_http_get {
	struct nh_http *h;
	CURL *easy; /* once the limiter lets it go */
	struct nh_limit_wait *wait;
	bool holding; /* a limiter slot */
	char *url, *key;
	struct curl_slist *connect_to;
	bool compression;
	bool verify;
	char *ca_file; /* owned, or NULL */
	size_t max_body;
	double timeout;
	struct nh_http_response *resp;
	size_t body_cap;
	unsigned header_lines;
	char errbuf[CURL_ERROR_SIZE];
	struct timespec start;
	nh_http_cb cb;
	void *arg;
	LIST_ENTRY(nh_http_get) link;
};

/* A socket curl asked us to watch. */
struct watch {
	struct nh_http *h;
	struct event *ev;
};

static void collect(struct nh_http *h);

/* ---- responses ---- */

const char *
nh_http_header(const struct nh_http_response *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	}
	return NULL;
}

size_t
nh_http_headers(const struct nh_http_response *r, const char *name,
    const char **out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nheaders; i++) {
		if (strcasecmp(r->headers[i].name, name) != 0)
			continue;
		if (n < cap)
			out[n] = r->headers[i].value;
		n++;
	}
	return n;
}

static void
headers_clear(struct nh_http_response *r)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	r->nheaders = 0;
	r->headers_cut = false;
}

void
nh_http_response_free(struct nh_http_response *r)
{
	if (r == NULL)
		return;
	headers_clear(r);
	free(r->headers);
	free(r->body);
	free(r->error);
	free(r->location);
	free(r);
}

int
nh_http_url_split(const char *url, char *scheme, size_t scheme_size, char *host,
    size_t host_size)
{
	CURLU *u;
	char *sc = NULL, *ho = NULL;
	size_t n;
	int rc = -1;

	if ((u = curl_url()) == NULL)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) !=
		CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &sc, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &ho, 0) != CURLUE_OK)
		goto out;
	if (ho[0] == '[') /* an IPv6 literal */
		memmove(ho, ho + 1, strlen(ho));
	n = strlen(ho);
	if (n > 0 && (ho[n - 1] == ']' || ho[n - 1] == '.'))
		ho[--n] = '\0';
	if (strlen(sc) >= scheme_size || n >= host_size || n == 0)
		goto out;
	for (size_t i = 0; sc[i] != '\0'; i++)
		scheme[i] = (char)tolower((unsigned char)sc[i]);
	scheme[strlen(sc)] = '\0';
	for (size_t i = 0; i <= n; i++)
		host[i] = (char)tolower((unsigned char)ho[i]);
	rc = 0;
out:
	curl_free(sc);
	curl_free(ho);
	curl_url_cleanup(u);
	return rc;
}

/* ---- curl's callbacks for one transfer ---- */

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct nh_http_get *g = arg;
	struct nh_http_response *r = g->resp;
	size_t len = size * n, take = len;

	if (r->body_len + take > g->max_body) {
		take = g->max_body - r->body_len;
		r->body_cut = true;
	}
	if (take > 0) {
		if (r->body_len + take + 1 > g->body_cap) {
			size_t cap = g->body_cap ? g->body_cap : 16384;
			unsigned char *b;

			while (cap < r->body_len + take + 1)
				cap *= 2;
			if ((b = realloc(r->body, cap)) == NULL)
				return 0;
			r->body = b;
			g->body_cap = cap;
		}
		memcpy(r->body + r->body_len, data, take);
		r->body_len += take;
		r->body[r->body_len] = '\0';
	}
	/* Past the cap: stop the transfer (curl reports a write error,
	 * which collect() takes as the cut it is). */
	return r->body_cut ? 0 : len;
}

/* Trims white space (and the line end) at both ends of [*s, *s + *len). */
static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && strchr(" \t\r\n", (*s)[*len - 1]) != NULL)
		(*len)--;
	while (*len > 0 && strchr(" \t", **s) != NULL) {
		(*s)++;
		(*len)--;
	}
}

static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct nh_http_get *g = arg;
	struct nh_http_response *r = g->resp;
	size_t len = size * n, nlen, vlen;
	const char *colon, *v;
	struct nh_http_header *hd;

	/* A server that sends header lines for ever is cut off. */
	if (++g->header_lines > 4 * NH_HTTP_MAX_HEADERS) {
		r->headers_cut = true;
		return 0;
	}
	/* A status line starts a response (after 1xx ones, a new set). */
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		headers_clear(r);
		return len;
	}
	if (len > NH_HTTP_MAX_HEADER || r->nheaders >= NH_HTTP_MAX_HEADERS) {
		r->headers_cut = true;
		return len;
	}
	if ((colon = memchr(data, ':', len)) == NULL)
		return len; /* the empty line, or not a header */
	nlen = (size_t)(colon - data);
	v = colon + 1;
	vlen = len - nlen - 1;
	trim(&v, &vlen);
	if (r->headers == NULL &&
	    (r->headers = calloc(NH_HTTP_MAX_HEADERS, sizeof(*r->headers))) ==
		NULL)
		return 0;
	hd = &r->headers[r->nheaders];
	if ((hd->name = strndup(data, nlen)) == NULL ||
	    (hd->value = strndup(v, vlen)) == NULL) {
		free(hd->name);
		hd->name = NULL;
		return 0;
	}
	r->nheaders++;
	return len;
}

/* ---- the multi handle on the loop ---- */

static void
on_event(evutil_socket_t fd, short what, void *arg)
{
	struct nh_http *h = arg;
	int running, flags = 0;

	if (what & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(h->multi, fd, flags, &running);
	collect(h);
}

static int
on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct nh_http *h = userp;
	struct watch *w = socketp;
	short kind = EV_PERSIST;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (w != NULL) {
			event_free(w->ev);
			free(w);
			curl_multi_assign(h->multi, fd, NULL);
		}
		return 0;
	}
	if (w == NULL) {
		if ((w = calloc(1, sizeof(*w))) == NULL)
			return -1;
		w->h = h;
		curl_multi_assign(h->multi, fd, w);
	} else {
		event_free(w->ev);
	}
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	if ((w->ev = event_new(h->base, fd, kind, on_event, h)) == NULL ||
	    event_add(w->ev, NULL) == -1)
		return -1;
	return 0;
}

static void
on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct nh_http *h = arg;
	int running;

	(void)fd;
	(void)what;
	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	collect(h);
}

static int
on_timer_set(CURLM *multi, long ms, void *userp)
{
	struct nh_http *h = userp;
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	(void)multi;
	if (ms < 0)
		return evtimer_del(h->timer);
	return evtimer_add(h->timer, &tv);
}

/* Frees a request: its transfer, its limiter slot, its strings. */
static void
get_free(struct nh_http_get *g)
{
	struct nh_http *h = g->h;

	LIST_REMOVE(g, link);
	if (g->wait != NULL)
		nh_limiter_cancel(g->wait);
	if (g->easy != NULL) {
		curl_multi_remove_handle(h->multi, g->easy);
		curl_easy_cleanup(g->easy);
	}
	if (g->holding)
		nh_limiter_release(h->lim, g->key);
	curl_slist_free_all(g->connect_to);
	nh_http_response_free(g->resp);
	free(g->url);
	free(g->ca_file);
	free(g->key);
	free(g);
}

/* Hands a finished transfer's response to its caller. */
static void
finish(struct nh_http_get *g, CURLcode rc)
{
	struct nh_http_response *r = g->resp;
	struct timespec now;
	long status = 0, conns = 0;
	char *ip = NULL, *loc = NULL;

	curl_easy_getinfo(g->easy, CURLINFO_RESPONSE_CODE, &status);
	if (curl_easy_getinfo(g->easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK &&
	    ip != NULL)
		snprintf(r->ip, sizeof(r->ip), "%s", ip);
	r->status = (int)status;
	if (curl_easy_getinfo(g->easy, CURLINFO_REDIRECT_URL, &loc) ==
		CURLE_OK &&
	    loc != NULL)
		r->location = strdup(loc);
	if (curl_easy_getinfo(g->easy, CURLINFO_NUM_CONNECTS, &conns) ==
	    CURLE_OK)
		r->connections = (unsigned)conns;
	/* A transfer we stopped (body or header caps) is a response. */
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && r->body_cut) &&
	    !(r->headers_cut && status > 0)) {
		char msg[CURL_ERROR_SIZE + 64];

		snprintf(msg, sizeof(msg), "%s",
		    g->errbuf[0] ? g->errbuf : curl_easy_strerror(rc));
		r->error = strdup(msg);
		if (r->status < 100)
			r->status = 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	r->ms = (double)(now.tv_sec - g->start.tv_sec) * 1e3 +
	    (double)(now.tv_nsec - g->start.tv_nsec) / 1e6;
	g->resp = NULL;
	g->cb(r, g->arg);
	get_free(g);
}

static void
collect(struct nh_http *h)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
		struct nh_http_get *g = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &g);
		if (g != NULL)
			finish(g, m->data.result);
	}
}

/* libcurl's socket opener: the connection guard first (net.h). */
static curl_socket_t
open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	(void)arg;
	(void)purpose;
	if (!nh_net_may_connect(&a->addr))
		return CURL_SOCKET_BAD;
	return socket(a->family, a->socktype, a->protocol);
}

/* The limiter let the request go: set up and add its transfer. */
static void
go(void *arg)
{
	struct nh_http_get *g = arg;
	struct nh_http *h = g->h;
	CURL *e;

	g->wait = NULL;
	g->holding = true;
	clock_gettime(CLOCK_MONOTONIC, &g->start);
	if ((e = g->easy = curl_easy_init()) == NULL)
		goto fail;
	curl_easy_setopt(e, CURLOPT_URL, g->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, g);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	if (g->verify) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
		if (g->ca_file != NULL)
			curl_easy_setopt(e, CURLOPT_CAINFO, g->ca_file);
	} else {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
		/* No trust store to load for a connection that verifies
		 * nothing (libcurl would read the system's, some 140
		 * certificates, for every connection). */
		curl_easy_setopt(e, CURLOPT_CAINFO, NULL);
		curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
		/* Read what any server says, also over TLS 1.0 or with weak
		 * keys: the TLS checks judge those, this request only reads. */
		curl_easy_setopt(
		    e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_0);
		curl_easy_setopt(e, CURLOPT_SSL_CIPHER_LIST, "ALL:@SECLEVEL=0");
	}
	curl_easy_setopt(e, CURLOPT_USERAGENT, "nethealth/" NH_VERSION);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(g->timeout * 1000));
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, g->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, g);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, g);
	if (g->compression)
		curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	if (g->connect_to != NULL)
		curl_easy_setopt(e, CURLOPT_CONNECT_TO, g->connect_to);
	if (curl_multi_add_handle(h->multi, e) != CURLM_OK)
		goto fail;
	return;
fail:
	/* Reported on the loop like any failed transfer. */
	g->resp->error = strdup("cannot start the request");
	g->cb(g->resp, g->arg);
	g->resp = NULL;
	get_free(g);
}

struct nh_http_get *
nh_http_get(struct nh_http *h, const struct nh_http_request *req, nh_http_cb cb,
    void *arg, const char **err)
{
	struct nh_http_get *g;
	CURLU *u = NULL;
	char *host = NULL, entry[128];

	*err = "out of memory";
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	g->h = h;
	LIST_INSERT_HEAD(&h->gets, g, link);
	g->cb = cb;
	g->arg = arg;
	g->compression = req->compression;
	g->verify = req->verify;
	g->max_body =
	    req->max_body < NH_HTTP_MAX_BODY ? req->max_body : NH_HTTP_MAX_BODY;
	g->timeout = req->timeout > 0 ? req->timeout : 10;
	if ((g->url = strdup(req->url)) == NULL ||
	    (req->ca_file != NULL &&
		(g->ca_file = strdup(req->ca_file)) == NULL) ||
	    (g->resp = calloc(1, sizeof(*g->resp))) == NULL ||
	    (u = curl_url()) == NULL)
		goto fail;
	if (curl_url_set(u, CURLUPART_URL, req->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		*err = "not a URL";
		goto fail;
	}
	if (req->pin_ip != NULL) {
		/* Any host, any port: to this address, the same port. */
		snprintf(entry, sizeof(entry),
		    strchr(req->pin_ip, ':') ? "::[%s]:" : "::%s:",
		    req->pin_ip);
		if ((g->connect_to = curl_slist_append(NULL, entry)) == NULL)
			goto fail;
	}
	if ((g->key = strdup(req->pin_ip ? req->pin_ip : host)) == NULL)
		goto fail;
	curl_free(host);
	curl_url_cleanup(u);
	/* The limiter never grants inside this call: go() runs on the loop. */
	if ((g->wait = nh_limiter_acquire(h->lim, g->key, go, g)) == NULL) {
		get_free(g);
		return NULL;
	}
	return g;
fail:
	curl_free(host);
	curl_url_cleanup(u);
	get_free(g);
	return NULL;
}

void
nh_http_cancel(struct nh_http_get *g)
{
	if (g != NULL)
		get_free(g);
}

struct nh_http *
nh_http_new(
    struct event_base *base, struct nh_limiter *limiter, const char **err)
{
	static bool inited;
	struct nh_http *h;

	if (!inited && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		*err = "cannot initialize libcurl";
		return NULL;
	}
	inited = true;
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		*err = "out of memory";
		return NULL;
	}
	h->base = base;
	LIST_INIT(&h->gets);
	if (limiter == NULL &&
	    (limiter = h->own_lim = nh_limiter_new(base, 0, 0)) == NULL) {
		*err = "out of memory";
		free(h);
		return NULL;
	}
	h->lim = limiter;
	if ((h->multi = curl_multi_init()) == NULL ||
	    (h->timer = evtimer_new(base, on_timeout, h)) == NULL) {
		*err = "cannot start libcurl";
		nh_http_free(h);
		return NULL;
	}
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_timer_set);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	return h;
}

void
nh_http_free(struct nh_http *h)
{
	if (h == NULL)
		return;
	while (!LIST_EMPTY(&h->gets))
		get_free(LIST_FIRST(&h->gets));
	if (h->multi != NULL)
		curl_multi_cleanup(h->multi);
	if (h->timer != NULL)
		event_free(h->timer);
	nh_limiter_free(h->own_lim);
	free(h);
}
