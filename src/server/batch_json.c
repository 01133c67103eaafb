/*
 * batch_json.c: the Internet.nl batch API v2 envelope, the request object,
 * /metadata/report, and the table that places every check of
 * src/checks/table.c in Internet.nl's report: category, section (names and
 * translation keys of interface/batch/__init__.py REPORT_METADATA_*_MAP)
 * and the verdict words each status can carry (checks/categories.py: the
 * last word of "detail <key> verdict <word>").
 *
 * Beyond Internet.nl: the checks nethealth runs that Internet.nl does not
 * (key NULL) sit in the same tree, after Internet.nl's tests of their
 * category or section; NH_BATCH_INTERNETNL_ONLY leaves them out.
 *
 * Differences from Internet.nl's /metadata/report:
 *   - "web_rpki" and "mail_rpki" name both a category and a section there,
 *     and its "data" keeps the section (the later write); here "data"
 *     keeps the category, which is what a client looks up.
 *   - The translation keys of web/mail_https_tls_extendedmastersecret and
 *     *_tls_caa follow the pattern of their neighbours; they were not
 *     read from Internet.nl's source.
 *   - Every item has a "label" (nethealth's catalog title) besides the
 *     translation key, for clients without Internet.nl's .po files.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch_json.h"
#include "checks/checks.h"

#define V(st, words) [st] = (words)

/*
 * Verdict words beyond the generic ones (see batch_json.h): each list's
 * first word is what a status gives by default; the others come from the
 * rules of batch_results.c.
 */
#define MX_NOT_TESTED(none) V(NH_NOT_TESTED, none " null-mx")
#define MX_INFO V(NH_INFO, "no-null-mx null-mx")
#define MX_WARNING V(NH_WARNING, "invalid-null-mx")

static const struct nh_batch_test tests[] = {
	/* Website: IPv6. */
	{ "web_ipv6_ns_address", "web_ipv6_nameservers",
	    "web-mail ipv6 ns-AAAA", { V(NH_FAILED, "bad other") } },
	{ "web_ipv6_ns_reach", "web_ipv6_nameservers", "web-mail ipv6 ns-reach",
	    { 0 } },
	{ "web_ns_reach_ipv4", "web_ipv6_nameservers", NULL, { 0 } },
	{ "web_ipv6_ws_address", "web_ipv6_webserver", "web ipv6 web-AAAA",
	    { 0 } },
	{ "web_ipv6_ws_reach", "web_ipv6_webserver", "web ipv6 web-reach",
	    { 0 } },
	{ "web_ipv6_ws_similar", "web_ipv6_webserver", "web ipv6 web-ipv46",
	    { 0 } },

	/* Website: DNSSEC. */
	{ "web_dnssec_exist", NULL, "web dnnsec exists",
	    { V(NH_ERROR, "resolver-error") } },
	{ "web_dnssec_valid", NULL, "web dnnsec valid",
	    { V(NH_WARNING, "unsupported-ds-algo") } },
	{ "web_dnssec_algorithms", NULL, NULL, { 0 } },
	{ "web_dnssec_nsec3", NULL, NULL, { 0 } },

	/* Website: HTTPS. */
	{ "web_https_http_available", "web_https_http", "web tls https-exists",
	    { V(NH_ERROR, "other") } },
	{ "web_https_http_redirect", "web_https_http", "web tls https-forced",
	    { V(NH_PASSED, "good other") } },
	{ "web_https_http_compress", "web_https_http",
	    "web tls http-compression", { 0 } },
	{ "web_https_http_hsts", "web_https_http", "web tls https-hsts",
	    { V(NH_FAILED, "bad other") } },
	{ "web_https_tls_version", "web_https_tls", "web tls version",
	    { V(NH_WARNING, "phase-out") } },
	{ "web_https_tls_ciphers", "web_https_tls", "web tls ciphers",
	    { V(NH_WARNING, "phase-out") } },
	{ "web_https_tls_cipherorder", "web_https_tls", "web tls cipher-order",
	    { V(NH_PASSED, "good na"), V(NH_WARNING, "warning"),
		V(NH_INFO, "warning") } },
	{ "web_https_tls_keyexchange", "web_https_tls", "web tls fs-params",
	    { V(NH_PASSED, "good na"), V(NH_WARNING, "phase-out") } },
	{ "web_https_tls_keyexchangehash", "web_https_tls",
	    "web tls kex-hash-func",
	    { V(NH_WARNING, "phase-out"), V(NH_INFO, "other") } },
	{ "web_https_tls_compress", "web_https_tls", "web tls compression",
	    { 0 } },
	{ "web_https_tls_secreneg", "web_https_tls",
	    "web tls renegotiation-secure", { 0 } },
	{ "web_https_tls_clientreneg", "web_https_tls",
	    "web tls renegotiation-client", { 0 } },
	{ "web_https_tls_extendedmastersecret", "web_https_tls",
	    "web tls extended-master-secret",
	    { V(NH_NOT_TESTED, "not-tested na") } },
	{ "web_https_tls_0rtt", "web_https_tls", "web tls zero-rtt",
	    { V(NH_PASSED, "good na") } },
	{ "web_https_tls_ocsp", "web_https_tls", "web tls ocsp-stapling",
	    { V(NH_INFO, "ok") } },
	{ "web_https_tls_caa", "web_https_tls", "web tls caa", { 0 } },
	{ "web_https_cert_chain", "web_https_certificate", "web tls cert-trust",
	    { 0 } },
	{ "web_https_cert_pubkey", "web_https_certificate",
	    "web tls cert-pubkey", { V(NH_WARNING, "phase-out") } },
	{ "web_https_cert_sig", "web_https_certificate",
	    "web tls cert-signature", { 0 } },
	{ "web_https_cert_domain", "web_https_certificate",
	    "web tls cert-hostmatch", { 0 } },
	{ "web_https_dane_exist", "web_https_dane", "web tls dane-exists",
	    { V(NH_FAILED, "bad bogus"), V(NH_INFO, "bad bogus") } },
	{ "web_https_dane_valid", "web_https_dane", "web tls dane-valid",
	    { 0 } },

	/* Website: security options. */
	{ "web_appsecpriv_x_frame_options", "web_appsecpriv_http_headers",
	    "web appsecpriv http-x-frame", { 0 } },
	{ "web_appsecpriv_x_content_type_options",
	    "web_appsecpriv_http_headers", "web appsecpriv http-x-content",
	    { 0 } },
	{ "web_appsecpriv_csp", "web_appsecpriv_http_headers",
	    "web appsecpriv http-csp", { 0 } },
	{ "web_appsecpriv_referrer_policy", "web_appsecpriv_http_headers",
	    "web appsecpriv http-referrer-policy", { 0 } },
	{ "web_appsecpriv_securitytxt", "web_appsecpriv_http_headers",
	    "web appsecpriv http-securitytxt", { 0 } },

	/* Website: RPKI. Internet.nl shows an error as not tested. */
	{ "web_rpki_exists", "web_rpki", "web rpki exists",
	    { V(NH_NOT_TESTED, "not-tested no-addresses"),
		V(NH_ERROR, "not-tested") } },
	{ "web_rpki_valid", "web_rpki", "web rpki valid",
	    { V(NH_ERROR, "not-tested") } },
	{ "web_ns_rpki_exists", "web_ns_rpki", "web-mail rpki ns-exists",
	    { V(NH_ERROR, "not-tested") } },
	{ "web_ns_rpki_valid", "web_ns_rpki", "web-mail rpki ns-valid",
	    { V(NH_ERROR, "not-tested") } },

	/* Mail: IPv6. */
	{ "mail_ipv6_ns_address", "mail_ipv6_nameservers",
	    "web-mail ipv6 ns-AAAA", { V(NH_FAILED, "bad other") } },
	{ "mail_ipv6_ns_reach", "mail_ipv6_nameservers",
	    "web-mail ipv6 ns-reach", { 0 } },
	{ "mail_ns_reach_ipv4", "mail_ipv6_nameservers", NULL, { 0 } },
	{ "mail_ipv6_mx_address", "mail_ipv6_mailserver", "mail ipv6 mx-AAAA",
	    { MX_NOT_TESTED("other"), MX_INFO, MX_WARNING } },
	{ "mail_ipv6_mx_reach", "mail_ipv6_mailserver", "mail ipv6 mx-reach",
	    { 0 } },

	/* Mail: DNSSEC. */
	{ "mail_dnssec_mailto_exist", "mail_dnssec_domain",
	    "mail dnnsec exists", { V(NH_ERROR, "resolver-error") } },
	{ "mail_dnssec_mailto_valid", "mail_dnssec_domain", "mail dnnsec valid",
	    { V(NH_WARNING, "unsupported-ds-algo") } },
	{ "mail_dnssec_algorithms", "mail_dnssec_domain", NULL, { 0 } },
	{ "mail_dnssec_nsec3", "mail_dnssec_domain", NULL, { 0 } },
	{ "mail_dnssec_mx_exist", "mail_dnssec_mailservers",
	    "mail dnnsec mx-exists",
	    { MX_NOT_TESTED("no-mailservers"), MX_INFO, MX_WARNING,
		V(NH_ERROR, "resolver-error") } },
	{ "mail_dnssec_mx_valid", "mail_dnssec_mailservers",
	    "mail dnnsec mx-valid", { V(NH_WARNING, "unsupported-ds-algo") } },

	/* Mail: authenticity marks. */
	{ "mail_auth_dmarc_exist", "mail_auth_dmarc", "mail auth dmarc",
	    { 0 } },
	{ "mail_auth_dmarc_policy", "mail_auth_dmarc", "mail auth dmarc-policy",
	    { V(NH_FAILED, "bad policy"), V(NH_WARNING, "external") } },
	{ "mail_auth_dkim_exist", "mail_auth_dkim", "mail auth dkim",
	    { V(NH_NOT_TESTED, "not-tested no-email") } },
	{ "mail_auth_spf_exist", "mail_auth_spf", "mail auth spf", { 0 } },
	{ "mail_auth_spf_policy", "mail_auth_spf", "mail auth spf-policy",
	    { V(NH_FAILED, "bad all max-lookups") } },

	/* Mail: STARTTLS and DANE. */
	{ "mail_starttls_tls_available", "mail_starttls_tls",
	    "mail tls starttls-exists",
	    { MX_NOT_TESTED("other-2"), MX_INFO, MX_WARNING,
		V(NH_ERROR, "other could-not-test") } },
	{ "mail_starttls_tls_version", "mail_starttls_tls", "mail tls version",
	    { V(NH_WARNING, "phase-out") } },
	{ "mail_starttls_tls_ciphers", "mail_starttls_tls", "mail tls ciphers",
	    { V(NH_WARNING, "phase-out") } },
	{ "mail_starttls_tls_cipherorder", "mail_starttls_tls",
	    "mail tls cipher-order",
	    { V(NH_PASSED, "good na"), V(NH_WARNING, "warning"),
		V(NH_INFO, "warning") } },
	{ "mail_starttls_tls_keyexchange", "mail_starttls_tls",
	    "mail tls fs-params",
	    { V(NH_PASSED, "good na"), V(NH_WARNING, "phase-out") } },
	{ "mail_starttls_tls_keyexchangehash", "mail_starttls_tls",
	    "mail tls kex-hash-func",
	    { V(NH_WARNING, "phase-out"), V(NH_INFO, "other") } },
	{ "mail_starttls_tls_compress", "mail_starttls_tls",
	    "mail tls compression", { 0 } },
	{ "mail_starttls_tls_secreneg", "mail_starttls_tls",
	    "mail tls renegotiation-secure", { 0 } },
	{ "mail_starttls_tls_clientreneg", "mail_starttls_tls",
	    "mail tls renegotiation-client", { 0 } },
	{ "mail_starttls_tls_extendedmastersecret", "mail_starttls_tls",
	    "mail tls extended-master-secret",
	    { V(NH_NOT_TESTED, "not-tested na") } },
	/* Internet.nl no longer tests 0-RTT on SMTP: always "na". */
	{ "mail_starttls_tls_0rtt", "mail_starttls_tls", "mail tls zero-rtt",
	    { V(NH_PASSED, "na"), V(NH_NOT_TESTED, "na") } },
	{ "mail_starttls_tls_caa", "mail_starttls_tls", "mail tls caa", { 0 } },
	{ "mail_starttls_cert_chain", "mail_starttls_certificate",
	    "mail tls cert-trust", { 0 } },
	{ "mail_starttls_cert_pubkey", "mail_starttls_certificate",
	    "mail tls cert-pubkey", { V(NH_WARNING, "phase-out") } },
	{ "mail_starttls_cert_sig", "mail_starttls_certificate",
	    "mail tls cert-signature", { 0 } },
	{ "mail_starttls_cert_domain", "mail_starttls_certificate",
	    "mail tls cert-hostmatch", { 0 } },
	{ "mail_starttls_dane_exist", "mail_starttls_dane",
	    "mail tls dane-exists", { V(NH_FAILED, "bad bogus") } },
	{ "mail_starttls_dane_valid", "mail_starttls_dane",
	    "mail tls dane-valid", { 0 } },
	{ "mail_starttls_dane_rollover", "mail_starttls_dane",
	    "mail tls dane-rollover", { 0 } },
	{ "mail_starttls_mtasts", NULL, NULL, { 0 } },
	{ "mail_starttls_tlsrpt", NULL, NULL, { 0 } },

	/* Mail: RPKI. */
	{ "mail_rpki_exists", "mail_rpki", "mail rpki exists",
	    { V(NH_NOT_TESTED, "not-tested no-addresses"),
		V(NH_ERROR, "not-tested") } },
	{ "mail_rpki_valid", "mail_rpki", "mail rpki valid",
	    { V(NH_ERROR, "not-tested") } },
	{ "mail_ns_rpki_exists", "mail_ns_rpki", "web-mail rpki ns-exists",
	    { V(NH_ERROR, "not-tested") } },
	{ "mail_ns_rpki_valid", "mail_ns_rpki", "web-mail rpki ns-valid",
	    { V(NH_ERROR, "not-tested") } },
	{ "mail_mx_ns_rpki_exists", "mail_mx_ns_rpki", "mail rpki mx-ns-exists",
	    { V(NH_NOT_TESTED, "not-tested no-addresses"),
		V(NH_ERROR, "not-tested") } },
	{ "mail_mx_ns_rpki_valid", "mail_mx_ns_rpki", "mail rpki mx-ns-valid",
	    { V(NH_ERROR, "not-tested") } },
};

#define NTESTS (sizeof(tests) / sizeof(tests[0]))

/* Internet.nl's sections, in report order, and its categories' keys. */
struct section {
	const char *category, *name, *key;
};

static const struct section sections[] = {
	{ "web_ipv6", "web_ipv6_nameservers", "domain-mail ipv6 name-servers" },
	{ "web_ipv6", "web_ipv6_webserver", "domain ipv6 web-server" },
	{ "web_https", "web_https_http", "domain tls https" },
	{ "web_https", "web_https_tls", "domain tls tls" },
	{ "web_https", "web_https_certificate", "domain-mail tls certificate" },
	{ "web_https", "web_https_dane", "domain-mail tls dane" },
	{ "web_appsecpriv", "web_appsecpriv_http_headers",
	    "domain appsecpriv http-headers" },
	{ "web_rpki", "web_rpki", "domain rpki web-server" },
	{ "web_rpki", "web_ns_rpki", "domain-mail rpki name-servers" },
	{ "mail_ipv6", "mail_ipv6_nameservers",
	    "domain-mail ipv6 name-servers" },
	{ "mail_ipv6", "mail_ipv6_mailserver", "mail ipv6 mail-servers" },
	{ "mail_dnssec", "mail_dnssec_domain", "mail dnssec domain" },
	{ "mail_dnssec", "mail_dnssec_mailservers",
	    "mail dnssec mail-servers" },
	{ "mail_auth", "mail_auth_dmarc", "mail auth dmarc" },
	{ "mail_auth", "mail_auth_dkim", "mail auth dkim" },
	{ "mail_auth", "mail_auth_spf", "mail auth spf" },
	{ "mail_starttls", "mail_starttls_tls", "mail tls starttls" },
	{ "mail_starttls", "mail_starttls_certificate",
	    "domain-mail tls certificate" },
	{ "mail_starttls", "mail_starttls_dane", "domain-mail tls dane" },
	{ "mail_rpki", "mail_rpki", "mail rpki mail-servers" },
	{ "mail_rpki", "mail_ns_rpki", "domain-mail rpki name-servers" },
	{ "mail_rpki", "mail_mx_ns_rpki", "domain-mail rpki mx-name-servers" },
};

static const struct {
	const char *category, *key;
} category_keys[] = {
	{ "web_ipv6", "siteipv6" },
	{ "web_dnssec", "sitednssec" },
	{ "web_https", "sitetls" },
	{ "web_appsecpriv", "siteappsecpriv" },
	{ "web_rpki", "siterpki" },
	{ "mail_ipv6", "mailipv6" },
	{ "mail_dnssec", "maildnssec" },
	{ "mail_auth", "mailauth" },
	{ "mail_starttls", "mailtls" },
	{ "mail_rpki", "mailrpki" },
};

static const char *const generic[NH_STATUS_COUNT] = {
	[NH_ERROR] = "could-not-test",
	[NH_FAILED] = "bad",
	[NH_WARNING] = "bad",
	[NH_INFO] = "bad",
	[NH_NOT_TESTED] = "not-tested",
	[NH_PASSED] = "good",
};

/* ---- Helpers shared by the batch_*.c files ---- */

int
nh_batch_jset(json_t *obj, const char *key, json_t *v)
{
	if (v == NULL)
		return -1;
	return json_object_set_new(obj, key, v);
}

/* Whether s[0..len) is UTF-8 without NUL (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF). */
static bool
valid_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i], n, cp;

		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07;
		else
			return false;
		if (len - i <= n)
			return false;
		for (unsigned k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 2 &&
			(cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
		i += n + 1;
	}
	return true;
}

json_t *
nh_batch_text(const char *s, size_t len)
{
	json_t *v;
	char *c;

	if (s == NULL)
		return json_null();
	if (valid_utf8((const unsigned char *)s, len))
		return json_stringn(s, len);
	if ((c = malloc(len + 1)) == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)s[i];

		c[i] = b == 0 || b >= 0x80 ? '?' : (char)b;
	}
	c[len] = '\0';
	v = json_stringn(c, len);
	free(c);
	return v;
}

const struct nh_batch_test *
nh_batch_test_find(const char *id)
{
	for (size_t i = 0; i < NTESTS; i++) {
		if (strcmp(tests[i].id, id) == 0)
			return &tests[i];
	}
	return NULL;
}

const char *
nh_batch_verdict_default(
    const struct nh_batch_test *t, enum nh_status st, char *buf, size_t size)
{
	const char *w = t != NULL ? t->verdicts[st] : NULL;
	size_t n;

	assert(size > 0 && (unsigned)st < NH_STATUS_COUNT);
	if (w == NULL)
		w = generic[st];
	n = strcspn(w, " ");
	if (n >= size)
		n = size - 1;
	memcpy(buf, w, n);
	buf[n] = '\0';
	return buf;
}

const char *
nh_batch_category_status(enum nh_status st)
{
	switch (st) {
	case NH_ERROR:
		return "error";
	case NH_FAILED:
		return "failed";
	case NH_WARNING:
		return "warning";
	case NH_INFO:
	case NH_NOT_TESTED:
		/* Internet.nl has no category that is not tested. */
		return "info";
	case NH_PASSED:
		break;
	}
	return "passed";
}

const struct nh_store_check *
nh_batch_check(const struct nh_store_result *r, const char *id)
{
	for (size_t i = 0; i < r->nchecks; i++) {
		if (strcmp(r->checks[i].id, id) == 0)
			return &r->checks[i];
	}
	return NULL;
}

/*
 * A member of a check's evidence text into *out (a new reference, or NULL
 * when absent). Returns 0, or -1 when the text cannot be read: the store
 * writes it as JSON, so that is memory running out (jansson reports it as
 * a syntax error) or a damaged row, both errors.
 */
static int
evidence_member(const struct nh_store_check *c, const char *key, json_t **out)
{
	json_t *o;

	*out = NULL;
	if (c == NULL || c->evidence == NULL)
		return 0;
	if ((o = json_loads(c->evidence, 0, NULL)) == NULL)
		return -1;
	*out = json_incref(json_object_get(o, key));
	json_decref(o);
	return 0;
}

int
nh_batch_findings(const struct nh_store_check *c, json_t **out)
{
	if (evidence_member(c, "servers", out) == -1)
		return -1;
	if (*out != NULL && !json_is_array(*out)) {
		json_decref(*out);
		*out = NULL;
	}
	return 0;
}

int
nh_batch_evidence(const struct nh_store_check *c, json_t **out)
{
	return evidence_member(c, "evidence", out);
}

/* ---- Envelope and request ---- */

json_t *
nh_batch_reply(void)
{
	json_t *o = json_object();

	if (o == NULL ||
	    nh_batch_jset(
		o, "api_version", json_string(NH_BATCH_API_VERSION)) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
nh_batch_error(const char *label, const char *msg)
{
	json_t *o = nh_batch_reply(), *e = json_object();

	if (o == NULL || e == NULL ||
	    nh_batch_jset(e, "label", nh_batch_text(label, strlen(label))) ==
		-1 ||
	    nh_batch_jset(e, "msg", nh_batch_text(msg, strlen(msg))) == -1)
		goto fail;
	if (json_object_set_new(o, "error", e) == -1) {
		e = NULL;
		goto fail;
	}
	return o;
fail:
	json_decref(e);
	json_decref(o);
	return NULL;
}

/* A string member, null when s is NULL. */
static int
set_str(json_t *o, const char *key, const char *s)
{
	return nh_batch_jset(
	    o, key, s == NULL ? json_null() : nh_batch_text(s, strlen(s)));
}

json_t *
nh_batch_request_json(const struct nh_batch_req *r)
{
	json_t *o = json_object();

	if (o == NULL || set_str(o, "request_id", r->id) == -1 ||
	    set_str(o, "name", r->name ? r->name : "") == -1 ||
	    set_str(o, "request_type", nh_test_type_name(r->type)) == -1 ||
	    set_str(o, "status", r->status) == -1 ||
	    set_str(o, "submit_date", r->submit_date) == -1 ||
	    set_str(o, "finished_date", r->finished_date) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- /metadata/report ---- */

static const char *
category_key(const char *category)
{
	for (size_t i = 0; i < sizeof(category_keys) / sizeof(category_keys[0]);
	     i++) {
		if (strcmp(category_keys[i].category, category) == 0)
			return category_keys[i].key;
	}
	return category;
}

/* Whether a status can be a test's: not worse than its worst status,
 * or an error, or not tested. */
static bool
possible(const struct nh_check_def *d, enum nh_status st)
{
	return st == NH_ERROR || st == NH_NOT_TESTED || st >= d->meta.worst;
}

/* Appends word to the array unless present; Internet.nl's metadata
 * writes the generic words whole ("detail verdict not-tested"). */
static int
add_word(json_t *a, const char *w, size_t n)
{
	char buf[64];
	size_t i;
	json_t *v;

	if (n == strlen("not-tested") && strncmp(w, "not-tested", n) == 0)
		snprintf(buf, sizeof(buf), "detail verdict not-tested");
	else if (n == strlen("could-not-test") &&
	    strncmp(w, "could-not-test", n) == 0)
		snprintf(buf, sizeof(buf), "detail verdict could-not-test");
	else
		snprintf(buf, sizeof(buf), "%.*s", (int)n, w);
	json_array_foreach(a, i, v)
	{
		if (strcmp(json_string_value(v), buf) == 0)
			return 0;
	}
	return json_array_append_new(a, json_string(buf));
}

static json_t *
status_verdict_map(const struct nh_batch_test *t, const struct nh_check_def *d)
{
	static const enum nh_status order[] = { NH_PASSED, NH_FAILED,
		NH_WARNING, NH_INFO, NH_NOT_TESTED, NH_ERROR };
	json_t *m = json_object();

	for (size_t i = 0; m != NULL && i < sizeof(order) / sizeof(order[0]);
	     i++) {
		enum nh_status st = order[i];
		const char *w = t->verdicts[st] ? t->verdicts[st] : generic[st];
		json_t *a;

		if (!possible(d, st))
			continue;
		if (nh_batch_jset(m, nh_status_name(st), a = json_array()) ==
		    -1)
			goto fail;
		while (*w != '\0') {
			size_t n = strcspn(w, " ");

			if (add_word(a, w, n) == -1)
				goto fail;
			w += n;
			w += strspn(w, " ");
		}
		/* Every test can be not tested (Internet.nl adds it). */
		if (st == NH_NOT_TESTED && add_word(a, "not-tested", 10) == -1)
			goto fail;
	}
	return m;
fail:
	json_decref(m);
	return NULL;
}

/* data[name] = { "type", "translation_key"[, "label"] }; returns it
 * (borrowed), or NULL. An existing item is kept (see the top). */
static json_t *
data_item(json_t *data, const char *name, const char *type, const char *key,
    const char *label)
{
	json_t *o;

	if ((o = json_object_get(data, name)) != NULL)
		return o;
	if ((o = json_object()) == NULL)
		return NULL;
	if (nh_batch_jset(o, "type", json_string(type)) == -1 ||
	    nh_batch_jset(o, "translation_key", json_string(key)) == -1 ||
	    (label != NULL &&
		nh_batch_jset(
		    o, "label", nh_batch_text(label, strlen(label))) == -1)) {
		json_decref(o);
		return NULL;
	}
	/* The object stays alive in data; on failure it is released. */
	if (json_object_set_new(data, name, o) == -1)
		return NULL;
	return o;
}

/* A hierarchy item { "name"[, "children": []] }; *children is set to the
 * (borrowed) array when wanted. */
static json_t *
hier_item(const char *name, json_t **children)
{
	json_t *o = json_object();

	if (o == NULL || nh_batch_jset(o, "name", json_string(name)) == -1)
		goto fail;
	if (children != NULL &&
	    nh_batch_jset(o, "children", *children = json_array()) == -1)
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

/* Appends the tests of a category in section `section` (NULL: those under
 * the category itself) to `children`. */
static int
add_tests(json_t *children, json_t *data, const char *category,
    const char *section, unsigned flags)
{
	for (size_t i = 0; i < NTESTS; i++) {
		const struct nh_batch_test *t = &tests[i];
		const struct nh_check_def *d = nh_check_find(t->id);
		json_t *item;

		if (d == NULL || strcmp(d->meta.category, category) != 0)
			continue;
		if ((section == NULL) != (t->section == NULL) ||
		    (section != NULL && strcmp(section, t->section) != 0))
			continue;
		if (t->key == NULL && (flags & NH_BATCH_INTERNETNL_ONLY))
			continue;
		if ((item = data_item(data, t->id, "test",
			 t->key ? t->key : t->id, d->text->title)) == NULL ||
		    nh_batch_jset(item, "status_verdict_map",
			status_verdict_map(t, d)) == -1 ||
		    json_array_append_new(children, hier_item(t->id, NULL)) ==
			-1)
			return -1;
	}
	return 0;
}

static int
add_category(
    json_t *list, json_t *data, const struct nh_category_def *c, unsigned flags)
{
	json_t *item, *children;

	if ((item = hier_item(c->meta.id, &children)) == NULL)
		return -1;
	if (json_array_append_new(list, item) == -1 ||
	    data_item(data, c->meta.id, "category", category_key(c->meta.id),
		c->text->title) == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		const struct section *s = &sections[i];
		json_t *sitem, *schildren;

		if (strcmp(s->category, c->meta.id) != 0)
			continue;
		if ((sitem = hier_item(s->name, &schildren)) == NULL)
			return -1;
		if (json_array_append_new(children, sitem) == -1 ||
		    data_item(data, s->name, "section", s->key, NULL) == NULL ||
		    add_tests(schildren, data, c->meta.id, s->name, flags) ==
			-1)
			return -1;
	}
	return add_tests(children, data, c->meta.id, NULL, flags);
}

json_t *
nh_batch_metadata(unsigned flags)
{
	json_t *report = json_object(), *hier = json_object(),
	       *data = json_object(), *web = json_array(), *mail = json_array();

	if (report == NULL || hier == NULL || data == NULL || web == NULL ||
	    mail == NULL)
		goto fail;
	for (size_t i = 0; i < nh_category_count; i++) {
		const struct nh_category_def *c = &nh_category_table[i];

		if (add_category(c->meta.test == NH_TEST_WEB ? web : mail, data,
			c, flags) == -1)
			goto fail;
	}
	if (json_object_set(hier, "web", web) == -1 ||
	    json_object_set(hier, "mail", mail) == -1 ||
	    json_object_set(report, "hierarchy", hier) == -1 ||
	    json_object_set(report, "data", data) == -1)
		goto fail;
	json_decref(web);
	json_decref(mail);
	json_decref(hier);
	json_decref(data);
	return report;
fail:
	json_decref(web);
	json_decref(mail);
	json_decref(hier);
	json_decref(data);
	json_decref(report);
	return NULL;
}

struct nh_facts *
nh_batch_facts(const char *text)
{
	struct nh_facts *f;
	const char *why;
	json_t *j;

	if (text == NULL || (j = json_loads(text, 0, NULL)) == NULL)
		return NULL;
	f = nh_facts_from_json(j, &why);
	json_decref(j);
	return f;
}
