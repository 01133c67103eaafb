/*
 * survey.h: the network health survey (CyberGreen's way): one well-formed
 * UDP probe per address and service, the answers parsed and measured
 * (bytes in and out, the amplification factor, what the service says it
 * is), where each address belongs (AS, country), and Shadowserver's scan
 * reports read into the same records.
 *
 * This is the face of src/survey/. Files:
 *   svc.c      the services: names, ports, CyberGreen's risks and weights
 *   probe.c    the probe of each service
 *   parse.c    the answers of each service (bounded, never trusting a
 *              length the packet gives)
 *   targets.c  address ranges, the exclusion list, the permutation, the
 *              cookies
 *   scan.c     sending at a rate, receiving, matching (sendmmsg/recvmmsg)
 *   geo.c      AS (prefix-to-AS files) and country (RIR delegated stats,
 *              MMDB) of an address
 *   shadow.c   Shadowserver CSV scan reports
 *
 * Ownership: structures handed to callbacks are borrowed for the call;
 * everything else is noted where it is declared.
 */
#ifndef NH_SURVEY_H
#define NH_SURVEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* The services surveyed. */
enum nh_svc {
	NH_SVC_DNS,         /* open recursive resolver, UDP 53 */
	NH_SVC_NTP,         /* NTP mode 6 READVAR, UDP 123 */
	NH_SVC_NTP_MONLIST, /* NTP mode 7 MON_GETLIST_1, UDP 123 */
	NH_SVC_SSDP,        /* SSDP M-SEARCH, UDP 1900 */
	NH_SVC_SNMP,        /* SNMP v2c GetBulk, community "public", UDP 161 */
	NH_SVC_CHARGEN,     /* CHARGEN, UDP 19 */
	NH_SVC_MEMCACHED,   /* memcached "stats" over UDP 11211 */
	NH_SVC_COUNT
};

struct nh_svc_info {
	const char *name;  /* "dns", "ntp", "ntp-monlist", "ssdp", "snmp",
			       "chargen", "memcached" */
	const char *risk;  /* CyberGreen's risk slug: "openrecursivedns",
			       "openntp", "openssdp", "opensnmp", "chargen";
			       "openmemcached" (not CyberGreen's) */
	const char *title; /* "Open recursive DNS resolver" */
	uint16_t port;
	double weight;       /* amplification factor: CyberGreen's (DNS 41,
			       NTP 556.9, SNMP 6.3, SSDP 30.8, CHARGEN 358.8),
			       memcached 10,000 (US-CERT TA14-017A's lower
			       bound) */
	const char *catalog; /* catalog key of the advice: "survey_dns" */
};

/* Indexed by enum nh_svc (svc.c). */
extern const struct nh_svc_info nh_svc_table[NH_SVC_COUNT];

/* The service called name (or its risk slug). Returns 0, or -1. */
int nh_svc_parse(const char *name, enum nh_svc *out);

/*
 * Probes (probe.c). `cookie` is a per-target value the answer echoes
 * where the protocol has room for one (DNS id and a label of the name,
 * SNMP request-id, memcached request id, NTP mode 6 sequence); the
 * options (may be NULL) give the contact, sent where the protocol carries
 * free text (SSDP's USER-AGENT), and the DNS probe's zone. Writes at most
 * cap bytes to out. Returns the probe's length, or 0 when it does not fit
 * (or the zone is not a name).
 */
#define NH_SURVEY_MAX_PROBE 512
struct nh_survey_probe_opts {
	const char *contact;  /* or NULL */
	const char *dns_zone; /* the zone under which the DNS probe asks
				 <cookie>.ZONE (no final dot); NULL:
				 "survey.test" (the lab's) */
};
size_t nh_survey_probe(enum nh_svc s, uint32_t cookie,
    const struct nh_survey_probe_opts *o, uint8_t *out, size_t cap);

/* What one answer packet says (parse.c). */
struct nh_survey_answer {
	bool open;        /* it answers as an amplifier does: DNS with RA and
			    an answer; NTP a mode 6 or mode 7 response with
			    data; SSDP an HTTP/1.1 200; SNMP a response PDU
			    with variables; CHARGEN any data; memcached a
			    STAT line */
	bool matched;     /* it echoes the probe's cookie (always true where
			    the protocol has none) */
	unsigned items;   /* DNS answers, monlist entries, SNMP variables,
			    memcached STAT lines */
	char detail[256]; /* what it says it is, printable ASCII: a version
			    ("version=ntpd 4.2.8p15", "memcached 1.6.18"), a
			    SERVER header, sysDescr; "" when none */
	const char *why;  /* when not open, why (static): "refused",
			    "no recursion", "error response" */
};

/*
 * Parses one UDP payload received from the service's port. Returns 0
 * (*out filled, open or not), or -1 when the bytes are not an answer of
 * that service (garbage, truncated, another protocol).
 */
int nh_survey_parse(enum nh_svc s, const uint8_t *buf, size_t len,
    uint32_t cookie, struct nh_survey_answer *out);

/*
 * One observed service of one address: from a survey (scan.c) or an
 * imported report (shadow.c). Strings are NUL-ended arrays.
 */
struct nh_survey_record {
	time_t ts;   /* when it was probed (UTC) */
	char ip[46]; /* address in text */
	enum nh_svc svc;
	uint16_t port;
	bool open;          /* an amplifier (what is counted) */
	uint32_t bytes_out; /* probe payload bytes sent (0: unknown) */
	uint32_t bytes_in;  /* answer payload bytes received, all packets */
	uint32_t packets_in;
	double amplification; /* bytes_in / bytes_out, or the report's; -1
				 unknown */
	uint32_t asn;         /* 0: unknown */
	char cc[3];           /* ISO 3166 country, "" unknown */
	char detail[256];     /* see nh_survey_answer.detail */
	char source[16];      /* "survey", "shadowserver" */
};

/*
 * Where addresses belong (geo.c): AS from a prefix-to-AS file (CAIDA
 * pfx2as or CSV, the loader of src/rpki/), country from RIR delegated
 * statistics files (delegated-*-extended-latest format) or an MMDB file
 * (libmaxminddb: country, and AS from a GeoLite2-ASN-like database). The
 * most specific prefix wins. Errors name the file, the line and why.
 */
struct nh_geo;
struct nh_geo *nh_geo_new(void);
void nh_geo_free(struct nh_geo *g);
int nh_geo_load_pfx2as(
    struct nh_geo *g, const char *path, char *err, size_t errlen);
int nh_geo_load_delegated(
    struct nh_geo *g, const char *path, char *err, size_t errlen);
int nh_geo_load_mmdb(
    struct nh_geo *g, const char *path, char *err, size_t errlen);
/* Fills r->asn and r->cc from r->ip where known (left as they are when
 * not: an imported report's own values stay). */
void nh_geo_locate(const struct nh_geo *g, struct nh_survey_record *r);

/*
 * Shadowserver scan reports (shadow.c): CSV with a header row
 * (timestamp, ip, protocol, port, asn, geo, ... and per-report fields
 * such as amplification, response_size, version, dns_version, sysdesc,
 * header); the report type is found from the columns or the file name
 * (scan_dns, scan_ntp, scan_ntpmonitor, scan_ssdp, scan_snmp,
 * scan_chargen, scan_memcached and their scan6_ forms). Calls cb for each
 * row (open = true: Shadowserver lists what answers). Returns the rows
 * read, or -1 with err set ("scan_dns.csv line 7: ..."); a row cb refuses
 * (non-zero) stops the read with -1. Lines are bounded (8 KiB).
 */
long nh_shadow_read(FILE *fp, const char *name,
    int (*cb)(const struct nh_survey_record *r, void *arg), void *arg,
    char *err, size_t errlen);

/*
 * Address blocks (targets.c): CIDR text ("198.51.100.0/24", "2001:db8::/120",
 * or one address) with the host bits cleared.
 */
struct nh_cidr {
	uint8_t net[16]; /* IPv4 in the first 4 bytes */
	unsigned bits;
	int family; /* 4 or 6 */
};
struct nh_cidr_list {
	struct nh_cidr *v; /* owned */
	size_t n, cap;
};
int nh_cidr_parse(const char *text, struct nh_cidr *out);
bool nh_cidr_contains(const struct nh_cidr *c, const uint8_t *addr, int family);
bool nh_cidr_list_contains(
    const struct nh_cidr_list *l, const uint8_t *addr, int family);
void nh_cidr_list_free(struct nh_cidr_list *l);

/*
 * The exclusion list: the space never probed (private, loopback,
 * link-local, CGN, multicast, reserved, IPv6 outside global unicast, and,
 * unless `lab`, documentation and benchmarking ranges), and the lines of
 * a file (CIDR blocks or addresses, '#' comments). Both return 0, or -1
 * (err: the file, the line, why).
 */
int nh_survey_exclude_defaults(struct nh_cidr_list *l, bool lab);
int nh_survey_exclude_file(
    struct nh_cidr_list *l, const char *path, char *err, size_t errlen);

/* The ranges asked for: at most 2^32 addresses in all. */
struct nh_survey_targets {
	struct nh_cidr_list blocks;
	uint64_t total; /* addresses */
};
int nh_survey_targets_add(
    struct nh_survey_targets *t, const char *text, char *err, size_t errlen);
/* Address number i (0 <= i < total), into addr (16 bytes) and *family. */
void nh_survey_target_at(const struct nh_survey_targets *t, uint64_t i,
    uint8_t addr[16], int *family);
void nh_survey_targets_free(struct nh_survey_targets *t);

/* A keyed permutation of 0..n-1 (n < 2^62). */
struct nh_perm {
	uint64_t n, mask, key[4];
	unsigned half;
};
void nh_perm_init(struct nh_perm *p, uint64_t n, uint64_t seed);
uint64_t nh_perm_at(const struct nh_perm *p, uint64_t i);

/* The cookie of a probe: a keyed hash of the seed, address and service. */
uint32_t nh_survey_cookie(
    uint64_t seed, const uint8_t *addr, int family, enum nh_svc s);

/*
 * A survey (scan.c): every (address, service) pair of the targets, in
 * the permutation's order, the excluded ones skipped (never sent), at
 * most `rate` probes a second, then `wait` seconds for late answers.
 * Each address that answered a service is one record (open or not),
 * handed to on_record at the end. With dry_run, what would be sent is
 * written to dry_out (one line a probe) and nothing is sent.
 */
struct nh_survey_stats {
	uint64_t pairs;       /* (address, service) pairs in this shard */
	uint64_t sent;        /* probes sent (with dry_run: listed) */
	uint64_t send_errors; /* probes that could not leave (no route) */
	uint64_t excluded;    /* pairs skipped by the exclusion list */
	uint64_t answers;     /* answer packets that matched a probe */
	uint64_t stray;       /* packets that matched none (dropped) */
	uint64_t open;        /* records with open = true */
	double elapsed;       /* seconds, the wait for late answers included */
	double sending;       /* seconds from the first probe to the last */
};
struct nh_survey_config {
	const struct nh_survey_targets *targets;
	const struct nh_cidr_list *exclude;
	unsigned services;         /* bit (1 << enum nh_svc) per service */
	double rate;               /* probes a second */
	unsigned shard_k, shard_n; /* 1 <= k <= n; 1/1: everything */
	uint64_t seed;
	const char *contact;  /* or NULL */
	const char *dns_zone; /* or NULL: survey.test */
	double wait;          /* seconds after the last probe */
	bool dry_run;
	FILE *dry_out;
	int (*on_record)(const struct nh_survey_record *r, void *arg);
	void (*progress)(const struct nh_survey_stats *st, void *arg);
	void *arg;
};
/* Returns 0, or -1 with err (a socket could not be made, on_record
 * refused). */
int nh_survey_run(const struct nh_survey_config *c, struct nh_survey_stats *st,
    char *err, size_t errlen);

#endif /* NH_SURVEY_H */
