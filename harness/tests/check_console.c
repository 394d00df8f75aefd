/* check_console.c: console milestone and crash matching, on recorded real logs
 * (harness/tests/data/console) and on crash lines from xen-facts / the sources. */
#include "pvbench/console.h"
#include "pvbench/util.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define DATA "harness/tests/data/console/"

/* Strips the host timestamp "[  12.345] " that machine.c prefixes. */
static const char *strip_stamp(const char *line)
{
	const char *p = line[0] == '[' ? strstr(line, "] ") : NULL;

	return p ? p + 2 : line;
}

START_TEST(test_real_boot_milestones_in_order)
{
	static const enum con_event want[] = { CE_XEN_BANNER, CE_DOM0_KERNEL, CE_DOM0_INIT,
					       CE_TOOLSTACK_READY };
	char *text = read_file(DATA "boot-ok.serial.log", NULL), *save = NULL;
	size_t next = 0;
	int fatal = 0;

	ck_assert_ptr_nonnull(text);
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		struct con_match m;
		enum con_event ev = console_match(strip_stamp(l), &m);

		fatal += m.fatal;
		if (next < sizeof(want) / sizeof(want[0]) && ev == want[next])
			next++;
	}
	ck_assert_int_eq(next, 4);
	ck_assert_int_eq(fatal, 0);
	free(text);
}
END_TEST

START_TEST(test_real_domu_init_uptime)
{
	char *text = read_file(DATA "boot-ok.domU.log", NULL);
	const char *l;

	ck_assert_ptr_nonnull(text);
	l = strstr(text, "pvbench-domU: init at ");
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(console_match(l, NULL), CE_DOMU_INIT);
	ck_assert_double_eq_tol(console_domu_init_uptime(l), atof(l + 22), 1e-9);
	ck_assert(console_domu_init_uptime(l) > 0);
	free(text);
}
END_TEST

static const struct {
	const char *line;
	enum con_event ev;
	int fatal;
} lines[] = {
	/* xen-facts A: PVH guest under fio on TCG */
	{ "(XEN) [  301.2] d1v1 Triple fault - invoking HVM shutdown action 1", CE_GUEST_CRASHED, 1 },
	/* xen-facts A: dom0 under -cpu max */
	{ "(XEN) [    9.1] domain_crash called from pv/traps.c:NN", CE_NONE, 0 },
	{ "(XEN) [    9.1] Domain 0 (vcpu#0) crashed on cpu#0:", CE_GUEST_CRASHED, 1 },
	{ "(XEN) Panic on CPU 0:", CE_XEN_PANIC, 1 },
	{ "[   12.0] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100",
	  CE_KERNEL_PANIC, 1 },
	{ "[   12.0] BUG: unable to handle page fault for address: 0000000000001000",
	  CE_KERNEL_OOPS, 0 },
	{ "pvbench-init: FAILED: xen-init-dom0", CE_INIT_STEP_FAILED, 0 },
	{ "[    0.0] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)", CE_DOM0_KERNEL,
	  0 },
	{ "(XEN) [00000000235645c0] Xen version 4.17.7 (Debian 4.17.7+13)", CE_XEN_BANNER, 0 },
	{ "nothing to see here", CE_NONE, 0 },
	{ "", CE_NONE, 0 },
};

START_TEST(test_lines)
{
	struct con_match m;

	ck_assert_int_eq(console_match(lines[_i].line, &m), lines[_i].ev);
	ck_assert_int_eq(m.fatal, lines[_i].fatal);
	ck_assert_str_eq(m.name, console_event_name(lines[_i].ev));
}
END_TEST

START_TEST(test_domu_uptime_malformed)
{
	ck_assert_double_eq(console_domu_init_uptime("pvbench-domU: init at "), -1);
	ck_assert_double_eq(console_domu_init_uptime("pvbench-domU: init at x"), -1);
	ck_assert_double_eq(console_domu_init_uptime("other"), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("console");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");

	tcase_add_test(core, test_real_boot_milestones_in_order);
	tcase_add_test(core, test_real_domu_init_uptime);
	tcase_add_loop_test(core, test_lines, 0, sizeof(lines) / sizeof(lines[0]));
	tcase_add_test(errors, test_domu_uptime_malformed);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return test_run_suite(s);
}
