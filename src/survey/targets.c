/*
 * targets.c: what a survey may probe: the ranges asked for (CIDR blocks
 * or single addresses, IPv4 and IPv6), the exclusion list (the default
 * space that is never probed, and the user's), and the order of the
 * probes: a keyed pseudo-random permutation of every (address, service)
 * pair, so that no network gets a burst, cut into shards that different
 * machines take with the same seed.
 *
 * The permutation is a four-round Feistel network over the smallest even
 * power of two that holds the pairs, walking the cycle until the value
 * falls inside (at most four steps on average): a bijection, computed in
 * constant memory, the same on every machine for the same seed.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "survey.h"

#define MAX_ADDRESSES ((uint64_t)1 << 32) /* in one survey */

/* The space a survey never probes: what no public service lives on
 * (private, loopback, link-local, CGN, multicast, reserved, IPv6 outside
 * global unicast). Documentation and benchmarking ranges are in it unless
 * the survey runs on the lab (--lab). */
static const char *const default_never[] = {
	"0.0.0.0/8",
	"10.0.0.0/8",
	"100.64.0.0/10",
	"127.0.0.0/8",
	"169.254.0.0/16",
	"172.16.0.0/12",
	"192.0.0.0/24",
	"192.168.0.0/16",
	"224.0.0.0/4",
	"240.0.0.0/4",
	"::/3",
	"4000::/2",
	"8000::/1",
	"2001::/23",
	NULL,
};
static const char *const default_docs[] = {
	"192.0.2.0/24",
	"198.18.0.0/15",
	"198.51.100.0/24",
	"203.0.113.0/24",
	"2001:db8::/32",
	"3fff::/20",
	NULL,
};

int
nh_cidr_parse(const char *text, struct nh_cidr *out)
{
	char buf[64], *slash, *end;
	long bits;
	unsigned max;

	if (strlen(text) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", text);
	memset(out, 0, sizeof(*out));
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, out->net) == 1)
		out->family = 4;
	else if (inet_pton(AF_INET6, buf, out->net) == 1)
		out->family = 6;
	else
		return -1;
	max = out->family == 4 ? 32 : 128;
	bits = max;
	if (slash != NULL) {
		errno = 0;
		bits = strtol(slash + 1, &end, 10);
		if (slash[1] == '\0' || *end != '\0' || errno != 0 ||
		    bits < 0 || bits > (long)max)
			return -1;
	}
	out->bits = (unsigned)bits;
	/* The network address itself: host bits cleared. */
	for (unsigned i = out->bits; i < max; i++)
		out->net[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
	return 0;
}

bool
nh_cidr_contains(const struct nh_cidr *c, const uint8_t *addr, int family)
{
	unsigned full = c->bits / 8, rest = c->bits % 8;

	if (c->family != family || memcmp(addr, c->net, full) != 0)
		return false;
	return rest == 0 || (addr[full] ^ c->net[full]) >> (8 - rest) == 0;
}

static int
list_add(struct nh_cidr_list *l, const struct nh_cidr *c)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct nh_cidr *v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *c;
	return 0;
}

void
nh_cidr_list_free(struct nh_cidr_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

bool
nh_cidr_list_contains(
    const struct nh_cidr_list *l, const uint8_t *addr, int family)
{
	for (size_t i = 0; i < l->n; i++) {
		if (nh_cidr_contains(&l->v[i], addr, family))
			return true;
	}
	return false;
}

int
nh_survey_exclude_defaults(struct nh_cidr_list *l, bool lab)
{
	struct nh_cidr c;

	for (size_t i = 0; default_never[i] != NULL; i++) {
		if (nh_cidr_parse(default_never[i], &c) == -1 ||
		    list_add(l, &c) == -1)
			return -1;
	}
	for (size_t i = 0; !lab && default_docs[i] != NULL; i++) {
		if (nh_cidr_parse(default_docs[i], &c) == -1 ||
		    list_add(l, &c) == -1)
			return -1;
	}
	return 0;
}

int
nh_survey_exclude_file(
    struct nh_cidr_list *l, const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	char line[256];
	long lineno = 0;
	struct nh_cidr c;

	if (fp == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *p = line, *e;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			snprintf(
			    err, errlen, "%s line %ld: too long", path, lineno);
			goto fail;
		}
		p[strcspn(p, "#\r\n")] = '\0';
		while (isspace((unsigned char)*p))
			p++;
		for (e = p + strlen(p); e > p && isspace((unsigned char)e[-1]);)
			*--e = '\0';
		if (*p == '\0')
			continue;
		if (nh_cidr_parse(p, &c) == -1) {
			snprintf(err, errlen,
			    "%s line %ld: '%.64s' is not an address or "
			    "CIDR block",
			    path, lineno, p);
			goto fail;
		}
		if (list_add(l, &c) == -1) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	fclose(fp);
	return 0;
fail:
	fclose(fp);
	return -1;
}

/* Addresses in a block, or 0 when more than MAX_ADDRESSES. */
static uint64_t
block_size(const struct nh_cidr *c)
{
	unsigned host = (c->family == 4 ? 32 : 128) - c->bits;

	return host >= 32 ? (host == 32 && c->family == 4 ? MAX_ADDRESSES : 0)
			  : (uint64_t)1 << host;
}

int
nh_survey_targets_add(
    struct nh_survey_targets *t, const char *text, char *err, size_t errlen)
{
	struct nh_cidr c;
	uint64_t n;

	if (nh_cidr_parse(text, &c) == -1) {
		snprintf(err, errlen,
		    "'%.64s' is not an address or CIDR block (198.51.100.0/24, "
		    "2001:db8::/120)",
		    text);
		return -1;
	}
	n = block_size(&c);
	if (n == 0 || t->total + n > MAX_ADDRESSES) {
		snprintf(err, errlen,
		    "%s: more than 2^32 addresses in one survey (split it, "
		    "or use --shard)",
		    text);
		return -1;
	}
	if (list_add(&t->blocks, &c) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->total += n;
	return 0;
}

void
nh_survey_target_at(const struct nh_survey_targets *t, uint64_t i,
    uint8_t addr[16], int *family)
{
	for (size_t b = 0; b < t->blocks.n; b++) {
		const struct nh_cidr *c = &t->blocks.v[b];
		uint64_t n = block_size(c);

		if (i >= n) {
			i -= n;
			continue;
		}
		memcpy(addr, c->net, 16);
		*family = c->family;
		/* Add the offset to the last bytes (at most 32 bits). */
		for (int k = c->family == 4 ? 3 : 15; k >= 0 && i > 0; k--) {
			uint64_t sum = addr[k] + (i & 0xff);

			addr[k] = (uint8_t)sum;
			i = (i >> 8) + (sum >> 8);
		}
		return;
	}
	memset(addr, 0, 16);
	*family = 0;
}

void
nh_survey_targets_free(struct nh_survey_targets *t)
{
	nh_cidr_list_free(&t->blocks);
	t->total = 0;
}

/* ---- the permutation ---- */

static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void
nh_perm_init(struct nh_perm *p, uint64_t n, uint64_t seed)
{
	unsigned bits = 2;

	while (bits < 64 && ((uint64_t)1 << bits) < n)
		bits += 2;
	p->n = n;
	p->half = bits / 2;
	p->mask = ((uint64_t)1 << p->half) - 1;
	for (int r = 0; r < 4; r++)
		p->key[r] = mix(seed + (uint64_t)r * 0x632be59bd9b4e019ULL);
}

static uint64_t
feistel(const struct nh_perm *p, uint64_t x)
{
	uint64_t l = x >> p->half, r = x & p->mask;

	for (int k = 0; k < 4; k++) {
		uint64_t t = l ^ (mix(r ^ p->key[k]) & p->mask);

		l = r;
		r = t;
	}
	return l << p->half | r;
}

uint64_t
nh_perm_at(const struct nh_perm *p, uint64_t i)
{
	uint64_t x = feistel(p, i);

	while (x >= p->n)
		x = feistel(p, x);
	return x;
}

uint32_t
nh_survey_cookie(uint64_t seed, const uint8_t *addr, int family, enum nh_svc s)
{
	uint64_t h = mix(seed ^ ((uint64_t)s << 56) ^ (uint64_t)family);

	for (int i = 0; i < (family == 4 ? 4 : 16); i++)
		h = mix(h ^ addr[i]);
	return (uint32_t)(h >> 32);
}
