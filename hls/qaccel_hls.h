/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * qaccel HLS kernel: compile-time geometry, the top function and the cycle
 * model. The same header serves Vitis HLS (synthesis, csim, cosim), the
 * natively compiled `hls` backend of libqaccel and the csim testbench.
 *
 * Tiling (see hls/README.md for the derivation):
 *   - MAC array QA_HLS_ROWS x QA_HLS_COLS (16x16): one II=1 cycle does
 *     ROWS*COLS multiply-accumulates on one ROWS x COLS sub-tile.
 *   - Output block QA_HLS_TM x QA_HLS_TN (64x64) held in on-chip
 *     accumulators, i.e. (TM/ROWS)*(TN/COLS) = 16 sub-tiles time-shared on
 *     the array. That reuse makes the kernel compute-bound: per reduction
 *     step the array runs 16 cycles while the loaders fetch (TM+TN) bytes in
 *     (TM+TN)/QA_HLS_BEAT = 8 AXI beats.
 *   - Reduction chunk QA_HLS_TK (256): the depth of the A/B tile buffers.
 */
#ifndef QACCEL_HLS_H
#define QACCEL_HLS_H

#include "qaccel_hw.h"

#ifndef QA_HLS_ROWS
#define QA_HLS_ROWS 16 /* MAC array rows (output pixels / GEMM rows) */
#endif
#ifndef QA_HLS_COLS
#define QA_HLS_COLS 16 /* MAC array columns (output channels) */
#endif
#ifndef QA_HLS_TM
#define QA_HLS_TM 64   /* output block rows, multiple of QA_HLS_ROWS */
#endif
#ifndef QA_HLS_TN
#define QA_HLS_TN 64   /* output block columns, multiple of QA_HLS_COLS */
#endif
#ifndef QA_HLS_TK
#define QA_HLS_TK 256  /* reduction chunk (depth of the tile buffers) */
#endif
#ifndef QA_HLS_BEAT
#define QA_HLS_BEAT 16 /* bytes per AXI beat of the data port (128-bit m_axi) */
#endif

#if QA_HLS_TN > QA_HLS_TM
#error "qaccel HLS tile geometry: the depthwise patch holds TN input channels in TM slots"
#endif
#if QA_HLS_TM % QA_HLS_ROWS || QA_HLS_TN % QA_HLS_COLS || QA_HLS_TK % QA_HLS_BEAT || \
	QA_HLS_TM % QA_HLS_BEAT || QA_HLS_TN % QA_HLS_BEAT || QA_HLS_ROWS > 255 || QA_HLS_COLS > 255
#error "qaccel HLS tile geometry: TM/TN must be multiples of ROWS/COLS and of BEAT"
#endif

/* Cycle-model constants (latencies a csynth report shows as loop/pipeline depth). */
#define QA_HLS_AXI_LATENCY   64u /* first beat of a read burst sequence */
#define QA_HLS_MAC_DEPTH      6u /* operand read, 9x9 multiply (DSP, 3 stages), add, write */
#define QA_HLS_STORE_DEPTH   12u /* bias add, 32x32 SRDHM, rounding shift, clamp, write */
#define QA_HLS_DESC_BEATS    32u /* 128-byte descriptor over the 32-bit descriptor port */

/* Features advertised in QA_REG_CONFIG[31:16]. */
#define QA_HLS_FEATURES (QA_FEAT_INT32_OUT | QA_FEAT_DEPTHWISE)

/*
 * The Vitis HLS top function. Argument order = register order of
 * include/qaccel_hw.h: desc_addr 0x10, desc_count 0x1C, mem_base 0x24, then
 * the read-only outputs version 0x30, config 0x38, cycles 0x40, macs 0x4C,
 * stalls 0x58, status 0x64. All descriptor addresses are offsets from mem_base.
 */
void qaccel_top(const uint8_t *desc_addr, uint32_t desc_count, uint8_t *mem_base,
		uint32_t *version, uint32_t *config, uint64_t *cycles, uint64_t *macs,
		uint64_t *stalls, uint32_t *status);

/* Modelled cost of one descriptor (what csynth reports at II=1, in kernel cycles). */
struct qa_hls_cost {
	uint64_t cycles;     /* fetch + validation + tile pipeline, per the model */
	uint64_t mac_cycles; /* cycles the MAC array issues (II=1 iterations) */
	uint64_t steps;      /* load/compute/store dataflow invocations */
	uint64_t macs;       /* useful MACs */
};

/*
 * Closed-form cycle estimate of a descriptor that passes qa_desc_check_fields.
 * Returns 0, or the QA_ERR_* code that makes the descriptor invalid (cost untouched).
 */
int qa_hls_estimate(const struct qa_desc *d, struct qa_hls_cost *cost);

#endif /* QACCEL_HLS_H */
