// SPDX-License-Identifier: MIT
/*
 * The `xrt` backend against Debian's XRT 2.13 with the no-op shim
 * (XCL_EMULATION_MODE=noop, XILINX_XRT=build/xrt-noop).
 *
 * What noop can prove: device open, our xclbin accepted by XRT's own
 * parser (load, UUID, kernel/compute-unit lookup, argument offsets and
 * memory groups from CONNECTIVITY), BO alloc/map/write/read round trips,
 * argument setting and a run reaching ERT_CMD_STATE_COMPLETED, and every
 * error path. What it cannot: kernel execution, data movement to a card,
 * register reads (STATUS, counters). Outputs are therefore never checked
 * for computed values here; test_run_does_not_execute_under_noop pins
 * that down so nobody mistakes a noop pass for a hardware pass.
 *
 *   test_xrt_noop noop      main suite (XCL_EMULATION_MODE=noop)
 *   test_xrt_noop timeout   noop with a completion delay (XRT_INI_PATH)
 *   test_xrt_noop nocard    real PCIe shim, no card present
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <xrt/xclbin.h>

#include "qa_boards.h"
#include "qaccel.h"
#include "xclbin_fmt.h"

static const char *xclbin;   /* the default xclbin built by make */
static const char *workdir;
static char path_buf[8][512];

static uint8_t *slurp(const char *p, size_t *len)
{
	uint8_t *b;

	assert_int_equal(qa_xclbin_read_file(p, (size_t)1 << 30, &b, len), 0);
	return b;
}

static const char *write_variant(int slot, const char *name, const uint8_t *b, size_t len)
{
	FILE *f;

	snprintf(path_buf[slot], sizeof(path_buf[slot]), "%s/%s", workdir, name);
	f = fopen(path_buf[slot], "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path_buf[slot];
}

static char *find(uint8_t *b, size_t len, const char *pat)
{
	size_t n = strlen(pat), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(b + i, pat, n))
			return (char *)b + i;
	return NULL;
}

/*
 * The file goes through $QACCEL_XCLBIN: qaccel_open() caps device names at
 * 63 characters, too short for "xrt:N,xclbin=" plus a build path.
 * test_xclbin_option_in_device_name covers the xclbin= syntax itself.
 */
/* Why the last open_with() failed. */
static char open_why[256];

static int open_with(const char *opts, const char *file, qaccel_device **dev)
{
	char name[64];

	setenv("QACCEL_XCLBIN", file, 1);
	snprintf(name, sizeof(name), "xrt%s%s", *opts ? ":" : "", opts);
	return qaccel_open_diag(name, dev, open_why, sizeof(open_why));
}

/* ---- main suite ----------------------------------------------------------- */

static void test_open_default_xclbin_from_env(void **state)
{
	qaccel_device *dev;
	struct qaccel_device_info info;

	(void)state;
	setenv("QACCEL_XCLBIN", xclbin, 1);
	assert_int_equal(qaccel_open("xrt", &dev), 0);
	assert_int_equal(qaccel_device_info(dev, &info), 0);
	assert_string_equal(info.backend, "xrt");
	assert_non_null(strstr(info.detail, "card: 0 (noop"));
	qaccel_close(dev);
	assert_int_equal(qaccel_open("xrt:0", &dev), 0);
	qaccel_close(dev);
}

/* UUID straight from the file's header bytes, not from our validator. */
static void test_info_reports_uuid_kernel_and_argument_map(void **state)
{
	qaccel_device *dev;
	struct qaccel_device_info info;
	uint8_t *b, u[16];
	size_t len;
	char want[48];

	(void)state;
	b = slurp(xclbin, &len);
	memcpy(u, b + offsetof(struct axlf, m_header) + offsetof(struct axlf_header, uuid), 16);
	free(b);
	snprintf(want, sizeof(want),
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
		 u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
		 u[15]);
	assert_int_equal(open_with("0", xclbin, &dev), 0);
	assert_int_equal(qaccel_device_info(dev, &info), 0);
	assert_non_null(strstr(info.detail, want));
	assert_non_null(strstr(info.detail, "kernel: qaccel_top (compute unit qaccel_top:qaccel_top_1"));
	assert_non_null(strstr(info.detail, "arg0 desc_addr  global u64 offset 0x10 bank 0"));
	assert_non_null(strstr(info.detail, "arg1 desc_count scalar u32 offset 0x1C"));
	assert_non_null(strstr(info.detail, "arg2 mem_base   global u64 offset 0x24 bank 0"));
	assert_non_null(strstr(info.detail, "array: 16x16 (xclbin metadata)"));
	assert_int_equal(info.array_rows, 16);
	assert_int_equal(info.array_cols, 16);
	assert_int_equal(info.has_cycle_counter, 0); /* noop: no register access */
	qaccel_close(dev);
}

static void test_buffers_round_trip_through_bos(void **state)
{
	qaccel_device *dev;
	qaccel_buffer *a, *b;
	uint8_t src[10000], dst[10000];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(open_with("", xclbin, &dev), 0);
	assert_int_equal(qaccel_buffer_alloc(dev, sizeof(src), &a), 0);
	assert_int_equal(qaccel_buffer_alloc(dev, 64, &b), 0);
	assert_int_equal(qaccel_buffer_write(a, 0, src, sizeof(src)), 0);
	memset(dst, 0, sizeof(dst));
	assert_int_equal(qaccel_buffer_read(a, 0, dst, sizeof(dst)), 0);
	assert_memory_equal(src, dst, sizeof(src));
	/* partial write at an odd offset leaves the rest intact */
	assert_int_equal(qaccel_buffer_write(a, 4097, "qaccel", 6), 0);
	assert_int_equal(qaccel_buffer_read(a, 4090, dst, 20), 0);
	assert_memory_equal(dst, src + 4090, 7);
	assert_memory_equal(dst + 7, "qaccel", 6);
	assert_memory_equal(dst + 13, src + 4103, 7);
	assert_int_equal(qaccel_buffer_write(b, 60, src, 5), -ERANGE);
	qaccel_buffer_free(b);
	qaccel_buffer_free(a);
	qaccel_close(dev);
}

struct gemm_bufs {
	qaccel_buffer *a, *b, *y;
};

static qaccel_job *make_gemm(qaccel_device *dev, struct gemm_bufs *g, const int32_t *y_init)
{
	struct qaccel_gemm shape = { 4, 4, 4 };
	struct qaccel_quant q = { QACCEL_INT8, QACCEL_INT8, QACCEL_INT32, 0, 0, 0, 0, 0 };
	struct qaccel_operands ops;
	int8_t a[16], b[16];
	qaccel_job *job;
	int i;

	for (i = 0; i < 16; i++) {
		a[i] = (int8_t)(i - 8);
		b[i] = (int8_t)(3 - i);
	}
	assert_int_equal(qaccel_buffer_alloc(dev, 16, &g->a), 0);
	assert_int_equal(qaccel_buffer_alloc(dev, 16, &g->b), 0);
	assert_int_equal(qaccel_buffer_alloc(dev, 64, &g->y), 0);
	assert_int_equal(qaccel_buffer_write(g->a, 0, a, 16), 0);
	assert_int_equal(qaccel_buffer_write(g->b, 0, b, 16), 0);
	assert_int_equal(qaccel_buffer_write(g->y, 0, y_init, 64), 0);
	memset(&ops, 0, sizeof(ops));
	ops.input.buf = g->a;
	ops.weights.buf = g->b;
	ops.output.buf = g->y;
	assert_int_equal(qaccel_job_create(dev, &job), 0);
	assert_int_equal(qaccel_job_add_gemm(job, &shape, &q, &ops), 0);
	return job;
}

static void free_gemm(struct gemm_bufs *g)
{
	qaccel_buffer_free(g->a);
	qaccel_buffer_free(g->b);
	qaccel_buffer_free(g->y);
}

static void test_run_wait_returns_and_resubmits(void **state)
{
	qaccel_device *dev;
	struct gemm_bufs g;
	struct qaccel_job_stats st;
	int32_t y0[16] = { 0 };
	qaccel_job *job;

	(void)state;
	assert_int_equal(open_with("", xclbin, &dev), 0);
	job = make_gemm(dev, &g, y0);
	assert_int_equal(qaccel_job_submit(job), 0);
	assert_int_equal(qaccel_job_wait(job, 5000000000ll), 0);
	assert_int_equal(qaccel_job_stats(job, &st), 0);
	assert_int_equal(st.has_cycles, 0);
	assert_true(st.wall_ns > 0);
	assert_int_equal(qaccel_job_submit(job), 0); /* reuse run and descriptor BO */
	assert_int_equal(qaccel_job_wait(job, -1), 0);
	qaccel_job_free(job);
	free_gemm(&g);
	qaccel_close(dev);
}

/* Pins down the noop limitation: the run "completes" but nothing executes. */
static void test_run_does_not_execute_under_noop(void **state)
{
	qaccel_device *dev;
	struct gemm_bufs g;
	int32_t y0[16], y[16];
	qaccel_job *job;
	int i;

	(void)state;
	for (i = 0; i < 16; i++)
		y0[i] = 0x5a5a0000 + i;
	assert_int_equal(open_with("", xclbin, &dev), 0);
	job = make_gemm(dev, &g, y0);
	assert_int_equal(qaccel_job_submit(job), 0);
	assert_int_equal(qaccel_job_wait(job, -1), 0);
	assert_int_equal(qaccel_buffer_read(g.y, 0, y, sizeof(y)), 0);
	assert_memory_equal(y, y0, sizeof(y));
	qaccel_job_free(job);
	free_gemm(&g);
	qaccel_close(dev);
}

static void test_two_cards_open_at_once(void **state)
{
	qaccel_device *d0, *d1;
	qaccel_buffer *b0, *b1;
	struct gemm_bufs g0, g1;
	int32_t y0[16] = { 0 };
	qaccel_job *j0, *j1;
	struct qaccel_device_info info;

	(void)state;
	assert_int_equal(open_with("0", xclbin, &d0), 0);
	assert_int_equal(open_with("1", xclbin, &d1), 0);
	assert_int_equal(qaccel_device_info(d1, &info), 0);
	assert_non_null(strstr(info.detail, "card: 1 "));
	assert_int_equal(qaccel_buffer_alloc(d0, 128, &b0), 0);
	assert_int_equal(qaccel_buffer_alloc(d1, 128, &b1), 0);
	assert_int_equal(qaccel_buffer_write(b0, 0, "card zero", 10), 0);
	assert_int_equal(qaccel_buffer_write(b1, 0, "card one!", 10), 0);
	j0 = make_gemm(d0, &g0, y0);
	j1 = make_gemm(d1, &g1, y0);
	assert_int_equal(qaccel_job_submit(j0), 0);
	assert_int_equal(qaccel_job_submit(j1), 0);
	assert_int_equal(qaccel_job_wait(j1, -1), 0);
	assert_int_equal(qaccel_job_wait(j0, -1), 0);
	{
		char s[10];

		assert_int_equal(qaccel_buffer_read(b0, 0, s, 10), 0);
		assert_string_equal(s, "card zero");
		assert_int_equal(qaccel_buffer_read(b1, 0, s, 10), 0);
		assert_string_equal(s, "card one!");
	}
	qaccel_job_free(j0);
	qaccel_job_free(j1);
	free_gemm(&g0);
	free_gemm(&g1);
	qaccel_buffer_free(b0);
	qaccel_buffer_free(b1);
	qaccel_close(d1);
	qaccel_close(d0);
}

static void test_xclbin_option_in_device_name(void **state)
{
	qaccel_device *dev;
	char name[64];

	(void)state;
	setenv("QACCEL_XCLBIN", "/nonexistent/default.xclbin", 1);
	assert_int_equal(qaccel_open_diag("xrt:0", &dev, open_why, sizeof(open_why)), -ENOENT);
	assert_non_null(strstr(open_why, "/nonexistent/default.xclbin"));
	assert_true(strlen(xclbin) < sizeof(name) - 20);
	snprintf(name, sizeof(name), "xrt:0,shared,xclbin=%s", xclbin);
	assert_int_equal(qaccel_open(name, &dev), 0);
	qaccel_close(dev);
	snprintf(name, sizeof(name), "xrt:xclbin=%s", xclbin);
	assert_int_equal(qaccel_open(name, &dev), 0);
	qaccel_close(dev);
}

static void expect_open_error(const char *opts, const char *file, int err, const char *words)
{
	qaccel_device *dev = (qaccel_device *)1;

	assert_int_equal(open_with(opts, file, &dev), err);
	assert_null(dev);
	if (!strstr(open_why, words))
		fail_msg("error '%s' lacks '%s'", open_why, words);
}

static void test_missing_xclbin_is_enoent(void **state)
{
	(void)state;
	expect_open_error("", "/nonexistent/q.xclbin", -ENOENT, "/nonexistent/q.xclbin: no such file");
}

static void test_corrupted_xclbins_are_rejected_before_xrt(void **state)
{
	uint8_t *b;
	size_t len;
	char *p;

	(void)state;
	b = slurp(xclbin, &len);
	b[0] = 'X';
	expect_open_error("", write_variant(0, "badmagic.xclbin", b, len), -EINVAL, "bad magic");
	b[0] = 'x';
	expect_open_error("", write_variant(1, "trunc.xclbin", b, len - 100), -EINVAL, "truncated");
	/* section 2's offset far past the end */
	b[offsetof(struct axlf, m_sections) + 2 * sizeof(struct axlf_section_header) +
	  offsetof(struct axlf_section_header, m_sectionOffset) + 5] = 0x40;
	expect_open_error("", write_variant(2, "badoff.xclbin", b, len), -EINVAL, "outside the");
	free(b);
	/* argument map disagreeing with qaccel_hw.h: mem_base moved to 0x28 */
	b = slurp(xclbin, &len);
	p = find(b, len, "offset=\"0x24\"");
	assert_non_null(p);
	p[11] = '8';
	expect_open_error("", write_variant(3, "argmap.xclbin", b, len), -EINVAL,
			  "mem_base at offset 0x28");
	free(b);
}

static void test_wrong_kernel_name_is_enoent(void **state)
{
	struct qa_xclbin_spec s;
	uint8_t *x;
	size_t n;
	char err[256];

	(void)state;
	expect_open_error("0,kernel=nosuch", xclbin, -ENOENT, "no kernel 'nosuch'");
	memset(&s, 0, sizeof(s));
	s.bitstream = "not a bitstream";
	s.bitstream_len = 15;
	s.kernel = "other_top";
	s.cu_base = 0x1800000;
	s.bank_size = 1 << 30;
	assert_int_equal(qa_xclbin_write(&s, &x, &n, err, sizeof(err)), 0);
	expect_open_error("", write_variant(4, "other.xclbin", x, n), -ENOENT,
			  "no kernel 'qaccel_top' (it has 'other_top')");
	free(x);
}

static void test_card_index_and_options_are_checked(void **state)
{
	qaccel_device *dev;

	(void)state;
	expect_open_error("64", xclbin, -ENODEV, "card index out of range");
	expect_open_error("99999999999999999999", xclbin, -ENODEV, "card index out of range");
	expect_open_error("0,bogus", xclbin, -EINVAL, "unknown xrt option 'bogus'");
	assert_int_equal(qaccel_open("xrt:x", &dev), -EINVAL);
}

/* ---- timeout (noop with a completion delay) ------------------------------------ */

static void test_wait_times_out_then_completes(void **state)
{
	qaccel_device *dev;
	struct gemm_bufs g;
	int32_t y0[16] = { 0 };
	qaccel_job *job;

	(void)state;
	assert_int_equal(open_with("", xclbin, &dev), 0);
	job = make_gemm(dev, &g, y0);
	assert_int_equal(qaccel_job_submit(job), 0);
	assert_int_equal(qaccel_job_wait(job, 1000000), -ETIMEDOUT);
	assert_non_null(strstr(qaccel_job_error(job), "still"));
	assert_int_equal(qaccel_job_wait(job, 0), -ETIMEDOUT);
	assert_int_equal(qaccel_job_submit(job), -EBUSY);
	assert_int_equal(qaccel_job_wait(job, -1), 0);
	qaccel_job_free(job);
	free_gemm(&g);
	qaccel_close(dev);
}

/* ---- no card (real shim) -------------------------------------------------------- */

static void test_placeholder_refused_outside_noop(void **state)
{
	(void)state;
	expect_open_error("0", xclbin, -EINVAL, "placeholder, not a bitstream");
}

static void test_absent_card_is_enodev(void **state)
{
	struct qa_xclbin_spec s;
	uint8_t *x;
	size_t n;
	char err[256];

	(void)state;
	memset(&s, 0, sizeof(s));
	s.bitstream = "stand-in for a real bitstream";
	s.bitstream_len = 29;
	s.cu_base = 0x1800000;
	s.bank_size = 1 << 30;
	assert_int_equal(qa_xclbin_write(&s, &x, &n, err, sizeof(err)), 0);
	expect_open_error("0", write_variant(5, "real.xclbin", x, n), -ENODEV, "no XRT card 0");
	free(x);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest noop[] = {
		cmocka_unit_test(test_open_default_xclbin_from_env),
		cmocka_unit_test(test_info_reports_uuid_kernel_and_argument_map),
		cmocka_unit_test(test_buffers_round_trip_through_bos),
		cmocka_unit_test(test_run_wait_returns_and_resubmits),
		cmocka_unit_test(test_run_does_not_execute_under_noop),
		cmocka_unit_test(test_two_cards_open_at_once),
		cmocka_unit_test(test_xclbin_option_in_device_name),
		cmocka_unit_test(test_missing_xclbin_is_enoent),
		cmocka_unit_test(test_corrupted_xclbins_are_rejected_before_xrt),
		cmocka_unit_test(test_wrong_kernel_name_is_enoent),
		cmocka_unit_test(test_card_index_and_options_are_checked),
	};
	const struct CMUnitTest timeout[] = {
		cmocka_unit_test(test_wait_times_out_then_completes),
	};
	const struct CMUnitTest nocard[] = {
		cmocka_unit_test(test_placeholder_refused_outside_noop),
		cmocka_unit_test(test_absent_card_is_enodev),
	};

	xclbin = getenv("QA_TEST_XCLBIN");
	workdir = getenv("QA_TEST_DIR");
	if (argc != 2 || !xclbin || !workdir) {
		fprintf(stderr, "usage: QA_TEST_XCLBIN=F QA_TEST_DIR=D %s noop|timeout|nocard\n",
			argv[0]);
		return 2;
	}
	mkdir(workdir, 0755);
	if (!strcmp(argv[1], "noop"))
		return cmocka_run_group_tests_name("xrt noop", noop, NULL, NULL);
	if (!strcmp(argv[1], "timeout"))
		return cmocka_run_group_tests_name("xrt timeout", timeout, NULL, NULL);
	if (!strcmp(argv[1], "nocard"))
		return cmocka_run_group_tests_name("xrt nocard", nocard, NULL, NULL);
	return 2;
}
