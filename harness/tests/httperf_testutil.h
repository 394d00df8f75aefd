/* httperf_testutil.h: the fixture the httperf tests share (check_httperf.c, the
 * transcript parser; check_httperf_cmdline.c, the command line): the recorded data's
 * directory, the state set up and torn down around each test (the metric set, the
 * error line, the transcript being built, the series, a scenario) and reading a
 * recorded file. Header-only, like testutil.h: each test binary has its own copy. */
#ifndef PVBENCH_HTTPERF_TESTUTIL_H
#define PVBENCH_HTTPERF_TESTUTIL_H

#include "../../workloads/httperf/httperf.h"
#include "pvbench/scenario.h"
#include "testutil.h"

#include <check.h>
#include <jansson.h>
#include <string.h>

#define DATA "harness/tests/data/httperf/"

static struct metric_set ms;
static struct sbuf err, tx;
static json_t *series;
static struct scenario sc;

static void setup(void)
{
	test_parser_setup(&ms, &err, NULL);
	memset(&tx, 0, sizeof(tx));
	memset(&sc, 0, sizeof(sc));
	series = json_array();
}

static void teardown(void)
{
	test_parser_teardown(&err, NULL);
	sb_free(&tx);
	json_decref(series);
	scenario_free(&sc);
}

static char *data(const char *name, size_t *len)
{
	return test_data(DATA, name, len);
}

#endif
