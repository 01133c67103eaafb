/*
 * smtp.c: the STARTTLS stream opener (RFC 3207): a plain TCP connection
 * (nh_tcp_opener), then the greeting, EHLO and STARTTLS on the loop, and
 * the socket handed to the TLS engine once the server said 220 to
 * STARTTLS. A greeting of 4xx (an MX that defers new clients with 421)
 * closes the connection and tries again after a backoff that doubles.
 *
 * Bounds: replies are read into a buffer of NH_SMTP_MAX_LINES lines of
 * NH_SMTP_MAX_LINE bytes at most (the reader rejects more); each try has
 * the caller's timeout from the connect to the handover.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "mail.h"

#define BUF_SIZE (NH_SMTP_MAX_LINE * 4)
#define DEFAULT_RETRIES 3
#define DEFAULT_BACKOFF 1.0

enum step {
	S_CONNECT,
	S_GREETING,
	S_EHLO,
	S_STARTTLS,
	S_WAIT, /* between tries */
};

struct smtp_open {
	struct event_base *base;
	struct sockaddr_storage sa;
	socklen_t salen;
	double timeout;
	const struct nh_smtp_ctx *ctx;
	nh_stream_ready_cb ready;
	void *arg;
	enum step step;
	unsigned tries;   /* tries made */
	double backoff;   /* before the next try */
	void *connecting; /* the TCP opener's handle */
	int fd;
	struct event *rd, *timer;
	char buf[BUF_SIZE];
	size_t len;
};

static void smtp_cancel(void *handle);
static void start_try(struct smtp_open *s);

static struct timeval
tv_of(double seconds)
{
	struct timeval tv;

	tv.tv_sec = (time_t)seconds;
	tv.tv_usec = (suseconds_t)((seconds - (double)tv.tv_sec) * 1e6);
	return tv;
}

/* Closes this try's connection (the opener stays). */
static void
close_try(struct smtp_open *s)
{
	if (s->connecting != NULL) {
		nh_tcp_opener.cancel(s->connecting);
		s->connecting = NULL;
	}
	if (s->rd != NULL) {
		event_free(s->rd);
		s->rd = NULL;
	}
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
	s->len = 0;
}

static void
note_error(struct smtp_open *s, const char *why)
{
	struct nh_fact_smtp *seen = s->ctx ? s->ctx->seen : NULL;

	if (seen != NULL && seen->error == NULL && !seen->starttls)
		seen->error = strdup(why);
}

/* Hands the socket over, or the error; frees the opener. */
static void
finish(struct smtp_open *s, const char *error)
{
	int fd = -1;

	if (error == NULL) {
		fd = s->fd;
		s->fd = -1;
	} else
		note_error(s, error);
	s->ready(fd, error, s->arg);
	smtp_cancel(s);
}

static int
say(struct smtp_open *s, const char *line)
{
	size_t n = strlen(line), off = 0;

	while (off < n) {
		ssize_t w = send(s->fd, line + off, n - off, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

/* A 4xx greeting: try again later, or give up. */
static void
deferred(struct smtp_open *s, const struct nh_smtp_reply *r)
{
	struct nh_fact_smtp *seen = s->ctx ? s->ctx->seen : NULL;
	unsigned retries =
	    s->ctx && s->ctx->retries ? s->ctx->retries : DEFAULT_RETRIES;
	char why[256];
	struct timeval tv;

	if (seen != NULL) {
		seen->deferred++;
		/* Said now: a timeout may end the tries before they run out. */
		snprintf(why, sizeof(why), "the server deferred (%d %s)",
		    r->code, r->text);
		free(seen->error);
		seen->error = strdup(why);
	}
	close_try(s);
	if (s->tries > retries) {
		snprintf(why, sizeof(why),
		    "the server deferred every try (%d %s), %u tries", r->code,
		    r->text, s->tries);
		if (seen != NULL) {
			free(seen->error);
			seen->error = NULL; /* finish() says it */
		}
		finish(s, why);
		return;
	}
	s->step = S_WAIT;
	tv = tv_of(s->backoff);
	s->backoff *= 2;
	evtimer_del(s->timer);
	if (evtimer_add(s->timer, &tv) == -1)
		finish(s, "out of memory");
}

/* Records the greeting and EHLO in the context's facts. */
static void
note(struct smtp_open *s, const struct nh_smtp_reply *r)
{
	struct nh_fact_smtp *seen = s->ctx ? s->ctx->seen : NULL;

	if (seen == NULL)
		return;
	if (s->step == S_GREETING) {
		seen->code = r->code;
		if (r->code == 220)
			seen->answered = NH_PROBE_OK;
		else if (seen->answered != NH_PROBE_OK)
			seen->answered = NH_PROBE_FAILED;
		if (seen->banner == NULL || r->code == 220) {
			free(seen->banner);
			seen->banner = strdup(r->text);
		}
	} else if (s->step == S_EHLO && r->code == 250) {
		seen->ehlo = true;
		seen->starttls = seen->starttls || r->starttls;
		if (r->starttls) {
			free(seen->error);
			seen->error = NULL;
		}
	}
}

/*
 * Acts on a reply. Returns true when the same connection goes on (more
 * buffered bytes may be read), false when the opener finished (it is
 * freed) or this try was closed.
 */
static bool
on_reply(struct smtp_open *s, const struct nh_smtp_reply *r)
{
	char why[256];
	char ehlo[300];

	note(s, r);
	switch (s->step) {
	case S_GREETING:
		if (r->code >= 400 && r->code < 500) {
			deferred(s, r);
			return false;
		}
		if (r->code != 220) {
			snprintf(why, sizeof(why), "the greeting is %d %s",
			    r->code, r->text);
			finish(s, why);
			return false;
		}
		snprintf(ehlo, sizeof(ehlo), "EHLO %s\r\n",
		    s->ctx && s->ctx->ehlo ? s->ctx->ehlo : NH_SMTP_EHLO);
		s->step = S_EHLO;
		if (say(s, ehlo) == -1) {
			finish(s, "the connection broke after the greeting");
			return false;
		}
		return true;
	case S_EHLO:
		if (r->code != 250) {
			snprintf(why, sizeof(why), "EHLO was answered %d %s",
			    r->code, r->text);
			finish(s, why);
			return false;
		}
		if (!r->starttls) {
			finish(s, "the server does not offer STARTTLS");
			return false;
		}
		s->step = S_STARTTLS;
		if (say(s, "STARTTLS\r\n") == -1) {
			finish(s, "the connection broke after EHLO");
			return false;
		}
		return true;
	case S_STARTTLS:
		if (r->code != 220) {
			snprintf(why, sizeof(why),
			    "STARTTLS was answered %d %s", r->code, r->text);
			finish(s, why);
			return false;
		}
		/* The server must not have sent more: what follows is
		 * TLS (RFC 3207 §4). */
		if (s->len > 0) {
			finish(s, "bytes after the STARTTLS answer");
			return false;
		}
		event_free(s->rd);
		s->rd = NULL;
		finish(s, NULL);
		return false;
	default:
		return false;
	}
}

static void
on_readable(evutil_socket_t fd, short what, void *arg)
{
	struct smtp_open *s = arg;
	struct nh_smtp_reply r;
	const char *why;
	ssize_t n, used;

	(void)what;
	n = recv(fd, s->buf + s->len, sizeof(s->buf) - s->len, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		finish(s,
		    n == 0 ? "the server closed the connection"
			   : strerror(errno));
		return;
	}
	s->len += (size_t)n;
	while (s->len > 0) {
		used = nh_smtp_reply_parse(s->buf, s->len, &r, &why);
		if (used == 0) {
			if (s->len == sizeof(s->buf))
				finish(
				    s, "a reply longer than nethealth reads");
			return;
		}
		if (used < 0) {
			finish(s, why);
			return;
		}
		memmove(s->buf, s->buf + used, s->len - (size_t)used);
		s->len -= (size_t)used;
		if (!on_reply(s, &r))
			return;
	}
}

static void
on_connected(int fd, const char *error, void *arg)
{
	struct smtp_open *s = arg;
	struct timeval tv = tv_of(s->timeout);

	s->connecting = NULL;
	if (fd < 0) {
		finish(s, error);
		return;
	}
	s->fd = fd;
	s->step = S_GREETING;
	if ((s->rd = event_new(
		 s->base, fd, EV_READ | EV_PERSIST, on_readable, s)) == NULL ||
	    event_add(s->rd, NULL) == -1) {
		finish(s, "out of memory");
		return;
	}
	evtimer_del(s->timer);
	if (evtimer_add(s->timer, &tv) == -1)
		finish(s, "out of memory");
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct smtp_open *s = arg;

	(void)fd;
	(void)what;
	if (s->step == S_WAIT) {
		start_try(s);
		return;
	}
	finish(s,
	    s->step == S_GREETING   ? "no greeting in time"
		: s->step == S_EHLO ? "no answer to EHLO in time"
				    : "no answer to STARTTLS in time");
}

static void
start_try(struct smtp_open *s)
{
	const char *err;

	s->tries++;
	s->step = S_CONNECT;
	s->connecting = nh_tcp_opener.open(s->base, (struct sockaddr *)&s->sa,
	    s->salen, s->timeout, NULL, on_connected, s, &err);
	if (s->connecting == NULL)
		finish(s, err);
}

static void
smtp_cancel(void *handle)
{
	struct smtp_open *s = handle;

	if (s == NULL)
		return;
	close_try(s);
	if (s->timer != NULL)
		event_free(s->timer);
	free(s);
}

static void *
smtp_open(struct event_base *base, const struct sockaddr *sa, socklen_t salen,
    double timeout, const void *ctx, nh_stream_ready_cb ready, void *arg,
    const char **err)
{
	struct smtp_open *s;

	if (salen > sizeof(s->sa)) {
		*err = "bad address";
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->timer = evtimer_new(base, on_timer, s)) == NULL) {
		free(s);
		*err = "out of memory";
		return NULL;
	}
	s->base = base;
	memcpy(&s->sa, sa, salen);
	s->salen = salen;
	s->timeout = timeout > 0 ? timeout : 10;
	s->ctx = ctx;
	s->ready = ready;
	s->arg = arg;
	s->fd = -1;
	s->backoff =
	    s->ctx && s->ctx->backoff > 0 ? s->ctx->backoff : DEFAULT_BACKOFF;
	s->tries = 1;
	s->connecting = nh_tcp_opener.open(
	    base, sa, salen, s->timeout, NULL, on_connected, s, err);
	if (s->connecting == NULL) {
		smtp_cancel(s);
		return NULL;
	}
	return s;
}

const struct nh_stream_opener nh_smtp_opener = {
	.name = "smtp",
	.open = smtp_open,
	.cancel = smtp_cancel,
};
