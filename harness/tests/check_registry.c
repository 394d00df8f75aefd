/* check_registry.c: the workload registry (workloads/registry.c, workload.h): every
 * row is complete and agrees with the rest of pvbench: its directory and README, its
 * [workload] keys, metrics whose names carry their unit (metrics.h), a parser, a run
 * hook, primary metrics that are metrics, evidence names the runner can read, rules
 * with a sentence and keys, and charts the report knows. */
#include "pvbench/scenario.h"
#include "pvbench/workload.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && !strcmp(s + n - k, suffix);
}

/* The unit a metric name's suffix promises (reports/results-schema.md), or NULL.
 * "_per_s" is any rate: its unit ends in "/s". */
static bool unit_matches_suffix(const struct metric_meta *m)
{
	static const struct {
		const char *suffix, *unit;
	} units[] = {
		{ "_iops", "IO/s" }, { "_bytes_per_s", "bytes/s" }, { "_bits_per_s", "bits/s" },
		{ "_ns", "ns" },     { "_us", "us" },		    { "_ms", "ms" },
		{ "_pct", "%" },     { "_bytes", "bytes" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (ends_with(m->name, units[i].suffix))
			return !strcmp(m->unit, units[i].unit);
	if (ends_with(m->name, "_per_s"))
		return ends_with(m->unit, "/s");
	if (ends_with(m->name, "_s"))
		return !strcmp(m->unit, "s");
	return !strcmp(m->unit, "count"); /* a plain count has no suffix (metrics.h) */
}

START_TEST(test_rows_complete)
{
	const struct workload_ops *wl = workload_at(_i);
	char path[256];
	struct stat st;

	ck_assert_ptr_nonnull(wl);
	ck_assert_ptr_eq(workload_find(wl->name), wl);
	ck_assert_msg(scenario_is_name(wl->name), "%s: not a name", wl->name);
	snprintf(path, sizeof(path), "workloads/%s/README.md", wl->name);
	ck_assert_msg(!stat(path, &st) && st.st_size > 0, "%s: no %s", wl->name, path);
	ck_assert_msg(wl->doc && *wl->doc && wl->phrase && *wl->phrase, "%s: no doc", wl->name);
	ck_assert_msg(wl->run && wl->parse, "%s: no run or parse hook", wl->name);
	ck_assert_msg(*wl->n_keys > 0, "%s: no [workload] keys", wl->name);
	for (size_t i = 0; i < *wl->n_keys; i++) {
		ck_assert_str_eq(wl->keys[i].section, "workload");
		ck_assert_str_eq(wl->keys[i].workload, wl->name);
		ck_assert_msg(wl->keys[i].doc && *wl->keys[i].doc && wl->keys[i].example,
			      "%s.%s lacks docs", wl->name, wl->keys[i].name);
	}
	ck_assert_msg(*wl->n_metrics > 0, "%s: no metrics", wl->name);
	for (size_t i = 0; i < *wl->n_metrics; i++) {
		const struct metric_meta *m = &wl->metrics[i];

		ck_assert_msg(unit_matches_suffix(m), "%s: metric %s has unit '%s', which its "
			      "name's suffix does not say", wl->name, m->name, m->unit);
		ck_assert_msg(m->better == METRIC_HIGHER || m->better == METRIC_LOWER,
			      "%s: metric %s has no direction", wl->name, m->name);
		ck_assert_msg(m->doc && *m->doc, "%s: metric %s has no doc", wl->name, m->name);
		ck_assert_uint_lt(strlen(m->name), METRIC_NAME_MAX);
	}
	ck_assert_msg(wl->primary && wl->primary[0], "%s: no primary metric", wl->name);
	for (const char *const *p = wl->primary; *p; p++)
		ck_assert_msg(workload_has_metric(wl, *p), "%s: primary %s is not a metric",
			      wl->name, *p);
	for (const char *const *e = wl->evidence; e && *e; e++) {
		const char *rest;

		ck_assert_msg(scenario_evidence_find(*e, &rest), "%s: unknown evidence %s",
			      wl->name, *e);
	}
	for (const struct wl_rule *r = wl->rules; r && r->doc; r++) {
		ck_assert_msg(r->check && r->keys && r->keys[0], "%s: rule '%s' incomplete",
			      wl->name, r->doc);
		for (const char *const *k = r->keys; *k; k++) {
			const char *dot = strchr(*k, '.');
			char sect[32];

			ck_assert_ptr_nonnull(dot);
			snprintf(sect, sizeof(sect), "%.*s", (int)(dot - *k), *k);
			ck_assert_msg(scenario_key_find(sect, dot + 1), "%s: rule key %s unknown",
				      wl->name, *k);
		}
	}
	for (const char *const *c = wl->charts; c && *c; c++)
		ck_assert_msg(!strcmp(*c, WL_CHART_INTERVALS) || !strcmp(*c, WL_CHART_RATES),
			      "%s: unknown chart %s", wl->name, *c);
	for (size_t i = 0; i < ARRAY_SIZE(wl->log_grep); i++)
		ck_assert(!wl->log_grep[i].re || *wl->log_grep[i].re);
}
END_TEST

START_TEST(test_lookup)
{
	size_t n = 0;

	while (workload_at(n))
		n++;
	ck_assert_uint_ge(n, 5);
	ck_assert_ptr_null(workload_find(NULL));
	ck_assert_ptr_null(workload_find("nosuch"));
	ck_assert_ptr_null(workload_find("FIO"));
	/* names are unique */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			ck_assert_str_ne(workload_at(i)->name, workload_at(j)->name);
	ck_assert(workload_has_metric(workload_find("fio"), "read_iops"));
	ck_assert(!workload_has_metric(workload_find("fio"), "rtt_p50_ns"));
	ck_assert(!workload_has_metric(NULL, "read_iops"));
}
END_TEST

/* Every directory under workloads/ with a README is registered: a workload cannot be
 * half added. */
START_TEST(test_every_directory_registered)
{
	FILE *p = popen("ls -d workloads/*/README.md", "r");
	char line[256];
	int n = 0;

	ck_assert_ptr_nonnull(p);
	while (fgets(line, sizeof(line), p)) {
		char name[64];

		ck_assert_int_eq(sscanf(line, "workloads/%63[^/]/README.md", name), 1);
		ck_assert_msg(workload_find(name), "workloads/%s is not in workloads/registry.c",
			      name);
		n++;
	}
	pclose(p);
	ck_assert_int_ge(n, 5);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("registry");
	TCase *core = tcase_create("core");
	size_t n = 0;

	while (workload_at(n))
		n++;
	tcase_add_loop_test(core, test_rows_complete, 0, (int)n);
	tcase_add_test(core, test_lookup);
	tcase_add_test(core, test_every_directory_registered);
	suite_add_tcase(s, core);
	return test_run_suite(s);
}
