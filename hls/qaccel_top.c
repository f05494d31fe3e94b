// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * qaccel HLS kernel (Vitis HLS C dialect): fetches a list of qaccel
 * descriptors and runs each one -- GEMM natively, CONV2D through implicit
 * im2col address generation -- on a tiled, output-stationary 16x16 MAC array.
 *
 * Compiled natively (no __SYNTHESIS__) the very same source is the C
 * simulation model: the `hls` backend of libqaccel and the csim testbench.
 *
 * Structure of one descriptor, per group (a conv group is an independent GEMM
 * view: rows = output pixels, columns = output channels of the group,
 * reduction = kernel_h * kernel_w * in_c / groups):
 *
 *   for each step (n-block, m-block, k-chunk)            -- DATAFLOW region
 *       load_a : im2col rows of the block -> abuf[TK][TM]  (PIPO, ping-pong)
 *       load_b : weights of the block     -> bbuf[TK][TN]  (PIPO, ping-pong)
 *       mac    : acc[TM][TN] += abuf^T bbuf, ROWS x COLS MACs per cycle, II=1
 *       store  : on the last k-chunk, bias + requant + clamp -> output
 *
 * Depthwise convolutions (in_c / groups == 1) use a channel-parallel mapping
 * of the same processes instead: array columns = output channels, rows =
 * output pixels of one row, one step per kernel row, the input row segment
 * loaded once into abuf and shared by all kernel_w taps (see load_dw).
 *
 * Rules kept for synthesis: no malloc, no recursion, no VLAs, no function
 * pointers; every loop has a static upper bound (tile macros) or a bounded
 * variable trip count with a LOOP_TRIPCOUNT hint. Nothing here touches
 * memory other than through the two m_axi pointers.
 */
#include <stdint.h>
#include <string.h>

#include "qaccel_hw.h"
#include "qaccel_requant.h"
#include "qaccel_hls.h"
#include "exec/qa_exec.h"
#include "exec/qa_mem_le.h"

/* Pragmas exist only for Vitis; natively they expand to nothing (no -Wunknown-pragmas). */
#ifdef __SYNTHESIS__
#define QA_PRAGMA(x) _Pragma(#x)
#else
#define QA_PRAGMA(x)
#endif

#define TM QA_HLS_TM
#define TN QA_HLS_TN
#define TK QA_HLS_TK
#define ROWS QA_HLS_ROWS
#define COLS QA_HLS_COLS
#define BEAT QA_HLS_BEAT

#define CEIL_DIV(a, b) (((a) + (b) - 1) / (b))

/*
 * Descriptor decoding and field validation are the shared freestanding code
 * of runtime/exec/qa_desc.c (synthesized with the kernel), so STATUS carries
 * the same code, for the same reason, on every backend.
 */
#define ld_le32 qa_ld_le32
#define st_le32 qa_st_le32

/* Per-channel multipliers/shifts in range (they may be outputs of earlier descriptors). */
static int check_requant(const uint8_t *mem, const struct qa_desc *d)
{
	uint32_t i;

	if (d->out_type == QA_DT_INT32)
		return QA_ERR_NONE;
	for (i = 0; i < d->out_c; i++) {
		QA_PRAGMA(HLS PIPELINE II=1)
		QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=4096 avg=256)
		int32_t m = (int32_t)ld_le32(mem + d->mult_addr + 4ull * i);
		int32_t s = (int32_t)ld_le32(mem + d->shift_addr + 4ull * i);

		if (!qa_requant_params_valid(m, s))
			return QA_ERR_BAD_REQUANT;
	}
	return QA_ERR_NONE;
}

/* ---------------------------------------------------------------------------
 * One group of a descriptor seen as a GEMM, and one dataflow step of it.
 * ------------------------------------------------------------------------- */
struct qa_hls_geom {
	uint64_t in_addr, w_addr, out_addr, bias_addr, mult_addr, shift_addr;
	uint64_t m;          /* rows: batch * out_h * out_w (GEMM: M) */
	uint32_t n;          /* columns of one group: out_c / groups (GEMM: N) */
	uint32_t k;          /* reduction: kernel_h * kernel_w * in_c / groups (GEMM: K) */
	uint32_t kch;        /* reduction chunk: K split into equal, beat-aligned chunks <= TK */
	uint32_t group;
	uint32_t cin_g;      /* input channels per group */
	uint32_t in_h, in_w, in_c, out_h, out_w, out_c;
	uint32_t kernel_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
	int32_t a_flip, a_off; /* 8-bit value minus zero point: (x ^ flip) - off */
	int32_t b_flip, b_off;
	int32_t out_zp, act_min, act_max;
	uint32_t out_type;
	uint32_t is_gemm;
	uint32_t has_bias;
	/* Channel-parallel depthwise mode (in_c / groups == 1, groups > 1). */
	uint32_t dw;
	uint32_t batch, kernel_h, chmul; /* chmul: output channels per input channel */
	uint32_t dw_rows;    /* output pixels of one row per block: patch width <= TK */
};

struct qa_hls_step {
	uint64_t m0;         /* first row of the block */
	uint32_t n0;         /* first column of the block (within the group) */
	uint32_t k0;         /* first reduction index of the chunk */
	uint32_t rows;       /* valid rows of the block, 1..TM */
	uint32_t cols;       /* valid columns of the block, 1..TN */
	uint32_t kc;         /* valid depth of the chunk, 1..TK */
	uint32_t first;      /* first chunk of the block: accumulators start from 0 */
	uint32_t last;       /* last chunk: the block is requantized and stored */
	/* Depthwise mode: the block is `rows` pixels of output row (b, oy) from ox0;
	 * a step is one kernel row ky = k0 (kc = kernel_w taps). */
	uint64_t b;
	uint32_t oy, ox0;
};

static inline int16_t decode8(uint8_t x, int32_t flip, int32_t off)
{
	return (int16_t)(((int32_t)x ^ flip) - off);
}

/* Beats of one A row of a chunk: GEMM reads kc contiguous bytes, conv reads one
 * contiguous run of channels per kernel tap (ky, kx) inside the chunk. */
static uint32_t a_row_beats(uint32_t is_gemm, uint32_t cin_g, uint32_t k0, uint32_t kc)
{
	uint32_t kk = 0, c = k0 % cin_g, beats = 0;

	if (is_gemm)
		return CEIL_DIV(kc, BEAT);
	while (kk < kc) {
		QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=256 avg=4)
		uint32_t len = cin_g - c < kc - kk ? cin_g - c : kc - kk;

		beats += CEIL_DIV(len, BEAT);
		kk += len;
		c = 0;
	}
	return beats;
}

/*
 * Depthwise, channel-parallel: array rows = output pixels of one output row,
 * array columns = output channels. A step is one kernel row ky: load_dw puts
 * the input row segment the block needs -- patch[x][ci], x over
 * (rows-1)*stride_w + (kernel_w-1)*dilation_w + 1 input columns, ci over the
 * block's input channels -- into abuf, once, and all kernel_w taps of that row
 * read it (line-buffer reuse instead of an im2col copy per tap).
 */
static uint32_t dw_patch_width(const struct qa_hls_geom *g, uint32_t rows)
{
	return (rows - 1) * g->stride_w + (g->kernel_w - 1) * g->dil_w + 1;
}

static void load_dw(const uint8_t *mem, const struct qa_hls_geom *g, const struct qa_hls_step *s,
		    int16_t patch[TK][TM])
{
	uint32_t ci0 = s->n0 / g->chmul;
	uint32_t nci = (s->n0 + s->cols - 1) / g->chmul - ci0 + 1;
	uint32_t pw = dw_patch_width(g, s->rows);
	int64_t iy = (int64_t)s->oy * g->stride_h - g->pad_top + (int64_t)s->k0 * g->dil_h;
	int64_t ix0 = (int64_t)s->ox0 * g->stride_w - g->pad_left;
	uint32_t x, beat, j;

	for (x = 0; x < pw; x++) {
		QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=256 avg=66)
		int64_t ix = ix0 + x;
		uint32_t valid = iy >= 0 && iy < g->in_h && ix >= 0 && ix < g->in_w;
		uint64_t src = 0;

		if (valid)
			src = g->in_addr + ((s->b * g->in_h + (uint64_t)iy) * g->in_w + (uint64_t)ix) *
				g->in_c + ci0;
		for (beat = 0; beat < CEIL_DIV(nci, BEAT); beat++) {
			QA_PRAGMA(HLS PIPELINE II=1)
			QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=4 avg=4)
			for (j = 0; j < BEAT; j++) {
				QA_PRAGMA(HLS UNROLL)
				uint32_t c = beat * BEAT + j;

				if (c < nci)
					patch[x][c] = valid ? decode8(mem[src + c], g->a_flip, g->a_off) : 0;
			}
		}
	}
}

/*
 * kc consecutive weight bytes of each of `cols` OHWI rows starting at row
 * `row0`, offset `koff` into each row: dst[e][c]. Rows past `cols` (up to a
 * whole array width) are zero so padded columns compute nothing.
 */
static void load_w_rows(const uint8_t *mem, const struct qa_hls_geom *g, uint64_t row0,
			uint64_t koff, uint32_t kc, uint32_t cols, int16_t dst[TK][TN])
{
	uint32_t cols_pad = CEIL_DIV(cols, COLS) * COLS;
	uint32_t c, beat, j;

	for (c = 0; c < cols_pad; c++) {
		QA_PRAGMA(HLS LOOP_TRIPCOUNT min=16 max=64 avg=64)
		uint64_t src = g->w_addr + (row0 + c) * g->k + koff;
		uint32_t valid = c < cols;

		for (beat = 0; beat < CEIL_DIV(kc, BEAT); beat++) {
			QA_PRAGMA(HLS PIPELINE II=1)
			QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=16 avg=16)
			for (j = 0; j < BEAT; j++) {
				QA_PRAGMA(HLS UNROLL)
				uint32_t e = beat * BEAT + j;

				if (e < kc)
					dst[e][c] = valid ? decode8(mem[src + e], g->b_flip,
								    g->b_off) : 0;
			}
		}
	}
}

/* Weights of kernel row ky (= s->k0) for the block's channels: wrow[kx][o]. */
static void load_dw_w(const uint8_t *mem, const struct qa_hls_geom *g,
		      const struct qa_hls_step *s, int16_t wrow[TK][TN])
{
	load_w_rows(mem, g, s->n0, (uint64_t)s->k0 * s->kc, s->kc, s->cols, wrow);
}

/* Every II=stride_w iteration: one ROWS x COLS sub-tile of pixels x channels at tap kx. */
static void mac_dw(const int16_t patch[TK][TM], const int16_t wrow[TK][TN], int32_t acc[TM][TN],
		   const struct qa_hls_geom *g, const struct qa_hls_step *s)
{
	uint32_t msub = CEIL_DIV(s->rows, ROWS), nsub = CEIL_DIV(s->cols, COLS);
	uint32_t ci0 = s->n0 / g->chmul;
	uint32_t cidx[TN];
	uint32_t kx, mi, ni, i, j, o;

	QA_PRAGMA(HLS ARRAY_PARTITION variable=cidx type=complete dim=1)
	for (o = 0; o < TN; o++) {
		QA_PRAGMA(HLS UNROLL)
		cidx[o] = o < s->cols ? (s->n0 + o) / g->chmul - ci0 : 0;
	}
	for (kx = 0; kx < s->kc; kx++) {
		QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=7 avg=3)
		int init = s->first && kx == 0;
		uint32_t xoff = kx * g->dil_w;

		for (mi = 0; mi < msub; mi++) {
			QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=4 avg=4)
			for (ni = 0; ni < nsub; ni++) {
				QA_PRAGMA(HLS PIPELINE II=1)
				QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=4 avg=4)
				for (i = 0; i < ROWS; i++) {
					QA_PRAGMA(HLS UNROLL)
					uint32_t r = mi * ROWS + i;
					/* Rows past the block read column 0: finite, never stored. */
					uint32_t x = r < s->rows ? r * g->stride_w + xoff : 0;

					for (j = 0; j < COLS; j++) {
						QA_PRAGMA(HLS UNROLL)
						uint32_t c = ni * COLS + j;
						int32_t prev = init ? 0 : acc[r][c];

						acc[r][c] = prev + (int32_t)patch[x][cidx[c]] * wrow[kx][c];
					}
				}
			}
		}
	}
}

/* im2col: A rows of the block, one row per output pixel, zero for padding and
 * for rows past the end (0 is "x - in_zp" of a padded input). */
static void load_a(const uint8_t *mem, const struct qa_hls_geom *g, const struct qa_hls_step *s,
		   int16_t abuf[TK][TM])
{
	uint32_t rows_pad = CEIL_DIV(s->rows, ROWS) * ROWS;
	uint32_t r, beat, j;

	if (g->dw) {
		load_dw(mem, g, s, abuf);
		return;
	}
	if (g->is_gemm) {
		for (r = 0; r < rows_pad; r++) {
			QA_PRAGMA(HLS LOOP_TRIPCOUNT min=16 max=64 avg=64)
			uint64_t src = g->in_addr + (s->m0 + r) * g->k + s->k0;
			uint32_t valid = r < s->rows;

			for (beat = 0; beat < CEIL_DIV(s->kc, BEAT); beat++) {
				QA_PRAGMA(HLS PIPELINE II=1)
				QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=16 avg=16)
				for (j = 0; j < BEAT; j++) {
					QA_PRAGMA(HLS UNROLL)
					uint32_t kk = beat * BEAT + j;

					if (kk < s->kc)
						abuf[kk][r] = valid ? decode8(mem[src + kk], g->a_flip,
									      g->a_off) : 0;
				}
			}
		}
		return;
	}
	{
		/* Output pixel and kernel tap of the block's first element: divisions
		 * once per step, counters afterwards. */
		uint64_t ox = s->m0 % g->out_w;
		uint64_t t = s->m0 / g->out_w;
		uint64_t oy = t % g->out_h;
		uint64_t b = t / g->out_h;
		uint32_t c0 = s->k0 % g->cin_g;
		uint32_t tap0 = s->k0 / g->cin_g;
		uint32_t kx0 = tap0 % g->kernel_w;
		uint32_t ky0 = tap0 / g->kernel_w;

		for (r = 0; r < rows_pad; r++) {
			QA_PRAGMA(HLS LOOP_TRIPCOUNT min=16 max=64 avg=64)
			int64_t iy0 = (int64_t)oy * g->stride_h - g->pad_top;
			int64_t ix0 = (int64_t)ox * g->stride_w - g->pad_left;
			uint32_t kk = 0, c = c0, kx = kx0, ky = ky0;

			while (kk < s->kc) {
				QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=256 avg=4)
				uint32_t len = g->cin_g - c < s->kc - kk ? g->cin_g - c : s->kc - kk;
				int64_t iy = iy0 + (int64_t)ky * g->dil_h;
				int64_t ix = ix0 + (int64_t)kx * g->dil_w;
				uint32_t valid = r < s->rows && iy >= 0 && iy < g->in_h && ix >= 0 &&
						 ix < g->in_w;
				uint64_t src = 0;

				if (valid)
					src = g->in_addr +
					      ((b * g->in_h + (uint64_t)iy) * g->in_w + (uint64_t)ix) *
						      g->in_c + (uint64_t)g->group * g->cin_g + c;
				for (beat = 0; beat < CEIL_DIV(len, BEAT); beat++) {
					QA_PRAGMA(HLS PIPELINE II=1)
					QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=16 avg=4)
					for (j = 0; j < BEAT; j++) {
						QA_PRAGMA(HLS UNROLL)
						uint32_t e = beat * BEAT + j;

						if (e < len)
							abuf[kk + e][r] = valid ?
								decode8(mem[src + e], g->a_flip, g->a_off) : 0;
					}
				}
				kk += len;
				c = 0;
				if (++kx == g->kernel_w) {
					kx = 0;
					ky++;
				}
			}
			if (++ox == g->out_w) {
				ox = 0;
				if (++oy == g->out_h) {
					oy = 0;
					b++;
				}
			}
		}
	}
}

/* Weights of the block: GEMM B is [K][N] (a row of columns per k), conv
 * weights are OHWI = [Cout][K] (a contiguous run of k per column). */
static void load_b(const uint8_t *mem, const struct qa_hls_geom *g, const struct qa_hls_step *s,
		   int16_t bbuf[TK][TN])
{
	uint32_t cols_pad = CEIL_DIV(s->cols, COLS) * COLS;
	uint32_t kk, beat, j;

	if (g->dw) {
		load_dw_w(mem, g, s, bbuf);
		return;
	}
	if (g->is_gemm) {
		for (kk = 0; kk < s->kc; kk++) {
			QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=256 avg=256)
			uint64_t src = g->w_addr + (uint64_t)(s->k0 + kk) * g->n + s->n0;

			for (beat = 0; beat < CEIL_DIV(cols_pad, BEAT); beat++) {
				QA_PRAGMA(HLS PIPELINE II=1)
				QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=4 avg=4)
				for (j = 0; j < BEAT; j++) {
					QA_PRAGMA(HLS UNROLL)
					uint32_t cc = beat * BEAT + j;

					if (cc < cols_pad)
						bbuf[kk][cc] = cc < s->cols ? decode8(mem[src + cc],
							g->b_flip, g->b_off) : 0;
				}
			}
		}
		return;
	}
	load_w_rows(mem, g, (uint64_t)g->group * g->n + s->n0, s->k0, s->kc, s->cols, bbuf);
}

/* The MAC array: every II=1 iteration is one ROWS x COLS sub-tile at depth kk. */
static void mac_gemm(const int16_t abuf[TK][TM], const int16_t bbuf[TK][TN], int32_t acc[TM][TN],
		     const struct qa_hls_step *s)
{
	uint32_t msub = CEIL_DIV(s->rows, ROWS), nsub = CEIL_DIV(s->cols, COLS);
	uint32_t kk, mi, ni, i, j;

	for (kk = 0; kk < s->kc; kk++) {
		QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=256 avg=256)
		int init = s->first && kk == 0;

		for (mi = 0; mi < msub; mi++) {
			QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=4 avg=4)
			for (ni = 0; ni < nsub; ni++) {
				QA_PRAGMA(HLS PIPELINE II=1)
				QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=4 avg=4)
				for (i = 0; i < ROWS; i++) {
					QA_PRAGMA(HLS UNROLL)
					int32_t a = abuf[kk][mi * ROWS + i];

					for (j = 0; j < COLS; j++) {
						QA_PRAGMA(HLS UNROLL)
						int32_t prev = init ? 0 : acc[mi * ROWS + i][ni * COLS + j];

						acc[mi * ROWS + i][ni * COLS + j] =
							prev + a * bbuf[kk][ni * COLS + j];
					}
				}
			}
		}
	}
}

/* The mac process: one of the two array mappings, then the block handover. */
static void mac(const int16_t abuf[TK][TM], const int16_t bbuf[TK][TN], int32_t acc[TM][TN],
		int32_t accout[TM][TN], const struct qa_hls_geom *g, const struct qa_hls_step *s)
{
	uint32_t msub = CEIL_DIV(s->rows, ROWS), nsub = CEIL_DIV(s->cols, COLS);
	uint32_t mi, ni, i, j;

	if (g->dw)
		mac_dw(abuf, bbuf, acc, g, s);
	else
		mac_gemm(abuf, bbuf, acc, s);
	if (!s->last)
		return;
	/* Hand the finished block to the store process (one sub-tile per cycle). */
	for (mi = 0; mi < msub; mi++) {
		QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=4 avg=4)
		for (ni = 0; ni < nsub; ni++) {
			QA_PRAGMA(HLS PIPELINE II=1)
			QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=4 avg=4)
			for (i = 0; i < ROWS; i++) {
				QA_PRAGMA(HLS UNROLL)
				for (j = 0; j < COLS; j++) {
					QA_PRAGMA(HLS UNROLL)
					accout[mi * ROWS + i][ni * COLS + j] =
						acc[mi * ROWS + i][ni * COLS + j];
				}
			}
		}
	}
}

/* Output lanes per beat: 16 int8/uint8 values or 4 int32 accumulators. */
static uint32_t out_lanes(uint32_t out_type)
{
	return out_type == QA_DT_INT32 ? BEAT / 4 : BEAT;
}

/* Bias, requantization (one unit per lane) and the write-back of a finished block. */
static void store(uint8_t *mem, const struct qa_hls_geom *g, const struct qa_hls_step *s,
		  const int32_t accout[TM][TN])
{
	int32_t bias[TN], mult[TN], shift[TN];
	uint32_t lanes = out_lanes(g->out_type);
	uint32_t rows = s->last ? s->rows : 0;
	uint32_t cols = s->last ? s->cols : 0;
	uint32_t r, c, beat, j;

	QA_PRAGMA(HLS ARRAY_PARTITION variable=bias type=cyclic factor=16 dim=1)
	QA_PRAGMA(HLS ARRAY_PARTITION variable=mult type=cyclic factor=16 dim=1)
	QA_PRAGMA(HLS ARRAY_PARTITION variable=shift type=cyclic factor=16 dim=1)

	for (c = 0; c < cols; c++) {
		QA_PRAGMA(HLS PIPELINE II=1)
		QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=64 avg=64)
		uint64_t ch = (uint64_t)g->group * g->n + s->n0 + c;

		bias[c] = g->has_bias ? (int32_t)ld_le32(mem + g->bias_addr + 4 * ch) : 0;
		mult[c] = g->out_type != QA_DT_INT32 ?
			(int32_t)ld_le32(mem + g->mult_addr + 4 * ch) : 0;
		shift[c] = g->out_type != QA_DT_INT32 ?
			(int32_t)ld_le32(mem + g->shift_addr + 4 * ch) : 0;
	}
	for (r = 0; r < rows; r++) {
		QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=64 avg=64)
		uint64_t row = (s->m0 + r) * g->out_c + (uint64_t)g->group * g->n + s->n0;

		for (beat = 0; beat < CEIL_DIV(cols, lanes); beat++) {
			QA_PRAGMA(HLS PIPELINE II=1)
			QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=16 avg=4)
			for (j = 0; j < lanes; j++) {
				QA_PRAGMA(HLS UNROLL)
				uint32_t cc = beat * lanes + j;
				int32_t v;

				if (cc >= cols)
					continue;
				v = qa_wrap32((int64_t)accout[r][cc] + bias[cc]);
				if (g->out_type == QA_DT_INT32) {
					st_le32(mem + g->out_addr + 4 * (row + cc), (uint32_t)v);
				} else {
					v = qa_requantize(v, mult[cc], shift[cc], g->out_zp,
							  g->act_min, g->act_max);
					mem[g->out_addr + row + cc] = (uint8_t)v;
				}
			}
		}
	}
}

/* One step of the tile pipeline: the dataflow region. Vitis double-buffers
 * abuf/bbuf/accout (PIPO) so load of step s+1, mac of step s and store of
 * step s-1 overlap. */
static void step_dataflow(const uint8_t *mem_rd, uint8_t *mem_wr, const struct qa_hls_geom *g,
			  const struct qa_hls_step *s, int32_t acc[TM][TN])
{
	int16_t abuf[TK][TM];
	int16_t bbuf[TK][TN];
	int32_t accout[TM][TN];

	QA_PRAGMA(HLS DATAFLOW)
	QA_PRAGMA(HLS ARRAY_PARTITION variable=abuf type=cyclic factor=16 dim=2)
	QA_PRAGMA(HLS ARRAY_PARTITION variable=bbuf type=cyclic factor=16 dim=2)
	QA_PRAGMA(HLS ARRAY_PARTITION variable=accout type=cyclic factor=16 dim=2)
	QA_PRAGMA(HLS STREAM variable=abuf type=pipo depth=2)
	QA_PRAGMA(HLS STREAM variable=bbuf type=pipo depth=2)
	QA_PRAGMA(HLS STREAM variable=accout type=pipo depth=2)

	load_a(mem_rd, g, s, abuf);
	load_b(mem_rd, g, s, bbuf);
	mac((const int16_t(*)[TM])abuf, (const int16_t(*)[TN])bbuf, acc, accout, g, s);
	store(mem_wr, g, s, (const int32_t(*)[TN])accout);
}

/* ---------------------------------------------------------------------------
 * Cycle model. Per step (derivation in hls/README.md):
 *   L = AXI_LATENCY + A beats + B beats          (both loaders share the port)
 *   C = kc * msub * nsub (+ msub * nsub handover on the last chunk) + MAC_DEPTH
 *   W = last ? 3 * ceil(4*cols/BEAT) params + rows * ceil(cols/lanes) + STORE_DEPTH : 0
 * A group of S steps as a 3-stage pipeline: L_0 + sum_s max(L_s+1, C_s, W_s-1) + W_S-1.
 * ------------------------------------------------------------------------- */
struct qa_hls_step_cost {
	uint64_t load, mac, store;
};

static void step_cost(const struct qa_hls_geom *g, const struct qa_hls_step *s,
		      struct qa_hls_step_cost *sc)
{
	uint32_t rows_pad = CEIL_DIV(s->rows, ROWS) * ROWS;
	uint32_t cols_pad = CEIL_DIV(s->cols, COLS) * COLS;
	uint64_t msub = rows_pad / ROWS, nsub = cols_pad / COLS;
	uint64_t a, b, ii = 1;

	if (g->dw) {
		/* Patch columns x input-channel beats; weights: one kernel row per channel.
		 * Pixels stride_w apart share patch banks: the array issues every stride_w. */
		uint32_t nci = (s->n0 + s->cols - 1) / g->chmul - s->n0 / g->chmul + 1;

		a = (uint64_t)dw_patch_width(g, s->rows) * CEIL_DIV(nci, BEAT);
		b = (uint64_t)cols_pad * CEIL_DIV(s->kc, BEAT);
		ii = g->stride_w;
	} else {
		a = (uint64_t)rows_pad * a_row_beats(g->is_gemm, g->cin_g, s->k0, s->kc);
		b = g->is_gemm ? (uint64_t)s->kc * CEIL_DIV(cols_pad, BEAT)
			       : (uint64_t)cols_pad * CEIL_DIV(s->kc, BEAT);
	}
	sc->load = QA_HLS_AXI_LATENCY + a + b;
	sc->mac = (uint64_t)s->kc * msub * nsub * ii + (s->last ? msub * nsub : 0) +
		  QA_HLS_MAC_DEPTH;
	sc->store = s->last ? 3ull * CEIL_DIV(4u * s->cols, BEAT) +
		(uint64_t)s->rows * CEIL_DIV(s->cols, out_lanes(g->out_type)) +
		QA_HLS_STORE_DEPTH : 0;
}

static uint64_t max3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t m = a > b ? a : b;

	return m > c ? m : c;
}

/* Running 3-stage pipeline schedule over the steps of one group. */
struct qa_hls_sched {
	uint64_t cycles, mac_cycles, steps;
	struct qa_hls_step_cost prev, prev2; /* step s-1 and s-2 */
};

static void sched_add(struct qa_hls_sched *sc, const struct qa_hls_step_cost *c)
{
	if (!sc->steps)
		sc->cycles += c->load; /* pipeline fill: the first load runs alone */
	else
		/* Slot of step s-1's mac: overlaps step s's load and step s-2's store. */
		sc->cycles += max3(c->load, sc->prev.mac, sc->steps > 1 ? sc->prev2.store : 0);
	sc->mac_cycles += c->mac;
	sc->prev2 = sc->prev;
	sc->prev = *c;
	sc->steps++;
}

static uint64_t sched_finish(const struct qa_hls_sched *sc)
{
	/* Drain: the last mac (with the previous store), then the last store. */
	if (!sc->steps)
		return sc->cycles;
	return sc->cycles + (sc->prev.mac > (sc->steps > 1 ? sc->prev2.store : 0) ?
			     sc->prev.mac : sc->prev2.store) + sc->prev.store;
}

/* Per-descriptor fixed costs: fetch + requant-parameter scan, at validation and at run. */
static uint64_t desc_overhead(const struct qa_desc *d)
{
	uint64_t fetch = QA_HLS_DESC_BEATS + QA_HLS_AXI_LATENCY;
	uint64_t scan = d->out_type == QA_DT_INT32 ? 0 :
		QA_HLS_AXI_LATENCY + 2ull * CEIL_DIV(4ull * d->out_c, BEAT);

	return 2 * (fetch + scan);
}

static void geom_init(const struct qa_desc *d, uint32_t group, struct qa_hls_geom *g)
{
	uint32_t is_gemm = QA_DESC_HDR_OPCODE(d->header) == QA_OP_GEMM;

	g->in_addr = d->in_addr;
	g->w_addr = d->w_addr;
	g->out_addr = d->out_addr;
	g->bias_addr = d->bias_addr;
	g->mult_addr = d->mult_addr;
	g->shift_addr = d->shift_addr;
	g->is_gemm = is_gemm;
	g->has_bias = (d->flags & QA_DESC_F_BIAS) != 0;
	g->out_type = d->out_type;
	g->m = (uint64_t)d->batch * d->out_h * d->out_w;
	g->n = d->out_c / d->groups;
	g->cin_g = d->in_c / d->groups;
	g->k = (uint32_t)qa_desc_reduction(d);
	/* Equal chunks keep load and mac balanced on every step (K = 576 runs as
	 * 3 x 192, not 256 + 256 + 64 whose short last chunk cannot hide the next load). */
	g->kch = CEIL_DIV(CEIL_DIV(g->k, CEIL_DIV(g->k, TK)), BEAT) * BEAT;
	if (g->kch > TK)
		g->kch = TK;
	g->group = group;
	g->in_h = d->in_h;
	g->in_w = d->in_w;
	g->in_c = d->in_c;
	g->out_h = d->out_h;
	g->out_w = d->out_w;
	g->out_c = d->out_c;
	g->kernel_w = d->kernel_w;
	g->stride_h = d->stride_h;
	g->stride_w = d->stride_w;
	g->dil_h = d->dilation_h;
	g->dil_w = d->dilation_w;
	g->pad_top = d->pad_top;
	g->pad_left = d->pad_left;
	g->a_flip = d->in_type == QA_DT_INT8 ? 0x80 : 0;
	g->a_off = (d->in_type == QA_DT_INT8 ? 128 : 0) + d->in_zp;
	g->b_flip = d->w_type == QA_DT_INT8 ? 0x80 : 0;
	g->b_off = (d->w_type == QA_DT_INT8 ? 128 : 0) + d->w_zp;
	g->out_zp = d->out_zp;
	g->act_min = d->act_min;
	g->act_max = d->act_max;
	g->batch = d->batch;
	g->kernel_h = d->kernel_h;
	g->chmul = g->n;
	/* Depthwise runs channel-parallel when the patch of one output pixel fits. */
	g->dw = !is_gemm && g->cin_g == 1 && d->groups > 1 &&
		(uint64_t)(d->kernel_w - 1) * d->dilation_w + 1 <= TK;
	g->dw_rows = 0;
	if (g->dw) {
		uint64_t rows = (TK - ((uint64_t)(d->kernel_w - 1) * d->dilation_w + 1)) /
				d->stride_w + 1;

		g->dw_rows = rows < TM ? (uint32_t)rows : TM;
		/* All channels form one group: columns are output channels 0..out_c-1. */
		g->group = 0;
		g->n = d->out_c;
	}
}

/* Step sequence of a group: n-blocks outer, m-blocks, k-chunks inner. */
/* Depthwise steps: channel blocks outer, then output rows, pixel blocks, kernel rows. */
static void dw_step_block(const struct qa_hls_geom *g, struct qa_hls_step *s)
{
	s->rows = g->out_w - s->ox0 < g->dw_rows ? g->out_w - s->ox0 : g->dw_rows;
	s->cols = g->n - s->n0 < TN ? g->n - s->n0 : TN;
	s->m0 = (s->b * g->out_h + s->oy) * g->out_w + s->ox0;
	s->k0 = 0;
	s->kc = g->kernel_w;
	s->first = 1;
	s->last = g->kernel_h == 1;
}

static int dw_step_next(const struct qa_hls_geom *g, struct qa_hls_step *s)
{
	if (!s->last) {
		s->k0++;
		s->first = 0;
		s->last = s->k0 + 1 == g->kernel_h;
		return 1;
	}
	if (s->ox0 + s->rows < g->out_w) {
		s->ox0 += s->rows;
	} else {
		s->ox0 = 0;
		if (++s->oy == g->out_h) {
			s->oy = 0;
			if (++s->b == g->batch) {
				s->b = 0;
				if (s->n0 + TN >= g->n)
					return 0;
				s->n0 += TN;
			}
		}
	}
	dw_step_block(g, s);
	return 1;
}

static void step_first(const struct qa_hls_geom *g, struct qa_hls_step *s)
{
	s->b = 0;
	s->oy = 0;
	s->ox0 = 0;
	if (g->dw) {
		s->n0 = 0;
		dw_step_block(g, s);
		return;
	}
	s->m0 = 0;
	s->n0 = 0;
	s->k0 = 0;
	s->rows = g->m < TM ? (uint32_t)g->m : TM;
	s->cols = g->n < TN ? g->n : TN;
	s->kc = g->k < g->kch ? g->k : g->kch;
	s->first = 1;
	s->last = s->kc == g->k;
}

/* Advances to the next step; returns 0 after the last one. */
static int step_next(const struct qa_hls_geom *g, struct qa_hls_step *s)
{
	if (g->dw)
		return dw_step_next(g, s);
	if (!s->last) {
		s->k0 += g->kch;
		s->kc = g->k - s->k0 < g->kch ? g->k - s->k0 : g->kch;
		s->first = 0;
		s->last = s->k0 + s->kc == g->k;
		return 1;
	}
	s->k0 = 0;
	s->kc = g->k < g->kch ? g->k : g->kch;
	s->first = 1;
	s->last = s->kc == g->k;
	if (s->m0 + TM < g->m) {
		s->m0 += TM;
	} else if (s->n0 + TN < g->n) {
		s->m0 = 0;
		s->n0 += TN;
	} else {
		return 0;
	}
	s->rows = g->m - s->m0 < TM ? (uint32_t)(g->m - s->m0) : TM;
	s->cols = g->n - s->n0 < TN ? g->n - s->n0 : TN;
	return 1;
}

static uint64_t useful_macs(const struct qa_desc *d)
{
	return (uint64_t)d->batch * d->out_h * d->out_w * d->out_c * qa_desc_reduction(d);
}

int qa_hls_estimate(const struct qa_desc *d, struct qa_hls_cost *cost)
{
	struct qa_hls_geom g;
	struct qa_hls_step s;
	struct qa_hls_step_cost c;
	uint32_t grp;
	int err = qa_desc_check_fields(d);

	if (err)
		return err;
	cost->cycles = desc_overhead(d);
	cost->mac_cycles = 0;
	cost->steps = 0;
	cost->macs = useful_macs(d);
	for (grp = 0; grp < d->groups; grp++) {
		struct qa_hls_sched sc = { 0 };

		geom_init(d, grp, &g);
		step_first(&g, &s);
		do {
			step_cost(&g, &s, &c);
			sched_add(&sc, &c);
		} while (step_next(&g, &s));
		cost->cycles += sched_finish(&sc);
		cost->mac_cycles += sc.mac_cycles;
		cost->steps += sc.steps;
		if (g.dw)
			break; /* one channel-parallel pass covers every group */
	}
	return 0;
}

/* Runs one validated descriptor; returns its modelled cycles and MAC-busy cycles. */
static void run_desc(uint8_t *mem, const struct qa_desc *d, int32_t acc[TM][TN],
		     uint64_t *cycles, uint64_t *mac_cycles)
{
	struct qa_hls_geom g;
	struct qa_hls_step s;
	struct qa_hls_step_cost c;
	uint32_t grp;

	for (grp = 0; grp < d->groups; grp++) {
		QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=1024 avg=1)
		struct qa_hls_sched sc = { 0 };

		geom_init(d, grp, &g);
		step_first(&g, &s);
		do {
			QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=4096 avg=256)
			step_dataflow(mem, mem, &g, &s, acc);
			step_cost(&g, &s, &c);
			sched_add(&sc, &c);
		} while (step_next(&g, &s));
		*cycles += sched_finish(&sc);
		*mac_cycles += sc.mac_cycles;
		if (g.dw)
			break; /* one channel-parallel pass covers every group */
	}
}

static void fetch_desc(const uint8_t *desc_addr, uint32_t i, struct qa_desc *d)
{
	uint8_t raw[QA_DESC_SIZE];

	memcpy(raw, desc_addr + (uint64_t)i * QA_DESC_SIZE, QA_DESC_SIZE);
	qa_desc_decode(raw, d);
}

void qaccel_top(const uint8_t *desc_addr, uint32_t desc_count, uint8_t *mem_base,
		uint32_t *version, uint32_t *config, uint64_t *cycles, uint64_t *macs,
		uint64_t *stalls, uint32_t *status)
{
	QA_PRAGMA(HLS INTERFACE mode=m_axi port=desc_addr bundle=gdesc offset=slave depth=8192 max_read_burst_length=32 num_write_outstanding=1)
	QA_PRAGMA(HLS INTERFACE mode=m_axi port=mem_base bundle=gmem offset=slave depth=16777216 max_widen_bitwidth=128 max_read_burst_length=64 max_write_burst_length=64 num_read_outstanding=16)
	QA_PRAGMA(HLS INTERFACE mode=s_axilite port=desc_addr bundle=control)
	QA_PRAGMA(HLS INTERFACE mode=s_axilite port=desc_count bundle=control)
	QA_PRAGMA(HLS INTERFACE mode=s_axilite port=mem_base bundle=control)
	QA_PRAGMA(HLS INTERFACE mode=s_axilite port=version bundle=control)
	QA_PRAGMA(HLS INTERFACE mode=s_axilite port=config bundle=control)
	QA_PRAGMA(HLS INTERFACE mode=s_axilite port=cycles bundle=control)
	QA_PRAGMA(HLS INTERFACE mode=s_axilite port=macs bundle=control)
	QA_PRAGMA(HLS INTERFACE mode=s_axilite port=stalls bundle=control)
	QA_PRAGMA(HLS INTERFACE mode=s_axilite port=status bundle=control)
	QA_PRAGMA(HLS INTERFACE mode=s_axilite port=return bundle=control)
	QA_PRAGMA(HLS INTERFACE mode=ap_ctrl_hs port=return)

	int32_t acc[TM][TN];
	struct qa_desc d;
	uint64_t cyc = 0, mac_cyc = 0, nmacs = 0;
	uint32_t st = QA_STATUS_MAKE(QA_ERR_NONE, 0);
	uint32_t i;
	int err = QA_ERR_NONE;

	QA_PRAGMA(HLS ARRAY_PARTITION variable=acc type=cyclic factor=16 dim=1)
	QA_PRAGMA(HLS ARRAY_PARTITION variable=acc type=cyclic factor=16 dim=2)

	/* Validate the whole list first: a bad job writes nothing. */
	for (i = 0; i < desc_count && !err; i++) {
		QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=256 avg=16)
		fetch_desc(desc_addr, i, &d);
		err = qa_desc_check_fields(&d);
		if (!err)
			err = check_requant(mem_base, &d);
		if (err)
			st = QA_STATUS_MAKE(err, i);
		else
			cyc += desc_overhead(&d) / 2;
	}
	for (i = 0; i < desc_count && !err; i++) {
		QA_PRAGMA(HLS LOOP_TRIPCOUNT min=1 max=256 avg=16)
		fetch_desc(desc_addr, i, &d);
		/* Multipliers may be outputs of an earlier descriptor: check again. */
		err = qa_desc_check_fields(&d);
		if (!err)
			err = check_requant(mem_base, &d);
		if (err) {
			st = QA_STATUS_MAKE(err, i);
			break;
		}
		cyc += desc_overhead(&d) - desc_overhead(&d) / 2;
		run_desc(mem_base, &d, acc, &cyc, &mac_cyc);
		nmacs += useful_macs(&d);
	}
	*version = QA_CORE_VERSION;
	*config = (uint32_t)QA_HLS_ROWS | ((uint32_t)QA_HLS_COLS << 8) |
		  ((uint32_t)QA_HLS_FEATURES << 16);
	*cycles = cyc;
	*macs = nmacs;
	*stalls = cyc - mac_cyc;
	*status = st;
}
