/* fio.c: the fio workload: [workload] keys, the fio command line and the parser of
 * fio's JSON output (untrusted guest output) into pvbench metrics. */
#include "fio.h"
#include "pvbench/toolout.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* [workload] keys of workload = fio; same columns as scenario.c's table. */
const struct scenario_key fio_keys[] = {
	{ "workload", "rw", ST_ENUM, NULL, "", "read|write|randread|randwrite|rw|readwrite|randrw",
	  0, 0, SK_REQUIRED, "fio", "I/O pattern (fio rw).", "randread" },
	{ "workload", "bs", ST_SIZE, "4k", "bytes", NULL, 512, 64L << 20, SK_SECTORS, "fio",
	  "Block size (fio bs).", "1M" },
	{ "workload", "iodepth", ST_INT, "1", "", NULL, 1, 4096, 0, "fio",
	  "I/Os in flight per job (fio iodepth).", "32" },
	{ "workload", "numjobs", ST_INT, "1", "", NULL, 1, 64, 0, "fio",
	  "Parallel jobs, reported as one group (fio numjobs, group_reporting).", "2" },
	{ "workload", "runtime", ST_DURATION, "10s", "s", NULL, 1000, 86400000, 0, "fio",
	  "Measured time of one repetition (fio runtime, time_based).", "30s" },
	{ "workload", "ramp_time", ST_DURATION, "0s", "s", NULL, 0, 3600000, 0, "fio",
	  "Warm-up before measuring (fio ramp_time).", "2s" },
	{ "workload", "size", ST_SIZE, NULL, "bytes", NULL, 512, 1L << 50, SK_SECTORS, "fio",
	  "Region of xvda used (fio size); unset: the whole disk.", "128M" },
	{ "workload", "rwmixread", ST_INT, NULL, "%", NULL, 0, 100, 0, "fio",
	  "Percentage of reads for rw, readwrite and randrw (fio rwmixread; fio's default 50).",
	  "70" },
	{ "workload", "direct", ST_BOOL, "true", "", NULL, 0, 0, 0, "fio",
	  "O_DIRECT, bypassing the domU page cache (fio direct).", "false" },
	{ "workload", "ioengine", ST_ENUM, "libaio", "", "libaio|io_uring|psync|sync", 0, 0, 0,
	  "fio", "fio ioengine; psync and sync cap iodepth at 1.", "io_uring" },
};
const size_t fio_n_keys = ARRAY_SIZE(fio_keys);

#define DIR_METRICS(dir)                                                                     \
	{ dir "_iops", "IO/s", METRIC_HIGHER, dir " I/O operations per second" },            \
	{ dir "_bw_bytes_per_s", "bytes/s", METRIC_HIGHER, dir " bandwidth" },               \
	{ dir "_clat_mean_ns", "ns", METRIC_LOWER, dir " completion latency, mean" },        \
	{ dir "_clat_p50_ns", "ns", METRIC_LOWER, dir " completion latency, median" },       \
	{ dir "_clat_p99_ns", "ns", METRIC_LOWER, dir " completion latency, 99th percentile" }, \
	{ dir "_clat_p99_9_ns", "ns", METRIC_LOWER,                                          \
	  dir " completion latency, 99.9th percentile" }

const struct metric_meta fio_metrics[] = {
	DIR_METRICS("read"),
	DIR_METRICS("write"),
	{ "cpu_usr_pct", "%", METRIC_LOWER, "fio's user CPU time, percent of runtime" },
	{ "cpu_sys_pct", "%", METRIC_LOWER, "fio's system CPU time, percent of runtime" },
};
const size_t fio_n_metrics = ARRAY_SIZE(fio_metrics);

/* ---- command line ---- */

enum conv {
	CONV_RAW,  /* value as written (validated: enum, size or integer) */
	CONV_BOOL, /* 0 or 1 */
	CONV_TIME, /* milliseconds -> "10s" or "1500ms" */
};

static const struct {
	const char *key, *opt;
	enum conv conv;
	bool optional; /* unset: left to fio */
} options[] = {
	{ "rw", "rw", CONV_RAW, false },	     { "bs", "bs", CONV_RAW, false },
	{ "iodepth", "iodepth", CONV_RAW, false },   { "numjobs", "numjobs", CONV_RAW, false },
	{ "runtime", "runtime", CONV_TIME, false },  { "ramp_time", "ramp_time", CONV_TIME, false },
	{ "size", "size", CONV_RAW, true },	     { "rwmixread", "rwmixread", CONV_RAW, true },
	{ "direct", "direct", CONV_BOOL, false },    { "ioengine", "ioengine", CONV_RAW, false },
};

static int add_time(struct sbuf *out, const char *opt, long ms)
{
	if (ms % 1000)
		return sb_printf(out, " --%s=%ldms", opt, ms);
	return sb_printf(out, " --%s=%lds", opt, ms / 1000);
}

static int add_option(const struct wl_values *vals, size_t i, bool quick, struct sbuf *out)
{
	const char *sec = "workload", *key = options[i].key, *val;
	long n;

	if (quick && !strcmp(key, "ramp_time"))
		return add_time(out, options[i].opt, 0);
	if (quick && !strcmp(key, "runtime")) {
		sec = "scenario";
		key = "quick_runtime";
	}
	val = wl_get(vals, sec, key);
	if (!val)
		return options[i].optional ? 0 : -EINVAL;
	if (options[i].conv == CONV_RAW)
		return sb_printf(out, " --%s=%s", options[i].opt, val);
	/* the key's own type: direct is a bool, runtime and quick_runtime durations */
	if (wl_get_long(vals, sec, key, &n))
		return -EINVAL;
	if (options[i].conv == CONV_BOOL)
		return sb_printf(out, " --%s=%ld", options[i].opt, n);
	return add_time(out, options[i].opt, n);
}

int fio_build_cmdline(const struct wl_values *vals, bool quick,
		      struct sbuf *out)
{
	int rc = sb_puts(out, "fio --name=pvbench --filename=" FIO_DEVICE
			      " --output-format=json --eta=never --group_reporting --time_based");

	for (size_t i = 0; !rc && i < ARRAY_SIZE(options); i++)
		rc = add_option(vals, i, quick, out);
	return rc;
}

/* ---- JSON output ---- */

/* Where each per-direction metric is, below jobs[0].<dir>. */
static const struct {
	const char *suffix;
	const char *path[3];
} dir_fields[] = {
	{ "iops", { "iops" } },
	{ "bw_bytes_per_s", { "bw_bytes" } },
	{ "clat_mean_ns", { "clat_ns", "mean" } },
	{ "clat_p50_ns", { "clat_ns", "percentile", "50.000000" } },
	{ "clat_p99_ns", { "clat_ns", "percentile", "99.000000" } },
	{ "clat_p99_9_ns", { "clat_ns", "percentile", "99.900000" } },
};

static const char *const dirs[] = { "read", "write" };

static const struct {
	const char *name, *key;
} job_fields[] = {
	{ "cpu_usr_pct", "usr_cpu" },
	{ "cpu_sys_pct", "sys_cpu" },
};

/* A non-negative finite number at obj.path[0].path[1]...; -EINVAL if absent. */
static int number_at(json_t *obj, const char *const *path, size_t n, double *out)
{
	for (size_t i = 0; i < n && path[i]; i++)
		obj = json_is_object(obj) ? json_object_get(obj, path[i]) : NULL;
	if (!json_is_number(obj))
		return -EINVAL;
	*out = json_number_value(obj);
	return isfinite(*out) && *out >= 0 ? 0 : -EINVAL;
}

static int parse_dir(json_t *job, const char *dir, struct metric_set *out, bool *did_io,
		     struct sbuf *err)
{
	static const char *const io_bytes[] = { "io_bytes" };
	json_t *d = json_object_get(job, dir);
	char name[METRIC_NAME_MAX];
	double v;
	int rc = 0;

	if (number_at(d, io_bytes, 1, &v))
		return sb_fail(err, -EINVAL,
			       "missing or invalid 'jobs[0].%s.io_bytes' in fio output", dir);
	if (v == 0)
		return 0;
	*did_io = true;
	for (size_t i = 0; !rc && i < ARRAY_SIZE(dir_fields); i++) {
		const char *const *p = dir_fields[i].path;

		if (number_at(d, p, 3, &v))
			return sb_fail(err, -EINVAL,
				       "missing or invalid 'jobs[0].%s.%s%s%s%s%s' in fio output",
				       dir, p[0], p[1] ? "." : "", p[1] ? p[1] : "",
				       p[2] ? "." : "", p[2] ? p[2] : "");
		snprintf(name, sizeof(name), "%s_%s", dir, dir_fields[i].suffix);
		rc = tool_metric_add(out, name, v, err);
	}
	return rc;
}

/* jobs[0], after checking fio's own error field. */
static int the_job(json_t *root, json_t **job, struct sbuf *err)
{
	json_t *jobs = json_object_get(root, "jobs"), *name, *e;
	char clean_name[96];
	long code;

	if (!json_is_array(jobs) || json_array_size(jobs) != 1 ||
	    !json_is_object(json_array_get(jobs, 0)))
		return sb_fail(err, -EINVAL, "expected one job in fio output, found %zu",
			       json_is_array(jobs) ? json_array_size(jobs) : 0);
	*job = json_array_get(jobs, 0);
	e = json_object_get(*job, "error");
	if (!json_is_integer(e))
		return sb_fail(err, -EINVAL, "missing or invalid 'jobs[0].error' in fio output");
	code = json_integer_value(e);
	if (!code)
		return 0;
	name = json_object_get(*job, "jobname");
	tool_text_clean(clean_name, sizeof(clean_name),
			json_is_string(name) ? json_string_value(name) : "?",
			json_is_string(name) ? json_string_length(name) : 1, 80);
	return sb_fail(err, -EIO, "fio job '%s' failed: error %ld (%s)", clean_name, code,
		       code > 0 && code < 4096 ? strerror(code) : "unknown");
}

static int parse_root(json_t *root, struct metric_set *out, struct sbuf *err)
{
	size_t start = out->n;
	bool did_io = false;
	json_t *job = NULL;
	double v;
	int rc = the_job(root, &job, err);

	for (size_t i = 0; !rc && i < ARRAY_SIZE(dirs); i++)
		rc = parse_dir(job, dirs[i], out, &did_io, err);
	for (size_t i = 0; !rc && i < ARRAY_SIZE(job_fields); i++) {
		if (number_at(job, &job_fields[i].key, 1, &v))
			rc = sb_fail(err, -EINVAL, "missing or invalid 'jobs[0].%s' in fio output",
				     job_fields[i].key);
		else
			rc = tool_metric_add(out, job_fields[i].name, v, err);
	}
	if (!rc && !did_io)
		rc = sb_fail(err, -EINVAL, "fio did no I/O (io_bytes is 0 in every direction)");
	if (rc)
		out->n = start;
	return rc;
}

int fio_parse_json(const char *json, size_t len, struct metric_set *out, struct sbuf *err)
{
	json_t *root;
	int rc = tool_json_load("fio", json, len, FIO_OUTPUT_MAX, 0, &root, err);

	if (!rc)
		rc = parse_root(root, out, err);
	json_decref(root);
	return rc;
}
