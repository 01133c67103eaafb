/*
 * scan_impl.h: internal to src/report/: the aggregates of scan rounds that
 * agg.c builds from stored results and the scan renderers (scan_text.c,
 * scan_json.c, scan_html.c) read. Not for other layers: they use report.h.
 *
 * Vocabulary:
 *   round   a scan round as the store lists it; rounds[] is oldest first.
 *   focus   the round reported on ("cur") and the one progress is measured
 *           from ("base"); only these two keep per-domain scores and
 *           per-group statistics. Every round keeps the overall statistics
 *           that the trend lines need.
 *   scope   the whole round, or one group of domains (--by KEY).
 *   tested  a check or category whose status is passed, failed, warning or
 *           info; not_tested and error are counted apart. Adoption is
 *           passed / tested.
 *
 * Ownership: the aggregate owns every string it holds (copied on input);
 * the renderers only read it, after nh_scan_agg_finish().
 */
#ifndef NH_REPORT_SCAN_IMPL_H
#define NH_REPORT_SCAN_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "catalog/catalog.h"
#include "model/model.h"
#include "report.h"

#define SCAN_NTYPES 2       /* web, mail */
#define SCAN_BINS 10        /* 0-9, 10-19, ..., 90-100 */
#define SCAN_MAX_GROUPS 256 /* more groups than this go to "(other)" */
#define SCAN_MAX_LISTED 500 /* invalid lines and errors listed, at most */
#define SCAN_MAX_CHANGES 25 /* improved / worsened domains listed */
#define SCAN_MAX_NEWGONE 50 /* new / gone domains listed */
#define SCAN_MAX_STAKEHOLDERS 16
#define SCAN_CAT_HINTS 32
#define SCAN_GROUP_NONE "(none)"
#define SCAN_GROUP_OTHER "(other)"

/* A string-to-index map (open addressing; keys borrowed from the owner). */
struct scan_map {
	const char **keys;
	size_t *vals;
	size_t cap, n;
};

/* A check seen in the results. */
struct scan_check {
	char *id;
	size_t cat; /* index into nh_scan_agg.cats */
	enum nh_test_type type;
	long order;                 /* check-table index, or after them */
	const struct nh_text *text; /* catalog entry, or NULL */
};

/* A category seen in the results. */
struct scan_cat {
	char *id;
	enum nh_test_type type;
	long order;
	const struct nh_text *text;
};

/* Scores of one test type in one scope. */
struct scan_type_stats {
	long nscore[101]; /* domains per score 0..100 */
	long scored;      /* tests with a score */
	long unscored;    /* tests that ran but have no score */
	long errors;      /* tests that could not run */
};

/* Statistics of one scope in one round. Status counts per check and per
 * category are indexed by enum nh_status. */
struct scan_stats {
	long domains; /* distinct domains (focus rounds only) */
	struct scan_type_stats type[SCAN_NTYPES];
	long (*checks)[NH_STATUS_COUNT];
	long (*cats)[NH_STATUS_COUNT];
	size_t nchecks, ncats; /* allocated rows */
};

struct scan_round {
	int64_t id;
	char *source, *started, *finished; /* finished may be NULL */
	bool web, mail;
	long targets, invalid, results; /* as the store counts them */
	long invalid_seen;              /* invalid lines walked */
	struct scan_stats all;
	struct scan_stats *groups; /* focus rounds: one per group */
	size_t ngroups;            /* allocated */
	int focus;                 /* -1, or SCAN_CUR / SCAN_BASE */
};

#define SCAN_CUR 0
#define SCAN_BASE 1
#define SCAN_ABSENT (-2) /* no test of this type in the round */

/* A domain of the focus rounds. */
struct scan_domain {
	char *name;
	int score[2][SCAN_NTYPES]; /* [SCAN_CUR|SCAN_BASE][type]: 0..100, -1
				      no score, SCAN_ABSENT */
	bool in[2];                /* seen in the round */
};

/* An invalid line or a test that could not run, in the current round. */
struct scan_listed {
	char *domain; /* or the input line */
	enum nh_test_type type;
	bool invalid;
	char *reason;
};

/* How a domain's test moved between base and current round. */
enum scan_move {
	SCAN_IMPROVED,
	SCAN_WORSENED,
	SCAN_UNCHANGED,
	SCAN_NEW,            /* tested now, not in the base round */
	SCAN_GONE,           /* tested in the base round, not now */
	SCAN_NOT_COMPARABLE, /* no score on one side */
	SCAN_NMOVES
};

/* A domain whose score moved; domain borrowed from nh_scan_agg.domains. */
struct scan_change {
	const char *domain;
	enum nh_test_type type;
	int before, after;
};

/* Who must act, summed over the gaps. */
struct scan_stakeholder {
	char name[32];
	long affected; /* domain-check pairs failed or warned */
	long checks;   /* checks with a gap that name it */
};

struct nh_scan_agg {
	char *by; /* --by KEY, or NULL */

	struct scan_round *rounds; /* oldest first */
	size_t nrounds;
	size_t last;    /* cache of the last round looked up */
	long cur, base; /* indexes into rounds, -1 when unset */

	struct scan_check *checks;
	size_t nchecks;
	struct scan_map check_ix;
	/* hint[t][i]: the index of the i-th check of the last result of
	 * test t, tried before the map: results list their checks in the
	 * same order. cat_hint likewise for the first categories. */
	size_t *hint[SCAN_NTYPES];
	size_t nhint[SCAN_NTYPES];
	size_t cat_hint[SCAN_NTYPES][SCAN_CAT_HINTS];
	struct scan_cat *cats;
	size_t ncats;
	struct scan_map cat_ix;

	char **groups;
	size_t ngroups;
	struct scan_map group_ix;

	struct scan_domain *domains;
	size_t ndomains;
	struct scan_map domain_ix;

	struct scan_listed *listed;
	size_t nlisted;
	long errors_total, invalid_total; /* in the current round */

	/* Derived by nh_scan_agg_finish(). */
	bool finished;
	size_t *check_order; /* checks in report order */
	size_t *cat_order;   /* categories in report order */
	size_t *group_order; /* groups by name, "(none)" and "(other)" last */
	size_t *gaps;        /* checks failed or warned, worst first */
	size_t ngaps;
	struct scan_stakeholder stakeholders[SCAN_MAX_STAKEHOLDERS];
	size_t nstakeholders;
	long moves[SCAN_NTYPES][SCAN_NMOVES];
	long domains_new, domains_gone;
	struct scan_change *improved, *worsened;
	size_t nimproved, nworsened;
	const char **new_domains, **gone_domains; /* borrowed, by name */
	size_t nnew, ngone;
};

/* Helpers for the renderers (agg.c). */

/* The statistics of group g in round r (zeros when absent). */
const struct scan_stats *scan_group_stats(const struct scan_round *r, size_t g);

/* The status counts of check c, or of category c, in a scope (a static
 * row of zeros when the scope never saw it). */
const long *scan_check_counts(const struct scan_stats *s, size_t c);
const long *scan_cat_counts(const struct scan_stats *s, size_t c);

/* Tested (passed + failed + warning + info) and affected (failed +
 * warning) of a row of status counts. */
long scan_tested(const long *counts);
long scan_affected(const long *counts);

/* Adoption in percent (passed over tested), or -1 when nothing was
 * tested. */
double scan_share(const long *counts);

/* Mean and median score, or -1 when nothing is scored. */
double scan_mean(const struct scan_type_stats *t);
double scan_median(const struct scan_type_stats *t);

/* The 10-point histogram: bins[i] counts scores 10i..10i+9; the last bin
 * counts 90..100. */
void scan_bins(const struct scan_type_stats *t, long bins[SCAN_BINS]);

/* Whether round r has any test of type t (scored, unscored or errors). */
bool scan_has_type(const struct scan_stats *s, enum nh_test_type t);

/* A check's or category's title: the catalog's, else its id. */
const char *scan_check_title(const struct scan_check *c);
const char *scan_cat_title(const struct scan_cat *c);

/*
 * A copy of s that is valid UTF-8: each byte that does not start a valid
 * sequence, each C0 control other than tab and newline, DEL and each C1
 * control becomes U+FFFD. Returns NULL on allocation failure; caller frees.
 */
char *scan_utf8_clean(const char *s);

/*
 * Writes s for a terminal: cleaned as by scan_utf8_clean(), tabs and line
 * ends as spaces, cut to `width` characters (code points) and, when pad,
 * padded to it with spaces. width < 0: no limit. NULL writes "-".
 */
void scan_text_put(FILE *fp, const char *s, int width, bool pad);

/* "Website" or "Mail". */
const char *scan_type_label(enum nh_test_type t);

/* ---- the HTML page (scan_html.c) and its charts (scan_svg.c) ---- */

#define SCAN_SERIES 8 /* lines in one chart, at most */

/* The page being written. */
struct scan_html {
	FILE *fp;
	const struct nh_scan_agg *a;
	int ids; /* for unique element ids */
};

/* Writes v with one decimal, or an en dash when v < 0. */
void scan_html_number(struct scan_html *h, double v);

/* The score histogram of one test (10-point bins) in a figure with its
 * mean and median, then the same numbers as a table. */
void scan_svg_histogram(
    struct scan_html *h, enum nh_test_type t, const struct scan_type_stats *ts);

/* One bar per category: the share of tested domains whose category verdict
 * is passed, the label above each bar. */
void scan_svg_categories(struct scan_html *h, const struct scan_stats *s);

/* A small bar of share (0..100) for a table cell, hidden from assistive
 * technology: the number beside it says the same. */
void scan_svg_cell_bar(struct scan_html *h, double share);

/* The value of series `which` in a round, 0..100, or -1 for none. */
typedef double (*scan_value_fn)(const struct scan_round *r, size_t which);

/* A line chart across every round (0..100), one line per series (at most
 * SCAN_SERIES, told apart by colour and dash), the legend inside, then a
 * table of the values. title is trusted text; names are escaped. */
void scan_svg_lines(struct scan_html *h, const char *title, const char *unit,
    const size_t *which, const char *const *names, size_t nseries,
    scan_value_fn value);

#endif /* NH_REPORT_SCAN_IMPL_H */
