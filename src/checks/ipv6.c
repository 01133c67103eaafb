/*
 * ipv6.c: the IPv6 checks of the website and mail tests
 * (../shared/internetnl-catalog.md §1.1, §2.1), and IPv4 reachability of
 * the name servers, which Internet.nl does not report.
 *
 * Points follow Internet.nl's checks/tasks/ipv6.py: per server 10 when
 * every IPv6 address answers and no port open over IPv4 is closed over
 * IPv6, 2 when some do, 0 when none; name servers averaged with its rules
 * for one server and for IPv4-only servers, mail servers averaged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks_impl.h"

/* Counts of one host's addresses by family and outcome. */
struct reach {
	size_t v6, v6_good, v4, v4_good;
};

static struct reach
ns_reach_of(const struct nh_fact_ns *ns)
{
	struct reach c = { 0 };

	for (size_t i = 0; i < ns->naddrs; i++) {
		bool good = ns->addrs[i].answered == NH_PROBE_OK;

		if (ns->addrs[i].family == 6) {
			c.v6++;
			c.v6_good += good;
		} else {
			c.v4++;
			c.v4_good += good;
		}
	}
	return c;
}

/* Whether any port of an address accepted. */
static bool
any_port_open(const struct nh_fact_host_addr *a, size_t nports)
{
	for (size_t p = 0; p < nports; p++) {
		if (a->port[p] == NH_PROBE_OK)
			return true;
	}
	return false;
}

/* Ports (as a bit set) open on some address of a family. */
static unsigned
open_ports(
    const struct nh_fact_host_addr *a, size_t n, size_t nports, int family)
{
	unsigned set = 0;

	for (size_t i = 0; i < n; i++) {
		for (size_t p = 0; a[i].family == family && p < nports; p++) {
			if (a[i].port[p] == NH_PROBE_OK)
				set |= 1u << p;
		}
	}
	return set;
}

/* Internet.nl's per-server score: 10, 2 (partial) or 0. */
static int
server_score(size_t v6_good, size_t v6_bad, bool port_diff, int full)
{
	if (v6_good == 0)
		return 0;
	if (v6_bad > 0 || port_diff)
		return 2 * full / 10;
	return full;
}

static json_t *
ns_evidence(const struct nh_facts *f)
{
	json_t *list = json_array(), *o;

	for (size_t i = 0; list != NULL && i < f->nns; i++) {
		const struct nh_fact_ns *ns = &f->ns[i];
		json_t *v6 = json_array(), *v4 = json_array();

		for (size_t k = 0; v6 && v4 && k < ns->naddrs; k++)
			json_array_append_new(
			    ns->addrs[k].family == 6 ? v6 : v4,
			    json_string(ns->addrs[k].ip));
		o = json_pack("{s:s, s:o*, s:o*}", "name", ns->name, "ipv6", v6,
		    "ipv4", v4);
		if (o == NULL || json_array_append_new(list, o) == -1) {
			json_decref(list);
			return NULL;
		}
	}
	return list == NULL ? NULL
			    : json_pack("{s:s*, s:o}", "zone", f->ns_zone,
				  "name_servers", list);
}

/* The NS set could not be looked up: an error, or no name servers. */
static bool
ns_missing(const struct nh_facts *f, struct nh_check_result *r, int *rc)
{
	if (nh_check_lookup_failed(&f->ns_lookup, "the name servers", r, rc))
		return true;
	if (f->nns == 0) {
		*rc = nh_check_result_set(
		    r, NH_FAILED, 0, "no name servers found");
		return true;
	}
	return false;
}

int
nh_check_ipv6_ns_address(const struct nh_facts *f,
    const struct nh_check_opts *o, struct nh_check_result *r)
{
	size_t with_v6 = 0;
	char msg[128];
	int rc;

	(void)o;
	if (ns_missing(f, r, &rc))
		return rc;
	for (size_t i = 0; i < f->nns; i++)
		with_v6 += ns_reach_of(&f->ns[i]).v6 > 0;
	r->evidence = ns_evidence(f);
	if (with_v6 >= 2) {
		snprintf(msg, sizeof(msg),
		    "%zu of %zu name servers have an "
		    "IPv6 address",
		    with_v6, f->nns);
		return nh_check_result_set(r, NH_PASSED, 0, msg);
	}
	snprintf(msg, sizeof(msg),
	    with_v6 == 1 ? "only one of %zu name "
			   "servers has an IPv6 address; at least two should"
			 : "none of "
			   "%zu name servers has an IPv6 address",
	    f->nns);
	return nh_check_result_set(r, NH_FAILED, 0, msg);
}

/* A detail line for one name-server address. */
static int
ns_addr_detail(struct nh_check_result *r, const struct nh_fact_ns *ns,
    const struct nh_fact_ns_addr *a)
{
	char label[320], msg[200];

	snprintf(label, sizeof(label), "%s %s", ns->name, a->ip);
	if (a->answered == NH_PROBE_OK)
		snprintf(msg, sizeof(msg), "answers over %s (%s%s)",
		    a->tcp ? "TCP" : "UDP",
		    a->rcode == 0       ? "NOERROR"
			: a->rcode == 5 ? "REFUSED"
			: a->rcode == 2 ? "SERVFAIL"
					: "error rcode",
		    a->aa ? ", authoritative" : "");
	else
		snprintf(msg, sizeof(msg), "does not answer: %s",
		    a->error != NULL ? a->error : "no answer");
	return nh_check_result_add_detail(r, label,
		   a->answered == NH_PROBE_OK ? NH_PASSED : NH_FAILED, msg,
		   json_pack("{s:s, s:s, "
			     "s:b, s:i, s:b, s:f}",
		       "name_server", ns->name, "address", a->ip, "answered",
		       a->answered == NH_PROBE_OK, "rcode", a->rcode, "tcp",
		       a->tcp, "ms", a->ms)) == NULL
	    ? -1
	    : 0;
}

int
nh_check_ipv6_ns_reach(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	size_t with_v6 = 0, counted, bad_servers = 0;
	double score = 0;
	int rc;

	(void)o;
	if (ns_missing(f, r, &rc)) {
		if (r->status == NH_FAILED)
			return nh_check_result_set(
			    r, NH_NOT_TESTED, 0, "no name servers found");
		return rc;
	}
	for (size_t i = 0; i < f->nns; i++) {
		struct reach c = ns_reach_of(&f->ns[i]);

		with_v6 += c.v6 > 0;
		bad_servers += c.v6 > c.v6_good;
		score += server_score(
		    c.v6_good, c.v6 - c.v6_good, false, r->meta->points);
		for (size_t k = 0; k < f->ns[i].naddrs; k++) {
			if (f->ns[i].addrs[k].family == 6 &&
			    ns_addr_detail(r, &f->ns[i], &f->ns[i].addrs[k]) ==
				-1)
				return -1;
		}
	}
	/*
	 * With two or more IPv6 name servers, IPv4-only ones are left out;
	 * one name server earns at most half the points (Internet.nl).
	 */
	counted = with_v6 > 1 ? with_v6 : f->nns;
	if (counted == 1)
		score = score < r->meta->points / 2.0 ? score
						      : r->meta->points / 2.0;
	else if (counted > 1)
		score = score / (double)counted;
	if (with_v6 == 0)
		return nh_check_result_set(r, NH_NOT_TESTED, 0,
		    "no name server "
		    "has an IPv6 address to test");
	if (bad_servers > 0)
		return nh_check_result_set(r, NH_FAILED, (int)score,
		    "some IPv6 addresses of name servers do not answer");
	return nh_check_result_set(r, NH_PASSED, (int)score,
	    "every IPv6 address of every name server answers");
}

int
nh_check_ns_reach_ipv4(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	size_t v4 = 0, bad = 0;
	int rc;

	(void)o;
	if (ns_missing(f, r, &rc))
		return rc;
	for (size_t i = 0; i < f->nns; i++) {
		for (size_t k = 0; k < f->ns[i].naddrs; k++) {
			const struct nh_fact_ns_addr *a = &f->ns[i].addrs[k];

			if (a->family != 4)
				continue;
			v4++;
			bad += a->answered != NH_PROBE_OK;
			if (ns_addr_detail(r, &f->ns[i], a) == -1)
				return -1;
		}
	}
	if (v4 == 0)
		return nh_check_result_set(
		    r, NH_NOT_TESTED, 0, "no name server has an IPv4 address");
	return nh_check_result_set(r, bad ? NH_FAILED : NH_PASSED, 0,
	    bad ? "some IPv4 addresses of name servers do not answer"
		: "every IPv4 address of every name server answers");
}

static json_t *
addr_list(const struct nh_fact_host_addr *a, size_t n, int family)
{
	json_t *l = json_array();

	for (size_t i = 0; l != NULL && i < n; i++) {
		if (a[i].family == family &&
		    json_array_append_new(l, json_string(a[i].ip)) == -1) {
			json_decref(l);
			return NULL;
		}
	}
	return l;
}

int
nh_check_ipv6_ws_address(const struct nh_facts *f,
    const struct nh_check_opts *o, struct nh_check_result *r)
{
	size_t v6 = 0;
	int rc;

	(void)o;
	if (nh_check_lookup_failed(&f->aaaa, "the AAAA records", r, &rc))
		return rc;
	for (size_t i = 0; i < f->nweb; i++)
		v6 += f->web[i].family == 6;
	r->evidence =
	    json_pack("{s:o*, s:o*}", "ipv6", addr_list(f->web, f->nweb, 6),
		"ipv4", addr_list(f->web, f->nweb, 4));
	if (v6 > 0)
		return nh_check_result_set(
		    r, NH_PASSED, 0, "the web server has an IPv6 address");
	return nh_check_result_set(r, NH_FAILED, 0,
	    f->web_mapped_ignored
		? "the only AAAA records are IPv4-mapped addresses"
		: "the web server has no IPv6 address (no AAAA record)");
}

/* "80, 443" from a port bit set. */
static void
port_list(
    char *buf, size_t size, unsigned set, const unsigned *ports, size_t nports)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t p = 0; p < nports && len < size; p++) {
		if (set & (1u << p))
			len += (size_t)snprintf(buf + len, size - len, "%s%u",
			    len ? ", " : "", ports[p]);
	}
}

/*
 * Reachability of a host's IPv6 addresses: details per IPv6 address, and
 * Internet.nl's score for the host. An address fails when no port accepts,
 * or (unless compat) when a port open over IPv4 is closed on it.
 */
static int
host_v6_reach(struct nh_check_result *r, const char *host,
    const struct nh_fact_host_addr *a, size_t n, const unsigned *ports,
    size_t nports, bool compat, int *score, size_t *bad_addrs)
{
	unsigned v4set = open_ports(a, n, nports, 4);
	unsigned v6set = open_ports(a, n, nports, 6);
	size_t v6_good = 0, v6_bad = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned mine = 0, missing;
		char label[320], open[64], closed[64], msg[200];
		bool good;

		if (a[i].family != 6)
			continue;
		for (size_t p = 0; p < nports; p++)
			mine |= (a[i].port[p] == NH_PROBE_OK) << p;
		good = any_port_open(&a[i], nports);
		v6_good += good;
		v6_bad += !good;
		missing = v4set & ~mine;
		port_list(open, sizeof(open), mine, ports, nports);
		port_list(closed, sizeof(closed), missing, ports, nports);
		if (!good)
			snprintf(msg, sizeof(msg), "no port answers over IPv6");
		else if (missing)
			snprintf(msg, sizeof(msg),
			    "port %s open, but %s, open "
			    "over IPv4, is closed over IPv6",
			    open, closed);
		else
			snprintf(msg, sizeof(msg), "port %s open", open);
		snprintf(label, sizeof(label), host ? "%s %s" : "%s%s",
		    host ? host : "", a[i].ip);
		if (!good || (missing && !compat))
			(*bad_addrs)++;
		if (nh_check_result_add_detail(r, label,
			!good || (missing && !compat) ? NH_FAILED : NH_PASSED,
			msg,
			json_pack("{s:s, "
				  "s:s, s:s}",
			    "address", a[i].ip, "open", open,
			    "closed_but"
			    "_open_over_ipv4",
			    closed)) == NULL)
			return -1;
	}
	*score = server_score(
	    v6_good, v6_bad, (v4set & ~v6set) != 0, r->meta->points);
	return 0;
}

int
nh_check_ipv6_ws_reach(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	size_t bad = 0, v6 = 0;
	int score = 0, rc;

	if (nh_check_lookup_failed(&f->aaaa, "the AAAA records", r, &rc))
		return rc;
	for (size_t i = 0; i < f->nweb; i++)
		v6 += f->web[i].family == 6;
	if (v6 == 0)
		return nh_check_result_set(r, NH_NOT_TESTED, 0,
		    "the web server has no IPv6 address to test");
	if (host_v6_reach(r, NULL, f->web, f->nweb, f->ports, f->nports,
		o->internetnl_compat, &score, &bad) == -1)
		return -1;
	if (bad > 0)
		return nh_check_result_set(r, NH_FAILED, score,
		    "the web server "
		    "is not fully reachable over IPv6");
	return nh_check_result_set(r, NH_PASSED, score,
	    "every IPv6 address "
	    "of the web server answers on the ports open over IPv4");
}

int
nh_check_ipv6_mx_address(const struct nh_facts *f,
    const struct nh_check_opts *o, struct nh_check_result *r)
{
	size_t without = 0;

	(void)o;
	if (!nh_mx_applies(f))
		return nh_check_no_mx(f, r, false);
	for (size_t i = 0; i < f->nmx; i++) {
		const struct nh_fact_mx *m = &f->mx[i];
		size_t v6 = 0;
		char msg[200];

		for (size_t k = 0; k < m->naddrs; k++)
			v6 += m->addrs[k].family == 6;
		without += v6 == 0;
		snprintf(msg, sizeof(msg),
		    v6 ? "has an IPv6 address"
		       : "has no IPv6 address (no AAAA record)");
		if (nh_check_result_add_detail(r, m->name,
			v6 ? NH_PASSED : NH_FAILED, msg,
			json_pack("{s:s, s:o*, s:o*}", "mx", m->name, "ipv6",
			    addr_list(m->addrs, m->naddrs, 6), "ipv4",
			    addr_list(m->addrs, m->naddrs, 4))) == NULL)
			return -1;
	}
	if (without > 0)
		return nh_check_result_set(r, NH_FAILED, 0,
		    "not every mail "
		    "server has an IPv6 address");
	return nh_check_result_set(
	    r, NH_PASSED, 0, "every mail server has an IPv6 address");
}

int
nh_check_ipv6_mx_reach(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	size_t bad = 0, with_v6 = 0;
	double total = 0;

	if (!nh_mx_applies(f))
		return nh_check_no_mx(f, r, true);
	for (size_t i = 0; i < f->nmx; i++) {
		const struct nh_fact_mx *m = &f->mx[i];
		int score = 0;

		for (size_t k = 0; k < m->naddrs; k++)
			with_v6 += m->addrs[k].family == 6;
		if (host_v6_reach(r, m->name, m->addrs, m->naddrs, f->ports,
			f->nports, o->internetnl_compat, &score, &bad) == -1)
			return -1;
		total += score;
	}
	/* The average over mail servers (Internet.nl do_mx). */
	total = total / (double)f->nmx;
	if (with_v6 == 0)
		return nh_check_result_set(r, NH_NOT_TESTED, 0,
		    "no mail server has an IPv6 address to test");
	if (bad > 0)
		return nh_check_result_set(r, NH_FAILED, (int)total,
		    "some mail "
		    "servers are not reachable over IPv6 on port 25");
	return nh_check_result_set(r, NH_PASSED, (int)total,
	    "every IPv6 address of every mail server answers on port 25");
}
