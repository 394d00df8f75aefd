/* console.h: recognising boot milestones and crashes in console output (the Xen
 * serial line, which carries Xen's and dom0's messages, and guest console logs).
 * Pure functions over one line of text; the table is in console.c. */
#ifndef PVBENCH_CONSOLE_H
#define PVBENCH_CONSOLE_H

#include <stdbool.h>

enum con_event {
	CE_NONE = 0,
	/* milestones (the first occurrence sets the timeline) */
	CE_XEN_BANNER,      /* "Xen version 4.17..." */
	CE_DOM0_KERNEL,     /* dom0 "Linux version ..." */
	CE_DOM0_INIT,       /* "pvbench-init: mounts" (dom0-init's first step) */
	CE_TOOLSTACK_READY, /* "pvbench-init: toolstack ready" */
	CE_DOMU_INIT,       /* "pvbench-domU: init at <uptime>" (guest console) */
	/* problems */
	CE_INIT_STEP_FAILED, /* "pvbench-init: FAILED: ..." */
	CE_XEN_PANIC,        /* "Panic on CPU" (Xen) */
	CE_KERNEL_PANIC,     /* "Kernel panic - not syncing" */
	CE_GUEST_CRASHED,    /* Xen "crashed", "Triple fault" */
	CE_KERNEL_OOPS,      /* "BUG:", "Oops:", "general protection fault" */
	CE__COUNT
};

struct con_match {
	enum con_event ev;
	const char *name; /* stable name, e.g. "xen_banner", "kernel_panic" */
	bool fatal;       /* the machine or guest is dead or unusable */
};

/* Matches one console line (without newline) against the table. Returns the first
 * matching entry's event (CE_NONE if none) and fills *m when m is non-NULL. */
enum con_event console_match(const char *line, struct con_match *m);

/* Name of an event, e.g. "dom0_kernel". */
const char *console_event_name(enum con_event ev);

/* For CE_DOMU_INIT lines: the guest uptime in seconds that follows "init at ";
 * -1 if absent or malformed. */
double console_domu_init_uptime(const char *line);

#endif
