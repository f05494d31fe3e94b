// SPDX-License-Identifier: MIT
// Random cycles through both forms of qa_array (tb.v): every drain read must
// agree. Mixes GEMM and depthwise mode, signed/unsigned operands, zero points
// (including the extremes), clears, snapshots and long accumulations.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "Vtb.h"
#include "verilated.h"

int main(int argc, char **argv)
{
	VerilatedContext ctx;
	ctx.commandArgs(argc, argv);
	Vtb t{&ctx};
	std::mt19937_64 g(0x5EED);
	const long cycles = argc > 1 ? atol(argv[1]) : 100000;
	long bad = 0;
	auto chance = [&](unsigned percent) { return g() % 100 < percent; };

	for (long cyc = 0; cyc < cycles; cyc++) {
		t.clk = 0;
		t.eval();
		for (int i = 0; i < 16; i++) {
			if (t.rd_sim[i] != t.rd_syn[i]) {
				if (bad++ < 5)
					printf("cycle %ld row word %d: sim %08x syn %08x\n", cyc, i,
					       t.rd_sim[i], t.rd_syn[i]);
				break;
			}
		}
		t.en = chance(85);
		t.clear = chance(8);
		t.dw = (cyc / 4000) % 3 == 1;
		t.snap = chance(6);
		t.rd_row = g() & 15;
		for (int i = 0; i < 4; i++) {
			t.a_bytes[i] = (uint32_t)g();
			t.b_bytes[i] = (uint32_t)g();
		}
		for (int i = 0; i < 64; i++)
			t.a_words[i] = (uint32_t)g();
		t.a_signed = (cyc / 7000) % 2;
		t.b_signed = (cyc / 11000) % 2;
		switch ((cyc / 3000) % 4) {
		case 0: t.a_zp = 0; t.b_zp = 0; break;
		case 1: t.a_zp = g() & 0x1ff; t.b_zp = g() & 0x1ff; break;
		case 2: t.a_zp = 255; t.b_zp = 0x180; break;   /* 255 and -128 */
		default: t.a_zp = 0x180; t.b_zp = 255; break;
		}
		t.eval();
		t.clk = 1;
		t.eval();
	}
	printf("qa_array forms: %ld cycles, %ld mismatches\n", cycles, bad);
	return bad != 0;
}
