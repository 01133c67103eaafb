/*
 * form.c: the value of one field of an HTML form's body
 * (application/x-www-form-urlencoded: '&'-separated key=value pairs, '+'
 * for a space, %XX for a byte), bounded by the caller's buffer.
 */
#include <stdio.h>
#include <string.h>

#include "server_impl.h"

static int
hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes the value of len bytes at v into out. NULL if it does not fit. */
static const char *
decode(const char *v, size_t len, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = v[i];

		if (o + 1 >= outlen)
			return NULL;
		if (ch == '+')
			ch = ' ';
		else if (ch == '%' && i + 2 < len && hex(v[i + 1]) >= 0 &&
		    hex(v[i + 2]) >= 0) {
			ch = (char)(hex(v[i + 1]) << 4 | hex(v[i + 2]));
			i += 2;
		}
		out[o++] = ch;
	}
	if (outlen == 0)
		return NULL;
	out[o] = '\0';
	return out;
}

const char *
nh_form_value(const char *body, const char *key, char *out, size_t outlen)
{
	size_t kl = strlen(key);
	const char *p = body;

	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, '&');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);

		if (len > kl && strncmp(p, key, kl) == 0 && p[kl] == '=')
			return decode(p + kl + 1, len - kl - 1, out, outlen);
		p = end != NULL ? end + 1 : NULL;
	}
	return NULL;
}
