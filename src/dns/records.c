/*
 * records.c: readers that turn answer packets into facts.
 *
 * Every reader walks the answer section of a packet that ldns parsed and
 * checks each record's type and rdata count before touching its fields: a
 * record whose rdata is not what its type promises is skipped. What is kept
 * is capped by the caller's limits.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

int
nh_dns_lookup_fact(const struct nh_dns_answer *a, struct nh_fact_lookup *out)
{
	nh_fact_lookup_clear(out);
	switch (a->status) {
	case NH_DNS_TIMEOUT:
	case NH_DNS_FAILED:
		out->result = NH_LOOKUP_ERROR;
		out->error = strdup(a->error ? a->error : "resolver failure");
		return out->error == NULL ? -1 : 0;
	case NH_DNS_OK:
		break;
	}
	out->sec = a->sec == NH_DNS_SECURE ? NH_SEC_SECURE
	    : a->sec == NH_DNS_BOGUS       ? NH_SEC_BOGUS
					   : NH_SEC_INSECURE;
	if (a->why_bogus != NULL &&
	    (out->why_bogus = strdup(a->why_bogus)) == NULL)
		return -1;
	if (a->rcode == LDNS_RCODE_NXDOMAIN) {
		out->result = NH_LOOKUP_NXDOMAIN;
	} else if (a->rcode != LDNS_RCODE_NOERROR || a->pkt == NULL) {
		out->result = NH_LOOKUP_ERROR;
		out->error = strdup(ldns_lookup_by_id(ldns_rcodes, a->rcode)
			? ldns_lookup_by_id(ldns_rcodes, a->rcode)->name
			: "error");
		if (out->error == NULL)
			return -1;
		/* A bogus answer is SERVFAIL to everyone else. */
		if (a->sec != NH_DNS_BOGUS)
			out->sec = NH_SEC_UNKNOWN;
	} else {
		ldns_rr_list *rrs = ldns_pkt_rr_list_by_type(
		    a->pkt, a->type, LDNS_SECTION_ANSWER);

		out->result = rrs != NULL && ldns_rr_list_rr_count(rrs) > 0
		    ? NH_LOOKUP_ANSWER
		    : NH_LOOKUP_NODATA;
		ldns_rr_list_deep_free(rrs);
	}
	return 0;
}

char *
nh_dns_name_text(const ldns_rdf *rdf)
{
	char *s, *p;
	size_t len;

	if (rdf == NULL || ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_DNAME ||
	    (s = ldns_rdf2str(rdf)) == NULL)
		return NULL;
	len = strlen(s);
	if (len > 1 && s[len - 1] == '.')
		s[len - 1] = '\0';
	for (p = s; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

/* The i-th record of the answer section if it has `type` and at least
 * `nrdf` rdata fields, else NULL. */
static const ldns_rr *
answer_rr(const ldns_pkt *pkt, size_t i, uint16_t type, size_t nrdf)
{
	const ldns_rr *rr = ldns_rr_list_rr(ldns_pkt_answer(pkt), i);

	if (rr == NULL || ldns_rr_get_type(rr) != type ||
	    ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN ||
	    ldns_rr_rd_count(rr) < nrdf)
		return NULL;
	for (size_t k = 0; k < nrdf; k++) {
		if (ldns_rr_rdf(rr, k) == NULL)
			return NULL;
	}
	return rr;
}

static size_t
answer_count(const ldns_pkt *pkt)
{
	return pkt == NULL ? 0 : ldns_rr_list_rr_count(ldns_pkt_answer(pkt));
}

void
nh_dns_read_addrs(const ldns_pkt *pkt, uint16_t type, char (*out)[NH_IP_TEXT],
    size_t max, size_t *n, size_t *mapped, size_t *truncated)
{
	for (size_t i = 0; i < answer_count(pkt); i++) {
		const ldns_rr *rr = answer_rr(pkt, i, type, 1);
		const ldns_rdf *rd;
		bool dup = false;

		if (rr == NULL)
			continue;
		rd = ldns_rr_rdf(rr, 0);
		if (type == LDNS_RR_TYPE_A) {
			if (ldns_rdf_get_type(rd) != LDNS_RDF_TYPE_A ||
			    ldns_rdf_size(rd) != 4)
				continue;
		} else {
			if (ldns_rdf_get_type(rd) != LDNS_RDF_TYPE_AAAA ||
			    ldns_rdf_size(rd) != 16)
				continue;
			if (IN6_IS_ADDR_V4MAPPED(
				(const struct in6_addr *)(const void *)
				    ldns_rdf_data(rd))) {
				(*mapped)++;
				continue;
			}
		}
		if (*n >= max) {
			(*truncated)++;
			continue;
		}
		if (inet_ntop(type == LDNS_RR_TYPE_A ? AF_INET : AF_INET6,
			ldns_rdf_data(rd), out[*n], NH_IP_TEXT) == NULL)
			continue;
		for (size_t k = 0; k < *n; k++)
			dup = dup || strcmp(out[k], out[*n]) == 0;
		if (!dup)
			(*n)++;
	}
}

size_t
nh_dns_read_hosts(const ldns_pkt *pkt, uint16_t type, char **names,
    unsigned *prefs, size_t max, size_t *truncated)
{
	size_t n = 0;
	size_t field = type == LDNS_RR_TYPE_MX ? 1 : 0;

	for (size_t i = 0; i < answer_count(pkt); i++) {
		const ldns_rr *rr = answer_rr(pkt, i, type, field + 1);
		char *name;

		if (rr == NULL)
			continue;
		if (n >= max) {
			(*truncated)++;
			continue;
		}
		if ((name = nh_dns_name_text(ldns_rr_rdf(rr, field))) == NULL)
			continue;
		if (prefs != NULL) {
			const ldns_rdf *p = ldns_rr_rdf(rr, 0);

			if (ldns_rdf_get_type(p) != LDNS_RDF_TYPE_INT16 ||
			    ldns_rdf_size(p) != 2) {
				free(name);
				continue;
			}
			prefs[n] = ldns_rdf2native_int16(p);
		}
		names[n++] = name;
	}
	return n;
}

/* The bytes of a CAA tag or value rdf, as a NUL-terminated string. */
static char *
rdf_bytes(const ldns_rdf *rd, size_t skip)
{
	size_t len = ldns_rdf_size(rd);
	char *s;

	if (len < skip)
		return NULL;
	len -= skip;
	if ((s = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(s, ldns_rdf_data(rd) + skip, len);
	s[len] = '\0';
	/* A NUL inside the value would cut it silently: refuse the record. */
	if (strlen(s) != len) {
		free(s);
		return NULL;
	}
	return s;
}

int
nh_dns_read_caa(const ldns_pkt *pkt, struct nh_fact_caa *c)
{
	size_t total = answer_count(pkt);

	if (total > 0 &&
	    (c->rrs =
		    calloc(total < NH_FACTS_MAX_RRS ? total : NH_FACTS_MAX_RRS,
			sizeof(*c->rrs))) == NULL)
		return -1;
	for (size_t i = 0; i < total; i++) {
		const ldns_rr *rr = answer_rr(pkt, i, LDNS_RR_TYPE_CAA, 3);
		const ldns_rdf *fl, *tag, *val;
		struct nh_fact_caa_rr *out;

		if (rr == NULL)
			continue;
		if (c->nrrs >= NH_FACTS_MAX_RRS) {
			c->truncated++;
			continue;
		}
		fl = ldns_rr_rdf(rr, 0);
		tag = ldns_rr_rdf(rr, 1);
		val = ldns_rr_rdf(rr, 2);
		if (ldns_rdf_size(fl) != 1 || ldns_rdf_size(tag) < 1)
			continue;
		out = &c->rrs[c->nrrs];
		out->flags = ldns_rdf_data(fl)[0];
		/* The tag rdf carries a length byte; the value is raw. */
		if ((out->tag = rdf_bytes(tag, 1)) == NULL)
			continue;
		if ((out->value = rdf_bytes(val, 0)) == NULL) {
			free(out->tag);
			out->tag = NULL;
			continue;
		}
		c->nrrs++;
	}
	return 0;
}

int
nh_dns_read_keys(
    const ldns_pkt *pkt, uint16_t type, struct nh_fact_key **keys, size_t *n)
{
	size_t total = answer_count(pkt);

	*n = 0;
	if (total > 0 &&
	    (*keys = calloc(total < NH_FACTS_MAX_RRS ? total : NH_FACTS_MAX_RRS,
		 sizeof(**keys))) == NULL)
		return -1;
	for (size_t i = 0; i < total && *n < NH_FACTS_MAX_RRS; i++) {
		/* DNSKEY: flags, protocol, algorithm, key; DS: tag, algorithm,
		 * digest type, digest. */
		const ldns_rr *rr = answer_rr(pkt, i, type, 4);
		struct nh_fact_key *k;

		if (rr == NULL)
			continue;
		k = &(*keys)[*n];
		if (type == LDNS_RR_TYPE_DNSKEY) {
			if (ldns_rdf_size(ldns_rr_rdf(rr, 0)) != 2 ||
			    ldns_rdf_size(ldns_rr_rdf(rr, 2)) != 1)
				continue;
			k->flags = ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));
			k->algorithm = ldns_rdf_data(ldns_rr_rdf(rr, 2))[0];
			k->keytag = ldns_calc_keytag(rr);
		} else {
			if (ldns_rdf_size(ldns_rr_rdf(rr, 0)) != 2 ||
			    ldns_rdf_size(ldns_rr_rdf(rr, 1)) != 1 ||
			    ldns_rdf_size(ldns_rr_rdf(rr, 2)) != 1)
				continue;
			k->keytag = ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));
			k->algorithm = ldns_rdf_data(ldns_rr_rdf(rr, 1))[0];
			k->digest = ldns_rdf_data(ldns_rr_rdf(rr, 2))[0];
		}
		(*n)++;
	}
	return 0;
}

void
nh_dns_read_nsec3param(const ldns_pkt *pkt, struct nh_fact_dnssec *d)
{
	for (size_t i = 0; i < answer_count(pkt); i++) {
		const ldns_rr *rr =
		    answer_rr(pkt, i, LDNS_RR_TYPE_NSEC3PARAM, 4);
		const ldns_rdf *salt;

		if (rr == NULL || ldns_rdf_size(ldns_rr_rdf(rr, 1)) != 1 ||
		    ldns_rdf_size(ldns_rr_rdf(rr, 2)) != 2)
			continue;
		salt = ldns_rr_rdf(rr, 3);
		d->nsec3 = true;
		d->nsec3_flags = ldns_rdf_data(ldns_rr_rdf(rr, 1))[0];
		d->nsec3_iterations = ldns_rdf2native_int16(ldns_rr_rdf(rr, 2));
		/* The salt rdf is length-prefixed. */
		d->nsec3_salt_len =
		    ldns_rdf_size(salt) > 0 ? ldns_rdf_data(salt)[0] : 0;
		return;
	}
}

#define NH_TXT_MAX 4096

size_t
nh_dns_read_txt(const ldns_pkt *pkt, char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < answer_count(pkt) && n < max; i++) {
		const ldns_rr *rr = answer_rr(pkt, i, LDNS_RR_TYPE_TXT, 1);
		char *s;
		size_t len = 0;
		bool bad = false;

		if (rr == NULL)
			continue;
		if ((s = malloc(NH_TXT_MAX + 1)) == NULL)
			break;
		for (size_t k = 0; k < ldns_rr_rd_count(rr) && !bad; k++) {
			const ldns_rdf *rd = ldns_rr_rdf(rr, k);
			size_t sl;

			/* A character-string: a length byte, then the bytes. */
			if (rd == NULL || ldns_rdf_size(rd) < 1 ||
			    (sl = ldns_rdf_data(rd)[0]) !=
				ldns_rdf_size(rd) - 1 ||
			    len + sl > NH_TXT_MAX ||
			    memchr(ldns_rdf_data(rd) + 1, '\0', sl) != NULL) {
				bad = true;
				break;
			}
			memcpy(s + len, ldns_rdf_data(rd) + 1, sl);
			len += sl;
		}
		if (bad) {
			free(s);
			continue;
		}
		s[len] = '\0';
		out[n++] = s;
	}
	return n;
}

size_t
nh_dns_read_tlsa(const ldns_pkt *pkt, struct nh_fact_tlsa *out, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	for (size_t i = 0; i < answer_count(pkt) && n < max; i++) {
		const ldns_rr *rr = answer_rr(pkt, i, LDNS_RR_TYPE_TLSA, 4);
		const ldns_rdf *d;
		char *s;

		if (rr == NULL || ldns_rdf_size(ldns_rr_rdf(rr, 0)) != 1 ||
		    ldns_rdf_size(ldns_rr_rdf(rr, 1)) != 1 ||
		    ldns_rdf_size(ldns_rr_rdf(rr, 2)) != 1)
			continue;
		d = ldns_rr_rdf(rr, 3);
		if (ldns_rdf_size(d) > 1024 ||
		    (s = malloc(2 * ldns_rdf_size(d) + 1)) == NULL)
			continue;
		for (size_t k = 0; k < ldns_rdf_size(d); k++) {
			s[2 * k] = hex[ldns_rdf_data(d)[k] >> 4];
			s[2 * k + 1] = hex[ldns_rdf_data(d)[k] & 15];
		}
		s[2 * ldns_rdf_size(d)] = '\0';
		out[n].usage = ldns_rdf_data(ldns_rr_rdf(rr, 0))[0];
		out[n].selector = ldns_rdf_data(ldns_rr_rdf(rr, 1))[0];
		out[n].mtype = ldns_rdf_data(ldns_rr_rdf(rr, 2))[0];
		out[n++].data = s;
	}
	return n;
}
