/*
 * webpol_impl.h: helpers the judges of src/webpol/ share: findings,
 * bounded spans of untrusted text, header list splitting, printable
 * excerpts, and the small syntax validators of syntax.c. Internal to
 * src/webpol/.
 */
#ifndef NH_WEBPOL_IMPL_H
#define NH_WEBPOL_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "webpol.h"

/* A piece of a borrowed string: p[0..len), not NUL-terminated. */
struct wp_span {
	const char *p;
	size_t len;
};

/* Clears r: no findings, status NH_PASSED. */
void nh_wp_init(struct nh_webpol_result *r);

/*
 * Adds a finding: code (copied, cut to fit) and a printf message (cut to
 * fit at a UTF-8 boundary). Its status counts in r->status even when it
 * does not fit (see struct nh_webpol_result).
 */
void nh_wp_add(struct nh_webpol_result *r, enum nh_status st, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Writes a printable copy of untrusted text into out (cap >= 8 bytes,
 * NUL-terminated) and returns out: valid UTF-8 is kept, control bytes and
 * invalid sequences become '?', and text longer than fits ends in "...".
 */
const char *nh_wp_excerpt(const char *s, size_t len, char *out, size_t cap);

/* Same, for a span. */
#define WP_EXCERPT(sp, buf) nh_wp_excerpt((sp).p, (sp).len, (buf), sizeof(buf))

/* Span helpers. */
struct wp_span nh_wp_span_str(const char *s);    /* NULL: empty */
struct wp_span nh_wp_trim_ows(struct wp_span s); /* SP and HTAB both ends */
bool nh_wp_span_ieq(struct wp_span s, const char *lit); /* ASCII, any case */
bool nh_wp_span_iprefix(struct wp_span s, const char *lit);
bool nh_wp_span_isuffix(struct wp_span s, const char *lit);
char nh_wp_lower(char c);

/*
 * Iterates the elements of a comma-separated header list over every field
 * line (WHATWG Fetch "getting, decoding, and splitting"): commas inside
 * double quotes do not split; elements are trimmed of SP and HTAB and may
 * be empty. An absent header yields nothing; one empty line yields one
 * empty element.
 */
struct wp_list {
	const char *const *values;
	size_t n, i; /* field lines, the current one */
	size_t off;  /* where the next element of line i starts */
};

void nh_wp_list_init(struct wp_list *l, const char *const *values, size_t n);
bool nh_wp_list_next(struct wp_list *l, struct wp_span *out);

/* syntax.c: validators of untrusted text. */

/*
 * The length of the valid UTF-8 sequence at s (at most len bytes), 1-4,
 * with the code point in *cp; 0 when invalid (overlong, surrogate, above
 * U+10FFFF, cut short).
 */
size_t nh_wp_utf8_seq(const unsigned char *s, size_t len, uint32_t *cp);

/* Offset of the first invalid UTF-8 byte of s[0..len), or len. */
size_t nh_wp_utf8_check(const unsigned char *s, size_t len);

/*
 * RFC 3339 §5.6 date-time ("T" and "Z" in either case, fractions of a
 * second allowed, leap second 60 accepted as :59). Returns 0 and the time
 * in seconds since the epoch (UTC) in *t, or -1 with a reason in *why.
 */
int nh_wp_rfc3339(struct wp_span s, int64_t *t, const char **why);

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian). */
int64_t nh_wp_days_from_civil(int64_t y, unsigned m, unsigned d);
void nh_wp_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* RFC 5646 §2.1: a well-formed language tag (any case). */
bool nh_wp_langtag(struct wp_span s);

/*
 * A URI (RFC 3986 §3) as security.txt fields take it: a scheme, ':', and
 * no white space, control or other character a URI cannot hold
 * (non-ASCII is let through, as in an IRI). Returns 0 and the scheme in
 * *scheme, or -1 with a reason in *why.
 */
int nh_wp_uri(struct wp_span s, struct wp_span *scheme, const char **why);

/*
 * The host of a mailto: URI (RFC 6068; "mailto:" in any case): what follows
 * the last '@' before any '?', up to any '!' (a DMARC size limit), with
 * one trailing dot dropped, copied in lower case to host (size bytes,
 * NUL-terminated). False, host empty, when there is none: no mailto:, an
 * empty local part, a host that is not letters, digits, '-', '_' and dots
 * in labels of 1-63 (253 in all), or one that does not fit.
 */
bool nh_wp_mailto_host(struct wp_span uri, char *host, size_t size);

#endif
