/*
 * tls.h: nethealth's TLS engine. A ClientHello encoder and a decoder of
 * what servers answer, written by hand because OpenSSL cannot offer what
 * must be detected (SSLv3, RC4, 3DES, NULL, export and anonymous suites);
 * the tables of suites, groups and signature algorithms; and the NCSC-NL
 * policy (data/tls-policy.tsv) that judges them.
 *
 * This is the face of src/tls/. The codec is pure: no I/O, no allocation
 * beyond what a function says. Every length the peer controls is checked
 * against what was received and capped (NH_TLS_MAX_*).
 *
 * The connections (conn.c, handshake.c) write to sockets a peer may have
 * closed: the program must ignore SIGPIPE, as nethealth's main does.
 */
#ifndef NH_TLS_H
#define NH_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/facts.h"
#include "tlsdata/tlsdata.h"

/* Caps on what a server may make us hold. */
#define NH_TLS_MAX_RECORD 18432        /* 2^14 + 2048 (RFC 5246 §6.2.3) */
#define NH_TLS_MAX_FLIGHT (256 * 1024) /* handshake bytes of one flight */
#define NH_TLS_MAX_CERTS 16
#define NH_TLS_MAX_MESSAGES \
	16                    /* handshake messages of one flight; a
				  TLS 1.2 one has at most 6 */
#define NH_TLS_MAX_HELLO 4096 /* our ClientHello */
#define NH_TLS_MAX_SSL2_SUITES 16

/* What a ClientHello offers. */
struct nh_tls_hello {
	unsigned version;       /* highest version offered */
	const uint16_t *suites; /* in order of preference */
	size_t nsuites;
	const uint16_t *groups; /* supported_groups, in order */
	size_t ngroups;
	const uint16_t *key_shares; /* TLS 1.3 key shares to send */
	size_t nkey_shares;
	const uint16_t *sigalgs; /* signature_algorithms, in order */
	size_t nsigalgs;
	const char *sni;       /* server_name, or NULL */
	bool compression;      /* offer deflate before null */
	bool ems;              /* extended_master_secret */
	bool reneg_info;       /* renegotiation_info (empty) */
	bool status_request;   /* OCSP stapling */
	bool no_extensions;    /* SSLv3-style: none at all */
	const uint8_t *random; /* 32 bytes, or NULL: zeros */
};

/*
 * Writes the ClientHello record (TLS record layer, one record) into out
 * (at most `cap` bytes). TLS 1.3 is offered through supported_versions
 * with a TLS 1.2 legacy version; key shares for x25519 are random 32-byte
 * strings (valid X25519 public keys), other groups get none, so a server
 * that wants them answers with a HelloRetryRequest naming its choice.
 * Returns the length, or 0 if it does not fit or the spec is invalid.
 */
size_t nh_tls_hello_write(
    const struct nh_tls_hello *h, uint8_t *out, size_t cap);

/*
 * Writes an SSL 2.0 CLIENT-HELLO offering every SSLv2 CIPHER-SPEC
 * (nh_tls_ssl2_suites) into out. Returns the length, or 0 if it does not
 * fit in `cap`.
 */
size_t nh_tls_ssl2_hello_write(uint8_t *out, size_t cap);

/* What the server's first flight said. */
struct nh_tls_server {
	bool hello;              /* a ServerHello was read */
	bool hrr;                /* it was a HelloRetryRequest */
	unsigned legacy_version; /* ServerHello.legacy_version */
	unsigned version;        /* negotiated (supported_versions) */
	unsigned suite;
	unsigned compression;
	unsigned key_share_group; /* TLS 1.3 / HRR selected group */
	bool ext_ems, ext_reneg, ext_status_request;
	size_t reneg_len; /* renegotiation_info payload length */
	/* TLS <= 1.2: the Certificate message. */
	size_t ncerts;
	const uint8_t *certs[NH_TLS_MAX_CERTS]; /* borrowed from the parser */
	size_t cert_lens[NH_TLS_MAX_CERTS];
	/* TLS <= 1.2: the ServerKeyExchange. */
	bool ske;
	unsigned ske_group;  /* ECDHE named curve */
	unsigned dh_bits;    /* DHE prime size in bits */
	unsigned dh_g;       /* DHE generator, when small */
	bool dh_ffdhe;       /* the prime is an RFC 7919 group */
	unsigned ske_sigalg; /* TLS 1.2 SignatureScheme, 0 if none */
	bool hello_done;
	/* SSL 2.0: the CIPHER-SPECs of a SERVER-HELLO (version NH_SSL2). */
	uint32_t ssl2_suites[NH_TLS_MAX_SSL2_SUITES];
	size_t nssl2_suites;
	/* An alert (or an SSLv2 ERROR) ended it. */
	bool alert;
	unsigned alert_level, alert_desc;
	const char *error; /* malformed input: why, else NULL */
};

/* A decoder of the server's records, fed as bytes arrive. */
struct nh_tls_parser {
	struct nh_tls_server s;
	uint8_t *hs; /* handshake bytes; owned, grows to at
					   most NH_TLS_MAX_FLIGHT */
	size_t hs_len, hs_off, hs_cap;
	size_t cert_offs[NH_TLS_MAX_CERTS], ncert_offs;
	unsigned nmsgs; /* handshake messages read */
	uint8_t rec[5 + NH_TLS_MAX_RECORD];
	size_t rec_len, rec_want; /* header and body, once the header is in */
	bool done;
};

enum nh_tls_feed {
	NH_TLS_MORE, /* give more bytes */
	NH_TLS_DONE, /* the flight is complete (or an alert came) */
	NH_TLS_BAD,  /* malformed: s.error says why */
};

/* Prepares a parser. Returns 0, or -1 when out of memory. */
int nh_tls_parser_init(struct nh_tls_parser *p);

/* Frees what the parser holds (certificates in s point into it). */
void nh_tls_parser_free(struct nh_tls_parser *p);

/*
 * Feeds bytes from the server. Stops at the end of the first flight: after
 * ServerHelloDone (TLS <= 1.2), after the ServerHello or
 * HelloRetryRequest of TLS 1.3 (what follows is encrypted), or at an
 * alert. Bytes past that point are ignored.
 */
enum nh_tls_feed nh_tls_parser_feed(
    struct nh_tls_parser *p, const uint8_t *data, size_t len);

/*
 * One probe connection (conn.c): open a stream with `op` (plain TCP, or a
 * STARTTLS opener), send the ClientHello, decode the answer, close.
 */
enum nh_tls_outcome {
	NH_TLS_ANSWERED,  /* a complete flight or an alert was read */
	NH_TLS_REFUSED,   /* the stream could not be opened */
	NH_TLS_CLOSED,    /* closed before a complete answer */
	NH_TLS_TIMEOUT,   /* no complete answer in time */
	NH_TLS_MALFORMED, /* the answer is not TLS as RFC 8446 says */
};

struct nh_tls_conn_result {
	enum nh_tls_outcome outcome;
	const struct nh_tls_server *server; /* what was read; borrowed */
	const char *error;                  /* why, when not answered */
	size_t bytes_in;
	double ms;
};

typedef void (*nh_tls_conn_cb)(const struct nh_tls_conn_result *r, void *arg);

struct nh_tls_conn;
struct nh_stream_opener;
struct sockaddr;
struct event_base;

/*
 * Starts a probe connection to `sa` through `op` (with its context
 * `op_ctx`), sending `hello` (copied); the whole exchange gets `timeout`
 * seconds. `cb` runs once, on the loop; its result is valid during the
 * call. Returns a handle valid until then, or NULL with *err set.
 */
struct nh_tls_conn *nh_tls_conn_start(struct event_base *base,
    const struct nh_stream_opener *op, const void *op_ctx,
    const struct sockaddr *sa, unsigned salen, const uint8_t *hello,
    size_t hello_len, double timeout, nh_tls_conn_cb cb, void *arg,
    const char **err);

/* Stops a probe connection; its callback will not run. NULL is safe. */
void nh_tls_conn_cancel(struct nh_tls_conn *c);

/*
 * The raw-hello assessment of one endpoint (scan.c): versions, suites per
 * version and their order, groups, key-exchange hash, compression, secure
 * renegotiation, extended master secret. Fills the probe half of a
 * struct nh_fact_tls.
 */
struct nh_limiter;

struct nh_tls_scan_cfg {
	const struct sockaddr *sa; /* address and port */
	unsigned salen;
	const char *sni; /* server_name to send, or NULL */
	const struct nh_stream_opener *opener; /* NULL: plain TCP */
	const void *opener_ctx;
	struct nh_limiter *limiter; /* politeness, or NULL */
	double timeout;             /* per connection; 0: 10 s */
	/* Trust for the chain facts read from a probe's Certificate
	 * message, kept when no full handshake completes; NULL: none. */
	const struct nh_tls_ctx *ctx;
	/* When set, the certificates the first probe saw are copied here
	 * instead of judged at once: the caller judges them with
	 * nh_tls_probe_chain_facts() only if no full handshake completes,
	 * sparing a chain verification per endpoint. */
	struct nh_tls_der *keep_certs;
};

/* Certificates as received (DER), copied; leaf first. */
struct nh_tls_der {
	uint8_t *cert[NH_TLS_MAX_CERTS]; /* owned */
	size_t len[NH_TLS_MAX_CERTS];
	size_t n;
};

/* Frees what a DER set owns and zeroes it. */
void nh_tls_der_clear(struct nh_tls_der *d);

/*
 * The chain facts of certificates kept by a scan (keep_certs), judged
 * with ctx's trust store for `host`, into t, marked as read from a probe.
 * Does nothing when d holds none.
 */
void nh_tls_probe_chain_facts(const struct nh_tls_ctx *ctx,
    const struct nh_tls_der *d, const char *host, struct nh_fact_tls *t);

typedef void (*nh_tls_scan_cb)(struct nh_fact_tls *out, void *arg);

struct nh_tls_scan;
struct nh_tls_ctx;

/*
 * Starts assessing the endpoint into `out` (whose ip and port the caller
 * has set; borrowed until the callback). `cb` runs once, on the loop, when
 * every probe has ended. Returns a handle valid until then, or NULL with
 * *err set.
 */
struct nh_tls_scan *nh_tls_scan_start(struct event_base *base,
    const struct nh_tls_scan_cfg *cfg, struct nh_fact_tls *out,
    nh_tls_scan_cb cb, void *arg, const char **err);

/* Stops a scan; its callback will not run. NULL is safe. */
void nh_tls_scan_cancel(struct nh_tls_scan *s);

/*
 * Full handshakes through OpenSSL (handshake.c): the certificate chain,
 * OCSP stapling, DANE, client-initiated renegotiation, 0-RTT. Fills the
 * handshake half of a struct nh_fact_tls.
 */
struct nh_tls_ctx;

/* An OpenSSL client context trusting `ca_file` (PEM), or the system store
 * when NULL. NULL with *err on failure; free with nh_tls_ctx_free(). */
struct nh_tls_ctx *nh_tls_ctx_new(const char *ca_file, const char **err);
void nh_tls_ctx_free(struct nh_tls_ctx *c);

struct nh_tls_hs_cfg {
	const struct sockaddr *sa;
	unsigned salen;
	const char *sni;                       /* name sent and verified */
	const struct nh_stream_opener *opener; /* NULL: plain TCP */
	const void *opener_ctx;
	struct nh_limiter *limiter; /* politeness, or NULL */
	double timeout;             /* per connection; 0: 10 s */
	bool renegotiation;         /* try a client renegotiation */
	bool zero_rtt;              /* try early data on resumption */
};

typedef void (*nh_tls_hs_cb)(struct nh_fact_tls *out, void *arg);

struct nh_tls_hs;

/*
 * Starts the handshakes into `out` (its TLSA records, when secure, are
 * used for DANE; its raw-scan versions decide whether a TLS 1.2
 * renegotiation is tried). `cb` runs once, on the loop. Returns a handle
 * valid until then, or NULL with *err set.
 */
struct nh_tls_hs *nh_tls_hs_start(struct event_base *base,
    struct nh_tls_ctx *ctx, const struct nh_tls_hs_cfg *cfg,
    struct nh_fact_tls *out, nh_tls_hs_cb cb, void *arg, const char **err);

/* Stops the handshakes; the callback will not run. NULL is safe. */
void nh_tls_hs_cancel(struct nh_tls_hs *h);

#endif /* NH_TLS_H */
