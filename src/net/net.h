/*
 * net.h: network helpers shared by the probes: addresses in text and
 * socket form, and the TCP connect probe (is anything listening on this
 * address and port?) on the libevent loop.
 *
 * This is the face of src/net/. Callbacks run on the loop, never inside
 * the call that started the work.
 */
#ifndef NH_NET_H
#define NH_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct event_base;

/*
 * Fills *ss and *len from an IPv4 or IPv6 address in text and a port. Returns
 * 4 or 6 (the family), or 0 when `ip` is not an address.
 */
int nh_sockaddr_from_text(
    const char *ip, uint16_t port, struct sockaddr_storage *ss, socklen_t *len);

/*
 * The family (4 or 6) of an address in text, or 0. An IPv4-mapped IPv6
 * address (::ffff:192.0.2.1) counts as 4: it reaches an IPv4 host.
 */
int nh_ip_family(const char *ip);

/*
 * Whether an address is public: not private, loopback, link-local,
 * shared (CGN), documentation, benchmarking, multicast, reserved or
 * otherwise special-purpose (the IANA IPv4 and IPv6 special-purpose
 * registries; RFC 6890). An IPv4-mapped, NAT64 or 6to4 IPv6 address is
 * judged by the IPv4 address inside it. The port is ignored.
 */
bool nh_addr_is_public(const struct sockaddr *sa);

/* The same for an address in text; false when `ip` is not an address. */
bool nh_ip_is_public(const char *ip);

/*
 * The process-wide connection guard: once on, every connection a probe
 * opens (TCP, TLS, SMTP, HTTP) to an address that is not public fails at
 * once with "not a public address", so a server that tests names for
 * strangers cannot be turned against its own network (a name that
 * resolves to 10.0.0.1, or a redirect to http://127.0.0.1/). Off by
 * default (the lab and private networks need it off).
 */
void nh_net_set_public_only(bool on);

/* Whether the guard is on. */
bool nh_net_public_only(void);

/* The space that is not public, as CIDR text, NULL-ended (for a
 * resolver's do-not-query list). */
extern const char *const nh_net_special_cidrs[];

/* Whether the guard lets a connection to sa go. */
bool nh_net_may_connect(const struct sockaddr *sa);

#define NH_NET_NOT_PUBLIC "not a public address (refused by the server)"

struct nh_tcp_result {
	bool open;         /* the connection was accepted */
	const char *error; /* why not, valid during the callback */
	double ms;
};

typedef void (*nh_tcp_cb)(const struct nh_tcp_result *r, void *arg);

struct nh_tcp_probe;

/*
 * Connects to `sa` within `timeout` seconds, then closes. `cb` runs once,
 * on the loop. Returns a handle valid until the callback returns, or NULL
 * (no memory, no socket) with *err set.
 */
struct nh_tcp_probe *nh_tcp_connect_probe(struct event_base *base,
    const struct sockaddr *sa, socklen_t salen, double timeout, nh_tcp_cb cb,
    void *arg, const char **err);

/* Stops a probe; its callback will not run. NULL is safe. */
void nh_tcp_probe_cancel(struct nh_tcp_probe *p);

/*
 * Stream openers: how a probe gets a connected stream to where the TLS
 * ClientHello goes. Plain TCP connects; an opener of the mail layer speaks
 * SMTP up to STARTTLS first. `ready` is called once, on the loop, with a
 * connected non-blocking socket that the caller then owns, or -1 and a
 * reason (a static string or one valid during the call).
 */
typedef void (*nh_stream_ready_cb)(int fd, const char *error, void *arg);

struct nh_stream_opener {
	const char *name; /* "tcp", "smtp" */
	/* Starts opening; returns a handle for cancel, or NULL with *err. */
	void *(*open)(struct event_base *base, const struct sockaddr *sa,
	    socklen_t salen, double timeout, const void *ctx,
	    nh_stream_ready_cb ready, void *arg, const char **err);
	/* Stops an opening in progress; `ready` will not be called. */
	void (*cancel)(void *handle);
};

/* The plain TCP opener. */
extern const struct nh_stream_opener nh_tcp_opener;

/*
 * Politeness (limit.c): per target address, at most `max_conns` connections
 * at once and `rate` new connections per second (no one-second window
 * holds more than `rate` starts, rounded down). Every probe that
 * connects asks first and releases after; work on different addresses
 * does not wait for each other.
 */
struct nh_limiter;
struct nh_limit_wait;

/* A limiter on `base`; rate 0 or max_conns 0 means no such limit. Caller
 * frees with nh_limiter_free(); NULL on allocation failure. */
struct nh_limiter *nh_limiter_new(
    struct event_base *base, unsigned max_conns, double rate);

/* Frees a limiter; waiting callers are dropped. NULL is safe. */
void nh_limiter_free(struct nh_limiter *l);

/*
 * Asks for a connection to `key` (an address in text; copied). `go` runs
 * on the loop, never inside this call, once the connection may be opened;
 * the caller then owes one nh_limiter_release(). Returns a handle for
 * nh_limiter_cancel() until `go` runs, or NULL when out of memory.
 */
struct nh_limit_wait *nh_limiter_acquire(
    struct nh_limiter *l, const char *key, void (*go)(void *arg), void *arg);

/* Withdraws a request whose `go` has not run. */
void nh_limiter_cancel(struct nh_limit_wait *w);

/* Ends a connection that `go` allowed. */
void nh_limiter_release(struct nh_limiter *l, const char *key);

#endif /* NH_NET_H */
