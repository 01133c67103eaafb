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

#include "fuzz_webpol.h"
#include "webpol/webpol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
