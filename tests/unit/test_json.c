/*
 * test_json.c: a test result as JSON, in DESIGN.md's shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/model.h"

static const struct nh_category_meta cat_tls = { "web_https", NH_TEST_WEB,
	NH_CAT_PER_SERVER, NULL };
static const struct nh_category_meta cat_appsec = { "web_appsecpriv",
	NH_TEST_WEB, 0, NULL };
static const struct nh_check_meta version = { "web_https_tls_version",
	"web_https", NH_FAILED, 10 };
static const struct nh_check_meta xfo = { "web_appsecpriv_x_frame_options",
	"web_appsecpriv", NH_INFO, 0 };

static const char *
str(json_t *o, const char *path1, const char *path2, const char *key)
{
	json_t *v = json_object_get(o, path1);

	if (path2 != NULL)
		v = json_object_get(v, path2);
	v = json_object_get(v, key);
	assert_true(json_is_string(v));
	return json_string_value(v);
}

static void
test_shape(void **state)
{
	struct nh_test_result *t;
	json_t *j, *servers, *c;

	(void)state;
	t = nh_test_result_new("good.test", NH_TEST_WEB, 2, 2);
	assert_non_null(t);
	strcpy(t->started, "2026-11-28T09:00:00Z");
	t->duration_ms = 812;
	t->categories[0].meta = &cat_tls;
	t->categories[1].meta = &cat_appsec;
	nh_check_result_init(&t->checks[0], &version);
	assert_non_null(nh_check_result_add_server(&t->checks[0],
	    "203.0.113.10", NH_PASSED, 10, NULL,
	    json_pack("{s:[s,s]}", "versions", "TLSv1.2", "TLSv1.3")));
	assert_non_null(nh_check_result_add_server(&t->checks[0],
	    "2001:db8:0:2::10", NH_FAILED, 0, "TLS 1.0 offered", NULL));
	nh_check_result_finish(&t->checks[0]);
	nh_check_result_init(&t->checks[1], &xfo);
	assert_int_equal(
	    nh_check_result_set(&t->checks[1], NH_PASSED, 0, "DENY"), 0);
	nh_check_result_finish(&t->checks[1]);
	nh_score(t);

	j = nh_test_result_to_json(t);
	assert_non_null(j);
	assert_string_equal(
	    json_string_value(json_object_get(j, "domain")), "good.test");
	assert_string_equal(
	    json_string_value(json_object_get(j, "type")), "web");
	assert_string_equal(json_string_value(json_object_get(j, "started")),
	    "2026-11-28T09:00:00Z");
	assert_int_equal(
	    json_integer_value(json_object_get(j, "duration_ms")), 812);
	assert_int_equal(json_integer_value(json_object_get(j, "score")), 0);
	assert_string_equal(
	    str(j, "categories", "web_https", "status"), "failed");
	/* A category without a score says null, not 0. */
	assert_true(json_is_null(json_object_get(
	    json_object_get(json_object_get(j, "categories"), "web_appsecpriv"),
	    "score")));
	assert_string_equal(
	    str(j, "checks", "web_https_tls_version", "status"), "failed");
	assert_string_equal(
	    str(j, "checks", "web_https_tls_version", "category"), "web_https");
	assert_string_equal(str(j, "checks", "web_https_tls_version", "advice"),
	    "web_https_tls_version");
	assert_string_equal(
	    str(j, "checks", "web_appsecpriv_x_frame_options", "message"),
	    "DENY");
	c = json_object_get(
	    json_object_get(j, "checks"), "web_https_tls_version");
	servers = json_object_get(c, "servers");
	assert_int_equal(json_array_size(servers), 2);
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(servers, 1), "server")),
	    "2001:db8:0:2::10");
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(servers, 1), "status")),
	    "failed");
	assert_non_null(json_object_get(
	    json_object_get(json_array_get(servers, 0), "evidence"),
	    "versions"));
	assert_true(json_is_object(json_object_get(j, "servers")));
	json_decref(j);
	nh_test_result_free(t);
}

static void
test_no_score(void **state)
{
	struct nh_test_result *t;
	json_t *j;

	(void)state;
	t = nh_test_result_new("x.test", NH_TEST_MAIL, 0, 0);
	assert_non_null(t);
	nh_score(t);
	j = nh_test_result_to_json(t);
	assert_true(json_is_null(json_object_get(j, "score")));
	assert_string_equal(
	    json_string_value(json_object_get(j, "type")), "mail");
	json_decref(j);
	nh_test_result_free(t);
	nh_test_result_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_no_score),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
