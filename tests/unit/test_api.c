// SPDX-License-Identifier: MIT
/* libqaccel's public API: handles, buffers, job validation, errors, threads. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "qaccel.h"
#include "naive_ref.h"

struct fixture {
	qaccel_device *dev;
	qaccel_buffer *a, *b, *bias, *mult, *shift, *out;
	struct qaccel_gemm g;
	struct qaccel_quant q;
	struct qaccel_operands ops;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int32_t m[8], s[8], bias[8];
	uint8_t a[4 * 16], b[16 * 8];
	int i;

	if (!f || qaccel_open("ref", &f->dev))
		return -1;
	for (i = 0; i < 8; i++) {
		m[i] = 1 << 30;
		s[i] = -4;
		bias[i] = i * 100;
	}
	for (i = 0; i < (int)sizeof(a); i++)
		a[i] = (uint8_t)(i * 7);
	for (i = 0; i < (int)sizeof(b); i++)
		b[i] = (uint8_t)(i * 13);
	if (qaccel_buffer_alloc(f->dev, sizeof(a), &f->a) ||
	    qaccel_buffer_alloc(f->dev, sizeof(b), &f->b) ||
	    qaccel_buffer_alloc(f->dev, sizeof(bias), &f->bias) ||
	    qaccel_buffer_alloc(f->dev, sizeof(m), &f->mult) ||
	    qaccel_buffer_alloc(f->dev, sizeof(s), &f->shift) ||
	    qaccel_buffer_alloc(f->dev, 4 * 8 * 4, &f->out))
		return -1;
	qaccel_buffer_write(f->a, 0, a, sizeof(a));
	qaccel_buffer_write(f->b, 0, b, sizeof(b));
	qaccel_buffer_write(f->bias, 0, bias, sizeof(bias));
	qaccel_buffer_write(f->mult, 0, m, sizeof(m));
	qaccel_buffer_write(f->shift, 0, s, sizeof(s));
	f->g = (struct qaccel_gemm){ 4, 8, 16 };
	f->q = (struct qaccel_quant){ QACCEL_INT8, QACCEL_INT8, QACCEL_INT8, 1, -2, 3, -128, 127 };
	f->ops.input.buf = f->a;
	f->ops.weights.buf = f->b;
	f->ops.bias.buf = f->bias;
	f->ops.multiplier.buf = f->mult;
	f->ops.shift.buf = f->shift;
	f->ops.output.buf = f->out;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	qaccel_buffer_free(f->a);
	qaccel_buffer_free(f->b);
	qaccel_buffer_free(f->bias);
	qaccel_buffer_free(f->mult);
	qaccel_buffer_free(f->shift);
	qaccel_buffer_free(f->out);
	qaccel_close(f->dev);
	free(f);
	return 0;
}

/* Adds the fixture's GEMM with one field changed; returns the errno. */
static int add_gemm(struct fixture *f, const struct qaccel_gemm *g, const struct qaccel_quant *q,
		    const struct qaccel_operands *ops)
{
	qaccel_job *job;
	int err;

	assert_int_equal(qaccel_job_create(f->dev, &job), 0);
	err = qaccel_job_add_gemm(job, g, q, ops);
	if (err)
		assert_true(strlen(qaccel_job_error(job)) > 0); /* says why */
	qaccel_job_free(job);
	return err;
}

static void test_open_names(void **state)
{
	qaccel_device *d = (qaccel_device *)1;
	struct qaccel_device_info info;

	(void)state;
	assert_int_equal(qaccel_open("nonesuch", &d), -ENODEV);
	assert_null(d);
	assert_int_equal(qaccel_open("ref:mem_mb=banana", &d), -EINVAL);
	assert_int_equal(qaccel_open("ref", NULL), -EINVAL);
	assert_int_equal(qaccel_open("ref:mem_mb=64", &d), 0);
	assert_int_equal(qaccel_device_info(d, &info), 0);
	assert_string_equal(info.backend, "ref");
	assert_int_equal(info.mem_size, 64u << 20);
	qaccel_close(d);
	setenv("QACCEL_DEVICE", "ref:mem_mb=32", 1);
	assert_int_equal(qaccel_open(NULL, &d), 0);
	assert_int_equal(qaccel_device_info(d, &info), 0);
	assert_int_equal(info.mem_size, 32u << 20);
	qaccel_close(d);
	unsetenv("QACCEL_DEVICE");
	assert_true(qaccel_backend_count() >= 1);
	assert_string_equal(qaccel_backend_name(0), "ref");
	assert_null(qaccel_backend_name(qaccel_backend_count()));
	qaccel_close(NULL);
}

static void test_strerror_covers_codes(void **state)
{
	(void)state;
	assert_string_equal(qaccel_strerror(0), "success");
	assert_string_not_equal(qaccel_strerror(-EINVAL), "unknown error");
	assert_string_not_equal(qaccel_strerror(-ERANGE), "unknown error");
	assert_string_equal(qaccel_strerror(-9999), "unknown error");
	assert_non_null(qaccel_version_string());
}

static void test_buffer_bounds(void **state)
{
	struct fixture *f = *state;
	qaccel_buffer *b = (qaccel_buffer *)1;
	uint8_t x[32] = { 0 };

	assert_int_equal(qaccel_buffer_alloc(f->dev, 0, &b), -EINVAL);
	assert_null(b);
	assert_int_equal(qaccel_buffer_alloc(f->dev, SIZE_MAX, &b), -ENOMEM);
	assert_int_equal(qaccel_buffer_alloc(f->dev, 16, &b), 0);
	assert_int_equal(qaccel_buffer_size(b), 16);
	assert_int_equal(qaccel_buffer_write(b, 0, x, 16), 0);
	assert_int_equal(qaccel_buffer_write(b, 1, x, 16), -ERANGE);
	assert_int_equal(qaccel_buffer_write(b, 17, x, 0), -ERANGE);
	assert_int_equal(qaccel_buffer_write(b, SIZE_MAX, x, 2), -ERANGE);
	assert_int_equal(qaccel_buffer_read(b, 8, x, SIZE_MAX - 4), -ERANGE);
	assert_int_equal(qaccel_buffer_read(b, 0, NULL, 4), -EINVAL);
	assert_int_equal(qaccel_buffer_write(NULL, 0, x, 4), -EINVAL);
	qaccel_buffer_free(b);
	qaccel_buffer_free(NULL);
}

static void test_buffers_are_reused_after_free(void **state)
{
	qaccel_device *d;
	qaccel_buffer *b;
	int i;

	(void)state;
	/* 64 MiB of device memory; 1000 x 16 MiB only fits if frees return space. */
	assert_int_equal(qaccel_open("ref:mem_mb=64", &d), 0);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(qaccel_buffer_alloc(d, 16u << 20, &b), 0);
		qaccel_buffer_free(b);
	}
	assert_int_equal(qaccel_buffer_alloc(d, 65u << 20, &b), -ENOMEM);
	qaccel_close(d);
}

static void test_gemm_rejects_bad_quant(void **state)
{
	struct fixture *f = *state;
	struct qaccel_quant q;

	q = f->q, q.in_zp = 128;
	assert_int_equal(add_gemm(f, &f->g, &q, &f->ops), -EINVAL);
	q = f->q, q.in_type = QACCEL_UINT8, q.in_zp = -1;
	assert_int_equal(add_gemm(f, &f->g, &q, &f->ops), -EINVAL);
	q = f->q, q.w_zp = -129;
	assert_int_equal(add_gemm(f, &f->g, &q, &f->ops), -EINVAL);
	q = f->q, q.out_zp = 300;
	assert_int_equal(add_gemm(f, &f->g, &q, &f->ops), -EINVAL);
	q = f->q, q.act_min = 10, q.act_max = 9;
	assert_int_equal(add_gemm(f, &f->g, &q, &f->ops), -EINVAL);
	q = f->q, q.act_max = 128;
	assert_int_equal(add_gemm(f, &f->g, &q, &f->ops), -EINVAL);
	q = f->q, q.in_type = QACCEL_INT32;
	assert_int_equal(add_gemm(f, &f->g, &q, &f->ops), -EINVAL);
	q = f->q, q.out_type = (enum qaccel_dtype)7;
	assert_int_equal(add_gemm(f, &f->g, &q, &f->ops), -EINVAL);
	q = f->q, q.out_type = QACCEL_INT32; /* int32 takes no zp/act */
	assert_int_equal(add_gemm(f, &f->g, &q, &f->ops), -EINVAL);
	q.out_zp = 0, q.act_min = 0, q.act_max = 0; /* 4x8 int32 fill the 128-byte output */
	assert_int_equal(add_gemm(f, &f->g, &q, &f->ops), 0);
}

static void test_gemm_rejects_bad_shapes_and_operands(void **state)
{
	struct fixture *f = *state;
	struct qaccel_gemm g;
	struct qaccel_operands ops;
	qaccel_device *other;
	qaccel_buffer *foreign;

	g = f->g, g.m = 0;
	assert_int_equal(add_gemm(f, &g, &f->q, &f->ops), -EINVAL);
	g = f->g, g.k = 17; /* A is 4x16: one byte short */
	assert_int_equal(add_gemm(f, &g, &f->q, &f->ops), -ERANGE);
	g = f->g, g.k = 40000; /* deeper than the int32 accumulator allows */
	assert_int_equal(add_gemm(f, &g, &f->q, &f->ops), -EOVERFLOW);
	g = (struct qaccel_gemm){ UINT32_MAX, UINT32_MAX, 1 };
	assert_int_equal(add_gemm(f, &g, &f->q, &f->ops), -ERANGE);
	ops = f->ops, ops.multiplier.buf = NULL;
	assert_int_equal(add_gemm(f, &f->g, &f->q, &ops), -EINVAL);
	ops = f->ops, ops.input.offset = 1;
	assert_int_equal(add_gemm(f, &f->g, &f->q, &ops), -ERANGE);
	ops = f->ops, ops.output.buf = f->a; /* output aliases the input */
	assert_int_equal(add_gemm(f, &f->g, &f->q, &ops), -EINVAL);
	ops = f->ops, ops.bias.offset = 2; /* int32 vectors must be aligned */
	assert_int_equal(add_gemm(f, &(struct qaccel_gemm){ 4, 7, 16 }, &f->q, &ops), -EINVAL);
	assert_int_equal(qaccel_open("ref:mem_mb=16", &other), 0);
	assert_int_equal(qaccel_buffer_alloc(other, 4096, &foreign), 0);
	ops = f->ops, ops.weights.buf = foreign;
	assert_int_equal(add_gemm(f, &f->g, &f->q, &ops), -EXDEV);
	qaccel_buffer_free(foreign);
	qaccel_close(other);
	assert_int_equal(qaccel_job_add_gemm(NULL, &f->g, &f->q, &f->ops), -EINVAL);
}

static void test_conv_rejects_bad_geometry(void **state)
{
	struct fixture *f = *state;
	struct qaccel_conv2d c = { 1, 4, 4, 4, 4, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1 };
	struct qaccel_conv2d x;
	struct qaccel_operands ops = f->ops;
	qaccel_job *job;
	uint32_t oh, ow;

	assert_int_equal(qaccel_conv2d_output_size(&c, &oh, &ow), 0);
	assert_int_equal(oh, 2);
	assert_int_equal(ow, 2);
	assert_int_equal(qaccel_job_create(f->dev, &job), 0);
	x = c, x.groups = 3;
	assert_int_equal(qaccel_job_add_conv2d(job, &x, &f->q, &ops), -EINVAL);
	x = c, x.kernel_h = 5; /* does not fit a 4-high input without padding */
	assert_int_equal(qaccel_job_add_conv2d(job, &x, &f->q, &ops), -EINVAL);
	x = c, x.dilation_w = 2;
	assert_int_equal(qaccel_job_add_conv2d(job, &x, &f->q, &ops), -EINVAL);
	x = c, x.stride_h = 0;
	assert_int_equal(qaccel_job_add_conv2d(job, &x, &f->q, &ops), -EINVAL);
	x = c, x.pad_top = 70000;
	assert_int_equal(qaccel_job_add_conv2d(job, &x, &f->q, &ops), -EINVAL);
	x = c, x.batch = 0;
	assert_int_equal(qaccel_job_add_conv2d(job, &x, &f->q, &ops), -EINVAL);
	/* A 4x4x4 input is 64 bytes = f->a; 3x3x4x4 weights 144 bytes > f->b (128) */
	assert_int_equal(qaccel_job_add_conv2d(job, &c, &f->q, &ops), -ERANGE);
	x = c, x.in_h = x.in_w = 65536; /* 2^34 bytes: larger than the buffer */
	assert_int_equal(qaccel_job_add_conv2d(job, &x, &f->q, &ops), -ERANGE);
	x = c, x.batch = x.in_h = x.in_w = UINT32_MAX; /* byte count overflows 64 bits */
	assert_int_equal(qaccel_job_add_conv2d(job, &x, &f->q, &ops), -EOVERFLOW);
	x = c, x.kernel_h = x.kernel_w = 200, x.pad_bottom = x.pad_right = 200; /* K = 160000 */
	assert_int_equal(qaccel_job_add_conv2d(job, &x, &f->q, &ops), -EOVERFLOW);
	assert_int_equal(qaccel_job_count(job), 0);
	qaccel_job_free(job);
}

static void test_job_lifecycle_errors(void **state)
{
	struct fixture *f = *state;
	struct qaccel_job_stats st;
	qaccel_job *job;

	assert_int_equal(qaccel_job_create(f->dev, &job), 0);
	assert_int_equal(qaccel_job_submit(job), -EINVAL);   /* empty */
	assert_int_equal(qaccel_job_wait(job, 0), -EINVAL);  /* never submitted */
	assert_int_equal(qaccel_job_stats(job, &st), -EBUSY);
	assert_int_equal(qaccel_job_add_gemm(job, &f->g, &f->q, &f->ops), 0);
	assert_int_equal(qaccel_job_submit(job), 0);
	assert_int_equal(qaccel_job_submit(job), -EBUSY);    /* not waited for */
	assert_int_equal(qaccel_job_wait(job, -1), 0);
	assert_int_equal(qaccel_job_stats(job, &st), 0);
	assert_int_equal(st.macs, 4 * 8 * 16);
	assert_true(st.wall_ns > 0);
	assert_int_equal(qaccel_job_submit(job), 0);         /* resubmission */
	assert_int_equal(qaccel_job_wait(job, -1), 0);
	qaccel_job_free(job);
}

static void test_bad_multiplier_in_memory_fails_at_run_without_writing(void **state)
{
	struct fixture *f = *state;
	int32_t bad = 5, good = 1 << 30;
	uint8_t sentinel[128], out[128];
	qaccel_job *job;

	memset(sentinel, 0xA5, sizeof(sentinel));
	qaccel_buffer_write(f->out, 0, sentinel, sizeof(sentinel));
	qaccel_buffer_write(f->mult, 12, &bad, 4);
	assert_int_equal(qaccel_job_create(f->dev, &job), 0);
	assert_int_equal(qaccel_job_add_gemm(job, &f->g, &f->q, &f->ops), 0);
	assert_int_equal(qaccel_job_submit(job), 0);
	assert_int_equal(qaccel_job_wait(job, -1), -EINVAL);
	assert_non_null(strstr(qaccel_job_error(job), "multiplier"));
	qaccel_buffer_read(f->out, 0, out, sizeof(out));
	assert_memory_equal(out, sentinel, sizeof(out));
	qaccel_buffer_write(f->mult, 12, &good, 4);
	qaccel_job_free(job);
}

/* Layer 2 reads layer 1's output inside one job: a network from one doorbell. */
static void test_chained_layers_match_naive(void **state)
{
	struct fixture *f = *state;
	struct naive_layer l1 = { 1, { 1, 4, 1, 16, 8, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1 }, { 0 }, 4, 1 };
	struct naive_layer l2 = { 1, { 1, 4, 1, 8, 8, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1 }, { 0 }, 4, 1 };
	struct qaccel_operands ops2 = f->ops;
	qaccel_buffer *mid, *out2;
	qaccel_job *job;
	uint8_t a[64], b[128], mid_ref[32], out_ref[32], got[32];
	int32_t bias[8], m[8], s[8];

	l1.q = f->q;
	l2.q = f->q;
	assert_int_equal(qaccel_buffer_alloc(f->dev, 32, &mid), 0);
	assert_int_equal(qaccel_buffer_alloc(f->dev, 32, &out2), 0);
	qaccel_buffer_read(f->a, 0, a, sizeof(a));
	qaccel_buffer_read(f->b, 0, b, sizeof(b));
	qaccel_buffer_read(f->bias, 0, bias, sizeof(bias));
	qaccel_buffer_read(f->mult, 0, m, sizeof(m));
	qaccel_buffer_read(f->shift, 0, s, sizeof(s));
	naive_run(&l1, a, b, bias, m, s, mid_ref);
	naive_run(&l2, mid_ref, b, bias, m, s, out_ref); /* B's first 8 rows as 8x8 */

	struct qaccel_operands ops1 = f->ops;
	ops1.output.buf = mid;
	ops2.input.buf = mid;
	ops2.output.buf = out2;
	assert_int_equal(qaccel_job_create(f->dev, &job), 0);
	assert_int_equal(qaccel_job_add_gemm(job, &f->g, &f->q, &ops1), 0);
	assert_int_equal(qaccel_job_add_gemm(job, &(struct qaccel_gemm){ 4, 8, 8 }, &f->q, &ops2), 0);
	assert_int_equal(qaccel_job_count(job), 2);
	assert_int_equal(qaccel_job_submit(job), 0);
	assert_int_equal(qaccel_job_wait(job, -1), 0);
	qaccel_buffer_read(mid, 0, got, 32);
	assert_memory_equal(got, mid_ref, 32);
	qaccel_buffer_read(out2, 0, got, 32);
	assert_memory_equal(got, out_ref, 32);
	qaccel_job_free(job);
	qaccel_buffer_free(mid);
	qaccel_buffer_free(out2);
}

static void *thread_body(void *arg)
{
	struct fixture *f = arg;
	qaccel_buffer *out;
	qaccel_job *job;
	struct qaccel_operands ops = f->ops;
	uint8_t first[32], again[32];
	int i, bad = 0;

	if (qaccel_buffer_alloc(f->dev, 32, &out) || qaccel_job_create(f->dev, &job))
		return (void *)1;
	ops.output.buf = out;
	if (qaccel_job_add_gemm(job, &f->g, &f->q, &ops))
		bad = 1;
	for (i = 0; !bad && i < 200; i++) {
		if (qaccel_job_submit(job) || qaccel_job_wait(job, -1))
			bad = 1;
		qaccel_buffer_read(out, 0, i ? again : first, 32);
		if (i && memcmp(first, again, 32))
			bad = 1;
	}
	qaccel_job_free(job);
	qaccel_buffer_free(out);
	return (void *)(intptr_t)bad;
}

static void test_threads_share_a_device(void **state)
{
	struct fixture *f = *state;
	pthread_t t[4];
	void *r;
	int i;

	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, thread_body, f), 0);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], &r);
		assert_null(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_names),
		cmocka_unit_test(test_strerror_covers_codes),
		cmocka_unit_test(test_buffers_are_reused_after_free),
		cmocka_unit_test_setup_teardown(test_buffer_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gemm_rejects_bad_quant, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gemm_rejects_bad_shapes_and_operands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conv_rejects_bad_geometry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_job_lifecycle_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_multiplier_in_memory_fails_at_run_without_writing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_chained_layers_match_naive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads_share_a_device, setup, teardown),
	};

	return cmocka_run_group_tests_name("api", tests, NULL, NULL);
}
