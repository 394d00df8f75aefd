/* timeline.c: boot timeline bookkeeping, medians and output (see timeline.h). */
#include "pvbench/timeline.h"
#include "pvbench/util.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name, *label;
} marks[TL__COUNT] = {
	[TL_XEN_BANNER] = { "xen_banner", "Xen banner" },
	[TL_DOM0_KERNEL] = { "dom0_kernel", "dom0 kernel start" },
	[TL_DOM0_INIT] = { "dom0_init", "dom0 init" },
	[TL_TOOLSTACK_READY] = { "toolstack_ready", "toolstack ready" },
	[TL_XL_CREATE] = { "xl_create", "xl create issued" },
	[TL_DOMU_INIT] = { "domU_init", "domU init" },
	[TL_DOMU_READY] = { "domU_ready", "domU ready" },
	[TL_SHUTDOWN_DONE] = { "shutdown_done", "shutdown done" },
};

void timeline_init(struct timeline *tl)
{
	for (int i = 0; i < TL__COUNT; i++)
		tl->t[i] = -1;
}

void timeline_mark(struct timeline *tl, enum tl_mark m, double t)
{
	if (m < TL__COUNT && tl->t[m] < 0 && t >= 0)
		tl->t[m] = t;
}

const char *timeline_name(enum tl_mark m)
{
	return m < TL__COUNT ? marks[m].name : "?";
}

const char *timeline_label(enum tl_mark m)
{
	return m < TL__COUNT ? marks[m].label : "?";
}

double timeline_from_guest_clock(double h_sync, double g_sync, double g_event)
{
	if (h_sync < 0 || g_sync < 0 || g_event < 0 || g_event > g_sync)
		return -1;
	return h_sync - (g_sync - g_event);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void timeline_median(const struct timeline *tls, int n, struct timeline *out)
{
	double *v = calloc(n > 0 ? n : 1, sizeof(double));

	timeline_init(out);
	for (int m = 0; m < TL__COUNT && v; m++) {
		int k = 0;

		for (int i = 0; i < n; i++)
			if (tls[i].t[m] >= 0)
				v[k++] = tls[i].t[m];
		if (!k)
			continue;
		qsort(v, k, sizeof(double), cmp_double);
		out->t[m] = k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
	}
	free(v);
}

void timeline_print(const struct timeline *tl, FILE *f)
{
	double prev = 0;

	fprintf(f, "%-20s %9s %9s\n", "milestone", "t (s)", "delta (s)");
	for (int m = 0; m < TL__COUNT; m++) {
		if (tl->t[m] < 0) {
			fprintf(f, "%-20s %9s %9s\n", marks[m].label, "-", "-");
			continue;
		}
		fprintf(f, "%-20s %9.2f %9.2f\n", marks[m].label, tl->t[m], tl->t[m] - prev);
		prev = tl->t[m];
	}
}

json_t *timeline_to_json(const struct timeline *tl)
{
	json_t *o = json_object();
	char key[64];

	for (int m = 0; m < TL__COUNT; m++) {
		snprintf(key, sizeof(key), "%s_s", marks[m].name);
		json_object_set_new(o, key, tl->t[m] < 0 ? json_null() : json_real(tl->t[m]));
	}
	return o;
}
