// SPDX-License-Identifier: MIT
/* libFuzzer target: the xclbin validator on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xclbin_fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qa_xclbin_info inf;
	char err[256], args[512];
	/* An exact-size heap copy, so ASan sees any read past the end. */
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (!qa_xclbin_check(copy, size, NULL, &inf, err, sizeof(err)))
		qa_xclbin_format_args(&inf, args, sizeof(args));
	qa_xclbin_check(copy, size, "other_kernel", NULL, err, sizeof(err));
	free(copy);
	return 0;
}
