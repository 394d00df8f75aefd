/* check_util.c: write_file_atomic(), the write behind results.json after every
 * repetition (reports/results-schema.md): the file holds either the old or the new
 * text, never a mix or a truncation, and no temporary file is left. */
#include "pvbench/util.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/pvbench-check-util-XXXXXX";

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 1 << 16);
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void setup(void)
{
	strcpy(dir, "/tmp/pvbench-check-util-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_create_and_replace)
{
	char path[256], tmp[300];
	char *got;

	snprintf(path, sizeof(path), "%s/results.json", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	ck_assert_int_eq(write_file_atomic(path, "{\"runs\": [1, 2, 3]}", 19), 0);
	got = slurp(path);
	ck_assert_str_eq(got, "{\"runs\": [1, 2, 3]}");
	free(got);
	/* a shorter document replaces the longer one completely */
	ck_assert_int_eq(write_file_atomic(path, "{}", 2), 0);
	got = slurp(path);
	ck_assert_str_eq(got, "{}");
	free(got);
	ck_assert_int_ne(access(tmp, F_OK), 0);
}
END_TEST

START_TEST(test_failure_keeps_the_old_file)
{
	char path[256], sub[256];
	char *got;

	snprintf(path, sizeof(path), "%s/results.json", dir);
	ck_assert_int_eq(write_file_atomic(path, "old", 3), 0);
	/* the temporary file cannot be created: a directory is in its way */
	snprintf(sub, sizeof(sub), "%s.tmp", path);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	ck_assert_int_lt(write_file_atomic(path, "new", 3), 0);
	got = slurp(path);
	ck_assert_str_eq(got, "old");
	free(got);
}
END_TEST

START_TEST(test_missing_directory)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/no/such/dir/results.json", dir);
	ck_assert_int_eq(write_file_atomic(path, "x", 1), -ENOENT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("write_file_atomic");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_create_and_replace);
	tcase_add_test(tc, test_failure_keeps_the_old_file);
	tcase_add_test(tc, test_missing_directory);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
