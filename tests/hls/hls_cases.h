/* SPDX-License-Identifier: MIT */
/*
 * Test-case generation shared by the HLS unit test (tests/unit/test_hls_kernel.c)
 * and the csim vector generator (tests/hls/gen_vectors.c): deterministic random
 * descriptors, the edge-case shapes that break tiled kernels, and memory-image
 * layout. Header-only (static inline) so each user takes what it needs.
 */
#ifndef QA_HLS_CASES_H
#define QA_HLS_CASES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qaccel_hw.h"
#include "qaccel_requant.h"
#include "exec/qa_exec.h"

#define HLS_CASE_MAX_LIST 4

/* ---- deterministic random numbers ------------------------------------- */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static inline uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static inline int64_t rnd_range(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

static inline uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static inline void fill_random(uint8_t *p, uint64_t len)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)rnd();
}

/* ---- descriptor generators --------------------------------------------- */
static inline void set_quant(struct qa_desc *d, int out_type)
{
	d->in_type = (uint8_t)(rnd() & 1);
	d->w_type = (uint8_t)(rnd() & 1);
	d->out_type = (uint8_t)out_type;
	d->in_zp = (int32_t)rnd_range(qa_dtype_min(d->in_type), qa_dtype_max(d->in_type));
	d->w_zp = (int32_t)rnd_range(qa_dtype_min(d->w_type), qa_dtype_max(d->w_type));
	d->flags = rnd() % 4 ? QA_DESC_F_BIAS : 0;
	if (out_type == QA_DT_INT32) {
		d->out_zp = d->act_min = d->act_max = 0;
	} else {
		int32_t lo = qa_dtype_min((unsigned)out_type), hi = qa_dtype_max((unsigned)out_type);
		int32_t a = (int32_t)rnd_range(lo, hi), b = (int32_t)rnd_range(lo, hi);

		d->out_zp = (int32_t)rnd_range(lo, hi);
		if (rnd() % 2) {
			d->act_min = lo;
			d->act_max = hi;
		} else {
			d->act_min = a < b ? a : b;
			d->act_max = a < b ? b : a;
		}
	}
}

static inline int random_out_type(void)
{
	uint64_t r = rnd() % 5;

	return r < 2 ? QA_DT_INT8 : r < 4 ? QA_DT_UINT8 : QA_DT_INT32;
}

static inline void make_gemm(struct qa_desc *d, uint32_t m, uint32_t n, uint32_t k, int out_type)
{
	memset(d, 0, sizeof(*d));
	d->header = QA_DESC_HEADER(QA_OP_GEMM);
	d->batch = 1;
	d->in_h = d->out_h = m;
	d->in_w = d->out_w = 1;
	d->in_c = k;
	d->out_c = n;
	d->groups = 1;
	d->kernel_h = d->kernel_w = d->stride_h = d->stride_w = 1;
	d->dilation_h = d->dilation_w = 1;
	set_quant(d, out_type);
}

struct conv_shape {
	uint32_t batch, in_h, in_w, in_c, out_c, groups;
	uint16_t kh, kw, sh, sw, dh, dw, pt, pl, pb, pr;
};

static inline uint32_t out_dim(uint32_t in, uint32_t pa, uint32_t pb, uint32_t k, uint32_t s,
			uint32_t dil)
{
	uint32_t padded = in + pa + pb, eff = dil * (k - 1) + 1;

	return eff > padded ? 0 : (padded - eff) / s + 1;
}

static inline int make_conv(struct qa_desc *d, const struct conv_shape *s, int out_type)
{
	memset(d, 0, sizeof(*d));
	d->header = QA_DESC_HEADER(QA_OP_CONV2D);
	d->batch = s->batch;
	d->in_h = s->in_h;
	d->in_w = s->in_w;
	d->in_c = s->in_c;
	d->out_c = s->out_c;
	d->groups = s->groups;
	d->kernel_h = s->kh;
	d->kernel_w = s->kw;
	d->stride_h = s->sh;
	d->stride_w = s->sw;
	d->dilation_h = s->dh;
	d->dilation_w = s->dw;
	d->pad_top = s->pt;
	d->pad_left = s->pl;
	d->pad_bottom = s->pb;
	d->pad_right = s->pr;
	d->out_h = out_dim(s->in_h, s->pt, s->pb, s->kh, s->sh, s->dh);
	d->out_w = out_dim(s->in_w, s->pl, s->pr, s->kw, s->sw, s->dw);
	set_quant(d, out_type);
	return d->out_h && d->out_w;
}

static inline void random_gemm(struct qa_desc *d)
{
	static const uint32_t sizes[] = { 1, 2, 3, 15, 16, 17, 31, 33, 63, 64, 65, 100, 129 };
	uint32_t m = rnd() % 2 ? sizes[rnd() % 13] : (uint32_t)rnd_range(1, 140);
	uint32_t n = rnd() % 2 ? sizes[rnd() % 13] : (uint32_t)rnd_range(1, 140);
	uint32_t k = rnd() % 4 ? (uint32_t)rnd_range(1, 300) : (uint32_t)rnd_range(250, 800);

	make_gemm(d, m, n, k, random_out_type());
}

static inline void random_conv(struct qa_desc *d)
{
	struct conv_shape s;
	uint32_t cin_g, cout_g;

	do {
		s.batch = rnd() % 4 ? 1 : 2;
		s.in_h = (uint32_t)rnd_range(1, 12);
		s.in_w = (uint32_t)rnd_range(1, 12);
		switch (rnd() % 4) {
		case 0: /* depthwise, channel multiplier >= 1, sometimes wide */
			s.groups = (uint32_t)(rnd() % 4 ? rnd_range(1, 20) : rnd_range(20, 90));
			cin_g = 1;
			cout_g = (uint32_t)rnd_range(1, 3);
			if (rnd() % 3 == 0)
				s.in_w = (uint32_t)rnd_range(60, 200);
			break;
		case 1: /* grouped */
			s.groups = (uint32_t)rnd_range(2, 5);
			cin_g = (uint32_t)rnd_range(1, 9);
			cout_g = (uint32_t)rnd_range(1, 9);
			break;
		default:
			s.groups = 1;
			cin_g = (uint32_t)rnd_range(1, 40);
			cout_g = (uint32_t)rnd_range(1, 80);
			break;
		}
		s.in_c = s.groups * cin_g;
		s.out_c = s.groups * cout_g;
		s.kh = (uint16_t)rnd_range(1, 5);
		s.kw = (uint16_t)rnd_range(1, 5);
		s.sh = (uint16_t)rnd_range(1, 3);
		s.sw = (uint16_t)rnd_range(1, 3);
		s.dh = (uint16_t)(rnd() % 4 ? 1 : rnd_range(2, 3));
		s.dw = (uint16_t)(rnd() % 4 ? 1 : rnd_range(2, 3));
		s.pt = (uint16_t)rnd_range(0, 3);
		s.pl = (uint16_t)rnd_range(0, 3);
		s.pb = (uint16_t)rnd_range(0, 3);
		s.pr = (uint16_t)rnd_range(0, 3);
	} while (!make_conv(d, &s, random_out_type()));
}

/* Conv shapes that break tiled kernels (see test_conv_edges_match_ref). */
static const struct conv_shape hls_edge_convs[] = {
		/* 1x1 output: kernel covers the whole input */
		{ 1, 5, 5, 7, 9, 1, 5, 5, 1, 1, 1, 1, 0, 0, 0, 0 },
		/* kernel larger than the input, with padding on all sides */
		{ 1, 2, 2, 3, 5, 1, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2 },
		/* kernel larger than the input, asymmetric padding, 1x1 output */
		{ 1, 1, 1, 4, 3, 1, 3, 4, 1, 1, 1, 1, 1, 3, 1, 0 },
		/* depthwise with Cin = 1 (channel multiplier 6) */
		{ 1, 9, 8, 1, 6, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1 },
		/* groups = Cout (two input channels per group) */
		{ 1, 7, 6, 16, 8, 8, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1 },
		/* depthwise, channel multiplier 3, stride 2, dilation 2 */
		{ 2, 11, 10, 5, 15, 5, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2 },
		/* depthwise 3x3 MobileNet style, 40 channels */
		{ 1, 10, 10, 40, 40, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1 },
		/* 1x1 conv = GEMM over pixels, channels over one block */
		{ 1, 9, 9, 70, 66, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0 },
		/* stride larger than the kernel */
		{ 1, 13, 11, 3, 4, 1, 2, 2, 3, 4, 1, 1, 0, 1, 0, 1 },
		/* ResNet-like 3x3, 64 -> 64 over 3 reduction chunks (K = 576) */
		{ 1, 9, 9, 64, 64, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1 },
		/* taps split by a chunk boundary: cin 100, K = 900 */
		{ 1, 5, 5, 100, 20, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1 },
		/* 7x7 stride 2 pad 3 stem on 3 channels */
		{ 1, 16, 16, 3, 8, 1, 7, 7, 2, 2, 1, 1, 3, 3, 3, 3 },
		/* dilated, padding only at the bottom/right */
		{ 1, 8, 9, 6, 7, 1, 3, 2, 1, 2, 3, 2, 0, 0, 4, 3 },
		/* depthwise over several channel blocks (150 = 64 + 64 + 22 outputs, channel
		 * multiplier 3 straddling block edges) and several pixel blocks per row */
		{ 1, 3, 150, 50, 150, 50, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1 },
		/* depthwise stride 2, 5x5, asymmetric pads, wide row */
		{ 2, 6, 140, 70, 70, 70, 5, 5, 2, 2, 1, 1, 2, 1, 2, 3 },
		/* depthwise with a patch close to the limit: 9 taps dilated by 30 */
		{ 1, 4, 300, 17, 34, 17, 2, 9, 1, 1, 1, 30, 0, 5, 1, 2 },
		/* depthwise kernel row wider than the patch: falls back to the GEMM path */
		{ 1, 2, 270, 3, 3, 3, 1, 130, 1, 1, 1, 2, 0, 1, 0, 0 },
		/* 1-wide input columns */
		{ 3, 20, 1, 2, 3, 1, 3, 1, 1, 1, 1, 1, 1, 0, 1, 0 },
	};
#define HLS_N_EDGE_CONVS (sizeof(hls_edge_convs) / sizeof(hls_edge_convs[0]))

/* GEMM shapes (M, N, K) that break tiled kernels. */
static const uint32_t hls_edge_gemms[][3] = {
	{ 1, 1, 1 },          /* everything degenerate */
	{ 70, 70, 1 },        /* K = 1 */
	{ 65, 67, 257 },      /* nothing a multiple of any tile */
	{ 64, 64, 256 },      /* exactly one block, one chunk */
	{ 128, 128, 512 },    /* exact multiples */
	{ 17, 1, 300 },       /* one column */
	{ 1, 130, 513 },      /* one row, chunk + 1 */
	{ 3, 5, QA_MAX_REDUCTION }, /* deepest allowed reduction, extreme sums */
};
#define HLS_N_EDGE_GEMMS (sizeof(hls_edge_gemms) / sizeof(hls_edge_gemms[0]))

/*
 * Lays out the operands of `count` descriptors (dims/quant already set in d[],
 * addresses assigned here) after the descriptor list at address 0, fills a
 * new image with random data and valid requant parameters and encodes the
 * list. Returns the image (malloc'ed, *size bytes) or NULL.
 */
static inline uint8_t *hls_case_image(struct qa_desc *d, uint32_t count, uint64_t *size)
{
	uint64_t top = align_up((uint64_t)count * QA_DESC_SIZE, 64);
	uint8_t *img;
	uint32_t i, j;

	for (i = 0; i < count; i++) {
		struct qa_desc_extents e;

		d[i].in_addr = d[i].w_addr = d[i].bias_addr = d[i].mult_addr = 0;
		d[i].shift_addr = d[i].out_addr = 0;
		if (qa_desc_extents(&d[i], &e))
			return NULL;
		d[i].in_addr = top;
		top = align_up(top + e.len[QA_OPND_IN], 64);
		d[i].w_addr = top;
		top = align_up(top + e.len[QA_OPND_W], 64);
		if (e.len[QA_OPND_BIAS]) {
			d[i].bias_addr = top;
			top = align_up(top + e.len[QA_OPND_BIAS], 64);
		}
		if (e.len[QA_OPND_MULT]) {
			d[i].mult_addr = top;
			top = align_up(top + e.len[QA_OPND_MULT], 64);
			d[i].shift_addr = top;
			top = align_up(top + e.len[QA_OPND_SHIFT], 64);
		}
		d[i].out_addr = top;
		top = align_up(top + e.len[QA_OPND_OUT], 64);
	}
	img = malloc(top);
	if (!img)
		return NULL;
	fill_random(img, top);
	for (i = 0; i < count; i++) {
		if (d[i].out_type == QA_DT_INT32)
			continue;
		for (j = 0; j < d[i].out_c; j++) {
			int32_t m = rnd() % 16 == 0 ? 0 : (int32_t)rnd_range(1 << 30, 0x7FFFFFFF);
			int32_t s;

			switch (rnd() % 8) {
			case 0: s = (int32_t)rnd_range(QA_SHIFT_MIN, QA_SHIFT_MAX); break;
			case 1: s = rnd() & 1 ? QA_SHIFT_MIN : QA_SHIFT_MAX; break;
			default: s = (int32_t)rnd_range(-14, 2); break;
			}
			for (int b = 0; b < 4; b++) {
				img[d[i].mult_addr + 4ull * j + b] = (uint8_t)((uint32_t)m >> (8 * b));
				img[d[i].shift_addr + 4ull * j + b] = (uint8_t)((uint32_t)s >> (8 * b));
			}
		}
	}
	for (i = 0; i < count; i++)
		qa_desc_encode(&d[i], img + (uint64_t)i * QA_DESC_SIZE);
	*size = top;
	return img;
}

#endif /* QA_HLS_CASES_H */
