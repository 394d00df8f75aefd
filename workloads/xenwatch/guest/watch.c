/* watch.c: the watches of pvbench-xenwatch: the xenstore connection through
 * /dev/xen/xenbus (checked to be that device, so that every event passes Linux's
 * xenwatch thread), keys w0..w{W-1} under BASE_DIR each watched with token w<i>,
 * and one sample: write a key, time until its event arrives (see
 * workloads/xenwatch/README.md, "Watches" and "Samples"). */
#include "xenwatch_guest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct watch watch_state;

static void key_path(long i, char *buf, size_t len)
{
	snprintf(buf, len, BASE_DIR "/w%ld", i);
}

/* Opens xenstore through the xenbus device and checks that the descriptor libxenstore
 * opened is that device, not xenstored's socket. */
static void watch_connect(void)
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
	watch_state.xs = xs_open(0);
	if (!watch_state.xs)
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
			snprintf(watch_state.transport, sizeof(watch_state.transport), "%s",
				 target);
		snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s%s",
			 seen[0] ? ", " : "", target);
	}
	closedir(d);
	if (!watch_state.transport[0])
		fail("libxenstore did not connect through " XENBUS_DEV " (new descriptors: %s); "
		     "the watches would not run in the xenwatch thread",
		     seen[0] ? seen : "none");
	note("xenstore transport: %s", watch_state.transport);
}

/* Parses token "w<i>" into i; -1 if it is not one of ours. */
static long token_index(const char *tok)
{
	char *end;
	long i;

	if (tok[0] != 'w' || !tok[1])
		return -1;
	i = strtol(tok + 1, &end, 10);
	return *end || i < 0 || i >= xenwatch_opts.watches ? -1 : i;
}

/* Waits for watch events until want(arg, i) accepts one (event on key i with token
 * w<i>) or the deadline passes; other events are counted in watch_state.stray. Returns the
 * time the accepted event was read, 0 at the deadline. */
static uint64_t wait_event(bool (*want)(void *arg, long i), void *arg, uint64_t deadline)
{
	struct pollfd p = {.fd = xs_fileno(watch_state.xs), .events = POLLIN};
	char path[128];

	for (;;) {
		char **ev;
		uint64_t now;

		while ((ev = xs_check_watch(watch_state.xs))) {
			long i = token_index(ev[XS_WATCH_TOKEN]);

			key_path(i, path, sizeof(path));
			if (i >= 0 && !strcmp(ev[XS_WATCH_PATH], path) && want(arg, i)) {
				now = guest_now_ns();
				free(ev);
				return now;
			}
			watch_state.stray++;
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
		if (signal_caught)
			fail("interrupted by signal %d", (int)signal_caught);
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
void watch_setup(void)
{
	bool seen[WATCHES_MAX] = {false};
	uint64_t deadline;
	char path[128], tok[16];

	watch_connect();
	xs_rm(watch_state.xs, XBT_NULL, BASE_DIR); /* an earlier run's; may be absent */
	if (!xs_mkdir(watch_state.xs, XBT_NULL, BASE_DIR))
		fail("cannot create xenstore directory " BASE_DIR ": %s", strerror(errno));
	watch_state.base_made = true;
	for (long i = 0; i < xenwatch_opts.watches; i++) {
		key_path(i, path, sizeof(path));
		snprintf(tok, sizeof(tok), "w%ld", i);
		if (!xs_write(watch_state.xs, XBT_NULL, path, "0", 1))
			fail("cannot write xenstore key %s: %s", path, strerror(errno));
		if (!xs_watch(watch_state.xs, path, tok))
			fail("cannot watch %s (watch %ld of %ld): %s", path, i + 1,
			     xenwatch_opts.watches, strerror(errno));
		watch_state.watching = true;
	}
	deadline = guest_now_ns() + xenwatch_opts.timeout * 1000000000ull;
	for (long n = 0; n < xenwatch_opts.watches; n++)
		if (!wait_event(want_initial, seen, deadline)) {
			for (n = 0; n < xenwatch_opts.watches && seen[n]; n++)
				;
			fail("no initial event for watch w%ld within %ld s of registering it", n,
			     xenwatch_opts.timeout);
		}
	watch_state.stray = 0; /* only the timed phase counts */
	note("%ld watches registered under " BASE_DIR, xenwatch_opts.watches);
}

void watch_cleanup(void)
{
	char path[128], tok[16];

	if (!watch_state.xs)
		return;
	for (long i = 0; watch_state.watching && i < xenwatch_opts.watches; i++) {
		key_path(i, path, sizeof(path));
		snprintf(tok, sizeof(tok), "w%ld", i);
		xs_unwatch(watch_state.xs, path, tok);
	}
	if (watch_state.base_made && !xs_rm(watch_state.xs, XBT_NULL, BASE_DIR))
		note("cannot remove " BASE_DIR ": %s", strerror(errno));
	xs_close(watch_state.xs);
	watch_state.xs = NULL;
}

/* ---- one sample ---- */

static bool want_key(void *arg, long i)
{
	return i == *(long *)arg;
}

/* One sample: write seq to key i, wait for its event. Latency in ns. */
uint64_t watch_sample(long seq, long i)
{
	char path[128], val[24];
	uint64_t t0, t1;
	int n;

	if (signal_caught)
		fail("interrupted by signal %d at sample %ld", (int)signal_caught, seq);
	key_path(i, path, sizeof(path));
	n = snprintf(val, sizeof(val), "%ld", seq);
	t0 = guest_now_ns();
	if (!xs_write(watch_state.xs, XBT_NULL, path, val, n))
		fail("cannot write xenstore key %s (sample %ld): %s", path, seq, strerror(errno));
	t1 = wait_event(want_key, &i, t0 + xenwatch_opts.timeout * 1000000000ull);
	if (!t1)
		fail("no watch event for %s (token w%ld) within %ld s of writing it (sample %ld)",
		     path, i, xenwatch_opts.timeout, seq);
	return t1 - t0;
}
