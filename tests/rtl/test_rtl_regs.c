// SPDX-License-Identifier: MIT
/*
 * RTL-level tests of the core's register interface through the Verilator
 * harness (sim/qa_sim.h), no runtime in between: ap_ctrl_hs semantics
 * (ap_done clear-on-read, idle, ready, ISR toggle-on-write, GIE gating the
 * interrupt line, auto_restart), back-to-back jobs, reset in the middle of a
 * job, and the core's own validation (STATUS code and descriptor index,
 * never a hang). Expected numbers come from a naive C GEMM here, not from
 * the core.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "qa_sim.h"
#include "qaccel_hw.h"
#include "exec/qa_exec.h"

#define DESC_AT 0x100u
#define A_AT    0x10000u
#define B_AT    0x20000u
#define Y_AT    0x30000u
#define MEM_MB  16u

static struct qa_sim *sim_new(void)
{
	struct qa_sim_config cfg;

	qa_sim_config_default(&cfg);
	cfg.mem_size = (uint64_t)MEM_MB << 20;
	cfg.rand_reset = 2;
	cfg.seed = 7;
	return qa_sim_create(&cfg);
}

static int setup(void **state)
{
	struct qa_sim *s = sim_new();

	*state = s;
	return s ? 0 : -1;
}

static int teardown(void **state)
{
	struct qa_sim *s = *state;
	struct qa_sim_counters c;

	qa_sim_counters(s, &c);
	qa_sim_destroy(s);
	return c.protocol_errors ? -1 : 0;
}

static uint32_t rd(struct qa_sim *s, uint32_t off)
{
	uint32_t v = 0xDEADBEEF;

	assert_int_equal(qa_sim_reg_read(s, off, &v), 0);
	return v;
}

static void wr(struct qa_sim *s, uint32_t off, uint32_t v)
{
	assert_int_equal(qa_sim_reg_write(s, off, v), 0);
}

/* int8 GEMM with int32 output at slot `slot` (separate operands per slot). */
static void put_gemm(struct qa_sim *s, uint32_t idx, uint32_t slot, uint32_t m, uint32_t n,
		     uint32_t k, uint32_t seed)
{
	uint8_t *mem = qa_sim_mem_ptr(s, NULL);
	struct qa_desc d;
	uint32_t i;

	memset(&d, 0, sizeof(d));
	d.header = QA_DESC_HEADER(QA_OP_GEMM);
	d.in_type = QA_DT_INT8;
	d.w_type = QA_DT_INT8;
	d.out_type = QA_DT_INT32;
	d.batch = 1;
	d.in_h = d.out_h = m;
	d.in_w = d.out_w = 1;
	d.in_c = k;
	d.out_c = n;
	d.groups = 1;
	d.kernel_h = d.kernel_w = d.stride_h = d.stride_w = d.dilation_h = d.dilation_w = 1;
	d.in_zp = 3;
	d.w_zp = -2;
	d.in_addr = A_AT + slot * 0x100000u;
	d.w_addr = B_AT + slot * 0x100000u;
	d.out_addr = Y_AT + slot * 0x100000u;
	for (i = 0; i < m * k; i++)
		mem[d.in_addr + i] = (uint8_t)(i * 7 + seed);
	for (i = 0; i < k * n; i++)
		mem[d.w_addr + i] = (uint8_t)(i * 13 + seed * 3);
	memset(mem + d.out_addr, 0xEE, (size_t)m * n * 4);
	qa_desc_encode(&d, mem + DESC_AT + idx * QA_DESC_SIZE);
}

static void check_gemm(struct qa_sim *s, uint32_t slot, uint32_t m, uint32_t n, uint32_t k)
{
	const uint8_t *mem = qa_sim_mem_ptr(s, NULL);
	const int8_t *a = (const int8_t *)(mem + A_AT + slot * 0x100000u);
	const int8_t *b = (const int8_t *)(mem + B_AT + slot * 0x100000u);
	const uint8_t *y = mem + Y_AT + slot * 0x100000u;
	uint32_t i, j, kk;

	for (i = 0; i < m; i++)
		for (j = 0; j < n; j++) {
			int32_t acc = 0, got;

			for (kk = 0; kk < k; kk++)
				acc += (a[i * k + kk] - 3) * (b[kk * n + j] + 2);
			memcpy(&got, y + 4 * (i * n + j), 4);
			if (got != acc)
				fail_msg("Y[%u][%u] = %d, expected %d", i, j, got, acc);
		}
}

static void start(struct qa_sim *s, uint32_t count)
{
	wr(s, QA_REG_DESC_ADDR_LO, DESC_AT);
	wr(s, QA_REG_DESC_ADDR_HI, 0);
	wr(s, QA_REG_DESC_COUNT, count);
	wr(s, QA_REG_MEM_BASE_LO, 0);
	wr(s, QA_REG_MEM_BASE_HI, 0);
	wr(s, QA_REG_CTRL, QA_CTRL_AP_START);
}

/* Polls like the driver's fallback path; returns the CTRL value that showed ap_done. */
static uint32_t wait_done(struct qa_sim *s)
{
	uint32_t ctrl = 0;

	assert_int_equal(qa_sim_poll_done(s, 2000000, 16, &ctrl), 1);
	return ctrl;
}

static void test_reset_state_and_id_registers(void **state)
{
	struct qa_sim *s = *state;
	uint32_t cfg;

	qa_sim_reset(s, 4);
	assert_int_equal(rd(s, QA_REG_CTRL), QA_CTRL_AP_IDLE);
	assert_int_equal(rd(s, QA_REG_GIE), 0);
	assert_int_equal(rd(s, QA_REG_IER), 0);
	assert_int_equal(rd(s, QA_REG_ISR), 0);
	assert_int_equal(rd(s, QA_REG_VERSION), QA_CORE_VERSION);
	cfg = rd(s, QA_REG_CONFIG);
	assert_int_equal(QA_CONFIG_ROWS(cfg), 16);
	assert_int_equal(QA_CONFIG_COLS(cfg), 16);
	assert_true(QA_CONFIG_FEATURES(cfg) & QA_FEAT_DEPTHWISE);
	assert_true(QA_CONFIG_FEATURES(cfg) & QA_FEAT_INT32_OUT);
	/* arguments read back */
	wr(s, QA_REG_DESC_ADDR_LO, 0x12345678);
	wr(s, QA_REG_DESC_ADDR_HI, 0x9);
	wr(s, QA_REG_DESC_COUNT, 77);
	assert_int_equal(rd(s, QA_REG_DESC_ADDR_LO), 0x12345678);
	assert_int_equal(rd(s, QA_REG_DESC_ADDR_HI), 0x9);
	assert_int_equal(rd(s, QA_REG_DESC_COUNT), 77);
	assert_false(qa_sim_irq(s));
}

static void test_ap_done_clears_on_read(void **state)
{
	struct qa_sim *s = *state;
	uint32_t ctrl;

	put_gemm(s, 0, 0, 5, 7, 9, 1);
	start(s, 1);
	ctrl = rd(s, QA_REG_CTRL);
	assert_true(ctrl & QA_CTRL_AP_START);     /* held until the core is done */
	assert_false(ctrl & QA_CTRL_AP_IDLE);
	ctrl = wait_done(s);
	assert_true(ctrl & QA_CTRL_AP_DONE);
	assert_true(ctrl & QA_CTRL_AP_IDLE);
	assert_true(ctrl & QA_CTRL_AP_READY);
	assert_false(ctrl & QA_CTRL_AP_START);
	ctrl = rd(s, QA_REG_CTRL);
	assert_false(ctrl & QA_CTRL_AP_DONE);     /* cleared by the previous read */
	assert_false(ctrl & QA_CTRL_AP_READY);
	assert_true(ctrl & QA_CTRL_AP_IDLE);
	assert_int_equal(rd(s, QA_REG_STATUS), 0);
	assert_int_equal(rd(s, QA_REG_MACS_LO), 5 * 7 * 9);
	assert_true(rd(s, QA_REG_CYCLES_LO) > 40);
	check_gemm(s, 0, 5, 7, 9);
}

static void test_isr_toggles_on_write_and_gie_gates_irq(void **state)
{
	struct qa_sim *s = *state;

	put_gemm(s, 0, 0, 3, 4, 5, 2);
	wr(s, QA_REG_GIE, 0);
	wr(s, QA_REG_IER, QA_IRQ_DONE | QA_IRQ_READY);
	start(s, 1);
	wait_done(s);
	assert_int_equal(rd(s, QA_REG_ISR), QA_IRQ_DONE | QA_IRQ_READY);
	assert_false(qa_sim_irq(s));              /* GIE off: line stays low */
	wr(s, QA_REG_GIE, 1);
	assert_true(qa_sim_irq(s));
	wr(s, QA_REG_ISR, 0);                     /* writing 0 changes nothing */
	assert_int_equal(rd(s, QA_REG_ISR), QA_IRQ_DONE | QA_IRQ_READY);
	wr(s, QA_REG_ISR, QA_IRQ_DONE);           /* toggle: clears done */
	assert_int_equal(rd(s, QA_REG_ISR), QA_IRQ_READY);
	assert_true(qa_sim_irq(s));
	wr(s, QA_REG_ISR, QA_IRQ_READY);
	assert_int_equal(rd(s, QA_REG_ISR), 0);
	assert_false(qa_sim_irq(s));
	wr(s, QA_REG_ISR, QA_IRQ_DONE);           /* toggle again: sets it */
	assert_int_equal(rd(s, QA_REG_ISR), QA_IRQ_DONE);
	wr(s, QA_REG_ISR, QA_IRQ_DONE);
	assert_int_equal(rd(s, QA_REG_ISR), 0);
	/* IER masks events: with IER=0 a finished job sets nothing */
	wr(s, QA_REG_IER, 0);
	start(s, 1);
	wait_done(s);
	assert_int_equal(rd(s, QA_REG_ISR), 0);
	assert_false(qa_sim_irq(s));
	wr(s, QA_REG_GIE, 0);
	check_gemm(s, 0, 3, 4, 5);
}

static void test_back_to_back_jobs_with_interrupt(void **state)
{
	struct qa_sim *s = *state;
	uint32_t isr, c1, c2;

	wr(s, QA_REG_GIE, 1);
	wr(s, QA_REG_IER, QA_IRQ_DONE);
	put_gemm(s, 0, 0, 17, 19, 40, 3);
	start(s, 1);
	assert_int_equal(qa_sim_run_until_irq(s, 1000000, 100000), 1);
	isr = rd(s, QA_REG_ISR);
	wr(s, QA_REG_ISR, isr);
	assert_true(rd(s, QA_REG_CTRL) & QA_CTRL_AP_DONE);
	c1 = rd(s, QA_REG_CYCLES_LO);
	check_gemm(s, 0, 17, 19, 40);
	/* immediately a two-descriptor job */
	put_gemm(s, 0, 1, 2, 33, 5, 4);
	put_gemm(s, 1, 2, 31, 3, 70, 5);
	start(s, 2);
	assert_false(qa_sim_irq(s));
	assert_int_equal(qa_sim_run_until_irq(s, 1000000, 100000), 1);
	isr = rd(s, QA_REG_ISR);
	assert_int_equal(isr, QA_IRQ_DONE);
	wr(s, QA_REG_ISR, isr);
	assert_false(qa_sim_irq(s));
	assert_true(rd(s, QA_REG_CTRL) & QA_CTRL_AP_DONE);
	c2 = rd(s, QA_REG_CYCLES_LO);
	assert_true(c1 != c2);
	assert_int_equal(rd(s, QA_REG_MACS_LO), 2 * 33 * 5 + 31 * 3 * 70);
	check_gemm(s, 1, 2, 33, 5);
	check_gemm(s, 2, 31, 3, 70);
	wr(s, QA_REG_GIE, 0);
	wr(s, QA_REG_IER, 0);
}

static void test_no_restart_without_auto_restart(void **state)
{
	struct qa_sim *s = *state;
	uint32_t cycles;

	put_gemm(s, 0, 0, 4, 4, 4, 6);
	start(s, 1);
	wait_done(s);
	cycles = rd(s, QA_REG_CYCLES_LO);
	qa_sim_step(s, 2000);
	assert_int_equal(rd(s, QA_REG_CTRL), QA_CTRL_AP_IDLE);
	assert_int_equal(rd(s, QA_REG_CYCLES_LO), cycles);
	/* with auto_restart the core starts again by itself ... */
	wr(s, QA_REG_CTRL, QA_CTRL_AP_START | QA_CTRL_AUTO_RESTART);
	wait_done(s);
	qa_sim_step(s, 50);
	assert_false(rd(s, QA_REG_CTRL) & QA_CTRL_AP_IDLE);
	/* ... until auto_restart is cleared: the current run finishes, then idle */
	wr(s, QA_REG_CTRL, 0);
	qa_sim_step(s, 5000);
	assert_true(rd(s, QA_REG_CTRL) & QA_CTRL_AP_IDLE);
	qa_sim_step(s, 2000);
	assert_true(rd(s, QA_REG_CTRL) & QA_CTRL_AP_IDLE);
	check_gemm(s, 0, 4, 4, 4);
}

static void test_reset_in_the_middle_of_a_job(void **state)
{
	struct qa_sim *s = *state;
	struct qa_sim_counters c;

	wr(s, QA_REG_IER, QA_IRQ_DONE);
	wr(s, QA_REG_GIE, 1);
	put_gemm(s, 0, 0, 64, 64, 300, 7);
	start(s, 1);
	qa_sim_step(s, 700);
	assert_false(rd(s, QA_REG_CTRL) & QA_CTRL_AP_IDLE);
	qa_sim_reset(s, 8);
	assert_int_equal(rd(s, QA_REG_CTRL), QA_CTRL_AP_IDLE);
	assert_int_equal(rd(s, QA_REG_ISR), 0);
	assert_int_equal(rd(s, QA_REG_GIE), 0);
	assert_false(qa_sim_irq(s));
	qa_sim_step(s, 3000);
	assert_int_equal(rd(s, QA_REG_CTRL), QA_CTRL_AP_IDLE);
	/* and it runs the next job correctly */
	put_gemm(s, 0, 1, 9, 18, 27, 8);
	start(s, 1);
	wait_done(s);
	assert_int_equal(rd(s, QA_REG_STATUS), 0);
	check_gemm(s, 1, 9, 18, 27);
	qa_sim_counters(s, &c);
	assert_int_equal(c.protocol_errors, 0);
}

static void expect_status(struct qa_sim *s, uint32_t count, uint32_t code, uint32_t index)
{
	uint32_t st;

	start(s, count);
	wait_done(s);
	st = rd(s, QA_REG_STATUS);
	if (QA_STATUS_CODE(st) != code || QA_STATUS_INDEX(st) != index)
		fail_msg("STATUS 0x%08x, expected code %u index %u", st, code, index);
}

static void patch(struct qa_sim *s, uint32_t idx, void (*fn)(struct qa_desc *))
{
	uint8_t *p = qa_sim_mem_ptr(s, NULL) + DESC_AT + idx * QA_DESC_SIZE;
	struct qa_desc d;

	qa_desc_decode(p, &d);
	fn(&d);
	qa_desc_encode(&d, p);
}

static void bad_magic(struct qa_desc *d) { d->header ^= 0x10000u; }
static void bad_opcode(struct qa_desc *d) { d->header = QA_DESC_HEADER(9); }
static void bad_type(struct qa_desc *d) { d->in_type = 2; }
static void bad_flags(struct qa_desc *d) { d->flags = 0x80; }
static void zero_dim(struct qa_desc *d) { d->in_c = 0; }
static void gemm_pad(struct qa_desc *d) { d->pad_left = 1; }
static void bad_zp(struct qa_desc *d) { d->in_zp = 200; }
static void too_deep(struct qa_desc *d) { d->in_c = 40000; }
static void far_address(struct qa_desc *d) { d->w_addr = (uint64_t)MEM_MB << 21; }
static void misaligned_out(struct qa_desc *d) { d->out_addr += 2; }
static void conv_bad_outdim(struct qa_desc *d)
{
	d->header = QA_DESC_HEADER(QA_OP_CONV2D);
	d->in_h = 5;
	d->out_h = 5;
	d->kernel_h = 3;
}
static void conv_bad_groups(struct qa_desc *d)
{
	d->header = QA_DESC_HEADER(QA_OP_CONV2D);
	d->groups = 3; /* in_c 6 ok, out_c 4 not divisible */
}
static void int32_with_act(struct qa_desc *d) { d->act_max = 5; }
static void requant_mult(struct qa_desc *d)
{
	d->out_type = QA_DT_INT8;
	d->act_min = -128;
	d->act_max = 127;
	d->mult_addr = 0x40000;
	d->shift_addr = 0x40100;
}

/* The input row's first reduction chunk lies in memory, its second runs off
 * the end (GEMM 1 x 40 x 5000: two chunks, three channel tiles per block, so
 * the array waits for chunk 1 between the passes of a tile). */
static void a_tail_outside(struct qa_desc *d) { d->in_addr = ((uint64_t)MEM_MB << 20) - 2600; }

/* Depthwise 3x3 over 8 x 40 x 16 (line reuse: a ring of input rows), whose
 * last input rows lie past the end of memory. */
static void put_dw_tail_outside(struct qa_sim *s)
{
	uint8_t *mem = qa_sim_mem_ptr(s, NULL);
	struct qa_desc d;

	memset(&d, 0, sizeof(d));
	d.header = QA_DESC_HEADER(QA_OP_CONV2D);
	d.in_type = d.w_type = QA_DT_INT8;
	d.out_type = QA_DT_INT32;
	d.batch = 1;
	d.in_h = d.out_h = 8;
	d.in_w = d.out_w = 40;
	d.in_c = d.out_c = d.groups = 16;
	d.kernel_h = d.kernel_w = 3;
	d.stride_h = d.stride_w = d.dilation_h = d.dilation_w = 1;
	d.pad_top = d.pad_left = d.pad_bottom = d.pad_right = 1;
	d.in_addr = ((uint64_t)MEM_MB << 20) - 3 * 40 * 16;   /* rows 3..7 outside */
	d.w_addr = B_AT;
	d.out_addr = Y_AT;
	qa_desc_encode(&d, mem + DESC_AT);
}

/* Read errors part-way through a layer end the job with BAD_ADDRESS, never a hang. */
static void test_core_fails_cleanly_on_a_read_error_mid_layer(void **state)
{
	struct qa_sim *s = *state;

	put_gemm(s, 0, 0, 1, 40, 5000, 5);
	patch(s, 0, a_tail_outside);
	expect_status(s, 1, QA_ERR_BAD_ADDRESS, 0);
	put_dw_tail_outside(s);
	expect_status(s, 1, QA_ERR_BAD_ADDRESS, 0);
	/* the core is usable again */
	put_gemm(s, 0, 0, 4, 4, 6, 9);
	expect_status(s, 1, QA_ERR_NONE, 0);
	check_gemm(s, 0, 4, 4, 6);
}

static void test_core_rejects_invalid_descriptors(void **state)
{
	struct qa_sim *s = *state;
	uint8_t *mem = qa_sim_mem_ptr(s, NULL);
	static const struct {
		void (*fn)(struct qa_desc *);
		uint32_t code;
	} cases[] = {
		{bad_magic, QA_ERR_BAD_HEADER}, {bad_opcode, QA_ERR_BAD_HEADER},
		{bad_flags, QA_ERR_RESERVED}, {bad_type, QA_ERR_BAD_TYPE},
		{zero_dim, QA_ERR_BAD_SHAPE}, {gemm_pad, QA_ERR_BAD_SHAPE},
		{too_deep, QA_ERR_TOO_DEEP}, {bad_zp, QA_ERR_BAD_QUANT},
		{int32_with_act, QA_ERR_RESERVED}, {far_address, QA_ERR_BAD_ADDRESS},
		{misaligned_out, QA_ERR_BAD_ADDRESS}, {conv_bad_outdim, QA_ERR_BAD_SHAPE},
		{conv_bad_groups, QA_ERR_BAD_SHAPE},
	};
	size_t i;
	int32_t v;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		put_gemm(s, 0, 0, 4, 4, 6, 9);
		put_gemm(s, 1, 1, 4, 4, 6, 10);
		patch(s, 1, cases[i].fn);
		print_message("case %zu: expect code %u\n", i, cases[i].code);
		expect_status(s, 2, cases[i].code, 1);
		check_gemm(s, 0, 4, 4, 6);        /* the valid first descriptor ran */
	}
	/* requant parameters out of range, read by the core from memory */
	put_gemm(s, 0, 0, 4, 4, 6, 11);
	patch(s, 0, requant_mult);
	for (i = 0; i < 4; i++) {
		v = 1 << 30;
		memcpy(mem + 0x40000 + 4 * i, &v, 4);
		v = -5;
		memcpy(mem + 0x40100 + 4 * i, &v, 4);
	}
	expect_status(s, 1, QA_ERR_NONE, 0);
	v = 5;
	memcpy(mem + 0x40000 + 8, &v, 4);
	expect_status(s, 1, QA_ERR_BAD_REQUANT, 0);
	v = 1 << 30;
	memcpy(mem + 0x40000 + 8, &v, 4);
	v = 31;
	memcpy(mem + 0x40100 + 12, &v, 4);
	expect_status(s, 1, QA_ERR_BAD_REQUANT, 0);
	/* a descriptor list outside memory */
	wr(s, QA_REG_DESC_ADDR_LO, 0);
	wr(s, QA_REG_DESC_ADDR_HI, 0x100);
	wr(s, QA_REG_DESC_COUNT, 1);
	wr(s, QA_REG_CTRL, QA_CTRL_AP_START);
	wait_done(s);
	assert_int_equal(QA_STATUS_CODE(rd(s, QA_REG_STATUS)), QA_ERR_BAD_ADDRESS);
	/* zero descriptors: done at once, status clean */
	expect_status(s, 0, QA_ERR_NONE, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_state_and_id_registers),
		cmocka_unit_test(test_ap_done_clears_on_read),
		cmocka_unit_test(test_isr_toggles_on_write_and_gie_gates_irq),
		cmocka_unit_test(test_back_to_back_jobs_with_interrupt),
		cmocka_unit_test(test_no_restart_without_auto_restart),
		cmocka_unit_test(test_reset_in_the_middle_of_a_job),
		cmocka_unit_test(test_core_rejects_invalid_descriptors),
		cmocka_unit_test(test_core_fails_cleanly_on_a_read_error_mid_layer),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
