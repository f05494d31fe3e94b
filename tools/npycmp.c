// SPDX-License-Identifier: MIT
/*
 * npycmp EXPECTED.npy ACTUAL.npy
 *
 * Exit 0 iff both files have the same dtype, shape and bytes. Otherwise
 * print what differs (for data: the first mismatching index with both
 * values, and the number of mismatching elements) and exit 1. Exit 2 when
 * a file cannot be read or is not a valid .npy file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/npy.h"

static void print_shape(FILE *f, const struct npy_array *a)
{
	int i;

	fputc('(', f);
	for (i = 0; i < a->ndim; i++)
		fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)a->shape[i]);
	if (a->ndim == 1)
		fputc(',', f);
	fputc(')', f);
}

static void print_index(FILE *f, const struct npy_array *a, uint64_t flat)
{
	uint64_t idx[NPY_MAX_DIMS];
	int i;

	for (i = a->ndim - 1; i >= 0; i--) {
		idx[i] = a->shape[i] ? flat % a->shape[i] : 0;
		flat = a->shape[i] ? flat / a->shape[i] : 0;
	}
	fputc('[', f);
	for (i = 0; i < a->ndim; i++)
		fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)idx[i]);
	fputc(']', f);
}

static void print_value(FILE *f, enum npy_dtype dt, const void *p)
{
	switch (dt) {
	case NPY_I1: {
		int8_t v;

		memcpy(&v, p, 1);
		fprintf(f, "%d", v);
		break;
	}
	case NPY_U1: {
		uint8_t v;

		memcpy(&v, p, 1);
		fprintf(f, "%u", v);
		break;
	}
	case NPY_I4: {
		int32_t v;

		memcpy(&v, p, 4);
		fprintf(f, "%d", v);
		break;
	}
	case NPY_F4: {
		float v;

		memcpy(&v, p, 4);
		fprintf(f, "%.9g", (double)v);
		break;
	}
	}
}

int main(int argc, char **argv)
{
	struct npy_array exp, act;
	char err[512];
	uint64_t i, first = 0, bad = 0;
	size_t isz;
	int ret;

	if (argc != 3) {
		fprintf(stderr, "usage: npycmp EXPECTED.npy ACTUAL.npy\n");
		return 2;
	}
	ret = npy_load(argv[1], &exp, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "npycmp: %s\n", err);
		return 2;
	}
	ret = npy_load(argv[2], &act, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "npycmp: %s\n", err);
		npy_free(&exp);
		return 2;
	}
	ret = 1;
	if (exp.dtype != act.dtype) {
		printf("npycmp: dtype differs: %s has %s, %s has %s\n", argv[1],
		       npy_dtype_name(exp.dtype), argv[2], npy_dtype_name(act.dtype));
		goto out;
	}
	if (exp.ndim != act.ndim ||
	    memcmp(exp.shape, act.shape, sizeof(exp.shape[0]) * (size_t)exp.ndim)) {
		printf("npycmp: shape differs: %s has ", argv[1]);
		print_shape(stdout, &exp);
		printf(", %s has ", argv[2]);
		print_shape(stdout, &act);
		printf("\n");
		goto out;
	}
	isz = npy_item_size(exp.dtype);
	for (i = 0; i < exp.count; i++) {
		if (memcmp((const uint8_t *)exp.data + i * isz, (const uint8_t *)act.data + i * isz,
			   isz)) {
			if (!bad)
				first = i;
			bad++;
		}
	}
	if (!bad) {
		ret = 0;
		goto out;
	}
	printf("npycmp: %s vs %s: first mismatch at ", argv[1], argv[2]);
	print_index(stdout, &exp, first);
	printf(": expected ");
	print_value(stdout, exp.dtype, (const uint8_t *)exp.data + first * isz);
	printf(", actual ");
	print_value(stdout, act.dtype, (const uint8_t *)act.data + first * isz);
	printf("; %llu of %llu elements differ\n", (unsigned long long)bad,
	       (unsigned long long)exp.count);
out:
	npy_free(&exp);
	npy_free(&act);
	return ret;
}
