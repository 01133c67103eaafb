/*
 * handshake.c: full handshakes through OpenSSL, for what needs a complete
 * handshake: the certificate chain (facts, PKIX verification, host name),
 * OCSP stapling, DANE (RFC 7671, OpenSSL's SSL_dane_* with the TLSA
 * records the DNS layer found, only when DNSSEC-secure), client-initiated
 * renegotiation (a TLS 1.2 connection), and 0-RTT (TLS 1.3 early data on a
 * resumed session). Connections run one after the other as phases, each
 * a non-blocking state machine on the loop with its own timeout, each
 * waiting for the politeness limiter.
 *
 * OpenSSL is set to accept anything (security level 0, every version it
 * has, every suite): the handshake is there to observe, and the checks
 * judge what it saw.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net/net.h"
#include "tls_impl.h"

struct nh_tls_ctx {
	SSL_CTX *ssl;
	X509_STORE *store; /* PKIX trust: the CA file or system store */
};

static int on_ticket(SSL *ssl, SSL_SESSION *sess);

struct nh_tls_ctx *
nh_tls_ctx_new(const char *ca_file, const char **err)
{
	struct nh_tls_ctx *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		*err = "out of memory";
		return NULL;
	}
	if ((c->ssl = SSL_CTX_new(TLS_client_method())) == NULL ||
	    (c->store = X509_STORE_new()) == NULL) {
		*err = "cannot create an OpenSSL context";
		goto fail;
	}
	SSL_CTX_set_security_level(c->ssl, 0);
	SSL_CTX_set_min_proto_version(c->ssl, 0);
	SSL_CTX_set_max_proto_version(c->ssl, 0);
	SSL_CTX_set_options(c->ssl, SSL_OP_LEGACY_SERVER_CONNECT);
	SSL_CTX_set_cipher_list(c->ssl, "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
	SSL_CTX_set_verify(c->ssl, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_session_cache_mode(
	    c->ssl, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
	SSL_CTX_sess_set_new_cb(c->ssl, on_ticket);
	if (SSL_CTX_dane_enable(c->ssl) <= 0) {
		*err = "OpenSSL without DANE support";
		goto fail;
	}
	if (ca_file != NULL ? X509_STORE_load_file(c->store, ca_file) != 1
			    : X509_STORE_set_default_paths(c->store) != 1) {
		*err = ca_file != NULL
		    ? "cannot read the CA file"
		    : "cannot load the system's CA certificates";
		goto fail;
	}
	return c;
fail:
	nh_tls_ctx_free(c);
	return NULL;
}

X509_STORE *
nh_tls_ctx_store(const struct nh_tls_ctx *c)
{
	return c->store;
}

void
nh_tls_ctx_free(struct nh_tls_ctx *c)
{
	if (c == NULL)
		return;
	SSL_CTX_free(c->ssl);
	X509_STORE_free(c->store);
	free(c);
}

enum phase {
	PH_MAIN,  /* the chain, OCSP, DANE, a ticket */
	PH_RENEG, /* a TLS 1.2 handshake, then a renegotiation */
	PH_EARLY, /* resumption with early data */
	PH_DONE,
};

enum step {
	ST_HANDSHAKE,
	ST_TICKET, /* waiting a moment for TLS 1.3 session tickets */
	ST_RENEG,
	ST_EARLY,
	ST_EARLY_WAIT, /* early data sent: as a replay, no Finished yet */
	ST_RESPONSE,   /* reading the status line of the early request */
};

struct nh_tls_hs {
	struct event_base *base;
	struct nh_tls_ctx *ctx;
	struct sockaddr_storage sa;
	unsigned salen;
	char *sni;
	const struct nh_stream_opener *opener;
	const void *opener_ctx;
	struct nh_limiter *lim;
	double timeout;
	bool try_reneg, try_early;
	struct nh_fact_tls *out;
	nh_tls_hs_cb cb;
	void *arg;

	enum phase phase;
	enum step step;
	struct nh_limit_wait *wait;
	void *opening;
	int fd;
	SSL *ssl;
	struct event *ev, *timer, *kick, *pause;
	SSL_SESSION *session;
	bool reneg_started;
	bool dane_on; /* DANE is enabled on the main handshake */
	size_t early_written;
	char status[16]; /* the start of the answer to the early request */
	size_t status_len;
};

static void next_phase(struct nh_tls_hs *h);

/*
 * OpenSSL hands over each session ticket as it arrives: the main phase
 * keeps the first TLS 1.3 one (to resume with early data) and stops
 * waiting for more.
 */
static int
on_ticket(SSL *ssl, SSL_SESSION *sess)
{
	struct nh_tls_hs *h = SSL_get_app_data(ssl);

	if (h == NULL || h->phase != PH_MAIN || h->session != NULL ||
	    SSL_SESSION_get_protocol_version(sess) != TLS1_3_VERSION ||
	    !SSL_SESSION_is_resumable(sess))
		return 0;
	h->session = sess;
	return 1; /* ours now */
}

/* Ends the current connection (socket, SSL, events, limiter slot). */
static void
close_conn(struct nh_tls_hs *h)
{
	if (h->wait != NULL) {
		nh_limiter_cancel(h->wait);
		h->wait = NULL;
	}
	if (h->opening != NULL) {
		h->opener->cancel(h->opening);
		h->opening = NULL;
		if (h->lim != NULL)
			nh_limiter_release(h->lim, h->out->ip);
	}
	if (h->ev != NULL) {
		event_free(h->ev);
		h->ev = NULL;
	}
	if (h->ssl != NULL) {
		/* A close_notify, best effort: OpenSSL also drops the
		 * session of a connection freed without one, which would
		 * leave no ticket to resume for 0-RTT. */
		if (SSL_is_init_finished(h->ssl))
			SSL_shutdown(h->ssl);
		SSL_free(h->ssl);
		h->ssl = NULL;
	}
	if (h->fd >= 0) {
		close(h->fd);
		h->fd = -1;
		if (h->lim != NULL)
			nh_limiter_release(h->lim, h->out->ip);
	}
	if (h->timer != NULL)
		evtimer_del(h->timer);
	if (h->pause != NULL)
		evtimer_del(h->pause);
}

void
nh_tls_hs_cancel(struct nh_tls_hs *h)
{
	if (h == NULL)
		return;
	close_conn(h);
	if (h->timer != NULL)
		event_free(h->timer);
	if (h->kick != NULL)
		event_free(h->kick);
	if (h->pause != NULL)
		event_free(h->pause);
	SSL_SESSION_free(h->session);
	free(h->sni);
	free(h);
}

static const char *
ssl_error(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e != 0 ? ERR_reason_error_string(e) : NULL;

	ERR_clear_error();
	return r != NULL ? r : "the connection failed";
}

/* Reads the chain, OCSP and DANE of a completed main handshake. */
static void
observe(struct nh_tls_hs *h)
{
	struct nh_fact_tls *t = h->out;
	STACK_OF(X509) *sent = SSL_get_peer_cert_chain(h->ssl);
	const unsigned char *ocsp = NULL;
	long ocsp_len;

	t->handshake = NH_PROBE_OK;
	if (sent != NULL)
		nh_tls_chain_facts(h->ctx->store, sent, h->sni, t);
	ocsp_len = SSL_get_tlsext_status_ocsp_resp(h->ssl, &ocsp);
	if (sent != NULL)
		nh_tls_check_ocsp(ocsp, ocsp_len, sent, h->ctx->store, t);
	if (h->dane_on && t->dane == NH_PROBE_NOT_DONE) {
		t->dane = SSL_get0_dane_authority(h->ssl, NULL, NULL) >= 0
		    ? NH_PROBE_OK
		    : NH_PROBE_FAILED;
		if (t->dane == NH_PROBE_FAILED)
			t->dane_error = strdup("no TLSA record matches the "
					       "certificate chain");
	}
}

/* Finishes the current phase: records, closes, goes on. */
static void
phase_end(struct nh_tls_hs *h, bool ok, const char *why)
{
	struct nh_fact_tls *t = h->out;

	switch (h->phase) {
	case PH_MAIN:
		if (!ok) {
			t->handshake = NH_PROBE_FAILED;
			t->handshake_error = strdup(why ? why : "failed");
		}
		if (h->ssl != NULL && ok && h->session == NULL) {
			SSL_SESSION *s = SSL_get1_session(h->ssl);

			if (s != NULL && SSL_SESSION_is_resumable(s) &&
			    SSL_SESSION_get_protocol_version(s) ==
				TLS1_3_VERSION)
				h->session = s;
			else
				SSL_SESSION_free(s);
		}
		break;
	case PH_RENEG:
		if (h->reneg_started)
			t->client_reneg = ok ? NH_PROBE_OK : NH_PROBE_FAILED;
		break;
	case PH_EARLY:
		/* Accepted, unless the server answers 425 Too Early (RFC
		 * 8470): then it does not act on the replayable request. */
		h->status[h->status_len] = '\0';
		t->zero_rtt = h->ssl != NULL &&
			SSL_get_early_data_status(h->ssl) ==
			    SSL_EARLY_DATA_ACCEPTED &&
			!(strncmp(h->status, "HTTP/1.", 7) == 0 &&
			    strncmp(h->status + 8, " 425", 4) == 0)
		    ? NH_PROBE_OK
		    : NH_PROBE_FAILED;
		break;
	case PH_DONE:
		break;
	}
	close_conn(h);
	h->phase++;
	next_phase(h);
}

static void drive(struct nh_tls_hs *h);

static void
on_io(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	drive(arg);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct nh_tls_hs *h = arg;

	(void)fd;
	(void)what;
	/* Waiting for tickets ends in time, not in failure. */
	phase_end(h, h->step == ST_TICKET, "no answer in time");
}

/* Waits for the socket to be readable or writable, as OpenSSL asks. */
static void
wait_io(struct nh_tls_hs *h, int ssl_err)
{
	short what = ssl_err == SSL_ERROR_WANT_WRITE ? EV_WRITE : EV_READ;

	if (h->ev != NULL)
		event_free(h->ev);
	h->ev = event_new(h->base, h->fd, what, on_io, h);
	if (h->ev == NULL || event_add(h->ev, NULL) == -1)
		phase_end(h, false, "out of memory");
}

static void
drive(struct nh_tls_hs *h)
{
	static const char get_fmt[] = "GET / HTTP/1.1\r\nHost: %s\r\n"
				      "Connection: close\r\n\r\n";
	char req[320];
	unsigned char buf[4096];
	size_t w;
	int r = -1, e;

	for (;;) {
		switch (h->step) {
		case ST_HANDSHAKE:
			r = SSL_do_handshake(h->ssl);
			break;
		case ST_TICKET:
			r = SSL_read(h->ssl, buf, sizeof(buf));
			if (h->session != NULL) {
				phase_end(h, true, NULL);
				return;
			}
			if (r > 0)
				continue; /* data: keep reading */
			break;
		case ST_EARLY_WAIT:
			return; /* on_pause goes on */
		case ST_RESPONSE:
			r = SSL_read(h->ssl, h->status + h->status_len,
			    sizeof(h->status) - 1 - h->status_len);
			if (r > 0) {
				h->status_len += (size_t)r;
				if (h->status_len < 12)
					continue;
			}
			if (r > 0 ||
			    SSL_get_error(h->ssl, r) != SSL_ERROR_WANT_READ) {
				phase_end(h, true, NULL);
				return;
			}
			break;
		case ST_RENEG:
			if (!h->reneg_started) {
				h->reneg_started = true;
				if (SSL_renegotiate(h->ssl) != 1) {
					phase_end(h, false, ssl_error());
					return;
				}
			}
			r = SSL_do_handshake(h->ssl);
			break;
		case ST_EARLY:
			snprintf(
			    req, sizeof(req), get_fmt, h->sni ? h->sni : "");
			r = SSL_write_early_data(h->ssl, req + h->early_written,
			    strlen(req) - h->early_written, &w);
			if (r == 1) {
				struct timeval tv = { 0, 200000 };

				h->early_written += w;
				if (h->early_written < strlen(req))
					continue;
				/*
				 * A replay of this ClientHello never sends
				 * Finished: what the server does with the
				 * request before it is what a replay gets.
				 * So pause before completing the handshake,
				 * and let a server that acts on early data
				 * answer it first (425 or not).
				 */
				h->step = ST_EARLY_WAIT;
				evtimer_add(h->pause, &tv);
				return;
			}
			break;
		}
		if (r == 1 && h->step == ST_HANDSHAKE) {
			if (h->phase == PH_MAIN) {
				observe(h);
				/* TLS 1.3 tickets come after the handshake. */
				if (h->try_early &&
				    SSL_version(h->ssl) == TLS1_3_VERSION) {
					struct timeval tv = { 0, 300000 };

					h->step = ST_TICKET;
					evtimer_add(h->timer, &tv);
					continue;
				}
				phase_end(h, true, NULL);
				return;
			}
			if (h->phase == PH_RENEG && !h->reneg_started) {
				h->step = ST_RENEG;
				continue;
			}
			if (h->phase == PH_EARLY) {
				h->step = ST_RESPONSE;
				continue;
			}
			phase_end(h, true, NULL);
			return;
		}
		if (r == 1 && h->step == ST_RENEG) {
			/* The renegotiation handshake completed. */
			phase_end(
			    h, SSL_renegotiate_pending(h->ssl) == 0, NULL);
			return;
		}
		e = SSL_get_error(h->ssl, r);
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
			wait_io(h, e);
			return;
		}
		phase_end(h, h->step == ST_TICKET, ssl_error());
		return;
	}
}

/* Sets up the SSL object of the phase on the opened socket. */
static int
setup_ssl(struct nh_tls_hs *h)
{
	struct nh_fact_tls *t = h->out;

	if ((h->ssl = SSL_new(h->ctx->ssl)) == NULL ||
	    SSL_set_fd(h->ssl, h->fd) != 1)
		return -1;
	SSL_set_connect_state(h->ssl);
	SSL_set_app_data(h->ssl, h);
	if (h->sni != NULL)
		SSL_set_tlsext_host_name(h->ssl, h->sni);
	switch (h->phase) {
	case PH_MAIN:
		SSL_set_tlsext_status_type(h->ssl, TLSEXT_STATUSTYPE_ocsp);
		if (t->ntlsa > 0 && t->tlsa_lookup.sec == NH_SEC_SECURE &&
		    SSL_dane_enable(h->ssl, h->sni) > 0) {
			size_t usable = 0;

			for (size_t i = 0; i < t->ntlsa; i++) {
				unsigned char data[128];
				long len;
				unsigned char *bin =
				    OPENSSL_hexstr2buf(t->tlsa[i].data, &len);

				if (bin == NULL)
					continue;
				if (len > 0 && (size_t)len <= sizeof(data) &&
				    SSL_dane_tlsa_add(h->ssl,
					(uint8_t)t->tlsa[i].usage,
					(uint8_t)t->tlsa[i].selector,
					(uint8_t)t->tlsa[i].mtype, bin,
					(size_t)len) > 0)
					usable++;
				OPENSSL_free(bin);
			}
			h->dane_on = usable > 0;
			if (usable == 0 && t->dane == NH_PROBE_NOT_DONE) {
				t->dane = NH_PROBE_FAILED;
				t->dane_error = strdup("no usable TLSA record");
			}
		}
		break;
	case PH_RENEG:
		SSL_set_max_proto_version(h->ssl, TLS1_2_VERSION);
		break;
	case PH_EARLY:
		if (SSL_set_session(h->ssl, h->session) != 1)
			return -1;
		break;
	case PH_DONE:
		break;
	}
	return 0;
}

static void
on_open(int fd, const char *error, void *arg)
{
	struct nh_tls_hs *h = arg;
	struct timeval tv;

	h->opening = NULL;
	if (fd < 0) {
		if (h->lim != NULL)
			nh_limiter_release(h->lim, h->out->ip);
		phase_end(h, false, error);
		return;
	}
	h->fd = fd;
	h->out->connections++;
	h->out->sequential++; /* the phases follow the scan, one by one */
	if (setup_ssl(h) == -1) {
		phase_end(h, false, "cannot set up OpenSSL");
		return;
	}
	h->step = h->phase == PH_EARLY ? ST_EARLY : ST_HANDSHAKE;
	h->reneg_started = false;
	h->early_written = 0;
	h->status_len = 0;
	tv.tv_sec = (time_t)h->timeout;
	tv.tv_usec = (suseconds_t)((h->timeout - (double)tv.tv_sec) * 1e6);
	evtimer_add(h->timer, &tv);
	drive(h);
}

static void
go(void *arg)
{
	struct nh_tls_hs *h = arg;
	const char *err;

	h->wait = NULL;
	h->opening = h->opener->open(h->base, (struct sockaddr *)&h->sa,
	    h->salen, h->timeout, h->opener_ctx, on_open, h, &err);
	if (h->opening == NULL) {
		if (h->lim != NULL)
			nh_limiter_release(h->lim, h->out->ip);
		phase_end(h, false, err);
	}
}

/* Whether the raw scan found TLS 1.2 or older accepted. */
static bool
has_tls12_or_older(const struct nh_fact_tls *t)
{
	for (size_t i = 0; i < NH_TLS_NVERSIONS; i++) {
		if (t->versions[i].version <= NH_TLS12 &&
		    t->versions[i].probed == NH_PROBE_OK)
			return true;
	}
	return false;
}

static void next_phase(struct nh_tls_hs *h);

static void
on_kick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	next_phase(arg);
}

/* The pause after early data is over: complete the handshake. */
static void
on_pause(evutil_socket_t fd, short what, void *arg)
{
	struct nh_tls_hs *h = arg;

	(void)fd;
	(void)what;
	h->step = ST_HANDSHAKE;
	drive(h);
}

static void
next_phase(struct nh_tls_hs *h)
{
	for (;;) {
		switch (h->phase) {
		case PH_MAIN:
			break;
		case PH_RENEG:
			if (!h->try_reneg || !has_tls12_or_older(h->out)) {
				h->phase++;
				continue;
			}
			break;
		case PH_EARLY:
			if (!h->try_early || h->session == NULL ||
			    SSL_SESSION_get_max_early_data(h->session) == 0) {
				/* A session without early data: refused. */
				if (h->try_early && h->session != NULL)
					h->out->zero_rtt = NH_PROBE_FAILED;
				h->phase++;
				continue;
			}
			break;
		case PH_DONE:
			h->cb(h->out, h->arg);
			nh_tls_hs_cancel(h);
			return;
		}
		break;
	}
	if (h->lim != NULL) {
		if ((h->wait = nh_limiter_acquire(h->lim, h->out->ip, go, h)) ==
		    NULL)
			phase_end(h, false, "out of memory");
		return;
	}
	go(h);
}

struct nh_tls_hs *
nh_tls_hs_start(struct event_base *base, struct nh_tls_ctx *ctx,
    const struct nh_tls_hs_cfg *cfg, struct nh_fact_tls *out, nh_tls_hs_cb cb,
    void *arg, const char **err)
{
	static const struct timeval zero = { 0, 0 };
	struct nh_tls_hs *h;

	if (cfg->salen > sizeof(h->sa)) {
		*err = "bad address";
		return NULL;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL ||
	    (cfg->sni != NULL && (h->sni = strdup(cfg->sni)) == NULL) ||
	    (h->timer = evtimer_new(base, on_timer, h)) == NULL ||
	    (h->kick = evtimer_new(base, on_kick, h)) == NULL ||
	    (h->pause = evtimer_new(base, on_pause, h)) == NULL) {
		if (h != NULL) {
			if (h->timer != NULL)
				event_free(h->timer);
			if (h->kick != NULL)
				event_free(h->kick);
			free(h->sni);
		}
		free(h);
		*err = "out of memory";
		return NULL;
	}
	h->fd = -1;
	h->base = base;
	h->ctx = ctx;
	memcpy(&h->sa, cfg->sa, cfg->salen);
	h->salen = cfg->salen;
	h->opener = cfg->opener != NULL ? cfg->opener : &nh_tcp_opener;
	h->opener_ctx = cfg->opener_ctx;
	h->lim = cfg->limiter;
	h->timeout = cfg->timeout > 0 ? cfg->timeout : 10;
	h->try_reneg = cfg->renegotiation;
	h->try_early = cfg->zero_rtt;
	h->out = out;
	h->cb = cb;
	h->arg = arg;
	h->phase = PH_MAIN;
	/* The first phase starts on the loop: no callback inside this call. */
	if (evtimer_add(h->kick, &zero) == -1) {
		nh_tls_hs_cancel(h);
		*err = "out of memory";
		return NULL;
	}
	return h;
}
