// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
// qaccel core: descriptor fetch and validation, tiling sequencer, implicit
// im2col address generation, AXI4 read DMA (bursts, many in flight) into
// per-lane operand SRAM, the MAC array, sequential requantization and the
// AXI4 write DMA for results.
//
// Dataflow (output stationary). A descriptor is a set of GEMMs, one per
// group: Y[m][n] = sum_k A[m][k] * B[k][n] where m runs over output pixels
// (batch, oh, ow), n over the group's output channels and
// k = (kh, kw, ci) over the receptive field. GEMM is the 1x1 special case
// (H = M, W = 1, Cin = K). Channels go in blocks of up to NBMAX tiles of COLS
// (as many as the B lanes hold), pixels in tiles of ROWS:
//   1. the loader streams each pixel's receptive field in runs of contiguous
//      bytes (a whole kernel row when it lies inside the image; padding taps
//      become fills with the input zero point) into A lane r, and the
//      block's weights (OHWI: contiguous along k) into the B lanes, column c
//      of tile j in lane c at offset j * ceil(K/16) words, or, for GEMM
//      (B is [K][N]), one row of up to COLS bytes per (k, tile) spread across
//      the lanes; up to 64 runs are in flight on AXI,
//   2. the array runs one reduction step per cycle, one pass per channel tile
//      of the block over the same activations (so A is read from memory once
//      per block, not once per channel tile); a reduction deeper than a chunk
//      (KCB bytes) takes two chunks that split K evenly, one per A buffer,
//      and each channel tile makes its chunk-0 pass then its chunk-1 pass
//      (deeper still: more chunks, one channel tile per block); the A SRAMs
//      are double-buffered so the next chunk/pixel tile loads while the
//      array computes,
//   3. a finished tile is copied to shadow accumulators in the cycle the next
//      tile's first step clears them, and drained (a row per cycle through
//      COLS requant units, a row FIFO, the write DMA whose addresses run
//      ahead of its data) while the next tile accumulates.
// The weights of a block stay in the B lanes across all its pixel tiles
// when K takes at most two chunks; they load whole, ahead of the block's
// activations, into the half of the B lanes the last block does not use
// (with its requant parameters into the second parameter slot), so they
// stream while the last block computes. Deeper reductions bring their
// weights with each chunk. Depthwise (one input and one output channel per
// group) maps channels across the columns, every column its own channel:
// with line reuse (dwl, below) the A lanes share a ring of input-row
// segments and each output row's tile loads only the input rows its
// predecessor lacks; otherwise A lane r holds, per tap, the 16 channels.
`default_nettype none

module qa_core #(
    parameter ROWS = 16,
    parameter COLS = 16,
    parameter BANK_WORDS = 256,         // 16-byte words per lane: chunk = 16 * BANK_WORDS bytes
    parameter BANK_AW = 8,
    parameter B_WORDS = 8 * BANK_WORDS,   // 16-byte words per B lane
    parameter B_AW = BANK_AW + 3
) (
    input  wire         clk,
    input  wire         rst_n,
    // ap_ctrl_hs
    input  wire         ap_start,
    output wire         ap_done,     // pulse in the last cycle of a run
    output wire         ap_ready,
    output wire         ap_idle,
    input  wire [63:0]  desc_addr,
    input  wire [31:0]  desc_count,
    input  wire [63:0]  mem_base,
    output reg  [63:0]  cycles,
    output reg  [63:0]  macs,
    output reg  [63:0]  stalls,
    output reg  [31:0]  status,
    // AXI4 master (128-bit data)
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
    localparam KCB = BANK_WORDS * 16;    // reduction bytes per lane per chunk
    // B lanes hold a channel block's weights for a whole (up to two-chunk)
    // reduction, in two halves (double-buffered across blocks) while a block
    // fits one: with the default 8x the A buffer, blocks of 3 channel tiles
    // of a K = 4608 reduction load their weights while the last block
    // computes. Smaller B lanes (>= 2x the A buffer) give smaller blocks.
    localparam BAW = B_AW;
    localparam [31:0] BW = B_WORDS;
    localparam [BAW:0] BW_HALF = BW[BAW+1:1];
    // A channel block is up to NBMAX channel tiles whose weights share the B
    // lanes, so each pixel tile's activations, loaded once, feed NBMAX passes.
    localparam NBMAX = 4;
    localparam PW = NBMAX * COLS / 4;     // 128-bit words per parameter vector
    localparam [6:0] WPT = COLS / 4;      // parameter words per channel tile
    localparam IDX_W = $clog2(ROWS);      // row index of the drain read port

    // error codes (include/qaccel_hw.h)
    localparam [15:0] E_NONE = 16'd0, E_HEADER = 16'd1, E_TYPE = 16'd2, E_SHAPE = 16'd3,
                      E_QUANT = 16'd4, E_REQUANT = 16'd5, E_ADDRESS = 16'd6,
                      E_DEEP = 16'd7, E_RESERVED = 16'd8;

    // sequencer states
    localparam [4:0] S_IDLE = 5'd0, S_FETCH = 5'd1, S_DIV1 = 5'd2, S_DIV1W = 5'd3,
                     S_DIV2 = 5'd4, S_DIV2W = 5'd5, S_CHECK = 5'd6, S_PARAM = 5'd7,
                     S_PCHECK = 5'd8, S_LOAD = 5'd9, S_LWAIT = 5'd10, S_DESCEND = 5'd15,
                     S_FAIL = 5'd16, S_DONE = 5'd17, S_FETCHW = 5'd18, S_PARAMW = 5'd19,
                     S_BPRE = 5'd20;

    // generator modes
    localparam [2:0] GM_NONE = 3'd0, GM_DESC = 3'd1, GM_PARAM = 3'd2, GM_A = 3'd3, GM_B = 3'd4;
    // run destinations
    localparam [1:0] D_REG = 2'd0, D_A = 2'd1, D_B = 2'd2, D_BT = 2'd3;

    reg [4:0]  st;
    reg [31:0] di;            // descriptor index
    reg [15:0] err_code;

    // ------------------------------------------------------------------
    // Register file: descriptor (words 0-7), then two parameter slots, each
    // the bias, mult and shift of one channel block (PW words each): the next
    // block's parameters load while the last tiles of the current one drain.
    // ------------------------------------------------------------------
    reg [127:0] prm [0:127];
    wire [1023:0] dsc = {prm[7], prm[6], prm[5], prm[4], prm[3], prm[2], prm[1], prm[0]};

    wire [31:0] f_header = dsc[0 +: 32];
    wire [7:0]  f_in_type = dsc[32 +: 8];
    wire [7:0]  f_w_type = dsc[40 +: 8];
    wire [7:0]  f_out_type = dsc[48 +: 8];
    wire [7:0]  f_flags = dsc[56 +: 8];
    wire [31:0] f_batch = dsc[8'h08*8 +: 32];
    wire [31:0] f_in_h = dsc[8'h0C*8 +: 32];
    wire [31:0] f_in_w = dsc[8'h10*8 +: 32];
    wire [31:0] f_in_c = dsc[8'h14*8 +: 32];
    wire [31:0] f_out_h = dsc[8'h18*8 +: 32];
    wire [31:0] f_out_w = dsc[8'h1C*8 +: 32];
    wire [31:0] f_out_c = dsc[8'h20*8 +: 32];
    wire [31:0] f_groups = dsc[8'h24*8 +: 32];
    wire [15:0] f_kh = dsc[8'h28*8 +: 16];
    wire [15:0] f_kw = dsc[8'h2A*8 +: 16];
    wire [15:0] f_sh = dsc[8'h2C*8 +: 16];
    wire [15:0] f_sw = dsc[8'h2E*8 +: 16];
    wire [15:0] f_dh = dsc[8'h30*8 +: 16];
    wire [15:0] f_dw = dsc[8'h32*8 +: 16];
    wire [15:0] f_pt = dsc[8'h34*8 +: 16];
    wire [15:0] f_pl = dsc[8'h36*8 +: 16];
    wire [15:0] f_pb = dsc[8'h38*8 +: 16];
    wire [15:0] f_pr = dsc[8'h3A*8 +: 16];
    wire [31:0] f_in_zp = dsc[8'h3C*8 +: 32];
    wire [31:0] f_w_zp = dsc[8'h40*8 +: 32];
    wire [31:0] f_out_zp = dsc[8'h44*8 +: 32];
    wire [31:0] f_act_min = dsc[8'h48*8 +: 32];
    wire [31:0] f_act_max = dsc[8'h4C*8 +: 32];
    wire [63:0] f_in_addr = dsc[8'h50*8 +: 64];
    wire [63:0] f_w_addr = dsc[8'h58*8 +: 64];
    wire [63:0] f_bias_addr = dsc[8'h60*8 +: 64];
    wire [63:0] f_mult_addr = dsc[8'h68*8 +: 64];
    wire [63:0] f_shift_addr = dsc[8'h70*8 +: 64];
    wire [63:0] f_out_addr = dsc[10'h78*8 +: 64];

    wire        is_gemm = f_header[7:0] == 8'd1;
    wire        out_i32 = f_out_type == 8'd2;
    wire        has_bias = f_flags[0];

    // ------------------------------------------------------------------
    // Derived geometry (valid after S_CHECK)
    // ------------------------------------------------------------------
    reg [31:0] cg, ng, cg_rem, ng_rem;   // channels per group (in / out)
    reg        dwm;                      // depthwise mode
    reg [31:0] kdep;                     // reduction depth K
    reg [31:0] mtot;                     // output pixels M
    reg [31:0] ntile;                    // columns to tile: Ng, or Cout in dw mode
    reg [31:0] giter;                    // groups to iterate: G, or 1 in dw mode
    reg [31:0] kch;                      // chunk length in k steps
    reg [31:0] rowbytes;                 // bytes of one kernel row: kw * channels per group
    // Depthwise with line reuse (dwl): pixel tiles are up to ROWS outputs of
    // one output row, walked down a strip of columns. Every A lane holds the
    // same ring of input-row segments (16 channels per word, written to all
    // lanes at once); lane r reads word r * stride_w + kw_tap of a kernel
    // row. A tile loads only the stride_h input rows its predecessor lacks,
    // so each input byte is fetched about once, not kh * kw times. The ring
    // has 2 * kh rows, or 4 * kh with four operand entries (dl_deep): a fill
    // (at most kh rows) lands only once the entry's previous tile has
    // released it, so it never overwrites rows of a tile still live.
    reg        dwl;
    reg [BANK_AW+1:0] segw;              // words per ring row (ROWS outputs' input columns)
    reg [15:0] ring_r;                   // rows in the ring
    reg [BANK_AW+1:0] ring_w, srow_w;    // words in the ring; in stride_h rows
    reg        lfull;                    // the next fill loads all kh rows
    reg [15:0] gw_slot;                  // ring write pointer: row slot, its first word
    reg [BANK_AW+1:0] gw_word;
    reg [15:0] ld_q;                     // slot / word of the fill's first kernel row
    reg [BANK_AW+1:0] ld_qw;
    // the ring row after {slot, word}
    function [BANK_AW+17:0] ring_next(input [15:0] rslot, input [BANK_AW+1:0] rword);
        ring_next = rslot + 16'd1 < ring_r ? {rslot + 16'd1, rword + segw} : {BANK_AW+18{1'b0}};
    endfunction

    // ------------------------------------------------------------------
    // Divider (channels per group)
    // ------------------------------------------------------------------
    reg         div_start;
    reg  [31:0] div_num, div_den;
    wire        div_busy;
    wire [31:0] div_q, div_r;
    qa_div u_div (
        .clk(clk), .rst_n(rst_n), .start(div_start), .num(div_num), .den(div_den),
        .busy(div_busy), .quot(div_q), .rem(div_r)
    );

    // ------------------------------------------------------------------
    // Descriptor checks (S_CHECK), same order as qa_desc_check_fields()
    // ------------------------------------------------------------------
    function in_range(input [31:0] v, input [7:0] t);
        in_range = t == 8'd0 ? ($signed(v) >= -128 && $signed(v) <= 127) :
                   t == 8'd1 ? ($signed(v) >= 0 && $signed(v) <= 255) : 1'b1;
    endfunction

    // conv_out_dim(in, pa, pb, k, stride, dil) == out
    function odim_ok(input [31:0] in, input [15:0] pa, input [15:0] pb, input [15:0] k,
                     input [15:0] stride, input [15:0] dil, input [31:0] out);
        reg [63:0] padded, eff, lo, hi;
        begin
            padded = {32'd0, in} + {48'd0, pa} + {48'd0, pb};
            eff = {48'd0, dil} * ({48'd0, k} - 64'd1) + 64'd1;
            lo = ({32'd0, out} - 64'd1) * {48'd0, stride};
            hi = {32'd0, out} * {48'd0, stride};
            odim_ok = eff <= padded && lo <= padded - eff && padded - eff < hi;
        end
    endfunction

    wire [63:0] k_full = {48'd0, f_kh} * {48'd0, f_kw} * {32'd0, cg};
    wire [63:0] m_full = {32'd0, f_batch} * {32'd0, f_out_h} * {32'd0, f_out_w};
    wire e_hdr = f_header[31:16] != 16'h5141 || f_header[15:8] != 8'd1 ||
                 (f_header[7:0] != 8'd1 && f_header[7:0] != 8'd2);
    wire e_flags = (f_flags & 8'hFE) != 8'd0;
    wire e_type = f_in_type > 8'd1 || f_w_type > 8'd1 || f_out_type > 8'd2;
    wire e_zero = f_batch == 0 || f_in_h == 0 || f_in_w == 0 || f_in_c == 0 || f_out_h == 0 ||
                  f_out_w == 0 || f_out_c == 0 || f_groups == 0 || f_kh == 0 || f_kw == 0 ||
                  f_sh == 0 || f_sw == 0 || f_dh == 0 || f_dw == 0;
    wire e_gemm = f_batch != 1 || f_in_w != 1 || f_out_w != 1 || f_out_h != f_in_h ||
                  f_groups != 1 || f_kh != 1 || f_kw != 1 || f_sh != 1 || f_sw != 1 ||
                  f_dh != 1 || f_dw != 1 || f_pt != 0 || f_pl != 0 || f_pb != 0 || f_pr != 0;
    wire e_conv = cg_rem != 0 || ng_rem != 0 ||
                  !odim_ok(f_in_h, f_pt, f_pb, f_kh, f_sh, f_dh, f_out_h) ||
                  !odim_ok(f_in_w, f_pl, f_pr, f_kw, f_sw, f_dw, f_out_w);
    wire e_geom = is_gemm ? e_gemm : e_conv;
    wire e_deep = k_full > 64'd33025;
    wire e_zp = !in_range(f_in_zp, f_in_type) || !in_range(f_w_zp, f_w_type);
    wire e_i32res = f_out_zp != 0 || f_act_min != 0 || f_act_max != 0 ||
                    f_mult_addr != 0 || f_shift_addr != 0;
    wire e_outq = !in_range(f_out_zp, f_out_type) || !in_range(f_act_min, f_out_type) ||
                  !in_range(f_act_max, f_out_type) || $signed(f_act_min) > $signed(f_act_max);
    wire e_biasres = !has_bias && f_bias_addr != 0;
    wire e_align = (out_i32 && f_out_addr[1:0] != 2'd0) ||
                   (has_bias && f_bias_addr[1:0] != 2'd0) ||
                   (!out_i32 && (f_mult_addr[1:0] != 2'd0 || f_shift_addr[1:0] != 2'd0)) ||
                   m_full[63:32] != 32'd0;
    // depthwise mode: one input and one output channel per group
    wire dw_ok = !is_gemm && cg == 32'd1 && ng == 32'd1 && COLS <= 16;
    wire [15:0] check_code =
        e_hdr ? E_HEADER : e_flags ? E_RESERVED : e_type ? E_TYPE : e_zero ? E_SHAPE :
        e_geom ? E_SHAPE : e_deep ? E_DEEP : e_zp ? E_QUANT :
        (out_i32 && e_i32res) ? E_RESERVED : (!out_i32 && e_outq) ? E_QUANT :
        e_biasres ? E_RESERVED : e_align ? E_ADDRESS : E_NONE;

    // ------------------------------------------------------------------
    // Tiling state
    // ------------------------------------------------------------------
    reg [31:0] g, n0, m0, k0;
    reg [31:0] nabs0;                       // first absolute output channel of the tile
    reg [31:0] t_b, t_oh, t_ow;             // first pixel of the tile
    reg [15:0] ck_kh, ck_kw;                // walk state at the chunk start
    reg [31:0] ck_ci;
    reg [15:0] ce_kh, ce_kw;                // walk state at the chunk end
    reg [31:0] ce_ci;
    reg        b_ok;                        // kept weights of this channel block are loaded
    reg  [2:0] nb;                          // channel tiles in the block (1..NBMAX)
    reg  [7:0] bcols;                       // channels in the block
    reg  [15:0] kwords;                     // SRAM words per column: ceil(K / 16)
    reg  [2:0] gsub;                        // GEMM B: channel tile of the next run
    reg  [BAW:0] gboff;                     // B: SRAM word offset of the next run's sub-block

    // Operand buffers are double-buffered: the loader fills buffer lbuf while
    // the array works on buffer cbuf. sb_* describe a filled buffer.
    // The generator moves on to the other buffer as soon as it has issued
    // the runs of one (sb_pend: runs in flight), even while the array still
    // computes on it; the R consumer writes a buffer only once the array has
    // released it and marks it full when its last run retires (wbuf: buffer
    // being written).
    //
    // Deep dwl layers (dl_deep) cycle through four entries instead: their data
    // lives in the ring, not in a bank half, so only the ring's size limits
    // how many fills run ahead, and four hide the memory latency behind
    // tiles of just kh * kw steps. Other layers use entries 0 and 1, whose
    // low bit is the bank half.
    reg  [1:0] lbuf, cbuf, wbuf;
    reg  [3:0] sb_full, sb_pend;
    reg  [31:0] sb_klen [0:3];
    reg  [BAW-1:0] sb_k0w [0:3];
    reg  [31:0] sb_m0 [0:3];
    reg  [31:0] sb_nabs0 [0:3];
    reg  [7:0] sb_rows [0:3];
    reg  [7:0] sb_cols [0:3];
    reg  [2:0] sb_nb [0:3];
    reg        sb_slot [0:3];
    reg [15:0] sb_qs [0:3];                 // dwl: ring slot / word of the first kernel row
    reg [BANK_AW+1:0] sb_qw [0:3];
    reg  [3:0] sb_clear, sb_last;
    reg        dl_deep;
    // the entry after b
    function [1:0] nbuf(input [1:0] b);
        nbuf = dl_deep ? b + 2'd1 : {1'b0, ~b[0]};
    endfunction
    // compute side
    // C_WAIT: a two-chunk block waits for its second chunk's buffer
    localparam [1:0] C_IDLE = 2'd0, C_RUN = 2'd1, C_WAIT = 2'd2;
    reg  [1:0] cst;
    // Two-chunk reductions with several channel tiles (c_alt) alternate the
    // two A buffers, chunk 0 then chunk 1 of each tile: the accumulators of
    // one tile complete before the next starts. Chunk 0's buffer is released
    // after the last tile's chunk-0 pass, so the next pixel tile loads into
    // it while the array works on chunk 1.
    reg        c_alt, c_ch;
    reg  [1:0] c_b0;
    reg  [31:0] c_len0, c_len1;
    reg  [BAW-1:0] c_k0w0, c_k0w1;
    reg  [31:0] c_len, c_m0, c_nabs0;
    reg  [7:0] c_rows, c_cols;            // c_cols: channels of the whole block
    reg        c_last, c_clear;
    reg  [2:0] c_nb, cj;                    // passes over the buffer, current pass
    reg  [BAW-1:0] c_boff;                  // B word offset of pass cj (< BW)
    reg  [BAW-1:0] c_k0w;                   // B word of the buffer's first k (kept blocks)
    reg        c_slot;                      // parameter slot / B half of the buffer's block

    wire [31:0] m_left = mtot - m0;
    wire [31:0] n_left = ntile - n0;
    wire [31:0] k_left = kdep - k0;
    wire [31:0] ow_left = f_out_w - t_ow;
    wire [7:0]  rows_v = dwl ? (ow_left >= ROWS ? ROWS[7:0] : ow_left[7:0]) :
                         m_left >= ROWS ? ROWS[7:0] : m_left[7:0];
    // dwl: input columns of this tile's row segment; the mode's limits
    wire [15:0] segw_t = ({8'd0, rows_v} - 16'd1) * f_sw + f_kw;
    wire [15:0] dl_rmax = f_out_w < ROWS ? f_out_w[15:0] : ROWS;
    wire [15:0] dl_segw = (dl_rmax - 16'd1) * f_sw + f_kw;    // checked only when f_sw, f_kw <= 64
    wire        dwl_ok = dw_ok && f_dh == 16'd1 && f_dw == 16'd1 && f_kh <= 16'd8 &&
                         f_sw <= 16'd64 && f_kw <= 16'd64 && k_full <= BANK_WORDS &&
                         {f_kh[3:0], 1'b0} * dl_segw <= 2 * BANK_WORDS;
    // four fills in flight need a ring of 4 * kh rows: a fill never brings
    // more than kh rows, and the three tiles before it may still be live
    wire        dl_deep_ok = {f_kh[3:0], 2'b0} * dl_segw <= 2 * BANK_WORDS;
    wire [5:0]  dl_ring_rows = dl_deep_ok ? {f_kh[3:0], 2'b0} : {1'b0, f_kh[3:0], 1'b0};
    wire [31:0] klen = k_left >= kch ? kch : k_left;
    // B stays in the lanes across pixel tiles when the block's weights fit
    // the B lanes (one address space) and the reduction takes at most two
    // chunks. Otherwise each chunk brings its own B into its buffer.
    wire        b_keep = {16'd0, kwords} <= BW && kdep <= {kch[30:0], 1'b0};
    // Blocks whose weights fit half the B lanes alternate the two halves (and
    // two parameter slots): the next block's weights load while the array
    // still works on the current one.
    wire        pf = b_keep && {16'd0, kwords} <= BW / 2;
    reg         slot;                       // slot of the block being loaded
    // first B word of the block in parameter slot s, and that slot's first
    // register-file word (bias, then mult, then shift, PW words each)
    function [BAW-1:0] b_half(input s);
        b_half = (pf && s) ? BW_HALF[BAW-1:0] : 0;
    endfunction
    function [6:0] pslot_word(input s);
        pslot_word = 7'd8 + (s ? 7'd3 * PW : 7'd0);
    endfunction
    wire [BAW:0] bbase = {1'b0, b_half(slot)};
    // channel block: as many channel tiles as the B lanes (or a half) hold
    wire [31:0] tiles_left = (n_left + COLS - 1) / COLS;
    wire [17:0] kcap = pf ? BW[18:1] : BW[17:0];
    wire [2:0]  kfit = {kwords, 2'b0} <= kcap ? 3'd4 :
                       ({kwords, 1'b0} + {1'b0, kwords}) <= kcap ? 3'd3 :
                       {1'b0, kwords, 1'b0} <= kcap ? 3'd2 : 3'd1;
    wire [2:0]  nb_fit = kfit < NBMAX ? kfit : NBMAX[2:0];
    wire [2:0]  nb_v = (dwm || !b_keep) ? 3'd1 :
                       tiles_left < {29'd0, nb_fit} ? tiles_left[2:0] : nb_fit;
    wire [31:0] bcols_all = {26'd0, nb_v, 3'd0} * (COLS / 8);
    wire [7:0]  bcols_v = n_left < bcols_all ? n_left[7:0] : bcols_all[7:0];

    // ------------------------------------------------------------------
    // Run generator: one contiguous byte run (or a zero-point fill) per cycle
    // ------------------------------------------------------------------
    reg [2:0]  gm;
    reg [31:0] gcnt;                        // row (A), column or k (B), param index
    reg [31:0] r_b, r_oh, r_ow;             // pixel of the current row
    reg [15:0] w_kh, w_kw;                  // receptive-field walk
    reg [31:0] w_ci, w_k;

    // A run
    wire [31:0] a_runlen_k = (cg - w_ci) < (klen - w_k) ? (cg - w_ci) : (klen - w_k);
    wire signed [47:0] a_ih = $signed({16'd0, r_oh} * {32'd0, f_sh}) - $signed({32'd0, f_pt}) +
                              $signed({16'd0, w_kh} * {32'd0, f_dh});
    wire signed [47:0] a_iw = $signed({16'd0, r_ow} * {32'd0, f_sw}) - $signed({32'd0, f_pl}) +
                              $signed({16'd0, w_kw} * {32'd0, f_dw});
    wire        a_inside = a_ih >= 0 && a_ih < $signed({16'd0, f_in_h}) &&
                           a_iw >= 0 && a_iw < $signed({16'd0, f_in_w});
    wire [63:0] a_pix = ({32'd0, r_b} * {32'd0, f_in_h} + {16'd0, a_ih[47:0]}) * {32'd0, f_in_w} +
                        {16'd0, a_iw[47:0]};
    wire [31:0] a_chan = dwm ? n0 : g * cg + w_ci;
    wire [63:0] a_addr = mem_base + f_in_addr + a_pix * {32'd0, f_in_c} + {32'd0, a_chan};
    // A whole kernel row of taps is one contiguous run (NHWC, all channels of
    // the group are the whole pixel, no dilation along w) when it lies inside
    // the image: conv1-like layers with few channels issue 1 run, not kw.
    wire        a_row_in = a_ih >= 0 && a_ih < $signed({16'd0, f_in_h}) && a_iw >= 0 &&
                           a_iw + $signed({32'd0, f_kw}) <= $signed({16'd0, f_in_w});
    wire        a_merge = !dwm && w_ci == 0 && w_kw == 0 && f_kw != 16'd1 && f_dw == 16'd1 &&
                          cg == f_in_c && a_row_in && rowbytes <= klen - w_k;
    wire [31:0] a_step = a_merge ? rowbytes : a_runlen_k;
    // receptive-field walk after this run
    reg  [31:0] nx_ci;
    reg  [15:0] nx_kw, nx_kh;
    always @(*) begin
        nx_ci = w_ci + a_runlen_k;
        nx_kw = w_kw;
        nx_kh = w_kh;
        if (a_merge || nx_ci == cg) begin
            nx_ci = 32'd0;
            if (a_merge || {16'd0, w_kw} + 1 == {16'd0, f_kw}) begin
                nx_kw = 16'd0;
                nx_kh = w_kh + 16'd1;
            end else begin
                nx_kw = w_kw + 16'd1;
            end
        end
    end
    wire [16:0] a_len = dwm ? {9'd0, bcols} : a_step[16:0];
    wire [BANK_AW+1:0] dl_word = gw_word + w_kw[BANK_AW+1:0];
    wire [16:0] a_pos = dwl ? {{(11-BANK_AW){1'b0}}, dl_word, 4'd0} :
                        dwm ? {w_k[12:0], 4'd0} : w_k[16:0];
    wire        dl_row_end = {16'd0, w_kw} + 32'd1 >= {16'd0, segw_t};
    wire        a_row_end = w_k + a_step >= klen;
    wire        a_last = dwl ? dl_row_end && w_kh + 16'd1 >= f_kh :
                               a_row_end && gcnt + 1 >= {24'd0, rows_v};

    // B run
    // kept weights load whole (all chunks) ahead of the block's A (S_BPRE);
    // otherwise a chunk's weights follow its A
    wire [31:0] bk0 = b_keep ? 32'd0 : k0;
    wire [31:0] blen = b_keep ? kdep : klen;
    wire [63:0] b_addr_conv = mem_base + f_w_addr + ({32'd0, nabs0} + {32'd0, gcnt}) * {32'd0, kdep} +
                              {32'd0, bk0};
    wire [63:0] b_addr_gemm = mem_base + f_w_addr + ({32'd0, bk0} + {32'd0, gcnt}) * {32'd0, f_out_c} +
                              {32'd0, n0} + {57'd0, gsub, 4'd0} * (COLS / 16);
    // GEMM: one run per (k, channel tile); conv: one run per column of the block
    wire [7:0]  b_sub_cols = bcols - {gsub, 4'd0} * (COLS / 16);
    wire [7:0]  b_run_cols = b_sub_cols < COLS ? b_sub_cols : COLS[7:0];
    wire        b_last = is_gemm ? gcnt + 1 >= blen && {29'd0, gsub} + 1 >= {29'd0, nb} :
                                   gcnt + 1 >= {24'd0, bcols};

    // param runs: 0 bias, 1 mult, 2 shift
    wire [63:0] p_addr = mem_base + {{30'd0, nabs0, 2'd0}} +
                         (gcnt == 0 ? f_bias_addr : gcnt == 1 ? f_mult_addr : f_shift_addr);
    wire        p_skip = (gcnt == 0 && !has_bias) || (gcnt != 0 && out_i32);

    reg         run_valid, run_fill;
    reg [63:0]  run_addr;
    reg [16:0]  run_len, run_pos;
    reg [1:0]   run_dst;
    reg [4:0]   run_lane;
    always @(*) begin
        run_valid = 1'b0;
        run_fill = 1'b0;
        run_addr = 64'd0;
        run_len = 17'd0;
        run_pos = 17'd0;
        run_dst = D_REG;
        run_lane = 5'd0;
        case (gm)
        GM_DESC: begin
            run_valid = 1'b1;
            run_addr = mem_base + desc_addr + {25'd0, di, 7'd0};
            run_len = 17'd128;
        end
        GM_PARAM: begin
            run_valid = !p_skip;
            run_addr = p_addr;
            run_len = {7'd0, bcols, 2'd0};
            run_pos = {6'd0, pslot_word(slot), 4'd0} +
                      (gcnt == 0 ? 17'd0 : gcnt == 1 ? PW * 16 : 2 * PW * 16);
        end
        GM_A: begin
            run_valid = 1'b1;
            run_fill = !a_inside;
            run_addr = a_addr;
            run_len = a_len;
            run_pos = a_pos;
            run_dst = D_A;
            run_lane = dwl ? 5'h10 : gcnt[4:0];     // 5'h10: every lane (ROWS <= 16)
        end
        GM_B: begin
            run_valid = 1'b1;
            run_addr = is_gemm ? b_addr_gemm : b_addr_conv;
            run_len = is_gemm ? {9'd0, b_run_cols} : blen[16:0];
            run_pos = {{(12-BAW){1'b0}}, gboff, 4'd0} + (is_gemm ? gcnt[16:0] : 17'd0);
            run_dst = is_gemm ? D_BT : D_B;
            run_lane = is_gemm ? 5'd0 : gcnt[4:0] % COLS;
        end
        default: ;
        endcase
    end

    // ------------------------------------------------------------------
    // AR issuer and run metadata FIFO
    // ------------------------------------------------------------------
    // runs in flight: enough to cover the memory latency with one-beat runs
    // (dwl fills are one-beat runs, one per pixel: 128 keep four fills of a
    // stride-2 layer's two 33-pixel rows in flight)
    localparam MQ_AW = 7;
    localparam MQ = 1 << MQ_AW;
    reg [47:0] mq [0:MQ-1];  // {dup, bend, fill, dst, lane, pos, len, off}
    reg [MQ_AW:0] mq_wp, mq_rp;
    wire [MQ_AW:0] mq_cnt = mq_wp - mq_rp;
    wire       mq_full = mq_cnt == MQ;
    wire       mq_empty = mq_cnt == 0;

    reg [63:0] iss_addr;      // next beat address (16-byte aligned)
    reg [16:0] iss_beats;     // beats still to request
    wire [4:0] iss_win = 5'd16 - {1'b0, iss_addr[7:4]};
    wire [16:0] iss_blen = iss_beats < {12'd0, iss_win} ? iss_beats : {12'd0, iss_win};
    assign m_axi_arvalid = iss_beats != 0;
    assign m_axi_araddr = iss_addr;
    wire [16:0] iss_blen_m1 = iss_blen - 17'd1;
    assign m_axi_arlen = iss_blen_m1[7:0];
    assign m_axi_arsize = 3'd4;
    assign m_axi_arburst = 2'b01;
    wire       ar_hs = m_axi_arvalid && m_axi_arready;
    wire       iss_free = iss_beats == 0 || (ar_hs && iss_blen == iss_beats);
    wire [16:0] run_beats = ({13'd0, run_addr[3:0]} + run_len + 17'd15) >> 4;
    wire       run_take = run_valid && !mq_full && (run_fill || iss_free);
    wire       gen_adv = (run_take || (gm == GM_PARAM && p_skip));
    // the last run of an operand buffer
    // (kept weights, loaded ahead of the block's first A buffer, are no end)
    wire       run_bend = (gm == GM_A && a_last && b_keep) || (gm == GM_B && b_last && !b_keep);

    // ------------------------------------------------------------------
    // R consumer: realign each beat to its destination, write the SRAMs
    // ------------------------------------------------------------------
    wire [47:0] hd = mq[mq_rp[MQ_AW-1:0]];
    wire        hd_comb = hd[47];               // run into one address space: kept B, dwl ring
    wire        hd_bend = hd[46];
    wire        hd_fill = hd[45];
    wire [1:0]  hd_dst = hd[44:43];
    wire [4:0]  hd_lane = hd[42:38];
    wire [16:0] hd_pos = hd[37:21];
    wire [16:0] hd_len = hd[20:4];
    wire [3:0]  hd_off = hd[3:0];
    reg  [16:0] c_cnt;                      // bytes of the head run done
    wire [4:0]  c_s = (c_cnt == 0 && !hd_fill) ? {1'b0, hd_off} : 5'd0;
    wire [4:0]  c_avail = 5'd16 - c_s;
    wire [16:0] c_rem = hd_len - c_cnt;
    wire        c_lastb = c_rem <= {12'd0, c_avail};
    wire [4:0]  c_v = c_lastb ? c_rem[4:0] : c_avail;
    // Operand runs are issued while the array still works on their buffer;
    // their data waits (back-pressure on R) until the array releases it.
    // Kept weights go to a B space nothing reads yet (the block's own, or the
    // free half): they never wait.
    wire        c_block = hd_dst != D_REG && !(hd_comb && hd_dst != D_A) && sb_full[wbuf];
    assign m_axi_rready = !mq_empty && !hd_fill && !c_block;
    wire        c_fire = !mq_empty && !c_block && (hd_fill || m_axi_rvalid);
    wire [7:0]  zp_byte = f_in_zp[7:0];
    wire [127:0] c_src = hd_fill ? {16{zp_byte}} : (m_axi_rdata >> {c_s, 3'd0});
    wire [16:0] c_p = hd_pos + c_cnt;
    // along-lane placement: bytes land at c_p .. c_p + v - 1
    wire [255:0] c_win = {128'd0, c_src} << {c_p[3:0], 3'd0};
    wire [31:0]  c_mask = ((32'd1 << c_v) - 32'd1) << c_p[3:0];
    // transposed placement (GEMM B): run byte j goes to lane j
    wire [255:0] c_twin = {128'd0, c_src} << {c_cnt[4:0], 3'd0};
    wire [31:0]  c_tmask = ((32'd1 << c_v) - 32'd1) << c_cnt[4:0];
    reg          rd_err;

    // ------------------------------------------------------------------
    // Operand SRAMs and the array
    // ------------------------------------------------------------------
    // Issue stage: step kk of pass cj addresses the SRAMs while cst == C_RUN;
    // the array takes the (registered) operands one cycle later.
    reg  [31:0]          kk;                // compute step
    reg                  comp_v1, comp_clear1, comp_end1;
    reg  [7:0]           comp_rows1, comp_cols1;
    reg                  comp_slot1;
    wire [BAW-1:0]       b_word = c_boff + c_k0w + {2'b0, kk[BANK_AW+3:4]};
    wire [BANK_AW:0]     a_raddr = {cbuf[0], dwm ? kk[BANK_AW-1:0] : kk[BANK_AW+3:4]};
    // dwl: kernel row (ring word) + kernel column; lane r adds r * stride_w
    reg  [15:0]          cr_slot, cr_j;
    reg  [BANK_AW+1:0]   cr_word;
    wire [BANK_AW:0]     dl_raddr = cr_word[BANK_AW:0] + cr_j[BANK_AW:0];   // < 2 * BANK_WORDS
    wire [BAW-1:0]       b_raddr = b_keep ? b_word : {{(BAW-BANK_AW-1){1'b0}}, cbuf[0], kk[BANK_AW+3:4]};
    wire [7:0]           cj_left = c_cols - {2'd0, cj, 3'd0} * (COLS / 8);
    wire [7:0]           cj_cols = cj_left < COLS ? cj_left : COLS[7:0];
    wire                 is_first = kk == 0 && c_clear;           // starts a new tile
    wire                 is_pass_end = kk + 1 >= c_len;
    wire                 is_buf_end = is_pass_end && {29'd0, cj} + 1 >= {29'd0, c_nb} &&
                                      (!c_alt || c_ch);
    wire                 is_tile_end = is_pass_end && c_last;       // completes a tile
    // A finished tile waits (snap_pend) until the drain is free; a new tile's
    // first step (which clears the accumulators) may only enter the array
    // when that snapshot happens no later than the same cycle.
    reg                  snap_pend;
    reg  [31:0]          e_m0, e_nabs0, p_m0, p_nabs0;   // ending / pending tile
    reg  [7:0]           e_rows, e_cols, p_rows, p_cols;
    reg  [3:0]           e_j, p_j;                    // {slot, channel tile in block}
    wire [6:0]           p_wsel = pslot_word(p_j[3]);   // its parameter slot
    // (With one-step passes a tile can be pending while the one before it is
    // snapped this cycle: that snapshot makes the drain busy for the next.)
    wire                 snap_hold = (snap_pend && comp_end1) ||
                                     ((snap_pend || comp_end1) && dst != DR_IDLE);
    wire                 step_go = cst == C_RUN && !(is_first && snap_hold);
    // two-chunk blocks: the switch to chunk 1's buffer, once it is full
    wire                 alt_to1 = (step_go && is_pass_end && c_alt && !c_ch) || cst == C_WAIT;
    wire                 alt_go1 = alt_to1 && (cj != 3'd0 || sb_full[nbuf(c_b0)]);
    wire [1:0]           buf_next = cst == C_IDLE ? cbuf : nbuf(cbuf);
    wire                 c_take = sb_full[buf_next] && (cst == C_IDLE || (step_go && is_buf_end));
    wire [ROWS*128-1:0]  a_words;
    wire [ROWS*8-1:0]    a_bytes;
    wire [COLS*8-1:0]    b_bytes;
    // one write bus shared by all lanes; transposed writes pick their byte
    wire                 wr_t = hd_dst == D_BT;
    wire [BAW-1:0]       wr_addr = hd_comb ? (wr_t ? hd_pos[BAW+3:4] : c_p[BAW+3:4]) :
                                   {{(BAW-BANK_AW-1){1'b0}}, wbuf[0], wr_t ? hd_pos[BANK_AW+3:4] : c_p[BANK_AW+3:4]};
    wire [BANK_AW:0]     wa_addr = hd_comb ? c_p[BANK_AW+4:4] : {wbuf[0], c_p[BANK_AW+3:4]};

    genvar gi;
    generate
        for (gi = 0; gi < ROWS; gi = gi + 1) begin : g_abank
            // lane offset of the dwl read (< 2 * BANK_WORDS by dwl_ok)
            wire [BANK_AW:0] dl_lane = dl_raddr + gi * f_sw[BANK_AW:0];
            qa_bank #(.WORDS(2 * BANK_WORDS), .AW(BANK_AW + 1)) u_bank (
                .clk(clk),
                .we(c_fire && hd_dst == D_A && (hd_lane == gi || hd_lane[4])),
                .waddr(wa_addr), .wdata(c_win), .wbe(c_mask),
                .raddr(dwl ? dl_lane : a_raddr), .rsel(kk[3:0]),
                .rdata(a_words[gi*128 +: 128]),
                .rbyte(a_bytes[gi*8 +: 8])
            );
        end
        for (gi = 0; gi < COLS; gi = gi + 1) begin : g_bbank
            wire [127:0] tdata = {16{c_twin[gi*8 +: 8]}};
            wire [31:0]  tbe = {16'd0, 16'd1 << hd_pos[3:0]};
            wire [127:0] b_word_unused;
            qa_bank #(.WORDS(BW), .AW(BAW)) u_bank (
                .clk(clk),
                .we(c_fire && ((hd_dst == D_B && hd_lane == gi) || (wr_t && c_tmask[gi]))),
                .waddr(wr_addr),
                .wdata(wr_t ? {128'd0, tdata} : c_win),
                .wbe(wr_t ? tbe : c_mask),
                .raddr(b_raddr), .rsel(kk[3:0]), .rdata(b_word_unused),
                .rbyte(b_bytes[gi*8 +: 8])
            );
        end
    endgenerate

    wire             arr_snap;
    wire [COLS*32-1:0] arr_rd;
    qa_array #(.ROWS(ROWS), .COLS(COLS), .IDX_W(IDX_W)) u_array (
        .clk(clk), .en(comp_v1), .clear(comp_clear1), .dw(dwm), .snap(arr_snap),
        .a_bytes(a_bytes), .a_words(a_words), .b_bytes(b_bytes),
        .a_signed(f_in_type == 8'd0), .b_signed(f_w_type == 8'd0),
        .a_zp(f_in_zp[8:0]), .b_zp(f_w_zp[8:0]),
        .rd_row(dq_r[IDX_W-1:0]), .rd_data(arr_rd)
    );

    // ------------------------------------------------------------------
    // Drain: array -> (+bias) -> requant -> row buffer
    // ------------------------------------------------------------------
    // The drain issues one row per cycle into the requant units; finished
    // rows wait in a small FIFO for the write DMA. The shadow copy is free
    // for the next snapshot as soon as its last row has been read (DR_IDLE):
    // each row's store address and length travel beside it in order (ra_*),
    // so rows of two tiles can be in the requant pipeline and the FIFO.
    localparam [1:0] DR_IDLE = 2'd0, DR_RUN = 2'd1;
    localparam RQD = 8;
    reg  [1:0]  dst;                        // DR_RUN: rows of the shadow copy left to read
    reg  [7:0]  dq_r;                       // next row to issue
    reg  [3:0]  rq_infl;                    // rows issued, not yet out of the requant pipeline
    reg  [511:0] rf_data [0:RQD-1];
    reg  [3:0]  rf_wp, rf_rp;
    wire [3:0]  rf_cnt = rf_wp - rf_rp;
    wire        dr_issue = dst == DR_RUN && dq_r < drows && rf_cnt + rq_infl < RQD;
    reg  [7:0]  drows;                      // rows of the tile being read
    reg  [63:0] dr_addr, dr_a1;             // store address of the next / the read row
    reg  [6:0]  dr_len;                     // store bytes per row of the tile
    reg         dr_v1;
    // store address and length per row, written as the row enters requant
    // and read by the write DMA: entries stay below RQD (rq_infl + rf_cnt)
    reg  [63:0] ra_addr [0:RQD-1];
    reg  [6:0]  ra_len [0:RQD-1];
    reg  [3:0]  ra_wp;
    wire        drain_busy = dst != DR_IDLE || dr_v1 || rq_infl != 4'd0 || rf_cnt != 4'd0;
    // one requant unit per column: a whole row per cycle
    wire [COLS-1:0]    rq_ov;
    wire [COLS*32-1:0] rq_oy;
    genvar rc;
    generate
        for (rc = 0; rc < COLS; rc = rc + 1) begin : g_rq
            // the column's bias, mult and shift, latched from the parameter
            // slot at the snapshot (the requant unit reads registers)
            wire [6:0]  pw_i = p_wsel + {4'd0, p_j[2:0]} * WPT + rc / 4;
            reg  [31:0] d_bias, d_mult, d_shift;
            always @(posedge clk)
                if (arr_snap) begin
                    d_bias <= prm[pw_i][(rc % 4)*32 +: 32];
                    d_mult <= prm[pw_i + PW][(rc % 4)*32 +: 32];
                    d_shift <= prm[pw_i + 2 * PW][(rc % 4)*32 +: 32];
                end
            wire [31:0] bias_c = has_bias ? d_bias : 32'd0;
            qa_requant u_requant (
                .clk(clk), .in_valid(dr_v1),
                .in_x(arr_rd[rc*32 +: 32] + bias_c),
                .in_mult(d_mult), .in_shift(d_shift),
                .in_zp(f_out_zp), .in_min(f_act_min), .in_max(f_act_max), .in_bypass(out_i32),
                .out_valid(rq_ov[rc]), .out_y(rq_oy[rc*32 +: 32])
            );
        end
    endgenerate
    wire [511:0] rowbuf = rf_data[rf_rp[2:0]];
    reg  [511:0] rq_packed;
    integer pk;
    always @(*) begin
        rq_packed = rq_oy;
        if (!out_i32) begin
            rq_packed = 512'd0;
            for (pk = 0; pk < COLS; pk = pk + 1)
                rq_packed[pk*8 +: 8] = rq_oy[pk*32 +: 8];
        end
    end

    // requant parameter check of the channel block just loaded (slot), one
    // word (4 channels) of mult and shift per cycle in S_PCHECK
    reg  [4:0]   pcw;
    wire [6:0]   pslot0 = pslot_word(slot);
    wire [127:0] pm_w = prm[pslot0 + PW + {2'd0, pcw}];
    wire [127:0] ps_w = prm[pslot0 + 2 * PW + {2'd0, pcw}];
    wire         pc_last = {1'b0, pcw, 2'd0} + 8'd4 >= bcols || pcw == PW - 1;
    reg p_bad;
    integer pc;
    always @(*) begin
        p_bad = 1'b0;
        for (pc = 0; pc < 4; pc = pc + 1)
            if ({1'b0, pcw, 2'd0} + pc[7:0] < bcols && !out_i32) begin
                if (pm_w[pc*32 +: 32] != 0 && pm_w[pc*32 + 30 +: 2] != 2'b01)
                    p_bad = 1'b1;
                if ($signed(ps_w[pc*32 +: 32]) < -31 || $signed(ps_w[pc*32 +: 32]) > 30)
                    p_bad = 1'b1;
            end
    end

    // ------------------------------------------------------------------
    // Write DMA: one output row (<= 64 bytes) per store. The AW channel runs
    // ahead of W over the FIFO (aw_rp), so a row of one beat stores per cycle.
    // ------------------------------------------------------------------
    wire [2:0]   osz = out_i32 ? 3'd4 : 3'd1;
    wire [63:0]  out_stride = {32'd0, f_out_c} * {61'd0, osz};
    // beats of a row store at byte offset off within its first beat
    function [2:0] row_beats(input [3:0] off, input [6:0] len);
        reg [6:0] nb7;
        begin
            nb7 = ({3'd0, off} + len + 7'd15) >> 4;   // <= 5: a row is <= 64 bytes
            row_beats = nb7[2:0];
        end
    endfunction
    // AW side: entry aw_rp, beats aw_i of it requested
    reg  [3:0]   aw_rp;
    reg  [2:0]   aw_i, w_i;
    wire [63:0]  aw_row = ra_addr[aw_rp[2:0]];
    wire [2:0]   aw_nb = row_beats(aw_row[3:0], ra_len[aw_rp[2:0]]);
    wire [63:0]  aw_a = {aw_row[63:4], 4'd0} + {57'd0, aw_i, 4'd0};
    wire [4:0]   aw_win = 5'd16 - {1'b0, aw_a[7:4]};
    wire [2:0]   aw_rem = aw_nb - aw_i;
    wire [2:0]   aw_blen = {2'd0, aw_rem} < aw_win ? aw_rem : aw_win[2:0];
    assign m_axi_awvalid = aw_rp != rf_wp;
    assign m_axi_awaddr = aw_a;
    wire [2:0]   aw_blen_m1 = aw_blen - 3'd1;
    assign m_axi_awlen = {5'd0, aw_blen_m1};
    assign m_axi_awsize = 3'd4;
    assign m_axi_awburst = 2'b01;
    wire         aw_hs = m_axi_awvalid && m_axi_awready;
    // W side: entry rf_rp, beats whose address is out
    wire [63:0]  w_row = ra_addr[rf_rp[2:0]];
    wire [6:0]   w_len = ra_len[rf_rp[2:0]];
    wire [2:0]   w_nb = row_beats(w_row[3:0], w_len);
    wire [639:0] st_wide = {128'd0, rowbuf} << {w_row[3:0], 3'd0};
    wire [79:0]  st_be = ((80'd1 << w_len) - 80'd1) << w_row[3:0];
    reg          wr_err;
    reg  [31:0]  bcnt;
    wire [63:0]  w_a = {w_row[63:4], 4'd0} + {57'd0, w_i, 4'd0};
    assign m_axi_wvalid = rf_cnt != 4'd0 && (aw_rp != rf_rp || w_i < aw_i);
    assign m_axi_wdata = st_wide[w_i*128 +: 128];
    assign m_axi_wstrb = st_be[w_i*16 +: 16];
    assign m_axi_wlast = w_i + 3'd1 == w_nb || w_a[7:4] == 4'hF;
    wire         w_hs = m_axi_wvalid && m_axi_wready;
    assign m_axi_bready = 1'b1;
    wire         b_hs = m_axi_bvalid;

    // ------------------------------------------------------------------
    // Idle detection of the load path
    // ------------------------------------------------------------------
    wire load_idle = gm == GM_NONE && iss_beats == 0 && mq_empty;
    assign ap_idle = st == S_IDLE;
    assign arr_snap = snap_pend && dst == DR_IDLE;
    // anything still in flight for the slot the next block will take
    wire   slot_used = ((sb_full[0] || sb_pend[0]) && sb_slot[0] == ~slot) ||
                       ((sb_full[1] || sb_pend[1]) && sb_slot[1] == ~slot) ||
                       ((sb_full[2] || sb_pend[2]) && sb_slot[2] == ~slot) ||
                       ((sb_full[3] || sb_pend[3]) && sb_slot[3] == ~slot) ||
                       (cst != C_IDLE && c_slot == ~slot) || (comp_v1 && comp_slot1 == ~slot) ||
                       (snap_pend && p_j[3] == ~slot);
    wire   all_idle = sb_full == 4'd0 && sb_pend == 4'd0 && cst == C_IDLE && !comp_v1 &&
                      !snap_pend && !drain_busy;
    // ap_ctrl_hs: done and ready together (a non-pipelined kernel), seen by the
    // control slave in the same cycle, so ap_start is low again in S_IDLE.
    assign ap_done = st == S_DONE;
    assign ap_ready = st == S_DONE;

    // ------------------------------------------------------------------
    // Sequencer
    // ------------------------------------------------------------------
    integer bi;
    always @(posedge clk) begin
        if (!rst_n) begin
            st <= S_IDLE;
            cycles <= 64'd0;
            macs <= 64'd0;
            stalls <= 64'd0;
            status <= 32'd0;
            di <= 32'd0;
            err_code <= E_NONE;
            gm <= GM_NONE;
            gcnt <= 32'd0;
            mq_wp <= 0;
            mq_rp <= 0;
            iss_addr <= 64'd0;
            iss_beats <= 17'd0;
            c_cnt <= 17'd0;
            rd_err <= 1'b0;
            wr_err <= 1'b0;
            bcnt <= 32'd0;
            aw_i <= 3'd0;
            w_i <= 3'd0;
            aw_rp <= 4'd0;
            ra_wp <= 4'd0;
            comp_v1 <= 1'b0;
            comp_clear1 <= 1'b0;
            comp_end1 <= 1'b0;
            snap_pend <= 1'b0;
            kk <= 32'd0;
            dr_v1 <= 1'b0;
            dst <= DR_IDLE;
            dq_r <= 8'd0;
            rq_infl <= 4'd0;
            rf_wp <= 4'd0;
            rf_rp <= 4'd0;
            div_start <= 1'b0;
            div_num <= 32'd0;
            div_den <= 32'd0;
            b_ok <= 1'b0;
            lbuf <= 2'd0;
            cbuf <= 2'd0;
            wbuf <= 2'd0;
            sb_full <= 4'd0;
            sb_pend <= 4'd0;
            dl_deep <= 1'b0;
            cst <= C_IDLE;
            c_alt <= 1'b0;
        end else begin
            div_start <= 1'b0;
            if (st != S_IDLE) begin
                cycles <= cycles + 64'd1;
                // cycles without an array step: waiting for operands,
                // parameters, descriptors or the drain
                if (!step_go)
                    stalls <= stalls + 64'd1;
            end

            // ---- AR issuer ----
            if (ar_hs) begin
                iss_addr <= iss_addr + {43'd0, iss_blen, 4'd0};
                iss_beats <= iss_beats - iss_blen;
            end
            if (run_take && run_bend) begin
                sb_pend[lbuf] <= 1'b1;
                sb_klen[lbuf] <= klen;
                sb_k0w[lbuf] <= k0[BAW+3:4];
                sb_clear[lbuf] <= k0 == 0;
                sb_last[lbuf] <= k0 + klen >= kdep;
                sb_m0[lbuf] <= m0;
                sb_nabs0[lbuf] <= nabs0;
                sb_rows[lbuf] <= rows_v;
                sb_cols[lbuf] <= bcols;
                sb_nb[lbuf] <= nb;
                sb_slot[lbuf] <= slot;
                sb_qs[lbuf] <= ld_q;
                sb_qw[lbuf] <= ld_qw;
            end
            if (run_take) begin
                mq[mq_wp[MQ_AW-1:0]] <= {(gm == GM_B && b_keep) || (gm == GM_A && dwl), run_bend, run_fill, run_dst, run_lane, run_pos, run_len, run_addr[3:0]};
                mq_wp <= mq_wp + 1'b1;
                if (!run_fill) begin
                    iss_addr <= {run_addr[63:4], 4'd0};
                    iss_beats <= run_beats;
                end
            end

            // ---- R consumer ----
            if (c_fire) begin
                if (!hd_fill && m_axi_rresp != 2'b00)
                    rd_err <= 1'b1;
                if (hd_dst == D_REG) begin
                    for (bi = 0; bi < 16; bi = bi + 1) begin
                        if (c_mask[bi])
                            prm[c_p[10:4]][bi*8 +: 8] <= c_win[bi*8 +: 8];
                        if (c_mask[16 + bi])
                            prm[c_p[10:4] + 7'd1][bi*8 +: 8] <= c_win[128 + bi*8 +: 8];
                    end
                end
                if (c_lastb) begin
                    c_cnt <= 17'd0;
                    mq_rp <= mq_rp + 1'b1;
                    if (hd_bend) begin
                        // the buffer's data is complete: hand it to the array
                        // unless a read failed (the sequencer then fails)
                        sb_pend[wbuf] <= 1'b0;
                        if (!rd_err && (hd_fill || m_axi_rresp == 2'b00))
                            sb_full[wbuf] <= 1'b1;
                        wbuf <= nbuf(wbuf);
                    end
                end else begin
                    c_cnt <= c_cnt + {12'd0, c_v};
                end
            end

            // ---- write responses ----
            if (aw_hs && !b_hs)
                bcnt <= bcnt + 32'd1;
            else if (!aw_hs && b_hs)
                bcnt <= bcnt - 32'd1;
            if (b_hs && m_axi_bresp != 2'b00)
                wr_err <= 1'b1;

            // ---- generator walk ----
            if (gen_adv) begin
                case (gm)
                GM_DESC: gm <= GM_NONE;
                GM_PARAM: begin
                    gcnt <= gcnt + 32'd1;
                    if (gcnt == 32'd2)
                        gm <= GM_NONE;
                end
                GM_A: begin
                    if (dwl) begin
                        // one word per run along the row segment, then the next
                        // input row into the next ring slot
                        if (dl_row_end) begin
                            w_kw <= 16'd0;
                            w_kh <= w_kh + 16'd1;
                            {gw_slot, gw_word} <= ring_next(gw_slot, gw_word);
                        end else begin
                            w_kw <= w_kw + 16'd1;
                        end
                    end else begin
                        if (a_row_end) begin
                            // the end state of a row is the next chunk's start
                            ce_kh <= nx_kh;
                            ce_kw <= nx_kw;
                            ce_ci <= nx_ci;
                            // restart the walk for the next row
                            w_kh <= ck_kh;
                            w_kw <= ck_kw;
                            w_ci <= ck_ci;
                            w_k <= 32'd0;
                            if (r_ow + 1 == f_out_w) begin
                                r_ow <= 32'd0;
                                if (r_oh + 1 == f_out_h) begin
                                    r_oh <= 32'd0;
                                    r_b <= r_b + 32'd1;
                                end else begin
                                    r_oh <= r_oh + 32'd1;
                                end
                            end else begin
                                r_ow <= r_ow + 32'd1;
                            end
                            gcnt <= gcnt + 32'd1;
                        end else begin
                            w_k <= w_k + a_step;
                            w_ci <= nx_ci;
                            w_kw <= nx_kw;
                            w_kh <= nx_kh;
                        end
                    end
                    // the buffer's last A run: then its weights, unless kept
                    if (a_last) begin
                        gcnt <= 32'd0;
                        gsub <= 3'd0;
                        gboff <= bbase;
                        gm <= b_keep ? GM_NONE : GM_B;
                    end
                end
                GM_B: begin
                    if (is_gemm) begin
                        // runs of a row k: the block's channel tiles in turn
                        if ({29'd0, gsub} + 1 >= {29'd0, nb}) begin
                            gsub <= 3'd0;
                            gboff <= bbase;
                            gcnt <= gcnt + 32'd1;
                        end else begin
                            gsub <= gsub + 3'd1;
                            gboff <= gboff + kwords[BAW:0];
                        end
                    end else begin
                        // column COLS of the block starts the next sub-block
                        gcnt <= gcnt + 32'd1;
                        if (gcnt % COLS == COLS - 1)
                            gboff <= gboff + kwords[BAW:0];
                    end
                    if (b_last) begin
                        gm <= GM_NONE;
                        b_ok <= b_keep;
                    end
                end
                default: ;
                endcase
            end

            // ---- drain pipeline ----
            dr_v1 <= dr_issue;
            if (dr_issue) begin
                dq_r <= dq_r + 8'd1;
                dr_a1 <= dr_addr;
                dr_addr <= dr_addr + out_stride;
                if (dq_r + 8'd1 >= drows)
                    dst <= DR_IDLE;
            end
            if (dr_v1) begin
                ra_addr[ra_wp[2:0]] <= dr_a1;
                ra_len[ra_wp[2:0]] <= dr_len;
                ra_wp <= ra_wp + 4'd1;
            end
            if (dr_issue && !rq_ov[0])
                rq_infl <= rq_infl + 4'd1;
            else if (!dr_issue && rq_ov[0])
                rq_infl <= rq_infl - 4'd1;
            if (rq_ov[0]) begin
                rf_data[rf_wp[2:0]] <= rq_packed;
                rf_wp <= rf_wp + 4'd1;
            end

            // ---- compute: one reduction step per cycle over a filled buffer ----
            comp_v1 <= step_go;
            comp_clear1 <= step_go && is_first;
            comp_end1 <= step_go && is_tile_end;
            comp_rows1 <= c_rows;
            comp_cols1 <= cj_cols;
            comp_slot1 <= c_slot;
            if (comp_v1)
                macs <= macs + {48'd0, {8'd0, comp_rows1} * {8'd0, comp_cols1}};
            if (step_go && is_tile_end) begin
                e_m0 <= c_m0;
                e_nabs0 <= c_nabs0 + {26'd0, cj, 3'd0} * (COLS / 8);
                e_rows <= c_rows;
                e_cols <= cj_cols;
                e_j <= {c_slot, cj};
            end
            if (step_go) begin
                if (!is_pass_end) begin
                    kk <= kk + 32'd1;
                    // dwl: next kernel column, or the next kernel row's ring slot
                    if (cr_j + 16'd1 < f_kw) begin
                        cr_j <= cr_j + 16'd1;
                    end else begin
                        cr_j <= 16'd0;
                        {cr_slot, cr_word} <= ring_next(cr_slot, cr_word);
                    end
                end else if (c_alt && !c_ch) begin
                    // chunk 0 of tile cj done: on to chunk 1 (alt_to1); its
                    // last tile frees chunk 0's buffer
                    if ({29'd0, cj} + 1 >= {29'd0, c_nb})
                        sb_full[cbuf] <= 1'b0;
                end else if (!is_buf_end) begin
                    // next channel tile of the block on the same activations
                    // (two-chunk blocks: back to chunk 0's buffer)
                    kk <= 32'd0;
                    cj <= cj + 3'd1;
                    c_boff <= c_boff + kwords[BAW-1:0];
                    if (c_alt) begin
                        c_ch <= 1'b0;
                        cbuf <= c_b0;
                        c_len <= c_len0;
                        c_k0w <= c_k0w0;
                        c_clear <= 1'b1;
                        c_last <= 1'b0;
                    end
                end else begin
                    // the buffer's last read is out: release it
                    sb_full[cbuf] <= 1'b0;
                    cbuf <= nbuf(cbuf);
                    cst <= C_IDLE;
                    c_alt <= 1'b0;
                end
            end
            if (alt_to1) begin
                if (alt_go1) begin
                    kk <= 32'd0;
                    c_ch <= 1'b1;
                    cbuf <= nbuf(c_b0);
                    c_clear <= 1'b0;
                    c_last <= 1'b1;
                    cst <= C_RUN;
                    if (cj == 3'd0) begin
                        // first visit: chunk 1's metadata, kept for later tiles
                        c_len <= sb_klen[nbuf(c_b0)];
                        c_len1 <= sb_klen[nbuf(c_b0)];
                        c_k0w <= sb_k0w[nbuf(c_b0)];
                        c_k0w1 <= sb_k0w[nbuf(c_b0)];
                    end else begin
                        c_len <= c_len1;
                        c_k0w <= c_k0w1;
                    end
                end else if (rd_err) begin
                    // chunk 1 failed to load and never arrives: drop the
                    // tile, the job ends with BAD_ADDRESS
                    sb_full[c_b0] <= 1'b0;
                    c_alt <= 1'b0;
                    cst <= C_IDLE;
                end else begin
                    cst <= C_WAIT;
                end
            end
            if (c_take) begin
                c_len <= sb_klen[buf_next];
                c_last <= sb_last[buf_next];
                c_clear <= sb_clear[buf_next];
                c_m0 <= sb_m0[buf_next];
                c_nabs0 <= sb_nabs0[buf_next];
                c_rows <= sb_rows[buf_next];
                c_cols <= sb_cols[buf_next];
                c_nb <= sb_nb[buf_next];
                cj <= 3'd0;
                c_boff <= b_half(sb_slot[buf_next]);
                c_slot <= sb_slot[buf_next];
                c_k0w <= sb_k0w[buf_next];
                c_alt <= sb_nb[buf_next] != 3'd1 && !sb_last[buf_next];
                c_ch <= 1'b0;
                c_b0 <= buf_next;
                c_len0 <= sb_klen[buf_next];
                c_k0w0 <= sb_k0w[buf_next];
                cr_slot <= sb_qs[buf_next];
                cr_word <= sb_qw[buf_next];
                cr_j <= 16'd0;
                kk <= 32'd0;
                cbuf <= buf_next;
                cst <= C_RUN;
            end

            // ---- snapshot of a finished tile into the drain ----
            if (arr_snap) begin
                drows <= p_rows;
                dr_addr <= mem_base + f_out_addr +
                           ({32'd0, p_m0} * {32'd0, f_out_c} + {32'd0, p_nabs0}) * {61'd0, osz};
                dr_len <= out_i32 ? {p_cols[4:0], 2'd0} : p_cols[6:0];
                dq_r <= 8'd0;
                dst <= DR_RUN;
                snap_pend <= 1'b0;
            end
            if (comp_end1) begin
                p_m0 <= e_m0;
                p_nabs0 <= e_nabs0;
                p_rows <= e_rows;
                p_cols <= e_cols;
                p_j <= e_j;
                snap_pend <= 1'b1;
            end

            // ---- drain: shadow accumulators -> requant -> row stores ----
            // write DMA: addresses run ahead, data follows
            if (aw_hs) begin
                if (aw_i + aw_blen >= aw_nb) begin
                    aw_i <= 3'd0;
                    aw_rp <= aw_rp + 4'd1;
                end else begin
                    aw_i <= aw_i + aw_blen;
                end
            end
            if (w_hs) begin
                if (w_i + 3'd1 == w_nb) begin
                    w_i <= 3'd0;
                    rf_rp <= rf_rp + 4'd1;
                end else begin
                    w_i <= w_i + 3'd1;
                end
            end

            case (st)
            S_IDLE: begin
                if (ap_start) begin
                    cycles <= 64'd0;
                    macs <= 64'd0;
                    stalls <= 64'd0;
                    status <= 32'd0;
                    di <= 32'd0;
                    rd_err <= 1'b0;
                    wr_err <= 1'b0;
                    // operand buffers restart in sync (a failed run can leave
                    // a loaded buffer that was never computed)
                    lbuf <= 2'd0;
                    cbuf <= 2'd0;
                    wbuf <= 2'd0;
                    if (desc_count == 0) begin
                        st <= S_DONE;
                    end else begin
                        gm <= GM_DESC;
                        st <= S_FETCH;
                    end
                end
            end
            S_FETCH: if (load_idle) st <= S_FETCHW;
            S_FETCHW: begin
                if (rd_err) begin
                    err_code <= E_ADDRESS;
                    st <= S_FAIL;
                end else begin
                    div_start <= 1'b1;
                    div_num <= f_in_c;
                    div_den <= f_groups;
                    st <= S_DIV1;
                end
            end
            S_DIV1: st <= S_DIV1W;
            S_DIV1W: if (!div_busy) begin
                cg <= div_q;
                cg_rem <= div_r;
                div_start <= 1'b1;
                div_num <= f_out_c;
                div_den <= f_groups;
                st <= S_DIV2;
            end
            S_DIV2: st <= S_DIV2W;
            S_DIV2W: if (!div_busy) begin
                ng <= div_q;
                ng_rem <= div_r;
                st <= S_CHECK;
            end
            S_CHECK: begin
                if (check_code != E_NONE) begin
                    err_code <= check_code;
                    st <= S_FAIL;
                end else begin
                    dwm <= dw_ok;
                    kdep <= k_full[31:0];
                    mtot <= m_full[31:0];
                    ntile <= dw_ok ? f_out_c : ng;
                    giter <= dw_ok ? 32'd1 : f_groups;
                    // two chunks split K evenly (16-byte aligned), so that
                    // loading one hides behind computing the other
                    kch <= dw_ok ? BANK_WORDS :
                           (k_full > KCB && k_full <= 2 * KCB) ? {1'b0, k_full[31:5] + {26'd0, k_full[4:0] != 5'd0}, 4'd0} :
                           KCB;
                    rowbytes <= {16'd0, f_kw} * cg;
                    dwl <= dwl_ok;
                    dl_deep <= dwl_ok && dl_deep_ok;
                    // all idle between layers: the entries restart at 0
                    lbuf <= 2'd0;
                    cbuf <= 2'd0;
                    wbuf <= 2'd0;
                    segw <= dl_segw[BANK_AW+1:0];
                    ring_r <= {10'd0, dl_ring_rows};
                    ring_w <= {{(BANK_AW-4){1'b0}}, dl_ring_rows} * dl_segw[BANK_AW+1:0];
                    srow_w <= f_sh[3:0] * dl_segw[BANK_AW+1:0];
                    gw_slot <= 16'd0;
                    gw_word <= 0;
                    slot <= 1'b1;               // the first block takes slot 0
                    kwords <= k_full[19:4] + {15'd0, k_full[3:0] != 4'd0};
                    g <= 32'd0;
                    n0 <= 32'd0;
                    st <= S_PARAM;
                end
            end
            S_PARAM: if (rd_err) begin
                if (all_idle) begin
                    err_code <= E_ADDRESS;
                    st <= S_FAIL;
                end
            end else if (pf ? !slot_used : all_idle) begin
                // new channel block, once nothing uses its parameter slot (and
                // B half) any more, or once all is idle when B is not
                // double-buffered: load params, reset the pixel tiles
                slot <= ~slot;
                nabs0 <= g * ng + n0;
                nb <= nb_v;
                bcols <= bcols_v;
                m0 <= 32'd0;
                k0 <= 32'd0;
                t_b <= 32'd0;
                t_oh <= 32'd0;
                t_ow <= 32'd0;
                ck_kh <= 16'd0;
                ck_kw <= 16'd0;
                ck_ci <= 32'd0;
                lfull <= 1'b1;
                b_ok <= 1'b0;
                gcnt <= 32'd0;
                gm <= GM_PARAM;
                st <= S_PARAMW;
            end
            S_PARAMW: if (load_idle && gm == GM_NONE) begin
                pcw <= 5'd0;
                st <= S_PCHECK;
            end
            S_PCHECK: begin
                if (rd_err) begin
                    err_code <= E_ADDRESS;
                    st <= S_FAIL;
                end else if (p_bad) begin
                    err_code <= E_REQUANT;
                    st <= S_FAIL;
                end else if (!pc_last) begin
                    pcw <= pcw + 5'd1;
                end else begin
                    // the A walk of the first chunk
                    r_b <= t_b;
                    r_oh <= t_oh;
                    r_ow <= t_ow;
                    w_kh <= ck_kh;
                    w_kw <= ck_kw;
                    w_ci <= ck_ci;
                    w_k <= 32'd0;
                    st <= S_LWAIT;
                end
            end
            S_LWAIT: if (rd_err) begin
                err_code <= E_ADDRESS;
                st <= S_FAIL;
            end else if (b_keep && !b_ok) begin
                // a block's kept weights (per chunk) load first: they need
                // no A buffer, so they stream while the last block computes
                gcnt <= 32'd0;
                gsub <= 3'd0;
                gboff <= bbase;
                gm <= GM_B;
                st <= S_BPRE;
            end else if (!sb_pend[lbuf] && (!sb_full[lbuf] || (cst != C_IDLE && cbuf == lbuf))) begin
                // the buffer is free, or the array has taken its metadata and
                // computes on it (the new data waits for its release)
                gcnt <= 32'd0;
                gm <= GM_A;
                st <= S_LOAD;
                if (dwl) begin
                    // the tile's rows: all kh, or the stride_h new ones
                    r_b <= t_b;
                    r_oh <= t_oh;
                    r_ow <= t_ow;
                    w_kw <= 16'd0;
                    w_kh <= lfull ? 16'd0 : f_kh - f_sh;
                    if (lfull) begin
                        ld_q <= gw_slot;
                        ld_qw <= gw_word;
                    end else if (ld_q + f_sh < ring_r) begin
                        ld_q <= ld_q + f_sh;
                        ld_qw <= ld_qw + srow_w;
                    end else begin
                        ld_q <= ld_q + f_sh - ring_r;
                        ld_qw <= ld_qw + srow_w - ring_w;
                    end
                end
            end
            S_BPRE: if (gm == GM_NONE)
                st <= S_LWAIT;
            S_LOAD: if (gm == GM_NONE) begin
                // the buffer's runs are all issued (sb_pend): walk on to the
                // next chunk/tile while its data arrives
                if (rd_err) begin
                    err_code <= E_ADDRESS;
                    st <= S_FAIL;
                end else begin
                    lbuf <= nbuf(lbuf);
                    if (k0 + klen < kdep) begin
                        // next chunk of the same tile
                        k0 <= k0 + klen;
                        ck_kh <= ce_kh;
                        ck_kw <= ce_kw;
                        ck_ci <= ce_ci;
                        r_b <= t_b;
                        r_oh <= t_oh;
                        r_ow <= t_ow;
                        w_kh <= ce_kh;
                        w_kw <= ce_kw;
                        w_ci <= ce_ci;
                        w_k <= 32'd0;
                        st <= S_LWAIT;
                    end else if (dwl && (t_oh + 1 < f_out_h || t_b + 1 < f_batch)) begin
                        // next output row of the strip (into the next image)
                        if (t_oh + 1 < f_out_h) begin
                            t_oh <= t_oh + 32'd1;
                        end else begin
                            t_oh <= 32'd0;
                            t_b <= t_b + 32'd1;
                        end
                        m0 <= m0 + f_out_w;
                        lfull <= t_oh + 1 >= f_out_h || f_sh >= f_kh;
                        st <= S_LWAIT;
                    end else if (dwl && t_ow + ROWS < f_out_w) begin
                        // next strip of columns, from the top
                        t_ow <= t_ow + ROWS;
                        t_oh <= 32'd0;
                        t_b <= 32'd0;
                        m0 <= t_ow + ROWS;
                        lfull <= 1'b1;
                        st <= S_LWAIT;
                    end else if (!dwl && m0 + ROWS < mtot) begin
                        // next pixel tile: the row walk ended on its first pixel
                        m0 <= m0 + ROWS;
                        t_b <= r_b;
                        t_oh <= r_oh;
                        t_ow <= r_ow;
                        k0 <= 32'd0;
                        ck_kh <= 16'd0;
                        ck_kw <= 16'd0;
                        ck_ci <= 32'd0;
                        w_kh <= 16'd0;
                        w_kw <= 16'd0;
                        w_ci <= 32'd0;
                        w_k <= 32'd0;
                        st <= S_LWAIT;
                    end else if (n0 + {24'd0, bcols} < ntile) begin
                        n0 <= n0 + {24'd0, bcols};
                        st <= S_PARAM;
                    end else if (g + 1 < giter) begin
                        n0 <= 32'd0;
                        g <= g + 32'd1;
                        st <= S_PARAM;
                    end else begin
                        st <= S_DESCEND;
                    end
                end
            end
            S_DESCEND: begin
                if (all_idle && bcnt == 0 && !aw_hs) begin
                    if (wr_err || rd_err) begin
                        err_code <= E_ADDRESS;
                        st <= S_FAIL;
                    end else if (di + 1 < desc_count) begin
                        di <= di + 32'd1;
                        gm <= GM_DESC;
                        st <= S_FETCH;
                    end else begin
                        st <= S_DONE;
                    end
                end
            end
            S_FAIL: begin
                if (load_idle && bcnt == 0 && all_idle) begin
                    status <= {di[15:0], err_code};
                    st <= S_DONE;
                end
            end
            S_DONE: st <= S_IDLE;
            default: st <= S_IDLE;
            endcase
        end
    end
endmodule

`default_nettype wire
