/*
 * direct.c: the direct query probe: one DNS question to one server
 * address, UDP first, TCP when the UDP answer is truncated or does not
 * come. A non-blocking state machine on the libevent loop.
 *
 * Bounds: a UDP datagram is read into a 64 KiB buffer (the DNS maximum);
 * a TCP answer's size is its 2-byte length prefix, so at most 65535 bytes;
 * each transport gets `timeout` seconds. A datagram that is not an answer
 * to our question (wrong id, wrong question, garbage) is ignored, as RFC
 * 5452 §9.1 asks of a resolver.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "dns.h"
#include "net/net.h"

#define DNS_MAX_MSG 65535
#define EDNS_UDP_SIZE 1232 /* DNS flag day 2020 */

enum dstate {
	D_UDP,
	D_TCP_CONNECT,
	D_TCP_WRITE,
	D_TCP_READ_LEN,
	D_TCP_READ_BODY,
};

struct nh_dns_direct {
	struct event_base *base;
	struct sockaddr_storage sa;
	socklen_t salen;
	ldns_rdf *qname;
	uint16_t qtype, id;
	uint8_t *query; /* 2-byte length prefix + message */
	size_t qlen;    /* message length, without prefix */
	struct timeval timeout;
	int fd;
	struct event *ev, *timer;
	enum dstate state;
	size_t done; /* bytes written or read so far */
	uint8_t lenbuf[2];
	uint8_t *resp;
	size_t resplen;
	bool udp_truncated, udp_timed_out;
	const char *udp_error;
	nh_dns_direct_cb cb;
	void *arg;
	struct timespec start;
};

int
nh_dns_check_response(const uint8_t *buf, size_t len, uint16_t id,
    const ldns_rdf *qname, uint16_t qtype, ldns_pkt **out, const char **why)
{
	ldns_pkt *p = NULL;
	ldns_rr *q;

	*out = NULL;
	if (len < LDNS_HEADER_SIZE || len > DNS_MAX_MSG) {
		*why = "message too short or too long";
		return -1;
	}
	if (ldns_wire2pkt(&p, buf, len) != LDNS_STATUS_OK) {
		*why = "malformed message";
		return -1;
	}
	if (!ldns_pkt_qr(p)) {
		*why = "not a response";
		goto fail;
	}
	if (ldns_pkt_id(p) != id) {
		*why = "response to another query (id)";
		goto fail;
	}
	if (ldns_pkt_qdcount(p) != 1 ||
	    (q = ldns_rr_list_rr(ldns_pkt_question(p), 0)) == NULL ||
	    ldns_rr_get_type(q) != qtype ||
	    ldns_dname_compare(ldns_rr_owner(q), qname) != 0) {
		*why = "response to another question";
		goto fail;
	}
	*out = p;
	return 0;
fail:
	ldns_pkt_free(p);
	return -1;
}

static double
elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static void
close_transport(struct nh_dns_direct *q)
{
	if (q->ev != NULL) {
		event_free(q->ev);
		q->ev = NULL;
	}
	if (q->fd >= 0) {
		close(q->fd);
		q->fd = -1;
	}
}

void
nh_dns_direct_cancel(struct nh_dns_direct *q)
{
	if (q == NULL)
		return;
	close_transport(q);
	if (q->timer != NULL)
		event_free(q->timer);
	ldns_rdf_deep_free(q->qname);
	free(q->query);
	free(q->resp);
	free(q);
}

/* Reports the outcome and frees the query. */
static void
finish(struct nh_dns_direct *q, enum nh_dns_status st, ldns_pkt *pkt, bool tcp,
    const char *error)
{
	struct nh_dns_direct_result r = {
		.status = st,
		.tcp = tcp,
		.udp_truncated = q->udp_truncated,
		.udp_answered = pkt != NULL && !tcp,
		.rcode = pkt ? ldns_pkt_get_rcode(pkt) : 0,
		.aa = pkt ? ldns_pkt_aa(pkt) : false,
		.pkt = pkt,
		.error = error,
		.ms = elapsed_ms(&q->start),
	};

	q->cb(&r, q->arg);
	ldns_pkt_free(pkt);
	nh_dns_direct_cancel(q);
}

static void tcp_start(struct nh_dns_direct *q);

/* UDP failed (error, timeout, truncation): over to TCP. */
static void
udp_give_up(struct nh_dns_direct *q, const char *why)
{
	q->udp_error = why;
	close_transport(q);
	tcp_start(q);
}

static void
on_udp(evutil_socket_t fd, short what, void *arg)
{
	struct nh_dns_direct *q = arg;
	uint8_t buf[DNS_MAX_MSG];
	ldns_pkt *p;
	const char *why;
	ssize_t n;

	(void)what;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == EINTR)
				continue;
			/* ICMP port unreachable and the like. */
			udp_give_up(q, strerror(errno));
			return;
		}
		if (nh_dns_check_response(buf, (size_t)n, q->id, q->qname,
			q->qtype, &p, &why) == -1)
			continue; /* not ours: keep waiting */
		if (ldns_pkt_tc(p)) {
			ldns_pkt_free(p);
			q->udp_truncated = true;
			udp_give_up(q, "truncated");
			return;
		}
		finish(q, NH_DNS_OK, p, false, NULL);
		return;
	}
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct nh_dns_direct *q = arg;

	(void)fd;
	(void)what;
	if (q->state == D_UDP) {
		if (q->fd == -1) {
			tcp_start(q); /* UDP could not even be sent */
			return;
		}
		q->udp_timed_out = true;
		udp_give_up(q, "no answer over UDP");
		return;
	}
	finish(q, NH_DNS_TIMEOUT, NULL, true,
	    "no answer over UDP or TCP in "
	    "time");
}

/* TCP failed: the result says why, and whether UDP timed out. */
static void
tcp_fail(struct nh_dns_direct *q, const char *why)
{
	finish(q, q->udp_timed_out ? NH_DNS_TIMEOUT : NH_DNS_FAILED, NULL, true,
	    why);
}

static void
on_tcp(evutil_socket_t fd, short what, void *arg)
{
	struct nh_dns_direct *q = arg;
	ldns_pkt *p;
	const char *why;
	ssize_t n;
	int err;
	socklen_t elen = sizeof(err);

	(void)what;
	switch (q->state) {
	case D_TCP_CONNECT:
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == -1)
			err = errno;
		if (err != 0) {
			tcp_fail(q, strerror(err));
			return;
		}
		q->state = D_TCP_WRITE;
		q->done = 0;
		/* FALLTHROUGH */
	case D_TCP_WRITE:
		n = send(fd, q->query + q->done, q->qlen + 2 - q->done,
		    MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			tcp_fail(q, strerror(errno));
			return;
		}
		q->done += (size_t)n;
		if (q->done < q->qlen + 2)
			return;
		/* Now wait for the answer. */
		event_free(q->ev);
		q->ev = event_new(q->base, fd, EV_READ | EV_PERSIST, on_tcp, q);
		if (q->ev == NULL || event_add(q->ev, NULL) == -1) {
			tcp_fail(q, "out of memory");
			return;
		}
		q->state = D_TCP_READ_LEN;
		q->done = 0;
		return;
	case D_TCP_READ_LEN:
		n = recv(fd, q->lenbuf + q->done, 2 - q->done, 0);
		if (n <= 0)
			goto read_error;
		if ((q->done += (size_t)n) < 2)
			return;
		q->resplen = (size_t)q->lenbuf[0] << 8 | q->lenbuf[1];
		if (q->resplen < LDNS_HEADER_SIZE ||
		    (q->resp = malloc(q->resplen)) == NULL) {
			tcp_fail(q, "bad answer length over TCP");
			return;
		}
		q->state = D_TCP_READ_BODY;
		q->done = 0;
		return;
	case D_TCP_READ_BODY:
		n = recv(fd, q->resp + q->done, q->resplen - q->done, 0);
		if (n <= 0)
			goto read_error;
		if ((q->done += (size_t)n) < q->resplen)
			return;
		if (nh_dns_check_response(q->resp, q->resplen, q->id, q->qname,
			q->qtype, &p, &why) == -1) {
			tcp_fail(q, why);
			return;
		}
		finish(q, NH_DNS_OK, p, true, NULL);
		return;
	case D_UDP:
		break;
	}
	return;
read_error:
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	tcp_fail(q,
	    n == 0 ? "connection closed before the answer" : strerror(errno));
}

static void
tcp_start(struct nh_dns_direct *q)
{
	q->fd = socket(
	    q->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (q->fd == -1) {
		tcp_fail(q, strerror(errno));
		return;
	}
	if (connect(q->fd, (struct sockaddr *)&q->sa, q->salen) == -1 &&
	    errno != EINPROGRESS) {
		tcp_fail(q, strerror(errno));
		return;
	}
	q->state = D_TCP_CONNECT;
	q->ev = event_new(q->base, q->fd, EV_WRITE | EV_PERSIST, on_tcp, q);
	if (q->ev == NULL || event_add(q->ev, NULL) == -1 ||
	    evtimer_add(q->timer, &q->timeout) == -1)
		tcp_fail(q, "out of memory");
}

/* Builds the query message. Returns 0, or -1 with *err set. */
static int
build_query(
    struct nh_dns_direct *q, const char *name, unsigned flags, const char **err)
{
	ldns_pkt *p = NULL;
	uint8_t *wire = NULL;
	size_t len;
	ldns_status st;

	if (ldns_str2rdf_dname(&q->qname, name) != LDNS_STATUS_OK) {
		*err = "not a domain name";
		return -1;
	}
	p = ldns_pkt_query_new(ldns_rdf_clone(q->qname), q->qtype,
	    LDNS_RR_CLASS_IN,
	    (flags & NH_DNS_Q_RD ? LDNS_RD : 0) |
		(flags & NH_DNS_Q_CD ? LDNS_CD : 0));
	if (p == NULL) {
		*err = "out of memory";
		return -1;
	}
	q->id = (uint16_t)arc4random();
	ldns_pkt_set_id(p, q->id);
	ldns_pkt_set_edns_udp_size(p, EDNS_UDP_SIZE);
	ldns_pkt_set_edns_do(p, (flags & NH_DNS_Q_DO) != 0);
	st = ldns_pkt2wire(&wire, p, &len);
	ldns_pkt_free(p);
	if (st != LDNS_STATUS_OK || len > DNS_MAX_MSG ||
	    (q->query = malloc(len + 2)) == NULL) {
		free(wire);
		*err = "cannot build the query";
		return -1;
	}
	q->query[0] = (uint8_t)(len >> 8);
	q->query[1] = (uint8_t)len;
	memcpy(q->query + 2, wire, len);
	q->qlen = len;
	free(wire);
	return 0;
}

struct nh_dns_direct *
nh_dns_direct_query(struct event_base *base, const struct sockaddr *sa,
    socklen_t salen, const char *name, uint16_t type, unsigned flags,
    double timeout, nh_dns_direct_cb cb, void *arg, const char **err)
{
	struct nh_dns_direct *q;

	if (salen > sizeof(q->sa)) {
		*err = "bad address";
		return NULL;
	}
	if (!nh_net_may_connect(sa)) {
		*err = NH_NET_NOT_PUBLIC;
		return NULL;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL) {
		*err = "out of memory";
		return NULL;
	}
	q->fd = -1;
	q->base = base;
	memcpy(&q->sa, sa, salen);
	q->salen = salen;
	q->qtype = type;
	q->cb = cb;
	q->arg = arg;
	q->timeout.tv_sec = (time_t)timeout;
	q->timeout.tv_usec =
	    (suseconds_t)((timeout - (double)(time_t)timeout) * 1e6);
	clock_gettime(CLOCK_MONOTONIC, &q->start);
	if (build_query(q, name, flags, err) == -1)
		goto fail;
	if ((q->timer = evtimer_new(base, on_timer, q)) == NULL) {
		*err = "out of memory";
		goto fail;
	}
	q->fd =
	    socket(sa->sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (q->fd == -1) {
		*err = strerror(errno);
		goto fail;
	}
	q->state = D_UDP;
	/* A connected socket takes datagrams from that server only. */
	if (connect(q->fd, sa, salen) == -1 ||
	    send(q->fd, q->query + 2, q->qlen, 0) == -1) {
		/* No UDP route or refusal: TCP may still work; on the loop. */
		static const struct timeval now = { 0, 0 };

		q->udp_error = strerror(errno);
		close(q->fd);
		q->fd = -1;
		/* A zero timer moves to TCP (on_timer, state D_UDP, no fd). */
		if (evtimer_add(q->timer, &now) == -1) {
			*err = "out of memory";
			goto fail;
		}
		return q;
	}
	q->ev = event_new(base, q->fd, EV_READ | EV_PERSIST, on_udp, q);
	if (q->ev == NULL || event_add(q->ev, NULL) == -1 ||
	    evtimer_add(q->timer, &q->timeout) == -1) {
		*err = "out of memory";
		goto fail;
	}
	return q;
fail:
	nh_dns_direct_cancel(q);
	return NULL;
}
