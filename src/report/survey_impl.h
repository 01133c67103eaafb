/*
 * survey_impl.h: internal to src/report/: the aggregate of survey rounds
 * that survey_agg.c builds and the survey renderers (survey_text.c,
 * survey_json.c, survey_csv.c, survey_html.c) read. Others use report.h.
 *
 * Vocabulary:
 *   side    SURVEY_CUR (the round reported on) or SURVEY_BASE (the
 *           previous survey round, for trends).
 *   device  a distinct (address, service) pair that answered as an
 *           amplifier (open = true) in a side.
 *   entity  a country or an AS, with its counts per side and service.
 *
 * Ownership: the aggregate owns every string it holds.
 */
#ifndef NH_REPORT_SURVEY_IMPL_H
#define NH_REPORT_SURVEY_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "catalog/catalog.h"
#include "report.h"

#define SURVEY_CUR 0
#define SURVEY_BASE 1
#define SURVEY_TEXT_TOP 20  /* countries and ASes in the text report */
#define SURVEY_HTML_TOP 100 /* in the HTML page */
#define SURVEY_UNKNOWN "(unknown)"

/* A string-to-index map (open addressing, FNV-1a); owns its keys. */
struct survey_map {
	char **keys;
	size_t *vals;
	size_t cap, n;
};

/* A country or an AS. */
struct survey_ent {
	char name[16];               /* "NL", "AS64500", or SURVEY_UNKNOWN */
	uint32_t asn;                /* ASes: the number (0: unknown) */
	long count[2][NH_SVC_COUNT]; /* [side][service]: devices */
	long total[2];               /* devices, all services */
	double weighted[2];          /* Σ count · AF */
	double ddos_kbps[2];         /* Σ count · min(US, AF · DS) */
	long rank;                   /* 1 = worst now; 0: none now */
};

/* A round of the report. */
struct survey_side {
	bool declared;
	int64_t id;
	char *source, *started, *finished; /* finished may be NULL */
	long records;                      /* records fed */
	long answers[NH_SVC_COUNT];        /* records, open or not */
	long count[NH_SVC_COUNT];          /* devices */
	double amp_sum[NH_SVC_COUNT];      /* measured amplification of the
					      devices' first records */
	long amp_n[NH_SVC_COUNT];
	long total;
	double weighted, ddos_kbps;
	struct survey_map devices; /* "service/address" */
};

/* An entity list: countries or ASes. */
struct survey_ents {
	struct survey_ent *v;
	size_t n, cap;
	struct survey_map map;
	const struct survey_ent **order; /* ranked, after finish */
};

struct nh_survey_agg {
	struct nh_survey_params p;
	struct survey_side side[2];
	struct survey_ents cc, as;
	bool finished;
};

/* A device's DDoS potential of service j: min(US, AF_j · DS), kbit/s. */
double survey_device_kbps(const struct nh_survey_agg *a, enum nh_svc j);

/* Whether the base round was declared. */
bool survey_has_base(const struct nh_survey_agg *a);

/* The catalog text of service j, or NULL. */
const struct nh_text *survey_advice(enum nh_svc j);

/* Writes s with control characters and non-ASCII bytes as '?' (for the
 * terminal and CSV of stored strings). NULL writes nothing. */
void survey_put_plain(FILE *fp, const char *s);

#endif /* NH_REPORT_SURVEY_IMPL_H */
