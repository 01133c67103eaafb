/*
 * hello.c: the ClientHello encoder (RFC 5246 §7.4.1.2, RFC 8446 §4.1.2),
 * for any version from SSLv3 to TLS 1.3 and any list of suites, groups and
 * signature algorithms.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "cursor.h"
#include "tls_impl.h"

#define X25519 29

static void
ext_open(struct nh_buf *b, unsigned type, size_t *at)
{
	nh_buf_u16(b, type);
	*at = nh_buf_len_open(b, 2);
}

/* Writes the extensions, without their outer length. */
static void
write_extensions(struct nh_buf *b, const struct nh_tls_hello *h)
{
	size_t at, inner, len;

	if (h->sni != NULL && (len = strlen(h->sni)) > 0 && len < 256) {
		ext_open(b, NH_TLS_EXT_SERVER_NAME, &at);
		inner = nh_buf_len_open(b, 2);
		nh_buf_u8(b, 0); /* host_name */
		nh_buf_u16(b, (unsigned)len);
		nh_buf_put(b, h->sni, len);
		nh_buf_len_close(b, inner, 2);
		nh_buf_len_close(b, at, 2);
	}
	if (h->ngroups > 0) {
		ext_open(b, NH_TLS_EXT_SUPPORTED_GROUPS, &at);
		inner = nh_buf_len_open(b, 2);
		for (size_t i = 0; i < h->ngroups; i++)
			nh_buf_u16(b, h->groups[i]);
		nh_buf_len_close(b, inner, 2);
		nh_buf_len_close(b, at, 2);
		/* ec_point_formats: uncompressed (RFC 8422 §5.1.2). */
		ext_open(b, NH_TLS_EXT_EC_POINT_FORMATS, &at);
		nh_buf_u8(b, 1);
		nh_buf_u8(b, 0);
		nh_buf_len_close(b, at, 2);
	}
	if (h->nsigalgs > 0 && h->version >= NH_TLS12) {
		ext_open(b, NH_TLS_EXT_SIGNATURE_ALGORITHMS, &at);
		inner = nh_buf_len_open(b, 2);
		for (size_t i = 0; i < h->nsigalgs; i++)
			nh_buf_u16(b, h->sigalgs[i]);
		nh_buf_len_close(b, inner, 2);
		nh_buf_len_close(b, at, 2);
	}
	if (h->status_request) {
		ext_open(b, NH_TLS_EXT_STATUS_REQUEST, &at);
		nh_buf_u8(b, 1);  /* ocsp */
		nh_buf_u16(b, 0); /* no responder ids */
		nh_buf_u16(b, 0); /* no extensions */
		nh_buf_len_close(b, at, 2);
	}
	if (h->ems) {
		ext_open(b, NH_TLS_EXT_EMS, &at);
		nh_buf_len_close(b, at, 2);
	}
	if (h->reneg_info) {
		ext_open(b, NH_TLS_EXT_RENEGOTIATION_INFO, &at);
		nh_buf_u8(b, 0); /* empty renegotiated_connection */
		nh_buf_len_close(b, at, 2);
	}
	if (h->version >= NH_TLS13) {
		ext_open(b, NH_TLS_EXT_SUPPORTED_VERSIONS, &at);
		nh_buf_u8(b, 2);
		nh_buf_u16(b, NH_TLS13);
		nh_buf_len_close(b, at, 2);
		ext_open(b, NH_TLS_EXT_PSK_MODES, &at);
		nh_buf_u8(b, 1);
		nh_buf_u8(b, 1); /* psk_dhe_ke */
		nh_buf_len_close(b, at, 2);
		ext_open(b, NH_TLS_EXT_KEY_SHARE, &at);
		inner = nh_buf_len_open(b, 2);
		for (size_t i = 0; i < h->nkey_shares; i++) {
			uint8_t key[32];

			/* Only x25519 shares: any 32 bytes are a public key. */
			if (h->key_shares[i] != X25519)
				continue;
			if (RAND_bytes(key, sizeof(key)) != 1)
				memset(key, 9, sizeof(key));
			nh_buf_u16(b, X25519);
			nh_buf_u16(b, sizeof(key));
			nh_buf_put(b, key, sizeof(key));
		}
		nh_buf_len_close(b, inner, 2);
		nh_buf_len_close(b, at, 2);
	}
}

size_t
nh_tls_hello_write(const struct nh_tls_hello *h, uint8_t *out, size_t cap)
{
	struct nh_buf b = { out, 0, cap, false };
	uint8_t random[32], sid[32];
	size_t rec, hs, body;

	if (h->version < NH_SSL3 || h->version > NH_TLS13 || h->nsuites == 0 ||
	    h->nsuites > 1024)
		return 0;
	if (h->random != NULL)
		memcpy(random, h->random, sizeof(random));
	else if (RAND_bytes(random, sizeof(random)) != 1)
		memset(random, 0, sizeof(random));
	if (RAND_bytes(sid, sizeof(sid)) != 1)
		memset(sid, 1, sizeof(sid));

	/* The record: handshake, version TLS 1.0 (SSLv3 for SSLv3). */
	nh_buf_u8(&b, NH_TLS_CT_HANDSHAKE);
	nh_buf_u16(&b, h->version == NH_SSL3 ? NH_SSL3 : NH_TLS10);
	rec = nh_buf_len_open(&b, 2);
	nh_buf_u8(&b, NH_TLS_HS_CLIENT_HELLO);
	hs = nh_buf_len_open(&b, 3);
	body = b.len;
	nh_buf_u16(&b, h->version >= NH_TLS13 ? NH_TLS12 : h->version);
	nh_buf_put(&b, random, sizeof(random));
	/* A session id: TLS 1.3 middlebox compatibility (RFC 8446 D.4). */
	if (h->version >= NH_TLS13) {
		nh_buf_u8(&b, sizeof(sid));
		nh_buf_put(&b, sid, sizeof(sid));
	} else {
		nh_buf_u8(&b, 0);
	}
	nh_buf_u16(&b, (unsigned)(2 * h->nsuites));
	for (size_t i = 0; i < h->nsuites; i++)
		nh_buf_u16(&b, h->suites[i]);
	if (h->compression && h->version < NH_TLS13) {
		nh_buf_u8(&b, 2);
		nh_buf_u8(&b, 1); /* DEFLATE (RFC 3749) */
		nh_buf_u8(&b, 0);
	} else {
		nh_buf_u8(&b, 1);
		nh_buf_u8(&b, 0);
	}
	if (!h->no_extensions) {
		uint8_t ext[NH_TLS_MAX_HELLO];
		struct nh_buf e = { ext, 0, sizeof(ext), false };
		size_t hello_len;

		write_extensions(&e, h);
		/*
		 * Some servers hang on a ClientHello of 256 to 511 bytes (RFC
		 * 7685 §4): pad the handshake message to 512 bytes.
		 */
		hello_len = 4 + (b.len - body) + 2 + e.len;
		if (hello_len >= 256 && hello_len < 512) {
			uint8_t zero[512] = { 0 };
			/* The extension's own 4 bytes may already reach 512. */
			size_t pad =
			    hello_len + 4 >= 512 ? 0 : 512 - hello_len - 4;

			nh_buf_u16(&e, NH_TLS_EXT_PADDING);
			nh_buf_u16(&e, (unsigned)pad);
			nh_buf_put(&e, zero, pad);
		}
		if (e.bad)
			return 0;
		nh_buf_u16(&b, (unsigned)e.len);
		nh_buf_put(&b, ext, e.len);
	}
	nh_buf_len_close(&b, hs, 3);
	nh_buf_len_close(&b, rec, 2);
	if (b.bad || b.len - 5 > NH_TLS_MAX_RECORD)
		return 0;
	return b.len;
}
