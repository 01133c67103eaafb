/*
 * table.c: the check table and the category table.
 *
 * Ids, worst statuses and points follow Internet.nl (batch API names; see
 * ../shared/internetnl-catalog.md and docs/scoring.md). Each row names its
 * catalog entry through NH_CATKEY_<id>: a check without text in
 * data/catalog/ does not compile.
 *
 * Points: 10 full, 5 half, 2 less, 0 none; only rows with worst status
 * NH_FAILED and points > 0 count in the score.
 */
#include <string.h>

#include "checks_impl.h"

#define CHECK(id_, cat_, worst_, points_, fn_) \
	{ \
		.meta = { .id = #id_, \
			.category = #cat_, \
			.worst = (worst_), \
			.points = (points_) }, \
		.fn = (fn_), .text = &nh_catalog_texts[NH_CATKEY_##id_], \
	}

#define CATEGORY(id_, test_, flags_, gate_) \
	{ \
		.meta = { .id = #id_, \
			.test = (test_), \
			.flags = (flags_), \
			.gate = (gate_) }, \
		.text = &nh_catalog_texts[NH_CATKEY_##id_], \
	}

const struct nh_category_def nh_category_table[] = {
	CATEGORY(web_ipv6, NH_TEST_WEB, 0, NULL),
	CATEGORY(web_dnssec, NH_TEST_WEB, 0, NULL),
	CATEGORY(web_https, NH_TEST_WEB, NH_CAT_PER_SERVER,
	    "web_https_http_available"),
	CATEGORY(web_appsecpriv, NH_TEST_WEB, 0, NULL),
	CATEGORY(web_rpki, NH_TEST_WEB, 0, NULL),
	CATEGORY(mail_ipv6, NH_TEST_MAIL, 0, NULL),
	CATEGORY(mail_dnssec, NH_TEST_MAIL, NH_CAT_PER_SERVER, NULL),
	CATEGORY(mail_auth, NH_TEST_MAIL, 0, NULL),
	CATEGORY(mail_starttls, NH_TEST_MAIL, NH_CAT_PER_SERVER,
	    "mail_starttls_tls_available"),
	CATEGORY(mail_rpki, NH_TEST_MAIL, 0, NULL),
};
const size_t nh_category_count =
    sizeof(nh_category_table) / sizeof(nh_category_table[0]);

const struct nh_check_def nh_check_table[] = {
	/* Website: IPv6 (§1.1), at most 22 points. */
	CHECK(web_ipv6_ns_address, web_ipv6, NH_FAILED, 0,
	    nh_check_ipv6_ns_address),
	CHECK(
	    web_ipv6_ns_reach, web_ipv6, NH_FAILED, 10, nh_check_ipv6_ns_reach),
	CHECK(web_ipv6_ws_address, web_ipv6, NH_FAILED, 0,
	    nh_check_ipv6_ws_address),
	CHECK(
	    web_ipv6_ws_reach, web_ipv6, NH_FAILED, 10, nh_check_ipv6_ws_reach),
	CHECK(web_ipv6_ws_similar, web_ipv6, NH_FAILED, 2,
	    nh_check_ipv6_ws_similar),
	/* Beyond Internet.nl: every IPv4 address of every name server. */
	CHECK(
	    web_ns_reach_ipv4, web_ipv6, NH_WARNING, 0, nh_check_ns_reach_ipv4),

	/* Website: DNSSEC (§1.2), 10 points. */
	CHECK(
	    web_dnssec_exist, web_dnssec, NH_FAILED, 0, nh_check_dnssec_exist),
	CHECK(
	    web_dnssec_valid, web_dnssec, NH_FAILED, 10, nh_check_dnssec_valid),
	/* Beyond Internet.nl: RFC 8624 algorithms, RFC 9276 NSEC3. */
	CHECK(web_dnssec_algorithms, web_dnssec, NH_WARNING, 0,
	    nh_check_dnssec_algorithms),
	CHECK(
	    web_dnssec_nsec3, web_dnssec, NH_WARNING, 0, nh_check_dnssec_nsec3),

	/* Website: HTTPS (§1.3), per web server address. */
	CHECK(web_https_http_available, web_https, NH_FAILED, 0,
	    nh_check_tls_available),
	CHECK(web_https_http_redirect, web_https, NH_FAILED, 10,
	    nh_check_http_redirect),
	CHECK(
	    web_https_http_hsts, web_https, NH_FAILED, 10, nh_check_http_hsts),
	CHECK(web_https_http_compress, web_https, NH_INFO, 0,
	    nh_check_http_compress),
	CHECK(web_https_tls_version, web_https, NH_FAILED, 10,
	    nh_check_tls_version),
	CHECK(web_https_tls_ciphers, web_https, NH_FAILED, 10,
	    nh_check_tls_ciphers),
	CHECK(web_https_tls_cipherorder, web_https, NH_FAILED, 10,
	    nh_check_tls_cipherorder),
	CHECK(web_https_tls_keyexchange, web_https, NH_FAILED, 10,
	    nh_check_tls_keyexchange),
	CHECK(web_https_tls_keyexchangehash, web_https, NH_FAILED, 10,
	    nh_check_tls_keyexchangehash),
	CHECK(web_https_tls_compress, web_https, NH_FAILED, 10,
	    nh_check_tls_compress),
	CHECK(web_https_tls_secreneg, web_https, NH_FAILED, 10,
	    nh_check_tls_secreneg),
	CHECK(web_https_tls_clientreneg, web_https, NH_INFO, 0,
	    nh_check_tls_clientreneg),
	CHECK(web_https_tls_extendedmastersecret, web_https, NH_FAILED, 10,
	    nh_check_tls_ems),
	CHECK(web_https_tls_0rtt, web_https, NH_FAILED, 10, nh_check_tls_0rtt),
	CHECK(web_https_tls_ocsp, web_https, NH_WARNING, 0, nh_check_tls_ocsp),
	CHECK(web_https_tls_caa, web_https, NH_WARNING, 0, nh_check_caa_domain),
	CHECK(web_https_cert_chain, web_https, NH_FAILED, 10,
	    nh_check_cert_chain),
	CHECK(web_https_cert_pubkey, web_https, NH_FAILED, 10,
	    nh_check_cert_pubkey),
	CHECK(web_https_cert_sig, web_https, NH_FAILED, 10, nh_check_cert_sig),
	CHECK(web_https_cert_domain, web_https, NH_FAILED, 10,
	    nh_check_cert_domain),
	CHECK(web_https_dane_exist, web_https, NH_INFO, 0, nh_check_dane_exist),
	CHECK(web_https_dane_valid, web_https, NH_WARNING, 0,
	    nh_check_dane_valid),

	/* Website: security options (§1.4), not scored. */
	CHECK(web_appsecpriv_x_frame_options, web_appsecpriv, NH_INFO, 0,
	    nh_check_xfo),
	CHECK(web_appsecpriv_x_content_type_options, web_appsecpriv, NH_WARNING,
	    0, nh_check_xcto),
	CHECK(web_appsecpriv_referrer_policy, web_appsecpriv, NH_WARNING, 0,
	    nh_check_referrer),
	CHECK(web_appsecpriv_csp, web_appsecpriv, NH_WARNING, 0, nh_check_csp),
	CHECK(web_appsecpriv_securitytxt, web_appsecpriv, NH_WARNING, 0,
	    nh_check_securitytxt),

	/* Website: RPKI (§1.5), 30 points. */
	CHECK(
	    web_rpki_exists, web_rpki, NH_FAILED, 5, nh_check_rpki_web_exists),
	CHECK(web_rpki_valid, web_rpki, NH_FAILED, 10, nh_check_rpki_web_valid),
	CHECK(web_ns_rpki_exists, web_rpki, NH_FAILED, 5,
	    nh_check_rpki_ns_exists),
	CHECK(
	    web_ns_rpki_valid, web_rpki, NH_FAILED, 10, nh_check_rpki_ns_valid),

	/* Mail: IPv6 (§2.1), 20 points. */
	CHECK(mail_ipv6_ns_address, mail_ipv6, NH_FAILED, 0,
	    nh_check_ipv6_ns_address),
	CHECK(mail_ipv6_ns_reach, mail_ipv6, NH_FAILED, 10,
	    nh_check_ipv6_ns_reach),
	CHECK(mail_ipv6_mx_address, mail_ipv6, NH_FAILED, 0,
	    nh_check_ipv6_mx_address),
	CHECK(mail_ipv6_mx_reach, mail_ipv6, NH_FAILED, 10,
	    nh_check_ipv6_mx_reach),
	CHECK(mail_ns_reach_ipv4, mail_ipv6, NH_WARNING, 0,
	    nh_check_ns_reach_ipv4),

	/* Mail: DNSSEC (§2.2), per domain and MX, 10 points. */
	CHECK(mail_dnssec_mailto_exist, mail_dnssec, NH_FAILED, 0,
	    nh_check_dnssec_mailto_exist),
	CHECK(mail_dnssec_mailto_valid, mail_dnssec, NH_FAILED, 10,
	    nh_check_dnssec_mailto_valid),
	CHECK(mail_dnssec_mx_exist, mail_dnssec, NH_FAILED, 0,
	    nh_check_dnssec_mx_exist),
	CHECK(mail_dnssec_mx_valid, mail_dnssec, NH_FAILED, 10,
	    nh_check_dnssec_mx_valid),
	CHECK(mail_dnssec_algorithms, mail_dnssec, NH_WARNING, 0,
	    nh_check_dnssec_algorithms),
	CHECK(mail_dnssec_nsec3, mail_dnssec, NH_WARNING, 0,
	    nh_check_dnssec_nsec3),

	/* Mail: authenticity marks (§2.3), 50 points. */
	CHECK(mail_auth_dmarc_exist, mail_auth, NH_FAILED, 10,
	    nh_check_dmarc_exist),
	CHECK(mail_auth_dmarc_policy, mail_auth, NH_FAILED, 10,
	    nh_check_dmarc_policy),
	CHECK(mail_auth_dkim_exist, mail_auth, NH_FAILED, 10,
	    nh_check_dkim_exist),
	CHECK(
	    mail_auth_spf_exist, mail_auth, NH_FAILED, 10, nh_check_spf_exist),
	CHECK(mail_auth_spf_policy, mail_auth, NH_FAILED, 10,
	    nh_check_spf_policy),

	/* Mail: STARTTLS and DANE (§2.4), per MX. */
	CHECK(mail_starttls_tls_available, mail_starttls, NH_FAILED, 10,
	    nh_check_starttls_available),
	CHECK(mail_starttls_tls_version, mail_starttls, NH_FAILED, 10,
	    nh_check_tls_version),
	CHECK(mail_starttls_tls_ciphers, mail_starttls, NH_FAILED, 10,
	    nh_check_tls_ciphers),
	CHECK(mail_starttls_tls_cipherorder, mail_starttls, NH_FAILED, 10,
	    nh_check_tls_cipherorder),
	CHECK(mail_starttls_tls_keyexchange, mail_starttls, NH_FAILED, 10,
	    nh_check_tls_keyexchange),
	CHECK(mail_starttls_tls_keyexchangehash, mail_starttls, NH_FAILED, 10,
	    nh_check_tls_keyexchangehash),
	CHECK(mail_starttls_tls_compress, mail_starttls, NH_FAILED, 10,
	    nh_check_tls_compress),
	CHECK(mail_starttls_tls_secreneg, mail_starttls, NH_FAILED, 10,
	    nh_check_tls_secreneg),
	CHECK(mail_starttls_tls_clientreneg, mail_starttls, NH_INFO, 0,
	    nh_check_tls_clientreneg),
	CHECK(mail_starttls_tls_extendedmastersecret, mail_starttls, NH_FAILED,
	    10, nh_check_tls_ems),
	CHECK(mail_starttls_tls_0rtt, mail_starttls, NH_FAILED, 10,
	    nh_check_tls_0rtt),
	CHECK(mail_starttls_tls_caa, mail_starttls, NH_WARNING, 0,
	    nh_check_caa_mx),
	CHECK(mail_starttls_cert_chain, mail_starttls, NH_INFO, 0,
	    nh_check_cert_chain),
	CHECK(mail_starttls_cert_pubkey, mail_starttls, NH_FAILED, 10,
	    nh_check_cert_pubkey),
	CHECK(mail_starttls_cert_sig, mail_starttls, NH_FAILED, 10,
	    nh_check_cert_sig),
	/* Failed only with a DANE-TA record, and then without points. */
	CHECK(mail_starttls_cert_domain, mail_starttls, NH_FAILED, 0,
	    nh_check_cert_domain),
	CHECK(mail_starttls_dane_exist, mail_starttls, NH_FAILED, 10,
	    nh_check_dane_exist),
	CHECK(mail_starttls_dane_valid, mail_starttls, NH_FAILED, 10,
	    nh_check_dane_valid),
	/* Beyond Internet.nl: transport policies, recommendations. */
	CHECK(mail_starttls_mtasts, mail_starttls, NH_WARNING, 0,
	    nh_check_mtasts),
	CHECK(mail_starttls_tlsrpt, mail_starttls, NH_INFO, 0, nh_check_tlsrpt),
	CHECK(mail_starttls_dane_rollover, mail_starttls, NH_INFO, 0,
	    nh_check_dane_rollover),

	/* Mail: RPKI (§2.5), 45 points. */
	CHECK(
	    mail_rpki_exists, mail_rpki, NH_FAILED, 5, nh_check_rpki_mx_exists),
	CHECK(
	    mail_rpki_valid, mail_rpki, NH_FAILED, 10, nh_check_rpki_mx_valid),
	CHECK(mail_ns_rpki_exists, mail_rpki, NH_FAILED, 5,
	    nh_check_rpki_ns_exists),
	CHECK(mail_ns_rpki_valid, mail_rpki, NH_FAILED, 10,
	    nh_check_rpki_ns_valid),
	CHECK(mail_mx_ns_rpki_exists, mail_rpki, NH_FAILED, 5,
	    nh_check_rpki_mx_ns_exists),
	CHECK(mail_mx_ns_rpki_valid, mail_rpki, NH_FAILED, 10,
	    nh_check_rpki_mx_ns_valid),
};
const size_t nh_check_count =
    sizeof(nh_check_table) / sizeof(nh_check_table[0]);

const struct nh_check_def *
nh_check_find(const char *id)
{
	for (size_t i = 0; i < nh_check_count; i++) {
		if (strcmp(nh_check_table[i].meta.id, id) == 0)
			return &nh_check_table[i];
	}
	return NULL;
}

const struct nh_category_def *
nh_category_find(const char *id)
{
	for (size_t i = 0; i < nh_category_count; i++) {
		if (strcmp(nh_category_table[i].meta.id, id) == 0)
			return &nh_category_table[i];
	}
	return NULL;
}

const struct nh_category_def *
nh_check_category(const struct nh_check_def *d)
{
	return nh_category_find(d->meta.category);
}
