/*
 * pages.h: the HTML pages of `nethealth serve`, server-rendered. Internal
 * to src/server/.
 *
 * Every function writes one complete HTML5 document to fp and returns 0,
 * or -1 on a write error. Pages link /static/style.css and
 * /static/app.js and nothing else: no inline script or style, so the
 * site's Content-Security-Policy can forbid both. Everything works
 * without JavaScript; app.js only improves (live progress without a
 * reload, a copy button for the permalink). Every string that came from
 * outside (a domain, a check's message, evidence, header values,
 * certificate names) is HTML-escaped.
 *
 * Stable hooks for tests (ids and names): the form is
 * <form id="test-form" method="post" action="/test"> with
 * <input name="domain" id="domain"> and radio buttons name="type" values
 * "web" and "mail", submit button id="start"; an error message has
 * id="error"; the progress page has id="progress"; the result page has
 * id="score" (the number only), id="verdict", and one
 * <section class="category" id="cat-CATEGORY"> per category holding one
 * <details class="check STATUS" id="check-CHECKID"> per check.
 */
#ifndef NH_SERVER_PAGES_H
#define NH_SERVER_PAGES_H

#include <stdio.h>

#include "server_impl.h"
#include "store/store.h"

/* The home page: the form, prefilled with domain and type (may be NULL),
 * and an error above it when error is not NULL. */
int nh_page_home(
    FILE *fp, const char *domain, const char *type, const char *error);

/* A test still queued or running: what runs, for how long; refreshes
 * itself every 2 s without JavaScript (<meta http-equiv="refresh">). */
int nh_page_progress(FILE *fp, const struct nh_live_view *v);

/* A finished test: the score, a verdict line, each category and check
 * with what it means, why it matters and how to fix it (the catalog),
 * the evidence and the technical details per server and address, the
 * permalink. A test that could not run shows why. */
int nh_page_result(FILE *fp, const struct nh_live_view *v);

/* An error page (404, 400, 429, 500 ...) with the message. */
int nh_page_error(FILE *fp, unsigned status, const char *message);

/* The hall of fame: websites, e-mail, champions (both). */
int nh_page_hof(FILE *fp, const struct nh_hof_entry *e, size_t n);

/* The standards: the index of categories (category NULL), or one
 * category's checks with the catalog's texts and references. Returns 1
 * when the category is unknown (nothing written). */
int nh_page_standards(FILE *fp, const char *category);

/* The scan rounds in the store, newest first, each linking to
 * /rounds/ID. */
int nh_page_rounds(FILE *fp, const struct nh_store_round *r, size_t n);

#endif /* NH_SERVER_PAGES_H */
