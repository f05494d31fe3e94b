// SPDX-License-Identifier: MIT
/*
 * `qaccel bench`: square GEMM throughput and per-job runtime overhead on one
 * device. Timing only; correctness is selftest's job.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct gemm_setup {
	qaccel_buffer *b[5];
	qaccel_job *job;
};

static void setup_free(struct gemm_setup *s)
{
	int i;

	qaccel_job_free(s->job);
	for (i = 0; i < 5; i++)
		qaccel_buffer_free(s->b[i]);
}

/* An int8 GEMM m x n x k with random data and per-channel requant. */
static int setup_gemm(qaccel_device *dev, uint32_t m, uint32_t n, uint32_t k,
		      struct gemm_setup *s)
{
	struct qaccel_gemm g = { m, n, k };
	struct qaccel_quant q = { QACCEL_INT8, QACCEL_INT8, QACCEL_INT8, 3, 0, -5, -128, 127 };
	struct qaccel_operands ops;
	size_t sizes[5] = { (size_t)m * k, (size_t)k * n, 4ull * n, 4ull * n, (size_t)m * n };
	uint8_t *tmp;
	size_t i, max = 0;
	int err = 0, j;

	memset(s, 0, sizeof(*s));
	for (j = 0; j < 5; j++)
		max = sizes[j] > max ? sizes[j] : max;
	tmp = malloc(max);
	if (!tmp)
		return -1;
	for (j = 0; !err && j < 5; j++) {
		for (i = 0; i < sizes[j]; i++)
			tmp[i] = (uint8_t)(i * 2654435761u >> 13);
		if (j == 2 || j == 3) /* multiplier 2^30, shift -8 */
			for (i = 0; i < n; i++)
				((int32_t *)tmp)[i] = j == 2 ? 1 << 30 : -8;
		err = qaccel_buffer_alloc(dev, sizes[j], &s->b[j]);
		if (!err && j < 4)
			err = qaccel_buffer_write(s->b[j], 0, tmp, sizes[j]);
	}
	free(tmp);
	memset(&ops, 0, sizeof(ops));
	ops.input.buf = s->b[0];
	ops.weights.buf = s->b[1];
	ops.multiplier.buf = s->b[2];
	ops.shift.buf = s->b[3];
	ops.output.buf = s->b[4];
	if (!err)
		err = qaccel_job_create(dev, &s->job);
	if (!err)
		err = qaccel_job_add_gemm(s->job, &g, &q, &ops);
	return err;
}

static int run_once(qaccel_job *job)
{
	int err = qaccel_job_submit(job);

	return err ? err : qaccel_job_wait(job, -1);
}

int cmd_bench(int argc, char **argv)
{
	static const struct cli_opt_spec spec[] = {
		{ "device", 1 }, { "xclbin", 1 }, { "sizes", 1 }, { "reps", 1 }, { "json", 1 },
		{ NULL, 0 },
	};
	static const uint32_t dflt[3] = { 256, 512, 1024 };
	struct cli_opts o;
	qaccel_device *dev;
	uint32_t sizes[3];
	int32_t reps;
	FILE *json = NULL;
	struct gemm_setup s;
	double t0, best, overhead_us;
	int i, r, iters, rc = 1;

	if (cli_parse("bench", argc, argv, spec, &o) || cli_u32_list(&o, "sizes", sizes, 3, dflt) ||
	    cli_int32_opt(&o, "reps", 3, &reps))
		return 1;
	if (reps < 1) {
		cli_error("bench", "--reps must be >= 1");
		return 1;
	}
	if (cli_open_device("bench", &o, &dev))
		return 1;
	if (cli_has(&o, "json") && !(json = fopen(cli_get(&o, "json"), "w"))) {
		cli_error("bench", "--json %s: cannot write", cli_get(&o, "json"));
		goto out;
	}
	if (json)
		fprintf(json, "{\n  \"device\": \"%s\",\n  \"gemm\": [", cli_get(&o, "device") ?
			cli_get(&o, "device") : "ref");
	for (i = 0; i < 3; i++) {
		uint32_t n = sizes[i];

		if (setup_gemm(dev, n, n, n, &s) || run_once(s.job)) {
			cli_error("bench", "gemm %u^3 failed", n);
			setup_free(&s);
			goto out;
		}
		best = 1e30;
		for (r = 0; r < reps; r++) {
			t0 = now_s();
			run_once(s.job);
			t0 = now_s() - t0;
			best = t0 < best ? t0 : best;
		}
		printf("gemm %u^3 int8: %.3f ms, %.2f GMAC/s\n", n, best * 1e3,
		       (double)n * n * n / best * 1e-9);
		if (json)
			fprintf(json, "%s\n    {\"m\": %u, \"n\": %u, \"k\": %u, \"seconds\": %.6f, "
				"\"gmacs\": %.3f}", i ? "," : "", n, n, n, best,
				(double)n * n * n / best * 1e-9);
		setup_free(&s);
	}
	/* Per-job overhead: the smallest possible layer, submitted many times. */
	if (setup_gemm(dev, 1, 1, 1, &s) || run_once(s.job)) {
		cli_error("bench", "1x1x1 gemm failed");
		setup_free(&s);
		goto out;
	}
	iters = 20000;
	t0 = now_s();
	for (r = 0; r < iters; r++)
		run_once(s.job);
	overhead_us = (now_s() - t0) / iters * 1e6;
	setup_free(&s);
	printf("job overhead (1x1x1 gemm, submit+wait): %.2f us\n", overhead_us);
	if (json)
		fprintf(json, "\n  ],\n  \"job_overhead_us\": %.3f\n}\n", overhead_us);
	rc = 0;
out:
	if (json)
		fclose(json);
	qaccel_close(dev);
	return rc;
}
