/*
 * fuzz_survey_parse.c: libFuzzer target for the survey's answer parsers
 * (src/survey/parse.c), which read untrusted UDP payloads from every
 * address surveyed. The first byte picks the service (modulo the count),
 * the rest is the packet. Properties: no crash and no read past the
 * packet (ASan), the answer's contract: detail NUL-ended printable
 * ASCII, why set exactly when not open, items no more than the bytes
 * that carried them, and a failed parse leaves nothing claimed.
 *
 * The cookie is fixed (0x0a0b0c0d) so that the seeds, answers to
 * nh_survey_probe(s, 0x0a0b0c0d, ...), parse as matched.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "survey/survey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define COOKIE 0x0a0b0c0du

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nh_survey_answer a;
	enum nh_svc s;
	size_t n;
	uint8_t *pkt;

	if (size < 1)
		return 0;
	s = (enum nh_svc)(data[0] % NH_SVC_COUNT);
	/* An exactly sized copy, so that ASan sees one byte too far. */
	n = size - 1;
	if ((pkt = malloc(n > 0 ? n : 1)) == NULL)
		return 0;
	if (n > 0)
		memcpy(pkt, data + 1, n);
	memset(&a, 0x5a, sizeof(a));
	if (nh_survey_parse(s, pkt, n, COOKIE, &a) == 0) {
		size_t k = strnlen(a.detail, sizeof(a.detail));

		if (k >= sizeof(a.detail))
			abort();
		for (size_t i = 0; i < k; i++)
			if (a.detail[i] < 0x20 || a.detail[i] > 0x7e)
				abort();
		if (a.open != (a.why == NULL))
			abort();
		if (a.why != NULL && a.why[0] == '\0')
			abort();
		if (a.items > n)
			abort();
	} else if (a.open || a.items != 0 || a.detail[0] != '\0') {
		abort();
	}
	free(pkt);
	return 0;
}
