# SPDX-License-Identifier: MIT
#
# Vivado block design placing the qaccel HLS kernel next to a Zynq PS, with
# its AXI-Lite control slave at the fixed address the device-tree overlays
# in boards/ use, its two AXI masters on a high-performance PS port and its
# interrupt on the first PL-to-PS line. Runs unmodified in Vivado 2022.1+:
#
#   QA_HLS_FLOW=vivado QA_HLS_PART=xczu7ev-ffvc1156-2-e vitis_hls -f hls/scripts/run_hls.tcl
#   vivado -mode batch -source hls/scripts/bd_zynq.tcl -tclargs zcu104
#
# Boards (first -tclarg, or QA_BOARD, or the Tcl variable `board`):
#   zcu104, kv260, ultra96v2 : Zynq UltraScale+, control at 0xA000_0000 (64 KiB) on
#                              M_AXI_HPM0_FPD, IRQ pl_ps_irq0[0] = GIC ID 121 = DT SPI 89,
#                              masters on S_AXI_HP0_FPD
#   pynqz2                   : Zynq-7000, control at 0x43C0_0000 (64 KiB) on M_AXI_GP0,
#                              IRQ_F2P[0] = GIC ID 61 = DT SPI 29, masters on S_AXI_HP0
# Other knobs: QA_IP_REPO (exported HLS IP, default the run_hls.tcl vivado export),
# QA_BD_PROJECT (project dir), QA_BD_STEPS ("bd" or "bd bitstream", default "bd bitstream").

proc qa_knob {name default} {
	upvar #0 $name var
	if {[info exists var]} { return $var }
	if {[info exists ::env($name)] && $::env($name) ne ""} { return $::env($name) }
	return $default
}

set qa_root [file normalize [file join [file dirname [info script]] .. ..]]
if {![info exists board]} {
	if {[info exists ::argv] && [llength $::argv] > 0} {
		set board [lindex $::argv 0]
	} else {
		set board [qa_knob QA_BOARD zcu104]
	}
}

# board -> part, board part, PS family, control base, IRQ as a device-tree SPI
# number (GIC interrupt ID - 32; documentation: the overlays in boards/ carry
# the same numbers).
array set qa_boards {
	zcu104    {xczu7ev-ffvc1156-2-e  xilinx.com:zcu104:part0:1.1  zynqmp 0xA0000000 89}
	kv260     {xck26-sfvc784-2LV-c   xilinx.com:kv260_som:part0:1.4 zynqmp 0xA0000000 89}
	ultra96v2 {xczu3eg-sbva484-1-i   avnet.com:ultra96v2:part0:1.2 zynqmp 0xA0000000 89}
	pynqz2    {xc7z020clg400-1       tul.com.tw:pynq-z2:part0:1.0 zynq7 0x43C00000 29}
}
if {![info exists qa_boards($board)]} {
	error "unknown board '$board' (one of: [lsort [array names qa_boards]])"
}
lassign $qa_boards($board) part board_part ps_family ctrl_base irq_spi
set ctrl_range 0x10000

set ip_repo [qa_knob QA_IP_REPO [file join $qa_root build hls vitis_prj sol_vivado impl ip]]
set prj_dir [qa_knob QA_BD_PROJECT [file join $qa_root build hls bd_$board]]
set steps   [qa_knob QA_BD_STEPS {bd bitstream}]

create_project -force qaccel_$board $prj_dir -part $part
if {[llength [get_board_parts -quiet $board_part]] > 0} {
	set_property board_part $board_part [current_project]
}
set_property ip_repo_paths [list $ip_repo] [current_project]
update_ip_catalog

create_bd_design qaccel
set qa [create_bd_cell -type ip -vlnv qaccel.org:hls:qaccel_top:1.0 qaccel_top_0]

if {$ps_family eq "zynqmp"} {
	set ps [create_bd_cell -type ip -vlnv xilinx.com:ip:zynq_ultra_ps_e zynq_ultra_ps_e_0]
	apply_bd_automation -rule xilinx.com:bd_rule:zynq_ultra_ps_e \
		-config {apply_board_preset "1"} $ps
	set_property -dict [list \
		CONFIG.PSU__USE__M_AXI_GP0 {1} \
		CONFIG.PSU__USE__M_AXI_GP1 {0} \
		CONFIG.PSU__USE__M_AXI_GP2 {0} \
		CONFIG.PSU__USE__S_AXI_GP2 {1} \
		CONFIG.PSU__USE__IRQ0 {1} \
		CONFIG.PSU__FPGA_PL0_ENABLE {1} \
		CONFIG.PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ {200} \
	] $ps
	set ctrl_master /zynq_ultra_ps_e_0/M_AXI_HPM0_FPD
	set hp_slave /zynq_ultra_ps_e_0/S_AXI_HP0_FPD
	set clk /zynq_ultra_ps_e_0/pl_clk0
	set irq_pin zynq_ultra_ps_e_0/pl_ps_irq0
	set data_space /qaccel_top_0/Data_m_axi_gmem
	set desc_space /qaccel_top_0/Data_m_axi_gdesc
	set ctrl_seg zynq_ultra_ps_e_0/Data/SEG_qaccel_top_0_Reg
} else {
	set ps [create_bd_cell -type ip -vlnv xilinx.com:ip:processing_system7 processing_system7_0]
	apply_bd_automation -rule xilinx.com:bd_rule:processing_system7 \
		-config {make_external "FIXED_IO, DDR" apply_board_preset "1"} $ps
	set_property -dict [list \
		CONFIG.PCW_USE_M_AXI_GP0 {1} \
		CONFIG.PCW_USE_S_AXI_HP0 {1} \
		CONFIG.PCW_USE_FABRIC_INTERRUPT {1} \
		CONFIG.PCW_IRQ_F2P_INTR {1} \
		CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ {100} \
	] $ps
	set ctrl_master /processing_system7_0/M_AXI_GP0
	set hp_slave /processing_system7_0/S_AXI_HP0
	set clk /processing_system7_0/FCLK_CLK0
	set irq_pin processing_system7_0/IRQ_F2P
	set data_space /qaccel_top_0/Data_m_axi_gmem
	set desc_space /qaccel_top_0/Data_m_axi_gdesc
	set ctrl_seg processing_system7_0/Data/SEG_qaccel_top_0_Reg
}

# AXI-Lite control: PS master -> kernel s_axi_control (interconnect + reset by automation).
apply_bd_automation -rule xilinx.com:bd_rule:axi4 -config [list \
	Clk_master $clk Clk_slave Auto Clk_xbar Auto Master $ctrl_master Slave /qaccel_top_0/s_axi_control \
	intc_ip New ddr_seg Auto] [get_bd_intf_pins qaccel_top_0/s_axi_control]
# Both kernel masters (descriptor fetch, data) -> PS high-performance slave -> DDR.
apply_bd_automation -rule xilinx.com:bd_rule:axi4 -config [list \
	Clk_master Auto Clk_slave Auto Clk_xbar Auto Master /qaccel_top_0/m_axi_gmem Slave $hp_slave \
	intc_ip New ddr_seg Auto] [get_bd_intf_pins $hp_slave]
apply_bd_automation -rule xilinx.com:bd_rule:axi4 -config [list \
	Clk_master Auto Clk_slave Auto Clk_xbar Auto Master /qaccel_top_0/m_axi_gdesc Slave $hp_slave \
	intc_ip Auto ddr_seg Auto] [get_bd_intf_pins qaccel_top_0/m_axi_gdesc]

# Interrupt: ap_done/ap_ready -> line 0 of the PL-to-PS interrupt bus.
set irq_concat [create_bd_cell -type ip -vlnv xilinx.com:ip:xlconcat xlconcat_irq]
set_property -dict [list CONFIG.NUM_PORTS {1}] $irq_concat
connect_bd_net [get_bd_pins qaccel_top_0/interrupt] [get_bd_pins xlconcat_irq/In0]
connect_bd_net [get_bd_pins xlconcat_irq/dout] [get_bd_pins $irq_pin]

# The fixed control address of the device-tree overlays.
assign_bd_address -offset $ctrl_base -range $ctrl_range [get_bd_addr_segs $ctrl_seg]
# Kernel masters see all of the PS DDR.
assign_bd_address -target_address_space [get_bd_addr_spaces $data_space] [get_bd_addr_segs -of_objects [get_bd_intf_pins $hp_slave]]
assign_bd_address -target_address_space [get_bd_addr_spaces $desc_space] [get_bd_addr_segs -of_objects [get_bd_intf_pins $hp_slave]]

validate_bd_design
save_bd_design
puts "qaccel: $board control at $ctrl_base (range $ctrl_range), IRQ device-tree SPI $irq_spi"

set wrapper [make_wrapper -files [get_files qaccel.bd] -top]
add_files -norecurse $wrapper
set_property top qaccel_wrapper [current_fileset]
update_compile_order -fileset sources_1

if {"bitstream" in $steps} {
	launch_runs impl_1 -to_step write_bitstream -jobs 2
	wait_on_run impl_1
	if {[get_property PROGRESS [get_runs impl_1]] ne "100%"} {
		error "implementation of the $board design failed"
	}
	write_hw_platform -fixed -include_bit -force -file [file join $prj_dir qaccel_$board.xsa]
}
close_project
