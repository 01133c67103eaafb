/*
 * test_targets.c: scan lists: line forms, normalization, invalid names
 * kept with their reason, duplicates merged with their tags, bounded
 * lines, shards that partition the list, and the digest that names a scan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine.h"

static void
read_text(const char *text, struct nh_target_list *l)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");

	assert_non_null(fp);
	memset(l, 0, sizeof(*l));
	assert_int_equal(nh_targets_read(fp, l), 0);
	fclose(fp);
}

static const struct nh_target *
find(const struct nh_target_list *l, const char *input)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].input, input) == 0)
			return &l->v[i];
	}
	fail_msg("'%s' not in the list", input);
	return NULL;
}

static void
test_forms(void **state)
{
	struct nh_target_list l;
	const struct nh_target *t;

	(void)state;
	read_text("\xef\xbb\xbfGood.Test.\r\n"
		  "# a comment\n"
		  "\n"
		  "   \n"
		  "1,legacy.test\n"
		  "b\xc3\xbc"
		  "cher.test,sector=health, gov ,\n"
		  "mail.test,gov,sector=finance",
	    &l);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.blank, 3);
	assert_int_equal(l.invalid, 0);
	assert_string_equal(l.v[0].domain, "good.test");
	assert_int_equal(l.v[0].line, 1);
	assert_string_equal(l.v[1].domain, "legacy.test"); /* rank dropped */
	assert_int_equal(l.v[1].ntags, 0);
	t = &l.v[2];
	assert_string_equal(t->domain, "xn--bcher-kva.test");
	assert_int_equal(t->ntags, 2); /* sorted, the empty one dropped */
	assert_string_equal(t->tags[0], "gov");
	assert_string_equal(t->tags[1], "sector=health");
	assert_string_equal(l.v[3].tags[1], "sector=finance");
	nh_targets_free(&l);
}

static void
test_invalid_and_duplicates(void **state)
{
	struct nh_target_list l;
	char text[9000], *p = text;

	(void)state;
	p += sprintf(p,
	    "good.test,a\n"
	    "localhost\n"
	    "bad..test\n"
	    "-bad.test\n"
	    "GOOD.test.,b\n"
	    "\n"
	    "x%s.test\n"
	    "good.test,a\n",
	    "-label-too-long-label-too-long-label-too-long-label-too-long-xyz");
	memset(p, 'a', 5000); /* line 9: longer than the limit */
	p += 5000;
	strcpy(p, "\nok.test");
	read_text(text, &l);
	assert_int_equal(l.duplicates, 2);
	assert_int_equal(l.blank, 1);
	assert_int_equal(l.invalid, 5);
	assert_int_equal(l.n, 7);
	assert_int_equal(find(&l, "good.test")->ntags, 2);
	assert_string_equal(
	    find(&l, "localhost")->error, "not a domain name (one label only)");
	assert_null(find(&l, "bad..test")->domain);
	assert_null(find(&l, "-bad.test")->domain);
	assert_non_null(l.v[4].error); /* the 63-octet label */
	assert_string_equal(l.v[5].error, "line longer than 4096 bytes");
	assert_int_equal(l.v[5].line, 9);
	assert_string_equal(l.v[6].domain, "ok.test");
	assert_int_equal(l.v[6].line, 10);
	nh_targets_free(&l);
}

static void
test_shards_partition(void **state)
{
	struct nh_target_list all, part;
	char text[20000];
	size_t len = 0, total = 0;

	(void)state;
	for (int i = 0; i < 500; i++)
		len += (size_t)snprintf(
		    text + len, sizeof(text) - len, "d%d.test\n", i);
	for (unsigned k = 1; k <= 3; k++) {
		read_text(text, &part);
		nh_targets_shard(&part, k, 3);
		assert_int_equal(part.other_shards + part.n, 500);
		assert_true(part.n > 100); /* roughly a third */
		for (size_t i = 0; i < part.n; i++)
			assert_true(nh_target_in_shard(&part.v[i], k, 3));
		total += part.n;
		nh_targets_free(&part);
	}
	assert_int_equal(total, 500);
	read_text(text, &all);
	nh_targets_shard(&all, 1, 1);
	assert_int_equal(all.n, 500);
	nh_targets_free(&all);
}

static void
digest_of(const char *text, const char *opts, char out[NH_TARGETS_DIGEST_HEX])
{
	struct nh_target_list l;

	read_text(text, &l);
	assert_int_equal(nh_targets_digest(&l, opts, out), 0);
	nh_targets_free(&l);
}

static void
test_digest(void **state)
{
	char a[NH_TARGETS_DIGEST_HEX], b[NH_TARGETS_DIGEST_HEX];

	(void)state;
	digest_of("a.test,x,y\nb.test\n", "web", a);
	assert_int_equal(strlen(a), 64);
	digest_of("A.test.,y,x\n\nb.test\n", "web", b);
	assert_string_equal(a, b); /* the same list, written differently */
	digest_of("a.test,x,y\nb.test\n", "mail", b);
	assert_string_not_equal(a, b);
	digest_of("a.test,x\nb.test\n", "web", b);
	assert_string_not_equal(a, b);
	digest_of("b.test\na.test,x,y\n", "web", b);
	assert_string_not_equal(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_invalid_and_duplicates),
		cmocka_unit_test(test_shards_partition),
		cmocka_unit_test(test_digest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
