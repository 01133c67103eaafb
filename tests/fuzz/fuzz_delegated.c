/*
 * fuzz_delegated.c: libFuzzer target for the RIR delegated statistics
 * parser (src/survey/geo.c, nh_geo_delegated_from): the input is a whole
 * file. Properties: no crash, no read outside the input, no leak; a
 * failed load says why in printable ASCII within the buffer and adds
 * nothing (a range loaded first still answers, nothing else does); after
 * a good load, lookups of fixed addresses and of addresses made from the
 * input give two letters or nothing.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "survey/survey.h"
#include "survey/survey_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fixed[] = { "0.0.0.0", "10.0.0.1", "192.0.2.1",
	"255.255.255.255", "::", "2001:db8::1", "::ffff:192.0.2.1",
	"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" };

static void
lookup(const struct nh_geo *g, const char *ip)
{
	char cc[3] = "";

	if (ip == NULL || nh_geo_delegated_cc(g, ip, cc) != 0)
		return;
	assert(cc[0] >= 'A' && cc[0] <= 'Z' && cc[1] >= 'A' && cc[1] <= 'Z' &&
	    cc[2] == '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char base[] = "x|QQ|ipv4|203.0.113.0|7|0|assigned\n";
	struct nh_geo *g = nh_geo_new();
	char err[256], ip[64], cc[3];
	unsigned char a[16] = { 0 };

	if (g == NULL)
		return 0;
	assert(nh_geo_delegated_from(
		   g, base, sizeof(base) - 1, "base", err, sizeof(err)) == 0);
	memset(err, 'x', sizeof(err));
	if (nh_geo_delegated_from(
		g, (const char *)data, size, "fuzz", err, sizeof(err)) != 0) {
		size_t n = strnlen(err, sizeof(err));

		assert(n > 0 && n < sizeof(err));
		for (size_t i = 0; i < n; i++)
			assert(err[i] >= 0x20 && err[i] < 0x7f);
		assert(nh_geo_delegated_cc(g, "203.0.113.6", cc) == 0 &&
		    strcmp(cc, "QQ") == 0);
		assert(nh_geo_delegated_cc(g, "203.0.113.7", cc) == -1);
		nh_geo_free(g);
		return 0;
	}
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		lookup(g, fixed[i]);
	memcpy(a, data, size < 16 ? size : 16);
	lookup(g, inet_ntop(AF_INET, a, ip, sizeof(ip)));
	lookup(g, inet_ntop(AF_INET6, a, ip, sizeof(ip)));
	nh_geo_free(g);
	return 0;
}
