// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
/*
 * C-simulation testbench of qaccel_top (the file Vitis HLS takes as -tb for
 * csim_design and cosim_design). Reads test vectors written by
 * tests/hls/gen_vectors (inputs + the CPU reference's results), runs the
 * kernel on each case and compares STATUS, the MAC count and the whole memory
 * image byte for byte. Returns 0 only if every case matches.
 *
 *   qaccel_tb [VECTORS.bin]        (default: vectors.bin in the working dir)
 *
 * The descriptor list is passed in its own array, as on hardware where the
 * desc port (gdesc) and the data port (gmem) are separate AXI masters; the
 * memory array is QA_TB_MEM_DEPTH bytes, the depth the m_axi pragma declares
 * for cosim.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qaccel_hls.h"

#define QA_TB_MEM_DEPTH  16777216u /* = depth of the gmem m_axi port */
#define QA_TB_DESC_DEPTH 8192u     /* = depth of the gdesc m_axi port (64 descriptors) */

static int get32(FILE *f, uint32_t *v)
{
	uint8_t b[4];

	if (fread(b, 1, 4, f) != 4)
		return -1;
	*v = (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) |
	     ((uint32_t)b[3] << 24);
	return 0;
}

static int get64(FILE *f, uint64_t *v)
{
	uint32_t lo, hi;

	if (get32(f, &lo) || get32(f, &hi))
		return -1;
	*v = (uint64_t)lo | ((uint64_t)hi << 32);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "vectors.bin";
	static uint8_t desc[QA_TB_DESC_DEPTH];
	uint8_t *mem = calloc(1, QA_TB_MEM_DEPTH);
	uint8_t *expect = malloc(QA_TB_MEM_DEPTH);
	char magic[8];
	uint32_t ncases, pad, i, passed = 0, failed = 0;
	FILE *f = fopen(path, "rb");

	if (!f || !mem || !expect) {
		fprintf(stderr, "qaccel_tb: cannot open '%s'\n", path);
		return 1;
	}
	if (fread(magic, 1, 8, f) != 8 || memcmp(magic, "QAHLSTV1", 8) || get32(f, &ncases) ||
	    get32(f, &pad) || !ncases) {
		fprintf(stderr, "qaccel_tb: '%s' is not a test-vector file\n", path);
		return 1;
	}
	for (i = 0; i < ncases; i++) {
		uint64_t size, desc_addr, exp_macs, cycles, macs, stalls;
		uint32_t count, exp_status, version, config, status;
		uint64_t list_len;

		if (get64(f, &size) || get64(f, &desc_addr) || get32(f, &count) ||
		    get32(f, &exp_status) || get64(f, &exp_macs) || size > QA_TB_MEM_DEPTH ||
		    fread(mem, 1, size, f) != size || fread(expect, 1, size, f) != size) {
			fprintf(stderr, "qaccel_tb: '%s': case %u truncated or too large\n", path, i);
			return 1;
		}
		list_len = (uint64_t)count * QA_DESC_SIZE;
		if (list_len > QA_TB_DESC_DEPTH || desc_addr + list_len > size) {
			fprintf(stderr, "qaccel_tb: case %u: descriptor list too long\n", i);
			return 1;
		}
		memcpy(desc, mem + desc_addr, list_len);
		qaccel_top(desc, count, mem, &version, &config, &cycles, &macs, &stalls, &status);
		if (status != exp_status || macs != exp_macs || memcmp(mem, expect, size) ||
		    version != QA_CORE_VERSION) {
			uint64_t at = 0;

			while (at < size && mem[at] == expect[at])
				at++;
			fprintf(stderr, "qaccel_tb: case %u MISMATCH: status %#x (want %#x), macs %llu "
				"(want %llu), first differing byte %llu of %llu\n", i, status,
				exp_status, (unsigned long long)macs, (unsigned long long)exp_macs,
				(unsigned long long)at, (unsigned long long)size);
			failed++;
		} else {
			passed++;
		}
	}
	fclose(f);
	free(mem);
	free(expect);
	printf("qaccel_tb: %u cases from %s\n", ncases, path);
	printf("csim: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
