/*
 * nh_direct.c: sends one question with nethealth's direct query probe
 * (src/dns/direct.c) and prints one line:
 *     STATUS TRANSPORT RCODE AA|- [error]
 * Usage: nh_direct ADDRESS NAME TYPE [TIMEOUT]. For the integration tests,
 * which run it in the lab.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "dns/dns.h"

static int done;

static void
on_result(const struct nh_dns_direct_result *r, void *arg)
{
	(void)arg;
	printf("%s %s %s %s%s%s\n",
	    r->status == NH_DNS_OK            ? "ok"
		: r->status == NH_DNS_TIMEOUT ? "timeout"
					      : "failed",
	    r->tcp ? "tcp" : "udp",
	    r->status == NH_DNS_OK
		? ldns_lookup_by_id(ldns_rcodes, r->rcode)->name
		: "-",
	    r->aa ? "aa" : "-", r->error ? " " : "", r->error ? r->error : "");
	done = 1;
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	struct event_base *base;
	const char *err;
	ldns_rr_type t;

	if (argc < 4 || (t = ldns_get_rr_type_by_name(argv[3])) == 0) {
		fprintf(
		    stderr, "usage: nh_direct ADDRESS NAME TYPE [TIMEOUT]\n");
		return 1;
	}
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, argv[1], &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(53);
		len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, argv[1], &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(53);
		len = sizeof(*s6);
	} else {
		fprintf(stderr, "nh_direct: bad address %s\n", argv[1]);
		return 1;
	}
	base = event_base_new();
	if (nh_dns_direct_query(base, (struct sockaddr *)&ss, len, argv[2], t,
		NH_DNS_Q_CD, argc > 4 ? atof(argv[4]) : 5.0, on_result, NULL,
		&err) == NULL) {
		fprintf(stderr, "nh_direct: %s\n", err);
		return 2;
	}
	while (!done && event_base_loop(base, EVLOOP_ONCE) == 0)
		;
	event_base_free(base);
	return 0;
}
