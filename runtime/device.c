// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qa_internal.h"

#define QA_STR2(x) #x
#define QA_STR(x) QA_STR2(x)

uint64_t qa_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

QA_EXPORT int qaccel_open(const char *name, qaccel_device **out)
{
	return qaccel_open_diag(name, out, NULL, 0);
}

static int open_fail(char *why, size_t why_len, int err, const char *fmt, const char *arg)
{
	if (why && why_len)
		snprintf(why, why_len, fmt, arg);
	return err;
}

QA_EXPORT int qaccel_open_diag(const char *name, qaccel_device **out, char *why, size_t why_len)
{
	const struct qa_backend *be;
	qaccel_device *dev;
	const char *colon, *args;
	size_t len;
	int err;

	if (why && why_len)
		why[0] = '\0';
	if (!out)
		return open_fail(why, why_len, -EINVAL, "%s", "no handle pointer");
	*out = NULL;
	if (!name || !*name)
		name = getenv("QACCEL_DEVICE");
	if (!name || !*name)
		name = "ref";
	if (strlen(name) >= sizeof(dev->name))
		return open_fail(why, why_len, -ENAMETOOLONG, "device name '%.40s...' is too long",
				 name);
	colon = strchr(name, ':');
	len = colon ? (size_t)(colon - name) : strlen(name);
	args = colon ? colon + 1 : "";
	be = qa_backend_find(name, len);
	if (!be)
		return open_fail(why, why_len, -ENODEV,
				 "no backend '%s' in this build (see qaccel_backend_name())", name);
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->be = be;
	strcpy(dev->name, name);
	if (pthread_mutex_init(&dev->lock, NULL)) {
		free(dev);
		return -ENOMEM;
	}
	err = be->open(dev, args);
	if (err) {
		if (dev->error[0])
			open_fail(why, why_len, err, "%s", dev->error);
		else
			open_fail(why, why_len, err, "%s", qaccel_strerror(err));
		pthread_mutex_destroy(&dev->lock);
		free(dev);
		return err;
	}
	*out = dev;
	return 0;
}

QA_EXPORT void qaccel_close(qaccel_device *dev)
{
	if (!dev)
		return;
	dev->be->close(dev);
	pthread_mutex_destroy(&dev->lock);
	free(dev);
}

QA_EXPORT int qaccel_device_info(const qaccel_device *dev, struct qaccel_device_info *info)
{
	if (!dev || !info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	snprintf(info->backend, sizeof(info->backend), "%s", dev->be->name);
	snprintf(info->name, sizeof(info->name), "%s", dev->name);
	return dev->be->info(dev, info);
}

QA_EXPORT const char *qaccel_version_string(void)
{
	return QA_STR(QACCEL_VERSION_MAJOR) "." QA_STR(QACCEL_VERSION_MINOR) "."
		QA_STR(QACCEL_VERSION_PATCH);
}

QA_EXPORT const char *qaccel_strerror(int err)
{
	switch (err) {
	case 0: return "success";
	case -EINVAL: return "invalid argument";
	case -ENOMEM: return "out of memory";
	case -ENODEV: return "no such device or backend not built";
	case -ERANGE: return "offset or length outside the buffer";
	case -EOVERFLOW: return "size overflows or reduction too deep for int32";
	case -EFAULT: return "descriptor operand outside device memory";
	case -ETIMEDOUT: return "timed out";
	case -EBUSY: return "job is still running";
	case -EXDEV: return "buffer belongs to another device";
	case -ENAMETOOLONG: return "device name too long";
	case -EIO: return "device I/O error";
	case -ENOENT: return "no such file";
	case -ENOTSUP: return "operation not supported by this backend";
	default: return "unknown error";
	}
}

int qa_hw_error_to_errno(int code)
{
	switch (code) {
	case QA_ERR_NONE: return 0;
	case QA_ERR_BAD_ADDRESS: return -EFAULT;
	case QA_ERR_TOO_DEEP: return -EOVERFLOW;
	default: return -EINVAL;
	}
}

const char *qa_hw_error_string(int code)
{
	static const char *const msg[QA_ERR_COUNT] = {
		[QA_ERR_NONE] = "ok",
		[QA_ERR_BAD_HEADER] = "bad descriptor header (magic, version or opcode)",
		[QA_ERR_BAD_TYPE] = "bad data type",
		[QA_ERR_BAD_SHAPE] = "bad shape (zero or inconsistent dimensions, groups)",
		[QA_ERR_BAD_QUANT] = "zero point or activation range outside its type",
		[QA_ERR_BAD_REQUANT] = "multiplier or shift out of range",
		[QA_ERR_BAD_ADDRESS] = "operand outside device memory, misaligned or aliasing the output",
		[QA_ERR_TOO_DEEP] = "reduction depth could overflow the int32 accumulator",
		[QA_ERR_RESERVED] = "reserved field or flag is not zero",
	};

	return code >= 0 && code < QA_ERR_COUNT ? msg[code] : "unknown device error";
}
