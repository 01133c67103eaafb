/*
 * util.c: helpers the check functions share.
 */
#include <stdio.h>
#include <string.h>

#include "checks_impl.h"

bool
nh_check_lookup_failed(const struct nh_fact_lookup *l, const char *what,
    struct nh_check_result *r, int *rc)
{
	char msg[300];

	switch (l->result) {
	case NH_LOOKUP_ERROR:
		snprintf(msg, sizeof(msg), "%s could not be looked up: %s",
		    what, l->error ? l->error : "resolver failure");
		*rc = nh_check_result_set(r, NH_ERROR, 0, msg);
		return true;
	case NH_LOOKUP_NOT_DONE:
		snprintf(msg, sizeof(msg), "%s were not looked up", what);
		*rc = nh_check_result_set(r, NH_ERROR, 0, msg);
		return true;
	case NH_LOOKUP_NXDOMAIN:
	case NH_LOOKUP_ANSWER:
	case NH_LOOKUP_NODATA:
		break;
	}
	return false;
}

json_t *
nh_json_strings(const char *const *s, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < n; i++) {
		if (json_array_append_new(a, json_string(s[i])) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

bool
nh_mx_applies(const struct nh_facts *f)
{
	return f->mx_status == NH_MX_HAS_MX && f->nmx > 0;
}

const char *
nh_mx_status_text(enum nh_mx_status s)
{
	switch (s) {
	case NH_MX_NULL:
		return "the domain publishes a null MX (RFC 7505): it accepts "
		       "no mail";
	case NH_MX_NULL_WITH_OTHER:
		return "a null MX is published beside other MX records, which "
		       "RFC 7505 §3 forbids";
	case NH_MX_NULL_WITHOUT_A:
		return "the domain publishes a null MX and has no A or AAAA "
		       "record: it need not publish a null MX";
	case NH_MX_NO_NULL_MX:
		return "no MX record, an address and SPF '-all': the domain "
		       "sends and receives no mail and should publish a null "
		       "MX "
		       "(RFC 7505)";
	case NH_MX_NONE:
		return "no MX record: the domain receives no mail";
	case NH_MX_ERROR:
		return "the MX records could not be looked up";
	case NH_MX_HAS_MX:
	case NH_MX_NOT_DONE:
		break;
	}
	return "no mail servers";
}

int
nh_check_no_mx(
    const struct nh_facts *f, struct nh_check_result *r, bool full_points)
{
	enum nh_status st;

	switch (f->mx_status) {
	case NH_MX_ERROR:
		return nh_check_result_set(r, NH_ERROR, 0,
		    f->mx_lookup.error ? f->mx_lookup.error
				       : nh_mx_status_text(f->mx_status));
	case NH_MX_NULL_WITH_OTHER:
		st = NH_WARNING;
		break;
	case NH_MX_NULL_WITHOUT_A:
	case NH_MX_NO_NULL_MX:
		st = NH_INFO;
		break;
	default:
		st = NH_NOT_TESTED;
		break;
	}
	/* Internet.nl: without mail servers, MX reachability scores full. */
	if (full_points)
		return nh_check_result_set(
		    r, st, r->max, nh_mx_status_text(f->mx_status));
	r->max = 0;
	return nh_check_result_set(r, st, 0, nh_mx_status_text(f->mx_status));
}

int
nh_check_summarize(struct nh_check_result *r)
{
	size_t count[NH_STATUS_COUNT] = { 0 }, len = 0;
	bool same = true;
	char msg[300];

	if (r->message != NULL || r->nservers == 0)
		return 0;
	for (size_t i = 0; i < r->nservers; i++) {
		const char *a = r->servers[i].message,
			   *b = r->servers[0].message;

		count[nh_status_clamp(r->servers[i].status, r->meta->worst)]++;
		same = same && a != NULL && b != NULL && strcmp(a, b) == 0;
	}
	if (same)
		return (r->message = strdup(r->servers[0].message)) == NULL ? -1
									    : 0;
	msg[0] = '\0';
	for (int st = NH_STATUS_COUNT - 1; st >= 0; st--) {
		if (count[st] == 0 || len >= sizeof(msg))
			continue;
		len += (size_t)snprintf(msg + len, sizeof(msg) - len,
		    "%s%zu %s", len ? ", " : "", count[st],
		    nh_status_name((enum nh_status)st));
	}
	if (len < sizeof(msg))
		snprintf(msg + len, sizeof(msg) - len, " (of %zu servers)",
		    r->nservers);
	return (r->message = strdup(msg)) == NULL ? -1 : 0;
}

enum nh_probe
nh_web_port(const struct nh_facts *f, const char *ip, unsigned port)
{
	for (size_t i = 0; i < f->nweb; i++) {
		if (strcmp(f->web[i].ip, ip) != 0)
			continue;
		for (size_t p = 0; p < f->nports; p++) {
			if (f->ports[p] == port)
				return f->web[i].port[p];
		}
	}
	return NH_PROBE_NOT_DONE;
}
