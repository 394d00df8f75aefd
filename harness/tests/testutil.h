/* testutil.h: fixtures shared by the Check tests in harness/tests: reading a recorded
 * data file, looking a metric up, and the state a parser test sets up and tears down
 * around each test (the metric set the parser fills, the error line it writes, the
 * data text it parses), loading a scenario. Header-only: every test binary is one check_<module>.c linked
 * with libpvbench.a. Data paths are relative to the repository root, where the tests
 * run. */
#ifndef PVBENCH_TESTUTIL_H
#define PVBENCH_TESTUTIL_H

#include "pvbench/metrics.h"
#include "pvbench/scenario.h"
#include "pvbench/util.h"

#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole of data file dir + name (dir ends in '/', like a test's DATA), NUL-terminated,
 * its length in bytes to *len unless len is NULL; the caller frees it. Fails the running
 * test with "cannot read '<path>'" when the file cannot be read. */
static inline char *test_data(const char *dir, const char *name, size_t *len)
{
	char path[256];
	char *t;

	snprintf(path, sizeof(path), "%s%s", dir, name);
	t = read_file(path, len);
	ck_assert_msg(t, "cannot read '%s'", path);
	return t;
}

/* The value of metric name in ms; fails the running test with "no metric '<name>'" when
 * ms has none. */
static inline double test_metric(const struct metric_set *ms, const char *name)
{
	const struct metric *m = metric_set_find(ms, name);

	ck_assert_msg(m, "no metric '%s'", name);
	return m->value;
}

/* Loads scenario sc from ini: the text itself (named t.ini) when it starts with '[',
 * else the file at that path; fails the running test with the loader's message. */
static inline void test_load_scenario(const char *ini, struct scenario *sc)
{
	struct sbuf e = { 0 };

	if (ini[0] == '[')
		ck_assert_msg(!scenario_load_text("t.ini", ini, strlen(ini), sc, &e), "%s", e.buf);
	else
		ck_assert_msg(!scenario_load(ini, sc, &e), "%s", e.buf);
	sb_free(&e);
}

/* Empties ms and fills it with n metrics m0, m1, ... (value i), for the tests of a set
 * without room for a parser's metrics. */
static inline void test_fill_metrics(struct metric_set *ms, size_t n)
{
	ms->n = 0;
	for (size_t i = 0; i < n; i++) {
		char name[32];

		snprintf(name, sizeof(name), "m%zu", i);
		ck_assert_int_eq(metric_set_add(ms, name, i), 0);
	}
}

/* Before a parser test: an empty metric set and error buffer, no data text (text may be
 * NULL for a test that keeps none). */
static inline void test_parser_setup(struct metric_set *ms, struct sbuf *err, char **text)
{
	memset(ms, 0, sizeof(*ms));
	memset(err, 0, sizeof(*err));
	if (text)
		*text = NULL;
}

/* After a parser test: frees the error buffer and the data text (text may be NULL). */
static inline void test_parser_teardown(struct sbuf *err, char **text)
{
	sb_free(err);
	if (text)
		free(*text);
}

/* The state of a parser test and its Check fixture, for a check_<tool>.c whose data
 * files are under dir (ending in '/'): the metric set ms the parser fills, the error
 * line err, the data text and text_len; setup() and teardown() for
 * tcase_add_checked_fixture(); read_data(name) replaces text with that data file. */
#define TEST_PARSER_FIXTURE(dir)                                                               \
	static struct metric_set ms;                                                           \
	static struct sbuf err;                                                                \
	static char *text;                                                                     \
	static size_t text_len;                                                                \
	static void setup(void)                                                                \
	{                                                                                      \
		test_parser_setup(&ms, &err, &text);                                           \
	}                                                                                      \
	static void teardown(void)                                                             \
	{                                                                                      \
		test_parser_teardown(&err, &text);                                             \
	}                                                                                      \
	static void __attribute__((unused)) read_data(const char *name)                       \
	{                                                                                      \
		free(text);                                                                    \
		text = test_data(dir, name, &text_len);                                        \
	}

/* A workload's JSON parser (evtchn_parse_json, xenwatch_parse_json). */
typedef int (*test_json_parser)(const char *json, size_t len, struct metric_set *out,
				struct sbuf *err, json_t *series);

/* Every cut of text[0..len) short of its last two bytes must be -EINVAL with an error
 * line and no metric added, never a crash. */
static inline void test_every_cut_fails(test_json_parser parse, const char *text, size_t len,
					struct metric_set *ms, struct sbuf *err)
{
	for (size_t n = 0; n + 2 < len; n++) {
		ms->n = 0;
		sb_reset(err);
		ck_assert_int_eq(parse(text, n, ms, err, NULL), -EINVAL);
		ck_assert_uint_eq(ms->n, 0);
		ck_assert_uint_gt(err->len, 0);
	}
}

/* Runs suite s (Check's default output, CK_NORMAL) and frees it; the exit status for
 * main: 0 when every test passed, else 1. */
static inline int test_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

#endif
