/* timeline.h: boot timeline, seconds since QEMU started, per milestone; and the
 * median over several boots (for `boot --repeat`). */
#ifndef PVBENCH_TIMELINE_H
#define PVBENCH_TIMELINE_H

#include <jansson.h>
#include <stdio.h>

enum tl_mark {
	TL_XEN_BANNER,
	TL_DOM0_KERNEL,
	TL_DOM0_INIT,
	TL_TOOLSTACK_READY,
	TL_XL_CREATE,
	TL_DOMU_INIT,
	TL_DOMU_READY,
	TL_SHUTDOWN_DONE,
	TL__COUNT
};

/* t[i] < 0: milestone not reached. */
struct timeline {
	double t[TL__COUNT];
};

void timeline_init(struct timeline *tl);
/* Records the first time a mark is reached; later calls for the same mark are ignored. */
void timeline_mark(struct timeline *tl, enum tl_mark m, double t);
/* "xen_banner" etc. */
const char *timeline_name(enum tl_mark m);
/* Human label, e.g. "Xen banner". */
const char *timeline_label(enum tl_mark m);
/* Guest-clock conversion: a guest event at guest uptime g_event, given that the
 * guest reported uptime g_sync at host time h_sync, happened at host time
 * h_sync - (g_sync - g_event). Returns -1 when g_event > g_sync or inputs < 0. */
double timeline_from_guest_clock(double h_sync, double g_sync, double g_event);
/* Per-mark median over n timelines, ignoring unreached marks. */
void timeline_median(const struct timeline *tls, int n, struct timeline *out);
/* Aligned table: label, seconds, delta from the previous reached mark. */
void timeline_print(const struct timeline *tl, FILE *f);
/* {"xen_banner_s": 0.8, ...}; unreached marks are null. */
json_t *timeline_to_json(const struct timeline *tl);

#endif
