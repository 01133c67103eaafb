/*
 * cli.h: the command line: subcommands, their options, and the shared
 * option parser. Internal to src/cli/.
 *
 * Exit codes (DESIGN.md): 0 ran, whatever the verdicts; 1 bad usage or bad
 * input; 2 could not run (resolver, store, or a command not available yet).
 */
#ifndef NH_CLI_H
#define NH_CLI_H

#include <stdbool.h>
#include <stdio.h>

#define NH_EXIT_OK 0
#define NH_EXIT_USAGE 1
#define NH_EXIT_CANNOT_RUN 2

/* Option keys; each command lists the ones it accepts. */
enum nh_opt {
	NH_OPT_NONE = 0,
	NH_OPT_HELP = 'h',
	NH_OPT_INPUT = 'i',
	NH_OPT_JSON = 256,
	NH_OPT_RESOLVER_CONF,
	NH_OPT_CA_FILE,
	NH_OPT_RPKI_VRPS,
	NH_OPT_RPKI_ROUTES,
	NH_OPT_TIMEOUT,
	NH_OPT_STARTTLS,
	NH_OPT_WEB,
	NH_OPT_MAIL,
	NH_OPT_BOTH,
	NH_OPT_DB,
	NH_OPT_TAG,
	NH_OPT_CONCURRENCY,
	NH_OPT_SHARD,
	NH_OPT_HTML,
	NH_OPT_CSV,
	NH_OPT_BY,
	NH_OPT_LISTEN,
	NH_OPT_RATE,
	NH_OPT_FROM_FACTS,
	NH_OPT_SAVE_FACTS,
	NH_OPT_COMPAT,
	NH_OPT_VERBOSE,
	NH_OPT_MAX_CONNS,
	NH_OPT_CONN_RATE,
	NH_OPT_BRIEF,
	NH_OPT_ROUND,
	NH_OPT_SINCE,
	NH_OPT_WORKERS,
	NH_OPT_LAB,
	NH_OPT_USERS,
	NH_OPT_MAX_TESTS,
	NH_OPT_CLIENT_TESTS,
	NH_OPT_LOG,
	NH_OPT_SERVICES,
	NH_OPT_EXCLUDE,
	NH_OPT_SEED,
	NH_OPT_CONTACT,
	NH_OPT_DRY_RUN,
	NH_OPT_WAIT,
	NH_OPT_PFX2AS,
	NH_OPT_DELEGATED,
	NH_OPT_MMDB,
	NH_OPT_IMPORT,
	NH_OPT_SURVEY,
	NH_OPT_DNS_ZONE,
};

/* Values of every option; unset strings are NULL, unset numbers 0. */
struct nh_cli_opts {
	bool json;
	const char *resolver_conf; /* borrowed from argv or environ */
	const char *ca_file;
	const char *rpki_vrps;
	const char *rpki_routes;
	double timeout;       /* seconds */
	const char *starttls; /* "smtp" */
	const char *input;    /* file or "-" */
	bool web, mail;       /* which tests a scan runs */
	const char *db;
	const char *tags[16];
	int ntags;
	long concurrency;
	long workers; /* scan: processes; 0: 1 */
	unsigned shard_k, shard_n;
	const char *html;
	bool csv;
	const char *by;
	long round; /* --round ID; 0: the latest */
	long since; /* --since ID; 0: the round before */
	const char *listen;
	bool lab;                /* serve: allow non-public addresses */
	const char *users;       /* serve: batch API users file */
	long max_tests;          /* serve: interactive tests at once */
	long client_tests;       /* serve: tests per client and hour */
	const char *log;         /* serve: request log */
	const char *services;    /* survey: "dns,ntp,..." */
	const char *exclude;     /* survey: exclusion file */
	unsigned long long seed; /* survey: permutation seed */
	bool seed_set;
	const char *contact; /* survey: contact string */
	bool dry_run;
	double wait; /* survey: seconds for late answers */
	bool wait_set;
	bool survey;          /* report: the survey rounds */
	const char *dns_zone; /* survey: the DNS probe's zone */
	const char *pfx2as, *mmdb, *import;
	const char *delegated[8]; /* survey: RIR delegated-stats files */
	int ndelegated;
	long rate;
	const char *from_facts; /* judge saved facts, no network */
	const char *save_facts; /* write the gathered facts here */
	bool compat;            /* --internetnl-compat */
	bool verbose;
	bool brief;         /* one line per test */
	long max_conns;     /* per address; 0: the engine's default */
	double conn_rate;   /* per address and second; see conn_rate_set */
	bool conn_rate_set; /* --conn-rate given (0: no limit) */
	char **args;        /* positional arguments, borrowed */
	int nargs;
};

struct nh_command {
	const char *name;
	const char *args;        /* "DOMAIN", "HOST[:PORT]", ... */
	const char *summary;     /* one line for nethealth --help */
	const char *description; /* a paragraph for COMMAND --help */
	const enum nh_opt *opts; /* accepted options, NH_OPT_NONE-ended */
	int min_args, max_args;  /* max -1: no limit */
	/* Runs the command with parsed options. Returns an exit code. */
	int (*run)(const struct nh_command *cmd, struct nh_cli_opts *o);
};

extern const struct nh_command nh_commands[];
extern const int nh_ncommands;

/* The command called `name`, or NULL. */
const struct nh_command *nh_cli_find(const char *name);

/*
 * Parses argv (argv[0] is the command name) into o, with defaults from the
 * environment (NETHEALTH_RESOLVER_CONF, NETHEALTH_CA_FILE, ...). Returns -1
 * when the command should run; otherwise the code to exit with: NH_EXIT_OK
 * after printing help, NH_EXIT_USAGE after reporting a usage error.
 */
int nh_cli_parse(
    const struct nh_command *cmd, int argc, char **argv, struct nh_cli_opts *o);

/* Prints a command's help (synopsis, description, options) to fp. */
void nh_cli_command_help(const struct nh_command *cmd, FILE *fp);

/* Prints the top-level usage to fp. */
void nh_cli_usage(FILE *fp);

/* Reports a usage error for cmd ("nethealth web: ...") on stderr. */
void nh_cli_usage_error(const struct nh_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

struct nh_engine_config;

/* The engine's configuration from the command line (cmd_test.c). */
void nh_cli_engine_config(
    const struct nh_cli_opts *o, struct nh_engine_config *cfg);

/* Commands that are built. */
int nh_cmd_scan(const struct nh_command *cmd, struct nh_cli_opts *o);
int nh_cmd_test(const struct nh_command *cmd, struct nh_cli_opts *o);
int nh_cmd_tls(const struct nh_command *cmd, struct nh_cli_opts *o);
int nh_cmd_checks(const struct nh_command *cmd, struct nh_cli_opts *o);
int nh_cmd_explain(const struct nh_command *cmd, struct nh_cli_opts *o);
int nh_cmd_report(const struct nh_command *cmd, struct nh_cli_opts *o);
int nh_cmd_serve(const struct nh_command *cmd, struct nh_cli_opts *o);
int nh_cmd_survey(const struct nh_command *cmd, struct nh_cli_opts *o);

/* Terminal styling: true when fp is a terminal and NO_COLOR is unset. */
bool nh_term_color(FILE *fp);

/* Prints lead then text, wrapped at word boundaries to 78 columns. */
void nh_term_wrap(FILE *fp, const char *lead, const char *text);

#endif /* NH_CLI_H */
