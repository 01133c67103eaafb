/*
 * page_json.c: JSON (evidence, technical details) as HTML for people:
 * pretty-printed in <pre>, or nested into definition lists and tables.
 * Every key and string is escaped; depth and table width are capped, and
 * past the caps the value is shown pretty-printed.
 */
#include <stdlib.h>
#include <string.h>

#include "page_impl.h"

#define JSON_MAX_DEPTH 6    /* nesting shown as lists and tables */
#define JSON_MAX_COLUMNS 10 /* wider arrays of objects are lists */

int
page_json_pre(FILE *fp, const json_t *v)
{
	char *text;

	if (v == NULL)
		return 0;
	text = json_dumps(
	    v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	if (text == NULL)
		return -1;
	fputs("<pre class=\"json\">", fp);
	page_esc(fp, text);
	fputs("</pre>\n", fp);
	free(text);
	return 0;
}

static bool
is_scalar(const json_t *v)
{
	return !json_is_object(v) && !json_is_array(v);
}

/* An array of scalars only (empty included). */
static bool
is_flat_array(const json_t *v)
{
	size_t i;
	json_t *e;

	if (!json_is_array(v))
		return false;
	json_array_foreach(v, i, e)
	{
		if (!is_scalar(e))
			return false;
	}
	return true;
}

static void
scalar(FILE *fp, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (json_string_length(v) == 0)
			fputs("<span class=\"none\">(empty)</span>", fp);
		else
			page_esc(fp, json_string_value(v));
		break;
	case JSON_INTEGER:
		fprintf(fp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		fprintf(fp, "%g", json_real_value(v));
		break;
	case JSON_TRUE:
		fputs("yes", fp);
		break;
	case JSON_FALSE:
		fputs("no", fp);
		break;
	default:
		fputs("<span class=\"none\">-</span>", fp);
	}
}

/* Scalars and arrays of scalars on one line. */
static void
inline_value(FILE *fp, const json_t *v)
{
	size_t i;
	json_t *e;

	if (is_scalar(v)) {
		scalar(fp, v);
		return;
	}
	if (json_array_size(v) == 0) {
		fputs("<span class=\"none\">none</span>", fp);
		return;
	}
	json_array_foreach(v, i, e)
	{
		fputs(i > 0 ? ", " : "", fp);
		scalar(fp, e);
	}
}

void
page_key_words(FILE *fp, const char *key)
{
	char *words = strdup(key);

	if (words == NULL) {
		page_esc(fp, key);
		return;
	}
	for (char *p = words; *p != '\0'; p++) {
		if (*p == '_')
			*p = ' ';
	}
	page_esc(fp, words);
	free(words);
}

/*
 * The columns of an array of objects whose values are all scalars or
 * arrays of scalars: the keys in the order first seen. Returns the number
 * of columns, or 0 when the array is not such a table (or is wider than
 * JSON_MAX_COLUMNS).
 */
static size_t
table_columns(const json_t *v, const char *cols[JSON_MAX_COLUMNS])
{
	size_t i, n = 0;
	json_t *row;

	if (!json_is_array(v) || json_array_size(v) == 0)
		return 0;
	json_array_foreach(v, i, row)
	{
		const char *k;
		json_t *cell;

		if (!json_is_object(row))
			return 0;
		json_object_foreach(row, k, cell)
		{
			size_t c;

			if (!is_scalar(cell) && !is_flat_array(cell))
				return 0;
			for (c = 0; c < n && strcmp(cols[c], k) != 0; c++)
				;
			if (c < n)
				continue;
			if (n == JSON_MAX_COLUMNS)
				return 0;
			cols[n++] = k;
		}
	}
	return n;
}

static void
table(FILE *fp, const json_t *v, const char *const *cols, size_t ncols,
    const char *label)
{
	size_t i;
	json_t *row;

	fputs("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" "
	      "aria-label=\"",
	    fp);
	page_key_words(fp, label);
	fputs("\">\n<table>\n<thead><tr>", fp);
	for (size_t c = 0; c < ncols; c++) {
		fputs("<th scope=\"col\">", fp);
		page_key_words(fp, cols[c]);
		fputs("</th>", fp);
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
	json_array_foreach(v, i, row)
	{
		fputs("<tr>", fp);
		for (size_t c = 0; c < ncols; c++) {
			json_t *cell = json_object_get(row, cols[c]);

			fputs("<td>", fp);
			if (cell != NULL)
				inline_value(fp, cell);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n</div>\n", fp);
}

static int
value(FILE *fp, const json_t *v, const char *label, int depth)
{
	const char *cols[JSON_MAX_COLUMNS];
	size_t ncols, i;
	const char *k;
	json_t *e;

	if (is_scalar(v) || is_flat_array(v)) {
		inline_value(fp, v);
		return 0;
	}
	if (depth >= JSON_MAX_DEPTH)
		return page_json_pre(fp, v);
	if (json_is_object(v)) {
		if (json_object_size(v) == 0) {
			fputs("<span class=\"none\">none</span>", fp);
			return 0;
		}
		fputs("<dl class=\"kv\">\n", fp);
		json_object_foreach((json_t *)v, k, e)
		{
			fputs("<dt>", fp);
			page_key_words(fp, k);
			fputs("</dt>\n<dd>", fp);
			if (value(fp, e, k, depth + 1) != 0)
				return -1;
			fputs("</dd>\n", fp);
		}
		fputs("</dl>\n", fp);
		return 0;
	}
	ncols = table_columns(v, cols);
	if (ncols > 0) {
		table(fp, v, cols, ncols, label);
		return 0;
	}
	fputs("<ol class=\"items\">\n", fp);
	json_array_foreach(v, i, e)
	{
		fputs("<li>", fp);
		if (value(fp, e, label, depth + 1) != 0)
			return -1;
		fputs("</li>\n", fp);
	}
	fputs("</ol>\n", fp);
	return 0;
}

int
page_json_html(FILE *fp, const json_t *v, const char *label)
{
	if (v == NULL)
		return 0;
	return value(fp, v, label != NULL ? label : "details", 0);
}
