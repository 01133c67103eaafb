/*
 * agg_finish.c: what nh_scan_agg_finish() derives once every result is in:
 * the report order of checks, categories and groups, the gaps ranked by the
 * domains they affect, who must act, and the progress of each domain's
 * tests between the base round and the current one.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "scan_impl.h"

/* ---- finishing: orders, gaps, who must act, progress ---- */

static const struct nh_scan_agg *sort_agg; /* qsort has no argument */

static int
cmp_check_order(const void *x, const void *y)
{
	const struct scan_check *a = &sort_agg->checks[*(const size_t *)x];
	const struct scan_check *b = &sort_agg->checks[*(const size_t *)y];

	return (a->order > b->order) - (a->order < b->order);
}

static int
cmp_cat_order(const void *x, const void *y)
{
	const struct scan_cat *a = &sort_agg->cats[*(const size_t *)x];
	const struct scan_cat *b = &sort_agg->cats[*(const size_t *)y];

	return (a->order > b->order) - (a->order < b->order);
}

/* "(none)" and "(other)" after the named groups. */
static int
group_rank(const char *name)
{
	return strcmp(name, SCAN_GROUP_OTHER) == 0 ? 2
	    : strcmp(name, SCAN_GROUP_NONE) == 0   ? 1
						   : 0;
}

static int
cmp_group(const void *x, const void *y)
{
	const char *a = sort_agg->groups[*(const size_t *)x];
	const char *b = sort_agg->groups[*(const size_t *)y];
	int ra = group_rank(a), rb = group_rank(b);

	return ra != rb ? ra - rb : strcmp(a, b);
}

/* Most domains affected first, then most failed, then report order. */
static int
cmp_gap(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	const struct scan_stats *s = &sort_agg->rounds[sort_agg->cur].all;
	const long *a = scan_check_counts(s, i), *b = scan_check_counts(s, j);
	long aa = scan_affected(a), ab = scan_affected(b);
	long oa = sort_agg->checks[i].order, ob = sort_agg->checks[j].order;

	if (aa != ab)
		return aa < ab ? 1 : -1;
	if (a[NH_FAILED] != b[NH_FAILED])
		return a[NH_FAILED] < b[NH_FAILED] ? 1 : -1;
	return (oa > ob) - (oa < ob);
}

static int
cmp_improved(const void *x, const void *y)
{
	const struct scan_change *a = x, *b = y;
	int da = a->after - a->before, db = b->after - b->before;

	return da != db ? db - da : strcmp(a->domain, b->domain);
}

static int
cmp_worsened(const void *x, const void *y)
{
	const struct scan_change *a = x, *b = y;
	int da = a->after - a->before, db = b->after - b->before;

	return da != db ? da - db : strcmp(a->domain, b->domain);
}

static int
cmp_name(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static size_t *
identity(size_t n)
{
	size_t *p = malloc((n ? n : 1) * sizeof(*p));

	if (p != NULL)
		for (size_t i = 0; i < n; i++)
			p[i] = i;
	return p;
}

/* Adds each stakeholder named in a gap's catalog entry. */
static void
add_stakeholders(struct nh_scan_agg *a, const char *list, long affected)
{
	while (list != NULL && *list != '\0') {
		size_t n;
		struct scan_stakeholder *s = NULL;

		list += strspn(list, ", ");
		n = strcspn(list, ",");
		while (n > 0 && list[n - 1] == ' ')
			n--;
		if (n == 0)
			break;
		if (n >= sizeof(s->name))
			n = sizeof(s->name) - 1;
		for (size_t i = 0; i < a->nstakeholders; i++) {
			if (strlen(a->stakeholders[i].name) == n &&
			    strncmp(a->stakeholders[i].name, list, n) == 0)
				s = &a->stakeholders[i];
		}
		if (s == NULL && a->nstakeholders < SCAN_MAX_STAKEHOLDERS) {
			s = &a->stakeholders[a->nstakeholders++];
			memcpy(s->name, list, n);
			s->name[n] = '\0';
		}
		if (s != NULL) {
			s->affected += affected;
			s->checks++;
		}
		list += strcspn(list, ",");
	}
}

static int
cmp_stakeholder(const void *x, const void *y)
{
	const struct scan_stakeholder *a = x, *b = y;

	if (a->affected != b->affected)
		return a->affected < b->affected ? 1 : -1;
	return strcmp(a->name, b->name);
}

/* Classifies every domain's tests between base and current round. */
static int
progress(struct nh_scan_agg *a)
{
	size_t nimp = 0, nwor = 0, nnew = 0, ngone = 0;
	struct scan_change *imp, *wor;

	imp = malloc((a->ndomains * SCAN_NTYPES + 1) * sizeof(*imp));
	wor = malloc((a->ndomains * SCAN_NTYPES + 1) * sizeof(*wor));
	a->new_domains = malloc((a->ndomains + 1) * sizeof(char *));
	a->gone_domains = malloc((a->ndomains + 1) * sizeof(char *));
	if (imp == NULL || wor == NULL || a->new_domains == NULL ||
	    a->gone_domains == NULL) {
		free(imp);
		free(wor);
		return -1;
	}
	for (size_t i = 0; i < a->ndomains; i++) {
		const struct scan_domain *d = &a->domains[i];

		if (d->in[SCAN_CUR] && !d->in[SCAN_BASE]) {
			a->domains_new++;
			a->new_domains[nnew++] = d->name;
		} else if (!d->in[SCAN_CUR] && d->in[SCAN_BASE]) {
			a->domains_gone++;
			a->gone_domains[ngone++] = d->name;
		}
		for (int t = 0; t < SCAN_NTYPES; t++) {
			int now = d->score[SCAN_CUR][t];
			int was = d->score[SCAN_BASE][t];
			struct scan_change c = { d->name, (enum nh_test_type)t,
				was, now };
			enum scan_move m;

			if (now == SCAN_ABSENT && was == SCAN_ABSENT)
				continue;
			if (was == SCAN_ABSENT)
				m = SCAN_NEW;
			else if (now == SCAN_ABSENT)
				m = SCAN_GONE;
			else if (now < 0 || was < 0)
				m = SCAN_NOT_COMPARABLE;
			else if (now > was)
				m = SCAN_IMPROVED;
			else if (now < was)
				m = SCAN_WORSENED;
			else
				m = SCAN_UNCHANGED;
			a->moves[t][m]++;
			if (m == SCAN_IMPROVED)
				imp[nimp++] = c;
			else if (m == SCAN_WORSENED)
				wor[nwor++] = c;
		}
	}
	qsort(imp, nimp, sizeof(*imp), cmp_improved);
	qsort(wor, nwor, sizeof(*wor), cmp_worsened);
	qsort(a->new_domains, nnew, sizeof(char *), cmp_name);
	qsort(a->gone_domains, ngone, sizeof(char *), cmp_name);
	a->improved = imp;
	a->worsened = wor;
	a->nimproved = nimp < SCAN_MAX_CHANGES ? nimp : SCAN_MAX_CHANGES;
	a->nworsened = nwor < SCAN_MAX_CHANGES ? nwor : SCAN_MAX_CHANGES;
	a->nnew = nnew < SCAN_MAX_NEWGONE ? nnew : SCAN_MAX_NEWGONE;
	a->ngone = ngone < SCAN_MAX_NEWGONE ? ngone : SCAN_MAX_NEWGONE;
	return 0;
}

int
nh_scan_agg_finish(struct nh_scan_agg *a)
{
	const struct scan_stats *cur;

	assert(!a->finished && a->cur >= 0);
	if ((a->check_order = identity(a->nchecks)) == NULL ||
	    (a->cat_order = identity(a->ncats)) == NULL ||
	    (a->group_order = identity(a->ngroups)) == NULL ||
	    (a->gaps = malloc((a->nchecks + 1) * sizeof(*a->gaps))) == NULL)
		return -1;
	sort_agg = a;
	qsort(a->check_order, a->nchecks, sizeof(size_t), cmp_check_order);
	qsort(a->cat_order, a->ncats, sizeof(size_t), cmp_cat_order);
	qsort(a->group_order, a->ngroups, sizeof(size_t), cmp_group);

	cur = &a->rounds[a->cur].all;
	for (size_t i = 0; i < a->nchecks; i++) {
		if (scan_affected(scan_check_counts(cur, i)) > 0)
			a->gaps[a->ngaps++] = i;
	}
	qsort(a->gaps, a->ngaps, sizeof(size_t), cmp_gap);
	for (size_t i = 0; i < a->ngaps; i++) {
		const struct scan_check *c = &a->checks[a->gaps[i]];

		add_stakeholders(a, c->text ? c->text->stakeholder : NULL,
		    scan_affected(scan_check_counts(cur, a->gaps[i])));
	}
	qsort(a->stakeholders, a->nstakeholders, sizeof(a->stakeholders[0]),
	    cmp_stakeholder);
	sort_agg = NULL;
	if (a->base >= 0 && progress(a) == -1)
		return -1;
	a->finished = true;
	return 0;
}
