/*
 * page_impl.h: what the page_*.c files share: the page frame (head,
 * navigation, footer), the catalog's text as HTML, JSON as readable HTML,
 * and the small words (statuses, test types, times). Internal to the
 * pages; the daemon uses pages.h.
 *
 * Writers write to fp and leave errors in it: each page function checks
 * ferror(fp) once, at its end. Those that can fail otherwise (allocation)
 * return -1. Every string written as text or attribute value goes through
 * nh_html_escape() (report.h), the project's one escape.
 */
#ifndef NH_SERVER_PAGE_IMPL_H
#define NH_SERVER_PAGE_IMPL_H

#include <stdio.h>

#include <jansson.h>

#include "catalog/catalog.h"
#include "model/model.h"

/* The navigation entry a page belongs to (marked aria-current). */
enum page_nav {
	PAGE_NAV_NONE,
	PAGE_NAV_HOME,
	PAGE_NAV_HOF,
	PAGE_NAV_STANDARDS,
	PAGE_NAV_ROUNDS,
};

/* page_head() flags. */
#define PAGE_REFRESH 0x1 /* reload every 2 s (app.js stops it and polls) */

/*
 * Writes the document up to the opening of <main>: doctype, head (the
 * title "TITLE - nethealth", or "TITLE: SUBJECT - nethealth" when subject
 * is not NULL, both escaped; the stylesheet and the deferred script), the
 * skip link, the site header and navigation.
 */
void page_head(FILE *fp, const char *title, const char *subject,
    enum page_nav cur, unsigned flags);

/* Closes <main>, writes the footer (NH_VERSION) and ends the document.
 * Returns 0, or -1 when fp has had a write error. */
int page_foot(FILE *fp);

/* Escaped text (report.h's nh_html_escape()). NULL writes nothing. */
void page_esc(FILE *fp, const char *s);

/* A status from its API name; an unknown or NULL name is NH_ERROR. */
enum nh_status page_status(const char *name);

/* "Passed", "Failed", "Warning", "Info", "Not tested", "Error". */
const char *page_status_word(enum nh_status st);

/* <span class="badge STATUS">Word</span>: the status in words, never
 * colour alone. */
void page_badge(FILE *fp, enum nh_status st);

/* "Website" or "E-mail". */
const char *page_type_label(enum nh_test_type t);

/* <time datetime="T">YYYY-MM-DD HH:MM:SS UTC</time> for an RFC 3339 UTC
 * time, or the text as it is when it has another form; NULL or "" writes
 * "-". */
void page_time(FILE *fp, const char *rfc3339);

/* A catalog text (page_text.c): lines as written in data/catalog/ become
 * paragraphs, numbered or bulleted lists and preformatted blocks (indented
 * lines: commands and configuration). */
void page_text(FILE *fp, const char *text);

/* A catalog "refs" field ("; "-separated) as a list; RFCs link to the
 * RFC Editor. */
void page_refs(FILE *fp, const char *refs);

/* A catalog "stakeholder" field (", "-separated ids) as a list of words. */
void page_stakeholders(FILE *fp, const char *list);

/* The catalog texts of an entry as a definition list: what it means, why
 * it matters, how to fix it, references, who must act (page_text.c). The
 * headings are h`level`. NULL text writes nothing. */
void page_catalog_entry(FILE *fp, const struct nh_text *t, int level);

/* A JSON key in words, escaped: "mapped_ignored" as "mapped ignored". */
void page_key_words(FILE *fp, const char *key);

/* v pretty-printed (2-space indent) and escaped inside <pre class="json">
 * (page_json.c). Returns 0, or -1 on allocation failure. */
int page_json_pre(FILE *fp, const json_t *v);

/*
 * v as nested HTML for people (page_json.c): objects as definition lists,
 * arrays of flat objects as tables, other arrays as lists, keys in words.
 * Deeper than a few levels it falls back to page_json_pre(). label names
 * the value (a table's scroll region). Returns 0, or -1 on allocation
 * failure.
 */
int page_json_html(FILE *fp, const json_t *v, const char *label);

#endif /* NH_SERVER_PAGE_IMPL_H */
