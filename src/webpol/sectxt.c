/*
 * sectxt.c: the security.txt judge (RFC 9116;
 * ../shared/internetnl-catalog.md §1.4, check web_appsecpriv_securitytxt):
 * the HTTP answer (status, location, media type, charset), the encoding,
 * the line syntax, the fields, and the OpenPGP cleartext signature
 * envelope (RFC 4880 §7), whose presence and form are checked, not the
 * signature itself. Codes follow the sectxt library Internet.nl uses.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "webpol_impl.h"

#define BEGIN_SIGNED "-----BEGIN PGP SIGNED MESSAGE-----"
#define BEGIN_SIG "-----BEGIN PGP SIGNATURE-----"
#define END_SIG "-----END PGP SIGNATURE-----"

/* Where the line reader is. */
enum where {
	W_BODY,     /* fields and comments */
	W_HASH,     /* after BEGIN PGP SIGNED MESSAGE: Hash headers */
	W_SIG_HDR,  /* after BEGIN PGP SIGNATURE: armor headers */
	W_SIG_DATA, /* the armored signature */
	W_AFTER,    /* after END PGP SIGNATURE */
};

struct reader {
	const struct nh_sectxt_input *in;
	struct nh_webpol_result *r;
	enum where w;
	size_t line; /* 1-based number of the line being read */
	bool signed_, hash_seen, sig_bad, after_noted, blank_noted;
	size_t sig_lines;
	unsigned contact, expires, encryption, lang, canonical, csaf;
	bool mailto, canon_match;
	bool have_expiry;
	int64_t expiry; /* the first valid Expires */
};

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static bool
span_eq(struct wp_span s, const char *lit)
{
	return s.len == strlen(lit) && memcmp(s.p, lit, s.len) == 0;
}

/* One error (NH_WARNING) or recommendation (NH_INFO) at the current
 * line. */
#define LINE_ADD(rd, st, code, fmt, ...) \
	nh_wp_add( \
	    (rd)->r, (st), (code), "line %zu: " fmt, (rd)->line, __VA_ARGS__)

/*
 * Splits "scheme://authority/rest" into its three parts, the default
 * port of https and an empty path dropped. False when there is no "://"
 * before the first '/', '?' or '#'.
 */
static bool
split_url(struct wp_span s, struct wp_span part[3])
{
	size_t i, a;

	for (i = 0; i + 2 < s.len; i++) {
		if (memcmp(s.p + i, "://", 3) == 0)
			break;
		if (s.p[i] == '/' || s.p[i] == '?' || s.p[i] == '#')
			return false;
	}
	if (i + 2 >= s.len)
		return false;
	part[0].p = s.p;
	part[0].len = i;
	for (a = i + 3;
	     a < s.len && s.p[a] != '/' && s.p[a] != '?' && s.p[a] != '#'; a++)
		;
	part[1].p = s.p + i + 3;
	part[1].len = a - i - 3;
	part[2].p = s.p + a;
	part[2].len = s.len - a;
	if (nh_wp_span_ieq(part[0], "https") &&
	    nh_wp_span_isuffix(part[1], ":443"))
		part[1].len -= 4;
	if (part[2].len == 0) {
		part[2].p = "/";
		part[2].len = 1;
	}
	return true;
}

/*
 * Whether two URLs name the same resource: scheme and authority in any
 * case, the rest exactly; without "://", the same text.
 */
static bool
url_eq(struct wp_span a, struct wp_span b)
{
	struct wp_span pa[3], pb[3];

	if (!split_url(a, pa) || !split_url(b, pb))
		return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
	for (int k = 0; k < 3; k++) {
		if (pa[k].len != pb[k].len)
			return false;
		for (size_t i = 0; i < pa[k].len; i++) {
			if (k < 2 ? nh_wp_lower(pa[k].p[i]) !=
				    nh_wp_lower(pb[k].p[i])
				  : pa[k].p[i] != pb[k].p[i])
				return false;
		}
	}
	return true;
}

/*
 * A field whose value must be a URI (RFC 9116 §2.5), a web URI starting
 * with https:// (§2.5: "MUST begin with https://"). Returns 0 with the
 * scheme in *scheme, or -1 when reported.
 */
static int
uri_field(struct reader *rd, const char *field, struct wp_span v,
    struct wp_span *scheme)
{
	const char *why;
	char ex[64];

	if (nh_wp_uri(v, scheme, &why) < 0) {
		LINE_ADD(rd, NH_WARNING, "no_uri",
		    "the %s value \"%s\" is not a URI: %s%s", field,
		    WP_EXCERPT(v, ex), why,
		    memchr(v.p, '@', v.len) && !memchr(v.p, ':', v.len)
			? " (write mailto:...)"
			: "");
		return -1;
	}
	if (nh_wp_span_ieq(*scheme, "http")) {
		LINE_ADD(rd, NH_WARNING, "no_https",
		    "the %s URI \"%s\" must begin with https://", field,
		    WP_EXCERPT(v, ex));
		return -1;
	}
	if (nh_wp_span_ieq(*scheme, "https") &&
	    (v.len < 9 || memcmp(v.p + 6, "//", 2) != 0 || v.p[8] == '/')) {
		LINE_ADD(rd, NH_WARNING, "no_uri",
		    "the %s URI \"%s\" has no host (https://host/...)", field,
		    WP_EXCERPT(v, ex));
		return -1;
	}
	return 0;
}

static void
field_expires(struct reader *rd, struct wp_span v)
{
	const char *why;
	int64_t t, now = (int64_t)rd->in->now, days, secs, y, limit;
	unsigned m, d;
	char ex[64];

	rd->expires++;
	if (nh_wp_rfc3339(v, &t, &why) < 0) {
		LINE_ADD(rd, NH_WARNING, "invalid_expiry",
		    "Expires \"%s\" is %s", WP_EXCERPT(v, ex), why);
		return;
	}
	if (!rd->have_expiry) {
		rd->have_expiry = true;
		rd->expiry = t;
	}
	days = now / 86400;
	secs = now % 86400;
	if (secs < 0) {
		days--;
		secs += 86400;
	}
	nh_wp_civil_from_days(days, &y, &m, &d);
	/* The same date a year on; 29 February becomes 1 March. */
	limit = nh_wp_days_from_civil(y + 1, m, d) * 86400 + secs;
	if (t < now)
		LINE_ADD(rd, NH_WARNING, "expired",
		    "Expires %s has passed: the file must not be trusted "
		    "any more",
		    WP_EXCERPT(v, ex));
	else if (t > limit)
		LINE_ADD(rd, NH_INFO, "long_expiry",
		    "Expires %s is more than a year ahead; keep it within "
		    "a year so that the file is looked at again",
		    WP_EXCERPT(v, ex));
}

static void
field_languages(struct reader *rd, struct wp_span v)
{
	size_t i = 0;
	char ex[48];

	rd->lang++;
	/* lang-values = Language-Tag *(*WSP "," *WSP Language-Tag) */
	while (i <= v.len) {
		struct wp_span tag;
		size_t e = i;

		while (e < v.len && v.p[e] != ',')
			e++;
		tag.p = v.p + i;
		tag.len = e - i;
		tag = nh_wp_trim_ows(tag);
		i = e + 1;
		if (!nh_wp_langtag(tag)) {
			LINE_ADD(rd, NH_WARNING, "invalid_lang",
			    "\"%s\" in Preferred-Languages is not a language "
			    "tag (RFC 5646), such as en or nl",
			    WP_EXCERPT(tag, ex));
			return;
		}
	}
}

static void
field_canonical(struct reader *rd, struct wp_span v)
{
	struct wp_span scheme;

	rd->canonical++;
	if (uri_field(rd, "Canonical", v, &scheme) < 0)
		return;
	if ((rd->in->url && url_eq(v, nh_wp_span_str(rd->in->url))) ||
	    (rd->in->final_url && url_eq(v, nh_wp_span_str(rd->in->final_url))))
		rd->canon_match = true;
}

static void
field_csaf(struct reader *rd, struct wp_span v)
{
	struct wp_span scheme, path = v;
	char ex[64];

	rd->csaf++;
	if (uri_field(rd, "CSAF", v, &scheme) < 0)
		return;
	/* OASIS CSAF 2.0 §7.1.8: the https URL of provider-metadata.json */
	for (size_t i = 0; i < v.len; i++) {
		if (v.p[i] == '?' || v.p[i] == '#') {
			path.len = i;
			break;
		}
	}
	if (!nh_wp_span_ieq(scheme, "https") ||
	    !nh_wp_span_isuffix(path, "/provider-metadata.json"))
		LINE_ADD(rd, NH_WARNING, "no_csaf_file",
		    "CSAF \"%s\" must be the https URL of a "
		    "provider-metadata.json file",
		    WP_EXCERPT(v, ex));
}

static void
field(struct reader *rd, struct wp_span line)
{
	const char *colon = memchr(line.p, ':', line.len);
	struct wp_span key, v, scheme;
	char ex[48];

	if (colon == NULL) {
		LINE_ADD(rd, NH_WARNING, "invalid_line",
		    "\"%s\" is neither a field (Name: value), a comment (#) "
		    "nor empty",
		    WP_EXCERPT(line, ex));
		return;
	}
	key.p = line.p;
	key.len = (size_t)(colon - line.p);
	v.p = colon + 1;
	v.len = line.len - key.len - 1;
	if (key.len > 0 && is_ws(key.p[0])) {
		LINE_ADD(rd, NH_WARNING, "lead_ws", "%s",
		    "white space before the field name");
		key = nh_wp_trim_ows(key);
	}
	if (key.len > 0 && is_ws(key.p[key.len - 1])) {
		LINE_ADD(rd, NH_WARNING, "prec_ws", "%s",
		    "white space before the colon");
		key = nh_wp_trim_ows(key);
	}
	if (key.len == 0) {
		LINE_ADD(rd, NH_WARNING, "empty_key", "%s",
		    "a colon without a field name");
		return;
	}
	if (v.len > 0 && v.p[0] != ' ')
		LINE_ADD(rd, NH_WARNING, "no_space",
		    "the colon after %s must be followed by a space",
		    WP_EXCERPT(key, ex));
	v = nh_wp_trim_ows(v);
	if (v.len == 0) {
		LINE_ADD(rd, NH_WARNING, "empty_value", "%s has no value",
		    WP_EXCERPT(key, ex));
		return;
	}
	for (size_t i = 0; i < key.len; i++) {
		/* field-name = 1*( %x21-39 / %x3B-7E ) */
		unsigned char c = (unsigned char)key.p[i];

		if (c < 0x21 || c > 0x7e) {
			LINE_ADD(rd, NH_WARNING, "invalid_line",
			    "\"%s\" is not a field name (visible ASCII "
			    "without spaces)",
			    WP_EXCERPT(key, ex));
			return;
		}
	}
	if (nh_wp_span_ieq(key, "contact")) {
		rd->contact++;
		if (uri_field(rd, "Contact", v, &scheme) == 0 &&
		    nh_wp_span_ieq(scheme, "mailto"))
			rd->mailto = true;
	} else if (nh_wp_span_ieq(key, "expires")) {
		field_expires(rd, v);
	} else if (nh_wp_span_ieq(key, "encryption")) {
		rd->encryption++;
		uri_field(rd, "Encryption", v, &scheme);
	} else if (nh_wp_span_ieq(key, "acknowledgments")) {
		uri_field(rd, "Acknowledgments", v, &scheme);
	} else if (nh_wp_span_ieq(key, "hiring")) {
		uri_field(rd, "Hiring", v, &scheme);
	} else if (nh_wp_span_ieq(key, "policy")) {
		uri_field(rd, "Policy", v, &scheme);
	} else if (nh_wp_span_ieq(key, "canonical")) {
		field_canonical(rd, v);
	} else if (nh_wp_span_ieq(key, "preferred-languages")) {
		field_languages(rd, v);
	} else if (nh_wp_span_ieq(key, "csaf")) {
		field_csaf(rd, v);
	} else {
		LINE_ADD(rd, NH_INFO, "unknown_field",
		    "unknown field %s%s: allowed, but not checked and "
		    "probably not understood",
		    WP_EXCERPT(key, ex),
		    nh_wp_span_ieq(key, "acknowledgements")
			? " (the field is spelled Acknowledgments)"
			: "");
	}
}

/* A line of the armored signature: radix-64, or the "=XXXX" checksum. */
static bool
armor_line(struct wp_span l)
{
	size_t i = 0;

	if (l.len == 5 && l.p[0] == '=')
		i = 1;
	for (; i < l.len; i++) {
		char c = l.p[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			(c >= '0' && c <= '9') || c == '+' || c == '/' ||
			c == '='))
			return false;
	}
	return l.len > 0;
}

static void
sig_bad(struct reader *rd, const char *why)
{
	if (rd->sig_bad)
		return;
	rd->sig_bad = true;
	LINE_ADD(rd, NH_WARNING, "pgp_data", "%s", why);
}

static void
read_line(struct reader *rd, struct wp_span line)
{
	switch (rd->w) {
	case W_SIG_HDR:
		if (span_eq(line, END_SIG))
			break;
		if (line.len == 0) {
			rd->w = W_SIG_DATA;
			return;
		}
		if (memchr(line.p, ':', line.len) != NULL)
			return; /* an armor header: Version, Comment, ... */
		sig_bad(rd,
		    "the signature's armor headers must end with an "
		    "empty line (RFC 4880 §6.2)");
		rd->w = W_SIG_DATA;
		/* FALLTHROUGH */
	case W_SIG_DATA:
		if (span_eq(line, END_SIG))
			break;
		if (armor_line(line))
			rd->sig_lines++;
		else
			sig_bad(rd,
			    "the signature block holds something "
			    "other than radix-64 data");
		return;
	case W_AFTER:
		if (line.len == 0 && !rd->blank_noted) {
			rd->blank_noted = true;
			LINE_ADD(rd, NH_WARNING, "too_many_line_separators",
			    "%s", "empty lines after the signature");
		} else if (line.len > 0 && !rd->after_noted) {
			rd->after_noted = true;
			LINE_ADD(rd, NH_WARNING, "data_after_sig", "%s",
			    "text after the signature is not signed and must "
			    "not be there");
		}
		return;
	case W_HASH:
		if (line.len == 0) {
			rd->w = W_BODY;
			if (!rd->hash_seen)
				LINE_ADD(rd, NH_INFO, "pgp_no_hash", "%s",
				    "no Hash: header after BEGIN PGP SIGNED "
				    "MESSAGE (RFC 9116 §4 asks for one)");
			return;
		}
		if (line.len > 6 && memcmp(line.p, "Hash: ", 6) == 0) {
			rd->hash_seen = true;
			return;
		}
		sig_bad(rd,
		    "BEGIN PGP SIGNED MESSAGE must be followed by "
		    "Hash: lines and an empty line (RFC 4880 §7)");
		rd->w = W_BODY;
		break;
	case W_BODY:
		break;
	}
	if (rd->w == W_SIG_HDR || rd->w == W_SIG_DATA) {
		/* END PGP SIGNATURE */
		if (rd->sig_lines == 0)
			sig_bad(rd, "the signature block holds no signature");
		rd->w = W_AFTER;
		return;
	}
	/* W_BODY */
	if (span_eq(line, BEGIN_SIG)) {
		if (!rd->signed_)
			LINE_ADD(rd, NH_WARNING, "signed_format_issue", "%s",
			    "a signature, but the file does not start with "
			    "BEGIN PGP SIGNED MESSAGE");
		rd->w = W_SIG_HDR;
		return;
	}
	if (span_eq(line, BEGIN_SIGNED)) {
		if (rd->line == 1) {
			rd->signed_ = true;
			rd->w = W_HASH;
		} else {
			LINE_ADD(rd, NH_WARNING, "signed_format_issue", "%s",
			    "BEGIN PGP SIGNED MESSAGE must be the first line");
		}
		return;
	}
	if (rd->signed_ && line.len >= 2 && line.p[0] == '-' &&
	    line.p[1] == ' ') {
		line.p += 2; /* dash-escaped (RFC 4880 §7.1) */
		line.len -= 2;
	}
	if (line.len == 0 || line.p[0] == '#')
		return;
	field(rd, line);
}

/* Checks the Content-Type; false when the body is not to be read. */
static bool
content_type(struct reader *rd)
{
	struct wp_span ct = nh_wp_span_str(rd->in->content_type), media;
	size_t i = 0, e;
	char ex[64];
	bool read = true;

	if (rd->in->content_type == NULL || nh_wp_trim_ows(ct).len == 0) {
		nh_wp_add(rd->r, NH_WARNING, "no_content_type",
		    "the answer has no Content-Type; it must be text/plain; "
		    "charset=utf-8");
		return false;
	}
	for (e = 0; e < ct.len && ct.p[e] != ';'; e++)
		;
	media.p = ct.p;
	media.len = e;
	media = nh_wp_trim_ows(media);
	if (!nh_wp_span_ieq(media, "text/plain")) {
		nh_wp_add(rd->r, NH_WARNING, "invalid_media",
		    "the Content-Type is %s, not text/plain",
		    WP_EXCERPT(media, ex));
		read = false;
	}
	for (i = e; i < ct.len;) {
		struct wp_span name, val;
		const char *eq;

		i++; /* the ';' */
		for (e = i; e < ct.len && ct.p[e] != ';'; e++)
			;
		name.p = ct.p + i;
		name.len = e - i;
		i = e;
		if ((eq = memchr(name.p, '=', name.len)) == NULL)
			continue;
		val.p = eq + 1;
		val.len = (size_t)(name.p + name.len - val.p);
		name.len = (size_t)(eq - name.p);
		name = nh_wp_trim_ows(name);
		val = nh_wp_trim_ows(val);
		if (val.len >= 2 && val.p[0] == '"' &&
		    val.p[val.len - 1] == '"') {
			val.p++;
			val.len -= 2;
		}
		if (nh_wp_span_ieq(name, "charset") &&
		    !nh_wp_span_ieq(val, "utf-8") &&
		    !nh_wp_span_ieq(val, "csutf8"))
			nh_wp_add(rd->r, NH_WARNING, "invalid_charset",
			    "the charset is %s; it must be utf-8",
			    WP_EXCERPT(val, ex));
	}
	return read;
}

static void
finish(struct reader *rd)
{
	char date[32];

	if (rd->signed_ && rd->w == W_HASH)
		sig_bad(rd, "the signed message is empty");
	if (rd->signed_ && rd->w == W_BODY)
		sig_bad(rd,
		    "the signed message has no signature (BEGIN PGP "
		    "SIGNATURE)");
	if (rd->w == W_SIG_HDR || rd->w == W_SIG_DATA)
		sig_bad(rd,
		    "the signature is not closed by END PGP "
		    "SIGNATURE");
	if (rd->contact == 0)
		nh_wp_add(rd->r, NH_WARNING, "no_contact",
		    "no Contact field: it is required, at least one");
	if (rd->expires == 0)
		nh_wp_add(rd->r, NH_WARNING, "no_expire",
		    "no Expires field: it is required, exactly one");
	else if (rd->expires > 1)
		nh_wp_add(rd->r, NH_WARNING, "multi_expire",
		    "%u Expires fields: exactly one is allowed", rd->expires);
	if (rd->lang > 1)
		nh_wp_add(rd->r, NH_WARNING, "multi_lang",
		    "%u Preferred-Languages fields: at most one is allowed",
		    rd->lang);
	if (rd->canonical > 0 && !rd->canon_match &&
	    (rd->in->url != NULL || rd->in->final_url != NULL)) {
		char ex[96];
		const char *u =
		    rd->in->final_url ? rd->in->final_url : rd->in->url;

		nh_wp_add(rd->r, NH_WARNING, "no_canonical_match",
		    "no Canonical field names %s, where the file was found",
		    nh_wp_excerpt(u, strlen(u), ex, sizeof(ex)));
	}
	if (rd->csaf > 1)
		nh_wp_add(rd->r, NH_INFO, "multiple_csaf_fields",
		    "%u CSAF fields: one is recommended", rd->csaf);
	if (rd->mailto && rd->encryption == 0)
		nh_wp_add(rd->r, NH_INFO, "no_encryption",
		    "a mailto: Contact but no Encryption field with a key "
		    "to write to it securely");
	if (!rd->signed_)
		nh_wp_add(rd->r, NH_INFO, "not_signed",
		    "the file is not signed (OpenPGP cleartext signature)");
	else if (rd->canonical == 0)
		nh_wp_add(rd->r, NH_INFO, "no_canonical",
		    "a signed file should name where it belongs with "
		    "Canonical");
	if (rd->r->status == NH_PASSED) {
		int64_t y;
		unsigned m, d;
		int64_t days = rd->expiry / 86400 - (rd->expiry % 86400 < 0);

		nh_wp_civil_from_days(days, &y, &m, &d);
		snprintf(
		    date, sizeof(date), "%04lld-%02u-%02u", (long long)y, m, d);
		nh_wp_add(rd->r, NH_PASSED, "securitytxt_ok",
		    "a valid, signed security.txt with %u Contact field%s, "
		    "expiring %s",
		    rd->contact, rd->contact == 1 ? "" : "s", date);
	}
}

void
nh_webpol_sectxt(const struct nh_sectxt_input *in, struct nh_webpol_result *r)
{
	struct reader rd;
	const char *body, *u;
	size_t len, i = 0, bad;
	char ex[96];
	bool read;

	assert(in != NULL && r != NULL);
	body = in->body ? in->body : "";
	len = in->body ? in->len : 0;
	u = in->url ? in->url : "security.txt";
	nh_wp_init(r);
	memset(&rd, 0, sizeof(rd));
	rd.in = in;
	rd.r = r;
	if (in->status != 200) {
		if (in->status == 0 || in->status == 404)
			nh_wp_add(r, NH_WARNING, "no_security_txt_404",
			    "no security.txt at %s%s",
			    nh_wp_excerpt(u, strlen(u), ex, sizeof(ex)),
			    in->status == 0 ? " (no answer)"
					    : " (404 Not Found)");
		else
			nh_wp_add(r, NH_WARNING, "no_security_txt_other",
			    "no security.txt at %s (HTTP status %d)",
			    nh_wp_excerpt(u, strlen(u), ex, sizeof(ex)),
			    in->status);
		return;
	}
	if (in->final_url != NULL &&
	    nh_wp_span_iprefix(nh_wp_span_str(in->final_url), "http:"))
		nh_wp_add(r, NH_WARNING, "invalid_uri_scheme",
		    "a redirect led to %s: security.txt must be served over "
		    "HTTPS (RFC 9116 §3)",
		    nh_wp_excerpt(
			in->final_url, strlen(in->final_url), ex, sizeof(ex)));
	read = content_type(&rd);
	if (in->legacy)
		nh_wp_add(r, NH_WARNING, "location",
		    "security.txt is only at the old place /security.txt; "
		    "it belongs at /.well-known/security.txt");
	if (!read)
		return;
	if (in->truncated)
		nh_wp_add(r, NH_INFO, "truncated",
		    "the file is longer than was read (%zu bytes); only that "
		    "part was checked",
		    len);
	if ((bad = nh_wp_utf8_check((const unsigned char *)body, len)) < len) {
		nh_wp_add(r, NH_WARNING, "utf8",
		    "the file is not UTF-8 (byte %zu)", bad + 1);
		return;
	}
	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0) {
		nh_wp_add(r, NH_WARNING, "bom_in_file",
		    "the file starts with a byte order mark (BOM), which "
		    "must not be there");
		while (len - i >= 3 && memcmp(body + i, "\xef\xbb\xbf", 3) == 0)
			i += 3;
	}
	while (i < len) {
		const char *nl = memchr(body + i, '\n', len - i);
		struct wp_span line = { body + i,
			nl ? (size_t)(nl - body) - i : len - i };

		rd.line++;
		i += line.len + (nl != NULL);
		while (line.len > 0 &&
		    (is_ws(line.p[line.len - 1]) ||
			line.p[line.len - 1] == '\r' ||
			line.p[line.len - 1] == '\v' ||
			line.p[line.len - 1] == '\f'))
			line.len--;
		if (nl == NULL)
			LINE_ADD(&rd, NH_WARNING, "no_line_separators", "%s",
			    "the last line does not end with a line break");
		read_line(&rd, line);
	}
	finish(&rd);
}
