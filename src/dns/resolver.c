/*
 * resolver.c: the validating resolver: libunbound in event mode on the
 * caller's libevent loop, with the admission control libunbound lacks (a
 * cap on queries in flight; past its port range, queries would time out),
 * a timeout per attempt, and retries after a timeout.
 *
 * A query (struct nh_dns_query) is what the caller holds; an attempt
 * (struct attempt) is one ub_resolve_event() call. libunbound cannot cancel
 * an event-mode query, so an attempt that timed out, or whose query was
 * cancelled, stays in flight as an orphan until libunbound calls back, and
 * keeps counting against the cap: it is real work in the resolver.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <unbound-event.h>
#include <unbound.h>

#include "dns.h"
#include "net/net.h"

#define DEFAULT_MAX_INFLIGHT 500
#define DEFAULT_TIMEOUT 10.0
#define DEFAULT_TRUST_ANCHOR "/usr/share/dns/root.key"

struct attempt;

struct nh_dns_query {
	struct nh_dns *d;
	char *name;
	uint16_t type;
	nh_dns_cb cb;
	void *arg;
	struct attempt *att; /* the current attempt, or NULL */
	unsigned attempts;
	struct timespec start;
	TAILQ_ENTRY(nh_dns_query) link; /* in d->queue or d->later */
	/* The outcome, kept for a delivery deferred to the loop. */
	struct event *later;
	int rcode;
	enum nh_dns_status status;
	enum nh_dns_sec sec;
	char *why_bogus;
	const char *error;
	ldns_pkt *pkt;
};

struct attempt {
	struct nh_dns *d;
	struct nh_dns_query *q; /* NULL: orphan (timed out, cancelled) */
	struct event *timer;
	TAILQ_ENTRY(attempt) link; /* in d->inflight */
};

TAILQ_HEAD(query_list, nh_dns_query);
TAILQ_HEAD(attempt_list, attempt);

struct nh_dns {
	struct event_base *base;
	struct ub_ctx *ctx;
	unsigned max_inflight;
	struct timeval timeout;
	unsigned retries;
	struct query_list queue; /* waiting for a slot */
	struct query_list later; /* finished, delivery deferred */
	struct attempt_list inflight;
	unsigned ninflight, nqueued;
	bool submitting; /* inside ub_resolve_event() */
	struct nh_dns_stats stats;
};

static void pump(struct nh_dns *d);

static double
elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

const char *
nh_dns_sec_name(enum nh_dns_sec s)
{
	switch (s) {
	case NH_DNS_SECURE:
		return "secure";
	case NH_DNS_BOGUS:
		return "bogus";
	case NH_DNS_INSECURE:
		break;
	}
	return "insecure";
}

static void
query_free(struct nh_dns_query *q)
{
	if (q == NULL)
		return;
	if (q->later != NULL)
		event_free(q->later);
	ldns_pkt_free(q->pkt);
	free(q->why_bogus);
	free(q->name);
	free(q);
}

static void
attempt_free(struct attempt *a)
{
	struct nh_dns *d = a->d;

	TAILQ_REMOVE(&d->inflight, a, link);
	d->ninflight--;
	if (a->timer != NULL)
		event_free(a->timer);
	free(a);
}

/* Calls the query's callback with its outcome, then frees the query. */
static void
deliver(struct nh_dns_query *q)
{
	struct nh_dns_answer ans = {
		.name = q->name,
		.type = q->type,
		.status = q->status,
		.rcode = q->rcode,
		.sec = q->sec,
		.why_bogus = q->why_bogus,
		.pkt = q->pkt,
		.error = q->error,
		.ms = elapsed_ms(&q->start),
		.attempts = q->attempts,
	};

	switch (q->status) {
	case NH_DNS_OK:
		q->d->stats.answered++;
		break;
	case NH_DNS_TIMEOUT:
		q->d->stats.timeouts++;
		break;
	case NH_DNS_FAILED:
		q->d->stats.failures++;
		break;
	}
	q->cb(&ans, q->arg);
	query_free(q);
}

static void
deliver_later_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nh_dns_query *q = arg;

	(void)fd;
	(void)what;
	TAILQ_REMOVE(&q->d->later, q, link);
	deliver(q);
}

/*
 * Delivers now, or, when libunbound answered inside ub_resolve_event()
 * (local data) or the loop must not be re-entered, on the next loop turn:
 * a callback never runs inside the call that started the work.
 */
static void
finish(struct nh_dns_query *q)
{
	static const struct timeval zero = { 0, 0 };

	if (q->d->submitting) {
		q->later = evtimer_new(q->d->base, deliver_later_cb, q);
		if (q->later != NULL && evtimer_add(q->later, &zero) == 0) {
			TAILQ_INSERT_TAIL(&q->d->later, q, link);
			return;
		}
		/* Out of memory: deliver now rather than lose the query. */
	}
	deliver(q);
}

static void submit(struct nh_dns_query *q);

static void
on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct attempt *a = arg;
	struct nh_dns_query *q = a->q;

	(void)fd;
	(void)what;
	if (q == NULL)
		return;
	/* The attempt becomes an orphan until libunbound answers it. */
	a->q = NULL;
	q->att = NULL;
	if (q->attempts <= q->d->retries) {
		/* Retry ahead of the queue: it has waited already. */
		TAILQ_INSERT_HEAD(&q->d->queue, q, link);
		q->d->nqueued++;
		pump(q->d);
		return;
	}
	q->status = NH_DNS_TIMEOUT;
	q->error = "no answer in time";
	finish(q);
}

static void
on_answer(void *arg, int rcode, void *packet, int len, int sec, char *why_bogus,
    int was_ratelimited)
{
	struct attempt *a = arg;
	struct nh_dns *d = a->d;
	struct nh_dns_query *q = a->q;

	(void)was_ratelimited;
	attempt_free(a);
	if (q != NULL) {
		q->att = NULL;
		q->status = NH_DNS_OK;
		q->rcode = rcode;
		q->sec = sec == 2 ? NH_DNS_SECURE
		    : sec == 1    ? NH_DNS_BOGUS
				  : NH_DNS_INSECURE;
		if (why_bogus != NULL && q->sec == NH_DNS_BOGUS)
			q->why_bogus = strdup(why_bogus);
		/*
		 * libunbound's rcode is 0 for any answer it has a packet for
		 * (NXDOMAIN included) and non-zero (SERVFAIL) for none: the
		 * DNS rcode is the packet's.
		 */
		if (rcode == LDNS_RCODE_NOERROR && packet != NULL && len > 0) {
			if (ldns_wire2pkt(&q->pkt, packet, (size_t)len) ==
			    LDNS_STATUS_OK) {
				q->rcode = ldns_pkt_get_rcode(q->pkt);
			} else {
				q->pkt = NULL;
				q->status = NH_DNS_FAILED;
				q->error =
				    "unparsable answer from the resolver";
			}
		}
		finish(q);
	}
	/* A slot is free; not from inside ub_resolve_event(). */
	if (!d->submitting)
		pump(d);
}

static void
submit(struct nh_dns_query *q)
{
	struct nh_dns *d = q->d;
	struct attempt *a;
	int rc, id;

	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->timer = evtimer_new(d->base, on_timeout, a)) == NULL) {
		free(a);
		q->status = NH_DNS_FAILED;
		q->error = "out of memory";
		finish(q);
		return;
	}
	a->d = d;
	a->q = q;
	q->att = a;
	q->attempts++;
	TAILQ_INSERT_TAIL(&d->inflight, a, link);
	d->ninflight++;
	d->stats.submitted++;
	evtimer_add(a->timer, &d->timeout);
	d->submitting = true;
	rc = ub_resolve_event(
	    d->ctx, q->name, q->type, LDNS_RR_CLASS_IN, a, on_answer, &id);
	if (rc != 0) {
		/* No callback will come for this attempt. */
		attempt_free(a);
		q->att = NULL;
		q->status = NH_DNS_FAILED;
		q->error = ub_strerror(rc);
		finish(q);
	}
	d->submitting = false;
}

static void
pump(struct nh_dns *d)
{
	struct nh_dns_query *q;

	while (d->ninflight < d->max_inflight &&
	    (q = TAILQ_FIRST(&d->queue)) != NULL) {
		TAILQ_REMOVE(&d->queue, q, link);
		d->nqueued--;
		submit(q);
	}
}

struct nh_dns_query *
nh_dns_resolve(
    struct nh_dns *d, const char *name, uint16_t type, nh_dns_cb cb, void *arg)
{
	struct nh_dns_query *q;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	if ((q->name = strdup(name)) == NULL) {
		free(q);
		return NULL;
	}
	q->d = d;
	q->type = type;
	q->cb = cb;
	q->arg = arg;
	clock_gettime(CLOCK_MONOTONIC, &q->start);
	TAILQ_INSERT_TAIL(&d->queue, q, link);
	d->nqueued++;
	if (d->nqueued > d->stats.queued_max)
		d->stats.queued_max = d->nqueued;
	pump(d);
	return q;
}

void
nh_dns_cancel(struct nh_dns_query *q)
{
	struct nh_dns *d = q->d;

	if (q->later != NULL) {
		/* Finished, waiting for delivery. */
		TAILQ_REMOVE(&d->later, q, link);
		query_free(q);
		return;
	}
	if (q->att != NULL) {
		q->att->q = NULL; /* orphan; libunbound still answers */
		evtimer_del(q->att->timer);
	} else {
		TAILQ_REMOVE(&d->queue, q, link);
		d->nqueued--;
	}
	query_free(q);
}

void
nh_dns_stats(const struct nh_dns *d, struct nh_dns_stats *out)
{
	*out = d->stats;
	out->inflight = d->ninflight;
	out->queued = d->nqueued;
}

/* Sets a libunbound option; returns 0 or -1 with *err set. */
static int
set_option(
    struct ub_ctx *ctx, const char *opt, const char *val, const char **err)
{
	int rc = ub_ctx_set_option(ctx, opt, val);

	if (rc != 0) {
		*err = ub_strerror(rc);
		return -1;
	}
	return 0;
}

struct nh_dns *
nh_dns_new(
    struct event_base *base, const struct nh_dns_config *cfg, const char **err)
{
	struct nh_dns *d;
	const char *ta;
	double t;
	int rc;

	*err = NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		*err = "out of memory";
		return NULL;
	}
	d->base = base;
	TAILQ_INIT(&d->queue);
	TAILQ_INIT(&d->later);
	TAILQ_INIT(&d->inflight);
	d->max_inflight =
	    cfg->max_inflight ? cfg->max_inflight : DEFAULT_MAX_INFLIGHT;
	t = cfg->timeout > 0 ? cfg->timeout : DEFAULT_TIMEOUT;
	d->timeout.tv_sec = (time_t)t;
	d->timeout.tv_usec = (suseconds_t)((t - (double)(time_t)t) * 1e6);
	d->retries = cfg->retries;
	if ((d->ctx = ub_ctx_create_event(base)) == NULL) {
		*err = "cannot create the libunbound context";
		goto fail;
	}
	if (cfg->conf_file != NULL) {
		if (access(cfg->conf_file, R_OK) == -1) {
			*err = strerror(errno);
			goto fail;
		}
		if ((rc = ub_ctx_config(d->ctx, cfg->conf_file)) != 0) {
			*err = ub_strerror(rc);
			goto fail;
		}
	} else {
		/* The Internet: built-in root hints, the system's anchor. */
		ta = cfg->trust_anchor ? cfg->trust_anchor
				       : DEFAULT_TRUST_ANCHOR;
		if (access(ta, R_OK) == -1) {
			*err = "no root trust anchor (install dns-root-data, "
			       "or give --resolver-conf)";
			goto fail;
		}
		if ((rc = ub_ctx_add_ta_file(d->ctx, ta)) != 0) {
			*err = ub_strerror(rc);
			goto fail;
		}
	}
	/* Validation failures explained, for the reports. */
	if (set_option(d->ctx, "val-log-level:", "2", err) == -1)
		goto fail;
	/* A server testing names for strangers: no query to a name server
	 * on a non-public address either (the connection guard, net.h). */
	for (size_t i = 0; nh_net_public_only() && nh_net_special_cidrs[i];
	     i++) {
		if (set_option(d->ctx, "do-not-query-address:",
			nh_net_special_cidrs[i], err) == -1)
			goto fail;
	}
	return d;
fail:
	nh_dns_free(d);
	return NULL;
}

void
nh_dns_free(struct nh_dns *d)
{
	struct nh_dns_query *q;
	struct attempt *a;

	if (d == NULL)
		return;
	/* Deleting the context drops its queries without callbacks. */
	if (d->ctx != NULL)
		ub_ctx_delete(d->ctx);
	while ((a = TAILQ_FIRST(&d->inflight)) != NULL) {
		query_free(a->q);
		attempt_free(a);
	}
	while ((q = TAILQ_FIRST(&d->queue)) != NULL) {
		TAILQ_REMOVE(&d->queue, q, link);
		query_free(q);
	}
	while ((q = TAILQ_FIRST(&d->later)) != NULL) {
		TAILQ_REMOVE(&d->later, q, link);
		query_free(q);
	}
	free(d);
}
