/* SPDX-License-Identifier: MIT */
/*
 * The contract written as plainly as possible: direct loops, one output at a
 * time, no packing, no blocking. Used by `qaccel selftest` as the oracle the
 * optimized executors are compared with.
 */
#ifndef QA_NAIVE_REF_H
#define QA_NAIVE_REF_H

#include <stdint.h>

#include "qaccel.h"

/* A GEMM is the conv with batch 1, in_h = M, in_w = 1, 1x1 kernel, except B is [K][N]. */
struct naive_layer {
	int is_gemm;
	struct qaccel_conv2d c;   /* for GEMM: in_h = M, in_c = K, out_c = N, rest 1/0 */
	struct qaccel_quant q;
	uint32_t out_h, out_w;
};

void naive_run(const struct naive_layer *l, const uint8_t *in, const uint8_t *w,
	       const int32_t *bias, const int32_t *mult, const int32_t *shift, void *out);

#endif /* QA_NAIVE_REF_H */
