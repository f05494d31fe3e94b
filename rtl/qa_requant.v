// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
// Pipelined requantization, bit-exact to include/qaccel_requant.h:
//   y = clamp(RDBP(SRDHM(x << max(shift,0), mult), max(-shift,0)) + out_zp,
//             act_min, act_max)
// or y = x when bypass (int32 output). Five stages, one value per cycle,
// results in issue order.
`default_nettype none

// in_zp, in_min, in_max and in_bypass describe the layer and must hold while
// values are in flight (the core changes them only between descriptors, with
// the drain idle). Each stage's registers load only when a value enters it:
// clock enables that also spare the simulator the 64-bit arithmetic of idle
// cycles.
module qa_requant (
    input  wire             clk,
    input  wire             in_valid,
    input  wire [31:0]      in_x,
    input  wire [31:0]      in_mult,
    input  wire [31:0]      in_shift,
    input  wire [31:0]      in_zp,
    input  wire [31:0]      in_min,
    input  wire [31:0]      in_max,
    input  wire             in_bypass,
    output reg              out_valid,
    output reg  [31:0]      out_y
);
    // stage 1: left shift (mod 2^32), right exponent
    reg             s1_v;
    reg [31:0]      s1_x, s1_raw, s1_mult;
    reg [5:0]       s1_right;
    // stage 2: 64-bit product
    reg             s2_v, s2_sat;
    reg [63:0]      s2_ab;
    reg [31:0]      s2_raw;
    reg [5:0]       s2_right;
    // stage 3: SRDHM result
    reg             s3_v;
    reg [31:0]      s3_q, s3_raw;
    reg [5:0]       s3_right;
    // stage 4: rounding divide by power of two
    reg             s4_v;
    reg [31:0]      s4_y, s4_raw;

    wire        shift_pos = !in_shift[31] && in_shift != 32'd0;
    wire [4:0]  left = shift_pos ? in_shift[4:0] : 5'd0;
    wire [31:0] neg_shift = 32'd0 - in_shift;
    wire [5:0]  right = shift_pos ? 6'd0 : neg_shift[5:0];

    wire signed [63:0] t3 = $signed(s2_ab) + (s2_ab[63] ? (64'sd1 - 64'sd1073741824) : 64'sd1073741824);
    // truncating division by 2^31
    wire signed [63:0] t3_adj = t3 + (t3[63] ? 64'sd2147483647 : 64'sd0);
    wire signed [63:0] q3 = t3_adj >>> 31;

    wire signed [63:0] q4 = {{32{s3_q[31]}}, s3_q};
    wire [63:0]        mask4 = (64'd1 << s3_right) - 64'd1;
    wire [63:0]        rem4 = q4 & mask4;
    wire [63:0]        thr4 = (mask4 >> 1) + {63'd0, s3_q[31]};
    wire signed [63:0] sh4 = q4 >>> s3_right;
    wire signed [63:0] y4 = sh4 + ((rem4 > thr4) ? 64'sd1 : 64'sd0);

    wire signed [33:0] v5 = $signed({{2{s4_y[31]}}, s4_y}) + $signed({{2{in_zp[31]}}, in_zp});
    wire signed [33:0] min5 = $signed({{2{in_min[31]}}, in_min});
    wire signed [33:0] max5 = $signed({{2{in_max[31]}}, in_max});
    wire signed [33:0] c5 = v5 < min5 ? min5 : (v5 > max5 ? max5 : v5);

    always @(posedge clk) begin
        s1_v <= in_valid;
        s2_v <= s1_v;
        s3_v <= s2_v;
        s4_v <= s3_v;
        out_valid <= s4_v;
        if (in_valid) begin
            s1_raw <= in_x;
            s1_x <= in_x << left;
            s1_right <= right;
            s1_mult <= in_mult;
        end
        if (s1_v) begin
            s2_raw <= s1_raw;
            s2_ab <= $signed(s1_x) * $signed(s1_mult);
            s2_sat <= s1_x == 32'h8000_0000 && s1_mult == 32'h8000_0000;
            s2_right <= s1_right;
        end
        if (s2_v) begin
            s3_raw <= s2_raw;
            s3_q <= s2_sat ? 32'h7FFF_FFFF : q3[31:0];
            s3_right <= s2_right;
        end
        if (s3_v) begin
            s4_raw <= s3_raw;
            s4_y <= y4[31:0];
        end
        if (s4_v)
            out_y <= in_bypass ? s4_raw : c5[31:0];
    end
endmodule

`default_nettype wire
