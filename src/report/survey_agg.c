/*
 * survey_agg.c: the aggregate of a survey round and the previous one:
 * distinct exposed addresses per service, per country and per AS, the
 * amplification-weighted sums and the bandwidth-capped DDoS potential
 * (report.h has the definitions), ranked worst first.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "survey_impl.h"

/* ---- the map ---- */

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot of key: its own, or the empty one where it would go. */
static size_t
map_slot(const struct survey_map *m, const char *key)
{
	size_t i = (size_t)(fnv1a(key) & (m->cap - 1));

	while (m->keys[i] != NULL && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int
map_grow(struct survey_map *m)
{
	struct survey_map g = { 0 };

	g.cap = m->cap != 0 ? m->cap * 2 : 64;
	g.keys = calloc(g.cap, sizeof(*g.keys));
	g.vals = calloc(g.cap, sizeof(*g.vals));
	if (g.keys == NULL || g.vals == NULL) {
		free(g.keys);
		free(g.vals);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i] != NULL) {
			size_t j = map_slot(&g, m->keys[i]);

			g.keys[j] = m->keys[i];
			g.vals[j] = m->vals[i];
		}
	}
	g.n = m->n;
	free(m->keys);
	free(m->vals);
	*m = g;
	return 0;
}

/*
 * Looks key up; when absent, adds it (copied) with value val. Returns 1
 * (found, *out its value), 0 (added, *out = val), or -1 (no memory).
 */
static int
map_put(struct survey_map *m, const char *key, size_t val, size_t *out)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap && map_grow(m) == -1)
		return -1;
	i = map_slot(m, key);
	if (m->keys[i] != NULL) {
		*out = m->vals[i];
		return 1;
	}
	if ((m->keys[i] = strdup(key)) == NULL)
		return -1;
	m->vals[i] = val;
	m->n++;
	*out = val;
	return 0;
}

static void
map_free(struct survey_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---- the aggregate ---- */

double
survey_device_kbps(const struct nh_survey_agg *a, enum nh_svc j)
{
	double amp = nh_svc_table[j].weight * a->p.request_kbps;

	return amp < a->p.upstream_kbps ? amp : a->p.upstream_kbps;
}

bool
survey_has_base(const struct nh_survey_agg *a)
{
	return a->side[SURVEY_BASE].declared;
}

const struct nh_text *
survey_advice(enum nh_svc j)
{
	return nh_svc_table[j].catalog != NULL
	    ? nh_catalog_get(nh_svc_table[j].catalog)
	    : NULL;
}

void
survey_put_plain(FILE *fp, const char *s)
{
	if (s == NULL)
		return;
	for (; *s != '\0'; s++)
		fputc(*s >= 0x20 && *s < 0x7f ? *s : '?', fp);
}

struct nh_survey_agg *
nh_survey_agg_new(const struct nh_survey_params *p)
{
	struct nh_survey_agg *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	if (p != NULL)
		a->p = *p;
	if (!(a->p.upstream_kbps > 0))
		a->p.upstream_kbps = NH_SURVEY_UPSTREAM_KBPS;
	if (!(a->p.request_kbps > 0))
		a->p.request_kbps = NH_SURVEY_REQUEST_KBPS;
	return a;
}

static void
ents_free(struct survey_ents *e)
{
	free(e->v);
	free(e->order);
	map_free(&e->map);
}

void
nh_survey_agg_free(struct nh_survey_agg *a)
{
	if (a == NULL)
		return;
	for (int k = 0; k < 2; k++) {
		free(a->side[k].source);
		free(a->side[k].started);
		free(a->side[k].finished);
		map_free(&a->side[k].devices);
	}
	ents_free(&a->cc);
	ents_free(&a->as);
	free(a);
}

int
nh_survey_agg_round(
    struct nh_survey_agg *a, const struct nh_store_round *r, bool base)
{
	struct survey_side *sd = &a->side[base ? SURVEY_BASE : SURVEY_CUR];
	const struct survey_side *other =
	    &a->side[base ? SURVEY_CUR : SURVEY_BASE];

	if (sd->declared || a->finished ||
	    (other->declared && other->id == r->id))
		return -1;
	sd->id = r->id;
	sd->source = strdup(r->source != NULL ? r->source : "");
	sd->started = strdup(r->started != NULL ? r->started : "");
	sd->finished = r->finished != NULL ? strdup(r->finished) : NULL;
	if (sd->source == NULL || sd->started == NULL ||
	    (r->finished != NULL && sd->finished == NULL))
		return -1; /* freed with the aggregate */
	sd->declared = true;
	return 0;
}

/* The entity called name in e, added when new. NULL: no memory. */
static struct survey_ent *
ent_get(struct survey_ents *e, const char *name, uint32_t asn)
{
	size_t idx;
	int rc;

	rc = map_put(&e->map, name, e->n, &idx);
	if (rc == -1)
		return NULL;
	if (rc == 0) {
		if (e->n == e->cap) {
			size_t cap = e->cap != 0 ? e->cap * 2 : 32;
			struct survey_ent *v = realloc(e->v, cap * sizeof(*v));

			if (v == NULL)
				return NULL; /* the map's key stays: harmless,
						the aggregate is unusable */
			e->v = v;
			e->cap = cap;
		}
		memset(&e->v[e->n], 0, sizeof(e->v[0]));
		snprintf(e->v[e->n].name, sizeof(e->v[0].name), "%s", name);
		e->v[e->n].asn = asn;
		e->n++;
	}
	return &e->v[idx];
}

/* The address in canonical text (so that two spellings of one IPv6
 * address count once); as given when it does not parse. */
static void
canonical_ip(const char *ip, char *out, size_t size)
{
	unsigned char bin[16];
	char in[46];

	snprintf(in, sizeof(in), "%.*s", (int)strnlen(ip, 45), ip);
	if (inet_pton(AF_INET, in, bin) == 1) {
		if (inet_ntop(AF_INET, bin, out, (socklen_t)size) != NULL)
			return;
	} else if (inet_pton(AF_INET6, in, bin) == 1) {
		if (inet_ntop(AF_INET6, bin, out, (socklen_t)size) != NULL)
			return;
	}
	snprintf(out, size, "%s", in);
}

/* The country's name: two ASCII letters, upper case; else unknown. */
static void
cc_name(const char cc[3], char out[16])
{
	if (((cc[0] >= 'A' && cc[0] <= 'Z') ||
		(cc[0] >= 'a' && cc[0] <= 'z')) &&
	    ((cc[1] >= 'A' && cc[1] <= 'Z') ||
		(cc[1] >= 'a' && cc[1] <= 'z'))) {
		out[0] = (char)(cc[0] & ~0x20);
		out[1] = (char)(cc[1] & ~0x20);
		out[2] = '\0';
	} else {
		snprintf(out, 16, "%s", SURVEY_UNKNOWN);
	}
}

int
nh_survey_agg_add(
    struct nh_survey_agg *a, int64_t round, const struct nh_survey_record *r)
{
	struct survey_side *sd;
	struct survey_ent *c, *as;
	char key[64], ip[INET6_ADDRSTRLEN + 1], name[16];
	size_t idx;
	int k, rc;

	if (a->finished || (unsigned)r->svc >= NH_SVC_COUNT)
		return -1;
	if (a->side[SURVEY_CUR].declared && a->side[SURVEY_CUR].id == round)
		k = SURVEY_CUR;
	else if (a->side[SURVEY_BASE].declared &&
	    a->side[SURVEY_BASE].id == round)
		k = SURVEY_BASE;
	else
		return -1;
	sd = &a->side[k];
	sd->records++;
	sd->answers[r->svc]++;
	if (!r->open)
		return 0;
	canonical_ip(r->ip, ip, sizeof(ip));
	snprintf(key, sizeof(key), "%d/%s", (int)r->svc, ip);
	rc = map_put(&sd->devices, key, 0, &idx);
	if (rc == -1)
		return -1;
	if (rc == 1)
		return 0; /* seen: counted once */
	sd->count[r->svc]++;
	if (r->amplification >= 0) {
		sd->amp_sum[r->svc] += r->amplification;
		sd->amp_n[r->svc]++;
	}
	cc_name(r->cc, name);
	if ((c = ent_get(&a->cc, name, 0)) == NULL)
		return -1;
	if (r->asn != 0)
		snprintf(name, sizeof(name), "AS%u", (unsigned)r->asn);
	else
		snprintf(name, sizeof(name), "%s", SURVEY_UNKNOWN);
	if ((as = ent_get(&a->as, name, r->asn)) == NULL)
		return -1;
	c->count[k][r->svc]++;
	as->count[k][r->svc]++;
	return 0;
}

/* Worst first: weighted now, DDoS now, devices now, weighted before,
 * then the name. */
static int
ent_cmp(const void *pa, const void *pb)
{
	const struct survey_ent *x = *(const struct survey_ent *const *)pa;
	const struct survey_ent *y = *(const struct survey_ent *const *)pb;

	if (x->weighted[SURVEY_CUR] != y->weighted[SURVEY_CUR])
		return x->weighted[SURVEY_CUR] > y->weighted[SURVEY_CUR] ? -1
									 : 1;
	if (x->ddos_kbps[SURVEY_CUR] != y->ddos_kbps[SURVEY_CUR])
		return x->ddos_kbps[SURVEY_CUR] > y->ddos_kbps[SURVEY_CUR] ? -1
									   : 1;
	if (x->total[SURVEY_CUR] != y->total[SURVEY_CUR])
		return x->total[SURVEY_CUR] > y->total[SURVEY_CUR] ? -1 : 1;
	if (x->weighted[SURVEY_BASE] != y->weighted[SURVEY_BASE])
		return x->weighted[SURVEY_BASE] > y->weighted[SURVEY_BASE] ? -1
									   : 1;
	return strcmp(x->name, y->name);
}

/* Sums the entities of e and ranks them. */
static int
ents_finish(struct nh_survey_agg *a, struct survey_ents *e)
{
	long rank = 0;

	for (size_t i = 0; i < e->n; i++) {
		struct survey_ent *x = &e->v[i];

		for (int k = 0; k < 2; k++) {
			for (int j = 0; j < NH_SVC_COUNT; j++) {
				long n = x->count[k][j];

				x->total[k] += n;
				x->weighted[k] +=
				    (double)n * nh_svc_table[j].weight;
				x->ddos_kbps[k] += (double)n *
				    survey_device_kbps(a, (enum nh_svc)j);
			}
		}
	}
	e->order = malloc((e->n != 0 ? e->n : 1) * sizeof(*e->order));
	if (e->order == NULL)
		return -1;
	for (size_t i = 0; i < e->n; i++)
		e->order[i] = &e->v[i];
	qsort(e->order, e->n, sizeof(*e->order), ent_cmp);
	for (size_t i = 0; i < e->n; i++) {
		struct survey_ent *x = (struct survey_ent *)e->order[i];

		x->rank = x->total[SURVEY_CUR] > 0 ? ++rank : 0;
	}
	return 0;
}

int
nh_survey_agg_finish(struct nh_survey_agg *a)
{
	if (a->finished)
		return -1;
	for (int k = 0; k < 2; k++) {
		struct survey_side *sd = &a->side[k];

		for (int j = 0; j < NH_SVC_COUNT; j++) {
			sd->total += sd->count[j];
			sd->weighted +=
			    (double)sd->count[j] * nh_svc_table[j].weight;
			sd->ddos_kbps += (double)sd->count[j] *
			    survey_device_kbps(a, (enum nh_svc)j);
		}
	}
	if (ents_finish(a, &a->cc) == -1 || ents_finish(a, &a->as) == -1)
		return -1;
	a->finished = true;
	return 0;
}
