/*
 * http_fixture.h: HTTP facts for the unit tests of the web checks: what
 * good.test's web server says at one address (http:// redirects to
 * https://, HSTS of a year, every security header right, a signed
 * security.txt, the same page on every address).
 */
#ifndef NH_TEST_HTTP_FIXTURE_H
#define NH_TEST_HTTP_FIXTURE_H

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "facts/facts.h"

static void
fx_header(struct nh_fact_http *h, enum nh_hdr which, const char *value)
{
	struct nh_fact_header *x = &h->headers[which];

	for (size_t i = 0; i < x->n; i++)
		free(x->values[i]);
	x->n = 0;
	if (value != NULL)
		x->values[x->n++] = strdup(value);
}

static void
fx_page(struct nh_fact_page *p, const char *url, const char *body)
{
	free(p->url);
	p->url = strdup(url);
	p->got = NH_PROBE_OK;
	p->status = 200;
	memset(p->hist, 0, sizeof(p->hist));
	p->len = strlen(body);
	for (size_t i = 0; body[i] != '\0'; i++)
		p->hist[(unsigned char)body[i]]++;
}

#define FX_PAGE \
	"<html><head><title>good.test</title></head><body>" \
	"<p>The model domain of the nethealth lab.</p></body></html>"

/* Appends good.test's HTTP facts at `ip`; returns them. */
static struct nh_fact_http *
fx_good_http(struct nh_facts *f, const char *ip)
{
	struct nh_fact_http *h;
	char body[2048], expires[32];
	time_t now;
	struct tm tm;

	f->http = realloc(f->http, (f->nhttp + 1) * sizeof(*f->http));
	h = &f->http[f->nhttp++];
	memset(h, 0, sizeof(*h));
	strcpy(h->ip, ip);
	h->family = strchr(ip, ':') ? 6 : 4;
	h->hops[0].url = strdup("http://good.test/");
	h->hops[0].status = 301;
	h->hops[0].location = strdup("https://good.test/");
	h->hops[1].url = strdup("https://good.test/");
	h->hops[1].status = 200;
	h->nhops = 2;
	h->https.url = strdup("https://good.test/");
	h->https.status = 200;
	fx_header(h, NH_HDR_HSTS, "max-age=31536000; includeSubDomains");
	fx_header(h, NH_HDR_XFO, "DENY");
	fx_header(h, NH_HDR_XCTO, "nosniff");
	fx_header(h, NH_HDR_REFERRER, "no-referrer");
	fx_header(h, NH_HDR_CSP,
	    "default-src 'self'; frame-ancestors 'self'; base-uri 'self'; "
	    "form-action 'self'");
	h->sectxt.got = NH_PROBE_OK;
	h->sectxt.status = 200;
	h->sectxt.url = strdup("https://good.test/.well-known/security.txt");
	h->sectxt.content_type = strdup("text/plain; charset=utf-8");
	now = time(NULL) + 180 * 86400;
	gmtime_r(&now, &tm);
	strftime(expires, sizeof(expires), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(body, sizeof(body),
	    "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
	    "Contact: https://good.test/report\n"
	    "Expires: %s\n"
	    "Canonical: https://good.test/.well-known/security.txt\n"
	    "Preferred-Languages: en\n"
	    "-----BEGIN PGP SIGNATURE-----\n\n"
	    "iHUEARYIAB0WIQQAAAAAAAAAAAAAAAAAAAAAAAAAAAUCZQAAAAAACgkQAAAAAAAA\n"
	    "AAAAAAEA/0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAD/AAAAAAAA\n"
	    "=AAAA\n-----END PGP SIGNATURE-----\n",
	    expires);
	h->sectxt.body = strdup(body);
	h->sectxt.len = strlen(body);
	fx_page(&h->page_http, "https://good.test/", FX_PAGE);
	fx_page(&h->page_https, "https://good.test/", FX_PAGE);
	return h;
}

#endif /* NH_TEST_HTTP_FIXTURE_H */
