/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Register access. The offsets and bit fields are the hardware ABI in
 * include/qaccel_hw.h (shared with the HLS kernel, the RTL core and the
 * runtime); this file only adds the kernel-side field helpers.
 */
#ifndef QACCEL_REGS_H
#define QACCEL_REGS_H

#include <linux/bits.h>

#include "qaccel_hw.h"

#define QACCEL_CTRL_START       BIT(0)
#define QACCEL_CTRL_DONE        BIT(1)
#define QACCEL_CTRL_IDLE        BIT(2)
#define QACCEL_CTRL_READY       BIT(3)
#define QACCEL_GIE_ENABLE       BIT(0)
#define QACCEL_IRQ_DONE         BIT(0)
#define QACCEL_STATUS_CODE      GENMASK(15, 0)
#define QACCEL_STATUS_INDEX     GENMASK(31, 16)
#define QACCEL_CONFIG_ROWS      GENMASK(7, 0)
#define QACCEL_CONFIG_COLS      GENMASK(15, 8)
#define QACCEL_CONFIG_FEATURES  GENMASK(31, 16)

static_assert(QACCEL_CTRL_START == QA_CTRL_AP_START);
static_assert(QACCEL_CTRL_DONE == QA_CTRL_AP_DONE);
static_assert(QACCEL_CTRL_IDLE == QA_CTRL_AP_IDLE);
static_assert(QACCEL_IRQ_DONE == QA_IRQ_DONE);

#endif /* QACCEL_REGS_H */
