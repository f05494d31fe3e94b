// SPDX-License-Identifier: MIT
/*
 * `hls`: the Vitis HLS kernel (hls/qaccel_top.c) compiled natively -- C
 * simulation -- running descriptor lists out of a memory image. Cycles come
 * from the kernel's cycle model (what csynth reports at II=1).
 *
 * Like the kernel driver in front of the real core, the host side checks
 * every operand address against the memory before ringing the doorbell (the
 * core has no notion of the memory size); the kernel itself validates all
 * descriptor fields and requantization parameters and reports QA_ERR_* in
 * its STATUS output.
 */
#include <stdio.h>
#include <string.h>

#include "qa_memdev.h"
#include "qaccel_hls.h"

static void hls_core(struct qa_memdev *md, uint64_t desc_addr, uint32_t count,
		     struct qa_exec_result *res, struct qaccel_job_stats *stats)
{
	uint32_t version, config, status;
	uint64_t cycles, macs, stalls;

	res->macs = 0;
	/* The address checks the driver does on hardware, exactly as qa_exec_run() does them. */
	res->status = qa_exec_check_list(&md->mem, desc_addr, count);
	if (QA_STATUS_CODE(res->status))
		return;
	qaccel_top(md->mem.base + desc_addr, count, md->mem.base, &version, &config, &cycles,
		   &macs, &stalls, &status);
	res->status = status;
	res->macs = macs;
	stats->cycles = cycles;
	stats->stall_cycles = stalls;
	stats->has_cycles = 1;
}

static int hls_open(qaccel_device *dev, const char *args)
{
	struct qa_memdev *md;
	int err = qa_memdev_open(dev, args, hls_core);

	if (err)
		return err;
	md = dev->priv;
	md->rows = QA_HLS_ROWS;
	md->cols = QA_HLS_COLS;
	md->features = QA_HLS_FEATURES;
	return 0;
}

static int hls_info(const qaccel_device *dev, struct qaccel_device_info *info)
{
	int err = qa_memdev_info(dev, info);

	if (err)
		return err;
	info->has_cycle_counter = 1;
	snprintf(info->detail, sizeof(info->detail),
		 "kernel: qaccel_top (Vitis HLS C, compiled natively = C simulation)\n"
		 "array: %ux%u MACs, output block %ux%u, reduction chunk %u, %u-byte AXI beats\n"
		 "cycles: HLS cycle model (II=1 loop trip counts + pipeline depths), not a measurement\n",
		 QA_HLS_ROWS, QA_HLS_COLS, QA_HLS_TM, QA_HLS_TN, QA_HLS_TK, QA_HLS_BEAT);
	return 0;
}

const struct qa_backend qa_backend_hls = {
	.name = "hls",
	.description = "HLS kernel in C simulation (Vitis HLS source compiled natively)",
	.open = hls_open,
	.close = qa_memdev_close,
	.info = hls_info,
	.buf_alloc = qa_memdev_buf_alloc,
	.buf_free = qa_memdev_buf_free,
	.buf_write = qa_memdev_buf_write,
	.buf_read = qa_memdev_buf_read,
	.submit = qa_memdev_submit,
	.wait = qa_memdev_wait,
	.job_free = qa_memdev_job_free,
};
