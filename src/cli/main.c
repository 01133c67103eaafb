/*
 * main.c: the nethealth program: global options and dispatch to a
 * subcommand.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef NH_VERSION
#define NH_VERSION "unknown"
#endif

int
main(int argc, char **argv)
{
	const struct nh_command *cmd;
	struct nh_cli_opts o;
	const char *name;
	int rc;

	/* A peer that closes while we write is an answer, not a reason to
	 * die: writes fail with EPIPE instead. */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		nh_cli_usage(stderr);
		return NH_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		nh_cli_usage(stdout);
		return NH_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("nethealth %s\n", NH_VERSION);
		return NH_EXIT_OK;
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc == 2) {
			nh_cli_usage(stdout);
			return NH_EXIT_OK;
		}
		name = argv[2];
		if ((cmd = nh_cli_find(name)) == NULL)
			goto unknown;
		nh_cli_command_help(cmd, stdout);
		return NH_EXIT_OK;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "nethealth: unknown option %s\n\n", argv[1]);
		nh_cli_usage(stderr);
		return NH_EXIT_USAGE;
	}
	name = argv[1];
	if ((cmd = nh_cli_find(name)) == NULL)
		goto unknown;
	if ((rc = nh_cli_parse(cmd, argc - 1, argv + 1, &o)) >= 0)
		return rc;
	return cmd->run(cmd, &o);
unknown:
	fprintf(stderr, "nethealth: unknown command '%s'\n\n", name);
	nh_cli_usage(stderr);
	return NH_EXIT_USAGE;
}
