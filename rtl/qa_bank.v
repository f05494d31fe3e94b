// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
// One operand lane of on-chip SRAM: WORDS x 128-bit, split into an even and
// an odd half so that a 16-byte AXI beat landing at any byte alignment
// (touching words w and w+1) is written in one cycle, one write port per
// half. Byte write enables, one registered read port (word granular).
`default_nettype none

module qa_bank #(
    parameter WORDS = 64,      // power of two
    parameter AW = 6           // log2(WORDS)
) (
    input  wire          clk,
    input  wire          we,
    input  wire [AW-1:0] waddr,  // word w; the high half goes to w+1
    input  wire [255:0]  wdata,
    input  wire [31:0]   wbe,
    input  wire [AW-1:0] raddr,
    input  wire [3:0]    rsel,    // byte of the read word for rbyte
    output reg  [127:0]  rdata,
    output reg  [7:0]    rbyte
);
    localparam HW = WORDS / 2;   // words per half
    reg [127:0] mem_even [0:HW-1];
    reg [127:0] mem_odd [0:HW-1];

    // Written for simulation speed under Verilator, which evaluates all
    // logic on every clock: one process per bank, the write decode below
    // evaluated only on the cycles that write, and each half read only when
    // its word is the one asked for.
    //
    // Writes: word w and w+1, one even and one odd. The memory writes are
    // blocking and come after the reads in the same process, so a read of
    // the word being written returns the old data, exactly as with
    // non-blocking writes (and as block RAM in read-first mode). With
    // blocking writes the simulator updates the memories in place; a
    // non-blocking byte write makes Verilator keep a delayed-write flag, value and address per byte lane
    // and memory, cleared and tested on every cycle (2048 over the 32 banks
    // of the core).
    //
    // Reads: registered straight out of each half (block-RAM friendly); the
    // odd half's register is loaded only when the word read is odd (a read
    // enable), and the even/odd select after the registers picks the half
    // that was just read, so rdata/rbyte are as if both were read every
    // cycle. (Only the odd half has the enable: yosys maps an active-low
    // flip-flop enable on xc7 to one inverter per flip-flop.)
    reg [127:0]     even_q, odd_q;
    reg             odd_sel;
    reg [3:0]       rsel_q;
    wire [AW-2:0]   r_l = raddr[AW-1:1];
    // write decode (temporaries of the process below, not registers)
    reg [AW-1:0]    w1;
    reg             w_odd, hi_ok, even_we, odd_we;
    reg [AW-2:0]    even_a, odd_a;
    reg [127:0]     even_d, odd_d;
    reg [15:0]      even_be, odd_be;
    integer i;
    /* verilator lint_off BLKSEQ */
    always @(posedge clk) begin
        even_q <= mem_even[r_l];
        if (raddr[0])
            odd_q <= mem_odd[r_l];
        odd_sel <= raddr[0];
        rsel_q <= rsel;
        if (we) begin
            w1 = waddr + 1'b1;
            w_odd = waddr[0];
            even_a = w_odd ? w1[AW-1:1] : waddr[AW-1:1];
            odd_a = waddr[AW-1:1];
            even_d = w_odd ? wdata[255:128] : wdata[127:0];
            odd_d = w_odd ? wdata[127:0] : wdata[255:128];
            even_be = w_odd ? wbe[31:16] : wbe[15:0];
            odd_be = w_odd ? wbe[15:0] : wbe[31:16];
            // the high half never wraps around to word 0
            hi_ok = w1 != {AW{1'b0}};
            even_we = w_odd ? hi_ok : 1'b1;
            odd_we = w_odd ? 1'b1 : hi_ok;
            for (i = 0; i < 16; i = i + 1) begin
                if (even_we && even_be[i])
                    mem_even[even_a][i*8 +: 8] = even_d[i*8 +: 8];
                if (odd_we && odd_be[i])
                    mem_odd[odd_a][i*8 +: 8] = odd_d[i*8 +: 8];
            end
        end
    end
    /* verilator lint_on BLKSEQ */

    always @(*) begin
        rdata = odd_sel ? odd_q : even_q;
        rbyte = rdata[rsel_q*8 +: 8];
    end
endmodule

`default_nettype wire
