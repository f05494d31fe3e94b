// SPDX-License-Identifier: (GPL-2.0-only OR MIT)
// Sequential unsigned 32-bit divider (restoring, one quotient bit per cycle).
// Used a few times per descriptor (channels per group), so area beats speed.
`default_nettype none

module qa_div (
    input  wire        clk,
    input  wire        rst_n,
    input  wire        start,
    input  wire [31:0] num,
    input  wire [31:0] den,     // 0 gives quotient all ones, remainder num
    output reg         busy,
    output reg  [31:0] quot,
    output reg  [31:0] rem
);
    reg [5:0]  cnt;
    reg [31:0] d;
    wire [32:0] trial = {rem, quot[31]} - {1'b0, d};

    always @(posedge clk) begin
        if (!rst_n) begin
            busy <= 1'b0;
            cnt <= 6'd0;
            quot <= 32'd0;
            rem <= 32'd0;
            d <= 32'd0;
        end else if (start) begin
            busy <= 1'b1;
            cnt <= 6'd32;
            quot <= num;
            rem <= 32'd0;
            d <= den;
        end else if (busy) begin
            if (!trial[32]) begin
                rem <= trial[31:0];
                quot <= {quot[30:0], 1'b1};
            end else begin
                rem <= {rem[30:0], quot[31]};
                quot <= {quot[30:0], 1'b0};
            end
            cnt <= cnt - 6'd1;
            if (cnt == 6'd1)
                busy <= 1'b0;
        end
    end
endmodule

`default_nettype wire
