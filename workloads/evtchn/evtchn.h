/* evtchn.h: the event-channel ping-pong workload: its [workload] keys (evtchn_keys,
 * declared in scenario.h), the command lines of the two sides of
 * build/guest/pvbench-evtchn built from them, the parser of its JSON output into
 * metrics, and the metric table (units, which way is better).
 *
 * `pvbench-evtchn serve` runs in the domU: it allocates one unbound event channel per
 * pair for dom0, publishes the ports in its xenstore directory and echoes every
 * notification. `pvbench-evtchn ping` runs in dom0: it binds to those ports and times
 * notify -> echo round trips, one thread per pair. The round trip crosses the
 * hypervisor's event-channel code and both kernels' event handling (FIFO or 2-level
 * ABI) and the evtchn device, with no data moved. See workloads/evtchn/README.md. */
#ifndef PVBENCH_EVTCHN_H
#define PVBENCH_EVTCHN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "pvbench/metrics.h"
#include "pvbench/workload.h"
#include "pvbench/util.h"
#include "rtt_stats.h" /* evtchn_percentile(), shared with the guest program */

#define EVTCHN_OUTPUT_MAX (1 << 20) /* bytes of pvbench-evtchn output accepted */
#define EVTCHN_SCHEMA "pvbench-evtchn/1"
#define EVTCHN_PAIRS_MAX 16
#define EVTCHN_QUICK_ROUND_TRIPS 1000 /* per pair, under --quick (at most round_trips) */
#define EVTCHN_QUICK_WARMUP 100	      /* per pair, under --quick (at most warmup) */

/* Metrics evtchn_parse_json() produces, in this order: rtt_min_ns, rtt_p50_ns,
 * rtt_p90_ns, rtt_p99_ns, rtt_p99_9_ns, rtt_max_ns, rtt_mean_ns (lower is better),
 * round_trips_per_s (higher is better). */
/* Its [workload] keys (keys.h rows) and metrics (the registry row: evtchn_run.c). */
extern const struct scenario_key evtchn_keys[];
extern const size_t evtchn_n_keys;
extern const struct metric_meta evtchn_metrics[];
extern const size_t evtchn_n_metrics;

/* Appends the domU side's command line for variant v (NULL: the scenario's own
 * values): "pvbench-evtchn serve --pairs K --timeout S", S = scenario.timeout rounded
 * up to whole seconds (the server gives up then if dom0 never says it is done).
 * 0, -EINVAL (a required key is unset: the scenario was not loaded) or -ENOMEM. quick is
 * accepted for symmetry and changes nothing. */
int evtchn_build_serve_cmdline(const struct wl_values *vals, bool quick,
			       struct sbuf *out);

/* Appends dom0's side for the server in domain domid:
 *   "pvbench-evtchn ping --domid 3 --pairs 2 --round-trips 10000 --warmup 1000"
 * then " --cpu C" when workload.cpu is set. round trips and warm-up are per pair;
 * quick: at most EVTCHN_QUICK_ROUND_TRIPS and EVTCHN_QUICK_WARMUP of them. Words are
 * separated by one space and contain only [a-z0-9-]. 0, -EINVAL (domid not 1..32751,
 * or a required key unset) or -ENOMEM. */
int evtchn_build_ping_cmdline(const struct wl_values *vals, bool quick,
			      long domid, struct sbuf *out);

/* Parses the JSON document `pvbench-evtchn ping` prints (untrusted: the timings
 * depend on the guest) into out (appended to; out->n is not reset):
 *   {"schema": "pvbench-evtchn/1", "pairs": K, "round_trips": total, "elapsed_s": s,
 *    "round_trips_per_s": r, "rtt_ns": {"min", "p50", "p90", "p99", "p99_9", "max",
 *    "mean"}}
 * Lines before the document and text after it are ignored; duplicate keys are not
 * accepted. pairs is an integer 1..16, round_trips a positive integer, elapsed_s
 * positive, every number finite and non-negative, and min <= p50 <= p90 <= p99 <=
 * p99_9 <= max with min <= mean <= max. Returns 0, or -EINVAL with one line in err
 * (may be NULL) for anything else; on error out is unchanged. series (may be NULL)
 * is not used: this workload has no per-interval series. */
int evtchn_parse_json(const char *json, size_t len, struct metric_set *out, struct sbuf *err,
		      json_t *series);

#endif
