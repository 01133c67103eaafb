/*
 * http.h: HTTP and HTTPS requests on the engine's libevent loop, through
 * libcurl's multi interface (its socket API: curl says which sockets to
 * watch and when it wants a timer; libevent watches them).
 *
 * This is the face of src/http/. One request gives one response: redirects
 * are not followed here, the caller follows them hop by hop and so sees
 * the whole chain. A request can be pinned to one address (every address
 * of a web server is tested), with the URL's name still sent as Host and
 * as SNI. Everything the server controls is capped: the number of header
 * lines and the length of each, the body kept, the time of the request.
 * Certificates are not verified: the TLS checks judge them; these requests
 * only read what the server says, unless the request asks to verify
 * (an MTA-STS policy is only valid from a host with a valid certificate).
 *
 * Politeness: each request waits for the limiter of its address (or host
 * name, when not pinned) like every other connection nethealth opens.
 *
 * The program must ignore SIGPIPE (as nethealth's main does).
 */
#ifndef NH_HTTP_H
#define NH_HTTP_H

#include <stdbool.h>
#include <stddef.h>

struct event_base;
struct nh_limiter;

#define NH_HTTP_MAX_HEADERS 100    /* header lines kept */
#define NH_HTTP_MAX_HEADER 8192    /* bytes of one header line */
#define NH_HTTP_MAX_BODY (1 << 20) /* the most a request may ask to keep */

struct nh_http_request {
	const char *url;     /* http:// or https:// */
	const char *pin_ip;  /* connect to this address; NULL: resolve */
	bool compression;    /* offer every encoding curl decodes, and decode */
	bool verify;         /* https: the certificate must verify for the
			       URL's host (curl's default TLS settings) */
	const char *ca_file; /* with verify: trust these CAs (PEM); NULL:
				the system store */
	size_t max_body;     /* body bytes kept, at most NH_HTTP_MAX_BODY; the
				transfer stops there */
	double timeout;      /* seconds for the whole request */
};

struct nh_http_header {
	char *name;  /* as received; owned */
	char *value; /* without surrounding white space; owned */
};

struct nh_http_response {
	int status;                     /* 0: no response; error says why */
	char *error;                    /* owned; NULL when a response came */
	struct nh_http_header *headers; /* in order received; owned */
	size_t nheaders;
	bool headers_cut;    /* more header lines, or longer ones, than kept */
	unsigned char *body; /* owned; NUL-terminated for convenience */
	size_t body_len;
	bool body_cut;        /* the body went on past max_body */
	char *location;       /* a redirect's target, resolved against the URL;
			   owned, or NULL */
	unsigned connections; /* new connections the request opened (0:
				 it reused one) */
	char ip[46];          /* the address the request went to, or "" */
	double ms;
};

/* The value of the first header `name` (any case), or NULL. */
const char *nh_http_header(const struct nh_http_response *r, const char *name);

/* Every value of header `name`, in order, into out (at most cap); returns
 * how many there are. */
size_t nh_http_headers(const struct nh_http_response *r, const char *name,
    const char **out, size_t cap);

void nh_http_response_free(struct nh_http_response *r);

/*
 * The scheme ("http", "https", ...) and host name of an absolute URL, in
 * lower case, the host without brackets or a final dot. Returns 0, or -1
 * when url is not an absolute URL with a host (or a part does not fit).
 */
int nh_http_url_split(const char *url, char *scheme, size_t scheme_size,
    char *host, size_t host_size);

struct nh_http;
struct nh_http_get;

/* Called once per request, with a response the callee owns (free it with
 * nh_http_response_free()); NULL when memory ran out. */
typedef void (*nh_http_cb)(struct nh_http_response *r, void *arg);

/* A client on `base`, waiting for `limiter` (may be NULL). NULL with *err
 * when libcurl cannot start. Free with nh_http_free(). */
struct nh_http *nh_http_new(
    struct event_base *base, struct nh_limiter *limiter, const char **err);

/* Frees the client; requests in flight are dropped without callbacks.
 * Not from inside a callback of this client. */
void nh_http_free(struct nh_http *h);

/*
 * Starts a GET. The callback runs on the loop, never inside this call.
 * Returns a handle for nh_http_cancel() until then, or NULL (out of
 * memory, or a URL curl refuses) with *err.
 */
struct nh_http_get *nh_http_get(struct nh_http *h,
    const struct nh_http_request *req, nh_http_cb cb, void *arg,
    const char **err);

/* Stops a request; its callback will not run. NULL is safe. */
void nh_http_cancel(struct nh_http_get *g);

#endif /* NH_HTTP_H */
