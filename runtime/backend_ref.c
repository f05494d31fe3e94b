// SPDX-License-Identifier: MIT
/* `ref`: the portable C executor running descriptors out of a memory image. */
#include <string.h>

#include "qa_memdev.h"

static void ref_core(struct qa_memdev *md, uint64_t desc_addr, uint32_t count,
		     struct qa_exec_result *res, struct qaccel_job_stats *stats)
{
	(void)stats; /* no cycle counter: the CPU is not a model of the array */
	qa_exec_run(&md->mem, &md->scratch, desc_addr, count, res);
}

static int ref_open(qaccel_device *dev, const char *args)
{
	return qa_memdev_open(dev, args, ref_core);
}

const struct qa_backend qa_backend_ref = {
	.name = "ref",
	.description = "portable C reference executor (CPU)",
	.open = ref_open,
	QA_MEMDEV_OPS,
};
