/*
 * fuzz_rpki_routes.c: libFuzzer target for the route loader (src/rpki/):
 * the input is a whole file, CAIDA prefix-to-AS or CSV, format detected
 * as for a real one. A few VRPs are loaded first, so that every route
 * found is validated. Properties as for fuzz_rpki_vrps.c: no crash, no
 * read outside the input, no leak; a failed load adds nothing and says
 * why in printable ASCII; lookups consistent whatever their cap, most
 * specific first, each route's state the one nh_rpki_validate() gives.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_rpki.h"
#include "rpki/rpki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char vrps[] = "ASN,IP Prefix,Max Length,Trust Anchor\n"
			   "AS64496,10.0.0.0/8,24,t\n"
			   "AS0,192.0.2.0/24,32,t\n"
			   "AS64496,198.51.100.0/24,24,t\n"
			   "AS64500,203.0.113.0/24,24,t\n"
			   "AS64496,2001:db8::/32,48,t\n";

static const char *const fixed[] = { "0.0.0.0", "1.0.0.1", "10.0.0.1",
	"192.0.2.1", "198.51.100.53", "203.0.113.10", "255.255.255.255",
	"::", "2001:db8::1", "::ffff:10.0.0.1",
	"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nh_rpki *r = nh_rpki_new();
	char err[256], ip[64];
	unsigned char a[16] = { 0 };

	if (r == NULL)
		return 0;
	assert(nh_rpki_vrps_from(
		   r, vrps, sizeof(vrps) - 1, "vrps", err, sizeof(err)) == 0);
	memset(err, 'x', sizeof(err));
	if (nh_rpki_routes_from(r, (const char *)data, size, "fuzz.pfx2as", err,
		sizeof(err)) != 0) {
		check_err(err, sizeof(err));
		assert(nh_rpki_route_count(r) == 0);
		nh_rpki_free(r);
		return 0;
	}
	assert(nh_rpki_ready(r) == 0);
	assert(nh_rpki_route_count(r) > 0);
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		lookup(r, fixed[i]);
	memcpy(a, data, size < 16 ? size : 16);
	lookup(r, inet_ntop(AF_INET, a, ip, sizeof(ip)));
	lookup(r, inet_ntop(AF_INET6, a, ip, sizeof(ip)));
	nh_rpki_free(r);
	return 0;
}
