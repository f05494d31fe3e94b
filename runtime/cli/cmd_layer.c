// SPDX-License-Identifier: MIT
/* `qaccel gemm` and `qaccel conv2d`: one quantized layer from .npy files. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "npy.h"

#define DEFAULT_TIMEOUT_MS 600000

/* The operands of one layer as host arrays, plus what the device needs. */
struct layer {
	const char *cmd;
	int is_conv;
	struct qaccel_gemm gemm;
	struct qaccel_conv2d conv;
	struct qaccel_quant quant;
	struct npy_array in, w, bias, mult, shift, scale;
	int32_t *mult_buf, *shift_buf;   /* per-channel requant, owned */
	uint32_t channels;
	uint64_t out_shape[4];
	int out_ndim;
};

static const struct cli_opt_spec common_spec[] = {
	{ "bias", 1 }, { "out-zp", 1 }, { "multiplier", 1 }, { "shift", 1 }, { "scale", 1 },
	{ "act-min", 1 }, { "act-max", 1 }, { "out-type", 1 }, { "out", 1 }, { "device", 1 },
	{ "xclbin", 1 }, { "stats", 0 }, { "timeout-ms", 1 },
};

#define N_COMMON (sizeof(common_spec) / sizeof(common_spec[0]))

static int load(const char *cmd, const struct cli_opts *o, const char *opt,
		struct npy_array *a, int required)
{
	char err[512];
	const char *path = cli_get(o, opt);

	memset(a, 0, sizeof(*a));
	if (!path) {
		if (required)
			cli_error(cmd, "missing required option --%s", opt);
		return required ? -1 : 0;
	}
	if (npy_load(path, a, err, sizeof(err))) {
		cli_error(cmd, "--%s: %s", opt, err);
		return -1;
	}
	return 0;
}

static int check_8bit(const char *cmd, const char *opt, const struct npy_array *a,
		      enum qaccel_dtype *t)
{
	if (a->dtype == NPY_I1) {
		*t = QACCEL_INT8;
	} else if (a->dtype == NPY_U1) {
		*t = QACCEL_UINT8;
	} else {
		cli_error(cmd, "--%s: dtype %s, expected int8 (|i1) or uint8 (|u1)", opt,
			  npy_dtype_name(a->dtype));
		return -1;
	}
	return 0;
}

static int check_vector(const char *cmd, const char *opt, const struct npy_array *a,
			enum npy_dtype dt, uint32_t n)
{
	if (a->dtype != dt) {
		cli_error(cmd, "--%s: dtype %s, expected %s", opt, npy_dtype_name(a->dtype),
			  npy_dtype_name(dt));
		return -1;
	}
	if (a->ndim != 1 || a->shape[0] != n) {
		cli_error(cmd, "--%s: expected shape (%u,) (one value per output channel), got %d-D "
			  "with %llu elements", opt, n, a->ndim, (unsigned long long)a->count);
		return -1;
	}
	return 0;
}

/* A float literal, or NULL when the text is not entirely one. */
static int parse_double(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return !*s || *end || errno ? -1 : 0;
}

/* --multiplier/--shift arrays, or --scale (float or float32 .npy) converted per channel. */
static int load_requant(const struct cli_opts *o, struct layer *l)
{
	const char *cmd = l->cmd;
	int has_ms = cli_has(o, "multiplier") || cli_has(o, "shift");
	const char *scale = cli_get(o, "scale");
	double s;
	uint32_t i;

	if (l->quant.out_type == QACCEL_INT32) {
		if (has_ms || scale) {
			cli_error(cmd, "--multiplier/--shift/--scale do not apply to --out-type int32");
			return -1;
		}
		return 0;
	}
	if (has_ms && scale) {
		cli_error(cmd, "give either --multiplier and --shift, or --scale, not both");
		return -1;
	}
	l->mult_buf = calloc(l->channels, sizeof(int32_t));
	l->shift_buf = calloc(l->channels, sizeof(int32_t));
	if (!l->mult_buf || !l->shift_buf) {
		cli_error(cmd, "out of memory");
		return -1;
	}
	if (has_ms) {
		if (load(cmd, o, "multiplier", &l->mult, 1) || load(cmd, o, "shift", &l->shift, 1) ||
		    check_vector(cmd, "multiplier", &l->mult, NPY_I4, l->channels) ||
		    check_vector(cmd, "shift", &l->shift, NPY_I4, l->channels))
			return -1;
		memcpy(l->mult_buf, l->mult.data, 4ull * l->channels);
		memcpy(l->shift_buf, l->shift.data, 4ull * l->channels);
		for (i = 0; i < l->channels; i++) {
			int32_t m = l->mult_buf[i], sh = l->shift_buf[i];

			if ((m != 0 && m < (1 << 30)) || sh < -31 || sh > 30) {
				cli_error(cmd, "--multiplier/--shift: channel %u has multiplier %d, shift %d;"
					  " need multiplier 0 or in [2^30, 2^31) and shift in [-31, 30]",
					  i, m, sh);
				return -1;
			}
		}
		return 0;
	}
	if (!scale) {
		cli_error(cmd, "missing --multiplier and --shift, or --scale");
		return -1;
	}
	if (!parse_double(scale, &s)) {
		if (qaccel_quantize_multiplier(s, &l->mult_buf[0], &l->shift_buf[0])) {
			cli_error(cmd, "--scale '%s' must be a finite number >= 0", scale);
			return -1;
		}
		for (i = 1; i < l->channels; i++) {
			l->mult_buf[i] = l->mult_buf[0];
			l->shift_buf[i] = l->shift_buf[0];
		}
		return 0;
	}
	if (load(cmd, o, "scale", &l->scale, 1) ||
	    check_vector(cmd, "scale", &l->scale, NPY_F4, l->channels))
		return -1;
	for (i = 0; i < l->channels; i++) {
		float f = ((const float *)l->scale.data)[i];

		if (qaccel_quantize_multiplier(f, &l->mult_buf[i], &l->shift_buf[i])) {
			cli_error(cmd, "--scale: channel %u has scale %g; must be finite and >= 0", i,
				  (double)f);
			return -1;
		}
	}
	return 0;
}

/* Zero points, output type and activation range shared by both commands. */
static int load_quant(const struct cli_opts *o, struct layer *l, const char *in_zp,
		      const char *w_zp)
{
	struct qaccel_quant *q = &l->quant;
	int32_t lo, hi;

	if (cli_int32(o, in_zp, &q->in_zp) || cli_int32(o, w_zp, &q->w_zp) ||
	    cli_dtype(o, "out-type", &q->out_type, 1, q->in_type))
		return -1;
	if (q->out_type == QACCEL_INT32) {
		if (cli_int32_opt(o, "out-zp", 0, &q->out_zp))
			return -1;
		if (q->out_zp || cli_has(o, "act-min") || cli_has(o, "act-max")) {
			cli_error(l->cmd, "--out-type int32 outputs raw accumulators: --out-zp must be 0"
				  " and --act-min/--act-max do not apply");
			return -1;
		}
		return 0;
	}
	lo = q->out_type == QACCEL_INT8 ? -128 : 0;
	hi = q->out_type == QACCEL_INT8 ? 127 : 255;
	if (cli_int32(o, "out-zp", &q->out_zp) || cli_int32_opt(o, "act-min", lo, &q->act_min) ||
	    cli_int32_opt(o, "act-max", hi, &q->act_max))
		return -1;
	return 0;
}

static void layer_free(struct layer *l)
{
	npy_free(&l->in);
	npy_free(&l->w);
	npy_free(&l->bias);
	npy_free(&l->mult);
	npy_free(&l->shift);
	npy_free(&l->scale);
	free(l->mult_buf);
	free(l->shift_buf);
}

/* Allocates a buffer and copies host data into it; NULL data means output-only. */
static int upload(const char *cmd, qaccel_device *dev, const char *what, const void *data,
		  size_t len, qaccel_buffer **buf)
{
	int err = qaccel_buffer_alloc(dev, len, buf);

	if (!err && data)
		err = qaccel_buffer_write(*buf, 0, data, len);
	if (err)
		cli_error(cmd, "%s: cannot place %zu bytes on the device: %s", what, len,
			  qaccel_strerror(err));
	return err;
}

static int run_layer(const struct cli_opts *o, struct layer *l)
{
	const char *cmd = l->cmd;
	qaccel_device *dev = NULL;
	qaccel_buffer *b[6] = { 0 };
	qaccel_job *job = NULL;
	struct qaccel_operands ops;
	struct qaccel_job_stats st;
	enum npy_dtype out_dt;
	size_t out_elems = 1, out_bytes;
	void *out = NULL;
	int32_t timeout_ms;
	char err_text[512];
	int i, err, rc = -1;

	if (cli_int32_opt(o, "timeout-ms", DEFAULT_TIMEOUT_MS, &timeout_ms))
		return -1;
	for (i = 0; i < l->out_ndim; i++)
		out_elems *= l->out_shape[i];
	out_dt = l->quant.out_type == QACCEL_INT8 ? NPY_I1 :
		 l->quant.out_type == QACCEL_UINT8 ? NPY_U1 : NPY_I4;
	out_bytes = out_elems * npy_item_size(out_dt);
	out = malloc(out_bytes);
	if (!out) {
		cli_error(cmd, "out of memory for a %zu-byte output", out_bytes);
		return -1;
	}
	if (cli_open_device(cmd, o, &dev))
		goto out;
	if (upload(cmd, dev, "input", l->in.data, l->in.nbytes, &b[0]) ||
	    upload(cmd, dev, "weights", l->w.data, l->w.nbytes, &b[1]) ||
	    (l->bias.data && upload(cmd, dev, "bias", l->bias.data, l->bias.nbytes, &b[2])) ||
	    (l->mult_buf && upload(cmd, dev, "multiplier", l->mult_buf, 4ull * l->channels, &b[3])) ||
	    (l->shift_buf && upload(cmd, dev, "shift", l->shift_buf, 4ull * l->channels, &b[4])) ||
	    upload(cmd, dev, "output", NULL, out_bytes, &b[5]))
		goto out;
	cli_operands(&ops, b);
	err = qaccel_job_create(dev, &job);
	if (err) {
		cli_error(cmd, "cannot create a job: %s", qaccel_strerror(err));
		goto out;
	}
	err = l->is_conv ? qaccel_job_add_conv2d(job, &l->conv, &l->quant, &ops)
			 : qaccel_job_add_gemm(job, &l->gemm, &l->quant, &ops);
	if (err) {
		cli_error(cmd, "invalid layer: %s", qaccel_job_error(job));
		goto out;
	}
	err = qaccel_job_submit(job);
	if (!err)
		err = qaccel_job_wait(job, (int64_t)timeout_ms * 1000000);
	if (err) {
		snprintf(err_text, sizeof(err_text), "%s", qaccel_job_error(job));
		cli_error(cmd, "device '%s' failed the job: %s%s%s", cli_get(o, "device") ?
			  cli_get(o, "device") : "(default)", qaccel_strerror(err),
			  err_text[0] ? ": " : "", err_text);
		goto out;
	}
	err = qaccel_buffer_read(b[5], 0, out, out_bytes);
	if (err) {
		cli_error(cmd, "cannot read the output back: %s", qaccel_strerror(err));
		goto out;
	}
	if (npy_save(cli_get(o, "out"), out_dt, l->out_ndim, l->out_shape, out, err_text,
		     sizeof(err_text))) {
		cli_error(cmd, "--out: %s", err_text);
		goto out;
	}
	if (cli_has(o, "stats") && !qaccel_job_stats(job, &st)) {
		struct qaccel_device_info info;

		qaccel_device_info(dev, &info);
		fprintf(stderr, "stats: device=%s cycles=%llu macs=%llu utilization=%.4f\n",
			info.backend, (unsigned long long)st.cycles, (unsigned long long)st.macs,
			st.utilization);
	}
	rc = 0;
out:
	qaccel_job_free(job);
	for (i = 0; i < 6; i++)
		qaccel_buffer_free(b[i]);
	qaccel_close(dev);
	free(out);
	return rc;
}

static int gemm_shape(struct layer *l)
{
	const char *cmd = l->cmd;

	if (check_8bit(cmd, "a", &l->in, &l->quant.in_type) ||
	    check_8bit(cmd, "b", &l->w, &l->quant.w_type))
		return -1;
	if (l->in.ndim != 2 || l->w.ndim != 2) {
		cli_error(cmd, "--a must be (M,K) and --b (K,N): got %d-D and %d-D arrays",
			  l->in.ndim, l->w.ndim);
		return -1;
	}
	if (l->in.shape[1] != l->w.shape[0]) {
		cli_error(cmd, "shape mismatch: --a is (%llu,%llu) but --b is (%llu,%llu); K must agree",
			  (unsigned long long)l->in.shape[0], (unsigned long long)l->in.shape[1],
			  (unsigned long long)l->w.shape[0], (unsigned long long)l->w.shape[1]);
		return -1;
	}
	if (!l->in.count || !l->w.count || l->in.shape[0] > UINT32_MAX ||
	    l->in.shape[1] > UINT32_MAX || l->w.shape[1] > UINT32_MAX) {
		cli_error(cmd, "dimensions must be between 1 and 2^32-1");
		return -1;
	}
	l->gemm.m = (uint32_t)l->in.shape[0];
	l->gemm.k = (uint32_t)l->in.shape[1];
	l->gemm.n = (uint32_t)l->w.shape[1];
	l->channels = l->gemm.n;
	l->out_ndim = 2;
	l->out_shape[0] = l->gemm.m;
	l->out_shape[1] = l->gemm.n;
	return 0;
}

int cmd_gemm(int argc, char **argv)
{
	struct cli_opt_spec spec[N_COMMON + 5] = {
		{ "a", 1 }, { "b", 1 }, { "a-zp", 1 }, { "b-zp", 1 },
	};
	struct cli_opts o;
	struct layer l;
	int rc = 1;

	memcpy(spec + 4, common_spec, sizeof(common_spec));
	memset(&l, 0, sizeof(l));
	l.cmd = "gemm";
	if (cli_parse("gemm", argc, argv, spec, &o))
		return 1;
	if (!cli_get(&o, "out")) {
		cli_error("gemm", "missing required option --out");
		return 1;
	}
	if (load(l.cmd, &o, "a", &l.in, 1) || load(l.cmd, &o, "b", &l.w, 1) || gemm_shape(&l) ||
	    load(l.cmd, &o, "bias", &l.bias, 0) ||
	    (l.bias.data && check_vector(l.cmd, "bias", &l.bias, NPY_I4, l.channels)) ||
	    load_quant(&o, &l, "a-zp", "b-zp") || load_requant(&o, &l) || run_layer(&o, &l))
		goto out;
	rc = 0;
out:
	layer_free(&l);
	return rc;
}

static int conv_shape(const struct cli_opts *o, struct layer *l)
{
	const char *cmd = l->cmd;
	struct qaccel_conv2d *c = &l->conv;
	static const uint32_t one2[2] = { 1, 1 }, zero4[4] = { 0, 0, 0, 0 };
	uint32_t stride[2], dil[2], pad[4], oh, ow;
	int32_t groups;
	int err;

	if (check_8bit(cmd, "input", &l->in, &l->quant.in_type) ||
	    check_8bit(cmd, "weights", &l->w, &l->quant.w_type))
		return -1;
	if (l->in.ndim != 4 || l->w.ndim != 4) {
		cli_error(cmd, "--input must be (N,H,W,Cin) and --weights (Cout,KH,KW,Cin/groups):"
			  " got %d-D and %d-D arrays", l->in.ndim, l->w.ndim);
		return -1;
	}
	if (cli_u32_list(o, "stride", stride, 2, one2) || cli_u32_list(o, "dilation", dil, 2, one2) ||
	    cli_u32_list(o, "pad", pad, 4, zero4) || cli_int32_opt(o, "groups", 1, &groups))
		return -1;
	if (groups < 1) {
		cli_error(cmd, "--groups %d must be >= 1", groups);
		return -1;
	}
	if (!stride[0] || !stride[1] || !dil[0] || !dil[1]) {
		cli_error(cmd, "--stride and --dilation values must be >= 1");
		return -1;
	}
	for (int i = 0; i < 4; i++) {
		if (l->in.shape[i] > UINT32_MAX || l->w.shape[i] > UINT32_MAX || !l->in.shape[i] ||
		    !l->w.shape[i]) {
			cli_error(cmd, "dimensions must be between 1 and 2^32-1");
			return -1;
		}
	}
	if (l->in.shape[3] % (uint32_t)groups || l->w.shape[0] % (uint32_t)groups) {
		cli_error(cmd, "--groups %d must divide Cin (%llu) and Cout (%llu)", groups,
			  (unsigned long long)l->in.shape[3], (unsigned long long)l->w.shape[0]);
		return -1;
	}
	if (l->w.shape[3] * (uint32_t)groups != l->in.shape[3]) {
		cli_error(cmd, "shape mismatch: --weights has %llu input channels per group but --input"
			  " has Cin=%llu with --groups %d (expected %llu)",
			  (unsigned long long)l->w.shape[3], (unsigned long long)l->in.shape[3],
			  groups, (unsigned long long)(l->in.shape[3] / (uint32_t)groups));
		return -1;
	}
	c->batch = (uint32_t)l->in.shape[0];
	c->in_h = (uint32_t)l->in.shape[1];
	c->in_w = (uint32_t)l->in.shape[2];
	c->in_c = (uint32_t)l->in.shape[3];
	c->out_c = (uint32_t)l->w.shape[0];
	c->kernel_h = (uint32_t)l->w.shape[1];
	c->kernel_w = (uint32_t)l->w.shape[2];
	c->stride_h = stride[0];
	c->stride_w = stride[1];
	c->dilation_h = dil[0];
	c->dilation_w = dil[1];
	c->pad_top = pad[0];
	c->pad_left = pad[1];
	c->pad_bottom = pad[2];
	c->pad_right = pad[3];
	c->groups = (uint32_t)groups;
	err = qaccel_conv2d_output_size(c, &oh, &ow);
	if (err) {
		cli_error(cmd, "the %ux%u kernel with dilation %u,%u does not fit the %ux%u input padded"
			  " by %u,%u,%u,%u", c->kernel_h, c->kernel_w, dil[0], dil[1], c->in_h,
			  c->in_w, pad[0], pad[1], pad[2], pad[3]);
		return -1;
	}
	l->channels = c->out_c;
	l->out_ndim = 4;
	l->out_shape[0] = c->batch;
	l->out_shape[1] = oh;
	l->out_shape[2] = ow;
	l->out_shape[3] = c->out_c;
	return 0;
}

int cmd_conv2d(int argc, char **argv)
{
	struct cli_opt_spec spec[N_COMMON + 9] = {
		{ "input", 1 }, { "weights", 1 }, { "input-zp", 1 }, { "weights-zp", 1 },
		{ "stride", 1 }, { "pad", 1 }, { "dilation", 1 }, { "groups", 1 },
	};
	struct cli_opts o;
	struct layer l;
	int rc = 1;

	memcpy(spec + 8, common_spec, sizeof(common_spec));
	memset(&l, 0, sizeof(l));
	l.cmd = "conv2d";
	l.is_conv = 1;
	if (cli_parse("conv2d", argc, argv, spec, &o))
		return 1;
	if (!cli_get(&o, "out")) {
		cli_error("conv2d", "missing required option --out");
		return 1;
	}
	if (load(l.cmd, &o, "input", &l.in, 1) || load(l.cmd, &o, "weights", &l.w, 1) ||
	    conv_shape(&o, &l) || load(l.cmd, &o, "bias", &l.bias, 0) ||
	    (l.bias.data && check_vector(l.cmd, "bias", &l.bias, NPY_I4, l.channels)) ||
	    load_quant(&o, &l, "input-zp", "weights-zp") || load_requant(&o, &l) ||
	    run_layer(&o, &l))
		goto out;
	rc = 0;
out:
	layer_free(&l);
	return rc;
}
