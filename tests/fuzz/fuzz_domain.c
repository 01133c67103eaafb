/*
 * fuzz_domain.c: libFuzzer target for nh_domain_normalize(), which reads
 * names from untrusted lists (scan input, the web form, the batch API).
 * Properties: no crash; an accepted name is at most 253 characters of
 * lower-case letters, digits, hyphens, underscores and dots; normalizing it
 * again gives the same name.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in, *out, *again;
	const char *why;

	if ((in = malloc(size + 1)) == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	out = nh_domain_normalize(in, &why);
	if (out == NULL) {
		assert(why != NULL);
	} else {
		assert(strlen(out) <= 253);
		assert(strspn(out, "abcdefghijklmnopqrstuvwxyz0123456789-_.") ==
		    strlen(out));
		again = nh_domain_normalize(out, &why);
		assert(again != NULL && strcmp(again, out) == 0);
		free(again);
		free(out);
	}
	free(in);
	return 0;
}
