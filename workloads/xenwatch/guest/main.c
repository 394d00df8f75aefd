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
 * document then has an "error" key); 2 for usage errors (no document). */
#define _GNU_SOURCE
#include "pvbench/guest_cli.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xenstore.h>

#include "../lat_stats.h"

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

/* ---- small helpers ---- */

static volatile sig_atomic_t g_signal; /* SIGTERM/SIGINT seen */

static void on_signal(int sig)
{
	g_signal = sig;
}

#define note(...) guest_note(PROG, __VA_ARGS__) /* "pvbench-xenwatch: <message>" */

static void usage(void)
{
	fputs("usage: pvbench-xenwatch --watches W --samples S [--warmup K] [--interval-ms I]\n"
	      "         [--guests N --kernel PATH --ramdisk PATH [--memory MIB] [--vif]\n"
	      "          [--bridge BR]] [--timeout SEC]\n",
	      stderr);
	exit(2);
}

struct opts {
	long watches, guests, samples, warmup, interval_ms, memory, timeout;
	const char *kernel, *ramdisk, *bridge;
	bool vif;
};

/* A path or bridge name that can go between double quotes in an xl config. */
static const char *plain(const char *opt, const char *s)
{
	if (!s || !*s || strpbrk(s, "\"'\\\n\r\t,=")) {
		note("%s: expected a path without quotes, commas or '=' signs", opt);
		exit(2);
	}
	return s;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){.watches = -1,
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

/* ---- JSON on stdout (no library in the guest images but Xen's) ---- */

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			putchar('?');
		else
			putchar(c);
	}
	putchar('"');
}

/* ---- the run's state, shared by the phases and by fail() ---- */

struct worker {
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

static struct {
	struct opts o;
	struct xs_handle *xs;
	char transport[128];
	bool watching, base_made;
	struct worker w[GUESTS_MAX];
	int stop_fd, rep_fd; /* parent: write end of the stop pipe, read end of reports */
	bool storm_eof;
	struct report *reps; /* every xl result, in arrival order */
	size_t n_reps, cap_reps;
	char errors[ERRORS_MAX][MSG_MAX];
	size_t n_errors;
	long create_failures, destroy_failures, stray;
	uint64_t storm_t0;
} g = {.stop_fd = -1, .rep_fd = -1};

static void add_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void add_error(const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	note("%s", msg);
	if (g.n_errors < ERRORS_MAX)
		memcpy(g.errors[g.n_errors++], msg, sizeof(msg));
}

static void print_errors(void)
{
	printf("\"errors\":[");
	for (size_t i = 0; i < g.n_errors; i++) {
		if (i)
			putchar(',');
		json_str(g.errors[i]);
	}
	putchar(']');
}

static void stop_storm(void);
static void xs_cleanup(void);

/* Fatal: stops the storm, cleans xenstore, prints {"schema", "error", "errors"}
 * and exits 1. */
static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	note("%s", msg);
	stop_storm();
	xs_cleanup();
	printf("{\"schema\":\"" SCHEMA "\",\"error\":");
	json_str(msg);
	putchar(',');
	print_errors();
	printf("}\n");
	fflush(stdout);
	exit(1);
}

/* ---- running xl ---- */

/* The first line of file `path` that mentions "error" (any case), else its first
 * non-blank line, else "no output"; at most len - 1 characters. */
static void first_error_line(const char *path, char *out, size_t len)
{
	char line[512], first[512] = "";
	FILE *f = fopen(path, "r");

	snprintf(out, len, "no output");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = 0;
		if (!first[0] && line[strspn(line, " \t")])
			snprintf(first, sizeof(first), "%s", line + strspn(line, " \t"));
		if (strcasestr(line, "error")) {
			snprintf(first, sizeof(first), "%s", line + strspn(line, " \t"));
			break;
		}
	}
	fclose(f);
	if (first[0])
		snprintf(out, len, "%s", first);
}

/* Runs xl with args (argv[0] = "xl"), stdout and stderr into errfile, for at most
 * timeout_s seconds (then SIGKILL). t0, t1: CLOCK_MONOTONIC around it. Returns 0
 * when xl exited 0, else -1 with msg = "exit 1: <line>", "killed by signal 9",
 * "timed out after 120 s: <line>" or "cannot run xl: ...". */
static int run_xl(char *const argv[], const char *errfile, long timeout_s, uint64_t *t0,
		  uint64_t *t1, char *msg, size_t len)
{
	char line[200];
	int status = 0, pidfd, timed_out = 0;
	pid_t pid;

	*t0 = guest_now_ns();
	pid = fork();
	if (pid < 0) {
		*t1 = guest_now_ns();
		snprintf(msg, len, "cannot fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		int nul = open("/dev/null", O_RDONLY);

		setpgid(0, 0); /* so that a time-out kills xl's children (hotplug scripts) too */
		if (fd < 0 || nul < 0 || dup2(nul, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run xl: %s\n", strerror(errno));
		_exit(127);
	}
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0) {
		struct pollfd p = {.fd = pidfd, .events = POLLIN};
		int n;

		while ((n = poll(&p, 1, (int)(timeout_s * 1000))) < 0 && errno == EINTR)
			;
		if (n == 0) {
			timed_out = 1;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
		close(pidfd);
	}
	*t1 = guest_now_ns();
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (pidfd < 0) /* no pidfd_open (Linux < 5.3): no time limit */
		*t1 = guest_now_ns();
	first_error_line(errfile, line, sizeof(line));
	if (timed_out)
		snprintf(msg, len, "timed out after %ld s: %s", timeout_s, line);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 126)
		snprintf(msg, len, "cannot redirect xl's output to '%s'", errfile);
	else if (WIFEXITED(status))
		snprintf(msg, len, "exit %d: %s", WEXITSTATUS(status), line);
	else
		snprintf(msg, len, "killed by signal %d: %s", WTERMSIG(status), line);
	return -1;
}

/* xl destroy of every domain whose name starts with GUEST_PREFIX (left by an
 * earlier run that crashed, or by a worker that was killed). When `xl list` does
 * not work at all: fail() if fatal, else one more error line. */
static void destroy_leftovers(bool fatal)
{
	char line[512], first[200] = "", name[128], msg[MSG_MAX];
	char names[GUESTS_MAX * 4][64];
	FILE *p = popen("xl list 2>&1", "r");
	size_t k = 0;
	int rc;

	if (!p) {
		if (fatal)
			fail("cannot run 'xl list': %s", strerror(errno));
		add_error("cannot run 'xl list': %s", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), p)) {
		if (!first[0])
			snprintf(first, sizeof(first), "%.*s", (int)strcspn(line, "\n"), line);
		if (sscanf(line, "%127s", name) == 1 &&
		    !strncmp(name, GUEST_PREFIX, strlen(GUEST_PREFIX)) && k < ARRAY_SIZE(names) &&
		    strlen(name) < sizeof(names[0]))
			strcpy(names[k++], name);
	}
	rc = pclose(p);
	if (rc != 0) {
		if (fatal)
			fail("'xl list' failed (exit %d): %s", WIFEXITED(rc) ? WEXITSTATUS(rc) : -1,
			     first[0] ? first : "no output");
		add_error("'xl list' failed (exit %d): %s", WIFEXITED(rc) ? WEXITSTATUS(rc) : -1,
			  first[0] ? first : "no output");
		return;
	}
	for (size_t i = 0; i < k; i++) {
		char *argv[] = {"xl", "destroy", names[i], NULL};
		uint64_t t0, t1;

		note("destroying leftover guest %s", names[i]);
		if (run_xl(argv, WORK_DIR "/leftover.err", g.o.timeout, &t0, &t1, msg, sizeof(msg)))
			add_error("cannot destroy leftover guest %s: %s", names[i], msg);
	}
}

/* ---- storm workers (child processes) ---- */

static void send_report(int fd, int k, int kind, int ok, uint64_t t0, uint64_t t1, const char *msg)
{
	struct report r = {.worker = k, .kind = kind, .ok = ok, .t0_ns = t0, .t1_ns = t1};

	snprintf(r.msg, sizeof(r.msg), "%s", msg ? msg : "");
	while (write(fd, &r, sizeof(r)) < 0 && errno == EINTR)
		;
}

/* True once the parent closed the stop pipe (or died) or a signal came. With
 * wait_ms, waits that long for it. */
static bool stop_requested(int stop_fd, int wait_ms)
{
	struct pollfd p = {.fd = stop_fd, .events = POLLIN};

	if (g_signal)
		return true;
	return poll(&p, 1, wait_ms) > 0 || g_signal;
}

static int write_config(int k, const char *path)
{
	const struct opts *o = &g.o;
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f,
		"name = \"" GUEST_PREFIX "%d\"\ntype = \"pv\"\nkernel = \"%s\"\nramdisk = \"%s\"\n"
		"memory = %ld\nvcpus = 1\nextra = \"console=hvc0 rdinit=/init quiet\"\n"
		"on_crash = \"destroy\"\n",
		k, o->kernel, o->ramdisk, o->memory);
	if (o->vif)
		fprintf(f, "vif = [ 'bridge=%s' ]\n", o->bridge);
	return fclose(f) ? -1 : 0;
}

/* Worker k: create, destroy, create, ... until told to stop; each xl result goes
 * to the parent. Stops after GIVE_UP consecutive failures. Never returns. */
static void worker(int k, int stop_fd, int rep_fd)
{
	char cfg[128], errf[128], name[64], msg[MSG_MAX], full[MSG_MAX + 64];
	char *create[] = {"xl", "create", "-q", cfg, NULL};
	char *destroy[] = {"xl", "destroy", name, NULL};
	bool up = false;
	int fails = 0;
	uint64_t t0, t1;

	snprintf(cfg, sizeof(cfg), WORK_DIR "/tiny-%d.cfg", k);
	snprintf(errf, sizeof(errf), WORK_DIR "/tiny-%d.err", k);
	snprintf(name, sizeof(name), GUEST_PREFIX "%d", k);
	if (write_config(k, cfg)) {
		snprintf(full, sizeof(full), "worker %d: cannot write '%s': %s", k, cfg,
			 strerror(errno));
		send_report(rep_fd, k, REP_EXIT, 0, 0, 0, full);
		_exit(1);
	}
	while (fails < GIVE_UP && !stop_requested(stop_fd, 0)) {
		int rc =
		    run_xl(up ? destroy : create, errf, g.o.timeout, &t0, &t1, msg, sizeof(msg));

		snprintf(full, sizeof(full), "xl %s %s: %s", up ? "destroy" : "create -q",
			 up ? name : cfg, msg);
		send_report(rep_fd, k, up ? REP_DESTROY : REP_CREATE, !rc, t0, t1, rc ? full : "");
		if (!rc) {
			up = !up;
			fails = 0;
			continue;
		}
		fails++;
		if (!up) { /* a failed create may leave the domain behind */
			char *quiet[] = {"xl", "destroy", name, NULL};

			run_xl(quiet, errf, g.o.timeout, &t0, &t1, msg, sizeof(msg));
		}
		stop_requested(stop_fd, 1000); /* do not spin on a persistent failure */
	}
	if (up) {
		int rc = run_xl(destroy, errf, g.o.timeout, &t0, &t1, msg, sizeof(msg));

		snprintf(full, sizeof(full), "xl destroy %s: %s", name, msg);
		send_report(rep_fd, k, REP_DESTROY, !rc, t0, t1, rc ? full : "");
	}
	snprintf(full, sizeof(full), "worker %d gave up after %d consecutive xl failures", k,
		 GIVE_UP);
	send_report(rep_fd, k, REP_EXIT, fails < GIVE_UP, 0, 0, fails < GIVE_UP ? "" : full);
	_exit(0);
}

/* Closes every descriptor but 0-2 and keep[0..1] (the xenstore device and pipes
 * the parent holds must not stay open in the workers). */
static void close_other_fds(int keep0, int keep1)
{
	int fds[1024], n = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) && n < (int)ARRAY_SIZE(fds)) {
		int fd = atoi(e->d_name);

		if (e->d_name[0] != '.' && fd > 2 && fd != keep0 && fd != keep1 && fd != dirfd(d))
			fds[n++] = fd;
	}
	closedir(d);
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

static void start_storm(void)
{
	int stop[2], rep[2];

	if (mkdir(WORK_DIR, 0755) && errno != EEXIST)
		fail("cannot create '%s': %s", WORK_DIR, strerror(errno));
	destroy_leftovers(true);
	if (pipe2(stop, O_CLOEXEC) || pipe2(rep, O_CLOEXEC))
		fail("cannot create pipes: %s", strerror(errno));
	g.storm_t0 = guest_now_ns();
	for (int k = 0; k < g.o.guests; k++) {
		pid_t pid = fork();

		if (pid < 0)
			fail("cannot start worker %d: %s", k, strerror(errno));
		if (pid == 0) {
			close_other_fds(stop[0], rep[1]);
			worker(k, stop[0], rep[1]);
		}
		g.w[k].pid = pid;
	}
	close(stop[0]);
	close(rep[1]);
	g.stop_fd = stop[1];
	g.rep_fd = rep[0];
	note("started %ld storm workers (xl create/destroy of " GUEST_PREFIX "0..%ld)", g.o.guests,
	     g.o.guests - 1);
}

/* ---- reports from the workers (parent) ---- */

static void take_report(const struct report *r)
{
	struct worker *w;

	if (r->worker < 0 || r->worker >= g.o.guests)
		return;
	w = &g.w[r->worker];
	if (r->kind == REP_EXIT) {
		w->exited = true;
		if (!r->ok)
			add_error("%s", r->msg);
		return;
	}
	if (!r->ok) {
		if (r->kind == REP_CREATE)
			g.create_failures++;
		else
			g.destroy_failures++;
		add_error("%s", r->msg);
		return;
	}
	if (r->kind == REP_CREATE)
		w->created = true;
	if (g.n_reps == g.cap_reps) {
		size_t cap = g.cap_reps ? 2 * g.cap_reps : 256;
		struct report *p = realloc(g.reps, cap * sizeof(*p));

		if (!p)
			fail("out of memory for %zu xl results", cap);
		g.reps = p;
		g.cap_reps = cap;
	}
	g.reps[g.n_reps++] = *r;
}

/* Reads the reports that arrive within wait_ms (0: those already there). */
static void drain_reports(int wait_ms)
{
	struct pollfd p = {.fd = g.rep_fd, .events = POLLIN};
	struct report r;

	if (g.rep_fd < 0 || g.storm_eof)
		return;
	while (poll(&p, 1, wait_ms) > 0) {
		ssize_t n = read(g.rep_fd, &r, sizeof(r));

		if (n == 0) {
			g.storm_eof = true; /* every worker has exited */
			return;
		}
		if (n == (ssize_t)sizeof(r))
			take_report(&r);
		else if (n < 0 && errno != EINTR)
			return;
		wait_ms = 0;
	}
}

/* Waits until every worker created its guest once or stopped, at most timeout + 5 s
 * (so that an xl create that times out is reported first). */
static void wait_storm_up(void)
{
	uint64_t deadline = guest_now_ns() + (g.o.timeout + 5) * 1000000000ull;
	long up = 0, gone = 0;

	for (;;) {
		up = gone = 0;
		for (int k = 0; k < g.o.guests; k++) {
			up += g.w[k].created;
			gone += !g.w[k].created && g.w[k].exited;
		}
		if (up + gone == g.o.guests || guest_now_ns() > deadline || g_signal || g.storm_eof)
			break;
		drain_reports(200);
	}
	if (g_signal)
		fail("interrupted by signal %d while the tiny guests were being created",
		     (int)g_signal);
	if (!up && gone == g.o.guests)
		fail("every storm worker gave up without creating its guest (%ld create "
		     "failures); first error: %s",
		     g.create_failures, g.n_errors ? g.errors[0] : "none");
	if (!up)
		fail(
		    "no tiny guest was created within %ld s (%ld create failures); first error: %s",
		    g.o.timeout + 5, g.create_failures, g.n_errors ? g.errors[0] : "none");
	for (int k = 0; k < g.o.guests; k++)
		if (!g.w[k].created && !g.w[k].exited)
			add_error(
			    "worker %d: no successful xl create within %ld s; measuring anyway", k,
			    g.o.timeout + 5);
	note("storm is up: %ld of %ld guests created once after %.1f s", up, g.o.guests,
	     (guest_now_ns() - g.storm_t0) / 1e9);
}

/* Closes the stop pipe and collects the last reports: each worker finishes its xl
 * command and destroys its guest. Workers still there after 3 x timeout are
 * killed. Then destroys what is left. Safe to call twice. */
static void stop_storm(void)
{
	uint64_t deadline = guest_now_ns() + 3 * g.o.timeout * 1000000000ull;

	if (g.stop_fd < 0)
		return;
	close(g.stop_fd);
	g.stop_fd = -1;
	note("stopping the storm");
	while (!g.storm_eof && guest_now_ns() < deadline)
		drain_reports(500);
	for (int k = 0; k < g.o.guests; k++) {
		if (!g.w[k].pid)
			continue;
		if (!g.storm_eof) {
			add_error("worker %d did not stop within %ld s; killed", k,
				  3 * g.o.timeout);
			kill(g.w[k].pid, SIGKILL);
		}
		while (waitpid(g.w[k].pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	close(g.rep_fd);
	g.rep_fd = -1;
	destroy_leftovers(false);
}

/* ---- xenstore (parent) ---- */

static void key_path(long i, char *buf, size_t len)
{
	snprintf(buf, len, BASE_DIR "/w%ld", i);
}

/* Opens xenstore through the xenbus device and checks that the descriptor libxenstore
 * opened is that device, not xenstored's socket. */
static void xs_connect(void)
{
	bool before[1024] = {false};
	char link[64], target[128], seen[256] = "";
	struct dirent *e;
	struct stat st;
	DIR *d;

	if (stat(XENBUS_DEV, &st) || !S_ISCHR(st.st_mode))
		fail("no character device " XENBUS_DEV " (is this dom0 with xenfs and the xenbus "
		     "frontend?): %s",
		     strerror(errno ? errno : ENODEV));
	if (setenv("XENSTORED_PATH", XENBUS_DEV, 1))
		fail("cannot set XENSTORED_PATH: %s", strerror(errno));
	for (int fd = 0; fd < 1024; fd++)
		before[fd] = fcntl(fd, F_GETFD) >= 0;
	g.xs = xs_open(0);
	if (!g.xs)
		fail("cannot open xenstore through " XENBUS_DEV ": %s", strerror(errno));
	d = opendir("/proc/self/fd");
	if (!d)
		fail("cannot list /proc/self/fd: %s", strerror(errno));
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);
		ssize_t n;

		if (e->d_name[0] == '.' || fd == dirfd(d) || (fd < 1024 && before[fd]))
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = 0;
		if (!strcmp(target, XENBUS_DEV))
			snprintf(g.transport, sizeof(g.transport), "%s", target);
		snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s%s",
			 seen[0] ? ", " : "", target);
	}
	closedir(d);
	if (!g.transport[0])
		fail("libxenstore did not connect through " XENBUS_DEV " (new descriptors: %s); "
		     "the watches would not run in the xenwatch thread",
		     seen[0] ? seen : "none");
	note("xenstore transport: %s", g.transport);
}

/* Parses token "w<i>" into i; -1 if it is not one of ours. */
static long token_index(const char *tok)
{
	char *end;
	long i;

	if (tok[0] != 'w' || !tok[1])
		return -1;
	i = strtol(tok + 1, &end, 10);
	return *end || i < 0 || i >= g.o.watches ? -1 : i;
}

/* Waits for watch events until want(arg, i) accepts one (event on key i with token
 * w<i>) or the deadline passes; other events are counted in g.stray. Returns the
 * time the accepted event was read, 0 at the deadline. */
static uint64_t wait_event(bool (*want)(void *arg, long i), void *arg, uint64_t deadline)
{
	struct pollfd p = {.fd = xs_fileno(g.xs), .events = POLLIN};
	char path[128];

	for (;;) {
		char **ev;
		uint64_t now;

		while ((ev = xs_check_watch(g.xs))) {
			long i = token_index(ev[XS_WATCH_TOKEN]);

			key_path(i, path, sizeof(path));
			if (i >= 0 && !strcmp(ev[XS_WATCH_PATH], path) && want(arg, i)) {
				now = guest_now_ns();
				free(ev);
				return now;
			}
			g.stray++;
			free(ev);
		}
		if (errno != EAGAIN)
			fail("cannot read watch events (xenstore connection lost?): %s",
			     strerror(errno));
		now = guest_now_ns();
		if (now >= deadline)
			return 0;
		if (poll(&p, 1, (int)((deadline - now) / 1000000 + 1)) < 0 && errno != EINTR)
			fail("poll on the xenstore watch pipe: %s", strerror(errno));
		if (g_signal)
			fail("interrupted by signal %d", (int)g_signal);
	}
}

static bool want_initial(void *arg, long i)
{
	bool *seen = arg;

	if (seen[i])
		return false;
	seen[i] = true;
	return true;
}

/* rm + mkdir of BASE_DIR, keys w0..w{W-1} = "0", one watch each with token w<i>;
 * then swallows the event xenstored fires on registration ("We fire once up
 * front", xenstored_watch.c do_watch) for every watch. */
static void xs_setup(void)
{
	bool seen[WATCHES_MAX] = {false};
	uint64_t deadline;
	char path[128], tok[16];

	xs_connect();
	xs_rm(g.xs, XBT_NULL, BASE_DIR); /* an earlier run's; may be absent */
	if (!xs_mkdir(g.xs, XBT_NULL, BASE_DIR))
		fail("cannot create xenstore directory " BASE_DIR ": %s", strerror(errno));
	g.base_made = true;
	for (long i = 0; i < g.o.watches; i++) {
		key_path(i, path, sizeof(path));
		snprintf(tok, sizeof(tok), "w%ld", i);
		if (!xs_write(g.xs, XBT_NULL, path, "0", 1))
			fail("cannot write xenstore key %s: %s", path, strerror(errno));
		if (!xs_watch(g.xs, path, tok))
			fail("cannot watch %s (watch %ld of %ld): %s", path, i + 1, g.o.watches,
			     strerror(errno));
		g.watching = true;
	}
	deadline = guest_now_ns() + g.o.timeout * 1000000000ull;
	for (long n = 0; n < g.o.watches; n++)
		if (!wait_event(want_initial, seen, deadline)) {
			for (n = 0; n < g.o.watches && seen[n]; n++)
				;
			fail("no initial event for watch w%ld within %ld s of registering it", n,
			     g.o.timeout);
		}
	g.stray = 0; /* only the timed phase counts */
	note("%ld watches registered under " BASE_DIR, g.o.watches);
}

static void xs_cleanup(void)
{
	char path[128], tok[16];

	if (!g.xs)
		return;
	for (long i = 0; g.watching && i < g.o.watches; i++) {
		key_path(i, path, sizeof(path));
		snprintf(tok, sizeof(tok), "w%ld", i);
		xs_unwatch(g.xs, path, tok);
	}
	if (g.base_made && !xs_rm(g.xs, XBT_NULL, BASE_DIR))
		note("cannot remove " BASE_DIR ": %s", strerror(errno));
	xs_close(g.xs);
	g.xs = NULL;
}

/* ---- the measurement ---- */

static bool want_key(void *arg, long i)
{
	return i == *(long *)arg;
}

/* One sample: write seq to key i, wait for its event. Latency in ns. */
static uint64_t sample(long seq, long i)
{
	char path[128], val[24];
	uint64_t t0, t1;
	int n;

	if (g_signal)
		fail("interrupted by signal %d at sample %ld", (int)g_signal, seq);
	key_path(i, path, sizeof(path));
	n = snprintf(val, sizeof(val), "%ld", seq);
	t0 = guest_now_ns();
	if (!xs_write(g.xs, XBT_NULL, path, val, n))
		fail("cannot write xenstore key %s (sample %ld): %s", path, seq, strerror(errno));
	t1 = wait_event(want_key, &i, t0 + g.o.timeout * 1000000000ull);
	if (!t1)
		fail("no watch event for %s (token w%ld) within %ld s of writing it (sample %ld)",
		     path, i, g.o.timeout, seq);
	return t1 - t0;
}

/* Sleeps interval_ms between samples, reading the workers' reports meanwhile. */
static void pause_between(void)
{
	uint64_t end = guest_now_ns() + g.o.interval_ms * 1000000ull, now;

	drain_reports(0);
	while (g.o.interval_ms && (now = guest_now_ns()) < end && !g_signal) {
		if (g.rep_fd >= 0 && !g.storm_eof)
			drain_reports((int)((end - now) / 1000000 + 1));
		else
			poll(NULL, 0, (int)((end - now) / 1000000 + 1));
	}
}

/* Summary of the successful xl results of one kind: {"n", "min", "p50", "max", "mean"}
 * in seconds; null without guests. */
static void print_xl(const char *key, int kind)
{
	uint64_t *v = malloc((g.n_reps + 1) * sizeof(*v));
	struct time_summary s;
	size_t n = 0;

	if (!v)
		fail("out of memory");
	for (size_t i = 0; i < g.n_reps; i++)
		if (g.reps[i].kind == kind)
			v[n++] = g.reps[i].t1_ns - g.reps[i].t0_ns;
	time_summarize(v, n, &s);
	printf("\"%s\":", key);
	if (!g.o.guests)
		printf("null");
	else if (!n)
		printf("{\"n\":0}");
	else
		printf("{\"n\":%zu,\"min\":%.9f,\"p50\":%.9f,\"max\":%.9f,\"mean\":%.9f}", n,
		       s.min / 1e9, s.p50 / 1e9, s.max / 1e9, s.mean / 1e9);
	putchar(',');
	free(v);
}

static void print_result(uint64_t *lat, long n, uint64_t t_start, uint64_t t_end)
{
	uint64_t hist[XENWATCH_HIST_BUCKETS] = {0};
	struct time_summary s;
	long cycles = 0, total = 0;
	bool first = true;

	xenwatch_hist_add(hist, lat, n);
	time_summarize(lat, n, &s);
	for (size_t i = 0; i < g.n_reps; i++)
		if (g.reps[i].kind == REP_DESTROY) {
			total++;
			cycles += g.reps[i].t1_ns >= t_start && g.reps[i].t1_ns <= t_end;
		}
	printf("{\"schema\":\"" SCHEMA "\",\"watches\":%ld,\"guests\":%ld,\"transport\":",
	       g.o.watches, g.o.guests);
	json_str(g.transport);
	printf(",\"samples\":%ld,\"warmup\":%ld,\"interval_ms\":%ld,\"elapsed_s\":%.9f,", n,
	       g.o.warmup, g.o.interval_ms, (t_end - t_start) / 1e9);
	printf("\"latency_ns\":{\"min\":%" PRIu64 ",\"p50\":%" PRIu64 ",\"p90\":%" PRIu64
	       ",\"p99\":%" PRIu64 ",\"p99_9\":%" PRIu64 ",\"max\":%" PRIu64 ",\"mean\":%.1f},",
	       s.min, s.p50, s.p90, s.p99, s.p99_9, s.max, s.mean);
	printf("\"latency_hist_ns\":[");
	for (unsigned b = 0; b < XENWATCH_HIST_BUCKETS; b++)
		if (hist[b]) {
			printf("%s{\"lo\":%" PRIu64 ",\"hi\":%" PRIu64 ",\"n\":%" PRIu64 "}",
			       first ? "" : ",", xenwatch_hist_lo(b), xenwatch_hist_hi(b), hist[b]);
			first = false;
		}
	printf("],");
	print_xl("xl_create_s", REP_CREATE);
	print_xl("xl_destroy_s", REP_DESTROY);
	printf("\"storm_cycles\":%ld,\"storm_cycles_total\":%ld,\"create_failures\":%ld,"
	       "\"destroy_failures\":%ld,\"stray_events\":%ld,",
	       cycles, total, g.create_failures, g.destroy_failures, g.stray);
	print_errors();
	printf("}\n");
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_signal};
	uint64_t *lat, t_start, t_end;
	long seq = 0;

	parse_opts(argc, argv, &g.o);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	lat = malloc(g.o.samples * sizeof(*lat));
	if (!lat)
		fail("out of memory for %ld samples", g.o.samples);
	if (g.o.guests > 0 && access(g.o.kernel, R_OK))
		fail("cannot read the tiny guest's kernel '%s': %s", g.o.kernel, strerror(errno));
	if (g.o.guests > 0 && access(g.o.ramdisk, R_OK))
		fail("cannot read the tiny guest's ramdisk '%s': %s", g.o.ramdisk, strerror(errno));
	xs_setup();
	if (g.o.guests > 0) {
		start_storm();
		wait_storm_up();
	}
	for (long k = 0; k < g.o.warmup; k++, seq++) {
		sample(seq + 1, seq % g.o.watches);
		pause_between();
	}
	t_start = guest_now_ns();
	for (long k = 0; k < g.o.samples; k++, seq++) {
		lat[k] = sample(seq + 1, seq % g.o.watches);
		if (k + 1 < g.o.samples)
			pause_between();
	}
	t_end = guest_now_ns();
	note("%ld samples in %.3f s; %zu xl results so far", g.o.samples, (t_end - t_start) / 1e9,
	     g.n_reps);
	stop_storm();
	xs_cleanup();
	print_result(lat, g.o.samples, t_start, t_end);
	free(lat);
	free(g.reps);
	return fflush(stdout) ? 1 : 0;
}
