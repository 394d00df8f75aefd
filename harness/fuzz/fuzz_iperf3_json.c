/* fuzz_iperf3_json.c: libFuzzer target for iperf3_parse_json(): iperf3 output carries
 * the server's half from the guest and is untrusted. Any input must give metrics or
 * one error line, and the intervals array grows only on success. */
#include "../../workloads/iperf3/iperf3.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct metric_set ms = { 0 };
	struct sbuf err = { 0 };
	json_t *iv = json_array();

	if (!iv)
		return 0;
	if (!iperf3_parse_json((const char *)data, size, &ms, &err, iv)) {
		if (err.len || !ms.n)
			abort();
	} else if (!err.len || strchr(err.buf, '\n') || ms.n || json_array_size(iv)) {
		abort();
	}
	json_decref(iv);
	sb_free(&err);
	return 0;
}
