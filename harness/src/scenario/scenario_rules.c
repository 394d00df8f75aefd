/* scenario_rules.c: the cross-key rules every variant of a scenario must keep (one
 * sentence each, listed by `pvbench list --keys`), and the helpers that read the
 * [scenario] keys they check: detect (a percentage) and primary (metric names). */
#include "pvbench/scenario.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rules across keys ---- */

static int rule_dom0_vcpus(const struct wl_values *v, struct sbuf *msg)
{
	long d = wl_long_or(v, "machine", "dom0_vcpus", -1);
	long n = wl_long_or(v, "machine", "vcpus", -1);

	if (d <= n)
		return 0;
	sb_printf(msg, "machine.dom0_vcpus (%ld) exceeds machine.vcpus (%ld)", d, n);
	return -EINVAL;
}

static int rule_memory(const struct wl_values *v, struct sbuf *msg)
{
	long d0 = wl_long_or(v, "machine", "dom0_mem", -1);
	long mem = wl_long_or(v, "machine", "memory", -1);
	long gm = wl_long_or(v, "guest", "memory", -1);

	if (d0 + gm + 256 <= mem)
		return 0;
	sb_printf(msg,
		  "machine.dom0_mem (%ld MiB) + guest.memory (%ld MiB) leave Xen less than 256 MiB "
		  "of machine.memory (%ld MiB)",
		  d0, gm, mem);
	return -EINVAL;
}

static int rule_disk(const struct wl_values *v, struct sbuf *msg)
{
	long disk = wl_long_or(v, "guest", "disk_size", -1);
	long d0 = wl_long_or(v, "machine", "dom0_mem", -1);

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

/* "2%" -> 0.02: 0, or -EINVAL unless a percentage in (0, 100]. */
static int detect_parse(const char *v, double *frac)
{
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

int scenario_detect(const struct scenario *sc, double *frac)
{
	return detect_parse(scenario_get(sc, "scenario", "detect"), frac);
}

static int rule_detect(const struct wl_values *v, struct sbuf *msg)
{
	const char *s = wl_get(v, "scenario", "detect");
	double d;

	if (!detect_parse(s, &d))
		return 0;
	sb_printf(msg, "scenario.detect '%s' is not a percentage above 0 and at most 100 (e.g. 2%%)",
		  s);
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

static int rule_primary(const struct wl_values *v, struct sbuf *msg)
{
	struct metric_lookup l = { .wl = workload_find(wl_get(v, "scenario", "workload")) };
	const char *list = wl_get(v, "scenario", "primary");

	if (!l.wl || !list || !each_word(list, word_not_metric, &l))
		return 0;
	sb_printf(msg, "scenario.primary: '%s' is not a metric of workload %s (see 'pvbench list')",
		  l.bad, l.wl->name);
	return -EINVAL;
}


/* The rules of every scenario, in the same form as a workload's (workload.h), which
 * are listed between the first three and the last three. */
static const struct wl_rule rules_before[] = {
	{ "machine.dom0_vcpus must not exceed machine.vcpus.", rule_dom0_vcpus,
	  WL_LIST("machine.dom0_vcpus", "machine.vcpus") },
	{ "machine.dom0_mem + guest.memory must leave Xen 256 MiB of machine.memory.", rule_memory,
	  WL_LIST("machine.dom0_mem", "machine.memory", "guest.memory") },
	{ "guest.disk_size lives in dom0 RAM and must leave 512 MiB of machine.dom0_mem.",
	  rule_disk, WL_LIST("guest.disk_size", "machine.dom0_mem") },
}, rules_after[] = {
	{ "scenario.primary names metrics of the workload.", rule_primary,
	  WL_LIST("scenario.primary") },
	{ "scenario.detect is a percentage, e.g. 2%.", rule_detect, WL_LIST("scenario.detect") },
	/* checked by the loader (scenario.c), listed here for the docs */
	{ "Exactly one variant is the baseline: the one with baseline = true, else the first.",
	  NULL, NULL },
};

/* Rule i: a row of rules_before, of a workload (registry order), or of rules_after;
 * *wl says whose (NULL: every scenario's). NULL past the end. */
static const struct wl_rule *rule_at(size_t i, const struct workload_ops **wl)
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
	const struct wl_rule *r = rule_at(i, &wl);

	return r ? r->doc : NULL;
}

int scenario_rule_check(size_t i, const struct scenario *sc, const struct variant *v,
			struct sbuf *msg, const char *const **keys)
{
	const struct workload_ops *wl;
	const struct wl_rule *r = rule_at(i, &wl);

	/* a workload's rules apply to its own scenarios only */
	if (!r || !r->check ||
	    (wl && strcmp(wl->name, scenario_get(sc, "scenario", "workload") ?: "")))
		return 0;
	*keys = r->keys;
	return r->check(SCENARIO_VALUES(sc, v), msg);
}
