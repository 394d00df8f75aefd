/* check_evtchn.c: tests of the event-channel ping-pong workload (workloads/evtchn):
 * the nearest-rank percentile the guest program uses (rtt_stats.h) against values
 * worked out by hand, the parser of pvbench-evtchn's JSON against the synthetic
 * samples in harness/tests/data/evtchn (see its README: no real run recorded yet)
 * and against malformed input, the command lines of both sides, and scenario files
 * with workload = evtchn. Run from the repository root. */
#include "../../workloads/evtchn/evtchn.h"
#include "pvbench/plan.h"
#include "pvbench/scenario.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA "harness/tests/data/evtchn/"
#define SCEN "harness/tests/data/scenarios/"

TEST_PARSER_FIXTURE(DATA)
static struct scenario sc;

/* ---- percentiles (nearest rank: x[ceil(p/100 * n) - 1], rank at least 1) ---- */

/* 1..100: x[i] = i + 1, so the value is the rank itself: pP -> ceil(P) (for n = 100,
 * rank = ceil(per_mille * 100 / 1000) = ceil(per_mille / 10)). */
START_TEST(test_pct_1_to_100)
{
	uint64_t x[100];

	for (int i = 0; i < 100; i++)
		x[i] = i + 1;
	ck_assert_uint_eq(evtchn_percentile(x, 100, 0), 1);	/* rank 0 -> 1 */
	ck_assert_uint_eq(evtchn_percentile(x, 100, 1), 1);	/* p0.1: ceil(0.1) = 1 */
	ck_assert_uint_eq(evtchn_percentile(x, 100, 10), 1);	/* p1: 1 */
	ck_assert_uint_eq(evtchn_percentile(x, 100, 255), 26);	/* p25.5: ceil(25.5) = 26 */
	ck_assert_uint_eq(evtchn_percentile(x, 100, 500), 50);	/* p50: 50 */
	ck_assert_uint_eq(evtchn_percentile(x, 100, 501), 51);	/* p50.1: ceil(50.1) = 51 */
	ck_assert_uint_eq(evtchn_percentile(x, 100, 900), 90);	/* p90: 90 */
	ck_assert_uint_eq(evtchn_percentile(x, 100, 990), 99);	/* p99: 99 */
	ck_assert_uint_eq(evtchn_percentile(x, 100, 999), 100); /* p99.9: ceil(99.9) = 100 */
	ck_assert_uint_eq(evtchn_percentile(x, 100, 1000), 100); /* p100: the maximum */
	ck_assert_uint_eq(evtchn_percentile(x, 100, 5000), 100); /* clamped to p100 */
}
END_TEST

/* 10 values with duplicates, sorted: rank = ceil(per_mille * 10 / 1000) =
 * ceil(per_mille / 100). */
START_TEST(test_pct_duplicates)
{
	static const uint64_t x[10] = { 3, 3, 5, 7, 7, 7, 9, 12, 12, 20 };

	ck_assert_uint_eq(evtchn_percentile(x, 10, 0), 3);    /* rank 1 */
	ck_assert_uint_eq(evtchn_percentile(x, 10, 100), 3);  /* p10: rank 1 -> x[0] = 3 */
	ck_assert_uint_eq(evtchn_percentile(x, 10, 200), 3);  /* p20: rank 2 -> x[1] = 3 */
	ck_assert_uint_eq(evtchn_percentile(x, 10, 210), 5);  /* p21: ceil(2.1) = 3 -> x[2] = 5 */
	ck_assert_uint_eq(evtchn_percentile(x, 10, 500), 7);  /* p50: rank 5 -> x[4] = 7 */
	ck_assert_uint_eq(evtchn_percentile(x, 10, 600), 7);  /* p60: rank 6 -> x[5] = 7 */
	ck_assert_uint_eq(evtchn_percentile(x, 10, 700), 9);  /* p70: rank 7 -> x[6] = 9 */
	ck_assert_uint_eq(evtchn_percentile(x, 10, 900), 12); /* p90: rank 9 -> x[8] = 12 */
	ck_assert_uint_eq(evtchn_percentile(x, 10, 901), 20); /* p90.1: ceil(9.01) = 10 */
	ck_assert_uint_eq(evtchn_percentile(x, 10, 990), 20); /* p99: ceil(9.9) = 10 -> 20 */
	ck_assert_uint_eq(evtchn_percentile(x, 10, 999), 20); /* p99.9: ceil(9.99) = 10 */
}
END_TEST

/* One value is every percentile; no values give 0. */
START_TEST(test_pct_single)
{
	static const uint64_t x[1] = { 42 };
	static const unsigned p[] = { 0, 1, 500, 900, 990, 999, 1000 };

	for (size_t i = 0; i < ARRAY_SIZE(p); i++)
		ck_assert_uint_eq(evtchn_percentile(x, 1, p[i]), 42);
	ck_assert_uint_eq(evtchn_percentile(x, 0, 500), 0);
	ck_assert_uint_eq(evtchn_percentile(NULL, 0, 999), 0);
}
END_TEST

/* Exact ranks where floating point would be off: x[i] = 10 (i + 1), n = 1000; p99.9
 * is rank 999 exactly (99.9 / 100 * 1000 in doubles is 999.0000000000001, whose
 * ceiling would wrongly be 1000); p50 rank 500; p99 rank 990. */
START_TEST(test_pct_exact_rank)
{
	static uint64_t x[1000];

	for (int i = 0; i < 1000; i++)
		x[i] = 10 * (uint64_t)(i + 1);
	ck_assert_uint_eq(evtchn_percentile(x, 1000, 999), 9990);
	ck_assert_uint_eq(evtchn_percentile(x, 1000, 500), 5000);
	ck_assert_uint_eq(evtchn_percentile(x, 1000, 990), 9900);
	ck_assert_uint_eq(evtchn_percentile(x, 1000, 1000), 10000);
	ck_assert_uint_eq(evtchn_percentile(x, 1000, 1), 10); /* p0.1: rank 1 */
	/* n = 999 (the first 999): p50 = ceil(499.5) = 500 -> 5000; p99.9 = ceil(998.001)
	 * = 999 -> 9990; p10 = ceil(99.9) = 100 -> 1000 */
	ck_assert_uint_eq(evtchn_percentile(x, 999, 500), 5000);
	ck_assert_uint_eq(evtchn_percentile(x, 999, 999), 9990);
	ck_assert_uint_eq(evtchn_percentile(x, 999, 100), 1000);
}
END_TEST

/* ---- JSON ---- */

static double metric(const char *name)
{
	return test_metric(&ms, name);
}

static const char *const order[] = { "rtt_min_ns", "rtt_p50_ns", "rtt_p90_ns", "rtt_p99_ns",
				     "rtt_p99_9_ns", "rtt_max_ns", "rtt_mean_ns",
				     "round_trips_per_s" };

/* Values as written in the synthetic samples (harness/tests/data/evtchn/README.md). */
START_TEST(test_sample_values)
{
	static const double p2[] = { 61234, 84512, 112003, 187650, 402117, 1893004, 91877.4,
				     11530.146 };
	static const double p1[] = { 52000, 66000, 80000, 120000, 300000, 300000, 70100.5,
				     14084.507 };
	json_t *series;

	read_data("ping-p2.json");
	ck_assert_int_eq(evtchn_parse_json(text, text_len, &ms, &err, NULL), 0);
	ck_assert_uint_eq(ms.n, ARRAY_SIZE(order));
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		ck_assert_str_eq(ms.m[i].name, order[i]);
		ck_assert_double_eq(ms.m[i].value, p2[i]);
	}
	ms.n = 0;
	read_data("ping-p1-pretty.json"); /* with a note line before the document */
	series = json_array(); /* accepted and left alone: no per-interval series */
	ck_assert_int_eq(evtchn_parse_json(text, text_len, &ms, &err, series), 0);
	ck_assert_uint_eq(json_array_size(series), 0);
	json_decref(series);
	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		ck_assert_double_eq(metric(order[i]), p1[i]);
	ck_assert_uint_eq(err.len, 0);
}
END_TEST

/* Every metric has metadata with the right direction, and appends to out. */
START_TEST(test_metric_table)
{
	ck_assert_uint_eq(evtchn_n_metrics, ARRAY_SIZE(order));
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		const struct metric_meta *m = metric_meta_find(evtchn_metrics, evtchn_n_metrics,
							       order[i]);

		ck_assert_ptr_nonnull(m);
		ck_assert_int_eq(m->better, i == 7 ? METRIC_HIGHER : METRIC_LOWER);
		ck_assert_str_eq(m->unit, i == 7 ? "1/s" : "ns");
	}
	ck_assert_int_eq(metric_set_add(&ms, "other", 1), 0);
	read_data("ping-p2.json");
	ck_assert_int_eq(evtchn_parse_json(text, text_len, &ms, &err, NULL), 0);
	ck_assert_uint_eq(ms.n, 1 + ARRAY_SIZE(order));
	ck_assert_str_eq(ms.m[1].name, "rtt_min_ns");
}
END_TEST

#define DOC(pairs, total, elapsed, rate, rtt)                                              \
	"{\"schema\":\"pvbench-evtchn/1\",\"pairs\":" pairs ",\"round_trips\":" total         \
	",\"elapsed_s\":" elapsed ",\"round_trips_per_s\":" rate ",\"rtt_ns\":{" rtt "}}"
#define RTT_OK "\"min\":1,\"p50\":2,\"p90\":3,\"p99\":4,\"p99_9\":5,\"max\":6,\"mean\":3.5"

/* Malformed or inconsistent documents: -EINVAL, one line naming the problem, out
 * unchanged. */
static const struct {
	const char *doc, *msg;
} bad_docs[] = {
	{ "", "no JSON in pvbench-evtchn output" },
	{ "pvbench-evtchn: no /local/domain/3/data/pvbench-evtchn/port-0 after 30 s\n",
	  "no JSON in pvbench-evtchn output (starts 'pvbench-evtchn: no /local" },
	{ "{\"schema\":\"pvbench-evtchn/1\",\"pairs\":1", "cannot parse pvbench-evtchn JSON" },
	{ "{]", "cannot parse pvbench-evtchn JSON" },
	{ "{\"a\":1,\"a\":2}", "cannot parse pvbench-evtchn JSON: duplicate object key" },
	{ "{}", "missing or invalid 'schema'" },
	{ "{\"schema\":\"pvbench-evtchn/2\"}", "unsupported schema 'pvbench-evtchn/2'" },
	{ "{\"schema\":\"\\u0001\\u007f\"}", "unsupported schema '?" "?'" },
	{ "{\"schema\":1}", "missing or invalid 'schema'" },
	{ DOC("0", "1", "1", "1", RTT_OK), "missing or invalid 'pairs'" },
	{ DOC("17", "1", "1", "1", RTT_OK), "missing or invalid 'pairs'" },
	{ DOC("1.5", "1", "1", "1", RTT_OK), "missing or invalid 'pairs'" },
	{ DOC("\"1\"", "1", "1", "1", RTT_OK), "missing or invalid 'pairs'" },
	{ DOC("1", "0", "1", "1", RTT_OK), "missing or invalid 'round_trips'" },
	{ DOC("1", "-5", "1", "1", RTT_OK), "missing or invalid 'round_trips'" },
	{ DOC("1", "1e3", "1", "1", RTT_OK), "missing or invalid 'round_trips'" },
	{ DOC("1", "1", "0", "1", RTT_OK), "invalid 'elapsed_s'" },
	{ DOC("1", "1", "-1", "1", RTT_OK), "missing or invalid 'elapsed_s'" },
	{ DOC("1", "1", "null", "1", RTT_OK), "missing or invalid 'elapsed_s'" },
	{ DOC("1", "1", "1", "\"fast\"", RTT_OK), "missing or invalid 'round_trips_per_s'" },
	{ DOC("1", "1", "1", "1e999", RTT_OK), "cannot parse pvbench-evtchn JSON" },
	{ DOC("1", "1", "1", "1", "\"min\":1"), "missing or invalid 'rtt_ns.p50'" },
	{ DOC("1", "1", "1", "1",
	      "\"min\":1,\"p50\":2,\"p90\":3,\"p99\":4,\"p99_9\":5,\"max\":6,\"mean\":-1"),
	  "missing or invalid 'rtt_ns.mean'" },
	{ DOC("1", "1", "1", "1",
	      "\"min\":1,\"p50\":2,\"p90\":3,\"p99\":4,\"p99_9\":[5],\"max\":6,\"mean\":3"),
	  "missing or invalid 'rtt_ns.p99_9'" },
	{ DOC("1", "1", "1", "1",
	      "\"min\":1,\"p50\":2,\"p90\":1,\"p99\":4,\"p99_9\":5,\"max\":6,\"mean\":3"),
	  "inconsistent pvbench-evtchn output: rtt_ns.p90 < rtt_ns.p50" },
	{ DOC("1", "1", "1", "1",
	      "\"min\":1,\"p50\":2,\"p90\":3,\"p99\":4,\"p99_9\":5,\"max\":6,\"mean\":7"),
	  "inconsistent pvbench-evtchn output: rtt_ns.mean outside min..max" },
	{ "{\"schema\":\"pvbench-evtchn/1\",\"pairs\":1,\"round_trips\":1,\"elapsed_s\":1,"
	  "\"round_trips_per_s\":1,\"rtt_ns\":[]}",
	  "missing or invalid 'rtt_ns'" },
	{ "[1,2]", "no JSON in pvbench-evtchn output (starts '[1,2]')" },
	{ "note\n{\"schema\":\"pvbench-evtchn/1\",\n\"pairs\":", "at line 3" },
};

START_TEST(test_malformed)
{
	ck_assert_int_eq(metric_set_add(&ms, "before", 1), 0);
	ck_assert_int_eq(evtchn_parse_json(bad_docs[_i].doc, strlen(bad_docs[_i].doc), &ms, &err,
					   NULL),
			 -EINVAL);
	ck_assert_uint_eq(ms.n, 1);
	ck_assert_ptr_nonnull(err.buf);
	ck_assert_msg(strstr(err.buf, bad_docs[_i].msg), "case %d: '%s' lacks '%s'", _i, err.buf,
		      bad_docs[_i].msg);
	ck_assert_ptr_null(strchr(err.buf, '\n'));
}
END_TEST

/* The sample cut at every length before its end is an error, never a crash. */
START_TEST(test_truncated)
{
	read_data("ping-p2.json");
	test_every_cut_fails(evtchn_parse_json, text, text_len, &ms, &err);
}
END_TEST

/* Too large, NULL, a full metric set; err may be NULL; a document that is fine. */
START_TEST(test_limits)
{
	static const char ok[] = DOC("1", "1", "1", "1", RTT_OK) "\ntrailing text";
	char *big = calloc(EVTCHN_OUTPUT_MAX + 1, 1);

	ck_assert_ptr_nonnull(big);
	ck_assert_int_eq(evtchn_parse_json(big, EVTCHN_OUTPUT_MAX + 1, &ms, &err, NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.buf, "too large"));
	free(big);
	ck_assert_int_eq(evtchn_parse_json(NULL, 0, &ms, NULL, NULL), -EINVAL);
	ck_assert_int_eq(evtchn_parse_json("{}", 2, &ms, NULL, NULL), -EINVAL);
	ck_assert_int_eq(evtchn_parse_json(ok, strlen(ok), &ms, NULL, NULL), 0);
	ck_assert_uint_eq(ms.n, ARRAY_SIZE(order));
	ck_assert_double_eq(metric("rtt_mean_ns"), 3.5);
	/* a set with room for fewer than 8 more is left as it was */
	test_fill_metrics(&ms, METRIC_SET_MAX - 3);
	sb_reset(&err);
	ck_assert_int_eq(evtchn_parse_json(ok, strlen(ok), &ms, &err, NULL), -EINVAL);
	ck_assert_uint_eq(ms.n, METRIC_SET_MAX - 3);
	ck_assert_ptr_nonnull(strstr(err.buf, "cannot add metric"));
}
END_TEST

/* ---- command lines ---- */

static void load(const char *ini)
{
	test_load_scenario(ini, &sc);
}

static void serve_is(const char *variant, const char *want)
{
	struct sbuf out = { 0 };

	ck_assert_int_eq(evtchn_build_serve_cmdline(SCENARIO_VALUES(&sc, variant ? scenario_find_variant(&sc, variant) : NULL), false, &out),
			 0);
	ck_assert_str_eq(out.buf, want);
	sb_free(&out);
}

static void ping_is(const char *variant, bool quick, long domid, const char *want)
{
	struct sbuf out = { 0 };

	ck_assert_int_eq(evtchn_build_ping_cmdline(SCENARIO_VALUES(&sc, variant ? scenario_find_variant(&sc, variant) : NULL), quick,
				 domid, &out),
			 0);
	ck_assert_str_eq(out.buf, want);
	sb_free(&out);
}

/* good/evtchn.ini: pairs 2, round_trips 20000, warmup 500, cpu 1, timeout 90500ms
 * (91 s rounded up); variant one: pairs 1, cpu 0. */
START_TEST(test_cmdline)
{
	load(SCEN "good/evtchn.ini");
	serve_is(NULL, "pvbench-evtchn serve --pairs 2 --timeout 91");
	serve_is("one", "pvbench-evtchn serve --pairs 1 --timeout 91");
	ping_is(NULL, false, 3,
		"pvbench-evtchn ping --domid 3 --pairs 2 --round-trips 20000 --warmup 500 --cpu 1");
	ping_is("two", false, 3,
		"pvbench-evtchn ping --domid 3 --pairs 2 --round-trips 20000 --warmup 500 --cpu 1");
	ping_is("one", false, 12,
		"pvbench-evtchn ping --domid 12 --pairs 1 --round-trips 20000 --warmup 500 --cpu 0");
	/* quick: 1000 round trips and 100 warm-up */
	ping_is("two", true, 3,
		"pvbench-evtchn ping --domid 3 --pairs 2 --round-trips 1000 --warmup 100 --cpu 1");
	ping_is("one", true, 32751,
		"pvbench-evtchn ping --domid 32751 --pairs 1 --round-trips 1000 --warmup 100 --cpu 0");
	scenario_free(&sc);
}
END_TEST

/* Defaults: 1 pair, 10000 round trips after 1000, not pinned, timeout 5m; quick
 * never raises the counts. */
START_TEST(test_cmdline_defaults)
{
	struct sbuf out = { 0 };

	load("[scenario]\nname = t\nworkload = evtchn\n");
	serve_is(NULL, "pvbench-evtchn serve --pairs 1 --timeout 300");
	ping_is(NULL, false, 1, "pvbench-evtchn ping --domid 1 --pairs 1 --round-trips 10000 --warmup 1000");
	ping_is(NULL, true, 1, "pvbench-evtchn ping --domid 1 --pairs 1 --round-trips 1000 --warmup 100");
	ck_assert_int_eq(evtchn_build_serve_cmdline(SCENARIO_VALUES(&sc, NULL), true, &out), 0);
	ck_assert_str_eq(out.buf, "pvbench-evtchn serve --pairs 1 --timeout 300");
	sb_free(&out);
	scenario_free(&sc);
	load("[scenario]\nname = t\nworkload = evtchn\n[workload]\npairs = 16\nround_trips = 50\n"
	     "warmup = 0\n");
	ping_is(NULL, true, 5, "pvbench-evtchn ping --domid 5 --pairs 16 --round-trips 50 --warmup 0");
	scenario_free(&sc);
}
END_TEST

START_TEST(test_cmdline_errors)
{
	static const long bad_domids[] = { 0, -1, 32752, 65535, 1L << 40 };
	struct sbuf out = { 0 };

	load("[scenario]\nname = t\nworkload = evtchn\n");
	for (size_t i = 0; i < ARRAY_SIZE(bad_domids); i++)
		ck_assert_int_eq(evtchn_build_ping_cmdline(SCENARIO_VALUES(&sc, NULL), false, bad_domids[i], &out),
				 -EINVAL);
	ck_assert_ptr_null(out.buf);
	scenario_free(&sc);
}
END_TEST

/* ---- scenarios ---- */

START_TEST(test_scenario)
{
	const struct variant *one;

	load(SCEN "good/evtchn.ini");
	ck_assert_str_eq(scenario_get(&sc, "scenario", "workload"), "evtchn");
	ck_assert_uint_eq(sc.n_variants, 2);
	one = scenario_find_variant(&sc, "one");
	ck_assert_ptr_nonnull(one);
	ck_assert_str_eq(variant_get(&sc, one, "workload", "pairs"), "1");
	ck_assert_uint_eq(one->n_ex, 1);
	ck_assert_str_eq(one->ex[0].name, "evtchn_abi");
	ck_assert_str_eq(one->ex[0].value, "2-level");
	scenario_free(&sc);
}
END_TEST

START_TEST(test_scenario_errors)
{
	static const struct {
		const char *ini, *msg;
	} cases[] = {
		{ "[scenario]\nname = t\nworkload = evtchn\n[workload]\npairs = 17\n",
		  "t.ini:5: invalid value '17' for 'pairs' in [workload] (expected an integer from "
		  "1 to 16)" },
		{ "[scenario]\nname = t\nworkload = evtchn\n[workload]\ncpu = -1\n",
		  "t.ini:5: invalid value '-1' for 'cpu' in [workload]" },
		{ "[scenario]\nname = t\nworkload = evtchn\n[workload]\nparallel = 2\n",
		  "t.ini:5: key 'parallel' in [workload] belongs to workload 'iperf3', not 'evtchn'" },
		{ "[scenario]\nname = t\n[workload]\npairs = 2\n",
		  "t.ini:4: key 'pairs' in [workload] belongs to workload 'evtchn', not 'fio'" },
		{ "[scenario]\nname = t\nworkload = evtchn\n[variant a]\nexpect.evtchn_ab = x\n",
		  "t.ini:5: unknown evidence 'evtchn_ab' in [variant a] (did you mean 'evtchn_abi'?)" },
	};
	struct sbuf e = { 0 };
	char want[160];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		sb_reset(&e);
		ck_assert_int_eq(scenario_load_text("t.ini", cases[i].ini, strlen(cases[i].ini), &sc,
						    &e),
				 -EINVAL);
		ck_assert_msg(strstr(e.buf, cases[i].msg), "'%s' lacks '%s'", e.buf, cases[i].msg);
	}
	/* the unknown key in a file names file:line */
	snprintf(want, sizeof(want), "%s:6: unknown key 'round_trip' in [workload] (did you mean "
		 "'round_trips'?)", SCEN "bad/evtchn-unknown-key.ini");
	sb_reset(&e);
	ck_assert_int_eq(scenario_load(SCEN "bad/evtchn-unknown-key.ini", &sc, &e), -EINVAL);
	ck_assert_str_eq(e.buf, want);
	sb_free(&e);
}
END_TEST

/* expect.evtchn_abi reads the domU's kernel log. */
START_TEST(test_evidence)
{
	struct evidence_probe ep;

	ck_assert_int_eq(evidence_probe("evtchn_abi", 4, &ep), 0);
	ck_assert_int_eq(ep.where, DOM_DOMU);
	ck_assert_int_eq(ep.kind, EV_DMESG);
	ck_assert(!ep.integer);
	ck_assert_str_eq(ep.arg, "Using (FIFO-based|2-level) ABI");
}
END_TEST

static Suite *evtchn_suite(void)
{
	Suite *s = suite_create("evtchn");
	TCase *pct = tcase_create("percentile"), *json = tcase_create("json");
	TCase *cmd = tcase_create("cmdline");

	tcase_add_test(pct, test_pct_1_to_100);
	tcase_add_test(pct, test_pct_duplicates);
	tcase_add_test(pct, test_pct_single);
	tcase_add_test(pct, test_pct_exact_rank);
	suite_add_tcase(s, pct);

	tcase_add_checked_fixture(json, setup, teardown);
	tcase_add_test(json, test_sample_values);
	tcase_add_test(json, test_metric_table);
	tcase_add_loop_test(json, test_malformed, 0, ARRAY_SIZE(bad_docs));
	tcase_add_test(json, test_truncated);
	tcase_add_test(json, test_limits);
	suite_add_tcase(s, json);

	tcase_add_test(cmd, test_cmdline);
	tcase_add_test(cmd, test_cmdline_defaults);
	tcase_add_test(cmd, test_cmdline_errors);
	tcase_add_test(cmd, test_scenario);
	tcase_add_test(cmd, test_scenario_errors);
	tcase_add_test(cmd, test_evidence);
	suite_add_tcase(s, cmd);
	return s;
}

int main(void)
{
	return test_run_suite(evtchn_suite());
}
