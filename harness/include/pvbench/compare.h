/* compare.h: the statistics and verdicts of `pvbench compare`: for each pair of
 * variants (across two runs, or against a baseline within one run) and each metric
 * they share, descriptive statistics of both sides, the relative change of medians
 * with a bootstrap confidence interval, Mann-Whitney p (Holm-adjusted over one
 * family per command: every primary test of every pair, and separately every
 * exploratory one), Welch's t, the Hodges-Lehmann shift, a verdict and the
 * minimum detectable change of that verdict (power.h, power_mdc).
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
	bool no_mdc;		 /* leave mdc NAN: power.c's simulated verdicts, which
				  * must not simulate an MDC of their own */
	const char *metrics;	 /* fnmatch(3) pattern selecting metrics, or NULL */
	bool lenient;		 /* for reports: skip pairs without OK repetitions or
				  * common metrics instead of failing, print nothing */
	bool allow_mixed_clocks; /* compare runs of different clocks (icount, host) */
	bool gate_all;		 /* exploratory metrics set the exit status too */
};
#define CMP_OPTS_DEFAULT                                                                           \
	{                                                                                          \
		.band = 0.02, .alpha = 0.05, .conf = 0.95, .resamples = 10000, .seed = 1,          \
		.power = 0.80, .no_mdc = false, .metrics = NULL, .lenient = false,                 \
		.allow_mixed_clocks = false, .gate_all = false                                     \
	}

/* Below this many OK samples on a side a metric carries NOTE_FEW_SAMPLES. */
#define CMP_MIN_SAMPLES 5

enum cmp_note {
	NOTE_FEW_SAMPLES = 1 << 0,  /* fewer than CMP_MIN_SAMPLES on a side */
	NOTE_NO_RATIO = 1 << 1,	    /* base median <= 0: no relative change */
	NOTE_NO_DIRECTION = 1 << 2, /* unknown whether higher or lower is better */
	NOTE_NO_WELCH = 1 << 3,	    /* Welch's t undefined (n < 2 or no variance) */
	NOTE_UNDETECTABLE = 1 << 4, /* no change is detected with o->power (mdc INFINITY) */
	NOTE_NONPOS_BASE = 1 << 5,  /* base median > 0 but some base value <= 0 */
	NOTE_NUMERIC = 1 << 6,	    /* values too large: statistics overflow */
};
#define CMP_NNOTES 7
extern const char *const cmp_note_text[CMP_NNOTES]; /* indexed by bit number */

/* The two multiple-testing families of a command: primary metrics (the verdict
 * that sets the exit status) and the others, exploratory. */
enum cmp_family { CMP_PRIMARY, CMP_EXPLORATORY, CMP_NFAMILY };

struct cmp_metric {
	const char *name;
	struct result_meta meta;
	bool primary; /* results_metric_primary() of either run that marks primaries */
	struct stats_summary base, new;
	struct stats_mw mw;
	double p_holm;		  /* Holm-adjusted Mann-Whitney p over the metric's family */
	/* new/base - 1 of medians and its CI (boot.achieved: at most that coverage);
	 * change NAN if NO_RATIO, lo and hi NAN if NO_RATIO or NONPOS_BASE */
	struct stats_boot boot;
	struct stats_hl hl;	  /* shift new - base in the metric's unit */
	struct stats_welch welch; /* NAN fields if NO_WELCH */
	/* Pooled relative sd of both sides (power_pilot_cv), the spread the MDC is
	 * simulated with; NAN when undefined (a side's mean <= 0, n < 2) or no_mdc. */
	double cv_pooled;
	/* Minimum detectable change of the verdict itself, fraction (new = base * (1 +
	 * mdc)): the smallest true upward shift that this verdict procedure (Mann-Whitney
	 * p Holm-adjusted over the k tests of the metric's family, the bootstrap
	 * interval, the rule) calls significant with probability o->power, by power_mdc
	 * (power.h) with cv_pooled, these sample sizes and POWER_MDC_OPTS_DEFAULT.
	 * INFINITY ("none") when no shift reaches that: at once when the sample sizes
	 * cannot reach level alpha / k at all (smallest exact two-sided Mann-Whitney p
	 * 2 / C(nb + nn, nb), Holm's first step), else when no shift up to +1000% does.
	 * NAN when undefined (cv_pooled NAN, base median <= 0, NOTE_NUMERIC) or no_mdc.
	 * Set by compare_finish; mdc_k is the k it was computed for (0: not yet), so
	 * that a second compare_finish over the same family size reuses it. */
	double mdc;
	size_t mdc_k;
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
	size_t count[CMP_NFAMILY][V_NVERDICT];
	size_t skipped; /* lenient: pairs left out for lack of OK repetitions */
	bool emulated;	/* some input ran under TCG */
	/* the runs compared (equal for variants of one run), for their clocks */
	const struct pvb_results *run[2];
	bool io_error; /* an output could not be written: exit status 2 */
};

/* Whether a metric is judged on the Hodges-Lehmann interval (NO_RATIO or
 * NONPOS_BASE): its change is a shift in the metric's unit, not a percentage. */
static inline bool cmp_on_shift(const struct cmp_metric *m)
{
	return m->notes & (NOTE_NO_RATIO | NOTE_NONPOS_BASE);
}
static inline enum cmp_family cmp_family_of(const struct cmp_metric *m)
{
	return m->primary ? CMP_PRIMARY : CMP_EXPLORATORY;
}
/* Whether a metric's verdict counts for the exit status, TAP and JUnit: primary
 * metrics, and exploratory ones with gate_all (--gate all). */
static inline bool cmp_gated(const struct comparison *c, const struct cmp_metric *m)
{
	return m->primary || c->opts.gate_all;
}

/* The verdict rule. lo and hi bound the relative change new/base - 1 (fractions):
 * better or worse (by direction) when p_adj < alpha and [lo, hi] excludes 0;
 * otherwise no change when [lo, hi] lies inside [-band, +band]; otherwise (and
 * whenever the direction is unknown and the change is significant) inconclusive. */
enum verdict compare_verdict(enum metric_better better, double p_adj, double lo, double hi,
			     const struct cmp_opts *o);

/* Every statistic of one metric except p_holm and verdict. 0 or -ENOMEM/-EINVAL.
 * Turns GSL's aborting error handler off (process-wide), as every compare_*
 * function does: a statistic GSL cannot compute is NAN, never an abort. */
int compare_metric(const double *base, size_t nb, const double *new, size_t nn,
		   const struct cmp_opts *o, struct cmp_metric *m);
/* Holm adjustment, minimum detectable change and verdicts over m[0..nm), one
 * family for the primary metrics and one for the others. The verdict is compare_verdict() on the bootstrap interval, except that "no change"
 * needs CMP_MIN_SAMPLES on each side (else inconclusive), and a metric whose base
 * median is not positive is judged on the Hodges-Lehmann interval and can only be
 * better, worse or inconclusive; so is one whose base has a value <= 0 (a resampled
 * base median could be <= 0). A metric whose statistics overflow is inconclusive.
 * The MDC is a simulation of about 0.05-0.3 s per metric at n = 5..10 (more for
 * large families): o->no_mdc skips it. */
int compare_finish(struct cmp_metric *m, size_t nm, const struct cmp_opts *o);
/* compare_finish over every metric of every pair of c[0..nc) together (one family
 * per kind for a whole command, e.g. a report's comparisons), then recounts. */
int compare_adjust(struct comparison *c, size_t nc);

/* Pairs variants of equal name in a and b (or the only variant of each when both
 * have exactly one), then compares them. Prints one error line and returns -EINVAL
 * when no variants or metrics are in common, a side has no OK repetitions, the
 * runs' clocks differ (unless allow_mixed_clocks) or a metric's direction in
 * metrics_meta differs between them. */
int compare_runs(const struct pvb_results *a, const struct pvb_results *b, const struct cmp_opts *o,
		 struct comparison *c);
/* Compares every other variant of r against baseline (NULL: the variant marked
 * "baseline", else the first). Errors as compare_runs. */
int compare_variants(const struct pvb_results *r, const char *baseline, const struct cmp_opts *o,
		     struct comparison *c);
void comparison_free(struct comparison *c);

/* Over the gated metrics (cmp_gated): 1 if one is worse, else 3 if one is
 * inconclusive, else 0; 2 after io_error. */
int comparison_exit_status(const struct comparison *c);
/* Totals over both families, or over the gated metrics only. */
size_t cmp_count(const struct comparison *c, enum verdict v);
size_t cmp_count_gated(const struct comparison *c, enum verdict v);
/* "icount", "host" or "mixed" for the runs of c[0..nc). */
const char *cmp_clock_name(const struct comparison *c, size_t nc);
/* One sentence on what the clock of the runs of c[0..nc) measures ("Clock:
 * instruction count (QEMU -icount shift=3, ...": see reports/README.md), into buf. */
const char *cmp_clock_line(char *buf, size_t len, const struct comparison *c, size_t nc);

/* The answer first (report_compare.c): one sentence for a metric of a pair, the same
 * in compare's text and Markdown output and in reports: "2q vs 1q: read_iops +23.9%
 * [+22.5%, +24.8%], better (p = 0.008, 5 + 5 repetitions, icount clock)"; a metric
 * judged on the Hodges-Lehmann interval gives its shift, an interval below the
 * nominal level its level. Into buf (returned). */
const char *cmp_headline(char *buf, size_t len, const struct comparison *c,
			 const struct cmp_pair *p, const struct cmp_metric *m);
/* "primary: 1 better, 0 worse, 0 no change, 0 inconclusive; exploratory: ..." (the
 * exploratory part only when it counts something), into buf (returned). */
const char *cmp_summary(char *buf, size_t len, const size_t count[CMP_NFAMILY][V_NVERDICT]);
/* Name of one side of a pair for tables: "variant" within one run, "run:variant"
 * across runs or when show_run is set. */
const char *cmp_side_label(const struct cmp_pair *p, int new_side, char *buf, size_t len);

#endif
