/*
 * conn.c: one probe connection: open a stream (plain TCP, or the mail
 * layer's STARTTLS opener), send a ClientHello, read the server's first
 * flight into the decoder, close. A non-blocking state machine on the
 * libevent loop, bounded in time (one timeout for the whole exchange) and
 * in memory (the decoder's caps).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "net/net.h"
#include "tls_impl.h"

enum state {
	S_OPENING,
	S_WRITING,
	S_READING,
};

struct nh_tls_conn {
	struct event_base *base;
	const struct nh_stream_opener *opener;
	void *opening; /* the opener's handle */
	int fd;
	struct event *ev, *timer;
	enum state state;
	uint8_t *hello;
	size_t hello_len, written, bytes_in;
	struct nh_tls_parser *parser;
	nh_tls_conn_cb cb;
	void *arg;
	struct timespec start;
};

void
nh_tls_conn_cancel(struct nh_tls_conn *c)
{
	if (c == NULL)
		return;
	if (c->opening != NULL)
		c->opener->cancel(c->opening);
	if (c->ev != NULL)
		event_free(c->ev);
	if (c->timer != NULL)
		event_free(c->timer);
	if (c->fd >= 0)
		close(c->fd);
	if (c->parser != NULL) {
		nh_tls_parser_free(c->parser);
		free(c->parser);
	}
	free(c->hello);
	free(c);
}

static void
finish(struct nh_tls_conn *c, enum nh_tls_outcome o, const char *error)
{
	struct timespec now;
	struct nh_tls_conn_result r = {
		.outcome = o,
		.server = &c->parser->s,
		.error = error,
		.bytes_in = c->bytes_in,
	};

	clock_gettime(CLOCK_MONOTONIC, &now);
	r.ms = (double)(now.tv_sec - c->start.tv_sec) * 1e3 +
	    (double)(now.tv_nsec - c->start.tv_nsec) / 1e6;
	c->cb(&r, c->arg);
	nh_tls_conn_cancel(c);
}

static void
on_io(evutil_socket_t fd, short what, void *arg)
{
	struct nh_tls_conn *c = arg;
	uint8_t buf[16384];
	ssize_t n;

	(void)what;
	if (c->state == S_WRITING) {
		n = send(fd, c->hello + c->written, c->hello_len - c->written,
		    MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			finish(c, NH_TLS_CLOSED, strerror(errno));
			return;
		}
		if ((c->written += (size_t)n) < c->hello_len)
			return;
		event_free(c->ev);
		c->ev = event_new(c->base, fd, EV_READ | EV_PERSIST, on_io, c);
		if (c->ev == NULL || event_add(c->ev, NULL) == -1) {
			finish(c, NH_TLS_CLOSED, "out of memory");
			return;
		}
		c->state = S_READING;
		return;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		finish(c, NH_TLS_CLOSED, strerror(errno));
		return;
	}
	if (n == 0) {
		finish(c, NH_TLS_CLOSED, "the server closed the connection");
		return;
	}
	c->bytes_in += (size_t)n;
	switch (nh_tls_parser_feed(c->parser, buf, (size_t)n)) {
	case NH_TLS_MORE:
		return;
	case NH_TLS_DONE:
		finish(c, NH_TLS_ANSWERED, NULL);
		return;
	case NH_TLS_BAD:
		finish(c, NH_TLS_MALFORMED, c->parser->s.error);
		return;
	}
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct nh_tls_conn *c = arg;

	(void)fd;
	(void)what;
	finish(c, NH_TLS_TIMEOUT,
	    c->state == S_OPENING ? "connection timed out"
				  : "no complete TLS answer in time");
}

static void
on_open(int fd, const char *error, void *arg)
{
	struct nh_tls_conn *c = arg;

	c->opening = NULL; /* the opener frees itself after this call */
	if (fd < 0) {
		finish(c, NH_TLS_REFUSED, error);
		return;
	}
	c->fd = fd;
	c->state = S_WRITING;
	c->ev = event_new(c->base, fd, EV_WRITE | EV_PERSIST, on_io, c);
	if (c->ev == NULL || event_add(c->ev, NULL) == -1)
		finish(c, NH_TLS_CLOSED, "out of memory");
}

struct nh_tls_conn *
nh_tls_conn_start(struct event_base *base, const struct nh_stream_opener *op,
    const void *op_ctx, const struct sockaddr *sa, unsigned salen,
    const uint8_t *hello, size_t hello_len, double timeout, nh_tls_conn_cb cb,
    void *arg, const char **err)
{
	struct nh_tls_conn *c;
	struct timeval tv;

	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->parser = malloc(sizeof(*c->parser))) == NULL ||
	    (c->hello = malloc(hello_len)) == NULL) {
		if (c != NULL)
			free(c->parser);
		free(c);
		*err = "out of memory";
		return NULL;
	}
	nh_tls_parser_init(c->parser);
	c->fd = -1;
	c->base = base;
	c->opener = op;
	c->cb = cb;
	c->arg = arg;
	memcpy(c->hello, hello, hello_len);
	c->hello_len = hello_len;
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	tv.tv_sec = (time_t)timeout;
	tv.tv_usec = (suseconds_t)((timeout - (double)tv.tv_sec) * 1e6);
	if ((c->timer = evtimer_new(base, on_timer, c)) == NULL ||
	    evtimer_add(c->timer, &tv) == -1) {
		*err = "out of memory";
		goto fail;
	}
	/* The whole exchange, opening included, gets one timeout. */
	c->opening =
	    op->open(base, sa, salen, timeout, op_ctx, on_open, c, err);
	if (c->opening == NULL)
		goto fail;
	return c;
fail:
	nh_tls_conn_cancel(c);
	return NULL;
}
