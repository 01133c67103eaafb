/*
 * util.c: what the judges of src/webpol/ share: adding findings under the
 * cap, printable excerpts of untrusted text, spans, and the splitting of
 * comma-separated header lists.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "webpol_impl.h"

void
nh_wp_init(struct nh_webpol_result *r)
{
	memset(r, 0, sizeof(*r));
	r->status = NH_PASSED;
}

/* Cuts s back to its last complete UTF-8 sequence. */
static void
utf8_cut(char *s)
{
	size_t len = strlen(s), i = len;
	uint32_t cp;

	while (i > 0 && len - i < 3 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0 && (unsigned char)s[i - 1] >= 0xc0) {
		i--;
		if (nh_wp_utf8_seq(
			(const unsigned char *)s + i, len - i, &cp) != len - i)
			s[i] = '\0';
	} else if (i < len) {
		s[i] = '\0'; /* continuation bytes without a lead */
	}
}

void
nh_wp_add(struct nh_webpol_result *r, enum nh_status st, const char *code,
    const char *fmt, ...)
{
	struct nh_webpol_finding *f;
	va_list ap;
	int w;

	if (st < r->status)
		r->status = st;
	if (r->n < NH_WEBPOL_MAX_FINDINGS) {
		f = &r->f[r->n++];
	} else {
		/* Make room by dropping the least severe, latest finding
		 * that is less severe than this one; else drop this one. */
		size_t k = r->n;

		r->dropped++;
		for (size_t i = 0; i < r->n; i++) {
			if (r->f[i].status > st &&
			    (k == r->n || r->f[i].status >= r->f[k].status))
				k = i;
		}
		if (k == r->n)
			return;
		memmove(
		    &r->f[k], &r->f[k + 1], (r->n - k - 1) * sizeof(r->f[0]));
		f = &r->f[r->n - 1];
	}
	memset(f, 0, sizeof(*f));
	f->status = st;
	snprintf(f->code, sizeof(f->code), "%s", code);
	va_start(ap, fmt);
	w = vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	if (w < 0)
		f->msg[0] = '\0';
	else if ((size_t)w >= sizeof(f->msg))
		utf8_cut(f->msg);
}

const struct nh_webpol_finding *
nh_webpol_find(const struct nh_webpol_result *r, const char *code)
{
	for (size_t i = 0; i < r->n && i < NH_WEBPOL_MAX_FINDINGS; i++) {
		if (strcmp(r->f[i].code, code) == 0)
			return &r->f[i];
	}
	return NULL;
}

/*
 * The printable form of the character at s[0..len): its bytes are copied
 * to out (4 bytes) and the count returned; *adv is the input consumed.
 */
static size_t
printable(const char *s, size_t len, char *out, size_t *adv)
{
	unsigned char c = (unsigned char)s[0];
	uint32_t cp;
	size_t k;

	*adv = 1;
	if (c < 0x20 || c == 0x7f) {
		out[0] = '?';
		return 1;
	}
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	k = nh_wp_utf8_seq((const unsigned char *)s, len, &cp);
	/* Also refuse the C1 controls and the bidirectional overrides. */
	if (k == 0 || (cp >= 0x80 && cp < 0xa0) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
		out[0] = '?';
		*adv = k ? k : 1;
		return 1;
	}
	memcpy(out, s, k);
	*adv = k;
	return k;
}

const char *
nh_wp_excerpt(const char *s, size_t len, char *out, size_t cap)
{
	size_t i = 0, o = 0, total = 0, lim = cap - 1, adv, k;
	char ch[4];

	/* Does all of it fit? Stop counting once it cannot. */
	while (i < len && total <= lim) {
		total += printable(s + i, len - i, ch, &adv);
		i += adv;
	}
	if (total <= lim && i >= len)
		lim = cap - 1;
	else
		lim = cap - 4; /* room for "..." */
	i = 0;
	while (i < len) {
		k = printable(s + i, len - i, ch, &adv);
		if (o + k > lim)
			break;
		memcpy(out + o, ch, k);
		o += k;
		i += adv;
	}
	if (i < len) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

struct wp_span
nh_wp_span_str(const char *s)
{
	struct wp_span sp = { s ? s : "", s ? strlen(s) : 0 };

	return sp;
}

struct wp_span
nh_wp_trim_ows(struct wp_span s)
{
	while (s.len > 0 && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t'))
		s.len--;
	return s;
}

char
nh_wp_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool
nh_wp_span_iprefix(struct wp_span s, const char *lit)
{
	size_t n = strlen(lit);

	if (s.len < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (nh_wp_lower(s.p[i]) != nh_wp_lower(lit[i]))
			return false;
	}
	return true;
}

bool
nh_wp_span_ieq(struct wp_span s, const char *lit)
{
	return s.len == strlen(lit) && nh_wp_span_iprefix(s, lit);
}

bool
nh_wp_span_isuffix(struct wp_span s, const char *lit)
{
	size_t n = strlen(lit);
	struct wp_span t;

	if (s.len < n)
		return false;
	t.p = s.p + s.len - n;
	t.len = n;
	return nh_wp_span_ieq(t, lit);
}

void
nh_wp_list_init(struct wp_list *l, const char *const *values, size_t n)
{
	memset(l, 0, sizeof(*l));
	l->values = values;
	l->n = n;
}

bool
nh_wp_list_next(struct wp_list *l, struct wp_span *out)
{
	const char *v;
	size_t e;
	bool quoted = false;

	if (l->i >= l->n)
		return false;
	v = l->values[l->i] ? l->values[l->i] : "";
	for (e = l->off; v[e] != '\0'; e++) {
		if (quoted && v[e] == '\\' && v[e + 1] != '\0')
			e++;
		else if (v[e] == '"')
			quoted = !quoted;
		else if (!quoted && v[e] == ',')
			break;
	}
	out->p = v + l->off;
	out->len = e - l->off;
	*out = nh_wp_trim_ows(*out);
	if (v[e] == ',') {
		l->off = e + 1;
	} else {
		l->i++;
		l->off = 0;
	}
	return true;
}

const char *
nh_webpol_clean(const char *s, char *out, size_t cap)
{
	return nh_wp_excerpt(s, strlen(s), out, cap);
}

void
nh_webpol_summary(const struct nh_webpol_result *r, char *msg, size_t size)
{
	size_t len = 0, shown = 0;

	msg[0] = '\0';
	for (int st = NH_ERROR; st <= NH_PASSED; st++) {
		for (size_t i = 0; i < r->n; i++) {
			if ((int)r->f[i].status != st)
				continue;
			if (shown == 3) {
				if (len < size)
					snprintf(msg + len, size - len,
					    " (and %zu more)",
					    r->n + r->dropped - shown);
				return;
			}
			len += (size_t)snprintf(msg + len,
			    len < size ? size - len : 0, "%s%s",
			    shown ? "; " : "", r->f[i].msg);
			shown++;
		}
	}
}
