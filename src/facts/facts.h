/*
 * facts.h: what was observed about a domain, the meeting point of probes
 * and checks. Probes fill it; checks read it and never touch the network.
 *
 * This is the face of src/facts/. The struct grows with every probe; today
 * it names the domain and the test. Ownership: nh_facts_free() frees
 * everything a facts struct owns.
 */
#ifndef NH_FACTS_H
#define NH_FACTS_H

#include "model/model.h"

struct nh_facts {
	char *domain;		 /* A-label, lower case, no final dot; owned */
	enum nh_test_type type;	 /* which test gathered them */
};

/*
 * New facts for `domain` (copied). Returns NULL on allocation failure.
 * Caller frees with nh_facts_free().
 */
struct nh_facts *nh_facts_new(const char *domain, enum nh_test_type type);

/* Frees facts and all they own. NULL is safe. */
void nh_facts_free(struct nh_facts *f);

#endif /* NH_FACTS_H */
