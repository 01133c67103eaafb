/*
 * tls.c: the details of the TLS assessment of each endpoint, for
 * `nethealth tls`: what was offered and accepted, with the NCSC-NL level
 * of each item, before the verdicts of the HTTPS checks.
 */
#include <string.h>

#include "report.h"
#include "tlsdata/tlsdata.h"

static const char *
yes_no(enum nh_probe p, const char *yes, const char *no)
{
	return p == NH_PROBE_OK    ? yes
	    : p == NH_PROBE_FAILED ? no
				   : "not tested";
}

static void
groups(FILE *fp, const char *label, const unsigned *g, size_t n)
{
	if (n == 0)
		return;
	fprintf(fp, "  Groups, %s:", label);
	for (size_t i = 0; i < n; i++) {
		const struct nh_tls_group *x = nh_tls_group_by_id(g[i]);
		const char *name = x ? x->name : "unknown";

		fprintf(fp, "%s %s (%s)", i ? "," : "", name,
		    nh_tls_level_name(nh_tls_policy("group", name)));
	}
	fprintf(fp, "\n");
}

static void
endpoint(FILE *fp, const struct nh_fact_tls *t)
{
	fprintf(fp, "\n%s port %u%s%s: ", t->ip, t->port,
	    t->sni ? ", name " : "", t->sni ? t->sni : "");
	if (t->reachable != NH_PROBE_OK) {
		fprintf(fp, "no TLS (%s)\n", t->error ? t->error : "no answer");
		return;
	}
	fprintf(fp, "%u connections (%u in sequence), %.0f ms\n",
	    t->connections, t->sequential, t->ms);
	for (size_t i = NH_TLS_NVERSIONS; i-- > 0;) {
		const struct nh_fact_tls_version *v = &t->versions[i];
		const char *name = nh_tls_version_name(v->version);

		if (v->probed == NH_PROBE_NOT_DONE)
			continue;
		fprintf(fp, "  %-8s %s", name,
		    v->probed == NH_PROBE_OK ? "accepted" : "refused");
		if (v->probed == NH_PROBE_OK)
			fprintf(fp, " (%s); order: %s\n",
			    nh_tls_level_name(nh_tls_policy("version", name)),
			    v->server_order == 1       ? "the server's"
				: v->server_order == 0 ? "the client's"
				: v->nsuites < 2       ? "one suite"
				: v->version == NH_TLS13
				? "not judged in TLS 1.3"
				: "not asked (no suite to phase out)");
		else
			fprintf(fp, "%s%s%s\n", v->error ? " (" : "",
			    v->error ? v->error : "", v->error ? ")" : "");
		for (size_t k = 0; k < v->nsuites; k++) {
			const struct nh_tls_suite *s =
			    nh_tls_suite_by_id(v->suites[k]);

			fprintf(fp, "    %-13s %s\n",
			    s ? nh_tls_level_name(s->level) : "unknown",
			    s ? s->iana : "?");
		}
	}
	groups(fp, "TLS 1.2", t->groups12, t->ngroups12);
	groups(fp, "TLS 1.3", t->groups13, t->ngroups13);
	if (t->dhe)
		fprintf(fp, "  DH group: %u bits, %s\n", t->dh_bits,
		    t->dh_ffdhe ? "RFC 7919" : "custom");
	fprintf(fp, "  Key exchange signed with SHA-1: %s; with SHA-224: %s\n",
	    yes_no(t->kex_sha1, "yes", "refused"),
	    yes_no(t->kex_sha224, "yes", "refused"));
	fprintf(fp,
	    "  Compression: %s; secure renegotiation: %s; client "
	    "renegotiation: %s; extended master secret: %s; 0-RTT: %s\n",
	    yes_no(t->compression, "yes", "no"),
	    yes_no(t->secure_reneg, "yes", "no"),
	    yes_no(t->client_reneg, "accepted", "refused"),
	    yes_no(t->ems, "yes", "no"),
	    yes_no(t->zero_rtt, "accepted", "refused"));
	if (t->handshake == NH_PROBE_NOT_DONE) {
		fprintf(fp,
		    "  Full handshake: not tried (no TLS version "
		    "accepted)\n");
		return;
	}
	if (t->handshake != NH_PROBE_OK) {
		fprintf(fp, "  Full handshake: failed (%s)%s\n",
		    t->handshake_error ? t->handshake_error : "?",
		    t->chain_from_probe ? "; the certificates below are "
					  "those a probe received"
					: "");
		if (t->nchain == 0)
			return;
	}
	for (size_t i = 0; i < t->nchain; i++) {
		const struct nh_fact_cert *c = &t->chain[i];

		fprintf(fp,
		    "  Certificate %zu: %s\n    %s %u%s%s, %s, expires "
		    "%s%s\n",
		    i, c->subject, c->key_type, c->key_bits,
		    c->curve ? " " : "", c->curve ? c->curve : "", c->sig_alg,
		    c->not_after,
		    c->trusted_root      ? " (trusted root)"
			: c->self_signed ? " (self-signed)"
					 : "");
	}
	fprintf(fp, "  Chain: %s%s%s; name: %s\n",
	    t->chain_verified ? "verified" : "not verified",
	    t->verify_error ? ", " : "", t->verify_error ? t->verify_error : "",
	    t->name_matches ? "matches" : "does not match");
	fprintf(fp, "  OCSP: %s\n",
	    !t->ocsp_url                         ? "no responder named"
		: t->ocsp_stapled != NH_PROBE_OK ? "not stapled"
		: t->ocsp_valid                  ? "stapled, valid"
						 : "stapled, not valid");
	fprintf(fp, "  DANE: %s\n",
	    t->dane == NH_PROBE_OK           ? "validated"
		: t->dane == NH_PROBE_FAILED ? "fails"
		: t->ntlsa > 0               ? "TLSA records not usable"
					     : "no TLSA records");
}

int
nh_report_tls(
    FILE *fp, const struct nh_facts *f, const struct nh_report_opts *o)
{
	fprintf(fp, "%sTLS assessment of %s%s\n", o->color ? "\033[1m" : "",
	    f->domain, o->color ? "\033[0m" : "");
	if (f->ntls == 0)
		fprintf(fp, "No address to test (%s).\n",
		    f->a.error ? f->a.error : "no A or AAAA record");
	for (size_t i = 0; i < f->ntls; i++)
		endpoint(fp, &f->tls[i]);
	return ferror(fp) ? -1 : 0;
}
