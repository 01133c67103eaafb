/*
 * json.c: a test result as JSON, with its facts as the technical details.
 */
#include "report.h"

int
nh_report_json(
    FILE *fp, const struct nh_test_result *t, const struct nh_facts *facts)
{
	json_t *j = nh_test_result_to_json(t), *servers = NULL;
	int rc = -1;

	if (j == NULL)
		return -1;
	if (facts != NULL) {
		if ((servers = nh_facts_to_json(facts)) == NULL ||
		    json_object_set_new(j, "servers", servers) == -1)
			goto out;
	}
	if (json_dumpf(j, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 &&
	    fputc('\n', fp) != EOF)
		rc = 0;
out:
	json_decref(j);
	return rc;
}
