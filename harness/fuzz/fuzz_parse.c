/* fuzz_parse.c: libFuzzer target for one workload's output parser (the parse hook of
 * its registry row, workload.h), chosen when it is built: -DFUZZ_WORKLOAD='"fio"'.
 * A workload tool's output comes from the guest, at least in part, and is untrusted.
 * Any input must give metrics and no message, or exactly one error line with no
 * metrics and nothing added to the series. */
#include "pvbench/workload.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_WORKLOAD
#error "build with -DFUZZ_WORKLOAD='\"<name>\"' (a registered workload)"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct workload_ops *wl;
	struct metric_set ms = { 0 };
	struct sbuf err = { 0 };
	json_t *series = json_array();

	if (!wl && !(wl = workload_find(FUZZ_WORKLOAD)))
		abort(); /* not registered: run.sh checks the name first */
	if (!series)
		return 0;
	if (!wl->parse((const char *)data, size, &ms, &err, series)) {
		if (err.len || !ms.n)
			abort();
	} else if (!err.len || strchr(err.buf, '\n') || ms.n || json_array_size(series)) {
		abort();
	}
	json_decref(series);
	sb_free(&err);
	return 0;
}
