/*
 * parse.c: what one answer packet of each surveyed service says. Every
 * read goes through a bounds-checked cursor over the received bytes; a
 * length the packet gives is checked against what is left and never
 * sizes an allocation (nothing here allocates).
 *
 * Returns -1 for bytes that are not an answer of the service asked
 * (truncated, malformed, another protocol); 0 with open/matched/items/
 * detail/why otherwise. `why` is one of the static strings below.
 */
#include <string.h>
#include <strings.h>

#include "survey/survey.h"

#define WHY_REFUSED "refused"
#define WHY_NO_RECURSION "no recursion"
#define WHY_ERROR "error response"
#define WHY_NO_DATA "no data"
#define WHY_COMMUNITY "other community"

/* A read cursor: p .. p + n are the bytes left. */
struct cur {
	const uint8_t *p;
	size_t n;
};

static int
cur_u8(struct cur *c, uint8_t *v)
{
	if (c->n < 1)
		return -1;
	*v = c->p[0];
	c->p++;
	c->n--;
	return 0;
}

static int
cur_u16(struct cur *c, uint16_t *v)
{
	if (c->n < 2)
		return -1;
	*v = (uint16_t)(c->p[0] << 8 | c->p[1]);
	c->p += 2;
	c->n -= 2;
	return 0;
}

static int
cur_skip(struct cur *c, size_t k)
{
	if (c->n < k)
		return -1;
	c->p += k;
	c->n -= k;
	return 0;
}

/* Copies n bytes to dst (size dstlen, dstlen > 0) as printable ASCII:
 * other bytes become '?', leading and trailing blanks go, and the copy
 * is cut to fit. Always NUL-ends dst. */
static void
put_text(char *dst, size_t dstlen, const uint8_t *src, size_t n)
{
	size_t o = 0;

	while (n > 0 && (src[0] == ' ' || src[0] == '\t')) {
		src++;
		n--;
	}
	while (n > 0 && (src[n - 1] == ' ' || src[n - 1] == '\t'))
		n--;
	for (size_t i = 0; i < n && o + 1 < dstlen; i++)
		dst[o++] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	dst[o] = '\0';
}

/* dst = prefix then the text of src (as put_text). */
static void
put_prefixed(
    char *dst, size_t dstlen, const char *prefix, const uint8_t *src, size_t n)
{
	size_t k = strlen(prefix);

	if (k >= dstlen)
		k = dstlen - 1;
	memcpy(dst, prefix, k);
	put_text(dst + k, dstlen - k, src, n);
}

/* Case-insensitive: does p[0..n) begin with s? */
static int
has_prefix(const uint8_t *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	return n >= k && strncasecmp((const char *)p, s, k) == 0;
}

/* --- DNS (RFC 1035 §4.1) ------------------------------------------- */

#define DNS_MAX_JUMPS 32

/*
 * Walks the domain name at c (RFC 1035 §4.1.4: labels and compression
 * pointers into msg), leaving c after it. When first is not NULL, copies
 * the first label (at most 63 bytes, NUL-ended) into it. Returns 0, or
 * -1 on a name that runs out of the packet, loops or is too long.
 */
static int
dns_name(const uint8_t *msg, size_t msglen, struct cur *c, char *first)
{
	struct cur at = *c;
	size_t total = 0;
	int jumps = 0, jumped = 0;

	if (first != NULL)
		first[0] = '\0';
	for (;;) {
		uint8_t l;

		if (cur_u8(&at, &l) < 0)
			return -1;
		if (l == 0)
			break;
		if ((l & 0xc0) == 0xc0) {
			uint8_t lo;
			size_t off;

			if (cur_u8(&at, &lo) < 0 || ++jumps > DNS_MAX_JUMPS)
				return -1;
			off = (size_t)(l & 0x3f) << 8 | lo;
			if (off >= msglen)
				return -1;
			if (!jumped)
				*c = at;
			jumped = 1;
			at.p = msg + off;
			at.n = msglen - off;
			continue;
		}
		if ((l & 0xc0) != 0)
			return -1; /* RFC 6891 §5: extended labels are gone */
		total += (size_t)l + 1;
		if (total > 255 || at.n < l)
			return -1;
		if (first != NULL && first[0] == '\0' &&
		    total == (size_t)l + 1) {
			/* A NUL inside a label must not end the copy early. */
			for (size_t i = 0; i < l; i++)
				first[i] = at.p[i] != 0 ? (char)at.p[i] : '?';
			first[l] = '\0';
		}
		cur_skip(&at, l);
	}
	if (!jumped)
		*c = at;
	return 0;
}

static int
parse_dns(const uint8_t *buf, size_t len, uint32_t cookie,
    struct nh_survey_answer *out)
{
	struct cur c = { buf, len };
	uint16_t id, flags, qd, an, ns, ar, rdlen;
	char label[64], want[9];
	unsigned rcode;

	if (cur_u16(&c, &id) < 0 || cur_u16(&c, &flags) < 0 ||
	    cur_u16(&c, &qd) < 0 || cur_u16(&c, &an) < 0 ||
	    cur_u16(&c, &ns) < 0 || cur_u16(&c, &ar) < 0)
		return -1;
	(void)ns;
	(void)ar;
	if ((flags & 0x8000) == 0 || (flags >> 11 & 0xf) != 0)
		return -1; /* a query, or not a standard query's answer */
	rcode = flags & 0xf;
	label[0] = '\0';
	for (unsigned i = 0; i < qd; i++) {
		if (dns_name(buf, len, &c, i == 0 ? label : NULL) < 0 ||
		    cur_skip(&c, 4) < 0)
			return -1;
	}
	/* Answers, walked as far as the packet holds them: a truncated
	 * (TC) answer counts what arrived. */
	for (unsigned i = 0; i < an; i++) {
		struct cur save = c;

		if (dns_name(buf, len, &c, NULL) < 0 || cur_skip(&c, 8) < 0 ||
		    cur_u16(&c, &rdlen) < 0 || cur_skip(&c, rdlen) < 0) {
			if (flags & 0x0200) {
				c = save;
				break;
			}
			return -1;
		}
		out->items++;
	}
	for (int i = 0; i < 8; i++) {
		static const char hex[] = "0123456789abcdef";

		want[i] = hex[(cookie >> (28 - 4 * i)) & 0xf];
	}
	want[8] = '\0';
	out->matched =
	    id == (cookie & 0xffff) && qd >= 1 && strcasecmp(label, want) == 0;
	if (rcode == 5)
		out->why = WHY_REFUSED;
	else if (rcode != 0)
		out->why = WHY_ERROR;
	else if ((flags & 0x0080) == 0 || out->items == 0)
		out->why = WHY_NO_RECURSION;
	else
		out->open = true;
	return 0;
}

/* --- NTP mode 6 (RFC 1305 appendix B; RFC 9327) ------------------- */

/* The value of "version=" in a mode 6 variable list: name=value pairs
 * separated by commas, values quoted or bare. */
static void
ntp_version(const uint8_t *d, size_t n, char *dst, size_t dstlen)
{
	static const char key[] = "version=";
	const size_t k = sizeof(key) - 1;

	for (size_t i = 0; i + k <= n; i++) {
		size_t j, e;

		if (i > 0 && d[i - 1] != ',' && d[i - 1] != ' ' &&
		    d[i - 1] != '\r' && d[i - 1] != '\n' && d[i - 1] != '\t')
			continue;
		if (memcmp(d + i, key, k) != 0)
			continue;
		j = i + k;
		if (j < n && d[j] == '"') {
			j++;
			for (e = j; e < n && d[e] != '"'; e++)
				;
		} else {
			for (e = j; e < n && d[e] != ',' && d[e] != '\r' &&
			     d[e] != '\n';
			     e++)
				;
		}
		put_prefixed(dst, dstlen, key, d + j, e - j);
		return;
	}
}

static int
parse_ntp(const uint8_t *buf, size_t len, uint32_t cookie,
    struct nh_survey_answer *out)
{
	struct cur c = { buf, len };
	uint8_t b0, b1;
	uint16_t seq, status, assoc, offset, count;

	if (cur_u8(&c, &b0) < 0 || cur_u8(&c, &b1) < 0 ||
	    cur_u16(&c, &seq) < 0 || cur_u16(&c, &status) < 0 ||
	    cur_u16(&c, &assoc) < 0 || cur_u16(&c, &offset) < 0 ||
	    cur_u16(&c, &count) < 0)
		return -1;
	(void)status;
	(void)assoc;
	(void)offset;
	if ((b0 & 7) != 6 || (b1 & 0x80) == 0 || (b1 & 0x1f) != 2)
		return -1; /* not a mode 6 READVAR response */
	if (count > c.n)
		return -1; /* claims more data than arrived */
	out->matched = seq == (cookie & 0xffff);
	if (b1 & 0x40) {
		out->why = WHY_ERROR;
		return 0;
	}
	if (count == 0) {
		out->why = WHY_NO_DATA;
		return 0;
	}
	out->open = true;
	ntp_version(c.p, count, out->detail, sizeof(out->detail));
	return 0;
}

/* --- NTP mode 7 (ntpd's ntp_request.h) ---------------------------- */

static int
parse_monlist(const uint8_t *buf, size_t len, struct nh_survey_answer *out)
{
	struct cur c = { buf, len };
	uint8_t b0, seq, impl, req;
	uint16_t en, sz;
	unsigned err, nitems, itemsize;

	if (cur_u8(&c, &b0) < 0 || cur_u8(&c, &seq) < 0 ||
	    cur_u8(&c, &impl) < 0 || cur_u8(&c, &req) < 0 ||
	    cur_u16(&c, &en) < 0 || cur_u16(&c, &sz) < 0)
		return -1;
	(void)seq;
	if ((b0 & 7) != 7 || (b0 & 0x80) == 0)
		return -1; /* not a mode 7 response */
	if (req != 42 || (impl != 3 && impl != 2 && impl != 0))
		return -1; /* an answer to another request */
	err = en >> 12;
	nitems = en & 0xfff;
	itemsize = sz & 0xfff;
	out->matched = true;
	if (err != 0) {
		out->why = WHY_ERROR;
		return 0;
	}
	if ((size_t)nitems * itemsize > c.n || (nitems > 0 && itemsize == 0))
		return -1; /* claims more entries than arrived */
	if (nitems == 0) {
		out->why = WHY_NO_DATA;
		return 0;
	}
	out->open = true;
	out->items = nitems;
	return 0;
}

/* --- SSDP (UPnP Device Architecture 1.1 §1.3.3) -------------------- */

static int
parse_ssdp(const uint8_t *buf, size_t len, struct nh_survey_answer *out)
{
	size_t i = 0;

	if (!has_prefix(buf, len, "HTTP/1."))
		return -1;
	out->matched = true;
	if (has_prefix(buf, len, "HTTP/1.1 200"))
		out->open = true;
	else
		out->why = WHY_ERROR;
	/* Header lines: CRLF (or LF) ended; the SERVER value. */
	while (i < len) {
		size_t s = i, e;

		while (i < len && buf[i] != '\n')
			i++;
		e = i;
		if (i < len)
			i++;
		if (e > s && buf[e - 1] == '\r')
			e--;
		if (e == s && s > 0)
			break; /* the blank line ends the headers */
		if (s > 0 && has_prefix(buf + s, e - s, "SERVER:")) {
			put_text(out->detail, sizeof(out->detail), buf + s + 7,
			    e - s - 7);
			break;
		}
	}
	return 0;
}

/* --- SNMP (RFC 3416, RFC 1901; BER per X.690) ---------------------- */

/* One TLV: the tag (low tag numbers only) and its contents as a cursor.
 * Definite lengths of at most 4 octets, within what is left. */
static int
ber_tlv(struct cur *c, uint8_t *tag, struct cur *val)
{
	uint8_t l;
	size_t n = 0;

	if (cur_u8(c, tag) < 0 || (*tag & 0x1f) == 0x1f || cur_u8(c, &l) < 0)
		return -1;
	if (l < 0x80) {
		n = l;
	} else {
		unsigned k = l & 0x7f;

		if (k == 0 || k > 4)
			return -1; /* indefinite, or absurd */
		for (unsigned i = 0; i < k; i++) {
			uint8_t b;

			if (cur_u8(c, &b) < 0)
				return -1;
			n = n << 8 | b;
		}
	}
	if (n > c->n)
		return -1;
	val->p = c->p;
	val->n = n;
	c->p += n;
	c->n -= n;
	return 0;
}

/* An INTEGER of at most 8 octets, into a signed 64-bit value. */
static int
ber_int(struct cur *c, int64_t *v)
{
	struct cur val;
	uint8_t tag;
	uint64_t u;

	if (ber_tlv(c, &tag, &val) < 0 || tag != 0x02 || val.n == 0 ||
	    val.n > 8)
		return -1;
	u = (val.p[0] & 0x80) ? UINT64_MAX : 0;
	for (size_t i = 0; i < val.n; i++)
		u = u << 8 | val.p[i];
	*v = (int64_t)u;
	return 0;
}

static int
parse_snmp(const uint8_t *buf, size_t len, uint32_t cookie,
    struct nh_survey_answer *out)
{
	/* 1.3.6.1.2.1.1.1.0, sysDescr.0 */
	static const uint8_t sysdescr[] = { 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01,
		0x01, 0x00 };
	struct cur c = { buf, len }, msg, comm, pdu, vbl;
	uint8_t tag, pdutag;
	int64_t version, rid, estatus, eindex;
	unsigned n = 0;

	if (ber_tlv(&c, &tag, &msg) < 0 || tag != 0x30)
		return -1;
	if (ber_int(&msg, &version) < 0 || (version != 0 && version != 1))
		return -1; /* v3 (or another) message */
	if (ber_tlv(&msg, &tag, &comm) < 0 || tag != 0x04)
		return -1;
	if (ber_tlv(&msg, &pdutag, &pdu) < 0 || (pdutag & 0xe0) != 0xa0)
		return -1;
	if (ber_int(&pdu, &rid) < 0 || ber_int(&pdu, &estatus) < 0 ||
	    ber_int(&pdu, &eindex) < 0 || ber_tlv(&pdu, &tag, &vbl) < 0 ||
	    tag != 0x30)
		return -1;
	(void)eindex;
	while (vbl.n > 0) {
		struct cur vb, oid, val;
		uint8_t t;

		if (ber_tlv(&vbl, &t, &vb) < 0 || t != 0x30 ||
		    ber_tlv(&vb, &t, &oid) < 0 || t != 0x06 ||
		    ber_tlv(&vb, &t, &val) < 0)
			return -1;
		n++;
		if (t == 0x04 && out->detail[0] == '\0' &&
		    oid.n == sizeof(sysdescr) &&
		    memcmp(oid.p, sysdescr, sizeof(sysdescr)) == 0)
			put_text(
			    out->detail, sizeof(out->detail), val.p, val.n);
	}
	if (pdutag != 0xa2)
		return -1; /* a request, a trap, a report: not an answer */
	out->items = n;
	out->matched = rid == (int64_t)cookie;
	if (comm.n != 6 || memcmp(comm.p, "public", 6) != 0)
		out->why = WHY_COMMUNITY;
	else if (estatus != 0)
		out->why = WHY_ERROR;
	else if (n == 0)
		out->why = WHY_NO_DATA;
	else
		out->open = true;
	return 0;
}

/* --- memcached (protocol.txt, "UDP protocol", "Statistics") ------- */

#define MC_MAX_DATAGRAMS 64

static int
parse_memcached(const uint8_t *buf, size_t len, uint32_t cookie,
    struct nh_survey_answer *out)
{
	struct cur c = { buf, len };
	uint16_t rid, seq, total, reserved;
	size_t i = 0;
	unsigned stats = 0;

	if (cur_u16(&c, &rid) < 0 || cur_u16(&c, &seq) < 0 ||
	    cur_u16(&c, &total) < 0 || cur_u16(&c, &reserved) < 0)
		return -1;
	/* A stats reply takes a few datagrams; memcached sends reserved 0. */
	if (reserved != 0 || total == 0 || total > MC_MAX_DATAGRAMS ||
	    seq >= total)
		return -1;
	out->matched = rid == (cookie & 0xffff);
	while (i < c.n) {
		size_t s = i, e;

		while (i < c.n && c.p[i] != '\n')
			i++;
		e = i;
		if (i < c.n)
			i++;
		if (e > s && c.p[e - 1] == '\r')
			e--;
		if (!has_prefix(c.p + s, e - s, "STAT "))
			continue;
		stats++;
		if (has_prefix(c.p + s, e - s, "STAT version ") &&
		    out->detail[0] == '\0')
			put_prefixed(out->detail, sizeof(out->detail),
			    "memcached ", c.p + s + 13, e - s - 13);
	}
	out->items = stats;
	if (stats > 0) {
		out->open = true;
		return 0;
	}
	if (has_prefix(c.p, c.n, "ERROR") ||
	    has_prefix(c.p, c.n, "SERVER_ERROR") ||
	    has_prefix(c.p, c.n, "CLIENT_ERROR")) {
		out->why = WHY_ERROR;
		return 0;
	}
	if (has_prefix(c.p, c.n, "END") || seq > 0) {
		/* The tail of a reply split over datagrams. */
		out->why = WHY_NO_DATA;
		return 0;
	}
	return -1;
}

int
nh_survey_parse(enum nh_svc s, const uint8_t *buf, size_t len, uint32_t cookie,
    struct nh_survey_answer *out)
{
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (buf == NULL && len > 0)
		return -1;
	if (buf == NULL)
		buf = (const uint8_t *)"";
	switch (s) {
	case NH_SVC_DNS:
		rc = parse_dns(buf, len, cookie, out);
		break;
	case NH_SVC_NTP:
		rc = parse_ntp(buf, len, cookie, out);
		break;
	case NH_SVC_NTP_MONLIST:
		rc = parse_monlist(buf, len, out);
		break;
	case NH_SVC_SSDP:
		rc = parse_ssdp(buf, len, out);
		break;
	case NH_SVC_SNMP:
		rc = parse_snmp(buf, len, cookie, out);
		break;
	case NH_SVC_CHARGEN:
		/* RFC 864: any data is the answer. */
		out->matched = true;
		if (len > 0)
			out->open = true;
		else
			out->why = WHY_NO_DATA;
		rc = 0;
		break;
	case NH_SVC_MEMCACHED:
		rc = parse_memcached(buf, len, cookie, out);
		break;
	default:
		break;
	}
	if (rc < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	if (out->open)
		out->why = NULL;
	return 0;
}
