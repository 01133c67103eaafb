/*
 * rpki_bench.c: src/rpki/ at the size of the real Internet. Generates
 * VRPs and routes shaped like today's (about 700k VRPs, 72% IPv4, mostly
 * /24 and /48, some with a longer maxLength, a few AS0; 1.2M routes, 83%
 * IPv4, half of them the prefix of a VRP or a more specific one, 1%
 * multi-origin, a few AS sets) into temporary files in every format the
 * loaders read, in random order (real files come sorted, which only makes
 * nh_rpki_ready() faster). Then it measures, in a fresh process: the load
 * of each file, nh_rpki_ready(), lookups per second (nh_rpki_routes_for()
 * over random addresses, half of them inside an announced prefix), and
 * memory (the tables' bytes per entry; peak RSS from getrusage, which
 * includes the largest file while it loads).
 *
 * Usage: rpki_bench [-v VRPS] [-r ROUTES] [-q LOOKUPS] [-d DIR] [-k]
 *   defaults 700000, 1200000, 1000000, build/bench; -k keeps the files.
 * Prints the figures, then one JSON line.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rpki/rpki.h"

struct pfx {
	int fam;
	unsigned char a[16];
	unsigned len, maxlen;
	uint32_t asn, asn2; /* asn2: a second origin, or 0 */
	bool set;           /* asn2 makes an AS set, not a second origin */
};

static uint64_t rs = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

static unsigned
pick(const unsigned *lens, const unsigned *weights, size_t n)
{
	unsigned total = 0, x;

	for (size_t i = 0; i < n; i++)
		total += weights[i];
	x = (unsigned)(rnd() % total);
	for (size_t i = 0; i < n; i++) {
		if (x < weights[i])
			return lens[i];
		x -= weights[i];
	}
	return lens[n - 1];
}

static void
clear_host(struct pfx *p)
{
	unsigned bits = p->fam == 4 ? 32 : 128;

	for (unsigned b = p->len; b < bits; b++)
		p->a[b / 8] &= (unsigned char)~(1u << (7 - b % 8));
}

/*
 * Length mixes, roughly today's (RIPE's RPKI figures, CAIDA's pfx2as):
 * VRPs and routes mostly /24 and /48, few shorter than /16 or /29.
 */
static const unsigned v4_len[] = { 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
	22, 23, 24 };
static const unsigned v4_w[] = { 1, 1, 2, 4, 6, 40, 20, 25, 35, 50, 45, 90, 80,
	600 };
static const unsigned v6_len[] = { 28, 29, 30, 32, 33, 36, 40, 44, 46, 47, 48,
	56, 64 };
static const unsigned v6_w[] = { 2, 40, 4, 160, 10, 40, 60, 80, 20, 30, 540, 9,
	5 };
#define NV4 (sizeof(v4_len) / sizeof(v4_len[0]))
#define NV6 (sizeof(v6_len) / sizeof(v6_len[0]))

static void
random_prefix(struct pfx *p, int fam)
{
	memset(p, 0, sizeof(*p));
	p->fam = fam;
	for (int i = 0; i < 16; i++)
		p->a[i] = (unsigned char)rnd();
	if (fam == 4) {
		p->a[0] = (unsigned char)(1 + rnd() % 223); /* 1..223 */
		p->len = pick(v4_len, v4_w, NV4);
	} else {
		p->a[0] = 0x20 + (unsigned char)(rnd() % 11); /* 2000::/4-ish */
		p->a[1] = (unsigned char)(rnd() % 16);
		p->len = pick(v6_len, v6_w, NV6);
	}
	clear_host(p);
	p->asn = (uint32_t)(1 + rnd() % 400000);
}

static void
make_vrps(struct pfx *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct pfx *p = &v[i];
		unsigned cap;

		random_prefix(p, rnd() % 100 < 72 ? 4 : 6);
		cap = p->fam == 4 ? 24 : 48;
		p->maxlen = p->len;
		if (rnd() % 100 < 15 && p->len < cap)
			p->maxlen =
			    p->len + 1 + (unsigned)(rnd() % (cap - p->len));
		if (rnd() % 1000 == 0)
			p->asn = 0; /* AS0 */
	}
}

/* Routes: half from the VRPs (their prefix or a more specific one, with
 * their origin or another), half elsewhere. */
static void
make_routes(struct pfx *r, size_t n, const struct pfx *v, size_t nv)
{
	size_t cursor = 0;

	for (size_t i = 0; i < n; i++) {
		struct pfx *p = &r[i];
		int fam = rnd() % 100 < 83 ? 4 : 6;

		if (rnd() % 2 == 0) {
			const struct pfx *src;
			unsigned bits = fam == 4 ? 24 : 48;

			/* Each VRP at most once or twice: no duplicates. */
			do
				src = &v[cursor++ % nv];
			while (src->fam != fam);
			*p = *src;
			for (int b = 0; b < 16; b++)
				p->a[b] ^= (unsigned char)rnd() &
				    (b * 8 >= (int)src->len ? 0xff : 0);
			if (rnd() % 4 == 0 && p->len < bits)
				p->len +=
				    1 + (unsigned)(rnd() % (bits - p->len));
			if (p->len > src->len)
				for (unsigned b = src->len; b < p->len; b++)
					if (rnd() & 1)
						p->a[b / 8] ^=
						    (unsigned char)(1u
							<< (7 - b % 8));
			clear_host(p);
			if (rnd() % 10 == 0)
				p->asn = (uint32_t)(1 + rnd() % 400000);
			if (p->asn == 0)
				p->asn = 64496;
		} else {
			random_prefix(p, fam);
		}
		p->maxlen = p->len;
		p->asn2 = 0;
		if (rnd() % 100 == 0)
			p->asn2 = (uint32_t)(1 + rnd() % 400000);
		p->set = p->asn2 != 0 && rnd() % 20 == 0;
	}
}

static void
addr_text(const struct pfx *p, char *out, size_t size)
{
	inet_ntop(p->fam == 4 ? AF_INET : AF_INET6, p->a, out, (socklen_t)size);
}

static int
write_files(const char *dir, const struct pfx *v, size_t nv,
    const struct pfx *r, size_t nr)
{
	char path[4096], a[64];
	FILE *json, *csv, *pfx2as, *rcsv;

	snprintf(path, sizeof(path), "%s/rpki-vrps.json", dir);
	json = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/rpki-vrps.csv", dir);
	csv = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/rpki-routes.pfx2as", dir);
	pfx2as = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/rpki-routes.csv", dir);
	rcsv = fopen(path, "w");
	if (!json || !csv || !pfx2as || !rcsv)
		return -1;
	fprintf(json,
	    "{\n\t\"metadata\": {\n\t\t\"buildmachine\": \"bench\",\n"
	    "\t\t\"buildtime\": \"2025-01-01T00:00:00Z\",\n"
	    "\t\t\"vrps\": %zu\n\t},\n\t\"roas\": [\n",
	    nv);
	fprintf(csv, "ASN,IP Prefix,Max Length,Trust Anchor\n");
	for (size_t i = 0; i < nv; i++) {
		addr_text(&v[i], a, sizeof(a));
		fprintf(json,
		    "\t\t{ \"asn\": %u, \"prefix\": \"%s/%u\", \"maxLength\": "
		    "%u, \"ta\": \"ripe\", \"expires\": 1736000000 }%s\n",
		    (unsigned)v[i].asn, a, v[i].len, v[i].maxlen,
		    i + 1 < nv ? "," : "");
		fprintf(csv, "AS%u,%s/%u,%u,ripe\n", (unsigned)v[i].asn, a,
		    v[i].len, v[i].maxlen);
	}
	fprintf(json, "\t]\n}\n");
	fprintf(rcsv, "prefix,asn\n");
	for (size_t i = 0; i < nr; i++) {
		addr_text(&r[i], a, sizeof(a));
		if (r[i].asn2 == 0)
			fprintf(pfx2as, "%s\t%u\t%u\n", a, r[i].len,
			    (unsigned)r[i].asn);
		else
			fprintf(pfx2as, "%s\t%u\t%u%c%u\n", a, r[i].len,
			    (unsigned)r[i].asn, r[i].set ? ',' : '_',
			    (unsigned)r[i].asn2);
		fprintf(rcsv, "%s/%u,AS%u\n", a, r[i].len, (unsigned)r[i].asn);
	}
	return (fclose(json) | fclose(csv) | fclose(pfx2as) | fclose(rcsv)) ? -1
									    : 0;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of this process: the machine is shared, wall time drifts. */
static double
cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
file_kb(const char *path)
{
	FILE *fp = fopen(path, "r");
	long n;

	if (fp == NULL)
		return -1;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fclose(fp);
	return n / 1024;
}

static long
rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *fp = fopen("/proc/self/status", "r");

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(fp);
	return kb;
}

/* Generates everything and writes the files; in a child process. */
static int
generate(const char *dir, size_t nv, size_t nr, size_t nq)
{
	struct pfx *v = calloc(nv, sizeof(*v)), *rt = calloc(nr, sizeof(*rt));
	char path[4096], a[64];
	FILE *fp;

	if (v == NULL || rt == NULL)
		return -1;
	make_vrps(v, nv);
	make_routes(rt, nr, v, nv);
	if (write_files(dir, v, nv, rt, nr) != 0)
		return -1;
	/* Query addresses: half inside announced prefixes, half anywhere. */
	snprintf(path, sizeof(path), "%s/rpki-queries.txt", dir);
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	for (size_t i = 0; i < nq; i++) {
		struct pfx q;

		if (i % 2 == 0) {
			q = rt[rnd() % nr];
			for (unsigned b = q.len; b < (q.fam == 4 ? 32u : 128u);
			     b++)
				if (rnd() & 1)
					q.a[b / 8] |=
					    (unsigned char)(1u << (7 - b % 8));
		} else {
			random_prefix(&q, rnd() % 100 < 83 ? 4 : 6);
			for (int b = 1; b < 16; b++)
				q.a[b] = (unsigned char)rnd();
		}
		addr_text(&q, a, sizeof(a));
		fprintf(fp, "%s\n", a);
	}
	free(v);
	free(rt);
	return fclose(fp) == 0 ? 0 : -1;
}

struct timing {
	double wall, cpu;
};

static void
start(struct timing *t)
{
	t->wall = now();
	t->cpu = cpu();
}

static void
stop(struct timing *t)
{
	t->wall = now() - t->wall;
	t->cpu = cpu() - t->cpu;
}

/* Loads one file into a fresh set; prints the figures. */
static void
time_load(const char *dir, const char *file, bool vrps, struct timing *t)
{
	char path[4096], err[512];
	struct nh_rpki *r = nh_rpki_new();
	size_t n;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	start(t);
	rc = vrps ? nh_rpki_load_vrps(r, path, err, sizeof(err))
		  : nh_rpki_load_routes(r, path, err, sizeof(err));
	stop(t);
	if (rc != 0) {
		fprintf(stderr, "rpki_bench: %s\n", err);
		exit(2);
	}
	n = vrps ? nh_rpki_vrp_count(r) : nh_rpki_route_count(r);
	printf("load %-19s %7ld KB %8zu entries  %.3f s (cpu %.3f s)  "
	       "%.2f M entries/s\n",
	    file, file_kb(path), n, t->wall, t->cpu, (double)n / t->wall / 1e6);
	nh_rpki_free(r);
}

static const char *const files[] = { "rpki-vrps.json", "rpki-vrps.csv",
	"rpki-routes.pfx2as", "rpki-routes.csv", "rpki-queries.txt" };

int
main(int argc, char **argv)
{
	size_t nv = 700000, nr = 1200000, nq = 1000000, nqr = 0, n;
	size_t found = 0, total = 0, states[4] = { 0 }, covered = 0;
	const char *dir = "build/bench";
	struct timing tl[4], tready, tsorted, tq, tcov;
	struct nh_rpki *r;
	struct nh_rpki_route out[16];
	struct rusage ru;
	char err[512], path[4096], (*addrs)[48], line[128];
	long peak_kb;
	bool keep = false;
	FILE *fp;
	pid_t pid;
	int c, status;

	while ((c = getopt(argc, argv, "v:r:q:d:k")) != -1) {
		switch (c) {
		case 'v':
			nv = strtoul(optarg, NULL, 10);
			break;
		case 'r':
			nr = strtoul(optarg, NULL, 10);
			break;
		case 'q':
			nq = strtoul(optarg, NULL, 10);
			break;
		case 'd':
			dir = optarg;
			break;
		case 'k':
			keep = true;
			break;
		default:
			fprintf(stderr,
			    "usage: rpki_bench [-v VRPS] [-r ROUTES] "
			    "[-q LOOKUPS] [-d DIR] [-k]\n");
			return 1;
		}
	}
	if (nv == 0 || nr == 0 || nq == 0)
		return 1;
	/* A child generates, so that this process's memory is the loads'. */
	if ((pid = fork()) == 0)
		_exit(generate(dir, nv, nr, nq) == 0 ? 0 : 2);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(
		    stderr, "rpki_bench: cannot write the files in %s\n", dir);
		return 2;
	}
	printf("generated %zu VRPs and %zu routes, in random order; "
	       "%ld cores, shared with other work\n",
	    nv, nr, sysconf(_SC_NPROCESSORS_ONLN));

	time_load(dir, files[0], true, &tl[0]);
	time_load(dir, files[1], true, &tl[1]);
	time_load(dir, files[2], false, &tl[2]);
	time_load(dir, files[3], false, &tl[3]);

	/* The set the checks use: JSON VRPs and pfx2as routes. */
	r = nh_rpki_new();
	snprintf(path, sizeof(path), "%s/%s", dir, files[0]);
	if (nh_rpki_load_vrps(r, path, err, sizeof(err)) != 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/%s", dir, files[2]);
	if (nh_rpki_load_routes(r, path, err, sizeof(err)) != 0)
		goto fail;
	start(&tready);
	nh_rpki_ready(r);
	stop(&tready);
	getrusage(RUSAGE_SELF, &ru);
	peak_kb = ru.ru_maxrss;
	printf("ready (sort, dedup, link, index) %zu VRPs + %zu routes  "
	       "%.3f s (cpu %.3f s)\n",
	    nh_rpki_vrp_count(r), nh_rpki_route_count(r), tready.wall,
	    tready.cpu);
	/* Again, on sorted entries: what files in sorted order cost. */
	start(&tsorted);
	nh_rpki_ready(r);
	stop(&tsorted);
	printf("ready again, entries already sorted  %.3f s (cpu %.3f s)\n",
	    tsorted.wall, tsorted.cpu);
	printf("memory: tables %zu KB, %.1f bytes an entry (16 IPv4, 32 "
	       "IPv6); peak RSS of loads and ready %ld KB; RSS now %ld KB\n",
	    nh_rpki_memory(r) / 1024,
	    (double)nh_rpki_memory(r) /
		(double)(nh_rpki_vrp_count(r) + nh_rpki_route_count(r)),
	    peak_kb, rss_kb());

	if ((addrs = malloc(nq * sizeof(*addrs))) == NULL)
		return 2;
	snprintf(path, sizeof(path), "%s/%s", dir, files[4]);
	if ((fp = fopen(path, "r")) == NULL)
		return 2;
	while (nqr < nq && fgets(line, sizeof(line), fp) != NULL) {
		size_t len = strcspn(line, "\n");

		if (len >= sizeof(addrs[0]))
			continue;
		memcpy(addrs[nqr], line, len);
		addrs[nqr++][len] = '\0';
	}
	fclose(fp);

	start(&tq);
	for (size_t i = 0; i < nqr; i++) {
		n = nh_rpki_routes_for(r, addrs[i], out, 16);
		total += n;
		found += n > 0;
		for (size_t j = 0; j < n && j < 16; j++)
			states[out[j].state]++;
	}
	stop(&tq);
	printf("routes_for    %zu lookups  %.3f s (cpu %.3f s)  %.0f/s  "
	       "%.2f us each\n",
	    nqr, tq.wall, tq.cpu, (double)nqr / tq.wall,
	    tq.wall / (double)nqr * 1e6);
	printf("              %zu addresses with routes, %.2f routes each: "
	       "valid %zu, invalid_asn %zu, invalid_length %zu, not_found "
	       "%zu\n",
	    found, found ? (double)total / (double)found : 0.0,
	    states[NH_ROV_VALID], states[NH_ROV_INVALID_ASN],
	    states[NH_ROV_INVALID_LENGTH], states[NH_ROV_NOT_FOUND]);
	start(&tcov);
	for (size_t i = 0; i < nqr; i++)
		covered += nh_rpki_vrps_covering(r, addrs[i]) > 0;
	stop(&tcov);
	printf("vrps_covering %zu lookups  %.3f s (cpu %.3f s)  %.0f/s  "
	       "%.2f us each; %zu addresses covered\n",
	    nqr, tcov.wall, tcov.cpu, (double)nqr / tcov.wall,
	    tcov.wall / (double)nqr * 1e6, covered);
	printf("{\"vrps\": %zu, \"routes\": %zu, \"load_vrps_json_s\": %.3f, "
	       "\"load_vrps_csv_s\": %.3f, \"load_routes_pfx2as_s\": %.3f, "
	       "\"load_routes_csv_s\": %.3f, \"ready_s\": %.3f, "
	       "\"ready_sorted_s\": %.3f, "
	       "\"routes_for_per_s\": %.0f, \"vrps_covering_per_s\": %.0f, "
	       "\"table_bytes\": %zu, \"maxrss_kb\": %ld}\n",
	    nh_rpki_vrp_count(r), nh_rpki_route_count(r), tl[0].wall,
	    tl[1].wall, tl[2].wall, tl[3].wall, tready.wall, tsorted.wall,
	    (double)nqr / tq.wall, (double)nqr / tcov.wall, nh_rpki_memory(r),
	    peak_kb);
	nh_rpki_free(r);
	free(addrs);
	if (!keep)
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
			unlink(path);
		}
	return 0;
fail:
	fprintf(stderr, "rpki_bench: %s\n", err);
	return 2;
}
