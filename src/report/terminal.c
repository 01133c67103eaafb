/*
 * terminal.c: the terminal page of one test.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "checks/checks.h"
#include "report.h"

#define RESET "\033[0m"
#define BOLD "\033[1m"
#define DIM "\033[2m"

static const char *
status_color(enum nh_status st)
{
	switch (st) {
	case NH_PASSED:
		return "\033[32m";
	case NH_FAILED:
		return "\033[31m";
	case NH_WARNING:
		return "\033[33m";
	case NH_INFO:
		return "\033[36m";
	case NH_ERROR:
		return "\033[35m";
	case NH_NOT_TESTED:
		break;
	}
	return "\033[90m";
}

static const char *
status_word(enum nh_status st)
{
	switch (st) {
	case NH_PASSED:
		return "passed";
	case NH_FAILED:
		return "FAILED";
	case NH_WARNING:
		return "warning";
	case NH_INFO:
		return "info";
	case NH_ERROR:
		return "ERROR";
	case NH_NOT_TESTED:
		break;
	}
	return "not tested";
}

/* "[ passed ]" in the status's colour. */
static void
badge(FILE *fp, enum nh_status st, const struct nh_report_opts *o)
{
	if (o->color)
		fprintf(
		    fp, "%s%-11s%s", status_color(st), status_word(st), RESET);
	else
		fprintf(fp, "%-11s", status_word(st));
}

/* Prints text indented, one output line per line of text. */
static void
indented(FILE *fp, const char *indent, const char *text)
{
	while (*text != '\0') {
		size_t n = strcspn(text, "\n");

		fprintf(fp, "%s%.*s\n", indent, (int)n, text);
		text += n;
		if (*text == '\n')
			text++;
	}
}

/*
 * The evidence of a finding on one line (the header value, the redirect
 * chain, ...), cut at a screen's worth unless verbose.
 */
static void
evidence(FILE *fp, const char *indent, const json_t *ev,
    const struct nh_report_opts *o)
{
	char *s;
	size_t max = o->verbose ? (size_t)-1 : 300;

	if (ev == NULL ||
	    (s = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
		return;
	if (strlen(s) > max)
		fprintf(fp, "%s%sevidence: %.*s...%s\n", indent,
		    o->color ? DIM : "", (int)max, s, o->color ? RESET : "");
	else
		fprintf(fp, "%s%sevidence: %s%s\n", indent, o->color ? DIM : "",
		    s, o->color ? RESET : "");
	free(s);
}

static const char *
category_title(const struct nh_category_meta *c)
{
	const struct nh_category_def *d = nh_category_find(c->id);

	return d != NULL ? d->text->title : c->id;
}

static void
print_check(
    FILE *fp, const struct nh_check_result *r, const struct nh_report_opts *o)
{
	const struct nh_check_def *d = nh_check_find(r->meta->id);
	const struct nh_text *t = d != NULL ? d->text : NULL;
	bool problem = r->status != NH_PASSED && r->status != NH_NOT_TESTED;

	fprintf(fp, "  ");
	badge(fp, r->status, o);
	fprintf(fp, "%s\n", t != NULL ? t->title : r->meta->id);
	if (r->message != NULL)
		fprintf(fp, "%s            %s%s\n", o->color ? DIM : "",
		    r->message, o->color ? RESET : "");
	if (problem || o->verbose) {
		const json_t *prev = NULL;
		bool same;

		for (size_t i = 0; i < r->nservers; i++) {
			const struct nh_finding *f = &r->servers[i];

			if (!o->verbose && f->status == NH_PASSED)
				continue;
			fprintf(fp, "              ");
			badge(fp, f->status, o);
			/* The check's line already says what every
			 * address shares. */
			same = f->message != NULL && r->message != NULL &&
			    strcmp(f->message, r->message) == 0;
			fprintf(fp, "%s%s%s\n", f->server ? f->server : "",
			    f->message && !same ? ": " : "",
			    f->message && !same ? f->message : "");
			if ((f->status != NH_PASSED || o->verbose) &&
			    (prev == NULL || !json_equal(prev, f->evidence)))
				evidence(fp, "                         ",
				    f->evidence, o);
			prev = f->evidence;
		}
	}
	if (o->verbose && r->evidence != NULL) {
		char *ev =
		    json_dumps(r->evidence, JSON_COMPACT | JSON_PRESERVE_ORDER);

		if (ev != NULL)
			fprintf(fp, "            evidence: %s\n", ev);
		free(ev);
	}
	if (problem && t != NULL) {
		fprintf(fp, "%s            What it means:%s\n",
		    o->color ? BOLD : "", o->color ? RESET : "");
		indented(fp, "              ", t->means);
		fprintf(fp, "%s            Why it matters:%s\n",
		    o->color ? BOLD : "", o->color ? RESET : "");
		indented(fp, "              ", t->why);
		fprintf(fp, "%s            How to fix it:%s\n",
		    o->color ? BOLD : "", o->color ? RESET : "");
		indented(fp, "              ", t->fix);
		fprintf(
		    fp, "            (nethealth explain %s)\n", r->meta->id);
	}
}

/* One line that says what the score means. */
static void
verdict_line(FILE *fp, const struct nh_test_result *t)
{
	size_t failed = 0, warned = 0, untested = 0, errors = 0;

	for (size_t i = 0; i < t->ncategories; i++) {
		const struct nh_category_result *c = &t->categories[i];

		failed += c->status == NH_FAILED;
		warned += c->status == NH_WARNING;
		errors += c->status == NH_ERROR;
		untested += c->score < 0 && c->status == NH_NOT_TESTED;
	}
	if (errors > 0)
		fprintf(fp,
		    "Some checks could not run; the score is "
		    "incomplete.\n");
	else if (failed > 0)
		fprintf(fp,
		    "%zu of %zu categories fall short of the "
		    "standards; the findings below say what to fix.\n",
		    failed, t->ncategories - untested);
	else if (warned > 0)
		fprintf(fp,
		    "Meets the requirements; some recommendations are "
		    "not followed.\n");
	else
		fprintf(fp, "Meets every standard tested.\n");
	if (untested == 0)
		return;
	fprintf(fp, "Not tested, and left out of the score:\n");
	for (size_t i = 0; i < t->ncategories; i++) {
		const struct nh_category_result *c = &t->categories[i];
		const char *why = c->note;

		if (c->score >= 0 || c->status != NH_NOT_TESTED)
			continue;
		/* Why: the category's note, else its first check's. */
		for (size_t k = 0; why == NULL && k < t->nchecks; k++) {
			if (strcmp(t->checks[k].meta->category, c->meta->id) ==
			    0)
				why = t->checks[k].message;
		}
		fprintf(fp, "  %s%s%s\n", category_title(c->meta),
		    why ? ": " : "", why ? why : "");
	}
}

int
nh_report_terminal(
    FILE *fp, const struct nh_test_result *t, const struct nh_report_opts *o)
{
	if (o->only == NULL) {
		fprintf(fp, "%s%s test of %s: ", o->color ? BOLD : "",
		    t->type == NH_TEST_WEB ? "Website" : "Mail", t->domain);
		if (t->score >= 0)
			fprintf(fp, "%d%%", t->score);
		else
			fprintf(fp, "no score");
		fprintf(fp, "%s\n", o->color ? RESET : "");
		verdict_line(fp, t);
	}
	for (size_t i = 0; i < t->ncategories; i++) {
		const struct nh_category_result *c = &t->categories[i];

		if (o->only != NULL && strcmp(o->only, c->meta->id) != 0)
			continue;
		fprintf(fp, "\n%s%s%s  ", o->color ? BOLD : "",
		    category_title(c->meta), o->color ? RESET : "");
		badge(fp, c->status, o);
		if (c->score >= 0)
			fprintf(fp, "%3d%% (%d of %d points)", c->score,
			    c->earned, c->max);
		fprintf(fp, "\n");
		if (c->note != NULL && o->only == NULL)
			fprintf(fp, "  (%s)\n", c->note);
		for (size_t k = 0; k < t->nchecks; k++) {
			const struct nh_check_result *r = &t->checks[k];

			if (strcmp(r->meta->category, c->meta->id) != 0)
				continue;
			/* Checks not built yet are named in the note. */
			if (r->status == NH_NOT_TESTED && r->max == 0 &&
			    nh_check_find(r->meta->id)->fn == NULL)
				continue;
			print_check(fp, r, o);
		}
	}
	fprintf(fp, "\nTested %s in %ld ms.\n", t->started, t->duration_ms);
	return ferror(fp) ? -1 : 0;
}
