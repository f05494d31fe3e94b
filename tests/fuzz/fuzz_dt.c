// SPDX-License-Identifier: MIT
/* libFuzzer target: device-tree discovery on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qa_boards.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qaccel_dt_instance in[4];
	char err[256];
	/* An exact-size, 8-byte-aligned heap copy, as a file read would give. */
	void *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	qa_dt_discover_msg(copy, size, in, 4, err, sizeof(err));
	qa_dt_discover_msg(copy, size, NULL, 0, err, sizeof(err));
	free(copy);
	return 0;
}
