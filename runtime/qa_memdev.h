/* SPDX-License-Identifier: MIT */
/*
 * A device whose memory is a host memory image and whose core is a C
 * function that runs a descriptor list out of it: the `ref` backend (the
 * freestanding executor) and the `hls` backend (the HLS top compiled
 * natively) are both this, with a different core.
 */
#ifndef QA_MEMDEV_H
#define QA_MEMDEV_H

#include "qa_internal.h"
#include "qa_heap.h"
#include "exec/qa_exec.h"

struct qa_memdev;

/* Runs count descriptors at desc_addr; fills status/macs and, if modelled, cycles. */
typedef void (*qa_memdev_core_fn)(struct qa_memdev *md, uint64_t desc_addr, uint32_t count,
				  struct qa_exec_result *res, struct qaccel_job_stats *stats);

struct qa_memdev {
	struct qa_exec_mem mem;
	struct qa_heap heap;
	struct qa_exec_scratch scratch;
	qa_memdev_core_fn core;
	uint32_t rows, cols;         /* modelled array, 0 for the CPU */
	uint32_t features;
};

/* Default address space: reserved, committed only where touched. */
#define QA_MEMDEV_DEFAULT_MB 2048u

/* args: "" or "mem_mb=N". */
int qa_memdev_open(qaccel_device *dev, const char *args, qa_memdev_core_fn core);
void qa_memdev_close(qaccel_device *dev);
int qa_memdev_info(const qaccel_device *dev, struct qaccel_device_info *info);
int qa_memdev_buf_alloc(qaccel_device *dev, qaccel_buffer *buf);
void qa_memdev_buf_free(qaccel_device *dev, qaccel_buffer *buf);
int qa_memdev_buf_write(qaccel_buffer *buf, uint64_t off, const void *src, size_t len);
int qa_memdev_buf_read(const qaccel_buffer *buf, uint64_t off, void *dst, size_t len);
int qa_memdev_submit(qaccel_device *dev, qaccel_job *job);
int qa_memdev_wait(qaccel_device *dev, qaccel_job *job, int64_t timeout_ns);
void qa_memdev_job_free(qaccel_device *dev, qaccel_job *job);

#define QA_MEMDEV_OPS                          \
	.close = qa_memdev_close,              \
	.info = qa_memdev_info,                \
	.buf_alloc = qa_memdev_buf_alloc,      \
	.buf_free = qa_memdev_buf_free,        \
	.buf_write = qa_memdev_buf_write,      \
	.buf_read = qa_memdev_buf_read,        \
	.submit = qa_memdev_submit,            \
	.wait = qa_memdev_wait,                \
	.job_free = qa_memdev_job_free

#endif /* QA_MEMDEV_H */
