/* cmd/run.c: `pvbench run SCENARIO.ini [OPTIONS]`: its option table, the closing summary
 * and answer, exit status. The run itself is run.h's run_scenario(); the answer
 * sentences are compare's (compare_variants, cmp_headline, cmp_summary). */
#include "pvbench/commands.h"
#include "pvbench/compare.h"
#include "pvbench/jobs.h"
#include "pvbench/machine.h"
#include "pvbench/run.h"
#include "pvbench/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int set_reps(void *dest, const char *value, const struct cli_opt *o)
{
	struct run_opts *r = dest;
	long x;

	(void)o;
	if (!strcmp(value, "auto")) {
		r->reps_auto = true;
		return 0;
	}
	if (parse_long(value, 1, 1000, &x)) {
		pvb_err("--reps: '%s' is not auto or an integer in [1, 1000]", value);
		return -EINVAL;
	}
	r->reps = (int)x;
	return 0;
}

static int add_variant(void *dest, const char *value, const struct cli_opt *o)
{
	struct run_opts *r = dest;

	(void)o;
	if (r->n_variants == MAX_VARIANT_ARGS) {
		pvb_err("too many --variant options");
		return -EINVAL;
	}
	r->variants[r->n_variants++] = value;
	return 0;
}

static int set_seed(void *dest, const char *value, const struct cli_opt *o)
{
	struct run_opts *r = dest;

	r->seed_set = true;
	return cli_long(o, value, &r->seed);
}

static int set_resume(void *dest, const char *value, const struct cli_opt *o)
{
	struct run_opts *r = dest;

	(void)o;
	r->resume = r->outdir = value;
	return 0;
}

#define AT(member) CLI_AT(struct run_opts, member)
static const struct cli_opt run_opts[] = {
	{ .name = "output", .key = 'o', .arg = "DIR", .kind = CLI_STR, AT(outdir),
	  .def = "build/runs/<name>-<time>", .help = "run directory" },
	{ .name = "reps", .arg = "N|auto", .kind = CLI_FN, .fn = set_reps, .def = "the scenario's",
	  .help = "repetitions per variant; auto: a pilot, then as many as 80% power to detect "
		  "the scenario's detect change needs (scenarios/README.md)" },
	{ .name = "variant", .arg = "NAME", .kind = CLI_FN, .fn = add_variant,
	  .help = "run only this variant (repeatable)" },
	{ .name = "quick", .kind = CLI_FLAG, AT(quick),
	  .help = "short runtimes (scenario.quick_runtime), for CI" },
	{ .name = "seed", .arg = "N", .kind = CLI_FN, .fn = set_seed, .min = 0, .max = 0x7fffffff,
	  .help = "seed for order = random" },
	{ .name = "resume", .arg = "DIR", .kind = CLI_FN, .fn = set_resume,
	  .help = "continue an interrupted run in DIR" },
	{ .name = "jobs", .key = 'j', .arg = "N", .kind = CLI_INT, AT(jobs), .min = 1,
	  .max = JOBS_MAX, .def = "host cores, bounded by memory and repetitions",
	  .help = "machines at once, each with its share of the repetitions (icount clock only)" },
	CMD_OPT_ACCEL(struct run_opts, accel),
	CMD_OPT_CLOCK(struct run_opts, clock, "the scenario's [machine] clock",
		      "guest time (auto: icount under TCG, host under KVM; README \"Clocks\")"),
	CLI_OPT_HELP,
};
#undef AT

const struct cli_cmd run_cli = {
	.name = "run",
	.summary = "run scenarios: variants x repetitions, evidence, results.json",
	.usage = "SCENARIO.ini [OPTIONS]",
	.about = "Runs a scenario: boots the bundled Xen as its plan says, creates the PV domU\n"
		 "for each variant, records evidence that the variant took effect (a variant\n"
		 "whose expectations do not hold is INVALID and not measured), runs the\n"
		 "workload, and writes DIR/results.json (reports/results-schema.md) after every\n"
		 "repetition, with raw tool output under DIR/raw and console logs under\n"
		 "DIR/console. Exit 0 if every repetition is OK, 1 if some failed, 2 on bad\n"
		 "input. Scenario keys: scenarios/README.md or 'pvbench list --keys'.",
	.opts = run_opts,
	.nopts = ARRAY_SIZE(run_opts),
	.fn = cmd_run,
};

static int parse_opts(int argc, char **argv, struct run_opts *o)
{
	char *pos[1];
	int n = cli_parse(&run_cli, argc, argv, o, pos, ARRAY_SIZE(pos));

	if (n < 0)
		return n;
	if (n != 1) {
		pvb_err(n == 0 ? "no scenario file given" : "give one scenario file per run");
		return -EINVAL;
	}
	o->scenario = pos[0];
	return 0;
}

/* The answer first: one sentence per primary comparison against the baseline, as
 * `pvbench compare RUN` would print it (same statistics and defaults), then the
 * counts. Nothing when fewer than two variants have OK repetitions. */
static void print_answer(const char *path)
{
	struct cmp_opts o = CMP_OPTS_DEFAULT;
	struct pvb_results r = { 0 };
	struct comparison c = { 0 };
	char line[1024];

	o.lenient = true;
	if (results_load(path, &r))
		return;
	if (!compare_variants(&r, NULL, &o, &c) && c.npair) {
		for (size_t i = 0; i < c.npair; i++)
			for (size_t j = 0; j < c.pair[i].nm; j++)
				if (c.pair[i].m[j].primary)
					printf("%s\n", cmp_headline(line, sizeof(line), &c,
								    &c.pair[i], &c.pair[i].m[j]));
		printf("verdicts: %s (details: pvbench compare %s)\n",
		       cmp_summary(line, sizeof(line), c.count), path);
	}
	comparison_free(&c);
	results_free(&r);
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o = RUN_OPTS_DEFAULT;
	struct run_outcome out;
	char note[512];
	int rc = parse_opts(argc, argv, &o);

	if (rc)
		return cli_status(rc);
	if (run_scenario(&o, argc, argv, &out))
		return 2;
	printf("%s: %zu steps, %d not OK; wall %.0f s, measuring %.0f s (efficiency %.0f%%); "
	       "results in %s\n",
	       out.name, out.steps, out.not_ok, out.wall_s, out.measure_s,
	       100 * out.measure_s / (out.wall_s + 1e-9), out.results);
	print_answer(out.results);
	printf("clock: %s\n", clock_note(out.clock, out.icount_shift, note, sizeof(note)));
	return pvb_interrupted ? 130 : out.not_ok || !out.complete ? 1 : 0;
}
