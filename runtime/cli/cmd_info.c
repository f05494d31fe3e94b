// SPDX-License-Identifier: MIT
/* `qaccel info`: backends, device identity, and device-tree discovery. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#define MAX_DTB_BYTES (64u << 20)
#define MAX_DT_INSTANCES 64

static int list_backends(void)
{
	int i;

	for (i = 0; i < qaccel_backend_count(); i++)
		printf("%s\n", qaccel_backend_name(i));
	return 0;
}

#ifdef QA_HAVE_DT
/* Reads a whole (bounded) file; the blob is untrusted and checked by discovery. */
static void *read_file(const char *cmd, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, got;
	char *buf, *nb;

	if (!f) {
		cli_error(cmd, "--dtb %s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(cap);
	if (!buf)
		goto oom;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n < cap)
			continue;
		if (cap >= MAX_DTB_BYTES) {
			cli_error(cmd, "--dtb %s: larger than %u bytes", path, MAX_DTB_BYTES);
			goto fail;
		}
		cap *= 2;
		nb = realloc(buf, cap);
		if (!nb)
			goto oom;
		buf = nb;
	}
	if (ferror(f)) {
		cli_error(cmd, "--dtb %s: read error", path);
		goto fail;
	}
	fclose(f);
	*len = n;
	return buf;
oom:
	cli_error(cmd, "--dtb %s: out of memory", path);
fail:
	free(buf);
	fclose(f);
	return NULL;
}

static int info_dtb(const char *path)
{
	struct qaccel_dt_instance inst[MAX_DT_INSTANCES];
	size_t len;
	void *blob = read_file("info", path, &len);
	int n, i;

	if (!blob)
		return 1;
	n = qaccel_dt_discover(blob, len, inst, MAX_DT_INSTANCES);
	free(blob);
	if (n < 0) {
		cli_error("info", "--dtb %s: malformed device tree: %s", path, qaccel_strerror(n));
		return 1;
	}
	printf("dtb: %s: %d %s instance%s\n", path, n, QACCEL_DT_COMPATIBLE, n == 1 ? "" : "s");
	for (i = 0; i < n && i < MAX_DT_INSTANCES; i++) {
		printf("  %s: base=0x%llx size=0x%llx", inst[i].path,
		       (unsigned long long)inst[i].base, (unsigned long long)inst[i].size);
		if (inst[i].irq_cells) {
			printf(" interrupts=<");
			for (uint32_t c = 0; c < inst[i].irq_cells && c < 3; c++)
				printf(c ? " 0x%x" : "0x%x", inst[i].irq[c]);
			printf(">");
		}
		if (inst[i].array_rows)
			printf(" array=%ux%u", inst[i].array_rows, inst[i].array_cols);
		printf("%s\n", inst[i].dma_coherent ? " dma-coherent" : "");
	}
	return 0;
}
#endif

int cmd_info(int argc, char **argv)
{
	static const struct cli_opt_spec spec[] = {
		{ "device", 1 }, { "xclbin", 1 }, { "dtb", 1 }, { "list", 0 }, { NULL, 0 },
	};
	struct cli_opts o;
	struct qaccel_device_info info;
	qaccel_device *dev;
	int err;

	if (cli_parse("info", argc, argv, spec, &o))
		return 1;
	if (cli_has(&o, "list"))
		return list_backends();
	if (cli_has(&o, "dtb")) {
#ifdef QA_HAVE_DT
		return info_dtb(cli_get(&o, "dtb"));
#else
		cli_error("info", "--dtb: this build has no device-tree support");
		return 1;
#endif
	}
	if (cli_open_device("info", &o, &dev))
		return 1;
	err = qaccel_device_info(dev, &info);
	if (err) {
		cli_error("info", "cannot query the device: %s", qaccel_strerror(err));
		qaccel_close(dev);
		return 1;
	}
	printf("device: %s (backend %s)\n", info.name, info.backend);
	printf("library: %s\n", qaccel_version_string());
	printf("core version: %u.%u.%u\n", info.core_version >> 16, (info.core_version >> 8) & 0xFF,
	       info.core_version & 0xFF);
	if (info.array_rows)
		printf("mac array: %ux%u\n", info.array_rows, info.array_cols);
	else
		printf("mac array: none (CPU executor)\n");
	printf("memory: %llu MiB\n", (unsigned long long)(info.mem_size >> 20));
	printf("cycle counter: %s\n", info.has_cycle_counter ? "yes" : "no");
	if (info.detail[0])
		printf("%s%s", info.detail, info.detail[strlen(info.detail) - 1] == '\n' ? "" : "\n");
	qaccel_close(dev);
	return 0;
}
