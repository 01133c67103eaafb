/*
 * nh_store_dump: prints a round of a results store in the store's
 * canonical, timing-free text form (nh_store_dump), so that two scans of
 * the same list can be compared with diff.
 *
 * Usage: nh_store_dump DB [ROUND]   (default: the latest round)
 */
#include <stdio.h>
#include <stdlib.h>

#include "store/store.h"

static int
latest(const struct nh_store_round *r, void *arg)
{
	*(int64_t *)arg = r->id;
	return 0;
}

int
main(int argc, char **argv)
{
	struct nh_store *s;
	const char *err;
	int64_t round = 0;
	int rc = 1;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: nh_store_dump DB [ROUND]\n");
		return 2;
	}
	if ((s = nh_store_open(argv[1], &err)) == NULL) {
		fprintf(stderr, "nh_store_dump: %s\n", err);
		return 2;
	}
	if (argc == 3)
		round = strtoll(argv[2], NULL, 10);
	else if (nh_store_rounds(s, latest, &round) == -1)
		goto out;
	if (round <= 0) {
		fprintf(stderr, "nh_store_dump: no round\n");
		goto out;
	}
	if (nh_store_dump(s, round, stdout) == -1)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "nh_store_dump: %s\n", nh_store_error(s));
	nh_store_close(s);
	return rc;
}
