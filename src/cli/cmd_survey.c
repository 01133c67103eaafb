/*
 * cmd_survey.c: nethealth survey: probe address ranges for amplifiers (or
 * read a Shadowserver report instead), place each answer in its AS and
 * country, and write the records to the store as a survey round.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "model/model.h"
#include "store/store.h"
#include "survey/survey.h"

#define DEFAULT_DB "nethealth.db"
#define DEFAULT_RATE 100 /* probes a second: masscan's default */
#define FLUSH_EVERY 1000 /* records a transaction */

struct sink {
	struct nh_store *s;
	int64_t round;
	struct nh_geo *geo;
	struct nh_survey_record *buf;
	size_t n;
	long open[NH_SVC_COUNT], seen[NH_SVC_COUNT];
	bool tty, fail, json;
};

static int
flush_records(struct sink *k)
{
	if (k->n == 0)
		return 0;
	if (nh_store_survey_put(k->s, k->round, k->buf, k->n) == -1) {
		fprintf(stderr, "nethealth survey: %s\n", nh_store_error(k->s));
		k->fail = true;
		return -1;
	}
	k->n = 0;
	return 0;
}

/* One record as a JSON line on standard output (--json). */
static int
print_json(const struct nh_survey_record *r)
{
	json_t *j = json_pack("{s:s, s:s, s:i, s:b, s:i, s:i, s:i, s:s}", "ip",
	    r->ip, "service", nh_svc_table[r->svc].name, "port", (int)r->port,
	    "open", r->open, "bytes_out", (int)r->bytes_out, "bytes_in",
	    (int)r->bytes_in, "packets_in", (int)r->packets_in, "source",
	    r->source);
	int rc = -1;

	if (j == NULL)
		return -1;
	if (r->amplification >= 0)
		json_object_set_new(
		    j, "amplification", json_real(r->amplification));
	if (r->asn != 0)
		json_object_set_new(j, "asn", json_integer(r->asn));
	if (r->cc[0] != '\0')
		json_object_set_new(j, "cc", json_string(r->cc));
	if (r->detail[0] != '\0')
		json_object_set_new(j, "detail", json_string(r->detail));
	if (json_dumpf(j, stdout, JSON_COMPACT | JSON_ENSURE_ASCII) == 0 &&
	    putchar('\n') != EOF)
		rc = 0;
	json_decref(j);
	return rc;
}

static int
on_record(const struct nh_survey_record *r, void *arg)
{
	struct sink *k = arg;
	struct nh_survey_record *w;

	if (k->buf == NULL &&
	    (k->buf = calloc(FLUSH_EVERY, sizeof(*k->buf))) == NULL) {
		fprintf(stderr, "nethealth survey: out of memory\n");
		k->fail = true;
		return 1;
	}
	w = &k->buf[k->n++];
	*w = *r;
	nh_geo_locate(k->geo, w);
	if (k->json && print_json(w) == -1) {
		k->fail = true;
		return 1;
	}
	k->seen[r->svc]++;
	if (r->open)
		k->open[r->svc]++;
	return k->n == FLUSH_EVERY && flush_records(k) == -1;
}

static void
progress(const struct nh_survey_stats *st, void *arg)
{
	const struct sink *k = arg;

	if (!k->tty)
		return;
	fprintf(stderr,
	    "\r[survey] %llu/%llu probes %3.0f%%  %.0f/s  answers %llu  "
	    "excluded %llu   ",
	    (unsigned long long)st->sent, (unsigned long long)st->pairs,
	    st->pairs
		? 100.0 * (double)(st->sent + st->excluded) / (double)st->pairs
		: 100.0,
	    st->elapsed > 0 ? (double)st->sent / st->elapsed : 0.0,
	    (unsigned long long)st->answers, (unsigned long long)st->excluded);
}

static int
parse_services(const struct nh_command *cmd, const char *list, unsigned *out)
{
	char buf[256], *save = NULL, *tok;
	enum nh_svc s;

	*out = 0;
	if (list == NULL) {
		*out = (1u << NH_SVC_COUNT) - 1;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (nh_svc_parse(tok, &s) == -1) {
			nh_cli_usage_error(cmd,
			    "--services: unknown service '%s' (dns, ntp, "
			    "ntp-monlist, ssdp, snmp, chargen, memcached)",
			    tok);
			return -1;
		}
		*out |= 1u << s;
	}
	if (*out == 0) {
		nh_cli_usage_error(cmd, "--services: none given");
		return -1;
	}
	return 0;
}

/* The ranges: the arguments, then -i FILE's lines. */
static int
read_targets(const struct nh_command *cmd, const struct nh_cli_opts *o,
    struct nh_survey_targets *t)
{
	char err[300], line[256];
	FILE *fp;
	long lineno = 0;

	for (int i = 0; i < o->nargs; i++) {
		if (nh_survey_targets_add(t, o->args[i], err, sizeof(err)) ==
		    -1) {
			nh_cli_usage_error(cmd, "%s", err);
			return -1;
		}
	}
	if (o->input == NULL)
		return 0;
	fp = strcmp(o->input, "-") == 0 ? stdin : fopen(o->input, "r");
	if (fp == NULL) {
		fprintf(stderr, "nethealth survey: %s: %s\n", o->input,
		    strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		line[strcspn(line, "#\r\n")] = '\0';
		char *p = line + strspn(line, " \t");
		p[strcspn(p, " \t")] = '\0';
		if (*p == '\0')
			continue;
		if (nh_survey_targets_add(t, p, err, sizeof(err)) == -1) {
			fprintf(stderr, "nethealth survey: %s line %ld: %s\n",
			    o->input, lineno, err);
			if (fp != stdin)
				fclose(fp);
			return -1;
		}
	}
	if (fp != stdin)
		fclose(fp);
	return 0;
}

static int
load_geo(const struct nh_cli_opts *o, struct nh_geo *g)
{
	char err[512];

	if (o->pfx2as != NULL &&
	    nh_geo_load_pfx2as(g, o->pfx2as, err, sizeof(err)) == -1)
		goto fail;
	for (int i = 0; i < o->ndelegated; i++) {
		if (nh_geo_load_delegated(
			g, o->delegated[i], err, sizeof(err)) == -1)
			goto fail;
	}
	if (o->mmdb != NULL &&
	    nh_geo_load_mmdb(g, o->mmdb, err, sizeof(err)) == -1)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "nethealth survey: %s\n", err);
	return -1;
}

static void
summary(const struct sink *k, const struct nh_survey_stats *st, const char *db)
{
	if (st != NULL)
		printf("probes sent: %llu of %llu pairs (%llu excluded, %llu "
		       "could not leave) in %.2f s (%.0f a second); answers "
		       "%llu, stray %llu\n",
		    (unsigned long long)st->sent, (unsigned long long)st->pairs,
		    (unsigned long long)st->excluded,
		    (unsigned long long)st->send_errors, st->sending,
		    st->sending > 0
			? (double)(st->sent + st->send_errors) / st->sending
			: 0.0,
		    (unsigned long long)st->answers,
		    (unsigned long long)st->stray);
	printf("%-12s %8s %8s\n", "service", "answered", "open");
	for (int s = 0; s < NH_SVC_COUNT; s++)
		printf("%-12s %8ld %8ld\n", nh_svc_table[s].name, k->seen[s],
		    k->open[s]);
	printf("survey round %lld in %s (nethealth report --db %s)\n",
	    (long long)k->round, db, db);
}

int
nh_cmd_survey(const struct nh_command *cmd, struct nh_cli_opts *o)
{
	struct nh_survey_targets t = { 0 };
	struct nh_cidr_list ex = { 0 };
	struct nh_survey_stats st;
	struct nh_survey_config c = { 0 };
	struct sink k = { .tty = isatty(STDERR_FILENO) == 1, .json = o->json };
	const char *db = o->db != NULL ? o->db : DEFAULT_DB, *err = NULL;
	char msg[512], options[512];
	int rc = NH_EXIT_USAGE;
	FILE *in = NULL;
	char *zone = NULL;

	if (o->nargs == 0 && o->input == NULL && o->import == NULL) {
		nh_cli_usage_error(cmd,
		    "name the ranges to survey (CIDR blocks, or -i FILE), or "
		    "--import a Shadowserver report: a survey never starts "
		    "without explicit targets");
		return NH_EXIT_USAGE;
	}
	if (o->import != NULL && (o->nargs > 0 || o->input != NULL)) {
		nh_cli_usage_error(cmd, "--import reads a report: no ranges");
		return NH_EXIT_USAGE;
	}
	if (parse_services(cmd, o->services, &c.services) == -1 ||
	    (o->import == NULL && read_targets(cmd, o, &t) == -1))
		goto out;
	if (nh_survey_exclude_defaults(&ex, o->lab) == -1)
		goto oom;
	if (o->exclude != NULL &&
	    nh_survey_exclude_file(&ex, o->exclude, msg, sizeof(msg)) == -1) {
		fprintf(stderr, "nethealth survey: --exclude %s\n", msg);
		goto out;
	}
	c.targets = &t;
	c.exclude = &ex;
	c.rate = o->rate > 0 ? (double)o->rate : DEFAULT_RATE;
	c.shard_k = o->shard_n ? o->shard_k : 1;
	c.shard_n = o->shard_n ? o->shard_n : 1;
	c.seed = o->seed_set ? o->seed : (uint64_t)time(NULL);
	c.contact = o->contact;
	if (o->dns_zone != NULL) {
		const char *why = NULL;

		if ((zone = nh_domain_normalize(o->dns_zone, &why)) == NULL) {
			nh_cli_usage_error(cmd, "--dns-zone %s: %s",
			    o->dns_zone, why != NULL ? why : "out of memory");
			goto out;
		}
		c.dns_zone = zone;
	}
	c.wait = o->wait_set ? o->wait : 3.0;
	c.on_record = on_record;
	c.progress = progress;
	c.arg = &k;
	if (o->dry_run) {
		c.dry_run = true;
		c.dry_out = stdout;
		c.on_record = NULL;
		c.progress = NULL;
		if (nh_survey_run(&c, &st, msg, sizeof(msg)) == -1) {
			fprintf(stderr, "nethealth survey: %s\n", msg);
			rc = NH_EXIT_CANNOT_RUN;
			goto out;
		}
		fprintf(stderr,
		    "nethealth survey: --dry-run: %llu probes listed, %llu "
		    "pairs excluded, nothing sent\n",
		    (unsigned long long)st.sent,
		    (unsigned long long)st.excluded);
		rc = NH_EXIT_OK;
		goto out;
	}
	rc = NH_EXIT_CANNOT_RUN;
	if ((k.geo = nh_geo_new()) == NULL)
		goto oom;
	if (load_geo(o, k.geo) == -1) {
		rc = NH_EXIT_USAGE;
		goto out;
	}
	if ((k.s = nh_store_open(db, &err)) == NULL) {
		fprintf(stderr,
		    "nethealth survey: cannot open the store %s: %s\n", db,
		    err != NULL ? err : "unknown error");
		goto out;
	}
	snprintf(options, sizeof(options),
	    "{\"rate\": %.0f, \"services\": %u, \"shard\": \"%u/%u\", "
	    "\"seed\": %llu}",
	    c.rate, c.services, c.shard_k, c.shard_n,
	    (unsigned long long)c.seed);
	k.round = nh_store_survey_begin(
	    k.s, o->import != NULL ? o->import : "survey", options);
	if (k.round == -1) {
		fprintf(stderr, "nethealth survey: %s\n", nh_store_error(k.s));
		goto out;
	}
	if (o->import != NULL) {
		long rows;

		if ((in = fopen(o->import, "r")) == NULL) {
			fprintf(stderr, "nethealth survey: %s: %s\n", o->import,
			    strerror(errno));
			rc = NH_EXIT_USAGE;
			goto out;
		}
		rows = nh_shadow_read(
		    in, o->import, on_record, &k, msg, sizeof(msg));
		if (rows == -1 || k.fail) {
			if (!k.fail)
				fprintf(stderr, "nethealth survey: %s\n", msg);
			rc = k.fail ? NH_EXIT_CANNOT_RUN : NH_EXIT_USAGE;
			goto out;
		}
		if (flush_records(&k) == -1 ||
		    nh_store_survey_finish(k.s, k.round) == -1)
			goto out;
		if (!o->json) {
			printf("imported %ld rows from %s\n", rows, o->import);
			summary(&k, NULL, db);
		}
		rc = NH_EXIT_OK;
		goto out;
	}
	if (nh_survey_run(&c, &st, msg, sizeof(msg)) == -1) {
		if (k.tty)
			fputc('\n', stderr);
		if (!k.fail)
			fprintf(stderr, "nethealth survey: %s\n", msg);
		goto out;
	}
	if (k.tty)
		fputc('\n', stderr);
	if (flush_records(&k) == -1 ||
	    nh_store_survey_finish(k.s, k.round) == -1) {
		if (!k.fail)
			fprintf(stderr, "nethealth survey: %s\n",
			    nh_store_error(k.s));
		goto out;
	}
	if (!o->json)
		summary(&k, &st, db);
	rc = NH_EXIT_OK;
	goto out;
oom:
	fprintf(stderr, "nethealth survey: out of memory\n");
	rc = NH_EXIT_CANNOT_RUN;
out:
	if (in != NULL)
		fclose(in);
	free(k.buf);
	nh_geo_free(k.geo);
	nh_store_close(k.s);
	nh_survey_targets_free(&t);
	nh_cidr_list_free(&ex);
	free(zone);
	return rc;
}
