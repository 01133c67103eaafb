/*
 * test_webpol_page.c: the same-site comparison (web_ipv6_ws_similar):
 * digests of pages written by hand, what is left out of them and what is
 * not, malformed markup, the cap, and difflib's quick_ratio and the
 * distance against values Python computes.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "webpol/webpol.h"

static void
digest(const char *s, struct nh_webpol_page *pg)
{
	nh_webpol_page_digest((const unsigned char *)s, strlen(s), pg);
}

/* A digest made by hand: every byte of s counted. */
static void
plain(const char *s, size_t len, struct nh_webpol_page *pg)
{
	memset(pg, 0, sizeof(*pg));
	for (size_t i = 0; i < len; i++)
		pg->hist[(unsigned char)s[i]]++;
	pg->len = len;
}

/*
 * The page digests to the bytes of `counted` (in any order), with
 * `stripped` bytes left out.
 */
#define LEAVES(page, counted, nstripped) \
	leaves(page, counted, nstripped, __FILE__, __LINE__)

static void
leaves(const char *page, const char *counted, size_t stripped, const char *file,
    int line)
{
	struct nh_webpol_page got, want;

	digest(page, &got);
	plain(counted, strlen(counted), &want);
	if (memcmp(got.hist, want.hist, sizeof(got.hist)) != 0 ||
	    got.len != want.len || got.stripped != stripped)
		fail_msg("%s:%d: \"%s\": len %zu stripped %zu, "
			 "expected \"%s\" (%zu) and %zu",
		    file, line, page, got.len, got.stripped, counted, want.len,
		    stripped);
	assert_int_equal(got.len + got.stripped, strlen(page));
}

/* Counted as it is. */
#define KEEPS(page) LEAVES(page, page, 0)

static void
test_identical(void **state)
{
	static const char page[] =
	    "<!doctype html><html><head><title>Hi</title></head>"
	    "<body><p class=\"x\">Hello, world.</p></body></html>\n";
	struct nh_webpol_page a, b;

	(void)state;
	digest(page, &a);
	digest(page, &b);
	assert_int_equal(a.len, strlen(page));
	assert_int_equal(a.stripped, 0);
	assert_true(nh_webpol_page_ratio(&a, &b) == 1.0);
	assert_true(nh_webpol_page_distance(&a, &b) == 0.0);
	assert_true(nh_webpol_page_similar(&a, &b));
}

static void
test_nonce(void **state)
{
	static const char v4[] =
	    "<html><head>"
	    "<script nonce=\"r4nd0m\" src=\"/a.js\"></script>"
	    "<style nonce='q'>p{}</style>"
	    "<link rel=preload NONCE = \"zZz\" href=/b.css>"
	    "<script src=/c.js nonce=abc123></script>"
	    "</head><body>x</body></html>";
	static const char v6[] =
	    "<html><head>"
	    "<script nonce=\"8f0e2c77a1d94b6e9c03ffe1b2a4d5c6\" "
	    "src=\"/a.js\"></script>"
	    "<style nonce='qwertyuiop'>p{}</style>"
	    "<link rel=preload NONCE = \"\" href=/b.css>"
	    "<script src=/c.js nonce=X></script>"
	    "</head><body>x</body></html>";
	struct nh_webpol_page a, b;

	(void)state;
	digest(v4, &a);
	digest(v6, &b);
	assert_int_equal(a.stripped, 6 + 1 + 3 + 6);
	assert_int_equal(b.stripped, 32 + 10 + 0 + 1);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.hist, b.hist, sizeof(a.hist));
	assert_true(nh_webpol_page_ratio(&a, &b) == 1.0);
	assert_true(nh_webpol_page_distance(&a, &b) == 0.0);

	/* On any element; the name in any case, white space around '='. */
	LEAVES("<script nonce=\"abc\">", "<script nonce=\"\">", 3);
	LEAVES("<div NoNcE\t=\n'abc' id=x>", "<div NoNcE\t=\n'' id=x>", 3);
	LEAVES("<img nonce=abc>", "<img nonce=>", 3);
	LEAVES("<img nonce=abc/>", "<img nonce=>", 4); /* HTML: "abc/" */
	LEAVES("<br nonce=\"a\" nonce='bc'>", "<br nonce=\"\" nonce=''>", 3);
	/* No value: nothing to leave out. */
	KEEPS("<script nonce>");
	KEEPS("<script nonce=>");
	KEEPS("<script nonce = >");
	/* Not an attribute of that name. */
	KEEPS("<script data-nonce=\"abc\" nonces=\"x\">");
	KEEPS("<script integrity=\"sha384-abc\" crossorigin>");
	/* Not in a tag. */
	KEEPS("nonce=\"abc\" <!-- <script nonce=\"abc\"> -->");
	KEEPS("</script nonce=\"abc\">");
	KEEPS("< script nonce=\"abc\">");
}

static void
test_input(void **state)
{
	(void)state;
	/* The name before or after the value. */
	LEAVES("<input type=hidden name=\"__VIEWSTATE\" value=\"dDwtMTA=\">",
	    "<input type=hidden name=\"__VIEWSTATE\" value=\"\">", 8);
	LEAVES("<input value=\"dDwtMTA=\" type=hidden name=\"__VIEWSTATE\">",
	    "<input value=\"\" type=hidden name=\"__VIEWSTATE\">", 8);
	/* Every name of the list, any case, any quoting. */
	LEAVES("<input name=__EVENTVALIDATION value=abc>",
	    "<input name=__EVENTVALIDATION value=>", 3);
	LEAVES("<input name='__ViewStateGenerator' value='CA0B0334'>",
	    "<input name='__ViewStateGenerator' value=''>", 8);
	LEAVES("<INPUT NAME=\"__REQUESTDIGEST\" VALUE=\"0x1,2\">",
	    "<INPUT NAME=\"__REQUESTDIGEST\" VALUE=\"\">", 5);
	LEAVES("<input name=\"csrfmiddlewaretoken\" value=\"k\">",
	    "<input name=\"csrfmiddlewaretoken\" value=\"\">", 1);
	LEAVES("<input name=__RequestVerificationToken value=k>",
	    "<input name=__RequestVerificationToken value=>", 1);
	LEAVES("<input name=\"authenticity_token\" value=\"k\">",
	    "<input name=\"authenticity_token\" value=\"\">", 1);
	LEAVES("<input value=\"kk\" name=\"_CSRF\" />",
	    "<input value=\"\" name=\"_CSRF\" />", 2);
	/* A name given twice: either counts. */
	LEAVES("<input name=q name=_token value=k>",
	    "<input name=q name=_token value=>", 1);
	/* Another name, no name, or a name without a value: kept. */
	KEEPS("<input name=\"q\" value=\"search\">");
	KEEPS("<input value=\"__VIEWSTATE\">");
	KEEPS("<input name value=abc>");
	KEEPS("<input name=\"__VIEWSTATEX\" value=\"abc\">");
	/* Another element with such a name: kept. */
	KEEPS("<button name=csrf value=abc>");
	KEEPS("<inputs name=csrf value=abc>");
	/* Only the value: the name of the attribute, not its value. */
	KEEPS("<input name=csrf data-value=abc>");
}

static void
test_meta(void **state)
{
	(void)state;
	LEAVES("<meta name=\"csrf-token\" content=\"Zm9vYmFy\">",
	    "<meta name=\"csrf-token\" content=\"\">", 8);
	LEAVES("<meta content='authenticity_token' name='csrf-param'>",
	    "<meta content='' name='csrf-param'>", 18);
	LEAVES("<META CONTENT=abc NAME=_CSRF />",
	    "<META CONTENT= NAME=_CSRF />", 3);
	/* An unquoted value runs to white space or '>': "_csrf/". */
	KEEPS("<meta content=abc name=_csrf/>");
	KEEPS("<meta name=\"description\" content=\"csrf\">");
	KEEPS("<meta name=\"_csrf_header\" content=\"X-CSRF-TOKEN\">");
	KEEPS("<meta property=\"csrf-token\" content=\"abc\">");
	KEEPS("<link name=\"csrf-token\" content=\"abc\">");
}

static void
test_quoting(void **state)
{
	(void)state;
	/* '>' inside quotes does not end the tag. */
	LEAVES("<input value=\"a>b\" name=\"__EVENTVALIDATION\">x",
	    "<input value=\"\" name=\"__EVENTVALIDATION\">x", 3);
	LEAVES("<meta content='<b>' name=csrf-token>",
	    "<meta content='' name=csrf-token>", 3);
	/* The other quote inside a value. */
	LEAVES("<p nonce=\"it's\" title='say \"hi\"'>",
	    "<p nonce=\"\" title='say \"hi\"'>", 4);
	/* Quotes inside an unquoted value or a name are just characters. */
	LEAVES("<p nonce=a\"b' id=\"x>\">", "<p nonce= id=\"x>\">", 4);
	LEAVES("<p a\"b=1 nonce=c>", "<p a\"b=1 nonce=>", 1);
	/* No white space after a quoted value (HTML §13.2.5.39). */
	LEAVES("<p title=\"a\"nonce='b'>", "<p title=\"a\"nonce=''>", 1);
	/* An attribute name starting with '=' (HTML §13.2.5.32). */
	LEAVES("<p =x nonce=c>", "<p =x nonce=>", 1);
	/* '/' that does not end the tag; white space of every kind. */
	LEAVES("<p/nonce=c/>", "<p/nonce=>", 2);
	LEAVES("<p\r\n\f\tnonce\r=\f'c'>", "<p\r\n\f\tnonce\r=\f''>", 1);
	/* Tags that follow are read. */
	LEAVES("<a href='x'>t</a><b nonce=1><i nonce=2>",
	    "<a href='x'>t</a><b nonce=><i nonce=>", 2);
	/* NUL and high bytes inside a value. */
	{
		static const char page[] = "<p nonce=\"\0\x80\xff\">";
		static const char want[] = "<p nonce=\"\">";
		struct nh_webpol_page got, ref;

		nh_webpol_page_digest(
		    (const unsigned char *)page, sizeof(page) - 1, &got);
		plain(want, sizeof(want) - 1, &ref);
		assert_memory_equal(got.hist, ref.hist, sizeof(got.hist));
		assert_int_equal(got.stripped, 3);
	}
}

static void
test_not_markup(void **state)
{
	(void)state;
	/* Comments, whatever they hold. */
	KEEPS("<!-- <input name=csrf value=abc> -->");
	KEEPS("<!--[if IE]><script nonce=abc></script><![endif]-->");
	LEAVES("<!-- x --!><p nonce=1>", "<!-- x --!><p nonce=>", 1);
	LEAVES("<!--><p nonce=1>", "<!--><p nonce=>", 1);
	LEAVES("<!---><p nonce=1>", "<!---><p nonce=>", 1);
	LEAVES("<!-- a -- b --><p nonce=1>", "<!-- a -- b --><p nonce=>", 1);
	/* Script and style text is not markup, up to the end tag. */
	KEEPS("<script>if (a<b && c>d) s = '<p nonce=\"x\">';</script>");
	KEEPS("<STYLE>a<b nonce=1 {}</style >");
	KEEPS("<title>a <p nonce=1> b</title>");
	KEEPS("<textarea><input name=csrf value=1></textarea>");
	KEEPS("<script>\"</scripts><p nonce=1>\"</script\t>");
	LEAVES("<script nonce=9>x<y</script><p nonce=1>",
	    "<script nonce=>x<y</script><p nonce=>", 2);
	LEAVES("<script>x</ScRiPt/><p nonce=1>",
	    "<script>x</ScRiPt/><p nonce=>", 1);
	/* noscript is read (a form in it has its token). */
	LEAVES("<noscript><input name=_csrf value=k></noscript>",
	    "<noscript><input name=_csrf value=></noscript>", 1);
	/* After <plaintext>, all is text. */
	KEEPS("<plaintext></plaintext><p nonce=1>");
	/* Other markup is counted as it is. */
	LEAVES("<!DOCTYPE html><?xml x?></p><p nonce=1>",
	    "<!DOCTYPE html><?xml x?></p><p nonce=>", 1);
}

static void
test_malformed(void **state)
{
	(void)state;
	/* A page that ends inside a tag or comment: counted as it is. */
	KEEPS("<");
	KEEPS("<p");
	KEEPS("<p nonce");
	KEEPS("<p nonce=");
	KEEPS("<p nonce= ");
	KEEPS("<p nonce=abc");
	KEEPS("<p nonce=\"abc");
	KEEPS("<p nonce=\"abc\"");
	KEEPS("<p nonce='abc>'");
	KEEPS("<input name=csrf value=k");
	KEEPS("<!--");
	KEEPS("<!-- <p nonce=1>");
	KEEPS("<!-- -");
	KEEPS("<script><p nonce=1>");
	KEEPS("<script></script");
	/* What comes before still counts as stripped. */
	LEAVES("<p nonce=1><p nonce=\"2", "<p nonce=><p nonce=\"2", 1);
	/* An unclosed quote runs to the end of the page. */
	LEAVES("<p title=\"x><p nonce=1>", "<p title=\"x><p nonce=1>", 0);
	/* Not a tag. */
	KEEPS("a < b <3 <> <= <\xff nonce=1>");
}

static void
test_bytes(void **state)
{
	static const unsigned char page[] = { 0, 0x80, 0xff, 0, 'a', 0xc3,
		0xa9 };
	struct nh_webpol_page pg, other;

	(void)state;
	nh_webpol_page_digest(page, sizeof(page), &pg);
	assert_int_equal(pg.len, sizeof(page));
	assert_int_equal(pg.hist[0], 2);
	assert_int_equal(pg.hist[0x80], 1);
	assert_int_equal(pg.hist[0xff], 1);
	assert_int_equal(pg.hist['a'], 1);
	assert_int_equal(pg.hist[0xc3], 1);
	assert_int_equal(pg.hist[0xa9], 1);

	/* Empty: NULL is allowed. */
	nh_webpol_page_digest(NULL, 0, &pg);
	assert_int_equal(pg.len, 0);
	assert_int_equal(pg.stripped, 0);
	nh_webpol_page_digest(NULL, 0, &other);
	assert_true(nh_webpol_page_ratio(&pg, &other) == 1.0);
	assert_true(nh_webpol_page_distance(&pg, &other) == 0.0);
	assert_true(nh_webpol_page_similar(&pg, &other));
	digest("x", &other);
	assert_true(nh_webpol_page_ratio(&pg, &other) == 0.0);
	assert_true(nh_webpol_page_ratio(&other, &pg) == 0.0);
	assert_true(nh_webpol_page_distance(&pg, &other) == 100.0);
	assert_false(nh_webpol_page_similar(&pg, &other));
}

static void
test_cap(void **state)
{
	size_t n = NH_WEBPOL_PAGE_MAX + 1000;
	unsigned char *buf;
	struct nh_webpol_page pg;

	(void)state;
	assert_int_equal(NH_WEBPOL_PAGE_MAX, 500000);
	buf = malloc(n);
	assert_non_null(buf);
	memset(buf, 'a', NH_WEBPOL_PAGE_MAX);
	memset(buf + NH_WEBPOL_PAGE_MAX, 'b', n - NH_WEBPOL_PAGE_MAX);
	nh_webpol_page_digest(buf, n, &pg);
	assert_int_equal(pg.len, NH_WEBPOL_PAGE_MAX);
	assert_int_equal(pg.hist['a'], NH_WEBPOL_PAGE_MAX);
	assert_int_equal(pg.hist['b'], 0);

	/* A tag cut by the cap is counted as it is; its '>' is not read. */
	memcpy(buf + NH_WEBPOL_PAGE_MAX - 10, "<p nonce=1", 10);
	buf[NH_WEBPOL_PAGE_MAX] = '>';
	nh_webpol_page_digest(buf, n, &pg);
	assert_int_equal(pg.len, NH_WEBPOL_PAGE_MAX);
	assert_int_equal(pg.stripped, 0);
	assert_int_equal(pg.hist['>'], 0);
	assert_int_equal(pg.hist['1'], 1);
	/* One byte more and it is a tag. */
	nh_webpol_page_digest(buf + 1, n - 1, &pg);
	assert_int_equal(pg.len + pg.stripped, NH_WEBPOL_PAGE_MAX);
	assert_int_equal(pg.stripped, 1);
	assert_int_equal(pg.hist['>'], 1);
	assert_int_equal(pg.hist['1'], 0);

	/* A page of tags (each read twice) and of nonces, to the cap. */
	for (size_t i = 0; i + 12 <= n; i += 12)
		memcpy(buf + i, "<p nonce=ab>", 12);
	nh_webpol_page_digest(buf, n, &pg);
	assert_int_equal(pg.len + pg.stripped, NH_WEBPOL_PAGE_MAX);
	assert_int_equal(pg.stripped, NH_WEBPOL_PAGE_MAX / 12 * 2);
	free(buf);
}

/* Two digests made by hand: m bytes alike, t in all. */
static void
mt(size_t m, size_t t, struct nh_webpol_page *a, struct nh_webpol_page *b)
{
	memset(a, 0, sizeof(*a));
	memset(b, 0, sizeof(*b));
	a->hist['x'] = b->hist['x'] = m;
	a->hist['a'] = t / 2 - m;
	b->hist['b'] = t - t / 2 - m;
	a->len = t / 2;
	b->len = t - t / 2;
}

static void
test_ratio(void **state)
{
	/* m, t, and what Python prints for 2.0 * m / t and
	 * 100 - ratio * 100. */
	static const struct {
		size_t m, t;
		double ratio, distance;
		bool similar;
	} ref[] = {
		{ 3, 8, 0.75, 25.0, false },
		{ 1, 3, 0.6666666666666666, 33.33333333333334, false },
		{ 2, 7, 0.5714285714285714, 42.85714285714286, false },
		{ 90, 200, 0.9, 10.0, true },
		{ 89, 200, 0.89, 11.0, false },
		{ 179, 400, 0.895, 10.5, false },
		/* Where 100 * (t - 2m) / t would give another double. */
		{ 5, 11, 0.9090909090909091, 9.090909090909093, true },
		{ 13, 29, 0.896551724137931, 10.34482758620689, false },
		{ 4, 9, 0.8888888888888888, 11.111111111111114, false },
	};
	static const struct {
		const char *a, *b;
		double ratio;
	} text[] = {
		{ "abcd", "bcde", 0.75 }, { "aab", "abb", 0.6666666666666666 },
		{ "hello world", "world peace", 0.6363636363636364 },
		{ "abc", "cba", 1.0 }, /* order does not count */
	};
	struct nh_webpol_page a, b;

	(void)state;
	for (size_t i = 0; i < sizeof(ref) / sizeof(*ref); i++) {
		mt(ref[i].m, ref[i].t, &a, &b);
		if (nh_webpol_page_ratio(&a, &b) != ref[i].ratio ||
		    nh_webpol_page_distance(&a, &b) != ref[i].distance ||
		    nh_webpol_page_similar(&a, &b) != ref[i].similar)
			fail_msg("%zu/%zu: %.17g %.17g", ref[i].m, ref[i].t,
			    nh_webpol_page_ratio(&a, &b),
			    nh_webpol_page_distance(&a, &b));
		/* Symmetric. */
		assert_true(nh_webpol_page_ratio(&b, &a) == ref[i].ratio);
	}
	/* What Internet.nl stores: toward zero. */
	mt(179, 400, &a, &b);
	assert_int_equal((int)nh_webpol_page_distance(&a, &b), 10);

	for (size_t i = 0; i < sizeof(text) / sizeof(*text); i++) {
		digest(text[i].a, &a);
		digest(text[i].b, &b);
		assert_true(nh_webpol_page_ratio(&a, &b) == text[i].ratio);
		assert_true(nh_webpol_page_ratio(&b, &a) == text[i].ratio);
	}

	/* Only hist counts, and whatever it holds, 0 .. 1. */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.len = 5;
	assert_true(nh_webpol_page_ratio(&a, &b) == 1.0);
	for (size_t c = 0; c < 256; c++)
		a.hist[c] = b.hist[c] = ULONG_MAX;
	assert_true(nh_webpol_page_ratio(&a, &b) <= 1.0);
	assert_true(nh_webpol_page_ratio(&a, &b) >= 0.0);
	b.hist[7] = 0;
	assert_true(nh_webpol_page_ratio(&a, &b) <= 1.0);
	assert_true(nh_webpol_page_ratio(&a, &b) >= 0.0);
}

static void
test_different(void **state)
{
	static const char html[] =
	    "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>Gemeente Voorbeeld</title>\n"
	    "</head>\n<body>\n<h1>Welkom bij de gemeente</h1>\n"
	    "<p>Hier vindt u informatie over afval, paspoorten en "
	    "parkeren.</p>\n</body>\n</html>\n";
	static const char json[] =
	    "{\"id\":1048576,\"values\":[3.14159,2.71828,1.41421,1.73205],"
	    "\"ts\":1700000000,\"ok\":true,\"n\":[0,1,2,3,4,5,6,7,8,9]}";
	static const char err[] =
	    "<html><head><title>502 Bad Gateway</title></head><body>"
	    "<center><h1>502 Bad Gateway</h1></center><hr>"
	    "<center>nginx</center></body></html>";
	struct nh_webpol_page a, b;

	(void)state;
	digest(html, &a);
	digest(json, &b);
	assert_true(nh_webpol_page_ratio(&a, &b) < 0.5);
	assert_false(nh_webpol_page_similar(&a, &b));
	digest(err, &b);
	assert_true(nh_webpol_page_ratio(&a, &b) < 0.9);
	assert_false(nh_webpol_page_similar(&a, &b));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_nonce),
		cmocka_unit_test(test_input),
		cmocka_unit_test(test_meta),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_not_markup),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_ratio),
		cmocka_unit_test(test_different),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
