/*
 * tlsdata.h: reference data about TLS: protocol versions, the cipher
 * suites (data/tls-suites.tsv), the named groups, signature schemes, alert
 * names, and the NCSC-NL policy levels (data/tls-policy.tsv). Plain data,
 * compiled in: the prober (src/tls/) offers from it, the checks
 * (src/checks/) judge with it.
 *
 * This is the face of src/tlsdata/. Everything is static and borrowed.
 */
#ifndef NH_TLSDATA_H
#define NH_TLSDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Protocol versions, as on the wire. */
#define NH_SSL2 0x0200
#define NH_SSL3 0x0300
#define NH_TLS10 0x0301
#define NH_TLS11 0x0302
#define NH_TLS12 0x0303
#define NH_TLS13 0x0304

/* "TLSv1.2" and so on; "unknown" for others. Never NULL. */
const char *nh_tls_version_name(unsigned v);

/* NCSC-NL levels, best first. */
enum nh_tls_level {
	NH_TLS_GOOD = 0,
	NH_TLS_SUFFICIENT,
	NH_TLS_PHASE_OUT,
	NH_TLS_INSUFFICIENT,
};

const char *nh_tls_level_name(enum nh_tls_level l);

/* A cipher suite (data/tls-suites.tsv). */
struct nh_tls_suite {
	uint32_t id;          /* 16 bits; SSLv2's CIPHER-SPECs are 24 bits */
	const char *iana;     /* TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 */
	const char *openssl;  /* ECDHE-RSA-AES128-GCM-SHA256 */
	unsigned min_version; /* NH_SSL3, NH_TLS10, NH_TLS12 or NH_TLS13 */
	const char *kx, *au, *enc, *mac;
	unsigned bits;
	bool export;
	enum nh_tls_level level; /* data/tls-policy.tsv */
};

extern const struct nh_tls_suite nh_tls_suites[];
extern const size_t nh_tls_nsuites;

/* SSLv2's CIPHER-SPECs (RFC 6176 prohibits the protocol); all of them
 * insufficient. */
extern const struct nh_tls_suite nh_tls_ssl2_suites[];
extern const size_t nh_tls_nssl2_suites;

/* The suite with this code point (an SSLv2 one above 0xffff), or NULL. */
const struct nh_tls_suite *nh_tls_suite_by_id(unsigned id);

/* A named group (IANA TLS Supported Groups); its level is
 * nh_tls_policy("group", name). */
struct nh_tls_group {
	uint16_t id;
	const char *name; /* "x25519", "secp256r1", "ffdhe2048" */
	bool ffdhe;
};

extern const struct nh_tls_group nh_tls_groups[];
extern const size_t nh_tls_ngroups;

const struct nh_tls_group *nh_tls_group_by_id(unsigned id);

/* The level of a policy item (kinds of data/tls-policy.tsv): "version",
 * "group", "kexhash", "certsig", "certkey"; names as there. Unlisted:
 * insufficient. */
enum nh_tls_level nh_tls_policy(const char *kind, const char *name);

/* The name of an alert description ("handshake_failure"). */
const char *nh_tls_alert_name(unsigned desc);

/* The name of a TLS 1.2 SignatureScheme's hash ("sha256"), or NULL. */
const char *nh_tls_sigalg_hash(unsigned scheme);

/* A row of data/tls-policy.tsv other than a suite (generated). */
struct nh_tls_policy_row {
	const char *kind, *name;
	enum nh_tls_level level;
};

extern const struct nh_tls_policy_row nh_tls_policy_rows[];
extern const size_t nh_tls_npolicy_rows;

#endif /* NH_TLSDATA_H */
