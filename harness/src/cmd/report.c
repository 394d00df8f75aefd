/* cmd/report.c: `pvbench report RUN... -o DIR`: argv, usage, exit status. The report
 * itself (loading, comparisons, charts, the documents) is report.h's report_build()
 * and report_write(). */
#include "pvbench/commands.h"
#include "pvbench/report.h"
#include "pvbench/util.h"

#include <errno.h>
#include <stdio.h>

#define MAX_RUNS 16

struct report_args {
	const char *out;
	struct cmp_opts o;
	char *pos[MAX_RUNS];
};

static const struct cli_opt report_opts[] = {
	{ .key = 'o', .arg = "DIR", .kind = CLI_STR, CLI_AT(struct report_args, out),
	  .help = "output directory (required)" },
	CMP_CLI_OPTS(struct report_args, o),
	CLI_OPT_HELP,
};

const struct cli_cmd report_cli = {
	.name = "report",
	.summary = "HTML + Markdown report with charts from runs",
	.usage = "RUN... -o DIR [OPTIONS]",
	.about =
	    "Writes DIR/report.html (one self-contained file: charts inlined, nothing fetched,\n"
	    "every string from a guest or tool escaped), DIR/report.md (for mailing lists and\n"
	    "commit messages) and DIR/charts/ (gnuplot data, script, SVG and PNG). RUN is a run\n"
	    "directory or its results.json. Each run's variants are compared with its baseline;\n"
	    "with several runs, each run is also compared with the first (variants matched by\n"
	    "name). Statistics and verdicts are those of 'pvbench compare'.",
	.epilog =
	    "exit status: 0 report written; 2 usage or input error, or nothing could be\n"
	    "compared (every repetition failed, no common metrics): the report is still\n"
	    "written when the inputs could be read.",
	.opts = report_opts,
	.nopts = ARRAY_SIZE(report_opts),
	.fn = cmd_report,
};

/* The runs (n of them in a->pos), or -EINVAL or CLI_HELP_SHOWN. */
static int report_parse(int argc, char **argv, struct report_args *a)
{
	int n = cli_parse(&report_cli, argc, argv, a, a->pos, ARRAY_SIZE(a->pos));

	if (n < 0)
		return n;
	if (n > MAX_RUNS) {
		pvb_err("at most %d runs per report", MAX_RUNS);
		return -EINVAL;
	}
	if (n == 0 || !a->out) {
		pvb_err("report needs RUN... -o DIR (see 'pvbench report --help')");
		return -EINVAL;
	}
	a->o.lenient = true;
	return n;
}

static char *join_args(int argc, char **argv)
{
	struct rbuf o = {0};

	rb_puts(&o, "pvbench");
	for (int i = 0; i < argc; i++)
		rb_printf(&o, " %s", argv[i]);
	if (o.err)
		sb_free(&o.sb);
	return o.sb.buf; /* NULL after an allocation failure */
}

int cmd_report(int argc, char **argv)
{
	struct report_args a = {.o = CMP_OPTS_DEFAULT};
	struct report r = {0};
	int rc, n = report_parse(argc, argv, &a);

	if (n < 0)
		return cli_status(n);
	r.outdir = a.out;
	r.opts = a.o;
	r.argv0_line = join_args(argc, argv);
	rc = report_build(&r, a.pos, n);
	if (!rc)
		rc = report_write(&r);
	report_free(&r);
	return rc ? 2 : 0;
}
