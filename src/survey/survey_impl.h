/*
 * survey_impl.h: internals of src/survey/ that tests and fuzz targets
 * reach, not part of the face (survey.h).
 */
#ifndef NH_SURVEY_IMPL_H
#define NH_SURVEY_IMPL_H

#include <stddef.h>

#include "survey/survey.h"

/* Writes a message to err (errlen bytes; NULL or 0: nowhere). */
void nh_survey_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define NH_GEO_MAX_LINE 1024 /* bytes in a delegated-stats line, LF included */
#define NH_GEO_MAX_FILE ((size_t)1 << 28)   /* bytes in a delegated file */
#define NH_GEO_MAX_RANGES ((size_t)1 << 22) /* ranges in a set, per family */
#define NH_GEO_MAX_MMDB 4                   /* MMDB files in a set */

/*
 * Parses RIR delegated statistics from memory (`buf`, `len` bytes, any
 * bytes, borrowed for the call) and adds its allocated and assigned
 * address ranges to g, as nh_geo_load_delegated() does for a file;
 * `name` stands for the file in messages. Returns 0, or -1 with nothing
 * added and err set ("name:12: reason").
 */
int nh_geo_delegated_from(struct nh_geo *g, const char *buf, size_t len,
    const char *name, char *err, size_t errlen);

/* Country of `ip` from the delegated ranges alone: writes 2 letters and
 * a NUL to cc and returns 0, or returns -1 when no range covers it. */
int nh_geo_delegated_cc(const struct nh_geo *g, const char *ip, char cc[3]);

#define NH_SHADOW_MAX_LINE 8192 /* bytes in a Shadowserver CSV record */

/*
 * The service of a Shadowserver report from its file name ("scan_dns",
 * "2024-01-02-scan6_ntpmonitor-my-asn.csv"; a directory part is
 * ignored). Returns 1 with *out set; 0 when the name names no scan
 * report; -1 when it names a scan report the survey does not read, its
 * type ("scan_qotd") written to type (typelen bytes).
 */
int nh_shadow_name_svc(
    const char *name, enum nh_svc *out, char *type, size_t typelen);

#endif /* NH_SURVEY_IMPL_H */
