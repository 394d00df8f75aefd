/* registry.c: the workloads pvbench can run, one row each (workload.h). The order is
 * that of `pvbench list`, scenario.workload's allowed values and the docs. Adding a
 * workload: its directory workloads/<name>/ (README.md, the code defining
 * <name>_workload) and one row below. */
#include "pvbench/workload.h"

#include <string.h>

#define WORKLOADS(X) X(fio) X(iperf3) X(evtchn) X(httperf) X(xenwatch)

#define DECLARE(name) extern const struct workload_ops name##_workload;
#define ROW(name) &name##_workload,
WORKLOADS(DECLARE)
static const struct workload_ops *const registry[] = { WORKLOADS(ROW) };

const struct workload_ops *workload_at(size_t i)
{
	return i < ARRAY_SIZE(registry) ? registry[i] : NULL;
}

const struct workload_ops *workload_find(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(registry); i++)
		if (!strcmp(registry[i]->name, name))
			return registry[i];
	return NULL;
}

bool workload_has_metric(const struct workload_ops *wl, const char *metric)
{
	for (size_t i = 0; wl && metric && i < *wl->n_metrics; i++)
		if (!strcmp(wl->metrics[i].name, metric))
			return true;
	return false;
}
