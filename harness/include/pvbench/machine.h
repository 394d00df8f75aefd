/* machine.h: one emulated host: QEMU running Xen and dom0, its serial console
 * (timestamped, logged, watched for milestones and crashes) and the control channel
 * to the agents in dom0 and domUs (framing in proto.h).
 *
 * Every wait has a deadline. On Ctrl-C or SIGTERM (see machine_signals_install) the
 * current wait returns -EINTR; machine_kill() then kills and reaps QEMU and removes
 * the temporary directory, leaving the logs in the output directory. */
#ifndef PVBENCH_MACHINE_H
#define PVBENCH_MACHINE_H

#include "pvbench/console.h"
#include "pvbench/qemu.h"
#include "pvbench/timeline.h"
#include "pvbench/util.h"

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

extern volatile sig_atomic_t pvb_interrupted;
/* SIGINT/SIGTERM/SIGHUP set pvb_interrupted instead of killing pvbench. */
void machine_signals_install(void);

struct exec_result {
	int status;       /* exit status (128+N: signal N); -1 when the command never ended */
	bool timed_out;   /* killed by the agent at the command's timeout */
	double elapsed_s; /* as measured by the agent */
	struct sbuf out, err;
	char error[256];  /* why there is no status (link died, host deadline); "" if none */
};
void exec_result_free(struct exec_result *r);

struct machine {
	pid_t pid;             /* QEMU; 0 once reaped */
	int exit_status;       /* QEMU's exit status once reaped (128+N: signal N), else -1 */
	int con_fd, ctl_fd;    /* QEMU stdout (Xen serial), control socket */
	double t0;             /* pvb_now() when QEMU was started */
	char dir[PATH_MAX];    /* output directory (logs) */
	char tmpdir[PATH_MAX]; /* socket directory, removed by machine_kill */
	FILE *serial_log;      /* dir/xen-serial.log, "[  sss.mmm] line" */
	struct sbuf line, tail, in;
	struct timeline tl;
	bool dead;             /* QEMU gone or Xen/dom0 dead */
	char dead_why[256];
	int crashed_dom;       /* last domU seen crashing on the serial line, or -1 */
	char crash_why[256];
	int gone_dom;          /* last domain whose agent link closed (ERR id 0), or -1 */
	uint32_t next_id;
	struct {               /* the request being waited for */
		uint32_t id;
		uint16_t dom;
		bool done;
		struct exec_result *r;
		uint64_t pong_ns;
		char err[256];
	} w;
};

struct machine_cfg {
	struct qemu_cfg q;   /* ctl_socket is filled in by machine_start */
	const char *dir;     /* output directory; created if missing */
};

/* Starts QEMU and connects the control socket. 0, or -errno with a message printed. */
int machine_start(struct machine *m, const struct machine_cfg *cfg);
/* Seconds since QEMU start. */
double machine_time(const struct machine *m);
/* Waits until the agent in `dom` answers a PING (retrying every second), up to
 * timeout_s. *uptime_s (may be NULL) gets the guest's CLOCK_BOOTTIME at the answer.
 * 0, -ETIMEDOUT, -EPIPE (machine died), -EINTR. */
int machine_ping(struct machine *m, int dom, double timeout_s, double *uptime_s);
/* Runs `sh -c cmd` in `dom` with optional stdin (in, in_len), killing it after
 * timeout_s. Fills *r (caller frees with exec_result_free). Returns 0 when the
 * command ran to an exit status (check r->status, r->timed_out), or -ETIMEDOUT (no
 * answer by the host deadline), -EPIPE (machine or domain died), -EINTR. */
int machine_exec(struct machine *m, int dom, const char *cmd, const void *in, size_t in_len,
		 double timeout_s, struct exec_result *r);
/* Sends a command without waiting for it (e.g. poweroff). 0 or -EPIPE. */
int machine_exec_detached(struct machine *m, int dom, const char *cmd);
/* The shell-like answer of an exec: rc (machine_exec's), -EIO when the command ran
 * but exited non-zero; its stdout (trailing newlines stripped) into *out when
 * non-NULL; frees r. dom and cmd are for the debug line. */
int exec_result_sh(int dom, const char *cmd, int rc, struct exec_result *r, struct sbuf *out);
/* machine_exec with a printf-formatted command; stdout (trailing newline stripped)
 * goes to *out when non-NULL. Returns 0 only when the exit status is 0. */
int machine_sh(struct machine *m, int dom, double timeout_s, struct sbuf *out, const char *fmt,
	       ...) __attribute__((format(printf, 5, 6)));
/* Pumps console and channel until QEMU exits or timeout_s; 0 or -ETIMEDOUT. */
int machine_wait_exit(struct machine *m, double timeout_s);
/* Kills (SIGKILL) and reaps QEMU if alive, closes fds, removes tmpdir. Idempotent. */
void machine_kill(struct machine *m);
/* The last n lines of the serial console. */
const char *machine_console_tail(const struct machine *m, int n);

#endif
