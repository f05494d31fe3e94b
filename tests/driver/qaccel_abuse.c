// SPDX-License-Identifier: MIT
/*
 * UAPI abuse and robustness tests for /dev/qaccelN, run inside the QEMU
 * guest against the emulated core. Uses the raw ioctls (no libqaccel), so
 * every malformed call reaches the driver exactly as written here.
 *
 *   qaccel_abuse [-d /dev/qaccel0] [-f debugfs dir] [-q]   (-q: quick subset)
 *
 * Prints "FAIL <case>: ..." for each failed check and one summary line:
 *   ABUSE cases=N passed=P failed=F calls=C
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qaccel_hw.h"
#include "qaccel_ioctl.h"

static const char *dev_path = "/dev/qaccel0";
static const char *dbg_dir = "/sys/kernel/debug/qaccel/qaccel0";
static int quick;
static int n_cases, n_failed;
static long n_calls;

#define CHECK(name, cond) check(name, !!(cond), #cond, __LINE__)

static void check(const char *name, int ok, const char *expr, int line)
{
	n_cases++;
	if (!ok) {
		n_failed++;
		printf("FAIL %s: %s (line %d, errno %d)\n", name, expr, line, errno);
		fflush(stdout);
	}
}

/* ioctl returning 0 or -errno, counted. */
static int xioctl(int fd, unsigned long cmd, void *arg)
{
	n_calls++;
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int open_dev(void)
{
	int fd = open(dev_path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		printf("FAIL open %s: %s\n", dev_path, strerror(errno));
		exit(1);
	}
	return fd;
}

static int set_fault(const char *what)
{
	char p[256];
	int fd, ok;

	snprintf(p, sizeof(p), "%s/fault", dbg_dir);
	fd = open(p, O_WRONLY);
	if (fd < 0)
		return -errno;
	ok = write(fd, what, strlen(what)) == (ssize_t)strlen(what);
	close(fd);
	return ok ? 0 : -EIO;
}

/* The emulated core takes an armed fault when it starts the next job. */
static int fault_consumed(void)
{
	char p[256], buf[16];
	int i, fd;
	ssize_t n;

	snprintf(p, sizeof(p), "%s/fault", dbg_dir);
	for (i = 0; i < 1000; i++) {
		fd = open(p, O_RDONLY);
		if (fd < 0)
			return 0;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0 && !strncmp(buf, "none", 4))
			return 1;
		usleep(10000);
	}
	return 0;
}

static long read_dbg_u32(const char *name)
{
	char p[256], buf[32] = "";
	int fd;
	ssize_t n;

	snprintf(p, sizeof(p), "%s/%s", dbg_dir, name);
	fd = open(p, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 0) : -1;
}

static int write_dbg(const char *name, const char *val)
{
	char p[256];
	int fd, ok;

	snprintf(p, sizeof(p), "%s/%s", dbg_dir, name);
	fd = open(p, O_WRONLY);
	if (fd < 0)
		return -errno;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -EIO;
}

struct bo {
	uint32_t handle;
	uint64_t size;
	uint64_t offset;
	uint8_t *map;
};

static int bo_new(int fd, uint64_t size, struct bo *b)
{
	struct qaccel_bo_create c = { .size = size };
	int err = xioctl(fd, QACCEL_IOCTL_BO_CREATE, &c);

	memset(b, 0, sizeof(*b));
	if (err)
		return err;
	b->handle = c.handle;
	b->size = size;
	b->offset = c.mmap_offset;
	b->map = mmap(NULL, (size + 4095) & ~4095ull, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		      (off_t)c.mmap_offset);
	if (b->map == MAP_FAILED) {
		b->map = NULL;
		return -errno;
	}
	return 0;
}

static int bo_del(int fd, struct bo *b)
{
	struct qaccel_bo_destroy d = { .handle = b->handle };

	if (b->map)
		munmap(b->map, (b->size + 4095) & ~4095ull);
	b->map = NULL;
	return xioctl(fd, QACCEL_IOCTL_BO_DESTROY, &d);
}

/*
 * A small int32-output GEMM: Y[M][N] = bias + sum (A - azp)(B - bzp), A in
 * BO 0 at a_off, B in BO 1, bias in BO 1 after B, Y in BO 2.
 */
#define GM 5
#define GN 7
#define GK 9

struct gemm_job {
	struct bo a, w, y, desc;
	struct qa_desc d;
	uint32_t handles[3];
	int32_t expect[GM * GN];
};

static void put_desc(struct gemm_job *g, uint32_t index)
{
	/* Encode little-endian by hand: the test must not trust qa_desc_encode. */
	uint8_t *p = g->desc.map + (size_t)index * QA_DESC_SIZE;

	memcpy(p, &g->d, sizeof(g->d)); /* x86 is little-endian; layout is static-asserted */
}

static int gemm_setup(int fd, struct gemm_job *g, int32_t a_zp, int32_t w_zp)
{
	uint32_t m, n, k;
	int err;

	memset(g, 0, sizeof(*g));
	err = bo_new(fd, GM * GK + 3, &g->a);
	if (!err)
		err = bo_new(fd, GK * GN + 4 * GN + 8, &g->w);
	if (!err)
		err = bo_new(fd, 4 * GM * GN + 8, &g->y);
	if (!err)
		err = bo_new(fd, 4096, &g->desc);
	if (err)
		return err;
	for (m = 0; m < GM * GK; m++)
		g->a.map[3 + m] = (uint8_t)(m * 37 + 11);
	for (m = 0; m < GK * GN; m++)
		g->w.map[m] = (uint8_t)(m * 59 + 3);
	for (n = 0; n < GN; n++) {
		int32_t b = (int32_t)n * 1000 - 3000;

		memcpy(g->w.map + 4 * ((GK * GN + 3) / 4) + 4 * n, &b, 4);
	}
	/* independent reference: int8 A and int8 B */
	for (m = 0; m < GM; m++)
		for (n = 0; n < GN; n++) {
			int32_t acc = (int32_t)n * 1000 - 3000;

			for (k = 0; k < GK; k++)
				acc += ((int8_t)g->a.map[3 + m * GK + k] - a_zp) *
				       ((int8_t)g->w.map[k * GN + n] - w_zp);
			g->expect[m * GN + n] = acc;
		}
	memset(&g->d, 0, sizeof(g->d));
	g->d.header = QA_DESC_HEADER(QA_OP_GEMM);
	g->d.in_type = QA_DT_INT8;
	g->d.w_type = QA_DT_INT8;
	g->d.out_type = QA_DT_INT32;
	g->d.flags = QA_DESC_F_BIAS;
	g->d.batch = 1;
	g->d.in_h = GM;
	g->d.in_w = 1;
	g->d.in_c = GK;
	g->d.out_h = GM;
	g->d.out_w = 1;
	g->d.out_c = GN;
	g->d.groups = 1;
	g->d.kernel_h = g->d.kernel_w = 1;
	g->d.stride_h = g->d.stride_w = 1;
	g->d.dilation_h = g->d.dilation_w = 1;
	g->d.in_zp = a_zp;
	g->d.w_zp = w_zp;
	g->d.in_addr = QACCEL_ADDR(0, 3);
	g->d.w_addr = QACCEL_ADDR(1, 0);
	g->d.bias_addr = QACCEL_ADDR(1, 4 * ((GK * GN + 3) / 4));
	g->d.out_addr = QACCEL_ADDR(2, 0);
	put_desc(g, 0);
	g->handles[0] = g->a.handle;
	g->handles[1] = g->w.handle;
	g->handles[2] = g->y.handle;
	return 0;
}

static void gemm_teardown(int fd, struct gemm_job *g)
{
	bo_del(fd, &g->a);
	bo_del(fd, &g->w);
	bo_del(fd, &g->y);
	bo_del(fd, &g->desc);
}

static int submit(int fd, struct gemm_job *g, uint32_t count, uint32_t *job)
{
	struct qaccel_submit s = {
		.bo_handles = (uint64_t)(uintptr_t)g->handles,
		.desc_handle = g->desc.handle,
		.desc_count = count,
		.bo_count = 3,
	};
	int err = xioctl(fd, QACCEL_IOCTL_SUBMIT, &s);

	*job = s.job_id;
	return err;
}

static int wait_job(int fd, uint32_t job, int64_t rel_ns, uint32_t *status)
{
	struct qaccel_wait w = { .job_id = job, .timeout_ns = now_ns() + rel_ns };
	int err = xioctl(fd, QACCEL_IOCTL_WAIT, &w);

	if (status)
		*status = w.status;
	return err;
}

static int gemm_output_ok(struct gemm_job *g)
{
	return !memcmp(g->y.map, g->expect, sizeof(g->expect));
}

/* Submit, wait, verify; 0 when the job ran correctly. */
static int gemm_run_ok(int fd, struct gemm_job *g)
{
	uint32_t job = 0, status = 1;
	int err;

	memset(g->y.map, 0xAA, g->y.size);
	err = submit(fd, g, 1, &job);
	if (!err)
		err = wait_job(fd, job, 20000000000ll, &status);
	if (err || status) {
		printf("  gemm job %u: err %d status %#x\n", job, err, status);
		return -1;
	}
	if (!gemm_output_ok(g)) {
		printf("  gemm job %u: wrong output\n", job);
		return -2;
	}
	return 0;
}

/* ---- test groups ----------------------------------------------------------- */

static void test_query(int fd)
{
	struct qaccel_query_version v;
	struct qaccel_query_array a;
	struct qaccel_query_features f;
	struct qaccel_query_limits l;
	struct qaccel_query q;
	char big[64];

	q = (struct qaccel_query){ .type = QACCEL_QUERY_VERSION };
	CHECK("query size probe", !xioctl(fd, QACCEL_IOCTL_QUERY, &q) && q.size == sizeof(v));
	q = (struct qaccel_query){ QACCEL_QUERY_VERSION, sizeof(v), (uintptr_t)&v };
	CHECK("query version", !xioctl(fd, QACCEL_IOCTL_QUERY, &q) &&
	      v.uapi_major == QACCEL_UAPI_VERSION_MAJOR && v.core_version == QA_CORE_VERSION &&
	      !v.pad);
	q = (struct qaccel_query){ QACCEL_QUERY_ARRAY, sizeof(a), (uintptr_t)&a };
	CHECK("query array", !xioctl(fd, QACCEL_IOCTL_QUERY, &q));
	q = (struct qaccel_query){ QACCEL_QUERY_FEATURES, sizeof(f), (uintptr_t)&f };
	CHECK("query features", !xioctl(fd, QACCEL_IOCTL_QUERY, &q) &&
	      (f.features & QACCEL_FEATURE_EMULATED));
	q = (struct qaccel_query){ QACCEL_QUERY_LIMITS, sizeof(l), (uintptr_t)&l };
	CHECK("query limits", !xioctl(fd, QACCEL_IOCTL_QUERY, &q) && l.max_bo_size &&
	      l.max_job_bos == QACCEL_MAX_JOB_BOS);
	q = (struct qaccel_query){ QACCEL_QUERY_VERSION, sizeof(v) - 4, (uintptr_t)&v };
	CHECK("query short size", xioctl(fd, QACCEL_IOCTL_QUERY, &q) == -EINVAL);
	q = (struct qaccel_query){ QACCEL_QUERY_VERSION, sizeof(big), (uintptr_t)big };
	CHECK("query long size", xioctl(fd, QACCEL_IOCTL_QUERY, &q) == -EINVAL);
	q = (struct qaccel_query){ 77, sizeof(v), (uintptr_t)&v };
	CHECK("query unknown type", xioctl(fd, QACCEL_IOCTL_QUERY, &q) == -EINVAL);
	q = (struct qaccel_query){ 0xFFFFFFFFu, 0, 0 };
	CHECK("query unknown type probe", xioctl(fd, QACCEL_IOCTL_QUERY, &q) == -EINVAL);
	q = (struct qaccel_query){ QACCEL_QUERY_VERSION, sizeof(v), 16 };
	CHECK("query bad pointer", xioctl(fd, QACCEL_IOCTL_QUERY, &q) == -EFAULT);
	CHECK("query NULL arg", xioctl(fd, QACCEL_IOCTL_QUERY, NULL) == -EFAULT);
	/* same numbers, other sizes/directions; unknown numbers */
	CHECK("ioctl wrong size", xioctl(fd, _IOWR(QACCEL_IOCTL_BASE, 0x01, char[8]), big) == -EINVAL);
	CHECK("ioctl wrong size big",
	      xioctl(fd, _IOWR(QACCEL_IOCTL_BASE, 0x03, char[64]), big) == -EINVAL);
	CHECK("ioctl wrong dir", xioctl(fd, _IOR(QACCEL_IOCTL_BASE, 0x02,
						 struct qaccel_bo_destroy), big) == -EINVAL);
	CHECK("ioctl unknown nr", xioctl(fd, _IOWR(QACCEL_IOCTL_BASE, 0x40, char[8]), big) == -ENOTTY);
	CHECK("ioctl foreign type", xioctl(fd, _IOWR('x', 0x01, char[8]), big) == -ENOTTY);
}

static void test_bo(int fd)
{
	struct qaccel_query_limits l;
	struct qaccel_query q = { QACCEL_QUERY_LIMITS, sizeof(l), (uintptr_t)&l };
	struct qaccel_bo_create c;
	struct qaccel_bo_destroy d;
	struct bo b, big[4];
	uint8_t *p;
	int i;

	xioctl(fd, QACCEL_IOCTL_QUERY, &q);
	c = (struct qaccel_bo_create){ .size = 0 };
	CHECK("bo size 0", xioctl(fd, QACCEL_IOCTL_BO_CREATE, &c) == -EINVAL);
	for (i = 0; i < 32; i++) {
		c = (struct qaccel_bo_create){ .size = 4096, .flags = 1u << i };
		CHECK("bo unknown flag", xioctl(fd, QACCEL_IOCTL_BO_CREATE, &c) == -EINVAL);
	}
	c = (struct qaccel_bo_create){ .size = 4096, .handle = 5 };
	CHECK("bo nonzero out handle", xioctl(fd, QACCEL_IOCTL_BO_CREATE, &c) == -EINVAL);
	c = (struct qaccel_bo_create){ .size = 4096, .mmap_offset = 1 };
	CHECK("bo nonzero out offset", xioctl(fd, QACCEL_IOCTL_BO_CREATE, &c) == -EINVAL);
	c = (struct qaccel_bo_create){ .size = l.max_bo_size + 1 };
	CHECK("bo max+1", xioctl(fd, QACCEL_IOCTL_BO_CREATE, &c) == -E2BIG);
	c = (struct qaccel_bo_create){ .size = UINT64_MAX };
	CHECK("bo UINT64_MAX", xioctl(fd, QACCEL_IOCTL_BO_CREATE, &c) == -E2BIG);
	c = (struct qaccel_bo_create){ .size = 1ull << 62 };
	CHECK("bo 2^62", xioctl(fd, QACCEL_IOCTL_BO_CREATE, &c) == -E2BIG);
	c = (struct qaccel_bo_create){ .size = UINT64_MAX - 4095 };
	CHECK("bo page-wrap size", xioctl(fd, QACCEL_IOCTL_BO_CREATE, &c) == -E2BIG);
	/* max-size BOs cost nothing until used: shmem is allocated lazily */
	for (i = 0; i < 4; i++)
		CHECK("bo max size", !bo_new(fd, l.max_bo_size, &big[i]));
	CHECK("bo max size touch", (big[0].map[l.max_bo_size - 1] = 7) == 7);
	for (i = 0; i < 4; i++)
		CHECK("bo max size destroy", !bo_del(fd, &big[i]));

	d = (struct qaccel_bo_destroy){ .handle = 0 };
	CHECK("destroy handle 0", xioctl(fd, QACCEL_IOCTL_BO_DESTROY, &d) == -ENOENT);
	d = (struct qaccel_bo_destroy){ .handle = 123456 };
	CHECK("destroy unknown", xioctl(fd, QACCEL_IOCTL_BO_DESTROY, &d) == -ENOENT);
	CHECK("bo create", !bo_new(fd, 10000, &b));
	d = (struct qaccel_bo_destroy){ .handle = b.handle, .pad = 1 };
	CHECK("destroy nonzero pad", xioctl(fd, QACCEL_IOCTL_BO_DESTROY, &d) == -EINVAL);

	/* mmap: contents shared, bounds enforced */
	memset(b.map, 0x5A, 10000);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)(b.offset + 4096));
	CHECK("mmap second page", p != MAP_FAILED && p[17] == 0x5A);
	if (p != MAP_FAILED)
		munmap(p, 4096);
	n_calls += 6;
	p = mmap(NULL, 4 * 4096, PROT_READ, MAP_SHARED, fd, (off_t)b.offset);
	CHECK("mmap past the end", p == MAP_FAILED && errno == EINVAL);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)(b.offset + 3 * 4096));
	CHECK("mmap offset past the end", p == MAP_FAILED && errno == EINVAL);
	p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, (off_t)(b.offset + 2 * 4096));
	CHECK("mmap straddling the end", p == MAP_FAILED && errno == EINVAL);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, (off_t)b.offset);
	CHECK("mmap private", p == MAP_FAILED && errno == EINVAL);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)(777ull << 40));
	CHECK("mmap unknown handle", p == MAP_FAILED && errno == EINVAL);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK("mmap offset 0", p == MAP_FAILED && errno == EINVAL);

	/* a mapping outlives the handle: destroy, then the pages stay valid */
	CHECK("destroy", !bo_del(fd, &(struct bo){ .handle = b.handle }));
	CHECK("mapping after destroy", b.map[9999] == 0x5A);
	munmap(b.map, 12288);
	d = (struct qaccel_bo_destroy){ .handle = b.handle };
	CHECK("double destroy", xioctl(fd, QACCEL_IOCTL_BO_DESTROY, &d) == -ENOENT);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)b.offset);
	CHECK("mmap destroyed handle", p == MAP_FAILED && errno == EINVAL);
}

static void test_submit(int fd)
{
	struct gemm_job g;
	struct qaccel_submit s, s0;
	struct qa_desc save;
	uint32_t job, status, many[QACCEL_MAX_JOB_BOS + 1];
	struct bo other;
	int fd2;

	CHECK("gemm setup", !gemm_setup(fd, &g, 3, -2));
	CHECK("gemm runs bit-exactly", !gemm_run_ok(fd, &g));

	s0 = (struct qaccel_submit){ .bo_handles = (uintptr_t)g.handles,
				     .desc_handle = g.desc.handle, .desc_count = 1, .bo_count = 3 };
	s = s0; s.flags = 1;
	CHECK("submit unknown flag", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -EINVAL);
	s = s0; s.flags = 0x80000000u;
	CHECK("submit unknown high flag", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -EINVAL);
	s = s0; s.pad = 1;
	CHECK("submit nonzero pad", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -EINVAL);
	s = s0; s.job_id = 9;
	CHECK("submit nonzero out field", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -EINVAL);
	s = s0; s.desc_count = 0;
	CHECK("submit 0 descriptors", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -EINVAL);
	s = s0; s.desc_count = QACCEL_MAX_JOB_DESCS + 1;
	CHECK("submit too many descriptors", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -EINVAL);
	s = s0; s.desc_count = 0xFFFFFFFFu;
	CHECK("submit 2^32-1 descriptors", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -EINVAL);
	s = s0; s.desc_count = 33; /* 33 * 128 > the 4096-byte BO */
	CHECK("submit descriptors past BO", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -EOVERFLOW);
	s = s0; s.desc_offset = 4096;
	CHECK("submit desc offset at end", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -EOVERFLOW);
	s = s0; s.desc_offset = UINT64_MAX - 7;
	CHECK("submit desc offset wraps", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -EOVERFLOW);
	s = s0; s.desc_offset = 4;
	CHECK("submit desc offset misaligned", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -EINVAL);
	s = s0; s.bo_count = 0;
	CHECK("submit 0 BOs", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -EINVAL);
	s = s0; s.bo_count = QACCEL_MAX_JOB_BOS + 1; s.bo_handles = (uintptr_t)many;
	CHECK("submit too many BOs", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -EINVAL);
	s = s0; s.bo_handles = 8;
	CHECK("submit bad handle pointer", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -EFAULT);
	s = s0; s.desc_handle = 0;
	CHECK("submit desc handle 0", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -ENOENT);
	s = s0; s.desc_handle = 99999;
	CHECK("submit unknown desc handle", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -ENOENT);
	many[0] = g.a.handle; many[1] = g.w.handle; many[2] = 4242;
	s = s0; s.bo_handles = (uintptr_t)many;
	CHECK("submit unknown BO handle", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -ENOENT);
	many[2] = g.a.handle;
	CHECK("submit duplicate BO", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -EINVAL);

	/* a handle of another open file means nothing here */
	fd2 = open_dev();
	CHECK("foreign bo create", !bo_new(fd2, 4 * GM * GN, &other));
	many[2] = other.handle;
	if (other.handle != g.a.handle && other.handle != g.w.handle &&
	    other.handle != g.y.handle && other.handle != g.desc.handle)
		CHECK("submit foreign handle", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -ENOENT);
	s = s0; s.desc_handle = other.handle;
	if (other.handle > g.desc.handle)
		CHECK("submit foreign desc handle", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -ENOENT);
	bo_del(fd2, &other);
	close(fd2);

	/* descriptors pointing outside their BOs */
	save = g.d;
	g.d.out_addr = QACCEL_ADDR(2, 12); put_desc(&g, 0);
	CHECK("output 4 bytes past BO", submit(fd, &g, 1, &job) == -EOVERFLOW);
	g.d = save; g.d.in_addr = QACCEL_ADDR(0, 4); put_desc(&g, 0);
	CHECK("input 1 byte past BO", submit(fd, &g, 1, &job) == -EOVERFLOW);
	g.d = save; g.d.w_addr = QACCEL_ADDR(1, 1ull << 39); put_desc(&g, 0);
	CHECK("weights far past BO", submit(fd, &g, 1, &job) == -EOVERFLOW);
	g.d = save; g.d.bias_addr = QACCEL_ADDR(1, g.w.size - 4 * GN + 4); put_desc(&g, 0);
	CHECK("bias past BO", submit(fd, &g, 1, &job) == -EOVERFLOW);
	g.d = save; g.d.in_h = g.d.out_h = 60000; put_desc(&g, 0);
	CHECK("rows past BO", submit(fd, &g, 1, &job) == -EOVERFLOW);
	g.d = save; g.d.batch = 0xFFFFFFFFu; g.d.in_h = g.d.out_h = 65535; put_desc(&g, 0);
	CHECK("overflowing extent", submit(fd, &g, 1, &job) < 0);
	g.d = save; g.d.in_addr = QACCEL_ADDR(3, 3); put_desc(&g, 0);
	CHECK("BO index = count", submit(fd, &g, 1, &job) == -EINVAL);
	g.d = save; g.d.in_addr = QACCEL_ADDR(0xFFFFFF, 0); put_desc(&g, 0);
	CHECK("BO index huge", submit(fd, &g, 1, &job) == -EINVAL);
	g.d = save; g.d.flags = 0; put_desc(&g, 0);
	CHECK("unused bias address nonzero", submit(fd, &g, 1, &job) == -EINVAL);
	g.d = save; g.d.mult_addr = QACCEL_ADDR(1, 0); put_desc(&g, 0);
	CHECK("unused multiplier nonzero", submit(fd, &g, 1, &job) == -EINVAL);
	g.d = save; g.d.bias_addr += 2; put_desc(&g, 0);
	CHECK("misaligned bias", submit(fd, &g, 1, &job) == -EINVAL);
	g.d = save; g.d.out_addr = QACCEL_ADDR(2, 1); put_desc(&g, 0);
	CHECK("misaligned int32 output", submit(fd, &g, 1, &job) == -EINVAL);
	g.d = save; g.d.header = 0x12345678; put_desc(&g, 0);
	CHECK("bad descriptor header", submit(fd, &g, 1, &job) == -EINVAL);
	g.d = save; g.d.flags = 0x80 | QA_DESC_F_BIAS; put_desc(&g, 0);
	CHECK("unknown descriptor flag", submit(fd, &g, 1, &job) == -EINVAL);
	g.d = save; g.d.in_type = 9; put_desc(&g, 0);
	CHECK("bad descriptor type", submit(fd, &g, 1, &job) == -EINVAL);
	g.d = save; put_desc(&g, 0);
	g.d.out_addr = QACCEL_ADDR(2, 1 << 20); put_desc(&g, 1);
	CHECK("second descriptor past BO", submit(fd, &g, 2, &job) == -EOVERFLOW);
	g.d = save; put_desc(&g, 0); put_desc(&g, 1);
	CHECK("two descriptors run", !submit(fd, &g, 2, &job) &&
	      !wait_job(fd, job, 20000000000ll, &status) && !status && gemm_output_ok(&g));
	/* what only the core checks (output aliasing an input) comes back as status */
	g.d.in_addr = QACCEL_ADDR(2, 0); put_desc(&g, 0);
	CHECK("aliasing reported by the core", !submit(fd, &g, 1, &job) &&
	      !wait_job(fd, job, 20000000000ll, &status) &&
	      QA_STATUS_CODE(status) == QA_ERR_BAD_ADDRESS);
	g.d = save; put_desc(&g, 0);

	/* a BO destroyed while its job is queued stays alive for the job */
	{
		struct gemm_job h;
		uint32_t j1;

		CHECK("destroy-in-flight setup", !gemm_setup(fd, &h, 0, 0));
		memset(h.y.map, 0, h.y.size);
		CHECK("destroy-in-flight submit", !submit(fd, &h, 1, &j1));
		CHECK("destroy-in-flight destroy",
		      !xioctl(fd, QACCEL_IOCTL_BO_DESTROY, &(struct qaccel_bo_destroy){ .handle = h.y.handle }));
		CHECK("destroy-in-flight wait", !wait_job(fd, j1, 20000000000ll, &status) && !status);
		CHECK("destroy-in-flight result via old mapping", gemm_output_ok(&h));
		munmap(h.y.map, 4096);
		h.y.map = NULL;
		CHECK("destroyed handle rejected", submit(fd, &h, 1, &j1) == -ENOENT);
		bo_del(fd, &h.a);
		bo_del(fd, &h.w);
		bo_del(fd, &h.desc);
	}
	gemm_teardown(fd, &g);
}

static void test_wait(int fd)
{
	struct gemm_job g;
	struct qaccel_wait w;
	uint32_t job, status;
	int i;

	CHECK("wait setup", !gemm_setup(fd, &g, 1, 1));
	w = (struct qaccel_wait){ .job_id = 0, .timeout_ns = now_ns() + 1000000 };
	CHECK("wait id 0", xioctl(fd, QACCEL_IOCTL_WAIT, &w) == -ENOENT);
	w = (struct qaccel_wait){ .job_id = 31337, .timeout_ns = now_ns() + 1000000 };
	CHECK("wait unknown id", xioctl(fd, QACCEL_IOCTL_WAIT, &w) == -ENOENT);
	CHECK("wait submit", !submit(fd, &g, 1, &job));
	w = (struct qaccel_wait){ .job_id = job, .timeout_ns = now_ns() + 1000000000, .pad = 1 };
	CHECK("wait nonzero pad", xioctl(fd, QACCEL_IOCTL_WAIT, &w) == -EINVAL);
	w = (struct qaccel_wait){ .job_id = job, .timeout_ns = now_ns() + 1000000000, .status = 1 };
	CHECK("wait nonzero out field", xioctl(fd, QACCEL_IOCTL_WAIT, &w) == -EINVAL);
	CHECK("wait ok", !wait_job(fd, job, 20000000000ll, &status) && !status);
	CHECK("wait retired id", wait_job(fd, job, 1000000, &status) == -ENOENT);
	CHECK("wait submit 2", !submit(fd, &g, 1, &job));
	usleep(300000);
	/* an expired deadline still reports a finished job */
	w = (struct qaccel_wait){ .job_id = job, .timeout_ns = 1 };
	CHECK("wait past deadline, done", !xioctl(fd, QACCEL_IOCTL_WAIT, &w) && !w.status &&
	      w.macs == (uint64_t)GM * GN * GK);
	CHECK("wait negative deadline submit", !submit(fd, &g, 1, &job));
	w = (struct qaccel_wait){ .job_id = job, .timeout_ns = INT64_MIN };
	i = xioctl(fd, QACCEL_IOCTL_WAIT, &w);
	CHECK("wait negative deadline", i == -ETIME || (!i && !w.status));
	if (i == -ETIME)
		CHECK("wait after negative", !wait_job(fd, job, 20000000000ll, &status) && !status);
	gemm_teardown(fd, &g);
}

static void test_faults(int fd)
{
	struct gemm_job g;
	uint32_t job, status = 0;
	long resets0 = read_dbg_u32("resets");
	int64_t t0;

	CHECK("fault setup", !gemm_setup(fd, &g, -1, 2) && resets0 >= 0);
	/* hang: the WAIT deadline passes, then the watchdog resets the core */
	CHECK("fault hang armed", !set_fault("hang"));
	CHECK("hang submit", !submit(fd, &g, 1, &job));
	t0 = now_ns();
	CHECK("hang wait times out", wait_job(fd, job, 200000000, &status) == -ETIME);
	CHECK("hang wait honoured the deadline", now_ns() - t0 >= 200000000);
	CHECK("hung job reset", !wait_job(fd, job, 30000000000ll, &status) &&
	      status == QACCEL_STATUS_TIMEOUT);
	CHECK("reset counted", read_dbg_u32("resets") == resets0 + 1);
	CHECK("good job after hang", !gemm_run_ok(fd, &g));

	/* hang with a queue behind it: the queued jobs run after the reset */
	{
		uint32_t j[4], st[4];
		int i;

		CHECK("hang+queue armed", !set_fault("hang"));
		for (i = 0; i < 4; i++)
			CHECK("hang+queue submit", !submit(fd, &g, 1, &j[i]));
		for (i = 0; i < 4; i++)
			CHECK("hang+queue wait", !wait_job(fd, j[i], 30000000000ll, &st[i]));
		CHECK("hang+queue first reset", st[0] == QACCEL_STATUS_TIMEOUT);
		CHECK("hang+queue rest ok", !st[1] && !st[2] && !st[3] && gemm_output_ok(&g));
	}

	/* slow but progressing: longer than the timeout, yet not killed */
	if (!quick) {
		CHECK("slow_ms", !write_dbg("slow_ms", "2500"));
		CHECK("fault slow armed", !set_fault("slow"));
		memset(g.y.map, 0, g.y.size);
		CHECK("slow submit", !submit(fd, &g, 1, &job));
		CHECK("slow job completes", !wait_job(fd, job, 30000000000ll, &status) && !status &&
		      gemm_output_ok(&g));
		CHECK("slow job not reset", read_dbg_u32("resets") == resets0 + 2);
	}

	/* corrupt status: reported, and the next job is fine */
	CHECK("fault corrupt armed", !set_fault("corrupt"));
	CHECK("corrupt submit", !submit(fd, &g, 1, &job));
	CHECK("corrupt status reported", !wait_job(fd, job, 30000000000ll, &status) && status != 0);
	CHECK("good job after corrupt", !gemm_run_ok(fd, &g));
	CHECK("fault bad name", set_fault("explode") != 0);
	gemm_teardown(fd, &g);
}

/*
 * Several processes at once: even-numbered ones open their own file, odd
 * ones share one file opened before fork() (one BO/job table, many users).
 */
static void test_processes(int nproc, int iters)
{
	pid_t pid[16];
	int i, ok = 1, st, shared = open_dev();

	for (i = 0; i < nproc; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			struct gemm_job g;
			int fd = i & 1 ? shared : open_dev(), k, bad = 0;

			if (gemm_setup(fd, &g, i, -i))
				_exit(2);
			for (k = 0; k < iters; k++)
				bad |= gemm_run_ok(fd, &g) != 0;
			/* leave BOs and a job behind: close must clean up */
			submit(fd, &g, 1, &(uint32_t){ 0 });
			_exit(bad);
		}
	}
	for (i = 0; i < nproc; i++) {
		if (waitpid(pid[i], &st, 0) != pid[i] || !WIFEXITED(st) || WEXITSTATUS(st))
			ok = 0;
	}
	close(shared);
	n_calls += (long)nproc * (iters * 2 + 6);
	CHECK("concurrent processes bit-exact", ok);
}

/* close() with jobs queued and running, including a hung one. */
static void test_close_in_flight(void)
{
	struct gemm_job g;
	uint32_t job;
	int fd, i, fd2;

	fd = open_dev();
	CHECK("close-in-flight setup", !gemm_setup(fd, &g, 0, 0));
	for (i = 0; i < 20; i++)
		CHECK("close-in-flight submit", !submit(fd, &g, 1, &job));
	gemm_teardown(fd, &g); /* unmap + destroy while queued */
	close(fd);

	fd = open_dev();
	CHECK("close-hung setup", !gemm_setup(fd, &g, 0, 0));
	CHECK("close-hung armed", !set_fault("hang"));
	CHECK("close-hung submit", !submit(fd, &g, 1, &job));
	CHECK("close-hung submit 2", !submit(fd, &g, 1, &job));
	/* jobs of the file closed above may still run: close once ours hangs */
	CHECK("close-hung started", fault_consumed());
	close(fd); /* mappings still exist: they keep the pages, not the file state */
	gemm_teardown(-1, &g);

	/* the device recovers: another file gets correct results */
	fd2 = open_dev();
	CHECK("after close-in-flight setup", !gemm_setup(fd2, &g, 2, 2));
	CHECK("after close-in-flight runs", !gemm_run_ok(fd2, &g));
	gemm_teardown(fd2, &g);
	close(fd2);
}

/* Pinned memory is bounded: a job whose BOs exceed half the RAM is refused. */
static void test_pin_budget(int fd)
{
	struct qaccel_query_limits l;
	struct qaccel_query q = { QACCEL_QUERY_LIMITS, sizeof(l), (uintptr_t)&l };
	struct gemm_job g;
	struct bo big[6];
	uint32_t handles[9], job, status;
	struct qaccel_submit s;
	int i, n = 0;

	CHECK("pin budget query", !xioctl(fd, QACCEL_IOCTL_QUERY, &q));
	CHECK("pin budget setup", !gemm_setup(fd, &g, 0, 0));
	for (i = 0; i < 6; i++)
		n += !bo_new(fd, l.max_bo_size, &big[i]);
	CHECK("pin budget BOs", n == 6);
	memcpy(handles, g.handles, sizeof(g.handles));
	for (i = 0; i < 6; i++)
		handles[3 + i] = big[i].handle;
	s = (struct qaccel_submit){ .bo_handles = (uintptr_t)handles,
				    .desc_handle = g.desc.handle, .desc_count = 1, .bo_count = 9 };
	/* 6 x max_bo_size (64 MiB in the test guest) > half of its 512 MiB */
	CHECK("pin budget exceeded", xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) == -ENOMEM);
	/* one max-size BO is pinned, mapped and released for real */
	s.bo_count = 4;
	CHECK("job with a max-size BO", !xioctl(fd, QACCEL_IOCTL_SUBMIT, &s) &&
	      !wait_job(fd, s.job_id, 30000000000ll, &status) && !status);
	CHECK("budget released", !gemm_run_ok(fd, &g));
	for (i = 0; i < 6; i++)
		bo_del(fd, &big[i]);
	gemm_teardown(fd, &g);
	(void)job;
}

/* Jobs never waited for are bounded per file. */
static void test_job_limit(int fd)
{
	struct gemm_job g;
	uint32_t job;
	int i, err = 0;

	CHECK("job limit setup", !gemm_setup(fd, &g, 0, 0));
	for (i = 0; i < 300 && !err; i++)
		err = submit(fd, &g, 1, &job);
	CHECK("unwaited jobs are bounded", err == -EBUSY && i > 200);
	gemm_teardown(fd, &g);
}

int main(int argc, char **argv)
{
	int opt, fd;

	while ((opt = getopt(argc, argv, "d:f:q")) != -1) {
		if (opt == 'd')
			dev_path = optarg;
		else if (opt == 'f')
			dbg_dir = optarg;
		else if (opt == 'q')
			quick = 1;
		else
			return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open_dev();
	test_query(fd);
	test_bo(fd);
	test_submit(fd);
	test_wait(fd);
	test_faults(fd);
	close(fd);
	test_processes(quick ? 2 : 4, quick ? 5 : 25);
	test_close_in_flight();
	if (!quick) {
		fd = open_dev();
		test_job_limit(fd);
		close(fd);
		fd = open_dev();
		test_pin_budget(fd);
		close(fd);
	}
	printf("ABUSE cases=%d passed=%d failed=%d calls=%ld\n", n_cases, n_cases - n_failed,
	       n_failed, n_calls);
	return n_failed ? 1 : 0;
}
