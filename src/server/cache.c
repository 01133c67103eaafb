/*
 * cache.c: rendered answers about finished tests (their page, their JSON),
 * which never change, kept in memory up to a byte budget and evicted
 * least recently used first. A result page is some 100 KB of HTML built
 * from some 40 KB of stored JSON: rendering it costs milliseconds, a copy
 * from here microseconds.
 */
#include <stdlib.h>
#include <string.h>

#include "server_impl.h"

#define CACHE_ENTRIES 512

struct entry {
	char key[320]; /* kind and id (or path) */
	char *body;
	size_t len;
	const char *type;
	unsigned long used; /* tick of the last use */
};

struct nh_cache {
	struct entry v[CACHE_ENTRIES];
	size_t n, bytes, budget;
	unsigned long tick;
};

struct nh_cache *
nh_cache_new(size_t budget)
{
	struct nh_cache *c = calloc(1, sizeof(*c));

	if (c != NULL)
		c->budget = budget;
	return c;
}

void
nh_cache_free(struct nh_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].body);
	free(c);
}

static struct entry *
find(struct nh_cache *c, char kind, const char *id)
{
	for (size_t i = 0; i < c->n; i++) {
		if (c->v[i].key[0] == kind && strcmp(c->v[i].key + 1, id) == 0)
			return &c->v[i];
	}
	return NULL;
}

int
nh_cache_get(struct nh_cache *c, char kind, const char *id, struct nh_resp *r)
{
	struct entry *e = c != NULL ? find(c, kind, id) : NULL;
	char *b;

	if (e == NULL || (b = malloc(e->len + 1)) == NULL)
		return 0;
	memcpy(b, e->body, e->len);
	e->used = ++c->tick;
	nh_resp_take(r, 200, e->type, b, e->len);
	return 1;
}

static void
evict(struct nh_cache *c, size_t i)
{
	c->bytes -= c->v[i].len;
	free(c->v[i].body);
	c->v[i] = c->v[--c->n];
}

void
nh_cache_put(
    struct nh_cache *c, char kind, const char *id, const struct nh_resp *r)
{
	struct entry *e;

	if (c == NULL || r->status != 200 || r->body == NULL ||
	    r->len > c->budget / 4 || strlen(id) >= sizeof(e->key) - 1 ||
	    find(c, kind, id) != NULL)
		return;
	while (c->n > 0 &&
	    (c->n == CACHE_ENTRIES || c->bytes + r->len > c->budget)) {
		size_t old = 0;

		for (size_t i = 1; i < c->n; i++) {
			if (c->v[i].used < c->v[old].used)
				old = i;
		}
		evict(c, old);
	}
	e = &c->v[c->n];
	if ((e->body = malloc(r->len + 1)) == NULL)
		return;
	memcpy(e->body, r->body, r->len);
	e->len = r->len;
	e->type = r->type;
	e->key[0] = kind;
	snprintf(e->key + 1, sizeof(e->key) - 1, "%s", id);
	e->used = ++c->tick;
	c->bytes += r->len;
	c->n++;
}
