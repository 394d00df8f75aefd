/* iperf3.c: the iperf3 workload: [workload] keys, the iperf3 client command line and
 * the parser of `iperf3 -J` output (untrusted: half of it comes from the guest) into
 * pvbench metrics. */
#include "iperf3.h"
#include "pvbench/toolout.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* [workload] keys of workload = iperf3; same columns as scenario_keys.c's table.
 * Limits are iperf 3.12's (MAX_STREAMS, MAX_TIME, MAX_OMIT_TIME, MAX_BLOCKSIZE,
 * MAX_TCP_BUFFER); UDP lengths are checked by a rule in scenario_keys.c. */
const struct scenario_key iperf3_keys[] = {
	{ "workload", "protocol", ST_ENUM, "tcp", "", "tcp|udp", 0, 0, 0, "iperf3",
	  "Transport (iperf3 -u for udp).", "udp" },
	{ "workload", "direction", ST_ENUM, "to_guest", "", "to_guest|from_guest", 0, 0, 0,
	  "iperf3",
	  "to_guest: the client in dom0 sends to the server in the domU (netback -> "
	  "netfront); from_guest: the domU sends (iperf3 -R).",
	  "from_guest" },
	{ "workload", "client", ST_ENUM, "dom0", "", "dom0|domU", 0, 0, 0, "iperf3",
	  "Where the iperf3 client runs: dom0, or domU, a second domU of the same "
	  "configuration on the same bridge (guest to guest: netfront -> netback -> xenbr0 "
	  "-> netback -> netfront). direction is then seen from the client domU.",
	  "domU" },
	{ "workload", "parallel", ST_INT, "1", "", NULL, 1, 128, 0, "iperf3",
	  "Parallel streams, reported as their sum (iperf3 -P).", "4" },
	{ "workload", "duration", ST_DURATION, "10s", "s", NULL, 1000, 86400000, SK_SECONDS,
	  "iperf3", "Measured time of one repetition, after omit (iperf3 -t).", "30s" },
	{ "workload", "omit", ST_DURATION, "1s", "s", NULL, 0, 600000, SK_SECONDS, "iperf3",
	  "Warm-up before measuring, not counted in the results (iperf3 -O); 0 under --quick.",
	  "2s" },
	{ "workload", "udp_rate", ST_SIZE, "100M", "bits/s", NULL, 0, 100L << 30, 0, "iperf3",
	  "Target rate of each UDP stream (iperf3 -b), ignored for tcp; k/M/G are powers of "
	  "1024 as in every size here (100M is -b 104857600); 0: unlimited.",
	  "50M" },
	{ "workload", "length", ST_SIZE, NULL, "bytes", NULL, 1, 1L << 20, 0, "iperf3",
	  "Buffer size of each read/write, for udp the datagram payload (iperf3 -l); unset: "
	  "iperf3's default (128k for tcp, the path MTU's payload for udp).",
	  "64k" },
	{ "workload", "window", ST_SIZE, NULL, "bytes", NULL, 1, 512L << 20, 0, "iperf3",
	  "Socket buffer size (iperf3 -w, SO_SNDBUF/SO_RCVBUF); unset: the kernel's autotuning.",
	  "256k" },
};
const size_t iperf3_n_keys = ARRAY_SIZE(iperf3_keys);

const struct metric_meta iperf3_metrics[] = {
	{ "throughput_bits_per_s", "bits/s", METRIC_HIGHER,
	  "rate at the receiver (all streams, omitted seconds excluded)" },
	{ "sent_bits_per_s", "bits/s", METRIC_HIGHER, "rate at the sender (all streams)" },
	{ "retransmits", "count", METRIC_LOWER,
	  "TCP segments the sender retransmitted (TCP only)" },
	{ "udp_jitter_ns", "ns", METRIC_LOWER,
	  "UDP packet delay variation at the receiver (RFC 1889; UDP only)" },
	{ "udp_lost_pct", "%", METRIC_LOWER, "UDP datagrams lost, percent of sent (UDP only)" },
	{ "cpu_host_pct", "%", METRIC_LOWER,
	  "CPU time of the iperf3 client (in dom0), percent of the test's wall time" },
	{ "cpu_remote_pct", "%", METRIC_LOWER,
	  "CPU time of the iperf3 server (in the domU), percent of the test's wall time" },
};
const size_t iperf3_n_metrics = ARRAY_SIZE(iperf3_metrics);

/* ---- command line ---- */

/* A duration key in whole seconds. */
static int get_seconds(const struct wl_values *vals, const char *key,
		       long *out)
{
	long ms;

	if (wl_get_long(vals, "workload", key, &ms) || ms % 1000)
		return -EINVAL;
	*out = ms / 1000;
	return 0;
}

/* An address or host name that is one word for a shell and not an option. */
static bool host_ok(const char *s)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
				 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.:-";
	size_t n = s ? strlen(s) : 0;

	return n && n <= 64 && strspn(s, ok) == n && *s != '-';
}

/* " -l N" for an optional size key; nothing when it is unset. */
static int add_size(const struct wl_values *vals, const char *key,
		    const char *opt, struct sbuf *out)
{
	long n;

	if (!wl_get(vals, "workload", key))
		return 0;
	if (wl_get_long(vals, "workload", key, &n))
		return -EINVAL;
	return sb_printf(out, " %s %ld", opt, n);
}

int iperf3_build_cmdline(const struct wl_values *vals, bool quick,
			 const char *server_ip, struct sbuf *out)
{
	const char *proto = wl_get(vals, "workload", "protocol");
	const char *dir = wl_get(vals, "workload", "direction");
	long secs, omit = 0, streams, rate, quick_ms;
	bool udp;
	int rc;

	if (!host_ok(server_ip) || !proto || !dir)
		return -EINVAL;
	udp = !strcmp(proto, "udp");
	if (quick) {
		if (wl_get_long(vals, "scenario", "quick_runtime", &quick_ms) || quick_ms < 1)
			return -EINVAL;
		secs = (quick_ms + 999) / 1000;
	} else if (get_seconds(vals, "duration", &secs) || get_seconds(vals, "omit", &omit)) {
		return -EINVAL;
	}
	if (wl_get_long(vals, "workload", "parallel", &streams) ||
	    (udp && wl_get_long(vals, "workload", "udp_rate", &rate)))
		return -EINVAL;
	rc = sb_printf(out, "iperf3 -c %s -J -t %ld -O %ld -P %ld", server_ip, secs, omit, streams);
	if (!rc && !strcmp(dir, "from_guest"))
		rc = sb_puts(out, " -R");
	if (!rc && udp)
		rc = sb_printf(out, " -u -b %ld", rate);
	if (!rc)
		rc = add_size(vals, "length", "-l", out);
	if (!rc)
		rc = add_size(vals, "window", "-w", out);
	return rc;
}

/* ---- JSON output ---- */

/* The value at root.path, path being dot-separated keys ("end.sum_sent"). */
static json_t *at(json_t *root, const char *path)
{
	char key[64];
	json_t *obj = root;

	while (obj && *path) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof(key) || !json_is_object(obj))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		obj = json_object_get(obj, key);
		path += n + (path[n] == '.');
	}
	return obj;
}

/* A non-negative number at root.path, times scale, finite; -EINVAL with the
 * message if not. */
static int number_at(json_t *root, const char *path, double scale, double *out,
		     struct sbuf *err)
{
	json_t *j = at(root, path);

	if (json_is_number(j)) {
		*out = json_number_value(j) * scale;
		if (isfinite(*out) && *out >= 0)
			return 0;
	}
	return sb_fail(err, -EINVAL, "missing or invalid '%s' in iperf3 output", path);
}

/* Where each metric is, per protocol. */
static const struct field {
	const char *name, *path;
	double scale;
	bool tcp, udp;
} fields[] = {
	{ "throughput_bits_per_s", "end.sum_received.bits_per_second", 1, true, true },
	{ "sent_bits_per_s", "end.sum_sent.bits_per_second", 1, true, true },
	{ "retransmits", "end.sum_sent.retransmits", 1, true, false },
	{ "udp_jitter_ns", "end.sum.jitter_ms", 1e6, false, true },
	{ "udp_lost_pct", "end.sum.lost_percent", 1, false, true },
	{ "cpu_host_pct", "end.cpu_utilization_percent.host_total", 1, true, true },
	{ "cpu_remote_pct", "end.cpu_utilization_percent.remote_total", 1, true, true },
};

/* iperf3's own error: a top-level "error" string. */
static int check_error(json_t *root, struct sbuf *err)
{
	json_t *e = json_object_get(root, "error");
	char msg[168];

	if (!e)
		return 0;
	if (!json_is_string(e))
		return sb_fail(err, -EINVAL, "missing or invalid 'error' in iperf3 output");
	tool_text_clean(msg, sizeof(msg), json_string_value(e), json_string_length(e), 160);
	return sb_fail(err, -EIO, "iperf3: %s", *msg ? msg : "unknown error");
}

/* Is it TCP (true) or UDP (false)? */
static int protocol(json_t *root, bool *tcp, struct sbuf *err)
{
	static const char path[] = "start.test_start.protocol";
	json_t *p = at(root, path);
	char name[24];

	if (!json_is_string(p))
		return sb_fail(err, -EINVAL, "missing or invalid '%s' in iperf3 output", path);
	*tcp = !strcmp(json_string_value(p), "TCP");
	if (*tcp || !strcmp(json_string_value(p), "UDP"))
		return 0;
	tool_text_clean(name, sizeof(name), json_string_value(p), json_string_length(p), 16);
	return sb_fail(err, -EINVAL,
		       "unsupported protocol '%s' in iperf3 output (expected TCP or UDP)", name);
}

/* Appends intervals[].sum to out; on error out is left as it was. */
static int add_intervals(json_t *root, json_t *out, struct sbuf *err)
{
	static const char *const num[] = { "start", "end", "bits_per_second" };
	json_t *in = json_object_get(root, "intervals"), *item;
	size_t start = json_array_size(out), i;
	int rc = 0;

	if (!json_is_array(out))
		return sb_fail(err, -EINVAL, "intervals: not a JSON array");
	if (!json_is_array(in))
		return sb_fail(err, -EINVAL, "missing or invalid 'intervals' in iperf3 output");
	if (json_array_size(in) > IPERF3_INTERVALS_MAX)
		return sb_fail(err, -EINVAL, "too many intervals in iperf3 output (%zu, max %d)",
			       json_array_size(in), IPERF3_INTERVALS_MAX);
	json_array_foreach(in, i, item) {
		json_t *sum = json_object_get(item, "sum"), *o, *om;
		double v[3];

		for (size_t k = 0; k < 3; k++) {
			json_t *j = json_is_object(sum) ? json_object_get(sum, num[k]) : NULL;

			v[k] = json_is_number(j) ? json_number_value(j) : NAN;
			if (!isfinite(v[k]) || v[k] < 0) {
				rc = sb_fail(
				    err, -EINVAL,
				    "missing or invalid 'intervals[%zu].sum.%s' in iperf3 output",
				    i, num[k]);
				goto out;
			}
		}
		om = json_object_get(sum, "omitted");
		if (om && !json_is_boolean(om)) {
			rc = sb_fail(
			    err, -EINVAL,
			    "missing or invalid 'intervals[%zu].sum.omitted' in iperf3 output", i);
			goto out;
		}
		o = json_pack("{s:f, s:f, s:f, s:b}", "start", v[0], "end", v[1], "bits_per_second",
			      v[2], "omitted", json_is_true(om));
		if (!o || json_array_append_new(out, o)) {
			rc = sb_fail(err, -ENOMEM, "out of memory");
			goto out;
		}
	}
out:
	while (rc && json_array_size(out) > start)
		json_array_remove(out, json_array_size(out) - 1);
	return rc;
}

static int parse_root(json_t *root, struct metric_set *out, struct sbuf *err, json_t *intervals)
{
	size_t start = out->n;
	bool tcp = false;
	double v = 0;
	int rc = check_error(root, err);

	if (!rc)
		rc = protocol(root, &tcp, err);
	for (size_t i = 0; !rc && i < ARRAY_SIZE(fields); i++) {
		if (!(tcp ? fields[i].tcp : fields[i].udp))
			continue;
		rc = number_at(root, fields[i].path, fields[i].scale, &v, err);
		if (!rc)
			rc = tool_metric_add(out, fields[i].name, v, err);
	}
	if (!rc && intervals)
		rc = add_intervals(root, intervals, err);
	if (rc)
		out->n = start;
	return rc;
}

int iperf3_parse_json(const char *json, size_t len, struct metric_set *out, struct sbuf *err,
		      json_t *intervals)
{
	json_t *root;
	/* duplicates accepted: iperf 3.12 -P 2 repeats keys in "start" */
	int rc = tool_json_load("iperf3", json, len, IPERF3_OUTPUT_MAX, TOOL_JSON_DUPLICATES,
				&root, err);

	if (!rc)
		rc = parse_root(root, out, err, intervals);
	json_decref(root);
	return rc;
}
