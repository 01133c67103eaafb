/*
 * batch_technical.c: one domain of the batch API's /results_technical, in
 * Internet.nl's shape (interface/batch/util.py DomainTechnicalResults,
 * openapi.yaml DomainWebTechnical and DomainMailTechnical), from the facts
 * of a stored result and the verdicts of its checks.
 *
 * Sources:
 *   domain.dnssec.status     the SOA lookup of the domain (facts): secure,
 *                            insecure, bogus, or error (lookup failed);
 *                            without facts, from the DNSSEC checks
 *   nameservers              every address of every name server (facts):
 *                            reachable = it answered the NS query; routing
 *                            = the announced routes and their RFC 6811
 *                            state (facts' RPKI part; left out when no
 *                            RPKI data was given)
 *   webservers.ipv4/ipv6     addresses: every web address, reachable = a
 *                            port of 80 and 443 accepted; tested_address,
 *                            server_reachable, https_enabled and details:
 *                            the first TLS endpoint of the family (nethealth
 *                            tests all; Internet.nl one at random)
 *   webservers.ip_similarity web_ipv6_ws_similar: passed true, failed or
 *                            warning false, else left out
 *   details (TLS)            from the endpoint's facts, classified by
 *                            data/tls-policy.tsv as the checks do; cipher
 *                            order and HTTPS redirect from the finding of
 *                            their check for that address
 *   details (HTTP headers)   the field lines of the answer to https://
 *   mail domain.dmarc/spf    the records of mail_auth_dmarc_exist and
 *                            mail_auth_spf_exist; policy_status from the
 *                            policy checks' status, points and evidence
 *   mail domain.dkim         discovered: mail_auth_dkim_exist passed
 *   mx_nameservers           the name servers of each MX's zone (facts),
 *                            addresses with routing, no reachability
 *   receiving_mailservers    per MX (facts): addresses (reachable: port 25
 *                            accepted), DNSSEC of the MX name, and its
 *                            first STARTTLS endpoint: server_reachable (a
 *                            TCP or SMTP answer), server_testable (SMTP did
 *                            not refuse with 4xx/5xx), starttls_enabled
 *                            (TLS worked), details
 *
 * Gaps against Internet.nl's shapes (left out, not made up):
 *   - cipher_order_violation: the offending pair is only in the check's
 *     message, not in the facts.
 *   - cert_hostmatch_bad: the facts keep the subject, not the
 *     SubjectAltNames: the list holds the leaf's common name only.
 *   - spf.discovered_records_bad: the records of includes are in the facts
 *     but not judged one by one.
 *   - spf.policy_status: invalid_include and invalid_redirect are reported
 *     as invalid_syntax (the check's evidence does not tell them apart).
 *   - caa_* details: nethealth has the CAA facts, but Internet.nl's member
 *     names for them were not confirmed.
 *   - receiving_mailservers[].addresses is { ipv4: { addresses }, ipv6:
 *     { addresses } } as Internet.nl's code writes it (its openapi.yaml
 *     says plain arrays).
 *   - hsts is a boolean (the header is present), as Internet.nl's code
 *     writes it (its openapi.yaml says "yes", "max_age", "no").
 *   - protocols_* use Internet.nl's names ("TLS 1.0"); ciphers_* use
 *     OpenSSL's names; kex_params_* are "DH-<bits>" and group names
 *     ("secp224r1"; Internet.nl's pattern is "ECDH-<bits>").
 *   - kex_hash_func "phase_out" (SHA-224 only) and
 *     extended_master_secret_status ("good", "bad", "na") follow
 *     Internet.nl's naming; their exact enums were not confirmed.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "batch_json.h"
#include "checks/checks.h"
#include "http/http.h"
#include "tlsdata/tlsdata.h"

/* Appends v (consumed) to array a. Returns 0, or -1. */
static int
append(json_t *a, json_t *v)
{
	return v == NULL ? -1 : json_array_append_new(a, v);
}

static json_t *
str(const char *s)
{
	return nh_batch_text(s, s ? strlen(s) : 0);
}

/* Appends the string s to a unless it is there. */
static int
append_unique(json_t *a, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return 0;
	}
	return append(a, str(s));
}

/*
 * The status of the per-server finding of check `id` for `label`, and its
 * evidence (a new reference, or NULL) when `evidence` is not NULL. Returns
 * 1 when found, 0 when not, -1 when memory ran out.
 */
static int
finding_status(const struct nh_store_result *r, const char *id,
    const char *label, enum nh_status *st, json_t **evidence)
{
	json_t *fs, *s;
	int found = 0;
	size_t i;

	if (evidence != NULL)
		*evidence = NULL;
	if (nh_batch_findings(nh_batch_check(r, id), &fs) == -1)
		return -1;
	json_array_foreach(fs, i, s)
	{
		const char *who =
		    json_string_value(json_object_get(s, "server"));
		const char *x = json_string_value(json_object_get(s, "status"));

		if (found || who == NULL || x == NULL ||
		    strcmp(who, label) != 0)
			continue;
		found = nh_status_parse(x, st) == 0;
		if (found && evidence != NULL)
			*evidence = json_incref(json_object_get(s, "evidence"));
	}
	json_decref(fs);
	return found;
}

static const char *
dnssec_status(const struct nh_fact_dnssec *d)
{
	if (d->soa.result == NH_LOOKUP_NOT_DONE ||
	    d->soa.result == NH_LOOKUP_ERROR)
		return "error";
	switch (d->soa.sec) {
	case NH_SEC_SECURE:
		return "secure";
	case NH_SEC_INSECURE:
		return "insecure";
	case NH_SEC_BOGUS:
		return "bogus";
	case NH_SEC_UNKNOWN:
		break;
	}
	return "error";
}

/* The domain's DNSSEC status from its checks, without facts. */
static const char *
dnssec_from_checks(const struct nh_store_result *r)
{
	bool web = r->type == NH_TEST_WEB;
	const struct nh_store_check *e = nh_batch_check(
	    r, web ? "web_dnssec_exist" : "mail_dnssec_mailto_exist");
	const struct nh_store_check *v = nh_batch_check(
	    r, web ? "web_dnssec_valid" : "mail_dnssec_mailto_valid");

	if (e == NULL || e->status == NH_ERROR)
		return "error";
	if (e->status != NH_PASSED)
		return "insecure";
	return v != NULL && v->status == NH_FAILED ? "bogus" : "secure";
}

/* ---- Addresses and routing ---- */

static const char *
rov_state(const char *state)
{
	if (strncmp(state, "invalid", 7) == 0)
		return "invalid";
	if (strcmp(state, "not_found") == 0)
		return "not-found";
	return state;
}

/* The routes of an address as Internet.nl's TechnicalRouting list, or
 * NULL with *none when the facts hold no RPKI data for it. */
static json_t *
routing(const struct nh_facts *f, const char *ip, enum nh_rpki_role role,
    const char *server, bool *none)
{
	*none = true;
	if (f->rpki.done != NH_PROBE_OK)
		return NULL;
	for (size_t i = 0; i < f->rpki.naddrs; i++) {
		const struct nh_fact_rpki_addr *a = &f->rpki.addrs[i];
		json_t *list;

		if (a->role != role || strcmp(a->ip, ip) != 0 ||
		    (server != NULL && a->server != NULL &&
			strcmp(a->server, server) != 0))
			continue;
		*none = false;
		if ((list = json_array()) == NULL)
			return NULL;
		for (size_t j = 0; j < a->nroutes; j++) {
			const struct nh_fact_route *rt = &a->routes[j];
			char origin[32], route[64];

			snprintf(origin, sizeof(origin), "AS%lu", rt->asn);
			snprintf(
			    route, sizeof(route), "%s/%u", rt->prefix, rt->len);
			if (append(list,
				json_pack("{s:s, s:s, s:s}", "origin", origin,
				    "route", route, "rov_state",
				    rov_state(rt->state))) == -1) {
				json_decref(list);
				return NULL;
			}
		}
		return list;
	}
	return NULL;
}

/* { "address"[, "reachable"][, "routing"] }; reachable < 0: unknown. */
static json_t *
address_json(const struct nh_facts *f, const char *ip, int reachable,
    enum nh_rpki_role role, const char *server)
{
	json_t *o = json_object(), *rt;
	bool none;

	if (o == NULL || nh_batch_jset(o, "address", str(ip)) == -1 ||
	    (reachable >= 0 &&
		nh_batch_jset(o, "reachable", json_boolean(reachable)) == -1))
		goto fail;
	rt = routing(f, ip, role, server, &none);
	if (!none && nh_batch_jset(o, "routing", rt) == -1)
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* { "ipv4": { "addresses": [] }, "ipv6": { "addresses": [] } }, with the
 * two arrays handed out (borrowed). */
static json_t *
families(json_t **v4, json_t **v6)
{
	json_t *o = json_pack(
	    "{s:{s:[]}, s:{s:[]}}", "ipv4", "addresses", "ipv6", "addresses");

	if (o != NULL) {
		*v4 = json_object_get(json_object_get(o, "ipv4"), "addresses");
		*v6 = json_object_get(json_object_get(o, "ipv6"), "addresses");
	}
	return o;
}

static int
probe_bool(enum nh_probe p)
{
	return p == NH_PROBE_NOT_DONE ? -1 : p == NH_PROBE_OK;
}

static json_t *
nameservers_json(const struct nh_facts *f)
{
	json_t *o = json_object();

	for (size_t i = 0; o != NULL && i < f->nns; i++) {
		const struct nh_fact_ns *ns = &f->ns[i];
		json_t *v4, *v6, *fam = families(&v4, &v6);

		if (nh_batch_jset(o, ns->name, fam) == -1)
			goto fail;
		for (size_t j = 0; j < ns->naddrs; j++) {
			const struct nh_fact_ns_addr *a = &ns->addrs[j];

			if (append(a->family == 6 ? v6 : v4,
				address_json(f, a->ip, probe_bool(a->answered),
				    NH_RPKI_NS, ns->name)) == -1)
				goto fail;
		}
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *
mx_nameservers_json(const struct nh_facts *f)
{
	json_t *o = json_object();

	for (size_t i = 0; o != NULL && i < f->nmx; i++) {
		const struct nh_fact_mx *m = &f->mx[i];

		for (size_t j = 0; j < m->nnsaddrs; j++) {
			const struct nh_fact_mxns *n = &m->nsaddrs[j];
			json_t *fam = json_object_get(o, n->name), *v4, *v6, *a,
			       *x;
			size_t k;
			bool seen = false;

			if (fam == NULL) {
				if (nh_batch_jset(o, n->name,
					fam = families(&v4, &v6)) == -1)
					goto fail;
			}
			a = json_object_get(
			    json_object_get(
				fam, strchr(n->ip, ':') ? "ipv6" : "ipv4"),
			    "addresses");
			json_array_foreach(a, k, x)
			{
				const char *ip = json_string_value(
				    json_object_get(x, "address"));

				seen = seen || (ip && strcmp(ip, n->ip) == 0);
			}
			if (!seen &&
			    append(a,
				address_json(f, n->ip, -1, NH_RPKI_MX_NS,
				    n->name)) == -1)
				goto fail;
		}
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* ---- TLS details ---- */

static const char *
version_name(unsigned v)
{
	switch (v) {
	case NH_SSL2:
		return "SSL 2.0";
	case NH_SSL3:
		return "SSL 3.0";
	case NH_TLS10:
		return "TLS 1.0";
	case NH_TLS11:
		return "TLS 1.1";
	case NH_TLS12:
		return "TLS 1.2";
	case NH_TLS13:
		return "TLS 1.3";
	}
	return nh_tls_version_name(v);
}

/* Adds name to bad or phase_out by level. */
static int
classify(json_t *bad, json_t *phase_out, enum nh_tls_level lv, const char *name)
{
	if (lv == NH_TLS_INSUFFICIENT)
		return append_unique(bad, name);
	if (lv == NH_TLS_PHASE_OUT)
		return append_unique(phase_out, name);
	return 0;
}

/* Sets <prefix>_bad and <prefix>_phase_out, handing the arrays out. */
static int
two_lists(json_t *d, const char *prefix, json_t **bad, json_t **phase_out)
{
	char k1[48], k2[48];

	snprintf(k1, sizeof(k1), "%s_bad", prefix);
	snprintf(k2, sizeof(k2), "%s_phase_out", prefix);
	if (nh_batch_jset(d, k1, *bad = json_array()) == -1 ||
	    nh_batch_jset(d, k2, *phase_out = json_array()) == -1)
		return -1;
	return 0;
}

static int
kex_params(json_t *d, const struct nh_fact_tls *t)
{
	const unsigned *lists[2] = { t->groups12, t->groups13 };
	size_t lens[2] = { t->ngroups12, t->ngroups13 };
	json_t *bad, *po;

	if (two_lists(d, "kex_params", &bad, &po) == -1)
		return -1;
	for (size_t l = 0; l < 2; l++) {
		for (size_t i = 0; i < lens[l]; i++) {
			const struct nh_tls_group *g =
			    nh_tls_group_by_id(lists[l][i]);
			char name[32];

			if (g != NULL)
				snprintf(name, sizeof(name), "%s", g->name);
			else
				snprintf(
				    name, sizeof(name), "0x%04x", lists[l][i]);
			if (classify(bad, po,
				g ? nh_tls_policy("group", g->name)
				  : NH_TLS_INSUFFICIENT,
				name) == -1)
				return -1;
		}
	}
	if (t->dhe) {
		char name[32];

		/* As src/checks/tls.c: RFC 7919 groups of 3072 bits and
		 * more are to phase out, any other DH group insufficient. */
		snprintf(name, sizeof(name), "DH-%u", t->dh_bits);
		if (classify(bad, po,
			t->dh_ffdhe && t->dh_g == 2 && t->dh_bits >= 3072
			    ? NH_TLS_PHASE_OUT
			    : NH_TLS_INSUFFICIENT,
			name) == -1)
			return -1;
	}
	return 0;
}

static int
ciphers_protocols(json_t *d, const struct nh_fact_tls *t)
{
	json_t *cbad, *cpo, *pbad, *ppo;

	if (two_lists(d, "ciphers", &cbad, &cpo) == -1 ||
	    two_lists(d, "protocols", &pbad, &ppo) == -1)
		return -1;
	for (size_t i = 0; i < NH_TLS_NVERSIONS; i++) {
		const struct nh_fact_tls_version *v = &t->versions[i];

		if (v->probed != NH_PROBE_OK)
			continue;
		if (classify(pbad, ppo,
			nh_tls_policy(
			    "version", nh_tls_version_name(v->version)),
			version_name(v->version)) == -1)
			return -1;
		for (size_t s = 0; s < v->nsuites; s++) {
			const struct nh_tls_suite *su =
			    nh_tls_suite_by_id(v->suites[s]);
			char name[96];

			if (su != NULL)
				snprintf(name, sizeof(name), "%s",
				    su->openssl ? su->openssl : su->iana);
			else
				snprintf(
				    name, sizeof(name), "0x%04x", v->suites[s]);
			if (classify(cbad, cpo,
				su ? su->level : NH_TLS_INSUFFICIENT,
				name) == -1)
				return -1;
		}
	}
	return 0;
}

/* The common name of a one-line subject ("/O=x/CN=name"), into buf. */
static const char *
common_name(const char *subject, char *buf, size_t size)
{
	const char *cn = subject ? strstr(subject, "CN=") : NULL;
	size_t n;

	if (subject == NULL)
		return "?";
	if (cn == NULL) {
		snprintf(buf, size, "%s", subject);
		return buf;
	}
	cn += 3;
	n = strcspn(cn, "/,");
	snprintf(buf, size, "%.*s", (int)n, cn);
	return buf;
}

static int
certificates(json_t *d, const struct nh_fact_tls *t)
{
	json_t *chain, *kbad, *kpo, *sig;
	char cn[128], what[64], entry[200];

	if (t->nchain == 0)
		return 0;
	if (nh_batch_jset(d, "cert_chain", chain = json_array()) == -1 ||
	    nh_batch_jset(d, "cert_trusted", json_boolean(t->chain_verified)) ==
		-1 ||
	    two_lists(d, "cert_pubkey", &kbad, &kpo) == -1 ||
	    nh_batch_jset(d, "cert_signature_bad", sig = json_object()) == -1)
		return -1;
	for (size_t i = 0; i < t->nchain; i++) {
		const struct nh_fact_cert *c = &t->chain[i];
		enum nh_tls_level lv;

		common_name(c->subject, cn, sizeof(cn));
		if (append(chain, str(cn)) == -1)
			return -1;
		if (c->trusted_root)
			continue;
		lv = nh_cert_key_level(c, what, sizeof(what));
		if (strncmp(what, "EC ", 3) == 0)
			what[2] = '-'; /* Internet.nl writes "EC-secp256r1" */
		snprintf(entry, sizeof(entry), "%s: %s", cn, what);
		if (classify(kbad, kpo, lv, entry) == -1)
			return -1;
		if (c->sig_alg != NULL &&
		    nh_tls_policy("certsig", c->sig_alg) ==
			NH_TLS_INSUFFICIENT &&
		    nh_batch_jset(sig, cn, str(c->sig_alg)) == -1)
			return -1;
	}
	if (!t->name_matches) {
		json_t *names = json_array();

		if (nh_batch_jset(d, "cert_hostmatch_bad", names) == -1 ||
		    append(names,
			str(common_name(
			    t->chain[0].subject, cn, sizeof(cn)))) == -1)
			return -1;
	}
	return 0;
}

static int
dane(json_t *d, const struct nh_fact_tls *t)
{
	const char *st = "failed";
	json_t *recs;

	if (t->tlsa_lookup.sec == NH_SEC_BOGUS)
		st = "none_bogus";
	else if (t->ntlsa == 0)
		st = "none";
	else if (t->dane == NH_PROBE_OK)
		st = "validated";
	if (nh_batch_jset(d, "dane_status", json_string(st)) == -1 ||
	    nh_batch_jset(d, "dane_records", recs = json_array()) == -1)
		return -1;
	for (size_t i = 0; i < t->ntlsa; i++) {
		const struct nh_fact_tlsa *x = &t->tlsa[i];
		char line[600];

		snprintf(line, sizeof(line), "%u %u %u %s", x->usage,
		    x->selector, x->mtype, x->data ? x->data : "");
		if (append(recs, str(line)) == -1)
			return -1;
	}
	return 0;
}

/* Whether the endpoint offers only good suites below TLS 1.3. */
static bool
only_good_suites(const struct nh_fact_tls *t)
{
	for (size_t i = 0; i < NH_TLS_NVERSIONS; i++) {
		const struct nh_fact_tls_version *v = &t->versions[i];

		if (v->probed != NH_PROBE_OK || v->version >= NH_TLS13)
			continue;
		for (size_t s = 0; s < v->nsuites; s++) {
			const struct nh_tls_suite *su =
			    nh_tls_suite_by_id(v->suites[s]);

			if (su == NULL || su->level != NH_TLS_GOOD)
				return false;
		}
	}
	return true;
}

static int
set_probe(json_t *d, const char *key, enum nh_probe p)
{
	if (p == NH_PROBE_NOT_DONE)
		return 0;
	return nh_batch_jset(d, key, json_boolean(p == NH_PROBE_OK));
}

/* Internet.nl's kex_hash_func: SHA-1 signed: bad; SHA-224: phase_out;
 * both refused: good; not probed (no TLS 1.2): unknown. */
static const char *
kex_hash_func(const struct nh_fact_tls *t)
{
	if (t->kex_sha1 == NH_PROBE_OK)
		return "bad";
	if (t->kex_sha224 == NH_PROBE_OK)
		return "phase_out";
	if (t->kex_sha1 == NH_PROBE_FAILED && t->kex_sha224 == NH_PROBE_FAILED)
		return "good";
	return "unknown";
}

/* TechnicalSharedDetails of an endpoint with TLS. `label` names it in the
 * checks' findings. */
static json_t *
shared_details(const struct nh_store_result *r, const struct nh_fact_tls *t,
    const char *label)
{
	const char *prefix =
	    r->type == NH_TEST_WEB ? "web_https" : "mail_starttls";
	json_t *d = json_object();
	const char *s = NULL;
	enum nh_status st;
	char id[64];
	int found;

	if (d == NULL || dane(d, t) == -1 || kex_params(d, t) == -1 ||
	    ciphers_protocols(d, t) == -1)
		goto fail;
	snprintf(id, sizeof(id), "%s_tls_cipherorder", prefix);
	if ((found = finding_status(r, id, label, &st, NULL)) == -1)
		goto fail;
	if (found) {
		if (st == NH_PASSED)
			s = only_good_suites(t) ? "na" : "good";
		else if (st == NH_FAILED)
			s = "bad";
		if (s != NULL &&
		    nh_batch_jset(d, "cipher_order", json_string(s)) == -1)
			goto fail;
	}
	if (set_probe(d, "compression", t->compression) == -1 ||
	    set_probe(d, "secure_reneg", t->secure_reneg) == -1 ||
	    set_probe(d, "client_reneg", t->client_reneg) == -1)
		goto fail;
	s = !nh_fact_tls_accepted(t, NH_TLS13) ? "na"
	    : t->zero_rtt == NH_PROBE_OK       ? "bad"
	    : t->zero_rtt == NH_PROBE_FAILED   ? "good"
					       : NULL;
	if (s != NULL && nh_batch_jset(d, "zero_rtt", json_string(s)) == -1)
		goto fail;
	s = kex_hash_func(t);
	if (nh_batch_jset(d, "kex_hash_func", json_string(s)) == -1)
		goto fail;
	s = !nh_fact_tls_accepted(t, NH_TLS12) ? "na"
	    : t->ems == NH_PROBE_OK            ? "good"
					       : "bad";
	if (nh_batch_jset(d, "extended_master_secret_status", json_string(s)) ==
		-1 ||
	    certificates(d, t) == -1)
		goto fail;
	return d;
fail:
	json_decref(d);
	return NULL;
}

/* ---- Web ---- */

static int
header(json_t *d, const char *name, const struct nh_fact_header *h)
{
	char k1[64], k2[64];
	json_t *values;

	snprintf(k1, sizeof(k1), "%s_enabled", name);
	snprintf(k2, sizeof(k2), "%s_values", name);
	if (nh_batch_jset(d, k1, json_boolean(h->n > 0)) == -1 ||
	    nh_batch_jset(d, k2, values = json_array()) == -1)
		return -1;
	for (size_t i = 0; i < h->n; i++) {
		if (append(values, str(h->values[i])) == -1)
			return -1;
	}
	return 0;
}

/* securitytxt_errors and _recommendations from the check's findings. */
static int
securitytxt(
    json_t *d, const struct nh_store_result *r, const struct nh_fact_http *h)
{
	const struct nh_fact_sectxt *x = &h->sectxt;
	json_t *errors, *recs, *ev = NULL, *w;
	enum nh_status st;
	size_t i;
	int rc = -1, found;

	if (nh_batch_jset(d, "securitytxt_enabled",
		json_boolean(x->got == NH_PROBE_OK && x->status == 200)) ==
		-1 ||
	    nh_batch_jset(d, "securitytxt_errors", errors = json_array()) ==
		-1 ||
	    nh_batch_jset(
		d, "securitytxt_recommendations", recs = json_array()) == -1)
		return -1;
	if (x->got == NH_PROBE_OK && x->status == 200) {
		char scheme[16], host[256];
		const char *url = x->final_url ? x->final_url : x->url;

		if (url != NULL &&
		    nh_http_url_split(
			url, scheme, sizeof(scheme), host, sizeof(host)) == 0 &&
		    nh_batch_jset(d, "securitytxt_found_host", str(host)) == -1)
			return -1;
	}
	if ((found = finding_status(
		 r, "web_appsecpriv_securitytxt", h->ip, &st, &ev)) != 1)
		return found;
	json_array_foreach(json_object_get(ev, "findings"), i, w)
	{
		const char *status =
		    json_string_value(json_object_get(w, "status"));
		const char *code =
		    json_string_value(json_object_get(w, "code"));
		json_t *m;

		if (status == NULL || code == NULL ||
		    strcmp(status, "passed") == 0)
			continue;
		m = json_pack("{s:s, s:{s:O?}}", "msgid", code, "context",
		    "message", json_object_get(w, "message"));
		if (append(strcmp(status, "info") == 0 ? recs : errors, m) ==
		    -1)
			goto out;
	}
	rc = 0;
out:
	json_decref(ev);
	return rc;
}

static int
web_details(json_t *d, const struct nh_store_result *r,
    const struct nh_facts *f, const char *ip)
{
	const struct nh_fact_http *h = NULL;
	json_t *ev = NULL, *pol;
	enum nh_status st;
	int found;
	const char *s = NULL;

	for (size_t i = 0; i < f->nhttp; i++) {
		if (strcmp(f->http[i].ip, ip) == 0)
			h = &f->http[i];
	}
	if ((found = finding_status(
		 r, "web_https_http_redirect", ip, &st, &ev)) == -1)
		return -1;
	if (found) {
		json_t *chain = json_object_get(ev, "chain");
		bool answered = json_array_size(chain) > 0 &&
		    json_integer_value(json_object_get(
			json_array_get(chain, 0), "status")) != 0;

		if (st == NH_PASSED)
			s = answered ? "good" : "no_http";
		else if (st == NH_FAILED)
			s = "bad";
		json_decref(ev);
		if (s != NULL &&
		    nh_batch_jset(d, "https_redirect", json_string(s)) == -1)
			return -1;
	}
	if (r->type == NH_TEST_WEB) {
		const struct nh_fact_tls *t = NULL;

		for (size_t i = 0; i < f->ntls; i++) {
			if (strcmp(f->tls[i].ip, ip) == 0)
				t = &f->tls[i];
		}
		if (t != NULL && t->handshake == NH_PROBE_OK) {
			s = t->ocsp_stapled != NH_PROBE_OK ? "ok"
			    : t->ocsp_valid                ? "good"
							   : "not_trusted";
			if (nh_batch_jset(d, "ocsp_stapling", json_string(s)) ==
			    -1)
				return -1;
		}
	}
	if (h == NULL)
		return 0;
	if (nh_batch_jset(d, "http_compression",
		json_boolean(h->headers[NH_HDR_ENCODING].n > 0)) == -1 ||
	    nh_batch_jset(
		d, "hsts", json_boolean(h->headers[NH_HDR_HSTS].n > 0)) == -1 ||
	    nh_batch_jset(d, "hsts_policies", pol = json_array()) == -1)
		return -1;
	for (size_t i = 0; i < h->headers[NH_HDR_HSTS].n; i++) {
		if (append(pol, str(h->headers[NH_HDR_HSTS].values[i])) == -1)
			return -1;
	}
	if (header(d, "x_frame_options", &h->headers[NH_HDR_XFO]) == -1 ||
	    header(d, "referrer_policy", &h->headers[NH_HDR_REFERRER]) == -1 ||
	    header(d, "content_security_policy", &h->headers[NH_HDR_CSP]) ==
		-1 ||
	    header(d, "x_content_type_options", &h->headers[NH_HDR_XCTO]) ==
		-1 ||
	    securitytxt(d, r, h) == -1)
		return -1;
	return 0;
}

static int
web_side(json_t *side, const struct nh_store_result *r,
    const struct nh_facts *f, int family)
{
	const struct nh_fact_tls *t = NULL;
	json_t *addrs = json_object_get(side, "addresses"), *d;

	for (size_t i = 0; i < f->nweb; i++) {
		const struct nh_fact_host_addr *a = &f->web[i];
		int reach = -1;

		if (a->family != family)
			continue;
		for (size_t p = 0; p < f->nports && p < 3; p++) {
			if (a->port[p] == NH_PROBE_OK)
				reach = 1;
			else if (a->port[p] == NH_PROBE_FAILED && reach < 0)
				reach = 0;
		}
		if (append(addrs,
			address_json(f, a->ip, reach, NH_RPKI_WEB, NULL)) == -1)
			return -1;
	}
	for (size_t i = 0; t == NULL && i < f->ntls; i++) {
		if (f->tls[i].family == family)
			t = &f->tls[i];
	}
	if (t == NULL)
		return 0;
	if (nh_batch_jset(side, "tested_address", str(t->ip)) == -1 ||
	    nh_batch_jset(side, "server_reachable",
		json_boolean(t->reachable == NH_PROBE_OK)) == -1 ||
	    nh_batch_jset(side, "https_enabled",
		json_boolean(nh_fact_tls_best(t) != 0)) == -1)
		return -1;
	if (t->reachable != NH_PROBE_OK || nh_fact_tls_best(t) == 0)
		return 0;
	if (nh_batch_jset(side, "details", d = shared_details(r, t, t->ip)) ==
		-1 ||
	    web_details(d, r, f, t->ip) == -1)
		return -1;
	return 0;
}

static int
webservers(json_t *o, const struct nh_store_result *r, const struct nh_facts *f)
{
	const struct nh_store_check *sim =
	    nh_batch_check(r, "web_ipv6_ws_similar");
	json_t *ws, *v4, *v6;

	if (nh_batch_jset(o, "webservers", ws = json_object()) == -1)
		return -1;
	if (sim != NULL &&
	    (sim->status == NH_PASSED || sim->status == NH_FAILED ||
		sim->status == NH_WARNING) &&
	    nh_batch_jset(ws, "ip_similarity",
		json_boolean(sim->status == NH_PASSED)) == -1)
		return -1;
	if (nh_batch_jset(ws, "ipv4", v4 = json_pack("{s:[]}", "addresses")) ==
		-1 ||
	    nh_batch_jset(ws, "ipv6", v6 = json_pack("{s:[]}", "addresses")) ==
		-1 ||
	    web_side(v4, r, f, 4) == -1 || web_side(v6, r, f, 6) == -1)
		return -1;
	return 0;
}

/* ---- Mail ---- */

/* The records of a check's evidence as a new array (empty when none), or
 * NULL when memory ran out; *ev is the evidence (a new reference). */
static json_t *
records(const struct nh_store_check *c, json_t **ev)
{
	json_t *recs;

	if (nh_batch_evidence(c, ev) == -1)
		return NULL;
	recs = json_object_get(*ev, "records");
	return json_is_array(recs) ? json_deep_copy(recs) : json_array();
}

static json_t *
dmarc_json(const struct nh_store_result *r)
{
	const struct nh_store_check *x =
	    nh_batch_check(r, "mail_auth_dmarc_exist");
	const struct nh_store_check *pol =
	    nh_batch_check(r, "mail_auth_dmarc_policy");
	json_t *o = json_object(), *ev = NULL, *recs;
	const char *name, *s;
	char own[300];

	if (o == NULL ||
	    nh_batch_jset(o, "records", recs = records(x, &ev)) == -1)
		goto fail;
	/* Found at the organizational domain: its name. */
	name = json_string_value(json_object_get(ev, "name"));
	snprintf(own, sizeof(own), "_dmarc.%s", r->domain);
	if (json_array_size(recs) > 0 && name != NULL &&
	    strcasecmp(name, own) != 0 && strncmp(name, "_dmarc.", 7) == 0 &&
	    nh_batch_jset(o, "record_org_domain", str(name + 7)) == -1)
		goto fail;
	if (x != NULL && x->status == NH_PASSED && pol != NULL) {
		s = pol->status == NH_PASSED    ? "valid"
		    : pol->status == NH_WARNING ? "invalid_external"
		    : pol->points > 0           ? "invalid_p_sp"
						: "invalid_syntax";
		if (nh_batch_jset(o, "policy_status", json_string(s)) == -1)
			goto fail;
	}
	json_decref(ev);
	return o;
fail:
	json_decref(ev);
	json_decref(o);
	return NULL;
}

static json_t *
spf_json(const struct nh_store_result *r)
{
	const struct nh_store_check *x =
	    nh_batch_check(r, "mail_auth_spf_exist");
	const struct nh_store_check *pol =
	    nh_batch_check(r, "mail_auth_spf_policy");
	json_t *o = json_object(), *ev = NULL, *pev = NULL;
	json_int_t lookups;
	const char *s;

	if (o == NULL || nh_batch_jset(o, "records", records(x, &ev)) == -1)
		goto fail;
	if (x != NULL && x->status == NH_PASSED && pol != NULL) {
		if (nh_batch_evidence(pol, &pev) == -1)
			goto fail;
		lookups = json_integer_value(json_object_get(pev, "lookups"));
		s = pol->status == NH_PASSED ? "valid"
		    : pol->points > 0        ? "invalid_all"
		    : lookups > 10           ? "max_dns_lookups"
					     : "invalid_syntax";
		if (nh_batch_jset(o, "policy_status", json_string(s)) == -1)
			goto fail;
	}
	json_decref(ev);
	json_decref(pev);
	return o;
fail:
	json_decref(ev);
	json_decref(pev);
	json_decref(o);
	return NULL;
}

static int
mail_policies(json_t *dom, const struct nh_store_result *r)
{
	const struct nh_store_check *dkim =
	    nh_batch_check(r, "mail_auth_dkim_exist");

	if (nh_batch_jset(dom, "dmarc", dmarc_json(r)) == -1 ||
	    nh_batch_jset(dom, "spf", spf_json(r)) == -1 ||
	    nh_batch_jset(dom, "dkim",
		json_pack("{s:b}", "discovered",
		    dkim != NULL && dkim->status == NH_PASSED)) == -1)
		return -1;
	return 0;
}

static bool
dane_rollover(const struct nh_fact_tls *t)
{
	size_t ee = 0, ta = 0;

	for (size_t i = 0; i < t->ntlsa; i++) {
		ee += t->tlsa[i].usage == 3;
		ta += t->tlsa[i].usage == 2;
	}
	return ee >= 2 || (ee >= 1 && ta >= 1);
}

static json_t *
mailserver(const struct nh_store_result *r, const struct nh_facts *f,
    const struct nh_fact_mx *m)
{
	const struct nh_fact_tls *t = NULL;
	json_t *o = json_object(), *v4, *v6, *d;
	bool reach, testable, tls;
	char label[320];

	if (o == NULL ||
	    nh_batch_jset(o, "addresses", families(&v4, &v6)) == -1 ||
	    nh_batch_jset(o, "dnssec",
		json_pack("{s:s}", "status", dnssec_status(&m->dnssec))) == -1)
		goto fail;
	for (size_t i = 0; i < m->naddrs; i++) {
		const struct nh_fact_host_addr *a = &m->addrs[i];

		if (append(a->family == 6 ? v6 : v4,
			address_json(f, a->ip, probe_bool(a->port[0]),
			    NH_RPKI_MX, m->name)) == -1)
			goto fail;
	}
	for (size_t i = 0; t == NULL && i < f->nmxtls; i++) {
		if (f->mxtls[i].sni != NULL &&
		    strcmp(f->mxtls[i].sni, m->name) == 0)
			t = &f->mxtls[i];
	}
	if (t == NULL)
		return o;
	reach = t->reachable == NH_PROBE_OK ||
	    t->smtp.answered != NH_PROBE_NOT_DONE;
	testable = t->smtp.answered != NH_PROBE_FAILED;
	tls = nh_fact_tls_best(t) != 0;
	if (nh_batch_jset(o, "server_reachable", json_boolean(reach)) == -1 ||
	    nh_batch_jset(o, "starttls_enabled", json_boolean(tls)) == -1 ||
	    nh_batch_jset(o, "server_testable", json_boolean(testable)) == -1)
		goto fail;
	if (!reach || !testable || !tls)
		return o;
	snprintf(label, sizeof(label), "%s (%s)", m->name, t->ip);
	if (nh_batch_jset(o, "details", d = shared_details(r, t, label)) ==
		-1 ||
	    nh_batch_jset(d, "dane_rollover", json_boolean(dane_rollover(t))) ==
		-1)
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *
mailservers_json(const struct nh_store_result *r, const struct nh_facts *f)
{
	json_t *o = json_object();

	for (size_t i = 0; o != NULL && i < f->nmx; i++) {
		if (nh_batch_jset(
			o, f->mx[i].name, mailserver(r, f, &f->mx[i])) == -1) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

json_t *
nh_batch_domain_technical(
    const struct nh_store_result *r, const struct nh_facts *f)
{
	json_t *o = json_object(), *dom;

	if (o == NULL)
		return NULL;
	if (r->invalid || r->error != NULL) {
		if (nh_batch_jset(o, "status", json_string("error")) == -1)
			goto fail;
		return o;
	}
	if (nh_batch_jset(o, "status", json_string("ok")) == -1 ||
	    nh_batch_jset(o, "domain", dom = json_object()) == -1 ||
	    nh_batch_jset(dom, "dnssec",
		json_pack("{s:s}", "status",
		    f ? dnssec_status(&f->dnssec) : dnssec_from_checks(r))) ==
		-1)
		goto fail;
	if (r->type == NH_TEST_MAIL && mail_policies(dom, r) == -1)
		goto fail;
	if (f == NULL)
		return o;
	if (nh_batch_jset(o, "nameservers", nameservers_json(f)) == -1)
		goto fail;
	if (r->type == NH_TEST_WEB) {
		if (webservers(o, r, f) == -1)
			goto fail;
	} else if (nh_batch_jset(o, "mx_nameservers", mx_nameservers_json(f)) ==
		-1 ||
	    nh_batch_jset(o, "receiving_mailservers", mailservers_json(r, f)) ==
		-1) {
		goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}
