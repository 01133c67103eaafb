/*
 * auth.c: HTTP Basic authentication of the batch API's users against a
 * file of "name:hash" lines, the hashes from crypt(3) (libcrypt: yescrypt
 * "$y$...", or any method it knows; `mkpasswd -m yescrypt` makes one).
 * Blank lines and lines starting with '#' are skipped.
 *
 * A yescrypt check costs tens of milliseconds of CPU on purpose, and the
 * server has one thread: a password that checked once is remembered as a
 * keyed digest (HMAC-SHA-256 under a key drawn at start), so the next
 * requests of that user cost a digest, not a yescrypt.
 */
#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "server_impl.h"

#define USER_MAX 64
#define LINE_MAX_AUTH 1024

struct user {
	char name[USER_MAX];
	char *hash;
	unsigned char seen[32]; /* HMAC of the last password that checked */
	bool has_seen;
};

struct nh_users {
	struct user *v;
	size_t n;
	unsigned char key[32];
};

void
nh_users_free(struct nh_users *u)
{
	if (u == NULL)
		return;
	for (size_t i = 0; i < u->n; i++)
		free(u->v[i].hash);
	free(u->v);
	OPENSSL_cleanse(u->key, sizeof(u->key));
	free(u);
}

struct nh_users *
nh_users_load(const char *path, char *err, size_t errlen)
{
	struct nh_users *u = calloc(1, sizeof(*u));
	FILE *fp = NULL;
	char line[LINE_MAX_AUTH];
	long lineno = 0;

	if (u == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (getrandom(u->key, sizeof(u->key), 0) != (ssize_t)sizeof(u->key)) {
		snprintf(err, errlen, "no random numbers: %s", strerror(errno));
		goto fail;
	}
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		goto fail;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		size_t len = strcspn(line, "\r\n");
		char *colon;
		struct user *v;

		lineno++;
		if (line[len] == '\0' && !feof(fp)) {
			snprintf(err, errlen, "line %ld: longer than %d bytes",
			    lineno, LINE_MAX_AUTH - 2);
			goto fail;
		}
		line[len] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		colon = strchr(line, ':');
		if (colon == NULL || colon == line ||
		    (size_t)(colon - line) >= USER_MAX || colon[1] != '$') {
			snprintf(err, errlen,
			    "line %ld: not NAME:HASH with a crypt(3) hash "
			    "(make one with: mkpasswd -m yescrypt)",
			    lineno);
			goto fail;
		}
		*colon = '\0';
		for (size_t i = 0; i < u->n; i++) {
			if (strcmp(u->v[i].name, line) == 0) {
				snprintf(err, errlen,
				    "line %ld: user %s listed twice", lineno,
				    line);
				goto fail;
			}
		}
		if ((v = realloc(u->v, (u->n + 1) * sizeof(*v))) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		u->v = v;
		memset(&v[u->n], 0, sizeof(v[u->n]));
		memcpy(v[u->n].name, line, (size_t)(colon - line) + 1);
		if ((v[u->n].hash = strdup(colon + 1)) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		u->n++;
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%s", strerror(errno));
		goto fail;
	}
	fclose(fp);
	if (u->n == 0) {
		snprintf(err, errlen, "no users in the file");
		nh_users_free(u);
		return NULL;
	}
	return u;
fail:
	if (fp != NULL)
		fclose(fp);
	nh_users_free(u);
	return NULL;
}

/* Whether password is the user's. */
static bool
password_ok(struct nh_users *u, struct user *v, const char *password)
{
	unsigned char mac[32];
	unsigned int maclen = sizeof(mac);
	struct crypt_data cd;
	const char *h;
	bool ok;

	if (HMAC(EVP_sha256(), u->key, sizeof(u->key),
		(const unsigned char *)password, strlen(password), mac,
		&maclen) == NULL)
		return false;
	if (v->has_seen && CRYPTO_memcmp(mac, v->seen, sizeof(mac)) == 0)
		return true;
	memset(&cd, 0, sizeof(cd));
	h = crypt_r(password, v->hash, &cd);
	ok = h != NULL && h[0] != '*' && strlen(h) == strlen(v->hash) &&
	    CRYPTO_memcmp(h, v->hash, strlen(h)) == 0;
	OPENSSL_cleanse(&cd, sizeof(cd));
	if (ok) {
		memcpy(v->seen, mac, sizeof(mac));
		v->has_seen = true;
	}
	return ok;
}

const char *
nh_users_check(struct nh_users *u, struct nh_req *rq)
{
	char *pass = NULL, *name;
	const char *who = NULL;

	if (u == NULL)
		return NULL;
	name = MHD_basic_auth_get_username_password(rq->conn, &pass);
	if (name == NULL || pass == NULL)
		goto out;
	for (size_t i = 0; i < u->n; i++) {
		if (strcmp(u->v[i].name, name) != 0)
			continue;
		if (password_ok(u, &u->v[i], pass))
			who = u->v[i].name;
		break;
	}
out:
	if (pass != NULL) {
		OPENSSL_cleanse(pass, strlen(pass));
		MHD_free(pass);
	}
	if (name != NULL)
		MHD_free(name);
	return who;
}
