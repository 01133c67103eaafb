/*
 * text.c: what the loaders share: prefixes, ASNs and lengths in text,
 * lines and fields, messages quoting untrusted text, reading a file.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rpki_impl.h"

void
rpki_err(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || size == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
}

const char *
rpki_quote(const char *s, size_t n, char out[RPKI_QUOTE])
{
	size_t i, keep = n > 48 ? 48 : n;

	for (i = 0; i < keep; i++) {
		unsigned char c = (unsigned char)s[i];

		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (keep < n) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

bool
rpki_parse_addr(const char *s, size_t n, struct rpki_key *k)
{
	char buf[48];
	unsigned char a[16];

	/* The longest: "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255". */
	if (n == 0 || n > 45 || memchr(s, '\0', n) != NULL)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (memchr(s, ':', n) != NULL) {
		if (inet_pton(AF_INET6, buf, a) != 1)
			return false;
		k->hi = k->lo = 0;
		for (int i = 0; i < 8; i++) {
			k->hi = k->hi << 8 | a[i];
			k->lo = k->lo << 8 | a[i + 8];
		}
		k->fam = 6;
		k->len = 128;
	} else {
		if (inet_pton(AF_INET, buf, a) != 1)
			return false;
		k->hi = (uint64_t)a[0] << 56 | (uint64_t)a[1] << 48 |
		    (uint64_t)a[2] << 40 | (uint64_t)a[3] << 32;
		k->lo = 0;
		k->fam = 4;
		k->len = 32;
	}
	return true;
}

bool
rpki_parse_uint(const char *s, size_t n, uint32_t max, uint32_t *v)
{
	uint64_t x = 0;

	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	if (x > max)
		return false;
	*v = (uint32_t)x;
	return true;
}

/* The prefix as written, for a message: "addr/len", quoted. */
static const char *
shown(const char *s, size_t n, const char *len_s, size_t len_n, bool split,
    char *out, size_t size)
{
	char q1[RPKI_QUOTE], q2[RPKI_QUOTE];

	if (!split)
		snprintf(out, size, "%s", rpki_quote(s, n, q1));
	else
		snprintf(out, size, "%s/%s", rpki_quote(s, n, q1),
		    rpki_quote(len_s, len_n, q2));
	return out;
}

bool
rpki_parse_prefix(const char *s, size_t n, const char *len_s, size_t len_n,
    struct rpki_key *k, char *why)
{
	char q[2 * RPKI_QUOTE];
	const char *slash;
	bool split = len_s != NULL;
	size_t addr_n = n;
	uint64_t hi, lo;
	uint32_t len;
	unsigned bits;

	if (!split) {
		if ((slash = memchr(s, '/', n)) == NULL) {
			snprintf(why, RPKI_WHY,
			    "\"%s\" is not a prefix: no '/'",
			    shown(s, n, NULL, 0, false, q, sizeof(q)));
			return false;
		}
		addr_n = (size_t)(slash - s);
		len_s = slash + 1;
		len_n = n - addr_n - 1;
	}
	if (!rpki_parse_addr(s, addr_n, k)) {
		snprintf(why, RPKI_WHY,
		    "\"%s\" is not a prefix: the address is neither IPv4 nor "
		    "IPv6",
		    shown(s, n, len_s, len_n, split, q, sizeof(q)));
		return false;
	}
	bits = k->len;
	if (!rpki_parse_uint(len_s, len_n, UINT32_MAX, &len)) {
		snprintf(why, RPKI_WHY,
		    "\"%s\" is not a prefix: the length is not a number",
		    shown(s, n, len_s, len_n, split, q, sizeof(q)));
		return false;
	}
	if (len > bits) {
		snprintf(why, RPKI_WHY,
		    "prefix length %u is longer than %u in \"%s\"",
		    (unsigned)len, bits,
		    shown(s, n, len_s, len_n, split, q, sizeof(q)));
		return false;
	}
	k->len = len;
	hi = k->hi;
	lo = k->lo;
	rpki_mask(&hi, &lo, len);
	if (hi != k->hi || lo != k->lo) {
		snprintf(why, RPKI_WHY,
		    "host bits set in \"%s\": the bits after the prefix length "
		    "must be zero",
		    shown(s, n, len_s, len_n, split, q, sizeof(q)));
		return false;
	}
	return true;
}

bool
rpki_parse_asn(const char *s, size_t n, uint32_t *asn, char *why)
{
	char q[RPKI_QUOTE];
	const char *d = s;
	size_t dn = n;

	if (n >= 2 && strncasecmp(s, "AS", 2) == 0) {
		d += 2;
		dn -= 2;
		if (dn > 0 && *d == ' ') { /* "AS 64500" */
			d++;
			dn--;
		}
	}
	if (!rpki_parse_uint(d, dn, UINT32_MAX, asn)) {
		snprintf(why, RPKI_WHY,
		    "\"%s\" is not an AS number (0 to 4294967295, with or "
		    "without \"AS\")",
		    rpki_quote(s, n, q));
		return false;
	}
	return true;
}

bool
rpki_check_maxlen(
    unsigned long long v, const struct rpki_key *k, unsigned *maxlen, char *why)
{
	unsigned bits = k->fam == 4 ? 32 : 128;

	if (v < k->len) {
		snprintf(why, RPKI_WHY,
		    "maxLength %llu is shorter than the prefix length %u", v,
		    k->len);
		return false;
	}
	if (v > bits) {
		snprintf(
		    why, RPKI_WHY, "maxLength %llu is longer than %u", v, bits);
		return false;
	}
	*maxlen = (unsigned)v;
	return true;
}

bool
rpki_parse_maxlen(const char *s, size_t n, const struct rpki_key *k,
    unsigned *maxlen, char *why)
{
	char q[RPKI_QUOTE];
	uint32_t v;

	if (!rpki_parse_uint(s, n, UINT32_MAX, &v)) {
		snprintf(why, RPKI_WHY, "maxLength \"%s\" is not a number",
		    rpki_quote(s, n, q));
		return false;
	}
	return rpki_check_maxlen(v, k, maxlen, why);
}

static size_t
bom(const char *buf, size_t len)
{
	return len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

size_t
rpki_content_start(const char *buf, size_t len)
{
	size_t i = bom(buf, len);

	while (i < len &&
	    (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' ||
		buf[i] == '\r'))
		i++;
	return i;
}

void
rpki_lines_init(struct rpki_lines *l, const char *buf, size_t len)
{
	l->buf = buf;
	l->len = len;
	l->off = bom(buf, len);
	l->lineno = 0;
}

int
rpki_lines_next(
    struct rpki_lines *l, const char **s, size_t *n, const char **why)
{
	size_t rest = l->len - l->off, window;
	const char *p = l->buf + l->off, *nl;

	if (rest == 0)
		return 0;
	l->lineno++;
	window = rest < NH_RPKI_MAX_LINE ? rest : NH_RPKI_MAX_LINE;
	if ((nl = memchr(p, '\n', window)) != NULL) {
		*n = (size_t)(nl - p);
		l->off += *n + 1;
	} else if (rest < NH_RPKI_MAX_LINE) {
		*n = rest; /* the last line, without LF */
		l->off = l->len;
	} else {
		*why = "the line is longer than 4096 bytes";
		return -1;
	}
	if (*n > 0 && p[*n - 1] == '\r')
		(*n)--;
	if (memchr(p, '\0', *n) != NULL) {
		*why = "the line holds a NUL byte";
		return -1;
	}
	*s = p;
	return 1;
}

bool
rpki_line_skip(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i == n || s[i] == '#';
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int
rpki_split(const char *s, size_t n, char sep, struct rpki_span *f, size_t max,
    const char **why)
{
	size_t pos = 0, count = 0, start, end;
	bool ws = sep == ' ';

	for (;;) {
		while (pos < n && is_blank(s[pos]))
			pos++;
		if (ws && pos == n)
			break;
		if (pos < n && s[pos] == '"') {
			const char *q = memchr(s + pos + 1, '"', n - pos - 1);

			if (q == NULL) {
				*why = "a double quote is not closed";
				return -1;
			}
			start = pos + 1;
			end = (size_t)(q - s);
			pos = end + 1;
			while (!ws && pos < n && is_blank(s[pos]))
				pos++;
			if (pos < n &&
			    !(ws ? is_blank(s[pos]) : s[pos] == sep)) {
				*why = "text after a closing double quote";
				return -1;
			}
		} else {
			start = pos;
			while (pos < n && s[pos] != sep &&
			    !(ws && is_blank(s[pos])))
				pos++;
			end = pos;
			while (end > start && is_blank(s[end - 1]))
				end--;
		}
		if (count < max) {
			f[count].s = s + start;
			f[count].n = end - start;
		}
		count++;
		if (pos >= n)
			break;
		pos++; /* the separator */
	}
	return (int)count; /* a line is at most NH_RPKI_MAX_LINE bytes */
}

bool
rpki_span_is(const struct rpki_span *f, const char *word)
{
	size_t n = strlen(word);

	return f->n == n && strncasecmp(f->s, word, n) == 0;
}

/* Reads fd whole into *buf (caller frees), at most NH_RPKI_MAX_FILE. */
static int
read_all(int fd, size_t hint, char **buf, size_t *len)
{
	size_t cap = hint + 1, n = 0;
	char *b = NULL, *p;
	ssize_t got;

	if (cap < 4096)
		cap = 4096;
	if (cap > NH_RPKI_MAX_FILE + 1)
		cap = NH_RPKI_MAX_FILE + 1;
	if ((b = malloc(cap)) == NULL)
		return ENOMEM;
	for (;;) {
		if (n == cap) {
			if (cap > NH_RPKI_MAX_FILE) {
				free(b);
				return EFBIG;
			}
			cap = cap * 2 > NH_RPKI_MAX_FILE + 1
			    ? NH_RPKI_MAX_FILE + 1
			    : cap * 2;
			if ((p = realloc(b, cap)) == NULL) {
				free(b);
				return ENOMEM;
			}
			b = p;
		}
		got = read(fd, b + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;

			free(b);
			return e;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (n > NH_RPKI_MAX_FILE) {
		free(b);
		return EFBIG;
	}
	*buf = b;
	*len = n;
	return 0;
}

int
rpki_with_file(struct nh_rpki *r, const char *path,
    int (*from)(
	struct nh_rpki *, const char *, size_t, const char *, char *, size_t),
    char *err, size_t errsize)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, hint = 0;
	int fd, e, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		rpki_err(err, errsize, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((unsigned long long)st.st_size > NH_RPKI_MAX_FILE) {
			rpki_err(err, errsize, "%s: larger than %zu bytes",
			    path, NH_RPKI_MAX_FILE);
			close(fd);
			return -1;
		}
		hint = (size_t)st.st_size;
	}
	e = read_all(fd, hint, &buf, &len);
	close(fd);
	if (e == EFBIG) {
		rpki_err(err, errsize, "%s: larger than %zu bytes", path,
		    NH_RPKI_MAX_FILE);
		return -1;
	}
	if (e != 0) {
		rpki_err(err, errsize, "%s: %s", path, strerror(e));
		return -1;
	}
	rc = from(r, buf, len, path, err, errsize);
	free(buf);
	return rc;
}
