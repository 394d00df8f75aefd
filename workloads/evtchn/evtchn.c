/* evtchn.c: the event-channel ping-pong workload: [workload] keys, the command lines
 * of pvbench-evtchn's two sides and the parser of its JSON output (untrusted: the
 * timings depend on the guest) into pvbench metrics. The percentile definition the
 * guest program uses is in rtt_stats.h. */
#include "evtchn.h"
#include "pvbench/toolout.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* [workload] keys of workload = evtchn; same columns as scenario_keys.c's table. */
const struct scenario_key evtchn_keys[] = {
	{ "workload", "pairs", ST_INT, "1", "", NULL, 1, EVTCHN_PAIRS_MAX, 0, "evtchn",
	  "Event-channel pairs (dom0 port <-> domU port) pinged at once, one dom0 thread each; "
	  "results are over all pairs.",
	  "2" },
	{ "workload", "round_trips", ST_INT, "10000", "", NULL, 1, 1000000, 0, "evtchn",
	  "Timed round trips (notify, wait for the echo) per pair; at most 1000 under --quick.",
	  "100000" },
	{ "workload", "warmup", ST_INT, "1000", "", NULL, 0, 1000000, 0, "evtchn",
	  "Untimed round trips per pair before the timed ones; at most 100 under --quick.",
	  "500" },
	{ "workload", "cpu", ST_INT, NULL, "", NULL, 0, 4095, 0, "evtchn",
	  "dom0 CPU the pinging process is pinned to (sched_setaffinity); unset: not pinned.",
	  "0" },
};
const size_t evtchn_n_keys = ARRAY_SIZE(evtchn_keys);

const struct metric_meta evtchn_metrics[] = {
	{ "rtt_min_ns", "ns", METRIC_LOWER, "shortest round trip (dom0 notify -> domU echo seen)" },
	{ "rtt_p50_ns", "ns", METRIC_LOWER, "median round trip (nearest rank)" },
	{ "rtt_p90_ns", "ns", METRIC_LOWER, "90th percentile round trip (nearest rank)" },
	{ "rtt_p99_ns", "ns", METRIC_LOWER, "99th percentile round trip (nearest rank)" },
	{ "rtt_p99_9_ns", "ns", METRIC_LOWER, "99.9th percentile round trip (nearest rank)" },
	{ "rtt_max_ns", "ns", METRIC_LOWER, "longest round trip" },
	{ "rtt_mean_ns", "ns", METRIC_LOWER, "mean round trip" },
	{ "round_trips_per_s", "1/s", METRIC_HIGHER,
	  "round trips of all pairs per second of the timed phase's wall time" },
};
const size_t evtchn_n_metrics = ARRAY_SIZE(evtchn_metrics);

/* ---- command lines ---- */

int evtchn_build_serve_cmdline(const struct wl_values *vals, bool quick,
			       struct sbuf *out)
{
	long pairs, timeout_ms;

	(void)quick;
	if (wl_get_long(vals, "workload", "pairs", &pairs) ||
	    wl_get_long(vals, "scenario", "timeout", &timeout_ms) || timeout_ms < 1)
		return -EINVAL;
	return sb_printf(out, "pvbench-evtchn serve --pairs %ld --timeout %ld", pairs,
			 (timeout_ms + 999) / 1000);
}

int evtchn_build_ping_cmdline(const struct wl_values *vals, bool quick,
			      long domid, struct sbuf *out)
{
	long pairs, n, warm, cpu;
	int rc;

	if (domid < 1 || domid > 32751) /* DOMID_FIRST_RESERVED is 0x7ff0 */
		return -EINVAL;
	if (wl_get_long(vals, "workload", "pairs", &pairs) ||
	    wl_get_long(vals, "workload", "round_trips", &n) ||
	    wl_get_long(vals, "workload", "warmup", &warm))
		return -EINVAL;
	if (quick) {
		n = n < EVTCHN_QUICK_ROUND_TRIPS ? n : EVTCHN_QUICK_ROUND_TRIPS;
		warm = warm < EVTCHN_QUICK_WARMUP ? warm : EVTCHN_QUICK_WARMUP;
	}
	rc = sb_printf(out, "pvbench-evtchn ping --domid %ld --pairs %ld --round-trips %ld --warmup %ld",
		       domid, pairs, n, warm);
	if (!rc && wl_get(vals, "workload", "cpu")) {
		if (wl_get_long(vals, "workload", "cpu", &cpu))
			return -EINVAL;
		rc = sb_printf(out, " --cpu %ld", cpu);
	}
	return rc;
}

/* ---- JSON output ---- */

/* A finite, non-negative number at obj[key]. */
static int number(json_t *obj, const char *prefix, const char *key, double *out,
		  struct sbuf *err)
{
	json_t *j = json_object_get(obj, key);

	if (json_is_number(j)) {
		*out = json_number_value(j);
		if (isfinite(*out) && *out >= 0)
			return 0;
	}
	return sb_fail(err, -EINVAL, "missing or invalid '%s%s' in pvbench-evtchn output", prefix,
		       key);
}

static const char *const rtt_keys[] = { "min", "p50", "p90", "p99", "p99_9", "max", "mean" };

static int parse_root(json_t *root, struct metric_set *out, struct sbuf *err)
{
	json_t *schema = json_object_get(root, "schema"), *rtt;
	json_t *pairs = json_object_get(root, "pairs"), *total = json_object_get(root, "round_trips");
	double elapsed, rate, r[ARRAY_SIZE(rtt_keys)];
	size_t start = out->n;
	char name[40];
	int rc;

	if (!json_is_string(schema) || strcmp(json_string_value(schema), EVTCHN_SCHEMA)) {
		if (!json_is_string(schema))
			return sb_fail(err, -EINVAL,
				       "missing or invalid 'schema' in pvbench-evtchn output");
		tool_text_clean(name, sizeof(name), json_string_value(schema), json_string_length(schema), 32);
		return sb_fail(err, -EINVAL,
			       "unsupported schema '%s' in pvbench-evtchn output (expected %s)",
			       name, EVTCHN_SCHEMA);
	}
	if (!json_is_integer(pairs) || json_integer_value(pairs) < 1 ||
	    json_integer_value(pairs) > EVTCHN_PAIRS_MAX)
		return sb_fail(err, -EINVAL,
			       "missing or invalid 'pairs' in pvbench-evtchn output (expected an "
			       "integer from 1 to %d)",
			       EVTCHN_PAIRS_MAX);
	if (!json_is_integer(total) || json_integer_value(total) < 1)
		return sb_fail(err, -EINVAL,
			       "missing or invalid 'round_trips' in pvbench-evtchn output "
			       "(expected a positive integer)");
	if ((rc = number(root, "", "elapsed_s", &elapsed, err)) ||
	    (rc = number(root, "", "round_trips_per_s", &rate, err)))
		return rc;
	if (elapsed <= 0)
		return sb_fail(err, -EINVAL,
			       "invalid 'elapsed_s' in pvbench-evtchn output (must be positive)");
	rtt = json_object_get(root, "rtt_ns");
	if (!json_is_object(rtt))
		return sb_fail(err, -EINVAL,
			       "missing or invalid 'rtt_ns' in pvbench-evtchn output");
	for (size_t i = 0; i < ARRAY_SIZE(rtt_keys); i++)
		if ((rc = number(rtt, "rtt_ns.", rtt_keys[i], &r[i], err)))
			return rc;
	for (size_t i = 1; i < 6; i++) /* min .. max are in order */
		if (r[i] < r[i - 1])
			return sb_fail(err, -EINVAL,
				       "inconsistent pvbench-evtchn output: rtt_ns.%s < rtt_ns.%s",
				       rtt_keys[i], rtt_keys[i - 1]);
	if (r[6] < r[0] || r[6] > r[5])
		return sb_fail(err, -EINVAL,
			       "inconsistent pvbench-evtchn output: rtt_ns.mean outside min..max");
	for (size_t i = 0; !rc && i < ARRAY_SIZE(rtt_keys); i++) {
		snprintf(name, sizeof(name), "rtt_%s_ns", rtt_keys[i]);
		rc = tool_metric_add(out, name, r[i], err);
	}
	if (!rc)
		rc = tool_metric_add(out, "round_trips_per_s", rate, err);
	if (rc) {
		out->n = start;
		return -EINVAL;
	}
	return 0;
}

int evtchn_parse_json(const char *json, size_t len, struct metric_set *out, struct sbuf *err,
		      json_t *series)
{
	json_t *root;
	int rc = tool_json_load("pvbench-evtchn", json, len, EVTCHN_OUTPUT_MAX, 0, &root, err);

	(void)series;
	if (!rc)
		rc = parse_root(root, out, err);
	json_decref(root);
	return rc;
}
