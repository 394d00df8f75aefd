/* run.h: the runner of `pvbench run` (run/runner.c, step.c, slots.c, evidence.c, results_write.c): a scenario's plan executed on the
 * emulated host, results.json written after every repetition. */
#ifndef PVBENCH_RUN_H
#define PVBENCH_RUN_H

#include "pvbench/qemu.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define MAX_VARIANT_ARGS 16

/* The options of one run (the command line of `pvbench run`). */
struct run_opts {
	const char *scenario; /* the scenario file (.ini) */
	const char *outdir;   /* run directory; NULL: build/runs/<name>-<time> */
	const char *resume;   /* --resume DIR: continue the run in DIR (outdir too) */
	const char *variants[MAX_VARIANT_ARGS]; /* run only these variants (none: all) */
	size_t n_variants;
	int reps;	 /* repetitions per variant; 0: the scenario's */
	bool reps_auto;	 /* --reps auto: a pilot, then as many as the sizing says */
	bool quick;	 /* short runtimes (scenario.quick_runtime) */
	bool seed_set;	 /* seed given: the seed of order = random */
	long seed;
	enum accel accel;
	enum clock_mode clock; /* --clock; CLOCK_AUTO: the scenario's [machine] clock */
	int jobs;	       /* --jobs; 0: default (host cores, bounded by memory) */
};
#define RUN_OPTS_DEFAULT { .accel = ACCEL_AUTO }

/* What a finished run did, for its closing lines. */
struct run_outcome {
	char name[128];		     /* scenario.name (a name: at most 32 characters) */
	char results[PATH_MAX + 32]; /* DIR/results.json */
	size_t steps;		     /* steps planned (after a pilot: the sized plan's) */
	int not_ok;		     /* repetitions whose status is not OK */
	bool complete;		     /* no worker died before the end of its share (an
				      * interruption is pvb_interrupted's, not this) */
	double wall_s;		     /* seconds from the first step to the end */
	double measure_s;	     /* seconds spent in the workload's measurements */
	enum clock_mode clock;	     /* the guest clock used (CLOCK_ICOUNT or CLOCK_HOST) */
	int icount_shift;	     /* machine.icount_shift (clock_note) */
};

/* Runs the scenario o->scenario: loads it and builds the plan (o->variants, reps,
 * quick, seed; with o->resume, the runs already in DIR/results.json are kept and
 * skipped), resolves accelerator, clock and jobs, prepares the run directory
 * (run_dir_prepare; DIR/raw, DIR/scenario.ini), then runs every step, in this
 * process or in o->jobs worker processes, then, with repetitions = auto, sizes the
 * run from its pilot (sized.h) and runs the rest. Writes DIR/results.json after
 * every repetition, with "complete", "wall_s", "measure_s" and "efficiency" at the
 * end; on pvb_interrupted it stops after the current step and still writes it.
 * argc/argv: the command line recorded in results.json ("command").
 * 0 when the run went (*out filled, whether or not every step was OK); -errno
 * before anything ran, the error printed: -EINVAL (bad scenario or plan, an
 * impossible accelerator, clock or --jobs), -ENOENT (--resume without a readable
 * results.json), or run_dir_prepare's or mkdir_p's error. */
int run_scenario(const struct run_opts *o, int argc, char **argv, struct run_outcome *out);

#endif
