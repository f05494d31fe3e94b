/* SPDX-License-Identifier: MIT */
/*
 * libqaccel: run quantized (int8/uint8) GEMM and 2-D convolution on the
 * qaccel accelerator or any of its bit-exact executors.
 *
 * Conventions: every function returns 0 or a negative errno (see
 * qaccel_strerror()); handles are opaque; the library never prints, never
 * exits and keeps no global state. A device may be used from several
 * threads; a job or buffer from one thread at a time.
 */
#ifndef QACCEL_H
#define QACCEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QACCEL_VERSION_MAJOR 0
#define QACCEL_VERSION_MINOR 1
#define QACCEL_VERSION_PATCH 0
#define QACCEL_VERSION_NUMBER \
	((QACCEL_VERSION_MAJOR << 16) | (QACCEL_VERSION_MINOR << 8) | QACCEL_VERSION_PATCH)

typedef struct qaccel_device qaccel_device;
typedef struct qaccel_buffer qaccel_buffer;
typedef struct qaccel_job qaccel_job;

/* Element types. INT32 is an output type only (raw accumulators). */
enum qaccel_dtype {
	QACCEL_INT8 = 0,
	QACCEL_UINT8 = 1,
	QACCEL_INT32 = 2,
};

/* A tensor is a byte offset into a buffer; buf == NULL means "absent". */
struct qaccel_tensor {
	qaccel_buffer *buf;
	uint64_t offset;
};

/* Operands of one layer. bias, multiplier, shift: int32[out channels]. */
struct qaccel_operands {
	struct qaccel_tensor input;
	struct qaccel_tensor weights;
	struct qaccel_tensor bias;       /* optional */
	struct qaccel_tensor multiplier; /* required unless out_type is INT32 */
	struct qaccel_tensor shift;      /* required unless out_type is INT32 */
	struct qaccel_tensor output;
};

/*
 * Quantization of one layer (TFLite/gemmlowp semantics):
 *   acc = bias[n] + sum_k (x - in_zp) * (w - w_zp)
 *   y   = clamp(MultiplyByQuantizedMultiplier(acc, mult[n], shift[n]) + out_zp,
 *               act_min, act_max)
 * For out_type INT32, y = acc and out_zp/act_min/act_max must be 0.
 */
struct qaccel_quant {
	enum qaccel_dtype in_type;  /* INT8 or UINT8 */
	enum qaccel_dtype w_type;   /* INT8 or UINT8 */
	enum qaccel_dtype out_type; /* INT8, UINT8 or INT32 */
	int32_t in_zp;
	int32_t w_zp;
	int32_t out_zp;
	int32_t act_min;
	int32_t act_max;
};

/* Y[m][n] = A[m][k] x B[k][n], all row-major. */
struct qaccel_gemm {
	uint32_t m, n, k;
};

/*
 * NHWC input, OHWI weights ([out_c][kernel_h][kernel_w][in_c/groups]),
 * NHWC output. Zero stride/dilation are rejected; use 1.
 */
struct qaccel_conv2d {
	uint32_t batch, in_h, in_w, in_c, out_c;
	uint32_t kernel_h, kernel_w;
	uint32_t stride_h, stride_w;
	uint32_t dilation_h, dilation_w;
	uint32_t pad_top, pad_left, pad_bottom, pad_right;
	uint32_t groups;
};

struct qaccel_device_info {
	char backend[16];     /* "ref", "hls", "sim", "xrt", "kdrv" */
	char name[64];        /* what was opened, e.g. "xrt:0" */
	uint32_t core_version;
	uint32_t array_rows;  /* MAC array geometry, 0 for CPU executors */
	uint32_t array_cols;
	uint32_t features;
	uint64_t mem_size;    /* bytes of device address space */
	int has_cycle_counter;
	char detail[1024];    /* backend-specific lines (card, xclbin UUID, arg map...) */
};

struct qaccel_job_stats {
	uint64_t macs;        /* useful multiply-accumulates */
	uint64_t cycles;      /* core cycles (0 when has_cycles == 0) */
	uint64_t stall_cycles;
	double utilization;   /* macs / (rows * cols * cycles), 0 when unknown */
	uint64_t wall_ns;     /* host time from submit to completion */
	int has_cycles;
};

/* ---- devices ---------------------------------------------------------- */

/*
 * Opens a device by name: "ref", "hls", "sim", "xrt[:N]", "kdrv[:N]".
 * NULL or "" means $QACCEL_DEVICE, else "ref". Unknown or unbuilt backends
 * give -ENODEV.
 */
int qaccel_open(const char *name, qaccel_device **out);
/* qaccel_open() that also explains a failure in `why` (a one-line reason, "" on success). */
int qaccel_open_diag(const char *name, qaccel_device **out, char *why, size_t why_len);
void qaccel_close(qaccel_device *dev);
int qaccel_device_info(const qaccel_device *dev, struct qaccel_device_info *info);

/* Backends compiled into this library, in order of preference (index >= count: NULL). */
int qaccel_backend_count(void);
const char *qaccel_backend_name(int index);

/* ---- buffers ---------------------------------------------------------- */

int qaccel_buffer_alloc(qaccel_device *dev, size_t size, qaccel_buffer **out);
void qaccel_buffer_free(qaccel_buffer *buf);
size_t qaccel_buffer_size(const qaccel_buffer *buf);
/* -ERANGE when [offset, offset + len) is not inside the buffer. */
int qaccel_buffer_write(qaccel_buffer *buf, size_t offset, const void *src, size_t len);
int qaccel_buffer_read(const qaccel_buffer *buf, size_t offset, void *dst, size_t len);

/* ---- jobs: a descriptor list run from one doorbell --------------------- */

int qaccel_job_create(qaccel_device *dev, qaccel_job **out);
void qaccel_job_free(qaccel_job *job);
/* Append a layer; parameters are validated here (-EINVAL, -ERANGE, -EOVERFLOW). */
int qaccel_job_add_gemm(qaccel_job *job, const struct qaccel_gemm *shape,
			const struct qaccel_quant *quant, const struct qaccel_operands *ops);
int qaccel_job_add_conv2d(qaccel_job *job, const struct qaccel_conv2d *shape,
			  const struct qaccel_quant *quant, const struct qaccel_operands *ops);
/* Output spatial size of a convolution; -EINVAL when the kernel does not fit. */
int qaccel_conv2d_output_size(const struct qaccel_conv2d *shape, uint32_t *out_h,
			      uint32_t *out_w);
/* Number of layers in the job. */
int qaccel_job_count(const qaccel_job *job);
/* Run the job; it may be submitted again once it has been waited for. */
int qaccel_job_submit(qaccel_job *job);
/* timeout_ns < 0 waits forever; -ETIMEDOUT leaves the job running. */
int qaccel_job_wait(qaccel_job *job, int64_t timeout_ns);
int qaccel_job_stats(const qaccel_job *job, struct qaccel_job_stats *stats);
/* Why the last call on this job failed, in words ("" when it did not). */
const char *qaccel_job_error(const qaccel_job *job);

/* ---- numerics ---------------------------------------------------------- */

/*
 * TFLite QuantizeMultiplier: scale = mult * 2^(shift - 31) with mult in
 * [2^30, 2^31) (or 0 for scale 0) and shift in [-31, 30]. -EINVAL for
 * negative, NaN or infinite scales.
 */
int qaccel_quantize_multiplier(double scale, int32_t *mult, int32_t *shift);

/* ---- board discovery (flattened device tree) ---------------------------- */

#define QACCEL_DT_COMPATIBLE "qaccel,qaccel-1.0"

struct qaccel_dt_instance {
	char path[256];       /* node path, e.g. "/amba/qaccel@a0000000" */
	uint64_t base;        /* CPU physical address of the register space */
	uint64_t size;        /* bytes of register space */
	uint32_t irq[3];      /* raw interrupt specifier cells */
	uint32_t irq_cells;   /* 0 when the node has no interrupts */
	uint32_t array_rows;  /* qaccel,array-rows (0 when absent) */
	uint32_t array_cols;  /* qaccel,array-cols (0 when absent) */
	int dma_coherent;
};

/*
 * Finds every enabled QACCEL_DT_COMPATIBLE node of an untrusted DTB, with
 * `reg` translated through the parents' ranges. Fills at most `max`
 * entries and returns how many exist (may exceed max), or -EINVAL for a
 * malformed blob.
 */
int qaccel_dt_discover(const void *blob, size_t blob_size, struct qaccel_dt_instance *out,
		       int max);

const char *qaccel_strerror(int err);
const char *qaccel_version_string(void);

#ifdef __cplusplus
}
#endif

#endif /* QACCEL_H */
