// SPDX-License-Identifier: MIT
/* qaccel: run quantized layers on any qaccel executor from the command line. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: qaccel COMMAND [OPTIONS]\n"
		"\n"
		"commands:\n"
		"  gemm      --a A.npy --b B.npy [--bias BIAS.npy] --a-zp Z --b-zp Z --out-zp Z\n"
		"            (--multiplier M.npy --shift S.npy | --scale F | --scale S.npy)\n"
		"            [--act-min V --act-max V] [--out-type int8|uint8|int32]\n"
		"            --out Y.npy [--device NAME] [--stats] [--timeout-ms N]\n"
		"  conv2d    --input X.npy --weights W.npy [--bias BIAS.npy] --input-zp Z\n"
		"            --weights-zp Z --out-zp Z (--multiplier M.npy --shift S.npy | --scale ...)\n"
		"            [--act-min V --act-max V] [--stride SH,SW] [--pad T,L,B,R]\n"
		"            [--dilation DH,DW] [--groups G] [--out-type ...] --out Y.npy\n"
		"            [--device NAME] [--stats] [--timeout-ms N]\n"
		"  info      [--device NAME] [--xclbin FILE] [--dtb FILE] [--list]\n"
		"  selftest  [--device NAME] [--cases N] [--seed S]\n"
		"  bench     [--device NAME] [--sizes 256,512,1024] [--reps N] [--json FILE]\n"
		"  version\n"
		"\n"
		"devices: ref (CPU reference); others as built: hls, sim, xrt[:N], kdrv[:N].\n"
		"Without --device, $QACCEL_DEVICE or ref is used.\n");
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(cmd, "gemm"))
		return cmd_gemm(argc - 2, argv + 2);
	if (!strcmp(cmd, "conv2d"))
		return cmd_conv2d(argc - 2, argv + 2);
	if (!strcmp(cmd, "info"))
		return cmd_info(argc - 2, argv + 2);
	if (!strcmp(cmd, "selftest"))
		return cmd_selftest(argc - 2, argv + 2);
	if (!strcmp(cmd, "bench"))
		return cmd_bench(argc - 2, argv + 2);
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("qaccel %s\n", qaccel_version_string());
		return 0;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "qaccel: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
