/* console.c: the console pattern table: boot milestones and crash signatures in
 * Xen serial and guest console lines (see console.h). Sources of the crash strings:
 * Xen xen/drivers/char/console.c panic() ("Panic on CPU"), xen/arch/x86/hvm/hvm.c
 * ("Triple fault"), xen/common/domain.c domain_crash ("crashed"); Linux
 * kernel/panic.c ("Kernel panic - not syncing"), arch/x86/kernel/dumpstack.c. */
#include "pvbench/console.h"
#include "pvbench/util.h"

#include <stdlib.h>
#include <string.h>

static const struct con_pattern {
	enum con_event ev;
	const char *name;
	const char *needle; /* substring */
	const char *also;   /* second substring required on the line, or NULL */
	bool fatal;
} patterns[] = {
	{ CE_XEN_BANNER, "xen_banner", "Xen version 4.", NULL, false },
	{ CE_DOM0_KERNEL, "dom0_kernel", "Linux version ", NULL, false },
	{ CE_DOM0_INIT, "dom0_init", "pvbench-init: mounts", NULL, false },
	{ CE_TOOLSTACK_READY, "toolstack_ready", "pvbench-init: toolstack ready", NULL, false },
	{ CE_DOMU_INIT, "domU_init", "pvbench-domU: init at ", NULL, false },
	{ CE_INIT_STEP_FAILED, "init_step_failed", "pvbench-init: FAILED:", NULL, false },
	{ CE_XEN_PANIC, "xen_panic", "Panic on CPU", NULL, true },
	{ CE_KERNEL_PANIC, "kernel_panic", "Kernel panic - not syncing", NULL, true },
	{ CE_GUEST_CRASHED, "guest_crashed", "Triple fault", NULL, true },
	{ CE_GUEST_CRASHED, "guest_crashed", "(XEN)", " crashed", true },
	{ CE_KERNEL_OOPS, "kernel_oops", "BUG: unable to handle", NULL, false },
	{ CE_KERNEL_OOPS, "kernel_oops", "general protection fault", NULL, false },
	{ CE_KERNEL_OOPS, "kernel_oops", "Oops: ", NULL, false },
};

enum con_event console_match(const char *line, struct con_match *m)
{
	for (size_t i = 0; i < ARRAY_SIZE(patterns); i++) {
		const struct con_pattern *p = &patterns[i];

		if (!strstr(line, p->needle) || (p->also && !strstr(line, p->also)))
			continue;
		if (m)
			*m = (struct con_match){ p->ev, p->name, p->fatal };
		return p->ev;
	}
	if (m)
		*m = (struct con_match){ CE_NONE, "none", false };
	return CE_NONE;
}

const char *console_event_name(enum con_event ev)
{
	for (size_t i = 0; i < ARRAY_SIZE(patterns); i++)
		if (patterns[i].ev == ev)
			return patterns[i].name;
	return "none";
}

double console_domu_init_uptime(const char *line)
{
	const char *p = strstr(line, "pvbench-domU: init at ");
	char *end;
	double v;

	if (!p)
		return -1;
	p += strlen("pvbench-domU: init at ");
	v = strtod(p, &end);
	if (end == p || v < 0)
		return -1;
	return v;
}
