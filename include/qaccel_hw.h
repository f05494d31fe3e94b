/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * qaccel hardware ABI: the AXI4-Lite register map and the binary job
 * descriptor. One header for C userspace, the Linux kernel and Vitis HLS:
 * every executor (CPU reference, HLS kernel, RTL core, the driver's emulated
 * device) consumes exactly these bytes.
 *
 * All multi-byte fields are little-endian. Device addresses in a descriptor
 * are byte offsets from the "memory base" kernel argument (MEM_BASE): the
 * core reads/writes MEM_BASE + addr.
 */
#ifndef QACCEL_HW_H
#define QACCEL_HW_H

#if defined(__KERNEL__)
#include <linux/types.h>
#include <linux/build_bug.h>
#define QA_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#include <stdint.h>
#if defined(__cplusplus)
#define QA_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#define QA_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif
#endif

/* ---------------------------------------------------------------------------
 * Register map (Vitis HLS ap_ctrl_hs s_axilite layout, DESIGN.md section 4).
 * 64-bit arguments take lo, hi, reserved (stride 0x0C); 32-bit ones take
 * value, reserved (stride 0x08). Read-only outputs follow the arguments with
 * the layout HLS gives an ap_vld output: data word(s), then a control word.
 * ------------------------------------------------------------------------- */
#define QA_REG_CTRL            0x00u
#define QA_CTRL_AP_START       (1u << 0) /* W1, self-clearing */
#define QA_CTRL_AP_DONE        (1u << 1) /* clear on read */
#define QA_CTRL_AP_IDLE        (1u << 2)
#define QA_CTRL_AP_READY       (1u << 3)
#define QA_CTRL_AUTO_RESTART   (1u << 7)
#define QA_REG_GIE             0x04u /* bit0: global interrupt enable */
#define QA_REG_IER             0x08u /* bit0 done, bit1 ready */
#define QA_REG_ISR             0x0Cu /* toggle-on-write */
#define QA_IRQ_DONE            (1u << 0)
#define QA_IRQ_READY           (1u << 1)

#define QA_REG_DESC_ADDR_LO    0x10u /* arg0: u64 descriptor list address */
#define QA_REG_DESC_ADDR_HI    0x14u
#define QA_REG_DESC_COUNT      0x1Cu /* arg1: u32 descriptor count */
#define QA_REG_MEM_BASE_LO     0x24u /* arg2: u64 memory base */
#define QA_REG_MEM_BASE_HI     0x28u

#define QA_REG_VERSION         0x30u /* ro: core version (QA_CORE_VERSION) */
#define QA_REG_CONFIG          0x38u /* ro: rows[7:0] cols[15:8] features[31:16] */
#define QA_REG_CYCLES_LO       0x40u /* ro: u64 cycles of the last run */
#define QA_REG_CYCLES_HI       0x44u
#define QA_REG_MACS_LO         0x4Cu /* ro: u64 useful MACs of the last run */
#define QA_REG_MACS_HI         0x50u
#define QA_REG_STALLS_LO       0x58u /* ro: u64 cycles without an array step */
#define QA_REG_STALLS_HI       0x5Cu
#define QA_REG_STATUS          0x64u /* ro: QA_STATUS_* of the last run */
#define QA_REG_SPAN            0x70u /* bytes of register space decoded */

/* STATUS: error code in [15:0] (0 = ok), index of the failing descriptor in [31:16]. */
#define QA_STATUS_CODE(s)      ((s) & 0xFFFFu)
#define QA_STATUS_INDEX(s)     (((s) >> 16) & 0xFFFFu)
#define QA_STATUS_MAKE(c, i)   ((uint32_t)(c) | ((uint32_t)(i) << 16))

#define QA_CONFIG_ROWS(c)      ((c) & 0xFFu)
#define QA_CONFIG_COLS(c)      (((c) >> 8) & 0xFFu)
#define QA_CONFIG_FEATURES(c)  ((c) >> 16)
#define QA_FEAT_DEPTHWISE      (1u << 0) /* depthwise runs channel-parallel */
#define QA_FEAT_INT32_OUT      (1u << 1)

#define QA_CORE_VERSION        0x00010000u /* 1.0.0: major[31:16] minor[15:8] patch[7:0] */

/* Error codes an executor reports in STATUS (and, negated, as errno-like values). */
enum qa_hw_error {
	QA_ERR_NONE = 0,
	QA_ERR_BAD_HEADER = 1,     /* magic, version or opcode unknown */
	QA_ERR_BAD_TYPE = 2,       /* dtype field out of range */
	QA_ERR_BAD_SHAPE = 3,      /* zero dim, inconsistent output dims, groups */
	QA_ERR_BAD_QUANT = 4,      /* zero point / activation range out of type */
	QA_ERR_BAD_REQUANT = 5,    /* multiplier or shift out of range */
	QA_ERR_BAD_ADDRESS = 6,    /* operand outside memory or misaligned */
	QA_ERR_TOO_DEEP = 7,       /* reduction depth could overflow int32 */
	QA_ERR_RESERVED = 8,       /* reserved field or flag bit not zero */
	QA_ERR_COUNT
};

/* ---------------------------------------------------------------------------
 * Descriptor
 * ------------------------------------------------------------------------- */
#define QA_DESC_MAGIC          0x5141u /* "QA" */
#define QA_DESC_VERSION        1u
#define QA_DESC_HEADER(op)     ((uint32_t)(QA_DESC_MAGIC << 16) | (QA_DESC_VERSION << 8) | (op))
#define QA_DESC_HDR_MAGIC(h)   ((h) >> 16)
#define QA_DESC_HDR_VERSION(h) (((h) >> 8) & 0xFFu)
#define QA_DESC_HDR_OPCODE(h)  ((h) & 0xFFu)

enum qa_opcode {
	QA_OP_GEMM = 1,   /* Y[M][N] = A[M][K] x B[K][N] */
	QA_OP_CONV2D = 2, /* NHWC x OHWI -> NHWC, groups, dilation, 4-sided pad */
};

enum qa_dtype {
	QA_DT_INT8 = 0,
	QA_DT_UINT8 = 1,
	QA_DT_INT32 = 2, /* output only: raw accumulators, no requantization */
};

#define QA_DESC_F_BIAS         (1u << 0) /* bias_addr is valid */
#define QA_DESC_F_KNOWN        (QA_DESC_F_BIAS)

#define QA_DESC_ALIGN          8u   /* descriptor list alignment */
#define QA_MAX_REDUCTION       33025u /* 33025 * 255 * 255 < 2^31: acc never wraps */
#define QA_MAX_DIM             65535u /* every dim/geometry field fits 16 bits */

/*
 * For QA_OP_GEMM: batch = 1, in_h = M, in_w = 1, in_c = K, out_c = N,
 * out_h = M, out_w = 1, kernel/stride/dilation = 1, pads = 0, groups = 1.
 * A is row-major [M][K], B is row-major [K][N], Y is row-major [M][N].
 *
 * For QA_OP_CONV2D: input [batch][in_h][in_w][in_c], weights
 * [out_c][kernel_h][kernel_w][in_c / groups], output [batch][out_h][out_w][out_c],
 * out_h = (in_h + pad_top + pad_bottom - dilation_h*(kernel_h-1) - 1) / stride_h + 1.
 *
 * bias, multiplier, shift: int32[out_c], 4-byte aligned. multiplier/shift
 * are ignored for out_type == QA_DT_INT32 (act_min/act_max too).
 */
struct qa_desc {
	uint32_t header;     /* 0x00 QA_DESC_HEADER(opcode) */
	uint8_t in_type;     /* 0x04 enum qa_dtype (int8/uint8) */
	uint8_t w_type;      /* 0x05 enum qa_dtype (int8/uint8) */
	uint8_t out_type;    /* 0x06 enum qa_dtype */
	uint8_t flags;       /* 0x07 QA_DESC_F_* */
	uint32_t batch;      /* 0x08 */
	uint32_t in_h;       /* 0x0C */
	uint32_t in_w;       /* 0x10 */
	uint32_t in_c;       /* 0x14 */
	uint32_t out_h;      /* 0x18 */
	uint32_t out_w;      /* 0x1C */
	uint32_t out_c;      /* 0x20 */
	uint32_t groups;     /* 0x24 */
	uint16_t kernel_h;   /* 0x28 */
	uint16_t kernel_w;   /* 0x2A */
	uint16_t stride_h;   /* 0x2C */
	uint16_t stride_w;   /* 0x2E */
	uint16_t dilation_h; /* 0x30 */
	uint16_t dilation_w; /* 0x32 */
	uint16_t pad_top;    /* 0x34 */
	uint16_t pad_left;   /* 0x36 */
	uint16_t pad_bottom; /* 0x38 */
	uint16_t pad_right;  /* 0x3A */
	int32_t in_zp;       /* 0x3C */
	int32_t w_zp;        /* 0x40 */
	int32_t out_zp;      /* 0x44 */
	int32_t act_min;     /* 0x48 */
	int32_t act_max;     /* 0x4C */
	uint64_t in_addr;    /* 0x50 */
	uint64_t w_addr;     /* 0x58 */
	uint64_t bias_addr;  /* 0x60 */
	uint64_t mult_addr;  /* 0x68 */
	uint64_t shift_addr; /* 0x70 */
	uint64_t out_addr;   /* 0x78 */
};

#define QA_DESC_SIZE 128u
QA_STATIC_ASSERT(sizeof(struct qa_desc) == QA_DESC_SIZE, "descriptor is 128 bytes");
#define QA_DESC_OFF_CHECK(f, o) \
	QA_STATIC_ASSERT(__builtin_offsetof(struct qa_desc, f) == (o), #f " at " #o)
QA_DESC_OFF_CHECK(header, 0x00);
QA_DESC_OFF_CHECK(in_type, 0x04);
QA_DESC_OFF_CHECK(flags, 0x07);
QA_DESC_OFF_CHECK(batch, 0x08);
QA_DESC_OFF_CHECK(out_c, 0x20);
QA_DESC_OFF_CHECK(groups, 0x24);
QA_DESC_OFF_CHECK(kernel_h, 0x28);
QA_DESC_OFF_CHECK(pad_right, 0x3A);
QA_DESC_OFF_CHECK(in_zp, 0x3C);
QA_DESC_OFF_CHECK(act_max, 0x4C);
QA_DESC_OFF_CHECK(in_addr, 0x50);
QA_DESC_OFF_CHECK(out_addr, 0x78);

#endif /* QACCEL_HW_H */
