/* SPDX-License-Identifier: MIT */
/*
 * qaccel xclbin writer and validator, on the structs of XRT's xrt/xclbin.h.
 *
 * The validator treats the file as untrusted: header and section table
 * bounds first, then every section's count against its size, then the
 * cross references (connectivity -> IP layout / memory topology), then the
 * EMBEDDED_METADATA XML's kernel arguments against the register map of
 * include/qaccel_hw.h. It never reads outside [buf, buf + len) and every
 * loop is bounded by the input size, so it is safe on any byte string.
 *
 * Compiled into libqaccel (the xrt backend validates before XRT sees a
 * file) and into tools/qaccel_xclbin.c. Not part of the public API.
 */
#ifndef QA_XCLBIN_FMT_H
#define QA_XCLBIN_FMT_H

#include <stddef.h>
#include <stdint.h>

#define QA_XCLBIN_KERNEL        "qaccel_top"
#define QA_XCLBIN_INSTANCE      "qaccel_top_1"
#define QA_XCLBIN_MAX_ARGS      12
#define QA_XCLBIN_MAX_BANKS     64
#define QA_XCLBIN_MAX_SECTIONS  64   /* ours hold 5; XRT allows 0x10000 */
#define QA_XCLBIN_MAX_SIZE      ((uint64_t)1 << 32)

struct qa_xclbin_arg {
	char name[32];
	uint32_t id;
	uint32_t offset;        /* register offset in the control slave */
	uint32_t size;          /* bytes */
	int global;             /* addressQualifier 1 (m_axi pointer) */
	int bank;               /* mem_topology index it connects to, -1 none */
};

struct qa_xclbin_info {
	uint8_t uuid[16];
	char uuid_str[37];
	char vbnv[65];
	char kernel[64];        /* kernel name, e.g. "qaccel_top" */
	char cu_name[64];       /* IP_LAYOUT name "kernel:instance" */
	uint64_t cu_base;       /* control slave base address */
	uint32_t cu_range;      /* bytes of the slave port */
	unsigned int ip_control; /* enum IP_CONTROL */
	int n_args;
	struct qa_xclbin_arg args[QA_XCLBIN_MAX_ARGS];
	int n_banks;
	char bank_tag[QA_XCLBIN_MAX_BANKS][17];
	int bitstream_kind;     /* BITSTREAM or PDI (enum axlf_section_kind) */
	uint64_t bitstream_size;
	uint32_t array_rows;    /* <qaccel array_rows=.../> in the metadata, 0 absent */
	uint32_t array_cols;
	int placeholder;        /* <qaccel placeholder="1"/>: not a real bitstream */
};

/* What the writer puts in the file. */
struct qa_xclbin_spec {
	const void *bitstream;  /* bitstream (.bit/.bin) or PDI bytes */
	size_t bitstream_len;
	int pdi;                /* 1: PDI section (Versal), 0: BITSTREAM */
	const char *vbnv;       /* platform VBNV, e.g. "xilinx_u250_gen3x16_xdma_4_1_202210_1" */
	const char *kernel;     /* default QA_XCLBIN_KERNEL */
	uint64_t cu_base;       /* kernel control base address */
	const char *bank_tag;   /* memory bank name, default "bank0" */
	uint64_t bank_base;     /* memory bank base address */
	uint64_t bank_size;     /* bytes */
	uint32_t array_rows, array_cols;
	int placeholder;        /* marks the file as carrying no real bitstream */
	const uint8_t *uuid;    /* 16 bytes, NULL: fresh random UUID */
};

/*
 * Validate an xclbin image. `kernel` NULL means QA_XCLBIN_KERNEL. Returns 0
 * and fills *info (may be NULL), or -EINVAL / -ENOENT (kernel not present)
 * with a one-line reason in err.
 */
int qa_xclbin_check(const void *buf, size_t len, const char *kernel,
		    struct qa_xclbin_info *info, char *err, size_t errlen);

/* Build an xclbin in a malloc'd buffer (*out, *out_len). 0 or -errno. */
int qa_xclbin_write(const struct qa_xclbin_spec *spec, uint8_t **out, size_t *out_len,
		    char *err, size_t errlen);

/* Read a whole file (at most max bytes) into a malloc'd buffer. 0 or -errno. */
int qa_xclbin_read_file(const char *path, size_t max, uint8_t **out, size_t *out_len);

/* Human-readable argument map, one line per argument ("arg0 desc_addr ..."). */
int qa_xclbin_format_args(const struct qa_xclbin_info *info, char *dst, size_t len);

#endif /* QA_XCLBIN_FMT_H */
