/*
 * test_domain.c: normalization and syntax of domain names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/model.h"

static void
expect_ok(const char *in, const char *want)
{
	const char *why = "unset";
	char *got = nh_domain_normalize(in, &why);

	if (got == NULL)
		fail_msg("'%s' refused: %s", in, why);
	assert_string_equal(got, want);
	assert_null(why);
	free(got);
}

static void
expect_bad(const char *in, const char *why_want)
{
	const char *why = NULL;
	char *got = nh_domain_normalize(in, &why);

	if (got != NULL)
		fail_msg("'%s' accepted as '%s'", in, got);
	assert_non_null(why);
	assert_string_equal(why, why_want);
}

static void
test_accepts(void **state)
{
	(void)state;
	expect_ok("good.test", "good.test");
	expect_ok("Good.TEST.", "good.test");
	expect_ok("  www.example.org \n", "www.example.org");
	expect_ok("_dmarc.example.org", "_dmarc.example.org");
	expect_ok("xn--bcher-kva.example", "xn--bcher-kva.example");
	expect_ok("b\xc3\xbc"
		  "cher.example",
	    "xn--bcher-kva.example");
	expect_ok("B\xc3\x9c"
		  "CHER.example",
	    "xn--bcher-kva.example");
	expect_ok("a-b.c-d.example", "a-b.c-d.example");
}

static void
test_refuses(void **state)
{
	char label[70], name[300];

	(void)state;
	expect_bad("", "empty name");
	expect_bad("  \t", "empty name");
	expect_bad(".", "empty name");
	expect_bad("localhost", "not a domain name (one label only)");
	expect_bad("a..b", "empty label");
	expect_bad(".a.b", "empty label");
	expect_bad("a.b..", "empty label");
	expect_bad("-a.example", "label begins or ends with a hyphen");
	expect_bad("a-.example", "label begins or ends with a hyphen");
	expect_bad("exa mple.com", "character not allowed in a host name");
	expect_bad("a/b.example", "character not allowed in a host name");
	expect_bad(
	    "a\xff.example", "not a valid internationalized domain name");

	memset(label, 'a', 64);
	label[64] = '\0';
	snprintf(name, sizeof(name), "%s.example", label);
	expect_bad(name, "label longer than 63 characters");
	label[63] = '\0';
	snprintf(name, sizeof(name), "%s.example", label);
	expect_ok(name, name);

	/* 4 labels of 63 and dots: 255 characters, over the limit. */
	snprintf(name, sizeof(name), "%s.%s.%s.%s", label, label, label, label);
	expect_bad(name, "name longer than 253 characters");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts),
		cmocka_unit_test(test_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
