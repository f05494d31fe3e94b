# SPDX-License-Identifier: MIT
#
# Vitis HLS flow for the qaccel kernel: C simulation, synthesis, C/RTL
# co-simulation, export. Runs unmodified where Vitis HLS (2022.1 or newer)
# exists:
#
#   make build/hls/vectors.bin                       # csim/cosim test vectors
#   vitis_hls -f hls/scripts/run_hls.tcl
#
# Knobs (environment variables, or Tcl variables set before `source`):
#   QA_HLS_PART      FPGA part                 (default xcu250-figd2104-2L-e, Alveo U250)
#                    xcu55c-fsvh2892-2L-e (U55C), xczu7ev-ffvc1156-2-e (ZCU104),
#                    xck26-sfvc784-2LV-c (KV260), xc7z020clg400-1 (PYNQ-Z2)
#   QA_HLS_CLOCK_NS  clock period in ns        (default 3.33 = 300 MHz; 10 for PYNQ-Z2)
#   QA_HLS_FLOW      vitis (-> .xo for v++) or vivado (-> IP catalog for the block design)
#   QA_HLS_STEPS     subset of "csim csynth cosim export" (default: all four)
#   QA_HLS_VECTORS   csim vectors  (default build/hls/vectors.bin)
#   QA_HLS_COSIM_VECTORS  cosim vectors, keep small (default build/hls/vectors_cosim.bin)
#   QA_HLS_PROJECT   project directory          (default build/hls/vitis_prj)

proc qa_knob {name default} {
	upvar #0 $name var
	if {[info exists var]} { return $var }
	if {[info exists ::env($name)] && $::env($name) ne ""} { return $::env($name) }
	return $default
}

set qa_root [file normalize [file join [file dirname [info script]] .. ..]]
set part     [qa_knob QA_HLS_PART xcu250-figd2104-2L-e]
set clock_ns [qa_knob QA_HLS_CLOCK_NS 3.33]
set flow     [qa_knob QA_HLS_FLOW vitis]
set steps    [qa_knob QA_HLS_STEPS {csim csynth cosim export}]
set vectors  [qa_knob QA_HLS_VECTORS [file join $qa_root build hls vectors.bin]]
set cosim_vectors [qa_knob QA_HLS_COSIM_VECTORS [file join $qa_root build hls vectors_cosim.bin]]
set prj      [qa_knob QA_HLS_PROJECT [file join $qa_root build hls vitis_prj]]

if {$flow ni {vitis vivado}} {
	error "QA_HLS_FLOW must be vitis or vivado, not '$flow'"
}
foreach s $steps {
	if {$s ni {csim csynth cosim export}} {
		error "unknown step '$s' in QA_HLS_STEPS"
	}
}

set cflags "-std=c11 -I$qa_root/include -I$qa_root/hls -I$qa_root/runtime"

open_project -reset $prj
set_top qaccel_top
add_files $qa_root/hls/qaccel_top.c -cflags $cflags
# The descriptor codec/validator shared with every other executor.
add_files $qa_root/runtime/exec/qa_desc.c -cflags $cflags
add_files -tb $qa_root/hls/tb/qaccel_tb.c -cflags $cflags

open_solution -reset sol_$flow -flow_target $flow
set_part $part
create_clock -period $clock_ns -name default
# 64-bit addresses on both masters (the default); data port widened to 128 bits.
config_interface -m_axi_alignment_byte_size 16 -m_axi_max_widen_bitwidth 128
# The control protocol is requested in the source (ap_ctrl_hs), never the default.
config_compile -pipeline_loops 0
config_dataflow -default_channel pingpong -fifo_depth 2

if {"csim" in $steps} {
	csim_design -argv $vectors
}
if {"csynth" in $steps || "cosim" in $steps || "export" in $steps} {
	csynth_design
}
if {"cosim" in $steps} {
	cosim_design -argv $cosim_vectors -trace_level none
}
if {"export" in $steps} {
	if {$flow eq "vitis"} {
		# -> $prj/sol_vitis/impl/export.xo, the input of hls/cfg/*.cfg (v++ -l).
		export_design -format xo -output [file join $prj qaccel_top.xo]
	} else {
		# -> IP catalog zip used by hls/scripts/bd_zynq.tcl.
		export_design -format ip_catalog -vendor qaccel.org -library hls -ipname qaccel_top \
			-version 1.0 -description "qaccel quantized GEMM/conv2d accelerator"
	}
}
close_project
exit
