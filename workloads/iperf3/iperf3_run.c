/* iperf3_run.c: workload = iperf3 as the runner drives it (workload.h): its registry
 * row, its cross-key rules and its run hook. */
#include "iperf3.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* iperf3 runs omit + duration seconds (the omitted seconds come first); --quick runs
 * quick_runtime rounded up to whole seconds, without omit. */
static int rule_timeout(const struct wl_values *v, struct sbuf *msg)
{
	long to = wl_long_or(v, "scenario", "timeout", -1);
	long quick = wl_long_or(v, "scenario", "quick_runtime", -1);
	long dur = wl_long_or(v, "workload", "duration", -1);
	long omit = wl_long_or(v, "workload", "omit", -1);

	if (to > omit + dur && to > (quick + 999) / 1000 * 1000)
		return 0;
	sb_printf(msg,
		  "scenario.timeout (%gs) must exceed workload.omit + workload.duration (%gs) "
		  "and scenario.quick_runtime (%gs)",
		  to / 1e3, (omit + dur) / 1e3, quick / 1e3);
	return -EINVAL;
}

/* iperf3 refuses -l outside 16..65507 bytes with -u (one UDP datagram; iperf 3.12). */
static int rule_length(const struct wl_values *v, struct sbuf *msg)
{
	const char *proto = wl_get(v, "workload", "protocol");
	long len = wl_long_or(v, "workload", "length", -1);

	if (!proto || strcmp(proto, "udp") || len < 0 || (len >= 16 && len <= 65507))
		return 0;
	sb_printf(msg, "workload.length (%ld bytes) must be 16 to 65507 bytes with protocol = udp",
		  len);
	return -EINVAL;
}

static const struct wl_rule iperf3_rules[] = {
	{ "iperf3: scenario.timeout must exceed workload.omit + workload.duration, and "
	  "scenario.quick_runtime.",
	  rule_timeout,
	  WL_LIST("scenario.timeout", "scenario.quick_runtime", "workload.duration",
		  "workload.omit") },
	{ "iperf3: with protocol = udp, workload.length must be 16 to 65507 bytes (one UDP "
	  "datagram).",
	  rule_length, WL_LIST("workload.length", "workload.protocol") },
	{ NULL, NULL, NULL },
};

/* iperf3 server in the domU (started once per domU, answers one test at a time;
 * -D returns before it listens, so wait for port 5201 = 0x1451 in state 0A, LISTEN,
 * in /proc/net/tcp6 or tcp), client in dom0 over xenbr0: to_guest sends dom0 -> domU,
 * from_guest uses -R. With client = domU the client runs in a second domU of the same
 * configuration (c->peer); both vifs are on xenbr0, so the traffic goes netfront ->
 * netback -> bridge -> netback -> netfront. */
static enum pvb_status run_iperf3(struct wl_ctx *c)
{
	struct sbuf cmd = { 0 }, out = { 0 };
	enum pvb_status status = PVB_FAIL;
	struct wl_domain peer;
	int client = 0; /* the client's domid */

	if (c->sh(c, c->guest.domid, 20, &out,
		  "exec 2>&1; pidof iperf3 >/dev/null || iperf3 -s -D; i=0; "
		  "until grep -qsE ':1451 [0-9A-F]+:0000 0A ' /proc/net/tcp6 /proc/net/tcp; "
		  "do [ $i -ge 100 ] && "
		  "{ echo 'not listening on port 5201 after 10 s'; exit 1; }; sleep 0.1; "
		  "i=$((i+1)); done")) {
		json_object_set_new(c->run, "reason",
				    json_sprintf("cannot start the iperf3 server in %s: %s",
						 c->guest.name, out.buf ? out.buf : ""));
		goto out;
	}
	if (iperf3_build_cmdline(c->vals, c->quick, c->guest.ip, &cmd)) {
		json_object_set_new(c->run, "reason", json_string("cannot build the iperf3 command"));
		goto out;
	}
	if (!strcmp(wl_get(c->vals, "workload", "client") ?: "dom0", "domU")) {
		status = c->peer(c, &peer);
		if (status != PVB_OK)
			goto out;
		client = peer.domid;
	}
	status = c->measure(c, client, cmd.buf, "iperf3.json");
out:
	sb_free(&cmd);
	sb_free(&out);
	return status;
}

const struct workload_ops iperf3_workload = {
	.name = "iperf3",
	.doc = "iperf3 between dom0 (client) and the domU (server, iperf3 -s) over the PV "
	       "network (netfront, netback, xenbr0), JSON output",
	.phrase = "iperf3 between dom0 and the domU over the PV network",
	.keys = iperf3_keys,
	.n_keys = &iperf3_n_keys,
	.metrics = iperf3_metrics,
	.n_metrics = &iperf3_n_metrics,
	.primary = WL_LIST("throughput_bits_per_s"),
	.rules = iperf3_rules,
	.evidence = WL_EVIDENCE_VIF,
	.log_grep = WL_LOG_GREP_VIF,
	.charts = WL_LIST(WL_CHART_INTERVALS),
	.run = run_iperf3,
	.parse = iperf3_parse_json,
};
