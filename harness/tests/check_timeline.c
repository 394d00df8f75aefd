/* check_timeline.c: boot timeline marks, guest-clock conversion, medians, JSON. */
#include "pvbench/timeline.h"
#include "testutil.h"

#include <check.h>
#include <math.h>

START_TEST(test_first_mark_wins)
{
	struct timeline tl;

	timeline_init(&tl);
	ck_assert(tl.t[TL_XEN_BANNER] < 0);
	timeline_mark(&tl, TL_XEN_BANNER, 0.8);
	timeline_mark(&tl, TL_XEN_BANNER, 5.0);
	timeline_mark(&tl, TL_DOM0_INIT, -1); /* unknown times are ignored */
	ck_assert_double_eq(tl.t[TL_XEN_BANNER], 0.8);
	ck_assert(tl.t[TL_DOM0_INIT] < 0);
}
END_TEST

START_TEST(test_guest_clock)
{
	/* guest answered at host 40.0 s with uptime 6.5 s; its init ran at uptime 2.0 s */
	ck_assert_double_eq_tol(timeline_from_guest_clock(40.0, 6.5, 2.0), 35.5, 1e-9);
	ck_assert_double_eq(timeline_from_guest_clock(40.0, 6.5, 7.0), -1);
	ck_assert_double_eq(timeline_from_guest_clock(40.0, 6.5, -1), -1);
}
END_TEST

START_TEST(test_median)
{
	struct timeline tls[4], med;

	for (int i = 0; i < 4; i++)
		timeline_init(&tls[i]);
	tls[0].t[TL_DOM0_INIT] = 10;
	tls[1].t[TL_DOM0_INIT] = 12;
	tls[2].t[TL_DOM0_INIT] = 11;
	tls[3].t[TL_DOM0_INIT] = 30; /* odd one out */
	tls[0].t[TL_DOMU_READY] = 50;
	tls[2].t[TL_DOMU_READY] = 40;
	tls[1].t[TL_DOMU_READY] = 45; /* one boot never got there */
	timeline_median(tls, 4, &med);
	ck_assert_double_eq(med.t[TL_DOM0_INIT], 11.5);
	ck_assert_double_eq(med.t[TL_DOMU_READY], 45);
	ck_assert(med.t[TL_SHUTDOWN_DONE] < 0);
}
END_TEST

START_TEST(test_json)
{
	struct timeline tl;
	json_t *j;

	timeline_init(&tl);
	timeline_mark(&tl, TL_DOM0_KERNEL, 4.25);
	j = timeline_to_json(&tl);
	ck_assert_double_eq(json_real_value(json_object_get(j, "dom0_kernel_s")), 4.25);
	ck_assert(json_is_null(json_object_get(j, "domU_ready_s")));
	ck_assert_int_eq(json_object_size(j), TL__COUNT);
	json_decref(j);
	ck_assert_str_eq(timeline_name(TL_SHUTDOWN_DONE), "shutdown_done");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("timeline");
	TCase *core = tcase_create("core");

	tcase_add_test(core, test_first_mark_wins);
	tcase_add_test(core, test_guest_clock);
	tcase_add_test(core, test_median);
	tcase_add_test(core, test_json);
	suite_add_tcase(s, core);
	return test_run_suite(s);
}
