/*
 * mail.h: SMTP for the mail test: a reader of SMTP replies, and the
 * STARTTLS stream opener the TLS engine connects through (banner, EHLO,
 * STARTTLS, then the socket is handed over for the TLS ClientHello).
 *
 * This is the face of src/mail/. The reply reader is pure and reads
 * untrusted bytes within the length given. The opener runs on the
 * caller's libevent loop.
 */
#ifndef NH_MAIL_H
#define NH_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "facts/facts.h"
#include "net/net.h"

#define NH_SMTP_MAX_LINE 2048 /* bytes of a reply line, CRLF included */
#define NH_SMTP_MAX_LINES 64  /* lines of one reply */

/* One SMTP reply (RFC 5321 §4.2). */
struct nh_smtp_reply {
	int code;       /* 200 .. 599 */
	size_t nlines;  /* lines of the reply */
	bool starttls;  /* a line after the first names STARTTLS (EHLO) */
	char text[160]; /* the first line's text, printable, shortened */
};

/*
 * Reads one complete reply from buf[0..len). Returns the number of bytes
 * it took (> 0), 0 when the reply is not complete yet, or -1 when the
 * bytes are not an SMTP reply (*why says why): a line without a
 * three-digit code from 200 to 599, codes that differ between lines, a
 * line longer than NH_SMTP_MAX_LINE, more than NH_SMTP_MAX_LINES lines.
 * Lines end in CRLF or a bare LF.
 */
ssize_t nh_smtp_reply_parse(
    const char *buf, size_t len, struct nh_smtp_reply *out, const char **why);

/*
 * The STARTTLS opener (nh_smtp_opener). Its context: the EHLO name, where
 * to write what the dialog showed, and how often to try again after a
 * greeting of 4xx (an MX that defers new clients, RFC 5321 §3.8: 421).
 */
struct nh_smtp_ctx {
	const char *ehlo;          /* NULL: NH_SMTP_EHLO */
	struct nh_fact_smtp *seen; /* may be NULL; filled by the first
					dialog that gets an answer */
	unsigned retries;          /* after a 4xx greeting; 0: 3 */
	double backoff;            /* seconds before the first retry,
					doubled each time; 0: 1 s */
};

#define NH_SMTP_EHLO "nethealth.invalid"

/*
 * Connects, reads the greeting (220), says EHLO, and when the server
 * offers STARTTLS, says STARTTLS and hands the socket over after its 220.
 * A 4xx greeting closes the connection and tries again after the backoff;
 * a 5xx greeting, no STARTTLS offered, a refusal of STARTTLS, or a reply
 * that is not SMTP ends with an error that says so. The timeout applies
 * to each try.
 */
extern const struct nh_stream_opener nh_smtp_opener;

#endif /* NH_MAIL_H */
