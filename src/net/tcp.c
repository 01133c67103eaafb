/*
 * tcp.c: the TCP connect probe: a connection opened with the plain TCP
 * opener, its outcome reported, and closed at once; nothing is sent.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net.h"

struct nh_tcp_probe {
	void *open; /* the opener's handle while connecting */
	nh_tcp_cb cb;
	void *arg;
	struct timespec start;
};

void
nh_tcp_probe_cancel(struct nh_tcp_probe *p)
{
	if (p == NULL)
		return;
	nh_tcp_opener.cancel(p->open);
	free(p);
}

static void
on_ready(int fd, const char *error, void *arg)
{
	struct nh_tcp_probe *p = arg;
	struct timespec now;
	struct nh_tcp_result r = { .open = fd >= 0, .error = error };

	if (fd >= 0)
		close(fd);
	clock_gettime(CLOCK_MONOTONIC, &now);
	r.ms = (double)(now.tv_sec - p->start.tv_sec) * 1e3 +
	    (double)(now.tv_nsec - p->start.tv_nsec) / 1e6;
	p->open = NULL; /* the opener frees itself after this call */
	p->cb(&r, p->arg);
	free(p);
}

struct nh_tcp_probe *
nh_tcp_connect_probe(struct event_base *base, const struct sockaddr *sa,
    socklen_t salen, double timeout, nh_tcp_cb cb, void *arg, const char **err)
{
	struct nh_tcp_probe *p;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		*err = "out of memory";
		return NULL;
	}
	p->cb = cb;
	p->arg = arg;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->open = nh_tcp_opener.open(
	    base, sa, salen, timeout, NULL, on_ready, p, err);
	if (p->open == NULL) {
		free(p);
		return NULL;
	}
	return p;
}
