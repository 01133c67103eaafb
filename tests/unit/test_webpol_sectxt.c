/*
 * test_webpol_sectxt.c: the security.txt judge (RFC 9116) on hand-made
 * answers: the HTTP side (status, location, media type, charset), the
 * encoding, every line and field rule passing and failing, the OpenPGP
 * cleartext envelope, and the cap on findings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "webpol/webpol.h"

#define NOW 1748736000 /* 2025-06-01T00:00:00Z */
#define URL "https://example.nl/.well-known/security.txt"
#define EXP "Expires: 2025-12-31T23:00:00Z\n"
#define MIN "Contact: https://example.nl/security\n" EXP

#define SIGNED_HEAD "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
#define SIGNATURE \
	"-----BEGIN PGP SIGNATURE-----\n" \
	"Version: GnuPG v2\n" \
	"\n" \
	"wpwEAQEIABAFAmTHcawJEDs4gPMoG10dAACN5wP/UozhFqHcUWRNhg4KwfY4\n" \
	"2APWewNf8e01t1oh4n5bDBtr4IaQoj0=\n" \
	"=DHXw\n" \
	"-----END PGP SIGNATURE-----\n"
#define CANON "Canonical: " URL "\n"

static struct nh_webpol_result r;

static struct nh_sectxt_input
input(const char *body)
{
	struct nh_sectxt_input in = { 0 };

	in.status = 200;
	in.content_type = "text/plain; charset=utf-8";
	in.body = body;
	in.len = body ? strlen(body) : 0;
	in.url = URL;
	in.now = NOW;
	return in;
}

static void
judge(const struct nh_sectxt_input *in)
{
	nh_webpol_sectxt(in, &r);
}

/* Fails unless the result holds exactly these codes. */
static void
expect_codes(int line, const char *const *codes, size_t n)
{
	char got[1024] = "";
	size_t o = 0;
	bool ok = r.n == n;

	for (size_t i = 0; i < n; i++) {
		if (!nh_webpol_find(&r, codes[i]))
			ok = false;
	}
	for (size_t i = 0; i < r.n && o < sizeof(got); i++)
		o += (size_t)snprintf(got + o, sizeof(got) - o, "\n  %s(%s) %s",
		    r.f[i].code, nh_status_name(r.f[i].status), r.f[i].msg);
	if (!ok)
		fail_msg("line %d: got%s", line, got);
}

#define CODES(...) \
	do { \
		static const char *const c_[] = { __VA_ARGS__ }; \
		expect_codes(__LINE__, c_, sizeof(c_) / sizeof(*c_)); \
	} while (0)

/* Judges a body served well, expecting exactly the codes given. */
#define BODY(body, ...) \
	do { \
		struct nh_sectxt_input in_ = input(body); \
		judge(&in_); \
		CODES(__VA_ARGS__); \
	} while (0)

static enum nh_status
status_of(const char *code)
{
	const struct nh_webpol_finding *f = nh_webpol_find(&r, code);

	assert_non_null(f);
	return f->status;
}

static void
test_valid(void **state)
{
	(void)state;
	/* The least a file needs: unsigned is only a recommendation. */
	BODY(MIN, "not_signed");
	assert_int_equal(r.status, NH_INFO);
	/* The catalog's example, with a mailto: Contact. */
	BODY("Contact: mailto:security@example.nl\n" EXP
	     "Preferred-Languages: nl, en\n" CANON
	     "Policy: https://example.nl/vulnerability-disclosure\n",
	    "not_signed", "no_encryption");
	assert_int_equal(status_of("no_encryption"), NH_INFO);
	/* Every field, signed: a pass. */
	BODY(SIGNED_HEAD "# Our security address\n"
			 "Contact: mailto:security@example.nl\n"
			 "Contact: tel:+31-70-1234567\n"
			 "Encryption: https://example.nl/pgp-key.txt\n"
			 "Acknowledgments: https://example.nl/hall-of-fame\n"
			 "Hiring: https://example.nl/jobs\n"
			 "Policy: https://example.nl/policy\n"
			 "Preferred-Languages: nl, en-GB, zh-Hant-TW, "
			 "x-private\n"
			 "CSAF: https://example.nl/.well-known/csaf/"
			 "provider-metadata.json\n" CANON EXP SIGNATURE,
	    "securitytxt_ok");
	assert_int_equal(r.status, NH_PASSED);
	assert_non_null(strstr(r.f[0].msg, "2025-12-31"));
	/* CRLF line ends, field names in any case, comments, blank and
	 * white-space-only lines. */
	BODY("# comment\r\n\r\n   \r\ncontact: https://example.nl/s\r\n"
	     "EXPIRES: 2025-12-31T23:00:00Z\r\n",
	    "not_signed");
}

static void
test_http_side(void **state)
{
	struct nh_sectxt_input in = input(MIN);

	(void)state;
	in.status = 404;
	judge(&in);
	CODES("no_security_txt_404");
	assert_int_equal(r.status, NH_WARNING);
	in.status = 0;
	judge(&in);
	CODES("no_security_txt_404");
	in.status = 500;
	judge(&in);
	CODES("no_security_txt_other");
	assert_non_null(strstr(r.f[0].msg, "500"));
	in.status = 301;
	judge(&in);
	CODES("no_security_txt_other");

	in = input(MIN);
	in.legacy = true;
	judge(&in);
	CODES("location", "not_signed");
	assert_int_equal(r.status, NH_WARNING);

	/* No Content-Type, or not text/plain: the body is not read. */
	in = input("garbage");
	in.content_type = NULL;
	judge(&in);
	CODES("no_content_type");
	in.content_type = "";
	judge(&in);
	CODES("no_content_type");
	in.content_type = "text/html; charset=utf-8";
	judge(&in);
	CODES("invalid_media");
	in.legacy = true;
	judge(&in);
	CODES("invalid_media", "location");

	/* A charset other than UTF-8; none means UTF-8. */
	in = input(MIN);
	in.content_type = "text/plain; charset=ISO-8859-1";
	judge(&in);
	CODES("invalid_charset", "not_signed");
	in.content_type = "text/plain";
	judge(&in);
	CODES("not_signed");
	in.content_type = "TEXT/Plain ; Charset=\"UTF-8\"; format=flowed";
	judge(&in);
	CODES("not_signed");
	in.content_type = "text/plain;charset=csUTF8";
	judge(&in);
	CODES("not_signed");

	/* The final URL or the first may be the Canonical one. */
	in = input(MIN "Canonical: https://www.example.nl/.well-known/"
		       "security.txt\n");
	judge(&in);
	CODES("no_canonical_match", "not_signed");
	in.final_url = "https://www.example.nl/.well-known/security.txt";
	judge(&in);
	CODES("not_signed");
	in = input(MIN "Canonical: https://EXAMPLE.nl:443/.well-known/"
		       "security.txt\nCanonical: https://other.nl/x\n");
	judge(&in);
	CODES("not_signed");
	in = input(MIN "Canonical: https://example.nl/.well-known/"
		       "Security.txt\n");
	judge(&in);
	CODES("no_canonical_match", "not_signed");
	/* Unknown URLs: nothing to compare. */
	in.url = NULL;
	judge(&in);
	CODES("not_signed");

	/* A redirect to plain HTTP. */
	in = input(MIN);
	in.final_url = "HTTP://example.nl/.well-known/security.txt";
	judge(&in);
	CODES("invalid_uri_scheme", "not_signed");

	in = input(MIN);
	in.truncated = true;
	judge(&in);
	CODES("truncated", "not_signed");
}

static void
test_encoding(void **state)
{
	struct nh_sectxt_input in;

	(void)state;
	BODY("Contact: https://example.nl/\xff\n" EXP, "utf8");
	BODY("Contact: https://example.nl/\xc0\xaf\n" EXP, "utf8");
	BODY("Contact: https://example.nl/\xed\xa0\x80\n" EXP, "utf8");
	BODY("Contact: https://example.nl/\xe2\x82\n" EXP, "utf8");
	BODY("Contact: https://\xc3\xa9xample.nl/\n" EXP, "not_signed");
	BODY("\xef\xbb\xbf" MIN, "bom_in_file", "not_signed");
	BODY("\xef\xbb\xbf\xef\xbb\xbf" MIN, "bom_in_file", "not_signed");
	/* A NUL in the body is a character that is not allowed in it. */
	in = input("Contact: https://example.nl/\0x\n" EXP);
	in.len = sizeof("Contact: https://example.nl/\0x\n" EXP) - 1;
	judge(&in);
	CODES("no_uri", "not_signed");
	/* An empty file. */
	BODY("", "no_contact", "no_expire", "not_signed");
	BODY(NULL, "no_contact", "no_expire", "not_signed");
}

static void
test_lines(void **state)
{
	(void)state;
	BODY(MIN "Policy: https://example.nl/p", "no_line_separators",
	    "not_signed");
	BODY(MIN "just some words\n", "invalid_line", "not_signed");
	assert_non_null(strstr(r.f[0].msg, "line 3"));
	BODY(MIN "Policy : https://example.nl/p\n", "prec_ws", "not_signed");
	BODY(MIN "Policy:https://example.nl/p\n", "no_space", "not_signed");
	BODY(MIN "Policy:\thttps://example.nl/p\n", "no_space", "not_signed");
	BODY(MIN "Policy:  https://example.nl/p\n", "not_signed");
	BODY(MIN ": https://example.nl/p\n", "empty_key", "not_signed");
	BODY(MIN "Policy:\n", "empty_value", "not_signed");
	BODY(MIN "Policy:   \n", "empty_value", "not_signed");
	BODY(" Contact: https://example.nl/\n" EXP, "lead_ws", "not_signed");
	BODY(MIN "Our Policy: https://example.nl/p\n", "invalid_line",
	    "not_signed");
	BODY(MIN "X-Custom: anything goes\n", "unknown_field", "not_signed");
	assert_int_equal(status_of("unknown_field"), NH_INFO);
	BODY(MIN "Acknowledgements: https://example.nl/thanks\n",
	    "unknown_field", "not_signed");
	assert_non_null(strstr(r.f[0].msg, "Acknowledgments"));
}

static void
test_fields(void **state)
{
	(void)state;
	BODY(EXP, "no_contact", "not_signed");
	BODY("Contact: https://example.nl/\n", "no_expire", "not_signed");
	BODY(MIN EXP, "multi_expire", "not_signed");
	BODY("Contact: security@example.nl\n" EXP, "no_uri", "not_signed");
	assert_non_null(strstr(r.f[0].msg, "mailto:"));
	BODY("Contact: http://example.nl/security\n" EXP, "no_https",
	    "not_signed");
	BODY("Contact: https:/example.nl\n" EXP, "no_uri", "not_signed");
	BODY("Contact: mailto:\n" EXP, "no_uri", "not_signed");
	BODY("Contact: mailto:a@example.nl (24/7)\n" EXP, "no_uri",
	    "not_signed");
	BODY(MIN "Encryption: -----BEGIN PGP PUBLIC KEY BLOCK-----\n", "no_uri",
	    "not_signed");
	BODY(MIN "Encryption: openpgp4fpr:5f2de5521c63a801ab59ccb603d49de4\n",
	    "not_signed");
	BODY(MIN "Policy: http://example.nl/p\n", "no_https", "not_signed");
	BODY(MIN "Hiring: example.nl/jobs\n", "no_uri", "not_signed");
	BODY(MIN "Acknowledgments: https://example.nl/%zz\n", "no_uri",
	    "not_signed");

	/* Preferred-Languages: at most once, RFC 5646 tags. */
	BODY(MIN "Preferred-Languages: en\nPreferred-Languages: nl\n",
	    "multi_lang", "not_signed");
	BODY(MIN "Preferred-Languages: en_US\n", "invalid_lang", "not_signed");
	BODY(MIN "Preferred-Languages: english123\n", "invalid_lang",
	    "not_signed");
	BODY(MIN "Preferred-Languages: nl,,en\n", "invalid_lang", "not_signed");
	BODY(MIN "Preferred-Languages: nl-NL, de-CH-1996, sgn-BE-FR, "
		 "i-klingon, es-419, zh-cmn-Hans-CN, en-a-bbb-x-y\n",
	    "not_signed");
	BODY(MIN "Preferred-Languages: en-a, en-x, x, 1a, en-US-US\n",
	    "invalid_lang", "not_signed");

	/* CSAF: the https URL of provider-metadata.json. */
	BODY(MIN "CSAF: https://example.nl/csaf/provider-metadata.json\n"
		 "CSAF: https://example.nl/b/provider-metadata.json\n",
	    "multiple_csaf_fields", "not_signed");
	BODY(MIN "CSAF: https://example.nl/csaf/\n", "no_csaf_file",
	    "not_signed");
	BODY(MIN "CSAF: ftp://example.nl/provider-metadata.json\n",
	    "no_csaf_file", "not_signed");
}

static void
test_expires(void **state)
{
	static const char *const bad[] = {
		"2025-12-31",                /* no time */
		"2025-12-31 23:00:00Z",      /* a space, not T */
		"2025-12-31T23:00:00",       /* no zone */
		"31-12-2025T23:00:00Z",      /* order */
		"2025-02-29T00:00:00Z",      /* not a leap year */
		"2025-13-01T00:00:00Z",      /* month */
		"2025-12-31T24:00:00Z",      /* hour */
		"2025-12-31T23:00:00.Z",     /* empty fraction */
		"2025-12-31T23:00:00+0100",  /* offset */
		"2025-12-31T23:00:00Z junk", /* text after */
		"Tue, 31 Dec 2025 23:00:00 GMT",
	};
	static const char *const good[] = {
		"2025-12-31t23:00:00z",
		"2025-12-31T23:00:00.123456+01:00",
		"2025-06-30T23:59:60Z",
		"2025-06-01T00:00:00Z",
		"2026-02-28T23:00:00-05:00",
	};
	char body[256];
	struct nh_sectxt_input in;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		snprintf(body, sizeof(body),
		    "Contact: https://example.nl/\nExpires: %s\n", bad[i]);
		in = input(body);
		judge(&in);
		if (!nh_webpol_find(&r, "invalid_expiry") || r.n != 2)
			fail_msg("%s: %s", bad[i], r.f[0].msg);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		snprintf(body, sizeof(body),
		    "Contact: https://example.nl/\nExpires: %s\n", good[i]);
		in = input(body);
		judge(&in);
		if (r.n != 1 || !nh_webpol_find(&r, "not_signed"))
			fail_msg("%s: %s", good[i], r.f[0].msg);
	}
	BODY("Contact: https://example.nl/\nExpires: 2025-05-31T23:59:59Z\n",
	    "expired", "not_signed");
	assert_int_equal(status_of("expired"), NH_WARNING);
	/* An offset moves the instant: 00:30+01:00 is 23:30 the day
	 * before. */
	BODY("Contact: https://example.nl/\nExpires: 2025-06-01T00:30:00+01:00"
	     "\n",
	    "expired", "not_signed");
	/* More than a year ahead is a recommendation; a year exactly is
	 * fine. */
	BODY("Contact: https://example.nl/\nExpires: 2026-06-01T00:00:01Z\n",
	    "long_expiry", "not_signed");
	assert_int_equal(status_of("long_expiry"), NH_INFO);
	BODY("Contact: https://example.nl/\nExpires: 2026-06-01T00:00:00Z\n",
	    "not_signed");
	/* A leap day now: a year later is 1 March. */
	in = input("Contact: https://example.nl/\n"
		   "Expires: 2025-03-01T00:00:00Z\n");
	in.now = 1709164800; /* 2024-02-29T00:00:00Z */
	judge(&in);
	CODES("not_signed");
	in = input("Contact: https://example.nl/\n"
		   "Expires: 2025-03-01T00:00:01Z\n");
	in.now = 1709164800;
	judge(&in);
	CODES("long_expiry", "not_signed");
}

static void
test_signature(void **state)
{
	(void)state;
	/* Signed without Canonical: a recommendation. */
	BODY(SIGNED_HEAD MIN SIGNATURE, "no_canonical");
	/* Dash-escaped lines (RFC 4880 §7.1). */
	BODY(SIGNED_HEAD "- Contact: https://example.nl/\n"
			 "- # - a comment\n" EXP CANON SIGNATURE,
	    "securitytxt_ok");
	/* Several Hash lines; none at all (RFC 9580) is only noted. */
	BODY("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n"
	     "Hash: SHA512\n\n" MIN CANON SIGNATURE,
	    "securitytxt_ok");
	BODY("-----BEGIN PGP SIGNED MESSAGE-----\n\n" MIN CANON SIGNATURE,
	    "pgp_no_hash");
	/* The header must be first, and followed by an empty line. */
	BODY("\n" SIGNED_HEAD MIN CANON SIGNATURE, "signed_format_issue",
	    "unknown_field", "signed_format_issue", "not_signed");
	BODY("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n" MIN CANON
		 SIGNATURE,
	    "pgp_data");
	/* The signature block: present, closed, radix-64. */
	BODY(SIGNED_HEAD MIN CANON, "pgp_data");
	assert_non_null(strstr(r.f[0].msg, "no signature"));
	BODY(SIGNED_HEAD MIN CANON "-----BEGIN PGP SIGNATURE-----\n\nabcd\n",
	    "pgp_data");
	assert_non_null(strstr(r.f[0].msg, "not closed"));
	BODY(SIGNED_HEAD MIN CANON "-----BEGIN PGP SIGNATURE-----\n\n"
				   "-----END PGP SIGNATURE-----\n",
	    "pgp_data");
	BODY(SIGNED_HEAD MIN CANON "-----BEGIN PGP SIGNATURE-----\n\n"
				   "not radix 64!\n"
				   "-----END PGP SIGNATURE-----\n",
	    "pgp_data");
	BODY(SIGNED_HEAD MIN CANON "-----BEGIN PGP SIGNATURE-----\n"
				   "abcd\n-----END PGP SIGNATURE-----\n",
	    "pgp_data");
	/* After the signature: nothing. */
	BODY(SIGNED_HEAD MIN CANON SIGNATURE "Contact: mailto:x@evil.com\n",
	    "data_after_sig");
	BODY(
	    SIGNED_HEAD MIN CANON SIGNATURE "\n\n", "too_many_line_separators");
	/* A signature block in an unsigned file. */
	BODY(MIN SIGNATURE, "signed_format_issue", "not_signed");
}

static void
test_caps(void **state)
{
	size_t n = 5000, len = 0;
	char *body = malloc(n * 5 + 64);
	struct nh_sectxt_input in;

	(void)state;
	assert_non_null(body);
	/* Thousands of unknown fields (information), then no Contact:
	 * the warnings are kept, the notes dropped and counted. */
	for (size_t i = 0; i < n; i++) {
		memcpy(body + len, "X: y\n", 5);
		len += 5;
	}
	memcpy(body + len, EXP, strlen(EXP));
	len += strlen(EXP);
	in = input(NULL);
	in.body = body;
	in.len = len;
	judge(&in);
	assert_int_equal(r.n, NH_WEBPOL_MAX_FINDINGS);
	assert_int_equal(r.status, NH_WARNING);
	assert_int_equal(r.n + r.dropped, n + 2);
	assert_non_null(nh_webpol_find(&r, "no_contact"));
	assert_string_equal(r.f[r.n - 1].code, "no_contact");
	/* A long line is shortened in the message. */
	memset(body, 'a', 3000);
	memcpy(body + 3000, "\n", 2);
	in = input(body);
	judge(&in);
	assert_non_null(nh_webpol_find(&r, "invalid_line"));
	assert_true(strlen(r.f[0].msg) < NH_WEBPOL_MSG);
	assert_non_null(strstr(r.f[0].msg, "..."));
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_http_side),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_expires),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
