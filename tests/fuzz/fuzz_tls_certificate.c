/*
 * fuzz_tls_certificate.c: libFuzzer target for the Certificate decoder of
 * the flight parser and for what is read from a certificate
 * (nh_tls_cert_fact: names, key, curve, signature algorithm, expiry).
 * Input: the body of a Certificate handshake message, sent after a fixed
 * TLS 1.2 ServerHello (AES128-GCM-SHA256, RSA key exchange) and followed
 * by a ServerHelloDone. Each certificate the parser hands back goes
 * through d2i_X509() and nh_tls_cert_fact(); when it hands back none, the
 * input itself does, so a seed may also be a bare DER certificate.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "fuzz_wire.h"
#include "tls/tls_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ServerHello: TLS 1.2, zero random, no session id, 0x009c, null
 * compression, renegotiation_info (empty). */
static const uint8_t server_hello[] = { 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x00, 0x00, 0x9c, 0x00, 0x00, 0x05, 0xff, 0x01, 0x00, 0x01, 0x00 };

/* What the checks would read from a DER certificate. */
static void
cert_fact(const uint8_t *der, size_t len)
{
	const unsigned char *q = der;
	struct nh_fact_cert c;
	X509 *x;

	if (len > LONG_MAX || (x = d2i_X509(NULL, &q, (long)len)) == NULL)
		return;
	if (nh_tls_cert_fact(x, &c) == 0) {
		/* The strings must be strings. */
		volatile size_t sink = strlen(c.subject) + strlen(c.issuer) +
		    strlen(c.key_type) + strlen(c.sig_alg) +
		    strlen(c.not_after) + (c.curve ? strlen(c.curve) : 0);

		(void)sink;
	}
	free(c.subject);
	free(c.issuer);
	free(c.key_type);
	free(c.curve);
	free(c.sig_alg);
	free(c.not_after);
	X509_free(x);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire hs = { 0 }, wire = { 0 };
	struct nh_tls_parser *p;
	enum nh_tls_feed r;
	size_t ncerts = 0;

	handshake(&hs, 2, server_hello, sizeof(server_hello));
	handshake(&hs, 11, data, size);
	handshake(&hs, 14, NULL, 0); /* ServerHelloDone */
	records(&wire, &hs, 16384);
	if (hs.bad || wire.bad || (p = malloc(sizeof(*p))) == NULL)
		goto out;
	nh_tls_parser_init(p);
	r = nh_tls_parser_feed(p, wire.b, wire.len);
	if (r == NH_TLS_DONE) {
		if (!p->s.hello || p->s.suite != 0x9c || !p->s.hello_done)
			abort(); /* the ServerHello is valid */
		ncerts = p->s.ncerts;
		for (size_t i = 0; i < ncerts; i++) {
			/* Each certificate is where the input has it. */
			const uint8_t *in =
			    p->hs + 4 + sizeof(server_hello) + 4;
			size_t off = (size_t)(p->s.certs[i] - in);

			if (p->s.certs[i] < in || off > size ||
			    p->s.cert_lens[i] > size - off ||
			    memcmp(p->s.certs[i], data + off,
				p->s.cert_lens[i]) != 0)
				abort();
			cert_fact(p->s.certs[i], p->s.cert_lens[i]);
		}
	}
	if (ncerts == 0)
		cert_fact(data, size);
	nh_tls_parser_free(p);
	free(p);
out:
	/* OpenSSL's error queue is per thread: leave it empty. */
	ERR_clear_error();
	free(wire.b);
	free(hs.b);
	return 0;
}
