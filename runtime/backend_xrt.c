// SPDX-License-Identifier: MIT
/*
 * `xrt`: the accelerator on a Xilinx card through XRT's C API
 * (xrt_device.h, xrt_bo.h, xrt_kernel.h), Debian's libxrt 2.13.
 *
 * Device names: "xrt", "xrt:N", "xrt:N,kernel=NAME,shared,xclbin=PATH"
 * (xclbin= last: the path may contain commas). Without xclbin= the file is
 * $QACCEL_XCLBIN, else QA_XCLBIN_DEFAULT (the installed one).
 *
 * Memory: every qaccel buffer is its own BO in the bank mem_base is
 * connected to; the descriptor list of a job is its own BO in desc_addr's
 * bank. The XRT C API can only pass a BO for a pointer argument, so
 * mem_base is a small per-device "anchor" BO and descriptor addresses are
 * BO address - anchor address (mod 2^64): offsets from MEM_BASE, as
 * qaccel_hw.h defines them. The kernel is opened exclusively (unless
 * `shared`) so STATUS and the cycle/MAC counters can be read after a run.
 *
 * libxrt throws std::runtime_error -> std::terminate (process abort) on
 * first use when XILINX_XRT is unset or its lib/ lacks the shim library.
 * Linking alone does not abort (checked: a program linking libxrt_coreutil
 * runs fine without XILINX_XRT until it opens a device), so the library is
 * linked normally and open() checks that environment before any XRT call.
 *
 * XRT's no-op shim (XCL_EMULATION_MODE=noop) executes nothing: runs
 * complete at once, BO addresses are all 0xdeadbeef and register access
 * throws. Under noop the backend therefore hands out synthetic, distinct
 * device addresses (so jobs can be built and their plumbing exercised) and
 * reports no counters; output buffers keep whatever was written to them.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#pragma GCC diagnostic push
/* xrt.h (pulled in by xrt_device.h) declares xclProbe(), xclVersion() and
 * xclRemoveAndScanFPGA() without (void): old-style declarations only. */
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <xrt/xrt_bo.h>
#include <xrt/xrt_device.h>
#include <xrt/xrt_kernel.h>
#pragma GCC diagnostic pop

#include "qa_boards.h"
#include "qa_heap.h"
#include "qa_internal.h"
#include "xclbin_fmt.h"

#ifndef QA_XCLBIN_DEFAULT
#define QA_XCLBIN_DEFAULT "/usr/local/share/qaccel/qaccel.xclbin"
#endif

#define XRT_MAX_CARDS 64u
#define ANCHOR_SIZE 4096u
#define NOOP_SPACE ((uint64_t)1 << 40)
#define NOOP_ALIGN 4096u

struct xrt_dev {
	xrtDeviceHandle dev;
	xrtKernelHandle kernel;
	xrtBufferHandle anchor;
	uint64_t anchor_addr;
	unsigned int card;
	int noop, shared;
	int grp_desc, grp_mem;
	struct qa_heap fake;        /* noop: synthetic device addresses */
	struct qa_xclbin_info xi;
	char xclbin[PATH_MAX];
	char mode[16];              /* XCL_EMULATION_MODE or "hw" */
};

struct xrt_buf {
	xrtBufferHandle bo;
};

struct xrt_job {
	xrtBufferHandle desc;
	size_t desc_cap;
	xrtRunHandle run;
};

static void msg(char *dst, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* snprintf whose truncation is intended (messages are capped at 256 bytes). */
static void msg(char *dst, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, len, fmt, ap);
	va_end(ap);
}

static const char *state_name(enum ert_cmd_state s)
{
	switch (s) {
	case ERT_CMD_STATE_NEW: return "new";
	case ERT_CMD_STATE_QUEUED: return "queued";
	case ERT_CMD_STATE_RUNNING: return "running";
	case ERT_CMD_STATE_COMPLETED: return "completed";
	case ERT_CMD_STATE_ERROR: return "error";
	case ERT_CMD_STATE_ABORT: return "aborted";
	case ERT_CMD_STATE_SUBMITTED: return "submitted";
	case ERT_CMD_STATE_TIMEOUT: return "timed out and reset by the scheduler";
	case ERT_CMD_STATE_NORESPONSE: return "no response (card needs a reset)";
	case ERT_CMD_STATE_SKERROR: return "soft kernel error";
	case ERT_CMD_STATE_SKCRASHED: return "soft kernel crashed";
	default: return "unknown state";
	}
}

/*
 * libxrt aborts the process when it cannot load its shim; refuse before
 * the first XRT call instead. Returns 0 or -ENODEV with the reason in why.
 */
static int check_xrt_env(char *mode, size_t mode_len, char *why, size_t why_len)
{
	const char *root = getenv("XILINX_XRT");
	const char *emu = getenv("XCL_EMULATION_MODE");
	const char *shim = "libxrt_core.so.2";
	char path[PATH_MAX];

	snprintf(mode, mode_len, "%s", emu && *emu ? emu : "hw");
	if (!root || !*root) {
		msg(why, why_len,
			 "XILINX_XRT is not set (libxrt would abort): point it at the XRT install, "
			 "or at build/xrt-noop with XCL_EMULATION_MODE=noop");
		return -ENODEV;
	}
	if (emu && !strcmp(emu, "noop"))
		shim = "libxrt_noop.so.2";
	else if (emu && !strcmp(emu, "sw_emu"))
		shim = "libxrt_swemu.so.2";
	else if (emu && !strcmp(emu, "hw_emu"))
		shim = "libxrt_hwemu.so.2";
	if ((size_t)snprintf(path, sizeof(path), "%s/lib/%s", root, shim) >= sizeof(path) ||
	    access(path, R_OK)) {
		msg(why, why_len, "%s/lib/%s is missing (libxrt would abort)", root, shim);
		return -ENODEV;
	}
	return 0;
}

/* "N", "N,opt,...", ",opt" or "": card index, kernel=, shared, xclbin= (last). */
static int parse_args(const char *args, unsigned int *card, char *kernel, size_t klen,
		      int *shared, char *xclbin, size_t xlen, char *why, size_t why_len)
{
	const char *p = args;
	const char *env;

	*card = 0;
	*shared = 0;
	snprintf(kernel, klen, "%s", QA_XCLBIN_KERNEL);
	env = getenv("QACCEL_XCLBIN");
	snprintf(xclbin, xlen, "%s", env && *env ? env : QA_XCLBIN_DEFAULT);
	if (*p >= '0' && *p <= '9') {
		unsigned long v = 0;

		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (unsigned long)(*p - '0');
			if (v >= XRT_MAX_CARDS) {
				msg(why, why_len, "card index out of range (0..%u)",
					 XRT_MAX_CARDS - 1);
				return -ENODEV;
			}
			p++;
		}
		*card = (unsigned int)v;
	}
	while (*p) {
		const char *e;
		size_t n;

		if (p != args) {
			if (*p != ',') {
				msg(why, why_len, "bad xrt device argument near '%s'", p);
				return -EINVAL;
			}
			p++;
		}
		if (!strncmp(p, "xclbin=", 7)) {
			if (!p[7] || strlen(p + 7) >= xlen) {
				msg(why, why_len, "xclbin= needs a path");
				return -EINVAL;
			}
			snprintf(xclbin, xlen, "%s", p + 7);
			return 0;
		}
		e = strchr(p, ',');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n == 6 && !strncmp(p, "shared", 6)) {
			*shared = 1;
		} else if (n > 7 && !strncmp(p, "kernel=", 7) && n - 7 < klen) {
			memcpy(kernel, p + 7, n - 7);
			kernel[n - 7] = '\0';
		} else {
			msg(why, why_len, "unknown xrt option '%.*s'", (int)n, p);
			return -EINVAL;
		}
		p += n;
	}
	return 0;
}

static void xrt_teardown(struct xrt_dev *x)
{
	if (x->anchor)
		xrtBOFree(x->anchor);
	if (x->kernel)
		xrtKernelClose(x->kernel);
	if (x->dev)
		xrtDeviceClose(x->dev);
	if (x->noop)
		qa_heap_fini(&x->fake);
	free(x);
}

static int xrt_open(qaccel_device *dev, const char *args)
{
	struct xrt_dev *x;
	char kernel[64], err[256] = "";
	uint8_t *img = NULL;
	size_t img_len = 0;
	xuid_t uuid;
	int e;

	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	e = parse_args(args, &x->card, kernel, sizeof(kernel), &x->shared, x->xclbin,
		       sizeof(x->xclbin), err, sizeof(err));
	if (!e)
		e = check_xrt_env(x->mode, sizeof(x->mode), err, sizeof(err));
	if (e)
		goto fail_free;
	x->noop = !strcmp(x->mode, "noop");

	/* Validate the file before XRT parses it. */
	e = qa_xclbin_read_file(x->xclbin, QA_XCLBIN_MAX_SIZE, &img, &img_len);
	if (e) {
		msg(err, sizeof(err), "%s: %s", x->xclbin,
			 e == -ENOENT ? "no such file" : strerror(-e));
		goto fail_free;
	}
	e = qa_xclbin_check(img, img_len, kernel, &x->xi, err, sizeof(err));
	if (e) {
		char reason[200];

		msg(reason, sizeof(reason), "%s", err);
		msg(err, sizeof(err), "%s: invalid xclbin: %s", x->xclbin, reason);
		goto fail_img;
	}

	if (x->xi.placeholder && !x->noop) {
		msg(err, sizeof(err),
		    "%s holds a placeholder, not a bitstream: only the no-op shim can load it",
		    x->xclbin);
		e = -EINVAL;
		goto fail_img;
	}

	x->dev = xrtDeviceOpen(x->card);
	if (!x->dev) {
		msg(err, sizeof(err), "no XRT card %u (%s mode)", x->card, x->mode);
		e = -ENODEV;
		goto fail_img;
	}
	if (xrtDeviceLoadXclbin(x->dev, (const struct axlf *)img)) {
		msg(err, sizeof(err), "card %u: XRT could not load %s", x->card, x->xclbin);
		e = -EIO;
		goto fail_img;
	}
	free(img);
	img = NULL;
	if (xrtDeviceGetXclbinUUID(x->dev, uuid) || memcmp(uuid, x->xi.uuid, 16)) {
		msg(err, sizeof(err), "card %u: loaded xclbin UUID does not match %s", x->card,
			 x->xclbin);
		e = -EIO;
		goto fail;
	}
	x->kernel = x->shared ? xrtPLKernelOpen(x->dev, uuid, kernel)
			      : xrtPLKernelOpenExclusive(x->dev, uuid, kernel);
	if (!x->kernel) {
		msg(err, sizeof(err), "card %u: cannot open kernel %s%s", x->card, kernel,
			 x->shared ? "" : " exclusively (in use? try ,shared)");
		e = -EBUSY;
		goto fail;
	}
	if (xrtKernelArgOffset(x->kernel, 0) != QA_REG_DESC_ADDR_LO ||
	    xrtKernelArgOffset(x->kernel, 1) != QA_REG_DESC_COUNT ||
	    xrtKernelArgOffset(x->kernel, 2) != QA_REG_MEM_BASE_LO) {
		msg(err, sizeof(err), "kernel %s: XRT's argument offsets differ from the register map",
			 kernel);
		e = -EINVAL;
		goto fail;
	}
	x->grp_desc = xrtKernelArgGroupId(x->kernel, 0);
	x->grp_mem = xrtKernelArgGroupId(x->kernel, 2);
	if (x->grp_desc < 0 || x->grp_mem < 0) {
		msg(err, sizeof(err), "kernel %s: no memory bank for desc_addr/mem_base", kernel);
		e = -EINVAL;
		goto fail;
	}
	x->anchor = xrtBOAlloc(x->dev, ANCHOR_SIZE, XRT_BO_FLAGS_NONE, (xrtMemoryGroup)x->grp_mem);
	if (!x->anchor) {
		msg(err, sizeof(err), "card %u: cannot allocate a BO in bank %d", x->card,
			 x->grp_mem);
		e = -ENOMEM;
		goto fail;
	}
	x->anchor_addr = xrtBOAddress(x->anchor);
	if (x->noop) {
		e = qa_heap_init(&x->fake, NOOP_SPACE, NOOP_ALIGN);
		if (e) {
			x->noop = 0; /* nothing to fini */
			goto fail;
		}
	}
	dev->priv = x;
	return 0;

fail_img:
	free(img);
fail:
	xrt_teardown(x);
	msg(dev->error, sizeof(dev->error), "%s", err);
	return e;
fail_free:
	free(x);
	msg(dev->error, sizeof(dev->error), "%s", err);
	return e;
}

static void xrt_close(qaccel_device *dev)
{
	xrt_teardown(dev->priv);
}

static int xrt_info(const qaccel_device *dev, struct qaccel_device_info *info)
{
	const struct xrt_dev *x = dev->priv;
	uint32_t version = 0, config = 0;
	char args[512];
	int regs;

	regs = !x->noop && !x->shared &&
	       !xrtKernelReadRegister(x->kernel, QA_REG_VERSION, &version) &&
	       !xrtKernelReadRegister(x->kernel, QA_REG_CONFIG, &config);
	info->core_version = regs ? version : QA_CORE_VERSION;
	info->array_rows = regs ? QA_CONFIG_ROWS(config) : x->xi.array_rows;
	info->array_cols = regs ? QA_CONFIG_COLS(config) : x->xi.array_cols;
	info->features = regs ? QA_CONFIG_FEATURES(config) : 0;
	info->mem_size = 0; /* banks are managed by XRT */
	info->has_cycle_counter = regs;
	qa_xclbin_format_args(&x->xi, args, sizeof(args));
	msg(info->detail, sizeof(info->detail),
		 "card: %u (%s%s)\n"
		 "xclbin: %s\n"
		 "xclbin uuid: %s%s\n"
		 "kernel: %s (compute unit %s at 0x%llx, ap_ctrl_hs, %s)\n"
		 "%s"
		 "array: %ux%u (%s)\n",
		 x->card, x->mode, x->noop ? ": XRT no-op shim, nothing executes" : "", x->xclbin,
		 x->xi.uuid_str, x->xi.placeholder ? " (placeholder bitstream)" : "", x->xi.kernel,
		 x->xi.cu_name, (unsigned long long)x->xi.cu_base,
		 x->shared ? "shared" : "exclusive", args, info->array_rows, info->array_cols,
		 regs ? "CONFIG register" : "xclbin metadata");
	return 0;
}

static int xrt_buf_alloc(qaccel_device *dev, qaccel_buffer *buf)
{
	struct xrt_dev *x = dev->priv;
	struct xrt_buf *b;
	int e;

	/*
	 * Whole pages: XRT 2.13 backs a BO with aligned_alloc(4096, size), which
	 * C11 (and ASan) require to be a multiple of the alignment.
	 */
	if (buf->size > SIZE_MAX - 4095)
		return -ENOMEM;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->bo = xrtBOAlloc(x->dev, ((size_t)buf->size + 4095) & ~(size_t)4095, XRT_BO_FLAGS_NONE,
			   (xrtMemoryGroup)x->grp_mem);
	if (!b->bo) {
		free(b);
		return -ENOMEM;
	}
	if (x->noop) {
		e = qa_heap_alloc(&x->fake, buf->size, &buf->dev_addr);
		if (e) {
			xrtBOFree(b->bo);
			free(b);
			return e;
		}
	} else {
		buf->dev_addr = xrtBOAddress(b->bo) - x->anchor_addr;
	}
	buf->priv = b;
	return 0;
}

static void xrt_buf_free(qaccel_device *dev, qaccel_buffer *buf)
{
	struct xrt_dev *x = dev->priv;
	struct xrt_buf *b = buf->priv;

	if (x->noop)
		qa_heap_free(&x->fake, buf->dev_addr, buf->size);
	xrtBOFree(b->bo);
	free(b);
}

static int xrt_buf_write(qaccel_buffer *buf, uint64_t off, const void *src, size_t len)
{
	struct xrt_buf *b = buf->priv;

	if (xrtBOWrite(b->bo, src, len, (size_t)off) ||
	    xrtBOSync(b->bo, XCL_BO_SYNC_BO_TO_DEVICE, len, (size_t)off))
		return -EIO;
	return 0;
}

static int xrt_buf_read(const qaccel_buffer *buf, uint64_t off, void *dst, size_t len)
{
	struct xrt_buf *b = buf->priv;

	if (xrtBOSync(b->bo, XCL_BO_SYNC_BO_FROM_DEVICE, len, (size_t)off) ||
	    xrtBORead(b->bo, dst, len, (size_t)off))
		return -EIO;
	return 0;
}

static int xrt_submit(qaccel_device *dev, qaccel_job *job)
{
	struct xrt_dev *x = dev->priv;
	struct xrt_job *xj = job->priv;
	size_t len = (size_t)job->count * QA_DESC_SIZE;
	uint8_t *img;

	if (!xj) {
		xj = calloc(1, sizeof(*xj));
		if (!xj)
			return -ENOMEM;
		job->priv = xj;
	}
	if (xj->desc_cap < len) {
		size_t cap = (len + 4095) & ~(size_t)4095;

		if (xj->desc)
			xrtBOFree(xj->desc);
		xj->desc_cap = 0;
		xj->desc = xrtBOAlloc(x->dev, cap, XRT_BO_FLAGS_NONE, (xrtMemoryGroup)x->grp_desc);
		if (!xj->desc)
			return qa_job_fail(job, -ENOMEM, "card %u: cannot allocate the %zu-byte descriptor BO",
					   x->card, cap);
		xj->desc_cap = cap;
	}
	if (!xj->run) {
		xj->run = xrtRunOpen(x->kernel);
		if (!xj->run)
			return qa_job_fail(job, -EIO, "card %u: xrtRunOpen failed", x->card);
	}
	img = malloc(len);
	if (!img)
		return -ENOMEM;
	qa_job_encode(job, img);
	if (xrtBOWrite(xj->desc, img, len, 0) ||
	    xrtBOSync(xj->desc, XCL_BO_SYNC_BO_TO_DEVICE, len, 0)) {
		free(img);
		return qa_job_fail(job, -EIO, "card %u: writing the descriptor BO failed", x->card);
	}
	free(img);
	if (xrtRunSetArg(xj->run, 0, xj->desc) || xrtRunSetArg(xj->run, 1, (uint32_t)job->count) ||
	    xrtRunSetArg(xj->run, 2, x->anchor))
		return qa_job_fail(job, -EIO, "card %u: setting kernel arguments failed", x->card);
	if (xrtRunStart(xj->run))
		return qa_job_fail(job, -EIO, "card %u: xrtRunStart failed", x->card);
	return 0;
}

static int read_reg64(xrtKernelHandle k, uint32_t lo, uint64_t *v)
{
	uint32_t a, b;

	if (xrtKernelReadRegister(k, lo, &a) || xrtKernelReadRegister(k, lo + 4, &b))
		return -EIO;
	*v = ((uint64_t)b << 32) | a;
	return 0;
}

/* After completion: STATUS and the counters (exclusive open on a real card). */
static void collect(struct xrt_dev *x, qaccel_job *job)
{
	uint32_t status;
	uint64_t cycles, macs, stalls;

	job->result = 0;
	if (x->noop || x->shared)
		return; /* noop: nothing ran; shared: XRT forbids register reads */
	if (xrtKernelReadRegister(x->kernel, QA_REG_STATUS, &status) ||
	    read_reg64(x->kernel, QA_REG_CYCLES_LO, &cycles) ||
	    read_reg64(x->kernel, QA_REG_MACS_LO, &macs) ||
	    read_reg64(x->kernel, QA_REG_STALLS_LO, &stalls)) {
		job->result = qa_job_fail(job, -EIO, "card %u: cannot read STATUS/counters", x->card);
		return;
	}
	job->stats.cycles = cycles;
	job->stats.macs = macs;
	job->stats.stall_cycles = stalls;
	job->stats.has_cycles = 1;
	if (QA_STATUS_CODE(status))
		job->result = qa_job_fail(job, qa_hw_error_to_errno((int)QA_STATUS_CODE(status)),
					  "descriptor %u: %s", QA_STATUS_INDEX(status),
					  qa_hw_error_string((int)QA_STATUS_CODE(status)));
}

static int xrt_wait(qaccel_device *dev, qaccel_job *job, int64_t timeout_ns)
{
	struct xrt_dev *x = dev->priv;
	struct xrt_job *xj = job->priv;
	enum ert_cmd_state st;

	if (!xj || !xj->run)
		return qa_job_fail(job, -EINVAL, "job was not started");
	if (timeout_ns < 0 || timeout_ns > ((int64_t)1 << 62)) { /* forever (or ~146 years) */
		st = xrtRunWait(xj->run);
	} else {
		/* Poll the state: XRT's own timed wait is not honoured by every shim. */
		uint64_t deadline = qa_now_ns() + (uint64_t)timeout_ns;
		long sleep_ns = 20000;

		for (;;) {
			st = xrtRunState(xj->run);
			if (st != ERT_CMD_STATE_NEW && st != ERT_CMD_STATE_QUEUED &&
			    st != ERT_CMD_STATE_SUBMITTED && st != ERT_CMD_STATE_RUNNING)
				break;
			if (qa_now_ns() >= deadline)
				return qa_job_fail(job, -ETIMEDOUT,
						   "card %u: job still %s after %lld ns", x->card,
						   state_name(st), (long long)timeout_ns);
			{
				struct timespec ts = { 0, sleep_ns };
				uint64_t left = deadline - qa_now_ns();

				if ((uint64_t)sleep_ns > left)
					ts.tv_nsec = (long)left;
				nanosleep(&ts, NULL);
			}
			if (sleep_ns < 1000000)
				sleep_ns *= 2;
		}
	}
	if (st != ERT_CMD_STATE_COMPLETED) {
		job->result = qa_job_fail(job, -EIO, "card %u: run ended in state %d (%s)", x->card,
					  (int)st, state_name(st));
		return 0;
	}
	collect(x, job);
	return 0;
}

static void xrt_job_free(qaccel_device *dev, qaccel_job *job)
{
	struct xrt_job *xj = job->priv;

	(void)dev;
	if (!xj)
		return;
	if (xj->run)
		xrtRunClose(xj->run);
	if (xj->desc)
		xrtBOFree(xj->desc);
	free(xj);
	job->priv = NULL;
}

const struct qa_backend qa_backend_xrt = {
	.name = "xrt",
	.description = "Xilinx card via XRT (xclbin, BOs, kernel runs); XRT no-op shim here",
	.open = xrt_open,
	.close = xrt_close,
	.info = xrt_info,
	.buf_alloc = xrt_buf_alloc,
	.buf_free = xrt_buf_free,
	.buf_write = xrt_buf_write,
	.buf_read = xrt_buf_read,
	.submit = xrt_submit,
	.wait = xrt_wait,
	.job_free = xrt_job_free,
};
