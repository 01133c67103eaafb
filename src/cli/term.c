/*
 * term.c: whether to style terminal output (https://no-color.org).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

bool
nh_term_color(FILE *fp)
{
	const char *nc = getenv("NO_COLOR");

	if (nc != NULL && *nc != '\0')
		return false;
	return isatty(fileno(fp)) == 1;
}

void
nh_term_wrap(FILE *fp, const char *lead, const char *text)
{
	size_t col = strlen(lead);
	const char *p = text;

	fputs(lead, fp);
	while (*p != '\0') {
		size_t w = strcspn(p, " ");

		if (col > 0 && col + 1 + w > 78) {
			fputc('\n', fp);
			col = 0;
		} else if (col > strlen(lead) || (col > 0 && p != text)) {
			fputc(' ', fp);
			col++;
		}
		fprintf(fp, "%.*s", (int)w, p);
		col += w;
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', fp);
}
