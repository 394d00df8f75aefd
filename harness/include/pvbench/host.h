/* host.h: bringing up the emulated host: images -> accelerator choice -> QEMU with
 * Xen and dom0 -> dom0 agent answering (toolstack ready). Shared by `boot` and
 * `run`. */
#ifndef PVBENCH_HOST_H
#define PVBENCH_HOST_H

#include "pvbench/images.h"
#include "pvbench/machine.h"

struct host_opts {
	const char *images_dir; /* NULL: <project>/build/images */
	enum accel accel;
	enum clock_mode clock;  /* CLOCK_AUTO: icount under TCG, host under KVM */
	int icount_shift;       /* -icount shift= (default ICOUNT_SHIFT_DEFAULT) */
	int mem_mib;            /* QEMU memory (default 3072) */
	int smp;                /* QEMU vCPUs (default 2) */
	int dom0_mem_mib;       /* dom0_mem (default 1024) */
	int dom0_vcpus;         /* dom0_max_vcpus (default = smp) */
	int brd_mib;            /* dom0 RAM disk size (default 256) */
	int brd_nr;             /* dom0 RAM disks /dev/ram0.. (default 1) */
	const char *xen_extra;  /* appended to Xen's command line */
	const char *dom0_extra; /* appended to dom0's command line */
	double dom0_timeout_s;  /* QEMU start -> dom0 agent answers (default 180) */
	const char *dir;        /* output directory for this boot's logs */
};

/* What was booted and why: recorded in results. */
struct host_env {
	enum accel accel;
	char accel_reason[256];
	enum clock_mode clock;	/* resolved: CLOCK_ICOUNT or CLOCK_HOST */
	int icount_shift;	/* for CLOCK_ICOUNT */
	char clock_reason[256];
	char cpu[64];
	char xen_cmdline[1024], dom0_cmdline[1024];
	char qemu_version[128];
	struct image_set images;
};

void host_opts_default(struct host_opts *o);
/* Chooses the accelerator and the clock and loads the image manifest (no QEMU yet); prints the
 * error and returns -errno on failure (e.g. -ENODEV for --accel kvm without KVM, -EINVAL for clock icount
 * under KVM). */
int host_prepare(const struct host_opts *o, struct host_env *env);
/* Starts QEMU and waits for dom0's agent. On failure the machine is killed, the
 * reason printed with the console tail, and -ETIMEDOUT / -EPIPE / -EINTR returned. */
int host_boot(struct machine *m, const struct host_opts *o, struct host_env *env);
/* Asks dom0 to power off; waits for QEMU to exit (timeout_s), else kills it. 0 when
 * QEMU exited by itself. */
int host_poweroff(struct machine *m, double timeout_s);
/* Result status for a failed machine or guest operation: -ETIMEDOUT "TIMEOUT",
 * -EPIPE "CRASH", -EINTR "INTERRUPTED", anything else "FAIL". */
const char *host_status_name(int rc);
/* Copies a file from a domain into local_path (0 or -errno). */
int host_fetch(struct machine *m, int dom, const char *remote, const char *local_path);

#endif
