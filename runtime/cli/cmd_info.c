// SPDX-License-Identifier: MIT
/* `qaccel info`: backends, device identity, and device-tree discovery. */
#include <string.h>

#include "cli.h"
#include "qa_boards.h"


static int list_backends(void)
{
	int i;

	for (i = 0; i < qaccel_backend_count(); i++)
		printf("%s\n", qaccel_backend_name(i));
	return 0;
}

#ifdef QA_HAVE_DT
static int info_dtb(const char *path)
{
	char report[8192];
	int n = qa_dt_report(path, report, sizeof(report));

	if (n < 0) {
		cli_error("info", "--dtb %s", report);
		return 1;
	}
	fputs(report, stdout);
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
