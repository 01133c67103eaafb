/*
 * fuzz_rpki_vrps.c: libFuzzer target for the VRP loader (src/rpki/), which
 * reads files a relying party wrote, or whoever handed one over: the
 * input is a whole file, JSON or CSV, format detected as for a real one.
 * Then a few routes are added, the set made ready, and looked up at fixed
 * addresses and at addresses taken from the input's first bytes.
 * Properties: no crash, no read outside the input, no leak; a failed load
 * adds nothing and says why in printable ASCII within the buffer; a
 * lookup counts the same whatever its cap, fills at most its cap, gives
 * the most specific route first, and only states that exist.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_rpki.h"
#include "rpki/rpki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Routes near what the seeds and the fuzzer's own prefixes hold. */
static const char routes[] = "10.0.0.0\t8\t64496\n"
			     "10.0.0.0\t24\t64496_64497\n"
			     "192.0.2.0\t24\t0\n"
			     "198.51.100.0\t24\t64496\n"
			     "203.0.113.0\t24\t64500\n"
			     "2001:db8::\t32\t64496\n"
			     "2001:db8:0:1::\t64\t64496\n";

static const char *const fixed[] = { "0.0.0.0", "10.0.0.1", "192.0.2.1",
	"198.51.100.53", "203.0.113.10", "255.255.255.255", "::", "2001:db8::1",
	"2001:db8:0:1::1", "::ffff:10.0.0.1",
	"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nh_rpki *r = nh_rpki_new();
	char err[256], ip[64];
	unsigned char a[16] = { 0 };

	if (r == NULL)
		return 0;
	memset(err, 'x', sizeof(err));
	if (nh_rpki_vrps_from(r, (const char *)data, size, "fuzz.json", err,
		sizeof(err)) != 0) {
		check_err(err, sizeof(err));
		assert(nh_rpki_vrp_count(r) == 0);
		nh_rpki_free(r);
		return 0;
	}
	assert(nh_rpki_routes_from(r, routes, sizeof(routes) - 1, "routes", err,
		   sizeof(err)) == 0);
	assert(nh_rpki_ready(r) == 0);
	assert(nh_rpki_vrp_count(r) > 0);
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		lookup(r, fixed[i]);
	memcpy(a, data, size < 16 ? size : 16);
	lookup(r, inet_ntop(AF_INET, a, ip, sizeof(ip)));
	lookup(r, inet_ntop(AF_INET6, a, ip, sizeof(ip)));
	nh_rpki_free(r);
	return 0;
}
