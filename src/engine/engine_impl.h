/*
 * engine_impl.h: what the engine's files share. Internal to src/engine/.
 */
#ifndef NH_ENGINE_IMPL_H
#define NH_ENGINE_IMPL_H

#include <stdbool.h>
#include <time.h>

#include "checks/checks.h"
#include "engine.h"
#include "mail/mail.h"
#include "tls/tls.h"

#include <ldns/ldns.h>

struct nh_dns;
struct nh_http;
struct nh_rpki;
struct nh_limiter;
struct nh_tls_ctx;

struct nh_engine {
	struct event_base *base;
	struct nh_dns *dns;
	struct nh_limiter *limiter;    /* politeness per address */
	struct nh_limiter *mx_limiter; /* the same for MX addresses (2 at
					  once: DESIGN.md) */
	struct nh_tls_ctx *tls;        /* OpenSSL client, trust store */
	struct nh_http *http;          /* HTTP client (web test) */
	char *ca_file;          /* trust for verified HTTPS (MTA-STS); owned */
	struct nh_rpki *rpki;   /* VRPs and routes, or NULL: not given */
	char rpki_missing[200]; /* what is missing, when NULL */
	struct nh_share *share; /* MX assessments shared across domains, or
				   NULL: not shared (share.c) */
	struct nh_check_opts opts;
	double tcp_timeout;    /* TCP connect probe, seconds */
	double direct_timeout; /* direct DNS query, per transport */
	double tls_timeout;    /* one TLS probe connection */
	double http_timeout;   /* one HTTP request */
	unsigned jobs;         /* tests in flight */
};

/* The TLSA records of a name and port, looked up once for its endpoints. */
struct tlsa_set {
	bool done;
	struct nh_fact_lookup lookup;
	struct nh_fact_tlsa rr[NH_FACTS_MAX_TLSA];
	size_t n;
};

/* A TLS endpoint of a job in progress (a web address, port 443; or an MX
 * address, port 25, through STARTTLS). */
struct tls_ep {
	struct job *job;
	struct nh_fact_tls *fact;    /* in the job's facts */
	struct tlsa_set *tlsa;       /* the job's, for DANE */
	bool smtp;                   /* STARTTLS first */
	struct nh_smtp_ctx smtp_ctx; /* its context (writes fact->smtp) */
	struct nh_tls_scan *scan;
	struct nh_tls_hs *hs;
	bool scanned, hs_started;
	struct shared_ep *share; /* other domains wait for this one, or
				    NULL (share.c) */
	struct nh_tls_der der;   /* certificates a probe saw, judged only if
				    no full handshake completes */
	bool ended;              /* the assessment ended (gather.c) */
};

struct web_ep; /* web.c */

/* One domain's test in flight. */
struct job {
	struct nh_engine *e;
	struct nh_facts *f;
	unsigned pending; /* steps in flight */
	bool oom;         /* an allocation failed along the way */
	bool null_mx;     /* the MX set holds "." */
	nh_engine_cb cb;
	void *arg;
	struct timespec start; /* monotonic */
	char started[32];      /* RFC 3339, UTC */
	unsigned tls_port;     /* TLS only (nethealth tls): the port; else 0 */
	/* TLS (web): endpoints, and the TLSA records they all share. */
	struct tls_ep *eps;
	size_t neps;
	size_t tls_cap;            /* room in f->tls (and eps for them) */
	unsigned web_addr_pending; /* web: A and AAAA answers to wait for
				      before the addresses' probes start */
	bool starttls;             /* TLS only: through SMTP STARTTLS */
	struct tlsa_set tlsa;      /* web: _443._tcp.domain */
	/* Mail: _25._tcp TLSA per MX, and the address lookups to wait
	 * for before the MX endpoints start. */
	struct tlsa_set *mx_tlsa;
	unsigned mx_addr_pending;
	struct nh_fact_rrset mtasts_host; /* mta-sts.<domain>, asked */
	/* HTTP (web): one per web address. */
	struct web_ep *weps;
	size_t nweps;
	size_t web_cap; /* room in f->http and weps */
};

/* Starts gathering (gather.c); ends in nh_engine_job_done(). */
void nh_gather_start(struct job *j);

/* A step of the job ended; the last one ends the job (gather.c). */
void nh_job_step_done(struct job *j);

/* Frees what a TLSA set owns (gather.c). */
void nh_tlsa_set_clear(struct tlsa_set *t);

/* The parent of a name, or NULL when the name is a TLD (no dot left)
 * (gather.c). */
const char *nh_parent_of(const char *name);

/* The owner of the NS records of an answer (lower case, no final dot),
 * or a copy of `asked` when there are none; NULL out of memory
 * (gather.c). */
char *nh_ns_owner(const ldns_pkt *pkt, const char *asked);

/* Mail: the name servers of MX i's zone and their addresses, for RPKI
 * (mxns.c). */
void nh_mxns_start(struct job *j, size_t i);

/* Records an allocation failure; the job still completes (gather.c). */
void nh_job_oom(struct job *j);

/*
 * Web test: allocates the HTTP facts and steps for the job's n web
 * addresses, once they are known, and frees the steps once the job is
 * done (web.c).
 */
int nh_web_alloc(struct job *j, size_t n);
void nh_web_free(struct job *j);

/* Mail: starts the SPF, DMARC, DKIM, MTA-STS, TLS-RPT lookups
 * (mailauth.c). */
void nh_mailauth_start(struct job *j);

/* RPKI (rpki.c): loads the files the configuration names (or notes what
 * is missing); returns 0, or -1 with *err. */
int nh_engine_rpki_load(
    struct nh_engine *e, const struct nh_engine_config *cfg, const char **err);

/* Validates every address of the facts into f->rpki; -1 out of memory. */
int nh_engine_rpki_facts(struct nh_engine *e, struct nh_facts *f);

/* Starts the HTTP requests of one web address (web.c). */
void nh_web_start(struct job *j, const char *ip, int family);

/*
 * Sharing across domains (share.c). nh_share_mx() looks up the STARTTLS
 * assessment of MX `mx` at `ip` for endpoint facts t of job j: COPIED,
 * the facts are in t; WAITING, they will be (the job has one more step
 * pending, ended by the first assessment's nh_share_done()); FIRST, the
 * caller assesses the endpoint, and when *leader is not NULL calls
 * nh_share_done(*leader, t) once it is assessed.
 */
enum nh_share_state { NH_SHARE_FIRST, NH_SHARE_COPIED, NH_SHARE_WAITING };
struct nh_share;
struct shared_ep;
struct nh_share *nh_share_new(void);
void nh_share_free(struct nh_share *sh);
enum nh_share_state nh_share_mx(struct job *j, struct nh_fact_tls *t,
    const char *ip, const char *mx, struct shared_ep **leader);
void nh_share_done(struct shared_ep *e, const struct nh_fact_tls *t);

/* Judges the job's facts, calls back, frees the job (engine.c). */
void nh_engine_job_done(struct job *j);

#endif /* NH_ENGINE_IMPL_H */
