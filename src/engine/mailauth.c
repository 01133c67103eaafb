/*
 * mailauth.c: the DNS (and one HTTPS) steps of the mail test's
 * authentication and transport-policy checks (../shared/internetnl-catalog.md
 * §2.3; RFC 7208, RFC 7489, RFC 8461, RFC 8460):
 *
 *   - SPF: the domain's TXT, then every name its policy makes a receiver
 *     look up (include and redirect targets' TXT, a and exists targets'
 *     addresses, mx targets' MX), in turn, as nh_spf_queries() lists them,
 *     each name and type once, at most NH_FACTS_MAX_SPF;
 *   - DMARC: _dmarc.domain, and when it has no DMARC record,
 *     _dmarc.<organizational domain> (libpsl); then, for each report
 *     address outside the organizational domain,
 *     <domain>._report._dmarc.<host> (RFC 7489 §7.1);
 *   - DKIM: _domainkey.domain (Internet.nl's test: NOERROR or NXDOMAIN);
 *   - MTA-STS: _mta-sts.domain, and when it holds a record, the policy at
 *     https://mta-sts.domain/.well-known/mta-sts.txt (redirects not
 *     followed, RFC 8461 §3.3), its address found with the engine's
 *     resolver;
 *   - TLS-RPT: _smtp._tls.domain.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpsl.h>

#include "dns/dns.h"
#include "engine_impl.h"
#include "http/http.h"
#include "webpol/webpol.h"

enum kind {
	K_SPF,       /* a name of the SPF policy */
	K_DMARC,     /* _dmarc.domain */
	K_DMARC_ORG, /* _dmarc.<org> */
	K_EXT,       /* <domain>._report._dmarc.<host> */
	K_PLAIN,     /* DKIM, MTA-STS, TLS-RPT: stored, nothing follows */
	K_MTASTS,    /* _mta-sts.domain: the policy may follow */
	K_POLICY_A,  /* the address of mta-sts.domain */
};

/* One lookup in flight. */
struct astep {
	struct job *job;
	enum kind kind;
	struct nh_fact_rrset *set;
	uint16_t qtype; /* the type asked (A set: A, then AAAA) */
	bool second;    /* the AAAA half of an A set */
};

static void on_answer(const struct nh_dns_answer *a, void *arg);

static void
ask(struct job *j, enum kind kind, struct nh_fact_rrset *set, uint16_t qtype,
    bool second)
{
	struct astep *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		nh_job_oom(j);
		return;
	}
	s->job = j;
	s->kind = kind;
	s->set = set;
	s->qtype = qtype;
	s->second = second;
	j->pending++;
	if (nh_dns_resolve(j->e->dns, set->name, qtype, on_answer, s) == NULL) {
		free(s);
		j->pending--;
		nh_job_oom(j);
	}
}

/* Starts the lookup of a set: name (copied) and type. */
static void
lookup_set(struct job *j, enum kind kind, struct nh_fact_rrset *set,
    const char *name, unsigned type)
{
	if ((set->name = strdup(name)) == NULL) {
		nh_job_oom(j);
		return;
	}
	set->type = type;
	ask(j, kind, set, type == 1 ? LDNS_RR_TYPE_A : (uint16_t)type, false);
}

/* The DMARC records of a TXT set (as Internet.nl counts them). */
static size_t
dmarc_records(
    const struct nh_fact_rrset *s, const char **first, size_t *first_len)
{
	size_t n = 0;

	for (size_t i = 0; i < s->ntxt; i++) {
		if (!nh_dmarc_is_record(s->txt[i], s->txt_len[i]))
			continue;
		if (n++ == 0 && first != NULL) {
			*first = s->txt[i];
			*first_len = s->txt_len[i];
		}
	}
	return n;
}

/* The organizational domain of a name (RFC 7489 §3.2), lower case. */
static char *
org_domain(const char *name)
{
	static const psl_ctx_t *psl;
	const char *reg;

	if (psl == NULL && (psl = psl_latest(NULL)) == NULL)
		psl = psl_builtin();
	reg = psl != NULL ? psl_registrable_domain(psl, name) : NULL;
	return strdup(reg != NULL ? reg : name);
}

/* External report addresses of the DMARC record: ask whether each host
 * agreed to receive reports for the domain. */
static void
dmarc_external(struct job *j, const char *rec, size_t len)
{
	struct nh_fact_mailauth *a = &j->f->auth;
	struct nh_webpol_result r;
	struct nh_dmarc d;
	char host[256], name[600];

	nh_dmarc_parse(rec, len, &d, &r);
	for (size_t i = 0; i < d.nrua + d.nruf; i++) {
		const char *uri = i < d.nrua ? d.rua[i] : d.ruf[i - d.nrua];
		char *org;
		bool same, seen = false;

		if (!nh_dmarc_uri_host(uri, host, sizeof(host)) ||
		    (org = org_domain(host)) == NULL)
			continue;
		same = a->org_domain != NULL && strcmp(org, a->org_domain) == 0;
		free(org);
		snprintf(name, sizeof(name), "%s._report._dmarc.%s",
		    j->f->domain, host);
		for (size_t k = 0; k < a->next; k++)
			seen = seen || strcmp(a->ext[k].name, name) == 0;
		if (same || seen)
			continue;
		if (a->next == NH_FACTS_MAX_EXT)
			break;
		lookup_set(j, K_EXT, &a->ext[a->next++], name, 16);
	}
}

/* The SPF record of a TXT set, or NULL. */
static const char *
spf_record(const struct nh_fact_rrset *s)
{
	const char *rec = NULL;

	for (size_t i = 0; i < s->ntxt; i++) {
		if (nh_spf_is_record(s->txt[i])) {
			if (rec != NULL)
				return NULL; /* more than one: permerror */
			rec = s->txt[i];
		}
	}
	return rec;
}

/* Asks for the names an SPF record makes a receiver look up. */
static void
spf_follow(struct job *j, const struct nh_fact_rrset *s)
{
	struct nh_fact_mailauth *a = &j->f->auth;
	struct nh_spf_query q[NH_FACTS_MAX_SPF];
	const char *rec = spf_record(s);
	size_t n;

	if (rec == NULL)
		return;
	n = nh_spf_queries(s->name, rec, q, NH_FACTS_MAX_SPF);
	for (size_t i = 0; i < n && i < NH_FACTS_MAX_SPF; i++) {
		unsigned type = q[i].type == NH_SPF_Q_TXT ? 16
		    : q[i].type == NH_SPF_Q_MX            ? 15
							  : 1;
		bool seen = false;

		for (size_t k = 0; k < a->nspf && !seen; k++)
			seen = a->spf[k].type == type &&
			    strcmp(a->spf[k].name, q[i].name) == 0;
		if (seen)
			continue;
		if (a->nspf == NH_FACTS_MAX_SPF) {
			a->spf_cut = true;
			return;
		}
		lookup_set(j, K_SPF, &a->spf[a->nspf++], q[i].name, type);
	}
}

/* The MTA-STS policy answered. */
static void
on_policy(struct nh_http_response *r, void *arg)
{
	struct job *j = arg;
	struct nh_fact_mailauth *a = &j->f->auth;

	if (r == NULL) {
		nh_job_oom(j);
		nh_job_step_done(j);
		return;
	}
	a->policy_got = r->status > 0 ? NH_PROBE_OK : NH_PROBE_FAILED;
	a->policy_status = r->status;
	a->policy_redirected = r->status >= 300 && r->status < 400;
	if (r->error != NULL)
		a->policy_error = strdup(r->error);
	if (nh_http_header(r, "Content-Type") != NULL)
		a->policy_type = strdup(nh_http_header(r, "Content-Type"));
	if (r->body != NULL && (a->policy = malloc(r->body_len + 1)) != NULL) {
		memcpy(a->policy, r->body, r->body_len);
		a->policy[r->body_len] = '\0';
		a->policy_len = r->body_len;
	}
	nh_http_response_free(r);
	nh_job_step_done(j);
}

/* Fetches the MTA-STS policy from ip. */
static void
fetch_policy(struct job *j, const char *ip)
{
	struct nh_http_request req = { 0 };
	char url[300];
	const char *err;

	snprintf(url, sizeof(url), "https://mta-sts.%s/.well-known/mta-sts.txt",
	    j->f->domain);
	req.url = url;
	req.pin_ip = ip;
	req.max_body = NH_MTASTS_MAX;
	/* RFC 8461 §3.3: only from a host with a valid certificate. */
	req.verify = true;
	req.ca_file = j->e->ca_file;
	req.timeout = j->e->http_timeout;
	j->pending++;
	if (nh_http_get(j->e->http, &req, on_policy, j, &err) == NULL) {
		j->f->auth.policy_got = NH_PROBE_FAILED;
		j->f->auth.policy_error = strdup(err);
		j->pending--;
	}
}

/* Merges the AAAA half of an A set into it: any address answers. */
static void
merge_second(
    struct nh_fact_rrset *set, const struct nh_fact_lookup *l, size_t count)
{
	if (count > 0 || set->lookup.result == NH_LOOKUP_NOT_DONE)
		set->lookup.result = count > 0 ? NH_LOOKUP_ANSWER : l->result;
	else if (set->lookup.result == NH_LOOKUP_NXDOMAIN &&
	    l->result != NH_LOOKUP_NXDOMAIN)
		set->lookup.result = l->result;
	if (l->result == NH_LOOKUP_ERROR && set->count == 0 && count == 0)
		set->lookup.result = NH_LOOKUP_ERROR;
	set->count += count;
}

/* Looks up mta-sts.<domain>: its IPv6 address first, then IPv4. */
static void
ask_policy_host(struct job *j)
{
	char name[300];

	snprintf(name, sizeof(name), "mta-sts.%s", j->f->domain);
	if (j->mtasts_host.name != NULL ||
	    (j->mtasts_host.name = strdup(name)) == NULL)
		return;
	ask(j, K_POLICY_A, &j->mtasts_host, LDNS_RR_TYPE_AAAA, false);
}

static void
on_answer(const struct nh_dns_answer *ans, void *arg)
{
	struct astep *s = arg;
	struct job *j = s->job;
	struct nh_fact_mailauth *a = &j->f->auth;
	struct nh_fact_rrset *set = s->set;
	struct nh_fact_lookup l = { 0 };
	size_t count = 0;

	if (nh_dns_lookup_fact(ans, &l) == -1)
		nh_job_oom(j);
	if (l.result == NH_LOOKUP_ANSWER && ans->pkt != NULL) {
		if (s->qtype == LDNS_RR_TYPE_TXT) {
			char *txt[64];
			size_t n = nh_dns_read_txt(ans->pkt, txt, 64);

			for (size_t i = 0; i < n; i++) {
				if (nh_fact_rrset_add_txt(
					set, txt[i], strlen(txt[i])) == -1)
					nh_job_oom(j);
			}
			count = n;
		} else if (s->qtype == LDNS_RR_TYPE_MX) {
			char *names[64];
			size_t trunc = 0,
			       n = nh_dns_read_hosts(ans->pkt, LDNS_RR_TYPE_MX,
				   names, NULL, 64, &trunc);

			if (n != (size_t)-1) {
				for (size_t i = 0; i < n; i++)
					free(names[i]);
				count = n + trunc;
			}
		} else {
			char ips[NH_FACTS_MAX_ADDRS][NH_IP_TEXT];
			size_t got = 0, mapped = 0, trunc = 0;

			nh_dns_read_addrs(ans->pkt, s->qtype, ips,
			    NH_FACTS_MAX_ADDRS, &got, &mapped, &trunc);
			count = got + trunc;
			if (s->kind == K_POLICY_A && got > 0) {
				fetch_policy(j, ips[0]);
				goto done;
			}
		}
		if (count == 0 && l.result == NH_LOOKUP_ANSWER)
			l.result = NH_LOOKUP_NODATA;
	}
	if (s->kind == K_POLICY_A) {
		/* No address of this family: try the other, then give up. */
		if (s->qtype == LDNS_RR_TYPE_AAAA)
			ask(j, K_POLICY_A, set, LDNS_RR_TYPE_A, true);
		else if (a->policy_error == NULL) {
			a->policy_got = NH_PROBE_FAILED;
			a->policy_error =
			    strdup("mta-sts.<domain> has no address");
		}
		goto done;
	}
	if (s->second) {
		merge_second(set, &l, count);
		goto done;
	}
	nh_fact_lookup_clear(&set->lookup);
	set->lookup = l;
	memset(&l, 0, sizeof(l));
	set->count = count;
	if (set->type == 1) {
		/* A set: the AAAA half too (RFC 7208 §5.3: a and exists
		 * look up the addresses of the connecting family; both are
		 * asked here, any answer counts). */
		ask(j, s->kind, set, LDNS_RR_TYPE_AAAA, true);
		goto done;
	}
	switch (s->kind) {
	case K_SPF:
		spf_follow(j, set);
		break;
	case K_DMARC: {
		const char *rec = NULL;
		size_t len = 0;

		if (dmarc_records(set, &rec, &len) == 1)
			dmarc_external(j, rec, len);
		else if (dmarc_records(set, NULL, NULL) == 0 &&
		    a->org_domain != NULL &&
		    strcmp(a->org_domain, j->f->domain) != 0) {
			char name[300];

			snprintf(
			    name, sizeof(name), "_dmarc.%s", a->org_domain);
			lookup_set(j, K_DMARC_ORG, &a->dmarc_org, name, 16);
		}
		break;
	}
	case K_DMARC_ORG: {
		const char *rec = NULL;
		size_t len = 0;

		if (dmarc_records(set, &rec, &len) == 1)
			dmarc_external(j, rec, len);
		break;
	}
	case K_MTASTS:
		for (size_t i = 0; i < set->ntxt; i++) {
			if (nh_mtasts_is_record(set->txt[i], set->txt_len[i])) {
				ask_policy_host(j);
				break;
			}
		}
		break;
	default:
		break;
	}
done:
	nh_fact_lookup_clear(&l);
	free(s);
	nh_job_step_done(j);
}

void
nh_mailauth_start(struct job *j)
{
	struct nh_facts *f = j->f;
	struct nh_fact_mailauth *a = &f->auth;
	char name[300];

	if ((a->org_domain = org_domain(f->domain)) == NULL)
		nh_job_oom(j);
	a->nspf = 1;
	lookup_set(j, K_SPF, &a->spf[0], f->domain, 16);
	snprintf(name, sizeof(name), "_dmarc.%s", f->domain);
	lookup_set(j, K_DMARC, &a->dmarc, name, 16);
	snprintf(name, sizeof(name), "_domainkey.%s", f->domain);
	lookup_set(j, K_PLAIN, &a->dkim, name, 16);
	snprintf(name, sizeof(name), "_mta-sts.%s", f->domain);
	lookup_set(j, K_MTASTS, &a->mtasts, name, 16);
	snprintf(name, sizeof(name), "_smtp._tls.%s", f->domain);
	lookup_set(j, K_PLAIN, &a->tlsrpt, name, 16);
}
