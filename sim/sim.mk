# Verilator model of rtl/ + the sim/ harness, built as a plain-C-ABI shared
# object that runtime/backend_sim.c dlopen()s:
#   $(BUILD)/lib/qaccel/libqaccel_sim.so       fast build (-O3, OPT_FAST=-O2), benches and CLI
#   $(BUILD)/lib/qaccel/libqaccel_sim_test.so  test build (--assert, -Wall,
#                                              --x-assign/--x-initial unique)
# Both have run-time optional FST tracing (qa_sim_trace / QACCEL_SIM_TRACE).

VERILATOR ?= verilator
VL_ROOT ?= /usr/share/verilator/include
SIM_DIR := $(BUILD)/sim
SIM_LIBDIR := $(BUILD)/lib/qaccel
SIM_SO := $(SIM_LIBDIR)/libqaccel_sim.so
SIM_TEST_SO := $(SIM_LIBDIR)/libqaccel_sim_test.so
SIM_RTL := $(RTL_SRCS)
# --unroll-count/--unroll-stmts: qa_array's 16x16 PE loops must unroll to
# straight-line code (Verilator's defaults, 64 and 30000, leave the outer loop
# as a loop over variable part-selects of the 8 Kibit accumulator vector).
# QA_ARRAY_SIM_FORM: qa_array's simulation form of the accumulate step (the
# same arithmetic as its synthesis form; rtl/qa_array.v).
SIM_VFLAGS := --cc --top-module qa_top --prefix Vqa_top --trace-fst --no-timing \
	--unroll-count 256 --unroll-stmts 100000 +define+QA_ARRAY_SIM_FORM -Wno-fatal $(RTL_VLT)
SIM_VFLAGS_FAST := -O3 --x-assign fast --x-initial fast
SIM_VFLAGS_TEST := -Wall --assert --x-assign unique --x-initial unique
SIM_MAKEFLAGS := OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2 CXXFLAGS="-fPIC -std=c++17 -w"
SIM_CXXFLAGS := -std=c++17 -O2 -g -fPIC -fvisibility=hidden -Wall -Wextra \
	-DVM_TRACE=1 -DVM_TRACE_FST=1 -DVM_COVERAGE=0 -DVM_SC=0 \
	-isystem $(VL_ROOT) -isystem $(VL_ROOT)/vltstd -Isim

DEPS_PKGS += verilator yosys zlib1g-dev g++
LIB_SRCS += runtime/backend_sim.c
LIB_CPPFLAGS += -DQA_BACKEND_SIM
LIB_LDLIBS += -ldl
ALL_TARGETS += sim-model
TEST_TARGETS += test-sim
LONG_TEST_TARGETS += test-sim-long
BENCH_TARGETS += bench-sim
CLEAN_FILES +=

.PHONY: sim-model sim-model-test test-sim test-sim-long test-rtl-regs bench-sim

sim-model: $(SIM_SO)
sim-model-test: $(SIM_TEST_SO)

# $(1) = fast|test, $(2) = extra verilator flags, $(3) = output .so, $(4) = build name,
# $(5) = extra harness flags
define SIM_MODEL_RULES
$(SIM_DIR)/$(1)/Vqa_top.mk: $(SIM_RTL) $(RTL_VLT) sim/sim.mk rtl/rtl.mk
	@mkdir -p $(SIM_DIR)/$(1)
	nice $(VERILATOR) $(SIM_VFLAGS) $(2) --Mdir $(SIM_DIR)/$(1) $(SIM_RTL)

$(SIM_DIR)/$(1)/Vqa_top__ALL.a: $(SIM_DIR)/$(1)/Vqa_top.mk
	nice $(MAKE) --no-print-directory -C $(SIM_DIR)/$(1) -f Vqa_top.mk $(SIM_MAKEFLAGS) \
		Vqa_top__ALL.a verilated.o verilated_fst_c.o verilated_threads.o

$(SIM_DIR)/$(1)/qa_sim.o: sim/qa_sim.cpp sim/qa_sim.h $(SIM_DIR)/$(1)/Vqa_top__ALL.a
	nice $(CXX) $(SIM_CXXFLAGS) -I$(SIM_DIR)/$(1) -DQA_SIM_BUILD='"$(4)"' $(5) -c $$< -o $$@

$(3): $(SIM_DIR)/$(1)/qa_sim.o $(SIM_DIR)/$(1)/Vqa_top__ALL.a
	@mkdir -p $$(dir $$@)
	$(CXX) -shared -o $$@ $$< $(SIM_DIR)/$(1)/Vqa_top__ALL.a \
		$(addprefix $(SIM_DIR)/$(1)/,verilated.o verilated_fst_c.o verilated_threads.o) \
		-Wl,--no-undefined -lz -lpthread -latomic
endef

# The fast build evaluates the model once per clock cycle (sim/qa_sim.cpp,
# clk_low_no_eval); the test build evaluates it at both edges and fails the
# job if the falling-edge eval ever changes an output, i.e. if the RTL grows a
# combinational input-to-output path that would make the fast build inexact.
$(eval $(call SIM_MODEL_RULES,fast,$(SIM_VFLAGS_FAST),$(SIM_SO),fast build,))
$(eval $(call SIM_MODEL_RULES,test,$(SIM_VFLAGS_TEST),$(SIM_TEST_SO),test build,-DQA_SIM_CHECK_FALL_EVAL))

# RTL-level tests: register interface + sim backend vs ref executor.
SIM_TEST_BIN := $(BUILD)/tests/sim/test_rtl_regs
$(SIM_TEST_BIN): tests/rtl/test_rtl_regs.c sim/qa_sim.h $(LIB_A) $(SIM_TEST_SO)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) -Isim $(CFLAGS_ALL) -Wno-missing-prototypes -o $@ $< $(LIB_A) \
		$(SIM_TEST_SO) -Wl,-rpath,$(abspath $(SIM_LIBDIR)) -lcmocka $(LIB_LDLIBS) $(LDFLAGS_ALL)

test-rtl-regs: $(SIM_TEST_BIN) $(SIM_TEST_SO)
	$(SIM_TEST_BIN)

# qa_array's simulation form (what every sim test runs) against its synthesis
# form (what yosys maps): the same random cycles, identical drain reads.
FORMS_DIR := $(BUILD)/sim/array_forms
FORMS_BIN := $(FORMS_DIR)/Vtb
$(FORMS_DIR)/qa_array_sim.v: rtl/qa_array.v
	@mkdir -p $(dir $@)
	{ echo '`define QA_ARRAY_SIM_FORM'; sed 's/^module qa_array #(/module qa_array_sim #(/' $<; } > $@
$(FORMS_DIR)/qa_array_syn.v: rtl/qa_array.v
	@mkdir -p $(dir $@)
	{ echo '`undef QA_ARRAY_SIM_FORM'; sed 's/^module qa_array #(/module qa_array_syn #(/' $<; } > $@
$(FORMS_BIN): tests/rtl/array_forms/tb.v tests/rtl/array_forms/tb.cpp \
		$(FORMS_DIR)/qa_array_sim.v $(FORMS_DIR)/qa_array_syn.v
	nice $(VERILATOR) --cc --exe --build -j 1 --top-module tb -Wno-fatal \
		--unroll-count 256 --unroll-stmts 100000 --Mdir $(FORMS_DIR)/obj \
		-MAKEFLAGS "OPT_FAST=-O1" -o $(abspath $@) \
		$(FORMS_DIR)/qa_array_sim.v $(FORMS_DIR)/qa_array_syn.v \
		tests/rtl/array_forms/tb.v $(abspath tests/rtl/array_forms/tb.cpp) > $(FORMS_DIR)/build.log

.PHONY: test-rtl-forms
test-rtl-forms: $(FORMS_BIN)
	$(FORMS_BIN) 100000

test-sim: $(SIM_TEST_SO) $(SIM_SO) test-rtl-regs test-rtl-forms
	$(MAKE) --no-print-directory $(BUILD)/tests/test_sim_backend
	QACCEL_SIM_LIB=$(SIM_TEST_SO) QA_SIM_CASES=$${QA_SIM_CASES:-120} $(BUILD)/tests/test_sim_backend

# make bench: utilization from the core's own counters on the DDR-like
# memory model (40-cycle read latency, 16 B/cycle), sim speed in core
# cycles per CPU second. JSON under bench/results/.
WORKLOADS ?= /work/shared/workloads
SIM_BENCH_BIN := $(BUILD)/bench/sim_bench
SIM_BENCH_RUN = QACCEL_SIM_LIB=$(SIM_SO) nice $(SIM_BENCH_BIN)
$(SIM_BENCH_BIN): bench/sim_bench.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -Wno-missing-prototypes -o $@ $< $(LIB_A) \
		$(LIB_LDLIBS) $(LDFLAGS_ALL)

# The full random sweep (make test-long).
test-sim-long: $(SIM_TEST_SO)
	$(MAKE) --no-print-directory $(BUILD)/tests/test_sim_backend
	QACCEL_SIM_LIB=$(SIM_TEST_SO) QA_SIM_CASES=1000 nice $(BUILD)/tests/test_sim_backend

bench-sim: $(SIM_SO) $(SIM_BENCH_BIN)
	@mkdir -p bench/results
	$(SIM_BENCH_RUN) --gemm 512,512,512 --conv 56,56,64,64,3,3,1,1,1,1,1,1 \
		--out bench/results/sim_headline.json
	$(SIM_BENCH_RUN) --csv $(WORKLOADS)/resnet50.csv --out bench/results/sim_resnet50.json
	$(SIM_BENCH_RUN) --csv $(WORKLOADS)/mobilenetv2.csv --out bench/results/sim_mobilenetv2.json
	$(SIM_BENCH_RUN) --csv $(WORKLOADS)/bert-base-seq128.csv --out bench/results/sim_bert.json
	$(SIM_BENCH_RUN) --device sim:wbw=16 --csv $(WORKLOADS)/mobilenetv2.csv \
		--out bench/results/sim_mobilenetv2_wbw16.json
	$(PYTHON) bench/sim_summary.py bench/results/sim_headline.json bench/results/sim_resnet50.json \
		bench/results/sim_mobilenetv2.json bench/results/sim_bert.json \
		bench/results/sim_mobilenetv2_wbw16.json > bench/results/sim_summary.json
	cat bench/results/sim_summary.json

# The model is found next to libqaccel (<libdir>/qaccel/) or, for the static
# CLI, at <bindir>/../lib/qaccel/: install it where both look.
.PHONY: install-sim
install: install-sim
install-sim: $(SIM_SO)
	install -d $(DESTDIR)$(LIBDIR)/qaccel
	install -m 0755 $(SIM_SO) $(DESTDIR)$(LIBDIR)/qaccel/libqaccel_sim.so
