/*
 * test_webpol_mtasts.c: the MTA-STS judges (RFC 8461: the _mta-sts TXT
 * record, the policy file as served, its mx patterns against the MX host
 * names) and the TLS-RPT record judge (RFC 8460 §3), on records and
 * policies written by hand: valid, malformed, hostile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "webpol/webpol.h"

#define EXPECT(r, st, code) \
	do { \
		if ((r).status != (st) || !nh_webpol_find(&(r), (code))) \
			fail_msg( \
			    "line %d: status %s, expected %s with %s: %s", \
			    __LINE__, nh_status_name((r).status), \
			    nh_status_name(st), (code), \
			    (r).n ? (r).f[0].msg : "(none)"); \
	} while (0)

#define HAS(r, code) \
	do { \
		if (!nh_webpol_find(&(r), (code))) \
			fail_msg("line %d: no %s: %s", __LINE__, (code), \
			    (r).n ? (r).f[0].msg : "(none)"); \
	} while (0)

#define TXT(s) nh_mtasts_txt((s), strlen(s), id, sizeof(id), &r)
#define TLSRPT(s) nh_tlsrpt_txt((s), strlen(s), &r)

static void
test_sts_record(void **state)
{
	static const char *const bad[] = {
		"",
		"v=STSv1",         /* no id (and no field) */
		"v=STSv1;",        /* the same */
		"v=stsv1; id=1",   /* case-sensitive */
		"v=STSv2; id=1",   /* another version */
		" v=STSv1; id=1",  /* leading white space */
		"v=STSv1 id=1",    /* no ';' */
		"v=STSv1; id=",    /* empty id */
		"v=STSv1; id=a-b", /* id: letters and digits */
		"v=STSv1; id=a_b", /* the same */
		"v=STSv1; id=123456789012345678901234567890123", /* 33 */
		"v=STSv1; id =1",       /* no white space before '=' */
		"v=STSv1; id= 1",       /* nor after */
		"v=STSv1; id=1 ",       /* white space at the end without ';' */
		"v=STSv1; id=1;;",      /* an empty field */
		"v=STSv1; id=1; x",     /* a field without '=' */
		"v=STSv1; id=1; x=",    /* without a value */
		"v=STSv1; id=1; x=a=b", /* '=' in a value */
		"v=STSv1; id=1; _x=1",  /* a name starts alphanumeric */
		"v=STSv1; id=1; "
		"a23456789012345678901234567890123=1", /* a name of 33 */
		"v=STSv1; id=1\x01",
	};
	struct nh_webpol_result r;
	char id[33];

	(void)state;
	TXT("v=STSv1; id=20160831085700Z;");
	EXPECT(r, NH_PASSED, "mtasts_record_ok");
	assert_string_equal(id, "20160831085700Z");
	TXT("v=STSv1;id=1");
	EXPECT(r, NH_PASSED, "mtasts_record_ok");
	assert_string_equal(id, "1");
	/* Extensions are ignored; white space around ';'; 32 characters. */
	TXT("v=STSv1 ;\tfoo.bar-baz_1=x!y ; id=12345678901234567890123456789012"
	    " ; ");
	EXPECT(r, NH_PASSED, "mtasts_record_ok");
	assert_int_equal(strlen(id), 32);
	/* id repeated: the first counts. */
	TXT("v=STSv1; id=first; id=second");
	EXPECT(r, NH_INFO, "duplicate_field");
	assert_string_equal(id, "first");
	/* ID= is an unknown field: no id. */
	TXT("v=STSv1; ID=1");
	EXPECT(r, NH_WARNING, "mtasts_record_no_id");
	assert_string_equal(id, "");

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		strcpy(id, "junk");
		TXT(bad[i]);
		if (r.status != NH_WARNING || id[0] != '\0' ||
		    (!nh_webpol_find(&r, "mtasts_record_syntax") &&
			!nh_webpol_find(&r, "mtasts_record_no_id")))
			fail_msg("\"%s\": %s %s", bad[i],
			    nh_status_name(r.status), r.f[0].msg);
	}
	TXT("v=STSv1; id=a-b");
	assert_non_null(strstr(r.f[0].msg, "character 13"));
	assert_non_null(strstr(r.f[0].msg, "1 to 32"));

	/* NULs are data; an id that does not fit is left out. */
	nh_mtasts_txt("v=STSv1; id=1\0", 14, id, sizeof(id), &r);
	EXPECT(r, NH_WARNING, "mtasts_record_syntax");
	nh_mtasts_txt("v=STSv1; id=12345", 17, id, 4, &r);
	EXPECT(r, NH_PASSED, "mtasts_record_ok");
	assert_string_equal(id, "");
	nh_mtasts_txt("v=STSv1; id=1", 13, NULL, 0, &r);
	EXPECT(r, NH_PASSED, "mtasts_record_ok");
	nh_mtasts_txt(NULL, 0, id, sizeof(id), &r);
	EXPECT(r, NH_WARNING, "mtasts_record_syntax");

	/* Discovery keeps records that begin with "v=STSv1;". */
	assert_true(nh_mtasts_is_record("v=STSv1; id=1", 13));
	assert_true(nh_mtasts_is_record("v=STSv1;", 8));
	assert_false(nh_mtasts_is_record("v=STSv1", 7));
	assert_false(nh_mtasts_is_record("v=STSv1 ; id=1", 14));
	assert_false(nh_mtasts_is_record("v=stsv1; id=1", 13));
	assert_false(nh_mtasts_is_record(NULL, 0));
}

/* The answer of a well-behaved policy host with this body. */
static struct nh_mtasts_fetch
fetch(const char *body)
{
	struct nh_mtasts_fetch f = { 200, "text/plain", body, strlen(body),
		false };

	return f;
}

#define POLICY(body, ...) \
	do { \
		const char *const mx_[] = { __VA_ARGS__ }; \
		struct nh_mtasts_fetch f_ = fetch(body); \
		nh_mtasts_policy( \
		    &f_, mx_, sizeof(mx_) / sizeof(*mx_), &p, &r); \
	} while (0)

static void
test_sts_policy_valid(void **state)
{
	struct nh_mtasts_policy p;
	struct nh_webpol_result r;

	(void)state;
	/* RFC 8461 §3.2's example, LF. */
	POLICY("version: STSv1\nmode: enforce\nmx: mail.example.com\n"
	       "mx: *.example.net\nmx: backupmx.example.com\n"
	       "max_age: 604800\n",
	    "mail.example.com", "mx1.example.net", "backupmx.example.com");
	EXPECT(r, NH_PASSED, "mtasts_ok");
	assert_int_equal(r.n, 1);
	assert_true(p.valid);
	assert_string_equal(p.mode, "enforce");
	assert_int_equal(p.max_age, 604800);
	assert_int_equal(p.nmx, 3);
	assert_string_equal(p.mx[1], "*.example.net");
	assert_non_null(strstr(r.f[0].msg, "every MX host matched"));

	/* CRLF, no final line break, fields in any order, extensions,
	 * white space after ':' and at the ends of lines, the maximum
	 * max_age, MX names in another case and with a trailing dot. */
	POLICY("mode: enforce\r\nmx:MAIL.example.com  \r\nfoo_bar: x y z\r\n"
	       "max_age:\t31557600\r\nversion: STSv1",
	    "mail.EXAMPLE.com.");
	EXPECT(r, NH_PASSED, "mtasts_ok");
	assert_int_equal(p.max_age, 31557600);
	assert_string_equal(p.mx[0], "MAIL.example.com");

	/* Mode testing and none: notes. */
	POLICY("version: STSv1\nmode: testing\nmx: mx.example\n"
	       "max_age: 1209600\n",
	    "mx.example");
	EXPECT(r, NH_INFO, "mode_testing");
	assert_true(p.valid);
	assert_null(nh_webpol_find(&r, "mtasts_ok"));
	/* Mode none needs no mx; nothing is matched. */
	POLICY("version: STSv1\nmode: none\nmax_age: 86400\n", "mx.example");
	EXPECT(r, NH_INFO, "mode_none");
	assert_true(p.valid);
	assert_null(nh_webpol_find(&r, "mx_missing"));
	assert_null(nh_webpol_find(&r, "mx_mismatch"));
	/* No MX names given: nothing to mismatch. */
	{
		struct nh_mtasts_fetch f = fetch("version: STSv1\nmode: "
						 "enforce\nmx: a.example\n"
						 "max_age: 604800\n");

		nh_mtasts_policy(&f, NULL, 0, &p, &r);
		EXPECT(r, NH_PASSED, "mtasts_ok");
	}
	/* A repeated field: the first counts. */
	POLICY("version: STSv1\nmode: enforce\nmode: none\nmx: a.example\n"
	       "max_age: 604800\nmax_age: 1\n",
	    "a.example");
	EXPECT(r, NH_INFO, "duplicate_field");
	HAS(r, "mtasts_ok");
	assert_string_equal(p.mode, "enforce");
	assert_int_equal(p.max_age, 604800);
	assert_non_null(
	    strstr(nh_webpol_find(&r, "duplicate_field")->msg, "line 3"));
	/* Content-Type parameters are ignored, case too. */
	{
		struct nh_mtasts_fetch f = fetch("version: STSv1\nmode: "
						 "enforce\nmx: a.example\n"
						 "max_age: 604800\n");
		const char *mx = "a.example";

		f.content_type = "Text/Plain; charset=utf-8";
		nh_mtasts_policy(&f, &mx, 1, &p, &r);
		EXPECT(r, NH_PASSED, "mtasts_ok");
	}
	/* More than 16 patterns: the first 16 kept, all matched. */
	{
		char body[2048] = "version: STSv1\nmode: enforce\n"
				  "max_age: 604800\n";
		const char *mx = "mx19.example";

		for (int i = 0; i < 20; i++) {
			size_t o = strlen(body);

			snprintf(body + o, sizeof(body) - o,
			    "mx: mx%d.example\n", i);
		}
		{
			struct nh_mtasts_fetch f = fetch(body);

			nh_mtasts_policy(&f, &mx, 1, &p, &r);
		}
		EXPECT(r, NH_PASSED, "mtasts_ok");
		assert_int_equal(p.nmx, 16);
		assert_string_equal(p.mx[15], "mx15.example");
		assert_non_null(strstr(r.f[0].msg, "20 mx patterns"));
	}
}

static void
test_sts_policy_max_age(void **state)
{
	struct nh_mtasts_policy p;
	struct nh_webpol_result r;

	(void)state;
	POLICY("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 0\n",
	    "a.example");
	EXPECT(r, NH_INFO, "max_age_short");
	assert_true(p.valid);
	assert_non_null(strstr(
	    nh_webpol_find(&r, "max_age_short")->msg, "less than a day"));
	POLICY("version: STSv1\nmode: enforce\nmx: a.example\n"
	       "max_age: 86399\n",
	    "a.example");
	assert_non_null(strstr(
	    nh_webpol_find(&r, "max_age_short")->msg, "less than a day"));
	POLICY("version: STSv1\nmode: enforce\nmx: a.example\n"
	       "max_age: 86400\n",
	    "a.example");
	EXPECT(r, NH_INFO, "max_age_short");
	assert_non_null(strstr(
	    nh_webpol_find(&r, "max_age_short")->msg, "less than a week"));
	HAS(r, "mtasts_ok");
	POLICY("version: STSv1\nmode: enforce\nmx: a.example\n"
	       "max_age: 604800\n",
	    "a.example");
	EXPECT(r, NH_PASSED, "mtasts_ok");
	assert_null(nh_webpol_find(&r, "max_age_short"));

	static const char *const bad[] = {
		"31557601",
		"99999999999",
		"0000000000031557600",
		"-1",
		"1e6",
		"7d",
		"",
		"604800 s",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char body[256];
		const char *mx = "a.example";
		struct nh_mtasts_fetch f;

		snprintf(body, sizeof(body),
		    "version: STSv1\nmode: enforce\nmx: a.example\n"
		    "max_age: %s\n",
		    bad[i]);
		f = fetch(body);
		nh_mtasts_policy(&f, &mx, 1, &p, &r);
		if (p.valid || r.status != NH_WARNING ||
		    !nh_webpol_find(&r, "max_age_invalid"))
			fail_msg("max_age \"%s\": %s", bad[i], r.f[0].msg);
		assert_int_equal(p.max_age, 0);
	}
	/* 10 digits with leading zeros are fine. */
	POLICY("version: STSv1\nmode: enforce\nmx: a.example\n"
	       "max_age: 0000604800\n",
	    "a.example");
	EXPECT(r, NH_PASSED, "mtasts_ok");
}

static void
test_sts_policy_errors(void **state)
{
	struct nh_mtasts_policy p;
	struct nh_webpol_result r;

	(void)state;
	/* Missing fields. */
	POLICY("", "a.example");
	EXPECT(r, NH_WARNING, "version_missing");
	HAS(r, "mode_missing");
	HAS(r, "max_age_missing");
	HAS(r, "mx_missing");
	assert_false(p.valid);
	POLICY("version: STSv1\nmode: enforce\nmax_age: 604800\n", "a.example");
	EXPECT(r, NH_WARNING, "mx_missing");
	assert_false(p.valid);
	assert_string_equal(p.mode, "enforce");
	POLICY("version: STSv1\nmode: testing\nmax_age: 604800\n", "a.example");
	EXPECT(r, NH_WARNING, "mx_missing");
	/* Bad values; values and keys are case-sensitive. */
	POLICY("version: STSv2\nmode: enforce\nmx: a.example\n"
	       "max_age: 604800\n",
	    "a.example");
	EXPECT(r, NH_WARNING, "version_invalid");
	assert_false(p.valid);
	POLICY("version: stsv1\nmode: enforce\nmx: a.example\n"
	       "max_age: 604800\n",
	    "a.example");
	EXPECT(r, NH_WARNING, "version_invalid");
	POLICY("version: STSv1\nmode: Enforce\nmx: a.example\n"
	       "max_age: 604800\n",
	    "a.example");
	EXPECT(r, NH_WARNING, "mode_invalid");
	assert_non_null(
	    strstr(nh_webpol_find(&r, "mode_invalid")->msg, "lower case"));
	assert_string_equal(p.mode, "");
	POLICY("version: STSv1\nmode: enforcing\nmx: a.example\n"
	       "max_age: 604800\n",
	    "a.example");
	EXPECT(r, NH_WARNING, "mode_invalid");
	POLICY("version: STSv1\nMode: enforce\nmx: a.example\n"
	       "max_age: 604800\n",
	    "a.example");
	EXPECT(r, NH_WARNING, "key_case");
	HAS(r, "mode_missing");
	/* Lines not "key: value". */
	POLICY("version: STSv1\nmode: enforce\nmx : a.example\n mx: b.example\n"
	       "max_age=604800\nmx: c.example\nmax_age: 604800\nbroken\n",
	    "c.example");
	EXPECT(r, NH_WARNING, "policy_syntax");
	assert_non_null(strstr(r.f[0].msg, "line 3"));
	assert_non_null(strstr(r.f[0].msg, "before the ':'"));
	assert_non_null(strstr(r.f[1].msg, "line 4"));
	assert_non_null(strstr(r.f[2].msg, "line 5"));
	assert_non_null(strstr(r.f[3].msg, "1 more line"));
	assert_true(p.valid); /* the required fields are there */
	/* Control characters and invalid UTF-8 in a value. */
	POLICY("version: STSv1\nmode: enforce\nmx: a.example\n"
	       "max_age: 604800\nx: \x01\ny: \xff\nz: caf\xc3\xa9\n",
	    "a.example");
	EXPECT(r, NH_WARNING, "policy_syntax");
	assert_null(strchr(r.f[0].msg, '\x01'));
	assert_non_null(strstr(r.f[1].msg, "line 6"));
	assert_int_equal(r.n, 3); /* two lines and mtasts_ok; line 7 ok */
	/* Many bad lines of each kind: 3 named, the rest counted, so an MX
	 * host that matches nothing is still reported. */
	{
		char body[4096] = "version: STSv1\nmode: enforce\n"
				  "max_age: 604800\nmx: a.example\n";
		const char *mx = "b.example";
		struct nh_mtasts_fetch f;

		for (int i = 0; i < 50; i++) {
			size_t o = strlen(body);

			snprintf(body + o, sizeof(body) - o,
			    "mx: -%d\nMX: x\nbad%d\n", i, i);
		}
		f = fetch(body);
		nh_mtasts_policy(&f, &mx, 1, &p, &r);
		EXPECT(r, NH_WARNING, "mx_mismatch");
		assert_int_equal(r.dropped, 0);
		assert_int_equal(r.n, 13); /* 3 + 1 of each kind, mismatch */
		assert_non_null(strstr(r.f[9].msg, "47 more lines"));
		assert_non_null(strstr(r.f[10].msg, "47 more mx lines"));
		assert_non_null(strstr(r.f[11].msg, "47 more lines"));
		assert_true(p.valid);
	}
	/* Blank lines: noted. */
	POLICY("version: STSv1\n\nmode: enforce\nmx: a.example\n"
	       "max_age: 604800\n\r\n",
	    "a.example");
	EXPECT(r, NH_INFO, "blank_line");
	assert_non_null(
	    strstr(nh_webpol_find(&r, "blank_line")->msg, "2 empty lines"));
	HAS(r, "mtasts_ok");
}

static void
test_sts_policy_mx(void **state)
{
	struct nh_mtasts_policy p;
	struct nh_webpol_result r;

	(void)state;
	/* RFC 8461 §4.1: "*." stands for exactly one left-most label. */
	POLICY("version: STSv1\nmode: enforce\nmx: *.example.com\n"
	       "max_age: 604800\n",
	    "mx.example.com");
	EXPECT(r, NH_PASSED, "mtasts_ok");
	POLICY("version: STSv1\nmode: enforce\nmx: *.example.com\n"
	       "max_age: 604800\n",
	    "a.b.example.com");
	EXPECT(r, NH_WARNING, "mx_mismatch");
	assert_non_null(strstr(r.f[0].msg, "a.b.example.com"));
	assert_true(p.valid); /* the policy is fine; the MX is not */
	assert_null(nh_webpol_find(&r, "mtasts_ok"));
	POLICY("version: STSv1\nmode: enforce\nmx: *.example.com\n"
	       "max_age: 604800\n",
	    "example.com");
	EXPECT(r, NH_WARNING, "mx_mismatch");
	POLICY("version: STSv1\nmode: enforce\nmx: *.example.com\n"
	       "max_age: 604800\n",
	    ".example.com");
	EXPECT(r, NH_WARNING, "mx_mismatch");
	POLICY("version: STSv1\nmode: enforce\nmx: *.example.com\n"
	       "max_age: 604800\n",
	    "mxexample.com");
	EXPECT(r, NH_WARNING, "mx_mismatch");
	/* Not a suffix match either. */
	POLICY("version: STSv1\nmode: enforce\nmx: example.com\n"
	       "max_age: 604800\n",
	    "mx.example.com");
	EXPECT(r, NH_WARNING, "mx_mismatch");
	/* One MX of two unmatched; in testing mode too. */
	POLICY("version: STSv1\nmode: testing\nmx: mx1.example\n"
	       "max_age: 604800\n",
	    "mx1.example", "mx2.example");
	EXPECT(r, NH_WARNING, "mx_mismatch");
	HAS(r, "mode_testing");
	assert_non_null(strstr(r.f[0].msg, "mx2.example"));
	assert_null(strstr(r.f[0].msg, "mx1.example"));
	/* A NULL name matches nothing; names are shown printably. */
	POLICY("version: STSv1\nmode: enforce\nmx: a.example\n"
	       "max_age: 604800\n",
	    NULL, "bad\x1b.example");
	EXPECT(r, NH_WARNING, "mx_mismatch");
	assert_int_equal(r.n, 2);
	assert_null(strchr(r.f[1].msg, '\x1b'));

	/* Patterns that are not host names: warned, not kept, not matched. */
	static const char *const bad[] = {
		"*",
		"*.",
		"a.*.example",
		"*example.com",
		"**.example.com",
		"mx.example.",
		"-mx.example",
		"mx-.example",
		"mx..example",
		"mx_1.example",
		"mx.exa mple",
		"[192.0.2.1]",
		"m\xc3\xa9.example",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char body[256];
		const char *mx = bad[i];
		struct nh_mtasts_fetch f;

		snprintf(body, sizeof(body),
		    "version: STSv1\nmode: enforce\nmx: %s\n"
		    "max_age: 604800\n",
		    bad[i]);
		f = fetch(body);
		nh_mtasts_policy(&f, &mx, 1, &p, &r);
		if (!nh_webpol_find(&r, "mx_invalid") ||
		    !nh_webpol_find(&r, "mx_missing") || p.nmx != 0 || p.valid)
			fail_msg("mx \"%s\": %s", bad[i], r.f[0].msg);
	}
	/* A label of 63 is a host name; 64 is not. */
	{
		char body[256], name[80];
		const char *mx = name;
		struct nh_mtasts_fetch f;

		memset(name, 'a', 63);
		memcpy(name + 63, ".example", 9);
		snprintf(body, sizeof(body),
		    "version: STSv1\nmode: enforce\nmx: *.%s\n"
		    "max_age: 604800\n",
		    name);
		memcpy(name, "x.", 2);
		memset(name + 2, 'a', 63);
		memcpy(name + 65, ".example", 9);
		f = fetch(body);
		nh_mtasts_policy(&f, &mx, 1, &p, &r);
		EXPECT(r, NH_PASSED, "mtasts_ok");
		memset(name, 'a', 64);
		memcpy(name + 64, ".example", 9);
		snprintf(body, sizeof(body),
		    "version: STSv1\nmode: enforce\nmx: %s\n"
		    "max_age: 604800\n",
		    name);
		f = fetch(body);
		nh_mtasts_policy(&f, &mx, 1, &p, &r);
		HAS(r, "mx_invalid");
	}
}

static void
test_sts_policy_http(void **state)
{
	static const char good[] = "version: STSv1\nmode: enforce\n"
				   "mx: a.example\nmax_age: 604800\n";
	const char *mx = "a.example";
	struct nh_mtasts_policy p;
	struct nh_webpol_result r;
	struct nh_mtasts_fetch f;

	(void)state;
	f = fetch(good);
	f.status = 404;
	nh_mtasts_policy(&f, &mx, 1, &p, &r);
	EXPECT(r, NH_WARNING, "http_status");
	assert_int_equal(r.n, 1);
	assert_non_null(strstr(r.f[0].msg, "404"));
	assert_false(p.valid);
	assert_int_equal(p.nmx, 0);
	f.status = 0;
	nh_mtasts_policy(&f, &mx, 1, &p, &r);
	EXPECT(r, NH_WARNING, "http_status");
	f.status = 301;
	nh_mtasts_policy(&f, &mx, 1, &p, &r);
	EXPECT(r, NH_WARNING, "http_status");

	/* A redirect followed: senders would not; the body is judged. */
	f = fetch(good);
	f.redirected = true;
	nh_mtasts_policy(&f, &mx, 1, &p, &r);
	EXPECT(r, NH_WARNING, "redirected");
	assert_false(p.valid);
	assert_null(nh_webpol_find(&r, "mtasts_ok"));
	assert_string_equal(p.mode, "enforce");
	assert_int_equal(p.nmx, 1);

	/* Content-Type (§3.2). */
	f = fetch(good);
	f.content_type = "text/html; charset=utf-8";
	nh_mtasts_policy(&f, &mx, 1, &p, &r);
	EXPECT(r, NH_WARNING, "content_type");
	assert_non_null(strstr(r.f[0].msg, "text/html"));
	assert_false(p.valid);
	f.content_type = NULL;
	nh_mtasts_policy(&f, &mx, 1, &p, &r);
	EXPECT(r, NH_WARNING, "content_type");
	f.content_type = "  ";
	nh_mtasts_policy(&f, &mx, 1, &p, &r);
	EXPECT(r, NH_WARNING, "content_type");
	f.content_type = "text/plainx";
	nh_mtasts_policy(&f, &mx, 1, &p, &r);
	EXPECT(r, NH_WARNING, "content_type");

	/* An empty body, a NULL one. */
	f.content_type = "text/plain";
	f.body = NULL;
	f.len = 0;
	nh_mtasts_policy(&f, &mx, 1, &p, &r);
	EXPECT(r, NH_WARNING, "version_missing");

	/* NULs are data; nothing is read past len. */
	{
		static const char nul[] = "version: STSv1\nmode: enforce\n"
					  "mx: a.example\0b\nmax_age: 604800\n";

		f.body = nul;
		f.len = sizeof(nul) - 1;
		nh_mtasts_policy(&f, &mx, 1, &p, &r);
		HAS(r, "policy_syntax");
		HAS(r, "mx_missing");
		f.body = good;
		f.len = sizeof(good) - 1 - 6; /* cut inside max_age: 604800 */
		nh_mtasts_policy(&f, &mx, 1, &p, &r);
		EXPECT(r, NH_INFO, "max_age_short");
		assert_int_equal(p.max_age, 6);
	}
}

static void
test_tlsrpt(void **state)
{
	static const char *const bad[] = {
		"",
		"v=TLSRPTv1",
		"v=tlsrptv1; rua=mailto:a@b.example",
		"v=TLSRPTv2; rua=mailto:a@b.example",
		" v=TLSRPTv1; rua=mailto:a@b.example",
		"v=TLSRPTv1 rua=mailto:a@b.example",
		"v=TLSRPTv1; rua=",
		"v=TLSRPTv1; rua=mailto:a@b.example,",
		"v=TLSRPTv1; rua=a@b.example",            /* no scheme */
		"v=TLSRPTv1; rua=mailto:a@b.example ",    /* trailing space */
		"v=TLSRPTv1; rua=mailto:a@b.example;;",   /* an empty field */
		"v=TLSRPTv1; rua = mailto:a@b.example",   /* no white space */
		"v=TLSRPTv1; rua=mailto:a@b.example%zz",  /* not a URI */
		"v=TLSRPTv1; rua=mailto:a@b.example; x=", /* no value */
		"v=TLSRPTv1; rua=mailto:a@b\xff.example",
	};
	struct nh_webpol_result r;

	(void)state;
	TLSRPT("v=TLSRPTv1; rua=mailto:tlsrpt@example.nl");
	EXPECT(r, NH_PASSED, "tlsrpt_ok");
	assert_int_equal(r.n, 1);
	assert_non_null(strstr(r.f[0].msg, "mailto:tlsrpt@example.nl"));
	TLSRPT("v=TLSRPTv1;rua=https://reports.example/v1/tlsrpt");
	EXPECT(r, NH_PASSED, "tlsrpt_ok");
	/* Several URIs, white space around ',' and ';', extensions, a
	 * final ';', rua not first. */
	TLSRPT("v=TLSRPTv1 ; ext.1=x ; rua=mailto:a@b.example , "
	       "https://c.example/r ;");
	EXPECT(r, NH_PASSED, "tlsrpt_ok");
	assert_non_null(strstr(r.f[0].msg, "and others"));

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		TLSRPT(bad[i]);
		if (r.status != NH_WARNING ||
		    (!nh_webpol_find(&r, "tlsrpt_syntax") &&
			!nh_webpol_find(&r, "rua_missing")))
			fail_msg("\"%s\": %s %s", bad[i],
			    nh_status_name(r.status), r.f[0].msg);
		assert_null(nh_webpol_find(&r, "tlsrpt_ok"));
	}
	TLSRPT("v=TLSRPTv1; rua=a@b.example");
	assert_non_null(strstr(r.f[0].msg, "character 17"));

	/* Valid records that senders cannot use. */
	TLSRPT("v=TLSRPTv1; x=1");
	EXPECT(r, NH_WARNING, "rua_missing");
	TLSRPT("v=TLSRPTv1; RUA=mailto:a@b.example");
	EXPECT(r, NH_WARNING, "rua_missing");
	TLSRPT("v=TLSRPTv1; rua=http://c.example/r");
	EXPECT(r, NH_WARNING, "rua_scheme");
	assert_int_equal(r.n, 1);
	TLSRPT("v=TLSRPTv1; rua=mailto:nohost");
	EXPECT(r, NH_WARNING, "rua_invalid");
	TLSRPT("v=TLSRPTv1; rua=https:///path");
	EXPECT(r, NH_WARNING, "rua_invalid");
	/* One usable beside one not: a pass with a warning. */
	TLSRPT("v=TLSRPTv1; rua=ftp://x.example/,mailto:a@b.example");
	EXPECT(r, NH_WARNING, "rua_scheme");
	HAS(r, "tlsrpt_ok");
	TLSRPT("v=TLSRPTv1; rua=mailto:a@b.example; rua=mailto:c@d.example");
	EXPECT(r, NH_WARNING, "rua_repeated");
	HAS(r, "tlsrpt_ok");
	/* NULs are data. */
	nh_tlsrpt_txt("v=TLSRPTv1; rua=mailto:a@b.example\0", 35, &r);
	EXPECT(r, NH_WARNING, "tlsrpt_syntax");
	nh_tlsrpt_txt("v=TLSRPTv1; rua=mailto:a@b.example\0", 34, &r);
	EXPECT(r, NH_PASSED, "tlsrpt_ok");
	nh_tlsrpt_txt(NULL, 0, &r);
	EXPECT(r, NH_WARNING, "tlsrpt_syntax");

	assert_true(nh_tlsrpt_is_record("v=TLSRPTv1;rua=x", 16));
	assert_false(nh_tlsrpt_is_record("v=TLSRPTv1 ;rua=x", 17));
	assert_false(nh_tlsrpt_is_record("v=TLSRPTv1", 10));
	assert_false(nh_tlsrpt_is_record(NULL, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sts_record),
		cmocka_unit_test(test_sts_policy_valid),
		cmocka_unit_test(test_sts_policy_max_age),
		cmocka_unit_test(test_sts_policy_errors),
		cmocka_unit_test(test_sts_policy_mx),
		cmocka_unit_test(test_sts_policy_http),
		cmocka_unit_test(test_tlsrpt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
