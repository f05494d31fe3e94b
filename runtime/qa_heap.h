/* SPDX-License-Identifier: MIT */
/* First-fit allocator of a device address range (offsets, never pointers). */
#ifndef QA_HEAP_H
#define QA_HEAP_H

#include <stddef.h>
#include <stdint.h>

struct qa_extent {
	uint64_t start, len;
};

struct qa_heap {
	struct qa_extent *free;   /* sorted by start, coalesced */
	size_t count, cap;
	uint64_t size;
	uint64_t align;
};

int qa_heap_init(struct qa_heap *h, uint64_t size, uint64_t align);
void qa_heap_fini(struct qa_heap *h);
/* 0 and *addr on success; -ENOMEM when no free extent is large enough. */
int qa_heap_alloc(struct qa_heap *h, uint64_t len, uint64_t *addr);
/* Returns a range given by qa_heap_alloc (same len). */
void qa_heap_free(struct qa_heap *h, uint64_t addr, uint64_t len);
/* Bytes free in total. */
uint64_t qa_heap_free_bytes(const struct qa_heap *h);

#endif /* QA_HEAP_H */
