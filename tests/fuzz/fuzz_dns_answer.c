/*
 * fuzz_dns_answer.c: libFuzzer target for what nethealth reads from DNS
 * answers: the direct probe's answer check (untrusted bytes straight from
 * a server) and every reader that turns a parsed packet into facts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
read_all(const ldns_pkt *pkt)
{
	char ips[NH_FACTS_MAX_ADDRS][NH_IP_TEXT], *names[16], *txt[8];
	unsigned prefs[16];
	size_t n = 0, mapped = 0, trunc = 0, k;
	struct nh_fact_caa caa = { 0 };
	struct nh_fact_dnssec d = { 0 };
	struct nh_fact_key *keys = NULL;
	struct nh_fact_lookup l = { 0 };
	struct nh_dns_answer a = { .name = "x.test",
		.type = LDNS_RR_TYPE_A,
		.status = NH_DNS_OK,
		.pkt = pkt,
		.rcode = ldns_pkt_get_rcode(pkt) };

	nh_dns_read_addrs(
	    pkt, LDNS_RR_TYPE_A, ips, NH_FACTS_MAX_ADDRS, &n, &mapped, &trunc);
	nh_dns_read_addrs(pkt, LDNS_RR_TYPE_AAAA, ips, NH_FACTS_MAX_ADDRS, &n,
	    &mapped, &trunc);
	k = nh_dns_read_hosts(pkt, LDNS_RR_TYPE_NS, names, NULL, 16, &trunc);
	for (size_t i = 0; k != (size_t)-1 && i < k; i++)
		free(names[i]);
	k = nh_dns_read_hosts(pkt, LDNS_RR_TYPE_MX, names, prefs, 16, &trunc);
	for (size_t i = 0; k != (size_t)-1 && i < k; i++)
		free(names[i]);
	nh_dns_read_caa(pkt, &caa);
	nh_fact_caa_clear(&caa);
	nh_dns_read_keys(pkt, LDNS_RR_TYPE_DNSKEY, &keys, &n);
	free(keys);
	keys = NULL;
	nh_dns_read_keys(pkt, LDNS_RR_TYPE_DS, &keys, &n);
	free(keys);
	nh_dns_read_nsec3param(pkt, &d);
	k = nh_dns_read_txt(pkt, txt, 8);
	for (size_t i = 0; i < k; i++)
		free(txt[i]);
	nh_dns_lookup_fact(&a, &l);
	nh_fact_lookup_clear(&l);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ldns_rdf *qname = NULL;
	ldns_pkt *pkt = NULL;
	const char *why;

	if (size < 2)
		return 0;
	if (ldns_str2rdf_dname(&qname, "good.test.") != LDNS_STATUS_OK)
		return 0;
	/* As the direct probe does: match, then read. */
	if (nh_dns_check_response(data, size,
		(uint16_t)(data[0] << 8 | data[1]), qname, LDNS_RR_TYPE_NS,
		&pkt, &why) == 0) {
		read_all(pkt);
		ldns_pkt_free(pkt);
	}
	/* As the resolver's answers are read, whatever the question. */
	if (ldns_wire2pkt(&pkt, data, size) == LDNS_STATUS_OK) {
		read_all(pkt);
		ldns_pkt_free(pkt);
	}
	ldns_rdf_deep_free(qname);
	return 0;
}
