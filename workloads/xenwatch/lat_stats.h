/* lat_stats.h: the statistics of the xenwatch workload, shared by the dom0 program
 * (workloads/xenwatch/guest/output.c, which computes them) and the host side
 * (xenwatch.h, whose tests check this very code): a log2 histogram of times. The
 * summary of a set of times (min, nearest-rank percentiles, max, mean) is
 * time_summarize() in workloads/evtchn/rtt_stats.h, shared with the evtchn workload
 * (rank = ceil(per_mille * n / 1000) in integer arithmetic, at least 1). Header-only,
 * no library dependencies.
 *
 * Histogram buckets: bucket 0 holds the value 0, bucket b (1..64) holds the values
 * from 2^(b-1) to 2^b - 1, i.e. the values whose highest set bit is bit b - 1
 * (b = the number of significant bits). */
#ifndef PVBENCH_XENWATCH_LAT_STATS_H
#define PVBENCH_XENWATCH_LAT_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../evtchn/rtt_stats.h" /* time_summarize(), evtchn_percentile() */

#define XENWATCH_HIST_BUCKETS 65

/* The histogram bucket of v: 0 for 0, else the number of significant bits (1..64). */
static inline unsigned xenwatch_hist_bucket(uint64_t v)
{
	return v ? 64 - (unsigned)__builtin_clzll(v) : 0;
}

/* Smallest and largest value of bucket b (0..64). */
static inline uint64_t xenwatch_hist_lo(unsigned b)
{
	return b ? (uint64_t)1 << (b - 1) : 0;
}

static inline uint64_t xenwatch_hist_hi(unsigned b)
{
	return b ? (b == 64 ? UINT64_MAX : ((uint64_t)1 << b) - 1) : 0;
}

/* Adds v[0..n-1] to counts[XENWATCH_HIST_BUCKETS] (not cleared first). */
static inline void xenwatch_hist_add(uint64_t counts[XENWATCH_HIST_BUCKETS], const uint64_t *v,
				     size_t n)
{
	for (size_t i = 0; i < n; i++)
		counts[xenwatch_hist_bucket(v[i])]++;
}

#endif
