// SPDX-License-Identifier: MIT
/*
 * corpus_check XCLBIN DTB... [-- REGRESSION_INPUT...]
 *
 * Derives a corpus of corrupted inputs from valid seeds and runs both
 * parsers on each: every truncation, bad magic, header and section fields
 * set to boundary values, property lengths shortened or stretched ("short
 * properties"), and seeded random byte flips. Inputs that must be rejected
 * (truncated, bad magic) are checked to be; everything else must be either
 * rejected or read without a fault (run under ASan+UBSan by make test).
 * Prints the counts. Deterministic: fixed seeds. Inputs after "--" (the
 * fuzzers' past findings, tests/fuzz/regress/) go through both parsers.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>
#include <xrt/xclbin.h>

#include "qa_boards.h"
#include "xclbin_fmt.h"

#define FLIPS 20000

static unsigned long long n_inputs, n_rejected, n_accepted;
static int failures;

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Runs the parser on an exact-size heap copy. Returns 1 if rejected. */
static int run_xclbin(const uint8_t *b, size_t len)
{
	struct qa_xclbin_info inf;
	char err[256], args[512];
	uint8_t *c = malloc(len ? len : 1);
	int r;

	memcpy(c, b, len);
	r = qa_xclbin_check(c, len, NULL, &inf, err, sizeof(err));
	if (!r)
		qa_xclbin_format_args(&inf, args, sizeof(args));
	else if (!err[0]) {
		fprintf(stderr, "xclbin rejected without a message\n");
		failures++;
	}
	free(c);
	n_inputs++;
	if (r)
		n_rejected++;
	else
		n_accepted++;
	return r != 0;
}

static int run_dt(const uint8_t *b, size_t len)
{
	struct qaccel_dt_instance in[4];
	char err[256];
	uint8_t *c = malloc(len ? len : 1);
	int r;

	memcpy(c, b, len);
	r = qa_dt_discover_msg(c, len, in, 4, err, sizeof(err));
	if (r < 0 && !err[0]) {
		fprintf(stderr, "dtb rejected without a message\n");
		failures++;
	}
	free(c);
	n_inputs++;
	if (r < 0)
		n_rejected++;
	else
		n_accepted++;
	return r < 0;
}

static void must_reject(int rejected, const char *what)
{
	if (!rejected) {
		fprintf(stderr, "FAIL: accepted %s\n", what);
		failures++;
	}
}

static void flips(const uint8_t *seed, size_t len, int (*run)(const uint8_t *, size_t))
{
	uint8_t *m = malloc(len);
	int i, k;

	for (i = 0; i < FLIPS; i++) {
		int nflip = 1 + (int)(next() % 8);

		memcpy(m, seed, len);
		for (k = 0; k < nflip; k++)
			m[next() % len] ^= (uint8_t)(1u << (next() % 8));
		run(m, len);
	}
	free(m);
}

static const uint64_t edge64[] = {
	0, 1, 7, 8, 0x7f, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
	UINT64_MAX, UINT64_MAX - 7,
};

static void xclbin_corpus(const uint8_t *x, size_t len)
{
	uint8_t *m = malloc(len);
	size_t n, i, f;
	struct axlf top;

	for (n = 0; n < len; n++)
		must_reject(run_xclbin(x, n), "truncated xclbin");
	memcpy(m, x, len);
	m[0] = 'X';
	must_reject(run_xclbin(m, len), "xclbin with bad magic");
	memcpy(&top, x, sizeof(top));
	/* header and section table fields set to edge values */
	for (i = 0; i < top.m_header.m_numSections; i++) {
		size_t sh = offsetof(struct axlf, m_sections) + i * sizeof(struct axlf_section_header);
		static const size_t fields[] = {
			offsetof(struct axlf_section_header, m_sectionOffset),
			offsetof(struct axlf_section_header, m_sectionSize),
		};

		for (f = 0; f < 2; f++)
			for (n = 0; n < sizeof(edge64) / sizeof(edge64[0]); n++) {
				memcpy(m, x, len);
				memcpy(m + sh + fields[f], &edge64[n], 8);
				run_xclbin(m, len);
			}
		for (n = 0; n < 40; n++) { /* kind */
			uint32_t kind = (uint32_t)n;

			memcpy(m, x, len);
			memcpy(m + sh, &kind, 4);
			run_xclbin(m, len);
		}
		/* counts at the start of each section */
		for (n = 0; n < sizeof(edge64) / sizeof(edge64[0]); n++) {
			struct axlf_section_header h;
			uint32_t v = (uint32_t)edge64[n];

			memcpy(&h, x + sh, sizeof(h));
			memcpy(m, x, len);
			if (h.m_sectionSize >= 4)
				memcpy(m + h.m_sectionOffset, &v, 4);
			run_xclbin(m, len);
		}
	}
	for (n = 0; n < sizeof(edge64) / sizeof(edge64[0]); n++) {
		uint32_t v = (uint32_t)edge64[n];

		memcpy(m, x, len);
		memcpy(m + offsetof(struct axlf, m_header) + offsetof(struct axlf_header, m_numSections),
		       &v, 4);
		run_xclbin(m, len);
		memcpy(m, x, len);
		memcpy(m + offsetof(struct axlf, m_header) + offsetof(struct axlf_header, m_length),
		       &edge64[n], 8);
		if (edge64[n] != len)
			must_reject(run_xclbin(m, len), "xclbin with a wrong length field");
	}
	free(m);
	flips(x, len, run_xclbin);
}

static void dt_corpus(const uint8_t *d, size_t len)
{
	uint8_t *m = malloc(len + 64);
	size_t n, i;
	int node, prop, props = 0;

	for (n = 0; n < len; n++)
		must_reject(run_dt(d, n), "truncated DTB");
	memcpy(m, d, len);
	m[1] ^= 0xFF;
	must_reject(run_dt(m, len), "DTB with bad magic");
	/* every header word set to edge values */
	for (i = 1; i < 10; i++)
		for (n = 0; n < sizeof(edge64) / sizeof(edge64[0]); n++) {
			fdt32_t v = cpu_to_fdt32((uint32_t)edge64[n]);

			memcpy(m, d, len);
			memcpy(m + i * 4, &v, 4);
			run_dt(m, len);
		}
	/* short (and stretched) properties: rewrite each FDT_PROP's length word */
	for (node = fdt_next_node(d, -1, NULL); node >= 0; node = fdt_next_node(d, node, NULL)) {
		fdt_for_each_property_offset(prop, d, node) {
			static const int32_t delta[] = { -1, -2, -3, -4, -8, 1, 4, 1 << 20 };
			int plen;
			size_t at = fdt_off_dt_struct(d) + (size_t)prop + 4; /* after FDT_PROP tag */

			if (!fdt_getprop_by_offset(d, prop, NULL, &plen))
				continue;
			props++;
			for (n = 0; n < sizeof(delta) / sizeof(delta[0]); n++) {
				int32_t nl = plen + delta[n];
				fdt32_t v;

				if (nl < 0)
					continue;
				v = cpu_to_fdt32((uint32_t)nl);
				memcpy(m, d, len);
				memcpy(m + at, &v, 4);
				run_dt(m, len);
			}
			/* a zero-length value for every property */
			{
				fdt32_t z = 0;

				memcpy(m, d, len);
				memcpy(m + at, &z, 4);
				run_dt(m, len);
			}
		}
	}
	printf("  dtb: %d properties shortened/stretched\n", props);
	free(m);
	flips(d, len, run_dt);
}

int main(int argc, char **argv)
{
	uint8_t *x;
	void *d;
	size_t len;
	int i, e;

	if (argc < 3) {
		fprintf(stderr, "usage: corpus_check XCLBIN DTB...\n");
		return 2;
	}
	e = qa_xclbin_read_file(argv[1], (size_t)1 << 30, &x, &len);
	if (e || qa_xclbin_check(x, len, NULL, NULL, NULL, 0)) {
		fprintf(stderr, "%s: seed unreadable or invalid\n", argv[1]);
		return 1;
	}
	xclbin_corpus(x, len);
	free(x);
	printf("xclbin %s: %llu inputs, %llu rejected, %llu read safely\n", argv[1], n_inputs,
	       n_rejected, n_accepted);
	for (i = 2; i < argc; i++) {
		unsigned long long before = n_inputs, rej = n_rejected;

		if (!strcmp(argv[i], "--")) {
			for (i++; i < argc; i++) {
				uint8_t *r;

				if (qa_xclbin_read_file(argv[i], (size_t)1 << 30, &r, &len)) {
					fprintf(stderr, "%s: unreadable\n", argv[i]);
					return 1;
				}
				run_xclbin(r, len);
				run_dt(r, len);
				free(r);
				printf("regression input %s: read safely\n", argv[i]);
			}
			break;
		}

		if (qa_dt_read_file(argv[i], &d, &len) || qaccel_dt_discover(d, len, NULL, 0) < 0) {
			fprintf(stderr, "%s: seed unreadable or invalid\n", argv[i]);
			return 1;
		}
		dt_corpus(d, len);
		free(d);
		printf("dtb %s: %llu inputs, %llu rejected, %llu read safely\n", argv[i],
		       n_inputs - before, n_rejected - rej, (n_inputs - before) - (n_rejected - rej));
	}
	printf("corpus: %llu inputs in total, %d failures\n", n_inputs, failures);
	return failures ? 1 : 0;
}
