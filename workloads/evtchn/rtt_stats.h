/* rtt_stats.h: the nearest-rank percentile used for event-channel round-trip times
 * (and the ascending qsort() comparator of the values it takes),
 * shared by the guest program (workloads/evtchn/guest/main.c, which computes the
 * numbers) and the host side (evtchn.h, whose tests check it): one definition, no
 * library dependencies.
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

#endif
