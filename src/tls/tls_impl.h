/*
 * tls_impl.h: what the files of src/tls/ share. Internal to src/tls/.
 */
#ifndef NH_TLS_IMPL_H
#define NH_TLS_IMPL_H

#include <openssl/x509.h>

#include "tls.h"

/* Handshake message and record types. */
#define NH_TLS_CT_CCS 20
#define NH_TLS_CT_ALERT 21
#define NH_TLS_CT_HANDSHAKE 22
#define NH_TLS_CT_APPDATA 23

#define NH_TLS_HS_CLIENT_HELLO 1
#define NH_TLS_HS_SERVER_HELLO 2
#define NH_TLS_HS_CERTIFICATE 11
#define NH_TLS_HS_SERVER_KEY_EXCHANGE 12
#define NH_TLS_HS_CERTIFICATE_REQUEST 13
#define NH_TLS_HS_SERVER_HELLO_DONE 14
#define NH_TLS_HS_CERTIFICATE_STATUS 22

/* Extensions. */
#define NH_TLS_EXT_SERVER_NAME 0
#define NH_TLS_EXT_STATUS_REQUEST 5
#define NH_TLS_EXT_SUPPORTED_GROUPS 10
#define NH_TLS_EXT_EC_POINT_FORMATS 11
#define NH_TLS_EXT_SIGNATURE_ALGORITHMS 13
#define NH_TLS_EXT_PADDING 21
#define NH_TLS_EXT_EMS 23
#define NH_TLS_EXT_SESSION_TICKET 35
#define NH_TLS_EXT_SUPPORTED_VERSIONS 43
#define NH_TLS_EXT_PSK_MODES 45
#define NH_TLS_EXT_KEY_SHARE 51
#define NH_TLS_EXT_RENEGOTIATION_INFO 0xff01

/* SSL 2.0 (sslv2.c). */

/* Reads an SSLv2 message (after its record header) into s: a SERVER-HELLO
 * or an ERROR. Returns 0, or -1 when malformed. */
int nh_tls_ssl2_parse(struct nh_tls_server *s, const uint8_t *msg, size_t len);

/* Certificates (cert.c). */

/* Fills c from x (the caller frees its strings later). Returns 0, or -1
 * out of memory, c then empty. */
int nh_tls_cert_fact(X509 *x, struct nh_fact_cert *c);

/*
 * Verifies the chain as sent (leaf first) against `store` for a TLS server,
 * and the leaf against `host`; sets t's chain_verified, verify_error,
 * name_matches and each chain entry's trusted_root. Returns 0, or -1.
 */
int nh_tls_verify_chain(X509_STORE *store, STACK_OF(X509) * sent,
    const char *host, struct nh_fact_tls *t);

/*
 * The chain facts of t from the certificates a server sent (leaf first):
 * replaces what t held (facts of each, verification, host name, the
 * leaf's OCSP URL).
 */
void nh_tls_chain_facts(X509_STORE *store, STACK_OF(X509) * sent,
    const char *host, struct nh_fact_tls *t);

/* The same from a raw probe's Certificate message (DER certificates),
 * for when no full handshake completes. */
void nh_tls_chain_facts_der(X509_STORE *store, const uint8_t *const *der,
    const size_t *lens, size_t n, const char *host, struct nh_fact_tls *t);

/* The trust store of a context (handshake.c). */
X509_STORE *nh_tls_ctx_store(const struct nh_tls_ctx *c);

/* Reads the leaf's OCSP URL and a stapled response (NULL when none). */
void nh_tls_check_ocsp(const unsigned char *resp, long len,
    STACK_OF(X509) * sent, X509_STORE *store, struct nh_fact_tls *t);

#endif /* NH_TLS_IMPL_H */
