/*
 * dump.c: a round's content as canonical text, so that two scans of the
 * same list compare with diff(1): no ids, no times, no durations, no
 * facts, and everything in a fixed order.
 *
 *   target "good.test" tags=["gov","nl"]
 *   invalid line=7 input="bad..test" error="empty label" tags=[]
 *   test "good.test" web score=100 error=null
 *   category "good.test" web "web_ipv6" passed score=100
 *   check "good.test" web "web_ipv6_ns_address" category="web_ipv6"
 *       passed points=0/0 message=null evidence={"servers":[...]}
 *
 * (a check is one line). Targets by domain, then invalid lines by line
 * number, then tests by domain and type (web first); within a test, its
 * category lines then its check lines, each sorted. Tags are sorted.
 * Strings are quoted as in JSON (bytes outside ASCII as they are);
 * evidence is compact JSON with sorted keys, its per-server findings
 * sorted too: the order servers were met in is not part of a verdict;
 * measured times (members "ms") are left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

/* Writes text as a JSON string, or null. */
static void
quote(FILE *fp, const char *text)
{
	if (text == NULL) {
		fputs("null", fp);
		return;
	}
	putc('"', fp);
	for (const unsigned char *p = (const unsigned char *)text; *p != '\0';
	     p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\u%04x", *p);
		else
			putc(*p, fp);
	}
	putc('"', fp);
}

static void
score(FILE *fp, int sc)
{
	if (sc < 0)
		fputs("null", fp);
	else
		fprintf(fp, "%d", sc);
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A JSON value and its canonical text, to sort by. */
struct item {
	char *key;
	json_t *v;
};

static int
item_cmp(const void *a, const void *b)
{
	return strcmp(
	    ((const struct item *)a)->key, ((const struct item *)b)->key);
}

/* Puts the elements of an array in the order of their canonical text. */
static int
sort_array(json_t *arr)
{
	struct item *it;
	size_t n = json_array_size(arr), i;
	int rc = -1;

	if (n < 2)
		return 0;
	if ((it = calloc(n, sizeof(*it))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		it[i].v = json_incref(json_array_get(arr, i));
		it[i].key = json_dumps(
		    it[i].v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		if (it[i].key == NULL)
			goto out;
	}
	qsort(it, n, sizeof(*it), item_cmp);
	if (json_array_clear(arr) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (json_array_append(arr, it[i].v) == -1)
			goto out;
	}
	rc = 0;
out:
	for (i = 0; i < n; i++) {
		free(it[i].key);
		json_decref(it[i].v);
	}
	free(it);
	return rc;
}

/* Removes measured times (members "ms", anywhere): they differ from one
 * scan to the next and decide no verdict. */
static void
drop_times(json_t *v)
{
	const char *k;
	json_t *m;
	void *tmp;
	size_t i;

	if (json_is_object(v)) {
		json_object_del(v, "ms");
		json_object_foreach_safe(v, tmp, k, m) drop_times(m);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, m) drop_times(m);
	}
}

/*
 * The canonical text of an evidence column into *out (caller frees), or
 * NULL when it is not JSON (it is then written as a string). Returns 0,
 * or -1 on allocation failure.
 */
static int
evidence_canonical(const char *text, char **out)
{
	json_t *o;
	int rc = -1;

	*out = NULL;
	if ((o = json_loads(text, 0, NULL)) == NULL)
		return 0;
	drop_times(o);
	if (sort_array(json_object_get(o, "servers")) == 0 &&
	    (*out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS)) != NULL)
		rc = 0;
	json_decref(o);
	return rc;
}

/* What the walk's callback needs. */
struct dump {
	FILE *fp;
	bool oom;
	char **lines; /* one test's category and check lines, to sort */
	size_t n, cap;
};

/* Appends a finished line (taken over) to d->lines. */
static int
line_add(struct dump *d, char *line)
{
	char **a;

	if (d->n == d->cap) {
		size_t cap = d->cap > 0 ? d->cap * 2 : 64;

		if ((a = reallocarray(d->lines, cap, sizeof(*a))) == NULL) {
			free(line);
			return -1;
		}
		d->lines = a;
		d->cap = cap;
	}
	d->lines[d->n++] = line;
	return 0;
}

static int
category_line(struct dump *d, const struct nh_store_result *r,
    const struct nh_store_category *c)
{
	char *buf = NULL;
	size_t len;
	FILE *fp;

	if ((fp = open_memstream(&buf, &len)) == NULL)
		return -1;
	fputs("category ", fp);
	quote(fp, r->domain);
	fprintf(fp, " %s ", nh_test_type_name(r->type));
	quote(fp, c->id);
	fprintf(fp, " %s score=", nh_status_name(c->status));
	score(fp, c->score);
	if (ferror(fp) | fclose(fp)) {
		free(buf);
		return -1;
	}
	return line_add(d, buf);
}

static int
check_line(struct dump *d, const struct nh_store_result *r,
    const struct nh_store_check *c)
{
	char *buf = NULL, *ev = NULL;
	size_t len;
	FILE *fp;

	if (c->evidence != NULL && evidence_canonical(c->evidence, &ev) == -1)
		return -1;
	if ((fp = open_memstream(&buf, &len)) == NULL) {
		free(ev);
		return -1;
	}
	fputs("check ", fp);
	quote(fp, r->domain);
	fprintf(fp, " %s ", nh_test_type_name(r->type));
	quote(fp, c->id);
	fputs(" category=", fp);
	quote(fp, c->category);
	fprintf(fp, " %s points=%d/%d message=", nh_status_name(c->status),
	    c->points, c->max);
	quote(fp, c->message);
	fputs(" evidence=", fp);
	if (ev != NULL)
		fputs(ev, fp);
	else
		quote(fp, c->evidence);
	free(ev);
	if (ferror(fp) | fclose(fp)) {
		free(buf);
		return -1;
	}
	return line_add(d, buf);
}

static int
dump_result(const struct nh_store_result *r, const char *facts, void *arg)
{
	struct dump *d = arg;
	int rc = 0;

	(void)facts;
	if (r->invalid)
		return 0; /* written with the targets, with their line */
	fputs("test ", d->fp);
	quote(d->fp, r->domain);
	fprintf(d->fp, " %s score=", nh_test_type_name(r->type));
	score(d->fp, r->score);
	fputs(" error=", d->fp);
	quote(d->fp, r->error);
	putc('\n', d->fp);
	for (size_t i = 0; i < r->ncategories && rc == 0; i++)
		rc = category_line(d, r, &r->categories[i]);
	for (size_t i = 0; i < r->nchecks && rc == 0; i++)
		rc = check_line(d, r, &r->checks[i]);
	if (rc == 0) {
		qsort(d->lines, d->n, sizeof(*d->lines), strp_cmp);
		for (size_t i = 0; i < d->n; i++)
			fprintf(d->fp, "%s\n", d->lines[i]);
	}
	for (size_t i = 0; i < d->n; i++)
		free(d->lines[i]);
	d->n = 0;
	if (rc == -1)
		d->oom = true;
	return rc;
}

/* Writes a target's tags, sorted: tags=[...]. */
static int
dump_tags(struct nh_store *s, FILE *fp, int64_t target)
{
	sqlite3_stmt *st;
	const char *tag;
	int rc = -1, n = 0;

	st = store_stmt(s, ST_DUMP_TAGS,
	    "SELECT tag FROM target_tags WHERE target = ?1 ORDER BY tag");
	if (st == NULL || store_bind(s, st, "I", target) == -1)
		goto out;
	fputs(" tags=[", fp);
	while ((rc = store_step(s, st)) == SQLITE_ROW) {
		if ((rc = store_col_text(s, st, 0, &tag)) == -1)
			break;
		if (n++ > 0)
			putc(',', fp);
		quote(fp, tag);
	}
	putc(']', fp);
out:
	store_done(st);
	return rc == -1 ? -1 : 0;
}

/* The target and invalid lines. */
static int
dump_targets(struct nh_store *s, int64_t round, FILE *fp)
{
	sqlite3_stmt *st;
	const char *input, *domain, *error;
	int rc = -1;

	st = store_stmt(s, ST_DUMP_TARGETS,
	    "SELECT id, line, input, domain, error FROM targets"
	    " WHERE round = ?1 ORDER BY domain IS NULL, domain, line, pos");
	if (st == NULL || store_bind(s, st, "I", round) == -1)
		goto out;
	while ((rc = store_step(s, st)) == SQLITE_ROW) {
		if ((rc = store_col_text(s, st, 2, &input)) == -1 ||
		    (rc = store_col_text(s, st, 3, &domain)) == -1 ||
		    (rc = store_col_text(s, st, 4, &error)) == -1)
			break;
		if (domain != NULL) {
			fputs("target ", fp);
			quote(fp, domain);
		} else {
			fprintf(fp, "invalid line=%lld input=",
			    (long long)sqlite3_column_int64(st, 1));
			quote(fp, input);
			fputs(" error=", fp);
			quote(fp, error);
		}
		if ((rc = dump_tags(s, fp, sqlite3_column_int64(st, 0))) == -1)
			break;
		putc('\n', fp);
	}
out:
	store_done(st);
	return rc == -1 ? -1 : 0;
}

int
nh_store_dump(struct nh_store *s, int64_t round, FILE *fp)
{
	struct dump d;
	int rc;

	memset(&d, 0, sizeof(d));
	d.fp = fp;
	if (store_round_exists(s, round) != 1 ||
	    dump_targets(s, round, fp) == -1)
		goto fail;
	rc = nh_store_each_result(s, round, false, dump_result, &d);
	free(d.lines);
	if (rc == -1) {
		if (d.oom)
			store_fail(s, "out of memory");
		goto fail;
	}
	if (ferror(fp)) {
		store_fail(s, "write error");
		goto fail;
	}
	return 0;
fail:
	return store_context(s, "cannot dump round %lld", (long long)round);
}
