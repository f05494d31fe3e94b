# SPDX-License-Identifier: MIT
#
# Runs the Vitis HLS / Vivado Tcl scripts under plain tclsh with stub
# versions of the tool commands, so a syntax error, a misspelt command or a
# wrong variable fails `make test` instead of a 2-hour tool run. Only the
# commands listed below exist in the sandbox (anything else is "invalid
# command name"); every call is recorded and checked afterwards: the kernel
# name, the flow steps, and the fixed control addresses of the board designs.
# Also cross-checks the v++ .cfg files against the kernel's m_axi arguments.
#
#   tclsh hls/tools/tcl_stub_check.tcl hls/scripts/*.tcl hls/cfg/*.cfg

set vitis_cmds {
	open_project set_top add_files open_solution set_part create_clock config_interface
	config_compile config_dataflow config_export csim_design csynth_design cosim_design
	export_design close_project close_solution
}
set vivado_cmds {
	create_project set_property get_property current_project get_board_parts
	update_ip_catalog create_bd_design create_bd_cell apply_bd_automation get_bd_intf_pins
	get_bd_pins connect_bd_net connect_bd_intf_net assign_bd_address get_bd_addr_segs
	get_bd_addr_spaces validate_bd_design save_bd_design make_wrapper get_files add_files
	current_fileset update_compile_order launch_runs wait_on_run get_runs write_hw_platform
	close_project
}

set kernel_src [file join [file dirname [info script]] .. qaccel_top.c]
set fh [open $kernel_src r]
set kernel_text [read $fh]
close $fh

set failures 0
proc fail {msg} {
	global failures
	puts stderr "tcl check: FAIL: $msg"
	incr failures
}

# The stub behind every tool command: records the call, returns a plausible value.
proc stub {cmd args} {
	global calls
	lappend calls [concat [list $cmd] $args]
	switch -- $cmd {
		get_property { return "100%" }
		get_board_parts { return "" }
		make_wrapper { return "/stub/qaccel_wrapper.v" }
		create_bd_cell { return "/[lindex $args end]" }
		current_project { return "stub_project" }
		current_fileset { return "sources_1" }
	}
	if {[string match get_* $cmd]} { return [lindex $args end] }
	return ""
}

# Sources one script in a fresh interpreter holding only Tcl and the stubs.
proc run_script {path cmds presets} {
	global calls
	set calls {}
	set c [interp create]
	foreach cmd $cmds {
		$c alias $cmd stub $cmd
	}
	$c alias exit stub exit
	$c eval {rename unknown ""}
	$c eval [list set ::argv {}]
	foreach {k v} $presets {
		$c eval [list set $k $v]
	}
	set ::last_error ""
	if {[catch {$c eval [list source $path]} err opts]} {
		set ::last_error "$path ($presets): $err\n[dict get $opts -errorinfo]"
	}
	interp delete $c
	return $calls
}

proc called {calls pattern} {
	foreach c $calls {
		if {[string match $pattern $c]} { return 1 }
	}
	return 0
}

proc check_run_hls {path} {
	global vitis_cmds
	foreach flow {vitis vivado} {
		set calls [run_script $path $vitis_cmds [list QA_HLS_FLOW $flow QA_HLS_PART xc7z020clg400-1 QA_HLS_CLOCK_NS 10]]
		if {$::last_error ne ""} { fail $::last_error; continue }
		foreach want {"set_top qaccel_top" "csim_design *" "csynth_design" "cosim_design *"
			      "set_part xc7z020clg400-1" "create_clock -period 10 *" "exit"} {
			if {![called $calls $want]} { fail "$path ($flow): no call matching '$want'" }
		}
		set fmt [expr {$flow eq "vitis" ? "xo" : "ip_catalog"}]
		if {![called $calls "export_design -format $fmt *"]} {
			fail "$path ($flow): does not export as $fmt"
		}
		if {![called $calls "open_solution * -flow_target $flow"]} {
			fail "$path ($flow): solution not opened with -flow_target $flow"
		}
	}
	# A bad knob must be refused, not silently ignored.
	set calls [run_script $path $vitis_cmds {QA_HLS_FLOW vivadoo}]
	if {$::last_error eq "" || [called $calls "csynth_design"]} {
		fail "$path: accepted QA_HLS_FLOW=vivadoo"
	}
}

proc check_bd {path} {
	global vivado_cmds kernel_text
	set expect {
		zcu104    {0xA0000000 pl_ps_irq0}
		kv260     {0xA0000000 pl_ps_irq0}
		ultra96v2 {0xA0000000 pl_ps_irq0}
		pynqz2    {0x43C00000 IRQ_F2P}
	}
	foreach {board want} $expect {
		lassign $want base irq
		set calls [run_script $path $vivado_cmds [list board $board QA_BD_STEPS {bd bitstream}]]
		if {$::last_error ne ""} { fail $::last_error; continue }
		if {![called $calls "assign_bd_address -offset $base -range 0x10000 *SEG_qaccel_top_0_Reg*"]} {
			fail "$path ($board): control slave not at $base size 0x10000"
		}
		if {![called $calls "connect_bd_net *xlconcat_irq/dout* *$irq*"]} {
			fail "$path ($board): interrupt not wired to $irq"
		}
		if {![called $calls "create_bd_cell -type ip -vlnv qaccel.org:hls:qaccel_top:1.0 qaccel_top_0"]} {
			fail "$path ($board): kernel IP not placed"
		}
		foreach c $calls {
			foreach m [regexp -all -inline {m_axi_[a-z0-9_]+} $c] {
				set bundle [string range $m 6 end]
				if {![string match "*bundle=$bundle *" $kernel_text]} {
					fail "$path ($board): $m is not an m_axi bundle of qaccel_top"
				}
			}
		}
		if {![called $calls "write_hw_platform *"]} {
			fail "$path ($board): no hardware platform written"
		}
	}
}

# v++ configs: [connectivity] sp= lines name m_axi arguments of qaccel_top.
proc check_cfg {path} {
	global kernel_text
	set fh [open $path r]
	set text [read $fh]
	close $fh
	if {[file tail $path] ne "compile.cfg" && ![regexp -line {^platform=\S+} $text]} {
		fail "$path: no platform="
	}
	if {![regexp -line {^nk=qaccel_top:1:qaccel_top_1$} $text] &&
	    ![regexp -line {^kernel=qaccel_top$} $text]} {
		fail "$path: names no qaccel_top kernel"
	}
	foreach {- arg bank} [regexp -all -inline -line {^sp=qaccel_top_1\.(\w+):(\S+)$} $text] {
		if {![regexp "port=$arg bundle=\\w+ offset=slave" $kernel_text]} {
			fail "$path: sp= names '$arg', not an m_axi argument of qaccel_top"
		}
		if {![regexp {^(DDR\[\d+\]|HBM\[\d+(:\d+)?\]|PLRAM\[\d+\])$} $bank]} {
			fail "$path: bad memory bank '$bank'"
		}
	}
	foreach line [split $text \n] {
		set line [string trim $line]
		if {$line eq "" || [string match "#*" $line] || [regexp {^\[\w+\]$} $line]} continue
		if {![regexp {^[a-z_.]+=\S} $line]} { fail "$path: malformed line '$line'" }
	}
}

set n 0
foreach path $argv {
	switch -glob -- [file tail $path] {
		run_hls.tcl { check_run_hls $path }
		bd_*.tcl { check_bd $path }
		*.cfg { check_cfg $path }
		default { fail "$path: no stub profile for this script (add one to [info script])" }
	}
	incr n
}
if {$failures} {
	puts stderr "tcl check: $failures problem(s) in $n file(s)"
	exit 1
}
puts "tcl check: $n file(s) ok (run against stub Vitis/Vivado commands)"
