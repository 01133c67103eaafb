/*
 * model.h: the results model shared by the CLI, the store, the reports and
 * the web site: statuses, check and category metadata, check results, test
 * results, and the score (Internet.nl's published model, see docs/scoring.md).
 *
 * This is the face of src/model/; other layers include only this header.
 * Plain data plus the pure functions that score it. No I/O except the JSON
 * conversion, which works on jansson values in memory.
 *
 * Ownership: every pointer member of a result is owned by the struct that
 * holds it unless marked "borrowed"; free a test result with
 * nh_test_result_free(), which frees everything it owns. Metadata (the
 * nh_check_meta and nh_category_meta rows) is static and borrowed.
 */
#ifndef NH_MODEL_H
#define NH_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/*
 * Statuses, from worst to best. The numeric order is the severity order, so
 * "a is worse than b" is a < b. The names are the JSON and API strings.
 */
enum nh_status {
	NH_ERROR = 0,  /* could not be tested: a network or resolver error */
	NH_FAILED,     /* a requirement is not met */
	NH_WARNING,    /* a recommendation is not met */
	NH_INFO,       /* worth knowing; no requirement */
	NH_NOT_TESTED, /* not applicable or not tested */
	NH_PASSED,     /* meets the standard */
};
#define NH_STATUS_COUNT 6

/* The API string of a status ("passed", "not_tested", ...). Never NULL. */
const char *nh_status_name(enum nh_status st);

/* Parses an API string. Returns 0 and sets *out, or -1 if unknown. */
int nh_status_parse(const char *name, enum nh_status *out);

/* The worse of two statuses. */
enum nh_status nh_status_worse(enum nh_status a, enum nh_status b);

/*
 * Clamps a finding to a check's worst status: a finding worse than `worst`
 * becomes `worst` (a failed finding on an info-capped check is shown as
 * info). NH_ERROR is never clamped: it says the check could not run, which
 * is not a verdict. NH_NOT_TESTED and NH_PASSED are never changed.
 */
enum nh_status nh_status_clamp(enum nh_status requested, enum nh_status worst);

enum nh_test_type {
	NH_TEST_WEB,
	NH_TEST_MAIL,
};

/* "web" or "mail". */
const char *nh_test_type_name(enum nh_test_type t);

/* Category flags. */
#define NH_CAT_PER_SERVER 0x1 /* score = minimum over servers (see below) */

/* Static description of a category. */
struct nh_category_meta {
	const char *id;         /* "web_ipv6", as in Internet.nl's batch API */
	enum nh_test_type test; /* which test it belongs to */
	unsigned flags;         /* NH_CAT_* */
	const char *gate;       /* check id whose status is the verdict when
				      every other check is not tested, or NULL */
};

/* Static description of a check: the scoring half of a check-table row. */
struct nh_check_meta {
	const char *id;       /* "web_ipv6_ns_address" */
	const char *category; /* category id */
	enum nh_status worst; /* findings are clamped to this */
	int points;           /* full points; 0 = not scored */
};

/*
 * A check is mandatory (counts in the score) when its worst status is
 * NH_FAILED and it has points, as in Internet.nl.
 */
bool nh_check_meta_scored(const struct nh_check_meta *m);

/* One server's outcome of a check (an address, a name server, an MX). */
struct nh_finding {
	char *server;          /* label: an address or host name; owned */
	enum nh_status status; /* clamped by nh_check_result_finish() */
	int points;            /* points earned, 0..max */
	int max;               /* points possible; 0 = not counted */
	char *message;         /* one line for a person; owned, may be NULL */
	json_t *evidence; /* the facts that decided it; owned, may be NULL */
};

/* The outcome of one check for one domain. */
struct nh_check_result {
	const struct nh_check_meta *meta; /* borrowed, static */
	enum nh_status status;
	int points;                 /* points earned, 0..max */
	int max;                    /* points possible; 0 = not counted */
	char *message;              /* owned, may be NULL */
	json_t *evidence;           /* owned, may be NULL */
	struct nh_finding *servers; /* owned array, per-server outcomes */
	size_t nservers;
	bool status_set; /* nh_check_result_set() was called */
};

/*
 * Prepares a result for a check: status not tested, no points, max set to
 * the check's full points when it is scored. Any previous content must have
 * been released with nh_check_result_clear().
 */
void nh_check_result_init(
    struct nh_check_result *r, const struct nh_check_meta *meta);

/* Frees what a result owns and zeroes it. Safe on a zeroed result. */
void nh_check_result_clear(struct nh_check_result *r);

/*
 * Sets the result's status, points and message (copied). `points` is
 * clamped to 0..max. Returns 0, or -1 on allocation failure.
 */
int nh_check_result_set(struct nh_check_result *r, enum nh_status st,
    int points, const char *message);

/*
 * Sets the result as not applicable: not tested, not counted (max = 0), with
 * a message. Returns 0, or -1 on allocation failure.
 */
int nh_check_result_not_applicable(
    struct nh_check_result *r, const char *message);

/*
 * Appends a per-server finding (server and message are copied; evidence is
 * taken over, even on failure). Its max is the check's full points when the
 * check is scored, else 0. Returns the finding, or NULL on allocation
 * failure. The pointer is valid until the next append.
 */
struct nh_finding *nh_check_result_add_server(struct nh_check_result *r,
    const char *server, enum nh_status st, int points, const char *message,
    json_t *evidence);

/*
 * Appends a per-server detail: a finding that shows a server's status but
 * does not count points (max 0), for checks whose points the check sets as
 * a whole (an average over servers, as Internet.nl's IPv6 reachability).
 * Same ownership and return as nh_check_result_add_server().
 */
struct nh_finding *nh_check_result_add_detail(struct nh_check_result *r,
    const char *server, enum nh_status st, const char *message,
    json_t *evidence);

/*
 * Finishes a result: clamps every status to the check's worst status, and
 * when there are per-server findings, the check's status becomes the worst
 * of them (and of its own status, if the check set one); when some of them
 * count points, the check's points become their minimum and its max their
 * maximum (the per-server aggregation of Internet.nl). Details leave the
 * check's own points as set.
 */
void nh_check_result_finish(struct nh_check_result *r);

/* A category's outcome, computed by nh_score(). */
struct nh_category_result {
	const struct nh_category_meta *meta; /* borrowed, static */
	enum nh_status status;               /* the category verdict */
	int score;                           /* 0..100, or -1 when not scored */
	int earned; /* points earned (of the lowest server) */
	int max;    /* points possible (of that server) */
	char *note; /* owned, may be NULL */
};

/* One domain's test. */
struct nh_test_result {
	char *domain; /* owned */
	enum nh_test_type type;
	char started[32]; /* RFC 3339 UTC, "2026-11-28T09:21:41Z" */
	long duration_ms;
	int score; /* 0..100, or -1 when no category is scored */
	struct nh_check_result *checks; /* owned array */
	size_t nchecks;
	struct nh_category_result *categories; /* owned array */
	size_t ncategories;
	json_t *servers; /* technical details; owned, may be NULL */
};

/*
 * Allocates a test result for `domain` (copied) with room for `nchecks`
 * check results and `ncategories` categories, all zeroed. Returns NULL on
 * allocation failure. Caller frees with nh_test_result_free().
 */
struct nh_test_result *nh_test_result_new(const char *domain,
    enum nh_test_type type, size_t nchecks, size_t ncategories);

/* Frees a test result and everything it owns. NULL is safe. */
void nh_test_result_free(struct nh_test_result *t);

/* The check result with this id, or NULL. Borrowed from t. */
const struct nh_check_result *nh_test_result_check(
    const struct nh_test_result *t, const char *id);

/* The category result with this id, or NULL. Borrowed from t. */
const struct nh_category_result *nh_test_result_category(
    const struct nh_test_result *t, const char *id);

/*
 * Scores a test: fills every category result from the check results of its
 * category (status, score, points), then the test score as the truncated
 * mean of the scored categories. t->categories[i].meta must be set. The
 * rules are Internet.nl's, with the differences listed in docs/scoring.md.
 */
void nh_score(struct nh_test_result *t);

/*
 * The test score alone, from the category scores as they stand (after a
 * caller changed a category, e.g. to not scored).
 */
void nh_score_total(struct nh_test_result *t);

/* Scoring pieces, exposed for the unit tests and the reports. */
enum nh_status nh_score_category_verdict(const struct nh_category_meta *cat,
    const struct nh_check_result *checks, size_t nchecks);
int nh_score_category_points(const struct nh_category_meta *cat,
    const struct nh_check_result *checks, size_t nchecks, int *earned,
    int *max);

/*
 * Normalizes a domain name as typed by a user or read from a list: trims
 * surrounding white space and one final dot, converts an internationalized
 * name to its A-label form (IDNA 2008 with UTS #46 mapping, libidn2) and
 * lowers the case, then checks the DNS syntax (RFC 1035 §2.3.4: at most 253
 * characters, labels of 1 to 63 letters, digits, hyphens or underscores, no
 * hyphen at either end of a label, at least two labels).
 *
 * Returns a new string the caller frees with free(), or NULL with *why set
 * to a static reason ("empty name", "label longer than 63 characters", ...).
 */
char *nh_domain_normalize(const char *input, const char **why);

/*
 * The JSON object of a per-server finding: "server", "status", "points",
 * "max_points", "message", "evidence" (absent members left out; text that
 * is not UTF-8 has its other bytes as '?'). Returns a new reference, or
 * NULL on allocation failure.
 */
json_t *nh_finding_to_json(const struct nh_finding *f);

/*
 * The JSON object of a test result, in DESIGN.md's shape. Returns a new
 * reference, or NULL on allocation failure. Caller releases with
 * json_decref().
 */
json_t *nh_test_result_to_json(const struct nh_test_result *t);

#endif /* NH_MODEL_H */
