/* xenwatch.c: the xenwatch-under-a-guest-storm workload: [workload] keys, the command
 * line of pvbench-xenwatch and the parser of its JSON output (untrusted: the timings
 * depend on dom0 and the guests) into pvbench metrics. The statistics the program
 * computes are in lat_stats.h. */
#include "xenwatch.h"
#include "pvbench/toolout.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* [workload] keys of workload = xenwatch; same columns as scenario_keys.c's table. */
const struct scenario_key xenwatch_keys[] = {
    {"workload", "guests", ST_INT, "0", "", NULL, 0, XENWATCH_GUESTS_MAX, 0, "xenwatch",
     "Tiny PV guests (pvbench-tiny-<k>) created and destroyed in a loop, one dom0 worker "
     "process each, while the watches are timed; 0: no storm (the baseline).",
     "8"},
    {"workload", "watches", ST_INT, "8", "", NULL, 1, XENWATCH_WATCHES_MAX, 0, "xenwatch",
     "xenstore watches registered through /dev/xen/xenbus (one key each, written in turn); "
     "at most 100, oxenstored's quota-maxwatch (C xenstored allows 128 per unprivileged "
     "domain; dom0 is privileged).",
     "32"},
    {"workload", "samples", ST_INT, "2000", "", NULL, 1, 1000000, 0, "xenwatch",
     "Timed write -> watch event samples, round-robin over the watches; at most 200 under "
     "--quick.",
     "5000"},
    {"workload", "warmup_samples", ST_INT, "100", "", NULL, 0, 1000000, 0, "xenwatch",
     "Untimed samples before the timed ones (after the storm is up); at most 20 under "
     "--quick.",
     "500"},
    {"workload", "interval_ms", ST_INT, "0", "ms", NULL, 0, 60000, 0, "xenwatch",
     "Pause between samples (ms); stretches the timed phase over more create/destroy "
     "cycles.",
     "10"},
    {"workload", "guest_memory", ST_INT, "128", "MiB", NULL, 64, 4096, 0, "xenwatch",
     "Memory of each tiny guest (xl memory=). At least 64: the Debian 6.1 domU kernel "
     "(an ELF vmlinux) needs about 57 MiB loaded, so 32 MiB guests cannot boot it.",
     "96"},
    {"workload", "guest_vif", ST_BOOL, "true", "", NULL, 0, 0, 0, "xenwatch",
     "Give each tiny guest a vif on xenbr0 (netback, hotplug script and more xenstore "
     "traffic per cycle).",
     "false"},
};
const size_t xenwatch_n_keys = ARRAY_SIZE(xenwatch_keys);

const struct metric_meta xenwatch_metrics[] = {
    {"watch_p50_ns", "ns", METRIC_LOWER, "median xs_write -> watch event (nearest rank)"},
    {"watch_p90_ns", "ns", METRIC_LOWER, "90th percentile xs_write -> watch event"},
    {"watch_p99_ns", "ns", METRIC_LOWER, "99th percentile xs_write -> watch event"},
    {"watch_p99_9_ns", "ns", METRIC_LOWER, "99.9th percentile xs_write -> watch event"},
    {"watch_max_ns", "ns", METRIC_LOWER, "longest xs_write -> watch event"},
    {"watch_mean_ns", "ns", METRIC_LOWER, "mean xs_write -> watch event"},
    {"xl_create_mean_s", "s", METRIC_LOWER, "mean xl create of a tiny guest under the storm"},
    {"xl_create_p50_s", "s", METRIC_LOWER, "median xl create of a tiny guest (nearest rank)"},
    {"xl_destroy_mean_s", "s", METRIC_LOWER, "mean xl destroy of a tiny guest"},
    {"storm_cycles_per_s", "1/s", METRIC_HIGHER,
     "create+destroy cycles (all workers) that ended during the timed phase, per second"},
};
const size_t xenwatch_n_metrics = ARRAY_SIZE(xenwatch_metrics);

/* ---- command line ---- */

static int get_long(const struct wl_values *vals, const char *key, long *out)
{
	const char *sect = strcmp(key, "timeout") ? "workload" : "scenario";

	return wl_get_long(vals, sect, key, out);
}

int xenwatch_build_cmdline(const struct wl_values *vals, bool quick,
			   struct sbuf *out)
{
	long guests, watches, samples, warm, interval, mem, vif, timeout_ms;
	int rc;

	if (get_long(vals, "guests", &guests) || get_long(vals, "watches", &watches) ||
	    get_long(vals, "samples", &samples) || get_long(vals, "warmup_samples", &warm) ||
	    get_long(vals, "interval_ms", &interval) || get_long(vals, "guest_memory", &mem) ||
	    get_long(vals, "guest_vif", &vif) || get_long(vals, "timeout", &timeout_ms) ||
	    timeout_ms < 1)
		return -EINVAL;
	if (quick) {
		samples = samples < XENWATCH_QUICK_SAMPLES ? samples : XENWATCH_QUICK_SAMPLES;
		warm = warm < XENWATCH_QUICK_WARMUP ? warm : XENWATCH_QUICK_WARMUP;
	}
	rc =
	    sb_printf(out,
		      "pvbench-xenwatch --watches %ld --samples %ld --warmup %ld --interval-ms %ld "
		      "--timeout %ld",
		      watches, samples, warm, interval, (timeout_ms + 3999) / 4000);
	if (!rc && guests > 0)
		rc = sb_printf(out,
			       " --guests %ld --kernel " XENWATCH_KERNEL
			       " --ramdisk " XENWATCH_RAMDISK " --memory %ld",
			       guests, mem);
	if (!rc && guests > 0 && vif)
		rc = sb_puts(out, " --vif --bridge " XENWATCH_BRIDGE);
	return rc;
}

/* ---- JSON output ---- */

/* A finite, non-negative number at obj[key]. */
static int number(json_t *obj, const char *prefix, const char *key, double *out, struct sbuf *err)
{
	json_t *j = json_object_get(obj, key);

	if (json_is_number(j)) {
		*out = json_number_value(j);
		if (isfinite(*out) && *out >= 0)
			return 0;
	}
	return sb_fail(err, -EINVAL, "missing or invalid '%s%s' in pvbench-xenwatch output", prefix,
		       key);
}

/* An integer min..max at obj[key]. */
static int integer(json_t *obj, const char *key, long min, long max, long *out, struct sbuf *err)
{
	json_t *j = json_object_get(obj, key);

	if (!json_is_integer(j) || json_integer_value(j) < min || json_integer_value(j) > max)
		return sb_fail(err, -EINVAL,
			       "missing or invalid '%s' in pvbench-xenwatch output (expected an "
			       "integer from %ld to %ld)",
			       key, min, max);
	*out = (long)json_integer_value(j);
	return 0;
}

/* A printable excerpt of string j (at most 200 characters) into buf. */
static const char *text(json_t *j, char *buf, size_t len)
{
	if (!json_is_string(j))
		return "no message";
	tool_text_clean(buf, len, json_string_value(j), json_string_length(j), 200);
	return buf;
}

/* n numbers of obj named keys[], in order keys[0] <= ... <= keys[n_ordered - 1], the
 * last one (the mean) within keys[0]..keys[n_ordered - 1]. */
static int ordered(json_t *obj, const char *name, const char *const *keys, size_t n, double *v,
		   struct sbuf *err)
{
	char prefix[32];
	int rc;

	if (!json_is_object(obj))
		return sb_fail(err, -EINVAL, "missing or invalid '%s' in pvbench-xenwatch output",
			       name);
	snprintf(prefix, sizeof(prefix), "%s.", name);
	for (size_t i = 0; i < n; i++)
		if ((rc = number(obj, prefix, keys[i], &v[i], err)))
			return rc;
	for (size_t i = 1; i + 1 < n; i++)
		if (v[i] < v[i - 1])
			return sb_fail(err, -EINVAL,
				       "inconsistent pvbench-xenwatch output: %s.%s < %s.%s", name,
				       keys[i], name, keys[i - 1]);
	if (v[n - 1] < v[0] || v[n - 1] > v[n - 2])
		return sb_fail(err, -EINVAL,
			       "inconsistent pvbench-xenwatch output: %s.mean outside min..max",
			       name);
	return 0;
}

/* The histogram: ascending buckets, lo <= hi, n > 0, sum of n = samples. */
static int histogram(json_t *root, long samples, struct sbuf *err)
{
	json_t *h = json_object_get(root, "latency_hist_ns"), *b;
	double prev_hi = -1, sum = 0;
	size_t i;

	if (!json_is_array(h))
		return sb_fail(err, -EINVAL,
			       "missing or invalid 'latency_hist_ns' in pvbench-xenwatch output");
	json_array_foreach(h, i, b)
	{
		json_t *lo = json_object_get(b, "lo"), *hi = json_object_get(b, "hi");
		json_t *n = json_object_get(b, "n");

		if (!json_is_integer(lo) || !json_is_integer(hi) || !json_is_integer(n) ||
		    json_integer_value(lo) < 0 || json_integer_value(hi) < json_integer_value(lo) ||
		    json_integer_value(n) < 1 || (double)json_integer_value(lo) <= prev_hi)
			return sb_fail(
			    err, -EINVAL,
			    "invalid bucket %zu of 'latency_hist_ns' in pvbench-xenwatch "
			    "output",
			    i);
		prev_hi = (double)json_integer_value(hi);
		sum += (double)json_integer_value(n);
	}
	if (sum != (double)samples)
		return sb_fail(err, -EINVAL,
			       "inconsistent pvbench-xenwatch output: latency_hist_ns counts %.0f "
			       "samples, not %ld",
			       sum, samples);
	return 0;
}

static const char *const lat_keys[] = {"min", "p50", "p90", "p99", "p99_9", "max", "mean"};
static const char *const xl_keys[] = {"min", "p50", "max", "mean"};

/* xl_create_s or xl_destroy_s: null without guests; else {"n": 0} or the summary. */
static int xl_times(json_t *root, const char *name, long guests, long *n, double *v,
		    struct sbuf *err)
{
	json_t *o = json_object_get(root, name);

	*n = 0;
	if (!guests) {
		if (!json_is_null(o))
			return sb_fail(err, -EINVAL,
				       "invalid '%s' in pvbench-xenwatch output (null expected "
				       "without guests)",
				       name);
		return 0;
	}
	if (!json_is_object(o) || !json_is_integer(json_object_get(o, "n")) ||
	    json_integer_value(json_object_get(o, "n")) < 0)
		return sb_fail(err, -EINVAL,
			       "missing or invalid '%s' or '%s.n' in pvbench-xenwatch output", name,
			       name);
	*n = (long)json_integer_value(json_object_get(o, "n"));
	return *n ? ordered(o, name, xl_keys, ARRAY_SIZE(xl_keys), v, err) : 0;
}

/* The counts: storm_cycles, storm_cycles_total, create_failures, destroy_failures,
 * stray_events; and "errors", an array of strings. */
static int counts(json_t *root, long *c, struct sbuf *err)
{
	static const char *const keys[] = {"storm_cycles", "storm_cycles_total", "create_failures",
					   "destroy_failures", "stray_events"};
	json_t *errors = json_object_get(root, "errors"), *e;
	size_t i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if ((rc = integer(root, keys[i], 0, 1L << 40, &c[i], err)))
			return rc;
	if (c[0] > c[1])
		return sb_fail(err, -EINVAL,
			       "inconsistent pvbench-xenwatch output: storm_cycles > "
			       "storm_cycles_total");
	if (!json_is_array(errors))
		return sb_fail(err, -EINVAL,
			       "missing or invalid 'errors' in pvbench-xenwatch output");
	json_array_foreach(errors, i, e)
	{
		if (!json_is_string(e))
			return sb_fail(err, -EINVAL,
				       "invalid 'errors' in pvbench-xenwatch output (strings "
				       "expected)");
	}
	return 0;
}

struct doc {
	long watches, guests, samples, xl_n[2], c[5];
	double elapsed, lat[ARRAY_SIZE(lat_keys)], xl[2][ARRAY_SIZE(xl_keys)];
};

static int check_schema(json_t *root, struct sbuf *err)
{
	json_t *schema = json_object_get(root, "schema"), *error = json_object_get(root, "error");
	char buf[256];

	if (!json_is_string(schema))
		return sb_fail(err, -EINVAL,
			       "missing or invalid 'schema' in pvbench-xenwatch output");
	if (strcmp(json_string_value(schema), XENWATCH_SCHEMA)) {
		tool_text_clean(buf, sizeof(buf), json_string_value(schema),
				json_string_length(schema), 32);
		return sb_fail(err, -EINVAL,
			       "unsupported schema '%s' in pvbench-xenwatch output (expected %s)",
			       buf, XENWATCH_SCHEMA);
	}
	if (error)
		return sb_fail(err, -EIO, "pvbench-xenwatch failed: %s",
			       text(error, buf, sizeof(buf)));
	return 0;
}

static int check_transport(json_t *root, struct sbuf *err)
{
	json_t *t = json_object_get(root, "transport");
	char buf[256];

	if (!json_is_string(t))
		return sb_fail(err, -EINVAL,
			       "missing or invalid 'transport' in pvbench-xenwatch output");
	if (strcmp(json_string_value(t), XENWATCH_TRANSPORT))
		return sb_fail(err, -EINVAL,
			       "pvbench-xenwatch used transport '%s', not " XENWATCH_TRANSPORT
			       ": its watches did not go through the xenwatch thread",
			       text(t, buf, sizeof(buf)));
	return 0;
}

/* Everything but the metrics. */
static int check_doc(json_t *root, struct doc *d, struct sbuf *err)
{
	int rc;

	if ((rc = check_schema(root, err)) || (rc = check_transport(root, err)) ||
	    (rc = integer(root, "watches", 1, XENWATCH_WATCHES_MAX, &d->watches, err)) ||
	    (rc = integer(root, "guests", 0, XENWATCH_GUESTS_MAX, &d->guests, err)) ||
	    (rc = integer(root, "samples", 1, 1L << 40, &d->samples, err)) ||
	    (rc = number(root, "", "elapsed_s", &d->elapsed, err)))
		return rc;
	if (d->elapsed <= 0)
		return sb_fail(err, -EINVAL,
			       "invalid 'elapsed_s' in pvbench-xenwatch output (must be positive)");
	if ((rc = ordered(json_object_get(root, "latency_ns"), "latency_ns", lat_keys,
			  ARRAY_SIZE(lat_keys), d->lat, err)) ||
	    (rc = histogram(root, d->samples, err)) ||
	    (rc = xl_times(root, "xl_create_s", d->guests, &d->xl_n[0], d->xl[0], err)) ||
	    (rc = xl_times(root, "xl_destroy_s", d->guests, &d->xl_n[1], d->xl[1], err)) ||
	    (rc = counts(root, d->c, err)))
		return rc;
	return 0;
}

/* -EIO when there were guests but no storm: no create or no destroy succeeded, or
 * creates failed and no cycle completed. */
static int check_storm(json_t *root, const struct doc *d, struct sbuf *err)
{
	json_t *first = json_array_get(json_object_get(root, "errors"), 0);
	char buf[256];

	if (!d->guests)
		return 0;
	if (!d->xl_n[0] || !d->xl_n[1] || (d->c[2] > 0 && d->c[1] == 0))
		return sb_fail(err, -EIO,
			       "pvbench-xenwatch: no tiny guest %s (%ld create and %ld "
			       "destroy failures): %s",
			       !d->xl_n[0] ? "was created" : "completed a create/destroy cycle",
			       d->c[2], d->c[3], text(first, buf, sizeof(buf)));
	return 0;
}

static int parse_root(json_t *root, struct metric_set *out, struct sbuf *err)
{
	static const char *const lat_names[] = {"watch_p50_ns",	  "watch_p90_ns", "watch_p99_ns",
						"watch_p99_9_ns", "watch_max_ns", "watch_mean_ns"};
	struct doc d;
	size_t start = out->n;
	int rc;

	if ((rc = check_doc(root, &d, err)) || (rc = check_storm(root, &d, err)))
		return rc;
	for (size_t i = 0; !rc && i < ARRAY_SIZE(lat_names); i++)
		rc = metric_set_add(out, lat_names[i], d.lat[i + 1]);
	if (!rc && d.guests) {
		if (!(rc = metric_set_add(out, "xl_create_mean_s", d.xl[0][3])) &&
		    !(rc = metric_set_add(out, "xl_create_p50_s", d.xl[0][1])) &&
		    !(rc = metric_set_add(out, "xl_destroy_mean_s", d.xl[1][3])))
			rc = metric_set_add(out, "storm_cycles_per_s", d.c[0] / d.elapsed);
	}
	if (rc) {
		sb_fail(err, -EINVAL, "cannot add the pvbench-xenwatch metrics: %s", strerror(-rc));
		out->n = start;
		return -EINVAL;
	}
	return 0;
}

int xenwatch_parse_json(const char *json, size_t len, struct metric_set *out, struct sbuf *err,
			json_t *series)
{
	json_t *root;
	int rc = tool_json_load("pvbench-xenwatch", json, len, XENWATCH_OUTPUT_MAX, 0, &root, err);

	(void)series;
	if (!rc)
		rc = parse_root(root, out, err);
	json_decref(root);
	return rc;
}
