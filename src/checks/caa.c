/*
 * caa.c: the CAA checks (../shared/internetnl-catalog.md §1.7): the CAA
 * record set that applies to the domain (web) or each MX name (mail),
 * found by climbing towards the root (RFC 8659 §3), must exist, hold an
 * "issue" property, and every record must be well-formed. Not scored;
 * a problem is a warning.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "checks_impl.h"

/* RFC 8659 §4.2: label = (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT)). */
static size_t
scan_label(const char *s)
{
	size_t n = 0;

	if (!isalnum((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '-')
		n++;
	while (n > 0 && s[n - 1] == '-')
		n--; /* a label cannot end with a hyphen */
	return n;
}

static const char *
skip_wsp(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* ACME validation methods (IANA registry), for RFC 8657. */
static bool
acme_method(const char *m, size_t len)
{
	static const char *const known[] = { "http-01", "dns-01", "tls-sni-01",
		"tls-sni-02", "tls-alpn-01", "email-reply-00", "tkauth-01",
		"dns-account-01", "onion-csr-01" };

	if (len > 3 && strncasecmp(m, "ca-", 3) == 0)
		return true;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (strlen(known[i]) == len &&
		    strncasecmp(known[i], m, len) == 0)
			return true;
	}
	return false;
}

/* RFC 8657 §4: validationmethods = label *("," label), known methods. */
static int
check_methods(const char *v, size_t len, char *why, size_t size)
{
	size_t i = 0;

	if (len == 0) {
		snprintf(why, size, "validationmethods: empty list");
		return -1;
	}
	while (i < len) {
		size_t l = scan_label(v + i);

		if (l == 0 || !acme_method(v + i, l)) {
			snprintf(why, size,
			    "validationmethods: '%.*s' is not an "
			    "ACME validation method",
			    (int)(len - i), v + i);
			return -1;
		}
		i += l;
		if (i < len && v[i++] != ',') {
			snprintf(why, size, "validationmethods: bad list");
			return -1;
		}
		if (i == len && v[len - 1] == ',') {
			snprintf(why, size, "validationmethods: empty method");
			return -1;
		}
	}
	return 0;
}

/*
 * The issue / issuewild / issuemail / issuevmc value (RFC 8659 §4.2):
 *   *WSP [issuer-domain-name *WSP] [";" *WSP [parameters *WSP]]
 */
static int
check_issue(const char *v, char *why, size_t size)
{
	const char *p = skip_wsp(v);
	size_t l;

	/* issuer-domain-name = label *("." label) */
	if ((l = scan_label(p)) > 0) {
		p += l;
		while (*p == '.') {
			if ((l = scan_label(p + 1)) == 0) {
				snprintf(why, size, "bad issuer domain name");
				return -1;
			}
			p += 1 + l;
		}
		p = skip_wsp(p);
	}
	if (*p == '\0')
		return 0;
	if (*p != ';') {
		snprintf(why, size, "unexpected '%c' after the issuer", *p);
		return -1;
	}
	p = skip_wsp(p + 1);
	/* parameters = parameter *(*WSP ";" *WSP parameter) */
	while (*p != '\0') {
		const char *tag = p, *val;
		size_t tlen, vlen = 0;

		if ((tlen = scan_label(p)) == 0) {
			snprintf(why, size, "bad parameter name");
			return -1;
		}
		p = skip_wsp(p + tlen);
		if (*p != '=') {
			snprintf(why, size, "parameter '%.*s' has no '='",
			    (int)tlen, tag);
			return -1;
		}
		val = p = skip_wsp(p + 1);
		/* value = *(%x21-3A / %x3C-7E) */
		while (p[vlen] >= 0x21 && p[vlen] <= 0x7e && p[vlen] != ';')
			vlen++;
		p = skip_wsp(p + vlen);
		if (tlen == 17 &&
		    strncasecmp(tag, "validationmethods", 17) == 0 &&
		    check_methods(val, vlen, why, size) == -1)
			return -1;
		if (*p == '\0')
			break;
		if (*p != ';') {
			snprintf(why, size, "bad character in parameter '%.*s'",
			    (int)tlen, tag);
			return -1;
		}
		p = skip_wsp(p + 1);
	}
	return 0;
}

/* An e-mail address, loosely: local@domain with a dotted domain. */
static bool
email_ok(const char *s)
{
	const char *at = strrchr(s, '@');
	size_t l;

	if (at == NULL || at == s || strchr(s, ' ') != NULL)
		return false;
	for (const char *p = at + 1;; p += l + 1) {
		if ((l = scan_label(p)) == 0)
			return false;
		if (p[l] == '\0')
			return strchr(at + 1, '.') != NULL;
		if (p[l] != '.')
			return false;
	}
}

/*
 * iodef (RFC 8659 §4.4): a mailto: URL, or an http: or https: URL for the
 * RFC 6546 web service. (../shared/internetnl-catalog.md §1.7 says
 * Internet.nl rejects http:, but RFC 8659 names both.)
 */
static int
check_iodef(const char *v, char *why, size_t size)
{
	size_t skip = strncasecmp(v, "https://", 8) == 0 ? 8
	    : strncasecmp(v, "http://", 7) == 0          ? 7
							 : 0;

	if (strncasecmp(v, "mailto:", 7) == 0) {
		if (!email_ok(v + 7)) {
			snprintf(why, size, "iodef: bad mailto address");
			return -1;
		}
		return 0;
	}
	if (skip > 0) {
		if (scan_label(v + skip) == 0) {
			snprintf(why, size, "iodef: URL without a host");
			return -1;
		}
		return 0;
	}
	snprintf(why, size,
	    "iodef: scheme other than mailto:, http: or "
	    "https:");
	return -1;
}

/* contactphone: an RFC 3966 global number, "+" then digits and
 * visual separators. */
static bool
phone_ok(const char *s)
{
	size_t digits = 0;

	if (*s++ != '+')
		return false;
	for (; *s != '\0'; s++) {
		if (isdigit((unsigned char)*s))
			digits++;
		else if (strchr("-.()", *s) == NULL)
			return false;
	}
	return digits > 0;
}

static bool
utf8_ok(const unsigned char *s)
{
	while (*s != '\0') {
		size_t n = *s < 0x80      ? 0
		    : (*s & 0xe0) == 0xc0 ? 1
		    : (*s & 0xf0) == 0xe0 ? 2
		    : (*s & 0xf8) == 0xf0 ? 3
					  : 9;

		if (n == 9 || (n == 1 && *s < 0xc2))
			return false;
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
		}
		s += n + 1;
	}
	return true;
}

int
nh_caa_check_record(
    unsigned flags, const char *tag, const char *value, char *why, size_t size)
{
	size_t tlen = strlen(tag);

	if (flags != 0 && flags != 128) {
		snprintf(
		    why, size, "flags %u: only 0 and 128 are defined", flags);
		return -1;
	}
	/* RFC 8659 §4.1: a tag is 1 to 15 ASCII letters and digits. */
	if (tlen == 0 || tlen > 15) {
		snprintf(why, size, "tag of %zu characters", tlen);
		return -1;
	}
	for (size_t i = 0; i < tlen; i++) {
		if (!isalnum((unsigned char)tag[i])) {
			snprintf(why, size,
			    "tag with a character other than "
			    "letters and digits");
			return -1;
		}
	}
	if (!utf8_ok((const unsigned char *)value)) {
		snprintf(why, size, "%s: value is not UTF-8", tag);
		return -1;
	}
	if (strcasecmp(tag, "issue") == 0 ||
	    strcasecmp(tag, "issuewild") == 0 ||
	    strcasecmp(tag, "issuemail") == 0 ||
	    strcasecmp(tag, "issuevmc") == 0) {
		char inner[200];

		if (check_issue(value, inner, sizeof(inner)) == -1) {
			snprintf(why, size, "%s: %s", tag, inner);
			return -1;
		}
		return 0;
	}
	if (strcasecmp(tag, "iodef") == 0)
		return check_iodef(value, why, size);
	if (strcasecmp(tag, "contactemail") == 0) {
		if (!email_ok(value)) {
			snprintf(why, size, "contactemail: bad address");
			return -1;
		}
		return 0;
	}
	if (strcasecmp(tag, "contactphone") == 0) {
		if (!phone_ok(value)) {
			snprintf(why, size,
			    "contactphone: not a global "
			    "number (RFC 3966)");
			return -1;
		}
		return 0;
	}
	if (strcasecmp(tag, "auth") == 0 || strcasecmp(tag, "path") == 0 ||
	    strcasecmp(tag, "policy") == 0) {
		snprintf(
		    why, size, "tag '%s' is reserved (RFC 8659 §7.2)", tag);
		return -1;
	}
	snprintf(why, size,
	    flags & 128 ? "unknown critical tag '%s': no CA "
			  "may issue"
			: "unknown tag '%s'",
	    tag);
	return -1;
}

/* Judges one CAA set; details per record. Returns the status. */
static enum nh_status
judge_caa(const struct nh_fact_caa *c, const char *label,
    struct nh_check_result *r, char *msg, size_t size, int *rc)
{
	size_t bad = 0, issue = 0;

	*rc = 0;
	if (c->lookup.result == NH_LOOKUP_ERROR) {
		snprintf(msg, size,
		    "the CAA records could not be looked up: %s",
		    c->lookup.error ? c->lookup.error : "error");
		return NH_ERROR;
	}
	if (c->found_at == NULL || c->nrrs == 0) {
		snprintf(msg, size, "no CAA records: any CA may issue");
		return NH_WARNING;
	}
	for (size_t i = 0; i < c->nrrs; i++) {
		const struct nh_fact_caa_rr *rr = &c->rrs[i];
		char why[256], line[600], who[300];
		bool ok = nh_caa_check_record(rr->flags, rr->tag, rr->value,
			      why, sizeof(why)) == 0;

		bad += !ok;
		issue += strcasecmp(rr->tag, "issue") == 0;
		snprintf(line, sizeof(line), "%u %s \"%s\"%s%s", rr->flags,
		    rr->tag, rr->value, ok ? "" : ": ", ok ? "" : why);
		snprintf(who, sizeof(who), "%s%s%s", label ? label : "",
		    label ? " " : "", c->found_at);
		if (nh_check_result_add_detail(r, who,
			ok ? NH_PASSED : NH_WARNING, line,
			json_pack("{s:i, s:s, s:s}", "flags", (int)rr->flags,
			    "tag", rr->tag, "value", rr->value)) == NULL) {
			*rc = -1;
			return NH_ERROR;
		}
	}
	if (bad > 0) {
		snprintf(msg, size, "%zu CAA record%s at %s %s malformed", bad,
		    bad > 1 ? "s" : "", c->found_at, bad > 1 ? "are" : "is");
		return NH_WARNING;
	}
	if (issue == 0) {
		snprintf(msg, size,
		    "CAA records at %s, but no 'issue' "
		    "property",
		    c->found_at);
		return NH_WARNING;
	}
	snprintf(msg, size, "CAA records at %s name the CAs that may issue",
	    c->found_at);
	return NH_PASSED;
}

int
nh_check_caa_domain(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	char msg[400];
	enum nh_status st;
	int rc;

	(void)o;
	st = judge_caa(&f->caa, NULL, r, msg, sizeof(msg), &rc);
	if (rc == -1)
		return -1;
	r->evidence = json_pack("{s:s*}", "found_at", f->caa.found_at);
	return nh_check_result_set(r, st, 0, msg);
}

int
nh_check_caa_mx(const struct nh_facts *f, const struct nh_check_opts *o,
    struct nh_check_result *r)
{
	enum nh_status worst = NH_PASSED;
	char msg[400];
	int rc;

	(void)o;
	if (!nh_mx_applies(f))
		return nh_check_no_mx(f, r, false);
	for (size_t i = 0; i < f->nmx; i++) {
		enum nh_status st = judge_caa(
		    &f->mx[i].caa, f->mx[i].name, r, msg, sizeof(msg), &rc);

		if (rc == -1)
			return -1;
		/* A set without records has no detail of its own. */
		if (f->mx[i].caa.nrrs == 0 &&
		    nh_check_result_add_detail(
			r, f->mx[i].name, st, msg, NULL) == NULL)
			return -1;
		worst = nh_status_worse(worst, st);
	}
	return nh_check_result_set(r, worst, 0,
	    worst == NH_PASSED
		? "every mail server name has valid CAA records"
		: "not every mail server name has valid CAA records");
}
