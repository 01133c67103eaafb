/*
 * engine.h: runs tests. Owns the libevent loop and the resolver, gathers
 * the facts of a domain with the probes (DNS, TCP connect, ...), judges
 * them with the check table, and hands back the scored result.
 *
 * This is the face of src/engine/. One engine per process; many domains
 * may be in flight on it at once.
 */
#ifndef NH_ENGINE_H
#define NH_ENGINE_H

#include <stdbool.h>

#include "facts/facts.h"
#include "model/model.h"

struct event_base;

struct nh_engine_config {
	const char *resolver_conf; /* unbound config, or NULL */
	const char *ca_file;       /* PEM CA file, or NULL: system store */
	double timeout;            /* seconds per network operation */
	unsigned dns_inflight;     /* resolver admission cap; 0: default */
	unsigned max_conns;        /* connections at once per address; 0: 5 */
	double conn_rate;          /* new connections per second per address;
			       0: 10, negative: no limit */
	bool internetnl_compat;    /* reproduce Internet.nl's numbers */
	const char *rpki_vrps;     /* VRP file (rpki-client or Routinator
				      JSON, CSV), or NULL */
	const char *rpki_routes;   /* route file (CAIDA pfx2as, CSV) */
};

struct nh_engine;

/*
 * Creates an engine. Returns NULL with *err set (a static string or the
 * resolver's message) when it cannot run. Caller frees with
 * nh_engine_free().
 */
struct nh_engine *nh_engine_new(
    const struct nh_engine_config *cfg, const char **err);

/* Frees the engine; tests still in flight are dropped. NULL is safe. */
void nh_engine_free(struct nh_engine *e);

/* The engine's loop, for other modules that add events to it. */
struct event_base *nh_engine_base(struct nh_engine *e);

/*
 * Called when a domain's facts are gathered and judged. `facts` and
 * `result` are handed over: the callee owns and frees them
 * (nh_facts_free(), nh_test_result_free()). `result` is NULL when memory
 * ran out.
 */
typedef void (*nh_engine_cb)(
    struct nh_facts *facts, struct nh_test_result *result, void *arg);

/*
 * Starts a test of `domain` (already normalized). Returns 0, or -1 when out
 * of memory (no callback then). The callback runs from nh_engine_run().
 */
int nh_engine_test(struct nh_engine *e, const char *domain,
    enum nh_test_type type, nh_engine_cb cb, void *arg);

/*
 * Starts the TLS assessment of `host` (a name, or an address) on `port`:
 * every address, raw scan and full handshakes, DANE from
 * _port._tcp.host. The facts are a web test's with only the TLS endpoints
 * filled; the result judges them (the HTTPS category is the one that
 * counts). Returns 0, or -1 when out of memory.
 */
int nh_engine_tls(struct nh_engine *e, const char *host, unsigned port,
    bool starttls, nh_engine_cb cb, void *arg);

/*
 * Judges saved facts (--from-facts): runs the checks and scores. Returns a
 * new result, or NULL when out of memory.
 */
struct nh_test_result *nh_engine_judge(
    const struct nh_engine_config *cfg, const struct nh_facts *facts);

/* Runs the loop until every test started has called back. */
void nh_engine_run(struct nh_engine *e);

#endif /* NH_ENGINE_H */
