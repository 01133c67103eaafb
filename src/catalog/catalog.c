/*
 * catalog.c: look-up in the compiled catalog of texts.
 */
#include <string.h>

#include "catalog.h"

const struct nh_text *
nh_catalog_get(const char *key)
{
	for (size_t i = 0; i < NH_CATKEY_COUNT; i++) {
		if (strcmp(nh_catalog_texts[i].key, key) == 0)
			return &nh_catalog_texts[i];
	}
	return NULL;
}
