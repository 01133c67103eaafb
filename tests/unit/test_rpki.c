/*
 * test_rpki.c: src/rpki/: route origin validation by the rules of RFC
 * 6811 §2 (covered, matched; AS0, RFC 6483 §4) and the worked example of
 * RFC 9319 §3, IPv4 and IPv6; the routes that cover an address; each
 * loader on good input and on each kind of error; format detection; and
 * the lab's own files. A randomized cross-check compares the lookup
 * structure with a brute-force scan.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rpki/rpki.h"

static char err[512];

/* A ready set from VRPs and routes in text (either may be NULL). */
static struct nh_rpki *
set(const char *vrps, const char *routes)
{
	struct nh_rpki *r = nh_rpki_new();

	assert_non_null(r);
	if (vrps != NULL &&
	    nh_rpki_vrps_from(
		r, vrps, strlen(vrps), "vrps", err, sizeof(err)) != 0)
		fail_msg("vrps: %s", err);
	if (routes != NULL &&
	    nh_rpki_routes_from(
		r, routes, strlen(routes), "routes", err, sizeof(err)) != 0)
		fail_msg("routes: %s", err);
	assert_int_equal(nh_rpki_ready(r), 0);
	return r;
}

#define STATE(r, p, l, as, want) \
	do { \
		enum nh_rov got_ = nh_rpki_validate((r), (p), (l), (as)); \
		if (got_ != (want)) \
			fail_msg("%s/%u AS%u: %s, expected %s", (p), (l), \
			    (unsigned)(as), nh_rov_name(got_), \
			    nh_rov_name(want)); \
	} while (0)

/* A VRP load that must fail with `want` in the message. */
static void
vrps_fail(const char *text, const char *want)
{
	struct nh_rpki *r = nh_rpki_new();

	err[0] = '\0';
	if (nh_rpki_vrps_from(r, text, strlen(text), "v", err, sizeof(err)) ==
	    0)
		fail_msg("loaded, expected an error with \"%s\"", want);
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
	assert_int_equal(nh_rpki_vrp_count(r), 0);
	nh_rpki_free(r);
}

static void
routes_fail(const char *text, const char *want)
{
	struct nh_rpki *r = nh_rpki_new();

	err[0] = '\0';
	if (nh_rpki_routes_from(r, text, strlen(text), "r", err, sizeof(err)) ==
	    0)
		fail_msg("loaded, expected an error with \"%s\"", want);
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
	assert_int_equal(nh_rpki_route_count(r), 0);
	nh_rpki_free(r);
}

#define CSV_HEAD "ASN,IP Prefix,Max Length,Trust Anchor\n"

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(nh_rov_name(NH_ROV_NOT_FOUND), "not_found");
	assert_string_equal(nh_rov_name(NH_ROV_VALID), "valid");
	assert_string_equal(nh_rov_name(NH_ROV_INVALID_ASN), "invalid_asn");
	assert_string_equal(
	    nh_rov_name(NH_ROV_INVALID_LENGTH), "invalid_length");
	assert_string_equal(nh_rov_name((enum nh_rov)42), "unknown");
}

/*
 * RFC 6811 §2's definitions, one case each, on the VRP 10.0.0.0/16,
 * maxLength 24, AS 64496. (RFC 6811 §2.1 is the pseudo-code these follow;
 * the RFC has no numbered examples.)
 */
static void
test_rfc6811_rules(void **state)
{
	struct nh_rpki *r = set(CSV_HEAD "AS64496,10.0.0.0/16,24,t\n", NULL);

	(void)state;
	/* Covered and matched: the VRP's own prefix, a more specific one
	 * within maxLength, and exactly at maxLength. */
	STATE(r, "10.0.0.0", 16, 64496, NH_ROV_VALID);
	STATE(r, "10.0.1.0", 24, 64496, NH_ROV_VALID);
	STATE(r, "10.0.255.0", 24, 64496, NH_ROV_VALID);
	/* Covered, longer than maxLength: Invalid (the length). */
	STATE(r, "10.0.1.0", 25, 64496, NH_ROV_INVALID_LENGTH);
	STATE(r, "10.0.1.1", 32, 64496, NH_ROV_INVALID_LENGTH);
	/* Covered, another origin: Invalid (the AS), within maxLength or
	 * not. */
	STATE(r, "10.0.0.0", 16, 64511, NH_ROV_INVALID_ASN);
	STATE(r, "10.0.1.0", 25, 64511, NH_ROV_INVALID_ASN);
	/* Not covered: a less specific prefix (the VRP's length is longer
	 * than the route's), a neighbour, another family. */
	STATE(r, "10.0.0.0", 8, 64496, NH_ROV_NOT_FOUND);
	STATE(r, "10.0.0.0", 15, 64496, NH_ROV_NOT_FOUND);
	STATE(r, "10.1.0.0", 16, 64496, NH_ROV_NOT_FOUND);
	STATE(r, "::ffff:10.0.0.0", 112, 64496, NH_ROV_NOT_FOUND);
	/* Address bits after the route's length are ignored. */
	STATE(r, "10.0.1.77", 24, 64496, NH_ROV_VALID);
	/* Not a prefix: NotFound. */
	STATE(r, "10.0.0.0", 33, 64496, NH_ROV_NOT_FOUND);
	STATE(r, "10.0.0", 16, 64496, NH_ROV_NOT_FOUND);
	nh_rpki_free(r);
}

/*
 * RFC 9319 §3: AS 64496 holds 192.168.0.0/16 and originates it and
 * 192.168.225.0/24. With the loose ROA (192.168.0.0/16-24, AS 64496) a
 * forged-origin announcement of 192.168.0.0/24 "AS 64511, AS 64496" (origin
 * 64496) is Valid; with the minimal ROA (192.168.0.0/16,
 * 192.168.225.0/24, AS 64496) it is Invalid, and the real routes stay
 * Valid.
 */
static void
test_rfc9319_example(void **state)
{
	struct nh_rpki *loose =
	    set("{\"roas\":[{\"asn\":64496,\"prefix\":\"192.168.0.0/16\","
		"\"maxLength\":24}]}",
		NULL);
	struct nh_rpki *minimal =
	    set("{\"roas\":[{\"asn\":64496,\"prefix\":\"192.168.0.0/16\"},"
		"{\"asn\":64496,\"prefix\":\"192.168.225.0/24\"}]}",
		NULL);

	(void)state;
	STATE(loose, "192.168.0.0", 24, 64496, NH_ROV_VALID);
	STATE(minimal, "192.168.0.0", 24, 64496, NH_ROV_INVALID_LENGTH);
	STATE(minimal, "192.168.0.0", 16, 64496, NH_ROV_VALID);
	STATE(minimal, "192.168.225.0", 24, 64496, NH_ROV_VALID);
	/* The hijacker's own origin is invalid either way. */
	STATE(loose, "192.168.0.0", 24, 64511, NH_ROV_INVALID_ASN);
	STATE(minimal, "192.168.0.0", 24, 64511, NH_ROV_INVALID_ASN);
	nh_rpki_free(loose);
	nh_rpki_free(minimal);
}

static void
test_ipv6(void **state)
{
	struct nh_rpki *r = set(CSV_HEAD "AS64496,2001:db8::/32,48,t\n"
					 "AS64497,2001:db8:ff::/48,48,t\n"
					 "AS64498,2001:db8:1:2::/64,128,t\n",
	    NULL);

	(void)state;
	STATE(r, "2001:db8::", 32, 64496, NH_ROV_VALID);
	STATE(r, "2001:db8:1::", 48, 64496, NH_ROV_VALID);
	STATE(r, "2001:db8:1::", 56, 64496, NH_ROV_INVALID_LENGTH);
	STATE(r, "2001:db8::", 32, 64497, NH_ROV_INVALID_ASN);
	STATE(r, "2001:db8::", 31, 64496, NH_ROV_NOT_FOUND);
	STATE(r, "2001:db9::", 32, 64496, NH_ROV_NOT_FOUND);
	/* Two VRPs cover 2001:db8:ff::/48: either origin is valid. */
	STATE(r, "2001:db8:ff::", 48, 64496, NH_ROV_VALID);
	STATE(r, "2001:db8:ff::", 48, 64497, NH_ROV_VALID);
	STATE(r, "2001:db8:ff::", 48, 64498, NH_ROV_INVALID_ASN);
	/* maxLength 128: a host route is valid. */
	STATE(r, "2001:db8:1:2::1", 128, 64498, NH_ROV_VALID);
	STATE(r, "2001:db8:1:2::", 64, 64498, NH_ROV_VALID);
	STATE(r, "2001:db8:1:2::", 63, 64498, NH_ROV_INVALID_ASN);
	assert_int_equal(nh_rpki_vrps_covering(r, "2001:db8:1:2::1"), 2);
	assert_int_equal(nh_rpki_vrps_covering(r, "2001:db8:ff::1"), 2);
	assert_int_equal(nh_rpki_vrps_covering(r, "2001:db8:2::1"), 1);
	assert_int_equal(nh_rpki_vrps_covering(r, "2001:db9::1"), 0);
	assert_int_equal(nh_rpki_vrps_covering(r, "10.0.0.1"), 0);
	nh_rpki_free(r);
}

static void
test_maxlength(void **state)
{
	/* maxLength equal to the prefix length (and absent in JSON: the
	 * same), then longer. */
	struct nh_rpki *r = set("{\"roas\":[{\"asn\":\"AS64496\","
				"\"prefix\":\"203.0.113.0/24\"},"
				"{\"asn\":64497,\"prefix\":\"198.51.100.0/24\","
				"\"maxLength\":24},"
				"{\"asn\":64498,\"prefix\":\"192.0.2.0/24\","
				"\"maxLength\":26}]}",
	    NULL);

	(void)state;
	STATE(r, "203.0.113.0", 24, 64496, NH_ROV_VALID);
	STATE(r, "203.0.113.0", 25, 64496, NH_ROV_INVALID_LENGTH);
	STATE(r, "198.51.100.0", 24, 64497, NH_ROV_VALID);
	STATE(r, "198.51.100.128", 25, 64497, NH_ROV_INVALID_LENGTH);
	STATE(r, "192.0.2.64", 26, 64498, NH_ROV_VALID);
	STATE(r, "192.0.2.64", 27, 64498, NH_ROV_INVALID_LENGTH);
	nh_rpki_free(r);
}

/* RFC 6483 §4, RFC 6811 §2: a VRP of AS0 matches no route. */
static void
test_as0(void **state)
{
	struct nh_rpki *r = set(CSV_HEAD "AS0,10.0.0.0/8,32,t\n"
					 "AS64496,10.1.0.0/16,16,t\n",
	    NULL);

	(void)state;
	STATE(r, "10.0.0.0", 8, 0, NH_ROV_INVALID_ASN);
	STATE(r, "10.0.0.0", 8, 64496, NH_ROV_INVALID_ASN);
	STATE(r, "10.2.0.0", 24, 64496, NH_ROV_INVALID_ASN);
	/* Beside an AS0 VRP, a real one still matches. */
	STATE(r, "10.1.0.0", 16, 64496, NH_ROV_VALID);
	STATE(r, "10.1.0.0", 24, 64496, NH_ROV_INVALID_LENGTH);
	/* Origin 0 never matches, even a VRP of AS0. */
	STATE(r, "10.1.0.0", 16, 0, NH_ROV_INVALID_ASN);
	/* AS0 VRPs count as existing. */
	assert_int_equal(nh_rpki_vrps_covering(r, "10.1.2.3"), 2);
	assert_int_equal(nh_rpki_vrps_covering(r, "10.9.9.9"), 1);
	nh_rpki_free(r);
}

/* Several VRPs cover a route: any match makes it valid; invalid_length
 * only when one names the origin. */
static void
test_multiple_vrps(void **state)
{
	struct nh_rpki *r = set(CSV_HEAD "AS64496,10.0.0.0/8,16,t\n"
					 "AS64497,10.0.0.0/16,24,t\n"
					 "AS64498,10.0.0.0/24,24,t\n"
					 "AS64496,10.0.0.0/8,16,other-ta\n",
	    NULL);

	(void)state;
	/* The duplicate from another trust anchor counts once. */
	assert_int_equal(nh_rpki_vrp_count(r), 3);
	STATE(r, "10.0.0.0", 24, 64496, NH_ROV_INVALID_LENGTH);
	STATE(r, "10.0.0.0", 24, 64497, NH_ROV_VALID);
	STATE(r, "10.0.0.0", 24, 64498, NH_ROV_VALID);
	STATE(r, "10.0.0.0", 24, 64499, NH_ROV_INVALID_ASN);
	STATE(r, "10.0.0.0", 16, 64496, NH_ROV_VALID);
	STATE(r, "10.0.0.0", 16, 64498, NH_ROV_INVALID_ASN);
	STATE(r, "10.0.1.0", 24, 64498, NH_ROV_INVALID_ASN);
	assert_int_equal(nh_rpki_vrps_covering(r, "10.0.0.1"), 3);
	assert_int_equal(nh_rpki_vrps_covering(r, "10.0.1.1"), 2);
	assert_int_equal(nh_rpki_vrps_covering(r, "10.200.1.1"), 1);
	assert_int_equal(nh_rpki_vrps_covering(r, "11.0.0.1"), 0);
	nh_rpki_free(r);
}

static void
test_routes_for(void **state)
{
	struct nh_rpki *r = set(CSV_HEAD "AS64496,10.0.0.0/8,24,t\n"
					 "AS64500,2001:db8::/32,48,t\n",
	    "10.0.0.0\t8\t64496\n"
	    "10.0.0.0\t16\t64497_64496\n"
	    "10.0.0.0\t24\t64496\n"
	    "10.0.0.0\t25\t64496\n"
	    "10.1.0.0\t16\t64496\n"
	    "10.0.0.0\t16\t64496\n"      /* again: one route */
	    "11.0.0.0\t8\t64496,64497\n" /* an AS set: skipped */
	    "2001:db8::\t32\t64500\n"
	    "2001:db8:1::\t48\t64501\n");
	struct nh_rpki_route out[8];
	size_t n;

	(void)state;
	assert_int_equal(nh_rpki_route_count(r), 8);
	n = nh_rpki_routes_for(r, "10.0.0.1", out, 8);
	assert_int_equal(n, 5);
	/* The most specific first; origins of one prefix by number. */
	assert_string_equal(out[0].prefix, "10.0.0.0");
	assert_int_equal(out[0].len, 25);
	assert_int_equal(out[0].state, NH_ROV_INVALID_LENGTH);
	assert_int_equal(out[1].len, 24);
	assert_int_equal(out[1].state, NH_ROV_VALID);
	assert_int_equal(out[2].len, 16);
	assert_int_equal(out[2].asn, 64496);
	assert_int_equal(out[2].state, NH_ROV_VALID);
	assert_int_equal(out[3].len, 16);
	assert_int_equal(out[3].asn, 64497);
	assert_int_equal(out[3].state, NH_ROV_INVALID_ASN);
	assert_int_equal(out[4].len, 8);
	assert_int_equal(out[4].state, NH_ROV_VALID);
	/* cap smaller than the count: the count all the same. */
	assert_int_equal(nh_rpki_routes_for(r, "10.0.0.200", out, 2), 4);
	assert_int_equal(out[0].len, 24);
	assert_int_equal(nh_rpki_routes_for(r, "10.0.0.200", NULL, 0), 4);
	/* A sibling: its own /16 and the /8. */
	assert_int_equal(nh_rpki_routes_for(r, "10.1.2.3", out, 8), 2);
	assert_int_equal(out[0].len, 16);
	assert_string_equal(out[0].prefix, "10.1.0.0");
	assert_int_equal(nh_rpki_routes_for(r, "10.2.0.1", out, 8), 1);
	/* The AS-set route was skipped. */
	assert_int_equal(nh_rpki_routes_for(r, "11.0.0.1", out, 8), 0);
	/* IPv4-mapped counts as IPv4. */
	assert_int_equal(nh_rpki_routes_for(r, "::ffff:10.1.2.3", out, 8), 2);
	/* IPv6. */
	n = nh_rpki_routes_for(r, "2001:db8:1::53", out, 8);
	assert_int_equal(n, 2);
	assert_string_equal(out[0].prefix, "2001:db8:1::");
	assert_int_equal(out[0].len, 48);
	assert_int_equal(out[0].asn, 64501);
	assert_int_equal(out[0].state, NH_ROV_INVALID_ASN);
	assert_string_equal(out[1].prefix, "2001:db8::");
	assert_int_equal(out[1].state, NH_ROV_VALID);
	/* Not addresses. */
	assert_int_equal(nh_rpki_routes_for(r, "10.0.0.0/8", out, 8), 0);
	assert_int_equal(nh_rpki_routes_for(r, "", out, 8), 0);
	assert_int_equal(nh_rpki_routes_for(r, "example.test", out, 8), 0);
	assert_int_equal(nh_rpki_vrps_covering(r, "nope"), 0);
	nh_rpki_free(r);
}

static void
test_vrp_formats(void **state)
{
	/* rpki-client -j: numbers, metadata, expires; older versions wrote
	 * "AS64496". */
	static const char rpki_client[] =
	    "{\n\t\"metadata\": { \"buildmachine\": \"x\", \"roas\": 2, "
	    "\"tals\": [\"a\", \"b\"], \"x\": null, \"y\": true, "
	    "\"z\": -1.5e3 },\n"
	    "\t\"roas\": [\n"
	    "\t\t{ \"asn\": 64496, \"prefix\": \"198.51.100.0/24\", "
	    "\"maxLength\": 24, \"ta\": \"lab\", \"expires\": 4102444800 },\n"
	    "\t\t{ \"asn\": \"AS64500\", \"prefix\": \"2001:db8:0:2::/64\", "
	    "\"maxLength\": 64, \"ta\": \"lab\", \"expires\": 4102444800 }\n"
	    "\t],\n\t\"aspas\": [ { \"customer_asid\": 1, \"providers\": "
	    "[2, 3] } ]\n}\n";
	/* Routinator -f json and -f jsonext (sources, router keys, ASPAs);
	 * escapes in strings we skip and in names we read. */
	static const char routinator[] =
	    "\xef\xbb\xbf{\"metadata\":{\"generated\":0,\"generatedTime\":"
	    "\"1970-01-01T00:00:00Z\"},\"roas\":[{\"asn\":\"AS64497\","
	    "\"prefix\":\"203.0.113.0/24\",\"maxLength\":24,\"source\":[{"
	    "\"type\":\"roa\",\"uri\":\"rsync://x/\\\"y\\u00e9\\\\\",\"tal\":"
	    "\"ripe\",\"validity\":{\"notBefore\":\"a\"}}]},{\"\\u0061sn\":"
	    "\"64498\",\"prefix\":\"192.0.2.0/24\",\"maxLength\":24,"
	    "\"ta\":\"N/A\"}],\"routerKeys\":[],\"aspas\":[]}";
	/* Routinator -f csv, -f csvcompat (quoted), rpki-client's csv
	 * (an Expires column), CR LF line ends. */
	static const char csv[] = "ASN,IP Prefix,Max Length,Trust Anchor\r\n"
				  "AS64496,198.51.100.0/24,24,lab\r\n"
				  "\r\n"
				  "# a comment\r\n"
				  "AS64496,2001:db8:0:1::/64,64,lab\r\n";
	static const char compat[] =
	    "\"ASN\",\"IP Prefix\",\"Max Length\",\"Trust Anchor\"\n"
	    "\"64500\",\"203.0.113.0/24\",\"24\",\"lab\"\n"
	    "\"AS64500\", \"2001:db8:0:2::/64\" ,\"64\",\"lab\"";
	static const char expires[] =
	    "ASN,IP Prefix,Max Length,Trust Anchor,Expires\n"
	    "AS13335,1.0.0.0/24,24,apnic,1753280249\n";
	struct nh_rpki *r;

	(void)state;
	r = set(rpki_client, NULL);
	assert_int_equal(nh_rpki_vrp_count(r), 2);
	STATE(r, "198.51.100.0", 24, 64496, NH_ROV_VALID);
	STATE(r, "2001:db8:0:2::", 64, 64500, NH_ROV_VALID);
	nh_rpki_free(r);

	r = set(routinator, NULL);
	assert_int_equal(nh_rpki_vrp_count(r), 2);
	STATE(r, "203.0.113.0", 24, 64497, NH_ROV_VALID);
	STATE(r, "192.0.2.0", 24, 64498, NH_ROV_VALID);
	nh_rpki_free(r);

	r = set(csv, NULL);
	assert_int_equal(nh_rpki_vrp_count(r), 2);
	STATE(r, "2001:db8:0:1::", 64, 64496, NH_ROV_VALID);
	nh_rpki_free(r);

	r = set(compat, NULL);
	assert_int_equal(nh_rpki_vrp_count(r), 2);
	STATE(r, "203.0.113.0", 24, 64500, NH_ROV_VALID);
	STATE(r, "2001:db8:0:2::", 64, 64500, NH_ROV_VALID);
	nh_rpki_free(r);

	r = set(expires, NULL);
	STATE(r, "1.0.0.0", 24, 13335, NH_ROV_VALID);
	nh_rpki_free(r);

	/* Other spellings of an ASN in a string. */
	r = set("{\"roas\":[{\"asn\":\"AS 64501\",\"prefix\":\"10.0.0.0/8\"},"
		"{\"asn\":\"as64502\",\"prefix\":\"11.0.0.0/8\"},"
		"{\"asn\":\"4294967295\",\"prefix\":\"12.0.0.0/8\"}]}",
	    NULL);
	STATE(r, "10.0.0.0", 8, 64501, NH_ROV_VALID);
	STATE(r, "11.0.0.0", 8, 64502, NH_ROV_VALID);
	STATE(r, "12.0.0.0", 8, 4294967295u, NH_ROV_VALID);
	nh_rpki_free(r);

	/* Loads append: all four files into one set. */
	r = nh_rpki_new();
	assert_int_equal(nh_rpki_vrps_from(r, rpki_client, strlen(rpki_client),
			     "a", err, sizeof(err)),
	    0);
	assert_int_equal(nh_rpki_vrps_from(r, routinator, strlen(routinator),
			     "b", err, sizeof(err)),
	    0);
	assert_int_equal(
	    nh_rpki_vrps_from(r, csv, strlen(csv), "c", err, sizeof(err)), 0);
	assert_int_equal(
	    nh_rpki_vrps_from(r, compat, strlen(compat), "d", err, sizeof(err)),
	    0);
	nh_rpki_ready(r);
	/* 198.51.100.0/24 and 2001:db8:0:2::/64 twice. */
	assert_int_equal(nh_rpki_vrp_count(r), 6);
	nh_rpki_free(r);
}

static void
test_vrp_csv_errors(void **state)
{
	(void)state;
	vrps_fail("", "v: no VRPs: the file is empty");
	vrps_fail(" \n\t\n", "no VRPs");
	vrps_fail(CSV_HEAD, "v: no VRPs");
	vrps_fail(CSV_HEAD "# only a comment\n", "v: no VRPs");
	vrps_fail("AS64496,10.0.0.0/8,8,t\n", "v:1: not a VRP file");
	vrps_fail("URI,ASN,IP Prefix,Max Length,Not Before,Not After\n",
	    "v:1: not a VRP file");
	vrps_fail("hello\n", "v:1: not a VRP file");
	vrps_fail(CSV_HEAD "AS64496,10.0.0.0/8,8,t\nASx,10.0.0.0/8,8,t\n",
	    "v:3: \"ASx\" is not an AS number");
	vrps_fail(CSV_HEAD "AS4294967296,10.0.0.0/8,8,t\n",
	    "v:2: \"AS4294967296\" is not an AS number");
	vrps_fail(CSV_HEAD "AS-1,10.0.0.0/8,8,t\n", "not an AS number");
	vrps_fail(CSV_HEAD "AS1.5,10.0.0.0/8,8,t\n", "not an AS number");
	vrps_fail(CSV_HEAD "AS1,10.0.0.1/8,8,t\n",
	    "v:2: host bits set in \"10.0.0.1/8\"");
	vrps_fail(CSV_HEAD "AS1,2001:db8::1/64,64,t\n",
	    "host bits set in \"2001:db8::1/64\"");
	vrps_fail(CSV_HEAD "AS1,10.0.0.0/33,33,t\n",
	    "v:2: prefix length 33 is longer than 32 in \"10.0.0.0/33\"");
	vrps_fail(CSV_HEAD "AS1,2001:db8::/129,129,t\n",
	    "prefix length 129 is longer than 128");
	vrps_fail(CSV_HEAD "AS1,10.0.0.0,8,t\n",
	    "\"10.0.0.0\" is not a prefix: no '/'");
	vrps_fail(CSV_HEAD "AS1,10.0.0/8,8,t\n",
	    "\"10.0.0/8\" is not a prefix: the address is neither");
	vrps_fail(
	    CSV_HEAD "AS1,10.0.0.0/x,8,t\n", "the length is not a number");
	vrps_fail(CSV_HEAD "AS1,10.0.0.0/16,8,t\n",
	    "v:2: maxLength 8 is shorter than the prefix length 16");
	vrps_fail(CSV_HEAD "AS1,10.0.0.0/16,33,t\n",
	    "maxLength 33 is longer than 32");
	vrps_fail(CSV_HEAD "AS1,2001:db8::/32,129,t\n",
	    "maxLength 129 is longer than 128");
	vrps_fail(
	    CSV_HEAD "AS1,10.0.0.0/16,,t\n", "maxLength \"\" is not a number");
	vrps_fail(CSV_HEAD "AS1,10.0.0.0/16\n",
	    "v:2: 2 fields where a VRP has ASN,IP Prefix,Max Length");
	vrps_fail(CSV_HEAD "\"AS1,10.0.0.0/16,16,t\n",
	    "v:2: a double quote is not closed");
	vrps_fail(CSV_HEAD "\"AS1\"x,10.0.0.0/16,16,t\n",
	    "text after a closing double quote");
	{
		char big[6000];

		snprintf(big, sizeof(big), "%sAS1,10.0.0.0/16,16,", CSV_HEAD);
		memset(big + strlen(big), 'x', 5000);
		big[sizeof(big) - 1] = '\0';
		vrps_fail(big, "v:2: the line is longer than 4096 bytes");
	}
	/* Text from the file is quoted printable and short. */
	vrps_fail(CSV_HEAD "AS\x01\x7f,10.0.0.0/8,8,t\n",
	    "\"AS??\" is not an AS number");
	vrps_fail(CSV_HEAD
	    "AS1111111111111111111111111111111111111111111111111111111111,"
	    "10.0.0.0/8,8,t\n",
	    "\"AS1111111111111111111111111111111111111111111111...\"");
}

/* "vrps_fail" takes a C string; these hold a NUL, so load by length. */
static void
test_vrp_nul(void **state)
{
	static const char text[] = "{\"roas\":[{\"asn\":1,\"prefix\":"
				   "\"10.0.0.0/8\\u0000\"}]}";
	static const char raw[] = "ASN,IP Prefix,Max Length\n"
				  "AS1,10.0.0.0/8\0junk,8\n";
	struct nh_rpki *r = nh_rpki_new();

	(void)state;
	assert_int_equal(
	    nh_rpki_vrps_from(r, text, sizeof(text) - 1, "j", err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "is not a prefix"));
	assert_int_equal(
	    nh_rpki_vrps_from(r, raw, sizeof(raw) - 1, "c", err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "c:2: the line holds a NUL byte"));
	nh_rpki_free(r);
}

static void
test_vrp_json_errors(void **state)
{
	char deep[200];

	(void)state;
	vrps_fail("{", "v:1: byte 2: the file ends where a member name");
	vrps_fail("{}", "no \"roas\" member");
	vrps_fail("{\"roas\":[]}", "v: no VRPs");
	vrps_fail("{\"metadata\":{}}", "no \"roas\" member");
	vrps_fail("{\n\"roas\" []}",
	    "v:2: byte 10: expected ':' after a member "
	    "name, found '['");
	vrps_fail("{\"roas\":{}}", "byte 9: \"roas\" is not an array");
	vrps_fail("{\"roas\":[1]}", "byte 10: roas[0] is not an object");
	vrps_fail("{\"roas\":[{\"asn\":1}]}", "roas[0] has no \"prefix\"");
	vrps_fail("{\"roas\":[{\"prefix\":\"10.0.0.0/8\"}]}",
	    "roas[0] has no \"asn\"");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\"},\n"
		  "{\"asn\":1.5,\"prefix\":\"10.0.0.0/8\"}]}",
	    "v:2: byte 50: roas[1]: asn 1.5 is not an AS number");
	vrps_fail("{\"roas\":[{\"asn\":4294967296,\"prefix\":\"10.0.0.0/8\"}]}",
	    "asn 4294967296 is not an AS number");
	vrps_fail("{\"roas\":[{\"asn\":-1,\"prefix\":\"10.0.0.0/8\"}]}",
	    "asn -1 is not an AS number");
	vrps_fail("{\"roas\":[{\"asn\":true,\"prefix\":\"10.0.0.0/8\"}]}",
	    "asn is neither a number nor a string");
	vrps_fail("{\"roas\":[{\"asn\":\"ASx\",\"prefix\":\"10.0.0.0/8\"}]}",
	    "roas[0]: \"ASx\" is not an AS number");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":10}]}",
	    "roas[0]: prefix is not a string");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.1/8\"}]}",
	    "v:1: byte 28: roas[0]: host bits set in \"10.0.0.1/8\"");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\","
		  "\"maxLength\":7}]}",
	    "roas[0]: maxLength 7 is shorter than the prefix length 8");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\","
		  "\"maxLength\":99999999999999999999999}]}",
	    "maxLength 18446744073709551615 is longer than 32");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\","
		  "\"maxLength\":\"8\"}]}",
	    "roas[0]: maxLength is not a number");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\","
		  "\"maxLength\":8e0}]}",
	    "maxLength 8e0 is not a whole number");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\""
		  "0000000000000000000000000000000000000000000000000000000000"
		  "00000000/8\"}]}",
	    "is too long to be one");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\"}]} x",
	    "v:1: byte 44: more after the end of the JSON object");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\"}],"
		  "\"roas\":[]}",
	    "a second \"roas\" member");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\"}",
	    "the file ends where ',' or ']' in \"roas\" was expected");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8}]}",
	    "a string is not closed");
	vrps_fail(
	    "{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"ta\":\"a\nb"
	    "\"}]}",
	    "control byte 0x0a in a string");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"ta\":"
		  "\"\\x\"}]}",
	    "unknown escape in a string");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"ta\":"
		  "\"\\u12\"}]}",
	    "\\u needs four hexadecimal digits");
	vrps_fail(
	    "{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"x\":tru}]}",
	    "expected a value");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"x\":01}]}",
	    "expected ',' or '}', found '1'");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"x\":1.}]}",
	    "a fraction needs digits");
	vrps_fail(
	    "{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"x\":[1,]}]}",
	    "expected a value");
	vrps_fail(
	    "{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\",\"x\":{1:2}}]}",
	    "expected a member name, found '1'");
	vrps_fail("{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\"},]}",
	    "roas[1] is not an object");
	vrps_fail("{\"a\":1,}", "expected a member name, found '}'");
	vrps_fail("{\"a\":\x80}", "expected a value");
	/* Nesting deeper than the cap, in a member we skip. */
	memcpy(deep, "{\"x\":", 5);
	memset(deep + 5, '[', 70);
	deep[75] = '\0';
	vrps_fail(deep, "nested deeper than 64 levels");
	/* Nothing of a failed load stays. */
	{
		struct nh_rpki *r = nh_rpki_new();
		static const char bad[] =
		    "{\"roas\":[{\"asn\":1,\"prefix\":\"10.0.0.0/8\"},"
		    "{\"asn\":1,\"prefix\":\"10.0.0.1/8\"}]}";

		assert_int_equal(nh_rpki_vrps_from(r, bad, strlen(bad), "b",
				     err, sizeof(err)),
		    -1);
		nh_rpki_ready(r);
		assert_int_equal(nh_rpki_vrp_count(r), 0);
		STATE(r, "10.0.0.0", 8, 1, NH_ROV_NOT_FOUND);
		nh_rpki_free(r);
	}
}

static void
test_route_formats(void **state)
{
	struct nh_rpki_route out[4];
	struct nh_rpki *r;

	(void)state;
	/* pfx2as with multi-origin and AS-set lines, comments, CR LF. */
	r = set(NULL,
	    "# pfx2as\r\n"
	    "1.0.0.0\t24\t13335\r\n"
	    "1.0.4.0\t22\t38803_56203\r\n"
	    "1.0.16.0\t24\t2519_4000,4001\r\n"
	    "1.0.32.0\t24\t4000,4001\r\n"
	    "2001:db8::\t32\t64500\r\n");
	/* 1 + 2 + 1 (2519; the set skipped) + 0 + 1 */
	assert_int_equal(nh_rpki_route_count(r), 5);
	assert_int_equal(nh_rpki_routes_for(r, "1.0.5.1", out, 4), 2);
	assert_int_equal(out[0].asn, 38803);
	assert_int_equal(out[1].asn, 56203);
	assert_int_equal(nh_rpki_routes_for(r, "1.0.16.1", out, 4), 1);
	assert_int_equal(out[0].asn, 2519);
	assert_int_equal(out[0].state, NH_ROV_NOT_FOUND);
	nh_rpki_free(r);

	/* CSV with and without a header, AS with or without "AS". */
	r = set(NULL,
	    "prefix,asn\n203.0.113.0/24,AS64500\n"
	    "2001:db8::/32,64501\n");
	assert_int_equal(nh_rpki_route_count(r), 2);
	assert_int_equal(nh_rpki_routes_for(r, "203.0.113.9", out, 4), 1);
	assert_int_equal(out[0].asn, 64500);
	nh_rpki_free(r);
	r = set(NULL, "203.0.113.0/24,64500\n198.51.100.0/24,64496_64497\n");
	assert_int_equal(nh_rpki_route_count(r), 3);
	nh_rpki_free(r);
	/* Spaces as well as TABs in pfx2as, once a TAB tells the format. */
	r = set(NULL, "203.0.113.0\t24\t64500\n198.51.100.0 24  64496\n");
	assert_int_equal(nh_rpki_route_count(r), 2);
	nh_rpki_free(r);
}

static void
test_route_errors(void **state)
{
	(void)state;
	routes_fail("", "r: no routes: the file is empty");
	routes_fail("# nothing\n\n", "r: no routes: the file is empty");
	routes_fail("10.0.0.0 8 64496\n", "r:1: not a route file");
	routes_fail("{\"roas\":[]}\n", "r:1: not a route file");
	routes_fail("1.0.32.0\t24\t4000,4001\n",
	    "r: no routes (1 with an AS-set origin skipped)");
	routes_fail("1.0.0.0\t24\t13335\n1.0.0.0\t24\n",
	    "r:2: 2 fields where a pfx2as line has prefix<TAB>length<TAB>AS");
	routes_fail("1.0.0.0\t24\t13335\t7\n", "r:1: 4 fields");
	routes_fail("1.0.0.0\t33\t13335\n",
	    "r:1: prefix length 33 is longer than 32 in \"1.0.0.0/33\"");
	routes_fail(
	    "1.0.0.1\t24\t13335\n", "r:1: host bits set in \"1.0.0.1/24\"");
	routes_fail("1.0.0\t24\t13335\n", "is not a prefix");
	routes_fail(
	    "1.0.0.0\t24\tAS13335x\n", "r:1: \"AS13335x\" is not an AS number");
	routes_fail("1.0.0.0\t24\t13335_\n", "\"\" is not an AS number");
	routes_fail("1.0.0.0\t24\t1,x\n",
	    "r:1: in the AS set \"1,x\": \"x\" is not an AS number");
	routes_fail("prefix,asn\n1.0.0.0/24\n",
	    "r:2: 1 field where a route has prefix/length,AS");
	routes_fail("1.0.0.0/24,13335\nx,1\n", "r:2: \"x\" is not a prefix");
	routes_fail("1.0.0.0/24,\n", "r:1: no origin AS");
	/* A VRP file is not a route file. */
	routes_fail(CSV_HEAD "AS64496,10.0.0.0/8,8,t\n",
	    "r:2: \"AS64496\" is not a prefix");
}

static void
test_files(void **state)
{
	struct nh_rpki *r = nh_rpki_new();

	(void)state;
	assert_int_equal(
	    nh_rpki_load_vrps(r, "/nonexistent/vrps.json", err, sizeof(err)),
	    -1);
	assert_string_equal(
	    err, "/nonexistent/vrps.json: No such file or directory");
	assert_int_equal(
	    nh_rpki_load_routes(r, "lab/rpki", err, sizeof(err)), -1);
	assert_string_equal(err, "lab/rpki: Is a directory");
	assert_int_equal(
	    nh_rpki_load_routes(r, "/dev/null", err, sizeof(err)), -1);
	assert_string_equal(err, "/dev/null: no routes: the file is empty");
	/* A tiny error buffer is cut, NUL-terminated. */
	assert_int_equal(nh_rpki_load_vrps(r, "/nonexistent", err, 5), -1);
	assert_string_equal(err, "/non");
	nh_rpki_free(r);
}

/*
 * The lab's files (lab/rpki/README.md): the RPKI scenario hosts have the
 * states the README gives them (the most specific route's state, how
 * many routes, how many VRPs); every other address of every lab host is
 * announced and valid, so good.test is RPKI-valid.
 */
static const struct lab_case {
	const char *ip;
	size_t routes, vrps;
	enum nh_rov state; /* of the most specific route */
} lab_cases[] = {
	{ "203.0.113.81", 2, 2, NH_ROV_INVALID_ASN },    /* rpki-asn */
	{ "203.0.113.82", 2, 1, NH_ROV_INVALID_LENGTH }, /* rpki-len */
	{ "2001:db8:0:3::83", 1, 0, NH_ROV_NOT_FOUND },  /* rpki-notfound */
	{ "2001:db8:0:4::84", 0, 0, NH_ROV_NOT_FOUND },  /* rpki-unrouted */
	{ "198.51.100.6", 2, 1, NH_ROV_INVALID_ASN },    /* ns-closed */
};

static void
lab_address(const struct nh_rpki *r, const char *host, const char *ip)
{
	struct nh_rpki_route out[8];
	size_t n = nh_rpki_routes_for(r, ip, out, 8);

	for (size_t c = 0; c < sizeof(lab_cases) / sizeof(lab_cases[0]); c++) {
		const struct lab_case *lc = &lab_cases[c];

		if (strcmp(lc->ip, ip) != 0)
			continue;
		if (n != lc->routes ||
		    nh_rpki_vrps_covering(r, ip) != lc->vrps ||
		    (n > 0 && out[0].state != lc->state))
			fail_msg("%s %s: %zu routes (%s), %zu VRPs", host, ip,
			    n, n > 0 ? nh_rov_name(out[0].state) : "-",
			    nh_rpki_vrps_covering(r, ip));
		return;
	}
	if (n == 0)
		fail_msg("%s %s: no route", host, ip);
	for (size_t i = 0; i < n && i < 8; i++)
		if (out[i].state != NH_ROV_VALID)
			fail_msg("%s %s: %s/%u AS%u %s", host, ip,
			    out[i].prefix, out[i].len, (unsigned)out[i].asn,
			    nh_rov_name(out[i].state));
	assert_true(nh_rpki_vrps_covering(r, ip) >= 1);
}

static void
test_lab(void **state)
{
	struct nh_rpki *r = nh_rpki_new();
	char line[512];
	FILE *fp;
	int addrs = 0;

	(void)state;
	if (nh_rpki_load_vrps(r, "lab/rpki/vrps.json", err, sizeof(err)) != 0 ||
	    nh_rpki_load_routes(
		r, "lab/rpki/routes.pfx2as", err, sizeof(err)) != 0)
		fail_msg("%s", err);
	nh_rpki_ready(r);
	assert_true(nh_rpki_vrp_count(r) >= 4);
	assert_true(nh_rpki_route_count(r) >= 4);
	assert_non_null(fp = fopen("lab/hosts.tsv", "r"));
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *col[4] = { line, NULL, NULL, NULL }, *tab;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		/* name<TAB>IPv4<TAB>IPv6 or "-"<TAB>roles */
		for (int c = 1; c < 4; c++) {
			if ((tab = strchr(col[c - 1], '\t')) == NULL)
				break;
			*tab = '\0';
			col[c] = tab + 1;
		}
		for (int c = 1; c <= 2; c++) {
			if (col[c] == NULL || strcmp(col[c], "-") == 0)
				continue;
			addrs++;
			lab_address(r, col[0], col[c]);
		}
	}
	fclose(fp);
	assert_true(addrs > 10);
	nh_rpki_free(r);
}

static void
test_reload(void **state)
{
	struct nh_rpki *r = set(CSV_HEAD "AS1,10.0.0.0/8,8,t\n", NULL);
	static const char more[] = CSV_HEAD "AS2,10.0.0.0/8,8,t\n";

	(void)state;
	STATE(r, "10.0.0.0", 8, 2, NH_ROV_INVALID_ASN);
	assert_int_equal(
	    nh_rpki_vrps_from(r, more, strlen(more), "m", err, sizeof(err)), 0);
	nh_rpki_ready(r);
	STATE(r, "10.0.0.0", 8, 2, NH_ROV_VALID);
	assert_int_equal(nh_rpki_vrp_count(r), 2);
	nh_rpki_free(r);
	nh_rpki_free(NULL);
}

/* ---- a randomized cross-check against brute force ---- */

struct pfx {
	int fam;
	unsigned char a[16];
	unsigned len, maxlen;
	uint32_t asn;
};

static uint64_t seed = 88172645463325252ULL;

static uint32_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (uint32_t)(seed >> 16);
}

static bool
covers(const struct pfx *p, const unsigned char *a, unsigned len, int fam)
{
	if (p->fam != fam || p->len > len)
		return false;
	for (unsigned b = 0; b < p->len; b++)
		if (((p->a[b / 8] >> (7 - b % 8)) & 1) !=
		    ((a[b / 8] >> (7 - b % 8)) & 1))
			return false;
	return true;
}

/* A random prefix inside a small space, so that prefixes nest. */
static void
random_pfx(struct pfx *p, bool vrp)
{
	unsigned bits;

	memset(p, 0, sizeof(*p));
	p->fam = rnd() % 3 == 0 ? 6 : 4;
	bits = p->fam == 4 ? 32 : 128;
	if (p->fam == 4) {
		p->a[0] = 10;
		p->a[1] = (unsigned char)(rnd() % 4);
		p->a[2] = (unsigned char)(rnd() % 8);
		p->a[3] = (unsigned char)rnd();
		p->len = 8 + rnd() % 25;
	} else {
		p->a[0] = 0x20;
		p->a[1] = 0x01;
		p->a[2] = 0x0d;
		p->a[3] = 0xb8;
		p->a[5] = (unsigned char)(rnd() % 4);
		p->a[6] = (unsigned char)(rnd() % 4);
		p->a[15] = (unsigned char)rnd();
		p->len = 32 + rnd() % 97;
	}
	for (unsigned b = p->len; b < bits; b++)
		p->a[b / 8] &= (unsigned char)~(1u << (7 - b % 8));
	p->maxlen = vrp ? p->len + rnd() % (bits - p->len + 1) : p->len;
	p->asn = rnd() % 5;
}

static enum nh_rov
brute_rov(const struct pfx *v, size_t nv, const struct pfx *route)
{
	bool covered = false, origin = false;

	for (size_t i = 0; i < nv; i++) {
		if (!covers(&v[i], route->a, route->len, route->fam))
			continue;
		covered = true;
		if (v[i].asn == 0 || v[i].asn != route->asn)
			continue;
		if (route->len <= v[i].maxlen)
			return NH_ROV_VALID;
		origin = true;
	}
	return !covered ? NH_ROV_NOT_FOUND
	    : origin    ? NH_ROV_INVALID_LENGTH
			: NH_ROV_INVALID_ASN;
}

static void
pfx_text(const struct pfx *p, char *out, size_t size)
{
	char addr[64];

	inet_ntop(p->fam == 4 ? AF_INET : AF_INET6, p->a, addr, sizeof(addr));
	snprintf(out, size, "%s/%u", addr, p->len);
}

static bool
same(const struct pfx *a, const struct pfx *b)
{
	return a->fam == b->fam && a->len == b->len && a->asn == b->asn &&
	    a->maxlen == b->maxlen && memcmp(a->a, b->a, 16) == 0;
}

#define NV 1500
#define NR 1500
#define VSIZE (NV * 80 + 64)
#define RSIZE (NR * 80 + 64)

static void
test_random_crosscheck(void **state)
{
	static struct pfx v[NV], rt[NR];
	static bool vdup[NV], rdup[NR];
	char *vtext, *rtext, buf[128], addr[64];
	size_t vo = 0, ro = 0;
	struct nh_rpki *r;
	struct nh_rpki_route out[64];

	(void)state;
	vtext = malloc(VSIZE);
	rtext = malloc(RSIZE);
	assert_non_null(vtext);
	assert_non_null(rtext);
	vo += (size_t)snprintf(vtext, VSIZE, "ASN,IP Prefix,Max Length\n");
	for (size_t i = 0; i < NV; i++) {
		random_pfx(&v[i], true);
		pfx_text(&v[i], buf, sizeof(buf));
		vo += (size_t)snprintf(vtext + vo, VSIZE - vo, "AS%u,%s,%u\n",
		    (unsigned)v[i].asn, buf, v[i].maxlen);
	}
	for (size_t i = 0; i < NR; i++) {
		random_pfx(&rt[i], false);
		pfx_text(&rt[i], buf, sizeof(buf));
		*strchr(buf, '/') = '\t';
		ro += (size_t)snprintf(rtext + ro, RSIZE - ro, "%s\t%u\n", buf,
		    (unsigned)rt[i].asn);
	}
	r = set(vtext, rtext);
	for (size_t i = 0; i < NV; i++)
		for (size_t j = 0; j < i && !vdup[i]; j++)
			vdup[i] = same(&v[i], &v[j]);
	for (size_t i = 0; i < NR; i++)
		for (size_t j = 0; j < i && !rdup[i]; j++)
			rdup[i] = same(&rt[i], &rt[j]);
	/* Every route's state. */
	for (size_t i = 0; i < NR; i++) {
		inet_ntop(rt[i].fam == 4 ? AF_INET : AF_INET6, rt[i].a, addr,
		    sizeof(addr));
		STATE(r, addr, rt[i].len, rt[i].asn, brute_rov(v, NV, &rt[i]));
	}
	/* Random addresses: the routes and VRPs that cover them. */
	for (int q = 0; q < 3000; q++) {
		struct pfx a;
		size_t want_r = 0, want_v = 0, n;
		unsigned lastlen = 999;

		random_pfx(&a, false);
		a.len = a.fam == 4 ? 32 : 128;
		a.a[a.fam == 4 ? 3 : 15] = (unsigned char)rnd();
		inet_ntop(
		    a.fam == 4 ? AF_INET : AF_INET6, a.a, addr, sizeof(addr));
		/* Distinct ones: the table drops duplicates. */
		for (size_t i = 0; i < NV; i++)
			want_v += !vdup[i] && covers(&v[i], a.a, a.len, a.fam);
		for (size_t i = 0; i < NR; i++)
			want_r += !rdup[i] && covers(&rt[i], a.a, a.len, a.fam);
		assert_int_equal(nh_rpki_vrps_covering(r, addr), want_v);
		n = nh_rpki_routes_for(r, addr, out, 64);
		assert_int_equal(n, want_r);
		for (size_t i = 0; i < n && i < 64; i++) {
			struct pfx p = { .fam = a.fam,
				.len = out[i].len,
				.asn = out[i].asn };

			assert_true(out[i].len <= lastlen);
			lastlen = out[i].len;
			inet_pton(a.fam == 4 ? AF_INET : AF_INET6,
			    out[i].prefix, p.a);
			assert_true(covers(&p, a.a, a.len, a.fam));
			assert_int_equal(out[i].state, brute_rov(v, NV, &p));
		}
	}
	nh_rpki_free(r);
	free(vtext);
	free(rtext);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_rfc6811_rules),
		cmocka_unit_test(test_rfc9319_example),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_maxlength),
		cmocka_unit_test(test_as0),
		cmocka_unit_test(test_multiple_vrps),
		cmocka_unit_test(test_routes_for),
		cmocka_unit_test(test_vrp_formats),
		cmocka_unit_test(test_vrp_csv_errors),
		cmocka_unit_test(test_vrp_nul),
		cmocka_unit_test(test_vrp_json_errors),
		cmocka_unit_test(test_route_formats),
		cmocka_unit_test(test_route_errors),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_lab),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_random_crosscheck),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
