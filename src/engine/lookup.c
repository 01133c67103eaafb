/*
 * lookup.c: the addresses a test would connect to first, looked up before
 * it starts (a server that tests names for strangers refuses names that
 * lead into private networks, with a clear message, before any probe
 * runs): the domain's A and AAAA for a web test; the A and AAAA of each MX
 * host (at most NH_LOOKUP_MX) for a mail test.
 */
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "dns/dns.h"
#include "engine_impl.h"

#define NH_LOOKUP_MX 10

struct lookup {
	struct nh_engine *e;
	nh_engine_addrs_cb cb;
	void *arg;
	unsigned pending;  /* queries out */
	const char *error; /* the first failure, static */
	char addrs[NH_LOOKUP_MAX][NH_IP_TEXT];
	size_t n;
};

static void
finish(struct lookup *l)
{
	const char *v[NH_LOOKUP_MAX];

	for (size_t i = 0; i < l->n; i++)
		v[i] = l->addrs[i];
	l->cb(v, l->n, l->n == 0 ? l->error : NULL, l->arg);
	free(l);
}

static void
on_addrs(const struct nh_dns_answer *a, void *arg)
{
	struct lookup *l = arg;
	size_t n = 0, mapped = 0, truncated = 0;

	if (a->status != NH_DNS_OK)
		l->error = "the name server did not answer";
	else if (a->rcode == LDNS_RCODE_NXDOMAIN)
		l->error = "the name does not exist";
	else if (a->pkt != NULL) {
		nh_dns_read_addrs(a->pkt, a->type, l->addrs + l->n,
		    NH_LOOKUP_MAX - l->n, &n, &mapped, &truncated);
		l->n += n;
		/* A mapped address reaches IPv4: keep the refusal possible. */
		if (mapped > 0 && l->n < NH_LOOKUP_MAX)
			strcpy(l->addrs[l->n++], "::ffff:0.0.0.0");
	}
	if (--l->pending == 0)
		finish(l);
}

/* Asks A and AAAA of name; returns the queries started. */
static unsigned
ask_addrs(struct lookup *l, const char *name)
{
	unsigned n = 0;

	l->pending += 2;
	if (nh_dns_resolve(l->e->dns, name, LDNS_RR_TYPE_A, on_addrs, l) !=
	    NULL)
		n++;
	else
		l->pending--;
	if (nh_dns_resolve(l->e->dns, name, LDNS_RR_TYPE_AAAA, on_addrs, l) !=
	    NULL)
		n++;
	else
		l->pending--;
	return n;
}

static void
on_mx(const struct nh_dns_answer *a, void *arg)
{
	struct lookup *l = arg;
	char *hosts[NH_LOOKUP_MX];
	unsigned prefs[NH_LOOKUP_MX];
	size_t nh = 0, truncated = 0;

	if (a->status != NH_DNS_OK)
		l->error = "the name server did not answer";
	else if (a->rcode == LDNS_RCODE_NXDOMAIN)
		l->error = "the name does not exist";
	else if (a->pkt != NULL) {
		nh = nh_dns_read_hosts(a->pkt, LDNS_RR_TYPE_MX, hosts, prefs,
		    NH_LOOKUP_MX, &truncated);
		if (nh == (size_t)-1) {
			l->error = "out of memory";
			nh = 0;
		}
	}
	/* No MX (or a null MX): the test reaches no mail server; the
	 * domain's own addresses are still the implicit MX (RFC 5321). */
	if (nh == 0 && l->error == NULL)
		ask_addrs(l, a->name);
	for (size_t i = 0; i < nh; i++) {
		if (hosts[i][0] != '\0')
			ask_addrs(l, hosts[i]);
		free(hosts[i]);
	}
	if (--l->pending == 0)
		finish(l);
}

int
nh_engine_addresses(struct nh_engine *e, const char *domain,
    enum nh_test_type type, nh_engine_addrs_cb cb, void *arg)
{
	struct lookup *l;
	bool mail = type == NH_TEST_MAIL;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return -1;
	l->e = e;
	l->cb = cb;
	l->arg = arg;
	if (mail) {
		l->pending = 1;
		if (nh_dns_resolve(e->dns, domain, LDNS_RR_TYPE_MX, on_mx, l) ==
		    NULL) {
			free(l);
			return -1;
		}
		return 0;
	}
	if (ask_addrs(l, domain) == 0) {
		free(l);
		return -1;
	}
	return 0;
}
