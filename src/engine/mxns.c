/*
 * mxns.c: the name servers of each MX's zone and their addresses, which
 * the mail test's RPKI checks validate (mail_mx_ns_rpki_*,
 * ../shared/internetnl-catalog.md §2.5). The NS set is found as for the
 * domain: asked at the MX name, then at each parent up to below the TLD.
 */
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"
#include "engine_impl.h"

#define MXNS_CAP (NH_FACTS_MAX_NS * 2 * NH_FACTS_MAX_ADDRS)

/* One lookup in flight: the NS set at `name`, or the addresses of the
 * name server `name`. */
struct mstep {
	struct job *job;
	size_t mx;
	char *name; /* owned */
	uint16_t type;
};

static void on_answer(const struct nh_dns_answer *a, void *arg);

static void
ask(struct job *j, size_t mx, const char *name, uint16_t type)
{
	struct mstep *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->name = strdup(name)) == NULL) {
		free(s);
		nh_job_oom(j);
		return;
	}
	s->job = j;
	s->mx = mx;
	s->type = type;
	j->pending++;
	if (nh_dns_resolve(j->e->dns, name, type, on_answer, s) == NULL) {
		free(s->name);
		free(s);
		j->pending--;
		nh_job_oom(j);
	}
}

/* The NS set arrived: its addresses, or the parent's NS set. */
static void
on_ns(struct mstep *s, const struct nh_dns_answer *a, bool answered)
{
	struct nh_fact_mx *m = &s->job->f->mx[s->mx];
	char *names[NH_FACTS_MAX_NS];
	size_t n, trunc = 0;
	const char *parent;

	if (!answered) {
		/* Climb, but not to the TLD (as for the domain's NS set). */
		parent = nh_parent_of(s->name);
		if (parent != NULL && strchr(parent, '.') != NULL)
			ask(s->job, s->mx, parent, LDNS_RR_TYPE_NS);
		return;
	}
	if ((m->ns_zone = nh_ns_owner(a->pkt, s->name)) == NULL) {
		nh_job_oom(s->job);
		return;
	}
	n = nh_dns_read_hosts(
	    a->pkt, LDNS_RR_TYPE_NS, names, NULL, NH_FACTS_MAX_NS, &trunc);
	if (n == (size_t)-1) {
		nh_job_oom(s->job);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		ask(s->job, s->mx, names[i], LDNS_RR_TYPE_AAAA);
		ask(s->job, s->mx, names[i], LDNS_RR_TYPE_A);
		free(names[i]);
	}
}

static void
on_addrs(struct mstep *s, const struct nh_dns_answer *a)
{
	struct nh_fact_mx *m = &s->job->f->mx[s->mx];
	char ips[NH_FACTS_MAX_ADDRS][NH_IP_TEXT];
	size_t got = 0, mapped = 0, trunc = 0;

	nh_dns_read_addrs(
	    a->pkt, s->type, ips, NH_FACTS_MAX_ADDRS, &got, &mapped, &trunc);
	for (size_t i = 0; i < got && m->nnsaddrs < MXNS_CAP; i++) {
		struct nh_fact_mxns *x = &m->nsaddrs[m->nnsaddrs];

		if ((x->name = strdup(s->name)) == NULL) {
			nh_job_oom(s->job);
			return;
		}
		memcpy(x->ip, ips[i], NH_IP_TEXT);
		m->nnsaddrs++;
	}
}

/* Whether the answer holds records of the type asked. */
static bool
has_records(const struct nh_dns_answer *a)
{
	ldns_rr_list *l;
	bool yes;

	if (a->pkt == NULL || a->rcode != LDNS_RCODE_NOERROR)
		return false;
	l = ldns_pkt_rr_list_by_type(a->pkt, a->type, LDNS_SECTION_ANSWER);
	yes = l != NULL && ldns_rr_list_rr_count(l) > 0;
	ldns_rr_list_deep_free(l);
	return yes;
}

static void
on_answer(const struct nh_dns_answer *a, void *arg)
{
	struct mstep *s = arg;

	if (s->type == LDNS_RR_TYPE_NS)
		on_ns(s, a, has_records(a));
	else if (has_records(a))
		on_addrs(s, a);
	nh_job_step_done(s->job);
	free(s->name);
	free(s);
}

void
nh_mxns_start(struct job *j, size_t i)
{
	struct nh_fact_mx *m = &j->f->mx[i];

	if ((m->nsaddrs = calloc(MXNS_CAP, sizeof(*m->nsaddrs))) == NULL) {
		nh_job_oom(j);
		return;
	}
	ask(j, i, m->name, LDNS_RR_TYPE_NS);
}
