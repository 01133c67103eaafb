/*
 * mtasts.c: the judges of SMTP MTA Strict Transport Security (RFC 8461):
 * the _mta-sts TXT record (§3.1), the policy file and how it was served
 * (§3.2, §3.3), its mx patterns against the domain's MX host names
 * (§4.1); and of the SMTP TLS Reporting record (RFC 8460 §3). Each reads
 * its input once with a bounded cursor, except the MX matching, which
 * reads the policy once per MX host name.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "webpol_impl.h"

#define STS_MAX_AGE_MAX 31557600UL /* RFC 8461 §3.2 */
#define DAY 86400UL
#define WEEK (7 * DAY)
#define MAX_LINE_FINDINGS 3 /* lines reported one by one, then counted */

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

/* s is exactly lit (case-sensitive). */
static bool
span_eq(struct wp_span s, const char *lit)
{
	return s.len == strlen(lit) && memcmp(s.p, lit, s.len) == 0;
}

/* A cursor over a TXT record. */
struct cursor {
	const char *p;
	size_t len, i;
};

static bool
at_end(const struct cursor *c)
{
	return c->i >= c->len;
}

static void
skip_wsp(struct cursor *c)
{
	while (c->i < c->len && is_wsp(c->p[c->i]))
		c->i++;
}

/*
 * The length of the extension name at p (RFC 8461 sts-ext-name, RFC 8460
 * tlsrpt-ext-name: (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."));
 * 0 when none starts there. It may run past 32: the caller checks.
 */
static size_t
ext_name(const char *p, size_t len)
{
	size_t n = 0;

	if (len == 0 || !is_alnum(p[0]))
		return 0;
	while (n < len &&
	    (is_alnum(p[n]) || p[n] == '_' || p[n] == '-' || p[n] == '.'))
		n++;
	return n;
}

/* An ext-value character of the TXT records: %x21-3A / %x3C / %x3E-7E. */
static bool
ext_vchar(char c)
{
	unsigned char u = (unsigned char)c;

	return u >= 0x21 && u <= 0x7e && u != ';' && u != '=';
}

/*
 * The next field delimiter of a TXT record (*WSP ";" *WSP). Returns 1
 * when a field follows, 0 at the clean end of the record (after the last
 * value or after a final delimiter), -1 with *why on anything else.
 */
static int
next_field(struct cursor *c, const char **why)
{
	size_t before = c->i;

	skip_wsp(c);
	if (at_end(c)) {
		if (c->i == before)
			return 0;
		c->i = before;
		*why = "white space after the last value: end the record with "
		       "the value or with ';'";
		return -1;
	}
	if (c->p[c->i] != ';') {
		*why = "';' expected between fields";
		return -1;
	}
	c->i++;
	skip_wsp(c);
	return at_end(c) ? 0 : 1;
}

/*
 * The field name at the cursor and its '=' (no white space between, as
 * the ABNF has it). Returns false with *why when there is none.
 */
static bool
field_name(struct cursor *c, struct wp_span *name, const char **why)
{
	size_t n = ext_name(c->p + c->i, c->len - c->i);

	name->p = c->p + c->i;
	name->len = n;
	if (n == 0) {
		*why = "a field such as name=value expected";
		return false;
	}
	if (n > 32) {
		*why = "a field name longer than 32 characters";
		return false;
	}
	c->i += n;
	if (at_end(c) || c->p[c->i] != '=') {
		*why = "'=' expected directly after the field name";
		return false;
	}
	c->i++;
	return true;
}

/* An ext-value at the cursor, then the end, white space or ';'. */
static bool
ext_value(struct cursor *c, struct wp_span *v, const char **why)
{
	v->p = c->p + c->i;
	while (c->i < c->len && ext_vchar(c->p[c->i]))
		c->i++;
	v->len = (size_t)(c->p + c->i - v->p);
	if (v->len == 0 &&
	    (at_end(c) || is_wsp(c->p[c->i]) || c->p[c->i] == ';')) {
		*why = "a field without a value";
		return false;
	}
	if (!at_end(c) && !is_wsp(c->p[c->i]) && c->p[c->i] != ';') {
		*why = "a character a value cannot hold (white space, ';', "
		       "'=' or a control character)";
		return false;
	}
	return true;
}

/* Adds the syntax finding of a TXT record that failed at byte at. */
static void
txt_syntax(struct nh_webpol_result *r, const char *code, const char *what,
    const char *rec, size_t len, size_t at, const char *why,
    const char *section)
{
	char ex[40];

	if (at > len)
		at = len;
	nh_wp_add(r, NH_WARNING, code,
	    "the %s record is not valid at character %zu (\"%s\"): %s (%s)",
	    what, at + 1, nh_wp_excerpt(rec + at, len - at, ex, sizeof(ex)),
	    why, section);
}

bool
nh_mtasts_is_record(const char *rec, size_t len)
{
	return rec != NULL && len >= 8 && memcmp(rec, "v=STSv1;", 8) == 0;
}

void
nh_mtasts_txt(const char *rec, size_t len, char *id, size_t id_size,
    struct nh_webpol_result *r)
{
	struct cursor c = { rec != NULL ? rec : "", len, 0 };
	struct wp_span name, v, idv = { NULL, 0 };
	const char *why = NULL;
	size_t ids = 0;
	int more;
	char ex[40];

	assert(r != NULL && (rec != NULL || len == 0));
	assert(id != NULL || id_size == 0);
	nh_wp_init(r);
	if (id_size > 0)
		id[0] = '\0';
	if (len < 7 || memcmp(c.p, "v=STSv1", 7) != 0) {
		why = "an MTA-STS record begins with v=STSv1";
		goto syntax;
	}
	c.i = 7;
	while ((more = next_field(&c, &why)) > 0) {
		if (!field_name(&c, &name, &why))
			goto syntax;
		if (span_eq(name, "id")) {
			size_t start = c.i;

			while (c.i < c.len && is_alnum(c.p[c.i]))
				c.i++;
			if (c.i == start || c.i - start > 32 ||
			    (!at_end(&c) && !is_wsp(c.p[c.i]) &&
				c.p[c.i] != ';')) {
				c.i = start;
				why = "id= takes 1 to 32 letters and digits";
				goto syntax;
			}
			if (ids++ == 0) {
				idv.p = c.p + start;
				idv.len = c.i - start;
			}
		} else if (!ext_value(&c, &v, &why)) {
			goto syntax;
		}
	}
	if (more < 0)
		goto syntax;
	if (ids == 0) {
		nh_wp_add(r, NH_WARNING, "mtasts_record_no_id",
		    "the MTA-STS record has no id= field, which RFC 8461 "
		    "§3.1 requires: senders ignore the record");
		return;
	}
	if (id_size > idv.len) {
		memcpy(id, idv.p, idv.len);
		id[idv.len] = '\0';
	}
	nh_wp_add(r, NH_PASSED, "mtasts_record_ok",
	    "the MTA-STS record follows RFC 8461 §3.1 (id %s)",
	    WP_EXCERPT(idv, ex));
	if (ids > 1)
		nh_wp_add(r, NH_INFO, "duplicate_field",
		    "id= appears %zu times: senders use the first (RFC 8461 "
		    "§3.2)",
		    ids);
	return;
syntax:
	txt_syntax(r, "mtasts_record_syntax", "MTA-STS", c.p, len, c.i, why,
	    "RFC 8461 §3.1");
}

/*
 * An mx pattern (RFC 8461 §3.2: ["*."] Domain, Domain of RFC 5321: labels
 * of letters, digits and inner '-', 1-63 each, 253 in all, no trailing
 * dot). Returns NULL when valid, else the reason.
 */
static const char *
mx_pattern(struct wp_span v)
{
	size_t label = 0;

	if (v.len >= 2 && v.p[0] == '*' && v.p[1] == '.') {
		v.p += 2;
		v.len -= 2;
	}
	if (v.len == 0)
		return "no host name";
	if (v.len > 253)
		return "a host name longer than 253 characters";
	for (size_t i = 0; i < v.len; i++) {
		char c = v.p[i];

		if (c == '.') {
			if (label == 0)
				return "an empty label";
			if (v.p[i - 1] == '-')
				return "a label ending in '-'";
			label = 0;
		} else if (is_alnum(c) || (c == '-' && label > 0)) {
			if (++label > 63)
				return "a label longer than 63 characters";
		} else if (c == '-') {
			return "a label starting with '-'";
		} else if (c == '*') {
			return "a '*' other than a whole left-most label, as in "
			       "*.example.net";
		} else {
			return "a character that is not a letter, digit, '-' "
			       "or '.'";
		}
	}
	if (label == 0)
		return "a trailing dot, which patterns do not have";
	if (v.p[v.len - 1] == '-')
		return "a label ending in '-'";
	return NULL;
}

/*
 * Whether the MX host name (any case, trailing dot ignored) matches the
 * valid pattern: the same name, or for "*.rest" one label and then rest
 * (RFC 8461 §4.1: the wildcard stands for exactly one left-most label).
 */
static bool
mx_match(struct wp_span pat, const char *name)
{
	struct wp_span nm = nh_wp_span_str(name);
	const char *dot;

	if (nm.len > 0 && nm.p[nm.len - 1] == '.')
		nm.len--;
	if (pat.len >= 2 && pat.p[0] == '*' && pat.p[1] == '.') {
		pat.p += 2;
		pat.len -= 2;
		if ((dot = memchr(nm.p, '.', nm.len)) == NULL || dot == nm.p)
			return false;
		nm.len -= (size_t)(dot + 1 - nm.p);
		nm.p = dot + 1;
	}
	if (nm.len != pat.len)
		return false;
	for (size_t i = 0; i < nm.len; i++) {
		if (nh_wp_lower(nm.p[i]) != nh_wp_lower(pat.p[i]))
			return false;
	}
	return true;
}

/*
 * The next line of the policy body from *pos (LF or CRLF ends it; RFC
 * 8461 §3.2 sts-policy-term), terminator excluded. False at the end: a
 * final terminator does not start another line.
 */
static bool
next_line(const char *b, size_t len, size_t *pos, struct wp_span *line)
{
	const char *nl;

	if (*pos >= len)
		return false;
	line->p = b + *pos;
	nl = memchr(line->p, '\n', len - *pos);
	line->len = nl != NULL ? (size_t)(nl - line->p) : len - *pos;
	*pos += line->len + (nl != NULL);
	if (line->len > 0 && line->p[line->len - 1] == '\r')
		line->len--;
	return true;
}

/*
 * Splits a policy line into key and value (sts-policy-field: name ":"
 * *WSP value *WSP). The value may be empty; it holds printable ASCII,
 * spaces and UTF-8 (sts-policy-vchar). False with *why otherwise.
 */
static bool
split_field(struct wp_span line, struct wp_span *key, struct wp_span *val,
    const char **why)
{
	size_t n = ext_name(line.p, line.len), i;

	if (n == 0) {
		*why = line.len > 0 && is_wsp(line.p[0])
		    ? "white space at the start of the line"
		    : "not key: value";
		return false;
	}
	if (n > 32) {
		*why = "a key longer than 32 characters";
		return false;
	}
	if (n == line.len || line.p[n] != ':') {
		*why = n < line.len && is_wsp(line.p[n])
		    ? "white space before the ':'"
		    : "not key: value";
		return false;
	}
	key->p = line.p;
	key->len = n;
	val->p = line.p + n + 1;
	val->len = line.len - n - 1;
	*val = nh_wp_trim_ows(*val);
	for (i = 0; i < val->len;) {
		unsigned char c = (unsigned char)val->p[i];
		uint32_t cp;
		size_t k;

		if (c >= 0x20 && c < 0x7f) {
			i++;
			continue;
		}
		if (c < 0x80 ||
		    (k = nh_wp_utf8_seq((const unsigned char *)val->p + i,
			 val->len - i, &cp)) == 0) {
			*why = "a control character or invalid UTF-8 in the "
			       "value";
			return false;
		}
		i += k;
	}
	return true;
}

/* The media type of a Content-Type is text/plain (any case). */
static bool
text_plain(const char *ct)
{
	struct wp_span s = nh_wp_span_str(ct);
	const char *semi = memchr(s.p, ';', s.len);

	if (semi != NULL)
		s.len = (size_t)(semi - s.p);
	return nh_wp_span_ieq(nh_wp_trim_ows(s), "text/plain");
}

/* A field seen in the policy, the first time: its value and line. */
struct sts_field {
	struct wp_span v;
	size_t line; /* 0: absent */
};

/* What one pass over the policy found. */
struct sts_scan {
	struct sts_field version, mode, max_age;
	size_t nmx; /* valid mx patterns */
	/* Lines in error, each kind reported MAX_LINE_FINDINGS times, then
	 * counted, so that they cannot crowd out other findings. */
	size_t bad_lines;  /* not key: value */
	size_t bad_mx;     /* mx not a pattern */
	size_t bad_case;   /* a known key in another case */
	size_t blank;      /* empty lines */
	size_t duplicates; /* repeated version, mode or max_age */
	size_t dup_line;   /* the first of them */
};

static void
keep_first(
    struct sts_scan *sc, struct sts_field *f, struct wp_span v, size_t line)
{
	if (f->line != 0) {
		if (sc->duplicates++ == 0)
			sc->dup_line = line;
		return;
	}
	f->v = v;
	f->line = line;
}

/* Reads the body once: fields to sc, mx patterns to out, line findings. */
static void
scan_policy(const char *b, size_t len, struct sts_scan *sc,
    struct nh_mtasts_policy *out, struct nh_webpol_result *r)
{
	static const char *const known[] = { "version", "mode", "max_age",
		"mx" };
	struct wp_span line, key, val;
	size_t pos = 0, lineno = 0;
	const char *why;
	char ex[48], ex2[48];

	while (next_line(b, len, &pos, &line)) {
		lineno++;
		if (nh_wp_trim_ows(line).len == 0) {
			sc->blank++;
			continue;
		}
		if (!split_field(line, &key, &val, &why)) {
			if (sc->bad_lines++ < MAX_LINE_FINDINGS)
				nh_wp_add(r, NH_WARNING, "policy_syntax",
				    "line %zu of the policy: %s (\"%s\"; RFC "
				    "8461 §3.2)",
				    lineno, why, WP_EXCERPT(line, ex));
			continue;
		}
		if (span_eq(key, "version")) {
			keep_first(sc, &sc->version, val, lineno);
		} else if (span_eq(key, "mode")) {
			keep_first(sc, &sc->mode, val, lineno);
		} else if (span_eq(key, "max_age")) {
			keep_first(sc, &sc->max_age, val, lineno);
		} else if (span_eq(key, "mx")) {
			if ((why = mx_pattern(val)) != NULL) {
				if (sc->bad_mx++ >= MAX_LINE_FINDINGS)
					continue;
				nh_wp_add(r, NH_WARNING, "mx_invalid",
				    "line %zu of the policy: mx \"%s\" is not "
				    "a host name or *.host name: %s (RFC 8461 "
				    "§3.2)",
				    lineno, WP_EXCERPT(val, ex), why);
				continue;
			}
			if (out->nmx < sizeof(out->mx) / sizeof(out->mx[0])) {
				memcpy(out->mx[out->nmx], val.p, val.len);
				out->mx[out->nmx][val.len] = '\0';
				out->nmx++;
			}
			sc->nmx++;
		} else {
			for (size_t k = 0; k < sizeof(known) / sizeof(*known);
			     k++) {
				if (nh_wp_span_ieq(key, known[k]) &&
				    sc->bad_case++ < MAX_LINE_FINDINGS)
					nh_wp_add(r, NH_WARNING, "key_case",
					    "line %zu of the policy: \"%s\" is "
					    "not \"%s\"; keys are case-"
					    "sensitive, so senders ignore the "
					    "line (RFC 8461 §3.2)",
					    lineno, WP_EXCERPT(key, ex2),
					    known[k]);
			}
			if (val.len == 0 && sc->bad_lines++ < MAX_LINE_FINDINGS)
				nh_wp_add(r, NH_WARNING, "policy_syntax",
				    "line %zu of the policy: \"%s\" has no "
				    "value (RFC 8461 §3.2)",
				    lineno, WP_EXCERPT(key, ex));
			/* Other keys are extensions, ignored (§3.2). */
		}
	}
}

/* Whether a valid mx pattern of the body matches the MX host name. */
static bool
policy_matches(const char *b, size_t len, const char *name)
{
	struct wp_span line, key, val;
	size_t pos = 0;
	const char *why;

	while (next_line(b, len, &pos, &line)) {
		if (split_field(line, &key, &val, &why) && span_eq(key, "mx") &&
		    mx_pattern(val) == NULL && mx_match(val, name))
			return true;
	}
	return false;
}

/* 1*10DIGIT (RFC 8461 §3.2) into *n; false if not that. */
static bool
max_age_value(struct wp_span v, unsigned long *n)
{
	*n = 0;
	if (v.len == 0 || v.len > 10)
		return false;
	for (size_t i = 0; i < v.len; i++) {
		if (!is_digit(v.p[i]))
			return false;
		if (*n <= STS_MAX_AGE_MAX) /* past that, only "too big" */
			*n = *n * 10 + (unsigned long)(v.p[i] - '0');
	}
	return true;
}

/* Judges the fields found; true when version, mode and max_age are valid. */
static bool
judge_fields(const struct sts_scan *sc, struct nh_mtasts_policy *out,
    struct nh_webpol_result *r)
{
	bool ok = true;
	unsigned long age;
	char ex[48];

	if (sc->version.line == 0) {
		nh_wp_add(r, NH_WARNING, "version_missing",
		    "the policy has no version: STSv1 line (RFC 8461 §3.2)");
		ok = false;
	} else if (!span_eq(sc->version.v, "STSv1")) {
		nh_wp_add(r, NH_WARNING, "version_invalid",
		    "line %zu of the policy: version \"%s\" is not STSv1 (RFC "
		    "8461 §3.2)",
		    sc->version.line, WP_EXCERPT(sc->version.v, ex));
		ok = false;
	}
	if (sc->mode.line == 0) {
		nh_wp_add(r, NH_WARNING, "mode_missing",
		    "the policy has no mode: line; it takes enforce, testing "
		    "or none (RFC 8461 §3.2)");
		ok = false;
	} else if (nh_wp_span_ieq(sc->mode.v, "enforce") ||
	    nh_wp_span_ieq(sc->mode.v, "testing") ||
	    nh_wp_span_ieq(sc->mode.v, "none")) {
		if (span_eq(sc->mode.v, "enforce") ||
		    span_eq(sc->mode.v, "testing") ||
		    span_eq(sc->mode.v, "none")) {
			memcpy(out->mode, sc->mode.v.p, sc->mode.v.len);
			out->mode[sc->mode.v.len] = '\0';
		} else {
			nh_wp_add(r, NH_WARNING, "mode_invalid",
			    "line %zu of the policy: mode \"%s\" must be "
			    "written in lower case (RFC 8461 §3.2)",
			    sc->mode.line, WP_EXCERPT(sc->mode.v, ex));
			ok = false;
		}
	} else {
		nh_wp_add(r, NH_WARNING, "mode_invalid",
		    "line %zu of the policy: mode \"%s\" is not enforce, "
		    "testing or none (RFC 8461 §3.2)",
		    sc->mode.line, WP_EXCERPT(sc->mode.v, ex));
		ok = false;
	}
	if (sc->max_age.line == 0) {
		nh_wp_add(r, NH_WARNING, "max_age_missing",
		    "the policy has no max_age: line (RFC 8461 §3.2)");
		ok = false;
	} else if (!max_age_value(sc->max_age.v, &age) ||
	    age > STS_MAX_AGE_MAX) {
		nh_wp_add(r, NH_WARNING, "max_age_invalid",
		    "line %zu of the policy: max_age \"%s\" is not a number "
		    "of seconds from 0 to 31557600 (RFC 8461 §3.2)",
		    sc->max_age.line, WP_EXCERPT(sc->max_age.v, ex));
		ok = false;
	} else {
		out->max_age = age;
	}
	if (sc->nmx == 0 && strcmp(out->mode, "none") != 0) {
		nh_wp_add(r, NH_WARNING, "mx_missing",
		    "the policy has no valid mx: line; every MX host must "
		    "match one (RFC 8461 §3.2)");
		ok = false;
	}
	return ok;
}

/* "3 days", "12 hours", "300 seconds". */
static const char *
duration(unsigned long s, char *buf, size_t cap)
{
	if (s >= DAY)
		snprintf(
		    buf, cap, "%lu day%s", s / DAY, s / DAY == 1 ? "" : "s");
	else if (s >= 3600)
		snprintf(
		    buf, cap, "%lu hour%s", s / 3600, s / 3600 == 1 ? "" : "s");
	else
		snprintf(buf, cap, "%lu second%s", s, s == 1 ? "" : "s");
	return buf;
}

void
nh_mtasts_policy(const struct nh_mtasts_fetch *in, const char *const *mx_names,
    size_t n, struct nh_mtasts_policy *out, struct nh_webpol_result *r)
{
	struct sts_scan sc;
	bool served = true, matched = true;
	const char *body;
	char ex[64], d[32];

	assert(in != NULL && out != NULL && r != NULL);
	assert(in->body != NULL || in->len == 0);
	assert(mx_names != NULL || n == 0);
	nh_wp_init(r);
	memset(out, 0, sizeof(*out));
	memset(&sc, 0, sizeof(sc));
	body = in->body != NULL ? in->body : "";

	if (in->status != 200) {
		if (in->status == 0)
			nh_wp_add(r, NH_WARNING, "http_status",
			    "no answer from the policy host: senders find no "
			    "policy (RFC 8461 §3.3)");
		else
			nh_wp_add(r, NH_WARNING, "http_status",
			    "the policy URL answered HTTP %d, not 200: "
			    "senders find no policy (RFC 8461 §3.3)",
			    in->status);
		return;
	}
	if (in->redirected) {
		nh_wp_add(r, NH_WARNING, "redirected",
		    "the policy URL redirects, and senders must not follow "
		    "redirects (RFC 8461 §3.3): they find no policy");
		served = false;
	}
	if (in->content_type == NULL ||
	    nh_wp_trim_ows(nh_wp_span_str(in->content_type)).len == 0) {
		nh_wp_add(r, NH_WARNING, "content_type",
		    "the policy is served without a Content-Type; it must be "
		    "text/plain (RFC 8461 §3.2)");
		served = false;
	} else if (!text_plain(in->content_type)) {
		nh_wp_add(r, NH_WARNING, "content_type",
		    "the policy is served as %s, not text/plain (RFC 8461 "
		    "§3.2): senders may refuse it",
		    nh_wp_excerpt(
			in->content_type, strlen(in->content_type), ex, 40));
		served = false;
	}

	scan_policy(body, in->len, &sc, out, r);
	if (sc.bad_lines > MAX_LINE_FINDINGS)
		nh_wp_add(r, NH_WARNING, "policy_syntax",
		    "%zu more line%s of the policy not key: value (RFC 8461 "
		    "§3.2)",
		    sc.bad_lines - MAX_LINE_FINDINGS,
		    sc.bad_lines - MAX_LINE_FINDINGS == 1 ? "" : "s");
	if (sc.bad_mx > MAX_LINE_FINDINGS)
		nh_wp_add(r, NH_WARNING, "mx_invalid",
		    "%zu more mx line%s of the policy not a host name or "
		    "*.host name (RFC 8461 §3.2)",
		    sc.bad_mx - MAX_LINE_FINDINGS,
		    sc.bad_mx - MAX_LINE_FINDINGS == 1 ? "" : "s");
	if (sc.bad_case > MAX_LINE_FINDINGS)
		nh_wp_add(r, NH_WARNING, "key_case",
		    "%zu more line%s of the policy with a key in capitals, "
		    "which senders ignore (RFC 8461 §3.2)",
		    sc.bad_case - MAX_LINE_FINDINGS,
		    sc.bad_case - MAX_LINE_FINDINGS == 1 ? "" : "s");
	if (sc.blank > 0)
		nh_wp_add(r, NH_INFO, "blank_line",
		    "the policy has %zu empty line%s, which RFC 8461 §3.2 "
		    "does not provide for; most senders skip them",
		    sc.blank, sc.blank == 1 ? "" : "s");
	if (sc.duplicates > 0)
		nh_wp_add(r, NH_INFO, "duplicate_field",
		    "line %zu of the policy repeats a field: senders use the "
		    "first of each (RFC 8461 §3.2)",
		    sc.dup_line);
	out->valid = judge_fields(&sc, out, r) && served;

	if (sc.nmx > 0 && strcmp(out->mode, "none") != 0) {
		for (size_t k = 0; k < n; k++) {
			const char *name = mx_names[k] ? mx_names[k] : "";

			if (policy_matches(body, in->len, name))
				continue;
			matched = false;
			if (name[0] == '\0')
				name = "(no name)";
			nh_wp_add(r, NH_WARNING, "mx_mismatch",
			    "the MX host %s matches no mx pattern of the "
			    "policy: senders that apply it do not deliver "
			    "there (RFC 8461 §4.1)",
			    nh_wp_excerpt(name, strlen(name), ex, 64));
		}
	}
	if (!out->valid)
		return;
	if (strcmp(out->mode, "testing") == 0)
		nh_wp_add(r, NH_INFO, "mode_testing",
		    "mode testing: senders report failures but still deliver "
		    "without TLS; set enforce once the reports are clean");
	else if (strcmp(out->mode, "none") == 0)
		nh_wp_add(r, NH_INFO, "mode_none",
		    "mode none: the policy is switched off");
	if (out->max_age < DAY)
		nh_wp_add(r, NH_INFO, "max_age_short",
		    "max_age is %s, less than a day: senders soon forget the "
		    "policy, and an attacker who blocks its renewal removes "
		    "it; RFC 8461 §3.2 expects weeks",
		    duration(out->max_age, d, sizeof(d)));
	else if (out->max_age < WEEK)
		nh_wp_add(r, NH_INFO, "max_age_short",
		    "max_age is %s, less than a week; RFC 8461 §3.2 expects "
		    "weeks or more",
		    duration(out->max_age, d, sizeof(d)));
	if (strcmp(out->mode, "enforce") == 0 && matched)
		nh_wp_add(r, NH_PASSED, "mtasts_ok",
		    "MTA-STS policy in enforce mode for %zu mx pattern%s, "
		    "max_age %s%s",
		    sc.nmx, sc.nmx == 1 ? "" : "s",
		    duration(out->max_age, d, sizeof(d)),
		    n > 0 ? ", every MX host matched" : "");
}

bool
nh_tlsrpt_is_record(const char *rec, size_t len)
{
	return rec != NULL && len >= 11 && memcmp(rec, "v=TLSRPTv1;", 11) == 0;
}

/*
 * One rua URI of a TLS-RPT record (RFC 8460 §3: mailto: or https:).
 * Returns false with *why when it is not a URI; otherwise adds a warning
 * when it is not one a sender can use.
 */
static bool
tlsrpt_uri(struct wp_span u, const char **why, size_t *usable,
    struct nh_webpol_result *r)
{
	struct wp_span scheme;
	char ex[64], host[256];

	if (nh_wp_utf8_check((const unsigned char *)u.p, u.len) != u.len) {
		*why = "a URI that is not UTF-8";
		return false;
	}
	if (nh_wp_uri(u, &scheme, why) < 0)
		return false;
	if (nh_wp_span_ieq(scheme, "mailto")) {
		if (nh_wp_mailto_host(u, host, sizeof(host))) {
			(*usable)++;
			return true;
		}
		nh_wp_add(r, NH_WARNING, "rua_invalid",
		    "rua %s is not a mail address with a host name (RFC 8460 "
		    "§3)",
		    WP_EXCERPT(u, ex));
	} else if (nh_wp_span_ieq(scheme, "https")) {
		if (u.len > 8 && u.p[6] == '/' && u.p[7] == '/' &&
		    !memchr("/?#", u.p[8], 3)) {
			(*usable)++;
			return true;
		}
		nh_wp_add(r, NH_WARNING, "rua_invalid",
		    "rua %s is not an https:// URL with a host (RFC 8460 §3)",
		    WP_EXCERPT(u, ex));
	} else {
		nh_wp_add(r, NH_WARNING, "rua_scheme",
		    "rua %s: reports go to mailto: or https: URIs only (RFC "
		    "8460 §3)",
		    WP_EXCERPT(u, ex));
	}
	return true;
}

void
nh_tlsrpt_txt(const char *rec, size_t len, struct nh_webpol_result *r)
{
	struct cursor c = { rec != NULL ? rec : "", len, 0 };
	struct wp_span name, v, first = { NULL, 0 };
	const char *why = NULL;
	size_t ruas = 0, uris = 0, usable = 0;
	int more;
	char ex[64];

	assert(r != NULL && (rec != NULL || len == 0));
	nh_wp_init(r);
	if (len < 10 || memcmp(c.p, "v=TLSRPTv1", 10) != 0) {
		why = "a TLS-RPT record begins with v=TLSRPTv1";
		goto syntax;
	}
	c.i = 10;
	while ((more = next_field(&c, &why)) > 0) {
		if (!field_name(&c, &name, &why))
			goto syntax;
		if (!span_eq(name, "rua")) {
			if (!ext_value(&c, &v, &why))
				goto syntax;
			continue;
		}
		ruas++;
		/* tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri) */
		for (;;) {
			struct wp_span u = { c.p + c.i, 0 };
			size_t save;

			while (c.i < c.len && !is_wsp(c.p[c.i]) &&
			    c.p[c.i] != ',' && c.p[c.i] != ';')
				c.i++;
			u.len = (size_t)(c.p + c.i - u.p);
			if (u.len == 0) {
				why = "rua= needs a URI here, such as "
				      "mailto:tlsrpt@example.nl";
				goto syntax;
			}
			if (!tlsrpt_uri(u, &why, &usable, r)) {
				c.i = (size_t)(u.p - c.p);
				goto syntax;
			}
			if (uris++ == 0)
				first = u;
			save = c.i;
			skip_wsp(&c);
			if (at_end(&c) || c.p[c.i] != ',') {
				c.i = save;
				break;
			}
			c.i++;
			skip_wsp(&c);
		}
	}
	if (more < 0)
		goto syntax;
	if (ruas == 0) {
		nh_wp_add(r, NH_WARNING, "rua_missing",
		    "the TLS-RPT record has no rua= field, which RFC 8460 §3 "
		    "requires");
		return;
	}
	if (ruas > 1)
		nh_wp_add(r, NH_WARNING, "rua_repeated",
		    "rua= appears %zu times: put every address in one rua=, "
		    "separated by commas (RFC 8460 §3)",
		    ruas);
	if (usable > 0)
		nh_wp_add(r, NH_PASSED, "tlsrpt_ok",
		    "the TLS-RPT record follows RFC 8460 §3: reports go to "
		    "%s%s",
		    WP_EXCERPT(first, ex), uris > 1 ? " and others" : "");
	return;
syntax:
	txt_syntax(
	    r, "tlsrpt_syntax", "TLS-RPT", c.p, len, c.i, why, "RFC 8460 §3");
}
