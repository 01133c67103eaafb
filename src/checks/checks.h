/*
 * checks.h: the check table and the evaluation of facts into results.
 *
 * This is the face of src/checks/. A check is a pure function from facts to
 * a result: no I/O, no global state. The table has one const row per check
 * (id, category, worst status, points, function, catalog text), in report
 * order; the categories have a table of their own. A row whose function is
 * NULL names a check whose probe has not been built yet: it is reported as
 * not tested, with a message saying so, and is not counted in the score.
 */
#ifndef NH_CHECKS_H
#define NH_CHECKS_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog/catalog.h"
#include "facts/facts.h"
#include "model/model.h"
#include "tlsdata/tlsdata.h"

/* Options that change how checks judge. */
struct nh_check_opts {
	/*
	 * Reproduce Internet.nl's numbers where its code departs from the
	 * standard (docs/internetnl-differences.md lists each case).
	 */
	bool internetnl_compat;
};

/*
 * A check function: judges `facts` and fills `out`, which arrives prepared
 * by nh_check_result_init(). Returns 0, or -1 on allocation failure (the
 * result is then discarded).
 */
typedef int (*nh_check_fn)(const struct nh_facts *facts,
    const struct nh_check_opts *opts, struct nh_check_result *out);

struct nh_check_def {
	struct nh_check_meta meta;  /* id, category, worst, points */
	nh_check_fn fn;             /* NULL: not available yet */
	const struct nh_text *text; /* catalog entry; never NULL */
};

struct nh_category_def {
	struct nh_category_meta meta;
	const struct nh_text *text; /* catalog entry; never NULL */
};

extern const struct nh_check_def nh_check_table[];
extern const size_t nh_check_count;
extern const struct nh_category_def nh_category_table[];
extern const size_t nh_category_count;

/* The row of a check id, or NULL. */
const struct nh_check_def *nh_check_find(const char *id);

/* The row of a category id, or NULL. */
const struct nh_category_def *nh_category_find(const char *id);

/* The category row of a check (never NULL for a table row). */
const struct nh_category_def *nh_check_category(const struct nh_check_def *d);

/*
 * Runs every check of test `type` over `facts` and scores the result.
 * Returns a new result (caller frees with nh_test_result_free()), or NULL on
 * allocation failure. The start time and duration are left for the caller.
 */
struct nh_test_result *nh_checks_evaluate(enum nh_test_type type,
    const struct nh_facts *facts, const struct nh_check_opts *opts);

/*
 * The NCSC policy level of a certificate's public key (tls.c), and in
 * `what` its description: "RSA-2048", "EC secp256r1", "ed25519".
 */
enum nh_tls_level nh_cert_key_level(
    const struct nh_fact_cert *c, char *what, size_t size);

#endif /* NH_CHECKS_H */
