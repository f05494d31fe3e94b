/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * The numeric contract (DESIGN.md section 2): gemmlowp / TFLite integer
 * requantization, bit-exact. Header-only and freestanding so the CPU
 * executor, the HLS kernel, the kernel driver and tests share one copy.
 *
 * Signed overflow is avoided everywhere: the pre-shift multiply that TFLite
 * does in int32 is done modulo 2^32 (what every compiled TFLite and every
 * hardware adder does), so UBSan stays quiet and results match.
 */
#ifndef QACCEL_REQUANT_H
#define QACCEL_REQUANT_H

#include "qaccel_hw.h"

#define QA_INT32_MIN (-2147483647 - 1)
#define QA_INT32_MAX 2147483647
#define QA_MULT_MIN  (1 << 30)   /* a nonzero multiplier is in [2^30, 2^31) */
#define QA_SHIFT_MIN (-31)
#define QA_SHIFT_MAX 30

/* Two's complement wrap of an int64 into int32, without implementation-defined casts. */
static inline int32_t qa_wrap32(int64_t v)
{
	uint32_t u = (uint32_t)(uint64_t)v;

	return u <= 0x7FFFFFFFu ? (int32_t)u : (int32_t)(u - 0x80000000u) + QA_INT32_MIN;
}

/* gemmlowp SaturatingRoundingDoublingHighMul. */
static inline int32_t qa_srdhm(int32_t a, int32_t b)
{
	int64_t ab, nudge, q;

	if (a == QA_INT32_MIN && b == QA_INT32_MIN)
		return QA_INT32_MAX;
	ab = (int64_t)a * (int64_t)b;
	nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
	/* C division truncates toward zero, exactly gemmlowp's semantics. */
	q = (ab + nudge) / ((int64_t)1 << 31);
	return (int32_t)q;
}

/* gemmlowp RoundingDivideByPOT: x / 2^exponent, rounding half away from zero. */
static inline int32_t qa_rounding_divide_by_pot(int32_t x, int exponent)
{
	int64_t mask = ((int64_t)1 << exponent) - 1;
	int64_t remainder = (int64_t)x & mask;
	int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
	/* Arithmetic shift of a negative value, spelled portably. */
	int64_t shifted = x >= 0 ? ((int64_t)x >> exponent)
				 : -(((-(int64_t)x) - 1) >> exponent) - 1;

	return (int32_t)(shifted + (remainder > threshold ? 1 : 0));
}

/* TFLite MultiplyByQuantizedMultiplier with shift in [-31, 30]. */
static inline int32_t qa_multiply_by_quantized_multiplier(int32_t x, int32_t mult, int shift)
{
	int left = shift > 0 ? shift : 0;
	int right = shift > 0 ? 0 : -shift;
	int32_t shifted = qa_wrap32((int64_t)((uint64_t)(uint32_t)x << left));

	return qa_rounding_divide_by_pot(qa_srdhm(shifted, mult), right);
}

/* Requantize one accumulator: scale, add the output zero point, clamp. */
static inline int32_t qa_requantize(int32_t acc, int32_t mult, int32_t shift,
				    int32_t out_zp, int32_t act_min, int32_t act_max)
{
	int64_t v = (int64_t)qa_multiply_by_quantized_multiplier(acc, mult, shift) + out_zp;

	if (v < act_min)
		v = act_min;
	if (v > act_max)
		v = act_max;
	return (int32_t)v;
}

static inline int qa_requant_params_valid(int32_t mult, int32_t shift)
{
	return (mult == 0 || mult >= QA_MULT_MIN) && shift >= QA_SHIFT_MIN && shift <= QA_SHIFT_MAX;
}

/* Value range of an 8-bit type, or of int32 for QA_DT_INT32. */
static inline int32_t qa_dtype_min(unsigned int t)
{
	return t == QA_DT_INT8 ? -128 : t == QA_DT_UINT8 ? 0 : QA_INT32_MIN;
}

static inline int32_t qa_dtype_max(unsigned int t)
{
	return t == QA_DT_INT8 ? 127 : t == QA_DT_UINT8 ? 255 : QA_INT32_MAX;
}

static inline unsigned int qa_dtype_size(unsigned int t)
{
	return t == QA_DT_INT32 ? 4u : 1u;
}

#endif /* QACCEL_REQUANT_H */
