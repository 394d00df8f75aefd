/* check_iperf3.c: tests of the iperf3 workload (workloads/iperf3): the client command
 * line built from scenario keys, and the JSON parser against real iperf3 3.12 output
 * recorded in harness/tests/data/iperf3 (see its README for the commands): values
 * must equal the raw JSON, iperf3's own errors give -EIO with its message, and
 * truncated, edited or foreign output gives one clear error line. Run from the
 * repository root. */
#include "../../workloads/iperf3/iperf3.h"
#include "pvbench/scenario.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA "harness/tests/data/iperf3/"
#define SCEN "harness/tests/data/scenarios/"

TEST_PARSER_FIXTURE(DATA)

static int parse_file(const char *name, json_t *intervals)
{
	read_data(name);
	return iperf3_parse_json(text, text_len, &ms, &err, intervals);
}

static double metric(const char *name)
{
	return test_metric(&ms, name);
}

/* ---- recorded output: values as in the JSON ---- */

static const struct {
	const char *file, *metric;
	double value;
} expected[] = {
	/* jq '.end | .sum_received.bits_per_second, .sum_sent.bits_per_second,
	 *   .sum_sent.retransmits, .cpu_utilization_percent.host_total,
	 *   .cpu_utilization_percent.remote_total' tcp-p2.json */
	{ "tcp-p2.json", "throughput_bits_per_s", 1000343504.6870093 },
	{ "tcp-p2.json", "sent_bits_per_s", 1000347005.9085325 },
	{ "tcp-p2.json", "retransmits", 0 },
	{ "tcp-p2.json", "cpu_host_pct", 6.9040576286413 },
	{ "tcp-p2.json", "cpu_remote_pct", 3.7246369807195223 },
	/* the same jq on tcp-reverse.json */
	{ "tcp-reverse.json", "throughput_bits_per_s", 500164499.94375074 },
	{ "tcp-reverse.json", "sent_bits_per_s", 499995253.66596323 },
	{ "tcp-reverse.json", "retransmits", 0 },
	{ "tcp-reverse.json", "cpu_host_pct", 2.6765796284105234 },
	{ "tcp-reverse.json", "cpu_remote_pct", 5.590234942292478 },
	/* jq '.end | .sum_received.bits_per_second, .sum_sent.bits_per_second, .sum.jitter_ms,
	 *   .sum.lost_percent, .cpu_utilization_percent.host_total,
	 *   .cpu_utilization_percent.remote_total' udp.json */
	{ "udp.json", "throughput_bits_per_s", 50069729.3137819 },
	{ "udp.json", "sent_bits_per_s", 50071682.11817214 },
	{ "udp.json", "udp_jitter_ns", 0.007030749272795553 * 1e6 },
	{ "udp.json", "udp_lost_pct", 0 },
	{ "udp.json", "cpu_host_pct", 3.477623188637365 },
	{ "udp.json", "cpu_remote_pct", 0.659098840494014 },
};

START_TEST(test_recorded_values)
{
	ck_assert_int_eq(parse_file(expected[_i].file, NULL), 0);
	ck_assert_double_eq(metric(expected[_i].metric), expected[_i].value);
	ck_assert_uint_eq(err.len, 0);
}
END_TEST

/* Which metrics each protocol gives, in the table's order. */
START_TEST(test_recorded_sets)
{
	static const char *const tcp[] = { "throughput_bits_per_s", "sent_bits_per_s",
					   "retransmits", "cpu_host_pct", "cpu_remote_pct" };
	static const char *const udp[] = { "throughput_bits_per_s", "sent_bits_per_s",
					   "udp_jitter_ns", "udp_lost_pct", "cpu_host_pct",
					   "cpu_remote_pct" };

	ck_assert_int_eq(parse_file("tcp-p2.json", NULL), 0);
	ck_assert_uint_eq(ms.n, ARRAY_SIZE(tcp));
	for (size_t i = 0; i < ARRAY_SIZE(tcp); i++)
		ck_assert_str_eq(ms.m[i].name, tcp[i]);
	ms.n = 0;
	ck_assert_int_eq(parse_file("tcp-reverse.json", NULL), 0);
	ck_assert_uint_eq(ms.n, ARRAY_SIZE(tcp));
	ms.n = 0;
	ck_assert_int_eq(parse_file("udp.json", NULL), 0);
	ck_assert_uint_eq(ms.n, ARRAY_SIZE(udp));
	for (size_t i = 0; i < ARRAY_SIZE(udp); i++)
		ck_assert_str_eq(ms.m[i].name, udp[i]);
	ck_assert_uint_eq(err.len, 0);
}
END_TEST

/* iperf 3.12 -P 2 repeats keys in "start": the file really has duplicates (a strict
 * parser rejects it), and iperf3_parse_json() still reads it (test_recorded_values). */
START_TEST(test_duplicate_keys)
{
	json_error_t jerr;

	read_data("tcp-p2.json");
	ck_assert_ptr_null(json_loadb(text, text_len, JSON_REJECT_DUPLICATES, &jerr));
	ck_assert_ptr_nonnull(strstr(jerr.text, "duplicate object key"));
}
END_TEST

/* Every metric the parser gives has metadata, and its unit is in its name (but the
 * retransmit count). */
START_TEST(test_metric_table)
{
	static const char *const suffixes[][2] = {
		{ "_bits_per_s", "bits/s" }, { "_ns", "ns" }, { "_pct", "%" },
		{ "retransmits", "count" }
	};

	for (int f = 0; f < 2; f++) {
		ms.n = 0;
		ck_assert_int_eq(parse_file(f ? "udp.json" : "tcp-p2.json", NULL), 0);
		for (size_t i = 0; i < ms.n; i++)
			ck_assert_msg(metric_meta_find(iperf3_metrics, iperf3_n_metrics, ms.m[i].name),
				      "%s", ms.m[i].name);
	}
	for (size_t i = 0; i < iperf3_n_metrics; i++) {
		const char *n = iperf3_metrics[i].name;
		bool ok = false;

		for (size_t s = 0; s < ARRAY_SIZE(suffixes); s++) {
			size_t l = strlen(suffixes[s][0]);

			ok |= strlen(n) >= l && !strcmp(n + strlen(n) - l, suffixes[s][0]) &&
			      !strcmp(iperf3_metrics[i].unit, suffixes[s][1]);
		}
		ck_assert_msg(ok, "%s: unit %s not in its name", n, iperf3_metrics[i].unit);
		ck_assert_int_eq(iperf3_metrics[i].better,
				 strstr(n, "bits_per_s") ? METRIC_HIGHER : METRIC_LOWER);
	}
	ck_assert_uint_eq(iperf3_n_metrics, 7);
}
END_TEST

/* jq -c '[.intervals[].sum | [.start, .end, .bits_per_second, .omitted]]' tcp-p2.json */
static const double tcp_p2_intervals[][4] = {
	{ 0, 1.000082, 1000259466.7283682, 1 },
	{ 3.6e-05, 0.999981, 1000324451.5406921, 0 },
	{ 0.999981, 1.999989, 1000333514.3138138, 0 },
};

START_TEST(test_intervals)
{
	json_t *iv = json_array(), *o;
	size_t i;

	json_array_append_new(iv, json_string("kept")); /* appended to, not replaced */
	ck_assert_int_eq(parse_file("tcp-p2.json", iv), 0);
	ck_assert_uint_eq(json_array_size(iv), 1 + ARRAY_SIZE(tcp_p2_intervals));
	for (i = 0; i < ARRAY_SIZE(tcp_p2_intervals); i++) {
		double start, end, bps;
		int omitted;

		o = json_array_get(iv, i + 1);
		ck_assert_int_eq(json_unpack(o, "{s:F, s:F, s:F, s:b !}", "start", &start, "end",
					     &end, "bits_per_second", &bps, "omitted", &omitted),
				 0);
		ck_assert_double_eq(start, tcp_p2_intervals[i][0]);
		ck_assert_double_eq(end, tcp_p2_intervals[i][1]);
		ck_assert_double_eq(bps, tcp_p2_intervals[i][2]);
		ck_assert_int_eq(omitted, (int)tcp_p2_intervals[i][3]);
	}
	/* udp.json: 3 intervals, 50 Mbit/s; the error file has none */
	json_array_clear(iv);
	ms.n = 0;
	ck_assert_int_eq(parse_file("udp.json", iv), 0);
	ck_assert_uint_eq(json_array_size(iv), 3);
	ck_assert_double_eq(json_number_value(json_object_get(json_array_get(iv, 2),
							      "bits_per_second")),
			    50075864.5110212);
	json_array_clear(iv);
	ck_assert_int_eq(parse_file("refused.json", iv), -EIO);
	ck_assert_uint_eq(json_array_size(iv), 0);
	json_decref(iv);
}
END_TEST

/* Text around the document (a warning line before it, a newline after) is ignored. */
START_TEST(test_text_around)
{
	struct sbuf t = { 0 };

	read_data("udp.json");
	sb_puts(&t, "warning: something\n");
	sb_append(&t, text, text_len);
	sb_puts(&t, "\ntrailing\n");
	ck_assert_int_eq(iperf3_parse_json(t.buf, t.len, &ms, &err, NULL), 0);
	ck_assert_uint_eq(ms.n, 6);
	sb_free(&t);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_iperf3_error)
{
	json_t *iv = json_array();

	ck_assert_int_eq(parse_file("refused.json", iv), -EIO);
	ck_assert_str_eq(err.buf, "iperf3: unable to connect to server: Connection refused");
	ck_assert_uint_eq(ms.n, 0);
	ck_assert_uint_eq(json_array_size(iv), 0);
	sb_reset(&err);
	ck_assert_int_eq(iperf3_parse_json(text, text_len, &ms, NULL, NULL), -EIO);
	json_decref(iv);
}
END_TEST

/* An error next to complete results (iperf3 failing at the end) still fails. */
START_TEST(test_error_with_results)
{
	json_t *root = json_load_file(DATA "tcp-p2.json", 0, NULL);
	char *dump;

	json_object_set_new(root, "error", json_string("control socket has closed unexpectedly"));
	dump = json_dumps(root, 0);
	ck_assert_int_eq(iperf3_parse_json(dump, strlen(dump), &ms, &err, NULL), -EIO);
	ck_assert_str_eq(err.buf, "iperf3: control socket has closed unexpectedly");
	ck_assert_uint_eq(ms.n, 0);
	free(dump);
	json_decref(root);
}
END_TEST

/* The error text comes from the other end: control characters must not reach a
 * terminal, and it is cut at 160 characters. */
START_TEST(test_error_hostile)
{
	json_t *root = json_load_file(DATA "refused.json", 0, NULL);
	char long_msg[400], want[200];
	char *dump;

	json_object_set_new(root, "error", json_string("bad\x1b[31m thing\r\nrm -rf /"));
	dump = json_dumps(root, 0);
	ck_assert_int_eq(iperf3_parse_json(dump, strlen(dump), &ms, &err, NULL), -EIO);
	ck_assert_str_eq(err.buf, "iperf3: bad?[31m thing?");
	free(dump);

	memset(long_msg, 'x', sizeof(long_msg) - 1);
	long_msg[sizeof(long_msg) - 1] = '\0';
	json_object_set_new(root, "error", json_string(long_msg));
	dump = json_dumps(root, 0);
	sb_reset(&err);
	ck_assert_int_eq(iperf3_parse_json(dump, strlen(dump), &ms, &err, NULL), -EIO);
	snprintf(want, sizeof(want), "iperf3: %.160s", long_msg);
	ck_assert_str_eq(err.buf, want);
	free(dump);

	json_object_set_new(root, "error", json_string(""));
	dump = json_dumps(root, 0);
	sb_reset(&err);
	ck_assert_int_eq(iperf3_parse_json(dump, strlen(dump), &ms, &err, NULL), -EIO);
	ck_assert_str_eq(err.buf, "iperf3: unknown error");
	free(dump);

	json_object_set_new(root, "error", json_integer(3));
	dump = json_dumps(root, 0);
	sb_reset(&err);
	ck_assert_int_eq(iperf3_parse_json(dump, strlen(dump), &ms, &err, NULL), -EINVAL);
	ck_assert_str_eq(err.buf, "missing or invalid 'error' in iperf3 output");
	free(dump);
	json_decref(root);
}
END_TEST

START_TEST(test_truncated_file)
{
	ck_assert_int_eq(parse_file("truncated.json", NULL), -EINVAL);
	ck_assert_msg(!strncmp(err.buf, "cannot parse iperf3 JSON: ", 26), "%s", err.buf);
	ck_assert_ptr_nonnull(strstr(err.buf, " at line 112"));
	ck_assert_ptr_null(strchr(err.buf, '\n'));
	ck_assert_uint_eq(ms.n, 0);
}
END_TEST

/* Each recorded file cut at 1%, 10%, ..., 99% of its length, and 2 bytes short. */
START_TEST(test_truncated)
{
	static const char *const files[] = { "tcp-p2.json", "tcp-reverse.json", "udp.json",
					     "refused.json" };
	static const int pct[] = { 1, 10, 25, 50, 75, 90, 99 };
	json_t *iv = json_array();

	for (size_t f = 0; f < ARRAY_SIZE(files); f++) {
		size_t cut;

		read_data(files[f]);
		cut = _i < (int)ARRAY_SIZE(pct) ? text_len * pct[_i] / 100 : text_len - 2;
		sb_reset(&err);
		ck_assert_int_eq(iperf3_parse_json(text, cut, &ms, &err, iv), -EINVAL);
		ck_assert_msg(!strncmp(err.buf, "cannot parse iperf3 JSON: ", 26), "%s: %s",
			      files[f], err.buf);
		ck_assert_uint_eq(ms.n, 0);
		ck_assert_uint_eq(json_array_size(iv), 0);
	}
	json_decref(iv);
}
END_TEST

/* Input that is not iperf3 JSON at all. */
START_TEST(test_garbage)
{
	static const struct {
		const char *in, *msg;
	} cases[] = {
		{ "", "no JSON in iperf3 output" },
		{ "iperf3: parameter error - bogus value for --omit\n",
		  "no JSON in iperf3 output (starts 'iperf3: parameter error - bogus value for "
		  "--omit')" },
		{ "[1, 2]", "no JSON in iperf3 output (starts '[1, 2]')" },
		{ "{}", "missing or invalid 'start.test_start.protocol' in iperf3 output" },
		{ "{\"start\": {\"test_start\": {\"protocol\": 6}}}",
		  "missing or invalid 'start.test_start.protocol' in iperf3 output" },
		{ "{\"start\": {\"test_start\": {\"protocol\": \"SCTP\"}}}",
		  "unsupported protocol 'SCTP' in iperf3 output (expected TCP or UDP)" },
		{ "{\"start\": {\"test_start\": {\"protocol\": \"UDP\"}}, \"end\": 1}",
		  "missing or invalid 'end.sum_received.bits_per_second' in iperf3 output" },
		{ "{\"a\": 1} {\"b\": 2}",
		  "missing or invalid 'start.test_start.protocol' in iperf3 output" },
		{ "{\"a\": \x01}", NULL },
		{ "\xff\xfe{", NULL },
		{ "{\"a\": \"\xc3\x28\"}", NULL },
		{ "{\"a\": 99999999999999999999999}", NULL },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		sb_reset(&err);
		ck_assert_int_eq(iperf3_parse_json(cases[i].in, strlen(cases[i].in), &ms, &err, NULL),
				 -EINVAL);
		ck_assert_ptr_nonnull(err.buf);
		ck_assert_ptr_null(strchr(err.buf, '\n'));
		if (cases[i].msg)
			ck_assert_str_eq(err.buf, cases[i].msg);
		ck_assert_uint_eq(ms.n, 0);
	}
	ck_assert_int_eq(iperf3_parse_json("{}", 2, &ms, NULL, NULL), -EINVAL);
}
END_TEST

/* fio's JSON is well-formed but not iperf3's. */
START_TEST(test_fio_output)
{
	free(text);
	text = test_data("harness/tests/data/fio/", "randread.json", &text_len);
	ck_assert_int_eq(iperf3_parse_json(text, text_len, &ms, &err, NULL), -EINVAL);
	ck_assert_str_eq(err.buf, "missing or invalid 'start.test_start.protocol' in iperf3 output");
}
END_TEST

/* Edits of real output, each with its result. */
static const struct {
	const char *file;
	const char *path; /* dots between keys; the last one is edited */
	int edit;	  /* 0 delete, 1 set to "x", 2 set to -1, 3 set to 7, 4 set to 1e308 */
	const char *metric; /* edit 3 on success: this metric must be 7 */
	const char *msg;    /* NULL: success */
} edits[] = {
	{ "tcp-p2.json", "end.sum_sent.retransmits", 3, "retransmits", NULL },
	{ "tcp-p2.json", "end.sum_sent.retransmits", 0, NULL,
	  "missing or invalid 'end.sum_sent.retransmits' in iperf3 output" },
	{ "tcp-p2.json", "end.sum_sent.retransmits", 2, NULL,
	  "missing or invalid 'end.sum_sent.retransmits' in iperf3 output" },
	{ "tcp-p2.json", "end.sum_received.bits_per_second", 1, NULL,
	  "missing or invalid 'end.sum_received.bits_per_second' in iperf3 output" },
	{ "tcp-p2.json", "end.sum_received", 0, NULL,
	  "missing or invalid 'end.sum_received.bits_per_second' in iperf3 output" },
	{ "tcp-p2.json", "end", 0, NULL,
	  "missing or invalid 'end.sum_received.bits_per_second' in iperf3 output" },
	{ "tcp-p2.json", "end.cpu_utilization_percent.remote_total", 0, NULL,
	  "missing or invalid 'end.cpu_utilization_percent.remote_total' in iperf3 output" },
	{ "tcp-p2.json", "start.test_start.protocol", 0, NULL,
	  "missing or invalid 'start.test_start.protocol' in iperf3 output" },
	{ "tcp-p2.json", "end.sum", 3, NULL, NULL }, /* TCP ignores end.sum */
	{ "tcp-reverse.json", "end.sum_sent.retransmits", 3, "retransmits", NULL },
	{ "udp.json", "end.sum.lost_percent", 3, "udp_lost_pct", NULL },
	{ "udp.json", "end.sum.jitter_ms", 4, NULL,
	  "missing or invalid 'end.sum.jitter_ms' in iperf3 output" }, /* x 1e6 overflows */
	{ "udp.json", "end.sum.jitter_ms", 0, NULL,
	  "missing or invalid 'end.sum.jitter_ms' in iperf3 output" },
	{ "udp.json", "end.sum", 0, NULL, "missing or invalid 'end.sum.jitter_ms' in iperf3 output" },
	{ "udp.json", "end.sum_sent.bits_per_second", 2, NULL,
	  "missing or invalid 'end.sum_sent.bits_per_second' in iperf3 output" },
	{ "udp.json", "end.sum_sent.retransmits", 1, NULL, NULL }, /* UDP ignores it */
	{ "udp.json", "intervals", 0, NULL, NULL },		   /* unused without intervals */
};

static json_t *edit_target(json_t *root, const char *path, const char **last)
{
	char buf[128], *save = NULL, *tok;
	json_t *obj = root;

	snprintf(buf, sizeof(buf), "%s", path);
	*last = strrchr(path, '.') ? strrchr(path, '.') + 1 : path;
	for (tok = strtok_r(buf, ".", &save); tok && strcmp(tok, *last);
	     tok = strtok_r(NULL, ".", &save))
		obj = json_object_get(obj, tok);
	return obj;
}

START_TEST(test_edited)
{
	char path[128];
	json_t *root, *obj;
	const char *last;
	char *dump;
	int rc;

	snprintf(path, sizeof(path), DATA "%s", edits[_i].file);
	root = json_load_file(path, 0, NULL);
	ck_assert_ptr_nonnull(root);
	obj = edit_target(root, edits[_i].path, &last);
	ck_assert_ptr_nonnull(obj);
	if (edits[_i].edit == 0)
		ck_assert_int_eq(json_object_del(obj, last), 0);
	else
		json_object_set_new(obj, last,
				    edits[_i].edit == 1   ? json_string("x")
				    : edits[_i].edit == 2 ? json_integer(-1)
				    : edits[_i].edit == 3 ? json_integer(7)
							  : json_real(1e308));
	dump = json_dumps(root, 0);
	rc = iperf3_parse_json(dump, strlen(dump), &ms, &err, NULL);
	if (edits[_i].msg) {
		ck_assert_int_eq(rc, -EINVAL);
		ck_assert_str_eq(err.buf, edits[_i].msg);
		ck_assert_uint_eq(ms.n, 0);
	} else {
		ck_assert_msg(rc == 0, "%s", err.buf);
		ck_assert_uint_ge(ms.n, 5);
		if (edits[_i].metric)
			ck_assert_double_eq(metric(edits[_i].metric), 7);
	}
	free(dump);
	json_decref(root);
}
END_TEST

/* Bad intervals[] fail only when intervals are asked for, and then leave the
 * caller's array as it was. */
START_TEST(test_edited_intervals)
{
	static const char *const msgs[] = {
		"missing or invalid 'intervals[1].sum.bits_per_second' in iperf3 output",
		"missing or invalid 'intervals[1].sum.omitted' in iperf3 output",
		"missing or invalid 'intervals' in iperf3 output",
		"missing or invalid 'intervals[1].sum.start' in iperf3 output",
	};
	json_t *root = json_load_file(DATA "tcp-p2.json", 0, NULL), *sum, *iv = json_array();
	char *dump;

	sum = json_object_get(json_array_get(json_object_get(root, "intervals"), 1), "sum");
	if (_i == 0)
		json_object_set_new(sum, "bits_per_second", json_string("fast"));
	else if (_i == 1)
		json_object_set_new(sum, "omitted", json_integer(0));
	else if (_i == 2)
		json_object_set_new(root, "intervals", json_object());
	else
		json_object_set_new(sum, "start", json_real(-1));
	json_array_append_new(iv, json_true());
	dump = json_dumps(root, 0);
	ck_assert_int_eq(iperf3_parse_json(dump, strlen(dump), &ms, &err, iv), -EINVAL);
	ck_assert_str_eq(err.buf, msgs[_i]);
	ck_assert_uint_eq(ms.n, 0);
	ck_assert_uint_eq(json_array_size(iv), 1);
	ck_assert_int_eq(iperf3_parse_json(dump, strlen(dump), &ms, NULL, NULL), 0);
	ck_assert_uint_eq(ms.n, 5);
	free(dump);
	json_decref(iv);
	json_decref(root);
}
END_TEST

/* ---- limits ---- */

START_TEST(test_metric_set_full)
{
	test_fill_metrics(&ms, METRIC_SET_MAX - 3);
	ck_assert_int_eq(parse_file("tcp-p2.json", NULL), -ENOSPC);
	ck_assert_str_eq(err.buf, "cannot add metric 'cpu_host_pct': No space left on device");
	ck_assert_uint_eq(ms.n, METRIC_SET_MAX - 3); /* nothing half-added */
	ms.n = 0;
	ck_assert_int_eq(metric_set_add(&ms, "retransmits", 1), 0);
	sb_reset(&err);
	ck_assert_int_eq(parse_file("tcp-p2.json", NULL), -EEXIST);
	ck_assert_uint_eq(ms.n, 1);
}
END_TEST

START_TEST(test_too_large)
{
	ck_assert_int_eq(iperf3_parse_json("{", IPERF3_OUTPUT_MAX + 1, &ms, &err, NULL), -EINVAL);
	ck_assert_str_eq(err.buf, "iperf3 output too large (67108865 bytes)");
}
END_TEST

START_TEST(test_too_many_intervals)
{
	json_t *root = json_load_file(DATA "udp.json", 0, NULL), *in, *one, *iv = json_array();
	char *dump;

	in = json_object_get(root, "intervals");
	one = json_array_get(in, 1);
	while (json_array_size(in) <= IPERF3_INTERVALS_MAX)
		json_array_append(in, one);
	dump = json_dumps(root, JSON_COMPACT);
	ck_assert_int_eq(iperf3_parse_json(dump, strlen(dump), &ms, &err, iv), -EINVAL);
	ck_assert_str_eq(err.buf, "too many intervals in iperf3 output (100001, max 100000)");
	ck_assert_uint_eq(json_array_size(iv), 0);
	json_array_remove(in, 0);
	sb_reset(&err);
	ck_assert_int_eq(iperf3_parse_json(dump, strlen(dump), &ms, &err, NULL), 0);
	free(dump);
	dump = json_dumps(root, JSON_COMPACT);
	ms.n = 0;
	ck_assert_int_eq(iperf3_parse_json(dump, strlen(dump), &ms, &err, iv), 0);
	ck_assert_uint_eq(json_array_size(iv), IPERF3_INTERVALS_MAX);
	free(dump);
	json_decref(iv);
	json_decref(root);
}
END_TEST

/* ---- command line ---- */

static struct scenario sc;

static void cmdline_is(const char *file, const char *variant, bool quick, const char *want)
{
	struct sbuf out = { 0 };

	test_load_scenario(file, &sc);
	ck_assert_int_eq(iperf3_build_cmdline(SCENARIO_VALUES(&sc, variant ? scenario_find_variant(&sc, variant)
							   : NULL),
					      quick, "10.0.0.2", &out),
			 0);
	ck_assert_str_eq(out.buf, want);
	scenario_free(&sc);
	sb_free(&out);
}

static void cmdline_text_is(const char *ini, bool quick, const char *want)
{
	cmdline_is(ini, NULL, quick, want);
}

START_TEST(test_cmdline)
{
	/* harness/tests/data/scenarios/good/iperf3.ini: parallel 4, duration 10, omit 2s,
	 * window 256k; variants tcp, reverse (from_guest, parallel 1), udp (50M, length
	 * 1400); quick_runtime 1500ms (rounded up to 2 s) */
	cmdline_is(SCEN "good/iperf3.ini", NULL, false,
		   "iperf3 -c 10.0.0.2 -J -t 10 -O 2 -P 4 -w 262144");
	cmdline_is(SCEN "good/iperf3.ini", "tcp", false,
		   "iperf3 -c 10.0.0.2 -J -t 10 -O 2 -P 4 -w 262144");
	cmdline_is(SCEN "good/iperf3.ini", "reverse", false,
		   "iperf3 -c 10.0.0.2 -J -t 10 -O 2 -P 1 -R -w 262144");
	cmdline_is(SCEN "good/iperf3.ini", "udp", false,
		   "iperf3 -c 10.0.0.2 -J -t 10 -O 2 -P 4 -u -b 52428800 -l 1400 -w 262144");
	cmdline_is(SCEN "good/iperf3.ini", "tcp", true,
		   "iperf3 -c 10.0.0.2 -J -t 2 -O 0 -P 4 -w 262144");
	cmdline_is(SCEN "good/iperf3.ini", "reverse", true,
		   "iperf3 -c 10.0.0.2 -J -t 2 -O 0 -P 1 -R -w 262144");
	cmdline_is(SCEN "good/iperf3.ini", "udp", true,
		   "iperf3 -c 10.0.0.2 -J -t 2 -O 0 -P 4 -u -b 52428800 -l 1400 -w 262144");
}
END_TEST

/* Defaults: tcp, to_guest, 1 stream, 10 s after 1 s omitted, udp_rate 100M. */
START_TEST(test_cmdline_defaults)
{
	cmdline_text_is("[scenario]\nname = t\nworkload = iperf3\n", false,
			"iperf3 -c 10.0.0.2 -J -t 10 -O 1 -P 1");
	cmdline_text_is("[scenario]\nname = t\nworkload = iperf3\n", true,
			"iperf3 -c 10.0.0.2 -J -t 3 -O 0 -P 1");
	cmdline_text_is("[scenario]\nname = t\nworkload = iperf3\n[workload]\nprotocol = udp\n"
			"direction = from_guest\nudp_rate = 0\nduration = 1m\nomit = 0\n",
			false, "iperf3 -c 10.0.0.2 -J -t 60 -O 0 -P 1 -R -u -b 0");
	/* udp_rate is ignored for tcp */
	cmdline_text_is("[scenario]\nname = t\nworkload = iperf3\n[workload]\nudp_rate = 1G\n"
			"length = 1M\n",
			false, "iperf3 -c 10.0.0.2 -J -t 10 -O 1 -P 1 -l 1048576");
}
END_TEST

START_TEST(test_cmdline_errors)
{
	static const char *const bad_ips[] = { "", "10.0.0.2 -R", "-R", "a;b", "10.0.0.2\n",
					       "x123456789x123456789x123456789x123456789x123456789"
					       "x123456789xxxxx" };
	static const char ini[] = "[scenario]\nname = t\nworkload = iperf3\n";
	struct sbuf out = { 0 };

	ck_assert_int_eq(scenario_load_text("t.ini", ini, strlen(ini), &sc, NULL), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad_ips); i++)
		ck_assert_int_eq(iperf3_build_cmdline(SCENARIO_VALUES(&sc, NULL), false, bad_ips[i], &out), -EINVAL);
	ck_assert_int_eq(iperf3_build_cmdline(SCENARIO_VALUES(&sc, NULL), false, NULL, &out), -EINVAL);
	ck_assert_ptr_null(out.buf);
	ck_assert_int_eq(iperf3_build_cmdline(SCENARIO_VALUES(&sc, NULL), false, "fe80::1", &out), 0);
	ck_assert_str_eq(out.buf, "iperf3 -c fe80::1 -J -t 10 -O 1 -P 1");
	sb_reset(&out);
	ck_assert_int_eq(iperf3_build_cmdline(SCENARIO_VALUES(&sc, NULL), false, "domu1.local", &out), 0);
	scenario_free(&sc);
	sb_free(&out);
}
END_TEST

/* Unknown and foreign keys in an iperf3 scenario name file:line (more cases in
 * check_scenario.c's bad_cases). */
START_TEST(test_scenario_errors)
{
	static const struct {
		const char *file, *msg;
	} cases[] = {
		{ "iperf3-unknown-key.ini",
		  ":6: unknown key 'paralel' in [workload] (did you mean 'parallel'?)" },
		{ "iperf3-fio-key.ini",
		  ":7: key 'iodepth' in [workload] belongs to workload 'fio', not 'iperf3'" },
	};
	static const char fio_ini[] = "[scenario]\nname = t\n[workload]\nrw = read\nparallel = 2\n";
	struct sbuf e = { 0 };
	char path[128], want[256];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(path, sizeof(path), SCEN "bad/%s", cases[i].file);
		snprintf(want, sizeof(want), "%s%s", path, cases[i].msg);
		sb_reset(&e);
		ck_assert_int_eq(scenario_load(path, &sc, &e), -EINVAL);
		ck_assert_str_eq(e.buf, want);
	}
	/* and a fio key name that is an iperf3 one elsewhere is unknown to fio */
	sb_reset(&e);
	ck_assert_int_eq(scenario_load_text("t.ini", fio_ini, strlen(fio_ini), &sc, &e), -EINVAL);
	ck_assert_str_eq(e.buf, "t.ini:5: key 'parallel' in [workload] belongs to workload "
				"'iperf3', not 'fio'");
	sb_free(&e);
}
END_TEST

/* iperf3 itself accepts every command line built from good/iperf3.ini (skipped
 * without iperf3): run against a port where nothing listens, a valid command line
 * gives JSON with "Connection refused" (-EIO); a rejected option gives a usage text
 * and no JSON (-EINVAL). */
START_TEST(test_cmdline_iperf3_accepts)
{
	struct sbuf cmd = { 0 };
	char buf[4096];
	FILE *p;
	size_t n;

	if (system("command -v iperf3 >/dev/null 2>&1"))
		return;
	test_load_scenario(SCEN "good/iperf3.ini", &sc);
	for (size_t v = 0; v < 2 * sc.n_variants; v++) {
		sb_reset(&cmd);
		ck_assert_int_eq(iperf3_build_cmdline(SCENARIO_VALUES(&sc, &sc.variants[v / 2]), v & 1, "127.0.0.1",
						      &cmd),
				 0);
		sb_puts(&cmd, " -p 1 2>/dev/null");
		p = popen(cmd.buf, "r");
		ck_assert_ptr_nonnull(p);
		n = fread(buf, 1, sizeof(buf), p);
		pclose(p);
		ms.n = 0;
		sb_reset(&err);
		ck_assert_int_eq(iperf3_parse_json(buf, n, &ms, &err, NULL), -EIO);
		ck_assert_msg(!strcmp(err.buf, "iperf3: unable to connect to server: Connection "
					       "refused"),
			      "%s: %s", cmd.buf, err.buf);
	}
	scenario_free(&sc);
	sb_free(&cmd);
}
END_TEST

static Suite *iperf3_suite(void)
{
	Suite *s = suite_create("iperf3");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");
	TCase *limits = tcase_create("limits"), *cmdline = tcase_create("cmdline");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_loop_test(core, test_recorded_values, 0, ARRAY_SIZE(expected));
	tcase_add_test(core, test_recorded_sets);
	tcase_add_test(core, test_duplicate_keys);
	tcase_add_test(core, test_metric_table);
	tcase_add_test(core, test_intervals);
	tcase_add_test(core, test_text_around);
	suite_add_tcase(s, core);

	tcase_add_checked_fixture(errors, setup, teardown);
	tcase_add_test(errors, test_iperf3_error);
	tcase_add_test(errors, test_error_with_results);
	tcase_add_test(errors, test_error_hostile);
	tcase_add_test(errors, test_truncated_file);
	tcase_add_loop_test(errors, test_truncated, 0, 8);
	tcase_add_test(errors, test_garbage);
	tcase_add_test(errors, test_fio_output);
	tcase_add_loop_test(errors, test_edited, 0, ARRAY_SIZE(edits));
	tcase_add_loop_test(errors, test_edited_intervals, 0, 4);
	suite_add_tcase(s, errors);

	tcase_add_checked_fixture(limits, setup, teardown);
	tcase_add_test(limits, test_metric_set_full);
	tcase_add_test(limits, test_too_large);
	tcase_add_test(limits, test_too_many_intervals);
	suite_add_tcase(s, limits);

	tcase_add_checked_fixture(cmdline, setup, teardown);
	tcase_add_test(cmdline, test_cmdline);
	tcase_add_test(cmdline, test_cmdline_defaults);
	tcase_add_test(cmdline, test_cmdline_errors);
	tcase_add_test(cmdline, test_scenario_errors);
	tcase_add_test(cmdline, test_cmdline_iperf3_accepts);
	suite_add_tcase(s, cmdline);
	return s;
}

int main(void)
{
	return test_run_suite(iperf3_suite());
}
