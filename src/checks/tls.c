/*
 * tls.c: the TLS and certificate checks of the website test
 * (../shared/internetnl-catalog.md §1.3, policy §1.6 as data in
 * data/tls-policy.tsv), judged per web address: every check adds one
 * finding per address with its points, and the HTTPS category scores the
 * lowest address (a per-server category).
 *
 * Where nethealth looks further than Internet.nl: the suites of every
 * version are judged (Internet.nl: the highest below TLS 1.3, and TLS
 * 1.3), and every group the server accepts (Internet.nl: the one it
 * picks). --internetnl-compat restricts both to what Internet.nl sees.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks_impl.h"
#include "tlsdata/tlsdata.h"

/* A TLS check over one endpoint: fills status, points, message. */
typedef enum nh_status (*tls_judge)(const struct nh_fact_tls *t,
    const struct nh_check_opts *o, int full, int *points, char *msg,
    size_t size, bool *counted);

static const struct nh_fact_tls_version *
version(const struct nh_fact_tls *t, unsigned v)
{
	for (size_t i = 0; i < NH_TLS_NVERSIONS; i++) {
		if (t->versions[i].version == v)
			return &t->versions[i];
	}
	return NULL;
}

/* Whether HTTPS works on the endpoint: a version was accepted. */
static bool
available(const struct nh_fact_tls *t)
{
	return nh_fact_tls_best(t) != 0;
}

/* The highest accepted version below TLS 1.3, or 0. */
static unsigned
highest_below_13(const struct nh_fact_tls *t)
{
	for (unsigned v = NH_TLS12; v >= NH_SSL3; v--) {
		if (nh_fact_tls_accepted(t, v))
			return v;
	}
	return 0;
}

/* Whether an endpoint is an MX's, reached through STARTTLS. */
static bool
mail_ep(const struct nh_fact_tls *t)
{
	return t->smtp.answered != NH_PROBE_NOT_DONE || t->smtp.error != NULL;
}

/* Whether the endpoint has a TLSA record of this usage. */
static bool
has_usage(const struct nh_fact_tls *t, unsigned usage)
{
	for (size_t i = 0; i < t->ntlsa; i++) {
		if (t->tlsa[i].usage == usage)
			return true;
	}
	return false;
}

/* The endpoints of the test: the web addresses, or every MX address. */
static const struct nh_fact_tls *
endpoints(const struct nh_facts *f, size_t *n)
{
	if (f->type == NH_TEST_MAIL) {
		*n = f->nmxtls;
		return f->mxtls;
	}
	*n = f->ntls;
	return f->tls;
}

/* A finding's label: the address, and for an MX its name. */
static void
ep_label(const struct nh_facts *f, const struct nh_fact_tls *t, char *buf,
    size_t size)
{
	if (f->type == NH_TEST_MAIL)
		snprintf(buf, size, "%s (%s)", t->sni ? t->sni : "?", t->ip);
	else
		snprintf(buf, size, "%s", t->ip);
}

/*
 * Runs `judge` over every TLS endpoint, a finding per address. An address
 * where HTTPS (or STARTTLS) is not available scores 0 for the check (not
 * tested), so the category scores 0 for it, as Internet.nl's. Mail: a
 * domain without usable MX has nothing to judge (the category is left out
 * of the score, as Internet.nl does).
 */
static int
per_endpoint(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r, tls_judge judge)
{
	size_t n;
	const struct nh_fact_tls *eps = endpoints(f, &n);
	bool any_counted = false;

	if (f->type == NH_TEST_MAIL && !nh_mx_applies(f))
		return nh_check_no_mx(f, r, false);
	if (n == 0)
		return nh_check_result_set(r, NH_NOT_TESTED, 0,
		    f->type == NH_TEST_MAIL ? "no mail server address to test"
					    : "no web server address to test");
	for (size_t i = 0; i < n; i++) {
		const struct nh_fact_tls *t = &eps[i];
		char msg[512] = "", label[320];
		int points = 0;
		bool counted = true;
		enum nh_status st;
		struct nh_finding *fd;

		ep_label(f, t, label, sizeof(label));
		if (!available(t)) {
			st = NH_NOT_TESTED;
			snprintf(msg, sizeof(msg), "%s is not available",
			    f->type == NH_TEST_MAIL ? "STARTTLS" : "HTTPS");
		} else {
			st = judge(t, o, r->meta->points, &points, msg,
			    sizeof(msg), &counted);
		}
		fd =
		    nh_check_result_add_server(r, label, st, points, msg, NULL);
		if (fd == NULL)
			return -1;
		if (!counted)
			fd->max = 0;
		else
			any_counted = true;
	}
	/* No address counts (EMS without TLS 1.2, 0-RTT on SMTP): neither
	 * does the check, in the score or in the category's verdict. */
	if (!any_counted)
		r->max = 0;
	return nh_check_summarize(r);
}

/* ---- HTTPS available ---- */

static enum nh_status
judge_available(const struct nh_fact_tls *t, const struct nh_check_opts *o,
    int full, int *points, char *msg, size_t size, bool *counted)
{
	(void)o;
	(void)full;
	(void)points;
	(void)counted;
	snprintf(msg, size, "HTTPS on port %u (%s)", t->port,
	    nh_tls_version_name(nh_fact_tls_best(t)));
	return NH_PASSED;
}

int
nh_check_tls_available(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	if (f->ntls == 0)
		return nh_check_result_set(r, NH_FAILED, 0,
		    "the domain has no A or AAAA record: no web server");
	for (size_t i = 0; i < f->ntls; i++) {
		const struct nh_fact_tls *t = &f->tls[i];
		char msg[300];
		enum nh_status st;
		int points = 0;
		bool counted;

		if (available(t)) {
			st = judge_available(
			    t, o, 0, &points, msg, sizeof(msg), &counted);
		} else if (t->reachable == NH_PROBE_OK) {
			st = NH_FAILED;
			snprintf(msg, sizeof(msg),
			    "the server answers on port "
			    "%u but accepts no TLS version",
			    t->port);
		} else if (t->error != NULL &&
		    strcmp(t->error, "connection timed out") == 0) {
			/* Not even TCP: the network between may be at fault,
			 * so cannot tell (Internet.nl: error). */
			st = NH_ERROR;
			snprintf(msg, sizeof(msg), "no answer on port %u: %s",
			    t->port, t->error);
		} else if (t->error != NULL && strstr(t->error, "in time")) {
			/* TCP connects, TLS never answers: no HTTPS. */
			st = NH_FAILED;
			snprintf(msg, sizeof(msg),
			    "port %u accepts connections but answers no "
			    "TLS hello in time",
			    t->port);
		} else {
			st = NH_FAILED;
			snprintf(msg, sizeof(msg), "port %u is closed%s%s",
			    t->port, t->error ? ": " : "",
			    t->error ? t->error : "");
		}
		if (nh_check_result_add_server(r, t->ip, st, 0, msg, NULL) ==
		    NULL)
			return -1;
	}
	return nh_check_summarize(r);
}

/* ---- versions ---- */

static enum nh_status
judge_version(const struct nh_fact_tls *t, const struct nh_check_opts *o,
    int full, int *points, char *msg, size_t size, bool *counted)
{
	char bad[128] = "", ok[64] = "";
	size_t lb = 0, lo = 0;

	(void)o;
	(void)counted;
	for (size_t i = 0; i < NH_TLS_NVERSIONS; i++) {
		const struct nh_fact_tls_version *v = &t->versions[i];
		const char *name = nh_tls_version_name(v->version);

		if (v->probed != NH_PROBE_OK)
			continue;
		if (nh_tls_policy("version", name) == NH_TLS_INSUFFICIENT)
			lb += (size_t)snprintf(bad + lb, sizeof(bad) - lb,
			    "%s%s", lb ? ", " : "", name);
		else
			lo += (size_t)snprintf(ok + lo, sizeof(ok) - lo, "%s%s",
			    lo ? ", " : "", name);
	}
	if (lb > 0) {
		snprintf(msg, size, "insufficient versions offered: %s", bad);
		return NH_FAILED;
	}
	*points = full;
	snprintf(msg, size, "offers %s", ok);
	return NH_PASSED;
}

/* ---- cipher suites ---- */

/* Whether version v's suites are judged (all, or Internet.nl's). */
static bool
judged_version(
    const struct nh_fact_tls *t, const struct nh_check_opts *o, unsigned v)
{
	return !o->internetnl_compat || v == NH_TLS13 ||
	    v == highest_below_13(t);
}

static enum nh_status
judge_ciphers(const struct nh_fact_tls *t, const struct nh_check_opts *o,
    int full, int *points, char *msg, size_t size, bool *counted)
{
	char bad[256] = "", old[256] = "";
	size_t lb = 0, lo = 0, nbad = 0, nold = 0;

	(void)counted;
	for (size_t i = 0; i < NH_TLS_NVERSIONS; i++) {
		const struct nh_fact_tls_version *v = &t->versions[i];

		if (v->probed != NH_PROBE_OK ||
		    !judged_version(t, o, v->version))
			continue;
		for (size_t k = 0; k < v->nsuites; k++) {
			const struct nh_tls_suite *s =
			    nh_tls_suite_by_id(v->suites[k]);
			const char *name = s ? s->iana : "unknown";
			enum nh_tls_level lv =
			    s ? s->level : NH_TLS_INSUFFICIENT;

			if (lv == NH_TLS_INSUFFICIENT) {
				if (nbad++ < 4 && lb < sizeof(bad))
					lb += (size_t)snprintf(bad + lb,
					    sizeof(bad) - lb, "%s%s",
					    lb ? ", " : "", name);
			} else if (lv == NH_TLS_PHASE_OUT) {
				if (nold++ < 3 && lo < sizeof(old))
					lo += (size_t)snprintf(old + lo,
					    sizeof(old) - lo, "%s%s",
					    lo ? ", " : "", name);
			}
		}
	}
	if (nbad > 0) {
		snprintf(msg, size, "%zu insufficient suite%s offered: %s%s",
		    nbad, nbad > 1 ? "s" : "", bad, nbad > 4 ? ", ..." : "");
		return NH_FAILED;
	}
	*points = full;
	if (nold > 0) {
		snprintf(msg, size, "%zu suite%s to phase out: %s%s", nold,
		    nold > 1 ? "s" : "", old, nold > 3 ? ", ..." : "");
		return NH_WARNING;
	}
	snprintf(msg, size, "only good and sufficient suites");
	return NH_PASSED;
}

/* ---- cipher order ---- */

static enum nh_status
judge_order(const struct nh_fact_tls *t, const struct nh_check_opts *o,
    int full, int *points, char *msg, size_t size, bool *counted)
{
	unsigned hv = highest_below_13(t);
	const struct nh_fact_tls_version *v = hv ? version(t, hv) : NULL;
	bool phase_out = false, better = false, seen_phase_out = false;

	(void)o;
	(void)counted;
	*points = full;
	if (v == NULL) {
		snprintf(msg, size, "TLS 1.3 only: the order does not matter");
		return NH_PASSED;
	}
	for (size_t k = 0; k < v->nsuites; k++) {
		const struct nh_tls_suite *s = nh_tls_suite_by_id(v->suites[k]);

		phase_out |= s != NULL && s->level == NH_TLS_PHASE_OUT;
		better |= s != NULL && s->level < NH_TLS_PHASE_OUT;
	}
	if (!phase_out) {
		snprintf(msg, size,
		    "no suite to phase out: the order does not "
		    "matter");
		return NH_PASSED;
	}
	if (!better) {
		snprintf(msg, size,
		    "no good or sufficient suite to prefer: the order "
		    "does not matter");
		return NH_PASSED;
	}
	if (v->server_order < 0) {
		*points = 0;
		snprintf(msg, size,
		    "%s: the server's order could not be learned",
		    nh_tls_version_name(hv));
		return NH_NOT_TESTED;
	}
	if (v->server_order == 0) {
		*points = 0;
		snprintf(msg, size,
		    "%s: the server follows the client's order, "
		    "so a client may get a suite to phase out",
		    nh_tls_version_name(hv));
		return NH_FAILED;
	}
	/* In the server's order, good and sufficient before phase-out. */
	for (size_t k = 0; k < v->nsuites; k++) {
		const struct nh_tls_suite *s = nh_tls_suite_by_id(v->suites[k]);

		if (s == NULL || s->level == NH_TLS_INSUFFICIENT)
			continue;
		if (s->level == NH_TLS_PHASE_OUT) {
			seen_phase_out = true;
		} else if (seen_phase_out) {
			*points = 0;
			snprintf(msg, size,
			    "%s: the server prefers a suite to "
			    "phase out over %s",
			    nh_tls_version_name(hv), s->iana);
			return NH_FAILED;
		}
	}
	snprintf(msg, size, "the server prefers good and sufficient suites");
	return NH_PASSED;
}

/* ---- key exchange ---- */

static enum nh_status
judge_kex(const struct nh_fact_tls *t, const struct nh_check_opts *o, int full,
    int *points, char *msg, size_t size, bool *counted)
{
	enum nh_tls_level worst = NH_TLS_GOOD;
	char worst_what[96] = "";
	size_t ngroups = 0;
	const unsigned *lists[2] = { t->groups12, t->groups13 };
	size_t lens[2] = { t->ngroups12, t->ngroups13 };

	(void)counted;
	for (size_t l = 0; l < 2; l++) {
		/* Internet.nl sees only the group negotiated first. */
		size_t n = o->internetnl_compat && lens[l] > 1 ? 1 : lens[l];

		for (size_t i = 0; i < n; i++) {
			const struct nh_tls_group *g =
			    nh_tls_group_by_id(lists[l][i]);
			const char *name = g ? g->name : "unknown";
			enum nh_tls_level lv = nh_tls_policy("group", name);

			ngroups++;
			if (lv > worst) {
				worst = lv;
				snprintf(worst_what, sizeof(worst_what),
				    "group %s", name);
			}
		}
	}
	if (t->dhe) {
		enum nh_tls_level lv = NH_TLS_INSUFFICIENT;

		/* RFC 7919 groups of 3072 bits and more: phase out; any
		 * other DH group, or ffdhe2048: insufficient. */
		if (t->dh_ffdhe && t->dh_g == 2 && t->dh_bits >= 3072)
			lv = NH_TLS_PHASE_OUT;
		if (lv > worst || ngroups == 0) {
			worst = lv > worst ? lv : worst;
			snprintf(worst_what, sizeof(worst_what),
			    "DH group of "
			    "%u bits (%s)",
			    t->dh_bits, t->dh_ffdhe ? "RFC 7919" : "custom");
		}
		ngroups++;
	}
	if (ngroups == 0) {
		*points = full;
		snprintf(msg, size,
		    "no ephemeral key exchange (ECDHE or DHE)"
		    " to judge");
		return NH_PASSED;
	}
	if (worst == NH_TLS_INSUFFICIENT) {
		snprintf(
		    msg, size, "insufficient key exchange: %s", worst_what);
		return NH_FAILED;
	}
	*points = full;
	if (worst == NH_TLS_PHASE_OUT) {
		snprintf(
		    msg, size, "key exchange to phase out: %s", worst_what);
		return NH_WARNING;
	}
	snprintf(msg, size, "good key exchange groups only");
	return NH_PASSED;
}

static enum nh_status
judge_kexhash(const struct nh_fact_tls *t, const struct nh_check_opts *o,
    int full, int *points, char *msg, size_t size, bool *counted)
{
	(void)o;
	(void)counted;
	if (t->kex_sha1 == NH_PROBE_NOT_DONE) {
		/* Nothing a client could get signed with a weak hash:
		 * passes, as the catalog says (Internet.nl: the same). */
		*points = full;
		snprintf(msg, size,
		    "no TLS 1.2 with a signed key exchange: no weak "
		    "signature to get");
		return NH_PASSED;
	}
	if (t->kex_sha1 == NH_PROBE_OK) {
		snprintf(msg, size,
		    "the server signs its key exchange with "
		    "SHA-1 when a client asks for it");
		return NH_FAILED;
	}
	*points = full;
	if (t->kex_sha224 == NH_PROBE_OK) {
		snprintf(msg, size,
		    "the server signs its key exchange with "
		    "SHA-224 when a client asks for it");
		return NH_WARNING;
	}
	snprintf(msg, size,
	    "the server refuses SHA-1 and SHA-224 for its "
	    "key exchange signature");
	return NH_PASSED;
}

/* ---- compression, renegotiation, EMS, 0-RTT ---- */

static enum nh_status
judge_compress(const struct nh_fact_tls *t, const struct nh_check_opts *o,
    int full, int *points, char *msg, size_t size, bool *counted)
{
	(void)o;
	(void)counted;
	if (t->compression == NH_PROBE_OK) {
		snprintf(msg, size,
		    "the server accepts TLS compression "
		    "(DEFLATE): CRIME");
		return NH_FAILED;
	}
	*points = full;
	snprintf(msg, size, "no TLS compression");
	return NH_PASSED;
}

static enum nh_status
judge_secreneg(const struct nh_fact_tls *t, const struct nh_check_opts *o,
    int full, int *points, char *msg, size_t size, bool *counted)
{
	(void)o;
	(void)counted;
	if (highest_below_13(t) == 0) {
		*points = full;
		snprintf(msg, size, "TLS 1.3 only: no renegotiation");
		return NH_PASSED;
	}
	if (t->secure_reneg != NH_PROBE_OK) {
		snprintf(msg, size, "no secure renegotiation (RFC 5746)");
		return NH_FAILED;
	}
	*points = full;
	snprintf(msg, size, "secure renegotiation (RFC 5746)");
	return NH_PASSED;
}

static enum nh_status
judge_clientreneg(const struct nh_fact_tls *t, const struct nh_check_opts *o,
    int full, int *points, char *msg, size_t size, bool *counted)
{
	(void)o;
	(void)full;
	(void)points;
	(void)counted;
	if (highest_below_13(t) == 0) {
		snprintf(msg, size, "TLS 1.3 only: no renegotiation");
		return NH_PASSED;
	}
	switch (t->client_reneg) {
	case NH_PROBE_OK:
		snprintf(msg, size,
		    "the server accepts a renegotiation the "
		    "client starts");
		return NH_INFO;
	case NH_PROBE_FAILED:
		snprintf(msg, size,
		    "the server refuses renegotiations the "
		    "client starts");
		return NH_PASSED;
	case NH_PROBE_NOT_DONE:
		break;
	}
	snprintf(msg, size, "not tested");
	return NH_NOT_TESTED;
}

static enum nh_status
judge_ems(const struct nh_fact_tls *t, const struct nh_check_opts *o, int full,
    int *points, char *msg, size_t size, bool *counted)
{
	(void)o;
	if (!nh_fact_tls_accepted(t, NH_TLS12)) {
		*counted = false;
		snprintf(msg, size, "no TLS 1.2: not applicable");
		return NH_NOT_TESTED;
	}
	if (t->ems != NH_PROBE_OK) {
		snprintf(msg, size, "no extended master secret (RFC 7627)");
		return NH_FAILED;
	}
	*points = full;
	snprintf(msg, size, "extended master secret (RFC 7627)");
	return NH_PASSED;
}

static enum nh_status
judge_0rtt(const struct nh_fact_tls *t, const struct nh_check_opts *o, int full,
    int *points, char *msg, size_t size, bool *counted)
{
	if (mail_ep(t)) {
		/* SMTP has no early data to send; Internet.nl stopped
		 * testing it on mail (it broke servers) and passes it. */
		snprintf(msg, size, "not tested on SMTP");
		if (o->internetnl_compat) {
			*points = full;
			return NH_PASSED;
		}
		*counted = false;
		return NH_NOT_TESTED;
	}
	if (!nh_fact_tls_accepted(t, NH_TLS13)) {
		*points = full;
		snprintf(msg, size, "no TLS 1.3: no 0-RTT");
		return NH_PASSED;
	}
	if (t->zero_rtt == NH_PROBE_OK) {
		snprintf(msg, size,
		    "the server accepts 0-RTT early data, "
		    "which can be replayed");
		return NH_FAILED;
	}
	if (t->zero_rtt == NH_PROBE_NOT_DONE && t->handshake != NH_PROBE_OK) {
		snprintf(msg, size, "not tested: %s",
		    t->handshake_error ? t->handshake_error
				       : "no full handshake");
		return NH_NOT_TESTED;
	}
	*points = full;
	snprintf(msg, size, "no 0-RTT");
	return NH_PASSED;
}

static enum nh_status
judge_ocsp(const struct nh_fact_tls *t, const struct nh_check_opts *o, int full,
    int *points, char *msg, size_t size, bool *counted)
{
	(void)o;
	(void)full;
	(void)points;
	(void)counted;
	if (t->handshake != NH_PROBE_OK) {
		snprintf(msg, size, "not tested: no full handshake");
		return NH_NOT_TESTED;
	}
	if (!t->ocsp_url) {
		snprintf(msg, size, "the certificate names no OCSP responder");
		return NH_NOT_TESTED;
	}
	if (t->ocsp_stapled != NH_PROBE_OK) {
		snprintf(msg, size, "no OCSP response stapled");
		return NH_INFO;
	}
	if (!t->ocsp_valid) {
		snprintf(msg, size,
		    "the stapled OCSP response does not "
		    "verify or is not current");
		return NH_WARNING;
	}
	snprintf(msg, size, "a valid OCSP response is stapled");
	return NH_PASSED;
}

/* ---- certificates ---- */

/* The certificate checks need the chain: from a full handshake, or from a
 * probe's Certificate message when none completed. */
static bool
no_handshake(const struct nh_fact_tls *t, char *msg, size_t size)
{
	if (t->handshake == NH_PROBE_OK || t->nchain > 0)
		return false;
	snprintf(msg, size, "no full handshake: %s",
	    t->handshake_error ? t->handshake_error : "not done");
	return true;
}

static enum nh_status
judge_chain(const struct nh_fact_tls *t, const struct nh_check_opts *o,
    int full, int *points, char *msg, size_t size, bool *counted)
{
	(void)o;
	(void)counted;
	if (no_handshake(t, msg, size))
		return NH_NOT_TESTED;
	if (!t->chain_verified) {
		snprintf(msg, size, "the chain does not verify: %s",
		    t->verify_error ? t->verify_error : "untrusted");
		return NH_FAILED;
	}
	*points = full;
	snprintf(msg, size, "the chain verifies to a trusted root");
	return NH_PASSED;
}

enum nh_tls_level
nh_cert_key_level(const struct nh_fact_cert *c, char *what, size_t size)
{
	if (c->key_type != NULL && strcmp(c->key_type, "rsa") == 0) {
		snprintf(what, size, "RSA-%u", c->key_bits);
		return c->key_bits >= 3072 ? NH_TLS_GOOD
		    : c->key_bits >= 2048  ? NH_TLS_PHASE_OUT
					   : NH_TLS_INSUFFICIENT;
	}
	if (c->key_type != NULL && strcmp(c->key_type, "ec") == 0) {
		snprintf(what, size, "EC %s", c->curve ? c->curve : "?");
		return c->curve ? nh_tls_policy("certkey", c->curve)
				: NH_TLS_INSUFFICIENT;
	}
	snprintf(what, size, "%s", c->key_type ? c->key_type : "?");
	return c->key_type ? nh_tls_policy("certkey", c->key_type)
			   : NH_TLS_INSUFFICIENT;
}

/*
 * Every certificate sent but a trusted root (Internet.nl's rule). With
 * --internetnl-compat an RSASSA-PSS signature is insufficient whatever its
 * hash, as Internet.nl's list of signature OIDs has it.
 */
static enum nh_status
judge_certs(const struct nh_fact_tls *t, const struct nh_check_opts *o,
    bool keys, int full, int *points, char *msg, size_t size)
{
	enum nh_tls_level worst = NH_TLS_GOOD;
	char worst_what[160] = "";

	if (no_handshake(t, msg, size))
		return NH_NOT_TESTED;
	for (size_t i = 0; i < t->nchain; i++) {
		const struct nh_fact_cert *c = &t->chain[i];
		enum nh_tls_level lv;
		char what[64];

		if (c->trusted_root)
			continue;
		if (keys) {
			lv = nh_cert_key_level(c, what, sizeof(what));
		} else {
			snprintf(what, sizeof(what), "%s",
			    c->sig_alg ? c->sig_alg : "?");
			lv = nh_tls_policy("certsig", what);
			if (o->internetnl_compat &&
			    strncmp(what, "RSASSA-PSS", 10) == 0)
				lv = NH_TLS_INSUFFICIENT;
			if (lv == NH_TLS_GOOD)
				lv = NH_TLS_SUFFICIENT;
		}
		if (lv > worst) {
			worst = lv;
			snprintf(worst_what, sizeof(worst_what), "%s (%s)",
			    what,
			    i == 0 ? "the certificate"
				   : "a chain "
				     "certificate");
		}
	}
	if (worst == NH_TLS_INSUFFICIENT) {
		snprintf(msg, size, "insufficient: %s", worst_what);
		return NH_FAILED;
	}
	*points = full;
	if (worst == NH_TLS_PHASE_OUT) {
		snprintf(msg, size, "to phase out: %s", worst_what);
		return NH_WARNING;
	}
	snprintf(
	    msg, size, keys ? "good public keys" : "good signature algorithms");
	return NH_PASSED;
}

static enum nh_status
judge_pubkey(const struct nh_fact_tls *t, const struct nh_check_opts *o,
    int full, int *points, char *msg, size_t size, bool *counted)
{
	(void)counted;
	return judge_certs(t, o, true, full, points, msg, size);
}

static enum nh_status
judge_sig(const struct nh_fact_tls *t, const struct nh_check_opts *o, int full,
    int *points, char *msg, size_t size, bool *counted)
{
	(void)counted;
	return judge_certs(t, o, false, full, points, msg, size);
}

static enum nh_status
judge_domain(const struct nh_fact_tls *t, const struct nh_check_opts *o,
    int full, int *points, char *msg, size_t size, bool *counted)
{
	(void)o;
	(void)counted;
	if (no_handshake(t, msg, size))
		return NH_NOT_TESTED;
	if (!t->name_matches) {
		snprintf(msg, size, "the certificate does not name %s (%s)",
		    t->sni ? t->sni : "?",
		    t->nchain ? t->chain[0].subject : "?");
		/* Mail (RFC 7672 §3.2): the name matters with DANE-TA only;
		 * with DANE-EE or none, a mismatch is worth knowing. */
		if (mail_ep(t) && !has_usage(t, 2))
			return NH_INFO;
		return NH_FAILED;
	}
	*points = full;
	snprintf(msg, size, "the certificate names %s", t->sni);
	return NH_PASSED;
}

/* ---- DANE ---- */

/* The TLSA records of a mail endpoint that SMTP uses: DANE-TA (2) and
 * DANE-EE (3); PKIX usages (0, 1) do not apply (RFC 7672 §3.1.3). */
static size_t
usable_tlsa(const struct nh_fact_tls *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->ntlsa; i++)
		n += !mail_ep(t) || t->tlsa[i].usage >= 2;
	return n;
}

static enum nh_status
judge_dane_exist(const struct nh_fact_tls *t, const struct nh_check_opts *o,
    int full, int *points, char *msg, size_t size, bool *counted)
{
	(void)o;
	(void)counted;
	switch (t->tlsa_lookup.result) {
	case NH_LOOKUP_ANSWER:
		break;
	case NH_LOOKUP_ERROR:
		if (t->tlsa_lookup.sec == NH_SEC_BOGUS) {
			snprintf(msg, size, "the TLSA records are bogus");
			return NH_FAILED;
		}
		snprintf(msg, size,
		    "the TLSA records could not be looked "
		    "up");
		return NH_ERROR;
	default:
		snprintf(msg, size, "no TLSA records");
		return NH_FAILED;
	}
	if (t->tlsa_lookup.sec == NH_SEC_BOGUS) {
		snprintf(msg, size, "the TLSA records are bogus");
		return NH_FAILED;
	}
	if (t->tlsa_lookup.sec != NH_SEC_SECURE) {
		snprintf(msg, size,
		    "TLSA records, but not signed with "
		    "DNSSEC: unusable");
		return NH_FAILED;
	}
	if (usable_tlsa(t) == 0) {
		snprintf(msg, size,
		    "only PKIX-TA or PKIX-EE TLSA records, which SMTP "
		    "does not use (RFC 7672 §3.1.3)");
		return NH_FAILED;
	}
	*points = full; /* scored for mail only (Internet.nl) */
	snprintf(msg, size, "%zu DNSSEC-signed TLSA record%s", t->ntlsa,
	    t->ntlsa == 1 ? "" : "s");
	return NH_PASSED;
}

static enum nh_status
judge_dane_valid(const struct nh_fact_tls *t, const struct nh_check_opts *o,
    int full, int *points, char *msg, size_t size, bool *counted)
{
	(void)o;
	(void)counted;
	if (t->dane == NH_PROBE_NOT_DONE) {
		snprintf(msg, size, "no usable TLSA records to validate");
		return NH_NOT_TESTED;
	}
	if (t->dane != NH_PROBE_OK) {
		snprintf(msg, size, "DANE does not validate: %s",
		    t->dane_error ? t->dane_error : "no match");
		return NH_FAILED;
	}
	*points = full; /* scored for mail only (Internet.nl) */
	snprintf(msg, size, "a TLSA record matches the certificate chain");
	return NH_PASSED;
}

/*
 * Rollover (Internet.nl's mail_starttls_dane_rollover): a key can change
 * without a gap when two DANE-EE records, or a DANE-EE and a DANE-TA
 * record, are published.
 */
static enum nh_status
judge_rollover(const struct nh_fact_tls *t, const struct nh_check_opts *o,
    int full, int *points, char *msg, size_t size, bool *counted)
{
	size_t ee = 0, ta = 0;

	(void)o;
	(void)full;
	(void)points;
	(void)counted;
	if (t->tlsa_lookup.result != NH_LOOKUP_ANSWER ||
	    t->tlsa_lookup.sec != NH_SEC_SECURE || usable_tlsa(t) == 0) {
		snprintf(msg, size, "no usable DNSSEC-signed TLSA records");
		return NH_NOT_TESTED;
	}
	for (size_t i = 0; i < t->ntlsa; i++) {
		ee += t->tlsa[i].usage == 3;
		ta += t->tlsa[i].usage == 2;
	}
	if (ee >= 2 || (ee >= 1 && ta >= 1)) {
		snprintf(msg, size,
		    "%zu DANE-EE and %zu DANE-TA records: a new key can be "
		    "published before it is used",
		    ee, ta);
		return NH_PASSED;
	}
	snprintf(msg, size,
	    "one kind of TLSA record only: changing the key or certificate "
	    "needs a second record first (RFC 7671 §8.1)");
	return NH_INFO;
}

#define TLS_CHECK(name, judge) \
	int name(const struct nh_facts *f, const struct nh_check_opts *o, \
	    struct nh_check_result *r) \
	{ \
		return per_endpoint(f, o, r, judge); \
	}

TLS_CHECK(nh_check_tls_version, judge_version)
TLS_CHECK(nh_check_tls_ciphers, judge_ciphers)
TLS_CHECK(nh_check_tls_cipherorder, judge_order)
TLS_CHECK(nh_check_tls_keyexchange, judge_kex)
TLS_CHECK(nh_check_tls_keyexchangehash, judge_kexhash)
TLS_CHECK(nh_check_tls_compress, judge_compress)
TLS_CHECK(nh_check_tls_secreneg, judge_secreneg)
TLS_CHECK(nh_check_tls_clientreneg, judge_clientreneg)
TLS_CHECK(nh_check_tls_ems, judge_ems)
TLS_CHECK(nh_check_tls_0rtt, judge_0rtt)
TLS_CHECK(nh_check_tls_ocsp, judge_ocsp)
TLS_CHECK(nh_check_cert_chain, judge_chain)
TLS_CHECK(nh_check_cert_pubkey, judge_pubkey)
TLS_CHECK(nh_check_cert_sig, judge_sig)
TLS_CHECK(nh_check_cert_domain, judge_domain)
TLS_CHECK(nh_check_dane_exist, judge_dane_exist)
TLS_CHECK(nh_check_dane_valid, judge_dane_valid)
TLS_CHECK(nh_check_dane_rollover, judge_rollover)

/* ---- STARTTLS available (mail) ---- */

int
nh_check_starttls_available(const struct nh_facts *f,
    const struct nh_check_opts *o, struct nh_check_result *r)
{
	(void)o;
	if (!nh_mx_applies(f))
		return nh_check_no_mx(f, r, false);
	if (f->nmxtls == 0)
		return nh_check_result_set(
		    r, NH_ERROR, 0, "no address of any mail server to test");
	for (size_t i = 0; i < f->nmxtls; i++) {
		const struct nh_fact_tls *t = &f->mxtls[i];
		const struct nh_fact_smtp *s = &t->smtp;
		char msg[400], label[320];
		enum nh_status st = NH_FAILED;
		int points = 0;

		ep_label(f, t, label, sizeof(label));
		if (available(t)) {
			st = NH_PASSED;
			points = r->meta->points;
			snprintf(msg, sizeof(msg), "STARTTLS works (%s)%s",
			    nh_tls_version_name(nh_fact_tls_best(t)),
			    s->deferred ? ", after the server deferred a try"
					: "");
		} else if (s->answered == NH_PROBE_OK && s->ehlo &&
		    !s->starttls) {
			snprintf(msg, sizeof(msg),
			    "the server does not offer STARTTLS");
		} else if (s->answered == NH_PROBE_OK && s->starttls) {
			snprintf(msg, sizeof(msg),
			    "STARTTLS is offered, but no TLS version is "
			    "accepted%s%s",
			    t->error ? ": " : "", t->error ? t->error : "");
		} else if (s->answered == NH_PROBE_FAILED) {
			/* Only 4xx or 5xx greetings: no verdict. */
			st = NH_ERROR;
			snprintf(msg, sizeof(msg),
			    "the server would not talk: %s",
			    s->error ? s->error : "no 220 greeting");
		} else if (t->error != NULL &&
		    strstr(t->error, "refused") != NULL) {
			snprintf(msg, sizeof(msg), "port 25 is closed (%s)",
			    t->error);
		} else {
			st = NH_ERROR;
			snprintf(msg, sizeof(msg), "no answer on port 25: %s",
			    s->error       ? s->error
				: t->error ? t->error
					   : "unreachable");
		}
		if (nh_check_result_add_server(
			r, label, st, points, msg, NULL) == NULL)
			return -1;
	}
	return nh_check_summarize(r);
}
