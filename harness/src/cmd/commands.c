/* cmd/commands.c: the program's option table with the commands (commands.h), and
 * what several commands' tables share. */
#include "pvbench/commands.h"
#include "pvbench/qemu.h"
#include "pvbench/util.h"

#include <errno.h>

static int set_quiet(void *dest, const char *value, const struct cli_opt *o)
{
	(void)dest, (void)value, (void)o;
	pvb_verbosity = 0;
	return 0;
}

static int set_verbose(void *dest, const char *value, const struct cli_opt *o)
{
	(void)dest, (void)value, (void)o;
	pvb_verbosity = 2;
	return 0;
}

static const struct cli_opt pvbench_rows[] = {
	{ .key = 'q', .kind = CLI_FN, .fn = set_quiet, .help = "quiet: errors and warnings only" },
	{ .key = 'v', .kind = CLI_FN, .fn = set_verbose, .help = "verbose: debug lines too" },
	{ .name = "help-markdown", .kind = CLI_FLAG, CLI_AT(struct pvbench_args, markdown),
	  .hidden = true },
	CLI_OPT_HELP,
};

static const struct cli_cmd *const commands[] = {
	&images_cli, &boot_cli, &run_cli, &list_cli, &compare_cli, &report_cli, &conform_cli,
};

const struct cli_cmd pvbench_cli = {
	.usage = "[-q|-v] COMMAND [ARGS]",
	.about = "pvbench boots a bundled Xen and Linux dom0 in QEMU, runs PV-driver\n"
		 "workloads with and without a feature, and reports the difference.",
	.epilog = "'pvbench COMMAND --help' describes a command's options.",
	.opts = pvbench_rows,
	.nopts = ARRAY_SIZE(pvbench_rows),
	.cmds = commands,
	.ncmds = ARRAY_SIZE(commands),
};

int cmd_set_accel(void *dest, const char *value, const struct cli_opt *o)
{
	return cli_choice(o, value) || accel_parse(value, dest) ? -EINVAL : 0;
}

int cmd_set_clock(void *dest, const char *value, const struct cli_opt *o)
{
	return cli_choice(o, value) || clock_parse(value, dest) ? -EINVAL : 0;
}
