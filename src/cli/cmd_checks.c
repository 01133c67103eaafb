/*
 * cmd_checks.c: "nethealth checks" lists the check table; "nethealth
 * explain ID" prints the catalog text of a check or category.
 */
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "cli.h"

static json_t *
check_json(const struct nh_check_def *d)
{
	const struct nh_category_def *c = nh_check_category(d);

	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:b, s:b, s:s}", "id",
	    d->meta.id, "category", d->meta.category, "test",
	    nh_test_type_name(c->meta.test), "worst_status",
	    nh_status_name(d->meta.worst), "points", d->meta.points, "scored",
	    nh_check_meta_scored(&d->meta), "available", d->fn != NULL, "title",
	    d->text->title);
}

/* Prints a JSON value and a newline; returns an exit code. */
static int
print_json(json_t *v)
{
	int rc = NH_EXIT_OK;

	if (v == NULL || json_dumpf(v, stdout, JSON_INDENT(2)) == -1) {
		fprintf(stderr, "nethealth: out of memory\n");
		rc = NH_EXIT_CANNOT_RUN;
	} else {
		putchar('\n');
	}
	json_decref(v);
	return rc;
}

int
nh_cmd_checks(const struct nh_command *cmd, struct nh_cli_opts *o)
{
	int only = -1;
	json_t *list = NULL;
	size_t shown = 0;

	if (o->nargs == 1) {
		if (strcmp(o->args[0], "web") == 0)
			only = NH_TEST_WEB;
		else if (strcmp(o->args[0], "mail") == 0)
			only = NH_TEST_MAIL;
		else {
			nh_cli_usage_error(
			    cmd, "'%s': expected web or mail", o->args[0]);
			return NH_EXIT_USAGE;
		}
	}
	if (o->json && (list = json_array()) == NULL)
		return print_json(NULL);
	if (!o->json)
		printf("%-40s %-15s %-8s %6s %-9s %s\n", "CHECK", "CATEGORY",
		    "WORST", "POINTS", "AVAILABLE", "TITLE");
	for (size_t i = 0; i < nh_check_count; i++) {
		const struct nh_check_def *d = &nh_check_table[i];

		if (only >= 0 && (int)nh_check_category(d)->meta.test != only)
			continue;
		shown++;
		if (o->json) {
			if (json_array_append_new(list, check_json(d)) == -1) {
				json_decref(list);
				return print_json(NULL);
			}
			continue;
		}
		printf("%-40s %-15s %-8s %6d %-9s %s\n", d->meta.id,
		    d->meta.category, nh_status_name(d->meta.worst),
		    d->meta.points, d->fn != NULL ? "yes" : "not yet",
		    d->text->title);
	}
	if (o->json)
		return print_json(list);
	printf("\n%zu checks. Points count in the score only where the worst "
	       "status is 'failed'.\n",
	    shown);
	return NH_EXIT_OK;
}

/* Prints a heading and an indented block of text. */
static void
section(const char *heading, const char *text, bool color)
{
	const char *p = text;

	printf(color ? "\n\033[1m%s\033[0m\n" : "\n%s\n", heading);
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		printf("  %.*s\n", len, p);
		p += len;
		if (*p == '\n')
			p++;
	}
}

int
nh_cmd_explain(const struct nh_command *cmd, struct nh_cli_opts *o)
{
	const char *id = o->args[0];
	const struct nh_text *t = nh_catalog_get(id);
	const struct nh_check_def *d = nh_check_find(id);
	bool color = nh_term_color(stdout);
	int near = 0;

	if (t == NULL) {
		nh_cli_usage_error(cmd, "no check or category called '%s'", id);
		for (size_t i = 0; i < NH_CATKEY_COUNT && near < 10; i++) {
			if (strstr(nh_catalog_texts[i].key, id) != NULL) {
				fprintf(stderr, "%s  %s\n",
				    near++ ? "" : "Did you mean:\n",
				    nh_catalog_texts[i].key);
			}
		}
		return NH_EXIT_USAGE;
	}
	if (o->json) {
		return print_json(json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, "
					    "s:s, s:s}",
		    "id", t->key, "title", t->title, "means", t->means, "why",
		    t->why, "fix", t->fix, "refs", t->refs, "theme", t->theme,
		    "stakeholder", t->stakeholder));
	}
	printf(color ? "\033[1m%s\033[0m: %s\n" : "%s: %s\n", t->key, t->title);
	if (d != NULL)
		printf("Category %s; worst status %s; %d points%s.\n",
		    d->meta.category, nh_status_name(d->meta.worst),
		    d->meta.points,
		    nh_check_meta_scored(&d->meta) ? "" : " (not scored)");
	section("What it means", t->means, color);
	section("Why it matters", t->why, color);
	section("How to fix it", t->fix, color);
	section("Standards", t->refs, color);
	section("Who must act", t->stakeholder, color);
	section("Theme", t->theme, color);
	return NH_EXIT_OK;
}
