/* cmd/run.c: `pvbench run SCENARIO.ini [OPTIONS]`: argv, usage, the closing summary
 * and answer, exit status. The run itself is run.h's run_scenario(); the answer
 * sentences are compare's (compare_variants, cmp_headline, cmp_summary). */
#include "pvbench/commands.h"
#include "pvbench/compare.h"
#include "pvbench/jobs.h"
#include "pvbench/machine.h"
#include "pvbench/run.h"
#include "pvbench/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pvbench run SCENARIO.ini [OPTIONS]\n\n"
		"Runs a scenario: boots the bundled Xen as its plan says, creates the PV domU\n"
		"for each variant, records evidence that the variant took effect (a variant\n"
		"whose expectations do not hold is INVALID and not measured), runs the\n"
		"workload, and writes DIR/results.json (reports/results-schema.md) after every\n"
		"repetition, with raw tool output under DIR/raw and console logs under\n"
		"DIR/console. Exit 0 if every repetition is OK, 1 if some failed, 2 on bad\n"
		"input. Scenario keys: scenarios/README.md or 'pvbench list --keys'.\n\n"
		"  -o, --output DIR     run directory (default build/runs/<name>-<time>)\n"
		"      --reps N|auto    repetitions per variant (default: the scenario's); auto:\n"
		"                       a pilot, then as many as 80%% power to detect the\n"
		"                       scenario's detect change needs (scenarios/README.md)\n"
		"      --variant NAME   run only this variant (repeatable)\n"
		"      --quick          short runtimes (scenario.quick_runtime), for CI\n"
		"      --seed N         seed for order = random\n"
		"      --resume DIR     continue an interrupted run in DIR\n"
		"  -j, --jobs N         machines at once, each with its share of the repetitions\n"
		"                       (icount clock only; default: host cores, bounded by\n"
		"                       memory and repetitions)\n"
		"      --accel auto|tcg|kvm\n"
		"      --clock auto|icount|host   guest time; overrides [machine] clock (auto:\n"
		"                       icount under TCG, host under KVM; README \"Clocks\")\n"
		"  -h, --help\n");
}

static int parse_opts(int argc, char **argv, struct run_opts *o)
{
	static const struct option opts[] = {
		{ "output", required_argument, 0, 'o' }, { "reps", required_argument, 0, 'r' },
		{ "variant", required_argument, 0, 'V' }, { "quick", no_argument, 0, 'Q' },
		{ "seed", required_argument, 0, 'S' },	 { "resume", required_argument, 0, 'R' },
		{ "accel", required_argument, 0, 'A' },	 { "help", no_argument, 0, 'h' },
		{ "clock", required_argument, 0, 'C' },	 { "jobs", required_argument, 0, 'j' },
		{ 0, 0, 0, 0 }
	};
	long x;
	int c;

	while ((c = getopt_long(argc, argv, "o:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': o->outdir = optarg; break;
		case 'r':
			if (!strcmp(optarg, "auto")) {
				o->reps_auto = true;
				break;
			}
			if (parse_long(optarg, 1, 1000, &x))
				return pvb_err("--reps: '%s' is not auto or an integer in [1, 1000]", optarg),
				       -EINVAL;
			o->reps = (int)x;
			break;
		case 'V':
			if (o->n_variants == MAX_VARIANT_ARGS)
				return pvb_err("too many --variant options"), -EINVAL;
			o->variants[o->n_variants++] = optarg;
			break;
		case 'Q': o->quick = true; break;
		case 'S':
			if (parse_long(optarg, 0, 0x7fffffff, &o->seed))
				return pvb_err("--seed: '%s' is not a non-negative integer", optarg),
				       -EINVAL;
			o->seed_set = true;
			break;
		case 'R': o->resume = o->outdir = optarg; break;
		case 'A':
			if (accel_parse(optarg, &o->accel))
				return pvb_err("--accel: '%s' is not one of auto, tcg, kvm", optarg),
				       -EINVAL;
			break;
		case 'j':
			if (parse_long(optarg, 1, JOBS_MAX, &x))
				return pvb_err("--jobs: '%s' is not an integer in [1, %d]", optarg,
					       JOBS_MAX),
				       -EINVAL;
			o->jobs = (int)x;
			break;
		case 'C':
			if (clock_parse(optarg, &o->clock))
				return pvb_err("--clock: '%s' is not one of auto, icount, host",
					       optarg),
				       -EINVAL;
			break;
		case 'h': usage(stdout); return 1;
		default: usage(stderr); return -EINVAL;
		}
	}
	if (optind != argc - 1) {
		pvb_err(optind == argc ? "no scenario file given" : "give one scenario file per run");
		return -EINVAL;
	}
	o->scenario = argv[optind];
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
		return rc > 0 ? 0 : 2;
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
