/*
 * fuzz_smtp_reply.c: libFuzzer target for the SMTP reply reader, which
 * reads what any mail server sends. Reads replies one after the other as
 * the STARTTLS opener does. Properties: no crash, no read outside the
 * input; a reply taken is never longer than what is left; its code is
 * 200..599, its lines at most NH_SMTP_MAX_LINES, its text printable and
 * NUL-terminated; an error always says why.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "mail/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	size_t left = size;

	for (;;) {
		struct nh_smtp_reply r;
		const char *why = NULL;
		ssize_t n = nh_smtp_reply_parse(p, left, &r, &why);

		if (n <= 0) {
			assert(n == 0 || why != NULL);
			break;
		}
		assert((size_t)n <= left);
		assert(r.code >= 200 && r.code <= 599);
		assert(r.nlines >= 1 && r.nlines <= NH_SMTP_MAX_LINES);
		assert(memchr(r.text, '\0', sizeof(r.text)) != NULL);
		for (size_t i = 0; r.text[i] != '\0'; i++)
			assert(r.text[i] >= 0x20 && r.text[i] < 0x7f);
		p += n;
		left -= (size_t)n;
	}
	return 0;
}
