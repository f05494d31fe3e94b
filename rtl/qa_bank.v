// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
// One operand lane of on-chip SRAM: WORDS x 128-bit, split into an even and
// an odd half so that a 16-byte AXI beat landing at any byte alignment
// (touching words w and w+1) is written in one cycle, one write port per
// half. Byte write enables, one registered read port (word granular).
// Each half is kept as two memories, one per operand buffer (the top address
// bit), so that a write can go to both buffers at once (wdup) with still one
// write port per memory.
`default_nettype none

module qa_bank #(
    parameter WORDS = 64,      // power of two
    parameter AW = 6           // log2(WORDS)
) (
    input  wire          clk,
    input  wire          we,
    input  wire          wdup,   // write the same bytes in the other buffer too
    input  wire [AW-1:0] waddr,  // word w; the high half goes to w+1
    input  wire [255:0]  wdata,
    input  wire [31:0]   wbe,
    input  wire [AW-1:0] raddr,
    input  wire [3:0]    rsel,    // byte of the read word for rbyte
    output reg  [127:0]  rdata,
    output reg  [7:0]    rbyte
);
    localparam HW = WORDS / 4;   // words per half per buffer
    reg [127:0] mem_even0 [0:HW-1];
    reg [127:0] mem_even1 [0:HW-1];
    reg [127:0] mem_odd0 [0:HW-1];
    reg [127:0] mem_odd1 [0:HW-1];

    // word w and w+1: one is even, one is odd
    wire [AW-1:0]   w1 = waddr + 1'b1;
    wire            w_odd = waddr[0];
    wire [AW-2:0]   even_a = w_odd ? w1[AW-1:1] : waddr[AW-1:1];
    wire [AW-2:0]   odd_a = waddr[AW-1:1];
    wire [127:0]    even_d = w_odd ? wdata[255:128] : wdata[127:0];
    wire [127:0]    odd_d = w_odd ? wdata[127:0] : wdata[255:128];
    wire [15:0]     even_be = w_odd ? wbe[31:16] : wbe[15:0];
    wire [15:0]     odd_be = w_odd ? wbe[15:0] : wbe[31:16];
    // the high half never wraps around to word 0
    wire            hi_ok = w1 != {AW{1'b0}};
    wire            even_we = we && (w_odd ? hi_ok : 1'b1);
    wire            odd_we = we && (w_odd ? 1'b1 : hi_ok);

    wire            even_b = even_a[AW-2];
    wire            odd_b = odd_a[AW-2];
    wire [AW-3:0]   even_l = even_a[AW-3:0];
    wire [AW-3:0]   odd_l = odd_a[AW-3:0];

    integer i;
    always @(posedge clk) begin
        if (even_we && (wdup || !even_b))
            for (i = 0; i < 16; i = i + 1)
                if (even_be[i])
                    mem_even0[even_l][i*8 +: 8] <= even_d[i*8 +: 8];
        if (even_we && (wdup || even_b))
            for (i = 0; i < 16; i = i + 1)
                if (even_be[i])
                    mem_even1[even_l][i*8 +: 8] <= even_d[i*8 +: 8];
        if (odd_we && (wdup || !odd_b))
            for (i = 0; i < 16; i = i + 1)
                if (odd_be[i])
                    mem_odd0[odd_l][i*8 +: 8] <= odd_d[i*8 +: 8];
        if (odd_we && (wdup || odd_b))
            for (i = 0; i < 16; i = i + 1)
                if (odd_be[i])
                    mem_odd1[odd_l][i*8 +: 8] <= odd_d[i*8 +: 8];
    end

    // registered reads straight out of each half (block-RAM friendly), the
    // even/odd select and the byte select after the registers
    reg [127:0] even_q, odd_q;
    reg         odd_sel;
    reg [3:0]   rsel_q;
    always @(posedge clk) begin
        even_q <= raddr[AW-1] ? mem_even1[raddr[AW-2:1]] : mem_even0[raddr[AW-2:1]];
        odd_q <= raddr[AW-1] ? mem_odd1[raddr[AW-2:1]] : mem_odd0[raddr[AW-2:1]];
        odd_sel <= raddr[0];
        rsel_q <= rsel;
    end
    always @(*) begin
        rdata = odd_sel ? odd_q : even_q;
        rbyte = rdata[rsel_q*8 +: 8];
    end
endmodule

`default_nettype wire
