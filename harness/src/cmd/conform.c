/* cmd/conform.c: `pvbench conform [OPTIONS]`: argv, usage, exit status. The suite
 * itself is conform.h's conform_run_suite(). */
#include "pvbench/commands.h"
#include "pvbench/conform.h"
#include "pvbench/machine.h"
#include "pvbench/qemu.h"
#include "pvbench/util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pvbench conform [OPTIONS]\n\n"
		"Checks that Xen's PV block and network drivers (Linux 6.1 blkfront/blkback,\n"
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
		"one failed, 2 when the suite could not run (bad option, no boot).\n\n"
		"  -o, --output DIR     output directory (default build/runs/conform-<time>)\n"
		"      --json           the JSON document (pvbench-conform/1) on stdout\n"
		"      --no-requests    skip the blkif request checks\n"
		"      --fuzz N         then N random malformed requests (pvbench-blkif --fuzz)\n"
		"      --seed S         seed of --fuzz (default 1); a hang names the seed\n"
		"      --accel auto|tcg|kvm\n"
		"  -h, --help\n");
}

static int parse_opts(int argc, char **argv, struct conform_opts *o)
{
	enum { O_JSON = 256, O_NOREQ, O_FUZZ, O_SEED, O_ACCEL };
	static const struct option opts[] = {{"output", required_argument, 0, 'o'},
					     {"json", no_argument, 0, O_JSON},
					     {"no-requests", no_argument, 0, O_NOREQ},
					     {"fuzz", required_argument, 0, O_FUZZ},
					     {"seed", required_argument, 0, O_SEED},
					     {"accel", required_argument, 0, O_ACCEL},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	int c;

	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->outdir = optarg;
			break;
		case O_JSON:
			o->json = true;
			break;
		case O_NOREQ:
			o->requests = false;
			break;
		case O_FUZZ:
			if (parse_long(optarg, 0, 1000000, &o->fuzz))
				return pvb_err("--fuzz: '%s' is not an integer in [0, 1000000]",
					       optarg),
				       -EINVAL;
			break;
		case O_SEED:
			if (parse_long(optarg, 0, 0x7fffffff, &o->seed))
				return pvb_err("--seed: '%s' is not a non-negative integer",
					       optarg),
				       -EINVAL;
			break;
		case O_ACCEL:
			if (accel_parse(optarg, &o->accel))
				return pvb_err("--accel: '%s' is not one of auto, tcg, kvm",
					       optarg),
				       -EINVAL;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		pvb_err("unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

int cmd_conform(int argc, char **argv)
{
	struct conform_opts o = CONFORM_OPTS_DEFAULT;
	bool passed;
	int rc = parse_opts(argc, argv, &o);

	if (rc)
		return rc > 0 ? 0 : 2;
	if (conform_run_suite(&o, &passed))
		return 2;
	return pvb_interrupted ? 130 : passed ? 0 : 1;
}
