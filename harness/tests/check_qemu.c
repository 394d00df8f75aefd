/* check_qemu.c: accelerator choice and QEMU command-line construction. */
#include "pvbench/qemu.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int argv_find(char **v, const char *opt)
{
	for (int i = 0; v[i]; i++)
		if (!strcmp(v[i], opt))
			return i;
	return -1;
}

static struct qemu_cfg base_cfg(void)
{
	return (struct qemu_cfg){ .accel = ACCEL_TCG, .mem_mib = 3072, .smp = 2, .xen = "/i/xen",
				  .kernel = "/i/vmlinuz", .initrd = "/i/dom0.cpio.zst",
				  .xen_cmdline = "console=com1", .dom0_cmdline = "console=hvc0",
				  .ctl_socket = "/tmp/s/ctl.sock" };
}

START_TEST(test_argv_tcg)
{
	struct qemu_cfg c = base_cfg();
	char **v;
	int i;

	ck_assert_int_eq(qemu_build_argv(&c, &v), 0);
	ck_assert_str_eq(v[0], "qemu-system-x86_64");
	i = argv_find(v, "-accel");
	ck_assert_str_eq(v[i + 1], "tcg,thread=multi");
	i = argv_find(v, "-cpu");
	ck_assert_str_eq(v[i + 1], "qemu64,+svm,+npt,+rdrand");
	i = argv_find(v, "-m");
	ck_assert_str_eq(v[i + 1], "3072");
	i = argv_find(v, "-kernel");
	ck_assert_str_eq(v[i + 1], "/i/xen");
	i = argv_find(v, "-append");
	ck_assert_str_eq(v[i + 1], "console=com1");
	i = argv_find(v, "-initrd");
	ck_assert_str_eq(v[i + 1], "/i/vmlinuz console=hvc0,/i/dom0.cpio.zst");
	i = argv_find(v, "-chardev");
	ck_assert_str_eq(v[i + 1], "socket,id=pvbctl,server=on,wait=off,path=/tmp/s/ctl.sock");
	ck_assert_int_ge(argv_find(v, "-no-reboot"), 0);
	qemu_argv_free(v);
}
END_TEST

START_TEST(test_argv_kvm_and_escaping)
{
	struct qemu_cfg c = base_cfg();
	char **v;

	c.accel = ACCEL_KVM;
	c.dom0_cmdline = "console=hvc0 xen_blkback.x=1,2";
	c.initrd = "/a,b/dom0";
	ck_assert_int_eq(qemu_build_argv(&c, &v), 0);
	ck_assert_str_eq(v[argv_find(v, "-accel") + 1], "kvm");
	ck_assert_str_eq(v[argv_find(v, "-cpu") + 1], "host");
	/* multiboot module separator is ',', a literal comma is ',,' */
	ck_assert_str_eq(v[argv_find(v, "-initrd") + 1],
			 "/i/vmlinuz console=hvc0 xen_blkback.x=1,,2,/a,,b/dom0");
	qemu_argv_free(v);
}
END_TEST

/* xen-facts C: single-threaded TCG with -icount shift=N,sleep=off. */
START_TEST(test_argv_icount)
{
	struct qemu_cfg c = base_cfg();
	char **v;
	int i;

	c.clock = CLOCK_ICOUNT;
	c.icount_shift = 3;
	ck_assert_int_eq(qemu_build_argv(&c, &v), 0);
	i = argv_find(v, "-accel");
	ck_assert_str_eq(v[i + 1], "tcg,thread=single");
	i = argv_find(v, "-icount");
	ck_assert_int_ge(i, 0);
	ck_assert_str_eq(v[i + 1], "shift=3,sleep=off");
	qemu_argv_free(v);
	c.clock = CLOCK_HOST;
	ck_assert_int_eq(qemu_build_argv(&c, &v), 0);
	ck_assert_int_lt(argv_find(v, "-icount"), 0);
	ck_assert_str_eq(v[argv_find(v, "-accel") + 1], "tcg,thread=multi");
	qemu_argv_free(v);
}
END_TEST

START_TEST(test_clock_choose)
{
	enum clock_mode c = CLOCK_AUTO;
	char why[256], note[512];

	ck_assert_int_eq(clock_parse("icount", &c), 0);
	ck_assert_int_eq(c, CLOCK_ICOUNT);
	ck_assert_int_eq(clock_parse("host", &c), 0);
	ck_assert_int_eq(c, CLOCK_HOST);
	ck_assert_int_eq(clock_parse("wall", &c), -EINVAL);
	ck_assert_int_eq(clock_choose(CLOCK_AUTO, ACCEL_TCG, &c, why, sizeof(why)), 0);
	ck_assert_int_eq(c, CLOCK_ICOUNT);
	ck_assert_int_eq(clock_choose(CLOCK_HOST, ACCEL_TCG, &c, why, sizeof(why)), 0);
	ck_assert_int_eq(c, CLOCK_HOST);
	ck_assert_int_eq(clock_choose(CLOCK_AUTO, ACCEL_KVM, &c, why, sizeof(why)), 0);
	ck_assert_int_eq(c, CLOCK_HOST);
	ck_assert_int_eq(clock_choose(CLOCK_ICOUNT, ACCEL_KVM, &c, why, sizeof(why)), -EINVAL);
	ck_assert_msg(strstr(why, "needs TCG"), "reason '%s'", why);
	clock_note(CLOCK_ICOUNT, 3, note, sizeof(note));
	ck_assert_msg(strstr(note, "shift=3") && strstr(note, "x 8 ns"), "note '%s'", note);
	clock_note(CLOCK_HOST, 0, note, sizeof(note));
	ck_assert_msg(strstr(note, "host load"), "note '%s'", note);
}
END_TEST

START_TEST(test_argv_errors)
{
	struct qemu_cfg c = base_cfg();
	char **v;

	c.xen = NULL;
	ck_assert_int_eq(qemu_build_argv(&c, &v), -EINVAL);
	c = base_cfg();
	c.mem_mib = 0;
	ck_assert_int_eq(qemu_build_argv(&c, &v), -EINVAL);
	c = base_cfg();
	c.accel = ACCEL_KVM;
	c.clock = CLOCK_ICOUNT;
	ck_assert_int_eq(qemu_build_argv(&c, &v), -EINVAL);
	c = base_cfg();
	c.clock = CLOCK_ICOUNT;
	c.icount_shift = 11;
	ck_assert_int_eq(qemu_build_argv(&c, &v), -EINVAL);
}
END_TEST

START_TEST(test_accel_parse)
{
	enum accel a;

	ck_assert_int_eq(accel_parse("auto", &a), 0);
	ck_assert_int_eq(a, ACCEL_AUTO);
	ck_assert_int_eq(accel_parse("kvm", &a), 0);
	ck_assert_int_eq(a, ACCEL_KVM);
	ck_assert_int_eq(accel_parse("hvf", &a), -EINVAL);
	ck_assert_int_eq(accel_parse(NULL, &a), -EINVAL);
}
END_TEST

/* The host kinds, as accel_probe_host would describe them. */
static const struct {
	struct host_kvm h;
	enum accel want;
	int rc;
	enum accel got;
	const char *reason_has;
} accel_cases[] = {
	{ { true, false, "kvm_pvm" }, ACCEL_AUTO, 0, ACCEL_TCG, "paravirtual-only" },
	{ { true, false, "kvm_pvm" }, ACCEL_KVM, -ENODEV, ACCEL_AUTO, "kvm_pvm" },
	{ { false, false, "" }, ACCEL_AUTO, 0, ACCEL_TCG, "absent" },
	{ { true, true, "kvm_intel" }, ACCEL_AUTO, 0, ACCEL_KVM, "kvm_intel" },
	{ { true, true, "kvm_amd" }, ACCEL_KVM, 0, ACCEL_KVM, "kvm_amd" },
	{ { true, true, "kvm_amd" }, ACCEL_TCG, 0, ACCEL_TCG, "requested" },
	{ { false, true, "kvm_intel" }, ACCEL_AUTO, 0, ACCEL_TCG, "absent" },
};

START_TEST(test_accel_choose)
{
	enum accel got = ACCEL_AUTO;
	char reason[256];
	int rc = accel_choose(accel_cases[_i].want, &accel_cases[_i].h, &got, reason,
			      sizeof(reason));

	ck_assert_int_eq(rc, accel_cases[_i].rc);
	if (rc == 0)
		ck_assert_int_eq(got, accel_cases[_i].got);
	ck_assert_msg(strstr(reason, accel_cases[_i].reason_has), "reason '%s'", reason);
}
END_TEST

START_TEST(test_accel_probe_sysfs)
{
	char dir[] = "/tmp/pvb-sysfs-XXXXXX", path[256];
	struct host_kvm h;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "mkdir -p %s/sys/module/kvm_pvm", dir);
	ck_assert_int_eq(system(path), 0);
	accel_probe_host(dir, &h);
	ck_assert_str_eq(h.module, "kvm_pvm");
	ck_assert(!h.full_virt);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	ck_assert_int_eq(system(path), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("qemu");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");

	tcase_add_test(core, test_argv_tcg);
	tcase_add_test(core, test_argv_kvm_and_escaping);
	tcase_add_test(core, test_accel_parse);
	tcase_add_test(core, test_argv_icount);
	tcase_add_test(core, test_clock_choose);
	tcase_add_loop_test(core, test_accel_choose, 0,
			    sizeof(accel_cases) / sizeof(accel_cases[0]));
	tcase_add_test(core, test_accel_probe_sysfs);
	tcase_add_test(errors, test_argv_errors);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return test_run_suite(s);
}
