/*
 * vrps.c: loading validated ROA payloads. The format comes from the
 * content: a JSON object (json.c) or CSV under the header "ASN,IP
 * Prefix,Max Length,..." (here). See rpki.h for both.
 */
#include <string.h>

#include "rpki_impl.h"

#define NOT_VRPS \
	"not a VRP file: expected JSON (rpki-client -j, routinator vrps -f " \
	"json) or CSV with the header \"ASN,IP Prefix,Max Length,...\" " \
	"(routinator vrps -f csv)"

static bool
csv_header(const struct rpki_span *f, int nf)
{
	return nf >= 3 && rpki_span_is(&f[0], "ASN") &&
	    rpki_span_is(&f[1], "IP Prefix") &&
	    rpki_span_is(&f[2], "Max Length");
}

static int
csv_vrps(struct rpki_tbl *t, const char *buf, size_t len, const char *name,
    char *err, size_t errsize)
{
	struct rpki_lines l;
	struct rpki_span f[3];
	struct rpki_key k;
	const char *s, *why = NULL;
	char w[RPKI_WHY];
	bool header = false;
	unsigned maxlen;
	uint32_t asn;
	size_t n;
	int rc, nf;

	rpki_lines_init(&l, buf, len);
	while ((rc = rpki_lines_next(&l, &s, &n, &why)) == 1) {
		if (rpki_line_skip(s, n))
			continue;
		if ((nf = rpki_split(s, n, ',', f, 3, &why)) < 0)
			break;
		if (!header) {
			if (!csv_header(f, nf)) {
				rpki_err(err, errsize, "%s:%zu: %s", name,
				    l.lineno, NOT_VRPS);
				return -1;
			}
			header = true;
			continue;
		}
		if (nf < 3) {
			rpki_err(err, errsize,
			    "%s:%zu: %d field%s where a VRP has ASN,IP "
			    "Prefix,Max Length",
			    name, l.lineno, nf, nf == 1 ? "" : "s");
			return -1;
		}
		if (!rpki_parse_asn(f[0].s, f[0].n, &asn, w) ||
		    !rpki_parse_prefix(f[1].s, f[1].n, NULL, 0, &k, w) ||
		    !rpki_parse_maxlen(f[2].s, f[2].n, &k, &maxlen, w)) {
			rpki_err(err, errsize, "%s:%zu: %s", name, l.lineno, w);
			return -1;
		}
		switch (rpki_tbl_add(t, &k, maxlen, asn)) {
		case RPKI_ADD_OK:
			break;
		case RPKI_ADD_FULL:
			rpki_err(err, errsize, "%s:%zu: more than %zu VRPs",
			    name, l.lineno, NH_RPKI_MAX_ENTRIES);
			return -1;
		default:
			rpki_err(err, errsize, "%s:%zu: out of memory", name,
			    l.lineno);
			return -1;
		}
	}
	if (why != NULL) { /* a line too long, a NUL, a quote */
		rpki_err(err, errsize, "%s:%zu: %s", name, l.lineno, why);
		return -1;
	}
	return 0;
}

int
nh_rpki_vrps_from(struct nh_rpki *r, const char *buf, size_t len,
    const char *name, char *err, size_t errsize)
{
	struct rpki_mark m;
	size_t start = rpki_content_start(buf, len);
	int rc;

	if (start == len) {
		rpki_err(err, errsize, "%s: no VRPs: the file is empty", name);
		return -1;
	}
	rpki_tbl_mark(&r->vrps, &m);
	if (buf[start] == '{')
		rc = rpki_json_vrps(&r->vrps, buf, len, name, err, errsize);
	else
		rc = csv_vrps(&r->vrps, buf, len, name, err, errsize);
	if (rc == 0 && rpki_tbl_added(&r->vrps, &m) == 0) {
		rpki_err(err, errsize, "%s: no VRPs", name);
		rc = -1;
	}
	if (rc != 0) {
		rpki_tbl_undo(&r->vrps, &m);
		return -1;
	}
	r->ready = false;
	return 0;
}

int
nh_rpki_load_vrps(
    struct nh_rpki *r, const char *path, char *err, size_t errsize)
{
	return rpki_with_file(r, path, nh_rpki_vrps_from, err, errsize);
}
