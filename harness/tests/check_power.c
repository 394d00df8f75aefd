/* check_power.c: unit tests of power.c: the pilot's spread, determinism, the
 * minimum detectable change of the verdict procedure checked by an independent
 * simulation, both alone and as compare prints it (cmp_metric.mdc), the Welch
 * figure it replaced, the planner and a short A/A run of the sized-repetition
 * procedure (the 1,000-trial figures are `make bench-verdict`'s). */
#include "pvbench/power.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

static const struct cmp_opts cmp_default = CMP_OPTS_DEFAULT;

START_TEST(test_pilot_cv)
{
	double b[] = {9, 10, 11}, n[] = {18, 20, 22}, same[] = {5, 5, 5}, cv;

	ck_assert_int_eq(power_pilot_cv(b, 3, NULL, 0, &cv), 0);
	ck_assert_double_eq_tol(cv, 0.1, 1e-12);
	/* relative residuals about each side's own mean: the shift does not count */
	ck_assert_int_eq(power_pilot_cv(b, 3, n, 3, &cv), 0);
	ck_assert_double_eq_tol(cv, 0.1, 1e-12);
	ck_assert_int_eq(power_pilot_cv(same, 3, same, 3, &cv), 0);
	ck_assert_double_eq(cv, 0);
}
END_TEST

START_TEST(test_deterministic)
{
	struct power_opts po = POWER_OPTS_DEFAULT;
	double a, b, f[V_NVERDICT];

	po.trials = 100;
	ck_assert_int_eq(power_verdict_cv(0.03, 0.05, 8, 8, 2, &cmp_default, &po, &a, f), 0);
	ck_assert_int_eq(power_verdict_cv(0.03, 0.05, 8, 8, 2, &cmp_default, &po, &b, NULL), 0);
	ck_assert_double_eq(a, b);
	ck_assert_double_eq(a, f[V_BETTER]);
	ck_assert_double_eq_tol(f[0] + f[1] + f[2] + f[3], 1, 1e-12);
	/* a decrease is detected as "worse" */
	ck_assert_int_eq(power_verdict_cv(0.03, -0.2, 8, 8, 1, &cmp_default, &po, &a, f), 0);
	ck_assert_double_eq(a, f[V_WORSE]);
	ck_assert(a > 0.95);
}
END_TEST

/* At the shift power_mdc reports, a simulation with other trials and seeds, more
 * trials and twice the resamples finds the target power within a few points. */
static const struct mdc_case {
	size_t n, k;
	double cv;
} mdc_cases[] = {{5, 1, 0.03}, {8, 3, 0.03}, {10, 2, 0.01}};

START_TEST(test_mdc_calibrated)
{
	const struct mdc_case *c = &mdc_cases[_i];
	struct power_opts pm = POWER_MDC_OPTS_DEFAULT, pv = POWER_OPTS_DEFAULT;
	double mdc, power;

	ck_assert_int_eq(power_mdc_cv(c->cv, c->n, c->n, c->k, &cmp_default, &pm, &mdc), 0);
	ck_assert(isfinite(mdc) && mdc > 0);
	pv.trials = 1000;
	pv.seed = 4242;
	ck_assert_int_eq(
	    power_verdict_cv(c->cv, mdc, c->n, c->n, c->k, &cmp_default, &pv, &power, NULL), 0);
	ck_assert_msg(fabs(power - 0.80) <= 0.05, "n %zu k %zu: power %.3f at mdc %.4f", c->n, c->k,
		      power, mdc);
}
END_TEST

/* D3: the Welch figure compare used to print (stats_mdd) is too small for the
 * verdict procedure. */
START_TEST(test_welch_mdc_short)
{
	struct power_opts pm = POWER_MDC_OPTS_DEFAULT, pv = POWER_OPTS_DEFAULT;
	double welch, mdc, power;

	ck_assert_int_eq(stats_mdd(0.03, 10, 0.03, 10, 0.05, 0.80, &welch), 0);
	ck_assert_int_eq(power_verdict_cv(0.03, welch, 10, 10, 1, &cmp_default, &pv, &power, NULL),
			 0);
	ck_assert_msg(power < 0.72, "power %.3f at the Welch mdc %.4f", power, welch);
	ck_assert_int_eq(power_mdc_cv(0.03, 10, 10, 1, &cmp_default, &pm, &mdc), 0);
	ck_assert(mdc > 1.1 * welch);
}
END_TEST

/* D3: the MDC compare prints. Fixed seeded samples (n per side, cv 3%) of k
 * primary metrics go through compare_metric and compare_finish; at a true shift
 * equal to metric 0's printed MDC, an independent simulation of the verdict (its
 * own trials and seed, 1,000 trials, 2,000 resamples) from the same samples'
 * spread finds 80% power +-5 points. compare's former Welch figure gave 64-72%. */
static const struct printed_case {
	size_t n, k;
} printed_cases[] = {{10, 1}, {7, 3}};

START_TEST(test_mdc_printed)
{
	const struct printed_case *c = &printed_cases[_i];
	struct cmp_opts o = CMP_OPTS_DEFAULT;
	struct power_opts pv = POWER_OPTS_DEFAULT;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double b[3][10], x[3][10], power;
	struct cmp_metric m[3];

	ck_assert_ptr_nonnull(rng);
	gsl_rng_set(rng, 20260503);
	for (size_t j = 0; j < c->k; j++) {
		for (size_t i = 0; i < c->n; i++) {
			b[j][i] = 1000 * (1 + gsl_ran_gaussian(rng, 0.03));
			x[j][i] = 1000 * (1 + gsl_ran_gaussian(rng, 0.03));
		}
		m[j] = (struct cmp_metric){
		    .name = "sim", .meta = {"IO/s", METRIC_HIGHER, true}, .primary = true};
		ck_assert_int_eq(compare_metric(b[j], c->n, x[j], c->n, &o, &m[j]), 0);
	}
	gsl_rng_free(rng);
	ck_assert_int_eq(compare_finish(m, c->k, &o), 0);
	ck_assert_msg(isfinite(m[0].mdc) && m[0].mdc > 0, "mdc %g", m[0].mdc);
	ck_assert_uint_eq(m[0].mdc_k, c->k);
	pv.trials = 1000;
	pv.seed = 4242;
	ck_assert_int_eq(power_verdict(b[0], c->n, x[0], c->n, m[0].mdc, c->n, c->k, &o, &pv,
				       &power, NULL),
			 0);
	ck_assert_msg(fabs(power - 0.80) <= 0.05, "n %zu k %zu: power %.3f at the printed mdc %.4f",
		      c->n, c->k, power, m[0].mdc);
	/* a second compare_finish over the same family reuses the figure */
	power = m[0].mdc;
	ck_assert_int_eq(compare_finish(m, c->k, &o), 0);
	ck_assert_double_eq(m[0].mdc, power);
}
END_TEST

/* Simulated verdicts compute no MDC (no simulation inside the simulation), and
 * neither does compare with no_mdc. */
START_TEST(test_no_mdc)
{
	double b[] = {100, 103, 97, 101, 99, 102}, n[] = {110, 108, 112, 111, 109, 107};
	struct cmp_opts o = CMP_OPTS_DEFAULT;
	struct cmp_metric m = {.name = "x", .meta = {"IO/s", METRIC_HIGHER, true}, .primary = true};

	o.no_mdc = true;
	ck_assert_int_eq(compare_metric(b, 6, n, 6, &o, &m), 0);
	ck_assert_int_eq(compare_finish(&m, 1, &o), 0);
	ck_assert(isnan(m.mdc) && isnan(m.cv_pooled));
	ck_assert(!(m.notes & NOTE_UNDETECTABLE));
	ck_assert_int_eq(m.verdict, V_BETTER);
}
END_TEST

START_TEST(test_mdc_samples)
{
	double b[] = {100, 103, 97, 101, 99, 102}, n[] = {110, 108, 112, 111, 109, 107};
	struct power_opts pm = POWER_MDC_OPTS_DEFAULT;
	double a, c, cv;

	ck_assert_int_eq(power_mdc(b, 6, n, 6, 1, &cmp_default, &pm, &a), 0);
	ck_assert_int_eq(power_pilot_cv(b, 6, n, 6, &cv), 0);
	ck_assert_int_eq(power_mdc_cv(cv, 6, 6, 1, &cmp_default, &pm, &c), 0);
	ck_assert_double_eq(a, c);
	ck_assert(a > cv && a < 10 * cv);
}
END_TEST

START_TEST(test_plan)
{
	struct power_opts po = POWER_OPTS_DEFAULT;
	double calm[] = {1000, 1005, 995}, wild[] = {800, 1000, 1200};
	struct power_pilot p[2] = {{calm, calm, 3, 3}, {wild, calm, 3, 3}};
	struct power_table t;
	struct power_plan plan;

	po.trials = 100;
	po.resamples = 1000;
	ck_assert_int_eq(power_table_build(3, 8, 0.02, 1, &cmp_default, &po, &t), 0);
	ck_assert_double_eq(t.cv_max[0], 0); /* 3 vs 3: the smallest p is 0.1 */
	for (size_t i = 1; i <= 5; i++)
		ck_assert(t.cv_max[i] >= t.cv_max[i - 1]);
	ck_assert_int_eq(power_plan(&t, p, 1, 3, &plan), 0);
	ck_assert(!plan.cap_hit && plan.n == 4 && plan.extra == 1);
	ck_assert(isnan(plan.power));
	/* the largest cv of the metrics decides; k is the table's */
	ck_assert_int_eq(power_plan(&t, p, 2, 3, &plan), -EINVAL);
	ck_assert_int_eq(power_plan(&t, p + 1, 1, 3, &plan), 0);
	ck_assert(plan.cap_hit && plan.n == 8 && plan.extra == 5);
	ck_assert(plan.cv > 0.1);
	power_table_free(&t);

	ck_assert_int_eq(power_reps_needed(p, 2, 2, 3, 0.02, 6, &cmp_default, &po, &plan), 0);
	ck_assert(plan.cap_hit && plan.n == 6 && plan.power < 0.5);
}
END_TEST

/* The procedure under the null: pilot 3, plan, the rest, one comparison. */
START_TEST(test_aa_procedure)
{
	struct cmp_opts o = CMP_OPTS_DEFAULT;
	struct power_opts po = POWER_OPTS_DEFAULT;
	struct power_table t;
	struct power_proc r;

	po.trials = 100;
	po.resamples = 1000;
	o.resamples = 1000;
	ck_assert_int_eq(power_table_build(3, 12, 0.02, 2, &cmp_default, &po, &t), 0);
	ck_assert_int_eq(power_proc_sim(&t, 0.01, 0, 2, 3, 200, 7, &o, &r), 0);
	ck_assert_msg(r.frac[V_WORSE] <= 0.08 && r.any_worse <= 0.10, "false worse %.3f, any %.3f",
		      r.frac[V_WORSE], r.any_worse);
	ck_assert(r.mean_n >= 5 && r.mean_n <= 12);
	ck_assert_int_eq(power_proc_sim(&t, 0.01, 0.05, 2, 3, 100, 7, &o, &r), 0);
	ck_assert(r.frac[V_BETTER] > 0.7);
	power_table_free(&t);
}
END_TEST

START_TEST(test_errors)
{
	struct power_opts po = POWER_OPTS_DEFAULT, bad = po;
	double x[] = {1, 2, 3}, neg[] = {-1, -2, -3}, v;
	struct power_table t;

	ck_assert_int_eq(power_pilot_cv(x, 0, x, 3, &v), -EINVAL);
	ck_assert_int_eq(power_pilot_cv(neg, 3, NULL, 0, &v), -EDOM);
	ck_assert_int_eq(power_pilot_cv(x, 1, x, 1, &v), -EDOM);
	ck_assert_int_eq(power_verdict(neg, 3, x, 3, 0.1, 5, 1, &cmp_default, &po, &v, NULL),
			 -EDOM);
	ck_assert_int_eq(power_verdict_cv(0.1, 0.1, 0, 5, 1, &cmp_default, &po, &v, NULL), -EINVAL);
	ck_assert_int_eq(power_verdict_cv(0.1, 0.1, 5, 5, 0, &cmp_default, &po, &v, NULL), -EINVAL);
	ck_assert_int_eq(power_verdict_cv(0.1, -1, 5, 5, 1, &cmp_default, &po, &v, NULL), -EINVAL);
	ck_assert_int_eq(power_verdict_cv(-0.1, 0.1, 5, 5, 1, &cmp_default, &po, &v, NULL),
			 -EINVAL);
	bad.target = 1;
	ck_assert_int_eq(power_mdc_cv(0.1, 5, 5, 1, &cmp_default, &bad, &v), -EINVAL);
	bad = po;
	bad.trials = 0;
	ck_assert_int_eq(power_mdc_cv(0.1, 5, 5, 1, &cmp_default, &bad, &v), -EINVAL);
	ck_assert_int_eq(power_table_build(1, 5, 0.02, 1, &cmp_default, &po, &t), -EINVAL);
	ck_assert_int_eq(power_table_build(5, 4, 0.02, 1, &cmp_default, &po, &t), -EINVAL);
	ck_assert_int_eq(power_table_build(3, 5, 0, 1, &cmp_default, &po, &t), -EINVAL);
}
END_TEST

START_TEST(test_undetectable)
{
	struct power_opts po = POWER_MDC_OPTS_DEFAULT;
	double v;

	po.trials = 50;
	/* 3 vs 3: smallest two-sided exact p 2 / C(6, 3) = 0.1; 5 vs 5 with k = 8:
	 * 2 / 252 = 0.0079 is not below 0.05 / 8 */
	ck_assert_int_eq(power_mdc_cv(0.02, 3, 3, 1, &cmp_default, &po, &v), 0);
	ck_assert(isinf(v));
	ck_assert_int_eq(power_mdc_cv(0.02, 5, 5, 8, &cmp_default, &po, &v), 0);
	ck_assert(isinf(v));
	ck_assert_int_eq(power_verdict_cv(0.02, 1.0, 3, 3, 1, &cmp_default, &po, &v, NULL), 0);
	ck_assert_double_eq(v, 0);
}
END_TEST

START_TEST(test_time_cap)
{
	size_t cap;

	/* 2 variants x 60 s: 30 min hold 15 per variant */
	ck_assert_int_eq(power_time_cap(60, 2, 30, 100, &cap), 0);
	ck_assert_uint_eq(cap, 15);
	ck_assert_int_eq(power_time_cap(60, 2, 30, 10, &cap), 0);
	ck_assert_uint_eq(cap, 10);
	ck_assert_int_eq(power_time_cap(60, 2, 0, 10, &cap), 0);
	ck_assert_uint_eq(cap, 10);
	ck_assert_int_eq(power_time_cap(600, 2, 5, 10, &cap), -ERANGE);
	ck_assert_int_eq(power_time_cap(0, 2, 5, 10, &cap), -EINVAL);
	ck_assert_int_eq(power_time_cap(60, 0, 5, 10, &cap), -EINVAL);
	ck_assert_double_eq_tol(power_wall_minutes(15, 2, 60), 30, 1e-12);
}
END_TEST

static Suite *power_suite(void)
{
	Suite *s = suite_create("power");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");
	TCase *limits = tcase_create("limits");

	tcase_add_test(core, test_pilot_cv);
	tcase_add_test(core, test_deterministic);
	tcase_add_loop_test(core, test_mdc_calibrated, 0, ARRAY_SIZE(mdc_cases));
	tcase_add_test(core, test_welch_mdc_short);
	tcase_add_test(core, test_mdc_samples);
	tcase_add_loop_test(core, test_mdc_printed, 0, ARRAY_SIZE(printed_cases));
	tcase_add_test(core, test_no_mdc);
	tcase_add_test(core, test_plan);
	tcase_add_test(core, test_aa_procedure);
	tcase_add_test(errors, test_errors);
	tcase_add_test(limits, test_undetectable);
	tcase_add_test(limits, test_time_cap);
	tcase_set_timeout(core, 120);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return test_run_suite(power_suite());
}
