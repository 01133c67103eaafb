/*
 * fuzz_shadow.c: libFuzzer target for the Shadowserver CSV importer
 * (src/survey/shadow.c): the input's first byte picks the file name
 * (each report type, a dated name, a name that says nothing, one of a
 * type not read), the rest is the file, read through fmemopen().
 * Properties: no crash, no read outside the input, no leak; on failure
 * err says why in printable ASCII within the buffer; every record handed
 * to the callback is well formed (NUL-ended strings, a known service, an
 * address that parses, printable detail, source "shadowserver"), and the
 * count returned is the number of records seen. A callback that refuses
 * the third record stops the read with -1.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "survey/survey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = { "scan_dns.csv", "scan6_dns.csv",
	"scan_ntp.csv", "2024-01-02-scan_ntpmonitor-my-asn.csv", "scan_ssdp",
	"scan_snmp.csv", "scan_chargen.csv", "scan_memcached.csv", "report.csv",
	NULL, "/some/dir/2024-01-02-scan_qotd-x.csv" };

struct seen {
	long n;
	long refuse_at;
};

static int
check(const struct nh_survey_record *r, void *arg)
{
	struct seen *s = arg;
	unsigned char a[16];

	assert((unsigned)r->svc < NH_SVC_COUNT);
	assert(memchr(r->ip, '\0', sizeof(r->ip)) != NULL);
	assert(inet_pton(AF_INET, r->ip, a) == 1 ||
	    inet_pton(AF_INET6, r->ip, a) == 1);
	assert(memchr(r->cc, '\0', sizeof(r->cc)) != NULL);
	assert(memchr(r->detail, '\0', sizeof(r->detail)) != NULL);
	for (size_t i = 0; r->detail[i] != '\0'; i++)
		assert(r->detail[i] >= 0x20 && r->detail[i] < 0x7f);
	assert(strcmp(r->source, "shadowserver") == 0);
	assert(r->open);
	assert(r->amplification == -1 || r->amplification >= 0);
	s->n++;
	return s->n == s->refuse_at;
}

static void
check_err(const char *err, size_t cap)
{
	size_t n = strnlen(err, cap);

	assert(n > 0 && n < cap);
	for (size_t i = 0; i < n; i++)
		assert(err[i] >= 0x20 && err[i] < 0x7f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *name;
	char err[256];
	long rows;

	if (size < 2)
		return 0;
	name = names[data[0] % (sizeof(names) / sizeof(names[0]))];
	for (long refuse = 0; refuse <= 3; refuse += 3) {
		struct seen s = { 0, refuse };
		FILE *fp = fmemopen((void *)(data + 1), size - 1, "r");

		if (fp == NULL)
			return 0;
		memset(err, 'x', sizeof(err));
		rows = nh_shadow_read(fp, name, check, &s, err, sizeof(err));
		fclose(fp);
		if (rows < 0)
			check_err(err, sizeof(err));
		else
			assert(rows == s.n && (refuse == 0 || s.n < 3));
	}
	return 0;
}
