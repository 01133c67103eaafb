/*
 * scan.c: a survey's sending and receiving: one UDP socket per address
 * family, probes in batches (sendmmsg) at a steady rate, answers drained
 * (recvmmsg) between batches and for `wait` seconds after the last one.
 *
 * Matching is stateless where the protocol allows: an answer is
 * attributed to the service whose port it comes from, and the parser
 * checks that it echoes the cookie derived from the seed, the address and
 * the service (nh_survey_cookie), so nothing is kept per probe sent. What
 * is kept is one record per address and service that answered (bytes and
 * packets counted over every answer packet, the amplification factor at
 * the end).
 *
 * Pacing: probe number i is due at start + i / rate; a batch leaves when
 * its first probe is due, and holds at most rate / 100 probes (so a batch
 * is at most 10 ms of the rate's worth), at most 64.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "survey.h"

#define BATCH_MAX 64
#define RECV_BATCH 64
#define ANSWER_MAX 2048 /* bytes of an answer datagram read */

struct rec {
	struct nh_survey_record r;
	uint8_t addr[16];
	int family;
	bool used;
};

struct table {
	struct rec *v;
	size_t cap, n;
};

struct run {
	const struct nh_survey_config *c;
	struct nh_survey_stats *st;
	int fd4, fd6;
	struct table t;
	size_t probe_len[NH_SVC_COUNT];
	double t0; /* monotonic seconds at the first probe */
	char *err;
	size_t errlen;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t
hash_key(const uint8_t *addr, int family, enum nh_svc s)
{
	uint64_t h =
	    1469598103934665603ULL ^ (uint64_t)s ^ ((uint64_t)family << 8);

	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 1099511628211ULL;
	return h;
}

/* The record of (addr, svc), made when absent; NULL out of memory. */
static struct rec *
table_get(struct table *t, const uint8_t *addr, int family, enum nh_svc s)
{
	if (t->n * 2 >= t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 1024;
		struct rec *v = calloc(cap, sizeof(*v));

		if (v == NULL)
			return NULL;
		for (size_t i = 0; i < t->cap; i++) {
			struct rec *o = &t->v[i];
			size_t j;

			if (!o->used)
				continue;
			j = hash_key(o->addr, o->family, o->r.svc) & (cap - 1);
			while (v[j].used)
				j = (j + 1) & (cap - 1);
			v[j] = *o;
		}
		free(t->v);
		t->v = v;
		t->cap = cap;
	}
	for (size_t j = hash_key(addr, family, s) & (t->cap - 1);;
	     j = (j + 1) & (t->cap - 1)) {
		struct rec *e = &t->v[j];

		if (!e->used) {
			memset(e, 0, sizeof(*e));
			e->used = true;
			memcpy(e->addr, addr, 16);
			e->family = family;
			e->r.svc = s;
			t->n++;
			return e;
		}
		if (e->family == family && e->r.svc == s &&
		    memcmp(e->addr, addr, 16) == 0)
			return e;
	}
}

static void
addr_sockaddr(const uint8_t *addr, int family, uint16_t port,
    struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (family == 4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, addr, 4);
		*len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, addr, 16);
		*len = sizeof(*s6);
	}
}

/* One answer datagram from ss: attributed, checked, counted. */
static void
on_answer(struct run *x, const struct sockaddr_storage *ss, const uint8_t *buf,
    size_t len)
{
	uint8_t addr[16] = { 0 };
	int family;
	uint16_t port;
	struct nh_survey_answer a;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		memcpy(addr, &s4->sin_addr, 4);
		family = 4;
		port = ntohs(s4->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		memcpy(addr, &s6->sin6_addr, 16);
		family = 6;
		port = ntohs(s6->sin6_port);
	} else {
		x->st->stray++;
		return;
	}
	/* Never count an address the survey may not probe. */
	if (nh_cidr_list_contains(x->c->exclude, addr, family) ||
	    !nh_cidr_list_contains(&x->c->targets->blocks, addr, family)) {
		x->st->stray++;
		return;
	}
	for (int s = 0; s < NH_SVC_COUNT; s++) {
		struct rec *e;
		uint32_t cookie;

		if (!(x->c->services & (1u << s)) ||
		    nh_svc_table[s].port != port)
			continue;
		cookie = nh_survey_cookie(x->c->seed, addr, family, s);
		memset(&a, 0, sizeof(a));
		if (nh_survey_parse(s, buf, len, cookie, &a) == -1 ||
		    !a.matched)
			continue;
		if ((e = table_get(&x->t, addr, family, s)) == NULL)
			return;
		e->r.packets_in++;
		e->r.bytes_in += (uint32_t)len;
		if (a.open)
			e->r.open = true;
		if (e->r.detail[0] == '\0' && a.detail[0] != '\0')
			snprintf(
			    e->r.detail, sizeof(e->r.detail), "%s", a.detail);
		x->st->answers++;
		return;
	}
	x->st->stray++;
}

/* Reads what has come, without waiting. */
static void
drain(struct run *x, int fd)
{
	static uint8_t bufs[RECV_BATCH][ANSWER_MAX];
	struct mmsghdr m[RECV_BATCH];
	struct iovec iov[RECV_BATCH];
	struct sockaddr_storage from[RECV_BATCH];
	int n;

	if (fd < 0)
		return;
	do {
		memset(m, 0, sizeof(m));
		for (int i = 0; i < RECV_BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = sizeof(bufs[i]);
			m[i].msg_hdr.msg_iov = &iov[i];
			m[i].msg_hdr.msg_iovlen = 1;
			m[i].msg_hdr.msg_name = &from[i];
			m[i].msg_hdr.msg_namelen = sizeof(from[i]);
		}
		n = recvmmsg(fd, m, RECV_BATCH, MSG_DONTWAIT, NULL);
		for (int i = 0; i < n; i++)
			on_answer(x, &from[i], bufs[i], m[i].msg_len);
	} while (n == RECV_BATCH);
}

/* Waits until t (monotonic seconds), reading answers meanwhile. */
static void
wait_until(struct run *x, double t)
{
	struct pollfd p[2] = { { x->fd4, POLLIN, 0 }, { x->fd6, POLLIN, 0 } };

	for (;;) {
		double left;
		struct timespec ts;

		drain(x, x->fd4);
		drain(x, x->fd6);
		if ((left = t - now_s()) <= 0)
			return;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		ppoll(p, 2, &ts, NULL);
	}
}

static int
open_socket(int family, char *err, size_t errlen)
{
	int fd = socket(family == 4 ? AF_INET : AF_INET6,
	    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int big = 4 * 1024 * 1024, one = 1;

	if (fd == -1) {
		snprintf(err, errlen, "cannot open an IPv%d UDP socket: %s",
		    family, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	if (family == 6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	return fd;
}

/* One probe waiting in the batch. */
struct out {
	uint8_t buf[NH_SURVEY_MAX_PROBE];
	size_t len;
	struct sockaddr_storage to;
	socklen_t tolen;
	int family;
};

/* Sends the batch's probes of one family; counts what left. */
static void
send_family(struct run *x, struct out *o, int n, int family)
{
	struct mmsghdr m[BATCH_MAX];
	struct iovec iov[BATCH_MAX];
	int k = 0, fd = family == 4 ? x->fd4 : x->fd6, done = 0;

	for (int i = 0; i < n; i++) {
		if (o[i].family != family)
			continue;
		memset(&m[k], 0, sizeof(m[k]));
		iov[k].iov_base = o[i].buf;
		iov[k].iov_len = o[i].len;
		m[k].msg_hdr.msg_iov = &iov[k];
		m[k].msg_hdr.msg_iovlen = 1;
		m[k].msg_hdr.msg_name = &o[i].to;
		m[k].msg_hdr.msg_namelen = o[i].tolen;
		k++;
	}
	while (done < k) {
		int r = sendmmsg(fd, m + done, (unsigned)(k - done), 0);

		if (r > 0) {
			done += r;
			x->st->sent += (uint64_t)r;
		} else if (r == -1 && (errno == EAGAIN || errno == ENOBUFS)) {
			struct pollfd p = { fd, POLLOUT, 0 };

			poll(&p, 1, 10);
		} else if (r == -1 && errno == EINTR) {
			continue;
		} else {
			/* This probe cannot leave (no route, refused by
			 * a local firewall): skip it. */
			x->st->send_errors++;
			done++;
		}
	}
}

static void
send_batch(struct run *x, struct out *o, int n)
{
	send_family(x, o, n, 4);
	send_family(x, o, n, 6);
}

/* Hands every record over. Returns 0, or -1 when on_record refused. */
static int
emit(struct run *x, time_t when)
{
	for (size_t i = 0; i < x->t.cap; i++) {
		struct rec *e = &x->t.v[i];
		struct nh_survey_record *r = &e->r;

		if (!e->used)
			continue;
		inet_ntop(e->family == 4 ? AF_INET : AF_INET6, e->addr, r->ip,
		    sizeof(r->ip));
		r->ts = when;
		r->port = nh_svc_table[r->svc].port;
		r->bytes_out = (uint32_t)x->probe_len[r->svc];
		r->amplification = r->bytes_out > 0
		    ? (double)r->bytes_in / (double)r->bytes_out
		    : -1;
		snprintf(r->source, sizeof(r->source), "survey");
		if (r->open)
			x->st->open++;
		if (x->c->on_record != NULL && x->c->on_record(r, x->c->arg)) {
			snprintf(x->err, x->errlen, "a record was refused");
			return -1;
		}
	}
	return 0;
}

static void
progress(struct run *x, double *next)
{
	double t = now_s();

	if (x->c->progress == NULL || t < *next)
		return;
	*next = t + 0.25;
	x->st->elapsed = t - x->t0;
	x->c->progress(x->st, x->c->arg);
}

int
nh_survey_run(const struct nh_survey_config *c, struct nh_survey_stats *st,
    char *err, size_t errlen)
{
	struct run x = { .c = c,
		.st = st,
		.fd4 = -1,
		.fd6 = -1,
		.err = err,
		.errlen = errlen };
	enum nh_svc svcs[NH_SVC_COUNT];
	unsigned nsvc = 0, k = c->shard_k ? c->shard_k : 1,
		 n = c->shard_n ? c->shard_n : 1;
	static struct out o[BATCH_MAX];
	struct nh_perm perm;
	uint64_t pairs, scheduled = 0;
	int nb = 0, batch;
	double next_tick = 0, rate = c->rate > 0 ? c->rate : 100;
	time_t when = time(NULL);
	const struct nh_survey_probe_opts popts = { c->contact, c->dns_zone };
	int rc = -1;

	memset(st, 0, sizeof(*st));
	for (int s = 0; s < NH_SVC_COUNT; s++) {
		if (c->services & (1u << s))
			svcs[nsvc++] = s;
	}
	if (nsvc == 0 || c->targets->total == 0) {
		snprintf(err, errlen, "nothing to survey");
		return -1;
	}
	pairs = c->targets->total * nsvc;
	nh_perm_init(&perm, pairs, c->seed);
	st->pairs = pairs > k - 1 ? (pairs - (k - 1) + n - 1) / n : 0;
	for (size_t b = 0; !c->dry_run && b < c->targets->blocks.n; b++) {
		int fam = c->targets->blocks.v[b].family;
		int *fd = fam == 4 ? &x.fd4 : &x.fd6;

		if (*fd == -1 && (*fd = open_socket(fam, err, errlen)) == -1)
			goto out;
	}
	batch = (int)(rate / 100);
	batch = batch < 1 ? 1 : batch > BATCH_MAX ? BATCH_MAX : batch;
	x.t0 = now_s();
	for (uint64_t pos = k - 1; pos < pairs; pos += n) {
		uint64_t v = nh_perm_at(&perm, pos);
		enum nh_svc s = svcs[v % nsvc];
		struct out *p = &o[nb];
		uint8_t addr[16];
		int fam;

		nh_survey_target_at(c->targets, v / nsvc, addr, &fam);
		if (nh_cidr_list_contains(c->exclude, addr, fam)) {
			st->excluded++;
			continue;
		}
		p->len =
		    nh_survey_probe(s, nh_survey_cookie(c->seed, addr, fam, s),
			&popts, p->buf, sizeof(p->buf));
		if (p->len == 0)
			continue;
		x.probe_len[s] = p->len;
		if (c->dry_run) {
			char ip[INET6_ADDRSTRLEN];

			inet_ntop(fam == 4 ? AF_INET : AF_INET6, addr, ip,
			    sizeof(ip));
			fprintf(c->dry_out, "%s %s udp/%u %zu bytes\n", ip,
			    nh_svc_table[s].name, nh_svc_table[s].port, p->len);
			st->sent++;
			continue;
		}
		addr_sockaddr(
		    addr, fam, nh_svc_table[s].port, &p->to, &p->tolen);
		p->family = fam;
		if (++nb == batch) {
			wait_until(&x, x.t0 + (double)scheduled / rate);
			send_batch(&x, o, nb);
			scheduled += (uint64_t)nb;
			nb = 0;
			progress(&x, &next_tick);
		}
	}
	if (nb > 0) {
		wait_until(&x, x.t0 + (double)scheduled / rate);
		send_batch(&x, o, nb);
	}
	st->sending = now_s() - x.t0;
	if (!c->dry_run)
		wait_until(&x, now_s() + c->wait);
	st->elapsed = now_s() - x.t0;
	rc = emit(&x, when);
	if (c->progress != NULL)
		c->progress(st, c->arg);
out:
	if (x.fd4 >= 0)
		close(x.fd4);
	if (x.fd6 >= 0)
		close(x.fd6);
	free(x.t.v);
	return rc;
}
