/* cmd/compare.c: `pvbench compare BASE NEW` and `pvbench compare RUN`: argv, usage,
 * exit status. The statistics and verdicts are compare.h's (compare_runs,
 * compare_variants), the output formats report.h's (report_cmp_*). */
#include "pvbench/commands.h"
#include "pvbench/compare.h"
#include "pvbench/report.h"
#include "pvbench/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

struct compare_args {
	struct cmp_opts o;
	const char *baseline, *format, *junit, *gate;
	bool tap, brief;
	char *pos[2];
	int npos;
};

#define AT(member) CLI_AT(struct compare_args, member)
static const struct cli_opt compare_opts[] = {
	{ .name = "baseline", .arg = "NAME", .kind = CLI_STR, AT(baseline),
	  .def = "its baseline", .help = "compare RUN's variants against variant NAME" },
	CMP_CLI_OPTS(struct compare_args, o),
	{ .name = "format", .arg = "FMT", .kind = CLI_STR, AT(format),
	  .def = "text", .help = "text, md, json or csv" },
	{ .name = "brief", .kind = CLI_FLAG, AT(brief),
	  .help = "text and md: only the verdict table" },
	{ .name = "junit", .arg = "FILE", .kind = CLI_STR, AT(junit),
	  .help = "also write JUnit XML: a test case per metric, \"worse\" fails" },
	{ .name = "tap", .kind = CLI_FLAG, AT(tap), .help = "print TAP 13 instead of a table" },
	{ .name = "gate", .arg = "WHICH", .kind = CLI_STR, AT(gate), .def = "primary",
	  .help = "primary or all: the metrics whose verdicts set the exit status" },
	CLI_OPT_HELP,
};
#undef AT

const struct cli_cmd compare_cli = {
	.name = "compare",
	.summary = "statistics and verdicts between runs or variants",
	.usage = "[OPTIONS] BASE NEW\n[OPTIONS] RUN [--baseline NAME]",
	.about =
	    "Compares two runs (variants matched by name) or the variants of one run against\n"
	    "its baseline. BASE, NEW and RUN are run directories or results.json files. Only OK\n"
	    "repetitions are compared; the others are counted in the output.\n\n"
	    "Per metric: n, median, mean, sd, CV, min, max of each side; the change of medians\n"
	    "(new / base - 1) with a 95% percentile-bootstrap interval; Mann-Whitney p\n"
	    "(exact for small samples without ties), Holm-adjusted over every primary test of\n"
	    "the command (and separately over the exploratory ones); Welch's t; the\n"
	    "Hodges-Lehmann shift. Verdict: better/worse (by the metric's direction) when\n"
	    "adjusted p < alpha and the interval excludes 0; no change when the interval lies\n"
	    "inside +-band and each side has at least 5 OK samples; otherwise inconclusive.\n"
	    "MDC (minimum detectable change): the smallest true shift, new = base x (1 + MDC),\n"
	    "that this verdict itself calls better/worse with 80% power, with the metric's\n"
	    "repetitions and Holm family, simulated (400 seeded trials, normal model) from\n"
	    "the observed spread; \"none\" when no shift up to +1000% gets there (e.g. too\n"
	    "few repetitions for the family). Runs of different clocks (icount, host) are\n"
	    "refused.",
	.epilog =
	    "exit status, over the primary metrics (all metrics with --gate all): 0 no metric\n"
	    "worse; 1 some metric worse; 3 nothing worse but some inconclusive; 2 usage or\n"
	    "input error. Formats: reports/README.md.",
	.opts = compare_opts,
	.nopts = ARRAY_SIZE(compare_opts),
	.fn = cmd_compare,
};

static int compare_check_args(const struct compare_args *a)
{
	if (a->npos < 1 || a->npos > 2) {
		pvb_err("compare needs BASE NEW or RUN [--baseline NAME] (see 'pvbench compare "
			"--help')");
		return -EINVAL;
	}
	if (a->npos == 2 && a->baseline) {
		pvb_err("--baseline applies to a single RUN, not to BASE NEW");
		return -EINVAL;
	}
	if (!a->tap && !report_cmp_format(a->format)) {
		pvb_err("unknown format '%s' (text, md, json or csv)", a->format);
		return -EINVAL;
	}
	if (strcmp(a->gate, "primary") && strcmp(a->gate, "all")) {
		pvb_err("unknown gate '%s' (primary or all)", a->gate);
		return -EINVAL;
	}
	return 0;
}

static int emit_junit(const char *path, const struct comparison *c)
{
	struct rbuf o = {0};
	int rc = report_cmp_junit(&o, c);

	if (!rc)
		rc = write_file_atomic(path, o.sb.buf, o.sb.len);
	if (rc)
		pvb_err("cannot write '%s': %s", path, strerror(-rc));
	sb_free(&o.sb);
	return rc;
}

/* JUnit first, so that the exit status every format states (JSON's exit_status)
 * already knows whether it could be written. */
static int compare_emit(const struct compare_args *a, struct comparison *c)
{
	struct rbuf o = {0};
	int rc;

	if (a->junit && emit_junit(a->junit, c))
		c->io_error = true;
	rc = a->tap ? report_cmp_tap(&o, c)
		    : report_cmp_format(a->format)(&o, c, a->brief ? REPORT_BRIEF : 0);
	if (rc) {
		pvb_err("out of memory formatting the comparison");
	} else if (fwrite(o.sb.buf, 1, o.sb.len, stdout) != o.sb.len || fflush(stdout)) {
		pvb_err("cannot write the comparison to standard output");
		rc = -EIO;
	}
	sb_free(&o.sb);
	return rc ? rc : c->io_error ? -EIO : 0;
}

/* Loads the inputs and compares them; 0 or -errno, the error already printed. */
static int compare_inputs(const struct compare_args *a, struct pvb_results *r, struct comparison *c)
{
	for (int i = 0; i < a->npos; i++)
		if (results_load(a->pos[i], &r[i]))
			return -EINVAL;
	if (a->npos == 1)
		return compare_variants(&r[0], a->baseline, &a->o, c);
	if (!strcmp(r[0].label, r[1].label)) { /* e.g. two ".../results.json" in "run" dirs */
		snprintf(r[0].label, sizeof(r[0].label), "base");
		snprintf(r[1].label, sizeof(r[1].label), "new");
	}
	return compare_runs(&r[0], &r[1], &a->o, c);
}

/* One stderr line per pair with few samples, so that TAP and JSON users see it. */
static void warn_few_samples(const struct comparison *c)
{
	for (size_t i = 0; i < c->npair; i++) {
		const struct cmp_pair *p = &c->pair[i];
		char b[160], n[160];

		if (p->base->nstatus[PVB_OK] >= CMP_MIN_SAMPLES &&
		    p->new->nstatus[PVB_OK] >= CMP_MIN_SAMPLES)
			continue;
		pvb_warn("%s -> %s: fewer than %d OK repetitions on a side (%zu and %zu): weak "
			 "evidence, no \"no change\" verdicts",
			 cmp_side_label(p, 0, b, sizeof(b)), cmp_side_label(p, 1, n, sizeof(n)),
			 CMP_MIN_SAMPLES, p->base->nstatus[PVB_OK], p->new->nstatus[PVB_OK]);
	}
}

int cmd_compare(int argc, char **argv)
{
	struct compare_args a = {.o = CMP_OPTS_DEFAULT, .format = "text", .gate = "primary"};
	struct pvb_results r[2] = {0};
	struct comparison c = {0};
	int rc;

	a.npos = cli_parse(&compare_cli, argc, argv, &a, a.pos, ARRAY_SIZE(a.pos));
	if (a.npos < 0)
		return cli_status(a.npos);
	if (compare_check_args(&a))
		return 2;
	a.o.gate_all = !strcmp(a.gate, "all");
	gsl_set_error_handler_off(); /* as compare.c does: NAN, not abort() */
	rc = compare_inputs(&a, r, &c);
	if (!rc) {
		warn_few_samples(&c);
		rc = compare_emit(&a, &c);
	}
	rc = rc ? 2 : comparison_exit_status(&c);
	comparison_free(&c);
	results_free(&r[0]);
	results_free(&r[1]);
	return rc;
}
