/*
 * test_webpol_dmarc.c: the DMARC record judge (RFC 7489 §6.4 with RFC 9091
 * and RFC 9989, as strict as Internet.nl's grammar), the record count
 * rule and the host of a mailto: report address, on records written by
 * hand: valid, malformed, hostile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "webpol/webpol.h"

#define PARSE(s) nh_dmarc_parse((s), strlen(s), &d, &r)

#define EXPECT(r, st, code) \
	do { \
		if ((r).status != (st) || !nh_webpol_find(&(r), (code))) \
			fail_msg( \
			    "line %d: status %s, expected %s with %s: %s", \
			    __LINE__, nh_status_name((r).status), \
			    nh_status_name(st), (code), \
			    (r).n ? (r).f[0].msg : "(none)"); \
	} while (0)

/* A record that must pass: dmarc_ok, valid, no failure. */
#define VALID(s) \
	do { \
		PARSE(s); \
		if (!d.valid || !nh_webpol_find(&r, "dmarc_ok") || \
		    r.status == NH_FAILED) \
			fail_msg("line %d: \"%s\" not valid: %s", __LINE__, \
			    (s), r.n ? r.f[0].msg : "(none)"); \
	} while (0)

/* A record that must fail with "syntax". */
#define INVALID(s) \
	do { \
		PARSE(s); \
		if (d.valid || r.status != NH_FAILED || \
		    !nh_webpol_find(&r, "syntax") || r.n != 1) \
			fail_msg("line %d: \"%s\" not rejected: %s", __LINE__, \
			    (s), r.n ? r.f[0].msg : "(none)"); \
	} while (0)

static void
test_dmarc_valid(void **state)
{
	struct nh_dmarc d;
	struct nh_webpol_result r;

	(void)state;
	/* The shortest policy; no rua is a note. */
	PARSE("v=DMARC1;p=reject");
	EXPECT(r, NH_INFO, "dmarc_ok");
	EXPECT(r, NH_INFO, "no_rua");
	assert_true(d.valid);
	assert_string_equal(d.p, "reject");
	assert_string_equal(d.sp, "");
	assert_string_equal(d.np, "");
	assert_false(d.testing);
	assert_int_equal(d.pct, 100);
	assert_int_equal(d.nrua, 0);
	assert_non_null(
	    strstr(nh_webpol_find(&r, "dmarc_ok")->msg, "p=reject"));

	/* A full record: a clean pass. */
	PARSE("v=DMARC1; p=quarantine; sp=reject; np=reject; "
	      "rua=mailto:dmarc@example.nl; ruf=mailto:f@example.nl; "
	      "adkim=s; aspf=r; ri=86400; fo=0:1:d:s; rf=afrf; pct=100; "
	      "psd=n; t=n");
	EXPECT(r, NH_PASSED, "dmarc_ok");
	assert_int_equal(r.n, 1);
	assert_string_equal(d.p, "quarantine");
	assert_string_equal(d.sp, "reject");
	assert_string_equal(d.np, "reject");
	assert_int_equal(d.nrua, 1);
	assert_string_equal(d.rua[0], "mailto:dmarc@example.nl");
	assert_int_equal(d.nruf, 1);
	assert_string_equal(d.ruf[0], "mailto:f@example.nl");
	assert_non_null(strstr(r.f[0].msg, "sp=reject, np=reject"));

	/* Internet.nl's suggested record (issue #2045). */
	VALID("v=DMARC1; p=reject; sp=reject; np=reject; psd=n; "
	      "rua=mailto:dmarc-rua@internet.nl");
	/* Names and words in any case; v in any case; white space (SP and
	 * HTAB) around '=', ';' and ','; a final ';' with white space. */
	VALID("V=DMARC1;P=REJECT;SP=None;RUA=mailto:a@b.example");
	assert_string_equal(d.p, "reject");
	assert_string_equal(d.sp, "none");
	VALID("v = DMARC1 ; p = reject ; rua = mailto:a@b.example , "
	      "mailto:c@d.example ; ");
	assert_int_equal(d.nrua, 2);
	assert_string_equal(d.rua[1], "mailto:c@d.example");
	VALID("v=DMARC1;\tp=reject;\trua=mailto:a@b.example");
	VALID("v=DMARC1; p=reject;");
	/* Tags after p in any order. */
	VALID("v=DMARC1; p=none; pct=50; aspf=s; sp=quarantine; adkim=r");
	/* fo and rf lists with white space around ':' as the ABNF has it. */
	VALID("v=DMARC1; p=none; fo=0 : 1:d; rf=afrf:iodef");
	VALID("v=DMARC1; p=none; rf=afrf :iodef");
	/* Other URI schemes are URIs too (Internet.nl asks for a scheme). */
	VALID("v=DMARC1; p=reject; rua=https://reports.example/dmarc");
	/* A record without p: valid, but a note (the policy check fails). */
	PARSE("v=DMARC1;");
	EXPECT(r, NH_INFO, "no_policy");
	assert_true(d.valid);
	assert_string_equal(d.p, "");
	/* The ABNF leaves an empty place for p: Internet.nl accepts it. */
	PARSE("v=DMARC1;;rua=mailto:a@b.example");
	EXPECT(r, NH_INFO, "no_policy");
	assert_int_equal(d.nrua, 1);
	VALID("v=DMARC1;;");
}

static void
test_dmarc_p_first(void **state)
{
	struct nh_dmarc d;
	struct nh_webpol_result r;

	(void)state;
	/* RFC 7489 §6.4 and Internet.nl: p directly after v. */
	INVALID("v=DMARC1; rua=mailto:x@y.example; p=reject");
	assert_non_null(strstr(r.f[0].msg, "must be p="));
	assert_non_null(strstr(r.f[0].msg, "character 11"));
	INVALID("v=DMARC1; sp=reject; p=reject");
	INVALID("v=DMARC1; pct=100; p=reject");
	/* Without p, another tag cannot come first either. */
	INVALID("v=DMARC1; rua=mailto:x@y.example");
	INVALID("v=DMARC1; sp=reject");
	/* Not after the empty place either. */
	INVALID("v=DMARC1;; p=reject");
	assert_non_null(strstr(r.f[0].msg, "directly after"));
	/* And out is cleared. */
	assert_string_equal(d.p, "");
	assert_int_equal(d.pct, 100);
	assert_int_equal(d.nrua, 0);
}

static void
test_dmarc_version(void **state)
{
	static const char *const bad[] = {
		"",                    /* empty */
		"v=DMARC1",            /* no ';' (RFC 7489 §6.4) */
		"v=DMARC1 ",           /* no ';' */
		"v=DMARC1 p=reject",   /* no ';' */
		"v=DMARC1,p=reject",   /* ',' is not ';' */
		"v=dmarc1; p=reject",  /* DMARC1 is case-sensitive */
		"v=DMARC2; p=reject",  /* another version */
		"v=DMARC10; p=reject", /* no ';' after DMARC1 */
		" v=DMARC1; p=reject", /* leading white space */
		"p=reject; v=DMARC1",  /* v first */
		"v:DMARC1; p=reject",  /* not '=' */
		"DMARC1; p=reject",
		"v=",
		"v",
	};
	struct nh_dmarc d;
	struct nh_webpol_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		INVALID(bad[i]);
	PARSE("v=dmarc1; p=reject");
	assert_non_null(strstr(r.f[0].msg, "capitals"));
	/* A NULL record of length 0. */
	nh_dmarc_parse(NULL, 0, &d, &r);
	EXPECT(r, NH_FAILED, "syntax");
	assert_false(d.valid);
}

static void
test_dmarc_tags_and_values(void **state)
{
	static const char *const bad[] = {
		/* unknown tags (RFC 7489 §6.3 would ignore them; Internet.nl
		 * does not) */
		"v=DMARC1; p=reject; foo=bar",
		"v=DMARC1; p=reject; x-tag=1",
		"v=DMARC1; p=reject; v=DMARC1",
		/* a tag twice */
		"v=DMARC1; p=reject; sp=none; sp=reject",
		"v=DMARC1; p=reject; p=reject",
		"v=DMARC1; p=reject; rua=mailto:a@b.example; "
		"rua=mailto:c@d.example",
		/* bad policy words */
		"v=DMARC1; p=rejected",
		"v=DMARC1; p=",
		"v=DMARC1; p",
		"v=DMARC1; p=reject,quarantine",
		"v=DMARC1; p=reject; sp=block",
		"v=DMARC1; p=reject; np=strict",
		"v=DMARC1; p=reject; sp=",
		/* other values */
		"v=DMARC1; p=reject; adkim=x",
		"v=DMARC1; p=reject; aspf=relaxed",
		"v=DMARC1; p=reject; ri=1d",
		"v=DMARC1; p=reject; ri=",
		"v=DMARC1; p=reject; fo=2",
		"v=DMARC1; p=reject; fo=0:",
		"v=DMARC1; p=reject; fo=0,1",
		"v=DMARC1; p=reject; rf=afrf-",
		"v=DMARC1; p=reject; rf=afrf: iodef",
		"v=DMARC1; p=reject; rf=",
		"v=DMARC1; p=reject; psd=yes",
		"v=DMARC1; p=reject; psd=x",
		"v=DMARC1; p=reject; t=yes",
		"v=DMARC1; p=reject; t=u",
		/* separators */
		"v=DMARC1; p=reject;; sp=none",
		"v=DMARC1; p=reject;;",
		"v=DMARC1; p=reject sp=none",
		"v=DMARC1; p=reject ",    /* white space without a final ';' */
		"v=DMARC1; p=reject\t",   /* the same */
		"v=DMARC1; p=reject; =x", /* no tag name */
		"v=DMARC1; p=reject; sp",
		"v=DMARC1; p=reject; sp:none",
	};
	struct nh_dmarc d;
	struct nh_webpol_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		INVALID(bad[i]);
	PARSE("v=DMARC1; p=reject; foo=bar");
	assert_non_null(strstr(r.f[0].msg, "unknown tag foo"));
	PARSE("v=DMARC1; p=reject; sp=none; sp=reject");
	assert_non_null(strstr(r.f[0].msg, "twice"));

	/* sp and np, every value. */
	VALID("v=DMARC1; p=none; sp=quarantine; np=reject");
	assert_string_equal(d.p, "none");
	assert_string_equal(d.sp, "quarantine");
	assert_string_equal(d.np, "reject");
	VALID("v=DMARC1; p=reject; np=none");
	assert_string_equal(d.np, "none");

	/* t=y: testing, noted (RFC 9989). */
	PARSE("v=DMARC1; p=quarantine; t=y; rua=mailto:a@b.example");
	EXPECT(r, NH_INFO, "testing");
	assert_true(d.valid && d.testing);
	VALID("v=DMARC1; p=reject; t=Y");
	assert_true(d.testing);
	VALID("v=DMARC1; p=reject; t=n");
	assert_false(d.testing);
	assert_null(nh_webpol_find(&r, "testing"));
	VALID("v=DMARC1; p=reject; psd=u");
	VALID("v=DMARC1; p=reject; psd=y");
}

static void
test_dmarc_pct(void **state)
{
	static const char *const bad[] = {
		"v=DMARC1; p=reject; pct=101",
		"v=DMARC1; p=reject; pct=999", /* Internet.nl takes 1*3DIGIT */
		"v=DMARC1; p=reject; pct=1000",
		"v=DMARC1; p=reject; pct=0100",
		"v=DMARC1; p=reject; pct=-1",
		"v=DMARC1; p=reject; pct=50%",
		"v=DMARC1; p=reject; pct=",
		"v=DMARC1; p=reject; pct=5.5",
		"v=DMARC1; p=reject; pct=99999999999999999999",
	};
	struct nh_dmarc d;
	struct nh_webpol_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		INVALID(bad[i]);
	PARSE("v=DMARC1; p=reject; pct=101");
	assert_non_null(strstr(r.f[0].msg, "0 to 100"));

	VALID("v=DMARC1; p=reject; pct=100; rua=mailto:a@b.example");
	assert_int_equal(d.pct, 100);
	assert_null(nh_webpol_find(&r, "pct"));
	assert_int_equal(r.status, NH_PASSED);
	PARSE("v=DMARC1; p=reject; pct=0; rua=mailto:a@b.example");
	EXPECT(r, NH_INFO, "pct");
	assert_int_equal(d.pct, 0);
	PARSE("v=DMARC1; p=quarantine; pct=25; rua=mailto:a@b.example");
	EXPECT(r, NH_INFO, "pct");
	assert_int_equal(d.pct, 25);
	assert_non_null(strstr(nh_webpol_find(&r, "pct")->msg, "25%"));
	VALID("v=DMARC1; p=reject; pct=007");
	assert_int_equal(d.pct, 7);
}

static void
test_dmarc_uris(void **state)
{
	static const char *const bad[] = {
		/* no scheme (Internet.nl: "URI scheme is missing") */
		"v=DMARC1; p=reject; rua=dmarc@example.nl",
		"v=DMARC1; p=reject; ruf=dmarc@example.nl",
		/* nothing (Internet.nl issue #397) */
		"v=DMARC1; p=reject; rua=",
		"v=DMARC1; p=reject; rua=;",
		"v=DMARC1; p=reject; rua=mailto:a@b.example,",
		"v=DMARC1; p=reject; rua=mailto:a@b.example,,mailto:c@d",
		/* '!' twice, or not followed by a size */
		"v=DMARC1; p=reject; rua=mailto:a!b@c.example!10m",
		"v=DMARC1; p=reject; rua=mailto:a@b.example!",
		"v=DMARC1; p=reject; rua=mailto:a@b.example!m",
		"v=DMARC1; p=reject; rua=mailto:a@b.example!10x",
		"v=DMARC1; p=reject; rua=mailto:a@b.example!10mb",
		/* not a URI */
		"v=DMARC1; p=reject; rua=mailto:",
		"v=DMARC1; p=reject; rua=mailto:a@b.example%zz",
		"v=DMARC1; p=reject; rua=mailto:<a@b.example>",
		"v=DMARC1; p=reject; rua=1mailto:a@b.example",
		"v=DMARC1; p=reject; rua=mailto:a@b.exa\x01mple",
		"v=DMARC1; p=reject; rua=mailto:a@b.exa\xffmple",
		/* white space inside */
		"v=DMARC1; p=reject; rua=mailto: a@b.example",
	};
	struct nh_dmarc d;
	struct nh_webpol_result r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		INVALID(bad[i]);
	PARSE("v=DMARC1; p=reject; rua=dmarc@example.nl");
	assert_non_null(strstr(r.f[0].msg, "no URI scheme"));

	/* The size suffix is taken off (RFC 7489 §6.4 dmarc-uri). */
	VALID("v=DMARC1; p=reject; rua=mailto:a@b.example!10m, "
	      "mailto:c@d.example!5; ruf=mailto:e@f.example!1G");
	assert_int_equal(r.status, NH_PASSED);
	assert_int_equal(d.nrua, 2);
	assert_string_equal(d.rua[0], "mailto:a@b.example");
	assert_string_equal(d.rua[1], "mailto:c@d.example");
	assert_string_equal(d.ruf[0], "mailto:e@f.example");
	/* An encoded '!' and ',' are fine. */
	VALID("v=DMARC1; p=reject; rua=mailto:a%21b%2Cc@d.example");
	assert_string_equal(d.rua[0], "mailto:a%21b%2Cc@d.example");

	/* More than 8, or longer than 255: valid, not kept, noted. */
	PARSE("v=DMARC1; p=reject; rua=mailto:1@x.example,mailto:2@x.example,"
	      "mailto:3@x.example,mailto:4@x.example,mailto:5@x.example,"
	      "mailto:6@x.example,mailto:7@x.example,mailto:8@x.example,"
	      "mailto:9@x.example");
	EXPECT(r, NH_INFO, "uri_not_kept");
	assert_true(d.valid);
	assert_int_equal(d.nrua, NH_DMARC_MAX_URIS);
	assert_string_equal(d.rua[7], "mailto:8@x.example");
	{
		char rec[400] = "v=DMARC1; p=reject; rua=mailto:";
		size_t n = strlen(rec);

		memset(rec + n, 'a', 260);
		memcpy(rec + n + 260, "@b.example", 11);
		PARSE(rec);
		EXPECT(r, NH_INFO, "uri_not_kept");
		assert_int_equal(d.nrua, 0);
		/* 255 bytes fit. */
		memcpy(rec + n + 255 - 17, "@b.example", 11);
		PARSE(rec);
		assert_true(d.valid);
		assert_int_equal(d.nrua, 1);
		assert_int_equal(strlen(d.rua[0]), 255);
	}
}

static void
test_dmarc_hostile(void **state)
{
	static const char nul[] = "v=DMARC1; p=reject\0; sp=none";
	static const char nul2[] = "v=DMARC1; p=reject; rua=mailto:a@b\0c";
	struct nh_dmarc d;
	struct nh_webpol_result r;
	char big[4096];

	(void)state;
	/* NULs are data, not the end. */
	nh_dmarc_parse(nul, sizeof(nul) - 1, &d, &r);
	EXPECT(r, NH_FAILED, "syntax");
	nh_dmarc_parse(nul, 18, &d, &r); /* up to the NUL: fine */
	assert_true(d.valid);
	nh_dmarc_parse(nul2, sizeof(nul2) - 1, &d, &r);
	EXPECT(r, NH_FAILED, "syntax");
	/* Nothing is read past len. */
	nh_dmarc_parse("v=DMARC1; p=rejectXYZ", 18, &d, &r);
	assert_true(d.valid);
	assert_string_equal(d.p, "reject");
	/* Messages are printable. */
	PARSE("v=DMARC1; p=\x1b[31mreject");
	EXPECT(r, NH_FAILED, "syntax");
	assert_null(strchr(r.f[0].msg, '\x1b'));
	/* A long record: the message is cut, the error found. */
	memcpy(big, "v=DMARC1; p=reject; ", 20);
	memset(big + 20, 'x', sizeof(big) - 21);
	big[sizeof(big) - 1] = '\0';
	PARSE(big);
	EXPECT(r, NH_FAILED, "syntax");
	assert_true(strlen(r.f[0].msg) < NH_WEBPOL_MSG);
}

static void
test_dmarc_is_record(void **state)
{
	(void)state;
	assert_true(nh_dmarc_is_record("v=DMARC1; p=reject", 18));
	assert_true(nh_dmarc_is_record("V=dmarc1", 8));
	assert_true(nh_dmarc_is_record("v=DMARC1", 8));
	/* Counted, then judged invalid: as Internet.nl counts them. */
	assert_true(nh_dmarc_is_record("v=DMARC10", 9));
	assert_false(nh_dmarc_is_record("v=DMARC", 7));
	assert_false(nh_dmarc_is_record("v=DMARC1", 7));
	assert_false(nh_dmarc_is_record(" v=DMARC1", 9));
	assert_false(nh_dmarc_is_record("v = DMARC1", 10));
	assert_false(nh_dmarc_is_record("v=spf1 -all", 11));
	assert_false(nh_dmarc_is_record(NULL, 0));
}

static void
test_dmarc_uri_host(void **state)
{
	char h[256], small[5];

	(void)state;
	assert_true(nh_dmarc_uri_host("mailto:a@b.example", h, sizeof(h)));
	assert_string_equal(h, "b.example");
	/* The size suffix, case, a trailing dot, headers. */
	assert_true(nh_dmarc_uri_host("mailto:a@B.Example!10m", h, sizeof(h)));
	assert_string_equal(h, "b.example");
	assert_true(nh_dmarc_uri_host("MAILTO:a@b.example.", h, sizeof(h)));
	assert_string_equal(h, "b.example");
	assert_true(nh_dmarc_uri_host(
	    "mailto:a@rep.example.net?subject=x@y", h, sizeof(h)));
	assert_string_equal(h, "rep.example.net");
	/* The last '@' (an encoded or quoted one in the local part). */
	assert_true(nh_dmarc_uri_host("mailto:a@b@c.example", h, sizeof(h)));
	assert_string_equal(h, "c.example");
	assert_true(
	    nh_dmarc_uri_host("mailto:x_1@_dmarc-r.example", h, sizeof(h)));
	assert_string_equal(h, "_dmarc-r.example");

	static const char *const none[] = {
		"https://b.example/",
		"mailto:b.example",
		"mailto:@b.example",
		"mailto:a@",
		"mailto:a@.",
		"mailto:a@b..example",
		"mailto:a@.b.example",
		"mailto:a@[192.0.2.1]",
		"mailto:a@b%2Eexample",
		"mailto:a@b example",
		"mailto:a@b\xc3\xa9.example",
		"mailto:",
		"",
	};
	for (size_t i = 0; i < sizeof(none) / sizeof(*none); i++) {
		strcpy(h, "junk");
		if (nh_dmarc_uri_host(none[i], h, sizeof(h)) || h[0] != '\0')
			fail_msg("\"%s\" gave host \"%s\"", none[i], h);
	}
	/* A label of 64 is too long; 63 fits. */
	{
		char u[128] = "mailto:a@";

		memset(u + 9, 'x', 64);
		memcpy(u + 73, ".example", 9);
		assert_false(nh_dmarc_uri_host(u, h, sizeof(h)));
		memmove(u + 9, u + 10, strlen(u + 10) + 1);
		assert_true(nh_dmarc_uri_host(u, h, sizeof(h)));
	}
	/* It must fit. */
	assert_false(nh_dmarc_uri_host("mailto:a@b.example", small, 5));
	assert_string_equal(small, "");
	assert_true(nh_dmarc_uri_host("mailto:a@b.ex", small, 5));
	assert_string_equal(small, "b.ex");
	assert_false(nh_dmarc_uri_host("mailto:a@b.ex", h, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dmarc_valid),
		cmocka_unit_test(test_dmarc_p_first),
		cmocka_unit_test(test_dmarc_version),
		cmocka_unit_test(test_dmarc_tags_and_values),
		cmocka_unit_test(test_dmarc_pct),
		cmocka_unit_test(test_dmarc_uris),
		cmocka_unit_test(test_dmarc_hostile),
		cmocka_unit_test(test_dmarc_is_record),
		cmocka_unit_test(test_dmarc_uri_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
