/*
 * limit.c: politeness per target address (DESIGN.md): connections at once
 * and new connections per second, with waiters served in order.
 *
 * The rate is a sliding window, not a token bucket: at a rate of 10 per
 * second, no window of one second ever holds more than 10 connection
 * starts (a bucket of 10 would allow 19: a full burst, then its refill).
 * A target keeps the start times of its last n connections, n the rate
 * rounded down (at least 1, at most NH_LIMIT_MAX_WINDOW), over a window of
 * n / rate seconds.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include <event2/event.h>

#include "net.h"

#define NBUCKETS 1024
#define NH_LIMIT_MAX_WINDOW 1000

struct target;

struct nh_limit_wait {
	struct target *t;
	void (*go)(void *arg);
	void *arg;
	TAILQ_ENTRY(nh_limit_wait) link;
};

TAILQ_HEAD(wait_list, nh_limit_wait);

struct target {
	char *key;
	unsigned active;
	double *starts;   /* ring of the last `n` start times, seconds */
	unsigned nstarts; /* how many are recorded (at most n) */
	unsigned oldest;  /* index of the oldest */
	struct wait_list waiting;
	struct event *timer; /* grants on the loop */
	struct nh_limiter *l;
	struct target *next; /* hash chain */
};

struct nh_limiter {
	struct event_base *base;
	unsigned max_conns;
	double rate;
	unsigned n;    /* starts allowed per window */
	double window; /* seconds */
	struct target *buckets[NBUCKETS];
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned
hash(const char *s)
{
	unsigned h = 5381;

	while (*s != '\0')
		h = h * 33 + (unsigned char)*s++;
	return h % NBUCKETS;
}

static void grant(evutil_socket_t fd, short what, void *arg);

static struct target *
target_get(struct nh_limiter *l, const char *key)
{
	unsigned h = hash(key);
	struct target *t;

	for (t = l->buckets[h]; t != NULL; t = t->next) {
		if (strcmp(t->key, key) == 0)
			return t;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if ((t->key = strdup(key)) == NULL ||
	    (l->rate > 0 &&
		(t->starts = calloc(l->n, sizeof(*t->starts))) == NULL) ||
	    (t->timer = evtimer_new(l->base, grant, t)) == NULL) {
		free(t->starts);
		free(t->key);
		free(t);
		return NULL;
	}
	TAILQ_INIT(&t->waiting);
	t->l = l;
	t->next = l->buckets[h];
	l->buckets[h] = t;
	return t;
}

/* Schedules a grant attempt `delay` seconds from now. */
static void
schedule(struct target *t, double delay)
{
	struct timeval tv;

	tv.tv_sec = (time_t)delay;
	tv.tv_usec = (suseconds_t)((delay - (double)tv.tv_sec) * 1e6);
	evtimer_add(t->timer, &tv);
}

/* Lets waiters go while the limits allow; may reschedule itself. */
static void
grant(evutil_socket_t fd, short what, void *arg)
{
	struct target *t = arg;
	struct nh_limiter *l = t->l;
	struct nh_limit_wait *w;
	double now = now_s();

	(void)fd;
	(void)what;
	while ((w = TAILQ_FIRST(&t->waiting)) != NULL) {
		if (l->max_conns > 0 && t->active >= l->max_conns)
			return; /* a release schedules the next grant */
		if (l->rate > 0 && t->nstarts == l->n) {
			/* The window is full until its oldest start leaves. */
			double free_at = t->starts[t->oldest] + l->window;

			if (free_at > now) {
				schedule(t, free_at - now);
				return;
			}
			t->oldest = (t->oldest + 1) % l->n;
			t->nstarts--;
		}
		TAILQ_REMOVE(&t->waiting, w, link);
		t->active++;
		if (l->rate > 0) {
			t->starts[(t->oldest + t->nstarts) % l->n] = now;
			t->nstarts++;
		}
		w->go(w->arg);
		free(w);
	}
}

struct nh_limiter *
nh_limiter_new(struct event_base *base, unsigned max_conns, double rate)
{
	struct nh_limiter *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->base = base;
	l->max_conns = max_conns;
	l->rate = rate;
	if (rate > 0) {
		l->n = rate < 1                  ? 1
		    : rate > NH_LIMIT_MAX_WINDOW ? NH_LIMIT_MAX_WINDOW
						 : (unsigned)rate;
		l->window = (double)l->n / rate;
	}
	return l;
}

void
nh_limiter_free(struct nh_limiter *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < NBUCKETS; i++) {
		struct target *t = l->buckets[i], *next;
		struct nh_limit_wait *w;

		for (; t != NULL; t = next) {
			next = t->next;
			while ((w = TAILQ_FIRST(&t->waiting)) != NULL) {
				TAILQ_REMOVE(&t->waiting, w, link);
				free(w);
			}
			event_free(t->timer);
			free(t->starts);
			free(t->key);
			free(t);
		}
	}
	free(l);
}

struct nh_limit_wait *
nh_limiter_acquire(
    struct nh_limiter *l, const char *key, void (*go)(void *arg), void *arg)
{
	struct nh_limit_wait *w;
	struct target *t;

	if ((t = target_get(l, key)) == NULL ||
	    (w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->t = t;
	w->go = go;
	w->arg = arg;
	TAILQ_INSERT_TAIL(&t->waiting, w, link);
	/* Never grant inside this call: on the loop, at once. */
	if (!evtimer_pending(t->timer, NULL))
		schedule(t, 0);
	return w;
}

void
nh_limiter_cancel(struct nh_limit_wait *w)
{
	if (w == NULL)
		return;
	TAILQ_REMOVE(&w->t->waiting, w, link);
	free(w);
}

void
nh_limiter_release(struct nh_limiter *l, const char *key)
{
	struct target *t = target_get(l, key);

	if (t == NULL || t->active == 0)
		return;
	t->active--;
	if (!TAILQ_EMPTY(&t->waiting) && !evtimer_pending(t->timer, NULL))
		schedule(t, 0);
}
