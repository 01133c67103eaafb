/*
 * fuzz_facts_json.c: libFuzzer target for the facts reader (--from-facts
 * reads files a user may have been handed) and the checks that judge what
 * it accepts. Property: what is accepted is judged without a crash, and
 * written and read again unchanged.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

#include "checks/checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nh_check_opts opts[2] = { { false }, { true } };
	json_error_t err;
	json_t *j = json_loadb((const char *)data, size, 0, &err), *a, *b;
	struct nh_facts *f, *g;
	const char *why;

	if (j == NULL)
		return 0;
	f = nh_facts_from_json(j, &why);
	json_decref(j);
	if (f == NULL)
		return 0;
	for (int i = 0; i < 2; i++)
		nh_test_result_free(nh_checks_evaluate(f->type, f, &opts[i]));
	a = nh_facts_to_json(f);
	g = a != NULL ? nh_facts_from_json(a, &why) : NULL;
	b = g != NULL ? nh_facts_to_json(g) : NULL;
	assert(a == NULL || b == NULL || json_equal(a, b));
	json_decref(a);
	json_decref(b);
	nh_facts_free(f);
	nh_facts_free(g);
	return 0;
}
