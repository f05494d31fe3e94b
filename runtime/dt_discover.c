// SPDX-License-Identifier: MIT
/*
 * Board discovery from a flattened device tree (libfdt).
 *
 * The blob is untrusted (a file named on the command line, or whatever the
 * firmware left in /sys/firmware/fdt): its size is checked against the
 * header, fdt_check_full() validates the whole structure block before any
 * traversal, the walk keeps its own bounded stack of ancestors, and every
 * property's length is checked before a cell of it is read.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "qa_boards.h"
#include "qa_internal.h"

#define DT_MAX_DEPTH 32
#define DT_MAX_CELLS 2   /* addresses and sizes are read into 64 bits */

struct dt_ctx {
	const void *fdt;
	char *err;
	size_t errlen;
	int node;
};

static int dt_fail(struct dt_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int dt_fail(struct dt_ctx *c, const char *fmt, ...)
{
	va_list ap;
	char path[128] = "?";
	size_t n;

	if (!c->err || !c->errlen)
		return -EINVAL;
	if (c->node >= 0 && fdt_get_path(c->fdt, c->node, path, sizeof(path)))
		snprintf(path, sizeof(path), "node at offset %d", c->node);
	n = (size_t)snprintf(c->err, c->errlen, "%s: ", path);
	if (n < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* A property of exactly `cells` 32-bit cells, or absent (-ENOENT). */
static int get_u32(struct dt_ctx *c, int node, const char *name, uint32_t *v)
{
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, node, name, &len);

	if (!p)
		return len == -FDT_ERR_NOTFOUND ? -ENOENT : dt_fail(c, "%s: %s", name, fdt_strerror(len));
	if (len != 4)
		return dt_fail(c, "%s is %d bytes, expected 4", name, len);
	*v = fdt32_ld(p);
	return 0;
}

/* #address-cells / #size-cells of a bus node, with the spec defaults (2, 1). */
static int bus_cells(struct dt_ctx *c, int bus, uint32_t *na, uint32_t *ns)
{
	int e;
	int saved = c->node;

	c->node = bus;
	*na = 2;
	*ns = 1;
	e = get_u32(c, bus, "#address-cells", na);
	if (e && e != -ENOENT)
		goto out;
	e = get_u32(c, bus, "#size-cells", ns);
	if (e && e != -ENOENT)
		goto out;
	e = 0;
	if (*na < 1 || *na > DT_MAX_CELLS || *ns > DT_MAX_CELLS)
		e = dt_fail(c, "#address-cells %u / #size-cells %u not supported (1..2 / 0..2)", *na,
			    *ns);
out:
	c->node = saved;
	return e;
}

static uint64_t read_cells(const fdt32_t *p, uint32_t n)
{
	uint64_t v = 0;
	uint32_t i;

	for (i = 0; i < n; i++)
		v = (v << 32) | fdt32_ld(p + i);
	return v;
}

/* Translate addr through the ranges of every bus from stack[depth-1] up to the root. */
static int translate(struct dt_ctx *c, const int *stack, int depth, uint64_t *addr,
		     uint64_t size)
{
	int k;

	for (k = depth - 1; k >= 1; k--) {
		int bus = stack[k], len, i, n, found = 0;
		uint32_t na_c, ns_c, na_p, ns_p, entry;
		const fdt32_t *r;
		int e = bus_cells(c, bus, &na_c, &ns_c);

		if (!e)
			e = bus_cells(c, stack[k - 1], &na_p, &ns_p);
		if (e)
			return e;
		r = fdt_getprop(c->fdt, bus, "ranges", &len);
		if (!r) {
			c->node = bus;
			return dt_fail(c, "bus has no ranges: its children are not memory-mapped");
		}
		if (!len)
			continue; /* identity */
		entry = (na_c + na_p + ns_c) * 4;
		if (!ns_c || len < 0 || (uint32_t)len % entry) {
			c->node = bus;
			return dt_fail(c, "ranges is %d bytes, not a multiple of %u", len, entry);
		}
		n = (int)((uint32_t)len / entry);
		for (i = 0; i < n && !found; i++) {
			const fdt32_t *e0 = r + (size_t)i * (entry / 4);
			uint64_t cb = read_cells(e0, na_c);
			uint64_t pb = read_cells(e0 + na_c, na_p);
			uint64_t sz = read_cells(e0 + na_c + na_p, ns_c);

			if (*addr >= cb && *addr - cb < sz && size <= sz - (*addr - cb)) {
				uint64_t off = *addr - cb;

				if (pb > UINT64_MAX - off) {
					c->node = bus;
					return dt_fail(c, "ranges entry %d overflows 64 bits", i);
				}
				*addr = pb + off;
				found = 1;
			}
		}
		if (!found) {
			c->node = bus;
			return dt_fail(c, "no ranges entry maps 0x%llx (+0x%llx)",
				       (unsigned long long)*addr, (unsigned long long)size);
		}
	}
	return 0;
}

/* #interrupt-cells of the node's interrupt parent (walking up for interrupt-parent). */
static int irq_cells(struct dt_ctx *c, const int *stack, int depth, uint32_t *cells)
{
	int k, len;

	for (k = depth; k >= 0; k--) {
		const fdt32_t *p = fdt_getprop(c->fdt, stack[k], "interrupt-parent", &len);
		int ip, e;
		uint32_t v;

		if (!p)
			continue;
		if (len != 4)
			return dt_fail(c, "interrupt-parent is %d bytes, expected 4", len);
		ip = fdt_node_offset_by_phandle(c->fdt, fdt32_ld(p));
		if (ip < 0)
			return dt_fail(c, "interrupt-parent 0x%x names no node", fdt32_ld(p));
		c->node = ip;
		e = get_u32(c, ip, "#interrupt-cells", &v);
		c->node = stack[depth];
		if (e == -ENOENT)
			return dt_fail(c, "interrupt controller has no #interrupt-cells");
		if (e)
			return e;
		if (v < 1 || v > 3)
			return dt_fail(c, "#interrupt-cells %u not supported (1..3)", v);
		*cells = v;
		return 0;
	}
	*cells = 0;
	return 0;
}

/* status absent, "okay" or "ok". A status that is not a string is malformed. */
static int node_enabled(struct dt_ctx *c, int node, int *enabled)
{
	int len;
	const char *s = fdt_getprop(c->fdt, node, "status", &len);

	*enabled = 1;
	if (!s)
		return 0;
	if (len < 1 || s[len - 1] != '\0')
		return dt_fail(c, "status is not a NUL-terminated string");
	*enabled = !strcmp(s, "okay") || !strcmp(s, "ok");
	return 0;
}

static int fill_instance(struct dt_ctx *c, const int *stack, int depth,
			 struct qaccel_dt_instance *in)
{
	int node = stack[depth], len, e;
	const fdt32_t *reg, *irq;
	uint32_t na, ns, cells = 0;

	memset(in, 0, sizeof(*in));
	e = fdt_get_path(c->fdt, node, in->path, sizeof(in->path));
	if (e)
		return dt_fail(c, "path: %s", fdt_strerror(e));
	if (depth < 1)
		return dt_fail(c, "the root node cannot be the accelerator");
	e = bus_cells(c, stack[depth - 1], &na, &ns);
	if (e)
		return e;
	reg = fdt_getprop(c->fdt, node, "reg", &len);
	if (!reg)
		return dt_fail(c, "no reg property");
	if (!ns)
		return dt_fail(c, "parent bus has #size-cells 0: reg gives no size");
	if (len < 0 || (uint32_t)len < (na + ns) * 4 || (uint32_t)len % ((na + ns) * 4))
		return dt_fail(c, "reg is %d bytes, expected a multiple of %u", len, (na + ns) * 4);
	in->base = read_cells(reg, na);
	in->size = read_cells(reg + na, ns);
	if (!in->size)
		return dt_fail(c, "reg size is 0");
	if (in->base > UINT64_MAX - in->size)
		return dt_fail(c, "reg 0x%llx + 0x%llx overflows", (unsigned long long)in->base,
			       (unsigned long long)in->size);
	e = translate(c, stack, depth, &in->base, in->size);
	c->node = node;
	if (e)
		return e;

	irq = fdt_getprop(c->fdt, node, "interrupts", &len);
	if (irq) {
		e = irq_cells(c, stack, depth, &cells);
		if (e)
			return e;
		if (!cells) {
			if (len < 4 || len > 12 || len % 4)
				return dt_fail(c, "interrupts is %d bytes and no interrupt parent", len);
			cells = (uint32_t)len / 4;
		}
		if (len < 0 || (uint32_t)len < cells * 4 || (uint32_t)len % (cells * 4))
			return dt_fail(c, "interrupts is %d bytes, expected a multiple of %u", len,
				       cells * 4);
		in->irq_cells = cells;
		for (uint32_t i = 0; i < cells; i++)
			in->irq[i] = fdt32_ld(irq + i);
	} else if (len != -FDT_ERR_NOTFOUND) {
		return dt_fail(c, "interrupts: %s", fdt_strerror(len));
	}

	e = get_u32(c, node, "qaccel,array-rows", &in->array_rows);
	if (e && e != -ENOENT)
		return e;
	e = get_u32(c, node, "qaccel,array-cols", &in->array_cols);
	if (e && e != -ENOENT)
		return e;
	if (in->array_rows > 255 || in->array_cols > 255)
		return dt_fail(c, "array %ux%u exceeds the 255x255 the CONFIG register can hold",
			       in->array_rows, in->array_cols);
	in->dma_coherent = fdt_getprop(c->fdt, node, "dma-coherent", &len) != NULL;
	return 0;
}

static uint32_t be32_at(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/*
 * Our own bounded walk of the structure block, before libfdt's: libfdt
 * 1.6.1's fdt_check_full() loops forever when a property length makes its
 * int offset wrap (found by tests/fuzz/fuzz_dt.c; regression input
 * tests/fuzz/regress/dt-libfdt-check-full-loop.dtb). Every step here
 * advances, every length is checked against the block in 64-bit
 * arithmetic, and property names must lie in the strings block.
 */
static int check_structure(struct dt_ctx *c, const uint8_t *b, uint32_t total)
{
	uint64_t so = fdt_off_dt_struct(b), ss = fdt_size_dt_struct(b);
	uint64_t to = fdt_off_dt_strings(b), ts = fdt_size_dt_strings(b);
	uint64_t pos = 0;
	int depth = 0, nodes = 0;

	if (so + ss > total || to + ts > total || (so & 3))
		return dt_fail(c, "structure or strings block outside the blob");
	for (;;) {
		uint32_t tag;

		if (ss - pos < 4)
			return dt_fail(c, "structure block ends without FDT_END");
		tag = be32_at(b + so + pos);
		pos += 4;
		switch (tag) {
		case FDT_BEGIN_NODE: {
			const uint8_t *name = b + so + pos;
			const uint8_t *nul = memchr(name, '\0', (size_t)(ss - pos));

			if (!nul)
				return dt_fail(c, "node name runs past the structure block");
			pos += (uint64_t)(nul - name) + 1;
			pos = (pos + 3) & ~(uint64_t)3;
			if (++depth > DT_MAX_DEPTH)
				return dt_fail(c, "tree nests deeper than %d", DT_MAX_DEPTH);
			nodes++;
			break;
		}
		case FDT_END_NODE:
			if (--depth < 0)
				return dt_fail(c, "unbalanced FDT_END_NODE");
			break;
		case FDT_PROP: {
			uint32_t len, nameoff;

			if (ss - pos < 8)
				return dt_fail(c, "property header runs past the structure block");
			len = be32_at(b + so + pos);
			nameoff = be32_at(b + so + pos + 4);
			pos += 8;
			if (len > ss - pos)
				return dt_fail(c, "property of %u bytes runs past the structure block", len);
			if (nameoff >= ts || !memchr(b + to + nameoff, '\0', (size_t)(ts - nameoff)))
				return dt_fail(c, "property name offset %u outside the strings block", nameoff);
			pos += len;
			pos = (pos + 3) & ~(uint64_t)3;
			if (depth < 1)
				return dt_fail(c, "property outside any node");
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			if (depth || nodes < 1)
				return dt_fail(c, "structure block ends inside a node");
			return 0;
		default:
			return dt_fail(c, "unknown structure tag 0x%x", tag);
		}
		if (pos > ss)
			return dt_fail(c, "structure block overrun");
	}
}

int qa_dt_discover_msg(const void *blob, size_t blob_size, struct qaccel_dt_instance *out,
		       int max, char *err, size_t errlen)
{
	struct dt_ctx c = { blob, err, errlen, -1 };
	int stack[DT_MAX_DEPTH + 1];
	int node = 0, depth = 0, found = 0, e;

	if (err && errlen)
		err[0] = '\0';
	if (!blob || max < 0 || (max > 0 && !out))
		return -EINVAL;
	if (blob_size < sizeof(struct fdt_header))
		return dt_fail(&c, "blob of %zu bytes is smaller than an FDT header", blob_size);
	e = fdt_check_header(blob);
	if (e)
		return dt_fail(&c, "bad FDT header: %s", fdt_strerror(e));
	if (fdt_totalsize(blob) > blob_size)
		return dt_fail(&c, "header says %u bytes, the blob has %zu (truncated)",
			       fdt_totalsize(blob), blob_size);
	if (blob_size > INT32_MAX)
		return dt_fail(&c, "blob larger than 2 GiB");
	/*
	 * Only version 17 (what dtc and every kernel since 2.6.2x write):
	 * libfdt 1.6.1's fdt_check_full() dereferences NULL on some version
	 * < 16 blobs (full-path node names), found by tests/fuzz/fuzz_dt.c;
	 * regression input tests/fuzz/regress/dt-libfdt-check-full-null.dtb.
	 */
	if (fdt_version(blob) < 17)
		return dt_fail(&c, "FDT version %u is too old (17 needed)", fdt_version(blob));
	e = check_structure(&c, blob, fdt_totalsize(blob));
	if (e)
		return e;
	e = fdt_check_full(blob, fdt_totalsize(blob));
	if (e)
		return dt_fail(&c, "malformed device tree: %s", fdt_strerror(e));

	stack[0] = 0;
	for (;;) {
		int len, enabled;
		const char *compat;

		node = fdt_next_node(blob, node, &depth);
		if (node < 0) {
			if (node != -FDT_ERR_NOTFOUND)
				return dt_fail(&c, "walking the tree: %s", fdt_strerror(node));
			break;
		}
		if (depth < 0)
			break;
		if (depth > DT_MAX_DEPTH)
			return dt_fail(&c, "tree nests deeper than %d", DT_MAX_DEPTH);
		stack[depth] = node;
		c.node = node;
		compat = fdt_getprop(blob, node, "compatible", &len);
		if (!compat)
			continue;
		if (len < 1 || compat[len - 1] != '\0') {
			/* A compatible that is not a string list is malformed wherever it is. */
			return dt_fail(&c, "compatible is not a NUL-terminated string list");
		}
		if (!fdt_stringlist_contains(compat, len, QACCEL_DT_COMPATIBLE))
			continue;
		e = node_enabled(&c, node, &enabled);
		if (e)
			return e;
		if (!enabled)
			continue;
		if (found < max) {
			e = fill_instance(&c, stack, depth, &out[found]);
			if (e)
				return e;
		} else {
			struct qaccel_dt_instance tmp;

			e = fill_instance(&c, stack, depth, &tmp);
			if (e)
				return e;
		}
		if (found == INT32_MAX)
			return dt_fail(&c, "too many instances");
		found++;
	}
	return found;
}

QA_EXPORT int qaccel_dt_discover(const void *blob, size_t blob_size,
				 struct qaccel_dt_instance *out, int max)
{
	return qa_dt_discover_msg(blob, blob_size, out, max, NULL, 0);
}

int qa_dt_read_file(const char *path, void **blob, size_t *len)
{
	FILE *f;
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;
	int err = 0;

	*blob = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	for (;;) {
		size_t got;

		if (n == cap) {
			uint8_t *nb;

			if (cap >= QA_DT_MAX_BLOB) {
				err = -EFBIG;
				break;
			}
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				err = -ENOMEM;
				break;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f))
				err = -EIO;
			break;
		}
	}
	fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	*blob = buf;
	*len = n;
	return 0;
}

int qa_dt_report(const char *path, char *dst, size_t len)
{
	struct qaccel_dt_instance inst[16];
	char err[256];
	void *blob;
	size_t blen, used = 0;
	int n, i, e;

	if (!len)
		return -EINVAL;
	dst[0] = '\0';
	e = qa_dt_read_file(path, &blob, &blen);
	if (e) {
		snprintf(dst, len, "%s: %s", path, e == -EFBIG ? "larger than 64 MiB" : strerror(-e));
		return e;
	}
	n = qa_dt_discover_msg(blob, blen, inst, 16, err, sizeof(err));
	free(blob);
	if (n < 0) {
		snprintf(dst, len, "%s: invalid device tree: %s", path, err);
		return n;
	}
	used = (size_t)snprintf(dst, len, "%s: %d qaccel instance%s (%s)\n", path, n,
				n == 1 ? "" : "s", QACCEL_DT_COMPATIBLE);
	for (i = 0; i < n && i < 16 && used < len; i++) {
		const struct qaccel_dt_instance *in = &inst[i];
		char irq[64] = "none";
		int w;

		if (in->irq_cells == 3)
			snprintf(irq, sizeof(irq), "<%u %u %u>", in->irq[0], in->irq[1], in->irq[2]);
		else if (in->irq_cells == 2)
			snprintf(irq, sizeof(irq), "<%u %u>", in->irq[0], in->irq[1]);
		else if (in->irq_cells == 1)
			snprintf(irq, sizeof(irq), "<%u>", in->irq[0]);
		w = snprintf(dst + used, len - used,
			     "instance %d: %s\n  base: 0x%llx\n  size: 0x%llx\n  interrupts: %s\n"
			     "  array: %ux%u\n  dma-coherent: %s\n",
			     i, in->path, (unsigned long long)in->base, (unsigned long long)in->size,
			     irq, in->array_rows, in->array_cols, in->dma_coherent ? "yes" : "no");
		if (w < 0)
			break;
		used += (size_t)w;
	}
	if (n > 16 && used < len)
		snprintf(dst + used, len - used, "(%d more not shown)\n", n - 16);
	return n;
}
