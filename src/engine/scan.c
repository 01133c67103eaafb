/*
 * scan.c: many tests on one engine: at most `concurrency` in flight, each
 * result written to the store as it completes, progress ticks on a timer.
 */
#include <stdlib.h>
#include <time.h>

#include <event2/event.h>

#include "engine_impl.h"
#include "store/store.h"

#define TICK_USEC 250000

struct scan {
	struct nh_engine *e;
	struct nh_store *s;
	int64_t round;
	const struct nh_scan_item *items;
	size_t n, next;
	unsigned concurrency;
	const struct nh_scan_config *c;
	struct nh_scan_stats st;
	struct timespec start;
	const char *err; /* the first write error; no test starts after it */
};

static double
since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	    (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
tick(struct scan *sc)
{
	if (sc->c->tick == NULL)
		return;
	sc->st.elapsed = since(&sc->start);
	sc->c->tick(&sc->st, sc->c->arg);
}

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	tick(arg);
}

static bool
has_error(const struct nh_test_result *r)
{
	for (size_t i = 0; i < r->nchecks; i++) {
		if (r->checks[i].status == NH_ERROR)
			return true;
	}
	return false;
}

static void start_more(struct scan *sc);

static void
on_result(struct nh_facts *facts, struct nh_test_result *r, void *arg)
{
	struct scan *sc = arg;
	json_t *fj = NULL;
	int rc;

	sc->st.flight--;
	if (r != NULL && (fj = nh_facts_to_json(facts)) != NULL)
		rc = nh_store_put_result(sc->s, sc->round, r, fj);
	else
		rc = nh_store_put_error(sc->s, sc->round, facts->domain,
		    facts->type, "out of memory");
	if (rc == -1 && sc->err == NULL)
		sc->err = nh_store_error(sc->s);
	if (rc == 0) {
		sc->st.done++;
		if (r == NULL || fj == NULL || has_error(r))
			sc->st.errors++;
	}
	json_decref(fj);
	nh_test_result_free(r);
	nh_facts_free(facts);
	start_more(sc);
}

/* Starts tests until the cap is reached or the list is done. */
static void
start_more(struct scan *sc)
{
	while (sc->err == NULL && sc->next < sc->n &&
	    sc->st.flight < sc->concurrency) {
		const struct nh_scan_item *it = &sc->items[sc->next++];

		sc->st.flight++;
		if (nh_engine_test(
			sc->e, it->domain, it->type, on_result, sc) == -1) {
			sc->st.flight--;
			if (nh_store_put_error(sc->s, sc->round, it->domain,
				it->type, "out of memory") == -1) {
				sc->err = nh_store_error(sc->s);
				return;
			}
			sc->st.done++;
			sc->st.errors++;
		}
	}
}

int
nh_engine_scan(struct nh_engine *e, struct nh_store *s, int64_t round,
    const struct nh_scan_item *items, size_t n, const struct nh_scan_config *c,
    const char **err)
{
	struct scan sc = {
		.e = e,
		.s = s,
		.round = round,
		.items = items,
		.n = n,
		.concurrency =
		    c->concurrency ? c->concurrency : NH_SCAN_CONCURRENCY,
		.c = c,
		.st = { .total = n },
	};
	struct timeval every = { 0, TICK_USEC };
	struct event *timer;

	clock_gettime(CLOCK_MONOTONIC, &sc.start);
	if ((timer = event_new(e->base, -1, EV_PERSIST, on_tick, &sc)) ==
	    NULL) {
		*err = "out of memory";
		return -1;
	}
	event_add(timer, &every);
	tick(&sc);
	start_more(&sc);
	while (sc.st.flight > 0 && event_base_loop(e->base, EVLOOP_ONCE) == 0)
		;
	event_free(timer);
	tick(&sc);
	if (sc.err != NULL) {
		*err = sc.err;
		return -1;
	}
	return 0;
}
