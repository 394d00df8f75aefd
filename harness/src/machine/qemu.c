/* qemu.c: accelerator choice and QEMU command-line construction (see qemu.h). */
#include "pvbench/proto.h"
#include "pvbench/qemu.h"
#include "pvbench/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const accel_names[] = {
	[ACCEL_AUTO] = "auto",
	[ACCEL_TCG] = "tcg",
	[ACCEL_KVM] = "kvm",
};

int accel_parse(const char *s, enum accel *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(accel_names); i++)
		if (s && !strcmp(s, accel_names[i])) {
			*out = (enum accel)i;
			return 0;
		}
	return -EINVAL;
}

const char *accel_name(enum accel a)
{
	return a < ARRAY_SIZE(accel_names) ? accel_names[a] : "?";
}

static bool probe_dev_kvm(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC), vm;

	if (fd < 0)
		return false;
	vm = ioctl(fd, KVM_GET_API_VERSION, 0) == KVM_API_VERSION ? ioctl(fd, KVM_CREATE_VM, 0)
								   : -1;
	if (vm >= 0)
		close(vm);
	close(fd);
	return vm >= 0;
}

void accel_probe_host(const char *sysfs_root, struct host_kvm *h)
{
	static const char *const mods[] = { "kvm_intel", "kvm_amd", "kvm_pvm" };
	char path[512];
	struct stat st;

	memset(h, 0, sizeof(*h));
	for (size_t i = 0; i < ARRAY_SIZE(mods); i++) {
		snprintf(path, sizeof(path), "%s/sys/module/%s", sysfs_root, mods[i]);
		if (stat(path, &st) == 0) {
			snprintf(h->module, sizeof(h->module), "%s", mods[i]);
			h->full_virt = i < 2;
			break;
		}
	}
	h->dev_kvm = !*sysfs_root && probe_dev_kvm();
}

int accel_choose(enum accel want, const struct host_kvm *h, enum accel *out, char *reason,
		 int reason_len)
{
	bool usable = h->dev_kvm && h->full_virt;

	if (want == ACCEL_TCG) {
		*out = ACCEL_TCG;
		snprintf(reason, reason_len, "tcg requested");
		return 0;
	}
	if (usable) {
		*out = ACCEL_KVM;
		snprintf(reason, reason_len, "%s: /dev/kvm works with %s (full virtualisation)",
			 want == ACCEL_KVM ? "kvm requested" : "auto", h->module);
		return 0;
	}
	if (!h->dev_kvm)
		snprintf(reason, reason_len, "/dev/kvm is absent or unusable");
	else if (*h->module)
		snprintf(reason, reason_len,
			 "/dev/kvm is %s, a paravirtual-only KVM that cannot run Xen", h->module);
	else
		snprintf(reason, reason_len, "no kvm_intel or kvm_amd module loaded");
	if (want == ACCEL_KVM)
		return -ENODEV;
	*out = ACCEL_TCG;
	return 0;
}

static const char *const clock_names[] = {
	[CLOCK_AUTO] = "auto",
	[CLOCK_ICOUNT] = "icount",
	[CLOCK_HOST] = "host",
};

int clock_parse(const char *s, enum clock_mode *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(clock_names); i++)
		if (s && !strcmp(s, clock_names[i])) {
			*out = (enum clock_mode)i;
			return 0;
		}
	return -EINVAL;
}

const char *clock_name(enum clock_mode c)
{
	return c < ARRAY_SIZE(clock_names) ? clock_names[c] : "?";
}

int clock_choose(enum clock_mode want, enum accel accel, enum clock_mode *out, char *reason,
		 int reason_len)
{
	if (accel == ACCEL_KVM && want == CLOCK_ICOUNT) {
		snprintf(reason, reason_len,
			 "clock icount needs TCG: under KVM the guest's instructions run natively "
			 "and QEMU cannot count them (use clock = host, or --accel tcg)");
		return -EINVAL;
	}
	if (accel == ACCEL_KVM) {
		*out = CLOCK_HOST;
		snprintf(reason, reason_len, "KVM: guest time is the host's");
	} else if (want == CLOCK_HOST) {
		*out = CLOCK_HOST;
		snprintf(reason, reason_len, "host clock requested: multi-threaded TCG");
	} else {
		*out = CLOCK_ICOUNT;
		snprintf(reason, reason_len, "%s: instruction count under TCG",
			 want == CLOCK_ICOUNT ? "icount requested" : "auto");
	}
	return 0;
}

const char *clock_note(enum clock_mode c, int shift, char *buf, int len)
{
	if (c == CLOCK_ICOUNT)
		snprintf(buf, len,
			 "instruction-count clock (QEMU -icount shift=%d,sleep=off, single-threaded "
			 "TCG): guest time is executed instructions x %d ns and idle time is "
			 "skipped, so figures measure the CPU work along the path and do not move "
			 "with host load; parallel speedup is not modelled (vCPUs run round-robin "
			 "on one host thread; spinning is counted)",
			 shift, 1 << shift);
	else
		snprintf(buf, len,
			 "host clock (multi-threaded TCG or KVM): guest time is the host's, so "
			 "figures include parallel speedup and move with host load");
	return buf;
}

/* Appends s to sb with every ',' doubled (QEMU option escaping). */
static void sb_put_escaped(struct sbuf *sb, const char *s)
{
	for (; *s; s++)
		sb_append(sb, *s == ',' ? ",," : s, *s == ',' ? 2 : 1);
}

static int push(char ***v, int *n, const char *s)
{
	char **nv = realloc(*v, sizeof(char *) * (*n + 2));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[(*n)++] = strdup(s);
	nv[*n] = NULL;
	return 0;
}

int qemu_build_argv(const struct qemu_cfg *c, char ***argv_out)
{
	struct sbuf sb = { 0 };
	char **v = NULL;
	char num[32];
	int n = 0;

	if (!c->xen || !c->kernel || !c->initrd || !c->ctl_socket || c->mem_mib <= 0 ||
	    c->smp <= 0 || (c->accel == ACCEL_KVM && c->clock == CLOCK_ICOUNT) ||
	    c->icount_shift < 0 || c->icount_shift > ICOUNT_SHIFT_MAX)
		return -EINVAL;
	push(&v, &n, c->qemu ? c->qemu : "qemu-system-x86_64");
	push(&v, &n, "-accel");
	if (c->accel == ACCEL_KVM) {
		push(&v, &n, "kvm");
	} else if (c->clock == CLOCK_ICOUNT) {
		/* icount excludes multi-threaded TCG ("No MTTCG when icount is enabled");
		 * sleep=off needs an explicit shift (qemu-system(1), QEMU 7.2). */
		push(&v, &n, "tcg,thread=single");
		push(&v, &n, "-icount");
		snprintf(num, sizeof(num), "shift=%d,sleep=off", c->icount_shift);
		push(&v, &n, num);
	} else {
		push(&v, &n, "tcg,thread=multi");
	}
	push(&v, &n, "-cpu");
	push(&v, &n, c->cpu ? c->cpu : c->accel == ACCEL_KVM ? "host" : QEMU_CPU_TCG);
	push(&v, &n, "-m");
	snprintf(num, sizeof(num), "%d", c->mem_mib);
	push(&v, &n, num);
	push(&v, &n, "-smp");
	snprintf(num, sizeof(num), "%d", c->smp);
	push(&v, &n, num);
	for (const char *const *a = (const char *const[]){ "-nodefaults", "-no-user-config",
							    "-display", "none", "-no-reboot",
							    "-serial", "stdio", "-monitor", "none",
							    NULL };
	     *a; a++)
		push(&v, &n, *a);
	push(&v, &n, "-kernel");
	push(&v, &n, c->xen);
	push(&v, &n, "-append");
	push(&v, &n, c->xen_cmdline ? c->xen_cmdline : XEN_CMDLINE_DEFAULT);
	/* multiboot modules: "kernel cmdline,initrd" with ',' escaped as ",," */
	sb_put_escaped(&sb, c->kernel);
	sb_puts(&sb, " ");
	sb_put_escaped(&sb, c->dom0_cmdline ? c->dom0_cmdline : DOM0_CMDLINE_DEFAULT);
	sb_puts(&sb, ",");
	sb_put_escaped(&sb, c->initrd);
	push(&v, &n, "-initrd");
	push(&v, &n, sb.buf);
	sb_reset(&sb);
	sb_puts(&sb, "socket,id=pvbctl,server=on,wait=off,path=");
	sb_put_escaped(&sb, c->ctl_socket);
	push(&v, &n, "-chardev");
	push(&v, &n, sb.buf);
	push(&v, &n, "-device");
	push(&v, &n, "virtio-serial-pci,id=vser0");
	push(&v, &n, "-device");
	push(&v, &n, "virtserialport,bus=vser0.0,chardev=pvbctl,name=" PVB_VIRTIO_PORT);
	if (c->share_dir) {
		sb_reset(&sb);
		sb_puts(&sb, "local,path=");
		sb_put_escaped(&sb, c->share_dir);
		sb_puts(&sb, ",mount_tag=pvbench-images,security_model=none,readonly=on");
		push(&v, &n, "-virtfs");
		push(&v, &n, sb.buf);
	}
	sb_free(&sb);
	*argv_out = v;
	return 0;
}

void qemu_argv_free(char **argv)
{
	for (char **a = argv; a && *a; a++)
		free(*a);
	free(argv);
}
