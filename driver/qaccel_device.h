/* SPDX-License-Identifier: GPL-2.0-only */
/* qaccel driver: the device, the per-file context, buffer objects and jobs. */
#ifndef QACCEL_DEVICE_H
#define QACCEL_DEVICE_H

#include <linux/completion.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "qaccel_regs.h"
#include "qaccel_ioctl.h"

struct qaccel_device;
struct qaccel_job;

/*
 * How the core is reached. The MMIO ops talk to a real core behind a BAR or
 * a DT "reg"; the emulated ops implement the same register file in memory.
 * map_job/unmap_job give every BO of a job a device address (DMA address
 * for MMIO; a window offset for the emulation, which has no bus of its own).
 */
struct qaccel_hw_ops {
	u32 (*read)(struct qaccel_device *qdev, u32 reg);
	void (*write)(struct qaccel_device *qdev, u32 reg, u32 val);
	int (*map_job)(struct qaccel_device *qdev, struct qaccel_job *job);
	void (*unmap_job)(struct qaccel_device *qdev, struct qaccel_job *job);
	/* Bring a hung core back to idle; no interrupt may follow. */
	void (*reset)(struct qaccel_device *qdev);
};

struct qaccel_device {
	struct kref ref;             /* open files hold one */
	void (*release)(struct qaccel_device *qdev);
	struct device *dev;          /* the DMA device */
	const struct qaccel_hw_ops *ops;
	void __iomem *regs;          /* MMIO ops */
	void *emu;                   /* emulated ops */
	struct miscdevice misc;
	char name[24];
	int id;
	int irq;                     /* < 0: completion by polling */
	bool emulated;
	bool sg;                     /* BOs need not be contiguous in device space */
	u32 core_version;
	u32 config;

	/* Job queue: one job on the core at a time. */
	spinlock_t lock;
	struct list_head queue;      /* submitted, not yet started */
	struct qaccel_job *running;
	bool dead;                   /* removing: no new jobs */
	struct work_struct start_work;
	struct delayed_work watchdog;
	struct delayed_work poll_work;
	u32 progress;                /* cycle counter at the last watchdog tick */
	unsigned int stalled_ticks;
	struct workqueue_struct *wq;
	wait_queue_head_t idle_wq;
	atomic_t jobs_in_flight;
	atomic_long_t pinned_pages;  /* by all jobs queued or running */
	struct dentry *debugfs;
};

/* One open file: its BOs and its jobs. */
struct qaccel_file {
	struct qaccel_device *qdev;
	struct mutex lock;           /* BO and job tables */
	struct xarray bos;           /* handle -> struct qaccel_bo */
	struct xarray jobs;          /* id -> struct qaccel_job */
	u32 next_job;
	unsigned int njobs;
};

struct qaccel_bo {
	struct kref ref;
	struct file *shmem;          /* backing store, pageable while idle */
	u64 size;                    /* as requested */
	unsigned long npages;
	u32 handle;
};

/* A BO as one job uses it: pinned pages, DMA mapping, device address. */
struct qaccel_job_bo {
	struct qaccel_bo *bo;
	struct page **pages;         /* pinned while the job runs */
	struct sg_table sgt;
	bool mapped;
	u64 dev_addr;
};

struct qaccel_job {
	struct kref ref;
	struct qaccel_device *qdev;
	struct list_head node;       /* qdev->queue */
	u32 id;
	u32 ndesc;
	u32 nbos;
	struct qaccel_job_bo *bos;
	void *desc;                  /* kernel copy, device addresses patched in */
	size_t desc_size;            /* page multiple */
	struct page **desc_pages;    /* backing of desc (emulation maps them) */
	unsigned long desc_npages;
	struct sg_table desc_sgt;
	bool desc_mapped;
	u64 desc_addr;               /* device address of desc */
	u64 mem_base;                /* MEM_BASE for this job */
	u32 window_id;               /* emulation: which window MEM_BASE names */
	void *window;                /* emulation: everything vmap()ed in one range */
	u64 window_size;
	struct completion done;
	u32 status;
	u64 macs;
	u64 cycles;
	unsigned long pinned;        /* pages counted in qdev->pinned_pages */
};

extern unsigned int qaccel_job_timeout_ms;
extern unsigned long qaccel_max_bo_size;
extern bool qaccel_emu_use_irq;

/* qaccel_drv.c */
int qaccel_device_register(struct qaccel_device *qdev);
void qaccel_device_unregister(struct qaccel_device *qdev);
void qaccel_device_put(struct qaccel_device *qdev);
struct dentry *qaccel_debugfs_dir(void);

/* qaccel_bo.c */
int qaccel_ioctl_bo_create(struct qaccel_file *qf, void __user *arg);
int qaccel_ioctl_bo_destroy(struct qaccel_file *qf, void __user *arg);
int qaccel_mmap(struct file *filp, struct vm_area_struct *vma);
struct qaccel_bo *qaccel_bo_lookup(struct qaccel_file *qf, u32 handle);
void qaccel_bo_put(struct qaccel_bo *bo);
int qaccel_bo_pin(struct qaccel_bo *bo, struct page ***pages);
void qaccel_bo_unpin(struct qaccel_bo *bo, struct page **pages, bool dirty);
int qaccel_bo_read(struct qaccel_bo *bo, struct page **pages, u64 off, void *dst, size_t len);
void qaccel_file_release_bos(struct qaccel_file *qf);

/* qaccel_job.c */
int qaccel_ioctl_submit(struct qaccel_file *qf, void __user *arg);
int qaccel_ioctl_wait(struct qaccel_file *qf, void __user *arg);
void qaccel_file_release_jobs(struct qaccel_file *qf);
int qaccel_sched_init(struct qaccel_device *qdev);
void qaccel_sched_fini(struct qaccel_device *qdev);
irqreturn_t qaccel_irq(int irq, void *data);
irqreturn_t qaccel_irq_thread(int irq, void *data);
int qaccel_job_map_sg(struct qaccel_device *qdev, struct qaccel_job *job);
void qaccel_job_unmap_sg(struct qaccel_device *qdev, struct qaccel_job *job);

/* qaccel_mmio.c */
extern const struct qaccel_hw_ops qaccel_mmio_ops;
int qaccel_mmio_register(void);
void qaccel_mmio_unregister(void);

/* qaccel_emu.c */
int qaccel_emu_create(unsigned int count);
void qaccel_emu_destroy(void);

static inline u32 qaccel_read(struct qaccel_device *qdev, u32 reg)
{
	return qdev->ops->read(qdev, reg);
}

static inline void qaccel_write(struct qaccel_device *qdev, u32 reg, u32 val)
{
	qdev->ops->write(qdev, reg, val);
}

#endif /* QACCEL_DEVICE_H */
