/* main.c: pvbench entry point: global options and the subcommand table. */
#include "pvbench/commands.h"
#include "pvbench/util.h"

#include <stdio.h>
#include <string.h>

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "images", cmd_images, "build or verify the bundled Xen, kernel and initramfs images" },
	{ "boot", cmd_boot, "boot Xen + dom0 + one PV domU, check health, print the timeline" },
	{ "run", cmd_run, "run scenarios: variants x repetitions, evidence, results.json" },
	{ "list", cmd_list, "scenarios, workloads and scenario keys" },
	{ "compare", cmd_compare, "statistics and verdicts between runs or variants" },
	{ "report", cmd_report, "HTML + Markdown report with charts from runs" },
	{ "conform", cmd_conform, "PV protocol conformance checks against the real drivers (TAP)" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: pvbench [-q|-v] COMMAND [ARGS]\n\n"
		   "pvbench boots a bundled Xen and Linux dom0 in QEMU, runs PV-driver\n"
		   "workloads with and without a feature, and reports the difference.\n\n"
		   "commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'pvbench COMMAND --help' describes a command's options.\n");
}

int main(int argc, char **argv)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-q"))
			pvb_verbosity = 0;
		else if (!strcmp(argv[i], "-v"))
			pvb_verbosity = 2;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			pvb_err("unknown option '%s'", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	for (size_t c = 0; c < ARRAY_SIZE(commands); c++)
		if (!strcmp(argv[i], commands[c].name))
			return commands[c].fn(argc - i, argv + i);
	pvb_err("unknown command '%s'", argv[i]);
	usage(stderr);
	return 2;
}
