/*
 * commands.c: the table of subcommands, as DESIGN.md's command-line
 * contract lists them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "model/model.h"

#define COMMON \
	NH_OPT_RESOLVER_CONF, NH_OPT_CA_FILE, NH_OPT_RPKI_VRPS, \
	    NH_OPT_RPKI_ROUTES, NH_OPT_TIMEOUT, NH_OPT_MAX_CONNS, \
	    NH_OPT_CONN_RATE

static const enum nh_opt opts_test[] = { NH_OPT_JSON, NH_OPT_BRIEF,
	NH_OPT_VERBOSE, NH_OPT_FROM_FACTS, NH_OPT_SAVE_FACTS, NH_OPT_COMPAT,
	COMMON, NH_OPT_NONE };
static const enum nh_opt opts_tls[] = { NH_OPT_STARTTLS, NH_OPT_JSON,
	NH_OPT_VERBOSE, NH_OPT_RESOLVER_CONF, NH_OPT_CA_FILE, NH_OPT_TIMEOUT,
	NH_OPT_MAX_CONNS, NH_OPT_CONN_RATE, NH_OPT_NONE };
static const enum nh_opt opts_scan[] = { NH_OPT_INPUT, NH_OPT_WEB, NH_OPT_MAIL,
	NH_OPT_BOTH, NH_OPT_DB, NH_OPT_TAG, NH_OPT_CONCURRENCY, NH_OPT_WORKERS,
	NH_OPT_SHARD, NH_OPT_COMPAT, COMMON, NH_OPT_NONE };
static const enum nh_opt opts_report[] = { NH_OPT_DB, NH_OPT_HTML, NH_OPT_CSV,
	NH_OPT_JSON, NH_OPT_BY, NH_OPT_ROUND, NH_OPT_SINCE, NH_OPT_SURVEY,
	NH_OPT_NONE };
static const enum nh_opt opts_serve[] = { NH_OPT_LISTEN, NH_OPT_DB, NH_OPT_LAB,
	NH_OPT_USERS, NH_OPT_MAX_TESTS, NH_OPT_CLIENT_TESTS, NH_OPT_LOG, COMMON,
	NH_OPT_NONE };
static const enum nh_opt opts_survey[] = { NH_OPT_INPUT, NH_OPT_RATE, NH_OPT_DB,
	NH_OPT_SERVICES, NH_OPT_EXCLUDE, NH_OPT_SHARD, NH_OPT_SEED,
	NH_OPT_CONTACT, NH_OPT_DRY_RUN, NH_OPT_WAIT, NH_OPT_PFX2AS,
	NH_OPT_DELEGATED, NH_OPT_MMDB, NH_OPT_IMPORT, NH_OPT_LAB, NH_OPT_JSON,
	NH_OPT_DNS_ZONE, NH_OPT_NONE };
static const enum nh_opt opts_checks[] = { NH_OPT_JSON, NH_OPT_NONE };

const struct nh_command nh_commands[] = {
	{ "web", "DOMAIN", "website test: IPv6, DNSSEC, HTTPS, headers, RPKI",
	    "Tests the website of DOMAIN against the Internet's standards, as\n"
	    "Internet.nl does, on every address of every server: IPv6, "
	    "DNSSEC,\n"
	    "HTTPS and TLS, certificates and DANE, security headers and\n"
	    "security.txt, and RPKI route origin validation. Prints a report\n"
	    "with the score, each finding, what it means and how to fix it.",
	    opts_test, 1, 1, nh_cmd_test },
	{ "mail", "DOMAIN",
	    "mail test: IPv6, DNSSEC, SPF/DKIM/DMARC, STARTTLS, DANE",
	    "Tests the mail set-up of DOMAIN against the Internet's "
	    "standards:\n"
	    "IPv6 and DNSSEC of the domain and its MX, SPF, DKIM and DMARC,\n"
	    "STARTTLS and TLS on every MX address, DANE, MTA-STS, TLS-RPT, "
	    "and\n"
	    "RPKI route origin validation.",
	    opts_test, 1, 1, nh_cmd_test },
	{ "tls", "HOST[:PORT]", "the TLS assessment of one endpoint",
	    "Assesses the TLS set-up of one endpoint (default port 443, or 25\n"
	    "with --starttls smtp): protocol versions, cipher suites and "
	    "their\n"
	    "order, key exchange, renegotiation, compression, the certificate\n"
	    "chain and DANE, judged by the NCSC-NL TLS guidelines.",
	    opts_tls, 1, 1, nh_cmd_tls },
	{ "scan", "", "test a list of domains and store every result",
	    "Tests a population of domains (a file of names, 'name,tag,...'\n"
	    "lines or a Tranco-style 'rank,name' CSV), all on one event loop\n"
	    "with politeness limits per server, and writes every result to "
	    "the\n"
	    "store as it completes; an interrupted scan resumes where it\n"
	    "stopped.",
	    opts_scan, 0, 0, nh_cmd_scan },
	{ "report", "", "the report for decision makers, from the store",
	    "Renders the results of a scan round (the latest, or --round) from\n"
	    "the store: score distribution, adoption of each standard, the\n"
	    "biggest gaps with who must act and how to fix them, progress\n"
	    "since the round before (or --since), trends across all rounds,\n"
	    "invalid lines and tests that could not run. A summary on the\n"
	    "terminal, or one of: --html FILE (a self-contained page with\n"
	    "charts; '-' for standard output), --json (the aggregates), --csv\n"
	    "(one row per domain and check). A store without rounds yet is\n"
	    "an error (exit 1): run 'nethealth scan' first. A store that\n"
	    "cannot be opened exits 2.",
	    opts_report, 0, 0, nh_cmd_report },
	{ "serve", "", "the web site and API for testing your own domain",
	    "Serves the web site where anyone tests a website or mail domain\n"
	    "(http://ADDR:PORT/), the JSON API (POST /api/v1/tests), and,\n"
	    "with --users, a batch API compatible with Internet.nl's\n"
	    "(/api/batch/v2/, OpenAPI at /api/batch/openapi.yaml). Tests and\n"
	    "batch requests are kept in the store (--db). Names that lead to\n"
	    "private, loopback or other non-public addresses are refused, and\n"
	    "no probe connects to one, unless --lab. SIGTERM or SIGINT stops\n"
	    "it: no new tests, those running get 60 s to end, the rest are\n"
	    "recorded as interrupted (batch requests carry on at the next\n"
	    "start). Exit 1 on bad usage, 2 when it cannot start.",
	    opts_serve, 0, 0, nh_cmd_serve },
	{ "survey", "CIDR...", "count exposed amplifiers (DNS, NTP, SNMP, ...)",
	    "Surveys address ranges for services abused for amplification\n"
	    "(open DNS resolvers, NTP, SSDP, SNMP, CHARGEN, memcached), at a\n"
	    "polite rate (--rate, default 100 probes a second), in a\n"
	    "pseudo-random order over every address and service, never\n"
	    "probing the built-in exclusion list (private, loopback,\n"
	    "multicast, reserved, and documentation ranges unless --lab) or\n"
	    "--exclude FILE; places each answer in its AS (--pfx2as) and\n"
	    "country (--delegated, --mmdb), and writes a survey round to the\n"
	    "store for 'nethealth report'. --import FILE reads a Shadowserver\n"
	    "scan report instead of probing. Never starts without explicit\n"
	    "ranges.",
	    opts_survey, 0, -1, nh_cmd_survey },
	{ "checks", "[web|mail]",
	    "list every check: id, category, worst status, points",
	    "Lists the check table: each check's id (Internet.nl's batch API\n"
	    "name), category, worst status, points, whether this version runs\n"
	    "it, and its title.",
	    opts_checks, 0, 1, nh_cmd_checks },
	{ "explain", "ID", "what a check means, why it matters, how to fix it",
	    "Prints the catalog text of a check or a category: what it looks\n"
	    "at, why it matters, how to fix it, the standards behind it and\n"
	    "who must act.",
	    opts_checks, 1, 1, nh_cmd_explain },
};
const int nh_ncommands = (int)(sizeof(nh_commands) / sizeof(nh_commands[0]));

const struct nh_command *
nh_cli_find(const char *name)
{
	for (int i = 0; i < nh_ncommands; i++) {
		if (strcmp(nh_commands[i].name, name) == 0)
			return &nh_commands[i];
	}
	return NULL;
}

void
nh_cli_usage(FILE *fp)
{
	fprintf(fp,
	    "Usage: nethealth COMMAND [ARGS] [OPTIONS]\n"
	    "       nethealth --help | --version\n\n"
	    "Measures the security health of domains and networks against the\n"
	    "Internet's standards, and reports it so that operators can fix "
	    "it\n"
	    "and policymakers can act on it.\n\n"
	    "Commands:\n");
	for (int i = 0; i < nh_ncommands; i++) {
		char head[32];

		snprintf(head, sizeof(head), "%s %s", nh_commands[i].name,
		    nh_commands[i].args);
		fprintf(fp, "  %-19s %s\n", head, nh_commands[i].summary);
	}
	fprintf(fp,
	    "\nRun 'nethealth COMMAND --help' for the options of a command.\n"
	    "Environment: NETHEALTH_RESOLVER_CONF, NETHEALTH_CA_FILE,\n"
	    "NETHEALTH_RPKI_VRPS, NETHEALTH_RPKI_ROUTES, NETHEALTH_TIMEOUT,\n"
	    "NETHEALTH_DB set the options of the same name; NO_COLOR turns\n"
	    "colour off.\n");
}
