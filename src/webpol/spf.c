/*
 * spf.c: the SPF judge (RFC 7208) for mail_auth_spf_exist and
 * mail_auth_spf_policy (../shared/internetnl-catalog.md §2.3).
 *
 * Three parts: the record parser (the ABNF of RFC 7208 §12 with the
 * macro-string syntax of §7.1, term by term with a cursor, nothing
 * stored); the walk of the record tree through include and redirect in
 * the order a receiver evaluates it, counting DNS-querying terms and void
 * lookups (§4.6.4); and a second walk that reproduces Internet.nl's own
 * verdict (checks/tasks/mail.py spf_check_policy: its term counting, its
 * order, its first problem wins) for the compatibility fields. Both walks
 * ask the caller's callback for DNS answers and stop following include
 * and redirect past the lookup limit, so a record tree costs at most
 * about 20 callbacks and 25 parses of a record of at most
 * NH_SPF_MAX_RECORD bytes, each linear.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "webpol_impl.h"

/* The kinds of term (RFC 7208 §12). */
enum spf_kind {
	SPF_ALL,
	SPF_INCLUDE,
	SPF_A,
	SPF_MX,
	SPF_PTR,
	SPF_IP4,
	SPF_IP6,
	SPF_EXISTS,
	SPF_REDIRECT, /* the modifiers */
	SPF_EXP,
	SPF_UNKNOWN,
};

/* One term of a record: spans of the record, valid as long as it is. */
struct spf_term {
	struct wp_span text; /* the whole term */
	size_t off;          /* where it starts in the record */
	unsigned n;          /* its number, from 1 */
	enum spf_kind kind;
	char qual;             /* '+' (also when not written), '-', '~', '?';
				  0 for a modifier */
	bool bare;             /* a mechanism without a written qualifier */
	struct wp_span target; /* the domain-spec; empty: none */
	bool macro;            /* the target holds a macro-expand */
};

/* A syntax error: the term and why. */
struct spf_err {
	struct wp_span text;
	size_t off;
	unsigned n;
	const char *why;
};

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
is_alnum(char c)
{
	return is_alpha(c) || is_digit(c);
}

/* c is one of the characters of set (never NUL). */
static bool
in_set(char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

/* s holds lit, ASCII any case. Linear in s for a short lit. */
static bool
span_icontains(struct wp_span s, const char *lit)
{
	size_t n = strlen(lit);

	for (size_t i = 0; i + n <= s.len; i++) {
		struct wp_span t = { s.p + i, n };

		if (nh_wp_span_ieq(t, lit))
			return true;
	}
	return false;
}

bool
nh_spf_is_record(const char *s)
{
	struct wp_span sp = { s, strnlen(s, 7) };

	return nh_wp_span_iprefix(sp, "v=spf1") && (sp.len == 6 || s[6] == ' ');
}

/*
 * A macro-expand at s.p[i], a '%' (RFC 7208 §7.1): its length, or 0 with
 * *why. exp_letters: c, r and t are allowed (only in explanation text,
 * §7.2; an unknown modifier takes the ABNF's macro-string as it is).
 */
static size_t
macro_expand(struct wp_span s, size_t i, bool exp_letters, const char **why)
{
	size_t k = i + 1;
	unsigned long v = 0;
	bool digits = false;
	char letter;

	if (k < s.len && in_set(s.p[k], "%_-"))
		return 2;
	if (k >= s.len || s.p[k] != '{') {
		*why = "a '%' not followed by '{', '%', '_' or '-': write %% "
		       "for a percent sign (RFC 7208 §7.1)";
		return 0;
	}
	k++;
	letter = k < s.len ? nh_wp_lower(s.p[k]) : '\0';
	if (!in_set(letter, exp_letters ? "slodiphvcrt" : "slodiphv")) {
		*why = in_set(letter, "crt")
		    ? "the macro letters c, r and t are only for explanation "
		      "text (RFC 7208 §7.2)"
		    : "an unknown macro letter (RFC 7208 §7.2)";
		return 0;
	}
	for (k++; k < s.len && is_digit(s.p[k]); k++) {
		digits = true;
		if (v < 1000)
			v = v * 10 + (unsigned long)(s.p[k] - '0');
	}
	if (digits && v == 0) {
		*why = "a macro that keeps 0 labels (RFC 7208 §7.3: nonzero)";
		return 0;
	}
	if (k < s.len && (s.p[k] == 'r' || s.p[k] == 'R'))
		k++;
	while (k < s.len && in_set(s.p[k], ".-+,/_="))
		k++;
	if (k >= s.len || s.p[k] != '}') {
		*why = "a macro not closed by '}' (RFC 7208 §7.1)";
		return 0;
	}
	return k + 1 - i;
}

/* A macro-string (RFC 7208 §7.1). */
static bool
macro_string(struct wp_span s, bool exp_letters, bool *macro, const char **why)
{
	for (size_t i = 0; i < s.len;) {
		if (s.p[i] == '%') {
			size_t k = macro_expand(s, i, exp_letters, why);

			if (k == 0)
				return false;
			*macro = true;
			i += k;
		} else if ((unsigned char)s.p[i] < 0x21 ||
		    (unsigned char)s.p[i] > 0x7e) {
			*why = "a character that is not visible ASCII";
			return false;
		} else {
			i++;
		}
	}
	return true;
}

/* toplabel (RFC 7208 §7.1) of letters, digits and '-': not all digits,
 * no '-' at either end. */
static bool
toplabel(const char *p, size_t n)
{
	bool alpha = false;

	if (n == 0 || p[0] == '-' || p[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		alpha = alpha || !is_digit(p[i]);
	return alpha;
}

/*
 * A domain-spec: macro-string domain-end, where domain-end is "."
 * toplabel ["."] or a macro-expand (RFC 7208 §7.1). Scans forward,
 * keeping the trailing run of literal letters, digits and '-', and
 * whether a literal '.' comes before it.
 */
static bool
domain_spec(struct wp_span s, bool *macro, const char **why)
{
	size_t i = 0, run = 0, frun = 0, frun_len = 0;
	bool last_macro = false, last_dot = false, in_run = false;
	bool run_dot = false, f_ok = false, f_dot = false, ok;

	if (s.len == 0) {
		*why = "an empty domain";
		return false;
	}
	while (i < s.len) {
		char c = s.p[i];

		if (c == '%') {
			size_t k = macro_expand(s, i, false, why);

			if (k == 0)
				return false;
			*macro = true;
			last_macro = true;
			last_dot = in_run = false;
			i += k;
			continue;
		}
		if ((unsigned char)c < 0x21 || (unsigned char)c > 0x7e) {
			*why = "a character that is not visible ASCII";
			return false;
		}
		if (is_alnum(c) || c == '-') {
			if (!in_run) {
				in_run = true;
				run = i;
				run_dot = last_dot;
			}
			last_dot = false;
		} else if (c == '.') {
			/* The run this dot ends, in case it is the last. */
			f_ok = in_run;
			frun = run;
			frun_len = i - run;
			f_dot = run_dot;
			in_run = false;
			last_dot = true;
		} else {
			in_run = last_dot = false;
		}
		last_macro = false;
		i++;
	}
	if (last_macro)
		return true;
	if (last_dot)
		ok = f_ok && f_dot && toplabel(s.p + frun, frun_len);
	else
		ok = in_run && run_dot && toplabel(s.p + run, s.len - run);
	if (!ok)
		*why = "the domain does not end in a dot and a top-level label "
		       "(not all digits), nor in a macro (RFC 7208 §7.1)";
	return ok;
}

/* A prefix length: "0" or 1-3 digits without a leading zero, <= max. */
static bool
cidr_len(const char *p, size_t len, unsigned max)
{
	unsigned v = 0;

	if (len == 0 || len > 3 || (len > 1 && p[0] == '0'))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(p[i]))
			return false;
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	return v <= max;
}

/* dual-cidr-length: [ "/" 0-32 ] [ "//" 0-128 ], s not empty. */
static bool
dual_cidr(struct wp_span s, const char **why)
{
	size_t i = 0, j;

	if (s.len >= 2 && s.p[0] == '/' && s.p[1] != '/') {
		for (j = 1; j < s.len && s.p[j] != '/'; j++)
			;
		if (!cidr_len(s.p + 1, j - 1, 32)) {
			*why = "an IPv4 prefix length that is not 0 to 32, "
			       "without leading zeros (RFC 7208 §5.6)";
			return false;
		}
		i = j;
	}
	if (i == s.len)
		return true;
	if (s.len - i >= 3 && s.p[i] == '/' && s.p[i + 1] == '/') {
		if (cidr_len(s.p + i + 2, s.len - i - 2, 128))
			return true;
		*why = "an IPv6 prefix length that is not 0 to 128, without "
		       "leading zeros (RFC 7208 §5.6)";
		return false;
	}
	*why = "a malformed prefix length: /N for IPv4, //N for IPv6 "
	       "(RFC 7208 §5.6)";
	return false;
}

/* The length of what looks like a dual-cidr-length at the end of s
 * ("/N", "//N", "/N//N"); 0 if none. */
static size_t
cidr_suffix(struct wp_span s)
{
	size_t k = s.len, m;

	while (k > 0 && is_digit(s.p[k - 1]))
		k--;
	if (k == s.len || k == 0 || s.p[k - 1] != '/')
		return 0;
	k--;
	if (k > 0 && s.p[k - 1] == '/') {
		k--;
		m = k;
		while (m > 0 && is_digit(s.p[m - 1]))
			m--;
		if (m < k && m > 0 && s.p[m - 1] == '/')
			k = m - 1;
	}
	return s.len - k;
}

/* ip4-network: four qnum, dotted, no leading zeros (RFC 7208 §12). */
static bool
ip4_network(const char *p, size_t len)
{
	size_t i = 0;

	for (int q = 0; q < 4; q++) {
		size_t from;
		unsigned v = 0;

		if (q > 0 && (i >= len || p[i++] != '.'))
			return false;
		from = i;
		while (i < len && is_digit(p[i]) && i - from < 3)
			v = v * 10 + (unsigned)(p[i++] - '0');
		if (i == from || (i - from > 1 && p[from] == '0') || v > 255)
			return false;
	}
	return i == len;
}

/* ip6-network: RFC 4291 §2.2 text form. */
static bool
ip6_network(const char *p, size_t len)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned char bin[16];

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return inet_pton(AF_INET6, buf, bin) == 1;
}

/* ip4 / ip6: ":" network [ "/" length ]. */
static bool
ip_term(struct wp_span rest, bool v6, const char **why)
{
	const char *slash;
	size_t alen;

	if (rest.len == 0 || rest.p[0] != ':') {
		*why = v6 ? "ip6 needs :address (RFC 7208 §5.6)"
			  : "ip4 needs :address (RFC 7208 §5.6)";
		return false;
	}
	rest.p++;
	rest.len--;
	slash = memchr(rest.p, '/', rest.len);
	alen = slash ? (size_t)(slash - rest.p) : rest.len;
	if (v6 ? !ip6_network(rest.p, alen) : !ip4_network(rest.p, alen)) {
		*why = v6 ? "not an IPv6 address (RFC 4291 §2.2)"
			  : "not an IPv4 address of four numbers 0-255 "
			    "without leading zeros (RFC 7208 §5.6)";
		return false;
	}
	if (slash != NULL &&
	    !cidr_len(slash + 1, rest.len - alen - 1, v6 ? 128 : 32)) {
		*why = v6 ? "an IPv6 prefix length that is not 0 to 128, "
			    "without leading zeros (RFC 7208 §5.6)"
			  : "an IPv4 prefix length that is not 0 to 32, "
			    "without leading zeros (RFC 7208 §5.6)";
		return false;
	}
	return true;
}

static const struct {
	const char *name;
	enum spf_kind kind;
} mechanisms[] = {
	{ "all", SPF_ALL },
	{ "include", SPF_INCLUDE },
	{ "a", SPF_A },
	{ "mx", SPF_MX },
	{ "ptr", SPF_PTR },
	{ "ip4", SPF_IP4 },
	{ "ip6", SPF_IP6 },
	{ "exists", SPF_EXISTS },
};

/* Parses t->text (visible ASCII, not empty) into *t: 0, or -1 and *why. */
static int
term_parse(struct spf_term *t, const char **why)
{
	struct wp_span s = t->text, name, rest;
	size_t i, j, k, nm = sizeof(mechanisms) / sizeof(*mechanisms);

	/* A modifier: name "=" before any ':' or '/' (§4.6.1, §12). */
	if (is_alpha(s.p[0])) {
		for (i = 1;
		     i < s.len && (is_alnum(s.p[i]) || in_set(s.p[i], "-_."));
		     i++)
			;
		if (i < s.len && s.p[i] == '=') {
			name.p = s.p;
			name.len = i;
			rest.p = s.p + i + 1;
			rest.len = s.len - i - 1;
			if (nh_wp_span_ieq(name, "redirect") ||
			    nh_wp_span_ieq(name, "exp")) {
				t->kind = nh_wp_span_ieq(name, "exp")
				    ? SPF_EXP
				    : SPF_REDIRECT;
				t->target = rest;
				return domain_spec(rest, &t->macro, why) ? 0
									 : -1;
			}
			t->kind = SPF_UNKNOWN;
			return macro_string(rest, true, &t->macro, why) ? 0
									: -1;
		}
	}
	t->qual = '+';
	t->bare = true;
	i = 0;
	if (in_set(s.p[0], "+-~?")) {
		t->qual = s.p[0];
		t->bare = false;
		i = 1;
	}
	for (j = i; j < s.len && s.p[j] != ':' && s.p[j] != '/'; j++)
		;
	name.p = s.p + i;
	name.len = j - i;
	rest.p = s.p + j;
	rest.len = s.len - j;
	for (k = 0; k < nm && !nh_wp_span_ieq(name, mechanisms[k].name); k++)
		;
	if (k == nm) {
		*why = nh_wp_span_ieq(name, "redirect") ||
			nh_wp_span_ieq(name, "exp")
		    ? "a modifier written as a mechanism: name=domain "
		      "(RFC 7208 §6)"
		    : "an unknown mechanism (RFC 7208 §5)";
		return -1;
	}
	t->kind = mechanisms[k].kind;
	switch (t->kind) {
	case SPF_ALL:
		if (rest.len == 0)
			return 0;
		*why = "all takes no argument (RFC 7208 §5.1)";
		return -1;
	case SPF_INCLUDE:
	case SPF_EXISTS:
	case SPF_PTR:
		if (rest.len == 0 && t->kind == SPF_PTR)
			return 0;
		if (rest.len == 0 || rest.p[0] != ':') {
			*why = t->kind == SPF_PTR
			    ? "ptr takes no prefix length (RFC 7208 §5.5)"
			    : "the mechanism needs :domain (RFC 7208 §5.2, "
			      "§5.7)";
			return -1;
		}
		t->target.p = rest.p + 1;
		t->target.len = rest.len - 1;
		return domain_spec(t->target, &t->macro, why) ? 0 : -1;
	case SPF_A:
	case SPF_MX:
		if (rest.len == 0)
			return 0;
		if (rest.p[0] == '/')
			return dual_cidr(rest, why) ? 0 : -1;
		rest.p++;
		rest.len--;
		k = cidr_suffix(rest);
		if (k > 0) {
			struct wp_span c = { rest.p + rest.len - k, k };

			if (!dual_cidr(c, why))
				return -1;
		}
		t->target.p = rest.p;
		t->target.len = rest.len - k;
		return domain_spec(t->target, &t->macro, why) ? 0 : -1;
	case SPF_IP4:
	case SPF_IP6:
		return ip_term(rest, t->kind == SPF_IP6, why) ? 0 : -1;
	default:
		break;
	}
	assert(!"unreachable");
	return -1;
}

/* Reads the terms of a record that nh_spf_is_record() accepted. */
struct spf_cursor {
	const char *rec;
	size_t len, pos;
	unsigned n;
};

static void
spf_open(struct spf_cursor *c, const char *rec, size_t len)
{
	c->rec = rec;
	c->len = len;
	c->pos = 6;
	c->n = 0;
}

/* 1: the next term in *t; 0: no more; -1: a syntax error in term *t, why
 * in *why. Terms are separated by one or more SP (§12). */
static int
spf_next(struct spf_cursor *c, struct spf_term *t, const char **why)
{
	size_t start;

	while (c->pos < c->len && c->rec[c->pos] == ' ')
		c->pos++;
	if (c->pos >= c->len)
		return 0;
	start = c->pos;
	while (c->pos < c->len && c->rec[c->pos] != ' ')
		c->pos++;
	memset(t, 0, sizeof(*t));
	t->text.p = c->rec + start;
	t->text.len = c->pos - start;
	t->off = start;
	t->n = ++c->n;
	for (size_t i = 0; i < t->text.len; i++) {
		unsigned char ch = (unsigned char)t->text.p[i];

		if (ch < 0x21 || ch > 0x7e) {
			*why = ch < 0x80 ? "a control character: terms are "
					   "separated by spaces only (RFC "
					   "7208 §4.6.1)"
					 : "a byte that is not ASCII (RFC 7208 "
					   "§4.5: records are ASCII)";
			return -1;
		}
	}
	return term_parse(t, why) == 0 ? 1 : -1;
}

/* The whole record follows the grammar: every term, at most one
 * redirect and one exp (§6), at most NH_SPF_MAX_RECORD bytes. */
static bool
spf_check(const char *rec, size_t len, struct spf_err *err)
{
	struct spf_cursor c;
	struct spf_term t;
	const char *why = NULL;
	bool redirect = false, exp = false;
	int rc;

	memset(err, 0, sizeof(*err));
	if (len > NH_SPF_MAX_RECORD) {
		err->text.p = rec;
		err->text.len = 6;
		err->why = "a record longer than 64 KB, not read";
		return false;
	}
	spf_open(&c, rec, len);
	while ((rc = spf_next(&c, &t, &why)) == 1) {
		if (t.kind == SPF_REDIRECT || t.kind == SPF_EXP) {
			bool *seen = t.kind == SPF_EXP ? &exp : &redirect;

			if (*seen) {
				why = "a second redirect or exp (RFC 7208 §6: "
				      "at most one each)";
				rc = -1;
				break;
			}
			*seen = true;
		}
	}
	if (rc == 0)
		return true;
	err->text = t.text;
	err->off = t.off;
	err->n = t.n;
	err->why = why;
	return false;
}

/* How many TXT strings of the answer are SPF records; the first in
 * *first. prefix_only: Internet.nl's test (starts with "v=spf1"). */
static size_t
spf_select(const struct nh_spf_answer *a, bool prefix_only, const char **first)
{
	size_t n = 0;

	*first = NULL;
	if (a->txt == NULL)
		return 0;
	for (size_t i = 0; i < a->ntxt; i++) {
		const char *s = a->txt[i];
		bool spf;

		if (s == NULL)
			continue;
		if (prefix_only) {
			struct wp_span sp = { s, strnlen(s, 6) };

			spf = nh_wp_span_iprefix(sp, "v=spf1");
		} else {
			spf = nh_spf_is_record(s);
		}
		if (spf && n++ == 0)
			*first = s;
	}
	return n;
}

/*
 * Copies a domain without macros into out (256 bytes): lower case, one
 * trailing dot dropped. False when it is no DNS name (RFC 1035 §2.3.4):
 * empty, an empty label, a label over 63 or the whole over 253 bytes, or
 * a byte that is not visible ASCII (as no SPF target holds one).
 */
static bool
spf_name(struct wp_span s, char *out)
{
	size_t label = 0;

	out[0] = '\0';
	if (s.len > 0 && s.p[s.len - 1] == '.')
		s.len--;
	if (s.len == 0 || s.len > 253)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		if ((unsigned char)s.p[i] < 0x21 ||
		    (unsigned char)s.p[i] > 0x7e)
			return false;
		if (s.p[i] == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (++label > 63) {
			return false;
		}
		out[i] = nh_wp_lower(s.p[i]);
	}
	out[s.len] = '\0';
	return true;
}

static void
answer_init(struct nh_spf_answer *a)
{
	memset(a, 0, sizeof(*a));
	a->rcode = -2;
}

/* nh_spf_queries(): appends one question for term t. */
static size_t
add_query(struct nh_spf_query *out, size_t cap, size_t n,
    const struct spf_term *t, const char *dom, enum nh_spf_qtype type)
{
	struct nh_spf_query q;

	memset(&q, 0, sizeof(q));
	q.type = type;
	if (t->target.len == 0) {
		if (dom == NULL)
			return n;
		snprintf(q.name, sizeof(q.name), "%s", dom);
	} else if (t->macro) {
		size_t len = t->target.len < sizeof(q.name) - 1
		    ? t->target.len
		    : sizeof(q.name) - 1;

		memcpy(q.name, t->target.p, len);
		q.macro = true;
	} else if (!spf_name(t->target, q.name)) {
		return n;
	}
	if (n < cap)
		out[n] = q;
	return n + 1;
}

size_t
nh_spf_queries(const char *domain, const char *record, struct nh_spf_query *out,
    size_t cap)
{
	struct spf_cursor c;
	struct spf_term t, redir;
	struct spf_err err;
	const char *why;
	char dom[256];
	bool dom_ok, have_redir = false, seen_all = false;
	size_t n = 0, len;

	assert(domain != NULL && record != NULL && (out != NULL || cap == 0));
	if (!nh_spf_is_record(record))
		return 0;
	len = strnlen(record, NH_SPF_MAX_RECORD + 1);
	if (!spf_check(record, len, &err))
		return 0; /* a permerror before any lookup */
	dom_ok = spf_name(nh_wp_span_str(domain), dom);
	spf_open(&c, record, len);
	while (spf_next(&c, &t, &why) == 1) {
		if (t.kind == SPF_REDIRECT) {
			redir = t;
			have_redir = true;
		}
		if (seen_all)
			continue;
		switch (t.kind) {
		case SPF_ALL:
			seen_all = true;
			break;
		case SPF_INCLUDE:
			n = add_query(out, cap, n, &t, NULL, NH_SPF_Q_TXT);
			break;
		case SPF_A:
		case SPF_EXISTS:
			n = add_query(
			    out, cap, n, &t, dom_ok ? dom : NULL, NH_SPF_Q_A);
			break;
		case SPF_MX:
			n = add_query(
			    out, cap, n, &t, dom_ok ? dom : NULL, NH_SPF_Q_MX);
			break;
		default:
			break;
		}
	}
	if (have_redir && !seen_all)
		n = add_query(out, cap, n, &redir, NULL, NH_SPF_Q_TXT);
	return n;
}

/* The notes given once per judgement, after the verdict. */
enum spf_note {
	NOTE_PTR,
	NOTE_MACRO,
	NOTE_UNKNOWN,
	NOTE_EXP,
	NOTE_AFTER_ALL,
	NOTE_REDIRECT_IGNORED,
	NOTE_LOOP,
	NOTE_INVALID_NAME,
	NOTE_COUNT
};

/* The walk of the record tree as a receiver evaluates it. */
struct spf_walk {
	nh_spf_lookup_fn lookup;
	void *ctx;
	struct nh_webpol_result *r;
	unsigned lookups; /* DNS-querying terms met */
	unsigned voids;   /* lookups that found nothing */
	bool stopped;     /* past the limit: nothing more looked up */
	char voidnames[120];
	bool noted[NOTE_COUNT];
	char note_term[NOTE_COUNT][64];
	char note_where[NOTE_COUNT][64];
	const char *path[NH_SPF_MAX_DEPTH + 1]; /* names being walked */
	unsigned depth;
};

/* How a record, with the redirects it ends in, ends. */
struct spf_end {
	char all;            /* the qualifier of the deciding all; 0: none */
	bool bare;           /* that all has no written qualifier */
	const char *unknown; /* why the end is not seen (a macro, a missing
				target, the lookup limit), or NULL */
	unsigned redirects;  /* redirects taken on the way */
	char via[64];        /* the last redirect target */
};

static void
note(struct spf_walk *w, enum spf_note which, const struct spf_term *t,
    const char *where)
{
	if (w->noted[which])
		return;
	w->noted[which] = true;
	WP_EXCERPT(t->text, w->note_term[which]);
	nh_wp_excerpt(where, strlen(where), w->note_where[which],
	    sizeof(w->note_where[which]));
}

/* A DNS-querying term (§4.6.4). */
static void
count(struct spf_walk *w)
{
	if (w->lookups < UINT_MAX)
		w->lookups++;
	if (w->lookups > NH_SPF_MAX_LOOKUPS)
		w->stopped = true;
}

static void
void_lookup(struct spf_walk *w, const char *name)
{
	size_t len = strlen(w->voidnames);

	if (w->voids < UINT_MAX)
		w->voids++;
	if (w->voids <= 3)
		snprintf(w->voidnames + len, sizeof(w->voidnames) - len, "%s%s",
		    len ? ", " : "", name);
}

/* True when the answer holds an rcode to judge by (0 or 3); else a
 * lookup_error finding. */
static bool
answer_ok(struct spf_walk *w, const struct nh_spf_answer *a, const char *name,
    const char *type)
{
	char ex[80];

	if (a->rcode == 0 || a->rcode == 3)
		return true;
	nh_wp_add(w->r, NH_ERROR, "lookup_error",
	    "the %s lookup of %s %s: the SPF policy cannot be judged (a "
	    "receiver gets temperror)",
	    type, nh_wp_excerpt(name, strlen(name), ex, sizeof(ex)),
	    a->rcode == -2 ? "was not made" : "failed");
	return false;
}

/* a, mx, exists: looks the target up for void lookups and the MX limit. */
static void
walk_query(struct spf_walk *w, const struct spf_term *t, const char *dom)
{
	struct nh_spf_answer a;
	enum nh_spf_qtype type = t->kind == SPF_MX ? NH_SPF_Q_MX : NH_SPF_Q_A;
	char name[256], ex[64];

	if (t->macro) {
		note(w, NOTE_MACRO, t, dom);
		return;
	}
	if (t->target.len == 0)
		snprintf(name, sizeof(name), "%s", dom);
	else if (!spf_name(t->target, name)) {
		note(w, NOTE_INVALID_NAME, t, dom);
		return;
	}
	if (w->stopped)
		return;
	answer_init(&a);
	w->lookup(w->ctx, name, type, &a);
	if (!answer_ok(w, &a, name, type == NH_SPF_Q_MX ? "MX" : "address"))
		return;
	if (a.rcode == 3 || a.naddrs == 0)
		void_lookup(w, name);
	if (type == NH_SPF_Q_MX && a.naddrs > NH_SPF_MAX_MX)
		nh_wp_add(w->r, NH_FAILED, "too_many_mx",
		    "\"%s\" in the record of %s: %s has %zu MX records; "
		    "evaluating more than 10 is a permerror (RFC 7208 §4.6.4)",
		    WP_EXCERPT(t->text, ex), dom, name, a.naddrs);
}

static void walk_record(struct spf_walk *w, const char *rec, size_t len,
    const char *dom, bool in_include, struct spf_end *end);

/*
 * Follows an include or redirect: the target's TXT records must hold
 * exactly one valid SPF record (RFC 7208 §5.2, §6.1: else permerror),
 * which is walked. end: for a redirect, how the target ends.
 */
static void
walk_follow(struct spf_walk *w, const struct spf_term *t, const char *dom,
    bool in_include, struct spf_end *end)
{
	bool inc = t->kind == SPF_INCLUDE;
	const char *code = inc ? "include_missing" : "redirect_missing";
	struct nh_spf_answer a;
	struct spf_end scratch;
	struct spf_err err;
	const char *rec;
	char name[256], ex[64], ex2[64];
	size_t n, len;

	if (t->macro) {
		note(w, NOTE_MACRO, t, dom);
		if (end != NULL)
			end->unknown = "holds a macro";
		return;
	}
	if (!spf_name(t->target, name)) {
		nh_wp_add(w->r, NH_FAILED, code,
		    "\"%s\" in the record of %s names no valid domain: a "
		    "permerror (RFC 7208 %s)",
		    WP_EXCERPT(t->text, ex), dom, inc ? "§5.2" : "§6.1");
		return;
	}
	if (w->stopped || w->depth >= NH_SPF_MAX_DEPTH) {
		w->stopped = true;
		if (end != NULL)
			end->unknown = "past the lookup limit";
		return;
	}
	for (unsigned i = 0; i < w->depth; i++) {
		if (strcmp(w->path[i], name) == 0)
			note(w, NOTE_LOOP, t, dom);
	}
	answer_init(&a);
	w->lookup(w->ctx, name, NH_SPF_Q_TXT, &a);
	if (!answer_ok(w, &a, name, "TXT"))
		return;
	if (a.rcode == 3 || a.ntxt == 0 || a.txt == NULL)
		void_lookup(w, name);
	n = a.rcode == 3 ? 0 : spf_select(&a, false, &rec);
	if (n != 1) {
		nh_wp_add(w->r, NH_FAILED, code,
		    "\"%s\" in the record of %s: %s %s, a permerror (RFC "
		    "7208 %s)",
		    WP_EXCERPT(t->text, ex), dom, name,
		    n > 1              ? "has several SPF records"
			: a.rcode == 3 ? "does not exist (NXDOMAIN)"
				       : "has no SPF record",
		    inc ? "§5.2" : "§6.1");
		return;
	}
	len = strnlen(rec, NH_SPF_MAX_RECORD + 1);
	if (!spf_check(rec, len, &err)) {
		nh_wp_add(w->r, NH_FAILED, code,
		    "\"%s\" in the record of %s: the record of %s is invalid "
		    "at term %u \"%s\": %s",
		    WP_EXCERPT(t->text, ex), dom, name, err.n,
		    WP_EXCERPT(err.text, ex2), err.why);
		return;
	}
	w->path[w->depth++] = name;
	memset(&scratch, 0, sizeof(scratch));
	walk_record(w, rec, len, name, in_include || inc,
	    end != NULL && !inc ? end : &scratch);
	w->depth--;
}

/*
 * Walks the terms of a valid record of domain dom, in order: counts the
 * DNS-querying ones, looks up a, mx and exists targets, follows include
 * and then, with no all, redirect. in_include: the record is evaluated
 * for an include (its all does not decide the policy).
 */
static void
walk_record(struct spf_walk *w, const char *rec, size_t len, const char *dom,
    bool in_include, struct spf_end *end)
{
	struct spf_cursor c;
	struct spf_term t, redir, all;
	const char *why;
	bool have_redir = false, seen_all = false;
	char ex[64];

	memset(&redir, 0, sizeof(redir));
	memset(&all, 0, sizeof(all));
	spf_open(&c, rec, len);
	while (spf_next(&c, &t, &why) == 1) {
		if (t.kind == SPF_REDIRECT) {
			redir = t;
			have_redir = true;
			continue;
		}
		if (t.kind == SPF_EXP) {
			note(w, NOTE_EXP, &t, dom);
			continue;
		}
		if (t.kind == SPF_UNKNOWN) {
			note(w, NOTE_UNKNOWN, &t, dom);
			continue;
		}
		if (seen_all) {
			note(w, NOTE_AFTER_ALL, &t, dom);
			continue;
		}
		switch (t.kind) {
		case SPF_ALL:
			seen_all = true;
			all = t;
			if (in_include && t.qual == '+')
				nh_wp_add(w->r, NH_FAILED, "include_permissive",
				    "the record of %s, included, ends in "
				    "\"%s\": every server on the Internet "
				    "passes through it",
				    dom, WP_EXCERPT(t.text, ex));
			break;
		case SPF_INCLUDE:
			count(w);
			walk_follow(w, &t, dom, in_include, NULL);
			break;
		case SPF_A:
		case SPF_MX:
		case SPF_EXISTS:
			count(w);
			walk_query(w, &t, dom);
			break;
		case SPF_PTR:
			count(w);
			note(w, NOTE_PTR, &t, dom);
			break;
		default:
			break;
		}
	}
	end->unknown = NULL;
	end->all = 0;
	end->bare = false;
	if (seen_all) {
		end->all = all.qual;
		end->bare = all.bare;
		if (have_redir)
			note(w, NOTE_REDIRECT_IGNORED, &redir, dom);
	} else if (have_redir) {
		end->unknown = "not followed"; /* until walked */
		if (end->redirects < UINT_MAX)
			end->redirects++;
		WP_EXCERPT(redir.target, end->via);
		count(w);
		walk_follow(w, &redir, dom, in_include, end);
	}
}

/* Internet.nl's verdicts (checks/models.py SpfPolicyStatus). */
enum inl_status {
	INL_VALID,
	INL_SYNTAX,
	INL_ALL,
	INL_MAX,
	INL_INCLUDE,
	INL_REDIRECT,
};

/* How Internet.nl's spf_check_policy() sorts a term (lower case). */
enum inl_kind {
	INL_T_REDIRECT,
	INL_T_INCLUDE,
	INL_T_COUNTED,
	INL_T_ALL,
	INL_T_OTHER,
};

static enum inl_kind
inl_classify(struct wp_span t)
{
	if (nh_wp_span_iprefix(t, "redirect"))
		return INL_T_REDIRECT;
	if (span_icontains(t, "include:"))
		return INL_T_INCLUDE;
	if (span_icontains(t, "mx") || span_icontains(t, "ptr") ||
	    span_icontains(t, "exists") || nh_wp_span_ieq(t, "a"))
		return INL_T_COUNTED;
	if (t.len < 5 && nh_wp_span_isuffix(t, "all"))
		return INL_T_ALL;
	return INL_T_OTHER;
}

/* Python's term.split(sep)[1]: between the first sep and the next. */
static struct wp_span
inl_split1(struct wp_span t, char sep)
{
	const char *a = memchr(t.p, sep, t.len), *b;
	struct wp_span s = { t.p + t.len, 0 };

	if (a == NULL)
		return s;
	s.p = a + 1;
	s.len = t.len - (size_t)(s.p - t.p);
	b = memchr(s.p, sep, s.len);
	if (b != NULL)
		s.len = (size_t)(b - s.p);
	return s;
}

struct inl_walk {
	nh_spf_lookup_fn lookup;
	void *ctx;
	unsigned depth;
};

static enum inl_status inl_policy(struct inl_walk *w, const char *rec,
    size_t len, bool is_include, int *left, int *score);

/* spf_check_include_redirect(). */
static enum inl_status
inl_follow(struct inl_walk *w, struct wp_span url, enum inl_status bad,
    bool is_include, int *left, int *score)
{
	struct nh_spf_answer a;
	const char *rec;
	char name[256];
	enum inl_status st;

	if (*left < 0) {
		*score = 2;
		return INL_MAX;
	}
	if (memchr(url.p, '{', url.len) != NULL)
		return INL_VALID; /* macros are not followed */
	if (w->depth >= NH_SPF_MAX_DEPTH) {
		*score = 2;
		return INL_MAX;
	}
	*score = 2;
	if (!spf_name(url, name))
		return bad;
	answer_init(&a);
	w->lookup(w->ctx, name, NH_SPF_Q_TXT, &a);
	if (a.rcode != 0 || a.ntxt == 0 || a.txt == NULL)
		return bad; /* dnspython raises NXDOMAIN, NoAnswer, ... */
	if (spf_select(&a, true, &rec) != 1) {
		*score = 0; /* parse(None): a syntax error */
		return bad;
	}
	w->depth++;
	st = inl_policy(w, rec, strnlen(rec, NH_SPF_MAX_RECORD + 1), is_include,
	    left, score);
	w->depth--;
	return st == INL_VALID || st == INL_MAX ? st : bad;
}

/* spf_check_policy(): the status; *score 10, 2 or 0; *left the lookups
 * left. The grammar is RFC 7208's (spf_check()), not Internet.nl's
 * pyparsing one, which differs in corner cases. */
static enum inl_status
inl_policy(struct inl_walk *w, const char *rec, size_t len, bool is_include,
    int *left, int *score)
{
	struct spf_cursor c;
	struct spf_term t, redir;
	struct spf_err err;
	const char *why;
	enum inl_status st = INL_VALID;
	bool have_redir = false, all_found = false;
	unsigned nterms = 0;

	*score = 10;
	if (!nh_spf_is_record(rec) || !spf_check(rec, len, &err)) {
		*score = 0;
		return INL_SYNTAX;
	}
	memset(&redir, 0, sizeof(redir));
	spf_open(&c, rec, len);
	while (spf_next(&c, &t, &why) == 1) {
		enum inl_kind k = inl_classify(t.text);
		char q = nh_wp_lower(t.text.p[0]);

		nterms++;
		if (k == INL_T_ALL) {
			all_found = true;
			if (q == '+' || q == 'a' || (!is_include && q == '?')) {
				st = INL_ALL;
				*score = 2;
			}
			break;
		}
		if (k == INL_T_REDIRECT && !have_redir) {
			redir = t;
			have_redir = true;
		}
		if (k != INL_T_OTHER && *left > INT_MIN)
			(*left)--;
	}
	if (nterms == 0 ||
	    (st == INL_VALID && !is_include && !have_redir && !all_found)) {
		*score = 2; /* the default ?all */
		return INL_ALL;
	}
	if (st != INL_VALID)
		return st;
	spf_open(&c, rec, len);
	while (st == INL_VALID && spf_next(&c, &t, &why) == 1) {
		enum inl_kind k = inl_classify(t.text);

		if (k == INL_T_ALL)
			break;
		if (k == INL_T_INCLUDE)
			st = inl_follow(w, inl_split1(t.text, ':'), INL_INCLUDE,
			    true, left, score);
	}
	if (st == INL_VALID && have_redir && !all_found)
		st = inl_follow(w, inl_split1(redir.text, '='), INL_REDIRECT,
		    false, left, score);
	return st;
}

/* "-all" and what it asks of receivers. */
static const char *
all_name(char q, bool bare)
{
	switch (q) {
	case '-':
		return "-all (fail)";
	case '~':
		return "~all (softfail)";
	case '?':
		return "?all (neutral)";
	default:
		return bare ? "all (that is +all, pass)" : "+all (pass)";
	}
}

/* The notes, after the verdict. */
static void
add_notes(struct spf_walk *w)
{
	struct nh_webpol_result *r = w->r;
	char(*t)[64] = w->note_term, (*d)[64] = w->note_where;

	if (w->noted[NOTE_INVALID_NAME])
		nh_wp_add(r, NH_WARNING, "invalid_name",
		    "\"%s\" in the record of %s names no valid domain (an "
		    "empty label, or one over 63 bytes): it never matches",
		    t[NOTE_INVALID_NAME], d[NOTE_INVALID_NAME]);
	if (w->noted[NOTE_PTR])
		nh_wp_add(r, NH_INFO, "ptr",
		    "\"%s\" in the record of %s: ptr is slow and unreliable; "
		    "RFC 7208 §5.5 says it SHOULD NOT be used",
		    t[NOTE_PTR], d[NOTE_PTR]);
	if (w->noted[NOTE_MACRO])
		nh_wp_add(r, NH_INFO, "macro",
		    "\"%s\" in the record of %s holds a macro, expanded for "
		    "each message: its target is not looked up here",
		    t[NOTE_MACRO], d[NOTE_MACRO]);
	if (w->noted[NOTE_LOOP])
		nh_wp_add(r, NH_INFO, "loop",
		    "\"%s\" in the record of %s leads back to a record being "
		    "evaluated: a loop only the lookup limit ends",
		    t[NOTE_LOOP], d[NOTE_LOOP]);
	if (w->noted[NOTE_AFTER_ALL])
		nh_wp_add(r, NH_INFO, "after_all",
		    "\"%s\" in the record of %s comes after all and is never "
		    "evaluated (RFC 7208 §5.1)",
		    t[NOTE_AFTER_ALL], d[NOTE_AFTER_ALL]);
	if (w->noted[NOTE_REDIRECT_IGNORED])
		nh_wp_add(r, NH_INFO, "redirect_ignored",
		    "\"%s\" in the record of %s is ignored: the record has an "
		    "all (RFC 7208 §6.1)",
		    t[NOTE_REDIRECT_IGNORED], d[NOTE_REDIRECT_IGNORED]);
	if (w->noted[NOTE_UNKNOWN])
		nh_wp_add(r, NH_INFO, "unknown_modifier",
		    "the modifier \"%s\" in the record of %s is unknown and "
		    "ignored (RFC 7208 §6)",
		    t[NOTE_UNKNOWN], d[NOTE_UNKNOWN]);
	if (w->noted[NOTE_EXP])
		nh_wp_add(r, NH_INFO, "exp",
		    "\"%s\" in the record of %s: receivers may show the text "
		    "found there when they refuse mail (RFC 7208 §6.2)",
		    t[NOTE_EXP], d[NOTE_EXP]);
}

void
nh_spf_judge(const char *domain, nh_spf_lookup_fn lookup, void *ctx,
    bool internetnl_compat, struct nh_spf_result *out,
    struct nh_webpol_result *r)
{
	struct spf_walk w;
	struct inl_walk iw;
	struct spf_end end;
	struct nh_spf_answer a;
	struct spf_err err;
	const char *rec;
	char name[256], ex[64], ex2[64];
	size_t n, len;
	int left = NH_SPF_MAX_LOOKUPS, points = 0;
	enum inl_status st;
	bool too_many;

	assert(domain != NULL && lookup != NULL && out != NULL && r != NULL);
	nh_wp_init(r);
	memset(out, 0, sizeof(*out));
	if (!spf_name(nh_wp_span_str(domain), name)) {
		nh_wp_add(r, NH_ERROR, "lookup_error",
		    "\"%s\" is not a domain name",
		    nh_wp_excerpt(domain, strlen(domain), ex, sizeof(ex)));
		return;
	}
	nh_wp_excerpt(name, strlen(name), ex, sizeof(ex));
	answer_init(&a);
	lookup(ctx, name, NH_SPF_Q_TXT, &a);
	if (a.rcode != 0 && a.rcode != 3) {
		nh_wp_add(r, NH_ERROR, "lookup_error",
		    "the TXT lookup of %s %s: SPF cannot be judged", ex,
		    a.rcode == -2 ? "was not made" : "failed");
		return;
	}
	n = a.rcode == 3 ? 0 : spf_select(&a, false, &rec);
	out->records = n > INT_MAX ? INT_MAX : (int)n;
	if (n == 0) {
		nh_wp_add(r, NH_FAILED, "no_spf",
		    "%s has no SPF record (%s): receivers cannot tell which "
		    "servers may send its mail",
		    ex,
		    a.rcode == 3      ? "the name does not exist"
			: a.ntxt == 0 ? "no TXT record"
				      : "no TXT record starts with v=spf1");
		return;
	}
	if (n > 1) {
		nh_wp_add(r, NH_FAILED, "multiple_spf",
		    "%s has %zu SPF records: receivers give permerror (RFC "
		    "7208 §4.5); publish one",
		    ex, n);
		return;
	}
	len = strnlen(rec, NH_SPF_MAX_RECORD + 1);
	if (!spf_check(rec, len, &err)) {
		nh_wp_add(r, NH_FAILED, "syntax",
		    "the SPF record is invalid at term %u \"%s\" (byte %zu): "
		    "%s; receivers give permerror",
		    err.n, WP_EXCERPT(err.text, ex2), err.off, err.why);
		return;
	}

	memset(&w, 0, sizeof(w));
	w.lookup = lookup;
	w.ctx = ctx;
	w.r = r;
	w.path[w.depth++] = name;
	memset(&end, 0, sizeof(end));
	walk_record(&w, rec, len, name, false, &end);
	out->lookups = w.lookups;
	out->void_lookups = w.voids;
	out->redirect = end.redirects > 0;
	if (!end.unknown && end.all != 0)
		snprintf(out->all, sizeof(out->all), "%c", end.all);

	memset(&iw, 0, sizeof(iw));
	iw.lookup = lookup;
	iw.ctx = ctx;
	st = inl_policy(&iw, rec, len, false, &left, &points);
	out->internetnl_lookups_exceeded = st == INL_MAX;
	out->internetnl_points = st == INL_VALID ? 10 : points;

	if (!end.unknown && end.all == 0)
		nh_wp_add(r, NH_FAILED, "no_all",
		    "the SPF policy%s%s has neither all nor redirect: mail "
		    "from servers not listed gets neutral (RFC 7208 §4.7); "
		    "end it in -all or ~all",
		    end.redirects ? " reached through redirect=" : "",
		    end.redirects ? end.via : "");
	else if (!end.unknown && (end.all == '+' || end.all == '?'))
		nh_wp_add(r, NH_FAILED, "all_permissive",
		    "the SPF policy ends in %s%s%s: %s",
		    all_name(end.all, end.bare),
		    end.redirects ? " through redirect=" : "",
		    end.redirects ? end.via : "",
		    end.all == '?' ? "it says nothing about servers not listed"
				   : "every server on the Internet may send "
				     "mail as the domain");
	too_many = internetnl_compat ? out->internetnl_lookups_exceeded
				     : w.lookups > NH_SPF_MAX_LOOKUPS;
	if (too_many && internetnl_compat)
		nh_wp_add(r, NH_FAILED, "too_many_lookups",
		    "more than 10 DNS lookups as Internet.nl counts them (it "
		    "leaves out a:host and a/cidr); RFC 7208 §4.6.4 counts "
		    "%s%u",
		    w.stopped ? "at least " : "", w.lookups);
	else if (too_many)
		nh_wp_add(r, NH_FAILED, "too_many_lookups",
		    "%s%u DNS-querying terms (include, a, mx, ptr, exists, "
		    "redirect) in the record tree: more than 10 is a permerror "
		    "(RFC 7208 §4.6.4)",
		    w.stopped ? "at least " : "", w.lookups);
	else if (w.lookups > NH_SPF_MAX_LOOKUPS)
		nh_wp_add(r, NH_INFO, "lookups_rfc",
		    "RFC 7208 §4.6.4 counts %s%u DNS lookups, more than 10: "
		    "receivers give permerror, though Internet.nl's count "
		    "stays within its limit",
		    w.stopped ? "at least " : "", w.lookups);
	if (w.voids > NH_SPF_MAX_VOID)
		nh_wp_add(r, NH_FAILED, "too_many_void_lookups",
		    "%u lookups found no name or no records (%s%s): more than "
		    "2 is a permerror (RFC 7208 §4.6.4)",
		    w.voids, w.voidnames, w.voids > 3 ? ", ..." : "");
	if (r->status > NH_FAILED && end.unknown != NULL)
		nh_wp_add(r, NH_PASSED, "spf_ok",
		    "the SPF policy ends in redirect=%s, which %s, so its all "
		    "is not seen here; %u of at most 10 DNS lookups",
		    end.via, end.unknown, w.lookups);
	else if (r->status > NH_FAILED)
		nh_wp_add(r, NH_PASSED, "spf_ok",
		    "the SPF policy ends in %s%s%s; %u of at most 10 DNS "
		    "lookups",
		    all_name(end.all, end.bare),
		    end.redirects ? " through redirect=" : "",
		    end.redirects ? end.via : "", w.lookups);
	if (!end.unknown && end.all == '~')
		nh_wp_add(r, NH_INFO, "softfail_all",
		    "~all asks receivers to accept but mark mail from servers "
		    "not listed; -all asks them to refuse it: a choice");
	add_notes(&w);
}
