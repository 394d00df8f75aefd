/* guest_cli.h: command-line helpers shared by pvbench's guest programs
 * (workloads/<name>/guest/, drivers/<name>/guest/), which are built on their own
 * without libpvbench: option values, messages on stderr, the monotonic clock;
 * header-only. */
#ifndef PVBENCH_GUEST_CLI_H
#define PVBENCH_GUEST_CLI_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The value s of option opt as a decimal long in [min, max]. Anything else (NULL,
 * empty, trailing characters, out of range) prints "<prog>: <opt>: expected an
 * integer from <min> to <max>" on stderr and exits 2, the usage-error status. */
static inline long guest_opt_long(const char *prog, const char *opt, const char *s, long min,
				  long max)
{
	char *end;
	long v;

	errno = 0;
	v = s ? strtol(s, &end, 10) : 0;
	if (!s || !*s || *end || errno || v < min || v > max) {
		fprintf(stderr, "%s: %s: expected an integer from %ld to %ld\n", prog, opt, min,
			max);
		exit(2);
	}
	return v;
}

/* "<prog>: <message>" and a newline on stderr. */
static inline void guest_vnote(const char *prog, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static inline void guest_note(const char *prog, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void guest_note(const char *prog, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	guest_vnote(prog, fmt, ap);
	va_end(ap);
}

/* guest_note(), then exit 1. */
static inline void guest_die(const char *prog, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

static inline void guest_die(const char *prog, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	guest_vnote(prog, fmt, ap);
	va_end(ap);
	exit(1);
}

/* CLOCK_MONOTONIC in ns. */
static inline uint64_t guest_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

#endif
