/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * Freestanding descriptor executor: runs a qaccel descriptor list out of a
 * memory image, exactly as the hardware does. Needs nothing beyond
 * <stdint.h>/<stddef.h> (or <linux/types.h> in the kernel): no allocation,
 * no I/O, no globals. The caller owns the memory image and the scratch.
 */
#ifndef QA_EXEC_H
#define QA_EXEC_H

#include "qaccel_hw.h"

#if defined(__KERNEL__)
#include <linux/stddef.h>
#else
#include <stddef.h>
#endif

/* Micro-tile of the CPU GEMM: MR rows x NR columns of int32 accumulators. */
#define QA_EXEC_MR 4
#define QA_EXEC_NR 16

/* Smallest scratch that can run any valid descriptor (one panel of full depth). */
#define QA_EXEC_SCRATCH_A_MIN ((size_t)QA_EXEC_MR * (QA_MAX_REDUCTION + 1))
#define QA_EXEC_SCRATCH_B_MIN ((size_t)QA_EXEC_NR * (QA_MAX_REDUCTION + 1))

/* Scratch the caller provides; more than the minimum means fewer repacks. */
struct qa_exec_scratch {
	int16_t *a;      /* packed activations */
	size_t a_len;    /* elements, >= QA_EXEC_SCRATCH_A_MIN */
	int16_t *b;      /* packed weights */
	size_t b_len;    /* elements, >= QA_EXEC_SCRATCH_B_MIN */
	int32_t *acc;    /* depthwise accumulators; may be NULL */
	size_t acc_len;  /* elements */
};

struct qa_exec_mem {
	uint8_t *base;   /* byte 0 of the device address space */
	uint64_t size;   /* bytes addressable from base */
};

struct qa_exec_result {
	uint32_t status; /* QA_STATUS_MAKE(code, descriptor index); 0 = ok */
	uint64_t macs;   /* useful multiply-accumulates performed */
};

/* Decode 128 little-endian bytes into a descriptor. */
void qa_desc_decode(const uint8_t *src, struct qa_desc *d);
/* Encode a descriptor as 128 little-endian bytes. */
void qa_desc_encode(const struct qa_desc *d, uint8_t *dst);

/* Reduction depth (K) of one output element; 0 for a malformed geometry. */
uint64_t qa_desc_reduction(const struct qa_desc *d);
/* Useful MACs of a descriptor. */
uint64_t qa_desc_macs(const struct qa_desc *d);

/*
 * Checks everything about one descriptor that does not need the memory
 * contents: header, types, shapes, zero points, ranges. Returns QA_ERR_*.
 */
int qa_desc_check_fields(const struct qa_desc *d);
/*
 * Checks a descriptor against a memory image: every operand in bounds and
 * aligned, the output overlapping no input, multipliers/shifts in range.
 * Returns QA_ERR_*.
 */
int qa_desc_check(const struct qa_desc *d, const struct qa_exec_mem *mem);

/* The six operands, in the order of their address fields (0x50 + 8 * operand). */
enum qa_operand {
	QA_OPND_IN, QA_OPND_W, QA_OPND_BIAS, QA_OPND_MULT, QA_OPND_SHIFT, QA_OPND_OUT,
	QA_OPND_COUNT
};
#define QA_DESC_ADDR_OFFSET(o) (0x50u + 8u * (unsigned int)(o))

/* Byte length of each operand of a valid descriptor (0 when unused). */
struct qa_desc_extents {
	uint64_t len[QA_OPND_COUNT];
};
int qa_desc_extents(const struct qa_desc *d, struct qa_desc_extents *e);
uint64_t qa_desc_operand_addr(const struct qa_desc *d, unsigned int o);
void qa_desc_set_operand_addr(struct qa_desc *d, unsigned int o, uint64_t addr);
/* Required alignment of an operand's address: 4 for int32 vectors/outputs, else 1. */
unsigned int qa_desc_operand_align(const struct qa_desc *d, unsigned int o);
/*
 * Checks a whole descriptor list against a memory image (list in bounds and
 * aligned, every descriptor valid, no output over the list). Returns the
 * STATUS word: 0, or QA_STATUS_MAKE(code, index) of the first failure.
 */
uint32_t qa_exec_check_list(const struct qa_exec_mem *mem, uint64_t desc_addr, uint32_t count);

/*
 * Validates all `count` descriptors at `desc_addr`, then executes them in
 * order. Nothing is written if any descriptor is invalid.
 */
void qa_exec_run(const struct qa_exec_mem *mem, const struct qa_exec_scratch *scratch,
		 uint64_t desc_addr, uint32_t count, struct qa_exec_result *res);

#endif /* QA_EXEC_H */
