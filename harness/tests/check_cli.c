/* check_cli.c: command-line parsing and bad input of build/pvbench, run as a
 * subprocess: each case must exit with its status and print its error line. */
#include "testutil.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static const struct {
	const char *cmd; /* run by sh from the project root */
	int status;
	const char *stderr_has;
} cases[] = {
	{ "build/pvbench --bogus", 2, "error: unknown option '--bogus'" },
	{ "build/pvbench frobnicate", 2, "error: unknown command 'frobnicate'" },
	{ "build/pvbench boot --accel hvf", 2, "error: --accel: 'hvf' is not one of auto, tcg, kvm" },
	{ "build/pvbench boot --smp zero", 2, "error: --smp: 'zero' is not an integer" },
	{ "build/pvbench boot --no-such-flag", 2, "unrecognized option '--no-such-flag'" },
	{ "build/pvbench boot extra-arg", 2, "error: unexpected argument 'extra-arg'" },
	{ "build/pvbench boot -o /proc/pvbench-cannot-write", 2,
	  "error: cannot write to output directory '/proc/pvbench-cannot-write'" },
	{ "PVBENCH_ROOT=/tmp/pvbench-no-root build/pvbench boot -o /tmp/pvbench-cli-out", 2,
	  "error: no images in '/tmp/pvbench-no-root/build/images' (run 'make images')" },
	{ "build/pvbench run", 2, "error: no scenario file given" },
	{ "build/pvbench run /nonexistent.ini", 2, "/nonexistent.ini" },
	{ "build/pvbench run scenarios/smoke.ini --reps 0", 2,
	  "error: --reps: '0' is not auto or an integer in [1, 1000]" },
	{ "build/pvbench images --bogus", 2, "unrecognized option '--bogus'" },
	{ "build/pvbench --help", 0, "" },
	{ "build/pvbench boot --help", 0, "" },
	{ "build/pvbench run --help", 0, "" },
};

START_TEST(test_case)
{
	char cmd[512], err[4096] = "";
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd), "%s 2>&1 >/dev/null", cases[_i].cmd);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(err, 1, sizeof(err) - 1, p);
	err[n] = '\0';
	st = pclose(p);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == cases[_i].status,
		      "'%s': exit %d, want %d (stderr: %s)", cases[_i].cmd, WEXITSTATUS(st),
		      cases[_i].status, err);
	ck_assert_msg(strstr(err, cases[_i].stderr_has), "'%s': stderr '%s' lacks '%s'",
		      cases[_i].cmd, err, cases[_i].stderr_has);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *errors = tcase_create("errors");

	tcase_add_loop_test(errors, test_case, 0, sizeof(cases) / sizeof(cases[0]));
	suite_add_tcase(s, errors);
	return test_run_suite(s);
}
