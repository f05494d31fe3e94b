// SPDX-License-Identifier: MIT
/*
 * qaccel-xclbin: write and validate qaccel xclbins without xclbinutil.
 *
 *   qaccel-xclbin write --bitstream FILE [--pdi] [--platform VBNV]
 *       [--kernel-base ADDR] [--bank-base ADDR] [--bank-size BYTES]
 *       [--array ROWSxCOLS] [--kernel NAME] [--placeholder] -o OUT.xclbin
 *   qaccel-xclbin check FILE [--kernel NAME]
 *
 * `write` emits BITSTREAM (or PDI), MEM_TOPOLOGY, CONNECTIVITY, IP_LAYOUT
 * and EMBEDDED_METADATA with a fresh UUID, then validates its own output.
 * `check` exits 0 only for a file the xrt backend would accept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xclbin_fmt.h"

static int usage(void)
{
	fprintf(stderr,
		"usage: qaccel-xclbin write --bitstream FILE [--pdi] [--platform VBNV]\n"
		"           [--kernel-base ADDR] [--bank-base ADDR] [--bank-size BYTES]\n"
		"           [--array ROWSxCOLS] [--kernel NAME] [--placeholder] -o OUT\n"
		"       qaccel-xclbin check FILE [--kernel NAME]\n");
	return 2;
}

static int num(const char *opt, const char *s, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-') {
		fprintf(stderr, "qaccel-xclbin: %s: bad number '%s'\n", opt, s);
		return -1;
	}
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	const char *file = NULL, *kernel = NULL;
	struct qa_xclbin_info info;
	char err[256] = "", args[512];
	uint8_t *buf;
	size_t len;
	int i, e;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--kernel") && i + 1 < argc)
			kernel = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			return usage();
	}
	if (!file)
		return usage();
	e = qa_xclbin_read_file(file, QA_XCLBIN_MAX_SIZE, &buf, &len);
	if (e) {
		fprintf(stderr, "qaccel-xclbin: %s: %s\n", file, strerror(-e));
		return 1;
	}
	e = qa_xclbin_check(buf, len, kernel, &info, err, sizeof(err));
	free(buf);
	if (e) {
		fprintf(stderr, "qaccel-xclbin: %s: invalid xclbin: %s\n", file, err);
		return 1;
	}
	qa_xclbin_format_args(&info, args, sizeof(args));
	printf("%s: ok\nuuid: %s\nplatform: %s\nkernel: %s (cu %s at 0x%llx, ap_ctrl_hs)\n"
	       "%s: %llu bytes%s\narray: %ux%u\n%s",
	       file, info.uuid_str, info.vbnv, info.kernel, info.cu_name,
	       (unsigned long long)info.cu_base, info.bitstream_kind == 18 ? "pdi" : "bitstream",
	       (unsigned long long)info.bitstream_size,
	       info.placeholder ? " (placeholder, not a real bitstream)" : "", info.array_rows,
	       info.array_cols, args);
	return 0;
}

static int cmd_write(int argc, char **argv)
{
	struct qa_xclbin_spec s;
	const char *bit = NULL, *out = NULL;
	unsigned long long v;
	char err[256] = "";
	uint8_t *bits = NULL, *x = NULL;
	size_t bits_len = 0, x_len = 0;
	FILE *f;
	int i, e;

	memset(&s, 0, sizeof(s));
	s.cu_base = 0xA0000000ull;
	s.bank_base = 0;
	s.bank_size = 2ull << 30;
	s.array_rows = 16;
	s.array_cols = 16;
	for (i = 0; i < argc; i++) {
		const char *o = argv[i];
		const char *a = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(o, "--pdi")) {
			s.pdi = 1;
			continue;
		}
		if (!strcmp(o, "--placeholder")) {
			s.placeholder = 1;
			continue;
		}
		if (!a)
			return usage();
		i++;
		if (!strcmp(o, "--bitstream")) {
			bit = a;
		} else if (!strcmp(o, "-o")) {
			out = a;
		} else if (!strcmp(o, "--platform")) {
			s.vbnv = a;
		} else if (!strcmp(o, "--kernel")) {
			s.kernel = a;
		} else if (!strcmp(o, "--kernel-base")) {
			if (num(o, a, &v))
				return 2;
			s.cu_base = v;
		} else if (!strcmp(o, "--bank-base")) {
			if (num(o, a, &v))
				return 2;
			s.bank_base = v;
		} else if (!strcmp(o, "--bank-size")) {
			if (num(o, a, &v))
				return 2;
			s.bank_size = v;
		} else if (!strcmp(o, "--array")) {
			unsigned int r, c;
			char tail;

			if (sscanf(a, "%ux%u%c", &r, &c, &tail) != 2 || !r || !c || r > 255 || c > 255) {
				fprintf(stderr, "qaccel-xclbin: --array wants ROWSxCOLS (1..255)\n");
				return 2;
			}
			s.array_rows = r;
			s.array_cols = c;
		} else {
			return usage();
		}
	}
	if (!bit || !out)
		return usage();
	e = qa_xclbin_read_file(bit, (size_t)1 << 31, &bits, &bits_len);
	if (e) {
		fprintf(stderr, "qaccel-xclbin: %s: %s\n", bit, strerror(-e));
		return 1;
	}
	s.bitstream = bits;
	s.bitstream_len = bits_len;
	e = qa_xclbin_write(&s, &x, &x_len, err, sizeof(err));
	free(bits);
	if (e) {
		fprintf(stderr, "qaccel-xclbin: cannot write %s: %s\n", out, err);
		return 1;
	}
	f = fopen(out, "wb");
	e = !f || fwrite(x, 1, x_len, f) != x_len;
	if (f && fclose(f))
		e = 1;
	free(x);
	if (e) {
		fprintf(stderr, "qaccel-xclbin: %s: %s\n", out, strerror(errno));
		remove(out);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "write"))
		return cmd_write(argc - 2, argv + 2);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 2, argv + 2);
	return usage();
}
