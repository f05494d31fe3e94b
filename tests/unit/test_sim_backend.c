// SPDX-License-Identifier: MIT
/*
 * The `sim` backend (RTL core under Verilator) against the `ref` executor:
 * random GEMM and conv layers (groups, depthwise, dilation, padding, stride,
 * int8/uint8, int32 out, bias or not, per-channel requant, multi-chunk
 * reductions, multi-layer jobs) must match byte for byte, the core's MAC
 * counter must equal the descriptor's useful MACs, and invalid requant
 * parameters must fail the same way. QA_SIM_CASES sets the random case
 * count (default 12, make test-sim runs more). Skips only when the
 * Verilator model has not been built.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "qaccel.h"

struct rng {
	uint64_t s;
};

static uint32_t rnd(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (uint32_t)(r->s >> 16);
}

static uint32_t rnd_in(struct rng *r, uint32_t lo, uint32_t hi)
{
	return lo + rnd(r) % (hi - lo + 1);
}

struct layer {
	int is_conv;
	struct qaccel_gemm g;
	struct qaccel_conv2d c;
	struct qaccel_quant q;
	int has_bias;
	uint32_t nout;              /* output channels */
	size_t in_len, w_len, out_len;
	uint8_t *in, *w;
	int32_t *bias, *mult, *shift;
};

struct devs {
	qaccel_device *ref, *sim;
};

static void set_sim_lib(void)
{
	static const char *const cands[] = {
		"build/lib/qaccel/libqaccel_sim_test.so",
		"build/lib/qaccel/libqaccel_sim.so",
	};
	size_t i;

	if (getenv("QACCEL_SIM_LIB"))
		return;
	for (i = 0; i < sizeof(cands) / sizeof(cands[0]); i++)
		if (!access(cands[i], R_OK)) {
			setenv("QACCEL_SIM_LIB", cands[i], 1);
			return;
		}
}

static int setup(void **state)
{
	struct devs *d = calloc(1, sizeof(*d));

	set_sim_lib();
	if (!d || qaccel_open("ref:mem_mb=256", &d->ref))
		return -1;
	if (qaccel_open("sim:mem_mb=256", &d->sim))
		d->sim = NULL;
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct devs *d = *state;

	if (d->sim)
		qaccel_close(d->sim);
	qaccel_close(d->ref);
	free(d);
	return 0;
}

static void fill_bytes(struct rng *r, uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)rnd(r);
}

static void random_quant(struct rng *r, struct layer *l)
{
	uint32_t i, t = rnd(r) % 8;

	l->q.in_type = rnd(r) & 1 ? QACCEL_UINT8 : QACCEL_INT8;
	l->q.w_type = rnd(r) & 1 ? QACCEL_UINT8 : QACCEL_INT8;
	l->q.out_type = t < 3 ? QACCEL_INT8 : t < 6 ? QACCEL_UINT8 : QACCEL_INT32;
	l->q.in_zp = l->q.in_type == QACCEL_INT8 ? (int32_t)rnd_in(r, 0, 255) - 128
						 : (int32_t)rnd_in(r, 0, 255);
	l->q.w_zp = l->q.w_type == QACCEL_INT8 ? (int32_t)rnd_in(r, 0, 255) - 128
					       : (int32_t)rnd_in(r, 0, 255);
	if (rnd(r) % 4 == 0)
		l->q.w_zp = 0;
	if (l->q.out_type == QACCEL_INT32) {
		l->q.out_zp = l->q.act_min = l->q.act_max = 0;
	} else {
		int32_t lo = l->q.out_type == QACCEL_INT8 ? -128 : 0;
		int32_t a = lo + (int32_t)rnd_in(r, 0, 255), b = lo + (int32_t)rnd_in(r, 0, 255);

		l->q.out_zp = lo + (int32_t)rnd_in(r, 0, 255);
		l->q.act_min = rnd(r) % 2 ? lo : (a < b ? a : b);
		l->q.act_max = rnd(r) % 2 ? lo + 255 : (a < b ? b : a);
	}
	l->has_bias = rnd(r) % 4 != 0;
	l->bias = calloc(l->nout, 4);
	l->mult = calloc(l->nout, 4);
	l->shift = calloc(l->nout, 4);
	for (i = 0; i < l->nout; i++) {
		uint32_t k = rnd(r) % 16;

		l->bias[i] = (int32_t)(rnd(r) % 200001) - 100000;
		if (rnd(r) % 16 == 0)
			l->bias[i] = (int32_t)(rnd(r) ^ (rnd(r) << 16));
		l->mult[i] = (int32_t)((1u << 30) | (rnd(r) & 0x3FFFFFFFu));
		if (k == 0)
			l->mult[i] = 0;
		l->shift[i] = k == 1 ? 30 : k == 2 ? -31 : k == 3 ? (int32_t)rnd_in(r, 0, 30) :
			      -(int32_t)rnd_in(r, 4, 14);
	}
}

/* kind 0: small; 1: deep (several chunks); 2: wide (several channel blocks,
 * reductions around the boundaries of the B space: 2048 / 2049 (8+ / 7 tiles'
 * weights per half), 4096 / 4097 (one / two chunks, four / three tiles per
 * block), 5456 / 5457 (three / two tiles), 8192 / 8193 (weights kept / loaded
 * per chunk)) */
static void random_gemm(struct rng *r, struct layer *l, int kind)
{
	static const uint32_t edge_k[] = {1, 2, 16, 17, 2047, 2048, 2049, 4096, 4097,
					  5456, 5457, 8192, 8193};

	l->is_conv = 0;
	l->g.m = rnd_in(r, 1, 40);
	l->g.n = kind == 2 ? rnd_in(r, 60, 300) : rnd_in(r, 1, 40);
	l->g.k = kind == 1 ? rnd_in(r, 1030, 9000) : rnd_in(r, 1, 200);
	if (kind == 2 && rnd(r) % 2)
		l->g.k = edge_k[rnd(r) % (sizeof(edge_k) / sizeof(edge_k[0]))];
	l->nout = l->g.n;
	l->in_len = (size_t)l->g.m * l->g.k;
	l->w_len = (size_t)l->g.k * l->g.n;
	random_quant(r, l);
	l->out_len = (size_t)l->g.m * l->g.n * (l->q.out_type == QACCEL_INT32 ? 4 : 1);
}

static void random_conv(struct rng *r, struct layer *l, int kind)
{
	struct qaccel_conv2d *c = &l->c;
	uint32_t oh, ow, cg, ng;

	l->is_conv = 1;
	do {
		memset(c, 0, sizeof(*c));
		c->batch = rnd_in(r, 1, 2);
		c->in_h = rnd_in(r, 1, 9);
		c->in_w = rnd_in(r, 1, 9);
		c->kernel_h = rnd_in(r, 1, 3);
		c->kernel_w = rnd_in(r, 1, 3);
		c->stride_h = rnd_in(r, 1, 3);
		c->stride_w = rnd_in(r, 1, 3);
		c->dilation_h = rnd(r) % 3 ? 1 : 2;
		c->dilation_w = rnd(r) % 3 ? 1 : 2;
		c->pad_top = rnd_in(r, 0, 2);
		c->pad_left = rnd_in(r, 0, 2);
		c->pad_bottom = rnd_in(r, 0, 2);
		c->pad_right = rnd_in(r, 0, 2);
		if (kind == 1) {                /* depthwise, multiplier 1 */
			c->in_c = c->out_c = c->groups = rnd_in(r, 1, 40);
		} else if (kind == 2) {         /* grouped / depthwise with multiplier */
			c->groups = rnd_in(r, 2, 5);
			cg = rnd_in(r, 1, 6);
			ng = rnd_in(r, 1, 7);
			c->in_c = cg * c->groups;
			c->out_c = ng * c->groups;
		} else if (kind == 3) {         /* deep: reduction over several chunks */
			c->groups = 1;
			c->in_c = rnd_in(r, 200, 700);
			c->out_c = rnd_in(r, 1, 20);
			c->in_h = rnd_in(r, 3, 5);
			c->in_w = rnd_in(r, 3, 5);
			c->kernel_h = c->kernel_w = 3;
			c->dilation_h = c->dilation_w = 1;
		} else if (kind == 5) {         /* several channel blocks; conv1-like rows */
			c->groups = 1;
			c->in_c = rnd_in(r, 1, 8);
			c->out_c = rnd_in(r, 60, 200);
			c->kernel_w = rnd_in(r, 1, 7);
			c->in_w = rnd_in(r, 4, 12);
		} else if (kind == 6) {         /* depthwise line reuse: strips, ring wrap */
			/* rings of 2 * kh or (four fills in flight) 4 * kh rows */
			c->in_c = c->out_c = c->groups = rnd_in(r, 1, 40);
			c->batch = rnd_in(r, 1, 3);
			c->in_h = rnd_in(r, 1, 30);
			c->in_w = rnd_in(r, 1, 56);
			c->kernel_h = rnd_in(r, 1, 8);
			c->kernel_w = rnd_in(r, 1, 5);
			c->stride_w = rnd_in(r, 1, 4);
			c->pad_top = rnd_in(r, 0, c->kernel_h - 1);
			c->pad_bottom = rnd_in(r, 0, c->kernel_h - 1);
			c->pad_left = rnd_in(r, 0, c->kernel_w - 1);
			c->pad_right = rnd_in(r, 0, c->kernel_w - 1);
			c->dilation_h = c->dilation_w = 1;
		} else if (kind == 4) {         /* depthwise with many taps (tap chunking) */
			c->in_c = c->out_c = c->groups = rnd_in(r, 1, 20);
			c->kernel_h = rnd_in(r, 15, 18);
			c->kernel_w = rnd_in(r, 15, 18);
			c->in_h = rnd_in(r, 15, 20);
			c->in_w = rnd_in(r, 15, 20);
			c->dilation_h = c->dilation_w = 1;
		} else {
			c->groups = 1;
			c->in_c = rnd_in(r, 1, 40);
			c->out_c = rnd_in(r, 1, 40);
		}
	} while (qaccel_conv2d_output_size(c, &oh, &ow));
	l->nout = c->out_c;
	l->in_len = (size_t)c->batch * c->in_h * c->in_w * c->in_c;
	l->w_len = (size_t)c->out_c * c->kernel_h * c->kernel_w * (c->in_c / c->groups);
	random_quant(r, l);
	l->out_len = (size_t)c->batch * oh * ow * c->out_c * (l->q.out_type == QACCEL_INT32 ? 4 : 1);
}

static void free_layer(struct layer *l)
{
	free(l->in);
	free(l->w);
	free(l->bias);
	free(l->mult);
	free(l->shift);
}

struct run_result {
	int err;
	uint8_t *out[4];
	struct qaccel_job_stats stats;
	char msg[200];
};

/* Run layers (one job) on dev; outputs copied into res->out[i]. */
static void run_layers(qaccel_device *dev, struct layer *ls, int n, struct run_result *res)
{
	qaccel_buffer *bufs[4][6];
	qaccel_job *job;
	int i, j;

	memset(bufs, 0, sizeof(bufs));
	assert_int_equal(qaccel_job_create(dev, &job), 0);
	for (i = 0; i < n; i++) {
		struct layer *l = &ls[i];
		struct qaccel_operands ops;
		size_t sizes[6] = {l->in_len, l->w_len, 4 * l->nout, 4 * l->nout, 4 * l->nout,
				   l->out_len};

		for (j = 0; j < 6; j++)
			assert_int_equal(qaccel_buffer_alloc(dev, sizes[j], &bufs[i][j]), 0);
		assert_int_equal(qaccel_buffer_write(bufs[i][0], 0, l->in, l->in_len), 0);
		assert_int_equal(qaccel_buffer_write(bufs[i][1], 0, l->w, l->w_len), 0);
		assert_int_equal(qaccel_buffer_write(bufs[i][2], 0, l->bias, 4 * l->nout), 0);
		assert_int_equal(qaccel_buffer_write(bufs[i][3], 0, l->mult, 4 * l->nout), 0);
		assert_int_equal(qaccel_buffer_write(bufs[i][4], 0, l->shift, 4 * l->nout), 0);
		memset(&ops, 0, sizeof(ops));
		ops.input.buf = bufs[i][0];
		ops.weights.buf = bufs[i][1];
		ops.bias.buf = l->has_bias ? bufs[i][2] : NULL;
		if (l->q.out_type != QACCEL_INT32) {
			ops.multiplier.buf = bufs[i][3];
			ops.shift.buf = bufs[i][4];
		}
		ops.output.buf = bufs[i][5];
		if (l->is_conv)
			assert_int_equal(qaccel_job_add_conv2d(job, &l->c, &l->q, &ops), 0);
		else
			assert_int_equal(qaccel_job_add_gemm(job, &l->g, &l->q, &ops), 0);
	}
	res->err = qaccel_job_submit(job);
	if (!res->err)
		res->err = qaccel_job_wait(job, -1);
	snprintf(res->msg, sizeof(res->msg), "%s", qaccel_job_error(job));
	qaccel_job_stats(job, &res->stats);
	for (i = 0; i < n; i++) {
		res->out[i] = malloc(ls[i].out_len);
		assert_non_null(res->out[i]);
		assert_int_equal(qaccel_buffer_read(bufs[i][5], 0, res->out[i], ls[i].out_len), 0);
		for (j = 0; j < 6; j++)
			qaccel_buffer_free(bufs[i][j]);
	}
	qaccel_job_free(job);
}

static uint64_t layer_macs(const struct layer *l)
{
	uint32_t oh, ow;

	if (!l->is_conv)
		return (uint64_t)l->g.m * l->g.n * l->g.k;
	qaccel_conv2d_output_size(&l->c, &oh, &ow);
	return (uint64_t)l->c.batch * oh * ow * l->c.out_c * l->c.kernel_h * l->c.kernel_w *
	       (l->c.in_c / l->c.groups);
}

static void describe(const struct layer *l, char *buf, size_t len)
{
	if (l->is_conv)
		snprintf(buf, len, "conv b%u %ux%ux%u -> %u k%ux%u s%u,%u d%u,%u p%u,%u,%u,%u g%u "
			 "types %d/%d/%d zp %d/%d/%d act %d..%d bias %d",
			 l->c.batch, l->c.in_h, l->c.in_w, l->c.in_c, l->c.out_c, l->c.kernel_h,
			 l->c.kernel_w, l->c.stride_h, l->c.stride_w, l->c.dilation_h,
			 l->c.dilation_w, l->c.pad_top, l->c.pad_left, l->c.pad_bottom,
			 l->c.pad_right, l->c.groups, l->q.in_type, l->q.w_type, l->q.out_type,
			 l->q.in_zp, l->q.w_zp, l->q.out_zp, l->q.act_min, l->q.act_max,
			 l->has_bias);
	else
		snprintf(buf, len, "gemm %ux%ux%u types %d/%d/%d zp %d/%d/%d act %d..%d bias %d",
			 l->g.m, l->g.n, l->g.k, l->q.in_type, l->q.w_type, l->q.out_type,
			 l->q.in_zp, l->q.w_zp, l->q.out_zp, l->q.act_min, l->q.act_max,
			 l->has_bias);
}

static void init_data(struct rng *r, struct layer *ls, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		ls[i].in = malloc(ls[i].in_len);
		ls[i].w = malloc(ls[i].w_len);
		fill_bytes(r, ls[i].in, ls[i].in_len);
		fill_bytes(r, ls[i].w, ls[i].w_len);
	}
}

static int case_count(void)
{
	const char *s = getenv("QA_SIM_CASES");
	int n = s ? atoi(s) : 12;

	return n > 0 ? n : 12;
}

#define NEED_SIM(d)                                                               \
	do {                                                                      \
		if (!(d)->sim) {                                                  \
			print_message("sim model not built (make sim-model): skipped\n"); \
			skip();                                                   \
		}                                                                 \
	} while (0)

/* Runs the layers on ref and sim: identical bytes, errors and MAC counts. */
static void run_case(struct devs *d, struct rng *r, struct layer *ls, int n)
{
	int i;

	init_data(r, ls, n);
	{
		struct run_result rr, rs;
		uint64_t macs = 0;
		char desc[400];

		memset(&rr, 0, sizeof(rr));
		memset(&rs, 0, sizeof(rs));
		for (i = 0; i < n; i++)
			macs += layer_macs(&ls[i]);
		run_layers(d->ref, ls, n, &rr);
		run_layers(d->sim, ls, n, &rs);
		for (i = 0; i < n; i++) {
			describe(&ls[i], desc, sizeof(desc));
			if (rr.err != rs.err)
				fail_msg("%s: ref %d (%s) vs sim %d (%s)", desc, rr.err, rr.msg,
					 rs.err, rs.msg);
			if (!rr.err && memcmp(rr.out[i], rs.out[i], ls[i].out_len)) {
				size_t j;

				for (j = 0; j < ls[i].out_len && rr.out[i][j] == rs.out[i][j]; j++)
					;
				fail_msg("%s: layer %d differs at byte %zu of %zu (ref %u sim %u)",
					 desc, i, j, ls[i].out_len, rr.out[i][j], rs.out[i][j]);
			}
			free(rr.out[i]);
			free(rs.out[i]);
		}
		if (!rs.err) {
			assert_true(rs.stats.has_cycles);
			assert_true(rs.stats.cycles > 0);
			if (rs.stats.macs != macs)
				fail_msg("core MAC counter %llu, expected %llu",
					 (unsigned long long)rs.stats.macs, (unsigned long long)macs);
			/* a stall is a cycle without an array step; a step does at
			 * most 16 x 16 MACs */
			if (rs.stats.stall_cycles >= rs.stats.cycles ||
			    rs.stats.macs > 256 * (rs.stats.cycles - rs.stats.stall_cycles))
				fail_msg("stall counter %llu of %llu cycles for %llu MACs",
					 (unsigned long long)rs.stats.stall_cycles,
					 (unsigned long long)rs.stats.cycles,
					 (unsigned long long)macs);
		}
	}
	for (i = 0; i < n; i++)
		free_layer(&ls[i]);
}

/* One random layer of the given kind (random_gemm / random_conv), run on both devices. */
static void run_random(struct devs *d, struct rng *r, int conv, int kind)
{
	struct layer l;

	memset(&l, 0, sizeof(l));
	if (conv)
		random_conv(r, &l, kind);
	else
		random_gemm(r, &l, kind);
	run_case(d, r, &l, 1);
}

static void test_sim_gemm_matches_ref(void **state)
{
	struct devs *d = *state;
	struct rng r = {0x9E3779B97F4A7C15ull};
	int i, n = case_count();

	NEED_SIM(d);
	for (i = 0; i < n; i++)
		run_random(d, &r, 0, 0);
}

static void test_sim_conv_matches_ref(void **state)
{
	struct devs *d = *state;
	struct rng r = {0xD1B54A32D192ED03ull};
	int i, n = case_count();

	NEED_SIM(d);
	for (i = 0; i < n; i++)
		run_random(d, &r, 1, i % 3);
}

static void test_sim_deep_reductions_match_ref(void **state)
{
	struct devs *d = *state;
	struct rng r = {0x8CB92BA72F3D8DD7ull};
	int i, n = case_count() / 8 + 1;

	NEED_SIM(d);
	for (i = 0; i < n; i++) {
		run_random(d, &r, 0, 1);
		run_random(d, &r, 1, 3);
		run_random(d, &r, 1, 4);
	}
}

/* Several channel blocks: the B space double-buffered across blocks (K <= 2048),
 * kept for the whole layer (K <= 8192) or reloaded per chunk (deeper). */
static void test_sim_channel_blocks_match_ref(void **state)
{
	struct devs *d = *state;
	struct rng r = {0x2545F4914F6CDD1Dull};
	int i, n = case_count() / 4 + 2;

	NEED_SIM(d);
	for (i = 0; i < n; i++) {
		run_random(d, &r, 0, 2);
		run_random(d, &r, 1, 5);
	}
}

/* Depthwise with line reuse: output rows in strips of ROWS columns, input
 * rows kept in a ring across the rows of a strip and across images. */
static void test_sim_depthwise_strips_match_ref(void **state)
{
	struct devs *d = *state;
	struct rng r = {0x94D049BB133111EBull};
	int i, n = case_count() / 4 + 2;

	NEED_SIM(d);
	for (i = 0; i < n; i++)
		run_random(d, &r, 1, 6);
}

/* The memory model's options change only the timing: a narrower bus is
 * slower, a write channel of its own faster for a layer that writes six
 * bytes per byte read, one outstanding read burst slower; bad values fail
 * the open. */
static void test_sim_memory_model_options(void **state)
{
	static const char *const opts[] = {"sim:mem_mb=16", "sim:mem_mb=16,bw=8",
					   "sim:mem_mb=16,wbw=16", "sim:mem_mb=16,ost=1"};
	struct devs *d = *state;
	struct rng r = {0x5851F42D4C957F2Dull};
	struct run_result rr, rs[4];
	struct layer l;
	qaccel_device *dev;
	int i;

	NEED_SIM(d);
	memset(&l, 0, sizeof(l));
	l.is_conv = 1;
	l.c.batch = 1;
	l.c.in_h = l.c.in_w = 24;
	l.c.in_c = 16;
	l.c.out_c = 96;
	l.c.groups = 1;
	l.c.kernel_h = l.c.kernel_w = 1;
	l.c.stride_h = l.c.stride_w = 1;
	l.c.dilation_h = l.c.dilation_w = 1;
	l.nout = l.c.out_c;
	l.in_len = 24 * 24 * 16;
	l.w_len = 96 * 16;
	random_quant(&r, &l);
	l.q.out_type = QACCEL_INT8;
	l.q.out_zp = 0;
	l.q.act_min = -128;
	l.q.act_max = 127;
	l.out_len = 24 * 24 * 96;
	init_data(&r, &l, 1);
	memset(&rr, 0, sizeof(rr));
	run_layers(d->ref, &l, 1, &rr);
	assert_int_equal(rr.err, 0);
	for (i = 0; i < 4; i++) {
		memset(&rs[i], 0, sizeof(rs[i]));
		assert_int_equal(qaccel_open(opts[i], &dev), 0);
		run_layers(dev, &l, 1, &rs[i]);
		qaccel_close(dev);
		assert_int_equal(rs[i].err, 0);
		assert_memory_equal(rs[i].out[0], rr.out[0], l.out_len);
		free(rs[i].out[0]);
	}
	free(rr.out[0]);
	if (!(rs[1].stats.cycles > rs[0].stats.cycles && rs[2].stats.cycles < rs[0].stats.cycles &&
	      rs[3].stats.cycles > rs[0].stats.cycles))
		fail_msg("cycles: bw 16 shared %llu, bw 8 %llu, separate write channel %llu, "
			 "one outstanding read %llu",
			 (unsigned long long)rs[0].stats.cycles, (unsigned long long)rs[1].stats.cycles,
			 (unsigned long long)rs[2].stats.cycles, (unsigned long long)rs[3].stats.cycles);
	assert_int_equal(qaccel_open("sim:mem_mb=16,wbw=17", &dev), -EINVAL);
	assert_int_equal(qaccel_open("sim:mem_mb=16,wbw=x", &dev), -EINVAL);
	assert_int_equal(qaccel_open("sim:mem_mb=16,ost=0", &dev), -EINVAL);
	assert_int_equal(qaccel_open("sim:mem_mb=16,ost=1025", &dev), -EINVAL);
	free_layer(&l);
}

static void test_sim_multi_layer_job_matches_ref(void **state)
{
	struct devs *d = *state;
	struct rng r = {0x123456789ABCDEFull};
	struct layer ls[3];

	NEED_SIM(d);
	memset(ls, 0, sizeof(ls));
	random_gemm(&r, &ls[0], 0);
	random_conv(&r, &ls[1], 1);
	random_conv(&r, &ls[2], 0);
	run_case(d, &r, ls, 3);
}

static void test_sim_bad_multiplier_fails_like_ref(void **state)
{
	struct devs *d = *state;
	struct rng r = {0xABCDEF12345ull};
	struct layer l;

	NEED_SIM(d);
	memset(&l, 0, sizeof(l));
	random_gemm(&r, &l, 0);
	if (l.q.out_type == QACCEL_INT32) {
		l.q.out_type = QACCEL_INT8;
		l.q.out_zp = 0;
		l.q.act_min = -128;
		l.q.act_max = 127;
		l.out_len /= 4;
	}
	l.mult[l.nout - 1] = 12345; /* below 2^30: out of contract */
	run_case(d, &r, &l, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_gemm_matches_ref),
		cmocka_unit_test(test_sim_conv_matches_ref),
		cmocka_unit_test(test_sim_deep_reductions_match_ref),
		cmocka_unit_test(test_sim_channel_blocks_match_ref),
		cmocka_unit_test(test_sim_depthwise_strips_match_ref),
		cmocka_unit_test(test_sim_memory_model_options),
		cmocka_unit_test(test_sim_multi_layer_job_matches_ref),
		cmocka_unit_test(test_sim_bad_multiplier_fails_like_ref),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
