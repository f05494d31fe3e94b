// SPDX-License-Identifier: MIT
/*
 * Driver conformance through libqaccel: random GEMM / conv2d jobs (1-3
 * layers per job, operands at nonzero offsets in shared buffers, so the
 * driver's (BO index, offset) patching is exercised) run on one device and
 * compared byte for byte with the outputs another device produced.
 *
 *   qaccel_conf gen   DEVICE FILE CASES SEED   # on the host, DEVICE=ref
 *   qaccel_conf check DEVICE FILE              # in the guest, DEVICE=kdrv
 *
 * FILE holds "QACONF1", cases, seed, then per case the output bytes; the
 * inputs are regenerated from the seed on both sides.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qaccel.h"

#define MAX_LAYERS 3
#define ALIGN_UP(x, a) (((x) + (a) - 1) / (a) * (a))

static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static uint32_t rnd_range(uint32_t lo, uint32_t hi) /* inclusive */
{
	return lo + rnd() % (hi - lo + 1);
}

struct layer {
	int is_conv;
	struct qaccel_gemm g;
	struct qaccel_conv2d c;
	struct qaccel_quant q;
	int has_bias;
	uint32_t out_c;
	size_t in_len, w_len, out_len;
	size_t in_off, w_off, bias_off, mult_off, shift_off, out_off;
};

static int zp_for(enum qaccel_dtype t)
{
	return t == QACCEL_INT8 ? (int)rnd_range(0, 40) - 20 : (int)rnd_range(0, 40) + 100;
}

static void make_quant(struct qaccel_quant *q)
{
	memset(q, 0, sizeof(*q));
	q->in_type = rnd() & 1 ? QACCEL_UINT8 : QACCEL_INT8;
	q->w_type = rnd() & 1 ? QACCEL_UINT8 : QACCEL_INT8;
	q->out_type = (enum qaccel_dtype)rnd_range(0, 2);
	q->in_zp = zp_for(q->in_type);
	q->w_zp = zp_for(q->w_type);
	if (q->out_type != QACCEL_INT32) {
		int lo = q->out_type == QACCEL_INT8 ? -128 : 0;

		q->out_zp = zp_for(q->out_type);
		q->act_min = lo + (int)rnd_range(0, 10);
		q->act_max = lo + 255 - (int)rnd_range(0, 10);
	}
}

/* Shapes and byte sizes of one layer; offsets are assigned by the caller. */
static int make_layer(struct layer *l)
{
	uint32_t oh, ow;

	memset(l, 0, sizeof(*l));
	make_quant(&l->q);
	l->has_bias = rnd() % 4 != 0;
	l->is_conv = rnd() & 1;
	if (!l->is_conv) {
		l->g.m = rnd_range(1, 48);
		l->g.n = rnd_range(1, 40);
		l->g.k = rnd_range(1, 80);
		l->out_c = l->g.n;
		l->in_len = (size_t)l->g.m * l->g.k;
		l->w_len = (size_t)l->g.k * l->g.n;
		l->out_len = (size_t)l->g.m * l->g.n;
	} else {
		struct qaccel_conv2d *c = &l->c;
		uint32_t kind = rnd_range(0, 2);

		c->batch = rnd_range(1, 2);
		c->in_h = rnd_range(1, 10);
		c->in_w = rnd_range(1, 10);
		c->kernel_h = rnd_range(1, 3);
		c->kernel_w = rnd_range(1, 3);
		c->stride_h = rnd_range(1, 2);
		c->stride_w = rnd_range(1, 2);
		c->dilation_h = rnd_range(1, 2);
		c->dilation_w = rnd_range(1, 2);
		c->pad_top = rnd_range(0, 2);
		c->pad_left = rnd_range(0, 2);
		c->pad_bottom = rnd_range(0, 2);
		c->pad_right = rnd_range(0, 2);
		if (kind == 0) {          /* plain */
			c->groups = 1;
			c->in_c = rnd_range(1, 12);
			c->out_c = rnd_range(1, 12);
		} else if (kind == 1) {   /* depthwise, channel multiplier 1-2 */
			c->in_c = rnd_range(1, 12);
			c->groups = c->in_c;
			c->out_c = c->in_c * rnd_range(1, 2);
		} else {                  /* grouped */
			c->groups = rnd_range(2, 3);
			c->in_c = c->groups * rnd_range(1, 4);
			c->out_c = c->groups * rnd_range(1, 4);
		}
		if (qaccel_conv2d_output_size(c, &oh, &ow))
			return -EAGAIN; /* kernel larger than the padded input: draw again */
		l->out_c = c->out_c;
		l->in_len = (size_t)c->batch * c->in_h * c->in_w * c->in_c;
		l->w_len = (size_t)c->out_c * c->kernel_h * c->kernel_w * (c->in_c / c->groups);
		l->out_len = (size_t)c->batch * oh * ow * c->out_c;
	}
	if (l->q.out_type == QACCEL_INT32)
		l->out_len *= 4;
	return 0;
}

static void fill_bytes(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

/* Runs one case on dev; returns the output bytes (malloc'd) through out/out_len. */
static int run_case(qaccel_device *dev, uint64_t seed, int idx, uint8_t **out, size_t *out_len,
		    char *why, size_t why_len)
{
	struct layer L[MAX_LAYERS];
	int nl, i, err;
	size_t act_sz = 0, par_sz = 0, out_sz = 0;
	qaccel_buffer *act = NULL, *par = NULL, *res = NULL;
	qaccel_job *job = NULL;
	uint8_t *host_act = NULL, *host_par = NULL;

	rng_state = seed * 0x9E3779B97F4A7C15ull + (uint64_t)idx * 0xD1B54A32D192ED03ull + 1;
	for (i = 0; i < 8; i++)
		rnd();
	nl = (int)rnd_range(1, MAX_LAYERS);
	for (i = 0; i < nl; i++) {
		while (make_layer(&L[i]))
			;
		/* Each operand at a ragged, type-aligned offset of a shared buffer. */
		act_sz += rnd_range(0, 9);
		L[i].in_off = act_sz;
		act_sz += L[i].in_len;
		par_sz = ALIGN_UP(par_sz + rnd_range(0, 5), 1);
		L[i].w_off = par_sz;
		par_sz = ALIGN_UP(par_sz + L[i].w_len, 4);
		L[i].bias_off = par_sz;
		par_sz += 4 * (size_t)L[i].out_c;
		L[i].mult_off = par_sz;
		par_sz += 4 * (size_t)L[i].out_c;
		L[i].shift_off = par_sz;
		par_sz += 4 * (size_t)L[i].out_c;
		out_sz = ALIGN_UP(out_sz + rnd_range(0, 7), 4);
		L[i].out_off = out_sz;
		out_sz += L[i].out_len;
	}
	host_act = malloc(act_sz + 1);
	host_par = calloc(1, par_sz + 1);
	if (!host_act || !host_par) {
		err = -ENOMEM;
		goto out;
	}
	fill_bytes(host_act, act_sz);
	for (i = 0; i < nl; i++) {
		uint32_t c;

		fill_bytes(host_par + L[i].w_off, L[i].w_len);
		for (c = 0; c < L[i].out_c; c++) {
			int32_t bias = (int32_t)(rnd() % 20001) - 10000;
			int32_t mult = (int32_t)(0x40000000u + (rnd() & 0x3FFFFFFF));
			int32_t shift = -(int32_t)rnd_range(4, 14);

			memcpy(host_par + L[i].bias_off + 4 * c, &bias, 4);
			memcpy(host_par + L[i].mult_off + 4 * c, &mult, 4);
			memcpy(host_par + L[i].shift_off + 4 * c, &shift, 4);
		}
	}
	err = qaccel_buffer_alloc(dev, act_sz, &act);
	if (!err)
		err = qaccel_buffer_alloc(dev, par_sz, &par);
	if (!err)
		err = qaccel_buffer_alloc(dev, out_sz, &res);
	if (!err)
		err = qaccel_buffer_write(act, 0, host_act, act_sz);
	if (!err)
		err = qaccel_buffer_write(par, 0, host_par, par_sz);
	if (!err) {
		/* Gaps between outputs must stay zero on every device. */
		uint8_t *zero = calloc(1, out_sz + 1);

		err = zero ? qaccel_buffer_write(res, 0, zero, out_sz) : -ENOMEM;
		free(zero);
	}
	if (!err)
		err = qaccel_job_create(dev, &job);
	if (err) {
		snprintf(why, why_len, "setup: %s", qaccel_strerror(err));
		goto out;
	}
	for (i = 0; i < nl; i++) {
		struct qaccel_operands ops;

		memset(&ops, 0, sizeof(ops));
		ops.input = (struct qaccel_tensor){ act, L[i].in_off };
		ops.weights = (struct qaccel_tensor){ par, L[i].w_off };
		if (L[i].has_bias)
			ops.bias = (struct qaccel_tensor){ par, L[i].bias_off };
		if (L[i].q.out_type != QACCEL_INT32) {
			ops.multiplier = (struct qaccel_tensor){ par, L[i].mult_off };
			ops.shift = (struct qaccel_tensor){ par, L[i].shift_off };
		}
		ops.output = (struct qaccel_tensor){ res, L[i].out_off };
		err = L[i].is_conv ? qaccel_job_add_conv2d(job, &L[i].c, &L[i].q, &ops)
				   : qaccel_job_add_gemm(job, &L[i].g, &L[i].q, &ops);
		if (err) {
			snprintf(why, why_len, "layer %d: %s", i, qaccel_job_error(job));
			goto out;
		}
	}
	if (getenv("QACONF_VERBOSE"))
		for (i = 0; i < nl; i++)
			fprintf(stderr, "case %d layer %d/%d %s out_type %d bias %d in_off %zu "
				"out_off %zu out_len %zu\n", idx, i, nl, L[i].is_conv ? "conv" : "gemm", (int)L[i].q.out_type,
				L[i].has_bias, L[i].in_off, L[i].out_off, L[i].out_len);
	err = qaccel_job_submit(job);
	if (!err)
		err = qaccel_job_wait(job, 30000000000ll);
	if (err) {
		snprintf(why, why_len, "run: %s", qaccel_job_error(job));
		goto out;
	}
	*out = malloc(out_sz + 1);
	*out_len = out_sz;
	if (!*out) {
		err = -ENOMEM;
		goto out;
	}
	err = qaccel_buffer_read(res, 0, *out, out_sz);
out:
	qaccel_job_free(job);
	qaccel_buffer_free(act);
	qaccel_buffer_free(par);
	qaccel_buffer_free(res);
	free(host_act);
	free(host_par);
	return err;
}

static int gen(const char *devname, const char *path, int cases, uint64_t seed)
{
	qaccel_device *dev;
	FILE *f;
	int i, err;

	err = qaccel_open(devname, &dev);
	if (err) {
		fprintf(stderr, "qaccel_conf: open %s: %s\n", devname, qaccel_strerror(err));
		return 1;
	}
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return 1;
	}
	fprintf(f, "QACONF1 %d %" PRIu64 "\n", cases, seed);
	for (i = 0; i < cases; i++) {
		uint8_t *out = NULL;
		size_t len = 0;
		char why[256] = "";
		uint64_t l64;

		err = run_case(dev, seed, i, &out, &len, why, sizeof(why));
		if (err) {
			fprintf(stderr, "qaccel_conf: case %d on %s: %s\n", i, devname, why);
			return 1;
		}
		l64 = len;
		fwrite(&l64, sizeof(l64), 1, f);
		fwrite(out, 1, len, f);
		free(out);
	}
	qaccel_close(dev);
	return fclose(f) ? 1 : 0;
}

static int check(const char *devname, const char *path)
{
	qaccel_device *dev;
	int cases, i, err, failed = 0;
	uint64_t seed;
	FILE *f;

	f = fopen(path, "rb");
	if (!f || fscanf(f, "QACONF1 %d %" SCNu64, &cases, &seed) != 2 || fgetc(f) != '\n') {
		fprintf(stderr, "qaccel_conf: %s: not a QACONF1 file\n", path);
		return 1;
	}
	err = qaccel_open(devname, &dev);
	if (err) {
		fprintf(stderr, "qaccel_conf: open %s: %s\n", devname, qaccel_strerror(err));
		printf("CONF cases=%d passed=0 failed=%d\n", cases, cases);
		return 1;
	}
	for (i = 0; i < cases; i++) {
		uint8_t *out = NULL, *exp = NULL;
		uint64_t elen;
		size_t len = 0;
		char why[256] = "";

		if (fread(&elen, sizeof(elen), 1, f) != 1 || !(exp = malloc(elen + 1)) ||
		    fread(exp, 1, elen, f) != elen) {
			fprintf(stderr, "qaccel_conf: %s truncated at case %d\n", path, i);
			free(exp);
			return 1;
		}
		err = run_case(dev, seed, i, &out, &len, why, sizeof(why));
		if (err) {
			printf("FAIL conf case %d: %s\n", i, why);
			failed++;
		} else if (len != elen || memcmp(out, exp, len)) {
			size_t k = 0;

			while (k < len && k < elen && out[k] == exp[k])
				k++;
			printf("FAIL conf case %d: output differs at byte %zu of %zu\n", i, k,
			       (size_t)elen);
			failed++;
		}
		free(out);
		free(exp);
	}
	qaccel_close(dev);
	fclose(f);
	printf("CONF cases=%d passed=%d failed=%d\n", cases, cases - failed, failed);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "gen"))
		return gen(argv[2], argv[3], atoi(argv[4]), strtoull(argv[5], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "check"))
		return check(argv[2], argv[3]);
	fprintf(stderr, "usage: qaccel_conf gen DEVICE FILE CASES SEED | check DEVICE FILE\n");
	return 2;
}
