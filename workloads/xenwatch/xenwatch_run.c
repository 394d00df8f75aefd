/* xenwatch_run.c: workload = xenwatch as the runner drives it (workload.h): its
 * registry row and its run hook. */
#include "xenwatch.h"

/* pvbench-xenwatch in dom0: watch latency through /dev/xen/xenbus while it creates
 * and destroys workload.guests tiny domUs (README.md). No measured domU. */
static enum pvb_status run_xenwatch(struct wl_ctx *c)
{
	struct sbuf cmd = { 0 };
	enum pvb_status status = PVB_FAIL;

	if (xenwatch_build_cmdline(c->vals, c->quick, &cmd))
		json_object_set_new(c->run, "reason", json_string("cannot build the xenwatch command"));
	else
		status = c->measure(c, 0, cmd.buf, "xenwatch.json");
	sb_free(&cmd);
	return status;
}

const struct workload_ops xenwatch_workload = {
	.name = "xenwatch",
	.doc = "pvbench-xenwatch in dom0: latency of xenstore watch events through "
	       "/dev/xen/xenbus (Linux's xenwatch thread) while N tiny domUs are created and "
	       "destroyed in a loop; no measured domU; JSON output",
	.phrase = "xenwatch, xenstore watch latency in dom0 while tiny guests are created and "
		  "destroyed",
	.keys = xenwatch_keys,
	.n_keys = &xenwatch_n_keys,
	.metrics = xenwatch_metrics,
	.n_metrics = &xenwatch_n_metrics,
	.primary = WL_LIST("watch_p99_ns"),
	.dom0_only = true,
	.run = run_xenwatch,
	.parse = xenwatch_parse_json,
};
