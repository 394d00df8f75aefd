/* check_report_model.c: unit tests of the model results_load() reads for reports
 * (results_load.h): the tool, environment, scenario, design, variants' overrides,
 * every repetition's record (status, evidence, conformance, series, console
 * excerpt) and the boots, on the fixtures in harness/tests/data/results and on
 * hand-written documents with absent and mistyped fields. Run from the repository
 * root. */
#include "pvbench/results_load.h"
#include "testutil.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define D "harness/tests/data/results/"

static const char *kv(const struct pvb_kvs *kvs, const char *key)
{
	const struct pvb_kv *e = pvb_kvs_find(kvs, key);

	return e ? e->value : NULL;
}

START_TEST(test_model_base)
{
	struct pvb_results r;
	const struct pvb_variant *mq;
	const struct pvb_run *crash, *invalid;

	ck_assert_int_eq(results_load(D "base", &r), 0);
	ck_assert_str_eq(r.command, "build/pvbench run scenarios/blk-mq.ini -o build/runs/blk-mq");
	ck_assert_str_eq(r.started_at, "2026-11-20T10:00:00Z");
	ck_assert_str_eq(r.finished_at, "2026-11-20T10:20:00Z");
	ck_assert(r.complete);
	ck_assert_str_eq(r.tool_name, "pvbench");
	ck_assert_str_eq(r.tool_commit, "3f2c1e0");
	ck_assert_str_eq(kv(&r.tool, "tool.version"), "0.1.0");
	/* environment: typed fields and every member flattened, numbers as %.15g */
	ck_assert_str_eq(r.env.accel, "tcg");
	ck_assert(r.emulated);
	ck_assert_str_eq(r.clock, "host");
	ck_assert_ptr_null(r.env.commit);
	ck_assert(isnan(r.env.jobs));
	ck_assert_str_eq(kv(&r.env.all, "host_mem_bytes"), "25769803776");
	ck_assert(!pvb_kvs_find(&r.env.all, "host_mem_bytes")->is_string);
	ck_assert_str_eq(kv(&r.env.all, "emulated"), "true");
	ck_assert_str_eq(kv(&r.env.all, "images.packages.fio"), "3.33-3");
	ck_assert_ptr_null(kv(&r.env.all, "images"));
	/* scenario */
	ck_assert_str_eq(r.scenario.name, "blk-mq");
	ck_assert_str_eq(r.scenario.workload, "fio");
	ck_assert_str_eq(r.scenario.order, "interleaved");
	ck_assert_str_eq(r.scenario.file, "scenarios/blk-mq.ini");
	ck_assert(r.scenario.seed == 12345 && r.scenario.repetitions == 8);
	ck_assert_ptr_null(r.scenario.repetitions_word);
	ck_assert_ptr_nonnull(strstr(r.scenario.text, "[variant.mq]"));
	ck_assert_uint_eq(r.scenario.params.n, 3);
	ck_assert_str_eq(kv(&r.scenario.params, "bs"), "4k");
	ck_assert(!r.design.present);
	/* variants and their overrides */
	mq = results_variant(&r, "mq");
	ck_assert_ptr_nonnull(mq);
	ck_assert_str_eq(kv(&mq->overrides, "domU.xen_blkfront.max_queues"), "2");
	ck_assert_str_eq(kv(&mq->expect, "mq_queues"), "2");
	/* boots */
	ck_assert_uint_eq(r.nboot, 2);
	ck_assert(r.boot[1].boot == 2 && r.boot[1].status == PVB_OK);
	ck_assert_uint_eq(r.boot[0].nvariant, 2);
	ck_assert_str_eq(r.boot[0].variant[1], "mq");
	ck_assert_uint_eq(r.boot[0].nstage, 5);
	ck_assert_str_eq(r.boot[0].stage[1].name, "dom0_kernel_s");
	ck_assert(r.boot[0].stage[1].s == 5.1);
	/* runs in file order, with their records: rep 3 of 1q crashed, rep 5 of mq INVALID */
	ck_assert_uint_eq(r.nrun, 16);
	crash = &r.run[4];
	ck_assert_str_eq(crash->variant, "1q");
	ck_assert(crash->rep == 3 && crash->seq == 5 && crash->boot == 1);
	ck_assert_int_eq(crash->status, PVB_CRASH);
	ck_assert_str_eq(crash->status_text, "CRASH");
	ck_assert_str_eq(crash->reason, "domU crashed");
	ck_assert_ptr_nonnull(strstr(crash->console_excerpt, "Kernel panic - not syncing"));
	ck_assert(crash->duration_s == 14.2 && crash->measure_s == 10);
	invalid = NULL;
	for (size_t i = 0; i < r.nrun; i++)
		if (r.run[i].status == PVB_INVALID)
			invalid = &r.run[i];
	ck_assert_ptr_nonnull(invalid);
	ck_assert_str_eq(invalid->variant, "mq");
	ck_assert_uint_eq(invalid->ncheck, 1);
	ck_assert(!invalid->check[0].ok);
	ck_assert_str_eq(invalid->check[0].key, "mq_queues");
	ck_assert(r.run[0].check[0].ok);
	ck_assert_str_eq(kv(&r.run[0].values, "backend.multi-queue-max-queues"), "2");
	ck_assert_uint_eq(r.run[0].nlog, 1);
	ck_assert_ptr_nonnull(strstr(r.run[0].log_line[0], "using 1 queues"));
	ck_assert(!r.run[0].conformance.present && !r.run[0].series.present);
	results_free(&r);
}
END_TEST

/* The recorded iperf3 run: series, guests, commands, a timeline with nulls. */
START_TEST(test_model_net_mq)
{
	struct pvb_results r;
	const struct pvb_run *run;

	ck_assert_int_eq(results_load(D "net-mq-quick", &r), 0);
	ck_assert_str_eq(r.scenario.workload, "iperf3");
	ck_assert(isnan(r.scenario.seed)); /* "seed": null */
	ck_assert_str_eq(r.env.commit, "fc9ced6");
	ck_assert_ptr_null(r.tool_commit);
	ck_assert_uint_eq(r.nboot, 1);
	ck_assert_uint_eq(r.boot[0].nstage, 4); /* the null stages are left out */
	ck_assert_uint_eq(r.boot[0].nvariant, 0);
	ck_assert_uint_eq(r.nrun, 2);
	run = &r.run[1];
	ck_assert_str_eq(run->guest, "pvbench-domU2");
	ck_assert_str_eq(run->guest_setup, "new domU");
	ck_assert_str_eq(run->command, "iperf3 -c 10.0.0.3 -J -t 3 -O 0 -P 4");
	ck_assert_ptr_null(run->reason);
	ck_assert(run->series.present && run->series.usable);
	ck_assert_uint_eq(run->series.n, 3);
	ck_assert(run->series.pt[1].start == 1.03953 && run->series.pt[1].end == 2.009943);
	ck_assert(run->series.pt[0].bits_per_second > 6.4e8);
	ck_assert_int_eq(run->series.pt[0].omitted, 0);
	ck_assert(isnan(run->series.pt[0].offered_rate) && run->series.pt[0].num_calls == 1);
	ck_assert_uint_eq(run->ncheck, 4);
	ck_assert_str_eq(run->check[3].key, "domU_param.xen_netfront.max_queues");
	results_free(&r);
}
END_TEST

/* A document with the optional parts and mistyped fields, in a temporary dir. */
static const char odd_json[] =
    "{\"schema\": \"pvbench-results/1\", \"complete\": \"yes\", \"tool\": 7,"
    " \"environment\": {\"clock\": \"icount\", \"icount_shift\": 3, \"jobs\": 2,"
    "  \"accel\": 1, \"odd\": [1, {\"x\": null}], \"nil\": null, \"n\": {\"a\": {\"b\": 2.5}}},"
    " \"scenario\": {\"repetitions\": \"auto\", \"seed\": \"s\", \"workload\": \"httperf\","
    "  \"params\": {\"rate\": \"10\", \"nested\": {\"a\": 1}, \"num\": 3}},"
    " \"design\": {\"repetitions\": \"auto\", \"pilot\": 3, \"power\": \"high\","
    "  \"capped_by\": null, \"plan\": \"more\", \"pilot_cv_pct\": {\"a\": {\"m\": 0.5,"
    "  \"k\": \"x\"}, \"b\": 5}},"
    " \"variants\": [{\"name\": \"a\", \"overrides\": {\"k\": \"1\", \"n\": 4}},"
    "  {\"name\": \"a\", \"overrides\": {\"k\": \"2\"}}],"
    " \"boots\": [{\"status\": \"CRASH\", \"timeline\": {\"x\": 3, \"y\": \"no\"},"
    "  \"variants\": [\"a\", 1]}, {\"boot\": 7, \"timeline\": []}],"
    " \"runs\": [{\"variant\": \"a\", \"status\": \"WEIRD\", \"rep\": \"1\","
    "  \"evidence\": {\"log_lines\": [1, \"l\"], \"checks\": [{\"ok\": 1}, 3],"
    "   \"conformance\": {\"checks\": [{\"name\": \"c\", \"result\": \"fail\"}],"
    "    \"summary\": {\"must_pass\": 2, \"must_fail\": 1.5}}},"
    "  \"series\": [{\"offered_rate\": 10, \"reply_rate\": 9, \"num_calls\": \"2\"},"
    "   {\"start\": 0, \"end\": 1, \"bits_per_second\": 5, \"omitted\": true}, 8]},"
    "  {\"variant\": \"a\", \"evidence\": {\"conformance\": 3}, \"series\": {}}]}";

/* text as results.json in dir, a new temporary directory; path gets the file. */
static void write_results(char *dir, char *path, size_t len, const char *text)
{
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, len, "%s/results.json", dir);
	f = fopen(path, "w");
	ck_assert(f && fputs(text, f) >= 0 && fclose(f) == 0);
}

START_TEST(test_model_odd)
{
	char dir[] = "/tmp/check_report_model.XXXXXX", path[600];
	const struct pvb_variant *a;
	const struct pvb_run *run;
	struct pvb_results r;

	write_results(dir, path, sizeof(path), odd_json);
	ck_assert_int_eq(results_load(dir, &r), 0);
	ck_assert(!r.complete);
	ck_assert_ptr_null(r.tool_name);
	ck_assert_uint_eq(r.tool.n, 0);
	ck_assert_ptr_null(r.env.accel);
	ck_assert(r.env.jobs == 2 && r.icount_shift == 3);
	ck_assert_str_eq(kv(&r.env.all, "odd"), "[1,{\"x\":null}]");
	ck_assert_str_eq(kv(&r.env.all, "nil"), "null");
	ck_assert_str_eq(kv(&r.env.all, "n.a.b"), "2.5");
	ck_assert(isnan(r.scenario.seed) && isnan(r.scenario.repetitions));
	ck_assert_str_eq(r.scenario.repetitions_word, "auto");
	ck_assert(pvb_kvs_find(&r.scenario.params, "rate")->is_string);
	ck_assert(!pvb_kvs_find(&r.scenario.params, "nested")->is_string); /* not flattened */
	ck_assert_str_eq(kv(&r.scenario.params, "nested"), "{\"a\":1}");
	/* design: mistyped numbers NAN, pilot CVs that are not numbers NAN */
	ck_assert(r.design.present);
	ck_assert_str_eq(r.design.repetitions_word, "auto");
	ck_assert(r.design.pilot == 3 && isnan(r.design.power) && isnan(r.design.family));
	ck_assert_ptr_null(r.design.capped_by);
	ck_assert_str_eq(r.design.plan, "more");
	ck_assert_uint_eq(r.design.ncv, 2);
	ck_assert_str_eq(r.design.cv[0].variant, "a");
	ck_assert(r.design.cv[0].cv_pct == 0.5 && isnan(r.design.cv[1].cv_pct));
	/* the first declaration of a variant gives its overrides */
	a = results_variant(&r, "a");
	ck_assert_str_eq(kv(&a->overrides, "k"), "1");
	ck_assert(!pvb_kvs_find(&a->overrides, "n")->is_string);
	ck_assert_uint_eq(a->expect.n, 0);
	/* boots: position when "boot" is absent, numeric stages only */
	ck_assert_uint_eq(r.nboot, 2);
	ck_assert(r.boot[0].boot == 1 && r.boot[1].boot == 7);
	ck_assert_int_eq(r.boot[0].status, PVB_CRASH);
	ck_assert_int_eq(r.boot[1].status, PVB_OTHER);
	ck_assert_ptr_null(r.boot[1].status_text);
	ck_assert_uint_eq(r.boot[0].nstage, 1);
	ck_assert_uint_eq(r.boot[0].nvariant, 1);
	ck_assert_uint_eq(r.boot[1].nstage, 0);
	/* runs */
	ck_assert_uint_eq(r.nrun, 2);
	run = &r.run[0];
	ck_assert_int_eq(run->status, PVB_OTHER);
	ck_assert_str_eq(run->status_text, "WEIRD");
	ck_assert(run->rep == 0 && isnan(run->boot));
	ck_assert_uint_eq(run->nlog, 2);
	ck_assert_ptr_null(run->log_line[0]);
	ck_assert_str_eq(run->log_line[1], "l");
	ck_assert_uint_eq(run->ncheck, 2);
	ck_assert(!run->check[0].ok && !run->check[1].key);
	ck_assert(run->conformance.present && run->conformance.has_checks);
	ck_assert_uint_eq(run->conformance.ncheck, 1);
	ck_assert_str_eq(run->conformance.check[0].result, "fail");
	ck_assert_ptr_null(run->conformance.check[0].subject);
	ck_assert(run->conformance.must_pass == 2 && run->conformance.must_fail == 0);
	ck_assert(run->series.usable);
	ck_assert_uint_eq(run->series.n, 3);
	ck_assert(run->series.pt[0].offered_rate == 10 && run->series.pt[0].reply_rate == 9);
	ck_assert(isnan(run->series.pt[0].num_calls)); /* "2": not a number */
	ck_assert(isnan(run->series.pt[0].start) && run->series.pt[0].omitted == -1);
	ck_assert_int_eq(run->series.pt[1].omitted, 1);
	ck_assert(isnan(run->series.pt[2].end) && run->series.pt[2].num_calls == 1);
	run = &r.run[1];
	ck_assert(run->conformance.present && !run->conformance.has_checks);
	ck_assert(run->series.present && !run->series.usable);
	ck_assert_ptr_null(run->status_text);
	results_free(&r);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* A series longer than PVB_SERIES_MAX_POINTS is not loaded. */
START_TEST(test_model_long_series)
{
	char dir[] = "/tmp/check_report_model.XXXXXX", path[600];
	json_t *root = json_pack("{s:s, s:[{s:s}]}", "schema", PVB_RESULTS_SCHEMA, "runs",
				 "variant", "a"),
	       *series = json_array();
	struct pvb_results r;
	char *text;

	ck_assert(root && series);
	for (size_t i = 0; i <= PVB_SERIES_MAX_POINTS; i++)
		json_array_append_new(series, json_integer(1));
	json_object_set_new(json_array_get(json_object_get(root, "runs"), 0), "series", series);
	text = json_dumps(root, 0);
	ck_assert_ptr_nonnull(text);
	write_results(dir, path, sizeof(path), text);
	free(text);
	json_decref(root);
	ck_assert_int_eq(results_load(path, &r), 0);
	ck_assert(r.run[0].series.present && !r.run[0].series.usable);
	ck_assert_uint_eq(r.run[0].series.n, 0);
	ck_assert_int_eq(r.run[0].status, PVB_OTHER);
	results_free(&r);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *model_suite(void)
{
	Suite *s = suite_create("report_model");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_model_base);
	tcase_add_test(tc, test_model_net_mq);
	tcase_add_test(tc, test_model_odd);
	tcase_add_test(tc, test_model_long_series);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(model_suite());
}
