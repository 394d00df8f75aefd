/* check_hotplug.c: the pure parts of dom0's pvbench-hotplug (pvbench/hotplug.h): vif
 * names as libxl makes them, and phy disk params as libxl writes them. */
#include "pvbench/hotplug.h"
#include "testutil.h"

#include <check.h>

START_TEST(test_vif_ids)
{
	unsigned d = 99, n = 99;

	ck_assert_int_eq(hotplug_vif_ids("vif1.0", &d, &n), 0);
	ck_assert_uint_eq(d, 1);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(hotplug_vif_ids("vif32751.7", &d, &n), 0);
	ck_assert_uint_eq(d, 32751);
	ck_assert_uint_eq(n, 7);
	/* not libxl's shape: emulated "-emu" twins, missing parts, trailing text */
	ck_assert_int_eq(hotplug_vif_ids("vif1.0-emu", &d, &n), -1);
	ck_assert_int_eq(hotplug_vif_ids("vif1", &d, &n), -1);
	ck_assert_int_eq(hotplug_vif_ids("vif.0", &d, &n), -1);
	ck_assert_int_eq(hotplug_vif_ids("vif-1.0", &d, &n), -1);
	ck_assert_int_eq(hotplug_vif_ids("eth0", &d, &n), -1);
	ck_assert_int_eq(hotplug_vif_ids("", &d, &n), -1);
	ck_assert_int_eq(hotplug_vif_ids(NULL, &d, &n), -1);
}
END_TEST

START_TEST(test_dev_path)
{
	char p[32];

	hotplug_dev_path("/dev/ram0", p, sizeof(p));
	ck_assert_str_eq(p, "/dev/ram0");
	hotplug_dev_path("ram3", p, sizeof(p));
	ck_assert_str_eq(p, "/dev/ram3");
	hotplug_dev_path("/dev/mapper/a-very-long-volume-name", p, 12);
	ck_assert_str_eq(p, "/dev/mapper"); /* truncated, NUL-terminated */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hotplug");
	TCase *core = tcase_create("core");

	tcase_add_test(core, test_vif_ids);
	tcase_add_test(core, test_dev_path);
	suite_add_tcase(s, core);
	return test_run_suite(s);
}
