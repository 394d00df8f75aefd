/* lat_stats.h: the statistics of the xenwatch workload, shared by the dom0 program
 * (workloads/xenwatch/guest/main.c, which computes them) and the host side
 * (xenwatch.h, whose tests check this very code): a summary of a set of times
 * (min, nearest-rank percentiles, max, mean) and a log2 histogram. Header-only, no
 * library dependencies; the percentile and the sort order are evtchn_percentile() and
 * evtchn_cmp_u64() (workloads/evtchn/rtt_stats.h: rank = ceil(per_mille * n / 1000) in
 * integer arithmetic, at least 1).
 *
 * Histogram buckets: bucket 0 holds the value 0, bucket b (1..64) holds the values
 * from 2^(b-1) to 2^b - 1, i.e. the values whose highest set bit is bit b - 1
 * (b = the number of significant bits). */
#ifndef PVBENCH_XENWATCH_LAT_STATS_H
#define PVBENCH_XENWATCH_LAT_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../evtchn/rtt_stats.h" /* evtchn_percentile(), evtchn_cmp_u64() */

#define XENWATCH_HIST_BUCKETS 65

/* Summary of n times (any unit; the program uses ns). All zero when n is 0. */
struct xenwatch_summary {
	size_t n;
	uint64_t min, p50, p90, p99, p99_9, max;
	double mean;
};

/* Sorts v[0..n-1] in place (ascending) and summarises it into *s. n below 2^54. */
static inline void xenwatch_summarize(uint64_t *v, size_t n, struct xenwatch_summary *s)
{
	double sum = 0;

	*s = (struct xenwatch_summary){.n = n};
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
