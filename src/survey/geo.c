/*
 * geo.c: where an address belongs. AS from prefix-to-AS files (the route
 * loader of src/rpki/, most specific route wins), country from RIR
 * delegated statistics files (sorted ranges, binary search), and both
 * from MMDB files (libmaxminddb) where those say nothing.
 *
 * Order of the answers in nh_geo_locate(): AS from pfx2as, else from the
 * MMDB files in load order; country from the delegated files, else from
 * the MMDB files in load order (country.iso_code, else
 * registered_country.iso_code). A record's own values stay when no source
 * knows the address.
 *
 * Delegated statistics (the delegated-*-extended-latest format of the
 * five RIRs): "registry|cc|type|start|value|date|status[|opaque-id...]".
 * A version line ("2|ripencc|20240101|...", the first line that is not a
 * comment, its first field a number), summary lines ("ripencc|*|ipv4|*|
 * 12345|summary"), comments ('#') and empty lines are skipped; so are
 * asn rows and rows whose status is available or reserved. An ipv4 row's
 * value is a count of addresses, any count (not only powers of two); an
 * ipv6 row's value is a prefix length. Overlapping ranges (the same
 * block in two files) are allowed: the smallest range that holds an
 * address wins; of two equal ranges, the one loaded last.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <maxminddb.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rpki/rpki.h"
#include "survey/survey.h"
#include "survey/survey_impl.h"

#define NO_PARENT SIZE_MAX

/* An address range, both ends included; 16 bytes, IPv4 in the last 4
 * (network order) so that one comparison serves both families. */
struct geo_range {
	uint8_t lo[16];
	uint8_t hi[16];
	size_t parent; /* index of the smallest earlier range holding this
			  one, NO_PARENT when none */
	uint32_t seq;  /* load order: of equal ranges the last loaded wins */
	char cc[3];
};

struct geo_ranges {
	struct geo_range *v;
	size_t n, cap;
};

struct nh_geo {
	struct nh_rpki *rpki; /* pfx2as routes; NULL until one is loaded */
	struct geo_ranges r4, r6;
	uint32_t seq;
	MMDB_s mmdb[NH_GEO_MAX_MMDB];
	size_t nmmdb;
};

struct nh_geo *
nh_geo_new(void)
{
	return calloc(1, sizeof(struct nh_geo));
}

void
nh_geo_free(struct nh_geo *g)
{
	if (g == NULL)
		return;
	nh_rpki_free(g->rpki);
	free(g->r4.v);
	free(g->r6.v);
	for (size_t i = 0; i < g->nmmdb; i++)
		MMDB_close(&g->mmdb[i]);
	free(g);
}

int
nh_geo_load_pfx2as(struct nh_geo *g, const char *path, char *err, size_t errlen)
{
	if (g->rpki == NULL && (g->rpki = nh_rpki_new()) == NULL) {
		nh_survey_err(err, errlen, "%s: out of memory", path);
		return -1;
	}
	/* The rpki loader's message names the file and the line. */
	if (nh_rpki_load_routes(g->rpki, path, err, errlen) != 0)
		return -1;
	/* Lookups are const: the set is made ready after every load. */
	return nh_rpki_ready(g->rpki);
}

/* --- delegated statistics ------------------------------------------- */

static int
cmp_range(const void *pa, const void *pb)
{
	const struct geo_range *a = pa, *b = pb;
	int c = memcmp(a->lo, b->lo, 16);

	if (c != 0)
		return c;
	/* Same start: the larger range first, so that it encloses. */
	if ((c = memcmp(b->hi, a->hi, 16)) != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/*
 * Sorts the ranges and links each to the smallest earlier one that holds
 * it. A range that only overlaps an earlier one (neither holds the other)
 * is linked past it: every address of the earlier range at or after the
 * later one's start is in the later one too, so a lookup that lands on
 * the later range or anything after it loses nothing. The chain of
 * parents of the previous range serves as the stack of open ranges: no
 * allocation, linear time.
 */
static void
ranges_link(struct geo_ranges *rs)
{
	if (rs->n == 0)
		return;
	qsort(rs->v, rs->n, sizeof(rs->v[0]), cmp_range);
	rs->v[0].parent = NO_PARENT;
	for (size_t i = 1; i < rs->n; i++) {
		size_t cur = i - 1;

		while (cur != NO_PARENT &&
		    memcmp(rs->v[cur].hi, rs->v[i].hi, 16) < 0)
			cur = rs->v[cur].parent;
		rs->v[i].parent = cur;
	}
}

/* The smallest range holding the 16-byte address a, or NULL. */
static const struct geo_range *
ranges_find(const struct geo_ranges *rs, const uint8_t a[16])
{
	size_t lo = 0, hi = rs->n, i;

	/* The last range whose start is at or before a. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(rs->v[mid].lo, a, 16) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	for (i = lo - 1; i != NO_PARENT; i = rs->v[i].parent)
		if (memcmp(a, rs->v[i].hi, 16) <= 0)
			return &rs->v[i];
	return NULL;
}

static int
ranges_push(struct geo_ranges *rs, const struct geo_range *r)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 256;
		struct geo_range *v;

		if (rs->n >= NH_GEO_MAX_RANGES)
			return -1;
		if ((v = realloc(rs->v, cap * sizeof(*v))) == NULL)
			return -1;
		rs->v = v;
		rs->cap = cap;
	}
	rs->v[rs->n++] = *r;
	return 0;
}

/* A field of a '|'-separated line: [p, p + len). */
struct field {
	const char *p;
	size_t len;
};

#define DELEG_MAX_FIELDS 16

static bool
field_is(const struct field *f, const char *s)
{
	return f->len == strlen(s) && memcmp(f->p, s, f->len) == 0;
}

/* Decimal digits only, at most 20 of them, value at most max. */
static int
field_u64(const struct field *f, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (f->len == 0 || f->len > 20)
		return -1;
	for (size_t i = 0; i < f->len; i++) {
		unsigned d = (unsigned char)f->p[i] - '0';

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* A version number: digits and dots, "2", "2.3". */
static bool
is_version(const struct field *f)
{
	if (f->len == 0)
		return false;
	for (size_t i = 0; i < f->len; i++)
		if (!((f->p[i] >= '0' && f->p[i] <= '9') || f->p[i] == '.'))
			return false;
	return true;
}

/* Copies a field into a NUL-ended buffer: -1 when it does not fit. */
static int
field_str(const struct field *f, char *buf, size_t cap)
{
	if (f->len >= cap)
		return -1;
	memcpy(buf, f->p, f->len);
	buf[f->len] = '\0';
	return 0;
}

/* The field quoted for a message: at most 48 bytes, printable ASCII. */
static const char *
quoted(const struct field *f, char buf[52])
{
	size_t n = f->len < 48 ? f->len : 48;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)f->p[i];

		buf[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	buf[n] = '\0';
	return buf;
}

/*
 * One line (without its LF or CR LF). Returns 1 when it adds a range to
 * *out, 0 when it is to be skipped, -1 with why set.
 */
static int
deleg_line(const char *line, size_t len, bool first, struct geo_range *out,
    bool *v6, char *why, size_t whylen)
{
	struct field f[DELEG_MAX_FIELDS];
	size_t nf = 0, start = 0;
	char q[52], addr[INET6_ADDRSTRLEN + 1];
	uint64_t value;

	if (len == 0 || line[0] == '#')
		return 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && line[i] != '|')
			continue;
		if (nf == DELEG_MAX_FIELDS) {
			nh_survey_err(why, whylen, "more than %d fields",
			    DELEG_MAX_FIELDS);
			return -1;
		}
		f[nf].p = line + start;
		f[nf].len = i - start;
		nf++;
		start = i + 1;
	}
	/* Version line: "2|ripencc|20240101|211543|19830705|20240101|+0100" */
	if (first && is_version(&f[0])) {
		if (nf < 6) {
			nh_survey_err(why, whylen,
			    "%zu fields in the version line, which has 6 or 7",
			    nf);
			return -1;
		}
		return 0;
	}
	/* Summary: "ripencc|*|ipv4|*|12345|summary" */
	if (nf >= 2 && field_is(&f[1], "*") && field_is(&f[nf - 1], "summary"))
		return 0;
	if (nf < 7) {
		nh_survey_err(why, whylen,
		    "%zu fields where a record has "
		    "registry|cc|type|start|value|date|status",
		    nf);
		return -1;
	}
	if (field_is(&f[2], "asn"))
		return 0;
	if (!field_is(&f[2], "ipv4") && !field_is(&f[2], "ipv6")) {
		nh_survey_err(why, whylen,
		    "type \"%s\" is not ipv4, ipv6 or asn", quoted(&f[2], q));
		return -1;
	}
	if (field_is(&f[6], "available") || field_is(&f[6], "reserved"))
		return 0;
	if (!field_is(&f[6], "allocated") && !field_is(&f[6], "assigned")) {
		nh_survey_err(why, whylen,
		    "status \"%s\" is not allocated, assigned, available or "
		    "reserved",
		    quoted(&f[6], q));
		return -1;
	}
	memset(out, 0, sizeof(*out));
	if (f[1].len != 2 ||
	    !((f[1].p[0] >= 'A' && f[1].p[0] <= 'Z') ||
		(f[1].p[0] >= 'a' && f[1].p[0] <= 'z')) ||
	    !((f[1].p[1] >= 'A' && f[1].p[1] <= 'Z') ||
		(f[1].p[1] >= 'a' && f[1].p[1] <= 'z'))) {
		nh_survey_err(why, whylen, "country \"%s\" is not two letters",
		    quoted(&f[1], q));
		return -1;
	}
	out->cc[0] = (char)(f[1].p[0] & ~0x20);
	out->cc[1] = (char)(f[1].p[1] & ~0x20);
	if (field_str(&f[3], addr, sizeof(addr)) != 0) {
		nh_survey_err(why, whylen, "start \"%s\" is not an address",
		    quoted(&f[3], q));
		return -1;
	}
	if (field_is(&f[2], "ipv4")) {
		uint32_t a, last;

		*v6 = false;
		if (inet_pton(AF_INET, addr, &a) != 1) {
			nh_survey_err(why, whylen,
			    "start \"%s\" is not an IPv4 address",
			    quoted(&f[3], q));
			return -1;
		}
		if (field_u64(&f[4], (uint64_t)1 << 32, &value) != 0 ||
		    value == 0) {
			nh_survey_err(why, whylen,
			    "ipv4 value \"%s\" is not a count of addresses "
			    "from 1 to 4294967296",
			    quoted(&f[4], q));
			return -1;
		}
		a = ntohl(a);
		if ((uint64_t)a + value - 1 > UINT32_MAX) {
			nh_survey_err(why, whylen,
			    "%s + %llu addresses runs past 255.255.255.255",
			    addr, (unsigned long long)value);
			return -1;
		}
		last = (uint32_t)(a + (value - 1));
		for (int i = 0; i < 4; i++) {
			out->lo[12 + i] = (uint8_t)(a >> (24 - 8 * i));
			out->hi[12 + i] = (uint8_t)(last >> (24 - 8 * i));
		}
		return 1;
	}
	*v6 = true;
	if (inet_pton(AF_INET6, addr, out->lo) != 1) {
		nh_survey_err(why, whylen,
		    "start \"%s\" is not an IPv6 address", quoted(&f[3], q));
		return -1;
	}
	if (field_u64(&f[4], 128, &value) != 0) {
		nh_survey_err(why, whylen,
		    "ipv6 value \"%s\" is not a prefix length from 0 to 128",
		    quoted(&f[4], q));
		return -1;
	}
	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = value >= 8 * (i + 1) ? 8
		    : value > 8 * i                  ? (unsigned)value - 8 * i
						     : 0;
		uint8_t mask = (uint8_t)(0xff00u >> keep);

		if ((out->lo[i] & (uint8_t)~mask) != 0) {
			nh_survey_err(why, whylen,
			    "host bits set in %s/%llu: the bits after the "
			    "prefix length must be zero",
			    addr, (unsigned long long)value);
			return -1;
		}
		out->hi[i] = out->lo[i] | (uint8_t)~mask;
	}
	return 1;
}

/* Appends src's ranges to dst; -1 when out of memory or over the cap. */
static int
ranges_merge(struct geo_ranges *dst, const struct geo_ranges *src)
{
	size_t need = dst->n + src->n;
	struct geo_range *v;

	if (src->n == 0)
		return 0;
	if (need > NH_GEO_MAX_RANGES)
		return -1;
	if (need > dst->cap) {
		if ((v = realloc(dst->v, need * sizeof(*v))) == NULL)
			return -1;
		dst->v = v;
		dst->cap = need;
	}
	memcpy(dst->v + dst->n, src->v, src->n * sizeof(*v));
	dst->n = need;
	return 0;
}

int
nh_geo_delegated_from(struct nh_geo *g, const char *buf, size_t len,
    const char *name, char *err, size_t errlen)
{
	struct geo_ranges n4 = { 0 }, n6 = { 0 };
	size_t pos = 0, lineno = 0, old4 = g->r4.n;
	bool first = true;
	char why[200];
	int rc = -1;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - buf) : len;
		size_t ll = end - pos;
		struct geo_range r;
		bool v6 = false;
		int k;

		lineno++;
		if (ll + (nl != NULL) > NH_GEO_MAX_LINE) {
			nh_survey_err(err, errlen,
			    "%s:%zu: line longer than %d bytes", name, lineno,
			    NH_GEO_MAX_LINE);
			goto out;
		}
		if (ll > 0 && buf[pos + ll - 1] == '\r')
			ll--;
		if (memchr(buf + pos, '\0', ll) != NULL) {
			nh_survey_err(err, errlen,
			    "%s:%zu: NUL byte in the line", name, lineno);
			goto out;
		}
		k = deleg_line(buf + pos, ll, first, &r, &v6, why, sizeof(why));
		if (k < 0) {
			nh_survey_err(
			    err, errlen, "%s:%zu: %s", name, lineno, why);
			goto out;
		}
		if (ll > 0 && buf[pos] != '#')
			first = false;
		if (k > 0) {
			r.seq = g->seq;
			if (ranges_push(v6 ? &n6 : &n4, &r) != 0) {
				nh_survey_err(err, errlen,
				    "%s:%zu: out of memory or more than %zu "
				    "ranges",
				    name, lineno, NH_GEO_MAX_RANGES);
				goto out;
			}
		}
		pos = end + 1;
	}
	if (n4.n + n6.n == 0) {
		nh_survey_err(err, errlen,
		    "%s: no allocated or assigned address range", name);
		goto out;
	}
	if (ranges_merge(&g->r4, &n4) != 0) {
		nh_survey_err(err, errlen,
		    "%s: out of memory or more than %zu ranges", name,
		    NH_GEO_MAX_RANGES);
		goto out;
	}
	if (ranges_merge(&g->r6, &n6) != 0) {
		/* Nothing added: the IPv4 ranges were appended, not sorted. */
		g->r4.n = old4;
		nh_survey_err(err, errlen,
		    "%s: out of memory or more than %zu ranges", name,
		    NH_GEO_MAX_RANGES);
		goto out;
	}
	ranges_link(&g->r4);
	ranges_link(&g->r6);
	g->seq++;
	rc = 0;
out:
	free(n4.v);
	free(n6.v);
	return rc;
}

int
nh_geo_load_delegated(
    struct nh_geo *g, const char *path, char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		nh_survey_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		nh_survey_err(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > NH_GEO_MAX_FILE) {
		nh_survey_err(err, errlen,
		    "%s: not a regular file of at most %zu bytes", path,
		    NH_GEO_MAX_FILE);
		goto out;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		nh_survey_err(err, errlen, "%s: out of memory", path);
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			nh_survey_err(
			    err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}
	rc = nh_geo_delegated_from(g, buf, got, path, err, errlen);
out:
	free(buf);
	close(fd);
	return rc;
}

/*
 * The 16-byte form of ip, *v4 telling the family (an IPv4-mapped IPv6
 * address counts as IPv4). Returns 0, or -1 when ip is not an address.
 */
static int
addr16(const char *ip, uint8_t a[16], bool *v4)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
		0xff };

	memset(a, 0, 16);
	if (inet_pton(AF_INET, ip, a + 12) == 1) {
		*v4 = true;
		return 0;
	}
	if (inet_pton(AF_INET6, ip, a) != 1)
		return -1;
	*v4 = memcmp(a, mapped, 12) == 0;
	if (*v4)
		memset(a, 0, 12);
	return 0;
}

int
nh_geo_delegated_cc(const struct nh_geo *g, const char *ip, char cc[3])
{
	const struct geo_range *r;
	uint8_t a[16];
	bool v4;

	if (addr16(ip, a, &v4) != 0)
		return -1;
	if ((r = ranges_find(v4 ? &g->r4 : &g->r6, a)) == NULL)
		return -1;
	memcpy(cc, r->cc, 3);
	return 0;
}

/* --- MMDB ----------------------------------------------------------- */

int
nh_geo_load_mmdb(struct nh_geo *g, const char *path, char *err, size_t errlen)
{
	int status;

	if (g->nmmdb == NH_GEO_MAX_MMDB) {
		nh_survey_err(err, errlen, "%s: more than %d MMDB files", path,
		    NH_GEO_MAX_MMDB);
		return -1;
	}
	status = MMDB_open(path, MMDB_MODE_MMAP, &g->mmdb[g->nmmdb]);
	if (status != MMDB_SUCCESS) {
		nh_survey_err(err, errlen, "%s: %s%s%s", path,
		    MMDB_strerror(status), status == MMDB_IO_ERROR ? ": " : "",
		    status == MMDB_IO_ERROR ? strerror(errno) : "");
		return -1;
	}
	g->nmmdb++;
	return 0;
}

/* The 2-letter code at path in entry, into cc. Returns 0 or -1. */
static int
mmdb_cc(MMDB_entry_s *e, const char *key, char cc[3])
{
	MMDB_entry_data_s d;

	if (MMDB_get_value(e, &d, key, "iso_code", NULL) != MMDB_SUCCESS ||
	    !d.has_data || d.type != MMDB_DATA_TYPE_UTF8_STRING ||
	    d.data_size != 2)
		return -1;
	for (int i = 0; i < 2; i++) {
		char c = d.utf8_string[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return -1;
		cc[i] = (char)(c & ~0x20);
	}
	cc[2] = '\0';
	return 0;
}

static int
mmdb_asn(MMDB_entry_s *e, uint32_t *asn)
{
	MMDB_entry_data_s d;

	if (MMDB_get_value(e, &d, "autonomous_system_number", NULL) !=
		MMDB_SUCCESS ||
	    !d.has_data)
		return -1;
	switch (d.type) {
	case MMDB_DATA_TYPE_UINT16:
		*asn = d.uint16;
		return 0;
	case MMDB_DATA_TYPE_UINT32:
		*asn = d.uint32;
		return 0;
	case MMDB_DATA_TYPE_UINT64:
		if (d.uint64 > UINT32_MAX)
			return -1;
		*asn = (uint32_t)d.uint64;
		return 0;
	default:
		return -1;
	}
}

/* --- lookup --------------------------------------------------------- */

/*
 * The origin AS of the most specific route covering ip. Where several
 * origins announce that same prefix (multi-origin, "64500_64501" in
 * pfx2as), the lowest AS number is taken: a choice that does not depend
 * on the order of the files, and what the rpki set lists first.
 */
static uint32_t
pfx2as_asn(const struct nh_rpki *rpki, const char *ip)
{
	struct nh_rpki_route out[16];
	size_t n = nh_rpki_routes_for(rpki, ip, out, 16), cap;
	struct nh_rpki_route *v = out;
	uint32_t best;

	if (n == 0)
		return 0;
	cap = n < 16 ? n : 16;
	if (n > 16 && out[15].len == out[0].len) {
		/* More origins of the most specific prefix than fit. */
		if ((v = calloc(n, sizeof(*v))) == NULL)
			return out[0].asn;
		cap = nh_rpki_routes_for(rpki, ip, v, n);
		cap = cap < n ? cap : n;
	}
	best = v[0].asn;
	for (size_t i = 1; i < cap && v[i].len == v[0].len; i++)
		if (v[i].asn < best)
			best = v[i].asn;
	if (v != out)
		free(v);
	return best;
}

void
nh_geo_locate(const struct nh_geo *g, struct nh_survey_record *r)
{
	char ip[sizeof(r->ip) + 1], cc[3] = "";
	uint32_t asn = 0;
	bool have_cc = false, have_asn = false;

	memcpy(ip, r->ip, sizeof(r->ip));
	ip[sizeof(r->ip)] = '\0';
	if (g->rpki != NULL && nh_rpki_route_count(g->rpki) > 0 &&
	    (asn = pfx2as_asn(g->rpki, ip)) != 0)
		have_asn = true;
	if (nh_geo_delegated_cc(g, ip, cc) == 0)
		have_cc = true;
	for (size_t i = 0; i < g->nmmdb && !(have_asn && have_cc); i++) {
		int gai = 0, merr = MMDB_SUCCESS;
		/* libmaxminddb's lookup does not change the database. */
		MMDB_s *db = (MMDB_s *)&g->mmdb[i];
		MMDB_lookup_result_s res =
		    MMDB_lookup_string(db, ip, &gai, &merr);

		if (gai != 0 || merr != MMDB_SUCCESS || !res.found_entry)
			continue;
		if (!have_asn && mmdb_asn(&res.entry, &asn) == 0 && asn != 0)
			have_asn = true;
		if (!have_cc &&
		    (mmdb_cc(&res.entry, "country", cc) == 0 ||
			mmdb_cc(&res.entry, "registered_country", cc) == 0))
			have_cc = true;
	}
	if (have_asn)
		r->asn = asn;
	if (have_cc)
		memcpy(r->cc, cc, 3);
}
