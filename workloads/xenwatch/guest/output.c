/* output.c: what pvbench-xenwatch prints on stdout, one JSON document either way
 * (no library in the guest images but Xen's): the error lines kept for it, fail()
 * (the failure document), and the measurement's document (see
 * workloads/xenwatch/README.md, "Output"). */
#include "xenwatch_guest.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lat_stats.h"

/* The first error lines, for "errors" (add_error() prints every one on stderr). */
static char error_lines[ERRORS_MAX][MSG_MAX];
static size_t n_error_lines;

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			putchar('?');
		else
			putchar(c);
	}
	putchar('"');
}

void add_error(const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	note("%s", msg);
	if (n_error_lines < ERRORS_MAX)
		memcpy(error_lines[n_error_lines++], msg, sizeof(msg));
}

const char *first_error(void)
{
	return n_error_lines ? error_lines[0] : "none";
}

static void print_errors(void)
{
	printf("\"errors\":[");
	for (size_t i = 0; i < n_error_lines; i++) {
		if (i)
			putchar(',');
		json_str(error_lines[i]);
	}
	putchar(']');
}

void fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	note("%s", msg);
	stop_storm();
	watch_cleanup();
	printf("{\"schema\":\"" SCHEMA "\",\"error\":");
	json_str(msg);
	putchar(',');
	print_errors();
	printf("}\n");
	fflush(stdout);
	exit(1);
}

/* Summary of the successful xl results of one kind: {"n", "min", "p50", "max", "mean"}
 * in seconds; null without guests. */
static void print_xl(const char *key, int kind)
{
	uint64_t *v = malloc((storm_state.n_reps + 1) * sizeof(*v));
	struct time_summary s;
	size_t n = 0;

	if (!v)
		fail("out of memory");
	for (size_t i = 0; i < storm_state.n_reps; i++)
		if (storm_state.reps[i].kind == kind)
			v[n++] = storm_state.reps[i].t1_ns - storm_state.reps[i].t0_ns;
	time_summarize(v, n, &s);
	printf("\"%s\":", key);
	if (!xenwatch_opts.guests)
		printf("null");
	else if (!n)
		printf("{\"n\":0}");
	else
		printf("{\"n\":%zu,\"min\":%.9f,\"p50\":%.9f,\"max\":%.9f,\"mean\":%.9f}", n,
		       s.min / 1e9, s.p50 / 1e9, s.max / 1e9, s.mean / 1e9);
	putchar(',');
	free(v);
}

void print_result(uint64_t *lat, long n, uint64_t t_start, uint64_t t_end)
{
	uint64_t hist[XENWATCH_HIST_BUCKETS] = {0};
	struct time_summary s;
	long cycles = 0, total = 0;
	bool first = true;

	xenwatch_hist_add(hist, lat, n);
	time_summarize(lat, n, &s);
	for (size_t i = 0; i < storm_state.n_reps; i++)
		if (storm_state.reps[i].kind == REP_DESTROY) {
			total++;
			cycles += storm_state.reps[i].t1_ns >= t_start &&
				  storm_state.reps[i].t1_ns <= t_end;
		}
	printf("{\"schema\":\"" SCHEMA "\",\"watches\":%ld,\"guests\":%ld,\"transport\":",
	       xenwatch_opts.watches, xenwatch_opts.guests);
	json_str(watch_state.transport);
	printf(",\"samples\":%ld,\"warmup\":%ld,\"interval_ms\":%ld,\"elapsed_s\":%.9f,", n,
	       xenwatch_opts.warmup, xenwatch_opts.interval_ms, (t_end - t_start) / 1e9);
	printf("\"latency_ns\":{\"min\":%" PRIu64 ",\"p50\":%" PRIu64 ",\"p90\":%" PRIu64
	       ",\"p99\":%" PRIu64 ",\"p99_9\":%" PRIu64 ",\"max\":%" PRIu64 ",\"mean\":%.1f},",
	       s.min, s.p50, s.p90, s.p99, s.p99_9, s.max, s.mean);
	printf("\"latency_hist_ns\":[");
	for (unsigned b = 0; b < XENWATCH_HIST_BUCKETS; b++)
		if (hist[b]) {
			printf("%s{\"lo\":%" PRIu64 ",\"hi\":%" PRIu64 ",\"n\":%" PRIu64 "}",
			       first ? "" : ",", xenwatch_hist_lo(b), xenwatch_hist_hi(b), hist[b]);
			first = false;
		}
	printf("],");
	print_xl("xl_create_s", REP_CREATE);
	print_xl("xl_destroy_s", REP_DESTROY);
	printf("\"storm_cycles\":%ld,\"storm_cycles_total\":%ld,\"create_failures\":%ld,"
	       "\"destroy_failures\":%ld,\"stray_events\":%ld,",
	       cycles, total, storm_state.create_failures, storm_state.destroy_failures,
	       watch_state.stray);
	print_errors();
	printf("}\n");
}
