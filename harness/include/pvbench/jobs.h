/* jobs.h: running a share of the work in N worker processes (`run --jobs N`), each
 * reporting what it measured to the parent as JSON records, one per line, over its
 * own pipe. The parent merges the records as they arrive (and so can write
 * results.json after every repetition, as a single process does); a worker that
 * dies loses only what it had not sent. */
#ifndef PVBENCH_JOBS_H
#define PVBENCH_JOBS_H

#include <jansson.h>

#define JOBS_MAX 16

/* Body of worker `job` (0-based): report with job_send(wfd, ...). Runs in the child
 * after fork; the child exits with the returned status. */
typedef int (*job_work_fn)(int job, int wfd, void *arg);
/* Called in the parent for each record worker `job` sent, in the order it sent
 * them; rec is borrowed (json_incref to keep it). */
typedef void (*job_record_fn)(int job, json_t *rec, void *arg);

/* Forks n (1..JOBS_MAX) workers, feeds their records to on_record until every pipe
 * is closed, and reaps them. Returns the number of workers that did not exit with
 * status 0 (killed by a signal, or non-zero), naming each on stderr, or -errno
 * when a pipe or fork failed (workers already started are still waited for).
 * stdout and stderr are flushed before forking. A line that is not a JSON object
 * is reported and skipped. */
int jobs_run(int n, job_work_fn work, job_record_fn on_record, void *arg);
/* Sends rec (not consumed) as one compact JSON line; 0 or -errno. */
int job_send(int wfd, const json_t *rec);

#endif
