/*
 * share.c: work shared across the domains of a scan. An MX serves many
 * domains (a hosting provider's mail servers, a government's shared mail
 * platform), and its STARTTLS assessment depends only on the address, the
 * port and the MX name (the SNI, the TLSA owner): it runs once per engine,
 * and every other domain with the same MX gets a copy of its facts. A
 * domain that asks while the first assessment runs waits for it.
 *
 * The entries live as long as the engine (one scan round).
 */
#include <stdlib.h>
#include <string.h>

#include "engine_impl.h"

#define BUCKETS 16384

struct waiter {
	struct job *job;
	struct nh_fact_tls *fact; /* in the job's facts */
};

struct shared_ep {
	char *key;
	json_t *done; /* the facts, once the first assessment ended */
	struct waiter *waiters;
	size_t nwaiters, cap;
	struct shared_ep *next; /* in the bucket */
};

struct nh_share {
	struct shared_ep *bucket[BUCKETS];
};

static unsigned
hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % BUCKETS;
}

struct nh_share *
nh_share_new(void)
{
	return calloc(1, sizeof(struct nh_share));
}

void
nh_share_free(struct nh_share *sh)
{
	if (sh == NULL)
		return;
	for (size_t i = 0; i < BUCKETS; i++) {
		struct shared_ep *e = sh->bucket[i], *next;

		for (; e != NULL; e = next) {
			next = e->next;
			free(e->key);
			json_decref(e->done);
			free(e->waiters);
			free(e);
		}
	}
	free(sh);
}

/* Copies finished facts into a waiting endpoint. Returns 0 or -1. */
static int
copy_into(const json_t *done, struct nh_fact_tls *t)
{
	const char *why;

	nh_fact_tls_clear(t);
	if (nh_fact_tls_from_json(done, t, &why) == -1) {
		nh_fact_tls_clear(t);
		return -1;
	}
	return 0;
}

enum nh_share_state
nh_share_mx(struct job *j, struct nh_fact_tls *t, const char *ip,
    const char *mx, struct shared_ep **leader)
{
	struct nh_share *sh = j->e->share;
	struct shared_ep *e;
	char key[400];
	unsigned b;

	*leader = NULL;
	if (sh == NULL)
		return NH_SHARE_FIRST;
	snprintf(key, sizeof(key), "%s|25|%s", ip, mx);
	b = hash(key);
	for (e = sh->bucket[b]; e != NULL; e = e->next) {
		if (strcmp(e->key, key) != 0)
			continue;
		if (e->done != NULL) {
			if (copy_into(e->done, t) == -1)
				nh_job_oom(j);
			return NH_SHARE_COPIED;
		}
		if (e->nwaiters == e->cap) {
			size_t cap = e->cap ? 2 * e->cap : 8;
			struct waiter *w =
			    realloc(e->waiters, cap * sizeof(*w));

			if (w == NULL)
				return NH_SHARE_FIRST; /* assessed again */
			e->waiters = w;
			e->cap = cap;
		}
		e->waiters[e->nwaiters].job = j;
		e->waiters[e->nwaiters].fact = t;
		e->nwaiters++;
		j->pending++;
		return NH_SHARE_WAITING;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->key = strdup(key)) == NULL) {
		free(e);
		return NH_SHARE_FIRST;
	}
	e->next = sh->bucket[b];
	sh->bucket[b] = e;
	*leader = e;
	return NH_SHARE_FIRST;
}

void
nh_share_done(struct shared_ep *e, const struct nh_fact_tls *t)
{
	struct waiter *w = e->waiters;
	size_t n = e->nwaiters;

	/* Done before the waiters run: a domain that starts from their
	 * callbacks copies at once and never waits on this entry. */
	e->done = nh_fact_tls_to_json(t);
	e->waiters = NULL;
	e->nwaiters = e->cap = 0;
	for (size_t i = 0; i < n; i++) {
		if (e->done == NULL || copy_into(e->done, w[i].fact) == -1)
			nh_job_oom(w[i].job);
		nh_job_step_done(w[i].job);
	}
	free(w);
	if (e->done == NULL)
		e->done = json_null(); /* never matched: see nh_share_mx */
}
