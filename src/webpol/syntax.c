/*
 * syntax.c: validators of untrusted text for the judges: UTF-8 (RFC 3629),
 * RFC 3339 date-times, RFC 5646 language tags, and URIs as RFC 9116
 * fields hold them. Each reads only within the span it is given.
 */
#include <string.h>

#include "webpol_impl.h"

size_t
nh_wp_utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t v, min;
	size_t n;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		v = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		v = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		v = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

size_t
nh_wp_utf8_check(const unsigned char *s, size_t len)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = nh_wp_utf8_seq(s + i, len - i, &cp)) == 0)
			return i;
		i += k;
	}
	return len;
}

/* Proleptic Gregorian calendar (H. Hinnant's algorithms). */
int64_t
nh_wp_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
nh_wp_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool
leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* n digits at s[*i], within len, as a number; -1 if not digits. */
static int
digits(struct wp_span s, size_t *i, size_t n)
{
	int v = 0;

	if (s.len - *i < n)
		return -1;
	for (size_t k = 0; k < n; k++) {
		char c = s.p[*i + k];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*i += n;
	return v;
}

static bool
expect(struct wp_span s, size_t *i, char c)
{
	if (*i >= s.len || nh_wp_lower(s.p[*i]) != c)
		return false;
	(*i)++;
	return true;
}

int
nh_wp_rfc3339(struct wp_span s, int64_t *t, const char **why)
{
	static const unsigned mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	size_t i = 0;

	*why = "not in the form 2026-12-31T23:00:00Z (RFC 3339)";
	if ((y = digits(s, &i, 4)) < 0 || !expect(s, &i, '-') ||
	    (mo = digits(s, &i, 2)) < 0 || !expect(s, &i, '-') ||
	    (d = digits(s, &i, 2)) < 0)
		return -1;
	if (!expect(s, &i, 't')) {
		*why = i < s.len && s.p[i] == ' '
		    ? "date and time must be joined by 'T', not a space "
		      "(RFC 3339 §5.6)"
		    : "a date without a time (RFC 3339 date-time)";
		return -1;
	}
	if ((h = digits(s, &i, 2)) < 0 || !expect(s, &i, ':') ||
	    (mi = digits(s, &i, 2)) < 0 || !expect(s, &i, ':') ||
	    (sec = digits(s, &i, 2)) < 0) {
		*why = "the time is not hh:mm:ss (RFC 3339)";
		return -1;
	}
	if (i < s.len && s.p[i] == '.') {
		size_t start = ++i;

		while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9')
			i++;
		if (i == start) {
			*why = "a '.' without fraction digits (RFC 3339)";
			return -1;
		}
	}
	if (expect(s, &i, 'z')) {
		sign = 0;
	} else if (i < s.len && (s.p[i] == '+' || s.p[i] == '-')) {
		sign = s.p[i++] == '+' ? 1 : -1;
		if ((oh = digits(s, &i, 2)) < 0 || !expect(s, &i, ':') ||
		    (om = digits(s, &i, 2)) < 0 || oh > 23 || om > 59) {
			*why = "a bad time zone offset (RFC 3339)";
			return -1;
		}
	} else {
		*why = "no time zone: end with Z or an offset such as +01:00 "
		       "(RFC 3339)";
		return -1;
	}
	if (i != s.len) {
		*why = "text after the date-time (RFC 3339)";
		return -1;
	}
	if (mo < 1 || mo > 12 || d < 1 ||
	    (unsigned)d > mdays[mo - 1] + (mo == 2 && leap(y)) || h > 23 ||
	    mi > 59 || sec > 60) {
		*why = "no such date or time";
		return -1;
	}
	if (sec == 60)
		sec = 59; /* a leap second */
	*t = nh_wp_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec - sign * (oh * 3600 + om * 60);
	return 0;
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_hex(char c)
{
	return is_digit(c) || (nh_wp_lower(c) >= 'a' && nh_wp_lower(c) <= 'f');
}

/* A subtag of n characters, all letters (kind 'a'), digits ('d') or
 * either ('x'). */
static bool
subtag_is(struct wp_span t, char kind)
{
	for (size_t i = 0; i < t.len; i++) {
		char c = t.p[i];

		if (kind == 'a'       ? !is_alpha(c)
			: kind == 'd' ? !is_digit(c)
				      : !is_alpha(c) && !is_digit(c))
			return false;
	}
	return true;
}

/* The next '-'-separated subtag from *pos; false at the end. */
static bool
next_subtag(struct wp_span s, size_t *pos, struct wp_span *t)
{
	size_t e;

	if (*pos > s.len)
		return false;
	for (e = *pos; e < s.len && s.p[e] != '-'; e++)
		;
	t->p = s.p + *pos;
	t->len = e - *pos;
	*pos = e + 1;
	return true;
}

bool
nh_wp_langtag(struct wp_span s)
{
	static const char *const grandfathered[] = { "en-GB-oed", "i-ami",
		"i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon",
		"i-lux", "i-mingo", "i-navajo", "i-pwn", "i-tao", "i-tay",
		"i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE", "art-lojban",
		"cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka",
		"zh-min", "zh-min-nan", "zh-xiang" };
	struct wp_span t;
	size_t pos = 0, n = 0;
	int stage = 0; /* 0 language, 1 extlang, 2 script, 3 region,
			  4 variant, 5 extension, 6 private use */
	bool ext_open = false, priv_open = false;

	for (size_t i = 0; i < sizeof(grandfathered) / sizeof(*grandfathered);
	     i++) {
		if (nh_wp_span_ieq(s, grandfathered[i]))
			return true;
	}
	if (s.len == 0)
		return false;
	while (next_subtag(s, &pos, &t)) {
		if (t.len < 1 || t.len > 8 || !subtag_is(t, 'x'))
			return false;
		if (n++ == 0) {
			if (t.len == 1 && nh_wp_lower(t.p[0]) == 'x') {
				stage = 6;
				priv_open = true;
				continue;
			}
			if (t.len < 2 || !subtag_is(t, 'a'))
				return false;
			stage = t.len <= 3 ? 0 : 1; /* extlang only after
							2-3 letters */
			continue;
		}
		if (stage == 6) { /* private use: 1*8alphanum */
			priv_open = false;
			continue;
		}
		if (t.len == 1) { /* a singleton */
			if (ext_open)
				return false; /* needs a subtag first */
			if (nh_wp_lower(t.p[0]) == 'x') {
				stage = 6;
				priv_open = true;
			} else {
				stage = 5;
				ext_open = true;
			}
			continue;
		}
		if (stage == 5) { /* extension: 2*8alphanum */
			ext_open = false;
			continue;
		}
		if (stage == 0 && t.len == 3 && subtag_is(t, 'a')) {
			/* extlang, at most three */
			if (n > 4)
				return false;
			continue;
		}
		if (stage <= 1 && t.len == 4 && subtag_is(t, 'a')) {
			stage = 2;
			continue;
		}
		if (stage <= 2 &&
		    ((t.len == 2 && subtag_is(t, 'a')) ||
			(t.len == 3 && subtag_is(t, 'd')))) {
			stage = 3;
			continue;
		}
		if (stage <= 4 &&
		    (t.len >= 5 || (t.len == 4 && is_digit(t.p[0])))) {
			stage = 4;
			continue;
		}
		return false;
	}
	return !ext_open && !priv_open;
}

int
nh_wp_uri(struct wp_span s, struct wp_span *scheme, const char **why)
{
	size_t i = 0;

	if (s.len == 0 || !is_alpha(s.p[0])) {
		*why = "no URI scheme";
		return -1;
	}
	while (i < s.len &&
	    (is_alpha(s.p[i]) || is_digit(s.p[i]) || s.p[i] == '+' ||
		s.p[i] == '-' || s.p[i] == '.'))
		i++;
	if (i == s.len || s.p[i] != ':') {
		*why = "no URI scheme";
		return -1;
	}
	scheme->p = s.p;
	scheme->len = i;
	if (i + 1 == s.len) {
		*why = "nothing after the URI scheme";
		return -1;
	}
	for (i++; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (c >= 0x80)
			continue; /* an IRI's characters */
		if (c <= 0x20 || c == 0x7f || strchr("\"<>\\^`{|}", c)) {
			*why = c == ' ' || c == '\t'
			    ? "white space in the URI"
			    : "a character a URI cannot hold";
			return -1;
		}
		if (c == '%' &&
		    (s.len - i < 3 || !is_hex(s.p[i + 1]) ||
			!is_hex(s.p[i + 2]))) {
			*why = "a '%' not followed by two hex digits";
			return -1;
		}
	}
	return 0;
}

bool
nh_wp_mailto_host(struct wp_span u, char *host, size_t size)
{
	size_t end, at = 0, label = 0, o = 0;

	if (size == 0)
		return false;
	host[0] = '\0';
	if (!nh_wp_span_iprefix(u, "mailto:"))
		return false;
	for (end = 7; end < u.len && u.p[end] != '?'; end++) {
		if (u.p[end] == '@')
			at = end;
	}
	if (at <= 7)
		return false; /* no '@', or no local part */
	for (size_t i = at + 1; i < end && u.p[i] != '!'; i++) {
		char c = u.p[i];

		if (c == '.') {
			if (label == 0)
				goto bad; /* an empty label */
			label = 0;
		} else if (is_alpha(c) || is_digit(c) || c == '-' || c == '_') {
			if (++label > 63)
				goto bad;
		} else {
			goto bad;
		}
		if (o + 1 >= size || o >= 254)
			goto bad;
		host[o++] = nh_wp_lower(c);
	}
	if (o > 0 && host[o - 1] == '.')
		o--;
	if (o == 0 || o > 253)
		goto bad;
	host[o] = '\0';
	return true;
bad:
	host[0] = '\0';
	return false;
}
