/* cmd/conform.c: `pvbench conform [OPTIONS]`: its option table, exit status. The suite
 * itself is conform.h's conform_run_suite(). */
#include "pvbench/commands.h"
#include "pvbench/conform.h"
#include "pvbench/machine.h"
#include "pvbench/qemu.h"
#include "pvbench/util.h"

#include <stdio.h>

#define AT(member) CLI_AT(struct conform_opts, member)
static const struct cli_opt conform_opts[] = {
	{ .name = "output", .key = 'o', .arg = "DIR", .kind = CLI_STR, AT(outdir),
	  .def = "build/runs/conform-<time>", .help = "output directory" },
	{ .name = "json", .kind = CLI_FLAG, AT(json),
	  .help = "the JSON document (pvbench-conform/1) on stdout" },
	{ .name = "no-requests", .kind = CLI_CLEAR, AT(requests),
	  .help = "skip the blkif request checks" },
	{ .name = "fuzz", .arg = "N", .kind = CLI_LONG, AT(fuzz), .min = 0, .max = 1000000,
	  .def = "0", .help = "then N random malformed requests (pvbench-blkif --fuzz)" },
	{ .name = "seed", .arg = "S", .kind = CLI_LONG, AT(seed), .min = 0, .max = 0x7fffffff,
	  .def = "1", .help = "seed of --fuzz; a hang names the seed" },
	CMD_OPT_ACCEL(struct conform_opts, accel),
	CLI_OPT_HELP,
};
#undef AT

const struct cli_cmd conform_cli = {
	.name = "conform",
	.summary = "PV protocol conformance checks against the real drivers (TAP)",
	.usage = "[OPTIONS]",
	.about = "Checks that Xen's PV block and network drivers (Linux 6.1 blkfront/blkback,\n"
		 "netfront/netback on Xen 4.17, the bundled images) follow their protocols:\n"
		 "xenstore negotiation against blkif.h and netif.h, the xenbus state machine\n"
		 "during xl block-attach/-detach and network-attach/-detach, leaks of grant\n"
		 "entries, event channels and backend threads, and blkback's answers to valid\n"
		 "and malformed ring requests from a user-space frontend (pvbench-blkif).\n"
		 "Every check names the header line it enforces. MUST checks fail the run,\n"
		 "SHOULD checks warn.\n\n"
		 "Output: TAP 13 on stdout (or --json), a summary on stderr, and\n"
		 "DIR/conform.json, DIR/conform.tap, the xenstore dumps, watch log and\n"
		 "pvbench-blkif output in DIR. Exit 0 when every MUST check passed, 1 when\n"
		 "one failed, 2 when the suite could not run (bad option, no boot).",
	.opts = conform_opts,
	.nopts = ARRAY_SIZE(conform_opts),
	.fn = cmd_conform,
};

int cmd_conform(int argc, char **argv)
{
	struct conform_opts o = CONFORM_OPTS_DEFAULT;
	bool passed;
	int rc = cli_parse(&conform_cli, argc, argv, &o, NULL, 0);

	if (rc < 0)
		return cli_status(rc);
	if (conform_run_suite(&o, &passed))
		return 2;
	return pvb_interrupted ? 130 : passed ? 0 : 1;
}
