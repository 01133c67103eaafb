/*
 * gather.c: gathers the facts of one domain on the loop, as a set of
 * independent asynchronous steps (DNS lookups, direct name-server queries,
 * TCP connects), each of which may start more. A job counts its steps in
 * flight; when the count drops to zero the facts are complete, judged, and
 * handed to the caller.
 *
 * What is asked, and why (../shared/internetnl-catalog.md):
 *   - the NS set, climbing from the domain towards the TLD (§1.1), and for
 *     every name server every address, each asked "zone NS" directly (UDP,
 *     TCP on truncation or failure, CD set);
 *   - web: the domain's A and AAAA, each address's ports 80 and 443 (§1.1);
 *   - the domain's SOA, validated (§1.2), and its zone's DNSKEY, DS and
 *     NSEC3PARAM (RFC 8624, RFC 9276);
 *   - CAA, climbing from the domain (web) or each MX name (mail) (§1.7);
 *   - mail: MX (null MX, RFC 7505), the domain's A, AAAA and SPF record,
 *     and for each MX its addresses (port 25), SOA and CAA (§2).
 *
 * Arrays in the facts are allocated at their full capacity before any
 * probe holds a pointer into them, so they never move while steps run.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/event.h>

#include "dns/dns.h"
#include "engine_impl.h"
#include "net/net.h"
#include "tls/tls.h"
#include "webpol/webpol.h"

enum what {
	W_NS, /* NS climb */
	W_NS_A,
	W_NS_AAAA,
	W_A, /* the domain's A */
	W_AAAA,
	W_SOA, /* DNSSEC of a name (domain or MX) */
	W_DNSKEY,
	W_DS,
	W_NSEC3PARAM,
	W_CAA, /* CAA climb */
	W_MX,
	W_MX_A,
	W_MX_AAAA,
	W_TLSA,    /* _443._tcp.domain TLSA (web) */
	W_MX_TLSA, /* _25._tcp.<mx> TLSA (mail) */
};

/* One DNS lookup in flight for a job. */
struct dstep {
	struct job *job;
	enum what what;
	size_t idx;                    /* NS or MX index */
	char *name;                    /* the name asked; owned */
	struct nh_fact_caa *caa;       /* W_CAA: where to write */
	struct nh_fact_dnssec *dnssec; /* W_SOA: where to write */
};

/* One direct query to a name-server address. */
struct nstep {
	struct job *job;
	struct nh_fact_ns_addr *addr;
};

/* One TCP connect to an address and port. */
struct tstep {
	struct job *job;
	enum nh_probe *result;
};

/* qsort() that accepts an empty, possibly NULL, array. */
static void
sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

/* Records an allocation failure; the job still completes. */
void
nh_job_oom(struct job *j)
{
	j->oom = true;
}

static void on_dns(const struct nh_dns_answer *a, void *arg);

/* Starts a lookup of `name` for job j. */
static void
lookup(
    struct job *j, enum what what, size_t idx, const char *name, uint16_t type)
{
	struct dstep *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->name = strdup(name)) == NULL) {
		free(s);
		nh_job_oom(j);
		return;
	}
	s->job = j;
	s->what = what;
	s->idx = idx;
	j->pending++;
	if (nh_dns_resolve(j->e->dns, name, type, on_dns, s) == NULL) {
		free(s->name);
		free(s);
		nh_job_oom(j);
		j->pending--;
	}
}

/* Starts a lookup whose answer goes to a CAA or DNSSEC record. */
static void
lookup_into(struct job *j, enum what what, const char *name, uint16_t type,
    struct nh_fact_caa *caa, struct nh_fact_dnssec *dnssec)
{
	struct dstep *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->name = strdup(name)) == NULL) {
		free(s);
		nh_job_oom(j);
		return;
	}
	s->job = j;
	s->what = what;
	s->caa = caa;
	s->dnssec = dnssec;
	j->pending++;
	if (nh_dns_resolve(j->e->dns, name, type, on_dns, s) == NULL) {
		free(s->name);
		free(s);
		nh_job_oom(j);
		j->pending--;
	}
}

const char *
nh_parent_of(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot != NULL && dot[1] != '\0' ? dot + 1 : NULL;
}

static void
on_direct(const struct nh_dns_direct_result *r, void *arg)
{
	struct nstep *s = arg;
	struct nh_fact_ns_addr *a = s->addr;

	a->answered = r->status == NH_DNS_OK ? NH_PROBE_OK : NH_PROBE_FAILED;
	a->tcp = r->tcp;
	a->rcode = r->rcode;
	a->aa = r->aa;
	a->ms = r->ms;
	if (r->error != NULL && (a->error = strdup(r->error)) == NULL)
		nh_job_oom(s->job);
	nh_job_step_done(s->job);
	free(s);
}

/* Asks a name-server address for the zone's NS set, directly. */
static void
probe_ns_addr(struct job *j, struct nh_fact_ns_addr *a)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct nstep *s;
	const char *err;

	if (nh_sockaddr_from_text(a->ip, 53, &ss, &len) == 0)
		return;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		nh_job_oom(j);
		return;
	}
	s->job = j;
	s->addr = a;
	j->pending++;
	if (nh_dns_direct_query(j->e->base, (struct sockaddr *)&ss, len,
		j->f->ns_zone, LDNS_RR_TYPE_NS, NH_DNS_Q_CD,
		j->e->direct_timeout, on_direct, s, &err) == NULL) {
		a->answered = NH_PROBE_FAILED;
		if ((a->error = strdup(err)) == NULL)
			nh_job_oom(j);
		j->pending--;
		free(s);
	}
}

static void
on_tcp(const struct nh_tcp_result *r, void *arg)
{
	struct tstep *s = arg;

	*s->result = r->open ? NH_PROBE_OK : NH_PROBE_FAILED;
	nh_job_step_done(s->job);
	free(s);
}

/* Connects to ip:port; the outcome goes to *result. */
static void
probe_tcp(struct job *j, const char *ip, unsigned port, enum nh_probe *result)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct tstep *s;
	const char *err;

	if (nh_sockaddr_from_text(ip, (uint16_t)port, &ss, &len) == 0)
		return;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		nh_job_oom(j);
		return;
	}
	s->job = j;
	s->result = result;
	j->pending++;
	if (nh_tcp_connect_probe(j->e->base, (struct sockaddr *)&ss, len,
		j->e->tcp_timeout, on_tcp, s, &err) == NULL) {
		*result = NH_PROBE_FAILED;
		j->pending--;
		free(s);
	}
}

/*
 * Once an endpoint's assessment ended (the scan done, and the handshakes
 * done or not to be made): the certificates a probe kept are judged when
 * no full handshake completed, and the domains sharing it get its facts.
 */
static void
endpoint_done(struct tls_ep *ep)
{
	if (ep->ended || !ep->scanned || !ep->hs_started || ep->hs != NULL)
		return;
	ep->ended = true;
	if (ep->fact->handshake != NH_PROBE_OK)
		nh_tls_probe_chain_facts(
		    ep->job->e->tls, &ep->der, ep->fact->sni, ep->fact);
	nh_tls_der_clear(&ep->der);
	if (ep->share != NULL) {
		nh_share_done(ep->share, ep->fact);
		ep->share = NULL;
	}
}

static void
on_tls_hs(struct nh_fact_tls *t, void *arg)
{
	struct tls_ep *ep = arg;

	(void)t;
	ep->hs = NULL;
	endpoint_done(ep);
	nh_job_step_done(ep->job);
}

void
nh_tlsa_set_clear(struct tlsa_set *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->rr[i].data);
	nh_fact_lookup_clear(&t->lookup);
	memset(t, 0, sizeof(*t));
}

/* Copies the TLSA records found into an endpoint's facts. */
static int
copy_tlsa(const struct tlsa_set *s, struct nh_fact_tls *t)
{
	t->tlsa_lookup = s->lookup;
	t->tlsa_lookup.error = s->lookup.error ? strdup(s->lookup.error) : NULL;
	t->tlsa_lookup.why_bogus =
	    s->lookup.why_bogus ? strdup(s->lookup.why_bogus) : NULL;
	for (size_t i = 0; i < s->n; i++) {
		t->tlsa[i] = s->rr[i];
		if ((t->tlsa[i].data = strdup(s->rr[i].data)) == NULL)
			return -1;
		t->ntlsa++;
	}
	return 0;
}

/*
 * Starts the full handshakes of an endpoint once its raw scan is done and
 * the TLSA records are known (DANE needs them).
 */
static void
start_handshake(struct tls_ep *ep)
{
	struct job *j = ep->job;
	struct nh_fact_tls *t = ep->fact;
	struct sockaddr_storage ss;
	socklen_t len;
	struct nh_tls_hs_cfg cfg = { 0 };
	const char *err;

	if (!ep->scanned || ep->hs_started || !ep->tlsa->done)
		return;
	ep->hs_started = true;
	/* A handshake needs a version the probes saw accepted: a server
	 * whose flights never end would hold it for the whole timeout. */
	if (t->reachable != NH_PROBE_OK || nh_fact_tls_best(t) == 0)
		return;
	if (copy_tlsa(ep->tlsa, t) == -1) {
		nh_job_oom(j);
		return;
	}
	nh_sockaddr_from_text(t->ip, (uint16_t)t->port, &ss, &len);
	cfg.sa = (struct sockaddr *)&ss;
	cfg.salen = len;
	cfg.sni = t->sni;
	cfg.limiter = ep->smtp ? j->e->mx_limiter : j->e->limiter;
	cfg.timeout = j->e->tls_timeout;
	cfg.renegotiation = true;
	/* Early data means HTTP here; SMTP has none (Internet.nl stopped
	 * testing it on mail: it broke servers). */
	cfg.zero_rtt = !ep->smtp;
	if (ep->smtp) {
		cfg.opener = &nh_smtp_opener;
		cfg.opener_ctx = &ep->smtp_ctx;
	}
	j->pending++;
	if ((ep->hs = nh_tls_hs_start(j->e->base, j->e->tls, &cfg, t, on_tls_hs,
		 ep, &err)) == NULL) {
		t->handshake = NH_PROBE_FAILED;
		t->handshake_error = strdup(err);
		j->pending--;
	}
}

static void
maybe_handshake(struct tls_ep *ep)
{
	start_handshake(ep);
	endpoint_done(ep);
}

static void
on_tls_scanned(struct nh_fact_tls *t, void *arg)
{
	struct tls_ep *ep = arg;

	(void)t;
	ep->scan = NULL;
	ep->scanned = true;
	maybe_handshake(ep);
	nh_job_step_done(ep->job);
}

/*
 * Starts the TLS assessment of an endpoint into facts t (zeroed): the
 * address, the port, the name sent as SNI (NULL: none), its TLSA set,
 * and whether to speak SMTP up to STARTTLS first.
 */
static void
start_endpoint(struct job *j, struct nh_fact_tls *t, const char *ip, int family,
    unsigned port, const char *sni, struct tlsa_set *tlsa, bool smtp)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct nh_tls_scan_cfg cfg = { 0 };
	struct tls_ep *ep;
	const char *err;

	if (nh_sockaddr_from_text(ip, (uint16_t)port, &ss, &len) == 0)
		return;
	ep = &j->eps[j->neps++];
	snprintf(t->ip, sizeof(t->ip), "%s", ip);
	t->family = family;
	t->port = port;
	if (sni != NULL && (t->sni = strdup(sni)) == NULL) {
		nh_job_oom(j);
		return;
	}
	ep->job = j;
	ep->fact = t;
	ep->tlsa = tlsa;
	ep->smtp = smtp;
	ep->smtp_ctx.seen = &t->smtp;
	cfg.sa = (struct sockaddr *)&ss;
	cfg.salen = len;
	cfg.sni = t->sni;
	cfg.limiter = smtp ? j->e->mx_limiter : j->e->limiter;
	cfg.timeout = j->e->tls_timeout;
	cfg.ctx = j->e->tls;
	cfg.keep_certs = &ep->der;
	if (smtp) {
		cfg.opener = &nh_smtp_opener;
		cfg.opener_ctx = &ep->smtp_ctx;
	}
	j->pending++;
	if ((ep->scan = nh_tls_scan_start(
		 j->e->base, &cfg, t, on_tls_scanned, ep, &err)) == NULL) {
		t->reachable = NH_PROBE_FAILED;
		t->error = strdup(err);
		ep->scanned = true;
		j->pending--;
	}
}

/* Starts the TLS assessment of a web address (or of nethealth tls's
 * host), SNI the name tested. */
static void
start_tls(struct job *j, const char *ip, int family)
{
	struct nh_facts *f = j->f;
	unsigned port = j->tls_port ? j->tls_port : 443;

	if (f->tls == NULL || j->eps == NULL || f->ntls >= j->tls_cap)
		return;
	/* An address given as such gets no server_name (RFC 6066 §3). */
	start_endpoint(j, &f->tls[f->ntls++], ip, family, port,
	    nh_ip_family(f->domain) == 0 ? f->domain : NULL, &j->tlsa,
	    j->starttls);
}

/*
 * Web (and nethealth tls): once the A and AAAA answers are both in, the
 * probes of every address: the TCP ports, TLS and HTTP. Waiting for both
 * sizes the per-address facts exactly (a few addresses, not the most a
 * name can have: what a scan of thousands in flight holds in memory).
 */
static void
start_web_addrs(struct job *j)
{
	struct nh_facts *f = j->f;
	size_t n = f->nweb;

	if (n == 0)
		return;
	f->tls = calloc(n, sizeof(*f->tls));
	j->eps = calloc(n, sizeof(*j->eps));
	j->tls_cap = n;
	if (f->tls == NULL || j->eps == NULL) {
		nh_job_oom(j);
		return;
	}
	if (j->tls_port == 0 && nh_web_alloc(j, n) == -1) {
		nh_job_oom(j);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t p = 0; p < f->nports; p++)
			probe_tcp(
			    j, f->web[i].ip, f->ports[p], &f->web[i].port[p]);
		start_tls(j, f->web[i].ip, f->web[i].family);
		nh_web_start(j, f->web[i].ip, f->web[i].family);
	}
}

/*
 * Mail: once every MX address is known, the TLS assessment through
 * STARTTLS of each address of each MX, port 25, SNI the MX name.
 */
static void
start_mx_tls(struct job *j)
{
	struct nh_facts *f = j->f;
	size_t n = 0;

	for (size_t i = 0; i < f->nmx; i++)
		n += f->mx[i].naddrs;
	if (n == 0)
		return;
	f->mxtls = calloc(n, sizeof(*f->mxtls));
	j->eps = calloc(n, sizeof(*j->eps));
	if (f->mxtls == NULL || j->eps == NULL) {
		nh_job_oom(j);
		return;
	}
	for (size_t i = 0; i < f->nmx; i++) {
		const struct nh_fact_mx *m = &f->mx[i];

		for (size_t k = 0; k < m->naddrs; k++) {
			struct nh_fact_tls *t = &f->mxtls[f->nmxtls++];
			struct shared_ep *lead;
			size_t ep = j->neps;

			if (nh_share_mx(j, t, m->addrs[k].ip, m->name, &lead) !=
			    NH_SHARE_FIRST)
				continue;
			start_endpoint(j, t, m->addrs[k].ip, m->addrs[k].family,
			    25, m->name, &j->mx_tlsa[i], true);
			if (lead == NULL)
				continue;
			if (j->neps == ep) {
				/* Not started (not an address): as it is. */
				nh_share_done(lead, t);
				continue;
			}
			j->eps[ep].share = lead;
			if (j->eps[ep].scan == NULL) {
				/* The scan could not start: assessed. */
				j->eps[ep].hs_started = true;
				endpoint_done(&j->eps[ep]);
			}
		}
	}
}

/*
 * Appends the A or AAAA addresses of an answer to a host's address list
 * (capacity 2 * NH_FACTS_MAX_ADDRS), and returns where the new ones start.
 */
static size_t
add_host_addrs(const struct nh_dns_answer *a, struct nh_fact_host_addr *list,
    size_t *n, size_t *mapped)
{
	char ips[NH_FACTS_MAX_ADDRS][NH_IP_TEXT];
	size_t got = 0, truncated = 0, first = *n;

	nh_dns_read_addrs(
	    a->pkt, a->type, ips, NH_FACTS_MAX_ADDRS, &got, mapped, &truncated);
	for (size_t i = 0; i < got && *n < 2 * NH_FACTS_MAX_ADDRS; i++) {
		memcpy(list[*n].ip, ips[i], NH_IP_TEXT);
		list[*n].family = a->type == LDNS_RR_TYPE_A ? 4 : 6;
		(*n)++;
	}
	return first;
}

static void
on_ns_addrs(struct job *j, struct nh_fact_ns *ns, const struct nh_dns_answer *a)
{
	char ips[NH_FACTS_MAX_ADDRS][NH_IP_TEXT];
	size_t got = 0, truncated = 0;

	nh_dns_read_addrs(a->pkt, a->type, ips, NH_FACTS_MAX_ADDRS, &got,
	    &ns->mapped_ignored, &truncated);
	for (size_t i = 0; i < got && ns->naddrs < 2 * NH_FACTS_MAX_ADDRS;
	     i++) {
		struct nh_fact_ns_addr *na = &ns->addrs[ns->naddrs++];

		memcpy(na->ip, ips[i], NH_IP_TEXT);
		na->family = a->type == LDNS_RR_TYPE_A ? 4 : 6;
		probe_ns_addr(j, na);
	}
}

/*
 * The zone of an NS answer: the owner of its NS records (not the name
 * asked, when a CNAME led elsewhere). Caller frees.
 */
char *
nh_ns_owner(const ldns_pkt *pkt, const char *asked)
{
	ldns_rr_list *rrs =
	    ldns_pkt_rr_list_by_type(pkt, LDNS_RR_TYPE_NS, LDNS_SECTION_ANSWER);
	char *owner = NULL;

	if (rrs != NULL && ldns_rr_list_rr_count(rrs) > 0)
		owner =
		    nh_dns_name_text(ldns_rr_owner(ldns_rr_list_rr(rrs, 0)));
	ldns_rr_list_deep_free(rrs);
	return owner != NULL ? owner : strdup(asked);
}

/* The NS set was found: start on each name server and the zone's keys. */
static void
on_ns_set(struct job *j, const struct nh_dns_answer *a, const char *asked)
{
	struct nh_facts *f = j->f;
	char *names[NH_FACTS_MAX_NS];
	const char *zone;
	size_t n;

	if ((f->ns_zone = nh_ns_owner(a->pkt, asked)) == NULL) {
		nh_job_oom(j);
		return;
	}
	zone = f->ns_zone;
	n = nh_dns_read_hosts(a->pkt, LDNS_RR_TYPE_NS, names, NULL,
	    NH_FACTS_MAX_NS, &f->ns_truncated);
	if (n == (size_t)-1 ||
	    (n > 0 && (f->ns = calloc(n, sizeof(*f->ns))) == NULL)) {
		for (size_t i = 0; n != (size_t)-1 && i < n; i++)
			free(names[i]);
		nh_job_oom(j);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct nh_fact_ns *ns = &f->ns[f->nns];

		ns->addrs = calloc(2 * NH_FACTS_MAX_ADDRS, sizeof(*ns->addrs));
		if (ns->addrs == NULL) {
			free(names[i]);
			nh_job_oom(j);
			continue;
		}
		ns->name = names[i];
		f->nns++;
		lookup(j, W_NS_AAAA, f->nns - 1, ns->name, LDNS_RR_TYPE_AAAA);
		lookup(j, W_NS_A, f->nns - 1, ns->name, LDNS_RR_TYPE_A);
	}
	/* The zone's keys, for the algorithm and NSEC3 checks. */
	lookup_into(j, W_DNSKEY, zone, LDNS_RR_TYPE_DNSKEY, NULL, &f->dnssec);
	lookup_into(j, W_DS, zone, LDNS_RR_TYPE_DS, NULL, &f->dnssec);
	lookup_into(
	    j, W_NSEC3PARAM, zone, LDNS_RR_TYPE_NSEC3PARAM, NULL, &f->dnssec);
}

/*
 * Whether the domain's one SPF record is exactly "v=spf1 -all" (white
 * space aside): the null MX advice (Internet.nl) and its test of a domain
 * that sends no mail. Read from the TXT records the SPF steps fetched.
 */
static bool
spf_is_dash_all(const struct nh_fact_mailauth *a)
{
	const struct nh_fact_rrset *s = &a->spf[0];
	bool dash_all = false;
	size_t spf = 0;

	if (a->nspf == 0 || s->lookup.result != NH_LOOKUP_ANSWER)
		return false;
	for (size_t i = 0; i < s->ntxt; i++) {
		const char *p = s->txt[i] + 6;

		if (!nh_spf_is_record(s->txt[i]))
			continue;
		spf++;
		while (*p == ' ')
			p++;
		dash_all = strncasecmp(p, "-all", 4) == 0;
		for (p += dash_all ? 4 : 0; dash_all && *p == ' '; p++)
			;
		dash_all = dash_all && *p == '\0';
	}
	return spf == 1 && dash_all;
}

static int
mx_cmp(const void *a, const void *b)
{
	return strcmp(((const struct nh_fact_mx *)a)->name,
	    ((const struct nh_fact_mx *)b)->name);
}

/* The MX set arrived: classify it and start on each mail server. */
static void
on_mx_set(struct job *j, const struct nh_dns_answer *a)
{
	struct nh_facts *f = j->f;
	char *names[64];
	unsigned prefs[64];
	size_t n, truncated = 0;

	n = nh_dns_read_hosts(
	    a->pkt, LDNS_RR_TYPE_MX, names, prefs, 64, &truncated);
	if (n == (size_t)-1) {
		nh_job_oom(j);
		return;
	}
	f->mx_truncated = truncated;
	if ((f->mx = calloc(NH_FACTS_MAX_MX, sizeof(*f->mx))) == NULL) {
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		nh_job_oom(j);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		bool dup = false;

		/* "." is the null MX (RFC 7505): noted, not a server. */
		if (strcmp(names[i], ".") == 0) {
			j->null_mx = true;
			free(names[i]);
			continue;
		}
		for (size_t k = 0; k < f->nmx; k++)
			dup = dup || strcmp(f->mx[k].name, names[i]) == 0;
		if (dup || strcmp(names[i], "localhost") == 0 ||
		    f->nmx >= NH_FACTS_MAX_MX) {
			if (!dup && strcmp(names[i], "localhost") != 0)
				f->mx_truncated++;
			free(names[i]);
			continue;
		}
		f->mx[f->nmx].name = names[i];
		f->mx[f->nmx].preference = prefs[i];
		f->nmx++;
	}
	sort(f->mx, f->nmx, sizeof(*f->mx), mx_cmp);
	if (f->nmx > 0 &&
	    (j->mx_tlsa = calloc(NH_FACTS_MAX_MX, sizeof(*j->mx_tlsa))) ==
		NULL) {
		nh_job_oom(j);
		return;
	}
	j->mx_addr_pending = 2 * (unsigned)f->nmx;
	for (size_t i = 0; i < f->nmx; i++) {
		struct nh_fact_mx *m = &f->mx[i];
		char tlsa[300];

		m->addrs = calloc(2 * NH_FACTS_MAX_ADDRS, sizeof(*m->addrs));
		if (m->addrs == NULL ||
		    (m->dnssec.name = strdup(m->name)) == NULL) {
			nh_job_oom(j);
			continue;
		}
		lookup(j, W_MX_AAAA, i, m->name, LDNS_RR_TYPE_AAAA);
		lookup(j, W_MX_A, i, m->name, LDNS_RR_TYPE_A);
		snprintf(tlsa, sizeof(tlsa), "_25._tcp.%s", m->name);
		lookup(j, W_MX_TLSA, i, tlsa, LDNS_RR_TYPE_TLSA);
		lookup_into(
		    j, W_SOA, m->name, LDNS_RR_TYPE_SOA, NULL, &m->dnssec);
		lookup_into(j, W_CAA, m->name, LDNS_RR_TYPE_CAA, &m->caa, NULL);
		nh_mxns_start(j, i);
	}
}

/* Stores a lookup outcome; on failure to allocate, notes it. */
static void
store_lookup(
    struct job *j, const struct nh_dns_answer *a, struct nh_fact_lookup *l)
{
	if (nh_dns_lookup_fact(a, l) == -1)
		nh_job_oom(j);
}

static void
on_dns(const struct nh_dns_answer *a, void *arg)
{
	struct dstep *s = arg;
	struct job *j = s->job;
	struct nh_facts *f = j->f;
	struct nh_fact_lookup l = { 0 };
	const char *parent;
	size_t first;

	store_lookup(j, a, &l);
	switch (s->what) {
	case W_NS:
		/* Climb until an NS set is found; stop on an error. */
		if (l.result == NH_LOOKUP_ANSWER) {
			nh_fact_lookup_clear(&f->ns_lookup);
			f->ns_lookup = l;
			memset(&l, 0, sizeof(l));
			on_ns_set(j, a, s->name);
		} else if (l.result != NH_LOOKUP_ERROR &&
		    (parent = nh_parent_of(s->name)) != NULL &&
		    strchr(parent, '.') != NULL) {
			lookup(j, W_NS, 0, parent, LDNS_RR_TYPE_NS);
		} else {
			nh_fact_lookup_clear(&f->ns_lookup);
			f->ns_lookup = l;
			memset(&l, 0, sizeof(l));
		}
		break;
	case W_NS_A:
	case W_NS_AAAA: {
		struct nh_fact_ns *ns = &f->ns[s->idx];

		if (l.result == NH_LOOKUP_ANSWER)
			on_ns_addrs(j, ns, a);
		nh_fact_lookup_clear(s->what == W_NS_A ? &ns->a : &ns->aaaa);
		*(s->what == W_NS_A ? &ns->a : &ns->aaaa) = l;
		memset(&l, 0, sizeof(l));
		break;
	}
	case W_A:
	case W_AAAA:
		if (f->web != NULL) {
			if (l.result == NH_LOOKUP_ANSWER)
				add_host_addrs(a, f->web, &f->nweb,
				    &f->web_mapped_ignored);
			if (--j->web_addr_pending == 0)
				start_web_addrs(j);
		} else if (l.result == NH_LOOKUP_ANSWER) {
			size_t mapped = 0, trunc = 0, got = 0;
			char ips[NH_FACTS_MAX_ADDRS][NH_IP_TEXT];

			/* Mail: only whether the domain has addresses. */
			nh_dns_read_addrs(a->pkt, a->type, ips,
			    NH_FACTS_MAX_ADDRS, &got, &mapped, &trunc);
			if (got == 0)
				l.result = NH_LOOKUP_NODATA;
		}
		nh_fact_lookup_clear(s->what == W_A ? &f->a : &f->aaaa);
		*(s->what == W_A ? &f->a : &f->aaaa) = l;
		memset(&l, 0, sizeof(l));
		break;
	case W_SOA:
		nh_fact_lookup_clear(&s->dnssec->soa);
		s->dnssec->soa = l;
		memset(&l, 0, sizeof(l));
		break;
	case W_DNSKEY:
		if (l.result == NH_LOOKUP_ANSWER &&
		    nh_dns_read_keys(a->pkt, LDNS_RR_TYPE_DNSKEY,
			&s->dnssec->dnskeys, &s->dnssec->ndnskeys) == -1)
			nh_job_oom(j);
		if (s->dnssec->zone == NULL &&
		    (s->dnssec->zone = strdup(s->name)) == NULL)
			nh_job_oom(j);
		nh_fact_lookup_clear(&s->dnssec->dnskey_lookup);
		s->dnssec->dnskey_lookup = l;
		memset(&l, 0, sizeof(l));
		break;
	case W_DS:
		if (l.result == NH_LOOKUP_ANSWER &&
		    nh_dns_read_keys(a->pkt, LDNS_RR_TYPE_DS, &s->dnssec->ds,
			&s->dnssec->nds) == -1)
			nh_job_oom(j);
		nh_fact_lookup_clear(&s->dnssec->ds_lookup);
		s->dnssec->ds_lookup = l;
		memset(&l, 0, sizeof(l));
		break;
	case W_NSEC3PARAM:
		if (l.result == NH_LOOKUP_ANSWER)
			nh_dns_read_nsec3param(a->pkt, s->dnssec);
		break;
	case W_CAA:
		/* RFC 8659 §3: climb to the parent until a CAA set is found,
		 * up to but not including the root. */
		if (l.result == NH_LOOKUP_ANSWER) {
			if ((s->caa->found_at = strdup(s->name)) == NULL ||
			    nh_dns_read_caa(a->pkt, s->caa) == -1)
				nh_job_oom(j);
		} else if (l.result != NH_LOOKUP_ERROR &&
		    (parent = nh_parent_of(s->name)) != NULL) {
			lookup_into(
			    j, W_CAA, parent, LDNS_RR_TYPE_CAA, s->caa, NULL);
			break;
		}
		nh_fact_lookup_clear(&s->caa->lookup);
		s->caa->lookup = l;
		memset(&l, 0, sizeof(l));
		break;
	case W_MX:
		if (l.result == NH_LOOKUP_ANSWER)
			on_mx_set(j, a);
		nh_fact_lookup_clear(&f->mx_lookup);
		f->mx_lookup = l;
		memset(&l, 0, sizeof(l));
		break;
	case W_MX_A:
	case W_MX_AAAA: {
		struct nh_fact_mx *m = &f->mx[s->idx];

		if (l.result == NH_LOOKUP_ANSWER && m->addrs != NULL) {
			first = add_host_addrs(
			    a, m->addrs, &m->naddrs, &m->mapped_ignored);
			for (size_t i = first; i < m->naddrs; i++)
				probe_tcp(j, m->addrs[i].ip, f->ports[0],
				    &m->addrs[i].port[0]);
		}
		nh_fact_lookup_clear(s->what == W_MX_A ? &m->a : &m->aaaa);
		*(s->what == W_MX_A ? &m->a : &m->aaaa) = l;
		memset(&l, 0, sizeof(l));
		if (--j->mx_addr_pending == 0)
			start_mx_tls(j);
		break;
	}
	case W_TLSA:
	case W_MX_TLSA: {
		struct tlsa_set *t =
		    s->what == W_TLSA ? &j->tlsa : &j->mx_tlsa[s->idx];

		if (l.result == NH_LOOKUP_ANSWER)
			t->n =
			    nh_dns_read_tlsa(a->pkt, t->rr, NH_FACTS_MAX_TLSA);
		nh_fact_lookup_clear(&t->lookup);
		t->lookup = l;
		memset(&l, 0, sizeof(l));
		t->done = true;
		for (size_t i = 0; i < j->neps; i++) {
			if (j->eps[i].tlsa == t)
				maybe_handshake(&j->eps[i]);
		}
		break;
	}
	}
	nh_fact_lookup_clear(&l);
	free(s->name);
	free(s);
	nh_job_step_done(j);
}

/* Internet.nl's MX statuses, from the MX set, addresses and SPF. */
static void
classify_mx(struct job *j)
{
	struct nh_facts *f = j->f;
	bool has_addr = f->a.result == NH_LOOKUP_ANSWER ||
	    f->aaaa.result == NH_LOOKUP_ANSWER;

	if (f->mx_lookup.result == NH_LOOKUP_ERROR)
		f->mx_status = NH_MX_ERROR;
	else if (j->null_mx && f->nmx > 0)
		f->mx_status = NH_MX_NULL_WITH_OTHER;
	else if (j->null_mx)
		f->mx_status = has_addr ? NH_MX_NULL : NH_MX_NULL_WITHOUT_A;
	else if (f->nmx > 0)
		f->mx_status = NH_MX_HAS_MX;
	else if (has_addr && f->spf_dash_all)
		f->mx_status = NH_MX_NO_NULL_MX;
	else
		f->mx_status = NH_MX_NONE;
}

static int
host_addr_cmp(const void *a, const void *b)
{
	const struct nh_fact_host_addr *x = a, *y = b;

	if (x->family != y->family)
		return y->family - x->family; /* IPv6 first */
	return strcmp(x->ip, y->ip);
}

/* Name servers by name: the NS set's order varies from answer to
 * answer, and the facts (and the evidence) should not. */
static int
ns_cmp(const void *a, const void *b)
{
	return strcmp(((const struct nh_fact_ns *)a)->name,
	    ((const struct nh_fact_ns *)b)->name);
}

static int
ns_addr_cmp(const void *a, const void *b)
{
	const struct nh_fact_ns_addr *x = a, *y = b;

	if (x->family != y->family)
		return y->family - x->family;
	return strcmp(x->ip, y->ip);
}

static int
tls_cmp(const void *a, const void *b)
{
	const struct nh_fact_tls *x = a, *y = b;

	if (x->family != y->family)
		return y->family - x->family;
	return strcmp(x->ip, y->ip);
}

/* MX endpoints: by MX name, then as web endpoints. */
static int
mxtls_cmp(const void *a, const void *b)
{
	const struct nh_fact_tls *x = a, *y = b;
	int c = strcmp(x->sni ? x->sni : "", y->sni ? y->sni : "");

	return c != 0 ? c : tls_cmp(a, b);
}

/* Every step is done: put the facts in a stable order. */
static void
finalize(struct job *j)
{
	struct nh_facts *f = j->f;

	sort(f->ns, f->nns, sizeof(*f->ns), ns_cmp);
	for (size_t i = 0; i < f->nns; i++)
		sort(f->ns[i].addrs, f->ns[i].naddrs, sizeof(*f->ns[i].addrs),
		    ns_addr_cmp);
	sort(f->web, f->nweb, sizeof(*f->web), host_addr_cmp);
	sort(f->tls, f->ntls, sizeof(*f->tls), tls_cmp);
	sort(f->mxtls, f->nmxtls, sizeof(*f->mxtls), mxtls_cmp);
	for (size_t i = 0; i < f->nmx; i++)
		sort(f->mx[i].addrs, f->mx[i].naddrs, sizeof(*f->mx[i].addrs),
		    host_addr_cmp);
	if (f->type == NH_TEST_MAIL) {
		f->spf_dash_all = spf_is_dash_all(&f->auth);
		classify_mx(j);
	}
}

void
nh_job_step_done(struct job *j)
{
	if (--j->pending > 0)
		return;
	finalize(j);
	nh_engine_job_done(j);
}

/* nethealth tls: the TLS endpoints of one host and port, nothing else. */
static void
gather_tls_only(struct job *j)
{
	struct nh_facts *f = j->f;
	char name[300];
	int family;

	if ((f->web = calloc(2 * NH_FACTS_MAX_ADDRS, sizeof(*f->web))) ==
	    NULL) {
		nh_job_oom(j);
		return;
	}
	if ((family = nh_ip_family(f->domain)) != 0) {
		j->tlsa.done = true; /* no name: no TLSA */
		f->tls = calloc(1, sizeof(*f->tls));
		j->eps = calloc(1, sizeof(*j->eps));
		j->tls_cap = 1;
		if (f->tls == NULL || j->eps == NULL)
			nh_job_oom(j);
		else
			start_tls(j, f->domain, family);
		return;
	}
	snprintf(name, sizeof(name), "_%u._tcp.%s", j->tls_port, f->domain);
	lookup(j, W_TLSA, 0, name, LDNS_RR_TYPE_TLSA);
	j->web_addr_pending = 2;
	lookup(j, W_AAAA, 0, f->domain, LDNS_RR_TYPE_AAAA);
	lookup(j, W_A, 0, f->domain, LDNS_RR_TYPE_A);
}

void
nh_gather_start(struct job *j)
{
	struct nh_facts *f = j->f;

	/* One step for the start itself, so that nothing ends it early. */
	j->pending = 1;
	if (j->tls_port != 0) {
		gather_tls_only(j);
		nh_job_step_done(j);
		return;
	}
	if ((f->dnssec.name = strdup(f->domain)) == NULL)
		nh_job_oom(j);
	lookup(j, W_NS, 0, f->domain, LDNS_RR_TYPE_NS);
	lookup_into(j, W_SOA, f->domain, LDNS_RR_TYPE_SOA, NULL, &f->dnssec);
	if (f->type == NH_TEST_WEB) {
		f->ports[0] = 80;
		f->ports[1] = 443;
		f->nports = 2;
		f->web = calloc(2 * NH_FACTS_MAX_ADDRS, sizeof(*f->web));
		j->web_addr_pending = 2; /* A and AAAA, below */
		if (f->web == NULL)
			nh_job_oom(j);
		else {
			char name[300];

			snprintf(name, sizeof(name), "_443._tcp.%s", f->domain);
			lookup(j, W_TLSA, 0, name, LDNS_RR_TYPE_TLSA);
		}
		lookup_into(
		    j, W_CAA, f->domain, LDNS_RR_TYPE_CAA, &f->caa, NULL);
	} else {
		f->ports[0] = 25;
		f->nports = 1;
		lookup(j, W_MX, 0, f->domain, LDNS_RR_TYPE_MX);
		nh_mailauth_start(j);
	}
	lookup(j, W_AAAA, 0, f->domain, LDNS_RR_TYPE_AAAA);
	lookup(j, W_A, 0, f->domain, LDNS_RR_TYPE_A);
	nh_job_step_done(j);
}
