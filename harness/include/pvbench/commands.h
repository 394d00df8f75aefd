/* commands.h: the pvbench subcommands. Each takes (argc, argv) with argv[0] the
 * subcommand name and returns the process exit status; only main.c exits. */
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

/* The statistics options `compare` and `report` share, as cli_opt rows filling
 * band_pct (double, percent) and o (struct cmp_opts: alpha, resamples, seed,
 * metrics). */
#define CMP_CLI_OPTS(band_pct, o)                                                              \
	{ "--band", CLI_DOUBLE, &(band_pct), 0, 100, "PCT",                                        \
	  "equivalence band in percent for \"no change\" (default 2)" },                          \
	{ "--alpha", CLI_DOUBLE, &(o).alpha, 1e-6, 0.5, "A",                                       \
	  "level for the Holm-adjusted p-values (default 0.05)" },                                \
	{ "--resamples", CLI_ULONG, &(o).resamples, 10000, 10000000, "N",                          \
	  "bootstrap resamples (default 10000)" },                                                \
	{ "--seed", CLI_ULONG, &(o).seed, 0, 4294967295.0, "N", "bootstrap seed (default 1)" },    \
	{ "--metrics", CLI_STR, &(o).metrics, 0, 0, "GLOB",                                        \
	  "only metrics whose names match the shell pattern GLOB" }

#endif
