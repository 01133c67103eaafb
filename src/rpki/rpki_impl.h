/*
 * rpki_impl.h: what the files of src/rpki/ share. Internal.
 *
 * The lookup structure (table.c). Each kind of entry (VRPs, routes) is a
 * pair of arrays, one per family, sorted by (prefix address, prefix
 * length, ASN, maxLength) without duplicates. Two prefixes are nested or
 * disjoint, so in that order every prefix that covers an address (or a
 * prefix) is the entry found by one binary search (the last whose
 * (address, length) is at most the key's) or one of the prefixes that
 * enclose it: each entry holds `up`, the index of the last entry of the
 * nearest prefix that strictly contains its own (RPKI_NONE at the top).
 * A lookup is one binary search (within one bucket of an index of the
 * top 16 address bits), a climb to the first enclosing prefix that
 * covers the key, then the chain above it: at most 33 or 129 links, plus
 * the entries it returns.
 *
 * Entries are 16 bytes for IPv4 and 32 for IPv6 (the address, the ASN,
 * `up`, the length and maxLength; routes leave maxLength 0). For this
 * data that is less than a trie of nodes takes, a load only appends, and
 * nh_rpki_ready() is a radix sort and two linear passes.
 *
 * Keys: an address or prefix of either family as 128 bits, hi and lo, an
 * IPv4 address in the top 32 bits of hi, so one masking rule serves both.
 */
#ifndef NH_RPKI_IMPL_H
#define NH_RPKI_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rpki.h"

#define RPKI_NONE UINT32_MAX
#define RPKI_WHY 256 /* bytes of a parse error's reason */

/* An address (len = 32 or 128) or a prefix. */
struct rpki_key {
	uint64_t hi, lo;
	unsigned len;
	int fam; /* 4 or 6 */
};

struct rpki_e4 {
	uint32_t addr, asn;
	uint32_t up; /* the last entry of the enclosing prefix, or RPKI_NONE */
	uint8_t len, maxlen;
};

struct rpki_e6 {
	uint64_t hi, lo;
	uint32_t asn, up;
	uint8_t len, maxlen;
};

/*
 * An index of a sorted family: idx[h] is the first entry whose key's top
 * `bits` bits are >= h, for h = 0 .. 2^bits (idx[2^bits] = n), so the
 * binary search starts in one bucket of the address space instead of the
 * whole array (a few cache misses instead of twenty). bits = 0: none.
 * Up to 16 bits, about one bucket per 8 entries: at most 256 KB.
 */
struct rpki_index {
	uint32_t *idx;
	unsigned bits;
};

/* The entries of one kind. */
struct rpki_tbl {
	struct rpki_e4 *v4;
	struct rpki_e6 *v6;
	size_t n4, cap4, n6, cap6;
	struct rpki_index ix4, ix6; /* valid while ready */
};

struct nh_rpki {
	struct rpki_tbl vrps, routes;
	bool ready; /* sorted and linked since the last load */
};

/* ---- table.c ---- */

enum rpki_add { RPKI_ADD_OK, RPKI_ADD_NOMEM, RPKI_ADD_FULL };

/* Appends an entry (k->len, maxlen already checked). */
enum rpki_add rpki_tbl_add(struct rpki_tbl *t, const struct rpki_key *k,
    unsigned maxlen, uint32_t asn);

/* Where a load started, to undo it. */
struct rpki_mark {
	size_t n4, n6;
};
void rpki_tbl_mark(const struct rpki_tbl *t, struct rpki_mark *m);
void rpki_tbl_undo(struct rpki_tbl *t, const struct rpki_mark *m);
size_t rpki_tbl_added(const struct rpki_tbl *t, const struct rpki_mark *m);

/* Sorts, drops duplicates, links, trims. */
void rpki_tbl_ready(struct rpki_tbl *t);
void rpki_tbl_free(struct rpki_tbl *t);
size_t rpki_tbl_count(const struct rpki_tbl *t);
size_t rpki_tbl_memory(const struct rpki_tbl *t);

/* One entry met by a walk. */
struct rpki_hit {
	struct rpki_key k; /* the entry's prefix */
	uint32_t asn;
	unsigned maxlen;
};

/*
 * The entries whose prefix covers `k` (contains it, with a length at most
 * k->len): start, then next until it returns false. The most specific
 * prefix first; entries of one prefix in table order (by ASN). The table
 * must be ready and not change during the walk.
 */
struct rpki_walk {
	const struct rpki_tbl *t;
	int fam;
	size_t i, end; /* entries of the current prefix still to give */
	uint32_t next; /* the last entry of the next prefix, or RPKI_NONE */
};
void rpki_walk_start(
    struct rpki_walk *w, const struct rpki_tbl *t, const struct rpki_key *k);
bool rpki_walk_next(struct rpki_walk *w, struct rpki_hit *h);

/* Clears the bits of hi/lo after the first len. */
static inline void
rpki_mask(uint64_t *hi, uint64_t *lo, unsigned len)
{
	if (len == 0) {
		*hi = 0;
		*lo = 0;
	} else if (len < 64) {
		*hi &= ~(UINT64_MAX >> len);
		*lo = 0;
	} else if (len == 64) {
		*lo = 0;
	} else if (len < 128) {
		*lo &= ~(UINT64_MAX >> (len - 64));
	}
}

/* ---- rov.c ---- */

/* The RFC 6811 state of the route k (a prefix) originated by asn. */
enum nh_rov rpki_rov(
    const struct rpki_tbl *vrps, const struct rpki_key *k, uint32_t asn);

/* ---- text.c: values, lines, messages, files ---- */

/* Writes "fmt ..." into err (size > 0), cut to fit. */
void rpki_err(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A printable copy of untrusted text: at most 48 bytes of it, bytes that
 * are not printable ASCII as '?', "..." when cut. out holds 56 bytes. */
#define RPKI_QUOTE 56
const char *rpki_quote(const char *s, size_t n, char out[RPKI_QUOTE]);

/* An IPv4 or IPv6 address in text (not NUL-terminated) into k (len set
 * to 32 or 128). Returns false when it is not one. */
bool rpki_parse_addr(const char *s, size_t n, struct rpki_key *k);

/* A decimal number of at most 10 digits, <= max. */
bool rpki_parse_uint(const char *s, size_t n, uint32_t max, uint32_t *v);

/*
 * The prefix "address/length" (len_s == NULL), or the address `s` with
 * the length in text `len_s` (pfx2as). Host bits must be zero. Returns
 * false with the reason in why (RPKI_WHY bytes).
 */
bool rpki_parse_prefix(const char *s, size_t n, const char *len_s, size_t len_n,
    struct rpki_key *k, char *why);

/* An ASN: digits, with or without "AS" or "AS " (any case). Returns false
 * with the reason in why. */
bool rpki_parse_asn(const char *s, size_t n, uint32_t *asn, char *why);

/* maxLength in text, checked against the prefix k. */
bool rpki_parse_maxlen(const char *s, size_t n, const struct rpki_key *k,
    unsigned *maxlen, char *why);
/* The same check for a number already read; v is any value. */
bool rpki_check_maxlen(unsigned long long v, const struct rpki_key *k,
    unsigned *maxlen, char *why);

/* Skips a UTF-8 byte order mark and white space; returns the offset of
 * the first other byte (len when none). */
size_t rpki_content_start(const char *buf, size_t len);

/* Lines of a buffer. */
struct rpki_lines {
	const char *buf;
	size_t len, off;
	size_t lineno; /* of the line last returned, from 1 */
};
void rpki_lines_init(struct rpki_lines *l, const char *buf, size_t len);
/* The next line without its LF or CR LF: 1, or 0 at the end, or -1 when
 * the line is longer than NH_RPKI_MAX_LINE or holds a NUL byte (lineno
 * is that line's; *why says which). */
int rpki_lines_next(
    struct rpki_lines *l, const char **s, size_t *n, const char **why);
/* Whether a line is to be skipped: empty, blank, or a '#' comment. */
bool rpki_line_skip(const char *s, size_t n);

/* A field of a line. */
struct rpki_span {
	const char *s;
	size_t n;
};
/*
 * Splits a line at `sep` (or, when sep is ' ', at runs of spaces and
 * TABs) into at most max fields, each trimmed of spaces and TABs and, when
 * quoted, of its double quotes. Returns the number of fields (those after
 * max not stored), or -1 with *why when a quote is not closed.
 */
int rpki_split(const char *s, size_t n, char sep, struct rpki_span *f,
    size_t max, const char **why);

/* Case-insensitive equality of a span and a string. */
bool rpki_span_is(const struct rpki_span *f, const char *word);

/*
 * Reads the file at path, whole, then runs from() on its bytes with the
 * path as the name. Returns what from() returns, or -1 with err when the
 * file cannot be read (or is larger than NH_RPKI_MAX_FILE).
 */
int rpki_with_file(struct nh_rpki *r, const char *path,
    int (*from)(
	struct nh_rpki *, const char *, size_t, const char *, char *, size_t),
    char *err, size_t errsize);

/* ---- json.c ---- */

/* The "roas" of rpki-client / Routinator JSON into t; 0, or -1 with err.
 * Entries added before a failure stay (the caller undoes them). */
int rpki_json_vrps(struct rpki_tbl *t, const char *buf, size_t len,
    const char *name, char *err, size_t errsize);

#endif /* NH_RPKI_IMPL_H */
