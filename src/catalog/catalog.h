/*
 * catalog.h: the human text of every check and category (title, what it
 * means, why it matters, how to fix it, references, GFCE theme, who must
 * act), compiled from data/catalog/ by tools/catalog-gen.awk.
 *
 * This is the face of src/catalog/. All texts are static and borrowed; they
 * live as long as the program.
 */
#ifndef NH_CATALOG_H
#define NH_CATALOG_H

#include <stddef.h>

#include "catalog_keys.h" /* generated: enum nh_catalog_key */

struct nh_text {
	const char *key;         /* check or category id */
	const char *title;       /* short noun phrase */
	const char *means;       /* what is looked at */
	const char *why;         /* why it matters */
	const char *fix;         /* how to fix it; may hold several lines */
	const char *refs;        /* standards, "; "-separated */
	const char *theme;       /* GFCE capacity-building theme */
	const char *stakeholder; /* who must act, ", "-separated */
};

/* Every entry, indexed by enum nh_catalog_key. */
extern const struct nh_text nh_catalog_texts[NH_CATKEY_COUNT];

/* The entry for a key, or NULL if there is none. */
const struct nh_text *nh_catalog_get(const char *key);

#endif /* NH_CATALOG_H */
