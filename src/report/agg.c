/*
 * agg.c: the aggregate of scan rounds, fed one stored result at a time:
 * rounds, checks, categories, groups and domains interned, status counts
 * and scores per scope. See scan_impl.h for the vocabulary and report.h
 * for the order of calls; agg_finish.c derives the rankings.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "scan_impl.h"

/* Checks and categories unknown to this version sort after the table's. */
#define SCAN_ORDER_UNKNOWN 100000L

/* ---- a string-to-index map ---- */

static uint64_t
map_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* Returns true and sets *val when key is in the map. */
static bool
map_get(const struct scan_map *m, const char *key, size_t *val)
{
	size_t i;

	if (m->cap == 0)
		return false;
	for (i = map_hash(key) & (m->cap - 1); m->keys[i] != NULL;
	     i = (i + 1) & (m->cap - 1)) {
		if (strcmp(m->keys[i], key) == 0) {
			*val = m->vals[i];
			return true;
		}
	}
	return false;
}

/* Adds a key that is not in the map (borrowed: it must outlive the map).
 * Returns 0, or -1 on allocation failure. */
static int
map_put(struct scan_map *m, const char *key, size_t val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 64;
		const char **nkeys = calloc(ncap, sizeof(*nkeys));
		size_t *nvals = calloc(ncap, sizeof(*nvals));

		if (nkeys == NULL || nvals == NULL) {
			free(nkeys);
			free(nvals);
			return -1;
		}
		for (size_t j = 0; j < m->cap; j++) {
			if (m->keys[j] == NULL)
				continue;
			for (i = map_hash(m->keys[j]) & (ncap - 1);
			     nkeys[i] != NULL; i = (i + 1) & (ncap - 1))
				;
			nkeys[i] = m->keys[j];
			nvals[i] = m->vals[j];
		}
		free(m->keys);
		free(m->vals);
		m->keys = nkeys;
		m->vals = nvals;
		m->cap = ncap;
	}
	for (i = map_hash(key) & (m->cap - 1); m->keys[i] != NULL;
	     i = (i + 1) & (m->cap - 1))
		;
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
	return 0;
}

static void
map_free(struct scan_map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* An array of n elements of size sz grown to n + 1, the last zeroed.
 * Returns the new array, or NULL (arr is then unchanged). */
static void *
grow(void *arr, size_t n, size_t sz)
{
	char *p = realloc(arr, (n + 1) * sz);

	if (p != NULL)
		memset(p + n * sz, 0, sz);
	return p;
}

static char *
dup_or_null(const char *s, bool *fail)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*fail = true;
	return d;
}

/* ---- statistics ---- */

static void
stats_free(struct scan_stats *s)
{
	free(s->checks);
	free(s->cats);
}

/* Makes room for every check and category known so far. */
static int
stats_reserve(struct scan_stats *s, size_t nchecks, size_t ncats)
{
	if (nchecks > s->nchecks) {
		long(*p)[NH_STATUS_COUNT] =
		    realloc(s->checks, nchecks * sizeof(*p));

		if (p == NULL)
			return -1;
		memset(p + s->nchecks, 0, (nchecks - s->nchecks) * sizeof(*p));
		s->checks = p;
		s->nchecks = nchecks;
	}
	if (ncats > s->ncats) {
		long(*p)[NH_STATUS_COUNT] =
		    realloc(s->cats, ncats * sizeof(*p));

		if (p == NULL)
			return -1;
		memset(p + s->ncats, 0, (ncats - s->ncats) * sizeof(*p));
		s->cats = p;
		s->ncats = ncats;
	}
	return 0;
}

/* ---- the aggregate ---- */

struct nh_scan_agg *
nh_scan_agg_new(const char *by)
{
	struct nh_scan_agg *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->cur = a->base = -1;
	if (by != NULL && (a->by = strdup(by)) == NULL) {
		free(a);
		return NULL;
	}
	return a;
}

void
nh_scan_agg_free(struct nh_scan_agg *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->nrounds; i++) {
		struct scan_round *r = &a->rounds[i];

		free(r->source);
		free(r->started);
		free(r->finished);
		stats_free(&r->all);
		for (size_t g = 0; g < r->ngroups; g++)
			stats_free(&r->groups[g]);
		free(r->groups);
	}
	free(a->rounds);
	for (size_t i = 0; i < a->nchecks; i++)
		free(a->checks[i].id);
	free(a->checks);
	map_free(&a->check_ix);
	for (int t = 0; t < SCAN_NTYPES; t++)
		free(a->hint[t]);
	for (size_t i = 0; i < a->ncats; i++)
		free(a->cats[i].id);
	free(a->cats);
	map_free(&a->cat_ix);
	for (size_t i = 0; i < a->ngroups; i++)
		free(a->groups[i]);
	free(a->groups);
	map_free(&a->group_ix);
	for (size_t i = 0; i < a->ndomains; i++)
		free(a->domains[i].name);
	free(a->domains);
	map_free(&a->domain_ix);
	for (size_t i = 0; i < a->nlisted; i++) {
		free(a->listed[i].domain);
		free(a->listed[i].reason);
	}
	free(a->listed);
	free(a->check_order);
	free(a->cat_order);
	free(a->group_order);
	free(a->gaps);
	free(a->improved);
	free(a->worsened);
	free(a->new_domains);
	free(a->gone_domains);
	free(a->by);
	free(a);
}

static long
find_round(struct nh_scan_agg *a, int64_t id)
{
	if (a->last < a->nrounds && a->rounds[a->last].id == id)
		return (long)a->last;
	for (size_t i = 0; i < a->nrounds; i++) {
		if (a->rounds[i].id == id) {
			a->last = i;
			return (long)i;
		}
	}
	return -1;
}

int
nh_scan_agg_round(struct nh_scan_agg *a, const struct nh_store_round *r)
{
	struct scan_round *n;
	bool fail = false;

	if (find_round(a, r->id) >= 0 || a->cur >= 0)
		return -1;
	if ((n = grow(a->rounds, a->nrounds, sizeof(*n))) == NULL)
		return -1;
	a->rounds = n;
	n = &a->rounds[a->nrounds++];
	n->id = r->id;
	n->focus = -1;
	n->source = dup_or_null(r->source, &fail);
	n->started = dup_or_null(r->started, &fail);
	n->finished = dup_or_null(r->finished, &fail);
	n->web = r->web;
	n->mail = r->mail;
	n->targets = r->targets;
	n->invalid = r->invalid;
	n->results = r->results;
	return fail ? -1 : 0;
}

int
nh_scan_agg_focus(struct nh_scan_agg *a, int64_t round, int64_t base)
{
	long c = find_round(a, round), b = base != 0 ? find_round(a, base) : -1;

	if (c < 0 || (base != 0 && (b < 0 || b == c)))
		return -1;
	a->cur = c;
	a->rounds[c].focus = SCAN_CUR;
	a->base = b;
	if (b >= 0)
		a->rounds[b].focus = SCAN_BASE;
	return 0;
}

/* The index of category id (interned), or -1. pos: its place in the
 * result, or SCAN_CAT_HINTS when unknown. */
static long
intern_cat(
    struct nh_scan_agg *a, size_t pos, const char *id, enum nh_test_type type)
{
	const struct nh_category_def *d;
	struct scan_cat *c;
	size_t ix,
	    *hint = pos < SCAN_CAT_HINTS ? &a->cat_hint[type][pos] : NULL;

	if (hint != NULL && *hint < a->ncats &&
	    strcmp(a->cats[*hint].id, id) == 0)
		return (long)*hint;
	if (map_get(&a->cat_ix, id, &ix)) {
		if (hint != NULL)
			*hint = ix;
		return (long)ix;
	}
	if ((c = grow(a->cats, a->ncats, sizeof(*c))) == NULL)
		return -1;
	a->cats = c;
	c = &a->cats[a->ncats++];
	if ((c->id = strdup(id)) == NULL) {
		a->ncats--;
		return -1;
	}
	c->type = type;
	d = nh_category_find(id);
	c->order = d != NULL ? (long)(d - nh_category_table)
			     : SCAN_ORDER_UNKNOWN + (long)a->ncats;
	c->text = nh_catalog_get(id);
	if (map_put(&a->cat_ix, c->id, a->ncats - 1) == -1) {
		free(c->id);
		a->ncats--;
		return -1;
	}
	return (long)a->ncats - 1;
}

static long
intern_check(struct nh_scan_agg *a, size_t pos, const struct nh_store_check *sc,
    enum nh_test_type type)
{
	const struct nh_check_def *d;
	struct scan_check *c;
	size_t ix;
	long cat;

	if (pos < a->nhint[type] && a->hint[type][pos] < a->nchecks &&
	    strcmp(a->checks[a->hint[type][pos]].id, sc->id) == 0)
		return (long)a->hint[type][pos];
	if (!map_get(&a->check_ix, sc->id, &ix)) {
		if ((cat = intern_cat(a, SCAN_CAT_HINTS,
			 sc->category != NULL ? sc->category : "(unknown)",
			 type)) < 0)
			return -1;
		if ((c = grow(a->checks, a->nchecks, sizeof(*c))) == NULL)
			return -1;
		a->checks = c;
		c = &a->checks[a->nchecks++];
		if ((c->id = strdup(sc->id)) == NULL) {
			a->nchecks--;
			return -1;
		}
		c->cat = (size_t)cat;
		c->type = type;
		d = nh_check_find(sc->id);
		c->order = d != NULL ? (long)(d - nh_check_table)
				     : SCAN_ORDER_UNKNOWN + (long)a->nchecks;
		c->text = nh_catalog_get(sc->id);
		ix = a->nchecks - 1;
		if (map_put(&a->check_ix, c->id, ix) == -1) {
			free(c->id);
			a->nchecks--;
			return -1;
		}
	}
	if (pos >= a->nhint[type]) {
		size_t *h = realloc(a->hint[type], (pos + 1) * sizeof(*h));

		if (h == NULL)
			return -1;
		for (size_t i = a->nhint[type]; i <= pos; i++)
			h[i] = (size_t)-1;
		a->hint[type] = h;
		a->nhint[type] = pos + 1;
	}
	a->hint[type][pos] = ix;
	return (long)ix;
}

/* The index of group name (interned), or of "(other)" past the cap; -1
 * on allocation failure. */
static long
intern_group(struct nh_scan_agg *a, const char *name, size_t len)
{
	char *copy, **groups;
	size_t ix;

	if ((copy = strndup(name, len)) == NULL)
		return -1;
	if (map_get(&a->group_ix, copy, &ix)) {
		free(copy);
		return (long)ix;
	}
	if (a->ngroups >= SCAN_MAX_GROUPS - 1 &&
	    strcmp(copy, SCAN_GROUP_OTHER) != 0) {
		free(copy);
		return intern_group(
		    a, SCAN_GROUP_OTHER, strlen(SCAN_GROUP_OTHER));
	}
	if ((groups = grow(a->groups, a->ngroups, sizeof(char *))) == NULL) {
		free(copy);
		return -1;
	}
	a->groups = groups;
	a->groups[a->ngroups++] = copy;
	if (map_put(&a->group_ix, copy, a->ngroups - 1) == -1) {
		free(copy);
		a->ngroups--;
		return -1;
	}
	return (long)a->ngroups - 1;
}

/*
 * The groups of a result's tags, each once, into out (room for
 * SCAN_MAX_GROUPS). Returns how many, or -1 on allocation failure.
 */
static long
result_groups(struct nh_scan_agg *a, const struct nh_store_result *r,
    size_t out[SCAN_MAX_GROUPS])
{
	bool plain = strcmp(a->by, "tag") == 0;
	size_t klen = strlen(a->by), n = 0;
	long g;

	for (size_t i = 0; i < r->ntags; i++) {
		const char *t = r->tags[i], *v;
		bool dup = false;

		if (t == NULL)
			continue;
		if (plain) {
			if (*t == '\0' || strchr(t, '=') != NULL)
				continue;
			v = t;
		} else {
			if (strncmp(t, a->by, klen) != 0 || t[klen] != '=')
				continue;
			v = t + klen + 1;
		}
		if ((g = intern_group(a, v, strlen(v))) < 0)
			return -1;
		for (size_t j = 0; j < n; j++)
			dup = dup || out[j] == (size_t)g;
		if (!dup && n < SCAN_MAX_GROUPS)
			out[n++] = (size_t)g;
	}
	if (n == 0) {
		if ((g = intern_group(
			 a, SCAN_GROUP_NONE, strlen(SCAN_GROUP_NONE))) < 0)
			return -1;
		out[n++] = (size_t)g;
	}
	return (long)n;
}

/* The domain entry of name, created when new; NULL on allocation
 * failure. */
static struct scan_domain *
domain_get(struct nh_scan_agg *a, const char *name)
{
	struct scan_domain *d;
	size_t ix;

	if (map_get(&a->domain_ix, name, &ix))
		return &a->domains[ix];
	if ((d = grow(a->domains, a->ndomains, sizeof(*d))) == NULL)
		return NULL;
	a->domains = d;
	d = &a->domains[a->ndomains++];
	if ((d->name = strdup(name)) == NULL) {
		a->ndomains--;
		return NULL;
	}
	for (int s = 0; s < 2; s++)
		for (int t = 0; t < SCAN_NTYPES; t++)
			d->score[s][t] = SCAN_ABSENT;
	if (map_put(&a->domain_ix, d->name, a->ndomains - 1) == -1) {
		free(d->name);
		a->ndomains--;
		return NULL;
	}
	return d;
}

/* Adds a result's figures to one scope. ix[] are its checks' indexes. */
static int
stats_add(struct nh_scan_agg *a, struct scan_stats *s,
    const struct nh_store_result *r, const long *ix, const long *cix,
    bool new_domain)
{
	struct scan_type_stats *t = &s->type[r->type];

	if (stats_reserve(s, a->nchecks, a->ncats) == -1)
		return -1;
	s->domains += new_domain;
	if (r->error != NULL) {
		t->errors++;
		return 0;
	}
	if (r->score >= 0 && r->score <= 100) {
		t->nscore[r->score]++;
		t->scored++;
	} else {
		t->unscored++;
	}
	for (size_t i = 0; i < r->ncategories; i++) {
		if (cix[i] >= 0 &&
		    (unsigned)r->categories[i].status < NH_STATUS_COUNT)
			s->cats[cix[i]][r->categories[i].status]++;
	}
	for (size_t i = 0; i < r->nchecks; i++) {
		if (ix[i] >= 0 &&
		    (unsigned)r->checks[i].status < NH_STATUS_COUNT)
			s->checks[ix[i]][r->checks[i].status]++;
	}
	return 0;
}

static int
list_problem(struct nh_scan_agg *a, const struct nh_store_result *r)
{
	struct scan_listed *l;
	bool fail = false;

	if (r->invalid)
		a->invalid_total++;
	else
		a->errors_total++;
	if (a->nlisted >= SCAN_MAX_LISTED)
		return 0;
	if ((l = grow(a->listed, a->nlisted, sizeof(*l))) == NULL)
		return -1;
	a->listed = l;
	l = &a->listed[a->nlisted++];
	l->domain = dup_or_null(r->domain != NULL ? r->domain : "", &fail);
	l->reason = dup_or_null(r->error != NULL ? r->error : "", &fail);
	l->type = r->type;
	l->invalid = r->invalid;
	return fail ? -1 : 0;
}

int
nh_scan_agg_add(
    struct nh_scan_agg *a, int64_t round, const struct nh_store_result *r)
{
	long ri = find_round(a, round), *ix = NULL, *cix = NULL, ng = 0;
	size_t groups[SCAN_MAX_GROUPS];
	struct scan_round *rd;
	struct scan_domain *d = NULL;
	bool new_domain = false;
	int rc = -1;

	assert(!a->finished);
	if (ri < 0 || (r->type != NH_TEST_WEB && r->type != NH_TEST_MAIL))
		return -1;
	rd = &a->rounds[ri];
	if (r->invalid) {
		rd->invalid_seen++;
		return rd->focus == SCAN_CUR ? list_problem(a, r) : 0;
	}
	if (r->domain == NULL)
		return -1;
	if (rd->focus == SCAN_CUR && r->error != NULL &&
	    list_problem(a, r) == -1)
		return -1;
	if ((ix = calloc(r->nchecks + 1, sizeof(*ix))) == NULL ||
	    (cix = calloc(r->ncategories + 1, sizeof(*cix))) == NULL)
		goto out;
	for (size_t i = 0; i < r->ncategories; i++) {
		if (r->categories[i].id == NULL)
			cix[i] = -1;
		else if ((cix[i] = intern_cat(
			      a, i, r->categories[i].id, r->type)) < 0)
			goto out;
	}
	for (size_t i = 0; i < r->nchecks; i++) {
		if (r->checks[i].id == NULL)
			ix[i] = -1;
		else if ((ix[i] = intern_check(a, i, &r->checks[i], r->type)) <
		    0)
			goto out;
	}
	if (rd->focus >= 0) {
		if ((d = domain_get(a, r->domain)) == NULL)
			goto out;
		new_domain = !d->in[rd->focus];
		d->in[rd->focus] = true;
		d->score[rd->focus][r->type] = r->error != NULL ? -1
		    : r->score >= 0 && r->score <= 100          ? r->score
								: -1;
		if (a->by != NULL && (ng = result_groups(a, r, groups)) < 0)
			goto out;
	}
	if (stats_add(a, &rd->all, r, ix, cix, new_domain) == -1)
		goto out;
	if (ng > 0 && rd->ngroups < a->ngroups) {
		struct scan_stats *g =
		    realloc(rd->groups, a->ngroups * sizeof(*g));

		if (g == NULL)
			goto out;
		memset(g + rd->ngroups, 0,
		    (a->ngroups - rd->ngroups) * sizeof(*g));
		rd->groups = g;
		rd->ngroups = a->ngroups;
	}
	for (long i = 0; i < ng; i++) {
		if (stats_add(a, &rd->groups[groups[i]], r, ix, cix,
			new_domain) == -1)
			goto out;
	}
	rc = 0;
out:
	free(ix);
	free(cix);
	return rc;
}
