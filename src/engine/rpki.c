/*
 * rpki.c: route origin validation in the engine: the VRP and route files
 * are loaded once, when the engine starts, and each test's facts get, for
 * every address of its web servers, name servers and MX, the VRPs that
 * cover it and the routes that announce it with their RFC 6811 state
 * (src/rpki/). No network: the files are the user's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_impl.h"
#include "rpki/rpki.h"

int
nh_engine_rpki_load(
    struct nh_engine *e, const struct nh_engine_config *cfg, const char **err)
{
	static char why[600];
	char msg[500];

	if (cfg->rpki_vrps == NULL || cfg->rpki_routes == NULL) {
		snprintf(e->rpki_missing, sizeof(e->rpki_missing),
		    "not tested: no %s file (give %s FILE or set %s)",
		    cfg->rpki_vrps == NULL ? "VRP" : "route",
		    cfg->rpki_vrps == NULL ? "--rpki-vrps" : "--rpki-routes",
		    cfg->rpki_vrps == NULL ? "NETHEALTH_RPKI_VRPS"
					   : "NETHEALTH_RPKI_ROUTES");
		return 0;
	}
	if ((e->rpki = nh_rpki_new()) == NULL) {
		*err = "out of memory";
		return -1;
	}
	if (nh_rpki_load_vrps(e->rpki, cfg->rpki_vrps, msg, sizeof(msg)) ==
		-1 ||
	    nh_rpki_load_routes(e->rpki, cfg->rpki_routes, msg, sizeof(msg)) ==
		-1) {
		snprintf(why, sizeof(why), "RPKI data: %s", msg);
		*err = why;
		return -1;
	}
	if (nh_rpki_ready(e->rpki) == -1) {
		*err = "out of memory";
		return -1;
	}
	return 0;
}

/* Validates one address into the next fact. */
static int
add_addr(struct nh_engine *e, struct nh_fact_rpki *x, const char *ip,
    enum nh_rpki_role role, const char *server)
{
	struct nh_fact_rpki_addr *a, *grown;
	struct nh_rpki_route routes[NH_FACTS_MAX_ROUTES];
	size_t n;

	for (size_t i = 0; i < x->naddrs; i++) {
		if (x->addrs[i].role == role &&
		    strcmp(x->addrs[i].ip, ip) == 0 &&
		    (server == NULL || x->addrs[i].server == NULL ||
			strcmp(server, x->addrs[i].server) == 0))
			return 0;
	}
	if ((grown = realloc(x->addrs, (x->naddrs + 1) * sizeof(*a))) == NULL)
		return -1;
	x->addrs = grown;
	a = &x->addrs[x->naddrs++];
	memset(a, 0, sizeof(*a));
	snprintf(a->ip, sizeof(a->ip), "%s", ip);
	a->role = role;
	if (server != NULL && (a->server = strdup(server)) == NULL)
		return -1;
	a->vrps = nh_rpki_vrps_covering(e->rpki, ip);
	n = nh_rpki_routes_for(e->rpki, ip, routes, NH_FACTS_MAX_ROUTES);
	a->nroutes = n < NH_FACTS_MAX_ROUTES ? n : NH_FACTS_MAX_ROUTES;
	a->routes_dropped = n - a->nroutes;
	for (size_t i = 0; i < a->nroutes; i++) {
		memcpy(a->routes[i].prefix, routes[i].prefix,
		    sizeof(a->routes[i].prefix));
		a->routes[i].prefix[sizeof(a->routes[i].prefix) - 1] = '\0';
		a->routes[i].len = routes[i].len;
		a->routes[i].asn = routes[i].asn;
		snprintf(a->routes[i].state, sizeof(a->routes[i].state), "%s",
		    nh_rov_name(routes[i].state));
	}
	return 0;
}

int
nh_engine_rpki_facts(struct nh_engine *e, struct nh_facts *f)
{
	struct nh_fact_rpki *x = &f->rpki;

	if (e->rpki == NULL) {
		x->done = NH_PROBE_NOT_DONE;
		return (x->why_not = strdup(e->rpki_missing)) == NULL ? -1 : 0;
	}
	x->done = NH_PROBE_OK;
	for (size_t i = 0; i < f->nweb; i++) {
		if (add_addr(e, x, f->web[i].ip, NH_RPKI_WEB, NULL) == -1)
			return -1;
	}
	for (size_t i = 0; i < f->nns; i++) {
		for (size_t k = 0; k < f->ns[i].naddrs; k++) {
			if (add_addr(e, x, f->ns[i].addrs[k].ip, NH_RPKI_NS,
				f->ns[i].name) == -1)
				return -1;
		}
	}
	for (size_t i = 0; i < f->nmx; i++) {
		for (size_t k = 0; k < f->mx[i].naddrs; k++) {
			if (add_addr(e, x, f->mx[i].addrs[k].ip, NH_RPKI_MX,
				f->mx[i].name) == -1)
				return -1;
		}
		for (size_t k = 0; k < f->mx[i].nnsaddrs; k++) {
			if (add_addr(e, x, f->mx[i].nsaddrs[k].ip,
				NH_RPKI_MX_NS, f->mx[i].nsaddrs[k].name) == -1)
				return -1;
		}
	}
	return 0;
}
