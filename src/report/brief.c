/*
 * brief.c: one line per test, for scripts (nethealth web --brief).
 */
#include "report.h"

int
nh_report_brief(FILE *fp, const struct nh_test_result *t)
{
	fprintf(fp, "%s %s ", t->domain, nh_test_type_name(t->type));
	if (t->score >= 0)
		fprintf(fp, "%d", t->score);
	else
		fprintf(fp, "-");
	for (size_t i = 0; i < t->ncategories; i++) {
		const struct nh_category_result *c = &t->categories[i];

		if (c->score >= 0)
			fprintf(fp, " %s=%d", c->meta->id, c->score);
		else
			fprintf(fp, " %s=%s", c->meta->id,
			    nh_status_name(c->status));
	}
	fprintf(fp, " %ldms\n", t->duration_ms);
	return ferror(fp) ? -1 : 0;
}
