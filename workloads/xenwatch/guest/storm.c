/* storm.c: the storm of pvbench-xenwatch: N worker processes, each creating and
 * destroying its tiny PV guest pvbench-tiny-<k> with xl in a loop and reporting
 * every xl result to the parent through a pipe; the parent starts them, waits
 * until the storm is up, reads their reports between samples and stops them
 * (see workloads/xenwatch/README.md, "Storm"). */
#include "xenwatch_guest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct storm storm_state = {.stop_fd = -1, .rep_fd = -1};

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
		if (run_xl(argv, WORK_DIR "/leftover.err", xenwatch_opts.timeout, &t0, &t1, msg,
			   sizeof(msg)))
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

	if (signal_caught)
		return true;
	return poll(&p, 1, wait_ms) > 0 || signal_caught;
}

static int write_config(int k, const char *path)
{
	const struct xenwatch_options *o = &xenwatch_opts;
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
static void storm_worker(int k, int stop_fd, int rep_fd)
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
		int rc = run_xl(up ? destroy : create, errf, xenwatch_opts.timeout, &t0, &t1, msg,
				sizeof(msg));

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

			run_xl(quiet, errf, xenwatch_opts.timeout, &t0, &t1, msg, sizeof(msg));
		}
		stop_requested(stop_fd, 1000); /* do not spin on a persistent failure */
	}
	if (up) {
		int rc = run_xl(destroy, errf, xenwatch_opts.timeout, &t0, &t1, msg, sizeof(msg));

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

void start_storm(void)
{
	int stop[2], rep[2];

	if (mkdir(WORK_DIR, 0755) && errno != EEXIST)
		fail("cannot create '%s': %s", WORK_DIR, strerror(errno));
	destroy_leftovers(true);
	if (pipe2(stop, O_CLOEXEC) || pipe2(rep, O_CLOEXEC))
		fail("cannot create pipes: %s", strerror(errno));
	storm_state.t0_ns = guest_now_ns();
	for (int k = 0; k < xenwatch_opts.guests; k++) {
		pid_t pid = fork();

		if (pid < 0)
			fail("cannot start worker %d: %s", k, strerror(errno));
		if (pid == 0) {
			close_other_fds(stop[0], rep[1]);
			storm_worker(k, stop[0], rep[1]);
		}
		storm_state.workers[k].pid = pid;
	}
	close(stop[0]);
	close(rep[1]);
	storm_state.stop_fd = stop[1];
	storm_state.rep_fd = rep[0];
	note("started %ld storm workers (xl create/destroy of " GUEST_PREFIX "0..%ld)",
	     xenwatch_opts.guests, xenwatch_opts.guests - 1);
}

/* ---- reports from the workers (parent) ---- */

static void take_report(const struct report *r)
{
	struct storm_worker *w;

	if (r->worker < 0 || r->worker >= xenwatch_opts.guests)
		return;
	w = &storm_state.workers[r->worker];
	if (r->kind == REP_EXIT) {
		w->exited = true;
		if (!r->ok)
			add_error("%s", r->msg);
		return;
	}
	if (!r->ok) {
		if (r->kind == REP_CREATE)
			storm_state.create_failures++;
		else
			storm_state.destroy_failures++;
		add_error("%s", r->msg);
		return;
	}
	if (r->kind == REP_CREATE)
		w->created = true;
	if (storm_state.n_reps == storm_state.cap_reps) {
		size_t cap = storm_state.cap_reps ? 2 * storm_state.cap_reps : 256;
		struct report *p = realloc(storm_state.reps, cap * sizeof(*p));

		if (!p)
			fail("out of memory for %zu xl results", cap);
		storm_state.reps = p;
		storm_state.cap_reps = cap;
	}
	storm_state.reps[storm_state.n_reps++] = *r;
}

/* Reads the reports that arrive within wait_ms (0: those already there). */
static void drain_reports(int wait_ms)
{
	struct pollfd p = {.fd = storm_state.rep_fd, .events = POLLIN};
	struct report r;

	if (storm_state.rep_fd < 0 || storm_state.eof)
		return;
	while (poll(&p, 1, wait_ms) > 0) {
		ssize_t n = read(storm_state.rep_fd, &r, sizeof(r));

		if (n == 0) {
			storm_state.eof = true; /* every worker has exited */
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
void wait_storm_up(void)
{
	const struct storm_worker *w = storm_state.workers;
	uint64_t deadline = guest_now_ns() + (xenwatch_opts.timeout + 5) * 1000000000ull;
	long up = 0, gone = 0;

	for (;;) {
		up = gone = 0;
		for (int k = 0; k < xenwatch_opts.guests; k++) {
			up += w[k].created;
			gone += !w[k].created && w[k].exited;
		}
		if (up + gone == xenwatch_opts.guests || guest_now_ns() > deadline ||
		    signal_caught || storm_state.eof)
			break;
		drain_reports(200);
	}
	if (signal_caught)
		fail("interrupted by signal %d while the tiny guests were being created",
		     (int)signal_caught);
	if (!up && gone == xenwatch_opts.guests)
		fail("every storm worker gave up without creating its guest (%ld create "
		     "failures); first error: %s",
		     storm_state.create_failures, first_error());
	if (!up)
		fail(
		    "no tiny guest was created within %ld s (%ld create failures); first error: %s",
		    xenwatch_opts.timeout + 5, storm_state.create_failures, first_error());
	for (int k = 0; k < xenwatch_opts.guests; k++)
		if (!w[k].created && !w[k].exited)
			add_error(
			    "worker %d: no successful xl create within %ld s; measuring anyway", k,
			    xenwatch_opts.timeout + 5);
	note("storm is up: %ld of %ld guests created once after %.1f s", up, xenwatch_opts.guests,
	     (guest_now_ns() - storm_state.t0_ns) / 1e9);
}

/* Closes the stop pipe and collects the last reports: each worker finishes its xl
 * command and destroys its guest. Workers still there after 3 x timeout are
 * killed. Then destroys what is left. Safe to call twice. */
void stop_storm(void)
{
	const struct storm_worker *w = storm_state.workers;
	uint64_t deadline = guest_now_ns() + 3 * xenwatch_opts.timeout * 1000000000ull;

	if (storm_state.stop_fd < 0)
		return;
	close(storm_state.stop_fd);
	storm_state.stop_fd = -1;
	note("stopping the storm");
	while (!storm_state.eof && guest_now_ns() < deadline)
		drain_reports(500);
	for (int k = 0; k < xenwatch_opts.guests; k++) {
		if (!w[k].pid)
			continue;
		if (!storm_state.eof) {
			add_error("worker %d did not stop within %ld s; killed", k,
				  3 * xenwatch_opts.timeout);
			kill(w[k].pid, SIGKILL);
		}
		while (waitpid(w[k].pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	close(storm_state.rep_fd);
	storm_state.rep_fd = -1;
	destroy_leftovers(false);
}

/* Sleeps interval_ms between samples, reading the workers' reports meanwhile. */
void pause_between_samples(void)
{
	uint64_t end = guest_now_ns() + xenwatch_opts.interval_ms * 1000000ull, now;

	drain_reports(0);
	while (xenwatch_opts.interval_ms && (now = guest_now_ns()) < end && !signal_caught) {
		if (storm_state.rep_fd >= 0 && !storm_state.eof)
			drain_reports((int)((end - now) / 1000000 + 1));
		else
			poll(NULL, 0, (int)((end - now) / 1000000 + 1));
	}
}
