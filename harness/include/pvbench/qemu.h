/* qemu.h: choosing the accelerator and building the QEMU command line that boots
 * Xen by multiboot with the dom0 kernel and initramfs as modules. Pure functions
 * apart from accel_probe_kvm(). */
#ifndef PVBENCH_QEMU_H
#define PVBENCH_QEMU_H

#include <stdbool.h>

enum accel { ACCEL_AUTO, ACCEL_TCG, ACCEL_KVM };

/* "auto" | "tcg" | "kvm" -> *out; 0 or -EINVAL. */
int accel_parse(const char *s, enum accel *out);
const char *accel_name(enum accel a);

/* What the host offers, as read by accel_probe_host(). */
struct host_kvm {
	bool dev_kvm;      /* /dev/kvm opens and KVM_CREATE_VM works */
	bool full_virt;    /* kvm_intel or kvm_amd module present */
	char module[32];   /* kvm vendor module seen in /sys/module, "" if none */
};

/* Reads sysfs_root/sys/module/kvm_* and probes /dev/kvm (sysfs_root "" = real). */
void accel_probe_host(const char *sysfs_root, struct host_kvm *h);

/* Decides the accelerator. auto: KVM only with a full-virtualisation KVM module
 * (kvm_intel/kvm_amd) and a working /dev/kvm, else TCG (xen-facts A: kvm_pvm cannot
 * run Xen). kvm requested but unusable: -ENODEV and the reason. reason gets one
 * line saying why, for results.json. */
int accel_choose(enum accel want, const struct host_kvm *h, enum accel *out, char *reason,
		 int reason_len);

/* How guest time runs (xen-facts C, "Instruction-count time").
 * ICOUNT: single-threaded TCG with -icount shift=N,sleep=off: guest time advances
 *   2^N ns per executed instruction (all vCPUs round-robin on one host thread) and
 *   idle time is skipped, so figures measure CPU work along the path and do not move
 *   with host load (read IOPS CV 0.4-0.6% where HOST gave 16-56%). Parallel speedup
 *   is not modelled; spinning and lock contention are counted. TCG only.
 * HOST: guest time is the host's clock: multi-threaded TCG, or KVM (always). */
enum clock_mode { CLOCK_AUTO, CLOCK_ICOUNT, CLOCK_HOST };
#define ICOUNT_SHIFT_DEFAULT 3
#define ICOUNT_SHIFT_MAX 10 /* QEMU accepts 0..10 */

/* "auto" | "icount" | "host" -> *out; 0 or -EINVAL. */
int clock_parse(const char *s, enum clock_mode *out);
const char *clock_name(enum clock_mode c);
/* Resolves want for the resolved accelerator: auto is ICOUNT under TCG and HOST under
 * KVM. -EINVAL for ICOUNT with KVM (instruction counting needs TCG: KVM runs guest
 * code natively, QEMU cannot count it), with the reason in reason. */
int clock_choose(enum clock_mode want, enum accel accel, enum clock_mode *out, char *reason,
		 int reason_len);
/* One sentence on what figures taken with this clock measure (for results.json
 * environment.clock_note, the run summary, compare and report). shift: icount only. */
const char *clock_note(enum clock_mode c, int shift, char *buf, int len);

struct qemu_cfg {
	const char *qemu;        /* binary; default qemu-system-x86_64 */
	enum accel accel;        /* ACCEL_TCG or ACCEL_KVM (resolved) */
	enum clock_mode clock;   /* CLOCK_ICOUNT or CLOCK_HOST (resolved; HOST under KVM) */
	int icount_shift;        /* 0..ICOUNT_SHIFT_MAX, for CLOCK_ICOUNT */
	const char *cpu;         /* NULL: QEMU_CPU_TCG (TCG) or host (KVM) */
	int mem_mib, smp;
	const char *xen, *kernel, *initrd; /* image paths */
	const char *xen_cmdline, *dom0_cmdline;
	const char *ctl_socket;  /* unix socket for the virtio-serial control port */
	const char *share_dir;   /* shared read-only with dom0 over virtio-9p, mount tag
				  * "pvbench-images" (the image directory); NULL: none */
};

/* Builds a NULL-terminated argv (heap; free with qemu_argv_free). Serial (Xen's
 * com1) goes to stdout. Commas inside multiboot module paths and command lines are
 * doubled, as QEMU's -initrd syntax requires (hw/i386/multiboot.c). -EINVAL on a
 * missing path or non-positive size. */
int qemu_build_argv(const struct qemu_cfg *c, char ***argv_out);
void qemu_argv_free(char **argv);

/* CPU model under TCG. +svm: Xen's HVM support; +npt: hardware-assisted paging, which
 * PVH/HVM guests need (Debian's Xen has no shadow paging; xen-facts A). +rdrand:
 * without a CPU RNG, dom0's crng was still not initialised when the first domU was
 * created (~13 s after QEMU start), and xl create spent 2.0 s of its ~4 s in
 * libuuid's getrandom(GRND_NONBLOCK) retries (16 x 125 ms EAGAIN, seen with
 * strace); with it Linux seeds the crng at boot (dom0 "crng init done" at 1.3 s).
 * QEMU's TCG implements RDRAND from the host's getrandom. */
#define QEMU_CPU_TCG "qemu64,+svm,+npt,+rdrand"

/* Default Xen and dom0 command lines (xen-facts B.6). bootscrub=false: QEMU's guest
 * RAM starts zeroed, so Xen's scrub of free memory is redundant here; its default
 * (idle: in the background) was still running when the first domU was built and
 * took host CPU from it (first domU's kernel to /init 4.6 s, 3.75 s without). */
#define XEN_CMDLINE_DEFAULT                                                                        \
	"console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all noreboot "                       \
	"console_timestamps=boot bootscrub=false"
#define DOM0_CMDLINE_DEFAULT "console=hvc0 rdinit=/init loglevel=6"

#endif
