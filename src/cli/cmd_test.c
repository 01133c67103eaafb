/*
 * cmd_test.c: "nethealth web DOMAIN" and "nethealth mail DOMAIN": gather
 * the facts (or read saved ones), judge them, print the report.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "net/net.h"
#include "engine/engine.h"
#include "report/report.h"

struct outcome {
	struct nh_facts *facts;
	struct nh_test_result *result;
};

static void
on_done(struct nh_facts *facts, struct nh_test_result *result, void *arg)
{
	struct outcome *out = arg;

	out->facts = facts;
	out->result = result;
}

/* Reads facts saved with --save-facts. Returns NULL after reporting. */
static struct nh_facts *
read_facts(
    const struct nh_command *cmd, const char *path, enum nh_test_type type)
{
	json_error_t jerr;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	struct nh_facts *f;
	const char *why;

	if (j == NULL) {
		fprintf(stderr, "nethealth %s: %s:%d: %s\n", cmd->name, path,
		    jerr.line, jerr.text);
		return NULL;
	}
	f = nh_facts_from_json(j, &why);
	json_decref(j);
	if (f == NULL) {
		fprintf(stderr, "nethealth %s: %s: %s\n", cmd->name, path, why);
		return NULL;
	}
	if (f->type != type) {
		fprintf(stderr, "nethealth %s: %s: facts of a %s test\n",
		    cmd->name, path, nh_test_type_name(f->type));
		nh_facts_free(f);
		return NULL;
	}
	return f;
}

static int
save_facts(
    const struct nh_command *cmd, const char *path, const struct nh_facts *f)
{
	json_t *j = nh_facts_to_json(f);
	int rc = j != NULL
	    ? json_dump_file(j, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER)
	    : -1;

	json_decref(j);
	if (rc == -1)
		fprintf(stderr, "nethealth %s: cannot write %s: %s\n",
		    cmd->name, path, strerror(errno));
	return rc;
}

void
nh_cli_engine_config(const struct nh_cli_opts *o, struct nh_engine_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->resolver_conf = o->resolver_conf;
	cfg->ca_file = o->ca_file;
	cfg->timeout = o->timeout;
	cfg->internetnl_compat = o->compat;
	cfg->rpki_vrps = o->rpki_vrps;
	cfg->rpki_routes = o->rpki_routes;
	cfg->max_conns = (unsigned)o->max_conns;
	if (o->conn_rate_set)
		cfg->conn_rate = o->conn_rate > 0 ? o->conn_rate : -1;
}

int
nh_cmd_test(const struct nh_command *cmd, struct nh_cli_opts *o)
{
	enum nh_test_type type =
	    strcmp(cmd->name, "mail") == 0 ? NH_TEST_MAIL : NH_TEST_WEB;
	struct nh_engine_config cfg;
	struct outcome out = { NULL, NULL };
	struct nh_report_opts ro = { nh_term_color(stdout), o->verbose, NULL };
	struct nh_engine *e = NULL;
	const char *why;
	char *domain;
	int rc = NH_EXIT_CANNOT_RUN;

	nh_cli_engine_config(o, &cfg);
	if (o->json && o->brief) {
		fprintf(stderr,
		    "nethealth %s: --json and --brief exclude each other\n",
		    cmd->name);
		return NH_EXIT_USAGE;
	}

	if ((domain = nh_domain_normalize(o->args[0], &why)) == NULL) {
		fprintf(stderr, "nethealth %s: '%s': %s\n", cmd->name,
		    o->args[0], why);
		return NH_EXIT_USAGE;
	}
	if (o->from_facts != NULL) {
		if ((out.facts = read_facts(cmd, o->from_facts, type)) ==
		    NULL) {
			rc = NH_EXIT_USAGE;
			goto out;
		}
		if (strcmp(out.facts->domain, domain) != 0) {
			fprintf(stderr,
			    "nethealth %s: %s holds the facts of "
			    "%s, not %s\n",
			    cmd->name, o->from_facts, out.facts->domain,
			    domain);
			rc = NH_EXIT_USAGE;
			goto out;
		}
		out.result = nh_engine_judge(&cfg, out.facts);
	} else {
		if ((e = nh_engine_new(&cfg, &why)) == NULL) {
			fprintf(stderr, "nethealth %s: cannot start: %s\n",
			    cmd->name, why);
			goto out;
		}
		if (nh_engine_test(e, domain, type, on_done, &out) == -1) {
			fprintf(
			    stderr, "nethealth %s: out of memory\n", cmd->name);
			goto out;
		}
		nh_engine_run(e);
	}
	if (out.result == NULL) {
		fprintf(stderr, "nethealth %s: out of memory\n", cmd->name);
		goto out;
	}
	if (o->save_facts != NULL &&
	    save_facts(cmd, o->save_facts, out.facts) == -1)
		goto out;
	if (o->json        ? nh_report_json(stdout, out.result, out.facts)
		: o->brief ? nh_report_brief(stdout, out.result)
			   : nh_report_terminal(stdout, out.result, &ro)) {
		fprintf(stderr, "nethealth %s: cannot write the report\n",
		    cmd->name);
		goto out;
	}
	rc = NH_EXIT_OK;
out:
	nh_test_result_free(out.result);
	nh_facts_free(out.facts);
	nh_engine_free(e);
	free(domain);
	return rc;
}

/*
 * Splits HOST[:PORT] (an IPv6 address with a port in brackets) into a
 * normalized host and a port. Returns 0, or -1 after reporting.
 */
static int
host_port(const struct nh_command *cmd, const char *arg, unsigned dflt,
    char **host, unsigned *port)
{
	char buf[300], *colon, *end;
	const char *why;
	long p;

	*port = dflt;
	if (strlen(arg) >= sizeof(buf)) {
		nh_cli_usage_error(cmd, "'%s': too long", arg);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", arg);
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');

		if (close == NULL || (close[1] != '\0' && close[1] != ':')) {
			nh_cli_usage_error(
			    cmd, "'%s': expected [ADDRESS]:PORT", arg);
			return -1;
		}
		*close = '\0';
		colon = close[1] == ':' ? close + 1 : NULL;
		memmove(buf, buf + 1, strlen(buf + 1) + 1);
		if (colon != NULL)
			colon--; /* moved one to the left */
	} else {
		colon = strrchr(buf, ':');
		/* An IPv6 address without brackets has no port. */
		if (colon != NULL && strchr(buf, ':') != colon)
			colon = NULL;
	}
	if (colon != NULL) {
		*colon = '\0';
		p = strtol(colon + 1, &end, 10);
		if (*end != '\0' || p < 1 || p > 65535) {
			nh_cli_usage_error(cmd, "'%s': bad port", arg);
			return -1;
		}
		*port = (unsigned)p;
	}
	if (nh_ip_family(buf) != 0) {
		if ((*host = strdup(buf)) == NULL)
			return -1;
		return 0;
	}
	if ((*host = nh_domain_normalize(buf, &why)) == NULL) {
		nh_cli_usage_error(cmd, "'%s': %s", buf, why);
		return -1;
	}
	return 0;
}

int
nh_cmd_tls(const struct nh_command *cmd, struct nh_cli_opts *o)
{
	struct nh_engine_config cfg;
	struct outcome out = { NULL, NULL };
	struct nh_report_opts ro = { nh_term_color(stdout), o->verbose,
		"web_https" };
	struct nh_engine *e = NULL;
	const char *why;
	char *host = NULL;
	unsigned port;
	int rc = NH_EXIT_CANNOT_RUN;

	nh_cli_engine_config(o, &cfg);

	/* SMTP's STARTTLS is on port 25 unless told (587 submission). */
	if (host_port(cmd, o->args[0], o->starttls ? 25 : 443, &host, &port) ==
	    -1)
		return NH_EXIT_USAGE;
	if ((e = nh_engine_new(&cfg, &why)) == NULL) {
		fprintf(stderr, "nethealth tls: cannot start: %s\n", why);
		goto out;
	}
	if (nh_engine_tls(e, host, port, o->starttls != NULL, on_done, &out) ==
	    -1) {
		fprintf(stderr, "nethealth tls: out of memory\n");
		goto out;
	}
	nh_engine_run(e);
	if (out.result == NULL) {
		fprintf(stderr, "nethealth tls: out of memory\n");
		goto out;
	}
	if (o->json ? nh_report_json(stdout, out.result, out.facts)
		    : nh_report_tls(stdout, out.facts, &ro) ||
		    nh_report_terminal(stdout, out.result, &ro)) {
		fprintf(stderr, "nethealth tls: cannot write the report\n");
		goto out;
	}
	rc = NH_EXIT_OK;
out:
	nh_test_result_free(out.result);
	nh_facts_free(out.facts);
	nh_engine_free(e);
	free(host);
	return rc;
}
