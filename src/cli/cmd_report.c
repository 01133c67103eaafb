/*
 * cmd_report.c: "nethealth report": reads the rounds of the store, feeds
 * their results to the aggregate of src/report/ and renders it (terminal
 * summary, --html, --json), or streams one round as --csv.
 *
 * Exit codes: 0 written; 1 bad usage (conflicting outputs, an unknown
 * round, a store without rounds); 2 the store cannot be opened or read, or
 * the output cannot be written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "report/report.h"
#include "store/store.h"

#define DEFAULT_DB "nethealth.db"

/* The rounds as listed, oldest first. */
struct rounds {
	int64_t *ids;
	size_t n;
	struct nh_scan_agg *agg;
	size_t surveys; /* survey rounds seen (not listed) */
	bool fail;
};

static int
on_round(const struct nh_store_round *r, void *arg)
{
	struct rounds *rs = arg;
	int64_t *ids;

	if (r->survey) {
		rs->surveys++; /* a network survey: not a round of domains */
		return 0;
	}
	if ((ids = realloc(rs->ids, (rs->n + 1) * sizeof(*ids))) == NULL) {
		rs->fail = true;
		return 1;
	}
	rs->ids = ids;
	rs->ids[rs->n++] = r->id;
	if (rs->agg != NULL && nh_scan_agg_round(rs->agg, r) == -1) {
		rs->fail = true;
		return 1;
	}
	return 0;
}

struct feed {
	struct nh_scan_agg *agg;
	int64_t round;
	FILE *csv;
	bool fail; /* our failure, not the store's */
};

static int
on_result(const struct nh_store_result *r, const char *facts, void *arg)
{
	struct feed *f = arg;

	(void)facts;
	if (f->csv != NULL) {
		if (nh_report_scan_csv(f->csv, f->round, r) == -1) {
			f->fail = true;
			return 1;
		}
		return 0;
	}
	if (nh_scan_agg_add(f->agg, f->round, r) == -1) {
		f->fail = true;
		return 1;
	}
	return 0;
}

static bool
has_round(const struct rounds *rs, int64_t id)
{
	for (size_t i = 0; i < rs->n; i++) {
		if (rs->ids[i] == id)
			return true;
	}
	return false;
}

/* The round listed before `id`, or 0. */
static int64_t
round_before(const struct rounds *rs, int64_t id)
{
	for (size_t i = 1; i < rs->n; i++) {
		if (rs->ids[i] == id)
			return rs->ids[i - 1];
	}
	return 0;
}

/* Checks the options together. Returns 0, or -1 after saying why. */
static int
check_usage(const struct nh_command *cmd, const struct nh_cli_opts *o)
{
	int outputs = (o->html != NULL) + o->csv + o->json;

	if (outputs > 1) {
		nh_cli_usage_error(cmd, "choose one of --html, --csv, --json");
		return -1;
	}
	if (o->csv && o->by != NULL) {
		nh_cli_usage_error(cmd,
		    "--by does not apply to --csv: each row has the domain's "
		    "tags");
		return -1;
	}
	if (o->csv && o->since != 0) {
		nh_cli_usage_error(
		    cmd, "--since does not apply to --csv: it lists one round");
		return -1;
	}
	if (o->survey && o->by != NULL) {
		nh_cli_usage_error(cmd,
		    "--by does not apply to --survey: it groups by country and "
		    "AS");
		return -1;
	}
	if (o->round != 0 && o->round == o->since) {
		nh_cli_usage_error(
		    cmd, "--since must name another round than --round");
		return -1;
	}
	return 0;
}

/*
 * The survey report (--survey, or a store with survey rounds only): per
 * service, country and AS, from src/report/survey_*.c. Returns an exit
 * code.
 */
static int
survey_report(const struct nh_command *cmd, const struct nh_cli_opts *o,
    struct nh_store *s)
{
	enum nh_survey_format f = o->html != NULL ? NH_SURVEY_HTML
	    : o->json                             ? NH_SURVEY_JSON
	    : o->csv                              ? NH_SURVEY_CSV
						  : NH_SURVEY_TEXT;
	bool to_file = o->html != NULL && strcmp(o->html, "-") != 0;
	struct nh_report_opts ro = { .color = nh_term_color(stdout) };
	FILE *fp = stdout;
	char err[512] = "";
	int rc;

	if (to_file && (fp = fopen(o->html, "w")) == NULL) {
		fprintf(stderr, "nethealth %s: cannot write %s: %s\n",
		    cmd->name, o->html, strerror(errno));
		return NH_EXIT_CANNOT_RUN;
	}
	rc = nh_report_survey(
	    fp, s, o->round, o->since, f, &ro, err, sizeof(err));
	if (fflush(fp) == EOF && rc == 0) {
		rc = -1;
		snprintf(err, sizeof(err), "%s", strerror(errno));
	}
	if (to_file && fclose(fp) == EOF && rc == 0) {
		rc = -1;
		snprintf(err, sizeof(err), "%s", strerror(errno));
	}
	if (rc != 0) {
		fprintf(stderr, "nethealth %s: %s\n", cmd->name, err);
		if (to_file)
			unlink(o->html);
		return rc == 1 ? NH_EXIT_USAGE : NH_EXIT_CANNOT_RUN;
	}
	if (to_file)
		fprintf(stderr, "nethealth %s: wrote %s\n", cmd->name, o->html);
	return NH_EXIT_OK;
}

/* Renders the finished aggregate. Returns an exit code. */
static int
render(const struct nh_command *cmd, const struct nh_cli_opts *o,
    const struct nh_scan_agg *agg)
{
	FILE *fp = stdout;
	bool to_file = o->html != NULL && strcmp(o->html, "-") != 0;
	int rc;

	if (to_file && (fp = fopen(o->html, "w")) == NULL) {
		fprintf(stderr, "nethealth %s: cannot write %s: %s\n",
		    cmd->name, o->html, strerror(errno));
		return NH_EXIT_CANNOT_RUN;
	}
	errno = 0;
	if (o->html != NULL) {
		rc = nh_report_scan_html(fp, agg);
	} else if (o->json) {
		rc = nh_report_scan_json(fp, agg);
	} else {
		struct nh_report_opts ro = { .color = nh_term_color(stdout) };

		rc = nh_report_scan_text(fp, agg, &ro);
	}
	if (fflush(fp) == EOF)
		rc = -1;
	if (to_file && fclose(fp) == EOF)
		rc = -1;
	if (rc == -1) {
		fprintf(stderr, "nethealth %s: cannot write %s: %s\n",
		    cmd->name, to_file ? o->html : "the report",
		    errno ? strerror(errno) : "out of memory");
		if (to_file)
			unlink(o->html);
		return NH_EXIT_CANNOT_RUN;
	}
	if (to_file)
		fprintf(stderr, "nethealth %s: wrote %s\n", cmd->name, o->html);
	return NH_EXIT_OK;
}

int
nh_cmd_report(const struct nh_command *cmd, struct nh_cli_opts *o)
{
	const char *db = o->db != NULL ? o->db : DEFAULT_DB, *err = NULL;
	struct nh_store *s = NULL;
	struct rounds rs = { 0 };
	struct feed f = { 0 };
	int64_t cur, base;
	int rc = NH_EXIT_CANNOT_RUN;

	if (check_usage(cmd, o) == -1)
		return NH_EXIT_USAGE;
	/* A report reads a store; opening a missing one would create it. */
	if (access(db, R_OK) == -1) {
		fprintf(stderr, "nethealth %s: cannot open the store %s: %s\n",
		    cmd->name, db, strerror(errno));
		return NH_EXIT_CANNOT_RUN;
	}
	if ((s = nh_store_open(db, &err)) == NULL) {
		fprintf(stderr, "nethealth %s: cannot open the store %s: %s\n",
		    cmd->name, db, err != NULL ? err : "unknown error");
		return NH_EXIT_CANNOT_RUN;
	}
	if (o->survey) {
		rc = survey_report(cmd, o, s);
		goto out;
	}
	if (!o->csv && (rs.agg = nh_scan_agg_new(o->by)) == NULL)
		goto oom;
	if (nh_store_rounds(s, on_round, &rs) == -1) {
		if (rs.fail)
			goto oom;
		fprintf(stderr, "nethealth %s: reading %s: %s\n", cmd->name, db,
		    nh_store_error(s));
		goto out;
	}
	if (rs.n == 0 && rs.surveys > 0 && o->by == NULL) {
		rc = survey_report(cmd, o, s);
		goto out;
	}
	if (rs.n == 0) {
		fprintf(stderr,
		    "nethealth %s: the store %s has no scan rounds yet; run "
		    "'nethealth scan' first\n",
		    cmd->name, db);
		rc = NH_EXIT_USAGE;
		goto out;
	}
	cur = o->round != 0 ? o->round : rs.ids[rs.n - 1];
	base = o->since != 0 ? o->since : round_before(&rs, cur);
	if (base == cur) {
		nh_cli_usage_error(cmd,
		    "--since %lld: that is the round reported on; name an "
		    "earlier one",
		    (long long)base);
		rc = NH_EXIT_USAGE;
		goto out;
	}
	if (!has_round(&rs, cur) || (o->since != 0 && !has_round(&rs, base))) {
		nh_cli_usage_error(cmd,
		    "no round %lld in %s (rounds %lld to %lld)",
		    (long long)(has_round(&rs, cur) ? base : cur), db,
		    (long long)rs.ids[0], (long long)rs.ids[rs.n - 1]);
		rc = NH_EXIT_USAGE;
		goto out;
	}

	if (o->csv) {
		f.csv = stdout;
		f.round = cur;
		if (nh_report_scan_csv_header(stdout) == -1 ||
		    nh_store_each_result(s, cur, false, on_result, &f) == -1 ||
		    fflush(stdout) == EOF) {
			fprintf(stderr, "nethealth %s: %s\n", cmd->name,
			    f.fail ? "cannot write the CSV"
				   : nh_store_error(s));
			goto out;
		}
		rc = NH_EXIT_OK;
		goto out;
	}

	if (nh_scan_agg_focus(rs.agg, cur, base) == -1)
		goto oom;
	f.agg = rs.agg;
	for (size_t i = 0; i < rs.n; i++) {
		f.round = rs.ids[i];
		if (nh_store_each_result(s, f.round, false, on_result, &f) ==
		    -1) {
			if (f.fail)
				goto oom;
			fprintf(stderr,
			    "nethealth %s: reading round %lld of %s: "
			    "%s\n",
			    cmd->name, (long long)f.round, db,
			    nh_store_error(s));
			goto out;
		}
	}
	if (nh_scan_agg_finish(rs.agg) == -1)
		goto oom;
	rc = render(cmd, o, rs.agg);
	goto out;
oom:
	fprintf(stderr, "nethealth %s: out of memory\n", cmd->name);
	rc = NH_EXIT_CANNOT_RUN;
out:
	nh_scan_agg_free(rs.agg);
	free(rs.ids);
	nh_store_close(s);
	return rc;
}
