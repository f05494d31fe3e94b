/* SPDX-License-Identifier: MIT */
/*
 * libqaccel internals: the device/buffer/job objects and the backend ops
 * table. Adding a backend = one file defining a `struct qa_backend` plus one
 * line in backends.c.
 */
#ifndef QA_INTERNAL_H
#define QA_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include "qaccel.h"
#include "qaccel_hw.h"
#include "exec/qa_exec.h"

#define QA_EXPORT __attribute__((visibility("default")))

struct qa_backend;

struct qaccel_device {
	const struct qa_backend *be;
	void *priv;                /* backend state */
	pthread_mutex_t lock;      /* serialises submit and allocation */
	char name[64];
	char error[256];           /* set by a failing backend open: why */
};

struct qaccel_buffer {
	qaccel_device *dev;
	uint64_t size;
	uint64_t dev_addr;         /* offset from the device memory base */
	void *priv;                /* backend state (BO handle, mapping, ...) */
};

struct qa_job_layer {
	struct qa_desc desc;                       /* addresses = dev_addr + offset */
	qaccel_buffer *bufs[QA_OPND_COUNT];        /* by enum qa_operand; NULL if absent */
	uint64_t offsets[QA_OPND_COUNT];
};

enum qa_job_state { QA_JOB_IDLE, QA_JOB_RUNNING, QA_JOB_DONE };

struct qaccel_job {
	qaccel_device *dev;
	struct qa_job_layer *layers;
	uint32_t count, cap;
	enum qa_job_state state;
	int result;                /* of the last completed run */
	struct qaccel_job_stats stats;
	uint64_t submit_ns;
	void *priv;                /* backend state (descriptor BO, run handle) */
	char error[160];
};

struct qa_backend {
	const char *name;
	const char *description;
	int (*open)(qaccel_device *dev, const char *args);
	void (*close)(qaccel_device *dev);
	int (*info)(const qaccel_device *dev, struct qaccel_device_info *info);
	/* Set buf->dev_addr (and priv) for buf->size bytes. */
	int (*buf_alloc)(qaccel_device *dev, qaccel_buffer *buf);
	void (*buf_free)(qaccel_device *dev, qaccel_buffer *buf);
	/* Bounds are checked by the caller. */
	int (*buf_write)(qaccel_buffer *buf, uint64_t off, const void *src, size_t len);
	int (*buf_read)(const qaccel_buffer *buf, uint64_t off, void *dst, size_t len);
	/* Called with dev->lock held; may finish the job synchronously. */
	int (*submit)(qaccel_device *dev, qaccel_job *job);
	/* Fill job->result and job->stats; -ETIMEDOUT if not done in time. */
	int (*wait)(qaccel_device *dev, qaccel_job *job, int64_t timeout_ns);
	void (*job_free)(qaccel_device *dev, qaccel_job *job);
};

/* backends.c: the table of compiled-in backends. */
const struct qa_backend *qa_backend_find(const char *name, size_t len);

/* Monotonic nanoseconds. */
uint64_t qa_now_ns(void);
/* Map an executor QA_ERR_* code to a negative errno. */
int qa_hw_error_to_errno(int code);
const char *qa_hw_error_string(int code);
/* Record a printf-style message as the job's last error; returns err. */
int qa_job_fail(qaccel_job *job, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Encode the job's descriptors with dev_addr-based addresses into dst (count * 128 bytes). */
void qa_job_encode(const qaccel_job *job, uint8_t *dst);

#endif /* QA_INTERNAL_H */
