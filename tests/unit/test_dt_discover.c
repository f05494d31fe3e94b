// SPDX-License-Identifier: MIT
/*
 * qaccel_dt_discover(): trees built here with libfdt's sequential writer,
 * expected addresses worked out by hand from the ranges in each tree.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "qa_boards.h"
#include "qaccel.h"

#define BLOB 16384

struct tree {
	char buf[BLOB];
};

static void begin(struct tree *t, uint32_t na, uint32_t ns)
{
	assert_int_equal(fdt_create(t->buf, BLOB), 0);
	assert_int_equal(fdt_finish_reservemap(t->buf), 0);
	assert_int_equal(fdt_begin_node(t->buf, ""), 0);
	assert_int_equal(fdt_property_u32(t->buf, "#address-cells", na), 0);
	assert_int_equal(fdt_property_u32(t->buf, "#size-cells", ns), 0);
}

static void finish(struct tree *t)
{
	assert_int_equal(fdt_end_node(t->buf), 0);
	assert_int_equal(fdt_finish(t->buf), 0);
}

static void cells(struct tree *t, const char *name, int n, ...)
{
	fdt32_t v[16];
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		v[i] = cpu_to_fdt32(va_arg(ap, uint32_t));
	va_end(ap);
	assert_int_equal(fdt_property(t->buf, name, v, n * 4), 0);
}

static void gic(struct tree *t, uint32_t phandle)
{
	assert_int_equal(fdt_begin_node(t->buf, "interrupt-controller@f9010000"), 0);
	assert_int_equal(fdt_property_u32(t->buf, "#interrupt-cells", 3), 0);
	assert_int_equal(fdt_property(t->buf, "interrupt-controller", NULL, 0), 0);
	assert_int_equal(fdt_property_u32(t->buf, "phandle", phandle), 0);
	assert_int_equal(fdt_end_node(t->buf), 0);
}

static void qaccel_node(struct tree *t, const char *name)
{
	assert_int_equal(fdt_begin_node(t->buf, name), 0);
	assert_int_equal(fdt_property_string(t->buf, "compatible", QACCEL_DT_COMPATIBLE), 0);
}

static int discover(struct tree *t, struct qaccel_dt_instance *in, int max, char *err)
{
	return qa_dt_discover_msg(t->buf, fdt_totalsize(t->buf), in, max, err, 256);
}

/* 1-cell bus with a non-identity ranges: 0x03c00000 on the bus is 0x43c00000. */
static void test_one_cell_bus_translates_through_ranges(void **state)
{
	struct tree *t = malloc(sizeof(*t));
	struct qaccel_dt_instance in[2];
	char err[256];

	(void)state;
	begin(t, 1, 1);
	assert_int_equal(fdt_begin_node(t->buf, "soc"), 0);
	cells(t, "#address-cells", 1, 1);
	cells(t, "#size-cells", 1, 1);
	cells(t, "ranges", 3, 0x0, 0x40000000, 0x10000000);
	qaccel_node(t, "qaccel@3c00000");
	cells(t, "reg", 2, 0x03c00000, 0x10000);
	cells(t, "qaccel,array-rows", 1, 8);
	cells(t, "qaccel,array-cols", 1, 4);
	assert_int_equal(fdt_end_node(t->buf), 0);
	assert_int_equal(fdt_end_node(t->buf), 0);
	finish(t);
	assert_int_equal(discover(t, in, 2, err), 1);
	assert_string_equal(in[0].path, "/soc/qaccel@3c00000");
	assert_int_equal(in[0].base, 0x43c00000);
	assert_int_equal(in[0].size, 0x10000);
	assert_int_equal(in[0].irq_cells, 0);
	assert_int_equal(in[0].array_rows, 8);
	assert_int_equal(in[0].array_cols, 4);
	assert_int_equal(in[0].dma_coherent, 0);
	free(t);
}

/* 2-cell bus mapped at 0x4_0000_0000; the GIC of an ancestor gives 3 cells. */
static void test_two_cell_bus_with_offset_and_interrupts(void **state)
{
	struct tree *t = malloc(sizeof(*t));
	struct qaccel_dt_instance in[1];
	char err[256];

	(void)state;
	begin(t, 2, 2);
	cells(t, "interrupt-parent", 1, 7);
	gic(t, 7);
	assert_int_equal(fdt_begin_node(t->buf, "axi"), 0);
	cells(t, "#address-cells", 1, 2);
	cells(t, "#size-cells", 1, 2);
	cells(t, "ranges", 6, 0x0, 0x0, 0x4, 0x0, 0x1, 0x0);
	qaccel_node(t, "qaccel@a0000000");
	cells(t, "reg", 4, 0x0, 0xa0000000, 0x0, 0x10000);
	cells(t, "interrupts", 3, 0, 89, 4);
	assert_int_equal(fdt_property(t->buf, "dma-coherent", NULL, 0), 0);
	assert_int_equal(fdt_property_string(t->buf, "status", "okay"), 0);
	assert_int_equal(fdt_end_node(t->buf), 0);
	assert_int_equal(fdt_end_node(t->buf), 0);
	finish(t);
	assert_int_equal(discover(t, in, 1, err), 1);
	assert_int_equal(in[0].base, 0x4a0000000ull);
	assert_int_equal(in[0].size, 0x10000);
	assert_int_equal(in[0].irq_cells, 3);
	assert_int_equal(in[0].irq[0], 0);
	assert_int_equal(in[0].irq[1], 89);
	assert_int_equal(in[0].irq[2], 4);
	assert_int_equal(in[0].dma_coherent, 1);
	free(t);
}

/* 1-cell bus under a 2-cell root, nested under another identity bus. */
static void test_mixed_cells_and_nested_buses(void **state)
{
	struct tree *t = malloc(sizeof(*t));
	struct qaccel_dt_instance in[1];
	char err[256];

	(void)state;
	begin(t, 2, 2);
	assert_int_equal(fdt_begin_node(t->buf, "outer"), 0);
	cells(t, "#address-cells", 1, 2);
	cells(t, "#size-cells", 1, 2);
	assert_int_equal(fdt_property(t->buf, "ranges", NULL, 0), 0); /* identity */
	assert_int_equal(fdt_begin_node(t->buf, "inner"), 0);
	cells(t, "#address-cells", 1, 1);
	cells(t, "#size-cells", 1, 1);
	/* child 0x0..0x1000_0000 -> parent 0x1_8000_0000 */
	cells(t, "ranges", 4, 0x0, 0x1, 0x80000000, 0x10000000);
	qaccel_node(t, "qaccel@200000");
	cells(t, "reg", 2, 0x200000, 0x1000);
	assert_int_equal(fdt_end_node(t->buf), 0);
	assert_int_equal(fdt_end_node(t->buf), 0);
	assert_int_equal(fdt_end_node(t->buf), 0);
	finish(t);
	assert_int_equal(discover(t, in, 1, err), 1);
	assert_string_equal(in[0].path, "/outer/inner/qaccel@200000");
	assert_int_equal(in[0].base, 0x180200000ull);
	assert_int_equal(in[0].size, 0x1000);
	free(t);
}

static void test_disabled_skipped_and_count_beyond_max(void **state)
{
	struct tree *t = malloc(sizeof(*t));
	struct qaccel_dt_instance in[1];
	char err[256];
	static const char *const status[] = { "okay", "disabled", "ok", NULL, "fail" };
	char name[32];
	int i;

	(void)state;
	begin(t, 1, 1);
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "qaccel@%x", 0x1000 * (i + 1));
		assert_int_equal(fdt_begin_node(t->buf, name), 0);
		assert_int_equal(fdt_property(t->buf, "compatible", "vendor,other\0qaccel,qaccel-1.0",
					      sizeof("vendor,other\0qaccel,qaccel-1.0")), 0);
		cells(t, "reg", 2, 0x1000 * (i + 1), 0x1000);
		if (status[i])
			assert_int_equal(fdt_property_string(t->buf, "status", status[i]), 0);
		assert_int_equal(fdt_end_node(t->buf), 0);
	}
	finish(t);
	assert_int_equal(discover(t, in, 1, err), 3); /* okay, ok, absent */
	assert_int_equal(in[0].base, 0x1000);
	assert_int_equal(discover(t, NULL, 0, err), 3);
	free(t);
}

/* One malformed property per tree; each must give -EINVAL with a reason. */
enum breakage {
	SHORT_REG, SHORT_INTERRUPTS, SHORT_ROWS, LONG_ADDRESS_CELLS, BAD_RANGES, UNMAPPED,
	NO_RANGES, STATUS_NOT_STRING, COMPAT_NOT_STRING, THREE_ADDRESS_CELLS, ZERO_SIZE,
	DANGLING_IRQ_PARENT, BREAKAGES
};

static void build_broken(struct tree *t, enum breakage b)
{
	begin(t, 2, 2);
	if (b != DANGLING_IRQ_PARENT)
		gic(t, 7);
	assert_int_equal(fdt_begin_node(t->buf, "axi"), 0);
	if (b == LONG_ADDRESS_CELLS)
		cells(t, "#address-cells", 2, 0, 2);
	else if (b == THREE_ADDRESS_CELLS)
		cells(t, "#address-cells", 1, 3);
	else
		cells(t, "#address-cells", 1, 2);
	cells(t, "#size-cells", 1, 2);
	if (b == BAD_RANGES)
		cells(t, "ranges", 5, 0, 0, 0, 0, 1);
	else if (b == UNMAPPED)
		cells(t, "ranges", 6, 0x0, 0x0, 0x0, 0x0, 0x0, 0x1000);
	else if (b != NO_RANGES)
		assert_int_equal(fdt_property(t->buf, "ranges", NULL, 0), 0);
	if (b == COMPAT_NOT_STRING) {
		assert_int_equal(fdt_begin_node(t->buf, "qaccel@a0000000"), 0);
		assert_int_equal(fdt_property(t->buf, "compatible", "qaccel,qaccel-1.0", 17), 0);
	} else {
		qaccel_node(t, "qaccel@a0000000");
	}
	if (b == SHORT_REG)
		cells(t, "reg", 2, 0xa0000000, 0x10000);
	else if (b == THREE_ADDRESS_CELLS)
		cells(t, "reg", 5, 0, 0, 0xa0000000, 0, 0x10000);
	else if (b == ZERO_SIZE)
		cells(t, "reg", 4, 0, 0xa0000000, 0, 0);
	else
		cells(t, "reg", 4, 0, 0xa0000000, 0, 0x10000);
	cells(t, "interrupt-parent", 1, 7);
	if (b == SHORT_INTERRUPTS)
		cells(t, "interrupts", 2, 0, 89);
	else
		cells(t, "interrupts", 3, 0, 89, 4);
	if (b == SHORT_ROWS)
		assert_int_equal(fdt_property(t->buf, "qaccel,array-rows", "\0\x10", 2), 0);
	if (b == STATUS_NOT_STRING)
		assert_int_equal(fdt_property(t->buf, "status", "okay", 4), 0);
	assert_int_equal(fdt_end_node(t->buf), 0);
	assert_int_equal(fdt_end_node(t->buf), 0);
	finish(t);
}

static void test_malformed_properties_are_rejected_with_a_reason(void **state)
{
	struct tree *t = malloc(sizeof(*t));
	struct qaccel_dt_instance in[1];
	char err[256];
	int b;

	(void)state;
	build_broken(t, BREAKAGES); /* control: the same tree unbroken is fine */
	assert_int_equal(discover(t, in, 1, err), 1);
	for (b = 0; b < BREAKAGES; b++) {
		build_broken(t, (enum breakage)b);
		err[0] = '\0';
		if (discover(t, in, 1, err) != -EINVAL)
			fail_msg("breakage %d accepted", b);
		assert_true(err[0] != '\0');
		assert_int_equal(qaccel_dt_discover(t->buf, fdt_totalsize(t->buf), in, 1), -EINVAL);
	}
	build_broken(t, SHORT_REG);
	discover(t, in, 1, err);
	assert_non_null(strstr(err, "/axi/qaccel@a0000000: reg is 8 bytes"));
	free(t);
}

static void test_bad_headers_and_sizes_are_rejected(void **state)
{
	struct tree *t = malloc(sizeof(*t));
	struct qaccel_dt_instance in[1];
	char err[256];
	uint32_t size;

	(void)state;
	build_broken(t, BREAKAGES);
	size = fdt_totalsize(t->buf);
	assert_int_equal(qa_dt_discover_msg(t->buf, size - 1, in, 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "truncated"));
	assert_int_equal(qa_dt_discover_msg(t->buf, 20, in, 1, err, sizeof(err)), -EINVAL);
	assert_int_equal(qaccel_dt_discover(NULL, size, in, 1), -EINVAL);
	assert_int_equal(qaccel_dt_discover(t->buf, size, NULL, 1), -EINVAL);
	assert_int_equal(qaccel_dt_discover(t->buf, size, in, -1), -EINVAL);
	t->buf[0] ^= 0x40; /* magic */
	assert_int_equal(qa_dt_discover_msg(t->buf, size, in, 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "bad FDT header"));
	t->buf[0] ^= 0x40;
	/* version 16 and older: refused (libfdt 1.6.1 crashes on some of them) */
	((fdt32_t *)t->buf)[5] = cpu_to_fdt32(16);
	assert_int_equal(qa_dt_discover_msg(t->buf, size, in, 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "version 16"));
	((fdt32_t *)t->buf)[5] = cpu_to_fdt32(17);
	/* a property length that wraps libfdt's int offsets (it loops forever on this) */
	{
		int node = fdt_path_offset(t->buf, "/axi/qaccel@a0000000");
		int prop = fdt_first_property_offset(t->buf, node);
		fdt32_t *lenp = (fdt32_t *)(t->buf + fdt_off_dt_struct(t->buf) + prop + 4);
		fdt32_t saved = *lenp;

		assert_true(prop > 0);
		*lenp = cpu_to_fdt32(0xFFFFFFF0u);
		assert_int_equal(qa_dt_discover_msg(t->buf, size, in, 1, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "runs past the structure block"));
		*lenp = saved;
		assert_int_equal(qaccel_dt_discover(t->buf, size, in, 1), 1);
	}
	/* structure block offset past the end */
	((fdt32_t *)t->buf)[2] = cpu_to_fdt32(size + 64);
	assert_int_equal(qaccel_dt_discover(t->buf, size, in, 1), -EINVAL);
	free(t);
}

/* Every truncation of a valid tree is rejected or, if still valid, read safely. */
static void test_every_truncation_is_safe(void **state)
{
	struct tree *t = malloc(sizeof(*t));
	struct qaccel_dt_instance in[2];
	uint32_t size, n;
	int rejected = 0;

	(void)state;
	build_broken(t, BREAKAGES);
	size = fdt_totalsize(t->buf);
	for (n = 0; n < size; n++) {
		char *copy = malloc(n ? n : 1);

		memcpy(copy, t->buf, n);
		if (qaccel_dt_discover(copy, n, in, 2) == -EINVAL)
			rejected++;
		free(copy);
	}
	assert_int_equal(rejected, (int)size); /* the header's totalsize catches all */
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_cell_bus_translates_through_ranges),
		cmocka_unit_test(test_two_cell_bus_with_offset_and_interrupts),
		cmocka_unit_test(test_mixed_cells_and_nested_buses),
		cmocka_unit_test(test_disabled_skipped_and_count_beyond_max),
		cmocka_unit_test(test_malformed_properties_are_rejected_with_a_reason),
		cmocka_unit_test(test_bad_headers_and_sizes_are_rejected),
		cmocka_unit_test(test_every_truncation_is_safe),
	};

	return cmocka_run_group_tests_name("dt discovery", tests, NULL, NULL);
}
