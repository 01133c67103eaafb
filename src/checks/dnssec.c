/*
 * dnssec.c: the DNSSEC checks (../shared/internetnl-catalog.md §1.2, §2.2)
 * and two Internet.nl lacks: the strength of the zone's algorithms and DS
 * digests (RFC 8624) and its NSEC3 parameters (RFC 9276).
 *
 * Validation is libunbound's, on the SOA of the name: secure, insecure
 * (unsigned, or an unsigned delegation), or bogus (signed but failing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks_impl.h"

/* Existence: a signed name (secure or bogus) passes. */
static enum nh_status
exist_status(const struct nh_fact_dnssec *d, const char **msg)
{
	switch (d->soa.sec) {
	case NH_SEC_SECURE:
		*msg = "the name is signed with DNSSEC";
		return NH_PASSED;
	case NH_SEC_BOGUS:
		*msg = "the name is signed with DNSSEC (but does not validate)";
		return NH_PASSED;
	case NH_SEC_INSECURE:
		*msg = "the name is not signed with DNSSEC";
		return NH_FAILED;
	case NH_SEC_UNKNOWN:
		break;
	}
	*msg = d->soa.error ? d->soa.error : "the SOA could not be looked up";
	return NH_ERROR;
}

/*
 * Validity: secure passes with full points, bogus fails with none. An
 * unsigned name is not tested; Internet.nl nevertheless awards 2 of 10
 * points (scoring.py WEB_DNSSEC_INSECURE), which nethealth gives only
 * with --internetnl-compat.
 */
static enum nh_status
valid_status(const struct nh_fact_dnssec *d, const struct nh_check_opts *o,
    int full, int *points, char *msg, size_t size)
{
	*points = 0;
	switch (d->soa.sec) {
	case NH_SEC_SECURE:
		*points = full;
		snprintf(msg, size, "the DNSSEC signatures are valid");
		return NH_PASSED;
	case NH_SEC_BOGUS:
		snprintf(msg, size, "the DNSSEC signatures do not validate: %s",
		    d->soa.why_bogus ? d->soa.why_bogus : "bogus");
		return NH_FAILED;
	case NH_SEC_INSECURE:
		*points = o->internetnl_compat ? 2 * full / 10 : 0;
		snprintf(msg, size, "not signed: nothing to validate");
		return NH_NOT_TESTED;
	case NH_SEC_UNKNOWN:
		break;
	}
	snprintf(msg, size, "%s",
	    d->soa.error ? d->soa.error : "the SOA could not be looked up");
	return NH_ERROR;
}

static json_t *
dnssec_evidence(const struct nh_fact_dnssec *d)
{
	return json_pack("{s:s*, s:s, s:s, s:s*}", "name", d->name, "lookup",
	    nh_lookup_name(d->soa.result), "security", nh_sec_name(d->soa.sec),
	    "why_bogus", d->soa.why_bogus);
}

/* A missing domain is an error for every DNSSEC check. */
static bool
domain_missing(
    const struct nh_fact_dnssec *d, struct nh_check_result *r, int *rc)
{
	if (d->soa.result != NH_LOOKUP_NXDOMAIN)
		return false;
	*rc = nh_check_result_set(r, NH_ERROR, 0, "the name does not exist");
	return true;
}

int
nh_check_dnssec_exist(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	const char *msg;
	enum nh_status st;
	int rc;

	(void)o;
	if (domain_missing(&f->dnssec, r, &rc))
		return rc;
	st = exist_status(&f->dnssec, &msg);
	r->evidence = dnssec_evidence(&f->dnssec);
	return nh_check_result_set(r, st, 0, msg);
}

int
nh_check_dnssec_valid(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	char msg[512];
	enum nh_status st;
	int points, rc;

	if (domain_missing(&f->dnssec, r, &rc))
		return rc;
	st = valid_status(
	    &f->dnssec, o, r->meta->points, &points, msg, sizeof(msg));
	r->evidence = dnssec_evidence(&f->dnssec);
	return nh_check_result_set(r, st, points, msg);
}

/* Mail DNSSEC is scored per server (domain, each MX): findings count. */
static int
server_exist(struct nh_check_result *r, const struct nh_fact_dnssec *d)
{
	const char *msg;
	enum nh_status st = exist_status(d, &msg);

	if (d->soa.result == NH_LOOKUP_NXDOMAIN) {
		st = NH_ERROR;
		msg = "the name does not exist";
	}
	return nh_check_result_add_server(
		   r, d->name, st, 0, msg, dnssec_evidence(d)) == NULL
	    ? -1
	    : 0;
}

static int
server_valid(struct nh_check_result *r, const struct nh_fact_dnssec *d,
    const struct nh_check_opts *o)
{
	char msg[512];
	int points;
	enum nh_status st =
	    valid_status(d, o, r->meta->points, &points, msg, sizeof(msg));

	if (d->soa.result == NH_LOOKUP_NXDOMAIN) {
		st = NH_ERROR;
		points = 0;
		snprintf(msg, sizeof(msg), "the name does not exist");
	}
	return nh_check_result_add_server(
		   r, d->name, st, points, msg, dnssec_evidence(d)) == NULL
	    ? -1
	    : 0;
}

int
nh_check_dnssec_mailto_exist(const struct nh_facts *f,
    const struct nh_check_opts *o, struct nh_check_result *r)
{
	(void)o;
	if (server_exist(r, &f->dnssec) == -1)
		return -1;
	return nh_check_summarize(r);
}

int
nh_check_dnssec_mailto_valid(const struct nh_facts *f,
    const struct nh_check_opts *o, struct nh_check_result *r)
{
	if (server_valid(r, &f->dnssec, o) == -1)
		return -1;
	return nh_check_summarize(r);
}

int
nh_check_dnssec_mx_exist(const struct nh_facts *f,
    const struct nh_check_opts *o, struct nh_check_result *r)
{
	(void)o;
	if (!nh_mx_applies(f))
		return nh_check_no_mx(f, r, false);
	for (size_t i = 0; i < f->nmx; i++) {
		if (server_exist(r, &f->mx[i].dnssec) == -1)
			return -1;
	}
	return nh_check_summarize(r);
}

int
nh_check_dnssec_mx_valid(const struct nh_facts *f,
    const struct nh_check_opts *o, struct nh_check_result *r)
{
	if (!nh_mx_applies(f))
		return nh_check_no_mx(f, r, false);
	for (size_t i = 0; i < f->nmx; i++) {
		if (server_valid(r, &f->mx[i].dnssec, o) == -1)
			return -1;
	}
	return nh_check_summarize(r);
}

/* RFC 8624 §3.1 (signing) and §3.3 (DS digests): what not to use. */
struct algo {
	unsigned number;
	const char *name;
	const char *advice; /* NULL: fine to use */
};

static const struct algo signing_algos[] = {
	{ 1, "RSAMD5", "MUST NOT be used" },
	{ 3, "DSA", "MUST NOT be used" },
	{ 5, "RSASHA1", "NOT RECOMMENDED (SHA-1)" },
	{ 6, "DSA-NSEC3-SHA1", "MUST NOT be used" },
	{ 7, "RSASHA1-NSEC3-SHA1", "NOT RECOMMENDED (SHA-1)" },
	{ 8, "RSASHA256", NULL },
	{ 10, "RSASHA512", "NOT RECOMMENDED" },
	{ 12, "ECC-GOST", "MUST NOT be used" },
	{ 13, "ECDSAP256SHA256", NULL },
	{ 14, "ECDSAP384SHA384", NULL },
	{ 15, "ED25519", NULL },
	{ 16, "ED448", NULL },
};

static const struct algo ds_digests[] = {
	{ 0, "NULL", "MUST NOT be used" },
	{ 1, "SHA-1", "MUST NOT be used" },
	{ 2, "SHA-256", NULL },
	{ 3, "GOST R 34.11-94", "MUST NOT be used" },
	{ 4, "SHA-384", NULL },
};

static const struct algo *
algo_find(const struct algo *t, size_t n, unsigned number)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i].number == number)
			return &t[i];
	}
	return NULL;
}

/* Adds a detail for one algorithm; counts the weak ones. */
static int
algo_detail(struct nh_check_result *r, const char *kind, const struct algo *t,
    size_t n, unsigned number, size_t *weak)
{
	const struct algo *a = algo_find(t, n, number);
	char label[64], msg[160];
	bool bad = a == NULL || a->advice != NULL;

	snprintf(label, sizeof(label), "%s %u", kind, number);
	snprintf(msg, sizeof(msg), "%s: %s (RFC 8624)", a ? a->name : "unknown",
	    a == NULL       ? "not in RFC 8624's tables"
		: a->advice ? a->advice
			    : "recommended");
	*weak += bad;
	return nh_check_result_add_detail(r, label,
		   bad ? NH_WARNING : NH_PASSED, msg,
		   json_pack("{s:s, s:i}", "kind", kind, "number",
		       (int)number)) == NULL
	    ? -1
	    : 0;
}

/* Whether `v` is among the first `i` of keys[].algorithm or .digest. */
static bool
seen_before(const struct nh_fact_key *keys, size_t i, unsigned v, bool digest)
{
	for (size_t k = 0; k < i; k++) {
		if ((digest ? keys[k].digest : keys[k].algorithm) == v)
			return true;
	}
	return false;
}

int
nh_check_dnssec_algorithms(const struct nh_facts *f,
    const struct nh_check_opts *o, struct nh_check_result *r)
{
	const struct nh_fact_dnssec *d = &f->dnssec;
	size_t weak = 0;

	(void)o;
	if (d->soa.sec != NH_SEC_SECURE && d->soa.sec != NH_SEC_BOGUS)
		return nh_check_result_set(
		    r, NH_NOT_TESTED, 0, "not signed: no algorithms to judge");
	if (d->dnskey_lookup.result != NH_LOOKUP_ANSWER)
		return nh_check_result_set(r, NH_ERROR, 0,
		    "the zone's DNSKEY "
		    "records could not be read");
	/* Each algorithm and each digest type once. */
	for (size_t i = 0; i < d->ndnskeys; i++) {
		if (!seen_before(
			d->dnskeys, i, d->dnskeys[i].algorithm, false) &&
		    algo_detail(r, "algorithm", signing_algos,
			sizeof(signing_algos) / sizeof(signing_algos[0]),
			d->dnskeys[i].algorithm, &weak) == -1)
			return -1;
	}
	for (size_t i = 0; i < d->nds; i++) {
		if (!seen_before(d->ds, i, d->ds[i].digest, true) &&
		    algo_detail(r, "DS digest", ds_digests,
			sizeof(ds_digests) / sizeof(ds_digests[0]),
			d->ds[i].digest, &weak) == -1)
			return -1;
	}
	if (weak > 0)
		return nh_check_result_set(r, NH_WARNING, 0,
		    "the zone uses "
		    "algorithms or DS digests that RFC 8624 advises against");
	return nh_check_result_set(r, NH_PASSED, 0,
	    "the zone's signing "
	    "algorithms and DS digests are ones RFC 8624 recommends");
}

int
nh_check_dnssec_nsec3(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	const struct nh_fact_dnssec *d = &f->dnssec;
	char msg[200];

	(void)o;
	if (d->soa.sec != NH_SEC_SECURE && d->soa.sec != NH_SEC_BOGUS)
		return nh_check_result_set(r, NH_NOT_TESTED, 0,
		    "not signed: no denial of existence to judge");
	r->evidence = json_pack("{s:b, s:i, s:i, s:i}", "nsec3", d->nsec3,
	    "iterations", (int)d->nsec3_iterations, "salt_length",
	    (int)d->nsec3_salt_len, "flags", (int)d->nsec3_flags);
	if (!d->nsec3)
		return nh_check_result_set(r, NH_PASSED, 0,
		    "the zone uses NSEC (no NSEC3 parameters to judge)");
	if (d->nsec3_iterations > 0 || d->nsec3_salt_len > 0) {
		snprintf(msg, sizeof(msg),
		    "NSEC3 with %u extra iterations and "
		    "a %u-byte salt; RFC 9276 §3.1 asks for 0 and none",
		    d->nsec3_iterations, d->nsec3_salt_len);
		return nh_check_result_set(r, NH_WARNING, 0, msg);
	}
	return nh_check_result_set(r, NH_PASSED, 0,
	    "NSEC3 with 0 extra iterations and no salt (RFC 9276)");
}
