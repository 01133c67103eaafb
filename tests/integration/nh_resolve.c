/*
 * nh_resolve.c: resolves names through nethealth's resolver layer
 * (src/dns/) and prints one line per answer:
 *     NAME TYPE STATUS RCODE SECURITY ANSWERS [why-bogus]
 * Usage: nh_resolve [-c CONF] NAME[/TYPE]...   (TYPE: A, AAAA, SOA, ...;
 * default SOA). CONF defaults to $NETHEALTH_RESOLVER_CONF. For the
 * integration tests, which run it in the lab.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "dns/dns.h"

static int pending;

static void
on_answer(const struct nh_dns_answer *a, void *arg)
{
	char *type = ldns_rr_type2str(a->type);
	size_t n = 0;

	(void)arg;
	if (a->pkt != NULL)
		n = ldns_rr_list_rr_count(ldns_pkt_answer(a->pkt));
	printf("%s %s %s %s %s %zu%s%s\n", a->name, type,
	    a->status == NH_DNS_OK            ? "ok"
		: a->status == NH_DNS_TIMEOUT ? "timeout"
					      : "failed",
	    a->status == NH_DNS_OK
		? ldns_lookup_by_id(ldns_rcodes, a->rcode)->name
		: "-",
	    nh_dns_sec_name(a->sec), n, a->why_bogus ? " " : "",
	    a->why_bogus ? a->why_bogus : "");
	free(type);
	pending--;
}

int
main(int argc, char **argv)
{
	struct nh_dns_config cfg = { .timeout = 5, .retries = 1 };
	struct event_base *base = event_base_new();
	struct nh_dns *d;
	const char *err;
	int c;

	cfg.conf_file = getenv("NETHEALTH_RESOLVER_CONF");
	while ((c = getopt(argc, argv, "c:")) != -1) {
		if (c != 'c') {
			fprintf(stderr,
			    "usage: nh_resolve [-c CONF] NAME[/TYPE]...\n");
			return 1;
		}
		cfg.conf_file = optarg;
	}
	if ((d = nh_dns_new(base, &cfg, &err)) == NULL) {
		fprintf(stderr, "nh_resolve: %s\n", err);
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		char name[300], *slash;
		ldns_rr_type t = LDNS_RR_TYPE_SOA;

		snprintf(name, sizeof(name), "%s", argv[i]);
		if ((slash = strchr(name, '/')) != NULL) {
			*slash = '\0';
			if ((t = ldns_get_rr_type_by_name(slash + 1)) == 0) {
				fprintf(stderr, "nh_resolve: bad type %s\n",
				    slash + 1);
				return 1;
			}
		}
		if (nh_dns_resolve(d, name, t, on_answer, NULL) == NULL)
			return 2;
		pending++;
	}
	while (pending > 0 && event_base_loop(base, EVLOOP_ONCE) == 0)
		;
	nh_dns_free(d);
	event_base_free(base);
	return 0;
}
