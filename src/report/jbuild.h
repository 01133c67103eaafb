/*
 * jbuild.h: building JSON with a sticky failure, for the report's JSON
 * renderers (scan_json.c, survey_json.c). Internal to src/report/.
 *
 * A value handed to nh_jb_set or nh_jb_push is taken over even when the
 * call fails (a NULL parent, a NULL value, jansson out of memory); any
 * failure marks the builder, which the renderer checks once at the end.
 */
#ifndef NH_REPORT_JBUILD_H
#define NH_REPORT_JBUILD_H

#include <stdbool.h>

#include <jansson.h>

struct nh_jb {
	bool fail;
};

/* o[key] = v. */
void nh_jb_set(struct nh_jb *b, json_t *o, const char *key, json_t *v);

/* arr += v. */
void nh_jb_push(struct nh_jb *b, json_t *arr, json_t *v);

#endif /* NH_REPORT_JBUILD_H */
