/* power.h: how many repetitions a comparison needs, and how small a change it can
 * see, for the verdict procedure of compare.h itself (Mann-Whitney p, Holm-adjusted
 * over a family of k tests, and the bootstrap interval of the ratio of medians),
 * found by seeded simulation that calls compare_metric() and compare_finish().
 * Pure library: no I/O, no globals. reports/README.md, "Sized repetitions
 * (repetitions = auto)", documents the procedure and its measured figures.
 *
 * The model. Every simulated sample is relative to a centre of 1: base values are
 * 1 + cv * z, new values (1 + shift) * (1 + cv * z), z standard normal, with cv the
 * pooled relative standard deviation of the observed (pilot) samples (see
 * power_pilot_cv). The verdict is scale-free, so the centre does not matter. A
 * normal model rather than a (smoothed) bootstrap of the pilot, because a pilot of
 * 3 + 3 values says nothing about shape (a bootstrap would replay six points, with
 * ties that push Mann-Whitney to its normal approximation), and because power then
 * depends only on (n, cv, shift, k), which makes the planner a table (power_table)
 * that a runner and a simulation share. Caveat: metrics with two modes (a
 * repetition either hits a slow path or not) are not normal; their spread is
 * under-represented by cv for the median and the rank test.
 *
 * The family. The metric of interest is simulated with k - 1 companion metrics of
 * the same cv under the null hypothesis, independent of it, and the k go through
 * compare_finish() together, so Holm sees a family of k (the conservative case:
 * the companions do not help the step-down). Only the metric of interest's verdict
 * counts; it is "detected" when it is better for a shift > 0 (worse for < 0).
 *
 * Determinism. Trial t of a simulation reseeds one gsl_rng_taus2 generator from
 * (opts.seed, t) and draws the trial's data and bootstrap seed from it, so equal
 * arguments give equal answers, and the same trials (common random numbers) are
 * reused across the shifts or cvs a search tries: the verdict of one trial is then
 * monotone in the shift, and a bisection over the shift converges to the point
 * where exactly ceil(target * trials) trials detect it.
 *
 * Errors: functions return 0 or a negative errno: -EINVAL for bad arguments (empty
 * or too small samples, n or k of 0, target or shift out of range), -EDOM when the
 * pilot's spread is undefined (a side's mean <= 0, fewer than 2 values on every
 * side), -ENOMEM, or an error of compare_metric(). */
#ifndef PVBENCH_POWER_H
#define PVBENCH_POWER_H

#include "pvbench/compare.h"

#include <stdbool.h>
#include <stddef.h>

struct power_opts {
	unsigned long trials;	 /* simulated comparisons per power estimate */
	unsigned long resamples; /* bootstrap resamples inside each simulated verdict
				  * (compare uses >= 10000; fewer only widen the Monte
				  * Carlo noise of the interval ends a little) */
	unsigned long seed;	 /* seed of the trials, see "Determinism" above */
	double target;		 /* power to reach, in (0, 1) */
};
/* Power estimates and the planner's table: 400 trials (power +-2 points), 2000
 * resamples. */
#define POWER_OPTS_DEFAULT                                                                         \
	{                                                                                          \
		.trials = 400, .resamples = 2000, .seed = 1, .target = 0.80                        \
	}
/* power_mdc inside compare (set_mdc): 400 trials, 1000 resamples, about 0.1-0.3 s
 * per metric at n = 5..10, k <= 8, and 0.4 s at k = 24 (`make bench-verdict`). */
#define POWER_MDC_OPTS_DEFAULT                                                                     \
	{                                                                                          \
		.trials = 400, .resamples = 1000, .seed = 1, .target = 0.80                        \
	}

/* Pooled relative standard deviation of one or two samples: each value divided by
 * its side's mean minus 1, squares summed over both sides, divided by (nb + nn - g)
 * with g the number of non-empty sides (the within-group variance of one-way
 * ANOVA, in fractions). One side may be empty (nn = 0). -EDOM when a non-empty
 * side's mean is not positive or nb + nn - g < 1. */
int power_pilot_cv(const double *base, size_t nb, const double *new, size_t nn, double *cv);

/* Probability that compare's verdict calls a true relative shift `shift`
 * (fraction, > -1; new = base * (1 + shift)) significant in its direction, with nb
 * and nn values per side, relative sd cv (>= 0), in a Holm family of k tests at
 * o->alpha, o->conf, o->band (o->resamples and o->seed are replaced by po's). frac,
 * when not NULL, gets the fraction of each verdict of the metric of interest over
 * the trials (indexed by enum verdict; with shift 0, frac[V_WORSE] is the false
 * "worse" rate). */
int power_verdict_cv(double cv, double shift, size_t nb, size_t nn, size_t k,
		     const struct cmp_opts *o, const struct power_opts *po, double *power,
		     double frac[V_NVERDICT]);
/* The same with cv = power_pilot_cv(base, new) and n values per side. */
int power_verdict(const double *base, size_t nb, const double *new, size_t nn, double shift,
		  size_t n, size_t k, const struct cmp_opts *o, const struct power_opts *po,
		  double *power, double frac[V_NVERDICT]);

/* Minimum detectable change of the verdict procedure itself: the smallest relative
 * shift (fraction, upward: new = base * (1 + mdc)) that compare's verdict calls
 * significant with probability po->target, with nb and nn values per side, relative
 * sd cv, in a Holm family of k. Bisection over the shift on common trials, to 0.2%
 * of the answer. INFINITY when no shift up to +1000% reaches the target (e.g. 3 vs 3
 * repetitions, whose smallest Mann-Whitney p 0.1 never beats alpha). compare's MDC
 * (cmp_metric.mdc, set by compare_finish) is this figure with POWER_MDC_OPTS_DEFAULT;
 * the Welch figure it printed before left the verdict only about 2/3 power
 * (reports/README.md, "Sized repetitions"). Simulated verdicts set no_mdc in their
 * cmp_opts, so that compare_finish does not simulate an MDC inside the simulation. */
int power_mdc_cv(double cv, size_t nb, size_t nn, size_t k, const struct cmp_opts *o,
		 const struct power_opts *po, double *mdc);
/* The same from the observed samples: cv = power_pilot_cv(base, new). */
int power_mdc(const double *base, size_t nb, const double *new, size_t nn, size_t k,
	      const struct cmp_opts *o, const struct power_opts *po, double *mdc);

/* The planner's table for one (detect, k): for each n per side in [n_min, n_max],
 * cv_max[n - n_min] is the largest relative sd at which the verdict reaches
 * po->target power for a true shift of detect (0 when no cv does, e.g. n = 3 at
 * k = 1), to 1% of its value, then lowered to the smallest cv_max of any larger n
 * (an n qualifies only when every larger one does; power is not monotone in n as
 * the exact Mann-Whitney p is discrete). Cost: about 8 power estimates per n. */
struct power_table {
	size_t n_min, n_max, k;
	double detect;
	double *cv_max;
};
int power_table_build(size_t n_min, size_t n_max, double detect, size_t k, const struct cmp_opts *o,
		      const struct power_opts *po, struct power_table *t);
void power_table_free(struct power_table *t);

/* One primary metric's pilot: the values of the baseline and of the other variant
 * (the planner takes the largest cv over variants and metrics the caller gives). */
struct power_pilot {
	const double *base, *new;
	size_t nb, nn;
};

struct power_plan {
	size_t n;     /* repetitions per variant in total, pilot included */
	size_t extra; /* to run per variant after the pilot: n - pilot */
	double cv;    /* largest pooled pilot cv over the metrics */
	double power; /* simulated power at n for detect, at cv; NAN from power_plan */
	bool cap_hit; /* no n up to the table's n_max reaches the target: n = n_max */
};

/* Step 1 of sized repetitions, after a pilot of `pilot` repetitions per variant:
 * n = the smallest n >= max(pilot, t->n_min) with cv <= t->cv_max[n] for the
 * largest cv of the np primary metrics (Holm family size t->k), or t->n_max with
 * cap_hit. Step 2 is the ordinary comparison (compare_metric + compare_finish) of
 * all n values per side, run once. -EDOM as power_pilot_cv. */
int power_plan(const struct power_table *t, const struct power_pilot *p, size_t np, size_t pilot,
	       struct power_plan *plan);

/* Step 1 as one call: builds the table for n in [pilot, max_reps] (detect: the
 * effect to detect, fraction; a scenario's default is its equivalence band, 0.02),
 * plans, and fills plan->power with power_verdict_cv at the chosen n. k >= np. */
int power_reps_needed(const struct power_pilot *p, size_t np, size_t k, size_t pilot, double detect,
		      size_t max_reps, const struct cmp_opts *o, const struct power_opts *po,
		      struct power_plan *plan);

/* Simulation of the whole procedure, for its figures: per trial, k metrics of
 * relative sd cv (normal model), a pilot of `pilot` values per side, step 1 with
 * table t (t->k == k), then the remaining values, then one comparison of all of
 * them (compare_metric + compare_finish with o as given: pass fewer resamples for
 * speed). Metric 0 has the true shift, the others none. Trials are seeded from
 * (seed, t) as above. */
struct power_proc {
	double frac[V_NVERDICT]; /* verdicts of metric 0 over the trials */
	double any_worse;	 /* fraction of trials where some metric is "worse" */
	double mean_n;		 /* mean repetitions per variant chosen */
	unsigned long cap_hits;	 /* trials whose plan hit the cap */
};
int power_proc_sim(const struct power_table *t, double cv, double shift, size_t k, size_t pilot,
		   unsigned long trials, unsigned long seed, const struct cmp_opts *o,
		   struct power_proc *r);

/* Cap by time: the largest n per variant whose whole run fits in max_minutes, with
 * nvariants variants of sec_per_rep seconds per repetition (a boot or set-up once
 * per run is the caller's to subtract), and no more than max_reps. max_minutes <= 0
 * means no time cap. -EINVAL when sec_per_rep <= 0 or nvariants is 0; -ERANGE when
 * not even one repetition per variant fits (*cap then 0). */
int power_time_cap(double sec_per_rep, size_t nvariants, double max_minutes, size_t max_reps,
		   size_t *cap);
/* Wall time in minutes of n repetitions of each of nvariants variants. */
double power_wall_minutes(size_t n, size_t nvariants, double sec_per_rep);

#endif
