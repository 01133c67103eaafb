/*
 * test_checks_mail.c: the mail authentication checks (SPF, DMARC, DKIM)
 * and the transport policies (MTA-STS, TLS-RPT) over facts written by
 * hand, with Internet.nl's points; and those facts through JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/checks.h"

static const struct nh_check_opts std_opts = { false };
static const struct nh_check_opts compat_opts = { true };

/* Sets an rrset: name, type, and TXT records (NULL-ended) or NXDOMAIN
 * when txt is NULL. */
static void
set_rr(struct nh_fact_rrset *s, const char *name, unsigned type,
    const char *const *txt, size_t count)
{
	nh_fact_rrset_clear(s);
	s->name = strdup(name);
	s->type = type;
	if (txt == NULL && count == 0) {
		s->lookup.result = NH_LOOKUP_NXDOMAIN;
		return;
	}
	s->lookup.result = NH_LOOKUP_ANSWER;
	s->lookup.sec = NH_SEC_SECURE;
	for (size_t i = 0; txt != NULL && txt[i] != NULL; i++) {
		assert_int_equal(
		    nh_fact_rrset_add_txt(s, strdup(txt[i]), strlen(txt[i])),
		    0);
	}
	s->count = txt != NULL ? s->ntxt : count;
	if (s->count == 0)
		s->lookup.result = NH_LOOKUP_NODATA;
}

#define TXT(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* example.test: one MX, SPF "v=spf1 mx -all", DMARC reject, DKIM. */
static struct nh_facts *
facts(void)
{
	struct nh_facts *f = nh_facts_new("example.test", NH_TEST_MAIL);
	struct nh_fact_mailauth *a;

	assert_non_null(f);
	a = &f->auth;
	f->mx_status = NH_MX_HAS_MX;
	f->mx_lookup.result = NH_LOOKUP_ANSWER;
	f->mx = calloc(1, sizeof(*f->mx));
	f->mx[0].name = strdup("mail.example.test");
	f->nmx = 1;
	a->org_domain = strdup("example.test");
	set_rr(&a->spf[0], "example.test", 16, TXT("v=spf1 mx -all"), 0);
	set_rr(&a->spf[1], "example.test", 15, NULL, 1);
	a->nspf = 2;
	set_rr(&a->dmarc, "_dmarc.example.test", 16,
	    TXT("v=DMARC1; p=reject; rua=mailto:dmarc@example.test"), 0);
	set_rr(&a->dkim, "_domainkey.example.test", 16, NULL, 0);
	a->dkim.lookup.result = NH_LOOKUP_NODATA;
	set_rr(&a->mtasts, "_mta-sts.example.test", 16, NULL, 0);
	set_rr(&a->tlsrpt, "_smtp._tls.example.test", 16, NULL, 0);
	return f;
}

static void
expect(const struct nh_facts *f, const struct nh_check_opts *o, const char *id,
    enum nh_status st, int pts)
{
	struct nh_test_result *t = nh_checks_evaluate(NH_TEST_MAIL, f, o);
	const struct nh_check_result *r;

	assert_non_null(t);
	r = nh_test_result_check(t, id);
	if (r == NULL || r->status != st || r->points != pts)
		fail_msg("%s: %s %d, expected %s %d (%s)", id,
		    r ? nh_status_name(r->status) : "missing",
		    r ? r->points : -1, nh_status_name(st), pts,
		    r && r->message ? r->message : "");
	nh_test_result_free(t);
}

static void
test_spf(void **state)
{
	struct nh_facts *f = facts();
	struct nh_fact_mailauth *a = &f->auth;

	(void)state;
	expect(f, &std_opts, "mail_auth_spf_exist", NH_PASSED, 10);
	expect(f, &std_opts, "mail_auth_spf_policy", NH_PASSED, 10);
	/* ~all passes: a note, not a failing. */
	set_rr(&a->spf[0], "example.test", 16, TXT("v=spf1 mx ~all"), 0);
	expect(f, &std_opts, "mail_auth_spf_policy", NH_PASSED, 10);
	set_rr(&a->spf[0], "example.test", 16, TXT("v=spf1 mx +all"), 0);
	expect(f, &std_opts, "mail_auth_spf_policy", NH_FAILED, 2);
	set_rr(&a->spf[0], "example.test", 16,
	    TXT("v=spf1 -all", "v=spf1 mx -all"), 0);
	expect(f, &std_opts, "mail_auth_spf_exist", NH_FAILED, 0);
	set_rr(&a->spf[0], "example.test", 16, TXT("google-site=x"), 0);
	expect(f, &std_opts, "mail_auth_spf_exist", NH_FAILED, 0);
	/* Many verification records beside it: the SPF record is kept. */
	set_rr(&a->spf[0], "example.test", 16,
	    TXT("v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10",
		"v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19",
		"v=spf1 mx -all"),
	    0);
	expect(f, &std_opts, "mail_auth_spf_exist", NH_PASSED, 10);
	/* Eleven a:host terms: RFC 7208 counts them, Internet.nl not. */
	set_rr(&a->spf[0], "example.test", 16,
	    TXT("v=spf1 a:h.example.test a:h.example.test a:h.example.test "
		"a:h.example.test a:h.example.test a:h.example.test "
		"a:h.example.test a:h.example.test a:h.example.test "
		"a:h.example.test a:h.example.test -all"),
	    0);
	set_rr(&a->spf[1], "h.example.test", 1, NULL, 1);
	expect(f, &std_opts, "mail_auth_spf_policy", NH_FAILED, 0);
	/* Compat: passed with full points, as Internet.nl; the message
	 * notes that receivers would fail it. */
	expect(f, &compat_opts, "mail_auth_spf_policy", NH_PASSED, 10);
	nh_facts_free(f);
}

static void
test_dmarc(void **state)
{
	struct nh_facts *f = facts();
	struct nh_fact_mailauth *a = &f->auth;

	(void)state;
	expect(f, &std_opts, "mail_auth_dmarc_exist", NH_PASSED, 10);
	expect(f, &std_opts, "mail_auth_dmarc_policy", NH_PASSED, 10);
	set_rr(
	    &a->dmarc, "_dmarc.example.test", 16, TXT("v=DMARC1; p=none"), 0);
	expect(f, &std_opts, "mail_auth_dmarc_policy", NH_FAILED, 2);
	set_rr(&a->dmarc, "_dmarc.example.test", 16,
	    TXT("v=DMARC1; p=quarantine; t=y"), 0);
	expect(f, &std_opts, "mail_auth_dmarc_policy", NH_FAILED, 2);
	set_rr(&a->dmarc, "_dmarc.example.test", 16,
	    TXT("v=DMARC1; rua=mailto:a@example.test; p=reject"), 0);
	expect(f, &std_opts, "mail_auth_dmarc_policy", NH_FAILED, 0);
	set_rr(&a->dmarc, "_dmarc.example.test", 16,
	    TXT("v=DMARC1; p=reject", "v=DMARC1; p=none"), 0);
	expect(f, &std_opts, "mail_auth_dmarc_exist", NH_FAILED, 0);
	/* None at the domain: the organizational domain's sp= applies. */
	set_rr(&a->dmarc, "_dmarc.example.test", 16, NULL, 0);
	set_rr(&a->dmarc_org, "_dmarc.test.example", 16,
	    TXT("v=DMARC1; p=reject; sp=none"), 0);
	expect(f, &std_opts, "mail_auth_dmarc_exist", NH_PASSED, 10);
	expect(f, &std_opts, "mail_auth_dmarc_policy", NH_FAILED, 2);
	/* An external report address that did not agree: a warning. */
	set_rr(&a->dmarc, "_dmarc.example.test", 16,
	    TXT("v=DMARC1; p=reject; rua=mailto:r@other.example"), 0);
	set_rr(&a->ext[0], "example.test._report._dmarc.other.example", 16,
	    NULL, 0);
	a->next = 1;
	expect(f, &std_opts, "mail_auth_dmarc_policy", NH_WARNING, 10);
	set_rr(&a->ext[0], "example.test._report._dmarc.other.example", 16,
	    TXT("v=DMARC1"), 0);
	expect(f, &std_opts, "mail_auth_dmarc_policy", NH_PASSED, 10);
	nh_facts_free(f);
}

static void
test_dkim(void **state)
{
	struct nh_facts *f = facts();

	(void)state;
	expect(f, &std_opts, "mail_auth_dkim_exist", NH_PASSED, 10);
	f->auth.dkim.lookup.result = NH_LOOKUP_NXDOMAIN;
	expect(f, &std_opts, "mail_auth_dkim_exist", NH_FAILED, 0);
	/* A domain that sends no mail needs no DKIM (Internet.nl). */
	f->spf_dash_all = true;
	expect(f, &std_opts, "mail_auth_dkim_exist", NH_NOT_TESTED, 10);
	f->auth.dkim.lookup.result = NH_LOOKUP_ERROR;
	f->spf_dash_all = false;
	expect(f, &std_opts, "mail_auth_dkim_exist", NH_ERROR, 0);
	nh_facts_free(f);
}

static void
test_mtasts(void **state)
{
	struct nh_facts *f = facts();
	struct nh_fact_mailauth *a = &f->auth;
	const char *policy = "version: STSv1\nmode: enforce\n"
			     "mx: mail.example.test\nmax_age: 1209600\n";

	(void)state;
	expect(f, &std_opts, "mail_starttls_mtasts", NH_INFO, 0);
	expect(f, &std_opts, "mail_starttls_tlsrpt", NH_INFO, 0);
	set_rr(&a->mtasts, "_mta-sts.example.test", 16,
	    TXT("v=STSv1; id=20261128;"), 0);
	set_rr(&a->tlsrpt, "_smtp._tls.example.test", 16,
	    TXT("v=TLSRPTv1; rua=mailto:tlsrpt@example.test"), 0);
	a->policy_got = NH_PROBE_OK;
	a->policy_status = 200;
	a->policy_type = strdup("text/plain");
	a->policy = strdup(policy);
	a->policy_len = strlen(policy);
	expect(f, &std_opts, "mail_starttls_mtasts", NH_PASSED, 0);
	expect(f, &std_opts, "mail_starttls_tlsrpt", NH_PASSED, 0);
	free(f->mx[0].name);
	f->mx[0].name = strdup("mx.elsewhere.test");
	expect(f, &std_opts, "mail_starttls_mtasts", NH_WARNING, 0);
	nh_facts_free(f);
}

static void
test_json_roundtrip(void **state)
{
	struct nh_facts *f = facts(), *g;
	json_t *j, *k;
	const char *why = NULL;
	char *x, *y;

	(void)state;
	f->auth.policy = strdup("version: STSv1\n\xff");
	f->auth.policy_len = strlen(f->auth.policy);
	j = nh_facts_to_json(f);
	assert_non_null(j);
	if ((g = nh_facts_from_json(j, &why)) == NULL)
		fail_msg("from_json: %s", why);
	assert_int_equal(g->auth.nspf, 2);
	assert_string_equal(g->auth.dmarc.txt[0],
	    "v=DMARC1; p=reject; rua=mailto:dmarc@example.test");
	assert_int_equal(g->auth.dkim.lookup.result, NH_LOOKUP_NODATA);
	assert_memory_equal(g->auth.policy, "version: STSv1\n\xff", 16);
	k = nh_facts_to_json(g);
	x = json_dumps(j, JSON_SORT_KEYS);
	y = json_dumps(k, JSON_SORT_KEYS);
	assert_string_equal(x, y);
	free(x);
	free(y);
	json_decref(j);
	json_decref(k);
	nh_facts_free(g);
	nh_facts_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spf),
		cmocka_unit_test(test_dmarc),
		cmocka_unit_test(test_dkim),
		cmocka_unit_test(test_mtasts),
		cmocka_unit_test(test_json_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
