/*
 * jbuild.c: JSON building with a sticky failure (jbuild.h).
 */
#include "jbuild.h"

void
nh_jb_set(struct nh_jb *b, json_t *o, const char *key, json_t *v)
{
	if (o == NULL) {
		json_decref(v);
		b->fail = true;
	} else if (v == NULL || json_object_set_new(o, key, v) == -1) {
		b->fail = true; /* jansson has dropped v */
	}
}

void
nh_jb_push(struct nh_jb *b, json_t *arr, json_t *v)
{
	if (arr == NULL) {
		json_decref(v);
		b->fail = true;
	} else if (v == NULL || json_array_append_new(arr, v) == -1) {
		b->fail = true;
	}
}
