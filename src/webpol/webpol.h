/*
 * webpol.h: judges of what a web server says over HTTP. For the HTTPS
 * category (../shared/internetnl-catalog.md §1.3): Strict-Transport-Security
 * and HTTP compression. For the security options category (§1.4):
 * X-Frame-Options, X-Content-Type-Options, Referrer-Policy,
 * Content-Security-Policy and security.txt (RFC 9116).
 *
 * This is the face of src/webpol/. Every function is pure: no I/O, no
 * global state, no allocation. The HTTP probe gathers the data, the check
 * wiring calls a judge and turns its result into a check result.
 *
 * Input: header values as the server sent them. `values` holds every field
 * line of the header in the response, in the order received, each a
 * NUL-terminated string that may itself be a comma-joined list; n == 0
 * means the header is absent; a NULL element counts as an empty value.
 * The caller caps what it reads (a field line at 8 KB, security.txt at
 * 100 KB); the judges read nothing outside the strings and lengths given,
 * whatever bytes they hold, and run in time linear in their size. Inputs
 * are borrowed for the call only.
 *
 * Output: a struct nh_webpol_result the caller owns (it fits on the stack,
 * about 4 KB), overwritten by each call. Nothing in it points into the
 * input: text from the server is copied into messages, shortened, with
 * control characters and invalid UTF-8 replaced by '?'.
 *
 * Statuses: a finding is NH_WARNING where Internet.nl says NOTICE (an
 * error of the standard), NH_INFO for a recommendation, NH_FAILED only
 * for HSTS (a requirement, scored), and NH_PASSED for a note that
 * explains a pass; every judge gives at least one finding. The check
 * wiring clamps them to the check's worst status as for every check.
 */
#ifndef NH_WEBPOL_H
#define NH_WEBPOL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "model/model.h"

#define NH_WEBPOL_MAX_FINDINGS 16
#define NH_WEBPOL_CODE 48 /* bytes of a finding's code, NUL included */
#define NH_WEBPOL_MSG 200 /* bytes of a finding's message, NUL included */

/* One finding of a judge. */
struct nh_webpol_finding {
	enum nh_status status;
	/*
	 * A stable identifier: Internet.nl's message id where it has one
	 * ("has-unsafe-inline", "bad-unsafe-url", "no_contact"), else one in
	 * the same style. For tests, evidence and translations.
	 */
	char code[NH_WEBPOL_CODE];
	char msg[NH_WEBPOL_MSG]; /* one line for a person, UTF-8 */
};

/* What a judge found. */
struct nh_webpol_result {
	/* The worst status of all findings, the dropped ones included;
	 * NH_PASSED when there are none. */
	enum nh_status status;
	/*
	 * The findings kept, in the order found. When more come than fit, a
	 * worse one takes the place of the least severe kept, so what is kept
	 * is always the most severe.
	 */
	struct nh_webpol_finding f[NH_WEBPOL_MAX_FINDINGS];
	size_t n;
	size_t dropped; /* findings that did not fit, counted only */
};

/* The first kept finding with this code, or NULL. */
const struct nh_webpol_finding *nh_webpol_find(
    const struct nh_webpol_result *r, const char *code);

/*
 * A printable copy of untrusted text (a header value, a URL) into out
 * (cap >= 8, NUL-terminated), returned: valid UTF-8 kept, control bytes
 * and invalid sequences as '?', text longer than fits ending in "...".
 */
const char *nh_webpol_clean(const char *s, char *out, size_t cap);

/*
 * Strict-Transport-Security (RFC 6797), on the answer to https://domain/
 * without following redirects. As a browser does (RFC 6797 §8.1), only
 * the first field line counts, and it must follow the grammar of §6.1
 * entirely (directive names case-insensitive, each at most once, max-age
 * required, values a token or a quoted string) or it is ignored.
 *
 * Status: NH_PASSED when max-age >= NH_WEBPOL_HSTS_MIN_AGE (one year);
 * NH_FAILED when it is shorter (0 included: `short_max_age`, Internet.nl
 * gives 2 of 10 points), when the header is missing, or when it does not
 * parse (0 points). includeSubDomains and preload are reported, not
 * required.
 */
#define NH_WEBPOL_HSTS_MIN_AGE 31536000ULL

struct nh_webpol_hsts {
	bool present;               /* at least one field line */
	bool valid;                 /* the first line follows RFC 6797 §6.1 */
	unsigned long long max_age; /* seconds, saturated; 0 unless valid */
	bool include_subdomains;    /* when valid */
	bool preload;       /* when valid (an extension, not RFC 6797) */
	bool short_max_age; /* valid, but max_age < NH_WEBPOL_HSTS_MIN_AGE */
};

void nh_webpol_hsts(const char *const *values, size_t n,
    struct nh_webpol_hsts *out, struct nh_webpol_result *r);

/*
 * HTTP compression: the Content-Encoding of the answer to https://domain/
 * when the request offered every usual coding. NH_PASSED when absent (or
 * only "identity"), else NH_INFO naming the coding: compression of
 * pages that hold secrets next to user input allows BREACH; a choice for
 * the operator, not a fault.
 */
void nh_webpol_compress(
    const char *const *values, size_t n, struct nh_webpol_result *r);

/*
 * X-Frame-Options (RFC 7034, HTML Living Standard "X-Frame-Options").
 * NH_PASSED when the first value is DENY or SAMEORIGIN (any case);
 * NH_INFO when the header is missing or the first value is anything
 * else. Conflicting values are pointed out: browsers then refuse all
 * framing (HTML), which protects, but is rarely what was meant.
 */
void nh_webpol_xfo(
    const char *const *values, size_t n, struct nh_webpol_result *r);

/*
 * X-Content-Type-Options (WHATWG Fetch "determine nosniff"): NH_PASSED
 * when the first value is nosniff (any case), else NH_WARNING (missing
 * too).
 */
void nh_webpol_xcto(
    const char *const *values, size_t n, struct nh_webpol_result *r);

/*
 * Referrer-Policy (W3C Referrer Policy §8.1): of the comma-separated
 * values, the last one a browser knows is the policy; unknown ones are
 * skipped, as browsers do. NH_PASSED for no-referrer and same-origin;
 * NH_INFO for strict-origin, strict-origin-when-cross-origin, and a
 * missing or empty header (the browsers' default is
 * strict-origin-when-cross-origin); NH_WARNING for origin,
 * origin-when-cross-origin, no-referrer-when-downgrade, unsafe-url, and a
 * header with no known value. Unknown values beside a known one: NH_INFO.
 */
void nh_webpol_referrer(
    const char *const *values, size_t n, struct nh_webpol_result *r);

/*
 * Content-Security-Policy (W3C CSP Level 3), the enforced header only
 * (not Report-Only, not <meta>). Every field line, and every policy in a
 * comma-separated list, counts: a browser enforces them all. `domain` is
 * the name tested (trailing dot and case ignored; NULL: no host is taken
 * as the domain's own). One finding per rule broken, with Internet.nl's
 * message id, each NH_WARNING:
 *   has-unsafe-inline, has-unsafe-eval, has-unsafe-hashes: the keyword in
 *     any directive;
 *   has-http: an http: scheme source or an http:// host source;
 *   has-bare-https: the scheme source https: (any https site);
 *   has-host-without-scheme: a host source without scheme://;
 *   has-data: data: in script-src or object-src, or in default-src when
 *     the one in question is absent;
 *   has-invalid-host: the host * or 127.0.0.1;
 *   missing-invalid-default-src: no default-src that is 'none' alone, or
 *     'self' with at most hosts equal to, under, or above the domain
 *     (not a bare top-level domain) and 'report-sample';
 *   missing-invalid-frame-src: neither such a default-src nor a frame-src
 *     (or child-src, which it falls back to) with 'self', 'none' or a
 *     host;
 *   missing-invalid-frame-ancestors: no frame-ancestors with 'self' or
 *     'none';
 *   missing-invalid-base-uri: no base-uri that is 'none' alone or
 *     'self' with hosts as for default-src;
 *   missing-invalid-form-action: no form-action with 'self', 'none' or a
 *     host.
 * A missing or empty header: one NH_WARNING "no-csp". A directive
 * repeated within one policy: the browser ignores the repeat, NH_INFO
 * "duplicate-directive". A policy that breaks no rule: NH_PASSED
 * "csp_ok". Unknown directives
 * and invalid source expressions are ignored, as browsers do. A required
 * directive is met when any policy meets it; a forbidden source counts in
 * any policy. An empty source list means 'none' (CSP3 §6.7.2.5).
 */
void nh_webpol_csp(const char *const *values, size_t n, const char *domain,
    struct nh_webpol_result *r);

/*
 * security.txt (RFC 9116). The caller fetches
 * https://domain/.well-known/security.txt following redirects; when that
 * gives no 200, it fetches https://domain/security.txt and, if that gives
 * 200, judges that answer with `legacy` set; otherwise it judges the
 * first answer.
 */
struct nh_sectxt_input {
	int status;               /* HTTP status of the final answer; 0: none */
	const char *content_type; /* its Content-Type; NULL: absent */
	const char *body;         /* the body as received, not NUL-terminated
				     (may hold NULs); NULL when len is 0 */
	size_t len;
	bool truncated;        /* the caller cut the body at its cap */
	const char *url;       /* the URL requested; NULL: unknown */
	const char *final_url; /* after redirects; NULL: the same as url */
	bool legacy;           /* the answer for /security.txt (see above) */
	time_t now;            /* the time of the test */
};

/*
 * Judges a security.txt answer. Errors are NH_WARNING and
 * recommendations NH_INFO, with the codes of the sectxt library that
 * Internet.nl uses where it has one:
 *   the answer: no_security_txt_404 (0 or 404), no_security_txt_other,
 *     invalid_uri_scheme (redirected to http:), no_content_type and
 *     invalid_media (not text/plain): the body is then not read;
 *     invalid_charset (a charset other than utf-8), location (only at
 *     /security.txt), utf8 (the body is not UTF-8; not read further),
 *     bom_in_file, truncated (NH_INFO);
 *   lines: no_line_separators (no line break at the end), invalid_line,
 *     lead_ws, prec_ws (white space before the colon), no_space (no space
 *     after it), empty_key, empty_value, unknown_field (NH_INFO);
 *   fields: no_contact, no_expire, multi_expire, invalid_expiry (not an
 *     RFC 3339 date-time), expired, long_expiry (more than a year ahead,
 *     NH_INFO), no_uri, no_https (an http: URI), multi_lang, invalid_lang
 *     (not an RFC 5646 tag), no_canonical_match (Canonical present, but
 *     neither the requested nor the final URL among its values),
 *     no_csaf_file (CSAF not an https URL of a provider-metadata.json),
 *     multiple_csaf_fields (NH_INFO), no_encryption (a mailto: Contact
 *     without Encryption, NH_INFO);
 *   the OpenPGP cleartext signature (RFC 4880 §7; present and well-formed,
 *     not verified): not_signed (NH_INFO), no_canonical (signed without
 *     Canonical, NH_INFO), pgp_no_hash (no Hash: header, NH_INFO; RFC
 *     9580 allows it), signed_format_issue (the BEGIN line not first),
 *     pgp_data (a malformed envelope or armor), data_after_sig,
 *     too_many_line_separators (empty lines after the signature).
 * A clean file gives one NH_PASSED note, "securitytxt_ok"; as
 * recommendations are NH_INFO, only a signed file passes outright.
 * Findings about a line name its number.
 */
void nh_webpol_sectxt(
    const struct nh_sectxt_input *in, struct nh_webpol_result *r);

/*
 * The same website over IPv4 and IPv6 (web_ipv6_ws_similar). Internet.nl
 * fetches the page over both, reads at most 500000 bytes of each, takes
 * out per-request tokens, and compares the two with Python's
 * difflib.SequenceMatcher(None, a, b).quick_ratio(): 2 * M / T, T the
 * length of both, M the size of the multiset intersection of their
 * characters (1.0 when both are empty); the site is the same when the
 * distance 100 - 100 * ratio is at most 10. That ratio depends only on
 * how often each byte occurs, so a page is digested to a byte histogram
 * when fetched, and the facts keep the digests, not the pages.
 *
 * What is left out of the histogram: in a start tag (a '<' followed by an
 * ASCII letter, tokenized as HTML does, WHATWG HTML §13.2.5.6-40:
 * attribute names in any case, values double-quoted, single-quoted or
 * unquoted, white space around '=', '>' inside quotes, up to the '>' that
 * ends the tag), the value of
 *   - nonce, on any element;
 *   - value, on an <input> with a name attribute (any, when repeated)
 *     that is __VIEWSTATE, __EVENTVALIDATION, __VIEWSTATEGENERATOR or
 *     __REQUESTDIGEST, or contains "csrf" or "token", all in any case;
 *   - content, on a <meta> with a name csrf-token, csrf-param or _csrf
 *     (any case);
 * wherever in the tag the attributes are. The value is what is between
 * the quotes, or the unquoted value; the attribute name, '=' and quotes
 * are counted. Nothing else is left out: not integrity (it names content
 * that does not change), not comments (<!-- to -->, counted as they
 * are), not the text of script, style, textarea, title, xmp, iframe,
 * noembed and noframes, which is not markup (HTML §13.1.2.1) and is
 * counted up to the element's end tag; after <plaintext> all is text. A
 * tag or comment that the page ends inside is counted as it is.
 *
 * Internet.nl (checks/tasks/ipv6.py simhash()) takes out nonce on script
 * and style only and whole <input name="__VIEWSTATE"> tags, and compares
 * BeautifulSoup's prettify("latin-1") of each page (re-indented, one tag
 * or text a line, re-encoded), not the bytes received; here the bytes
 * received are compared.
 */
#define NH_WEBPOL_PAGE_MAX 500000 /* bytes of a page read (Internet.nl's) */
#define NH_WEBPOL_PAGE_MAX_DISTANCE 10 /* the same site at most this far */

struct nh_webpol_page {
	unsigned long hist[256]; /* how often each byte occurs */
	size_t len;              /* bytes counted (the sum of hist) */
	size_t stripped;         /* bytes of per-request tokens left out */
};

/*
 * Digests a page into *out (the caller's, about 2 KB, overwritten): body
 * as received (any bytes, NULs included; NULL only when len is 0), of
 * which the first NH_WEBPOL_PAGE_MAX bytes are read; len + stripped is
 * the number read. Linear time, no allocation, nothing read outside
 * body[0..len).
 */
void nh_webpol_page_digest(
    const unsigned char *body, size_t len, struct nh_webpol_page *out);

/*
 * difflib's quick_ratio of two digests, 0.0 .. 1.0, as Python computes
 * it (2.0 * M / T in double): 1.0 when both are empty, 0.0 when only one
 * is. Only hist is read, as a digest may come from a facts file: sums
 * saturate and the result is held to 0.0 .. 1.0 whatever it holds.
 */
double nh_webpol_page_ratio(
    const struct nh_webpol_page *a, const struct nh_webpol_page *b);

/*
 * The distance Internet.nl judges: 100 - ratio * 100 in double, as Python
 * computes it (a float, not rounded), 0.0 .. 100.0. Internet.nl compares
 * that float with NH_WEBPOL_PAGE_MAX_DISTANCE, then stores it in an
 * integer column (Django IntegerField: int(), toward zero); (int) of this
 * value is the one stored, so 10.5 fails, stored as 10.
 */
double nh_webpol_page_distance(
    const struct nh_webpol_page *a, const struct nh_webpol_page *b);

/* The same site: distance <= NH_WEBPOL_PAGE_MAX_DISTANCE. */
bool nh_webpol_page_similar(
    const struct nh_webpol_page *a, const struct nh_webpol_page *b);

#endif
