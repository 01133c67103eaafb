/*
 * rpki.c: the RPKI checks of both tests (../shared/internetnl-catalog.md
 * §1.5, §2.5): for the addresses of one kind of server (web servers, the
 * domain's name servers, MX, the name servers of the MX), whether every
 * address is covered by a ROA ("exists") and whether every route that
 * announces it is valid by RFC 6811 ("valid"). The validation itself was
 * done from the files given (src/rpki/); the facts hold its outcome.
 *
 * Without the files the checks are not applicable: not tested, not
 * counted, the message naming what is missing; never a failure.
 */
#include <stdio.h>
#include <string.h>

#include "checks_impl.h"

static const char *
role_text(enum nh_rpki_role role)
{
	switch (role) {
	case NH_RPKI_WEB:
		return "web server";
	case NH_RPKI_NS:
		return "name server";
	case NH_RPKI_MX:
		return "mail server";
	case NH_RPKI_MX_NS:
		return "name server of a mail server";
	}
	return "server";
}

static void
label(const struct nh_fact_rpki_addr *a, char *buf, size_t size)
{
	if (a->server != NULL)
		snprintf(buf, size, "%s (%s)", a->server, a->ip);
	else
		snprintf(buf, size, "%s", a->ip);
}

static json_t *
routes_json(const struct nh_fact_rpki_addr *a)
{
	json_t *r = json_array();

	for (size_t i = 0; r != NULL && i < a->nroutes; i++) {
		if (json_array_append_new(r,
			json_pack("{s:s, s:i, s:I, s:s}", "prefix",
			    a->routes[i].prefix, "len", (int)a->routes[i].len,
			    "origin", (json_int_t)a->routes[i].asn, "state",
			    a->routes[i].state)) == -1) {
			json_decref(r);
			return NULL;
		}
	}
	return r;
}

/* Common start: returns true (with *rc) when the check ends here. */
static bool
rpki_preamble(const struct nh_facts *f, enum nh_rpki_role role,
    struct nh_check_result *r, size_t *n, int *rc)
{
	char msg[300];

	*n = 0;
	if ((role == NH_RPKI_MX || role == NH_RPKI_MX_NS) &&
	    !nh_mx_applies(f)) {
		*rc = nh_check_no_mx(f, r, false);
		return true;
	}
	if (f->rpki.done != NH_PROBE_OK) {
		*rc = nh_check_result_not_applicable(r,
		    f->rpki.why_not ? f->rpki.why_not
				    : "no RPKI data (give --rpki-vrps and "
				      "--rpki-routes)");
		return true;
	}
	for (size_t i = 0; i < f->rpki.naddrs; i++)
		*n += f->rpki.addrs[i].role == role;
	if (*n == 0) {
		snprintf(msg, sizeof(msg), "no %s address to validate",
		    role_text(role));
		*rc = nh_check_result_not_applicable(r, msg);
		return true;
	}
	return false;
}

/* Every address of the role is covered by a ROA. */
static int
rpki_exists(
    const struct nh_facts *f, enum nh_rpki_role role, struct nh_check_result *r)
{
	size_t n, without = 0;
	int rc;

	if (rpki_preamble(f, role, r, &n, &rc))
		return rc;
	for (size_t i = 0; i < f->rpki.naddrs; i++) {
		const struct nh_fact_rpki_addr *a = &f->rpki.addrs[i];
		char name[320], msg[200];

		if (a->role != role)
			continue;
		label(a, name, sizeof(name));
		without += a->vrps == 0;
		if (a->vrps > 0)
			snprintf(msg, sizeof(msg),
			    "covered by %zu ROA payload%s", a->vrps,
			    a->vrps == 1 ? "" : "s");
		else
			snprintf(msg, sizeof(msg), "no ROA covers the address");
		if (nh_check_result_add_detail(r, name,
			a->vrps ? NH_PASSED : NH_WARNING, msg, NULL) == NULL)
			return -1;
	}
	/* Internet.nl: a notice, and no points (since its #1900). */
	if (without > 0) {
		char msg[200];

		snprintf(msg, sizeof(msg),
		    "%zu of %zu %s addresses have no ROA: their routes "
		    "cannot be validated",
		    without, n, role_text(role));
		return nh_check_result_set(r, NH_WARNING, 0, msg);
	}
	return nh_check_result_set(
	    r, NH_PASSED, r->max, "every address is covered by a ROA");
}

/* Every route announcing an address of the role is RPKI-valid. */
static int
rpki_valid(
    const struct nh_facts *f, enum nh_rpki_role role, struct nh_check_result *r)
{
	size_t n, routed = 0, bad = 0;
	int rc;

	if (rpki_preamble(f, role, r, &n, &rc))
		return rc;
	for (size_t i = 0; i < f->rpki.naddrs; i++) {
		const struct nh_fact_rpki_addr *a = &f->rpki.addrs[i];
		char name[320], msg[300] = "";
		size_t len = 0, invalid = 0;
		enum nh_status st = NH_PASSED;

		if (a->role != role)
			continue;
		label(a, name, sizeof(name));
		for (size_t k = 0; k < a->nroutes; k++) {
			const struct nh_fact_route *x = &a->routes[k];

			if (strcmp(x->state, "valid") != 0) {
				invalid++;
				len += (size_t)snprintf(msg + len,
				    len < sizeof(msg) ? sizeof(msg) - len : 0,
				    "%s%s/%u from AS%lu: %s", len ? "; " : "",
				    x->prefix, x->len, x->asn, x->state);
			}
		}
		if (a->nroutes == 0) {
			/* Nothing announced, nothing invalid: it does not
			 * hold the check back (a detail without points). */
			snprintf(msg, sizeof(msg),
			    "not announced: no route to validate");
		} else if (invalid > 0) {
			st = NH_FAILED;
		} else {
			snprintf(msg, sizeof(msg), "%zu route%s, all valid",
			    a->nroutes, a->nroutes == 1 ? "" : "s");
		}
		routed += a->nroutes > 0;
		bad += invalid > 0;
		if (nh_check_result_add_detail(r, name, st, msg,
			json_pack("{s:o*}", "routes", routes_json(a))) == NULL)
			return -1;
	}
	if (routed == 0)
		/* Internet.nl: nothing to validate, full points. */
		return nh_check_result_set(r, NH_NOT_TESTED, r->max,
		    "no address is announced: no route to validate");
	if (bad > 0) {
		char msg[200];

		snprintf(msg, sizeof(msg),
		    "%zu %s address%s announced by routes that are not "
		    "RPKI-valid (RFC 6811)",
		    bad, role_text(role), bad == 1 ? " is" : "es are");
		return nh_check_result_set(r, NH_FAILED, 0, msg);
	}
	return nh_check_result_set(r, NH_PASSED, r->max,
	    "every route announcing these addresses is RPKI-valid");
}

#define RPKI_CHECK(name, fn, role) \
	int name(const struct nh_facts *f, const struct nh_check_opts *o, \
	    struct nh_check_result *r) \
	{ \
		(void)o; \
		return fn(f, role, r); \
	}

RPKI_CHECK(nh_check_rpki_web_exists, rpki_exists, NH_RPKI_WEB)
RPKI_CHECK(nh_check_rpki_web_valid, rpki_valid, NH_RPKI_WEB)
RPKI_CHECK(nh_check_rpki_ns_exists, rpki_exists, NH_RPKI_NS)
RPKI_CHECK(nh_check_rpki_ns_valid, rpki_valid, NH_RPKI_NS)
RPKI_CHECK(nh_check_rpki_mx_exists, rpki_exists, NH_RPKI_MX)
RPKI_CHECK(nh_check_rpki_mx_valid, rpki_valid, NH_RPKI_MX)
RPKI_CHECK(nh_check_rpki_mx_ns_exists, rpki_exists, NH_RPKI_MX_NS)
RPKI_CHECK(nh_check_rpki_mx_ns_valid, rpki_valid, NH_RPKI_MX_NS)
