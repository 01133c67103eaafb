/*
 * report.h: renders results for people and programs: the terminal page of
 * one test, and its JSON.
 *
 * This is the face of src/report/. Renderers write to a FILE and never
 * change the result.
 */
#ifndef NH_REPORT_H
#define NH_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "facts/facts.h"
#include "model/model.h"
#include "store/store.h"
#include "survey/survey.h"

struct nh_report_opts {
	bool color;       /* ANSI colours (a terminal, NO_COLOR unset) */
	bool verbose;     /* details of passed checks too */
	const char *only; /* show only this category, or NULL */
};

/*
 * The page a person reads: the score and a verdict line first, then each
 * category with its checks; for anything not passed, the findings per
 * server, what the check means and how to fix it. Returns 0, or -1 on a
 * write error.
 */
int nh_report_terminal(
    FILE *fp, const struct nh_test_result *t, const struct nh_report_opts *o);

/*
 * One line for scripts: "DOMAIN TEST SCORE CATEGORY=SCORE... MS", where
 * SCORE is a percentage or "-" when not scored, a category's value its
 * percentage or, when not scored, its status; fields separated by one
 * space, categories by their ids. Returns 0, or -1 on a write error.
 */
int nh_report_brief(FILE *fp, const struct nh_test_result *t);

/*
 * The JSON of a test (DESIGN.md's shape), with the facts as "servers"
 * (technical details per name server, web server, mail server and
 * address). Returns 0, or -1 on allocation or write failure.
 */
int nh_report_json(
    FILE *fp, const struct nh_test_result *t, const struct nh_facts *facts);

/*
 * What the TLS assessment found on each endpoint, for `nethealth tls`:
 * versions and their suites with the NCSC-NL level of each, order,
 * groups, key exchange, the options, the certificate chain, OCSP, DANE.
 * Returns 0, or -1 on a write error.
 */
int nh_report_tls(
    FILE *fp, const struct nh_facts *f, const struct nh_report_opts *o);

/*
 * Reports on scan rounds (nethealth report), from the results store.
 *
 * The aggregate is fed, never reads the store itself, so that tests feed it
 * made-up results:
 *   1. nh_scan_agg_new(by);
 *   2. nh_scan_agg_round() for every round, oldest first;
 *   3. nh_scan_agg_focus(): the round reported on and the one progress is
 *      measured from;
 *   4. nh_scan_agg_add() for every result of every round (the focus rounds
 *      keep per-domain scores and per-group figures; the others only what
 *      the trend lines need), rounds in any order;
 *   5. nh_scan_agg_finish(), then any of the renderers.
 * Adoption of a check or category is the share of tested domains that
 * passed, where tested means passed, failed, warning or info: not_tested
 * and error are counted apart. A gap is a check failed or warned; gaps are
 * ranked by the number of domains they affect.
 */
struct nh_scan_agg;

/*
 * A new, empty aggregate. `by` (copied; NULL for none) breaks the report
 * down by tag: "tag" groups domains by each plain tag (a tag without '='),
 * any other KEY by the values V of their tags "KEY=V"; a domain without
 * one goes to the group "(none)", a domain with several is in each. Returns
 * NULL on allocation failure. Caller frees with nh_scan_agg_free().
 */
struct nh_scan_agg *nh_scan_agg_new(const char *by);

/* Frees an aggregate. NULL is safe. */
void nh_scan_agg_free(struct nh_scan_agg *a);

/*
 * Declares a round (copied), oldest first, before nh_scan_agg_focus().
 * Returns 0, or -1 on allocation failure or a round declared twice.
 */
int nh_scan_agg_round(struct nh_scan_agg *a, const struct nh_store_round *r);

/*
 * Chooses the round reported on and the base round of the progress (0: no
 * progress). Both must have been declared and differ. Returns 0, or -1.
 */
int nh_scan_agg_focus(struct nh_scan_agg *a, int64_t round, int64_t base);

/*
 * Adds one stored result (copying what it keeps) of a declared round.
 * Returns 0, or -1 on allocation failure or an undeclared round.
 */
int nh_scan_agg_add(
    struct nh_scan_agg *a, int64_t round, const struct nh_store_result *r);

/*
 * Derives the rankings (gaps, who must act), the progress and the report
 * order. Call once, after the last nh_scan_agg_add(). Returns 0, or -1 on
 * allocation failure.
 */
int nh_scan_agg_finish(struct nh_scan_agg *a);

/*
 * The terminal summary: the round, the score distribution per test, the
 * adoption per category, the top 10 gaps with who must act, the progress
 * line, the groups. Returns 0, or -1 on a write error.
 */
int nh_report_scan_text(
    FILE *fp, const struct nh_scan_agg *a, const struct nh_report_opts *o);

/*
 * The aggregates as one JSON object: "round", "base_round", "by",
 * "overall" and "groups" (per scope: "domains", "scores" per test with
 * "mean", "median", "histogram", and "categories" and "checks" with their
 * status counts and "adoption_pct"), "gaps", "stakeholders", "progress",
 * "trend", "errors". Returns 0, or -1 on allocation or write failure.
 */
int nh_report_scan_json(FILE *fp, const struct nh_scan_agg *a);

/*
 * One self-contained HTML page (inline CSS and SVG charts, no script, no
 * outside resource, a Content-Security-Policy that forbids them) with the
 * same content as the JSON; every stored string is HTML-escaped. Returns
 * 0, or -1 on a write error.
 */
int nh_report_scan_html(FILE *fp, const struct nh_scan_agg *a);

/*
 * CSV (RFC 4180: CRLF line ends, fields with a comma, quote, CR or LF
 * quoted, quotes doubled), streamed from the store: the header row, then
 * nh_report_scan_csv() for each result: one row per check "round, domain,
 * tags (joined by ';'), test, category, check, status, points, max,
 * message". A test that could not run is one row with status "error" and
 * its reason as the message; an invalid line one row with status
 * "invalid", the line as domain and the reason as message. Both return 0,
 * or -1 on a write error.
 */
int nh_report_scan_csv_header(FILE *fp);
int nh_report_scan_csv(
    FILE *fp, int64_t round, const struct nh_store_result *r);

/*
 * Reports on network health survey rounds (nethealth survey / report).
 *
 * What is counted (CyberGreen's way, cybergreen-survey.md §1): per
 * service, the distinct addresses that answered as amplifiers (records
 * with open = true; a repeated address and service counts once, the AS
 * and country of its first record are kept). Per country and per AS, the
 * counts per service, the amplification-weighted sum Σ_j count_j · AF_j
 * (CyberGreen v2.1, AF_j = nh_svc_table[j].weight), and the
 * bandwidth-capped DDoS potential Σ_devices min(US, AF_j · DS) (v2.1.7)
 * in kbit/s, where US is a device's upstream and DS the rate at which an
 * attacker sends requests to one device; with constant US and DS this is
 * Σ_j count_j · min(US, AF_j · DS). Entities are ranked worst first by
 * the weighted sum (then the DDoS potential, the count, the name). Trends
 * compare each count with the previous survey round's.
 */
#define NH_SURVEY_UPSTREAM_KBPS \
	4910.0 /* US: 4.91 Mbit/s, the mean M-Lab
					  client upstream (Kaplan &
					  Leverett 2017) */
#define NH_SURVEY_REQUEST_KBPS \
	10.0 /* DS: an assumption of nethealth,
					  not a measured figure: the
					  attacker spreads requests at 10
					  kbit/s per reflector, so that
					  no single one stands out */

struct nh_survey_params {
	double upstream_kbps; /* US; <= 0: NH_SURVEY_UPSTREAM_KBPS */
	double request_kbps;  /* DS; <= 0: NH_SURVEY_REQUEST_KBPS */
};

struct nh_survey_agg;

/*
 * A new, empty aggregate (p may be NULL for the defaults). Returns NULL on
 * allocation failure. Caller frees with nh_survey_agg_free().
 */
struct nh_survey_agg *nh_survey_agg_new(const struct nh_survey_params *p);

/* Frees an aggregate. NULL is safe. */
void nh_survey_agg_free(struct nh_survey_agg *a);

/*
 * Declares the round reported on (base = false) or the round the trends
 * compare with (base = true), copying what it keeps of r. Each once, and
 * with different ids. Returns 0, or -1 (allocation failure, declared
 * twice, the same round as the other).
 */
int nh_survey_agg_round(
    struct nh_survey_agg *a, const struct nh_store_round *r, bool base);

/*
 * Adds one record (copied as needed) of a declared round. Records with
 * open = false are counted as answers only. Returns 0, or -1 on allocation
 * failure, an undeclared round, a service out of range, or after
 * nh_survey_agg_finish().
 */
int nh_survey_agg_add(
    struct nh_survey_agg *a, int64_t round, const struct nh_survey_record *r);

/* Sums and ranks. Call once, after the last nh_survey_agg_add(), before
 * any renderer. Returns 0, or -1 on allocation failure. */
int nh_survey_agg_finish(struct nh_survey_agg *a);

/*
 * Renderers of a finished aggregate. Text: the round, the services (now,
 * before, change, AF, weighted, DDoS potential), the 20 worst countries
 * and ASes with their trend, and what operators should do for each
 * exposed service (the catalog's survey_* entries). JSON: one object
 * ("round", "base_round", "params", "services", "countries", "ases",
 * "advice"), every entity. CSV (RFC 4180): a header, then one row per
 * service overall and per country / AS and service with a count now or
 * before. HTML: one self-contained page (inline CSS, no script, a
 * Content-Security-Policy), every stored string escaped with
 * nh_html_escape(), the 100 worst countries and ASes. Each returns 0, or
 * -1 on a write (or, JSON, allocation) failure.
 */
int nh_report_survey_text(
    FILE *fp, const struct nh_survey_agg *a, const struct nh_report_opts *o);
int nh_report_survey_json(FILE *fp, const struct nh_survey_agg *a);
int nh_report_survey_csv(FILE *fp, const struct nh_survey_agg *a);
int nh_report_survey_html(FILE *fp, const struct nh_survey_agg *a);

enum nh_survey_format {
	NH_SURVEY_TEXT,
	NH_SURVEY_JSON,
	NH_SURVEY_CSV,
	NH_SURVEY_HTML
};

/*
 * The whole survey report from the store, for the CLI: survey round
 * `round` (0: the latest survey round) compared with `base` (0: the
 * survey round before it, if any; -1: no comparison), rendered in format
 * f (o may be NULL; it matters for text only). Returns 0 (written), 1
 * (no such survey round, or no survey round at all: nothing written, err
 * says which), or -1 (the store cannot be read, out of memory, a write
 * error: err says). err is err_size bytes, always NUL-ended.
 */
int nh_report_survey(FILE *fp, struct nh_store *s, int64_t round, int64_t base,
    enum nh_survey_format f, const struct nh_report_opts *o, char *err,
    size_t err_size);

/*
 * Writes s HTML-escaped, for text and attribute values alike (& < > " '
 * as entities), invalid UTF-8 and control characters other than tab and
 * line feed replaced by U+FFFD. NULL writes nothing. The one escape of the
 * project: the scan report and the web site's pages use it. Returns 0, or
 * -1 on a write error.
 */
int nh_html_escape(FILE *fp, const char *s);

#endif /* NH_REPORT_H */
