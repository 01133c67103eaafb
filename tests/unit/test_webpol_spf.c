/*
 * test_webpol_spf.c: the SPF judge (RFC 7208, Internet.nl's
 * mail_auth_spf_exist and mail_auth_spf_policy) and nh_spf_queries(), on
 * records and DNS answers written by hand in a fake zone: every finding,
 * the record syntax, the lookup counting in both modes, void lookups,
 * loops, macros, lookup errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "webpol/webpol.h"

#define DOMAIN "example.test"

/* One answer of the fake zone. */
struct rr {
	const char *name;
	enum nh_spf_qtype type;
	int rcode;
	const char *txt[4];
	size_t ntxt;
	size_t naddrs;
};

#define NARGS(...) (sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(char *))
#define TXT(n, ...) \
	{ \
		.name = (n), .type = NH_SPF_Q_TXT, .txt = { __VA_ARGS__ }, \
		.ntxt = NARGS(__VA_ARGS__) \
	}
#define ADDR(n, k) \
	{ \
		.name = (n), .type = NH_SPF_Q_A, .naddrs = (k) \
	}
#define MXS(n, k) \
	{ \
		.name = (n), .type = NH_SPF_Q_MX, .naddrs = (k) \
	}
#define BROKEN(n, t, rc) \
	{ \
		.name = (n), .type = (t), .rcode = (rc) \
	}

/* The zone and what was asked of it. */
struct zone {
	const struct rr *rr;
	size_t n;
	size_t asked;
	char names[128][256];
	enum nh_spf_qtype types[128];
};

/*
 * The fake resolver: the entry for (name, type); a name known with
 * another type only is NODATA (rcode 0, nothing); an unknown name is
 * NXDOMAIN.
 */
static void
zone_lookup(
    void *ctx, const char *name, enum nh_spf_qtype t, struct nh_spf_answer *out)
{
	struct zone *z = ctx;
	bool known = false;

	assert_non_null(name);
	assert_int_equal(out->rcode, -2); /* the judge clears it */
	assert_null(strchr(name, '%'));   /* macros are never asked */
	if (z->asked < 128) {
		snprintf(z->names[z->asked], sizeof(z->names[0]), "%s", name);
		z->types[z->asked] = t;
	}
	z->asked++;
	for (size_t i = 0; i < z->n; i++) {
		if (strcasecmp(z->rr[i].name, name) != 0)
			continue;
		known = true;
		if (z->rr[i].type != t)
			continue;
		out->rcode = z->rr[i].rcode;
		out->txt = z->rr[i].txt;
		out->ntxt = z->rr[i].ntxt;
		out->naddrs = z->rr[i].naddrs;
		return;
	}
	out->rcode = known ? 0 : 3;
}

static bool
asked(const struct zone *z, const char *name)
{
	for (size_t i = 0; i < z->asked && i < 128; i++) {
		if (strcmp(z->names[i], name) == 0)
			return true;
	}
	return false;
}

static struct zone z;
static struct nh_spf_result out;
static struct nh_webpol_result r;

static void
run(const struct rr *rr, size_t n, bool compat)
{
	memset(&z, 0, sizeof(z));
	z.rr = rr;
	z.n = n;
	nh_spf_judge(DOMAIN, zone_lookup, &z, compat, &out, &r);
	/* The status is the worst finding; there is always one. */
	assert_true(r.n > 0 && r.n <= NH_WEBPOL_MAX_FINDINGS);
	for (size_t i = 0; i < r.n; i++)
		assert_true(r.f[i].status >= r.status);
}

/* Judges DOMAIN in the zone of the remaining arguments. */
#define JUDGE(compat, ...) \
	do { \
		static const struct rr zone_[] = { __VA_ARGS__ }; \
		run(zone_, sizeof(zone_) / sizeof(*zone_), (compat)); \
	} while (0)
#define STD false
#define COMPAT true

#define EXPECT(st, want) \
	do { \
		if (r.status != (st) || !nh_webpol_find(&r, (want))) \
			fail_msg("status %s, expected %s with %s: %s (%s)", \
			    nh_status_name(r.status), nh_status_name(st), \
			    (want), r.n ? r.f[0].code : "", \
			    r.n ? r.f[0].msg : "(none)"); \
	} while (0)
#define HAS(code) assert_non_null(nh_webpol_find(&r, (code)))
#define HASNT(code) assert_null(nh_webpol_find(&r, (code)))
#define MSG(code, part) \
	do { \
		const struct nh_webpol_finding *f_ = nh_webpol_find(&r, code); \
		assert_non_null(f_); \
		if (strstr(f_->msg, (part)) == NULL) \
			fail_msg("%s: \"%s\" lacks \"%s\"", (code), f_->msg, \
			    (part)); \
	} while (0)

static void
test_spf_ok(void **state)
{
	(void)state;
	JUDGE(
	    STD, TXT(DOMAIN, "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"));
	EXPECT(NH_PASSED, "spf_ok");
	assert_int_equal(r.n, 1);
	assert_string_equal(out.all, "-");
	assert_int_equal(out.records, 1);
	assert_int_equal(out.lookups, 0);
	assert_false(out.redirect || out.internetnl_lookups_exceeded);
	assert_int_equal(out.internetnl_points, 10);
	MSG("spf_ok", "-all");
	MSG("spf_ok", "0 of at most 10");

	/* Other TXT records beside it are none of SPF's business. */
	JUDGE(STD,
	    TXT(DOMAIN, "google-site-verification=abc", "v=spf1 mx a -all",
		"\x96 not ascii"),
	    MXS(DOMAIN, 2), ADDR(DOMAIN, 1));
	EXPECT(NH_PASSED, "spf_ok");
	assert_int_equal(out.lookups, 2);
	assert_int_equal(out.void_lookups, 0);
	MSG("spf_ok", "2 of at most 10");
	assert_true(asked(&z, DOMAIN));

	/* ~all passes, with a note. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 ip4:192.0.2.1 ~all"));
	EXPECT(NH_INFO, "softfail_all");
	HAS("spf_ok");
	assert_string_equal(out.all, "~");
	assert_int_equal(out.internetnl_points, 10);
}

static void
test_spf_missing(void **state)
{
	(void)state;
	/* NXDOMAIN, NODATA, TXT without SPF. */
	JUDGE(STD, ADDR("other.test", 1));
	EXPECT(NH_FAILED, "no_spf");
	assert_int_equal(out.records, 0);
	assert_int_equal(out.internetnl_points, 0);
	MSG("no_spf", "does not exist");
	JUDGE(STD, ADDR(DOMAIN, 1));
	EXPECT(NH_FAILED, "no_spf");
	MSG("no_spf", "no TXT record");
	JUDGE(STD, TXT(DOMAIN, "hello", "spf1 -all"));
	EXPECT(NH_FAILED, "no_spf");
	/* The version must end in a space or the record (§4.5): not
	 * "v=spf10", not "v=spf1mx" (strings joined without a space). */
	JUDGE(STD, TXT(DOMAIN, "v=spf10 -all", "v=spf1mx"));
	EXPECT(NH_FAILED, "no_spf");
	/* A NULL string is skipped. */
	JUDGE(STD, TXT(DOMAIN, NULL, "v=spf1 -all"));
	EXPECT(NH_PASSED, "spf_ok");
}

static void
test_spf_multiple(void **state)
{
	(void)state;
	JUDGE(STD, TXT(DOMAIN, "v=spf1 -all", "V=sPf1 +all"));
	EXPECT(NH_FAILED, "multiple_spf");
	assert_int_equal(out.records, 2);
	assert_int_equal(out.internetnl_points, 0);
	JUDGE(STD, TXT(DOMAIN, "v=spf1 -all", "v=spf1 -all", "v=spf1"));
	EXPECT(NH_FAILED, "multiple_spf");
	assert_int_equal(out.records, 3);
}

static void
test_spf_syntax(void **state)
{
	static const char *const bad[] = {
		"v=spf1 ip4:1.2.3.4/33 -all",  /* prefix above 32 */
		"v=spf1 ip4:1.2.3.4/032 -all", /* leading zero */
		"v=spf1 ip4:1.2.3 -all",       /* three parts */
		"v=spf1 ip4:1.2.3.4:8080",
		"v=spf1 ip4:01.2.3.4",
		"v=spf1 ip4:256.1.1.1",
		"v=spf1 ip4",
		"v=spf1 ip4:1.2.3.4//32", /* dual cidr on ip4 */
		"v=spf1 ip4:1.2.3.4/",
		"v=spf1 ip6:::1/129",
		"v=spf1 ip6::CAFE::BABE",
		"v=spf1 ip6:::1.1.1.1//33",
		"v=spf1 ip6",
		"v=spf1 ip6:2001:db8::/",
		"v=spf1 a/33 -all",
		"v=spf1 a//129 -all",
		"v=spf1 a/24/64 -all",
		"v=spf1 a/ -all",
		"v=spf1 mx/024 -all",
		"v=spf1 a: -all",
		"v=spf1 a:museum",        /* only a top label */
		"v=spf1 a:museum.",       /* a trailing dot does not help */
		"v=spf1 a:111.222.33.44", /* numeric top label: use ip4 */
		"v=spf1 a:abc.123",
		"v=spf1 a:example.-com",
		"v=spf1 a:example.com-",
		"v=spf1 a:example.com:8080",
		"v=spf1 a:foo.com/",
		"v=spf1 include +all",
		"v=spf1 include: -all",
		"v=spf1 include:ip5.example.com/24 -all",
		"v=spf1 exists -all",
		"v=spf1 -all.",
		"v=spf1 -all:foobar",
		"v=spf1 -all/8",
		"v=spf1 ptr/0 -all",
		"v=spf1 ptr:",
		"v=spf1 ip4:1.2.3.4 redirect:t2.example.com",
		"v=spf1 ?all redirect=",
		"v=spf1 redirect=-all ?all",
		"v=spf1 exp= -all",
		"v=spf1 exp=-all",
		"v=spf1 =all",
		"v=spf1 1up=foo",
		"v=spf1 moo.cow/far_out=man:dog/cat ip4:1.2.3.4 -all",
		"v=spf1 moo.cow:far_out=man:dog/cat ip4:1.2.3.4 -all",
		"v=spf1 -all foo=%abc",
		"v=spf1 -exists:%(ir).sbl.example.com ?all",
		"v=spf1 exists:foo%(ir).sbl.example.com ?all",
		"v=spf1 exists:foo%.sbl.example.com ?all",
		"v=spf1 exists:foo.sbl.example.com%",
		"v=spf1 a:%{a}.example.com -all",   /* no such letter */
		"v=spf1 -all exp=%{r}.example.com", /* r only in exp text */
		"v=spf1 include:%{c}.example.com -all",
		"v=spf1 include:%{d0}.example.com -all", /* keep 0 labels */
		"v=spf1 include:%{d2x}.example.com -all",
		"v=spf1 include:%{d -all",
		"v=spf1 include:%{d}. -all", /* a dot alone is no end */
		"v=spf1 redirect=a.example redirect=b.example",
		"v=spf1 exp=a.example -all exp=b.example",
		"v=spf1 ip4:1.2.3.4 -all moo", /* errors after all count */
		"v=spf1 ip4:192.0.2.5\n include:x.example ~all",
		"v=spf1 a:ctrl.example.com\rptr -all",
		"v=spf1 \x80"
		"a:example.net -all",
		"v=spf1 a:\xEF\xBB\xBFgarbage.example.net -all",
		"v=spf1 -all\t",
		"v=spf1 unknown:foo -all",
		"v=spf1 spf2.0/pra -all",
		"v=spf1 ? -all",
		"v=spf1 + -all",
		"v=spf1 ~~all",
		"v=spf1 :example.com",
	};
	struct rr rr[1] = { TXT(DOMAIN, NULL) };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		rr[0].txt[0] = bad[i];
		run(rr, 1, false);
		if (r.status != NH_FAILED || !nh_webpol_find(&r, "syntax"))
			fail_msg("\"%s\": %s %s %s", bad[i],
			    nh_status_name(r.status), r.f[0].code, r.f[0].msg);
		assert_int_equal(r.n, 1);
		assert_int_equal(out.internetnl_points, 0);
		assert_int_equal(z.asked, 1); /* nothing more is asked */
		assert_int_equal(nh_spf_queries(DOMAIN, bad[i], NULL, 0), 0);
	}

	/* The message names the term, its number and byte, and why. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 ip4:1.2.3.4 ip4:1.2.3.4/33 -all"));
	EXPECT(NH_FAILED, "syntax");
	MSG("syntax", "term 2 \"ip4:1.2.3.4/33\" (byte 19)");
	MSG("syntax", "0 to 32");
	/* Control characters are shown safely. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 a:x\x1b[31m.example -all"));
	EXPECT(NH_FAILED, "syntax");
	assert_null(strchr(r.f[0].msg, '\x1b'));
}

static void
test_spf_syntax_valid(void **state)
{
	static const char *const good[] = {
		"v=spf1",
		"v=spf1 ",
		"v=spf1 a  -all", /* several spaces */
		"v=spf1 a -all ", /* trailing space */
		"v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all",
		"v=spf1 default=pass",
		"v=spf1 default=+",
		"v=spf1 empty= -all",
		"v=spf1 a:foo:bar/baz.example.com -all",
		"v=spf1 a:foo.example.xn--zckzah -all",
		"v=spf1 a:foo.123-456 -all",
		"v=spf1 a:foo.example.com/24 -all",
		"v=spf1 a/24//64 -all",
		"v=spf1 a//0 -all",
		"v=spf1 a/0 -all",
		"v=spf1 mx:example.com/24//128 -all",
		"v=spf1 mx:example.com//64 -all",
		"v=spf1 ip4:0.0.0.0/0 ip4:255.255.255.255/32 -all",
		"v=spf1 ip6:Cafe:Babe:8000::/33 -all",
		"v=spf1 ip6:::FFFF:1.2.3.4 ip6:::/0 -all",
		"v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all",
		"v=spf1 exists:%{i}.%{l2r-}.user.%{d2} -all",
		"v=spf1 exists:%{l2r+-}.user.%{d2} -all",
		"v=spf1 exists:%{IR}.%{v}._spf.%{D} -all",
		"v=spf1 -include:_spfh.%{d2} ip4:1.2.3.0/24 -all",
		"v=spf1 include:%{d}.d.spf.example.com. -all",
		"v=spf1 -all exp=msg8.%{D2}",
		"v=spf1 -all exp=explain._spf.%{d}",
		"v=spf1 -all foo=%{c}%{r}%{t}",
		"v=spf1 ptr ptr:example.com -all",
		"v=spf1 PTR:Example.Com -ALL",
		"V=SPF1 IP4:192.0.2.1 ~ALL",
		"v=spf1 ?all",
		"v=spf1 -ip4:1.2.3.4 ~ip6:::1 ?a +mx -all",
	};
	struct rr rr[1] = { TXT(DOMAIN, NULL) };

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		rr[0].txt[0] = good[i];
		run(rr, 1, false);
		if (nh_webpol_find(&r, "syntax") != NULL)
			fail_msg("\"%s\": %s", good[i], r.f[0].msg);
	}
}

static void
test_spf_all(void **state)
{
	(void)state;
	JUDGE(STD, TXT(DOMAIN, "v=spf1 ip4:192.0.2.1 +all"));
	EXPECT(NH_FAILED, "all_permissive");
	assert_string_equal(out.all, "+");
	assert_int_equal(out.internetnl_points, 2);
	MSG("all_permissive", "+all");
	/* No qualifier is +. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 mx all"), MXS(DOMAIN, 1));
	EXPECT(NH_FAILED, "all_permissive");
	assert_string_equal(out.all, "+");
	MSG("all_permissive", "that is +all");
	JUDGE(STD, TXT(DOMAIN, "v=spf1 ?all"));
	EXPECT(NH_FAILED, "all_permissive");
	assert_string_equal(out.all, "?");
	assert_int_equal(out.internetnl_points, 2);
	/* The first all decides; what follows it is never evaluated. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 all -all"));
	EXPECT(NH_FAILED, "all_permissive");
	HAS("after_all");
	JUDGE(STD, TXT(DOMAIN, "v=spf1 -all +all include:x.test"));
	EXPECT(NH_INFO, "after_all");
	HAS("spf_ok");
	assert_int_equal(out.lookups, 0);
	assert_false(asked(&z, "x.test"));
	MSG("after_all", "+all");

	/* No all and no redirect: neutral. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 ip4:192.0.2.1"));
	EXPECT(NH_FAILED, "no_all");
	assert_string_equal(out.all, "");
	assert_int_equal(out.internetnl_points, 2);
	JUDGE(STD, TXT(DOMAIN, "v=spf1"));
	EXPECT(NH_FAILED, "no_all");
	assert_int_equal(out.internetnl_points, 2);
}

static void
test_spf_include(void **state)
{
	(void)state;
	/* Inside an include, ?all and a missing all are fine. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 include:spf.mail.test -all"),
	    TXT("spf.mail.test", "v=spf1 ip4:192.0.2.0/24 ?all"));
	EXPECT(NH_PASSED, "spf_ok");
	assert_int_equal(out.lookups, 1);
	assert_int_equal(out.internetnl_points, 10);
	JUDGE(STD, TXT(DOMAIN, "v=spf1 include:spf.mail.test ~all"),
	    TXT("spf.mail.test", "v=spf1 ip4:192.0.2.0/24"));
	EXPECT(NH_INFO, "softfail_all");
	HAS("spf_ok");

	/* A missing target: permerror (§5.2). */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 include:gone.test -all"));
	EXPECT(NH_FAILED, "include_missing");
	MSG("include_missing", "NXDOMAIN");
	assert_int_equal(out.void_lookups, 1);
	assert_int_equal(out.internetnl_points, 2);
	JUDGE(STD, TXT(DOMAIN, "v=spf1 include:txt.test -all"),
	    TXT("txt.test", "v=spfl am not an SPF record"));
	EXPECT(NH_FAILED, "include_missing");
	MSG("include_missing", "no SPF record");
	assert_int_equal(out.void_lookups, 0);
	assert_int_equal(out.internetnl_points, 0); /* parse(None) */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 include:two.test -all"),
	    TXT("two.test", "v=spf1 -all", "v=spf1 ~all"));
	EXPECT(NH_FAILED, "include_missing");
	MSG("include_missing", "several");
	/* An invalid target record: the term that is wrong. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 include:bad.test -all"),
	    TXT("bad.test", "v=spf1 ip4:10.0.0.1/40 -all"));
	EXPECT(NH_FAILED, "include_missing");
	MSG("include_missing", "ip4:10.0.0.1/40");
	assert_int_equal(out.internetnl_points, 0);
	/* An included +all lets everyone through. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 include:open.test -all"),
	    TXT("open.test", "v=spf1 +all"));
	EXPECT(NH_FAILED, "include_permissive");
	assert_string_equal(out.all, "-");
	assert_int_equal(out.internetnl_points, 2);
	/* Nested includes are followed, each counted. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 include:a.test -all"),
	    TXT("a.test", "v=spf1 include:b.test mx:m.test"),
	    TXT("b.test", "v=spf1 include:c.test"), TXT("c.test", "v=spf1"),
	    MXS("m.test", 1));
	EXPECT(NH_PASSED, "spf_ok");
	assert_int_equal(out.lookups, 4);
	assert_true(asked(&z, "c.test") && asked(&z, "m.test"));
	/* A problem deep down is found. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 include:a.test -all"),
	    TXT("a.test", "v=spf1 include:b.test"));
	EXPECT(NH_FAILED, "include_missing");
	MSG("include_missing", "b.test");
}

static void
test_spf_redirect(void **state)
{
	(void)state;
	JUDGE(STD, TXT(DOMAIN, "v=spf1 redirect=_spf.mail.test"),
	    TXT("_spf.mail.test", "v=spf1 ip4:192.0.2.1 -all"));
	EXPECT(NH_PASSED, "spf_ok");
	assert_true(out.redirect);
	assert_string_equal(out.all, "-");
	assert_int_equal(out.lookups, 1);
	assert_int_equal(out.internetnl_points, 10);
	MSG("spf_ok", "redirect=_spf.mail.test");
	/* The target's all decides, as at the top: ?all fails. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 redirect=_spf.mail.test"),
	    TXT("_spf.mail.test", "v=spf1 ip4:192.0.2.1 ?all"));
	EXPECT(NH_FAILED, "all_permissive");
	assert_string_equal(out.all, "?");
	assert_int_equal(out.internetnl_points, 2);
	/* Through a chain of redirects. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 redirect=r1.test"),
	    TXT("r1.test", "v=spf1 redirect=r2.test"),
	    TXT("r2.test", "v=spf1 ip4:192.0.2.1"));
	EXPECT(NH_FAILED, "no_all");
	MSG("no_all", "r2.test");
	assert_int_equal(out.lookups, 2);
	JUDGE(STD, TXT(DOMAIN, "v=spf1 redirect=gone.test"));
	EXPECT(NH_FAILED, "redirect_missing");
	HASNT("no_all");
	assert_true(out.redirect);
	assert_string_equal(out.all, "");
	/* An all makes redirect ignored, before or after it (§6.1). */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 redirect=r.test -all"));
	EXPECT(NH_INFO, "redirect_ignored");
	HAS("spf_ok");
	assert_false(out.redirect);
	assert_int_equal(out.lookups, 0);
	assert_false(asked(&z, "r.test"));
	JUDGE(STD, TXT(DOMAIN, "v=spf1 ~all redirect=r.test"));
	HAS("redirect_ignored");
	/* An include's record may end in a redirect too. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 include:i.test -all"),
	    TXT("i.test", "v=spf1 redirect=j.test"),
	    TXT("j.test", "v=spf1 ip4:192.0.2.9 ?all"));
	EXPECT(NH_PASSED, "spf_ok");
	assert_int_equal(out.lookups, 2);
	assert_string_equal(out.all, "-");
	/* Internet.nl judges that redirect target as a top record. */
	assert_int_equal(out.internetnl_points, 2);
}

/* Eleven a:host terms: RFC 7208 counts them, Internet.nl does not. */
#define A11 \
	"v=spf1 a:h1.test a:h2.test a:h3.test a:h4.test a:h5.test " \
	"a:h6.test a:h7.test a:h8.test a:h9.test a:h10.test a:h11.test -all"
#define HOSTS \
	ADDR("h1.test", 1), ADDR("h2.test", 1), ADDR("h3.test", 1), \
	    ADDR("h4.test", 1), ADDR("h5.test", 1), ADDR("h6.test", 1), \
	    ADDR("h7.test", 1), ADDR("h8.test", 1), ADDR("h9.test", 1), \
	    ADDR("h10.test", 1), ADDR("h11.test", 1)

static void
test_spf_lookup_counting(void **state)
{
	(void)state;
	JUDGE(STD, TXT(DOMAIN, A11), HOSTS);
	EXPECT(NH_FAILED, "too_many_lookups");
	assert_int_equal(out.lookups, 11);
	assert_false(out.internetnl_lookups_exceeded);
	assert_int_equal(out.internetnl_points, 10);
	assert_false(asked(&z, "h11.test")); /* past the limit */
	JUDGE(COMPAT, TXT(DOMAIN, A11), HOSTS);
	EXPECT(NH_INFO, "lookups_rfc");
	HAS("spf_ok");
	HASNT("too_many_lookups");
	assert_int_equal(out.lookups, 11);

	/* a/cidr alike. */
	JUDGE(STD,
	    TXT(DOMAIN,
		"v=spf1 a/24 a/24 a/24 a/24 a/24 a/24 a/24 a/24 a/24 a/24 "
		"a/24 -all"),
	    ADDR(DOMAIN, 1));
	EXPECT(NH_FAILED, "too_many_lookups");
	JUDGE(COMPAT,
	    TXT(DOMAIN,
		"v=spf1 a/24 a/24 a/24 a/24 a/24 a/24 a/24 a/24 a/24 a/24 "
		"a/24 -all"),
	    ADDR(DOMAIN, 1));
	HASNT("too_many_lookups");

	/* Eleven mx in a flat record: Internet.nl checks only before
	 * following an include or redirect. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 mx mx mx mx mx mx mx mx mx mx mx -all"),
	    MXS(DOMAIN, 1));
	EXPECT(NH_FAILED, "too_many_lookups");
	MSG("too_many_lookups", "at least 11");
	JUDGE(COMPAT,
	    TXT(DOMAIN, "v=spf1 mx mx mx mx mx mx mx mx mx mx mx -all"),
	    MXS(DOMAIN, 1));
	EXPECT(NH_INFO, "lookups_rfc");
	assert_false(out.internetnl_lookups_exceeded);
	/* Ten is the limit, not over it. */
	JUDGE(STD,
	    TXT(DOMAIN, "v=spf1 mx mx mx mx mx a a a ptr exists:e.test -all"),
	    MXS(DOMAIN, 1), ADDR(DOMAIN, 1), ADDR("e.test", 1));
	EXPECT(NH_INFO, "ptr");
	HAS("spf_ok");
	assert_int_equal(out.lookups, 10);
	/* The same mx count before an include: Internet.nl counts the
	 * whole record first, so it sees it. */
	JUDGE(COMPAT,
	    TXT(DOMAIN,
		"v=spf1 include:i.test mx mx mx mx mx mx mx mx mx mx "
		"-all"),
	    TXT("i.test", "v=spf1 ip4:192.0.2.1"), MXS(DOMAIN, 1));
	EXPECT(NH_FAILED, "too_many_lookups");
	assert_true(out.internetnl_lookups_exceeded);
	assert_int_equal(out.internetnl_points, 2);
	MSG("too_many_lookups", "Internet.nl");

	/* Eleven through a chain of includes, in both modes. */
#define CHAIN \
	TXT(DOMAIN, "v=spf1 include:l1.test -all"), \
	    TXT("l1.test", "v=spf1 include:l2.test"), \
	    TXT("l2.test", "v=spf1 include:l3.test"), \
	    TXT("l3.test", "v=spf1 include:l4.test"), \
	    TXT("l4.test", "v=spf1 include:l5.test"), \
	    TXT("l5.test", "v=spf1 include:l6.test"), \
	    TXT("l6.test", "v=spf1 include:l7.test"), \
	    TXT("l7.test", "v=spf1 include:l8.test"), \
	    TXT("l8.test", "v=spf1 include:l9.test"), \
	    TXT("l9.test", "v=spf1 include:l10.test"), \
	    TXT("l10.test", "v=spf1 include:l11.test"), \
	    TXT("l11.test", "v=spf1 ip4:192.0.2.1")
	JUDGE(STD, CHAIN);
	EXPECT(NH_FAILED, "too_many_lookups");
	assert_true(out.internetnl_lookups_exceeded);
	assert_false(asked(&z, "l11.test"));
	JUDGE(COMPAT, CHAIN);
	EXPECT(NH_FAILED, "too_many_lookups");
	assert_int_equal(out.internetnl_points, 2);
	/* Ten through includes and mechanisms is fine in both. */
	JUDGE(COMPAT,
	    TXT(DOMAIN,
		"v=spf1 include:a.test include:b.test mx mx mx mx "
		"mx mx mx mx -all"),
	    TXT("a.test", "v=spf1 ip4:192.0.2.1"),
	    TXT("b.test", "v=spf1 ip4:192.0.2.2"), MXS(DOMAIN, 1));
	EXPECT(NH_PASSED, "spf_ok");
	assert_int_equal(out.lookups, 10);
	assert_false(out.internetnl_lookups_exceeded);
	JUDGE(STD,
	    TXT(DOMAIN,
		"v=spf1 include:a.test include:b.test mx mx mx mx "
		"mx mx mx mx -all"),
	    TXT("a.test", "v=spf1 ip4:192.0.2.1"),
	    TXT("b.test", "v=spf1 ip4:192.0.2.2"), MXS(DOMAIN, 1));
	EXPECT(NH_PASSED, "spf_ok");
	/* Terms after all and an ignored redirect are not counted; exp
	 * is not either (§4.6.4). */
	JUDGE(STD,
	    TXT(DOMAIN,
		"v=spf1 -all exp=e.test redirect=r.test mx mx mx mx "
		"mx mx mx mx mx mx mx"));
	assert_int_equal(out.lookups, 0);
	HAS("spf_ok");
	HAS("exp");
}

static void
test_spf_void_lookups(void **state)
{
	(void)state;
	/* Two is the limit: NXDOMAIN or no records. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 a:err.test a:err1.test ?all"));
	EXPECT(NH_FAILED, "all_permissive");
	HASNT("too_many_void_lookups");
	assert_int_equal(out.void_lookups, 2);
	JUDGE(
	    STD, TXT(DOMAIN, "v=spf1 a:err.test a:err1.test a:err2.test -all"));
	EXPECT(NH_FAILED, "too_many_void_lookups");
	assert_int_equal(out.void_lookups, 3);
	MSG("too_many_void_lookups", "err.test, err1.test, err2.test");
	assert_int_equal(out.internetnl_points, 10); /* not checked there */
	JUDGE(STD,
	    TXT(DOMAIN,
		"v=spf1 mx:nomx.test exists:nx.test a:noaddr.test "
		"include:gone.test -all"),
	    ADDR("nomx.test", 1), MXS("noaddr.test", 1));
	EXPECT(NH_FAILED, "too_many_void_lookups");
	HAS("include_missing");
	assert_int_equal(out.void_lookups, 4);
	MSG("too_many_void_lookups", ", ...");
	/* Too many MX records for one mx (§4.6.4). */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 mx -all"), MXS(DOMAIN, 11));
	EXPECT(NH_FAILED, "too_many_mx");
	JUDGE(STD, TXT(DOMAIN, "v=spf1 mx -all"), MXS(DOMAIN, 10));
	EXPECT(NH_PASSED, "spf_ok");
}

static void
test_spf_loops(void **state)
{
	(void)state;
	JUDGE(STD, TXT(DOMAIN, "v=spf1 include:" DOMAIN " -all"));
	EXPECT(NH_FAILED, "too_many_lookups");
	HAS("loop");
	assert_true(z.asked <= 30);
	JUDGE(COMPAT, TXT(DOMAIN, "v=spf1 include:" DOMAIN " -all"));
	EXPECT(NH_FAILED, "too_many_lookups");
	assert_true(out.internetnl_lookups_exceeded);
	/* A two-record cycle, and the openspf include-loop case. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 include:e3.test -all"),
	    TXT("e3.test", "v=spf1 include:" DOMAIN));
	EXPECT(NH_FAILED, "too_many_lookups");
	assert_true(z.asked <= 30);
	/* A redirect to itself: no all is ever seen, but no_all is not
	 * claimed. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 ip4:1.1.1.1 redirect=" DOMAIN));
	EXPECT(NH_FAILED, "too_many_lookups");
	HASNT("no_all");
	assert_true(z.asked <= 30);
	JUDGE(COMPAT, TXT(DOMAIN, "v=spf1 ip4:1.1.1.1 redirect=" DOMAIN));
	EXPECT(NH_FAILED, "too_many_lookups");
	HAS("loop");
	assert_true(out.redirect);
	assert_string_equal(out.all, "");
	/* Many includes of itself: each level counts; bounded. */
	JUDGE(STD,
	    TXT(DOMAIN,
		"v=spf1 include:" DOMAIN " include:" DOMAIN " include:" DOMAIN
		" include:" DOMAIN " -all"));
	EXPECT(NH_FAILED, "too_many_lookups");
	assert_true(z.asked <= 30);
}

static void
test_spf_macros(void **state)
{
	(void)state;
	/* A macro target is neither asked nor followed (the zone asserts
	 * it), but counted. */
	JUDGE(STD,
	    TXT(DOMAIN,
		"v=spf1 include:%{d}._spf.test exists:%{i}.x.test "
		"-all"));
	EXPECT(NH_INFO, "macro");
	HAS("spf_ok");
	assert_int_equal(out.lookups, 2);
	assert_int_equal(z.asked, 1);
	MSG("macro", "include:%{d}._spf.test");
	JUDGE(COMPAT, TXT(DOMAIN, "v=spf1 include:%{d}._spf.test -all"));
	HAS("spf_ok");
	assert_int_equal(out.internetnl_points, 10);
	/* A redirect with a macro: its all cannot be seen. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 redirect=%{d}.spf.test"));
	EXPECT(NH_INFO, "macro");
	HASNT("no_all");
	assert_true(out.redirect);
	assert_string_equal(out.all, "");
	MSG("spf_ok", "macro");
}

static void
test_spf_lookup_errors(void **state)
{
	(void)state;
	JUDGE(STD, BROKEN(DOMAIN, NH_SPF_Q_TXT, -1));
	EXPECT(NH_ERROR, "lookup_error");
	MSG("lookup_error", "failed");
	assert_int_equal(r.n, 1);
	JUDGE(STD, BROKEN(DOMAIN, NH_SPF_Q_TXT, -2));
	EXPECT(NH_ERROR, "lookup_error");
	MSG("lookup_error", "was not made");
	JUDGE(STD, BROKEN(DOMAIN, NH_SPF_Q_TXT, 2)); /* SERVFAIL as such */
	EXPECT(NH_ERROR, "lookup_error");
	/* A needed lookup down the tree: temperror. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 include:slow.test -all"),
	    BROKEN("slow.test", NH_SPF_Q_TXT, -1));
	EXPECT(NH_ERROR, "lookup_error");
	HASNT("spf_ok");
	HASNT("include_missing");
	MSG("lookup_error", "slow.test");
	JUDGE(STD, TXT(DOMAIN, "v=spf1 a:slow.test mx -all"),
	    BROKEN("slow.test", NH_SPF_Q_A, -1),
	    BROKEN(DOMAIN, NH_SPF_Q_MX, -2));
	EXPECT(NH_ERROR, "lookup_error");
	assert_int_equal(out.lookups, 2);
	/* Not a domain name. */
	memset(&z, 0, sizeof(z));
	nh_spf_judge("a..b", zone_lookup, &z, false, &out, &r);
	EXPECT(NH_ERROR, "lookup_error");
	assert_int_equal(z.asked, 0);
}

static void
test_spf_case_and_names(void **state)
{
	(void)state;
	/* Names, mechanisms, qualifiers and the version in any case; the
	 * resolver is asked in lower case, without a final dot. */
	JUDGE(STD,
	    TXT(DOMAIN,
		"V=SpF1 INCLUDE:Spf.Mail.Test. Ip4:192.0.2.1 "
		"MX:Mail.Test/24 -ALL"),
	    TXT("spf.mail.test", "v=spf1 -all"), MXS("mail.test", 1));
	EXPECT(NH_PASSED, "spf_ok");
	assert_string_equal(out.all, "-");
	assert_true(asked(&z, "spf.mail.test"));
	assert_true(asked(&z, "mail.test"));
	/* The tested name too. */
	memset(&z, 0, sizeof(z));
	{
		static const struct rr rr[] = { TXT(DOMAIN, "v=spf1 -all") };

		z.rr = rr;
		z.n = 1;
		nh_spf_judge("Example.TEST.", zone_lookup, &z, false, &out, &r);
	}
	EXPECT(NH_PASSED, "spf_ok");
	assert_string_equal(z.names[0], DOMAIN);
	/* A target that is no DNS name is not asked; it never matches. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 a:mail.example...com a:.test -all"));
	EXPECT(NH_WARNING, "invalid_name");
	HAS("spf_ok");
	assert_int_equal(z.asked, 1);
	assert_int_equal(out.lookups, 2);
	JUDGE(STD,
	    TXT(DOMAIN,
		"v=spf1 a:a1234567890123456789012345678901234567890"
		"12345678901234567890123.example.com -all"));
	EXPECT(NH_WARNING, "invalid_name");
	/* An include of one: permerror. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 include:x..test -all"));
	EXPECT(NH_FAILED, "include_missing");
}

static void
test_spf_notes(void **state)
{
	(void)state;
	JUDGE(STD,
	    TXT(DOMAIN,
		"v=spf1 ptr:mail.test moo=bar -all "
		"exp=explain.%{d}"));
	EXPECT(NH_INFO, "ptr");
	HAS("unknown_modifier");
	HAS("exp");
	HAS("spf_ok");
	MSG("ptr", "SHOULD NOT");
	MSG("unknown_modifier", "moo=bar");
	assert_int_equal(out.lookups, 1);
	assert_int_equal(z.asked, 1); /* ptr looks up the client, not us */
	/* A note is given once. */
	JUDGE(STD, TXT(DOMAIN, "v=spf1 ptr ptr ptr -all"));
	assert_int_equal(r.n, 2);
}

static void
test_spf_long_record(void **state)
{
	static char rec[NH_SPF_MAX_RECORD + 64];
	const char *txt[1] = { rec };
	struct rr rr[1] = { TXT(DOMAIN, NULL) };
	size_t o = 0;

	(void)state;
	/* Close to 64 KB, as TXT strings of 255 bytes joined: fine. */
	o += (size_t)snprintf(rec, sizeof(rec), "v=spf1");
	while (o < NH_SPF_MAX_RECORD - 32)
		o += (size_t)snprintf(
		    rec + o, sizeof(rec) - o, " ip4:192.0.2.%zu", o % 256);
	snprintf(rec + o, sizeof(rec) - o, " -all");
	rr[0].txt[0] = txt[0];
	run(rr, 1, false);
	EXPECT(NH_PASSED, "spf_ok");
	run(rr, 1, true);
	EXPECT(NH_PASSED, "spf_ok");
	/* Past 64 KB: not read. */
	memset(rec + o, ' ', sizeof(rec) - o - 6);
	snprintf(rec + sizeof(rec) - 6, 6, "-all");
	run(rr, 1, false);
	EXPECT(NH_FAILED, "syntax");
	MSG("syntax", "64 KB");
	assert_int_equal(nh_spf_queries(DOMAIN, rec, NULL, 0), 0);
}

static void
test_spf_queries(void **state)
{
	struct nh_spf_query q[8];
	size_t n;

	(void)state;
	n = nh_spf_queries(DOMAIN,
	    "v=spf1 a mx:MX.test. include:i.test exists:%{i}.x.test ptr "
	    "ip4:1.2.3.4 a:bad..test redirect=r.test",
	    q, 8);
	assert_int_equal(n, 5);
	assert_string_equal(q[0].name, DOMAIN);
	assert_int_equal(q[0].type, NH_SPF_Q_A);
	assert_false(q[0].macro);
	assert_string_equal(q[1].name, "mx.test");
	assert_int_equal(q[1].type, NH_SPF_Q_MX);
	assert_string_equal(q[2].name, "i.test");
	assert_int_equal(q[2].type, NH_SPF_Q_TXT);
	assert_string_equal(q[3].name, "%{i}.x.test");
	assert_int_equal(q[3].type, NH_SPF_Q_A);
	assert_true(q[3].macro);
	assert_string_equal(q[4].name, "r.test");
	assert_int_equal(q[4].type, NH_SPF_Q_TXT);
	/* Fewer places than questions: the count all the same. */
	memset(q, 0x5a, sizeof(q));
	assert_int_equal(nh_spf_queries(DOMAIN,
			     "v=spf1 a mx:MX.test. include:i.test "
			     "redirect=r.test",
			     q, 2),
	    4);
	assert_string_equal(q[1].name, "mx.test");
	assert_int_equal((unsigned char)q[2].name[0], 0x5a);
	assert_int_equal(nh_spf_queries(DOMAIN, "v=spf1 a mx", NULL, 0), 2);
	/* With an all: no redirect, nothing after it. */
	assert_int_equal(
	    nh_spf_queries(DOMAIN,
		"v=spf1 redirect=r.test include:i.test ~all a mx", q, 8),
	    1);
	assert_string_equal(q[0].name, "i.test");
	/* Not SPF, or invalid: nothing. */
	assert_int_equal(nh_spf_queries(DOMAIN, "hello a mx", q, 8), 0);
	assert_int_equal(nh_spf_queries(DOMAIN, "v=spf1 a mx:", q, 8), 0);
	assert_int_equal(nh_spf_queries(DOMAIN, "v=spf1 ip4:1.2.3.4", q, 8), 0);
	/* A long macro target is cut, NUL-terminated. */
	{
		char rec[600] = "v=spf1 exists:";
		size_t o = strlen(rec);

		while (o < 500) {
			memcpy(rec + o, "%{d}.", 5);
			o += 5;
		}
		memcpy(rec + o, "x.test", 7);
		assert_int_equal(nh_spf_queries(DOMAIN, rec, q, 8), 1);
		assert_true(q[0].macro);
		assert_int_equal(strlen(q[0].name), 255);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spf_ok),
		cmocka_unit_test(test_spf_missing),
		cmocka_unit_test(test_spf_multiple),
		cmocka_unit_test(test_spf_syntax),
		cmocka_unit_test(test_spf_syntax_valid),
		cmocka_unit_test(test_spf_all),
		cmocka_unit_test(test_spf_include),
		cmocka_unit_test(test_spf_redirect),
		cmocka_unit_test(test_spf_lookup_counting),
		cmocka_unit_test(test_spf_void_lookups),
		cmocka_unit_test(test_spf_loops),
		cmocka_unit_test(test_spf_macros),
		cmocka_unit_test(test_spf_lookup_errors),
		cmocka_unit_test(test_spf_case_and_names),
		cmocka_unit_test(test_spf_notes),
		cmocka_unit_test(test_spf_long_record),
		cmocka_unit_test(test_spf_queries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
