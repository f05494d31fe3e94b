// SPDX-License-Identifier: MIT
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "qaccel %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_parse(const char *cmd, int argc, char **argv, const struct cli_opt_spec *spec,
	      struct cli_opts *o)
{
	int i, j;

	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const struct cli_opt_spec *s = NULL;

		if (strncmp(a, "--", 2) || !a[2]) {
			cli_error(cmd, "unexpected argument '%s'", a);
			return -1;
		}
		for (j = 0; spec[j].name; j++)
			if (!strcmp(spec[j].name, a + 2))
				s = &spec[j];
		if (!s) {
			cli_error(cmd, "unknown option '%s' (see 'qaccel help')", a);
			return -1;
		}
		if (cli_has(o, s->name)) {
			cli_error(cmd, "option '%s' given twice", a);
			return -1;
		}
		if (o->n == CLI_MAX_OPTS) {
			cli_error(cmd, "too many options");
			return -1;
		}
		o->name[o->n] = s->name;
		o->value[o->n] = NULL;
		if (s->has_value) {
			if (i + 1 >= argc) {
				cli_error(cmd, "option '%s' needs a value", a);
				return -1;
			}
			o->value[o->n] = argv[++i];
		}
		o->n++;
	}
	return 0;
}

int cli_has(const struct cli_opts *o, const char *name)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (!strcmp(o->name[i], name))
			return 1;
	return 0;
}

const char *cli_get(const struct cli_opts *o, const char *name)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (!strcmp(o->name[i], name))
			return o->value[i];
	return NULL;
}

static int parse_long(const char *s, long long lo, long long hi, long long *v)
{
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return errno || *end || *v < lo || *v > hi ? -1 : 0;
}

int cli_int32(const struct cli_opts *o, const char *name, int32_t *v)
{
	const char *s = cli_get(o, name);
	long long x;

	if (!s) {
		cli_error(o->cmd, "missing required option --%s", name);
		return -1;
	}
	if (parse_long(s, INT32_MIN, INT32_MAX, &x)) {
		cli_error(o->cmd, "--%s '%s' is not a 32-bit integer", name, s);
		return -1;
	}
	*v = (int32_t)x;
	return 0;
}

int cli_int32_opt(const struct cli_opts *o, const char *name, int32_t dflt, int32_t *v)
{
	if (!cli_has(o, name)) {
		*v = dflt;
		return 0;
	}
	return cli_int32(o, name, v);
}

int cli_u32_list(const struct cli_opts *o, const char *name, uint32_t *v, int count,
		 const uint32_t *dflt)
{
	const char *s = cli_get(o, name);
	char buf[128], *tok, *save = NULL;
	int i = 0;
	long long x;

	if (!s) {
		memcpy(v, dflt, sizeof(*v) * (size_t)count);
		return 0;
	}
	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (i == count || parse_long(tok, 0, UINT32_MAX, &x))
			goto bad;
		v[i++] = (uint32_t)x;
	}
	if (i == count && s[strlen(s) - 1] != ',')
		return 0;
bad:
	cli_error(o->cmd, "--%s '%s' must be %d comma-separated non-negative integers",
		  name, s, count);
	return -1;
}

int cli_dtype(const struct cli_opts *o, const char *name, enum qaccel_dtype *t, int have_default,
	      enum qaccel_dtype dflt)
{
	const char *s = cli_get(o, name);

	if (!s) {
		if (!have_default) {
			cli_error(o->cmd, "missing required option --%s", name);
			return -1;
		}
		*t = dflt;
		return 0;
	}
	if (!strcmp(s, "int8"))
		*t = QACCEL_INT8;
	else if (!strcmp(s, "uint8"))
		*t = QACCEL_UINT8;
	else if (!strcmp(s, "int32"))
		*t = QACCEL_INT32;
	else {
		cli_error(o->cmd, "--%s '%s' must be int8, uint8 or int32", name, s);
		return -1;
	}
	return 0;
}

void cli_operands(struct qaccel_operands *ops, qaccel_buffer *const b[6])
{
	memset(ops, 0, sizeof(*ops));
	ops->input.buf = b[0];
	ops->weights.buf = b[1];
	ops->bias.buf = b[2];
	ops->multiplier.buf = b[3];
	ops->shift.buf = b[4];
	ops->output.buf = b[5];
}

int cli_device_name(const struct cli_opts *o, char *buf, size_t len)
{
	const char *dev = cli_get(o, "device");
	int n;

	if (!dev || !*dev)
		dev = getenv("QACCEL_DEVICE");
	if (!dev || !*dev)
		dev = "ref";
	n = snprintf(buf, len, "%s", dev);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int cli_open_device(const char *cmd, const struct cli_opts *o, qaccel_device **dev)
{
	char name[256], why[256];
	int err;

	if (cli_device_name(o, name, sizeof(name))) {
		cli_error(cmd, "--device value too long");
		return -1;
	}
	/* The xrt backend takes the xclbin path from the environment (paths outgrow device names). */
	if (cli_has(o, "xclbin")) {
		if (strncmp(name, "xrt", 3) || (name[3] && name[3] != ':')) {
			cli_error(cmd, "--xclbin only applies to --device xrt[:N]");
			return -1;
		}
		setenv("QACCEL_XCLBIN", cli_get(o, "xclbin"), 1);
	}
	err = qaccel_open_diag(name, dev, why, sizeof(why));
	if (err) {
		cli_error(cmd, "cannot open device '%s': %s", name, why[0] ? why : qaccel_strerror(err));
		return -1;
	}
	return 0;
}
