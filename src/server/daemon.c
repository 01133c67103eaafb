/*
 * daemon.c: libmicrohttpd on the engine's loop, request bodies and
 * responses, the security headers of every page, the request log, and the
 * server's life: start, serve, stop on SIGTERM.
 *
 * libmicrohttpd runs in its external-epoll mode: its epoll descriptor is
 * one persistent read event on the libevent loop, and a timer follows
 * MHD_get_timeout(). A handler that must wait (a DNS look-up before a
 * test starts) suspends its connection and answers later with
 * nh_req_answer().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <time.h>

#include <event2/event.h>
#include <microhttpd.h>

#include "engine/engine.h"
#include "net/net.h"
#include "pages.h"
#include "server_impl.h"
#include "store/store.h"

#define HEADER_MEMORY (32 * 1024) /* request line and headers, at most */
#define CONN_TIMEOUT 30           /* seconds a connection may idle */
#define MAX_TIMER_MS 1000
#define NH_SERVE_CACHE (64 * 1024 * 1024) /* bytes of rendered answers */

struct nh_daemon {
	struct nh_server *srv;
	struct MHD_Daemon *mhd;
	struct event_base *base;
	struct event *ev, *timer, *sigterm, *sigint, *grace;
	FILE *log;
	bool own_log;
	double grace_s;
};

/* ---- responses ---- */

int
nh_resp_take(struct nh_resp *r, unsigned status, const char *type, char *body,
    size_t len)
{
	free(r->body);
	r->status = status;
	r->type = type;
	r->body = body;
	r->len = len;
	return body == NULL && len > 0 ? -1 : 0;
}

int
nh_resp_text(
    struct nh_resp *r, unsigned status, const char *type, const char *text)
{
	size_t len = strlen(text);
	char *b = malloc(len + 1);

	if (b == NULL)
		return -1;
	memcpy(b, text, len + 1);
	return nh_resp_take(r, status, type, b, len);
}

int
nh_resp_json(struct nh_resp *r, unsigned status, json_t *j)
{
	char *text;

	if (j == NULL)
		return -1;
	text = json_dumps(j, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	json_decref(j);
	if (text == NULL)
		return -1;
	r->cache = "no-store";
	return nh_resp_take(r, status, "application/json", text, strlen(text));
}

int
nh_resp_json_error(struct nh_resp *r, unsigned status, const char *msg)
{
	return nh_resp_json(r, status, json_pack("{s:s}", "error", msg));
}

int
nh_resp_page(struct nh_resp *r, unsigned status,
    int (*fn)(FILE *fp, const void *arg), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int rc;

	if (fp == NULL)
		return -1;
	rc = fn(fp, arg);
	if (fclose(fp) == EOF)
		rc = -1;
	if (rc != 0) {
		free(buf);
		return -1;
	}
	return nh_resp_take(r, status, "text/html; charset=utf-8", buf, len);
}

struct error_page {
	unsigned status;
	const char *msg;
};

static int
render_error(FILE *fp, const void *arg)
{
	const struct error_page *e = arg;

	return nh_page_error(fp, e->status, e->msg);
}

int
nh_resp_error_page(struct nh_resp *r, unsigned status, const char *msg)
{
	struct error_page e = { status, msg };

	return nh_resp_page(r, status, render_error, &e);
}

int
nh_resp_redirect(struct nh_resp *r, const char *location)
{
	free(r->owned);
	if ((r->owned = strdup(location)) == NULL)
		return -1;
	r->location = r->owned;
	return nh_resp_text(r, 303, "text/plain; charset=utf-8", "See Other\n");
}

/* ---- requests ---- */

const char *
nh_req_arg(const struct nh_req *rq, const char *key)
{
	return MHD_lookup_connection_value(
	    rq->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *
nh_req_header(const struct nh_req *rq, const char *key)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, key);
}

/* Who the client is, for limits: its address, or an IPv6 client's /64
 * (one host holds a whole /64). */
static void
client_key(struct MHD_Connection *c, char out[64])
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;
	char ip[INET6_ADDRSTRLEN];

	snprintf(out, 64, "unknown");
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		if (inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip)))
			snprintf(out, 64, "%s", ip);
	} else if (sa->sa_family == AF_INET6) {
		struct in6_addr a =
		    ((const struct sockaddr_in6 *)sa)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(&a)) {
			if (inet_ntop(AF_INET, &a.s6_addr[12], ip, sizeof(ip)))
				snprintf(out, 64, "%s", ip);
			return;
		}
		memset(&a.s6_addr[8], 0, 8);
		if (inet_ntop(AF_INET6, &a, ip, sizeof(ip)))
			snprintf(out, 64, "%s/64", ip);
	}
}

static double
ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(now.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Writes s to the log with control characters and quotes as '?' (a
 * request line is the client's text: no forged log lines). */
static void
log_clean(FILE *fp, const char *s, size_t max)
{
	for (size_t i = 0; s != NULL && s[i] != '\0' && i < max; i++) {
		unsigned char ch = (unsigned char)s[i];

		fputc(ch < 0x20 || ch == 0x7f || ch == '"' ? '?' : ch, fp);
	}
}

static void
log_request(struct nh_daemon *d, const struct nh_req *rq)
{
	char when[32];

	nh_time_text(0, when);
	fprintf(d->log, "%s %s %s \"", when, rq->client,
	    rq->user != NULL ? rq->user : "-");
	log_clean(d->log, rq->method, 16);
	fputc(' ', d->log);
	log_clean(d->log, rq->path, 512);
	fprintf(d->log, "\" %u %zu %.1fms\n", rq->resp.status, rq->resp.len,
	    ms_since(&rq->start));
}

static void
req_free(struct nh_req *rq)
{
	if (rq == NULL)
		return;
	free(rq->body);
	free(rq->user);
	free(rq->resp.body);
	free(rq->resp.owned);
	free(rq);
}

static void
add_header(struct MHD_Response *m, const char *k, const char *v)
{
	if (v != NULL)
		MHD_add_response_header(m, k, v);
}

/* Sends rq->resp with the site's headers. */
static enum MHD_Result
send_resp(struct nh_req *rq)
{
	struct nh_resp *r = &rq->resp;
	struct MHD_Response *m;
	enum MHD_Result ok;
	char retry[16];

	if (r->status == 0) {
		r->status = 500;
		nh_resp_text(r, 500, "text/plain; charset=utf-8",
		    "Internal server error (out of memory)\n");
	}
	m = MHD_create_response_from_buffer(r->len,
	    r->body != NULL ? r->body : (char *)"",
	    r->body != NULL ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (m == NULL)
		return MHD_NO;
	r->body = NULL; /* libmicrohttpd frees it */
	add_header(m, "Content-Type",
	    r->type != NULL ? r->type : "text/plain; charset=utf-8");
	add_header(m, "Content-Security-Policy",
	    r->csp != NULL ? r->csp : NH_SITE_CSP);
	add_header(m, "X-Content-Type-Options", NH_SITE_XCTO);
	add_header(m, "X-Frame-Options", NH_SITE_XFO);
	add_header(m, "Referrer-Policy", NH_SITE_REFERRER);
	add_header(m, "Cross-Origin-Opener-Policy", "same-origin");
	add_header(m, "Cross-Origin-Resource-Policy", "same-origin");
	add_header(m, "Permissions-Policy",
	    "camera=(), microphone=(), geolocation=()");
	add_header(
	    m, "Cache-Control", r->cache != NULL ? r->cache : "no-store");
	add_header(m, "Location", r->location);
	if (r->retry_after > 0) {
		snprintf(retry, sizeof(retry), "%u", r->retry_after);
		add_header(m, "Retry-After", retry);
	}
	if (r->auth_challenge)
		add_header(m, "WWW-Authenticate",
		    "Basic realm=\"nethealth batch API\", charset=\"UTF-8\"");
	ok = MHD_queue_response(rq->conn, r->status, m);
	MHD_destroy_response(m);
	rq->answered = true;
	return ok;
}

static void kick(struct nh_daemon *d);

void
nh_req_answer(struct nh_req *rq)
{
	struct nh_daemon *d = rq->srv->d;

	rq->suspended = false;
	rq->answered = false;
	MHD_resume_connection(rq->conn);
	/* libmicrohttpd calls the handler again: it sends rq->resp then. */
	kick(d);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct nh_server *srv = cls;
	struct nh_req *rq = *con_cls;

	(void)version;
	if (rq == NULL) {
		if ((rq = calloc(1, sizeof(*rq))) == NULL)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &rq->start);
		rq->srv = srv;
		rq->conn = c;
		rq->method = method;
		rq->path = url;
		client_key(c, rq->client);
		*con_cls = rq;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		size_t n = *upload_size;

		*upload_size = 0;
		if (rq->too_big || rq->len + n > NH_SERVE_MAX_BODY) {
			rq->too_big = true;
			return MHD_YES;
		}
		char *b = realloc(rq->body, rq->len + n + 1);
		if (b == NULL)
			return MHD_NO;
		memcpy(b + rq->len, upload, n);
		rq->len += n;
		b[rq->len] = '\0';
		rq->body = b;
		return MHD_YES;
	}
	if (rq->suspended)
		return MHD_YES; /* not yet */
	if (rq->answered || rq->resp.status != 0)
		return send_resp(rq); /* resumed */
	rq->resp.status = 0;
	if (rq->too_big) {
		nh_resp_json_error(
		    &rq->resp, 413, "the request body is larger than 1 MiB");
		return send_resp(rq);
	}
	if (srv->live == NULL || srv->batch == NULL) {
		/* Stopped: only the last answers go out. */
		nh_resp_text(
		    &rq->resp, 503, "text/plain; charset=utf-8", "stopping\n");
		return send_resp(rq);
	}
	nh_route(rq);
	if (rq->suspended) {
		MHD_suspend_connection(c);
		return MHD_YES;
	}
	return send_resp(rq);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode why)
{
	struct nh_server *srv = cls;
	struct nh_req *rq = *con_cls;

	(void)c;
	(void)why;
	if (rq == NULL)
		return;
	log_request(srv->d, rq);
	req_free(rq);
	*con_cls = NULL;
}

/* ---- the loop ---- */

static void
run_mhd(struct nh_daemon *d)
{
	MHD_UNSIGNED_LONG_LONG ms = MAX_TIMER_MS;
	struct timeval tv;

	MHD_run(d->mhd);
	if (MHD_get_timeout(d->mhd, &ms) != MHD_YES || ms > MAX_TIMER_MS)
		ms = MAX_TIMER_MS;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	evtimer_add(d->timer, &tv);
}

static void
on_mhd(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	run_mhd(arg);
}

static void
kick(struct nh_daemon *d)
{
	static const struct timeval now = { 0, 0 };

	evtimer_add(d->timer, &now);
}

/* Whether anything still runs that the stop waits for. */
static bool
busy(const struct nh_server *srv)
{
	return nh_live_flight(srv->live) > 0 || nh_batch_flight(srv->batch) > 0;
}

static void
on_grace(evutil_socket_t fd, short what, void *arg)
{
	struct nh_daemon *d = arg;
	static const struct timeval again = { 0, 200000 };

	(void)fd;
	(void)what;
	d->grace_s -= 0.2;
	if (!busy(d->srv) || d->grace_s <= 0) {
		event_base_loopbreak(d->base);
		return;
	}
	evtimer_add(d->grace, &again);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct nh_daemon *d = arg;
	static const struct timeval now = { 0, 0 };

	(void)what;
	if (d->srv->stopping) {
		/* A second signal: stop now. */
		event_base_loopbreak(d->base);
		return;
	}
	fprintf(stderr,
	    "nethealth serve: %s: stopping; waiting for %u tests in "
	    "flight (at most %.0f s)\n",
	    sig == SIGTERM ? "SIGTERM" : "SIGINT",
	    nh_live_flight(d->srv->live) + nh_batch_flight(d->srv->batch),
	    d->grace_s);
	d->srv->stopping = true;
	evtimer_add(d->grace, &now);
}

/* Parses "ADDR:PORT", "[V6]:PORT" or ":PORT". Returns 0, or -1. */
static int
parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	char *end;
	long port;
	size_t hl;

	if (colon == NULL)
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || colon[1] == '\0' || port < 0 || port > 65535)
		return -1;
	hl = (size_t)(colon - s);
	if (hl >= 2 && s[0] == '[' && s[hl - 1] == ']') {
		s++;
		hl -= 2;
	}
	if (hl >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (hl == 0)
		snprintf(host, sizeof(host), "::");
	if (nh_sockaddr_from_text(host, (uint16_t)port, ss, len) == 0)
		return -1;
	return 0;
}

static void
mhd_log(void *arg, const char *fmt, va_list ap)
{
	(void)arg;
	fputs("nethealth serve: libmicrohttpd: ", stderr);
	vfprintf(stderr, fmt, ap);
}

static void
daemon_free(struct nh_daemon *d)
{
	if (d == NULL)
		return;
	if (d->mhd != NULL) {
		/* Takes back connections resumed at the stop (live.c). */
		MHD_run(d->mhd);
		MHD_stop_daemon(d->mhd);
	}
	if (d->ev != NULL)
		event_free(d->ev);
	if (d->timer != NULL)
		event_free(d->timer);
	if (d->sigterm != NULL)
		event_free(d->sigterm);
	if (d->sigint != NULL)
		event_free(d->sigint);
	if (d->grace != NULL)
		event_free(d->grace);
	if (d->own_log)
		fclose(d->log);
	free(d);
}

static struct nh_daemon *
daemon_start(struct nh_server *srv, double grace)
{
	const struct nh_server_config *cfg = srv->cfg;
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct nh_daemon *d;
	const union MHD_DaemonInfo *info;
	unsigned flags =
	    MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	const char *listen =
	    cfg->listen != NULL ? cfg->listen : "127.0.0.1:8080";
	char host[80];

	if (parse_listen(listen, &ss, &sslen) == -1) {
		fprintf(stderr,
		    "nethealth serve: --listen %s: not ADDR:PORT "
		    "(127.0.0.1:8080, [::]:8080, :8080)\n",
		    listen);
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		goto oom;
	d->srv = srv;
	d->base = nh_engine_base(srv->engine);
	d->grace_s = grace;
	d->log = stderr;
	if (cfg->log != NULL && strcmp(cfg->log, "-") == 0)
		d->log = stdout;
	else if (cfg->log != NULL) {
		if ((d->log = fopen(cfg->log, "a")) == NULL) {
			fprintf(stderr, "nethealth serve: --log %s: %s\n",
			    cfg->log, strerror(errno));
			d->log = stderr;
			daemon_free(d);
			return NULL;
		}
		d->own_log = true;
	}
	setvbuf(d->log, NULL, _IOLBF, 0);
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_DUAL_STACK;
	srv->d = d;
	d->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)(cfg->connections ? cfg->connections
					: NH_SERVE_CONNECTIONS),
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_TIMEOUT,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_END);
	if (d->mhd == NULL) {
		fprintf(stderr,
		    "nethealth serve: cannot listen on %s (the address is "
		    "taken, or not this machine's)\n",
		    listen);
		srv->d = NULL;
		daemon_free(d);
		return NULL;
	}
	info = MHD_get_daemon_info(d->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (info == NULL)
		goto oom;
	d->ev =
	    event_new(d->base, info->epoll_fd, EV_READ | EV_PERSIST, on_mhd, d);
	d->timer = evtimer_new(d->base, on_mhd, d);
	d->grace = evtimer_new(d->base, on_grace, d);
	d->sigterm = evsignal_new(d->base, SIGTERM, on_signal, d);
	d->sigint = evsignal_new(d->base, SIGINT, on_signal, d);
	if (d->ev == NULL || d->timer == NULL || d->grace == NULL ||
	    d->sigterm == NULL || d->sigint == NULL ||
	    event_add(d->ev, NULL) == -1 || event_add(d->sigterm, NULL) == -1 ||
	    event_add(d->sigint, NULL) == -1)
		goto oom;
	info = MHD_get_daemon_info(d->mhd, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(host, sizeof(host), "%s", listen);
	*strrchr(host, ':') = '\0';
	fprintf(stderr, "nethealth serve: listening on http://%s%s:%u/%s\n",
	    host[0] == '\0' ? "[::]" : host, "",
	    info != NULL ? (unsigned)info->port : 0,
	    cfg->lab ? " (--lab: private and lab addresses allowed)" : "");
	kick(d);
	return d;
oom:
	fprintf(stderr, "nethealth serve: out of memory\n");
	srv->d = NULL;
	daemon_free(d);
	return NULL;
}

/* ---- ids and times ---- */

int
nh_random_id(char id[33])
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -1;
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(id + 2 * i, 3, "%02x", b[i]);
	return 0;
}

bool
nh_is_id(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return i == 32;
}

void
nh_time_text(time_t t, char out[32])
{
	struct tm tm;

	if (t == 0)
		t = time(NULL);
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- the server ---- */

/* Connections (1,000 by default) and the tests' sockets need more
 * descriptors than a login's usual soft limit of 1,024: up to the hard
 * limit. */
static void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int
nh_server_run(const struct nh_server_config *cfg,
    const struct nh_engine_config *ecfg, double grace)
{
	struct nh_server srv = { .cfg = cfg };
	const char *err = NULL;
	char msg[300];
	int rc = -1;
	long n;

	signal(SIGPIPE, SIG_IGN);
	raise_fd_limit();
	nh_net_set_public_only(!cfg->lab);
	if ((srv.store = nh_store_open(cfg->db, &err)) == NULL) {
		fprintf(stderr,
		    "nethealth serve: cannot open the store %s: %s\n", cfg->db,
		    err != NULL ? err : "unknown error");
		return -1;
	}
	/* Tests a previous server left running did not end. */
	if ((n = nh_store_live_interrupt(srv.store,
		 "interrupted: the server stopped before the test ended")) ==
	    -1) {
		fprintf(
		    stderr, "nethealth serve: %s\n", nh_store_error(srv.store));
		goto out;
	}
	if (n > 0)
		fprintf(stderr,
		    "nethealth serve: %ld tests left running by the last "
		    "server recorded as interrupted\n",
		    n);
	if (cfg->users != NULL &&
	    (srv.users = nh_users_load(cfg->users, msg, sizeof(msg))) == NULL) {
		fprintf(stderr, "nethealth serve: --users %s: %s\n", cfg->users,
		    msg);
		goto out;
	}
	if ((srv.engine = nh_engine_new(ecfg, &err)) == NULL) {
		fprintf(stderr, "nethealth serve: %s\n", err);
		goto out;
	}
	if ((srv.cache = nh_cache_new(NH_SERVE_CACHE)) == NULL ||
	    (srv.live = nh_live_new(&srv)) == NULL ||
	    (srv.batch = nh_batch_new(&srv, &err)) == NULL) {
		fprintf(stderr, "nethealth serve: %s\n",
		    err != NULL ? err : "out of memory");
		goto out;
	}
	if (daemon_start(&srv, grace) == NULL)
		goto out;
	event_base_dispatch(nh_engine_base(srv.engine));
	/* Stopped: tests still in flight are recorded as interrupted. */
	n = nh_live_flight(srv.live) + nh_batch_flight(srv.batch);
	nh_live_free(srv.live);
	srv.live = NULL;
	nh_batch_free(srv.batch);
	srv.batch = NULL;
	if (nh_store_live_interrupt(srv.store,
		"interrupted: the server stopped before the test ended") == -1)
		fprintf(
		    stderr, "nethealth serve: %s\n", nh_store_error(srv.store));
	fprintf(
	    stderr, "nethealth serve: stopped (%ld tests interrupted)\n", n);
	rc = 0;
out:
	daemon_free(srv.d);
	nh_live_free(srv.live);
	nh_batch_free(srv.batch);
	nh_engine_free(srv.engine);
	nh_users_free(srv.users);
	nh_cache_free(srv.cache);
	nh_store_close(srv.store);
	return rc;
}
