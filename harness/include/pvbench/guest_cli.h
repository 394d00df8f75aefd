/* guest_cli.h: command-line helpers shared by pvbench's guest programs
 * (workloads/<name>/guest/, drivers/<name>/guest/), which are built on their own
 * without libpvbench; header-only. */
#ifndef PVBENCH_GUEST_CLI_H
#define PVBENCH_GUEST_CLI_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

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

#endif
