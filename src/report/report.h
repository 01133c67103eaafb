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
#include <stdio.h>

#include "facts/facts.h"
#include "model/model.h"

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

#endif /* NH_REPORT_H */
