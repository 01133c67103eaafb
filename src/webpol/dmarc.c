/*
 * dmarc.c: the DMARC record judge (RFC 7489 §6.3-6.4, np of RFC 9091, psd
 * and t of RFC 9989), read as strictly as Internet.nl's grammar reads it
 * (../shared/internetnl-catalog.md §2.3, check mail_auth_dmarc_policy),
 * and the host of a mailto: report address. The record is read once, left
 * to right, with a bounded cursor; the first error stops it.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "webpol_impl.h"

/* The tags Internet.nl's grammar knows; each may appear once. */
enum dmarc_tag {
	T_V,
	T_P,
	T_SP,
	T_NP,
	T_RUA,
	T_RUF,
	T_ADKIM,
	T_ASPF,
	T_RI,
	T_FO,
	T_RF,
	T_PCT,
	T_PSD,
	T_T,
	T_NTAGS
};

static const char *const tag_names[T_NTAGS] = { "v", "p", "sp", "np", "rua",
	"ruf", "adkim", "aspf", "ri", "fo", "rf", "pct", "psd", "t" };

static const char *const policies[] = { "none", "quarantine", "reject", NULL };
static const char *const alignments[] = { "r", "s", NULL };
static const char *const psd_values[] = { "y", "n", "u", NULL };
static const char *const yes_no[] = { "y", "n", NULL };

/* A cursor over the record, and the first error met. */
struct parser {
	const char *p;
	size_t len, i;
	struct nh_dmarc *out;
	size_t skipped; /* report URIs valid but not kept in out */
	size_t err_at;  /* where the error is, a byte offset */
	char why[128];  /* what it is */
};

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
at_end(const struct parser *ps)
{
	return ps->i >= ps->len;
}

static void
skip_wsp(struct parser *ps)
{
	while (ps->i < ps->len && is_wsp(ps->p[ps->i]))
		ps->i++;
}

/* Records the error at byte at; returns false for the caller to pass on. */
static bool fail(struct parser *ps, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool
fail(struct parser *ps, size_t at, const char *fmt, ...)
{
	va_list ap;

	ps->err_at = at;
	va_start(ap, fmt);
	vsnprintf(ps->why, sizeof(ps->why), fmt, ap);
	va_end(ap);
	return false;
}

/* The value at the cursor up to white space, ';' or the end. */
static struct wp_span
token(struct parser *ps)
{
	struct wp_span t = { ps->p + ps->i, 0 };

	while (ps->i < ps->len && !is_wsp(ps->p[ps->i]) && ps->p[ps->i] != ';')
		ps->i++;
	t.len = (size_t)(ps->p + ps->i - t.p);
	return t;
}

/* After a value: the end, white space or ';' must follow. */
static bool
value_end(struct parser *ps, enum dmarc_tag k)
{
	if (at_end(ps) || is_wsp(ps->p[ps->i]) || ps->p[ps->i] == ';')
		return true;
	return fail(
	    ps, ps->i, "unexpected text in the value of %s=", tag_names[k]);
}

/*
 * A value that is one of the words in allowed (any case), copied in lower
 * case to dst (cap bytes) unless dst is NULL.
 */
static bool
word(struct parser *ps, enum dmarc_tag k, const char *const *allowed,
    const char *alts, char *dst, size_t cap)
{
	size_t at = ps->i;
	struct wp_span v = token(ps);

	for (size_t j = 0; allowed[j] != NULL; j++) {
		if (nh_wp_span_ieq(v, allowed[j])) {
			if (dst != NULL)
				snprintf(dst, cap, "%s", allowed[j]);
			return true;
		}
	}
	if (v.len == 0)
		return fail(ps, at, "%s= has no value; it takes %s",
		    tag_names[k], alts);
	return fail(ps, at, "%s= must be %s", tag_names[k], alts);
}

/* 1*DIGIT, saturated into *n. */
static bool
number(struct parser *ps, enum dmarc_tag k, unsigned long *n)
{
	size_t at = ps->i;
	struct wp_span v = token(ps);

	*n = 0;
	if (v.len == 0)
		return fail(ps, at, "%s= has no value; it takes a number",
		    tag_names[k]);
	for (size_t j = 0; j < v.len; j++) {
		if (!is_digit(v.p[j]))
			return fail(
			    ps, at, "%s= must be a whole number", tag_names[k]);
		if (*n < 100000000UL) /* past that, only "too big" matters */
			*n = *n * 10 + (unsigned long)(v.p[j] - '0');
	}
	return true;
}

/* fo: ("0" / "1" / "d" / "s") *(*WSP ":" *WSP ("0" / "1" / "d" / "s")). */
static bool
fo_value(struct parser *ps)
{
	for (;;) {
		size_t save;

		if (at_end(ps) || !memchr("01dDsS", ps->p[ps->i], 6))
			return fail(ps, ps->i,
			    "fo= takes 0, 1, d or s, separated by ':'");
		ps->i++;
		save = ps->i;
		skip_wsp(ps);
		if (at_end(ps) || ps->p[ps->i] != ':') {
			ps->i = save;
			return value_end(ps, T_FO);
		}
		ps->i++;
		skip_wsp(ps);
	}
}

/*
 * rf: Keyword *(*WSP ":" Keyword), a Keyword (RFC 5321 Ldh-str) being
 * letters, digits and '-', not ending in '-'.
 */
static bool
rf_value(struct parser *ps)
{
	for (;;) {
		size_t start = ps->i, save;

		while (ps->i < ps->len &&
		    (is_alnum(ps->p[ps->i]) || ps->p[ps->i] == '-'))
			ps->i++;
		if (ps->i == start || ps->p[ps->i - 1] == '-')
			return fail(ps, start,
			    "rf= takes report formats such as afrf, "
			    "separated by ':'");
		save = ps->i;
		skip_wsp(ps);
		if (at_end(ps) || ps->p[ps->i] != ':') {
			ps->i = save;
			return value_end(ps, T_RF);
		}
		ps->i++;
	}
}

/*
 * One report URI of rua= or ruf= at u (at: its offset): a URI with a
 * scheme (RFC 3986 §3), ',' and '!' percent-encoded, optionally followed
 * by "!" and a size limit such as 10m (RFC 7489 §6.4 dmarc-uri). Kept
 * without the size in out when it fits.
 */
static bool
report_uri(struct parser *ps, enum dmarc_tag k, struct wp_span u, size_t at)
{
	struct wp_span scheme;
	const char *why;
	const char *bang = memchr(u.p, '!', u.len);
	size_t *n = k == T_RUA ? &ps->out->nrua : &ps->out->nruf;
	char(*dst)[256] = k == T_RUA ? ps->out->rua : ps->out->ruf;

	if (bang != NULL) {
		struct wp_span size = { bang + 1,
			(size_t)(u.p + u.len - bang - 1) };
		size_t j = 0;

		if (memchr(size.p, '!', size.len) != NULL)
			return fail(ps, at,
			    "a second '!' in a %s= URI: write a '!' inside a "
			    "URI as %%21 (RFC 7489 §6.4)",
			    tag_names[k]);
		while (j < size.len && is_digit(size.p[j]))
			j++;
		if (j == 0 ||
		    (j < size.len &&
			(j + 1 != size.len ||
			    !memchr("kKmMgGtT", size.p[j], 8))))
			return fail(ps, at + (size_t)(bang - u.p),
			    "after '!' in a %s= URI comes a size limit such "
			    "as 10m (RFC 7489 §6.4)",
			    tag_names[k]);
		u.len = (size_t)(bang - u.p);
	}
	if (nh_wp_utf8_check((const unsigned char *)u.p, u.len) != u.len)
		return fail(
		    ps, at, "a %s= URI that is not UTF-8", tag_names[k]);
	if (nh_wp_uri(u, &scheme, &why) < 0)
		return fail(ps, at,
		    "%s= takes URIs such as mailto:dmarc@example.nl, and "
		    "this is not one: %s",
		    tag_names[k], why);
	if (*n < NH_DMARC_MAX_URIS && u.len < sizeof(dst[0])) {
		memcpy(dst[*n], u.p, u.len);
		dst[*n][u.len] = '\0';
		(*n)++;
	} else {
		ps->skipped++;
	}
	return true;
}

/* rua, ruf: dmarc-uri *(*WSP "," *WSP dmarc-uri). */
static bool
uri_list(struct parser *ps, enum dmarc_tag k)
{
	for (;;) {
		struct wp_span u = { ps->p + ps->i, 0 };
		size_t at = ps->i, save;

		while (ps->i < ps->len && !is_wsp(ps->p[ps->i]) &&
		    ps->p[ps->i] != ',' && ps->p[ps->i] != ';')
			ps->i++;
		u.len = ps->i - at;
		if (u.len == 0)
			return fail(ps, at,
			    "%s= needs a URI here, such as "
			    "mailto:dmarc@example.nl",
			    tag_names[k]);
		if (!report_uri(ps, k, u, at))
			return false;
		save = ps->i;
		skip_wsp(ps);
		if (at_end(ps) || ps->p[ps->i] != ',') {
			ps->i = save;
			return true;
		}
		ps->i++;
		skip_wsp(ps);
	}
}

/* The value of tag k at the cursor. */
static bool
tag_value(struct parser *ps, enum dmarc_tag k)
{
	struct nh_dmarc *out = ps->out;
	unsigned long n;
	size_t at = ps->i;
	char yn[2];

	switch (k) {
	case T_P:
		return word(ps, k, policies, "none, quarantine or reject",
		    out->p, sizeof(out->p));
	case T_SP:
		return word(ps, k, policies, "none, quarantine or reject",
		    out->sp, sizeof(out->sp));
	case T_NP:
		return word(ps, k, policies, "none, quarantine or reject",
		    out->np, sizeof(out->np));
	case T_RUA:
	case T_RUF:
		return uri_list(ps, k);
	case T_ADKIM:
	case T_ASPF:
		return word(ps, k, alignments, "r or s", NULL, 0);
	case T_RI:
		return number(ps, k, &n);
	case T_FO:
		return fo_value(ps);
	case T_RF:
		return rf_value(ps);
	case T_PCT:
		if (!number(ps, k, &n))
			return false;
		if (ps->i - at > 3 || n > 100)
			return fail(ps, at,
			    "pct= must be a whole number from 0 to 100 "
			    "(RFC 7489 §6.3)");
		out->pct = (unsigned)n;
		return true;
	case T_PSD:
		return word(ps, k, psd_values, "y, n or u (RFC 9989)", NULL, 0);
	case T_T:
		if (!word(ps, k, yes_no, "y or n (RFC 9989)", yn, sizeof(yn)))
			return false;
		out->testing = yn[0] == 'y';
		return true;
	case T_V:
	case T_NTAGS:
		break;
	}
	assert(!"unreachable");
	return false;
}

/* One tag=value at the cursor; first: the first tag after v=DMARC1. */
static bool
tag(struct parser *ps, bool first, unsigned *seen)
{
	struct wp_span name = { ps->p + ps->i, 0 };
	size_t at = ps->i;
	enum dmarc_tag k;
	char ex[32];

	while (ps->i < ps->len &&
	    (is_alnum(ps->p[ps->i]) || ps->p[ps->i] == '-' ||
		ps->p[ps->i] == '_'))
		ps->i++;
	name.len = ps->i - at;
	if (name.len == 0)
		return fail(ps, at, "a tag such as p=reject was expected");
	skip_wsp(ps);
	if (at_end(ps) || ps->p[ps->i] != '=')
		return fail(ps, ps->i, "'=' expected after the tag name %s",
		    WP_EXCERPT(name, ex));
	ps->i++;
	skip_wsp(ps);
	for (k = T_V; k < T_NTAGS; k++) {
		if (nh_wp_span_ieq(name, tag_names[k]))
			break;
	}
	if (k == T_NTAGS)
		return fail(ps, at,
		    "unknown tag %s: Internet.nl accepts only those of RFC "
		    "7489, RFC 9091 and RFC 9989",
		    WP_EXCERPT(name, ex));
	if (k == T_V)
		return fail(ps, at, "v= may only begin the record");
	if (first && k != T_P)
		return fail(ps, at,
		    "the first tag after v=DMARC1 must be p= (RFC 7489 "
		    "§6.4; Internet.nl)");
	if (!first && k == T_P)
		return fail(ps, at,
		    "p= must come directly after v=DMARC1 (RFC 7489 §6.4; "
		    "Internet.nl)");
	if (*seen & (1u << k))
		return fail(ps, at, "%s= appears twice", tag_names[k]);
	*seen |= 1u << k;
	return tag_value(ps, k) && value_end(ps, k);
}

/*
 * RFC 7489 §6.4: dmarc-version dmarc-sep [dmarc-request]
 * *(dmarc-sep tag) [dmarc-sep], the tags in any order, with np (RFC 9091)
 * and psd and t (RFC 9989) among them. As in that ABNF, p= may be
 * left out only when the record holds no other tag, or when an empty
 * place is left for it ("v=DMARC1;;rua=...").
 */
static bool
parse_record(struct parser *ps)
{
	unsigned seen = 1u << T_V;
	bool first;

	if (at_end(ps) || nh_wp_lower(ps->p[0]) != 'v')
		return fail(ps, 0,
		    "a DMARC record begins with v=DMARC1 (RFC 7489 §6.4)");
	ps->i = 1;
	skip_wsp(ps);
	if (at_end(ps) || ps->p[ps->i] != '=')
		return fail(ps, ps->i,
		    "a DMARC record begins with v=DMARC1 (RFC 7489 §6.4)");
	ps->i++;
	skip_wsp(ps);
	if (ps->len - ps->i < 6 || memcmp(ps->p + ps->i, "DMARC1", 6) != 0) {
		struct wp_span v = { ps->p + ps->i, ps->len - ps->i };

		return fail(ps, ps->i,
		    nh_wp_span_iprefix(v, "DMARC1")
			? "the version is written DMARC1, in capitals (RFC "
			  "7489 §6.4)"
			: "a DMARC record begins with v=DMARC1 (RFC 7489 "
			  "§6.4)");
	}
	ps->i += 6;
	skip_wsp(ps);
	if (at_end(ps) || ps->p[ps->i] != ';')
		return fail(ps, ps->i,
		    "v=DMARC1 must be followed by ';' (RFC 7489 §6.4)");
	ps->i++;
	skip_wsp(ps);
	if (at_end(ps))
		return true;
	first = ps->p[ps->i] != ';';
	for (;;) {
		if (!first) {
			size_t before = ps->i;

			skip_wsp(ps);
			if (at_end(ps)) {
				if (ps->i == before)
					return true;
				return fail(ps, before,
				    "white space after the last value: end the "
				    "record with the value or with ';' (RFC "
				    "7489 §6.4)");
			}
			if (ps->p[ps->i] != ';')
				return fail(
				    ps, ps->i, "';' expected between tags");
			ps->i++;
			skip_wsp(ps);
			if (at_end(ps))
				return true;
		}
		if (!tag(ps, first, &seen))
			return false;
		first = false;
	}
}

void
nh_dmarc_parse(const char *rec, size_t len, struct nh_dmarc *out,
    struct nh_webpol_result *r)
{
	struct parser ps;
	char ex[40], sum[80];
	int w;

	assert(out != NULL && r != NULL && (rec != NULL || len == 0));
	nh_wp_init(r);
	memset(out, 0, sizeof(*out));
	out->pct = 100;
	memset(&ps, 0, sizeof(ps));
	ps.p = rec != NULL ? rec : "";
	ps.len = len;
	ps.out = out;
	if (!parse_record(&ps)) {
		memset(out, 0, sizeof(*out));
		out->pct = 100;
		if (ps.err_at > len)
			ps.err_at = len;
		nh_wp_add(r, NH_FAILED, "syntax",
		    "the DMARC record is not valid at character %zu (\"%s\"): "
		    "%s",
		    ps.err_at + 1,
		    nh_wp_excerpt(
			ps.p + ps.err_at, len - ps.err_at, ex, sizeof(ex)),
		    ps.why);
		return;
	}
	out->valid = true;
	if (out->p[0] == '\0') {
		snprintf(sum, sizeof(sum), "without p=");
	} else {
		w = snprintf(sum, sizeof(sum), "p=%s", out->p);
		if (out->sp[0] != '\0' && w > 0 && (size_t)w < sizeof(sum))
			w += snprintf(sum + w, sizeof(sum) - (size_t)w,
			    ", sp=%s", out->sp);
		if (out->np[0] != '\0' && w > 0 && (size_t)w < sizeof(sum))
			snprintf(sum + w, sizeof(sum) - (size_t)w, ", np=%s",
			    out->np);
	}
	nh_wp_add(r, NH_PASSED, "dmarc_ok",
	    "the DMARC record follows the standard (%s)", sum);
	if (out->p[0] == '\0')
		nh_wp_add(r, NH_INFO, "no_policy",
		    "the record has no p= tag, which RFC 7489 §6.3 requires: "
		    "receivers apply no policy");
	if (out->testing)
		nh_wp_add(r, NH_INFO, "testing",
		    "t=y: the policy is being tested, and receivers apply one "
		    "step less (reject as quarantine, quarantine as none; "
		    "RFC 9989)");
	if (out->pct < 100)
		nh_wp_add(r, NH_INFO, "pct",
		    "pct=%u: the policy applies to %u%% of failing mail, the "
		    "rest gets one step less (RFC 7489 §6.6.4)",
		    out->pct, out->pct);
	if (out->nrua == 0)
		nh_wp_add(r, NH_INFO, "no_rua",
		    "no rua=: nobody receives aggregate reports of the mail "
		    "sent in the domain's name (RFC 7489 §7.2)");
	if (ps.skipped > 0)
		nh_wp_add(r, NH_INFO, "uri_not_kept",
		    "%zu report URI%s not kept (more than %d in a tag, or "
		    "longer than 255 bytes)",
		    ps.skipped, ps.skipped == 1 ? "" : "s", NH_DMARC_MAX_URIS);
}

bool
nh_dmarc_is_record(const char *rec, size_t len)
{
	struct wp_span s = { rec != NULL ? rec : "", rec != NULL ? len : 0 };

	return nh_wp_span_iprefix(s, "v=dmarc1");
}

bool
nh_dmarc_uri_host(const char *uri, char *host, size_t size)
{
	return nh_wp_mailto_host(nh_wp_span_str(uri), host, size);
}
