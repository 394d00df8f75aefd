/* run_int.h: what the files of harness/src/run/ share (private to run/; run.h is
 * the public side): the state of one `pvbench run`, the domU slots, and the calls
 * between runner.c (set-up, the step loop, boots, --jobs, sizing), step.c (one
 * repetition and the wl_ctx a workload's run hook gets), slots.c (domUs), evidence.c
 * (proof that a variant took effect) and results_write.c (the one writer of
 * results.json). Every command the runner sends to the machine goes through
 * struct run_io, so harness/tests/check_run.c drives slots, evidence and steps with a
 * fake one, without QEMU. */
#ifndef PVBENCH_RUN_INT_H
#define PVBENCH_RUN_INT_H

#include "pvbench/guest.h"
#include "pvbench/host.h"
#include "pvbench/machine.h"
#include "pvbench/plan.h"
#include "pvbench/run.h"
#include "pvbench/scenario.h"
#include "pvbench/status.h"
#include "pvbench/workload.h"

#include <jansson.h>
#include <stdarg.h>
#include <limits.h>
#include <stdbool.h>

struct run_state;

/* The runner's access to the machine: run_io_machine (runner.c) on QEMU, a test's
 * fake elsewhere. Same contracts as machine_exec(), guest_create(), guest_destroy()
 * and guest_console() (machine.h, guest.h). */
struct run_io {
	int (*exec)(struct run_state *st, int dom, const char *cmd, double timeout_s,
		    struct exec_result *r);
	int (*guest_create)(struct run_state *st, const struct guest_cfg *c, struct guest *g);
	int (*guest_destroy)(struct run_state *st, const struct guest *g);
	int (*guest_console)(struct run_state *st, const struct guest *g, struct sbuf *out);
};
extern const struct run_io run_io_machine;

/* One domU of the current boot. Variants that differ only in guest-scope keys
 * (domU module parameters, guest.*, xl.*) each get their own domU, created at first
 * use and kept for the boot, so interleaved repetitions switch guests for free. */
#define MAX_GUESTS 4
struct slot {
	struct guest g;
	char ip[32];	   /* its eth0 address, e.g. 10.0.0.2 */
	bool up;	   /* created and not known broken */
	bool broken;	   /* a step failed in it: destroy and recreate before reuse */
	struct sbuf key;   /* variant_scope_key(SCOPE_GUEST) it was created for */
	double last_used;
	json_t *evidence;  /* read once after creation */
	bool valid;	   /* every expectation held */
	char invalid_why[512];
};

struct run_state {
	const struct run_opts *o;
	struct scenario sc;
	struct plan plan;
	const struct workload_ops *wl; /* scenario.workload, from the registry */
	enum clock_mode clock; /* --clock, else [machine] clock (resolved in setup) */
	int jobs, job;	  /* machines running at once, and which of them this process is */
	int wfd;	  /* a job's pipe to the parent (JSON lines), or -1 */
	int boots_started; /* boots this process started: numbers are never reused */
	int plan_boot;	  /* the plan's boot number of the machine that is up */
	int boot_no;	  /* its number in results.json and console/boot-N */
	int boot_offset;  /* boots already in results.json (--resume): numbering goes on */
	json_t *res;      /* the whole results.json document */
	char path[PATH_MAX + 32];
	struct machine m;
	bool up;          /* machine booted */
	struct slot slots[MAX_GUESTS]; /* the domUs of the current boot */
	struct slot *cur; /* the one the current step runs in */
	struct slot *peer; /* the current step's second domU (wl_ctx.peer), or NULL */
	struct slot dom0; /* stands for dom0 when the workload needs no domU */
	const char *setup; /* how this step's domU was set up (results: guest_setup) */
	struct host_env env;
	const struct run_io *io; /* the machine, or a test's fake (check_run.c) */
	double t_start, measure_s;
	double t_phase; /* when this process started its share of the current plan */
	int failed;
};

/* runner.c */
/* A numeric key of variant v (NULL: the file's): its value, else its default from
 * the key table (scenario_keys.c, the one place defaults are written), else 0 (keys
 * without a default, e.g. machine.dom0_vcpus and guest.mtu, where 0 is "not set"). */
long run_long(struct run_state *st, const struct variant *v, const char *sec, const char *key);
/* machine_sh() through st->io: a shell command (printf format) in domain dom, its
 * stdout into out (trailing newlines dropped; may be NULL). 0, -EIO (non-zero exit)
 * or the transport's error. */
int run_sh(struct run_state *st, int dom, double timeout_s, struct sbuf *out, const char *fmt,
	   ...) __attribute__((format(printf, 5, 6)));
int run_vsh(struct run_state *st, int dom, double timeout_s, struct sbuf *out, const char *fmt,
	    va_list ap);
int run_boot(struct run_state *st, const struct variant *v, int boot);
void run_shutdown_machine(struct run_state *st);

/* step.c: one repetition of plan step s: boots or creates what it needs, proves the
 * variant, runs the workload's hook, and emits the run record. */
void run_step(struct run_state *st, const struct plan_step *s);

/* slots.c */
/* The slot for guest key `key`: its running domU, else a free (or the least recently
 * used) slot, with *create set. */
struct slot *slot_for(struct run_state *st, const struct sbuf *key, bool *create);
void slot_destroy(struct run_state *st, struct slot *sl);
/* The domU for v's guest key plus role ("" measured, "peer" the second domU of a
 * guest-to-guest workload): running, or created now (*setup "same domU" / "new
 * domU"); when creating fails with -EIO and other domUs are up, those are destroyed
 * and creation is tried once more. 0, or the error of guest_create(). */
int slot_get(struct run_state *st, const struct variant *v, const char *role,
	     struct slot **out, const char **setup);
/* Makes st->cur the measured domU for v, collecting its evidence when it is new. */
int slot_measured(struct run_state *st, const struct variant *v);
/* Forgets every slot (the machine went down). */
void slots_reset(struct run_state *st);

/* evidence.c */
/* Reads evidence name in the running system for st->cur: 0 and *out, -ENOENT
 * (absent) or -EINVAL (not an evidence name). */
int evidence_read(struct run_state *st, const char *name, struct sbuf *out);
/* What a module parameter set to `expected` reads back as from sysfs: bools read
 * Y or N; anything else as it was set. */
const char *evidence_param_canonical(const char *expected, const char *actual);
/* st->cur's evidence (values, checks, log lines) for variant v; the first failed
 * check makes it INVALID (cur->valid false, cur->invalid_why). */
void evidence_collect(struct run_state *st, const struct variant *v);

/* results_write.c: results.json (reports/results-schema.md), written here only. */
/* The document's skeleton: schema, tool, command line, start time. */
json_t *results_begin(int argc, char **argv);
/* Writes st->res to st->path atomically: 0 or a negative errno (said on stderr). */
int results_save(struct run_state *st);
/* Records "environment" (replaces), "boot" or "run" (kept in plan order), and saves;
 * a job of --jobs N sends it to its parent instead. Takes the reference to obj. */
void results_emit(struct run_state *st, const char *kind, json_t *obj);
json_t *results_environment_json(struct run_state *st);
json_t *results_metrics_meta_json(struct run_state *st, const struct workload_ops *wl);
/* The scenario, variants and metrics_meta parts, from the loaded plan. */
void results_plan(struct run_state *st);
/* The closing fields: finished_at, complete, wall_s, measure_s, efficiency. */
void results_finish(struct run_state *st, bool complete);
/* --resume: keeps the runs and boots of st->path; *done (the caller frees the array;
 * its variant names point into st->res) lists them for plan_build. 0, -ENOENT, -EINVAL (other clock). */
int results_load_resume(struct run_state *st, struct plan_done **done, size_t *n);
/* The steps in st->res so far (variant names point into st->res). */
struct plan_done *results_done(struct run_state *st, size_t *n);
/* Seconds one more repetition of one variant costs, from the runs so far. */
double results_sec_per_rep(struct run_state *st);

#endif
