/* stats.h: pure statistics for telling a real change from noise between two sets of
 * benchmark repetitions: summaries, quantiles, Mann-Whitney U, Hodges-Lehmann,
 * a seeded bootstrap of the ratio of medians, Welch's t, Holm's correction and the
 * minimum detectable change. No I/O; GSL supplies the distributions. The only
 * state is a per-thread cache of the exact Mann-Whitney null distributions by
 * sample sizes (built once per (m, n), never freed), which changes no result.
 *
 * Conventions: "base" is the reference sample, "new" the one being judged; every
 * shift or change is new minus base (or new / base - 1). Functions return 0 or a
 * negative errno: -EINVAL for bad arguments (empty sample, conf outside (0, 1)),
 * -ENOMEM, -EDOM when the quantity is undefined for the data (e.g. a ratio of
 * medians whose base median is not positive). */
#ifndef PVBENCH_STATS_H
#define PVBENCH_STATS_H

#include <stdbool.h>
#include <stddef.h>

/* Descriptive statistics of one sample. sd is the sample standard deviation
 * (divisor n - 1; NAN when n < 2), cv = sd / |mean| (NAN when n < 2 or mean is 0). */
struct stats_summary {
	size_t n;
	double median, mean, sd, cv, min, max;
};
int stats_summarise(const double *x, size_t n, struct stats_summary *s);

/* Quantile p in [0, 1] of an ascending sample, R's default definition (type 7:
 * linear interpolation between order statistics, Hyndman & Fan 1996). */
double stats_quantile_sorted(const double *sorted, size_t n, double p);
/* Median of x, which is reordered in place (partially sorted); NAN when n is 0. */
double stats_median_inplace(double *x, size_t n);

/* Distribution-free confidence interval for the median of one sample from order
 * statistics: [x(k), x(n+1-k)] with the largest k such that
 * 2 * P(Binomial(n, 1/2) <= k - 1) <= 1 - conf. When no k qualifies (n < 6 at 95%)
 * the interval is [min, max]. *achieved gets its exact coverage, 1 - 2 P(B <= k-1). */
int stats_median_ci(const double *x, size_t n, double conf, double *lo, double *hi,
		    double *achieved);

/* Mann-Whitney U (Wilcoxon rank-sum) test of base against new, two-sided.
 * u is the statistic for new: #{(i, j): new_i > base_j} + #ties / 2, the "W" that
 * R's wilcox.test(new, base) prints. Exact null distribution when there are no ties
 * and both samples are smaller than 50 (as R does); otherwise the normal
 * approximation with tie-corrected variance and continuity correction. */
struct stats_mw {
	double u, p;
	bool exact, ties;
};
int stats_mann_whitney(const double *base, size_t nb, const double *new, size_t nn,
		       struct stats_mw *r);
/* P(U <= u) under the null hypothesis for samples of sizes m and n, no ties
 * (R's pwilcox(u, m, n)); NAN on allocation failure. */
double stats_mw_cdf(double u, size_t m, size_t n);

/* Hodges-Lehmann estimate of the shift new - base (median of all nb * nn pairwise
 * differences) and its distribution-free interval [d(k), d(nb*nn + 1 - k)] over the
 * sorted differences, with k the lower conf critical value of U: exact when there
 * are no ties and both n < 50 (matches R's wilcox.test(new, base, conf.int = TRUE)),
 * otherwise k from the normal approximation (Lehmann 1975, 3.6) without continuity
 * correction. achieved is the coverage of the exact interval, or conf. */
struct stats_hl {
	double shift, lo, hi, achieved;
};
int stats_hodges_lehmann(const double *base, size_t nb, const double *new, size_t nn, double conf,
			 struct stats_hl *r);

/* Percentile bootstrap of median(new) / median(base) - 1: base and new are
 * resampled independently with replacement, resamples times, from L'Ecuyer's
 * maximally equidistributed Tausworthe generator (gsl_rng_taus2, 32-bit output)
 * seeded with seed, so equal inputs and seeds give equal intervals.
 * lo and hi are the (1 - conf) / 2 and (1 + conf) / 2 type-7 quantiles of the
 * resampled ratios. -EDOM when the observed base median is <= 0. A resample whose
 * base median is <= 0 (possible when some base value is) has an unbounded ratio,
 * +INFINITY, and is counted in nonpos.
 * achieved bounds the interval's coverage from above: 0 for a zero-width interval,
 * else min(conf, 1 - 2^(1 - nb - nn)) (the interval lies within
 * [min(new) / max(base), max(new) / min(base)] - 1, which misses the true ratio
 * whenever every new value is below its median and every base value above its
 * median, or the reverse). */
struct stats_boot {
	double change, lo, hi, achieved;
	unsigned long nonpos;
};
int stats_bootstrap_ratio(const double *base, size_t nb, const double *new, size_t nn,
			  unsigned long resamples, unsigned long seed, double conf,
			  struct stats_boot *r);

/* Welch's unequal-variances t test of mean(new) - mean(base), two-sided, with the
 * Welch-Satterthwaite degrees of freedom; p from gsl_cdf_tdist_Q. -EDOM when a side
 * has fewer than 2 values, both variances are 0 or the figures overflow (values of
 * about 1e154 and more). */
struct stats_welch {
	double t, df, p;
};
int stats_welch(const double *base, size_t nb, const double *new, size_t nn, struct stats_welch *r);

/* Holm's step-down adjustment (Holm 1979) of m p-values into adj (may alias p):
 * adj_(k) = max over j <= k of min(1, (m' - j + 1) p_(j)), p ascending. NAN entries
 * are left NAN and not counted in m'. Same numbers as R's p.adjust(p, "holm"). */
int stats_holm(const double *p, size_t m, double *adj);

/* Minimum detectable difference of means: the smallest true difference that a
 * two-sided Welch t test at level alpha detects with probability power, given the
 * observed standard deviations: (t(1 - alpha/2, df) + t(power, df)) *
 * sqrt(sd_b^2 / nb + sd_n^2 / nn), df Welch-Satterthwaite. Same units as the data.
 * -EDOM when a side has fewer than 2 values or the figures overflow. */
int stats_mdd(double sd_b, size_t nb, double sd_n, size_t nn, double alpha, double power,
	      double *mdd);

#endif
