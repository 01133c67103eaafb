/*
 * checks_impl.h: the check functions the table names, and helpers they
 * share. Internal to src/checks/.
 */
#ifndef NH_CHECKS_IMPL_H
#define NH_CHECKS_IMPL_H

#include "checks.h"

#define CHECK_FN(name) \
	int name(const struct nh_facts *f, const struct nh_check_opts *o, \
	    struct nh_check_result *r)

/* IPv6 (ipv6.c) */
CHECK_FN(nh_check_ipv6_ns_address);
CHECK_FN(nh_check_ipv6_ns_reach);
CHECK_FN(nh_check_ns_reach_ipv4);
CHECK_FN(nh_check_ipv6_ws_address);
CHECK_FN(nh_check_ipv6_ws_reach);
CHECK_FN(nh_check_ipv6_mx_address);
CHECK_FN(nh_check_ipv6_mx_reach);

/* DNSSEC (dnssec.c) */
CHECK_FN(nh_check_dnssec_exist);
CHECK_FN(nh_check_dnssec_valid);
CHECK_FN(nh_check_dnssec_mailto_exist);
CHECK_FN(nh_check_dnssec_mailto_valid);
CHECK_FN(nh_check_dnssec_mx_exist);
CHECK_FN(nh_check_dnssec_mx_valid);
CHECK_FN(nh_check_dnssec_algorithms);
CHECK_FN(nh_check_dnssec_nsec3);

/* TLS and certificates (tls.c), per web address */
CHECK_FN(nh_check_tls_available);
CHECK_FN(nh_check_tls_version);
CHECK_FN(nh_check_tls_ciphers);
CHECK_FN(nh_check_tls_cipherorder);
CHECK_FN(nh_check_tls_keyexchange);
CHECK_FN(nh_check_tls_keyexchangehash);
CHECK_FN(nh_check_tls_compress);
CHECK_FN(nh_check_tls_secreneg);
CHECK_FN(nh_check_tls_clientreneg);
CHECK_FN(nh_check_tls_ems);
CHECK_FN(nh_check_tls_0rtt);
CHECK_FN(nh_check_tls_ocsp);
CHECK_FN(nh_check_cert_chain);
CHECK_FN(nh_check_cert_pubkey);
CHECK_FN(nh_check_cert_sig);
CHECK_FN(nh_check_cert_domain);
CHECK_FN(nh_check_dane_exist);
CHECK_FN(nh_check_dane_valid);
CHECK_FN(nh_check_dane_rollover);
CHECK_FN(nh_check_starttls_available); /* mail: every MX address */

/* HTTP, per web address (http.c) */
CHECK_FN(nh_check_http_redirect);
CHECK_FN(nh_check_http_hsts);
CHECK_FN(nh_check_http_compress);
CHECK_FN(nh_check_xfo);
CHECK_FN(nh_check_xcto);
CHECK_FN(nh_check_referrer);
CHECK_FN(nh_check_csp);
CHECK_FN(nh_check_securitytxt);

/* The same website over IPv4 and IPv6 (similar.c) */
CHECK_FN(nh_check_ipv6_ws_similar);

/* Mail authentication and transport policies (auth.c) */
CHECK_FN(nh_check_spf_exist);
CHECK_FN(nh_check_spf_policy);
CHECK_FN(nh_check_dmarc_exist);
CHECK_FN(nh_check_dmarc_policy);
CHECK_FN(nh_check_dkim_exist);
CHECK_FN(nh_check_mtasts);
CHECK_FN(nh_check_tlsrpt);

/* RPKI (rpki.c) */
CHECK_FN(nh_check_rpki_web_exists);
CHECK_FN(nh_check_rpki_web_valid);
CHECK_FN(nh_check_rpki_ns_exists);
CHECK_FN(nh_check_rpki_ns_valid);
CHECK_FN(nh_check_rpki_mx_exists);
CHECK_FN(nh_check_rpki_mx_valid);
CHECK_FN(nh_check_rpki_mx_ns_exists);
CHECK_FN(nh_check_rpki_mx_ns_valid);

/* CAA (caa.c) */
CHECK_FN(nh_check_caa_domain);
CHECK_FN(nh_check_caa_mx);

/*
 * Checks one CAA record (RFC 8659, RFC 8657, RFC 9495) of untrusted
 * content: flags, tag and value syntax. Returns 0 when valid, or -1 with a
 * reason written to why (NUL-terminated, at most `size` bytes).
 */
int nh_caa_check_record(
    unsigned flags, const char *tag, const char *value, char *why, size_t size);

/*
 * Sets the result from a lookup that failed (error) or found no name
 * (NXDOMAIN): returns true when it did, so the check stops there.
 */
bool nh_check_lookup_failed(const struct nh_fact_lookup *l, const char *what,
    struct nh_check_result *r, int *rc);

/* A JSON array of strings; NULL on allocation failure. */
json_t *nh_json_strings(const char *const *s, size_t n);

/*
 * Sets the check's own message from its per-server findings when it has
 * none: their message when they all say the same, else the count of each
 * status. Returns 0, or -1 when out of memory.
 */
int nh_check_summarize(struct nh_check_result *r);

/* The probe of port `port` at web address `ip`: NH_PROBE_OK when it
 * accepted, NH_PROBE_NOT_DONE when the facts hold no such probe. */
enum nh_probe nh_web_port(
    const struct nh_facts *f, const char *ip, unsigned port);

/* Whether the MX checks apply (the domain has usable MX). */
bool nh_mx_applies(const struct nh_facts *f);

/*
 * For a domain without usable MX: sets r as Internet.nl does for each MX
 * status (null MX, no MX, ...), with `points` for a scored check (full
 * points where Internet.nl awards them). Returns 0 or -1.
 */
int nh_check_no_mx(
    const struct nh_facts *f, struct nh_check_result *r, bool full_points);

/* The text of an MX status, for messages. */
const char *nh_mx_status_text(enum nh_mx_status s);

#endif /* NH_CHECKS_IMPL_H */
