/* fio.h: the fio workload: its [workload] keys (fio_keys, declared in scenario.h),
 * the fio command line built from them, the parser of fio's JSON output into
 * metrics, and the metric table (units, which way is better).
 *
 * fio runs in the domU against the whole PV disk FIO_DEVICE as one reporting group;
 * see workloads/fio/README.md. */
#ifndef PVBENCH_FIO_H
#define PVBENCH_FIO_H

#include <stdbool.h>
#include <stddef.h>

#include "pvbench/metrics.h"
#include "pvbench/workload.h"
#include "pvbench/util.h"

#define FIO_DEVICE "/dev/xvda"
#define FIO_OUTPUT_MAX (16 << 20) /* bytes of fio output accepted */

/* Metrics fio_parse_json() can produce: <dir>_iops, <dir>_bw_bytes_per_s,
 * <dir>_clat_mean_ns, <dir>_clat_p50_ns, <dir>_clat_p99_ns, <dir>_clat_p99_9_ns for
 * dir = read, write; then cpu_usr_pct, cpu_sys_pct. */
/* Its [workload] keys (keys.h rows) and metrics (the registry row: fio_run.c). */
extern const struct scenario_key fio_keys[];
extern const size_t fio_n_keys;
extern const struct metric_meta fio_metrics[];
extern const size_t fio_n_metrics;

/* Appends the fio command line for variant v (NULL: the scenario's own values),
 * e.g. "fio --name=pvbench --filename=/dev/xvda --output-format=json ... --rw=randread
 * --bs=4k --iodepth=32 --numjobs=1 --runtime=10s --ramp_time=0s --direct=1
 * --ioengine=libaio". Words are separated by one space and contain only
 * [A-Za-z0-9=/_.,:-] (values were validated on load), so the line can be split on
 * spaces or given to a shell as is. quick: runtime = scenario.quick_runtime and no
 * ramp time. 0, -EINVAL (a required key is unset: the scenario was not loaded) or -ENOMEM. */
int fio_build_cmdline(const struct wl_values *vals, bool quick,
		      struct sbuf *out);

/* Parses fio --output-format=json output (untrusted: it comes from the guest) into
 * out (appended to; out->n is not reset). Lines before the JSON document (fio's
 * "note: ..." lines) and text after it are ignored. A direction (read, write) is
 * reported when its io_bytes > 0. Returns 0; -EINVAL for output that is not fio JSON
 * (truncated, missing or mistyped keys, no I/O done, more than one job) or -EIO when
 * fio reports a job error; err gets one line, e.g. "fio job 't' failed: error 2 (No
 * such file or directory)". err may be NULL. */
int fio_parse_json(const char *json, size_t len, struct metric_set *out, struct sbuf *err);

#endif
