/*
 * test_smtp_reply.c: the SMTP reply reader (RFC 5321 §4.2): single and
 * multi-line replies, STARTTLS in an EHLO answer, partial input, and what
 * is not SMTP.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mail/mail.h"

static ssize_t
parse(const char *s, struct nh_smtp_reply *r, const char **why)
{
	*why = NULL;
	return nh_smtp_reply_parse(s, strlen(s), r, why);
}

static void
test_single_and_multi(void **state)
{
	struct nh_smtp_reply r;
	const char *why;
	const char *ehlo = "250-mail.good.test\r\n250-PIPELINING\r\n"
			   "250-SIZE 10240000\r\n250-starttls\r\n"
			   "250 8BITMIME\r\n";

	(void)state;
	assert_int_equal(parse("220 mail.good.test ESMTP\r\n", &r, &why), 26);
	assert_int_equal(r.code, 220);
	assert_string_equal(r.text, "mail.good.test ESMTP");
	assert_false(r.starttls);
	assert_int_equal(parse(ehlo, &r, &why), (ssize_t)strlen(ehlo));
	assert_int_equal(r.code, 250);
	assert_int_equal(r.nlines, 5);
	assert_true(r.starttls);
	/* A bare code, and bare LF line ends. */
	assert_int_equal(parse("220\n", &r, &why), 4);
	assert_int_equal(parse("421-busy\n421 later\n", &r, &why), 19);
	assert_int_equal(r.code, 421);
	/* STARTTLS as a parameter, not a keyword, does not count. */
	parse("250-x\r\n250 AUTH STARTTLS\r\n", &r, &why);
	assert_false(r.starttls);
}

static void
test_partial(void **state)
{
	struct nh_smtp_reply r;
	const char *why;

	(void)state;
	assert_int_equal(parse("220 hello", &r, &why), 0);
	assert_int_equal(parse("250-a\r\n250-b\r\n", &r, &why), 0);
	/* Only the first reply is taken. */
	assert_int_equal(parse("220 a\r\n250 b\r\n", &r, &why), 7);
}

static void
test_not_smtp(void **state)
{
	struct nh_smtp_reply r;
	const char *why;
	char big[NH_SMTP_MAX_LINE + 10];
	char many[NH_SMTP_MAX_LINES * 8 + 16];
	size_t o = 0;

	(void)state;
	assert_int_equal(parse("HTTP/1.1 400 Bad\r\n", &r, &why), -1);
	assert_non_null(why);
	assert_int_equal(parse("199 too low\r\n", &r, &why), -1);
	assert_int_equal(parse("220x\r\n", &r, &why), -1);
	assert_int_equal(parse("250-a\r\n251 b\r\n", &r, &why), -1);
	memset(big, 'a', sizeof(big) - 1);
	memcpy(big, "220 ", 4);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(parse(big, &r, &why), -1);
	for (int i = 0; i <= NH_SMTP_MAX_LINES; i++)
		o += (size_t)snprintf(many + o, sizeof(many) - o, "250-x\r\n");
	assert_int_equal(parse(many, &r, &why), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_and_multi),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_not_smtp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
