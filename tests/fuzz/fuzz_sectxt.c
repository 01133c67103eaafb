/*
 * fuzz_sectxt.c: libFuzzer target for the security.txt judge, which reads
 * files of up to 100 KB from any web server. Input: a flags byte (the
 * legacy location, a truncated body, a final URL, an HTTP status other
 * than 200, the Content-Type taken from the input), then, with that last
 * flag, a Content-Type line, then the body (which may hold NULs).
 * Properties: no crash, no read outside the body; findings capped, the
 * status their worst, text NUL-terminated printable UTF-8.
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
	struct nh_sectxt_input in;
	char *ct = NULL, *body;
	const uint8_t *p;
	size_t len;

	if (size < 1)
		return 0;
	memset(&in, 0, sizeof(in));
	in.legacy = data[0] & 1;
	in.truncated = data[0] & 2;
	in.url = "https://example.nl/.well-known/security.txt";
	in.final_url =
	    data[0] & 4 ? "https://www.example.nl/security.txt" : NULL;
	in.status = data[0] & 8 ? 200 + (data[0] >> 5) * 100 : 200;
	in.content_type = "text/plain; charset=utf-8";
	in.now = 1748736000; /* 2025-06-01T00:00:00Z */
	p = data + 1;
	len = size - 1;
	if (data[0] & 16) {
		const uint8_t *nl = memchr(p, '\n', len);
		size_t l = nl ? (size_t)(nl - p) : len;

		if ((ct = malloc(l + 1)) == NULL)
			return 0;
		memcpy(ct, p, l);
		ct[l] = '\0';
		in.content_type = ct;
		p += l + (nl != NULL);
		len -= l + (nl != NULL);
	}
	/* An exact copy: ASan sees a read past the body. */
	if ((body = malloc(len ? len : 1)) == NULL) {
		free(ct);
		return 0;
	}
	memcpy(body, p, len);
	in.body = len ? body : NULL;
	in.len = len;
	nh_webpol_sectxt(&in, &r);
	assert(r.n > 0 && r.n <= NH_WEBPOL_MAX_FINDINGS);
	for (size_t i = 0; i < r.n; i++) {
		assert(r.f[i].status >= r.status);
		assert(r.f[i].code[0] != '\0');
		check_text(r.f[i].code, sizeof(r.f[i].code));
		check_text(r.f[i].msg, sizeof(r.f[i].msg));
	}
	free(body);
	free(ct);
	return 0;
}
