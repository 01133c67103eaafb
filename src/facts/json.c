/*
 * json.c: facts as JSON and back, for --from-facts and the store.
 *
 * The reader treats its input as untrusted: every member is type-checked,
 * strings are bounded (NH_FACTS_MAX_STR), arrays are capped as the probes
 * cap them, enum names must be known, and addresses must parse.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"

#define NH_FACTS_MAX_STR 4096

/* ---- writing ---- */

static int
put(json_t *o, const char *k, json_t *v)
{
	return v == NULL ? -1 : json_object_set_new(o, k, v);
}

static int
put_str(json_t *o, const char *k, const char *s)
{
	return s == NULL ? 0 : put(o, k, json_string(s));
}

static json_t *
lookup_json(const struct nh_fact_lookup *l)
{
	json_t *o = json_object();

	if (o == NULL ||
	    put(o, "result", json_string(nh_lookup_name(l->result))) == -1 ||
	    put(o, "sec", json_string(nh_sec_name(l->sec))) == -1 ||
	    put_str(o, "error", l->error) == -1 ||
	    put_str(o, "why_bogus", l->why_bogus) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
keys_json(const struct nh_fact_key *k, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < n; i++) {
		if (json_array_append_new(a,
			json_pack("{s:i, s:i, s:i, s:i}", "flags",
			    (int)k[i].flags, "algorithm", (int)k[i].algorithm,
			    "digest", (int)k[i].digest, "keytag",
			    (int)k[i].keytag)) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *
dnssec_json(const struct nh_fact_dnssec *d)
{
	json_t *o = json_object();

	if (o == NULL || put_str(o, "name", d->name) == -1 ||
	    put(o, "soa", lookup_json(&d->soa)) == -1 ||
	    put(o, "dnskey_lookup", lookup_json(&d->dnskey_lookup)) == -1 ||
	    put(o, "ds_lookup", lookup_json(&d->ds_lookup)) == -1 ||
	    put_str(o, "zone", d->zone) == -1 ||
	    put(o, "dnskeys", keys_json(d->dnskeys, d->ndnskeys)) == -1 ||
	    put(o, "ds", keys_json(d->ds, d->nds)) == -1 ||
	    put(o, "nsec3", json_boolean(d->nsec3)) == -1 ||
	    put(o, "nsec3_iterations", json_integer(d->nsec3_iterations)) ==
		-1 ||
	    put(o, "nsec3_salt_len", json_integer(d->nsec3_salt_len)) == -1 ||
	    put(o, "nsec3_flags", json_integer(d->nsec3_flags)) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
caa_json(const struct nh_fact_caa *c)
{
	json_t *o = json_object(), *rrs;

	if (o == NULL || put(o, "lookup", lookup_json(&c->lookup)) == -1 ||
	    put_str(o, "found_at", c->found_at) == -1 ||
	    put(o, "truncated", json_integer((json_int_t)c->truncated)) == -1 ||
	    put(o, "records", rrs = json_array()) == -1)
		goto fail;
	for (size_t i = 0; i < c->nrrs; i++) {
		if (json_array_append_new(rrs,
			json_pack("{s:i, s:s, s:s}", "flags",
			    (int)c->rrs[i].flags, "tag", c->rrs[i].tag, "value",
			    c->rrs[i].value)) == -1)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *
ports_json(const struct nh_fact_host_addr *h, size_t nports)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < nports; i++) {
		if (json_array_append_new(
			a, json_string(nh_probe_name(h->port[i]))) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *
hosts_json(const struct nh_fact_host_addr *h, size_t n, size_t nports)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < n; i++) {
		json_t *o = json_object();

		if (json_array_append_new(a, o) == -1 ||
		    put(o, "ip", json_string(h[i].ip)) == -1 ||
		    put(o, "ports", ports_json(&h[i], nports)) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *
ns_json(const struct nh_fact_ns *ns)
{
	json_t *o = json_object(), *addrs;

	if (o == NULL || put(o, "name", json_string(ns->name)) == -1 ||
	    put(o, "a", lookup_json(&ns->a)) == -1 ||
	    put(o, "aaaa", lookup_json(&ns->aaaa)) == -1 ||
	    put(o, "mapped_ignored",
		json_integer((json_int_t)ns->mapped_ignored)) == -1 ||
	    put(o, "addresses", addrs = json_array()) == -1)
		goto fail;
	for (size_t i = 0; i < ns->naddrs; i++) {
		const struct nh_fact_ns_addr *a = &ns->addrs[i];
		json_t *x = json_object();

		if (json_array_append_new(addrs, x) == -1 ||
		    put(x, "ip", json_string(a->ip)) == -1 ||
		    put(x, "answered",
			json_string(nh_probe_name(a->answered))) == -1 ||
		    put(x, "tcp", json_boolean(a->tcp)) == -1 ||
		    put(x, "rcode", json_integer(a->rcode)) == -1 ||
		    put(x, "aa", json_boolean(a->aa)) == -1 ||
		    put(x, "ms", json_real(a->ms)) == -1 ||
		    put_str(x, "error", a->error) == -1)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *
mx_json(const struct nh_fact_mx *m, size_t nports)
{
	json_t *o = json_object();

	if (o == NULL || put(o, "name", json_string(m->name)) == -1 ||
	    put(o, "preference", json_integer(m->preference)) == -1 ||
	    put(o, "a", lookup_json(&m->a)) == -1 ||
	    put(o, "aaaa", lookup_json(&m->aaaa)) == -1 ||
	    put(o, "mapped_ignored",
		json_integer((json_int_t)m->mapped_ignored)) == -1 ||
	    put(o, "addresses", hosts_json(m->addrs, m->naddrs, nports)) ==
		-1 ||
	    put(o, "dnssec", dnssec_json(&m->dnssec)) == -1 ||
	    put(o, "caa", caa_json(&m->caa)) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
nh_facts_to_json(const struct nh_facts *f)
{
	json_t *o = json_object(), *ns, *mx, *ports;

	if (o == NULL || put(o, "domain", json_string(f->domain)) == -1 ||
	    put(o, "type", json_string(nh_test_type_name(f->type))) == -1 ||
	    put_str(o, "ns_zone", f->ns_zone) == -1 ||
	    put(o, "ns_lookup", lookup_json(&f->ns_lookup)) == -1 ||
	    put(o, "ns_truncated", json_integer((json_int_t)f->ns_truncated)) ==
		-1 ||
	    put(o, "ns", ns = json_array()) == -1 ||
	    put(o, "a", lookup_json(&f->a)) == -1 ||
	    put(o, "aaaa", lookup_json(&f->aaaa)) == -1 ||
	    put(o, "ports", ports = json_array()) == -1 ||
	    put(o, "web_mapped_ignored",
		json_integer((json_int_t)f->web_mapped_ignored)) == -1 ||
	    put(o, "web", hosts_json(f->web, f->nweb, f->nports)) == -1 ||
	    put(o, "dnssec", dnssec_json(&f->dnssec)) == -1 ||
	    put(o, "caa", caa_json(&f->caa)) == -1 ||
	    put(o, "mx_status", json_string(nh_mx_status_name(f->mx_status))) ==
		-1 ||
	    put(o, "mx_lookup", lookup_json(&f->mx_lookup)) == -1 ||
	    put(o, "mx_truncated", json_integer((json_int_t)f->mx_truncated)) ==
		-1 ||
	    put(o, "spf_dash_all", json_boolean(f->spf_dash_all)) == -1 ||
	    put(o, "mx", mx = json_array()) == -1)
		goto fail;
	for (size_t i = 0; i < f->nports; i++) {
		if (json_array_append_new(ports, json_integer(f->ports[i])) ==
		    -1)
			goto fail;
	}
	for (size_t i = 0; i < f->nns; i++) {
		if (json_array_append_new(ns, ns_json(&f->ns[i])) == -1)
			goto fail;
	}
	for (size_t i = 0; i < f->nmx; i++) {
		if (json_array_append_new(mx, mx_json(&f->mx[i], f->nports)) ==
		    -1)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* ---- reading ---- */

/* A reading context: the first error wins. */
struct rd {
	const char *why;
};

static const json_t *
member(struct rd *r, const json_t *o, const char *k, json_type t, bool required)
{
	const json_t *v = json_object_get(o, k);

	if (v == NULL || json_is_null(v)) {
		if (required && r->why == NULL)
			r->why = "a required member is missing";
		return NULL;
	}
	if (json_typeof(v) != t && !(t == JSON_REAL && json_is_integer(v)) &&
	    !(t == JSON_TRUE && json_is_boolean(v))) {
		if (r->why == NULL)
			r->why = "a member has the wrong type";
		return NULL;
	}
	return v;
}

static char *
rd_str(struct rd *r, const json_t *o, const char *k, bool required)
{
	const json_t *v = member(r, o, k, JSON_STRING, required);
	char *s;

	if (v == NULL)
		return NULL;
	if (json_string_length(v) > NH_FACTS_MAX_STR ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		r->why = "a string is too long or holds NUL";
		return NULL;
	}
	if ((s = strdup(json_string_value(v))) == NULL)
		r->why = "out of memory";
	return s;
}

static unsigned
rd_uint(struct rd *r, const json_t *o, const char *k, unsigned max)
{
	const json_t *v = member(r, o, k, JSON_INTEGER, false);
	json_int_t x;

	if (v == NULL)
		return 0;
	x = json_integer_value(v);
	if (x < 0 || x > (json_int_t)max) {
		r->why = "a number is out of range";
		return 0;
	}
	return (unsigned)x;
}

static bool
rd_bool(struct rd *r, const json_t *o, const char *k)
{
	const json_t *v = member(r, o, k, JSON_TRUE, false);

	return v != NULL && json_is_true(v);
}

/* The index of `name` in `names`, or -1 (and an error). */
static int
rd_enum(struct rd *r, const json_t *o, const char *k,
    const char *(*name_of)(int), int n)
{
	const json_t *v = member(r, o, k, JSON_STRING, false);

	if (v == NULL)
		return 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(name_of(i), json_string_value(v)) == 0)
			return i;
	}
	r->why = "an unknown enum value";
	return 0;
}

static const char *
lookup_name_i(int i)
{
	return nh_lookup_name((enum nh_lookup)i);
}

static const char *
sec_name_i(int i)
{
	return nh_sec_name((enum nh_sec)i);
}

static const char *
probe_name_i(int i)
{
	return nh_probe_name((enum nh_probe)i);
}

static const char *
mx_status_name_i(int i)
{
	return nh_mx_status_name((enum nh_mx_status)i);
}

static void
rd_lookup(
    struct rd *r, const json_t *o, const char *k, struct nh_fact_lookup *l)
{
	const json_t *v = member(r, o, k, JSON_OBJECT, false);

	if (v == NULL)
		return;
	l->result = (enum nh_lookup)rd_enum(
	    r, v, "result", lookup_name_i, NH_LOOKUP_ERROR + 1);
	l->sec =
	    (enum nh_sec)rd_enum(r, v, "sec", sec_name_i, NH_SEC_BOGUS + 1);
	l->error = rd_str(r, v, "error", false);
	l->why_bogus = rd_str(r, v, "why_bogus", false);
}

/* Reads an IP address into buf; returns its family, 0 on error. */
static int
rd_ip(struct rd *r, const json_t *o, char buf[NH_IP_TEXT])
{
	const json_t *v = member(r, o, "ip", JSON_STRING, true);
	unsigned char bin[16];

	if (v == NULL)
		return 0;
	if (json_string_length(v) >= NH_IP_TEXT) {
		r->why = "a bad IP address";
		return 0;
	}
	strcpy(buf, json_string_value(v));
	if (inet_pton(AF_INET, buf, bin) == 1)
		return 4;
	if (inet_pton(AF_INET6, buf, bin) == 1)
		return 6;
	r->why = "a bad IP address";
	return 0;
}

/* The array at o[k], at most `max` long (NULL when absent). */
static const json_t *
rd_array(struct rd *r, const json_t *o, const char *k, size_t max)
{
	const json_t *a = member(r, o, k, JSON_ARRAY, false);

	if (a != NULL && json_array_size(a) > max) {
		r->why = "an array is longer than the probes allow";
		return NULL;
	}
	return a;
}

static void *
rd_calloc(struct rd *r, size_t n, size_t size)
{
	void *p;

	if (n == 0)
		return NULL;
	if ((p = calloc(n, size)) == NULL)
		r->why = "out of memory";
	return p;
}

static void
rd_keys(struct rd *r, const json_t *o, const char *k, struct nh_fact_key **out,
    size_t *n)
{
	const json_t *a = rd_array(r, o, k, NH_FACTS_MAX_RRS), *v;
	size_t i;

	if (a == NULL ||
	    (*out = rd_calloc(r, json_array_size(a), sizeof(**out))) == NULL)
		return;
	json_array_foreach(a, i, v)
	{
		if (!json_is_object(v)) {
			r->why = "a key is not an object";
			return;
		}
		(*out)[i].flags = rd_uint(r, v, "flags", 65535);
		(*out)[i].algorithm = rd_uint(r, v, "algorithm", 255);
		(*out)[i].digest = rd_uint(r, v, "digest", 255);
		(*out)[i].keytag = rd_uint(r, v, "keytag", 65535);
		(*n)++;
	}
}

static void
rd_dnssec(
    struct rd *r, const json_t *o, const char *k, struct nh_fact_dnssec *d)
{
	const json_t *v = member(r, o, k, JSON_OBJECT, false);

	if (v == NULL)
		return;
	d->name = rd_str(r, v, "name", false);
	rd_lookup(r, v, "soa", &d->soa);
	rd_lookup(r, v, "dnskey_lookup", &d->dnskey_lookup);
	rd_lookup(r, v, "ds_lookup", &d->ds_lookup);
	d->zone = rd_str(r, v, "zone", false);
	rd_keys(r, v, "dnskeys", &d->dnskeys, &d->ndnskeys);
	rd_keys(r, v, "ds", &d->ds, &d->nds);
	d->nsec3 = rd_bool(r, v, "nsec3");
	d->nsec3_iterations = rd_uint(r, v, "nsec3_iterations", 65535);
	d->nsec3_salt_len = rd_uint(r, v, "nsec3_salt_len", 255);
	d->nsec3_flags = rd_uint(r, v, "nsec3_flags", 255);
}

static void
rd_caa(struct rd *r, const json_t *o, const char *k, struct nh_fact_caa *c)
{
	const json_t *v = member(r, o, k, JSON_OBJECT, false), *a, *x;
	size_t i;

	if (v == NULL)
		return;
	rd_lookup(r, v, "lookup", &c->lookup);
	c->found_at = rd_str(r, v, "found_at", false);
	c->truncated = rd_uint(r, v, "truncated", 1u << 20);
	a = rd_array(r, v, "records", NH_FACTS_MAX_RRS);
	if (a == NULL ||
	    (c->rrs = rd_calloc(r, json_array_size(a), sizeof(*c->rrs))) ==
		NULL)
		return;
	json_array_foreach(a, i, x)
	{
		if (!json_is_object(x)) {
			r->why = "a CAA record is not an object";
			return;
		}
		c->nrrs++;
		c->rrs[i].flags = rd_uint(r, x, "flags", 255);
		c->rrs[i].tag = rd_str(r, x, "tag", true);
		c->rrs[i].value = rd_str(r, x, "value", true);
	}
}

static void
rd_hosts(struct rd *r, const json_t *o, const char *k, size_t nports,
    struct nh_fact_host_addr **out, size_t *n)
{
	const json_t *a = rd_array(r, o, k, 2 * NH_FACTS_MAX_ADDRS), *v, *p, *x;
	size_t i, j;

	if (a == NULL ||
	    (*out = rd_calloc(r, json_array_size(a), sizeof(**out))) == NULL)
		return;
	json_array_foreach(a, i, v)
	{
		struct nh_fact_host_addr *h = &(*out)[i];

		if (!json_is_object(v)) {
			r->why = "an address is not an object";
			return;
		}
		(*n)++;
		h->family = rd_ip(r, v, h->ip);
		p = rd_array(r, v, "ports", nports);
		json_array_foreach(p, j, x)
		{
			int e = -1;

			for (int s = 0;
			     json_is_string(x) && s <= NH_PROBE_FAILED; s++) {
				if (strcmp(nh_probe_name((enum nh_probe)s),
					json_string_value(x)) == 0)
					e = s;
			}
			if (e < 0) {
				r->why = "an unknown port state";
				return;
			}
			h->port[j] = (enum nh_probe)e;
		}
	}
}

static void
rd_ns(struct rd *r, const json_t *o, struct nh_facts *f)
{
	const json_t *a = rd_array(r, o, "ns", NH_FACTS_MAX_NS), *v, *aa, *x;
	size_t i, j;

	if (a == NULL ||
	    (f->ns = rd_calloc(r, json_array_size(a), sizeof(*f->ns))) == NULL)
		return;
	json_array_foreach(a, i, v)
	{
		struct nh_fact_ns *ns = &f->ns[i];

		if (!json_is_object(v)) {
			r->why = "a name server is not an object";
			return;
		}
		f->nns++;
		ns->name = rd_str(r, v, "name", true);
		rd_lookup(r, v, "a", &ns->a);
		rd_lookup(r, v, "aaaa", &ns->aaaa);
		ns->mapped_ignored = rd_uint(r, v, "mapped_ignored", 1u << 20);
		aa = rd_array(r, v, "addresses", 2 * NH_FACTS_MAX_ADDRS);
		if (aa == NULL ||
		    (ns->addrs = rd_calloc(
			 r, json_array_size(aa), sizeof(*ns->addrs))) == NULL)
			continue;
		json_array_foreach(aa, j, x)
		{
			struct nh_fact_ns_addr *na = &ns->addrs[j];
			const json_t *ms;

			if (!json_is_object(x)) {
				r->why = "an address is not an object";
				return;
			}
			ns->naddrs++;
			na->family = rd_ip(r, x, na->ip);
			na->answered = (enum nh_probe)rd_enum(r, x, "answered",
			    probe_name_i, NH_PROBE_FAILED + 1);
			na->tcp = rd_bool(r, x, "tcp");
			na->rcode = (int)rd_uint(r, x, "rcode", 4095);
			na->aa = rd_bool(r, x, "aa");
			if ((ms = member(r, x, "ms", JSON_REAL, false)) != NULL)
				na->ms = json_number_value(ms);
			na->error = rd_str(r, x, "error", false);
		}
	}
}

static void
rd_mx(struct rd *r, const json_t *o, struct nh_facts *f)
{
	const json_t *a = rd_array(r, o, "mx", NH_FACTS_MAX_MX), *v;
	size_t i;

	if (a == NULL ||
	    (f->mx = rd_calloc(r, json_array_size(a), sizeof(*f->mx))) == NULL)
		return;
	json_array_foreach(a, i, v)
	{
		struct nh_fact_mx *m = &f->mx[i];

		if (!json_is_object(v)) {
			r->why = "an MX is not an object";
			return;
		}
		f->nmx++;
		m->name = rd_str(r, v, "name", true);
		m->preference = rd_uint(r, v, "preference", 65535);
		rd_lookup(r, v, "a", &m->a);
		rd_lookup(r, v, "aaaa", &m->aaaa);
		m->mapped_ignored = rd_uint(r, v, "mapped_ignored", 1u << 20);
		rd_hosts(r, v, "addresses", f->nports, &m->addrs, &m->naddrs);
		rd_dnssec(r, v, "dnssec", &m->dnssec);
		rd_caa(r, v, "caa", &m->caa);
	}
}

struct nh_facts *
nh_facts_from_json(const json_t *j, const char **why)
{
	struct rd r = { NULL };
	struct nh_facts *f = NULL;
	const json_t *ports, *v;
	const char *domain_why;
	char *domain = NULL, *norm = NULL, *type = NULL;
	size_t i;

	if (!json_is_object(j)) {
		*why = "the facts are not a JSON object";
		return NULL;
	}
	domain = rd_str(&r, j, "domain", true);
	type = rd_str(&r, j, "type", true);
	if (r.why != NULL)
		goto out;
	if ((norm = nh_domain_normalize(domain, &domain_why)) == NULL) {
		r.why = "the domain is not a valid name";
		goto out;
	}
	if (strcmp(type, "web") != 0 && strcmp(type, "mail") != 0) {
		r.why = "the type is neither web nor mail";
		goto out;
	}
	f = nh_facts_new(
	    norm, strcmp(type, "mail") == 0 ? NH_TEST_MAIL : NH_TEST_WEB);
	if (f == NULL) {
		r.why = "out of memory";
		goto out;
	}
	f->ns_zone = rd_str(&r, j, "ns_zone", false);
	rd_lookup(&r, j, "ns_lookup", &f->ns_lookup);
	f->ns_truncated = rd_uint(&r, j, "ns_truncated", 1u << 20);
	rd_ns(&r, j, f);
	rd_lookup(&r, j, "a", &f->a);
	rd_lookup(&r, j, "aaaa", &f->aaaa);
	ports =
	    rd_array(&r, j, "ports", sizeof(f->ports) / sizeof(f->ports[0]));
	json_array_foreach(ports, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 65535) {
			r.why = "a bad port";
			goto out;
		}
		f->ports[f->nports++] = (unsigned)json_integer_value(v);
	}
	f->web_mapped_ignored = rd_uint(&r, j, "web_mapped_ignored", 1u << 20);
	rd_hosts(&r, j, "web", f->nports, &f->web, &f->nweb);
	rd_dnssec(&r, j, "dnssec", &f->dnssec);
	rd_caa(&r, j, "caa", &f->caa);
	f->mx_status = (enum nh_mx_status)rd_enum(
	    &r, j, "mx_status", mx_status_name_i, NH_MX_ERROR + 1);
	rd_lookup(&r, j, "mx_lookup", &f->mx_lookup);
	f->mx_truncated = rd_uint(&r, j, "mx_truncated", 1u << 20);
	f->spf_dash_all = rd_bool(&r, j, "spf_dash_all");
	rd_mx(&r, j, f);
out:
	free(domain);
	free(norm);
	free(type);
	if (r.why != NULL) {
		nh_facts_free(f);
		*why = r.why;
		return NULL;
	}
	return f;
}
