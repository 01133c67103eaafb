/*
 * scan_util.c: what the scan renderers share: reading the statistics
 * (shares, mean, median, bins), titles, and text hygiene for HTML, JSON
 * and the terminal (valid UTF-8, no control characters, escaping).
 */
#include <stdlib.h>
#include <string.h>

#include "scan_impl.h"

static const long zeros[NH_STATUS_COUNT];

const struct scan_stats *
scan_group_stats(const struct scan_round *r, size_t g)
{
	static const struct scan_stats empty;

	return g < r->ngroups ? &r->groups[g] : &empty;
}

const long *
scan_check_counts(const struct scan_stats *s, size_t c)
{
	return c < s->nchecks ? s->checks[c] : zeros;
}

const long *
scan_cat_counts(const struct scan_stats *s, size_t c)
{
	return c < s->ncats ? s->cats[c] : zeros;
}

long
scan_tested(const long *counts)
{
	return counts[NH_PASSED] + counts[NH_FAILED] + counts[NH_WARNING] +
	    counts[NH_INFO];
}

long
scan_affected(const long *counts)
{
	return counts[NH_FAILED] + counts[NH_WARNING];
}

double
scan_share(const long *counts)
{
	long tested = scan_tested(counts);

	return tested > 0 ? 100.0 * (double)counts[NH_PASSED] / (double)tested
			  : -1;
}

double
scan_mean(const struct scan_type_stats *t)
{
	double sum = 0;

	if (t->scored == 0)
		return -1;
	for (int v = 0; v <= 100; v++)
		sum += (double)v * (double)t->nscore[v];
	return sum / (double)t->scored;
}

/* The k-th smallest score (from 0). */
static int
nth_score(const struct scan_type_stats *t, long k)
{
	for (int v = 0; v <= 100; v++) {
		if (k < t->nscore[v])
			return v;
		k -= t->nscore[v];
	}
	return 100;
}

double
scan_median(const struct scan_type_stats *t)
{
	long n = t->scored;

	if (n == 0)
		return -1;
	if (n % 2 == 1)
		return nth_score(t, n / 2);
	return (nth_score(t, n / 2 - 1) + nth_score(t, n / 2)) / 2.0;
}

void
scan_bins(const struct scan_type_stats *t, long bins[SCAN_BINS])
{
	memset(bins, 0, SCAN_BINS * sizeof(bins[0]));
	for (int v = 0; v <= 100; v++)
		bins[v == 100 ? SCAN_BINS - 1 : v / 10] += t->nscore[v];
}

bool
scan_has_type(const struct scan_stats *s, enum nh_test_type t)
{
	return s->type[t].scored + s->type[t].unscored + s->type[t].errors > 0;
}

const char *
scan_check_title(const struct scan_check *c)
{
	return c->text != NULL ? c->text->title : c->id;
}

const char *
scan_cat_title(const struct scan_cat *c)
{
	return c->text != NULL ? c->text->title : c->id;
}

const char *
scan_type_label(enum nh_test_type t)
{
	return t == NH_TEST_MAIL ? "Mail" : "Website";
}

/* ---- text hygiene ---- */

/* The length of the valid UTF-8 sequence at s (1 to 4), or 0. Overlong
 * forms, surrogates and code points above U+10FFFF are invalid. */
static size_t
utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xe0 && s[1] < 0xa0) ||
		    (s[0] == 0xed && s[1] >= 0xa0))
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) ||
		    (s[0] == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/* A C0 control or DEL that a page, a terminal or a JSON string should not
 * carry (C1 controls, two bytes in UTF-8, are caught by the callers). */
static bool
is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
}

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

char *
scan_utf8_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), o = 0;
	char *out = malloc(len * 3 + 1); /* each byte at most U+FFFD */

	if (out == NULL)
		return NULL;
	while (*p != '\0') {
		size_t n = utf8_len(p);

		if (n == 0 || (n == 1 && is_control(*p)) ||
		    (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)) {
			memcpy(out + o, REPLACEMENT, 3);
			o += 3;
			p += n ? n : 1;
			continue;
		}
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	out[o] = '\0';
	return out;
}

int
nh_html_escape(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = 0;

	if (s == NULL)
		return 0;
	while (*p != '\0' && rc >= 0) {
		size_t n = utf8_len(p);
		const char *ent = NULL;

		if (n == 0 || (n == 1 && is_control(*p)) ||
		    (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)) {
			rc = fputs(REPLACEMENT, fp);
			p += n ? n : 1;
			continue;
		}
		if (n > 1) {
			rc = fwrite(p, 1, n, fp) == n ? 0 : -1;
			p += n;
			continue;
		}
		switch (*p) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		}
		rc = ent != NULL ? fputs(ent, fp) : fputc(*p, fp);
		p++;
	}
	return rc < 0 ? -1 : 0;
}

void
scan_text_put(FILE *fp, const char *s, int width, bool pad)
{
	char *clean = scan_utf8_clean(s != NULL ? s : "-");
	int shown = 0;

	if (clean == NULL) {
		fputs("?", fp);
		return;
	}
	for (const unsigned char *p = (unsigned char *)clean;
	     *p != '\0' && (width < 0 || shown < width); shown++) {
		size_t n = utf8_len(p);

		if (*p == '\t' || *p == '\n')
			fputc(' ', fp);
		else
			fwrite(p, 1, n, fp);
		p += n;
	}
	for (; pad && shown < width; shown++)
		fputc(' ', fp);
	free(clean);
}
