// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
// Output-stationary MAC array, ROWS x COLS int32 accumulators. Each enabled
// cycle performs one reduction step for every (row, col):
//   acc[r][c] += (a[r][c] - a_zp) * (b[c] - b_zp)
// where, in GEMM/conv mode, a[r][c] = a_bytes[r] for every column (the row
// operand is shared across the row), and in depthwise mode a[r][c] = byte c
// of row r's word (each column its own channel).
// A finished tile is copied (snap) to a drain copy that is read out while the
// next tile accumulates.
//
// Written for simulation speed under Verilator, which evaluates all of it on
// every clock: one process, loops that unroll to straight-line code over
// packed vectors (sim/sim.mk raises Verilator's unroll limits), the operands
// formed once per row and column, and no per-PE wires. The drain read, the
// snap and the accumulate run in that order with blocking assignments, so
// each reads the values of before the clock edge (as non-blocking
// assignments would), without the delayed copies of the whole 8 Kibit
// accumulator state that Verilator makes for non-blocking writes to
// part-selects. Every variable is written only here; the temporaries (av,
// bv, a_op, prod) are assigned before they are read, so they are not
// registers. The accumulate step has a simulation form and a synthesis form
// of the same arithmetic (see there); both must be kept equal.
`default_nettype none

module qa_array #(
    parameter ROWS = 16,
    parameter COLS = 16,
    parameter IDX_W = 8
) (
    input  wire                 clk,
    input  wire                 en,        // one reduction step this cycle
    input  wire                 clear,     // first step of a tile: acc = product
    input  wire                 dw,        // depthwise: column c uses byte c
    input  wire [ROWS*8-1:0]    a_bytes,   // row operands (GEMM/conv mode)
    input  wire [ROWS*128-1:0]  a_words,   // per-row channel words (depthwise mode)
    input  wire [COLS*8-1:0]    b_bytes,   // column operands
    input  wire                 a_signed,
    input  wire                 b_signed,
    input  wire [8:0]           a_zp,      // signed
    input  wire [8:0]           b_zp,      // signed
    input  wire                 snap,      // copy the accumulators to the drain copy
    input  wire [IDX_W-1:0]     rd_row,    // row of the drain copy to read
    output reg  [COLS*32-1:0]   rd_data
);
    localparam N = ROWS * COLS;

    // operand minus zero point: 10 bits signed, then sign-extended to 32 so
    // that the simulator's products and sums are plain 32-bit arithmetic;
    // synthesis (yosys wreduce) strips the sign extension again, leaving the
    // 10 x 10 multiplier of the straightforward form
    function [9:0] opnd(input [7:0] v, input sgn, input [8:0] zp);
        opnd = $signed({sgn & v[7], sgn & v[7], v}) - $signed({zp[8], zp});
    endfunction
    function [31:0] sx(input [9:0] v);
        sx = {{22{v[9]}}, v};
    endfunction

    // acc element (r, c) is acc_q[(r*COLS + c)*32 +: 32]; row r of the drain
    // copy is shadow_q[r*COLS*32 +: COLS*32]
    reg [N*32-1:0]      acc_q;
    reg [N*32-1:0]      shadow_q;
    reg [ROWS*32-1:0]   av;        // operand of row r: av[r*32 +: 32]
    reg [COLS*32-1:0]   bv;        // operand of column c: bv[c*32 +: 32]
`ifndef QA_ARRAY_SIM_FORM
    reg [9:0]           a_op;      // row operand of the PE at hand
    reg signed [31:0]   prod;      // its product
`endif
    integer r, c;

    /* verilator lint_off BLKSEQ */
    always @(posedge clk) begin
        rd_data <= shadow_q[rd_row*COLS*32 +: COLS*32];
        if (snap)
            shadow_q = acc_q;
        if (en) begin
            for (r = 0; r < ROWS; r = r + 1)
                av[r*32 +: 32] = sx(opnd(a_bytes[r*8 +: 8], a_signed, a_zp));
            for (c = 0; c < COLS; c = c + 1)
                bv[c*32 +: 32] = sx(opnd(b_bytes[c*8 +: 8], b_signed, b_zp));
`ifdef QA_ARRAY_SIM_FORM
            // Simulation form (sim/sim.mk defines QA_ARRAY_SIM_FORM): the mode
            // decided once per cycle, every product a plain 32-bit multiply of
            // operands sign-extended once per row and column. Same values as
            // the form below (products fit 20 bits, so the low 32 bits of the
            // 32-bit product are the sign-extended 20-bit product); that form
            // is what synthesis sees: one 10 x 10 multiplier per PE with its
            // row operand muxed by dw. (Written once for both, Verilator would
            // evaluate the depthwise operand and the sign extension for every
            // PE on every cycle, about a quarter of the whole model's time.)
            // Depthwise: every PE its own operand byte, extended by a loop
            // chosen once per cycle for the operand type.
            if (dw && a_signed) begin
                for (r = 0; r < ROWS; r = r + 1)
                    for (c = 0; c < COLS; c = c + 1)
                        acc_q[(r*COLS + c)*32 +: 32] = (clear ? 32'd0 : acc_q[(r*COLS + c)*32 +: 32])
                            + ({{24{a_words[r*128 + (c % 16)*8 + 7]}}, a_words[r*128 + (c % 16)*8 +: 8]}
                               - sx({a_zp[8], a_zp})) * bv[c*32 +: 32];
            end else if (dw) begin
                for (r = 0; r < ROWS; r = r + 1)
                    for (c = 0; c < COLS; c = c + 1)
                        acc_q[(r*COLS + c)*32 +: 32] = (clear ? 32'd0 : acc_q[(r*COLS + c)*32 +: 32])
                            + ({24'd0, a_words[r*128 + (c % 16)*8 +: 8]} - sx({a_zp[8], a_zp}))
                              * bv[c*32 +: 32];
            end else begin
                for (r = 0; r < ROWS; r = r + 1)
                    for (c = 0; c < COLS; c = c + 1)
                        acc_q[(r*COLS + c)*32 +: 32] = (clear ? 32'd0 : acc_q[(r*COLS + c)*32 +: 32])
                            + av[r*32 +: 32] * bv[c*32 +: 32];
            end
`else
            // Synthesis form (and `make lint-rtl`).
            for (r = 0; r < ROWS; r = r + 1)
                for (c = 0; c < COLS; c = c + 1) begin
                    if (dw)
                        a_op = opnd(a_words[r*128 + (c % 16)*8 +: 8], a_signed, a_zp);
                    else
                        a_op = av[r*32 +: 10];
                    // a signed product on its own (in the sum with unsigned
                    // terms it would be unsigned, and not narrowed by synthesis)
                    prod = $signed(sx(a_op)) * $signed(bv[c*32 +: 32]);
                    acc_q[(r*COLS + c)*32 +: 32] = (clear ? 32'd0 : acc_q[(r*COLS + c)*32 +: 32])
                        + prod;
                end
`endif
        end
    end
    /* verilator lint_on BLKSEQ */
endmodule

`default_nettype wire
