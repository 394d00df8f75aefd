/* jobs.c: worker processes reporting JSON lines to the parent (see jobs.h). */
#define _GNU_SOURCE /* pipe2 */
#include "pvbench/jobs.h"
#include "pvbench/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int job_send(int wfd, const json_t *rec)
{
	char *line = json_dumps(rec, JSON_COMPACT); /* escapes newlines inside strings */
	int rc = line ? write_all(wfd, line, strlen(line)) : -ENOMEM;

	if (!rc)
		rc = write_all(wfd, "\n", 1);
	free(line);
	return rc;
}

/* Hands every complete line in sb to on_record and keeps the rest. */
static void take_lines(int job, struct sbuf *sb, job_record_fn on_record, void *arg)
{
	size_t start = 0;

	for (size_t i = 0; i < sb->len; i++) {
		json_error_t je;
		json_t *rec;

		if (sb->buf[i] != '\n')
			continue;
		rec = json_loadb(sb->buf + start, i - start, 0, &je);
		if (json_is_object(rec))
			on_record(job, rec, arg);
		else
			pvb_err("job %d: unreadable record: %s", job + 1, rec ? "not an object" : je.text);
		json_decref(rec);
		start = i + 1;
	}
	memmove(sb->buf, sb->buf + start, sb->len - start);
	sb->len -= start;
}

static pid_t start_one(int job, int *rfd, const int *others, int n_others, job_work_fn work,
		       void *arg)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC)) /* QEMU, started by the worker, must not hold the pipe */
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (pid == 0) {
		close(p[0]);
		for (int i = 0; i < n_others; i++)
			if (others[i] >= 0)
				close(others[i]);
		_exit(work(job, p[1], arg) & 0xff);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

/* Reads from the pipes until all are closed. */
static void pump(int n, int *fd, struct sbuf *in, job_record_fn on_record, void *arg)
{
	struct pollfd pf[JOBS_MAX];
	int open = 0;
	char buf[65536];

	for (int j = 0; j < n; j++)
		open += fd[j] >= 0;
	while (open) {
		for (int j = 0; j < n; j++)
			pf[j] = (struct pollfd){ .fd = fd[j], .events = POLLIN };
		if (poll(pf, n, -1) < 0)
			continue; /* EINTR: Ctrl-C reaches the workers too; they finish */
		for (int j = 0; j < n; j++) {
			ssize_t r;

			if (fd[j] < 0 || !(pf[j].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			r = read(fd[j], buf, sizeof(buf));
			if (r > 0) {
				sb_append(&in[j], buf, (size_t)r);
				take_lines(j, &in[j], on_record, arg);
			} else if (r == 0 || errno != EINTR) {
				close(fd[j]);
				fd[j] = -1;
				open--;
			}
		}
	}
}

int jobs_run(int n, job_work_fn work, job_record_fn on_record, void *arg)
{
	int fd[JOBS_MAX], bad = 0, err = 0;
	pid_t pid[JOBS_MAX];
	struct sbuf in[JOBS_MAX] = { 0 };

	if (n < 1 || n > JOBS_MAX)
		return -EINVAL;
	fflush(stdout);
	fflush(stderr);
	for (int j = 0; j < n; j++) {
		fd[j] = -1;
		pid[j] = err ? 0 : start_one(j, &fd[j], fd, j, work, arg);
		if (pid[j] < 0) {
			err = (int)pid[j];
			pid[j] = 0;
			pvb_err("cannot start job %d: %s", j + 1, strerror(-err));
		}
	}
	pump(n, fd, in, on_record, arg);
	for (int j = 0; j < n; j++) {
		int status;

		sb_free(&in[j]);
		if (!pid[j])
			continue;
		while (waitpid(pid[j], &status, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			continue;
		bad++;
		if (WIFSIGNALED(status))
			pvb_err("job %d killed by signal %d", j + 1, WTERMSIG(status));
		else
			pvb_err("job %d exited with status %d", j + 1, WEXITSTATUS(status));
	}
	return err ? err : bad;
}
