// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * CPU execution of descriptors: a packed, register-blocked integer GEMM with
 * implicit im2col for convolution and a channel-parallel depthwise path.
 *
 * Zero points are subtracted while packing, so the inner loop is a pure
 * int16 x int16 -> int32 multiply-accumulate over an MR x NR tile with no
 * branches (padding packs as 0, which is exactly "pad value = input zp").
 * Requantization happens once per output element when a tile is stored.
 */
#include "qa_exec.h"
#include "qaccel_requant.h"
#include "qa_mem_le.h"

#define MR QA_EXEC_MR
#define NR QA_EXEC_NR

/*
 * An 8-bit value of either signedness as an int: (x ^ flip) - off, with
 * flip/off = 0x80/128 for int8 and 0/0 for uint8. Branch-free, so packing
 * loops vectorize; the zero point folds into `off`.
 */
struct qa_byte_decoder {
	int flip;
	int off;
};

static struct qa_byte_decoder byte_decoder(unsigned int type, int32_t zp)
{
	struct qa_byte_decoder dec;

	dec.flip = type == QA_DT_INT8 ? 0x80 : 0;
	dec.off = (type == QA_DT_INT8 ? 128 : 0) + zp;
	return dec;
}

/* One group of a descriptor seen as a GEMM: Y[m][n] over a K-deep reduction. */
struct qa_gemm_view {
	const struct qa_desc *d;
	const uint8_t *in;
	const uint8_t *w;
	const uint8_t *bias;  /* NULL when the descriptor has none */
	const uint8_t *mult;
	const uint8_t *shift;
	uint8_t *out;
	uint64_t m;           /* rows: batch * out_h * out_w */
	uint32_t n;           /* columns of this group: out_c / groups */
	uint32_t k;           /* reduction: kernel_h * kernel_w * in_c / groups */
	uint32_t kp;          /* k rounded up to even: packed panel depth */
	uint32_t group;
	struct qa_byte_decoder a_dec;
	struct qa_byte_decoder b_dec;
};

/*
 * Packed panels interleave pairs of k: element (k, i) of an MR-row A panel
 * sits at ((k / 2) * MR + i) * 2 + k % 2, and likewise for NR-column B
 * panels. Depth is padded to even (kp) with zeros, so the inner loop always
 * consumes k in pairs: the shape of a 16-bit pairwise multiply-add.
 */
#define PANEL_IDX(k, i, width) ((((uint64_t)(k) >> 1) * (width) + (i)) * 2 + ((k) & 1))

/* Pack GEMM rows [m0, m0 + rows) of A into MR-row panels. */
static void pack_a_gemm(const struct qa_gemm_view *v, uint64_t m0, uint32_t rows, int16_t *dst)
{
	uint32_t p, i, kk;

	for (p = 0; p < rows; p += MR) {
		int16_t *panel = dst + (uint64_t)p * v->kp;

		for (i = 0; i < MR; i++) {
			if (p + i < rows) {
				const uint8_t *src = v->in + (m0 + p + i) * v->k;

				for (kk = 0; kk < v->k; kk++)
					panel[PANEL_IDX(kk, i, MR)] =
						(int16_t)((src[kk] ^ v->a_dec.flip) - v->a_dec.off);
				for (; kk < v->kp; kk++)
					panel[PANEL_IDX(kk, i, MR)] = 0;
			} else {
				for (kk = 0; kk < v->kp; kk++)
					panel[PANEL_IDX(kk, i, MR)] = 0;
			}
		}
	}
}

/* Implicit im2col of one output pixel into row i of an MR panel. */
static void pack_a_conv_row(const struct qa_gemm_view *v, uint64_t m, int16_t *panel, uint32_t i)
{
	const struct qa_desc *d = v->d;
	uint32_t cin_g = d->in_c / d->groups;
	uint64_t ox = m % d->out_w;
	uint64_t oy = (m / d->out_w) % d->out_h;
	uint64_t b = m / ((uint64_t)d->out_w * d->out_h);
	int64_t iy0 = (int64_t)oy * d->stride_h - d->pad_top;
	int64_t ix0 = (int64_t)ox * d->stride_w - d->pad_left;
	uint32_t ky, kx, c;
	uint32_t kk = 0;

	for (ky = 0; ky < d->kernel_h; ky++) {
		int64_t iy = iy0 + (int64_t)ky * d->dilation_h;

		for (kx = 0; kx < d->kernel_w; kx++) {
			int64_t ix = ix0 + (int64_t)kx * d->dilation_w;

			if (iy < 0 || iy >= d->in_h || ix < 0 || ix >= d->in_w) {
				for (c = 0; c < cin_g; c++, kk++)
					panel[PANEL_IDX(kk, i, MR)] = 0;
				continue;
			}
			{
				const uint8_t *src = v->in +
					(((b * d->in_h + (uint64_t)iy) * d->in_w + (uint64_t)ix) *
					 d->in_c) + (uint64_t)v->group * cin_g;

				for (c = 0; c < cin_g; c++, kk++)
					panel[PANEL_IDX(kk, i, MR)] =
						(int16_t)((src[c] ^ v->a_dec.flip) - v->a_dec.off);
			}
		}
	}
	for (; kk < v->kp; kk++)
		panel[PANEL_IDX(kk, i, MR)] = 0;
}

static void pack_a_conv(const struct qa_gemm_view *v, uint64_t m0, uint32_t rows, int16_t *dst)
{
	uint32_t p, i, kk;

	for (p = 0; p < rows; p += MR) {
		int16_t *panel = dst + (uint64_t)p * v->kp;

		for (i = 0; i < MR; i++) {
			if (p + i < rows) {
				pack_a_conv_row(v, m0 + p + i, panel, i);
			} else {
				for (kk = 0; kk < v->kp; kk++)
					panel[PANEL_IDX(kk, i, MR)] = 0;
			}
		}
	}
}

/*
 * Pack columns [n0, n0 + cols) of this group's B into NR-column panels.
 * GEMM B is [K][N]; conv weights are [Cout][K] (OHWI).
 */
static void pack_b(const struct qa_gemm_view *v, uint32_t n0, uint32_t cols, int16_t *dst)
{
	int is_gemm = QA_DESC_HDR_OPCODE(v->d->header) == QA_OP_GEMM;
	uint32_t q, j, kk;

	for (q = 0; q < cols; q += NR) {
		int16_t *panel = dst + (uint64_t)q * v->kp;

		for (j = 0; j < NR; j++) {
			uint32_t n = n0 + q + j;

			kk = 0;
			if (q + j >= cols) {
				/* padding column: zeros below */
			} else if (is_gemm) {
				const uint8_t *src = v->w + n;

				for (; kk < v->k; kk++)
					panel[PANEL_IDX(kk, j, NR)] = (int16_t)(
						(src[(uint64_t)kk * v->n] ^ v->b_dec.flip) - v->b_dec.off);
			} else {
				const uint8_t *src = v->w +
					((uint64_t)v->group * v->n + n) * v->k;

				for (; kk < v->k; kk++)
					panel[PANEL_IDX(kk, j, NR)] =
						(int16_t)((src[kk] ^ v->b_dec.flip) - v->b_dec.off);
			}
			for (; kk < v->kp; kk++)
				panel[PANEL_IDX(kk, j, NR)] = 0;
		}
	}
}

/*
 * The inner loop: c[MR][NR] = sum_k a[k][i] * b[k][j] over kp (even) steps.
 * Products of two values in [-255, 255] at depth <= QA_MAX_REDUCTION never
 * leave int32.
 */
static void micro_kernel_generic(const int16_t *a, const int16_t *b, uint32_t kp, int32_t *c)
{
	int32_t acc[MR][NR] = { { 0 } };
	uint32_t kk, i, j;

	for (kk = 0; kk < kp; kk += 2) {
		const int16_t *ak = a + (uint64_t)kk * MR;
		const int16_t *bk = b + (uint64_t)kk * NR;

		for (i = 0; i < MR; i++)
			for (j = 0; j < NR; j++)
				acc[i][j] += (int32_t)ak[2 * i] * bk[2 * j] +
					     (int32_t)ak[2 * i + 1] * bk[2 * j + 1];
	}
	for (i = 0; i < MR; i++)
		for (j = 0; j < NR; j++)
			c[i * NR + j] = acc[i][j];
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__KERNEL__) && !defined(__SYNTHESIS__) && \
	!defined(QA_EXEC_NO_SIMD)
#include <immintrin.h>

/*
 * The same computation with AVX2's 16-bit pairwise multiply-add: per k pair,
 * one broadcast of a row's pair and two vpmaddwd per row cover 4 x 16 outputs.
 * Chosen at run time, userspace x86-64 only.
 */
__attribute__((target("avx2")))
static void micro_kernel_avx2(const int16_t *a, const int16_t *b, uint32_t kp, int32_t *c)
{
	__m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00;
	__m256i c20 = c00, c21 = c00, c30 = c00, c31 = c00;
	uint32_t kk;
	int32_t pair[MR];

	for (kk = 0; kk < kp; kk += 2) {
		const int16_t *ak = a + (uint64_t)kk * MR;
		const __m256i *bk = (const __m256i *)(b + (uint64_t)kk * NR);
		__m256i b0 = _mm256_loadu_si256(bk);
		__m256i b1 = _mm256_loadu_si256(bk + 1);
		__m256i a0, a1, a2, a3;

		__builtin_memcpy(pair, ak, sizeof(pair));
		a0 = _mm256_set1_epi32(pair[0]);
		a1 = _mm256_set1_epi32(pair[1]);
		a2 = _mm256_set1_epi32(pair[2]);
		a3 = _mm256_set1_epi32(pair[3]);
		c00 = _mm256_add_epi32(c00, _mm256_madd_epi16(a0, b0));
		c01 = _mm256_add_epi32(c01, _mm256_madd_epi16(a0, b1));
		c10 = _mm256_add_epi32(c10, _mm256_madd_epi16(a1, b0));
		c11 = _mm256_add_epi32(c11, _mm256_madd_epi16(a1, b1));
		c20 = _mm256_add_epi32(c20, _mm256_madd_epi16(a2, b0));
		c21 = _mm256_add_epi32(c21, _mm256_madd_epi16(a2, b1));
		c30 = _mm256_add_epi32(c30, _mm256_madd_epi16(a3, b0));
		c31 = _mm256_add_epi32(c31, _mm256_madd_epi16(a3, b1));
	}
	_mm256_storeu_si256((__m256i *)(c + 0), c00);
	_mm256_storeu_si256((__m256i *)(c + 8), c01);
	_mm256_storeu_si256((__m256i *)(c + 16), c10);
	_mm256_storeu_si256((__m256i *)(c + 24), c11);
	_mm256_storeu_si256((__m256i *)(c + 32), c20);
	_mm256_storeu_si256((__m256i *)(c + 40), c21);
	_mm256_storeu_si256((__m256i *)(c + 48), c30);
	_mm256_storeu_si256((__m256i *)(c + 56), c31);
}

static void micro_kernel(const int16_t *a, const int16_t *b, uint32_t kp, int32_t *c)
{
	if (__builtin_cpu_supports("avx2"))
		micro_kernel_avx2(a, b, kp, c);
	else
		micro_kernel_generic(a, b, kp, c);
}
#else
#define micro_kernel micro_kernel_generic
#endif

/* Per-output-channel terms of one tile column. */
struct qa_col_params {
	int32_t bias[NR];
	int32_t mult[NR];
	int32_t shift[NR];
};

static void load_col_params(const struct qa_gemm_view *v, uint32_t n0, uint32_t cols,
			    struct qa_col_params *cp)
{
	uint32_t j;

	for (j = 0; j < cols; j++) {
		uint64_t ch = (uint64_t)v->group * v->n + n0 + j;

		cp->bias[j] = v->bias ? (int32_t)qa_ld_le32(v->bias + 4 * ch) : 0;
		cp->mult[j] = v->mult ? (int32_t)qa_ld_le32(v->mult + 4 * ch) : 0;
		cp->shift[j] = v->shift ? (int32_t)qa_ld_le32(v->shift + 4 * ch) : 0;
	}
}

/* Bias, requantize and store one output value of channel `ch` at row m. */
static void store_value(const struct qa_desc *d, uint8_t *out, uint64_t m, uint64_t ch,
			int32_t acc, int32_t bias, int32_t mult, int32_t shift)
{
	uint64_t idx = m * d->out_c + ch;
	int32_t v = qa_wrap32((int64_t)acc + bias);

	if (d->out_type == QA_DT_INT32) {
		qa_st_le32(out + 4 * idx, (uint32_t)v);
		return;
	}
	v = qa_requantize(v, mult, shift, d->out_zp, d->act_min, d->act_max);
	out[idx] = (uint8_t)v;
}

static void store_tile(const struct qa_gemm_view *v, uint64_t m0, uint32_t rows,
		       uint32_t n0, uint32_t cols, const int32_t *c,
		       const struct qa_col_params *cp)
{
	uint32_t i, j;

	for (i = 0; i < rows; i++)
		for (j = 0; j < cols; j++)
			store_value(v->d, v->out, m0 + i, (uint64_t)v->group * v->n + n0 + j,
				    c[i * NR + j], cp->bias[j], cp->mult[j], cp->shift[j]);
}

static uint32_t min_u32(uint64_t a, uint64_t b)
{
	return (uint32_t)(a < b ? a : b);
}

/* Runs one group as a blocked GEMM: B chunks stay packed while A streams past. */
static void run_gemm_view(const struct qa_gemm_view *v, const struct qa_exec_scratch *s)
{
	int is_gemm = QA_DESC_HDR_OPCODE(v->d->header) == QA_OP_GEMM;
	uint64_t a_rows = s->a_len / v->kp / MR * MR;
	uint64_t b_cols = s->b_len / v->kp / NR * NR;
	uint32_t n0, nc, q;
	uint64_t m0, p;
	int32_t c[MR * NR];
	struct qa_col_params cp;

	for (n0 = 0; n0 < v->n; n0 += nc) {
		nc = min_u32(v->n - n0, b_cols);
		pack_b(v, n0, nc, s->b);
		for (m0 = 0; m0 < v->m; m0 += a_rows) {
			uint32_t mc = min_u32(v->m - m0, a_rows);

			if (is_gemm)
				pack_a_gemm(v, m0, mc, s->a);
			else
				pack_a_conv(v, m0, mc, s->a);
			for (q = 0; q < nc; q += NR) {
				uint32_t cols = min_u32(nc - q, NR);

				load_col_params(v, n0 + q, cols, &cp);
				for (p = 0; p < mc; p += MR) {
					micro_kernel(s->a + p * v->kp, s->b + (uint64_t)q * v->kp,
						     v->kp, c);
					store_tile(v, m0 + p, min_u32(mc - p, MR), n0 + q, cols,
						   c, &cp);
				}
			}
		}
	}
}

/*
 * Depthwise (groups == in_c): every output channel reads one input channel,
 * so the loop runs across channels with weights transposed to [tap][Cout].
 */
static int depthwise_fits(const struct qa_desc *d, const struct qa_exec_scratch *s)
{
	uint64_t taps = (uint64_t)d->kernel_h * d->kernel_w;

	return d->groups == d->in_c && d->groups > 1 && s->acc &&
	       s->acc_len >= d->out_c && s->b_len / d->out_c >= taps;
}

static void run_depthwise(const struct qa_gemm_view *v, const struct qa_exec_scratch *s)
{
	const struct qa_desc *d = v->d;
	uint32_t taps = (uint32_t)d->kernel_h * d->kernel_w;
	uint32_t chmul = d->out_c / d->in_c;
	uint32_t o, t, ky, kx, c, j;
	uint64_t m, rows = (uint64_t)d->batch * d->out_h * d->out_w;
	int16_t *wt = s->b;
	int32_t *acc = s->acc;

	for (o = 0; o < d->out_c; o++)
		for (t = 0; t < taps; t++)
			wt[(uint64_t)t * d->out_c + o] = (int16_t)(
				(v->w[(uint64_t)o * taps + t] ^ v->b_dec.flip) - v->b_dec.off);

	for (m = 0; m < rows; m++) {
		uint64_t ox = m % d->out_w;
		uint64_t oy = (m / d->out_w) % d->out_h;
		uint64_t b = m / ((uint64_t)d->out_w * d->out_h);
		int64_t iy0 = (int64_t)oy * d->stride_h - d->pad_top;
		int64_t ix0 = (int64_t)ox * d->stride_w - d->pad_left;

		for (o = 0; o < d->out_c; o++)
			acc[o] = 0;
		for (ky = 0; ky < d->kernel_h; ky++) {
			int64_t iy = iy0 + (int64_t)ky * d->dilation_h;

			if (iy < 0 || iy >= d->in_h)
				continue; /* padding contributes (zp - zp) * w = 0 */
			for (kx = 0; kx < d->kernel_w; kx++) {
				int64_t ix = ix0 + (int64_t)kx * d->dilation_w;
				const uint8_t *src;
				const int16_t *wrow = wt + ((uint64_t)ky * d->kernel_w + kx) * d->out_c;

				if (ix < 0 || ix >= d->in_w)
					continue;
				src = v->in + ((b * d->in_h + (uint64_t)iy) * d->in_w + (uint64_t)ix) *
					      d->in_c;
				if (chmul == 1) {
					for (c = 0; c < d->in_c; c++)
						acc[c] += ((src[c] ^ v->a_dec.flip) - v->a_dec.off) *
							  (int32_t)wrow[c];
				} else {
					for (c = 0; c < d->in_c; c++) {
						int32_t x = (src[c] ^ v->a_dec.flip) - v->a_dec.off;

						for (j = 0; j < chmul; j++)
							acc[c * chmul + j] += x * (int32_t)wrow[c * chmul + j];
					}
				}
			}
		}
		for (o = 0; o < d->out_c; o++) {
			int32_t bias = v->bias ? (int32_t)qa_ld_le32(v->bias + 4ull * o) : 0;
			int32_t mult = v->mult ? (int32_t)qa_ld_le32(v->mult + 4ull * o) : 0;
			int32_t shift = v->shift ? (int32_t)qa_ld_le32(v->shift + 4ull * o) : 0;

			store_value(d, v->out, m, o, acc[o], bias, mult, shift);
		}
	}
}

static void run_desc(const struct qa_desc *d, const struct qa_exec_mem *mem,
		     const struct qa_exec_scratch *s)
{
	struct qa_gemm_view v;
	uint32_t g;

	v.d = d;
	v.in = mem->base + d->in_addr;
	v.w = mem->base + d->w_addr;
	v.bias = d->flags & QA_DESC_F_BIAS ? mem->base + d->bias_addr : NULL;
	v.mult = d->out_type == QA_DT_INT32 ? NULL : mem->base + d->mult_addr;
	v.shift = d->out_type == QA_DT_INT32 ? NULL : mem->base + d->shift_addr;
	v.out = mem->base + d->out_addr;
	v.m = (uint64_t)d->batch * d->out_h * d->out_w;
	v.n = d->out_c / d->groups;
	v.k = (uint32_t)qa_desc_reduction(d);
	v.kp = (v.k + 1) & ~1u;
	v.a_dec = byte_decoder(d->in_type, d->in_zp);
	v.b_dec = byte_decoder(d->w_type, d->w_zp);

	if (depthwise_fits(d, s)) {
		v.group = 0;
		run_depthwise(&v, s);
		return;
	}
	for (g = 0; g < d->groups; g++) {
		v.group = g;
		run_gemm_view(&v, s);
	}
}

static int scratch_ok(const struct qa_exec_scratch *s)
{
	return s && s->a && s->b && s->a_len >= QA_EXEC_SCRATCH_A_MIN &&
	       s->b_len >= QA_EXEC_SCRATCH_B_MIN;
}

void qa_exec_run(const struct qa_exec_mem *mem, const struct qa_exec_scratch *scratch,
		 uint64_t desc_addr, uint32_t count, struct qa_exec_result *res)
{
	struct qa_desc d;
	uint32_t i;
	int err;

	res->macs = 0;
	if (!scratch_ok(scratch)) {
		res->status = QA_STATUS_MAKE(QA_ERR_BAD_ADDRESS, 0);
		return;
	}
	/* Validate the whole list first: a bad job writes nothing. */
	res->status = qa_exec_check_list(mem, desc_addr, count);
	if (QA_STATUS_CODE(res->status))
		return;
	for (i = 0; i < count; i++) {
		qa_desc_decode(mem->base + desc_addr + (uint64_t)i * QA_DESC_SIZE, &d);
		/* Multipliers may be outputs of an earlier descriptor: check again. */
		err = qa_desc_check(&d, mem);
		if (err) {
			res->status = QA_STATUS_MAKE(err, i);
			return;
		}
		run_desc(&d, mem, scratch);
		res->macs += qa_desc_macs(&d);
	}
}
