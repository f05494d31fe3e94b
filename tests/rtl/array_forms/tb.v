// SPDX-License-Identifier: MIT
// rtl/qa_array.v has a simulation form (sim/sim.mk defines QA_ARRAY_SIM_FORM;
// it is what every sim test runs) and a synthesis form (what yosys maps).
// This bench holds one of each (the makefile renames the modules) on the same
// inputs; tb.cpp drives random cycles and requires identical drain reads.
`default_nettype none
module tb (
    input  wire           clk,
    input  wire           en,
    input  wire           clear,
    input  wire           dw,
    input  wire [127:0]   a_bytes,
    input  wire [2047:0]  a_words,
    input  wire [127:0]   b_bytes,
    input  wire           a_signed,
    input  wire           b_signed,
    input  wire [8:0]     a_zp,
    input  wire [8:0]     b_zp,
    input  wire           snap,
    input  wire [3:0]     rd_row,
    output wire [511:0]   rd_sim,
    output wire [511:0]   rd_syn
);
    qa_array_sim #(.IDX_W(4)) u_sim (
        .clk(clk), .en(en), .clear(clear), .dw(dw), .a_bytes(a_bytes), .a_words(a_words),
        .b_bytes(b_bytes), .a_signed(a_signed), .b_signed(b_signed), .a_zp(a_zp), .b_zp(b_zp),
        .snap(snap), .rd_row(rd_row), .rd_data(rd_sim));
    qa_array_syn #(.IDX_W(4)) u_syn (
        .clk(clk), .en(en), .clear(clear), .dw(dw), .a_bytes(a_bytes), .a_words(a_words),
        .b_bytes(b_bytes), .a_signed(a_signed), .b_signed(b_signed), .a_zp(a_zp), .b_zp(b_zp),
        .snap(snap), .rd_row(rd_row), .rd_data(rd_syn));
endmodule
`default_nettype wire
