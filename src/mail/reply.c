/*
 * reply.c: the reader of SMTP replies (RFC 5321 §4.2): lines of a
 * three-digit code, '-' on every line but the last, then text.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "mail.h"

/* The printable first line's text into out (cap > 4). */
static void
keep_text(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		out[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (o + 1 == cap && n > o && cap > 4)
		memcpy(out + cap - 4, "...", 3);
	out[o] = '\0';
}

/* Whether an EHLO line's keyword (its text up to a space) is STARTTLS. */
static bool
is_starttls(const char *s, size_t n)
{
	size_t k = 0;

	while (k < n && s[k] != ' ')
		k++;
	return k == 8 && strncasecmp(s, "STARTTLS", 8) == 0;
}

ssize_t
nh_smtp_reply_parse(
    const char *buf, size_t len, struct nh_smtp_reply *out, const char **why)
{
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	for (;;) {
		const char *line = buf + pos;
		size_t avail = len - pos, n, text;
		const char *nl = memchr(line, '\n', avail);
		int code;

		if (nl == NULL) {
			if (avail >= NH_SMTP_MAX_LINE) {
				*why = "a reply line longer than SMTP allows";
				return -1;
			}
			return 0;
		}
		n = (size_t)(nl - line) + 1;
		if (n > NH_SMTP_MAX_LINE) {
			*why = "a reply line longer than SMTP allows";
			return -1;
		}
		text = n - 1;
		if (text > 0 && line[text - 1] == '\r')
			text--;
		if (text < 3 || !isdigit((unsigned char)line[0]) ||
		    !isdigit((unsigned char)line[1]) ||
		    !isdigit((unsigned char)line[2]) ||
		    (text > 3 && line[3] != '-' && line[3] != ' ')) {
			*why = "not an SMTP reply line";
			return -1;
		}
		code = (line[0] - '0') * 100 + (line[1] - '0') * 10 +
		    (line[2] - '0');
		if (code < 200 || code > 599) {
			*why = "a reply code out of range";
			return -1;
		}
		if (out->nlines == 0) {
			out->code = code;
			keep_text(text > 4 ? line + 4 : "",
			    text > 4 ? text - 4 : 0, out->text,
			    sizeof(out->text));
		} else if (code != out->code) {
			*why = "a multi-line reply whose codes differ";
			return -1;
		} else if (text > 4 && is_starttls(line + 4, text - 4))
			out->starttls = true;
		if (++out->nlines > NH_SMTP_MAX_LINES) {
			*why = "a reply of more lines than nethealth reads";
			return -1;
		}
		pos += n;
		if (text == 3 || line[3] == ' ')
			return (ssize_t)pos;
	}
}
