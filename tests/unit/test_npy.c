// SPDX-License-Identifier: MIT
/*
 * Unit tests of the strict .npy reader/writer (runtime/cli/npy.c).
 *
 * Golden inputs are files written by numpy (the .npy files in tests/golden/npy, made by
 * tests/golden/npy/make_fixtures.py); malformed inputs are built in memory
 * here. Run from the repository root (make test-c does).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "npy.h"

#define FIXTURE_DIR "tests/golden/npy/"

/* ---- helpers ------------------------------------------------------------ */

struct tmpdir {
	char path[64];
};

static int setup_tmpdir(void **state)
{
	struct tmpdir *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	strcpy(t->path, "/tmp/qa_test_npy.XXXXXX");
	if (!mkdtemp(t->path)) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int teardown_tmpdir(void **state)
{
	struct tmpdir *t = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->path);
	if (system(cmd) != 0)
		fprintf(stderr, "warning: could not remove %s\n", t->path);
	free(t);
	return 0;
}

static void tmp_file(const struct tmpdir *t, const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", t->path, name);
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	if (n)
		assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Value of flat element i in a fixture (see make_fixtures.py). */
static void fixture_value(enum npy_dtype dt, uint64_t i, void *out)
{
	switch (dt) {
	case NPY_I1: {
		int8_t v = (int8_t)((int)((i * 37 + 5) % 256) - 128);

		memcpy(out, &v, 1);
		break;
	}
	case NPY_U1: {
		uint8_t v = (uint8_t)((i * 37 + 5) % 256);

		memcpy(out, &v, 1);
		break;
	}
	case NPY_I4: {
		int32_t v = (int32_t)((int64_t)i * 100003 - 5000000);

		memcpy(out, &v, 4);
		break;
	}
	case NPY_F4: {
		float v = (float)i * 0.5f - 3.0f;

		memcpy(out, &v, 4);
		break;
	}
	}
}

/*
 * An .npy image: magic, version major.0, header length field, `header` as
 * given (caller supplies padding and the final newline), then `data`.
 */
static size_t build_npy(uint8_t *out, size_t cap, int major, const char *header,
			const void *data, size_t dlen)
{
	size_t hlen = strlen(header), plen = major == 1 ? 10 : 12;

	assert_true(plen + hlen + dlen <= cap);
	memcpy(out, "\x93NUMPY", 6);
	out[6] = (uint8_t)major;
	out[7] = 0;
	out[8] = (uint8_t)hlen;
	out[9] = (uint8_t)(hlen >> 8);
	if (major != 1) {
		out[10] = (uint8_t)(hlen >> 16);
		out[11] = (uint8_t)(hlen >> 24);
	}
	memcpy(out + plen, header, hlen);
	if (dlen)
		memcpy(out + plen + hlen, data, dlen);
	return plen + hlen + dlen;
}

static const int32_t data12[3] = { 1, -2, 0x7fffffff };

/* ---- numpy-written fixtures --------------------------------------------- */

struct fixture {
	const char *name;
	enum npy_dtype dtype;
	int ndim;
	uint64_t shape[NPY_MAX_DIMS];
	int numpy_default; /* written by np.save (v1.0): npy_save must match bytes */
};

static const struct fixture fixtures[] = {
	{ "i1_r2", NPY_I1, 2, { 3, 5 }, 1 },
	{ "u1_r1", NPY_U1, 1, { 7 }, 1 },
	{ "i4_r3", NPY_I4, 3, { 2, 3, 4 }, 1 },
	{ "f4_r0", NPY_F4, 0, { 0 }, 1 },
	{ "u1_r8", NPY_U1, 8, { 1, 2, 1, 3, 1, 2, 1, 2 }, 1 },
	{ "i4_empty", NPY_I4, 2, { 0, 4 }, 1 },
	{ "f4_r2", NPY_F4, 2, { 4, 3 }, 1 },
	{ "i1_v2", NPY_I1, 2, { 4, 4 }, 0 },
	{ "f4_v3", NPY_F4, 1, { 5 }, 0 },
	{ "i4_v2", NPY_I4, 2, { 2, 2 }, 0 },
};

static void test_load_numpy_fixtures(void **state)
{
	unsigned int f;

	(void)state;
	for (f = 0; f < sizeof(fixtures) / sizeof(fixtures[0]); f++) {
		const struct fixture *fx = &fixtures[f];
		struct npy_array arr;
		char path[256], err[256] = "";
		uint64_t count = 1, i;
		size_t isz = npy_item_size(fx->dtype);
		int d, ret;

		snprintf(path, sizeof(path), FIXTURE_DIR "%s.npy", fx->name);
		ret = npy_load(path, &arr, err, sizeof(err));
		if (ret)
			fail_msg("%s: npy_load returned %d: %s", path, ret, err);
		assert_int_equal(arr.dtype, fx->dtype);
		assert_int_equal(arr.ndim, fx->ndim);
		for (d = 0; d < fx->ndim; d++) {
			assert_int_equal(arr.shape[d], fx->shape[d]);
			count *= fx->shape[d];
		}
		assert_int_equal(arr.count, count);
		assert_int_equal(arr.nbytes, count * isz);
		assert_non_null(arr.data);
		for (i = 0; i < count; i++) {
			uint8_t want[4];

			fixture_value(fx->dtype, i, want);
			if (memcmp((uint8_t *)arr.data + i * isz, want, isz))
				fail_msg("%s: element %llu differs", path, (unsigned long long)i);
		}
		npy_free(&arr);
		assert_null(arr.data);
	}
}

static void test_save_matches_numpy_bytes(void **state)
{
	const struct tmpdir *t = *state;
	unsigned int f;

	for (f = 0; f < sizeof(fixtures) / sizeof(fixtures[0]); f++) {
		const struct fixture *fx = &fixtures[f];
		char path[256], out[256], err[256] = "";
		uint8_t *want, *got, *data;
		size_t wlen, glen, isz = npy_item_size(fx->dtype);
		uint64_t count = 1, i;
		int d;

		if (!fx->numpy_default)
			continue;
		for (d = 0; d < fx->ndim; d++)
			count *= fx->shape[d];
		data = malloc(count * isz + 1);
		assert_non_null(data);
		for (i = 0; i < count; i++)
			fixture_value(fx->dtype, i, data + i * isz);
		snprintf(path, sizeof(path), FIXTURE_DIR "%s.npy", fx->name);
		tmp_file(t, "saved.npy", out, sizeof(out));
		assert_int_equal(npy_save(out, fx->dtype, fx->ndim, fx->shape, data, err,
					  sizeof(err)), 0);
		want = read_file(path, &wlen);
		got = read_file(out, &glen);
		if (wlen != glen || memcmp(want, got, wlen))
			fail_msg("%s: npy_save output differs from numpy's file", fx->name);
		free(want);
		free(got);
		free(data);
	}
}

/* ---- round trips -------------------------------------------------------- */

static void test_roundtrip_every_dtype_and_rank(void **state)
{
	const struct tmpdir *t = *state;
	static const enum npy_dtype dts[] = { NPY_I1, NPY_U1, NPY_I4, NPY_F4 };
	unsigned int di;
	int rank;
	uint32_t seed = 12345;

	for (di = 0; di < 4; di++) {
		for (rank = 0; rank <= NPY_MAX_DIMS; rank++) {
			uint64_t shape[NPY_MAX_DIMS], count = 1, i;
			size_t isz = npy_item_size(dts[di]), flen;
			struct npy_array arr;
			char path[256], err[256] = "";
			uint8_t *data, *file;
			int d;

			for (d = 0; d < rank; d++) {
				shape[d] = (uint64_t)((d * 7 + rank + di) % 3 + 1);
				count *= shape[d];
			}
			data = malloc(count * isz);
			assert_non_null(data);
			for (i = 0; i < count * isz; i++) {
				seed = seed * 1103515245u + 12345u;
				data[i] = (uint8_t)(seed >> 16);
			}
			tmp_file(t, "rt.npy", path, sizeof(path));
			assert_int_equal(npy_save(path, dts[di], rank, shape, data, err,
						  sizeof(err)), 0);
			/* The data starts on a 64-byte boundary, as numpy writes it. */
			file = read_file(path, &flen);
			assert_int_equal((flen - count * isz) % 64, 0);
			assert_int_equal(file[flen - count * isz - 1], '\n');
			free(file);

			assert_int_equal(npy_load(path, &arr, err, sizeof(err)), 0);
			assert_int_equal(arr.dtype, dts[di]);
			assert_int_equal(arr.ndim, rank);
			for (d = 0; d < rank; d++)
				assert_int_equal(arr.shape[d], shape[d]);
			assert_int_equal(arr.count, count);
			assert_int_equal(arr.nbytes, count * isz);
			assert_memory_equal(arr.data, data, count * isz);
			npy_free(&arr);
			free(data);
		}
	}
}

static void test_roundtrip_large_and_zero_size(void **state)
{
	const struct tmpdir *t = *state;
	uint64_t shape[2] = { 300, 257 }, zshape[3] = { 2, 0, 5 };
	size_t n = 300 * 257, i;
	struct npy_array arr;
	char path[256], err[256] = "";
	int32_t *data = malloc(n * 4);

	assert_non_null(data);
	for (i = 0; i < n; i++)
		data[i] = (int32_t)(i * 2654435761u);
	tmp_file(t, "big.npy", path, sizeof(path));
	assert_int_equal(npy_save(path, NPY_I4, 2, shape, data, err, sizeof(err)), 0);
	assert_int_equal(npy_load(path, &arr, err, sizeof(err)), 0);
	assert_int_equal(arr.count, n);
	assert_memory_equal(arr.data, data, n * 4);
	npy_free(&arr);
	free(data);

	tmp_file(t, "zero.npy", path, sizeof(path));
	assert_int_equal(npy_save(path, NPY_U1, 3, zshape, NULL, err, sizeof(err)), 0);
	assert_int_equal(npy_load(path, &arr, err, sizeof(err)), 0);
	assert_int_equal(arr.ndim, 3);
	assert_int_equal(arr.count, 0);
	assert_int_equal(arr.nbytes, 0);
	npy_free(&arr);
}

static void test_load_from_pipe(void **state)
{
	uint8_t img[256];
	size_t n = build_npy(img, sizeof(img), 1,
			     "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }\n",
			     data12, sizeof(data12));
	struct npy_array arr;
	char path[64], err[256] = "";
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], img, n), (ssize_t)n);
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	assert_int_equal(npy_load(path, &arr, err, sizeof(err)), 0);
	close(fds[0]);
	assert_int_equal(arr.count, 3);
	assert_memory_equal(arr.data, data12, sizeof(data12));
	npy_free(&arr);
}

/* ---- header syntax that must be accepted -------------------------------- */

struct good_header {
	int major;
	const char *header;
	enum npy_dtype dtype;
	int ndim;
	uint64_t shape[3];
};

static const struct good_header good_headers[] = {
	{ 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }\n", NPY_I4, 1, { 3 } },
	{ 1, "{'shape': (3,), 'fortran_order': False, 'descr': '<i4'}\n", NPY_I4, 1, { 3 } },
	{ 1, "{\"descr\":\"<i4\",\"fortran_order\":False,\"shape\":(3,)}\n", NPY_I4, 1, { 3 } },
	{ 1, "  {  'fortran_order' :False ,'shape':( 3 , ) ,'descr':'<i4' ,  }   \n", NPY_I4, 1,
	  { 3 } },
	{ 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (1, 3)}\t\n", NPY_I4, 2, { 1, 3 } },
	{ 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (3, 1,), }\n", NPY_I4, 2,
	  { 3, 1 } },
	{ 1, "{'descr': '<i4',\n 'fortran_order': False,\n 'shape': (3L,)}\n", NPY_I4, 1, { 3 } },
	{ 1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 6), }\n", NPY_U1, 2, { 2, 6 } },
	{ 1, "{'descr': '|i1', 'fortran_order': False, 'shape': (12,), }\n", NPY_I1, 1, { 12 } },
	{ 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 3), }\n", NPY_F4, 3,
	  { 1, 1, 3 } },
	{ 2, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }\n", NPY_I4, 1, { 3 } },
	{ 3, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }\n", NPY_I4, 1, { 3 } },
};

static void test_parse_accepts_python_literal_variants(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(good_headers) / sizeof(good_headers[0]); i++) {
		const struct good_header *g = &good_headers[i];
		uint8_t img[512];
		size_t n = build_npy(img, sizeof(img), g->major, g->header, data12,
				     sizeof(data12));
		struct npy_array arr;
		char err[256] = "";
		int d, ret = npy_parse(img, n, "good.npy", &arr, err, sizeof(err));

		if (ret)
			fail_msg("good header %u (%s) rejected: %s", i, g->header, err);
		assert_int_equal(arr.dtype, g->dtype);
		assert_int_equal(arr.ndim, g->ndim);
		for (d = 0; d < g->ndim; d++)
			assert_int_equal(arr.shape[d], g->shape[d]);
		assert_memory_equal(arr.data, data12, sizeof(data12));
		npy_free(&arr);
	}
}

static void test_parse_scalar_shape(void **state)
{
	uint8_t img[256];
	int32_t v = -7;
	size_t n = build_npy(img, sizeof(img), 1,
			     "{'descr': '<i4', 'fortran_order': False, 'shape': (), }\n", &v, 4);
	struct npy_array arr;
	char err[256];

	(void)state;
	assert_int_equal(npy_parse(img, n, "s.npy", &arr, err, sizeof(err)), 0);
	assert_int_equal(arr.ndim, 0);
	assert_int_equal(arr.count, 1);
	assert_int_equal(((int32_t *)arr.data)[0], -7);
	npy_free(&arr);
}

/* ---- malformed files ---------------------------------------------------- */

#define HDR(descr, fortran, shape) \
	"{'descr': '" descr "', 'fortran_order': " fortran ", 'shape': " shape ", }\n"

struct bad_case {
	const char *what;
	const char *header;  /* NULL: use raw/rawlen */
	int major;
	size_t dlen;         /* bytes of data appended (from a 64-byte pool) */
	const char *raw;
	size_t rawlen;
	const char *msg;     /* substring the error message must contain */
};

static const struct bad_case bad_cases[] = {
	{ "empty file", NULL, 0, 0, "", 0, "empty" },
	{ "1-byte file", NULL, 0, 0, "\x93", 1, "too short" },
	{ "bad magic", NULL, 0, 0, "\x93NUMPZ\x01\x00\x10\x00{}", 12, "magic" },
	{ "magic only", NULL, 0, 0, "\x93NUMPY", 6, "version" },
	{ "bad version 4.0", NULL, 0, 0, "\x93NUMPY\x04\x00\x10\x00", 10, "version" },
	{ "bad version 1.1", NULL, 0, 0, "\x93NUMPY\x01\x01\x10\x00", 10, "version" },
	{ "bad version 0.0", NULL, 0, 0, "\x93NUMPY\x00\x00\x10\x00", 10, "version" },
	{ "no header length", NULL, 0, 0, "\x93NUMPY\x01\x00\x10", 9, "header length" },
	{ "v2 short header length", NULL, 0, 0, "\x93NUMPY\x02\x00\x10\x00\x00", 11,
	  "header length" },
	{ "header len past EOF", NULL, 0, 0, "\x93NUMPY\x01\x00\x40\x00{'descr'", 17,
	  "past end of file" },
	{ "header len zero", NULL, 0, 0, "\x93NUMPY\x01\x00\x00\x00", 10, "header length" },
	{ "header len over limit", NULL, 0, 0, "\x93NUMPY\x02\x00\x01\x00\x01\x00\n", 13,
	  "limit" },
	{ "v2 header len 4 GiB", NULL, 0, 0, "\x93NUMPY\x02\x00\xff\xff\xff\xff\n", 13, "limit" },
	{ "missing newline", "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), } ", 1, 12,
	  NULL, 0, "newline" },
	{ "fortran_order True", HDR("<i4", "True", "(3,)"), 1, 12, NULL, 0, "fortran" },
	{ "fortran_order lowercase", HDR("<i4", "false", "(3,)"), 1, 12, NULL, 0, "fortran" },
	{ "fortran_order number", HDR("<i4", "0", "(3,)"), 1, 12, NULL, 0, "fortran" },
	{ "dtype <f8", HDR("<f8", "False", "(3,)"), 1, 24, NULL, 0, "dtype" },
	{ "dtype >i4", HDR(">i4", "False", "(3,)"), 1, 12, NULL, 0, "dtype" },
	{ "dtype <i2", HDR("<i2", "False", "(6,)"), 1, 12, NULL, 0, "dtype" },
	{ "dtype <u4", HDR("<u4", "False", "(3,)"), 1, 12, NULL, 0, "dtype" },
	{ "dtype empty", HDR("", "False", "(3,)"), 1, 12, NULL, 0, "dtype" },
	{ "dtype structured", "{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (3,)}\n",
	  1, 12, NULL, 0, "descr" },
	{ "shape (3) not a tuple", HDR("<i4", "False", "(3)"), 1, 12, NULL, 0, "shape" },
	{ "shape list", HDR("<i4", "False", "[3]"), 1, 12, NULL, 0, "shape" },
	{ "shape bare int", HDR("<i4", "False", "3"), 1, 12, NULL, 0, "shape" },
	{ "shape (,)", HDR("<i4", "False", "(,)"), 1, 12, NULL, 0, "shape" },
	{ "shape (3,,)", HDR("<i4", "False", "(3,,)"), 1, 12, NULL, 0, "shape" },
	{ "shape float dim", HDR("<i4", "False", "(3.0,)"), 1, 12, NULL, 0, "shape" },
	{ "shape name dim", HDR("<i4", "False", "(n,)"), 1, 12, NULL, 0, "shape" },
	{ "shape hex dim", HDR("<i4", "False", "(0x3,)"), 1, 12, NULL, 0, "shape" },
	{ "shape leading zero", HDR("<i4", "False", "(03,)"), 1, 12, NULL, 0, "shape" },
	{ "shape unclosed", HDR("<i4", "False", "(3,"), 1, 12, NULL, 0, "" },
	{ "negative dim", HDR("<i4", "False", "(-3,)"), 1, 12, NULL, 0, "negative" },
	{ "negative dim second", HDR("<i4", "False", "(1, -1)"), 1, 12, NULL, 0, "negative" },
	{ "dim over 64 bits", HDR("<i4", "False", "(18446744073709551616,)"), 1, 12, NULL, 0,
	  "64 bits" },
	{ "dims product overflows uint64", HDR("<i4", "False", "(4294967296, 4294967296)"), 1, 12,
	  NULL, 0, "overflow" },
	{ "dims product overflows later", HDR("<i4", "False", "(3, 4294967296, 4294967296, 0)"),
	  1, 0, NULL, 0, "overflow" },
	{ "bytes overflow", HDR("<i4", "False", "(4611686018427387904,)"), 1, 12, NULL, 0,
	  "overflow" },
	{ "nine dims", HDR("<i4", "False", "(1, 1, 1, 1, 1, 1, 1, 1, 3)"), 1, 12, NULL, 0,
	  "dimensions" },
	{ "truncated data", HDR("<i4", "False", "(3,)"), 1, 8, NULL, 0,
	  "truncated data: header says 12 bytes, file has 8" },
	{ "no data", HDR("<i4", "False", "(3,)"), 1, 0, NULL, 0, "truncated data" },
	{ "trailing bytes", HDR("<i4", "False", "(3,)"), 1, 13, NULL, 0, "trailing" },
	{ "unknown key", "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), 'x': 1}\n", 1, 12,
	  NULL, 0, "unknown key 'x'" },
	{ "duplicate key",
	  "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), 'descr': '<i4'}\n", 1, 12, NULL,
	  0, "duplicate key 'descr'" },
	{ "missing shape", "{'descr': '<i4', 'fortran_order': False}\n", 1, 12, NULL, 0,
	  "missing key 'shape'" },
	{ "missing descr", "{'fortran_order': False, 'shape': (3,)}\n", 1, 12, NULL, 0,
	  "missing key 'descr'" },
	{ "missing fortran_order", "{'descr': '<i4', 'shape': (3,)}\n", 1, 12, NULL, 0,
	  "missing key 'fortran_order'" },
	{ "empty dict", "{}\n", 1, 12, NULL, 0, "missing key" },
	{ "not a dict", "['descr', '<i4']\n", 1, 12, NULL, 0, "header" },
	{ "unquoted key", "{descr: '<i4', 'fortran_order': False, 'shape': (3,)}\n", 1, 12, NULL,
	  0, "header" },
	{ "unterminated string", "{'descr: '<i4', 'fortran_order': False, 'shape': (3,)}\n", 1, 12,
	  NULL, 0, "" },
	{ "garbage after dict", "{'descr': '<i4', 'fortran_order': False, 'shape': (3,)} x\n", 1,
	  12, NULL, 0, "garbage" },
	{ "two dicts", "{'descr': '<i4', 'fortran_order': False, 'shape': (3,)}{}\n", 1, 12, NULL,
	  0, "garbage" },
	{ "no closing brace", "{'descr': '<i4', 'fortran_order': False, 'shape': (3,)\n", 1, 12,
	  NULL, 0, "header" },
	{ "double comma", "{'descr': '<i4',, 'fortran_order': False, 'shape': (3,)}\n", 1, 12, NULL,
	  0, "header" },
	{ "missing colon", "{'descr' '<i4', 'fortran_order': False, 'shape': (3,)}\n", 1, 12, NULL,
	  0, "header" },
	{ "NUL in header", "{'descr': '<i4', 'fortran_order': False, 'shape': (3,)}\0\n", 1, 12,
	  NULL, 0, "" },
	{ "escape in string", "{'descr': '<i\\4', 'fortran_order': False, 'shape': (3,)}\n", 1, 12,
	  NULL, 0, "" },
};

static void test_parse_rejects_malformed_files(void **state)
{
	static const uint8_t pool[64];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *b = &bad_cases[i];
		uint8_t img[512];
		size_t n;
		struct npy_array arr;
		char err[256] = "";
		int ret;

		if (b->header) {
			n = build_npy(img, sizeof(img), b->major, b->header, pool, b->dlen);
		} else {
			memcpy(img, b->raw, b->rawlen);
			n = b->rawlen;
		}
		memset(&arr, 0xa5, sizeof(arr));
		ret = npy_parse(img, n, "bad.npy", &arr, err, sizeof(err));
		if (ret >= 0)
			fail_msg("case '%s' was accepted", b->what);
		if (strncmp(err, "bad.npy: ", 9))
			fail_msg("case '%s': message does not start with the file name: '%s'",
				 b->what, err);
		if (!strstr(err, b->msg))
			fail_msg("case '%s': message '%s' does not mention '%s'", b->what, err,
				 b->msg);
		assert_null(arr.data);
	}
}

/* Same table through npy_load: the message names the path. */
static void test_load_rejects_malformed_files(void **state)
{
	const struct tmpdir *t = *state;
	static const uint8_t pool[64];
	unsigned int i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *b = &bad_cases[i];
		uint8_t img[512];
		size_t n;
		struct npy_array arr;
		char path[256], err[512] = "";
		int ret;

		if (b->header) {
			n = build_npy(img, sizeof(img), b->major, b->header, pool, b->dlen);
		} else {
			memcpy(img, b->raw, b->rawlen);
			n = b->rawlen;
		}
		tmp_file(t, "bad_file.npy", path, sizeof(path));
		write_file(path, img, n);
		ret = npy_load(path, &arr, err, sizeof(err));
		if (ret >= 0)
			fail_msg("case '%s' was accepted by npy_load", b->what);
		if (!strstr(err, path) || !strstr(err, b->msg))
			fail_msg("case '%s': npy_load message '%s'", b->what, err);
		assert_null(arr.data);
	}
}

static void test_truncated_data_message_is_exact(void **state)
{
	static const uint8_t pool[8];
	uint8_t img[256];
	size_t n = build_npy(img, sizeof(img), 1, HDR("<i4", "False", "(3,)"), pool, 8);
	struct npy_array arr;
	char err[256];

	(void)state;
	assert_int_equal(npy_parse(img, n, "a.npy", &arr, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "a.npy: truncated data: header says 12 bytes, file has 8");
}

static void test_load_missing_file_and_directory(void **state)
{
	const struct tmpdir *t = *state;
	struct npy_array arr;
	char path[256], err[512];

	tmp_file(t, "does_not_exist.npy", path, sizeof(path));
	assert_int_equal(npy_load(path, &arr, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, path));
	assert_int_equal(npy_load(t->path, &arr, err, sizeof(err)), -EISDIR);
	assert_non_null(strstr(err, t->path));
}

static void test_small_error_buffer_is_terminated(void **state)
{
	struct npy_array arr;
	char err[8];

	(void)state;
	memset(err, 'x', sizeof(err));
	assert_true(npy_parse("", 0, "a_long_file_name.npy", &arr, err, sizeof(err)) < 0);
	assert_int_equal(err[sizeof(err) - 1], '\0');
	/* And no buffer at all is fine. */
	assert_true(npy_parse("", 0, "x.npy", &arr, NULL, 0) < 0);
}

static void test_save_rejects_bad_arguments(void **state)
{
	const struct tmpdir *t = *state;
	uint64_t shape[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	uint64_t huge[2] = { UINT64_MAX, 2 };
	char path[256], err[512];
	int32_t v = 0;

	tmp_file(t, "s.npy", path, sizeof(path));
	assert_true(npy_save(path, NPY_I4, 9, shape, &v, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, path));
	assert_true(npy_save(path, NPY_I4, 2, huge, &v, err, sizeof(err)) < 0);
	assert_true(npy_save(path, (enum npy_dtype)7, 1, shape, &v, err, sizeof(err)) < 0);
	assert_true(npy_save("/nonexistent_dir/x.npy", NPY_I4, 1, shape, &v, err,
			     sizeof(err)) < 0);
	assert_non_null(strstr(err, "/nonexistent_dir/x.npy"));
}

static void test_dtype_names_and_sizes(void **state)
{
	(void)state;
	assert_string_equal(npy_dtype_name(NPY_I1), "|i1");
	assert_string_equal(npy_dtype_name(NPY_U1), "|u1");
	assert_string_equal(npy_dtype_name(NPY_I4), "<i4");
	assert_string_equal(npy_dtype_name(NPY_F4), "<f4");
	assert_int_equal(npy_item_size(NPY_I1), 1);
	assert_int_equal(npy_item_size(NPY_U1), 1);
	assert_int_equal(npy_item_size(NPY_I4), 4);
	assert_int_equal(npy_item_size(NPY_F4), 4);
}

/* Every prefix of a valid file is rejected, never read past. */
static void test_every_truncation_is_rejected(void **state)
{
	uint8_t img[256];
	size_t n = build_npy(img, sizeof(img), 2,
			     HDR("<i4", "False", "(3,)"), data12, sizeof(data12)), len;

	(void)state;
	for (len = 0; len < n; len++) {
		struct npy_array arr;
		char err[256];
		uint8_t *copy = malloc(len ? len : 1);

		assert_non_null(copy);
		memcpy(copy, img, len);
		assert_true(npy_parse(copy, len, "t.npy", &arr, err, sizeof(err)) < 0);
		assert_non_null(strstr(err, "t.npy"));
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_numpy_fixtures),
		cmocka_unit_test_setup_teardown(test_save_matches_numpy_bytes, setup_tmpdir,
						teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_roundtrip_every_dtype_and_rank,
						setup_tmpdir, teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_roundtrip_large_and_zero_size, setup_tmpdir,
						teardown_tmpdir),
		cmocka_unit_test(test_load_from_pipe),
		cmocka_unit_test(test_parse_accepts_python_literal_variants),
		cmocka_unit_test(test_parse_scalar_shape),
		cmocka_unit_test(test_parse_rejects_malformed_files),
		cmocka_unit_test_setup_teardown(test_load_rejects_malformed_files, setup_tmpdir,
						teardown_tmpdir),
		cmocka_unit_test(test_truncated_data_message_is_exact),
		cmocka_unit_test_setup_teardown(test_load_missing_file_and_directory,
						setup_tmpdir, teardown_tmpdir),
		cmocka_unit_test(test_small_error_buffer_is_terminated),
		cmocka_unit_test_setup_teardown(test_save_rejects_bad_arguments, setup_tmpdir,
						teardown_tmpdir),
		cmocka_unit_test(test_dtype_names_and_sizes),
		cmocka_unit_test(test_every_truncation_is_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
