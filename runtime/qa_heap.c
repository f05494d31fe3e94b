// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qa_heap.h"

int qa_heap_init(struct qa_heap *h, uint64_t size, uint64_t align)
{
	memset(h, 0, sizeof(*h));
	if (!size || !align || (align & (align - 1)) || size % align)
		return -EINVAL;
	h->free = malloc(sizeof(*h->free) * 16);
	if (!h->free)
		return -ENOMEM;
	h->cap = 16;
	h->count = 1;
	h->free[0].start = 0;
	h->free[0].len = size;
	h->size = size;
	h->align = align;
	return 0;
}

void qa_heap_fini(struct qa_heap *h)
{
	free(h->free);
	memset(h, 0, sizeof(*h));
}

static uint64_t round_len(const struct qa_heap *h, uint64_t len)
{
	return (len + h->align - 1) & ~(h->align - 1);
}

int qa_heap_alloc(struct qa_heap *h, uint64_t len, uint64_t *addr)
{
	size_t i;

	if (!len || len > h->size)
		return -ENOMEM;
	len = round_len(h, len);
	for (i = 0; i < h->count; i++) {
		struct qa_extent *e = &h->free[i];

		if (e->len < len)
			continue;
		*addr = e->start;
		e->start += len;
		e->len -= len;
		if (!e->len) {
			memmove(e, e + 1, (h->count - i - 1) * sizeof(*e));
			h->count--;
		}
		return 0;
	}
	return -ENOMEM;
}

void qa_heap_free(struct qa_heap *h, uint64_t addr, uint64_t len)
{
	size_t i = 0;
	struct qa_extent *e;

	len = round_len(h, len);
	while (i < h->count && h->free[i].start < addr)
		i++;
	/* Coalesce with the previous and/or next extent where they touch. */
	if (i > 0 && h->free[i - 1].start + h->free[i - 1].len == addr) {
		e = &h->free[i - 1];
		e->len += len;
		if (i < h->count && e->start + e->len == h->free[i].start) {
			e->len += h->free[i].len;
			memmove(&h->free[i], &h->free[i + 1], (h->count - i - 1) * sizeof(*e));
			h->count--;
		}
		return;
	}
	if (i < h->count && addr + len == h->free[i].start) {
		h->free[i].start = addr;
		h->free[i].len += len;
		return;
	}
	if (h->count == h->cap) {
		struct qa_extent *n = realloc(h->free, sizeof(*n) * h->cap * 2);

		if (!n)
			return; /* the range leaks from this heap; memory stays valid */
		h->free = n;
		h->cap *= 2;
	}
	memmove(&h->free[i + 1], &h->free[i], (h->count - i) * sizeof(*e));
	h->free[i].start = addr;
	h->free[i].len = len;
	h->count++;
}

uint64_t qa_heap_free_bytes(const struct qa_heap *h)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < h->count; i++)
		sum += h->free[i].len;
	return sum;
}
