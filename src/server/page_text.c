/*
 * page_text.c: the catalog's texts as HTML. A text is written as in
 * data/catalog/ (FORMAT.md): prose wrapped at about 78 columns, lists
 * ("1. ", "- ") whose items continue indented by the marker's width, and
 * indented lines for commands and configuration. Prose is joined into
 * paragraphs and list items so that it wraps on a phone; indented lines
 * keep their lines and spaces in <pre>.
 */
#include <stdlib.h>
#include <string.h>

#include "page_impl.h"

enum block {
	B_NONE,
	B_PARA,     /* <p> open */
	B_PRE,      /* <pre> open */
	B_ITEM,     /* <ol>/<ul> and <li> open */
	B_ITEM_PRE, /* <pre> open inside the <li> */
};

struct text_out {
	FILE *fp;
	enum block b;
	char list;   /* 'o' or 'u' while a list is open */
	size_t hang; /* item continuation indent: the marker's width */
};

/* The width of a list marker at the start of s ("1. ", "12. ", "- ",
 * "* "), or 0; *num is the item's number (0 for bullets). */
static size_t
list_marker(const char *s, unsigned *num)
{
	size_t i = 0;

	*num = 0;
	if ((s[0] == '-' || s[0] == '*') && s[1] == ' ')
		return 2;
	while (i < 3 && s[i] >= '0' && s[i] <= '9') {
		*num = *num * 10 + (unsigned)(s[i] - '0');
		i++;
	}
	if (i == 0 || s[i] != '.' || s[i + 1] != ' ')
		return 0;
	return i + 2;
}

static void
close_all(struct text_out *o)
{
	switch (o->b) {
	case B_NONE:
		break;
	case B_PARA:
		fputs("</p>\n", o->fp);
		break;
	case B_PRE:
		fputs("</pre>\n", o->fp);
		break;
	case B_ITEM_PRE:
		fputs("</pre>", o->fp);
		/* fall through */
	case B_ITEM:
		fprintf(o->fp, "</li>\n</%cl>\n", o->list);
		break;
	}
	o->b = B_NONE;
}

static size_t
spaces(const char *s)
{
	size_t n = 0;

	while (s[n] == ' ')
		n++;
	return n;
}

/* One line of the text (NUL-terminated, no line end). */
static void
text_line(struct text_out *o, const char *line)
{
	size_t indent = spaces(line), mark;
	const char *rest = line + indent;
	bool in_item = o->b == B_ITEM || o->b == B_ITEM_PRE;
	unsigned num;

	if (*rest == '\0') {
		close_all(o);
		return;
	}
	mark = indent == 0 ? list_marker(rest, &num) : 0;
	if (mark > 0) {
		char kind = num > 0 ? 'o' : 'u';

		if (in_item && kind == o->list) {
			fputs(o->b == B_ITEM_PRE ? "</pre></li>\n" : "</li>\n",
			    o->fp);
		} else {
			close_all(o);
			if (num > 1)
				fprintf(o->fp, "<ol start=\"%u\">\n", num);
			else
				fprintf(o->fp, "<%cl>\n", kind);
			o->list = kind;
		}
		fputs("<li>", o->fp);
		page_esc(o->fp, rest + mark);
		o->b = B_ITEM;
		o->hang = mark;
		return;
	}
	if (indent == 0) {
		if (o->b == B_PARA) {
			fputc(' ', o->fp);
		} else {
			close_all(o);
			fputs("<p>", o->fp);
			o->b = B_PARA;
		}
		page_esc(o->fp, line);
		return;
	}
	if (in_item && indent == o->hang) {
		/* The item's prose goes on (after its code, if any). */
		fputs(o->b == B_ITEM_PRE ? "</pre>\n" : " ", o->fp);
		o->b = B_ITEM;
		page_esc(o->fp, rest);
		return;
	}
	if (in_item && indent > o->hang) {
		fputs(o->b == B_ITEM_PRE ? "\n" : "<pre>", o->fp);
		o->b = B_ITEM_PRE;
		page_esc(o->fp, line + o->hang);
		return;
	}
	/* Commands and configuration, two spaces in from the prose. */
	if (o->b == B_PRE) {
		fputc('\n', o->fp);
	} else {
		close_all(o);
		fputs("<pre>", o->fp);
		o->b = B_PRE;
	}
	page_esc(o->fp, line + (indent < 2 ? indent : 2));
}

void
page_text(FILE *fp, const char *text)
{
	struct text_out o = { .fp = fp, .b = B_NONE };
	char *copy, *line, *end;

	if (text == NULL)
		return;
	copy = strdup(text);
	if (copy == NULL) {
		/* Out of memory: the text still shows, as one paragraph. */
		fputs("<p>", fp);
		page_esc(fp, text);
		fputs("</p>\n", fp);
		return;
	}
	for (line = copy; line != NULL; line = end) {
		end = strchr(line, '\n');
		if (end != NULL)
			*end++ = '\0';
		text_line(&o, line);
	}
	close_all(&o);
	free(copy);
}

/* Writes one reference; "RFC N" (and a section after it) links to the
 * RFC Editor. */
static void
ref_item(FILE *fp, const char *ref)
{
	size_t n = 0, sec = 0, seclen = 0;
	const char *p;

	if (strncmp(ref, "RFC ", 4) == 0) {
		while (n < 5 && ref[4 + n] >= '0' && ref[4 + n] <= '9')
			n++;
	}
	if (n == 0 || (ref[4 + n] >= '0' && ref[4 + n] <= '9')) {
		page_esc(fp, ref);
		return;
	}
	p = ref + 4 + n;
	/* " §3.1", " §E.5": U+00A7 is 0xc2 0xa7 in UTF-8. */
	if (strncmp(p, " \xc2\xa7", 3) == 0) {
		sec = 3;
		while ((p[sec + seclen] >= '0' && p[sec + seclen] <= '9') ||
		    (p[sec + seclen] >= 'A' && p[sec + seclen] <= 'Z') ||
		    p[sec + seclen] == '.')
			seclen++;
		while (seclen > 0 && p[sec + seclen - 1] == '.')
			seclen--;
	}
	fprintf(fp, "<a href=\"https://www.rfc-editor.org/rfc/rfc%.*s", (int)n,
	    ref + 4);
	if (seclen > 0)
		fprintf(fp, "#%s-%.*s",
		    p[sec] >= 'A' && p[sec] <= 'Z' ? "appendix" : "section",
		    (int)seclen, p + sec);
	/* Checked above: digits, capitals and dots only. */
	fprintf(fp, "\">RFC %.*s", (int)n, ref + 4);
	if (seclen > 0)
		fprintf(fp, " &sect;%.*s", (int)seclen, p + sec);
	fputs("</a>", fp);
	page_esc(fp, p + (seclen > 0 ? sec + seclen : 0));
}

void
page_refs(FILE *fp, const char *refs)
{
	char *copy, *ref, *next;

	if (refs == NULL || *refs == '\0')
		return;
	copy = strdup(refs);
	if (copy == NULL) {
		fputs("<p>", fp);
		page_esc(fp, refs);
		fputs("</p>\n", fp);
		return;
	}
	fputs("<ul class=\"refs\">\n", fp);
	for (ref = copy; ref != NULL; ref = next) {
		next = strstr(ref, "; ");
		if (next != NULL) {
			*next = '\0';
			next += 2;
		}
		if (*ref == '\0')
			continue;
		fputs("<li>", fp);
		ref_item(fp, ref);
		fputs("</li>\n", fp);
	}
	fputs("</ul>\n", fp);
	free(copy);
}

static const struct {
	const char *id, *words;
} stakeholders[] = {
	{ "domain-owner", "Domain owner" },
	{ "web-hoster", "Web hoster" },
	{ "mail-hoster", "Mail hoster" },
	{ "dns-operator", "DNS operator" },
	{ "registrar", "Registrar" },
	{ "network-operator", "Network operator" },
	{ "software-vendor", "Software vendor" },
	{ "government", "Government" },
};

void
page_stakeholders(FILE *fp, const char *list)
{
	const char *p = list;

	if (list == NULL)
		return;
	fputs("<ul class=\"tags\">\n", fp);
	for (p += strspn(p, ", "); *p != '\0'; p += strspn(p, ", ")) {
		size_t len = strcspn(p, ","), i;
		const char *words = NULL;

		for (i = 0; i < sizeof(stakeholders) / sizeof(stakeholders[0]);
		     i++) {
			if (strlen(stakeholders[i].id) == len &&
			    strncmp(stakeholders[i].id, p, len) == 0)
				words = stakeholders[i].words;
		}
		fputs("<li>", fp);
		if (words != NULL) {
			fputs(words, fp);
		} else {
			char *one = strndup(p, len);

			page_esc(fp, one != NULL ? one : "?");
			free(one);
		}
		fputs("</li>\n", fp);
		p += len;
	}
	fputs("</ul>\n", fp);
}

void
page_catalog_entry(FILE *fp, const struct nh_text *t, int level)
{
	if (t == NULL)
		return;
	fprintf(fp, "<h%d>What it means</h%d>\n", level, level);
	page_text(fp, t->means);
	fprintf(fp, "<h%d>Why it matters</h%d>\n", level, level);
	page_text(fp, t->why);
	fprintf(fp, "<h%d>How to fix it</h%d>\n", level, level);
	page_text(fp, t->fix);
	if (t->stakeholder != NULL && *t->stakeholder != '\0') {
		fprintf(fp, "<h%d>Who must act</h%d>\n", level, level);
		page_stakeholders(fp, t->stakeholder);
	}
	if (t->refs != NULL && *t->refs != '\0') {
		fprintf(fp, "<h%d>Standards</h%d>\n", level, level);
		page_refs(fp, t->refs);
	}
}
