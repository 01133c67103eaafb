/*
 * fuzz_csp.c: libFuzzer target for the Content-Security-Policy judge,
 * which reads what any web server sends. Input: the tested domain, then
 * up to 8 header field lines, separated by newlines. Properties: no
 * crash, no read outside the input; at most NH_WEBPOL_MAX_FINDINGS
 * findings; the status is the worst of them; every code and message is
 * NUL-terminated, printable UTF-8.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "webpol/webpol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Printable UTF-8 of the right shape, NUL-terminated within cap. */
static void
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

static void
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nh_webpol_result r;
	const char *values[8];
	char *buf, *p, *domain;
	size_t n = 0;

	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	domain = buf;
	p = strchr(buf, '\n');
	if (p != NULL) {
		*p++ = '\0';
		while (p != NULL && n < 8) {
			char *nl = strchr(p, '\n');

			if (nl != NULL)
				*nl++ = '\0';
			values[n++] = p;
			p = nl;
		}
	}
	nh_webpol_csp(values, n, domain, &r);
	check_result(&r);
	nh_webpol_csp(values, n, NULL, &r);
	check_result(&r);
	free(buf);
	return 0;
}
