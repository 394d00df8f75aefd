/* check_sized.c: sizing a run from its pilot (sized.c), on results files written
 * here: two variants, a primary and a secondary metric. */
#include "pvbench/sized.h"
#include "pvbench/util.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

/* A pilot of n repetitions per variant: read_iops (primary) around 1000 and 1200
 * with relative spread cv, latency (not primary) with spread 30%. */
static void write_pilot(int n, double cv)
{
	static const double z[] = { -1, 1, 0, -0.5, 0.5, -1.5, 1.5, 0.2 };
	json_t *runs = json_array();
	json_t *doc;

	for (int r = 0; r < n; r++)
		for (int v = 0; v < 2; v++)
			json_array_append_new(
				runs, json_pack("{s:s, s:i, s:i, s:s, s:{s:f, s:f}}", "variant",
						v ? "2q" : "1q", "rep", r + 1, "seq", 2 * r + v + 1,
						"status", "OK", "metrics", "read_iops",
						(v ? 1200 : 1000) * (1 + cv * z[r % 8]), "lat_ns",
						1e6 * (1 + 0.3 * z[(r + 3) % 8])));
	doc = json_pack("{s:s, s:[{s:s, s:b}, {s:s, s:b}], s:{s:{s:s, s:s, s:b}, s:{s:s, s:s, "
			"s:b}}, s:{s:s, s:i}, s:o}",
			"schema", "pvbench-results/1", "variants", "name", "1q", "baseline", 1, "name",
			"2q", "baseline", 0, "metrics_meta", "read_iops", "unit", "IO/s", "better",
			"higher", "primary", 1, "lat_ns", "unit", "ns", "better", "lower", "primary",
			0, "environment", "clock", "icount", "icount_shift", 3, "runs", runs);
	snprintf(path, sizeof(path), "/tmp/check_sized.%d.json", (int)getpid());
	ck_assert_int_eq(json_dump_file(doc, path, JSON_INDENT(1)), 0);
	json_decref(doc);
}

static const struct sized_request rq = { .pilot = 3, .detect = 0.02, .max_reps = 10,
					 .max_minutes = 30, .elapsed_s = 60, .sec_per_rep = 20 };

/* CV 0.5% (icount): a 2% change is clear with few repetitions, and the primary
 * metric alone sizes the run (the secondary's 30% spread would need the cap). */
START_TEST(test_low_cv_few_reps)
{
	struct sized_result res;
	json_t *d = NULL;

	write_pilot(3, 0.005);
	ck_assert_int_eq(sized_plan(path, &rq, &res, &d), 0);
	ck_assert_int_ge(res.n, 4);
	ck_assert_int_le(res.n, 8);
	ck_assert_uint_eq(res.family, 1);
	ck_assert(res.power >= 0.8);
	ck_assert_ptr_null(res.capped_by);
	ck_assert_msg(strstr(res.plan, "pilot CV") && strstr(res.plan, "more repetition"), "%s",
		      res.plan);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "planned_reps")), res.n);
	ck_assert_str_eq(json_string_value(json_object_get(d, "repetitions")), "auto");
	ck_assert(json_is_number(json_object_get(
		json_object_get(json_object_get(d, "pilot_cv_pct"), "2q"), "read_iops")));
	ck_assert(json_is_null(json_object_get(d, "capped_by")));
	json_decref(d);
	unlink(path);
}
END_TEST

/* CV 15% (host noise): 80% power for 2% is out of reach: the cap binds, and says so. */
START_TEST(test_high_cv_capped)
{
	struct sized_result res;
	struct sized_request r = rq;
	json_t *d = NULL;

	write_pilot(3, 0.15);
	ck_assert_int_eq(sized_plan(path, &r, &res, &d), 0);
	ck_assert_int_eq(res.n, 10);
	ck_assert_str_eq(res.capped_by, "max_repetitions");
	ck_assert(res.power < 0.8);
	json_decref(d);
	/* the time budget: 60 s spent of 3 minutes, 20 s a repetition of each of 2
	 * variants: 3 more fit */
	r.max_minutes = 3;
	ck_assert_int_eq(sized_plan(path, &r, &res, &d), 0);
	ck_assert_str_eq(res.capped_by, "max_minutes");
	ck_assert_int_eq(res.n, 6);
	json_decref(d);
	unlink(path);
}
END_TEST

START_TEST(test_errors)
{
	struct sized_result res;
	json_t *d = NULL;

	ck_assert_int_lt(sized_plan("/nonexistent/results.json", &rq, &res, &d), 0);
	write_pilot(0, 0.01); /* no OK samples */
	ck_assert_int_eq(sized_plan(path, &rq, &res, &d), -ENOENT);
	ck_assert_ptr_null(d);
	unlink(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sized");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");

	tcase_add_test(core, test_low_cv_few_reps);
	tcase_add_test(core, test_high_cv_capped);
	tcase_add_test(errors, test_errors);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return test_run_suite(s);
}
