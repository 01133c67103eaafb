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

struct nh_tcp_result {
	bool open; /* the connection was accepted */
	int error; /* errno when not open (ETIMEDOUT on timeout) */
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

#endif /* NH_NET_H */
