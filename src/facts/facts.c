/*
 * facts.c: allocation and release of facts, and the names of their enums.
 */
#include <stdlib.h>
#include <string.h>

#include "facts.h"

struct nh_facts *
nh_facts_new(const char *domain, enum nh_test_type type)
{
	struct nh_facts *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	if ((f->domain = strdup(domain)) == NULL) {
		free(f);
		return NULL;
	}
	f->type = type;
	return f;
}

void
nh_fact_lookup_clear(struct nh_fact_lookup *l)
{
	free(l->error);
	free(l->why_bogus);
	memset(l, 0, sizeof(*l));
}

void
nh_fact_dnssec_clear(struct nh_fact_dnssec *d)
{
	free(d->name);
	free(d->zone);
	nh_fact_lookup_clear(&d->soa);
	nh_fact_lookup_clear(&d->dnskey_lookup);
	nh_fact_lookup_clear(&d->ds_lookup);
	free(d->dnskeys);
	free(d->ds);
	memset(d, 0, sizeof(*d));
}

void
nh_fact_caa_clear(struct nh_fact_caa *c)
{
	for (size_t i = 0; i < c->nrrs; i++) {
		free(c->rrs[i].tag);
		free(c->rrs[i].value);
	}
	free(c->rrs);
	free(c->found_at);
	nh_fact_lookup_clear(&c->lookup);
	memset(c, 0, sizeof(*c));
}

void
nh_fact_mx_clear(struct nh_fact_mx *m)
{
	free(m->name);
	nh_fact_lookup_clear(&m->a);
	nh_fact_lookup_clear(&m->aaaa);
	free(m->addrs);
	nh_fact_dnssec_clear(&m->dnssec);
	nh_fact_caa_clear(&m->caa);
	free(m->ns_zone);
	for (size_t i = 0; i < m->nnsaddrs; i++)
		free(m->nsaddrs[i].name);
	free(m->nsaddrs);
	memset(m, 0, sizeof(*m));
}

void
nh_fact_cert_clear(struct nh_fact_cert *c)
{
	free(c->subject);
	free(c->issuer);
	free(c->key_type);
	free(c->curve);
	free(c->sig_alg);
	free(c->not_after);
	memset(c, 0, sizeof(*c));
}

unsigned
nh_fact_tls_best(const struct nh_fact_tls *t)
{
	unsigned best = 0;

	for (size_t i = 0; i < NH_TLS_NVERSIONS; i++) {
		if (t->versions[i].probed == NH_PROBE_OK &&
		    t->versions[i].version > best)
			best = t->versions[i].version;
	}
	return best;
}

bool
nh_fact_tls_accepted(const struct nh_fact_tls *t, unsigned version)
{
	for (size_t i = 0; i < NH_TLS_NVERSIONS; i++) {
		if (t->versions[i].version == version)
			return t->versions[i].probed == NH_PROBE_OK;
	}
	return false;
}

void
nh_fact_tls_clear(struct nh_fact_tls *t)
{
	free(t->sni);
	free(t->error);
	for (size_t i = 0; i < NH_TLS_NVERSIONS; i++)
		free(t->versions[i].error);
	free(t->handshake_error);
	free(t->verify_error);
	for (size_t i = 0; i < t->nchain; i++)
		nh_fact_cert_clear(&t->chain[i]);
	nh_fact_lookup_clear(&t->tlsa_lookup);
	for (size_t i = 0; i < t->ntlsa; i++)
		free(t->tlsa[i].data);
	free(t->dane_error);
	free(t->smtp.banner);
	free(t->smtp.error);
	memset(t, 0, sizeof(*t));
}

void
nh_fact_rrset_clear(struct nh_fact_rrset *r)
{
	free(r->name);
	nh_fact_lookup_clear(&r->lookup);
	for (size_t i = 0; i < r->ntxt; i++)
		free(r->txt[i]);
	free(r->txt);
	free(r->txt_len);
	memset(r, 0, sizeof(*r));
}

int
nh_fact_rrset_add_txt(struct nh_fact_rrset *r, char *txt, size_t len)
{
	if (r->ntxt >= NH_FACTS_MAX_TXT) {
		r->txt_dropped++;
		free(txt);
		return 0;
	}
	if (r->txt == NULL &&
	    ((r->txt = calloc(NH_FACTS_MAX_TXT, sizeof(*r->txt))) == NULL ||
		(r->txt_len = calloc(NH_FACTS_MAX_TXT, sizeof(*r->txt_len))) ==
		    NULL)) {
		free(r->txt);
		r->txt = NULL;
		free(txt);
		return -1;
	}
	r->txt[r->ntxt] = txt;
	r->txt_len[r->ntxt++] = len;
	return 0;
}

static void
mailauth_clear(struct nh_fact_mailauth *a)
{
	for (size_t i = 0; i < a->nspf; i++)
		nh_fact_rrset_clear(&a->spf[i]);
	nh_fact_rrset_clear(&a->dmarc);
	free(a->org_domain);
	nh_fact_rrset_clear(&a->dmarc_org);
	for (size_t i = 0; i < a->next; i++)
		nh_fact_rrset_clear(&a->ext[i]);
	nh_fact_rrset_clear(&a->dkim);
	nh_fact_rrset_clear(&a->mtasts);
	nh_fact_rrset_clear(&a->tlsrpt);
	free(a->policy_type);
	free(a->policy);
	free(a->policy_error);
	memset(a, 0, sizeof(*a));
}

static void
hop_clear(struct nh_fact_http_hop *h)
{
	free(h->url);
	free(h->location);
	free(h->error);
	memset(h, 0, sizeof(*h));
}

static void
page_clear(struct nh_fact_page *p)
{
	free(p->url);
	free(p->error);
	memset(p, 0, sizeof(*p));
}

void
nh_fact_sectxt_clear(struct nh_fact_sectxt *s)
{
	free(s->url);
	free(s->final_url);
	free(s->content_type);
	free(s->body);
	free(s->error);
	memset(s, 0, sizeof(*s));
}

void
nh_fact_http_clear(struct nh_fact_http *h)
{
	for (size_t i = 0; i < h->nhops; i++)
		hop_clear(&h->hops[i]);
	hop_clear(&h->https);
	for (size_t i = 0; i < NH_HDR_COUNT; i++) {
		for (size_t k = 0; k < h->headers[i].n; k++)
			free(h->headers[i].values[k]);
	}
	nh_fact_sectxt_clear(&h->sectxt);
	page_clear(&h->page_http);
	page_clear(&h->page_https);
	memset(h, 0, sizeof(*h));
}

static const char *const hdr_names[] = {
	[NH_HDR_HSTS] = "Strict-Transport-Security",
	[NH_HDR_XFO] = "X-Frame-Options",
	[NH_HDR_XCTO] = "X-Content-Type-Options",
	[NH_HDR_REFERRER] = "Referrer-Policy",
	[NH_HDR_CSP] = "Content-Security-Policy",
	[NH_HDR_ENCODING] = "Content-Encoding",
};

static void
ns_clear(struct nh_fact_ns *ns)
{
	free(ns->name);
	nh_fact_lookup_clear(&ns->a);
	nh_fact_lookup_clear(&ns->aaaa);
	for (size_t i = 0; i < ns->naddrs; i++)
		free(ns->addrs[i].error);
	free(ns->addrs);
	memset(ns, 0, sizeof(*ns));
}

void
nh_facts_free(struct nh_facts *f)
{
	if (f == NULL)
		return;
	free(f->domain);
	free(f->ns_zone);
	nh_fact_lookup_clear(&f->ns_lookup);
	for (size_t i = 0; i < f->nns; i++)
		ns_clear(&f->ns[i]);
	free(f->ns);
	nh_fact_lookup_clear(&f->a);
	nh_fact_lookup_clear(&f->aaaa);
	free(f->web);
	nh_fact_dnssec_clear(&f->dnssec);
	nh_fact_caa_clear(&f->caa);
	for (size_t i = 0; i < f->ntls; i++)
		nh_fact_tls_clear(&f->tls[i]);
	free(f->tls);
	for (size_t i = 0; i < f->nhttp; i++)
		nh_fact_http_clear(&f->http[i]);
	free(f->http);
	nh_fact_lookup_clear(&f->mx_lookup);
	for (size_t i = 0; i < f->nmx; i++)
		nh_fact_mx_clear(&f->mx[i]);
	free(f->mx);
	for (size_t i = 0; i < f->nmxtls; i++)
		nh_fact_tls_clear(&f->mxtls[i]);
	free(f->mxtls);
	mailauth_clear(&f->auth);
	for (size_t i = 0; i < f->rpki.naddrs; i++)
		free(f->rpki.addrs[i].server);
	free(f->rpki.addrs);
	free(f->rpki.why_not);
	free(f);
}

static const char *const lookup_names[] = {
	[NH_LOOKUP_NOT_DONE] = "not_done",
	[NH_LOOKUP_ANSWER] = "answer",
	[NH_LOOKUP_NODATA] = "nodata",
	[NH_LOOKUP_NXDOMAIN] = "nxdomain",
	[NH_LOOKUP_ERROR] = "error",
};

static const char *const sec_names[] = {
	[NH_SEC_UNKNOWN] = "unknown",
	[NH_SEC_INSECURE] = "insecure",
	[NH_SEC_SECURE] = "secure",
	[NH_SEC_BOGUS] = "bogus",
};

static const char *const probe_names[] = {
	[NH_PROBE_NOT_DONE] = "not_done",
	[NH_PROBE_OK] = "ok",
	[NH_PROBE_FAILED] = "failed",
};

static const char *const mx_status_names[] = {
	[NH_MX_NOT_DONE] = "not_done",
	[NH_MX_HAS_MX] = "has_mx",
	[NH_MX_NULL] = "null_mx",
	[NH_MX_NULL_WITH_OTHER] = "null_mx_with_other_mx",
	[NH_MX_NULL_WITHOUT_A] = "null_mx_without_a_aaaa",
	[NH_MX_NO_NULL_MX] = "no_null_mx",
	[NH_MX_NONE] = "no_mx",
	[NH_MX_ERROR] = "error",
};

#define NAME_OF(table, v) \
	((unsigned)(v) < sizeof(table) / sizeof(table[0]) ? table[v] : "?")

const char *
nh_lookup_name(enum nh_lookup l)
{
	return NAME_OF(lookup_names, l);
}

const char *
nh_sec_name(enum nh_sec s)
{
	return NAME_OF(sec_names, s);
}

const char *
nh_probe_name(enum nh_probe p)
{
	return NAME_OF(probe_names, p);
}

const char *
nh_hdr_name(enum nh_hdr h)
{
	return NAME_OF(hdr_names, h);
}

const char *
nh_mx_status_name(enum nh_mx_status s)
{
	return NAME_OF(mx_status_names, s);
}
