/* fuzz_fio_json.c: libFuzzer target for fio_parse_json(): fio output comes from
 * the guest and is untrusted. Any input must give metrics or one error line. */
#include "../../workloads/fio/fio.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct metric_set ms = { 0 };
	struct sbuf err = { 0 };

	if (!fio_parse_json((const char *)data, size, &ms, &err)) {
		if (err.len || !ms.n)
			abort();
	} else if (!err.len || strchr(err.buf, '\n') || ms.n) {
		abort();
	}
	sb_free(&err);
	return 0;
}
