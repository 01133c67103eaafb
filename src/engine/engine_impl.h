/*
 * engine_impl.h: what the engine's files share. Internal to src/engine/.
 */
#ifndef NH_ENGINE_IMPL_H
#define NH_ENGINE_IMPL_H

#include <stdbool.h>
#include <time.h>

#include "checks/checks.h"
#include "engine.h"

struct nh_dns;

struct nh_engine {
	struct event_base *base;
	struct nh_dns *dns;
	struct nh_check_opts opts;
	double tcp_timeout;    /* TCP connect probe, seconds */
	double direct_timeout; /* direct DNS query, per transport */
	unsigned jobs;         /* tests in flight */
};

/* One domain's test in flight. */
struct job {
	struct nh_engine *e;
	struct nh_facts *f;
	unsigned pending; /* steps in flight */
	bool oom;         /* an allocation failed along the way */
	bool null_mx;     /* the MX set holds "." */
	nh_engine_cb cb;
	void *arg;
	struct timespec start; /* monotonic */
	char started[32];      /* RFC 3339, UTC */
};

/* Starts gathering (gather.c); ends in nh_engine_job_done(). */
void nh_gather_start(struct job *j);

/* Judges the job's facts, calls back, frees the job (engine.c). */
void nh_engine_job_done(struct job *j);

#endif /* NH_ENGINE_IMPL_H */
