/* rtt_stats.h: the nearest-rank percentile used for event-channel round-trip times
 * (and the ascending qsort() comparator of the values it takes) and the summary of
 * a set of times built on it (min, p50, p90, p99, p99.9, max, mean), shared by the guest program (workloads/evtchn/guest/main.c, which computes the
 * numbers) and the host side (evtchn.h, whose tests check it), and by the xenwatch
 * workload (workloads/xenwatch/lat_stats.h): one definition, no library
 * dependencies.
 *
 * Nearest-rank definition: the p-th percentile of n sorted values x[0] <= ... <=
 * x[n-1] is x[r - 1] with rank r = ceil(p / 100 * n), at least 1. It is always one of
 * the values (no interpolation); p = 100 is the maximum, the 0th is the minimum. p is
 * given in per mille (p50 = 500, p99 = 990, p99.9 = 999) so that the rank is computed
 * in exact integer arithmetic: r = ceil(per_mille * n / 1000). */
#ifndef PVBENCH_EVTCHN_RTT_STATS_H
#define PVBENCH_EVTCHN_RTT_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* qsort() comparator: uint64_t values, ascending. */
static inline int evtchn_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The per_mille-th per-mille nearest-rank percentile of sorted[0..n-1] (ascending);
 * per_mille above 1000 is taken as 1000. 0 when n is 0. n must be below 2^54. */
static inline uint64_t evtchn_percentile(const uint64_t *sorted, size_t n, unsigned per_mille)
{
	uint64_t rank;

	if (!n)
		return 0;
	if (per_mille > 1000)
		per_mille = 1000;
	rank = ((uint64_t)per_mille * n + 999) / 1000;
	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

/* Summary of n times (any unit; the programs use ns). All zero when n is 0. */
struct time_summary {
	size_t n;
	uint64_t min, p50, p90, p99, p99_9, max;
	double mean;
};

/* Sorts v[0..n-1] in place (ascending) and summarises it into *s. n below 2^54. */
static inline void time_summarize(uint64_t *v, size_t n, struct time_summary *s)
{
	double sum = 0;

	*s = (struct time_summary){.n = n};
	if (!n)
		return;
	qsort(v, n, sizeof(*v), evtchn_cmp_u64);
	for (size_t i = 0; i < n; i++)
		sum += (double)v[i];
	s->min = v[0];
	s->p50 = evtchn_percentile(v, n, 500);
	s->p90 = evtchn_percentile(v, n, 900);
	s->p99 = evtchn_percentile(v, n, 990);
	s->p99_9 = evtchn_percentile(v, n, 999);
	s->max = v[n - 1];
	s->mean = sum / n;
}

#endif
