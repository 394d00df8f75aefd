/* metrics.h: generic measurement types shared by workload parsers, results.json and
 * statistics: a small fixed-size set of named numbers and the metadata (unit, which
 * direction is better) that a workload publishes for each metric it can produce.
 *
 * Metric names carry their unit as a suffix (reports/results-schema.md): _ns, _s,
 * _bytes, _bytes_per_s, _bits_per_s, _iops, _pct, _per_s (any rate); a plain count
 * (unit "count", e.g. iperf3's retransmits) has none. harness/tests/check_registry.c
 * holds every workload's metrics to this. */
#ifndef PVBENCH_METRICS_H
#define PVBENCH_METRICS_H

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#define METRIC_NAME_MAX 64 /* bytes, including the NUL */
#define METRIC_SET_MAX 64  /* metrics per repetition */

/* Which way a metric improves: IOPS and bandwidth are better higher, latency and
 * CPU use better lower. UNKNOWN (0, what a zeroed struct holds) only for results
 * loaded back whose metrics_meta and unit suffix say neither. */
enum metric_better {
	METRIC_BETTER_UNKNOWN,
	METRIC_HIGHER,
	METRIC_LOWER,
};

/* One row of a workload's metric table (e.g. fio_metrics in workloads/fio/fio.h). */
struct metric_meta {
	const char *name;	 /* "read_iops" */
	const char *unit;	 /* "IO/s", "bytes/s", "ns", "%" */
	enum metric_better better;
	const char *doc;	 /* one line, for `pvbench list` and reports */
};

/* The metrics of one repetition, in the order the parser produced them. */
struct metric_set {
	size_t n;
	struct metric {
		char name[METRIC_NAME_MAX];
		double value;
	} m[METRIC_SET_MAX];
};

static inline const struct metric *metric_set_find(const struct metric_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->m[i].name, name))
			return &s->m[i];
	return NULL;
}

/* Adds name=value. 0, -EINVAL (name empty or too long, value not finite), -EEXIST
 * (name already present) or -ENOSPC (set full). */
static inline int metric_set_add(struct metric_set *s, const char *name, double value)
{
	size_t len = strlen(name);

	if (!len || len >= METRIC_NAME_MAX || !isfinite(value))
		return -EINVAL;
	if (metric_set_find(s, name))
		return -EEXIST;
	if (s->n >= METRIC_SET_MAX)
		return -ENOSPC;
	memcpy(s->m[s->n].name, name, len + 1);
	s->m[s->n].value = value;
	s->n++;
	return 0;
}

/* Looks name up in a metadata table of n rows; NULL if absent. */
static inline const struct metric_meta *metric_meta_find(const struct metric_meta *t, size_t n,
							 const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

static inline const char *metric_better_str(enum metric_better b)
{
	return b == METRIC_HIGHER ? "higher" : "lower";
}

#endif
