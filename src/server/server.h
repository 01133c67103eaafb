/*
 * server.h: `nethealth serve`: the web site (test your own website and
 * e-mail in a browser), the JSON API and the Internet.nl-compatible batch
 * API, served by libmicrohttpd on the engine's event loop.
 *
 * This is the face of src/server/.
 */
#ifndef NH_SERVER_H
#define NH_SERVER_H

#include <stdbool.h>

#include "engine/engine.h"

struct nh_server_config {
	const char *listen;     /* "ADDR:PORT", "[v6]:PORT" or ":PORT" */
	const char *db;         /* the results store */
	const char *users;      /* batch API users: "name:crypt-hash" lines,
				   or NULL: the batch API is off */
	bool lab;               /* allow tests of names with non-public
				   addresses (the lab, a private network) */
	unsigned max_tests;     /* interactive tests running at once */
	unsigned client_tests;  /* tests one client may start per hour */
	unsigned client_flight; /* tests one client may have running */
	unsigned batch_flight;  /* batch tests in flight at once */
	unsigned connections;   /* HTTP connections at once */
	const char *log;        /* request log file, or NULL: standard error;
				   "-": standard output */
};

/* Defaults for the limits above (a 0 in the config means the default). */
#define NH_SERVE_MAX_TESTS 20
#define NH_SERVE_CLIENT_TESTS 30
#define NH_SERVE_CLIENT_FLIGHT 3
#define NH_SERVE_BATCH_FLIGHT 50
#define NH_SERVE_CONNECTIONS 1000

/*
 * Serves until SIGTERM or SIGINT, then stops accepting, lets the tests in
 * flight finish (at most `grace` seconds: those still running are recorded
 * as interrupted) and returns. Returns 0, or -1 with a message printed on
 * standard error when it cannot start (the address is taken, the store
 * cannot be opened, ...).
 */
int nh_server_run(const struct nh_server_config *cfg,
    const struct nh_engine_config *ecfg, double grace);

#endif /* NH_SERVER_H */
