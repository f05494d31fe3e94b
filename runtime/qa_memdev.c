// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "qa_memdev.h"

/* Scratch beyond the minimum lets B stay packed across many A chunks. */
#define SCRATCH_A_ELEMS ((size_t)2 << 20)
#define SCRATCH_B_ELEMS ((size_t)2 << 20)
#define SCRATCH_ACC_ELEMS ((size_t)1 << 16)
#define MEMDEV_ALIGN 64u

struct memdev_job {
	uint64_t desc_addr;
	uint64_t desc_len;
};

static int parse_args(const char *args, uint64_t *mem_mb)
{
	char *end;
	unsigned long long v;

	*mem_mb = QA_MEMDEV_DEFAULT_MB;
	if (!args || !*args)
		return 0;
	if (strncmp(args, "mem_mb=", 7))
		return -EINVAL;
	errno = 0;
	v = strtoull(args + 7, &end, 10);
	if (errno || *end || end == args + 7 || !v || v > (1ull << 20))
		return -EINVAL;
	*mem_mb = v;
	return 0;
}

int qa_memdev_open(qaccel_device *dev, const char *args, qa_memdev_core_fn core)
{
	struct qa_memdev *md;
	uint64_t mem_mb;
	void *base;
	int err = parse_args(args, &mem_mb);

	if (err)
		return err;
	md = calloc(1, sizeof(*md));
	if (!md)
		return -ENOMEM;
	md->mem.size = mem_mb << 20;
	base = mmap(NULL, md->mem.size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		err = -ENOMEM;
		goto err_free;
	}
	md->mem.base = base;
	err = qa_heap_init(&md->heap, md->mem.size, MEMDEV_ALIGN);
	if (err)
		goto err_unmap;
	md->scratch.a_len = SCRATCH_A_ELEMS;
	md->scratch.b_len = SCRATCH_B_ELEMS;
	md->scratch.acc_len = SCRATCH_ACC_ELEMS;
	md->scratch.a = malloc(md->scratch.a_len * sizeof(int16_t));
	md->scratch.b = malloc(md->scratch.b_len * sizeof(int16_t));
	md->scratch.acc = malloc(md->scratch.acc_len * sizeof(int32_t));
	if (!md->scratch.a || !md->scratch.b || !md->scratch.acc) {
		err = -ENOMEM;
		goto err_scratch;
	}
	md->core = core;
	dev->priv = md;
	return 0;

err_scratch:
	free(md->scratch.a);
	free(md->scratch.b);
	free(md->scratch.acc);
	qa_heap_fini(&md->heap);
err_unmap:
	munmap(md->mem.base, md->mem.size);
err_free:
	free(md);
	return err;
}

void qa_memdev_close(qaccel_device *dev)
{
	struct qa_memdev *md = dev->priv;

	free(md->scratch.a);
	free(md->scratch.b);
	free(md->scratch.acc);
	qa_heap_fini(&md->heap);
	munmap(md->mem.base, md->mem.size);
	free(md);
}

int qa_memdev_info(const qaccel_device *dev, struct qaccel_device_info *info)
{
	const struct qa_memdev *md = dev->priv;

	info->mem_size = md->mem.size;
	info->core_version = QA_CORE_VERSION;
	info->array_rows = md->rows;
	info->array_cols = md->cols;
	info->features = md->features;
	return 0;
}

int qa_memdev_buf_alloc(qaccel_device *dev, qaccel_buffer *buf)
{
	struct qa_memdev *md = dev->priv;

	return qa_heap_alloc(&md->heap, buf->size, &buf->dev_addr);
}

void qa_memdev_buf_free(qaccel_device *dev, qaccel_buffer *buf)
{
	struct qa_memdev *md = dev->priv;
	uint64_t len = (buf->size + MEMDEV_ALIGN - 1) & ~(uint64_t)(MEMDEV_ALIGN - 1);

	/* Give the pages back so a long-lived device does not grow. */
	if (len >= 65536 && !(buf->dev_addr & 4095))
		madvise(md->mem.base + buf->dev_addr, len & ~(uint64_t)4095, MADV_DONTNEED);
	qa_heap_free(&md->heap, buf->dev_addr, buf->size);
}

int qa_memdev_buf_write(qaccel_buffer *buf, uint64_t off, const void *src, size_t len)
{
	struct qa_memdev *md = buf->dev->priv;

	memcpy(md->mem.base + buf->dev_addr + off, src, len);
	return 0;
}

int qa_memdev_buf_read(const qaccel_buffer *buf, uint64_t off, void *dst, size_t len)
{
	const struct qa_memdev *md = buf->dev->priv;

	memcpy(dst, md->mem.base + buf->dev_addr + off, len);
	return 0;
}

/* The core runs synchronously: submit does the work, wait reports it. */
int qa_memdev_submit(qaccel_device *dev, qaccel_job *job)
{
	struct qa_memdev *md = dev->priv;
	struct memdev_job *mj = job->priv;
	struct qa_exec_result res;
	uint64_t len = (uint64_t)job->count * QA_DESC_SIZE;
	int err;

	if (!mj) {
		mj = calloc(1, sizeof(*mj));
		if (!mj)
			return -ENOMEM;
		job->priv = mj;
	}
	if (mj->desc_len != len) {
		if (mj->desc_len)
			qa_heap_free(&md->heap, mj->desc_addr, mj->desc_len);
		mj->desc_len = 0;
		err = qa_heap_alloc(&md->heap, len, &mj->desc_addr);
		if (err)
			return err;
		mj->desc_len = len;
	}
	qa_job_encode(job, md->mem.base + mj->desc_addr);
	md->core(md, mj->desc_addr, job->count, &res, &job->stats);
	job->stats.macs = res.macs;
	if (QA_STATUS_CODE(res.status))
		job->result = qa_job_fail(job, qa_hw_error_to_errno(QA_STATUS_CODE(res.status)),
					  "descriptor %u: %s", QA_STATUS_INDEX(res.status),
					  qa_hw_error_string(QA_STATUS_CODE(res.status)));
	else
		job->result = 0;
	return 0;
}

int qa_memdev_wait(qaccel_device *dev, qaccel_job *job, int64_t timeout_ns)
{
	(void)dev;
	(void)job;
	(void)timeout_ns;
	return 0; /* submit already ran the job to completion */
}

void qa_memdev_job_free(qaccel_device *dev, qaccel_job *job)
{
	struct qa_memdev *md = dev->priv;
	struct memdev_job *mj = job->priv;

	if (!mj)
		return;
	if (mj->desc_len)
		qa_heap_free(&md->heap, mj->desc_addr, mj->desc_len);
	free(mj);
	job->priv = NULL;
}
