/*
 * tables.c: names and levels of versions, groups, alerts and signature
 * algorithms, and look-ups in the generated suite and policy tables.
 */
#include <string.h>

#include "tlsdata.h"

const char *
nh_tls_version_name(unsigned v)
{
	switch (v) {
	case NH_SSL2:
		return "SSLv2";
	case NH_SSL3:
		return "SSLv3";
	case NH_TLS10:
		return "TLSv1";
	case NH_TLS11:
		return "TLSv1.1";
	case NH_TLS12:
		return "TLSv1.2";
	case NH_TLS13:
		return "TLSv1.3";
	}
	return "unknown";
}

const char *
nh_tls_level_name(enum nh_tls_level l)
{
	static const char *const names[] = { "good", "sufficient", "phase_out",
		"insufficient" };

	return (unsigned)l < 4 ? names[l] : "insufficient";
}

/* IANA TLS Supported Groups. Their levels are data/tls-policy.tsv's
 * "group" rows: nh_tls_policy("group", name). */
const struct nh_tls_group nh_tls_groups[] = {
	{ 1, "sect163k1", false },
	{ 2, "sect163r1", false },
	{ 3, "sect163r2", false },
	{ 4, "sect193r1", false },
	{ 5, "sect193r2", false },
	{ 6, "sect233k1", false },
	{ 7, "sect233r1", false },
	{ 8, "sect239k1", false },
	{ 9, "sect283k1", false },
	{ 10, "sect283r1", false },
	{ 11, "sect409k1", false },
	{ 12, "sect409r1", false },
	{ 13, "sect571k1", false },
	{ 14, "sect571r1", false },
	{ 15, "secp160k1", false },
	{ 16, "secp160r1", false },
	{ 17, "secp160r2", false },
	{ 18, "secp192k1", false },
	{ 19, "secp192r1", false },
	{ 20, "secp224k1", false },
	{ 21, "secp224r1", false },
	{ 22, "secp256k1", false },
	{ 23, "secp256r1", false },
	{ 24, "secp384r1", false },
	{ 25, "secp521r1", false },
	{ 26, "brainpoolP256r1", false },
	{ 27, "brainpoolP384r1", false },
	{ 28, "brainpoolP512r1", false },
	{ 29, "x25519", false },
	{ 30, "x448", false },
	{ 31, "brainpoolP256r1tls13", false },
	{ 32, "brainpoolP384r1tls13", false },
	{ 33, "brainpoolP512r1tls13", false },
	{ 256, "ffdhe2048", true },
	{ 257, "ffdhe3072", true },
	{ 258, "ffdhe4096", true },
	{ 259, "ffdhe6144", true },
	{ 260, "ffdhe8192", true },
	{ 0x11eb, "SecP256r1MLKEM768", false },
	{ 0x11ec, "X25519MLKEM768", false },
	{ 0x11ed, "SecP384r1MLKEM1024", false },
};
const size_t nh_tls_ngroups = sizeof(nh_tls_groups) / sizeof(nh_tls_groups[0]);

const struct nh_tls_group *
nh_tls_group_by_id(unsigned id)
{
	for (size_t i = 0; i < nh_tls_ngroups; i++) {
		if (nh_tls_groups[i].id == id)
			return &nh_tls_groups[i];
	}
	return NULL;
}

/* The SSLv2 CIPHER-SPECs (draft-hickman-netscape-ssl-00, appendix). */
#define SSL2(id, iana, openssl, enc, bits, export) \
	{ \
		id, iana, openssl, NH_SSL2, export ? "RSA(512)" : "RSA", \
		    "RSA", enc, "MD5", bits, export, NH_TLS_INSUFFICIENT \
	}
const struct nh_tls_suite nh_tls_ssl2_suites[] = {
	SSL2(0x010080, "SSL_CK_RC4_128_WITH_MD5", "RC4-MD5", "RC4", 128, false),
	SSL2(0x020080, "SSL_CK_RC4_128_EXPORT40_WITH_MD5", "EXP-RC4-MD5", "RC4",
	    40, true),
	SSL2(0x030080, "SSL_CK_RC2_128_CBC_WITH_MD5", "RC2-CBC-MD5", "RC2", 128,
	    false),
	SSL2(0x040080, "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5",
	    "EXP-RC2-CBC-MD5", "RC2", 40, true),
	SSL2(0x050080, "SSL_CK_IDEA_128_CBC_WITH_MD5", "IDEA-CBC-MD5", "IDEA",
	    128, false),
	SSL2(0x060040, "SSL_CK_DES_64_CBC_WITH_MD5", "DES-CBC-MD5", "DES", 56,
	    false),
	SSL2(0x0700c0, "SSL_CK_DES_192_EDE3_CBC_WITH_MD5", "DES-CBC3-MD5",
	    "3DES", 168, false),
};
const size_t nh_tls_nssl2_suites =
    sizeof(nh_tls_ssl2_suites) / sizeof(nh_tls_ssl2_suites[0]);

const struct nh_tls_suite *
nh_tls_suite_by_id(unsigned id)
{
	size_t lo = 0, hi = nh_tls_nsuites;

	if (id > 0xffff) {
		for (size_t i = 0; i < nh_tls_nssl2_suites; i++) {
			if (nh_tls_ssl2_suites[i].id == id)
				return &nh_tls_ssl2_suites[i];
		}
		return NULL;
	}

	/* The table is sorted by code point (tools/gen-tls-suites.sh). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (nh_tls_suites[mid].id == id)
			return &nh_tls_suites[mid];
		if (nh_tls_suites[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

enum nh_tls_level
nh_tls_policy(const char *kind, const char *name)
{
	for (size_t i = 0; i < nh_tls_npolicy_rows; i++) {
		if (strcmp(nh_tls_policy_rows[i].kind, kind) == 0 &&
		    strcmp(nh_tls_policy_rows[i].name, name) == 0)
			return nh_tls_policy_rows[i].level;
	}
	return NH_TLS_INSUFFICIENT;
}

const char *
nh_tls_alert_name(unsigned desc)
{
	switch (desc) {
	case 0:
		return "close_notify";
	case 10:
		return "unexpected_message";
	case 20:
		return "bad_record_mac";
	case 22:
		return "record_overflow";
	case 40:
		return "handshake_failure";
	case 42:
		return "bad_certificate";
	case 47:
		return "illegal_parameter";
	case 50:
		return "decode_error";
	case 51:
		return "decrypt_error";
	case 70:
		return "protocol_version";
	case 71:
		return "insufficient_security";
	case 80:
		return "internal_error";
	case 86:
		return "inappropriate_fallback";
	case 90:
		return "user_canceled";
	case 100:
		return "no_renegotiation";
	case 109:
		return "missing_extension";
	case 110:
		return "unsupported_extension";
	case 112:
		return "unrecognized_name";
	case 120:
		return "no_application_protocol";
	}
	return "unknown";
}

const char *
nh_tls_sigalg_hash(unsigned scheme)
{
	/* RFC 5246 §7.4.1.4.1 pairs (hash, signature) and RFC 8446 schemes. */
	switch (scheme) {
	case 0x0804:
	case 0x0809:
		return "sha256";
	case 0x0805:
	case 0x080a:
		return "sha384";
	case 0x0806:
	case 0x080b:
		return "sha512";
	case 0x0807:
	case 0x0808:
		return "intrinsic"; /* Ed25519, Ed448 */
	}
	switch (scheme >> 8) {
	case 1:
		return "md5";
	case 2:
		return "sha1";
	case 3:
		return "sha224";
	case 4:
		return "sha256";
	case 5:
		return "sha384";
	case 6:
		return "sha512";
	}
	return NULL;
}
