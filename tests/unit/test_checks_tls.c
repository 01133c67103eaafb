/*
 * test_checks_tls.c: the HTTPS checks on hand-made TLS facts: each check
 * passing and failing, the points, the per-address scoring of the
 * category, and what --internetnl-compat changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/checks.h"
#include "http_fixture.h"
#include "tlsdata/tlsdata.h"

static const struct nh_check_opts std_opts = { false };
static const struct nh_check_opts compat_opts = { true };

/* A modern endpoint: TLS 1.2 and 1.3, good suites, server order,
 * x25519, EMS, secure renegotiation, a verified EC P-256 chain, DANE. */
static void
modern(struct nh_fact_tls *t, const char *ip)
{
	static const unsigned s13[] = { 0x1302, 0x1303, 0x1301 };
	static const unsigned s12[] = { 0xc02c, 0xcca9, 0xc02b };

	memset(t, 0, sizeof(*t));
	strcpy(t->ip, ip);
	t->family = strchr(ip, ':') ? 6 : 4;
	t->port = 443;
	t->sni = strdup("good.test");
	t->reachable = NH_PROBE_OK;
	static const unsigned vs[NH_TLS_NVERSIONS] = { NH_SSL2, NH_SSL3,
		NH_TLS10, NH_TLS11, NH_TLS12, NH_TLS13 };

	for (size_t i = 0; i < NH_TLS_NVERSIONS; i++) {
		t->versions[i].version = vs[i];
		t->versions[i].probed = NH_PROBE_FAILED;
		t->versions[i].server_order = -1;
	}
	t->versions[0].probed = NH_PROBE_NOT_DONE;
	memcpy(t->versions[5].suites, s13, sizeof(s13));
	t->versions[5].nsuites = 3;
	t->versions[5].probed = NH_PROBE_OK;
	memcpy(t->versions[4].suites, s12, sizeof(s12));
	t->versions[4].nsuites = 3;
	t->versions[4].probed = NH_PROBE_OK;
	t->versions[4].server_order = 1;
	t->groups12[0] = 29;
	t->ngroups12 = 1;
	t->groups13[0] = 29;
	t->groups13[1] = 23;
	t->ngroups13 = 2;
	t->kex_sha1 = t->kex_sha224 = NH_PROBE_FAILED;
	t->compression = NH_PROBE_FAILED;
	t->secure_reneg = t->ems = NH_PROBE_OK;
	t->handshake = NH_PROBE_OK;
	t->client_reneg = t->zero_rtt = NH_PROBE_FAILED;
	t->chain_verified = t->name_matches = true;
	t->nchain = 2;
	t->chain[0].key_type = strdup("ec");
	t->chain[0].curve = strdup("secp256r1");
	t->chain[0].key_bits = 256;
	t->chain[0].sig_alg = strdup("ecdsa-with-SHA256");
	t->chain[1].key_type = strdup("ec");
	t->chain[1].curve = strdup("secp256r1");
	t->chain[1].key_bits = 256;
	t->chain[1].sig_alg = strdup("ecdsa-with-SHA384");
	t->tlsa_lookup.result = NH_LOOKUP_ANSWER;
	t->tlsa_lookup.sec = NH_SEC_SECURE;
	t->ntlsa = 1;
	t->tlsa[0] = (struct nh_fact_tlsa){ 3, 1, 1, strdup("00") };
	t->dane = NH_PROBE_OK;
}

static struct nh_facts *
facts(size_t n)
{
	struct nh_facts *f = nh_facts_new("good.test", NH_TEST_WEB);
	static const char *const ips[] = { "2001:db8:0:2::10", "203.0.113.10" };

	assert_non_null(f);
	f->tls = calloc(n ? n : 1, sizeof(*f->tls));
	for (size_t i = 0; i < n; i++) {
		modern(&f->tls[i], ips[i % 2]);
		fx_good_http(f, ips[i % 2]);
	}
	f->ntls = n;
	return f;
}

static struct nh_test_result *
judge(const struct nh_facts *f, const struct nh_check_opts *o)
{
	struct nh_test_result *t = nh_checks_evaluate(NH_TEST_WEB, f, o);

	assert_non_null(t);
	return t;
}

#define EXPECT(t, id, st, pts) \
	do { \
		const struct nh_check_result *r_ = \
		    nh_test_result_check(t, id); \
		if (r_ == NULL || r_->status != (st) || r_->points != (pts)) \
			fail_msg("%s: %s %d, expected %s %d (%s)", (id), \
			    r_ ? nh_status_name(r_->status) : "missing", \
			    r_ ? r_->points : -1, nh_status_name(st), (pts), \
			    r_ && r_->message ? r_->message : ""); \
	} while (0)

static int
https_score(const struct nh_test_result *t)
{
	return nh_test_result_category(t, "web_https")->score;
}

static void
test_modern_passes(void **state)
{
	struct nh_facts *f = facts(2);
	struct nh_test_result *t = judge(f, &std_opts);

	(void)state;
	EXPECT(t, "web_https_http_available", NH_PASSED, 0);
	EXPECT(t, "web_https_tls_version", NH_PASSED, 10);
	EXPECT(t, "web_https_tls_ciphers", NH_PASSED, 10);
	EXPECT(t, "web_https_tls_cipherorder", NH_PASSED, 10);
	EXPECT(t, "web_https_tls_keyexchange", NH_PASSED, 10);
	EXPECT(t, "web_https_tls_keyexchangehash", NH_PASSED, 10);
	EXPECT(t, "web_https_tls_compress", NH_PASSED, 10);
	EXPECT(t, "web_https_tls_secreneg", NH_PASSED, 10);
	EXPECT(t, "web_https_tls_clientreneg", NH_PASSED, 0);
	EXPECT(t, "web_https_tls_extendedmastersecret", NH_PASSED, 10);
	EXPECT(t, "web_https_tls_0rtt", NH_PASSED, 10);
	EXPECT(t, "web_https_tls_ocsp", NH_NOT_TESTED, 0);
	EXPECT(t, "web_https_cert_chain", NH_PASSED, 10);
	EXPECT(t, "web_https_cert_pubkey", NH_PASSED, 10);
	EXPECT(t, "web_https_cert_sig", NH_PASSED, 10);
	EXPECT(t, "web_https_cert_domain", NH_PASSED, 10);
	EXPECT(t, "web_https_dane_exist", NH_PASSED, 0);
	EXPECT(t, "web_https_dane_valid", NH_PASSED, 0);
	assert_int_equal(https_score(t), 100);
	nh_test_result_free(t);
	nh_facts_free(f);
}

static void
test_versions_and_suites(void **state)
{
	struct nh_facts *f = facts(1);
	struct nh_fact_tls *x = &f->tls[0];
	struct nh_test_result *t;

	(void)state;
	/* TLS 1.0 with a CBC-SHA1 suite: version and suites fail. */
	x->versions[2].probed = NH_PROBE_OK;
	x->versions[2].suites[0] = 0xc014; /* ECDHE-RSA-AES256-SHA */
	x->versions[2].nsuites = 1;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_version", NH_FAILED, 0);
	EXPECT(t, "web_https_tls_ciphers", NH_FAILED, 0);
	nh_test_result_free(t);
	/* Internet.nl judges only the highest version below 1.3 and 1.3. */
	t = judge(f, &compat_opts);
	EXPECT(t, "web_https_tls_ciphers", NH_PASSED, 10);
	nh_test_result_free(t);
	x->versions[2].probed = NH_PROBE_FAILED;
	x->versions[2].nsuites = 0;

	/* SSLv2 with RC4-MD5: version and suites fail, in compat too. */
	x->versions[0].probed = NH_PROBE_OK;
	x->versions[0].suites[0] = 0x010080;
	x->versions[0].nsuites = 1;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_version", NH_FAILED, 0);
	EXPECT(t, "web_https_tls_ciphers", NH_FAILED, 0);
	nh_test_result_free(t);
	x->versions[0].probed = NH_PROBE_FAILED;
	x->versions[0].nsuites = 0;

	/* A suite to phase out: a warning, points kept. */
	x->versions[4].suites[3] = 0xc027; /* ECDHE-RSA-AES128-SHA256 */
	x->versions[4].nsuites = 4;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_ciphers", NH_WARNING, 10);
	/* Server order with the phase-out suite last: fine. */
	EXPECT(t, "web_https_tls_cipherorder", NH_PASSED, 10);
	nh_test_result_free(t);

	/* The server prefers it over a sufficient one: order fails. */
	x->versions[4].suites[3] = 0xc02b;
	x->versions[4].suites[2] = 0xc027;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_cipherorder", NH_FAILED, 0);
	nh_test_result_free(t);

	/* The client's order with a phase-out suite: fails. */
	x->versions[4].server_order = 0;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_cipherorder", NH_FAILED, 0);
	nh_test_result_free(t);
	/* The order probe got no answer: not tested, not a guess. */
	x->versions[4].server_order = -1;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_cipherorder", NH_NOT_TESTED, 0);
	nh_test_result_free(t);

	/* TLS 1.3 only: order, renegotiation, kexhash pass; EMS does not
	 * apply. */
	x->versions[4].probed = NH_PROBE_FAILED;
	x->versions[4].nsuites = 0;
	x->kex_sha1 = x->kex_sha224 = NH_PROBE_NOT_DONE;
	x->secure_reneg = x->ems = NH_PROBE_NOT_DONE;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_cipherorder", NH_PASSED, 10);
	EXPECT(t, "web_https_tls_secreneg", NH_PASSED, 10);
	EXPECT(t, "web_https_tls_extendedmastersecret", NH_NOT_TESTED, 0);
	EXPECT(t, "web_https_tls_keyexchangehash", NH_PASSED, 10);
	/* EMS not counted: 14 checks x 10 points (the HTTPS redirect and
	 * HSTS among them), all earned. */
	assert_int_equal(nh_test_result_category(t, "web_https")->max, 140);
	assert_int_equal(https_score(t), 100);
	nh_test_result_free(t);
	nh_facts_free(f);
}

static void
test_key_exchange(void **state)
{
	struct nh_facts *f = facts(1);
	struct nh_fact_tls *x = &f->tls[0];
	struct nh_test_result *t;

	(void)state;
	/* ffdhe2048 accepted in TLS 1.3 (not picked first): nethealth
	 * fails it; Internet.nl sees only the first group. */
	x->groups13[2] = 256;
	x->ngroups13 = 3;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_keyexchange", NH_FAILED, 0);
	nh_test_result_free(t);
	t = judge(f, &compat_opts);
	EXPECT(t, "web_https_tls_keyexchange", NH_PASSED, 10);
	nh_test_result_free(t);
	x->ngroups13 = 2;

	/* DHE with an RFC 7919 3072-bit group: phase out. */
	x->dhe = x->dh_ffdhe = true;
	x->dh_bits = 3072;
	x->dh_g = 2;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_keyexchange", NH_WARNING, 10);
	nh_test_result_free(t);
	/* A 1024-bit custom group: insufficient. */
	x->dh_ffdhe = false;
	x->dh_bits = 1024;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_keyexchange", NH_FAILED, 0);
	nh_test_result_free(t);
	/* secp224r1: phase out. */
	x->dhe = false;
	x->groups12[1] = 21;
	x->ngroups12 = 2;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_keyexchange", NH_WARNING, 10);
	nh_test_result_free(t);
	/* Static RSA only: nothing ephemeral to judge, passes. */
	x->ngroups12 = x->ngroups13 = 0;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_keyexchange", NH_PASSED, 10);
	nh_test_result_free(t);
	/* SHA-1 and SHA-224 key-exchange signatures. */
	x->kex_sha1 = NH_PROBE_OK;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_keyexchangehash", NH_FAILED, 0);
	nh_test_result_free(t);
	x->kex_sha1 = NH_PROBE_FAILED;
	x->kex_sha224 = NH_PROBE_OK;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_keyexchangehash", NH_WARNING, 10);
	nh_test_result_free(t);
	nh_facts_free(f);
}

static void
test_options(void **state)
{
	struct nh_facts *f = facts(1);
	struct nh_fact_tls *x = &f->tls[0];
	struct nh_test_result *t;

	(void)state;
	x->compression = NH_PROBE_OK;
	x->secure_reneg = NH_PROBE_FAILED;
	x->ems = NH_PROBE_FAILED;
	x->zero_rtt = NH_PROBE_OK;
	x->client_reneg = NH_PROBE_OK;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_compress", NH_FAILED, 0);
	EXPECT(t, "web_https_tls_secreneg", NH_FAILED, 0);
	EXPECT(t, "web_https_tls_extendedmastersecret", NH_FAILED, 0);
	EXPECT(t, "web_https_tls_0rtt", NH_FAILED, 0);
	/* Client renegotiation is information only (its worst status). */
	EXPECT(t, "web_https_tls_clientreneg", NH_INFO, 0);
	nh_test_result_free(t);
	/* OCSP: responder named, not stapled: info; stapled, invalid:
	 * warning; stapled, valid: passed. */
	x->ocsp_url = true;
	x->ocsp_stapled = NH_PROBE_FAILED;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_ocsp", NH_INFO, 0);
	nh_test_result_free(t);
	x->ocsp_stapled = NH_PROBE_OK;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_ocsp", NH_WARNING, 0);
	nh_test_result_free(t);
	x->ocsp_valid = true;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_ocsp", NH_PASSED, 0);
	nh_test_result_free(t);
	nh_facts_free(f);
}

static void
test_certificates(void **state)
{
	struct nh_facts *f = facts(1);
	struct nh_fact_tls *x = &f->tls[0];
	struct nh_test_result *t;

	(void)state;
	/* RSA-2048 leaf: phase out (warning, points kept). */
	free(x->chain[0].key_type);
	x->chain[0].key_type = strdup("rsa");
	x->chain[0].key_bits = 2048;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_cert_pubkey", NH_WARNING, 10);
	nh_test_result_free(t);
	/* RSA-1024: insufficient. */
	x->chain[0].key_bits = 1024;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_cert_pubkey", NH_FAILED, 0);
	nh_test_result_free(t);
	/* A trusted root is not judged. */
	x->chain[0].key_bits = 4096;
	x->chain[1].trusted_root = true;
	free(x->chain[1].sig_alg);
	x->chain[1].sig_alg = strdup("sha1WithRSAEncryption");
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_cert_pubkey", NH_PASSED, 10);
	EXPECT(t, "web_https_cert_sig", NH_PASSED, 10);
	nh_test_result_free(t);
	/* A SHA-1 intermediate is. */
	x->chain[1].trusted_root = false;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_cert_sig", NH_FAILED, 0);
	nh_test_result_free(t);
	/* RSASSA-PSS with SHA-256 is sufficient (Internet.nl: not). */
	free(x->chain[1].sig_alg);
	x->chain[1].sig_alg = strdup("RSASSA-PSS-SHA256");
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_cert_sig", NH_PASSED, 10);
	nh_test_result_free(t);
	t = judge(f, &compat_opts);
	EXPECT(t, "web_https_cert_sig", NH_FAILED, 0);
	nh_test_result_free(t);
	/* Untrusted, wrong name. */
	x->chain_verified = false;
	x->verify_error = strdup("self-signed certificate");
	x->name_matches = false;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_cert_chain", NH_FAILED, 0);
	EXPECT(t, "web_https_cert_domain", NH_FAILED, 0);
	nh_test_result_free(t);
	/* No full handshake, but the chain a probe received: judged. */
	x->handshake = NH_PROBE_FAILED;
	x->chain_from_probe = true;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_cert_chain", NH_FAILED, 0);
	nh_test_result_free(t);
	/* No chain at all: the certificate checks are not tested. */
	for (size_t i = 0; i < x->nchain; i++) {
		free(x->chain[i].key_type);
		free(x->chain[i].curve);
		free(x->chain[i].sig_alg);
	}
	memset(x->chain, 0, sizeof(x->chain));
	x->nchain = 0;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_cert_chain", NH_NOT_TESTED, 0);
	EXPECT(t, "web_https_cert_pubkey", NH_NOT_TESTED, 0);
	nh_test_result_free(t);
	nh_facts_free(f);
}

static void
test_dane(void **state)
{
	struct nh_facts *f = facts(1);
	struct nh_fact_tls *x = &f->tls[0];
	struct nh_test_result *t;

	(void)state;
	x->dane = NH_PROBE_FAILED;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_dane_valid", NH_WARNING, 0);
	nh_test_result_free(t);
	x->tlsa_lookup.sec = NH_SEC_INSECURE;
	x->dane = NH_PROBE_NOT_DONE;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_dane_exist", NH_INFO, 0);
	EXPECT(t, "web_https_dane_valid", NH_NOT_TESTED, 0);
	nh_test_result_free(t);
	x->tlsa_lookup.result = NH_LOOKUP_NODATA;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_dane_exist", NH_INFO, 0);
	nh_test_result_free(t);
	nh_facts_free(f);
}

static void
test_per_address(void **state)
{
	struct nh_facts *f = facts(2);
	struct nh_test_result *t;
	const struct nh_check_result *r;

	(void)state;
	/* The IPv4 address accepts TLS 1.0; the IPv6 one does not. */
	f->tls[1].versions[2].probed = NH_PROBE_OK;
	f->tls[1].versions[2].suites[0] = 0xc02f;
	f->tls[1].versions[2].nsuites = 1;
	t = judge(f, &std_opts);
	r = nh_test_result_check(t, "web_https_tls_version");
	assert_int_equal(r->status, NH_FAILED);
	assert_int_equal(r->nservers, 2);
	assert_int_equal(r->servers[0].status, NH_PASSED);
	assert_int_equal(r->servers[1].status, NH_FAILED);
	/* The category takes the lower address: 140 of 150 there. */
	assert_int_equal(nh_test_result_category(t, "web_https")->max, 150);
	assert_int_equal(https_score(t), 93);
	nh_test_result_free(t);

	/* HTTPS closed on one address: it scores 0, so does the category. */
	f->tls[1].versions[2].probed = NH_PROBE_FAILED;
	for (size_t i = 0; i < NH_TLS_NVERSIONS; i++)
		f->tls[1].versions[i].probed = NH_PROBE_FAILED;
	f->tls[1].reachable = NH_PROBE_FAILED;
	f->tls[1].error = strdup("Connection refused");
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_http_available", NH_FAILED, 0);
	assert_int_equal(https_score(t), 0);
	assert_int_equal(
	    nh_test_result_category(t, "web_https")->status, NH_FAILED);
	nh_test_result_free(t);
	nh_facts_free(f);

	/* No address at all. */
	f = facts(0);
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_http_available", NH_FAILED, 0);
	nh_test_result_free(t);
	nh_facts_free(f);
}

static void
test_tls_json_roundtrip(void **state)
{
	struct nh_facts *f = facts(2), *g;
	json_t *a = nh_facts_to_json(f), *b;
	const char *why = NULL;

	(void)state;
	assert_non_null(a);
	g = nh_facts_from_json(a, &why);
	if (g == NULL)
		fail_msg("%s", why);
	b = nh_facts_to_json(g);
	assert_true(json_equal(a, b));
	assert_int_equal(g->ntls, 2);
	assert_int_equal(g->tls[0].versions[5].suites[0], 0x1302);
	json_decref(a);
	json_decref(b);
	nh_facts_free(f);
	nh_facts_free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modern_passes),
		cmocka_unit_test(test_versions_and_suites),
		cmocka_unit_test(test_key_exchange),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_certificates),
		cmocka_unit_test(test_dane),
		cmocka_unit_test(test_per_address),
		cmocka_unit_test(test_tls_json_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
