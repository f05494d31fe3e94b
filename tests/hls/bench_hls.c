// SPDX-License-Identifier: MIT
/*
 * `make bench-hls`: the HLS cycle model over the standard workloads
 * (the CSVs in ../shared/workloads: ResNet-50, MobileNetV2, BERT-base GEMMs) and
 * the speed of the C simulation itself, as JSON.
 *
 *   bench_hls WORKLOAD_DIR OUT.json
 *
 * Cycles are the model's (hls/README.md): expected FPGA latency at II=1
 * before synthesis, not a measurement. Utilization = MACs / (16*16*cycles).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qaccel_hls.h"
#include "hls_cases.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void conv_desc(struct qa_desc *d, unsigned long v[12])
{
	struct conv_shape s;

	memset(&s, 0, sizeof(s));
	s.batch = 1;
	s.in_h = (uint32_t)v[0];
	s.in_w = (uint32_t)v[1];
	s.in_c = (uint32_t)v[2];
	s.out_c = (uint32_t)v[3];
	s.kh = (uint16_t)v[4];
	s.kw = (uint16_t)v[5];
	s.sh = s.sw = (uint16_t)v[6];
	s.pt = (uint16_t)v[7];
	s.pl = (uint16_t)v[8];
	s.pb = (uint16_t)v[9];
	s.pr = (uint16_t)v[10];
	s.groups = (uint32_t)v[11];
	s.dh = s.dw = 1;
	make_conv(d, &s, QA_DT_INT8);
	d->flags = 0;
}

/* One workload CSV -> one JSON object; returns -errno. */
static int bench_file(FILE *out, const char *dir, const char *name, int first)
{
	char path[512], line[512];
	FILE *f;
	uint64_t tot_macs = 0, tot_cycles = 0;
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "bench_hls: cannot open '%s'\n", path);
		return -errno;
	}
	fprintf(out, "%s\n    {\"workload\": \"%s\", \"layers\": [", first ? "" : ",", name);
	while (fgets(line, sizeof(line), f)) {
		char lname[128], op[16];
		unsigned long v[12];
		struct qa_desc d;
		struct qa_hls_cost c;
		int got;

		if (!strncmp(line, "name,", 5) || line[0] == '\n')
			continue;
		got = sscanf(line, "%127[^,],%15[^,],%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu",
			     lname, op, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
			     &v[8], &v[9], &v[10], &v[11]);
		if (got == 5 && !strcmp(op, "gemm")) {
			make_gemm(&d, (uint32_t)v[0], (uint32_t)v[1], (uint32_t)v[2], QA_DT_INT8);
			d.flags = 0;
		} else if (got == 14 && !strcmp(op, "conv2d")) {
			conv_desc(&d, v);
		} else {
			fprintf(stderr, "bench_hls: %s: cannot parse '%s'\n", path, line);
			fclose(f);
			return -EINVAL;
		}
		if (qa_hls_estimate(&d, &c)) {
			fprintf(stderr, "bench_hls: %s: invalid layer '%s'\n", path, lname);
			fclose(f);
			return -EINVAL;
		}
		tot_macs += c.macs;
		tot_cycles += c.cycles;
		fprintf(out, "%s\n      {\"name\": \"%s\", \"macs\": %llu, \"cycles\": %llu, "
			"\"utilization\": %.4f}", n ? "," : "", lname, (unsigned long long)c.macs,
			(unsigned long long)c.cycles,
			(double)c.macs / (256.0 * (double)c.cycles));
		n++;
	}
	fclose(f);
	fprintf(out, "\n    ], \"macs\": %llu, \"cycles\": %llu, \"mac_weighted_utilization\": %.4f}",
		(unsigned long long)tot_macs, (unsigned long long)tot_cycles,
		tot_cycles ? (double)tot_macs / (256.0 * (double)tot_cycles) : 0.0);
	printf("bench_hls: %-20s %3d layers %12llu MACs %10llu cycles  utilization %.3f\n", name, n,
	       (unsigned long long)tot_macs, (unsigned long long)tot_cycles,
	       tot_cycles ? (double)tot_macs / (256.0 * (double)tot_cycles) : 0.0);
	return 0;
}

/* Wall time of the natively compiled kernel on one descriptor. */
static double csim_seconds(struct qa_desc *d, uint64_t *cycles)
{
	uint64_t size, macs, stalls;
	uint32_t version, config, status;
	uint8_t *img = hls_case_image(d, 1, &size);
	double t0;

	if (!img)
		return -1.0;
	t0 = now_s();
	qaccel_top(img, 1, img, &version, &config, cycles, &macs, &stalls, &status);
	t0 = now_s() - t0;
	free(img);
	return status ? -1.0 : t0;
}

int main(int argc, char **argv)
{
	static const char *const files[] = { "resnet50", "mobilenetv2", "bert-base-seq128" };
	struct qa_desc d;
	uint64_t cyc_gemm, cyc_conv;
	double t_gemm, t_conv;
	unsigned long rn[12] = { 56, 56, 64, 64, 3, 3, 1, 1, 1, 1, 1, 1 };
	FILE *out;
	size_t i;
	int err = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: %s WORKLOAD_DIR OUT.json\n", argv[0]);
		return 2;
	}
	make_gemm(&d, 512, 512, 512, QA_DT_INT8);
	t_gemm = csim_seconds(&d, &cyc_gemm);
	conv_desc(&d, rn);
	t_conv = csim_seconds(&d, &cyc_conv);
	if (t_gemm < 0 || t_conv < 0) {
		fprintf(stderr, "bench_hls: csim run failed\n");
		return 1;
	}
	printf("bench_hls: gemm 512^3: model %llu cycles, csim %.3f s\n",
	       (unsigned long long)cyc_gemm, t_gemm);
	printf("bench_hls: resnet50 3x3x64x64@56x56: model %llu cycles, csim %.3f s\n",
	       (unsigned long long)cyc_conv, t_conv);
	out = fopen(argv[2], "w");
	if (!out) {
		fprintf(stderr, "bench_hls: cannot write '%s'\n", argv[2]);
		return 1;
	}
	fprintf(out, "{\n  \"bench\": \"hls\",\n  \"note\": \"cycles from the HLS cycle model (II=1), "
		"not measured\",\n  \"array\": [%d, %d], \"tile\": {\"tm\": %d, \"tn\": %d, "
		"\"tk\": %d, \"beat_bytes\": %d},\n", QA_HLS_ROWS, QA_HLS_COLS, QA_HLS_TM,
		QA_HLS_TN, QA_HLS_TK, QA_HLS_BEAT);
	fprintf(out, "  \"gemm_512\": {\"cycles\": %llu, \"csim_seconds\": %.4f},\n",
		(unsigned long long)cyc_gemm, t_gemm);
	fprintf(out, "  \"resnet50_3x3x64x64_56\": {\"cycles\": %llu, \"csim_seconds\": %.4f},\n",
		(unsigned long long)cyc_conv, t_conv);
	fprintf(out, "  \"workloads\": [");
	for (i = 0; i < sizeof(files) / sizeof(files[0]) && !err; i++)
		err = bench_file(out, argv[1], files[i], i == 0);
	fprintf(out, "\n  ]\n}\n");
	if (fclose(out) || err)
		return 1;
	printf("bench_hls: wrote %s\n", argv[2]);
	return 0;
}
