/*
 * facts.c: allocation of the facts struct.
 */
#include <stdlib.h>
#include <string.h>

#include "facts.h"

struct nh_facts *
nh_facts_new(const char *domain, enum nh_test_type type)
{
	struct nh_facts *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	if ((f->domain = strdup(domain)) == NULL) {
		free(f);
		return NULL;
	}
	f->type = type;
	return f;
}

void
nh_facts_free(struct nh_facts *f)
{
	if (f == NULL)
		return;
	free(f->domain);
	free(f);
}
