/*
 * scan_csv.c: one CSV row per domain and check of a round (RFC 4180),
 * streamed from the store, for spreadsheets and scripts.
 */
#include <string.h>

#include "scan_impl.h"

/* Writes one field: quoted when it holds a comma, a quote, CR or LF, with
 * quotes doubled (RFC 4180 §2). NULL is an empty field. */
static void
field(FILE *fp, const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/* The tags joined by ';', as one field. */
static void
tags_field(FILE *fp, const struct nh_store_result *r)
{
	bool quote = false;

	for (size_t i = 0; i < r->ntags; i++)
		quote = quote ||
		    (r->tags[i] != NULL &&
			strpbrk(r->tags[i], ",\"\r\n") != NULL);
	if (quote)
		fputc('"', fp);
	for (size_t i = 0; i < r->ntags; i++) {
		if (r->tags[i] == NULL)
			continue;
		if (i > 0)
			fputc(';', fp);
		for (const char *s = r->tags[i]; *s != '\0'; s++) {
			if (*s == '"')
				fputc('"', fp);
			fputc(*s, fp);
		}
	}
	if (quote)
		fputc('"', fp);
}

/* The columns up to the test. */
static void
lead(FILE *fp, int64_t round, const struct nh_store_result *r, bool invalid)
{
	fprintf(fp, "%lld,", (long long)round);
	field(fp, r->domain);
	fputc(',', fp);
	tags_field(fp, r);
	fputc(',', fp);
	if (!invalid)
		fputs(nh_test_type_name(r->type), fp);
	fputc(',', fp);
}

int
nh_report_scan_csv_header(FILE *fp)
{
	fputs("round,domain,tags,test,category,check,status,points,max,"
	      "message\r\n",
	    fp);
	return ferror(fp) ? -1 : 0;
}

int
nh_report_scan_csv(FILE *fp, int64_t round, const struct nh_store_result *r)
{
	if (r->invalid || r->error != NULL || r->nchecks == 0) {
		lead(fp, round, r, r->invalid);
		fputs(",,", fp);
		fputs(r->invalid           ? "invalid"
			: r->error != NULL ? "error"
					   : "not_tested",
		    fp);
		fputs(",,,", fp);
		field(fp, r->error);
		fputs("\r\n", fp);
		return ferror(fp) ? -1 : 0;
	}
	for (size_t i = 0; i < r->nchecks; i++) {
		const struct nh_store_check *c = &r->checks[i];

		lead(fp, round, r, false);
		field(fp, c->category);
		fputc(',', fp);
		field(fp, c->id);
		fprintf(fp, ",%s,%d,%d,", nh_status_name(c->status), c->points,
		    c->max);
		field(fp, c->message);
		fputs("\r\n", fp);
	}
	return ferror(fp) ? -1 : 0;
}
