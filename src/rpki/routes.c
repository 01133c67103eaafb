/*
 * routes.c: loading announced routes: CAIDA's prefix-to-AS lines
 * ("prefix<TAB>length<TAB>AS") or CSV ("prefix/length,AS"), told apart by
 * the first line. See rpki.h for both, and for why AS-set origins are
 * skipped.
 */
#include <string.h>

#include "rpki_impl.h"

#define NOT_ROUTES \
	"not a route file: expected CAIDA prefix-to-AS lines " \
	"(prefix<TAB>length<TAB>AS) or CSV (prefix/length,AS)"

enum format { PFX2AS, CSV };

struct load {
	struct rpki_tbl *t;
	const char *name;
	char *err;
	size_t errsize;
	size_t sets; /* AS-set origins skipped */
};

/*
 * Adds a route for each origin of `f`: ASNs joined by '_' (multi-origin);
 * an element holding ',' is an AS set, checked and skipped. Returns 0 or
 * -1 with the error set.
 */
static int
add_origins(struct load *ld, size_t lineno, const struct rpki_span *f,
    const struct rpki_key *k)
{
	char why[RPKI_WHY], q[RPKI_QUOTE];
	const char *p = f->s, *end = f->s + f->n, *us, *c, *cend;
	uint32_t asn;

	if (f->n == 0) {
		rpki_err(ld->err, ld->errsize, "%s:%zu: no origin AS", ld->name,
		    lineno);
		return -1;
	}
	for (;;) {
		us = memchr(p, '_', (size_t)(end - p));
		if (us == NULL)
			us = end;
		if (memchr(p, ',', (size_t)(us - p)) != NULL) {
			/* An AS set: every member must be an ASN. */
			for (c = p; c <= us; c = cend + 1) {
				cend = memchr(c, ',', (size_t)(us - c));
				if (cend == NULL)
					cend = us;
				if (!rpki_parse_asn(
					c, (size_t)(cend - c), &asn, why)) {
					rpki_err(ld->err, ld->errsize,
					    "%s:%zu: in the AS set \"%s\": %s",
					    ld->name, lineno,
					    rpki_quote(p, (size_t)(us - p), q),
					    why);
					return -1;
				}
			}
			ld->sets++;
		} else {
			if (!rpki_parse_asn(p, (size_t)(us - p), &asn, why)) {
				rpki_err(ld->err, ld->errsize, "%s:%zu: %s",
				    ld->name, lineno, why);
				return -1;
			}
			/* maxLength means nothing for a route: 0, which
			 * spares the sort a pass. */
			switch (rpki_tbl_add(ld->t, k, 0, asn)) {
			case RPKI_ADD_OK:
				break;
			case RPKI_ADD_FULL:
				rpki_err(ld->err, ld->errsize,
				    "%s:%zu: more than %zu routes", ld->name,
				    lineno, NH_RPKI_MAX_ENTRIES);
				return -1;
			default:
				rpki_err(ld->err, ld->errsize,
				    "%s:%zu: out of memory", ld->name, lineno);
				return -1;
			}
		}
		if (us == end)
			return 0;
		p = us + 1;
	}
}

/* The format, from the first line that is not blank or a comment. */
static int
detect(struct load *ld, const char *buf, size_t len, enum format *fmt)
{
	struct rpki_lines l;
	const char *s, *why = NULL;
	size_t n;
	int rc;

	rpki_lines_init(&l, buf, len);
	while ((rc = rpki_lines_next(&l, &s, &n, &why)) == 1) {
		if (rpki_line_skip(s, n))
			continue;
		if (memchr(s, '\t', n) != NULL) {
			*fmt = PFX2AS;
			return 0;
		}
		if (memchr(s, ',', n) != NULL) {
			*fmt = CSV;
			return 0;
		}
		rpki_err(ld->err, ld->errsize, "%s:%zu: %s", ld->name, l.lineno,
		    NOT_ROUTES);
		return -1;
	}
	if (rc < 0)
		rpki_err(ld->err, ld->errsize, "%s:%zu: %s", ld->name, l.lineno,
		    why);
	else
		rpki_err(ld->err, ld->errsize,
		    "%s: no routes: the file is empty", ld->name);
	return -1;
}

static int
parse(struct load *ld, const char *buf, size_t len, enum format fmt)
{
	struct rpki_lines l;
	struct rpki_span f[3];
	struct rpki_key k;
	const char *s, *why = NULL;
	char w[RPKI_WHY];
	bool first = true;
	size_t n;
	int rc, nf;

	rpki_lines_init(&l, buf, len);
	while ((rc = rpki_lines_next(&l, &s, &n, &why)) == 1) {
		if (rpki_line_skip(s, n))
			continue;
		if (fmt == PFX2AS) {
			if ((nf = rpki_split(s, n, ' ', f, 3, &why)) < 0)
				break;
			if (nf != 3) {
				rpki_err(ld->err, ld->errsize,
				    "%s:%zu: %d field%s where a pfx2as line has "
				    "prefix<TAB>length<TAB>AS",
				    ld->name, l.lineno, nf, nf == 1 ? "" : "s");
				return -1;
			}
			if (!rpki_parse_prefix(
				f[0].s, f[0].n, f[1].s, f[1].n, &k, w))
				goto bad;
			if (add_origins(ld, l.lineno, &f[2], &k) != 0)
				return -1;
		} else {
			if ((nf = rpki_split(s, n, ',', f, 2, &why)) < 0)
				break;
			/* A first line without a prefix is a header. */
			if (first && memchr(f[0].s, '/', f[0].n) == NULL) {
				first = false;
				continue;
			}
			first = false;
			if (nf < 2) {
				rpki_err(ld->err, ld->errsize,
				    "%s:%zu: 1 field where a route has "
				    "prefix/length,AS",
				    ld->name, l.lineno);
				return -1;
			}
			if (!rpki_parse_prefix(f[0].s, f[0].n, NULL, 0, &k, w))
				goto bad;
			if (add_origins(ld, l.lineno, &f[1], &k) != 0)
				return -1;
		}
	}
	if (why != NULL) {
		rpki_err(ld->err, ld->errsize, "%s:%zu: %s", ld->name, l.lineno,
		    why);
		return -1;
	}
	return 0;
bad:
	rpki_err(ld->err, ld->errsize, "%s:%zu: %s", ld->name, l.lineno, w);
	return -1;
}

int
nh_rpki_routes_from(struct nh_rpki *r, const char *buf, size_t len,
    const char *name, char *err, size_t errsize)
{
	struct load ld = { &r->routes, name, err, errsize, 0 };
	struct rpki_mark m;
	enum format fmt;
	int rc;

	if (detect(&ld, buf, len, &fmt) != 0)
		return -1;
	rpki_tbl_mark(&r->routes, &m);
	rc = parse(&ld, buf, len, fmt);
	if (rc == 0 && rpki_tbl_added(&r->routes, &m) == 0) {
		if (ld.sets > 0)
			rpki_err(err, errsize,
			    "%s: no routes (%zu with an AS-set origin skipped)",
			    name, ld.sets);
		else
			rpki_err(err, errsize, "%s: no routes", name);
		rc = -1;
	}
	if (rc != 0) {
		rpki_tbl_undo(&r->routes, &m);
		return -1;
	}
	r->ready = false;
	return 0;
}

int
nh_rpki_load_routes(
    struct nh_rpki *r, const char *path, char *err, size_t errsize)
{
	return rpki_with_file(r, path, nh_rpki_routes_from, err, errsize);
}
