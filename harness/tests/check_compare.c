/* check_compare.c: unit tests of compare.c and results_load.c: the verdict rule,
 * metric directions, comparisons of the synthetic fixtures (SYNTHETIC data, see
 * harness/tests/data/results/README.md), `pvbench compare` exit statuses, error
 * lines and output formats, and seeded simulations of the verdict's error rates.
 * Run from the repository root. */
#include "pvbench/commands.h"
#include "pvbench/compare.h"
#include "pvbench/report.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#define D "harness/tests/data/results/"

/* ---- the verdict rule ---- */

static const struct verdict_case {
	enum metric_better better;
	double p, lo, hi;
	enum verdict want;
} verdict_cases[] = {
    {METRIC_HIGHER, 0.001, 0.05, 0.10, V_BETTER},
    {METRIC_HIGHER, 0.001, -0.10, -0.05, V_WORSE},
    {METRIC_LOWER, 0.001, 0.05, 0.10, V_WORSE},
    {METRIC_LOWER, 0.001, -0.10, -0.05, V_BETTER},
    {METRIC_HIGHER, 0.20, 0.05, 0.10, V_INCONCLUSIVE},	 /* interval alone is not enough */
    {METRIC_HIGHER, 0.001, -0.01, 0.10, V_INCONCLUSIVE}, /* interval holds 0 */
    {METRIC_HIGHER, 0.50, -0.015, 0.019, V_NO_CHANGE},
    {METRIC_HIGHER, 0.50, -0.02, 0.02, V_NO_CHANGE}, /* band edges count */
    {METRIC_HIGHER, 0.50, -0.021, 0.01, V_INCONCLUSIVE},
    {METRIC_HIGHER, 0.001, 0.005, 0.015, V_BETTER}, /* clear, if small, change */
    {METRIC_BETTER_UNKNOWN, 0.001, 0.05, 0.10, V_INCONCLUSIVE},
    {METRIC_BETTER_UNKNOWN, 0.60, -0.01, 0.01, V_NO_CHANGE},
};

START_TEST(test_verdict_rule)
{
	const struct verdict_case *c = &verdict_cases[_i];
	struct cmp_opts o = CMP_OPTS_DEFAULT;

	ck_assert_str_eq(verdict_names[compare_verdict(c->better, c->p, c->lo, c->hi, &o)],
			 verdict_names[c->want]);
}
END_TEST

/* ---- directions and units ---- */

static const struct dir_case {
	const char *metric, *unit;
	enum metric_better better;
} dir_cases[] = {
    {"read_iops", "IO/s", METRIC_HIGHER},
    {"iops", "IO/s", METRIC_HIGHER},
    {"read_bw_bytes_per_s", "B/s", METRIC_HIGHER},
    {"tx_bits_per_s", "bit/s", METRIC_HIGHER},
    {"requests_per_s", "1/s", METRIC_HIGHER},
    {"read_clat_p99_ns", "ns", METRIC_LOWER},
    {"boot_s", "s", METRIC_LOWER},
    {"cpu_sys_pct", "%", METRIC_LOWER},
    {"rss_bytes", "B", METRIC_BETTER_UNKNOWN},
    {"frobs", "", METRIC_BETTER_UNKNOWN},
    /* metrics_meta wins over the suffix */
    {"odd_ns", "widgets", METRIC_HIGHER},
};

START_TEST(test_direction)
{
	const struct dir_case *c = &dir_cases[_i];
	struct pvb_results r = {0};
	struct result_meta m;

	r.root = json_loads("{\"metrics_meta\": {\"odd_ns\": {\"unit\": \"widgets\", "
			    "\"better\": \"higher\"}, \"frobs\": {\"better\": \"sideways\"}}}",
			    0, NULL);
	ck_assert_ptr_nonnull(r.root);
	results_metric_meta(&r, c->metric, &m);
	ck_assert_str_eq(m.unit, c->unit);
	ck_assert_str_eq(metric_better_name(m.better), metric_better_name(c->better));
	json_decref(r.root);
}
END_TEST

/* ---- the fixtures ---- */

static const struct cmp_metric *find(const struct comparison *c, const char *variant,
				     const char *metric)
{
	for (size_t i = 0; i < c->npair; i++)
		for (size_t j = 0; j < c->pair[i].nm; j++)
			if (!strcmp(c->pair[i].new->name, variant) &&
			    !strcmp(c->pair[i].m[j].name, metric))
				return &c->pair[i].m[j];
	ck_abort_msg("no metric %s in variant %s", metric, variant);
	return NULL;
}

START_TEST(test_load_counts)
{
	struct pvb_results r;
	const struct pvb_variant *v;

	ck_assert_int_eq(results_load(D "base", &r), 0);
	ck_assert_str_eq(r.label, "base");
	ck_assert(r.emulated);
	ck_assert_uint_eq(r.nvar, 2);
	v = results_baseline(&r);
	ck_assert_str_eq(v->name, "1q");
	ck_assert_uint_eq(v->nruns, 8);
	ck_assert_uint_eq(v->nstatus[PVB_OK], 7);
	ck_assert_uint_eq(v->nstatus[PVB_CRASH], 1);
	ck_assert_uint_eq(variant_series(v, "read_iops")->n, 7);
	v = results_variant(&r, "mq");
	ck_assert_uint_eq(v->nstatus[PVB_INVALID], 1);
	ck_assert_uint_eq(variant_excluded(v), 1);
	results_free(&r);
}
END_TEST

START_TEST(test_compare_runs)
{
	struct pvb_results a, b;
	struct comparison c;
	struct cmp_opts o = CMP_OPTS_DEFAULT;
	const struct cmp_metric *m;

	ck_assert_int_eq(results_load(D "base/results.json", &a), 0);
	ck_assert_int_eq(results_load(D "new", &b), 0);
	ck_assert_int_eq(compare_runs(&a, &b, &o, &c), 0);
	ck_assert_uint_eq(c.npair, 2);
	m = find(&c, "mq", "read_iops");
	ck_assert_str_eq(verdict_names[m->verdict], "better");
	ck_assert(m->boot.change > 0.18 && m->boot.change < 0.30);
	ck_assert(m->boot.lo > 0 && m->boot.lo <= m->boot.change && m->boot.change <= m->boot.hi);
	ck_assert(m->p_holm >= m->mw.p && m->base.n == 7 && m->new.n == 7);
	ck_assert(isfinite(m->mdc) && m->mdc > 0);
	ck_assert_str_eq(verdict_names[find(&c, "mq", "cpu_sys_pct")->verdict], "worse");
	ck_assert_str_eq(verdict_names[find(&c, "mq", "read_clat_p99_ns")->verdict], "no change");
	ck_assert_int_eq(comparison_exit_status(&c), 1);
	comparison_free(&c);
	results_free(&a);
	results_free(&b);
}
END_TEST

START_TEST(test_compare_variants)
{
	struct pvb_results r;
	struct comparison c;
	struct cmp_opts o = CMP_OPTS_DEFAULT;

	ck_assert_int_eq(results_load(D "new", &r), 0);
	ck_assert_int_eq(compare_variants(&r, NULL, &o, &c), 0);
	ck_assert_uint_eq(c.npair, 1);
	ck_assert_str_eq(c.pair[0].base->name, "1q");
	ck_assert_str_eq(verdict_names[find(&c, "mq", "read_iops")->verdict], "better");
	comparison_free(&c);
	o.metrics = "read_*_p9?_ns";
	ck_assert_int_eq(compare_variants(&r, "mq", &o, &c), 0);
	ck_assert_uint_eq(c.pair[0].nm, 2); /* p90 and p99 */
	comparison_free(&c);
	results_free(&r);
}
END_TEST

START_TEST(test_few_samples)
{
	struct pvb_results r;
	struct comparison c;
	struct cmp_opts o = CMP_OPTS_DEFAULT;

	ck_assert_int_eq(results_load(D "hostile", &r), 0);
	ck_assert_int_eq(compare_variants(&r, NULL, &o, &c), 0);
	for (size_t j = 0; j < c.pair[0].nm; j++) {
		const struct cmp_metric *m = &c.pair[0].m[j];

		ck_assert(m->notes & NOTE_FEW_SAMPLES);
		ck_assert(m->notes & NOTE_UNDETECTABLE); /* 3 vs 2: min p is 0.2 */
		ck_assert(isinf(m->mdc));
		ck_assert_int_eq(m->verdict, V_INCONCLUSIVE);
	}
	comparison_free(&c);
	results_free(&r);
}
END_TEST

/* ---- the command: exit statuses and single error lines ---- */

static const struct cli_case {
	const char *args[8];
	int status;
	int error_lines, warning_lines; /* stderr holds these and nothing else */
} cli_cases[] = {
    {{D "base", D "new"}, 1, 0, 0},
    {{D "base", D "new", "--metrics", "read_iops"}, 3, 0, 0},
    {{D "base", D "new", "--metrics", "read_clat_p99_ns"}, 0, 0, 0},
    {{D "base", "--baseline", "mq", "--metrics", "read_clat_p99_ns"}, 0, 0, 0},
    {{D "base", D "new", "--format", "json"}, 1, 0, 0},
    {{D "base", D "new", "--tap"}, 1, 0, 0},
    {{"--help"}, 0, 0, 0},
    {{D "truncated.json", D "new"}, 2, 1, 0},
    {{D "wrong-schema.json", D "new"}, 2, 1, 0},
    {{D "base", D "no-common-metrics.json"}, 2, 1, 0},
    {{D "all-failed.json"}, 2, 1, 0},
    {{D "base", D "all-failed.json"}, 2, 1, 0},
    {{D "base", D "sweep"}, 2, 1, 0}, /* no common variants */
    {{D "sweep"}, 3, 0, 0},
    {{D "hostile", "--tap"}, 3, 0, 1}, /* fewer than 5 samples: one warning */
    {{D "does-not-exist", D "new"}, 2, 1, 0},
    {{D "base", "--baseline", "nope"}, 2, 1, 0},
    {{D "base", D "new", "--baseline", "1q"}, 2, 1, 0},
    {{D "base", D "new", "--format", "xml"}, 2, 1, 0},
    {{D "base", D "new", "--band", "lots"}, 2, 1, 0},
    {{D "base", D "new", "--resamples", "100"}, 2, 1, 0},
    {{"--frobnicate"}, 2, 1, 0},
    {{NULL}, 2, 1, 0},
};

static int count_lines(const char *path, const char *prefix)
{
	char line[4096];
	int n = 0;
	FILE *f = fopen(path, "r");

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		n += !prefix || !strncmp(line, prefix, strlen(prefix));
	fclose(f);
	return n;
}

/* Runs cmd_compare with stdout and stderr in temporary files. */
static int run_compare(const char *const *args, char *out, char *err)
{
	char *argv[12] = {"compare"};
	int argc = 1, fd;

	for (; argc < 11 && args[argc - 1]; argc++)
		argv[argc] = (char *)args[argc - 1];
	fd = mkstemp(out);
	ck_assert(fd >= 0 && freopen(out, "w", stdout));
	close(fd);
	fd = mkstemp(err);
	ck_assert(fd >= 0 && freopen(err, "w", stderr));
	close(fd);
	fd = cmd_compare(argc, argv);
	fflush(stdout);
	fflush(stderr);
	return fd;
}

START_TEST(test_cli)
{
	const struct cli_case *c = &cli_cases[_i];
	char out[] = "/tmp/check_compare.out.XXXXXX", err[] = "/tmp/check_compare.err.XXXXXX";
	int status = run_compare(c->args, out, err);

	ck_assert_int_eq(status, c->status);
	ck_assert_int_eq(count_lines(err, "error: "), c->error_lines);
	ck_assert_int_eq(count_lines(err, "warning: "), c->warning_lines);
	ck_assert_int_eq(count_lines(err, NULL), c->error_lines + c->warning_lines);
	unlink(out);
	unlink(err);
}
END_TEST

/* ---- output formats ---- */

static char *compare_output(const char *const *args)
{
	char out[] = "/tmp/check_compare.out.XXXXXX", err[] = "/tmp/check_compare.err.XXXXXX";
	char *text;

	run_compare(args, out, err);
	text = read_file(out, NULL);
	unlink(out);
	unlink(err);
	ck_assert_ptr_nonnull(text);
	return text;
}

START_TEST(test_json)
{
	const char *args[] = {D "base", D "new", "--format", "json", NULL};
	char *text = compare_output(args);
	json_t *j = json_loads(text, 0, NULL), *m;

	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(rj_str(j, "schema"), "pvbench-compare/1");
	ck_assert_int_eq(json_array_size(json_object_get(j, "pairs")), 2);
	m = json_array_get(
	    json_object_get(json_array_get(json_object_get(j, "pairs"), 1), "metrics"), 0);
	ck_assert_str_eq(rj_str(m, "name"), "read_iops");
	ck_assert_str_eq(rj_str(m, "verdict"), "better");
	ck_assert(rj_num(m, "ci_lo_pct", 0) > 10);
	ck_assert_int_eq(rj_num(json_object_get(j, "summary"), "worse", 0), 1);
	ck_assert_int_eq(rj_num(j, "exit_status", 0), 1);
	json_decref(j);
	free(text);
}
END_TEST

START_TEST(test_csv_tap)
{
	const char *csv_args[] = {D "base", D "new", "--format", "csv", NULL};
	const char *tap_args[] = {D "base", D "new", "--tap", NULL};
	char *csv = compare_output(csv_args), *tap = compare_output(tap_args), *p;
	int rows = 0, not_ok = 0;

	for (p = csv; (p = strchr(p, '\n')); p++)
		rows++;
	ck_assert_int_eq(rows, 1 + 18);
	ck_assert(!strncmp(csv, "base_run,base_variant,", 22));
	ck_assert(!strncmp(tap, "TAP version 13\n1..18\n", 21));
	for (p = tap; (p = strstr(p, "\nnot ok ")); p++)
		not_ok++;
	ck_assert_int_eq(not_ok, 1);
	ck_assert_ptr_nonnull(strstr(tap, "# SKIP inconclusive"));
	free(csv);
	free(tap);
}
END_TEST

START_TEST(test_junit)
{
	char xml[] = "/tmp/check_compare.junit.XXXXXX";
	int fd = mkstemp(xml);
	const char *args[] = {D "base", D "new", "--brief", "--junit", xml, NULL};
	char *text;

	ck_assert(fd >= 0);
	close(fd);
	free(compare_output(args));
	text = read_file(xml, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "<testsuites name=\"pvbench compare\" tests=\"18\" "
					   "failures=\"1\""));
	ck_assert_ptr_nonnull(strstr(text, "name=\"cpu_sys_pct\""));
	ck_assert_ptr_nonnull(strstr(text, "<failure type=\"worse\""));
	ck_assert_ptr_nonnull(strstr(text, "<skipped message=\"inconclusive"));
	unlink(xml);
	free(text);
}
END_TEST

/* ---- seeded simulations of the verdict's error rates ---- */

#define TRIALS 1000
#define N 10

static enum verdict simulate(gsl_rng *rng, double shift, double cv, enum metric_better better,
			     unsigned long seed)
{
	double base[N], new[N];
	struct cmp_opts o = CMP_OPTS_DEFAULT;
	struct cmp_metric m = {.name = "sim", .meta = {"IO/s", better, true}};

	for (int i = 0; i < N; i++) {
		base[i] = 1000 + gsl_ran_gaussian(rng, 1000 * cv);
		new[i] = 1000 * (1 + shift) + gsl_ran_gaussian(rng, 1000 * cv);
	}
	o.seed = seed;
	ck_assert_int_eq(compare_metric(base, N, new, N, &o, &m), 0);
	ck_assert_int_eq(compare_finish(&m, 1, &o), 0);
	return m.verdict;
}

START_TEST(test_sim_null)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	int worse = 0, better = 0;

	gsl_rng_set(rng, 4242);
	for (int t = 0; t < TRIALS; t++) {
		enum verdict v = simulate(rng, 0, 0.03, METRIC_HIGHER, t + 1);

		worse += v == V_WORSE;
		better += v == V_BETTER;
	}
	gsl_rng_free(rng);
	/* same distribution, n = 10, CV 3%: "worse" at most 5% of the time */
	ck_assert_msg(worse <= TRIALS / 20, "worse in %d of %d null trials", worse, TRIALS);
	ck_assert_msg(better <= TRIALS / 20, "better in %d of %d null trials", better, TRIALS);
}
END_TEST

START_TEST(test_sim_shift)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	int right = 0;

	gsl_rng_set(rng, 777);
	for (int t = 0; t < TRIALS; t++) {
		/* a true +10% shift, n = 10, CV 2%; half the trials lower-is-better */
		enum metric_better b = t % 2 ? METRIC_LOWER : METRIC_HIGHER;
		enum verdict v = simulate(rng, 0.10, 0.02, b, t + 1);

		right += v == (b == METRIC_HIGHER ? V_BETTER : V_WORSE);
	}
	gsl_rng_free(rng);
	ck_assert_msg(right >= TRIALS * 95 / 100, "right in only %d of %d trials", right, TRIALS);
}
END_TEST

static Suite *compare_suite(void)
{
	Suite *s = suite_create("compare");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");
	TCase *limits = tcase_create("limits");

	tcase_add_loop_test(core, test_verdict_rule, 0, ARRAY_SIZE(verdict_cases));
	tcase_add_loop_test(core, test_direction, 0, ARRAY_SIZE(dir_cases));
	tcase_add_test(core, test_load_counts);
	tcase_add_test(core, test_compare_runs);
	tcase_add_test(core, test_compare_variants);
	tcase_add_test(core, test_json);
	tcase_add_test(core, test_csv_tap);
	tcase_add_test(core, test_junit);
	tcase_add_loop_test(errors, test_cli, 0, ARRAY_SIZE(cli_cases));
	tcase_add_test(limits, test_few_samples);
	tcase_add_test(limits, test_sim_null);
	tcase_add_test(limits, test_sim_shift);
	tcase_set_timeout(limits, 60);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return test_run_suite(compare_suite());
}
