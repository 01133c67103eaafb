/*
 * headers.c: the judges of the simple security headers
 * (../shared/internetnl-catalog.md §1.4): X-Frame-Options (RFC 7034 and
 * the HTML Living Standard), X-Content-Type-Options (WHATWG Fetch) and
 * Referrer-Policy (W3C Referrer Policy). Values are read as browsers read
 * them: every field line, split on commas outside quoted strings, each
 * element trimmed of SP and HTAB.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "webpol_impl.h"

/* ASCII case-insensitive equality of two spans. */
static bool
same_value(struct wp_span a, struct wp_span b)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++) {
		if (nh_wp_lower(a.p[i]) != nh_wp_lower(b.p[i]))
			return false;
	}
	return true;
}

void
nh_webpol_xfo(const char *const *values, size_t n, struct nh_webpol_result *r)
{
	struct wp_list l;
	struct wp_span first, e;
	bool differ = false, blocking = false, good;
	char ex[64];

	assert(r != NULL && (values != NULL || n == 0));
	nh_wp_init(r);
	if (n == 0) {
		nh_wp_add(r, NH_INFO, "xfo_missing",
		    "no X-Frame-Options header: other sites may show the "
		    "pages in a frame unless the CSP sets frame-ancestors");
		return;
	}
	nh_wp_list_init(&l, values, n);
	nh_wp_list_next(&l, &first);
	/* HTML: several distinct values including deny, sameorigin or
	 * allowall make the browser refuse all framing. */
	nh_wp_list_init(&l, values, n);
	while (nh_wp_list_next(&l, &e)) {
		if (!same_value(e, first))
			differ = true;
		if (nh_wp_span_ieq(e, "deny") ||
		    nh_wp_span_ieq(e, "sameorigin") ||
		    nh_wp_span_ieq(e, "allowall"))
			blocking = true;
	}
	good = nh_wp_span_ieq(first, "deny") ||
	    nh_wp_span_ieq(first, "sameorigin");
	if (good && !differ) {
		nh_wp_add(r, NH_PASSED, "xfo_ok", "X-Frame-Options: %s",
		    WP_EXCERPT(first, ex));
	} else if (good) {
		nh_wp_add(r, NH_PASSED, "xfo_ok",
		    "X-Frame-Options holds several values, the first %s: "
		    "browsers then refuse all framing; send one value",
		    WP_EXCERPT(first, ex));
	} else if (differ && blocking) {
		nh_wp_add(r, NH_INFO, "xfo_conflict",
		    "X-Frame-Options holds conflicting values, the first "
		    "\"%s\": browsers then refuse all framing, but send DENY "
		    "or SAMEORIGIN alone",
		    WP_EXCERPT(first, ex));
	} else if (nh_wp_span_iprefix(first, "allow-from")) {
		nh_wp_add(r, NH_INFO, "xfo_invalid",
		    "X-Frame-Options \"%s\": current browsers ignore "
		    "ALLOW-FROM; use DENY or SAMEORIGIN, and frame-ancestors "
		    "in the CSP to name other sites",
		    WP_EXCERPT(first, ex));
	} else if (nh_wp_span_ieq(first, "allowall")) {
		nh_wp_add(r, NH_INFO, "xfo_invalid",
		    "X-Frame-Options ALLOWALL lets any site frame the pages");
	} else {
		nh_wp_add(r, NH_INFO, "xfo_invalid",
		    "X-Frame-Options \"%s\" is neither DENY nor SAMEORIGIN: "
		    "browsers ignore it",
		    WP_EXCERPT(first, ex));
	}
}

void
nh_webpol_xcto(const char *const *values, size_t n, struct nh_webpol_result *r)
{
	struct wp_list l;
	struct wp_span first;
	char ex[64];

	assert(r != NULL && (values != NULL || n == 0));
	nh_wp_init(r);
	if (n == 0) {
		nh_wp_add(r, NH_WARNING, "xcto_missing",
		    "no X-Content-Type-Options header: browsers may guess "
		    "content types (MIME sniffing)");
		return;
	}
	nh_wp_list_init(&l, values, n);
	nh_wp_list_next(&l, &first);
	if (nh_wp_span_ieq(first, "nosniff"))
		nh_wp_add(
		    r, NH_PASSED, "xcto_ok", "X-Content-Type-Options: nosniff");
	else
		nh_wp_add(r, NH_WARNING, "xcto_invalid",
		    "X-Content-Type-Options \"%s\" is not nosniff: browsers "
		    "ignore it",
		    WP_EXCERPT(first, ex));
}

/* The referrer policies (W3C Referrer Policy §3) and how each is judged. */
static const struct {
	const char *name;
	enum nh_status st;
	const char *why;
} policies[] = {
	{ "no-referrer", NH_PASSED, "sends no address to any site" },
	{ "same-origin", NH_PASSED, "sends the address only within the site" },
	{ "strict-origin", NH_INFO,
	    "sends the site name, not the page, to other HTTPS sites; "
	    "no-referrer or same-origin keep even that in" },
	{ "strict-origin-when-cross-origin", NH_INFO,
	    "sends the site name, not the page, to other HTTPS sites; "
	    "no-referrer or same-origin keep even that in" },
	{ "origin", NH_WARNING,
	    "sends the site name to every site, also over plain HTTP" },
	{ "origin-when-cross-origin", NH_WARNING,
	    "sends the site name to every other site, also over plain HTTP" },
	{ "no-referrer-when-downgrade", NH_WARNING,
	    "sends the full page address to every HTTPS site" },
	{ "unsafe-url", NH_WARNING,
	    "sends the full page address to every site, also over plain "
	    "HTTP" },
};

void
nh_webpol_referrer(
    const char *const *values, size_t n, struct nh_webpol_result *r)
{
	struct wp_list l;
	struct wp_span e, unknown = { NULL, 0 };
	size_t nunknown = 0, policy = sizeof(policies) / sizeof(*policies);
	char ex[64], code[NH_WEBPOL_CODE];

	assert(r != NULL && (values != NULL || n == 0));
	nh_wp_init(r);
	nh_wp_list_init(&l, values, n);
	while (nh_wp_list_next(&l, &e)) {
		size_t k;

		if (e.len == 0)
			continue;
		for (k = 0; k < sizeof(policies) / sizeof(*policies); k++) {
			if (nh_wp_span_ieq(e, policies[k].name))
				break;
		}
		if (k < sizeof(policies) / sizeof(*policies)) {
			policy = k;
		} else if (nunknown++ == 0) {
			unknown = e;
		}
	}
	if (policy == sizeof(policies) / sizeof(*policies)) {
		if (nunknown == 0)
			nh_wp_add(r, NH_INFO, "no-policy",
			    "no Referrer-Policy: browsers use "
			    "strict-origin-when-cross-origin, which sends the "
			    "site name to other HTTPS sites");
		else
			nh_wp_add(r, NH_WARNING, "bad-invalid",
			    "Referrer-Policy \"%s\" is not a policy browsers "
			    "know, so they use their default",
			    WP_EXCERPT(unknown, ex));
		return;
	}
	if (policies[policy].st == NH_PASSED)
		snprintf(code, sizeof(code), "good");
	else
		snprintf(code, sizeof(code), "%s-%s",
		    policies[policy].st == NH_INFO ? "recommendation" : "bad",
		    policies[policy].name);
	nh_wp_add(r, policies[policy].st, code, "Referrer-Policy %s %s",
	    policies[policy].name, policies[policy].why);
	if (nunknown > 0)
		nh_wp_add(r, NH_INFO, "unknown-values",
		    "browsers skip the unknown value \"%s\"%s and use %s",
		    WP_EXCERPT(unknown, ex), nunknown > 1 ? " and others" : "",
		    policies[policy].name);
}
