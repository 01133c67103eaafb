/*
 * cmd_scan.c: "nethealth scan": reads a list of domains, opens (or
 * resumes) a round in the store, runs the tests on one engine and shows
 * progress on standard error when it is a terminal.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "engine/engine.h"
#include "store/store.h"

#define DEFAULT_DB "nethealth.db"
#define SHOW_INVALID 20 /* invalid lines listed on standard error */

/* What the progress bar knows. */
struct progress {
	bool errors_known; /* one process: its engine counts them */
};

/* The progress bar: done/total, rate, ETA, errors, on one line. */
static void
progress(const struct nh_scan_stats *st, void *arg)
{
	const struct progress *pr = arg;
	char bar[31];
	double share = st->total ? (double)st->done / (double)st->total : 1;
	double rate = st->elapsed > 0 ? (double)st->done / st->elapsed : 0;
	long eta =
	    rate > 0 ? (long)((double)(st->total - st->done) / rate) : -1;
	size_t fill = (size_t)(share * 30);

	memset(bar, '#', fill);
	memset(bar + fill, '.', 30 - fill);
	bar[30] = '\0';
	fprintf(stderr, "\r[%s] %zu/%zu tests %3.0f%%  %.1f/s  ", bar, st->done,
	    st->total, share * 100, rate);
	if (eta >= 0)
		fprintf(stderr, "ETA %ld:%02ld  ", eta / 60, eta % 60);
	else
		fputs("ETA -  ", stderr);
	if (pr->errors_known)
		fprintf(stderr, "errors %zu  in flight %zu\033[K", st->errors,
		    st->flight);
	else
		fputs("\033[K", stderr);
	if (st->done == st->total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* What makes two scans of the same list the same scan, as text. */
static void
scan_identity(const struct nh_cli_opts *o, char *buf, size_t len)
{
	snprintf(buf, len,
	    "v1 web=%d mail=%d compat=%d shard=%u/%u vrps=%s routes=%s", o->web,
	    o->mail, o->compat, o->shard_k, o->shard_n,
	    o->rpki_vrps ? o->rpki_vrps : "",
	    o->rpki_routes ? o->rpki_routes : "");
}

/* The options of the round as JSON text, for people; NULL out of memory. */
static char *
options_json(const struct nh_cli_opts *o)
{
	json_t *j = json_object(), *tags = json_array();
	char *s = NULL;

	if (j == NULL || tags == NULL)
		goto out;
	for (int i = 0; i < o->ntags; i++)
		json_array_append_new(tags, json_string(o->tags[i]));
	json_object_set_new(j, "web", json_boolean(o->web));
	json_object_set_new(j, "mail", json_boolean(o->mail));
	json_object_set(j, "tags", tags);
	json_object_set_new(j, "internetnl_compat", json_boolean(o->compat));
	if (o->shard_n > 0)
		json_object_set_new(
		    j, "shard", json_sprintf("%u/%u", o->shard_k, o->shard_n));
	json_object_set_new(j, "concurrency",
	    json_integer(
		o->concurrency ? o->concurrency : NH_SCAN_CONCURRENCY));
	if (o->timeout > 0)
		json_object_set_new(j, "timeout", json_real(o->timeout));
	if (o->max_conns > 0)
		json_object_set_new(j, "max_conns", json_integer(o->max_conns));
	if (o->conn_rate_set)
		json_object_set_new(j, "conn_rate", json_real(o->conn_rate));
	if (o->rpki_vrps != NULL)
		json_object_set_new(j, "rpki_vrps", json_string(o->rpki_vrps));
	if (o->rpki_routes != NULL)
		json_object_set_new(
		    j, "rpki_routes", json_string(o->rpki_routes));
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
out:
	json_decref(tags);
	json_decref(j);
	return s;
}

/* Reads the list named by -i (or standard input). Returns 0, or an exit
 * code after reporting. */
static int
read_list(const struct nh_command *cmd, const struct nh_cli_opts *o,
    struct nh_target_list *l)
{
	const char *in = o->input;
	FILE *fp = stdin;
	int rc;

	if (in == NULL && isatty(STDIN_FILENO)) {
		nh_cli_usage_error(cmd,
		    "no list: give -i FILE, or -i - to read standard input");
		return NH_EXIT_USAGE;
	}
	if (in != NULL && strcmp(in, "-") != 0 &&
	    (fp = fopen(in, "r")) == NULL) {
		fprintf(stderr, "nethealth scan: cannot read %s: %s\n", in,
		    strerror(errno));
		return NH_EXIT_USAGE;
	}
	rc = nh_targets_read(fp, l);
	if (rc == -1)
		fprintf(stderr, "nethealth scan: cannot read %s: %s\n",
		    in != NULL && strcmp(in, "-") != 0 ? in : "standard input",
		    errno ? strerror(errno) : "out of memory");
	if (fp != stdin)
		fclose(fp);
	if (rc == -1)
		return NH_EXIT_USAGE;
	if (nh_targets_tag_all(l, o->tags, (size_t)o->ntags) == -1) {
		fprintf(stderr, "nethealth scan: out of memory\n");
		return NH_EXIT_CANNOT_RUN;
	}
	if (o->shard_n > 0)
		nh_targets_shard(l, o->shard_k, o->shard_n);
	return 0;
}

/* Lists the invalid lines on standard error (all are in the store). */
static void
show_invalid(const struct nh_target_list *l)
{
	size_t shown = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].domain != NULL)
			continue;
		if (shown++ == SHOW_INVALID) {
			fprintf(stderr,
			    "nethealth scan: ... and %zu more invalid "
			    "lines (all in the store)\n",
			    l->invalid - SHOW_INVALID);
			return;
		}
		fprintf(stderr, "nethealth scan: line %ld: '%s': %s\n",
		    l->v[i].line, l->v[i].input, l->v[i].error);
	}
}

struct pending {
	struct nh_scan_item *v;
	size_t n, cap;
	enum nh_test_type type;
	char **names; /* copies of the domains, owned */
};

static int
add_pending(const char *domain, void *arg)
{
	struct pending *p = arg;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		struct nh_scan_item *v = realloc(p->v, cap * sizeof(*v));
		char **names = realloc(p->names, cap * sizeof(*names));

		if (v != NULL)
			p->v = v;
		if (names != NULL)
			p->names = names;
		if (v == NULL || names == NULL)
			return -1;
		p->cap = cap;
	}
	if ((p->names[p->n] = strdup(domain)) == NULL)
		return -1;
	p->v[p->n].domain = p->names[p->n];
	p->v[p->n].type = p->type;
	p->n++;
	return 0;
}

static void
pending_free(struct pending *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->names[i]);
	free(p->names);
	free(p->v);
}

/*
 * Runs worker w's share (of nw) of the pending tests on an engine of its
 * own, writing to store s; progress on standard error when prog is set.
 * Returns 0, or -1 after reporting.
 */
static int
run_share(const struct nh_cli_opts *o, struct nh_store *s, int64_t round,
    const struct pending *p, unsigned w, unsigned nw, struct progress *prog)
{
	struct nh_engine_config cfg;
	struct nh_scan_config sc = { 0 };
	struct nh_scan_item *mine = calloc(p->n ? p->n : 1, sizeof(*mine));
	struct nh_engine *e = NULL;
	const char *why = NULL;
	size_t n = 0;
	int rc = -1;

	if (mine == NULL) {
		fprintf(stderr, "nethealth scan: out of memory\n");
		return -1;
	}
	for (size_t i = 0; i < p->n; i++) {
		if (nh_worker_of(p->v[i].domain, nw) == w)
			mine[n++] = p->v[i];
	}
	nh_cli_engine_config(o, &cfg);
	cfg.share = true; /* one assessment per MX address per engine */
	if ((e = nh_engine_new(&cfg, &why)) == NULL) {
		fprintf(stderr, "nethealth scan: cannot start: %s\n", why);
		goto out;
	}
	sc.concurrency = (unsigned)o->concurrency;
	sc.tick = prog != NULL ? progress : NULL;
	sc.arg = prog;
	if (nh_engine_scan(e, s, round, mine, n, &sc, &why) == -1) {
		if (prog != NULL)
			fputc('\n', stderr);
		fprintf(stderr,
		    "nethealth scan: the store: %s (run the same command "
		    "again to continue)\n",
		    why);
		goto out;
	}
	rc = 0;
out:
	nh_engine_free(e);
	free(mine);
	return rc;
}

/*
 * Forks o->workers processes, each with its share of the pending tests
 * (by nh_worker_of) and its own engine and store connection; the parent
 * draws the progress from the store's count (`before`: the round's tests
 * written before; -1, none drawn). Returns 0 when every worker succeeded,
 * or -1 after reporting.
 */
static int
run_workers(const struct nh_cli_opts *o, const char *db, int64_t round,
    const struct pending *p, bool tty, long before)
{
	unsigned nw = (unsigned)o->workers, left = 0, failed = 0;
	struct progress prog = { false };
	struct nh_scan_stats st = { .total = p->n };
	struct timespec t0, now;
	struct nh_store *count = NULL; /* the parent's own connection */
	const char *err;

	fflush(NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned w = 0; w < nw; w++) {
		pid_t pid = fork();

		if (pid == -1) {
			fprintf(stderr,
			    "nethealth scan: cannot start a worker: %s\n",
			    strerror(errno));
			failed++;
			break;
		}
		if (pid == 0) {
			const char *why;
			struct nh_store *s = nh_store_open(db, &why);
			int ok = s != NULL &&
			    run_share(o, s, round, p, w, nw, NULL) == 0;

			if (s == NULL)
				fprintf(stderr, "nethealth scan: %s\n", why);
			nh_store_close(s);
			fflush(NULL);
			_exit(ok ? 0 : 2);
		}
		left++;
	}
	/* Opened after the forks: no SQLite connection crosses one. */
	if (tty && before >= 0)
		count = nh_store_open(db, &err);
	while (left > 0) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		long n;

		if (pid > 0) {
			left--;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
				failed++;
			continue;
		}
		if (count != NULL &&
		    (n = nh_store_round_results(count, round)) >= 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			st.elapsed = (double)(now.tv_sec - t0.tv_sec) +
			    (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
			st.done = n >= before ? (size_t)(n - before) : 0;
			if (st.done < st.total)
				progress(&st, &prog);
		}
		usleep(250000);
	}
	nh_store_close(count);
	if (tty) {
		st.done = st.total;
		progress(&st, &prog);
	}
	if (failed > 0) {
		fprintf(stderr,
		    "nethealth scan: %u of %u workers failed (run the same "
		    "command again to continue)\n",
		    failed, nw);
		return -1;
	}
	return 0;
}

int
nh_cmd_scan(const struct nh_command *cmd, struct nh_cli_opts *o)
{
	struct nh_target_list l = { 0 };
	struct nh_store *s = NULL;
	struct nh_round_spec spec = { 0 };
	struct pending p = { 0 };
	bool tty = isatty(STDERR_FILENO) == 1, resumed = false;
	struct progress prog = { true };
	char ident[600], key[NH_TARGETS_DIGEST_HEX], *opts = NULL;
	const char *db = o->db != NULL ? o->db : DEFAULT_DB, *why;
	int64_t round;
	int rc;

	if (!o->web && !o->mail)
		o->web = true;
	if ((rc = read_list(cmd, o, &l)) != 0)
		goto out;
	rc = NH_EXIT_CANNOT_RUN;
	show_invalid(&l);
	scan_identity(o, ident, sizeof(ident));
	if (nh_targets_digest(&l, ident, key) == -1 ||
	    (opts = options_json(o)) == NULL) {
		fprintf(stderr, "nethealth scan: out of memory\n");
		goto out;
	}
	if ((s = nh_store_open(db, &why)) == NULL) {
		fprintf(stderr, "nethealth scan: %s\n", why);
		goto out;
	}
	spec.key = key;
	spec.source = o->input != NULL ? o->input : "-";
	spec.options = opts;
	spec.web = o->web;
	spec.mail = o->mail;
	if ((round = nh_store_round_begin(s, &spec, &resumed)) == -1 ||
	    (!resumed && nh_targets_store(s, round, &l) == -1)) {
		fprintf(
		    stderr, "nethealth scan: %s: %s\n", db, nh_store_error(s));
		goto out;
	}
	for (int t = 0; t < 2; t++) {
		p.type = t == 0 ? NH_TEST_WEB : NH_TEST_MAIL;
		if (!(t == 0 ? o->web : o->mail))
			continue;
		if (nh_store_round_pending(s, round, p.type, add_pending, &p) ==
		    -1) {
			fprintf(stderr, "nethealth scan: %s: %s\n", db,
			    nh_store_error(s));
			goto out;
		}
	}
	fprintf(stderr,
	    "nethealth scan: round %lld%s: %zu domains, %zu invalid, %zu "
	    "duplicate lines merged; %zu tests to run\n",
	    (long long)round, resumed ? " (resumed)" : "", l.n - l.invalid,
	    l.invalid, l.duplicates, p.n);
	if (o->workers > 1) {
		/* The children open the store themselves: no SQLite
		 * connection crosses a fork. */
		long before = nh_store_round_results(s, round);

		nh_store_close(s);
		s = NULL;
		if (run_workers(o, db, round, &p, tty, before) == -1)
			goto out;
		if ((s = nh_store_open(db, &why)) == NULL) {
			fprintf(stderr, "nethealth scan: %s\n", why);
			goto out;
		}
	} else if (run_share(o, s, round, &p, 0, 1, tty ? &prog : NULL) == -1)
		goto out;
	if (nh_store_round_finish(s, round) == -1) {
		fprintf(
		    stderr, "nethealth scan: %s: %s\n", db, nh_store_error(s));
		goto out;
	}
	printf("round %lld: %zu domains, %zu tests run, %zu invalid lines; "
	       "store %s\n",
	    (long long)round, l.n - l.invalid, p.n, l.invalid, db);
	rc = NH_EXIT_OK;
out:
	pending_free(&p);
	free(opts);
	nh_store_close(s);
	nh_targets_free(&l);
	return rc;
}
