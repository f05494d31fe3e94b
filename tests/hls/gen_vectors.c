// SPDX-License-Identifier: MIT
/*
 * Writes test vectors for the standalone HLS csim testbench (hls/tb/qaccel_tb.c):
 * the edge-case shapes plus N random descriptor lists, each as an input memory
 * image and the image the CPU reference executor (runtime/exec, an independent
 * implementation) leaves behind.
 *
 *   gen_vectors OUT.bin N [--corrupt] [--no-edges] [--seed S]
 *
 * --corrupt flips one output byte of every expected image: the testbench must
 * then fail (that is how `make test-hls-csim` proves it can). --no-edges leaves
 * out the fixed edge-case shapes (small sets for RTL co-simulation).
 *
 * File format (little-endian): "QAHLSTV1", u32 cases, u32 0; per case:
 * u64 image_size, u64 desc_addr, u32 count, u32 status, u64 macs,
 * image_size bytes input image, image_size bytes expected image.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hls_cases.h"

static void put32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	fwrite(b, 1, 4, f);
}

static void put64(FILE *f, uint64_t v)
{
	put32(f, (uint32_t)v);
	put32(f, (uint32_t)(v >> 32));
}

struct gen {
	FILE *f;
	struct qa_exec_scratch scratch;
	int corrupt;
	uint32_t written;
};

static int emit(struct gen *g, struct qa_desc *d, uint32_t count)
{
	struct qa_exec_result res;
	struct qa_exec_mem mem;
	uint64_t size;
	uint8_t *in = hls_case_image(d, count, &size);
	uint8_t *out;

	if (!in)
		return -ENOMEM;
	out = malloc(size);
	if (!out) {
		free(in);
		return -ENOMEM;
	}
	memcpy(out, in, size);
	mem.base = out;
	mem.size = size;
	qa_exec_run(&mem, &g->scratch, 0, count, &res);
	if (QA_STATUS_CODE(res.status)) {
		fprintf(stderr, "gen_vectors: reference rejected a generated case (status %#x)\n",
			res.status);
		free(in);
		free(out);
		return -EINVAL;
	}
	if (g->corrupt) {
		uint32_t i = (uint32_t)(rnd() % count);

		out[d[i].out_addr] ^= 0x01;
	}
	put64(g->f, size);
	put64(g->f, 0);
	put32(g->f, count);
	put32(g->f, res.status);
	put64(g->f, res.macs);
	fwrite(in, 1, size, g->f);
	fwrite(out, 1, size, g->f);
	free(in);
	free(out);
	g->written++;
	return 0;
}

int main(int argc, char **argv)
{
	struct gen g = { 0 };
	struct qa_desc d[HLS_CASE_MAX_LIST];
	unsigned long n, i;
	uint32_t j, count;
	int t, a, err = 0, edges = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: %s OUT.bin N [--corrupt] [--no-edges] [--seed S]\n", argv[0]);
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	for (a = 3; a < argc; a++) {
		if (!strcmp(argv[a], "--corrupt"))
			g.corrupt = 1;
		else if (!strcmp(argv[a], "--no-edges"))
			edges = 0;
		else if (!strcmp(argv[a], "--seed") && a + 1 < argc)
			rng_state = strtoull(argv[++a], NULL, 0);
		else {
			fprintf(stderr, "%s: unknown argument '%s'\n", argv[0], argv[a]);
			return 2;
		}
	}
	g.scratch.a_len = QA_EXEC_SCRATCH_A_MIN;
	g.scratch.b_len = QA_EXEC_SCRATCH_B_MIN;
	g.scratch.a = malloc(g.scratch.a_len * sizeof(int16_t));
	g.scratch.b = malloc(g.scratch.b_len * sizeof(int16_t));
	g.f = fopen(argv[1], "wb");
	if (!g.f || !g.scratch.a || !g.scratch.b) {
		fprintf(stderr, "%s: cannot open '%s' or allocate scratch\n", argv[0], argv[1]);
		return 1;
	}
	fwrite("QAHLSTV1", 1, 8, g.f);
	put32(g.f, 0); /* patched below */
	put32(g.f, 0);
	for (t = QA_DT_INT8; edges && t <= QA_DT_INT32 && !err; t++) {
		for (i = 0; i < HLS_N_EDGE_GEMMS && !err; i++) {
			make_gemm(&d[0], hls_edge_gemms[i][0], hls_edge_gemms[i][1],
				  hls_edge_gemms[i][2], t);
			err = emit(&g, d, 1);
		}
		for (i = 0; i < HLS_N_EDGE_CONVS && !err; i++) {
			make_conv(&d[0], &hls_edge_convs[i], t);
			err = emit(&g, d, 1);
		}
	}
	for (i = 0; i < n && !err; i++) {
		count = i % 4 == 3 ? (uint32_t)rnd_range(2, HLS_CASE_MAX_LIST) : 1;
		for (j = 0; j < count; j++) {
			if (rnd() & 1)
				random_gemm(&d[j]);
			else
				random_conv(&d[j]);
		}
		err = emit(&g, d, count);
	}
	if (!err && fseek(g.f, 8, SEEK_SET) == 0)
		put32(g.f, g.written);
	if (fclose(g.f) || err) {
		fprintf(stderr, "%s: failed writing '%s'\n", argv[0], argv[1]);
		return 1;
	}
	printf("gen_vectors: %u cases -> %s%s\n", g.written, argv[1],
	       g.corrupt ? " (corrupted expectations)" : "");
	free(g.scratch.a);
	free(g.scratch.b);
	return 0;
}
