/*
 * public.c: which addresses are public, and the connection guard of a
 * server that tests names for strangers.
 *
 * The ranges are the IANA special-purpose registries' entries that are not
 * globally reachable, plus documentation, benchmarking and multicast.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

#include "net.h"

static bool public_only;

struct range4 {
	uint32_t net;
	unsigned bits;
};

static const struct range4 special4[] = {
	{ 0x00000000, 8 },  /* "this network" (RFC 791) */
	{ 0x0a000000, 8 },  /* private (RFC 1918) */
	{ 0x64400000, 10 }, /* shared address space, CGN (RFC 6598) */
	{ 0x7f000000, 8 },  /* loopback */
	{ 0xa9fe0000, 16 }, /* link-local (RFC 3927) */
	{ 0xac100000, 12 }, /* private */
	{ 0xc0000000, 24 }, /* IETF protocol assignments (RFC 6890) */
	{ 0xc0000200, 24 }, /* TEST-NET-1 (RFC 5737) */
	{ 0xc0586300, 24 }, /* 6to4 relay anycast (RFC 7526) */
	{ 0xc0a80000, 16 }, /* private */
	{ 0xc6120000, 15 }, /* benchmarking (RFC 2544) */
	{ 0xc6336400, 24 }, /* TEST-NET-2 */
	{ 0xcb007100, 24 }, /* TEST-NET-3 */
	{ 0xe0000000, 4 },  /* multicast */
	{ 0xf0000000, 4 },  /* reserved, and broadcast */
};

static bool
public4(uint32_t a)
{
	for (size_t i = 0; i < sizeof(special4) / sizeof(special4[0]); i++) {
		uint32_t mask = 0xffffffffu << (32 - special4[i].bits);

		if ((a & mask) == special4[i].net)
			return false;
	}
	return true;
}

static uint32_t
v4_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static bool
prefix6(const uint8_t *a, const char *net, unsigned bits)
{
	uint8_t n[16];
	unsigned full = bits / 8, rest = bits % 8;

	if (inet_pton(AF_INET6, net, n) != 1)
		return false;
	if (memcmp(a, n, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return (a[full] ^ n[full]) >> (8 - rest) == 0;
}

static bool
public6(const uint8_t *a)
{
	/* Addresses that carry an IPv4 address: judged by it. */
	if (prefix6(a, "::ffff:0:0", 96) || prefix6(a, "64:ff9b::", 96))
		return public4(v4_at(a + 12));
	if (prefix6(a, "2002::", 16))
		return public4(v4_at(a + 2));
	/* Only global unicast (2000::/3) is public, less its special parts. */
	if (!prefix6(a, "2000::", 3))
		return false;
	return !prefix6(a, "2001::", 23) &&  /* IETF protocol assignments */
	    !prefix6(a, "2001:db8::", 32) && /* documentation (RFC 3849) */
	    !prefix6(a, "3fff::", 20) &&     /* documentation (RFC 9637) */
	    !prefix6(a, "5f00::", 16);       /* SRv6 SIDs (RFC 9602) */
}

bool
nh_addr_is_public(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		return public4(ntohl(s4->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		return public6(s6->sin6_addr.s6_addr);
	}
	return false;
}

bool
nh_ip_is_public(const char *ip)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (nh_sockaddr_from_text(ip, 0, &ss, &len) == 0)
		return false;
	return nh_addr_is_public((const struct sockaddr *)&ss);
}

void
nh_net_set_public_only(bool on)
{
	public_only = on;
}

bool
nh_net_may_connect(const struct sockaddr *sa)
{
	return !public_only || nh_addr_is_public(sa);
}
