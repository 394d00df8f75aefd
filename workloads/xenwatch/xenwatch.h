/* xenwatch.h: the xenwatch-under-a-guest-storm workload: its [workload] keys
 * (xenwatch_keys, declared in scenario.h), the command line of
 * build/guest/pvbench-xenwatch built from them, the parser of its JSON output into
 * metrics, and the metric table (units, which way is better).
 *
 * `pvbench-xenwatch` runs in dom0. It registers W xenstore watches through the
 * kernel's xenbus device (/dev/xen/xenbus, so every event is delivered by Linux's
 * single "xenwatch" kthread: drivers/xen/xenbus/xenbus_dev_frontend.c watch_fired)
 * and times write -> event for its own writes while N tiny PV guests are created and
 * destroyed in a loop by N worker processes (`xl create` / `xl destroy`). See
 * workloads/xenwatch/README.md. */
#ifndef PVBENCH_XENWATCH_H
#define PVBENCH_XENWATCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "lat_stats.h" /* time_summarize(), the histogram; shared with the program */
#include "pvbench/metrics.h"
#include "pvbench/workload.h"
#include "pvbench/util.h"

#define XENWATCH_OUTPUT_MAX (1 << 20) /* bytes of pvbench-xenwatch output accepted */
#define XENWATCH_SCHEMA "pvbench-xenwatch/1"
#define XENWATCH_TRANSPORT "/dev/xen/xenbus"
/* C xenstored limits an unprivileged domain to 128 watches (-W, xenstored_core.c:106,
 * quota checked only for unprivileged domains, xenstored_domain.c:1222-1227) and
 * oxenstored to 100 (oxenstored.conf quota-maxwatch); dom0 is privileged, so the
 * bound is ours: the smaller of the two. */
#define XENWATCH_WATCHES_MAX 100
#define XENWATCH_GUESTS_MAX 32
#define XENWATCH_QUICK_SAMPLES 200 /* under --quick (at most samples) */
#define XENWATCH_QUICK_WARMUP 20   /* under --quick (at most warmup) */
/* The tiny guest, as the image build installs it in dom0. */
#define XENWATCH_KERNEL "/var/lib/pvbench/domU/vmlinux"
#define XENWATCH_RAMDISK "/var/lib/pvbench/domU/tiny.cpio"
#define XENWATCH_BRIDGE "xenbr0"

/* Metrics xenwatch_parse_json() produces, in this order: watch_p50_ns,
 * watch_p90_ns, watch_p99_ns, watch_p99_9_ns, watch_max_ns, watch_mean_ns (lower is
 * better); then, only when guests > 0: xl_create_mean_s, xl_create_p50_s,
 * xl_destroy_mean_s (lower is better) and storm_cycles_per_s (higher is better). */
/* Its [workload] keys (keys.h rows) and metrics (the registry row: xenwatch_run.c). */
extern const struct scenario_key xenwatch_keys[];
extern const size_t xenwatch_n_keys;
extern const struct metric_meta xenwatch_metrics[];
extern const size_t xenwatch_n_metrics;

/* Appends the dom0 command line for variant v (NULL: the scenario's own values):
 *   "pvbench-xenwatch --watches 8 --samples 2000 --warmup 100 --interval-ms 0
 *    --timeout 75"
 * then, when guests > 0, " --guests N --kernel XENWATCH_KERNEL --ramdisk
 * XENWATCH_RAMDISK --memory M" and " --vif --bridge xenbr0" when guest_vif is true.
 * --timeout (the limit of each wait: the storm's start, one xl command, one watch
 * event) is scenario.timeout / 4 rounded up to whole seconds. quick: at most
 * XENWATCH_QUICK_SAMPLES samples and XENWATCH_QUICK_WARMUP warm-up samples. Words are
 * separated by one space. 0, -EINVAL (a required key is unset: the scenario was not loaded) or
 * -ENOMEM. */
int xenwatch_build_cmdline(const struct wl_values *vals, bool quick,
			   struct sbuf *out);

/* Parses the JSON document pvbench-xenwatch prints (untrusted: it comes from dom0
 * and the timings depend on the guests) into out (appended to; out->n is not reset):
 *   {"schema": "pvbench-xenwatch/1", "watches": W, "guests": N,
 *    "transport": "/dev/xen/xenbus", "samples": S, "elapsed_s": s,
 *    "latency_ns": {"min", "p50", "p90", "p99", "p99_9", "max", "mean"},
 *    "latency_hist_ns": [{"lo", "hi", "n"}, ...],
 *    "xl_create_s": {"n", "min", "p50", "max", "mean"} or {"n": 0} (null when N = 0),
 *    "xl_destroy_s": the same, "storm_cycles": c, "storm_cycles_total": t,
 *    "create_failures": f, "destroy_failures": f, "stray_events": n,
 *    "errors": ["...", ...]}
 * Lines before the document and text after it are ignored; duplicate keys are not
 * accepted. watches is an integer 1..100, guests 0..32, samples positive, the counts
 * non-negative integers, storm_cycles <= storm_cycles_total, transport exactly
 * XENWATCH_TRANSPORT, elapsed_s positive, every number finite and non-negative,
 * min <= p50 <= p90 <= p99 <= p99_9 <= max and min <= mean <= max (likewise for the
 * xl times), the histogram's buckets ascending, each lo <= hi, n positive, their n
 * summing to samples. -EINVAL with one line in err (may be NULL) for anything else.
 * -EIO with the program's own message when the document has an "error" string
 * (the program failed), or when guests > 0 and no xl create or no xl destroy
 * succeeded, or create_failures > 0 and no create/destroy cycle completed (the storm
 * did not happen: the first of "errors" is quoted). On error out is unchanged.
 * series (may be NULL) is not used: this workload has no per-interval series. */
int xenwatch_parse_json(const char *json, size_t len, struct metric_set *out, struct sbuf *err,
			json_t *series);

#endif
