/*
 * webpol.h: judges of the policies servers publish. What a web server
 * says over HTTP: for the HTTPS category (../shared/internetnl-catalog.md
 * §1.3) Strict-Transport-Security and HTTP compression; for the security
 * options category (§1.4) X-Frame-Options, X-Content-Type-Options,
 * Referrer-Policy, Content-Security-Policy and security.txt (RFC 9116);
 * for the same-site check (§1.1) the page digest. What a mail domain
 * publishes in the DNS (§2.3): SPF, DMARC, and the transport policies
 * MTA-STS and TLS-RPT.
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
 * error of the standard), NH_INFO for a recommendation, NH_FAILED where
 * a scored requirement is not met (HSTS, SPF, DMARC), and NH_PASSED for a
 * note that explains a pass; every judge gives at least one finding. The check
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

/*
 * The findings of a result as one line for a person, into msg (size > 0,
 * NUL-terminated, cut when it does not fit): the most severe first, at
 * most three, joined by "; ", then "(and N more)" when there are more.
 */
void nh_webpol_summary(
    const struct nh_webpol_result *r, char *msg, size_t size);

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

/*
 * DMARC (RFC 7489, np of RFC 9091, psd and t of RFC 9989), for the mail
 * authentication category (../shared/internetnl-catalog.md §2.3,
 * mail_auth_dmarc_exist and mail_auth_dmarc_policy). The caller fetches
 * the TXT records of _dmarc.<domain> (or of the organizational domain),
 * joins the strings of each, counts those for which nh_dmarc_is_record()
 * holds, and judges the one record. Records are untrusted bytes: read
 * within len only, NULs are data, linear time.
 */
#define NH_DMARC_MAX_URIS 8

struct nh_dmarc {
	bool valid;                 /* the record follows the grammar */
	char p[16], sp[16], np[16]; /* "none" "quarantine" "reject" or "" */
	bool testing;               /* t=y */
	unsigned pct;               /* 100 when absent */
	/* The report URIs, in order, without their "!size" suffix: valid
	 * URIs, but bytes from the record (UTF-8, maybe non-ASCII): clean
	 * them before showing. Those past NH_DMARC_MAX_URIS or longer than
	 * 255 bytes are left out (uri_not_kept). */
	char rua[NH_DMARC_MAX_URIS][256];
	size_t nrua;
	char ruf[NH_DMARC_MAX_URIS][256];
	size_t nruf;
};

/*
 * Parses one DMARC record (rec[0..len), the TXT strings joined; NULL only
 * when len is 0) into *out (the caller's, overwritten; all zero but pct
 * 100 unless valid) and judges it into *r. As strict as Internet.nl's
 * grammar, which is RFC 7489 §6.4's ABNF:
 *   - "v=DMARC1" first ("v" any case, DMARC1 in capitals, white space
 *     around '=' allowed), then ';';
 *   - p= the first tag when present; without it, no other tag may follow
 *     (except after an empty place, "v=DMARC1;;rua=...", as the ABNF has
 *     it);
 *   - only the tags v p sp rua ruf adkim aspf ri fo rf pct np psd t, each
 *     once, names and word values in any case, white space (SP, HTAB)
 *     around ';', '=' and ',' but none after the last value unless a ';'
 *     ends the record;
 *   - values: p sp np none|quarantine|reject; adkim aspf r|s; ri digits;
 *     fo 0|1|d|s separated by ':'; rf keywords separated by ':'; pct 0 to
 *     100 (1-3 digits); psd y|n|u; t y|n; rua ruf one or more URIs with a
 *     scheme, separated by ',', each with at most one '!' followed by a
 *     size (digits and k, m, g or t).
 * Findings: the first error is NH_FAILED "syntax" naming the character
 * where it is and why; otherwise NH_PASSED "dmarc_ok" with, as NH_INFO,
 * "no_policy" (no p=), "testing" (t=y), "pct" (pct < 100), "no_rua",
 * "uri_not_kept". Whether the policy protects enough is for the caller
 * (p, sp, np, testing).
 */
void nh_dmarc_parse(const char *rec, size_t len, struct nh_dmarc *out,
    struct nh_webpol_result *r);

/* A TXT record counts as DMARC when it starts with "v=DMARC1" in any
 * case (as Internet.nl counts them; then nh_dmarc_parse() judges it). */
bool nh_dmarc_is_record(const char *rec, size_t len);

/*
 * The host of a mailto: rua/ruf URI ("mailto:a@b.example!10m" ->
 * "b.example"): after the last '@' before any '?', up to any '!', one
 * trailing dot dropped, lower case, into host (size bytes). False, host
 * empty, when there is none: not mailto:, an empty local part, or a host
 * that is not a DNS name of letters, digits, '-' and '_'.
 */
bool nh_dmarc_uri_host(const char *uri, char *host, size_t size);

/*
 * MTA-STS (RFC 8461) and TLS-RPT (RFC 8460). The caller fetches the TXT
 * records of _mta-sts.<domain> and _smtp._tls.<domain>, keeps those for
 * which nh_mtasts_is_record() / nh_tlsrpt_is_record() holds (RFC 8461
 * §3.1, RFC 8460 §3: records that do not begin so are discarded; not
 * exactly one means no policy), and judges the one left; it fetches
 * https://mta-sts.<domain>/.well-known/mta-sts.txt and judges the answer
 * with the domain's MX host names. Errors of the standard are NH_WARNING,
 * recommendations NH_INFO.
 */

/* Begins with "v=STSv1;" (case-sensitive). */
bool nh_mtasts_is_record(const char *rec, size_t len);

/*
 * The _mta-sts TXT record (RFC 8461 §3.1: "v=STSv1" then fields
 * separated by ';' with white space around, id=<1-32 letters and digits>
 * required, other name=value fields ignored). Findings: NH_WARNING
 * "mtasts_record_syntax" (the character where, and why) or
 * "mtasts_record_no_id"; else NH_PASSED "mtasts_record_ok", and NH_INFO
 * "duplicate_field" when id= is repeated (the first counts). When the
 * record is valid, its id is copied to id (id_size >= 33 always fits;
 * else left empty); id is "" otherwise. id may be NULL when id_size is 0.
 */
void nh_mtasts_txt(const char *rec, size_t len, char *id, size_t id_size,
    struct nh_webpol_result *r);

struct nh_mtasts_policy {
	/* Served as senders require, and version, mode, max_age and (unless
	 * mode is none) an mx pattern valid. */
	bool valid;
	char mode[16];         /* enforce testing none; "" if absent or bad */
	unsigned long max_age; /* seconds; 0 if absent or bad */
	/* The valid mx patterns as written ("mail.example", "*.example"),
	 * the first 16; all of them are matched. */
	char mx[16][256];
	size_t nmx;
};

/* The answer to the policy URL. */
struct nh_mtasts_fetch {
	int status;               /* HTTP status; 0: no answer */
	const char *content_type; /* NUL-terminated; NULL: absent */
	const char *body;         /* as received, not NUL-terminated (may
				     hold NULs); NULL only when len is 0 */
	size_t len;
	bool redirected; /* the fetch followed a redirect */
};

/*
 * Judges the policy answer *in against the domain's MX host names
 * (mx_names[0..n), NUL-terminated, any case, a trailing dot ignored; a
 * NULL element matches nothing) into *out (the caller's, about 4 KB,
 * overwritten) and *r.
 * The answer (RFC 8461 §3.3, §3.2): a status other than 200 is NH_WARNING
 * "http_status" and nothing more is read; a redirect followed
 * ("redirected") or a Content-Type other than text/plain ("content_type")
 * is NH_WARNING and leaves the policy not valid, the body still judged.
 * The body (§3.2): lines "key: value" ended by LF or CRLF, keys
 * case-sensitive, in any order; the first of a repeated version, mode or
 * max_age counts (NH_INFO "duplicate_field"); unknown keys are ignored.
 * NH_WARNING: "policy_syntax" (a line not of that form), "key_case"
 * ("Mode:"), "version_missing",
 * "version_invalid" (not STSv1), "mode_missing", "mode_invalid" (not
 * enforce, testing or none), "max_age_missing", "max_age_invalid" (not
 * 1-10 digits up to 31557600), "mx_invalid" (a pattern that is not a
 * host name or "*." and one), "mx_missing" (no valid mx, mode not none),
 * "mx_mismatch" (an MX host no pattern matches, §4.1: "*." stands for
 * exactly one left-most label; checked unless mode none; each MX host
 * named). Of policy_syntax, mx_invalid and key_case, the first 3 lines
 * are named, the rest counted in one more finding. NH_INFO:
 * "blank_line", "mode_testing", "mode_none", "max_age_short" (under a
 * day, or under a week: §3.2 expects weeks). NH_PASSED "mtasts_ok" for a
 * valid policy in enforce mode that matches every MX host.
 * Time: linear in len for each MX host name.
 */
void nh_mtasts_policy(const struct nh_mtasts_fetch *in,
    const char *const *mx_names, size_t n, struct nh_mtasts_policy *out,
    struct nh_webpol_result *r);

/* Begins with "v=TLSRPTv1;" (case-sensitive). */
bool nh_tlsrpt_is_record(const char *rec, size_t len);

/*
 * The _smtp._tls TXT record (RFC 8460 §3: "v=TLSRPTv1" then fields
 * separated by ';', rua=<URIs separated by ','> required, other
 * name=value fields ignored). Findings: NH_WARNING "tlsrpt_syntax" (the
 * character where, and why), "rua_missing", "rua_repeated", "rua_scheme"
 * (a URI neither mailto: nor https:), "rua_invalid" (a mailto: without a
 * host name, an https: without a host); NH_PASSED "tlsrpt_ok" when at
 * least one rua URI is usable.
 */
void nh_tlsrpt_txt(const char *rec, size_t len, struct nh_webpol_result *r);

/*
 * SPF (RFC 7208), for mail_auth_spf_exist and mail_auth_spf_policy
 * (../shared/internetnl-catalog.md §2.3). The judge makes no lookup: it
 * asks the caller's callback. A caller that gathers facts first runs the
 * judge with a callback that answers what it has (rcode -2 for the rest)
 * and notes what was asked, fetches that, and runs it again until nothing
 * new is asked (a tree costs some 30 questions at most, repeats
 * included, as both walks stop following at the lookup limit);
 * nh_spf_queries() gives the first round.
 */
#define NH_SPF_MAX_LOOKUPS 10   /* DNS-querying terms (RFC 7208 §4.6.4) */
#define NH_SPF_MAX_VOID 2       /* lookups that find nothing (§4.6.4) */
#define NH_SPF_MAX_MX 10        /* MX records an mx term may look at */
#define NH_SPF_MAX_RECORD 65536 /* bytes of a record read */
#define NH_SPF_MAX_DEPTH 16     /* include and redirect nesting followed */

enum nh_spf_qtype {
	NH_SPF_Q_TXT, /* the TXT records of a name */
	NH_SPF_Q_A,   /* its A and AAAA records: the caller asks both */
	NH_SPF_Q_MX,  /* its MX records */
};

/* What the caller found for a name. The judge zeroes it, rcode -2,
 * before each call. */
struct nh_spf_answer {
	int rcode; /* 0 NOERROR, 3 NXDOMAIN, -1 the lookup failed (SERVFAIL,
		      timeout), -2 not looked up; anything else as -1 */
	const char *const *txt; /* Q_TXT: each TXT record, its strings
				   concatenated, NUL-terminated (a NULL
				   element is skipped) */
	size_t ntxt;
	size_t naddrs; /* Q_A: how many A + AAAA; Q_MX: how many MX */
};

/*
 * Answers one question into *out. name is lower case without a final dot,
 * valid during the call. The strings out points to are borrowed until
 * nh_spf_judge() returns (a parent record is read again after its
 * includes are fetched). The same question may come more than once and
 * must get the same answer.
 */
typedef void (*nh_spf_lookup_fn)(void *ctx, const char *name,
    enum nh_spf_qtype t, struct nh_spf_answer *out);

/* A question the evaluation of a record asks. */
struct nh_spf_query {
	char name[256]; /* lower case, no final dot; a macro target as
			   written, cut at 255 bytes */
	enum nh_spf_qtype type;
	bool macro; /* the target holds a macro (%{...}), expanded for each
		       message: listed, never to be queried */
};

/*
 * The names the evaluation of `record` (the SPF record of `domain`) would
 * query next, in the order of its terms, one per term (a name may come
 * twice): include targets (TXT), a and exists targets (A), mx targets
 * (MX), a bare a or mx asking for `domain`, and, when the record has no
 * all, its redirect target (TXT), last. Terms after all are not
 * evaluated, so not listed; ptr queries the client's address, unknown
 * here, so is not listed; neither is exp (looked up only to explain a
 * failure). A target that is no valid domain name is left out. A record
 * that is not SPF or has a syntax error asks nothing (a permerror comes
 * first). Fills out[0..cap) (out may be NULL when cap is 0) and returns
 * how many there are, which may be more than cap. Linear time.
 */
/* A TXT record (its strings joined, NUL-terminated) is an SPF record:
 * "v=spf1" in any case, then a space or the end (RFC 7208 §4.5). Reads at
 * most 7 bytes. */
bool nh_spf_is_record(const char *rec);

size_t nh_spf_queries(const char *domain, const char *record,
    struct nh_spf_query *out, size_t cap);

struct nh_spf_result {
	int records;   /* SPF records found at the domain (RFC 7208 §4.5) */
	char all[8];   /* the qualifier of the all that decides, at the top or
			at the end of its redirects: "-", "~", "+" (also for
			a bare "all"), "?", or "" when none is seen */
	bool redirect; /* the policy goes on through a redirect */
	unsigned lookups; /* DNS-querying terms evaluated over the tree (at
			     least 11 once past the limit: following stops) */
	unsigned void_lookups;
	bool internetnl_lookups_exceeded; /* Internet.nl's verdict would be
					     its max_dns_lookups */
	int internetnl_points; /* what Internet.nl's mail_auth_spf_policy
				  gives, of 10: 10, 2 (a weak policy, too
				  many lookups, a bad include or redirect
				  target) or 0 (no single record, a syntax
				  error; Internet.nl's first problem wins) */
};

/*
 * Judges the SPF policy of `domain`. Asks lookup(domain, TXT); exactly
 * one TXT record must be SPF ("v=spf1", any case, then a space or the
 * end; §4.5). Parses it by the ABNF of §12 (mechanisms, qualifiers,
 * modifiers, prefix lengths, domain-spec and macro-string of §7.1; at
 * most NH_SPF_MAX_RECORD bytes, linear time), then evaluates the tree as
 * a receiver would for a client that matches nothing: terms in order up
 * to the first all, include targets followed as they come, the redirect
 * followed when the record has no all (§6.1), a, mx and exists targets
 * looked up. It counts every include, a, mx, ptr, exists and followed
 * redirect (a:host and a/cidr too, §4.6.4) and the lookups that answer
 * NXDOMAIN or no records. Past 10 it follows nothing more, so loops end.
 * Fills *out and *r (the caller's; overwritten).
 *
 * Findings. NH_FAILED, as Internet.nl fails spf_exist or spf_policy:
 *   no_spf, multiple_spf; syntax (the term, its number and byte, why);
 *   all_permissive (+all, all or ?all decides; Internet.nl gives 2
 *   points); no_all (neither all nor redirect: neutral, §4.7);
 *   include_missing, redirect_missing (the target has no SPF record,
 *   several, or an invalid one, or is no domain name: permerror, §5.2,
 *   §6.1); include_permissive (an included record ends in +all or all);
 *   too_many_lookups (more than 10); and, which Internet.nl does not
 *   check, too_many_void_lookups (more than 2) and too_many_mx (an mx
 *   target with more than 10 MX records, §4.6.4).
 * NH_ERROR lookup_error: a needed lookup failed or was not made
 *   (temperror). NH_WARNING invalid_name: a target with an empty label or
 *   a label over 63 bytes, never matching.
 * NH_PASSED spf_ok, naming the all and the lookup count, when nothing
 *   failed; NH_INFO notes, once each: softfail_all (~all rather than
 *   -all is a choice), ptr (§5.5 SHOULD NOT), macro (a target not looked
 *   up), loop (include or redirect back to a record being evaluated),
 *   after_all (terms never evaluated), redirect_ignored
 *   (beside an all), unknown_modifier, exp, lookups_rfc (compat: RFC 7208
 *   counts more than 10 where Internet.nl does not).
 * Inside an include, ?all, ~all and a missing all are fine.
 *
 * internetnl_compat: too_many_lookups follows Internet.nl's count
 * (checks/tasks/mail.py): it counts include, redirect, any term holding
 * "mx", "ptr" or "exists", and a bare "a" (not a:host, a/cidr, +a), and
 * it checks only before following an include or redirect, after counting
 * the whole record (so 11 mx alone pass). Otherwise it follows RFC 7208.
 * The out fields are the same in both modes.
 */
void nh_spf_judge(const char *domain, nh_spf_lookup_fn lookup, void *ctx,
    bool internetnl_compat, struct nh_spf_result *out,
    struct nh_webpol_result *r);

#endif
