/* pvbench-blkif: a user-space blkif frontend that checks a block backend against
 * the PV protocol (see drivers/blkif/README.md).
 *
 *   pvbench-blkif --vdev N [--ro-vdev M] [--checks GLOB] [--json]
 *                 [--fuzz N --seed S] [--timeout SEC]
 *
 * Runs in a domU where device/vbd/N exists and no kernel driver bound it (e.g.
 * echo 0 > /sys/bus/xen/drivers_autoprobe before xl block-attach). Connects as the
 * frontend (grants through gntalloc, an event channel, xenstore), runs the checks
 * of blkif_ring.h whose name matches GLOB (default all), then N fuzzed malformed
 * requests, then closes. Output: TAP 13 on stdout, or one JSON document (schema
 * pvbench-blkif/1) with --json. Exit status 0 when no MUST check failed, no check
 * hit an error and the fuzzer saw no hang; 1 otherwise; 2 for usage errors.
 *
 * This file: options, messages and the order of the run; the frontend side
 * (xenstore, the xenbus connection, requests on the ring) is in frontend.c, the
 * checks in checks.c, the fuzzer in fuzz.c, the TAP/JSON writers in output.c. */
#include "blkif_guest.h"

struct blkif_guest blkif_front;

static void usage(void)
{
	fputs("usage: pvbench-blkif --vdev N [--ro-vdev M] [--checks GLOB] [--json]\n"
	      "                     [--fuzz N --seed S] [--timeout SEC]\n",
	      stderr);
	exit(2);
}

/* Appends to the NUL-terminated buf of n bytes, "; " between parts. */
void addf(char *buf, size_t n, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len && len + 2 < n)
		len += snprintf(buf + len, n - len, "; ");
	if (len >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
}

static void parse_opts(int argc, char **argv, struct blkif_opts *o, struct fuzz *f)
{
	*o = (struct blkif_opts){.vdev = -1, .ro_vdev = -1, .timeout = 10, .glob = "*"};
	for (int i = 1; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(k, "--json")) {
			o->json = true;
			continue;
		}
		i++;
		if (!strcmp(k, "--vdev"))
			o->vdev = guest_opt_long(PROG, k, v, 0, 0x7fffffff);
		else if (!strcmp(k, "--ro-vdev"))
			o->ro_vdev = guest_opt_long(PROG, k, v, 0, 0x7fffffff);
		else if (!strcmp(k, "--checks") && v)
			o->glob = v;
		else if (!strcmp(k, "--fuzz"))
			f->n = guest_opt_long(PROG, k, v, 0, 100000000);
		else if (!strcmp(k, "--seed"))
			f->seed = (uint64_t)guest_opt_long(PROG, k, v, 0, 0x7fffffffffffffffL);
		else if (!strcmp(k, "--timeout"))
			o->timeout = guest_opt_long(PROG, k, v, 1, 3600);
		else
			usage();
	}
	if (o->vdev < 0 || o->vdev == o->ro_vdev)
		usage();
}

int main(int argc, char **argv)
{
	static struct outcome out[BLKIF_CK_COUNT];
	static struct fuzz f;
	unsigned sum[5] = {0};
	int status = 0;

	parse_opts(argc, argv, &blkif_front.opts, &f);
	blkif_front.next_id = 0x1000;
	blkif_front.xs = xs_open(0);
	blkif_front.xce = xenevtchn_open(NULL, 0);
	blkif_front.xgs = xengntshr_open(NULL, 0);
	if (!blkif_front.xs || !blkif_front.xce || !blkif_front.xgs)
		die("cannot open %s: %s",
		    !blkif_front.xs    ? "xenstore"
		    : !blkif_front.xce ? "/dev/xen/evtchn"
				       : "/dev/xen/gntalloc",
		    strerror(errno));
	if (vbd_open(&blkif_front.rw, blkif_front.opts.vdev) || vbd_connect(&blkif_front.rw))
		guest_note(PROG, "vbd %ld: %s", blkif_front.opts.vdev, blkif_front.rw.why);
	if (blkif_front.opts.ro_vdev >= 0 &&
	    (vbd_open(&blkif_front.ro, blkif_front.opts.ro_vdev) || vbd_connect(&blkif_front.ro)))
		guest_note(PROG, "vbd %ld: %s", blkif_front.opts.ro_vdev, blkif_front.ro.why);
	for (int i = 0; i < BLKIF_CK_COUNT; i++) {
		if (i == BLKIF_CK_CLOSE && f.n > 0)
			fuzz_run(&f);
		run_check(i, &out[i]);
		sum[out[i].r]++;
		if (out[i].r == BLKIF_FAIL || out[i].r == BLKIF_ERROR)
			status = 1;
	}
	if (f.hang)
		status = 1;
	vbd_close(&blkif_front.rw);
	vbd_close(&blkif_front.ro);
	vbd_free(&blkif_front.rw);
	vbd_free(&blkif_front.ro);
	xengntshr_close(blkif_front.xgs);
	xenevtchn_close(blkif_front.xce);
	xs_close(blkif_front.xs);
	if (blkif_front.opts.json)
		print_json(out, &f, sum, status);
	else
		print_tap(out, &f, sum);
	return status;
}
