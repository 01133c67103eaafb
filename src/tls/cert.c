/*
 * cert.c: what a certificate chain says, through OpenSSL: each
 * certificate's key and signature algorithm, the chain's verification
 * against a trust store (PKIX, RFC 5280), the host name (RFC 6125), and a
 * stapled OCSP response (RFC 6960). Pure functions over X509 objects:
 * the handshake module calls them after a full handshake.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "tls_impl.h"

/* strdup() that tolerates NULL. */
static char *
dup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static char *
name_line(const X509_NAME *n)
{
	char buf[512];

	if (n == NULL || X509_NAME_oneline(n, buf, sizeof(buf)) == NULL)
		return strdup("");
	return strdup(buf);
}

/* "RSASSA-PSS-SHA256" for a PSS signature, else OpenSSL's long name. */
static char *
sig_alg_name(const X509 *x)
{
	int nid = X509_get_signature_nid(x);
	const X509_ALGOR *alg;
	char buf[64];

	if (nid == NID_rsassaPss) {
		RSA_PSS_PARAMS *pss;
		const ASN1_OBJECT *obj;
		int ptype;
		const void *pval;
		const char *hash = "SHA1"; /* RFC 4055 default */

		X509_get0_signature(NULL, &alg, x);
		X509_ALGOR_get0(&obj, &ptype, &pval, alg);
		if (ptype == V_ASN1_SEQUENCE &&
		    (pss = ASN1_TYPE_unpack_sequence(
			 ASN1_ITEM_rptr(RSA_PSS_PARAMS),
			 (const ASN1_TYPE *)alg->parameter)) != NULL) {
			if (pss->hashAlgorithm != NULL)
				hash = OBJ_nid2sn(
				    OBJ_obj2nid(pss->hashAlgorithm->algorithm));
			snprintf(buf, sizeof(buf), "RSASSA-PSS-%s", hash);
			RSA_PSS_PARAMS_free(pss);
			/* "SHA256" as written by OBJ_nid2sn. */
			return strdup(buf);
		}
		return strdup("RSASSA-PSS-SHA1");
	}
	return dup(nid != NID_undef ? OBJ_nid2ln(nid) : "unknown");
}

static char *
time_text(const ASN1_TIME *t)
{
	struct tm tm;
	char buf[32];

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return strdup("");
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return strdup(buf);
}

int
nh_tls_cert_fact(X509 *x, struct nh_fact_cert *c)
{
	EVP_PKEY *key = X509_get0_pubkey(x);
	char curve[64];
	size_t len;

	memset(c, 0, sizeof(*c));
	c->subject = name_line(X509_get_subject_name(x));
	c->issuer = name_line(X509_get_issuer_name(x));
	c->sig_alg = sig_alg_name(x);
	c->not_after = time_text(X509_get0_notAfter(x));
	c->self_signed = X509_check_issued(x, x) == X509_V_OK;
	if (key != NULL) {
		c->key_bits = (unsigned)EVP_PKEY_get_bits(key);
		if (EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_is_a(key, "RSA-PSS"))
			c->key_type = strdup("rsa");
		else if (EVP_PKEY_is_a(key, "EC"))
			c->key_type = strdup("ec");
		else if (EVP_PKEY_is_a(key, "ED25519"))
			c->key_type = strdup("ed25519");
		else if (EVP_PKEY_is_a(key, "ED448"))
			c->key_type = strdup("ed448");
		else if (EVP_PKEY_is_a(key, "DSA"))
			c->key_type = strdup("dsa");
		else
			c->key_type = strdup("other");
		if (EVP_PKEY_is_a(key, "EC") &&
		    EVP_PKEY_get_utf8_string_param(
			key, "group", curve, sizeof(curve), &len) == 1) {
			/* OpenSSL says prime256v1; the policy, secp256r1. */
			c->curve = strdup(strcmp(curve, "prime256v1") == 0
				? "secp256r1"
				: curve);
		}
	} else {
		c->key_type = strdup("unknown");
	}
	if (c->subject == NULL || c->issuer == NULL || c->sig_alg == NULL ||
	    c->not_after == NULL || c->key_type == NULL) {
		nh_fact_cert_clear(c);
		return -1;
	}
	return 0;
}

int
nh_tls_verify_chain(X509_STORE *store, STACK_OF(X509) * sent, const char *host,
    struct nh_fact_tls *t)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509 *leaf = sk_X509_num(sent) > 0 ? sk_X509_value(sent, 0) : NULL;
	STACK_OF(X509) *verified = NULL;
	int ok, rc = -1;

	if (ctx == NULL || leaf == NULL)
		goto out;
	if (X509_STORE_CTX_init(ctx, store, leaf, sent) != 1)
		goto out;
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
	ok = X509_verify_cert(ctx);
	t->chain_verified = ok == 1;
	if (ok != 1) {
		free(t->verify_error);
		t->verify_error = strdup(X509_verify_cert_error_string(
		    X509_STORE_CTX_get_error(ctx)));
	}
	t->name_matches =
	    host != NULL && X509_check_host(leaf, host, 0, 0, NULL) == 1;
	/* Which certificate sent is the trust store's root. */
	if (ok == 1 && (verified = X509_STORE_CTX_get1_chain(ctx)) != NULL) {
		X509 *root = sk_X509_value(verified, sk_X509_num(verified) - 1);

		for (size_t i = 0;
		     i < t->nchain && i < (size_t)sk_X509_num(sent); i++)
			t->chain[i].trusted_root =
			    X509_cmp(sk_X509_value(sent, (int)i), root) == 0 &&
			    t->chain[i].self_signed;
	}
	rc = 0;
out:
	sk_X509_pop_free(verified, X509_free);
	X509_STORE_CTX_free(ctx);
	return rc;
}

void
nh_tls_check_ocsp(const unsigned char *resp, long len, STACK_OF(X509) * sent,
    X509_STORE *store, struct nh_fact_tls *t)
{
	X509 *leaf = sk_X509_num(sent) > 0 ? sk_X509_value(sent, 0) : NULL;
	X509 *issuer = sk_X509_num(sent) > 1 ? sk_X509_value(sent, 1) : NULL;
	STACK_OF(OPENSSL_STRING) * urls;
	OCSP_RESPONSE *r = NULL;
	OCSP_BASICRESP *bs = NULL;
	OCSP_CERTID *id = NULL;
	ASN1_GENERALIZEDTIME *this_upd, *next_upd;
	int status, reason;

	if (leaf != NULL && (urls = X509_get1_ocsp(leaf)) != NULL) {
		t->ocsp_url = sk_OPENSSL_STRING_num(urls) > 0;
		X509_email_free(urls);
	}
	t->ocsp_stapled =
	    resp != NULL && len > 0 ? NH_PROBE_OK : NH_PROBE_FAILED;
	if (resp == NULL || len <= 0 || leaf == NULL || issuer == NULL)
		return;
	if ((r = d2i_OCSP_RESPONSE(NULL, &resp, len)) == NULL ||
	    OCSP_response_status(r) != OCSP_RESPONSE_STATUS_SUCCESSFUL ||
	    (bs = OCSP_response_get1_basic(r)) == NULL ||
	    OCSP_basic_verify(bs, sent, store, 0) != 1 ||
	    (id = OCSP_cert_to_id(NULL, leaf, issuer)) == NULL ||
	    OCSP_resp_find_status(
		bs, id, &status, &reason, NULL, &this_upd, &next_upd) != 1)
		goto out;
	t->ocsp_valid = status == V_OCSP_CERTSTATUS_GOOD &&
	    OCSP_check_validity(this_upd, next_upd, 300, -1) == 1;
out:
	OCSP_CERTID_free(id);
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(r);
}

/* Forgets the chain facts of t. */
static void
chain_clear(struct nh_fact_tls *t)
{
	for (size_t i = 0; i < t->nchain; i++)
		nh_fact_cert_clear(&t->chain[i]);
	t->nchain = 0;
	free(t->verify_error);
	t->verify_error = NULL;
	t->chain_verified = t->name_matches = t->chain_from_probe = false;
}

void
nh_tls_chain_facts(X509_STORE *store, STACK_OF(X509) * sent, const char *host,
    struct nh_fact_tls *t)
{
	chain_clear(t);
	for (int i = 0; i < sk_X509_num(sent) && t->nchain < NH_FACTS_MAX_CHAIN;
	     i++) {
		if (nh_tls_cert_fact(
			sk_X509_value(sent, i), &t->chain[t->nchain]) == 0)
			t->nchain++;
	}
	nh_tls_verify_chain(store, sent, host, t);
}

void
nh_tls_chain_facts_der(X509_STORE *store, const uint8_t *const *der,
    const size_t *lens, size_t n, const char *host, struct nh_fact_tls *t)
{
	STACK_OF(X509) *sent = sk_X509_new_null();

	if (sent == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		const unsigned char *p = der[i];
		X509 *x = lens[i] <= LONG_MAX
		    ? d2i_X509(NULL, &p, (long)lens[i])
		    : NULL;

		/* The chain up to the first certificate that does not
		 * parse. */
		if (x == NULL || sk_X509_push(sent, x) <= 0) {
			X509_free(x);
			break;
		}
	}
	if (sk_X509_num(sent) > 0) {
		nh_tls_chain_facts(store, sent, host, t);
		nh_tls_check_ocsp(NULL, 0, sent, store, t);
		t->ocsp_stapled = NH_PROBE_NOT_DONE;
		t->chain_from_probe = true;
	}
	sk_X509_pop_free(sent, X509_free);
	ERR_clear_error();
}

void
nh_tls_der_clear(struct nh_tls_der *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->cert[i]);
	memset(d, 0, sizeof(*d));
}

void
nh_tls_probe_chain_facts(const struct nh_tls_ctx *ctx,
    const struct nh_tls_der *d, const char *host, struct nh_fact_tls *t)
{
	if (d->n == 0 || ctx == NULL)
		return;
	nh_tls_chain_facts_der(nh_tls_ctx_store(ctx),
	    (const uint8_t *const *)d->cert, d->len, d->n, host, t);
}
