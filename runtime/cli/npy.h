/* SPDX-License-Identifier: MIT */
/*
 * Strict, bounded .npy reader/writer (format versions 1.0, 2.0, 3.0).
 * Supports dtypes |i1 |u1 <i4 <f4 in C order. Every failure fills `err`
 * with a message naming the file and the problem; nothing is printed.
 */
#ifndef QA_NPY_H
#define QA_NPY_H

#include <stddef.h>
#include <stdint.h>

#define NPY_MAX_DIMS 8
#define NPY_MAX_HEADER 65536u   /* bytes of header dict we accept */

enum npy_dtype { NPY_I1, NPY_U1, NPY_I4, NPY_F4 };

struct npy_array {
	enum npy_dtype dtype;
	int ndim;                      /* 0 for a scalar */
	uint64_t shape[NPY_MAX_DIMS];
	uint64_t count;                /* product of shape (1 for a scalar) */
	size_t nbytes;                 /* count * item size */
	void *data;                    /* malloc'd, little-endian items */
};

/* 0 on success; -errno and a message in err (errlen bytes) on failure. */
int npy_load(const char *path, struct npy_array *arr, char *err, size_t errlen);
/* Parse an in-memory file image (the fuzzable core of npy_load). */
int npy_parse(const void *buf, size_t len, const char *name, struct npy_array *arr,
	      char *err, size_t errlen);
int npy_save(const char *path, enum npy_dtype dtype, int ndim, const uint64_t *shape,
	     const void *data, char *err, size_t errlen);
void npy_free(struct npy_array *arr);

size_t npy_item_size(enum npy_dtype dtype);
const char *npy_dtype_name(enum npy_dtype dtype); /* "|i1", "|u1", "<i4", "<f4" */

#endif /* QA_NPY_H */
