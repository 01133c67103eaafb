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
#include <stdint.h>
#include <stdio.h>

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
	bool share;                /* assess each MX address once for all
				      the domains of the engine's life
				      (a scan round) */
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
 * The addresses a test of `domain` would connect to first (lookup.c): for
 * a web test the domain's A and AAAA, for a mail test those of each MX
 * host (at most 10; the domain's own without MX). `cb` runs once on the
 * loop with at most NH_LOOKUP_MAX addresses in text (borrowed for the
 * call); with none, `error` may say why (the name does not exist, no
 * answer), or be NULL (no address). An IPv4-mapped answer shows as
 * "::ffff:0.0.0.0". Returns 0, or -1 out of memory (no callback then).
 */
#define NH_LOOKUP_MAX 64
typedef void (*nh_engine_addrs_cb)(
    const char *const *addrs, size_t n, const char *error, void *arg);
int nh_engine_addresses(struct nh_engine *e, const char *domain,
    enum nh_test_type type, nh_engine_addrs_cb cb, void *arg);

/*
 * Judges saved facts (--from-facts): runs the checks and scores. Returns a
 * new result, or NULL when out of memory.
 */
struct nh_test_result *nh_engine_judge(
    const struct nh_engine_config *cfg, const struct nh_facts *facts);

/* Runs the loop until every test started has called back. */
void nh_engine_run(struct nh_engine *e);

/*
 * Scan lists (targets.c). A line is "name", "name,tag,..." or a
 * Tranco-style "rank,name"; blank lines and lines starting with '#' are
 * skipped (and counted). Names are normalized (nh_domain_normalize); an
 * invalid one stays in the list with its reason. A name listed twice is
 * tested once: the later line's tags join the first's.
 */
struct nh_target {
	char *input;       /* the name as read (trimmed); owned */
	char *domain;      /* normalized, or NULL when invalid; owned */
	const char *error; /* why it is invalid (static), or NULL */
	char **tags;       /* sorted, distinct; owned */
	size_t ntags;
	long line; /* line number, from 1 */
};

struct nh_target_list {
	struct nh_target *v; /* owned */
	size_t n, cap;
	size_t invalid;           /* entries with an error */
	size_t blank;             /* blank and comment lines skipped */
	size_t duplicates;        /* lines merged into an earlier one */
	size_t other_shards;      /* entries left to other shards */
	size_t *index, index_cap; /* domain lookup (targets.c) */
};

/*
 * Reads lines from fp into l (zeroed first by the caller), each at most
 * 4096 bytes (a longer one is an invalid entry). Returns 0, or -1 out of
 * memory or on a read error (errno set). Free with nh_targets_free().
 */
int nh_targets_read(FILE *fp, struct nh_target_list *l);

/* Adds tags to every entry (--tag). Returns 0, or -1 out of memory. */
int nh_targets_tag_all(
    struct nh_target_list *l, const char *const *tags, size_t ntags);

/* Whether an entry is in share k of n (1 <= k <= n): by a hash of the
 * name, the same on every machine. */
bool nh_target_in_shard(const struct nh_target *t, unsigned k, unsigned n);

/* Which of n workers (processes of one scan) tests `domain`: 0..n-1, by
 * another part of the hash than the shard's. */
unsigned nh_worker_of(const char *domain, unsigned n);

/* Keeps only the entries of share k of n. */
void nh_targets_shard(struct nh_target_list *l, unsigned k, unsigned n);

/*
 * The SHA-256, in hex, of the list (names, errors, tags, in order) and
 * `options` (what else makes two scans the same). Returns 0, or -1.
 */
#define NH_TARGETS_DIGEST_HEX 65
int nh_targets_digest(const struct nh_target_list *l, const char *options,
    char out[NH_TARGETS_DIGEST_HEX]);

void nh_targets_free(struct nh_target_list *l);

/* Records the list as a new round's targets (nh_store_round_targets).
 * Returns 0, or -1 (the store's message, or out of memory). */
struct nh_store;
int nh_targets_store(
    struct nh_store *s, int64_t round, const struct nh_target_list *l);

/*
 * Scans (scan.c): runs tests on the engine with at most `concurrency` in
 * flight, and writes each result to the store's round as it completes
 * (nh_store_put_result: one transaction per test). A test that could not
 * run is written as an error. Calls tick about four times a second and
 * once at the end. Returns 0 when every test was written, or -1 with *err
 * (the store's message) when a write failed: the scan then stops starting
 * tests, lets those in flight end, and returns; what was not written is
 * still pending in the store, for the next run.
 */
struct nh_store;

struct nh_scan_item {
	const char *domain; /* borrowed; lives until nh_engine_scan returns */
	enum nh_test_type type;
};

struct nh_scan_stats {
	size_t total;   /* tests to run in this run */
	size_t done;    /* tests written */
	size_t errors;  /* tests that could not run, or with a check in
			   error (a server or resolver did not answer) */
	size_t flight;  /* tests in flight */
	double elapsed; /* seconds since the scan started */
};

#define NH_SCAN_CONCURRENCY 200 /* tests in flight, by default */

struct nh_scan_config {
	unsigned concurrency; /* 0: NH_SCAN_CONCURRENCY */
	void (*tick)(const struct nh_scan_stats *st, void *arg);
	void *arg;
};

int nh_engine_scan(struct nh_engine *e, struct nh_store *s, int64_t round,
    const struct nh_scan_item *items, size_t n, const struct nh_scan_config *c,
    const char **err);

#endif /* NH_ENGINE_H */
