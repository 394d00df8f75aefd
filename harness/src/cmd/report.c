/* cmd/report.c: `pvbench report RUN... -o DIR`: argv, usage, exit status. The report
 * itself (loading, comparisons, charts, the documents) is report.h's report_build()
 * and report_write(). */
#include "pvbench/commands.h"
#include "pvbench/report.h"
#include "pvbench/util.h"

#include <errno.h>
#include <stdio.h>

#define MAX_RUNS 16

static const char report_usage[] =
    "usage: pvbench report RUN... -o DIR [OPTIONS]\n\n"
    "Writes DIR/report.html (one self-contained file: charts inlined, nothing fetched,\n"
    "every string from a guest or tool escaped), DIR/report.md (for mailing lists and\n"
    "commit messages) and DIR/charts/ (gnuplot data, script, SVG and PNG). RUN is a run\n"
    "directory or its results.json. Each run's variants are compared with its baseline;\n"
    "with several runs, each run is also compared with the first (variants matched by\n"
    "name). Statistics and verdicts are those of 'pvbench compare'.\n\noptions:\n";

static const char report_exit[] =
    "\nexit status: 0 report written; 2 usage or input error, or nothing could be\n"
    "compared (every repetition failed, no common metrics): the report is still\n"
    "written when the inputs could be read.\n";

struct report_args {
	const char *out;
	double band_pct;
	struct cmp_opts o;
	bool help;
	char *pos[MAX_RUNS + 1];
	int npos;
};

static int report_parse(int argc, char **argv, struct report_args *a)
{
	const struct cli_opt opts[] = {
	    {"-o", CLI_STR, &a->out, 0, 0, "DIR", "output directory (required)"},
	    CMP_CLI_OPTS(a->band_pct, a->o),
	    {"--allow-mixed-clocks", CLI_FLAG, &a->o.allow_mixed_clocks, 0, 0, NULL,
	     "compare runs of different clocks (icount, host) instead of refusing"},
	    {"--help", CLI_FLAG, &a->help, 0, 0, NULL, "show this help"},
	};
	int n = cli_parse(argc, argv, opts, ARRAY_SIZE(opts), a->pos, ARRAY_SIZE(a->pos));

	if (n >= 0 && a->help) {
		fputs(report_usage, stdout);
		cli_help(stdout, opts, ARRAY_SIZE(opts));
		fputs(report_exit, stdout);
		return 1;
	}
	if (n > MAX_RUNS) {
		pvb_err("at most %d runs per report", MAX_RUNS);
		return -EINVAL;
	}
	if (n == 0 || (n > 0 && !a->out)) {
		pvb_err("report needs RUN... -o DIR (see 'pvbench report --help')");
		return -EINVAL;
	}
	a->npos = n;
	a->o.band = a->band_pct / 100;
	a->o.lenient = true;
	return n < 0 ? n : 0;
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
	struct report_args a = {.o = CMP_OPTS_DEFAULT, .band_pct = 2};
	struct report r = {0};
	int rc = report_parse(argc, argv, &a);

	if (rc)
		return rc > 0 ? 0 : 2;
	r.outdir = a.out;
	r.opts = a.o;
	r.argv0_line = join_args(argc, argv);
	rc = report_build(&r, a.pos, a.npos);
	if (!rc)
		rc = report_write(&r);
	report_free(&r);
	return rc ? 2 : 0;
}
