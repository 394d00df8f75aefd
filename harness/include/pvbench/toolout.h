/* toolout.h: reading the output of a measuring tool (fio, iperf3, pvbench-evtchn),
 * which comes from a guest and is untrusted: the JSON document in it, and printable
 * excerpts of it for one-line error messages. Shared by workloads/<name>/. */
#ifndef PVBENCH_TOOLOUT_H
#define PVBENCH_TOOLOUT_H

#include <jansson.h>
#include <stddef.h>

#include "pvbench/metrics.h"
#include "pvbench/util.h"

/* Copies at most `max` characters of the first line of src[0..n) into dst (len
 * bytes, always terminated): leading blanks skipped, trailing spaces dropped, any
 * byte outside printable ASCII becomes '?'. */
void tool_text_clean(char *dst, size_t len, const char *src, size_t n, size_t max);

#define TOOL_JSON_DUPLICATES 1 /* accept repeated keys (iperf 3.12 -P N repeats some) */

/* Loads the JSON object in a tool's output: lines before the document (notes such as
 * fio's "note: ...") and text after it are ignored. *root gets a new reference.
 * Returns 0, or -EINVAL with one line in err (may be NULL) naming `tool`:
 *   "no <tool> output", "<tool> output too large (N bytes)" (len > max_len),
 *   "no JSON in <tool> output (starts '...')", "cannot parse <tool> JSON: <why> at
 *   line N" (N counts from the start of the output), "<tool> JSON is not an object". */
int tool_json_load(const char *tool, const char *out, size_t len, size_t max_len, int flags,
		   json_t **root, struct sbuf *err);

/* Adds a parsed metric to ms (metric_set_add). Returns 0, or its negative errno
 * (-ENOSPC: the set is full; -EINVAL: a bad name) with "cannot add metric '<name>':
 * <strerror>" in err (may be NULL). */
int tool_metric_add(struct metric_set *ms, const char *name, double v, struct sbuf *err);

#endif
