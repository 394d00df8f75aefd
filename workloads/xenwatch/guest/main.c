/* pvbench-xenwatch: xenstore watch latency in dom0 through Linux's xenwatch thread,
 * alone or while tiny PV guests are created and destroyed (see
 * workloads/xenwatch/README.md for the protocol and the output).
 *
 *   pvbench-xenwatch --watches W --samples S [--warmup K] [--interval-ms I]
 *                    [--guests N --kernel PATH --ramdisk PATH [--memory MIB]
 *                     [--vif [--bridge BR]]] [--timeout SEC]
 *
 * Runs in dom0 as root. Watches go through /dev/xen/xenbus (XENSTORED_PATH), so
 * every event passes Linux's single "xenwatch" kthread (xenbus_dev_frontend.c:
 * watch_fired). N worker processes loop `xl create` / `xl destroy` of guests
 * pvbench-tiny-<k> meanwhile. Prints one JSON document (schema
 * pvbench-xenwatch/1) on stdout, progress on stderr. Exit 0; 1 on failure (the
 * document then has an "error" key); 2 for usage errors (no document).
 *
 * This file: the options and the sample loop; the storm is in storm.c, the
 * watches in watch.c, the error lines and the JSON document in output.c. */
#include "xenwatch_guest.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct xenwatch_options xenwatch_opts;
volatile sig_atomic_t signal_caught;

static void on_signal(int sig)
{
	signal_caught = sig;
}

static void usage(void)
{
	fputs("usage: pvbench-xenwatch --watches W --samples S [--warmup K] [--interval-ms I]\n"
	      "         [--guests N --kernel PATH --ramdisk PATH [--memory MIB] [--vif]\n"
	      "          [--bridge BR]] [--timeout SEC]\n",
	      stderr);
	exit(2);
}

/* A path or bridge name that can go between double quotes in an xl config. */
static const char *plain(const char *opt, const char *s)
{
	if (!s || !*s || strpbrk(s, "\"'\\\n\r\t,=")) {
		note("%s: expected a path without quotes, commas or '=' signs", opt);
		exit(2);
	}
	return s;
}

static void parse_opts(int argc, char **argv, struct xenwatch_options *o)
{
	*o = (struct xenwatch_options){.watches = -1,
				       .samples = -1,
				       .warmup = 100,
				       .memory = 128,
				       .timeout = 120,
				       .bridge = "xenbr0"};
	for (int i = 1; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(k, "--vif")) {
			o->vif = true;
			continue;
		}
		i++;
		if (!strcmp(k, "--watches"))
			o->watches = guest_opt_long(PROG, k, v, 1, WATCHES_MAX);
		else if (!strcmp(k, "--guests"))
			o->guests = guest_opt_long(PROG, k, v, 0, GUESTS_MAX);
		else if (!strcmp(k, "--samples"))
			o->samples = guest_opt_long(PROG, k, v, 1, SAMPLES_MAX);
		else if (!strcmp(k, "--warmup"))
			o->warmup = guest_opt_long(PROG, k, v, 0, SAMPLES_MAX);
		else if (!strcmp(k, "--interval-ms"))
			o->interval_ms = guest_opt_long(PROG, k, v, 0, 60000);
		else if (!strcmp(k, "--memory"))
			o->memory = guest_opt_long(PROG, k, v, 16, 1 << 20);
		else if (!strcmp(k, "--timeout"))
			o->timeout = guest_opt_long(PROG, k, v, 1, 86400);
		else if (!strcmp(k, "--kernel"))
			o->kernel = plain(k, v);
		else if (!strcmp(k, "--ramdisk"))
			o->ramdisk = plain(k, v);
		else if (!strcmp(k, "--bridge"))
			o->bridge = plain(k, v);
		else
			usage();
	}
	if (o->watches < 0 || o->samples < 0 || (o->guests > 0 && (!o->kernel || !o->ramdisk)))
		usage();
}

int main(int argc, char **argv)
{
	const struct xenwatch_options *o = &xenwatch_opts;
	struct sigaction sa = {.sa_handler = on_signal};
	uint64_t *lat, t_start, t_end;
	long seq = 0;

	parse_opts(argc, argv, &xenwatch_opts);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	lat = malloc(o->samples * sizeof(*lat));
	if (!lat)
		fail("out of memory for %ld samples", o->samples);
	if (o->guests > 0 && access(o->kernel, R_OK))
		fail("cannot read the tiny guest's kernel '%s': %s", o->kernel, strerror(errno));
	if (o->guests > 0 && access(o->ramdisk, R_OK))
		fail("cannot read the tiny guest's ramdisk '%s': %s", o->ramdisk, strerror(errno));
	watch_setup();
	if (o->guests > 0) {
		start_storm();
		wait_storm_up();
	}
	for (long k = 0; k < o->warmup; k++, seq++) {
		watch_sample(seq + 1, seq % o->watches);
		pause_between_samples();
	}
	t_start = guest_now_ns();
	for (long k = 0; k < o->samples; k++, seq++) {
		lat[k] = watch_sample(seq + 1, seq % o->watches);
		if (k + 1 < o->samples)
			pause_between_samples();
	}
	t_end = guest_now_ns();
	note("%ld samples in %.3f s; %zu xl results so far", o->samples, (t_end - t_start) / 1e9,
	     storm_state.n_reps);
	stop_storm();
	watch_cleanup();
	print_result(lat, o->samples, t_start, t_end);
	free(lat);
	free(storm_state.reps);
	return fflush(stdout) ? 1 : 0;
}
