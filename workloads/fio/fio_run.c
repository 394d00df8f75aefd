/* fio_run.c: workload = fio as the runner drives it (workload.h): its registry row,
 * its cross-key rules and its run hook, fio in the domU against its xvda. */
#include "fio.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int rule_size(const struct wl_values *v, struct sbuf *msg)
{
	long size = wl_long_or(v, "workload", "size", -1);
	long disk = wl_long_or(v, "guest", "disk_size", -1);

	if (size <= (disk << 20))
		return 0;
	sb_printf(msg, "workload.size (%s) exceeds guest.disk_size (%ld MiB)",
		  wl_get(v, "workload", "size"), disk);
	return -EINVAL;
}

static int rule_timeout(const struct wl_values *v, struct sbuf *msg)
{
	long to = wl_long_or(v, "scenario", "timeout", -1);
	long quick = wl_long_or(v, "scenario", "quick_runtime", -1);
	long run = wl_long_or(v, "workload", "runtime", -1);
	long ramp = wl_long_or(v, "workload", "ramp_time", -1);

	if (to > ramp + run && to > quick)
		return 0;
	sb_printf(msg,
		  "scenario.timeout (%gs) must exceed workload.ramp_time + workload.runtime (%gs) "
		  "and scenario.quick_runtime (%gs)",
		  to / 1e3, (ramp + run) / 1e3, quick / 1e3);
	return -EINVAL;
}

static int rule_rwmixread(const struct wl_values *v, struct sbuf *msg)
{
	static const char *const mixed[] = { "rw", "readwrite", "randrw" };
	const char *rw = wl_get(v, "workload", "rw");

	if (wl_long_or(v, "workload", "rwmixread", -1) < 0)
		return 0;
	for (size_t i = 0; rw && i < ARRAY_SIZE(mixed); i++)
		if (!strcmp(rw, mixed[i]))
			return 0;
	sb_puts(msg, "workload.rwmixread applies only to rw = rw, readwrite or randrw");
	return -EINVAL;
}

static const struct wl_rule fio_rules[] = {
	{ "workload.size must not exceed guest.disk_size.", rule_size,
	  WL_LIST("workload.size", "guest.disk_size") },
	{ "scenario.timeout must exceed workload.ramp_time + workload.runtime, and "
	  "scenario.quick_runtime.",
	  rule_timeout,
	  WL_LIST("scenario.timeout", "scenario.quick_runtime", "workload.runtime",
		  "workload.ramp_time") },
	{ "workload.rwmixread applies only to rw = rw, readwrite or randrw.", rule_rwmixread,
	  WL_LIST("workload.rwmixread", "workload.rw") },
	{ NULL, NULL, NULL },
};

static int parse_fio(const char *out, size_t len, struct metric_set *ms, struct sbuf *err,
		     json_t *series)
{
	(void)series;
	return fio_parse_json(out, len, ms, err);
}

/* fio in the domU against its xvda. */
static enum pvb_status run_fio(struct wl_ctx *c)
{
	struct sbuf cmd = { 0 };
	enum pvb_status status = PVB_FAIL;

	if (fio_build_cmdline(c->vals, c->quick, &cmd))
		json_object_set_new(c->run, "reason", json_string("cannot build the fio command"));
	else
		status = c->measure(c, c->guest.domid, cmd.buf, "fio.json");
	sb_free(&cmd);
	return status;
}

const struct workload_ops fio_workload = {
	.name = "fio",
	.doc = "fio in the domU on the whole PV disk " FIO_DEVICE ", JSON output",
	.phrase = "fio on the domU's PV disk",
	.keys = fio_keys,
	.n_keys = &fio_n_keys,
	.metrics = fio_metrics,
	.n_metrics = &fio_n_metrics,
	.primary = WL_LIST("read_iops", "write_iops"),
	.rules = fio_rules,
	/* xen-facts B.1, 2 */
	.evidence = WL_LIST("mq_queues", "blkback_queues", "frontend.multi-queue-num-queues",
			    "frontend.ring-page-order", "frontend.feature-persistent",
			    "backend.multi-queue-max-queues", "backend.max-ring-page-order",
			    "backend.feature-max-indirect-segments",
			    "backend.feature-persistent"),
	.log_grep = { { false, "xen-blkback: backend/vbd/%d/" }, { true, "blkfront: xvda" } },
	.run = run_fio,
	.parse = parse_fio,
};
