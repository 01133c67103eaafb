/*
 * targets.c: a scan's list of domains: lines read with a bounded buffer,
 * names normalized, tags attached, duplicates merged, a deterministic
 * share taken for --shard, and the digest that names the scan.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "engine.h"
#include "store/store.h"

#define LINE_MAX_BYTES 4096 /* a longer line is an error, not a name */
#define TAGS_MAX 32         /* tags on one line */

/* FNV-1a, 64 bits: stable across machines, for shards and the table. */
static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void
target_clear(struct nh_target *t)
{
	free(t->input);
	free(t->domain);
	for (size_t i = 0; i < t->ntags; i++)
		free(t->tags[i]);
	free(t->tags);
	memset(t, 0, sizeof(*t));
}

void
nh_targets_free(struct nh_target_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		target_clear(&l->v[i]);
	free(l->v);
	free(l->index);
	memset(l, 0, sizeof(*l));
}

/* Trims white space at both ends, in place; returns the start. */
static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static bool
has_tag(const struct nh_target *t, const char *tag)
{
	for (size_t i = 0; i < t->ntags; i++) {
		if (strcmp(t->tags[i], tag) == 0)
			return true;
	}
	return false;
}

/*
 * Adds a tag (copied) unless the target has it, keeping the tags sorted
 * (so equal lists give equal digests). Returns 0 or -1.
 */
static int
add_tag(struct nh_target *t, const char *tag)
{
	char **v, *copy;
	size_t at = 0;

	if (*tag == '\0' || has_tag(t, tag))
		return 0;
	if ((copy = strdup(tag)) == NULL ||
	    (v = realloc(t->tags, (t->ntags + 1) * sizeof(*v))) == NULL) {
		free(copy);
		return -1;
	}
	t->tags = v;
	while (at < t->ntags && strcmp(t->tags[at], tag) < 0)
		at++;
	memmove(
	    &t->tags[at + 1], &t->tags[at], (t->ntags - at) * sizeof(*t->tags));
	t->tags[at] = copy;
	t->ntags++;
	return 0;
}

/* The open-addressing index of valid domains: slot = target index + 1. */
static int
index_grow(struct nh_target_list *l)
{
	size_t cap = l->index_cap ? l->index_cap * 2 : 1024;
	size_t *idx = calloc(cap, sizeof(*idx));

	if (idx == NULL)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		size_t k;

		if (l->v[i].domain == NULL)
			continue;
		k = fnv1a(l->v[i].domain) & (cap - 1);
		while (idx[k] != 0)
			k = (k + 1) & (cap - 1);
		idx[k] = i + 1;
	}
	free(l->index);
	l->index = idx;
	l->index_cap = cap;
	return 0;
}

/* The slot of `domain`: holding its target, or the empty one to use. */
static size_t *
index_slot(struct nh_target_list *l, const char *domain)
{
	size_t k = fnv1a(domain) & (l->index_cap - 1);

	while (l->index[k] != 0 &&
	    strcmp(l->v[l->index[k] - 1].domain, domain) != 0)
		k = (k + 1) & (l->index_cap - 1);
	return &l->index[k];
}

/*
 * Splits a line into its name and tags: "name", "name,tag,...", or a
 * Tranco-style "rank,name" (a first field of digits only, and two fields).
 */
static int
parse_line(struct nh_target *t, char *line, const char **why)
{
	char *field[TAGS_MAX + 2], *p = line;
	size_t n = 0, first = 0;

	while (n < TAGS_MAX + 2) {
		char *comma = strchr(p, ',');

		if (comma != NULL)
			*comma = '\0';
		field[n++] = trim(p);
		if (comma == NULL)
			break;
		p = comma + 1;
		if (n == TAGS_MAX + 2) {
			*why = "more than 32 tags on the line";
			break;
		}
	}
	if (n == 2 && *field[0] != '\0' &&
	    strspn(field[0], "0123456789") == strlen(field[0]))
		first = 1; /* the rank: not kept */
	if ((t->input = strdup(field[first])) == NULL)
		return -1;
	if (*why != NULL)
		return 0;
	for (size_t i = first == 1 ? n : 1; i < n; i++) {
		if (strlen(field[i]) > 100) {
			*why = "a tag longer than 100 characters";
			return 0;
		}
		if (add_tag(t, field[i]) == -1)
			return -1;
	}
	return 0;
}

/* Appends the target of one line, or merges it into an earlier one. */
static int
add_line(struct nh_target_list *l, char *line, long lineno, bool too_long)
{
	struct nh_target t = { .line = lineno };
	const char *why = too_long ? "line longer than 4096 bytes" : NULL;
	size_t *slot;

	if (parse_line(&t, line, &why) == -1)
		goto oom;
	if (why == NULL &&
	    (t.domain = nh_domain_normalize(t.input, &why)) == NULL &&
	    strcmp(why, "out of memory") == 0)
		goto oom;
	if (why != NULL) {
		free(t.domain);
		t.domain = NULL;
		t.error = why;
	}
	if (t.domain != NULL) {
		if ((l->n + 1) * 2 > l->index_cap && index_grow(l) == -1)
			goto oom;
		slot = index_slot(l, t.domain);
		if (*slot != 0) {
			/* A duplicate: its tags join the first line's. */
			struct nh_target *first = &l->v[*slot - 1];

			for (size_t i = 0; i < t.ntags; i++) {
				if (add_tag(first, t.tags[i]) == -1)
					goto oom;
			}
			l->duplicates++;
			target_clear(&t);
			return 0;
		}
		*slot = l->n + 1;
	} else
		l->invalid++;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct nh_target *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			goto oom;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = t;
	return 0;
oom:
	target_clear(&t);
	return -1;
}

int
nh_targets_read(FILE *fp, struct nh_target_list *l)
{
	char buf[LINE_MAX_BYTES + 2];
	long lineno = 0;

	while (fgets(buf, sizeof(buf), fp) != NULL) {
		size_t len = strlen(buf);
		bool too_long = false;
		char *line;

		lineno++;
		if (len > 0 && buf[len - 1] != '\n' && !feof(fp)) {
			int c;

			/* Too long: the rest of the line is read and dropped. */
			while ((c = getc(fp)) != EOF && c != '\n')
				;
			too_long = true;
			buf[100] = '\0';
		}
		line = buf;
		/* A UTF-8 byte order mark on the first line is not a name. */
		if (lineno == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0)
			line += 3;
		line = trim(line);
		if (*line == '\0' || *line == '#') {
			l->blank++;
			continue;
		}
		if (add_line(l, line, lineno, too_long) == -1)
			return -1;
	}
	return ferror(fp) ? -1 : 0;
}

int
nh_targets_tag_all(
    struct nh_target_list *l, const char *const *tags, size_t ntags)
{
	for (size_t i = 0; i < l->n; i++) {
		for (size_t k = 0; k < ntags; k++) {
			if (add_tag(&l->v[i], tags[k]) == -1)
				return -1;
		}
	}
	return 0;
}

bool
nh_target_in_shard(const struct nh_target *t, unsigned k, unsigned n)
{
	const char *name = t->domain != NULL ? t->domain : t->input;

	return n <= 1 || fnv1a(name) % n == k - 1;
}

unsigned
nh_worker_of(const char *domain, unsigned n)
{
	/* The high half of the hash: independent of the shard (the low). */
	return n <= 1 ? 0 : (unsigned)((fnv1a(domain) >> 32) % n);
}

void
nh_targets_shard(struct nh_target_list *l, unsigned k, unsigned n)
{
	size_t kept = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (nh_target_in_shard(&l->v[i], k, n)) {
			l->v[kept++] = l->v[i];
			continue;
		}
		if (l->v[i].domain == NULL)
			l->invalid--;
		l->other_shards++;
		target_clear(&l->v[i]);
	}
	l->n = kept;
	/* The index is of the old positions: rebuilt when next needed. */
	free(l->index);
	l->index = NULL;
	l->index_cap = 0;
}

int
nh_targets_digest(const struct nh_target_list *l, const char *options,
    char out[NH_TARGETS_DIGEST_HEX])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = -1;

	/* Fields end with a 0 byte, so no two lists give the same input. */
	if (ctx == NULL || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) ||
	    !EVP_DigestUpdate(ctx, options, strlen(options) + 1))
		goto out;
	for (size_t i = 0; i < l->n; i++) {
		const struct nh_target *t = &l->v[i];
		const char *name = t->domain != NULL ? t->domain : t->input;

		if (!EVP_DigestUpdate(ctx, t->domain != NULL ? "D" : "E", 1) ||
		    !EVP_DigestUpdate(ctx, name, strlen(name) + 1))
			goto out;
		for (size_t k = 0; k < t->ntags; k++) {
			if (!EVP_DigestUpdate(
				ctx, t->tags[k], strlen(t->tags[k]) + 1))
				goto out;
		}
	}
	if (!EVP_DigestFinal_ex(ctx, md, &mdlen))
		goto out;
	for (unsigned i = 0; i < mdlen && 2 * i + 2 < NH_TARGETS_DIGEST_HEX;
	     i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * (mdlen < 32 ? mdlen : 32)] = '\0';
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

int
nh_targets_store(
    struct nh_store *s, int64_t round, const struct nh_target_list *l)
{
	struct nh_store_target *t = calloc(l->n ? l->n : 1, sizeof(*t));
	int rc;

	if (t == NULL)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		t[i].input = l->v[i].input;
		t[i].domain = l->v[i].domain;
		t[i].error = l->v[i].error;
		t[i].tags = (const char *const *)l->v[i].tags;
		t[i].ntags = l->v[i].ntags;
		t[i].line = l->v[i].line;
	}
	rc = nh_store_round_targets(s, round, t, l->n);
	free(t);
	return rc;
}
