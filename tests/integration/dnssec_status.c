/*
 * dnssec_status: print the DNSSEC status of the SOA of each name given on the
 * command line, as a validating libunbound resolver sees it.
 *
 * Output, one line a name on standard output: "NAME STATUS RCODE", where
 * STATUS is secure, insecure or bogus and RCODE is the DNS response code
 * (NOERROR, NXDOMAIN, SERVFAIL, ...). For bogus answers the reason
 * (why_bogus) goes to standard error. libunbound returns bogus data with
 * rcode 0 and the bogus flag set, so the flags decide, not the rcode.
 *
 * The resolver is configured by the unbound-syntax file named by the
 * environment variable NETHEALTH_RESOLVER_CONF (lab/exec sets it: root hints
 * of the lab root, its trust anchor, and the fix for the built-in "test."
 * local zone).
 *
 * Exit status: 0 if every lookup completed, 1 if one failed, 2 on misuse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unbound.h>

#define RR_TYPE_SOA 6
#define RR_CLASS_IN 1

static const char *
rcode_name(int rcode)
{
	static const char *const names[] = {
		"NOERROR",
		"FORMERR",
		"SERVFAIL",
		"NXDOMAIN",
		"NOTIMP",
		"REFUSED",
		"YXDOMAIN",
		"YXRRSET",
		"NXRRSET",
		"NOTAUTH",
		"NOTZONE",
	};

	if (rcode >= 0 && (size_t)rcode < sizeof(names) / sizeof(names[0]))
		return names[rcode];
	return "RCODE?";
}

static const char *
status_of(const struct ub_result *result)
{
	if (result->bogus)
		return "bogus";
	if (result->secure)
		return "secure";
	return "insecure";
}

/* Resolve NAME's SOA and print its line; 0 on success, -1 on failure. */
static int
check_name(struct ub_ctx *ctx, const char *name)
{
	struct ub_result *result = NULL;
	int err;

	err = ub_resolve(ctx, name, RR_TYPE_SOA, RR_CLASS_IN, &result);
	if (err != 0) {
		fprintf(
		    stderr, "%s: resolve error: %s\n", name, ub_strerror(err));
		return -1;
	}
	printf(
	    "%s %s %s\n", name, status_of(result), rcode_name(result->rcode));
	if (result->bogus)
		fprintf(stderr, "%s: why_bogus: %s\n", name,
		    result->why_bogus ? result->why_bogus : "(none)");
	ub_resolve_free(result);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *conf = getenv("NETHEALTH_RESOLVER_CONF");
	struct ub_ctx *ctx;
	int i, err, failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: dnssec_status NAME...\n");
		return 2;
	}
	if (conf == NULL || conf[0] == '\0') {
		fprintf(stderr,
		    "dnssec_status: NETHEALTH_RESOLVER_CONF is not set "
		    "(run it with lab/exec)\n");
		return 2;
	}
	ctx = ub_ctx_create();
	if (ctx == NULL) {
		fprintf(stderr, "dnssec_status: ub_ctx_create failed\n");
		return 1;
	}
	err = ub_ctx_config(ctx, conf);
	if (err != 0) {
		fprintf(
		    stderr, "dnssec_status: %s: %s\n", conf, ub_strerror(err));
		ub_ctx_delete(ctx);
		return 1;
	}
	for (i = 1; i < argc; i++)
		if (check_name(ctx, argv[i]) != 0)
			failed = 1;
	fflush(stdout);
	ub_ctx_delete(ctx);
	return failed;
}
