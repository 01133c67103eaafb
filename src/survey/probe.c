/*
 * probe.c: the one UDP payload sent to each address for each service.
 * Each probe is what the service's own clients send (dig, ntpq, ntpdc,
 * a UPnP control point, snmpbulkwalk, memcached's UDP protocol), with the
 * per-target cookie where the protocol echoes one.
 *
 * DNS: the name asked is "<cookie as 8 lower-case hex digits>.ZONE." (type
 * A, RD set), ZONE the options' dns_zone, by default survey.test (the lab
 * serves a wildcard *.survey.test A record). On the Internet ZONE must be
 * one the surveyor serves with a wildcard A record: an open resolver is
 * one that fetches the answer from there.
 */
#include <string.h>

#include "survey/survey.h"

/* A bounded writer: once a write does not fit, `bad` stays set. */
struct wr {
	uint8_t *b;
	size_t len, cap;
	int bad;
};

static void
wr_bytes(struct wr *w, const void *p, size_t n)
{
	if (w->bad || n > w->cap - w->len) {
		w->bad = 1;
		return;
	}
	memcpy(w->b + w->len, p, n);
	w->len += n;
}

static void
wr_u8(struct wr *w, uint8_t v)
{
	wr_bytes(w, &v, 1);
}

static void
wr_u16(struct wr *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	wr_bytes(w, b, 2);
}

static void
wr_str(struct wr *w, const char *s)
{
	wr_bytes(w, s, strlen(s));
}

static void
cookie_hex(uint32_t cookie, char out[9])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 8; i++)
		out[i] = hex[(cookie >> (28 - 4 * i)) & 0xf];
	out[8] = '\0';
}

/* The zone's labels in wire form (RFC 1035 §3.1), root label included;
 * a label over 63 bytes, an empty one or a name over 255 bytes spoils
 * the writer. */
static void
wr_name(struct wr *w, const char *zone)
{
	size_t total = 10; /* the cookie's label and the root */

	while (*zone != '\0') {
		size_t n = strcspn(zone, ".");

		total += n + 1;
		if (n == 0 || n > 63 || total > 255) {
			w->bad = true;
			return;
		}
		wr_u8(w, (uint8_t)n);
		wr_bytes(w, zone, n);
		zone += n;
		if (*zone == '.')
			zone++;
	}
	wr_u8(w, 0);
}

/* RFC 1035 §4.1: a query with RD set for A of <cookie>.ZONE. */
static void
probe_dns(struct wr *w, uint32_t cookie, const char *zone)
{
	char label[9];

	cookie_hex(cookie, label);
	wr_u16(w, (uint16_t)(cookie & 0xffff)); /* ID */
	wr_u16(w, 0x0100);                      /* RD */
	wr_u16(w, 1);                           /* QDCOUNT */
	wr_u16(w, 0);
	wr_u16(w, 0);
	wr_u16(w, 0);
	wr_u8(w, 8);
	wr_bytes(w, label, 8);
	wr_name(w, zone);
	wr_u16(w, 1); /* A */
	wr_u16(w, 1); /* IN */
}

/* RFC 1305 appendix B (mode 6): READVAR of the system (association 0),
 * version 2 as ntpq sends, no data. */
static void
probe_ntp(struct wr *w, uint32_t cookie)
{
	wr_u8(w, 0x16); /* LI 0, VN 2, mode 6 */
	wr_u8(w, 0x02); /* R 0, E 0, M 0, opcode 2 READVAR */
	wr_u16(w, (uint16_t)(cookie & 0xffff)); /* sequence */
	wr_u16(w, 0);                           /* status */
	wr_u16(w, 0);                           /* association */
	wr_u16(w, 0);                           /* offset */
	wr_u16(w, 0);                           /* count */
}

/* ntpd's mode 7 (ntp_request.h): MON_GETLIST_1 of implementation XNTPD,
 * the bare 8-byte header that zmap's ntp_123_monlist, Metasploit and
 * Shadowserver send (ntpd does not ask for the 40 zeros ntpdc pads with;
 * the short probe is the one attackers use, so the factor measured is
 * theirs). */
static void
probe_monlist(struct wr *w)
{
	wr_u8(w, 0x17); /* R 0, M 0, VN 2, mode 7 */
	wr_u8(w, 0x00); /* auth 0, sequence 0 */
	wr_u8(w, 3);    /* IMPL_XNTPD */
	wr_u8(w, 42);   /* REQ_MON_GETLIST_1 */
	wr_u16(w, 0);   /* err 0, nitems 0 */
	wr_u16(w, 0);   /* mbz 0, itemsize 0 */
}

/* UPnP Device Architecture 1.1 §1.3.2: a multicast-form M-SEARCH sent
 * unicast. The contact goes in USER-AGENT, printable ASCII only. */
static void
probe_ssdp(struct wr *w, const char *contact)
{
	const char *ua = contact != NULL && contact[0] != '\0'
	    ? contact
	    : "nethealth-survey";

	wr_str(w,
	    "M-SEARCH * HTTP/1.1\r\n"
	    "HOST: 239.255.255.250:1900\r\n"
	    "MAN: \"ssdp:discover\"\r\n"
	    "MX: 1\r\n"
	    "ST: ssdp:all\r\n"
	    "USER-AGENT: ");
	for (const char *p = ua; *p != '\0'; p++)
		wr_u8(w, *p >= 0x20 && *p < 0x7f ? (uint8_t)*p : '?');
	wr_str(w, "\r\n\r\n");
}

/* A BER length (X.690 §8.1.3), definite form. */
static void
ber_len(struct wr *w, size_t n)
{
	if (n < 0x80) {
		wr_u8(w, (uint8_t)n);
	} else if (n <= 0xff) {
		wr_u8(w, 0x81);
		wr_u8(w, (uint8_t)n);
	} else {
		wr_u8(w, 0x82);
		wr_u16(w, (uint16_t)n);
	}
}

/* A non-negative INTEGER in its fewest octets (X.690 §8.3). */
static size_t
ber_uint(uint8_t out[6], uint32_t v)
{
	uint8_t b[5];
	size_t n = 0, i = 0;

	b[0] = 0;
	for (int s = 24; s >= 0; s -= 8)
		b[1 + (24 - s) / 8] = (uint8_t)(v >> s);
	/* Skip leading zeros, keeping one when the next has its top bit. */
	while (i < 4 && b[i] == 0 && (b[i + 1] & 0x80) == 0)
		i++;
	out[n++] = 0x02;
	out[n++] = (uint8_t)(5 - i);
	memcpy(out + n, b + i, 5 - i);
	return n + 5 - i;
}

/* RFC 3416 §4.2.3 (GetBulkRequest-PDU) in an RFC 1901 v2c message:
 * community "public", non-repeaters 0, max-repetitions 10, one variable
 * 1.3.6.1.2.1.1 (system) with a NULL value. */
static void
probe_snmp(struct wr *w, uint32_t cookie)
{
	static const uint8_t vbl[] = { 0x30, 0x0b, 0x30, 0x09, 0x06, 0x05, 0x2b,
		0x06, 0x01, 0x02, 0x01, 0x05, 0x00 };
	static const uint8_t tail[] = { 0x02, 0x01, 0x00, 0x02, 0x01, 0x0a };
	static const uint8_t head[] = { 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u',
		'b', 'l', 'i', 'c' };
	uint8_t rid[7];
	size_t ridlen = ber_uint(rid, cookie);
	size_t pdu = ridlen + sizeof(tail) + sizeof(vbl);

	wr_u8(w, 0x30);
	ber_len(w, sizeof(head) + 2 + pdu);
	wr_bytes(w, head, sizeof(head));
	wr_u8(w, 0xa5); /* GetBulkRequest-PDU */
	ber_len(w, pdu);
	wr_bytes(w, rid, ridlen);
	wr_bytes(w, tail, sizeof(tail));
	wr_bytes(w, vbl, sizeof(vbl));
}

/* memcached protocol.txt "UDP protocol": the frame header, then a text
 * command. */
static void
probe_memcached(struct wr *w, uint32_t cookie)
{
	wr_u16(w, (uint16_t)(cookie & 0xffff)); /* request id */
	wr_u16(w, 0);                           /* sequence */
	wr_u16(w, 1);                           /* datagrams */
	wr_u16(w, 0);                           /* reserved */
	wr_str(w, "stats\r\n");
}

size_t
nh_survey_probe(enum nh_svc s, uint32_t cookie,
    const struct nh_survey_probe_opts *o, uint8_t *out, size_t cap)
{
	struct wr w = { .b = out, .cap = out != NULL ? cap : 0 };
	const char *contact = o != NULL ? o->contact : NULL;
	const char *zone =
	    o != NULL && o->dns_zone != NULL ? o->dns_zone : "survey.test";

	switch (s) {
	case NH_SVC_DNS:
		probe_dns(&w, cookie, zone);
		break;
	case NH_SVC_NTP:
		probe_ntp(&w, cookie);
		break;
	case NH_SVC_NTP_MONLIST:
		probe_monlist(&w);
		break;
	case NH_SVC_SSDP:
		probe_ssdp(&w, contact);
		break;
	case NH_SVC_SNMP:
		probe_snmp(&w, cookie);
		break;
	case NH_SVC_CHARGEN:
		/* RFC 864: any datagram; one line end. */
		wr_u8(&w, '\n');
		break;
	case NH_SVC_MEMCACHED:
		probe_memcached(&w, cookie);
		break;
	default:
		return 0;
	}
	return w.bad ? 0 : w.len;
}
