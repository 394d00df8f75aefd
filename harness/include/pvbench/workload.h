/* workload.h: what pvbench knows of a workload, as one registry row
 * (workloads/registry.c): its name and docs, its [workload] keys, the metrics its
 * output parser produces (with units and direction) and the primary ones among them,
 * its cross-key rules, the evidence recorded for every variant, the report charts it
 * wants beyond the per-metric ones, and the hooks that run it.
 *
 * A workload lives in workloads/<name>/ (a README.md, its .c files, any guest
 * program under guest/, the Debian packages and kernel modules its images need in
 * packages.dom0, modules.dom0, modules.domU, read by hypervisor/build-images.sh;
 * the domU root has no package list of its own). It needs nothing of scenario/ or run/: it reads the
 * variant's values through struct wl_values and acts on the machine through struct
 * wl_ctx, so that every hook can be unit-tested without QEMU (harness/tests).
 * Adding one: the directory, and one row in workloads/registry.c. */
#ifndef PVBENCH_WORKLOAD_H
#define PVBENCH_WORKLOAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "pvbench/keys.h"
#include "pvbench/metrics.h"
#include "pvbench/status.h"
#include "pvbench/util.h"

/* A NULL-terminated list of strings, for the rows below. */
#define WL_LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* The evidence of a PV network workload (netfront/netback; xen-facts B). */
#define WL_EVIDENCE_VIF                                                                        \
	WL_LIST("vif_queues", "vif_irqs", "vif_frontend.multi-queue-num-queues",                \
		"vif_frontend.state", "vif_backend.multi-queue-max-queues", "vif_backend.state", \
		"vif_backend.hotplug-status", "vif_backend.feature-split-event-channels")
#define WL_LOG_GREP_VIF                                                                        \
	{ { false, "vif%d\\.0" }, { true, "xen_netfront|netfront" } }

/* The resolved values of one variant of a loaded scenario: the variant's override,
 * else the file's value, else the key's default (scenario_values(), scenario.h). */
struct wl_values {
	/* A key's value as text, or NULL when it is unset and has no default. */
	const char *(*get)(const struct wl_values *v, const char *section, const char *key);
	/* A numeric key's value (sizes in bytes, durations in ms, booleans 0/1): 0, or
	 * -EINVAL when it is unset or does not read as its key's type. */
	int (*get_long)(const struct wl_values *v, const char *section, const char *key,
			long *out);
	const void *scenario, *variant; /* the provider's own (scenario.h's types) */
};

static inline const char *wl_get(const struct wl_values *v, const char *section,
				 const char *key)
{
	return v->get(v, section, key);
}

static inline int wl_get_long(const struct wl_values *v, const char *section, const char *key,
			      long *out)
{
	return v->get_long(v, section, key, out);
}

/* A workload's value of a numeric key, or def when it is unset. */
static inline long wl_long_or(const struct wl_values *v, const char *section, const char *key,
			      long def)
{
	long x;

	return wl_get_long(v, section, key, &x) ? def : x;
}

/* A rule across keys that every variant must keep: one sentence (`pvbench list
 * --keys`), the check (0, or -EINVAL with one clause in msg), and the keys it
 * involves, as "section.key" (an error points at the first one set in the file). */
struct wl_rule {
	const char *doc;
	int (*check)(const struct wl_values *v, struct sbuf *msg);
	const char *const *keys; /* NULL-terminated */
};

/* Parser of a workload tool's output: the metrics into ms, per-interval or per-rate
 * points into series (a JSON array; may be NULL) for the report's charts. 0, or
 * -EINVAL / -EIO with one line in err. */
typedef int (*wl_parse_fn)(const char *out, size_t len, struct metric_set *ms, struct sbuf *err,
			   json_t *series);

/* A domain a hook acts on. */
struct wl_domain {
	int domid;	  /* 0: dom0 */
	const char *name; /* "pvbench-domU1", "Domain-0" */
	const char *ip;	  /* its eth0 address on xenbr0 ("10.0.0.2"); dom0: "10.0.0.1" */
};

/* What the runner gives a run hook for one repetition. The function pointers are
 * the runner's (run/step.c, which embeds this struct in its own state); a test of a
 * hook may give its own. */
struct wl_ctx {
	const struct wl_values *vals; /* the variant's values */
	bool quick;		      /* --quick: the short form of the workload */
	struct wl_domain guest; /* the measured domU (dom0 itself for dom0_only workloads) */
	json_t *run; /* this repetition's results.json record: a hook may add "reason" (why
		      * it failed) and keys of its own (reports/results-schema.md) */
	/* Runs a shell command (printf format) in domain dom, stdout and stderr into out
	 * (may be NULL): 0, or a negative errno (the command's non-zero exit is -EIO). */
	int (*sh)(struct wl_ctx *c, int dom, double timeout_s, struct sbuf *out, const char *fmt,
		  ...) __attribute__((format(printf, 5, 6)));
	/* Runs the measured command in domain dom within scenario.timeout, keeps its stdout
	 * as raw/NNNN-<variant>-<rep>.<ext> before anything reads it, parses it with the
	 * workload's parse hook and fills the record's metrics, series and measure_s.
	 * Returns the repetition's status (FAIL with a reason for a parse error or a
	 * non-zero exit, TIMEOUT, CRASH). */
	enum pvb_status (*measure)(struct wl_ctx *c, int dom, const char *cmd, const char *ext);
	/* A second domU of the same configuration as the measured one (guest-to-guest
	 * workloads): created at first use, kept for the boot, recreated after a failed
	 * repetition. PVB_OK and *peer, or the status of the failure. */
	enum pvb_status (*peer)(struct wl_ctx *c, struct wl_domain *peer);
};

/* A kernel log line that shows the feature's negotiation, recorded with the
 * evidence: a printf format (%d: the domU's id) of an ERE for grep -E. */
struct wl_log_grep {
	bool domu; /* the domU's kernel log, else dom0's */
	const char *re;
};

/* Charts the report draws for a workload beyond one per metric, the latency
 * percentiles, sweeps and the boot timeline (report/report_chart.c). */
#define WL_CHART_INTERVALS "intervals" /* throughput per reporting interval (series) */
#define WL_CHART_RATES "rates"	       /* reply rate against offered rate (series) */

struct workload_ops {
	const char *name;   /* scenario.workload = <name>; workloads/<name>/ */
	const char *doc;    /* one sentence for `pvbench list` */
	const char *phrase; /* its part of scenario.workload's doc: "fio on the domU's PV disk" */
	const struct scenario_key *keys; /* its [workload] keys */
	const size_t *n_keys;
	const struct metric_meta *metrics; /* every metric the parser may produce */
	const size_t *n_metrics;
	/* The metrics that answer the workload's question (NULL-terminated): compare's
	 * verdict and exit status come from these only (reports/README.md); a scenario
	 * may choose others with [scenario] primary. */
	const char *const *primary;
	const struct wl_rule *rules;	   /* ends with a row whose doc is NULL; may be NULL */
	const char *const *evidence;	   /* evidence names read for every variant */
	struct wl_log_grep log_grep[2];	   /* unused rows: re NULL */
	const char *const *charts;	   /* WL_CHART_*, NULL-terminated; may be NULL */
	bool dom0_only; /* runs in dom0 alone: no measured domU is created */
	/* One measured repetition: starts what the workload needs (servers, echo sides),
	 * builds the command from c->vals and calls c->measure. Returns the status. */
	enum pvb_status (*run)(struct wl_ctx *c);
	wl_parse_fn parse; /* the tool's output -> metrics (c->measure calls it) */
};

/* The i-th registered workload (registry order: `pvbench list`, the docs), NULL past
 * the end. */
const struct workload_ops *workload_at(size_t i);

/* The workload called name, or NULL (also for NULL). */
const struct workload_ops *workload_find(const char *name);

/* Whether metric is one of wl's metrics. */
bool workload_has_metric(const struct workload_ops *wl, const char *metric);

#endif
