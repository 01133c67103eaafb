/*
 * test_public.c: which addresses a public server may test (net/public.c),
 * each special-purpose range at its edges, the IPv6 forms that carry an
 * IPv4 address, and the connection guard that a TCP connect obeys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>

#include "dns/dns.h"
#include "net/net.h"

static const char *const not_public[] = {
	"0.0.0.0",
	"0.255.255.255",
	"10.0.0.1",
	"10.255.255.255",
	"100.64.0.0",
	"100.127.255.255",
	"127.0.0.1",
	"127.255.255.254",
	"169.254.1.1",
	"172.16.0.1",
	"172.31.255.255",
	"192.0.0.8",
	"192.0.2.1",
	"192.88.99.1",
	"192.168.1.1",
	"198.18.0.1",
	"198.19.255.255",
	"198.51.100.7",
	"203.0.113.80",
	"224.0.0.1",
	"239.255.255.250",
	"240.0.0.1",
	"255.255.255.255",
	/* IPv6 */
	"::",
	"::1",
	"fe80::1",
	"fc00::1",
	"fd12:3456::1",
	"ff02::1",
	"fec0::1",
	"2001:db8::1",
	"2001:db8:0:1::3",
	"3fff::1",
	"2001::1",
	"2001:10::1",
	"5f00::1",
	"100::1",
	"::ffff:10.0.0.1",
	"::ffff:127.0.0.1",
	"64:ff9b::a00:1",
	"2002:0a00:0001::1",
	"2002:c0a8:0101::1",
	/* not addresses */
	"",
	"example.nl",
	"10.0.0.1.5",
	"1.2.3",
};

static const char *const public[] = {
	"1.1.1.1",
	"9.255.255.255",
	"11.0.0.0",
	"100.63.255.255",
	"100.128.0.0",
	"126.255.255.255",
	"128.0.0.1",
	"169.253.255.255",
	"172.15.255.255",
	"172.32.0.0",
	"192.0.1.255",
	"192.169.0.0",
	"198.17.255.255",
	"198.20.0.0",
	"198.51.99.255",
	"203.0.112.255",
	"223.255.255.255",
	"8.8.8.8",
	/* IPv6 */
	"2a00:1450:4001::1",
	"2001:4860::8888",
	"2620:fe::fe",
	"2001:200::1",
	"::ffff:8.8.8.8",
	"64:ff9b::808:808",
	"2002:0808:0808::1",
	"3ffe::1",
	"2c0f::1",
};

static void
test_ranges(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(not_public) / sizeof(not_public[0]);
	     i++) {
		if (nh_ip_is_public(not_public[i]))
			fail_msg("%s is not public", not_public[i]);
	}
	for (size_t i = 0; i < sizeof(public) / sizeof(public[0]); i++) {
		if (!nh_ip_is_public(public[i]))
			fail_msg("%s is public", public[i]);
	}
}

struct got {
	struct event_base *base;
	char error[128];
	bool done;
};

static void
on_ready(int fd, const char *error, void *arg)
{
	struct got *g = arg;

	if (fd >= 0)
		close(fd);
	snprintf(g->error, sizeof(g->error), "%s", error ? error : "");
	g->done = true;
	event_base_loopbreak(g->base);
}

/* The guard refuses a connection to 127.0.0.1 before any packet; off, the
 * same connect goes out (and is refused or accepted by the host). */
static void
test_guard(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct got g = { 0 };
	const char *err = NULL;

	(void)state;
	g.base = event_base_new();
	assert_non_null(g.base);
	assert_int_equal(nh_sockaddr_from_text("127.0.0.1", 9, &ss, &len), 4);
	nh_net_set_public_only(true);
	assert_false(nh_net_may_connect((struct sockaddr *)&ss));
	assert_non_null(nh_tcp_opener.open(g.base, (struct sockaddr *)&ss, len,
	    2.0, NULL, on_ready, &g, &err));
	event_base_dispatch(g.base);
	assert_true(g.done);
	assert_string_equal(g.error, NH_NET_NOT_PUBLIC);

	/* A direct DNS query to a name server there is refused too. */
	err = NULL;
	assert_null(nh_dns_direct_query(g.base, (struct sockaddr *)&ss, len,
	    "example.nl", LDNS_RR_TYPE_NS, 0, 1.0, NULL, NULL, &err));
	assert_string_equal(err, NH_NET_NOT_PUBLIC);

	nh_net_set_public_only(false);
	assert_true(nh_net_may_connect((struct sockaddr *)&ss));
	memset(&g.error, 0, sizeof(g.error));
	g.done = false;
	assert_non_null(nh_tcp_opener.open(g.base, (struct sockaddr *)&ss, len,
	    2.0, NULL, on_ready, &g, &err));
	event_base_dispatch(g.base);
	assert_true(g.done);
	assert_string_not_equal(g.error, NH_NET_NOT_PUBLIC);
	event_base_free(g.base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_guard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
