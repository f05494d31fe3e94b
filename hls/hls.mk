# HLS kernels: the Vitis HLS top (hls/qaccel_top.c) compiled natively is the
# `hls` backend of libqaccel (C simulation). This fragment also checks that
# the kernel stays synthesizable C, builds/runs the standalone csim testbench
# and parses the Vitis/Vivado Tcl with stub commands.
#
# Note: included before OBJ/LIB_A/QACCEL are defined, so prerequisites spell
# $(BUILD)/... out (recipes may use the variables: they expand late).

HLS_KERNEL_SRCS := hls/qaccel_top.c
# What Vitis synthesizes: the kernel plus the shared descriptor codec/validator.
HLS_SYNTH_SRCS := $(HLS_KERNEL_SRCS) runtime/exec/qa_desc.c
HLS_TCL := $(wildcard hls/scripts/*.tcl) $(wildcard hls/cfg/*.cfg)
HLS_BUILD = $(BUILD)/hls
HLS_CFLAGS := -std=c11 -O2 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -Iinclude -Ihls -Iruntime

LIB_SRCS += $(HLS_KERNEL_SRCS) runtime/backend_hls.c
LIB_CPPFLAGS += -DQA_BACKEND_HLS -Ihls
DEPS_PKGS += tcl
TEST_TARGETS += test-hls
LONG_TEST_TARGETS += test-hls-long
BENCH_TARGETS += bench-hls

# The MAC loops are written for HLS (fully unrolled 16x16 sub-tiles); -O3 lets
# the native compiler vectorize them so the C simulation stays fast.
$(BUILD)/obj/hls/qaccel_top.o: CFLAGS_ALL += -O3

.PHONY: test-hls test-hls-kernel-obj test-hls-tcl test-hls-csim test-hls-unit \
	test-hls-cli test-hls-long bench-hls

# (build/tests/test_hls_kernel itself runs in make test-c, plain and under ASan+UBSan.)
test-hls: test-hls-kernel-obj test-hls-tcl test-hls-csim test-hls-cli

# The kernel object alone, native and with the pragmas expanded (__SYNTHESIS__):
# no VLAs (-Wvla -Werror), and nothing external but memcpy/memset -- so no
# malloc, no libc, no runtime helpers.
test-hls-kernel-obj: $(HLS_SYNTH_SRCS) hls/qaccel_hls.h include/qaccel_hw.h include/qaccel_requant.h \
		runtime/exec/qa_exec.h runtime/exec/qa_mem_le.h hls/tools/check_callgraph.py
	@mkdir -p $(HLS_BUILD)
	@set -e; for mode in native synthesis; do \
		flags=""; [ $$mode = synthesis ] && flags="-D__SYNTHESIS__ -Wno-unknown-pragmas"; \
		objs=""; \
		for src in $(HLS_SYNTH_SRCS); do \
			base=$$(basename $$src .c); \
			echo "$(CC) $(HLS_CFLAGS) $$flags -c $$src"; \
			$(CC) $(HLS_CFLAGS) $$flags -fno-stack-protector -c $$src \
				-o $(HLS_BUILD)/$${base}_$$mode.o; \
			objs="$$objs $(HLS_BUILD)/$${base}_$$mode.o"; \
			$(CC) $(HLS_CFLAGS) $$flags -O0 -fcallgraph-info -c $$src \
				-o $(HLS_BUILD)/$${base}_$${mode}_O0.o -dumpbase $(HLS_BUILD)/$${base}_$$mode.c; \
			$(PYTHON) hls/tools/check_callgraph.py $(HLS_BUILD)/$${base}_$$mode.c.ci; \
		done; \
		ld -r -o $(HLS_BUILD)/kernel_$$mode.o $$objs; \
		undef=$$(nm -u $(HLS_BUILD)/kernel_$$mode.o | awk '{print $$2}' | \
			grep -v -x -e memcpy -e memset || true); \
		if [ -n "$$undef" ]; then \
			echo "hls kernel ($$mode) has undefined symbols:" $$undef; exit 1; fi; \
		echo "hls kernel ($$mode): no VLAs, nothing undefined but memcpy/memset, no recursion"; \
	done
	@if grep -n -E '\b(malloc|calloc|realloc|free|alloca)[[:space:]]*\(' $(HLS_SYNTH_SRCS); then \
		echo "hls kernel must not allocate"; exit 1; fi

# Every Tcl script parses and runs against stub Vitis/Vivado commands.
test-hls-tcl: $(HLS_TCL) hls/tools/tcl_stub_check.tcl
	tclsh hls/tools/tcl_stub_check.tcl $(HLS_TCL)

# The cmocka comparison against the CPU reference (also part of make test-c).
test-hls-unit: $(BUILD)/tests/test_hls_kernel
	$(BUILD)/tests/test_hls_kernel

# The standalone csim testbench (the file Vitis uses as -tb) on generated vectors.
HLS_TB := $(HLS_BUILD)/qaccel_tb
HLS_GEN := $(HLS_BUILD)/gen_vectors
$(HLS_TB): hls/tb/qaccel_tb.c $(HLS_SYNTH_SRCS) hls/qaccel_hls.h
	@mkdir -p $(dir $@)
	$(CC) $(HLS_CFLAGS) -O3 -o $@ hls/tb/qaccel_tb.c $(HLS_SYNTH_SRCS)

$(HLS_GEN): tests/hls/gen_vectors.c $(BUILD)/lib/libqaccel.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(LIB_CPPFLAGS) $(CFLAGS_ALL) -o $@ $< $(LIB_A) $(LIB_LDLIBS) $(LDFLAGS_ALL)

# Vectors for the Vitis flow too (run_hls.tcl: csim uses vectors.bin, cosim the small set).
$(BUILD)/hls/vectors.bin: $(HLS_GEN)
	$(HLS_GEN) $@ 200
$(BUILD)/hls/vectors_cosim.bin: $(HLS_GEN)
	$(HLS_GEN) $@ 6 --no-edges --seed 7

test-hls-csim: $(HLS_TB) $(BUILD)/hls/vectors.bin $(BUILD)/hls/vectors_cosim.bin
	$(HLS_TB) $(HLS_BUILD)/vectors.bin
	$(HLS_TB) $(HLS_BUILD)/vectors_cosim.bin
	@# The testbench must be able to fail: a corrupted expectation is caught.
	$(HLS_GEN) $(HLS_BUILD)/vectors_bad.bin 20 --corrupt
	@if $(HLS_TB) $(HLS_BUILD)/vectors_bad.bin >/dev/null 2>&1; then \
		echo "csim testbench accepted a corrupted vector"; exit 1; \
	else echo "csim testbench rejects a corrupted vector: ok"; fi

# Through the CLI: the built-in conformance run on the hls device, and a 512^3
# GEMM + the ResNet-50 3x3x64x64@56x56 conv with --stats: bit-identical to ref,
# and the cycle counts documented in hls/README.md.
test-hls-cli: $(BUILD)/bin/qaccel
	$(QACCEL) selftest --device hls
	@set -e; d=$$(mktemp -d); trap 'rm -rf "$$d"' EXIT; \
	$(PYTHON) -c "import numpy as np, sys; d = sys.argv[1]; r = np.random.default_rng(4); \
np.save(d + '/a.npy', r.integers(-128, 128, (512, 512), dtype=np.int8)); \
np.save(d + '/b.npy', r.integers(-128, 128, (512, 512), dtype=np.int8)); \
np.save(d + '/x.npy', r.integers(0, 256, (1, 56, 56, 64), dtype=np.uint8)); \
np.save(d + '/w.npy', r.integers(-128, 128, (64, 3, 3, 64), dtype=np.int8))" "$$d"; \
	for dev in ref hls; do \
		$(QACCEL) gemm --a $$d/a.npy --b $$d/b.npy --a-zp 3 --b-zp -2 --out-zp 5 \
			--scale 0.0001 --out $$d/y_$$dev.npy --device $$dev --stats 2>$$d/gemm_$$dev.txt; \
		$(QACCEL) conv2d --input $$d/x.npy --weights $$d/w.npy --input-zp 128 --weights-zp 0 \
			--out-zp -3 --out-type int8 --scale 0.0005 --pad 1,1,1,1 --out $$d/c_$$dev.npy --device $$dev \
			--stats 2>$$d/conv_$$dev.txt; \
	done; \
	cmp $$d/y_ref.npy $$d/y_hls.npy; cmp $$d/c_ref.npy $$d/c_hls.npy; \
	cat $$d/gemm_hls.txt $$d/conv_hls.txt; \
	grep -q 'stats: device=hls cycles=529340 macs=134217728 ' $$d/gemm_hls.txt; \
	grep -q 'stats: device=hls cycles=455550 macs=115605504 ' $$d/conv_hls.txt; \
	echo "test-hls-cli: hls == ref byte for byte, --stats cycles as documented"

test-hls-long: $(BUILD)/tests/test_hls_kernel $(HLS_TB) $(HLS_GEN)
	QA_HLS_TEST_CASES=3000 $(BUILD)/tests/test_hls_kernel
	$(HLS_GEN) $(HLS_BUILD)/vectors_long.bin 2000
	$(HLS_TB) $(HLS_BUILD)/vectors_long.bin

# Cycle-model estimates for the standard workloads + native csim speed -> JSON.
HLS_BENCH := $(HLS_BUILD)/bench_hls
$(HLS_BENCH): tests/hls/bench_hls.c $(BUILD)/lib/libqaccel.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(LIB_CPPFLAGS) $(CFLAGS_ALL) -o $@ $< $(LIB_A) $(LIB_LDLIBS) $(LDFLAGS_ALL)

bench-hls: $(HLS_BENCH)
	@mkdir -p bench/results
	$(HLS_BENCH) ../shared/workloads bench/results/hls.json
