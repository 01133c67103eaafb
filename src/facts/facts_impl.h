/*
 * facts_impl.h: what the files of src/facts/ share: the small writers and
 * the checked readers of the JSON form. Internal to src/facts/.
 */
#ifndef NH_FACTS_IMPL_H
#define NH_FACTS_IMPL_H

#include "facts.h"

#define NH_FACTS_MAX_STR 4096 /* characters of a string read (bodies apart) */

/* Sets o[k] to v (taken over); -1 when v is NULL or memory ran out. */
int fj_put(json_t *o, const char *k, json_t *v);

/* Sets o[k] to the string s when s is not NULL; -1 out of memory. */
int fj_put_str(json_t *o, const char *k, const char *s);

/* A lookup's outcome as JSON; NULL out of memory. */
json_t *fj_lookup_json(const struct nh_fact_lookup *l);

/* A probe outcome's name as a JSON string. */
json_t *fj_probe_json(enum nh_probe p);

/* A reading context: the first error wins, and stays in `why`. */
struct rd {
	const char *why;
};

/*
 * o[k] when present and of type t (JSON_REAL takes integers, JSON_TRUE
 * takes both booleans); NULL otherwise, an error when it is required or
 * of the wrong type.
 */
const json_t *fj_member(
    struct rd *r, const json_t *o, const char *k, json_type t, bool required);

/* A copy of the string o[k] (at most NH_FACTS_MAX_STR, no NUL), or NULL. */
char *fj_rd_str(struct rd *r, const json_t *o, const char *k, bool required);

/* The integer o[k] in 0..max; 0 when absent. */
unsigned fj_rd_uint(struct rd *r, const json_t *o, const char *k, unsigned max);

bool fj_rd_bool(struct rd *r, const json_t *o, const char *k);

/* Reads o["ip"] into buf; returns its family (4 or 6), 0 on error. */
int fj_rd_ip(struct rd *r, const json_t *o, char buf[NH_IP_TEXT]);

/* The array at o[k], at most `max` long (NULL when absent). */
const json_t *fj_rd_array(
    struct rd *r, const json_t *o, const char *k, size_t max);

/* calloc(n, size), NULL (and no error) when n is 0. */
void *fj_rd_calloc(struct rd *r, size_t n, size_t size);

enum nh_probe fj_rd_probe(struct rd *r, const json_t *o, const char *k);

/* Reads o[k], a lookup written by fj_lookup_json(), into *l. */
void fj_rd_lookup(
    struct rd *r, const json_t *o, const char *k, struct nh_fact_lookup *l);

/* Bytes from a server as a JSON string when UTF-8, else {"base64": ...}
 * (http.c); NULL out of memory. */
json_t *fj_bytes_json(const char *s, size_t len);

/* The bytes of such a value, at most max, as a new NUL-terminated buffer
 * with their length in *len; NULL (an error) when they do not fit. */
char *fj_bytes_of(struct rd *r, const json_t *v, size_t max, size_t *len);

/* o[k] read by fj_bytes_of(); NULL when absent. len may be NULL. */
char *fj_rd_bytes(
    struct rd *r, const json_t *o, const char *k, size_t max, size_t *len);

/* The mail authentication facts as JSON, and back (mail.c). */
json_t *fj_mailauth_json(const struct nh_fact_mailauth *a);
void fj_rd_mailauth(struct rd *r, const json_t *o, struct nh_fact_mailauth *a);

/* The RPKI facts as JSON, and back (rpki.c). */
json_t *fj_rpki_json(const struct nh_fact_rpki *r);
void fj_rd_rpki(struct rd *r, const json_t *o, struct nh_fact_rpki *x);

/* The HTTP facts of the web addresses as JSON, and back (http.c). */
json_t *fj_http_list_json(const struct nh_fact_http *h, size_t n);
void fj_rd_http_list(
    struct rd *r, const json_t *o, const char *k, struct nh_facts *f);

#endif /* NH_FACTS_IMPL_H */
