/*
 * nh_http.c: one GET with nethealth's HTTP client (src/http/), printed as
 *     status STATUS
 *     ip ADDRESS
 *     header NAME: VALUE            (each, in order)
 *     body BYTES [cut]
 *     error MESSAGE                 (when there was no response)
 * Usage: nh_http [-z] [-m MAXBODY] [-t TIMEOUT] URL [ADDRESS]: -z offers
 * compression; ADDRESS pins the connection. For the integration tests,
 * which run it in the lab.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <event2/event.h>

#include "http/http.h"

static void
on_done(struct nh_http_response *r, void *arg)
{
	(void)arg;
	if (r == NULL) {
		printf("error out of memory\n");
		return;
	}
	printf("status %d\nip %s\n", r->status, r->ip);
	for (size_t i = 0; i < r->nheaders; i++)
		printf(
		    "header %s: %s\n", r->headers[i].name, r->headers[i].value);
	printf("body %zu%s\n", r->body_len, r->body_cut ? " cut" : "");
	if (r->headers_cut)
		printf("headers cut\n");
	if (r->error != NULL)
		printf("error %s\n", r->error);
	nh_http_response_free(r);
}

int
main(int argc, char **argv)
{
	struct nh_http_request req = { .max_body = 65536, .timeout = 10 };
	struct event_base *base;
	struct nh_http *h;
	const char *err;
	int c;

	signal(SIGPIPE, SIG_IGN);
	while ((c = getopt(argc, argv, "zm:t:")) != -1) {
		switch (c) {
		case 'z':
			req.compression = true;
			break;
		case 'm':
			req.max_body = strtoul(optarg, NULL, 10);
			break;
		case 't':
			req.timeout = strtod(optarg, NULL);
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		goto usage;
	req.url = argv[optind];
	req.pin_ip = argc - optind == 2 ? argv[optind + 1] : NULL;
	if ((base = event_base_new()) == NULL ||
	    (h = nh_http_new(base, NULL, &err)) == NULL) {
		fprintf(stderr, "nh_http: cannot start\n");
		return 1;
	}
	if (nh_http_get(h, &req, on_done, NULL, &err) == NULL) {
		fprintf(stderr, "nh_http: %s\n", err);
		return 1;
	}
	event_base_dispatch(base);
	nh_http_free(h);
	event_base_free(base);
	return 0;
usage:
	fprintf(stderr,
	    "usage: nh_http [-z] [-m MAXBODY] [-t TIMEOUT] URL [ADDRESS]\n");
	return 1;
}
