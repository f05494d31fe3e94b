// SPDX-License-Identifier: GPL-2.0-only
/*
 * Buffer objects: shmem-backed, so they are pageable while no job uses
 * them; a job pins their pages for as long as it runs. Userspace maps them
 * with mmap(MAP_SHARED) at the offset BO_CREATE returned.
 */
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "qaccel_device.h"

/* mmap offset = handle << 40: a BO is at most max_bo_size (< 1 TiB) long. */
#define QACCEL_MMAP_SHIFT 40
#define QACCEL_MMAP_PGSHIFT (QACCEL_MMAP_SHIFT - PAGE_SHIFT)
#define QACCEL_MAX_HANDLE 0xFFFFFFu

static void qaccel_bo_release(struct kref *ref)
{
	struct qaccel_bo *bo = container_of(ref, struct qaccel_bo, ref);

	fput(bo->shmem);
	kfree(bo);
}

void qaccel_bo_put(struct qaccel_bo *bo)
{
	kref_put(&bo->ref, qaccel_bo_release);
}

/* Returns a referenced BO or NULL. */
struct qaccel_bo *qaccel_bo_lookup(struct qaccel_file *qf, u32 handle)
{
	struct qaccel_bo *bo;

	mutex_lock(&qf->lock);
	bo = xa_load(&qf->bos, handle);
	if (bo)
		kref_get(&bo->ref);
	mutex_unlock(&qf->lock);
	return bo;
}

int qaccel_ioctl_bo_create(struct qaccel_file *qf, void __user *arg)
{
	struct qaccel_bo_create args;
	struct qaccel_bo *bo;
	u32 handle;
	int ret;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~QACCEL_BO_FLAGS_KNOWN || args.handle || args.mmap_offset)
		return -EINVAL;
	if (!args.size)
		return -EINVAL;
	if (args.size > qaccel_max_bo_size)
		return -E2BIG;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return -ENOMEM;
	kref_init(&bo->ref);
	bo->size = args.size;
	bo->npages = PAGE_ALIGN(args.size) >> PAGE_SHIFT;
	bo->shmem = shmem_file_setup("qaccel-bo", (loff_t)bo->npages << PAGE_SHIFT,
				     VM_NORESERVE);
	if (IS_ERR(bo->shmem)) {
		ret = PTR_ERR(bo->shmem);
		goto err_free;
	}

	mutex_lock(&qf->lock);
	ret = xa_alloc(&qf->bos, &handle, bo, XA_LIMIT(1, QACCEL_MAX_HANDLE), GFP_KERNEL);
	if (!ret)
		bo->handle = handle;
	mutex_unlock(&qf->lock);
	if (ret)
		goto err_fput;

	args.handle = handle;
	args.mmap_offset = (u64)handle << QACCEL_MMAP_SHIFT;
	if (copy_to_user(arg, &args, sizeof(args))) {
		ret = -EFAULT;
		goto err_erase;
	}
	return 0;

err_erase:
	mutex_lock(&qf->lock);
	xa_erase(&qf->bos, handle);
	mutex_unlock(&qf->lock);
err_fput:
	fput(bo->shmem);
err_free:
	kfree(bo);
	return ret;
}

int qaccel_ioctl_bo_destroy(struct qaccel_file *qf, void __user *arg)
{
	struct qaccel_bo_destroy args;
	struct qaccel_bo *bo;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.pad)
		return -EINVAL;
	mutex_lock(&qf->lock);
	bo = args.handle ? xa_erase(&qf->bos, args.handle) : NULL;
	mutex_unlock(&qf->lock);
	if (!bo)
		return -ENOENT;
	/* Jobs still running hold their own references. */
	qaccel_bo_put(bo);
	return 0;
}

void qaccel_file_release_bos(struct qaccel_file *qf)
{
	struct qaccel_bo *bo;
	unsigned long idx;

	xa_for_each(&qf->bos, idx, bo) {
		xa_erase(&qf->bos, idx);
		qaccel_bo_put(bo);
	}
}

int qaccel_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct qaccel_file *qf = filp->private_data;
	unsigned long handle = vma->vm_pgoff >> QACCEL_MMAP_PGSHIFT;
	unsigned long first = vma->vm_pgoff & ((1UL << QACCEL_MMAP_PGSHIFT) - 1);
	struct qaccel_bo *bo;
	int ret;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL; /* a private COW copy would never reach the device */
	if (handle > QACCEL_MAX_HANDLE)
		return -EINVAL;
	bo = qaccel_bo_lookup(qf, handle);
	if (!bo)
		return -EINVAL;
	if (first >= bo->npages || vma_pages(vma) > bo->npages - first) {
		ret = -EINVAL;
		goto out;
	}
	/* From here on the mapping belongs to the shmem file, not to us. */
	vma->vm_pgoff = first;
	vma_set_file(vma, bo->shmem);
	ret = call_mmap(bo->shmem, vma);
out:
	qaccel_bo_put(bo);
	return ret;
}

int qaccel_bo_pin(struct qaccel_bo *bo, struct page ***out)
{
	struct address_space *mapping = bo->shmem->f_mapping;
	struct page **pages;
	unsigned long i;
	int ret;

	pages = kvmalloc_array(bo->npages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < bo->npages; i++) {
		struct page *p = shmem_read_mapping_page(mapping, i);

		if (IS_ERR(p)) {
			ret = PTR_ERR(p);
			goto err_put;
		}
		pages[i] = p;
	}
	*out = pages;
	return 0;

err_put:
	while (i--)
		put_page(pages[i]);
	kvfree(pages);
	return ret;
}

void qaccel_bo_unpin(struct qaccel_bo *bo, struct page **pages, bool dirty)
{
	unsigned long i;

	for (i = 0; i < bo->npages; i++) {
		if (dirty)
			set_page_dirty_lock(pages[i]);
		mark_page_accessed(pages[i]);
		put_page(pages[i]);
	}
	kvfree(pages);
}

/* Copy out of pinned pages; the caller checked off + len <= bo->size. */
int qaccel_bo_read(struct qaccel_bo *bo, struct page **pages, u64 off, void *dst, size_t len)
{
	u8 *d = dst;

	if (off > bo->size || len > bo->size - off)
		return -EOVERFLOW;
	while (len) {
		size_t pg_off = offset_in_page(off);
		size_t n = min_t(size_t, len, PAGE_SIZE - pg_off);

		memcpy_from_page(d, pages[off >> PAGE_SHIFT], pg_off, n);
		d += n;
		off += n;
		len -= n;
	}
	return 0;
}
