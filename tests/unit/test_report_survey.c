/*
 * test_report_survey.c: the survey report fed made-up records: distinct
 * addresses per service (a repeated address counts once, two spellings of
 * one IPv6 address too, closed answers not at all), the weighted sums, the
 * capped DDoS potential, the ranking, the trends, the renderers (JSON
 * values, CSV rows, HTML escaping) and the report read from a store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "report/report.h"
#include "report/survey_impl.h"

static struct nh_survey_record
rec(const char *ip, enum nh_svc svc, bool open, uint32_t asn, const char *cc)
{
	struct nh_survey_record r;

	memset(&r, 0, sizeof(r));
	r.ts = 1700000000;
	snprintf(r.ip, sizeof(r.ip), "%s", ip);
	r.svc = svc;
	r.port = nh_svc_table[svc].port;
	r.open = open;
	r.amplification = -1;
	r.asn = asn;
	snprintf(r.cc, sizeof(r.cc), "%s", cc);
	snprintf(r.source, sizeof(r.source), "survey");
	return r;
}

static const struct nh_store_round base_round = { .id = 1,
	.key = "survey:a",
	.source = "base",
	.options = "{}",
	.started = "2024-01-01T00:00:00Z",
	.finished = "2024-01-01T01:00:00Z",
	.survey = true };
static const struct nh_store_round cur_round = { .id = 2,
	.key = "survey:b",
	.source = "<script>alert(1)</script> & \"x\"",
	.options = "{}",
	.started = "2024-02-01T00:00:00Z",
	.finished = NULL,
	.survey = true };

/* The made-up rounds, fed and finished (p may be NULL). */
static struct nh_survey_agg *
make(const struct nh_survey_params *p, bool with_base)
{
	struct nh_survey_agg *a = nh_survey_agg_new(p);
	struct nh_survey_record cur[] = {
		rec("192.0.2.1", NH_SVC_DNS, true, 64500, "NL"),
		rec("192.0.2.1", NH_SVC_DNS, true, 64500, "NL"), /* again */
		rec("192.0.2.2", NH_SVC_NTP_MONLIST, true, 64500, "nl"),
		rec("198.51.100.1", NH_SVC_MEMCACHED, true, 64501, "DE"),
		rec("198.51.100.2", NH_SVC_DNS, true, 64501, "DE"),
		rec("203.0.113.1", NH_SVC_SSDP, false, 64502, "US"),
		rec("2001:db8::1", NH_SVC_SNMP, true, 0, ""),
		rec("2001:0db8:0::0001", NH_SVC_SNMP, true, 0, ""),
	};
	struct nh_survey_record base[] = {
		rec("192.0.2.1", NH_SVC_DNS, true, 64500, "NL"),
		rec("192.0.2.3", NH_SVC_DNS, true, 64500, "NL"),
		rec("198.51.100.9", NH_SVC_CHARGEN, true, 64502, "FR"),
	};

	assert_non_null(a);
	assert_int_equal(nh_survey_agg_round(a, &cur_round, false), 0);
	if (with_base)
		assert_int_equal(nh_survey_agg_round(a, &base_round, true), 0);
	for (size_t i = 0; i < sizeof(cur) / sizeof(cur[0]); i++)
		assert_int_equal(nh_survey_agg_add(a, 2, &cur[i]), 0);
	for (size_t i = 0; with_base && i < sizeof(base) / sizeof(base[0]); i++)
		assert_int_equal(nh_survey_agg_add(a, 1, &base[i]), 0);
	assert_int_equal(nh_survey_agg_finish(a), 0);
	return a;
}

static const struct survey_ent *
ent(const struct survey_ents *e, const char *name)
{
	for (size_t i = 0; i < e->n; i++) {
		if (strcmp(e->v[i].name, name) == 0)
			return &e->v[i];
	}
	fail_msg("no entity %s", name);
	return NULL;
}

static void
test_counts(void **state)
{
	struct nh_survey_agg *a = make(NULL, true);
	const struct survey_side *cur = &a->side[SURVEY_CUR];
	const struct survey_side *base = &a->side[SURVEY_BASE];

	(void)state;
	assert_int_equal(cur->count[NH_SVC_DNS], 2);
	assert_int_equal(cur->count[NH_SVC_NTP_MONLIST], 1);
	assert_int_equal(cur->count[NH_SVC_MEMCACHED], 1);
	assert_int_equal(cur->count[NH_SVC_SNMP], 1); /* one IPv6 address */
	assert_int_equal(cur->count[NH_SVC_SSDP], 0); /* closed */
	assert_int_equal(cur->answers[NH_SVC_SSDP], 1);
	assert_int_equal(cur->total, 5);
	assert_int_equal(cur->records, 8);
	assert_int_equal(base->count[NH_SVC_DNS], 2);
	assert_int_equal(base->count[NH_SVC_CHARGEN], 1);
	assert_int_equal(base->total, 3);
	/* Weighted: 2·41 + 556.9 + 10000 + 6.3. */
	assert_float_equal(cur->weighted, 82 + 556.9 + 10000 + 6.3, 1e-6);
	nh_survey_agg_free(a);
}

static void
test_ddos(void **state)
{
	struct nh_survey_params p = { 1000, 100 };
	struct nh_survey_agg *a = make(NULL, true);

	(void)state;
	/* Defaults: US 4910, DS 10: DNS 410, monlist capped at 4910,
	 * memcached capped at 4910, SNMP 63. */
	assert_float_equal(a->p.upstream_kbps, 4910, 1e-9);
	assert_float_equal(a->p.request_kbps, 10, 1e-9);
	assert_float_equal(survey_device_kbps(a, NH_SVC_DNS), 410, 1e-9);
	assert_float_equal(
	    survey_device_kbps(a, NH_SVC_NTP_MONLIST), 4910, 1e-9);
	assert_float_equal(survey_device_kbps(a, NH_SVC_SNMP), 63, 1e-9);
	assert_float_equal(
	    a->side[SURVEY_CUR].ddos_kbps, 2 * 410 + 4910 + 4910 + 63, 1e-6);
	assert_float_equal(
	    ent(&a->cc, "NL")->ddos_kbps[SURVEY_CUR], 410 + 4910, 1e-6);
	nh_survey_agg_free(a);

	/* Other parameters: US 1000, DS 100: DNS capped, SNMP 630. */
	a = make(&p, false);
	assert_float_equal(survey_device_kbps(a, NH_SVC_DNS), 1000, 1e-9);
	assert_float_equal(survey_device_kbps(a, NH_SVC_SNMP), 630, 1e-9);
	assert_float_equal(
	    a->side[SURVEY_CUR].ddos_kbps, 2 * 1000 + 1000 + 1000 + 630, 1e-6);
	nh_survey_agg_free(a);
}

static void
test_rank_trend(void **state)
{
	struct nh_survey_agg *a = make(NULL, true);
	const struct survey_ent *nl, *de, *unk, *fr;

	(void)state;
	nl = ent(&a->cc, "NL"); /* "nl" folded into "NL" */
	de = ent(&a->cc, "DE");
	unk = ent(&a->cc, SURVEY_UNKNOWN);
	fr = ent(&a->cc, "FR");
	assert_int_equal(a->cc.n, 4); /* US: closed only, not an entity */
	assert_float_equal(nl->weighted[SURVEY_CUR], 41 + 556.9, 1e-6);
	assert_float_equal(de->weighted[SURVEY_CUR], 41 + 10000, 1e-6);
	assert_float_equal(unk->weighted[SURVEY_CUR], 6.3, 1e-6);
	/* Worst first; FR has none left: unranked, last. */
	assert_ptr_equal(a->cc.order[0], de);
	assert_ptr_equal(a->cc.order[1], nl);
	assert_ptr_equal(a->cc.order[2], unk);
	assert_ptr_equal(a->cc.order[3], fr);
	assert_int_equal(de->rank, 1);
	assert_int_equal(nl->rank, 2);
	assert_int_equal(unk->rank, 3);
	assert_int_equal(fr->rank, 0);
	/* Trends: NL's DNS 2 -> 1, FR's CHARGEN 1 -> 0. */
	assert_int_equal(nl->count[SURVEY_BASE][NH_SVC_DNS], 2);
	assert_int_equal(nl->count[SURVEY_CUR][NH_SVC_DNS], 1);
	assert_float_equal(nl->weighted[SURVEY_BASE], 82, 1e-6);
	assert_int_equal(fr->count[SURVEY_BASE][NH_SVC_CHARGEN], 1);
	assert_int_equal(fr->total[SURVEY_CUR], 0);
	/* ASes. */
	assert_int_equal(ent(&a->as, "AS64501")->rank, 1);
	assert_int_equal(ent(&a->as, "AS64500")->rank, 2);
	assert_int_equal(ent(&a->as, "AS64500")->asn, 64500);
	assert_int_equal(ent(&a->as, SURVEY_UNKNOWN)->rank, 3);
	assert_int_equal(ent(&a->as, "AS64502")->rank, 0);
	nh_survey_agg_free(a);
}

static void
test_refused(void **state)
{
	struct nh_survey_agg *a = nh_survey_agg_new(NULL);
	struct nh_survey_record r = rec("192.0.2.1", NH_SVC_DNS, true, 1, "NL");

	(void)state;
	assert_int_equal(nh_survey_agg_round(a, &cur_round, false), 0);
	assert_int_equal(nh_survey_agg_round(a, &cur_round, false), -1);
	assert_int_equal(nh_survey_agg_round(a, &cur_round, true), -1);
	assert_int_equal(nh_survey_agg_add(a, 7, &r), -1); /* undeclared */
	r.svc = NH_SVC_COUNT;
	assert_int_equal(nh_survey_agg_add(a, 2, &r), -1);
	r.svc = NH_SVC_DNS;
	assert_int_equal(nh_survey_agg_finish(a), 0);
	assert_int_equal(nh_survey_agg_add(a, 2, &r), -1); /* finished */
	nh_survey_agg_free(a);
	nh_survey_agg_free(NULL);
}

/* Renders with fn into a string (caller frees). */
static char *
render(struct nh_survey_agg *a, int which)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct nh_report_opts o = { 0 };
	int rc;

	assert_non_null(fp);
	switch (which) {
	case 0:
		rc = nh_report_survey_text(fp, a, &o);
		break;
	case 1:
		rc = nh_report_survey_json(fp, a);
		break;
	case 2:
		rc = nh_report_survey_csv(fp, a);
		break;
	default:
		rc = nh_report_survey_html(fp, a);
		break;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static void
test_render(void **state)
{
	struct nh_survey_agg *a = make(NULL, true);
	char *text = render(a, 0), *js = render(a, 1), *csv = render(a, 2),
	     *html = render(a, 3);
	json_t *root, *c0;
	json_error_t je;

	(void)state;
	/* Text: a stored string's characters are printed, the advice
	 * appears for exposed services only. */
	assert_non_null(strstr(text, "Report of survey round 2"));
	assert_non_null(strstr(text, "Compared with survey round 1"));
	assert_non_null(strstr(text, "memcached -U 0"));
	assert_null(strstr(text, "SSDP (UPnP discovery)"));
	assert_non_null(strstr(text, "dns 2 -> 1"));

	/* JSON. */
	root = json_loads(js, 0, &je);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(root, "round"), "id")),
	    2);
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(root, "base_round"), "id")),
	    1);
	c0 = json_array_get(json_object_get(root, "countries"), 0);
	assert_string_equal(
	    json_string_value(json_object_get(c0, "country")), "DE");
	assert_int_equal(json_integer_value(json_object_get(c0, "rank")), 1);
	assert_float_equal(
	    json_real_value(json_object_get(c0, "weighted")), 10041, 1e-6);
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(c0, "counts"), "memcached")),
	    1);
	assert_true(json_is_null(json_object_get(
	    json_array_get(json_object_get(root, "countries"), 3), "rank")));
	assert_non_null(
	    json_object_get(json_object_get(root, "advice"), "ntp-monlist"));
	json_decref(root);

	/* CSV: one row per country/AS and service. */
	assert_non_null(strstr(csv,
	    "round,base_round,scope,entity,rank,service,count,base_count,"
	    "change,weight,weighted,ddos_kbps\r\n"));
	assert_non_null(
	    strstr(csv, "\r\n2,1,all,,,dns,2,2,0,41,82.0,820.0\r\n"));
	assert_non_null(strstr(csv,
	    "\r\n2,1,country,DE,1,memcached,1,0,1,10000,10000.0,4910.0\r\n"));
	assert_non_null(
	    strstr(csv, "\r\n2,1,country,NL,2,dns,1,2,-1,41,41.0,410.0\r\n"));
	assert_non_null(strstr(csv, "\r\n2,1,country,FR,,chargen,0,1,-1,"));
	assert_non_null(
	    strstr(csv, "\r\n2,1,as,AS64500,2,ntp-monlist,1,0,1,556.9,"));
	assert_null(strstr(csv, ",country,US,")); /* closed only */

	/* HTML: the stored source escaped, never raw. */
	assert_non_null(strstr(html, "Content-Security-Policy"));
	assert_null(strstr(html, "<script>"));
	assert_non_null(strstr(
	    html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
	assert_non_null(strstr(html, "memcached -U 0"));
	assert_non_null(strstr(html, "</html>"));

	free(text);
	free(js);
	free(csv);
	free(html);
	nh_survey_agg_free(a);
}

static void
test_no_base(void **state)
{
	struct nh_survey_agg *a = make(NULL, false);
	char *text = render(a, 0), *csv = render(a, 2), *js = render(a, 1);

	(void)state;
	assert_non_null(strstr(text, "No earlier survey round"));
	assert_non_null(strstr(csv, "\r\n2,,all,,,dns,2,,,41,82.0,820.0\r\n"));
	assert_non_null(strstr(js, "\"base_round\": null"));
	free(text);
	free(csv);
	free(js);
	nh_survey_agg_free(a);
}

/* The report read from a store: the latest survey round, compared with
 * the survey round before it, a domain round in between ignored. */
static void
test_from_store(void **state)
{
	char path[64] = "/tmp/nh-survey-XXXXXX", p2[96], err[256];
	struct nh_round_spec spec = { "domains", "gov.txt", "{}", true, false };
	struct nh_survey_record r1 =
	    rec("192.0.2.1", NH_SVC_DNS, true, 1, "NL");
	struct nh_survey_record r2 =
	    rec("192.0.2.2", NH_SVC_NTP, true, 1, "NL");
	struct nh_store *s;
	const char *e = NULL;
	int64_t a, b, c;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	bool resumed;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_non_null(s = nh_store_open(path, &e));
	fp = open_memstream(&buf, &len);
	assert_int_equal(nh_report_survey(fp, s, 0, 0, NH_SURVEY_JSON, NULL,
			     err, sizeof(err)),
	    1);
	assert_non_null(strstr(err, "no survey rounds"));
	a = nh_store_survey_begin(s, "first", NULL);
	b = nh_store_round_begin(s, &spec, &resumed);
	c = nh_store_survey_begin(s, "second", NULL);
	assert_true(a > 0 && b > a && c > b);
	assert_int_equal(nh_store_survey_put(s, a, &r1, 1), 0);
	assert_int_equal(nh_store_survey_put(s, c, &r1, 1), 0);
	assert_int_equal(nh_store_survey_put(s, c, &r2, 1), 0);
	assert_int_equal(nh_report_survey(fp, s, 0, 0, NH_SURVEY_CSV, NULL, err,
			     sizeof(err)),
	    0);
	assert_int_equal(nh_report_survey(fp, s, b, 0, NH_SURVEY_CSV, NULL, err,
			     sizeof(err)),
	    1);
	assert_non_null(strstr(err, "no survey round"));
	assert_int_equal(fclose(fp), 0);
	{
		char want[64];

		snprintf(want, sizeof(want), "\r\n%lld,%lld,all,,,ntp,1,0,1,",
		    (long long)c, (long long)a);
		assert_non_null(strstr(buf, want));
	}
	free(buf);
	nh_store_close(s);
	unlink(path);
	snprintf(p2, sizeof(p2), "%s-wal", path);
	unlink(p2);
	snprintf(p2, sizeof(p2), "%s-shm", path);
	unlink(p2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_ddos),
		cmocka_unit_test(test_rank_trend),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_no_base),
		cmocka_unit_test(test_from_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
