/*
 * cursor.h: a bounds-checked cursor over untrusted bytes, and a bounded
 * growable buffer for writing. Internal to src/tls/.
 *
 * A cursor never reads past its end: a read that does not fit sets `bad`,
 * returns zero bytes, and every later read fails too, so a parser checks
 * once at the end of a structure. A sub-cursor covers a length-prefixed
 * field and is bounded by its parent.
 */
#ifndef NH_TLS_CURSOR_H
#define NH_TLS_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nh_cur {
	const uint8_t *p; /* borrowed */
	size_t len, off;
	bool bad;
};

static inline struct nh_cur
nh_cur_make(const uint8_t *p, size_t len)
{
	struct nh_cur c = { p, len, 0, false };

	return c;
}

static inline size_t
nh_cur_left(const struct nh_cur *c)
{
	return c->bad ? 0 : c->len - c->off;
}

static inline bool
nh_cur_need(struct nh_cur *c, size_t n)
{
	if (c->bad || c->len - c->off < n) {
		c->bad = true;
		return false;
	}
	return true;
}

static inline unsigned
nh_cur_u8(struct nh_cur *c)
{
	if (!nh_cur_need(c, 1))
		return 0;
	return c->p[c->off++];
}

static inline unsigned
nh_cur_u16(struct nh_cur *c)
{
	unsigned v;

	if (!nh_cur_need(c, 2))
		return 0;
	v = (unsigned)c->p[c->off] << 8 | c->p[c->off + 1];
	c->off += 2;
	return v;
}

static inline uint32_t
nh_cur_u24(struct nh_cur *c)
{
	uint32_t v;

	if (!nh_cur_need(c, 3))
		return 0;
	v = (uint32_t)c->p[c->off] << 16 | (uint32_t)c->p[c->off + 1] << 8 |
	    c->p[c->off + 2];
	c->off += 3;
	return v;
}

/* The next n bytes (borrowed), or NULL. */
static inline const uint8_t *
nh_cur_bytes(struct nh_cur *c, size_t n)
{
	const uint8_t *p;

	if (!nh_cur_need(c, n))
		return NULL;
	p = c->p + c->off;
	c->off += n;
	return p;
}

/* A sub-cursor over the next n bytes. */
static inline struct nh_cur
nh_cur_sub(struct nh_cur *c, size_t n)
{
	const uint8_t *p = nh_cur_bytes(c, n);
	struct nh_cur s = nh_cur_make(p, p ? n : 0);

	s.bad = p == NULL;
	return s;
}

/* A bounded output buffer. Writes past `cap` set `bad` and are dropped. */
struct nh_buf {
	uint8_t *p; /* owned by the caller */
	size_t len, cap;
	bool bad;
};

static inline void
nh_buf_put(struct nh_buf *b, const void *src, size_t n)
{
	if (b->bad || b->cap - b->len < n) {
		b->bad = true;
		return;
	}
	for (size_t i = 0; i < n; i++)
		b->p[b->len + i] = ((const uint8_t *)src)[i];
	b->len += n;
}

static inline void
nh_buf_u8(struct nh_buf *b, unsigned v)
{
	uint8_t x = (uint8_t)v;

	nh_buf_put(b, &x, 1);
}

static inline void
nh_buf_u16(struct nh_buf *b, unsigned v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	nh_buf_put(b, x, 2);
}

/* Reserves a length field of `width` bytes; returns its offset. */
static inline size_t
nh_buf_len_open(struct nh_buf *b, unsigned width)
{
	static const uint8_t zero[3] = { 0, 0, 0 };
	size_t at = b->len;

	nh_buf_put(b, zero, width);
	return at;
}

/* Fills the length field opened at `at` with the bytes written since. */
static inline void
nh_buf_len_close(struct nh_buf *b, size_t at, unsigned width)
{
	size_t n;

	if (b->bad)
		return;
	n = b->len - at - width;
	if (n >> (8 * width) != 0) {
		b->bad = true;
		return;
	}
	for (unsigned i = 0; i < width; i++)
		b->p[at + i] = (uint8_t)(n >> (8 * (width - 1 - i)));
}

#endif /* NH_TLS_CURSOR_H */
