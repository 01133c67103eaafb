/*
 * fuzz_headers.c: libFuzzer target for the judges of simple headers that
 * any web server sends: Strict-Transport-Security, Content-Encoding,
 * X-Frame-Options, X-Content-Type-Options and Referrer-Policy. Input: a
 * byte choosing the judge, then up to 8 header field lines separated by
 * newlines. Properties: no crash, no read outside the input; findings
 * capped, the status their worst, text NUL-terminated printable UTF-8;
 * for HSTS, the verdict agrees with the parsed header.
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
	struct nh_webpol_hsts h;
	const char *values[8];
	char *buf, *p;
	size_t n = 0;

	if (size < 1 || (buf = malloc(size)) == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	for (p = buf; p != NULL && n < 8;) {
		char *nl = strchr(p, '\n');

		if (nl != NULL)
			*nl++ = '\0';
		values[n++] = p;
		p = nl;
	}
	if (data[0] & 0x80)
		n = 0; /* the header absent */
	switch (data[0] % 5) {
	case 0:
		nh_webpol_hsts(values, n, &h, &r);
		assert(h.present == (n > 0));
		assert(h.valid || (h.max_age == 0 && !h.short_max_age));
		assert(h.short_max_age ==
		    (h.valid && h.max_age < NH_WEBPOL_HSTS_MIN_AGE));
		assert(
		    (r.status == NH_PASSED) == (h.valid && !h.short_max_age));
		assert(r.status == NH_PASSED || r.status == NH_FAILED);
		break;
	case 1:
		nh_webpol_compress(values, n, &r);
		break;
	case 2:
		nh_webpol_xfo(values, n, &r);
		break;
	case 3:
		nh_webpol_xcto(values, n, &r);
		break;
	default:
		nh_webpol_referrer(values, n, &r);
		break;
	}
	check_result(&r);
	free(buf);
	return 0;
}
