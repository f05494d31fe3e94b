// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
// qaccel AXI4-Lite control slave: the Vitis HLS ap_ctrl_hs register map of
// include/qaccel_hw.h (DESIGN.md section 4), byte for byte.
//
//  0x00 CTRL  bit0 ap_start (W1, cleared when the core takes it unless
//             auto_restart), bit1 ap_done (clear on read), bit2 ap_idle,
//             bit3 ap_ready (clear on read), bit7 auto_restart
//  0x04 GIE   0x08 IER   0x0C ISR (toggle on write)
//  0x10 desc addr lo/hi, 0x1C desc count, 0x24 mem base lo/hi
//  0x30 version, 0x38 config, 0x40 cycles, 0x4C macs, 0x58 stalls,
//  0x64 status (read-only outputs; the word after each is its ap_vld word)
`default_nettype none

module qa_ctrl #(
    parameter ROWS = 16,
    parameter COLS = 16,
    parameter [15:0] FEATURES = 16'h0003,
    parameter [31:0] VERSION = 32'h0001_0000
) (
    input  wire        clk,
    input  wire        rst_n,
    // AXI4-Lite slave
    input  wire [6:0]  s_axil_awaddr,
    input  wire        s_axil_awvalid,
    output wire        s_axil_awready,
    input  wire [31:0] s_axil_wdata,
    input  wire [3:0]  s_axil_wstrb,
    input  wire        s_axil_wvalid,
    output wire        s_axil_wready,
    output wire [1:0]  s_axil_bresp,
    output reg         s_axil_bvalid,
    input  wire        s_axil_bready,
    input  wire [6:0]  s_axil_araddr,
    input  wire        s_axil_arvalid,
    output wire        s_axil_arready,
    output reg  [31:0] s_axil_rdata,
    output wire [1:0]  s_axil_rresp,
    output reg         s_axil_rvalid,
    input  wire        s_axil_rready,
    output wire        interrupt,
    // core handshake
    output wire        ap_start_o,   // level: core may take a job
    input  wire        ap_ready_i,   // pulse: job taken and finished (ap_ctrl_hs)
    input  wire        ap_done_i,    // pulse
    input  wire        ap_idle_i,
    output wire [63:0] desc_addr_o,
    output wire [31:0] desc_count_o,
    output wire [63:0] mem_base_o,
    input  wire [63:0] cycles_i,
    input  wire [63:0] macs_i,
    input  wire [63:0] stalls_i,
    input  wire [31:0] status_i
);
    reg        int_ap_start, int_ap_done, int_ap_ready, int_auto_restart;
    reg        int_gie;
    reg [1:0]  int_ier, int_isr;
    reg [63:0] int_desc_addr, int_mem_base;
    reg [31:0] int_desc_count;
    reg        int_out_vld;      // the read-only outputs hold a finished run

    // ---- write channel: address and data may arrive in either order ----
    reg        aw_have, w_have;
    reg [6:0]  aw_addr;
    reg [31:0] w_data;
    reg [3:0]  w_strb;
    assign s_axil_awready = !aw_have && !s_axil_bvalid;
    assign s_axil_wready = !w_have && !s_axil_bvalid;
    assign s_axil_bresp = 2'b00;
    wire       aw_hs = s_axil_awvalid && s_axil_awready;
    wire       w_hs = s_axil_wvalid && s_axil_wready;
    wire       wr_aw_ok = aw_have || aw_hs;
    wire       wr_w_ok = w_have || w_hs;
    wire       wr_fire = wr_aw_ok && wr_w_ok && !s_axil_bvalid;
    wire [6:0] wr_addr = aw_have ? aw_addr : s_axil_awaddr;
    wire [31:0] wr_data = w_have ? w_data : s_axil_wdata;
    wire [3:0] wr_strb = w_have ? w_strb : s_axil_wstrb;
    wire [31:0] wr_mask = {{8{wr_strb[3]}}, {8{wr_strb[2]}}, {8{wr_strb[1]}}, {8{wr_strb[0]}}};

    // ---- read channel ----
    assign s_axil_arready = !s_axil_rvalid;
    assign s_axil_rresp = 2'b00;
    wire       ar_hs = s_axil_arvalid && s_axil_arready;
    wire       rd_ctrl = ar_hs && s_axil_araddr[6:2] == 5'h00;

    function [31:0] merge(input [31:0] old, input [31:0] nw, input [31:0] mask);
        merge = (old & ~mask) | (nw & mask);
    endfunction

    always @(posedge clk) begin
        if (!rst_n) begin
            aw_have <= 1'b0;
            w_have <= 1'b0;
            aw_addr <= 7'd0;
            w_data <= 32'd0;
            w_strb <= 4'd0;
            s_axil_bvalid <= 1'b0;
            s_axil_rvalid <= 1'b0;
            s_axil_rdata <= 32'd0;
            int_ap_start <= 1'b0;
            int_ap_done <= 1'b0;
            int_ap_ready <= 1'b0;
            int_auto_restart <= 1'b0;
            int_gie <= 1'b0;
            int_ier <= 2'b00;
            int_isr <= 2'b00;
            int_desc_addr <= 64'd0;
            int_mem_base <= 64'd0;
            int_desc_count <= 32'd0;
            int_out_vld <= 1'b0;
        end else begin
            // write side
            if (aw_hs && !wr_fire) begin
                aw_have <= 1'b1;
                aw_addr <= s_axil_awaddr;
            end
            if (w_hs && !wr_fire) begin
                w_have <= 1'b1;
                w_data <= s_axil_wdata;
                w_strb <= s_axil_wstrb;
            end
            if (wr_fire) begin
                aw_have <= 1'b0;
                w_have <= 1'b0;
                s_axil_bvalid <= 1'b1;
            end else if (s_axil_bvalid && s_axil_bready) begin
                s_axil_bvalid <= 1'b0;
            end

            // ap_start: host sets, core clears it when it takes the job
            if (ap_ready_i && !int_auto_restart)
                int_ap_start <= 1'b0;
            if (wr_fire && wr_addr[6:2] == 5'h00 && wr_strb[0] && wr_data[0])
                int_ap_start <= 1'b1;
            if (wr_fire && wr_addr[6:2] == 5'h00 && wr_strb[0])
                int_auto_restart <= wr_data[7];

            // ap_done / ap_ready: set by the core, cleared when CTRL is read
            if (ap_done_i)
                int_ap_done <= 1'b1;
            else if (rd_ctrl)
                int_ap_done <= 1'b0;
            if (ap_ready_i)
                int_ap_ready <= 1'b1;
            else if (rd_ctrl)
                int_ap_ready <= 1'b0;
            if (ap_done_i)
                int_out_vld <= 1'b1;

            if (wr_fire && wr_addr[6:2] == 5'h01 && wr_strb[0])
                int_gie <= wr_data[0];
            if (wr_fire && wr_addr[6:2] == 5'h02 && wr_strb[0])
                int_ier <= wr_data[1:0];
            // ISR: an event sets its bit; writing a 1 toggles it
            begin : isr_update
                reg [1:0] nxt;
                nxt = int_isr;
                if (wr_fire && wr_addr[6:2] == 5'h03 && wr_strb[0])
                    nxt = nxt ^ wr_data[1:0];
                if (int_ier[0] && ap_done_i)
                    nxt[0] = 1'b1;
                if (int_ier[1] && ap_ready_i)
                    nxt[1] = 1'b1;
                int_isr <= nxt;
            end

            if (wr_fire && wr_addr[6:2] == 5'h04)
                int_desc_addr[31:0] <= merge(int_desc_addr[31:0], wr_data, wr_mask);
            if (wr_fire && wr_addr[6:2] == 5'h05)
                int_desc_addr[63:32] <= merge(int_desc_addr[63:32], wr_data, wr_mask);
            if (wr_fire && wr_addr[6:2] == 5'h07)
                int_desc_count <= merge(int_desc_count, wr_data, wr_mask);
            if (wr_fire && wr_addr[6:2] == 5'h09)
                int_mem_base[31:0] <= merge(int_mem_base[31:0], wr_data, wr_mask);
            if (wr_fire && wr_addr[6:2] == 5'h0A)
                int_mem_base[63:32] <= merge(int_mem_base[63:32], wr_data, wr_mask);

            // read side
            if (ar_hs) begin
                s_axil_rvalid <= 1'b1;
                case (s_axil_araddr[6:2])
                5'h00: s_axil_rdata <= {24'd0, int_auto_restart, 3'd0, int_ap_ready,
                                        ap_idle_i, int_ap_done, int_ap_start};
                5'h01: s_axil_rdata <= {31'd0, int_gie};
                5'h02: s_axil_rdata <= {30'd0, int_ier};
                5'h03: s_axil_rdata <= {30'd0, int_isr};
                5'h04: s_axil_rdata <= int_desc_addr[31:0];
                5'h05: s_axil_rdata <= int_desc_addr[63:32];
                5'h07: s_axil_rdata <= int_desc_count;
                5'h09: s_axil_rdata <= int_mem_base[31:0];
                5'h0A: s_axil_rdata <= int_mem_base[63:32];
                5'h0C: s_axil_rdata <= VERSION;
                5'h0D: s_axil_rdata <= 32'd1;
                5'h0E: s_axil_rdata <= {FEATURES, COLS[7:0], ROWS[7:0]};
                5'h0F: s_axil_rdata <= 32'd1;
                5'h10: s_axil_rdata <= cycles_i[31:0];
                5'h11: s_axil_rdata <= cycles_i[63:32];
                5'h12: s_axil_rdata <= {31'd0, int_out_vld};
                5'h13: s_axil_rdata <= macs_i[31:0];
                5'h14: s_axil_rdata <= macs_i[63:32];
                5'h15: s_axil_rdata <= {31'd0, int_out_vld};
                5'h16: s_axil_rdata <= stalls_i[31:0];
                5'h17: s_axil_rdata <= stalls_i[63:32];
                5'h18: s_axil_rdata <= {31'd0, int_out_vld};
                5'h19: s_axil_rdata <= status_i;
                5'h1A: s_axil_rdata <= {31'd0, int_out_vld};
                default: s_axil_rdata <= 32'd0;
                endcase
            end else if (s_axil_rvalid && s_axil_rready) begin
                s_axil_rvalid <= 1'b0;
            end
        end
    end

    assign interrupt = int_gie && (int_isr != 2'b00);
    assign ap_start_o = int_ap_start;
    assign desc_addr_o = int_desc_addr;
    assign desc_count_o = int_desc_count;
    assign mem_base_o = int_mem_base;
endmodule

`default_nettype wire
