/* check_cli.c: the option tables (cli.h) on a table of their own: getopt_long's
 * arguments generated from it, parsing (values, positionals, one error line per
 * mistake), the --help layout and the Markdown; then command-line parsing and bad
 * input of build/pvbench, run as a subprocess: each case must exit with its status
 * and print its error line. Run from the repository root. */
#include "pvbench/cli.h"
#include "pvbench/commands.h"
#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- a table of every kind ---- */

struct targs {
	const char *s, *choice, *out;
	double x, pct;
	unsigned long n;
	long calls;
	bool flag, on, secret;
};

static int count_call(void *dest, const char *value, const struct cli_opt *o)
{
	long v;

	if (cli_long(o, value, &v))
		return -EINVAL;
	((struct targs *)dest)->calls += v;
	return 0;
}

#define AT(member) CLI_AT(struct targs, member)
static const struct cli_opt topts[] = {
	{ .name = "str", .key = 's', .arg = "S", .kind = CLI_STR, AT(s), .help = "a string" },
	{ .name = "x", .arg = "X", .kind = CLI_DOUBLE, AT(x), .min = 0, .max = 10, .def = "2",
	  .help = "a number long enough to be wrapped at the end of the line, so that it continues "
		  "under the column of help texts" },
	{ .name = "n", .arg = "N", .kind = CLI_ULONG, AT(n), .min = 1, .max = 100,
	  .def = "as many as fit", .help = "a count" },
	{ .name = "flag", .kind = CLI_FLAG, AT(flag), .help = "a flag" },
	{ .name = "no-on", .kind = CLI_CLEAR, AT(on), .help = "clears on" },
	{ .name = "pct", .arg = "PCT", .kind = CLI_PERCENT, AT(pct), .min = 0, .max = 100,
	  .help = "a percent" },
	{ .name = "choice", .arg = "a|bb|c", .kind = CLI_CHOICE, AT(choice),
	  .help = "one of three, <a> or a_b | *c*" },
	{ .name = "call", .arg = "K", .kind = CLI_FN, .off = 0, .min = 1, .max = 9,
	  .fn = count_call, .help = "adds K to calls" },
	{ .key = 'o', .arg = "DIR", .kind = CLI_STR, AT(out), .help = "output" },
	{ .name = "a-very-long-option-name", .arg = "VALUE", .kind = CLI_STR, AT(s),
	  .help = "its text starts two spaces after it" },
	{ .name = "secret", .kind = CLI_FLAG, AT(secret), .hidden = true },
	CLI_OPT_HELP,
};
#undef AT

static const struct cli_cmd tcmd = {
	.name = "t",
	.summary = "a test command",
	.usage = NULL,
	.about = "About t.",
	.epilog = "exit status: 0.",
	.opts = topts,
	.nopts = ARRAY_SIZE(topts),
};

START_TEST(test_getopt_table)
{
	struct option lo[ARRAY_SIZE(topts) + 1];
	char optstring[2 * ARRAY_SIZE(topts) + 3];
	const char *names[] = { "str", "x", "n", "flag", "no-on", "pct", "choice", "call",
				"a-very-long-option-name", "secret", "help" };
	size_t i;

	cli_getopt(&tcmd, lo, optstring);
	ck_assert_str_eq(optstring, ":s:o:h");
	for (i = 0; i < ARRAY_SIZE(names); i++)
		ck_assert_str_eq(lo[i].name, names[i]);
	ck_assert_ptr_null(lo[i].name);
	ck_assert_int_eq(lo[0].val, 's');
	ck_assert_int_eq(lo[0].has_arg, required_argument);
	ck_assert_int_eq(lo[1].val, 256 + 1);
	ck_assert_int_eq(lo[3].has_arg, no_argument);
	ck_assert_int_eq(lo[8].val, 256 + 9); /* -o, without a long name, has no row */
	ck_assert_int_eq(lo[10].val, 'h');
}
END_TEST

START_TEST(test_parse)
{
	struct targs a = { .on = true };
	char *argv[] = { "t", "a", "--str", "v", "--x=2.5", "b", "--fl", "--pct", "5", "-ofoo",
			 "--no-on", "--choice", "bb", "--call", "3", "--call=4", "--secret", "--",
			 "--n", NULL };
	int argc = ARRAY_SIZE(argv) - 1;
	char *pos[2];

	ck_assert_int_eq(cli_parse(&tcmd, argc, argv, &a, pos, 2), 3);
	ck_assert_str_eq(a.s, "v");
	ck_assert(a.x == 2.5 && a.pct == 0.05 && a.flag && !a.on && a.secret && a.n == 0);
	ck_assert_str_eq(a.out, "foo");
	ck_assert_str_eq(a.choice, "bb");
	ck_assert_int_eq(a.calls, 7);
	ck_assert_str_eq(pos[0], "a");
	ck_assert_str_eq(pos[1], "b"); /* the third, "--n", is counted, not stored */
	ck_assert_str_eq(argv[1], "a"); /* argv is left in its order */
	ck_assert_str_eq(argv[18], "--n");
	ck_assert(freopen("/dev/null", "w", stderr)); /* "unexpected argument 'a'" */
	ck_assert_int_eq(cli_parse(&tcmd, 3, argv, &a, NULL, 0), -EINVAL);
	ck_assert_int_eq(cli_parse(&tcmd, 1, argv, &a, NULL, 0), 0);
}
END_TEST

static const struct err_case {
	const char *args[3];
	const char *line; /* stderr: this line and nothing else */
} err_cases[] = {
	{ { "--x=11" }, "error: --x: '11' is not a number in [0, 10]\n" },
	{ { "--n" }, "error: option --n needs a value (N)\n" },
	{ { "-o" }, "error: option -o needs a value (DIR)\n" },
	{ { "--n", "0" }, "error: --n: '0' is not an integer in [1, 100]\n" },
	{ { "--n", "1.5" }, "error: --n: '1.5' is not an integer in [1, 100]\n" },
	{ { "--flag=1" }, "error: option --flag takes no value\n" },
	{ { "--help=1" }, "error: option --help takes no value\n" },
	{ { "--bogus" }, "error: unknown option '--bogus' (see 'pvbench t --help')\n" },
	{ { "--bogus=1" }, "error: unknown option '--bogus=1' (see 'pvbench t --help')\n" },
	{ { "-z" }, "error: unknown option '-z' (see 'pvbench t --help')\n" },
	{ { "--s" }, "error: ambiguous option '--s' (see 'pvbench t --help')\n" },
	{ { "--choice", "d" }, "error: --choice: 'd' is not one of a, bb, c\n" },
	{ { "--call", "10" }, "error: --call: '10' is not an integer in [1, 9]\n" },
	{ { "--help", "--bogus" }, "error: unknown option '--bogus' (see 'pvbench t --help')\n" },
};

/* Runs cli_parse on tcmd with args, stdout and stderr into files; returns its value,
 * *out and *err what they printed (to free). */
static int parse_capture(const char *const *args, size_t nargs, char **out, char **err)
{
	char o[] = "/tmp/check_cli.out.XXXXXX", e[] = "/tmp/check_cli.err.XXXXXX";
	char *argv[8] = { "t" }, *pos[4];
	struct targs a = { 0 };
	int fo = mkstemp(o), fe = mkstemp(e), so = dup(1), se = dup(2), rc;

	ck_assert(fo >= 0 && fe >= 0 && nargs < ARRAY_SIZE(argv));
	for (size_t i = 0; i < nargs; i++)
		argv[i + 1] = (char *)args[i];
	fflush(stdout);
	fflush(stderr);
	dup2(fo, 1);
	dup2(fe, 2);
	rc = cli_parse(&tcmd, (int)nargs + 1, argv, &a, pos, ARRAY_SIZE(pos));
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(fo);
	close(fe);
	close(so);
	close(se);
	*out = read_file(o, NULL);
	*err = read_file(e, NULL);
	unlink(o);
	unlink(e);
	ck_assert(*out && *err);
	return rc;
}

START_TEST(test_parse_errors)
{
	const struct err_case *c = &err_cases[_i];
	size_t n = 0;
	char *out, *err;

	while (n < ARRAY_SIZE(c->args) && c->args[n])
		n++;
	ck_assert_int_eq(parse_capture(c->args, n, &out, &err), -EINVAL);
	ck_assert_str_eq(err, c->line);
	ck_assert_str_eq(out, "");
	free(out);
	free(err);
}
END_TEST

static const char thelp[] =
	"usage: pvbench t [--str S] [--x X] [--n N] [--flag] [--no-on] [--pct PCT]\n"
	"                 [--choice a|bb|c] [--call K] [-o DIR]\n"
	"                 [--a-very-long-option-name VALUE]\n"
	"\n"
	"About t.\n"
	"\n"
	"options:\n"
	"  -s, --str S          a string\n"
	"      --x X            a number long enough to be wrapped at the end of the\n"
	"                       line, so that it continues under the column of help\n"
	"                       texts (default 2)\n"
	"      --n N            a count (default: as many as fit)\n"
	"      --flag           a flag\n"
	"      --no-on          clears on\n"
	"      --pct PCT        a percent\n"
	"      --choice a|bb|c  one of three, <a> or a_b | *c*\n"
	"      --call K         adds K to calls\n"
	"  -o DIR               output\n"
	"      --a-very-long-option-name VALUE  its text starts two spaces after it\n"
	"  -h, --help           show this help\n"
	"\n"
	"exit status: 0.\n";

START_TEST(test_help)
{
	const char *args[] = { "--flag", "--help" };
	char *out, *err;

	ck_assert_int_eq(parse_capture(args, 2, &out, &err), CLI_HELP_SHOWN);
	ck_assert_str_eq(out, thelp);
	ck_assert_str_eq(err, "");
	free(out);
	free(err);
	args[1] = "-h";
	ck_assert_int_eq(parse_capture(args, 2, &out, &err), CLI_HELP_SHOWN);
	ck_assert_str_eq(out, thelp);
	free(out);
	free(err);
}
END_TEST

/* ---- the program: options end at the command; Markdown ---- */

static bool quiet;

static int set_quiet(void *dest, const char *value, const struct cli_opt *o)
{
	(void)dest, (void)value, (void)o;
	quiet = true;
	return 0;
}

static const struct cli_opt popts[] = {
	{ .key = 'q', .kind = CLI_FN, .fn = set_quiet, .help = "quiet" },
	CLI_OPT_HELP,
};
static const struct cli_cmd *const pcmds[] = { &tcmd };
static const struct cli_cmd prog = {
	.usage = "[-q] COMMAND [ARGS]",
	.opts = popts,
	.nopts = ARRAY_SIZE(popts),
	.cmds = pcmds,
	.ncmds = ARRAY_SIZE(pcmds),
};

START_TEST(test_program)
{
	char *argv[] = { "pvbench", "-q", "t", "--flag", "-q", "x", NULL }, *pos[1];
	int args; /* the rows store nothing */

	ck_assert_int_eq(cli_parse(&prog, 6, argv, &args, pos, 1), 4);
	ck_assert(quiet);
	ck_assert_str_eq(pos[0], "t");
	ck_assert_str_eq(argv[6 - 4], "t");
}
END_TEST

static const char tmd[] =
	"| command | does |\n"
	"|---|---|\n"
	"| `pvbench t [--str S] [--x X] [--n N] [--flag] [--no-on] [--pct PCT] [--choice "
	"a\\|bb\\|c] [--call K] [-o DIR] [--a-very-long-option-name VALUE]` | a test command |\n"
	"\n"
	"**`pvbench` options** (before the command)\n"
	"\n"
	"| option | default | meaning |\n"
	"|---|---|---|\n"
	"| `-q` |  | quiet |\n"
	"\n"
	"**`pvbench t` options**\n"
	"\n"
	"| option | default | meaning |\n"
	"|---|---|---|\n"
	"| `-s, --str S` |  | a string |\n"
	"| `--x X` | `2` | a number long enough to be wrapped at the end of the line, so that "
	"it continues under the column of help texts |\n"
	"| `--n N` | as many as fit | a count |\n"
	"| `--flag` |  | a flag |\n"
	"| `--no-on` |  | clears on |\n"
	"| `--pct PCT` |  | a percent |\n"
	"| `--choice a\\|bb\\|c` |  | one of three, &lt;a&gt; or a_b \\| \\*c\\* |\n"
	"| `--call K` |  | adds K to calls |\n"
	"| `-o DIR` |  | output |\n"
	"| `--a-very-long-option-name VALUE` |  | its text starts two spaces after it |\n";

START_TEST(test_markdown)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	cli_markdown(f, &prog);
	fclose(f);
	ck_assert_str_eq(buf, tmd);
	free(buf);
}
END_TEST

/* ---- pvbench's tables ---- */

static bool takes_value(enum cli_kind k)
{
	return k != CLI_FLAG && k != CLI_CLEAR && k != CLI_HELP && k != CLI_FN;
}

/* A table's rows: help text, unique names and letters, an argument name exactly
 * when a value is stored, one help row, defaults that the row itself accepts. */
static void check_rows(const struct cli_cmd *c)
{
	const char *name = c->name ? c->name : "pvbench";
	int help = 0;

	for (size_t i = 0; i < c->nopts; i++) {
		const struct cli_opt *o = &c->opts[i];
		bool number = o->def && strchr("0123456789", o->def[0]); /* not a phrase */
		char nb[64];

		cli_opt_name(o, nb, sizeof(nb));
		ck_assert_msg(o->name || o->key, "%s: row %zu has no name", name, i);
		ck_assert_msg(o->hidden || (o->help && *o->help), "%s %s: no help", name, nb);
		ck_assert_msg(!takes_value(o->kind) || o->arg, "%s %s: no argument name", name, nb);
		ck_assert_msg(o->kind != CLI_FLAG || !o->arg, "%s %s: a flag with argument", name, nb);
		help += o->kind == CLI_HELP;
		for (size_t j = 0; j < i; j++) {
			ck_assert_msg(!o->name || !c->opts[j].name || strcmp(o->name, c->opts[j].name),
				      "%s: --%s twice", name, o->name);
			ck_assert_msg(!o->key || o->key != c->opts[j].key, "%s: -%c twice", name,
				      o->key);
		}
		if (number && (o->kind == CLI_INT || o->kind == CLI_LONG || o->kind == CLI_ULONG)) {
			long l;

			ck_assert_msg(!parse_long(o->def, (long)o->min, (long)o->max, &l),
				      "%s %s: default %s out of range", name, nb, o->def);
		}
		if (number && (o->kind == CLI_DOUBLE || o->kind == CLI_PERCENT)) {
			double d;

			ck_assert_msg(!parse_double(o->def, o->min, o->max, &d),
				      "%s %s: default %s out of range", name, nb, o->def);
		}
		if (o->def && (o->kind == CLI_CHOICE || o->fn == cmd_set_accel))
			ck_assert_msg(!cli_choice(o, o->def), "%s %s: default %s not a choice", name,
				      nb, o->def);
	}
	ck_assert_msg(help == 1, "%s: %d help rows", name, help);
}

/* Every line of the options section of c's help fits in 79 columns. */
static void check_help_width(const struct cli_cmd *c)
{
	char *buf = NULL, *line, *save;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	bool in_options = false;

	ck_assert_ptr_nonnull(f);
	cli_help(f, c);
	fclose(f);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (in_options && line[0] != ' ')
			break;
		if (in_options)
			ck_assert_msg(strlen(line) <= 79, "%s: '%s' is too long", c->name, line);
		in_options |= !strcmp(line, "options:");
	}
	ck_assert(in_options);
	free(buf);
}

START_TEST(test_pvbench_tables)
{
	check_rows(&pvbench_cli);
	check_help_width(&pvbench_cli);
	ck_assert_int_eq(pvbench_cli.ncmds, 7);
	for (size_t i = 0; i < pvbench_cli.ncmds; i++) {
		const struct cli_cmd *c = pvbench_cli.cmds[i];

		ck_assert(c->name && c->summary && c->fn);
		check_rows(c);
		check_help_width(c);
	}
}
END_TEST

/* README.md's command section is what the tables generate (make readme-options). */
START_TEST(test_readme_current)
{
	char *readme = read_file("README.md", NULL), *gen = NULL, *begin, *end;
	size_t len;
	FILE *f = open_memstream(&gen, &len);

	ck_assert_ptr_nonnull(readme);
	ck_assert_ptr_nonnull(f);
	cli_markdown(f, &pvbench_cli);
	fclose(f);
	begin = strstr(readme, "\n<!-- options:begin");
	end = strstr(readme, "\n<!-- options:end -->\n");
	ck_assert_msg(begin && end && begin < end, "README.md has no options:begin/end lines");
	begin = strchr(begin + 1, '\n') + 1;
	end[1] = '\0';
	ck_assert_msg(!strcmp(begin, gen),
		      "README.md's command section is stale: make readme-options");
	free(readme);
	free(gen);
}
END_TEST

/* ---- build/pvbench ---- */

static const struct {
	const char *cmd; /* run by sh from the project root */
	int status;
	const char *stderr_has;
} cases[] = {
	{ "build/pvbench --bogus", 2, "error: unknown option '--bogus'" },
	{ "build/pvbench frobnicate", 2, "error: unknown command 'frobnicate'" },
	{ "build/pvbench boot --accel hvf", 2, "error: --accel: 'hvf' is not one of auto, tcg, kvm" },
	{ "build/pvbench boot --smp zero", 2, "error: --smp: 'zero' is not an integer" },
	{ "build/pvbench boot --no-such-flag", 2,
	  "error: unknown option '--no-such-flag' (see 'pvbench boot --help')" },
	{ "build/pvbench boot --domu-type hvm", 2,
	  "error: --domu-type: 'hvm' is not one of pv, pvh" },
	{ "build/pvbench boot --timeout-dom0 0", 2,
	  "error: --timeout-dom0: '0' is not a number in [1, 86400]" },
	{ "build/pvbench boot extra-arg", 2, "error: unexpected argument 'extra-arg'" },
	{ "build/pvbench boot -o /proc/pvbench-cannot-write", 2,
	  "error: cannot write to output directory '/proc/pvbench-cannot-write'" },
	{ "PVBENCH_ROOT=/tmp/pvbench-no-root build/pvbench boot -o /tmp/pvbench-cli-out", 2,
	  "error: no images in '/tmp/pvbench-no-root/build/images' (run 'make images')" },
	{ "build/pvbench run", 2, "error: no scenario file given" },
	{ "build/pvbench run /nonexistent.ini", 2, "/nonexistent.ini" },
	{ "build/pvbench run scenarios/smoke.ini --reps 0", 2,
	  "error: --reps: '0' is not auto or an integer in [1, 1000]" },
	{ "build/pvbench run a.ini b.ini", 2, "error: give one scenario file per run" },
	{ "build/pvbench run scenarios/smoke.ini --jobs 0", 2,
	  "error: --jobs: '0' is not an integer in [1, 16]" },
	{ "build/pvbench run scenarios/smoke.ini --output", 2,
	  "error: option --output needs a value (DIR)" },
	{ "build/pvbench run scenarios/smoke.ini --clock tsc", 2,
	  "error: --clock: 'tsc' is not one of auto, icount, host" },
	{ "build/pvbench conform --fuzz x", 2,
	  "error: --fuzz: 'x' is not an integer in [0, 1000000]" },
	{ "build/pvbench conform --json=1", 2, "error: option --json takes no value" },
	{ "build/pvbench conform extra", 2, "error: unexpected argument 'extra'" },
	{ "build/pvbench images --bogus", 2,
	  "error: unknown option '--bogus' (see 'pvbench images --help')" },
	{ "build/pvbench images extra", 2, "error: unexpected argument 'extra'" },
	{ "build/pvbench report -o /tmp/pvbench-cli-report", 2,
	  "error: report needs RUN... -o DIR" },
	{ "build/pvbench list --format xml", 2, "error: --format: 'xml' is not one of text, md" },
	{ "build/pvbench list extra", 2, "error: unexpected argument 'extra'" },
	{ "build/pvbench list --dir", 2, "error: option --dir needs a value (DIR)" },
	{ "build/pvbench -x list", 2, "error: unknown option '-x' (see 'pvbench --help')" },
	{ "build/pvbench -q", 2, "usage: pvbench [-q|-v] COMMAND [ARGS]" },
	{ "build/pvbench --help", 0, "" },
	{ "build/pvbench --help-markdown", 0, "" },
	{ "build/pvbench list -h", 0, "" },
	{ "build/pvbench boot --help", 0, "" },
	{ "build/pvbench run -h", 0, "" },
	{ "build/pvbench conform --help", 0, "" },
	{ "build/pvbench images --help", 0, "" },
	{ "build/pvbench compare -h", 0, "" },
	{ "build/pvbench report --help", 0, "" },
};

START_TEST(test_case)
{
	char cmd[512], err[4096] = "";
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd), "%s 2>&1 >/dev/null", cases[_i].cmd);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(err, 1, sizeof(err) - 1, p);
	err[n] = '\0';
	st = pclose(p);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == cases[_i].status,
		      "'%s': exit %d, want %d (stderr: %s)", cases[_i].cmd, WEXITSTATUS(st),
		      cases[_i].status, err);
	ck_assert_msg(strstr(err, cases[_i].stderr_has), "'%s': stderr '%s' lacks '%s'",
		      cases[_i].cmd, err, cases[_i].stderr_has);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *table = tcase_create("table"), *errors = tcase_create("errors");

	tcase_add_test(table, test_getopt_table);
	tcase_add_test(table, test_parse);
	tcase_add_loop_test(table, test_parse_errors, 0, ARRAY_SIZE(err_cases));
	tcase_add_test(table, test_help);
	tcase_add_test(table, test_program);
	tcase_add_test(table, test_markdown);
	tcase_add_test(table, test_pvbench_tables);
	tcase_add_test(table, test_readme_current);
	suite_add_tcase(s, table);
	tcase_add_loop_test(errors, test_case, 0, sizeof(cases) / sizeof(cases[0]));
	suite_add_tcase(s, errors);
	return test_run_suite(s);
}
