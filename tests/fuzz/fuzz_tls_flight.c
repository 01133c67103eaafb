/*
 * fuzz_tls_flight.c: libFuzzer target for the decoder of a server's first
 * flight (records, ServerHello, Certificate, ServerKeyExchange, alerts),
 * which reads bytes from any server on the Internet. The first input byte
 * chooses how the rest is split into reads, as TCP may split it.
 */
#include <stdint.h>
#include <stdlib.h>

#include "tls/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nh_tls_parser *p;
	size_t piece;
	enum nh_tls_feed r = NH_TLS_MORE;

	if (size < 1 || (p = malloc(sizeof(*p))) == NULL)
		return 0;
	piece = (size_t)data[0] * 37 + 1;
	data++;
	size--;
	nh_tls_parser_init(p);
	for (size_t off = 0; off < size && r == NH_TLS_MORE; off += piece)
		r = nh_tls_parser_feed(
		    p, data + off, size - off < piece ? size - off : piece);
	/* What the checks will read must be within the buffer. */
	for (size_t i = 0; r == NH_TLS_DONE && i < p->s.ncerts; i++) {
		volatile uint8_t sink = 0;

		for (size_t k = 0; k < p->s.cert_lens[i]; k++)
			sink ^= p->s.certs[i][k];
		(void)sink;
	}
	nh_tls_parser_free(p);
	free(p);
	return 0;
}
