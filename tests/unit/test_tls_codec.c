/*
 * test_tls_codec.c: the ClientHello encoder and the server-flight decoder,
 * on handmade bytes: well-formed flights whole, split across records and
 * fed a byte at a time; HelloRetryRequest; alerts; and hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "tls/cursor.h"
#include "tls/tls.h"

/* ---- the encoder ---- */

static void
test_hello_structure(void **state)
{
	static const uint16_t suites[] = { 0x1302, 0xc02b, 0x000a };
	static const uint16_t groups[] = { 29, 23 };
	static const uint16_t sigalgs[] = { 0x0403, 0x0804 };
	struct nh_tls_hello h = { .version = NH_TLS13,
		.suites = suites,
		.nsuites = 3,
		.groups = groups,
		.ngroups = 2,
		.key_shares = groups,
		.nkey_shares = 1,
		.sigalgs = sigalgs,
		.nsigalgs = 2,
		.sni = "good.test",
		.ems = true,
		.reneg_info = true,
		.status_request = true };
	uint8_t out[NH_TLS_MAX_HELLO];
	size_t len = nh_tls_hello_write(&h, out, sizeof(out));
	struct nh_cur c = nh_cur_make(out, len), body, ext;
	bool sni = false, sv = false, ks = false;

	(void)state;
	assert_true(len > 0);
	assert_int_equal(nh_cur_u8(&c), 22);        /* handshake */
	assert_int_equal(nh_cur_u16(&c), NH_TLS10); /* record version */
	assert_int_equal(nh_cur_u16(&c), len - 5);
	assert_int_equal(nh_cur_u8(&c), 1); /* ClientHello */
	body = nh_cur_sub(&c, nh_cur_u24(&c));
	assert_false(c.bad);
	assert_int_equal(nh_cur_left(&c), 0);
	assert_int_equal(nh_cur_u16(&body), NH_TLS12); /* legacy version */
	nh_cur_bytes(&body, 32);
	assert_int_equal(nh_cur_u8(&body), 32); /* session id */
	nh_cur_bytes(&body, 32);
	assert_int_equal(nh_cur_u16(&body), 6);
	assert_int_equal(nh_cur_u16(&body), 0x1302);
	nh_cur_bytes(&body, 4);
	assert_int_equal(nh_cur_u8(&body), 1); /* compression: null */
	assert_int_equal(nh_cur_u8(&body), 0);
	ext = nh_cur_sub(&body, nh_cur_u16(&body));
	assert_int_equal(nh_cur_left(&body), 0);
	while (nh_cur_left(&ext) > 0) {
		unsigned type = nh_cur_u16(&ext);
		struct nh_cur e = nh_cur_sub(&ext, nh_cur_u16(&ext));

		sni |= type == 0;
		sv |= type == 43 && nh_cur_u8(&e) == 2 &&
		    nh_cur_u16(&e) == NH_TLS13;
		if (type == 51) {
			struct nh_cur shares = nh_cur_sub(&e, nh_cur_u16(&e));

			ks = nh_cur_u16(&shares) == 29 &&
			    nh_cur_u16(&shares) == 32;
		}
		assert_false(e.bad);
	}
	assert_false(ext.bad);
	assert_true(sni && sv && ks);
	/* 256 to 511 bytes would be padded to 512. */
	assert_true(len - 5 < 256 || len - 5 >= 512);
}

static void
test_hello_padding_and_limits(void **state)
{
	uint16_t suites[200];
	struct nh_tls_hello h = { .version = NH_TLS12,
		.suites = suites,
		.nsuites = 100,
		.ems = true };
	uint8_t out[NH_TLS_MAX_HELLO];
	size_t len;

	(void)state;
	for (int i = 0; i < 200; i++)
		suites[i] = (uint16_t)(0xc000 + i);
	/* 100 suites: a 249-byte handshake message, not padded. */
	len = nh_tls_hello_write(&h, out, sizeof(out));
	assert_int_equal(len - 5, 249);
	/* 110 suites: 269 bytes, padded to 512. */
	h.nsuites = 110;
	len = nh_tls_hello_write(&h, out, sizeof(out));
	assert_int_equal(len - 5, 512);
	/* SSLv3: no extensions, SSLv3 record version. */
	h.version = NH_SSL3;
	h.no_extensions = true;
	h.nsuites = 10;
	len = nh_tls_hello_write(&h, out, sizeof(out));
	assert_int_equal(out[1], 3);
	assert_int_equal(out[2], 0);
	assert_int_equal(len, 5 + 4 + 2 + 32 + 1 + 2 + 20 + 2);
	/* Invalid specs and small buffers give 0. */
	h.nsuites = 0;
	assert_int_equal(nh_tls_hello_write(&h, out, sizeof(out)), 0);
	h.nsuites = 10;
	h.version = 0x0400;
	assert_int_equal(nh_tls_hello_write(&h, out, sizeof(out)), 0);
	h.version = NH_TLS12;
	assert_int_equal(nh_tls_hello_write(&h, out, 20), 0);
}

/* ---- building server flights ---- */

struct msg {
	uint8_t b[8192];
	size_t len;
};

static void
put(struct msg *m, const void *p, size_t n)
{
	assert_true(m->len + n <= sizeof(m->b));
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static void
u8(struct msg *m, unsigned v)
{
	uint8_t x = (uint8_t)v;

	put(m, &x, 1);
}

static void
u16(struct msg *m, unsigned v)
{
	u8(m, v >> 8);
	u8(m, v);
}

static void
u24(struct msg *m, size_t v)
{
	u8(m, (unsigned)(v >> 16));
	u16(m, (unsigned)v);
}

/* A handshake message of `type` with body b. */
static void
handshake(struct msg *out, unsigned type, const struct msg *b)
{
	u8(out, type);
	u24(out, b->len);
	put(out, b->b, b->len);
}

static void
server_hello(
    struct msg *hs, unsigned version, unsigned suite, bool hrr, bool tls13)
{
	struct msg b = { 0 }, ext = { 0 };
	uint8_t random[32];

	memset(random, 7, sizeof(random));
	if (hrr) {
		static const uint8_t r[32] = { 0xcf, 0x21, 0xad, 0x74, 0xe5,
			0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65,
			0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c,
			0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c };

		memcpy(random, r, sizeof(random));
	}
	u16(&b, tls13 ? NH_TLS12 : version);
	put(&b, random, 32);
	u8(&b, 0);
	u16(&b, suite);
	u8(&b, 0);
	if (tls13) {
		u16(&ext, 43);
		u16(&ext, 2);
		u16(&ext, NH_TLS13);
		u16(&ext, 51);
		u16(&ext, 2);
		u16(&ext, 23); /* HRR: the group the server wants */
	} else {
		u16(&ext, 0xff01);
		u16(&ext, 1);
		u8(&ext, 0);
		u16(&ext, 23);
		u16(&ext, 0);
	}
	u16(&b, (unsigned)ext.len);
	put(&b, ext.b, ext.len);
	handshake(hs, 2, &b);
}

static void
certificate(struct msg *hs, size_t ncerts)
{
	struct msg b = { 0 }, list = { 0 };

	for (size_t i = 0; i < ncerts; i++) {
		u24(&list, 3);
		u8(&list, 0x30);
		u8(&list, 1);
		u8(&list, (unsigned)i);
	}
	u24(&b, list.len);
	put(&b, list.b, list.len);
	handshake(hs, 11, &b);
}

static void
ske_ecdhe(struct msg *hs, unsigned group, unsigned sigalg)
{
	struct msg b = { 0 };

	u8(&b, 3);
	u16(&b, group);
	u8(&b, 65);
	for (int i = 0; i < 65; i++)
		u8(&b, 4);
	u16(&b, sigalg);
	u16(&b, 8);
	for (int i = 0; i < 8; i++)
		u8(&b, 0);
	handshake(hs, 12, &b);
}

static void
ske_dhe(struct msg *hs, const uint8_t *p, size_t plen)
{
	struct msg b = { 0 };

	u16(&b, (unsigned)plen);
	put(&b, p, plen);
	u16(&b, 1);
	u8(&b, 2);
	u16(&b, 1);
	u8(&b, 5);
	u16(&b, 0x0201); /* rsa_pkcs1_sha1 */
	u16(&b, 0);
	handshake(hs, 12, &b);
}

static void
done(struct msg *hs)
{
	struct msg b = { 0 };

	handshake(hs, 14, &b);
}

/* Wraps handshake bytes into records of at most `chunk` bytes. */
static void
records(struct msg *out, unsigned type, const struct msg *in, size_t chunk)
{
	for (size_t off = 0; off < in->len; off += chunk) {
		size_t n = in->len - off < chunk ? in->len - off : chunk;

		u8(out, type);
		u16(out, NH_TLS12);
		u16(out, (unsigned)n);
		put(out, in->b + off, n);
	}
}

/* Feeds `in` to a fresh parser in pieces of `piece` bytes. */
static enum nh_tls_feed
feed(struct nh_tls_parser *p, const struct msg *in, size_t piece)
{
	enum nh_tls_feed r = NH_TLS_MORE;

	assert_int_equal(nh_tls_parser_init(p), 0);
	for (size_t off = 0; off < in->len && r == NH_TLS_MORE; off += piece)
		r = nh_tls_parser_feed(p, in->b + off,
		    in->len - off < piece ? in->len - off : piece);
	return r;
}

/* ---- the decoder ---- */

static void
test_flight_tls12(void **state)
{
	struct msg hs = { 0 }, wire = { 0 };
	struct nh_tls_parser p;
	size_t pieces[] = { 1, 3, 64, 100000 };
	size_t chunks[] = { 1, 7, 1000 };

	(void)state;
	server_hello(&hs, NH_TLS12, 0xc02f, false, false);
	certificate(&hs, 3);
	ske_ecdhe(&hs, 23, 0x0401);
	done(&hs);
	for (size_t c = 0; c < 3; c++) {
		wire.len = 0;
		records(&wire, 22, &hs, chunks[c]);
		for (size_t i = 0; i < 4; i++) {
			assert_int_equal(
			    feed(&p, &wire, pieces[i]), NH_TLS_DONE);
			assert_true(p.s.hello && !p.s.hrr);
			assert_int_equal(p.s.version, NH_TLS12);
			assert_int_equal(p.s.suite, 0xc02f);
			assert_true(p.s.ext_reneg && p.s.ext_ems);
			assert_int_equal(p.s.ncerts, 3);
			assert_int_equal(p.s.cert_lens[2], 3);
			assert_int_equal(p.s.certs[2][2], 2);
			assert_true(p.s.ske);
			assert_int_equal(p.s.ske_group, 23);
			assert_int_equal(p.s.ske_sigalg, 0x0401);
			assert_string_equal(
			    nh_tls_sigalg_hash(p.s.ske_sigalg), "sha256");
			assert_true(p.s.hello_done);
			assert_null(p.s.error);
			nh_tls_parser_free(&p);
		}
	}
}

/* The prime of an RFC 7919 group, from OpenSSL. */
static size_t
ffdhe_prime(const char *name, uint8_t *out, size_t cap)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	EVP_PKEY *key = NULL;
	BIGNUM *p = NULL;
	OSSL_PARAM params[2] = { OSSL_PARAM_construct_utf8_string(
				     OSSL_PKEY_PARAM_GROUP_NAME, (char *)name,
				     0),
		OSSL_PARAM_construct_end() };
	size_t len = 0;

	if (EVP_PKEY_paramgen_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_params(ctx, params) == 1 &&
	    EVP_PKEY_paramgen(ctx, &key) == 1 &&
	    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_FFC_P, &p) == 1 &&
	    (size_t)BN_num_bytes(p) <= cap)
		len = (size_t)BN_bn2bin(p, out);
	BN_free(p);
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(ctx);
	return len;
}

/* PSK suites: an identity hint before the parameters, no signature. */
static void
test_flight_psk(void **state)
{
	struct msg hs = { 0 }, b = { 0 }, wire = { 0 };
	struct nh_tls_parser p;

	(void)state;
	server_hello(&hs, NH_TLS12, 0xc034, false, false); /* ECDHE-PSK */
	u16(&b, 2);
	put(&b, "id", 2);
	u8(&b, 3);
	u16(&b, 29);
	u8(&b, 32);
	for (int i = 0; i < 32; i++)
		u8(&b, 9);
	handshake(&hs, 12, &b);
	done(&hs);
	records(&wire, 22, &hs, 16384);
	assert_int_equal(feed(&p, &wire, 100000), NH_TLS_DONE);
	assert_true(p.s.ske);
	assert_int_equal(p.s.ske_group, 29);
	assert_int_equal(p.s.ske_sigalg, 0);
	nh_tls_parser_free(&p);
	/* Plain PSK: the hint alone. */
	hs.len = b.len = wire.len = 0;
	server_hello(&hs, NH_TLS12, 0x00a9, false, false);
	u16(&b, 0);
	handshake(&hs, 12, &b);
	done(&hs);
	records(&wire, 22, &hs, 16384);
	assert_int_equal(feed(&p, &wire, 100000), NH_TLS_DONE);
	assert_true(p.s.ske && p.s.hello_done);
	nh_tls_parser_free(&p);
}

static void
test_flight_dhe(void **state)
{
	struct msg hs = { 0 }, wire = { 0 };
	struct nh_tls_parser p;
	uint8_t prime[512];
	size_t plen = ffdhe_prime("ffdhe3072", prime, sizeof(prime));

	(void)state;
	assert_int_equal(plen, 384);
	server_hello(&hs, NH_TLS12, 0x009f, false, false); /* DHE-RSA-GCM */
	ske_dhe(&hs, prime, plen);
	done(&hs);
	records(&wire, 22, &hs, 16384);
	assert_int_equal(feed(&p, &wire, 100000), NH_TLS_DONE);
	assert_int_equal(p.s.dh_bits, 3072);
	assert_int_equal(p.s.dh_g, 2);
	assert_true(p.s.dh_ffdhe);
	assert_string_equal(nh_tls_sigalg_hash(p.s.ske_sigalg), "sha1");
	nh_tls_parser_free(&p);

	/* A custom 1024-bit prime is not an RFC 7919 group. */
	memset(&hs, 0, sizeof(hs));
	wire.len = 0;
	prime[0] = 0xc5;
	server_hello(&hs, NH_TLS12, 0x009f, false, false);
	ske_dhe(&hs, prime, 128);
	done(&hs);
	records(&wire, 22, &hs, 16384);
	assert_int_equal(feed(&p, &wire, 100000), NH_TLS_DONE);
	assert_int_equal(p.s.dh_bits, 1024);
	assert_false(p.s.dh_ffdhe);
	nh_tls_parser_free(&p);
}

static void
test_flight_tls13_and_hrr(void **state)
{
	struct msg hs = { 0 }, wire = { 0 };
	struct nh_tls_parser p;

	(void)state;
	server_hello(&hs, NH_TLS12, 0x1302, true, true);
	records(&wire, 22, &hs, 16384);
	/* What follows an HRR is never read. */
	u8(&wire, 99);
	assert_int_equal(feed(&p, &wire, 5), NH_TLS_DONE);
	assert_true(p.s.hrr);
	assert_int_equal(p.s.version, NH_TLS13);
	assert_int_equal(p.s.suite, 0x1302);
	assert_int_equal(p.s.key_share_group, 23);
	nh_tls_parser_free(&p);
}

static void
test_flight_alert(void **state)
{
	struct msg wire = { 0 };
	struct nh_tls_parser p;

	(void)state;
	u8(&wire, 21);
	u16(&wire, NH_TLS12);
	u16(&wire, 2);
	u8(&wire, 2);
	u8(&wire, 40);
	assert_int_equal(feed(&p, &wire, 1), NH_TLS_DONE);
	assert_true(p.s.alert && !p.s.hello);
	assert_string_equal(
	    nh_tls_alert_name(p.s.alert_desc), "handshake_failure");
	nh_tls_parser_free(&p);
}

/* Expects input to be refused, with a reason. */
static void
expect_bad(const struct msg *wire, const char *why)
{
	struct nh_tls_parser p;

	assert_int_equal(feed(&p, wire, 100000), NH_TLS_BAD);
	assert_non_null(p.s.error);
	if (strstr(p.s.error, why) == NULL)
		fail_msg("error '%s', expected '%s'", p.s.error, why);
	nh_tls_parser_free(&p);
}

/* An SSLv2 SERVER-HELLO sharing `n` of `specs`, with a 4-byte
 * certificate and a 16-byte connection id. */
static void
ssl2_server_hello(
    struct msg *wire, const uint32_t *specs, size_t n, size_t specs_len)
{
	struct msg b = { 0 };

	u8(&b, 4);
	u8(&b, 0);
	u8(&b, 1);
	u16(&b, 0x0002);
	u16(&b, 4);
	u16(&b, (unsigned)specs_len);
	u16(&b, 16);
	put(&b, "\x30\x02\x05\x00", 4);
	for (size_t i = 0; i < n; i++)
		u24(&b, specs[i]);
	for (int i = 0; i < 16; i++)
		u8(&b, (unsigned)i);
	u8(wire, 0x80 | (unsigned)(b.len >> 8));
	u8(wire, (unsigned)b.len);
	put(wire, b.b, b.len);
}

static void
test_ssl2(void **state)
{
	static const uint32_t specs[] = { 0x0700c0, 0x010080 };
	uint8_t hello[256];
	size_t len = nh_tls_ssl2_hello_write(hello, sizeof(hello));
	struct msg wire = { 0 };
	struct nh_tls_parser p;

	(void)state;
	/* The CLIENT-HELLO: header, type 1, version 2, every spec, a
	 * 16-byte challenge. */
	assert_int_equal(len, 2 + 9 + 3 * nh_tls_nssl2_suites + 16);
	assert_int_equal(hello[0], 0x80);
	assert_int_equal(hello[1], len - 2);
	assert_int_equal(hello[2], 1);
	assert_int_equal(hello[3] << 8 | hello[4], 2);
	assert_int_equal(hello[5] << 8 | hello[6], 3 * nh_tls_nssl2_suites);
	assert_int_equal(hello[9] << 8 | hello[10], 16);
	assert_int_equal(hello[11] << 16 | hello[12] << 8 | hello[13],
	    nh_tls_ssl2_suites[0].id);
	assert_int_equal(nh_tls_ssl2_hello_write(hello, 20), 0);

	/* A SERVER-HELLO, whole and a byte at a time. */
	ssl2_server_hello(&wire, specs, 2, 6);
	for (size_t piece = 1; piece <= wire.len; piece += wire.len - 1) {
		assert_int_equal(feed(&p, &wire, piece), NH_TLS_DONE);
		assert_true(p.s.hello);
		assert_int_equal(p.s.version, NH_SSL2);
		assert_int_equal(p.s.nssl2_suites, 2);
		assert_int_equal(p.s.ssl2_suites[0], 0x0700c0);
		assert_string_equal(
		    nh_tls_suite_by_id(p.s.ssl2_suites[1])->iana,
		    "SSL_CK_RC4_128_WITH_MD5");
		nh_tls_parser_free(&p);
	}
	/* An ERROR message is a refusal. */
	wire.len = 0;
	put(&wire, "\x80\x03\x00\x00\x01", 5);
	assert_int_equal(feed(&p, &wire, 100), NH_TLS_DONE);
	assert_true(p.s.alert && !p.s.hello);
	nh_tls_parser_free(&p);
	/* Malformed: a spec list that is not whole specs, a certificate
	 * longer than the message, an unexpected message type. */
	wire.len = 0;
	ssl2_server_hello(&wire, specs, 2, 5);
	expect_bad(&wire, "malformed SSLv2");
	wire.len = 0;
	ssl2_server_hello(&wire, specs, 2, 60);
	expect_bad(&wire, "malformed SSLv2");
	wire.len = 0;
	put(&wire, "\x80\x03\x07\x00\x00", 5);
	expect_bad(&wire, "malformed SSLv2");
	/* A SERVER-HELLO claiming TLS 1.2 (found by fuzzing). */
	wire.len = 0;
	ssl2_server_hello(&wire, specs, 2, 6);
	wire.b[5] = 3;
	wire.b[6] = 3;
	expect_bad(&wire, "malformed SSLv2");
}

static void
test_flight_hostile(void **state)
{
	struct msg hs = { 0 }, wire = { 0 };

	(void)state;
	/* Not TLS: an HTTP answer. */
	put(&wire, "HTTP/1.1 400 Bad Request\r\n", 26);
	expect_bad(&wire, "not TLS");
	/* An SSLv2 record after a TLS ServerHello. */
	wire.len = 0;
	hs.len = 0;
	server_hello(&hs, NH_TLS12, 0xc02f, false, false);
	records(&wire, 22, &hs, 16384);
	put(&wire, "\x80\x05\x00\x00\x01\x00\x00", 7);
	expect_bad(&wire, "SSLv2 record inside TLS");
	/* An SSLv2 record too short for any message. */
	wire.len = 0;
	put(&wire, "\x80\x02\x00\x00\x00", 5);
	expect_bad(&wire, "short SSLv2");
	/* A record longer than TLS allows. */
	wire.len = 0;
	u8(&wire, 22);
	u16(&wire, NH_TLS12);
	u16(&wire, 0xffff);
	expect_bad(&wire, "record too long");
	/* A handshake message claiming 16 MB. */
	wire.len = 0;
	hs.len = 0;
	u8(&hs, 2);
	u24(&hs, 0xffffff);
	records(&wire, 22, &hs, 16384);
	expect_bad(&wire, "too long");
	/* A Certificate first. */
	wire.len = 0;
	hs.len = 0;
	certificate(&hs, 1);
	records(&wire, 22, &hs, 16384);
	expect_bad(&wire, "not a ServerHello");
	/* A ServerHello whose session id runs past its end. */
	wire.len = 0;
	hs.len = 0;
	u8(&hs, 2);
	u24(&hs, 36);
	u16(&hs, NH_TLS12);
	for (int i = 0; i < 32; i++)
		u8(&hs, 0);
	u8(&hs, 200);
	u8(&hs, 0);
	records(&wire, 22, &hs, 16384);
	expect_bad(&wire, "malformed ServerHello");
	/* A certificate list longer than its message. */
	wire.len = 0;
	hs.len = 0;
	server_hello(&hs, NH_TLS12, 0xc02f, false, false);
	u8(&hs, 11);
	u24(&hs, 6);
	u24(&hs, 3);
	u24(&hs, 500);
	records(&wire, 22, &hs, 16384);
	expect_bad(&wire, "malformed Certificate");
	/* A flight that never ends: HelloRequests after the ServerHello. */
	wire.len = 0;
	hs.len = 0;
	server_hello(&hs, NH_TLS12, 0xc02f, false, false);
	for (int i = 0; i < 20; i++) {
		u8(&hs, 0);
		u24(&hs, 0);
	}
	records(&wire, 22, &hs, 16384);
	expect_bad(&wire, "too many handshake messages");
	/* An empty record (it once stalled the decoder: found by fuzzing). */
	wire.len = 0;
	u8(&wire, 23);
	u16(&wire, NH_TLS12);
	u16(&wire, 0);
	u8(&wire, 22);
	expect_bad(&wire, "empty record");
	/* An application-data record before any ServerHello. */
	wire.len = 0;
	u8(&wire, 23);
	u16(&wire, NH_TLS12);
	u16(&wire, 1);
	u8(&wire, 0);
	expect_bad(&wire, "unexpected record");
}

static void
test_tables(void **state)
{
	const struct nh_tls_suite *s;

	(void)state;
	assert_true(nh_tls_nsuites > 300);
	for (size_t i = 1; i < nh_tls_nsuites; i++)
		assert_true(nh_tls_suites[i - 1].id < nh_tls_suites[i].id);
	s = nh_tls_suite_by_id(0x1302);
	assert_string_equal(s->iana, "TLS_AES_256_GCM_SHA384");
	assert_int_equal(s->level, NH_TLS_GOOD);
	assert_int_equal(nh_tls_suite_by_id(0xc02f)->level, NH_TLS_SUFFICIENT);
	assert_int_equal(nh_tls_suite_by_id(0xc027)->level,
	    NH_TLS_PHASE_OUT); /* ECDHE-RSA-AES128-SHA256 */
	assert_int_equal(
	    nh_tls_suite_by_id(0x000a)->level, NH_TLS_INSUFFICIENT); /* 3DES */
	assert_int_equal(nh_tls_suite_by_id(0x1304)->level,
	    NH_TLS_SUFFICIENT); /* TLS_AES_128_CCM_SHA256 */
	assert_int_equal(nh_tls_suite_by_id(0x1305)->level,
	    NH_TLS_INSUFFICIENT); /* TLS_AES_128_CCM_8_SHA256 */
	assert_null(nh_tls_suite_by_id(0xfeff + 0x100));
	assert_int_equal(
	    nh_tls_policy("version", "TLSv1.2"), NH_TLS_SUFFICIENT);
	assert_int_equal(
	    nh_tls_policy("version", "TLSv1"), NH_TLS_INSUFFICIENT);
	assert_int_equal(nh_tls_policy("group", "secp224r1"), NH_TLS_PHASE_OUT);
	assert_int_equal(
	    nh_tls_policy("group", "sect163k1"), NH_TLS_INSUFFICIENT);
	assert_int_equal(nh_tls_policy("kexhash", "sha1"), NH_TLS_INSUFFICIENT);
	assert_string_equal(nh_tls_group_by_id(29)->name, "x25519");
	assert_string_equal(nh_tls_version_name(NH_TLS13), "TLSv1.3");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello_structure),
		cmocka_unit_test(test_hello_padding_and_limits),
		cmocka_unit_test(test_flight_tls12),
		cmocka_unit_test(test_flight_psk),
		cmocka_unit_test(test_flight_dhe),
		cmocka_unit_test(test_flight_tls13_and_hrr),
		cmocka_unit_test(test_flight_alert),
		cmocka_unit_test(test_flight_hostile),
		cmocka_unit_test(test_ssl2),
		cmocka_unit_test(test_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
