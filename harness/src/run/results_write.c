/* results_write.c: the one writer of a run's results.json (reports/results-schema.md;
 * run_int.h): its skeleton, the environment, boots and runs as they happen (written
 * atomically after each), the closing fields, and --resume's reading of an earlier
 * one. plan_results_json() (plan.h) and conform_to_json() (conform.h) give the parts
 * their subsystems describe; only this file puts them into the document. */
#include "run_int.h"
#include "pvbench/jobs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Appends run to runs keeping plan order (seq): jobs finish out of order. */
static void runs_insert(json_t *runs, json_t *run)
{
	json_int_t seq = json_integer_value(json_object_get(run, "seq"));
	size_t i = json_array_size(runs);

	while (i > 0 && json_integer_value(json_object_get(json_array_get(runs, i - 1), "seq")) > seq)
		i--;
	json_array_insert_new(runs, i, run);
}

int results_save(struct run_state *st)
{
	char *text = json_dumps(st->res, JSON_INDENT(2));
	int rc = text ? write_file_atomic(st->path, text, strlen(text)) : -ENOMEM;

	if (rc)
		pvb_err("cannot write '%s': %s", st->path, strerror(-rc));
	free(text);
	return rc;
}

/* Records one piece of results.json: "environment" (replaces), "boot" or "run"
 * (appended). A job of --jobs N sends it to the parent as one JSON line instead; the
 * parent merges and saves (run_jobs). Takes the reference to obj. */
void results_emit(struct run_state *st, const char *kind, json_t *obj)
{
	if (st->wfd >= 0) {
		json_t *msg = json_pack("{s:s, s:o}", "kind", kind, "data", obj);

		if (!msg || job_send(st->wfd, msg))
			pvb_err("job %d: cannot send a %s record to the parent", st->job + 1, kind);
		json_decref(msg);
		return;
	}
	if (!strcmp(kind, "environment"))
		json_object_set_new(st->res, "environment", obj);
	else if (!strcmp(kind, "boot"))
		json_array_append_new(json_object_get(st->res, "boots"), obj);
	else
		runs_insert(json_object_get(st->res, "runs"), obj);
	if (strcmp(kind, "environment"))
		results_save(st);
}

static void popen_line(const char *cmd, char *buf, size_t len)
{
	FILE *p = popen(cmd, "r");

	buf[0] = '\0';
	if (p && fgets(buf, len, p))
		buf[strcspn(buf, "\n")] = '\0';
	if (p)
		pclose(p);
}

json_t *results_environment_json(struct run_state *st)
{
	struct host_env *e = &st->env;
	char cpu[256], commit[64], cmd[PATH_MAX + 64];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long long mem = (long long)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE);

	popen_line("sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1", cpu,
		   sizeof(cpu));
	snprintf(cmd, sizeof(cmd), "git -C '%s' rev-parse --short HEAD 2>/dev/null",
		 pvb_project_root());
	popen_line(cmd, commit, sizeof(commit));
	char note[512];

	return json_pack("{s:s, s:s, s:b, s:s, s:o, s:s, s:i, s:s, s:s, s:i, s:I, s:s, s:s, s:s, s:s, "
			 "s:s, s:{s:s, s:s, s:I, s:I}}",
			 "accel", accel_name(e->accel), "accel_reason", e->accel_reason,
			 "emulated", e->accel != ACCEL_KVM, "clock", clock_name(e->clock),
			 "icount_shift",
			 e->clock == CLOCK_ICOUNT ? json_integer(e->icount_shift) : json_null(),
			 "clock_reason", e->clock_reason, "jobs", st->jobs, "clock_note",
			 clock_note(e->clock, e->icount_shift, note, sizeof(note)), "host_cpu_model", cpu, "host_cpus",
			 (int)ncpu, "host_mem_bytes", mem, "qemu_version", e->qemu_version,
			 "qemu_cpu", e->cpu, "xen_cmdline", e->xen_cmdline, "dom0_cmdline",
			 e->dom0_cmdline, "commit", commit, "images", "input_hash",
			 e->images.input_hash, "built_at", e->images.built_at, "dom0_bytes",
			 (json_int_t)e->images.bytes[IMG_DOM0], "domU_bytes",
			 (json_int_t)e->images.bytes[IMG_DOMU]);
}

json_t *results_metrics_meta_json(struct run_state *st, const struct workload_ops *wl)
{
	json_t *o = json_object();

	for (size_t i = 0; i < *wl->n_metrics; i++)
		json_object_set_new(o, wl->metrics[i].name,
				    json_pack("{s:s, s:s, s:b}", "unit", wl->metrics[i].unit,
					      "better",
					      wl->metrics[i].better == METRIC_HIGHER ? "higher"
										     : "lower",
					      "primary",
					      scenario_metric_primary(&st->sc, wl, wl->metrics[i].name)));
	return o;
}

/* --resume into a run of another clock would mix figures that are not comparable. */
static int resume_clock_check(struct run_state *st, json_t *old)
{
	const char *was = json_string_value(
		json_object_get(json_object_get(old, "environment"), "clock"));

	if (!json_array_size(json_object_get(old, "boots")))
		return 0;
	was = was ? was : "host"; /* runs from before clock modes: multi-threaded TCG */
	if (strcmp(was, clock_name(st->clock))) {
		pvb_err("--resume: '%s' was measured with the %s clock, this run would use %s "
			"(pass --clock %s)",
			st->path, was, clock_name(st->clock), was);
		return -EINVAL;
	}
	return 0;
}

/* --resume: the runs already in DIR/results.json are kept and skipped. */
int results_load_resume(struct run_state *st, struct plan_done **done, size_t *n)
{
	json_error_t je;
	json_t *old = json_load_file(st->path, 0, &je), *runs, *r;
	size_t i;

	*done = NULL;
	*n = 0;
	if (!old) {
		pvb_err("--resume: cannot read '%s': %s", st->path, je.text);
		return -ENOENT;
	}
	if (resume_clock_check(st, old)) {
		json_decref(old);
		return -EINVAL;
	}
	runs = json_object_get(old, "runs");
	for (i = json_array_size(runs); i-- > 0;) /* files from before this rule */
		if (pvb_status_parse(json_string_value(json_object_get(json_array_get(runs, i),
									"status"))) == PVB_INTERRUPTED)
			json_array_remove(runs, i);
	json_object_set(st->res, "runs", runs);
	*done = results_done(st, n); /* names point into st->res, which now holds runs */
	json_object_set(st->res, "boots", json_object_get(old, "boots"));
	json_array_foreach(json_object_get(old, "boots"), i, r)
	{
		int b = (int)json_integer_value(json_object_get(r, "boot"));

		if (b > st->boot_offset)
			st->boot_offset = b; /* console/boot-N of earlier boots stays intact */
	}
	json_decref(old);
	return 0;
}

/* Steps done so far, for the plan of the rest (as --resume does). */
struct plan_done *results_done(struct run_state *st, size_t *n)
{
	json_t *runs = json_object_get(st->res, "runs"), *r;
	struct plan_done *d = calloc(json_array_size(runs) + 1, sizeof(*d));
	size_t i;

	*n = 0;
	json_array_foreach(runs, i, r)
	{
		d[*n].variant = json_string_value(json_object_get(r, "variant")) ?: "";
		d[(*n)++].rep = (int)json_integer_value(json_object_get(r, "rep"));
	}
	return d;
}

/* Seconds one more repetition of one variant costs: the pilot's steps, set-up
 * included, shared by the machines that ran them. */
double results_sec_per_rep(struct run_state *st)
{
	json_t *runs = json_object_get(st->res, "runs"), *r;
	double sum = 0;
	size_t i;

	json_array_foreach(runs, i, r)
		sum += json_number_value(json_object_get(r, "duration_s"));
	return i ? sum / i / (st->jobs > 0 ? st->jobs : 1) : 60;
}

json_t *results_begin(int argc, char **argv)
{
	struct sbuf cmd = { 0 };
	char when[32];
	json_t *res;

	for (int i = 0; i < argc; i++)
		sb_printf(&cmd, "%s%s", i ? " " : "", argv[i]);
	pvb_utc_iso(when, sizeof(when));
	res = json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:b, s:[], s:[]}", "schema",
			"pvbench-results/1", "tool", "name", "pvbench", "version", "0.1.0", "command",
			cmd.buf ? cmd.buf : "", "started_at", when, "complete", 0, "boots", "runs");
	sb_free(&cmd);
	return res;
}

void results_plan(struct run_state *st)
{
	json_t *scen = NULL, *vars = NULL;

	plan_results_json(&st->sc, &st->plan, &scen, &vars);
	json_object_set_new(st->res, "scenario", scen);
	json_object_set_new(st->res, "variants", vars);
	json_object_set_new(st->res, "metrics_meta", results_metrics_meta_json(st, st->wl));
}

void results_finish(struct run_state *st, bool complete)
{
	char when[32];

	pvb_utc_iso(when, sizeof(when));
	json_object_set_new(st->res, "finished_at", json_string(when));
	json_object_set_new(st->res, "complete", json_boolean(complete && !pvb_interrupted));
	json_object_set_new(st->res, "wall_s", json_real(pvb_now() - st->t_start));
	json_object_set_new(st->res, "measure_s", json_real(st->measure_s));
	json_object_set_new(st->res, "efficiency",
			    json_real(st->measure_s / (pvb_now() - st->t_start + 1e-9)));
	results_save(st);
}
