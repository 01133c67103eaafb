/*
 * test_survey_shadow.c: src/survey/shadow.c: a Shadowserver report of
 * each service type read into records (quoted fields holding commas,
 * doubled quotes and line breaks; CR LF; IPv6 written back canonical);
 * the service from the file name, from the columns, and from the port;
 * the timestamp forms; and each kind of bad row or file, with its line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "survey/survey.h"
#include "survey/survey_impl.h"

#define T0 1704164645 /* 2024-01-02 03:04:05 UTC */

static char err[512];

struct got {
	size_t n;
	struct nh_survey_record r[8];
	size_t refuse_at; /* 1-based; 0: never */
};

static int
collect(const struct nh_survey_record *r, void *arg)
{
	struct got *g = arg;

	if (g->n < 8)
		g->r[g->n] = *r;
	g->n++;
	return g->refuse_at != 0 && g->n == g->refuse_at;
}

static long
read_text(const char *name, const char *text, struct got *g)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	long n;

	assert_non_null(fp);
	err[0] = '\0';
	n = nh_shadow_read(fp, name, collect, g, err, sizeof(err));
	fclose(fp);
	return n;
}

static void
read_ok(const char *name, const char *text, struct got *g, long want)
{
	long n;

	memset(g, 0, sizeof(*g));
	if ((n = read_text(name, text, g)) != want)
		fail_msg("%s: %ld rows, expected %ld: %s", name, n, want, err);
	assert_int_equal((long)g->n, want);
}

static void
read_fail(const char *name, const char *text, const char *want)
{
	struct got g;

	memset(&g, 0, sizeof(g));
	if (read_text(name, text, &g) != -1)
		fail_msg("%s: read, expected \"%s\"", name, want);
	if (strstr(err, want) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", err, want);
}

static void
common(const struct nh_survey_record *r, enum nh_svc svc, const char *ip,
    uint16_t port, uint32_t asn, const char *cc)
{
	assert_int_equal(r->svc, svc);
	assert_string_equal(r->ip, ip);
	assert_int_equal(r->port, port);
	assert_int_equal(r->asn, asn);
	assert_string_equal(r->cc, cc);
	assert_true(r->open);
	assert_string_equal(r->source, "shadowserver");
	assert_int_equal(r->bytes_out, 0);
}

static void
test_dns(void **state)
{
	struct got g;

	(void)state;
	read_ok("/reports/2024-01-02-scan_dns-my-asn.csv",
	    "\"timestamp\",\"ip\",\"protocol\",\"port\",\"hostname\",\"tag\","
	    "\"asn\",\"geo\",\"region\",\"city\",\"naics\",\"sic\","
	    "\"min_amplification\",\"dns_version\"\n"
	    "\"2024-01-02 03:04:05\",\"192.0.2.1\",\"udp\",53,"
	    "\"ns1.example, the first\",\"openresolver;bogusresolver\","
	    "64500,\"NL\",\"NOORD-HOLLAND\",\"AMSTERDAM\",0,0,\"12.5\","
	    "\"dnsmasq-2.80 \"\"patched\"\", tuned\"\n"
	    "\n"
	    "\"2024-01-02 03:04:06\",\"192.0.2.2\",\"udp\",53,,,"
	    "\"\",\"\",,,,,,\n",
	    &g, 2);
	common(&g.r[0], NH_SVC_DNS, "192.0.2.1", 53, 64500, "NL");
	assert_int_equal(g.r[0].ts, T0);
	assert_string_equal(g.r[0].detail, "dnsmasq-2.80 \"patched\", tuned");
	assert_true(g.r[0].amplification == -1); /* min_ is not the answer's */
	common(&g.r[1], NH_SVC_DNS, "192.0.2.2", 53, 0, "");
	assert_int_equal(g.r[1].ts, T0 + 1);
	assert_string_equal(g.r[1].detail, "");

	/* scan6_: the address written back canonical. */
	read_ok("scan6_dns.csv",
	    "timestamp,ip,protocol,port,asn,geo,dns_version\n"
	    "2024-01-02 03:04:05,2001:DB8:0:0::53,udp,53,64500,nl,BIND\n",
	    &g, 1);
	common(&g.r[0], NH_SVC_DNS, "2001:db8::53", 53, 64500, "NL");
}

static void
test_ntp(void **state)
{
	struct got g;

	(void)state;
	read_ok("scan_ntp.csv",
	    "timestamp,ip,protocol,port,hostname,asn,geo,version,clk_wander,"
	    "refid,stratum\n"
	    "2024-01-02 03:04:05,198.51.100.1,udp,123,,64501,DE,"
	    "\"ntpd 4.2.8p15@1.3728-o\",0.002,GPS,1\n",
	    &g, 1);
	common(&g.r[0], NH_SVC_NTP, "198.51.100.1", 123, 64501, "DE");
	assert_string_equal(g.r[0].detail, "ntpd 4.2.8p15@1.3728-o");

	/* Monitor: CR LF, 'T' and 'Z', the older "size". */
	read_ok("2024-01-02-scan_ntpmonitor-my-asn-delayed.csv",
	    "timestamp,ip,protocol,port,hostname,packets,size,asn,geo,"
	    "amplification\r\n"
	    "2024-01-02T03:04:05Z,198.51.100.7,udp,123,,10,4680,64501,DE,"
	    "556.9\r\n"
	    "2024-01-02T03:04:05Z,198.51.100.8,udp,,,1,,,,\r\n",
	    &g, 2);
	common(&g.r[0], NH_SVC_NTP_MONLIST, "198.51.100.7", 123, 64501, "DE");
	assert_int_equal(g.r[0].ts, T0);
	assert_int_equal(g.r[0].packets_in, 10);
	assert_int_equal(g.r[0].bytes_in, 4680);
	assert_true(
	    g.r[0].amplification > 556.8 && g.r[0].amplification < 557.0);
	/* An empty port: the service's. */
	common(&g.r[1], NH_SVC_NTP_MONLIST, "198.51.100.8", 123, 0, "");
	assert_true(g.r[1].amplification == -1);

	/* The newer response_size. */
	read_ok("scan6_ntpmonitor",
	    "timestamp,ip,port,packets,response_size,amplification\n"
	    "2024-01-02 03:04:05.250+00,2001:db8::123,123,3,1404,167.1\n",
	    &g, 1);
	assert_int_equal(g.r[0].svc, NH_SVC_NTP_MONLIST);
	assert_int_equal(g.r[0].bytes_in, 1404);
	assert_int_equal(g.r[0].ts, T0);
}

static void
test_ssdp_snmp(void **state)
{
	struct got g;

	(void)state;
	read_ok("scan_ssdp.csv",
	    "\"timestamp\",\"ip\",\"protocol\",\"port\",\"hostname\",\"tag\","
	    "\"asn\",\"geo\",\"header\",\"systime\",\"cache_control\","
	    "\"location\",\"server\",\"search_target\","
	    "\"unique_service_name\"\n"
	    "\"2024-01-02 03:04:05\",\"203.0.113.19\",\"udp\",1900,,\"ssdp\","
	    "64502,\"FR\",\"HTTP/1.1 200 OK\",,\"max-age=120\","
	    "\"http://203.0.113.19:80/desc.xml\","
	    "\"Linux/3.14, UPnP/1.0, Portable SDK\",\"upnp:rootdevice\","
	    "\"uuid:1::upnp:rootdevice\"\n"
	    "\"2024-01-02 03:04:05\",\"203.0.113.20\",\"udp\",1900,,\"ssdp\","
	    "64502,\"FR\",\"HTTP/1.1 200 OK\",,,,,,\n",
	    &g, 2);
	common(&g.r[0], NH_SVC_SSDP, "203.0.113.19", 1900, 64502, "FR");
	assert_string_equal(
	    g.r[0].detail, "Linux/3.14, UPnP/1.0, Portable SDK");
	assert_string_equal(g.r[1].detail, "HTTP/1.1 200 OK"); /* no server */

	/* A quoted line break in sysdesc; the bad row after it is counted
	 * by its line. */
	memset(&g, 0, sizeof(g));
	assert_int_equal(read_text("scan_snmp.csv",
			     "timestamp,ip,protocol,port,sysdesc,sysname,asn,"
			     "geo,version\n"
			     "2024-01-02 03:04:05,203.0.113.9,udp,161,"
			     "\"Cisco IOS\nSoftware, C2960\",rtr,64503,FR,2\n"
			     "2024-01-02 03:04:05,203.0.113.10,udp,161,,"
			     "\xc3\xa9t\xc3\xa9,64503,FR,2\n"
			     "2024-01-02 03:04:05,203.0.113.300,udp,161,,,"
			     "64503,FR,2\n",
			     &g),
	    -1);
	assert_string_equal(err,
	    "scan_snmp.csv line 5: ip \"203.0.113.300\" is not an "
	    "address");
	assert_int_equal(g.n, 2);
	common(&g.r[0], NH_SVC_SNMP, "203.0.113.9", 161, 64503, "FR");
	/* Printable ASCII: the line break and UTF-8 shown as '?'. */
	assert_string_equal(g.r[0].detail, "Cisco IOS?Software, C2960");
	assert_string_equal(g.r[1].detail, "??t??"); /* sysname */
}

static void
test_chargen_memcached(void **state)
{
	struct got g;

	(void)state;
	read_ok("scan_chargen.csv",
	    "timestamp,ip,protocol,port,hostname,tag,asn,geo,region,city,"
	    "naics,sic,size\n"
	    "2024-01-02 03:04:05,192.0.2.19,udp,19,,chargen,64504,US,"
	    "\"NEW YORK\",\"NEW YORK, NY\",0,0,1024\n",
	    &g, 1);
	common(&g.r[0], NH_SVC_CHARGEN, "192.0.2.19", 19, 64504, "US");
	assert_int_equal(g.r[0].bytes_in, 1024);
	assert_string_equal(g.r[0].detail, "");

	read_ok("scan_memcached.csv",
	    "timestamp,ip,protocol,port,hostname,version,uptime,"
	    "curr_connections,total_connections,asn,geo\n"
	    "2024-01-02 03:04:05,192.0.2.11,udp,11211,,1.6.18,100,2,3,"
	    "AS64505,se\n",
	    &g, 1);
	common(&g.r[0], NH_SVC_MEMCACHED, "192.0.2.11", 11211, 64505, "SE");
	assert_string_equal(g.r[0].detail, "1.6.18");
}

/* A name that says nothing: the columns, else the port. */
static void
test_service_not_named(void **state)
{
	struct got g;

	(void)state;
	read_ok("export.csv",
	    "timestamp,ip,port,sysdesc\n"
	    "2024-01-02 03:04:05,192.0.2.1,1161,Linux\n",
	    &g, 1);
	assert_int_equal(g.r[0].svc, NH_SVC_SNMP);
	assert_int_equal(g.r[0].port, 1161);
	read_ok(NULL,
	    "timestamp,ip,port,curr_connections\n"
	    "2024-01-02 03:04:05,192.0.2.1,11211,1\n",
	    &g, 1);
	assert_int_equal(g.r[0].svc, NH_SVC_MEMCACHED);
	read_ok("export.csv",
	    "timestamp,ip,protocol,port,packets,amplification\n"
	    "2024-01-02 03:04:05,192.0.2.1,udp,123,2,40\n"
	    "2024-01-02 03:04:05,192.0.2.2,UDP,19,,\n"
	    "2024-01-02 03:04:05,192.0.2.3,,53,,\n"
	    "2024-01-02 03:04:05,192.0.2.4,udp,1900,,\n",
	    &g, 4);
	assert_int_equal(g.r[0].svc, NH_SVC_NTP_MONLIST);
	assert_int_equal(g.r[1].svc, NH_SVC_CHARGEN);
	assert_int_equal(g.r[2].svc, NH_SVC_DNS);
	assert_int_equal(g.r[3].svc, NH_SVC_SSDP);
	read_ok("export.csv",
	    "timestamp,ip,protocol,port\n"
	    "2024-01-02 03:04:05,192.0.2.1,udp,123\n"
	    "2024-01-02 03:04:05,192.0.2.1,udp,161\n",
	    &g, 2);
	assert_int_equal(g.r[0].svc, NH_SVC_NTP);
	assert_int_equal(g.r[1].svc, NH_SVC_SNMP);
	read_fail("export.csv",
	    "timestamp,ip,protocol,port\n"
	    "2024-01-02 03:04:05,192.0.2.1,udp,123\n"
	    "2024-01-02 03:04:05,192.0.2.1,tcp,11211\n",
	    "export.csv line 3: cannot tell the service of protocol \"tcp\"");
	read_fail("export.csv",
	    "timestamp,ip,protocol,port\n"
	    "2024-01-02 03:04:05,192.0.2.1,udp,8080\n",
	    "export.csv line 2: cannot tell the service");
	read_fail("export.csv",
	    "timestamp,ip,protocol,port\n"
	    "2024-01-02 03:04:05,192.0.2.1,udp,\n",
	    "export.csv line 2: cannot tell the service");
}

static void
test_name_svc(void **state)
{
	enum nh_svc s;
	char type[64];

	(void)state;
	assert_int_equal(nh_shadow_name_svc("scan_ntp.csv", &s, type, 64), 1);
	assert_int_equal(s, NH_SVC_NTP);
	assert_int_equal(nh_shadow_name_svc(
			     "2024-01-02-scan_ntpmonitor-x.csv", &s, type, 64),
	    1);
	assert_int_equal(s, NH_SVC_NTP_MONLIST);
	assert_int_equal(nh_shadow_name_svc("a/scan6_ssdp", &s, type, 64), 1);
	assert_int_equal(s, NH_SVC_SSDP);
	assert_int_equal(nh_shadow_name_svc("myscan_dns.csv", &s, type, 64), 0);
	assert_int_equal(nh_shadow_name_svc("scan_dns/x.csv", &s, type, 64), 0);
	assert_int_equal(nh_shadow_name_svc("", &s, type, 64), 0);
	assert_int_equal(
	    nh_shadow_name_svc("2024-01-02-scan_qotd-x.csv", &s, type, 64), -1);
	assert_string_equal(type, "scan_qotd");
}

static void
test_bad(void **state)
{
	static const char head[] = "timestamp,ip,protocol,port,asn,geo,"
				   "amplification,packets,size\n";
	char buf[10000];
	struct got g;

	(void)state;
#define ROW(r) (snprintf(buf, sizeof(buf), "%s%s", head, (r)), buf)
	read_fail("scan_ntpmonitor.csv",
	    ROW("2024-01-02 03:04:05,192.0.2.1,udp,123,1,NL,1,1,1\n"
		"2024-01-02 03:04:05,192.0.2.1,udp,123,1,NL,1,1\n"),
	    "scan_ntpmonitor.csv line 3: 8 fields where the header has 9");
	read_fail("scan_ntpmonitor.csv",
	    ROW("2024-02-30 03:04:05,192.0.2.1,udp,123,1,NL,1,1,1\n"),
	    "line 2: timestamp \"2024-02-30 03:04:05\"");
	read_fail("scan_ntpmonitor.csv",
	    ROW("2024-01-02 03:04:05 CET,192.0.2.1,udp,123,1,NL,1,1,1\n"),
	    "line 2: timestamp");
	read_fail("scan_ntpmonitor.csv",
	    ROW("02/01/2024,192.0.2.1,udp,123,1,NL,1,1,1\n"),
	    "line 2: timestamp");
	read_fail("scan_ntpmonitor.csv",
	    ROW("2024-01-02 03:04:05,,udp,123,1,NL,1,1,1\n"),
	    "line 2: ip \"\" is not an address");
	read_fail("scan_ntpmonitor.csv",
	    ROW("2024-01-02 03:04:05,192.0.2.1,udp,65536,1,NL,1,1,1\n"),
	    "line 2: port \"65536\"");
	read_fail("scan_ntpmonitor.csv",
	    ROW("2024-01-02 03:04:05,192.0.2.1,udp,123,4294967296,NL,1,1,1\n"),
	    "line 2: asn \"4294967296\"");
	read_fail("scan_ntpmonitor.csv",
	    ROW("2024-01-02 03:04:05,192.0.2.1,udp,123,1,NL,nan,1,1\n"),
	    "line 2: amplification \"nan\"");
	read_fail("scan_ntpmonitor.csv",
	    ROW("2024-01-02 03:04:05,192.0.2.1,udp,123,1,NL,-3,1,1\n"),
	    "line 2: amplification \"-3\"");
	read_fail("scan_ntpmonitor.csv",
	    ROW("2024-01-02 03:04:05,192.0.2.1,udp,123,1,NL,1,x,1\n"),
	    "line 2: packets \"x\"");
	read_fail("scan_ntpmonitor.csv",
	    ROW("2024-01-02 03:04:05,192.0.2.1,udp,123,1,NL,1,1,-1\n"),
	    "line 2: response size \"-1\"");
	read_fail("scan_ntpmonitor.csv",
	    ROW("2024-01-02 03:04:05,192.0.2.1,udp,123,1,\"NL,1,1,1\n"),
	    "line 2: quoted field not closed");
	read_fail("scan_ntpmonitor.csv",
	    ROW("2024-01-02 03:04:05,192.0.2.1,udp,123,1,N\"L,1,1,1\n"),
	    "line 2: quote inside an unquoted field");
	read_fail("scan_ntpmonitor.csv",
	    ROW("2024-01-02 03:04:05,192.0.2.1,udp,123,1,\"NL\"x,1,1,1\n"),
	    "line 2: text after a closing quote");
	read_fail("scan_ntpmonitor.csv", "", "scan_ntpmonitor.csv: empty");
	read_fail("scan_dns.csv", "\n\n", "scan_dns.csv: empty");
	read_fail("scan_dns.csv", "time,address\n1,2\n",
	    "scan_dns.csv line 1: the header has no ip column");
	read_fail("scan_dns.csv", "ip,port\n1,2\n",
	    "line 1: the header has no timestamp column");
	read_fail("2024-01-02-scan_qotd-my-asn.csv", head,
	    "2024-01-02-scan_qotd-my-asn.csv: report type scan_qotd is not");

	/* A record over 8 KiB; more than 256 fields. */
	memset(buf, 'a', sizeof(buf) - 2);
	buf[sizeof(buf) - 2] = '\n';
	buf[sizeof(buf) - 1] = '\0';
	read_fail("scan_dns.csv", buf, "line 1: record longer than 8192");
	memset(buf, ',', 300);
	buf[300] = '\n';
	buf[301] = '\0';
	read_fail("scan_dns.csv", buf, "line 1: more than 256 fields");

	/* The callback refuses the second row. */
	memset(&g, 0, sizeof(g));
	g.refuse_at = 2;
	assert_int_equal(read_text("scan_ntpmonitor.csv",
			     ROW("2024-01-02 03:04:05,192.0.2.1,udp,123,1,NL,"
				 "1,1,1\n"
				 "2024-01-02 03:04:05,192.0.2.2,udp,123,1,NL,"
				 "1,1,1\n"
				 "2024-01-02 03:04:05,192.0.2.3,udp,123,1,NL,"
				 "1,1,1\n"),
			     &g),
	    -1);
	assert_int_equal(g.n, 2);
	assert_string_equal(
	    err, "scan_ntpmonitor.csv line 3: refused by the caller");
#undef ROW
}

/* A byte order mark and a header with spaces and capitals. */
static void
test_header_forms(void **state)
{
	struct got g;

	(void)state;
	read_ok("scan_dns.csv",
	    "\xef\xbb\xbf\"Timestamp\", IP ,Port\n"
	    "2024-01-02 03:04:05+00:00,192.0.2.1,53\n"
	    "2024-01-02 03:04:05+0000,192.0.2.1,53",
	    &g, 2);
	assert_int_equal(g.r[0].ts, T0);
	assert_int_equal(g.r[1].ts, T0);
	assert_string_equal(g.r[0].ip, "192.0.2.1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_ntp),
		cmocka_unit_test(test_ssdp_snmp),
		cmocka_unit_test(test_chargen_memcached),
		cmocka_unit_test(test_service_not_named),
		cmocka_unit_test(test_name_svc),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_header_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
