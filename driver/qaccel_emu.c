// SPDX-License-Identifier: GPL-2.0-only
/*
 * Software-emulated qaccel core, for testing without hardware.
 *
 * It sits below the register interface: a register file in memory with the
 * ap_ctrl_hs semantics of the real core (ap_start self-clearing, ap_done
 * clear-on-read, ISR toggle-on-write). ap_start runs the descriptor list on
 * the CPU with the runtime's freestanding executor (runtime/exec, compiled
 * into this module) and then raises the "interrupt" through the driver's
 * real handlers, so submit, completion, timeout and reset are the code paths
 * a real core takes.
 *
 * The emulation has no bus of its own. Its device address space is a set
 * of windows, one per job: map_job vmap()s the job's descriptor copy and
 * BOs into one kernel range and names it by MEM_BASE = id << 40; the core
 * looks the window up by MEM_BASE at ap_start, like an IOMMU context.
 *
 * debugfs qaccel/qaccelN/fault: "hang", "slow" or "corrupt" (status)
 * applies to the next ap_start; "none" clears it.
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "qaccel_device.h"
#include "qa_exec.h"

#define EMU_WINDOW_SHIFT 40
#define EMU_MAX_DEVICES 8
#define EMU_SCRATCH_A (1u << 20) /* int16 elements: >= QA_EXEC_SCRATCH_A_MIN */
#define EMU_SCRATCH_B (1u << 20)
#define EMU_SCRATCH_ACC (1u << 16)
#define EMU_NREGS (QA_REG_SPAN / 4)

enum emu_fault { EMU_FAULT_NONE, EMU_FAULT_HANG, EMU_FAULT_SLOW, EMU_FAULT_CORRUPT };
static const char *const emu_fault_names[] = { "none", "hang", "slow", "corrupt" };

struct emu_window {
	void *base;
	u64 size;
};

struct qaccel_emu {
	struct qaccel_device qdev;
	struct platform_device *pdev;
	spinlock_t lock;             /* registers, busy, fault */
	u32 regs[EMU_NREGS];
	bool busy;
	bool abort;
	enum emu_fault fault;
	u32 slow_ms;
	u32 resets;
	u32 runs;
	struct work_struct run_work;
	struct workqueue_struct *wq;
	struct qa_exec_scratch scratch;
	struct xarray windows;       /* id -> struct emu_window */
	u32 next_window;
};

static struct qaccel_emu *emu_devices[EMU_MAX_DEVICES];
static unsigned int emu_count;

static struct qaccel_emu *to_emu(struct qaccel_device *qdev)
{
	return container_of(qdev, struct qaccel_emu, qdev);
}

static u32 emu_read(struct qaccel_device *qdev, u32 reg)
{
	struct qaccel_emu *emu = to_emu(qdev);
	unsigned long flags;
	u32 v;

	if (reg >= QA_REG_SPAN || reg & 3)
		return 0;
	spin_lock_irqsave(&emu->lock, flags);
	v = emu->regs[reg / 4];
	if (reg == QA_REG_CTRL)
		emu->regs[reg / 4] &= ~QACCEL_CTRL_DONE; /* clear on read */
	spin_unlock_irqrestore(&emu->lock, flags);
	return v;
}

static void emu_write(struct qaccel_device *qdev, u32 reg, u32 val)
{
	struct qaccel_emu *emu = to_emu(qdev);
	unsigned long flags;

	if (reg >= QA_REG_SPAN || reg & 3)
		return;
	spin_lock_irqsave(&emu->lock, flags);
	switch (reg) {
	case QA_REG_CTRL:
		if ((val & QACCEL_CTRL_START) && !emu->busy) {
			emu->busy = true;
			emu->regs[QA_REG_CTRL / 4] &= ~(QACCEL_CTRL_IDLE | QACCEL_CTRL_DONE |
							QACCEL_CTRL_READY);
			queue_work(emu->wq, &emu->run_work);
		}
		break;
	case QA_REG_ISR:
		emu->regs[reg / 4] ^= val & (QA_IRQ_DONE | QA_IRQ_READY);
		break;
	case QA_REG_GIE:
	case QA_REG_IER:
	case QA_REG_DESC_ADDR_LO:
	case QA_REG_DESC_ADDR_HI:
	case QA_REG_DESC_COUNT:
	case QA_REG_MEM_BASE_LO:
	case QA_REG_MEM_BASE_HI:
		emu->regs[reg / 4] = val;
		break;
	default:
		break; /* read-only */
	}
	spin_unlock_irqrestore(&emu->lock, flags);
}

static u32 emu_reg(struct qaccel_emu *emu, u32 reg)
{
	return emu->regs[reg / 4];
}

/* Raise the interrupt line: the driver's hard handler, then its thread. */
static void emu_raise_irq(struct qaccel_emu *emu)
{
	unsigned long flags;
	irqreturn_t r;

	local_irq_save(flags);
	r = qaccel_irq(-1, &emu->qdev);
	local_irq_restore(flags);
	if (r == IRQ_WAKE_THREAD)
		qaccel_irq_thread(-1, &emu->qdev);
}

static void emu_run(struct work_struct *w)
{
	struct qaccel_emu *emu = container_of(w, struct qaccel_emu, run_work);
	struct qa_exec_result res = { 0 };
	struct qa_exec_mem mem = { NULL, 0 };
	struct emu_window *win;
	enum emu_fault fault;
	u64 desc, base;
	u32 count, i;
	bool irq;

	spin_lock_irq(&emu->lock);
	desc = emu_reg(emu, QA_REG_DESC_ADDR_LO) | (u64)emu_reg(emu, QA_REG_DESC_ADDR_HI) << 32;
	base = emu_reg(emu, QA_REG_MEM_BASE_LO) | (u64)emu_reg(emu, QA_REG_MEM_BASE_HI) << 32;
	count = emu_reg(emu, QA_REG_DESC_COUNT);
	fault = emu->fault;
	emu->fault = EMU_FAULT_NONE;
	emu->runs++;
	spin_unlock_irq(&emu->lock);

	if (fault == EMU_FAULT_HANG)
		return; /* never finishes: only a reset brings the core back */
	if (fault == EMU_FAULT_SLOW) {
		/* Slow but advancing: the cycle counter moves while it works. */
		for (i = 0; i < emu->slow_ms / 10; i++) {
			msleep(10);
			if (READ_ONCE(emu->abort))
				return;
			spin_lock_irq(&emu->lock);
			emu->regs[QA_REG_CYCLES_LO / 4] += 1000;
			spin_unlock_irq(&emu->lock);
		}
	}

	win = (base & ((1ULL << EMU_WINDOW_SHIFT) - 1)) ? NULL :
	      xa_load(&emu->windows, base >> EMU_WINDOW_SHIFT);
	if (win) {
		mem.base = win->base;
		mem.size = win->size;
		qa_exec_run(&mem, &emu->scratch, desc, count, &res);
	} else {
		res.status = QA_STATUS_MAKE(QA_ERR_BAD_ADDRESS, 0);
	}
	if (READ_ONCE(emu->abort))
		return;

	spin_lock_irq(&emu->lock);
	emu->regs[QA_REG_STATUS / 4] = fault == EMU_FAULT_CORRUPT ? 0xdead0bad : res.status;
	emu->regs[QA_REG_MACS_LO / 4] = lower_32_bits(res.macs);
	emu->regs[QA_REG_MACS_HI / 4] = upper_32_bits(res.macs);
	emu->regs[QA_REG_CYCLES_LO / 4] += 1;
	emu->regs[QA_REG_CTRL / 4] |= QACCEL_CTRL_DONE | QACCEL_CTRL_IDLE | QACCEL_CTRL_READY;
	emu->busy = false;
	irq = (emu_reg(emu, QA_REG_GIE) & QACCEL_GIE_ENABLE) &&
	      (emu_reg(emu, QA_REG_IER) & QACCEL_IRQ_DONE) && emu->qdev.irq >= 0;
	if (irq)
		emu->regs[QA_REG_ISR / 4] |= QA_IRQ_DONE;
	spin_unlock_irq(&emu->lock);
	if (irq)
		emu_raise_irq(emu);
}

static void emu_reset(struct qaccel_device *qdev)
{
	struct qaccel_emu *emu = to_emu(qdev);

	WRITE_ONCE(emu->abort, true);
	cancel_work_sync(&emu->run_work);
	spin_lock_irq(&emu->lock);
	emu->regs[QA_REG_CTRL / 4] = QACCEL_CTRL_IDLE;
	emu->regs[QA_REG_ISR / 4] = 0;
	emu->regs[QA_REG_STATUS / 4] = 0;
	emu->busy = false;
	emu->abort = false;
	emu->resets++;
	spin_unlock_irq(&emu->lock);
}

/* DMA-map (cache maintenance as for a real core), then open a window on the pages. */
static int emu_map_job(struct qaccel_device *qdev, struct qaccel_job *job)
{
	struct qaccel_emu *emu = to_emu(qdev);
	struct emu_window *win;
	struct page **pages;
	unsigned long n, total = job->desc_npages;
	u32 i, id;
	int ret;

	ret = qaccel_job_map_sg(qdev, job);
	if (ret)
		return ret;
	for (i = 0; i < job->nbos; i++)
		total += job->bos[i].bo->npages;
	pages = kvmalloc_array(total, sizeof(*pages), GFP_KERNEL);
	win = kzalloc(sizeof(*win), GFP_KERNEL);
	if (!pages || !win) {
		ret = -ENOMEM;
		goto err_free;
	}
	memcpy(pages, job->desc_pages, job->desc_npages * sizeof(*pages));
	job->desc_addr = 0;
	n = job->desc_npages;
	for (i = 0; i < job->nbos; i++) {
		struct qaccel_job_bo *jb = &job->bos[i];

		memcpy(pages + n, jb->pages, jb->bo->npages * sizeof(*pages));
		jb->dev_addr = (u64)n << PAGE_SHIFT;
		n += jb->bo->npages;
	}
	win->base = vmap(pages, total, VM_MAP, PAGE_KERNEL);
	if (!win->base) {
		ret = -ENOMEM;
		goto err_free;
	}
	win->size = (u64)total << PAGE_SHIFT;
	ret = xa_alloc_cyclic(&emu->windows, &id, win, XA_LIMIT(1, 0xFFFFFF), &emu->next_window,
			      GFP_KERNEL);
	if (ret < 0)
		goto err_vunmap;
	job->window = win->base;
	job->window_size = win->size;
	job->window_id = id;
	job->mem_base = (u64)id << EMU_WINDOW_SHIFT;
	kvfree(pages);
	return 0;

err_vunmap:
	vunmap(win->base);
err_free:
	kfree(win);
	kvfree(pages);
	qaccel_job_unmap_sg(qdev, job);
	return ret;
}

static void emu_unmap_job(struct qaccel_device *qdev, struct qaccel_job *job)
{
	struct qaccel_emu *emu = to_emu(qdev);
	struct emu_window *win;

	win = xa_erase(&emu->windows, job->window_id);
	if (win) {
		vunmap(win->base);
		kfree(win);
	}
	job->window = NULL;
	qaccel_job_unmap_sg(qdev, job);
}

static const struct qaccel_hw_ops emu_ops = {
	.read = emu_read,
	.write = emu_write,
	.map_job = emu_map_job,
	.unmap_job = emu_unmap_job,
	.reset = emu_reset,
};

static ssize_t emu_fault_write(struct file *f, const char __user *buf, size_t len, loff_t *pos)
{
	struct qaccel_emu *emu = f->private_data;
	char kbuf[16];
	size_t n = min(len, sizeof(kbuf) - 1);
	int i;

	if (copy_from_user(kbuf, buf, n))
		return -EFAULT;
	kbuf[n] = '\0';
	for (i = 0; i < ARRAY_SIZE(emu_fault_names); i++) {
		if (sysfs_streq(kbuf, emu_fault_names[i])) {
			spin_lock_irq(&emu->lock);
			emu->fault = i;
			spin_unlock_irq(&emu->lock);
			return len;
		}
	}
	return -EINVAL;
}

static ssize_t emu_fault_read(struct file *f, char __user *buf, size_t len, loff_t *pos)
{
	struct qaccel_emu *emu = f->private_data;
	char kbuf[16];
	int n;

	n = scnprintf(kbuf, sizeof(kbuf), "%s\n", emu_fault_names[READ_ONCE(emu->fault)]);
	return simple_read_from_buffer(buf, len, pos, kbuf, n);
}

static const struct file_operations emu_fault_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = emu_fault_read,
	.write = emu_fault_write,
	.llseek = default_llseek,
};

static void emu_free(struct qaccel_emu *emu)
{
	vfree(emu->scratch.a);
	vfree(emu->scratch.b);
	vfree(emu->scratch.acc);
	if (emu->wq)
		destroy_workqueue(emu->wq);
	xa_destroy(&emu->windows);
	kfree(emu);
}

static void emu_release(struct qaccel_device *qdev)
{
	emu_free(to_emu(qdev));
}

static int emu_create_one(unsigned int index)
{
	struct platform_device_info info = {
		.name = "qaccel-emu",
		.id = index,
		.dma_mask = DMA_BIT_MASK(64),
	};
	struct qaccel_emu *emu;
	int ret;

	emu = kzalloc(sizeof(*emu), GFP_KERNEL);
	if (!emu)
		return -ENOMEM;
	spin_lock_init(&emu->lock);
	xa_init_flags(&emu->windows, XA_FLAGS_ALLOC1);
	INIT_WORK(&emu->run_work, emu_run);
	emu->slow_ms = 500;
	emu->regs[QA_REG_CTRL / 4] = QACCEL_CTRL_IDLE;
	emu->regs[QA_REG_VERSION / 4] = QA_CORE_VERSION;
	/* No MAC array to model: rows = cols = 0, like the CPU reference. */
	emu->regs[QA_REG_CONFIG / 4] = FIELD_PREP(QACCEL_CONFIG_FEATURES,
						  QA_FEAT_DEPTHWISE | QA_FEAT_INT32_OUT);
	emu->scratch.a_len = EMU_SCRATCH_A;
	emu->scratch.b_len = EMU_SCRATCH_B;
	emu->scratch.acc_len = EMU_SCRATCH_ACC;
	emu->scratch.a = vmalloc(array_size(EMU_SCRATCH_A, sizeof(s16)));
	emu->scratch.b = vmalloc(array_size(EMU_SCRATCH_B, sizeof(s16)));
	emu->scratch.acc = vmalloc(array_size(EMU_SCRATCH_ACC, sizeof(s32)));
	emu->wq = alloc_ordered_workqueue("qaccel-emu%u", 0, index);
	if (!emu->scratch.a || !emu->scratch.b || !emu->scratch.acc || !emu->wq) {
		ret = -ENOMEM;
		goto err_free;
	}

	emu->pdev = platform_device_register_full(&info);
	if (IS_ERR(emu->pdev)) {
		ret = PTR_ERR(emu->pdev);
		goto err_free;
	}
	emu->qdev.dev = &emu->pdev->dev;
	emu->qdev.ops = &emu_ops;
	emu->qdev.emulated = true;
	emu->qdev.sg = true; /* the window makes any page list flat */
	emu->qdev.irq = qaccel_emu_use_irq ? 0 : -1;
	emu->qdev.release = emu_release;
	ret = qaccel_device_register(&emu->qdev);
	if (ret)
		goto err_pdev;
	debugfs_create_file("fault", 0600, emu->qdev.debugfs, emu, &emu_fault_fops);
	debugfs_create_u32("slow_ms", 0600, emu->qdev.debugfs, &emu->slow_ms);
	debugfs_create_u32("resets", 0400, emu->qdev.debugfs, &emu->resets);
	debugfs_create_u32("runs", 0400, emu->qdev.debugfs, &emu->runs);
	emu_devices[index] = emu;
	return 0;

err_pdev:
	platform_device_unregister(emu->pdev);
err_free:
	emu_free(emu);
	return ret;
}

int qaccel_emu_create(unsigned int count)
{
	unsigned int i;
	int ret;

	if (count > EMU_MAX_DEVICES)
		return -EINVAL;
	for (i = 0; i < count; i++) {
		ret = emu_create_one(i);
		if (ret) {
			qaccel_emu_destroy();
			return ret;
		}
		emu_count = i + 1;
	}
	return 0;
}

void qaccel_emu_destroy(void)
{
	unsigned int i;

	for (i = emu_count; i-- > 0;) {
		struct qaccel_emu *emu = emu_devices[i];
		struct platform_device *pdev = emu->pdev;

		emu_devices[i] = NULL;
		/* The module cannot go while files are open: this is the last reference. */
		qaccel_device_unregister(&emu->qdev);
		platform_device_unregister(pdev);
	}
	emu_count = 0;
}
