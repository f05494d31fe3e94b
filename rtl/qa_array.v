// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
// Output-stationary MAC array, ROWS x COLS int32 accumulators. Each enabled
// cycle performs one reduction step for every (row, col):
//   acc[r][c] += (a[r][c] - a_zp) * (b[c] - b_zp)
// where, in GEMM/conv mode, a[r][c] = a_bytes[r] for every column (the row
// operand is shared across the row), and in depthwise mode a[r][c] = byte c
// of row r's word (each column its own channel).
// A finished tile is copied (snap) to a drain copy that is read out while the
// next tile accumulates. Written as vectors in one module so Verilator evaluates a whole step per
// cycle without per-PE module boundaries.
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
    function signed [9:0] opnd(input [7:0] v, input sgn, input [8:0] zp);
        opnd = $signed({sgn & v[7], sgn & v[7], v}) - $signed({zp[8], zp});
    endfunction

    wire [COLS*32-1:0] acc_row [0:ROWS-1];

    genvar r, c;
    generate
        for (r = 0; r < ROWS; r = r + 1) begin : g_row
            wire signed [9:0] av = opnd(a_bytes[r*8 +: 8], a_signed, a_zp);
            for (c = 0; c < COLS; c = c + 1) begin : g_col
                wire signed [9:0]  bv = opnd(b_bytes[c*8 +: 8], b_signed, b_zp);
                wire signed [9:0]  adw = opnd(a_words[r*128 + (c % 16)*8 +: 8], a_signed, a_zp);
                wire signed [9:0]  asel = dw ? adw : av;
                wire signed [19:0] p = $signed({{10{asel[9]}}, asel}) * $signed({{10{bv[9]}}, bv});
                reg [31:0]         acc_q, shadow_q;
                always @(posedge clk) begin
                    if (en)
                        acc_q <= (clear ? 32'd0 : acc_q) + {{12{p[19]}}, p};
                    if (snap)
                        shadow_q <= acc_q;
                end
                assign acc_row[r][c*32 +: 32] = shadow_q;
            end
        end
    endgenerate

    always @(posedge clk)
        rd_data <= acc_row[rd_row];
endmodule

`default_nettype wire
