/* check_xenwatch.c: tests of the xenwatch workload (workloads/xenwatch): the summary
 * and histogram code the dom0 program uses (lat_stats.h) against reference values
 * computed independently (harness/tests/data/xenwatch/reference.py, exact rational
 * arithmetic cross-checked with numpy) on fixed data, the parser of
 * pvbench-xenwatch's JSON against the hand-written samples in
 * harness/tests/data/xenwatch (see its README: no real run recorded yet) and against
 * malformed input, the command line, and scenario files with workload = xenwatch.
 * Run from the repository root. */
#include "../../workloads/xenwatch/xenwatch.h"
#include "pvbench/scenario.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA "harness/tests/data/xenwatch/"

TEST_PARSER_FIXTURE(DATA)
static struct scenario sc;

/* ---- statistics (lat_stats.h) ---- */

/* latency-1000.txt as numbers, in file order. */
static size_t load_latencies(uint64_t *v, size_t max)
{
	size_t n = 0;
	char *p, *end;

	read_data("latency-1000.txt");
	for (p = text; *p && n < max; p = end) {
		v[n++] = strtoull(p, &end, 10);
		ck_assert_ptr_ne(p, end);
		while (*end == '\n')
			end++;
	}
	return n;
}

/* Reference values printed by reference.py for the first n values of the file. */
static const struct {
	size_t n;
	uint64_t min, p50, p90, p99, p99_9, max;
	double mean;
} refs[] = {
    {1000, 38000, 152299, 241613, 1247000, 5635000, 10941947, 199005.941},
    {999, 38000, 152299, 241641, 1569776, 10941947, 10941947, 199034.55355355356},
    {7, 71124, 110000, 3240000, 3240000, 3240000, 3240000, 564280.1428571428},
};

START_TEST(test_summary_reference)
{
	static uint64_t v[1000];
	struct time_summary s;

	setup();
	ck_assert_uint_eq(load_latencies(v, 1000), 1000);
	load_latencies(v, 1000); /* the file order again: the summary sorts in place */
	time_summarize(v, refs[_i].n, &s);
	ck_assert_uint_eq(s.n, refs[_i].n);
	ck_assert_uint_eq(s.min, refs[_i].min);
	ck_assert_uint_eq(s.p50, refs[_i].p50);
	ck_assert_uint_eq(s.p90, refs[_i].p90);
	ck_assert_uint_eq(s.p99, refs[_i].p99);
	ck_assert_uint_eq(s.p99_9, refs[_i].p99_9);
	ck_assert_uint_eq(s.max, refs[_i].max);
	ck_assert_double_eq_tol(s.mean, refs[_i].mean, 1e-6);
	for (size_t i = 1; i < refs[_i].n; i++) /* sorted in place */
		ck_assert_uint_le(v[i - 1], v[i]);
	teardown();
}
END_TEST

/* Bucket counts printed by reference.py (bucket = bit length) for n = 1000 and 7. */
START_TEST(test_hist_reference)
{
	static const uint64_t want1000[XENWATCH_HIST_BUCKETS] = {
	    [16] = 7, [17] = 350, [18] = 585, [19] = 46, [20] = 1,
	    [21] = 5, [22] = 2,	  [23] = 3,   [24] = 1,
	};
	static const uint64_t want7[XENWATCH_HIST_BUCKETS] = {[17] = 5, [18] = 1, [22] = 1};
	static uint64_t v[1000];
	uint64_t h[XENWATCH_HIST_BUCKETS] = {0}, h7[XENWATCH_HIST_BUCKETS] = {0};

	setup();
	load_latencies(v, 1000);
	xenwatch_hist_add(h, v, 1000);
	xenwatch_hist_add(h7, v, 7);
	for (unsigned b = 0; b < XENWATCH_HIST_BUCKETS; b++) {
		ck_assert_msg(h[b] == want1000[b], "bucket %u: %lu, want %lu", b,
			      (unsigned long)h[b], (unsigned long)want1000[b]);
		ck_assert_uint_eq(h7[b], want7[b]);
	}
	/* not cleared between calls: adding the 7 again doubles them */
	xenwatch_hist_add(h7, v, 7);
	ck_assert_uint_eq(h7[17], 10);
	teardown();
}
END_TEST

/* Bucket edges worked out by hand: b holds 2^(b-1) .. 2^b - 1, 0 alone in bucket 0. */
START_TEST(test_hist_edges)
{
	static const struct {
		uint64_t v;
		unsigned b;
	} cases[] = {
	    {0, 0},
	    {1, 1},
	    {2, 2},
	    {3, 2},
	    {4, 3},
	    {1023, 10},
	    {1024, 11},
	    {131071, 17},
	    {131072, 18},
	    {1ull << 62, 63},
	    {(1ull << 63) - 1, 63},
	    {1ull << 63, 64},
	    {UINT64_MAX, 64},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned b = xenwatch_hist_bucket(cases[i].v);

		ck_assert_uint_eq(b, cases[i].b);
		ck_assert_uint_le(xenwatch_hist_lo(b), cases[i].v);
		ck_assert_uint_ge(xenwatch_hist_hi(b), cases[i].v);
	}
	ck_assert_uint_eq(xenwatch_hist_lo(0), 0);
	ck_assert_uint_eq(xenwatch_hist_hi(0), 0);
	ck_assert_uint_eq(xenwatch_hist_lo(17), 65536);
	ck_assert_uint_eq(xenwatch_hist_hi(17), 131071);
	ck_assert_uint_eq(xenwatch_hist_hi(64), UINT64_MAX);
	for (unsigned b = 1; b < 64; b++) /* buckets tile the range without gaps */
		ck_assert_uint_eq(xenwatch_hist_hi(b) + 1, xenwatch_hist_lo(b + 1));
}
END_TEST

/* By hand: no values give zeros; one value is every statistic; duplicates. */
START_TEST(test_summary_small)
{
	uint64_t one[1] = {42}, dup[4] = {9, 3, 9, 3};
	struct time_summary s;

	time_summarize(NULL, 0, &s);
	ck_assert_uint_eq(s.n, 0);
	ck_assert_uint_eq(s.max, 0);
	ck_assert_double_eq(s.mean, 0);
	time_summarize(one, 1, &s);
	ck_assert(s.min == 42 && s.p50 == 42 && s.p99_9 == 42 && s.max == 42);
	ck_assert_double_eq(s.mean, 42);
	/* sorted 3 3 9 9: p50 rank ceil(2) = 2 -> 3; p90 rank ceil(3.6) = 4 -> 9 */
	time_summarize(dup, 4, &s);
	ck_assert_uint_eq(s.p50, 3);
	ck_assert_uint_eq(s.p90, 9);
	ck_assert_double_eq(s.mean, 6);
}
END_TEST

/* ---- JSON ---- */

static double metric(const char *name)
{
	return test_metric(&ms, name);
}

static const char *const order[] = {"watch_p50_ns",	 "watch_p90_ns",    "watch_p99_ns",
				    "watch_p99_9_ns",	 "watch_max_ns",    "watch_mean_ns",
				    "xl_create_mean_s",	 "xl_create_p50_s", "xl_destroy_mean_s",
				    "storm_cycles_per_s"};

/* Values as written in the hand-written samples (data/xenwatch/README.md). */
START_TEST(test_sample_values)
{
	static const double n4[] = {455120,	 890412,	  4812333,     61022870,
				    148730112,	 702388.6,	  4.012775019, 3.904417210,
				    1.388402115, 7 / 14.250731906};
	static const double n0[] = {391004, 450871, 702330, 1120334, 1120334, 407655.2};
	json_t *series;

	read_data("storm-n4.json");
	ck_assert_int_eq(xenwatch_parse_json(text, text_len, &ms, &err, NULL), 0);
	ck_assert_uint_eq(ms.n, ARRAY_SIZE(order));
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		ck_assert_str_eq(ms.m[i].name, order[i]);
		ck_assert_double_eq_tol(ms.m[i].value, n4[i], 1e-12);
	}
	/* no guests: the watch metrics only */
	ms.n = 0;
	read_data("baseline-n0-pretty.json");
	series = json_array();
	ck_assert_int_eq(xenwatch_parse_json(text, text_len, &ms, &err, series), 0);
	ck_assert_uint_eq(json_array_size(series), 0);
	json_decref(series);
	ck_assert_uint_eq(ms.n, ARRAY_SIZE(n0));
	for (size_t i = 0; i < ARRAY_SIZE(n0); i++)
		ck_assert_double_eq(metric(order[i]), n0[i]);
	ck_assert_ptr_null(metric_set_find(&ms, "xl_create_mean_s"));
	ck_assert_uint_eq(err.len, 0);
}
END_TEST

/* Recorded from the bundled Xen 4.17 / Linux 6.1 (data/xenwatch/README.md): the
 * metrics are the document's own numbers. */
START_TEST(test_real_runs)
{
	read_data("real-n2.json");
	ck_assert_int_eq(xenwatch_parse_json(text, text_len, &ms, &err, NULL), 0);
	ck_assert_double_eq(metric("watch_p50_ns"), 2870482);
	ck_assert_double_eq(metric("watch_p99_9_ns"), 245130285);
	ck_assert_double_eq_tol(metric("xl_create_mean_s"), 8.729907530, 1e-12);
	ck_assert_double_eq_tol(metric("xl_destroy_mean_s"), 3.527705262, 1e-12);
	ck_assert_double_eq(metric("storm_cycles_per_s"), 0);
	ms.n = 0;
	read_data("real-n0.json");
	ck_assert_int_eq(xenwatch_parse_json(text, text_len, &ms, &err, NULL), 0);
	ck_assert_double_eq(metric("watch_p50_ns"), 2973396);
	ck_assert_ptr_null(metric_set_find(&ms, "xl_create_mean_s"));
}
END_TEST

START_TEST(test_metric_table)
{
	ck_assert_uint_eq(xenwatch_n_metrics, ARRAY_SIZE(order));
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		const struct metric_meta *m =
		    metric_meta_find(xenwatch_metrics, xenwatch_n_metrics, order[i]);

		ck_assert_ptr_nonnull(m);
		ck_assert_int_eq(m->better, i == 9 ? METRIC_HIGHER : METRIC_LOWER);
		ck_assert_str_eq(m->unit, i < 6 ? "ns" : i < 9 ? "s" : "1/s");
	}
	ck_assert_int_eq(metric_set_add(&ms, "other", 1), 0);
	read_data("storm-n4.json");
	ck_assert_int_eq(xenwatch_parse_json(text, text_len, &ms, &err, NULL), 0);
	ck_assert_uint_eq(ms.n, 1 + ARRAY_SIZE(order));
	ck_assert_str_eq(ms.m[1].name, "watch_p50_ns");
}
END_TEST

/* The program failed, or the storm did not happen: -EIO quoting its message. */
START_TEST(test_eio)
{
	read_data("failed.json");
	ck_assert_int_eq(xenwatch_parse_json(text, text_len, &ms, &err, NULL), -EIO);
	ck_assert_ptr_nonnull(strstr(err.buf, "pvbench-xenwatch failed: every storm worker gave "
					      "up without creating its guest (6 create failures)"));
	ck_assert_ptr_null(strchr(err.buf, '\n'));
	sb_reset(&err);
	read_data("no-storm.json");
	ck_assert_int_eq(xenwatch_parse_json(text, text_len, &ms, &err, NULL), -EIO);
	ck_assert_str_eq(err.buf, "pvbench-xenwatch: no tiny guest completed a create/destroy "
				  "cycle (4 create and 3 destroy failures): xl destroy "
				  "pvbench-tiny-1: exit 1: libxl: error: libxl_domain.c:1183:"
				  "destroy_domid_pci_done: Domain 3:Pci shutdown failed");
	ck_assert_uint_eq(ms.n, 0);
}
END_TEST

#define HEAD(g)                                                                                    \
	"{\"schema\":\"pvbench-xenwatch/1\",\"watches\":2,\"guests\":" g                           \
	",\"transport\":\"/dev/xen/xenbus\",\"samples\":3,\"elapsed_s\":1,"
#define LAT                                                                                        \
	"\"latency_ns\":{\"min\":1,\"p50\":2,\"p90\":3,\"p99\":4,\"p99_9\":5,\"max\":6,\"mean\":"  \
	"3.5},"
#define HIST "\"latency_hist_ns\":[{\"lo\":1,\"hi\":1,\"n\":1},{\"lo\":2,\"hi\":3,\"n\":2}],"
#define XL0 "\"xl_create_s\":null,\"xl_destroy_s\":null,"
#define XL1                                                                                        \
	"\"xl_create_s\":{\"n\":2,\"min\":1,\"p50\":1,\"max\":2,\"mean\":1.5},"                    \
	"\"xl_destroy_s\":{\"n\":2,\"min\":1,\"p50\":1,\"max\":2,\"mean\":1.5},"
#define CNT(cyc, tot, cf)                                                                          \
	"\"storm_cycles\":" cyc ",\"storm_cycles_total\":" tot ",\"create_failures\":" cf          \
	",\"destroy_failures\":0,\"stray_events\":0,\"errors\":[]}"
#define OK0 HEAD("0") LAT HIST XL0 CNT("0", "0", "0")
#define OK1 HEAD("1") LAT HIST XL1 CNT("1", "2", "1")

/* Malformed or inconsistent documents: -EINVAL (or -EIO), one line naming the
 * problem, out unchanged. */
static const struct {
	const char *doc, *msg;
	int rc;
} bad_docs[] = {
    {"", "no JSON in pvbench-xenwatch output", -EINVAL},
    {"pvbench-xenwatch: usage\n", "no JSON in pvbench-xenwatch output (starts", -EINVAL},
    {"{\"a\":1,\"a\":2}", "duplicate object key", -EINVAL},
    {"{}", "missing or invalid 'schema'", -EINVAL},
    {"{\"schema\":\"pvbench-xenwatch/2\"}", "unsupported schema 'pvbench-xenwatch/2'", -EINVAL},
    {"{\"schema\":\"pvbench-xenwatch/1\",\"error\":\"a\\nb\"}", "pvbench-xenwatch failed: a", -EIO},
    {"{\"schema\":\"pvbench-xenwatch/1\",\"error\":1}", "pvbench-xenwatch failed: no message",
     -EIO},
    {HEAD("0") "\"transport\":\"x\"}", "duplicate object key", -EINVAL},
    {"{\"schema\":\"pvbench-xenwatch/1\",\"transport\":\"socket:[4711]\"}",
     "used transport 'socket:[4711]', not /dev/xen/xenbus", -EINVAL},
    {"{\"schema\":\"pvbench-xenwatch/1\"}", "missing or invalid 'transport'", -EINVAL},
    {"{\"schema\":\"pvbench-xenwatch/1\",\"transport\":\"/dev/xen/xenbus\",\"watches\":0}",
     "missing or invalid 'watches' in pvbench-xenwatch output (expected an integer from 1 "
     "to 100)",
     -EINVAL},
    {"{\"schema\":\"pvbench-xenwatch/1\",\"transport\":\"/dev/xen/xenbus\",\"watches\":101}",
     "missing or invalid 'watches'", -EINVAL},
    {"{\"schema\":\"pvbench-xenwatch/1\",\"transport\":\"/dev/xen/xenbus\",\"watches\":1,"
     "\"guests\":33}",
     "missing or invalid 'guests'", -EINVAL},
    {"{\"schema\":\"pvbench-xenwatch/1\",\"transport\":\"/dev/xen/xenbus\",\"watches\":1,"
     "\"guests\":1.5}",
     "missing or invalid 'guests'", -EINVAL},
    {"{\"schema\":\"pvbench-xenwatch/1\",\"transport\":\"/dev/xen/xenbus\",\"watches\":1,"
     "\"guests\":1,\"samples\":0}",
     "missing or invalid 'samples'", -EINVAL},
    {"{\"schema\":\"pvbench-xenwatch/1\",\"transport\":\"/dev/xen/xenbus\",\"watches\":1,"
     "\"guests\":1,\"samples\":1,\"elapsed_s\":0}",
     "invalid 'elapsed_s'", -EINVAL},
    {HEAD("0") "\"latency_ns\":{\"min\":1}}", "missing or invalid 'latency_ns.p50'", -EINVAL},
    {HEAD("0") "\"latency_ns\":[]}", "missing or invalid 'latency_ns'", -EINVAL},
    {HEAD("0") "\"latency_ns\":{\"min\":1,\"p50\":2,\"p90\":1,\"p99\":4,\"p99_9\":5,"
	       "\"max\":6,\"mean\":3}}",
     "inconsistent pvbench-xenwatch output: latency_ns.p90 < latency_ns.p50", -EINVAL},
    {HEAD("0") "\"latency_ns\":{\"min\":1,\"p50\":2,\"p90\":3,\"p99\":4,\"p99_9\":5,"
	       "\"max\":6,\"mean\":7}}",
     "latency_ns.mean outside min..max", -EINVAL},
    {HEAD("0") "\"latency_ns\":{\"min\":-1,\"p50\":2,\"p90\":3,\"p99\":4,\"p99_9\":5,"
	       "\"max\":6,\"mean\":3}}",
     "missing or invalid 'latency_ns.min'", -EINVAL},
    {HEAD("0") LAT "\"x\":0}", "missing or invalid 'latency_hist_ns'", -EINVAL},
    {HEAD("0") LAT "\"latency_hist_ns\":[{\"lo\":1,\"hi\":1,\"n\":1}]}",
     "latency_hist_ns counts 1 samples, not 3", -EINVAL},
    {HEAD("0") LAT "\"latency_hist_ns\":[{\"lo\":2,\"hi\":3,\"n\":2},{\"lo\":1,\"hi\":1,\"n\":1}]}",
     "invalid bucket 1 of 'latency_hist_ns'", -EINVAL},
    {HEAD("0") LAT "\"latency_hist_ns\":[{\"lo\":3,\"hi\":2,\"n\":3}]}",
     "invalid bucket 0 of 'latency_hist_ns'", -EINVAL},
    {HEAD("0") LAT "\"latency_hist_ns\":[{\"lo\":1,\"hi\":1,\"n\":0},{\"lo\":2,\"hi\":3,\"n\":3}]}",
     "invalid bucket 0 of 'latency_hist_ns'", -EINVAL},
    {HEAD("0") LAT HIST "\"xl_create_s\":{\"n\":0}}",
     "invalid 'xl_create_s' in pvbench-xenwatch output (null expected without guests)", -EINVAL},
    {HEAD("1") LAT HIST "\"xl_create_s\":null}",
     "missing or invalid 'xl_create_s' or 'xl_create_s.n'", -EINVAL},
    {HEAD("1") LAT HIST "\"xl_create_s\":{\"n\":1,\"min\":2,\"p50\":1,\"max\":2,\"mean\":2}}",
     "xl_create_s.p50 < xl_create_s.min", -EINVAL},
    {HEAD("1") LAT HIST "\"xl_create_s\":{\"n\":1,\"min\":1,\"p50\":1,\"max\":2,\"mean\":2.5}}",
     "xl_create_s.mean outside min..max", -EINVAL},
    {HEAD("1") LAT HIST XL1 CNT("3", "2", "0"), "storm_cycles > storm_cycles_total", -EINVAL},
    {HEAD("1") LAT HIST XL1 CNT("0", "0", "-1"), "missing or invalid 'create_failures'", -EINVAL},
    {HEAD("0") LAT HIST XL0 "\"storm_cycles\":0,\"storm_cycles_total\":0,\"create_failures\":0,"
			    "\"destroy_failures\":0,\"stray_events\":0,\"errors\":[1]}",
     "invalid 'errors'", -EINVAL},
    {HEAD("0") LAT HIST XL0 "\"storm_cycles\":0,\"storm_cycles_total\":0,\"create_failures\":0,"
			    "\"destroy_failures\":0,\"stray_events\":0}",
     "missing or invalid 'errors'", -EINVAL},
    /* creates failed and no cycle completed (cycles 0 of 0): the storm did not happen */
    {HEAD("1") LAT HIST XL1 CNT("0", "0", "2"),
     "pvbench-xenwatch: no tiny guest completed a create/destroy cycle (2 create and 0 "
     "destroy failures): no message",
     -EIO},
    {HEAD("1") LAT HIST "\"xl_create_s\":{\"n\":0},\"xl_destroy_s\":{\"n\":0}," CNT("0", "0", "5"),
     "pvbench-xenwatch: no tiny guest was created (5 create and 0 destroy failures)", -EIO},
};

START_TEST(test_malformed)
{
	ck_assert_int_eq(metric_set_add(&ms, "before", 1), 0);
	ck_assert_int_eq(
	    xenwatch_parse_json(bad_docs[_i].doc, strlen(bad_docs[_i].doc), &ms, &err, NULL),
	    bad_docs[_i].rc);
	ck_assert_uint_eq(ms.n, 1);
	ck_assert_ptr_nonnull(err.buf);
	ck_assert_msg(strstr(err.buf, bad_docs[_i].msg), "case %d: '%s' lacks '%s'", _i, err.buf,
		      bad_docs[_i].msg);
	ck_assert_ptr_null(strchr(err.buf, '\n'));
}
END_TEST

/* The valid documents the malformed ones are cut from; with storm: cycles / elapsed. */
START_TEST(test_minimal_docs)
{
	ck_assert_int_eq(xenwatch_parse_json(OK0, strlen(OK0), &ms, &err, NULL), 0);
	ck_assert_uint_eq(ms.n, 6);
	ck_assert_double_eq(metric("watch_mean_ns"), 3.5);
	ms.n = 0;
	ck_assert_int_eq(xenwatch_parse_json(OK1, strlen(OK1), &ms, &err, NULL), 0);
	ck_assert_uint_eq(ms.n, 10);
	ck_assert_double_eq(metric("storm_cycles_per_s"), 1);
	ck_assert_double_eq(metric("xl_create_p50_s"), 1);
	ck_assert_double_eq(metric("xl_destroy_mean_s"), 1.5);
}
END_TEST

/* Every cut of a sample is an error, never a crash. */
START_TEST(test_truncated)
{
	read_data("storm-n4.json");
	test_every_cut_fails(xenwatch_parse_json, text, text_len, &ms, &err);
}
END_TEST

/* Too large, NULL, err NULL, a set without room for the metrics. */
START_TEST(test_limits)
{
	char *big = calloc(XENWATCH_OUTPUT_MAX + 1, 1);

	ck_assert_ptr_nonnull(big);
	ck_assert_int_eq(xenwatch_parse_json(big, XENWATCH_OUTPUT_MAX + 1, &ms, &err, NULL),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err.buf, "too large"));
	free(big);
	ck_assert_int_eq(xenwatch_parse_json(NULL, 0, &ms, NULL, NULL), -EINVAL);
	ck_assert_int_eq(xenwatch_parse_json("{}", 2, &ms, NULL, NULL), -EINVAL);
	ck_assert_int_eq(
	    xenwatch_parse_json(OK1 "\ntrailing", strlen(OK1 "\ntrailing"), &ms, NULL, NULL), 0);
	test_fill_metrics(&ms, METRIC_SET_MAX - 5);
	sb_reset(&err);
	ck_assert_int_eq(xenwatch_parse_json(OK1, strlen(OK1), &ms, &err, NULL), -EINVAL);
	ck_assert_uint_eq(ms.n, METRIC_SET_MAX - 5);
	ck_assert_ptr_nonnull(strstr(err.buf, "cannot add the pvbench-xenwatch metrics"));
}
END_TEST

/* ---- command line and scenarios ---- */

static void load(const char *ini)
{
	test_load_scenario(ini, &sc);
}

static void cmd_is(const char *variant, bool quick, const char *want)
{
	struct sbuf out = {0};

	ck_assert_int_eq(
	    xenwatch_build_cmdline(SCENARIO_VALUES(&sc, variant ? scenario_find_variant(&sc, variant) : NULL), quick,
				   &out),
	    0);
	ck_assert_str_eq(out.buf, want);
	sb_free(&out);
}

/* Defaults: no guests, 8 watches, 2000 samples after 100, timeout 5m / 4 = 75 s. */
START_TEST(test_cmdline_defaults)
{
	load("[scenario]\nname = t\nworkload = xenwatch\n");
	cmd_is(NULL, false,
	       "pvbench-xenwatch --watches 8 --samples 2000 --warmup 100 --interval-ms 0 "
	       "--timeout 75");
	cmd_is(NULL, true,
	       "pvbench-xenwatch --watches 8 --samples 200 --warmup 20 --interval-ms 0 "
	       "--timeout 75");
	scenario_free(&sc);
}
END_TEST

/* A sweep: variants set guests and watches; vif off in one; timeout 10m1s -> 151 s. */
START_TEST(test_cmdline_sweep)
{
	load("[scenario]\nname = t\nworkload = xenwatch\ntimeout = 601s\n"
	     "[workload]\nwatches = 32\nsamples = 150\nwarmup_samples = 10\ninterval_ms = 5\n"
	     "guest_memory = 96\n"
	     "[variant n0]\nbaseline = true\n"
	     "[variant n16]\nworkload.guests = 16\n"
	     "[variant n2-novif]\nworkload.guests = 2\nworkload.guest_vif = false\n"
	     "workload.watches = 1\n");
	cmd_is("n0", false,
	       "pvbench-xenwatch --watches 32 --samples 150 --warmup 10 --interval-ms 5 "
	       "--timeout 151");
	cmd_is("n16", false,
	       "pvbench-xenwatch --watches 32 --samples 150 --warmup 10 --interval-ms 5 "
	       "--timeout 151 --guests 16 --kernel /var/lib/pvbench/domU/vmlinux --ramdisk "
	       "/var/lib/pvbench/domU/tiny.cpio --memory 96 --vif --bridge xenbr0");
	/* quick lowers the samples only where they exceed its caps */
	cmd_is("n2-novif", true,
	       "pvbench-xenwatch --watches 1 --samples 150 --warmup 10 --interval-ms 5 "
	       "--timeout 151 --guests 2 --kernel /var/lib/pvbench/domU/vmlinux --ramdisk "
	       "/var/lib/pvbench/domU/tiny.cpio --memory 96");
	scenario_free(&sc);
}
END_TEST

START_TEST(test_scenario_errors)
{
	static const struct {
		const char *ini, *msg;
	} cases[] = {
	    {"[scenario]\nname = t\nworkload = xenwatch\n[workload]\nguests = 33\n",
	     "t.ini:5: invalid value '33' for 'guests' in [workload] (expected an integer from "
	     "0 to 32)"},
	    {"[scenario]\nname = t\nworkload = xenwatch\n[workload]\nwatches = 0\n",
	     "t.ini:5: invalid value '0' for 'watches' in [workload] (expected an integer from "
	     "1 to 100)"},
	    {"[scenario]\nname = t\nworkload = xenwatch\n[workload]\nguest_memory = 32\n",
	     "t.ini:5: invalid value '32' for 'guest_memory' in [workload] (expected an integer "
	     "from 64 to 4096)"},
	    {"[scenario]\nname = t\nworkload = xenwatch\n[workload]\nguest_vif = maybe\n",
	     "t.ini:5: invalid value 'maybe' for 'guest_vif' in [workload]"},
	    {"[scenario]\nname = t\nworkload = xenwatch\n[workload]\nwarmup = 5\n",
	     "t.ini:5: key 'warmup' in [workload] belongs to workload 'evtchn', not 'xenwatch'"},
	    {"[scenario]\nname = t\nworkload = xenwatch\n[workload]\npairs = 2\n",
	     "t.ini:5: key 'pairs' in [workload] belongs to workload 'evtchn', not 'xenwatch'"},
	    {"[scenario]\nname = t\n[workload]\nguests = 2\n",
	     "t.ini:4: key 'guests' in [workload] belongs to workload 'xenwatch', not 'fio'"},
	};
	struct sbuf e = {0};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		sb_reset(&e);
		ck_assert_int_eq(
		    scenario_load_text("t.ini", cases[i].ini, strlen(cases[i].ini), &sc, &e),
		    -EINVAL);
		ck_assert_msg(strstr(e.buf, cases[i].msg), "'%s' lacks '%s'", e.buf, cases[i].msg);
	}
	sb_free(&e);
}
END_TEST

/* Every key documents itself and belongs to xenwatch; the workload is registered. */
START_TEST(test_keys)
{
	bool found = false;

	for (size_t i = 0; i < xenwatch_n_keys; i++) {
		ck_assert_str_eq(xenwatch_keys[i].section, "workload");
		ck_assert_str_eq(xenwatch_keys[i].workload, "xenwatch");
		ck_assert_ptr_nonnull(xenwatch_keys[i].def);
		ck_assert_uint_gt(strlen(xenwatch_keys[i].doc), 20);
		ck_assert_ptr_eq(
		    scenario_key_find("workload", xenwatch_keys[i].name)
			? scenario_key_find("workload", xenwatch_keys[i].name)->workload
			: NULL,
		    xenwatch_keys[i].workload);
	}
	for (size_t i = 0; workload_at(i); i++)
		found |= !strcmp(workload_at(i)->name, "xenwatch");
	ck_assert(found);
}
END_TEST

static Suite *xenwatch_suite(void)
{
	Suite *s = suite_create("xenwatch");
	TCase *st = tcase_create("stats"), *json = tcase_create("json");
	TCase *cmd = tcase_create("cmdline");

	tcase_add_loop_test(st, test_summary_reference, 0, ARRAY_SIZE(refs));
	tcase_add_test(st, test_hist_reference);
	tcase_add_test(st, test_hist_edges);
	tcase_add_test(st, test_summary_small);
	suite_add_tcase(s, st);

	tcase_add_checked_fixture(json, setup, teardown);
	tcase_add_test(json, test_sample_values);
	tcase_add_test(json, test_metric_table);
	tcase_add_test(json, test_real_runs);
	tcase_add_test(json, test_eio);
	tcase_add_loop_test(json, test_malformed, 0, ARRAY_SIZE(bad_docs));
	tcase_add_test(json, test_minimal_docs);
	tcase_add_test(json, test_truncated);
	tcase_add_test(json, test_limits);
	suite_add_tcase(s, json);

	tcase_add_test(cmd, test_cmdline_defaults);
	tcase_add_test(cmd, test_cmdline_sweep);
	tcase_add_test(cmd, test_scenario_errors);
	tcase_add_test(cmd, test_keys);
	suite_add_tcase(s, cmd);
	return s;
}

int main(void)
{
	return test_run_suite(xenwatch_suite());
}
