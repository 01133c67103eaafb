/*
 * test_checks_dns.c: the IPv6, DNSSEC and CAA checks, judged on hand-made
 * facts (no network), with the points worked out by hand from Internet.nl's
 * rules (checks/tasks/ipv6.py, scoring.py); and the facts' JSON form.
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

/* Declared in checks_impl.h, which is internal to src/checks/. */
int nh_caa_check_record(
    unsigned flags, const char *tag, const char *value, char *why, size_t size);

static const struct nh_check_opts std_opts = { false };
static const struct nh_check_opts compat_opts = { true };

/* ---- building facts ---- */

static void
lookup_ok(struct nh_fact_lookup *l, enum nh_sec sec)
{
	l->result = NH_LOOKUP_ANSWER;
	l->sec = sec;
}

/* Adds a name server with the given addresses; "!" before an address
 * means it does not answer. */
static void
add_ns(struct nh_facts *f, const char *name, const char *const *addrs, size_t n)
{
	struct nh_fact_ns *ns;

	f->ns = realloc(f->ns, (f->nns + 1) * sizeof(*f->ns));
	assert_non_null(f->ns);
	ns = &f->ns[f->nns++];
	memset(ns, 0, sizeof(*ns));
	ns->name = strdup(name);
	ns->addrs = calloc(n + 1, sizeof(*ns->addrs));
	for (size_t i = 0; i < n; i++) {
		const char *ip = addrs[i];
		bool dead = ip[0] == '!';

		ip += dead;
		strcpy(ns->addrs[i].ip, ip);
		ns->addrs[i].family = strchr(ip, ':') ? 6 : 4;
		ns->addrs[i].answered = dead ? NH_PROBE_FAILED : NH_PROBE_OK;
		ns->addrs[i].aa = !dead;
	}
	ns->naddrs = n;
	lookup_ok(&ns->a, NH_SEC_SECURE);
	lookup_ok(&ns->aaaa, NH_SEC_SECURE);
}

/* Adds a web address; ports as a string of '+' (open) and '-'. */
static void
add_web(struct nh_facts *f, const char *ip, const char *ports)
{
	struct nh_fact_host_addr *h;

	f->web = realloc(f->web, (f->nweb + 1) * sizeof(*f->web));
	assert_non_null(f->web);
	h = &f->web[f->nweb++];
	memset(h, 0, sizeof(*h));
	strcpy(h->ip, ip);
	h->family = strchr(ip, ':') ? 6 : 4;
	for (size_t p = 0; p < f->nports; p++)
		h->port[p] = ports[p] == '+' ? NH_PROBE_OK : NH_PROBE_FAILED;
	fx_good_http(f, ip);
}

/* A signed zone's keys: algorithm 13, a SHA-256 DS. */
static void
signed_zone(struct nh_fact_dnssec *d)
{
	lookup_ok(&d->soa, NH_SEC_SECURE);
	lookup_ok(&d->dnskey_lookup, NH_SEC_SECURE);
	lookup_ok(&d->ds_lookup, NH_SEC_SECURE);
	d->dnskeys = calloc(1, sizeof(*d->dnskeys));
	d->dnskeys[0] = (struct nh_fact_key){ 257, 13, 0, 1 };
	d->ndnskeys = 1;
	d->ds = calloc(1, sizeof(*d->ds));
	d->ds[0] = (struct nh_fact_key){ 0, 13, 2, 1 };
	d->nds = 1;
}

static struct nh_facts *
web_facts(void)
{
	struct nh_facts *f = nh_facts_new("good.test", NH_TEST_WEB);

	assert_non_null(f);
	f->ns_zone = strdup("good.test");
	lookup_ok(&f->ns_lookup, NH_SEC_SECURE);
	lookup_ok(&f->a, NH_SEC_SECURE);
	lookup_ok(&f->aaaa, NH_SEC_SECURE);
	f->ports[0] = 80;
	f->ports[1] = 443;
	f->nports = 2;
	f->dnssec.name = strdup("good.test");
	signed_zone(&f->dnssec);
	return f;
}

static void
two_good_ns(struct nh_facts *f)
{
	add_ns(f, "ns1.dns-host.test",
	    (const char *[]){ "2001:db8:0:1::3", "198.51.100.3" }, 2);
	add_ns(f, "ns2.dns-host.test",
	    (const char *[]){ "2001:db8:0:1::4", "198.51.100.4" }, 2);
}

/* Runs the web test's checks; returns the result (caller frees). */
static struct nh_test_result *
judge(const struct nh_facts *f, const struct nh_check_opts *o)
{
	struct nh_test_result *t = nh_checks_evaluate(f->type, f, o);

	assert_non_null(t);
	return t;
}

static const struct nh_check_result *
check(const struct nh_test_result *t, const char *id)
{
	const struct nh_check_result *r = nh_test_result_check(t, id);

	if (r == NULL)
		fail_msg("no check %s", id);
	return r;
}

#define EXPECT(t, id, st, pts) \
	do { \
		const struct nh_check_result *r_ = check((t), (id)); \
		if (r_->status != (st) || r_->points != (pts)) \
			fail_msg("%s: %s %d points, expected %s %d (%s)", \
			    (id), nh_status_name(r_->status), r_->points, \
			    nh_status_name(st), (pts), \
			    r_->message ? r_->message : ""); \
	} while (0)

/* ---- IPv6 ---- */

static void
test_ipv6_all_good(void **state)
{
	struct nh_facts *f = web_facts();
	struct nh_test_result *t;

	(void)state;
	two_good_ns(f);
	add_web(f, "2001:db8:0:2::10", "++");
	add_web(f, "203.0.113.10", "++");
	t = judge(f, &std_opts);
	EXPECT(t, "web_ipv6_ns_address", NH_PASSED, 0);
	EXPECT(t, "web_ipv6_ns_reach", NH_PASSED, 10);
	EXPECT(t, "web_ipv6_ws_address", NH_PASSED, 0);
	EXPECT(t, "web_ipv6_ws_reach", NH_PASSED, 10);
	EXPECT(t, "web_ipv6_ws_similar", NH_PASSED, 2);
	EXPECT(t, "web_ns_reach_ipv4", NH_PASSED, 0);
	assert_int_equal(nh_test_result_category(t, "web_ipv6")->score, 100);
	assert_int_equal(
	    nh_test_result_category(t, "web_ipv6")->status, NH_PASSED);
	EXPECT(t, "web_dnssec_exist", NH_PASSED, 0);
	EXPECT(t, "web_dnssec_valid", NH_PASSED, 10);
	nh_test_result_free(t);
	nh_facts_free(f);
}

static void
test_ipv6_name_servers(void **state)
{
	struct nh_facts *f = web_facts();
	struct nh_test_result *t;

	(void)state;
	/* One of two name servers with IPv6: "only one"; 10 / 2 = 5. */
	add_ns(f, "ns1.x.test",
	    (const char *[]){ "2001:db8::1", "198.51.100.1" }, 2);
	add_ns(f, "ns2.x.test", (const char *[]){ "198.51.100.2" }, 1);
	t = judge(f, &std_opts);
	EXPECT(t, "web_ipv6_ns_address", NH_FAILED, 0);
	EXPECT(t, "web_ipv6_ns_reach", NH_PASSED, 5);
	nh_test_result_free(t);
	nh_facts_free(f);

	/* A single name server earns at most half the points. */
	f = web_facts();
	add_ns(f, "ns1.x.test", (const char *[]){ "2001:db8::1" }, 1);
	t = judge(f, &std_opts);
	EXPECT(t, "web_ipv6_ns_address", NH_FAILED, 0);
	EXPECT(t, "web_ipv6_ns_reach", NH_PASSED, 5);
	EXPECT(t, "web_ns_reach_ipv4", NH_NOT_TESTED, 0);
	nh_test_result_free(t);
	nh_facts_free(f);

	/*
	 * Three name servers, two with IPv6 (one of whose two IPv6 addresses
	 * is dead), one IPv4-only: the IPv4-only one is left out; (10 + 2) / 2
	 * = 6; the dead address fails the check.
	 */
	f = web_facts();
	add_ns(f, "ns1.x.test", (const char *[]){ "2001:db8::1" }, 1);
	add_ns(f, "ns2.x.test",
	    (const char *[]){ "2001:db8::2", "!2001:db8::22" }, 2);
	add_ns(f, "ns3.x.test", (const char *[]){ "!198.51.100.3" }, 1);
	t = judge(f, &std_opts);
	EXPECT(t, "web_ipv6_ns_address", NH_PASSED, 0);
	EXPECT(t, "web_ipv6_ns_reach", NH_FAILED, 6);
	/* The dead IPv4 address is a warning (worst status of the check). */
	EXPECT(t, "web_ns_reach_ipv4", NH_WARNING, 0);
	assert_int_equal(check(t, "web_ipv6_ns_reach")->nservers, 3);
	nh_test_result_free(t);
	nh_facts_free(f);

	/* No name server with IPv6: not tested, 0 points, counts as failed. */
	f = web_facts();
	add_ns(f, "ns1.x.test", (const char *[]){ "198.51.100.1" }, 1);
	add_ns(f, "ns2.x.test", (const char *[]){ "198.51.100.2" }, 1);
	add_web(f, "203.0.113.10", "++");
	t = judge(f, &std_opts);
	EXPECT(t, "web_ipv6_ns_reach", NH_NOT_TESTED, 0);
	EXPECT(t, "web_ipv6_ws_address", NH_FAILED, 0);
	EXPECT(t, "web_ipv6_ws_reach", NH_NOT_TESTED, 0);
	assert_int_equal(nh_test_result_category(t, "web_ipv6")->score, 0);
	assert_int_equal(
	    nh_test_result_category(t, "web_ipv6")->status, NH_FAILED);
	nh_test_result_free(t);
	nh_facts_free(f);

	/* The NS lookup failed: errors, not failures. */
	f = web_facts();
	f->ns_lookup.result = NH_LOOKUP_ERROR;
	t = judge(f, &std_opts);
	EXPECT(t, "web_ipv6_ns_address", NH_ERROR, 0);
	EXPECT(t, "web_ipv6_ns_reach", NH_ERROR, 0);
	nh_test_result_free(t);
	nh_facts_free(f);
}

static void
test_ipv6_web_reach(void **state)
{
	struct nh_facts *f = web_facts();
	struct nh_test_result *t;

	(void)state;
	two_good_ns(f);
	/* 443 open over IPv4 but closed over IPv6: partial, 2 points. */
	add_web(f, "2001:db8:0:2::10", "+-");
	add_web(f, "203.0.113.10", "++");
	t = judge(f, &std_opts);
	/* nethealth: the address is degraded over IPv6, a failure. */
	EXPECT(t, "web_ipv6_ws_reach", NH_FAILED, 2);
	nh_test_result_free(t);
	/* Internet.nl passes it (no unreachable address) with 2 points. */
	t = judge(f, &compat_opts);
	EXPECT(t, "web_ipv6_ws_reach", NH_PASSED, 2);
	nh_test_result_free(t);
	nh_facts_free(f);

	/* Two IPv6 addresses, one dead: failed, 2 points. */
	f = web_facts();
	two_good_ns(f);
	add_web(f, "2001:db8:0:2::10", "++");
	add_web(f, "2001:db8:0:2::11", "--");
	add_web(f, "203.0.113.10", "++");
	t = judge(f, &std_opts);
	EXPECT(t, "web_ipv6_ws_reach", NH_FAILED, 2);
	nh_test_result_free(t);
	nh_facts_free(f);

	/* Every IPv6 address dead: 0 points. */
	f = web_facts();
	two_good_ns(f);
	add_web(f, "2001:db8:0:2::10", "--");
	add_web(f, "203.0.113.10", "++");
	t = judge(f, &std_opts);
	EXPECT(t, "web_ipv6_ws_address", NH_PASSED, 0);
	EXPECT(t, "web_ipv6_ws_reach", NH_FAILED, 0);
	/* 10 + 0 + 0 of 22 = 45%: with no IPv6 address answering, the
	 * same-site comparison is not made and earns nothing. */
	EXPECT(t, "web_ipv6_ws_similar", NH_NOT_TESTED, 0);
	assert_int_equal(nh_test_result_category(t, "web_ipv6")->score, 45);
	nh_test_result_free(t);
	nh_facts_free(f);
}

/* ---- DNSSEC ---- */

static void
test_dnssec(void **state)
{
	struct nh_facts *f = web_facts();
	struct nh_test_result *t;

	(void)state;
	f->dnssec.soa.sec = NH_SEC_INSECURE;
	t = judge(f, &std_opts);
	EXPECT(t, "web_dnssec_exist", NH_FAILED, 0);
	EXPECT(t, "web_dnssec_valid", NH_NOT_TESTED, 0);
	assert_int_equal(nh_test_result_category(t, "web_dnssec")->score, 0);
	EXPECT(t, "web_dnssec_algorithms", NH_NOT_TESTED, 0);
	nh_test_result_free(t);
	/* Internet.nl's 2 of 10 for an unsigned domain: 20%. */
	t = judge(f, &compat_opts);
	EXPECT(t, "web_dnssec_valid", NH_NOT_TESTED, 2);
	assert_int_equal(nh_test_result_category(t, "web_dnssec")->score, 20);
	nh_test_result_free(t);

	f->dnssec.soa.sec = NH_SEC_BOGUS;
	f->dnssec.soa.why_bogus = strdup("signature expired");
	t = judge(f, &std_opts);
	EXPECT(t, "web_dnssec_exist", NH_PASSED, 0);
	EXPECT(t, "web_dnssec_valid", NH_FAILED, 0);
	assert_non_null(
	    strstr(check(t, "web_dnssec_valid")->message, "signature expired"));
	nh_test_result_free(t);

	f->dnssec.soa.result = NH_LOOKUP_ERROR;
	f->dnssec.soa.sec = NH_SEC_UNKNOWN;
	t = judge(f, &std_opts);
	EXPECT(t, "web_dnssec_exist", NH_ERROR, 0);
	EXPECT(t, "web_dnssec_valid", NH_ERROR, 0);
	nh_test_result_free(t);

	f->dnssec.soa.result = NH_LOOKUP_NXDOMAIN;
	f->dnssec.soa.sec = NH_SEC_SECURE;
	t = judge(f, &std_opts);
	EXPECT(t, "web_dnssec_exist", NH_ERROR, 0);
	nh_test_result_free(t);
	nh_facts_free(f);
}

static void
test_dnssec_algorithms_nsec3(void **state)
{
	struct nh_facts *f = web_facts();
	struct nh_test_result *t;
	struct nh_fact_key keys[] = { { 257, 13, 0, 1 }, { 256, 13, 0, 2 } };
	struct nh_fact_key ds[] = { { 0, 13, 2, 1 } };

	(void)state;
	free(f->dnssec.dnskeys);
	free(f->dnssec.ds);
	f->dnssec.dnskeys = malloc(sizeof(keys));
	memcpy(f->dnssec.dnskeys, keys, sizeof(keys));
	f->dnssec.ndnskeys = 2;
	f->dnssec.ds = malloc(sizeof(ds));
	memcpy(f->dnssec.ds, ds, sizeof(ds));
	f->dnssec.nds = 1;
	t = judge(f, &std_opts);
	EXPECT(t, "web_dnssec_algorithms", NH_PASSED, 0);
	/* Algorithm 13 once, digest 2 once. */
	assert_int_equal(check(t, "web_dnssec_algorithms")->nservers, 2);
	EXPECT(t, "web_dnssec_nsec3", NH_PASSED, 0);
	nh_test_result_free(t);

	/* RSA/SHA-1 and a SHA-1 DS: warnings (RFC 8624). */
	f->dnssec.dnskeys[0].algorithm = 5;
	f->dnssec.ds[0].digest = 1;
	f->dnssec.nsec3 = true;
	f->dnssec.nsec3_iterations = 10;
	t = judge(f, &std_opts);
	EXPECT(t, "web_dnssec_algorithms", NH_WARNING, 0);
	EXPECT(t, "web_dnssec_nsec3", NH_WARNING, 0);
	/* Recommendations do not change a category with requirements. */
	assert_int_equal(
	    nh_test_result_category(t, "web_dnssec")->status, NH_PASSED);
	nh_test_result_free(t);

	f->dnssec.nsec3_iterations = 0;
	t = judge(f, &std_opts);
	EXPECT(t, "web_dnssec_nsec3", NH_PASSED, 0);
	nh_test_result_free(t);
	nh_facts_free(f);
}

/* ---- mail ---- */

static struct nh_facts *
mail_facts(size_t nmx)
{
	struct nh_facts *f = nh_facts_new("good.test", NH_TEST_MAIL);

	assert_non_null(f);
	f->ns_zone = strdup("good.test");
	lookup_ok(&f->ns_lookup, NH_SEC_SECURE);
	lookup_ok(&f->mx_lookup, NH_SEC_SECURE);
	lookup_ok(&f->a, NH_SEC_SECURE);
	f->ports[0] = 25;
	f->nports = 1;
	f->dnssec.name = strdup("good.test");
	signed_zone(&f->dnssec);
	f->mx_status = nmx ? NH_MX_HAS_MX : NH_MX_NONE;
	f->mx = calloc(nmx + 1, sizeof(*f->mx));
	for (size_t i = 0; i < nmx; i++) {
		struct nh_fact_mx *m = &f->mx[i];
		char name[48];

		snprintf(name, sizeof(name), "mx%zu.good.test", i + 1);
		m->name = strdup(name);
		m->dnssec.name = strdup(name);
		lookup_ok(&m->dnssec.soa, NH_SEC_SECURE);
		m->addrs = calloc(2, sizeof(*m->addrs));
		strcpy(m->addrs[0].ip, "2001:db8:0:2::25");
		m->addrs[0].family = 6;
		m->addrs[0].port[0] = NH_PROBE_OK;
		strcpy(m->addrs[1].ip, "203.0.113.25");
		m->addrs[1].family = 4;
		m->addrs[1].port[0] = NH_PROBE_OK;
		m->naddrs = 2;
	}
	f->nmx = nmx;
	two_good_ns(f);
	return f;
}

static void
test_mail_ipv6(void **state)
{
	struct nh_facts *f = mail_facts(2);
	struct nh_test_result *t;

	(void)state;
	t = judge(f, &std_opts);
	EXPECT(t, "mail_ipv6_mx_address", NH_PASSED, 0);
	EXPECT(t, "mail_ipv6_mx_reach", NH_PASSED, 10);
	assert_int_equal(nh_test_result_category(t, "mail_ipv6")->score, 100);
	nh_test_result_free(t);

	/* The second MX's IPv6 is dead: (10 + 0) / 2 = 5. */
	f->mx[1].addrs[0].port[0] = NH_PROBE_FAILED;
	t = judge(f, &std_opts);
	EXPECT(t, "mail_ipv6_mx_reach", NH_FAILED, 5);
	nh_test_result_free(t);
	nh_facts_free(f);

	/* Null MX: the MX checks do not apply; reach keeps full points. */
	f = mail_facts(0);
	f->mx_status = NH_MX_NULL;
	t = judge(f, &std_opts);
	EXPECT(t, "mail_ipv6_mx_address", NH_NOT_TESTED, 0);
	EXPECT(t, "mail_ipv6_mx_reach", NH_NOT_TESTED, 10);
	assert_int_equal(nh_test_result_category(t, "mail_ipv6")->score, 100);
	nh_test_result_free(t);
	f->mx_status = NH_MX_NULL_WITH_OTHER;
	t = judge(f, &std_opts);
	EXPECT(t, "mail_ipv6_mx_address", NH_WARNING, 0);
	nh_test_result_free(t);
	f->mx_status = NH_MX_NO_NULL_MX;
	t = judge(f, &std_opts);
	EXPECT(t, "mail_ipv6_mx_address", NH_INFO, 0);
	nh_test_result_free(t);
	f->mx_status = NH_MX_ERROR;
	t = judge(f, &std_opts);
	EXPECT(t, "mail_ipv6_mx_address", NH_ERROR, 0);
	nh_test_result_free(t);
	nh_facts_free(f);
}

static void
test_mail_dnssec(void **state)
{
	struct nh_facts *f = mail_facts(2);
	struct nh_test_result *t;
	const struct nh_category_result *c;

	(void)state;
	t = judge(f, &std_opts);
	c = nh_test_result_category(t, "mail_dnssec");
	assert_int_equal(c->score, 100);
	assert_int_equal(c->status, NH_PASSED);
	assert_int_equal(c->max, 10);
	EXPECT(t, "mail_dnssec_mx_valid", NH_PASSED, 10);
	nh_test_result_free(t);

	/* One MX in an unsigned zone: that server scores 0, and so does the
	 * category (the lowest server); 20% with Internet.nl's 2 points. */
	f->mx[1].dnssec.soa.sec = NH_SEC_INSECURE;
	t = judge(f, &std_opts);
	EXPECT(t, "mail_dnssec_mx_exist", NH_FAILED, 0);
	EXPECT(t, "mail_dnssec_mx_valid", NH_NOT_TESTED, 0);
	assert_int_equal(nh_test_result_category(t, "mail_dnssec")->score, 0);
	assert_int_equal(
	    nh_test_result_category(t, "mail_dnssec")->status, NH_FAILED);
	nh_test_result_free(t);
	t = judge(f, &compat_opts);
	assert_int_equal(nh_test_result_category(t, "mail_dnssec")->score, 20);
	nh_test_result_free(t);
	nh_facts_free(f);

	/* No MX: the domain alone decides. */
	f = mail_facts(0);
	f->mx_status = NH_MX_NULL;
	t = judge(f, &std_opts);
	assert_int_equal(nh_test_result_category(t, "mail_dnssec")->score, 100);
	nh_test_result_free(t);
	nh_facts_free(f);
}

/* ---- CAA ---- */

static void
expect_caa(unsigned flags, const char *tag, const char *value, bool ok)
{
	char why[256] = "";
	int rc = nh_caa_check_record(flags, tag, value, why, sizeof(why));

	if ((rc == 0) != ok)
		fail_msg("%u %s \"%s\": expected %s, got %s (%s)", flags, tag,
		    value, ok ? "valid" : "invalid",
		    rc == 0 ? "valid" : "invalid", why);
}

static void
test_caa_records(void **state)
{
	(void)state;
	expect_caa(0, "issue", "letsencrypt.org", true);
	expect_caa(0, "issue", ";", true); /* nobody may issue */
	expect_caa(0, "issue", "", true);
	expect_caa(128, "issuewild", "ca.example.net; account=123", true);
	expect_caa(0, "issue",
	    "ca.example.net; validationmethods=dns-01,"
	    "http-01",
	    true);
	expect_caa(
	    0, "issue", "ca.example.net; validationmethods=ca-custom", true);
	expect_caa(
	    0, "issue", "ca.example.net; validationmethods=magic", false);
	expect_caa(0, "issue", "ca.example.net; validationmethods=", false);
	expect_caa(0, "issue", "-bad.example", false);
	expect_caa(0, "issue", "ca.example.net junk", false);
	expect_caa(0, "issue", "ca.example.net; novalue", false);
	expect_caa(0, "issuemail", "mail-ca.example", true);
	expect_caa(0, "iodef", "mailto:security@example.nl", true);
	expect_caa(0, "iodef", "https://report.example.nl/caa", true);
	/* RFC 8659 §4.4 allows http: and https: for iodef reports. */
	expect_caa(0, "iodef", "http://report.example.nl/caa", true);
	expect_caa(0, "iodef", "ftp://report.example.nl/caa", false);
	expect_caa(0, "iodef", "https://", false);
	expect_caa(0, "iodef", "mailto:nobody", false);
	expect_caa(0, "contactemail", "dns@example.nl", true);
	expect_caa(0, "contactemail", "not an address", false);
	expect_caa(0, "contactphone", "+31 20 123", false);
	expect_caa(0, "contactphone", "+31-20-1234567", true);
	expect_caa(1, "issue", "ca.example.net", false); /* flags */
	expect_caa(0, "policy", "x", false);             /* reserved */
	expect_caa(0, "frobnicate", "x", false);         /* unknown */
	expect_caa(0, "is-sue", "x", false);             /* tag syntax */
	expect_caa(0, "issue", "ca.example.net; a=\xff", false);
}

static void
test_caa_check(void **state)
{
	struct nh_facts *f = web_facts();
	struct nh_test_result *t;

	(void)state;
	lookup_ok(&f->caa.lookup, NH_SEC_SECURE);
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_caa", NH_WARNING, 0); /* no records */
	nh_test_result_free(t);

	f->caa.found_at = strdup("good.test");
	f->caa.rrs = calloc(2, sizeof(*f->caa.rrs));
	f->caa.rrs[0].tag = strdup("iodef");
	f->caa.rrs[0].value = strdup("mailto:security@good.test");
	f->caa.nrrs = 1;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_caa", NH_WARNING, 0); /* no issue */
	nh_test_result_free(t);

	f->caa.rrs[1].tag = strdup("issue");
	f->caa.rrs[1].value = strdup("lab-ca.test");
	f->caa.nrrs = 2;
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_caa", NH_PASSED, 0);
	nh_test_result_free(t);

	free(f->caa.rrs[1].value);
	f->caa.rrs[1].value = strdup("lab-ca.test; =x");
	t = judge(f, &std_opts);
	EXPECT(t, "web_https_tls_caa", NH_WARNING, 0);
	nh_test_result_free(t);
	nh_facts_free(f);
}

/* ---- facts JSON ---- */

static void
test_facts_json_roundtrip(void **state)
{
	struct nh_facts *f = mail_facts(2), *g;
	json_t *a, *b;
	const char *why = NULL;

	(void)state;
	f->mx[0].caa.found_at = strdup("good.test");
	f->mx[0].caa.rrs = calloc(1, sizeof(*f->mx[0].caa.rrs));
	f->mx[0].caa.rrs[0].tag = strdup("issue");
	f->mx[0].caa.rrs[0].value = strdup("lab-ca.test");
	f->mx[0].caa.nrrs = 1;
	f->dnssec.soa.why_bogus = strdup("x");
	a = nh_facts_to_json(f);
	assert_non_null(a);
	g = nh_facts_from_json(a, &why);
	if (g == NULL)
		fail_msg("from_json: %s", why);
	b = nh_facts_to_json(g);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	nh_facts_free(f);
	nh_facts_free(g);
}

static void
expect_bad_facts(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	const char *why = NULL;
	struct nh_facts *f;

	assert_non_null(j);
	f = nh_facts_from_json(j, &why);
	if (f != NULL)
		fail_msg("accepted: %s", text);
	assert_non_null(why);
	json_decref(j);
}

static void
test_facts_json_hostile(void **state)
{
	(void)state;
	expect_bad_facts("[]");
	expect_bad_facts("{}");
	expect_bad_facts("{\"domain\":\"x..y\",\"type\":\"web\"}");
	expect_bad_facts("{\"domain\":\"good.test\",\"type\":\"ftp\"}");
	expect_bad_facts(
	    "{\"domain\":\"good.test\",\"type\":\"web\","
	    "\"ports\":[80,443],\"web\":[{\"ip\":\"300.1.1.1\"}]}");
	expect_bad_facts("{\"domain\":\"good.test\",\"type\":\"web\","
			 "\"ports\":[0]}");
	expect_bad_facts("{\"domain\":\"good.test\",\"type\":\"web\","
			 "\"ns_lookup\":{\"result\":\"maybe\"}}");
	expect_bad_facts("{\"domain\":\"good.test\",\"type\":\"web\","
			 "\"ns\":[1]}");
	expect_bad_facts("{\"domain\":\"good.test\",\"type\":\"mail\","
			 "\"mx\":[{},{},{},{},{},{},{},{},{},{},{}]}");
	expect_bad_facts("{\"domain\":\"good.test\",\"type\":\"web\","
			 "\"dnssec\":{\"nsec3_iterations\":-1}}");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv6_all_good),
		cmocka_unit_test(test_ipv6_name_servers),
		cmocka_unit_test(test_ipv6_web_reach),
		cmocka_unit_test(test_dnssec),
		cmocka_unit_test(test_dnssec_algorithms_nsec3),
		cmocka_unit_test(test_mail_ipv6),
		cmocka_unit_test(test_mail_dnssec),
		cmocka_unit_test(test_caa_records),
		cmocka_unit_test(test_caa_check),
		cmocka_unit_test(test_facts_json_roundtrip),
		cmocka_unit_test(test_facts_json_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
