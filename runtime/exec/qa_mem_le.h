/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/* Little-endian loads/stores on byte pointers: alignment- and endian-safe. */
#ifndef QA_MEM_LE_H
#define QA_MEM_LE_H

#include "qaccel_hw.h"

#ifndef UINT64_MAX
#define UINT64_MAX (~(uint64_t)0)
#endif

static inline uint16_t qa_ld_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t qa_ld_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t qa_ld_le64(const uint8_t *p)
{
	return (uint64_t)qa_ld_le32(p) | ((uint64_t)qa_ld_le32(p + 4) << 32);
}

static inline void qa_st_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void qa_st_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void qa_st_le64(uint8_t *p, uint64_t v)
{
	qa_st_le32(p, (uint32_t)v);
	qa_st_le32(p + 4, (uint32_t)(v >> 32));
}

#endif /* QA_MEM_LE_H */
