/* commands.h: the pvbench commands. Each takes (argc, argv) with argv[0] the command
 * name and returns the process exit status; only main.c exits. Each command's file
 * holds its option table (struct cli_cmd, cli.h); the rows several commands share
 * are here. */
#ifndef PVBENCH_COMMANDS_H
#define PVBENCH_COMMANDS_H

#include "pvbench/cli.h"

int cmd_images(int argc, char **argv);
int cmd_boot(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_conform(int argc, char **argv);

/* The program's table (commands.c): its options, the commands in `pvbench --help`
 * order; hidden: --help-markdown, README.md's command section (cli_markdown). */
extern const struct cli_cmd pvbench_cli;
struct pvbench_args {
	bool markdown; /* --help-markdown */
};
/* The commands' tables, each in the command's file. */
extern const struct cli_cmd images_cli, boot_cli, run_cli, list_cli, compare_cli, report_cli,
	conform_cli;

/* --accel and --clock (commands.c): the enum accel or enum clock_mode at the row's
 * offset, from one of the words of its arg (the error printed). */
int cmd_set_accel(void *dest, const char *value, const struct cli_opt *o);
int cmd_set_clock(void *dest, const char *value, const struct cli_opt *o);
#define CMD_OPT_ACCEL(type, member)                                                                \
	{ .name = "accel", .arg = "auto|tcg|kvm", .kind = CLI_FN, CLI_AT(type, member),            \
	  .fn = cmd_set_accel, .def = "auto",                                                      \
	  .help = "accelerator (auto: KVM only if it can run Xen)" }
#define CMD_OPT_CLOCK(type, member, def_, help_)                                                   \
	{ .name = "clock", .arg = "auto|icount|host", .kind = CLI_FN, CLI_AT(type, member),        \
	  .fn = cmd_set_clock, .def = def_, .help = help_ }

/* The statistics options `compare` and `report` share, as rows storing into the
 * struct cmp_opts at member o of type: band (given in percent), alpha, resamples,
 * seed, metrics, allow_mixed_clocks. */
#define CMP_CLI_OPTS(type, o)                                                                      \
	{ .name = "band", .arg = "PCT", .kind = CLI_PERCENT, CLI_AT(type, o.band), .min = 0,       \
	  .max = 100, .def = "2", .help = "equivalence band in percent for \"no change\"" },      \
	{ .name = "alpha", .arg = "A", .kind = CLI_DOUBLE, CLI_AT(type, o.alpha), .min = 1e-6,     \
	  .max = 0.5, .def = "0.05", .help = "level for the Holm-adjusted p-values" },             \
	{ .name = "resamples", .arg = "N", .kind = CLI_ULONG, CLI_AT(type, o.resamples),           \
	  .min = 10000, .max = 10000000, .def = "10000", .help = "bootstrap resamples" },          \
	{ .name = "seed", .arg = "N", .kind = CLI_ULONG, CLI_AT(type, o.seed), .min = 0,           \
	  .max = 4294967295.0, .def = "1", .help = "bootstrap seed" },                             \
	{ .name = "metrics", .arg = "GLOB", .kind = CLI_STR, CLI_AT(type, o.metrics),              \
	  .help = "only metrics whose names match the shell pattern GLOB" },                       \
	{ .name = "allow-mixed-clocks", .kind = CLI_FLAG, CLI_AT(type, o.allow_mixed_clocks),      \
	  .help = "compare runs of different clocks (icount, host) instead of refusing" }

#endif
