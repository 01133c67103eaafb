/*
 * engine.c: the engine's life cycle, the loop, and the end of a test:
 * facts judged by the check table, the result timed and handed back.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "dns/dns.h"
#include "engine_impl.h"
#include "http/http.h"
#include "rpki/rpki.h"
#include "net/net.h"
#include "tls/tls.h"

#define DEFAULT_TIMEOUT 10.0
#define TCP_TIMEOUT 4.0    /* Internet.nl: connect timeout 4 s */
#define DIRECT_TIMEOUT 5.0 /* Internet.nl: NS query 5 s */
#define TLS_TIMEOUT 10.0   /* Internet.nl: sslyze network timeout */
#define HTTP_TIMEOUT 10.0  /* one request; Internet.nl: 10 s */
#define MAX_CONNS 5
#define MX_CONNS \
	2 /* DESIGN.md: at most 2 at once per MX */ /* DESIGN.md: politeness per address */
#define CONN_RATE 10.0

struct nh_engine *
nh_engine_new(const struct nh_engine_config *cfg, const char **err)
{
	struct nh_dns_config dc = { 0 };
	struct nh_engine *e;
	double t = cfg->timeout > 0 ? cfg->timeout : DEFAULT_TIMEOUT, rate;

	if ((e = calloc(1, sizeof(*e))) == NULL) {
		*err = "out of memory";
		return NULL;
	}
	e->opts.internetnl_compat = cfg->internetnl_compat;
	e->tcp_timeout = t < TCP_TIMEOUT ? t : TCP_TIMEOUT;
	e->direct_timeout = t < DIRECT_TIMEOUT ? t : DIRECT_TIMEOUT;
	e->tls_timeout = t < TLS_TIMEOUT ? t : TLS_TIMEOUT;
	e->http_timeout = t < HTTP_TIMEOUT ? t : HTTP_TIMEOUT;
	if ((e->base = event_base_new()) == NULL) {
		*err = "cannot create the event loop";
		goto fail;
	}
	dc.conf_file = cfg->resolver_conf;
	dc.max_inflight = cfg->dns_inflight;
	dc.timeout = t;
	dc.retries = 1;
	if ((e->dns = nh_dns_new(e->base, &dc, err)) == NULL)
		goto fail;
	rate = cfg->conn_rate > 0 ? cfg->conn_rate
	    : cfg->conn_rate < 0  ? 0
				  : CONN_RATE;
	if ((e->limiter = nh_limiter_new(e->base,
		 cfg->max_conns ? cfg->max_conns : MAX_CONNS, rate)) == NULL ||
	    (e->mx_limiter = nh_limiter_new(e->base,
		 cfg->max_conns && cfg->max_conns < MX_CONNS ? cfg->max_conns
							     : MX_CONNS,
		 rate)) == NULL) {
		*err = "out of memory";
		goto fail;
	}
	if (cfg->ca_file != NULL &&
	    (e->ca_file = strdup(cfg->ca_file)) == NULL) {
		*err = "out of memory";
		goto fail;
	}
	if (nh_engine_rpki_load(e, cfg, err) == -1)
		goto fail;
	if (cfg->share && (e->share = nh_share_new()) == NULL) {
		*err = "out of memory";
		goto fail;
	}
	if ((e->tls = nh_tls_ctx_new(cfg->ca_file, err)) == NULL ||
	    (e->http = nh_http_new(e->base, e->limiter, err)) == NULL)
		goto fail;
	return e;
fail:
	nh_engine_free(e);
	return NULL;
}

void
nh_engine_free(struct nh_engine *e)
{
	if (e == NULL)
		return;
	nh_http_free(e->http);
	nh_share_free(e->share);
	free(e->ca_file);
	nh_rpki_free(e->rpki);
	nh_dns_free(e->dns);
	nh_tls_ctx_free(e->tls);
	nh_limiter_free(e->limiter);
	nh_limiter_free(e->mx_limiter);
	if (e->base != NULL)
		event_base_free(e->base);
	free(e);
}

struct event_base *
nh_engine_base(struct nh_engine *e)
{
	return e->base;
}

static struct job *
job_new(struct nh_engine *e, const char *domain, enum nh_test_type type,
    nh_engine_cb cb, void *arg)
{
	struct job *j;
	struct tm tm;
	time_t now = time(NULL);

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	if ((j->f = nh_facts_new(domain, type)) == NULL) {
		free(j);
		return NULL;
	}
	j->e = e;
	j->cb = cb;
	j->arg = arg;
	clock_gettime(CLOCK_MONOTONIC, &j->start);
	gmtime_r(&now, &tm);
	strftime(j->started, sizeof(j->started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return j;
}

int
nh_engine_tls(struct nh_engine *e, const char *host, unsigned port,
    bool starttls, nh_engine_cb cb, void *arg)
{
	struct job *j = job_new(e, host, NH_TEST_WEB, cb, arg);

	if (j == NULL)
		return -1;
	j->tls_port = port;
	j->starttls = starttls;
	e->jobs++;
	nh_gather_start(j);
	return 0;
}

int
nh_engine_test(struct nh_engine *e, const char *domain, enum nh_test_type type,
    nh_engine_cb cb, void *arg)
{
	struct job *j = job_new(e, domain, type, cb, arg);

	if (j == NULL)
		return -1;
	e->jobs++;
	nh_gather_start(j);
	return 0;
}

struct nh_test_result *
nh_engine_judge(
    const struct nh_engine_config *cfg, const struct nh_facts *facts)
{
	struct nh_check_opts opts = {
		.internetnl_compat = cfg->internetnl_compat,
	};

	return nh_checks_evaluate(facts->type, facts, &opts);
}

void
nh_engine_job_done(struct job *j)
{
	struct nh_engine *e = j->e;
	struct nh_test_result *r = NULL;
	struct timespec now;

	if (nh_engine_rpki_facts(e, j->f) == -1)
		j->oom = true;
	if (!j->oom &&
	    (r = nh_checks_evaluate(j->f->type, j->f, &e->opts)) != NULL) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		r->duration_ms = (long)((now.tv_sec - j->start.tv_sec) * 1000 +
		    (now.tv_nsec - j->start.tv_nsec) / 1000000);
		memcpy(r->started, j->started, sizeof(r->started));
	}
	e->jobs--;
	/* An endpoint others wait for that never ended (an allocation
	 * failed on the way): they get what it has, and go on. */
	for (size_t i = 0; i < j->neps; i++) {
		if (j->eps[i].share != NULL)
			nh_share_done(j->eps[i].share, j->eps[i].fact);
		nh_tls_der_clear(&j->eps[i].der);
	}
	j->cb(j->f, r, j->arg);
	nh_tlsa_set_clear(&j->tlsa);
	for (size_t i = 0; j->mx_tlsa != NULL && i < NH_FACTS_MAX_MX; i++)
		nh_tlsa_set_clear(&j->mx_tlsa[i]);
	free(j->mx_tlsa);
	nh_fact_rrset_clear(&j->mtasts_host);
	free(j->eps);
	nh_web_free(j);
	free(j);
}

void
nh_engine_run(struct nh_engine *e)
{
	while (e->jobs > 0 && event_base_loop(e->base, EVLOOP_ONCE) == 0)
		;
}
