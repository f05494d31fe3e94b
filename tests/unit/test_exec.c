// SPDX-License-Identifier: MIT
/*
 * The freestanding executor on raw memory images: the binary descriptor
 * codec, validation of hostile descriptors, and the blocking paths (minimal
 * scratch forces chunking; no accumulator scratch forces depthwise through
 * the general GEMM path) against the naive reference.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "exec/qa_exec.h"
#include "naive_ref.h"

#define MEM_SIZE (8u << 20)

struct image {
	struct qa_exec_mem mem;
	struct qa_exec_scratch big, tiny;
};

static int setup(void **state)
{
	struct image *im = calloc(1, sizeof(*im));

	if (!im)
		return -1;
	im->mem.base = calloc(1, MEM_SIZE);
	im->mem.size = MEM_SIZE;
	im->big.a_len = 1 << 21;
	im->big.b_len = 1 << 21;
	im->big.acc_len = 1 << 16;
	im->big.a = malloc(im->big.a_len * 2);
	im->big.b = malloc(im->big.b_len * 2);
	im->big.acc = malloc(im->big.acc_len * 4);
	im->tiny.a_len = QA_EXEC_SCRATCH_A_MIN;
	im->tiny.b_len = QA_EXEC_SCRATCH_B_MIN;
	im->tiny.a = malloc(im->tiny.a_len * 2);
	im->tiny.b = malloc(im->tiny.b_len * 2);
	if (!im->mem.base || !im->big.a || !im->big.b || !im->big.acc || !im->tiny.a || !im->tiny.b)
		return -1;
	*state = im;
	return 0;
}

static int teardown(void **state)
{
	struct image *im = *state;

	free(im->mem.base);
	free(im->big.a);
	free(im->big.b);
	free(im->big.acc);
	free(im->tiny.a);
	free(im->tiny.b);
	free(im);
	return 0;
}

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1664525u + 1013904223u;
		p[i] = (uint8_t)(seed >> 24);
	}
}

/* A conv/gemm descriptor with operands laid out in the image from 0x1000. */
static struct qa_desc make_desc(const struct naive_layer *l, uint32_t out_h, uint32_t out_w)
{
	const struct qaccel_conv2d *c = &l->c;
	struct qa_desc d;
	uint64_t at = 0x1000;
	uint64_t in = (uint64_t)c->batch * c->in_h * c->in_w * c->in_c;
	uint64_t w = (uint64_t)c->out_c * c->kernel_h * c->kernel_w * (c->in_c / c->groups);

	memset(&d, 0, sizeof(d));
	d.header = QA_DESC_HEADER(l->is_gemm ? QA_OP_GEMM : QA_OP_CONV2D);
	d.in_type = (uint8_t)l->q.in_type;
	d.w_type = (uint8_t)l->q.w_type;
	d.out_type = (uint8_t)l->q.out_type;
	d.flags = QA_DESC_F_BIAS;
	d.batch = c->batch;
	d.in_h = c->in_h;
	d.in_w = c->in_w;
	d.in_c = c->in_c;
	d.out_h = out_h;
	d.out_w = out_w;
	d.out_c = c->out_c;
	d.groups = c->groups;
	d.kernel_h = (uint16_t)c->kernel_h;
	d.kernel_w = (uint16_t)c->kernel_w;
	d.stride_h = (uint16_t)c->stride_h;
	d.stride_w = (uint16_t)c->stride_w;
	d.dilation_h = (uint16_t)c->dilation_h;
	d.dilation_w = (uint16_t)c->dilation_w;
	d.pad_top = (uint16_t)c->pad_top;
	d.pad_left = (uint16_t)c->pad_left;
	d.pad_bottom = (uint16_t)c->pad_bottom;
	d.pad_right = (uint16_t)c->pad_right;
	d.in_zp = l->q.in_zp;
	d.w_zp = l->q.w_zp;
	d.out_zp = l->q.out_zp;
	d.act_min = l->q.act_min;
	d.act_max = l->q.act_max;
	d.in_addr = at;
	at += (in + 63) & ~63ull;
	d.w_addr = at;
	at += (w + 63) & ~63ull;
	d.bias_addr = at;
	at += 4ull * c->out_c + 64;
	d.mult_addr = at;
	at += 4ull * c->out_c + 64;
	d.shift_addr = at;
	at += 4ull * c->out_c + 64;
	d.out_addr = at;
	if (l->q.out_type == QACCEL_INT32)
		d.mult_addr = d.shift_addr = 0; /* raw accumulators take no requant */
	return d;
}

/* Runs the layer through the executor with `s` and compares with naive. */
static void check_layer(struct image *im, struct naive_layer *l, const struct qa_exec_scratch *s)
{
	const struct qaccel_conv2d *c = &l->c;
	struct qa_desc d;
	struct qa_exec_result res;
	size_t n_out, i;
	uint8_t *expect;
	uint32_t oh = l->out_h, ow = l->out_w;

	d = make_desc(l, oh, ow);
	n_out = (size_t)c->batch * oh * ow * c->out_c * (l->q.out_type == QACCEL_INT32 ? 4 : 1);
	assert_true(d.out_addr + n_out < MEM_SIZE);
	fill(im->mem.base + d.in_addr, d.w_addr - d.in_addr, 1);
	fill(im->mem.base + d.w_addr, d.bias_addr - d.w_addr, 2);
	for (i = 0; i < c->out_c; i++) {
		int32_t bias = (int32_t)(i * 977) - 3000, mult = (1 << 30) + (int32_t)i * 99991;
		int32_t shift = -(int32_t)(i % 13) - 2;

		memcpy(im->mem.base + d.bias_addr + 4 * i, &bias, 4);
		if (l->q.out_type == QACCEL_INT32)
			continue;
		memcpy(im->mem.base + d.mult_addr + 4 * i, &mult, 4);
		memcpy(im->mem.base + d.shift_addr + 4 * i, &shift, 4);
	}
	qa_desc_encode(&d, im->mem.base + 0x100);
	qa_exec_run(&im->mem, s, 0x100, 1, &res);
	assert_int_equal(res.status, 0);
	assert_int_equal(res.macs, qa_desc_macs(&d));
	expect = malloc(n_out);
	assert_non_null(expect);
	naive_run(l, im->mem.base + d.in_addr, im->mem.base + d.w_addr,
		  (const int32_t *)(im->mem.base + d.bias_addr),
		  (const int32_t *)(im->mem.base + d.mult_addr),
		  (const int32_t *)(im->mem.base + d.shift_addr), expect);
	assert_memory_equal(im->mem.base + d.out_addr, expect, n_out);
	free(expect);
}

/* Output size from the contract's formula (kept local: this test links only the executor). */
static void conv_out_size(struct naive_layer *l)
{
	const struct qaccel_conv2d *c = &l->c;

	l->out_h = (c->in_h + c->pad_top + c->pad_bottom - c->dilation_h * (c->kernel_h - 1) - 1) /
		   c->stride_h + 1;
	l->out_w = (c->in_w + c->pad_left + c->pad_right - c->dilation_w * (c->kernel_w - 1) - 1) /
		   c->stride_w + 1;
}

static struct naive_layer gemm_layer(uint32_t m, uint32_t n, uint32_t k)
{
	struct naive_layer l;

	memset(&l, 0, sizeof(l));
	l.is_gemm = 1;
	l.c = (struct qaccel_conv2d){ 1, m, 1, k, n, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1 };
	l.q = (struct qaccel_quant){ QACCEL_UINT8, QACCEL_INT8, QACCEL_INT8, 130, -3, 4, -100, 120 };
	l.out_h = m;
	l.out_w = 1;
	return l;
}

static void test_desc_codec_roundtrip(void **state)
{
	struct naive_layer l = gemm_layer(3, 5, 7);
	struct qa_desc d = make_desc(&l, 3, 1), back;
	uint8_t raw[QA_DESC_SIZE];

	(void)state;
	d.pad_left = 0x1234;
	d.in_zp = -77;
	qa_desc_encode(&d, raw);
	assert_int_equal(raw[0], QA_OP_GEMM);
	assert_int_equal(raw[1], QA_DESC_VERSION);
	assert_int_equal(raw[0x36], 0x34); /* little-endian pad_left */
	assert_int_equal(raw[0x37], 0x12);
	qa_desc_decode(raw, &back);
	assert_memory_equal(&d, &back, sizeof(d));
}

static void test_chunked_gemm_with_minimal_scratch(void **state)
{
	struct image *im = *state;
	/* K = 33025 leaves room for one 4-row A panel and one 16-column B panel. */
	struct naive_layer l = gemm_layer(9, 40, QA_MAX_REDUCTION);

	l.q.out_type = QACCEL_INT32;
	l.q.out_zp = l.q.act_min = l.q.act_max = 0;
	check_layer(im, &l, &im->tiny);
	l = gemm_layer(67, 131, 257);
	check_layer(im, &l, &im->tiny);
	check_layer(im, &l, &im->big);
}

static void test_depthwise_paths_agree(void **state)
{
	struct image *im = *state;
	struct naive_layer l;

	memset(&l, 0, sizeof(l));
	/* depthwise, channel multiplier 3, stride 2, dilation 2, asymmetric pads */
	l.c = (struct qaccel_conv2d){ 2, 9, 11, 5, 15, 3, 3, 2, 1, 2, 1, 2, 0, 1, 3, 5 };
	l.q = (struct qaccel_quant){ QACCEL_INT8, QACCEL_UINT8, QACCEL_UINT8, -7, 128, 10, 0, 255 };
	conv_out_size(&l);
	check_layer(im, &l, &im->big);  /* channel-parallel depthwise */
	check_layer(im, &l, &im->tiny); /* no accumulator scratch: per-group GEMM */
	l.c.out_c = 5;                  /* multiplier 1 */
	check_layer(im, &l, &im->big);
}

static void test_conv_kernel_larger_than_input(void **state)
{
	struct image *im = *state;
	struct naive_layer l;

	memset(&l, 0, sizeof(l));
	l.c = (struct qaccel_conv2d){ 1, 2, 3, 4, 6, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, 2 };
	l.q = (struct qaccel_quant){ QACCEL_UINT8, QACCEL_UINT8, QACCEL_INT8, 37, 200, 0, -128, 127 };
	conv_out_size(&l);
	check_layer(im, &l, &im->big);
	check_layer(im, &l, &im->tiny);
}

/* Runs one raw descriptor and returns the status code it produced. */
static int run_raw(struct image *im, const struct qa_desc *d)
{
	struct qa_exec_result res;

	qa_desc_encode(d, im->mem.base + 0x100);
	qa_exec_run(&im->mem, &im->big, 0x100, 1, &res);
	return (int)QA_STATUS_CODE(res.status);
}

static void test_hostile_descriptors_are_rejected(void **state)
{
	struct image *im = *state;
	struct naive_layer l = gemm_layer(4, 4, 4);
	struct qa_desc good = make_desc(&l, 4, 1), d;
	int32_t m = 1 << 30, s = 0;
	int i;

	for (i = 0; i < 4; i++) {
		memcpy(im->mem.base + good.mult_addr + 4 * i, &m, 4);
		memcpy(im->mem.base + good.shift_addr + 4 * i, &s, 4);
	}
	assert_int_equal(run_raw(im, &good), QA_ERR_NONE);
	d = good, d.header ^= 0x10000;
	assert_int_equal(run_raw(im, &d), QA_ERR_BAD_HEADER);
	d = good, d.header = QA_DESC_HEADER(9);
	assert_int_equal(run_raw(im, &d), QA_ERR_BAD_HEADER);
	d = good, d.flags = 0x80;
	assert_int_equal(run_raw(im, &d), QA_ERR_RESERVED);
	d = good, d.in_type = 2;
	assert_int_equal(run_raw(im, &d), QA_ERR_BAD_TYPE);
	d = good, d.out_h = 5;
	assert_int_equal(run_raw(im, &d), QA_ERR_BAD_SHAPE);
	d = good, d.in_zp = 256;
	assert_int_equal(run_raw(im, &d), QA_ERR_BAD_QUANT);
	d = good, d.out_addr = MEM_SIZE - 8;
	assert_int_equal(run_raw(im, &d), QA_ERR_BAD_ADDRESS);
	d = good, d.w_addr = UINT64_MAX - 2;
	assert_int_equal(run_raw(im, &d), QA_ERR_BAD_ADDRESS);
	d = good, d.mult_addr += 2;
	assert_int_equal(run_raw(im, &d), QA_ERR_BAD_ADDRESS);
	d = good, d.out_addr = good.in_addr;
	assert_int_equal(run_raw(im, &d), QA_ERR_BAD_ADDRESS);
	d = good, d.out_addr = 0x100; /* would overwrite its own descriptor */
	assert_int_equal(run_raw(im, &d), QA_ERR_BAD_ADDRESS);
	d = good, d.in_c = QA_MAX_REDUCTION + 1;
	assert_int_equal(run_raw(im, &d), QA_ERR_TOO_DEEP);
	d = good, d.out_type = QA_DT_INT32;
	assert_int_equal(run_raw(im, &d), QA_ERR_RESERVED); /* int32 takes no requant fields */
	s = 31;
	memcpy(im->mem.base + good.shift_addr + 8, &s, 4);
	assert_int_equal(run_raw(im, &good), QA_ERR_BAD_REQUANT);
}

static void test_bad_second_descriptor_writes_nothing(void **state)
{
	struct image *im = *state;
	struct naive_layer l = gemm_layer(4, 4, 4);
	struct qa_desc d = make_desc(&l, 4, 1), bad = d;
	struct qa_exec_result res;
	uint8_t before[16];

	memset(im->mem.base + d.mult_addr, 0, 16);
	memset(im->mem.base + d.shift_addr, 0, 16);
	memset(im->mem.base + d.out_addr, 0x5A, 16);
	memcpy(before, im->mem.base + d.out_addr, 16);
	bad.kernel_h = 0;
	qa_desc_encode(&d, im->mem.base + 0x100);
	qa_desc_encode(&bad, im->mem.base + 0x100 + QA_DESC_SIZE);
	qa_exec_run(&im->mem, &im->big, 0x100, 2, &res);
	assert_int_equal(QA_STATUS_CODE(res.status), QA_ERR_BAD_SHAPE);
	assert_int_equal(QA_STATUS_INDEX(res.status), 1);
	assert_memory_equal(im->mem.base + d.out_addr, before, 16);
	/* list address misaligned, outside memory, or empty */
	qa_exec_run(&im->mem, &im->big, 0x104, 1, &res);
	assert_int_equal(QA_STATUS_CODE(res.status), QA_ERR_BAD_ADDRESS);
	qa_exec_run(&im->mem, &im->big, MEM_SIZE - 64, 1, &res);
	assert_int_equal(QA_STATUS_CODE(res.status), QA_ERR_BAD_ADDRESS);
	qa_exec_run(&im->mem, &im->big, 0x100, 0, &res);
	assert_int_equal(QA_STATUS_CODE(res.status), QA_ERR_BAD_ADDRESS);
	qa_exec_run(&im->mem, NULL, 0x100, 1, &res);
	assert_int_equal(QA_STATUS_CODE(res.status), QA_ERR_BAD_ADDRESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_desc_codec_roundtrip),
		cmocka_unit_test(test_chunked_gemm_with_minimal_scratch),
		cmocka_unit_test(test_depthwise_paths_agree),
		cmocka_unit_test(test_conv_kernel_larger_than_input),
		cmocka_unit_test(test_hostile_descriptors_are_rejected),
		cmocka_unit_test(test_bad_second_descriptor_writes_nothing),
	};

	return cmocka_run_group_tests_name("exec", tests, setup, teardown);
}
