/*
 * hsts.c: the Strict-Transport-Security judge (RFC 6797;
 * ../shared/internetnl-catalog.md §1.3, check web_https_http_hsts) and the
 * HTTP compression note (check web_https_http_compress).
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "webpol_impl.h"

/* RFC 9110 §5.6.2 tchar. */
static bool
tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

static size_t
skip_ows(const char *v, size_t i)
{
	while (v[i] == ' ' || v[i] == '\t')
		i++;
	return i;
}

/*
 * The directive value at v[i]: a token or a quoted-string (RFC 9110
 * §5.6.4). Sets *val to its content (quotes excluded) and returns the
 * offset after it, or 0 when there is none or it is not closed.
 */
static size_t
directive_value(const char *v, size_t i, struct wp_span *val, bool *quoted)
{
	size_t start = i;

	*quoted = v[i] == '"';
	if (!*quoted) {
		while (tchar(v[i]))
			i++;
		val->p = v + start;
		val->len = i - start;
		return i > start ? i : 0;
	}
	for (i++; v[i] != '"'; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c == '\0')
			return 0;
		if (c == '\\') {
			if (v[i + 1] == '\0')
				return 0;
			i++;
		} else if (c < 0x20 && c != '\t') {
			return 0;
		} else if (c == 0x7f) {
			return 0;
		}
	}
	val->p = v + start + 1;
	val->len = i - start - 1;
	return i + 1;
}

/* delta-seconds (RFC 9111 §1.2.2), saturated. -1 if not 1*DIGIT. */
static int
delta_seconds(struct wp_span s, unsigned long long *out)
{
	unsigned long long v = 0;

	if (s.len == 0)
		return -1;
	for (size_t i = 0; i < s.len; i++) {
		unsigned d;

		if (s.p[i] < '0' || s.p[i] > '9')
			return -1;
		d = (unsigned)(s.p[i] - '0');
		v = v > (~0ULL - d) / 10 ? ~0ULL : v * 10 + d;
	}
	*out = v;
	return 0;
}

/*
 * Parses one field value per RFC 6797 §6.1 into out. Returns 0, or -1
 * with the reason in why.
 */
static int
parse_sts(const char *v, struct nh_webpol_hsts *out, char *why, size_t cap)
{
	bool seen_age = false, seen_sub = false, seen_pre = false;
	size_t i = 0;
	char x[48];

	for (;;) {
		struct wp_span name, val = { NULL, 0 };
		bool has_val = false, quoted = false;
		size_t e;

		i = skip_ows(v, i);
		if (v[i] == '\0')
			break;
		if (v[i] == ';') {
			i++;
			continue;
		}
		name.p = v + i;
		while (tchar(v[i]))
			i++;
		name.len = (size_t)(v + i - name.p);
		if (name.len == 0) {
			snprintf(why, cap, "unexpected \"%s\"",
			    nh_wp_excerpt(v + i, strlen(v + i), x, 16));
			return -1;
		}
		i = skip_ows(v, i);
		if (v[i] == '=') {
			i = skip_ows(v, i + 1);
			if ((e = directive_value(v, i, &val, &quoted)) == 0) {
				snprintf(why, cap,
				    "%s has no valid value (a token or a "
				    "quoted string)",
				    WP_EXCERPT(name, x));
				return -1;
			}
			has_val = true;
			i = skip_ows(v, e);
		}
		if (v[i] != '\0' && v[i] != ';') {
			snprintf(why, cap,
			    "unexpected \"%s\" (directives are separated by "
			    "';')",
			    nh_wp_excerpt(v + i, strlen(v + i), x, 16));
			return -1;
		}
		if (nh_wp_span_ieq(name, "max-age")) {
			if (seen_age) {
				snprintf(why, cap, "max-age appears twice");
				return -1;
			}
			seen_age = true;
			if (!has_val || delta_seconds(val, &out->max_age) < 0) {
				snprintf(why, cap,
				    "max-age is not a number of seconds");
				return -1;
			}
		} else if (nh_wp_span_ieq(name, "includeSubDomains")) {
			if (seen_sub) {
				snprintf(why, cap,
				    "includeSubDomains appears twice");
				return -1;
			}
			if (has_val) {
				snprintf(why, cap,
				    "includeSubDomains takes no value");
				return -1;
			}
			seen_sub = true;
		} else if (nh_wp_span_ieq(name, "preload")) {
			if (seen_pre) {
				snprintf(why, cap, "preload appears twice");
				return -1;
			}
			seen_pre = true;
		}
		/* Other directives are ignored (RFC 6797 §6.1 item 4). */
	}
	if (!seen_age) {
		snprintf(why, cap, "max-age is missing");
		return -1;
	}
	out->include_subdomains = seen_sub;
	out->preload = seen_pre;
	return 0;
}

/* "365 days", "2 hours", "0 seconds": a duration for a person. */
static const char *
duration(unsigned long long s, char *buf, size_t cap)
{
	if (s >= 86400)
		snprintf(buf, cap, "%llu day%s", s / 86400,
		    s / 86400 == 1 ? "" : "s");
	else if (s >= 3600)
		snprintf(buf, cap, "%llu hour%s", s / 3600,
		    s / 3600 == 1 ? "" : "s");
	else
		snprintf(buf, cap, "%llu second%s", s, s == 1 ? "" : "s");
	return buf;
}

void
nh_webpol_hsts(const char *const *values, size_t n, struct nh_webpol_hsts *out,
    struct nh_webpol_result *r)
{
	char why[120], d[32], ex[64];
	const char *v;
	const char *more;

	assert(r != NULL && out != NULL && (values != NULL || n == 0));
	nh_wp_init(r);
	memset(out, 0, sizeof(*out));
	if (n == 0) {
		nh_wp_add(r, NH_FAILED, "hsts_missing",
		    "no Strict-Transport-Security header");
		return;
	}
	out->present = true;
	v = values[0] ? values[0] : "";
	more = n > 1 ? "; browsers use only the first of the headers sent" : "";
	if (parse_sts(v, out, why, sizeof(why)) < 0) {
		out->max_age = 0;
		out->include_subdomains = out->preload = false;
		nh_wp_add(r, NH_FAILED, "hsts_invalid",
		    "Strict-Transport-Security \"%s\" is not valid: %s "
		    "(RFC 6797 §6.1), so browsers ignore it%s",
		    nh_wp_excerpt(v, strlen(v), ex, sizeof(ex)), why, more);
		return;
	}
	out->valid = true;
	duration(out->max_age, d, sizeof(d));
	if (out->max_age < NH_WEBPOL_HSTS_MIN_AGE) {
		out->short_max_age = true;
		if (out->max_age == 0)
			nh_wp_add(r, NH_FAILED, "hsts_short",
			    "max-age=0 tells browsers to forget HSTS for "
			    "this name; at least 31536000 (one year) is "
			    "needed%s",
			    more);
		else
			nh_wp_add(r, NH_FAILED, "hsts_short",
			    "max-age=%llu (%s) is shorter than one year "
			    "(31536000)%s",
			    out->max_age, d, more);
		return;
	}
	nh_wp_add(r, NH_PASSED, "hsts_ok", "max-age=%llu (%s)%s%s%s",
	    out->max_age, d,
	    out->include_subdomains ? ", includeSubDomains" : "",
	    out->preload ? ", preload" : "", more);
}

void
nh_webpol_compress(
    const char *const *values, size_t n, struct nh_webpol_result *r)
{
	struct wp_list l;
	struct wp_span e;
	char ex[64];

	assert(r != NULL && (values != NULL || n == 0));
	nh_wp_init(r);
	nh_wp_list_init(&l, values, n);
	while (nh_wp_list_next(&l, &e)) {
		if (e.len == 0 || nh_wp_span_ieq(e, "identity"))
			continue;
		nh_wp_add(r, NH_INFO, "http_compression",
		    "the answer is compressed (Content-Encoding: %s): "
		    "pages holding secrets next to user input are open to "
		    "BREACH",
		    WP_EXCERPT(e, ex));
		return;
	}
	nh_wp_add(r, NH_PASSED, "http_compression_none",
	    "the answer is not compressed");
}
