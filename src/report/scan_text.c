/*
 * scan_text.c: the terminal summary of a scan round: the round, the score
 * distribution per test, adoption per category, the top 10 gaps with who
 * must act, the progress line, the groups and the first problems.
 */
#include <string.h>

#include "scan_impl.h"

#define BOLD "\033[1m"
#define RESET "\033[0m"
#define TEXT_GAPS 10
#define TEXT_PROBLEMS 10
#define BAR 10

static void
heading(FILE *fp, const struct nh_report_opts *o, const char *text)
{
	fprintf(fp, "\n%s%s%s\n", o->color ? BOLD : "", text,
	    o->color ? RESET : "");
}

/* "  67.3" or "     -". */
static void
figure(FILE *fp, int width, double v)
{
	if (v < 0)
		fprintf(fp, "%*s", width, "-");
	else
		fprintf(fp, "%*.1f", width, v);
}

static void
scores(FILE *fp, const struct nh_scan_agg *a, const struct nh_report_opts *o)
{
	const struct scan_stats *s = &a->rounds[a->cur].all;

	heading(fp, o, "Scores (domains per 10-point bin; the last is 90-100)");
	fprintf(fp, "  %-8s %7s %6s %6s ", "test", "scored", "mean", "median");
	for (int b = 0; b < SCAN_BINS; b++)
		fprintf(fp, " %5d", b * 10);
	fprintf(fp, "\n");
	for (int t = 0; t < SCAN_NTYPES; t++) {
		const struct scan_type_stats *ts = &s->type[t];
		long bins[SCAN_BINS];

		if (!scan_has_type(s, (enum nh_test_type)t))
			continue;
		scan_bins(ts, bins);
		fprintf(fp, "  %-8s %7ld ",
		    scan_type_label((enum nh_test_type)t), ts->scored);
		figure(fp, 6, scan_mean(ts));
		fprintf(fp, " ");
		figure(fp, 6, scan_median(ts));
		fprintf(fp, " ");
		for (int b = 0; b < SCAN_BINS; b++)
			fprintf(fp, " %5ld", bins[b]);
		fprintf(fp, "\n");
		if (ts->unscored > 0 || ts->errors > 0)
			fprintf(fp,
			    "           (%ld without a score, %ld could not "
			    "run)\n",
			    ts->unscored, ts->errors);
	}
}

static void
adoption(FILE *fp, const struct nh_scan_agg *a, const struct nh_report_opts *o)
{
	const struct scan_stats *s = &a->rounds[a->cur].all;
	int last_type = -1;

	heading(
	    fp, o, "Adoption per category (share of tested domains passing)");
	for (size_t k = 0; k < a->ncats; k++) {
		const struct scan_cat *c = &a->cats[a->cat_order[k]];
		const long *n = scan_cat_counts(s, a->cat_order[k]);
		double share = scan_share(n);
		int fill = share < 0 ? 0 : (int)(share * BAR / 100 + 0.5);

		if ((int)c->type != last_type) {
			fprintf(fp, "  %s\n", scan_type_label(c->type));
			last_type = (int)c->type;
		}
		fprintf(fp, "    ");
		scan_text_put(fp, scan_cat_title(c), 46, true);
		fprintf(fp, " ");
		if (share < 0) {
			fprintf(fp, "%6s %-*s not tested\n", "-", BAR + 2, "");
			continue;
		}
		fprintf(fp, "%5.1f%% [%.*s%.*s] %ld of %ld\n", share, fill,
		    "##########", BAR - fill, "..........", n[NH_PASSED],
		    scan_tested(n));
	}
}

static void
gaps(FILE *fp, const struct nh_scan_agg *a, const struct nh_report_opts *o)
{
	const struct scan_stats *s = &a->rounds[a->cur].all;
	size_t n = a->ngaps < TEXT_GAPS ? a->ngaps : TEXT_GAPS;

	heading(fp, o, "Biggest gaps (domains failed or warned)");
	if (n == 0) {
		fprintf(fp, "  none: every tested check passed.\n");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct scan_check *c = &a->checks[a->gaps[i]];
		const long *k = scan_check_counts(s, a->gaps[i]);
		long tested = scan_tested(k);

		fprintf(fp, "  %2zu. ", i + 1);
		scan_text_put(fp, scan_check_title(c), 55, true);
		fprintf(fp, " %6ld (%4.1f%%)\n", scan_affected(k),
		    tested > 0
			? 100.0 * (double)scan_affected(k) / (double)tested
			: 0.0);
		fprintf(fp, "      who must act: %s; nethealth explain ",
		    c->text != NULL ? c->text->stakeholder : "unknown");
		scan_text_put(fp, c->id, -1, false);
		fprintf(fp, "\n");
	}
	if (a->ngaps > n)
		fprintf(fp,
		    "  (%zu more checks with gaps: see --html or --json)\n",
		    a->ngaps - n);
}

static void
progress_line(
    FILE *fp, const struct nh_scan_agg *a, const struct nh_report_opts *o)
{
	const struct scan_round *b;

	heading(fp, o, "Progress");
	if (a->base < 0) {
		fprintf(fp, "  no earlier round to compare with.\n");
		return;
	}
	b = &a->rounds[a->base];
	fprintf(fp, "  since round %lld (", (long long)b->id);
	scan_text_put(fp, b->started, -1, false);
	fprintf(fp, "):");
	for (int t = 0; t < SCAN_NTYPES; t++) {
		const long *m = a->moves[t];

		if (m[SCAN_IMPROVED] + m[SCAN_WORSENED] + m[SCAN_UNCHANGED] +
			m[SCAN_NEW] + m[SCAN_GONE] + m[SCAN_NOT_COMPARABLE] ==
		    0)
			continue;
		fprintf(fp,
		    "\n    %-8s %ld improved, %ld worsened, %ld unchanged, "
		    "%ld new, %ld gone",
		    scan_type_label((enum nh_test_type)t), m[SCAN_IMPROVED],
		    m[SCAN_WORSENED], m[SCAN_UNCHANGED], m[SCAN_NEW],
		    m[SCAN_GONE]);
		if (m[SCAN_NOT_COMPARABLE] > 0)
			fprintf(
			    fp, ", %ld not comparable", m[SCAN_NOT_COMPARABLE]);
	}
	fprintf(fp, "\n    domains: %ld new, %ld gone\n", a->domains_new,
	    a->domains_gone);
}

static void
groups(FILE *fp, const struct nh_scan_agg *a, const struct nh_report_opts *o)
{
	const struct scan_round *r = &a->rounds[a->cur];
	char head[96];

	if (a->by == NULL)
		return;
	snprintf(head, sizeof(head), "By %s", a->by);
	heading(fp, o, head);
	fprintf(fp, "  %-30s %8s %10s %10s\n", "group", "domains", "web mean",
	    "mail mean");
	for (size_t k = 0; k < a->ngroups; k++) {
		const struct scan_stats *g =
		    scan_group_stats(r, a->group_order[k]);

		if (g->domains == 0)
			continue;
		fprintf(fp, "  ");
		scan_text_put(fp, a->groups[a->group_order[k]], 30, true);
		fprintf(fp, " %8ld ", g->domains);
		figure(fp, 10, scan_mean(&g->type[NH_TEST_WEB]));
		fprintf(fp, " ");
		figure(fp, 10, scan_mean(&g->type[NH_TEST_MAIL]));
		fprintf(fp, "\n");
	}
}

static void
problems(FILE *fp, const struct nh_scan_agg *a, const struct nh_report_opts *o)
{
	size_t n = a->nlisted < TEXT_PROBLEMS ? a->nlisted : TEXT_PROBLEMS;

	if (a->nlisted == 0)
		return;
	heading(fp, o, "Invalid lines and tests that could not run");
	for (size_t i = 0; i < n; i++) {
		const struct scan_listed *l = &a->listed[i];

		fprintf(fp, "  ");
		scan_text_put(fp, l->domain, 40, true);
		fprintf(fp, " %-8s ",
		    l->invalid ? "invalid" : nh_test_type_name(l->type));
		scan_text_put(fp, l->reason, -1, false);
		fprintf(fp, "\n");
	}
	if ((long)n < a->errors_total + a->invalid_total)
		fprintf(fp, "  (%ld more: see --html or --json)\n",
		    a->errors_total + a->invalid_total - (long)n);
}

int
nh_report_scan_text(
    FILE *fp, const struct nh_scan_agg *a, const struct nh_report_opts *o)
{
	const struct scan_round *r = &a->rounds[a->cur];

	fprintf(fp, "%snethealth report: round %lld%s (", o->color ? BOLD : "",
	    (long long)r->id, o->color ? RESET : "");
	scan_text_put(fp, r->source, 60, false);
	fprintf(fp, ")\nStarted ");
	scan_text_put(fp, r->started, -1, false);
	if (r->finished != NULL) {
		fprintf(fp, ", finished ");
		scan_text_put(fp, r->finished, -1, false);
	} else {
		fprintf(fp, ", not finished");
	}
	fprintf(fp,
	    ".\nDomains: %ld. Invalid lines: %ld. Tests that could not "
	    "run: %ld.\n",
	    r->all.domains, r->invalid_seen, a->errors_total);
	scores(fp, a, o);
	adoption(fp, a, o);
	gaps(fp, a, o);
	progress_line(fp, a, o);
	groups(fp, a, o);
	problems(fp, a, o);
	return ferror(fp) ? -1 : 0;
}
