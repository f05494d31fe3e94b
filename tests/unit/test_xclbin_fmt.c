// SPDX-License-Identifier: MIT
/*
 * The xclbin writer and validator (tools/xclbin_fmt.c). The writer's output
 * is checked field by field through XRT's own struct layout (xrt/xclbin.h),
 * not through our validator; the validator is then fed targeted
 * corruptions, each of which must be rejected with a reason.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <xrt/xclbin.h>

#include "qa_boards.h"
#include "qaccel.h"
#include "xclbin_fmt.h"

#define SEC(i) (offsetof(struct axlf, m_sections) + (size_t)(i) * sizeof(struct axlf_section_header))

static uint8_t *make(size_t *len)
{
	static const char bits[] = "placeholder bitstream for tests";
	struct qa_xclbin_spec s;
	uint8_t *x;
	char err[256];

	memset(&s, 0, sizeof(s));
	s.bitstream = bits;
	s.bitstream_len = sizeof(bits);
	s.cu_base = 0xA0000000ull;
	s.bank_size = 1ull << 31;
	s.array_rows = 16;
	s.array_cols = 8;
	assert_int_equal(qa_xclbin_write(&s, &x, len, err, sizeof(err)), 0);
	return x;
}

static struct axlf_section_header section(const uint8_t *x, uint32_t kind, int *index)
{
	struct axlf top;
	struct axlf_section_header h;
	uint32_t i;

	memcpy(&top, x, sizeof(top));
	for (i = 0; i < top.m_header.m_numSections; i++) {
		memcpy(&h, x + SEC(i), sizeof(h));
		if (h.m_sectionKind == kind) {
			if (index)
				*index = (int)i;
			return h;
		}
	}
	fail_msg("section kind %u missing", kind);
	memset(&h, 0, sizeof(h));
	return h;
}

static void test_writer_output_has_the_xrt_layout(void **state)
{
	uint8_t *x, *y;
	size_t len, len2;
	struct axlf top;
	struct axlf_section_header h;
	struct ip_data ip;
	struct connection c[2];
	int32_t n;
	uint32_t i;

	(void)state;
	x = make(&len);
	memcpy(&top, x, sizeof(top));
	assert_memory_equal(top.m_magic, "xclbin2\0", 8);
	assert_int_equal(top.m_header.m_length, len);
	assert_int_equal(top.m_header.m_numSections, 5);
	assert_int_equal(top.m_signature_length, -1);
	assert_int_equal(top.m_header.uuid[6] >> 4, 4);      /* RFC 4122 v4 */
	assert_int_equal(top.m_header.uuid[8] & 0xC0, 0x80);
	for (i = 0; i < 5; i++) {
		memcpy(&h, x + SEC(i), sizeof(h));
		assert_int_equal(h.m_sectionOffset % 8, 0);
		assert_true(h.m_sectionOffset + h.m_sectionSize <= len);
	}
	h = section(x, BITSTREAM, NULL);
	assert_memory_equal(x + h.m_sectionOffset, "placeholder bitstream", 21);
	h = section(x, IP_LAYOUT, NULL);
	memcpy(&n, x + h.m_sectionOffset, 4);
	assert_int_equal(n, 1);
	memcpy(&ip, x + h.m_sectionOffset + offsetof(struct ip_layout, m_ip_data), sizeof(ip));
	assert_int_equal(ip.m_type, IP_KERNEL);
	assert_int_equal(ip.m_base_address, 0xA0000000ull);
	assert_int_equal((ip.properties & IP_CONTROL_MASK) >> IP_CONTROL_SHIFT, AP_CTRL_HS);
	assert_string_equal((const char *)ip.m_name, "qaccel_top:qaccel_top_1");
	h = section(x, CONNECTIVITY, NULL);
	memcpy(&n, x + h.m_sectionOffset, 4);
	assert_int_equal(n, 2);
	memcpy(c, x + h.m_sectionOffset + offsetof(struct connectivity, m_connection), sizeof(c));
	assert_int_equal(c[0].arg_index, 0);
	assert_int_equal(c[1].arg_index, 2);
	h = section(x, EMBEDDED_METADATA, NULL);
	{
		char *xml = calloc(1, h.m_sectionSize + 1);

		memcpy(xml, x + h.m_sectionOffset, h.m_sectionSize);
		assert_non_null(strstr(xml, "<arg name=\"desc_addr\" addressQualifier=\"1\" id=\"0\" port=\"M_AXI_GMEM\" size=\"0x8\" offset=\"0x10\""));
		assert_non_null(strstr(xml, "<arg name=\"desc_count\" addressQualifier=\"0\" id=\"1\" port=\"S_AXI_CONTROL\" size=\"0x4\" offset=\"0x1C\""));
		assert_non_null(strstr(xml, "<arg name=\"mem_base\" addressQualifier=\"1\" id=\"2\" port=\"M_AXI_GMEM\" size=\"0x8\" offset=\"0x24\""));
		assert_non_null(strstr(xml, "hwControlProtocol=\"ap_ctrl_hs\""));
		free(xml);
	}
	/* a second file gets a fresh UUID */
	y = make(&len2);
	assert_memory_not_equal(x + offsetof(struct axlf, m_header) + offsetof(struct axlf_header, uuid),
				y + offsetof(struct axlf, m_header) + offsetof(struct axlf_header, uuid), 16);
	free(y);
	free(x);
}

static void test_validator_accepts_and_reports(void **state)
{
	struct qa_xclbin_info inf;
	uint8_t *x;
	size_t len;
	char err[256] = "";

	(void)state;
	x = make(&len);
	assert_int_equal(qa_xclbin_check(x, len, NULL, &inf, err, sizeof(err)), 0);
	assert_string_equal(inf.kernel, "qaccel_top");
	assert_string_equal(inf.cu_name, "qaccel_top:qaccel_top_1");
	assert_int_equal(inf.cu_base, 0xA0000000ull);
	assert_int_equal(inf.n_args, 9);
	assert_int_equal(inf.args[3].offset, 0x30);
	assert_int_equal(inf.args[8].offset, 0x64);
	assert_int_equal(inf.args[8].size, 4);
	assert_int_equal(inf.args[0].offset, 0x10);
	assert_int_equal(inf.args[1].offset, 0x1C);
	assert_int_equal(inf.args[2].offset, 0x24);
	assert_int_equal(inf.args[0].bank, 0);
	assert_int_equal(inf.args[1].bank, -1);
	assert_int_equal(inf.array_rows, 16);
	assert_int_equal(inf.array_cols, 8);
	assert_int_equal(qa_xclbin_check(x, len, "nosuch", &inf, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no kernel 'nosuch'"));
	free(x);
}

static void expect_reject(const uint8_t *x, size_t len, const char *words)
{
	char err[256] = "";

	assert_int_not_equal(qa_xclbin_check(x, len, NULL, NULL, err, sizeof(err)), 0);
	assert_true(err[0] != '\0');
	if (!strstr(err, words))
		fail_msg("error '%s' lacks '%s'", err, words);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void test_targeted_corruptions_are_rejected(void **state)
{
	uint8_t *x, *y;
	size_t len;
	struct axlf_section_header h;
	int idx;
	char *p;

	(void)state;
	x = make(&len);
	y = malloc(len);
#define FRESH() memcpy(y, x, len)
	FRESH(); y[3] = 'X';
	expect_reject(y, len, "bad magic");
	FRESH();
	expect_reject(y, len - 1, "truncated");
	expect_reject(y, 100, "truncated");
	FRESH(); put32(y + offsetof(struct axlf, m_header) + offsetof(struct axlf_header, m_numSections), 0);
	expect_reject(y, len, "0 sections");
	FRESH(); put32(y + offsetof(struct axlf, m_header) + offsetof(struct axlf_header, m_numSections), 60);
	expect_reject(y, len, "");
	FRESH(); put64(y + SEC(1) + offsetof(struct axlf_section_header, m_sectionOffset), len);
	expect_reject(y, len, "outside");
	FRESH(); put64(y + SEC(1) + offsetof(struct axlf_section_header, m_sectionSize), UINT64_MAX);
	expect_reject(y, len, "outside");
	FRESH(); put64(y + SEC(1) + offsetof(struct axlf_section_header, m_sectionOffset), 16);
	expect_reject(y, len, "outside"); /* inside the header table */
	FRESH(); h = section(y, MEM_TOPOLOGY, &idx);
	put64(y + SEC(idx) + offsetof(struct axlf_section_header, m_sectionOffset), h.m_sectionOffset + 4);
	expect_reject(y, len, "aligned");
	/* two sections overlapping */
	FRESH(); h = section(y, BITSTREAM, &idx);
	put64(y + SEC(idx) + offsetof(struct axlf_section_header, m_sectionSize), h.m_sectionSize + 64);
	expect_reject(y, len, "overlap");
	/* counts larger than their sections */
	FRESH(); h = section(y, MEM_TOPOLOGY, NULL);
	put32(y + h.m_sectionOffset, 2);
	expect_reject(y, len, "MEM_TOPOLOGY");
	FRESH(); h = section(y, IP_LAYOUT, NULL);
	put32(y + h.m_sectionOffset, 0x7fffffff);
	expect_reject(y, len, "IP_LAYOUT");
	FRESH(); h = section(y, CONNECTIVITY, NULL);
	put32(y + h.m_sectionOffset, 3);
	expect_reject(y, len, "CONNECTIVITY");
	/* connectivity pointing at a bank that does not exist */
	FRESH(); h = section(y, CONNECTIVITY, NULL);
	put32(y + h.m_sectionOffset + 4 + offsetof(struct connection, mem_data_index), 5);
	expect_reject(y, len, "out of range");
	/* connecting the scalar */
	FRESH(); h = section(y, CONNECTIVITY, NULL);
	put32(y + h.m_sectionOffset + 4 + offsetof(struct connection, arg_index), 1);
	expect_reject(y, len, "not a pointer");
	/* ap_ctrl_chain compute unit */
	FRESH(); h = section(y, IP_LAYOUT, NULL);
	put32(y + h.m_sectionOffset + 8 + offsetof(struct ip_data, properties),
	      AP_CTRL_CHAIN << IP_CONTROL_SHIFT);
	expect_reject(y, len, "AP_CTRL_HS");
	/* unterminated IP name */
	FRESH(); h = section(y, IP_LAYOUT, NULL);
	memset(y + h.m_sectionOffset + 8 + offsetof(struct ip_data, m_name), 'A', 64);
	expect_reject(y, len, "NUL");
	/* XML: argument size, kernel protocol, broken markup */
	FRESH(); h = section(y, EMBEDDED_METADATA, NULL);
	p = (char *)y + h.m_sectionOffset;
	memcpy(strstr(p, "size=\"0x4\""), "size=\"0x8\"", 10);
	expect_reject(y, len, "desc_count at offset 0x1C size 8");
	FRESH(); p = (char *)y + h.m_sectionOffset;
	memcpy(strstr(p, "ap_ctrl_hs"), "ap_ctrl_ch", 10);
	expect_reject(y, len, "ap_ctrl_ch");
	FRESH(); p = (char *)y + h.m_sectionOffset;
	memcpy(strstr(p, "addressQualifier=\"1\" id=\"2\""), "addressQualifier=\"0\" id=\"2\"", 27);
	expect_reject(y, len, "mem_base must be a global pointer");
	FRESH(); p = (char *)y + h.m_sectionOffset;
	memcpy(strstr(p, "offset=\"0x64\""), "offset=\"0x68\"", 13);
	expect_reject(y, len, "status at offset 0x68");
	FRESH(); p = (char *)y + h.m_sectionOffset;
	memcpy(strstr(p, "id=\"8\""), "id=\"9\"", 6);
	expect_reject(y, len, "has id 9");
	FRESH(); p = (char *)y + h.m_sectionOffset;
	memcpy(strstr(p, "id=\"1\""), "id=\"7\"", 6);
	expect_reject(y, len, "argument 7 is 'desc_count'");
	FRESH(); p = (char *)y + h.m_sectionOffset;
	*strstr(p, "</kernel>") = ' ';
	expect_reject(y, len, "metadata XML");
	FRESH(); p = (char *)y + h.m_sectionOffset;
	*strstr(p, "name=\"desc_addr\"") = '\0';
	expect_reject(y, len, "metadata XML");
#undef FRESH
	free(y);
	free(x);
}

/* Each truncation must be rejected; each single-byte flip rejected or read safely. */
static void test_truncations_and_byte_flips(void **state)
{
	uint8_t *x, *y;
	size_t len, n, i;
	int accepted = 0;

	(void)state;
	x = make(&len);
	for (n = 0; n < len; n++) {
		y = malloc(n ? n : 1);
		memcpy(y, x, n);
		assert_int_not_equal(qa_xclbin_check(y, n, NULL, NULL, NULL, 0), 0);
		free(y);
	}
	y = malloc(len);
	for (i = 0; i < len; i++) {
		memcpy(y, x, len);
		y[i] ^= 0x5A;
		if (!qa_xclbin_check(y, len, NULL, NULL, NULL, 0))
			accepted++; /* e.g. a flip inside the bitstream bytes */
	}
	assert_true(accepted < (int)len);
	free(y);
	free(x);
}

/* libxrt aborts without XILINX_XRT; the backend must refuse before calling it. */
static void test_xrt_open_without_xilinx_xrt_is_enodev_not_abort(void **state)
{
	qaccel_device *dev;
	char why[256];

	(void)state;
	unsetenv("XILINX_XRT");
	assert_int_equal(qaccel_open_diag("xrt", &dev, why, sizeof(why)), -ENODEV);
	assert_non_null(strstr(why, "XILINX_XRT is not set"));
	setenv("XILINX_XRT", "/nonexistent-xrt", 1);
	setenv("XCL_EMULATION_MODE", "noop", 1);
	assert_int_equal(qaccel_open_diag("xrt:0", &dev, why, sizeof(why)), -ENODEV);
	assert_non_null(strstr(why, "/nonexistent-xrt/lib/libxrt_noop.so.2 is missing"));
	unsetenv("XILINX_XRT");
	unsetenv("XCL_EMULATION_MODE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writer_output_has_the_xrt_layout),
		cmocka_unit_test(test_validator_accepts_and_reports),
		cmocka_unit_test(test_targeted_corruptions_are_rejected),
		cmocka_unit_test(test_truncations_and_byte_flips),
		cmocka_unit_test(test_xrt_open_without_xilinx_xrt_is_enodev_not_abort),
	};

	return cmocka_run_group_tests_name("xclbin format", tests, NULL, NULL);
}
