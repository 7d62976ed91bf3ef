module counter(input clk, input rst, input [7:0] a, input [7:0] b, output reg [15:0] q, output [15:0] p);
  assign p = a * b;
  always @(posedge clk) if (rst) q <= 0; else q <= q + {8'd0, a} + p;
endmodule
