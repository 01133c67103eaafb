/*
 * domain.c: normalization and syntax check of domain names.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>

#include "model.h"

#define NH_DOMAIN_MAX 253
#define NH_LABEL_MAX 63

static bool
is_ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x80)
			return false;
	}
	return true;
}

static bool
label_char(int c)
{
	return isalnum(c) || c == '-' || c == '_';
}

/* Checks the syntax of a lower-case ASCII name. NULL if fine, else why. */
static const char *
check_syntax(const char *name)
{
	size_t len = strlen(name), labels = 0;
	const char *p = name;

	if (len == 0)
		return "empty name";
	if (len > NH_DOMAIN_MAX)
		return "name longer than 253 characters";
	while (*p != '\0') {
		const char *start = p;
		size_t n;

		while (*p != '\0' && *p != '.') {
			if (!label_char((unsigned char)*p))
				return "character not allowed in a host name";
			p++;
		}
		n = (size_t)(p - start);
		if (n == 0)
			return "empty label";
		if (n > NH_LABEL_MAX)
			return "label longer than 63 characters";
		if (start[0] == '-' || start[n - 1] == '-')
			return "label begins or ends with a hyphen";
		labels++;
		if (*p == '.')
			p++;
		if (*p == '\0' && p[-1] == '.')
			return "empty label";
	}
	if (labels < 2)
		return "not a domain name (one label only)";
	return NULL;
}

char *
nh_domain_normalize(const char *input, const char **why)
{
	char *buf = NULL, *ascii = NULL;
	size_t len;
	const char *start = input;
	int rc;

	*why = NULL;
	while (isspace((unsigned char)*start))
		start++;
	len = strlen(start);
	while (len > 0 && isspace((unsigned char)start[len - 1]))
		len--;
	if (len > 0 && start[len - 1] == '.')
		len--;
	if (len == 0) {
		*why = "empty name";
		return NULL;
	}
	if (len > 4 * NH_DOMAIN_MAX) {
		*why = "name longer than 253 characters";
		return NULL;
	}
	if ((buf = strndup(start, len)) == NULL) {
		*why = "out of memory";
		return NULL;
	}
	if (is_ascii(buf)) {
		ascii = buf;
		buf = NULL;
	} else {
		char *idn = NULL;

		rc = idn2_to_ascii_8z(
		    buf, &idn, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
		free(buf);
		if (rc != IDN2_OK) {
			*why = "not a valid internationalized domain name";
			return NULL;
		}
		/* Copied so that the caller frees with free(), not idn2_free(). */
		ascii = strdup(idn);
		idn2_free(idn);
		if (ascii == NULL) {
			*why = "out of memory";
			return NULL;
		}
	}
	for (char *p = ascii; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	if ((*why = check_syntax(ascii)) != NULL) {
		free(ascii);
		return NULL;
	}
	return ascii;
}
