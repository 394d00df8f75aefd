/* check_compare_cmd.c: unit tests of `pvbench compare` as a command (cmd_compare):
 * exit statuses and single error lines, the output formats (text, JSON, CSV, TAP,
 * JUnit), the headline, and runs written by the tests: clock modes, primary and
 * exploratory metrics, and the defects found in it (D1, D4-D6). The library under
 * it (verdict rule, fixtures, simulations) is tested in check_compare.c. Run from
 * the repository root. */
#include "compare_testutil.h"
#include "pvbench/commands.h"
#include "pvbench/compare.h"
#include "pvbench/report.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The exit status of cmd_compare on args; its output is discarded. */
static int compare_status(const char *const *args)
{
	char out[] = "/tmp/check_compare.out.XXXXXX", err[] = "/tmp/check_compare.err.XXXXXX";
	int status = run_compare(args, out, err);

	unlink(out);
	unlink(err);
	return status;
}

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

/* ---- results written by the tests ---- */

/* One side of a written run: a variant's values of one or two metrics. */
struct side {
	const char *variant;
	const double *v, *v2; /* v2: values of the second metric, or NULL */
	size_t n;
};

/* Writes a results.json into path (a mkstemp template) with environment env and
 * metrics_meta meta (JSON text), the sides' OK repetitions of metric (and metric2
 * where a side has v2); the first side is the baseline. */
static void write_run(char *path, const char *env, const char *meta, const char *metric,
		      const char *metric2, const struct side *sd, size_t nsides)
{
	json_t *root = json_pack("{s:s, s:o, s:o, s:[], s:[]}", "schema", "pvbench-results/1",
				 "environment", json_loads(env, 0, NULL), "metrics_meta",
				 json_loads(meta, 0, NULL), "variants", "runs");
	int fd = mkstemp(path);

	ck_assert(root && fd >= 0);
	close(fd);
	for (size_t i = 0; i < nsides; i++) {
		json_array_append_new(json_object_get(root, "variants"),
				      json_pack("{s:s, s:b}", "name", sd[i].variant, "baseline",
						i == 0));
		for (size_t j = 0; j < sd[i].n; j++) {
			json_t *m = json_pack("{s:f}", metric, sd[i].v[j]);

			if (sd[i].v2)
				json_object_set_new(m, metric2, json_real(sd[i].v2[j]));
			json_array_append_new(json_object_get(root, "runs"),
					      json_pack("{s:s, s:i, s:s, s:o}", "variant",
							sd[i].variant, "rep", (int)j + 1, "status",
							"OK", "metrics", m));
		}
	}
	ck_assert_int_eq(json_dump_file(root, path, 0), 0);
	json_decref(root);
}

static const double five_a[] = {1000, 1010, 990, 1005, 995},
		    five_b[] = {1001, 1011, 991, 1004, 996},
		    five_worse[] = {1500, 1510, 1490, 1505, 1495};

#define ICOUNT3 "{\"emulated\": true, \"clock\": \"icount\", \"icount_shift\": 3}"
#define HOST "{\"emulated\": true, \"clock\": \"host\"}"

/* ---- clock modes ---- */

START_TEST(test_clock_load)
{
	char a[] = "/tmp/check_compare.a.XXXXXX", b[] = "/tmp/check_compare.b.XXXXXX";
	const struct side sd[] = {{"x", five_a, NULL, 5}};
	struct pvb_results r;

	write_run(a, ICOUNT3, "{}", "m_iops", NULL, sd, 1);
	write_run(b, "{}", "{}", "m_iops", NULL, sd, 1);
	ck_assert_int_eq(results_load(a, &r), 0);
	ck_assert_str_eq(r.clock, "icount");
	ck_assert_int_eq(r.icount_shift, 3);
	results_free(&r);
	ck_assert_int_eq(results_load(b, &r), 0); /* no environment.clock: host */
	ck_assert_str_eq(r.clock, "host");
	ck_assert_int_eq(r.icount_shift, -1);
	results_free(&r);
	unlink(a);
	unlink(b);
}
END_TEST

START_TEST(test_clock_mixed)
{
	char a[] = "/tmp/check_compare.a.XXXXXX", b[] = "/tmp/check_compare.b.XXXXXX";
	char c2[] = "/tmp/check_compare.c.XXXXXX";
	char out[] = "/tmp/check_compare.out.XXXXXX", err[] = "/tmp/check_compare.err.XXXXXX";
	const struct side sa[] = {{"x", five_a, NULL, 5}}, sb[] = {{"x", five_b, NULL, 5}};
	char *text;

	write_run(a, ICOUNT3, "{}", "m_iops", NULL, sa, 1);
	write_run(b, HOST, "{}", "m_iops", NULL, sb, 1);
	write_run(c2, ICOUNT3, "{}", "m_iops", NULL, sb, 1);
	/* refused: exit 2, one error line naming both files and both clocks */
	ck_assert_int_eq(run_compare((const char *[]){a, b, NULL}, out, err), 2);
	ck_assert_int_eq(count_lines(err, NULL), 1);
	text = read_file(err, NULL);
	ck_assert_ptr_nonnull(strstr(text, a));
	ck_assert_ptr_nonnull(strstr(text, b));
	ck_assert_ptr_nonnull(strstr(text, "icount shift=3 clock"));
	ck_assert_ptr_nonnull(strstr(text, "on the host clock"));
	free(text);
	unlink(out);
	unlink(err);
	/* allowed: the clock line says so */
	text = compare_output((const char *[]){a, b, "--allow-mixed-clocks", NULL});
	ck_assert_ptr_nonnull(strstr(text, "Clock: mixed ("));
	free(text);
	/* the same clock: what icount measures, in text and JSON */
	text = compare_output((const char *[]){a, c2, NULL});
	ck_assert_ptr_nonnull(strstr(text, "Clock: instruction count (QEMU -icount shift=3, "
					   "sleep=off): guest time is executed instructions x 8 ns, "
					   "idle time skipped;"));
	ck_assert_ptr_nonnull(strstr(text, "icount clock)"));
	free(text);
	text = compare_output((const char *[]){a, c2, "--format", "json", NULL});
	ck_assert_ptr_nonnull(strstr(text, "\"clock\": \"icount\""));
	free(text);
	unlink(a);
	unlink(b);
	unlink(c2);
}
END_TEST

/* ---- primary and exploratory metrics ---- */

#define META_PRIMARY                                                                               \
	"{\"m_iops\": {\"unit\": \"IO/s\", \"better\": \"higher\", \"primary\": true}, "            \
	"\"x_ns\": {\"unit\": \"ns\", \"better\": \"lower\", \"primary\": false}}"

START_TEST(test_primary_gate)
{
	char a[] = "/tmp/check_compare.a.XXXXXX", x[] = "/tmp/check_compare.junit.XXXXXX";
	/* m_iops unchanged (primary), x_ns 50% worse (exploratory) */
	const struct side sd[] = {{"base", five_a, five_a, 5}, {"new", five_b, five_worse, 5}};
	struct pvb_results r;
	struct comparison c;
	struct cmp_opts o = CMP_OPTS_DEFAULT;
	char *text;
	int fd = mkstemp(x);

	ck_assert(fd >= 0);
	close(fd);
	write_run(a, HOST, META_PRIMARY, "m_iops", "x_ns", sd, 2);
	ck_assert_int_eq(results_load(a, &r), 0);
	ck_assert_int_eq(compare_variants(&r, NULL, &o, &c), 0);
	ck_assert(find_metric(&c, "new", "m_iops")->primary);
	ck_assert(!find_metric(&c, "new", "x_ns")->primary);
	ck_assert_int_eq(find_metric(&c, "new", "x_ns")->verdict, V_WORSE);
	ck_assert_uint_eq(c.count[CMP_EXPLORATORY][V_WORSE], 1);
	ck_assert_uint_eq(c.count[CMP_PRIMARY][V_WORSE], 0);
	comparison_free(&c);
	results_free(&r);
	/* only primary metrics gate, unless --gate all */
	ck_assert_int_eq(compare_status((const char *[]){a, NULL}), 0);
	ck_assert_int_eq(compare_status((const char *[]){a, "--gate", "all", NULL}), 1);
	ck_assert_int_eq(compare_status((const char *[]){a, "--gate", "some", NULL}), 2);
	text = compare_output((const char *[]){a, NULL});
	ck_assert_ptr_nonnull(strstr(text, "worse (exploratory)"));
	ck_assert_ptr_nonnull(strstr(text, "Summary: primary: 0 better, 0 worse, 1 no change, 0 "
					   "inconclusive; exploratory: 0 better, 1 worse, 0 no "
					   "change, 0 inconclusive."));
	ck_assert_ptr_nonnull(strstr(text, "new vs base: m_iops +"));
	ck_assert_ptr_null(strstr(text, "new vs base: x_ns")); /* no headline */
	free(text);
	text = compare_output((const char *[]){a, "--tap", "--junit", x, NULL});
	ck_assert_ptr_null(strstr(text, "\nnot ok 1 "));
	ck_assert_ptr_nonnull(strstr(text, "worse (exploratory, not gated)"));
	ck_assert_ptr_nonnull(strstr(text, "# TODO exploratory, not gated"));
	free(text);
	text = read_file(x, NULL);
	ck_assert_ptr_nonnull(strstr(text, "tests=\"2\" failures=\"0\""));
	free(text);
	text = compare_output((const char *[]){a, "--format", "json", NULL});
	ck_assert_ptr_nonnull(strstr(text, "\"primary\": false"));
	free(text);
	unlink(a);
	unlink(x);
}
END_TEST

/* ---- defects ---- */

/* D1: values near 1e154 overflowed the variance and GSL's default handler aborted
 * the process (exit 134); now the metric is inconclusive with a note. */
START_TEST(test_huge_values)
{
	static const double big_a[] = {1e154, 2e154, 3e154, 1.5e154, 2.5e154},
			    big_b[] = {1e300, 2e300, 3e300, 1.5e300, 2.6e300};
	const struct side sd[] = {{"base", big_a, big_b, 5}, {"new", big_a, big_b, 5}};
	char a[] = "/tmp/check_compare.a.XXXXXX", dir[] = "/tmp/check_compare.rep.XXXXXX";
	char *text, cmd[200];

	write_run(a, HOST, "{}", "m_iops", "y_iops", sd, 2);
	text = compare_output((const char *[]){a, NULL});
	ck_assert_ptr_nonnull(strstr(text, "values too large for the statistics"));
	ck_assert_ptr_nonnull(strstr(text, "inconclusive"));
	free(text);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert(freopen("/dev/null", "w", stderr));
	ck_assert_int_eq(cmd_report(4, (char *[]){"report", a, "-o", dir, NULL}), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	unlink(a);
}
END_TEST

/* D4: the Hodges-Lehmann interval of 2 vs 2 reaches 66.7%, 1 vs 1 a zero-width
 * interval 0%: labelled so, not "95%". */
START_TEST(test_achieved_level)
{
	static const double a2[] = {100, 102}, b2[] = {110, 111}, a1[] = {100}, b1[] = {120};
	const struct side s2[] = {{"base", a2, NULL, 2}, {"new", b2, NULL, 2}};
	const struct side s1[] = {{"base", a1, NULL, 1}, {"new", b1, NULL, 1}};
	char a[] = "/tmp/check_compare.a.XXXXXX", b[] = "/tmp/check_compare.b.XXXXXX";
	char *text;
	json_t *j, *m;

	write_run(a, HOST, "{}", "m_iops", NULL, s2, 2);
	write_run(b, HOST, "{}", "m_iops", NULL, s1, 2);
	text = compare_output((const char *[]){a, NULL});
	ck_assert_ptr_nonnull(strstr(text, "HL CI"));
	ck_assert_ptr_nonnull(strstr(text, " 66.7%"));
	ck_assert_ptr_null(strstr(text, "95% CI"));
	free(text);
	text = compare_output((const char *[]){b, "--format", "json", NULL});
	j = json_loads(text, 0, NULL);
	m = json_array_get(json_object_get(json_array_get(json_object_get(j, "pairs"), 0),
					   "metrics"),
			   0);
	ck_assert(rj_num(m, "ci_confidence", -1) == 0);
	ck_assert(rj_num(json_object_get(m, "hodges_lehmann"), "confidence", -1) == 0);
	json_decref(j);
	free(text);
	text = compare_output((const char *[]){b, NULL});
	ck_assert_ptr_nonnull(strstr(text, "[+20.0%, +20.0%] 0%"));
	ck_assert_ptr_null(strstr(text, "95% CI"));
	free(text);
	unlink(a);
	unlink(b);
}
END_TEST

/* D5: a metric better higher in one file and lower in the other is refused. */
START_TEST(test_opposite_directions)
{
	char a[] = "/tmp/check_compare.a.XXXXXX", b[] = "/tmp/check_compare.b.XXXXXX";
	char out[] = "/tmp/check_compare.out.XXXXXX", err[] = "/tmp/check_compare.err.XXXXXX";
	const struct side sa[] = {{"x", five_a, NULL, 5}}, sb[] = {{"x", five_b, NULL, 5}};
	char *text;

	write_run(a, HOST, "{\"odd\": {\"better\": \"higher\"}}", "odd", NULL, sa, 1);
	write_run(b, HOST, "{\"odd\": {\"better\": \"lower\"}}", "odd", NULL, sb, 1);
	ck_assert_int_eq(run_compare((const char *[]){a, b, NULL}, out, err), 2);
	ck_assert_int_eq(count_lines(err, NULL), 1);
	text = read_file(err, NULL);
	ck_assert_ptr_nonnull(strstr(text, "'odd'"));
	ck_assert_ptr_nonnull(strstr(text, a));
	ck_assert_ptr_nonnull(strstr(text, b));
	free(text);
	unlink(out);
	unlink(err);
	unlink(a);
	unlink(b);
}
END_TEST

/* D6: "Not compared" names both sides; TAP and JUnit show a Hodges-Lehmann shift;
 * JSON's exit_status agrees with the exit status after a failed --junit write. */
START_TEST(test_side_names_shift_status)
{
	static const double zeros[] = {0, 0, 0, 0, 0}, some[] = {3, 4, 5, 4, 6};
	const struct side sa[] = {{"x", five_a, zeros, 5}}, sb[] = {{"x", five_b, some, 5}};
	char a[] = "/tmp/check_compare.a.XXXXXX", b[] = "/tmp/check_compare.b.XXXXXX";
	char c2[] = "/tmp/check_compare.c.XXXXXX";
	char *text, want[300];
	json_t *j;

	write_run(a, HOST, "{}", "m_iops", "only_a_ns", sa, 1);
	write_run(b, HOST, "{}", "m_iops", "only_b_ns", sb, 1);
	text = compare_output((const char *[]){a, b, NULL});
	snprintf(want, sizeof(want), "Not compared: 1 metrics only in %s:x, 1 only in %s:x.",
		 strrchr(a, '/') + 1, strrchr(b, '/') + 1);
	ck_assert_msg(strstr(text, want), "no '%s' in:\n%s", want, text);
	free(text);
	write_run(c2, HOST, "{}", "retrans", NULL,
		  (const struct side[]){{"base", zeros, NULL, 5}, {"new", some, NULL, 5}}, 2);
	text = compare_output((const char *[]){c2, "--tap", NULL});
	ck_assert_ptr_nonnull(strstr(text, ": retrans: inconclusive shift +4 [+3, +6]"));
	free(text);
	text = compare_output(
	    (const char *[]){c2, "--format", "json", "--junit", "/nonexistent/dir/j.xml", NULL});
	j = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(rj_num(j, "exit_status", 0), 2);
	json_decref(j);
	free(text);
	ck_assert_int_eq(compare_status((const char *[]){c2, "--format", "json", "--junit",
							 "/nonexistent/dir/j.xml", NULL}),
			 2);
	unlink(a);
	unlink(b);
	unlink(c2);
}
END_TEST

/* The answer first: one sentence per primary comparison before any table. */
START_TEST(test_headline)
{
	const char *args[] = {D "base", D "new", NULL};
	char *text = compare_output(args), *h;

	h = strstr(text, "new:mq vs base:mq: read_iops +24.1% [+21.9%, +26.7%], better (p = ");
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_nonnull(strstr(h, ", 7 + 7 repetitions, host clock)\n"));
	ck_assert(h < strstr(text, "metric "));
	free(text);
}
END_TEST

static Suite *compare_cmd_suite(void)
{
	Suite *s = suite_create("compare_cmd");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");
	TCase *limits = tcase_create("limits");

	tcase_add_test(core, test_json);
	tcase_add_test(core, test_csv_tap);
	tcase_add_test(core, test_junit);
	tcase_add_loop_test(errors, test_cli, 0, ARRAY_SIZE(cli_cases));
	tcase_add_test(core, test_clock_load);
	tcase_add_test(errors, test_clock_mixed);
	tcase_add_test(core, test_primary_gate);
	tcase_add_test(core, test_headline);
	tcase_add_test(limits, test_huge_values);
	tcase_add_test(limits, test_achieved_level);
	tcase_add_test(errors, test_opposite_directions);
	tcase_add_test(errors, test_side_names_shift_status);
	tcase_set_timeout(limits, 60);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return test_run_suite(compare_cmd_suite());
}
