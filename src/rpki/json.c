/*
 * json.c: a bounded streaming reader for the "roas" array of the JSON that
 * rpki-client (-j) and Routinator (vrps -f json, -f jsonext) write.
 *
 * Why not jansson: it builds the whole tree first; for 700k ROAs (a 70 MB
 * file) that took 3 s and 600 MB here. This reader walks the bytes once,
 * keeps nothing but the entries, and allocates nothing else: strings are
 * decoded into fixed buffers (what does not fit is not what we look for),
 * values we do not use are checked for well-formedness and skipped, and
 * nesting is capped at NH_RPKI_MAX_DEPTH. It accepts exactly RFC 8259
 * JSON, except that a string of another member may hold any escape.
 *
 * Errors name the byte (from 1) and its line, and the ROA by its index.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rpki_impl.h"

struct jr {
	const char *b; /* borrowed */
	size_t len, off;
	const char *name;
	char *err;
	size_t errsize;
	struct rpki_tbl *t;
};

static int fail(struct jr *j, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets the error at byte offset `at`; returns -1. */
static int
fail(struct jr *j, size_t at, const char *fmt, ...)
{
	char msg[384];
	size_t line = 1;
	const char *p = j->b, *end = j->b + (at < j->len ? at : j->len);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line++;
		p++;
	}
	rpki_err(j->err, j->errsize, "%s:%zu: byte %zu: %s", j->name, line,
	    at + 1, msg);
	return -1;
}

static void
ws(struct jr *j)
{
	const char *b = j->b;
	size_t i = j->off, len = j->len;

	while (i < len &&
	    (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t'))
		i++;
	j->off = i;
}

/* The byte at the cursor, or -1 at the end. */
static int
peek(const struct jr *j)
{
	return j->off < j->len ? (unsigned char)j->b[j->off] : -1;
}

/* Consumes `c`, or fails saying what was expected and what came. */
static int
expect(struct jr *j, char c, const char *what)
{
	int got = peek(j);

	if (got == c) {
		j->off++;
		return 0;
	}
	if (got < 0)
		return fail(
		    j, j->off, "the file ends where %s was expected", what);
	if (got >= 0x20 && got < 0x7f)
		return fail(j, j->off, "expected %s, found '%c'", what, got);
	return fail(j, j->off, "expected %s, found byte 0x%02x", what, got);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Bytes that end the plain run of a string: '"', '\\', control bytes. */
static const bool special[256] = {
	[0x00] = 1,
	[0x01] = 1,
	[0x02] = 1,
	[0x03] = 1,
	[0x04] = 1,
	[0x05] = 1,
	[0x06] = 1,
	[0x07] = 1,
	[0x08] = 1,
	[0x09] = 1,
	[0x0a] = 1,
	[0x0b] = 1,
	[0x0c] = 1,
	[0x0d] = 1,
	[0x0e] = 1,
	[0x0f] = 1,
	[0x10] = 1,
	[0x11] = 1,
	[0x12] = 1,
	[0x13] = 1,
	[0x14] = 1,
	[0x15] = 1,
	[0x16] = 1,
	[0x17] = 1,
	[0x18] = 1,
	[0x19] = 1,
	[0x1a] = 1,
	[0x1b] = 1,
	[0x1c] = 1,
	[0x1d] = 1,
	[0x1e] = 1,
	[0x1f] = 1,
	['"'] = 1,
	['\\'] = 1,
};

/*
 * The string at the cursor (its opening quote). Decoded into out (cap
 * bytes, NUL-terminated) when out is not NULL; *n is the decoded length,
 * which may exceed cap - 1 (out then holds its start). An escaped
 * character outside ASCII (or NUL) is decoded as '?': nothing we read
 * holds one.
 */
static int
str(struct jr *j, char *out, size_t cap, size_t *n)
{
	const char *b = j->b;
	size_t i = j->off + 1, o = 0, start = j->off, len = j->len;

	for (;;) {
		unsigned char c;
		size_t run = i;
		int ch;

		while (i < len && !special[(unsigned char)b[i]])
			i++;
		if (out != NULL && o < cap - 1) {
			size_t k =
			    i - run < cap - 1 - o ? i - run : cap - 1 - o;

			memcpy(out + o, b + run, k);
		}
		o += i - run;
		if (i >= j->len)
			return fail(j, start, "a string is not closed");
		c = (unsigned char)b[i];
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(j, i, "control byte 0x%02x in a string", c);
		if (i + 1 >= j->len)
			return fail(j, start, "a string is not closed");
		switch (b[i + 1]) {
		case '"':
		case '\\':
		case '/':
			ch = b[i + 1];
			break;
		case 'b':
			ch = '\b';
			break;
		case 'f':
			ch = '\f';
			break;
		case 'n':
			ch = '\n';
			break;
		case 'r':
			ch = '\r';
			break;
		case 't':
			ch = '\t';
			break;
		case 'u': {
			int v = 0;

			for (int d = 0; d < 4; d++) {
				int h = i + 2 + d < j->len
				    ? hexval(b[i + 2 + d])
				    : -1;

				if (h < 0)
					return fail(j, i,
					    "\\u needs four hexadecimal digits");
				v = v << 4 | h;
			}
			ch = v > 0 && v < 0x80 ? v : '?';
			i += 4;
			break;
		}
		default:
			return fail(j, i, "unknown escape in a string");
		}
		i += 2;
		if (out != NULL && o < cap - 1)
			out[o] = (char)ch;
		o++;
	}
	if (out != NULL)
		out[o < cap - 1 ? o : cap - 1] = '\0';
	*n = o;
	j->off = i + 1;
	return 0;
}

static bool
digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * The number at the cursor. *whole: it is an integer >= 0 written without
 * fraction or exponent, and *v its value (saturated).
 */
static int
num(struct jr *j, bool *whole, unsigned long long *v)
{
	const char *b = j->b;
	size_t i = j->off, len = j->len, start = j->off;
	unsigned long long x = 0;
	bool neg = false, frac = false;

	if (i < len && b[i] == '-') {
		neg = true;
		i++;
	}
	if (i >= len || !digit(b[i]))
		return fail(j, start, "a number needs digits");
	if (b[i] == '0') {
		i++;
	} else {
		for (; i < len && digit(b[i]); i++) {
			unsigned d = (unsigned)(b[i] - '0');

			x = x > (~0ULL - d) / 10 ? ~0ULL : x * 10 + d;
		}
	}
	if (i < len && b[i] == '.') {
		frac = true;
		if (++i >= len || !digit(b[i]))
			return fail(j, i, "a fraction needs digits");
		while (i < len && digit(b[i]))
			i++;
	}
	if (i < len && (b[i] == 'e' || b[i] == 'E')) {
		frac = true;
		if (++i < len && (b[i] == '+' || b[i] == '-'))
			i++;
		if (i >= len || !digit(b[i]))
			return fail(j, i, "an exponent needs digits");
		while (i < len && digit(b[i]))
			i++;
	}
	j->off = i;
	*v = x;
	*whole = !neg && !frac;
	return 0;
}

static int
literal(struct jr *j)
{
	static const char *const words[] = { "true", "false", "null" };

	for (size_t w = 0; w < 3; w++) {
		size_t n = strlen(words[w]);

		if (j->len - j->off >= n &&
		    memcmp(j->b + j->off, words[w], n) == 0) {
			j->off += n;
			return 0;
		}
	}
	return fail(j, j->off, "expected a value");
}

/* Checks and skips the value at the cursor, `depth` levels deep. */
static int
skip(struct jr *j, unsigned depth)
{
	size_t n;
	bool whole;
	unsigned long long v;
	int c;

	ws(j);
	if (depth > NH_RPKI_MAX_DEPTH)
		return fail(j, j->off, "nested deeper than %d levels",
		    NH_RPKI_MAX_DEPTH);
	c = peek(j);
	if (c == '"')
		return str(j, NULL, 0, &n);
	if (c == '-' || digit(c))
		return num(j, &whole, &v);
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';

		j->off++;
		ws(j);
		if (peek(j) == close) {
			j->off++;
			return 0;
		}
		for (;;) {
			ws(j);
			if (c == '{') {
				if (peek(j) != '"')
					return expect(j, '"', "a member name");
				if (str(j, NULL, 0, &n) != 0)
					return -1;
				ws(j);
				if (expect(j, ':', "':' after a member name") !=
				    0)
					return -1;
			}
			if (skip(j, depth + 1) != 0)
				return -1;
			ws(j);
			if (peek(j) == ',') {
				j->off++;
				continue;
			}
			return expect(
			    j, close, c == '{' ? "',' or '}'" : "',' or ']'");
		}
	}
	if (c < 0)
		return fail(
		    j, j->off, "the file ends where a value was expected");
	return literal(j);
}

static bool
key_is(const char *key, size_t n, const char *word)
{
	return n == strlen(word) && memcmp(key, word, n) == 0;
}

/* What one element of "roas" said. */
struct roa {
	size_t idx; /* its index in "roas" */
	bool have_asn, have_prefix, have_max;
	uint32_t asn;
	char prefix[64];
	size_t pn, prefix_at; /* decoded length; byte offset of the value */
	unsigned long long maxv;
	size_t max_at;
};

/* "asn": a number, or a string "AS64500", "64500". */
static int
roa_asn(struct jr *j, struct roa *o)
{
	char val[64], why[RPKI_WHY], q[RPKI_QUOTE];
	size_t at = j->off, vn;
	unsigned long long v;
	bool whole;

	if (peek(j) == '"') {
		if (str(j, val, sizeof(val), &vn) != 0)
			return -1;
		if (vn >= sizeof(val))
			vn = sizeof(val) - 1; /* too long for an ASN anyway */
		if (!rpki_parse_asn(val, vn, &o->asn, why))
			return fail(j, at, "roas[%zu]: %s", o->idx, why);
	} else if (peek(j) == '-' || digit(peek(j))) {
		if (num(j, &whole, &v) != 0)
			return -1;
		if (!whole || v > UINT32_MAX)
			return fail(j, at,
			    "roas[%zu]: asn %s is not an AS number (0 to "
			    "4294967295)",
			    o->idx, rpki_quote(j->b + at, j->off - at, q));
		o->asn = (uint32_t)v;
	} else {
		return fail(j, at,
		    "roas[%zu]: asn is neither a number nor a string", o->idx);
	}
	o->have_asn = true;
	return 0;
}

/* "prefix": a string, checked once the object is read. */
static int
roa_prefix(struct jr *j, struct roa *o)
{
	char q[RPKI_QUOTE];

	o->prefix_at = j->off;
	if (peek(j) != '"')
		return fail(
		    j, j->off, "roas[%zu]: prefix is not a string", o->idx);
	if (str(j, o->prefix, sizeof(o->prefix), &o->pn) != 0)
		return -1;
	if (o->pn >= sizeof(o->prefix))
		return fail(j, o->prefix_at,
		    "roas[%zu]: prefix \"%s\" is too long to be one", o->idx,
		    rpki_quote(o->prefix, sizeof(o->prefix) - 1, q));
	o->have_prefix = true;
	return 0;
}

/* "maxLength": a whole number, checked once the prefix is known. */
static int
roa_maxlen(struct jr *j, struct roa *o)
{
	char q[RPKI_QUOTE];
	bool whole;

	o->max_at = j->off;
	if (peek(j) != '-' && !digit(peek(j)))
		return fail(
		    j, j->off, "roas[%zu]: maxLength is not a number", o->idx);
	if (num(j, &whole, &o->maxv) != 0)
		return -1;
	if (!whole)
		return fail(j, o->max_at,
		    "roas[%zu]: maxLength %s is not a whole number", o->idx,
		    rpki_quote(j->b + o->max_at, j->off - o->max_at, q));
	o->have_max = true;
	return 0;
}

/* Checks what an element said and adds its VRP. */
static int
roa_add(struct jr *j, const struct roa *o, size_t at)
{
	char why[RPKI_WHY];
	struct rpki_key k;
	unsigned maxlen;

	if (!o->have_prefix)
		return fail(j, at, "roas[%zu] has no \"prefix\"", o->idx);
	if (!o->have_asn)
		return fail(j, at, "roas[%zu] has no \"asn\"", o->idx);
	if (!rpki_parse_prefix(o->prefix, o->pn, NULL, 0, &k, why))
		return fail(j, o->prefix_at, "roas[%zu]: %s", o->idx, why);
	maxlen = k.len;
	if (o->have_max && !rpki_check_maxlen(o->maxv, &k, &maxlen, why))
		return fail(j, o->max_at, "roas[%zu]: %s", o->idx, why);
	switch (rpki_tbl_add(j->t, &k, maxlen, o->asn)) {
	case RPKI_ADD_OK:
		return 0;
	case RPKI_ADD_FULL:
		return fail(j, at, "more than %zu VRPs", NH_RPKI_MAX_ENTRIES);
	default:
		return fail(j, at, "out of memory");
	}
}

/* One element of "roas", number idx, at depth 3: an object whose members
 * we read ("asn", "prefix", "maxLength") or skip (any other). */
static int
roa(struct jr *j, size_t idx)
{
	struct roa o = { .idx = idx };
	size_t at = j->off, kn;
	char key[16];
	int rc;

	if (peek(j) != '{')
		return fail(j, j->off, "roas[%zu] is not an object", idx);
	j->off++;
	ws(j);
	if (peek(j) == '}') {
		j->off++;
		return roa_add(j, &o, at);
	}
	for (;;) {
		ws(j);
		if (peek(j) != '"')
			return expect(j, '"', "a member name");
		if (str(j, key, sizeof(key), &kn) != 0)
			return -1;
		ws(j);
		if (expect(j, ':', "':' after a member name") != 0)
			return -1;
		ws(j);
		if (key_is(key, kn, "asn"))
			rc = roa_asn(j, &o);
		else if (key_is(key, kn, "prefix"))
			rc = roa_prefix(j, &o);
		else if (key_is(key, kn, "maxLength"))
			rc = roa_maxlen(j, &o);
		else
			rc = skip(j, 4);
		if (rc != 0)
			return -1;
		ws(j);
		if (peek(j) != ',')
			break;
		j->off++;
	}
	if (expect(j, '}', "',' or '}'") != 0)
		return -1;
	return roa_add(j, &o, at);
}

/* The value of "roas": an array of ROAs. */
static int
roas(struct jr *j)
{
	size_t idx = 0;

	if (peek(j) != '[')
		return fail(j, j->off, "\"roas\" is not an array");
	j->off++;
	ws(j);
	if (peek(j) == ']') {
		j->off++;
		return 0;
	}
	for (;;) {
		ws(j);
		if (roa(j, idx++) != 0)
			return -1;
		ws(j);
		if (peek(j) == ',') {
			j->off++;
			continue;
		}
		return expect(j, ']', "',' or ']' in \"roas\"");
	}
}

int
rpki_json_vrps(struct rpki_tbl *t, const char *buf, size_t len,
    const char *name, char *err, size_t errsize)
{
	struct jr j = { buf, len, 0, name, err, errsize, t };
	char key[16];
	size_t kn;
	bool seen = false;

	j.off = rpki_content_start(buf, len);
	if (expect(&j, '{', "'{'") != 0)
		return -1;
	ws(&j);
	if (peek(&j) == '}')
		j.off++;
	else
		for (;;) {
			ws(&j);
			if (peek(&j) != '"')
				return expect(&j, '"', "a member name");
			if (str(&j, key, sizeof(key), &kn) != 0)
				return -1;
			ws(&j);
			if (expect(&j, ':', "':' after a member name") != 0)
				return -1;
			ws(&j);
			if (key_is(key, kn, "roas")) {
				if (seen)
					return fail(&j, j.off,
					    "a second \"roas\" member");
				seen = true;
				if (roas(&j) != 0)
					return -1;
			} else if (skip(&j, 2) != 0) {
				return -1;
			}
			ws(&j);
			if (peek(&j) == ',') {
				j.off++;
				continue;
			}
			if (expect(&j, '}', "',' or '}'") != 0)
				return -1;
			break;
		}
	ws(&j);
	if (j.off < len)
		return fail(&j, j.off, "more after the end of the JSON object");
	if (!seen) {
		rpki_err(err, errsize,
		    "%s: no \"roas\" member: not rpki-client or Routinator "
		    "JSON",
		    name);
		return -1;
	}
	return 0;
}
