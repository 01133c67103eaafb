/*
 * csp.c: the Content-Security-Policy judge (W3C CSP Level 3;
 * ../shared/internetnl-catalog.md §1.4, check web_appsecpriv_csp). Policies
 * are parsed as CSP3 §2.2 says browsers parse them (a repeated directive
 * ignored, unknown directives and invalid source expressions skipped) and
 * then held to Internet.nl's rules for a strict policy.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "webpol_impl.h"

/* The directives that take a source list; other directives are ignored. */
enum dir {
	D_CHILD_SRC,
	D_CONNECT_SRC,
	D_DEFAULT_SRC,
	D_FONT_SRC,
	D_FRAME_SRC,
	D_IMG_SRC,
	D_MANIFEST_SRC,
	D_MEDIA_SRC,
	D_OBJECT_SRC,
	D_PREFETCH_SRC,
	D_SCRIPT_SRC,
	D_SCRIPT_SRC_ELEM,
	D_SCRIPT_SRC_ATTR,
	D_STYLE_SRC,
	D_STYLE_SRC_ELEM,
	D_STYLE_SRC_ATTR,
	D_WORKER_SRC,
	D_BASE_URI,
	D_FORM_ACTION,
	D_FRAME_ANCESTORS,
	D_NAVIGATE_TO,
	D_COUNT
};

static const char *const dir_names[D_COUNT] = {
	[D_CHILD_SRC] = "child-src",
	[D_CONNECT_SRC] = "connect-src",
	[D_DEFAULT_SRC] = "default-src",
	[D_FONT_SRC] = "font-src",
	[D_FRAME_SRC] = "frame-src",
	[D_IMG_SRC] = "img-src",
	[D_MANIFEST_SRC] = "manifest-src",
	[D_MEDIA_SRC] = "media-src",
	[D_OBJECT_SRC] = "object-src",
	[D_PREFETCH_SRC] = "prefetch-src",
	[D_SCRIPT_SRC] = "script-src",
	[D_SCRIPT_SRC_ELEM] = "script-src-elem",
	[D_SCRIPT_SRC_ATTR] = "script-src-attr",
	[D_STYLE_SRC] = "style-src",
	[D_STYLE_SRC_ELEM] = "style-src-elem",
	[D_STYLE_SRC_ATTR] = "style-src-attr",
	[D_WORKER_SRC] = "worker-src",
	[D_BASE_URI] = "base-uri",
	[D_FORM_ACTION] = "form-action",
	[D_FRAME_ANCESTORS] = "frame-ancestors",
	[D_NAVIGATE_TO] = "navigate-to",
};

/* One policy: the first occurrence of each directive (CSP3 §2.2.1). */
struct policy {
	bool has[D_COUNT];
	struct wp_span v[D_COUNT];
	bool empty; /* no directive at all, known or not */
};

/* A source expression (CSP3 §2.3.1). */
enum kind {
	K_INVALID, /* not a source expression: ignored */
	K_SELF,
	K_NONE,
	K_UNSAFE_INLINE,
	K_UNSAFE_EVAL,
	K_UNSAFE_HASHES,
	K_STRICT_DYNAMIC,
	K_REPORT_SAMPLE,
	K_KEYWORD, /* another keyword ('wasm-unsafe-eval', ...) */
	K_NONCE,
	K_HASH,
	K_SCHEME,
	K_HOST,
};

struct source {
	enum kind kind;
	struct wp_span scheme; /* K_SCHEME, K_HOST: without ':' or "://" */
	struct wp_span host;   /* K_HOST */
};

/* The rules against sources, in Internet.nl's order of report. */
enum rule {
	R_UNSAFE_INLINE,
	R_UNSAFE_EVAL,
	R_HTTP,
	R_BARE_HTTPS,
	R_NO_SCHEME,
	R_DATA,
	R_INVALID_HOST,
	R_UNSAFE_HASHES,
	R_COUNT
};

static const char *const rule_codes[R_COUNT] = {
	[R_UNSAFE_INLINE] = "has-unsafe-inline",
	[R_UNSAFE_EVAL] = "has-unsafe-eval",
	[R_HTTP] = "has-http",
	[R_BARE_HTTPS] = "has-bare-https",
	[R_NO_SCHEME] = "has-host-without-scheme",
	[R_DATA] = "has-data",
	[R_INVALID_HOST] = "has-invalid-host",
	[R_UNSAFE_HASHES] = "has-unsafe-hashes",
};

static const char *const rule_why[R_COUNT] = {
	[R_UNSAFE_INLINE] = "allows inline scripts or styles, which is what "
			    "an attacker injects",
	[R_UNSAFE_EVAL] = "allows code built from text (eval)",
	[R_HTTP] = "allows loading over unencrypted HTTP",
	[R_BARE_HTTPS] = "allows any HTTPS site",
	[R_NO_SCHEME] = "has no scheme: write it with https://",
	[R_DATA] = "allows scripts or objects from data: URLs",
	[R_INVALID_HOST] = "allows any host, or the visitor's own machine",
	[R_UNSAFE_HASHES] = "allows inline event handlers",
};

/* The required directives. */
enum need { N_DEFAULT, N_FRAME, N_ANCESTORS, N_BASE, N_FORM, N_COUNT };

static const char *const need_codes[N_COUNT] = {
	[N_DEFAULT] = "missing-invalid-default-src",
	[N_FRAME] = "missing-invalid-frame-src",
	[N_ANCESTORS] = "missing-invalid-frame-ancestors",
	[N_BASE] = "missing-invalid-base-uri",
	[N_FORM] = "missing-invalid-form-action",
};

static const char *const need_hint[N_COUNT] = {
	[N_DEFAULT] = "use default-src 'self' (or 'none') and widen per type",
	[N_FRAME] = "without a strict default-src, frame-src needs 'self', "
		    "'none' or a host",
	[N_ANCESTORS] = "use frame-ancestors 'self' (or 'none')",
	[N_BASE] = "use base-uri 'self' (or 'none')",
	[N_FORM] = "use form-action 'self' (or the hosts forms post to)",
};

struct judge {
	struct wp_span domain; /* trailing dot removed; may be empty */
	bool hit[R_COUNT];
	bool weak[R_COUNT];   /* the example is a bare "*" */
	char ex[R_COUNT][96]; /* the first offender and where */
	bool ok[N_COUNT];
	char why[N_COUNT][120]; /* why the first policy failed it */
	bool dup_noted;
	bool any_directive;
};

static bool
csp_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* The next whitespace-separated token of v from *pos; false at the end. */
static bool
next_token(struct wp_span v, size_t *pos, struct wp_span *t)
{
	size_t i = *pos, s;

	while (i < v.len && csp_ws(v.p[i]))
		i++;
	if (i >= v.len) {
		*pos = i;
		return false;
	}
	for (s = i; i < v.len && !csp_ws(v.p[i]); i++)
		;
	t->p = v.p + s;
	t->len = i - s;
	*pos = i;
	return true;
}

static bool
alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
digit(char c)
{
	return c >= '0' && c <= '9';
}

/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ); its length. */
static size_t
scheme_len(struct wp_span t)
{
	size_t i = 0;

	if (t.len == 0 || !alpha(t.p[0]))
		return 0;
	while (i < t.len &&
	    (alpha(t.p[i]) || digit(t.p[i]) || t.p[i] == '+' || t.p[i] == '-' ||
		t.p[i] == '.'))
		i++;
	return i;
}

/* base64-value = 1*( ALPHA / DIGIT / "+" / "/" / "-" / "_" ) *2"=" */
static bool
base64_value(const char *p, size_t len)
{
	size_t i = 0, pad = 0;

	while (i < len &&
	    (alpha(p[i]) || digit(p[i]) || p[i] == '+' || p[i] == '/' ||
		p[i] == '-' || p[i] == '_'))
		i++;
	if (i == 0)
		return false;
	while (i < len && p[i] == '=' && pad < 2) {
		i++;
		pad++;
	}
	return i == len;
}

/* 'prefix<base64-value>' */
static bool
quoted_b64(struct wp_span t, const char *prefix)
{
	size_t n = strlen(prefix);

	return t.len > n + 1 && nh_wp_span_iprefix(t, prefix) &&
	    t.p[t.len - 1] == '\'' && base64_value(t.p + n, t.len - n - 1);
}

static void
classify(struct wp_span t, bool ancestors, struct source *s)
{
	static const struct {
		const char *kw;
		enum kind kind;
	} kws[] = {
		{ "'self'", K_SELF },
		{ "'none'", K_NONE },
		{ "'unsafe-inline'", K_UNSAFE_INLINE },
		{ "'unsafe-eval'", K_UNSAFE_EVAL },
		{ "'unsafe-hashes'", K_UNSAFE_HASHES },
		{ "'strict-dynamic'", K_STRICT_DYNAMIC },
		{ "'report-sample'", K_REPORT_SAMPLE },
	};
	size_t i, sl;

	memset(s, 0, sizeof(*s));
	s->kind = K_INVALID;
	if (t.len > 0 && t.p[0] == '\'') {
		for (i = 0; i < sizeof(kws) / sizeof(*kws); i++) {
			if (nh_wp_span_ieq(t, kws[i].kw))
				s->kind = kws[i].kind;
		}
		if (s->kind == K_INVALID) {
			if (quoted_b64(t, "'nonce-"))
				s->kind = K_NONCE;
			else if (quoted_b64(t, "'sha256-") ||
			    quoted_b64(t, "'sha384-") ||
			    quoted_b64(t, "'sha512-"))
				s->kind = K_HASH;
			else if (t.len > 2 && t.p[t.len - 1] == '\'')
				s->kind = K_KEYWORD;
		}
		/* frame-ancestors knows only 'self' and 'none' (§7.7). */
		if (ancestors && s->kind != K_SELF && s->kind != K_NONE)
			s->kind = K_INVALID;
		return;
	}
	/* scheme-source = scheme ":" */
	sl = scheme_len(t);
	if (sl > 0 && sl + 1 == t.len && t.p[sl] == ':') {
		s->kind = K_SCHEME;
		s->scheme.p = t.p;
		s->scheme.len = sl;
		return;
	}
	/* host-source = [ scheme "://" ] host-part [ ":" port-part ]
	 *               [ path-part ] */
	i = 0;
	if (sl > 0 && t.len - sl >= 3 && memcmp(t.p + sl, "://", 3) == 0) {
		s->scheme.p = t.p;
		s->scheme.len = sl;
		i = sl + 3;
	}
	s->host.p = t.p + i;
	if (i < t.len && t.p[i] == '*' &&
	    (i + 1 == t.len || t.p[i + 1] != '.')) {
		i++;
	} else {
		if (t.len - i >= 2 && t.p[i] == '*' && t.p[i + 1] == '.')
			i += 2;
		for (;;) { /* 1*host-char *( "." 1*host-char ) [ "." ] */
			size_t l = i;

			while (i < t.len &&
			    (alpha(t.p[i]) || digit(t.p[i]) || t.p[i] == '-'))
				i++;
			if (i == l)
				return; /* an empty label */
			if (i < t.len && t.p[i] == '.') {
				i++;
				if (i == t.len || t.p[i] == ':' ||
				    t.p[i] == '/')
					break; /* a trailing dot */
				continue;
			}
			break;
		}
	}
	s->host.len = (size_t)(t.p + i - s->host.p);
	if (i < t.len && t.p[i] == ':') { /* port-part = 1*DIGIT / "*" */
		size_t l = ++i;

		if (i < t.len && t.p[i] == '*')
			i++;
		else
			while (i < t.len && digit(t.p[i]))
				i++;
		if (i == l)
			return;
	}
	if (i < t.len && t.p[i] != '/')
		return;
	s->kind = K_HOST; /* the rest, if any, is the path */
}

/* The domain without a wildcard or a trailing dot. */
static struct wp_span
bare_host(struct wp_span h, bool *wild)
{
	*wild = h.len >= 2 && h.p[0] == '*' && h.p[1] == '.';
	if (*wild) {
		h.p += 2;
		h.len -= 2;
	}
	if (h.len > 0 && h.p[h.len - 1] == '.')
		h.len--;
	return h;
}

/* a ends with "." b (ASCII, any case), so a is under b. */
static bool
under(struct wp_span a, struct wp_span b)
{
	struct wp_span t;

	if (b.len == 0 || a.len <= b.len + 1 || a.p[a.len - b.len - 1] != '.')
		return false;
	t.p = a.p + a.len - b.len;
	t.len = b.len;
	for (size_t i = 0; i < b.len; i++) {
		if (nh_wp_lower(t.p[i]) != nh_wp_lower(b.p[i]))
			return false;
	}
	return true;
}

/*
 * A host equal to the domain, under it, or above it but not a bare
 * top-level domain ("*.nl"): a host of the tested site (Internet.nl's
 * "hosts equal to / sub / super of the domain").
 */
static bool
in_family(const struct judge *j, struct wp_span host)
{
	bool wild;
	struct wp_span h = bare_host(host, &wild);

	if (j->domain.len == 0 || h.len == 0 || (h.len == 1 && h.p[0] == '*'))
		return false;
	if (h.len == j->domain.len) {
		for (size_t i = 0; i < h.len; i++) {
			if (nh_wp_lower(h.p[i]) != nh_wp_lower(j->domain.p[i]))
				return false;
		}
		return true;
	}
	if (under(h, j->domain))
		return true;
	return under(j->domain, h) && memchr(h.p, '.', h.len) != NULL;
}

/*
 * Records the first offender against rule r. A bare "*" is a weak
 * example (it breaks several rules at once): a later, clearer one takes
 * its place.
 */
static void
hit(struct judge *j, enum rule r, struct wp_span tok, enum dir d,
    const char *note)
{
	bool weak = tok.len == 1 && tok.p[0] == '*';
	char ex[48];

	if (j->hit[r] && (!j->weak[r] || weak))
		return;
	j->hit[r] = true;
	j->weak[r] = weak;
	WP_EXCERPT(tok, ex);
	snprintf(j->ex[r], sizeof(j->ex[r]),
	    tok.p[0] == '\'' ? "%s in %s%s" : "\"%s\" in %s%s", ex,
	    dir_names[d], note);
}

/* The rules against sources, over one directive's list. */
static void
scan_sources(struct judge *j, struct wp_span v, enum dir d)
{
	struct wp_span t;
	struct source s;
	size_t pos = 0;

	while (next_token(v, &pos, &t)) {
		classify(t, d == D_FRAME_ANCESTORS, &s);
		switch (s.kind) {
		case K_UNSAFE_INLINE:
			hit(j, R_UNSAFE_INLINE, t, d, "");
			break;
		case K_UNSAFE_EVAL:
			hit(j, R_UNSAFE_EVAL, t, d, "");
			break;
		case K_UNSAFE_HASHES:
			hit(j, R_UNSAFE_HASHES, t, d, "");
			break;
		case K_SCHEME:
			if (nh_wp_span_ieq(s.scheme, "http"))
				hit(j, R_HTTP, t, d, "");
			else if (nh_wp_span_ieq(s.scheme, "https"))
				hit(j, R_BARE_HTTPS, t, d, "");
			break;
		case K_HOST:
			if (s.scheme.len == 0)
				hit(j, R_NO_SCHEME, t, d, "");
			else if (nh_wp_span_ieq(s.scheme, "http"))
				hit(j, R_HTTP, t, d, "");
			if (nh_wp_span_ieq(s.host, "*") ||
			    nh_wp_span_ieq(s.host, "127.0.0.1"))
				hit(j, R_INVALID_HOST, t, d, "");
			break;
		default:
			break;
		}
	}
}

/* data: in the list that governs d: its own, else default-src. */
static void
scan_data(struct judge *j, const struct policy *p, enum dir d)
{
	enum dir eff = p->has[d] ? d : D_DEFAULT_SRC;
	struct wp_span t;
	struct source s;
	size_t pos = 0;

	if (!p->has[eff])
		return;
	while (next_token(p->v[eff], &pos, &t)) {
		classify(t, false, &s);
		if (s.kind == K_SCHEME && nh_wp_span_ieq(s.scheme, "data"))
			hit(j, R_DATA, t, eff,
			    eff == d                ? ""
				: d == D_SCRIPT_SRC ? " (for scripts)"
						    : " (for objects)");
	}
}

/*
 * default-src and base-uri: 'none' alone, or 'self' with at most hosts of
 * the site and 'report-sample' ('strict-dynamic', unknown keywords and
 * invalid expressions are ignored). An empty list is 'none'. Returns
 * true, or false with the reason in why.
 */
static bool
strict_list(const struct judge *j, struct wp_span v, char *why, size_t cap)
{
	struct wp_span t, bad = { NULL, 0 };
	struct source s;
	size_t pos = 0, tokens = 0, hosts = 0;
	bool self = false, none = false, foreign = false;
	char ex[48];

	while (next_token(v, &pos, &t)) {
		tokens++;
		classify(t, false, &s);
		switch (s.kind) {
		case K_SELF:
			self = true;
			break;
		case K_NONE:
			none = true;
			break;
		case K_INVALID:
		case K_KEYWORD:
		case K_STRICT_DYNAMIC:
		case K_REPORT_SAMPLE:
			break;
		case K_HOST:
			if (in_family(j, s.host)) {
				hosts++;
				break;
			}
			if (bad.p == NULL) {
				bad = t;
				foreign = true;
			}
			break;
		default:
			if (bad.p == NULL)
				bad = t;
			break;
		}
	}
	if (tokens == 0)
		return true;
	if (bad.p != NULL) {
		snprintf(why, cap,
		    foreign ? "\"%s\" is outside the site"
			    : "\"%s\" is not allowed here",
		    WP_EXCERPT(bad, ex));
		return false;
	}
	if (none && (self || hosts > 0)) {
		snprintf(why, cap, "'none' mixed with other sources");
		return false;
	}
	if (none)
		return true;
	if (!self) {
		snprintf(why, cap,
		    hosts > 0 ? "hosts without 'self'"
			      : "neither 'self' nor 'none'");
		return false;
	}
	return true;
}

/* A list holding one of the kinds wanted (or empty, which is 'none'). */
static bool
list_has(struct wp_span v, bool ancestors, bool host_ok)
{
	struct wp_span t;
	struct source s;
	size_t pos = 0, tokens = 0;

	while (next_token(v, &pos, &t)) {
		tokens++;
		classify(t, ancestors, &s);
		if (s.kind == K_SELF || s.kind == K_NONE ||
		    (host_ok && s.kind == K_HOST))
			return true;
	}
	return tokens == 0;
}

static void
need(struct judge *j, enum need k, bool ok, const char *why)
{
	if (ok)
		j->ok[k] = true;
	else if (j->why[k][0] == '\0')
		snprintf(j->why[k], sizeof(j->why[k]), "%s", why);
}

static void
judge_policy(struct judge *j, const struct policy *p)
{
	char why[96], msg[120];
	enum dir fr;

	for (int d = 0; d < D_COUNT; d++) {
		if (p->has[d])
			scan_sources(j, p->v[d], (enum dir)d);
	}
	scan_data(j, p, D_SCRIPT_SRC);
	scan_data(j, p, D_OBJECT_SRC);

	if (!p->has[D_DEFAULT_SRC]) {
		need(j, N_DEFAULT, false, "no default-src");
	} else if (strict_list(j, p->v[D_DEFAULT_SRC], why, sizeof(why))) {
		need(j, N_DEFAULT, true, NULL);
	} else {
		snprintf(msg, sizeof(msg), "default-src: %s", why);
		need(j, N_DEFAULT, false, msg);
	}

	fr = p->has[D_FRAME_SRC]  ? D_FRAME_SRC
	    : p->has[D_CHILD_SRC] ? D_CHILD_SRC
				  : D_DEFAULT_SRC;
	snprintf(msg, sizeof(msg), "%s has none of 'self', 'none' or a host",
	    dir_names[fr]);
	if (!p->has[fr])
		need(j, N_FRAME, false,
		    "no frame-src, child-src or default-src");
	else
		need(j, N_FRAME, list_has(p->v[fr], false, true), msg);

	if (!p->has[D_FRAME_ANCESTORS])
		need(j, N_ANCESTORS, false, "no frame-ancestors");
	else
		need(j, N_ANCESTORS,
		    list_has(p->v[D_FRAME_ANCESTORS], true, false),
		    "frame-ancestors has neither 'self' nor 'none'");

	if (!p->has[D_BASE_URI]) {
		need(j, N_BASE, false, "no base-uri");
	} else if (strict_list(j, p->v[D_BASE_URI], why, sizeof(why))) {
		need(j, N_BASE, true, NULL);
	} else {
		snprintf(msg, sizeof(msg), "base-uri: %s", why);
		need(j, N_BASE, false, msg);
	}

	if (!p->has[D_FORM_ACTION])
		need(j, N_FORM, false, "no form-action");
	else
		need(j, N_FORM, list_has(p->v[D_FORM_ACTION], false, true),
		    "form-action has none of 'self', 'none' or a host");
}

/*
 * Parses one serialized policy (CSP3 §2.2.1) and judges it. Notes a
 * repeated directive once.
 */
static void
parse_policy(struct judge *j, struct wp_span text, struct nh_webpol_result *r)
{
	struct policy p;
	size_t i = 0;

	memset(&p, 0, sizeof(p));
	while (i <= text.len) {
		struct wp_span tok, name, rest;
		size_t e = i, k;
		int d;

		while (e < text.len && text.p[e] != ';')
			e++;
		tok.p = text.p + i;
		tok.len = e - i;
		i = e + 1;
		k = 0;
		if (!next_token(tok, &k, &name))
			continue;
		j->any_directive = true;
		rest.p = name.p + name.len;
		rest.len = (size_t)(tok.p + tok.len - rest.p);
		for (d = 0; d < D_COUNT; d++) {
			if (nh_wp_span_ieq(name, dir_names[d]))
				break;
		}
		if (d == D_COUNT)
			continue; /* unknown: ignored */
		if (p.has[d]) {
			if (!j->dup_noted)
				nh_wp_add(r, NH_INFO, "duplicate-directive",
				    "%s appears twice in one policy: browsers "
				    "use the first and ignore the rest",
				    dir_names[d]);
			j->dup_noted = true;
			continue;
		}
		p.has[d] = true;
		p.v[d] = rest;
	}
	judge_policy(j, &p);
}

void
nh_webpol_csp(const char *const *values, size_t n, const char *domain,
    struct nh_webpol_result *r)
{
	struct judge j;
	size_t npol = 0;
	bool bad = false;

	assert(r != NULL && (values != NULL || n == 0));
	nh_wp_init(r);
	memset(&j, 0, sizeof(j));
	j.domain = nh_wp_span_str(domain);
	if (j.domain.len > 0 && j.domain.p[j.domain.len - 1] == '.')
		j.domain.len--;
	/* serialized-policy-list: policies separated by commas (§2.2.2) */
	for (size_t v = 0; v < n; v++) {
		struct wp_span line = nh_wp_span_str(values[v]);
		size_t i = 0;

		while (i <= line.len) {
			struct wp_span pol;
			size_t e = i;

			while (e < line.len && line.p[e] != ',')
				e++;
			pol.p = line.p + i;
			pol.len = e - i;
			i = e + 1;
			parse_policy(&j, pol, r);
			npol++;
		}
	}
	if (npol == 0 || !j.any_directive) {
		nh_wp_add(r, NH_WARNING, "no-csp",
		    n == 0 ? "no Content-Security-Policy header"
			   : "the Content-Security-Policy header is empty");
		return;
	}
	for (int k = 0; k < R_COUNT; k++) {
		if (!j.hit[k])
			continue;
		bad = true;
		nh_wp_add(r, NH_WARNING, rule_codes[k], "%s %s", j.ex[k],
		    rule_why[k]);
	}
	for (int k = 0; k < N_COUNT; k++) {
		/* frame-src matters only without a strict default-src */
		if (j.ok[k] || (k == N_FRAME && j.ok[N_DEFAULT]))
			continue;
		bad = true;
		nh_wp_add(r, NH_WARNING, need_codes[k], "%s; %s", j.why[k],
		    need_hint[k]);
	}
	if (!bad)
		nh_wp_add(r, NH_PASSED, "csp_ok",
		    "the policy meets every rule for a strict CSP");
}
