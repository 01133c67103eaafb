/*
 * nh_hello.c: sends one ClientHello built by nethealth's encoder to
 * ADDRESS PORT and prints what the decoder read from the answer:
 *     version suite compression group ske_group dh_bits sigalg ems reneg
 *     certs alert
 * Usage: nh_hello ADDRESS PORT VERSION [SNI] (VERSION: ssl3, tls1,
 * tls1.1, tls1.2, tls1.3). Offers every suite of the table that the
 * version can use. For the integration tests and by hand; blocking I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "net/net.h"
#include "tls/tls.h"

int
main(int argc, char **argv)
{
	static const uint16_t groups[] = { 29, 23, 24, 25, 30, 21, 256, 257,
		258, 259, 260 };
	static const uint16_t shares[] = { 29 };
	static const uint16_t sigalgs[] = { 0x0403, 0x0503, 0x0603, 0x0804,
		0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0807, 0x0808, 0x0201,
		0x0203, 0x0303, 0x0301 };
	struct nh_tls_hello h = { 0 };
	struct nh_tls_parser p;
	struct sockaddr_storage ss;
	struct timeval tv = { 5, 0 };
	uint16_t suites[512];
	uint8_t out[NH_TLS_MAX_HELLO], buf[4096];
	socklen_t sl;
	size_t n = 0, len;
	enum nh_tls_feed r = NH_TLS_MORE;
	int fd;
	ssize_t got;

	if (argc < 4 ||
	    nh_sockaddr_from_text(argv[1], (uint16_t)atoi(argv[2]), &ss, &sl) ==
		0) {
		fprintf(stderr, "usage: nh_hello ADDRESS PORT VERSION [SNI]\n");
		return 1;
	}
	h.version = strcmp(argv[3], "ssl3") == 0 ? NH_SSL3
	    : strcmp(argv[3], "tls1") == 0       ? NH_TLS10
	    : strcmp(argv[3], "tls1.1") == 0     ? NH_TLS11
	    : strcmp(argv[3], "tls1.3") == 0     ? NH_TLS13
						 : NH_TLS12;
	for (size_t i = 0; i < nh_tls_nsuites && n < 512; i++) {
		const struct nh_tls_suite *s = &nh_tls_suites[i];

		if ((h.version == NH_TLS13) == (s->min_version == NH_TLS13) &&
		    s->min_version <= h.version)
			suites[n++] = s->id;
	}
	h.suites = suites;
	h.nsuites = n;
	h.groups = groups;
	h.ngroups = sizeof(groups) / sizeof(groups[0]);
	h.key_shares = shares;
	h.nkey_shares = 1;
	h.sigalgs = sigalgs;
	h.nsigalgs = sizeof(sigalgs) / sizeof(sigalgs[0]);
	h.sni = argc > 4 ? argv[4] : NULL;
	h.ems = h.reneg_info = h.compression = true;
	h.no_extensions = h.version == NH_SSL3;
	if ((len = nh_tls_hello_write(&h, out, sizeof(out))) == 0) {
		fprintf(stderr, "nh_hello: cannot build the hello\n");
		return 2;
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&ss, sl) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == -1 ||
	    send(fd, out, len, 0) != (ssize_t)len) {
		perror("nh_hello");
		return 2;
	}
	nh_tls_parser_init(&p);
	while (r == NH_TLS_MORE && (got = recv(fd, buf, sizeof(buf), 0)) > 0)
		r = nh_tls_parser_feed(&p, buf, (size_t)got);
	close(fd);
	if (r != NH_TLS_DONE && !p.s.hello) {
		printf("none %s\n", p.s.error ? p.s.error : "closed");
		nh_tls_parser_free(&p);
		return 0;
	}
	printf("%s %s comp=%u group=%u ske_group=%u dh_bits=%u sigalg=0x%04x "
	       "ems=%d reneg=%d hrr=%d certs=%zu alert=%s%s%s\n",
	    nh_tls_version_name(p.s.version),
	    nh_tls_suite_by_id(p.s.suite) ? nh_tls_suite_by_id(p.s.suite)->iana
					  : "?",
	    p.s.compression, p.s.key_share_group, p.s.ske_group, p.s.dh_bits,
	    p.s.ske_sigalg, p.s.ext_ems, p.s.ext_reneg, p.s.hrr, p.s.ncerts,
	    p.s.alert ? nh_tls_alert_name(p.s.alert_desc) : "-",
	    p.s.error ? " error=" : "", p.s.error ? p.s.error : "");
	nh_tls_parser_free(&p);
	return 0;
}
