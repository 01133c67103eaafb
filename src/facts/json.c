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

#include "facts_impl.h"

/* ---- writing ---- */

int
fj_put(json_t *o, const char *k, json_t *v)
{
	return v == NULL ? -1 : json_object_set_new(o, k, v);
}

int
fj_put_str(json_t *o, const char *k, const char *s)
{
	return s == NULL ? 0 : fj_put(o, k, json_string(s));
}

json_t *
fj_lookup_json(const struct nh_fact_lookup *l)
{
	json_t *o = json_object();

	if (o == NULL ||
	    fj_put(o, "result", json_string(nh_lookup_name(l->result))) == -1 ||
	    fj_put(o, "sec", json_string(nh_sec_name(l->sec))) == -1 ||
	    fj_put_str(o, "error", l->error) == -1 ||
	    fj_put_str(o, "why_bogus", l->why_bogus) == -1) {
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

	if (o == NULL || fj_put_str(o, "name", d->name) == -1 ||
	    fj_put(o, "soa", fj_lookup_json(&d->soa)) == -1 ||
	    fj_put(o, "dnskey_lookup", fj_lookup_json(&d->dnskey_lookup)) ==
		-1 ||
	    fj_put(o, "ds_lookup", fj_lookup_json(&d->ds_lookup)) == -1 ||
	    fj_put_str(o, "zone", d->zone) == -1 ||
	    fj_put(o, "dnskeys", keys_json(d->dnskeys, d->ndnskeys)) == -1 ||
	    fj_put(o, "ds", keys_json(d->ds, d->nds)) == -1 ||
	    fj_put(o, "nsec3", json_boolean(d->nsec3)) == -1 ||
	    fj_put(o, "nsec3_iterations", json_integer(d->nsec3_iterations)) ==
		-1 ||
	    fj_put(o, "nsec3_salt_len", json_integer(d->nsec3_salt_len)) ==
		-1 ||
	    fj_put(o, "nsec3_flags", json_integer(d->nsec3_flags)) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
caa_json(const struct nh_fact_caa *c)
{
	json_t *o = json_object(), *rrs;

	if (o == NULL ||
	    fj_put(o, "lookup", fj_lookup_json(&c->lookup)) == -1 ||
	    fj_put_str(o, "found_at", c->found_at) == -1 ||
	    fj_put(o, "truncated", json_integer((json_int_t)c->truncated)) ==
		-1 ||
	    fj_put(o, "records", rrs = json_array()) == -1)
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
		    fj_put(o, "ip", json_string(h[i].ip)) == -1 ||
		    fj_put(o, "ports", ports_json(&h[i], nports)) == -1) {
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

	if (o == NULL || fj_put(o, "name", json_string(ns->name)) == -1 ||
	    fj_put(o, "a", fj_lookup_json(&ns->a)) == -1 ||
	    fj_put(o, "aaaa", fj_lookup_json(&ns->aaaa)) == -1 ||
	    fj_put(o, "mapped_ignored",
		json_integer((json_int_t)ns->mapped_ignored)) == -1 ||
	    fj_put(o, "addresses", addrs = json_array()) == -1)
		goto fail;
	for (size_t i = 0; i < ns->naddrs; i++) {
		const struct nh_fact_ns_addr *a = &ns->addrs[i];
		json_t *x = json_object();

		if (json_array_append_new(addrs, x) == -1 ||
		    fj_put(x, "ip", json_string(a->ip)) == -1 ||
		    fj_put(x, "answered",
			json_string(nh_probe_name(a->answered))) == -1 ||
		    fj_put(x, "tcp", json_boolean(a->tcp)) == -1 ||
		    fj_put(x, "rcode", json_integer(a->rcode)) == -1 ||
		    fj_put(x, "aa", json_boolean(a->aa)) == -1 ||
		    fj_put(x, "ms", json_real(a->ms)) == -1 ||
		    fj_put_str(x, "error", a->error) == -1)
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
	json_t *o = json_object(), *ns;

	if (o == NULL || fj_put(o, "name", json_string(m->name)) == -1 ||
	    fj_put(o, "preference", json_integer(m->preference)) == -1 ||
	    fj_put(o, "a", fj_lookup_json(&m->a)) == -1 ||
	    fj_put(o, "aaaa", fj_lookup_json(&m->aaaa)) == -1 ||
	    fj_put(o, "mapped_ignored",
		json_integer((json_int_t)m->mapped_ignored)) == -1 ||
	    fj_put(o, "addresses", hosts_json(m->addrs, m->naddrs, nports)) ==
		-1 ||
	    fj_put(o, "dnssec", dnssec_json(&m->dnssec)) == -1 ||
	    fj_put(o, "caa", caa_json(&m->caa)) == -1 ||
	    fj_put_str(o, "ns_zone", m->ns_zone) == -1 ||
	    fj_put(o, "ns_addresses", ns = json_array()) == -1)
		goto fail;
	for (size_t i = 0; i < m->nnsaddrs; i++) {
		if (json_array_append_new(ns,
			json_pack("{s:s, s:s}", "name", m->nsaddrs[i].name,
			    "ip", m->nsaddrs[i].ip)) == -1)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *
uints_json(const unsigned *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < n; i++) {
		if (json_array_append_new(a, json_integer(v[i])) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

json_t *
fj_probe_json(enum nh_probe p)
{
	return json_string(nh_probe_name(p));
}

static json_t *
cert_json(const struct nh_fact_cert *c)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:s*, s:s, s:s, s:b, s:b}",
	    "subject", c->subject ? c->subject : "", "issuer",
	    c->issuer ? c->issuer : "", "key_type",
	    c->key_type ? c->key_type : "", "key_bits", (int)c->key_bits,
	    "curve", c->curve, "sig_alg", c->sig_alg ? c->sig_alg : "",
	    "not_after", c->not_after ? c->not_after : "", "self_signed",
	    c->self_signed, "trusted_root", c->trusted_root);
}

static json_t *
smtp_json(const struct nh_fact_smtp *s)
{
	json_t *o = json_object();

	if (o == NULL ||
	    fj_put(o, "answered", fj_probe_json(s->answered)) == -1 ||
	    fj_put(o, "code", json_integer(s->code)) == -1 ||
	    fj_put_str(o, "banner", s->banner) == -1 ||
	    fj_put(o, "ehlo", json_boolean(s->ehlo)) == -1 ||
	    fj_put(o, "starttls", json_boolean(s->starttls)) == -1 ||
	    fj_put(o, "deferred", json_integer(s->deferred)) == -1 ||
	    fj_put_str(o, "error", s->error) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
nh_fact_tls_to_json(const struct nh_fact_tls *t)
{
	json_t *o = json_object(), *vs, *chain, *tlsa;

	if (o == NULL || fj_put(o, "ip", json_string(t->ip)) == -1 ||
	    fj_put(o, "port", json_integer(t->port)) == -1 ||
	    fj_put_str(o, "sni", t->sni) == -1 ||
	    fj_put(o, "reachable", fj_probe_json(t->reachable)) == -1 ||
	    fj_put_str(o, "error", t->error) == -1 ||
	    fj_put(o, "versions", vs = json_array()) == -1)
		goto fail;
	for (size_t i = 0; i < NH_TLS_NVERSIONS; i++) {
		const struct nh_fact_tls_version *v = &t->versions[i];
		json_t *x = json_object();

		if (json_array_append_new(vs, x) == -1 ||
		    fj_put(x, "version", json_integer(v->version)) == -1 ||
		    fj_put(x, "probed", fj_probe_json(v->probed)) == -1 ||
		    fj_put_str(x, "error", v->error) == -1 ||
		    fj_put(x, "suites", uints_json(v->suites, v->nsuites)) ==
			-1 ||
		    fj_put(x, "server_order", json_integer(v->server_order)) ==
			-1)
			goto fail;
	}
	if (fj_put(o, "groups12", uints_json(t->groups12, t->ngroups12)) ==
		-1 ||
	    fj_put(o, "groups13", uints_json(t->groups13, t->ngroups13)) ==
		-1 ||
	    fj_put(o, "dhe", json_boolean(t->dhe)) == -1 ||
	    fj_put(o, "dh_bits", json_integer(t->dh_bits)) == -1 ||
	    fj_put(o, "dh_g", json_integer(t->dh_g)) == -1 ||
	    fj_put(o, "dh_ffdhe", json_boolean(t->dh_ffdhe)) == -1 ||
	    fj_put(o, "kex_sha1", fj_probe_json(t->kex_sha1)) == -1 ||
	    fj_put(o, "kex_sha224", fj_probe_json(t->kex_sha224)) == -1 ||
	    fj_put(o, "compression", fj_probe_json(t->compression)) == -1 ||
	    fj_put(o, "secure_reneg", fj_probe_json(t->secure_reneg)) == -1 ||
	    fj_put(o, "ems", fj_probe_json(t->ems)) == -1 ||
	    fj_put(o, "handshake", fj_probe_json(t->handshake)) == -1 ||
	    fj_put_str(o, "handshake_error", t->handshake_error) == -1 ||
	    fj_put(o, "client_reneg", fj_probe_json(t->client_reneg)) == -1 ||
	    fj_put(o, "zero_rtt", fj_probe_json(t->zero_rtt)) == -1 ||
	    fj_put(o, "ocsp_url", json_boolean(t->ocsp_url)) == -1 ||
	    fj_put(o, "ocsp_stapled", fj_probe_json(t->ocsp_stapled)) == -1 ||
	    fj_put(o, "ocsp_valid", json_boolean(t->ocsp_valid)) == -1 ||
	    fj_put(o, "chain_from_probe", json_boolean(t->chain_from_probe)) ==
		-1 ||
	    fj_put(o, "chain_verified", json_boolean(t->chain_verified)) ==
		-1 ||
	    fj_put_str(o, "verify_error", t->verify_error) == -1 ||
	    fj_put(o, "name_matches", json_boolean(t->name_matches)) == -1 ||
	    fj_put(o, "chain", chain = json_array()) == -1 ||
	    fj_put(o, "tlsa_lookup", fj_lookup_json(&t->tlsa_lookup)) == -1 ||
	    fj_put(o, "tlsa", tlsa = json_array()) == -1 ||
	    fj_put(o, "dane", fj_probe_json(t->dane)) == -1 ||
	    fj_put_str(o, "dane_error", t->dane_error) == -1 ||
	    fj_put(o, "connections", json_integer(t->connections)) == -1 ||
	    fj_put(o, "sequential", json_integer(t->sequential)) == -1 ||
	    ((t->smtp.answered != NH_PROBE_NOT_DONE || t->smtp.error != NULL) &&
		fj_put(o, "smtp", smtp_json(&t->smtp)) == -1) ||
	    fj_put(o, "ms", json_real(t->ms)) == -1)
		goto fail;
	for (size_t i = 0; i < t->nchain; i++) {
		if (json_array_append_new(chain, cert_json(&t->chain[i])) == -1)
			goto fail;
	}
	for (size_t i = 0; i < t->ntlsa; i++) {
		if (json_array_append_new(tlsa,
			json_pack("{s:i, s:i, s:i, "
				  "s:s}",
			    "usage", (int)t->tlsa[i].usage, "selector",
			    (int)t->tlsa[i].selector, "mtype",
			    (int)t->tlsa[i].mtype, "data",
			    t->tlsa[i].data ? t->tlsa[i].data : "")) == -1)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *
tls_list_json(const struct nh_fact_tls *t, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < n; i++) {
		if (json_array_append_new(a, nh_fact_tls_to_json(&t[i])) ==
		    -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

json_t *
nh_facts_to_json(const struct nh_facts *f)
{
	json_t *o = json_object(), *ns, *mx, *ports;

	if (o == NULL || fj_put(o, "domain", json_string(f->domain)) == -1 ||
	    fj_put(o, "type", json_string(nh_test_type_name(f->type))) == -1 ||
	    fj_put_str(o, "ns_zone", f->ns_zone) == -1 ||
	    fj_put(o, "ns_lookup", fj_lookup_json(&f->ns_lookup)) == -1 ||
	    fj_put(o, "ns_truncated",
		json_integer((json_int_t)f->ns_truncated)) == -1 ||
	    fj_put(o, "ns", ns = json_array()) == -1 ||
	    fj_put(o, "a", fj_lookup_json(&f->a)) == -1 ||
	    fj_put(o, "aaaa", fj_lookup_json(&f->aaaa)) == -1 ||
	    fj_put(o, "ports", ports = json_array()) == -1 ||
	    fj_put(o, "web_mapped_ignored",
		json_integer((json_int_t)f->web_mapped_ignored)) == -1 ||
	    fj_put(o, "web", hosts_json(f->web, f->nweb, f->nports)) == -1 ||
	    fj_put(o, "dnssec", dnssec_json(&f->dnssec)) == -1 ||
	    fj_put(o, "caa", caa_json(&f->caa)) == -1 ||
	    fj_put(o, "tls", tls_list_json(f->tls, f->ntls)) == -1 ||
	    fj_put(o, "http", fj_http_list_json(f->http, f->nhttp)) == -1 ||
	    fj_put(o, "mx_tls", tls_list_json(f->mxtls, f->nmxtls)) == -1 ||
	    fj_put(o, "auth", fj_mailauth_json(&f->auth)) == -1 ||
	    fj_put(o, "rpki", fj_rpki_json(&f->rpki)) == -1 ||
	    fj_put(o, "mx_status",
		json_string(nh_mx_status_name(f->mx_status))) == -1 ||
	    fj_put(o, "mx_lookup", fj_lookup_json(&f->mx_lookup)) == -1 ||
	    fj_put(o, "mx_truncated",
		json_integer((json_int_t)f->mx_truncated)) == -1 ||
	    fj_put(o, "spf_dash_all", json_boolean(f->spf_dash_all)) == -1 ||
	    fj_put(o, "mx", mx = json_array()) == -1)
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

const json_t *
fj_member(
    struct rd *r, const json_t *o, const char *k, json_type t, bool required)
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

char *
fj_rd_str(struct rd *r, const json_t *o, const char *k, bool required)
{
	const json_t *v = fj_member(r, o, k, JSON_STRING, required);
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

unsigned
fj_rd_uint(struct rd *r, const json_t *o, const char *k, unsigned max)
{
	const json_t *v = fj_member(r, o, k, JSON_INTEGER, false);
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

bool
fj_rd_bool(struct rd *r, const json_t *o, const char *k)
{
	const json_t *v = fj_member(r, o, k, JSON_TRUE, false);

	return v != NULL && json_is_true(v);
}

/* The index of `name` in `names`, or -1 (and an error). */
static int
rd_enum(struct rd *r, const json_t *o, const char *k,
    const char *(*name_of)(int), int n)
{
	const json_t *v = fj_member(r, o, k, JSON_STRING, false);

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

void
fj_rd_lookup(
    struct rd *r, const json_t *o, const char *k, struct nh_fact_lookup *l)
{
	const json_t *v = fj_member(r, o, k, JSON_OBJECT, false);

	if (v == NULL)
		return;
	l->result = (enum nh_lookup)rd_enum(
	    r, v, "result", lookup_name_i, NH_LOOKUP_ERROR + 1);
	l->sec =
	    (enum nh_sec)rd_enum(r, v, "sec", sec_name_i, NH_SEC_BOGUS + 1);
	l->error = fj_rd_str(r, v, "error", false);
	l->why_bogus = fj_rd_str(r, v, "why_bogus", false);
}

/* Reads an IP address into buf; returns its family, 0 on error. */
int
fj_rd_ip(struct rd *r, const json_t *o, char buf[NH_IP_TEXT])
{
	const json_t *v = fj_member(r, o, "ip", JSON_STRING, true);
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
const json_t *
fj_rd_array(struct rd *r, const json_t *o, const char *k, size_t max)
{
	const json_t *a = fj_member(r, o, k, JSON_ARRAY, false);

	if (a != NULL && json_array_size(a) > max) {
		r->why = "an array is longer than the probes allow";
		return NULL;
	}
	return a;
}

void *
fj_rd_calloc(struct rd *r, size_t n, size_t size)
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
	const json_t *a = fj_rd_array(r, o, k, NH_FACTS_MAX_RRS), *v;
	size_t i;

	if (a == NULL ||
	    (*out = fj_rd_calloc(r, json_array_size(a), sizeof(**out))) == NULL)
		return;
	json_array_foreach(a, i, v)
	{
		if (!json_is_object(v)) {
			r->why = "a key is not an object";
			return;
		}
		(*out)[i].flags = fj_rd_uint(r, v, "flags", 65535);
		(*out)[i].algorithm = fj_rd_uint(r, v, "algorithm", 255);
		(*out)[i].digest = fj_rd_uint(r, v, "digest", 255);
		(*out)[i].keytag = fj_rd_uint(r, v, "keytag", 65535);
		(*n)++;
	}
}

static void
rd_dnssec(
    struct rd *r, const json_t *o, const char *k, struct nh_fact_dnssec *d)
{
	const json_t *v = fj_member(r, o, k, JSON_OBJECT, false);

	if (v == NULL)
		return;
	d->name = fj_rd_str(r, v, "name", false);
	fj_rd_lookup(r, v, "soa", &d->soa);
	fj_rd_lookup(r, v, "dnskey_lookup", &d->dnskey_lookup);
	fj_rd_lookup(r, v, "ds_lookup", &d->ds_lookup);
	d->zone = fj_rd_str(r, v, "zone", false);
	rd_keys(r, v, "dnskeys", &d->dnskeys, &d->ndnskeys);
	rd_keys(r, v, "ds", &d->ds, &d->nds);
	d->nsec3 = fj_rd_bool(r, v, "nsec3");
	d->nsec3_iterations = fj_rd_uint(r, v, "nsec3_iterations", 65535);
	d->nsec3_salt_len = fj_rd_uint(r, v, "nsec3_salt_len", 255);
	d->nsec3_flags = fj_rd_uint(r, v, "nsec3_flags", 255);
}

static void
rd_caa(struct rd *r, const json_t *o, const char *k, struct nh_fact_caa *c)
{
	const json_t *v = fj_member(r, o, k, JSON_OBJECT, false), *a, *x;
	size_t i;

	if (v == NULL)
		return;
	fj_rd_lookup(r, v, "lookup", &c->lookup);
	c->found_at = fj_rd_str(r, v, "found_at", false);
	c->truncated = fj_rd_uint(r, v, "truncated", 1u << 20);
	a = fj_rd_array(r, v, "records", NH_FACTS_MAX_RRS);
	if (a == NULL ||
	    (c->rrs = fj_rd_calloc(r, json_array_size(a), sizeof(*c->rrs))) ==
		NULL)
		return;
	json_array_foreach(a, i, x)
	{
		if (!json_is_object(x)) {
			r->why = "a CAA record is not an object";
			return;
		}
		c->nrrs++;
		c->rrs[i].flags = fj_rd_uint(r, x, "flags", 255);
		c->rrs[i].tag = fj_rd_str(r, x, "tag", true);
		c->rrs[i].value = fj_rd_str(r, x, "value", true);
	}
}

static void
rd_hosts(struct rd *r, const json_t *o, const char *k, size_t nports,
    struct nh_fact_host_addr **out, size_t *n)
{
	const json_t *a = fj_rd_array(r, o, k, 2 * NH_FACTS_MAX_ADDRS), *v, *p,
		     *x;
	size_t i, j;

	if (a == NULL ||
	    (*out = fj_rd_calloc(r, json_array_size(a), sizeof(**out))) == NULL)
		return;
	json_array_foreach(a, i, v)
	{
		struct nh_fact_host_addr *h = &(*out)[i];

		if (!json_is_object(v)) {
			r->why = "an address is not an object";
			return;
		}
		(*n)++;
		h->family = fj_rd_ip(r, v, h->ip);
		p = fj_rd_array(r, v, "ports", nports);
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
	const json_t *a = fj_rd_array(r, o, "ns", NH_FACTS_MAX_NS), *v, *aa, *x;
	size_t i, j;

	if (a == NULL ||
	    (f->ns = fj_rd_calloc(r, json_array_size(a), sizeof(*f->ns))) ==
		NULL)
		return;
	json_array_foreach(a, i, v)
	{
		struct nh_fact_ns *ns = &f->ns[i];

		if (!json_is_object(v)) {
			r->why = "a name server is not an object";
			return;
		}
		f->nns++;
		ns->name = fj_rd_str(r, v, "name", true);
		fj_rd_lookup(r, v, "a", &ns->a);
		fj_rd_lookup(r, v, "aaaa", &ns->aaaa);
		ns->mapped_ignored =
		    fj_rd_uint(r, v, "mapped_ignored", 1u << 20);
		aa = fj_rd_array(r, v, "addresses", 2 * NH_FACTS_MAX_ADDRS);
		if (aa == NULL ||
		    (ns->addrs = fj_rd_calloc(
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
			na->family = fj_rd_ip(r, x, na->ip);
			na->answered = (enum nh_probe)rd_enum(r, x, "answered",
			    probe_name_i, NH_PROBE_FAILED + 1);
			na->tcp = fj_rd_bool(r, x, "tcp");
			na->rcode = (int)fj_rd_uint(r, x, "rcode", 4095);
			na->aa = fj_rd_bool(r, x, "aa");
			if ((ms = fj_member(r, x, "ms", JSON_REAL, false)) !=
			    NULL)
				na->ms = json_number_value(ms);
			na->error = fj_rd_str(r, x, "error", false);
		}
	}
}

/* The addresses of the name servers of an MX's zone. */
static void
rd_mxns(struct rd *r, const json_t *o, struct nh_fact_mx *m)
{
	const json_t *a = fj_rd_array(
	    r, o, "ns_addresses", NH_FACTS_MAX_NS * 2 * NH_FACTS_MAX_ADDRS);
	const json_t *v;
	size_t i;

	if (a == NULL || json_array_size(a) == 0 ||
	    (m->nsaddrs = fj_rd_calloc(
		 r, json_array_size(a), sizeof(*m->nsaddrs))) == NULL)
		return;
	json_array_foreach(a, i, v)
	{
		struct nh_fact_mxns *x = &m->nsaddrs[m->nnsaddrs++];

		if (!json_is_object(v) || fj_rd_ip(r, v, x->ip) == 0) {
			r->why = "a bad MX name-server address";
			return;
		}
		x->name = fj_rd_str(r, v, "name", true);
	}
}

static void
rd_mx(struct rd *r, const json_t *o, struct nh_facts *f)
{
	const json_t *a = fj_rd_array(r, o, "mx", NH_FACTS_MAX_MX), *v;
	size_t i;

	if (a == NULL ||
	    (f->mx = fj_rd_calloc(r, json_array_size(a), sizeof(*f->mx))) ==
		NULL)
		return;
	json_array_foreach(a, i, v)
	{
		struct nh_fact_mx *m = &f->mx[i];

		if (!json_is_object(v)) {
			r->why = "an MX is not an object";
			return;
		}
		f->nmx++;
		m->name = fj_rd_str(r, v, "name", true);
		m->preference = fj_rd_uint(r, v, "preference", 65535);
		fj_rd_lookup(r, v, "a", &m->a);
		fj_rd_lookup(r, v, "aaaa", &m->aaaa);
		m->mapped_ignored =
		    fj_rd_uint(r, v, "mapped_ignored", 1u << 20);
		rd_hosts(r, v, "addresses", f->nports, &m->addrs, &m->naddrs);
		rd_dnssec(r, v, "dnssec", &m->dnssec);
		rd_caa(r, v, "caa", &m->caa);
		m->ns_zone = fj_rd_str(r, v, "ns_zone", false);
		rd_mxns(r, v, m);
	}
}

static void
rd_uints(struct rd *r, const json_t *o, const char *k, unsigned *out,
    size_t cap, size_t *n, unsigned max)
{
	const json_t *a = fj_rd_array(r, o, k, cap), *v;
	size_t i;

	*n = 0;
	json_array_foreach(a, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > (json_int_t)max) {
			r->why = "a bad number in a list";
			return;
		}
		out[(*n)++] = (unsigned)json_integer_value(v);
	}
}

enum nh_probe
fj_rd_probe(struct rd *r, const json_t *o, const char *k)
{
	return (enum nh_probe)rd_enum(
	    r, o, k, probe_name_i, NH_PROBE_FAILED + 1);
}

static void
rd_tls(struct rd *r, const json_t *o, struct nh_fact_tls *t)
{
	const json_t *a, *v;
	const json_t *ms;
	size_t i;

	memset(t, 0, sizeof(*t));
	t->family = fj_rd_ip(r, o, t->ip);
	t->port = fj_rd_uint(r, o, "port", 65535);
	t->sni = fj_rd_str(r, o, "sni", false);
	t->reachable = fj_rd_probe(r, o, "reachable");
	t->error = fj_rd_str(r, o, "error", false);
	a = fj_rd_array(r, o, "versions", NH_TLS_NVERSIONS);
	json_array_foreach(a, i, v)
	{
		struct nh_fact_tls_version *x = &t->versions[i];
		const json_t *so;

		if (!json_is_object(v)) {
			r->why = "a version is not an object";
			return;
		}
		x->version = fj_rd_uint(r, v, "version", 0x0304);
		x->probed = fj_rd_probe(r, v, "probed");
		x->error = fj_rd_str(r, v, "error", false);
		rd_uints(r, v, "suites", x->suites, NH_FACTS_MAX_SUITES,
		    &x->nsuites, 0xffffff);
		x->server_order = -1;
		if ((so = fj_member(
			 r, v, "server_order", JSON_INTEGER, false)) != NULL) {
			if (json_integer_value(so) < -1 ||
			    json_integer_value(so) > 1)
				r->why = "a bad server_order";
			else
				x->server_order = (int)json_integer_value(so);
		}
	}
	rd_uints(r, o, "groups12", t->groups12, NH_FACTS_MAX_GROUPS,
	    &t->ngroups12, 65535);
	rd_uints(r, o, "groups13", t->groups13, NH_FACTS_MAX_GROUPS,
	    &t->ngroups13, 65535);
	t->dhe = fj_rd_bool(r, o, "dhe");
	t->dh_bits = fj_rd_uint(r, o, "dh_bits", 65536);
	t->dh_g = fj_rd_uint(r, o, "dh_g", 255);
	t->dh_ffdhe = fj_rd_bool(r, o, "dh_ffdhe");
	t->kex_sha1 = fj_rd_probe(r, o, "kex_sha1");
	t->kex_sha224 = fj_rd_probe(r, o, "kex_sha224");
	t->compression = fj_rd_probe(r, o, "compression");
	t->secure_reneg = fj_rd_probe(r, o, "secure_reneg");
	t->ems = fj_rd_probe(r, o, "ems");
	t->handshake = fj_rd_probe(r, o, "handshake");
	t->handshake_error = fj_rd_str(r, o, "handshake_error", false);
	t->client_reneg = fj_rd_probe(r, o, "client_reneg");
	t->zero_rtt = fj_rd_probe(r, o, "zero_rtt");
	t->ocsp_url = fj_rd_bool(r, o, "ocsp_url");
	t->ocsp_stapled = fj_rd_probe(r, o, "ocsp_stapled");
	t->ocsp_valid = fj_rd_bool(r, o, "ocsp_valid");
	t->chain_from_probe = fj_rd_bool(r, o, "chain_from_probe");
	t->chain_verified = fj_rd_bool(r, o, "chain_verified");
	t->verify_error = fj_rd_str(r, o, "verify_error", false);
	t->name_matches = fj_rd_bool(r, o, "name_matches");
	a = fj_rd_array(r, o, "chain", NH_FACTS_MAX_CHAIN);
	json_array_foreach(a, i, v)
	{
		struct nh_fact_cert *c = &t->chain[i];

		if (!json_is_object(v)) {
			r->why = "a certificate is not an object";
			return;
		}
		t->nchain++;
		c->subject = fj_rd_str(r, v, "subject", true);
		c->issuer = fj_rd_str(r, v, "issuer", true);
		c->key_type = fj_rd_str(r, v, "key_type", true);
		c->key_bits = fj_rd_uint(r, v, "key_bits", 65536);
		c->curve = fj_rd_str(r, v, "curve", false);
		c->sig_alg = fj_rd_str(r, v, "sig_alg", true);
		c->not_after = fj_rd_str(r, v, "not_after", true);
		c->self_signed = fj_rd_bool(r, v, "self_signed");
		c->trusted_root = fj_rd_bool(r, v, "trusted_root");
	}
	fj_rd_lookup(r, o, "tlsa_lookup", &t->tlsa_lookup);
	a = fj_rd_array(r, o, "tlsa", NH_FACTS_MAX_TLSA);
	json_array_foreach(a, i, v)
	{
		struct nh_fact_tlsa *x = &t->tlsa[i];

		if (!json_is_object(v)) {
			r->why = "a TLSA record is not an object";
			return;
		}
		t->ntlsa++;
		x->usage = fj_rd_uint(r, v, "usage", 255);
		x->selector = fj_rd_uint(r, v, "selector", 255);
		x->mtype = fj_rd_uint(r, v, "mtype", 255);
		x->data = fj_rd_str(r, v, "data", true);
	}
	t->dane = fj_rd_probe(r, o, "dane");
	t->dane_error = fj_rd_str(r, o, "dane_error", false);
	t->connections = fj_rd_uint(r, o, "connections", 1u << 20);
	t->sequential = fj_rd_uint(r, o, "sequential", 1u << 20);
	if ((v = fj_member(r, o, "smtp", JSON_OBJECT, false)) != NULL) {
		t->smtp.answered = fj_rd_probe(r, v, "answered");
		t->smtp.code = (int)fj_rd_uint(r, v, "code", 999);
		t->smtp.banner = fj_rd_str(r, v, "banner", false);
		t->smtp.ehlo = fj_rd_bool(r, v, "ehlo");
		t->smtp.starttls = fj_rd_bool(r, v, "starttls");
		t->smtp.deferred = fj_rd_uint(r, v, "deferred", 1000);
		t->smtp.error = fj_rd_str(r, v, "error", false);
	}
	if ((ms = fj_member(r, o, "ms", JSON_REAL, false)) != NULL)
		t->ms = json_number_value(ms);
}

/* A list of TLS endpoints at o[k] (web addresses, or MX addresses). */
static void
rd_tls_list(struct rd *r, const json_t *o, const char *k,
    struct nh_fact_tls **out, size_t *n)
{
	const json_t *a =
	    fj_rd_array(r, o, k, NH_FACTS_MAX_MX * 2 * NH_FACTS_MAX_ADDRS);
	const json_t *v;
	size_t i;

	if (a == NULL || json_array_size(a) == 0 ||
	    (*out = fj_rd_calloc(r, json_array_size(a), sizeof(**out))) == NULL)
		return;
	json_array_foreach(a, i, v)
	{
		if (!json_is_object(v)) {
			r->why = "a TLS endpoint is not an object";
			return;
		}
		(*n)++;
		rd_tls(r, v, &(*out)[i]);
	}
}

int
nh_fact_tls_from_json(const json_t *j, struct nh_fact_tls *t, const char **why)
{
	struct rd r = { NULL };

	if (!json_is_object(j)) {
		*why = "a TLS endpoint is not an object";
		memset(t, 0, sizeof(*t));
		return -1;
	}
	rd_tls(&r, j, t);
	if (r.why != NULL) {
		*why = r.why;
		return -1;
	}
	return 0;
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
	domain = fj_rd_str(&r, j, "domain", true);
	type = fj_rd_str(&r, j, "type", true);
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
	f->ns_zone = fj_rd_str(&r, j, "ns_zone", false);
	fj_rd_lookup(&r, j, "ns_lookup", &f->ns_lookup);
	f->ns_truncated = fj_rd_uint(&r, j, "ns_truncated", 1u << 20);
	rd_ns(&r, j, f);
	fj_rd_lookup(&r, j, "a", &f->a);
	fj_rd_lookup(&r, j, "aaaa", &f->aaaa);
	ports =
	    fj_rd_array(&r, j, "ports", sizeof(f->ports) / sizeof(f->ports[0]));
	json_array_foreach(ports, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 65535) {
			r.why = "a bad port";
			goto out;
		}
		f->ports[f->nports++] = (unsigned)json_integer_value(v);
	}
	f->web_mapped_ignored =
	    fj_rd_uint(&r, j, "web_mapped_ignored", 1u << 20);
	rd_hosts(&r, j, "web", f->nports, &f->web, &f->nweb);
	rd_dnssec(&r, j, "dnssec", &f->dnssec);
	rd_caa(&r, j, "caa", &f->caa);
	rd_tls_list(&r, j, "tls", &f->tls, &f->ntls);
	fj_rd_http_list(&r, j, "http", f);
	f->mx_status = (enum nh_mx_status)rd_enum(
	    &r, j, "mx_status", mx_status_name_i, NH_MX_ERROR + 1);
	fj_rd_lookup(&r, j, "mx_lookup", &f->mx_lookup);
	f->mx_truncated = fj_rd_uint(&r, j, "mx_truncated", 1u << 20);
	f->spf_dash_all = fj_rd_bool(&r, j, "spf_dash_all");
	rd_mx(&r, j, f);
	rd_tls_list(&r, j, "mx_tls", &f->mxtls, &f->nmxtls);
	fj_rd_mailauth(&r, json_object_get(j, "auth"), &f->auth);
	fj_rd_rpki(&r, json_object_get(j, "rpki"), &f->rpki);
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
