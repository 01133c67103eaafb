/*
 * fuzz_wire.h: a growable byte writer for the TLS fuzz targets, which
 * frame their input as handshake messages and records. Header-only: each
 * target is one translation unit. The writer owns w->b (free it).
 */
#ifndef NH_FUZZ_WIRE_H
#define NH_FUZZ_WIRE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Bytes being written; `bad` once out of memory. */
struct wire {
	uint8_t *b;
	size_t len, cap;
	bool bad;
};

static inline void
put(struct wire *w, const void *src, size_t n)
{
	if (w->bad)
		return;
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap : 256;
		uint8_t *b;

		while (cap < w->len + n)
			cap *= 2;
		if ((b = realloc(w->b, cap)) == NULL) {
			w->bad = true;
			return;
		}
		w->b = b;
		w->cap = cap;
	}
	if (n > 0)
		memcpy(w->b + w->len, src, n);
	w->len += n;
}

static inline void
u8(struct wire *w, unsigned v)
{
	uint8_t x = (uint8_t)v;

	put(w, &x, 1);
}

static inline void
u16(struct wire *w, unsigned v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(w, x, 2);
}

/* A handshake message: type, 24-bit length, body. */
static inline void
handshake(struct wire *w, unsigned type, const uint8_t *body, size_t len)
{
	uint8_t x[4] = { (uint8_t)type, (uint8_t)(len >> 16),
		(uint8_t)(len >> 8), (uint8_t)len };

	put(w, x, 4);
	put(w, body, len);
}

/* Wraps handshake bytes into TLS 1.2 records of at most `chunk` bytes. */
static inline void
records(struct wire *out, const struct wire *in, size_t chunk)
{
	for (size_t off = 0; off < in->len; off += chunk) {
		size_t n = in->len - off < chunk ? in->len - off : chunk;

		u8(out, 22);
		u16(out, 0x0303);
		u16(out, (unsigned)n);
		put(out, in->b + off, n);
	}
}

#endif
