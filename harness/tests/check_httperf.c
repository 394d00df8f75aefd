/* check_httperf.c: tests of the httperf workload's transcript parser
 * (workloads/httperf) against real httperf 0.9.0 output recorded in
 * harness/tests/data/httperf (see its README for the commands): clean runs, several
 * calls per connection, client timeouts, connection resets, connection refused,
 * fd-unavail at a rate the host cannot keep up with, a failing httperf, 404s. Values
 * must equal what httperf printed; the saturation rule is tested at its boundaries;
 * truncated and edited transcripts give one error line and change nothing. The
 * sweep's command line is tested in check_httperf_cmdline.c. Run from the
 * repository root. */
#include "httperf_testutil.h"

#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends a recorded file to tx. */
static void add_file(const char *name)
{
	size_t len;
	char *t = data(name, &len);

	sb_append(&tx, t, len);
	free(t);
}

/* Appends one block made of a single recorded run: its stderr first, as a pipe
 * gets it (stderr is unbuffered, stdout is written at exit), then its stdout. */
static void add_run(const char *base, long rate, int exit)
{
	char name[96];

	sb_printf(&tx, HTTPERF_MARKER "rate=%ld\n", rate);
	snprintf(name, sizeof(name), "%s.err", base);
	add_file(name);
	snprintf(name, sizeof(name), "%s.out", base);
	add_file(name);
	sb_printf(&tx, HTTPERF_MARKER "exit=%d\n", exit);
}

static int parse_tx(void)
{
	return httperf_parse(tx.buf, tx.len, &ms, &err, series);
}

static double metric(const char *name)
{
	return test_metric(&ms, name);
}

/* Field `key` of series entry i, as a number. */
static double field(size_t i, const char *key)
{
	json_t *j = json_object_get(json_array_get(series, i), key);

	ck_assert_msg(json_is_number(j) || json_is_boolean(j), "series[%zu].%s", i, key);
	return json_is_boolean(j) ? json_is_true(j) : json_number_value(j);
}

/* Replaces the first line starting with `prefix` after the marker of `rate` by
 * `line` (NULL: deletes it). */
static void edit_line(long rate, const char *prefix, const char *line)
{
	char marker[64], *at, *eol;
	struct sbuf out = { 0 };

	snprintf(marker, sizeof(marker), HTTPERF_MARKER "rate=%ld\n", rate);
	at = strstr(tx.buf, marker);
	ck_assert_ptr_nonnull(at);
	at = strstr(at, prefix);
	ck_assert_msg(at, "no '%s' after rate %ld", prefix, rate);
	eol = strchr(at, '\n');
	sb_append(&out, tx.buf, at - tx.buf);
	if (line)
		sb_printf(&out, "%s\n", line);
	sb_puts(&out, eol + 1);
	sb_free(&tx);
	tx = out;
}

/* ---- recorded transcripts (sh -c "<command>" as the runner runs it) ---- */

static const struct {
	const char *file;
	int rc;
	const char *msg; /* on error */
	/* on success: saturation, peak, response, connect (-1: absent), errors_pct */
	double sat, peak, resp, conn, errors;
	size_t rates;
} transcripts[] = {
	/* 200..800 keep up (794.1 >= 0.95 x 800); 1600 and 3200 hit fd-unavail. peak:
	 * rate 3200's "avg 1511.7"; response/connect: rate 200's "response 1.7",
	 * "connect 0.8"; errors (2906 + 15866) / (2000 + 4000 + 8000 + 16000 + 32000) */
	{ "sweep.transcript", 0, NULL, 800, 1511.7, 1.7, 0.8, 100.0 * 18772 / 62000, 5 },
	/* half answered, a quarter client-timo, a quarter connreset: nothing keeps up;
	 * peak: rate 20's "avg 10.0"; errors (30 + 60) / (60 + 120) */
	{ "mixed.transcript", 0, NULL, 0, 10.0, 1.0, 0.0, 50.0, 2 },
	/* 0 samples (3 s per rate): reply rate = replies / test-duration, 480 / 2.976 */
	{ "calls4-quick.transcript", 0, NULL, 40, 480 / 2.976, 0.3, 0.0, 0.0, 2 },
	{ .file = "refused.transcript", .rc = -EIO, .msg =
	  "httperf: no reply from 127.0.0.1:8089/1k.bin at any rate (120 errors in 120 "
	  "connections: connrefused 120)" },
	{ .file = "badhost.transcript", .rc = -EINVAL, .msg =
	  "httperf output line 5: httperf at rate 20 exited 1: httperf.core_addr_intern: "
	  "invalid server address no-such-host.invalid" },
	{ .file = "no-httperf.transcript", .rc = -EINVAL, .msg =
	  "httperf output line 3: httperf at rate 20 exited 127: /bin/sh: 1: httperf: not "
	  "found" },
};

START_TEST(test_transcripts)
{
	int rc;

	json_array_append_new(series, json_string("kept")); /* appended to, not replaced */
	add_file(transcripts[_i].file);
	rc = parse_tx();
	ck_assert_msg(rc == transcripts[_i].rc, "%s: %d %s", transcripts[_i].file, rc, err.buf);
	if (rc) {
		ck_assert_str_eq(err.buf, transcripts[_i].msg);
		ck_assert_uint_eq(ms.n, 0);
		ck_assert_uint_eq(json_array_size(series), 1);
		return;
	}
	ck_assert_uint_eq(err.len, 0);
	ck_assert_uint_eq(ms.n, transcripts[_i].conn < 0 ? 3 : 5);
	ck_assert_double_eq(metric("saturation_rate_per_s"), transcripts[_i].sat);
	ck_assert_double_eq_tol(metric("peak_reply_rate_per_s"), transcripts[_i].peak, 1e-9);
	ck_assert_double_eq(metric("response_lowest_rate_ms"), transcripts[_i].resp);
	ck_assert_double_eq(metric("connect_lowest_rate_ms"), transcripts[_i].conn);
	ck_assert_double_eq_tol(metric("errors_pct"), transcripts[_i].errors, 1e-9);
	ck_assert_uint_eq(json_array_size(series), 1 + transcripts[_i].rates);
	ck_assert_str_eq(json_string_value(json_array_get(series, 0)), "kept");
}
END_TEST

/* The sweep's series, rate by rate, as httperf printed it. */
START_TEST(test_sweep_series)
{
	static const struct {
		double rate, conns, replies, samples, reply_rate, fd_unavail, kept_up;
	} want[] = {
		{ 200, 2000, 2000, 1, 200.0, 0, 1 },	   { 400, 4000, 4000, 1, 398.0, 0, 1 },
		{ 800, 8000, 8000, 1, 794.1, 0, 1 },	   { 1600, 13094, 13094, 2, 1208.4, 2906, 0 },
		{ 3200, 16134, 16134, 2, 1511.7, 15866, 0 },
	};
	static const char *const keys[] = {
		"offered_rate", "num_calls", "num_conns", "offered_request_rate", "connections",
		"requests", "replies", "test_duration_s", "request_rate", "reply_rate",
		"reply_rate_min", "reply_rate_avg", "reply_rate_max", "reply_rate_stddev",
		"reply_rate_samples", "response_ms", "transfer_ms", "connect_ms",
		"connection_time_avg_ms", "connection_time_median_ms", "connection_time_max_ms",
		"reply_content_bytes", "status_1xx", "status_2xx", "status_3xx", "status_4xx",
		"status_5xx", "errors_total", "errors_pct", "client_timo", "socket_timo",
		"connrefused", "connreset", "fd_unavail", "addrunavail", "ftab_full", "other",
		"net_io_kb_s", "kept_up", "exit",
	};

	add_file("sweep.transcript");
	ck_assert_int_eq(parse_tx(), 0);
	ck_assert_uint_eq(json_array_size(series), ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		ck_assert_uint_eq(json_object_size(json_array_get(series, i)), ARRAY_SIZE(keys));
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
			field(i, keys[k]);
		ck_assert_double_eq(field(i, "offered_rate"), want[i].rate);
		ck_assert_double_eq(field(i, "num_conns"), want[i].rate * 10);
		ck_assert_double_eq(field(i, "offered_request_rate"), want[i].rate);
		ck_assert_double_eq(field(i, "connections"), want[i].conns);
		ck_assert_double_eq(field(i, "replies"), want[i].replies);
		ck_assert_double_eq(field(i, "status_2xx"), want[i].replies);
		ck_assert_double_eq(field(i, "reply_rate_samples"), want[i].samples);
		ck_assert_double_eq(field(i, "reply_rate"), want[i].reply_rate);
		ck_assert_double_eq(field(i, "reply_rate_avg"), want[i].reply_rate);
		ck_assert_double_eq(field(i, "fd_unavail"), want[i].fd_unavail);
		ck_assert_double_eq(field(i, "errors_total"), want[i].fd_unavail);
		ck_assert_double_eq(field(i, "errors_pct"),
				    100.0 * want[i].fd_unavail / (want[i].rate * 10));
		ck_assert_double_eq(field(i, "kept_up"), want[i].kept_up);
		ck_assert_double_eq(field(i, "reply_content_bytes"), 262144);
		ck_assert_double_eq(field(i, "exit"), 0);
	}
	/* rate 1600: "Reply rate [replies/s]: min 1173.2 avg 1208.4 max 1243.7 stddev 49.9" */
	ck_assert_double_eq(field(3, "reply_rate_min"), 1173.2);
	ck_assert_double_eq(field(3, "reply_rate_max"), 1243.7);
	ck_assert_double_eq(field(3, "reply_rate_stddev"), 49.9);
	ck_assert_double_eq(field(3, "request_rate"), 1265.7);
	ck_assert_double_eq(field(3, "test_duration_s"), 10.345);
	/* rate 200: "Reply time [ms]: response 1.7 transfer 2.5", "Net I/O: 51280.2 KB/s" */
	ck_assert_double_eq(field(0, "transfer_ms"), 2.5);
	ck_assert_double_eq(field(0, "net_io_kb_s"), 51280.2);
	ck_assert_double_eq(field(0, "connection_time_avg_ms"), 5.0);
	ck_assert_double_eq(field(0, "connection_time_max_ms"), 126.6);
}
END_TEST

/* The mixed server's classes: "Errors: total 60 client-timo 30 ... connreset 30". */
START_TEST(test_mixed_series)
{
	add_file("mixed.transcript");
	ck_assert_int_eq(parse_tx(), 0);
	ck_assert_double_eq(field(1, "client_timo"), 30);
	ck_assert_double_eq(field(1, "connreset"), 30);
	ck_assert_double_eq(field(1, "connrefused"), 0);
	ck_assert_double_eq(field(1, "status_2xx"), 60);
	ck_assert_double_eq(field(1, "errors_pct"), 50);
	ck_assert_double_eq(field(0, "reply_rate"), 5.2);
	ck_assert_double_eq(field(0, "kept_up"), 0);
}
END_TEST

/* ---- recorded single runs (httperf's stdout and stderr kept apart) ---- */

static const struct {
	const char *base;
	long rate;
	int exit, rc;
	const char *msg; /* on error; on success the fields below */
	double reply_rate, errors_pct, kept_up, num_conns, conns;
	const char *cls; /* an error class and its count */
	double cls_n;
} runs[] = {
	/* 0 samples in 3.981 s: 200 / 3.981 */
	{ "clean-1k-rate50", 50, 0, 0, NULL, 200 / 3.981, 0, 1, 200, 200, "errors_total", 0 },
	/* 2 samples, avg 160.0 = 40 x 4 calls */
	{ "calls4-16k-rate40", 40, 0, 0, NULL, 160.0, 0, 1, 480, 480, "errors_total", 0 },
	{ "mixed", 20, 0, 0, NULL, 10.0, 50, 0, 120, 120, "connrefused", 2 },
	/* httperf could not open 6890 sockets: counted in Errors, not in connections */
	{ "overload-256k-rate2000", 2000, 0, 0, NULL, 1210.4, 100.0 * 6890 / 20000, 0, 20000,
	  13110, "fd_unavail", 6890 },
	{ .base = "timeout-silent", .rate = 20, .exit = 0, .rc = -EIO, .msg =
	  "httperf: no reply from 127.0.0.1:8081/1k.bin at any rate (40 errors in 40 "
	  "connections: client-timo 40)" },
	{ .base = "reset", .rate = 20, .exit = 0, .rc = -EIO, .msg =
	  "httperf: no reply from 127.0.0.1:8082/1k.bin at any rate (40 errors in 40 "
	  "connections: connreset 40)" },
	{ .base = "refused", .rate = 20, .exit = 0, .rc = -EIO, .msg =
	  "httperf: no reply from 127.0.0.1:8089/1k.bin at any rate (40 errors in 40 "
	  "connections: connrefused 40)" },
	/* one sample of 0.0 replies/s */
	{ .base = "refused-6s", .rate = 20, .exit = 0, .rc = -EIO, .msg =
	  "httperf: no reply from 127.0.0.1:8083/1k.bin at any rate (120 errors in 120 "
	  "connections: connrefused 120)" },
	{ .base = "notfound", .rate = 20, .exit = 0, .rc = -EIO, .msg =
	  "httperf: 40 of 40 replies from 127.0.0.1:8080/missing.bin at rate 20 were not 2xx "
	  "(1xx=0 3xx=0 4xx=40 5xx=0)" },
	{ .base = "badhost", .rate = 20, .exit = 1, .rc = -EINVAL, .msg =
	  "httperf output line 5: httperf at rate 20 exited 1: httperf.core_addr_intern: "
	  "invalid server address no-such-host.invalid" },
};

START_TEST(test_runs)
{
	int rc;

	add_run(runs[_i].base, runs[_i].rate, runs[_i].exit);
	rc = parse_tx();
	ck_assert_msg(rc == runs[_i].rc, "%s: %d %s", runs[_i].base, rc, err.buf);
	if (rc) {
		ck_assert_str_eq(err.buf, runs[_i].msg);
		ck_assert_uint_eq(ms.n, 0);
		ck_assert_uint_eq(json_array_size(series), 0);
		return;
	}
	ck_assert_double_eq_tol(field(0, "reply_rate"), runs[_i].reply_rate, 1e-9);
	ck_assert_double_eq_tol(field(0, "errors_pct"), runs[_i].errors_pct, 1e-9);
	ck_assert_double_eq(field(0, "kept_up"), runs[_i].kept_up);
	ck_assert_double_eq(field(0, "num_conns"), runs[_i].num_conns);
	ck_assert_double_eq(field(0, "connections"), runs[_i].conns);
	ck_assert_double_eq(field(0, runs[_i].cls), runs[_i].cls_n);
	ck_assert_double_eq(metric("saturation_rate_per_s"), runs[_i].kept_up ? runs[_i].rate : 0);
}
END_TEST

/* Rates in any order: saturation is the highest that kept up (50), though the lowest
 * (20, the mixed server) did not; latencies come from the lowest rate. */
START_TEST(test_saturation_mixed_order)
{
	add_run("overload-256k-rate2000", 2000, 0);
	add_run("clean-1k-rate50", 50, 0);
	add_run("mixed", 20, 0);
	add_run("calls4-16k-rate40", 40, 0);
	ck_assert_msg(!parse_tx(), "%s", err.buf);
	ck_assert_double_eq(metric("saturation_rate_per_s"), 50);
	ck_assert_double_eq(metric("peak_reply_rate_per_s"), 1210.4);
	/* mixed.out: "Reply time [ms]: response 2.5", "Connection time [ms]: connect 0.6" */
	ck_assert_double_eq(metric("response_lowest_rate_ms"), 2.5);
	ck_assert_double_eq(metric("connect_lowest_rate_ms"), 0.6);
	ck_assert_double_eq_tol(metric("errors_pct"), 100.0 * (6890 + 60) / (20000 + 200 + 120 + 480),
				1e-9);
	ck_assert_double_eq(field(0, "offered_rate"), 2000); /* transcript order */
	ck_assert_double_eq(field(2, "offered_rate"), 20);
}
END_TEST

/* The lowest rate got no reply: no latency figures, the rest stands. */
START_TEST(test_lowest_rate_no_reply)
{
	add_run("refused", 20, 0);
	add_run("clean-1k-rate50", 50, 0);
	ck_assert_msg(!parse_tx(), "%s", err.buf);
	ck_assert_uint_eq(ms.n, 3);
	ck_assert_ptr_null(metric_set_find(&ms, "response_lowest_rate_ms"));
	ck_assert_ptr_null(metric_set_find(&ms, "connect_lowest_rate_ms"));
	ck_assert_double_eq(metric("saturation_rate_per_s"), 50);
	ck_assert_double_eq_tol(metric("errors_pct"), 100.0 * 40 / 240, 1e-9);
}
END_TEST

/* The keep-up rule at its boundaries, on rate 800 of the sweep (8000 connections). */
static const struct {
	const char *prefix, *line;
	double sat;
} boundary[] = {
	/* reply rate >= 0.95 x 800 = 760 */
	{ "Reply rate", "Reply rate [replies/s]: min 760.0 avg 760.0 max 760.0 stddev 0.0 (1 samples)",
	  800 },
	{ "Reply rate", "Reply rate [replies/s]: min 759.9 avg 759.9 max 759.9 stddev 0.0 (1 samples)",
	  400 },
	/* errors < 1% of 8000: 79 keeps up, 80 does not */
	{ "Errors: total", "Errors: total 79 client-timo 79 socket-timo 0 connrefused 0 connreset 0",
	  800 },
	{ "Errors: total", "Errors: total 80 client-timo 0 socket-timo 0 connrefused 0 connreset 80",
	  400 },
	/* 0 samples: replies / test-duration, 8000 / 10.000 = 800, 8000 / 10.527 < 760 */
	{ "Reply rate", "Reply rate [replies/s]: min 0.0 avg 0.0 max 0.0 stddev 0.0 (0 samples)", 800 },
};

START_TEST(test_keep_up_boundary)
{
	add_file("sweep.transcript");
	edit_line(800, boundary[_i].prefix, boundary[_i].line);
	ck_assert_msg(!parse_tx(), "%s", err.buf);
	ck_assert_double_eq(metric("saturation_rate_per_s"), boundary[_i].sat);
	if (_i == ARRAY_SIZE(boundary) - 1) {
		ck_assert_double_eq(field(2, "reply_rate"), 800);
		edit_line(800, "Total:",
			  "Total: connections 8000 requests 8000 replies 8000 test-duration 10.527 s");
		ms.n = 0;
		json_array_clear(series);
		ck_assert_int_eq(parse_tx(), 0);
		ck_assert_double_eq(metric("saturation_rate_per_s"), 400);
		ck_assert_double_eq_tol(field(2, "reply_rate"), 8000 / 10.527, 1e-9);
		/* a duration of 0 gives a reply rate of 0, not a division by zero */
		edit_line(800, "Total:",
			  "Total: connections 8000 requests 8000 replies 8000 test-duration 0.000 s");
		ms.n = 0;
		json_array_clear(series);
		ck_assert_int_eq(parse_tx(), 0);
		ck_assert_double_eq(field(2, "reply_rate"), 0);
	}
}
END_TEST

/* Every metric has metadata and its unit at the end of its name. */
START_TEST(test_metric_table)
{
	static const char *const suffix[][2] = { { "_per_s", "/s" }, { "_ms", "ms" }, { "_pct", "%" } };

	add_file("sweep.transcript");
	ck_assert_int_eq(parse_tx(), 0);
	ck_assert_uint_eq(ms.n, httperf_n_metrics);
	for (size_t i = 0; i < ms.n; i++)
		ck_assert_str_eq(ms.m[i].name, httperf_metrics[i].name);
	for (size_t i = 0; i < httperf_n_metrics; i++) {
		const char *n = httperf_metrics[i].name, *u = httperf_metrics[i].unit;
		bool ok = false;

		for (size_t s = 0; s < ARRAY_SIZE(suffix); s++) {
			size_t l = strlen(suffix[s][0]), k = strlen(suffix[s][1]);

			ok |= strlen(n) > l && !strcmp(n + strlen(n) - l, suffix[s][0]) &&
			      strlen(u) >= k && !strcmp(u + strlen(u) - k, suffix[s][1]);
		}
		ck_assert_msg(ok, "%s: unit %s not in its name", n, u);
		ck_assert_int_eq(httperf_metrics[i].better,
				 strstr(n, "_per_s") ? METRIC_HIGHER : METRIC_LOWER);
	}
}
END_TEST

/* ---- errors ---- */

/* Each transcript cut at every byte: a cut just after an exit line is a shorter
 * valid transcript, anything else is -EINVAL; nothing is added on error. */
START_TEST(test_truncated)
{
	static const char *const files[] = { "sweep.transcript", "mixed.transcript",
					     "calls4-quick.transcript" };
	static const char exit0[] = HTTPERF_MARKER "exit=0";
	size_t len;
	char *t = data(files[_i], &len);

	for (size_t cut = 0; cut < len; cut++) {
		size_t k = strlen(exit0);
		bool whole = (cut >= k && !memcmp(t + cut - k, exit0, k)) ||
			     (cut > k && !memcmp(t + cut - k - 1, exit0, k) && t[cut - 1] == '\n');
		int rc;

		ms.n = 0;
		sb_reset(&err);
		rc = httperf_parse(t, cut, &ms, &err, series);
		if (whole) {
			ck_assert_msg(rc == 0, "%s cut at %zu: %s", files[_i], cut, err.buf);
			json_array_clear(series);
			continue;
		}
		ck_assert_msg(rc == -EINVAL, "%s cut at %zu: %d", files[_i], cut, rc);
		ck_assert_ptr_nonnull(err.buf);
		ck_assert_ptr_null(strchr(err.buf, '\n'));
		ck_assert_uint_eq(ms.n, 0);
		ck_assert_uint_eq(json_array_size(series), 0);
	}
	free(t);
}
END_TEST

/* Edits of the sweep (rate 200's block unless said), each with its message. */
static const struct {
	long rate;
	const char *prefix, *line; /* line NULL: delete */
	const char *msg;	   /* after "httperf output line N: " */
} edits[] = {
	{ 200, "Reply rate", NULL,
	  "incomplete httperf summary at rate 200: no 'Reply rate [replies/s]: min' line" },
	{ 3200, "Errors: fd-unavail", NULL,
	  "incomplete httperf summary at rate 3200: no 'Errors: fd-unavail' line" },
	{ 200, "httperf --", NULL, "no httperf command line in the block of rate 200" },
	{ 200, "Total:", "Total: connections 99999999999999999999 requests 2000 replies 2000 test-duration 9.997 s",
	  "malformed httperf line 'Total: connections...'" },
	{ 200, "Total:", "Total: connections 1000000000000000 requests 2000 replies 2000 test-duration 9.997 s",
	  "malformed httperf line 'Total: connections...'" },
	{ 200, "Total:", "Total: connections 2000.5 requests 2000 replies 2000 test-duration 9.997 s",
	  "malformed httperf line 'Total: connections...'" },
	{ 200, "Total:", "Total: connections 2001 requests 2000 replies 2000 test-duration 9.997 s",
	  "httperf at rate 200 counted 2001 connections of --num-conns=2000" },
	{ 200, "Reply rate", "Reply rate [replies/s]: min nan avg nan max nan stddev nan (1 samples)",
	  "malformed httperf line 'Reply rate [replies/s]: min...'" },
	{ 200, "Reply rate", "Reply rate [replies/s]: min -nan avg 200.0 max 200.0 stddev 0.0 (1 samples)",
	  "malformed httperf line 'Reply rate [replies/s]: min...'" },
	{ 200, "Reply rate", "Reply rate [replies/s]: min 200.0 avg inf max 200.0 stddev 0.0 (1 samples)",
	  "malformed httperf line 'Reply rate [replies/s]: min...'" },
	{ 200, "Reply rate", "Reply rate [replies/s]: min 200.0 avg 2e2 max 200.0 stddev 0.0 (1 samples)",
	  "malformed httperf line 'Reply rate [replies/s]: min...'" },
	{ 200, "Reply rate", "Reply rate [replies/s]: min 200.0 avg 200.0 max 200.0 stddev 0.0 (1.5 samples)",
	  "malformed httperf line 'Reply rate [replies/s]: min...'" },
	{ 200, "Reply rate", "Reply rate [replies/s]: min 200.0 avg  200.0 max 200.0 stddev 0.0 (1 samples)",
	  "malformed httperf line 'Reply rate [replies/s]: min...'" },
	{ 200, "Reply rate", "Reply rate [replies/s]: min 200.0 avg 200.0 max 200.0 stddev 0.0 (1 samples) x",
	  "malformed httperf line 'Reply rate [replies/s]: min...'" },
	{ 200, "Errors: total", "Errors: total -1 client-timo 0 socket-timo 0 connrefused 0 connreset 0",
	  "malformed httperf line 'Errors: total...'" },
	{ 200, "Net I/O", "Net I/O: 51280.2 KB/s",
	  "malformed httperf line 'Net I/O:...'" },
	{ 200, "Reply status", "Reply status: 1xx=0 2xx=2000 3xx=0 4xx=0 5xx=0\nReply status: 1xx=0 2xx=2000 3xx=0 4xx=0 5xx=0",
	  "'Reply status: 1xx' appears twice in the block of rate 200" },
	{ 200, "httperf --", "httperf --hog --rate=250 --num-conns=2000 --num-calls=1",
	  "httperf ran --rate=250 in the block of rate 200" },
	{ 200, "httperf --", "httperf --hog --rate=200 --num-calls=1",
	  "missing or invalid --num-conns= in httperf's command line" },
	{ 200, "httperf --", "httperf --hog --rate=200 --num-conns=0 --num-calls=1",
	  "missing or invalid --num-conns= in httperf's command line" },
	{ 200, "Maximum connect", "httperf --hog --rate=200 --num-conns=2000 --num-calls=1",
	  "httperf's command line appears twice in the block of rate 200" },
	{ 400, HTTPERF_MARKER "rate=400", HTTPERF_MARKER "rate=200",
	  "second block of rate 200" },
	{ 400, HTTPERF_MARKER "exit=0", NULL, "rate block before the exit line of rate 400" },
	{ 400, HTTPERF_MARKER "exit=0", HTTPERF_MARKER "exit=1",
	  "httperf at rate 400 exited 1: httperf: warning: open file limit > FD_SETSIZE; limiting "
	  "max. # of open files to FD_SETSIZE" },
	{ 400, HTTPERF_MARKER "exit=0", HTTPERF_MARKER "exit=256",
	  "invalid exit status in 'pvbench-httperf exit=256'" },
	{ 400, HTTPERF_MARKER "exit=0", HTTPERF_MARKER "exit=01",
	  "invalid exit status in 'pvbench-httperf exit=01'" },
	{ 400, HTTPERF_MARKER "exit=0", HTTPERF_MARKER "exit=0\r",
	  "invalid exit status in 'pvbench-httperf exit=0?'" },
	{ 400, HTTPERF_MARKER "exit=0", HTTPERF_MARKER "exit=0\n" HTTPERF_MARKER "exit=0",
	  "exit line outside a rate block" },
	{ 400, HTTPERF_MARKER "exit=0", HTTPERF_MARKER "exit=0\nsh: oops",
	  "text outside a rate block ('sh: oops')" },
	{ 400, HTTPERF_MARKER "exit=0", HTTPERF_MARKER "exit=0\n" HTTPERF_MARKER "status=0",
	  "unknown line 'pvbench-httperf status=0'" },
	{ 400, HTTPERF_MARKER "rate=400", HTTPERF_MARKER "rate=0", "invalid rate in 'pvbench-httperf rate=0'" },
	{ 400, HTTPERF_MARKER "rate=400", HTTPERF_MARKER "rate=0400",
	  "invalid rate in 'pvbench-httperf rate=0400'" },
	{ 400, HTTPERF_MARKER "rate=400", HTTPERF_MARKER "rate=100001",
	  "invalid rate in 'pvbench-httperf rate=100001'" },
	{ 400, HTTPERF_MARKER "rate=400", HTTPERF_MARKER "rate=4e2",
	  "invalid rate in 'pvbench-httperf rate=4e2'" },
};

START_TEST(test_edited)
{
	const char *colon;

	add_file("sweep.transcript");
	edit_line(edits[_i].rate, edits[_i].prefix, edits[_i].line);
	json_array_append_new(series, json_string("kept"));
	ck_assert_int_eq(parse_tx(), -EINVAL);
	ck_assert_msg(!strncmp(err.buf, "httperf output line ", 20), "%s", err.buf);
	colon = strstr(err.buf, ": ");
	ck_assert_ptr_nonnull(colon);
	ck_assert_str_eq(colon + 2, edits[_i].msg);
	ck_assert_ptr_null(strchr(err.buf, '\n'));
	ck_assert_uint_eq(ms.n, 0);
	ck_assert_uint_eq(json_array_size(series), 1);
}
END_TEST

/* Blank lines between blocks are fine; the line number in messages is the file's. */
START_TEST(test_blank_lines_and_line_numbers)
{
	add_file("sweep.transcript");
	edit_line(400, HTTPERF_MARKER "exit=0", HTTPERF_MARKER "exit=0\n\n  \t");
	ck_assert_msg(!parse_tx(), "%s", err.buf);
	edit_line(800, "Request size", "Request size [B]: x");
	ms.n = 0;
	ck_assert_int_eq(parse_tx(), -EINVAL);
	/* rate 800's "Request size" is line 66 of the file, 68 with the 2 lines added */
	ck_assert_str_eq(err.buf, "httperf output line 68: malformed httperf line 'Request size [B]:...'");
}
END_TEST

/* Input that is no transcript at all. */
START_TEST(test_garbage)
{
	static const struct {
		const char *in;
		size_t len; /* 0: strlen */
		const char *msg;
	} cases[] = {
		{ "", 0, "no httperf output" },
		{ "\n\n", 0, "no 'pvbench-httperf rate=' block in httperf output" },
		{ " ", 0, "no 'pvbench-httperf rate=' block in httperf output" }, /* fuzz */
		{ "httperf: command not found\n", 0,
		  "httperf output line 1: text outside a rate block ('httperf: command not found')" },
		{ "\x1b[31mred\n", 0, "httperf output line 1: text outside a rate block ('?[31mred')" },
		{ "pvbench-httperf rate=20\nTotal: connections 1\0 requests\n", 50,
		  "httperf output line 2: malformed httperf line 'Total: connections...'" },
		{ "pvbench-httperf rate=20\npvbench-httperf exit=0\n", 0,
		  "httperf output line 2: no httperf command line in the block of rate 20" },
		{ "pvbench-httperf rate=20", 0,
		  "httperf output line 1: output ends inside the block of rate 20 (no exit line: "
		  "truncated?)" },
		{ "pvbench-httperf rate=20\n\xff\xfe\npvbench-httperf exit=2\n", 0,
		  "httperf output line 3: httperf at rate 20 exited 2: ??" },
		{ "pvbench-httperf rate=20\npvbench-httperf exit=9\n", 0,
		  "httperf output line 2: httperf at rate 20 exited 9 without a message" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);

		sb_reset(&err);
		ck_assert_int_eq(httperf_parse(cases[i].in, len, &ms, &err, series), -EINVAL);
		ck_assert_str_eq(err.buf, cases[i].msg);
		ck_assert_uint_eq(ms.n, 0);
		ck_assert_uint_eq(json_array_size(series), 0);
	}
	ck_assert_int_eq(httperf_parse(NULL, 0, &ms, NULL, NULL), -EINVAL);
	ck_assert_int_eq(httperf_parse("x", 1, &ms, NULL, NULL), -EINVAL);
}
END_TEST

/* iperf3's JSON is not a transcript. */
START_TEST(test_iperf3_output)
{
	size_t len;
	char *t = test_data("harness/tests/data/iperf3/", "udp.json", &len);

	ck_assert_int_eq(httperf_parse(t, len, &ms, &err, series), -EINVAL);
	ck_assert_str_eq(err.buf, "httperf output line 1: text outside a rate block ('{')");
	free(t);
}
END_TEST

/* A failing block's last line comes from the guest's side of things: cleaned and cut
 * at 160 characters. */
START_TEST(test_hostile_last_line)
{
	char long_line[400], want[300];

	sb_puts(&tx, HTTPERF_MARKER "rate=20\nbad\x1b[2J\r thing\n" HTTPERF_MARKER "exit=1\n");
	ck_assert_int_eq(parse_tx(), -EINVAL);
	ck_assert_str_eq(err.buf, "httperf output line 3: httperf at rate 20 exited 1: bad?[2J? thing");
	memset(long_line, 'x', sizeof(long_line) - 1);
	long_line[sizeof(long_line) - 1] = '\0';
	sb_reset(&tx);
	sb_reset(&err);
	sb_printf(&tx, HTTPERF_MARKER "rate=20\n%s\n" HTTPERF_MARKER "exit=1\n", long_line);
	ck_assert_int_eq(parse_tx(), -EINVAL);
	snprintf(want, sizeof(want), "httperf output line 3: httperf at rate 20 exited 1: %.160s",
		 long_line);
	ck_assert_str_eq(err.buf, want);
}
END_TEST

/* ---- limits ---- */

/* 32 blocks parse, 33 do not (each a copy of clean-1k-rate50 at its own rate). */
START_TEST(test_too_many_rates)
{
	size_t len;
	char *run = data("clean-1k-rate50.out", &len), *at = strstr(run, "--rate=50 ");

	ck_assert_ptr_nonnull(at);
	for (int r = 1; r <= HTTPERF_RATES_MAX + 1; r++) {
		sb_printf(&tx, HTTPERF_MARKER "rate=%d\n%.*s--rate=%d%s" HTTPERF_MARKER "exit=0\n",
			  r, (int)(at - run), run, r, at + 9);
		sb_reset(&err);
		ms.n = 0;
		json_array_clear(series);
		ck_assert_int_eq(parse_tx(), r <= HTTPERF_RATES_MAX ? 0 : -EINVAL);
	}
	ck_assert_str_eq(err.buf, "httperf output line 801: more than 32 rate blocks");
	free(run);
}
END_TEST

START_TEST(test_too_large)
{
	ck_assert_int_eq(httperf_parse("x", HTTPERF_OUTPUT_MAX + 1, &ms, &err, series), -EINVAL);
	ck_assert_str_eq(err.buf, "httperf output too large (16777217 bytes)");
}
END_TEST

START_TEST(test_metric_set_full)
{
	test_fill_metrics(&ms, METRIC_SET_MAX - 2);
	add_file("sweep.transcript");
	ck_assert_int_eq(parse_tx(), -ENOSPC);
	ck_assert_str_eq(err.buf,
			 "cannot add metric 'response_lowest_rate_ms': No space left on device");
	ck_assert_uint_eq(ms.n, METRIC_SET_MAX - 2); /* nothing half-added */
	ck_assert_uint_eq(json_array_size(series), 0);
	ms.n = 0;
	ck_assert_int_eq(metric_set_add(&ms, "errors_pct", 1), 0);
	ck_assert_int_eq(parse_tx(), -EEXIST);
	ck_assert_uint_eq(ms.n, 1);
}
END_TEST

START_TEST(test_series_not_array)
{
	json_t *obj = json_object();

	add_file("sweep.transcript");
	ck_assert_int_eq(httperf_parse(tx.buf, tx.len, &ms, &err, obj), -EINVAL);
	ck_assert_str_eq(err.buf, "httperf series: not a JSON array");
	ck_assert_uint_eq(ms.n, 0);
	json_decref(obj);
	ck_assert_int_eq(httperf_parse(tx.buf, tx.len, &ms, NULL, NULL), 0); /* series optional */
	ck_assert_uint_eq(ms.n, 5);
}
END_TEST

/* Recorded in dom0 against nginx in a domU (data/httperf/README.md): the 2-queue
 * run kept up at 25 conn/s only; the 1-queue one (the machine busy with a second
 * QEMU) at none, with timeouts. */
START_TEST(test_domU_sweeps)
{
	size_t len;
	char *t = data("domU-sweep-2q.out", &len);
	json_t *series = json_array();

	ck_assert_int_eq(httperf_parse(t, len, &ms, &err, series), 0);
	ck_assert_uint_eq(json_array_size(series), 5);
	ck_assert_double_eq(metric_set_find(&ms, "saturation_rate_per_s")->value, 25);
	ck_assert_double_eq_tol(metric_set_find(&ms, "peak_reply_rate_per_s")->value,
				53.87931034482758, 1e-9);
	ck_assert_double_eq(metric_set_find(&ms, "response_lowest_rate_ms")->value, 11.4);
	ck_assert_double_eq(metric_set_find(&ms, "errors_pct")->value, 0);
	free(t);
	ms.n = 0;
	t = data("domU-sweep-1q.out", &len);
	ck_assert_int_eq(httperf_parse(t, len, &ms, &err, NULL), 0);
	ck_assert_double_eq(metric_set_find(&ms, "saturation_rate_per_s")->value, 0);
	ck_assert_double_gt(metric_set_find(&ms, "errors_pct")->value, 1);
	free(t);
	json_decref(series);
}
END_TEST

static Suite *httperf_suite(void)
{
	Suite *s = suite_create("httperf");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");
	TCase *limits = tcase_create("limits");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_loop_test(core, test_transcripts, 0, ARRAY_SIZE(transcripts));
	tcase_add_test(core, test_sweep_series);
	tcase_add_test(core, test_domU_sweeps);
	tcase_add_test(core, test_mixed_series);
	tcase_add_loop_test(core, test_runs, 0, ARRAY_SIZE(runs));
	tcase_add_test(core, test_saturation_mixed_order);
	tcase_add_test(core, test_lowest_rate_no_reply);
	tcase_add_loop_test(core, test_keep_up_boundary, 0, ARRAY_SIZE(boundary));
	tcase_add_test(core, test_metric_table);
	suite_add_tcase(s, core);

	tcase_add_checked_fixture(errors, setup, teardown);
	tcase_add_loop_test(errors, test_truncated, 0, 3);
	tcase_add_loop_test(errors, test_edited, 0, ARRAY_SIZE(edits));
	tcase_add_test(errors, test_blank_lines_and_line_numbers);
	tcase_add_test(errors, test_garbage);
	tcase_add_test(errors, test_iperf3_output);
	tcase_add_test(errors, test_hostile_last_line);
	suite_add_tcase(s, errors);

	tcase_add_checked_fixture(limits, setup, teardown);
	tcase_add_test(limits, test_too_many_rates);
	tcase_add_test(limits, test_too_large);
	tcase_add_test(limits, test_metric_set_full);
	tcase_add_test(limits, test_series_not_array);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return test_run_suite(httperf_suite());
}
