/*
 * json.c: a test result as one JSON object, in DESIGN.md's shape:
 *
 *   { "domain", "type", "started", "duration_ms", "score",
 *     "categories": { id: { "status", "score", "points", "max_points" } },
 *     "checks": { id: { "status", "category", "points", "max_points",
 *                       "message", "evidence", "advice", "servers": [...] } },
 *     "servers": { ... } }
 *
 * A score of -1 (not scored) is written as null.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* json_object_set_new that reports failure; `v` is always consumed. */
static int
set(json_t *obj, const char *key, json_t *v)
{
	if (v == NULL)
		return -1;
	return json_object_set_new(obj, key, v);
}

static json_t *
score_value(int score)
{
	return score < 0 ? json_null() : json_integer(score);
}

/*
 * A JSON string of text (which may come from a server): as it is when it
 * is UTF-8, else with every byte outside ASCII as '?', rather than losing
 * the result. NULL on allocation failure.
 */
static json_t *
text_value(const char *text)
{
	json_t *v;
	char *c;

	if ((v = json_string(text)) != NULL)
		return v;
	if ((c = strdup(text)) == NULL)
		return NULL;
	for (char *p = c; *p != '\0'; p++) {
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	}
	v = json_string(c);
	free(c);
	return v;
}

/* Sets obj[key] to the text s when s is not NULL. */
static int
set_opt_string(json_t *obj, const char *key, const char *s)
{
	return s == NULL ? 0 : set(obj, key, text_value(s));
}

/* Sets obj[key] to a new reference to v when v is not NULL. */
static int
set_opt_json(json_t *obj, const char *key, json_t *v)
{
	return v == NULL ? 0 : set(obj, key, json_incref(v));
}

json_t *
nh_finding_to_json(const struct nh_finding *f)
{
	json_t *o = json_object();

	if (o == NULL || set_opt_string(o, "server", f->server) == -1 ||
	    set(o, "status", json_string(nh_status_name(f->status))) == -1 ||
	    set(o, "points", json_integer(f->points)) == -1 ||
	    set(o, "max_points", json_integer(f->max)) == -1 ||
	    set_opt_string(o, "message", f->message) == -1 ||
	    set_opt_json(o, "evidence", f->evidence) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
check_to_json(const struct nh_check_result *r)
{
	json_t *o = json_object(), *servers;

	if (o == NULL ||
	    set(o, "status", json_string(nh_status_name(r->status))) == -1 ||
	    set(o, "category", json_string(r->meta->category)) == -1 ||
	    set(o, "points", json_integer(r->points)) == -1 ||
	    set(o, "max_points", json_integer(r->max)) == -1 ||
	    set_opt_string(o, "message", r->message) == -1 ||
	    set_opt_json(o, "evidence", r->evidence) == -1 ||
	    set(o, "advice", json_string(r->meta->id)) == -1)
		goto fail;
	if (r->nservers > 0) {
		if (set(o, "servers", servers = json_array()) == -1)
			goto fail;
		for (size_t i = 0; i < r->nservers; i++) {
			if (json_array_append_new(servers,
				nh_finding_to_json(&r->servers[i])) == -1)
				goto fail;
		}
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *
category_to_json(const struct nh_category_result *c)
{
	json_t *o = json_object();

	if (o == NULL ||
	    set(o, "status", json_string(nh_status_name(c->status))) == -1 ||
	    set(o, "score", score_value(c->score)) == -1 ||
	    set(o, "points", json_integer(c->earned)) == -1 ||
	    set(o, "max_points", json_integer(c->max)) == -1 ||
	    set_opt_string(o, "note", c->note) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
nh_test_result_to_json(const struct nh_test_result *t)
{
	json_t *o = json_object(), *cats, *checks;

	if (o == NULL || set(o, "domain", json_string(t->domain)) == -1 ||
	    set(o, "type", json_string(nh_test_type_name(t->type))) == -1 ||
	    set(o, "started", json_string(t->started)) == -1 ||
	    set(o, "duration_ms", json_integer(t->duration_ms)) == -1 ||
	    set(o, "score", score_value(t->score)) == -1 ||
	    set(o, "categories", cats = json_object()) == -1 ||
	    set(o, "checks", checks = json_object()) == -1 ||
	    set(o, "servers",
		t->servers != NULL ? json_incref(t->servers) : json_object()) ==
		-1)
		goto fail;
	for (size_t i = 0; i < t->ncategories; i++) {
		const struct nh_category_result *c = &t->categories[i];

		if (set(cats, c->meta->id, category_to_json(c)) == -1)
			goto fail;
	}
	for (size_t i = 0; i < t->nchecks; i++) {
		const struct nh_check_result *r = &t->checks[i];

		if (set(checks, r->meta->id, check_to_json(r)) == -1)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}
