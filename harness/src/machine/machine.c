/* machine.c: QEMU lifecycle, serial console monitor and control-channel client
 * (see machine.h). */
#define _GNU_SOURCE
#include "pvbench/machine.h"
#include "pvbench/proto.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define TAIL_KEEP (256 * 1024)
#define STDIN_CHUNK (64 * 1024)

volatile sig_atomic_t pvb_interrupted;

static void on_signal(int sig)
{
	(void)sig;
	pvb_interrupted = 1;
}

void machine_signals_install(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

void exec_result_free(struct exec_result *r)
{
	sb_free(&r->out);
	sb_free(&r->err);
}

double machine_time(const struct machine *m)
{
	return pvb_now() - m->t0;
}

/* ---- console ------------------------------------------------------------------ */

/* "(XEN) d3v0 Triple fault" -> 3; -1 when the line names no domain. */
static int line_domid(const char *line)
{
	for (const char *p = line; (p = strchr(p, 'd')); p++) {
		char *end;
		long d;

		if (p > line && p[-1] != ' ' && p[-1] != '(')
			continue;
		d = strtol(p + 1, &end, 10);
		if (end != p + 1 && *end == 'v')
			return (int)d;
	}
	const char *q = strstr(line, "Domain ");

	return q ? atoi(q + 7) : -1;
}

static void console_line(struct machine *m, const char *line)
{
	static const enum tl_mark ev2mark[CE__COUNT] = {
		[CE_XEN_BANNER] = TL_XEN_BANNER + 1,
		[CE_DOM0_KERNEL] = TL_DOM0_KERNEL + 1,
		[CE_DOM0_INIT] = TL_DOM0_INIT + 1,
		[CE_TOOLSTACK_READY] = TL_TOOLSTACK_READY + 1,
	};
	double t = machine_time(m);
	struct con_match cm;
	int dom;

	if (m->serial_log) {
		fprintf(m->serial_log, "[%9.3f] %s\n", t, line);
		fflush(m->serial_log);
	}
	sb_printf(&m->tail, "%s\n", line);
	if (m->tail.len > 2 * TAIL_KEEP) {
		memmove(m->tail.buf, m->tail.buf + m->tail.len - TAIL_KEEP, TAIL_KEEP);
		m->tail.len = TAIL_KEEP;
		m->tail.buf[m->tail.len] = '\0';
	}
	if (console_match(line, &cm) == CE_NONE)
		return;
	if (ev2mark[cm.ev])
		timeline_mark(&m->tl, ev2mark[cm.ev] - 1, t);
	if (cm.ev == CE_INIT_STEP_FAILED)
		pvb_warn("dom0 %s", strstr(line, "pvbench-init:"));
	if (!cm.fatal)
		return;
	dom = line_domid(line);
	if (cm.ev == CE_GUEST_CRASHED && dom > 0) {
		m->crashed_dom = dom;
		snprintf(m->crash_why, sizeof(m->crash_why), "%s: %s", cm.name, line);
		return;
	}
	m->dead = true;
	snprintf(m->dead_why, sizeof(m->dead_why), "%s: %s", cm.name, line);
}

static void console_read(struct machine *m)
{
	char chunk[8192];
	ssize_t n = read(m->con_fd, chunk, sizeof(chunk));

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			close(m->con_fd);
			m->con_fd = -1;
		}
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		char c = chunk[i];

		if (c == '\n') {
			console_line(m, m->line.buf ? m->line.buf : "");
			sb_reset(&m->line);
		} else if (c != '\r' && c != '\0') {
			sb_append(&m->line, &c, 1);
		}
	}
}

const char *machine_console_tail(const struct machine *m, int n)
{
	return m->tail.buf ? tail_lines(m->tail.buf, m->tail.len, n) : "";
}

/* ---- control channel ----------------------------------------------------------- */

static int send_frame(struct machine *m, uint8_t type, uint8_t stream, uint16_t dom, uint32_t id,
		      const void *payload, uint32_t len)
{
	struct pvb_hdr h = { type, stream, dom, id, len };
	uint8_t hdr[PVB_HDR_LEN];
	struct sbuf sb = { 0 };
	size_t off = 0;
	int rc = 0;

	pvb_hdr_pack(&h, hdr);
	sb_append(&sb, hdr, sizeof(hdr));
	sb_append(&sb, payload, len);
	while (off < sb.len && !rc) {
		ssize_t n = write(m->ctl_fd, sb.buf + off, sb.len - off);

		if (n > 0) {
			off += n;
		} else if (n < 0 && errno == EAGAIN) {
			struct pollfd pf = { m->ctl_fd, POLLOUT, 0 };

			poll(&pf, 1, 1000);
		} else if (n < 0 && errno != EINTR) {
			rc = -EPIPE;
		}
	}
	sb_free(&sb);
	return rc;
}

static void handle_frame(struct machine *m, const struct pvb_hdr *h, const uint8_t *p)
{
	struct exec_result *r = m->w.r;

	if (h->type == PVB_ERR && h->id == 0) {
		m->gone_dom = h->dom;
		pvb_debug("agent link: %.*s", (int)h->len, (const char *)p);
	}
	if (h->dom != m->w.dom || (h->id != m->w.id && !(h->type == PVB_ERR && h->id == 0)))
		return; /* stale answer to an abandoned request, or HELLO */
	switch (h->type) {
	case PVB_OUT:
		if (r)
			sb_append(h->stream == 2 ? &r->err : &r->out, p, h->len);
		break;
	case PVB_EXIT:
		if (r && h->len >= 13) {
			r->status = (int32_t)pvb_get_u32(p);
			r->timed_out = p[4];
			r->elapsed_s = pvb_get_u64(p + 5) / 1e9;
		}
		m->w.done = true;
		break;
	case PVB_PONG:
		if (h->len >= 8)
			m->w.pong_ns = pvb_get_u64(p);
		m->w.done = true;
		break;
	case PVB_ERR:
		snprintf(m->w.err, sizeof(m->w.err), "%.*s", (int)h->len, (const char *)p);
		m->w.done = true;
		break;
	}
}

static void ctl_read(struct machine *m)
{
	char chunk[65536];
	ssize_t n = read(m->ctl_fd, chunk, sizeof(chunk));
	long used;
	struct pvb_hdr h;

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			m->dead = true;
			snprintf(m->dead_why, sizeof(m->dead_why), "control socket closed");
		}
		return;
	}
	sb_append(&m->in, chunk, n);
	while ((used = pvb_frame_parse((uint8_t *)m->in.buf, m->in.len, &h)) > 0) {
		handle_frame(m, &h, (uint8_t *)m->in.buf + PVB_HDR_LEN);
		memmove(m->in.buf, m->in.buf + used, m->in.len - used);
		m->in.len -= used;
	}
	if (used < 0) {
		pvb_warn("corrupt control-channel data (%s); resynchronising", strerror(-used));
		sb_reset(&m->in);
	}
}

/* ---- pump ---------------------------------------------------------------------- */

static void reap(struct machine *m)
{
	int st;

	if (m->pid > 0 && waitpid(m->pid, &st, WNOHANG) == m->pid) {
		m->pid = 0;
		m->exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (!m->dead) {
			m->dead = true;
			snprintf(m->dead_why, sizeof(m->dead_why), "QEMU exited (%s %d)",
				 WIFEXITED(st) ? "status" : "signal",
				 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		}
	}
}

/* One round of I/O, waiting at most until `deadline` (pvb_now() time). */
static int pump(struct machine *m, double deadline)
{
	struct pollfd pf[2] = { { m->con_fd, POLLIN, 0 }, { m->ctl_fd, POLLIN, 0 } };
	int ms = (int)((deadline - pvb_now()) * 1000);

	if (pvb_interrupted)
		return -EINTR;
	if (ms < 0)
		return -ETIMEDOUT;
	poll(pf, 2, ms > 200 ? 200 : ms);
	if (pf[0].revents)
		console_read(m);
	if (pf[1].revents && m->ctl_fd >= 0)
		ctl_read(m);
	reap(m);
	return 0;
}

/* Waits for the current request; 0 done, -ETIMEDOUT, -EPIPE, -EINTR. */
static int wait_request(struct machine *m, double deadline)
{
	while (!m->w.done) {
		int rc;

		if (m->dead)
			return -EPIPE;
		if (m->w.dom && (m->crashed_dom == m->w.dom || m->gone_dom == m->w.dom))
			return -EPIPE;
		rc = pump(m, deadline);
		if (rc)
			return rc;
	}
	return 0;
}

static void begin_request(struct machine *m, int dom, struct exec_result *r)
{
	m->w.id = ++m->next_id;
	m->w.dom = dom;
	m->w.done = false;
	m->w.r = r;
	m->w.pong_ns = 0;
	m->w.err[0] = '\0';
	if (m->gone_dom == dom)
		m->gone_dom = -1;
}

int machine_ping(struct machine *m, int dom, double timeout_s, double *uptime_s)
{
	double deadline = pvb_now() + timeout_s;

	for (;;) {
		/* an answer may take a while on a loaded emulated host: wait up to 1 s
		 * for it; an ERR (the domain's agent not up yet) is retried after 0.2 s */
		double next = pvb_now() + 1.0;
		int rc;

		begin_request(m, dom, NULL);
		if (send_frame(m, PVB_PING, 0, dom, m->w.id, NULL, 0))
			return -EPIPE;
		rc = wait_request(m, next < deadline ? next : deadline);
		if (rc == 0 && !m->w.err[0]) {
			if (uptime_s)
				*uptime_s = m->w.pong_ns / 1e9;
			return 0;
		}
		if (rc == -EPIPE && m->dead)
			return rc;
		if (rc == -EINTR)
			return rc;
		if (pvb_now() >= deadline)
			return -ETIMEDOUT;
		next = pvb_now() + 0.2;
		while (pvb_now() < next && !pump(m, next)) /* answered with ERR: retry soon */
			;
	}
}

static int send_exec(struct machine *m, int dom, const char *cmd, const void *in, size_t in_len,
		     double timeout_s)
{
	size_t clen = strlen(cmd);
	uint8_t *p = malloc(4 + clen);
	int rc;

	if (!p)
		return -ENOMEM;
	pvb_put_u32(p, (uint32_t)(timeout_s * 1000));
	memcpy(p + 4, cmd, clen);
	rc = send_frame(m, PVB_EXEC, in ? 1 : 0, dom, m->w.id, p, 4 + clen);
	free(p);
	for (size_t off = 0; in && !rc && off < in_len; off += STDIN_CHUNK)
		rc = send_frame(m, PVB_STDIN, 0, dom, m->w.id, (const char *)in + off,
				in_len - off < STDIN_CHUNK ? in_len - off : STDIN_CHUNK);
	if (in && !rc)
		rc = send_frame(m, PVB_STDIN, 0, dom, m->w.id, NULL, 0);
	return rc;
}

int machine_exec(struct machine *m, int dom, const char *cmd, const void *in, size_t in_len,
		 double timeout_s, struct exec_result *r)
{
	double deadline = pvb_now() + timeout_s + 15.0; /* agent kills at timeout_s */
	int rc;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	begin_request(m, dom, r);
	pvb_debug("dom%d$ %s", dom, cmd);
	if (send_exec(m, dom, cmd, in, in_len, timeout_s))
		return -EPIPE;
	rc = wait_request(m, deadline);
	if (rc == -ETIMEDOUT || rc == -EINTR)
		send_frame(m, PVB_KILL, 0, dom, m->w.id, NULL, 0);
	if (rc == 0 && m->w.err[0]) {
		snprintf(r->error, sizeof(r->error), "%s", m->w.err);
		return -EPIPE;
	}
	if (rc == -ETIMEDOUT)
		snprintf(r->error, sizeof(r->error), "no answer from domain %d within %.0f s", dom,
			 timeout_s + 15.0);
	else if (rc == -EPIPE)
		snprintf(r->error, sizeof(r->error), "%s",
			 m->dead ? m->dead_why
			 : m->crashed_dom == dom ? m->crash_why
						 : "agent link to the domain closed");
	m->w.r = NULL;
	return rc;
}

int machine_exec_detached(struct machine *m, int dom, const char *cmd)
{
	begin_request(m, dom, NULL);
	m->w.done = true; /* nobody waits: later frames for this id are dropped */
	return send_exec(m, dom, cmd, NULL, 0, 0) ? -EPIPE : 0;
}

int exec_result_sh(int dom, const char *cmd, int rc, struct exec_result *r, struct sbuf *out)
{
	if (rc == 0 && r->status != 0)
		rc = -EIO;
	if (out) {
		sb_reset(out);
		if (r->out.len)
			sb_append(out, r->out.buf, r->out.len);
		while (out->len && out->buf[out->len - 1] == '\n')
			out->buf[--out->len] = '\0';
	}
	if (rc)
		pvb_debug("dom%d$ %s -> %d (%s) %s", dom, cmd, r->status, r->error,
			  r->err.buf ? r->err.buf : "");
	exec_result_free(r);
	return rc;
}

int machine_sh(struct machine *m, int dom, double timeout_s, struct sbuf *out, const char *fmt,
	       ...)
{
	struct exec_result r;
	struct sbuf cmd = { 0 };
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	cmd.buf = malloc(n + 1);
	va_start(ap, fmt);
	vsnprintf(cmd.buf, n + 1, fmt, ap);
	va_end(ap);
	rc = machine_exec(m, dom, cmd.buf, NULL, 0, timeout_s, &r);
	rc = exec_result_sh(dom, cmd.buf, rc, &r, out);
	free(cmd.buf);
	return rc;
}

/* ---- start / stop -------------------------------------------------------------- */

static int connect_ctl(struct machine *m, const char *path, double timeout_s)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	double deadline = pvb_now() + timeout_s;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	while (pvb_now() < deadline) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			fcntl(fd, F_SETFL, O_NONBLOCK);
			m->ctl_fd = fd;
			return 0;
		}
		if (fd >= 0)
			close(fd);
		reap(m);
		if (m->dead)
			return -EPIPE;
		usleep(50000);
	}
	return -ETIMEDOUT;
}

static pid_t spawn_qemu(struct machine *m, char **argv, int out_fd)
{
	char errlog[PATH_MAX + 32];
	pid_t pid;

	snprintf(errlog, sizeof(errlog), "%s/qemu-stderr.log", m->dir);
	pid = fork();
	if (pid != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	setpgid(0, 0); /* the terminal's Ctrl-C goes to pvbench, which kills QEMU itself */
	dup2(open("/dev/null", O_RDONLY), 0);
	dup2(out_fd, 1);
	dup2(open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0644), 2);
	execvp(argv[0], argv);
	fprintf(stderr, "cannot run '%s': %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int write_cmdline(struct machine *m, char **argv)
{
	struct sbuf sb = { 0 };
	char path[PATH_MAX + 32];
	int rc;

	for (char **a = argv; *a; a++)
		sb_printf(&sb, "%s'%s'", a == argv ? "" : " ", *a);
	sb_puts(&sb, "\n");
	snprintf(path, sizeof(path), "%s/qemu-cmdline.txt", m->dir);
	rc = write_file_atomic(path, sb.buf, sb.len);
	sb_free(&sb);
	return rc;
}

int machine_start(struct machine *m, const struct machine_cfg *cfg)
{
	struct qemu_cfg q = cfg->q;
	char sock[PATH_MAX + 16], path[PATH_MAX + 32];
	char **argv;
	int pfd[2], rc;

	memset(m, 0, sizeof(*m));
	m->con_fd = m->ctl_fd = -1;
	m->crashed_dom = m->gone_dom = -1;
	m->exit_status = -1;
	timeline_init(&m->tl);
	snprintf(m->dir, sizeof(m->dir), "%s", cfg->dir);
	if ((rc = mkdir_p(m->dir))) {
		pvb_err("cannot create output directory '%s': %s", m->dir, strerror(-rc));
		return rc;
	}
	snprintf(m->tmpdir, sizeof(m->tmpdir), "/tmp/pvbench.XXXXXX");
	if (!mkdtemp(m->tmpdir)) {
		pvb_err("cannot create a temporary directory: %s", strerror(errno));
		return -errno;
	}
	snprintf(sock, sizeof(sock), "%s/ctl.sock", m->tmpdir);
	q.ctl_socket = sock;
	if ((rc = qemu_build_argv(&q, &argv))) {
		pvb_err("cannot build the QEMU command line: %s", strerror(-rc));
		return rc;
	}
	snprintf(path, sizeof(path), "%s/xen-serial.log", m->dir);
	m->serial_log = fopen(path, "w");
	if (!m->serial_log || write_cmdline(m, argv) || pipe2(pfd, O_CLOEXEC)) {
		pvb_err("cannot write to output directory '%s': %s", m->dir, strerror(errno));
		qemu_argv_free(argv);
		return -EACCES;
	}
	m->t0 = pvb_now();
	m->pid = spawn_qemu(m, argv, pfd[1]);
	qemu_argv_free(argv);
	close(pfd[1]);
	m->con_fd = pfd[0];
	fcntl(m->con_fd, F_SETFL, O_NONBLOCK);
	if (m->pid < 0 || (rc = connect_ctl(m, sock, 30.0))) {
		pvb_err("QEMU did not start (see '%s/qemu-stderr.log')", m->dir);
		machine_kill(m);
		return rc ? rc : -ECHILD;
	}
	return 0;
}

int machine_wait_exit(struct machine *m, double timeout_s)
{
	double deadline = pvb_now() + timeout_s;

	while (m->pid > 0) {
		int rc = pump(m, deadline);

		if (rc)
			return rc;
	}
	while (m->con_fd >= 0 && !pump(m, pvb_now() + 0.2)) /* drain the last lines */
		;
	return 0;
}

void machine_kill(struct machine *m)
{
	char path[PATH_MAX + 16];

	if (m->pid > 0) {
		kill(m->pid, SIGKILL);
		waitpid(m->pid, NULL, 0);
		m->pid = 0;
	}
	if (m->con_fd >= 0) {
		while (!pump(m, pvb_now() + 0.05) && m->con_fd >= 0)
			;
		if (m->con_fd >= 0)
			close(m->con_fd);
	}
	if (m->line.len)
		console_line(m, m->line.buf);
	if (m->ctl_fd >= 0)
		close(m->ctl_fd);
	m->con_fd = m->ctl_fd = -1;
	if (m->serial_log)
		fclose(m->serial_log);
	m->serial_log = NULL;
	if (m->tmpdir[0]) {
		snprintf(path, sizeof(path), "%s/ctl.sock", m->tmpdir);
		unlink(path);
		rmdir(m->tmpdir);
		m->tmpdir[0] = '\0';
	}
	sb_free(&m->line);
	sb_free(&m->in);
}
