// SPDX-License-Identifier: MIT
/* A program outside the tree: builds against the installed libqaccel via pkg-config. */
#include <stdio.h>
#include <string.h>

#include <qaccel.h>

int main(void)
{
	qaccel_device *dev;
	qaccel_buffer *a, *b, *m, *s, *y;
	qaccel_job *job;
	struct qaccel_gemm g = { 2, 2, 3 };
	struct qaccel_quant q = { QACCEL_INT8, QACCEL_INT8, QACCEL_INT32, 0, 0, 0, 0, 0 };
	struct qaccel_operands ops;
	const int8_t av[6] = { 1, 2, 3, 4, 5, 6 }, bv[6] = { 1, 0, 0, 1, 1, 1 };
	int32_t out[4];
	int err;

	(void)m;
	(void)s;
	err = qaccel_open("ref", &dev);
	if (err) {
		fprintf(stderr, "open: %s\n", qaccel_strerror(err));
		return 1;
	}
	qaccel_buffer_alloc(dev, 6, &a);
	qaccel_buffer_alloc(dev, 6, &b);
	qaccel_buffer_alloc(dev, 16, &y);
	qaccel_buffer_write(a, 0, av, 6);
	qaccel_buffer_write(b, 0, bv, 6);
	memset(&ops, 0, sizeof(ops));
	ops.input.buf = a;
	ops.weights.buf = b;
	ops.output.buf = y;
	err = qaccel_job_create(dev, &job);
	if (!err)
		err = qaccel_job_add_gemm(job, &g, &q, &ops);
	if (!err)
		err = qaccel_job_submit(job);
	if (!err)
		err = qaccel_job_wait(job, -1);
	if (err) {
		fprintf(stderr, "job: %s\n", qaccel_strerror(err));
		return 1;
	}
	qaccel_buffer_read(y, 0, out, sizeof(out));
	/* [1 2 3; 4 5 6] x [1 0; 0 1; 1 1] = [4 5; 10 11] */
	printf("qaccel %s: %d %d %d %d\n", qaccel_version_string(), out[0], out[1], out[2], out[3]);
	qaccel_job_free(job);
	qaccel_buffer_free(a);
	qaccel_buffer_free(b);
	qaccel_buffer_free(y);
	qaccel_close(dev);
	return !(out[0] == 4 && out[1] == 5 && out[2] == 10 && out[3] == 11);
}
