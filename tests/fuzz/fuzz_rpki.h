/*
 * fuzz_rpki.h: the properties both RPKI loader targets check after a
 * load: a failure says why in printable ASCII within the buffer; a lookup
 * counts the same whatever its cap, fills at most its cap, gives the most
 * specific route first, and only states nh_rpki_validate() gives.
 * Header-only: each target is one translation unit.
 */
#ifndef NH_FUZZ_RPKI_H
#define NH_FUZZ_RPKI_H

#include <assert.h>
#include <string.h>

#include "rpki/rpki.h"

static inline void
check_err(const char *err, size_t cap)
{
	size_t n = strnlen(err, cap);

	assert(n > 0 && n < cap);
	for (size_t i = 0; i < n; i++)
		assert(err[i] >= 0x20 && err[i] < 0x7f);
}

static inline void
lookup(const struct nh_rpki *r, const char *ip)
{
	struct nh_rpki_route out[4];
	size_t n = nh_rpki_routes_for(r, ip, out, 4);

	assert(nh_rpki_routes_for(r, ip, NULL, 0) == n);
	for (size_t i = 0; i < n && i < 4; i++) {
		assert(out[i].state <= NH_ROV_INVALID_LENGTH);
		assert(out[i].len <= 128);
		assert(i == 0 || out[i].len <= out[i - 1].len);
		assert(memchr(out[i].prefix, '\0', sizeof(out[i].prefix)));
		assert(nh_rpki_validate(r, out[i].prefix, out[i].len,
			   out[i].asn) == out[i].state);
	}
	(void)nh_rpki_vrps_covering(r, ip);
}

#endif /* NH_FUZZ_RPKI_H */
