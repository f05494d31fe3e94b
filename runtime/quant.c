// SPDX-License-Identifier: MIT
#include <errno.h>
#include <math.h>

#include "qa_internal.h"

/* TFLite's QuantizeMultiplier (tensorflow/lite/kernels/internal/quantization_util.cc). */
QA_EXPORT int qaccel_quantize_multiplier(double scale, int32_t *mult, int32_t *shift)
{
	int exp;
	double q;
	int64_t q_fixed;

	if (!mult || !shift || !isfinite(scale) || scale < 0)
		return -EINVAL;
	if (scale == 0) {
		*mult = 0;
		*shift = 0;
		return 0;
	}
	q = frexp(scale, &exp);
	q_fixed = (int64_t)round(q * (double)(1ll << 31));
	if (q_fixed == (1ll << 31)) {
		q_fixed /= 2;
		exp++;
	}
	if (exp < -31) {
		/* Too small to represent: TFLite flushes to zero. */
		exp = 0;
		q_fixed = 0;
	}
	if (exp > 30) {
		/* Too large: TFLite saturates to the largest representable scale. */
		exp = 30;
		q_fixed = (1ll << 31) - 1;
	}
	*mult = (int32_t)q_fixed;
	*shift = exp;
	return 0;
}
