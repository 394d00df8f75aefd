/* util.h: small shared helpers for the host harness: clocks, logging, string
 * buffers and file I/O. Functions return 0 or a negative errno; only main.c exits. */
#ifndef PVBENCH_UTIL_H
#define PVBENCH_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Verbosity: 0 quiet, 1 normal (default), 2 verbose. */
extern int pvb_verbosity;

/* Seconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
double pvb_now(void);
/* Wall-clock time as "YYYY-MM-DDTHH:MM:SSZ" into buf (>= 21 bytes). */
void pvb_utc_iso(char *buf, size_t len);

/* git-style messages on stderr: "error: ...", "warning: ...". */
void pvb_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pvb_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Progress/log line on stderr, shown at verbosity >= 1 (info) or >= 2 (debug). */
void pvb_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pvb_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable byte buffer; always NUL-terminated after len bytes. */
struct sbuf {
	char *buf;
	size_t len, cap;
};
int sb_append(struct sbuf *sb, const void *data, size_t len);
int sb_puts(struct sbuf *sb, const char *s);
int sb_printf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_reset(struct sbuf *sb);
void sb_free(struct sbuf *sb);
/* Error-path helper for parsers and loaders: formats the message (cut to 511 bytes)
 * and appends it to err when err is not NULL; returns rc, typically a negative
 * errno, so that callers can write `return sb_fail(err, -EINVAL, "bad '%s'", s);`. */
int sb_fail(struct sbuf *err, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* mkdir -p; 0 or -errno. */
int mkdir_p(const char *path);
/* Reads a whole file (NUL-terminated); *len may be NULL. NULL and errno on error. */
char *read_file(const char *path, size_t *len);
/* Writes via PATH.tmp + fsync + rename, so readers see the old or the new file whole. */
int write_file_atomic(const char *path, const void *buf, size_t len);
/* Writes all of buf to fd, retrying short writes and EINTR; 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);
/* Appends buf to path (creating it); 0 or -errno. */
int append_file(const char *path, const void *buf, size_t len);

/* Parses a non-negative decimal integer/double in [min, max]; 0 or -EINVAL. */
int parse_long(const char *s, long min, long max, long *out);
int parse_double(const char *s, double min, double max, double *out);

/* Last n lines of text (pointer into text). */
const char *tail_lines(const char *text, size_t len, int n);

/* The project directory: the parent of the directory holding the pvbench binary
 * (build/pvbench -> .), or $PVBENCH_ROOT when set. */
const char *pvb_project_root(void);

/* Output directory of a command: `given`, or <project>/build/runs/<prefix>-<UTC
 * time>-<pid> when given is NULL or empty; created and probed for writing before any
 * work starts. The path goes to out. 0, or -errno with the error printed. */
int run_dir_prepare(const char *given, const char *prefix, char *out, size_t len);

/* Runs argv (NULL-terminated) with stdout/stderr inherited; returns its exit status,
 * 128+N for signal N, or -errno when it could not be started. */
int run_command(char *const argv[]);

#endif
