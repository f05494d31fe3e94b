// SPDX-License-Identifier: GPL-2.0-only
/*
 * qaccel: driver for the qaccel quantized-NN accelerator core.
 *
 * One misc device /dev/qaccelN per core instance with an accel-style UAPI
 * (uapi/qaccel_ioctl.h): Debian 12's 6.1 kernel predates the DRM accel
 * framework. Cores are found through the device tree or PCI (qaccel_mmio.c)
 * or created in software by the emulate= parameter (qaccel_emu.c).
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "qaccel_device.h"

static unsigned int emulate;
module_param(emulate, uint, 0444);
MODULE_PARM_DESC(emulate, "number of software-emulated cores to create (default 0)");

unsigned int qaccel_job_timeout_ms = 2000;
module_param_named(job_timeout_ms, qaccel_job_timeout_ms, uint, 0644);
MODULE_PARM_DESC(job_timeout_ms, "reset a core that makes no progress for this long");

static unsigned int max_bo_mb = 256;
module_param(max_bo_mb, uint, 0444);
MODULE_PARM_DESC(max_bo_mb, "largest buffer object in MiB (default 256)");
unsigned long qaccel_max_bo_size;

bool qaccel_emu_use_irq = true;
module_param_named(emu_irq, qaccel_emu_use_irq, bool, 0444);
MODULE_PARM_DESC(emu_irq, "emulated cores complete by interrupt (default) or by polling");

static DEFINE_IDA(qaccel_ida);
static struct dentry *qaccel_debugfs_root;

static int qaccel_open(struct inode *inode, struct file *filp)
{
	struct miscdevice *misc = filp->private_data;
	struct qaccel_device *qdev = container_of(misc, struct qaccel_device, misc);
	struct qaccel_file *qf;

	qf = kzalloc(sizeof(*qf), GFP_KERNEL);
	if (!qf)
		return -ENOMEM;
	kref_get(&qdev->ref);
	qf->qdev = qdev;
	mutex_init(&qf->lock);
	xa_init_flags(&qf->bos, XA_FLAGS_ALLOC1);
	xa_init_flags(&qf->jobs, XA_FLAGS_ALLOC1);
	filp->private_data = qf;
	return 0;
}

static int qaccel_release(struct inode *inode, struct file *filp)
{
	struct qaccel_file *qf = filp->private_data;
	struct qaccel_device *qdev = qf->qdev;

	qaccel_file_release_jobs(qf);
	qaccel_file_release_bos(qf);
	xa_destroy(&qf->jobs);
	xa_destroy(&qf->bos);
	mutex_destroy(&qf->lock);
	kfree(qf);
	qaccel_device_put(qdev);
	return 0;
}

static int qaccel_ioctl_query(struct qaccel_file *qf, void __user *arg)
{
	struct qaccel_device *qdev = qf->qdev;
	union {
		struct qaccel_query_version version;
		struct qaccel_query_array array;
		struct qaccel_query_features features;
		struct qaccel_query_limits limits;
	} u;
	struct qaccel_query q;
	u32 size;

	if (copy_from_user(&q, arg, sizeof(q)))
		return -EFAULT;
	memset(&u, 0, sizeof(u));
	switch (q.type) {
	case QACCEL_QUERY_VERSION:
		size = sizeof(u.version);
		u.version.uapi_major = QACCEL_UAPI_VERSION_MAJOR;
		u.version.uapi_minor = QACCEL_UAPI_VERSION_MINOR;
		u.version.core_version = qdev->core_version;
		break;
	case QACCEL_QUERY_ARRAY:
		size = sizeof(u.array);
		u.array.rows = FIELD_GET(QACCEL_CONFIG_ROWS, qdev->config);
		u.array.cols = FIELD_GET(QACCEL_CONFIG_COLS, qdev->config);
		u.array.config = qdev->config;
		break;
	case QACCEL_QUERY_FEATURES:
		size = sizeof(u.features);
		u.features.features = (qdev->emulated ? QACCEL_FEATURE_EMULATED : 0) |
				      (qdev->sg ? QACCEL_FEATURE_SG : 0) |
				      (qdev->irq >= 0 ? QACCEL_FEATURE_IRQ : 0) |
				      (qdev->emulated ? 0 : QACCEL_FEATURE_CYCLES);
		u.features.core_features = FIELD_GET(QACCEL_CONFIG_FEATURES, qdev->config);
		break;
	case QACCEL_QUERY_LIMITS:
		size = sizeof(u.limits);
		u.limits.max_bo_size = qaccel_max_bo_size;
		u.limits.max_job_bos = QACCEL_MAX_JOB_BOS;
		u.limits.max_job_descs = QACCEL_MAX_JOB_DESCS;
		break;
	default:
		return -EINVAL;
	}
	if (!q.size) {
		q.size = size;
		return copy_to_user(arg, &q, sizeof(q)) ? -EFAULT : 0;
	}
	if (q.size != size)
		return -EINVAL;
	if (copy_to_user(u64_to_user_ptr(q.ptr), &u, size))
		return -EFAULT;
	return 0;
}

static long qaccel_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct qaccel_file *qf = filp->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case QACCEL_IOCTL_QUERY:
		return qaccel_ioctl_query(qf, uarg);
	case QACCEL_IOCTL_BO_CREATE:
		return qaccel_ioctl_bo_create(qf, uarg);
	case QACCEL_IOCTL_BO_DESTROY:
		return qaccel_ioctl_bo_destroy(qf, uarg);
	case QACCEL_IOCTL_SUBMIT:
		return qaccel_ioctl_submit(qf, uarg);
	case QACCEL_IOCTL_WAIT:
		return qaccel_ioctl_wait(qf, uarg);
	}
	/* A known number with another size or direction is a malformed call. */
	if (_IOC_TYPE(cmd) == QACCEL_IOCTL_BASE && _IOC_NR(cmd) <= _IOC_NR(QACCEL_IOCTL_WAIT))
		return -EINVAL;
	return -ENOTTY;
}

static const struct file_operations qaccel_fops = {
	.owner = THIS_MODULE,
	.open = qaccel_open,
	.release = qaccel_release,
	.unlocked_ioctl = qaccel_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = qaccel_mmap,
	.llseek = noop_llseek,
};

static void qaccel_device_release(struct kref *ref)
{
	struct qaccel_device *qdev = container_of(ref, struct qaccel_device, ref);

	qdev->release(qdev);
}

void qaccel_device_put(struct qaccel_device *qdev)
{
	kref_put(&qdev->ref, qaccel_device_release);
}

/* The caller set dev, ops, irq, emulated, sg, release; the core is idle. */
int qaccel_device_register(struct qaccel_device *qdev)
{
	int ret;

	kref_init(&qdev->ref);
	qdev->id = ida_alloc(&qaccel_ida, GFP_KERNEL);
	if (qdev->id < 0)
		return qdev->id;
	snprintf(qdev->name, sizeof(qdev->name), "qaccel%d", qdev->id);
	qdev->core_version = qaccel_read(qdev, QA_REG_VERSION);
	qdev->config = qaccel_read(qdev, QA_REG_CONFIG);
	if ((qdev->core_version >> 16) != (QA_CORE_VERSION >> 16)) {
		dev_err(qdev->dev, "unsupported core version %#x\n", qdev->core_version);
		ret = -ENODEV;
		goto err_ida;
	}
	ret = qaccel_sched_init(qdev);
	if (ret)
		goto err_ida;
	qdev->misc.minor = MISC_DYNAMIC_MINOR;
	qdev->misc.name = qdev->name;
	qdev->misc.fops = &qaccel_fops;
	qdev->misc.parent = qdev->dev;
	qdev->misc.mode = 0660;
	ret = misc_register(&qdev->misc);
	if (ret)
		goto err_sched;
	qdev->debugfs = debugfs_create_dir(qdev->name, qaccel_debugfs_root);
	dev_info(qdev->dev, "%s: core %#x, config %#x, %s%s\n", qdev->name, qdev->core_version,
		 qdev->config, qdev->emulated ? "emulated" : "mmio",
		 qdev->irq >= 0 ? ", irq" : ", polling");
	return 0;

err_sched:
	qaccel_sched_fini(qdev);
err_ida:
	ida_free(&qaccel_ida, qdev->id);
	return ret;
}

/* Stop new opens and jobs; the last file to close drops the last reference. */
void qaccel_device_unregister(struct qaccel_device *qdev)
{
	misc_deregister(&qdev->misc);
	qaccel_sched_fini(qdev);
	debugfs_remove_recursive(qdev->debugfs);
	ida_free(&qaccel_ida, qdev->id);
	qaccel_device_put(qdev);
}

struct dentry *qaccel_debugfs_dir(void)
{
	return qaccel_debugfs_root;
}

static int __init qaccel_init(void)
{
	int ret;

	if (!max_bo_mb || max_bo_mb > (1U << 20)) {
		pr_err("qaccel: max_bo_mb must be in [1, %u]\n", 1U << 20);
		return -EINVAL;
	}
	qaccel_max_bo_size = (unsigned long)max_bo_mb << 20;
	qaccel_debugfs_root = debugfs_create_dir("qaccel", NULL);
	ret = qaccel_mmio_register();
	if (ret)
		goto err_debugfs;
	ret = qaccel_emu_create(emulate);
	if (ret)
		goto err_mmio;
	return 0;

err_mmio:
	qaccel_mmio_unregister();
err_debugfs:
	debugfs_remove_recursive(qaccel_debugfs_root);
	return ret;
}

static void __exit qaccel_exit(void)
{
	qaccel_emu_destroy();
	qaccel_mmio_unregister();
	debugfs_remove_recursive(qaccel_debugfs_root);
	ida_destroy(&qaccel_ida);
}

module_init(qaccel_init);
module_exit(qaccel_exit);

MODULE_DESCRIPTION("qaccel quantized NN accelerator");
MODULE_LICENSE("GPL");
