/* host.c: bring-up and power-off of the emulated host (see host.h). */
#include "pvbench/host.h"
#include "pvbench/status.h"
#include "pvbench/proto.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void host_opts_default(struct host_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->accel = ACCEL_AUTO;
	o->clock = CLOCK_AUTO;
	o->icount_shift = ICOUNT_SHIFT_DEFAULT;
	o->mem_mib = 3072;
	o->smp = 2;
	o->dom0_mem_mib = 1024;
	o->brd_mib = 256;
	o->brd_nr = 1;
	o->dom0_timeout_s = 180;
}

static void qemu_version(char *buf, size_t len)
{
	FILE *p = popen("qemu-system-x86_64 --version 2>/dev/null", "r");

	buf[0] = '\0';
	if (p && fgets(buf, len, p))
		buf[strcspn(buf, "\n")] = '\0';
	if (p)
		pclose(p);
}

int host_prepare(const struct host_opts *o, struct host_env *env)
{
	char dir[PATH_MAX], err[512];
	struct host_kvm h;
	int rc;

	memset(env, 0, sizeof(*env));
	accel_probe_host("", &h);
	rc = accel_choose(o->accel, &h, &env->accel, env->accel_reason,
			  sizeof(env->accel_reason));
	if (rc) {
		pvb_err("--accel kvm: %s", env->accel_reason);
		return rc;
	}
	rc = clock_choose(o->clock, env->accel, &env->clock, env->clock_reason,
			  sizeof(env->clock_reason));
	if (rc) {
		pvb_err("%s", env->clock_reason);
		return rc;
	}
	env->icount_shift = env->clock == CLOCK_ICOUNT ? o->icount_shift : 0;
	snprintf(env->cpu, sizeof(env->cpu), "%s",
		 env->accel == ACCEL_KVM ? "host" : QEMU_CPU_TCG);
	snprintf(dir, sizeof(dir), "%s/build/images", pvb_project_root());
	rc = images_load(o->images_dir ? o->images_dir : dir, &env->images, err, sizeof(err));
	if (rc) {
		pvb_err("%s", err);
		return rc;
	}
	snprintf(env->xen_cmdline, sizeof(env->xen_cmdline),
		 "%s dom0_mem=%dM,max:%dM dom0_max_vcpus=%d%s%s", XEN_CMDLINE_DEFAULT,
		 o->dom0_mem_mib, o->dom0_mem_mib, o->dom0_vcpus ? o->dom0_vcpus : o->smp,
		 o->xen_extra ? " " : "", o->xen_extra ? o->xen_extra : "");
	snprintf(env->dom0_cmdline, sizeof(env->dom0_cmdline),
		 "%s pvbench.brd_kib=%d pvbench.brd_nr=%d%s%s", DOM0_CMDLINE_DEFAULT,
		 o->brd_mib * 1024, o->brd_nr, o->dom0_extra ? " " : "",
		 o->dom0_extra ? o->dom0_extra : "");
	qemu_version(env->qemu_version, sizeof(env->qemu_version));
	return 0;
}

static void report_boot_failure(struct machine *m, int rc, double timeout_s)
{
	if (rc == -EINTR)
		pvb_err("interrupted while booting dom0");
	else if (m->dead)
		pvb_err("CRASH while booting dom0: %s", m->dead_why);
	else
		pvb_err("TIMEOUT: dom0 agent did not answer within %.0f s", timeout_s);
	fprintf(stderr, "--- last 40 console lines (full log: %s/xen-serial.log) ---\n%s---\n",
		m->dir, machine_console_tail(m, 40));
}

/* dom0's kernel: the plain ELF vmlinux the domU boots (build-images.sh extracts it),
 * else the bzImage. Given the bzImage, Xen xz-decompresses 66 MB itself before it
 * builds dom0 (~4 s under TCG); the ELF it only copies. */
static const char *dom0_kernel(const struct host_env *env, char *buf, size_t len)
{
	snprintf(buf, len, "%s/vmlinux", env->images.dir);
	return access(buf, R_OK) == 0 ? buf : env->images.path[IMG_VMLINUZ];
}

int host_boot(struct machine *m, const struct host_opts *o, struct host_env *env)
{
	char vmlinux[PATH_MAX + 16];
	struct machine_cfg cfg = {
		.q = { .accel = env->accel, .clock = env->clock, .icount_shift = env->icount_shift,
		       .cpu = env->cpu, .mem_mib = o->mem_mib, .smp = o->smp,
		       .xen = env->images.path[IMG_XEN],
		       .kernel = dom0_kernel(env, vmlinux, sizeof(vmlinux)),
		       .initrd = env->images.path[IMG_DOM0], .xen_cmdline = env->xen_cmdline,
		       .dom0_cmdline = env->dom0_cmdline, .share_dir = env->images.dir },
		.dir = o->dir,
	};
	int rc = machine_start(m, &cfg);

	if (rc)
		return rc;
	pvb_info("booting Xen + dom0 (%s, %s; %s clock), logs in %s", accel_name(env->accel),
		 env->accel_reason, clock_name(env->clock), m->dir);
	rc = machine_ping(m, 0, o->dom0_timeout_s, NULL);
	if (rc) {
		report_boot_failure(m, rc, o->dom0_timeout_s);
		machine_kill(m);
		return rc;
	}
	timeline_mark(&m->tl, TL_TOOLSTACK_READY, machine_time(m));
	return 0;
}

int host_poweroff(struct machine *m, double timeout_s)
{
	int rc;

	/* The agent dies with dom0, so this exec never answers: don't wait for it. */
	machine_exec_detached(m, 0, "sync; busybox poweroff -f");
	rc = machine_wait_exit(m, timeout_s);
	if (rc == 0 && m->exit_status != 0)
		rc = -EIO; /* QEMU exited, but not from the guest's power-off */
	machine_kill(m);
	return rc;
}

int host_fetch(struct machine *m, int dom, const char *remote, const char *local_path)
{
	struct exec_result r;
	char cmd[PATH_MAX + 16];
	int rc;

	snprintf(cmd, sizeof(cmd), "cat '%s'", remote);
	rc = machine_exec(m, dom, cmd, NULL, 0, 60, &r);
	if (rc == 0 && r.status != 0)
		rc = -ENOENT;
	if (rc == 0)
		rc = write_file_atomic(local_path, r.out.buf ? r.out.buf : "", r.out.len);
	exec_result_free(&r);
	return rc;
}

const char *host_status_name(int rc)
{
	return pvb_status_name(pvb_status_from_errno(rc ? rc : -EIO));
}
