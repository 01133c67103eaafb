/*
 * test_survey_geo.c: src/survey/geo.c: country from RIR delegated
 * statistics (ranges of odd sizes, IPv6 prefixes, version, summary and
 * comment lines, statuses skipped, several files, nested ranges, every
 * kind of malformed line with its line number, a failed load adding
 * nothing); AS from pfx2as (most specific route, lowest of several
 * origins); country and AS from an MMDB (tests/fixtures/survey/test.mmdb,
 * made by make-mmdb.pl); the order of the sources in nh_geo_locate(); and
 * a randomized cross-check of the range lookup against a brute-force
 * scan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "survey/survey.h"
#include "survey/survey_impl.h"

#define MMDB_FIXTURE "tests/fixtures/survey/test.mmdb"

static char err[512];

/* A record for ip, its own values AS777 and "ZZ" (a report's). */
static struct nh_survey_record
locate(const struct nh_geo *g, const char *ip)
{
	struct nh_survey_record r;

	memset(&r, 0, sizeof(r));
	snprintf(r.ip, sizeof(r.ip), "%s", ip);
	r.asn = 777;
	memcpy(r.cc, "ZZ", 3);
	nh_geo_locate(g, &r);
	return r;
}

static void
deleg_ok(struct nh_geo *g, const char *text, const char *name)
{
	if (nh_geo_delegated_from(
		g, text, strlen(text), name, err, sizeof(err)) != 0)
		fail_msg("%s: %s", name, err);
}

/* The delegated country of ip must be want (NULL: none). */
static void
cc_is(const struct nh_geo *g, const char *ip, const char *want, int line)
{
	char cc[3] = "";
	int rc = nh_geo_delegated_cc(g, ip, cc);

	if (want == NULL && rc == -1)
		return;
	if (want != NULL && rc == 0 && strcmp(cc, want) == 0)
		return;
	fail_msg("line %d: %s: got %s, expected %s", line, ip,
	    rc == 0 ? cc : "(none)", want == NULL ? "(none)" : want);
}
#define CC(g, ip, want) cc_is((g), (ip), (want), __LINE__)

static const char ripe[] =
    "# a comment before the version line\n"
    "2|ripencc|20240102|6|19830705|20240101|+0100\n"
    "ripencc|*|asn|*|1|summary\n"
    "ripencc|*|ipv4|*|4|summary\n"
    "ripencc|*|ipv6|*|3|summary\n"
    "ripencc|NL|asn|64500|1|20010101|allocated|a1\n"
    /* 100 addresses: 192.0.2.0 - 192.0.2.99 */
    "ripencc|NL|ipv4|192.0.2.0|100|20010101|allocated|a1\n"
    /* 156 addresses: 192.0.2.100 - 192.0.2.255 */
    "ripencc|de|ipv4|192.0.2.100|156|20010101|assigned|a2\r\n"
    "ripencc|ZZ|ipv4|192.0.3.0|256||available|\n"
    "ripencc||ipv4|192.0.4.0|256||reserved|\n"
    /* 3 addresses at the very end of the space */
    "ripencc|SE|ipv4|255.255.255.253|3|20010101|allocated|a3|e-stats\n"
    "\n"
    "ripencc|JP|ipv6|2001:db8::|32|20010101|allocated|a4\n"
    "ripencc|FR|ipv6|2001:db8:1::|48|20010101|assigned|a5\n"
    "ripencc|ZZ|ipv6|2001:db8:2::|48||available|\n";

static void
test_delegated_ranges(void **state)
{
	struct nh_geo *g = nh_geo_new();

	(void)state;
	deleg_ok(g, ripe, "delegated-ripencc-extended-latest");
	CC(g, "192.0.2.0", "NL");
	CC(g, "192.0.2.99", "NL");
	CC(g, "192.0.2.100", "DE");
	CC(g, "192.0.2.255", "DE");
	CC(g, "192.0.1.255", NULL);
	CC(g, "192.0.3.1", NULL); /* available */
	CC(g, "192.0.4.1", NULL); /* reserved */
	CC(g, "255.255.255.252", NULL);
	CC(g, "255.255.255.253", "SE");
	CC(g, "255.255.255.255", "SE");
	CC(g, "::ffff:192.0.2.5", "NL");
	CC(g, "2001:db8::1", "JP");
	CC(g, "2001:db8:1::1", "FR"); /* the more specific prefix */
	CC(g, "2001:db8:1:ffff:ffff:ffff:ffff:ffff", "FR");
	CC(g, "2001:db8:2::1", "JP"); /* available: the /32 still holds it */
	CC(g, "2001:db8:ffff::1", "JP");
	CC(g, "2001:db9::", NULL);
	CC(g, "2001:db7:ffff::", NULL);
	CC(g, "not an address", NULL);
	CC(g, "", NULL);
	nh_geo_free(g);
}

/* One file per RIR; a range inside another is the answer. */
static void
test_delegated_several_files(void **state)
{
	struct nh_geo *g = nh_geo_new();
	char path[] = "/tmp/nh-test-deleg-XXXXXX";
	const char *arin =
	    "2.3|arin|20240102|3|19700101|20240101|-0500\n"
	    "arin|*|ipv4|*|3|summary\n"
	    /* 300: 198.51.100.0 - 198.51.101.43 */
	    "arin|US|ipv4|198.51.100.0|300|20100101|allocated|x\n"
	    /* 5 inside it: 198.51.100.10 - .14 */
	    "arin|CA|ipv4|198.51.100.10|5|20100101|assigned|y\n"
	    "arin|US|ipv6|2001:db8:8000::|33|20100101|allocated|x\n";
	FILE *fp;
	int fd;

	(void)state;
	deleg_ok(g, ripe, "ripe");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs(arin, fp);
	fclose(fp);
	if (nh_geo_load_delegated(g, path, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	unlink(path);
	CC(g, "192.0.2.50", "NL"); /* the first file's still there */
	CC(g, "198.51.100.9", "US");
	CC(g, "198.51.100.10", "CA");
	CC(g, "198.51.100.14", "CA");
	CC(g, "198.51.100.15", "US");
	CC(g, "198.51.101.43", "US");
	CC(g, "198.51.101.44", NULL);
	CC(g, "2001:db8:7fff::1", "JP");
	CC(g, "2001:db8:8000::1", "US"); /* /33 inside RIPE's /32 */
	CC(g, "2001:db8:1::1", "FR");

	/* A missing file. */
	assert_int_equal(nh_geo_load_delegated(g, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	nh_geo_free(g);
}

static void
deleg_fail(const char *text, const char *want)
{
	struct nh_geo *g = nh_geo_new();

	deleg_ok(g, "ripencc|NL|ipv4|10.0.0.0|256|20010101|allocated\n", "ok");
	err[0] = '\0';
	if (nh_geo_delegated_from(
		g, text, strlen(text), "d", err, sizeof(err)) != -1)
		fail_msg("loaded %s", text);
	if (strstr(err, want) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err, want);
	/* Nothing added, nothing lost. */
	CC(g, "10.0.0.255", "NL");
	CC(g, "192.0.2.1", NULL);
	nh_geo_free(g);
}

static void
test_delegated_malformed(void **state)
{
	char long_line[1200];

	(void)state;
	deleg_fail("2|ripencc|20240102|1|19830705|20240101|+0100\n"
		   "ripencc|NL|ipv4|192.0.2.0|256|20010101|allocated\n"
		   "ripencc|NL|ipv4|192.0.2.0|256|20010101\n",
	    "d:3: 6 fields where a record has");
	deleg_fail("ripencc|NL|ipv4|192.0.2.0|256|20010101|allocated\n"
		   "ripencc|NL|ipv4|192.0.3.0|256|20010101|bogus\n",
	    "d:2: status \"bogus\"");
	deleg_fail("ripencc|NL|ipx|192.0.2.0|256|20010101|allocated\n",
	    "d:1: type \"ipx\"");
	deleg_fail("ripencc|NL|ipv4|192.0.2.0|0|20010101|allocated\n",
	    "d:1: ipv4 value \"0\"");
	deleg_fail("ripencc|NL|ipv4|192.0.2.0|-1|20010101|allocated\n",
	    "d:1: ipv4 value \"-1\"");
	deleg_fail("ripencc|NL|ipv4|255.255.255.0|257|20010101|allocated\n",
	    "d:1: 255.255.255.0 + 257 addresses runs past");
	deleg_fail("ripencc|NL|ipv4|192.0.2.256|1|20010101|allocated\n",
	    "d:1: start \"192.0.2.256\" is not an IPv4 address");
	deleg_fail("ripencc|NL|ipv6|2001:db8::1|32|20010101|allocated\n",
	    "d:1: host bits set in 2001:db8::1/32");
	deleg_fail("ripencc|NL|ipv6|2001:db8::|129|20010101|allocated\n",
	    "d:1: ipv6 value \"129\"");
	deleg_fail("ripencc|NL|ipv6|192.0.2.0|32|20010101|allocated\n",
	    "is not an IPv6 address");
	deleg_fail("ripencc|N1|ipv4|192.0.2.0|256|20010101|allocated\n",
	    "d:1: country \"N1\" is not two letters");
	deleg_fail("ripencc||ipv4|192.0.2.0|256|20010101|assigned\n",
	    "d:1: country \"\"");
	deleg_fail("a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q|r\n", "more than 16");
	deleg_fail(
	    "ripencc|NL|ipv4|192.0.2.0|2\0|20010101|allocated\n", "d:1:");
	deleg_fail("# only comments\n2|x|1|1|1|1|+0\nx|*|ipv4|*|0|summary\n",
	    "d: no allocated or assigned address range");
	deleg_fail("", "no allocated or assigned");
	memset(long_line, 'x', sizeof(long_line) - 2);
	long_line[sizeof(long_line) - 2] = '\n';
	long_line[sizeof(long_line) - 1] = '\0';
	deleg_fail(long_line, "d:1: line longer than 1024 bytes");
	/* The version line only as the first line. */
	deleg_fail("ripencc|NL|ipv4|192.0.2.0|256|20010101|allocated\n"
		   "2|ripencc|20240102|1|19830705|20240101|+0100\n",
	    "d:2: type \"20240102\"");
}

/* An NUL inside a line, given with its length. */
static void
test_delegated_nul(void **state)
{
	static const char text[] =
	    "ripencc|NL|ipv4|192.0.2.0|256|20010101|alloc\0ted\n";
	struct nh_geo *g = nh_geo_new();

	(void)state;
	assert_int_equal(nh_geo_delegated_from(
			     g, text, sizeof(text) - 1, "d", err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "d:1: NUL byte"));
	nh_geo_free(g);
}

static char *
write_tmp(const char *text)
{
	char *path = strdup("/tmp/nh-test-geo-XXXXXX");
	int fd = mkstemp(path);
	FILE *fp;

	assert_true(fd >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void
test_pfx2as_most_specific(void **state)
{
	struct nh_geo *g = nh_geo_new();
	char *p = write_tmp("10.0.0.0\t8\t64500\n"
			    "10.1.0.0\t16\t64501\n"
			    "10.1.2.0\t24\t64503_64502\n"
			    "10.1.2.0\t25\t64504,64505\n" /* AS set: skipped */
			    "2001:db8::\t32\t64510\n"
			    "2001:db8:1::\t48\t64511\n");
	struct nh_survey_record r;

	(void)state;
	if (nh_geo_load_pfx2as(g, p, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	unlink(p);
	free(p);
	r = locate(g, "10.1.2.3");
	assert_int_equal(r.asn, 64502);  /* lowest of the /24's origins */
	assert_string_equal(r.cc, "ZZ"); /* no country source: kept */
	assert_int_equal(locate(g, "10.1.3.1").asn, 64501);
	assert_int_equal(locate(g, "10.200.0.1").asn, 64500);
	assert_int_equal(locate(g, "11.0.0.1").asn, 777);
	assert_int_equal(locate(g, "2001:db8:1::5").asn, 64511);
	assert_int_equal(locate(g, "2001:db8:2::5").asn, 64510);
	assert_int_equal(locate(g, "::ffff:10.1.2.3").asn, 64502);
	assert_int_equal(locate(g, "garbage").asn, 777);

	/* A second file adds a more specific route. */
	p = write_tmp("10.1.2.128/25,AS64520\n");
	if (nh_geo_load_pfx2as(g, p, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	unlink(p);
	free(p);
	assert_int_equal(locate(g, "10.1.2.200").asn, 64520);
	assert_int_equal(locate(g, "10.1.2.3").asn, 64502);

	/* Errors as the rpki loader gives them: file, line, reason. */
	p = write_tmp("10.0.0.0\t8\t64500\n10.0.0.1\t24\t64501\n");
	assert_int_equal(nh_geo_load_pfx2as(g, p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, p));
	assert_non_null(strstr(err, ":2:"));
	assert_non_null(strstr(err, "host bits"));
	unlink(p);
	free(p);
	assert_int_equal(locate(g, "10.1.2.200").asn, 64520);
	nh_geo_free(g);
}

static void
test_mmdb(void **state)
{
	struct nh_geo *g = nh_geo_new();
	struct nh_survey_record r;

	(void)state;
	if (nh_geo_load_mmdb(g, MMDB_FIXTURE, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	r = locate(g, "198.51.100.7");
	assert_int_equal(r.asn, 64500);
	assert_string_equal(r.cc, "NL");
	r = locate(g, "203.0.113.5"); /* country only */
	assert_int_equal(r.asn, 777);
	assert_string_equal(r.cc, "DE");
	r = locate(g, "203.0.113.200"); /* registered_country only */
	assert_string_equal(r.cc, "FR");
	r = locate(g, "192.0.2.1"); /* AS only */
	assert_int_equal(r.asn, 64502);
	assert_string_equal(r.cc, "ZZ");
	r = locate(g, "2001:db8:1::1");
	assert_int_equal(r.asn, 64501);
	assert_string_equal(r.cc, "JP");
	r = locate(g, "::ffff:198.51.100.7");
	assert_int_equal(r.asn, 64500);
	r = locate(g, "10.0.0.1"); /* not in it */
	assert_int_equal(r.asn, 777);
	assert_string_equal(r.cc, "ZZ");
	r = locate(g, "nonsense");
	assert_int_equal(r.asn, 777);

	/* Not there; not an MMDB. */
	assert_int_equal(
	    nh_geo_load_mmdb(g, "/nonexistent/x.mmdb", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/x.mmdb: "));
	assert_int_equal(
	    nh_geo_load_mmdb(
		g, "tests/fixtures/survey/make-mmdb.pl", err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "make-mmdb.pl: "));
	nh_geo_free(g);
}

/* pfx2as before MMDB's AS; delegated before MMDB's country. */
static void
test_locate_order(void **state)
{
	struct nh_geo *g = nh_geo_new();
	char *p = write_tmp("198.51.100.0/24,64999\n");
	struct nh_survey_record r;

	(void)state;
	if (nh_geo_load_mmdb(g, MMDB_FIXTURE, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	if (nh_geo_load_pfx2as(g, p, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	unlink(p);
	free(p);
	deleg_ok(
	    g, "arin|US|ipv4|198.51.100.128|128|20100101|allocated\n", "arin");
	r = locate(g, "198.51.100.200");
	assert_int_equal(r.asn, 64999);
	assert_string_equal(r.cc, "US");
	r = locate(g, "198.51.100.1"); /* delegated says nothing here */
	assert_int_equal(r.asn, 64999);
	assert_string_equal(r.cc, "NL");
	r = locate(g, "2001:db8:1::1"); /* only the MMDB knows it */
	assert_int_equal(r.asn, 64501);
	assert_string_equal(r.cc, "JP");
	nh_geo_free(g);
}

/*
 * Random nested ranges (prefix-aligned blocks of 10.0.0.0/24 and
 * 2001:db8::/120: any two are disjoint or one holds the other) against a
 * brute-force search for the smallest range holding each address.
 */
static void
test_delegated_random(void **state)
{
	(void)state;
	srand(10);
	for (int round = 0; round < 50; round++) {
		struct nh_geo *g = nh_geo_new();
		unsigned lo[40], cnt[40];
		char text[40 * 96], cc[40][3];
		size_t n = (size_t)(1 + rand() % 40), used = 0;

		for (size_t i = 0; i < n; i++) {
			unsigned len = 24 + (unsigned)(rand() % 9), key;

			cnt[i] = 1u << (32 - len);
			lo[i] = (unsigned)(rand() % 256) & ~(cnt[i] - 1);
			/* One country per block: (1 << (len - 24)) - 1 +
			 * lo / cnt numbers the 511 blocks. */
			key = (1u << (len - 24)) - 1 + lo[i] / cnt[i];
			cc[i][0] = (char)('A' + key / 26);
			cc[i][1] = (char)('A' + key % 26);
			cc[i][2] = '\0';
			used +=
			    (size_t)snprintf(text + used, sizeof(text) - used,
				"r|%s|ipv4|10.0.0.%u|%u|0|assigned\n"
				"r|%s|ipv6|2001:db8::%x|%u|0|assigned\n",
				cc[i], lo[i], cnt[i], cc[i], lo[i], 96 + len);
		}
		deleg_ok(g, text, "random");
		for (unsigned a = 0; a < 256; a++) {
			char ip[64];
			int best = -1;

			for (size_t i = 0; i < n; i++)
				if (a >= lo[i] && a < lo[i] + cnt[i] &&
				    (best < 0 || cnt[i] < cnt[best]))
					best = (int)i;
			snprintf(ip, sizeof(ip), "10.0.0.%u", a);
			CC(g, ip, best < 0 ? NULL : cc[best]);
			snprintf(ip, sizeof(ip), "2001:db8::%x", a);
			CC(g, ip, best < 0 ? NULL : cc[best]);
		}
		nh_geo_free(g);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delegated_ranges),
		cmocka_unit_test(test_delegated_several_files),
		cmocka_unit_test(test_delegated_malformed),
		cmocka_unit_test(test_delegated_nul),
		cmocka_unit_test(test_pfx2as_most_specific),
		cmocka_unit_test(test_mmdb),
		cmocka_unit_test(test_locate_order),
		cmocka_unit_test(test_delegated_random),
	};

	nh_geo_free(NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
