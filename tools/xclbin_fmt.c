// SPDX-License-Identifier: MIT
/* xclbin writer and validator: see xclbin_fmt.h. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>

#include <xrt/xclbin.h>

#include "qaccel_hw.h"
#include "xclbin_fmt.h"

#define HDR_TABLE_OFF offsetof(struct axlf, m_sections)
#define XML_MAX_ATTR 96

/*
 * The register map (DESIGN.md section 4, include/qaccel_hw.h): the three
 * inputs every qaccel xclbin must declare, then the read-only outputs the
 * HLS top exposes as ap_vld scalars. v++ lists those too; our writer does.
 */
static const struct {
	const char *name;
	uint32_t offset, size;
	int global, required;
} expect_args[] = {
	{ "desc_addr", QA_REG_DESC_ADDR_LO, 8, 1, 1 },
	{ "desc_count", QA_REG_DESC_COUNT, 4, 0, 1 },
	{ "mem_base", QA_REG_MEM_BASE_LO, 8, 1, 1 },
	{ "version", QA_REG_VERSION, 4, 0, 0 },
	{ "config", QA_REG_CONFIG, 4, 0, 0 },
	{ "cycles", QA_REG_CYCLES_LO, 8, 0, 0 },
	{ "macs", QA_REG_MACS_LO, 8, 0, 0 },
	{ "stalls", QA_REG_STALLS_LO, 8, 0, 0 },
	{ "status", QA_REG_STATUS, 4, 0, 0 },
};
#define N_EXPECT ((int)(sizeof(expect_args) / sizeof(expect_args[0])))
#define N_INPUTS 3

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* NUL-terminated within n bytes, printable. */
static int fixed_str_ok(const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!s[i])
			return 1;
		if (s[i] < 0x20 || s[i] > 0x7e)
			return 0;
	}
	return 0;
}

static const char *kind_name(uint32_t k)
{
	switch (k) {
	case BITSTREAM: return "BITSTREAM";
	case EMBEDDED_METADATA: return "EMBEDDED_METADATA";
	case MEM_TOPOLOGY: return "MEM_TOPOLOGY";
	case CONNECTIVITY: return "CONNECTIVITY";
	case IP_LAYOUT: return "IP_LAYOUT";
	case PDI: return "PDI";
	case CLOCK_FREQ_TOPOLOGY: return "CLOCK_FREQ_TOPOLOGY";
	case BUILD_METADATA: return "BUILD_METADATA";
	case KEYVALUE_METADATA: return "KEYVALUE_METADATA";
	default: return "section";
	}
}

/* ---- minimal, bounded XML scanner ------------------------------------- */

struct xml_attr {
	char name[32];
	char value[XML_MAX_ATTR];
};

struct xml_tag {
	char name[32];
	int closing;       /* </name> */
	int self_closing;  /* <name .../> */
	int n_attr;
	struct xml_attr attr[16];
};

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == ':' || c == '.';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Find `pat` in [p, end); NULL if absent. */
static const char *find_seq(const char *p, const char *end, const char *pat)
{
	size_t n = strlen(pat);

	while ((size_t)(end - p) >= n) {
		if (!memcmp(p, pat, n))
			return p;
		p++;
	}
	return NULL;
}

/*
 * Parse the next element tag starting at *pp. Returns 1 with *tag filled,
 * 0 at the end of input, -1 on malformed XML (err says why).
 */
static int xml_next(const char **pp, const char *end, struct xml_tag *tag, char *err,
		    size_t errlen)
{
	const char *p = *pp;

	for (;;) {
		while (p < end && *p != '<') {
			if (!*p)
				return fail(err, errlen, -1, "metadata XML contains a NUL byte"), -1;
			p++;
		}
		if (p >= end) {
			*pp = p;
			return 0;
		}
		if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
			const char *q = find_seq(p + 4, end, "-->");

			if (!q)
				return fail(err, errlen, -1, "metadata XML: unterminated comment"), -1;
			p = q + 3;
			continue;
		}
		if (end - p >= 2 && (p[1] == '?' || p[1] == '!')) {
			const char *q = memchr(p, '>', (size_t)(end - p));

			if (!q)
				return fail(err, errlen, -1, "metadata XML: unterminated declaration"), -1;
			p = q + 1;
			continue;
		}
		break;
	}
	memset(tag, 0, sizeof(*tag));
	p++;
	if (p < end && *p == '/') {
		tag->closing = 1;
		p++;
	}
	{
		size_t n = 0;

		while (p < end && is_name_char(*p)) {
			if (n + 1 >= sizeof(tag->name))
				return fail(err, errlen, -1, "metadata XML: element name too long"), -1;
			tag->name[n++] = *p++;
		}
		if (!n)
			return fail(err, errlen, -1, "metadata XML: missing element name"), -1;
	}
	for (;;) {
		struct xml_attr *a;
		char quote;
		size_t n = 0;

		while (p < end && is_space(*p))
			p++;
		if (p >= end)
			return fail(err, errlen, -1, "metadata XML: unterminated <%s>", tag->name), -1;
		if (*p == '>') {
			p++;
			break;
		}
		if (*p == '/' && end - p >= 2 && p[1] == '>') {
			if (tag->closing)
				return fail(err, errlen, -1, "metadata XML: bad </%s/>", tag->name), -1;
			tag->self_closing = 1;
			p += 2;
			break;
		}
		if (tag->closing || !is_name_char(*p))
			return fail(err, errlen, -1, "metadata XML: bad character in <%s>", tag->name),
			       -1;
		if (tag->n_attr >= (int)(sizeof(tag->attr) / sizeof(tag->attr[0])))
			return fail(err, errlen, -1, "metadata XML: too many attributes in <%s>",
				    tag->name), -1;
		a = &tag->attr[tag->n_attr++];
		while (p < end && is_name_char(*p)) {
			if (n + 1 >= sizeof(a->name))
				return fail(err, errlen, -1, "metadata XML: attribute name too long"), -1;
			a->name[n++] = *p++;
		}
		while (p < end && is_space(*p))
			p++;
		if (p >= end || *p != '=')
			return fail(err, errlen, -1, "metadata XML: attribute %s has no value", a->name),
			       -1;
		p++;
		while (p < end && is_space(*p))
			p++;
		if (p >= end || (*p != '"' && *p != '\''))
			return fail(err, errlen, -1, "metadata XML: attribute %s is not quoted", a->name),
			       -1;
		quote = *p++;
		n = 0;
		while (p < end && *p != quote) {
			if (!*p || *p == '<')
				return fail(err, errlen, -1, "metadata XML: bad value of %s", a->name), -1;
			if (n + 1 < sizeof(a->value))
				a->value[n] = *p;
			n++;
			p++;
		}
		if (p >= end)
			return fail(err, errlen, -1, "metadata XML: unterminated value of %s", a->name),
			       -1;
		if (n >= sizeof(a->value))
			return fail(err, errlen, -1, "metadata XML: value of %s too long", a->name), -1;
		p++;
	}
	*pp = p;
	return 1;
}

static const char *xml_attr(const struct xml_tag *t, const char *name)
{
	int i;

	for (i = 0; i < t->n_attr; i++)
		if (!strcmp(t->attr[i].name, name))
			return t->attr[i].value;
	return NULL;
}

/* Strict unsigned number: decimal or 0x-hex, whole string, fits 64 bits. */
static int parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	int base = 10, digits = 0;

	if (!s || !*s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; *s; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -1;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return -1;
		v = v * (uint64_t)base + (uint64_t)d;
		digits++;
	}
	if (!digits)
		return -1;
	*out = v;
	return 0;
}

static int attr_u32(const struct xml_tag *t, const char *name, uint32_t *out, char *err,
		    size_t errlen)
{
	uint64_t v;

	if (parse_u64(xml_attr(t, name), &v) || v > UINT32_MAX)
		return fail(err, errlen, -EINVAL, "metadata XML: <%s> %s=\"%s\" is not a number",
			    t->name, name, xml_attr(t, name) ? xml_attr(t, name) : "(missing)");
	*out = (uint32_t)v;
	return 0;
}

/* Walk the XML: the kernel element named `kernel`, its args, slave port, instance. */
static int check_xml(const char *xml, size_t len, const char *kernel, struct qa_xclbin_info *inf,
		     char *inst, size_t inst_len, char *err, size_t errlen)
{
	const char *p = xml, *end = xml + len;
	struct xml_tag t;
	int depth = 0, kdepth = -1, found = 0, n_kernels = 0, r, err2;
	char other[64] = "";

	while ((r = xml_next(&p, end, &t, err, errlen)) == 1) {
		if (t.closing) {
			if (--depth < 0)
				return fail(err, errlen, -EINVAL, "metadata XML: unbalanced </%s>",
					    t.name);
			if (depth == kdepth)
				kdepth = -1;
			continue;
		}
		if (!strcmp(t.name, "kernel")) {
			const char *nm = xml_attr(&t, "name");
			const char *proto = xml_attr(&t, "hwControlProtocol");

			n_kernels++;
			if (kdepth >= 0)
				return fail(err, errlen, -EINVAL, "metadata XML: nested <kernel>");
			if (!nm)
				return fail(err, errlen, -EINVAL, "metadata XML: <kernel> without a name");
			if (!strcmp(nm, kernel)) {
				if (found)
					return fail(err, errlen, -EINVAL,
						    "metadata XML: kernel %s declared twice", kernel);
				found = 1;
				if (proto && strcmp(proto, "ap_ctrl_hs"))
					return fail(err, errlen, -EINVAL,
						    "kernel %s uses %s, the runtime needs ap_ctrl_hs",
						    kernel, proto);
				if (!t.self_closing)
					kdepth = depth;
			} else if (!other[0]) {
				snprintf(other, sizeof(other), "%s", nm);
			}
		} else if (kdepth >= 0 && depth == kdepth + 1 && !strcmp(t.name, "arg")) {
			struct qa_xclbin_arg *a;
			const char *nm = xml_attr(&t, "name");
			uint32_t aq;

			if (inf->n_args >= QA_XCLBIN_MAX_ARGS)
				return fail(err, errlen, -EINVAL, "kernel %s has more than %d arguments",
					    kernel, QA_XCLBIN_MAX_ARGS);
			a = &inf->args[inf->n_args++];
			if (!nm || strlen(nm) >= sizeof(a->name))
				return fail(err, errlen, -EINVAL, "metadata XML: <arg> without a usable name");
			strcpy(a->name, nm);
			a->bank = -1;
			err2 = attr_u32(&t, "id", &a->id, err, errlen);
			if (!err2)
				err2 = attr_u32(&t, "offset", &a->offset, err, errlen);
			if (!err2)
				err2 = attr_u32(&t, "size", &a->size, err, errlen);
			if (!err2)
				err2 = attr_u32(&t, "addressQualifier", &aq, err, errlen);
			if (err2)
				return err2;
			if (aq > 1)
				return fail(err, errlen, -EINVAL,
					    "argument %s: addressQualifier %u (only scalar 0 and global 1)",
					    a->name, aq);
			a->global = aq == 1;
		} else if (kdepth >= 0 && depth == kdepth + 1 && !strcmp(t.name, "port")) {
			const char *mode = xml_attr(&t, "mode");
			uint64_t range;

			if (mode && !strcmp(mode, "slave")) {
				if (parse_u64(xml_attr(&t, "range"), &range) || range > UINT32_MAX)
					return fail(err, errlen, -EINVAL,
						    "metadata XML: slave port range is not a number");
				inf->cu_range = (uint32_t)range;
			}
		} else if (kdepth >= 0 && depth == kdepth + 1 && !strcmp(t.name, "instance")) {
			const char *nm = xml_attr(&t, "name");

			if (nm && !inst[0]) {
				if (strlen(nm) >= inst_len)
					return fail(err, errlen, -EINVAL, "metadata XML: instance name too long");
				strcpy(inst, nm);
			}
		} else if (kdepth >= 0 && depth == kdepth + 1 && !strcmp(t.name, "qaccel")) {
			const char *ph = xml_attr(&t, "placeholder");

			if (xml_attr(&t, "array_rows") &&
			    (attr_u32(&t, "array_rows", &inf->array_rows, err, errlen) ||
			     attr_u32(&t, "array_cols", &inf->array_cols, err, errlen)))
				return -EINVAL;
			inf->placeholder = ph && !strcmp(ph, "1");
		}
		if (!t.self_closing && ++depth > 64)
			return fail(err, errlen, -EINVAL, "metadata XML nests deeper than 64");
	}
	if (r < 0)
		return -EINVAL;
	if (depth)
		return fail(err, errlen, -EINVAL, "metadata XML: %d unclosed element(s)", depth);
	if (!found) {
		if (other[0])
			return fail(err, errlen, -ENOENT, "xclbin has no kernel '%s' (it has '%s')",
				    kernel, other);
		return fail(err, errlen, -ENOENT, "xclbin has no kernel '%s' (%d kernels)", kernel,
			    n_kernels);
	}
	return 0;
}

/*
 * The argument map must be the register map of qaccel_hw.h: ids 0..2 present,
 * any read-only output present at its register, nothing else.
 */
static int check_args(struct qa_xclbin_info *inf, char *err, size_t errlen)
{
	int i, j, seen[N_EXPECT] = { 0 };

	for (j = 0; j < inf->n_args; j++) {
		const struct qa_xclbin_arg *a = &inf->args[j];

		if (a->id >= (uint32_t)N_EXPECT)
			return fail(err, errlen, -EINVAL,
				    "argument %s has id %u; the register map has %d arguments", a->name,
				    a->id, N_EXPECT);
		i = (int)a->id;
		if (seen[i]++)
			return fail(err, errlen, -EINVAL, "argument id %d declared twice", i);
		if (strcmp(a->name, expect_args[i].name))
			return fail(err, errlen, -EINVAL, "argument %d is '%s', expected '%s'", i,
				    a->name, expect_args[i].name);
		if (a->offset != expect_args[i].offset || a->size != expect_args[i].size)
			return fail(err, errlen, -EINVAL,
				    "argument %s at offset 0x%X size %u; the register map has 0x%X size %u",
				    a->name, a->offset, a->size, expect_args[i].offset,
				    expect_args[i].size);
		if (a->global != expect_args[i].global)
			return fail(err, errlen, -EINVAL, "argument %s must be a %s", a->name,
				    expect_args[i].global ? "global pointer" : "scalar");
	}
	for (i = 0; i < N_INPUTS; i++)
		if (!seen[i])
			return fail(err, errlen, -EINVAL, "argument %s (id %d) is missing",
				    expect_args[i].name, i);
	/* Sort by id: args[i].id == i for the inputs. */
	for (i = 0; i < inf->n_args; i++)
		for (j = i + 1; j < inf->n_args; j++)
			if (inf->args[j].id < inf->args[i].id) {
				struct qa_xclbin_arg tmp = inf->args[i];

				inf->args[i] = inf->args[j];
				inf->args[j] = tmp;
			}
	if (inf->cu_range && inf->cu_range < QA_REG_SPAN)
		return fail(err, errlen, -EINVAL, "control port range 0x%X is smaller than the 0x%X-byte register map",
			    inf->cu_range, QA_REG_SPAN);
	return 0;
}

struct sect {
	uint32_t kind;
	uint64_t off, size;
	int index;
};

static int cmp_sect(const void *a, const void *b)
{
	const struct sect *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

static void format_uuid(const uint8_t u[16], char out[37])
{
	static const char hex[] = "0123456789abcdef";
	int i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[u[i] >> 4];
		out[o++] = hex[u[i] & 15];
	}
	out[o] = '\0';
}

int qa_xclbin_check(const void *buf, size_t len, const char *kernel,
		    struct qa_xclbin_info *info, char *err, size_t errlen)
{
	const uint8_t *b = buf;
	struct qa_xclbin_info local;
	struct qa_xclbin_info *inf = info ? info : &local;
	struct axlf top;
	struct sect secs[QA_XCLBIN_MAX_SECTIONS];
	const struct sect *s_bit = NULL, *s_mem = NULL, *s_conn = NULL, *s_ip = NULL, *s_xml = NULL;
	uint32_t n, i;
	int32_t mcount, ccount, icount;
	int kernel_ip = -1, err2;
	char inst[64] = "";
	uint64_t table_end;

	memset(inf, 0, sizeof(*inf));
	if (!kernel)
		kernel = QA_XCLBIN_KERNEL;
	if (!buf || len < HDR_TABLE_OFF)
		return fail(err, errlen, -EINVAL, "xclbin truncated: %zu bytes, the header alone is %zu",
			    buf ? len : 0, (size_t)HDR_TABLE_OFF);
	memcpy(&top, b, HDR_TABLE_OFF);
	if (memcmp(top.m_magic, "xclbin2", 8))
		return fail(err, errlen, -EINVAL, "not an xclbin (bad magic)");
	if (top.m_header.m_length != len)
		return fail(err, errlen, -EINVAL,
			    "xclbin length field says %llu bytes, the file has %zu (truncated or padded)",
			    (unsigned long long)top.m_header.m_length, len);
	n = top.m_header.m_numSections;
	if (!n || n > QA_XCLBIN_MAX_SECTIONS)
		return fail(err, errlen, -EINVAL, "xclbin has %u sections (1..%d accepted)", n,
			    QA_XCLBIN_MAX_SECTIONS);
	table_end = HDR_TABLE_OFF + (uint64_t)n * sizeof(struct axlf_section_header);
	if (table_end > len)
		return fail(err, errlen, -EINVAL, "section table (%u entries) runs past the end of the file", n);
	for (i = 0; i < n; i++) {
		struct axlf_section_header h;

		memcpy(&h, b + HDR_TABLE_OFF + (size_t)i * sizeof(h), sizeof(h));
		secs[i].kind = h.m_sectionKind;
		secs[i].off = h.m_sectionOffset;
		secs[i].size = h.m_sectionSize;
		secs[i].index = (int)i;
		if (!fixed_str_ok(h.m_sectionName, sizeof(h.m_sectionName)))
			return fail(err, errlen, -EINVAL, "section %u: name not NUL-terminated", i);
		if (h.m_sectionOffset < table_end || h.m_sectionOffset > len ||
		    h.m_sectionSize > len - h.m_sectionOffset)
			return fail(err, errlen, -EINVAL,
				    "section %u (%s): offset %llu size %llu outside the %zu-byte file", i,
				    kind_name(h.m_sectionKind), (unsigned long long)h.m_sectionOffset,
				    (unsigned long long)h.m_sectionSize, len);
		if (h.m_sectionOffset & 7)
			return fail(err, errlen, -EINVAL, "section %u (%s): offset %llu not 8-byte aligned",
				    i, kind_name(h.m_sectionKind), (unsigned long long)h.m_sectionOffset);
	}
	qsort(secs, n, sizeof(secs[0]), cmp_sect);
	for (i = 0; i < n; i++) {
		const struct sect *s = &secs[i];
		const struct sect **slot = NULL;

		if (i + 1 < n && s->off + s->size > secs[i + 1].off)
			return fail(err, errlen, -EINVAL, "sections %d and %d overlap", s->index,
				    secs[i + 1].index);
		switch (s->kind) {
		case BITSTREAM:
		case PDI: slot = &s_bit; break;
		case MEM_TOPOLOGY: slot = &s_mem; break;
		case CONNECTIVITY: slot = &s_conn; break;
		case IP_LAYOUT: slot = &s_ip; break;
		case EMBEDDED_METADATA: slot = &s_xml; break;
		default: break;
		}
		if (!slot)
			continue;
		if (*slot)
			return fail(err, errlen, -EINVAL, "duplicate %s section", kind_name(s->kind));
		*slot = s;
	}
	if (!s_bit || !s_bit->size)
		return fail(err, errlen, -EINVAL, "xclbin has no BITSTREAM or PDI section");
	if (!s_mem)
		return fail(err, errlen, -EINVAL, "xclbin has no MEM_TOPOLOGY section");
	if (!s_conn)
		return fail(err, errlen, -EINVAL, "xclbin has no CONNECTIVITY section");
	if (!s_ip)
		return fail(err, errlen, -EINVAL, "xclbin has no IP_LAYOUT section");
	if (!s_xml || !s_xml->size)
		return fail(err, errlen, -EINVAL, "xclbin has no EMBEDDED_METADATA section");
	inf->bitstream_kind = (int)s_bit->kind;
	inf->bitstream_size = s_bit->size;
	memcpy(inf->uuid, top.m_header.uuid, 16);
	format_uuid(inf->uuid, inf->uuid_str);
	if (!fixed_str_ok(top.m_header.m_platformVBNV, sizeof(top.m_header.m_platformVBNV)))
		return fail(err, errlen, -EINVAL, "platform VBNV not NUL-terminated");
	snprintf(inf->vbnv, sizeof(inf->vbnv), "%s", (const char *)top.m_header.m_platformVBNV);
	snprintf(inf->kernel, sizeof(inf->kernel), "%s", kernel);

	/* MEM_TOPOLOGY: int32 count, 4 pad, count * 40-byte mem_data. */
	if (s_mem->size < offsetof(struct mem_topology, m_mem_data))
		return fail(err, errlen, -EINVAL, "MEM_TOPOLOGY section too short");
	memcpy(&mcount, b + s_mem->off, sizeof(mcount));
	if (mcount < 1 || mcount > QA_XCLBIN_MAX_BANKS ||
	    offsetof(struct mem_topology, m_mem_data) + (uint64_t)mcount * sizeof(struct mem_data) >
		    s_mem->size)
		return fail(err, errlen, -EINVAL, "MEM_TOPOLOGY: %d banks do not fit its %llu bytes",
			    mcount, (unsigned long long)s_mem->size);
	inf->n_banks = mcount;
	for (i = 0; i < (uint32_t)mcount; i++) {
		struct mem_data md;

		memcpy(&md, b + s_mem->off + offsetof(struct mem_topology, m_mem_data) +
			       (size_t)i * sizeof(md), sizeof(md));
		if (!fixed_str_ok(md.m_tag, sizeof(md.m_tag)))
			return fail(err, errlen, -EINVAL, "MEM_TOPOLOGY bank %u: tag not NUL-terminated", i);
		if (md.m_type > MEM_PS_KERNEL)
			return fail(err, errlen, -EINVAL, "MEM_TOPOLOGY bank %u: unknown type %u", i,
				    md.m_type);
		snprintf(inf->bank_tag[i], sizeof(inf->bank_tag[i]), "%s", (const char *)md.m_tag);
	}

	/* IP_LAYOUT: int32 count, 4 pad, count * 80-byte ip_data. */
	if (s_ip->size < offsetof(struct ip_layout, m_ip_data))
		return fail(err, errlen, -EINVAL, "IP_LAYOUT section too short");
	memcpy(&icount, b + s_ip->off, sizeof(icount));
	if (icount < 1 || icount > 128 ||
	    offsetof(struct ip_layout, m_ip_data) + (uint64_t)icount * sizeof(struct ip_data) >
		    s_ip->size)
		return fail(err, errlen, -EINVAL, "IP_LAYOUT: %d IPs do not fit its %llu bytes", icount,
			    (unsigned long long)s_ip->size);

	/* XML: kernel, arguments, instance name. */
	err2 = check_xml((const char *)b + s_xml->off, s_xml->size, kernel, inf, inst, sizeof(inst),
			 err, errlen);
	if (err2)
		return err2;
	if (!inst[0])
		return fail(err, errlen, -EINVAL, "metadata XML: kernel %s has no <instance>", kernel);
	if (strlen(kernel) + 1 + strlen(inst) >= sizeof(((struct ip_data *)0)->m_name) ||
	    snprintf(inf->cu_name, sizeof(inf->cu_name), "%s:%s", kernel, inst) >=
		    (int)sizeof(inf->cu_name))
		return fail(err, errlen, -EINVAL, "compute unit name %s:%s too long", kernel, inst);
	for (i = 0; i < (uint32_t)icount; i++) {
		struct ip_data ip;

		memcpy(&ip, b + s_ip->off + offsetof(struct ip_layout, m_ip_data) +
			       (size_t)i * sizeof(ip), sizeof(ip));
		if (!fixed_str_ok(ip.m_name, sizeof(ip.m_name)))
			return fail(err, errlen, -EINVAL, "IP_LAYOUT entry %u: name not NUL-terminated", i);
		if (ip.m_type == IP_KERNEL && !strcmp((const char *)ip.m_name, inf->cu_name)) {
			if (kernel_ip >= 0)
				return fail(err, errlen, -EINVAL, "IP_LAYOUT: %s listed twice", inf->cu_name);
			kernel_ip = (int)i;
			inf->cu_base = ip.m_base_address;
			inf->ip_control = (ip.properties & IP_CONTROL_MASK) >> IP_CONTROL_SHIFT;
		}
	}
	if (kernel_ip < 0)
		return fail(err, errlen, -EINVAL, "IP_LAYOUT has no kernel IP named %s", inf->cu_name);
	if (inf->ip_control != AP_CTRL_HS)
		return fail(err, errlen, -EINVAL, "compute unit %s is not AP_CTRL_HS (control %u)",
			    inf->cu_name, inf->ip_control);
	if (inf->cu_base == UINT64_MAX || (inf->cu_base & 0xFFF))
		return fail(err, errlen, -EINVAL, "compute unit base 0x%llx is not 4 KiB aligned",
			    (unsigned long long)inf->cu_base);

	err2 = check_args(inf, err, errlen);
	if (err2)
		return err2;

	/* CONNECTIVITY: int32 count, count * 12-byte connection. */
	if (s_conn->size < sizeof(int32_t))
		return fail(err, errlen, -EINVAL, "CONNECTIVITY section too short");
	memcpy(&ccount, b + s_conn->off, sizeof(ccount));
	if (ccount < 0 || ccount > 4096 ||
	    offsetof(struct connectivity, m_connection) + (uint64_t)ccount * sizeof(struct connection) >
		    s_conn->size)
		return fail(err, errlen, -EINVAL, "CONNECTIVITY: %d connections do not fit its %llu bytes",
			    ccount, (unsigned long long)s_conn->size);
	for (i = 0; i < (uint32_t)ccount; i++) {
		struct connection c;
		struct mem_data md;

		memcpy(&c, b + s_conn->off + offsetof(struct connectivity, m_connection) +
			      (size_t)i * sizeof(c), sizeof(c));
		if (c.m_ip_layout_index < 0 || c.m_ip_layout_index >= icount || c.mem_data_index < 0 ||
		    c.mem_data_index >= mcount || c.arg_index < 0)
			return fail(err, errlen, -EINVAL,
				    "CONNECTIVITY %u: ip %d / bank %d / arg %d out of range", i,
				    c.m_ip_layout_index, c.mem_data_index, c.arg_index);
		memcpy(&md, b + s_mem->off + offsetof(struct mem_topology, m_mem_data) +
			       (size_t)c.mem_data_index * sizeof(md), sizeof(md));
		if (!md.m_used)
			return fail(err, errlen, -EINVAL, "CONNECTIVITY %u: bank %d is marked unused", i,
				    c.mem_data_index);
		if (c.m_ip_layout_index != kernel_ip)
			continue;
		if (c.arg_index >= N_INPUTS || !inf->args[c.arg_index].global)
			return fail(err, errlen, -EINVAL,
				    "CONNECTIVITY %u connects argument %d, which is not a pointer", i,
				    c.arg_index);
		if (inf->args[c.arg_index].bank < 0)
			inf->args[c.arg_index].bank = c.mem_data_index;
	}
	for (i = 0; i < (uint32_t)N_INPUTS; i++)
		if (inf->args[i].global && inf->args[i].bank < 0)
			return fail(err, errlen, -EINVAL, "argument %s is connected to no memory bank",
				    inf->args[i].name);
	return 0;
}

/* ---- writer ------------------------------------------------------------ */

struct wbuf {
	uint8_t *p;
	size_t len, cap;
};

static int wb_reserve(struct wbuf *w, size_t more)
{
	size_t cap = w->cap ? w->cap : 4096;
	uint8_t *n;

	if (more > SIZE_MAX - w->len)
		return -EOVERFLOW;
	while (cap < w->len + more) {
		if (cap > SIZE_MAX / 2)
			return -EOVERFLOW;
		cap *= 2;
	}
	if (cap == w->cap)
		return 0;
	n = realloc(w->p, cap);
	if (!n)
		return -ENOMEM;
	memset(n + w->cap, 0, cap - w->cap);
	w->p = n;
	w->cap = cap;
	return 0;
}

/* Append len bytes at the next 8-byte boundary; returns its offset via *off. */
static int wb_section(struct wbuf *w, const void *src, size_t len, uint64_t *off)
{
	size_t pad = (8 - (w->len & 7)) & 7;
	int err = wb_reserve(w, pad + len);

	if (err)
		return err;
	w->len += pad;
	*off = w->len;
	memcpy(w->p + w->len, src, len);
	w->len += len;
	return 0;
}

static int make_xml(const struct qa_xclbin_spec *s, const char *kernel, char **out)
{
	char *x = malloc(8192);
	int n;

	if (!x)
		return -ENOMEM;
	n = snprintf(x, 8192,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<project name=\"qaccel\">\n"
		"  <platform vendor=\"xilinx\" boardid=\"qaccel\" name=\"%s\" featureRomTime=\"0\">\n"
		"    <version major=\"1\" minor=\"0\"/>\n"
		"    <description/>\n"
		"    <device name=\"fpga0\" fpgaDevice=\"qaccel\" addrWidth=\"0\">\n"
		"      <core name=\"OCL_REGION_0\" target=\"hw\" type=\"clc_region\" clockFreq=\"0MHz\" numComputeUnits=\"1\">\n"
		"        <kernel name=\"%s\" language=\"c\" vlnv=\"qaccel.org:hls:%s:1.0\" attributes=\"\" preferredWorkGroupSizeMultiple=\"0\" workGroupSize=\"1\" interrupt=\"true\" hwControlProtocol=\"ap_ctrl_hs\">\n"
		"          <port name=\"M_AXI_GMEM\" mode=\"master\" range=\"0xFFFFFFFFFFFFFFFF\" dataWidth=\"128\" portType=\"addressable\" base=\"0x0\"/>\n"
		"          <port name=\"S_AXI_CONTROL\" mode=\"slave\" range=\"0x1000\" dataWidth=\"32\" portType=\"addressable\" base=\"0x0\"/>\n"
		"          <arg name=\"desc_addr\" addressQualifier=\"1\" id=\"0\" port=\"M_AXI_GMEM\" size=\"0x8\" offset=\"0x%X\" hostOffset=\"0x0\" hostSize=\"0x8\" type=\"void*\"/>\n"
		"          <arg name=\"desc_count\" addressQualifier=\"0\" id=\"1\" port=\"S_AXI_CONTROL\" size=\"0x4\" offset=\"0x%X\" hostOffset=\"0x0\" hostSize=\"0x4\" type=\"uint\"/>\n"
		"          <arg name=\"mem_base\" addressQualifier=\"1\" id=\"2\" port=\"M_AXI_GMEM\" size=\"0x8\" offset=\"0x%X\" hostOffset=\"0x0\" hostSize=\"0x8\" type=\"void*\"/>\n"
		"          <arg name=\"version\" addressQualifier=\"0\" id=\"3\" port=\"S_AXI_CONTROL\" size=\"0x4\" offset=\"0x%X\" hostOffset=\"0x0\" hostSize=\"0x4\" type=\"unsigned int*\"/>\n"
		"          <arg name=\"config\" addressQualifier=\"0\" id=\"4\" port=\"S_AXI_CONTROL\" size=\"0x4\" offset=\"0x%X\" hostOffset=\"0x0\" hostSize=\"0x4\" type=\"unsigned int*\"/>\n"
		"          <arg name=\"cycles\" addressQualifier=\"0\" id=\"5\" port=\"S_AXI_CONTROL\" size=\"0x8\" offset=\"0x%X\" hostOffset=\"0x0\" hostSize=\"0x8\" type=\"unsigned long*\"/>\n"
		"          <arg name=\"macs\" addressQualifier=\"0\" id=\"6\" port=\"S_AXI_CONTROL\" size=\"0x8\" offset=\"0x%X\" hostOffset=\"0x0\" hostSize=\"0x8\" type=\"unsigned long*\"/>\n"
		"          <arg name=\"stalls\" addressQualifier=\"0\" id=\"7\" port=\"S_AXI_CONTROL\" size=\"0x8\" offset=\"0x%X\" hostOffset=\"0x0\" hostSize=\"0x8\" type=\"unsigned long*\"/>\n"
		"          <arg name=\"status\" addressQualifier=\"0\" id=\"8\" port=\"S_AXI_CONTROL\" size=\"0x4\" offset=\"0x%X\" hostOffset=\"0x0\" hostSize=\"0x4\" type=\"unsigned int*\"/>\n"
		"          <compileWorkGroupSize x=\"1\" y=\"1\" z=\"1\"/>\n"
		"          <maxWorkGroupSize x=\"1\" y=\"1\" z=\"1\"/>\n"
		"          <string_table/>\n"
		"          <qaccel array_rows=\"%u\" array_cols=\"%u\" core_version=\"0x%08X\" placeholder=\"%d\"/>\n"
		"          <instance name=\"%s\">\n"
		"            <addrRemap base=\"0x%llX\" range=\"0x10000\" port=\"S_AXI_CONTROL\"/>\n"
		"          </instance>\n"
		"        </kernel>\n"
		"        <connection srcType=\"core\" srcInst=\"%s\" srcPort=\"M_AXI_GMEM\" dstType=\"core\" dstInst=\"memory\" dstPort=\"%s\"/>\n"
		"      </core>\n"
		"    </device>\n"
		"  </platform>\n"
		"</project>\n",
		s->vbnv ? s->vbnv : "qaccel", kernel, kernel, QA_REG_DESC_ADDR_LO, QA_REG_DESC_COUNT,
		QA_REG_MEM_BASE_LO, QA_REG_VERSION, QA_REG_CONFIG, QA_REG_CYCLES_LO, QA_REG_MACS_LO,
		QA_REG_STALLS_LO, QA_REG_STATUS, s->array_rows, s->array_cols, QA_CORE_VERSION, s->placeholder ? 1 : 0,
		QA_XCLBIN_INSTANCE, (unsigned long long)s->cu_base, QA_XCLBIN_INSTANCE,
		s->bank_tag ? s->bank_tag : "bank0");
	if (n < 0 || n >= 8192) {
		free(x);
		return -EOVERFLOW;
	}
	*out = x;
	return 0;
}

int qa_xclbin_write(const struct qa_xclbin_spec *s, uint8_t **out, size_t *out_len, char *err,
		    size_t errlen)
{
	const char *kernel = s->kernel ? s->kernel : QA_XCLBIN_KERNEL;
	const char *tag = s->bank_tag ? s->bank_tag : "bank0";
	struct wbuf w = { 0 };
	struct axlf top;
	struct axlf_section_header sh[5];
	struct { int32_t count; int32_t pad; struct mem_data md; } mem;
	struct { int32_t count; struct connection c[2]; } conn;
	struct { int32_t count; int32_t pad; struct ip_data ip; } ipl;
	char *xml = NULL;
	uint64_t off[5];
	int e, i;

	*out = NULL;
	*out_len = 0;
	if (!s->bitstream || !s->bitstream_len)
		return fail(err, errlen, -EINVAL, "empty bitstream");
	if (strlen(kernel) + 1 + strlen(QA_XCLBIN_INSTANCE) >= sizeof(ipl.ip.m_name) ||
	    strlen(tag) >= sizeof(mem.md.m_tag) || (s->vbnv && strlen(s->vbnv) >= 64))
		return fail(err, errlen, -EINVAL, "kernel, bank or platform name too long");
	if (s->cu_base & 0xFFF)
		return fail(err, errlen, -EINVAL, "kernel base 0x%llx is not 4 KiB aligned",
			    (unsigned long long)s->cu_base);
	if (s->bank_size < 1024)
		return fail(err, errlen, -EINVAL, "memory bank smaller than 1 KiB");

	memset(&top, 0, sizeof(top));
	memcpy(top.m_magic, "xclbin2", 8);
	top.m_signature_length = -1;
	memset(top.reserved, 0xFF, sizeof(top.reserved));
	memset(top.m_keyBlock, 0xFF, sizeof(top.m_keyBlock));
	top.m_header.m_timeStamp = (uint64_t)time(NULL);
	top.m_header.m_versionMajor = 2;
	top.m_header.m_versionMinor = 13;
	top.m_header.m_versionPatch = 0;
	top.m_header.m_mode = XCLBIN_FLAT;
	snprintf((char *)top.m_header.m_platformVBNV, sizeof(top.m_header.m_platformVBNV), "%s",
		 s->vbnv ? s->vbnv : "qaccel");
	if (s->uuid) {
		memcpy(top.m_header.uuid, s->uuid, 16);
	} else {
		uint8_t u[16];

		if (getrandom(u, sizeof(u), 0) != (ssize_t)sizeof(u))
			return fail(err, errlen, -EIO, "getrandom failed");
		u[6] = (uint8_t)((u[6] & 0x0F) | 0x40); /* RFC 4122 version 4 */
		u[8] = (uint8_t)((u[8] & 0x3F) | 0x80);
		memcpy(top.m_header.uuid, u, 16);
		memcpy(&top.m_uniqueId, u, sizeof(top.m_uniqueId));
	}
	top.m_header.m_numSections = 5;

	memset(&mem, 0, sizeof(mem));
	mem.count = 1;
	mem.md.m_type = MEM_DDR4;
	mem.md.m_used = 1;
	mem.md.m_size = s->bank_size / 1024; /* KiB */
	mem.md.m_base_address = s->bank_base;
	memcpy(mem.md.m_tag, tag, strlen(tag));

	memset(&ipl, 0, sizeof(ipl));
	ipl.count = 1;
	ipl.ip.m_type = IP_KERNEL;
	ipl.ip.properties = (AP_CTRL_HS << IP_CONTROL_SHIFT) | IP_INT_ENABLE_MASK;
	ipl.ip.m_base_address = s->cu_base;
	snprintf((char *)ipl.ip.m_name, sizeof(ipl.ip.m_name), "%s:%s", kernel, QA_XCLBIN_INSTANCE);

	memset(&conn, 0, sizeof(conn));
	conn.count = 2;
	conn.c[0].arg_index = 0; /* desc_addr */
	conn.c[1].arg_index = 2; /* mem_base */

	e = make_xml(s, kernel, &xml);
	if (e)
		return fail(err, errlen, e, "metadata XML does not fit");

	/* Header and section table first; data follows, 8-byte aligned. */
	e = wb_reserve(&w, HDR_TABLE_OFF + sizeof(sh));
	if (e)
		goto out;
	w.len = HDR_TABLE_OFF + sizeof(sh);
	e = wb_section(&w, s->bitstream, s->bitstream_len, &off[0]);
	if (!e)
		e = wb_section(&w, &mem, sizeof(mem), &off[1]);
	if (!e)
		e = wb_section(&w, &conn, sizeof(conn), &off[2]);
	if (!e)
		e = wb_section(&w, &ipl, sizeof(ipl), &off[3]);
	if (!e)
		e = wb_section(&w, xml, strlen(xml), &off[4]);
	if (e)
		goto out;
	memset(sh, 0, sizeof(sh));
	sh[0].m_sectionKind = s->pdi ? PDI : BITSTREAM;
	sh[0].m_sectionSize = s->bitstream_len;
	sh[1].m_sectionKind = MEM_TOPOLOGY;
	sh[1].m_sectionSize = sizeof(mem);
	sh[2].m_sectionKind = CONNECTIVITY;
	sh[2].m_sectionSize = sizeof(conn);
	sh[3].m_sectionKind = IP_LAYOUT;
	sh[3].m_sectionSize = sizeof(ipl);
	sh[4].m_sectionKind = EMBEDDED_METADATA;
	sh[4].m_sectionSize = strlen(xml);
	for (i = 0; i < 5; i++) {
		static const char *const names[5] = { "bitstream", "mem_topology", "connectivity",
						      "ip_layout", "metadata" };

		sh[i].m_sectionOffset = off[i];
		snprintf(sh[i].m_sectionName, sizeof(sh[i].m_sectionName), "%s", names[i]);
	}
	top.m_header.m_length = w.len;
	memcpy(w.p, &top, HDR_TABLE_OFF);
	memcpy(w.p + HDR_TABLE_OFF, sh, sizeof(sh));
	e = qa_xclbin_check(w.p, w.len, kernel, NULL, err, errlen);
	if (e)
		goto out;
	*out = w.p;
	*out_len = w.len;
	w.p = NULL;
out:
	free(xml);
	free(w.p);
	if (e && err && errlen && !err[0])
		snprintf(err, errlen, "%s", strerror(-e));
	return e;
}

int qa_xclbin_read_file(const char *path, size_t max, uint8_t **out, size_t *out_len)
{
	FILE *f;
	struct stat st;
	uint8_t *p;
	int err = 0;

	*out = NULL;
	*out_len = 0;
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	if (fstat(fileno(f), &st)) {
		err = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
		goto out;
	}
	if ((uint64_t)st.st_size > max) {
		err = -EFBIG;
		goto out;
	}
	p = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!p) {
		err = -ENOMEM;
		goto out;
	}
	if (fread(p, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(p);
		err = -EIO;
		goto out;
	}
	*out = p;
	*out_len = (size_t)st.st_size;
out:
	fclose(f);
	return err;
}

int qa_xclbin_format_args(const struct qa_xclbin_info *inf, char *dst, size_t len)
{
	size_t used = 0;
	int i, n, outs = 0;

	if (len)
		dst[0] = '\0';
	for (i = 0; i < inf->n_args; i++) {
		const struct qa_xclbin_arg *a = &inf->args[i];
		char bank[40] = "";

		if (a->id >= N_INPUTS)
			continue;
		if (a->global && a->bank >= 0 && a->bank < inf->n_banks)
			snprintf(bank, sizeof(bank), " bank %d (%s)", a->bank, inf->bank_tag[a->bank]);
		n = snprintf(dst + used, len - used, "arg%u %-10s %-6s u%-2u offset 0x%02X%s\n", a->id,
			     a->name, a->global ? "global" : "scalar", a->size * 8, a->offset, bank);
		if (n < 0 || (size_t)n >= len - used)
			return -ENOSPC;
		used += (size_t)n;
	}
	/* The read-only outputs on one line: "read-only: version@0x30 ...". */
	for (i = 0; i < inf->n_args; i++) {
		const struct qa_xclbin_arg *a = &inf->args[i];

		if (a->id < N_INPUTS)
			continue;
		n = snprintf(dst + used, len - used, "%s%s@0x%02X", outs++ ? " " : "read-only: ",
			     a->name, a->offset);
		if (n < 0 || (size_t)n >= len - used)
			return -ENOSPC;
		used += (size_t)n;
	}
	if (outs) {
		if (len - used < 2)
			return -ENOSPC;
		dst[used++] = '\n';
		dst[used] = '\0';
	}
	return 0;
}
