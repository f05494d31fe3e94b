// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>

#include "qa_internal.h"

QA_EXPORT int qaccel_buffer_alloc(qaccel_device *dev, size_t size, qaccel_buffer **out)
{
	qaccel_buffer *buf;
	int err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!dev || !size)
		return -EINVAL;
	buf = calloc(1, sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	buf->dev = dev;
	buf->size = size;
	pthread_mutex_lock(&dev->lock);
	err = dev->be->buf_alloc(dev, buf);
	pthread_mutex_unlock(&dev->lock);
	if (err) {
		free(buf);
		return err;
	}
	*out = buf;
	return 0;
}

QA_EXPORT void qaccel_buffer_free(qaccel_buffer *buf)
{
	qaccel_device *dev;

	if (!buf)
		return;
	dev = buf->dev;
	pthread_mutex_lock(&dev->lock);
	dev->be->buf_free(dev, buf);
	pthread_mutex_unlock(&dev->lock);
	free(buf);
}

QA_EXPORT size_t qaccel_buffer_size(const qaccel_buffer *buf)
{
	return buf ? (size_t)buf->size : 0;
}

static int range_ok(const qaccel_buffer *buf, size_t offset, size_t len)
{
	return offset <= buf->size && len <= buf->size - offset;
}

QA_EXPORT int qaccel_buffer_write(qaccel_buffer *buf, size_t offset, const void *src, size_t len)
{
	if (!buf || (!src && len))
		return -EINVAL;
	if (!range_ok(buf, offset, len))
		return -ERANGE;
	return len ? buf->dev->be->buf_write(buf, offset, src, len) : 0;
}

QA_EXPORT int qaccel_buffer_read(const qaccel_buffer *buf, size_t offset, void *dst, size_t len)
{
	if (!buf || (!dst && len))
		return -EINVAL;
	if (!range_ok(buf, offset, len))
		return -ERANGE;
	return len ? buf->dev->be->buf_read(buf, offset, dst, len) : 0;
}
