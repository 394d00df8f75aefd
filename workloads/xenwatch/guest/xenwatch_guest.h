/* xenwatch_guest.h: what the parts of pvbench-xenwatch share (private to
 * workloads/xenwatch/guest): the limits, the options (xenwatch_opts), the storm's
 * state (storm_state: the workers and their xl results), the watches' state
 * (watch_state: the xenstore connection) and the functions that main.c (options,
 * the sample loop), storm.c (the tiny guests created and destroyed by worker
 * processes), watch.c (xenstore watches and one latency sample) and output.c (the
 * error lines, fail() and the JSON document) call in one another. */
#ifndef PVBENCH_XENWATCH_GUEST_H
#define PVBENCH_XENWATCH_GUEST_H

#define _GNU_SOURCE
#include "pvbench/guest_cli.h"
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <xenstore.h>

#define PROG "pvbench-xenwatch"
#define SCHEMA "pvbench-xenwatch/1"
#define XENBUS_DEV "/dev/xen/xenbus"
#define BASE_DIR "/local/domain/0/data/pvbench-xenwatch"
#define WORK_DIR "/var/lib/pvbench/work"
#define GUEST_PREFIX "pvbench-tiny-"
#define WATCHES_MAX 100
#define GUESTS_MAX 32
#define SAMPLES_MAX 1000000L
#define ERRORS_MAX 10 /* first error lines kept for the output */
#define GIVE_UP 3     /* consecutive xl failures after which a worker stops */
#define MSG_MAX 240
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define note(...) guest_note(PROG, __VA_ARGS__) /* "pvbench-xenwatch: <message>" */

/* The command line (main.c parses it). */
struct xenwatch_options {
	long watches, guests, samples, warmup, interval_ms, memory, timeout;
	const char *kernel, *ramdisk, *bridge;
	bool vif;
};
extern struct xenwatch_options xenwatch_opts;

/* SIGTERM/SIGINT seen (0: none): every wait checks it. */
extern volatile sig_atomic_t signal_caught;

/* ---- storm.c: the tiny guests ---- */

struct storm_worker {
	pid_t pid;
	bool created; /* one xl create succeeded */
	bool exited;  /* its REP_EXIT arrived */
};

enum rep_kind { REP_CREATE, REP_DESTROY, REP_EXIT };

/* One record, worker -> parent, written whole (sizeof < PIPE_BUF, so atomic). */
struct report {
	int32_t worker, kind, ok, pad;
	uint64_t t0_ns, t1_ns;
	char msg[MSG_MAX];
};

struct storm {
	struct storm_worker workers[GUESTS_MAX];
	int stop_fd, rep_fd; /* parent: write end of the stop pipe, read end of reports */
	bool eof;	     /* every worker has exited */
	struct report *reps; /* every successful xl result, in arrival order */
	size_t n_reps, cap_reps;
	long create_failures, destroy_failures;
	uint64_t t0_ns;
};
extern struct storm storm_state;

/* Forks the N workers (after destroying leftovers of an earlier run). */
void start_storm(void);
/* Waits until every worker created its guest once or stopped, at most timeout + 5 s. */
void wait_storm_up(void);
/* Stops the workers, collects their last reports, destroys what is left. Safe to
 * call twice, and without a storm. */
void stop_storm(void);
/* Sleeps interval_ms between samples, reading the workers' reports meanwhile. */
void pause_between_samples(void);

/* ---- watch.c: xenstore watches ---- */

struct watch {
	struct xs_handle *xs;
	char transport[128]; /* the device libxenstore opened */
	bool watching, base_made;
	long stray; /* events that were not the one awaited */
};
extern struct watch watch_state;

/* Connects through XENBUS_DEV, creates the keys, watches them and swallows the
 * initial events. */
void watch_setup(void);
/* Unwatches, removes BASE_DIR, closes. Safe to call twice. */
void watch_cleanup(void);
/* One sample: write seq to key i, wait for its event. Latency in ns. */
uint64_t watch_sample(long seq, long i);

/* ---- output.c: errors and the JSON document ---- */

/* An error line: on stderr now, and one of the first ERRORS_MAX in the output. */
void add_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The first error line, or "none". */
const char *first_error(void);
/* Fatal: stops the storm, cleans xenstore, prints {"schema", "error", "errors"}
 * and exits 1. */
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* The measurement's document: n latencies of the timed phase [t_start, t_end]. */
void print_result(uint64_t *lat, long n, uint64_t t_start, uint64_t t_end);

#endif
