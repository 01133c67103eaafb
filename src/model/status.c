/*
 * status.c: the status set, its order, names, and clamping to a check's
 * worst status.
 */
#include <string.h>

#include "model.h"

static const char *const status_names[NH_STATUS_COUNT] = {
	[NH_ERROR] = "error",
	[NH_FAILED] = "failed",
	[NH_WARNING] = "warning",
	[NH_INFO] = "info",
	[NH_NOT_TESTED] = "not_tested",
	[NH_PASSED] = "passed",
};

const char *
nh_status_name(enum nh_status st)
{
	if ((unsigned)st >= NH_STATUS_COUNT)
		return "error";
	return status_names[st];
}

int
nh_status_parse(const char *name, enum nh_status *out)
{
	for (int i = 0; i < NH_STATUS_COUNT; i++) {
		if (strcmp(name, status_names[i]) == 0) {
			*out = (enum nh_status)i;
			return 0;
		}
	}
	return -1;
}

enum nh_status
nh_status_worse(enum nh_status a, enum nh_status b)
{
	return a < b ? a : b;
}

enum nh_status
nh_status_clamp(enum nh_status requested, enum nh_status worst)
{
	if (requested == NH_ERROR)
		return NH_ERROR;
	if (requested < worst)
		return worst;
	return requested;
}

const char *
nh_test_type_name(enum nh_test_type t)
{
	return t == NH_TEST_MAIL ? "mail" : "web";
}

bool
nh_check_meta_scored(const struct nh_check_meta *m)
{
	return m->worst == NH_FAILED && m->points > 0;
}
