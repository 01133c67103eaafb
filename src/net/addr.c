/*
 * addr.c: addresses in text and socket form.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "net.h"

int
nh_sockaddr_from_text(
    const char *ip, uint16_t port, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, ip, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*len = sizeof(*s4);
		return 4;
	}
	if (inet_pton(AF_INET6, ip, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*len = sizeof(*s6);
		return 6;
	}
	return 0;
}

int
nh_ip_family(const char *ip)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (inet_pton(AF_INET, ip, &a4) == 1)
		return 4;
	if (inet_pton(AF_INET6, ip, &a6) == 1)
		return IN6_IS_ADDR_V4MAPPED(&a6) ? 4 : 6;
	return 0;
}
