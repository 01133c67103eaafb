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
 * Survey rounds (nh_store_survey_*) are rounds too: nh_store_rounds()
 * lists them with `survey` set; domain reports skip them.
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
#include "survey/survey.h"

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
	bool survey;  /* a survey round: its key starts "survey:" or it has
			 survey records; not a domain scan */
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
 * Calls cb with the result of one test of the round (as
 * nh_store_each_result). Returns 1, 0 (no such test), or -1 (also when cb
 * returns non-zero).
 */
int nh_store_one_result(struct nh_store *s, int64_t round, const char *domain,
    enum nh_test_type type, bool want_facts,
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

/*
 * Survey rounds (survey.c): a round of the network health survey is a row
 * of the rounds (web and mail false, no targets) whose records are one
 * struct nh_survey_record per address and service observed.
 *
 * Opens a new survey round, started now, with key "survey:" and a time-
 * and random-based id. source and options (JSON text, for people) may be
 * NULL. Returns the round's id (> 0), or -1.
 */
int64_t nh_store_survey_begin(
    struct nh_store *s, const char *source, const char *options);

/*
 * Writes n records of survey round `round` in one transaction: all or
 * none. Strings are read up to their array's size (an unterminated one is
 * cut there). A record's amplification < 0 is stored as unknown (NULL),
 * as are asn 0 and cc "". Returns 0, or -1 (also when the round does not
 * exist or is not a survey round).
 */
int nh_store_survey_put(struct nh_store *s, int64_t round,
    const struct nh_survey_record *r, size_t n);

/* Marks survey round `round` finished (now). Returns 0, or -1. */
int nh_store_survey_finish(struct nh_store *s, int64_t round);

/*
 * Calls cb for every record of survey round `round`, in the order they
 * were written (the record is borrowed for the call; unknown values read
 * back as amplification -1, asn 0, cc ""). Returns 0, or -1 (also when
 * the round does not exist, a stored service is unknown to this version,
 * or cb returns non-zero).
 */
int nh_store_survey_each(struct nh_store *s, int64_t round,
    int (*cb)(const struct nh_survey_record *r, void *arg), void *arg);

/*
 * The web site's tests (live.c): one row per test started from a browser
 * or the JSON API, written when it is queued and again when it ends, with
 * the result as JSON text (DESIGN.md's shape).
 */
struct nh_store_live {
	const char *id; /* 32 hex digits */
	enum nh_test_type type;
	const char *domain;
	const char *client;   /* who started it (an address or prefix) */
	const char *state;    /* "queued", "running", "done", "error" */
	const char *created;  /* RFC 3339 UTC; on writing, NULL means now */
	const char *finished; /* or NULL; on writing, ignored: set to now
				 when the state is done or error */
	int score;            /* or -1 */
	const char *error;    /* or NULL */
	const char *result;   /* JSON text, or NULL */
};

/* Inserts the test, or replaces the row with its id. Returns 0, or -1. */
int nh_store_live_put(struct nh_store *s, const struct nh_store_live *t);

/*
 * Calls cb with the test `id` (borrowed for the call). Returns 1 when
 * found, 0 when not, -1 on error (also when cb returns non-zero).
 */
int nh_store_live_get(struct nh_store *s, const char *id,
    int (*cb)(const struct nh_store_live *t, void *arg), void *arg);

/*
 * The id of the latest finished test of domain and type that ended at
 * most `seconds` ago, into id (33 bytes). Returns 1, 0 (none), or -1.
 */
int nh_store_live_recent(struct nh_store *s, const char *domain,
    enum nh_test_type type, long seconds, char id[33]);

/*
 * Marks every test still queued or running as an error with `why` (a
 * server stopped with tests in flight, or died). Returns how many, or -1.
 */
long nh_store_live_interrupt(struct nh_store *s, const char *why);

/*
 * The hall of fame: calls cb for every domain and type whose latest
 * finished test scored 100 (no result; finished is when), by domain then
 * type. Returns 0, or -1 (also when cb returns non-zero).
 */
int nh_store_hof(struct nh_store *s,
    int (*cb)(const struct nh_store_live *t, void *arg), void *arg);

/*
 * The batch API's requests (batch.c). Each runs as a scan round of the
 * store (its targets are the request's domains).
 */
struct nh_store_batch {
	const char *id; /* 32 hex digits */
	const char *user;
	const char *name;
	enum nh_test_type type;
	const char *status;    /* Internet.nl's: registering, running,
				  generating, done, cancelled, error */
	const char *submitted; /* RFC 3339 UTC */
	const char *finished;  /* or NULL */
	int64_t round;
};

/* Records a new request (submitted now). Returns 0, or -1. */
int nh_store_batch_new(struct nh_store *s, const struct nh_store_batch *b);

/* Sets a request's status; `finished` also stamps it finished now.
 * Returns 0, or -1. */
int nh_store_batch_status(
    struct nh_store *s, const char *id, const char *status, bool finished);

/*
 * Calls cb with request `id`, if it belongs to `user` (NULL: anyone's).
 * Returns 1, 0 (no such request of that user), or -1.
 */
int nh_store_batch_get(struct nh_store *s, const char *id, const char *user,
    int (*cb)(const struct nh_store_batch *b, void *arg), void *arg);

/*
 * Calls cb for the requests of `user` (NULL: everyone's), newest first,
 * at most `limit` (0: all); with `active`, only those registering or
 * running, oldest first. Returns 0, or -1 (also when cb returns
 * non-zero).
 */
int nh_store_batch_list(struct nh_store *s, const char *user, long limit,
    bool active, int (*cb)(const struct nh_store_batch *b, void *arg),
    void *arg);

#endif /* NH_STORE_H */
