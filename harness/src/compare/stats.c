/* stats.c: pure statistics behind `pvbench compare` and `pvbench report` (see
 * pvbench/stats.h for definitions, references and error codes). No I/O; the one
 * state is a per-thread cache of exact Mann-Whitney null distributions. Callers
 * turn GSL's error handler off (compare.c): results GSL cannot compute come back
 * NAN and are checked here. */
#include "pvbench/stats.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>

/* Samples of at least this size (either side) use the normal approximation. */
#define MW_EXACT_LIMIT 50

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double *sorted_copy(const double *x, size_t n)
{
	double *s = malloc(n * sizeof(*s));

	if (!s)
		return NULL;
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return s;
}

double stats_quantile_sorted(const double *sorted, size_t n, double p)
{
	double h, frac;
	size_t lo;

	if (!n || !(p >= 0 && p <= 1))
		return NAN;
	h = (n - 1) * p;
	lo = (size_t)floor(h);
	frac = h - lo;
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

double stats_median_inplace(double *x, size_t n)
{
	qsort(x, n, sizeof(*x), cmp_double);
	return stats_quantile_sorted(x, n, 0.5);
}

static double mean_of(const double *x, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	return s / n;
}

/* Sample variance, two-pass; NAN when n < 2. */
static double var_of(const double *x, size_t n, double mean)
{
	double s = 0;

	if (n < 2)
		return NAN;
	for (size_t i = 0; i < n; i++)
		s += (x[i] - mean) * (x[i] - mean);
	return s / (n - 1);
}

int stats_summarise(const double *x, size_t n, struct stats_summary *s)
{
	double *sorted;

	if (!n)
		return -EINVAL;
	sorted = sorted_copy(x, n);
	if (!sorted)
		return -ENOMEM;
	s->n = n;
	s->median = stats_quantile_sorted(sorted, n, 0.5);
	s->min = sorted[0];
	s->max = sorted[n - 1];
	s->mean = mean_of(x, n);
	s->sd = sqrt(var_of(x, n, s->mean));
	s->cv = (n >= 2 && s->mean != 0) ? s->sd / fabs(s->mean) : NAN;
	free(sorted);
	return 0;
}

int stats_median_ci(const double *x, size_t n, double conf, double *lo, double *hi,
		    double *achieved)
{
	double *s;
	size_t k = 0;

	if (!n || !(conf > 0 && conf < 1))
		return -EINVAL;
	s = sorted_copy(x, n);
	if (!s)
		return -ENOMEM;
	while (k + 1 <= n / 2 && 2 * gsl_cdf_binomial_P(k, 0.5, n) <= 1 - conf)
		k++;
	/* k now counts qualifying order statistics; 0 means none: use min and max. */
	*lo = s[k ? k - 1 : 0];
	*hi = s[k ? n - k : n - 1];
	*achieved = k ? 1 - 2 * gsl_cdf_binomial_P(k - 1, 0.5, n) : 1 - 2 * pow(0.5, n);
	free(s);
	return 0;
}

/* Null distribution of U for sizes m and n without ties: counts[u], u = 0..m*n,
 * built by placing the m + n ordered values one at a time. dp[a][u] counts the
 * orderings of the first t values with a of them from the m-sample and U = u;
 * placing an m-value after b = t - a n-values adds b to U. */
static double *mw_counts(size_t m, size_t n)
{
	size_t w = m * n + 1, t, a, u;
	double *cur = calloc((m + 1) * w, sizeof(double));
	double *nxt = calloc((m + 1) * w, sizeof(double));

	if (!cur || !nxt)
		goto fail;
	cur[0] = 1;
	for (t = 0; t < m + n; t++) {
		memset(nxt, 0, (m + 1) * w * sizeof(double));
		for (a = 0; a <= m && a <= t + 1; a++) {
			size_t b = t + 1 - a; /* n-values among the first t + 1 */

			for (u = 0; u < w; u++) {
				double v = b <= n && a <= t ? cur[a * w + u] : 0;

				if (a >= 1 && u >= b)
					v += cur[(a - 1) * w + u - b];
				nxt[a * w + u] = v;
			}
		}
		double *tmp = cur;
		cur = nxt;
		nxt = tmp;
	}
	memmove(cur, cur + m * w, w * sizeof(double));
	free(nxt);
	return cur;
fail:
	free(cur);
	free(nxt);
	return NULL;
}

/* The null CDF of U for (m, n): cdf[u] = P(U <= u), u = 0..m*n, counts summed
 * from u = 0 upward and divided by their total, the arithmetic of the uncached
 * version, so every p and critical value is the same to the bit. Kept per thread in a small round-robin table: compare
 * asks for the same few sizes for every metric, and power.c's simulations
 * (compare's MDC among them) for one size tens of thousands of times, where
 * rebuilding the distribution each time was most of their cost. The table lives
 * as long as the thread (at most MW_CACHE * 2,500 doubles, 20 kB each). */
#define MW_CACHE 16
struct mw_dist {
	size_t m, n;
	double *cdf;
};
static __thread struct mw_dist mw_cache[MW_CACHE];
static __thread unsigned mw_cache_next;

static const double *mw_cdf(size_t m, size_t n)
{
	struct mw_dist *d;
	double *c, *cdf, total = 0, below = 0;

	for (unsigned i = 0; i < MW_CACHE; i++)
		if (mw_cache[i].cdf && mw_cache[i].m == m && mw_cache[i].n == n)
			return mw_cache[i].cdf;
	c = mw_counts(m, n);
	cdf = c ? malloc((m * n + 1) * sizeof(*cdf)) : NULL;
	if (!cdf) {
		free(c);
		return NULL;
	}
	for (size_t k = 0; k <= m * n; k++)
		total += c[k];
	for (size_t k = 0; k <= m * n; k++) {
		below += c[k];
		cdf[k] = below / total;
	}
	free(c);
	d = &mw_cache[mw_cache_next++ % MW_CACHE];
	free(d->cdf);
	*d = (struct mw_dist){.m = m, .n = n, .cdf = cdf};
	return cdf;
}

/* P(U <= u) from a cached CDF (0 below 0, 1 from m * n on). */
static double cdf_at(const double *cdf, size_t m, size_t n, double u)
{
	double f = floor(u + 1e-7);

	if (f < 0)
		return 0;
	return cdf[f >= (double)(m * n) ? m * n : (size_t)f];
}

double stats_mw_cdf(double u, size_t m, size_t n)
{
	const double *cdf;

	if (u < 0)
		return 0;
	cdf = mw_cdf(m, n);
	return cdf ? cdf_at(cdf, m, n, u) : NAN;
}

/* Smallest q with P(U <= q) >= p (R's qwilcox). */
static size_t cdf_quantile(const double *cdf, size_t m, size_t n, double p)
{
	size_t q;

	for (q = 0; q < m * n; q++)
		if (cdf[q] >= p - 10 * DBL_EPSILON)
			break;
	return q;
}

struct ranked {
	double v;
	int from_new;
};

static int cmp_ranked(const void *a, const void *b)
{
	return cmp_double(&((const struct ranked *)a)->v, &((const struct ranked *)b)->v);
}

/* Pools both samples; *ties_term = sum over tie groups of (t^3 - t). */
static int pool_ties(const double *base, size_t nb, const double *new, size_t nn, double *ties_term)
{
	size_t N = nb + nn, i, j;
	struct ranked *r = malloc(N * sizeof(*r));

	if (!r)
		return -ENOMEM;
	for (i = 0; i < N; i++) {
		r[i].from_new = i >= nb;
		r[i].v = i < nb ? base[i] : new[i - nb];
	}
	qsort(r, N, sizeof(*r), cmp_ranked);
	*ties_term = 0;
	for (i = 0; i < N; i = j) {
		for (j = i + 1; j < N && r[j].v == r[i].v; j++)
			;
		*ties_term += pow(j - i, 3) - (double)(j - i);
	}
	free(r);
	return 0;
}

static double u_statistic(const double *base, size_t nb, const double *new, size_t nn)
{
	double u = 0;

	for (size_t i = 0; i < nn; i++)
		for (size_t j = 0; j < nb; j++)
			u += new[i] > base[j] ? 1 : new[i] == base[j] ? 0.5 : 0;
	return u;
}

/* Tie-corrected standard deviation of U under the null hypothesis. */
static double mw_sigma(size_t nb, size_t nn, double ties_term)
{
	double N = nb + nn;

	return sqrt((double)nb * nn / 12 * ((N + 1) - ties_term / (N * (N - 1))));
}

static int mw_exact_p(struct stats_mw *r, size_t nb, size_t nn)
{
	const double *cdf = mw_cdf(nn, nb);
	double p;

	if (!cdf)
		return -ENOMEM;
	if (r->u > (double)nb * nn / 2)
		p = 1 - cdf_at(cdf, nn, nb, r->u - 1);
	else
		p = cdf_at(cdf, nn, nb, r->u);
	r->p = fmin(1, 2 * p);
	return 0;
}

int stats_mann_whitney(const double *base, size_t nb, const double *new, size_t nn,
		       struct stats_mw *r)
{
	double ties_term, z, sigma;
	int rc;

	if (!nb || !nn)
		return -EINVAL;
	rc = pool_ties(base, nb, new, nn, &ties_term);
	if (rc)
		return rc;
	r->u = u_statistic(base, nb, new, nn);
	r->ties = ties_term > 0;
	r->exact = !r->ties && nb < MW_EXACT_LIMIT && nn < MW_EXACT_LIMIT;
	if (r->exact)
		return mw_exact_p(r, nb, nn);
	z = r->u - (double)nb * nn / 2;
	sigma = mw_sigma(nb, nn, ties_term);
	if (sigma <= 0) { /* every value equal: no evidence of any shift */
		r->p = 1;
		return 0;
	}
	z = (z - (z > 0 ? 0.5 : z < 0 ? -0.5 : 0)) / sigma;
	r->p = fmin(1, 2 * gsl_cdf_ugaussian_Q(fabs(z)));
	return 0;
}

/* Critical rank k (1-based) for the HL interval and its exact coverage. */
static int hl_rank(const double *base, size_t nb, const double *new, size_t nn, double conf,
		   size_t *k, double *achieved)
{
	const double *cdf;
	double ties_term;
	int rc = pool_ties(base, nb, new, nn, &ties_term);

	if (rc)
		return rc;
	if (ties_term > 0 || nb >= MW_EXACT_LIMIT || nn >= MW_EXACT_LIMIT) {
		double z = gsl_cdf_ugaussian_Pinv(1 - (1 - conf) / 2);
		double kk = floor((double)nb * nn / 2 - z * mw_sigma(nb, nn, ties_term));

		*k = kk < 1 ? 1 : (size_t)kk;
		*achieved = conf;
		return 0;
	}
	cdf = mw_cdf(nn, nb);
	if (!cdf)
		return -ENOMEM;
	*k = cdf_quantile(cdf, nn, nb, (1 - conf) / 2);
	if (*k == 0)
		*k = 1;
	*achieved = 1 - 2 * cdf_at(cdf, nn, nb, (double)*k - 1);
	return 0;
}

int stats_hodges_lehmann(const double *base, size_t nb, const double *new, size_t nn, double conf,
			 struct stats_hl *r)
{
	size_t mn = nb * nn, k;
	double *d;
	int rc;

	if (!nb || !nn || !(conf > 0 && conf < 1))
		return -EINVAL;
	rc = hl_rank(base, nb, new, nn, conf, &k, &r->achieved);
	if (rc)
		return rc;
	d = malloc(mn * sizeof(*d));
	if (!d)
		return -ENOMEM;
	for (size_t i = 0; i < nn; i++)
		for (size_t j = 0; j < nb; j++)
			d[i * nb + j] = new[i] - base[j];
	qsort(d, mn, sizeof(*d), cmp_double);
	r->shift = stats_quantile_sorted(d, mn, 0.5);
	if (k > (mn + 1) / 2)
		k = (mn + 1) / 2;
	r->lo = d[k - 1];
	r->hi = d[mn - k];
	free(d);
	return 0;
}

/* Median of a resample of the ascending sample s: draws n indices, counts them,
 * and reads the middle order statistics from the counts (the median of a resample
 * of sorted data is the sorted datum at the median index). cnt has n zeroes.
 * An index is the high half of a 32-bit generator output times n (Lemire's
 * multiply-shift; bias below n / 2^32), much cheaper than a division. */
static double resample_median(const gsl_rng *rng, const double *s, size_t n, unsigned *cnt)
{
	size_t want = (n - 1) / 2, seen = 0, i;
	double lo = NAN, hi = NAN;

	for (i = 0; i < n; i++)
		cnt[((uint64_t)gsl_rng_get(rng) * n) >> 32]++;
	for (i = 0; i < n; i++) {
		seen += cnt[i];
		cnt[i] = 0;
		if (isnan(lo) && seen > want)
			lo = s[i];
		if (isnan(hi) && seen > n / 2)
			hi = s[i];
	}
	return n % 2 ? lo : (lo + hi) / 2;
}

/* Rearranges a so that a[k] is the k-th smallest, smaller ones before it and
 * larger ones after it (Hoare's selection); returns a[k]. */
static double select_kth(double *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		double pivot = a[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;

		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				double t = a[i];

				a[i++] = a[j];
				a[j] = t;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return a[k];
}

/* Type-7 quantile of an unsorted array, reordering it; same value as
 * stats_quantile_sorted on the sorted array, in linear time. */
static double quantile_select(double *a, size_t n, double p)
{
	double h = (n - 1) * p, lo_v, hi_v;
	size_t lo = (size_t)floor(h);

	lo_v = select_kth(a, n, lo);
	if (lo + 1 >= n || h == lo)
		return lo_v;
	hi_v = a[lo + 1];
	for (size_t i = lo + 2; i < n; i++)
		hi_v = fmin(hi_v, a[i]);
	if (isinf(hi_v) || hi_v == lo_v) /* no inf - inf */
		return hi_v;
	return lo_v + (h - lo) * (hi_v - lo_v);
}

static int boot_loop(const double *sb, size_t nb, const double *sn, size_t nn,
		     unsigned long resamples, unsigned long seed, double *ratios,
		     unsigned long *nonpos)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
	unsigned *cnt = calloc(nb > nn ? nb : nn, sizeof(*cnt));
	int rc = 0;

	if (!rng || !cnt) {
		rc = -ENOMEM;
		goto out;
	}
	gsl_rng_set(rng, seed);
	for (unsigned long i = 0; i < resamples; i++) {
		double mb = resample_median(rng, sb, nb, cnt);
		double mn = resample_median(rng, sn, nn, cnt);

		*nonpos += !(mb > 0);
		ratios[i] = mb > 0 ? mn / mb - 1 : INFINITY;
	}
out:
	free(cnt);
	if (rng)
		gsl_rng_free(rng);
	return rc;
}

int stats_bootstrap_ratio(const double *base, size_t nb, const double *new, size_t nn,
			  unsigned long resamples, unsigned long seed, double conf,
			  struct stats_boot *r)
{
	double *sb = NULL, *sn = NULL, *ratios = NULL, mb;
	int rc = -ENOMEM;

	if (!nb || !nn || resamples < 2 || !(conf > 0 && conf < 1))
		return -EINVAL;
	sb = sorted_copy(base, nb);
	sn = sorted_copy(new, nn);
	ratios = malloc(resamples * sizeof(*ratios));
	if (!sb || !sn || !ratios)
		goto out;
	mb = stats_quantile_sorted(sb, nb, 0.5);
	rc = -EDOM;
	if (!(mb > 0))
		goto out;
	r->change = stats_quantile_sorted(sn, nn, 0.5) / mb - 1;
	r->nonpos = 0;
	rc = boot_loop(sb, nb, sn, nn, resamples, seed, ratios, &r->nonpos);
	if (rc)
		goto out;
	r->lo = quantile_select(ratios, resamples, (1 - conf) / 2);
	r->hi = quantile_select(ratios, resamples, (1 + conf) / 2);
	r->achieved = r->lo == r->hi ? 0 : fmin(conf, 1 - ldexp(1, 1 - (int)fmin(nb + nn, 64)));
out:
	free(sb);
	free(sn);
	free(ratios);
	return rc;
}

static double welch_df(double vb, size_t nb, double vn, size_t nn)
{
	double qb = vb / nb, qn = vn / nn;

	return (qb + qn) * (qb + qn) / (qb * qb / (nb - 1) + qn * qn / (nn - 1));
}

int stats_welch(const double *base, size_t nb, const double *new, size_t nn, struct stats_welch *r)
{
	double mb, mn, vb, vn, se;

	if (nb < 2 || nn < 2)
		return -EDOM;
	mb = mean_of(base, nb);
	mn = mean_of(new, nn);
	vb = var_of(base, nb, mb);
	vn = var_of(new, nn, mn);
	se = sqrt(vb / nb + vn / nn);
	if (!(se > 0))
		return -EDOM;
	r->t = (mn - mb) / se;
	r->df = welch_df(vb, nb, vn, nn);
	if (!isfinite(r->t) || !isfinite(r->df) || !isfinite(se)) /* overflow */
		return -EDOM;
	r->p = fmin(1, 2 * gsl_cdf_tdist_Q(fabs(r->t), r->df));
	return isnan(r->p) ? -EDOM : 0;
}

struct pidx {
	double p;
	size_t i;
};

static int cmp_pidx(const void *a, const void *b)
{
	const struct pidx *x = a, *y = b;
	int c = cmp_double(&x->p, &y->p);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

int stats_holm(const double *p, size_t m, double *adj)
{
	struct pidx *o = malloc((m ? m : 1) * sizeof(*o));
	size_t k = 0, j;
	double run = 0;

	if (!o)
		return -ENOMEM;
	for (j = 0; j < m; j++)
		if (!isnan(p[j]))
			o[k++] = (struct pidx){p[j], j};
	qsort(o, k, sizeof(*o), cmp_pidx);
	for (j = 0; j < k; j++) {
		run = fmax(run, fmin(1, (k - j) * o[j].p));
		o[j].p = run;
	}
	for (j = 0; j < m; j++) /* NAN stays NAN, even when adj aliases p */
		adj[j] = p[j];
	for (j = 0; j < k; j++)
		adj[o[j].i] = o[j].p;
	free(o);
	return 0;
}

int stats_mdd(double sd_b, size_t nb, double sd_n, size_t nn, double alpha, double power,
	      double *mdd)
{
	double vb = sd_b * sd_b, vn = sd_n * sd_n, df;

	if (nb < 2 || nn < 2 || isnan(vb) || isnan(vn))
		return -EDOM;
	if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1))
		return -EINVAL;
	if (vb + vn == 0) {
		*mdd = 0;
		return 0;
	}
	df = welch_df(vb, nb, vn, nn);
	if (!isfinite(df) || !isfinite(vb + vn))
		return -EDOM;
	*mdd = (gsl_cdf_tdist_Pinv(1 - alpha / 2, df) + gsl_cdf_tdist_Pinv(power, df)) *
	       sqrt(vb / nb + vn / nn);
	return isfinite(*mdd) ? 0 : -EDOM;
}
