/*
 * public.c: which addresses are public, and the connection guard of a
 * server that tests names for strangers.
 *
 * One table of the space that is not public: the IANA special-purpose
 * registries' entries that are not globally reachable, plus
 * documentation, benchmarking, multicast, and IPv6 outside global unicast
 * (2000::/3). IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4)
 * are judged by that address first. The same table is what the resolver
 * is told not to query (nh_net_special_cidrs).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"

static bool public_only;

const char *const nh_net_special_cidrs[] = {
	"0.0.0.0/8",       /* "this network" (RFC 791) */
	"10.0.0.0/8",      /* private (RFC 1918) */
	"100.64.0.0/10",   /* shared address space, CGN (RFC 6598) */
	"127.0.0.0/8",     /* loopback */
	"169.254.0.0/16",  /* link-local (RFC 3927) */
	"172.16.0.0/12",   /* private */
	"192.0.0.0/24",    /* IETF protocol assignments (RFC 6890) */
	"192.0.2.0/24",    /* TEST-NET-1 (RFC 5737) */
	"192.88.99.0/24",  /* 6to4 relay anycast (RFC 7526) */
	"192.168.0.0/16",  /* private */
	"198.18.0.0/15",   /* benchmarking (RFC 2544) */
	"198.51.100.0/24", /* TEST-NET-2 */
	"203.0.113.0/24",  /* TEST-NET-3 */
	"224.0.0.0/4",     /* multicast */
	"240.0.0.0/4",     /* reserved, and broadcast */
	"::/3",            /* outside global unicast: unspecified, loopback, */
	"4000::/2",        /* ULA (fc00::/7), link-local (fe80::/10), */
	"8000::/1",        /* multicast (ff00::/8), reserved */
	"2001::/23",       /* IETF protocol assignments (RFC 2928) */
	"2001:db8::/32",   /* documentation (RFC 3849) */
	"3fff::/20",       /* documentation (RFC 9637) */
	NULL,
};

struct range {
	uint8_t net[16];
	unsigned bits;
	int family; /* 4 or 6 */
};

static struct range ranges[32];
static size_t nranges;

/* Parses the table once (the process has one thread where it matters). */
static void
load(void)
{
	char text[64], *slash;

	if (nranges > 0)
		return;
	for (size_t i = 0; nh_net_special_cidrs[i] != NULL; i++) {
		struct range *r = &ranges[nranges];

		snprintf(text, sizeof(text), "%s", nh_net_special_cidrs[i]);
		slash = strchr(text, '/');
		*slash = '\0';
		r->bits = (unsigned)atoi(slash + 1);
		r->family = strchr(text, ':') != NULL ? 6 : 4;
		inet_pton(r->family == 6 ? AF_INET6 : AF_INET, text, r->net);
		nranges++;
	}
}

static bool
in_range(const uint8_t *a, const struct range *r)
{
	unsigned full = r->bits / 8, rest = r->bits % 8;

	if (memcmp(a, r->net, full) != 0)
		return false;
	return rest == 0 || (a[full] ^ r->net[full]) >> (8 - rest) == 0;
}

static bool
public_bytes(const uint8_t *a, int family)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
		0xff };
	static const uint8_t nat64[12] = { 0, 0x64, 0xff, 0x9b };

	if (family == 6) {
		/* Addresses that carry an IPv4 address: judged by it. */
		if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
			return public_bytes(a + 12, 4);
		if (a[0] == 0x20 && a[1] == 0x02)
			return public_bytes(a + 2, 4);
	}
	load();
	for (size_t i = 0; i < nranges; i++) {
		if (ranges[i].family == family && in_range(a, &ranges[i]))
			return false;
	}
	return true;
}

bool
nh_addr_is_public(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		return public_bytes((const uint8_t *)&s4->sin_addr, 4);
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		return public_bytes(s6->sin6_addr.s6_addr, 6);
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
nh_net_public_only(void)
{
	return public_only;
}

bool
nh_net_may_connect(const struct sockaddr *sa)
{
	return !public_only || nh_addr_is_public(sa);
}
