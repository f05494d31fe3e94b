// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
// qaccel accelerator top: AXI4-Lite control slave (s_axil_*), AXI4 memory
// master (m_axi_*, 128-bit), level interrupt. Same register map and
// descriptor ABI as the HLS kernel (include/qaccel_hw.h).
`default_nettype none

module qa_top #(
    parameter ROWS = 16,
    parameter COLS = 16,
    parameter BANK_WORDS = 256,     // reduction chunk: 4 KiB per lane, double-buffered
    parameter BANK_AW = 8,
    parameter B_WORDS = 8 * BANK_WORDS, // weights: a channel block's, double-buffered
    parameter B_AW = BANK_AW + 3
) (
    input  wire         clk,
    input  wire         rst_n,
    input  wire [6:0]   s_axil_awaddr,
    input  wire         s_axil_awvalid,
    output wire         s_axil_awready,
    input  wire [31:0]  s_axil_wdata,
    input  wire [3:0]   s_axil_wstrb,
    input  wire         s_axil_wvalid,
    output wire         s_axil_wready,
    output wire [1:0]   s_axil_bresp,
    output wire         s_axil_bvalid,
    input  wire         s_axil_bready,
    input  wire [6:0]   s_axil_araddr,
    input  wire         s_axil_arvalid,
    output wire         s_axil_arready,
    output wire [31:0]  s_axil_rdata,
    output wire [1:0]   s_axil_rresp,
    output wire         s_axil_rvalid,
    input  wire         s_axil_rready,
    output wire         interrupt,
    output wire [63:0]  m_axi_araddr,
    output wire [7:0]   m_axi_arlen,
    output wire [2:0]   m_axi_arsize,
    output wire [1:0]   m_axi_arburst,
    output wire         m_axi_arvalid,
    input  wire         m_axi_arready,
    input  wire [127:0] m_axi_rdata,
    input  wire [1:0]   m_axi_rresp,
    input  wire         m_axi_rlast,
    input  wire         m_axi_rvalid,
    output wire         m_axi_rready,
    output wire [63:0]  m_axi_awaddr,
    output wire [7:0]   m_axi_awlen,
    output wire [2:0]   m_axi_awsize,
    output wire [1:0]   m_axi_awburst,
    output wire         m_axi_awvalid,
    input  wire         m_axi_awready,
    output wire [127:0] m_axi_wdata,
    output wire [15:0]  m_axi_wstrb,
    output wire         m_axi_wlast,
    output wire         m_axi_wvalid,
    input  wire         m_axi_wready,
    input  wire [1:0]   m_axi_bresp,
    input  wire         m_axi_bvalid,
    output wire         m_axi_bready
);
    wire        ap_start, ap_done, ap_ready, ap_idle;
    wire [63:0] desc_addr, mem_base, cycles, macs, stalls;
    wire [31:0] desc_count, status;

    qa_ctrl #(.ROWS(ROWS), .COLS(COLS), .FEATURES(16'h0003), .VERSION(32'h0001_0000)) u_ctrl (
        .clk(clk), .rst_n(rst_n),
        .s_axil_awaddr(s_axil_awaddr), .s_axil_awvalid(s_axil_awvalid),
        .s_axil_awready(s_axil_awready), .s_axil_wdata(s_axil_wdata),
        .s_axil_wstrb(s_axil_wstrb), .s_axil_wvalid(s_axil_wvalid),
        .s_axil_wready(s_axil_wready), .s_axil_bresp(s_axil_bresp),
        .s_axil_bvalid(s_axil_bvalid), .s_axil_bready(s_axil_bready),
        .s_axil_araddr(s_axil_araddr), .s_axil_arvalid(s_axil_arvalid),
        .s_axil_arready(s_axil_arready), .s_axil_rdata(s_axil_rdata),
        .s_axil_rresp(s_axil_rresp), .s_axil_rvalid(s_axil_rvalid),
        .s_axil_rready(s_axil_rready), .interrupt(interrupt),
        .ap_start_o(ap_start), .ap_ready_i(ap_ready), .ap_done_i(ap_done),
        .ap_idle_i(ap_idle), .desc_addr_o(desc_addr), .desc_count_o(desc_count),
        .mem_base_o(mem_base), .cycles_i(cycles), .macs_i(macs), .stalls_i(stalls),
        .status_i(status)
    );

    qa_core #(.ROWS(ROWS), .COLS(COLS), .BANK_WORDS(BANK_WORDS), .BANK_AW(BANK_AW),
             .B_WORDS(B_WORDS), .B_AW(B_AW)) u_core (
        .clk(clk), .rst_n(rst_n),
        .ap_start(ap_start), .ap_done(ap_done), .ap_ready(ap_ready), .ap_idle(ap_idle),
        .desc_addr(desc_addr), .desc_count(desc_count), .mem_base(mem_base),
        .cycles(cycles), .macs(macs), .stalls(stalls), .status(status),
        .m_axi_araddr(m_axi_araddr), .m_axi_arlen(m_axi_arlen), .m_axi_arsize(m_axi_arsize),
        .m_axi_arburst(m_axi_arburst), .m_axi_arvalid(m_axi_arvalid),
        .m_axi_arready(m_axi_arready), .m_axi_rdata(m_axi_rdata), .m_axi_rresp(m_axi_rresp),
        .m_axi_rlast(m_axi_rlast), .m_axi_rvalid(m_axi_rvalid), .m_axi_rready(m_axi_rready),
        .m_axi_awaddr(m_axi_awaddr), .m_axi_awlen(m_axi_awlen), .m_axi_awsize(m_axi_awsize),
        .m_axi_awburst(m_axi_awburst), .m_axi_awvalid(m_axi_awvalid),
        .m_axi_awready(m_axi_awready), .m_axi_wdata(m_axi_wdata), .m_axi_wstrb(m_axi_wstrb),
        .m_axi_wlast(m_axi_wlast), .m_axi_wvalid(m_axi_wvalid), .m_axi_wready(m_axi_wready),
        .m_axi_bresp(m_axi_bresp), .m_axi_bvalid(m_axi_bvalid), .m_axi_bready(m_axi_bready)
    );
endmodule

`default_nettype wire
