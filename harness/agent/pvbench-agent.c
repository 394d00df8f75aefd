/* pvbench-agent.c: pvbench's guest agent. Runs commands for the host with a
 * timeout, streams their output back, and relays frames between the host and domU
 * agents. Framing: harness/include/pvbench/proto.h.
 *
 *   dom0:  pvbench-agent --init --virtio org.pvbench.ctl
 *          serves the host over the virtio-serial port with that name and relays
 *          frames addressed to domain D to D's agent over libxenvchan (client).
 *   domU:  pvbench-agent --init --vchan data/pvbench-vchan
 *          serves dom0 as a libxenvchan server at /local/domain/<self>/<path>.
 *   tests: pvbench-agent --stdio   (frames on stdin/stdout)
 *
 * --init: the agent is PID 1: it reaps every orphan and never exits on its own.
 * Each EXEC runs `/bin/sh -c CMD` in its own process group; on timeout or KILL the
 * whole group gets SIGKILL. The EXIT frame follows the last OUT frame. */
#define _GNU_SOURCE
#include "pvbench/proto.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libxenvchan.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>

#define MAX_JOBS 64
#define MAX_RELAYS 64
#define PIPE_GRACE_S 2.0 /* wait this long for pipe EOF after the shell exited */

struct buf {
	uint8_t *p;
	size_t len, cap;
};

enum link_kind { LINK_FD, LINK_VCHAN };

struct link {
	enum link_kind kind;
	int rfd, wfd;
	struct libxenvchan *vc;
	int dom; /* relays: the peer domain */
	struct buf in, out;
	bool hello_sent;
	bool ready; /* vchan event fd fired in the last poll */
};

struct job {
	bool used;
	uint32_t id;
	pid_t pid;
	int out[2]; /* stdout, stderr read ends; -1 once closed */
	int in;     /* stdin write end, -1 when closed */
	struct buf inbuf;
	bool in_eof;
	double start, deadline, reaped_at;
	bool timed_out, reaped;
	int status;
};

static struct link up;
static struct link relays[MAX_RELAYS];
static int nrelays;
static struct job jobs[MAX_JOBS];
static int self_dom;
static int sigpipe_fds[2];
static bool is_init;
static const char *vchan_path;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void logmsg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pvbench-agent[%d]: ", self_dom);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int buf_add(struct buf *b, const void *data, size_t len)
{
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *p;

		while (cap < b->len + len)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return -ENOMEM;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
	return 0;
}

static void buf_drop(struct buf *b, size_t n)
{
	memmove(b->p, b->p + n, b->len - n);
	b->len -= n;
}

/* Queues one frame on a link. */
static void send_frame(struct link *l, uint8_t type, uint8_t stream, uint16_t dom, uint32_t id,
		       const void *payload, uint32_t len)
{
	struct pvb_hdr h = { type, stream, dom, id, len };
	uint8_t hdr[PVB_HDR_LEN];

	pvb_hdr_pack(&h, hdr);
	buf_add(&l->out, hdr, sizeof(hdr));
	if (len)
		buf_add(&l->out, payload, len);
}

static void send_err(uint16_t dom, uint32_t id, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	send_frame(&up, PVB_ERR, 0, dom, id, msg, strlen(msg));
}

static void send_hello(struct link *l)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "pvbench-agent/1 dom=%d uptime_ns=%llu", self_dom,
		 (unsigned long long)boottime_ns());
	send_frame(l, PVB_HELLO, 0, self_dom, 0, msg, strlen(msg));
	l->hello_sent = true;
}

/* Moves queued output to the link; never blocks. */
static void link_flush(struct link *l)
{
	while (l->out.len) {
		ssize_t n;

		if (l->kind == LINK_FD)
			n = write(l->wfd, l->out.p, l->out.len);
		else
			n = libxenvchan_write(l->vc, l->out.p, l->out.len);
		if (n <= 0)
			return;
		buf_drop(&l->out, n);
	}
}

/* Reads what is available into l->in. Returns 0, or -EPIPE when the peer closed. */
static int link_fill(struct link *l)
{
	uint8_t chunk[65536];
	ssize_t n;

	if (l->kind == LINK_VCHAN) {
		libxenvchan_wait(l->vc);
		if (!libxenvchan_is_open(l->vc))
			return -EPIPE;
		while (libxenvchan_data_ready(l->vc) > 0) {
			n = libxenvchan_read(l->vc, chunk, sizeof(chunk));
			if (n <= 0)
				break;
			buf_add(&l->in, chunk, n);
		}
		return 0;
	}
	n = read(l->rfd, chunk, sizeof(chunk));
	if (n == 0)
		return -EPIPE;
	if (n < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -EPIPE;
	buf_add(&l->in, chunk, n);
	return 0;
}

/* ---- jobs ------------------------------------------------------------------- */

static struct job *job_find(uint32_t id)
{
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].used && jobs[i].id == id)
			return &jobs[i];
	return NULL;
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static void child_exec(const char *cmd, int in, int out, int err)
{
	sigset_t none;

	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	dup2(in, 0);
	dup2(out, 1);
	dup2(err, 2);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

static void job_start(uint32_t id, const uint8_t *p, uint32_t len, bool want_stdin)
{
	struct job *j = NULL;
	int po[2], pe[2], pi[2];
	uint32_t timeout_ms;
	char *cmd;

	if (len < 4)
		return send_err(self_dom, id, "malformed EXEC frame");
	for (int i = 0; i < MAX_JOBS && !j; i++)
		if (!jobs[i].used)
			j = &jobs[i];
	if (!j)
		return send_err(self_dom, id, "too many running commands (%d)", MAX_JOBS);
	timeout_ms = pvb_get_u32(p);
	cmd = strndup((const char *)p + 4, len - 4);
	if (!cmd || pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC) || pipe2(pi, O_CLOEXEC)) {
		free(cmd);
		return send_err(self_dom, id, "cannot start command: %s", strerror(errno));
	}
	memset(j, 0, sizeof(*j));
	j->pid = fork();
	if (j->pid == 0) {
		if (!want_stdin) {
			close(pi[0]);
			pi[0] = open("/dev/null", O_RDONLY);
		}
		child_exec(cmd, pi[0], po[1], pe[1]);
	}
	free(cmd);
	close(po[1]);
	close(pe[1]);
	close(pi[0]);
	if (j->pid < 0) {
		close(po[0]);
		close(pe[0]);
		close(pi[1]);
		return send_err(self_dom, id, "fork failed: %s", strerror(errno));
	}
	setpgid(j->pid, j->pid);
	j->used = true;
	j->id = id;
	j->out[0] = po[0];
	j->out[1] = pe[0];
	set_nonblock(po[0]);
	set_nonblock(pe[0]);
	j->in = pi[1];
	set_nonblock(pi[1]);
	if (!want_stdin) {
		close(pi[1]);
		j->in = -1;
	}
	j->start = now();
	j->deadline = timeout_ms ? j->start + timeout_ms / 1000.0 : 0;
}

static void job_stdin(uint32_t id, const uint8_t *p, uint32_t len)
{
	struct job *j = job_find(id);

	if (!j || j->in < 0)
		return;
	if (len == 0)
		j->in_eof = true;
	else
		buf_add(&j->inbuf, p, len);
}

static void job_kill(struct job *j)
{
	if (!j->reaped)
		kill(-j->pid, SIGKILL);
}

static void job_pump_stdin(struct job *j)
{
	while (j->in >= 0 && j->inbuf.len) {
		ssize_t n = write(j->in, j->inbuf.p, j->inbuf.len);

		if (n < 0) {
			if (errno == EAGAIN)
				return;
			j->inbuf.len = 0; /* reader gone: discard */
			break;
		}
		buf_drop(&j->inbuf, n);
	}
	if (j->in >= 0 && j->in_eof && !j->inbuf.len) {
		close(j->in);
		j->in = -1;
	}
}

static void job_read(struct job *j, int s)
{
	uint8_t chunk[65536];
	ssize_t n = read(j->out[s], chunk, sizeof(chunk));

	if (n > 0) {
		send_frame(&up, PVB_OUT, s + 1, self_dom, j->id, chunk, n);
	} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		close(j->out[s]);
		j->out[s] = -1;
	}
}

/* Sends EXIT once the shell was reaped and its output drained. */
static void job_maybe_finish(struct job *j, double t)
{
	uint8_t p[13];

	if (!j->reaped)
		return;
	if ((j->out[0] >= 0 || j->out[1] >= 0) && t - j->reaped_at < PIPE_GRACE_S)
		return;
	for (int s = 0; s < 2; s++)
		if (j->out[s] >= 0) {
			while (j->out[s] >= 0)
				job_read(j, s);
		}
	if (j->in >= 0)
		close(j->in);
	pvb_put_u32(p, (uint32_t)j->status);
	p[4] = j->timed_out;
	pvb_put_u64(p + 5, (uint64_t)((t - j->start) * 1e9));
	send_frame(&up, PVB_EXIT, 0, self_dom, j->id, p, sizeof(p));
	free(j->inbuf.p);
	memset(j, 0, sizeof(*j));
}

static void reap_children(void)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (int i = 0; i < MAX_JOBS; i++) {
			struct job *j = &jobs[i];

			if (!j->used || j->pid != pid)
				continue;
			j->reaped = true;
			j->reaped_at = now();
			j->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			kill(-pid, SIGKILL); /* leftovers of a finished command's group */
		}
	}
}

/* ---- relays (dom0 -> domU agents) -------------------------------------------- */

static struct link *relay_get(int dom)
{
	char path[128];
	struct libxenvchan *vc;

	for (int i = 0; i < nrelays; i++)
		if (relays[i].dom == dom)
			return &relays[i];
	if (nrelays == MAX_RELAYS)
		return NULL;
	snprintf(path, sizeof(path), "/local/domain/%d/%s", dom, vchan_path);
	vc = libxenvchan_client_init(NULL, dom, path);
	if (!vc)
		return NULL;
	vc->blocking = 0;
	memset(&relays[nrelays], 0, sizeof(relays[0]));
	relays[nrelays].kind = LINK_VCHAN;
	relays[nrelays].vc = vc;
	relays[nrelays].dom = dom;
	return &relays[nrelays++];
}

static void relay_close(int i, const char *why)
{
	struct link *r = &relays[i];

	send_err(r->dom, 0, "link to domain %d agent closed: %s", r->dom, why);
	libxenvchan_close(r->vc);
	free(r->in.p);
	free(r->out.p);
	relays[i] = relays[--nrelays];
}

/* Drops relays whose domain no longer exists (a crashed domU never closes). */
static void relay_check_domains(void)
{
	struct xs_handle *xs = xs_open(XS_OPEN_READONLY);

	if (!xs)
		return;
	for (int i = 0; i < nrelays; i++) {
		char path[64];
		unsigned int len;
		char *v;

		snprintf(path, sizeof(path), "/local/domain/%d/domid", relays[i].dom);
		v = xs_read(xs, XBT_NULL, path, &len);
		if (!v)
			relay_close(i--, "domain is gone");
		free(v);
	}
	xs_close(xs);
}

/* ---- frame dispatch ---------------------------------------------------------- */

static void handle_frame(const struct pvb_hdr *h, const uint8_t *frame, const uint8_t *p)
{
	if (h->dom != self_dom) {
		struct link *r = vchan_path && self_dom == 0 ? relay_get(h->dom) : NULL;

		if (!r)
			return send_err(h->dom, h->id, "no agent reachable in domain %u", h->dom);
		buf_add(&r->out, frame, PVB_HDR_LEN + h->len);
		return;
	}
	switch (h->type) {
	case PVB_EXEC:
		job_start(h->id, p, h->len, h->stream == 1);
		break;
	case PVB_STDIN:
		job_stdin(h->id, p, h->len);
		break;
	case PVB_KILL: {
		struct job *j = job_find(h->id);

		if (j)
			job_kill(j);
		break;
	}
	case PVB_PING: {
		uint8_t *q = malloc(8 + h->len);

		pvb_put_u64(q, boottime_ns());
		memcpy(q + 8, p, h->len);
		send_frame(&up, PVB_PONG, 0, self_dom, h->id, q, 8 + h->len);
		free(q);
		break;
	}
	default:
		send_err(self_dom, h->id, "unknown frame type %u", h->type);
	}
}

/* Parses whole frames out of l->in; from_relay frames are forwarded upstream. */
static int link_parse(struct link *l, bool from_relay)
{
	for (;;) {
		struct pvb_hdr h;
		long n = pvb_frame_parse(l->in.p, l->in.len, &h);

		if (n == 0)
			return 0;
		if (n < 0) {
			logmsg("bad frame on link (%s); dropping buffered input", strerror(-n));
			l->in.len = 0;
			return (int)n;
		}
		if (from_relay)
			buf_add(&up.out, l->in.p, n);
		else
			handle_frame(&h, l->in.p, l->in.p + PVB_HDR_LEN);
		buf_drop(&l->in, n);
	}
}

/* ---- upstream ---------------------------------------------------------------- */

static int open_virtio_port(const char *name)
{
	DIR *d = opendir("/sys/class/virtio-ports");
	struct dirent *e;
	int fd = -1;

	while (d && (e = readdir(d))) {
		char path[300], val[128] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/sys/class/virtio-ports/%s/name", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(val, sizeof(val), f))
			val[strcspn(val, "\n")] = '\0';
		fclose(f);
		if (strcmp(val, name))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
		fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		break;
	}
	if (d)
		closedir(d);
	return fd;
}

static int own_domid(void)
{
	struct xs_handle *xs = xs_open(0);
	unsigned int len;
	char *v = xs ? xs_read(xs, XBT_NULL, "domid", &len) : NULL;
	int dom = v ? atoi(v) : -1;

	free(v);
	if (xs)
		xs_close(xs);
	return dom;
}

static int vchan_server_open(void)
{
	char path[128];

	snprintf(path, sizeof(path), "/local/domain/%d/%s", self_dom, vchan_path);
	up.vc = libxenvchan_server_init(NULL, 0, path, 65536, 65536);
	if (!up.vc)
		return -1;
	up.vc->blocking = 0;
	up.kind = LINK_VCHAN;
	up.hello_sent = false;
	up.in.len = up.out.len = 0;
	return 0;
}

static void on_sigchld(int sig)
{
	int saved = errno;

	(void)sig;
	if (write(sigpipe_fds[1], "c", 1) < 0) {
		/* pipe full: a wakeup is already pending */
	}
	errno = saved;
}

static void setup_signals(void)
{
	struct sigaction sa = { .sa_handler = on_sigchld, .sa_flags = SA_RESTART };

	if (pipe2(sigpipe_fds, O_NONBLOCK | O_CLOEXEC))
		exit(1);
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (is_init) {
		signal(SIGTERM, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
	}
}

/* ---- main loop --------------------------------------------------------------- */

static int upstream_fd(void)
{
	return up.kind == LINK_VCHAN ? libxenvchan_fd_for_select(up.vc) : up.rfd;
}

/* One poll round over upstream, relays, job pipes and the SIGCHLD pipe. Sets
 * up_ready / relays[i].ready for the vchan links whose event fd fired: only then
 * may libxenvchan_wait() be called without blocking. */
static bool up_ready;

static void poll_once(void)
{
	struct pollfd pf[2 + MAX_RELAYS + 3 * MAX_JOBS];
	int n = 0, timeout = 1000;
	double t = now();

	pf[n++] = (struct pollfd){ sigpipe_fds[0], POLLIN, 0 };
	pf[n++] = (struct pollfd){ upstream_fd(), POLLIN, 0 };
	if (up.kind == LINK_FD && up.out.len)
		pf[1].events |= POLLOUT;
	for (int i = 0; i < nrelays; i++)
		pf[n++] = (struct pollfd){ libxenvchan_fd_for_select(relays[i].vc), POLLIN, 0 };
	for (int i = 0; i < MAX_JOBS; i++) {
		struct job *j = &jobs[i];

		if (!j->used)
			continue;
		for (int s = 0; s < 2; s++)
			if (j->out[s] >= 0)
				pf[n++] = (struct pollfd){ j->out[s], POLLIN, 0 };
		if (j->in >= 0 && j->inbuf.len)
			pf[n++] = (struct pollfd){ j->in, POLLOUT, 0 };
		if (j->deadline && !j->timed_out) {
			int ms = (int)((j->deadline - t) * 1000) + 1;

			if (ms < timeout)
				timeout = ms < 0 ? 0 : ms;
		}
		if (j->reaped && timeout > 100)
			timeout = 100;
	}
	if ((up.out.len || nrelays) && timeout > 50)
		timeout = 50;
	if (poll(pf, n, timeout) < 0)
		memset(pf, 0, sizeof(pf[0]) * n);
	up_ready = pf[1].revents != 0;
	for (int i = 0; i < nrelays; i++)
		relays[i].ready = pf[2 + i].revents != 0;
}

int main(int argc, char **argv)
{
	const char *virtio = NULL;
	bool stdio_mode = false;
	double last_dom_check = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--init"))
			is_init = true;
		else if (!strcmp(argv[i], "--virtio") && i + 1 < argc)
			virtio = argv[++i];
		else if (!strcmp(argv[i], "--vchan") && i + 1 < argc)
			vchan_path = argv[++i];
		else if (!strcmp(argv[i], "--relay-path") && i + 1 < argc)
			vchan_path = argv[++i];
		else if (!strcmp(argv[i], "--stdio"))
			stdio_mode = true;
		else {
			fprintf(stderr,
				"usage: pvbench-agent [--init] (--virtio PORTNAME [--relay-path P]"
				" | --vchan XSPATH | --stdio)\n");
			return 2;
		}
	}
	setup_signals();
	if (virtio) {
		self_dom = 0;
		if (!vchan_path)
			vchan_path = PVB_VCHAN_PATH;
		for (int tries = 0; (up.rfd = open_virtio_port(virtio)) < 0; tries++) {
			if (tries == 0)
				logmsg("waiting for virtio port '%s'", virtio);
			sleep(1);
		}
		up.wfd = up.rfd;
	} else if (vchan_path && !stdio_mode) {
		while ((self_dom = own_domid()) < 0)
			sleep(1);
		while (vchan_server_open()) {
			logmsg("cannot open vchan server at %s: %s", vchan_path, strerror(errno));
			sleep(1);
		}
	} else {
		up.rfd = 0;
		up.wfd = 1;
		set_nonblock(0);
		set_nonblock(1);
	}
	logmsg("serving (%s)", virtio ? "virtio-serial" : up.kind == LINK_VCHAN ? "vchan" : "stdio");
	if (up.kind == LINK_FD)
		send_hello(&up);
	for (;;) {
		double t;
		char drain[64];

		poll_once();
		t = now();
		while (read(sigpipe_fds[0], drain, sizeof(drain)) > 0)
			;
		reap_children();
		/* upstream */
		if ((up.kind == LINK_FD || up_ready) && link_fill(&up) < 0) {
			if (up.kind == LINK_VCHAN) {
				logmsg("dom0 closed the vchan; reopening");
				libxenvchan_close(up.vc);
				while (vchan_server_open())
					sleep(1);
				continue;
			}
			if (!is_init && !virtio)
				return 0; /* stdio peer gone */
			usleep(100000); /* virtio host side not connected */
		}
		if (up.kind == LINK_VCHAN && !up.hello_sent && libxenvchan_is_open(up.vc) == 1)
			send_hello(&up);
		link_parse(&up, false);
		/* relays */
		for (int i = 0; i < nrelays; i++) {
			if (relays[i].ready && link_fill(&relays[i]) < 0) {
				relay_close(i--, "agent closed the channel");
				continue;
			}
			link_parse(&relays[i], true);
			link_flush(&relays[i]);
		}
		if (nrelays && t - last_dom_check > 1.0) {
			relay_check_domains();
			last_dom_check = t;
		}
		/* jobs */
		for (int i = 0; i < MAX_JOBS; i++) {
			struct job *j = &jobs[i];

			if (!j->used)
				continue;
			for (int s = 0; s < 2; s++)
				if (j->out[s] >= 0)
					job_read(j, s);
			job_pump_stdin(j);
			if (j->deadline && !j->timed_out && t >= j->deadline) {
				j->timed_out = true;
				job_kill(j);
			}
			job_maybe_finish(j, t);
		}
		link_flush(&up);
	}
}
