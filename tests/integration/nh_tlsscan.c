/*
 * nh_tlsscan.c: runs nethealth's raw-hello TLS assessment (src/tls/scan.c)
 * on ADDRESS PORT [SNI] and prints what it found, one line per item:
 *     version TLSv1.2 accepted|refused [order server|client|-]
 *     suite TLSv1.2 <IANA name>
 *     group12|group13 <name>
 *     dh <bits> ffdhe|custom, kex_sha1 yes|no, kex_sha224 yes|no,
 *     compression yes|no, secure_reneg yes|no, ems yes|no,
 *     connections N, ms T
 * With -H, then the full handshakes (chain, OCSP, renegotiation, 0-RTT;
 * -C CAFILE for trust).
 * Usage: nh_tlsscan [-r RATE] [-c CONNS] [-H [-C CAFILE]] ADDRESS PORT
 * [SNI]. For the
 * integration tests (the sslscan comparison) and the benchmark.
 */
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <event2/event.h>

#include "net/net.h"
#include "tls/tls.h"

static int done;
static struct nh_tls_ctx *tctx;
static struct nh_tls_hs_cfg hcfg;
static struct event_base *base;

static void print_all(struct nh_fact_tls *t, void *arg);

static const char *
yn(enum nh_probe p)
{
	return p == NH_PROBE_OK ? "yes" : p == NH_PROBE_FAILED ? "no" : "-";
}

static void
on_done(struct nh_fact_tls *t, void *arg)
{
	const char *err;

	/* With -H, the full handshakes follow the raw scan. */
	if (tctx != NULL && t->reachable == NH_PROBE_OK &&
	    nh_tls_hs_start(base, tctx, &hcfg, t, print_all, arg, &err) != NULL)
		return;
	print_all(t, arg);
}

static void
print_all(struct nh_fact_tls *t, void *arg)
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
	if (t->handshake != NH_PROBE_NOT_DONE) {
		printf("handshake %s%s%s\n", yn(t->handshake),
		    t->handshake_error ? " " : "",
		    t->handshake_error ? t->handshake_error : "");
		for (size_t i = 0; i < t->nchain; i++)
			printf("cert %zu %s %s %u %s %s self_signed=%d root=%d "
			       "not_after=%s\n",
			    i, t->chain[i].subject, t->chain[i].key_type,
			    t->chain[i].key_bits,
			    t->chain[i].curve ? t->chain[i].curve : "-",
			    t->chain[i].sig_alg, t->chain[i].self_signed,
			    t->chain[i].trusted_root, t->chain[i].not_after);
		printf("verified %s%s%s\nname_matches %s\n",
		    t->chain_verified ? "yes" : "no",
		    t->verify_error ? " " : "",
		    t->verify_error ? t->verify_error : "",
		    t->name_matches ? "yes" : "no");
		printf("ocsp url=%d stapled=%s valid=%d\nclient_reneg %s\n"
		       "zero_rtt %s\ndane %s%s%s\nconnections %u\n",
		    t->ocsp_url, yn(t->ocsp_stapled), t->ocsp_valid,
		    yn(t->client_reneg), yn(t->zero_rtt), yn(t->dane),
		    t->dane_error ? " " : "",
		    t->dane_error ? t->dane_error : "", t->connections);
	}
	done = 1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct nh_fact_tls t = { 0 };
	struct nh_tls_scan_cfg cfg = { 0 };
	struct nh_limiter *lim = NULL;
	double rate = 0;
	unsigned conns = 5;
	const char *err, *ca = NULL;
	bool hs = false;
	int c;

	signal(SIGPIPE, SIG_IGN); /* as nethealth's main */

	base = event_base_new();
	while ((c = getopt(argc, argv, "r:c:HC:")) != -1) {
		if (c == 'r')
			rate = atof(optarg);
		else if (c == 'c')
			conns = (unsigned)atoi(optarg);
		else if (c == 'H')
			hs = true;
		else if (c == 'C')
			ca = optarg;
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
	if (hs && (tctx = nh_tls_ctx_new(ca, &err)) == NULL) {
		fprintf(stderr, "nh_tlsscan: %s\n", err);
		return 2;
	}
	hcfg.sa = cfg.sa;
	hcfg.salen = cfg.salen;
	hcfg.sni = cfg.sni;
	hcfg.limiter = lim;
	hcfg.timeout = 5;
	hcfg.renegotiation = hcfg.zero_rtt = true;
	if (nh_tls_scan_start(base, &cfg, &t, on_done, NULL, &err) == NULL) {
		fprintf(stderr, "nh_tlsscan: %s\n", err);
		return 2;
	}
	while (!done && event_base_loop(base, EVLOOP_ONCE) == 0)
		;
	nh_fact_tls_clear(&t);
	nh_tls_ctx_free(tctx);
	nh_limiter_free(lim);
	event_base_free(base);
	return 0;
}
