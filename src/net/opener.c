/*
 * opener.c: the plain TCP stream opener: a non-blocking connect whose
 * socket is handed to the caller once connected.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "net.h"

struct tcp_open {
	int fd;
	struct event *ev, *timer;
	nh_stream_ready_cb ready;
	void *arg;
	int early_error; /* errno, or -1: the guard refused the address */
};

static void
tcp_cancel(void *handle)
{
	struct tcp_open *t = handle;

	if (t == NULL)
		return;
	if (t->ev != NULL)
		event_free(t->ev);
	if (t->timer != NULL)
		event_free(t->timer);
	if (t->fd >= 0)
		close(t->fd);
	free(t);
}

/* Hands the socket over (or the error) and frees the opener. */
static void
tcp_finish(struct tcp_open *t, int err)
{
	int fd = -1;

	if (err == 0) {
		fd = t->fd;
		t->fd = -1;
	}
	t->ready(fd,
	    err == 0               ? NULL
		: err == -1        ? NH_NET_NOT_PUBLIC
		: err == ETIMEDOUT ? "connection timed out"
				   : strerror(err),
	    t->arg);
	tcp_cancel(t);
}

static void
tcp_writable(evutil_socket_t fd, short what, void *arg)
{
	int err = 0;
	socklen_t len = sizeof(err);

	(void)what;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	tcp_finish(arg, err);
}

static void
tcp_timer(evutil_socket_t fd, short what, void *arg)
{
	struct tcp_open *t = arg;

	(void)fd;
	(void)what;
	tcp_finish(t, t->early_error ? t->early_error : ETIMEDOUT);
}

static void *
tcp_open(struct event_base *base, const struct sockaddr *sa, socklen_t salen,
    double timeout, const void *ctx, nh_stream_ready_cb ready, void *arg,
    const char **err)
{
	static const struct timeval now = { 0, 0 };
	struct timeval tv;
	struct tcp_open *t;

	(void)ctx;
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		*err = "out of memory";
		return NULL;
	}
	t->fd = -1;
	t->ready = ready;
	t->arg = arg;
	tv.tv_sec = (time_t)timeout;
	tv.tv_usec = (suseconds_t)((timeout - (double)tv.tv_sec) * 1e6);
	if ((t->timer = evtimer_new(base, tcp_timer, t)) == NULL) {
		*err = "out of memory";
		goto fail;
	}
	if (!nh_net_may_connect(sa)) {
		t->early_error = -1; /* reported on the loop */
		if (evtimer_add(t->timer, &now) == -1) {
			*err = "out of memory";
			goto fail;
		}
		return t;
	}
	t->fd = socket(
	    sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd == -1) {
		*err = strerror(errno);
		goto fail;
	}
	if (connect(t->fd, sa, salen) == -1 && errno != EINPROGRESS) {
		/* Refused at once: reported on the loop. */
		t->early_error = errno;
		if (evtimer_add(t->timer, &now) == -1) {
			*err = "out of memory";
			goto fail;
		}
		return t;
	}
	t->ev = event_new(base, t->fd, EV_WRITE, tcp_writable, t);
	if (t->ev == NULL || event_add(t->ev, NULL) == -1 ||
	    evtimer_add(t->timer, &tv) == -1) {
		*err = "out of memory";
		goto fail;
	}
	return t;
fail:
	tcp_cancel(t);
	return NULL;
}

const struct nh_stream_opener nh_tcp_opener = {
	.name = "tcp",
	.open = tcp_open,
	.cancel = tcp_cancel,
};
