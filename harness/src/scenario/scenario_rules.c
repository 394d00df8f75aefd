/* scenario_rules.c: the cross-key rules every variant of a scenario must keep (one
 * sentence each, listed by `pvbench list --keys`), and the helpers that read the
 * [scenario] keys they check: detect (a percentage) and primary (metric names). */
#include "pvbench/scenario.h"
#include "../../../workloads/httperf/httperf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEYS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* ---- rules across keys ---- */

static long val(const struct scenario *sc, const struct variant *v, const char *sect,
		const char *key)
{
	long n = -1;

	scenario_get_long(sc, v, sect, key, &n);
	return n;
}

static int rule_dom0_vcpus(const struct scenario *sc, const struct variant *v, struct sbuf *msg)
{
	long d = val(sc, v, "machine", "dom0_vcpus"), n = val(sc, v, "machine", "vcpus");

	if (d <= n)
		return 0;
	sb_printf(msg, "machine.dom0_vcpus (%ld) exceeds machine.vcpus (%ld)", d, n);
	return -EINVAL;
}

static int rule_memory(const struct scenario *sc, const struct variant *v, struct sbuf *msg)
{
	long d0 = val(sc, v, "machine", "dom0_mem"), mem = val(sc, v, "machine", "memory");
	long gm = val(sc, v, "guest", "memory");

	if (d0 + gm + 256 <= mem)
		return 0;
	sb_printf(msg,
		  "machine.dom0_mem (%ld MiB) + guest.memory (%ld MiB) leave Xen less than 256 MiB "
		  "of machine.memory (%ld MiB)",
		  d0, gm, mem);
	return -EINVAL;
}

static int rule_disk(const struct scenario *sc, const struct variant *v, struct sbuf *msg)
{
	long disk = val(sc, v, "guest", "disk_size"), d0 = val(sc, v, "machine", "dom0_mem");

	if (disk + 512 <= d0)
		return 0;
	sb_printf(msg, "guest.disk_size (%ld MiB) leaves less than 512 MiB of machine.dom0_mem (%ld MiB)",
		  disk, d0);
	return -EINVAL;
}

static int rule_size(const struct scenario *sc, const struct variant *v, struct sbuf *msg)
{
	long size = val(sc, v, "workload", "size"), disk = val(sc, v, "guest", "disk_size");

	if (size <= (disk << 20))
		return 0;
	sb_printf(msg, "workload.size (%s) exceeds guest.disk_size (%ld MiB)",
		  variant_get(sc, v, "workload", "size"), disk);
	return -EINVAL;
}

static bool workload_is(const struct scenario *sc, const char *name)
{
	const char *wl = scenario_get(sc, "scenario", "workload");

	return wl && !strcmp(wl, name);
}

static int rule_timeout(const struct scenario *sc, const struct variant *v, struct sbuf *msg)
{
	long to = val(sc, v, "scenario", "timeout"), quick = val(sc, v, "scenario", "quick_runtime");
	long run = val(sc, v, "workload", "runtime"), ramp = val(sc, v, "workload", "ramp_time");

	if (!workload_is(sc, "fio") || (to > ramp + run && to > quick))
		return 0;
	sb_printf(msg,
		  "scenario.timeout (%gs) must exceed workload.ramp_time + workload.runtime (%gs) "
		  "and scenario.quick_runtime (%gs)",
		  to / 1e3, (ramp + run) / 1e3, quick / 1e3);
	return -EINVAL;
}

static int rule_rwmixread(const struct scenario *sc, const struct variant *v, struct sbuf *msg)
{
	static const char *const mixed[] = { "rw", "readwrite", "randrw" };
	const char *rw = variant_get(sc, v, "workload", "rw");

	if (val(sc, v, "workload", "rwmixread") < 0)
		return 0;
	for (size_t i = 0; rw && i < ARRAY_SIZE(mixed); i++)
		if (!strcmp(rw, mixed[i]))
			return 0;
	sb_puts(msg, "workload.rwmixread applies only to rw = rw, readwrite or randrw");
	return -EINVAL;
}

/* iperf3 runs omit + duration seconds (the omitted seconds come first); --quick runs
 * quick_runtime rounded up to whole seconds, without omit. */
static int rule_iperf3_timeout(const struct scenario *sc, const struct variant *v,
			       struct sbuf *msg)
{
	long to = val(sc, v, "scenario", "timeout"), quick = val(sc, v, "scenario", "quick_runtime");
	long dur = val(sc, v, "workload", "duration"), omit = val(sc, v, "workload", "omit");

	if (!workload_is(sc, "iperf3") || (to > omit + dur && to > (quick + 999) / 1000 * 1000))
		return 0;
	sb_printf(msg,
		  "scenario.timeout (%gs) must exceed workload.omit + workload.duration (%gs) "
		  "and scenario.quick_runtime (%gs)",
		  to / 1e3, (omit + dur) / 1e3, quick / 1e3);
	return -EINVAL;
}

/* httperf: workload.rates parses (httperf_rates), and the sweep fits in one
 * repetition's timeout: every rate holds rate_duration (quick: quick_runtime), and
 * its last connections may wait client_timeout more. */
static int rule_httperf_sweep(const struct scenario *sc, const struct variant *v,
			      struct sbuf *msg)
{
	long rates[HTTPERF_RATES_MAX];
	size_t n = 0;
	long to = val(sc, v, "scenario", "timeout"), dur = val(sc, v, "workload", "rate_duration");
	long cto = val(sc, v, "workload", "client_timeout");

	if (!workload_is(sc, "httperf"))
		return 0;
	if (httperf_rates(sc, v, rates, &n, msg))
		return -EINVAL;
	if (to > (long)n * (dur + cto))
		return 0;
	sb_printf(msg,
		  "scenario.timeout (%gs) must exceed the sweep: %zu rates x (workload.rate_duration "
		  "%gs + workload.client_timeout %gs) = %gs",
		  to / 1e3, n, dur / 1e3, cto / 1e3, (double)n * (dur + cto) / 1e3);
	return -EINVAL;
}

/* iperf3 refuses -l outside 16..65507 bytes with -u (one UDP datagram; iperf 3.12). */
static int rule_iperf3_length(const struct scenario *sc, const struct variant *v,
			      struct sbuf *msg)
{
	const char *proto = variant_get(sc, v, "workload", "protocol");
	long len = val(sc, v, "workload", "length");

	if (!workload_is(sc, "iperf3") || !proto || strcmp(proto, "udp") || len < 0 ||
	    (len >= 16 && len <= 65507))
		return 0;
	sb_printf(msg, "workload.length (%ld bytes) must be 16 to 65507 bytes with protocol = udp",
		  len);
	return -EINVAL;
}

/* Calls fn on each comma-separated, blank-trimmed word of list; stops at the first
 * non-zero return and returns it. */
static int each_word(const char *list, int (*fn)(const char *w, size_t n, const void *arg),
		     const void *arg)
{
	int rc = 0;

	while (list && *list && !rc) {
		size_t n = strcspn(list, ",");
		const char *w = list, *end = list + n;

		while (w < end && isspace((unsigned char)*w))
			w++;
		while (end > w && isspace((unsigned char)end[-1]))
			end--;
		if (end > w)
			rc = fn(w, (size_t)(end - w), arg);
		list += n + (list[n] == ',');
	}
	return rc;
}

int scenario_detect(const struct scenario *sc, double *frac)
{
	const char *v = scenario_get(sc, "scenario", "detect");
	char *end;
	double d;

	if (!v || !isdigit((unsigned char)*v))
		return -EINVAL;
	d = strtod(v, &end);
	if (strcmp(end, "%") || !(d > 0 && d <= 100))
		return -EINVAL;
	*frac = d / 100;
	return 0;
}

static int rule_detect(const struct scenario *sc, const struct variant *v, struct sbuf *msg)
{
	double d;

	(void)v;
	if (!scenario_detect(sc, &d))
		return 0;
	sb_printf(msg, "scenario.detect '%s' is not a percentage above 0 and at most 100 (e.g. 2%%)",
		  scenario_get(sc, "scenario", "detect"));
	return -EINVAL;
}

static int word_is(const char *w, size_t n, const void *name)
{
	return strlen(name) == n && !strncmp(w, name, n);
}

bool scenario_metric_primary(const struct scenario *sc, const struct workload_info *wi,
			     const char *metric)
{
	const char *list = scenario_get(sc, "scenario", "primary");

	if (list && *list)
		return each_word(list, word_is, metric) != 0;
	for (const char *const *p = wi->primary; p && *p; p++)
		if (!strcmp(*p, metric))
			return true;
	return false;
}

struct metric_lookup {
	const struct workload_info *wi;
	char bad[METRIC_NAME_MAX]; /* the first word that is not a metric */
};

static int word_not_metric(const char *w, size_t n, const void *arg)
{
	struct metric_lookup *l = (struct metric_lookup *)arg;

	for (size_t i = 0; i < *l->wi->n_metrics; i++)
		if (word_is(w, n, l->wi->metrics[i].name))
			return 0;
	snprintf(l->bad, sizeof(l->bad), "%.*s", (int)n, w);
	return -EINVAL;
}

static int rule_primary(const struct scenario *sc, const struct variant *v, struct sbuf *msg)
{
	struct metric_lookup l = {
		.wi = scenario_workload_find(scenario_get(sc, "scenario", "workload")),
	};
	const char *list = scenario_get(sc, "scenario", "primary");

	(void)v;
	if (!l.wi || !list || !each_word(list, word_not_metric, &l))
		return 0;
	sb_printf(msg, "scenario.primary: '%s' is not a metric of workload %s (see 'pvbench list')",
		  l.bad, l.wi->name);
	return -EINVAL;
}


static const struct {
	const char *doc;
	int (*check)(const struct scenario *sc, const struct variant *v, struct sbuf *msg);
	const char *const *keys; /* the keys it involves, where an error points */
} rules[] = {
	{ "machine.dom0_vcpus must not exceed machine.vcpus.", rule_dom0_vcpus,
	  KEYS("machine.dom0_vcpus", "machine.vcpus") },
	{ "machine.dom0_mem + guest.memory must leave Xen 256 MiB of machine.memory.", rule_memory,
	  KEYS("machine.dom0_mem", "machine.memory", "guest.memory") },
	{ "guest.disk_size lives in dom0 RAM and must leave 512 MiB of machine.dom0_mem.",
	  rule_disk, KEYS("guest.disk_size", "machine.dom0_mem") },
	{ "workload.size must not exceed guest.disk_size.", rule_size,
	  KEYS("workload.size", "guest.disk_size") },
	{ "scenario.timeout must exceed workload.ramp_time + workload.runtime, and "
	  "scenario.quick_runtime.",
	  rule_timeout,
	  KEYS("scenario.timeout", "scenario.quick_runtime", "workload.runtime",
	       "workload.ramp_time") },
	{ "scenario.primary names metrics of the workload.", rule_primary, KEYS("scenario.primary") },
	{ "scenario.detect is a percentage, e.g. 2%.", rule_detect, KEYS("scenario.detect") },
	{ "workload.rwmixread applies only to rw = rw, readwrite or randrw.", rule_rwmixread,
	  KEYS("workload.rwmixread", "workload.rw") },
	{ "iperf3: scenario.timeout must exceed workload.omit + workload.duration, and "
	  "scenario.quick_runtime.",
	  rule_iperf3_timeout,
	  KEYS("scenario.timeout", "scenario.quick_runtime", "workload.duration",
	       "workload.omit") },
	{ "iperf3: with protocol = udp, workload.length must be 16 to 65507 bytes (one UDP "
	  "datagram).",
	  rule_iperf3_length, KEYS("workload.length", "workload.protocol") },
	{ "httperf: workload.rates are integers 1 to 100000, no repeats, at most 32; "
	  "scenario.timeout exceeds their number x (rate_duration + client_timeout).",
	  rule_httperf_sweep,
	  KEYS("workload.rates", "scenario.timeout", "workload.rate_duration",
	       "workload.client_timeout") },
	{ "Exactly one variant is the baseline: the one with baseline = true, else the first.",
	  NULL, NULL },
};

const char *scenario_rule(size_t i)
{
	return i < ARRAY_SIZE(rules) ? rules[i].doc : NULL;
}

int scenario_rule_check(size_t i, const struct scenario *sc, const struct variant *v,
			struct sbuf *msg, const char *const **keys)
{
	if (i >= ARRAY_SIZE(rules) || !rules[i].check)
		return 0;
	*keys = rules[i].keys;
	return rules[i].check(sc, v, msg);
}
