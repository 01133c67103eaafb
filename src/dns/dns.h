/*
 * dns.h: nethealth's DNS layer: an asynchronous validating resolver
 * (libunbound on the libevent loop) with admission control and timeouts,
 * a direct query probe to one server address (UDP, TCP on truncation or
 * failure), and readers that turn answer packets (parsed by ldns) into
 * plain records.
 *
 * This is the face of src/dns/. Every callback runs on the loop, never
 * inside the call that started the work. Ownership is stated per function;
 * data handed to a callback is borrowed and valid only during the call.
 */
#ifndef NH_DNS_H
#define NH_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <ldns/ldns.h>

#include "facts/facts.h"

struct event_base;

/* How a query ended. */
enum nh_dns_status {
	NH_DNS_OK = 0,  /* an answer arrived (see rcode) */
	NH_DNS_TIMEOUT, /* no answer within the time allowed */
	NH_DNS_FAILED,  /* the resolver or the network failed */
};

/* DNSSEC validation state of an answer. */
enum nh_dns_sec {
	NH_DNS_INSECURE = 0,
	NH_DNS_BOGUS = 1,
	NH_DNS_SECURE = 2,
};

/* What a query returned; borrowed by the callback. */
struct nh_dns_answer {
	const char *name; /* the name asked */
	uint16_t type;    /* the type asked */
	enum nh_dns_status status;
	int rcode;             /* LDNS_RCODE_*, when status is OK */
	enum nh_dns_sec sec;   /* validation state, when status is OK */
	const char *why_bogus; /* unbound's reason when bogus, or NULL */
	const ldns_pkt *pkt; /* the answer packet, or NULL (SERVFAIL, error) */
	const char *error;   /* a reason when status is not OK */
	double ms;           /* time from submission to answer */
	unsigned attempts;   /* 1 + retries used */
};

typedef void (*nh_dns_cb)(const struct nh_dns_answer *a, void *arg);

struct nh_dns_config {
	const char *conf_file;    /* unbound config, or NULL for defaults */
	const char *trust_anchor; /* default trust anchor file when no
				     conf_file; NULL: Debian's dns-root-data */
	unsigned max_inflight;    /* queries given to libunbound at once;
				     0: 500 */
	double timeout;           /* seconds per attempt; 0: 10 */
	unsigned retries;         /* extra attempts after a timeout */
};

struct nh_dns;
struct nh_dns_query;

/*
 * Creates a resolver on `base`. Returns NULL and sets *err to a static or
 * unbound message on failure (unreadable config, bad trust anchor). Caller
 * frees with nh_dns_free().
 */
struct nh_dns *nh_dns_new(
    struct event_base *base, const struct nh_dns_config *cfg, const char **err);

/*
 * Frees the resolver. Queries still pending are dropped without their
 * callbacks. Must not be called from inside a callback. NULL is safe.
 */
void nh_dns_free(struct nh_dns *d);

/*
 * Asks for `name` (copied) and `type`; `cb` runs once, later, on the loop.
 * Returns the query handle (valid until the callback returns or the query
 * is cancelled), or NULL on allocation failure (no callback then).
 */
struct nh_dns_query *nh_dns_resolve(
    struct nh_dns *d, const char *name, uint16_t type, nh_dns_cb cb, void *arg);

/* Cancels a query: its callback will not run. */
void nh_dns_cancel(struct nh_dns_query *q);

/* Counters, for benchmarks and progress displays. */
struct nh_dns_stats {
	unsigned long submitted, answered, timeouts, failures, queued_max;
	unsigned inflight, queued;
};
void nh_dns_stats(const struct nh_dns *d, struct nh_dns_stats *out);

/* The name of a validation state: "secure", "insecure", "bogus". */
const char *nh_dns_sec_name(enum nh_dns_sec s);

/*
 * The direct query probe: one question sent to one server address, over
 * UDP, then over TCP when the UDP answer is truncated or none comes (or the
 * server refuses UDP). Used for name-server reachability: the server is
 * reachable when a well-formed answer to our question arrives, whatever its
 * rcode.
 */
#define NH_DNS_Q_RD 0x1 /* recursion desired */
#define NH_DNS_Q_CD 0x2 /* checking disabled */
#define NH_DNS_Q_DO 0x4 /* DNSSEC OK (EDNS0) */

struct nh_dns_direct_result {
	enum nh_dns_status status; /* OK: an answer; TIMEOUT; FAILED */
	bool tcp;                  /* the answer came over TCP */
	bool udp_truncated;        /* UDP said TC */
	bool udp_answered;         /* UDP brought a usable answer */
	int rcode;                 /* when OK */
	bool aa;                   /* authoritative answer, when OK */
	const ldns_pkt *pkt;       /* borrowed; NULL unless OK */
	const char *error;         /* why, when not OK */
	double ms;
};

typedef void (*nh_dns_direct_cb)(
    const struct nh_dns_direct_result *r, void *arg);

struct nh_dns_direct;

/*
 * Sends `name`/`type` (flags NH_DNS_Q_*) to the server at `sa`, port
 * included, allowing `timeout` seconds per transport. `cb` runs once, on
 * the loop. Returns a handle valid until the callback returns, or NULL on
 * failure to start (bad name, no memory, no socket) with *err set.
 */
struct nh_dns_direct *nh_dns_direct_query(struct event_base *base,
    const struct sockaddr *sa, socklen_t salen, const char *name, uint16_t type,
    unsigned flags, double timeout, nh_dns_direct_cb cb, void *arg,
    const char **err);

/* Stops a direct query; its callback will not run. */
void nh_dns_direct_cancel(struct nh_dns_direct *q);

/*
 * Checks that `buf` (untrusted bytes from the network, at most `len`) is an
 * answer to the question (id, name, type): a response (QR set), the same
 * id, one question equal to ours. Returns 0 and sets *out (caller frees
 * with ldns_pkt_free()), or -1 with *why set: the bytes are then to be
 * ignored (UDP) or the exchange failed (TCP).
 */
int nh_dns_check_response(const uint8_t *buf, size_t len, uint16_t id,
    const ldns_rdf *qname, uint16_t qtype, ldns_pkt **out, const char **why);

/*
 * Readers: answers into facts. Each reads the answer section of `pkt` (the
 * records of the type asked, wherever a CNAME chain led), never fails on
 * hostile input (what does not parse is skipped), and caps what it keeps.
 */

/* The lookup outcome of an answer: result, security, error, why bogus. */
int nh_dns_lookup_fact(
    const struct nh_dns_answer *a, struct nh_fact_lookup *out);

/*
 * A or AAAA addresses (type LDNS_RR_TYPE_A or _AAAA) appended to out[] (at
 * most `max` in all, *n counts them), as text. IPv4-mapped IPv6 addresses
 * are left out and counted in *mapped; addresses past `max` in *truncated.
 */
void nh_dns_read_addrs(const ldns_pkt *pkt, uint16_t type,
    char (*out)[NH_IP_TEXT], size_t max, size_t *n, size_t *mapped,
    size_t *truncated);

/*
 * Host names of NS or MX records, lower case, without the final dot, in
 * the order of the answer; for MX, the preference in prefs[] (may be NULL
 * for NS). Returns how many were stored (at most max); *truncated counts
 * the rest. Names are owned by the caller (free()). Returns (size_t)-1 on
 * allocation failure, after freeing what it stored.
 */
size_t nh_dns_read_hosts(const ldns_pkt *pkt, uint16_t type, char **names,
    unsigned *prefs, size_t max, size_t *truncated);

/* CAA records into c->rrs (allocated here, at most NH_FACTS_MAX_RRS). */
int nh_dns_read_caa(const ldns_pkt *pkt, struct nh_fact_caa *c);

/* DNSKEY or DS records (type) into *keys (allocated here; capped). */
int nh_dns_read_keys(
    const ldns_pkt *pkt, uint16_t type, struct nh_fact_key **keys, size_t *n);

/* NSEC3PARAM into d (nsec3, iterations, salt length, flags). */
void nh_dns_read_nsec3param(const ldns_pkt *pkt, struct nh_fact_dnssec *d);

/*
 * TXT records, each record's strings concatenated (RFC 7208 §3.3), into
 * out[] (at most max; each at most 4096 bytes, longer ones skipped).
 * Returns how many were stored; the strings are the caller's to free().
 */
size_t nh_dns_read_txt(const ldns_pkt *pkt, char **out, size_t max);

/* TLSA records into out[] (at most max); returns how many. Each data is
 * lower-case hex, the caller's to free(). */
size_t nh_dns_read_tlsa(
    const ldns_pkt *pkt, struct nh_fact_tlsa *out, size_t max);

/* A domain name rdf as text: lower case, no final dot. Caller frees. */
char *nh_dns_name_text(const ldns_rdf *rdf);

#endif /* NH_DNS_H */
