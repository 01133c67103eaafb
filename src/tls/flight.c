/*
 * flight.c: decodes a server's first flight (RFC 5246 §7.4, RFC 8446 §4):
 * records, then handshake messages across records: ServerHello or
 * HelloRetryRequest and its extensions, and for TLS <= 1.2 the Certificate
 * and ServerKeyExchange (group, DH prime size, signature hash), up to
 * ServerHelloDone; or an alert.
 *
 * Every length comes from the peer and is checked against what arrived;
 * a record is at most NH_TLS_MAX_RECORD, a flight at most
 * NH_TLS_MAX_FLIGHT bytes of at most NH_TLS_MAX_MESSAGES messages, at most
 * NH_TLS_MAX_CERTS certificates are kept.
 * Malformed input ends the parse with a reason, never a crash.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "cursor.h"
#include "tls_impl.h"

/* SHA-256("HelloRetryRequest"), the ServerHello.random of an HRR. */
static const uint8_t hrr_random[32] = { 0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a,
	0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2,
	0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8,
	0x33, 0x9c };

int
nh_tls_parser_init(struct nh_tls_parser *p)
{
	memset(p, 0, sizeof(*p));
	return 0;
}

void
nh_tls_parser_free(struct nh_tls_parser *p)
{
	free(p->hs);
	p->hs = NULL;
	p->hs_cap = 0;
}

static enum nh_tls_feed
bad(struct nh_tls_parser *p, const char *why)
{
	p->s.error = why;
	p->done = true;
	return NH_TLS_BAD;
}

static void
parse_extensions(struct nh_tls_server *s, struct nh_cur *c)
{
	struct nh_cur all = nh_cur_sub(c, nh_cur_u16(c));

	while (nh_cur_left(&all) >= 4) {
		unsigned type = nh_cur_u16(&all);
		struct nh_cur e = nh_cur_sub(&all, nh_cur_u16(&all));

		switch (type) {
		case NH_TLS_EXT_SUPPORTED_VERSIONS:
			s->version = nh_cur_u16(&e);
			break;
		case NH_TLS_EXT_KEY_SHARE:
			s->key_share_group = nh_cur_u16(&e);
			break;
		case NH_TLS_EXT_RENEGOTIATION_INFO:
			s->ext_reneg = true;
			s->reneg_len = nh_cur_u8(&e);
			break;
		case NH_TLS_EXT_EMS:
			s->ext_ems = true;
			break;
		case NH_TLS_EXT_STATUS_REQUEST:
			s->ext_status_request = true;
			break;
		}
		if (e.bad)
			all.bad = true;
	}
	if (all.bad || nh_cur_left(&all) != 0)
		c->bad = true;
}

static int
parse_server_hello(struct nh_tls_server *s, struct nh_cur *c)
{
	const uint8_t *random;

	s->legacy_version = nh_cur_u16(c);
	random = nh_cur_bytes(c, 32);
	nh_cur_bytes(c, nh_cur_u8(c)); /* session id */
	s->suite = nh_cur_u16(c);
	s->compression = nh_cur_u8(c);
	if (c->bad)
		return -1;
	s->hrr = memcmp(random, hrr_random, sizeof(hrr_random)) == 0;
	s->version = s->legacy_version;
	/* Extensions are optional before TLS 1.3 (SSLv3 has none). */
	if (nh_cur_left(c) > 0)
		parse_extensions(s, c);
	if (c->bad || nh_cur_left(c) != 0)
		return -1;
	s->hello = true;
	return 0;
}

static int
parse_certificates(struct nh_tls_parser *p, struct nh_cur *c)
{
	struct nh_cur list = nh_cur_sub(c, nh_cur_u24(c));

	while (nh_cur_left(&list) > 0) {
		size_t len = nh_cur_u24(&list);
		/* Kept as an offset: the buffer may move as records arrive. */
		size_t at = (size_t)(list.p - p->hs) + list.off;

		if (nh_cur_bytes(&list, len) == NULL)
			return -1;
		if (p->ncert_offs < NH_TLS_MAX_CERTS) {
			p->cert_offs[p->ncert_offs] = at;
			p->s.cert_lens[p->ncert_offs++] = len;
		}
	}
	return list.bad || c->bad ? -1 : 0;
}

/* Whether prime p (big-endian, len bytes) with generator 2 is one of RFC
 * 7919's groups: OpenSSL knows them by name. */
static bool
is_ffdhe(const uint8_t *prime, size_t len)
{
	static const char *const names[] = { "ffdhe2048", "ffdhe3072",
		"ffdhe4096", "ffdhe6144", "ffdhe8192" };
	bool match = false;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !match;
	     i++) {
		EVP_PKEY_CTX *ctx =
		    EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
		EVP_PKEY *key = NULL;
		BIGNUM *p = NULL;
		uint8_t buf[1024];
		OSSL_PARAM params[2];

		params[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_PKEY_PARAM_GROUP_NAME, (char *)names[i], 0);
		params[1] = OSSL_PARAM_construct_end();
		if (ctx != NULL && EVP_PKEY_paramgen_init(ctx) == 1 &&
		    EVP_PKEY_CTX_set_params(ctx, params) == 1 &&
		    EVP_PKEY_paramgen(ctx, &key) == 1 &&
		    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_FFC_P, &p) ==
			1 &&
		    (size_t)BN_num_bytes(p) == len && len <= sizeof(buf) &&
		    BN_bn2bin(p, buf) == (int)len)
			match = memcmp(buf, prime, len) == 0;
		BN_free(p);
		EVP_PKEY_free(key);
		EVP_PKEY_CTX_free(ctx);
	}
	return match;
}

/* Bits of a big-endian number. */
static unsigned
bits_of(const uint8_t *n, size_t len)
{
	while (len > 0 && *n == 0) {
		n++;
		len--;
	}
	if (len == 0)
		return 0;
	unsigned bits = (unsigned)(len - 1) * 8;
	for (unsigned v = n[0]; v != 0; v >>= 1)
		bits++;
	return bits;
}

static int
parse_ske(struct nh_tls_server *s, struct nh_cur *c)
{
	const struct nh_tls_suite *suite = nh_tls_suite_by_id(s->suite);
	const char *kx = suite ? suite->kx : "";
	bool anon = suite && strcmp(suite->au, "None") == 0;

	s->ske = true;
	/* PSK suites (RFC 4279, 5489): an identity hint first, then the
	 * key-exchange parameters, if any; nothing is signed. */
	if (strstr(kx, "PSK") != NULL) {
		nh_cur_bytes(c, nh_cur_u16(c));
		anon = true;
		if (strncmp(kx, "DHE", 3) != 0 && strncmp(kx, "ECDHE", 5) != 0)
			return c->bad ? -1 : 0;
	}
	if (strncmp(kx, "ECDH", 4) == 0) {
		if (nh_cur_u8(c) != 3) /* named_curve */
			return -1;
		s->ske_group = nh_cur_u16(c);
		nh_cur_bytes(c, nh_cur_u8(c)); /* the public point */
	} else if (strncmp(kx, "DH", 2) == 0) {
		size_t plen = nh_cur_u16(c), glen;
		const uint8_t *prime = nh_cur_bytes(c, plen), *g;

		glen = nh_cur_u16(c);
		g = nh_cur_bytes(c, glen);
		nh_cur_bytes(c, nh_cur_u16(c)); /* Ys */
		if (c->bad)
			return -1;
		s->dh_bits = bits_of(prime, plen);
		s->dh_g = glen == 1 ? g[0] : 0;
		s->dh_ffdhe = s->dh_g == 2 && is_ffdhe(prime, plen);
	} else if (strncmp(kx, "RSA", 3) == 0) {
		nh_cur_bytes(c, nh_cur_u16(c)); /* modulus (export) */
		nh_cur_bytes(c, nh_cur_u16(c)); /* exponent */
	} else {
		return 0; /* others: not read */
	}
	if (c->bad)
		return -1;
	/* TLS 1.2 names its signature algorithm; before, it is implied. */
	if (!anon && s->version == NH_TLS12 && nh_cur_left(c) >= 2)
		s->ske_sigalg = nh_cur_u16(c);
	return c->bad ? -1 : 0;
}

/* Parses the complete handshake messages buffered; may finish. */
static enum nh_tls_feed
parse_handshake(struct nh_tls_parser *p)
{
	while (p->hs_len - p->hs_off >= 4) {
		uint8_t *m = p->hs + p->hs_off;
		unsigned type = m[0];
		size_t len = (size_t)m[1] << 16 | (size_t)m[2] << 8 | m[3];
		struct nh_cur c;

		if (len > NH_TLS_MAX_FLIGHT)
			return bad(p, "handshake message too long");
		if (p->hs_len - p->hs_off - 4 < len)
			return NH_TLS_MORE;
		c = nh_cur_make(m + 4, len);
		p->hs_off += 4 + len;
		/* A flight that never ends (HelloRequests, which a client
		 * ignores while negotiating, sent for ever). */
		if (++p->nmsgs > NH_TLS_MAX_MESSAGES)
			return bad(p, "too many handshake messages");
		if (!p->s.hello && type != NH_TLS_HS_SERVER_HELLO)
			return bad(p, "the first message is not a ServerHello");
		switch (type) {
		case NH_TLS_HS_SERVER_HELLO:
			if (p->s.hello)
				return bad(p, "a second ServerHello");
			if (parse_server_hello(&p->s, &c) == -1)
				return bad(p, "malformed ServerHello");
			/* TLS 1.3 and HRR: the rest is encrypted or absent. */
			if (p->s.hrr || p->s.version >= NH_TLS13) {
				p->done = true;
				return NH_TLS_DONE;
			}
			break;
		case NH_TLS_HS_CERTIFICATE:
			if (parse_certificates(p, &c) == -1)
				return bad(p, "malformed Certificate");
			break;
		case NH_TLS_HS_SERVER_KEY_EXCHANGE:
			if (parse_ske(&p->s, &c) == -1)
				return bad(p, "malformed ServerKeyExchange");
			break;
		case NH_TLS_HS_SERVER_HELLO_DONE:
			p->s.hello_done = true;
			p->done = true;
			return NH_TLS_DONE;
		default:
			break; /* CertificateRequest, CertificateStatus, ... */
		}
	}
	return NH_TLS_MORE;
}

/* Appends a handshake record's payload to the flight buffer. */
static int
append(struct nh_tls_parser *p, const uint8_t *data, size_t len)
{
	if (p->hs_len + len > NH_TLS_MAX_FLIGHT)
		return -1;
	if (p->hs_len + len > p->hs_cap) {
		size_t cap = p->hs_cap ? p->hs_cap : 8192;
		uint8_t *n;

		while (cap < p->hs_len + len)
			cap *= 2;
		if (cap > NH_TLS_MAX_FLIGHT)
			cap = NH_TLS_MAX_FLIGHT;
		if ((n = realloc(p->hs, cap)) == NULL)
			return -1;
		p->hs = n;
		p->hs_cap = cap;
	}
	memcpy(p->hs + p->hs_len, data, len);
	p->hs_len += len;
	return 0;
}

static enum nh_tls_feed
record(struct nh_tls_parser *p, unsigned type, const uint8_t *body, size_t len)
{
	switch (type) {
	case NH_TLS_CT_ALERT:
		if (len < 2)
			return bad(p, "short alert");
		p->s.alert = true;
		p->s.alert_level = body[0];
		p->s.alert_desc = body[1];
		p->done = true;
		return NH_TLS_DONE;
	case NH_TLS_CT_HANDSHAKE:
		if (append(p, body, len) == -1)
			return bad(p, "flight too long");
		return parse_handshake(p);
	case NH_TLS_CT_CCS:
		return NH_TLS_MORE; /* TLS 1.3 middlebox compatibility */
	default:
		return bad(p, "unexpected record type");
	}
}

/*
 * Checks a record header (the first 5 bytes) and sets how long the record
 * is. An SSLv2 record (two-byte header, high bit set) is accepted only as
 * the first thing the server sends.
 */
static enum nh_tls_feed
header(struct nh_tls_parser *p)
{
	size_t body;

	if (p->rec[0] & 0x80) {
		body = ((size_t)p->rec[0] & 0x7f) << 8 | p->rec[1];
		if (p->hs_len > 0 || p->s.hello)
			return bad(p, "an SSLv2 record inside TLS");
		if (body < 3)
			return bad(p, "short SSLv2 record");
		if (body > NH_TLS_MAX_RECORD)
			return bad(p, "record too long");
		p->rec_want = 2 + body;
		return NH_TLS_MORE;
	}
	body = (size_t)p->rec[3] << 8 | p->rec[4];
	if (p->rec[1] != 3)
		return bad(p, "not TLS");
	if (body > NH_TLS_MAX_RECORD)
		return bad(p, "record too long");
	/* No record we wait for may be empty (and an empty one would
	 * stall the feed loop). */
	if (body == 0)
		return bad(p, "empty record");
	p->rec_want = 5 + body;
	return NH_TLS_MORE;
}

/* An SSLv2 message ends the flight: a SERVER-HELLO or an ERROR. */
static enum nh_tls_feed
ssl2(struct nh_tls_parser *p, const uint8_t *msg, size_t len)
{
	if (nh_tls_ssl2_parse(&p->s, msg, len) == -1)
		return bad(p, "malformed SSLv2 message");
	p->done = true;
	return NH_TLS_DONE;
}

enum nh_tls_feed
nh_tls_parser_feed(struct nh_tls_parser *p, const uint8_t *data, size_t len)
{
	enum nh_tls_feed r = NH_TLS_MORE;

	if (p->done)
		return p->s.error ? NH_TLS_BAD : NH_TLS_DONE;
	while (len > 0 && r == NH_TLS_MORE) {
		/* The 5-byte header first, then its body. */
		size_t want = p->rec_len < 5 ? 5 : p->rec_want;
		size_t take = want - p->rec_len < len ? want - p->rec_len : len;

		memcpy(p->rec + p->rec_len, data, take);
		p->rec_len += take;
		data += take;
		len -= take;
		if (p->rec_len == 5 && (r = header(p)) != NH_TLS_MORE)
			break;
		if (p->rec_len >= 5 && p->rec_len == p->rec_want) {
			r = p->rec[0] & 0x80
			    ? ssl2(p, p->rec + 2, p->rec_want - 2)
			    : record(p, p->rec[0], p->rec + 5, p->rec_want - 5);
			p->rec_len = 0;
		}
	}
	if (r == NH_TLS_DONE) {
		for (size_t i = 0; i < p->ncert_offs; i++)
			p->s.certs[i] = p->hs + p->cert_offs[i];
		p->s.ncerts = p->ncert_offs;
	}
	return r;
}
