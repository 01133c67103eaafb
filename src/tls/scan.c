/*
 * scan.c: the TLS assessment of one endpoint with raw ClientHellos, with as
 * few connections as the questions allow:
 *
 *   - per protocol version, iterative removal: offer every suite the
 *     version can use, record the one the server picks, offer the rest,
 *     until it refuses; the first answer also says whether the version is
 *     accepted at all. With server preference, the order found is the
 *     server's order;
 *   - cipher order: one more connection offering the suites found in
 *     reverse: a server with its own order still picks its first (only
 *     where the order check needs it: suites to phase out next to better
 *     ones);
 *   - key exchange groups: the same removal over the groups, in TLS 1.2
 *     (the curve of the ServerKeyExchange) and TLS 1.3 (the group of the
 *     HelloRetryRequest, offering no key share);
 *   - key-exchange hash: TLS 1.2 offering only SHA-1 and SHA-224
 *     signature schemes (then SHA-1 alone if it picked SHA-224): does the
 *     server sign with them?
 *   - compression, secure renegotiation and extended master secret are
 *     read from the answers to the version probes, which offer them.
 *
 * Versions are probed in parallel; every connection waits for the
 * politeness limiter of its address.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <time.h>

#include <event2/event.h>

#include "net/net.h"
#include "tls_impl.h"

enum kind {
	P_VERSION,
	P_ORDER,
	P_GROUP12,
	P_GROUP13,
	P_KEX_WEAK, /* SHA-1 and SHA-224 signature schemes only */
	P_KEX_SHA1, /* SHA-1 only, after SHA-224 was used */
};

struct probe {
	struct nh_tls_scan *s;
	enum kind kind;
	size_t vi;      /* version index */
	unsigned depth; /* connections before it in its chain, plus one */
	uint16_t offered[NH_FACTS_MAX_SUITES * 3];
	size_t noffered;
	bool with_found; /* P_GROUP12: found groups offered last */
	bool hinted;     /* P_GROUP12: the certificate's curve offered last */
	struct nh_limit_wait *wait;
	struct nh_tls_conn *conn;
	LIST_ENTRY(probe) link;
};

struct nh_tls_scan {
	struct event_base *base;
	struct sockaddr_storage sa;
	unsigned salen;
	char *sni;
	const struct nh_stream_opener *opener;
	const void *opener_ctx;
	struct nh_limiter *lim;
	double timeout;
	struct nh_fact_tls *out;
	LIST_HEAD(, probe) probes;
	unsigned pending;
	unsigned depth;          /* the depth of probes started now */
	bool took_extras;        /* extensions read from TLS 1.2 */
	bool took_certs;         /* chain facts read from a probe */
	bool given_up;           /* a probe timed out before any answer */
	struct nh_tls_der *keep; /* certificates kept, not judged */
	const struct nh_tls_ctx *ctx;
	nh_tls_scan_cb cb;
	void *arg;
	struct timespec start;
};

static const unsigned versions[NH_TLS_NVERSIONS] = { NH_SSL2, NH_SSL3, NH_TLS10,
	NH_TLS11, NH_TLS12, NH_TLS13 };

#define VI_TLS12 4
#define VI_TLS13 5

/* Signature algorithms offered normally, and for the hash probes. */
static const uint16_t sigalgs_all[] = { 0x0403, 0x0503, 0x0603, 0x0807, 0x0808,
	0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601,
	0x0303, 0x0301, 0x0302, 0x0203, 0x0201, 0x0202 };
static const uint16_t sigalgs_weak[] = { 0x0203, 0x0201, 0x0202, 0x0303, 0x0301,
	0x0302 };

static const uint16_t x25519_share[] = { 29 };

static void probe_start(struct nh_tls_scan *s, struct probe *p);

static bool
suite_usable(const struct nh_tls_suite *su, unsigned version)
{
	if (version == NH_TLS13)
		return su->min_version == NH_TLS13;
	return su->min_version != NH_TLS13 && su->min_version <= version;
}

static bool
contains(const unsigned *list, size_t n, unsigned v)
{
	for (size_t i = 0; i < n; i++) {
		if (list[i] == v)
			return true;
	}
	return false;
}

static bool
offered(const struct probe *p, unsigned v)
{
	for (size_t i = 0; i < p->noffered; i++) {
		if (p->offered[i] == v)
			return true;
	}
	return false;
}

static struct probe *
probe_new(struct nh_tls_scan *s, enum kind kind, size_t vi)
{
	struct probe *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->s = s;
	p->kind = kind;
	p->vi = vi;
	p->depth = s->depth;
	return p;
}

/* Whether a suite of the version chain has a signed key exchange. */
static bool
signed_kx(const struct nh_tls_suite *su)
{
	return su != NULL && strcmp(su->au, "None") != 0 &&
	    (strncmp(su->kx, "ECDH", 4) == 0 || strncmp(su->kx, "DH", 2) == 0);
}

static bool
ecdhe(const struct nh_tls_suite *su)
{
	return su != NULL && strncmp(su->kx, "ECDH", 4) == 0;
}

/*
 * The TLS 1.2 group of the certificate's curve, when it bounds the group
 * search: the leaf (read from a probe) is ECDSA on a curve found already,
 * and every ECDHE suite accepted in TLS 1.2 is ECDSA. Else 0.
 */
static unsigned
cert_curve(const struct nh_tls_scan *s)
{
	const struct nh_fact_tls *t = s->out;
	const struct nh_fact_tls_version *v = &t->versions[VI_TLS12];
	const struct nh_fact_cert *leaf = &t->chain[0];

	if (!s->took_certs || t->nchain == 0 || leaf->key_type == NULL ||
	    strcmp(leaf->key_type, "ec") != 0 || leaf->curve == NULL)
		return 0;
	for (size_t i = 0; i < v->nsuites; i++) {
		const struct nh_tls_suite *su =
		    nh_tls_suite_by_id(v->suites[i]);

		if (ecdhe(su) && strcmp(su->au, "ECDSA") != 0)
			return 0;
	}
	for (size_t i = 0; i < t->ngroups12; i++) {
		const struct nh_tls_group *g =
		    nh_tls_group_by_id(t->groups12[i]);

		if (g != NULL && strcmp(g->name, leaf->curve) == 0)
			return g->id;
	}
	return 0;
}

/* Fills p->offered for its kind; returns false when nothing is left. */
static bool
plan(struct nh_tls_scan *s, struct probe *p)
{
	struct nh_fact_tls_version *v = &s->out->versions[p->vi];
	unsigned version = versions[p->vi];

	p->noffered = 0;
	switch (p->kind) {
	case P_VERSION:
		/* SSLv2: one hello offering every CIPHER-SPEC; the answer
		 * lists all the server shares. */
		if (version == NH_SSL2)
			return v->nsuites == 0;
		for (size_t i = 0; i < nh_tls_nsuites; i++) {
			const struct nh_tls_suite *su = &nh_tls_suites[i];

			if (suite_usable(su, version) &&
			    !contains(v->suites, v->nsuites, su->id) &&
			    p->noffered < sizeof(p->offered) / 2)
				p->offered[p->noffered++] = su->id;
		}
		break;
	case P_ORDER:
		for (size_t i = v->nsuites; i > 0; i--)
			p->offered[p->noffered++] = (uint16_t)v->suites[i - 1];
		break;
	case P_GROUP12:
		for (size_t i = 0; i < nh_tls_ngroups; i++) {
			const struct nh_tls_group *g = &nh_tls_groups[i];

			if (!g->ffdhe && g->id < 0x100 &&
			    !contains(
				s->out->groups12, s->out->ngroups12, g->id))
				p->offered[p->noffered++] = g->id;
		}
		if (p->noffered == 0)
			return false;
		/*
		 * In TLS 1.2 the groups also say which curves the client can
		 * verify (RFC 8422 §5.1.1): an ECDSA server needs its
		 * certificate's curve offered. After a refusal, the groups
		 * found are offered again, last. A curve the server ranks
		 * below its certificate's is then not found: no client could
		 * negotiate it with this server, so it does not matter.
		 */
		for (size_t i = 0; p->with_found && i < s->out->ngroups12; i++)
			p->offered[p->noffered++] =
			    (uint16_t)s->out->groups12[i];
		/*
		 * When every ECDHE suite is ECDSA and the certificate's curve
		 * is known (a probe's Certificate) and found, it alone is
		 * offered last from the start: an answer with it ends the
		 * search at once, without a refusal and a retry.
		 */
		if (!p->with_found && (p->hinted = cert_curve(s) != 0))
			p->offered[p->noffered++] = (uint16_t)cert_curve(s);
		return true;
	case P_GROUP13:
		for (size_t i = 0; i < nh_tls_ngroups; i++) {
			const struct nh_tls_group *g = &nh_tls_groups[i];

			if (!contains(
				s->out->groups13, s->out->ngroups13, g->id))
				p->offered[p->noffered++] = g->id;
		}
		break;
	case P_KEX_WEAK:
	case P_KEX_SHA1:
		return true;
	}
	return p->noffered > 0;
}

/* The suites of the TLS 1.2 chain that `pick` selects. */
static size_t
suites12(const struct nh_tls_scan *s, bool (*pick)(const struct nh_tls_suite *),
    uint16_t *out, size_t cap)
{
	const struct nh_fact_tls_version *v = &s->out->versions[VI_TLS12];
	size_t n = 0;

	for (size_t i = 0; i < v->nsuites && n < cap; i++) {
		if (pick(nh_tls_suite_by_id(v->suites[i])))
			out[n++] = (uint16_t)v->suites[i];
	}
	return n;
}

/* Builds the probe's ClientHello. Returns its length, 0 on failure. */
static size_t
build(struct nh_tls_scan *s, struct probe *p, uint8_t *out, size_t cap)
{
	static uint16_t all_groups[64];
	static size_t nall;
	uint16_t suites[NH_FACTS_MAX_SUITES];
	struct nh_tls_hello h = {
		.version = versions[p->vi],
		.sni = s->sni,
		.sigalgs = sigalgs_all,
		.nsigalgs = sizeof(sigalgs_all) / sizeof(sigalgs_all[0]),
		.ems = true,
		.reneg_info = true,
		.compression = true,
	};

	if (h.version == NH_SSL2)
		return nh_tls_ssl2_hello_write(out, cap);
	if (nall == 0) {
		for (size_t i = 0; i < nh_tls_ngroups && nall < 64; i++)
			all_groups[nall++] = nh_tls_groups[i].id;
	}
	h.groups = all_groups;
	h.ngroups = nall;
	if (h.version == NH_TLS13) {
		h.key_shares = x25519_share;
		h.nkey_shares = 1;
	}
	switch (p->kind) {
	case P_VERSION:
	case P_ORDER:
		h.suites = p->offered;
		h.nsuites = p->noffered;
		/* Elliptic-curve groups only below TLS 1.3 (RFC 8422). */
		if (h.version < NH_TLS13)
			h.ngroups = 33 < nall ? 33 : nall;
		break;
	case P_GROUP12:
		h.nsuites = suites12(s, ecdhe, suites, NH_FACTS_MAX_SUITES);
		h.suites = suites;
		h.groups = p->offered;
		h.ngroups = p->noffered;
		break;
	case P_GROUP13:
		for (size_t i = 0; i < s->out->versions[VI_TLS13].nsuites; i++)
			suites[h.nsuites++] =
			    (uint16_t)s->out->versions[VI_TLS13].suites[i];
		h.suites = suites;
		h.groups = p->offered;
		h.ngroups = p->noffered;
		h.nkey_shares = 0; /* the server must name its choice */
		break;
	case P_KEX_SHA1:
	case P_KEX_WEAK:
		h.nsuites = suites12(s, signed_kx, suites, NH_FACTS_MAX_SUITES);
		h.suites = suites;
		h.sigalgs = sigalgs_weak;
		h.nsigalgs = p->kind == P_KEX_SHA1 ? 3 : 6;
		h.ngroups = 33 < nall ? 33 : nall;
		break;
	}
	if (h.version == NH_SSL3)
		h.no_extensions = true;
	return nh_tls_hello_write(&h, out, cap);
}

static void
finish_scan(struct nh_tls_scan *s)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	s->out->ms = (double)(now.tv_sec - s->start.tv_sec) * 1e3 +
	    (double)(now.tv_nsec - s->start.tv_nsec) / 1e6;
	if (s->out->reachable != NH_PROBE_OK) {
		s->out->reachable = NH_PROBE_FAILED;
		if (s->out->error == NULL)
			s->out->error = strdup("no TLS answer");
	}
	s->cb(s->out, s->arg);
	nh_tls_scan_cancel(s);
}

/* Stops a probe: its wait or its connection, its limiter slot; frees it. */
static void
probe_drop(struct nh_tls_scan *s, struct probe *p)
{
	LIST_REMOVE(p, link);
	if (p->wait != NULL)
		nh_limiter_cancel(p->wait);
	if (p->conn != NULL) {
		nh_tls_conn_cancel(p->conn);
		if (s->lim != NULL)
			nh_limiter_release(s->lim, s->out->ip);
	}
	free(p);
}

/* Stops every probe of the scan but `keep` (the one answering now). */
static void
give_up(struct nh_tls_scan *s, struct probe *keep)
{
	struct probe *p, *next;

	s->given_up = true;
	for (p = LIST_FIRST(&s->probes); p != NULL; p = next) {
		next = LIST_NEXT(p, link);
		if (p == keep)
			continue;
		if (p->kind == P_VERSION) {
			struct nh_fact_tls_version *v =
			    &s->out->versions[p->vi];

			v->probed = NH_PROBE_FAILED;
			if (v->error == NULL)
				v->error = strdup("not asked: no probe was "
						  "answered in time");
		}
		probe_drop(s, p);
		s->pending--;
	}
}

static void
probe_done(struct probe *p)
{
	struct nh_tls_scan *s = p->s;

	LIST_REMOVE(p, link);
	free(p);
	if (--s->pending == 0)
		finish_scan(s);
}

/* Starts the next step of a chain, or more work when a chain ends. */
static void
follow_up(struct nh_tls_scan *s, enum kind kind, size_t vi)
{
	struct probe *p;

	if (s->given_up || (p = probe_new(s, kind, vi)) == NULL)
		return;
	if (!plan(s, p)) {
		free(p);
		return;
	}
	probe_start(s, p);
}

/* The next TLS 1.2 group probe, offering the groups found or not. */
static void
follow_group12(struct nh_tls_scan *s, size_t vi, bool with_found)
{
	struct probe *p;

	if (s->given_up || (p = probe_new(s, P_GROUP12, vi)) == NULL)
		return;
	p->with_found = with_found;
	if (!plan(s, p)) {
		free(p);
		return;
	}
	probe_start(s, p);
}

/* Whether a version's suites mix phase-out ones with better ones. */
static bool
order_matters(const struct nh_fact_tls_version *v)
{
	bool phase_out = false, better = false;

	for (size_t i = 0; i < v->nsuites; i++) {
		const struct nh_tls_suite *su =
		    nh_tls_suite_by_id(v->suites[i]);

		phase_out |= su != NULL && su->level == NH_TLS_PHASE_OUT;
		better |= su != NULL && su->level < NH_TLS_PHASE_OUT;
	}
	return phase_out && better;
}

/* A version chain ended: what it found decides what to ask next. */
static void
version_done(struct nh_tls_scan *s, size_t vi)
{
	struct nh_fact_tls_version *v = &s->out->versions[vi];
	uint16_t tmp[NH_FACTS_MAX_SUITES];

	if (v->nsuites == 0)
		return;
	v->probed = NH_PROBE_OK;
	/* The order matters only with a suite to phase out next to a better
	 * one (the order check); in SSLv2 the client picks the spec. */
	if (vi > 0 && vi <= VI_TLS12 && v->nsuites >= 2 && order_matters(v))
		follow_up(s, P_ORDER, vi);
	if (vi == VI_TLS12) {
		if (suites12(s, ecdhe, tmp, NH_FACTS_MAX_SUITES) > 0)
			follow_up(s, P_GROUP12, vi);
		if (suites12(s, signed_kx, tmp, NH_FACTS_MAX_SUITES) > 0) {
			follow_up(s, P_KEX_WEAK, vi);
		}
	}
	if (vi == VI_TLS13)
		follow_up(s, P_GROUP13, vi);
}

/* Copies the certificates of an answer (keep_certs); an allocation
 * failure keeps those copied so far. */
static void
keep_certs(struct nh_tls_der *d, const struct nh_tls_server *srv)
{
	nh_tls_der_clear(d);
	for (size_t i = 0; i < srv->ncerts && i < NH_TLS_MAX_CERTS; i++) {
		if ((d->cert[i] = malloc(
			 srv->cert_lens[i] ? srv->cert_lens[i] : 1)) == NULL)
			return;
		memcpy(d->cert[i], srv->certs[i], srv->cert_lens[i]);
		d->len[i] = srv->cert_lens[i];
		d->n++;
	}
}

/*
 * Reads what a TLS <= 1.2 answer tells besides its suite: the DH group of
 * a DHE key exchange (the weakest seen), and the answers to the
 * compression, renegotiation_info and extended_master_secret offers,
 * taken from a TLS 1.2 answer when there is one.
 */
static void
take_extras(struct nh_tls_scan *s, const struct nh_tls_server *srv)
{
	struct nh_fact_tls *t = s->out;

	if (srv->ske && srv->dh_bits > 0) {
		if (!t->dhe || srv->dh_bits < t->dh_bits) {
			t->dh_bits = srv->dh_bits;
			t->dh_g = srv->dh_g;
			t->dh_ffdhe = srv->dh_ffdhe;
		}
		t->dhe = true;
	}
	if (s->took_extras)
		return;
	t->compression = srv->compression == 1 ? NH_PROBE_OK : NH_PROBE_FAILED;
	t->secure_reneg = srv->ext_reneg ? NH_PROBE_OK : NH_PROBE_FAILED;
	t->ems = srv->ext_ems ? NH_PROBE_OK : NH_PROBE_FAILED;
	s->took_extras = srv->version == NH_TLS12;
}

/* Why a version was not accepted, for the report. */
static void
note_refusal(struct nh_fact_tls_version *v, const struct nh_tls_conn_result *r)
{
	char buf[128];

	if (v->error != NULL || v->nsuites > 0)
		return;
	if (r->outcome == NH_TLS_ANSWERED && r->server->alert)
		snprintf(buf, sizeof(buf), "alert %s",
		    nh_tls_alert_name(r->server->alert_desc));
	else if (r->outcome == NH_TLS_ANSWERED && r->server->hello)
		snprintf(buf, sizeof(buf), "the server answered with %s",
		    nh_tls_version_name(r->server->version));
	else
		snprintf(
		    buf, sizeof(buf), "%s", r->error ? r->error : "no answer");
	v->error = strdup(buf);
	v->probed = NH_PROBE_FAILED;
}

static void
on_conn(const struct nh_tls_conn_result *r, void *arg)
{
	struct probe *p = arg;
	struct nh_tls_scan *s = p->s;
	const struct nh_tls_server *srv = r->server;
	struct nh_fact_tls_version *v = &s->out->versions[p->vi];
	bool answered = r->outcome == NH_TLS_ANSWERED && srv->hello;
	bool on_version = answered && srv->version == versions[p->vi];

	p->conn = NULL;
	if (s->lim != NULL)
		nh_limiter_release(s->lim, s->out->ip);
	s->out->connections++;
	if (p->depth > s->out->sequential)
		s->out->sequential = p->depth;
	s->depth = p->depth + 1; /* for the probes this answer starts */
	if (r->outcome == NH_TLS_ANSWERED || r->outcome == NH_TLS_MALFORMED)
		s->out->reachable = NH_PROBE_OK;
	else if (s->out->error == NULL && r->error != NULL)
		s->out->error = strdup(r->error);
	/*
	 * A whole timeout passed and nothing answered any probe: a server
	 * that says nothing (or never ends its flight) would make every
	 * other probe wait as long. A server that only ignores some hellos
	 * (SSLv2 ones, say) has answered others long before.
	 */
	if (r->outcome == NH_TLS_TIMEOUT && s->out->reachable != NH_PROBE_OK)
		give_up(s, p);
	if (on_version && versions[p->vi] <= NH_TLS12 &&
	    versions[p->vi] >= NH_SSL3)
		take_extras(s, srv);
	/* The certificates, in case no full handshake completes (a suite
	 * OpenSSL lacks): the handshake's replace them. */
	if (on_version && srv->ncerts > 0 && !s->took_certs && s->keep) {
		keep_certs(s->keep, srv);
		s->took_certs = true;
	} else if (on_version && srv->ncerts > 0 && !s->took_certs && s->ctx) {
		nh_tls_chain_facts_der(nh_tls_ctx_store(s->ctx), srv->certs,
		    srv->cert_lens, srv->ncerts, s->sni, s->out);
		s->took_certs = true;
	}
	switch (p->kind) {
	case P_VERSION:
		if (on_version && versions[p->vi] == NH_SSL2) {
			for (size_t i = 0; i < srv->nssl2_suites &&
			     v->nsuites < NH_FACTS_MAX_SUITES;
			     i++)
				v->suites[v->nsuites++] = srv->ssl2_suites[i];
			if (v->nsuites == 0)
				v->error = strdup("no SSLv2 cipher in common");
			v->probed = NH_PROBE_OK;
			version_done(s, p->vi);
		} else if (on_version && offered(p, srv->suite) &&
		    v->nsuites < NH_FACTS_MAX_SUITES) {
			v->suites[v->nsuites++] = srv->suite;
			/* TLS 1.3: the group of the answer (our x25519 share,
			 * or the server's pick in a HelloRetryRequest). */
			if (versions[p->vi] == NH_TLS13 &&
			    srv->key_share_group != 0 && s->out->ngroups13 == 0)
				s->out->groups13[s->out->ngroups13++] =
				    srv->key_share_group;
			/* TLS 1.2: the curve of the key exchange, all groups
			 * offered, is the first answer of the group probes. */
			if (p->vi == VI_TLS12 && srv->ske &&
			    srv->ske_group != 0 && s->out->ngroups12 == 0)
				s->out->groups12[s->out->ngroups12++] =
				    srv->ske_group;
			follow_up(s, P_VERSION, p->vi);
		} else {
			note_refusal(v, r);
			version_done(s, p->vi);
		}
		break;
	case P_ORDER:
		if (on_version && srv->suite == v->suites[0])
			v->server_order = 1;
		else if (on_version && srv->suite == v->suites[v->nsuites - 1])
			v->server_order = 0;
		break;
	case P_GROUP12:
		if (on_version && srv->ske && offered(p, srv->ske_group) &&
		    !contains(
			s->out->groups12, s->out->ngroups12, srv->ske_group) &&
		    s->out->ngroups12 < NH_FACTS_MAX_GROUPS) {
			s->out->groups12[s->out->ngroups12++] = srv->ske_group;
			follow_group12(s, p->vi, p->with_found);
		} else if (p->hinted && on_version && srv->ske) {
			/* The certificate's curve again: nothing more. */
		} else if (!p->with_found && s->out->ngroups12 > 0) {
			follow_group12(s, p->vi, true);
		}
		break;
	case P_GROUP13:
		if (on_version && srv->key_share_group != 0 &&
		    offered(p, srv->key_share_group) &&
		    s->out->ngroups13 < NH_FACTS_MAX_GROUPS) {
			s->out->groups13[s->out->ngroups13++] =
			    srv->key_share_group;
			follow_up(s, P_GROUP13, p->vi);
		}
		break;
	case P_KEX_WEAK:
	case P_KEX_SHA1: {
		/*
		 * One hello offers SHA-1 and SHA-224 only: a server that
		 * refuses both (the usual case) costs one connection. One
		 * that picks SHA-224 is asked again with SHA-1 alone.
		 */
		const char *hash = on_version && srv->ske
		    ? nh_tls_sigalg_hash(srv->ske_sigalg)
		    : NULL;
		bool sha1 = hash != NULL && strcmp(hash, "sha1") == 0;
		bool sha224 = hash != NULL && strcmp(hash, "sha224") == 0;

		s->out->kex_sha1 = sha1 ? NH_PROBE_OK : NH_PROBE_FAILED;
		if (p->kind == P_KEX_WEAK) {
			s->out->kex_sha224 = sha224 ? NH_PROBE_OK
			    : sha1                  ? NH_PROBE_NOT_DONE
						    : NH_PROBE_FAILED;
			if (sha224)
				follow_up(s, P_KEX_SHA1, p->vi);
		}
		break;
	}
	}
	probe_done(p);
}

static void
go(void *arg)
{
	struct probe *p = arg;
	struct nh_tls_scan *s = p->s;
	uint8_t hello[NH_TLS_MAX_HELLO];
	size_t len;
	const char *err;

	p->wait = NULL;
	len = build(s, p, hello, sizeof(hello));
	if (len == 0 ||
	    (p->conn = nh_tls_conn_start(s->base, s->opener, s->opener_ctx,
		 (struct sockaddr *)&s->sa, s->salen, hello, len, s->timeout,
		 on_conn, p, &err)) == NULL) {
		if (s->lim != NULL)
			nh_limiter_release(s->lim, s->out->ip);
		if (p->kind == P_VERSION)
			version_done(s, p->vi);
		probe_done(p);
	}
}

static void
probe_start(struct nh_tls_scan *s, struct probe *p)
{
	LIST_INSERT_HEAD(&s->probes, p, link);
	s->pending++;
	if (s->lim != NULL) {
		if ((p->wait = nh_limiter_acquire(s->lim, s->out->ip, go, p)) ==
		    NULL)
			probe_done(p);
		return;
	}
	go(p);
}

void
nh_tls_scan_cancel(struct nh_tls_scan *s)
{
	struct probe *p;

	if (s == NULL)
		return;
	while ((p = LIST_FIRST(&s->probes)) != NULL)
		probe_drop(s, p);
	free(s->sni);
	free(s);
}

struct nh_tls_scan *
nh_tls_scan_start(struct event_base *base, const struct nh_tls_scan_cfg *cfg,
    struct nh_fact_tls *out, nh_tls_scan_cb cb, void *arg, const char **err)
{
	struct nh_tls_scan *s;

	if (cfg->salen > sizeof(s->sa)) {
		*err = "bad address";
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (cfg->sni != NULL && (s->sni = strdup(cfg->sni)) == NULL)) {
		free(s);
		*err = "out of memory";
		return NULL;
	}
	s->base = base;
	memcpy(&s->sa, cfg->sa, cfg->salen);
	s->salen = cfg->salen;
	s->opener = cfg->opener != NULL ? cfg->opener : &nh_tcp_opener;
	s->opener_ctx = cfg->opener_ctx;
	s->lim = cfg->limiter;
	s->timeout = cfg->timeout > 0 ? cfg->timeout : 10;
	s->ctx = cfg->ctx;
	s->keep = cfg->keep_certs;
	s->out = out;
	s->cb = cb;
	s->arg = arg;
	LIST_INIT(&s->probes);
	clock_gettime(CLOCK_MONOTONIC, &s->start);
	for (size_t i = 0; i < NH_TLS_NVERSIONS; i++) {
		out->versions[i].version = versions[i];
		out->versions[i].server_order = -1;
	}
	s->pending = 1; /* held while the chains start */
	s->depth = 1;
	for (size_t vi = NH_TLS_NVERSIONS; vi-- > 0;)
		follow_up(s, P_VERSION, vi);
	if (--s->pending == 0) {
		*err = "out of memory";
		nh_tls_scan_cancel(s);
		return NULL;
	}
	return s;
}
