/*
 * fuzz_page.c: libFuzzer target for the same-site comparison, whose
 * digest reads whatever a web server sends. Input: two pages, split at
 * the first 0xff byte, or at half when there is none. Properties: no
 * crash, no read outside the input; per page, len + stripped is the bytes
 * read (the size, at most NH_WEBPOL_PAGE_MAX), the sum of hist is len,
 * and only bytes of the page are left out (hist never above the plain
 * count); the ratio is in 0 .. 1, 1 for a page against itself, the same
 * both ways, and the distance and the verdict follow from it.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "webpol/webpol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_page(const uint8_t *p, size_t size, const struct nh_webpol_page *pg)
{
	size_t n = size < NH_WEBPOL_PAGE_MAX ? size : NH_WEBPOL_PAGE_MAX;
	unsigned long plain[256] = { 0 }, sum = 0, left = 0;

	assert(pg->len + pg->stripped == n);
	for (size_t i = 0; i < n; i++)
		plain[p[i]]++;
	for (size_t c = 0; c < 256; c++) {
		assert(pg->hist[c] <= plain[c]);
		sum += pg->hist[c];
		left += plain[c] - pg->hist[c];
	}
	assert(sum == pg->len);
	assert(left == pg->stripped);
}

static void
check_pair(const struct nh_webpol_page *a, const struct nh_webpol_page *b)
{
	double r = nh_webpol_page_ratio(a, b), pct = r * 100.0, d;

	assert(r >= 0.0 && r <= 1.0);
	assert(r == nh_webpol_page_ratio(b, a));
	d = nh_webpol_page_distance(a, b);
	assert(d >= 0.0 && d <= 100.0);
	assert(d == 100.0 - pct); /* as Python computes it */
	assert(
	    nh_webpol_page_similar(a, b) == (d <= NH_WEBPOL_PAGE_MAX_DISTANCE));
	if (a->len == 0 && b->len == 0)
		assert(r == 1.0);
	else if (a->len == 0 || b->len == 0)
		assert(r == 0.0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nh_webpol_page a, b, again;
	const uint8_t *ff = size > 0 ? memchr(data, 0xff, size) : NULL;
	size_t na = ff != NULL ? (size_t)(ff - data) : size / 2;
	size_t skip = ff != NULL ? 1 : 0;
	const uint8_t *pb = data + na + skip;
	size_t nb = size - na - skip;

	nh_webpol_page_digest(data, na, &a);
	nh_webpol_page_digest(pb, nb, &b);
	check_page(data, na, &a);
	check_page(pb, nb, &b);

	/* The same page, the same digest. */
	nh_webpol_page_digest(data, na, &again);
	assert(memcmp(&a, &again, sizeof(a)) == 0);
	assert(nh_webpol_page_ratio(&a, &a) == 1.0);
	assert(nh_webpol_page_distance(&a, &a) == 0.0);
	assert(nh_webpol_page_similar(&a, &a));

	check_pair(&a, &b);
	check_pair(&a, &again);
	return 0;
}
