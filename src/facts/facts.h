/*
 * facts.h: what was observed about a domain, the meeting point of probes
 * and checks. Probes fill it; checks read it and never touch the network.
 * A set of facts can be saved as JSON and judged again offline
 * (nethealth web --from-facts FILE).
 *
 * This is the face of src/facts/. Plain data: every array is owned by the
 * struct that holds it, and nh_facts_free() frees it all. Counts are capped
 * (NH_FACTS_MAX_*): a hostile zone cannot make the facts grow without end;
 * what was cut is counted in `truncated` fields.
 */
#ifndef NH_FACTS_H
#define NH_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "model/model.h"

#define NH_FACTS_MAX_NS 16    /* name servers of a zone */
#define NH_FACTS_MAX_ADDRS 16 /* addresses of one family of one name */
#define NH_FACTS_MAX_MX 10    /* MX hosts, as Internet.nl */
#define NH_FACTS_MAX_RRS 32   /* CAA, DNSKEY, DS records read */
#define NH_IP_TEXT 46         /* INET6_ADDRSTRLEN */

/* How a DNS lookup ended. */
enum nh_lookup {
	NH_LOOKUP_NOT_DONE = 0,
	NH_LOOKUP_ANSWER,   /* records of the type asked */
	NH_LOOKUP_NODATA,   /* the name exists, no such records */
	NH_LOOKUP_NXDOMAIN, /* the name does not exist */
	NH_LOOKUP_ERROR,    /* SERVFAIL, timeout, resolver failure */
};

/* DNSSEC state of an answer, as a validating resolver sees it. */
enum nh_sec {
	NH_SEC_UNKNOWN = 0, /* not looked up, or the lookup failed */
	NH_SEC_INSECURE,
	NH_SEC_SECURE,
	NH_SEC_BOGUS,
};

/* Outcome of a probe of one address and port. */
enum nh_probe {
	NH_PROBE_NOT_DONE = 0,
	NH_PROBE_OK,     /* connected, or a DNS answer arrived */
	NH_PROBE_FAILED, /* refused, unreachable, timed out */
};

/* One DNS lookup's outcome. */
struct nh_fact_lookup {
	enum nh_lookup result;
	enum nh_sec sec;
	char *error;     /* for NH_LOOKUP_ERROR; owned, may be NULL */
	char *why_bogus; /* unbound's reason; owned, may be NULL */
};

/* An address of a name server and whether it answered a DNS question. */
struct nh_fact_ns_addr {
	char ip[NH_IP_TEXT];
	int family;             /* 4 or 6 */
	enum nh_probe answered; /* an answer to "zone NS", UDP or TCP */
	bool tcp;               /* the answer came over TCP */
	int rcode;              /* of the answer */
	bool aa;                /* authoritative answer */
	double ms;
	char *error; /* why not answered; owned, may be NULL */
};

/* A name server of the zone. */
struct nh_fact_ns {
	char *name; /* owned */
	struct nh_fact_lookup a, aaaa;
	struct nh_fact_ns_addr *addrs; /* owned; IPv6 first, then IPv4 */
	size_t naddrs;
	size_t mapped_ignored; /* IPv4-mapped AAAA records left out */
};

/* An address of a web server or MX and the ports that accepted. */
struct nh_fact_host_addr {
	char ip[NH_IP_TEXT];
	int family;            /* 4 or 6 */
	enum nh_probe port[3]; /* per port of the host's port list */
};

/* A CAA record (RFC 8659). */
struct nh_fact_caa_rr {
	unsigned flags;
	char *tag;   /* owned */
	char *value; /* owned; may hold any bytes but NUL */
};

/* CAA, climbed from a name towards the root (RFC 8659 §3). */
struct nh_fact_caa {
	struct nh_fact_lookup lookup; /* of the name where the climb ended */
	char *found_at;             /* name with the records, or NULL; owned */
	struct nh_fact_caa_rr *rrs; /* owned */
	size_t nrrs, truncated;
};

/* A DNSKEY or DS record's algorithm facts. */
struct nh_fact_key {
	unsigned flags;     /* DNSKEY flags (257 KSK, 256 ZSK); DS: 0 */
	unsigned algorithm; /* RFC 8624 numbers */
	unsigned digest;    /* DS digest type; DNSKEY: 0 */
	unsigned keytag;
};

/* DNSSEC facts of one name (the domain, or an MX host name). */
struct nh_fact_dnssec {
	char *name;                /* owned */
	struct nh_fact_lookup soa; /* SOA of the name, validated */
	struct nh_fact_lookup dnskey_lookup, ds_lookup;
	char *zone; /* the zone the keys belong to; owned */
	struct nh_fact_key *dnskeys, *ds; /* owned */
	size_t ndnskeys, nds;
	bool nsec3; /* the zone has NSEC3PARAM */
	unsigned nsec3_iterations, nsec3_salt_len, nsec3_flags;
};

/* ---- TLS ---- */

#define NH_FACTS_MAX_SUITES 128 /* accepted suites of one version */
#define NH_FACTS_MAX_GROUPS 32
#define NH_FACTS_MAX_CHAIN 8 /* certificates kept of a chain */
#define NH_FACTS_MAX_TLSA 16
#define NH_TLS_NVERSIONS 6 /* SSLv2, SSLv3, TLS 1.0, 1.1, 1.2, 1.3 */

/* What the prober found for one protocol version. */
struct nh_fact_tls_version {
	unsigned version;     /* 0x0200 ... 0x0304 */
	enum nh_probe probed; /* ok: the version was accepted */
	char *error;          /* why not (alert, close); owned */
	unsigned suites[NH_FACTS_MAX_SUITES]; /* in the order chosen */
	size_t nsuites;
	int server_order; /* 1: the server's order, 0: the client's,
				    -1: not known (fewer than two suites) */
};

/* A certificate of the chain the server sent. */
struct nh_fact_cert {
	char *subject, *issuer; /* one-line names; owned */
	char *key_type;         /* "rsa", "ec", "ed25519", "ed448", "dsa" */
	unsigned key_bits;
	char *curve;       /* for "ec": "secp256r1"...; owned */
	char *sig_alg;     /* "sha256WithRSAEncryption",
				    "RSASSA-PSS-SHA256", ...; owned */
	char *not_after;   /* RFC 3339, UTC; owned */
	bool self_signed;  /* issuer and subject equal, self-verifying */
	bool trusted_root; /* a root of the trust store */
};

/* A TLSA record (RFC 6698). */
struct nh_fact_tlsa {
	unsigned usage, selector, mtype;
	char *data; /* hex; owned */
};

/* The SMTP dialog before STARTTLS (mail: port 25 of an MX address). */
struct nh_fact_smtp {
	enum nh_probe answered; /* ok: a 220 greeting came; failed: only
				   other greetings (421, 554) */
	int code;               /* of the last greeting (220, 421, 554...) */
	char *banner;           /* its text; owned */
	bool ehlo;              /* EHLO was answered 250 */
	bool starttls;          /* and offered STARTTLS */
	unsigned deferred;      /* 4xx greetings, tried again after */
	char *error;            /* why no STARTTLS; owned */
};

/* One TLS endpoint: an address and port, with the name sent as SNI. */
struct nh_fact_tls {
	char ip[NH_IP_TEXT];
	int family;
	unsigned port;
	char *sni;               /* owned, may be NULL */
	enum nh_probe reachable; /* a TLS answer of any kind came */
	char *error;             /* why not; owned */
	struct nh_fact_tls_version versions[NH_TLS_NVERSIONS];
	unsigned groups12[NH_FACTS_MAX_GROUPS]; /* ECDHE curves, TLS 1.2 */
	size_t ngroups12;
	unsigned groups13[NH_FACTS_MAX_GROUPS]; /* TLS 1.3 groups */
	size_t ngroups13;
	bool dhe; /* a DHE suite was negotiated */
	unsigned dh_bits, dh_g;
	bool dh_ffdhe;          /* the DH prime is an RFC 7919 group */
	enum nh_probe kex_sha1; /* ok: the server signed with SHA-1 */
	enum nh_probe kex_sha224;
	enum nh_probe compression;  /* ok: the server chose DEFLATE */
	enum nh_probe secure_reneg; /* ok: renegotiation_info answered */
	enum nh_probe ems;          /* ok: extended_master_secret answered */
	/* From full handshakes with OpenSSL. */
	enum nh_probe handshake;    /* ok: a full handshake completed */
	char *handshake_error;      /* owned */
	enum nh_probe client_reneg; /* ok: a client renegotiation worked */
	enum nh_probe zero_rtt;     /* ok: early data was accepted */
	bool ocsp_url;              /* the leaf names an OCSP responder */
	enum nh_probe ocsp_stapled; /* ok: a response was stapled */
	bool ocsp_valid;            /* the stapled response verifies, good */
	bool chain_from_probe;      /* chain facts read from a raw probe's
				  Certificate message: no full handshake
				  completed (OpenSSL lacks the suite) */
	bool chain_verified;        /* the chain verifies to a trusted root */
	char *verify_error;         /* OpenSSL's reason; owned */
	bool name_matches;          /* the leaf matches the SNI name */
	struct nh_fact_cert chain[NH_FACTS_MAX_CHAIN]; /* leaf first */
	size_t nchain;
	struct nh_fact_lookup tlsa_lookup; /* _port._tcp.name TLSA */
	struct nh_fact_tlsa tlsa[NH_FACTS_MAX_TLSA];
	size_t ntlsa;
	enum nh_probe dane;       /* ok: a usable TLSA record matched */
	char *dane_error;         /* owned */
	struct nh_fact_smtp smtp; /* mail: what came before STARTTLS */
	unsigned connections;     /* connections opened for this endpoint */
	unsigned sequential; /* the longest chain of connections that had to
				 wait for each other (round trips) */
	double ms;
};

/* Frees what a certificate's facts own and zeroes them. */
void nh_fact_cert_clear(struct nh_fact_cert *c);

/* The highest protocol version the probes saw the endpoint accept
 * (0x0200 ... 0x0304), or 0 when none: TLS does not work there. */
unsigned nh_fact_tls_best(const struct nh_fact_tls *t);

/* Whether the endpoint accepted protocol version `version` (probed OK). */
bool nh_fact_tls_accepted(const struct nh_fact_tls *t, unsigned version);

/* Frees what a TLS endpoint owns and zeroes it. */
void nh_fact_tls_clear(struct nh_fact_tls *t);

/* A TLS endpoint as JSON (as in the facts); NULL out of memory. */
json_t *nh_fact_tls_to_json(const struct nh_fact_tls *t);

/*
 * Reads a TLS endpoint written by nh_fact_tls_to_json() into *t (zeroed
 * first; clear it with nh_fact_tls_clear() whatever the outcome). Returns
 * 0, or -1 with *why set.
 */
int nh_fact_tls_from_json(
    const json_t *j, struct nh_fact_tls *t, const char **why);

/* ---- HTTP (web test) ---- */

#define NH_FACTS_MAX_HOPS 10       /* answers kept of a redirect chain */
#define NH_FACTS_MAX_VALUES 8      /* field lines kept of one header */
#define NH_SECTXT_MAX (100 * 1024) /* bytes of security.txt read */

/* One answer of a redirect chain. */
struct nh_fact_http_hop {
	char *url;      /* the URL asked; owned */
	int status;     /* 0: no answer (error says why) */
	char *location; /* the Location of a 3xx, resolved; owned, or NULL */
	char *error;    /* owned, or NULL */
};

/* The headers a web test judges, from the answer to https://domain/. */
enum nh_hdr {
	NH_HDR_HSTS, /* Strict-Transport-Security */
	NH_HDR_XFO,  /* X-Frame-Options */
	NH_HDR_XCTO, /* X-Content-Type-Options */
	NH_HDR_REFERRER,
	NH_HDR_CSP,      /* Content-Security-Policy */
	NH_HDR_ENCODING, /* Content-Encoding */
	NH_HDR_COUNT,
};

/* Every field line of one header, in order received. */
struct nh_fact_header {
	char *values[NH_FACTS_MAX_VALUES]; /* owned */
	size_t n;
	size_t dropped; /* field lines past NH_FACTS_MAX_VALUES */
};

/*
 * A page as the same-site comparison needs it: a byte histogram of the
 * body with per-request tokens left out (nh_webpol_page_digest()).
 */
struct nh_fact_page {
	enum nh_probe got; /* ok: an answer came */
	int status;        /* of the last answer */
	char *url;         /* the last URL asked; owned */
	char *error;       /* owned, or NULL */
	size_t len, stripped;
	unsigned long hist[256];
};

/* security.txt, as fetched (RFC 9116 §3). */
struct nh_fact_sectxt {
	enum nh_probe got;  /* ok: an answer came */
	int status;         /* of the final answer */
	char *url;          /* the URL asked first; owned */
	char *final_url;    /* after redirects; owned, or NULL */
	char *content_type; /* owned, or NULL */
	char *body;         /* owned; NUL-terminated, may hold NULs */
	size_t len;
	bool truncated; /* cut at NH_SECTXT_MAX */
	bool legacy;    /* the answer for /security.txt */
	char *error;    /* owned, or NULL */
};

/* What the web server at one address says over HTTP and HTTPS. */
struct nh_fact_http {
	char ip[NH_IP_TEXT];
	int family;
	/* http://domain/, redirects followed while on the domain's own
	 * name (pinned to this address); the hop after the last is not
	 * asked when it leaves the name. */
	struct nh_fact_http_hop hops[NH_FACTS_MAX_HOPS];
	size_t nhops;
	bool hops_cut; /* the chain went on past NH_FACTS_MAX_HOPS */
	/* https://domain/, not following redirects, every coding offered. */
	struct nh_fact_http_hop https;
	struct nh_fact_header headers[NH_HDR_COUNT];
	struct nh_fact_sectxt sectxt;
	/* The pages reached from http:// and https:// (same-site check). */
	struct nh_fact_page page_http, page_https;
	unsigned requests;    /* HTTP requests made for this address */
	unsigned connections; /* connections they opened */
	double ms;
};

/* The header's name in HTTP ("Strict-Transport-Security", ...). */
const char *nh_hdr_name(enum nh_hdr h);

/* Frees what security.txt's facts own and zeroes them. */
void nh_fact_sectxt_clear(struct nh_fact_sectxt *s);

/* Frees what an address's HTTP facts own and zeroes them. */
void nh_fact_http_clear(struct nh_fact_http *h);

/* ---- mail authentication (mail test) ---- */

#define NH_FACTS_MAX_SPF 40 /* names looked up for the SPF policy */
#define NH_FACTS_MAX_TXT \
	32                  /* TXT records kept of one name: domains
				 publish many (site verifications) beside SPF */
#define NH_FACTS_MAX_EXT 8  /* external DMARC report destinations */
#define NH_MTASTS_MAX 65536 /* bytes of an MTA-STS policy read */

/* A lookup of one name and type: the TXT records (each record's strings
 * joined, RFC 7208 §3.3), or how many records of the type. */
struct nh_fact_rrset {
	char *name;    /* owned; no final dot */
	unsigned type; /* 16 TXT, 15 MX, 1 A (A and AAAA together) */
	struct nh_fact_lookup lookup;
	char **txt;      /* owned, ntxt of them (at most NH_FACTS_MAX_TXT,
			     added with nh_fact_rrset_add_txt); may hold NUL
			     bytes: txt_len */
	size_t *txt_len; /* owned */
	size_t ntxt, txt_dropped;
	size_t count; /* records of the type (A: A and AAAA) */
};

/* SPF, DMARC, DKIM, MTA-STS and TLS-RPT of the mail domain. */
struct nh_fact_mailauth {
	/* SPF: the domain's TXT first, then every name its policy makes a
	 * receiver look up (include, redirect, a, mx, exists), in turn. */
	struct nh_fact_rrset spf[NH_FACTS_MAX_SPF];
	size_t nspf;
	bool spf_cut;               /* more names than NH_FACTS_MAX_SPF */
	struct nh_fact_rrset dmarc; /* _dmarc.domain TXT */
	char *org_domain; /* the organizational domain (RFC 7489 §3.2, the
			     Public Suffix List); owned */
	struct nh_fact_rrset dmarc_org; /* _dmarc.<org> TXT, when asked */
	/* <domain>._report._dmarc.<host> for external report hosts. */
	struct nh_fact_rrset ext[NH_FACTS_MAX_EXT];
	size_t next;
	struct nh_fact_rrset dkim;   /* _domainkey.domain TXT */
	struct nh_fact_rrset mtasts; /* _mta-sts.domain TXT */
	struct nh_fact_rrset tlsrpt; /* _smtp._tls.domain TXT */
	/* The MTA-STS policy (RFC 8461 §3.3), redirects not followed. */
	enum nh_probe policy_got;
	int policy_status;
	char *policy_type; /* Content-Type; owned */
	char *policy;      /* the body; owned, NUL-terminated */
	size_t policy_len;
	bool policy_redirected;
	char *policy_error; /* owned */
};

/* Frees what an rrset owns and zeroes it. */
void nh_fact_rrset_clear(struct nh_fact_rrset *r);

/*
 * Appends a TXT record (taken over: freed when it cannot be kept) of len
 * bytes. Past NH_FACTS_MAX_TXT records it is dropped and counted in
 * txt_dropped. Returns 0, or -1 out of memory (the record freed).
 */
int nh_fact_rrset_add_txt(struct nh_fact_rrset *r, char *txt, size_t len);

/* ---- RPKI (both tests) ---- */

#define NH_FACTS_MAX_ROUTES 8 /* announced routes kept of one address */

/* Whose address it is: what the RPKI checks group by. */
enum nh_rpki_role {
	NH_RPKI_WEB,   /* a web server address */
	NH_RPKI_NS,    /* an address of a name server of the domain */
	NH_RPKI_MX,    /* an address of an MX */
	NH_RPKI_MX_NS, /* an address of a name server of an MX's zone */
};

/* An announced route covering an address, and its RFC 6811 state. */
struct nh_fact_route {
	char prefix[48]; /* the prefix's address */
	unsigned len;
	unsigned long asn;
	char state[16]; /* "valid", "invalid_asn", "invalid_length",
			   "not_found" */
};

/* Route origin validation of one address, from the files given. */
struct nh_fact_rpki_addr {
	char ip[NH_IP_TEXT];
	enum nh_rpki_role role;
	char *server; /* owned: the name server or MX name; NULL: web */
	size_t vrps;  /* VRPs covering the address */
	struct nh_fact_route routes[NH_FACTS_MAX_ROUTES]; /* most specific
							     first */
	size_t nroutes, routes_dropped;
};

struct nh_fact_rpki {
	enum nh_probe done; /* ok: validated; not_done: no data given */
	char *why_not;      /* owned: what is missing, when not done */
	struct nh_fact_rpki_addr *addrs; /* owned */
	size_t naddrs;
};

/* Internet.nl's MX statuses (checks/models.py MxStatus). */
enum nh_mx_status {
	NH_MX_NOT_DONE = 0,
	NH_MX_HAS_MX,          /* one or more usable MX */
	NH_MX_NULL,            /* "0 ." alone (RFC 7505), with A or AAAA */
	NH_MX_NULL_WITH_OTHER, /* "0 ." beside other MX: invalid */
	NH_MX_NULL_WITHOUT_A,  /* "0 ." and no A or AAAA */
	NH_MX_NO_NULL_MX,      /* no MX, SPF "-all": should publish null MX */
	NH_MX_NONE,            /* no MX at all */
	NH_MX_ERROR,           /* the MX lookup failed */
};

/* An address of a name server of an MX's zone (for RPKI, §2.5). */
struct nh_fact_mxns {
	char *name; /* the name server; owned */
	char ip[NH_IP_TEXT];
};

/* A mail server (MX host). */
struct nh_fact_mx {
	char *name; /* owned, no final dot */
	unsigned preference;
	struct nh_fact_lookup a, aaaa;
	struct nh_fact_host_addr *addrs; /* owned; IPv6 first */
	size_t naddrs, mapped_ignored;
	struct nh_fact_dnssec dnssec;
	struct nh_fact_caa caa;
	char *ns_zone;                /* the zone whose NS set was found */
	struct nh_fact_mxns *nsaddrs; /* owned; capped at NH_FACTS_MAX_NS *
					 NH_FACTS_MAX_ADDRS */
	size_t nnsaddrs;
};

struct nh_facts {
	char *domain;           /* A-label, lower case, no final dot; owned */
	enum nh_test_type type; /* which test gathered them */

	/* Name servers: the NS set, climbed from the domain (Internet.nl). */
	char *ns_zone; /* where the NS set was found; owned */
	struct nh_fact_lookup ns_lookup;
	struct nh_fact_ns *ns; /* owned */
	size_t nns, ns_truncated;

	/* The web server (web test): the domain's own A and AAAA. */
	struct nh_fact_lookup a, aaaa;
	unsigned ports[3]; /* ports probed on each address: 80, 443 */
	size_t nports;
	struct nh_fact_host_addr *web; /* owned; IPv6 first */
	size_t nweb, web_mapped_ignored;

	struct nh_fact_dnssec dnssec; /* of the domain */
	struct nh_fact_caa caa;       /* of the domain (web test) */

	/* TLS on port 443 of every web address (web test). */
	struct nh_fact_tls *tls; /* owned */
	size_t ntls;

	/* HTTP on every web address (web test). */
	struct nh_fact_http *http; /* owned */
	size_t nhttp;

	/* Mail (mail test). */
	enum nh_mx_status mx_status;
	struct nh_fact_lookup mx_lookup;
	struct nh_fact_mx *mx; /* owned; sorted by name, as Internet.nl */
	size_t nmx, mx_truncated;
	/* STARTTLS on port 25 of every address of every MX: the SNI is the
	 * MX name (mail test). */
	struct nh_fact_tls *mxtls; /* owned */
	size_t nmxtls;
	bool spf_dash_all; /* SPF is exactly "v=spf1 -all" (null MX
				    advice) */
	struct nh_fact_mailauth auth;

	struct nh_fact_rpki rpki; /* every address of every server */
};

/*
 * New facts for `domain` (copied). Returns NULL on allocation failure.
 * Caller frees with nh_facts_free().
 */
struct nh_facts *nh_facts_new(const char *domain, enum nh_test_type type);

/* Frees facts and all they own. NULL is safe. */
void nh_facts_free(struct nh_facts *f);

/* Frees what a lookup, a DNSSEC record, a CAA set, an MX own. */
void nh_fact_lookup_clear(struct nh_fact_lookup *l);
void nh_fact_dnssec_clear(struct nh_fact_dnssec *d);
void nh_fact_caa_clear(struct nh_fact_caa *c);
void nh_fact_mx_clear(struct nh_fact_mx *m);

/* Names of enum values, as in the JSON form; never NULL. */
const char *nh_lookup_name(enum nh_lookup l);
const char *nh_sec_name(enum nh_sec s);
const char *nh_probe_name(enum nh_probe p);
const char *nh_mx_status_name(enum nh_mx_status s);

/*
 * The facts as JSON (a new reference; NULL on allocation failure), and
 * back. nh_facts_from_json() reads what nh_facts_to_json() writes; it
 * returns NULL with *why set on anything else (caller frees the result
 * with nh_facts_free()).
 */
json_t *nh_facts_to_json(const struct nh_facts *f);
struct nh_facts *nh_facts_from_json(const json_t *j, const char **why);

#endif /* NH_FACTS_H */
