/* httperf_run.c: workload = httperf as the runner drives it (workload.h): its
 * registry row, its cross-key rule and its run hook. */
#include "httperf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* workload.rates parses (httperf_rates), and the sweep fits in one repetition's
 * timeout: every rate holds rate_duration (quick: quick_runtime), and its last
 * connections may wait client_timeout more. */
static int rule_sweep(const struct wl_values *v, struct sbuf *msg)
{
	long rates[HTTPERF_RATES_MAX];
	size_t n = 0;
	long to = wl_long_or(v, "scenario", "timeout", -1);
	long dur = wl_long_or(v, "workload", "rate_duration", -1);
	long cto = wl_long_or(v, "workload", "client_timeout", -1);

	if (httperf_rates(v, rates, &n, msg))
		return -EINVAL;
	if (to > (long)n * (dur + cto))
		return 0;
	sb_printf(msg,
		  "scenario.timeout (%gs) must exceed the sweep: %zu rates x (workload.rate_duration "
		  "%gs + workload.client_timeout %gs) = %gs",
		  to / 1e3, n, dur / 1e3, cto / 1e3, (double)n * (dur + cto) / 1e3);
	return -EINVAL;
}

static const struct wl_rule httperf_rules[] = {
	{ "httperf: workload.rates are integers 1 to 100000, no repeats, at most 32; "
	  "scenario.timeout exceeds their number x (rate_duration + client_timeout).",
	  rule_sweep,
	  WL_LIST("workload.rates", "scenario.timeout", "workload.rate_duration",
		  "workload.client_timeout") },
	{ NULL, NULL, NULL },
};

/* httperf in dom0 against nginx in the domU (started by the domU's init, in the
 * background), one httperf per offered rate (README.md). One request first, retried
 * while the connection is refused (nginx still starting; up to 10 tries 0.5 s
 * apart): a server that does not answer is an error that says so, not a sweep of
 * zeros. */
static enum pvb_status run_httperf(struct wl_ctx *c)
{
	struct sbuf cmd = { 0 }, out = { 0 };
	const char *file = wl_get(c->vals, "workload", "file") ?: "16k";
	enum pvb_status status = PVB_FAIL;

	if (c->sh(c, 0, 30, &out,
		  "exec 2>&1; for i in 1 2 3 4 5 6 7 8 9 10; do o=$(httperf --server %s "
		  "--port %ld --uri /%s.bin --num-conns 1 --timeout 10); echo \"$o\" | "
		  "grep -q 'Errors: .* connrefused 1 ' || break; sleep 0.5; done; "
		  "echo \"$o\" | grep -q 'Reply status: 1xx=0 2xx=1 ' || "
		  "{ echo \"no 2xx reply to GET /%s.bin:\"; echo \"$o\" | grep -E "
		  "'^(Reply status|Errors)'; exit 1; }",
		  c->guest.ip, wl_long_or(c->vals, "workload", "port", 80), file, file)) {
		struct sbuf log = { 0 };

		c->sh(c, c->guest.domid, 20, &log,
		      "exec 2>&1; pidof nginx || echo 'nginx is not running'; "
		      "tail -n 5 /tmp/nginx-error.log");
		json_object_set_new(c->run, "reason",
				    json_sprintf("nginx in %s (%s) does not serve: %s; %s",
						 c->guest.name, c->guest.ip, out.buf ?: "",
						 log.buf ?: ""));
		sb_free(&log);
		goto out;
	}
	if (httperf_build_cmdline(c->vals, c->quick, c->guest.ip, &cmd)) {
		json_object_set_new(c->run, "reason", json_string("cannot build the httperf command"));
		goto out;
	}
	status = c->measure(c, 0, cmd.buf, "httperf.txt");
out:
	sb_free(&cmd);
	sb_free(&out);
	return status;
}

const struct workload_ops httperf_workload = {
	.name = "httperf",
	.doc = "nginx in the domU serves a static file, httperf in dom0 sweeps offered "
	       "connection rates over the PV network; reply rate, latency, errors per rate, the "
	       "saturation rate; text output",
	.phrase = "httperf, HTTP requests from dom0 to nginx in the domU at a sweep of rates",
	.keys = httperf_keys,
	.n_keys = &httperf_n_keys,
	.metrics = httperf_metrics,
	.n_metrics = &httperf_n_metrics,
	.primary = WL_LIST("saturation_rate_per_s"),
	.rules = httperf_rules,
	.evidence = WL_EVIDENCE_VIF,
	.log_grep = WL_LOG_GREP_VIF,
	.charts = WL_LIST(WL_CHART_RATES),
	.run = run_httperf,
	.parse = httperf_parse,
};
