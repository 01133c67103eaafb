/*
 * store.h: the results store: scan rounds, the domains of each round with
 * their tags, one row per check result with its evidence, the category and
 * test scores, and the facts the servers gave. SQLite (one file, WAL, a
 * schema version with migrations) behind this one interface.
 *
 * This is the face of src/store/.
 *
 * Writing: a scan opens a round (nh_store_round_begin), lists its targets
 * once (nh_store_round_targets), then writes each test's result as it
 * completes (nh_store_put_result), each in one transaction, so a process
 * killed at any moment leaves every completed result and nothing half
 * written. Started again with the same key, the round continues: the
 * targets are kept, and nh_store_round_pending() says what is left.
 *
 * Reading: nh_store_rounds() lists the rounds, nh_store_each_result()
 * walks one round's results in domain order.
 *
 * Errors: functions return 0 (or an id) on success and -1 on failure with
 * a message in the store (nh_store_error()), valid until the next call.
 * Ownership: strings passed in are copied; structures handed to callbacks
 * are borrowed for the duration of the call.
 */
#ifndef NH_STORE_H
#define NH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "model/model.h"

struct nh_store;

/*
 * Opens (creating if needed) the store at `path`, and brings its schema up
 * to this version (migrations in order, in one transaction). A store made
 * by a newer version is refused. Returns NULL with *err set to a static
 * or store-owned message (valid until the next open) when it cannot.
 * Caller closes with nh_store_close().
 */
struct nh_store *nh_store_open(const char *path, const char **err);

/* Closes the store. NULL is safe. */
void nh_store_close(struct nh_store *s);

/* The last error's message. Never NULL. */
const char *nh_store_error(const struct nh_store *s);

/* What defines a round. */
struct nh_round_spec {
	const char *key;     /* identity: a digest of the target list and the
				options; equal keys mean "the same scan" */
	const char *source;  /* where the list came from ("gov.txt", "-") */
	const char *options; /* the options, as JSON text, for people */
	bool web, mail;      /* the tests run */
};

/*
 * Opens a round to write: the latest round with spec->key that is not
 * finished (*resumed = true), or a new one (*resumed = false), started
 * now. Returns the round's id (> 0), or -1. An unfinished round whose
 * targets were never recorded (the process died between the two calls)
 * is returned with *resumed = false, so that the caller records them.
 */
int64_t nh_store_round_begin(
    struct nh_store *s, const struct nh_round_spec *spec, bool *resumed);

/* One line of a scan's list, after normalization. */
struct nh_store_target {
	const char *input;       /* the line as read (for errors) */
	const char *domain;      /* normalized, or NULL when invalid */
	const char *error;       /* why it is invalid, or NULL */
	const char *const *tags; /* borrowed */
	size_t ntags;
	long line; /* line number in the source, from 1 */
};

/*
 * Records a new round's targets, all in one transaction: one per
 * distinct domain (the caller has merged duplicates and their tags), and
 * one per invalid line with its error. Call once, for a round that is not
 * resumed. Returns 0, or -1.
 */
int nh_store_round_targets(struct nh_store *s, int64_t round,
    const struct nh_store_target *t, size_t n);

/*
 * Calls cb for every valid target of the round that still lacks a result
 * of type `type`, in the order they were listed. Returns 0, or -1 (also
 * when cb returns non-zero, which stops the walk).
 */
int nh_store_round_pending(struct nh_store *s, int64_t round,
    enum nh_test_type type, int (*cb)(const char *domain, void *arg),
    void *arg);

/*
 * Writes one test's result in one transaction: the test row (score,
 * started, duration), one row per category, one per check (status,
 * points, max, message, evidence and per-server findings as JSON), and
 * the facts (JSON, may be NULL). A result already stored for the same
 * round, domain and type is left as it is and 0 is returned: a result is
 * never written twice. Returns 0, or -1.
 */
int nh_store_put_result(struct nh_store *s, int64_t round,
    const struct nh_test_result *r, const json_t *facts);

/*
 * Records that a test of `domain` could not run at all (the engine ran
 * out of memory): a test row with no score and `why`, so the domain is
 * not lost. Same once-only rule as nh_store_put_result(). Returns 0, or
 * -1.
 */
int nh_store_put_error(struct nh_store *s, int64_t round, const char *domain,
    enum nh_test_type type, const char *why);

/* The tests written in the round so far (one round's count, for a
 * progress bar that polls), or -1. */
long nh_store_round_results(struct nh_store *s, int64_t round);

/* Marks the round finished (now). Returns 0, or -1. */
int nh_store_round_finish(struct nh_store *s, int64_t round);

/* A round, as listed. Strings are borrowed from the store's walk. */
struct nh_store_round {
	int64_t id;
	const char *key;
	const char *source;
	const char *options;
	const char *started;  /* RFC 3339 UTC */
	const char *finished; /* or NULL while running or interrupted */
	bool web, mail;
	long targets; /* valid targets */
	long invalid; /* invalid lines */
	long results; /* test rows written */
};

/*
 * Calls cb for every round, oldest first. Returns 0, or -1 (also when cb
 * returns non-zero).
 */
int nh_store_rounds(struct nh_store *s,
    int (*cb)(const struct nh_store_round *r, void *arg), void *arg);

/* One check of a stored result. */
struct nh_store_check {
	const char *id;       /* "web_ipv6_ns_address" */
	const char *category; /* "web_ipv6" */
	enum nh_status status;
	int points, max;
	const char *message;  /* or NULL */
	const char *evidence; /* JSON text of the evidence and per-server
				 findings, or NULL */
};

/* One category of a stored result. */
struct nh_store_category {
	const char *id;
	enum nh_status status;
	int score; /* 0..100, or -1 when not scored */
};

/* One stored test of one domain, or one invalid line. */
struct nh_store_result {
	const char *domain;      /* normalized; for an invalid line, the
				    input */
	const char *const *tags; /* the target's tags */
	size_t ntags;
	enum nh_test_type type;
	int score;           /* 0..100, or -1 */
	const char *error;   /* the test could not run, or the line is
				    invalid: why; else NULL */
	bool invalid;        /* an invalid line (no test ran) */
	const char *started; /* or NULL */
	long duration_ms;
	const struct nh_store_category *categories;
	size_t ncategories;
	const struct nh_store_check *checks;
	size_t nchecks;
};

/*
 * Calls cb for every result of the round, by domain then type, then once
 * per invalid line (invalid = true, type NH_TEST_WEB, no checks). With
 * want_facts, *facts_json is the stored facts text (or NULL); pass false
 * to skip reading them. Returns 0, or -1 (also when cb returns non-zero).
 */
int nh_store_each_result(struct nh_store *s, int64_t round, bool want_facts,
    int (*cb)(
	const struct nh_store_result *r, const char *facts_json, void *arg),
    void *arg);

/*
 * Writes round `round` to fp as canonical text, one line per target,
 * invalid line, test, category and check, sorted, with no ids, times,
 * durations or facts: two scans of the same list compare with diff(1).
 * The format is in dump.c. Returns 0, or -1 (also on a write error).
 */
int nh_store_dump(struct nh_store *s, int64_t round, FILE *fp);

#endif /* NH_STORE_H */
