/*
 * fuzz_spf.c: libFuzzer target for the SPF judge and nh_spf_queries(),
 * which read records any DNS server returns. Input: a record, then
 * optionally a newline and a second record, the one every other name
 * answers with (include and redirect targets). The fake resolver answers
 * TXT of the tested name with the first record, TXT of other names with
 * the second (or the first again), and A and MX with counts, NXDOMAIN or
 * failures chosen from the name, so loops, void lookups and errors come
 * up. Properties: no crash, no read outside the input; findings capped;
 * the status the worst of them; printable codes and messages; the out
 * fields within their ranges; nh_spf_queries() fills no more than its
 * cap and counts the same whatever the cap.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_webpol.h"
#include "webpol/webpol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DOMAIN "fuzz.example"

struct fuzz_zone {
	const char *rec[2];
	const char *both[2];
	unsigned calls;
};

/* A small hash of a name, to vary the answers. */
static unsigned
name_hash(const char *name)
{
	unsigned h = 5381;

	for (const char *p = name; *p != '\0'; p++)
		h = h * 33 + (unsigned char)*p;
	return h;
}

static void
fuzz_lookup(
    void *ctx, const char *name, enum nh_spf_qtype t, struct nh_spf_answer *out)
{
	struct fuzz_zone *z = ctx;
	unsigned h = name_hash(name);

	assert(strlen(name) < 256);
	assert(out->rcode == -2 && out->ntxt == 0 && out->naddrs == 0);
	z->calls++;
	if (t == NH_SPF_Q_TXT) {
		bool top = strcmp(name, DOMAIN) == 0;

		if (!top && h % 11 == 0) {
			out->rcode = h % 2 ? 3 : -1;
			return;
		}
		out->rcode = 0;
		if (!top && h % 7 == 0) { /* two records */
			out->txt = z->both;
			out->ntxt = 2;
			return;
		}
		out->txt = &z->rec[!top && z->rec[1] != NULL];
		out->ntxt = 1;
		return;
	}
	switch (h % 5) {
	case 0:
		out->rcode = 3;
		break;
	case 1:
		out->rcode = h % 3 ? 0 : -1; /* no records, or a failure */
		break;
	default:
		out->rcode = 0;
		out->naddrs = h % 13;
		break;
	}
}

static void
check_spf(const struct nh_spf_result *out, const struct nh_webpol_result *r,
    const struct fuzz_zone *z)
{
	bool worst = false;

	check_result(r);
	for (size_t i = 0; i < r->n; i++)
		worst = worst || r->f[i].status == r->status;
	assert(worst);
	assert(out->records >= 0 && out->records <= 2);
	assert(out->all[0] == '\0' ||
	    (strchr("-~+?", out->all[0]) != NULL && out->all[1] == '\0'));
	assert(out->internetnl_points == 0 || out->internetnl_points == 2 ||
	    out->internetnl_points == 10);
	/* Following stops at the limit: a bounded number of questions. */
	assert(z->calls <= 64);
	if (nh_webpol_find(r, "spf_ok") != NULL)
		assert(r->status > NH_FAILED);
}

static void
check_queries(const char *rec)
{
	struct nh_spf_query q[5];
	struct nh_spf_query big[64];
	size_t n, m;

	memset(q, 0, sizeof(q));
	/* q[4] guards: a cap of 4 must leave it untouched. */
	memset(&q[4], 0x5a, sizeof(q[4]));
	n = nh_spf_queries(DOMAIN, rec, q, 4);
	for (size_t i = 0; i < sizeof(q[4].name); i++)
		assert((unsigned char)q[4].name[i] == 0x5a);
	m = nh_spf_queries(DOMAIN, rec, big, 64);
	assert(n == m);
	assert(nh_spf_queries(DOMAIN, rec, NULL, 0) == n);
	for (size_t i = 0; i < n && i < 64; i++) {
		struct nh_spf_query *e = i < 4 ? &q[i] : &big[i];

		assert(memchr(e->name, '\0', sizeof(e->name)) != NULL);
		assert(e->name[0] != '\0');
		assert(e->type == NH_SPF_Q_TXT || e->type == NH_SPF_Q_A ||
		    e->type == NH_SPF_Q_MX);
		if (i < 4)
			assert(memcmp(e, &big[i], sizeof(*e)) == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nh_webpol_result r;
	struct nh_spf_result out;
	struct fuzz_zone z;
	char *buf, *nl;

	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	memset(&z, 0, sizeof(z));
	z.rec[0] = buf;
	nl = strchr(buf, '\n');
	if (nl != NULL) {
		*nl = '\0';
		z.rec[1] = nl + 1;
	}
	z.both[0] = z.rec[0];
	z.both[1] = z.rec[1] != NULL ? z.rec[1] : z.rec[0];

	nh_spf_judge(DOMAIN, fuzz_lookup, &z, false, &out, &r);
	check_spf(&out, &r, &z);
	z.calls = 0;
	nh_spf_judge(DOMAIN, fuzz_lookup, &z, true, &out, &r);
	check_spf(&out, &r, &z);
	check_queries(z.rec[0]);
	if (z.rec[1] != NULL)
		check_queries(z.rec[1]);
	free(buf);
	return 0;
}
