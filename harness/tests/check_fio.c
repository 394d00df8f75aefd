/* check_fio.c: tests of the fio workload (workloads/fio): the command line built
 * from scenario keys, and the JSON parser against real fio 3.33 output recorded in
 * harness/tests/data/fio (see its README for the commands): values must equal the
 * raw JSON, and truncated, edited or error output must give a clear error. Run
 * from the repository root. */
#include "../../workloads/fio/fio.h"
#include "pvbench/scenario.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA "harness/tests/data/fio/"

TEST_PARSER_FIXTURE(DATA)

static int parse_file(const char *name)
{
	read_data(name);
	return fio_parse_json(text, text_len, &ms, &err);
}

static double metric(const char *name)
{
	return test_metric(&ms, name);
}

/* ---- recorded output: values as in the JSON (jq paths in the data README) ---- */

static const struct {
	const char *file, *metric;
	double value;
} expected[] = {
	{ "randread.json", "read_iops", 17799.10045 },
	{ "randread.json", "read_bw_bytes_per_s", 72905115 },
	{ "randread.json", "read_clat_mean_ns", 421814.727482 },
	{ "randread.json", "read_clat_p50_ns", 264192 },
	{ "randread.json", "read_clat_p99_ns", 2637824 },
	{ "randread.json", "read_clat_p99_9_ns", 7241728 },
	{ "randread.json", "cpu_usr_pct", 2.8 },
	{ "randread.json", "cpu_sys_pct", 36.3 },
	{ "randrw.json", "read_iops", 29118.94053 },
	{ "randrw.json", "read_bw_bytes_per_s", 119271180 },
	{ "randrw.json", "read_clat_mean_ns", 713528.01802 },
	{ "randrw.json", "read_clat_p50_ns", 569344 },
	{ "randrw.json", "read_clat_p99_ns", 4145152 },
	{ "randrw.json", "read_clat_p99_9_ns", 9371648 },
	{ "randrw.json", "write_iops", 12491.754123 },
	{ "randrw.json", "write_bw_bytes_per_s", 51166224 },
	{ "randrw.json", "write_clat_mean_ns", 842681.430389 },
	{ "randrw.json", "write_clat_p50_ns", 659456 },
	{ "randrw.json", "write_clat_p99_ns", 5210112 },
	{ "randrw.json", "write_clat_p99_9_ns", 10289152 },
	{ "randrw.json", "cpu_usr_pct", 4.675 },
	{ "randrw.json", "cpu_sys_pct", 21.65 },
	{ "write.json", "write_iops", 1267.866067 },
	{ "write.json", "write_bw_bytes_per_s", 1329453929 },
	{ "write.json", "write_clat_mean_ns", 2866928.132046 },
	{ "write.json", "write_clat_p50_ns", 2473984 },
	{ "write.json", "write_clat_p99_ns", 11337728 },
	{ "write.json", "write_clat_p99_9_ns", 13959168 },
	{ "write.json", "cpu_usr_pct", 4.75 },
	{ "write.json", "cpu_sys_pct", 15.85 },
	{ "note-psync.json", "read_iops", 7267.732268 },
	{ "note-psync.json", "read_clat_p99_9_ns", 1974272 },
};

START_TEST(test_recorded_values)
{
	ck_assert_int_eq(parse_file(expected[_i].file), 0);
	ck_assert_double_eq(metric(expected[_i].metric), expected[_i].value);
}
END_TEST

/* Which metrics each file gives: a direction only when it did I/O. */
START_TEST(test_recorded_sets)
{
	ck_assert_int_eq(parse_file("randread.json"), 0);
	ck_assert_uint_eq(ms.n, 8);
	ck_assert_ptr_null(metric_set_find(&ms, "write_iops"));
	ms.n = 0;
	ck_assert_int_eq(parse_file("randrw.json"), 0);
	ck_assert_uint_eq(ms.n, 14);
	ms.n = 0;
	ck_assert_int_eq(parse_file("write.json"), 0);
	ck_assert_uint_eq(ms.n, 8);
	ck_assert_ptr_null(metric_set_find(&ms, "read_iops"));
	ck_assert_uint_eq(err.len, 0);
}
END_TEST

/* Every metric the parser gives has metadata, and its unit is in its name. */
START_TEST(test_metric_table)
{
	static const char *const suffixes[][2] = { { "_iops", "IO/s" },
						   { "_bytes_per_s", "bytes/s" },
						   { "_ns", "ns" },
						   { "_pct", "%" } };

	ck_assert_int_eq(parse_file("randrw.json"), 0);
	for (size_t i = 0; i < ms.n; i++)
		ck_assert_msg(metric_meta_find(fio_metrics, fio_n_metrics, ms.m[i].name), "%s",
			      ms.m[i].name);
	for (size_t i = 0; i < fio_n_metrics; i++) {
		const char *n = fio_metrics[i].name;
		bool ok = false;

		for (size_t s = 0; s < ARRAY_SIZE(suffixes); s++) {
			size_t l = strlen(suffixes[s][0]);

			ok |= strlen(n) > l && !strcmp(n + strlen(n) - l, suffixes[s][0]) &&
			      !strcmp(fio_metrics[i].unit, suffixes[s][1]);
		}
		ck_assert_msg(ok, "%s: unit %s not in its name", n, fio_metrics[i].unit);
	}
	ck_assert_uint_eq(fio_n_metrics, 14);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_job_error)
{
	ck_assert_int_eq(parse_file("missing-file.json"), -EIO);
	ck_assert_str_eq(err.buf, "fio job 't' failed: error 2 (No such file or directory)");
	ck_assert_uint_eq(ms.n, 0);
}
END_TEST

START_TEST(test_not_json)
{
	ck_assert_int_eq(parse_file("bad-option.json"), -EINVAL);
	ck_assert_str_eq(err.buf, "no JSON in fio output (starts 'valid values: read       "
				  "Sequential read')");
	sb_reset(&err);
	ck_assert_int_eq(fio_parse_json("", 0, &ms, &err), -EINVAL);
	ck_assert_str_eq(err.buf, "no JSON in fio output");
	sb_reset(&err);
	ck_assert_int_eq(fio_parse_json("[1]", 3, &ms, &err), -EINVAL);
	ck_assert_str_eq(err.buf, "no JSON in fio output (starts '[1]')");
	sb_reset(&err);
	ck_assert_int_eq(fio_parse_json("{}", 2, &ms, &err), -EINVAL);
	ck_assert_str_eq(err.buf, "expected one job in fio output, found 0");
	sb_reset(&err);
	ck_assert_int_eq(fio_parse_json("x\n{\"a\":\x01}", 10, &ms, NULL), -EINVAL);
	ck_assert_int_eq(fio_parse_json("\xff\xfe{", 3, &ms, &err), -EINVAL);
	ck_assert_uint_eq(ms.n, 0);
}
END_TEST

/* Output cut at 1%, 10%, ..., 99% of its length, and 1 byte short. */
START_TEST(test_truncated)
{
	static const int pct[] = { 1, 10, 25, 50, 75, 90, 99 };
	size_t cut;

	ck_assert_int_eq(parse_file("randrw.json"), 0);
	ms.n = 0;
	cut = _i < (int)ARRAY_SIZE(pct) ? text_len * pct[_i] / 100 : text_len - 2;
	ck_assert_int_eq(fio_parse_json(text, cut, &ms, &err), -EINVAL);
	ck_assert_msg(!strncmp(err.buf, "cannot parse fio JSON: ", 23), "%s", err.buf);
	ck_assert_uint_eq(ms.n, 0);
}
END_TEST

/* Edits of real output, each with the message it must give. */
static const struct {
	const char *path; /* in jobs[0], dots between keys; last key edited */
	int edit;	  /* 0 delete, 1 set to "x", 2 set to -1, 3 set to 0 */
	const char *msg;
} edits[] = {
	{ "read.clat_ns.percentile.99.000000", 0,
	  "missing or invalid 'jobs[0].read.clat_ns.percentile.99.000000' in fio output" },
	{ "read.clat_ns", 0, "missing or invalid 'jobs[0].read.clat_ns.mean' in fio output" },
	{ "read.iops", 1, "missing or invalid 'jobs[0].read.iops' in fio output" },
	{ "read.bw_bytes", 2, "missing or invalid 'jobs[0].read.bw_bytes' in fio output" },
	{ "write", 0, "missing or invalid 'jobs[0].write.io_bytes' in fio output" },
	{ "sys_cpu", 1, "missing or invalid 'jobs[0].sys_cpu' in fio output" },
	{ "error", 0, "missing or invalid 'jobs[0].error' in fio output" },
	{ "error", 1, "missing or invalid 'jobs[0].error' in fio output" },
	{ "read.io_bytes", 3, "fio did no I/O (io_bytes is 0 in every direction)" },
};

static json_t *edit_target(json_t *job, const char *path, const char **last)
{
	char buf[128], *save = NULL, *tok;
	json_t *obj = job;

	snprintf(buf, sizeof(buf), "%s", path);
	/* percentile keys contain a dot: "99.000000" is one key */
	if (strstr(buf, "percentile.")) {
		*strstr(buf, "percentile.") = '\0';
		obj = json_object_get(json_object_get(job, "read"), "clat_ns");
		*last = "99.000000";
		return json_object_get(obj, "percentile");
	}
	*last = strrchr(path, '.') ? strrchr(path, '.') + 1 : path;
	for (tok = strtok_r(buf, ".", &save); tok && strcmp(tok, *last); tok = strtok_r(NULL, ".", &save))
		obj = json_object_get(obj, tok);
	return obj;
}

START_TEST(test_edited)
{
	json_t *root = json_load_file(DATA "randread.json", 0, NULL), *obj;
	const char *last;
	char *dump;
	int rc;

	ck_assert_ptr_nonnull(root);
	obj = edit_target(json_array_get(json_object_get(root, "jobs"), 0), edits[_i].path, &last);
	ck_assert_ptr_nonnull(obj);
	if (edits[_i].edit == 0)
		ck_assert_int_eq(json_object_del(obj, last), 0);
	else
		json_object_set_new(obj, last,
				    edits[_i].edit == 1   ? json_string("x")
				    : edits[_i].edit == 2 ? json_integer(-1)
							  : json_integer(0));
	dump = json_dumps(root, 0);
	rc = fio_parse_json(dump, strlen(dump), &ms, &err);
	ck_assert_int_eq(rc, -EINVAL);
	ck_assert_str_eq(err.buf, edits[_i].msg);
	ck_assert_uint_eq(ms.n, 0);
	free(dump);
	json_decref(root);
}
END_TEST

/* The job name comes from the guest: control characters must not reach a terminal. */
START_TEST(test_job_error_hostile_name)
{
	json_t *root = json_load_file(DATA "missing-file.json", 0, NULL), *job;
	char *dump;

	job = json_array_get(json_object_get(root, "jobs"), 0);
	json_object_set_new(job, "jobname", json_string("a\x1b[31mb\nrm -rf"));
	dump = json_dumps(root, 0);
	ck_assert_int_eq(fio_parse_json(dump, strlen(dump), &ms, &err), -EIO);
	ck_assert_str_eq(err.buf, "fio job 'a?[31mb' failed: error 2 (No such file or directory)");
	free(dump);
	json_decref(root);
}
END_TEST

START_TEST(test_two_jobs)
{
	json_t *root = json_load_file(DATA "randread.json", 0, NULL), *jobs;
	char *dump;

	jobs = json_object_get(root, "jobs");
	json_array_append(jobs, json_array_get(jobs, 0));
	dump = json_dumps(root, 0);
	ck_assert_int_eq(fio_parse_json(dump, strlen(dump), &ms, &err), -EINVAL);
	ck_assert_str_eq(err.buf, "expected one job in fio output, found 2");
	free(dump);
	json_decref(root);
}
END_TEST

/* ---- limits ---- */

START_TEST(test_metric_set_full)
{
	test_fill_metrics(&ms, METRIC_SET_MAX - 4);
	ck_assert_int_eq(parse_file("randread.json"), -ENOSPC);
	ck_assert_uint_eq(ms.n, METRIC_SET_MAX - 4); /* nothing half-added */
	ck_assert_int_eq(metric_set_add(&ms, "m1", 1), -EEXIST);
	ck_assert_int_eq(metric_set_add(&ms, "", 1), -EINVAL);
	ck_assert_int_eq(metric_set_add(&ms, "inf", 1.0 / 0.0), -EINVAL);
}
END_TEST

START_TEST(test_too_large)
{
	ck_assert_int_eq(fio_parse_json("{", FIO_OUTPUT_MAX + 1, &ms, &err), -EINVAL);
	ck_assert_str_eq(err.buf, "fio output too large (16777217 bytes)");
}
END_TEST

/* ---- command line ---- */

static struct scenario sc;

static void cmdline_is(const char *file, const char *variant, bool quick, const char *want)
{
	struct sbuf out = { 0 };

	test_load_scenario(file, &sc);
	ck_assert_int_eq(fio_build_cmdline(SCENARIO_VALUES(&sc, variant ? scenario_find_variant(&sc, variant) : NULL),
					   quick, &out),
			 0);
	ck_assert_str_eq(out.buf, want);
	scenario_free(&sc);
	sb_free(&out);
}

START_TEST(test_cmdline)
{
	cmdline_is("scenarios/smoke.ini", NULL, false,
		   "fio --name=pvbench --filename=/dev/xvda --output-format=json --eta=never "
		   "--group_reporting --time_based --rw=randread --bs=4k --iodepth=16 --numjobs=2 "
		   "--runtime=3s --ramp_time=0s --direct=1 --ioengine=libaio");
	cmdline_is("scenarios/smoke.ini", "2q", true,
		   "fio --name=pvbench --filename=/dev/xvda --output-format=json --eta=never "
		   "--group_reporting --time_based --rw=randread --bs=4k --iodepth=16 --numjobs=2 "
		   "--runtime=2s --ramp_time=0s --direct=1 --ioengine=libaio");
	cmdline_is("harness/tests/data/scenarios/good/full.ini", "guest", false,
		   "fio --name=pvbench --filename=/dev/xvda --output-format=json --eta=never "
		   "--group_reporting --time_based --rw=randrw --bs=64k --iodepth=1 --numjobs=2 "
		   "--runtime=5s --ramp_time=500ms --size=128M --rwmixread=70 --direct=0 "
		   "--ioengine=io_uring");
	cmdline_is("harness/tests/data/scenarios/good/full.ini", "base", true,
		   "fio --name=pvbench --filename=/dev/xvda --output-format=json --eta=never "
		   "--group_reporting --time_based --rw=randrw --bs=64k --iodepth=8 --numjobs=2 "
		   "--runtime=1500ms --ramp_time=0s --size=128M --rwmixread=70 --direct=0 "
		   "--ioengine=io_uring");
}
END_TEST

/* fio itself accepts every shipped scenario's command line (skipped without fio). */
START_TEST(test_cmdline_fio_accepts)
{
	static const char *const files[] = { "smoke", "blk-mq", "blk-ring", "blk-persistent",
					     "blk-indirect" };
	struct sbuf out = { 0 };
	char path[64];

	if (system("command -v fio >/dev/null 2>&1"))
		return;
	snprintf(path, sizeof(path), "scenarios/%s.ini", files[_i]);
	test_load_scenario(path, &sc);
	for (size_t v = 0; v < sc.n_variants; v++) {
		sb_reset(&out);
		ck_assert_int_eq(fio_build_cmdline(SCENARIO_VALUES(&sc, &sc.variants[v]), v & 1, &out), 0);
		sb_puts(&out, " --parse-only >/dev/null 2>&1");
		ck_assert_msg(system(out.buf) == 0, "fio rejects: %s", out.buf);
	}
	scenario_free(&sc);
	sb_free(&out);
}
END_TEST

static Suite *fio_suite(void)
{
	Suite *s = suite_create("fio");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");
	TCase *limits = tcase_create("limits");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_loop_test(core, test_recorded_values, 0, ARRAY_SIZE(expected));
	tcase_add_test(core, test_recorded_sets);
	tcase_add_test(core, test_metric_table);
	tcase_add_test(core, test_cmdline);
	tcase_add_loop_test(core, test_cmdline_fio_accepts, 0, 5);
	suite_add_tcase(s, core);

	tcase_add_checked_fixture(errors, setup, teardown);
	tcase_add_test(errors, test_job_error);
	tcase_add_test(errors, test_not_json);
	tcase_add_loop_test(errors, test_truncated, 0, 8);
	tcase_add_loop_test(errors, test_edited, 0, ARRAY_SIZE(edits));
	tcase_add_test(errors, test_job_error_hostile_name);
	tcase_add_test(errors, test_two_jobs);
	suite_add_tcase(s, errors);

	tcase_add_checked_fixture(limits, setup, teardown);
	tcase_add_test(limits, test_metric_set_full);
	tcase_add_test(limits, test_too_large);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return test_run_suite(fio_suite());
}
