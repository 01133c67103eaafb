/*
 * test_survey_probe.c: the survey's services, probes and answer parsers
 * (src/survey/svc.c, probe.c, parse.c): the table, the exact probe
 * bytes, each probe answered by a hand-made reply and parsed back, cookie
 * mismatches, refusals and errors, every truncation of every answer (in
 * exactly sized heap copies, so ASan sees any read past the end), and
 * garbage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "survey/survey.h"

#define COOKIE 0x0a0b0c0du

/* A growable byte buffer for building answers. */
struct buf {
	uint8_t b[2048];
	size_t n;
};

static void
put(struct buf *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->b));
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void
put8(struct buf *b, uint8_t v)
{
	put(b, &v, 1);
}

static void
put16(struct buf *b, uint16_t v)
{
	put8(b, (uint8_t)(v >> 8));
	put8(b, (uint8_t)v);
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* A BER TLV with a short or 0x81/0x82 long-form length. */
static void
tlv(struct buf *b, uint8_t tag, const struct buf *val)
{
	put8(b, tag);
	if (val->n < 0x80) {
		put8(b, (uint8_t)val->n);
	} else if (val->n <= 0xff) {
		put8(b, 0x81);
		put8(b, (uint8_t)val->n);
	} else {
		put8(b, 0x82);
		put16(b, (uint16_t)val->n);
	}
	put(b, val->b, val->n);
}

static void
tlv_raw(struct buf *b, uint8_t tag, const void *p, size_t n)
{
	struct buf v = { .n = 0 };

	put(&v, p, n);
	tlv(b, tag, &v);
}

/* The answer's contract: detail NUL-ended printable, why set when not
 * open and NULL when open. */
static void
check_sane(const struct nh_survey_answer *a)
{
	size_t n = strnlen(a->detail, sizeof(a->detail));

	assert_true(n < sizeof(a->detail));
	for (size_t i = 0; i < n; i++)
		assert_true(a->detail[i] >= 0x20 && a->detail[i] < 0x7f);
	if (a->open)
		assert_null(a->why);
	else
		assert_non_null(a->why);
}

/* Parses an exactly sized heap copy of p[0..n). */
static int
parse(enum nh_svc s, const void *p, size_t n, uint32_t cookie,
    struct nh_survey_answer *a)
{
	uint8_t *copy = malloc(n > 0 ? n : 1);
	int rc;

	assert_non_null(copy);
	if (n > 0)
		memcpy(copy, p, n);
	memset(a, 0x5a, sizeof(*a));
	rc = nh_survey_parse(s, copy, n, cookie, a);
	free(copy);
	if (rc == 0)
		check_sane(a);
	return rc;
}

/* Every proper prefix of a full answer is parsed without a read past
 * its end (ASan) and keeps the answer's contract; those shorter than
 * min_open (the length framing needs, or the text that makes an answer
 * open) are -1 or not open. */
static void
check_truncations(
    enum nh_svc s, const struct buf *b, uint32_t cookie, size_t min_open)
{
	struct nh_survey_answer a;

	for (size_t n = 0; n < b->n; n++) {
		int rc = parse(s, b->b, n, cookie, &a);

		if (n < min_open && rc == 0 && a.open)
			fail_msg(
			    "svc %d: prefix %zu of %zu is open", s, n, b->n);
	}
}

static void
test_svc_table(void **state)
{
	enum nh_svc s;

	(void)state;
	for (int i = 0; i < NH_SVC_COUNT; i++) {
		const struct nh_svc_info *in = &nh_svc_table[i];

		assert_non_null(in->name);
		assert_non_null(in->risk);
		assert_non_null(in->title);
		assert_non_null(in->catalog);
		assert_true(in->port > 0);
		assert_true(in->weight > 0);
		assert_int_equal(nh_svc_parse(in->name, &s), 0);
		assert_int_equal(s, i);
	}
	assert_string_equal(nh_svc_table[NH_SVC_DNS].name, "dns");
	assert_int_equal(nh_svc_table[NH_SVC_DNS].port, 53);
	assert_true(nh_svc_table[NH_SVC_DNS].weight == 41.0);
	assert_true(nh_svc_table[NH_SVC_NTP].weight == 30.0);
	assert_true(nh_svc_table[NH_SVC_NTP_MONLIST].weight == 556.9);
	assert_true(nh_svc_table[NH_SVC_SNMP].weight == 6.3);
	assert_true(nh_svc_table[NH_SVC_SSDP].weight == 30.8);
	assert_true(nh_svc_table[NH_SVC_CHARGEN].weight == 358.8);
	assert_true(nh_svc_table[NH_SVC_MEMCACHED].weight == 10000.0);
	assert_int_equal(nh_svc_table[NH_SVC_NTP_MONLIST].port, 123);
	assert_int_equal(nh_svc_table[NH_SVC_SSDP].port, 1900);
	assert_int_equal(nh_svc_table[NH_SVC_SNMP].port, 161);
	assert_int_equal(nh_svc_table[NH_SVC_CHARGEN].port, 19);
	assert_int_equal(nh_svc_table[NH_SVC_MEMCACHED].port, 11211);
	assert_string_equal(nh_svc_table[NH_SVC_DNS].catalog, "survey_dns");
	/* Risk slugs; "openntp" (CyberGreen's) is monlist. */
	assert_int_equal(nh_svc_parse("openrecursivedns", &s), 0);
	assert_int_equal(s, NH_SVC_DNS);
	assert_int_equal(nh_svc_parse("openntp", &s), 0);
	assert_int_equal(s, NH_SVC_NTP_MONLIST);
	assert_int_equal(nh_svc_parse("ntpversion", &s), 0);
	assert_int_equal(s, NH_SVC_NTP);
	assert_int_equal(nh_svc_parse("ntp-monlist", &s), 0);
	assert_int_equal(s, NH_SVC_NTP_MONLIST);
	assert_int_equal(nh_svc_parse("opensnmp", &s), 0);
	assert_int_equal(s, NH_SVC_SNMP);
	assert_int_equal(nh_svc_parse("openssdp", &s), 0);
	assert_int_equal(s, NH_SVC_SSDP);
	assert_int_equal(nh_svc_parse("chargen", &s), 0);
	assert_int_equal(s, NH_SVC_CHARGEN);
	assert_int_equal(nh_svc_parse("openmemcached", &s), 0);
	assert_int_equal(s, NH_SVC_MEMCACHED);
	assert_int_equal(nh_svc_parse("ldap", &s), -1);
	assert_int_equal(nh_svc_parse("", &s), -1);
	assert_int_equal(nh_svc_parse(NULL, &s), -1);
}

static void
test_probe_bytes(void **state)
{
	static const uint8_t dns[] = { 0x0c, 0x0d, 0x01, 0x00, 0, 1, 0, 0, 0, 0,
		0, 0, 8, '0', 'a', '0', 'b', '0', 'c', '0', 'd', 6, 's', 'u',
		'r', 'v', 'e', 'y', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1 };
	static const uint8_t ntp[] = { 0x16, 0x02, 0x0c, 0x0d, 0, 0, 0, 0, 0, 0,
		0, 0 };
	static const uint8_t monlist[] = { 0x17, 0x00, 0x03, 0x2a, 0, 0, 0, 0 };
	static const uint8_t mc[] = { 0x0c, 0x0d, 0, 0, 0, 1, 0, 0, 's', 't',
		'a', 't', 's', '\r', '\n' };
	uint8_t out[NH_SURVEY_MAX_PROBE];
	size_t n;

	(void)state;
	n = nh_survey_probe(NH_SVC_DNS, COOKIE, NULL, out, sizeof(out));
	assert_int_equal(n, sizeof(dns));
	assert_memory_equal(out, dns, sizeof(dns));
	n = nh_survey_probe(NH_SVC_NTP, COOKIE, NULL, out, sizeof(out));
	assert_int_equal(n, sizeof(ntp));
	assert_memory_equal(out, ntp, sizeof(ntp));
	n = nh_survey_probe(NH_SVC_NTP_MONLIST, COOKIE, NULL, out, sizeof(out));
	assert_int_equal(n, sizeof(monlist));
	assert_memory_equal(out, monlist, sizeof(monlist));
	n = nh_survey_probe(NH_SVC_MEMCACHED, COOKIE, NULL, out, sizeof(out));
	assert_int_equal(n, sizeof(mc));
	assert_memory_equal(out, mc, sizeof(mc));
	n = nh_survey_probe(NH_SVC_CHARGEN, COOKIE, NULL, out, sizeof(out));
	assert_int_equal(n, 1);
	/* Another zone for the DNS probe (the surveyor's own on the
	 * Internet); a zone that is not a name makes no probe. */
	n = nh_survey_probe(NH_SVC_DNS, COOKIE,
	    &(const struct nh_survey_probe_opts){ NULL, "scan.cert.example" },
	    out, sizeof(out));
	assert_int_equal(n, 12 + 9 + 5 + 5 + 8 + 1 + 4);
	assert_memory_equal(out + 21,
	    "\x04"
	    "scan"
	    "\x04"
	    "cert"
	    "\x07"
	    "example"
	    "\x00",
	    19);
	assert_int_equal(
	    nh_survey_probe(NH_SVC_DNS, COOKIE,
		&(const struct nh_survey_probe_opts){ NULL, "a..b" }, out,
		sizeof(out)),
	    0);
	/* Too small a buffer: 0, for every service. */
	for (int s = 0; s < NH_SVC_COUNT; s++) {
		static const struct nh_survey_probe_opts ox = { "x", NULL };
		size_t full = nh_survey_probe(s, COOKIE, &ox, out, sizeof(out));

		assert_true(full > 0 && full <= NH_SURVEY_MAX_PROBE);
		assert_int_equal(
		    nh_survey_probe(s, COOKIE, &ox, out, full - 1), 0);
		assert_int_equal(
		    nh_survey_probe(s, COOKIE, &ox, out, full), full);
	}
	assert_int_equal(
	    nh_survey_probe(NH_SVC_COUNT, COOKIE, NULL, out, sizeof(out)), 0);
}

static void
test_probe_ssdp(void **state)
{
	char out[NH_SURVEY_MAX_PROBE + 1];
	size_t n;

	(void)state;
	n = nh_survey_probe(
	    NH_SVC_SSDP, COOKIE, NULL, (uint8_t *)out, sizeof(out) - 1);
	out[n] = '\0';
	assert_string_equal(out,
	    "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
	    "MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n"
	    "USER-AGENT: nethealth-survey\r\n\r\n");
	/* The contact goes in USER-AGENT; no header can be injected. */
	n = nh_survey_probe(NH_SVC_SSDP, COOKIE,
	    &(const struct nh_survey_probe_opts){
		"scan@cert.test\r\nX-Evil: 1", NULL },
	    (uint8_t *)out, sizeof(out) - 1);
	out[n] = '\0';
	assert_non_null(
	    strstr(out, "USER-AGENT: scan@cert.test??X-Evil: 1\r\n\r\n"));
	assert_null(strstr(out, "\r\nX-Evil"));
}

static void
test_probe_snmp(void **state)
{
	static const uint8_t want[] = { 0x30, 0x26, 0x02, 0x01, 0x01, 0x04,
		0x06, 'p', 'u', 'b', 'l', 'i', 'c', 0xa5, 0x19, 0x02, 0x04,
		0x0a, 0x0b, 0x0c, 0x0d, 0x02, 0x01, 0x00, 0x02, 0x01, 0x0a,
		0x30, 0x0b, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x06, 0x01, 0x02,
		0x01, 0x05, 0x00 };
	uint8_t out[NH_SURVEY_MAX_PROBE];
	size_t n;

	(void)state;
	n = nh_survey_probe(NH_SVC_SNMP, COOKIE, NULL, out, sizeof(out));
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	/* A cookie with its top bit set stays a positive INTEGER. */
	n = nh_survey_probe(NH_SVC_SNMP, 0x80000001u, NULL, out, sizeof(out));
	assert_int_equal(n, sizeof(want) + 1);
	assert_memory_equal(out + 15,
	    ((const uint8_t[]){ 0x02, 0x05, 0x00, 0x80, 0, 0, 1 }), 7);
	/* Zero is one octet. */
	n = nh_survey_probe(NH_SVC_SNMP, 0, NULL, out, sizeof(out));
	assert_int_equal(n, sizeof(want) - 3);
	assert_memory_equal(
	    out + 15, ((const uint8_t[]){ 0x02, 0x01, 0x00 }), 3);
	/* 0x7f: one octet; 0x80: two. */
	n = nh_survey_probe(NH_SVC_SNMP, 0x7f, NULL, out, sizeof(out));
	assert_int_equal(n, sizeof(want) - 3);
	n = nh_survey_probe(NH_SVC_SNMP, 0x80, NULL, out, sizeof(out));
	assert_int_equal(n, sizeof(want) - 2);
	assert_memory_equal(
	    out + 15, ((const uint8_t[]){ 0x02, 0x02, 0x00, 0x80 }), 4);
}

/* The DNS probe, answered: QR, RA and an A record for the name. */
static void
dns_answer(struct buf *b, uint32_t cookie, uint16_t flags, uint16_t an)
{
	static const uint8_t rr[] = { 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10,
		0, 4, 192, 0, 2, 1 };

	b->n = nh_survey_probe(NH_SVC_DNS, cookie, NULL, b->b, sizeof(b->b));
	assert_true(b->n > 12);
	b->b[2] = (uint8_t)(flags >> 8);
	b->b[3] = (uint8_t)flags;
	b->b[6] = (uint8_t)(an >> 8);
	b->b[7] = (uint8_t)an;
	for (uint16_t i = 0; i < an; i++)
		put(b, rr, sizeof(rr));
}

static void
test_dns(void **state)
{
	struct nh_survey_answer a;
	struct buf b;

	(void)state;
	dns_answer(&b, COOKIE, 0x8180, 2);
	assert_int_equal(parse(NH_SVC_DNS, b.b, b.n, COOKIE, &a), 0);
	assert_true(a.open);
	assert_true(a.matched);
	assert_int_equal(a.items, 2);
	assert_string_equal(a.detail, "");
	check_truncations(NH_SVC_DNS, &b, COOKIE, b.n);
	/* Another cookie: neither the id nor the label matches. */
	assert_int_equal(parse(NH_SVC_DNS, b.b, b.n, COOKIE + 1, &a), 0);
	assert_false(a.matched);
	/* Same id, another label. */
	assert_int_equal(parse(NH_SVC_DNS, b.b, b.n, 0xffff0c0du, &a), 0);
	assert_false(a.matched);
	/* 0x20 mixed case in the echoed label still matches. */
	b.b[14] = 'A';
	assert_int_equal(parse(NH_SVC_DNS, b.b, b.n, COOKIE, &a), 0);
	assert_true(a.matched);
	/* Refused, no recursion, no answer, SERVFAIL. */
	dns_answer(&b, COOKIE, 0x8185, 0);
	assert_int_equal(parse(NH_SVC_DNS, b.b, b.n, COOKIE, &a), 0);
	assert_false(a.open);
	assert_true(a.matched);
	assert_string_equal(a.why, "refused");
	dns_answer(&b, COOKIE, 0x8100, 1);
	assert_int_equal(parse(NH_SVC_DNS, b.b, b.n, COOKIE, &a), 0);
	assert_false(a.open);
	assert_string_equal(a.why, "no recursion");
	dns_answer(&b, COOKIE, 0x8180, 0);
	assert_int_equal(parse(NH_SVC_DNS, b.b, b.n, COOKIE, &a), 0);
	assert_false(a.open);
	assert_string_equal(a.why, "no recursion");
	dns_answer(&b, COOKIE, 0x8182, 0);
	assert_int_equal(parse(NH_SVC_DNS, b.b, b.n, COOKIE, &a), 0);
	assert_string_equal(a.why, "error response");
	/* Our own query is not an answer. */
	dns_answer(&b, COOKIE, 0x0100, 0);
	assert_int_equal(parse(NH_SVC_DNS, b.b, b.n, COOKIE, &a), -1);
	/* More answers claimed than sent. */
	dns_answer(&b, COOKIE, 0x8180, 1);
	b.b[7] = 3;
	assert_int_equal(parse(NH_SVC_DNS, b.b, b.n, COOKIE, &a), -1);
	/* ... unless truncated (TC): what arrived counts. */
	b.b[2] |= 0x02;
	assert_int_equal(parse(NH_SVC_DNS, b.b, b.n, COOKIE, &a), 0);
	assert_int_equal(a.items, 1);
	/* A compression pointer to itself loops: -1. */
	dns_answer(&b, COOKIE, 0x8180, 1);
	b.b[b.n - 16] = 0xc0;
	b.b[b.n - 15] = (uint8_t)(b.n - 16);
	assert_int_equal(parse(NH_SVC_DNS, b.b, b.n, COOKIE, &a), -1);
	/* A pointer past the end: -1. */
	b.b[b.n - 15] = 0xff;
	assert_int_equal(parse(NH_SVC_DNS, b.b, b.n, COOKIE, &a), -1);
}

/* A mode 6 READVAR response carrying text. */
static void
ntp_answer(
    struct buf *b, uint8_t op, uint16_t seq, const char *text, int extra_count)
{
	size_t n = strlen(text);

	b->n = 0;
	put8(b, 0x16);
	put8(b, op);
	put16(b, seq);
	put16(b, 0x0615);
	put16(b, 0);
	put16(b, 0);
	put16(b, (uint16_t)(n + (size_t)extra_count));
	puts_(b, text);
	while (b->n % 4 != 0)
		put8(b, 0);
}

static void
test_ntp(void **state)
{
	static const char vars[] =
	    "version=\"ntpd 4.2.8p15@1.3728-o Wed Sep 23 11:46:38 UTC 2020 "
	    "(1)\", processor=\"x86_64\", system=\"Linux/5.10.0\", leap=0, "
	    "stratum=2, precision=-23";
	struct nh_survey_answer a;
	struct buf b;

	(void)state;
	ntp_answer(&b, 0x82, 0x0c0d, vars, 0);
	assert_int_equal(parse(NH_SVC_NTP, b.b, b.n, COOKIE, &a), 0);
	assert_true(a.open);
	assert_true(a.matched);
	assert_string_equal(a.detail,
	    "version=ntpd 4.2.8p15@1.3728-o Wed Sep 23 11:46:38 UTC 2020 (1)");
	/* Only the padding after the data may go. */
	check_truncations(NH_SVC_NTP, &b, COOKIE, 12 + strlen(vars));
	assert_int_equal(parse(NH_SVC_NTP, b.b, b.n, COOKIE + 1, &a), 0);
	assert_true(a.open);
	assert_false(a.matched);
	/* Version last and bare; "sysversion=" is not it. */
	ntp_answer(
	    &b, 0x82, 0x0c0d, "sysversion=\"no\",\r\nversion=ntpsec-1.2.2", 0);
	assert_int_equal(parse(NH_SVC_NTP, b.b, b.n, COOKIE, &a), 0);
	assert_string_equal(a.detail, "version=ntpsec-1.2.2");
	/* Control bytes are replaced; an unclosed quote ends at the data. */
	ntp_answer(&b, 0x82, 0x0c0d,
	    "version=\"a\x01\x7f"
	    "b",
	    0);
	assert_int_equal(parse(NH_SVC_NTP, b.b, b.n, COOKIE, &a), 0);
	assert_string_equal(a.detail, "version=a??b");
	/* Data, no version. */
	ntp_answer(&b, 0x82, 0x0c0d, "stratum=2", 0);
	assert_int_equal(parse(NH_SVC_NTP, b.b, b.n, COOKIE, &a), 0);
	assert_true(a.open);
	assert_string_equal(a.detail, "");
	/* An error response; an empty one. */
	ntp_answer(&b, 0xc2, 0x0c0d, "", 0);
	assert_int_equal(parse(NH_SVC_NTP, b.b, b.n, COOKIE, &a), 0);
	assert_false(a.open);
	assert_string_equal(a.why, "error response");
	ntp_answer(&b, 0x82, 0x0c0d, "", 0);
	assert_int_equal(parse(NH_SVC_NTP, b.b, b.n, COOKIE, &a), 0);
	assert_false(a.open);
	/* A count beyond the packet; a request; another opcode. */
	ntp_answer(&b, 0x82, 0x0c0d, "stratum=2", 100);
	assert_int_equal(parse(NH_SVC_NTP, b.b, b.n, COOKIE, &a), -1);
	ntp_answer(&b, 0x02, 0x0c0d, "stratum=2", 0);
	assert_int_equal(parse(NH_SVC_NTP, b.b, b.n, COOKIE, &a), -1);
	ntp_answer(&b, 0x81, 0x0c0d, "stratum=2", 0);
	assert_int_equal(parse(NH_SVC_NTP, b.b, b.n, COOKIE, &a), -1);
	/* A mode 4 server reply (48 bytes) is not mode 6. */
	memset(b.b, 0, 48);
	b.b[0] = 0x24;
	assert_int_equal(parse(NH_SVC_NTP, b.b, 48, COOKIE, &a), -1);
}

static void
monlist_answer(struct buf *b, uint8_t b0, uint8_t err, uint16_t nitems,
    uint16_t itemsize, size_t data)
{
	b->n = 0;
	put8(b, b0);
	put8(b, 0);
	put8(b, 3);
	put8(b, 42);
	put16(b, (uint16_t)(err << 12 | nitems));
	put16(b, itemsize);
	for (size_t i = 0; i < data; i++)
		put8(b, (uint8_t)i);
}

static void
test_monlist(void **state)
{
	struct nh_survey_answer a;
	struct buf b;

	(void)state;
	/* R and M set, version 2, mode 7: six entries of 72 bytes. */
	monlist_answer(&b, 0xd7, 0, 6, 72, 6 * 72);
	assert_int_equal(parse(NH_SVC_NTP_MONLIST, b.b, b.n, 1, &a), 0);
	assert_true(a.open);
	assert_true(a.matched);
	assert_int_equal(a.items, 6);
	check_truncations(NH_SVC_NTP_MONLIST, &b, 1, b.n);
	/* Entries claimed beyond the packet. */
	monlist_answer(&b, 0x97, 0, 6, 72, 5 * 72);
	assert_int_equal(parse(NH_SVC_NTP_MONLIST, b.b, b.n, 1, &a), -1);
	/* An error (INFO_ERR_NODATA = 4), or none. */
	monlist_answer(&b, 0x97, 4, 0, 0, 0);
	assert_int_equal(parse(NH_SVC_NTP_MONLIST, b.b, b.n, 1, &a), 0);
	assert_false(a.open);
	assert_string_equal(a.why, "error response");
	monlist_answer(&b, 0x97, 0, 0, 72, 0);
	assert_int_equal(parse(NH_SVC_NTP_MONLIST, b.b, b.n, 1, &a), 0);
	assert_false(a.open);
	/* Our own request; the probe is not an answer. */
	monlist_answer(&b, 0x17, 0, 6, 72, 6 * 72);
	assert_int_equal(parse(NH_SVC_NTP_MONLIST, b.b, b.n, 1, &a), -1);
	b.n = nh_survey_probe(NH_SVC_NTP_MONLIST, 1, NULL, b.b, sizeof(b.b));
	assert_int_equal(parse(NH_SVC_NTP_MONLIST, b.b, b.n, 1, &a), -1);
	/* Another request code. */
	monlist_answer(&b, 0x97, 0, 1, 72, 72);
	b.b[3] = 0;
	assert_int_equal(parse(NH_SVC_NTP_MONLIST, b.b, b.n, 1, &a), -1);
}

static void
test_ssdp(void **state)
{
	static const char ok[] =
	    "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\n"
	    "EXT:\r\nLOCATION: http://192.0.2.1:5000/rootDesc.xml\r\n"
	    "Server: Linux/3.14 UPnP/1.1 MiniUPnPd/2.1 \r\n"
	    "ST: upnp:rootdevice\r\n"
	    "USN: uuid:1234::upnp:rootdevice\r\n\r\n";
	struct nh_survey_answer a;
	struct buf b = { .n = 0 };

	(void)state;
	puts_(&b, ok);
	assert_int_equal(parse(NH_SVC_SSDP, b.b, b.n, COOKIE, &a), 0);
	assert_true(a.open);
	assert_true(a.matched);
	assert_string_equal(a.detail, "Linux/3.14 UPnP/1.1 MiniUPnPd/2.1");
	check_truncations(NH_SVC_SSDP, &b, COOKIE, strlen("HTTP/1.1 200"));
	/* The SERVER header only counts before the blank line. */
	b.n = 0;
	puts_(&b, "HTTP/1.1 200 OK\n\nSERVER: body\n");
	assert_int_equal(parse(NH_SVC_SSDP, b.b, b.n, COOKIE, &a), 0);
	assert_true(a.open);
	assert_string_equal(a.detail, "");
	/* An error status. */
	b.n = 0;
	puts_(&b, "HTTP/1.1 400 Bad Request\r\nSERVER: x\r\n\r\n");
	assert_int_equal(parse(NH_SVC_SSDP, b.b, b.n, COOKIE, &a), 0);
	assert_false(a.open);
	assert_string_equal(a.why, "error response");
	assert_string_equal(a.detail, "x");
	/* A NOTIFY, our own M-SEARCH, binary garbage. */
	b.n = 0;
	puts_(&b, "NOTIFY * HTTP/1.1\r\nSERVER: x\r\n\r\n");
	assert_int_equal(parse(NH_SVC_SSDP, b.b, b.n, COOKIE, &a), -1);
	b.n = nh_survey_probe(NH_SVC_SSDP, COOKIE, NULL, b.b, sizeof(b.b));
	assert_int_equal(parse(NH_SVC_SSDP, b.b, b.n, COOKIE, &a), -1);
	assert_int_equal(parse(NH_SVC_SSDP, "\x00\x01", 2, COOKIE, &a), -1);
}

/* A v2c GetResponse: community, request-id, error-status, and varbinds
 * (sysDescr.0, sysObjectID.0, sysUpTime.0) when vars. */
static void
snmp_answer(struct buf *out, uint8_t pdutag, const char *community,
    uint32_t rid, uint8_t estatus, int vars, const char *descr)
{
	static const uint8_t descr_oid[] = { 0x2b, 6, 1, 2, 1, 1, 1, 0 };
	static const uint8_t objid_oid[] = { 0x2b, 6, 1, 2, 1, 1, 2, 0 };
	static const uint8_t objid[] = { 0x2b, 6, 1, 4, 1, 0xbf, 0x08, 3, 2,
		10 };
	static const uint8_t uptime_oid[] = { 0x2b, 6, 1, 2, 1, 1, 3, 0 };
	static const uint8_t ticks[] = { 0x01, 0x02, 0x03 };
	struct buf vbl = { .n = 0 }, vb = { .n = 0 }, pdu = { .n = 0 },
		   msg = { .n = 0 };
	uint8_t r[5] = { 0, (uint8_t)(rid >> 24), (uint8_t)(rid >> 16),
		(uint8_t)(rid >> 8), (uint8_t)rid };

	if (vars) {
		tlv_raw(&vb, 0x06, descr_oid, sizeof(descr_oid));
		tlv_raw(&vb, 0x04, descr, strlen(descr));
		tlv(&vbl, 0x30, &vb);
		vb.n = 0;
		tlv_raw(&vb, 0x06, objid_oid, sizeof(objid_oid));
		tlv_raw(&vb, 0x06, objid, sizeof(objid));
		tlv(&vbl, 0x30, &vb);
		vb.n = 0;
		tlv_raw(&vb, 0x06, uptime_oid, sizeof(uptime_oid));
		tlv_raw(&vb, 0x43, ticks, sizeof(ticks));
		tlv(&vbl, 0x30, &vb);
	}
	tlv_raw(&pdu, 0x02, r, sizeof(r));
	tlv_raw(&pdu, 0x02, &estatus, 1);
	tlv_raw(&pdu, 0x02, "\0", 1);
	tlv(&pdu, 0x30, &vbl);
	tlv_raw(&msg, 0x02, "\x01", 1);
	tlv_raw(&msg, 0x04, community, strlen(community));
	tlv(&msg, pdutag, &pdu);
	out->n = 0;
	tlv(out, 0x30, &msg);
}

static void
test_snmp(void **state)
{
	char longdescr[301];
	struct nh_survey_answer a;
	struct buf b;

	(void)state;
	snmp_answer(&b, 0xa2, "public", COOKIE, 0, 1,
	    "Linux lab 6.1.0-18-amd64 #1 SMP x86_64");
	assert_int_equal(parse(NH_SVC_SNMP, b.b, b.n, COOKIE, &a), 0);
	assert_true(a.open);
	assert_true(a.matched);
	assert_int_equal(a.items, 3);
	assert_string_equal(a.detail, "Linux lab 6.1.0-18-amd64 #1 SMP x86_64");
	check_truncations(NH_SVC_SNMP, &b, COOKIE, b.n);
	assert_int_equal(parse(NH_SVC_SNMP, b.b, b.n, COOKIE ^ 1, &a), 0);
	assert_false(a.matched);
	/* A top-bit cookie as the probe encodes it. */
	snmp_answer(&b, 0xa2, "public", 0x80000001u, 0, 1, "x");
	assert_int_equal(parse(NH_SVC_SNMP, b.b, b.n, 0x80000001u, &a), 0);
	assert_true(a.matched);
	/* Long descr (long-form lengths), cut to the detail and sanitized. */
	memset(longdescr, 'd', sizeof(longdescr) - 1);
	longdescr[0] = '\n';
	longdescr[sizeof(longdescr) - 1] = '\0';
	snmp_answer(&b, 0xa2, "public", COOKIE, 0, 1, longdescr);
	assert_int_equal(parse(NH_SVC_SNMP, b.b, b.n, COOKIE, &a), 0);
	assert_true(a.open);
	assert_int_equal(strlen(a.detail), sizeof(a.detail) - 1);
	assert_int_equal(a.detail[0], '?');
	check_truncations(NH_SVC_SNMP, &b, COOKIE, b.n);
	/* Another community, an error, no variables. */
	snmp_answer(&b, 0xa2, "private", COOKIE, 0, 1, "x");
	assert_int_equal(parse(NH_SVC_SNMP, b.b, b.n, COOKIE, &a), 0);
	assert_false(a.open);
	assert_string_equal(a.why, "other community");
	snmp_answer(&b, 0xa2, "public", COOKIE, 2, 1, "x");
	assert_int_equal(parse(NH_SVC_SNMP, b.b, b.n, COOKIE, &a), 0);
	assert_false(a.open);
	assert_string_equal(a.why, "error response");
	snmp_answer(&b, 0xa2, "public", COOKIE, 0, 0, "");
	assert_int_equal(parse(NH_SVC_SNMP, b.b, b.n, COOKIE, &a), 0);
	assert_false(a.open);
	assert_int_equal(a.items, 0);
	/* A Report PDU, our own GetBulk: not answers. */
	snmp_answer(&b, 0xa8, "public", COOKIE, 0, 1, "x");
	assert_int_equal(parse(NH_SVC_SNMP, b.b, b.n, COOKIE, &a), -1);
	b.n = nh_survey_probe(NH_SVC_SNMP, COOKIE, NULL, b.b, sizeof(b.b));
	assert_int_equal(parse(NH_SVC_SNMP, b.b, b.n, COOKIE, &a), -1);
	/* An outer length beyond the packet; indefinite length; garbage. */
	snmp_answer(&b, 0xa2, "public", COOKIE, 0, 1, "x");
	b.b[1]++;
	assert_int_equal(parse(NH_SVC_SNMP, b.b, b.n, COOKIE, &a), -1);
	b.b[1] = 0x80;
	assert_int_equal(parse(NH_SVC_SNMP, b.b, b.n, COOKIE, &a), -1);
	assert_int_equal(
	    parse(NH_SVC_SNMP, "\x30\x84\xff\xff\xff\xff", 6, COOKIE, &a), -1);
}

static void
test_chargen(void **state)
{
	struct nh_survey_answer a;

	(void)state;
	assert_int_equal(
	    parse(NH_SVC_CHARGEN, "!\"#$%&'()*+,-./0123", 19, COOKIE, &a), 0);
	assert_true(a.open);
	assert_true(a.matched);
	assert_string_equal(a.detail, "");
	assert_int_equal(parse(NH_SVC_CHARGEN, "", 0, COOKIE, &a), 0);
	assert_false(a.open);
}

static void
mc_answer(
    struct buf *b, uint16_t rid, uint16_t seq, uint16_t total, const char *text)
{
	b->n = 0;
	put16(b, rid);
	put16(b, seq);
	put16(b, total);
	put16(b, 0);
	puts_(b, text);
}

static void
test_memcached(void **state)
{
	struct nh_survey_answer a;
	struct buf b;

	(void)state;
	mc_answer(&b, 0x0c0d, 0, 1,
	    "STAT pid 812\r\nSTAT uptime 99\r\nSTAT version 1.6.18\r\n"
	    "STAT libevent 2.1.12-stable\r\nEND\r\n");
	assert_int_equal(parse(NH_SVC_MEMCACHED, b.b, b.n, COOKIE, &a), 0);
	assert_true(a.open);
	assert_true(a.matched);
	assert_int_equal(a.items, 4);
	assert_string_equal(a.detail, "memcached 1.6.18");
	check_truncations(NH_SVC_MEMCACHED, &b, 0x0c0d0000u, 8 + 5);
	assert_int_equal(parse(NH_SVC_MEMCACHED, b.b, b.n, 0x0c0e, &a), 0);
	assert_false(a.matched);
	/* A later datagram of a split reply. */
	mc_answer(&b, 0x0c0d, 1, 2, "TAT threads 4\r\nEND\r\n");
	assert_int_equal(parse(NH_SVC_MEMCACHED, b.b, b.n, COOKIE, &a), 0);
	assert_false(a.open);
	assert_true(a.matched);
	/* An error; an impossible frame; garbage. */
	mc_answer(&b, 0x0c0d, 0, 1, "ERROR\r\n");
	assert_int_equal(parse(NH_SVC_MEMCACHED, b.b, b.n, COOKIE, &a), 0);
	assert_false(a.open);
	assert_string_equal(a.why, "error response");
	mc_answer(&b, 0x0c0d, 2, 1, "STAT pid 1\r\n");
	assert_int_equal(parse(NH_SVC_MEMCACHED, b.b, b.n, COOKIE, &a), -1);
	mc_answer(&b, 0x0c0d, 0, 1, "<html>");
	assert_int_equal(parse(NH_SVC_MEMCACHED, b.b, b.n, COOKIE, &a), -1);
	assert_int_equal(parse(NH_SVC_MEMCACHED, "STAT", 4, COOKIE, &a), -1);
}

/* Garbage: short strings and pseudo-random bytes never crash, and what
 * parses keeps the answer's contract (checked in parse()). */
static void
test_garbage(void **state)
{
	static const char *const junk[] = { "", "x", "hello world!",
		"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" };
	uint8_t r[600];
	uint32_t x = 12345;
	struct nh_survey_answer a;

	(void)state;
	for (int s = 0; s < NH_SVC_COUNT; s++) {
		if (s == NH_SVC_CHARGEN)
			continue; /* any byte is CHARGEN's answer */
		for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
			assert_int_equal(
			    parse(s, junk[i], strlen(junk[i]), COOKIE, &a), -1);
	}
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(round % 300);

		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			r[i] = (uint8_t)(x >> 16);
		}
		for (int s = 0; s < NH_SVC_COUNT; s++)
			(void)parse(s, r, n, COOKIE, &a);
	}
	assert_int_equal(parse(NH_SVC_COUNT, "x", 1, COOKIE, &a), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svc_table),
		cmocka_unit_test(test_probe_bytes),
		cmocka_unit_test(test_probe_ssdp),
		cmocka_unit_test(test_probe_snmp),
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_ntp),
		cmocka_unit_test(test_monlist),
		cmocka_unit_test(test_ssdp),
		cmocka_unit_test(test_snmp),
		cmocka_unit_test(test_chargen),
		cmocka_unit_test(test_memcached),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
