/*
 * shadow.c: Shadowserver scan reports (CSV, RFC 4180) read into survey
 * records.
 *
 * The header row names the columns; those read (names compared without
 * regard to case):
 *   timestamp       "2024-01-02 03:04:05", or "2024-01-02T03:04:05Z";
 *                   fractions of a second and a "+00", "+00:00" or
 *                   "+0000" zone are allowed (all UTC)   required
 *   ip              IPv4 or IPv6, written back in canonical form  required
 *   protocol, port  empty port: the service's port
 *   asn, geo        the report's AS ("AS" prefix allowed) and country;
 *                   a geo that is not two letters is taken as unknown
 *   amplification   NTP monitor and others (-1 when absent or empty)
 *   response_size   bytes of the answer (earlier reports: size)
 *   packets         packets of the answer
 *   detail          by service: dns_version; NTP version; SSDP server,
 *                   else header; SNMP sysdesc, else sysname; memcached
 *                   version
 * Every other column is ignored. The service: from the report type in
 * the file name ("scan_dns", "scan6_ntp", "2024-01-02-scan_ntpmonitor-
 * my-asn.csv"); else from columns only one report has (dns_version,
 * sysdesc/sysname, unique_service_name/systime, curr_connections,
 * clk_wander/stratum/refid); else per row from a UDP port (53, 123 -
 * monitor when the report has packets or amplification columns - 1900,
 * 161, 19, 11211). A row whose service cannot be told is an error.
 *
 * Records: a quoted field may hold commas, doubled quotes and line
 * breaks; a record is at most NH_SHADOW_MAX_LINE bytes and
 * SHADOW_MAX_COLS fields, and holds as many fields as the header. Empty
 * lines are skipped; lines end with LF or CR LF.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "survey/survey.h"
#include "survey/survey_impl.h"

#define SHADOW_MAX_COLS 256

/* One CSV record: fields NUL-ended in buf, field i at buf + off[i]. */
struct csv {
	FILE *fp;
	unsigned long line;  /* physical lines consumed */
	unsigned long start; /* the line the last record started on */
	size_t nf;
	int back;              /* a byte pushed back, or EOF */
	unsigned char pend[3]; /* bytes read looking for a byte order mark */
	size_t npend, ipend;
	size_t off[SHADOW_MAX_COLS];
	char buf[NH_SHADOW_MAX_LINE + SHADOW_MAX_COLS + 1];
};

enum csv_state { F_START, F_PLAIN, F_QUOTED, F_QUOTE_SEEN };

static int
csv_getc(struct csv *c)
{
	int ch = c->back;

	if (ch != EOF) {
		c->back = EOF;
		return ch;
	}
	if (c->ipend < c->npend)
		return c->pend[c->ipend++];
	return getc(c->fp);
}

/* Starts reading fp, past a UTF-8 byte order mark. */
static void
csv_start(struct csv *c, FILE *fp)
{
	static const unsigned char bom[3] = { 0xef, 0xbb, 0xbf };
	int ch;

	c->fp = fp;
	c->back = EOF;
	while (c->npend < 3 && (ch = getc(fp)) != EOF) {
		c->pend[c->npend++] = (unsigned char)ch;
		if (ch != bom[c->npend - 1])
			break;
	}
	if (c->npend == 3 && memcmp(c->pend, bom, 3) == 0)
		c->ipend = 3;
}

/*
 * Reads the next record. Returns 1 (c->nf fields), 0 at the end of the
 * input, or -1 with why set (static).
 */
static int
csv_next(struct csv *c, const char **why)
{
	enum csv_state st = F_START;
	size_t raw = 0, out = 0;
	int ch;

	c->nf = 0;
	c->start = c->line + 1;
	c->off[c->nf++] = 0;
	for (;;) {
		ch = csv_getc(c);
		if (ch == EOF) {
			if (ferror(c->fp)) {
				*why = "read error";
				return -1;
			}
			if (st == F_QUOTED) {
				*why = "quoted field not closed at the end of "
				       "the file";
				return -1;
			}
			if (raw == 0)
				return 0;
			c->line++;
			break;
		}
		if (++raw > NH_SHADOW_MAX_LINE) {
			*why = "record longer than 8192 bytes";
			return -1;
		}
		if (ch == '\0') {
			*why = "NUL byte";
			return -1;
		}
		if (ch == '\r' && st != F_QUOTED) {
			int next = csv_getc(c);

			if (next == '\n')
				ch = '\n';
			else
				c->back = next;
		}
		if (st == F_QUOTED) {
			if (ch == '"')
				st = F_QUOTE_SEEN;
			else {
				if (ch == '\n')
					c->line++;
				c->buf[out++] = (char)ch;
			}
			continue;
		}
		if (ch == '\n') {
			c->line++;
			break;
		}
		if (ch == ',') {
			if (c->nf == SHADOW_MAX_COLS) {
				*why = "more than 256 fields";
				return -1;
			}
			c->buf[out++] = '\0';
			c->off[c->nf++] = out;
			st = F_START;
			continue;
		}
		if (ch == '"') {
			if (st == F_START) {
				st = F_QUOTED;
				continue;
			}
			if (st == F_QUOTE_SEEN) {
				c->buf[out++] = '"';
				st = F_QUOTED;
				continue;
			}
			*why = "quote inside an unquoted field";
			return -1;
		}
		if (st == F_QUOTE_SEEN) {
			*why = "text after a closing quote";
			return -1;
		}
		st = F_PLAIN;
		c->buf[out++] = (char)ch;
	}
	c->buf[out] = '\0';
	return 1;
}

static const char *
csv_field(const struct csv *c, size_t i)
{
	return c->buf + c->off[i];
}

/* Columns of the report; -1 when absent. */
enum col {
	C_TIMESTAMP,
	C_IP,
	C_PROTOCOL,
	C_PORT,
	C_ASN,
	C_GEO,
	C_AMPLIFICATION,
	C_RESPONSE_SIZE,
	C_SIZE,
	C_PACKETS,
	C_DNS_VERSION,
	C_VERSION,
	C_SERVER,
	C_HEADER,
	C_SYSDESC,
	C_SYSNAME,
	C_UNIQUE_SERVICE_NAME,
	C_SYSTIME,
	C_CURR_CONNECTIONS,
	C_CLK_WANDER,
	C_STRATUM,
	C_REFID,
	C_COUNT
};

static const char *const col_names[C_COUNT] = {
	[C_TIMESTAMP] = "timestamp",
	[C_IP] = "ip",
	[C_PROTOCOL] = "protocol",
	[C_PORT] = "port",
	[C_ASN] = "asn",
	[C_GEO] = "geo",
	[C_AMPLIFICATION] = "amplification",
	[C_RESPONSE_SIZE] = "response_size",
	[C_SIZE] = "size",
	[C_PACKETS] = "packets",
	[C_DNS_VERSION] = "dns_version",
	[C_VERSION] = "version",
	[C_SERVER] = "server",
	[C_HEADER] = "header",
	[C_SYSDESC] = "sysdesc",
	[C_SYSNAME] = "sysname",
	[C_UNIQUE_SERVICE_NAME] = "unique_service_name",
	[C_SYSTIME] = "systime",
	[C_CURR_CONNECTIONS] = "curr_connections",
	[C_CLK_WANDER] = "clk_wander",
	[C_STRATUM] = "stratum",
	[C_REFID] = "refid",
};

/* Report types by their name in the file name. */
static const struct {
	const char *type;
	enum nh_svc svc;
} report_types[] = {
	{ "dns", NH_SVC_DNS },
	{ "ntp", NH_SVC_NTP },
	{ "ntpmonitor", NH_SVC_NTP_MONLIST },
	{ "ssdp", NH_SVC_SSDP },
	{ "snmp", NH_SVC_SNMP },
	{ "chargen", NH_SVC_CHARGEN },
	{ "memcached", NH_SVC_MEMCACHED },
};

/* The detail columns of each service, the first non-empty one wins. */
static const enum col detail_cols[NH_SVC_COUNT][2] = {
	[NH_SVC_DNS] = { C_DNS_VERSION, C_COUNT },
	[NH_SVC_NTP] = { C_VERSION, C_COUNT },
	[NH_SVC_NTP_MONLIST] = { C_VERSION, C_COUNT },
	[NH_SVC_SSDP] = { C_SERVER, C_HEADER },
	[NH_SVC_SNMP] = { C_SYSDESC, C_SYSNAME },
	[NH_SVC_CHARGEN] = { C_COUNT, C_COUNT },
	[NH_SVC_MEMCACHED] = { C_VERSION, C_COUNT },
};

/* The file name's last component. */
static const char *
base_name(const char *name)
{
	const char *s;

	if (name == NULL || name[0] == '\0')
		return "(report)";
	s = strrchr(name, '/');
	return s != NULL && s[1] != '\0' ? s + 1 : name;
}

/*
 * The service from the report type in the file name. Returns 1 (found),
 * 0 (the name names no scan report), -1 (a scan report of a type not
 * surveyed; its type copied to type).
 */
int
nh_shadow_name_svc(
    const char *name, enum nh_svc *out, char *type, size_t typelen)
{
	const char *b = base_name(name), *p = b, *t;
	size_t n;

	for (;; p++) {
		if ((p = strstr(p, "scan")) == NULL)
			return 0;
		/* At the start or after the date's '-', '_' or '.'. */
		if (p != b && p[-1] != '-' && p[-1] != '_' && p[-1] != '.')
			continue;
		if (strncmp(p, "scan_", 5) == 0)
			t = p + 5;
		else if (strncmp(p, "scan6_", 6) == 0)
			t = p + 6;
		else
			continue;
		break;
	}
	n = strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789_");
	for (size_t i = 0; i < sizeof(report_types) / sizeof(report_types[0]);
	     i++)
		if (strlen(report_types[i].type) == n &&
		    strncmp(t, report_types[i].type, n) == 0) {
			*out = report_types[i].svc;
			return 1;
		}
	snprintf(type, typelen, "%.*s", (int)(n + (size_t)(t - p)), p);
	return -1;
}

/* A decimal number of at most max; "" is not one. */
static int
parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* n digits at s into *out. */
static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* "2024-01-02 03:04:05[.frac][Z|+00|+00:00|+0000]", 'T' allowed. */
static int
parse_time(const char *s, time_t *out)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	struct tm tm = { 0 };
	int y, mo, d, h, mi, se;
	const char *z;
	time_t t;

	if (strlen(s) < 19 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != ' ' && s[10] != 'T') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &se))
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 &&
		!(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) ||
	    h > 23 || mi > 59 || se > 60)
		return -1;
	z = s + 19;
	if (*z == '.') {
		z++;
		if (*z < '0' || *z > '9')
			return -1;
		while (*z >= '0' && *z <= '9')
			z++;
	}
	if (strcmp(z, "") != 0 && strcmp(z, "Z") != 0 &&
	    strcmp(z, "+00") != 0 && strcmp(z, "+00:00") != 0 &&
	    strcmp(z, "+0000") != 0)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	*out = t;
	return 0;
}

/* Copies s as printable ASCII (others '?'), cut to cap - 1 bytes. */
static void
printable(char *dst, size_t cap, const char *s)
{
	size_t i = 0;

	for (; s[i] != '\0' && i + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		dst[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	dst[i] = '\0';
}

/* The service of a UDP port (see the top of the file). */
static int
port_svc(uint16_t port, bool monitor_cols, enum nh_svc *out)
{
	switch (port) {
	case 53:
		*out = NH_SVC_DNS;
		return 0;
	case 123:
		*out = monitor_cols ? NH_SVC_NTP_MONLIST : NH_SVC_NTP;
		return 0;
	case 1900:
		*out = NH_SVC_SSDP;
		return 0;
	case 161:
		*out = NH_SVC_SNMP;
		return 0;
	case 19:
		*out = NH_SVC_CHARGEN;
		return 0;
	case 11211:
		*out = NH_SVC_MEMCACHED;
		return 0;
	default:
		return -1;
	}
}

/* The report's default ports, when a row leaves port empty. */
static const uint16_t svc_port[NH_SVC_COUNT] = {
	[NH_SVC_DNS] = 53,
	[NH_SVC_NTP] = 123,
	[NH_SVC_NTP_MONLIST] = 123,
	[NH_SVC_SSDP] = 1900,
	[NH_SVC_SNMP] = 161,
	[NH_SVC_CHARGEN] = 19,
	[NH_SVC_MEMCACHED] = 11211,
};

struct report {
	int col[C_COUNT];
	size_t ncols;
	bool svc_known;
	enum nh_svc svc;
};

static const char *
get(const struct csv *c, const struct report *rep, enum col k)
{
	return rep->col[k] < 0 ? "" : csv_field(c, (size_t)rep->col[k]);
}

/* One data row into r. Returns 0, or -1 with why written. */
static int
shadow_row(const struct csv *c, const struct report *rep,
    struct nh_survey_record *r, char *why, size_t whylen)
{
	unsigned char a[16];
	const char *s;
	uint32_t v;
	int af;

	memset(r, 0, sizeof(*r));
	r->open = true;
	r->amplification = -1;
	snprintf(r->source, sizeof(r->source), "shadowserver");
	if (c->nf != rep->ncols) {
		nh_survey_err(why, whylen,
		    "%zu fields where the header has %zu", c->nf, rep->ncols);
		return -1;
	}
	s = get(c, rep, C_IP);
	af = strchr(s, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(af, s, a) != 1 ||
	    inet_ntop(af, a, r->ip, sizeof(r->ip)) == NULL) {
		nh_survey_err(why, whylen, "ip \"%.48s\" is not an address", s);
		return -1;
	}
	if (parse_time(get(c, rep, C_TIMESTAMP), &r->ts) != 0) {
		nh_survey_err(why, whylen,
		    "timestamp \"%.48s\" is not \"YYYY-MM-DD HH:MM:SS\" UTC",
		    get(c, rep, C_TIMESTAMP));
		return -1;
	}
	s = get(c, rep, C_PORT);
	if (*s != '\0') {
		if (parse_u32(s, 65535, &v) != 0) {
			nh_survey_err(
			    why, whylen, "port \"%.48s\" is not 0-65535", s);
			return -1;
		}
		r->port = (uint16_t)v;
	}
	if (rep->svc_known)
		r->svc = rep->svc;
	else {
		const char *proto = get(c, rep, C_PROTOCOL);
		bool monitor =
		    rep->col[C_PACKETS] >= 0 || rep->col[C_AMPLIFICATION] >= 0;

		if ((*proto != '\0' && strcasecmp(proto, "udp") != 0) ||
		    *s == '\0' || port_svc(r->port, monitor, &r->svc) != 0) {
			nh_survey_err(why, whylen,
			    "cannot tell the service of protocol \"%.16s\" "
			    "port \"%.8s\" (neither the file name nor the "
			    "columns say)",
			    proto, s);
			return -1;
		}
	}
	if (*s == '\0')
		r->port = svc_port[r->svc];
	s = get(c, rep, C_ASN);
	if (strncasecmp(s, "AS", 2) == 0)
		s += 2;
	if (*s != '\0' && parse_u32(s, UINT32_MAX, &r->asn) != 0) {
		nh_survey_err(why, whylen, "asn \"%.48s\" is not an AS number",
		    get(c, rep, C_ASN));
		return -1;
	}
	s = get(c, rep, C_GEO);
	if (strlen(s) == 2 && isalpha((unsigned char)s[0]) &&
	    isalpha((unsigned char)s[1])) {
		r->cc[0] = (char)toupper((unsigned char)s[0]);
		r->cc[1] = (char)toupper((unsigned char)s[1]);
	}
	s = get(c, rep, C_AMPLIFICATION);
	if (*s != '\0') {
		char *end;
		double d;

		errno = 0;
		d = strtod(s, &end);
		if (errno != 0 || *end != '\0' || !isfinite(d) || d < 0 ||
		    d > 1e9 || !(isdigit((unsigned char)s[0]) || s[0] == '.')) {
			nh_survey_err(why, whylen,
			    "amplification \"%.48s\" is not a number", s);
			return -1;
		}
		r->amplification = d;
	}
	s = get(c, rep, C_RESPONSE_SIZE);
	if (*s == '\0')
		s = get(c, rep, C_SIZE);
	if (*s != '\0' && parse_u32(s, UINT32_MAX, &r->bytes_in) != 0) {
		nh_survey_err(
		    why, whylen, "response size \"%.48s\" is not a number", s);
		return -1;
	}
	s = get(c, rep, C_PACKETS);
	if (*s != '\0' && parse_u32(s, UINT32_MAX, &r->packets_in) != 0) {
		nh_survey_err(
		    why, whylen, "packets \"%.48s\" is not a number", s);
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		enum col k = detail_cols[r->svc][i];

		if (k != C_COUNT && *(s = get(c, rep, k)) != '\0') {
			printable(r->detail, sizeof(r->detail), s);
			break;
		}
	}
	return 0;
}

/* Reads the header row into rep. Returns 0, or -1 with why written. */
static int
shadow_header(struct csv *c, struct report *rep, char *why, size_t whylen)
{
	for (int k = 0; k < C_COUNT; k++)
		rep->col[k] = -1;
	rep->ncols = c->nf;
	for (size_t i = 0; i < c->nf; i++) {
		char *f = c->buf + c->off[i];
		size_t n;

		while (*f == ' ')
			f++;
		n = strlen(f);
		while (n > 0 && f[n - 1] == ' ')
			n--;
		for (int k = 0; k < C_COUNT; k++)
			if (rep->col[k] < 0 && strlen(col_names[k]) == n &&
			    strncasecmp(f, col_names[k], n) == 0)
				rep->col[k] = (int)i;
	}
	if (rep->col[C_IP] < 0 || rep->col[C_TIMESTAMP] < 0) {
		nh_survey_err(why, whylen,
		    "the header has no %s column (is this a Shadowserver "
		    "scan report?)",
		    rep->col[C_IP] < 0 ? "ip" : "timestamp");
		return -1;
	}
	if (rep->svc_known)
		return 0;
	rep->svc_known = true;
	if (rep->col[C_DNS_VERSION] >= 0)
		rep->svc = NH_SVC_DNS;
	else if (rep->col[C_SYSDESC] >= 0 || rep->col[C_SYSNAME] >= 0)
		rep->svc = NH_SVC_SNMP;
	else if (rep->col[C_UNIQUE_SERVICE_NAME] >= 0 ||
	    rep->col[C_SYSTIME] >= 0)
		rep->svc = NH_SVC_SSDP;
	else if (rep->col[C_CURR_CONNECTIONS] >= 0)
		rep->svc = NH_SVC_MEMCACHED;
	else if (rep->col[C_CLK_WANDER] >= 0 || rep->col[C_STRATUM] >= 0 ||
	    rep->col[C_REFID] >= 0)
		rep->svc = NH_SVC_NTP;
	else
		rep->svc_known = false;
	return 0;
}

long
nh_shadow_read(FILE *fp, const char *name,
    int (*cb)(const struct nh_survey_record *r, void *arg), void *arg,
    char *err, size_t errlen)
{
	const char *bn = base_name(name), *cwhy = NULL;
	struct report rep = { .svc_known = false };
	struct nh_survey_record rec;
	struct csv *c = NULL;
	char why[256], type[64];
	long rows = -1, n = 0;
	int k;

	k = nh_shadow_name_svc(name, &rep.svc, type, sizeof(type));
	if (k < 0) {
		nh_survey_err(err, errlen,
		    "%s: report type %s is not one the survey reads (scan_dns, "
		    "scan_ntp, scan_ntpmonitor, scan_ssdp, scan_snmp, "
		    "scan_chargen, scan_memcached, or their scan6_ forms)",
		    bn, type);
		return -1;
	}
	rep.svc_known = k > 0;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		nh_survey_err(err, errlen, "%s: out of memory", bn);
		return -1;
	}
	csv_start(c, fp);
	/* The header: the first record that is not an empty line. */
	do
		k = csv_next(c, &cwhy);
	while (k > 0 && c->nf == 1 && c->buf[0] == '\0');
	if (k < 0) {
		nh_survey_err(
		    err, errlen, "%s line %lu: %s", bn, c->start, cwhy);
		goto out;
	}
	if (k == 0) {
		nh_survey_err(err, errlen, "%s: empty: no header row", bn);
		goto out;
	}
	if (shadow_header(c, &rep, why, sizeof(why)) != 0) {
		nh_survey_err(
		    err, errlen, "%s line %lu: %s", bn, c->start, why);
		goto out;
	}
	while ((k = csv_next(c, &cwhy)) > 0) {
		if (c->nf == 1 && c->buf[0] == '\0')
			continue;
		if (shadow_row(c, &rep, &rec, why, sizeof(why)) != 0) {
			nh_survey_err(
			    err, errlen, "%s line %lu: %s", bn, c->start, why);
			goto out;
		}
		if (cb(&rec, arg) != 0) {
			nh_survey_err(err, errlen,
			    "%s line %lu: refused by the caller", bn, c->start);
			goto out;
		}
		n++;
	}
	if (k < 0) {
		nh_survey_err(
		    err, errlen, "%s line %lu: %s", bn, c->start, cwhy);
		goto out;
	}
	rows = n;
out:
	free(c);
	/* Text quoted from the file: printable ASCII only in messages. */
	for (size_t i = 0; rows < 0 && err != NULL && i < errlen && err[i]; i++)
		if ((unsigned char)err[i] < 0x20 ||
		    (unsigned char)err[i] >= 0x7f)
			err[i] = '?';
	return rows;
}
