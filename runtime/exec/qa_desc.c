// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * Descriptor codec and validation. Freestanding: shared by libqaccel, the
 * kernel driver's emulated device and the tests.
 */
#include "qa_exec.h"
#include "qaccel_requant.h"
#include "qa_mem_le.h"

void qa_desc_decode(const uint8_t *s, struct qa_desc *d)
{
	d->header = qa_ld_le32(s + 0x00);
	d->in_type = s[0x04];
	d->w_type = s[0x05];
	d->out_type = s[0x06];
	d->flags = s[0x07];
	d->batch = qa_ld_le32(s + 0x08);
	d->in_h = qa_ld_le32(s + 0x0C);
	d->in_w = qa_ld_le32(s + 0x10);
	d->in_c = qa_ld_le32(s + 0x14);
	d->out_h = qa_ld_le32(s + 0x18);
	d->out_w = qa_ld_le32(s + 0x1C);
	d->out_c = qa_ld_le32(s + 0x20);
	d->groups = qa_ld_le32(s + 0x24);
	d->kernel_h = qa_ld_le16(s + 0x28);
	d->kernel_w = qa_ld_le16(s + 0x2A);
	d->stride_h = qa_ld_le16(s + 0x2C);
	d->stride_w = qa_ld_le16(s + 0x2E);
	d->dilation_h = qa_ld_le16(s + 0x30);
	d->dilation_w = qa_ld_le16(s + 0x32);
	d->pad_top = qa_ld_le16(s + 0x34);
	d->pad_left = qa_ld_le16(s + 0x36);
	d->pad_bottom = qa_ld_le16(s + 0x38);
	d->pad_right = qa_ld_le16(s + 0x3A);
	d->in_zp = (int32_t)qa_ld_le32(s + 0x3C);
	d->w_zp = (int32_t)qa_ld_le32(s + 0x40);
	d->out_zp = (int32_t)qa_ld_le32(s + 0x44);
	d->act_min = (int32_t)qa_ld_le32(s + 0x48);
	d->act_max = (int32_t)qa_ld_le32(s + 0x4C);
	d->in_addr = qa_ld_le64(s + 0x50);
	d->w_addr = qa_ld_le64(s + 0x58);
	d->bias_addr = qa_ld_le64(s + 0x60);
	d->mult_addr = qa_ld_le64(s + 0x68);
	d->shift_addr = qa_ld_le64(s + 0x70);
	d->out_addr = qa_ld_le64(s + 0x78);
}

void qa_desc_encode(const struct qa_desc *d, uint8_t *s)
{
	qa_st_le32(s + 0x00, d->header);
	s[0x04] = d->in_type;
	s[0x05] = d->w_type;
	s[0x06] = d->out_type;
	s[0x07] = d->flags;
	qa_st_le32(s + 0x08, d->batch);
	qa_st_le32(s + 0x0C, d->in_h);
	qa_st_le32(s + 0x10, d->in_w);
	qa_st_le32(s + 0x14, d->in_c);
	qa_st_le32(s + 0x18, d->out_h);
	qa_st_le32(s + 0x1C, d->out_w);
	qa_st_le32(s + 0x20, d->out_c);
	qa_st_le32(s + 0x24, d->groups);
	qa_st_le16(s + 0x28, d->kernel_h);
	qa_st_le16(s + 0x2A, d->kernel_w);
	qa_st_le16(s + 0x2C, d->stride_h);
	qa_st_le16(s + 0x2E, d->stride_w);
	qa_st_le16(s + 0x30, d->dilation_h);
	qa_st_le16(s + 0x32, d->dilation_w);
	qa_st_le16(s + 0x34, d->pad_top);
	qa_st_le16(s + 0x36, d->pad_left);
	qa_st_le16(s + 0x38, d->pad_bottom);
	qa_st_le16(s + 0x3A, d->pad_right);
	qa_st_le32(s + 0x3C, (uint32_t)d->in_zp);
	qa_st_le32(s + 0x40, (uint32_t)d->w_zp);
	qa_st_le32(s + 0x44, (uint32_t)d->out_zp);
	qa_st_le32(s + 0x48, (uint32_t)d->act_min);
	qa_st_le32(s + 0x4C, (uint32_t)d->act_max);
	qa_st_le64(s + 0x50, d->in_addr);
	qa_st_le64(s + 0x58, d->w_addr);
	qa_st_le64(s + 0x60, d->bias_addr);
	qa_st_le64(s + 0x68, d->mult_addr);
	qa_st_le64(s + 0x70, d->shift_addr);
	qa_st_le64(s + 0x78, d->out_addr);
}

/* a * b, saturating at UINT64_MAX so an absurd shape can never wrap into a small one. */
static uint64_t mul_sat(uint64_t a, uint64_t b)
{
	if (b && a > UINT64_MAX / b)
		return UINT64_MAX;
	return a * b;
}

uint64_t qa_desc_reduction(const struct qa_desc *d)
{
	if (!d->groups || d->in_c % d->groups)
		return 0;
	return mul_sat(mul_sat(d->kernel_h, d->kernel_w), d->in_c / d->groups);
}

uint64_t qa_desc_macs(const struct qa_desc *d)
{
	uint64_t px = mul_sat(mul_sat(d->batch, d->out_h), d->out_w);

	return mul_sat(mul_sat(px, d->out_c), qa_desc_reduction(d));
}

/* Output extent of one spatial axis, or 0 when the kernel does not fit. */
static uint64_t conv_out_dim(uint32_t in, uint32_t pad_a, uint32_t pad_b,
			     uint32_t k, uint32_t stride, uint32_t dil)
{
	uint64_t padded = (uint64_t)in + pad_a + pad_b;
	uint64_t eff = (uint64_t)dil * (k - 1) + 1;

	if (!stride || !k || !dil || eff > padded)
		return 0;
	return (padded - eff) / stride + 1;
}

static int in_type_range(int32_t v, unsigned int t)
{
	return v >= qa_dtype_min(t) && v <= qa_dtype_max(t);
}

static int check_gemm_geometry(const struct qa_desc *d)
{
	if (d->batch != 1 || d->in_w != 1 || d->out_w != 1 || d->out_h != d->in_h ||
	    d->groups != 1 || d->kernel_h != 1 || d->kernel_w != 1 ||
	    d->stride_h != 1 || d->stride_w != 1 || d->dilation_h != 1 || d->dilation_w != 1 ||
	    d->pad_top || d->pad_left || d->pad_bottom || d->pad_right)
		return QA_ERR_BAD_SHAPE;
	return QA_ERR_NONE;
}

static int check_conv_geometry(const struct qa_desc *d)
{
	if (d->in_c % d->groups || d->out_c % d->groups)
		return QA_ERR_BAD_SHAPE;
	if (conv_out_dim(d->in_h, d->pad_top, d->pad_bottom, d->kernel_h,
			 d->stride_h, d->dilation_h) != d->out_h)
		return QA_ERR_BAD_SHAPE;
	if (conv_out_dim(d->in_w, d->pad_left, d->pad_right, d->kernel_w,
			 d->stride_w, d->dilation_w) != d->out_w)
		return QA_ERR_BAD_SHAPE;
	return QA_ERR_NONE;
}

int qa_desc_check_fields(const struct qa_desc *d)
{
	unsigned int op = QA_DESC_HDR_OPCODE(d->header);
	int err;

	if (QA_DESC_HDR_MAGIC(d->header) != QA_DESC_MAGIC ||
	    QA_DESC_HDR_VERSION(d->header) != QA_DESC_VERSION ||
	    (op != QA_OP_GEMM && op != QA_OP_CONV2D))
		return QA_ERR_BAD_HEADER;
	if (d->flags & ~QA_DESC_F_KNOWN)
		return QA_ERR_RESERVED;
	if (d->in_type > QA_DT_UINT8 || d->w_type > QA_DT_UINT8 || d->out_type > QA_DT_INT32)
		return QA_ERR_BAD_TYPE;
	if (!d->batch || !d->in_h || !d->in_w || !d->in_c || !d->out_h || !d->out_w ||
	    !d->out_c || !d->groups || !d->kernel_h || !d->kernel_w || !d->stride_h ||
	    !d->stride_w || !d->dilation_h || !d->dilation_w)
		return QA_ERR_BAD_SHAPE;
	err = op == QA_OP_GEMM ? check_gemm_geometry(d) : check_conv_geometry(d);
	if (err)
		return err;
	if (qa_desc_reduction(d) > QA_MAX_REDUCTION)
		return QA_ERR_TOO_DEEP;
	if (!in_type_range(d->in_zp, d->in_type) || !in_type_range(d->w_zp, d->w_type))
		return QA_ERR_BAD_QUANT;
	if (d->out_type == QA_DT_INT32) {
		if (d->out_zp || d->act_min || d->act_max || d->mult_addr || d->shift_addr)
			return QA_ERR_RESERVED;
	} else if (!in_type_range(d->out_zp, d->out_type) ||
		   !in_type_range(d->act_min, d->out_type) ||
		   !in_type_range(d->act_max, d->out_type) || d->act_min > d->act_max) {
		return QA_ERR_BAD_QUANT;
	}
	if (!(d->flags & QA_DESC_F_BIAS) && d->bias_addr)
		return QA_ERR_RESERVED;
	return QA_ERR_NONE;
}

int qa_desc_extents(const struct qa_desc *d, struct qa_desc_extents *e)
{
	int err = qa_desc_check_fields(d);
	uint64_t out_px;

	if (err)
		return err;
	e->len[QA_OPND_IN] = mul_sat(mul_sat(mul_sat(d->batch, d->in_h), d->in_w), d->in_c);
	e->len[QA_OPND_W] = mul_sat(d->out_c, qa_desc_reduction(d));
	e->len[QA_OPND_BIAS] = d->flags & QA_DESC_F_BIAS ? 4ull * d->out_c : 0;
	e->len[QA_OPND_MULT] = d->out_type == QA_DT_INT32 ? 0 : 4ull * d->out_c;
	e->len[QA_OPND_SHIFT] = e->len[QA_OPND_MULT];
	out_px = mul_sat(mul_sat(d->batch, d->out_h), d->out_w);
	e->len[QA_OPND_OUT] = mul_sat(mul_sat(out_px, d->out_c), qa_dtype_size(d->out_type));
	return QA_ERR_NONE;
}

uint64_t qa_desc_operand_addr(const struct qa_desc *d, unsigned int o)
{
	switch (o) {
	case QA_OPND_IN: return d->in_addr;
	case QA_OPND_W: return d->w_addr;
	case QA_OPND_BIAS: return d->bias_addr;
	case QA_OPND_MULT: return d->mult_addr;
	case QA_OPND_SHIFT: return d->shift_addr;
	default: return d->out_addr;
	}
}

void qa_desc_set_operand_addr(struct qa_desc *d, unsigned int o, uint64_t addr)
{
	switch (o) {
	case QA_OPND_IN: d->in_addr = addr; break;
	case QA_OPND_W: d->w_addr = addr; break;
	case QA_OPND_BIAS: d->bias_addr = addr; break;
	case QA_OPND_MULT: d->mult_addr = addr; break;
	case QA_OPND_SHIFT: d->shift_addr = addr; break;
	default: d->out_addr = addr; break;
	}
}

unsigned int qa_desc_operand_align(const struct qa_desc *d, unsigned int o)
{
	if (o == QA_OPND_IN || o == QA_OPND_W)
		return 1;
	if (o == QA_OPND_OUT)
		return qa_dtype_size(d->out_type);
	return 4;
}

static int region_ok(uint64_t addr, uint64_t len, uint64_t align, const struct qa_exec_mem *mem)
{
	return addr <= mem->size && len <= mem->size - addr && !(addr & (align - 1));
}

/* Half-open byte ranges [a, a+alen) and [b, b+blen) intersect. */
static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

int qa_desc_check(const struct qa_desc *d, const struct qa_exec_mem *mem)
{
	struct qa_desc_extents e;
	uint64_t out = d->out_addr, out_len;
	unsigned int o;
	uint32_t i;
	int err = qa_desc_extents(d, &e);

	if (err)
		return err;
	out_len = e.len[QA_OPND_OUT];
	for (o = 0; o < QA_OPND_COUNT; o++) {
		uint64_t addr = qa_desc_operand_addr(d, o);

		if (!e.len[o])
			continue; /* unused: its address must be 0, checked with the fields */
		if (!region_ok(addr, e.len[o], qa_desc_operand_align(d, o), mem))
			return QA_ERR_BAD_ADDRESS;
		/* An output aliasing an input would make results depend on execution order. */
		if (o != QA_OPND_OUT && overlaps(out, out_len, addr, e.len[o]))
			return QA_ERR_BAD_ADDRESS;
	}
	for (i = 0; e.len[QA_OPND_MULT] && i < d->out_c; i++) {
		int32_t m = (int32_t)qa_ld_le32(mem->base + d->mult_addr + 4ull * i);
		int32_t s = (int32_t)qa_ld_le32(mem->base + d->shift_addr + 4ull * i);

		if (!qa_requant_params_valid(m, s))
			return QA_ERR_BAD_REQUANT;
	}
	return QA_ERR_NONE;
}

uint32_t qa_exec_check_list(const struct qa_exec_mem *mem, uint64_t desc_addr, uint32_t count)
{
	uint64_t list_len = (uint64_t)count * QA_DESC_SIZE;
	struct qa_desc_extents e;
	struct qa_desc d;
	uint32_t i;
	int err;

	if (!mem || !mem->base || !count || (desc_addr & (QA_DESC_ALIGN - 1)) ||
	    desc_addr > mem->size || list_len > mem->size - desc_addr)
		return QA_STATUS_MAKE(QA_ERR_BAD_ADDRESS, 0);
	for (i = 0; i < count; i++) {
		qa_desc_decode(mem->base + desc_addr + (uint64_t)i * QA_DESC_SIZE, &d);
		err = qa_desc_check(&d, mem);
		if (!err)
			err = qa_desc_extents(&d, &e);
		if (!err && overlaps(d.out_addr, e.len[QA_OPND_OUT], desc_addr, list_len))
			err = QA_ERR_BAD_ADDRESS;
		if (err)
			return QA_STATUS_MAKE(err, i);
	}
	return QA_STATUS_MAKE(QA_ERR_NONE, 0);
}
