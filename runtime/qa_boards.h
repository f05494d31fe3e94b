/* SPDX-License-Identifier: MIT */
/*
 * Internal helpers of the board support (device-tree discovery, xrt
 * backend) for the qaccel CLI and the tests. They are in libqaccel.a; the
 * shared library exports only the public qaccel_* API.
 */
#ifndef QA_BOARDS_H
#define QA_BOARDS_H

#include <stddef.h>

#include "qaccel.h"

/*
 * qaccel_dt_discover() with the reason for a rejected blob in err
 * ("" on success). Same return values.
 */
int qa_dt_discover_msg(const void *blob, size_t blob_size, struct qaccel_dt_instance *out,
		       int max, char *err, size_t errlen);

/*
 * Read a DTB file (e.g. /sys/firmware/fdt, which has no st_size) into a
 * malloc'd buffer, at most QA_DT_MAX_BLOB bytes. 0 or -errno.
 */
#define QA_DT_MAX_BLOB ((size_t)64 << 20)
int qa_dt_read_file(const char *path, void **blob, size_t *len);

/*
 * The `qaccel info --dtb FILE` report: reads the file, discovers, formats
 * one block per instance into dst. Returns the number of instances (>= 0)
 * or -errno with a one-line reason in dst.
 */
int qa_dt_report(const char *path, char *dst, size_t len);

#endif /* QA_BOARDS_H */
