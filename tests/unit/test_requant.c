// SPDX-License-Identifier: MIT
/*
 * Requantization primitives and QuantizeMultiplier against hand-worked
 * values (worked from the gemmlowp/TFLite definitions, not from this code).
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "qaccel.h"
#include "qaccel_requant.h"

#define P30 (1 << 30)

static void test_srdhm_saturates_only_min_times_min(void **state)
{
	(void)state;
	assert_int_equal(qa_srdhm(INT32_MIN, INT32_MIN), INT32_MAX);
	/* min * max is representable: -(2^31 - 1) after rounding */
	assert_int_equal(qa_srdhm(INT32_MIN, INT32_MAX), -2147483647);
	assert_int_equal(qa_srdhm(INT32_MAX, INT32_MAX), 2147483646);
}

static void test_srdhm_exact_and_ties(void **state)
{
	(void)state;
	/* 2^30 * 2^30 / 2^31 = 2^29 exactly */
	assert_int_equal(qa_srdhm(P30, P30), 1 << 29);
	/* +0.5 rounds up to 1; -0.5 rounds to 0: gemmlowp's nudge (1 - 2^30) for negatives */
	assert_int_equal(qa_srdhm(1, P30), 1);
	assert_int_equal(qa_srdhm(-1, P30), 0);
	/* +1.5 -> 2, -1.5 -> -1 */
	assert_int_equal(qa_srdhm(3, P30), 2);
	assert_int_equal(qa_srdhm(-3, P30), -1);
	/* 123456789 * 0.70710678 (1518500250 / 2^31) = 87297132.6 -> 87297133, symmetric */
	assert_int_equal(qa_srdhm(123456789, 1518500250), 87297133);
	assert_int_equal(qa_srdhm(-123456789, 1518500250), -87297133);
	assert_int_equal(qa_srdhm(0, INT32_MIN), 0);
}

static void test_rounding_divide_by_pot_half_away_from_zero(void **state)
{
	(void)state;
	assert_int_equal(qa_rounding_divide_by_pot(3, 1), 2);    /* 1.5 -> 2 */
	assert_int_equal(qa_rounding_divide_by_pot(-3, 1), -2);  /* -1.5 -> -2 */
	assert_int_equal(qa_rounding_divide_by_pot(-5, 2), -1);  /* -1.25 -> -1 */
	assert_int_equal(qa_rounding_divide_by_pot(-6, 2), -2);  /* -1.5 -> -2 */
	assert_int_equal(qa_rounding_divide_by_pot(-7, 2), -2);  /* -1.75 -> -2 */
	assert_int_equal(qa_rounding_divide_by_pot(1000, 4), 63);   /* 62.5 -> 63 */
	assert_int_equal(qa_rounding_divide_by_pot(-1000, 4), -63); /* -62.5 -> -63 */
	assert_int_equal(qa_rounding_divide_by_pot(-1000, 3), -125);
	assert_int_equal(qa_rounding_divide_by_pot(5, 0), 5);
	assert_int_equal(qa_rounding_divide_by_pot(-5, 0), -5);
}

static void test_rounding_divide_by_pot_exponent_31(void **state)
{
	(void)state;
	assert_int_equal(qa_rounding_divide_by_pot(INT32_MIN, 31), -1);
	assert_int_equal(qa_rounding_divide_by_pot(INT32_MAX, 31), 1);
	assert_int_equal(qa_rounding_divide_by_pot(P30, 31), 1);          /* 0.5 -> 1 */
	assert_int_equal(qa_rounding_divide_by_pot(-P30, 31), -1);        /* -0.5 -> -1 */
	assert_int_equal(qa_rounding_divide_by_pot(-P30 + 1, 31), 0);     /* -0.4999 -> 0 */
	assert_int_equal(qa_rounding_divide_by_pot(P30 - 1, 31), 0);
}

static void test_multiplier_shift_extremes(void **state)
{
	(void)state;
	/* multiplier 0 zeroes everything */
	assert_int_equal(qa_multiply_by_quantized_multiplier(INT32_MAX, 0, 30), 0);
	assert_int_equal(qa_multiply_by_quantized_multiplier(-12345, 0, -31), 0);
	/* shift 0, multiplier 2^30 (= 0.5): 7 * 0.5 = 3.5 -> 4 */
	assert_int_equal(qa_multiply_by_quantized_multiplier(7, P30, 0), 4);
	/* shift 1 doubles first: 7 * 2 * 0.5 = 7 */
	assert_int_equal(qa_multiply_by_quantized_multiplier(7, P30, 1), 7);
	/* shift -1: 7 * 0.5 = 3.5 (srdhm -> 4), then 4 / 2 = 2 */
	assert_int_equal(qa_multiply_by_quantized_multiplier(7, P30, -1), 2);
	/* shift -31: INT32_MAX * ~1 / 2^31 -> 1 */
	assert_int_equal(qa_multiply_by_quantized_multiplier(INT32_MAX, INT32_MAX, -31), 1);
	assert_int_equal(qa_multiply_by_quantized_multiplier(INT32_MIN, INT32_MAX, -31), -1);
	/* shift 30 wraps like int32 TFLite: 3 << 30 = -2^30, times 0.5 = -2^29 */
	assert_int_equal(qa_multiply_by_quantized_multiplier(3, P30, 30), -(1 << 29));
	assert_int_equal(qa_multiply_by_quantized_multiplier(1, P30, 30), 1 << 29);
}

static void test_requantize_clamps_and_adds_zero_point(void **state)
{
	(void)state;
	/* 1000 * 0.5 / 4 = 125, + 10 = 135, clamped to 127 */
	assert_int_equal(qa_requantize(1000, P30, -2, 10, -128, 127), 127);
	/* 1000 * 0.5 / 8 = 62.5 -> 63, + 10 */
	assert_int_equal(qa_requantize(1000, P30, -3, 10, -128, 127), 73);
	assert_int_equal(qa_requantize(-100000, P30, 0, 0, -128, 127), -128);
	assert_int_equal(qa_requantize(40, P30, 0, -5, 0, 6), 6);   /* ReLU6-style range */
	assert_int_equal(qa_requantize(-40, P30, 0, 3, 3, 255), 3); /* ReLU at the zero point */
}

static void test_requant_param_validation(void **state)
{
	(void)state;
	assert_true(qa_requant_params_valid(0, 0));
	assert_true(qa_requant_params_valid(P30, -31));
	assert_true(qa_requant_params_valid(INT32_MAX, 30));
	assert_false(qa_requant_params_valid(P30 - 1, 0));
	assert_false(qa_requant_params_valid(-P30, 0));
	assert_false(qa_requant_params_valid(P30, 31));
	assert_false(qa_requant_params_valid(P30, -32));
}

static void expect_qm(double scale, int32_t mult, int32_t shift)
{
	int32_t m = 12345, s = 12345;

	assert_int_equal(qaccel_quantize_multiplier(scale, &m, &s), 0);
	assert_int_equal(m, mult);
	assert_int_equal(s, shift);
}

static void test_quantize_multiplier_values(void **state)
{
	(void)state;
	expect_qm(0.0, 0, 0);
	expect_qm(0.5, P30, 0);              /* frexp(0.5) = 0.5 * 2^0 */
	expect_qm(1.0, P30, 1);              /* scale >= 1: positive shift */
	expect_qm(3.0, 3 << 29, 2);          /* 0.75 * 2^2 */
	expect_qm(0.75, 3 << 29, 0);
	expect_qm(ldexp(1.0, -31), P30, -30);
	expect_qm(ldexp(1.0, -32), P30, -31); /* smallest representable */
	expect_qm(ldexp(1.0, -33), 0, 0);     /* flushed to zero */
	expect_qm(1e-12, 0, 0);
	/* q * 2^31 rounds up to 2^31: halved, shift + 1 */
	expect_qm(1.0 - ldexp(1.0, -40), P30, 1);
	/* round-to-nearest of the mantissa: 0.1 = 0.8 * 2^-3 -> round(0.8 * 2^31) */
	expect_qm(0.1, 1717986918, -3);
	/* too large saturates to the largest multiplier and shift 30 */
	expect_qm(ldexp(1.0, 40), INT32_MAX, 30);
}

static void test_quantize_multiplier_rejects_bad_scales(void **state)
{
	int32_t m, s;

	(void)state;
	assert_int_equal(qaccel_quantize_multiplier(-0.5, &m, &s), -EINVAL);
	assert_int_equal(qaccel_quantize_multiplier(NAN, &m, &s), -EINVAL);
	assert_int_equal(qaccel_quantize_multiplier(INFINITY, &m, &s), -EINVAL);
	assert_int_equal(qaccel_quantize_multiplier(0.5, NULL, &s), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_srdhm_saturates_only_min_times_min),
		cmocka_unit_test(test_srdhm_exact_and_ties),
		cmocka_unit_test(test_rounding_divide_by_pot_half_away_from_zero),
		cmocka_unit_test(test_rounding_divide_by_pot_exponent_31),
		cmocka_unit_test(test_multiplier_shift_extremes),
		cmocka_unit_test(test_requantize_clamps_and_adds_zero_point),
		cmocka_unit_test(test_requant_param_validation),
		cmocka_unit_test(test_quantize_multiplier_values),
		cmocka_unit_test(test_quantize_multiplier_rejects_bad_scales),
	};

	return cmocka_run_group_tests_name("requant", tests, NULL, NULL);
}
