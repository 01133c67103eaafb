/*
 * nh_tlsscan.c: runs nethealth's raw-hello TLS assessment (src/tls/scan.c)
 * on ADDRESS PORT [SNI] and prints what it found, one line per item:
 *     version TLSv1.2 accepted|refused [order server|client|-]
 *     suite TLSv1.2 <IANA name>
 *     group12|group13 <name>
 *     dh <bits> ffdhe|custom, kex_sha1 yes|no, kex_sha224 yes|no,
 *     compression yes|no, secure_reneg yes|no, ems yes|no,
 *     connections N, ms T
 * Usage: nh_tlsscan [-r RATE] [-c CONNS] ADDRESS PORT [SNI]. For the
 * integration tests (the sslscan comparison) and the benchmark.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <event2/event.h>

#include "net/net.h"
#include "tls/tls.h"

static int done;

static const char *
yn(enum nh_probe p)
{
	return p == NH_PROBE_OK ? "yes" : p == NH_PROBE_FAILED ? "no" : "-";
}

static void
on_done(struct nh_fact_tls *t, void *arg)
{
	(void)arg;
	printf("reachable %s%s%s\n", yn(t->reachable), t->error ? " " : "",
	    t->error ? t->error : "");
	for (size_t i = 0; i < NH_TLS_NVERSIONS; i++) {
		const struct nh_fact_tls_version *v = &t->versions[i];

		if (v->probed == NH_PROBE_NOT_DONE)
			continue;
		printf("version %s %s", nh_tls_version_name(v->version),
		    v->probed == NH_PROBE_OK ? "accepted" : "refused");
		if (v->probed == NH_PROBE_OK)
			printf(" order %s",
			    v->server_order == 1       ? "server"
				: v->server_order == 0 ? "client"
						       : "-");
		else if (v->error != NULL)
			printf(" (%s)", v->error);
		printf("\n");
		for (size_t k = 0; k < v->nsuites; k++) {
			const struct nh_tls_suite *s =
			    nh_tls_suite_by_id(v->suites[k]);

			printf("suite %s %s\n", nh_tls_version_name(v->version),
			    s ? s->iana : "?");
		}
	}
	for (size_t i = 0; i < t->ngroups12; i++)
		printf("group12 %s\n",
		    nh_tls_group_by_id(t->groups12[i])
			? nh_tls_group_by_id(t->groups12[i])->name
			: "?");
	for (size_t i = 0; i < t->ngroups13; i++)
		printf("group13 %s\n",
		    nh_tls_group_by_id(t->groups13[i])
			? nh_tls_group_by_id(t->groups13[i])->name
			: "?");
	if (t->dhe)
		printf(
		    "dh %u %s\n", t->dh_bits, t->dh_ffdhe ? "ffdhe" : "custom");
	printf("kex_sha1 %s\nkex_sha224 %s\ncompression %s\nsecure_reneg "
	       "%s\nems %s\nconnections %u\nms %.1f\n",
	    yn(t->kex_sha1), yn(t->kex_sha224), yn(t->compression),
	    yn(t->secure_reneg), yn(t->ems), t->connections, t->ms);
	done = 1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct event_base *base = event_base_new();
	struct nh_fact_tls t = { 0 };
	struct nh_tls_scan_cfg cfg = { 0 };
	struct nh_limiter *lim = NULL;
	double rate = 0;
	unsigned conns = 5;
	const char *err;
	int c;

	while ((c = getopt(argc, argv, "r:c:")) != -1) {
		if (c == 'r')
			rate = atof(optarg);
		else if (c == 'c')
			conns = (unsigned)atoi(optarg);
		else
			return 1;
	}
	if (argc - optind < 2 ||
	    nh_sockaddr_from_text(argv[optind],
		(uint16_t)atoi(argv[optind + 1]), &ss, &len) == 0) {
		fprintf(stderr,
		    "usage: nh_tlsscan [-r RATE] [-c CONNS] "
		    "ADDRESS PORT [SNI]\n");
		return 1;
	}
	snprintf(t.ip, sizeof(t.ip), "%s", argv[optind]);
	t.port = (unsigned)atoi(argv[optind + 1]);
	cfg.sa = (struct sockaddr *)&ss;
	cfg.salen = len;
	cfg.sni = argc - optind > 2 ? argv[optind + 2] : NULL;
	cfg.timeout = 5;
	if (conns > 0 || rate > 0)
		cfg.limiter = lim = nh_limiter_new(base, conns, rate);
	if (nh_tls_scan_start(base, &cfg, &t, on_done, NULL, &err) == NULL) {
		fprintf(stderr, "nh_tlsscan: %s\n", err);
		return 2;
	}
	while (!done && event_base_loop(base, EVLOOP_ONCE) == 0)
		;
	nh_fact_tls_clear(&t);
	nh_limiter_free(lim);
	event_base_free(base);
	return 0;
}
