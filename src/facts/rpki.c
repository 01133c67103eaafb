/*
 * rpki.c: the route origin validation facts as JSON, and back.
 */
#include <stdlib.h>
#include <string.h>

#include "facts_impl.h"

static const char *const role_names[] = {
	[NH_RPKI_WEB] = "web",
	[NH_RPKI_NS] = "ns",
	[NH_RPKI_MX] = "mx",
	[NH_RPKI_MX_NS] = "mx_ns",
};
#define NROLES (sizeof(role_names) / sizeof(role_names[0]))

static const char *const states[] = { "valid", "invalid_asn", "invalid_length",
	"not_found" };

static json_t *
addr_json(const struct nh_fact_rpki_addr *a)
{
	json_t *o = json_object(), *routes;

	if (o == NULL || fj_put(o, "ip", json_string(a->ip)) == -1 ||
	    fj_put(o, "role", json_string(role_names[a->role])) == -1 ||
	    fj_put_str(o, "server", a->server) == -1 ||
	    fj_put(o, "vrps", json_integer((json_int_t)a->vrps)) == -1 ||
	    fj_put(o, "routes_dropped",
		json_integer((json_int_t)a->routes_dropped)) == -1 ||
	    fj_put(o, "routes", routes = json_array()) == -1)
		goto fail;
	for (size_t i = 0; i < a->nroutes; i++) {
		const struct nh_fact_route *r = &a->routes[i];

		if (json_array_append_new(routes,
			json_pack("{s:s, s:i, s:I, s:s}", "prefix", r->prefix,
			    "len", (int)r->len, "asn", (json_int_t)r->asn,
			    "state", r->state)) == -1)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

json_t *
fj_rpki_json(const struct nh_fact_rpki *r)
{
	json_t *o = json_object(), *a;

	if (o == NULL || fj_put(o, "done", fj_probe_json(r->done)) == -1 ||
	    fj_put_str(o, "why_not", r->why_not) == -1 ||
	    fj_put(o, "addresses", a = json_array()) == -1)
		goto fail;
	for (size_t i = 0; i < r->naddrs; i++) {
		if (json_array_append_new(a, addr_json(&r->addrs[i])) == -1)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static void
rd_route(struct rd *r, const json_t *o, struct nh_fact_route *x)
{
	const json_t *p = fj_member(r, o, "prefix", JSON_STRING, true);
	const json_t *s = fj_member(r, o, "state", JSON_STRING, true);
	bool known = false;

	if (p == NULL || s == NULL)
		return;
	if (json_string_length(p) >= sizeof(x->prefix)) {
		r->why = "a route prefix is too long";
		return;
	}
	strcpy(x->prefix, json_string_value(p));
	x->len = fj_rd_uint(r, o, "len", 128);
	x->asn = fj_rd_uint(r, o, "asn", 4294967295u);
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		if (strcmp(json_string_value(s), states[i]) == 0) {
			strcpy(x->state, states[i]);
			known = true;
		}
	}
	if (!known)
		r->why = "an unknown route state";
}

void
fj_rd_rpki(struct rd *r, const json_t *o, struct nh_fact_rpki *x)
{
	const json_t *a, *v, *routes, *rv, *role;
	size_t i, k;

	if (o == NULL)
		return;
	if (!json_is_object(o)) {
		r->why = "the RPKI facts are not an object";
		return;
	}
	x->done = fj_rd_probe(r, o, "done");
	x->why_not = fj_rd_str(r, o, "why_not", false);
	a = fj_rd_array(r, o, "addresses", 1000);
	if (a == NULL || json_array_size(a) == 0 ||
	    (x->addrs = fj_rd_calloc(
		 r, json_array_size(a), sizeof(*x->addrs))) == NULL)
		return;
	json_array_foreach(a, i, v)
	{
		struct nh_fact_rpki_addr *ad = &x->addrs[x->naddrs++];

		if (!json_is_object(v) || fj_rd_ip(r, v, ad->ip) == 0) {
			r->why = "a bad RPKI address";
			return;
		}
		role = fj_member(r, v, "role", JSON_STRING, true);
		for (size_t n = 0; role != NULL && n < NROLES; n++) {
			if (strcmp(json_string_value(role), role_names[n]) == 0)
				ad->role = (enum nh_rpki_role)n;
		}
		ad->server = fj_rd_str(r, v, "server", false);
		ad->vrps = fj_rd_uint(r, v, "vrps", 1u << 30);
		ad->routes_dropped =
		    fj_rd_uint(r, v, "routes_dropped", 1u << 30);
		routes = fj_rd_array(r, v, "routes", NH_FACTS_MAX_ROUTES);
		json_array_foreach(routes, k, rv)
		{
			rd_route(r, rv, &ad->routes[ad->nroutes++]);
		}
	}
}
