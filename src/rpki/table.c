/*
 * table.c: the lookup structure of VRPs and routes (see rpki_impl.h):
 * sorted arrays per family, each prefix linked to the one that encloses
 * it, walked from the most specific prefix that covers a key outwards.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "rpki_impl.h"

#define GROW_FIRST 4096

_Static_assert(sizeof(struct rpki_e4) == 16, "an IPv4 entry is 16 bytes");
_Static_assert(sizeof(struct rpki_e6) == 32, "an IPv6 entry is 32 bytes");

static int
grow(void **v, size_t *cap, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : GROW_FIRST;
	void *p;

	if (ncap > SIZE_MAX / size)
		return -1;
	if ((p = realloc(*v, ncap * size)) == NULL)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

enum rpki_add
rpki_tbl_add(
    struct rpki_tbl *t, const struct rpki_key *k, unsigned maxlen, uint32_t asn)
{
	if (t->n4 + t->n6 >= NH_RPKI_MAX_ENTRIES)
		return RPKI_ADD_FULL;
	if (k->fam == 4) {
		struct rpki_e4 *e;

		assert(k->len <= 32 && maxlen <= 32);
		if (t->n4 == t->cap4 &&
		    grow((void **)&t->v4, &t->cap4, sizeof(*t->v4)) != 0)
			return RPKI_ADD_NOMEM;
		e = &t->v4[t->n4++];
		memset(e, 0, sizeof(*e));
		e->addr = (uint32_t)(k->hi >> 32);
		e->asn = asn;
		e->up = RPKI_NONE;
		e->len = (uint8_t)k->len;
		e->maxlen = (uint8_t)maxlen;
	} else {
		struct rpki_e6 *e;

		assert(k->fam == 6 && k->len <= 128 && maxlen <= 128);
		if (t->n6 == t->cap6 &&
		    grow((void **)&t->v6, &t->cap6, sizeof(*t->v6)) != 0)
			return RPKI_ADD_NOMEM;
		e = &t->v6[t->n6++];
		memset(e, 0, sizeof(*e));
		e->hi = k->hi;
		e->lo = k->lo;
		e->asn = asn;
		e->up = RPKI_NONE;
		e->len = (uint8_t)k->len;
		e->maxlen = (uint8_t)maxlen;
	}
	return RPKI_ADD_OK;
}

void
rpki_tbl_mark(const struct rpki_tbl *t, struct rpki_mark *m)
{
	m->n4 = t->n4;
	m->n6 = t->n6;
}

void
rpki_tbl_undo(struct rpki_tbl *t, const struct rpki_mark *m)
{
	t->n4 = m->n4;
	t->n6 = m->n6;
}

size_t
rpki_tbl_added(const struct rpki_tbl *t, const struct rpki_mark *m)
{
	return (t->n4 - m->n4) + (t->n6 - m->n6);
}

/* ---- sorting ---- */

/*
 * The order: (address, length, ASN, maxLength). An LSD radix sort on
 * those bytes, least significant first: byte d of the key of an entry,
 * d = 0 the last byte of maxLength. 10 bytes for IPv4, 22 for IPv6;
 * passes whose byte is the same in every entry are skipped (the low
 * half of most IPv6 prefixes, maxLength of routes). Here nh_rpki_ready()
 * of 1.8M entries in random order took 0.78 s with qsort() and a
 * comparison function, about 0.2 s with this.
 */
#define KEY4 10
#define KEY6 22

static unsigned
digit4(const void *p, unsigned d)
{
	const struct rpki_e4 *e = p;

	if (d == 0)
		return e->maxlen;
	if (d < 5)
		return (e->asn >> (8 * (d - 1))) & 0xff;
	if (d == 5)
		return e->len;
	return (e->addr >> (8 * (d - 6))) & 0xff;
}

static unsigned
digit6(const void *p, unsigned d)
{
	const struct rpki_e6 *e = p;

	if (d == 0)
		return e->maxlen;
	if (d < 5)
		return (e->asn >> (8 * (d - 1))) & 0xff;
	if (d == 5)
		return e->len;
	if (d < 14)
		return (unsigned)(e->lo >> (8 * (d - 6))) & 0xff;
	return (unsigned)(e->hi >> (8 * (d - 14))) & 0xff;
}

/*
 * radix_sort() and after() are inlined into each caller, so that `digit`
 * is a known function there and is inlined in turn.
 */
#define INLINE static inline __attribute__((always_inline))

/* Whether a sorts after b. */
INLINE bool
after(const void *a, const void *b, unsigned nd,
    unsigned (*digit)(const void *, unsigned))
{
	for (unsigned d = nd; d-- > 0;) {
		unsigned x = digit(a, d), y = digit(b, d);

		if (x != y)
			return x > y;
	}
	return false;
}

/* Sorts n entries of `size` bytes; -1 when out of memory (v unchanged). */
INLINE int
radix_sort(void *v, size_t n, size_t size, unsigned nd,
    unsigned (*digit)(const void *, unsigned))
{
	size_t(*count)[256] = NULL;
	char *src = v, *dst, *tmp;
	size_t i;

	if (n < 2)
		return 0;
	/* Files from rpki-client and CAIDA come sorted. */
	for (i = 1; i < n; i++)
		if (after(src + (i - 1) * size, src + i * size, nd, digit))
			break;
	if (i == n)
		return 0;
	if ((count = calloc(nd, sizeof(*count))) == NULL ||
	    (tmp = malloc(n * size)) == NULL) {
		free(count);
		return -1;
	}
	dst = tmp;
	for (i = 0; i < n; i++)
		for (unsigned d = 0; d < nd; d++)
			count[d][digit(src + i * size, d)]++;
	for (unsigned d = 0; d < nd; d++) {
		size_t sum = 0, c;
		char *t;

		if (count[d][digit(src, d)] == n)
			continue; /* the same byte everywhere */
		for (unsigned x = 0; x < 256; x++) {
			c = count[d][x];
			count[d][x] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++) {
			const char *e = src + i * size;

			memcpy(dst + count[d][digit(e, d)]++ * size, e, size);
		}
		t = src;
		src = dst;
		dst = t;
	}
	if (src != v)
		memcpy(v, src, n * size);
	free(tmp);
	free(count);
	return 0;
}

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

static int
cmp4(const void *pa, const void *pb)
{
	const struct rpki_e4 *a = pa, *b = pb;
	int c;

	if ((c = CMP(a->addr, b->addr)) != 0 ||
	    (c = CMP(a->len, b->len)) != 0 || (c = CMP(a->asn, b->asn)) != 0)
		return c;
	return CMP(a->maxlen, b->maxlen);
}

static int
cmp6(const void *pa, const void *pb)
{
	const struct rpki_e6 *a = pa, *b = pb;
	int c;

	if ((c = CMP(a->hi, b->hi)) != 0 || (c = CMP(a->lo, b->lo)) != 0 ||
	    (c = CMP(a->len, b->len)) != 0 || (c = CMP(a->asn, b->asn)) != 0)
		return c;
	return CMP(a->maxlen, b->maxlen);
}

/* Sorts (radix_sort(), or qsort() when memory is short) and drops
 * duplicates; returns the new count. */
INLINE size_t
sort_unique(void *v, size_t n, size_t size, unsigned nd,
    unsigned (*digit)(const void *, unsigned),
    int (*cmp)(const void *, const void *))
{
	char *b = v;
	size_t i, out;

	if (radix_sort(v, n, size, nd, digit) != 0)
		qsort(v, n, size, cmp);
	for (i = 0, out = 0; i < n; i++) {
		if (out > 0 && cmp(b + (out - 1) * size, b + i * size) == 0)
			continue;
		if (out != i)
			memcpy(b + out * size, b + i * size, size);
		out++;
	}
	return out;
}

/* ---- keys of entries ---- */

static size_t
fam_count(const struct rpki_tbl *t, int fam)
{
	return fam == 4 ? t->n4 : t->n6;
}

static void
key_at(const struct rpki_tbl *t, int fam, size_t i, struct rpki_key *k)
{
	if (fam == 4) {
		k->hi = (uint64_t)t->v4[i].addr << 32;
		k->lo = 0;
		k->len = t->v4[i].len;
	} else {
		k->hi = t->v6[i].hi;
		k->lo = t->v6[i].lo;
		k->len = t->v6[i].len;
	}
	k->fam = fam;
}

static uint32_t
up_at(const struct rpki_tbl *t, int fam, size_t i)
{
	return fam == 4 ? t->v4[i].up : t->v6[i].up;
}

static void
set_up(struct rpki_tbl *t, int fam, size_t i, uint32_t up)
{
	if (fam == 4)
		t->v4[i].up = up;
	else
		t->v6[i].up = up;
}

/* Whether prefix p contains prefix (or address) k. */
static bool
contains(const struct rpki_key *p, const struct rpki_key *k)
{
	uint64_t hi = k->hi, lo = k->lo;

	if (p->len > k->len)
		return false;
	rpki_mask(&hi, &lo, p->len);
	return hi == p->hi && lo == p->lo;
}

static bool
same_prefix(const struct rpki_key *a, const struct rpki_key *b)
{
	return a->hi == b->hi && a->lo == b->lo && a->len == b->len;
}

/* (a's address, length) compared with (b's). */
static int
cmp_key(const struct rpki_key *a, const struct rpki_key *b)
{
	int c;

	if ((c = CMP(a->hi, b->hi)) != 0 || (c = CMP(a->lo, b->lo)) != 0)
		return c;
	return CMP(a->len, b->len);
}

/*
 * Links every entry to the last entry of the nearest prefix that strictly
 * contains its own. In sorted order, the prefixes that contain the
 * current one are on a stack of nested prefixes: one per length at most.
 */
static void
link_family(struct rpki_tbl *t, int fam)
{
	uint32_t stack[129];
	size_t n = fam_count(t, fam), depth = 0, i = 0, j;
	struct rpki_key k, top, next;

	while (i < n) {
		key_at(t, fam, i, &k);
		for (j = i + 1; j < n; j++) {
			key_at(t, fam, j, &next);
			if (!same_prefix(&k, &next))
				break;
		}
		while (depth > 0) {
			key_at(t, fam, stack[depth - 1], &top);
			if (contains(&top, &k))
				break;
			depth--;
		}
		for (size_t m = i; m < j; m++)
			set_up(t, fam, m,
			    depth > 0 ? stack[depth - 1] : RPKI_NONE);
		assert(depth < sizeof(stack) / sizeof(stack[0]));
		stack[depth++] = (uint32_t)(j - 1);
		i = j;
	}
}

static void
trim(void **v, size_t n, size_t *cap, size_t size)
{
	void *p;

	if (n == 0) {
		free(*v);
		*v = NULL;
		*cap = 0;
	} else if (n < *cap && (p = realloc(*v, n * size)) != NULL) {
		*v = p;
		*cap = n;
	}
}

static void
index_free(struct rpki_index *ix)
{
	free(ix->idx);
	ix->idx = NULL;
	ix->bits = 0;
}

/* Builds the index of a sorted family; without one when memory is short
 * (lookups are then slower, not wrong). */
static void
index_build(struct rpki_tbl *t, int fam, struct rpki_index *ix)
{
	size_t n = fam_count(t, fam), j = 0, buckets;
	struct rpki_key k;
	unsigned bits = 0;

	index_free(ix);
	while (bits < 16 && ((size_t)8 << bits) < n)
		bits++;
	if (bits < 4)
		return; /* a small table: the search is short anyway */
	buckets = (size_t)1 << bits;
	if ((ix->idx = malloc((buckets + 1) * sizeof(*ix->idx))) == NULL)
		return;
	for (size_t h = 0; h < buckets; h++) {
		for (; j < n; j++) {
			key_at(t, fam, j, &k);
			if ((k.hi >> (64 - bits)) >= h)
				break;
		}
		ix->idx[h] = (uint32_t)j;
	}
	ix->idx[buckets] = (uint32_t)n;
	ix->bits = bits;
}

void
rpki_tbl_ready(struct rpki_tbl *t)
{
	t->n4 = sort_unique(t->v4, t->n4, sizeof(*t->v4), KEY4, digit4, cmp4);
	t->n6 = sort_unique(t->v6, t->n6, sizeof(*t->v6), KEY6, digit6, cmp6);
	trim((void **)&t->v4, t->n4, &t->cap4, sizeof(*t->v4));
	trim((void **)&t->v6, t->n6, &t->cap6, sizeof(*t->v6));
	link_family(t, 4);
	link_family(t, 6);
	index_build(t, 4, &t->ix4);
	index_build(t, 6, &t->ix6);
}

void
rpki_tbl_free(struct rpki_tbl *t)
{
	free(t->v4);
	free(t->v6);
	index_free(&t->ix4);
	index_free(&t->ix6);
	memset(t, 0, sizeof(*t));
}

size_t
rpki_tbl_count(const struct rpki_tbl *t)
{
	return t->n4 + t->n6;
}

size_t
rpki_tbl_memory(const struct rpki_tbl *t)
{
	size_t m = t->cap4 * sizeof(*t->v4) + t->cap6 * sizeof(*t->v6);

	if (t->ix4.bits > 0)
		m += (((size_t)1 << t->ix4.bits) + 1) * sizeof(uint32_t);
	if (t->ix6.bits > 0)
		m += (((size_t)1 << t->ix6.bits) + 1) * sizeof(uint32_t);
	return m;
}

/* ---- lookups ---- */

/* The last entry whose (address, length) is at most k's, or RPKI_NONE. */
static uint32_t
last_at_most(const struct rpki_tbl *t, const struct rpki_key *k)
{
	const struct rpki_index *ix = k->fam == 4 ? &t->ix4 : &t->ix6;
	size_t lo = 0, hi = fam_count(t, k->fam), mid;
	struct rpki_key e;

	/* Entries of lower buckets sort before k, of higher ones after. */
	if (ix->bits > 0) {
		size_t h = (size_t)(k->hi >> (64 - ix->bits));

		lo = ix->idx[h];
		hi = ix->idx[h + 1];
	}
	/* Invariant: entries before lo are <= k, entries from hi on are > k. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		key_at(t, k->fam, mid, &e);
		if (cmp_key(&e, k) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? RPKI_NONE : (uint32_t)(lo - 1);
}

void
rpki_walk_start(
    struct rpki_walk *w, const struct rpki_tbl *t, const struct rpki_key *k)
{
	struct rpki_key e;
	uint32_t i;

	w->t = t;
	w->fam = k->fam;
	w->i = w->end = 0;
	/*
	 * Every prefix that covers k sorts at or before the entry found, and
	 * since prefixes nest or are disjoint, is that entry's prefix or one
	 * that encloses it: climb until one covers k.
	 */
	for (i = last_at_most(t, k); i != RPKI_NONE; i = up_at(t, k->fam, i)) {
		key_at(t, k->fam, i, &e);
		if (contains(&e, k))
			break;
	}
	w->next = i;
}

bool
rpki_walk_next(struct rpki_walk *w, struct rpki_hit *h)
{
	const struct rpki_tbl *t = w->t;
	struct rpki_key k, prev;
	size_t first;

	if (w->i == w->end) {
		if (w->next == RPKI_NONE)
			return false;
		key_at(t, w->fam, w->next, &k);
		for (first = w->next; first > 0; first--) {
			key_at(t, w->fam, first - 1, &prev);
			if (!same_prefix(&prev, &k))
				break;
		}
		w->i = first;
		w->end = (size_t)w->next + 1;
		w->next = up_at(t, w->fam, w->next);
	}
	key_at(t, w->fam, w->i, &h->k);
	if (w->fam == 4) {
		h->asn = t->v4[w->i].asn;
		h->maxlen = t->v4[w->i].maxlen;
	} else {
		h->asn = t->v6[w->i].asn;
		h->maxlen = t->v6[w->i].maxlen;
	}
	w->i++;
	return true;
}
