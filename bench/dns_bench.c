/*
 * dns_bench.c: validated lookups per second, through nethealth's resolver
 * layer (src/dns/: admission control, timeouts, answer parsing) or through
 * raw libunbound in event mode with the same window, over the same names,
 * each from a cold cache. Prints one JSON line per run.
 *
 * Usage: dns_bench -m nethealth|raw [-c CONF] [-w WINDOW] [-t TYPE] FILE
 *   FILE: names, one per line. CONF: an unbound config (default
 *   $NETHEALTH_RESOLVER_CONF). WINDOW: queries in flight (default 200).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <unbound-event.h>
#include <unbound.h>

#include "dns/dns.h"

struct run {
	char **names;
	size_t n, next, done;
	unsigned long secure, insecure, bogus, errors;
	uint16_t type;
	struct ub_ctx *ub; /* raw mode */
	unsigned window;
};

static void
count(struct run *r, int ok, int sec)
{
	r->done++;
	if (!ok)
		r->errors++;
	else if (sec == 2)
		r->secure++;
	else if (sec == 1)
		r->bogus++;
	else
		r->insecure++;
}

/* ---- raw libunbound ---- */

static void raw_submit(struct run *r);

static void
raw_cb(void *arg, int rcode, void *pkt, int len, int sec, char *why, int rl)
{
	struct run *r = arg;

	(void)pkt;
	(void)len;
	(void)why;
	(void)rl;
	count(r, rcode == 0, sec);
	raw_submit(r);
}

static void
raw_submit(struct run *r)
{
	int id;

	while (r->next < r->n && r->next - r->done < r->window) {
		if (ub_resolve_event(r->ub, r->names[r->next++], r->type, 1, r,
			raw_cb, &id) != 0)
			count(r, 0, 0);
	}
}

/* ---- nethealth's layer ---- */

static void
nh_cb(const struct nh_dns_answer *a, void *arg)
{
	struct run *r = arg;
	ldns_rr_list *rrs = NULL;

	/* Do what a probe does with an answer: look at its records. */
	if (a->pkt != NULL)
		rrs = ldns_pkt_rr_list_by_type(
		    a->pkt, a->type, LDNS_SECTION_ANSWER);
	ldns_rr_list_deep_free(rrs);
	count(r, a->status == NH_DNS_OK && a->rcode != LDNS_RCODE_SERVFAIL,
	    a->sec);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char **
read_names(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "r");
	char line[512], **names = NULL;
	size_t cap = 0;

	*n = 0;
	if (fp == NULL)
		return NULL;
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 1024;
			names = realloc(names, cap * sizeof(*names));
		}
		names[(*n)++] = strdup(line);
	}
	fclose(fp);
	return names;
}

int
main(int argc, char **argv)
{
	struct run r = { .window = 200, .type = LDNS_RR_TYPE_A };
	const char *mode = "nethealth", *conf, *err;
	struct event_base *base;
	struct nh_dns *d = NULL;
	struct rusage ru;
	double t0, t;
	int c;

	conf = getenv("NETHEALTH_RESOLVER_CONF");
	while ((c = getopt(argc, argv, "m:c:w:t:")) != -1) {
		switch (c) {
		case 'm':
			mode = optarg;
			break;
		case 'c':
			conf = optarg;
			break;
		case 'w':
			r.window = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 't':
			r.type = ldns_get_rr_type_by_name(optarg);
			break;
		default:
			return 1;
		}
	}
	if (optind >= argc ||
	    (r.names = read_names(argv[optind], &r.n)) == NULL ||
	    r.window == 0) {
		fprintf(stderr,
		    "usage: dns_bench -m nethealth|raw [-c CONF] "
		    "[-w WINDOW] [-t TYPE] FILE\n");
		return 1;
	}
	base = event_base_new();
	if (strcmp(mode, "raw") == 0) {
		r.ub = ub_ctx_create_event(base);
		if (r.ub == NULL || (conf && ub_ctx_config(r.ub, conf) != 0))
			return 2;
		t0 = now();
		raw_submit(&r);
	} else {
		struct nh_dns_config cfg = { .conf_file = conf,
			.max_inflight = r.window,
			.timeout = 10,
			.retries = 1 };

		if ((d = nh_dns_new(base, &cfg, &err)) == NULL) {
			fprintf(stderr, "dns_bench: %s\n", err);
			return 2;
		}
		t0 = now();
		/* All at once: the layer's admission control keeps the window. */
		for (size_t i = 0; i < r.n; i++)
			nh_dns_resolve(d, r.names[i], r.type, nh_cb, &r);
	}
	while (r.done < r.n && event_base_loop(base, EVLOOP_ONCE) == 0)
		;
	t = now() - t0;
	getrusage(RUSAGE_SELF, &ru);
	printf("{\"mode\": \"%s\", \"names\": %zu, \"window\": %u, "
	       "\"seconds\": %.3f, \"qps\": %.0f, \"secure\": %lu, "
	       "\"insecure\": %lu, \"bogus\": %lu, \"errors\": %lu, "
	       "\"maxrss_kb\": %ld}\n",
	    mode, r.n, r.window, t, (double)r.n / t, r.secure, r.insecure,
	    r.bogus, r.errors, ru.ru_maxrss);
	nh_dns_free(d);
	if (r.ub != NULL)
		ub_ctx_delete(r.ub);
	event_base_free(base);
	for (size_t i = 0; i < r.n; i++)
		free(r.names[i]);
	free(r.names);
	return 0;
}
