/*
 * test_limit.c: the per-address politeness limiter on a real event loop:
 * connections at once, the sliding window of new connections (never more
 * than the rate in any window), order of service, independence of
 * addresses, cancellation. Times are only bounded from below: a loaded
 * machine can make a grant later, never earlier.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>
#include <event2/event.h>

#include "net/net.h"

#define N 25

struct run {
	struct event_base *base;
	struct nh_limiter *l;
	double start, at[N]; /* when each was granted, seconds from start */
	int order[N], ngranted;
	bool release; /* release each at once */
	const char *key;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct ticket {
	struct run *r;
	int i;
};

static void
go(void *arg)
{
	struct ticket *t = arg;
	struct run *r = t->r;

	r->at[t->i] = now_s() - r->start;
	r->order[r->ngranted++] = t->i;
	if (r->release)
		nh_limiter_release(r->l, r->key);
}

static void
test_window(void **state)
{
	struct run r = { .release = true, .key = "192.0.2.1" };
	struct ticket t[N];

	(void)state;
	r.base = event_base_new();
	r.l = nh_limiter_new(r.base, 5, 10);
	r.start = now_s();
	for (int i = 0; i < N; i++) {
		t[i] = (struct ticket){ &r, i };
		assert_non_null(nh_limiter_acquire(r.l, r.key, go, &t[i]));
	}
	/* Never inside acquire. */
	assert_int_equal(r.ngranted, 0);
	event_base_dispatch(r.base);
	assert_int_equal(r.ngranted, N);
	for (int i = 0; i < N; i++) {
		/* In order, and no window of 1 s holds more than 10. */
		assert_int_equal(r.order[i], i);
		if (i >= 10)
			assert_true(r.at[i] - r.at[i - 10] >= 0.999);
	}
	nh_limiter_free(r.l);
	event_base_free(r.base);
}

static void
test_at_once(void **state)
{
	struct run r = { .release = false, .key = "2001:db8::1" };
	struct run other = { .release = false, .key = "2001:db8::2" };
	struct ticket t[8], o;

	(void)state;
	r.base = event_base_new();
	r.l = nh_limiter_new(r.base, 5, 0); /* no rate limit */
	other.base = r.base;
	other.l = r.l;
	r.start = other.start = now_s();
	for (int i = 0; i < 8; i++) {
		t[i] = (struct ticket){ &r, i };
		assert_non_null(nh_limiter_acquire(r.l, r.key, go, &t[i]));
	}
	o = (struct ticket){ &other, 0 };
	assert_non_null(nh_limiter_acquire(r.l, other.key, go, &o));
	event_base_loop(r.base, EVLOOP_NONBLOCK);
	/* Five at once on one address; the other address is not held up. */
	assert_int_equal(r.ngranted, 5);
	assert_int_equal(other.ngranted, 1);
	/* A release lets the next one go; a cancelled waiter never goes. */
	nh_limiter_release(r.l, r.key);
	event_base_loop(r.base, EVLOOP_NONBLOCK);
	assert_int_equal(r.ngranted, 6);
	assert_int_equal(r.order[5], 5);
	nh_limiter_free(r.l); /* frees the two still waiting */
	event_base_free(r.base);
}

static void
test_cancel_and_slow_rate(void **state)
{
	struct run r = { .release = true, .key = "198.51.100.7" };
	struct ticket t[3];
	struct nh_limit_wait *w;

	(void)state;
	r.base = event_base_new();
	/* Half a connection per second: one start per 2 s window. */
	r.l = nh_limiter_new(r.base, 0, 0.5);
	r.start = now_s();
	for (int i = 0; i < 3; i++)
		t[i] = (struct ticket){ &r, i };
	assert_non_null(nh_limiter_acquire(r.l, r.key, go, &t[0]));
	assert_non_null(w = nh_limiter_acquire(r.l, r.key, go, &t[1]));
	assert_non_null(nh_limiter_acquire(r.l, r.key, go, &t[2]));
	nh_limiter_cancel(w);
	event_base_dispatch(r.base);
	assert_int_equal(r.ngranted, 2);
	assert_int_equal(r.order[0], 0);
	assert_int_equal(r.order[1], 2);
	assert_true(r.at[2] - r.at[0] >= 1.999);
	nh_limiter_free(r.l);
	event_base_free(r.base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_at_once),
		cmocka_unit_test(test_cancel_and_slow_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
