/* verdict_sim.c: `make bench-verdict`: prints the figures of reports/README.md,
 * "Sized repetitions (repetitions = auto)": how much power compare's verdict has at
 * the Welch MDC it printed before D3 and at power_mdc's answer, the MDC it prints
 * now (set_mdc), how long power_mdc takes,
 * and the sized-repetition procedure (pilot 3 per variant, plan, one comparison)
 * over 1,000 seeded trials: A/A false "worse" rates, power at true 2% and 5%
 * shifts, mean repetitions chosen and cap hits. Deterministic apart from the times.
 * Simulated comparisons use 2,000 bootstrap resamples (compare: 10,000), the
 * planner's table 200 trials and 1,000 resamples, power_mdc its defaults. */
#include "pvbench/power.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define TRIALS 1000
#define PILOT 3
#define CAP 30 /* repetitions per variant at most */

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

static int fail(const char *what, int rc)
{
	fprintf(stderr, "error: %s failed: %s\n", what, strerror(-rc));
	return 1;
}

/* D3: verdict power at the former Welch MDC and at power_mdc (compare's MDC), cv 3%. */
static int mdc_section(void)
{
	static const size_t ns[] = {5, 8, 10}, ks[] = {1, 3, 8};
	struct cmp_opts o = CMP_OPTS_DEFAULT;
	struct power_opts pm = POWER_MDC_OPTS_DEFAULT, pv = POWER_OPTS_DEFAULT;

	pv.trials = TRIALS;
	pv.seed = 99;
	printf("## MDC (cv 3%%, normal model): verdict power at each figure, %d trials\n\n",
	       TRIALS);
	printf("| n per side | k | Welch MDC (before D3) | power there | power_mdc (compare's MDC) "
	       "| power there | power_mdc time |\n|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		for (size_t j = 0; j < sizeof(ks) / sizeof(ks[0]); j++) {
			double welch, pw = NAN, mdc, pmdc = NAN, t0;
			int rc;

			if ((rc = stats_mdd(0.03, ns[i], 0.03, ns[i], o.alpha / ks[j], 0.80,
					    &welch)) ||
			    (rc = power_verdict_cv(0.03, welch, ns[i], ns[i], ks[j], &o, &pv, &pw,
						   NULL)))
				return fail("welch power", rc);
			t0 = now();
			if ((rc = power_mdc_cv(0.03, ns[i], ns[i], ks[j], &o, &pm, &mdc)))
				return fail("power_mdc", rc);
			t0 = now() - t0;
			if (isfinite(mdc) && (rc = power_verdict_cv(0.03, mdc, ns[i], ns[i], ks[j],
								    &o, &pv, &pmdc, NULL)))
				return fail("mdc power", rc);
			if (isfinite(mdc))
				printf(
				    "| %zu | %zu | %.2f%% | %.1f%% | %.2f%% | %.1f%% | %.2f s |\n",
				    ns[i], ks[j], 100 * welch, 100 * pw, 100 * mdc, 100 * pmdc, t0);
			else
				printf("| %zu | %zu | %.2f%% | %.1f%% | none | - | %.2f s |\n",
				       ns[i], ks[j], 100 * welch, 100 * pw, t0);
		}
	return 0;
}

/* compare's load: 8 metrics x 3 pairs at n = 10, one family of 24 tests. */
static int mdc_load(void)
{
	struct cmp_opts o = CMP_OPTS_DEFAULT;
	struct power_opts pm = POWER_MDC_OPTS_DEFAULT;
	double t0 = now(), mdc;

	for (int i = 0; i < 24; i++) {
		int rc = power_mdc_cv(0.005 + 0.005 * (i % 8), 10, 10, 24, &o, &pm, &mdc);

		if (rc)
			return fail("power_mdc", rc);
	}
	printf("\npower_mdc for 8 metrics x 3 pairs (n = 10, cv 0.5-4%%, k = 24): %.1f s in all\n",
	       now() - t0);
	return 0;
}

static int proc_rows(const struct power_table *t, size_t k, const double *cvs, size_t ncv)
{
	struct cmp_opts o = CMP_OPTS_DEFAULT;

	o.resamples = 2000;
	for (size_t i = 0; i < ncv; i++) {
		struct power_proc aa, p2, p5;
		double t0 = now();
		int rc;

		if ((rc = power_proc_sim(t, cvs[i], 0, k, PILOT, TRIALS, 11, &o, &aa)) ||
		    (rc = power_proc_sim(t, cvs[i], 0.02, k, PILOT, TRIALS, 12, &o, &p2)) ||
		    (rc = power_proc_sim(t, cvs[i], 0.05, k, PILOT, TRIALS, 13, &o, &p5)))
			return fail("power_proc_sim", rc);
		printf(
		    "| %.1f%% | %zu | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %.1f / %.1f / "
		    "%.1f | %lu / %lu / %lu | %.0f s |\n",
		    100 * cvs[i], k, 100 * aa.frac[V_WORSE], 100 * aa.frac[V_BETTER],
		    100 * aa.any_worse, 100 * p2.frac[V_BETTER], 100 * p5.frac[V_BETTER], aa.mean_n,
		    p2.mean_n, p5.mean_n, aa.cap_hits, p2.cap_hits, p5.cap_hits, now() - t0);
	}
	return 0;
}

/* The sized-repetition procedure, detect = 2%, cap CAP per variant. */
static int proc_section(void)
{
	static const double cvs[] = {0.005, 0.01, 0.03, 0.15};
	struct cmp_opts o = CMP_OPTS_DEFAULT;
	struct power_opts po = POWER_OPTS_DEFAULT;
	struct power_table t[2];

	po.trials = 200;
	po.resamples = 1000;
	printf("\n## Sized repetitions: pilot %d per variant, detect 2%%, cap %d, %d trials per "
	       "cell\n\n",
	       PILOT, CAP, TRIALS);
	for (size_t k = 1; k <= 2; k++) {
		double t0 = now();
		int rc = power_table_build(PILOT, CAP, 0.02, k, &o, &po, &t[k - 1]);

		if (rc)
			return fail("power_table_build", rc);
		printf("table k = %zu (%.0f s): largest cv per n:", k, now() - t0);
		for (size_t n = PILOT; n <= CAP; n++)
			printf(" %zu:%.2f%%", n, 100 * t[k - 1].cv_max[n - PILOT]);
		printf("\n");
	}
	printf("\n| cv | k | A/A worse | A/A better | A/A any worse | power 2%% | power 5%% | "
	       "mean n (A/A / 2%% / 5%%) | cap hits | time |\n|---|---|---|---|---|---|---|---|---|"
	       "---|\n");
	for (size_t k = 1; k <= 2; k++) {
		int rc = proc_rows(&t[k - 1], k, cvs, sizeof(cvs) / sizeof(cvs[0]));

		power_table_free(&t[k - 1]);
		if (rc)
			return rc;
	}
	return 0;
}

int main(void)
{
	double t0 = now();
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((rc = mdc_section()) || (rc = mdc_load()) || (rc = proc_section()))
		return rc;
	printf("\ntotal %.0f s\n", now() - t0);
	return 0;
}
