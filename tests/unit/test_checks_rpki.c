/*
 * test_checks_rpki.c: the RPKI checks over facts written by hand: valid,
 * invalid by origin and by length, not found, no ROA, no route, no data;
 * with Internet.nl's points; and the facts through JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/checks.h"

static const struct nh_check_opts std_opts = { false };

/* Adds an address of a role with its covering VRPs and one route of a
 * state ("" for none). */
static void
add(struct nh_facts *f, const char *ip, enum nh_rpki_role role, size_t vrps,
    const char *state)
{
	struct nh_fact_rpki_addr *a;

	f->rpki.addrs =
	    realloc(f->rpki.addrs, (f->rpki.naddrs + 1) * sizeof(*a));
	a = &f->rpki.addrs[f->rpki.naddrs++];
	memset(a, 0, sizeof(*a));
	strcpy(a->ip, ip);
	a->role = role;
	a->vrps = vrps;
	if (state[0] != '\0') {
		strcpy(a->routes[0].prefix, "203.0.113.0");
		a->routes[0].len = 24;
		a->routes[0].asn = 64500;
		strcpy(a->routes[0].state, state);
		a->nroutes = 1;
	}
}

static struct nh_facts *
facts(void)
{
	struct nh_facts *f = nh_facts_new("example.test", NH_TEST_WEB);

	assert_non_null(f);
	f->rpki.done = NH_PROBE_OK;
	add(f, "203.0.113.10", NH_RPKI_WEB, 1, "valid");
	add(f, "198.51.100.3", NH_RPKI_NS, 1, "valid");
	return f;
}

static void
expect(const struct nh_facts *f, const char *id, enum nh_status st, int pts,
    int max)
{
	struct nh_test_result *t = nh_checks_evaluate(f->type, f, &std_opts);
	const struct nh_check_result *r;

	assert_non_null(t);
	r = nh_test_result_check(t, id);
	if (r == NULL || r->status != st || r->points != pts || r->max != max)
		fail_msg("%s: %s %d/%d, expected %s %d/%d (%s)", id,
		    r ? nh_status_name(r->status) : "missing",
		    r ? r->points : -1, r ? r->max : -1, nh_status_name(st),
		    pts, max, r && r->message ? r->message : "");
	nh_test_result_free(t);
}

static void
test_states(void **state)
{
	struct nh_facts *f = facts();

	(void)state;
	expect(f, "web_rpki_exists", NH_PASSED, 5, 5);
	expect(f, "web_rpki_valid", NH_PASSED, 10, 10);
	expect(f, "web_ns_rpki_valid", NH_PASSED, 10, 10);
	strcpy(f->rpki.addrs[0].routes[0].state, "invalid_asn");
	expect(f, "web_rpki_valid", NH_FAILED, 0, 10);
	strcpy(f->rpki.addrs[0].routes[0].state, "invalid_length");
	expect(f, "web_rpki_valid", NH_FAILED, 0, 10);
	strcpy(f->rpki.addrs[0].routes[0].state, "not_found");
	f->rpki.addrs[0].vrps = 0;
	expect(f, "web_rpki_valid", NH_FAILED, 0, 10);
	/* No ROA: Internet.nl's notice, no points. */
	expect(f, "web_rpki_exists", NH_WARNING, 0, 5);
	/* Not announced at all: nothing to validate, full points. */
	f->rpki.addrs[0].nroutes = 0;
	expect(f, "web_rpki_valid", NH_NOT_TESTED, 10, 10);
	nh_facts_free(f);
}

static void
test_no_data(void **state)
{
	struct nh_facts *f = facts();

	(void)state;
	f->rpki.done = NH_PROBE_NOT_DONE;
	f->rpki.why_not = strdup("not tested: no VRP file");
	/* Not applicable: not counted (max 0), never a failure. */
	expect(f, "web_rpki_exists", NH_NOT_TESTED, 0, 0);
	expect(f, "web_rpki_valid", NH_NOT_TESTED, 0, 0);
	nh_facts_free(f);
}

static void
test_json_roundtrip(void **state)
{
	struct nh_facts *f = facts(), *g;
	const char *why = NULL;
	json_t *j, *k;
	char *x, *y;

	(void)state;
	f->rpki.addrs[1].server = strdup("ns1.example.test");
	j = nh_facts_to_json(f);
	assert_non_null(j);
	if ((g = nh_facts_from_json(j, &why)) == NULL)
		fail_msg("from_json: %s", why);
	assert_int_equal(g->rpki.naddrs, 2);
	assert_int_equal(g->rpki.addrs[1].role, NH_RPKI_NS);
	assert_string_equal(g->rpki.addrs[0].routes[0].state, "valid");
	k = nh_facts_to_json(g);
	x = json_dumps(j, JSON_SORT_KEYS);
	y = json_dumps(k, JSON_SORT_KEYS);
	assert_string_equal(x, y);
	free(x);
	free(y);
	json_decref(j);
	json_decref(k);
	nh_facts_free(g);
	nh_facts_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_no_data),
		cmocka_unit_test(test_json_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
