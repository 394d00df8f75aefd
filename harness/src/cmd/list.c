/* list.c: `pvbench list`: the shipped scenarios (each one loaded, so this also
 * checks them), the workloads and their metrics, and the scenario key reference,
 * as text or as Markdown; `list --keys --format md` is scenarios/README.md. */
#define _GNU_SOURCE /* asprintf */
#include "pvbench/commands.h"
#include "pvbench/metrics.h"
#include "pvbench/plan.h"
#include "pvbench/scenario.h"
#include "pvbench/workload.h"
#include "pvbench/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct list_opts {
	bool scenarios, workloads, keys, md;
	const char *format; /* --format: "text" or "md" (md) */
	const char *dir;
};

/* ---- scenarios ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted paths of the .ini files in dir; *n = count. 0 or -errno. */
static int ini_files(const char *dir, char ***out, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;

	*n = 0;
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char **nv;

		if (len < 5 || strcmp(e->d_name + len - 4, ".ini"))
			continue;
		nv = realloc(v, (*n + 1) * sizeof(*v));
		if (!nv || asprintf(&nv[*n], "%s/%s", dir, e->d_name) < 0) {
			v = nv ? nv : v;
			break;
		}
		v = nv;
		(*n)++;
	}
	closedir(d);
	qsort(v, *n, sizeof(*v), cmp_str);
	*out = v;
	return 0;
}

static void print_variants(FILE *f, const struct scenario *sc)
{
	for (size_t i = 0; i < sc->n_variants; i++)
		fprintf(f, "%s%s%s", i ? ", " : "", sc->variants[i].name,
			sc->variants[i].baseline ? " (baseline)" : "");
}

/* One scenario: name, file, variants, plan summary, description. 0 or -errno. */
static int show_scenario(FILE *f, const char *path, bool md)
{
	struct scenario sc;
	struct plan p;
	struct sbuf err = { 0 }, sum = { 0 };
	int rc = scenario_load(path, &sc, &err);

	if (rc) {
		pvb_err("%s", err.buf ? err.buf : "cannot load scenario");
		sb_free(&err);
		return rc;
	}
	rc = plan_build(&sc, NULL, &p, &err);
	if (!rc)
		rc = plan_describe(&sc, &p, false, &sum);
	if (!rc && sum.len)
		sum.buf[--sum.len] = '\0';
	if (!rc && md) {
		fprintf(f, "| `%s` | %s | ", path, scenario_get(&sc, "scenario", "description"));
		print_variants(f, &sc);
		fprintf(f, " | %s |\n", strchr(sum.buf, ':') + 2);
	} else if (!rc) {
		fprintf(f, "  %s\n    %s\n    variants: ", sum.buf, path);
		print_variants(f, &sc);
		fprintf(f, "\n    %s\n", scenario_get(&sc, "scenario", "description"));
	} else {
		pvb_err("%s", err.buf ? err.buf : "cannot plan scenario");
	}
	plan_free(&p);
	scenario_free(&sc);
	sb_free(&err);
	sb_free(&sum);
	return rc;
}

static int list_scenarios(FILE *f, const char *dir, bool md)
{
	char **files = NULL;
	size_t n;
	int rc = ini_files(dir, &files, &n), bad = 0;

	if (rc) {
		pvb_err("cannot read directory '%s': %s", dir, strerror(-rc));
		return rc;
	}
	if (md)
		fprintf(f, "| file | description | variants | plan |\n|---|---|---|---|\n");
	else
		fprintf(f, "scenarios in %s:\n", dir);
	for (size_t i = 0; i < n; i++) {
		bad |= show_scenario(f, files[i], md) != 0;
		free(files[i]);
	}
	free(files);
	return bad ? -EINVAL : 0;
}

/* ---- workloads ---- */

static void list_workloads(FILE *f, bool md)
{
	const struct workload_ops *wd;

	for (size_t w = 0; (wd = workload_at(w)); w++) {

		if (md)
			fprintf(f, "### %s\n\n%s.\n\nPrimary metric (its verdict is the answer): ",
				wd->name, wd->doc);
		else
			fprintf(f, "workload %s: %s\n  primary: ", wd->name, wd->doc);
		for (const char *const *p = wd->primary; p && *p; p++)
			fprintf(f, md ? "%s`%s`" : "%s%s", p == wd->primary ? "" : ", ", *p);
		if (md)
			fprintf(f, ".\n\n| metric | unit | better | meaning |\n|---|---|---|---|\n");
		else
			fprintf(f, "\n");
		for (size_t i = 0; i < *wd->n_metrics; i++) {
			const struct metric_meta *m = &wd->metrics[i];

			fprintf(f, md ? "| `%s` | %s | %s | %s |\n" : "  %-22s %-8s %-7s %s\n",
				m->name, m->unit, metric_better_str(m->better), m->doc);
		}
		fprintf(f, "\n");
	}
}

/* ---- keys ---- */

/* Prints s escaped for a Markdown table cell: '|' would end the cell, and <name>
 * would be taken for an HTML tag. */
static void cell(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else
			fputc(*s, f);
	}
}

static void key_row(FILE *f, const struct scenario_key *k, bool md)
{
	struct sbuf exp = { 0 };
	const char *def = k->def ? (*k->def ? k->def : "\"\"") : "unset";

	if (k->flags & SK_REQUIRED)
		def = "required";
	scenario_key_expected(k, &exp);
	if (!md) {
		fprintf(f, "  %-20s %s, %s%s%s%s\n", k->name, scenario_type_name(k->type),
			k->def ? "default " : "", def,
			*k->unit ? ", in " : "", k->unit);
		fprintf(f, "  %-20s %s; e.g. %s\n  %-20s %s\n", "", exp.buf ? exp.buf : "",
			k->example, "", k->doc);
	} else {
		fprintf(f, "| `%s` | %s | %s | %s | ", k->name, scenario_type_name(k->type), def,
			k->unit ? k->unit : "");
		cell(f, exp.buf);
		fprintf(f, " | ");
		cell(f, k->doc);
		fprintf(f, " | `%s` |\n", k->example);
	}
	sb_free(&exp);
}

static void section_keys(FILE *f, const char *section, const char *workload, bool md)
{
	const struct scenario_key *k;

	if (md)
		fprintf(f, "### [%s]%s%s\n\n| key | type | default | unit | accepts | meaning | "
			   "example |\n|---|---|---|---|---|---|---|\n",
			section, workload ? " for workload = " : "", workload ? workload : "");
	else
		fprintf(f, "[%s]%s%s\n", section, workload ? " (workload = " : "",
			workload ? workload : "");
	for (size_t i = 0; (k = scenario_key_at(i)); i++)
		if (!strcmp(k->section, section) &&
		    (!workload || (k->workload && !strcmp(k->workload, workload))))
			key_row(f, k, md);
	fprintf(f, "\n");
}

static void variant_keys(FILE *f, bool md)
{
	size_t n;
	const struct variant_key *vk = scenario_variant_keys(&n);

	fprintf(f, md ? "### [variant NAME]\n\n| key | changing it needs | meaning | example |\n"
			"|---|---|---|---|\n"
		      : "[variant NAME]\n");
	for (size_t i = 0; i < n; i++) {
		const char *scope = vk[i].scope == SCOPE_BOOT	 ? "a new boot"
				    : vk[i].scope == SCOPE_GUEST ? "a new domU"
								 : "nothing";

		if (md) {
			fprintf(f, "| `%s` | %s | ", vk[i].pattern, scope);
			cell(f, vk[i].doc);
			fprintf(f, " | `%s` |\n", vk[i].example);
		} else
			fprintf(f, "  %-24s needs %s\n  %24s %s\n  %24s e.g. %s\n", vk[i].pattern,
				scope, "", vk[i].doc, "", vk[i].example);
	}
	fprintf(f, "\n");
}

static void module_params(FILE *f, bool md)
{
	size_t n;
	const struct module_param *mp = scenario_module_params(&n);

	fprintf(f, md ? "### Module parameters\n\n| key | accepts | kernel default | meaning |\n"
			"|---|---|---|---|\n"
		      : "module parameters (domU.<module>.<param>, dom0.<module>.<param>):\n");
	for (size_t i = 0; i < n; i++) {
		char key[96], acc[64];

		snprintf(key, sizeof(key), "%s.%s.%s", scenario_domain_name(mp[i].where),
			 mp[i].module, mp[i].param);
		if (mp[i].type == ST_BOOL)
			snprintf(acc, sizeof(acc), "0, 1, Y or N");
		else
			snprintf(acc, sizeof(acc), "%ld to %ld", mp[i].min, mp[i].max);
		if (md) {
			fprintf(f, "| `%s` | %s | %s | ", key, acc, mp[i].def);
			cell(f, mp[i].doc);
			fprintf(f, " |\n");
		} else {
			fprintf(f, "  %-44s %-12s default %-4s %s\n", key, acc, mp[i].def, mp[i].doc);
		}
	}
	fprintf(f, "\n");
}

static void evidence_names(FILE *f, bool md)
{
	static const char *const kinds[] = {
		[EV_COUNT] = "count of",       [EV_FILE] = "file",
		[EV_DMESG] = "dmesg regex",    [EV_XEN_DMESG] = "xl dmesg regex",
		[EV_XENSTORE] = "xenstore",
	};
	_Static_assert(sizeof(kinds) / sizeof(kinds[0]) == EV_XENSTORE + 1,
		       "a name for every enum evidence_kind");
	size_t n;
	const struct evidence_name *en = scenario_evidence_names(&n);

	fprintf(f, md ? "### Evidence (expect.NAME)\n\n| name | value | read in | from | "
			"meaning |\n|---|---|---|---|---|\n"
		      : "evidence names (expect.<name>):\n");
	for (size_t i = 0; i < n; i++) {
		const char *val = en[i].integer ? "integer" : "text";
		const char *dom = scenario_domain_name(en[i].where);

		if (md) {
			fprintf(f, "| `%s` | %s | %s | %s `", en[i].pattern, val, dom,
				kinds[en[i].kind]);
			cell(f, en[i].arg);
			fprintf(f, "` | ");
			cell(f, en[i].doc);
			fprintf(f, " |\n");
		} else {
			fprintf(f, "  %-30s %-7s %s: %s %s\n  %30s %s\n", en[i].pattern, val, dom,
				kinds[en[i].kind], en[i].arg, "", en[i].doc);
		}
	}
	fprintf(f, "\n");
}

static void rules(FILE *f, bool md)
{
	const char *r;

	fprintf(f, md ? "### Rules checked across keys\n\n" : "rules:\n");
	for (size_t i = 0; (r = scenario_rule(i)); i++)
		fprintf(f, md ? "- %s\n" : "  - %s\n", r);
	fprintf(f, "\n");
}

static void list_keys(FILE *f, bool md)
{
	const struct workload_ops *wl;

	section_keys(f, "scenario", NULL, md);
	section_keys(f, "machine", NULL, md);
	section_keys(f, "guest", NULL, md);
	for (size_t i = 0; (wl = workload_at(i)); i++)
		section_keys(f, "workload", wl->name, md);
	variant_keys(f, md);
	module_params(f, md);
	evidence_names(f, md);
	rules(f, md);
}

/* ---- scenarios/README.md ---- */

static const char readme_head[] =
	"# Scenarios\n\n"
	"<!-- Generated: build/pvbench list --keys --format md > scenarios/README.md\n"
	"     Edit the key tables (harness/src/scenario/scenario_keys.c, workloads/*/)\n"
	"     or harness/src/cmd/list.c, then regenerate; check_scenario fails if this\n"
	"     file is stale. -->\n\n"
	"A scenario file describes one experiment: the machine (Xen, dom0), the PV guest\n"
	"(domU), the workload it runs, and two or more **variants** that differ in one\n"
	"feature. `build/pvbench run FILE.ini` runs every variant `repetitions` times in\n"
	"interleaved order, proves from the running system that each variant's feature\n"
	"took effect (`expect.*`), and writes `results.json`.\n\n"
	"`build/pvbench list` loads every file here (so it doubles as a syntax check),\n"
	"shows the plan of each and the workloads' metrics; `build/pvbench list --keys`\n"
	"prints the reference below.\n\n";

static const char readme_format[] =
	"## File format\n\n"
	"INI as read by libinih: `[section]` headers, `key = value` lines, comments on\n"
	"their own line starting with `;` or `#`, and inline comments after ` ;`. Lines\n"
	"are at most 198 characters; leading blanks are ignored (no continuation lines).\n"
	"Everything is checked before anything starts: an unknown section or key, a bad\n"
	"value, a duplicate key or section, or a missing required key is an error that\n"
	"names the file, the line and the key, e.g.\n\n"
	"    error: scenarios/x.ini:12: unknown key 'iodeth' in [workload] (did you mean "
	"'iodepth'?)\n\n"
	"```ini\n"
	"[scenario]\n"
	"name = blk-mq\n"
	"repetitions = 5\n\n"
	"[workload]\n"
	"rw = randread\n"
	"iodepth = 32\n\n"
	"[variant 1q]\n"
	"baseline = true\n"
	"domU.xen_blkfront.max_queues = 1\n"
	"expect.mq_queues = 1\n\n"
	"[variant 2q]\n"
	"domU.xen_blkfront.max_queues = 2\n"
	"expect.mq_queues = 2\n"
	"```\n\n"
	"A file without `[variant]` sections has one variant, `default`.\n\n"
	"## Order, boots, quick runs and resume\n\n"
	"- `order = interleaved` (default) runs rounds A B A B ...; `random` shuffles\n"
	"  each round with `seed` (drawn and recorded in results.json when unset; the\n"
	"  same seed gives the same order); `blocked` runs A A A B B B.\n"
	"- Variants that set `machine.*`, `xen.cmdline`, `dom0.cmdline` or\n"
	"  `dom0.<module>.<param>` need their own boot of the whole machine. Variants\n"
	"  with the same boot configuration share a boot; across configurations the\n"
	"  plan runs `reps_per_boot` repetitions of each variant per boot, so\n"
	"  interleaving costs boots: the plan (`pvbench list`) shows how many.\n"
	"- `domU.*`, `xl.*` and `guest.*` only need a new domU; `workload.*` nothing.\n"
	"- `pvbench run --variant NAME` runs a subset, `--reps N` overrides\n"
	"  `repetitions`, `--quick` uses `quick_runtime` and no ramp time (fio) or omit\n"
	"  (iperf3), and a resumed run skips the (variant, repetition) pairs results.json\n"
	"  already holds.\n\n";

static void readme(FILE *f, const char *dir)
{
	fputs(readme_head, f);
	fprintf(f, "## Shipped scenarios\n\n");
	list_scenarios(f, dir, true);
	fprintf(f, "\n");
	fputs(readme_format, f);
	fprintf(f, "## Key reference\n\n");
	list_keys(f, true);
	fprintf(f, "## Workloads and metrics\n\n");
	list_workloads(f, true);
}

/* ---- the command ---- */

#define AT(member) CLI_AT(struct list_opts, member)
static const struct cli_opt list_rows[] = {
	{ .name = "scenarios", .kind = CLI_FLAG, AT(scenarios),
	  .help = "the scenarios in DIR, each loaded and planned" },
	{ .name = "workloads", .kind = CLI_FLAG, AT(workloads),
	  .help = "the workloads and their metrics" },
	{ .name = "keys", .kind = CLI_FLAG, AT(keys), .help = "the scenario key reference" },
	{ .name = "format", .arg = "text|md", .kind = CLI_CHOICE, AT(format), .def = "text",
	  .help = "text or Markdown" },
	{ .name = "dir", .arg = "DIR", .kind = CLI_STR, AT(dir), .def = "scenarios",
	  .help = "where the scenarios are" },
	CLI_OPT_HELP,
};
#undef AT

const struct cli_cmd list_cli = {
	.name = "list",
	.summary = "scenarios, workloads and scenario keys",
	.about = "Without a selection: scenarios and workloads. --keys --format md prints\n"
		 "scenarios/README.md.",
	.opts = list_rows,
	.nopts = ARRAY_SIZE(list_rows),
	.fn = cmd_list,
};

static int parse_args(int argc, char **argv, struct list_opts *o)
{
	int rc = cli_parse(&list_cli, argc, argv, o, NULL, 0);

	if (rc < 0)
		return rc;
	o->md = !strcmp(o->format, "md");
	if (!o->scenarios && !o->workloads && !o->keys)
		o->scenarios = o->workloads = true;
	return 0;
}

int cmd_list(int argc, char **argv)
{
	struct list_opts o = { .dir = "scenarios", .format = "text" };
	int rc = parse_args(argc, argv, &o);

	if (rc)
		return cli_status(rc);
	if (o.keys && o.md) {
		readme(stdout, o.dir);
		return fflush(stdout) ? 1 : 0;
	}
	if (o.scenarios)
		rc = list_scenarios(stdout, o.dir, o.md);
	if (o.scenarios && (o.workloads || o.keys))
		printf("\n");
	if (o.workloads)
		list_workloads(stdout, o.md);
	if (o.keys)
		list_keys(stdout, o.md);
	return rc || fflush(stdout) ? 1 : 0;
}
