/* compare.h: the statistics and verdicts of `pvbench compare`: for each pair of
 * variants (across two runs, or against a baseline within one run) and each metric
 * they share, descriptive statistics of both sides, the relative change of medians
 * with a bootstrap confidence interval, Mann-Whitney p (Holm-adjusted over the
 * metrics of the pair), Welch's t, the Hodges-Lehmann shift and a verdict.
 * Computed once here; reports/README.md documents the rule and report.h's writers
 * print it. */
#ifndef PVBENCH_COMPARE_H
#define PVBENCH_COMPARE_H

#include "pvbench/results_load.h"
#include "pvbench/stats.h"

enum verdict { V_BETTER, V_WORSE, V_NO_CHANGE, V_INCONCLUSIVE, V_NVERDICT };
extern const char *const verdict_names[V_NVERDICT]; /* "better", ..., "inconclusive" */

struct cmp_opts {
	double band;		 /* equivalence band, fraction: 0.02 is +-2% */
	double alpha;		 /* level for the Holm-adjusted Mann-Whitney p */
	double conf;		 /* confidence level of every interval */
	unsigned long resamples; /* bootstrap resamples, >= 10000 from the command line */
	unsigned long seed;	 /* bootstrap seed */
	double power;		 /* power for the minimum detectable change */
	const char *metrics;	 /* fnmatch(3) pattern selecting metrics, or NULL */
	bool lenient;		 /* for reports: skip pairs without OK repetitions or
				  * common metrics instead of failing, print nothing */
};
#define CMP_OPTS_DEFAULT                                                                           \
	{                                                                                          \
		.band = 0.02, .alpha = 0.05, .conf = 0.95, .resamples = 10000, .seed = 1,          \
		.power = 0.80, .metrics = NULL, .lenient = false                                   \
	}

/* Below this many OK samples on a side a metric carries NOTE_FEW_SAMPLES. */
#define CMP_MIN_SAMPLES 5

enum cmp_note {
	NOTE_FEW_SAMPLES = 1 << 0,  /* fewer than CMP_MIN_SAMPLES on a side */
	NOTE_NO_RATIO = 1 << 1,	    /* base median <= 0: no relative change */
	NOTE_NO_DIRECTION = 1 << 2, /* unknown whether higher or lower is better */
	NOTE_NO_WELCH = 1 << 3,	    /* Welch's t undefined (n < 2 or no variance) */
	NOTE_UNDETECTABLE = 1 << 4, /* no change could reach significance (mdc INFINITY) */
};
#define CMP_NNOTES 5
extern const char *const cmp_note_text[CMP_NNOTES]; /* indexed by bit number */

struct cmp_metric {
	const char *name;
	struct result_meta meta;
	struct stats_summary base, new;
	struct stats_mw mw;
	double p_holm;		  /* Holm-adjusted Mann-Whitney p over the pair's metrics */
	struct stats_boot boot;	  /* new/base - 1 of medians and its CI; NAN if NO_RATIO */
	struct stats_hl hl;	  /* shift new - base in the metric's unit */
	struct stats_welch welch; /* NAN fields if NO_WELCH */
	/* Minimum detectable change, fraction of the base median: the difference of
	 * means a two-sided Welch test at level alpha / k (Holm's first step over the
	 * pair's k metrics) detects with probability power, given the observed sds;
	 * INFINITY when the sample sizes cannot reach that level at all; NAN when
	 * undefined (n < 2, base median <= 0). Set by compare_finish. */
	double mdc;
	enum verdict verdict;
	unsigned notes; /* enum cmp_note bits */
};

struct cmp_pair {
	const struct pvb_results *base_run, *new_run;
	const struct pvb_variant *base, *new;
	struct cmp_metric *m;
	size_t nm;
	size_t only_base, only_new; /* metrics with samples on one side only */
	bool show_run;		    /* label sides "run:variant" even within one run */
};

struct comparison {
	struct cmp_opts opts;
	struct cmp_pair *pair;
	size_t npair;
	size_t count[V_NVERDICT];
	size_t skipped; /* lenient: pairs left out for lack of OK repetitions */
	bool emulated;	/* some input ran under TCG */
};

/* The verdict rule. lo and hi bound the relative change new/base - 1 (fractions):
 * better or worse (by direction) when p_adj < alpha and [lo, hi] excludes 0;
 * otherwise no change when [lo, hi] lies inside [-band, +band]; otherwise (and
 * whenever the direction is unknown and the change is significant) inconclusive. */
enum verdict compare_verdict(enum metric_better better, double p_adj, double lo, double hi,
			     const struct cmp_opts *o);

/* Every statistic of one metric except p_holm and verdict. 0 or -ENOMEM/-EINVAL. */
int compare_metric(const double *base, size_t nb, const double *new, size_t nn,
		   const struct cmp_opts *o, struct cmp_metric *m);
/* Holm adjustment, minimum detectable change and verdicts over m[0..nm). The
 * verdict is compare_verdict() on the bootstrap interval, except that "no change"
 * needs CMP_MIN_SAMPLES on each side (else inconclusive), and a metric whose base
 * median is not positive is judged on the Hodges-Lehmann interval and can only be
 * better, worse or inconclusive. */
int compare_finish(struct cmp_metric *m, size_t nm, const struct cmp_opts *o);

/* Pairs variants of equal name in a and b (or the only variant of each when both
 * have exactly one), then compares them. Prints one error line and returns -EINVAL
 * when no variants or metrics are in common or a side has no OK repetitions. */
int compare_runs(const struct pvb_results *a, const struct pvb_results *b, const struct cmp_opts *o,
		 struct comparison *c);
/* Compares every other variant of r against baseline (NULL: the variant marked
 * "baseline", else the first). Errors as compare_runs. */
int compare_variants(const struct pvb_results *r, const char *baseline, const struct cmp_opts *o,
		     struct comparison *c);
void comparison_free(struct comparison *c);

/* 1 if some metric is worse, else 3 if some is inconclusive, else 0. */
int comparison_exit_status(const struct comparison *c);
/* Name of one side of a pair for tables: "variant" within one run, "run:variant"
 * across runs or when show_run is set. */
const char *cmp_side_label(const struct cmp_pair *p, int new_side, char *buf, size_t len);

#endif
