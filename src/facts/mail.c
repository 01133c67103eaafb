/*
 * mail.c: the mail authentication facts (SPF, DMARC, DKIM, MTA-STS,
 * TLS-RPT) as JSON, and back. TXT records are kept byte for byte, as the
 * HTTP facts are (fj_bytes_json()).
 */
#include <stdlib.h>
#include <string.h>

#include "facts_impl.h"

static json_t *
rrset_json(const struct nh_fact_rrset *r)
{
	json_t *o = json_object(), *txt;

	if (o == NULL || fj_put_str(o, "name", r->name) == -1 ||
	    fj_put(o, "type", json_integer(r->type)) == -1 ||
	    fj_put(o, "lookup", fj_lookup_json(&r->lookup)) == -1 ||
	    fj_put(o, "txt", txt = json_array()) == -1 ||
	    fj_put(o, "txt_dropped",
		json_integer((json_int_t)r->txt_dropped)) == -1 ||
	    fj_put(o, "count", json_integer((json_int_t)r->count)) == -1)
		goto fail;
	for (size_t i = 0; i < r->ntxt; i++) {
		if (json_array_append_new(
			txt, fj_bytes_json(r->txt[i], r->txt_len[i])) == -1)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

json_t *
fj_mailauth_json(const struct nh_fact_mailauth *a)
{
	json_t *o = json_object(), *spf, *ext;

	if (o == NULL || fj_put(o, "spf", spf = json_array()) == -1 ||
	    fj_put(o, "spf_cut", json_boolean(a->spf_cut)) == -1 ||
	    fj_put(o, "dmarc", rrset_json(&a->dmarc)) == -1 ||
	    fj_put_str(o, "org_domain", a->org_domain) == -1 ||
	    fj_put(o, "dmarc_org", rrset_json(&a->dmarc_org)) == -1 ||
	    fj_put(o, "dmarc_external", ext = json_array()) == -1 ||
	    fj_put(o, "dkim", rrset_json(&a->dkim)) == -1 ||
	    fj_put(o, "mta_sts", rrset_json(&a->mtasts)) == -1 ||
	    fj_put(o, "tls_rpt", rrset_json(&a->tlsrpt)) == -1 ||
	    fj_put(o, "policy_got", fj_probe_json(a->policy_got)) == -1 ||
	    fj_put(o, "policy_status", json_integer(a->policy_status)) == -1 ||
	    (a->policy_type != NULL &&
		fj_put(o, "policy_type",
		    fj_bytes_json(a->policy_type, strlen(a->policy_type))) ==
		    -1) ||
	    (a->policy != NULL &&
		fj_put(o, "policy", fj_bytes_json(a->policy, a->policy_len)) ==
		    -1) ||
	    fj_put(o, "policy_redirected",
		json_boolean(a->policy_redirected)) == -1 ||
	    fj_put_str(o, "policy_error", a->policy_error) == -1)
		goto fail;
	for (size_t i = 0; i < a->nspf; i++) {
		if (json_array_append_new(spf, rrset_json(&a->spf[i])) == -1)
			goto fail;
	}
	for (size_t i = 0; i < a->next; i++) {
		if (json_array_append_new(ext, rrset_json(&a->ext[i])) == -1)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static void
rd_rrset(struct rd *r, const json_t *o, struct nh_fact_rrset *x)
{
	const json_t *a, *v;
	size_t i;

	if (o == NULL)
		return;
	if (!json_is_object(o)) {
		r->why = "an rrset is not an object";
		return;
	}
	x->name = fj_rd_str(r, o, "name", false);
	x->type = fj_rd_uint(r, o, "type", 65535);
	fj_rd_lookup(r, o, "lookup", &x->lookup);
	a = fj_rd_array(r, o, "txt", NH_FACTS_MAX_TXT);
	json_array_foreach(a, i, v)
	{
		size_t len;
		char *t = fj_bytes_of(r, v, 65535, &len);

		if (t == NULL)
			return;
		if (nh_fact_rrset_add_txt(x, t, len) == -1) {
			r->why = "out of memory";
			return;
		}
	}
	x->txt_dropped = fj_rd_uint(r, o, "txt_dropped", 1u << 20);
	x->count = fj_rd_uint(r, o, "count", 1u << 20);
}

void
fj_rd_mailauth(struct rd *r, const json_t *o, struct nh_fact_mailauth *a)
{
	const json_t *l, *v;
	size_t i;

	if (o == NULL)
		return;
	if (!json_is_object(o)) {
		r->why = "the mail authentication facts are not an object";
		return;
	}
	l = fj_rd_array(r, o, "spf", NH_FACTS_MAX_SPF);
	json_array_foreach(l, i, v)
	{
		rd_rrset(r, v, &a->spf[a->nspf++]);
	}
	a->spf_cut = fj_rd_bool(r, o, "spf_cut");
	rd_rrset(r, json_object_get(o, "dmarc"), &a->dmarc);
	a->org_domain = fj_rd_str(r, o, "org_domain", false);
	rd_rrset(r, json_object_get(o, "dmarc_org"), &a->dmarc_org);
	l = fj_rd_array(r, o, "dmarc_external", NH_FACTS_MAX_EXT);
	json_array_foreach(l, i, v)
	{
		rd_rrset(r, v, &a->ext[a->next++]);
	}
	rd_rrset(r, json_object_get(o, "dkim"), &a->dkim);
	rd_rrset(r, json_object_get(o, "mta_sts"), &a->mtasts);
	rd_rrset(r, json_object_get(o, "tls_rpt"), &a->tlsrpt);
	a->policy_got = fj_rd_probe(r, o, "policy_got");
	a->policy_status = (int)fj_rd_uint(r, o, "policy_status", 999);
	a->policy_type =
	    fj_rd_bytes(r, o, "policy_type", NH_FACTS_MAX_STR, NULL);
	a->policy = fj_rd_bytes(r, o, "policy", NH_MTASTS_MAX, &a->policy_len);
	a->policy_redirected = fj_rd_bool(r, o, "policy_redirected");
	a->policy_error = fj_rd_str(r, o, "policy_error", false);
}
