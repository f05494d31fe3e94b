// SPDX-License-Identifier: MIT
/*
 * dt_expect FILE.dtb PATH BASE SIZE IRQ ROWS COLS COHERENT
 *   Discovery on FILE must find exactly one instance with these values
 *   (IRQ as "a,b,c"; numbers in C syntax). Prints the `qaccel info --dtb`
 *   report. Exit 0 only on a match.
 * dt_expect --count N FILE.dtb   exactly N instances
 * dt_expect --reject FILE.dtb    discovery must fail with a message
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qa_boards.h"

static unsigned long long num(const char *s)
{
	char *e;
	unsigned long long v = strtoull(s, &e, 0);

	if (*e) {
		fprintf(stderr, "dt_expect: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct qaccel_dt_instance in[4];
	char report[4096], err[256];
	void *blob;
	size_t len;
	int n, bad = 0;
	unsigned int irq[3] = { 0 }, ncells;

	if (argc == 3 && !strcmp(argv[1], "--reject")) {
		if (qa_dt_read_file(argv[2], &blob, &len))
			return 1;
		n = qa_dt_discover_msg(blob, len, in, 4, err, sizeof(err));
		free(blob);
		if (n != -EINVAL || !err[0]) {
			fprintf(stderr, "%s: expected rejection, got %d\n", argv[2], n);
			return 1;
		}
		printf("%s: rejected: %s\n", argv[2], err);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "--count")) {
		n = qa_dt_report(argv[3], report, sizeof(report));
		fputs(report, stdout);
		return n == (int)num(argv[2]) ? 0 : 1;
	}
	if (argc != 9) {
		fprintf(stderr, "usage: dt_expect FILE PATH BASE SIZE IRQ ROWS COLS COHERENT\n");
		return 2;
	}
	n = qa_dt_report(argv[1], report, sizeof(report));
	fputs(report, stdout);
	if (n != 1) {
		fprintf(stderr, "%s: expected 1 instance, got %d\n", argv[1], n);
		return 1;
	}
	if (qa_dt_read_file(argv[1], &blob, &len))
		return 1;
	n = qaccel_dt_discover(blob, len, in, 4);
	free(blob);
	ncells = (unsigned int)sscanf(argv[5], "%i,%i,%i", (int *)&irq[0], (int *)&irq[1],
				      (int *)&irq[2]);
#define CHECK(cond, what) \
	do { if (!(cond)) { fprintf(stderr, "%s: %s mismatch\n", argv[1], what); bad = 1; } } while (0)
	CHECK(n == 1, "count");
	CHECK(!strcmp(in[0].path, argv[2]), "path");
	CHECK(in[0].base == num(argv[3]), "base");
	CHECK(in[0].size == num(argv[4]), "size");
	CHECK(in[0].irq_cells == ncells, "interrupt cells");
	CHECK(!memcmp(in[0].irq, irq, sizeof(irq[0]) * ncells), "interrupts");
	CHECK(in[0].array_rows == num(argv[6]), "array-rows");
	CHECK(in[0].array_cols == num(argv[7]), "array-cols");
	CHECK(in[0].dma_coherent == (int)num(argv[8]), "dma-coherent");
	return bad;
}
