# Board support (issue 8): the `xrt` backend, the xclbin writer/validator,
# device-tree discovery, the board overlays, and their tests.
#
#   make                 also builds build/bin/qaccel-xclbin, build/xrt-noop/lib
#                        (links to Debian's XRT shims) and the default xclbin
#                        build/share/qaccel/qaccel.xclbin. That xclbin wraps a
#                        PLACEHOLDER bitstream: it loads under XRT's no-op shim
#                        only; a real card needs an xclbin made from a real
#                        bitstream (boards/README.md).
#   make test-xrt        xrt backend under the no-op shim (plain and ASan+UBSan)
#   make test-boards     overlays: dtc -@, fdtoverlay onto base trees, discovery
#   make test-corpus     corrupted xclbins/DTBs, plain and ASan+UBSan
#   make fuzz            libFuzzer targets (clang), FUZZ_SECONDS each (test-long)

DEPS_PKGS += libxrt-dev libxrt1 libxrt-utils uuid-dev libfdt-dev device-tree-compiler clang \
	libclang-rt-dev

XRT_LIBDIR := /usr/lib/x86_64-linux-gnu
QA_XCLBIN_INSTALLED := $(PREFIX)/share/qaccel/qaccel.xclbin

LIB_SRCS += runtime/backend_xrt.c runtime/dt_discover.c tools/xclbin_fmt.c
# QA_HAVE_DT turns on `qaccel info --dtb` in the CLI (runtime/cli/cmd_info.c).
LIB_CPPFLAGS += -DQA_BACKEND_XRT -DQA_HAVE_DT -Itools
LIB_LDLIBS += -lxrt_coreutil -lfdt

# XRT's headers only where they are used, so /usr/include/xrt's generic
# names (types.h, version.h, ...) never shadow anyone else's includes.
$(BUILD)/obj/runtime/backend_xrt.o: LIB_CPPFLAGS += -I/usr/include/xrt \
	-DQA_XCLBIN_DEFAULT='"$(QA_XCLBIN_INSTALLED)"'
# backends.c lists the xrt backend under -DQA_BACKEND_XRT: rebuild it when this changes.
$(BUILD)/obj/runtime/backend_xrt.o $(BUILD)/obj/runtime/backends.o \
	$(BUILD)/obj/runtime/cli/cmd_info.o: boards/boards.mk

QA_LIBA := $(BUILD)/lib/libqaccel.a
XCLBIN_TOOL := $(BUILD)/bin/qaccel-xclbin
XRT_NOOP := $(BUILD)/xrt-noop
XCLBIN_DIR := $(BUILD)/share/qaccel
XCLBIN_DEFAULT := $(XCLBIN_DIR)/qaccel.xclbin

ALL_TARGETS += $(XCLBIN_TOOL) $(XRT_NOOP)/lib/.stamp $(XCLBIN_DEFAULT)
TEST_TARGETS += test-xrt test-boards test-corpus
LONG_TEST_TARGETS += fuzz

$(XCLBIN_TOOL): tools/qaccel_xclbin.c tools/xclbin_fmt.h $(QA_LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) -Itools $(CFLAGS_ALL) -o $@ $< $(LIB_A) $(LIB_LDLIBS) $(LDFLAGS_ALL)

# XILINX_XRT for the no-op shim: libxrt loads $XILINX_XRT/lib/libxrt_<shim>.so.2.
$(XRT_NOOP)/lib/.stamp: boards/boards.mk
	@mkdir -p $(dir $@)
	@test -e $(XRT_LIBDIR)/libxrt_noop.so.2 || \
		{ echo "libxrt1 is not installed (make deps)"; exit 1; }
	for f in $(XRT_LIBDIR)/libxrt_*.so*; do ln -sf $$f $(dir $@); done
	touch $@

# NOT a bitstream: 4 KiB of text so the default xclbin is well formed.
$(XCLBIN_DIR)/placeholder.bit:
	@mkdir -p $(dir $@)
	{ echo "qaccel placeholder: NOT A BITSTREAM. Build a real one with the Vitis/Vivado flow"; \
	  head -c 4096 /dev/zero | tr '\0' '.'; } | head -c 4096 > $@

# Rebuilt when the writer changes, not on every relink of the tool (fresh UUID each time).
$(XCLBIN_DEFAULT): $(XCLBIN_DIR)/placeholder.bit tools/xclbin_fmt.c | $(XCLBIN_TOOL)
	$(XCLBIN_TOOL) write --bitstream $< --placeholder --platform qaccel_noop \
		--kernel-base 0x1800000 --array 16x16 -o $@
	$(XCLBIN_TOOL) check $@ > /dev/null

.PHONY: install-xclbin
install: install-xclbin
install-xclbin: $(XCLBIN_DEFAULT) $(XCLBIN_TOOL)
	install -d $(DESTDIR)$(PREFIX)/share/qaccel $(DESTDIR)$(BINDIR)
	install -m 0644 $(XCLBIN_DEFAULT) $(DESTDIR)$(QA_XCLBIN_INSTALLED)
	install -m 0755 $(XCLBIN_TOOL) $(DESTDIR)$(BINDIR)/qaccel-xclbin

# ---- tests ------------------------------------------------------------------
XRT_ENV := XILINX_XRT=$(abspath $(XRT_NOOP)) XCL_EMULATION_MODE=noop \
	QA_TEST_XCLBIN=$(XCLBIN_DEFAULT)
BOARD_TEST_CFLAGS = $(CPPFLAGS_ALL) $(LIB_CPPFLAGS) $(CFLAGS_ALL) -Wno-missing-prototypes

$(BUILD)/tests/xrt/%: tests/xrt/%.c $(QA_LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(BOARD_TEST_CFLAGS) -I/usr/include/xrt -o $@ $< $(LIB_A) -lcmocka $(LIB_LDLIBS) \
		$(LDFLAGS_ALL)

$(BUILD)/tests/fuzz/%: tests/fuzz/%.c $(QA_LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(BOARD_TEST_CFLAGS) -o $@ $< $(LIB_A) $(LIB_LDLIBS) $(LDFLAGS_ALL)

$(BUILD)/tests/boards/%: tests/boards/%.c $(QA_LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(BOARD_TEST_CFLAGS) -o $@ $< $(LIB_A) $(LIB_LDLIBS) $(LDFLAGS_ALL)

# Runs in whatever BUILD it is given; test-xrt runs it plain and under ASan+UBSan.
.PHONY: test-xrt test-xrt-run test-boards test-corpus test-corpus-run fuzz
test-xrt-run: $(BUILD)/tests/xrt/test_xrt_noop $(XRT_NOOP)/lib/.stamp $(XCLBIN_DEFAULT)
	$(XRT_ENV) QA_TEST_DIR=$(BUILD)/tests/xrt/work \
		$(BUILD)/tests/xrt/test_xrt_noop noop
	printf '[Runtime]\nnoop_completion_delay_us = 300000\n' > $(BUILD)/tests/xrt/slow.ini
	$(XRT_ENV) XRT_INI_PATH=$(abspath $(BUILD)/tests/xrt/slow.ini) \
		QA_TEST_DIR=$(BUILD)/tests/xrt/work $(BUILD)/tests/xrt/test_xrt_noop timeout
	env -u XCL_EMULATION_MODE XILINX_XRT=$(abspath $(XRT_NOOP)) \
		QA_TEST_XCLBIN=$(XCLBIN_DEFAULT) \
		QA_TEST_DIR=$(BUILD)/tests/xrt/work $(BUILD)/tests/xrt/test_xrt_noop nocard

test-xrt:
	$(MAKE) test-xrt-run
	$(MAKE) test-xrt-run BUILD=$(BUILD)/asan SANITIZE=1 OPT=-O1

# ---- boards: overlays compiled with dtc -@, applied with fdtoverlay ------------
DTC ?= dtc
# An overlay fragment cannot see its target bus's #address-cells/#size-cells; the
# reg format is checked on the applied tree instead (tests/boards/run.sh).
DTSO_FLAGS := -Wno-reg_format -Wno-avoid_default_addr_size
BOARD_OUT := $(BUILD)/boards
OVERLAYS := $(wildcard boards/*/*.dtso)
BASES := $(wildcard boards/base/*.dts)
DTBOS := $(patsubst boards/%.dtso,$(BOARD_OUT)/%.dtbo,$(OVERLAYS))
BASE_DTBS := $(patsubst boards/base/%.dts,$(BOARD_OUT)/base/%.dtb,$(BASES))

$(BOARD_OUT)/%.dtbo: boards/%.dtso
	@mkdir -p $(dir $@)
	$(DTC) -@ -I dts -O dtb $(DTSO_FLAGS) -o $@ $<

$(BOARD_OUT)/base/%.dtb: boards/base/%.dts
	@mkdir -p $(dir $@)
	$(DTC) -@ -I dts -O dtb -o $@ $<

# Each board's overlay applied to its SoC family's base tree (seeds for the corpus/fuzzers).
BOARD_NAMES := $(foreach o,$(OVERLAYS),$(notdir $(patsubst %/,%,$(dir $(o)))))
APPLIED := $(patsubst %,$(BOARD_OUT)/applied/%.dtb,$(BOARD_NAMES))
board_base = $(BOARD_OUT)/base/$(if $(filter pynq-z2,$(1)),zynq7000,zynqmp)-base.dtb
define APPLY_RULE
$(BOARD_OUT)/applied/$(1).dtb: $(BOARD_OUT)/$(1)/qaccel-$(1).dtbo $(call board_base,$(1))
	@mkdir -p $$(dir $$@)
	fdtoverlay -i $(call board_base,$(1)) -o $$@ $$<
endef
$(foreach b,$(BOARD_NAMES),$(eval $(call APPLY_RULE,$(b))))

test-boards: $(DTBOS) $(BASE_DTBS) $(BUILD)/tests/boards/dt_expect
	BUILD=$(BUILD) tests/boards/run.sh $(BUILD)/tests/boards/dt_expect

# ---- corrupted inputs (plain and ASan+UBSan) -----------------------------------
test-corpus-run: $(BUILD)/tests/fuzz/corpus_check $(XCLBIN_DEFAULT) $(APPLIED) $(BASE_DTBS)
	$(BUILD)/tests/fuzz/corpus_check $(XCLBIN_DEFAULT) $(APPLIED) $(BASE_DTBS) \
		-- $(wildcard tests/fuzz/regress/*)

test-corpus:
	$(MAKE) test-corpus-run
	$(MAKE) test-corpus-run BUILD=$(BUILD)/asan SANITIZE=1 OPT=-O1

# ---- libFuzzer (Debian clang) ---------------------------------------------------
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	$(CPPFLAGS_ALL) -Itools -DQA_FUZZ
FUZZ_DIR := $(BUILD)/fuzz

$(FUZZ_DIR)/fuzz_xclbin: tests/fuzz/fuzz_xclbin.c tools/xclbin_fmt.c tools/xclbin_fmt.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_xclbin.c tools/xclbin_fmt.c

$(FUZZ_DIR)/fuzz_dt: tests/fuzz/fuzz_dt.c runtime/dt_discover.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz/fuzz_dt.c runtime/dt_discover.c -lfdt

fuzz: $(FUZZ_DIR)/fuzz_xclbin $(FUZZ_DIR)/fuzz_dt $(XCLBIN_DEFAULT) $(APPLIED) $(BASE_DTBS)
	tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(XCLBIN_DEFAULT) $(BOARD_OUT)
