/* check_stats.c: unit tests of stats.c against reference values computed by R and
 * SciPy (harness/tests/data/stats, see its README for the exact commands), plus
 * argument errors and limits. Run from the repository root. */
#include "pvbench/stats.h"
#include "testutil.h"

#include <check.h>
#include <gsl/gsl_errno.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA "harness/tests/data/stats/"
#define MAXN 128
#define MAXREF 512

struct dataset {
	char name[64];
	double base[MAXN], new[MAXN];
	size_t nb, nn;
};

struct ref {
	char set[64], qty[64];
	double value;
};

static struct ref refs[MAXREF];
static int nrefs;

static size_t parse_values(const char *s, double *v)
{
	size_t n = 0;
	char *end;

	for (; n < MAXN; n++) {
		double x = strtod(s, &end);

		if (end == s)
			break;
		v[n] = x;
		s = end;
	}
	return n;
}

static void load_set(const char *name, struct dataset *d)
{
	char path[256], line[8192];
	FILE *f;

	snprintf(path, sizeof(path), DATA "%s.dat", name);
	f = fopen(path, "r");
	ck_assert_msg(f, "cannot open '%s'", path);
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->nb = d->nn = 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "base:", 5))
			d->nb = parse_values(line + 5, d->base);
		else if (!strncmp(line, "new:", 4))
			d->nn = parse_values(line + 4, d->new);
	}
	fclose(f);
	ck_assert(d->nb && d->nn);
}

static void load_refs(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];

	if (!f) {
		fprintf(stderr, "error: cannot open '%s' (run from the repository root)\n", path);
		exit(2);
	}
	while (nrefs < MAXREF && fgets(line, sizeof(line), f)) {
		struct ref *r = &refs[nrefs];

		if (sscanf(line, "%63s %63s %lf", r->set, r->qty, &r->value) == 3)
			nrefs++;
	}
	fclose(f);
}

/* Computes one named quantity for a data set; tolerance is relative unless abs. */
struct quantity {
	const char *name;
	double (*fn)(const struct dataset *d, const char *side);
	double tol;
	int abs;
};

static const double *side_data(const struct dataset *d, const char *side, size_t *n)
{
	int is_new = !strncmp(side, "new", 3);

	*n = is_new ? d->nn : d->nb;
	return is_new ? d->new : d->base;
}

static double q_summary(const struct dataset *d, const char *side)
{
	struct stats_summary s;
	size_t n;
	const double *x = side_data(d, side, &n);
	const char *f = strchr(side, '.') + 1;

	ck_assert_int_eq(stats_summarise(x, n, &s), 0);
	ck_assert_uint_eq(s.n, n);
	if (!strcmp(f, "mean"))
		return s.mean;
	if (!strcmp(f, "sd"))
		return s.sd;
	return s.median;
}

static double q_quantile(const struct dataset *d, const char *side)
{
	double s[MAXN];
	size_t n;
	const double *x = side_data(d, side, &n);

	memcpy(s, x, n * sizeof(*s));
	stats_median_inplace(s, n); /* sorts */
	return stats_quantile_sorted(s, n, strstr(side, "q10") ? 0.10 : 0.90);
}

static double q_median_ci(const struct dataset *d, const char *side)
{
	double lo, hi, ach;
	size_t n;
	const double *x = side_data(d, side, &n);

	ck_assert_int_eq(stats_median_ci(x, n, 0.95, &lo, &hi, &ach), 0);
	ck_assert(ach >= 0.93 && ach <= 1);
	return strstr(side, "_lo") ? lo : hi;
}

static double q_mw(const struct dataset *d, const char *q)
{
	struct stats_mw r;

	ck_assert_int_eq(stats_mann_whitney(d->base, d->nb, d->new, d->nn, &r), 0);
	return strstr(q, ".u") ? r.u : r.p;
}

static double q_hl(const struct dataset *d, const char *q)
{
	struct stats_hl r;

	ck_assert_int_eq(stats_hodges_lehmann(d->base, d->nb, d->new, d->nn, 0.95, &r), 0);
	ck_assert(r.achieved >= 0.95);
	return strstr(q, "shift") ? r.shift : strstr(q, ".lo") ? r.lo : r.hi;
}

static double q_welch(const struct dataset *d, const char *q)
{
	struct stats_welch r;

	ck_assert_int_eq(stats_welch(d->base, d->nb, d->new, d->nn, &r), 0);
	return strstr(q, ".t") ? r.t : strstr(q, ".df") ? r.df : r.p;
}

static double q_mdd(const struct dataset *d, const char *q)
{
	struct stats_summary b, n;
	double mdd;

	(void)q;
	stats_summarise(d->base, d->nb, &b);
	stats_summarise(d->new, d->nn, &n);
	ck_assert_int_eq(stats_mdd(b.sd, b.n, n.sd, n.n, 0.05, 0.80, &mdd), 0);
	return mdd;
}

static double q_boot(const struct dataset *d, const char *q)
{
	struct stats_boot r;

	/* 100,000 resamples: on discrete data (ties.dat) an endpoint sits on an atom of
	 * the bootstrap distribution, and fewer resamples may pick the neighbouring one */
	ck_assert_int_eq(stats_bootstrap_ratio(d->base, d->nb, d->new, d->nn, 100000, 1, 0.95, &r),
			 0);
	ck_assert(r.lo <= r.change && r.change <= r.hi);
	return strstr(q, ".lo") ? r.lo : r.hi;
}

static const struct quantity quantities[] = {
    {"base.mean", q_summary, 1e-12, 0},
    {"base.sd", q_summary, 1e-10, 0},
    {"base.median", q_summary, 1e-12, 0},
    {"new.mean", q_summary, 1e-12, 0},
    {"new.sd", q_summary, 1e-10, 0},
    {"new.median", q_summary, 1e-12, 0},
    {"base.q10", q_quantile, 1e-12, 0},
    {"base.q90", q_quantile, 1e-12, 0},
    {"new.q10", q_quantile, 1e-12, 0},
    {"new.q90", q_quantile, 1e-12, 0},
    {"base.median_ci_lo", q_median_ci, 0, 0},
    {"base.median_ci_hi", q_median_ci, 0, 0},
    {"new.median_ci_lo", q_median_ci, 0, 0},
    {"new.median_ci_hi", q_median_ci, 0, 0},
    {"mw.u", q_mw, 0, 0},
    {"mw.p", q_mw, 1e-9, 0},
    {"scipy.mw.u", q_mw, 0, 0},
    {"scipy.mw.p", q_mw, 1e-9, 0},
    {"hl.shift", q_hl, 1e-9, 1},
    {"hl.lo", q_hl, 1e-9, 1},
    {"hl.hi", q_hl, 1e-9, 1},
    {"welch.t", q_welch, 1e-9, 0},
    {"welch.df", q_welch, 1e-9, 0},
    {"welch.p", q_welch, 1e-7, 0},
    {"mdd80", q_mdd, 1e-7, 0},
    {"scipy.boot.lo", q_boot, 0.006, 1},
    {"scipy.boot.hi", q_boot, 0.006, 1},
};

static void check_close(const struct ref *r, double got, double tol, int abs_tol)
{
	double err = fabs(got - r->value);
	double lim = abs_tol ? tol : tol * fmax(fabs(r->value), 1e-300);

	ck_assert_msg(err <= lim, "%s %s: got %.17g, reference %.17g", r->set, r->qty, got,
		      r->value);
}

static void check_holm(const struct ref *r)
{
	const double p[] = {0.01, 0.04, 0.03, 0.005, NAN, 0.5, 0.03};
	double adj[7];

	ck_assert_int_eq(stats_holm(p, 7, adj), 0);
	ck_assert(isnan(adj[4]));
	check_close(r, adj[atoi(r->qty + 1)], 1e-12, 0);
}

static void check_pwilcox(const struct ref *r)
{
	unsigned m, n, q;

	ck_assert_int_eq(sscanf(r->qty, "%u_%u_%u", &m, &n, &q), 3);
	check_close(r, stats_mw_cdf(q, m, n), 1e-10, 0);
}

START_TEST(test_reference)
{
	const struct ref *r = &refs[_i];
	struct dataset d;

	if (!strcmp(r->set, "holm"))
		return check_holm(r);
	if (!strcmp(r->set, "pwilcox"))
		return check_pwilcox(r);
	load_set(r->set, &d);
	for (size_t i = 0; i < sizeof(quantities) / sizeof(quantities[0]); i++) {
		const struct quantity *q = &quantities[i];

		if (!strcmp(q->name, r->qty))
			return check_close(r, q->fn(&d, r->qty), q->tol, q->abs);
	}
	ck_abort_msg("no quantity '%s' in check_stats.c", r->qty);
}
END_TEST

START_TEST(test_bootstrap_seeded)
{
	struct dataset d;
	struct stats_boot a, b, c;
	int differ = 0;

	load_set("n10-null", &d);
	stats_bootstrap_ratio(d.base, d.nb, d.new, d.nn, 10000, 42, 0.95, &a);
	stats_bootstrap_ratio(d.base, d.nb, d.new, d.nn, 10000, 42, 0.95, &b);
	ck_assert(a.lo == b.lo && a.hi == b.hi && a.change == b.change);
	/* endpoints of a bootstrap of medians take few values: some seeds agree */
	for (unsigned long seed = 43; seed < 53; seed++) {
		stats_bootstrap_ratio(d.base, d.nb, d.new, d.nn, 10000, seed, 0.95, &c);
		differ += a.lo != c.lo || a.hi != c.hi;
	}
	ck_assert_int_gt(differ, 0);
}
END_TEST

START_TEST(test_summary_limits)
{
	const double one = 7, same[] = {3, 3, 3};
	struct stats_summary s;

	ck_assert_int_eq(stats_summarise(&one, 1, &s), 0);
	ck_assert(s.median == 7 && s.min == 7 && s.max == 7 && isnan(s.sd) && isnan(s.cv));
	ck_assert_int_eq(stats_summarise(same, 3, &s), 0);
	ck_assert(s.sd == 0 && s.cv == 0);
	ck_assert_int_eq(stats_summarise(same, 0, &s), -EINVAL);
}
END_TEST

START_TEST(test_mw_limits)
{
	const double a[] = {5, 5, 5}, b[] = {5, 5}, lo[] = {1, 2, 3}, hi[] = {4, 5, 6};
	struct stats_mw r;

	ck_assert_int_eq(stats_mann_whitney(a, 3, b, 2, &r), 0);
	ck_assert(r.p == 1 && r.ties && !r.exact);
	/* complete separation, 3 vs 3: the smallest two-sided exact p is 2 / 20 */
	ck_assert_int_eq(stats_mann_whitney(lo, 3, hi, 3, &r), 0);
	ck_assert(r.exact && r.u == 9 && fabs(r.p - 0.1) < 1e-12);
	ck_assert_int_eq(stats_mann_whitney(lo, 0, hi, 3, &r), -EINVAL);
}
END_TEST

START_TEST(test_errors)
{
	const double x[] = {1, 2, 3}, zero[] = {0, 0, 1}, same[] = {2, 2};
	struct stats_boot bo;
	struct stats_welch w;
	struct stats_hl hl;
	double mdd, lo, hi, ach;

	ck_assert_int_eq(stats_bootstrap_ratio(zero, 3, x, 3, 1000, 1, 0.95, &bo), -EDOM);
	ck_assert_int_eq(stats_bootstrap_ratio(x, 3, x, 3, 1000, 1, 1.5, &bo), -EINVAL);
	ck_assert_int_eq(stats_welch(x, 1, x, 3, &w), -EDOM);
	ck_assert_int_eq(stats_welch(same, 2, same, 2, &w), -EDOM);
	ck_assert_int_eq(stats_hodges_lehmann(x, 3, x, 0, 0.95, &hl), -EINVAL);
	ck_assert_int_eq(stats_mdd(1, 1, 1, 5, 0.05, 0.8, &mdd), -EDOM);
	ck_assert_int_eq(stats_median_ci(x, 3, 0, &lo, &hi, &ach), -EINVAL);
	ck_assert(isnan(stats_quantile_sorted(x, 0, 0.5)));
}
END_TEST

/* A base with a zero but a positive median: not -EDOM for any seed (it was for
 * seeds whose resamples drew a zero median); such resamples are counted. */
START_TEST(test_bootstrap_nonpositive)
{
	double base[10], new[10];
	unsigned long any = 0;
	struct stats_boot bo;

	for (int i = 0; i < 10; i++) {
		base[i] = 100 + i;
		new[i] = 101 + i;
	}
	base[0] = 0;
	for (unsigned long seed = 1; seed <= 8; seed++) {
		ck_assert_int_eq(stats_bootstrap_ratio(base, 10, new, 10, 10000, seed, 0.95, &bo), 0);
		ck_assert(fabs(bo.change - (105.5 / 104.5 - 1)) < 1e-12);
		any += bo.nonpos;
	}
	ck_assert_uint_gt(any, 0); /* some seed drew a non-positive base median */
}
END_TEST

/* Values of about 1e154 overflow the variance: -EDOM, never GSL's abort (the
 * caller turns the handler off, as compare.c does). */
START_TEST(test_overflow)
{
	const double big[] = {1e154, 2e154, 3e154}, big2[] = {1.5e154, 2.5e154, 3.5e154};
	struct stats_welch w;
	struct stats_boot bo;
	double mdd;

	gsl_set_error_handler_off();
	ck_assert_int_eq(stats_welch(big, 3, big2, 3, &w), -EDOM);
	ck_assert_int_eq(stats_mdd(1e200, 3, 1e200, 3, 0.05, 0.8, &mdd), -EDOM);
	/* the interval of 1 vs 1 has zero width: coverage 0 */
	ck_assert_int_eq(stats_bootstrap_ratio(big, 1, big2, 1, 1000, 1, 0.95, &bo), 0);
	ck_assert(bo.achieved == 0);
	ck_assert_int_eq(stats_bootstrap_ratio(big, 2, big2, 3, 1000, 1, 0.95, &bo), 0);
	ck_assert(fabs(bo.achieved - 0.9375) < 1e-12); /* 1 - 2^(1 - 5) */
}
END_TEST

START_TEST(test_median_ci_small)
{
	const double x[] = {5, 1, 4, 2, 3};
	double lo, hi, ach;

	ck_assert_int_eq(stats_median_ci(x, 5, 0.95, &lo, &hi, &ach), 0);
	ck_assert(lo == 1 && hi == 5 && fabs(ach - 0.9375) < 1e-12);
}
END_TEST

static Suite *stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");
	TCase *limits = tcase_create("limits");

	tcase_add_loop_test(core, test_reference, 0, nrefs);
	tcase_add_test(core, test_bootstrap_seeded);
	tcase_add_test(errors, test_errors);
	tcase_add_test(limits, test_summary_limits);
	tcase_add_test(limits, test_mw_limits);
	tcase_add_test(limits, test_median_ci_small);
	tcase_add_test(limits, test_bootstrap_nonpositive);
	tcase_add_test(limits, test_overflow);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	load_refs(DATA "reference.tsv");
	load_refs(DATA "reference-scipy.tsv");
	return test_run_suite(stats_suite());
}
