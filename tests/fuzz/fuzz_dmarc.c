/*
 * fuzz_dmarc.c: libFuzzer target for the DMARC record judge, which reads
 * TXT records any DNS server sends. Input: the record, any bytes (NULs
 * included), copied to a buffer of exactly its size so that a read past
 * it is caught. Properties: no crash, no read outside the input; at most
 * NH_WEBPOL_MAX_FINDINGS findings, the status the worst of them, every
 * code and message printable UTF-8; a valid record has one dmarc_ok and
 * no failure, an invalid one one "syntax" and an empty result; the URIs
 * kept are NUL-terminated within their arrays, and the mailto: host of
 * each is a lower-case DNS name.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_webpol.h"
#include "webpol/webpol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
}

/* A host from nh_dmarc_uri_host(): lower-case LDH/underscore labels. */
static void
check_host(const char *uri)
{
	char host[256];
	size_t len;

	if (!nh_dmarc_uri_host(uri, host, sizeof(host))) {
		assert(host[0] == '\0');
		return;
	}
	len = strlen(host);
	assert(len > 0 && len <= 253 && host[0] != '.' && host[len - 1] != '.');
	for (size_t i = 0; i < len; i++) {
		char c = host[i];

		assert((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || (c == '.' && host[i + 1] != '.'));
	}
}

/* A policy word as kept: "", none, quarantine or reject. */
static void
check_policy(const char *p)
{
	assert(p[0] == '\0' || !strcmp(p, "none") || !strcmp(p, "quarantine") ||
	    !strcmp(p, "reject"));
}

static void
check_uris(const char (*u)[256], size_t n)
{
	assert(n <= NH_DMARC_MAX_URIS);
	for (size_t i = 0; i < n; i++) {
		size_t len = strnlen(u[i], 256);

		assert(len > 0 && len < 256);
		assert(memchr(u[i], '!', len) == NULL);
		assert(strchr(u[i], ':') != NULL);
		check_host(u[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nh_webpol_result r;
	struct nh_dmarc d;
	char *rec, *str;

	if ((rec = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(rec, data, size);
	nh_dmarc_parse(size ? rec : NULL, size, &d, &r);
	check_result(&r);
	check_worst(&r);
	if (d.valid) {
		assert(r.status != NH_FAILED);
		assert(nh_webpol_find(&r, "dmarc_ok") != NULL);
		assert(size >= 9 && (rec[0] == 'v' || rec[0] == 'V'));
		assert(d.pct <= 100);
		assert(d.testing || nh_webpol_find(&r, "testing") == NULL);
		check_uris((const char(*)[256])d.rua, d.nrua);
		check_uris((const char(*)[256])d.ruf, d.nruf);
		check_policy(d.p);
		check_policy(d.sp);
		check_policy(d.np);
	} else {
		assert(r.status == NH_FAILED && r.n == 1);
		assert(strcmp(r.f[0].code, "syntax") == 0);
		assert(d.p[0] == '\0' && d.nrua == 0 && d.nruf == 0 &&
		    d.pct == 100 && !d.testing);
	}
	(void)nh_dmarc_is_record(size ? rec : NULL, size);
	free(rec);

	/* The input as a URI. */
	if ((str = malloc(size + 1)) == NULL)
		return 0;
	memcpy(str, data, size);
	str[size] = '\0';
	check_host(str);
	free(str);
	return 0;
}
