/*
 * fuzz_tls_server_hello.c: libFuzzer target for the ServerHello decoder of
 * the flight parser (legacy version, random, session id, suite,
 * compression, extensions; the HelloRetryRequest it may be), which reads
 * what any server on the Internet answers. Input: the body of a
 * ServerHello handshake message. It is framed here (handshake header,
 * TLS records, a ServerHelloDone after it) so no run is spent on the
 * framing, and parsed twice: in one piece, then in records of a size and
 * with reads split at an offset taken from the input's last two bytes.
 * Both parses must read the same.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_wire.h"
#include "tls/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Feeds `w` to p (initialized here) in two reads split at `split`. */
static enum nh_tls_feed
parse(struct nh_tls_parser *p, const struct wire *w, size_t split)
{
	enum nh_tls_feed r = NH_TLS_MORE;

	nh_tls_parser_init(p);
	if (split > 0)
		r = nh_tls_parser_feed(p, w->b, split);
	if (r == NH_TLS_MORE && split < w->len)
		r = nh_tls_parser_feed(p, w->b + split, w->len - split);
	return r;
}

/* Whether two parses of the same messages read the same. */
static bool
same(const struct nh_tls_server *a, const struct nh_tls_server *b)
{
	if ((a->error == NULL) != (b->error == NULL) ||
	    (a->error != NULL && strcmp(a->error, b->error) != 0))
		return false;
	return a->hello == b->hello && a->hrr == b->hrr &&
	    a->legacy_version == b->legacy_version &&
	    a->version == b->version && a->suite == b->suite &&
	    a->compression == b->compression &&
	    a->key_share_group == b->key_share_group &&
	    a->ext_ems == b->ext_ems && a->ext_reneg == b->ext_reneg &&
	    a->ext_status_request == b->ext_status_request &&
	    a->reneg_len == b->reneg_len && a->hello_done == b->hello_done;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire hs = { 0 }, whole = { 0 }, pieces = { 0 };
	struct nh_tls_parser *p1 = NULL, *p2 = NULL;
	enum nh_tls_feed r1, r2;
	size_t chunk = 16384, split = 0;

	/* Past this a flight may overflow at different points. */
	if (size > 65536)
		return 0;
	if (size >= 2)
		chunk = 1 + data[size - 1] % 64;
	handshake(&hs, 2, data, size);
	handshake(&hs, 14, NULL, 0); /* ServerHelloDone */
	records(&whole, &hs, 16384);
	records(&pieces, &hs, chunk);
	if (hs.bad || whole.bad || pieces.bad ||
	    (p1 = malloc(sizeof(*p1))) == NULL ||
	    (p2 = malloc(sizeof(*p2))) == NULL)
		goto out;
	if (size >= 2)
		split = pieces.len * data[size - 2] / 255;
	r1 = parse(p1, &whole, whole.len);
	r2 = parse(p2, &pieces, split);
	/* The framing must not change what is read. */
	if (r1 != r2 || !same(&p1->s, &p2->s))
		abort();
	if (r1 == NH_TLS_MORE)
		abort(); /* the whole message and a ServerHelloDone came */
	nh_tls_parser_free(p2);
	nh_tls_parser_free(p1);
out:
	free(p2);
	free(p1);
	free(pieces.b);
	free(whole.b);
	free(hs.b);
	return 0;
}
