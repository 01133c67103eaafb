/*
 * fuzz_webpol.h: the properties every src/webpol judge must keep, checked
 * by its fuzz targets: findings capped, the status the worst of them,
 * every code and message printable UTF-8 within its array. Header-only:
 * each target is one translation unit.
 */
#ifndef NH_FUZZ_WEBPOL_H
#define NH_FUZZ_WEBPOL_H

#include <assert.h>
#include <string.h>

#include "webpol/webpol.h"

/* Printable UTF-8 of the right shape, NUL-terminated within cap. */
static inline void
check_text(const char *s, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strnlen(s, cap), i = 0;

	assert(len < cap);
	while (i < len) {
		size_t k = p[i] < 0x80 ? 1
		    : p[i] >= 0xf0     ? 4
		    : p[i] >= 0xe0     ? 3
				       : 2;

		assert(p[i] >= 0x20 && p[i] != 0x7f);
		assert(p[i] < 0x80 || (p[i] >= 0xc2 && p[i] <= 0xf4));
		assert(i + k <= len);
		for (size_t j = 1; j < k; j++)
			assert((p[i + j] & 0xc0) == 0x80);
		i += k;
	}
}

static inline void
check_result(const struct nh_webpol_result *r)
{
	assert(r->n <= NH_WEBPOL_MAX_FINDINGS);
	assert(r->n > 0);
	for (size_t i = 0; i < r->n; i++) {
		assert(r->f[i].status >= r->status);
		assert(r->f[i].code[0] != '\0');
		check_text(r->f[i].code, sizeof(r->f[i].code));
		check_text(r->f[i].msg, sizeof(r->f[i].msg));
	}
}

#endif
