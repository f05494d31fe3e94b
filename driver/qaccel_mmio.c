// SPDX-License-Identifier: GPL-2.0-only
/*
 * Real cores: the AXI4-Lite register file behind a device-tree "reg"
 * (compatible "qaccel,qaccel-1.0" from boards/ overlays) or PCI BAR 0.
 * The core addresses memory through MEM_BASE = 0 plus DMA addresses, one
 * flat range per operand: without an IOMMU that merges a BO's pages, a BO
 * must map to one DMA segment (submit fails with -EINVAL otherwise).
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/version.h>

#include "qaccel_device.h"

#define QACCEL_PCI_VENDOR 0x10ee /* Xilinx: the card's PCIe bridge */
#define QACCEL_PCI_DEVICE 0x5141 /* "QA", set in the board's bridge config */

static u32 mmio_read(struct qaccel_device *qdev, u32 reg)
{
	return readl(qdev->regs + reg);
}

static void mmio_write(struct qaccel_device *qdev, u32 reg, u32 val)
{
	writel(val, qdev->regs + reg);
}

static int mmio_map_job(struct qaccel_device *qdev, struct qaccel_job *job)
{
	job->mem_base = 0;
	return qaccel_job_map_sg(qdev, job);
}

/* ap_ctrl_hs has no reset bit: mask the interrupt and wait for ap_idle. */
static void mmio_reset(struct qaccel_device *qdev)
{
	u32 ctrl;
	int i;

	mmio_write(qdev, QA_REG_GIE, 0);
	mmio_write(qdev, QA_REG_IER, 0);
	for (i = 0; i < 1000; i++) {
		ctrl = mmio_read(qdev, QA_REG_CTRL);
		if (ctrl & QACCEL_CTRL_IDLE)
			break;
		usleep_range(100, 200);
	}
	mmio_write(qdev, QA_REG_ISR, mmio_read(qdev, QA_REG_ISR));
	if (!(ctrl & QACCEL_CTRL_IDLE))
		dev_err(qdev->dev, "core stays busy after reset: needs a bitstream reload\n");
}

const struct qaccel_hw_ops qaccel_mmio_ops = {
	.read = mmio_read,
	.write = mmio_write,
	.map_job = mmio_map_job,
	.unmap_job = qaccel_job_unmap_sg,
	.reset = mmio_reset,
};

static void mmio_release(struct qaccel_device *qdev)
{
	kfree(qdev);
}

static int mmio_probe_common(struct device *dev, void __iomem *regs, int irq,
			     struct qaccel_device **out)
{
	struct qaccel_device *qdev;
	int ret;

	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	qdev = kzalloc(sizeof(*qdev), GFP_KERNEL);
	if (!qdev)
		return -ENOMEM;
	qdev->dev = dev;
	qdev->regs = regs;
	qdev->ops = &qaccel_mmio_ops;
	qdev->irq = -1;
	qdev->release = mmio_release;
	mmio_write(qdev, QA_REG_GIE, 0);
	ret = qaccel_device_register(qdev);
	if (ret) {
		kfree(qdev);
		return ret;
	}
	if (irq >= 0) {
		ret = devm_request_threaded_irq(dev, irq, qaccel_irq, qaccel_irq_thread,
						IRQF_SHARED, qdev->name, qdev);
		if (ret)
			dev_warn(dev, "irq %d unavailable (%d): polling\n", irq, ret);
		else
			qdev->irq = irq; /* takes effect from the next job */
	}
	*out = qdev;
	return 0;
}

static int qaccel_plat_probe(struct platform_device *pdev)
{
	struct qaccel_device *qdev;
	void __iomem *regs;
	int ret;

	regs = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(regs))
		return PTR_ERR(regs);
	ret = mmio_probe_common(&pdev->dev, regs, platform_get_irq_optional(pdev, 0), &qdev);
	if (ret)
		return ret;
	platform_set_drvdata(pdev, qdev);
	return 0;
}

/* The IRQ goes first: a job still running completes through the watchdog. */
static void qaccel_mmio_remove(struct device *dev, struct qaccel_device *qdev)
{
	int irq = qdev->irq;

	mmio_write(qdev, QA_REG_GIE, 0);
	if (irq >= 0) {
		spin_lock(&qdev->lock);
		qdev->irq = -1;
		if (qdev->running) /* finish it by polling */
			mod_delayed_work(qdev->wq, &qdev->poll_work, 0);
		spin_unlock(&qdev->lock);
		devm_free_irq(dev, irq, qdev);
	}
	qaccel_device_unregister(qdev);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
static void qaccel_plat_remove(struct platform_device *pdev)
{
	qaccel_mmio_remove(&pdev->dev, platform_get_drvdata(pdev));
}
#else
static int qaccel_plat_remove(struct platform_device *pdev)
{
	qaccel_mmio_remove(&pdev->dev, platform_get_drvdata(pdev));
	return 0;
}
#endif

static const struct of_device_id qaccel_of_match[] = {
	{ .compatible = "qaccel,qaccel-1.0" },
	{ }
};
MODULE_DEVICE_TABLE(of, qaccel_of_match);

static struct platform_driver qaccel_plat_driver = {
	.probe = qaccel_plat_probe,
	.remove = qaccel_plat_remove,
	.driver = {
		.name = "qaccel",
		.of_match_table = qaccel_of_match,
	},
};

static int qaccel_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct qaccel_device *qdev;
	void __iomem *regs;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	if (pci_resource_len(pdev, 0) < QA_REG_SPAN)
		return -ENODEV;
	regs = pcim_iomap(pdev, 0, 0);
	if (!regs)
		return -ENOMEM;
	pci_set_master(pdev);
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_ALL_TYPES);
	ret = mmio_probe_common(&pdev->dev, regs, ret > 0 ? pci_irq_vector(pdev, 0) : -1,
				&qdev);
	if (ret) {
		pci_free_irq_vectors(pdev);
		return ret;
	}
	pci_set_drvdata(pdev, qdev);
	return 0;
}

static void qaccel_pci_remove(struct pci_dev *pdev)
{
	qaccel_mmio_remove(&pdev->dev, pci_get_drvdata(pdev));
	pci_free_irq_vectors(pdev);
}

static const struct pci_device_id qaccel_pci_ids[] = {
	{ PCI_DEVICE(QACCEL_PCI_VENDOR, QACCEL_PCI_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, qaccel_pci_ids);

static struct pci_driver qaccel_pci_driver = {
	.name = "qaccel",
	.id_table = qaccel_pci_ids,
	.probe = qaccel_pci_probe,
	.remove = qaccel_pci_remove,
};

int qaccel_mmio_register(void)
{
	int ret;

	ret = platform_driver_register(&qaccel_plat_driver);
	if (ret)
		return ret;
	ret = pci_register_driver(&qaccel_pci_driver);
	if (ret)
		platform_driver_unregister(&qaccel_plat_driver);
	return ret;
}

void qaccel_mmio_unregister(void)
{
	pci_unregister_driver(&qaccel_pci_driver);
	platform_driver_unregister(&qaccel_plat_driver);
}
