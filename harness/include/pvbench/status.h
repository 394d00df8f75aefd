/* status.h: the status of one repetition, one boot or one conformance run, as
 * results.json, boot.json and every report spell it (reports/results-schema.md).
 *
 * The order is the severity, worst wins (pvb_status_worst), as in XTF's report.h:
 *   OK < SKIP < INVALID < FAIL < TIMEOUT < CRASH < INTERRUPTED
 * SKIP: not run (nothing measured, nothing wrong). INVALID: ran, but the variant did
 * not take effect (evidence or conformance), so its figures answer another question.
 * FAIL: the workload or a set-up step failed with an answer (exit status, bad output).
 * TIMEOUT: no answer in time; worse than FAIL because the machine may be wedged.
 * CRASH: the machine or the guest died. INTERRUPTED: cut short by Ctrl-C or SIGTERM;
 * not a result (a run's repetitions so interrupted are not recorded; --resume runs
 * them again). PVB_OTHER is what a reader makes of a string that is none of these. */
#ifndef PVBENCH_STATUS_H
#define PVBENCH_STATUS_H

enum pvb_status {
	PVB_OK,
	PVB_SKIP,
	PVB_INVALID,
	PVB_FAIL,
	PVB_TIMEOUT,
	PVB_CRASH,
	PVB_INTERRUPTED,
	PVB_OTHER,
	PVB_NSTATUS
};

/* "OK", "SKIP", ..., "INTERRUPTED"; "other" for PVB_OTHER. */
extern const char *const pvb_status_names[PVB_NSTATUS];

/* The status called s (exact, upper case), else PVB_OTHER (also for NULL). */
enum pvb_status pvb_status_parse(const char *s);

/* The name of s; "other" out of range. */
const char *pvb_status_name(enum pvb_status s);

/* The worse of a and b (the order above). */
enum pvb_status pvb_status_worst(enum pvb_status a, enum pvb_status b);

/* The status of a failed host, machine or guest operation from its negative errno:
 * -ETIMEDOUT -> TIMEOUT, -EPIPE (the machine died) -> CRASH, -EINTR -> INTERRUPTED,
 * 0 -> OK, anything else -> FAIL (machine.h says which call returns which). */
enum pvb_status pvb_status_from_errno(int rc);

#endif
