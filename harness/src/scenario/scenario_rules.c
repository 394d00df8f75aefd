/* scenario_rules.c: the cross-key rules every variant of a scenario must keep (one
 * sentence each, listed by `pvbench list --keys`), and the helpers that read the
 * [scenario] keys they check: detect (a percentage) and primary (metric names). */
#include "pvbench/scenario.h"

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

bool scenario_metric_primary(const struct scenario *sc, const struct workload_ops *wl,
			     const char *metric)
{
	const char *list = scenario_get(sc, "scenario", "primary");

	if (list && *list)
		return each_word(list, word_is, metric) != 0;
	for (const char *const *p = wl->primary; p && *p; p++)
		if (!strcmp(*p, metric))
			return true;
	return false;
}

struct metric_lookup {
	const struct workload_ops *wl;
	char bad[METRIC_NAME_MAX]; /* the first word that is not a metric */
};

static int word_not_metric(const char *w, size_t n, const void *arg)
{
	struct metric_lookup *l = (struct metric_lookup *)arg;

	snprintf(l->bad, sizeof(l->bad), "%.*s", (int)n, w);
	return n < sizeof(l->bad) && workload_has_metric(l->wl, l->bad) ? 0 : -EINVAL;
}

static int rule_primary(const struct scenario *sc, const struct variant *v, struct sbuf *msg)
{
	struct metric_lookup l = {
		.wl = workload_find(scenario_get(sc, "scenario", "workload")),
	};
	const char *list = scenario_get(sc, "scenario", "primary");

	(void)v;
	if (!l.wl || !list || !each_word(list, word_not_metric, &l))
		return 0;
	sb_printf(msg, "scenario.primary: '%s' is not a metric of workload %s (see 'pvbench list')",
		  l.bad, l.wl->name);
	return -EINVAL;
}


/* The rules of every scenario; a workload adds its own (workload_ops.rules), listed
 * between the first three and the last three. */
static const struct scenario_rule_row {
	const char *doc;
	int (*check)(const struct scenario *sc, const struct variant *v, struct sbuf *msg);
	const char *const *keys; /* the keys it involves, where an error points */
} rules_before[] = {
	{ "machine.dom0_vcpus must not exceed machine.vcpus.", rule_dom0_vcpus,
	  KEYS("machine.dom0_vcpus", "machine.vcpus") },
	{ "machine.dom0_mem + guest.memory must leave Xen 256 MiB of machine.memory.", rule_memory,
	  KEYS("machine.dom0_mem", "machine.memory", "guest.memory") },
	{ "guest.disk_size lives in dom0 RAM and must leave 512 MiB of machine.dom0_mem.",
	  rule_disk, KEYS("guest.disk_size", "machine.dom0_mem") },
}, rules_after[] = {
	{ "scenario.primary names metrics of the workload.", rule_primary, KEYS("scenario.primary") },
	{ "scenario.detect is a percentage, e.g. 2%.", rule_detect, KEYS("scenario.detect") },
	{ "Exactly one variant is the baseline: the one with baseline = true, else the first.",
	  NULL, NULL },
};

/* Rule i: a row of rules_before, of a workload (registry order), or of rules_after;
 * *wl says whose (NULL: every scenario's). NULL past the end. */
static const void *rule_at(size_t i, const struct workload_ops **wl)
{
	const struct workload_ops *w;

	*wl = NULL;
	if (i < ARRAY_SIZE(rules_before))
		return &rules_before[i];
	i -= ARRAY_SIZE(rules_before);
	for (size_t k = 0; (w = workload_at(k)); k++)
		for (const struct wl_rule *r = w->rules; r && r->doc; r++)
			if (!i--) {
				*wl = w;
				return r;
			}
	return i < ARRAY_SIZE(rules_after) ? &rules_after[i] : NULL;
}

const char *scenario_rule(size_t i)
{
	const struct workload_ops *wl;
	const void *r = rule_at(i, &wl);

	return !r ? NULL : wl ? ((const struct wl_rule *)r)->doc
			      : ((const struct scenario_rule_row *)r)->doc;
}

int scenario_rule_check(size_t i, const struct scenario *sc, const struct variant *v,
			struct sbuf *msg, const char *const **keys)
{
	const struct workload_ops *wl;
	const void *r = rule_at(i, &wl);

	if (r && wl) { /* a workload's rule applies to its own scenarios */
		const struct wl_rule *w = r;

		if (strcmp(wl->name, scenario_get(sc, "scenario", "workload") ?: ""))
			return 0;
		*keys = w->keys;
		return w->check(SCENARIO_VALUES(sc, v), msg);
	}
	if (!r || !((const struct scenario_rule_row *)r)->check)
		return 0;
	*keys = ((const struct scenario_rule_row *)r)->keys;
	return ((const struct scenario_rule_row *)r)->check(sc, v, msg);
}
