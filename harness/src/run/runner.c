/* runner.c: the runner of `pvbench run SCENARIO.ini` (run.h, run_scenario): set-up,
 * the step loop over the plan, boots, --jobs workers, sizing after a pilot
 * (repetitions = auto), progress. One repetition is step.c; domUs slots.c; proof
 * of a variant evidence.c; results.json results_write.c (run_int.h). The command
 * (argv, usage, the closing answer, exit status) is cmd/run.c. */
#define _GNU_SOURCE /* vasprintf */
#include "run_int.h"
#include "pvbench/jobs.h"
#include "pvbench/sized.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the machine, as the runner reaches it (struct run_io) ---------------------- */

static int io_exec(struct run_state *st, int dom, const char *cmd, double timeout_s,
		   struct exec_result *r)
{
	return machine_exec(&st->m, dom, cmd, NULL, 0, timeout_s, r);
}

static int io_guest_create(struct run_state *st, const struct guest_cfg *c, struct guest *g)
{
	return guest_create(&st->m, c, g);
}

static int io_guest_destroy(struct run_state *st, const struct guest *g)
{
	return guest_destroy(&st->m, g);
}

static int io_guest_console(struct run_state *st, const struct guest *g, struct sbuf *out)
{
	return guest_console(&st->m, g, out);
}

const struct run_io run_io_machine = { io_exec, io_guest_create, io_guest_destroy,
				       io_guest_console };

int run_vsh(struct run_state *st, int dom, double timeout_s, struct sbuf *out, const char *fmt,
	    va_list ap)
{
	struct exec_result r;
	char *cmd = NULL;
	int rc;

	if (vasprintf(&cmd, fmt, ap) < 0)
		return -ENOMEM;
	rc = st->io->exec(st, dom, cmd, timeout_s, &r);
	rc = exec_result_sh(dom, cmd, rc, &r, out);
	free(cmd);
	return rc;
}

int run_sh(struct run_state *st, int dom, double timeout_s, struct sbuf *out, const char *fmt,
	   ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = run_vsh(st, dom, timeout_s, out, fmt, ap);
	va_end(ap);
	return rc;
}


long run_long(struct run_state *st, const struct variant *v, const char *sec, const char *key)
{
	long x;

	return scenario_get_long(&st->sc, v, sec, key, &x) ? 0 : x;
}

int run_boot(struct run_state *st, const struct variant *v, int boot)
{
	struct sbuf xen = { 0 }, dom0 = { 0 };
	struct host_opts ho;
	char dir[PATH_MAX + 32];
	int rc;

	host_opts_default(&ho);
	ho.accel = st->o->accel;
	ho.clock = st->clock;
	ho.icount_shift = (int)run_long(st, NULL, "machine", "icount_shift");
	ho.mem_mib = (int)run_long(st, v, "machine", "memory");
	ho.smp = (int)run_long(st, v, "machine", "vcpus");
	ho.dom0_mem_mib = (int)run_long(st, v, "machine", "dom0_mem");
	ho.dom0_vcpus = (int)run_long(st, v, "machine", "dom0_vcpus");
	ho.brd_mib = (int)run_long(st, v, "guest", "disk_size");
	ho.brd_nr = MAX_GUESTS; /* brd allocates pages on write only */
	variant_cmdline(&st->sc, v, DOM_XEN, &xen);
	variant_cmdline(&st->sc, v, DOM_DOM0, &dom0);
	ho.xen_extra = xen.len ? xen.buf : NULL;
	ho.dom0_extra = dom0.len ? dom0.buf : NULL;
	snprintf(dir, sizeof(dir), "%s/console/boot-%d", st->o->outdir, boot);
	ho.dir = dir;
	rc = host_prepare(&ho, &st->env);
	if (!rc)
		rc = host_boot(&st->m, &ho, &st->env);
	st->up = rc == 0;
	if (st->up) {
		results_emit(st, "environment", results_environment_json(st));
		results_emit(st, "boot",
		     json_pack("{s:i, s:s, s:o}", "boot", boot, "status", pvb_status_name(PVB_OK), "timeline",
			       timeline_to_json(&st->m.tl)));
	}
	sb_free(&xen);
	sb_free(&dom0);
	return rc;
}

void run_shutdown_machine(struct run_state *st)
{
	if (!st->up)
		return;
	if (st->m.dead || pvb_interrupted || host_poweroff(&st->m, 120))
		machine_kill(&st->m);
	sb_free(&st->m.tail);
	st->up = false;
	slots_reset(st);
}













/* ---- one step ------------------------------------------------------------------ */


/* ---- what a workload's run hook gets (workload.h, struct wl_ctx) ---- */







/* ---- progress ------------------------------------------------------------------ */

/* k: this process's steps done so far, of n. */
static void progress(struct run_state *st, const struct plan_step *s, size_t k, size_t n)
{
	double el = pvb_now() - st->t_start;
	double eta = k ? (pvb_now() - st->t_phase) / k * (n - k) : 0;
	char job[32] = "";

	if (pvb_verbosity < 1)
		return;
	if (st->jobs > 1)
		snprintf(job, sizeof(job), "[job %d/%d] ", st->job + 1, st->jobs);
	fprintf(stderr, "%s%s%s: %s rep %d/%d (step %zu/%zu, plan boot %d/%d) elapsed %.0f s, "
			"left ~%.0f s%s",
		isatty(2) && st->jobs == 1 ? "\r\033[K" : "", job,
		scenario_get(&st->sc, "scenario", "name"), st->sc.variants[s->variant].name, s->rep,
		st->plan.reps, k + 1, n, s->boot, st->plan.boots, el, eta,
		isatty(2) && st->jobs == 1 ? "" : "\n");
}

/* ---- running the steps: in this process, or in --jobs N worker processes ------ */

/* Job j of N takes the repetitions r with (r - 1) mod N = j of every variant, in the
 * planned order, so each machine measures every variant alike. */
static bool step_mine(const struct run_state *st, const struct plan_step *s)
{
	return st->jobs <= 1 || (s->rep - 1) % st->jobs == st->job;
}

static void run_steps(struct run_state *st)
{
	size_t n = 0, k = 0;

	st->t_phase = pvb_now();
	for (size_t i = 0; i < st->plan.n_steps; i++)
		n += step_mine(st, &st->plan.steps[i]);
	for (size_t i = 0; i < st->plan.n_steps && !pvb_interrupted; i++) {
		if (!step_mine(st, &st->plan.steps[i]))
			continue;
		progress(st, &st->plan.steps[i], k++, n);
		run_step(st, &st->plan.steps[i]);
	}
}

struct job_merge {
	struct run_state *st;
	int done; /* workers that reported the end of their share */
};

static int job_work(int job, int wfd, void *arg)
{
	struct run_state *st = ((struct job_merge *)arg)->st;
	json_t *done;

	st->job = job;
	st->wfd = wfd;
	run_steps(st);
	run_shutdown_machine(st);
	done = json_pack("{s:s, s:{s:f, s:i, s:b}}", "kind", "done", "data", "measure_s",
			 st->measure_s, "failed", st->failed, "interrupted", pvb_interrupted != 0);
	job_send(wfd, done);
	json_decref(done);
	return 0;
}

static void job_record(int job, json_t *rec, void *arg)
{
	struct job_merge *jm = arg;
	const char *kind = json_string_value(json_object_get(rec, "kind"));
	json_t *data = json_object_get(rec, "data");

	(void)job;
	if (!kind || !json_is_object(data))
		return;
	if (!strcmp(kind, "done")) {
		jm->st->measure_s += json_number_value(json_object_get(data, "measure_s"));
		jm->st->failed += (int)json_integer_value(json_object_get(data, "failed"));
		jm->done++;
		return;
	}
	results_emit(jm->st, kind, json_incref(data));
}

/* Runs the plan in st->jobs worker processes, merging their records into
 * results.json as they arrive. false when a worker died before the end of its
 * share (its finished repetitions are kept; --resume runs the rest). */
static bool run_jobs(struct run_state *st)
{
	struct job_merge jm = { .st = st };
	int bad = jobs_run(st->jobs, job_work, job_record, &jm);

	return bad == 0 && jm.done == st->jobs;
}

/* --jobs default: one machine per host core, as many as memory holds (each QEMU
 * gets machine.memory), no more than there are repetitions to share. icount only:
 * under the host clock, machines running at once would disturb each other's
 * figures. */
static int default_jobs(struct run_state *st)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN), avail_kib = 0, mem = 0, n, reps = 0;
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];

	if (st->clock != CLOCK_ICOUNT)
		return 1;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &avail_kib) == 1)
			break;
	if (f)
		fclose(f);
	for (size_t i = 0; i < st->plan.n_variants; i++) {
		long m = run_long(st, &st->sc.variants[st->plan.variants[i]], "machine", "memory");

		mem = m > mem ? m : mem;
	}
	for (size_t i = 0; i < st->plan.n_steps; i++)
		reps = st->plan.steps[i].rep > reps ? st->plan.steps[i].rep : reps;
	n = avail_kib / 1024 / (mem + 512); /* + QEMU's own memory */
	n = n < cores ? n : cores;
	n = n < reps ? n : reps;
	return n < 1 ? 1 : n > JOBS_MAX ? JOBS_MAX : (int)n;
}

static int choose_jobs(struct run_state *st)
{
	if (st->o->jobs > 1 && st->clock != CLOCK_ICOUNT) {
		pvb_err("--jobs %d: machines running at once would disturb each other's figures "
			"under the %s clock; use --clock icount or --jobs 1",
			st->o->jobs, clock_name(st->clock));
		return -EINVAL;
	}
	st->jobs = st->o->jobs ? st->o->jobs : default_jobs(st);
	if (st->jobs > 1)
		pvb_info("%d machines at once (--jobs %d; icount figures do not depend on host "
			 "load)",
			 st->jobs, st->jobs);
	return 0;
}

/* ---- set-up, resume, the run ----------------------------------------------------- */

/* Resolves the accelerator and the clock before anything boots, so that an
 * impossible pair (clock icount under KVM) is an input error, not a failed step. */
static int resolve_clock(struct run_state *st)
{
	struct host_kvm h;
	enum accel a;
	char why[256];

	accel_probe_host("", &h);
	if (accel_choose(st->o->accel, &h, &a, why, sizeof(why))) {
		pvb_err("--accel kvm: %s", why);
		return -EINVAL;
	}
	if (clock_choose(st->clock, a, &st->clock, why, sizeof(why))) {
		pvb_err("%s: %s", st->o->scenario, why);
		return -EINVAL;
	}
	return 0;
}



static int setup(struct run_state *st, int argc, char **argv)
{
	struct sbuf err = { 0 };
	struct plan_opts po = { .variants = st->o->variants, .n_variants = st->o->n_variants,
				.reps = st->o->reps, .reps_auto = st->o->reps_auto,
				.quick = st->o->quick,
				.seed_set = st->o->seed_set, .seed = st->o->seed };
	struct plan_done *done = NULL;
	int rc;

	if (scenario_load(st->o->scenario, &st->sc, &err)) {
		pvb_err("%s", err.buf ? err.buf : "cannot load scenario");
		sb_free(&err);
		return -EINVAL;
	}
	st->wl = workload_find(scenario_get(&st->sc, "scenario", "workload"));
	if (!st->wl) { /* the loader checked it against the registry */
		pvb_err("%s: workload '%s' is not registered", st->o->scenario,
			scenario_get(&st->sc, "scenario", "workload"));
		return -EINVAL;
	}
	st->clock = st->o->clock;
	if (st->clock == CLOCK_AUTO)
		clock_parse(scenario_get(&st->sc, "machine", "clock"), &st->clock);
	if (resolve_clock(st))
		return -EINVAL;
	st->res = results_begin(argc, argv);
	snprintf(st->path, sizeof(st->path), "%s/results.json", st->o->outdir);
	if (st->o->resume && results_load_resume(st, &done, &po.n_done))
		return -ENOENT;
	po.done = done;
	rc = plan_build(&st->sc, &po, &st->plan, &err);
	free(done); /* its variant names belong to st->res */
	if (rc) {
		pvb_err("%s", err.buf ? err.buf : "cannot build the plan");
		sb_free(&err);
		return -EINVAL;
	}
	results_plan(st);
	plan_describe(&st->sc, &st->plan, false, &err);
	pvb_info("%s", err.buf ? err.buf : "");
	sb_free(&err);
	return 0;
}

/* Runs the current plan in this process or in st->jobs workers; false when a
 * worker died before the end of its share. The machine of a single process stays
 * up for the next plan. */
static bool run_plan(struct run_state *st)
{
	int jobs = st->jobs;
	bool ok = true;

	if (st->jobs > 1 && st->plan.n_steps) {
		ok = run_jobs(st);
	} else {
		st->jobs = 1;
		run_steps(st);
	}
	st->jobs = jobs;
	return ok;
}



/* repetitions = auto, after the pilot: sizes the run (sized.h), records the design
 * in results.json, says the plan, and runs the rest. A resumed run keeps the size
 * it had planned. false when a worker died. */
static bool run_sized(struct run_state *st)
{
	json_t *old = json_object_get(st->res, "design");
	long pilot = 3, maxr = 20, maxm = 30;
	struct sized_request rq;
	struct sized_result res = { 0 };
	struct plan_opts po = { .variants = st->o->variants, .n_variants = st->o->n_variants,
				.quick = st->o->quick, .seed_set = st->o->seed_set,
				.seed = st->o->seed };
	struct sbuf err = { 0 };
	json_t *design = NULL;
	bool one_boot = st->plan.boots <= 1;
	int n;

	scenario_get_long(&st->sc, NULL, "scenario", "pilot", &pilot);
	scenario_get_long(&st->sc, NULL, "scenario", "max_repetitions", &maxr);
	scenario_get_long(&st->sc, NULL, "scenario", "max_minutes", &maxm);
	rq = (struct sized_request){ .pilot = (int)pilot, .max_reps = (int)maxr,
				     .max_minutes = (double)maxm,
				     .elapsed_s = pvb_now() - st->t_start,
				     .sec_per_rep = results_sec_per_rep(st) };
	scenario_detect(&st->sc, &rq.detect);
	n = (int)json_integer_value(json_object_get(old, "planned_reps"));
	if (n <= 0) {
		pvb_info("sizing the run from its pilot (simulating compare's verdict at the "
			 "pilot's spread)...");
		if (sized_plan(st->path, &rq, &res, &design)) {
			pvb_warn("repetitions = auto: the run stays at its pilot of %ld repetitions",
				 pilot);
			return true;
		}
		json_object_set_new(st->res, "design", design);
		results_save(st);
		n = res.n;
		printf("%s: %s\n", scenario_get(&st->sc, "scenario", "name"), res.plan);
		fflush(stdout);
	}
	if (n <= pilot)
		return true;
	po.reps = n;
	po.done = results_done(st, &po.n_done);
	plan_free(&st->plan);
	if (plan_build(&st->sc, &po, &st->plan, &err)) {
		pvb_err("%s", err.buf ? err.buf : "cannot plan the sized run");
		free((void *)po.done);
		sb_free(&err);
		return false;
	}
	free((void *)po.done);
	sb_free(&err);
	/* The pilot's machine (one process) serves on when both plans have one boot. */
	st->plan_boot = one_boot && st->plan.boots <= 1 ? 1 : -1;
	return run_plan(st);
}

int run_scenario(const struct run_opts *opts, int argc, char **argv, struct run_outcome *out)
{
	struct run_opts o = *opts;
	struct run_state st = { .o = &o, .wfd = -1, .jobs = 1, .io = &run_io_machine };
	char outbuf[PATH_MAX], copy[PATH_MAX + 32];
	bool complete = true;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = setup(&st, argc, argv)) || (rc = choose_jobs(&st)))
		return rc;
	if ((rc = run_dir_prepare(o.outdir, scenario_get(&st.sc, "scenario", "name"), outbuf,
				  sizeof(outbuf))))
		return rc;
	o.outdir = outbuf;
	snprintf(copy, sizeof(copy), "%s/raw", o.outdir);
	if ((rc = mkdir_p(copy))) {
		pvb_err("cannot create '%s'", copy);
		return rc;
	}
	snprintf(copy, sizeof(copy), "%s/scenario.ini", o.outdir);
	write_file_atomic(copy, st.sc.text, st.sc.text_len);
	if (!st.plan.n_steps)
		pvb_info("nothing left to run");
	machine_signals_install();
	st.t_start = pvb_now();
	results_save(&st);
	complete = run_plan(&st);
	if (complete && st.plan.sized && !pvb_interrupted)
		complete = run_sized(&st);
	run_shutdown_machine(&st);
	results_finish(&st, complete);
	if (pvb_verbosity && isatty(2))
		fputc('\n', stderr); /* ends the progress line */
	snprintf(out->name, sizeof(out->name), "%s", scenario_get(&st.sc, "scenario", "name"));
	snprintf(out->results, sizeof(out->results), "%s", st.path);
	out->steps = st.plan.n_steps;
	out->not_ok = st.failed;
	out->complete = complete;
	out->wall_s = pvb_now() - st.t_start;
	out->measure_s = st.measure_s;
	out->clock = st.clock;
	out->icount_shift =
		(int)run_long(&st, NULL, "machine", "icount_shift");
	json_decref(st.res);
	plan_free(&st.plan);
	scenario_free(&st.sc);
	return 0;
}
