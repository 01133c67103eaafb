/*
 * options.c: one table of every command-line option, the per-command
 * parser built from it, and the help texts.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct opt_def {
	enum nh_opt key;
	const char *name;    /* long name */
	int has_arg;         /* no_argument / required_argument */
	const char *argname; /* for help: "FILE" */
	const char *env;     /* environment default, or NULL */
	const char *help;
};

static const struct opt_def opt_defs[] = {
	{ NH_OPT_HELP, "help", no_argument, NULL, NULL,
	    "show this help and exit" },
	{ NH_OPT_JSON, "json", no_argument, NULL, NULL,
	    "print the result as JSON" },
	{ NH_OPT_RESOLVER_CONF, "resolver-conf", required_argument, "FILE",
	    "NETHEALTH_RESOLVER_CONF",
	    "unbound config for the validating resolver\n"
	    "(root hints, trust anchor, forwarders); default:\n"
	    "built-in root hints, the system trust anchor" },
	{ NH_OPT_CA_FILE, "ca-file", required_argument, "FILE",
	    "NETHEALTH_CA_FILE",
	    "trust these CA certificates (PEM) instead of\n"
	    "the system store" },
	{ NH_OPT_RPKI_VRPS, "rpki-vrps", required_argument, "FILE",
	    "NETHEALTH_RPKI_VRPS",
	    "validated ROA payloads (rpki-client or\n"
	    "Routinator JSON, or CSV)" },
	{ NH_OPT_RPKI_ROUTES, "rpki-routes", required_argument, "FILE",
	    "NETHEALTH_RPKI_ROUTES",
	    "announced routes (CAIDA prefix-to-AS or CSV)" },
	{ NH_OPT_TIMEOUT, "timeout", required_argument, "S",
	    "NETHEALTH_TIMEOUT",
	    "network timeout per operation, in seconds\n"
	    "(default 10)" },
	{ NH_OPT_STARTTLS, "starttls", required_argument, "PROTO", NULL,
	    "negotiate TLS with STARTTLS first; PROTO is smtp" },
	{ NH_OPT_INPUT, "input", required_argument, "FILE", NULL,
	    "read domains from FILE, one per line, or '-'\n"
	    "for standard input" },
	{ NH_OPT_WEB, "web", no_argument, NULL, NULL,
	    "run the website test (the default)" },
	{ NH_OPT_MAIL, "mail", no_argument, NULL, NULL, "run the mail test" },
	{ NH_OPT_BOTH, "both", no_argument, NULL, NULL, "run both tests" },
	{ NH_OPT_DB, "db", required_argument, "PATH", "NETHEALTH_DB",
	    "the results store (an SQLite file; default\n"
	    "nethealth.db)" },
	{ NH_OPT_TAG, "tag", required_argument, "T", NULL,
	    "tag every domain of this round with T\n"
	    "(repeatable)" },
	{ NH_OPT_CONCURRENCY, "concurrency", required_argument, "N", NULL,
	    "tests in flight at once, per worker (default\n"
	    "200)" },
	{ NH_OPT_WORKERS, "workers", required_argument, "N", NULL,
	    "processes sharing the list (default 1; one\n"
	    "per core lifts the one-core limit of a loop;\n"
	    "each MX address is then assessed once per\n"
	    "worker)" },
	{ NH_OPT_SHARD, "shard", required_argument, "K/N", NULL,
	    "take only share K of N of the input (by a hash\n"
	    "of the name)" },
	{ NH_OPT_HTML, "html", required_argument, "FILE", NULL,
	    "write the report as an HTML page to FILE" },
	{ NH_OPT_CSV, "csv", no_argument, NULL, NULL,
	    "print the report as CSV" },
	{ NH_OPT_BY, "by", required_argument, "KEY", NULL,
	    "break the report down by tag: KEY groups\n"
	    "domains by the values V of their tags KEY=V,\n"
	    "'tag' by each plain tag (one without '=')" },
	{ NH_OPT_ROUND, "round", required_argument, "ID", NULL,
	    "report on round ID (default: the latest)" },
	{ NH_OPT_SINCE, "since", required_argument, "ID", NULL,
	    "measure progress from round ID (default: the\n"
	    "round before)" },
	{ NH_OPT_LISTEN, "listen", required_argument, "ADDR:PORT", NULL,
	    "address and port to serve on (default\n"
	    "127.0.0.1:8080)" },
	{ NH_OPT_LAB, "lab", no_argument, NULL, NULL,
	    "allow addresses that are not public (a lab, a\n"
	    "private network): serve tests names that lead\n"
	    "there, survey probes documentation ranges;\n"
	    "never on a server open to the Internet" },
	{ NH_OPT_USERS, "users", required_argument, "FILE", "NETHEALTH_USERS",
	    "turn the batch API on for the users in FILE:\n"
	    "NAME:HASH lines (mkpasswd -m yescrypt)" },
	{ NH_OPT_MAX_TESTS, "max-tests", required_argument, "N", NULL,
	    "tests from the site and JSON API running at\n"
	    "once (default 20; more wait in a queue)" },
	{ NH_OPT_CLIENT_TESTS, "client-tests", required_argument, "N", NULL,
	    "tests one client (an address, an IPv6 /64) may\n"
	    "start per hour (default 30; 3 at once)" },
	{ NH_OPT_LOG, "log", required_argument, "FILE", NULL,
	    "append the request log to FILE ('-': standard\n"
	    "output; default: standard error)" },
	{ NH_OPT_SERVICES, "services", required_argument, "LIST", NULL,
	    "the services to probe, comma-separated: dns,\n"
	    "ntp, ntp-monlist, ssdp, snmp, chargen, memcached\n"
	    "(default: all)" },
	{ NH_OPT_EXCLUDE, "exclude", required_argument, "FILE", NULL,
	    "never probe the addresses and CIDR blocks in\n"
	    "FILE (besides the built-in list)" },
	{ NH_OPT_SEED, "seed", required_argument, "N", NULL,
	    "the order's seed (the same on every machine of\n"
	    "a --shard; default: from the clock)" },
	{ NH_OPT_CONTACT, "contact", required_argument, "TEXT", NULL,
	    "who runs the survey, sent where the protocol\n"
	    "carries text (SSDP's USER-AGENT)" },
	{ NH_OPT_DRY_RUN, "dry-run", no_argument, NULL, NULL,
	    "print what would be sent, send nothing" },
	{ NH_OPT_WAIT, "wait", required_argument, "S", NULL,
	    "seconds to wait for late answers after the last\n"
	    "probe (default 3)" },
	{ NH_OPT_PFX2AS, "pfx2as", required_argument, "FILE", NULL,
	    "the AS of each address from a prefix-to-AS file\n"
	    "(CAIDA pfx2as or CSV)" },
	{ NH_OPT_DELEGATED, "delegated", required_argument, "FILE", NULL,
	    "the country of each address from an RIR\n"
	    "delegated-stats file (repeatable)" },
	{ NH_OPT_MMDB, "mmdb", required_argument, "FILE", NULL,
	    "country and AS from an MMDB file" },
	{ NH_OPT_IMPORT, "import", required_argument, "FILE", NULL,
	    "read a Shadowserver scan report (CSV) instead of\n"
	    "probing" },
	{ NH_OPT_DNS_ZONE, "dns-zone", required_argument, "ZONE", NULL,
	    "the DNS probe asks A of <cookie>.ZONE: on the\n"
	    "Internet, a zone you serve with a wildcard A\n"
	    "record (default survey.test, the lab's)" },
	{ NH_OPT_SURVEY, "survey", no_argument, NULL, NULL,
	    "report on the survey rounds (exposed services per\n"
	    "country and AS; the default when the store has\n"
	    "no scan rounds)" },
	{ NH_OPT_FROM_FACTS, "from-facts", required_argument, "FILE", NULL,
	    "judge facts saved with --save-facts, offline" },
	{ NH_OPT_SAVE_FACTS, "save-facts", required_argument, "FILE", NULL,
	    "write the facts gathered (JSON) to FILE" },
	{ NH_OPT_COMPAT, "internetnl-compat", no_argument, NULL, NULL,
	    "score as Internet.nl does where it departs\n"
	    "from the standard (docs/internetnl-differences.md)" },
	{ NH_OPT_VERBOSE, "verbose", no_argument, NULL, NULL,
	    "show the details of passed checks too" },
	{ NH_OPT_BRIEF, "brief", no_argument, NULL, NULL,
	    "print one line: the domain, the score, each\n"
	    "category's score or status, the time taken" },
	{ NH_OPT_RATE, "rate", required_argument, "PPS", NULL,
	    "packets per second to send (default 100)" },
	{ NH_OPT_MAX_CONNS, "max-conns", required_argument, "N", NULL,
	    "connections at once to one address (default 5)" },
	{ NH_OPT_CONN_RATE, "conn-rate", required_argument, "R", NULL,
	    "new connections per second to one address\n"
	    "(default 10; 0: no limit, for a lab or your own\n"
	    "servers only)" },
};
#define NOPT_DEFS (sizeof(opt_defs) / sizeof(opt_defs[0]))

static const struct opt_def *
opt_def(enum nh_opt key)
{
	for (size_t i = 0; i < NOPT_DEFS; i++) {
		if (opt_defs[i].key == key)
			return &opt_defs[i];
	}
	return NULL;
}

static bool
accepts(const struct nh_command *cmd, enum nh_opt key)
{
	if (key == NH_OPT_HELP)
		return true;
	for (const enum nh_opt *k = cmd->opts; k != NULL && *k != NH_OPT_NONE;
	     k++) {
		if (*k == key)
			return true;
	}
	return false;
}

void
nh_cli_usage_error(const struct nh_command *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "nethealth %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'nethealth %s --help'.\n", cmd->name);
}

/* Parses a decimal integer in [min, max]. Returns 0 or -1. */
static int
parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Parses "K/N" with 1 <= K <= N <= 65536. Returns 0 or -1. */
static int
parse_shard(const char *s, unsigned *k, unsigned *n)
{
	const char *slash = strchr(s, '/');
	char kbuf[16];
	long kv, nv;
	size_t klen;

	if (slash == NULL || (klen = (size_t)(slash - s)) == 0 ||
	    klen >= sizeof(kbuf))
		return -1;
	memcpy(kbuf, s, klen);
	kbuf[klen] = '\0';
	if (parse_long(kbuf, 1, 65536, &kv) == -1 ||
	    parse_long(slash + 1, 1, 65536, &nv) == -1 || kv > nv)
		return -1;
	*k = (unsigned)kv;
	*n = (unsigned)nv;
	return 0;
}

static int
parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v <= 0 ||
	    v > 3600)
		return -1;
	*out = v;
	return 0;
}

/* Parses a rate: a number from 0 to 100000. Returns 0 or -1. */
static int
parse_rate(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < 0 ||
	    v > 100000)
		return -1;
	*out = v;
	return 0;
}

/* A file the command will read must exist and be readable now. */
static int
check_readable(const struct nh_command *cmd, const char *opt, const char *path)
{
	if (strcmp(path, "-") != 0 && access(path, R_OK) == -1) {
		nh_cli_usage_error(
		    cmd, "--%s %s: %s", opt, path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Stores one option value. Returns 0, or -1 after reporting the error. */
static int
set_option(const struct nh_command *cmd, struct nh_cli_opts *o, enum nh_opt key,
    const char *arg)
{
	const struct opt_def *d = opt_def(key);

	switch (key) {
	case NH_OPT_JSON:
		o->json = true;
		return 0;
	case NH_OPT_RESOLVER_CONF:
		o->resolver_conf = arg;
		return check_readable(cmd, d->name, arg);
	case NH_OPT_CA_FILE:
		o->ca_file = arg;
		return check_readable(cmd, d->name, arg);
	case NH_OPT_RPKI_VRPS:
		o->rpki_vrps = arg;
		return check_readable(cmd, d->name, arg);
	case NH_OPT_RPKI_ROUTES:
		o->rpki_routes = arg;
		return check_readable(cmd, d->name, arg);
	case NH_OPT_INPUT:
		o->input = arg;
		return check_readable(cmd, d->name, arg);
	case NH_OPT_TIMEOUT:
		if (parse_seconds(arg, &o->timeout) == -1) {
			nh_cli_usage_error(cmd,
			    "--timeout %s: expected seconds "
			    "above 0 and at most 3600",
			    arg);
			return -1;
		}
		return 0;
	case NH_OPT_STARTTLS:
		if (strcmp(arg, "smtp") != 0) {
			nh_cli_usage_error(cmd,
			    "--starttls %s: the only "
			    "protocol is smtp",
			    arg);
			return -1;
		}
		o->starttls = arg;
		return 0;
	case NH_OPT_WEB:
		o->web = true;
		return 0;
	case NH_OPT_MAIL:
		o->mail = true;
		return 0;
	case NH_OPT_BOTH:
		o->web = o->mail = true;
		return 0;
	case NH_OPT_DB:
		o->db = arg;
		return 0;
	case NH_OPT_TAG:
		if (o->ntags == (int)(sizeof(o->tags) / sizeof(o->tags[0]))) {
			nh_cli_usage_error(cmd, "at most 16 --tag options");
			return -1;
		}
		if (*arg == '\0' || strpbrk(arg, ",\n\t") != NULL) {
			nh_cli_usage_error(cmd,
			    "--tag '%s': a tag is a "
			    "non-empty word without commas",
			    arg);
			return -1;
		}
		o->tags[o->ntags++] = arg;
		return 0;
	case NH_OPT_CONCURRENCY:
		if (parse_long(arg, 1, 100000, &o->concurrency) == -1) {
			nh_cli_usage_error(cmd,
			    "--concurrency %s: expected a "
			    "number from 1 to 100000",
			    arg);
			return -1;
		}
		return 0;
	case NH_OPT_WORKERS:
		if (parse_long(arg, 1, 64, &o->workers) == -1) {
			nh_cli_usage_error(cmd,
			    "--workers %s: expected a number from 1 to 64",
			    arg);
			return -1;
		}
		return 0;
	case NH_OPT_SHARD:
		if (parse_shard(arg, &o->shard_k, &o->shard_n) == -1) {
			nh_cli_usage_error(cmd,
			    "--shard %s: expected K/N with "
			    "1 <= K <= N",
			    arg);
			return -1;
		}
		return 0;
	case NH_OPT_HTML:
		o->html = arg;
		return 0;
	case NH_OPT_CSV:
		o->csv = true;
		return 0;
	case NH_OPT_BY:
		if (*arg == '\0' || strpbrk(arg, "=,; \t\n") != NULL) {
			nh_cli_usage_error(cmd,
			    "--by '%s': expected a tag key such as 'sector', "
			    "or 'tag'",
			    arg);
			return -1;
		}
		o->by = arg;
		return 0;
	case NH_OPT_ROUND:
	case NH_OPT_SINCE:
		if (parse_long(arg, 1, LONG_MAX,
			key == NH_OPT_ROUND ? &o->round : &o->since) == -1) {
			nh_cli_usage_error(cmd,
			    "--%s %s: expected a round id (a number from 1)",
			    d->name, arg);
			return -1;
		}
		return 0;
	case NH_OPT_LISTEN:
		if (strrchr(arg, ':') == NULL) {
			nh_cli_usage_error(cmd,
			    "--listen %s: expected "
			    "ADDR:PORT",
			    arg);
			return -1;
		}
		o->listen = arg;
		return 0;
	case NH_OPT_LAB:
		o->lab = true;
		return 0;
	case NH_OPT_USERS:
		o->users = arg;
		return 0;
	case NH_OPT_LOG:
		o->log = arg;
		return 0;
	case NH_OPT_MAX_TESTS:
	case NH_OPT_CLIENT_TESTS:
		if (parse_long(arg, 1, 100000,
			key == NH_OPT_MAX_TESTS ? &o->max_tests
						: &o->client_tests) == -1) {
			nh_cli_usage_error(cmd,
			    "--%s %s: expected a number from 1 to 100000",
			    d->name, arg);
			return -1;
		}
		return 0;
	case NH_OPT_SERVICES:
		o->services = arg;
		return 0;
	case NH_OPT_EXCLUDE:
		o->exclude = arg;
		return 0;
	case NH_OPT_SEED: {
		char *end;

		errno = 0;
		o->seed = strtoull(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || errno != 0 || *arg == '-') {
			nh_cli_usage_error(
			    cmd, "--seed %s: expected a number", arg);
			return -1;
		}
		o->seed_set = true;
		return 0;
	}
	case NH_OPT_CONTACT:
		if (strpbrk(arg, "\r\n") != NULL || strlen(arg) > 200) {
			nh_cli_usage_error(
			    cmd, "--contact: one line of at most 200 bytes");
			return -1;
		}
		o->contact = arg;
		return 0;
	case NH_OPT_DNS_ZONE:
		o->dns_zone = arg;
		return 0;
	case NH_OPT_SURVEY:
		o->survey = true;
		return 0;
	case NH_OPT_DRY_RUN:
		o->dry_run = true;
		return 0;
	case NH_OPT_WAIT: {
		char *end;

		o->wait = strtod(arg, &end);
		if (*arg == '\0' || *end != '\0' || !(o->wait >= 0) ||
		    o->wait > 600) {
			nh_cli_usage_error(cmd,
			    "--wait %s: expected seconds from 0 to 600", arg);
			return -1;
		}
		o->wait_set = true;
		return 0;
	}
	case NH_OPT_PFX2AS:
		o->pfx2as = arg;
		return 0;
	case NH_OPT_MMDB:
		o->mmdb = arg;
		return 0;
	case NH_OPT_IMPORT:
		o->import = arg;
		return 0;
	case NH_OPT_DELEGATED:
		if (o->ndelegated == 8) {
			nh_cli_usage_error(cmd, "at most 8 --delegated files");
			return -1;
		}
		o->delegated[o->ndelegated++] = arg;
		return 0;
	case NH_OPT_RATE:
		if (parse_long(arg, 1, 10000000, &o->rate) == -1) {
			nh_cli_usage_error(cmd,
			    "--rate %s: expected packets "
			    "per second, from 1 to 10000000",
			    arg);
			return -1;
		}
		return 0;
	case NH_OPT_MAX_CONNS:
		if (parse_long(arg, 1, 1000, &o->max_conns) == -1) {
			nh_cli_usage_error(cmd,
			    "--max-conns %s: expected a number from 1 to 1000",
			    arg);
			return -1;
		}
		return 0;
	case NH_OPT_CONN_RATE:
		if (parse_rate(arg, &o->conn_rate) == -1) {
			nh_cli_usage_error(cmd,
			    "--conn-rate %s: expected connections per second "
			    "from 0 (no limit) to 100000",
			    arg);
			return -1;
		}
		o->conn_rate_set = true;
		return 0;
	case NH_OPT_FROM_FACTS:
		o->from_facts = arg;
		return check_readable(cmd, d->name, arg);
	case NH_OPT_SAVE_FACTS:
		o->save_facts = arg;
		return 0;
	case NH_OPT_COMPAT:
		o->compat = true;
		return 0;
	case NH_OPT_VERBOSE:
		o->verbose = true;
		return 0;
	case NH_OPT_BRIEF:
		o->brief = true;
		return 0;
	case NH_OPT_NONE:
	case NH_OPT_HELP:
		break;
	}
	return 0;
}

/* Environment defaults for the options this command accepts. */
static int
apply_environment(const struct nh_command *cmd, struct nh_cli_opts *o)
{
	for (size_t i = 0; i < NOPT_DEFS; i++) {
		const char *v;

		if (opt_defs[i].env == NULL || !accepts(cmd, opt_defs[i].key))
			continue;
		if ((v = getenv(opt_defs[i].env)) == NULL || *v == '\0')
			continue;
		if (set_option(cmd, o, opt_defs[i].key, v) == -1) {
			fprintf(stderr, "(from the environment variable %s)\n",
			    opt_defs[i].env);
			return -1;
		}
	}
	return 0;
}

int
nh_cli_parse(
    const struct nh_command *cmd, int argc, char **argv, struct nh_cli_opts *o)
{
	struct option longopts[NOPT_DEFS + 1];
	char shortopts[8];
	size_t n = 0, s = 0;
	int c;

	memset(o, 0, sizeof(*o));
	memset(longopts, 0, sizeof(longopts));
	shortopts[s++] = ':'; /* report a missing value as ':' */
	for (size_t i = 0; i < NOPT_DEFS; i++) {
		const struct opt_def *d = &opt_defs[i];

		if (!accepts(cmd, d->key))
			continue;
		longopts[n].name = d->name;
		longopts[n].has_arg = d->has_arg;
		longopts[n].val = (int)d->key;
		n++;
		if (d->key < 256) {
			shortopts[s++] = (char)d->key;
			if (d->has_arg == required_argument)
				shortopts[s++] = ':';
		}
	}
	shortopts[s] = '\0';

	if (apply_environment(cmd, o) == -1)
		return NH_EXIT_USAGE;

	optind = 0; /* glibc: full re-initialisation of getopt */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == NH_OPT_HELP) {
			nh_cli_command_help(cmd, stdout);
			return NH_EXIT_OK;
		}
		if (c == '?') {
			if (optopt != 0)
				nh_cli_usage_error(
				    cmd, "unknown option -%c", optopt);
			else
				nh_cli_usage_error(
				    cmd, "unknown option %s", argv[optind - 1]);
			return NH_EXIT_USAGE;
		}
		if (c == ':') {
			nh_cli_usage_error(
			    cmd, "option %s needs a value", argv[optind - 1]);
			return NH_EXIT_USAGE;
		}
		if (set_option(cmd, o, (enum nh_opt)c, optarg) == -1)
			return NH_EXIT_USAGE;
	}
	o->args = argv + optind;
	o->nargs = argc - optind;
	if (o->nargs < cmd->min_args) {
		nh_cli_usage_error(cmd, "missing %s", cmd->args);
		return NH_EXIT_USAGE;
	}
	if (cmd->max_args >= 0 && o->nargs > cmd->max_args) {
		nh_cli_usage_error(
		    cmd, "unexpected argument '%s'", o->args[cmd->max_args]);
		return NH_EXIT_USAGE;
	}
	return -1;
}

/* Prints "  --name ARG   help" with the help's lines aligned. */
static void
print_option(const struct opt_def *d, FILE *fp)
{
	char head[40];
	const char *h = d->help;

	if (d->key < 256)
		snprintf(head, sizeof(head), "-%c, --%s%s%s", (char)d->key,
		    d->name, d->argname ? " " : "",
		    d->argname ? d->argname : "");
	else
		snprintf(head, sizeof(head), "    --%s%s%s", d->name,
		    d->argname ? " " : "", d->argname ? d->argname : "");
	fprintf(fp, "  %-26s", head);
	if (strlen(head) > 26)
		fprintf(fp, "\n  %-26s", "");
	while (*h != '\0') {
		const char *nl = strchr(h, '\n');
		int len = nl ? (int)(nl - h) : (int)strlen(h);

		fprintf(fp, "%.*s\n", len, h);
		h += len;
		if (*h == '\n') {
			h++;
			fprintf(fp, "  %-26s", "");
		}
	}
	if (d->env != NULL)
		fprintf(fp, "  %-26s(environment: %s)\n", "", d->env);
}

void
nh_cli_command_help(const struct nh_command *cmd, FILE *fp)
{
	fprintf(fp, "Usage: nethealth %s%s%s [OPTIONS]\n\n", cmd->name,
	    *cmd->args ? " " : "", cmd->args);
	fprintf(fp, "%s\n", cmd->description);
	fprintf(fp, "\nOptions:\n");
	for (size_t i = 0; i < NOPT_DEFS; i++) {
		if (accepts(cmd, opt_defs[i].key))
			print_option(&opt_defs[i], fp);
	}
	fprintf(fp,
	    "\nExit status: 0 the command ran (whatever the verdicts), "
	    "1 bad usage or input,\n2 could not run.\n");
}
