// SPDX-License-Identifier: MIT
/*
 * `qaccel selftest`: random GEMM/conv layers (every dtype, groups,
 * depthwise, stride, dilation, asymmetric padding, int32 output) and a
 * chained multi-layer job, run on a device and compared bit for bit with
 * the naive reference. Exit 0 only if every case is exact.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "naive_ref.h"

struct rng {
	uint64_t s;
};

static uint32_t rnd(struct rng *r)
{
	/* xorshift64*: deterministic for a given --seed */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (uint32_t)((r->s * 0x2545F4914F6CDD1Dull) >> 32);
}

static int32_t rnd_range(struct rng *r, int32_t lo, int32_t hi)
{
	return lo + (int32_t)(rnd(r) % (uint32_t)((int64_t)hi - lo + 1));
}

static int chance(struct rng *r, int percent)
{
	return (int)(rnd(r) % 100) < percent;
}

struct st_case {
	struct naive_layer l;
	uint8_t *in, *w;
	int32_t *bias, *mult, *shift;
	size_t in_bytes, w_bytes, out_bytes;
	void *expect, *got;
};

static int32_t type_min(enum qaccel_dtype t)
{
	return t == QACCEL_INT8 ? -128 : 0;
}

static int32_t type_max(enum qaccel_dtype t)
{
	return t == QACCEL_INT8 ? 127 : 255;
}

static uint32_t small_dim(struct rng *r)
{
	static const uint32_t odd[] = { 1, 2, 3, 5, 7, 13, 16, 17, 31, 33, 64, 67, 97, 131, 257 };

	return chance(r, 60) ? (uint32_t)rnd_range(r, 1, 24) : odd[rnd(r) % 15];
}

static void gen_geometry(struct rng *r, struct naive_layer *l)
{
	struct qaccel_conv2d *c = &l->c;

	memset(c, 0, sizeof(*c));
	l->is_gemm = chance(r, 40);
	if (l->is_gemm) {
		c->batch = 1;
		c->in_h = small_dim(r);
		c->in_w = 1;
		c->in_c = small_dim(r);
		c->out_c = small_dim(r);
		c->kernel_h = c->kernel_w = c->stride_h = c->stride_w = 1;
		c->dilation_h = c->dilation_w = c->groups = 1;
		l->out_h = c->in_h;
		l->out_w = 1;
		return;
	}
	do {
		uint32_t mode = rnd(r) % 3, cin_g, cout_g;

		c->groups = mode == 0 ? 1 : (uint32_t)rnd_range(r, 2, 8);
		cin_g = mode == 2 ? 1 : (uint32_t)rnd_range(r, 1, 20);
		cout_g = mode == 2 ? (uint32_t)rnd_range(r, 1, 3) : (uint32_t)rnd_range(r, 1, 20);
		c->batch = (uint32_t)rnd_range(r, 1, 2);
		c->in_h = (uint32_t)rnd_range(r, 1, 12);
		c->in_w = (uint32_t)rnd_range(r, 1, 12);
		c->in_c = cin_g * c->groups;
		c->out_c = cout_g * c->groups;
		c->kernel_h = (uint32_t)rnd_range(r, 1, 5);
		c->kernel_w = (uint32_t)rnd_range(r, 1, 5);
		c->stride_h = (uint32_t)rnd_range(r, 1, 3);
		c->stride_w = (uint32_t)rnd_range(r, 1, 3);
		c->dilation_h = (uint32_t)rnd_range(r, 1, 2);
		c->dilation_w = (uint32_t)rnd_range(r, 1, 2);
		c->pad_top = (uint32_t)rnd_range(r, 0, 3);
		c->pad_left = (uint32_t)rnd_range(r, 0, 3);
		c->pad_bottom = (uint32_t)rnd_range(r, 0, 3);
		c->pad_right = (uint32_t)rnd_range(r, 0, 3);
	} while (qaccel_conv2d_output_size(c, &l->out_h, &l->out_w));
}

static void gen_quant(struct rng *r, struct st_case *t)
{
	struct qaccel_quant *q = &t->l.q;
	uint32_t i, n = t->l.c.out_c;

	q->in_type = chance(r, 50) ? QACCEL_INT8 : QACCEL_UINT8;
	q->w_type = chance(r, 50) ? QACCEL_INT8 : QACCEL_UINT8;
	q->out_type = chance(r, 15) ? QACCEL_INT32 : chance(r, 50) ? QACCEL_INT8 : QACCEL_UINT8;
	q->in_zp = rnd_range(r, type_min(q->in_type), type_max(q->in_type));
	q->w_zp = chance(r, 50) ? 0 : rnd_range(r, type_min(q->w_type), type_max(q->w_type));
	if (q->out_type != QACCEL_INT32) {
		q->out_zp = rnd_range(r, type_min(q->out_type), type_max(q->out_type));
		q->act_min = type_min(q->out_type);
		q->act_max = type_max(q->out_type);
		if (chance(r, 30)) {
			q->act_min = rnd_range(r, type_min(q->out_type), type_max(q->out_type));
			q->act_max = rnd_range(r, q->act_min, type_max(q->out_type));
		}
	}
	for (i = 0; i < t->in_bytes; i++)
		t->in[i] = (uint8_t)rnd(r);
	for (i = 0; i < t->w_bytes; i++)
		t->w[i] = (uint8_t)rnd(r);
	for (i = 0; t->bias && i < n; i++)
		t->bias[i] = chance(r, 5) ? (int32_t)rnd(r) : rnd_range(r, -20000, 20000);
	for (i = 0; q->out_type != QACCEL_INT32 && i < n; i++) {
		t->mult[i] = chance(r, 3) ? 0 : rnd_range(r, 1 << 30, 0x7FFFFFFF);
		t->shift[i] = chance(r, 5) ? rnd_range(r, -31, 30) : rnd_range(r, -16, 1);
	}
}

static void case_free(struct st_case *t)
{
	free(t->in);
	free(t->w);
	free(t->bias);
	free(t->mult);
	free(t->shift);
	free(t->expect);
	free(t->got);
}

static int gen_case(struct rng *r, struct st_case *t)
{
	const struct qaccel_conv2d *c = &t->l.c;
	size_t n_out;

	memset(t, 0, sizeof(*t));
	gen_geometry(r, &t->l);
	n_out = (size_t)c->batch * t->l.out_h * t->l.out_w * c->out_c;
	t->in_bytes = (size_t)c->batch * c->in_h * c->in_w * c->in_c;
	t->w_bytes = (size_t)c->out_c * c->kernel_h * c->kernel_w * (c->in_c / c->groups);
	t->in = malloc(t->in_bytes);
	t->w = malloc(t->w_bytes);
	t->bias = chance(r, 70) ? malloc(4ull * c->out_c) : NULL;
	t->mult = malloc(4ull * c->out_c);
	t->shift = malloc(4ull * c->out_c);
	t->out_bytes = n_out * 4; /* room for int32; trimmed below */
	t->expect = calloc(1, t->out_bytes);
	t->got = calloc(1, t->out_bytes);
	if (!t->in || !t->w || !t->mult || !t->shift || !t->expect || !t->got)
		return -1;
	gen_quant(r, t);
	if (t->l.q.out_type != QACCEL_INT32)
		t->out_bytes = n_out;
	naive_run(&t->l, t->in, t->w, t->bias, t->mult, t->shift, t->expect);
	return 0;
}

/* Appends the case as one layer of `job`, with its operands in fresh buffers. */
static int add_case(qaccel_device *dev, qaccel_job *job, struct st_case *t, qaccel_buffer *b[6])
{
	struct qaccel_operands ops;
	size_t vec = 4ull * t->l.c.out_c;
	int err;

	err = qaccel_buffer_alloc(dev, t->in_bytes, &b[0]);
	err = err ? err : qaccel_buffer_write(b[0], 0, t->in, t->in_bytes);
	err = err ? err : qaccel_buffer_alloc(dev, t->w_bytes, &b[1]);
	err = err ? err : qaccel_buffer_write(b[1], 0, t->w, t->w_bytes);
	if (!err && t->bias) {
		err = qaccel_buffer_alloc(dev, vec, &b[2]);
		err = err ? err : qaccel_buffer_write(b[2], 0, t->bias, vec);
	}
	if (!err && t->l.q.out_type != QACCEL_INT32) {
		err = qaccel_buffer_alloc(dev, vec, &b[3]);
		err = err ? err : qaccel_buffer_write(b[3], 0, t->mult, vec);
		err = err ? err : qaccel_buffer_alloc(dev, vec, &b[4]);
		err = err ? err : qaccel_buffer_write(b[4], 0, t->shift, vec);
	}
	err = err ? err : qaccel_buffer_alloc(dev, t->out_bytes, &b[5]);
	if (err)
		return err;
	cli_operands(&ops, b);
	if (t->l.is_gemm) {
		struct qaccel_gemm g = { t->l.c.in_h, t->l.c.out_c, t->l.c.in_c };

		return qaccel_job_add_gemm(job, &g, &t->l.q, &ops);
	}
	return qaccel_job_add_conv2d(job, &t->l.c, &t->l.q, &ops);
}

static void describe(const struct st_case *t, char *buf, size_t len)
{
	const struct qaccel_conv2d *c = &t->l.c;

	if (t->l.is_gemm)
		snprintf(buf, len, "gemm m=%u n=%u k=%u", c->in_h, c->out_c, c->in_c);
	else
		snprintf(buf, len, "conv2d %ux%ux%ux%u -> %u k=%ux%u s=%u,%u d=%u,%u p=%u,%u,%u,%u g=%u",
			 c->batch, c->in_h, c->in_w, c->in_c, c->out_c, c->kernel_h, c->kernel_w,
			 c->stride_h, c->stride_w, c->dilation_h, c->dilation_w, c->pad_top,
			 c->pad_left, c->pad_bottom, c->pad_right, c->groups);
}

/* Runs `n` cases as one job (n == 1: a job per case); returns failures. */
static int run_batch(qaccel_device *dev, struct st_case *cases, int n, int *errors)
{
	qaccel_buffer *bufs[64][6];
	qaccel_job *job = NULL;
	int i, j, fails = 0, err;
	char what[256];

	memset(bufs, 0, sizeof(bufs));
	err = qaccel_job_create(dev, &job);
	for (i = 0; !err && i < n; i++)
		err = add_case(dev, job, &cases[i], bufs[i]);
	if (!err)
		err = qaccel_job_submit(job);
	if (!err)
		err = qaccel_job_wait(job, 600ll * 1000000000);
	for (i = 0; i < n; i++) {
		describe(&cases[i], what, sizeof(what));
		if (err) {
			fprintf(stderr, "selftest: FAIL %s: %s (%s)\n", what, qaccel_strerror(err),
				job ? qaccel_job_error(job) : "");
			fails++;
			continue;
		}
		qaccel_buffer_read(bufs[i][5], 0, cases[i].got, cases[i].out_bytes);
		if (memcmp(cases[i].got, cases[i].expect, cases[i].out_bytes)) {
			fprintf(stderr, "selftest: FAIL %s: output differs from the reference\n", what);
			fails++;
		}
	}
	if (err)
		(*errors)++;
	qaccel_job_free(job);
	for (i = 0; i < n; i++)
		for (j = 0; j < 6; j++)
			qaccel_buffer_free(bufs[i][j]);
	return fails;
}

int cmd_selftest(int argc, char **argv)
{
	static const struct cli_opt_spec spec[] = {
		{ "device", 1 }, { "xclbin", 1 }, { "cases", 1 }, { "seed", 1 }, { NULL, 0 },
	};
	struct cli_opts o;
	struct qaccel_device_info info;
	qaccel_device *dev;
	struct st_case batch[8];
	int32_t ncases, seed;
	struct rng r;
	int i, j, n, fails = 0, errors = 0, total = 0;

	if (cli_parse("selftest", argc, argv, spec, &o) ||
	    cli_int32_opt(&o, "cases", 200, &ncases) || cli_int32_opt(&o, "seed", 1, &seed))
		return 1;
	if (ncases < 1 || ncases > 100000) {
		cli_error("selftest", "--cases %d must be in [1, 100000]", ncases);
		return 1;
	}
	if (cli_open_device("selftest", &o, &dev))
		return 1;
	qaccel_device_info(dev, &info);
	r.s = 0x9E3779B97F4A7C15ull ^ (uint64_t)(uint32_t)seed;
	/* Most cases run one per job; every fourth batch runs 8 layers from one doorbell. */
	for (i = 0; i < ncases; i += n) {
		n = (i / 8) % 4 == 3 && ncases - i >= 8 ? 8 : 1;
		for (j = 0; j < n; j++) {
			if (gen_case(&r, &batch[j])) {
				cli_error("selftest", "out of memory");
				qaccel_close(dev);
				return 1;
			}
		}
		fails += run_batch(dev, batch, n, &errors);
		total += n;
		for (j = 0; j < n; j++)
			case_free(&batch[j]);
	}
	qaccel_close(dev);
	printf("selftest: device=%s: %d passed, %d failed\n", info.name, total - fails, fails);
	return fails ? 1 : 0;
}
