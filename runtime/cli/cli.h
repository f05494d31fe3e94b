/* SPDX-License-Identifier: MIT */
/* Shared pieces of the qaccel command-line tool. */
#ifndef QA_CLI_H
#define QA_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "qaccel.h"

/* Parsed options: name -> value, each option at most once. */
#define CLI_MAX_OPTS 32

struct cli_opts {
	const char *cmd;
	int n;
	const char *name[CLI_MAX_OPTS];
	const char *value[CLI_MAX_OPTS]; /* NULL for flags */
};

/* Describes one accepted option of a subcommand. */
struct cli_opt_spec {
	const char *name;  /* without the leading "--" */
	int has_value;
};

/*
 * Parses argv against the spec; prints "qaccel CMD: ..." and returns -1 on
 * unknown, repeated or value-less options.
 */
int cli_parse(const char *cmd, int argc, char **argv, const struct cli_opt_spec *spec,
	      struct cli_opts *o);
const char *cli_get(const struct cli_opts *o, const char *name);
int cli_has(const struct cli_opts *o, const char *name);

/* Value parsers: print an error naming the option and return -1 on failure. */
int cli_int32(const struct cli_opts *o, const char *name, int32_t *v);
int cli_int32_opt(const struct cli_opts *o, const char *name, int32_t dflt, int32_t *v);
/* "A,B" or "A,B,C,D" lists of non-negative integers. */
int cli_u32_list(const struct cli_opts *o, const char *name, uint32_t *v, int count,
		 const uint32_t *dflt);
int cli_dtype(const struct cli_opts *o, const char *name, enum qaccel_dtype *t, int have_default,
	      enum qaccel_dtype dflt);

void cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Operands from whole buffers: input, weights, bias, multiplier, shift, output (NULL = absent). */
void cli_operands(struct qaccel_operands *ops, qaccel_buffer *const b[6]);

int cmd_gemm(int argc, char **argv);
int cmd_conv2d(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_selftest(int argc, char **argv);
int cmd_bench(int argc, char **argv);

/* "xrt" + --xclbin F -> "xrt:xclbin=F" style device names. */
int cli_device_name(const struct cli_opts *o, char *buf, size_t len);
int cli_open_device(const char *cmd, const struct cli_opts *o, qaccel_device **dev);

#endif /* QA_CLI_H */
