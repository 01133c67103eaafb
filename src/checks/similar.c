/*
 * similar.c: web_ipv6_ws_similar, the same website over IPv4 and IPv6
 * (../shared/internetnl-catalog.md §1.1). Each IPv6 address is compared
 * with the first IPv4 address that answered: on every port open on both
 * (80 and 443), the page reached from http:// and from https:// must
 * answer with the same status, and the two pages must be within
 * NH_WEBPOL_PAGE_MAX_DISTANCE of each other by difflib's quick_ratio,
 * per-request tokens left out (nh_webpol_page_digest()).
 *
 * Internet.nl compares one address of each family; nethealth compares
 * every IPv6 address. Where Internet.nl's points contradict its own text
 * (a different page: notice with 0 points; different status codes: fail
 * with full points), nethealth fails with 0 points, and
 * --internetnl-compat gives Internet.nl's (docs/internetnl-differences.md).
 */
#include <stdio.h>
#include <string.h>

#include "checks_impl.h"
#include "webpol/webpol.h"

/* The ports open at an address, as a bit set over f->ports. */
static unsigned
open_ports(const struct nh_facts *f, const char *ip)
{
	unsigned set = 0;

	for (size_t p = 0; p < f->nports && p < 8; p++) {
		if (nh_web_port(f, ip, f->ports[p]) == NH_PROBE_OK)
			set |= 1u << p;
	}
	return set;
}

static void
digest_of(const struct nh_fact_page *p, struct nh_webpol_page *d)
{
	memcpy(d->hist, p->hist, sizeof(d->hist));
	d->len = p->len;
	d->stripped = p->stripped;
}

/* The verdict of one page pair: status, points, a line. */
struct verdict {
	enum nh_status st;
	int points;
	bool skip; /* neither family answered: nothing to compare */
	char msg[300];
};

static void
judge_pair(const struct nh_fact_page *v6, const struct nh_fact_page *v4,
    const char *what, const struct nh_check_opts *o, int full,
    struct verdict *out)
{
	struct nh_webpol_page a, b;
	double dist;

	out->skip = false;
	if (v6->got != NH_PROBE_OK && v4->got != NH_PROBE_OK) {
		/* Not a difference between the families: the same failure
		 * (often a TLS version or suite nethealth's HTTP client
		 * cannot speak). */
		out->skip = true;
		snprintf(out->msg, sizeof(out->msg),
		    "%s: no answer over either family", what);
		return;
	}
	if (v6->got != NH_PROBE_OK || v4->got != NH_PROBE_OK) {
		out->st = NH_FAILED;
		out->points = 0;
		snprintf(out->msg, sizeof(out->msg), "%s: no answer over IPv%d",
		    what, v6->got != NH_PROBE_OK ? 6 : 4);
		return;
	}
	if (v6->status != v4->status) {
		out->st = NH_FAILED;
		out->points = o->internetnl_compat ? full : 0;
		snprintf(out->msg, sizeof(out->msg),
		    "%s: IPv6 answers %d, IPv4 %d", what, v6->status,
		    v4->status);
		return;
	}
	digest_of(v6, &a);
	digest_of(v4, &b);
	dist = nh_webpol_page_distance(&a, &b);
	if (!nh_webpol_page_similar(&a, &b)) {
		out->st = o->internetnl_compat ? NH_WARNING : NH_FAILED;
		out->points = 0;
		snprintf(out->msg, sizeof(out->msg),
		    "%s: the pages differ (distance %.1f of 100, at most "
		    "%d is the same site)",
		    what, dist, NH_WEBPOL_PAGE_MAX_DISTANCE);
		return;
	}
	out->points = full;
	if (v6->status >= 400) {
		out->st = NH_WARNING;
		snprintf(out->msg, sizeof(out->msg),
		    "%s: the same answer, but an error (%d)", what, v6->status);
		return;
	}
	out->st = NH_PASSED;
	snprintf(out->msg, sizeof(out->msg),
	    "%s: the same page (distance %.1f)", what, dist);
}

static json_t *
page_json(const struct nh_fact_page *p)
{
	return json_pack("{s:s, s:i, s:I, s:I}", "got", nh_probe_name(p->got),
	    "status", p->status, "bytes", (json_int_t)p->len, "stripped",
	    (json_int_t)p->stripped);
}

/* Compares one IPv6 address with the IPv4 reference. */
static int
compare(const struct nh_facts *f, const struct nh_fact_http *v6,
    const struct nh_fact_http *v4, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	unsigned p6 = open_ports(f, v6->ip), p4 = open_ports(f, v4->ip);
	struct verdict worst = { .st = NH_PASSED, .points = r->meta->points };
	struct verdict v;
	char msg[700] = "";
	size_t len = 0, compared = 0;

	if (p6 != p4) {
		snprintf(msg, sizeof(msg),
		    "different ports are open over IPv6 and over IPv4 (%s)",
		    v4->ip);
		return nh_check_result_add_server(
			   r, v6->ip, NH_FAILED, 0, msg, NULL) == NULL
		    ? -1
		    : 0;
	}
	for (size_t p = 0; p < f->nports; p++) {
		const struct nh_fact_page *a, *b;

		if ((p6 & (1u << p)) == 0)
			continue;
		if (f->ports[p] == 80) {
			a = &v6->page_http;
			b = &v4->page_http;
		} else if (f->ports[p] == 443) {
			a = &v6->page_https;
			b = &v4->page_https;
		} else
			continue;
		judge_pair(a, b, f->ports[p] == 80 ? "http://" : "https://", o,
		    r->meta->points, &v);
		len += (size_t)snprintf(msg + len,
		    len < sizeof(msg) ? sizeof(msg) - len : 0, "%s%s",
		    len ? "; " : "", v.msg);
		if (v.skip)
			continue;
		compared++;
		if (v.st < worst.st)
			worst.st = v.st;
		if (v.points < worst.points)
			worst.points = v.points;
	}
	if (compared == 0)
		return nh_check_result_add_detail(r, v6->ip, NH_NOT_TESTED,
			   len ? msg : "no web port open on both families",
			   NULL) == NULL
		    ? -1
		    : 0;
	return nh_check_result_add_server(r, v6->ip, worst.st, worst.points,
		   msg,
		   json_pack("{s:s, s:{s:o*, s:o*}, s:{s:o*, s:o*}}",
		       "compared_with", v4->ip, "ipv6", "http",
		       page_json(&v6->page_http), "https",
		       page_json(&v6->page_https), "ipv4", "http",
		       page_json(&v4->page_http), "https",
		       page_json(&v4->page_https))) == NULL
	    ? -1
	    : 0;
}

int
nh_check_ipv6_ws_similar(const struct nh_facts *f,
    const struct nh_check_opts *o, struct nh_check_result *r)
{
	const struct nh_fact_http *ref = NULL;
	size_t v6 = 0;

	for (size_t i = 0; i < f->nhttp; i++) {
		const struct nh_fact_http *h = &f->http[i];

		if (h->family == 4 && ref == NULL && open_ports(f, h->ip) != 0)
			ref = h;
		v6 += h->family == 6 && open_ports(f, h->ip) != 0;
	}
	if (v6 == 0)
		return nh_check_result_set(r, NH_NOT_TESTED, 0,
		    "no IPv6 address of the web server answers: nothing to "
		    "compare");
	if (ref == NULL)
		return nh_check_result_set(r, NH_NOT_TESTED, r->meta->points,
		    "the web server answers over IPv6 only: nothing to "
		    "compare");
	for (size_t i = 0; i < f->nhttp; i++) {
		const struct nh_fact_http *h = &f->http[i];

		if (h->family == 6 && open_ports(f, h->ip) != 0 &&
		    compare(f, h, ref, o, r) == -1)
			return -1;
	}
	for (size_t i = 0; i < r->nservers; i++) {
		if (r->servers[i].max > 0)
			return nh_check_summarize(r);
	}
	/* Only pages neither family served: no comparison was made. */
	return nh_check_result_not_applicable(
	    r, "neither family answered over HTTP: no page to compare");
}
