/* fuzz_httperf.c: libFuzzer target for httperf_parse(): the sweep's transcript
 * reflects how the guest's server behaved and is untrusted. Any input must give
 * metrics and one series entry per rate, or one error line with nothing added. */
#include "../../workloads/httperf/httperf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct metric_set ms = { 0 };
	struct sbuf err = { 0 };
	json_t *series = json_array();

	if (!series)
		return 0;
	if (!httperf_parse((const char *)data, size, &ms, &err, series)) {
		if (err.len || ms.n < 3 || !json_array_size(series))
			abort();
	} else if (!err.len || strchr(err.buf, '\n') || ms.n || json_array_size(series)) {
		abort();
	}
	json_decref(series);
	sb_free(&err);
	return 0;
}
