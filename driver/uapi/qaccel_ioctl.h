/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * qaccel kernel driver UAPI (/dev/qaccelN).
 *
 * Rules (Documentation/process/botching-up-ioctls.rst): every struct is
 * fixed-size and 64-bit aligned, pointers travel as __u64, every pad field
 * and every unknown flag bit must be zero (-EINVAL otherwise), ioctl numbers
 * are append-only.
 *
 * Userspace never sees or chooses a device address. A descriptor (struct
 * qa_desc in qaccel_hw.h) submitted through this interface names each
 * operand as QACCEL_ADDR(bo_index, offset): bo_index selects an entry of the
 * SUBMIT's BO handle list, offset is a byte offset into that BO. The driver
 * copies the descriptors into memory userspace cannot reach, checks every
 * operand extent against its BO (-EOVERFLOW) and only then writes the
 * device addresses into its private copy.
 */
#ifndef _UAPI_QACCEL_IOCTL_H
#define _UAPI_QACCEL_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#if defined(__cplusplus)
extern "C" {
#endif

#define QACCEL_UAPI_VERSION_MAJOR 1
#define QACCEL_UAPI_VERSION_MINOR 0

/* Operand address in a submitted descriptor: BO index [63:40], byte offset [39:0]. */
#define QACCEL_ADDR_INDEX_SHIFT 40
#define QACCEL_ADDR_OFFSET_MASK ((1ULL << QACCEL_ADDR_INDEX_SHIFT) - 1)
#define QACCEL_ADDR(index, offset) \
	(((__u64)(index) << QACCEL_ADDR_INDEX_SHIFT) | ((__u64)(offset) & QACCEL_ADDR_OFFSET_MASK))
#define QACCEL_ADDR_INDEX(a) ((__u64)(a) >> QACCEL_ADDR_INDEX_SHIFT)
#define QACCEL_ADDR_OFFSET(a) ((__u64)(a) & QACCEL_ADDR_OFFSET_MASK)

/* Limits the driver enforces (reported by QACCEL_QUERY_LIMITS too). */
#define QACCEL_MAX_JOB_BOS 64     /* entries of a SUBMIT's handle list */
#define QACCEL_MAX_JOB_DESCS 4096 /* descriptors in one SUBMIT */

/* ---- QUERY --------------------------------------------------------------- */
enum qaccel_query_type {
	QACCEL_QUERY_VERSION = 0,  /* struct qaccel_query_version */
	QACCEL_QUERY_ARRAY = 1,    /* struct qaccel_query_array */
	QACCEL_QUERY_FEATURES = 2, /* struct qaccel_query_features */
	QACCEL_QUERY_LIMITS = 3,   /* struct qaccel_query_limits */
};

/*
 * size == 0: the driver writes the size of the answer and returns 0.
 * size != the answer's size: -EINVAL (nothing is written).
 */
struct qaccel_query {
	__u32 type;
	__u32 size;
	__u64 ptr;
};

struct qaccel_query_version {
	__u32 uapi_major;
	__u32 uapi_minor;
	__u32 core_version; /* QA_REG_VERSION of the core */
	__u32 pad;
};

struct qaccel_query_array {
	__u32 rows; /* MAC array geometry; 0 for the emulated (CPU) core */
	__u32 cols;
	__u32 config; /* raw QA_REG_CONFIG */
	__u32 pad;
};

#define QACCEL_FEATURE_EMULATED (1ULL << 0) /* the core is the in-kernel emulation */
#define QACCEL_FEATURE_SG       (1ULL << 1) /* BOs may be scattered in device memory */
#define QACCEL_FEATURE_IRQ      (1ULL << 2) /* completion by interrupt (else polling) */
#define QACCEL_FEATURE_CYCLES   (1ULL << 3) /* WAIT reports core cycles */

struct qaccel_query_features {
	__u64 features;      /* QACCEL_FEATURE_* */
	__u32 core_features; /* QA_CONFIG_FEATURES(config): QA_FEAT_* */
	__u32 pad;
};

struct qaccel_query_limits {
	__u64 max_bo_size;
	__u32 max_job_bos;
	__u32 max_job_descs;
};

/* ---- buffer objects ------------------------------------------------------ */
#define QACCEL_BO_FLAGS_KNOWN 0u /* no flags defined yet */

struct qaccel_bo_create {
	__u64 size;        /* in: bytes (> 0, <= max_bo_size) */
	__u32 flags;       /* in: 0 */
	__u32 handle;      /* out: nonzero */
	__u64 mmap_offset; /* out: pass to mmap(MAP_SHARED) on this fd */
};

struct qaccel_bo_destroy {
	__u32 handle;
	__u32 pad;
};

/* ---- jobs ---------------------------------------------------------------- */
#define QACCEL_SUBMIT_FLAGS_KNOWN 0u

struct qaccel_submit {
	__u64 bo_handles;  /* in: pointer to __u32[bo_count] */
	__u64 desc_offset; /* in: byte offset of the first descriptor in desc_handle's BO */
	__u32 desc_handle; /* in: BO holding count 128-byte descriptors */
	__u32 desc_count;  /* in: 1..QACCEL_MAX_JOB_DESCS */
	__u32 bo_count;    /* in: 1..QACCEL_MAX_JOB_BOS */
	__u32 flags;       /* in: 0 */
	__u32 job_id;      /* out: nonzero */
	__u32 pad;
};

/*
 * Wait until job_id completes or CLOCK_MONOTONIC reaches timeout_ns
 * (absolute; -ETIME when passed). On success the job is retired: its id
 * is invalid afterwards. status: 0, or QA_STATUS_MAKE(code, index) from the
 * core, or QACCEL_STATUS_TIMEOUT / QACCEL_STATUS_CANCELED set by the driver.
 */
#define QACCEL_STATUS_TIMEOUT  0xFFFF0001u /* the core hung: it was reset */
#define QACCEL_STATUS_CANCELED 0xFFFF0002u /* the driver shut the core down */

struct qaccel_wait {
	__s64 timeout_ns; /* in: absolute CLOCK_MONOTONIC deadline */
	__u32 job_id;     /* in */
	__u32 status;     /* out */
	__u64 macs;       /* out */
	__u64 cycles;     /* out: 0 unless QACCEL_FEATURE_CYCLES */
	__u64 pad;        /* in: 0 */
};

#define QACCEL_IOCTL_BASE 'Q'
#define QACCEL_IOCTL_QUERY      _IOWR(QACCEL_IOCTL_BASE, 0x00, struct qaccel_query)
#define QACCEL_IOCTL_BO_CREATE  _IOWR(QACCEL_IOCTL_BASE, 0x01, struct qaccel_bo_create)
#define QACCEL_IOCTL_BO_DESTROY _IOW(QACCEL_IOCTL_BASE, 0x02, struct qaccel_bo_destroy)
#define QACCEL_IOCTL_SUBMIT     _IOWR(QACCEL_IOCTL_BASE, 0x03, struct qaccel_submit)
#define QACCEL_IOCTL_WAIT       _IOWR(QACCEL_IOCTL_BASE, 0x04, struct qaccel_wait)

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_QACCEL_IOCTL_H */
