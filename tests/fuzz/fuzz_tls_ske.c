/*
 * fuzz_tls_ske.c: libFuzzer target for the ServerKeyExchange decoder of
 * the flight parser (ECDHE named curve, DHE prime size and generator, the
 * RFC 7919 group test, the TLS 1.2 signature algorithm). Input: a byte
 * choosing the suite and version of a fixed ServerHello (ECDHE or DHE in
 * TLS 1.2 or 1.0, or the anonymous, export RSA and ECDHE-PSK key exchanges),
 * then the body of the ServerKeyExchange, which is framed here and
 * followed by a ServerHelloDone.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_wire.h"
#include "tls/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the first byte chooses (its low three bits). */
static const struct {
	unsigned version, suite;
} hellos[8] = {
	{ NH_TLS12, 0xc02f }, /* ECDHE-RSA-AES128-GCM-SHA256 */
	{ NH_TLS12, 0x009e }, /* DHE-RSA-AES128-GCM-SHA256 */
	{ NH_TLS10, 0xc013 }, /* ECDHE-RSA-AES128-SHA: no signature scheme */
	{ NH_TLS10, 0x0033 }, /* DHE-RSA-AES128-SHA */
	{ NH_TLS12, 0xc016 }, /* AECDH-RC4-SHA: anonymous, unsigned */
	{ NH_TLS12, 0x0018 }, /* ADH-RC4-MD5 */
	{ NH_TLS10, 0x0003 }, /* EXP-RC4-MD5: a temporary RSA key */
	{ NH_TLS12, 0xc035 }, /* ECDHE-PSK-AES128-CBC-SHA: a hint first */
};

/* A ServerHello: zero random, no session id, null compression, and an
 * empty renegotiation_info. */
static void
server_hello(struct wire *w, unsigned version, unsigned suite)
{
	struct wire b = { 0 };

	u16(&b, version);
	for (int i = 0; i < 32; i++)
		u8(&b, 0);
	u8(&b, 0);
	u16(&b, suite);
	u8(&b, 0);
	u16(&b, 5);
	u16(&b, 0xff01);
	u16(&b, 1);
	u8(&b, 0);
	if (b.bad)
		w->bad = true;
	else
		handshake(w, 2, b.b, b.len);
	free(b.b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire hs = { 0 }, wire = { 0 };
	struct nh_tls_parser *p;
	enum nh_tls_feed r;
	unsigned version, suite;

	if (size < 1)
		return 0;
	version = hellos[data[0] & 7].version;
	suite = hellos[data[0] & 7].suite;
	server_hello(&hs, version, suite);
	handshake(&hs, 12, data + 1, size - 1);
	handshake(&hs, 14, NULL, 0); /* ServerHelloDone */
	records(&wire, &hs, 16384);
	if (hs.bad || wire.bad || (p = malloc(sizeof(*p))) == NULL)
		goto out;
	nh_tls_parser_init(p);
	r = nh_tls_parser_feed(p, wire.b, wire.len);
	/* The ServerHello is valid: the verdict is the key exchange's. */
	if (r == NH_TLS_MORE || !p->s.hello || p->s.suite != suite ||
	    p->s.version != version || !p->s.ske)
		abort();
	if (r == NH_TLS_DONE && !p->s.hello_done)
		abort();
	nh_tls_parser_free(p);
	free(p);
out:
	free(wire.b);
	free(hs.b);
	return 0;
}
