/*
 * tcp.c: the TCP connect probe: a non-blocking connect, its outcome, and
 * nothing sent.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "net.h"

struct nh_tcp_probe {
	int fd;
	struct event *ev, *timer;
	nh_tcp_cb cb;
	void *arg;
	struct timespec start;
	int early_error; /* connect() failed at once; reported on the loop */
};

void
nh_tcp_probe_cancel(struct nh_tcp_probe *p)
{
	if (p == NULL)
		return;
	if (p->ev != NULL)
		event_free(p->ev);
	if (p->timer != NULL)
		event_free(p->timer);
	if (p->fd >= 0)
		close(p->fd);
	free(p);
}

static void
finish(struct nh_tcp_probe *p, bool open, int error)
{
	struct timespec now;
	struct nh_tcp_result r = { .open = open, .error = error };

	clock_gettime(CLOCK_MONOTONIC, &now);
	r.ms = (double)(now.tv_sec - p->start.tv_sec) * 1e3 +
	    (double)(now.tv_nsec - p->start.tv_nsec) / 1e6;
	p->cb(&r, p->arg);
	nh_tcp_probe_cancel(p);
}

static void
on_writable(evutil_socket_t fd, short what, void *arg)
{
	struct nh_tcp_probe *p = arg;
	int err = 0;
	socklen_t len = sizeof(err);

	(void)what;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	finish(p, err == 0, err);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct nh_tcp_probe *p = arg;

	(void)fd;
	(void)what;
	finish(p, false, p->early_error ? p->early_error : ETIMEDOUT);
}

struct nh_tcp_probe *
nh_tcp_connect_probe(struct event_base *base, const struct sockaddr *sa,
    socklen_t salen, double timeout, nh_tcp_cb cb, void *arg, const char **err)
{
	static const struct timeval now = { 0, 0 };
	struct timeval tv;
	struct nh_tcp_probe *p;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		*err = "out of memory";
		return NULL;
	}
	p->fd = -1;
	p->cb = cb;
	p->arg = arg;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	tv.tv_sec = (time_t)timeout;
	tv.tv_usec = (suseconds_t)((timeout - (double)tv.tv_sec) * 1e6);
	if ((p->timer = evtimer_new(base, on_timer, p)) == NULL) {
		*err = "out of memory";
		goto fail;
	}
	p->fd = socket(
	    sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd == -1) {
		*err = strerror(errno);
		goto fail;
	}
	if (connect(p->fd, sa, salen) == -1 && errno != EINPROGRESS) {
		/* Refused or unreachable at once: report it on the loop. */
		p->early_error = errno;
		if (evtimer_add(p->timer, &now) == -1) {
			*err = "out of memory";
			goto fail;
		}
		return p;
	}
	p->ev = event_new(base, p->fd, EV_WRITE, on_writable, p);
	if (p->ev == NULL || event_add(p->ev, NULL) == -1 ||
	    evtimer_add(p->timer, &tv) == -1) {
		*err = "out of memory";
		goto fail;
	}
	return p;
fail:
	nh_tcp_probe_cancel(p);
	return NULL;
}
