/*
 * auth.c: the mail authentication checks (../shared/internetnl-catalog.md
 * §2.3): SPF, DKIM and DMARC; and, beyond Internet.nl, MTA-STS (RFC 8461)
 * and TLS-RPT (RFC 8460) as recommendations. The parsing and judging is
 * src/webpol/'s; the records come from the facts (src/engine/mailauth.c).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "checks_impl.h"
#include "webpol/webpol.h"

#define WEAK_POLICY_POINTS 2 /* Internet.nl: DMARC none, SPF ?all/+all */

/* Sets a check from a failed lookup of a set: true when it did. */
static bool
set_lookup_failed(
    const struct nh_fact_rrset *s, struct nh_check_result *r, int *rc)
{
	if (s->lookup.result != NH_LOOKUP_ERROR &&
	    s->lookup.result != NH_LOOKUP_NOT_DONE)
		return false;
	*rc = nh_check_result_set(r, NH_ERROR, 0,
	    s->lookup.result == NH_LOOKUP_NOT_DONE ? "not looked up"
		: s->lookup.error                  ? s->lookup.error
						   : "the lookup failed");
	return true;
}

/* A printable copy of a record for messages. */
static const char *
shown(const struct nh_fact_rrset *s, size_t i, char *buf, size_t size)
{
	return nh_webpol_clean(s->txt[i], buf, size);
}

static json_t *
records_json(const struct nh_fact_rrset *s)
{
	json_t *a = json_array();
	char buf[600];

	for (size_t i = 0; a != NULL && i < s->ntxt; i++) {
		if (json_array_append_new(
			a, json_string(shown(s, i, buf, sizeof(buf)))) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* ---- SPF ---- */

/* The SPF lookups the facts hold, for nh_spf_judge(). */
static void
spf_lookup(
    void *ctx, const char *name, enum nh_spf_qtype t, struct nh_spf_answer *out)
{
	const struct nh_fact_mailauth *a = ctx;
	unsigned type = t == NH_SPF_Q_TXT ? 16 : t == NH_SPF_Q_MX ? 15 : 1;

	memset(out, 0, sizeof(*out));
	out->rcode = -2;
	for (size_t i = 0; i < a->nspf; i++) {
		const struct nh_fact_rrset *s = &a->spf[i];

		if (s->type != type || s->name == NULL ||
		    strcasecmp(s->name, name) != 0)
			continue;
		switch (s->lookup.result) {
		case NH_LOOKUP_ANSWER:
		case NH_LOOKUP_NODATA:
			out->rcode = 0;
			break;
		case NH_LOOKUP_NXDOMAIN:
			out->rcode = 3;
			break;
		case NH_LOOKUP_ERROR:
			out->rcode = -1;
			break;
		default:
			out->rcode = -2;
			break;
		}
		out->txt = (const char *const *)s->txt;
		out->ntxt = s->ntxt;
		out->naddrs = s->count;
		return;
	}
}

/* The SPF records at the domain (its TXT records that begin v=spf1). */
static size_t
spf_records(const struct nh_fact_rrset *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->ntxt; i++)
		n += nh_spf_is_record(s->txt[i]);
	return n;
}

int
nh_check_spf_exist(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	const struct nh_fact_rrset *s = &f->auth.spf[0];
	size_t n;
	int rc;

	(void)o;
	if (f->auth.nspf == 0 || set_lookup_failed(s, r, &rc))
		return f->auth.nspf == 0
		    ? nh_check_result_set(r, NH_ERROR, 0, "not looked up")
		    : rc;
	n = spf_records(s);
	r->evidence = json_pack("{s:o*}", "records", records_json(s));
	if (n == 1)
		return nh_check_result_set(r, NH_PASSED, r->max,
		    "the domain publishes one SPF record");
	return nh_check_result_set(r, NH_FAILED, 0,
	    n == 0 ? "the domain publishes no SPF record"
		   : "the domain publishes more than one SPF record: "
		     "receivers treat that as an error (RFC 7208 §4.5)");
}

int
nh_check_spf_policy(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	struct nh_webpol_result w;
	struct nh_spf_result out;
	char msg[700];
	int points = 0;

	if (f->auth.nspf == 0)
		return nh_check_result_set(r, NH_ERROR, 0, "not looked up");
	nh_spf_judge(f->domain, spf_lookup, (void *)&f->auth,
	    o->internetnl_compat, &out, &w);
	nh_webpol_summary(&w, msg, sizeof(msg));
	if (w.status > NH_FAILED) {
		points = r->max;
	} else if (w.status == NH_FAILED &&
	    nh_webpol_find(&w, "all_permissive") != NULL) {
		/* Internet.nl: a permissive all alone earns 2 points. */
		size_t fails = 0;

		for (size_t i = 0; i < w.n; i++)
			fails += w.f[i].status == NH_FAILED;
		if (fails == 1 && w.dropped == 0)
			points = WEAK_POLICY_POINTS;
	}
	if (o->internetnl_compat)
		points = out.internetnl_points;
	/* Notes (~all rather than -all, ptr, ...) do not lower a pass:
	 * they are in the message. */
	if (w.status == NH_INFO)
		w.status = NH_PASSED;
	r->evidence =
	    json_pack("{s:s, s:b, s:i, s:i, s:b}", "all", out.all, "redirect",
		out.redirect, "lookups", (int)out.lookups, "void_lookups",
		(int)out.void_lookups, "names_cut", f->auth.spf_cut);
	return nh_check_result_set(r, w.status, points, msg);
}

/* ---- DMARC ---- */

/* The DMARC record that applies: at the domain, else at the
 * organizational domain. Returns its set, or NULL; *n counts records. */
static const struct nh_fact_rrset *
dmarc_set(const struct nh_facts *f, size_t *n, bool *at_org)
{
	const struct nh_fact_mailauth *a = &f->auth;
	size_t k = 0;

	*at_org = false;
	for (size_t i = 0; i < a->dmarc.ntxt; i++)
		k += nh_dmarc_is_record(a->dmarc.txt[i], a->dmarc.txt_len[i]);
	if (k > 0 || a->dmarc_org.name == NULL) {
		*n = k;
		return &a->dmarc;
	}
	*at_org = true;
	for (size_t i = 0; i < a->dmarc_org.ntxt; i++)
		k += nh_dmarc_is_record(
		    a->dmarc_org.txt[i], a->dmarc_org.txt_len[i]);
	*n = k;
	return &a->dmarc_org;
}

/* The one DMARC record of a set (n must be 1). */
static size_t
dmarc_index(const struct nh_fact_rrset *s)
{
	for (size_t i = 0; i < s->ntxt; i++) {
		if (nh_dmarc_is_record(s->txt[i], s->txt_len[i]))
			return i;
	}
	return 0;
}

int
nh_check_dmarc_exist(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	const struct nh_fact_rrset *s;
	bool at_org;
	size_t n;
	int rc;
	char msg[400];

	(void)o;
	if (set_lookup_failed(&f->auth.dmarc, r, &rc))
		return rc;
	s = dmarc_set(f, &n, &at_org);
	r->evidence = json_pack(
	    "{s:s*, s:o*}", "name", s->name, "records", records_json(s));
	if (n == 1) {
		snprintf(msg, sizeof(msg), "a DMARC record at %s%s", s->name,
		    at_org ? " (the organizational domain)" : "");
		return nh_check_result_set(r, NH_PASSED, r->max, msg);
	}
	if (n > 1) {
		snprintf(msg, sizeof(msg),
		    "%zu DMARC records at %s: receivers ignore them all "
		    "(RFC 7489 §6.6.3)",
		    n, s->name);
		return nh_check_result_set(r, NH_FAILED, 0, msg);
	}
	return nh_check_result_set(r, NH_FAILED, 0,
	    "no DMARC record at the domain or its organizational domain");
}

/* Whether an external report host agreed (RFC 7489 §7.1). */
static bool
ext_authorized(const struct nh_fact_rrset *s)
{
	for (size_t i = 0; i < s->ntxt; i++) {
		if (nh_dmarc_is_record(s->txt[i], s->txt_len[i]))
			return true;
	}
	return false;
}

int
nh_check_dmarc_policy(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	const struct nh_fact_rrset *s;
	struct nh_webpol_result w;
	struct nh_dmarc d;
	bool at_org;
	size_t n, i;
	const char *policy;
	char msg[700], unauth[300] = "";
	enum nh_status st;
	int points;

	(void)o;
	s = dmarc_set(f, &n, &at_org);
	if (n != 1)
		return nh_check_result_set(r, NH_FAILED, 0,
		    n == 0 ? "no DMARC record: no policy"
			   : "more than one DMARC record: no policy");
	i = dmarc_index(s);
	nh_dmarc_parse(s->txt[i], s->txt_len[i], &d, &w);
	nh_webpol_summary(&w, msg, sizeof(msg));
	if (!d.valid || w.status == NH_FAILED)
		return nh_check_result_set(r, NH_FAILED, 0, msg);
	/* At the organizational domain, sp= is the subdomains' policy. */
	policy = at_org && d.sp[0] ? d.sp : d.p;
	for (size_t k = 0; k < f->auth.next; k++) {
		if (!ext_authorized(&f->auth.ext[k]))
			snprintf(
			    unauth, sizeof(unauth), "%s", f->auth.ext[k].name);
	}
	r->evidence = json_pack("{s:s, s:b, s:b, s:i}", "policy", policy,
	    "testing", d.testing, "at_org", at_org, "pct", (int)d.pct);
	if (policy[0] == '\0' || strcmp(policy, "none") == 0) {
		st = NH_FAILED;
		points = WEAK_POLICY_POINTS;
		snprintf(msg, sizeof(msg),
		    "the policy is %s: receivers are not asked to act on "
		    "mail that fails DMARC",
		    policy[0] ? "none" : "missing");
	} else if (strcmp(policy, "quarantine") == 0 && d.testing) {
		st = NH_FAILED;
		points = WEAK_POLICY_POINTS;
		snprintf(msg, sizeof(msg),
		    "quarantine, but in testing mode (t=y): receivers apply "
		    "the next weaker policy");
	} else if (unauth[0] != '\0') {
		/* Internet.nl: a notice, full points. */
		st = NH_WARNING;
		points = r->max;
		snprintf(msg, sizeof(msg),
		    "policy %s, but a report address outside the domain has "
		    "not agreed to receive its reports (no DMARC record at "
		    "%s, RFC 7489 §7.1)",
		    policy, unauth);
	} else {
		st = NH_PASSED;
		points = r->max;
		snprintf(msg, sizeof(msg), "policy %s%s", policy,
		    at_org ? " (from the organizational domain)" : "");
	}
	return nh_check_result_set(r, st, points, msg);
}

/* ---- DKIM ---- */

/* Whether the domain sends no mail, as Internet.nl tells: DMARC reject
 * and SPF "v=spf1 -all". */
static bool
non_sending(const struct nh_facts *f)
{
	const struct nh_fact_rrset *s;
	struct nh_webpol_result w;
	struct nh_dmarc d;
	bool at_org;
	size_t n, i;

	if (!f->spf_dash_all)
		return false;
	s = dmarc_set(f, &n, &at_org);
	if (n != 1)
		return false;
	i = dmarc_index(s);
	nh_dmarc_parse(s->txt[i], s->txt_len[i], &d, &w);
	return d.valid && strcmp(at_org && d.sp[0] ? d.sp : d.p, "reject") == 0;
}

int
nh_check_dkim_exist(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	const struct nh_fact_rrset *s = &f->auth.dkim;
	int rc;

	(void)o;
	if (non_sending(f))
		return nh_check_result_set(r, NH_NOT_TESTED, r->max,
		    "the domain sends no mail (DMARC reject, SPF -all): no "
		    "DKIM needed");
	if (set_lookup_failed(s, r, &rc))
		return rc;
	if (s->lookup.result == NH_LOOKUP_NXDOMAIN)
		return nh_check_result_set(r, NH_FAILED, 0,
		    "_domainkey does not exist: no DKIM keys are published "
		    "(RFC 8020: the name would exist if any selector did)");
	return nh_check_result_set(r, NH_PASSED, r->max,
	    "_domainkey exists: DKIM keys are published under selectors");
}

/* ---- MTA-STS and TLS-RPT (beyond Internet.nl) ---- */

/* The one record of a set for which is_record holds, or -1 (none, or
 * more than one: no policy). */
static int
one_record(const struct nh_fact_rrset *s,
    bool (*is_record)(const char *, size_t), size_t *n)
{
	int at = -1;

	*n = 0;
	for (size_t i = 0; i < s->ntxt; i++) {
		if (is_record(s->txt[i], s->txt_len[i])) {
			(*n)++;
			at = (int)i;
		}
	}
	return *n == 1 ? at : -1;
}

int
nh_check_mtasts(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	const struct nh_fact_mailauth *a = &f->auth;
	struct nh_webpol_result w;
	struct nh_mtasts_policy pol;
	struct nh_mtasts_fetch in = { 0 };
	const char *mx[NH_FACTS_MAX_MX];
	char msg[700], id[40];
	size_t n;
	int at, rc;

	(void)o;
	if (!nh_mx_applies(f))
		return nh_check_no_mx(f, r, false);
	if (set_lookup_failed(&a->mtasts, r, &rc))
		return rc;
	if ((at = one_record(&a->mtasts, nh_mtasts_is_record, &n)) < 0)
		return nh_check_result_set(r, NH_INFO, 0,
		    n == 0 ? "no MTA-STS policy: senders cannot insist on "
			     "TLS to this domain's MX"
			   : "more than one MTA-STS record: no policy "
			     "(RFC 8461 §3.1)");
	nh_mtasts_txt(
	    a->mtasts.txt[at], a->mtasts.txt_len[at], id, sizeof(id), &w);
	if (w.status <= NH_WARNING) {
		nh_webpol_summary(&w, msg, sizeof(msg));
		return nh_check_result_set(r, w.status, 0, msg);
	}
	if (a->policy_got != NH_PROBE_OK) {
		snprintf(msg, sizeof(msg),
		    "the _mta-sts record is there, but the policy could "
		    "not be fetched: %s",
		    a->policy_error ? a->policy_error : "no answer");
		return nh_check_result_set(r, NH_WARNING, 0, msg);
	}
	for (size_t i = 0; i < f->nmx; i++)
		mx[i] = f->mx[i].name;
	in.status = a->policy_status;
	in.content_type = a->policy_type;
	in.body = a->policy;
	in.len = a->policy_len;
	in.redirected = a->policy_redirected;
	nh_mtasts_policy(&in, mx, f->nmx, &pol, &w);
	nh_webpol_summary(&w, msg, sizeof(msg));
	r->evidence = json_pack("{s:s, s:s, s:I}", "id", id, "mode", pol.mode,
	    "max_age", (json_int_t)pol.max_age);
	return nh_check_result_set(r, w.status, 0, msg);
}

int
nh_check_tlsrpt(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	const struct nh_fact_rrset *s = &f->auth.tlsrpt;
	struct nh_webpol_result w;
	char msg[700];
	size_t n;
	int at, rc;

	(void)o;
	if (!nh_mx_applies(f))
		return nh_check_no_mx(f, r, false);
	if (set_lookup_failed(s, r, &rc))
		return rc;
	if ((at = one_record(s, nh_tlsrpt_is_record, &n)) < 0)
		return nh_check_result_set(r, NH_INFO, 0,
		    n == 0 ? "no TLS-RPT record: senders cannot report TLS "
			     "failures to the domain"
			   : "more than one TLS-RPT record: none applies "
			     "(RFC 8460 §3)");
	nh_tlsrpt_txt(s->txt[at], s->txt_len[at], &w);
	nh_webpol_summary(&w, msg, sizeof(msg));
	return nh_check_result_set(r, w.status, 0, msg);
}
