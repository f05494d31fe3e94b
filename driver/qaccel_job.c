// SPDX-License-Identifier: GPL-2.0-only
/*
 * Jobs: SUBMIT copies the descriptors out of the caller's BO into kernel
 * memory, checks every operand extent against its BO, maps the BOs for the
 * device and patches the device addresses into the private copy; the
 * scheduler runs one job at a time with the ap_ctrl_hs handshake and
 * completes it from the threaded IRQ (or the polling fallback). A watchdog
 * resets a core that stops making progress.
 */
#include <linux/dma-mapping.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "qaccel_device.h"
#include "qa_exec.h"
#include "qa_mem_le.h"

#define QACCEL_MAX_FILE_JOBS 256
#define QACCEL_MIN_TIMEOUT_MS 50

static unsigned int qaccel_timeout_ms(void)
{
	return max(READ_ONCE(qaccel_job_timeout_ms), QACCEL_MIN_TIMEOUT_MS);
}

static unsigned int qaccel_tick_ms(void)
{
	return max(qaccel_timeout_ms() / 4, 10U);
}
#define QACCEL_POLL_JIFFIES 1

static void qaccel_job_release(struct kref *ref)
{
	struct qaccel_job *job = container_of(ref, struct qaccel_job, ref);
	u32 i;

	for (i = 0; i < job->nbos; i++)
		if (job->bos[i].bo)
			qaccel_bo_put(job->bos[i].bo);
	if (job->desc)
		free_pages_exact(job->desc, job->desc_size);
	kfree(job->desc_pages);
	kfree(job->bos);
	kfree(job);
}

static void qaccel_job_put(struct qaccel_job *job)
{
	kref_put(&job->ref, qaccel_job_release);
}

/* DMA-map every BO of the job and its descriptor copy (cache maintenance included). */
int qaccel_job_map_sg(struct qaccel_device *qdev, struct qaccel_job *job)
{
	u32 i;
	int ret;

	ret = sg_alloc_table_from_pages(&job->desc_sgt, job->desc_pages, job->desc_npages, 0,
					job->desc_size, GFP_KERNEL);
	if (ret)
		return ret;
	ret = dma_map_sgtable(qdev->dev, &job->desc_sgt, DMA_TO_DEVICE, 0);
	if (ret)
		goto err_desc_free;
	job->desc_mapped = true;
	job->desc_addr = sg_dma_address(job->desc_sgt.sgl);

	for (i = 0; i < job->nbos; i++) {
		struct qaccel_job_bo *jb = &job->bos[i];

		ret = sg_alloc_table_from_pages(&jb->sgt, jb->pages, jb->bo->npages, 0,
						jb->bo->npages << PAGE_SHIFT, GFP_KERNEL);
		if (ret)
			goto err_unmap;
		ret = dma_map_sgtable(qdev->dev, &jb->sgt, DMA_BIDIRECTIONAL, 0);
		if (ret) {
			sg_free_table(&jb->sgt);
			goto err_unmap;
		}
		jb->mapped = true;
		/* The core addresses one flat range per operand. */
		if (jb->sgt.nents != 1 && !qdev->sg) {
			ret = -EINVAL;
			goto err_unmap;
		}
		jb->dev_addr = sg_dma_address(jb->sgt.sgl);
	}
	if (job->desc_sgt.nents != 1 && !qdev->sg) {
		ret = -EINVAL;
		goto err_unmap;
	}
	return 0;

err_unmap:
	qaccel_job_unmap_sg(qdev, job);
	return ret;
err_desc_free:
	sg_free_table(&job->desc_sgt);
	return ret;
}

void qaccel_job_unmap_sg(struct qaccel_device *qdev, struct qaccel_job *job)
{
	u32 i;

	for (i = 0; i < job->nbos; i++) {
		struct qaccel_job_bo *jb = &job->bos[i];

		if (!jb->mapped)
			continue;
		dma_unmap_sgtable(qdev->dev, &jb->sgt, DMA_BIDIRECTIONAL, 0);
		sg_free_table(&jb->sgt);
		jb->mapped = false;
	}
	if (job->desc_mapped) {
		dma_unmap_sgtable(qdev->dev, &job->desc_sgt, DMA_TO_DEVICE, 0);
		sg_free_table(&job->desc_sgt);
		job->desc_mapped = false;
	}
}

/* Everything the job holds on the device side: mappings, pins, BO references. */
static void qaccel_job_teardown(struct qaccel_device *qdev, struct qaccel_job *job, bool mapped)
{
	u32 i;

	if (mapped)
		qdev->ops->unmap_job(qdev, job);
	for (i = 0; i < job->nbos; i++) {
		struct qaccel_job_bo *jb = &job->bos[i];

		if (jb->pages) {
			qaccel_bo_unpin(jb->bo, jb->pages, true);
			jb->pages = NULL;
		}
	}
	atomic_long_sub(job->pinned, &qdev->pinned_pages);
	job->pinned = 0;
}

/*
 * Check one descriptor (in kernel memory) against the job's BOs.
 * Operand addresses are QACCEL_ADDR(bo index, offset).
 */
static int qaccel_check_desc(struct qaccel_job *job, const u8 *raw)
{
	struct qa_desc_extents e;
	struct qa_desc d;
	unsigned int i;

	qa_desc_decode(raw, &d);
	if (qa_desc_check_fields(&d) || qa_desc_extents(&d, &e))
		return -EINVAL;
	for (i = 0; i < QA_OPND_COUNT; i++) {
		u64 addr = qa_desc_operand_addr(&d, i);
		u64 idx = QACCEL_ADDR_INDEX(addr);
		u64 off = QACCEL_ADDR_OFFSET(addr);
		struct qaccel_bo *bo;

		if (!e.len[i]) {
			if (addr)
				return -EINVAL; /* unused operands must be zero */
			continue;
		}
		if (idx >= job->nbos)
			return -EINVAL;
		bo = job->bos[idx].bo;
		if (off > bo->size || e.len[i] > bo->size - off)
			return -EOVERFLOW;
		if (off & (qa_desc_operand_align(&d, i) - 1))
			return -EINVAL;
	}
	return 0;
}

/* Replace each used operand's (BO index, offset) by its device address. */
static void qaccel_patch_desc(struct qaccel_job *job)
{
	struct qa_desc_extents e;
	struct qa_desc d;
	unsigned int i;
	u32 n;

	for (n = 0; n < job->ndesc; n++) {
		u8 *raw = (u8 *)job->desc + (size_t)n * QA_DESC_SIZE;

		qa_desc_decode(raw, &d);
		if (qa_desc_extents(&d, &e))
			continue; /* cannot happen: checked at submit */
		for (i = 0; i < QA_OPND_COUNT; i++) {
			u8 *f = raw + QA_DESC_ADDR_OFFSET(i);
			u64 a = qa_ld_le64(f);

			if (!e.len[i])
				continue;
			qa_st_le64(f, job->bos[QACCEL_ADDR_INDEX(a)].dev_addr +
				   QACCEL_ADDR_OFFSET(a));
		}
	}
}

/* ---- scheduler ------------------------------------------------------------ */

static void qaccel_start_locked(struct qaccel_device *qdev)
{
	struct qaccel_job *job;
	unsigned long tick;

	lockdep_assert_held(&qdev->lock);
	if (qdev->running || list_empty(&qdev->queue))
		return;
	job = list_first_entry(&qdev->queue, struct qaccel_job, node);
	list_del_init(&job->node);
	qdev->running = job;

	qaccel_write(qdev, QA_REG_DESC_ADDR_LO, lower_32_bits(job->desc_addr));
	qaccel_write(qdev, QA_REG_DESC_ADDR_HI, upper_32_bits(job->desc_addr));
	qaccel_write(qdev, QA_REG_DESC_COUNT, job->ndesc);
	qaccel_write(qdev, QA_REG_MEM_BASE_LO, lower_32_bits(job->mem_base));
	qaccel_write(qdev, QA_REG_MEM_BASE_HI, upper_32_bits(job->mem_base));
	if (qdev->irq >= 0) {
		qaccel_write(qdev, QA_REG_IER, QACCEL_IRQ_DONE);
		qaccel_write(qdev, QA_REG_GIE, QACCEL_GIE_ENABLE);
	} else {
		qaccel_write(qdev, QA_REG_GIE, 0);
	}
	qdev->progress = qaccel_read(qdev, QA_REG_CYCLES_LO);
	qdev->stalled_ticks = 0;
	qaccel_write(qdev, QA_REG_CTRL, QACCEL_CTRL_START);

	tick = msecs_to_jiffies(qaccel_tick_ms());
	mod_delayed_work(qdev->wq, &qdev->watchdog, tick);
	if (qdev->irq < 0)
		mod_delayed_work(qdev->wq, &qdev->poll_work, QACCEL_POLL_JIFFIES);
}

/* Called with the job detached from the core: release it and tell waiters. */
static void qaccel_job_finish(struct qaccel_device *qdev, struct qaccel_job *job)
{
	qaccel_job_teardown(qdev, job, true);
	complete_all(&job->done);
	if (atomic_dec_and_test(&qdev->jobs_in_flight))
		wake_up_all(&qdev->idle_wq);
	qaccel_job_put(job); /* the scheduler's reference */
}

/* The core raised ap_done: collect the result and start the next job. */
static void qaccel_complete(struct qaccel_device *qdev)
{
	struct qaccel_job *job;

	spin_lock(&qdev->lock);
	job = qdev->running;
	if (!job) {
		spin_unlock(&qdev->lock);
		return;
	}
	job->status = qaccel_read(qdev, QA_REG_STATUS);
	job->macs = qaccel_read(qdev, QA_REG_MACS_LO) |
		    (u64)qaccel_read(qdev, QA_REG_MACS_HI) << 32;
	job->cycles = qaccel_read(qdev, QA_REG_CYCLES_LO) |
		      (u64)qaccel_read(qdev, QA_REG_CYCLES_HI) << 32;
	qdev->running = NULL;
	qaccel_start_locked(qdev);
	spin_unlock(&qdev->lock);
	qaccel_job_finish(qdev, job);
}

irqreturn_t qaccel_irq(int irq, void *data)
{
	struct qaccel_device *qdev = data;
	u32 isr = qaccel_read(qdev, QA_REG_ISR);

	if (isr == ~0u || !(isr & QACCEL_IRQ_DONE)) /* not ours, or the device is gone */
		return IRQ_NONE;
	qaccel_write(qdev, QA_REG_ISR, isr); /* toggle-on-write: clears what was read */
	return IRQ_WAKE_THREAD;
}

irqreturn_t qaccel_irq_thread(int irq, void *data)
{
	struct qaccel_device *qdev = data;

	qaccel_read(qdev, QA_REG_CTRL); /* clear-on-read ap_done */
	qaccel_complete(qdev);
	return IRQ_HANDLED;
}

static void qaccel_poll_work(struct work_struct *w)
{
	struct qaccel_device *qdev = container_of(to_delayed_work(w), struct qaccel_device,
						  poll_work);
	bool busy;
	u32 ctrl;

	spin_lock(&qdev->lock);
	busy = qdev->running;
	ctrl = busy ? qaccel_read(qdev, QA_REG_CTRL) : 0;
	spin_unlock(&qdev->lock);
	if (!busy)
		return;
	if (ctrl & QACCEL_CTRL_DONE)
		qaccel_complete(qdev);
	else
		mod_delayed_work(qdev->wq, &qdev->poll_work, QACCEL_POLL_JIFFIES);
}

/*
 * A job is killed only when the core's cycle counter stops moving for a
 * whole timeout: a long job that advances is left alone.
 */
static void qaccel_watchdog(struct work_struct *w)
{
	struct qaccel_device *qdev = container_of(to_delayed_work(w), struct qaccel_device,
						  watchdog);
	unsigned int tick_ms = qaccel_tick_ms(), timeout_ms = qaccel_timeout_ms();
	struct qaccel_job *job;
	u32 cycles;

	spin_lock(&qdev->lock);
	job = qdev->running;
	if (!job) {
		spin_unlock(&qdev->lock);
		return;
	}
	cycles = qaccel_read(qdev, QA_REG_CYCLES_LO);
	if (cycles != qdev->progress) {
		qdev->progress = cycles;
		qdev->stalled_ticks = 0;
	} else {
		qdev->stalled_ticks++;
	}
	if (qdev->stalled_ticks * tick_ms < timeout_ms) {
		mod_delayed_work(qdev->wq, &qdev->watchdog, msecs_to_jiffies(tick_ms));
		spin_unlock(&qdev->lock);
		return;
	}
	qdev->running = NULL;
	job->status = QACCEL_STATUS_TIMEOUT;
	spin_unlock(&qdev->lock);

	dev_warn(qdev->dev, "job %u: no progress for %u ms, resetting the core\n", job->id,
		 timeout_ms);
	qdev->ops->reset(qdev);

	spin_lock(&qdev->lock);
	qaccel_start_locked(qdev);
	spin_unlock(&qdev->lock);
	qaccel_job_finish(qdev, job);
}

int qaccel_sched_init(struct qaccel_device *qdev)
{
	spin_lock_init(&qdev->lock);
	INIT_LIST_HEAD(&qdev->queue);
	init_waitqueue_head(&qdev->idle_wq);
	atomic_set(&qdev->jobs_in_flight, 0);
	atomic_long_set(&qdev->pinned_pages, 0);
	INIT_DELAYED_WORK(&qdev->watchdog, qaccel_watchdog);
	INIT_DELAYED_WORK(&qdev->poll_work, qaccel_poll_work);
	qdev->wq = alloc_ordered_workqueue("%s", 0, qdev->name);
	return qdev->wq ? 0 : -ENOMEM;
}

/* No new jobs; cancel the queued ones and let the running one finish (or time out). */
void qaccel_sched_fini(struct qaccel_device *qdev)
{
	struct qaccel_job *job;

	spin_lock(&qdev->lock);
	qdev->dead = true;
	/* One at a time: a closing file may be cancelling its own jobs too. */
	while (!list_empty(&qdev->queue)) {
		job = list_first_entry(&qdev->queue, struct qaccel_job, node);
		list_del_init(&job->node);
		spin_unlock(&qdev->lock);
		job->status = QACCEL_STATUS_CANCELED;
		qaccel_job_finish(qdev, job);
		spin_lock(&qdev->lock);
	}
	spin_unlock(&qdev->lock);
	wait_event(qdev->idle_wq, !atomic_read(&qdev->jobs_in_flight));
	cancel_delayed_work_sync(&qdev->watchdog);
	cancel_delayed_work_sync(&qdev->poll_work);
	destroy_workqueue(qdev->wq);
}

/* ---- ioctls --------------------------------------------------------------- */

static int qaccel_job_lookup_bos(struct qaccel_file *qf, struct qaccel_job *job,
				 const struct qaccel_submit *args)
{
	u32 __user *uh = u64_to_user_ptr(args->bo_handles);
	u32 i, j, h;

	for (i = 0; i < job->nbos; i++) {
		if (get_user(h, uh + i))
			return -EFAULT;
		job->bos[i].bo = qaccel_bo_lookup(qf, h);
		if (!job->bos[i].bo)
			return -ENOENT;
		for (j = 0; j < i; j++)
			if (job->bos[j].bo == job->bos[i].bo)
				return -EINVAL;
	}
	return 0;
}

/* Copy the descriptors out of the caller's BO into pages only the kernel sees. */
static int qaccel_job_copy_desc(struct qaccel_file *qf, struct qaccel_job *job,
				const struct qaccel_submit *args)
{
	struct qaccel_bo *dbo;
	struct page **pages;
	unsigned long i;
	size_t len = (size_t)job->ndesc * QA_DESC_SIZE;
	int ret;

	dbo = qaccel_bo_lookup(qf, args->desc_handle);
	if (!dbo)
		return -ENOENT;
	if (args->desc_offset > dbo->size || len > dbo->size - args->desc_offset) {
		ret = -EOVERFLOW;
		goto out_put;
	}
	job->desc_size = PAGE_ALIGN(len);
	job->desc_npages = job->desc_size >> PAGE_SHIFT;
	job->desc = alloc_pages_exact(job->desc_size, GFP_KERNEL | __GFP_ZERO);
	job->desc_pages = kcalloc(job->desc_npages, sizeof(*job->desc_pages), GFP_KERNEL);
	if (!job->desc || !job->desc_pages) {
		ret = -ENOMEM;
		goto out_put;
	}
	for (i = 0; i < job->desc_npages; i++)
		job->desc_pages[i] = virt_to_page((u8 *)job->desc + (i << PAGE_SHIFT));

	ret = qaccel_bo_pin(dbo, &pages);
	if (ret)
		goto out_put;
	ret = qaccel_bo_read(dbo, pages, args->desc_offset, job->desc, len);
	qaccel_bo_unpin(dbo, pages, false);
out_put:
	qaccel_bo_put(dbo);
	return ret;
}

int qaccel_ioctl_submit(struct qaccel_file *qf, void __user *arg)
{
	struct qaccel_device *qdev = qf->qdev;
	struct qaccel_submit args;
	struct qaccel_job *job;
	bool mapped = false;
	u32 i, id;
	int ret;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~QACCEL_SUBMIT_FLAGS_KNOWN || args.pad || args.job_id)
		return -EINVAL;
	if (!args.desc_count || args.desc_count > QACCEL_MAX_JOB_DESCS ||
	    !args.bo_count || args.bo_count > QACCEL_MAX_JOB_BOS)
		return -EINVAL;
	if (args.desc_offset % QA_DESC_ALIGN)
		return -EINVAL;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	kref_init(&job->ref);
	INIT_LIST_HEAD(&job->node);
	init_completion(&job->done);
	job->qdev = qdev;
	job->ndesc = args.desc_count;
	job->nbos = args.bo_count;
	job->bos = kcalloc(job->nbos, sizeof(*job->bos), GFP_KERNEL);
	if (!job->bos) {
		ret = -ENOMEM;
		goto err_put;
	}
	ret = qaccel_job_lookup_bos(qf, job, &args);
	if (ret)
		goto err_put;
	ret = qaccel_job_copy_desc(qf, job, &args);
	if (ret)
		goto err_put;
	for (i = 0; i < job->ndesc; i++) {
		ret = qaccel_check_desc(job, (u8 *)job->desc + (size_t)i * QA_DESC_SIZE);
		if (ret)
			goto err_put;
	}

	/* Pinned memory is bounded per device: half of RAM at most. */
	for (i = 0; i < job->nbos; i++)
		job->pinned += job->bos[i].bo->npages;
	if (atomic_long_add_return(job->pinned, &qdev->pinned_pages) > totalram_pages() / 2) {
		atomic_long_sub(job->pinned, &qdev->pinned_pages);
		job->pinned = 0;
		ret = -ENOMEM;
		goto err_put;
	}
	for (i = 0; i < job->nbos; i++) {
		ret = qaccel_bo_pin(job->bos[i].bo, &job->bos[i].pages);
		if (ret)
			goto err_teardown;
	}
	ret = qdev->ops->map_job(qdev, job);
	if (ret)
		goto err_teardown;
	mapped = true;
	qaccel_patch_desc(job);
	if (job->desc_mapped)
		dma_sync_sgtable_for_device(qdev->dev, &job->desc_sgt, DMA_TO_DEVICE);

	mutex_lock(&qf->lock);
	if (qf->njobs >= QACCEL_MAX_FILE_JOBS) {
		mutex_unlock(&qf->lock);
		ret = -EBUSY;
		goto err_teardown;
	}
	ret = xa_alloc_cyclic(&qf->jobs, &id, job, XA_LIMIT(1, INT_MAX), &qf->next_job,
			      GFP_KERNEL);
	if (ret < 0) {
		mutex_unlock(&qf->lock);
		goto err_teardown;
	}
	job->id = id;
	qf->njobs++;
	kref_get(&job->ref); /* the file's reference */

	spin_lock(&qdev->lock);
	if (qdev->dead) {
		spin_unlock(&qdev->lock);
		xa_erase(&qf->jobs, id);
		qf->njobs--;
		mutex_unlock(&qf->lock);
		qaccel_job_put(job);
		ret = -ENODEV;
		goto err_teardown;
	}
	atomic_inc(&qdev->jobs_in_flight);
	list_add_tail(&job->node, &qdev->queue); /* takes over the initial reference */
	qaccel_start_locked(qdev);
	spin_unlock(&qdev->lock);
	mutex_unlock(&qf->lock);

	args.job_id = id;
	if (copy_to_user(arg, &args, sizeof(args)))
		return -EFAULT; /* the job runs anyway; close() retires it */
	return 0;

err_teardown:
	qaccel_job_teardown(qdev, job, mapped);
err_put:
	qaccel_job_put(job);
	return ret;
}

int qaccel_ioctl_wait(struct qaccel_file *qf, void __user *arg)
{
	struct qaccel_wait args;
	struct qaccel_job *job;
	s64 now, left;
	long ret;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.pad || args.status || args.macs || args.cycles)
		return -EINVAL;
	mutex_lock(&qf->lock);
	job = args.job_id ? xa_load(&qf->jobs, args.job_id) : NULL;
	if (job)
		kref_get(&job->ref);
	mutex_unlock(&qf->lock);
	if (!job)
		return -ENOENT;

	/* Jiffies may run ahead of CLOCK_MONOTONIC (e.g. under emulation): re-check. */
	for (;;) {
		u64 j;

		if (completion_done(&job->done)) {
			ret = 1;
			break;
		}
		now = ktime_get_ns();
		if (args.timeout_ns <= now) {
			ret = 0;
			break;
		}
		left = args.timeout_ns - now;
		j = nsecs_to_jiffies64(left) + 1;
		ret = wait_for_completion_interruptible_timeout(&job->done,
				j >= MAX_SCHEDULE_TIMEOUT ? MAX_SCHEDULE_TIMEOUT - 1 : (long)j);
		if (ret)
			break; /* done, or -ERESTARTSYS: the deadline is absolute */
	}
	if (ret <= 0) {
		qaccel_job_put(job);
		return ret ? (int)ret : -ETIME;
	}

	args.status = job->status;
	args.macs = job->macs;
	args.cycles = job->cycles;
	mutex_lock(&qf->lock);
	if (xa_cmpxchg(&qf->jobs, job->id, job, NULL, GFP_KERNEL) == job) {
		qf->njobs--;
		qaccel_job_put(job); /* the file's reference */
	}
	mutex_unlock(&qf->lock);
	qaccel_job_put(job);
	if (copy_to_user(arg, &args, sizeof(args)))
		return -EFAULT;
	return 0;
}

/*
 * close(): queued jobs of this file are cancelled, a running one finishes
 * (or is reset by the watchdog) on its own; it holds its BOs until then.
 */
void qaccel_file_release_jobs(struct qaccel_file *qf)
{
	struct qaccel_device *qdev = qf->qdev;
	struct qaccel_job *job;
	unsigned long idx;

	xa_for_each(&qf->jobs, idx, job) {
		bool cancel = false;

		spin_lock(&qdev->lock);
		if (!list_empty(&job->node)) {
			list_del_init(&job->node);
			cancel = true;
		}
		spin_unlock(&qdev->lock);
		if (cancel) {
			job->status = QACCEL_STATUS_CANCELED;
			qaccel_job_finish(qdev, job);
		}
		xa_erase(&qf->jobs, idx);
		qaccel_job_put(job);
	}
	qf->njobs = 0;
}
