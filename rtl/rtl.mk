# RTL core: lint and yosys synthesis. The Verilator model is built by sim/sim.mk.
RTL_SRCS := rtl/qa_top.v rtl/qa_ctrl.v rtl/qa_core.v rtl/qa_array.v rtl/qa_bank.v \
	rtl/qa_requant.v rtl/qa_div.v
RTL_VLT := rtl/qa_lint.vlt
YOSYS ?= yosys
SYNTH_DIR := $(BUILD)/synth

LINT_TARGETS += lint-rtl
LONG_TEST_TARGETS += synth-xc7

.PHONY: lint-rtl synth-xc7

# Whole core, -Wall, warnings fatal; waivers (with reasons) live in rtl/qa_lint.vlt.
lint-rtl:
	nice $(VERILATOR) --lint-only -Wall --top-module qa_top $(RTL_VLT) $(RTL_SRCS)
	@echo "lint-rtl: clean"

# yosys synth_xilinx (xc7) of the 16x16 core; the LUT/FF/DSP/BRAM counts go
# to $(SYNTH_DIR)/qa_top_xc7.stat and bench/results/sim_synth_xc7.json.
synth-xc7: $(SYNTH_DIR)/qa_top_xc7.stat
$(SYNTH_DIR)/qa_top_xc7.stat: $(RTL_SRCS) rtl/rtl.mk rtl/synth_xc7.ys
	@mkdir -p $(SYNTH_DIR)
	nice $(YOSYS) -q -l $(SYNTH_DIR)/yosys_xc7.log -p "read_verilog -sv $(RTL_SRCS); \
		script rtl/synth_xc7.ys; tee -o $@ stat"
	$(PYTHON) bench/sim_synth_report.py $@ bench/results/sim_synth_xc7.json
