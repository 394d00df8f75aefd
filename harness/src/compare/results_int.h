/* results_int.h: what results_load.c and results_model.c share, private to compare/. */
#ifndef PVBENCH_RESULTS_INT_H
#define PVBENCH_RESULTS_INT_H

#include "pvbench/results_load.h"

/* Loads everything of r->root that the samples (results_load.c) do not: the tool,
 * environment, scenario, design, variants' overrides, every repetition's record and
 * the boots (results_model.c). Runs after the variants and samples are loaded.
 * 0 or -ENOMEM. */
int results_load_model(struct pvb_results *r);
/* Frees what results_load_model allocated. */
void results_free_model(struct pvb_results *r);

#endif
