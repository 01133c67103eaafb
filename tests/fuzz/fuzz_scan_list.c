/*
 * fuzz_scan_list.c: libFuzzer target for the scan list reader (a list may
 * come from anywhere: a download, a registry export). Properties: no
 * crash, no leak; every entry is either a normalized domain or carries a
 * reason; a domain appears once; tags are sorted and distinct; line
 * numbers never go down; the counts add up; shards partition the list.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
read_list(const uint8_t *data, size_t size, struct nh_target_list *l)
{
	FILE *fp = fmemopen((void *)data, size, "r");

	memset(l, 0, sizeof(*l));
	if (fp == NULL)
		return;
	(void)nh_targets_read(fp, l);
	fclose(fp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nh_target_list l, part;
	size_t invalid = 0, total = 0;
	long last = 0;

	if (size == 0)
		return 0;
	read_list(data, size, &l);
	for (size_t i = 0; i < l.n; i++) {
		const struct nh_target *t = &l.v[i];

		assert((t->domain == NULL) == (t->error != NULL));
		assert(t->input != NULL && t->line > last);
		last = t->line;
		invalid += t->domain == NULL;
		for (size_t k = 1; k < t->ntags; k++)
			assert(strcmp(t->tags[k - 1], t->tags[k]) < 0);
		for (size_t k = 0; t->domain != NULL && k < i; k++)
			assert(l.v[k].domain == NULL ||
			    strcmp(l.v[k].domain, t->domain) != 0);
		if (i > 64)
			break; /* the quadratic check on a prefix only */
	}
	assert(l.n < 65 ? invalid == l.invalid : invalid <= l.invalid);
	for (unsigned k = 1; k <= 3; k++) {
		read_list(data, size, &part);
		nh_targets_shard(&part, k, 3);
		total += part.n;
		nh_targets_free(&part);
	}
	assert(total == l.n);
	nh_targets_free(&l);
	return 0;
}
