/* sized.h: step 1 of `repetitions = auto`: from the pilot in a run's results.json,
 * how many repetitions per variant the comparison needs (power.h simulates
 * compare's own verdict), within the scenario's caps; and the `design` object that
 * results.json and the report carry (reports/results-schema.md). */
#ifndef PVBENCH_SIZED_H
#define PVBENCH_SIZED_H

#include <jansson.h>
#include <stddef.h>

struct sized_request {
	int pilot;	    /* pilot repetitions per variant (scenario.pilot) */
	double detect;	    /* change to detect, fraction (scenario.detect: 0.02) */
	int max_reps;	    /* per variant, pilot included (scenario.max_repetitions) */
	double max_minutes; /* wall-time budget of the whole run (scenario.max_minutes) */
	double elapsed_s;   /* wall time spent so far (the pilot, boots included) */
	double sec_per_rep; /* wall seconds one more repetition of one variant costs */
};

struct sized_result {
	int n;		  /* repetitions per variant in total, pilot included */
	double cv;	  /* largest pooled pilot CV over the primary comparisons, fraction */
	double power;	  /* simulated power at n for detect */
	size_t family;	  /* primary tests in the final comparison (Holm family) */
	const char *capped_by; /* NULL, "max_repetitions" or "max_minutes" */
	char plan[256];	  /* "pilot CV 0.5%: 4 more repetitions per variant, about 2 min" */
};

/* Loads results_path (a run's results.json after its pilot), pairs every variant
 * with the baseline as compare does, and sizes the run for the primary metrics
 * (metrics_meta.primary) with OK samples on both sides. *design gets a new object
 * {"repetitions": "auto", "pilot", "detect_pct", "power", "family", "planned_reps",
 * "max_repetitions", "max_minutes", "capped_by", "pilot_cv_pct": {variant: {metric:
 * cv}}, "plan"}. 0, or -errno with one error line printed: -ENOENT when no primary
 * metric has OK pilot samples on both sides, -EDOM when a pilot's spread is
 * undefined (a mean <= 0), -EINVAL for an unreadable file. */
int sized_plan(const char *results_path, const struct sized_request *rq, struct sized_result *res,
	       json_t **design);

#endif
