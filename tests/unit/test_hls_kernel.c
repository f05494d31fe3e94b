// SPDX-License-Identifier: MIT
/*
 * The HLS kernel (hls/qaccel_top.c compiled natively) against the CPU
 * reference executor: random and edge-case descriptor lists run on two copies
 * of one memory image must leave both images identical byte for byte, with
 * the same STATUS and MAC count. Also: field validation codes, the
 * mid-list requant re-check, the `hls` backend through the public API, and
 * the cycle model.
 *
 * QA_HLS_TEST_CASES=N (environment) sets the number of random cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "qaccel.h"
#include "qaccel_hw.h"
#include "qaccel_requant.h"
#include "exec/qa_exec.h"
#include "qaccel_hls.h"
#include "../hls/hls_cases.h"

/* ---- memory images ------------------------------------------------------ */
#define MAX_LIST HLS_CASE_MAX_LIST

struct case_img {
	uint8_t *ref;
	uint8_t *hls;
	uint64_t size;
	uint64_t desc_addr;
	uint32_t count;
	struct qa_desc d[MAX_LIST];
};

static struct qa_exec_scratch scratch;

static int group_setup(void **state)
{
	(void)state;
	scratch.a_len = QA_EXEC_SCRATCH_A_MIN;
	scratch.b_len = QA_EXEC_SCRATCH_B_MIN;
	scratch.acc_len = 1 << 16;
	scratch.a = malloc(scratch.a_len * sizeof(int16_t));
	scratch.b = malloc(scratch.b_len * sizeof(int16_t));
	scratch.acc = malloc(scratch.acc_len * sizeof(int32_t));
	return scratch.a && scratch.b && scratch.acc ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	free(scratch.a);
	free(scratch.b);
	free(scratch.acc);
	return 0;
}

static void build_image(struct case_img *c)
{
	c->desc_addr = 0;
	c->ref = hls_case_image(c->d, c->count, &c->size);
	assert_non_null(c->ref);
	c->hls = malloc(c->size);
	assert_non_null(c->hls);
	memcpy(c->hls, c->ref, c->size);
}

static void free_image(struct case_img *c)
{
	free(c->ref);
	free(c->hls);
}

struct run_out {
	uint32_t status;
	uint64_t macs, cycles, stalls;
	uint32_t version, config;
};

static void run_ref(struct case_img *c, struct qa_exec_result *res)
{
	struct qa_exec_mem mem = { c->ref, c->size };

	qa_exec_run(&mem, &scratch, c->desc_addr, c->count, res);
}

static void run_hls(struct case_img *c, struct run_out *o)
{
	qaccel_top(c->hls + c->desc_addr, c->count, c->hls, &o->version, &o->config, &o->cycles,
		   &o->macs, &o->stalls, &o->status);
}

static void describe(const struct qa_desc *d, char *buf, size_t len)
{
	snprintf(buf, len,
		 "op=%u types=%u/%u/%u flags=%u b=%u in=%ux%ux%u out=%ux%ux%u g=%u k=%ux%u "
		 "s=%u,%u d=%u,%u pad=%u,%u,%u,%u zp=%d/%d/%d act=%d..%d",
		 (unsigned)QA_DESC_HDR_OPCODE(d->header), d->in_type, d->w_type, d->out_type,
		 d->flags, d->batch, d->in_h, d->in_w, d->in_c, d->out_h, d->out_w, d->out_c,
		 d->groups, d->kernel_h, d->kernel_w, d->stride_h, d->stride_w, d->dilation_h,
		 d->dilation_w, d->pad_top, d->pad_left, d->pad_bottom, d->pad_right, d->in_zp,
		 d->w_zp, d->out_zp, d->act_min, d->act_max);
}

/* Runs the case on both executors; fails the test on any difference. */
static void compare_case(struct case_img *c)
{
	struct qa_exec_result ref;
	struct run_out hls;
	uint64_t i;
	char buf[512];

	run_ref(c, &ref);
	run_hls(c, &hls);
	if (ref.status != hls.status || ref.macs != hls.macs ||
	    memcmp(c->ref, c->hls, c->size)) {
		for (i = 0; i < c->count; i++) {
			describe(&c->d[i], buf, sizeof(buf));
			print_error("desc %u: %s\n", (unsigned)i, buf);
		}
		for (i = 0; i < c->size && c->ref[i] == c->hls[i]; i++)
			;
		print_error("status ref=%#x hls=%#x macs ref=%llu hls=%llu first diff at %llu/%llu\n",
			    ref.status, hls.status, (unsigned long long)ref.macs,
			    (unsigned long long)hls.macs, (unsigned long long)i,
			    (unsigned long long)c->size);
		fail();
	}
	assert_int_equal(hls.version, QA_CORE_VERSION);
	assert_int_equal(QA_CONFIG_ROWS(hls.config), QA_HLS_ROWS);
	assert_int_equal(QA_CONFIG_COLS(hls.config), QA_HLS_COLS);
	if (!QA_STATUS_CODE(hls.status)) {
		uint64_t est = 0;

		for (i = 0; i < c->count; i++) {
			struct qa_hls_cost cost;

			assert_int_equal(qa_hls_estimate(&c->d[i], &cost), 0);
			est += cost.cycles;
		}
		assert_true(hls.cycles == est);
		assert_true(hls.stalls < hls.cycles);
		/* Never faster than a full array. */
		assert_true(hls.macs <= (uint64_t)QA_HLS_ROWS * QA_HLS_COLS * hls.cycles);
	}
}

static unsigned int n_cases(unsigned int dflt)
{
	const char *e = getenv("QA_HLS_TEST_CASES");

	return e && atoi(e) > 0 ? (unsigned int)atoi(e) : dflt;
}

/* ---- tests -------------------------------------------------------------- */
static void test_random_gemm_matches_ref(void **state)
{
	unsigned int i, n = n_cases(150);

	(void)state;
	for (i = 0; i < n; i++) {
		struct case_img c = { 0 };

		c.count = 1;
		random_gemm(&c.d[0]);
		build_image(&c);
		compare_case(&c);
		free_image(&c);
	}
}

static void test_random_conv_matches_ref(void **state)
{
	unsigned int i, n = n_cases(250);

	(void)state;
	for (i = 0; i < n; i++) {
		struct case_img c = { 0 };

		c.count = 1;
		random_conv(&c.d[0]);
		build_image(&c);
		compare_case(&c);
		free_image(&c);
	}
}

static void test_random_lists_match_ref(void **state)
{
	unsigned int i, j, n = n_cases(150) / 3 + 1;

	(void)state;
	for (i = 0; i < n; i++) {
		struct case_img c = { 0 };

		c.count = (uint32_t)rnd_range(2, MAX_LIST);
		for (j = 0; j < c.count; j++) {
			if (rnd() & 1)
				random_gemm(&c.d[j]);
			else
				random_conv(&c.d[j]);
		}
		build_image(&c);
		compare_case(&c);
		free_image(&c);
	}
}

static void run_gemm_edge(uint32_t m, uint32_t n, uint32_t k)
{
	int t;

	for (t = QA_DT_INT8; t <= QA_DT_INT32; t++) {
		struct case_img c = { 0 };

		c.count = 1;
		make_gemm(&c.d[0], m, n, k, t);
		build_image(&c);
		compare_case(&c);
		free_image(&c);
	}
}

static void test_gemm_edges_match_ref(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < HLS_N_EDGE_GEMMS; i++)
		run_gemm_edge(hls_edge_gemms[i][0], hls_edge_gemms[i][1], hls_edge_gemms[i][2]);
}

static void run_conv_edge(const struct conv_shape *s)
{
	int t;

	for (t = QA_DT_INT8; t <= QA_DT_INT32; t++) {
		struct case_img c = { 0 };

		c.count = 1;
		assert_true(make_conv(&c.d[0], s, t));
		build_image(&c);
		compare_case(&c);
		free_image(&c);
	}
}

static void test_conv_edges_match_ref(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < HLS_N_EDGE_CONVS; i++)
		run_conv_edge(&hls_edge_convs[i]);
}

/* Corrupting one field at a time: the kernel reports what qa_desc_check_fields reports. */
static void test_field_validation_matches_ref(void **state)
{
	unsigned int i, n = n_cases(150) * 20;
	int seen_err = 0, seen_ok = 0;

	(void)state;
	for (i = 0; i < n; i++) {
		struct qa_desc d;
		uint8_t raw[QA_DESC_SIZE];
		uint32_t byte;

		if (rnd() & 1)
			random_gemm(&d);
		else
			random_conv(&d);
		d.in_addr = 64;
		d.w_addr = 128;
		d.out_addr = 256;
		if (d.out_type != QA_DT_INT32) {
			d.mult_addr = 512;
			d.shift_addr = 1024;
		}
		if (d.flags & QA_DESC_F_BIAS)
			d.bias_addr = 2048;
		qa_desc_encode(&d, raw);
		byte = (uint32_t)(rnd() % QA_DESC_SIZE);
		if (byte < 0x50) /* addresses are the host's business */
			raw[byte] = rnd() % 3 ? (uint8_t)(raw[byte] ^ (1u << (rnd() % 8))) : (uint8_t)rnd();
		qa_desc_decode(raw, &d);
		if (qa_desc_check_fields(&d))
			seen_err++;
		else
			seen_ok++;
	}
	assert_true(seen_err > 0 && seen_ok > 0);
}

/*
 * Descriptor 0 writes int32 accumulators over descriptor 1's multipliers:
 * both executors must run descriptor 0, then stop at descriptor 1 with
 * BAD_REQUANT (the multipliers were valid when the list was validated).
 */
static void test_requant_recheck_matches_ref(void **state)
{
	struct case_img c = { 0 };
	struct qa_exec_result ref;
	struct run_out hls;
	uint32_t i;

	(void)state;
	c.count = 2;
	make_gemm(&c.d[0], 1, 8, 4, QA_DT_INT32);
	c.d[0].flags = QA_DESC_F_BIAS;
	c.d[0].in_type = QA_DT_INT8;
	c.d[0].in_zp = 0;
	make_gemm(&c.d[1], 4, 8, 4, QA_DT_INT8);
	build_image(&c);
	memset(c.ref + c.d[0].in_addr, 0, 4); /* A = zero point: accumulators are 0 */
	/* Point descriptor 1's multipliers at descriptor 0's output (8 x int32). */
	c.d[1].mult_addr = c.d[0].out_addr;
	for (i = 0; i < 8; i++) {
		int32_t m = 1 << 30;

		memcpy(c.ref + c.d[0].out_addr + 4 * i, &m, 4);
		/* Output = 0 + bias = -2^31: an invalid multiplier for descriptor 1. */
		m = QA_INT32_MIN;
		memcpy(c.ref + c.d[0].bias_addr + 4 * i, &m, 4);
	}
	qa_desc_encode(&c.d[1], c.ref + QA_DESC_SIZE);
	memcpy(c.hls, c.ref, c.size);
	run_ref(&c, &ref);
	run_hls(&c, &hls);
	assert_int_equal(QA_STATUS_CODE(ref.status), QA_ERR_BAD_REQUANT);
	assert_int_equal(QA_STATUS_INDEX(ref.status), 1);
	assert_int_equal(hls.status, ref.status);
	assert_true(hls.macs == ref.macs);
	assert_memory_equal(c.ref, c.hls, c.size);
	free_image(&c);
}

/* A list with a bad descriptor anywhere writes nothing at all. */
static void test_bad_list_writes_nothing(void **state)
{
	struct case_img c = { 0 };
	struct run_out hls;
	uint8_t *before;
	int32_t bad_shift = 31;

	(void)state;
	c.count = 3;
	make_gemm(&c.d[0], 20, 20, 20, QA_DT_INT8);
	make_gemm(&c.d[1], 20, 20, 20, QA_DT_UINT8);
	make_gemm(&c.d[2], 20, 20, 20, QA_DT_INT8);
	build_image(&c);
	memcpy(c.hls + c.d[2].shift_addr + 4 * 5, &bad_shift, 4);
	before = malloc(c.size);
	assert_non_null(before);
	memcpy(before, c.hls, c.size);
	run_hls(&c, &hls);
	assert_int_equal(hls.status, QA_STATUS_MAKE(QA_ERR_BAD_REQUANT, 2));
	assert_memory_equal(before, c.hls, c.size);
	free(before);
	free_image(&c);
}

/* The `hls` device of libqaccel: same bytes as `ref`, cycles from the model. */
static void test_backend_matches_ref_device(void **state)
{
	static const char *const names[2] = { "ref", "hls" };
	const struct qaccel_conv2d shape = { 1, 10, 9, 12, 8, 3, 2, 2, 1, 1, 1, 1, 2, 0, 1, 4 };
	struct qaccel_quant q = { QACCEL_UINT8, QACCEL_INT8, QACCEL_INT8, 3, -5, 7, -100, 120 };
	uint8_t x[10 * 9 * 12], w[8 * 3 * 2 * 3], out[2][10 * 9 * 8];
	int32_t bias[8], mult[8], shift[8];
	struct qaccel_job_stats st[2];
	struct qaccel_device_info info;
	uint32_t oh, ow;
	int i, dv;

	(void)state;
	fill_random(x, sizeof(x));
	fill_random(w, sizeof(w));
	for (i = 0; i < 8; i++) {
		bias[i] = (int32_t)rnd_range(-5000, 5000);
		mult[i] = (int32_t)rnd_range(1 << 30, 0x7FFFFFFF);
		shift[i] = (int32_t)rnd_range(-9, -5);
	}
	assert_int_equal(qaccel_conv2d_output_size(&shape, &oh, &ow), 0);
	for (dv = 0; dv < 2; dv++) {
		qaccel_device *dev;
		qaccel_buffer *bx, *bw, *bb, *bm, *bs, *bo;
		qaccel_job *job;
		struct qaccel_operands ops;

		assert_int_equal(qaccel_open(names[dv], &dev), 0);
		assert_int_equal(qaccel_buffer_alloc(dev, sizeof(x), &bx), 0);
		assert_int_equal(qaccel_buffer_alloc(dev, sizeof(w), &bw), 0);
		assert_int_equal(qaccel_buffer_alloc(dev, sizeof(bias), &bb), 0);
		assert_int_equal(qaccel_buffer_alloc(dev, sizeof(mult), &bm), 0);
		assert_int_equal(qaccel_buffer_alloc(dev, sizeof(shift), &bs), 0);
		assert_int_equal(qaccel_buffer_alloc(dev, (size_t)oh * ow * 8, &bo), 0);
		qaccel_buffer_write(bx, 0, x, sizeof(x));
		qaccel_buffer_write(bw, 0, w, sizeof(w));
		qaccel_buffer_write(bb, 0, bias, sizeof(bias));
		qaccel_buffer_write(bm, 0, mult, sizeof(mult));
		qaccel_buffer_write(bs, 0, shift, sizeof(shift));
		memset(&ops, 0, sizeof(ops));
		ops.input.buf = bx;
		ops.weights.buf = bw;
		ops.bias.buf = bb;
		ops.multiplier.buf = bm;
		ops.shift.buf = bs;
		ops.output.buf = bo;
		assert_int_equal(qaccel_job_create(dev, &job), 0);
		assert_int_equal(qaccel_job_add_conv2d(job, &shape, &q, &ops), 0);
		assert_int_equal(qaccel_job_submit(job), 0);
		assert_int_equal(qaccel_job_wait(job, -1), 0);
		assert_int_equal(qaccel_job_stats(job, &st[dv]), 0);
		assert_int_equal(qaccel_buffer_read(bo, 0, out[dv], (size_t)oh * ow * 8), 0);
		assert_int_equal(qaccel_device_info(dev, &info), 0);
		if (dv == 1) {
			assert_string_equal(info.backend, "hls");
			assert_int_equal(info.array_rows, QA_HLS_ROWS);
			assert_int_equal(info.array_cols, QA_HLS_COLS);
			assert_true(info.has_cycle_counter);
		}
		qaccel_job_free(job);
		qaccel_buffer_free(bx);
		qaccel_buffer_free(bw);
		qaccel_buffer_free(bb);
		qaccel_buffer_free(bm);
		qaccel_buffer_free(bs);
		qaccel_buffer_free(bo);
		qaccel_close(dev);
	}
	assert_memory_equal(out[0], out[1], (size_t)oh * ow * 8);
	assert_true(st[0].macs == st[1].macs);
	assert_false(st[0].has_cycles);
	assert_true(st[1].has_cycles);
	assert_true(st[1].cycles > 0);
	assert_true(st[1].utilization > 0.0 && st[1].utilization <= 1.0);
}

/*
 * The model's headline numbers (hls/README.md): a 512^3 GEMM and ResNet-50's
 * 3x3x64x64 conv on 56x56 are compute-bound, so cycles sit just above
 * MACs / 256 (pipeline fill, drain and per-descriptor overhead only).
 */
static void test_cycle_model_headline_numbers(void **state)
{
	struct qa_desc d;
	struct qa_hls_cost c;
	const struct conv_shape rn = { 1, 56, 56, 64, 64, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1 };
	uint64_t ideal;

	(void)state;
	make_gemm(&d, 512, 512, 512, QA_DT_INT8);
	d.mult_addr = 64;
	d.shift_addr = 128;
	d.bias_addr = 0;
	d.flags = 0;
	assert_int_equal(qa_hls_estimate(&d, &c), 0);
	ideal = 512ull * 512 * 512 / 256;
	print_message("model: gemm 512^3 cycles=%llu (ideal %llu) steps=%llu\n",
		      (unsigned long long)c.cycles, (unsigned long long)ideal,
		      (unsigned long long)c.steps);
	assert_true(c.macs == 512ull * 512 * 512);
	assert_true(c.steps == 8 * 8 * 2);
	assert_true(c.cycles >= ideal && c.cycles < ideal + ideal / 50);

	assert_true(make_conv(&d, &rn, QA_DT_INT8));
	d.flags = 0;
	assert_int_equal(qa_hls_estimate(&d, &c), 0);
	ideal = 56ull * 56 * 64 * 576 / 256;
	print_message("model: resnet50 3x3x64x64@56x56 cycles=%llu (ideal %llu) steps=%llu\n",
		      (unsigned long long)c.cycles, (unsigned long long)ideal,
		      (unsigned long long)c.steps);
	assert_true(c.steps == 49 * 3);
	assert_true(c.cycles >= ideal && c.cycles < ideal + ideal / 50);

	/* A memory-bound shape: depthwise runs one 1-column group at a time. */
	{
		const struct conv_shape dw = { 1, 56, 56, 32, 32, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1 };

		assert_true(make_conv(&d, &dw, QA_DT_INT8));
		assert_int_equal(qa_hls_estimate(&d, &c), 0);
		assert_true(c.cycles > 10 * (c.macs / 256));
	}
	d.header = 0;
	assert_int_equal(qa_hls_estimate(&d, &c), QA_ERR_BAD_HEADER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gemm_edges_match_ref),
		cmocka_unit_test(test_conv_edges_match_ref),
		cmocka_unit_test(test_random_gemm_matches_ref),
		cmocka_unit_test(test_random_conv_matches_ref),
		cmocka_unit_test(test_random_lists_match_ref),
		cmocka_unit_test(test_field_validation_matches_ref),
		cmocka_unit_test(test_requant_recheck_matches_ref),
		cmocka_unit_test(test_bad_list_writes_nothing),
		cmocka_unit_test(test_backend_matches_ref_device),
		cmocka_unit_test(test_cycle_model_headline_numbers),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
