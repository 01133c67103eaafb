/*
 * cmd_serve.c: nethealth serve: the web site, the JSON API and the batch
 * API (src/server/).
 */
#include <stdio.h>

#include "cli.h"
#include "engine/engine.h"
#include "server/server.h"

#define DEFAULT_DB "nethealth.db"
#define GRACE_S 60.0 /* seconds running tests get after SIGTERM */

int
nh_cmd_serve(const struct nh_command *cmd, struct nh_cli_opts *o)
{
	struct nh_engine_config ecfg;
	struct nh_server_config cfg = {
		.listen = o->listen,
		.db = o->db != NULL ? o->db : DEFAULT_DB,
		.users = o->users,
		.lab = o->lab,
		.max_tests = (unsigned)o->max_tests,
		.client_tests = (unsigned)o->client_tests,
		.log = o->log,
	};

	(void)cmd;
	nh_cli_engine_config(o, &ecfg);
	return nh_server_run(&cfg, &ecfg, GRACE_S) == 0 ? NH_EXIT_OK
							: NH_EXIT_CANNOT_RUN;
}
