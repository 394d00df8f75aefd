/* pvbench-evtchn: event-channel ping-pong between dom0 and a PV domU (see
 * workloads/evtchn/README.md for the protocol).
 *
 *   pvbench-evtchn serve --pairs K [--timeout S]      in the domU
 *   pvbench-evtchn ping --domid D --pairs K --round-trips N --warmup W [--cpu C]
 *                                                     in dom0
 *
 * serve allocates K unbound event channels for dom0, writes their ports to its own
 * xenstore keys data/pvbench-evtchn/port-<k> and echoes every notification on the
 * port it came from, until data/pvbench-evtchn/done exists or S seconds (default 120)
 * have passed. ping binds to the K ports, one thread and one xenevtchn handle per
 * pair, runs W untimed and N timed round trips per pair (notify, wait for the echo),
 * writes .../done and prints one JSON document (schema pvbench-evtchn/1) on stdout.
 * Errors: one line on stderr, exit status 1 (2 for usage errors). */
#define _GNU_SOURCE /* sched_setaffinity */
#include "pvbench/guest_cli.h"
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xenevtchn.h>
#include <xenstore.h>

#include "../rtt_stats.h"

#define DIR_REL "data/pvbench-evtchn"
#define PAIRS_MAX 16
#define ROUND_TRIPS_MAX 1000000L
#define PORT_WAIT_S 30

#define PROG "pvbench-evtchn"
#define die(...) guest_die(PROG, __VA_ARGS__) /* "pvbench-evtchn: <message>", exit 1 */

static void usage(void)
{
	fputs(
	    "usage: pvbench-evtchn serve --pairs K [--timeout S]\n"
	    "       pvbench-evtchn ping --domid D --pairs K --round-trips N --warmup W [--cpu C]\n",
	    stderr);
	exit(2);
}

static double now_s(void)
{
	return guest_now_ns() / 1e9;
}

/* Options: "--name value" pairs after the subcommand. */
struct opts {
	long pairs, timeout, domid, round_trips, warmup, cpu;
};

static void parse_opts(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){
	    .pairs = -1, .timeout = 120, .domid = -1, .round_trips = -1, .warmup = -1, .cpu = -1};
	for (int i = 2; i < argc; i += 2) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(k, "--pairs"))
			o->pairs = guest_opt_long(PROG, k, v, 1, PAIRS_MAX);
		else if (!strcmp(k, "--timeout"))
			o->timeout = guest_opt_long(PROG, k, v, 1, 86400);
		else if (!strcmp(k, "--domid"))
			o->domid = guest_opt_long(PROG, k, v, 1, 32751);
		else if (!strcmp(k, "--round-trips"))
			o->round_trips = guest_opt_long(PROG, k, v, 1, ROUND_TRIPS_MAX);
		else if (!strcmp(k, "--warmup"))
			o->warmup = guest_opt_long(PROG, k, v, 0, ROUND_TRIPS_MAX);
		else if (!strcmp(k, "--cpu"))
			o->cpu = guest_opt_long(PROG, k, v, 0, CPU_SETSIZE - 1);
		else
			usage();
	}
}

static struct xs_handle *xs_connect(void)
{
	struct xs_handle *xs = xs_open(0);

	if (!xs)
		die("cannot connect to xenstore: %s", strerror(errno));
	return xs;
}

/* ---- serve (domU) ---- */

static bool done_exists(struct xs_handle *xs)
{
	unsigned len;
	char *v = xs_read(xs, XBT_NULL, DIR_REL "/done", &len);

	free(v);
	return v != NULL;
}

static int serve(const struct opts *o)
{
	struct xs_handle *xs = xs_connect();
	xenevtchn_handle *xce = xenevtchn_open(NULL, 0);
	evtchn_port_t ports[PAIRS_MAX];
	double deadline = now_s() + o->timeout;
	struct pollfd pfd;

	if (!xce)
		die("cannot open the event channel device: %s", strerror(errno));
	xs_rm(xs, XBT_NULL, DIR_REL); /* a previous run's ports and done; may be absent */
	for (long k = 0; k < o->pairs; k++) {
		xenevtchn_port_or_error_t p = xenevtchn_bind_unbound_port(xce, 0);
		char key[64], val[16];

		if (p < 0)
			die("cannot allocate an event channel for dom0: %s", strerror(errno));
		ports[k] = p;
		snprintf(key, sizeof(key), DIR_REL "/port-%ld", k);
		snprintf(val, sizeof(val), "%u", (unsigned)p);
		if (!xs_write(xs, XBT_NULL, key, val, strlen(val)))
			die("cannot write xenstore key %s: %s", key, strerror(errno));
	}
	pfd = (struct pollfd){.fd = xenevtchn_fd(xce), .events = POLLIN};
	while (!done_exists(xs)) {
		double left = deadline - now_s();
		int n;

		if (left <= 0)
			die("timed out after %ld s without %s", o->timeout, DIR_REL "/done");
		n = poll(&pfd, 1, left < 0.5 ? (int)(left * 1000) + 1 : 500);
		if (n < 0 && errno != EINTR)
			die("poll on the event channel device: %s", strerror(errno));
		/* echo everything pending before looking at xenstore again */
		while (n > 0) {
			xenevtchn_port_or_error_t p = xenevtchn_pending(xce);

			if (p < 0)
				die("xenevtchn_pending: %s", strerror(errno));
			if (xenevtchn_unmask(xce, p) || xenevtchn_notify(xce, p))
				die("cannot echo on port %d: %s", p, strerror(errno));
			n = poll(&pfd, 1, 0);
		}
	}
	for (long k = 0; k < o->pairs; k++)
		xenevtchn_unbind(xce, ports[k]);
	xs_rm(xs, XBT_NULL, DIR_REL);
	xenevtchn_close(xce);
	xs_close(xs);
	return 0;
}

/* ---- ping (dom0) ---- */

struct pair {
	xenevtchn_handle *xce;
	evtchn_port_t port; /* local, bound to the domU's */
	long warmup, n;
	uint64_t *rtt; /* n entries */
	pthread_barrier_t *start;
	const char *error; /* set by the thread on failure, with its errno */
	int error_errno;
};

/* One round trip: notify, wait for the echo on our port, unmask. */
static int round_trip(struct pair *p)
{
	xenevtchn_port_or_error_t got;

	if (xenevtchn_notify(p->xce, p->port))
		return -1;
	do {
		got = xenevtchn_pending(p->xce);
	} while (got < 0 && errno == EINTR);
	if (got < 0 || xenevtchn_unmask(p->xce, got))
		return -1;
	if ((evtchn_port_t)got != p->port) {
		errno = EPROTO; /* an event on a port this handle did not bind */
		return -1;
	}
	return 0;
}

/* Xen marks a port pending when it is bound to an interdomain channel
 * (xen/common/event_channel.c, evtchn_bind_interdomain: "evtchn_port_set_pending"),
 * so the first wait would return at once and every later one would see the
 * previous echo. Consume what arrives within 100 ms of binding, before timing. */
static void drain(xenevtchn_handle *xce)
{
	struct pollfd pfd = {.fd = xenevtchn_fd(xce), .events = POLLIN};
	xenevtchn_port_or_error_t got;

	while (poll(&pfd, 1, 100) > 0 && (got = xenevtchn_pending(xce)) >= 0)
		xenevtchn_unmask(xce, got);
}

static void *ping_thread(void *arg)
{
	struct pair *p = arg;

	for (long i = 0; i < p->warmup && !p->error; i++)
		if (round_trip(p)) {
			p->error = "warm-up round trip failed";
			p->error_errno = errno;
		}
	pthread_barrier_wait(p->start);
	for (long i = 0; i < p->n && !p->error; i++) {
		uint64_t t0 = guest_now_ns();

		if (round_trip(p)) {
			p->error = "round trip failed";
			p->error_errno = errno;
		}
		p->rtt[i] = guest_now_ns() - t0;
	}
	return NULL;
}

/* Reads /local/domain/D/data/pvbench-evtchn/port-<k>, waiting up to PORT_WAIT_S. */
static evtchn_port_t remote_port(struct xs_handle *xs, long domid, long k, double deadline)
{
	char key[96];

	snprintf(key, sizeof(key), "/local/domain/%ld/" DIR_REL "/port-%ld", domid, k);
	for (;;) {
		unsigned len;
		char *v = xs_read(xs, XBT_NULL, key, &len), *end;
		unsigned long port;

		if (v) {
			errno = 0;
			port = strtoul(v, &end, 10);
			if (!len || *end || errno || port > INT_MAX)
				die("invalid port '%.16s' in %s", v, key);
			free(v);
			return port;
		}
		if (now_s() > deadline)
			die("no %s after %d s (is pvbench-evtchn serve running in domain %ld?)",
			    key, PORT_WAIT_S, domid);
		usleep(100000);
	}
}

static int ping(const struct opts *o)
{
	struct xs_handle *xs = xs_connect();
	struct pair pairs[PAIRS_MAX] = {0};
	pthread_t th[PAIRS_MAX];
	pthread_barrier_t start;
	double deadline = now_s() + PORT_WAIT_S, t0, elapsed;
	size_t total = (size_t)o->pairs * o->round_trips;
	struct time_summary rtt;
	uint64_t *all;
	char key[96];

	if (o->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(o->cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			die("cannot pin to CPU %ld: %s", o->cpu, strerror(errno));
	}
	all = malloc(total * sizeof(*all));
	if (!all)
		die("out of memory for %zu round-trip times", total);
	for (long k = 0; k < o->pairs; k++) {
		evtchn_port_t rp = remote_port(xs, o->domid, k, deadline);
		xenevtchn_port_or_error_t lp;
		struct pair *p = &pairs[k];

		p->xce = xenevtchn_open(NULL, 0);
		if (!p->xce)
			die("cannot open the event channel device: %s", strerror(errno));
		lp = xenevtchn_bind_interdomain(p->xce, o->domid, rp);
		if (lp < 0)
			die("cannot bind to port %u of domain %ld: %s", (unsigned)rp, o->domid,
			    strerror(errno));
		p->port = lp;
		drain(p->xce);
		p->warmup = o->warmup;
		p->n = o->round_trips;
		p->rtt = all + k * o->round_trips;
		p->start = &start;
	}
	if (pthread_barrier_init(&start, NULL, o->pairs + 1))
		die("pthread_barrier_init failed");
	for (long k = 0; k < o->pairs; k++)
		if ((errno = pthread_create(&th[k], NULL, ping_thread, &pairs[k])))
			die("cannot start a thread: %s", strerror(errno));
	pthread_barrier_wait(&start);
	t0 = now_s();
	for (long k = 0; k < o->pairs; k++)
		pthread_join(th[k], NULL);
	elapsed = now_s() - t0;
	snprintf(key, sizeof(key), "/local/domain/%ld/" DIR_REL "/done", o->domid);
	if (!xs_write(xs, XBT_NULL, key, "1", 1))
		die("cannot write xenstore key %s: %s", key, strerror(errno));
	for (long k = 0; k < o->pairs; k++) {
		if (pairs[k].error)
			die("pair %ld (local port %u): %s: %s", k, (unsigned)pairs[k].port,
			    pairs[k].error, strerror(pairs[k].error_errno));
		xenevtchn_unbind(pairs[k].xce, pairs[k].port);
		xenevtchn_close(pairs[k].xce);
	}
	time_summarize(all, total, &rtt);
	if (elapsed <= 0)
		elapsed = 1e-9;
	printf("{\"schema\":\"pvbench-evtchn/1\",\"pairs\":%ld,\"round_trips\":%zu,"
	       "\"elapsed_s\":%.9f,\"round_trips_per_s\":%.3f,\"rtt_ns\":{\"min\":%" PRIu64
	       ",\"p50\":%" PRIu64 ",\"p90\":%" PRIu64 ",\"p99\":%" PRIu64 ",\"p99_9\":%" PRIu64
	       ",\"max\":%" PRIu64 ",\"mean\":%.1f}}\n",
	       o->pairs, total, elapsed, total / elapsed, rtt.min, rtt.p50, rtt.p90, rtt.p99,
	       rtt.p99_9, rtt.max, rtt.mean);
	free(all);
	xs_close(xs);
	return fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct opts o;

	if (argc < 2)
		usage();
	parse_opts(argc, argv, &o);
	if (!strcmp(argv[1], "serve")) {
		if (o.pairs < 0 || o.domid >= 0 || o.round_trips >= 0 || o.warmup >= 0 ||
		    o.cpu >= 0)
			usage();
		return serve(&o);
	}
	if (!strcmp(argv[1], "ping")) {
		if (o.pairs < 0 || o.domid < 0 || o.round_trips < 0 || o.warmup < 0)
			usage();
		return ping(&o);
	}
	usage();
}
