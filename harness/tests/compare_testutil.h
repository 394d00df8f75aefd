/* compare_testutil.h: what the tests of compare.c share (check_compare.c, the
 * library; check_compare_cmd.c, the command): the synthetic fixtures' directory and
 * the lookup of one compared metric. Header-only, like testutil.h. */
#ifndef PVBENCH_COMPARE_TESTUTIL_H
#define PVBENCH_COMPARE_TESTUTIL_H

#include "pvbench/compare.h"

#include <check.h>
#include <string.h>

/* The synthetic results of harness/tests/data/results/README.md (SYNTHETIC data). */
#define D "harness/tests/data/results/"

/* The comparison of metric in the pair whose new side is variant; fails the running
 * test when there is none. */
static inline const struct cmp_metric *find_metric(const struct comparison *c, const char *variant,
						   const char *metric)
{
	for (size_t i = 0; i < c->npair; i++)
		for (size_t j = 0; j < c->pair[i].nm; j++)
			if (!strcmp(c->pair[i].new->name, variant) &&
			    !strcmp(c->pair[i].m[j].name, metric))
				return &c->pair[i].m[j];
	ck_abort_msg("no metric %s in variant %s", metric, variant);
	return NULL;
}

#endif
