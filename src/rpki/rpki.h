/*
 * rpki.h: validated ROA payloads (VRPs), announced routes, and route
 * origin validation (RFC 6811), sized for the real Internet (about 700k
 * VRPs and 1.2M routes). The data the RPKI checks of
 * ../shared/internetnl-catalog.md §1.5 and §2.5 need: which routes cover
 * an address, what the RPKI says of each, and whether any VRP covers it.
 *
 * This is the face of src/rpki/. Pure data and functions: no network, no
 * event loop, no global state. Files are read whole (mapped when they are
 * regular files), parsed in place, and dropped after the load.
 *
 * Life of a set: nh_rpki_new(), any number of loads, nh_rpki_ready(),
 * then lookups. A load after nh_rpki_ready() is allowed; the set must be
 * made ready again before the next lookup (a lookup on a set that is not
 * ready is a bug: it aborts). Lookups never change the set, so once it is
 * ready any number of threads may look up at the same time.
 *
 * Formats, detected from the content (a UTF-8 byte order mark and leading
 * white space are skipped):
 *
 * VRPs
 *   - JSON, when the content starts with '{': the "roas" array of the
 *     top-level object, as written by rpki-client -j and by Routinator
 *     (vrps -f json, -f jsonext). Each element an object with "asn" (a
 *     number, 64500, or a string: "AS64500", "AS 64500", "64500"), "prefix"
 *     ("203.0.113.0/24"), and "maxLength" (a number; when absent, the
 *     prefix length). Every other member ("ta", "expires", "source", ...)
 *     and every other top-level member ("metadata", "aspas", ...) is
 *     skipped, whatever it holds. Read by a bounded streaming reader, not
 *     jansson: jansson takes 3 s and 600 MB for 700k ROAs.
 *   - CSV, when the first line is the header "ASN,IP Prefix,Max Length"
 *     followed by any further columns (Routinator -f csv and -f
 *     csvcompat, rpki-client's csv file with its Expires column). Rows
 *     "AS64500,203.0.113.0/24,24,ta"; fields may be in double quotes;
 *     columns after the third are ignored.
 * Routes
 *   - CAIDA prefix-to-AS (pfx2as), when the first line holds a TAB:
 *     "203.0.113.0<TAB>24<TAB>64500". The origin field may name several
 *     origins, "64500_64501" (multi-origin: one route each), and an
 *     element may be an AS set, "64500,64501" (the route's last AS_PATH
 *     segment was an AS_SET). RFC 6811 §2 gives such a route the origin
 *     NONE, which no VRP matches; such origins are deprecated (RFC 6472)
 *     and rare, and they are skipped: not loaded, not an error.
 *   - CSV, when the first line holds a ',' and no TAB:
 *     "203.0.113.0/24,64500" (ASN with or without "AS"; origins may be
 *     joined by '_' as in pfx2as). A first line whose first field holds
 *     no '/' is a header and is skipped. Columns after the second are
 *     ignored.
 * In the line formats, empty lines and lines starting with '#' are
 * skipped; lines end with LF or CR LF and hold at most NH_RPKI_MAX_LINE
 * bytes.
 *
 * Values, in every format: a prefix is an IPv4 or IPv6 address, '/', and
 * a decimal length at most 32 or 128; its host bits (those after the
 * length) must be zero, as rpki-client, Routinator and CAIDA always write
 * them: RFC 6811 compares prefixes, and a prefix with host bits set is a
 * malformed file, not something to guess about. maxLength lies between
 * the prefix length and 32 or 128. An ASN is 0 to 4294967295 (AS0 is
 * allowed: RFC 6483 §4, RFC 7607; a VRP with AS0 never matches a route).
 *
 * Errors: a load either adds every entry of the file or none. On failure
 * `err` says where and what, NUL-terminated and cut to `errsize`:
 *   "vrps.csv:12: prefix length 33 is longer than 32 in \"10.0.0.0/33\""
 *   "vrps.json:3: byte 187: expected ':' after a member name, found '['"
 *   "vrps.json:9: byte 402: roas[1]: host bits set in \"10.0.0.1/24\": the
 *    bits after the prefix length must be zero"
 *   "routes.pfx2as:7: 2 fields where a pfx2as line has
 *    prefix<TAB>length<TAB>AS"
 * (JSON: the line and the byte, counted from 1 from the start of the
 * file; the ROA by its index in "roas".)
 * Text from the file is quoted at most 48 bytes long, with bytes that are
 * not printable ASCII shown as '?'. A file without any entry is an error
 * ("no VRPs", "no routes").
 *
 * Caps: a file at most NH_RPKI_MAX_FILE bytes, a line NH_RPKI_MAX_LINE,
 * JSON nesting NH_RPKI_MAX_DEPTH, and NH_RPKI_MAX_ENTRIES VRPs and as many
 * routes in a set.
 *
 * Structure and cost (rpki_impl.h): sorted arrays, one per kind and
 * family, each prefix linked to the one that encloses it, and an index of
 * the top 16 bits of the address. Memory once ready: 16 bytes per IPv4
 * and 32 per IPv6 entry (VRP or route), plus at most 1 MB of indexes;
 * while loading, up to twice the entries, plus the file being read. A
 * lookup is a binary search within one bucket and a walk up the chain of
 * enclosing prefixes: about a microsecond at the Internet's size
 * (bench/rpki_bench.c).
 */
#ifndef NH_RPKI_H
#define NH_RPKI_H

#include <stddef.h>
#include <stdint.h>

#define NH_RPKI_MAX_FILE ((size_t)1 << 30) /* bytes in one file */
#define NH_RPKI_MAX_LINE 4096              /* bytes in one line, LF included */
#define NH_RPKI_MAX_DEPTH 64               /* JSON nesting */
#define NH_RPKI_MAX_ENTRIES ((size_t)1 << 24) /* VRPs, and routes, in a set */

/* The RFC 6811 §2 validation state of a route, Invalid split in two. */
enum nh_rov {
	NH_ROV_NOT_FOUND,      /* no VRP covers the route */
	NH_ROV_VALID,          /* a covering VRP matches: origin, maxLength */
	NH_ROV_INVALID_ASN,    /* covered; no covering VRP has the origin */
	NH_ROV_INVALID_LENGTH, /* a covering VRP has the origin, but every
				  such VRP's maxLength is shorter than the
				  route's prefix */
};

/* "not_found", "valid", "invalid_asn", "invalid_length"; a static string.
 * Any other value gives "unknown". */
const char *nh_rov_name(enum nh_rov s);

/* A set of VRPs and routes. */
struct nh_rpki;

/* An empty set, or NULL when out of memory. Caller frees with
 * nh_rpki_free(). */
struct nh_rpki *nh_rpki_new(void);

/* Frees a set and everything in it. NULL is safe. */
void nh_rpki_free(struct nh_rpki *r);

/*
 * Loads the file at `path` (format detected) and adds its entries to the
 * set. Returns 0, or -1 with nothing added and the reason in err (size
 * errsize > 0). The file is not kept open nor referred to afterwards.
 */
int nh_rpki_load_vrps(
    struct nh_rpki *r, const char *path, char *err, size_t errsize);
int nh_rpki_load_routes(
    struct nh_rpki *r, const char *path, char *err, size_t errsize);

/*
 * The same from memory: `buf` holds `len` bytes (any bytes; no NUL
 * needed; borrowed for the call only). `name` stands for the file in
 * messages.
 */
int nh_rpki_vrps_from(struct nh_rpki *r, const char *buf, size_t len,
    const char *name, char *err, size_t errsize);
int nh_rpki_routes_from(struct nh_rpki *r, const char *buf, size_t len,
    const char *name, char *err, size_t errsize);

/*
 * Makes the set ready for lookups, after the loads: sorts, drops
 * duplicates (the same VRP from two trust anchors, the same route from
 * two files), links each prefix to the one that covers it, indexes, and
 * trims the memory. Returns 0: when memory is short it sorts in place
 * and goes without an index, slower but right.
 */
int nh_rpki_ready(struct nh_rpki *r);

/* Entries in the set: after nh_rpki_ready(), without duplicates. */
size_t nh_rpki_vrp_count(const struct nh_rpki *r);
size_t nh_rpki_route_count(const struct nh_rpki *r);

/* Bytes the set holds for its entries (not counting struct nh_rpki). */
size_t nh_rpki_memory(const struct nh_rpki *r);

/* An announced route and its RFC 6811 state. */
struct nh_rpki_route {
	char prefix[48]; /* the prefix's address, "203.0.113.0", "2001:db8::" */
	unsigned len;    /* its length */
	uint32_t asn;    /* its origin */
	enum nh_rov state;
};

/*
 * Every announced route that covers the address `ip` (IPv4 or IPv6 text;
 * an IPv4-mapped IPv6 address counts as its IPv4 address), with its RFC
 * 6811 state: the most specific first, routes of one prefix by origin.
 * Fills out[0 .. min(n, cap)) and returns n, the number of covering
 * routes, which may exceed cap (out may be NULL when cap is 0). An `ip`
 * that is not an address has no routes: 0.
 */
size_t nh_rpki_routes_for(const struct nh_rpki *r, const char *ip,
    struct nh_rpki_route *out, size_t cap);

/*
 * How many VRPs cover the address `ip` (the "does a ROA exist" question
 * of Internet.nl's rpki checks): those whose prefix contains it,
 * whatever their ASN and maxLength. 0 when `ip` is not an address.
 */
size_t nh_rpki_vrps_covering(const struct nh_rpki *r, const char *ip);

/*
 * The RFC 6811 state of the route `prefix`/`len` (the prefix's address
 * in text, "203.0.113.0") originated by `asn`. Address bits after `len`
 * are ignored. An address that does not parse, or a length beyond its
 * family, gives NH_ROV_NOT_FOUND.
 */
enum nh_rov nh_rpki_validate(
    const struct nh_rpki *r, const char *prefix, unsigned len, uint32_t asn);

#endif /* NH_RPKI_H */
