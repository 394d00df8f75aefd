/* check_httperf_cmdline.c: tests of the httperf workload's sweep command line
 * built from scenario keys (httperf_build_cmdline): it must still be the one that
 * produced the recorded transcripts of harness/tests/data/httperf (commands.tsv),
 * the defaults, the rates and the scenario keys' errors, and the real httperf (when
 * installed) must accept it. The transcript parser is tested in check_httperf.c.
 * Run from the repository root. */
#include "httperf_testutil.h"
#include "pvbench/scenario.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- command line ---- */

static void load(const char *ini)
{
	scenario_free(&sc);
	test_load_scenario(ini, &sc);
}

/* commands.tsv: transcript, variant, quick, server, the command that produced it. */
START_TEST(test_cmdline_recorded)
{
	struct sbuf out = { 0 };
	char *tsv = data("commands.tsv", NULL), *save = NULL, *line;
	int n = 0;

	test_load_scenario(DATA "sweeps.ini", &sc);
	for (line = strtok_r(tsv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[5], *s2 = NULL;
		const struct variant *v;

		f[0] = strtok_r(line, "\t", &s2);
		for (int i = 1; i < 5; i++)
			f[i] = strtok_r(NULL, "\t", &s2);
		ck_assert_ptr_nonnull(f[4]);
		v = scenario_find_variant(&sc, f[1]);
		ck_assert_ptr_nonnull(v);
		sb_reset(&out);
		ck_assert_int_eq(httperf_build_cmdline(SCENARIO_VALUES(&sc, v), !strcmp(f[2], "1"), f[3], &out), 0);
		ck_assert_str_eq(out.buf, f[4]);
		n++;
	}
	ck_assert_int_eq(n, 6);
	free(tsv);
	sb_free(&out);
}
END_TEST

START_TEST(test_cmdline_defaults)
{
	static const char base[] = "[scenario]\nname = t\nworkload = httperf\n";
	struct sbuf out = { 0 }, ini = { 0 };

	load(base);
	ck_assert_int_eq(httperf_build_cmdline(SCENARIO_VALUES(&sc, NULL), false, "10.0.0.2", &out), 0);
	ck_assert_str_eq(out.buf,
			 "for r in 20 40 80 160; do echo \"pvbench-httperf rate=$r\"; httperf --hog "
			 "--server 10.0.0.2 --port 80 --uri /16k.bin --rate $r --num-conns $((r*10)) "
			 "--num-calls 1 --timeout 5 2>&1; echo \"pvbench-httperf exit=$?\"; done");
	/* --quick: quick_runtime (3s) is shorter than rate_duration (10s) */
	sb_reset(&out);
	ck_assert_int_eq(httperf_build_cmdline(SCENARIO_VALUES(&sc, NULL), true, "10.0.0.2", &out), 0);
	ck_assert_ptr_nonnull(strstr(out.buf, " --num-conns $((r*3)) "));
	/* quick_runtime rounded up; never longer than rate_duration; client_timeout %g */
	sb_printf(&ini, "%squick_runtime = 1500ms\n[workload]\nclient_timeout = 500ms\n"
			"file = 1k\nrates = 7\nnum_calls = 3\nport = 8080\n",
		  base);
	load(ini.buf);
	sb_reset(&out);
	ck_assert_int_eq(httperf_build_cmdline(SCENARIO_VALUES(&sc, NULL), true, "fe80::1", &out), 0);
	ck_assert_str_eq(out.buf,
			 "for r in 7; do echo \"pvbench-httperf rate=$r\"; httperf --hog --server "
			 "fe80::1 --port 8080 --uri /1k.bin --rate $r --num-conns $((r*2)) "
			 "--num-calls 3 --timeout 0.5 2>&1; echo \"pvbench-httperf exit=$?\"; done");
	sb_reset(&ini);
	sb_printf(&ini, "%squick_runtime = 60s\n[workload]\nrate_duration = 4s\n"
			"client_timeout = 1234ms\n",
		  base);
	load(ini.buf);
	sb_reset(&out);
	ck_assert_int_eq(httperf_build_cmdline(SCENARIO_VALUES(&sc, NULL), true, "domu1", &out), 0);
	ck_assert_ptr_nonnull(strstr(out.buf, " --num-conns $((r*4)) "));
	ck_assert_ptr_nonnull(strstr(out.buf, " --timeout 1.234 "));
	sb_free(&out);
	sb_free(&ini);
}
END_TEST

/* rates is a list of names to the loader; the rest is checked here. */
START_TEST(test_rates)
{
	static const struct {
		const char *rates, *msg; /* msg NULL: valid */
	} cases[] = {
		{ "20, 40,80 ,  160", NULL },
		{ "100000", NULL },
		{ "abc", "workload.rates: 'abc' is not a rate from 1 to 100000 connections/s" },
		{ "0", "workload.rates: '0' is not a rate from 1 to 100000 connections/s" },
		{ "020", "workload.rates: '020' is not a rate from 1 to 100000 connections/s" },
		{ "100001", "workload.rates: '100001' is not a rate from 1 to 100000 connections/s" },
		{ "1.5", "workload.rates: '1.5' is not a rate from 1 to 100000 connections/s" },
		{ "20, 40, 20", "workload.rates: 20 appears twice" },
		{ "", "workload.rates is empty" },
	};
	struct sbuf ini = { 0 }, out = { 0 }, e = { 0 };
	long rates[HTTPERF_RATES_MAX];
	size_t n;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		sb_reset(&ini);
		sb_printf(&ini, "[scenario]\nname = t\nworkload = httperf\n[workload]\nrates = %s\n",
			  cases[i].rates);
		sb_reset(&e);
		sb_reset(&out);
		if (!cases[i].msg) {
			load(ini.buf);
			ck_assert_int_eq(httperf_rates(SCENARIO_VALUES(&sc, NULL), rates, &n, &e), 0);
			ck_assert_int_eq(httperf_build_cmdline(SCENARIO_VALUES(&sc, NULL), false, "h", &out), 0);
			continue;
		}
		/* the loader refuses them (rule_httperf_sweep calls httperf_rates) */
		scenario_free(&sc);
		ck_assert_int_ne(scenario_load_text("t.ini", ini.buf, ini.len, &sc, &e), 0);
		ck_assert_msg(strstr(e.buf, cases[i].msg), "%s: got '%s'", cases[i].rates, e.buf);
	}
	load("[scenario]\nname = t\nworkload = httperf\n[workload]\nrates = 20, 40,80 ,  160\n");
	ck_assert_int_eq(httperf_rates(SCENARIO_VALUES(&sc, NULL), rates, &n, NULL), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(rates[0], 20);
	ck_assert_int_eq(rates[2], 80);
	ck_assert_int_eq(rates[3], 160);
	/* 32 rates, then 33 */
	sb_reset(&ini);
	sb_puts(&ini, "[scenario]\nname = t\nworkload = httperf\ntimeout = 2h\n[workload]\nrates = 1");
	for (int r = 2; r <= HTTPERF_RATES_MAX; r++)
		sb_printf(&ini, ", %d", r);
	load(ini.buf);
	ck_assert_int_eq(httperf_rates(SCENARIO_VALUES(&sc, NULL), rates, &n, NULL), 0);
	ck_assert_uint_eq(n, HTTPERF_RATES_MAX);
	sb_puts(&ini, ", 99\n");
	scenario_free(&sc);
	sb_reset(&e);
	ck_assert_int_ne(scenario_load_text("t.ini", ini.buf, ini.len, &sc, &e), 0);
	ck_assert_msg(strstr(e.buf, "workload.rates: more than 32 rates"), "%s", e.buf);
	/* a sweep longer than scenario.timeout */
	scenario_free(&sc);
	sb_reset(&e);
	ck_assert_int_ne(scenario_load_text("t.ini",
					    "[scenario]\nname = t\nworkload = httperf\ntimeout = 30s\n"
					    "[workload]\nrates = 10, 20\n", 79, &sc, &e), 0);
	ck_assert_msg(strstr(e.buf, "must exceed the sweep: 2 rates"), "%s", e.buf);
	sb_free(&ini);
	sb_free(&out);
	sb_free(&e);
}
END_TEST

START_TEST(test_cmdline_errors)
{
	static const char *const bad_ips[] = {
		"",	    "-x",    "10.0.0.2; reboot", "a b",	 "$(id)", "`id`",
		"a\nb",	    "x/y",   "10.0.0.2 --port 1",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 65 */
	};
	struct sbuf out = { 0 };
	struct scenario empty = { 0 };

	load("[scenario]\nname = t\nworkload = httperf\n");
	for (size_t i = 0; i < ARRAY_SIZE(bad_ips); i++)
		ck_assert_int_eq(httperf_build_cmdline(SCENARIO_VALUES(&sc, NULL), false, bad_ips[i], &out), -EINVAL);
	ck_assert_int_eq(httperf_build_cmdline(SCENARIO_VALUES(&sc, NULL), false, NULL, &out), -EINVAL);
	ck_assert_ptr_null(out.buf);
	/* an unloaded scenario: the defaults come from the table, so it builds */
	ck_assert_int_eq(httperf_build_cmdline(SCENARIO_VALUES(&empty, NULL), false, "h", &out), 0);
	sb_free(&out);
}
END_TEST

/* Key names are global per section: iperf3's duration is not httperf's. */
START_TEST(test_scenario_keys)
{
	static const struct {
		const char *body, *msg;
	} cases[] = {
		{ "duration = 10s", "t.ini:5: key 'duration' in [workload] belongs to workload "
				    "'iperf3', not 'httperf'" },
		{ "rate_duraton = 10s", "t.ini:5: unknown key 'rate_duraton' in [workload] (did you "
					"mean 'rate_duration'?)" },
		{ "file = 2k", "t.ini:5: invalid value '2k' for 'file' in [workload] (expected one "
			       "of 1k, 16k, 256k)" },
		{ "rate_duration = 1500ms", "t.ini:5: invalid value '1500ms' for 'rate_duration' in "
					    "[workload] (expected a duration from 1s to 1h, in "
					    "whole seconds)" },
		{ "client_timeout = 50ms", "t.ini:5: invalid value '50ms' for 'client_timeout' in "
					   "[workload] (expected a duration from 100ms to 10m)" },
		{ "port = 0", "t.ini:5: invalid value '0' for 'port' in [workload] (expected an "
			      "integer from 1 to 65535)" },
		{ "rates = 20;40", "t.ini:5: invalid value '20;40' for 'rates' in [workload] "
				   "(expected comma-separated names)" },
	};
	struct sbuf ini = { 0 }, e = { 0 };

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		sb_reset(&ini);
		sb_reset(&e);
		sb_printf(&ini, "[scenario]\nname = t\nworkload = httperf\n[workload]\n%s\n",
			  cases[i].body);
		ck_assert_int_eq(scenario_load_text("t.ini", ini.buf, ini.len, &sc, &e), -EINVAL);
		ck_assert_str_eq(e.buf, cases[i].msg);
	}
	sb_free(&ini);
	sb_free(&e);
}
END_TEST

/* The real httperf accepts the built command line and the parser reads what it
 * prints (skipped without httperf): port 1 on 127.0.0.1 refuses, 1 s per rate. */
START_TEST(test_cmdline_httperf_runs)
{
	struct sbuf cmd = { 0 }, out = { 0 };
	char buf[4096];
	size_t n;
	FILE *p;

	if (system("command -v httperf >/dev/null 2>&1"))
		return;
	load("[scenario]\nname = t\nworkload = httperf\n[workload]\nrates = 5, 10\n"
	     "rate_duration = 1s\nport = 1\nfile = 1k\nnum_calls = 2\nclient_timeout = 1s\n");
	ck_assert_int_eq(httperf_build_cmdline(SCENARIO_VALUES(&sc, NULL), false, "127.0.0.1", &cmd), 0);
	p = popen(cmd.buf, "r");
	ck_assert_ptr_nonnull(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		sb_append(&out, buf, n);
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_int_eq(httperf_parse(out.buf, out.len, &ms, &err, series), -EIO);
	ck_assert_str_eq(err.buf, "httperf: no reply from 127.0.0.1:1/1k.bin at any rate (15 "
				  "errors in 15 connections: connrefused 15)");
	sb_free(&cmd);
	sb_free(&out);
}
END_TEST

static Suite *httperf_cmdline_suite(void)
{
	Suite *s = suite_create("httperf_cmdline");
	TCase *cmdline = tcase_create("cmdline");

	tcase_add_checked_fixture(cmdline, setup, teardown);
	tcase_add_test(cmdline, test_cmdline_recorded);
	tcase_add_test(cmdline, test_cmdline_defaults);
	tcase_add_test(cmdline, test_rates);
	tcase_add_test(cmdline, test_cmdline_errors);
	tcase_add_test(cmdline, test_scenario_keys);
	tcase_add_test(cmdline, test_cmdline_httperf_runs);
	suite_add_tcase(s, cmdline);
	return s;
}

int main(void)
{
	return test_run_suite(httperf_cmdline_suite());
}
