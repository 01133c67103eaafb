/*
 * fuzz_mtasts.c: libFuzzer target for the MTA-STS judges (the _mta-sts
 * TXT record, the policy file and its answer, with MX host names) and
 * the TLS-RPT record judge, which read what any DNS server or web server
 * sends. Input: one byte of answer flags (bit 0: redirected; bits 1-2:
 * the Content-Type; bits 3-5 all set: HTTP 404), a first line of up to 4
 * MX host names separated by spaces, then the policy body. Each judge
 * gets a buffer of exactly its input's size, NULs included, so that a
 * read past it is caught; the two TXT judges read the whole input after
 * the flag byte as well as the body alone. Properties: no crash, no read
 * outside the input; findings capped, the status the worst of them, every
 * code and message printable UTF-8; what the judges return within its
 * bounds and consistent with their findings.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_webpol.h"
#include "webpol/webpol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_NAMES 4

/* The status is the worst finding when none was dropped. */
static void
check_worst(const struct nh_webpol_result *r)
{
	enum nh_status worst = NH_PASSED;

	for (size_t i = 0; i < r->n; i++) {
		if (r->f[i].status < worst)
			worst = r->f[i].status;
	}
	assert(r->dropped > 0 || r->status == worst);
	assert(r->status != NH_FAILED); /* errors are warnings here */
}

static void
check_txt(const char *p, size_t len)
{
	struct nh_webpol_result r;
	char id[33];

	nh_mtasts_txt(len ? p : NULL, len, id, sizeof(id), &r);
	check_result(&r);
	check_worst(&r);
	assert(strnlen(id, sizeof(id)) <= 32);
	for (size_t i = 0; id[i] != '\0'; i++)
		assert((id[i] >= '0' && id[i] <= '9') ||
		    (id[i] >= 'a' && id[i] <= 'z') ||
		    (id[i] >= 'A' && id[i] <= 'Z'));
	assert((id[0] != '\0') ==
	    (nh_webpol_find(&r, "mtasts_record_ok") != NULL));
	(void)nh_mtasts_is_record(len ? p : NULL, len);

	nh_tlsrpt_txt(len ? p : NULL, len, &r);
	check_result(&r);
	check_worst(&r);
	(void)nh_tlsrpt_is_record(len ? p : NULL, len);
}

static void
check_policy(const struct nh_mtasts_policy *p, const struct nh_webpol_result *r,
    bool served)
{
	check_result(r);
	check_worst(r);
	assert(!strcmp(p->mode, "") || !strcmp(p->mode, "enforce") ||
	    !strcmp(p->mode, "testing") || !strcmp(p->mode, "none"));
	assert(p->max_age <= 31557600UL);
	assert(p->nmx <= 16);
	for (size_t i = 0; i < p->nmx; i++) {
		size_t len = strnlen(p->mx[i], sizeof(p->mx[i]));

		assert(len > 0 && len < sizeof(p->mx[i]));
	}
	if (p->valid) {
		assert(served && p->mode[0] != '\0');
		assert(p->nmx > 0 || !strcmp(p->mode, "none"));
	}
	if (nh_webpol_find(r, "mtasts_ok") != NULL)
		assert(p->valid && !strcmp(p->mode, "enforce") &&
		    nh_webpol_find(r, "mx_mismatch") == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = { "text/plain",
		"TEXT/PLAIN; charset=utf-8", "text/html", NULL };
	char names[MAX_NAMES][256];
	const char *mx[MAX_NAMES];
	struct nh_mtasts_fetch f;
	struct nh_mtasts_policy p;
	struct nh_webpol_result r;
	const uint8_t *rest, *nl;
	size_t n = 0, len, i;
	char *buf;

	if (size == 0)
		return 0;
	rest = data + 1;
	len = size - 1;

	/* The two TXT judges on all of it. */
	if ((buf = malloc(len ? len : 1)) == NULL)
		return 0;
	memcpy(buf, rest, len);
	check_txt(buf, len);
	free(buf);

	/* The MX names: the first line, split on spaces. */
	nl = memchr(rest, '\n', len);
	i = 0;
	while (nl != NULL && i < (size_t)(nl - rest) && n < MAX_NAMES) {
		size_t k = 0;

		while (i < (size_t)(nl - rest) && rest[i] == ' ')
			i++;
		while (i < (size_t)(nl - rest) && rest[i] != ' ') {
			if (k < sizeof(names[n]) - 1)
				names[n][k++] = (char)rest[i];
			i++;
		}
		names[n][k] = '\0';
		mx[n] = names[n];
		n++;
	}
	if (nl != NULL) {
		len -= (size_t)(nl + 1 - rest);
		rest = nl + 1;
	}

	/* The policy body. */
	if ((buf = malloc(len ? len : 1)) == NULL)
		return 0;
	memcpy(buf, rest, len);
	f.status = (data[0] & 0x38) == 0x38 ? 404 : 200;
	f.content_type = types[(data[0] >> 1) & 3];
	f.body = len ? buf : NULL;
	f.len = len;
	f.redirected = data[0] & 1;
	nh_mtasts_policy(&f, mx, n, &p, &r);
	check_policy(
	    &p, &r, f.status == 200 && !f.redirected && (data[0] & 4) == 0);
	if (f.status != 200)
		assert(r.n == 1 && !strcmp(r.f[0].code, "http_status"));
	nh_mtasts_policy(&f, NULL, 0, &p, &r);
	check_policy(
	    &p, &r, f.status == 200 && !f.redirected && (data[0] & 4) == 0);
	check_txt(buf, len);
	free(buf);
	return 0;
}
