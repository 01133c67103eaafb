/*
 * page.c: the same website over IPv4 and IPv6 (check web_ipv6_ws_similar,
 * ../shared/internetnl-catalog.md §1.1): a page digested to a byte
 * histogram with per-request tokens left out, and difflib's quick_ratio
 * of two digests. What is left out is documented in webpol.h.
 *
 * The page is read once, left to right; a start tag is tokenized twice
 * (once to learn what its attributes ask to leave out, as a name may
 * come after the value it governs, once to count), so the time stays
 * linear. Bytes are counted lazily: `done` is where counting has got to,
 * and a value left out counts what lies before it.
 */
#include <stdint.h>
#include <string.h>

#include "webpol_impl.h"

/* A cursor over the page p[0..n) inside one tag. */
struct pg_tag {
	const unsigned char *p;
	size_t n;
	size_t i;
};

/* One attribute of a tag: offsets into the page. */
struct pg_attr {
	size_t name, name_len;
	size_t val, val_len;
	bool has_val; /* "=" and a value, possibly empty */
};

/* What a start tag asks to leave out (pass one). */
struct pg_want {
	bool input, meta; /* the element */
	bool token_name;  /* a name of a per-request <input> */
	bool csrf_name;   /* a name of a per-request <meta> */
};

/* HTML white space (§13.2.5: TAB, LF, FF, SP; CR becomes LF first). */
static bool
pg_ws(unsigned char c)
{
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static bool
pg_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
pg_ieq(const unsigned char *p, size_t off, size_t len, const char *lit)
{
	struct wp_span s = { (const char *)p + off, len };

	return nh_wp_span_ieq(s, lit);
}

/* Whether p[off..off+len) contains lit, any case; O(len * strlen(lit)). */
static bool
pg_icontains(const unsigned char *p, size_t off, size_t len, const char *lit)
{
	size_t k = strlen(lit);
	struct wp_span s;

	for (size_t j = 0; j + k <= len; j++) {
		s.p = (const char *)p + off + j;
		s.len = len - j;
		if (nh_wp_span_iprefix(s, lit))
			return true;
	}
	return false;
}

static void
pg_count(
    struct nh_webpol_page *out, const unsigned char *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		out->hist[p[i]]++;
	out->len += to - from;
}

/*
 * Opens the start tag whose '<' is at p[lt] (p[lt + 1] a letter): the tag
 * name (HTML §13.2.5.8) goes to *name_len, the cursor after it. False
 * when the page ends inside the name.
 */
static bool
tag_open(struct pg_tag *t, const unsigned char *p, size_t n, size_t lt,
    size_t *name_len)
{
	size_t i = lt + 1;

	while (i < n && !pg_ws(p[i]) && p[i] != '/' && p[i] != '>')
		i++;
	t->p = p;
	t->n = n;
	t->i = i;
	*name_len = i - (lt + 1);
	return i < n;
}

/*
 * The next attribute of the tag, from the before-attribute-name state
 * (HTML §13.2.5.32-40; a '/' that does not end the tag is skipped, as
 * the self-closing start tag state does). Returns 1 with *a set, 0 at the
 * '>' that ends the tag (the cursor after it), -1 when the page ends
 * first.
 */
static int
attr_next(struct pg_tag *t, struct pg_attr *a)
{
	const unsigned char *p = t->p, *q;
	size_t n = t->n, i = t->i;

	while (i < n && (pg_ws(p[i]) || p[i] == '/'))
		i++;
	if (i >= n)
		return -1;
	if (p[i] == '>') {
		t->i = i + 1;
		return 0;
	}
	memset(a, 0, sizeof(*a));
	a->name = i++; /* the first may be '=' (§13.2.5.32) */
	while (
	    i < n && !pg_ws(p[i]) && p[i] != '/' && p[i] != '>' && p[i] != '=')
		i++;
	a->name_len = i - a->name;
	while (i < n && pg_ws(p[i]))
		i++;
	if (i < n && p[i] == '=') {
		i++;
		while (i < n && pg_ws(p[i]))
			i++;
		if (i >= n)
			return -1;
		if (p[i] == '"' || p[i] == '\'') {
			q = memchr(p + i + 1, p[i], n - i - 1);
			if (q == NULL)
				return -1;
			a->val = i + 1;
			a->val_len = (size_t)(q - p) - a->val;
			a->has_val = true;
			i = a->val + a->val_len + 1;
		} else if (p[i] != '>') {
			a->val = i;
			while (i < n && !pg_ws(p[i]) && p[i] != '>')
				i++;
			a->val_len = i - a->val;
			a->has_val = true;
		}
	}
	t->i = i;
	return 1;
}

/* Whether the attribute's value is left out, given what the tag wants. */
static bool
strip_attr(
    const unsigned char *p, const struct pg_attr *a, const struct pg_want *w)
{
	if (!a->has_val)
		return false;
	if (pg_ieq(p, a->name, a->name_len, "nonce"))
		return true;
	if (w->input && w->token_name &&
	    pg_ieq(p, a->name, a->name_len, "value"))
		return true;
	return w->meta && w->csrf_name &&
	    pg_ieq(p, a->name, a->name_len, "content");
}

/* Notes what a name attribute's value asks to leave out. */
static void
want_name(const unsigned char *p, const struct pg_attr *a, struct pg_want *w)
{
	static const char *const inputs[] = { "__VIEWSTATE",
		"__EVENTVALIDATION", "__VIEWSTATEGENERATOR",
		"__REQUESTDIGEST" };
	static const char *const metas[] = { "csrf-token", "csrf-param",
		"_csrf" };

	for (size_t k = 0; k < sizeof(inputs) / sizeof(*inputs); k++) {
		if (pg_ieq(p, a->val, a->val_len, inputs[k]))
			w->token_name = true;
	}
	if (pg_icontains(p, a->val, a->val_len, "csrf") ||
	    pg_icontains(p, a->val, a->val_len, "token"))
		w->token_name = true;
	for (size_t k = 0; k < sizeof(metas) / sizeof(*metas); k++) {
		if (pg_ieq(p, a->val, a->val_len, metas[k]))
			w->csrf_name = true;
	}
}

/*
 * Elements whose text is not markup (HTML §13.1.2.1: raw text and
 * escapable raw text; noscript is left out, so that a form in it is
 * read). Returns whether the tag name p[off..off+len) is one.
 */
static bool
text_element(const unsigned char *p, size_t off, size_t len)
{
	static const char *const names[] = { "script", "style", "textarea",
		"title", "xmp", "iframe", "noembed", "noframes" };

	for (size_t k = 0; k < sizeof(names) / sizeof(*names); k++) {
		if (pg_ieq(p, off, len, names[k]))
			return true;
	}
	return false;
}

/*
 * Where the text of the element named p[name..name+len) that starts at
 * p[i] ends: at its end tag, "</" and the name in any case followed by
 * white space, '/' or '>' (HTML §13.2.5.11-13); n when there is none.
 * len is at most 8, so this is linear.
 */
static size_t
text_end(const unsigned char *p, size_t n, size_t i, size_t name, size_t len)
{
	size_t k, e;

	for (; i + 2 + len < n; i++) {
		if (p[i] != '<' || p[i + 1] != '/')
			continue;
		for (k = 0; k < len; k++) {
			if (nh_wp_lower((char)p[i + 2 + k]) !=
			    nh_wp_lower((char)p[name + k]))
				break;
		}
		e = i + 2 + len;
		if (k == len && (pg_ws(p[e]) || p[e] == '/' || p[e] == '>'))
			return i;
	}
	return n;
}

/*
 * Where the comment whose "<!--" is at p[i] ends, after its "-->" (or
 * "--!>", or the abrupt "<!-->" and "<!--->", HTML §13.2.5.43-52); n
 * when the page ends first.
 */
static size_t
comment_end(const unsigned char *p, size_t n, size_t i)
{
	size_t j = i + 4;

	if (j < n && p[j] == '>')
		return j + 1;
	if (j + 1 < n && p[j] == '-' && p[j + 1] == '>')
		return j + 2;
	for (; j + 2 < n; j++) {
		if (p[j] != '-' || p[j + 1] != '-')
			continue;
		if (p[j + 2] == '>')
			return j + 3;
		if (j + 3 < n && p[j + 2] == '!' && p[j + 3] == '>')
			return j + 4;
	}
	return n;
}

/*
 * The start tag whose '<' is at p[lt]: counts it up to its end, its
 * values left out as the tag wants, and returns where the page goes on
 * (after the tag, or after the text of a text element); n when the page
 * ends inside the tag, which is then counted as it is.
 */
static size_t
start_tag(const unsigned char *p, size_t n, size_t lt,
    struct nh_webpol_page *out, size_t *done)
{
	struct pg_want w = { false, false, false, false };
	struct pg_tag t;
	struct pg_attr a;
	size_t name_len, end;
	int r;

	/* Pass one: the element, and what its names ask for. */
	if (!tag_open(&t, p, n, lt, &name_len))
		return n;
	w.input = pg_ieq(p, lt + 1, name_len, "input");
	w.meta = pg_ieq(p, lt + 1, name_len, "meta");
	while ((r = attr_next(&t, &a)) > 0) {
		if (a.has_val && pg_ieq(p, a.name, a.name_len, "name"))
			want_name(p, &a, &w);
	}
	if (r < 0)
		return n;
	end = t.i;

	/* Pass two: count, leaving out the values wanted. */
	(void)tag_open(&t, p, n, lt, &name_len);
	while (attr_next(&t, &a) > 0) {
		if (!strip_attr(p, &a, &w))
			continue;
		pg_count(out, p, *done, a.val);
		out->stripped += a.val_len;
		*done = a.val + a.val_len;
	}

	if (pg_ieq(p, lt + 1, name_len, "plaintext"))
		return n;
	if (text_element(p, lt + 1, name_len))
		return text_end(p, n, end, lt + 1, name_len);
	return end;
}

void
nh_webpol_page_digest(
    const unsigned char *body, size_t len, struct nh_webpol_page *out)
{
	size_t n = len < NH_WEBPOL_PAGE_MAX ? len : NH_WEBPOL_PAGE_MAX;
	size_t i = 0, done = 0;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return;
	while (i < n) {
		if (body[i] != '<' || i + 1 >= n) {
			i++;
		} else if (pg_alpha(body[i + 1])) {
			i = start_tag(body, n, i, out, &done);
		} else if (i + 3 < n && memcmp(body + i + 1, "!--", 3) == 0) {
			i = comment_end(body, n, i);
		} else {
			i++;
		}
	}
	pg_count(out, body, done, n);
}

/* *s += v, saturating. */
static void
add_sat(uint64_t *s, uint64_t v)
{
	*s = *s > UINT64_MAX - v ? UINT64_MAX : *s + v;
}

double
nh_webpol_page_ratio(
    const struct nh_webpol_page *a, const struct nh_webpol_page *b)
{
	uint64_t m = 0, t = 0;
	double r;

	for (size_t c = 0; c < 256; c++) {
		unsigned long x = a->hist[c], y = b->hist[c];

		add_sat(&m, x < y ? x : y);
		add_sat(&t, x);
		add_sat(&t, y);
	}
	/* difflib's _calculate_ratio(): 2.0 * matches / length, or 1.0. */
	if (t == 0)
		return 1.0;
	r = 2.0 * (double)m / (double)t;
	return r > 1.0 ? 1.0 : r;
}

double
nh_webpol_page_distance(
    const struct nh_webpol_page *a, const struct nh_webpol_page *b)
{
	/* Python's 100 - ratio * 100: two roundings, so two statements,
	 * which a compiler may not contract into one fused multiply-add. */
	double pct = nh_webpol_page_ratio(a, b) * 100.0;

	return 100.0 - pct;
}

bool
nh_webpol_page_similar(
    const struct nh_webpol_page *a, const struct nh_webpol_page *b)
{
	return nh_webpol_page_distance(a, b) <= NH_WEBPOL_PAGE_MAX_DISTANCE;
}
