// SPDX-License-Identifier: MIT
/*
 * `kdrv`: the Linux kernel driver's device node (/dev/qaccelN, driver/).
 *
 * Buffers are driver BOs mapped with mmap(MAP_SHARED). Descriptors go to
 * the driver with operands named QACCEL_ADDR(index into the job's BO list,
 * offset); the driver checks them and patches device addresses into its
 * own copy, so no device address ever reaches this process. The buffer's
 * dev_addr here is only a unique tag (handle << 40) for the library's
 * alignment and aliasing checks.
 *
 * Open names: "kdrv" (= /dev/qaccel0), "kdrv:N", "kdrv:/dev/path".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "qa_internal.h"
#include "exec/qa_exec.h"
#include "qaccel_ioctl.h"

struct kdrv_dev {
	int fd;
	char path[64];
	struct qaccel_query_version version;
	struct qaccel_query_array array;
	struct qaccel_query_features features;
	struct qaccel_query_limits limits;
};

struct kdrv_buf {
	uint32_t handle;
	void *map;
	size_t map_len;
};

struct kdrv_job {
	uint32_t desc_handle;
	void *desc_map;
	size_t desc_len;
	uint32_t job_id;
};

static int kdrv_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret;

	do
		ret = ioctl(fd, cmd, arg);
	while (ret < 0 && (errno == EINTR || errno == EAGAIN));
	return ret < 0 ? -errno : 0;
}

static int kdrv_query(int fd, uint32_t type, void *dst, uint32_t size)
{
	struct qaccel_query q = { .type = type, .size = size, .ptr = (uint64_t)(uintptr_t)dst };

	return kdrv_ioctl(fd, QACCEL_IOCTL_QUERY, &q);
}

static int kdrv_open(qaccel_device *dev, const char *args)
{
	struct kdrv_dev *kd;
	int err;

	kd = calloc(1, sizeof(*kd));
	if (!kd)
		return -ENOMEM;
	if (!args || !*args)
		snprintf(kd->path, sizeof(kd->path), "/dev/qaccel0");
	else if (args[0] == '/')
		snprintf(kd->path, sizeof(kd->path), "%s", args);
	else if (strspn(args, "0123456789") == strlen(args) && strlen(args) < 4)
		snprintf(kd->path, sizeof(kd->path), "/dev/qaccel%s", args);
	else {
		snprintf(dev->error, sizeof(dev->error),
			 "kdrv takes an instance number or a device path, not '%s'", args);
		err = -EINVAL;
		goto err_free;
	}
	kd->fd = open(kd->path, O_RDWR | O_CLOEXEC);
	if (kd->fd < 0) {
		int e = errno;

		err = e == ENOENT || e == ENXIO ? -ENODEV : -e;
		snprintf(dev->error, sizeof(dev->error), "%s: %s%s", kd->path, strerror(e),
			 err == -ENODEV ? " (is the qaccel module loaded?)" : "");
		goto err_free;
	}
	err = kdrv_query(kd->fd, QACCEL_QUERY_VERSION, &kd->version, sizeof(kd->version));
	if (!err && kd->version.uapi_major != QACCEL_UAPI_VERSION_MAJOR) {
		snprintf(dev->error, sizeof(dev->error), "%s speaks UAPI %u, this library %u",
			 kd->path, kd->version.uapi_major, QACCEL_UAPI_VERSION_MAJOR);
		err = -EPROTO;
	}
	if (!err)
		err = kdrv_query(kd->fd, QACCEL_QUERY_ARRAY, &kd->array, sizeof(kd->array));
	if (!err)
		err = kdrv_query(kd->fd, QACCEL_QUERY_FEATURES, &kd->features,
				 sizeof(kd->features));
	if (!err)
		err = kdrv_query(kd->fd, QACCEL_QUERY_LIMITS, &kd->limits, sizeof(kd->limits));
	if (err)
		goto err_close;
	dev->priv = kd;
	return 0;

err_close:
	close(kd->fd);
err_free:
	free(kd);
	return err;
}

static void kdrv_close(qaccel_device *dev)
{
	struct kdrv_dev *kd = dev->priv;

	close(kd->fd); /* the driver frees every BO and job of this file */
	free(kd);
}

static int kdrv_info(const qaccel_device *dev, struct qaccel_device_info *info)
{
	const struct kdrv_dev *kd = dev->priv;
	uint64_t f = kd->features.features;

	info->core_version = kd->version.core_version;
	info->array_rows = kd->array.rows;
	info->array_cols = kd->array.cols;
	info->features = kd->features.core_features;
	info->mem_size = kd->limits.max_bo_size;
	info->has_cycle_counter = !!(f & QACCEL_FEATURE_CYCLES);
	snprintf(info->detail, sizeof(info->detail),
		 "node: %s\nuapi: %u.%u\ncore: %s\ncompletion: %s\nmax BO: %llu bytes\n"
		 "max BOs per job: %u\nmax descriptors per job: %u\n",
		 kd->path, kd->version.uapi_major, kd->version.uapi_minor,
		 f & QACCEL_FEATURE_EMULATED ? "emulated in the kernel (CPU executor)" : "hardware",
		 f & QACCEL_FEATURE_IRQ ? "interrupt" : "polling",
		 (unsigned long long)kd->limits.max_bo_size, kd->limits.max_job_bos,
		 kd->limits.max_job_descs);
	return 0;
}

static int kdrv_bo_new(struct kdrv_dev *kd, uint64_t size, uint32_t *handle, void **map,
		       size_t *map_len)
{
	struct qaccel_bo_create c = { .size = size };
	struct qaccel_bo_destroy d = { 0 };
	long page = sysconf(_SC_PAGESIZE);
	void *p;
	int err;

	if (size > SIZE_MAX - (uint64_t)page)
		return -ENOMEM;
	err = kdrv_ioctl(kd->fd, QACCEL_IOCTL_BO_CREATE, &c);
	if (err)
		return err == -E2BIG ? -ENOMEM : err;
	*map_len = (size + (uint64_t)page - 1) & ~((uint64_t)page - 1);
	p = mmap(NULL, *map_len, PROT_READ | PROT_WRITE, MAP_SHARED, kd->fd, (off_t)c.mmap_offset);
	if (p == MAP_FAILED) {
		err = -errno;
		d.handle = c.handle;
		kdrv_ioctl(kd->fd, QACCEL_IOCTL_BO_DESTROY, &d);
		return err;
	}
	*handle = c.handle;
	*map = p;
	return 0;
}

static void kdrv_bo_del(struct kdrv_dev *kd, uint32_t handle, void *map, size_t map_len)
{
	struct qaccel_bo_destroy d = { .handle = handle };

	munmap(map, map_len);
	kdrv_ioctl(kd->fd, QACCEL_IOCTL_BO_DESTROY, &d);
}

static int kdrv_buf_alloc(qaccel_device *dev, qaccel_buffer *buf)
{
	struct kdrv_dev *kd = dev->priv;
	struct kdrv_buf *kb;
	int err;

	kb = calloc(1, sizeof(*kb));
	if (!kb)
		return -ENOMEM;
	err = kdrv_bo_new(kd, buf->size, &kb->handle, &kb->map, &kb->map_len);
	if (err) {
		free(kb);
		return err;
	}
	buf->priv = kb;
	buf->dev_addr = (uint64_t)kb->handle << QACCEL_ADDR_INDEX_SHIFT;
	return 0;
}

static void kdrv_buf_free(qaccel_device *dev, qaccel_buffer *buf)
{
	struct kdrv_buf *kb = buf->priv;

	kdrv_bo_del(dev->priv, kb->handle, kb->map, kb->map_len);
	free(kb);
	buf->priv = NULL;
}

static int kdrv_buf_write(qaccel_buffer *buf, uint64_t off, const void *src, size_t len)
{
	struct kdrv_buf *kb = buf->priv;

	memcpy((uint8_t *)kb->map + off, src, len);
	return 0;
}

static int kdrv_buf_read(const qaccel_buffer *buf, uint64_t off, void *dst, size_t len)
{
	const struct kdrv_buf *kb = buf->priv;

	memcpy(dst, (const uint8_t *)kb->map + off, len);
	return 0;
}

static int kdrv_submit(qaccel_device *dev, qaccel_job *job)
{
	struct kdrv_dev *kd = dev->priv;
	struct kdrv_job *kj = job->priv;
	uint32_t handles[QACCEL_MAX_JOB_BOS];
	const qaccel_buffer *bufs[QACCEL_MAX_JOB_BOS];
	struct qaccel_submit s = { 0 };
	size_t len = (size_t)job->count * QA_DESC_SIZE;
	uint32_t nbufs = 0, i, j;
	int slot, err;

	if (job->count > kd->limits.max_job_descs)
		return qa_job_fail(job, -E2BIG, "a kdrv job holds at most %u layers",
				   kd->limits.max_job_descs);
	if (!kj) {
		kj = calloc(1, sizeof(*kj));
		if (!kj)
			return -ENOMEM;
		job->priv = kj;
	}
	if (kj->desc_len < len) {
		if (kj->desc_len)
			kdrv_bo_del(kd, kj->desc_handle, kj->desc_map, kj->desc_len);
		kj->desc_len = 0;
		err = kdrv_bo_new(kd, len, &kj->desc_handle, &kj->desc_map, &kj->desc_len);
		if (err)
			return err;
	}
	for (i = 0; i < job->count; i++) {
		const struct qa_job_layer *l = &job->layers[i];
		struct qa_desc d = l->desc;

		for (slot = 0; slot < QA_OPND_COUNT; slot++) {
			const qaccel_buffer *b = l->bufs[slot];

			if (!b) {
				qa_desc_set_operand_addr(&d, slot, 0);
				continue;
			}
			for (j = 0; j < nbufs && bufs[j] != b; j++)
				;
			if (j == nbufs) {
				if (nbufs == QACCEL_MAX_JOB_BOS)
					return qa_job_fail(job, -E2BIG,
							   "a kdrv job uses at most %u buffers",
							   QACCEL_MAX_JOB_BOS);
				bufs[nbufs] = b;
				handles[nbufs++] = ((const struct kdrv_buf *)b->priv)->handle;
			}
			qa_desc_set_operand_addr(&d, slot, QACCEL_ADDR(j, l->offsets[slot]));
		}
		qa_desc_encode(&d, (uint8_t *)kj->desc_map + (size_t)i * QA_DESC_SIZE);
	}
	s.bo_handles = (uint64_t)(uintptr_t)handles;
	s.desc_handle = kj->desc_handle;
	s.desc_count = job->count;
	s.bo_count = nbufs;
	err = kdrv_ioctl(kd->fd, QACCEL_IOCTL_SUBMIT, &s);
	if (err)
		return qa_job_fail(job, err, "driver rejected the job: %s", strerror(-err));
	kj->job_id = s.job_id;
	return 0;
}

static int kdrv_wait(qaccel_device *dev, qaccel_job *job, int64_t timeout_ns)
{
	struct kdrv_dev *kd = dev->priv;
	struct kdrv_job *kj = job->priv;
	struct qaccel_wait w = { .job_id = kj->job_id };
	uint32_t code;
	int err;

	w.timeout_ns = timeout_ns < 0 || (uint64_t)timeout_ns > INT64_MAX - qa_now_ns() ?
		       INT64_MAX : (int64_t)(qa_now_ns() + (uint64_t)timeout_ns);
	err = kdrv_ioctl(kd->fd, QACCEL_IOCTL_WAIT, &w);
	if (err == -ETIME)
		return -ETIMEDOUT;
	if (err)
		return err;
	kj->job_id = 0;
	job->stats.macs = w.macs;
	job->stats.cycles = w.cycles;
	job->stats.has_cycles = !!(kd->features.features & QACCEL_FEATURE_CYCLES);
	code = QA_STATUS_CODE(w.status);
	if (!w.status)
		job->result = 0;
	else if (w.status == QACCEL_STATUS_TIMEOUT)
		job->result = qa_job_fail(job, -ETIMEDOUT, "the core hung and was reset");
	else if (w.status == QACCEL_STATUS_CANCELED)
		job->result = qa_job_fail(job, -ECANCELED, "the driver cancelled the job");
	else if (code < QA_ERR_COUNT)
		job->result = qa_job_fail(job, qa_hw_error_to_errno((int)code), "descriptor %u: %s",
					  QA_STATUS_INDEX(w.status), qa_hw_error_string((int)code));
	else
		job->result = qa_job_fail(job, -EIO, "device status %#x", w.status);
	return 0;
}

static void kdrv_job_free(qaccel_device *dev, qaccel_job *job)
{
	struct kdrv_job *kj = job->priv;

	if (!kj)
		return;
	if (kj->desc_len)
		kdrv_bo_del(dev->priv, kj->desc_handle, kj->desc_map, kj->desc_len);
	free(kj);
	job->priv = NULL;
}

const struct qa_backend qa_backend_kdrv = {
	.name = "kdrv",
	.description = "Linux kernel driver (/dev/qaccelN)",
	.open = kdrv_open,
	.close = kdrv_close,
	.info = kdrv_info,
	.buf_alloc = kdrv_buf_alloc,
	.buf_free = kdrv_buf_free,
	.buf_write = kdrv_buf_write,
	.buf_read = kdrv_buf_read,
	.submit = kdrv_submit,
	.wait = kdrv_wait,
	.job_free = kdrv_job_free,
};
