/*
 * http.c: the HTTP facts of the web addresses as JSON, and back.
 *
 * What a web server sends is kept byte for byte, so that a saved set of
 * facts is judged again exactly as when it was gathered: a string the
 * server controls (a header value, a Location, security.txt) is written as
 * a JSON string when it is UTF-8 (NULs escaped), else as {"base64": ...}.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "facts_impl.h"

/* ---- writing ---- */

/* Bytes as a JSON string, or {"base64": ...} when not UTF-8. */
json_t *
fj_bytes_json(const char *s, size_t len)
{
	json_t *v;
	unsigned char *b64;

	if ((v = json_stringn(s, len)) != NULL)
		return v;
	if (len > (size_t)1 << 28 ||
	    (b64 = malloc(4 * (len / 3 + 1) + 1)) == NULL)
		return NULL;
	EVP_EncodeBlock(b64, (const unsigned char *)s, (int)len);
	v = json_pack("{s:s}", "base64", (const char *)b64);
	free(b64);
	return v;
}

static int
put_bytes(json_t *o, const char *k, const char *s)
{
	return s == NULL ? 0 : fj_put(o, k, fj_bytes_json(s, strlen(s)));
}

static json_t *
hop_json(const struct nh_fact_http_hop *h)
{
	json_t *o = json_object();

	if (o == NULL || put_bytes(o, "url", h->url) == -1 ||
	    fj_put(o, "status", json_integer(h->status)) == -1 ||
	    put_bytes(o, "location", h->location) == -1 ||
	    fj_put_str(o, "error", h->error) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
headers_json(const struct nh_fact_header *hs)
{
	json_t *o = json_object();

	for (int i = 0; o != NULL && i < NH_HDR_COUNT; i++) {
		json_t *a;

		if (hs[i].n == 0 && hs[i].dropped == 0)
			continue;
		if (fj_put(o, nh_hdr_name((enum nh_hdr)i), a = json_array()) ==
		    -1)
			goto fail;
		for (size_t k = 0; k < hs[i].n; k++) {
			if (json_array_append_new(a,
				fj_bytes_json(hs[i].values[k],
				    strlen(hs[i].values[k]))) == -1)
				goto fail;
		}
		/* What was dropped counts as empty lines: it is not read. */
		for (size_t k = 0; k < hs[i].dropped; k++) {
			if (json_array_append_new(a, json_null()) == -1)
				goto fail;
		}
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *
sectxt_json(const struct nh_fact_sectxt *s)
{
	json_t *o = json_object();

	if (o == NULL || fj_put(o, "got", fj_probe_json(s->got)) == -1 ||
	    fj_put(o, "status", json_integer(s->status)) == -1 ||
	    put_bytes(o, "url", s->url) == -1 ||
	    put_bytes(o, "final_url", s->final_url) == -1 ||
	    put_bytes(o, "content_type", s->content_type) == -1 ||
	    (s->body != NULL &&
		fj_put(o, "body", fj_bytes_json(s->body, s->len)) == -1) ||
	    fj_put(o, "truncated", json_boolean(s->truncated)) == -1 ||
	    fj_put(o, "legacy", json_boolean(s->legacy)) == -1 ||
	    fj_put_str(o, "error", s->error) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
page_json(const struct nh_fact_page *p)
{
	json_t *o = json_object(), *hist;

	if (o == NULL || fj_put(o, "got", fj_probe_json(p->got)) == -1 ||
	    fj_put(o, "status", json_integer(p->status)) == -1 ||
	    put_bytes(o, "url", p->url) == -1 ||
	    fj_put_str(o, "error", p->error) == -1 ||
	    fj_put(o, "len", json_integer((json_int_t)p->len)) == -1 ||
	    fj_put(o, "stripped", json_integer((json_int_t)p->stripped)) ==
		-1 ||
	    fj_put(o, "hist", hist = json_array()) == -1)
		goto fail;
	for (size_t i = 0; i < 256; i++) {
		if (json_array_append_new(
			hist, json_integer((json_int_t)p->hist[i])) == -1)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *
http_json(const struct nh_fact_http *h)
{
	json_t *o = json_object(), *hops;

	if (o == NULL || fj_put(o, "ip", json_string(h->ip)) == -1 ||
	    fj_put(o, "hops", hops = json_array()) == -1 ||
	    fj_put(o, "hops_cut", json_boolean(h->hops_cut)) == -1 ||
	    fj_put(o, "https", hop_json(&h->https)) == -1 ||
	    fj_put(o, "headers", headers_json(h->headers)) == -1 ||
	    fj_put(o, "securitytxt", sectxt_json(&h->sectxt)) == -1 ||
	    fj_put(o, "page_http", page_json(&h->page_http)) == -1 ||
	    fj_put(o, "page_https", page_json(&h->page_https)) == -1 ||
	    fj_put(o, "requests", json_integer(h->requests)) == -1 ||
	    fj_put(o, "connections", json_integer(h->connections)) == -1 ||
	    fj_put(o, "ms", json_real(h->ms)) == -1)
		goto fail;
	for (size_t i = 0; i < h->nhops; i++) {
		if (json_array_append_new(hops, hop_json(&h->hops[i])) == -1)
			goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

json_t *
fj_http_list_json(const struct nh_fact_http *h, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < n; i++) {
		if (json_array_append_new(a, http_json(&h[i])) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* ---- reading ---- */

/*
 * The bytes of v (a string, or {"base64": ...}), at most max, as a new
 * NUL-terminated buffer with their length in *len; NULL on error.
 */
char *
fj_bytes_of(struct rd *r, const json_t *v, size_t max, size_t *len)
{
	const char *s;
	size_t n;
	char *out;
	int got;

	if (json_is_string(v)) {
		n = json_string_length(v);
		if (n > max || (out = malloc(n + 1)) == NULL)
			goto bad;
		memcpy(out, json_string_value(v), n);
		out[n] = '\0';
		*len = n;
		return out;
	}
	if (!json_is_object(v) || !json_is_string(json_object_get(v, "base64")))
		goto bad;
	s = json_string_value(json_object_get(v, "base64"));
	n = json_string_length(json_object_get(v, "base64"));
	if (n % 4 != 0 || n / 4 * 3 > max + 2 ||
	    (out = malloc(n / 4 * 3 + 1)) == NULL)
		goto bad;
	if ((got = EVP_DecodeBlock(
		 (unsigned char *)out, (const unsigned char *)s, (int)n)) < 0) {
		free(out);
		goto bad;
	}
	/* EVP_DecodeBlock counts the padding as bytes. */
	for (size_t i = n; i > 0 && s[i - 1] == '=' && got > 0; i--)
		got--;
	if ((size_t)got > max) {
		free(out);
		goto bad;
	}
	out[got] = '\0';
	*len = (size_t)got;
	return out;
bad:
	if (r->why == NULL)
		r->why = "bad bytes (too long, or neither a string nor base64)";
	return NULL;
}

/* o[k] as bytes of at most max; NULL when absent or on error. */
char *
fj_rd_bytes(
    struct rd *r, const json_t *o, const char *k, size_t max, size_t *len)
{
	const json_t *v = json_object_get(o, k);
	size_t n;

	if (len == NULL)
		len = &n;
	*len = 0;
	if (v == NULL || json_is_null(v))
		return NULL;
	return fj_bytes_of(r, v, max, len);
}

static void
rd_hop(struct rd *r, const json_t *o, struct nh_fact_http_hop *h)
{
	if (!json_is_object(o)) {
		r->why = "a hop is not an object";
		return;
	}
	h->url = fj_rd_bytes(r, o, "url", NH_FACTS_MAX_STR, NULL);
	h->status = (int)fj_rd_uint(r, o, "status", 999);
	h->location = fj_rd_bytes(r, o, "location", NH_FACTS_MAX_STR, NULL);
	h->error = fj_rd_str(r, o, "error", false);
}

static void
rd_headers(struct rd *r, const json_t *o, struct nh_fact_header *hs)
{
	const json_t *a, *v;
	size_t i;

	if (o == NULL)
		return;
	for (int h = 0; h < NH_HDR_COUNT; h++) {
		a = fj_rd_array(r, o, nh_hdr_name((enum nh_hdr)h), 1000);
		json_array_foreach(a, i, v)
		{
			if (json_is_null(v) || hs[h].n == NH_FACTS_MAX_VALUES) {
				hs[h].dropped++;
				continue;
			}
			if ((hs[h].values[hs[h].n] = fj_bytes_of(
				 r, v, 8192, &(size_t){ 0 })) == NULL)
				return;
			hs[h].n++;
		}
	}
}

static void
rd_sectxt(struct rd *r, const json_t *o, struct nh_fact_sectxt *s)
{
	if (o == NULL)
		return;
	s->got = fj_rd_probe(r, o, "got");
	s->status = (int)fj_rd_uint(r, o, "status", 999);
	s->url = fj_rd_bytes(r, o, "url", NH_FACTS_MAX_STR, NULL);
	s->final_url = fj_rd_bytes(r, o, "final_url", NH_FACTS_MAX_STR, NULL);
	s->content_type =
	    fj_rd_bytes(r, o, "content_type", NH_FACTS_MAX_STR, NULL);
	s->body = fj_rd_bytes(r, o, "body", NH_SECTXT_MAX, &s->len);
	s->truncated = fj_rd_bool(r, o, "truncated");
	s->legacy = fj_rd_bool(r, o, "legacy");
	s->error = fj_rd_str(r, o, "error", false);
}

static void
rd_page(struct rd *r, const json_t *o, struct nh_fact_page *p)
{
	const json_t *hist, *v;
	size_t i, sum = 0;

	if (o == NULL)
		return;
	p->got = fj_rd_probe(r, o, "got");
	p->status = (int)fj_rd_uint(r, o, "status", 999);
	p->url = fj_rd_bytes(r, o, "url", NH_FACTS_MAX_STR, NULL);
	p->error = fj_rd_str(r, o, "error", false);
	p->len = fj_rd_uint(r, o, "len", 1u << 30);
	p->stripped = fj_rd_uint(r, o, "stripped", 1u << 30);
	hist = fj_rd_array(r, o, "hist", 256);
	json_array_foreach(hist, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > (1 << 30)) {
			r->why = "a bad page histogram";
			return;
		}
		p->hist[i] = (unsigned long)json_integer_value(v);
		sum += p->hist[i];
	}
	if (sum != p->len && r->why == NULL)
		r->why = "a page histogram does not add up to its length";
}

static void
rd_http(struct rd *r, const json_t *o, struct nh_fact_http *h)
{
	const json_t *hops, *v;
	size_t i;

	if ((h->family = fj_rd_ip(r, o, h->ip)) == 0)
		return;
	hops = fj_rd_array(r, o, "hops", NH_FACTS_MAX_HOPS);
	json_array_foreach(hops, i, v)
	{
		rd_hop(r, v, &h->hops[h->nhops++]);
	}
	h->hops_cut = fj_rd_bool(r, o, "hops_cut");
	if ((v = fj_member(r, o, "https", JSON_OBJECT, false)) != NULL)
		rd_hop(r, v, &h->https);
	rd_headers(
	    r, fj_member(r, o, "headers", JSON_OBJECT, false), h->headers);
	rd_sectxt(
	    r, fj_member(r, o, "securitytxt", JSON_OBJECT, false), &h->sectxt);
	rd_page(
	    r, fj_member(r, o, "page_http", JSON_OBJECT, false), &h->page_http);
	rd_page(r, fj_member(r, o, "page_https", JSON_OBJECT, false),
	    &h->page_https);
	h->requests = fj_rd_uint(r, o, "requests", 1000);
	h->connections = fj_rd_uint(r, o, "connections", 1000);
	if ((v = fj_member(r, o, "ms", JSON_REAL, false)) != NULL)
		h->ms = json_number_value(v);
}

void
fj_rd_http_list(
    struct rd *r, const json_t *o, const char *k, struct nh_facts *f)
{
	const json_t *a = fj_rd_array(r, o, k, 2 * NH_FACTS_MAX_ADDRS), *v;
	size_t i;

	if (a == NULL || json_array_size(a) == 0 ||
	    (f->http = fj_rd_calloc(r, json_array_size(a), sizeof(*f->http))) ==
		NULL)
		return;
	json_array_foreach(a, i, v)
	{
		if (!json_is_object(v)) {
			r->why = "an HTTP address is not an object";
			return;
		}
		f->nhttp++;
		rd_http(r, v, &f->http[i]);
	}
}
