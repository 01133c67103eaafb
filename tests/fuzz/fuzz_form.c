/*
 * fuzz_form.c: libFuzzer target for the web site's form decoder (the body
 * of POST /test comes from anyone). Properties: no crash or read past the
 * body; a value found fits the buffer, is NUL-ended and never longer than
 * the body; a value found in a small buffer is found, equal, in a large
 * one.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/server_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "domain", "type", "d", "" };
	char *body = malloc(size + 1);
	char small[16], large[4096];

	if (body == NULL)
		return 0;
	memcpy(body, data, size);
	body[size] = '\0';
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		const char *s =
		    nh_form_value(body, keys[k], small, sizeof(small));
		const char *l =
		    nh_form_value(body, keys[k], large, sizeof(large));

		if (s != NULL) {
			assert(strlen(s) < sizeof(small));
			assert(l != NULL && strcmp(s, l) == 0);
		}
		if (l != NULL)
			assert(strlen(l) <= size);
	}
	free(body);
	return 0;
}
