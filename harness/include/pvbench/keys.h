/* keys.h: the row type of the key tables that drive scenario parsing, validation,
 * `pvbench list --keys` and scenarios/README.md (types only). scenario/ holds the
 * fixed sections' table; each workload (workloads/<wl>/, workload.h) holds the rows
 * of its [workload] keys, so that a workload needs nothing of scenario/. */
#ifndef PVBENCH_KEYS_H
#define PVBENCH_KEYS_H

/* Value types of scenario keys, with the syntax they accept:
 *   ST_STRING    any text without control characters (may be empty)
 *   ST_INT       decimal digits (no sign), in [min, max]
 *   ST_SIZE      bytes: digits with an optional k/M/G/T suffix (any case), powers of 1024 as fio
 *                reads them ("4k" = 4096); [min, max] in bytes
 *   ST_BOOL      true/false, yes/no, on/off, 1/0
 *   ST_ENUM      one of the '|'-separated words in `allowed`
 *   ST_LIST      comma-separated names ([A-Za-z0-9._-]), may be empty
 *   ST_DURATION  digits with an optional unit ms/s/m/h (default s); [min, max] in ms */
enum scenario_type {
	ST_STRING,
	ST_INT,
	ST_SIZE,
	ST_BOOL,
	ST_ENUM,
	ST_LIST,
	ST_DURATION,
};

/* Key flags. */
#define SK_REQUIRED 0x1 /* the file must set it */
#define SK_NAME 0x2	/* value is a name: [A-Za-z0-9._-], 1-32 characters */
#define SK_SECTORS 0x4	/* value (a size) is a multiple of 512 (O_DIRECT on xvda) */
#define SK_SECONDS 0x8	/* value (a duration) is whole seconds (iperf3 -t, -O) */
#define SK_AUTO 0x20	/* ST_INT that may also be "auto" (repetitions) */
#define SK_RUN_WIDE 0x10 /* the same for every variant: no [variant] override (the clock:
			  * runs of different clocks are not compared) */

/* One row of the fixed-section key table. */
struct scenario_key {
	const char *section; /* "scenario", "machine", "guest" or "workload" */
	const char *name;    /* "iodepth" */
	enum scenario_type type;
	const char *def;      /* default, as it would be written in a file; NULL: unset */
	const char *unit;     /* "MiB", "s" (durations), "" */
	const char *allowed;  /* ST_ENUM: "interleaved|random|blocked"; else NULL */
	long min, max;	      /* ST_INT, ST_SIZE (bytes), ST_DURATION (ms) */
	unsigned flags;	      /* SK_* */
	const char *workload; /* [workload] keys: the workload they belong to */
	const char *doc;
	const char *example;
};

#endif
