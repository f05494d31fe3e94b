// SPDX-License-Identifier: MIT
/*
 * make bench (sim part): runs layers on the `sim` device (RTL under
 * Verilator, DDR-like AXI memory model) and reports, per layer, the core's
 * own cycle/MAC counters, utilization = MACs / (rows * cols * cycles), the
 * roofline (each tensor through the memory channel once, a full array every
 * cycle), the array bound (the roofline, or the cycles of the layer's MACs
 * tiled onto the rows x cols array if more) and the simulation speed in core
 * cycles per second of host time.
 * "ok" means the output matched the ref backend bit for bit.
 *
 *   sim_bench [--device sim[:args]] [--limit N] [--out FILE.json]
 *             (--gemm M,N,K | --conv H,W,CIN,COUT,KH,KW,S,PT,PL,PB,PR,G | --csv FILE)...
 *
 * CSV files are the /work/shared/workloads format (gemm: name,op,m,n,k;
 * conv2d: name,op,h,w,cin,cout,kh,kw,stride,pad_t,pad_l,pad_b,pad_r,groups),
 * batch 1. Fixed pseudo-random int8 data.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qaccel.h"

struct layer {
	char name[64];
	char set[64];
	int conv;
	struct qaccel_gemm g;
	struct qaccel_conv2d c;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int parse_list(const char *s, uint32_t *v, int n)
{
	int i;
	char *end;

	for (i = 0; i < n; i++) {
		v[i] = (uint32_t)strtoul(s, &end, 10);
		if (end == s)
			return -1;
		s = end;
		if (i + 1 < n) {
			if (*s != ',')
				return -1;
			s++;
		}
	}
	return *s && *s != '\n' && *s != '\r' ? -1 : 0;
}

static void conv_from(struct layer *l, const uint32_t *v)
{
	memset(&l->c, 0, sizeof(l->c));
	l->conv = 1;
	l->c.batch = 1;
	l->c.in_h = v[0];
	l->c.in_w = v[1];
	l->c.in_c = v[2];
	l->c.out_c = v[3];
	l->c.kernel_h = v[4];
	l->c.kernel_w = v[5];
	l->c.stride_h = l->c.stride_w = v[6];
	l->c.pad_top = v[7];
	l->c.pad_left = v[8];
	l->c.pad_bottom = v[9];
	l->c.pad_right = v[10];
	l->c.groups = v[11];
	l->c.dilation_h = l->c.dilation_w = 1;
}

static int load_csv(const char *path, struct layer **ls, int *n, int *cap)
{
	FILE *f = fopen(path, "r");
	char line[512];
	const char *base = strrchr(path, '/');

	if (!f) {
		fprintf(stderr, "sim_bench: %s: %s\n", path, strerror(errno));
		return -1;
	}
	base = base ? base + 1 : path;
	while (fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ','), *c2;
		struct layer l;
		uint32_t v[12];

		if (!c1 || !strncmp(line, "name,", 5))
			continue;
		c2 = strchr(c1 + 1, ',');
		if (!c2)
			continue;
		memset(&l, 0, sizeof(l));
		snprintf(l.name, sizeof(l.name), "%.*s", (int)(c1 - line), line);
		snprintf(l.set, sizeof(l.set), "%.*s", (int)(strcspn(base, ".")), base);
		if (!strncmp(c1 + 1, "gemm", 4)) {
			if (parse_list(c2 + 1, v, 3))
				continue;
			l.g.m = v[0];
			l.g.n = v[1];
			l.g.k = v[2];
		} else {
			if (parse_list(c2 + 1, v, 12))
				continue;
			conv_from(&l, v);
		}
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 64;
			*ls = realloc(*ls, sizeof(**ls) * (size_t)*cap);
		}
		(*ls)[(*n)++] = l;
	}
	fclose(f);
	return 0;
}

/*
 * Cycles an output-stationary rows x cols array needs for the layer's MACs
 * alone: pixels tile the rows and output channels the columns (per group),
 * so a 7x7 layer's 49 pixels take 64 rows' time. Depthwise layers map
 * channels across the array and are counted at the full array (their bound
 * is the memory channel). With the roofline this bounds what any such core
 * can reach running the layer on its own.
 */
static double tiled_cycles(const struct layer *l, uint32_t rows, uint32_t cols)
{
	uint64_t m, n, k, g;

	if (!rows || !cols)
		return 0;
	if (l->conv) {
		uint32_t oh, ow;

		if (qaccel_conv2d_output_size(&l->c, &oh, &ow) || !l->c.groups)
			return 0;
		g = l->c.groups;
		m = (uint64_t)l->c.batch * oh * ow;
		n = l->c.out_c / g;
		k = (uint64_t)l->c.kernel_h * l->c.kernel_w * (l->c.in_c / g);
		if (g > 1 && g == l->c.in_c && g == l->c.out_c)
			return (double)m * g * k / ((double)rows * cols);
	} else {
		g = 1;
		m = l->g.m;
		n = l->g.n;
		k = l->g.k;
	}
	return (double)g * ((m + rows - 1) / rows) * ((n + cols - 1) / cols) * k;
}

/* Bytes of the layer's input, weights and output (int8), and its output channels. */
static int layer_sizes(const struct layer *l, size_t *in_len, size_t *w_len, size_t *out_len,
		       size_t *nout)
{
	if (l->conv) {
		uint32_t oh, ow;

		if (qaccel_conv2d_output_size(&l->c, &oh, &ow))
			return -EINVAL;
		*in_len = (size_t)l->c.batch * l->c.in_h * l->c.in_w * l->c.in_c;
		*w_len = (size_t)l->c.out_c * l->c.kernel_h * l->c.kernel_w * (l->c.in_c / l->c.groups);
		*out_len = (size_t)l->c.batch * oh * ow * l->c.out_c;
		*nout = l->c.out_c;
	} else {
		*in_len = (size_t)l->g.m * l->g.k;
		*w_len = (size_t)l->g.k * l->g.n;
		*out_len = (size_t)l->g.m * l->g.n;
		*nout = l->g.n;
	}
	return 0;
}

/* Option key=N of a "sim:a=1,b=2" device string, else dflt. */
static double device_opt(const char *device, const char *key, double dflt)
{
	const char *p = strchr(device, ':');
	size_t klen = strlen(key);

	while (p && *p) {
		p++;
		if (!strncmp(p, key, klen) && p[klen] == '=')
			return atof(p + klen + 1);
		p = strchr(p, ',');
	}
	return dflt;
}

/* Runs one layer on dev with fixed pseudo-random operands; its output (malloc'ed) in *result. */
static int run_layer(qaccel_device *dev, const struct layer *l, struct qaccel_job_stats *st,
		     double *secs, uint8_t **result)
{
	size_t in_len, w_len, out_len, nout, i;
	qaccel_buffer *b[5] = {0};
	struct qaccel_operands ops;
	struct qaccel_quant q = {QACCEL_INT8, QACCEL_INT8, QACCEL_INT8, -3, 0, 5, -128, 127};
	qaccel_job *job = NULL;
	uint8_t *tmp;
	int err;

	if (layer_sizes(l, &in_len, &w_len, &out_len, &nout))
		return -EINVAL;
	err = qaccel_buffer_alloc(dev, in_len, &b[0]);
	err = err ? err : qaccel_buffer_alloc(dev, w_len, &b[1]);
	err = err ? err : qaccel_buffer_alloc(dev, 4 * nout, &b[2]);
	err = err ? err : qaccel_buffer_alloc(dev, 4 * nout, &b[3]);
	err = err ? err : qaccel_buffer_alloc(dev, out_len, &b[4]);
	if (err)
		goto out;
	tmp = malloc(in_len > w_len ? in_len : w_len);
	for (i = 0; i < in_len; i++)
		tmp[i] = (uint8_t)(i * 2654435761u >> 13);
	qaccel_buffer_write(b[0], 0, tmp, in_len);
	for (i = 0; i < w_len; i++)
		tmp[i] = (uint8_t)(i * 40503u >> 5);
	qaccel_buffer_write(b[1], 0, tmp, w_len);
	free(tmp);
	for (i = 0; i < nout; i++) {
		int32_t m = 1518500250, s = -9;

		qaccel_buffer_write(b[2], 4 * i, &m, 4);
		qaccel_buffer_write(b[3], 4 * i, &s, 4);
	}
	memset(&ops, 0, sizeof(ops));
	ops.input.buf = b[0];
	ops.weights.buf = b[1];
	ops.multiplier.buf = b[2];
	ops.shift.buf = b[3];
	ops.output.buf = b[4];
	err = qaccel_job_create(dev, &job);
	if (err)
		goto out;
	err = l->conv ? qaccel_job_add_conv2d(job, &l->c, &q, &ops)
		      : qaccel_job_add_gemm(job, &l->g, &q, &ops);
	if (err)
		goto out;
	*secs = now_s();
	err = qaccel_job_submit(job);
	if (!err)
		err = qaccel_job_wait(job, -1);
	*secs = now_s() - *secs;
	if (!err)
		err = qaccel_job_stats(job, st);
	if (!err) {
		*result = malloc(out_len);
		err = *result ? qaccel_buffer_read(b[4], 0, *result, out_len) : -ENOMEM;
	}
	if (err)
		fprintf(stderr, "sim_bench: %s: %s\n", l->name, qaccel_job_error(job));
out:
	qaccel_job_free(job);
	for (i = 0; i < 5; i++)
		qaccel_buffer_free(b[i]);
	return err;
}

int main(int argc, char **argv)
{
	const char *device = "sim", *out_path = NULL;
	struct layer *ls = NULL;
	int n = 0, cap = 0, i, limit = 0;
	qaccel_device *dev, *ref;
	struct qaccel_device_info info;
	FILE *out = stdout;
	double tot_secs = 0, bw, wbw;
	uint64_t tot_cycles = 0;

	for (i = 1; i < argc; i++) {
		struct layer l;
		uint32_t v[12];

		memset(&l, 0, sizeof(l));
		if (!strcmp(argv[i], "--device") && i + 1 < argc) {
			device = argv[++i];
		} else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			out_path = argv[++i];
		} else if (!strcmp(argv[i], "--limit") && i + 1 < argc) {
			limit = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--csv") && i + 1 < argc) {
			if (load_csv(argv[++i], &ls, &n, &cap))
				return 2;
		} else if (!strcmp(argv[i], "--gemm") && i + 1 < argc && !parse_list(argv[i + 1], v, 3)) {
			i++;
			snprintf(l.name, sizeof(l.name), "gemm%ux%ux%u", v[0], v[1], v[2]);
			snprintf(l.set, sizeof(l.set), "gemm");
			l.g.m = v[0];
			l.g.n = v[1];
			l.g.k = v[2];
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				ls = realloc(ls, sizeof(*ls) * (size_t)cap);
			}
			ls[n++] = l;
		} else if (!strcmp(argv[i], "--conv") && i + 1 < argc && !parse_list(argv[i + 1], v, 12)) {
			i++;
			conv_from(&l, v);
			snprintf(l.name, sizeof(l.name), "conv%ux%ux%u-%u_k%u_s%u_g%u", v[0], v[1], v[2],
				 v[3], v[4], v[6], v[11]);
			snprintf(l.set, sizeof(l.set), "conv");
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				ls = realloc(ls, sizeof(*ls) * (size_t)cap);
			}
			ls[n++] = l;
		} else {
			fprintf(stderr, "sim_bench: bad argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (qaccel_open(device, &dev)) {
		fprintf(stderr, "sim_bench: cannot open device %s\n", device);
		return 1;
	}
	/* every layer's output is checked bit for bit against the ref backend */
	if (qaccel_open("ref", &ref)) {
		fprintf(stderr, "sim_bench: cannot open device ref\n");
		return 1;
	}
	qaccel_device_info(dev, &info);
	bw = device_opt(device, "bw", 16);
	wbw = device_opt(device, "wbw", 0);
	if (out_path) {
		out = fopen(out_path, "w");
		if (!out) {
			fprintf(stderr, "sim_bench: %s: %s\n", out_path, strerror(errno));
			return 1;
		}
	}
	fprintf(out, "{\"device\": \"%s\", \"rows\": %u, \"cols\": %u, \"layers\": [\n", device,
		info.array_rows, info.array_cols);
	for (i = 0; i < n && (!limit || i < limit); i++) {
		struct qaccel_job_stats st, ref_st;
		double secs = 0, ref_secs, roof = 0, bound = 0;
		size_t in_len = 0, w_len = 0, out_len = 0, nout;
		uint8_t *res = NULL, *ref_res = NULL;
		int sized = !layer_sizes(&ls[i], &in_len, &w_len, &out_len, &nout);
		int err;

		memset(&st, 0, sizeof(st));
		err = run_layer(dev, &ls[i], &st, &secs, &res);
		if (!err && sized &&
		    (run_layer(ref, &ls[i], &ref_st, &ref_secs, &ref_res) ||
		     memcmp(res, ref_res, out_len))) {
			fprintf(stderr, "sim_bench: %s: output differs from ref\n", ls[i].name);
			err = -EIO;
		}
		free(res);
		free(ref_res);
		tot_secs += secs;
		tot_cycles += st.cycles;
		/* roofline: every tensor crosses the memory channel once (the
		 * output over its own channel if the model has one), and the
		 * array does rows * cols MACs per cycle */
		if (sized) {
			roof = wbw > 0 ? (double)(in_len + w_len) / bw : (double)(in_len + w_len + out_len) / bw;
			if (wbw > 0 && out_len / wbw > roof)
				roof = out_len / wbw;
			if ((double)st.macs / (info.array_rows * info.array_cols) > roof)
				roof = (double)st.macs / (info.array_rows * info.array_cols);
			bound = tiled_cycles(&ls[i], info.array_rows, info.array_cols);
			if (bound < roof)
				bound = roof;
		}
		fprintf(out, "%s  {\"set\": \"%s\", \"name\": \"%s\", \"ok\": %s, \"macs\": %llu, "
			"\"cycles\": %llu, \"stall_cycles\": %llu, \"utilization\": %.4f, "
			"\"min_bytes\": %zu, \"roofline_cycles\": %.0f, \"array_bound_cycles\": %.0f, "
			"\"sim_seconds\": %.3f, \"sim_cycles_per_s\": %.0f}",
			i ? ",\n" : "", ls[i].set, ls[i].name, err ? "false" : "true",
			(unsigned long long)st.macs, (unsigned long long)st.cycles,
			(unsigned long long)st.stall_cycles, st.utilization,
			in_len + w_len + out_len, roof, bound, secs,
			secs > 0 ? st.cycles / secs : 0.0);
		fflush(out);
		fprintf(stderr, "%-12s %-28s util %.3f cycles %llu  %.2f Mcyc/s\n", ls[i].set,
			ls[i].name, st.utilization, (unsigned long long)st.cycles,
			secs > 0 ? st.cycles / secs / 1e6 : 0.0);
	}
	fprintf(out, "\n], \"total_sim_seconds\": %.3f, \"total_cycles\": %llu}\n", tot_secs,
		(unsigned long long)tot_cycles);
	if (out != stdout)
		fclose(out);
	qaccel_close(dev);
	qaccel_close(ref);
	free(ls);
	return 0;
}
