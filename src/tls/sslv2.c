/*
 * sslv2.c: SSL 2.0's CLIENT-HELLO and SERVER-HELLO
 * (draft-hickman-netscape-ssl-00 §2.5-2.6, appendix A), enough to learn
 * whether a server still speaks the protocol RFC 6176 prohibits, and with
 * which CIPHER-SPECs: the SERVER-HELLO lists every spec the server shares
 * with the client, so one connection answers both questions.
 */
#include <string.h>

#include <openssl/rand.h>

#include "cursor.h"
#include "tls_impl.h"

#define SSL2_MT_ERROR 0
#define SSL2_MT_CLIENT_HELLO 1
#define SSL2_MT_SERVER_HELLO 4
#define SSL2_VERSION 0x0002
#define SSL2_CHALLENGE 16

size_t
nh_tls_ssl2_hello_write(uint8_t *out, size_t cap)
{
	struct nh_buf b = { out, 0, cap, false };
	uint8_t challenge[SSL2_CHALLENGE];
	size_t body =
	    1 + 2 + 2 + 2 + 2 + 3 * nh_tls_nssl2_suites + sizeof(challenge);

	if (RAND_bytes(challenge, sizeof(challenge)) != 1)
		memset(challenge, 7, sizeof(challenge));
	/* The two-byte record header: no padding, high bit set. */
	nh_buf_u8(&b, 0x80 | (unsigned)(body >> 8));
	nh_buf_u8(&b, (unsigned)(body & 0xff));
	nh_buf_u8(&b, SSL2_MT_CLIENT_HELLO);
	nh_buf_u16(&b, SSL2_VERSION);
	nh_buf_u16(&b, (unsigned)(3 * nh_tls_nssl2_suites));
	nh_buf_u16(&b, 0); /* no session id */
	nh_buf_u16(&b, sizeof(challenge));
	for (size_t i = 0; i < nh_tls_nssl2_suites; i++) {
		uint32_t id = nh_tls_ssl2_suites[i].id;

		nh_buf_u8(&b, id >> 16);
		nh_buf_u16(&b, id & 0xffff);
	}
	nh_buf_put(&b, challenge, sizeof(challenge));
	return b.bad ? 0 : b.len;
}

int
nh_tls_ssl2_parse(struct nh_tls_server *s, const uint8_t *msg, size_t len)
{
	struct nh_cur c = nh_cur_make(msg, len);
	unsigned type = nh_cur_u8(&c), cert_len, specs_len, id_len;
	struct nh_cur specs;

	if (type == SSL2_MT_ERROR) {
		/* An SSLv2 refusal: reported as a handshake failure. */
		nh_cur_u16(&c);
		if (c.bad)
			return -1;
		s->alert = true;
		s->alert_level = 2;
		s->alert_desc = 40;
		return 0;
	}
	if (type != SSL2_MT_SERVER_HELLO)
		return -1;
	nh_cur_u8(&c); /* SESSION-ID-HIT */
	nh_cur_u8(&c); /* CERTIFICATE-TYPE */
	s->legacy_version = nh_cur_u16(&c);
	cert_len = nh_cur_u16(&c);
	specs_len = nh_cur_u16(&c);
	id_len = nh_cur_u16(&c);
	nh_cur_bytes(&c, cert_len);
	specs = nh_cur_sub(&c, specs_len);
	nh_cur_bytes(&c, id_len);
	/* A SERVER-HELLO of another version is no SSLv2 answer. */
	if (c.bad || specs_len % 3 != 0 || s->legacy_version != SSL2_VERSION)
		return -1;
	while (nh_cur_left(&specs) > 0) {
		uint32_t id = nh_cur_u24(&specs);

		if (s->nssl2_suites < NH_TLS_MAX_SSL2_SUITES)
			s->ssl2_suites[s->nssl2_suites++] = id;
	}
	s->version = NH_SSL2;
	s->hello = true;
	return 0;
}
