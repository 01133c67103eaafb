/*
 * fuzz_tls_alert.c: libFuzzer target for the record layer and the alert
 * path of the flight parser (and the SSLv2 record an old server may send
 * instead, with its ERROR). Input: a byte of flags (bit 0: a TLS 1.2
 * ServerHello record comes first; the other bits: the size of the reads),
 * then records, each chosen by a byte:
 *   0: an alert of the next two bytes (level, description);
 *   1: an alert whose length is the next byte, then that many bytes;
 *   2: a ChangeCipherSpec;
 *   3: a header of the next five bytes as they are (type, version, length),
 *      then the body it announces, as much of it as the input has.
 * The records are parsed in one read and in reads of the chosen size;
 * both must read the same.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_wire.h"
#include "tls/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A TLS 1.2 ServerHello record: zero random, no session id,
 * ECDHE-RSA-AES128-GCM-SHA256, no extensions. */
static const uint8_t server_hello[] = { 0x16, 0x03, 0x03, 0x00, 0x2a, 0x02,
	0x00, 0x00, 0x26, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0xc0, 0x2f,
	0x00 };

/* A record of type `type` around up to `len` bytes of *in. */
static void
record(struct wire *w, unsigned type, size_t len, const uint8_t **in,
    const uint8_t *end)
{
	if (len > (size_t)(end - *in))
		len = (size_t)(end - *in);
	u8(w, type);
	u16(w, 0x0303);
	u16(w, (unsigned)len);
	put(w, *in, len);
	*in += len;
}

/* Builds the records the input describes. */
static void
script(struct wire *w, const uint8_t *in, const uint8_t *end)
{
	while (in < end) {
		unsigned op = *in++ & 3;
		size_t n;

		switch (op) {
		case 0:
			record(w, 21, 2, &in, end);
			break;
		case 1:
			n = in < end ? *in++ : 0;
			record(w, 21, n, &in, end);
			break;
		case 2:
			u8(w, 20);
			u16(w, 0x0303);
			u16(w, 1);
			u8(w, 1);
			break;
		case 3:
			n = (size_t)(end - in) < 5 ? (size_t)(end - in) : 5;
			put(w, in, n);
			in += n;
			if (n == 5) {
				n = (size_t)in[-2] << 8 | in[-1];
				if (n > (size_t)(end - in))
					n = (size_t)(end - in);
				put(w, in, n);
				in += n;
			}
			break;
		}
	}
}

/* Feeds `w` to p (initialized here) in reads of `piece` bytes. */
static enum nh_tls_feed
parse(struct nh_tls_parser *p, const struct wire *w, size_t piece)
{
	enum nh_tls_feed r = NH_TLS_MORE;

	nh_tls_parser_init(p);
	for (size_t off = 0; off < w->len && r == NH_TLS_MORE; off += piece)
		r = nh_tls_parser_feed(
		    p, w->b + off, w->len - off < piece ? w->len - off : piece);
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire w = { 0 };
	struct nh_tls_parser *p1 = NULL, *p2 = NULL;
	const struct nh_tls_server *a, *b;
	enum nh_tls_feed r1, r2;

	if (size < 1)
		return 0;
	if (data[0] & 1)
		put(&w, server_hello, sizeof(server_hello));
	script(&w, data + 1, data + size);
	if (w.bad || (p1 = malloc(sizeof(*p1))) == NULL ||
	    (p2 = malloc(sizeof(*p2))) == NULL)
		goto out;
	r1 = parse(p1, &w, w.len > 0 ? w.len : 1);
	r2 = parse(p2, &w, 1 + (data[0] >> 1));
	/* How the bytes arrive must not change what is read. */
	a = &p1->s;
	b = &p2->s;
	if (r1 != r2 || a->hello != b->hello || a->alert != b->alert ||
	    a->alert_level != b->alert_level ||
	    a->alert_desc != b->alert_desc ||
	    (a->error == NULL) != (b->error == NULL) ||
	    (a->error != NULL && strcmp(a->error, b->error) != 0))
		abort();
	/* Only an alert (or SSLv2 ERROR), a ServerHelloDone, or a hello
	 * that ends the flight (TLS 1.3, HRR, SSLv2) ends it. */
	if (r1 == NH_TLS_DONE && !a->alert && !a->hello_done && !a->hello)
		abort();
	nh_tls_parser_free(p2);
	nh_tls_parser_free(p1);
out:
	free(p2);
	free(p1);
	free(w.b);
	return 0;
}
