// SPDX-License-Identifier: MIT
#include "naive_ref.h"
#include "qaccel_requant.h"

static int32_t value(uint8_t byte, enum qaccel_dtype t)
{
	return t == QACCEL_INT8 ? (int32_t)(int8_t)byte : (int32_t)byte;
}

static int32_t conv_acc(const struct naive_layer *l, const uint8_t *in, const uint8_t *w,
			uint32_t b, uint32_t oy, uint32_t ox, uint32_t o)
{
	const struct qaccel_conv2d *c = &l->c;
	uint32_t cin_g = c->in_c / c->groups, cout_g = c->out_c / c->groups;
	uint32_t g = o / cout_g, ky, kx, ci;
	int64_t acc = 0;

	for (ky = 0; ky < c->kernel_h; ky++) {
		for (kx = 0; kx < c->kernel_w; kx++) {
			int64_t iy = (int64_t)oy * c->stride_h - c->pad_top + (int64_t)ky * c->dilation_h;
			int64_t ix = (int64_t)ox * c->stride_w - c->pad_left + (int64_t)kx * c->dilation_w;

			for (ci = 0; ci < cin_g; ci++) {
				int32_t x = l->q.in_zp; /* padding reads the zero point */
				int32_t wv = value(w[(((uint64_t)o * c->kernel_h + ky) * c->kernel_w + kx) *
						     cin_g + ci], l->q.w_type);

				if (iy >= 0 && iy < c->in_h && ix >= 0 && ix < c->in_w)
					x = value(in[(((uint64_t)b * c->in_h + (uint64_t)iy) * c->in_w +
						      (uint64_t)ix) * c->in_c + (uint64_t)g * cin_g + ci],
						  l->q.in_type);
				acc += (int64_t)(x - l->q.in_zp) * (wv - l->q.w_zp);
			}
		}
	}
	return (int32_t)acc;
}

static int32_t gemm_acc(const struct naive_layer *l, const uint8_t *a, const uint8_t *bm,
			uint32_t m, uint32_t n)
{
	uint32_t K = l->c.in_c, N = l->c.out_c, k;
	int64_t acc = 0;

	for (k = 0; k < K; k++)
		acc += (int64_t)(value(a[(uint64_t)m * K + k], l->q.in_type) - l->q.in_zp) *
		       (value(bm[(uint64_t)k * N + n], l->q.w_type) - l->q.w_zp);
	return (int32_t)acc;
}

void naive_run(const struct naive_layer *l, const uint8_t *in, const uint8_t *w,
	       const int32_t *bias, const int32_t *mult, const int32_t *shift, void *out)
{
	const struct qaccel_conv2d *c = &l->c;
	uint32_t b, y, x, o;
	uint64_t idx = 0;

	for (b = 0; b < c->batch; b++)
		for (y = 0; y < l->out_h; y++)
			for (x = 0; x < l->out_w; x++)
				for (o = 0; o < c->out_c; o++, idx++) {
					int32_t acc = l->is_gemm ? gemm_acc(l, in, w, y, o)
								 : conv_acc(l, in, w, b, y, x, o);

					acc = qa_wrap32((int64_t)acc + (bias ? bias[o] : 0));
					if (l->q.out_type == QACCEL_INT32) {
						((int32_t *)out)[idx] = acc;
						continue;
					}
					((uint8_t *)out)[idx] = (uint8_t)qa_requantize(
						acc, mult[o], shift[o], l->q.out_zp, l->q.act_min,
						l->q.act_max);
				}
}
