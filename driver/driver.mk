# Linux kernel driver (driver/), the kdrv backend, and its QEMU tests
# (tests/driver/). The module builds out of tree with Kbuild against every
# kernel whose headers Debian ships here: the 6.1 default and 6.12.

DEPS_PKGS += linux-headers-amd64 linux-headers-6.12-amd64 qemu-system-x86 busybox-static \
	sparse cpio kmod
LIB_SRCS += runtime/backend_kdrv.c
LIB_CPPFLAGS += -DQA_BACKEND_KDRV -Idriver/uapi

# Kernel releases, from the header metapackages (e.g. 6.1.0-56-amd64).
kdrv_hdr_rel = $(shell dpkg-query -W -f='$${Depends}' $(1) 2>/dev/null | \
	sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')
KREL_61 := $(call kdrv_hdr_rel,linux-headers-amd64)
KREL_612 := $(call kdrv_hdr_rel,linux-headers-6.12-amd64)

KDRV_SRCS := $(wildcard driver/*.c driver/*.h driver/uapi/*.h) driver/Kbuild \
	runtime/exec/qa_exec.c runtime/exec/qa_desc.c runtime/exec/qa_exec.h \
	runtime/exec/qa_mem_le.h include/qaccel_hw.h include/qaccel_requant.h
KDRV_LINKS := $(wildcard driver/*.c driver/*.h) driver/Kbuild runtime/exec/qa_exec.c \
	runtime/exec/qa_desc.c
# Kbuild must not see this make's command-line variables (BUILD=, OPT=, ...).
KMAKE = env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS nice $(MAKE) -C /usr/src/linux-headers-$(1) \
	M=$(abspath $(BUILD)/driver/$(1)) QACCEL_TOP=$(abspath .)

# $(BUILD)/driver/<krel>/qaccel.ko, built with W=1; any warning fails the build.
define kdrv_module
$(BUILD)/driver/$(1)/qaccel.ko: $(KDRV_SRCS) driver/driver.mk
	@test -d /usr/src/linux-headers-$(1) || { echo "missing headers for $(1): make deps"; exit 1; }
	@mkdir -p $(BUILD)/driver/$(1)
	@for f in $(KDRV_LINKS); do ln -sfn $(abspath .)/$$$$f $(BUILD)/driver/$(1)/; done
	$(call KMAKE,$(1)) W=1 modules > $(BUILD)/driver/$(1)/build.log 2>&1 || \
		{ cat $(BUILD)/driver/$(1)/build.log; exit 1; }
	@if grep -E 'warning:|error:' $(BUILD)/driver/$(1)/build.log; then \
		echo "driver: warnings building against $(1)"; rm -f $$@; exit 1; fi
	@echo "driver: built $$@ (W=1, no warnings)"

.PHONY: driver-sparse-$(1)
driver-sparse-$(1): $(BUILD)/driver/$(1)/qaccel.ko
	$(call KMAKE,$(1)) C=2 modules > $(BUILD)/driver/$(1)/sparse.log 2>&1 || \
		{ cat $(BUILD)/driver/$(1)/sparse.log; exit 1; }
	@if grep -E 'warning:|error:' $(BUILD)/driver/$(1)/sparse.log; then \
		echo "driver: sparse findings against $(1)"; exit 1; fi
	@echo "driver: sparse clean against $(1)"
endef
$(foreach k,$(KREL_61) $(KREL_612),$(eval $(call kdrv_module,$(k))))

KDRV_KO_61 := $(BUILD)/driver/$(KREL_61)/qaccel.ko
KDRV_KO_612 := $(BUILD)/driver/$(KREL_612)/qaccel.ko

.PHONY: driver driver-6.12 test-driver test-driver-6.12 lint-driver
driver: $(KDRV_KO_61)
driver-6.12: $(KDRV_KO_612)
lint-driver: driver-sparse-$(KREL_61) driver-sparse-$(KREL_612)

# Guest programs: static, so the initramfs needs no libc. The conformance
# program links the library's core with only the ref and kdrv backends (its
# own archive), so it does not depend on the state of the other backends.
KDRV_GUEST := $(BUILD)/driver/guest
KDRV_LIB_SRCS := runtime/device.c runtime/backends.c runtime/buffer.c runtime/job.c \
	runtime/quant.c runtime/qa_heap.c runtime/qa_memdev.c runtime/backend_ref.c \
	runtime/exec/qa_desc.c runtime/exec/qa_exec.c runtime/backend_kdrv.c
KDRV_LIB_OBJS := $(patsubst %.c,$(KDRV_GUEST)/obj/%.o,$(KDRV_LIB_SRCS))
$(KDRV_GUEST)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) -Iruntime/cli -DQA_BACKEND_KDRV -Idriver/uapi -std=c11 -O2 -g $(WARN) -MMD -MP \
		-c $< -o $@
-include $(KDRV_LIB_OBJS:.o=.d)
$(KDRV_GUEST)/libqaccel-kdrv.a: $(KDRV_LIB_OBJS)
	rm -f $@
	ar rcs $@ $^
$(KDRV_GUEST)/qaccel_abuse: tests/driver/qaccel_abuse.c driver/uapi/qaccel_ioctl.h include/qaccel_hw.h
	@mkdir -p $(dir $@)
	$(CC) -static -O2 -g -Wall -Wextra -Werror -Iinclude -Idriver/uapi -o $@ $< -lpthread
$(KDRV_GUEST)/qaccel_conf: tests/driver/qaccel_conf.c $(KDRV_GUEST)/libqaccel-kdrv.a
	@mkdir -p $(dir $@)
	$(CC) -static $(CPPFLAGS_ALL) -std=c11 -O2 -g $(WARN) -o $@ $< \
		$(KDRV_GUEST)/libqaccel-kdrv.a -lpthread -lm

# The qaccel CLI and npycmp, static, for the golden conformance cases in the guest.
KDRV_CLI_OBJS := $(patsubst %.c,$(KDRV_GUEST)/obj/%.o,$(CLI_SRCS))
$(KDRV_GUEST)/qaccel: $(KDRV_CLI_OBJS) $(KDRV_GUEST)/libqaccel-kdrv.a
	$(CC) -static -o $@ $(KDRV_CLI_OBJS) $(KDRV_GUEST)/libqaccel-kdrv.a -lpthread -lm
$(KDRV_GUEST)/npycmp: $(KDRV_GUEST)/obj/tools/npycmp.o $(KDRV_GUEST)/obj/runtime/cli/npy.o
	$(CC) -static -o $@ $^
-include $(KDRV_CLI_OBJS:.o=.d)

KDRV_TEST_DEPS := $(KDRV_GUEST)/qaccel $(KDRV_GUEST)/npycmp $(KDRV_GUEST)/qaccel_abuse $(KDRV_GUEST)/qaccel_conf \
	tests/driver/run-qemu.sh tests/driver/mkinitramfs.sh tests/driver/get-kernel.sh \
	tests/driver/guest-init.sh

# The golden cases (tests/golden.mk) go in too when that fragment is present.
KDRV_GOLDEN := $(if $(wildcard tests/golden.mk),$(BUILD)/cases/.stamp)

test-driver: $(KDRV_KO_61) $(KDRV_TEST_DEPS) $(KDRV_GOLDEN)
	tests/driver/run-qemu.sh $(BUILD) $(KREL_61)

# The long run: the same on 6.12, with more cases.
test-driver-6.12: $(KDRV_KO_612) $(KDRV_TEST_DEPS) $(KDRV_GOLDEN)
	QACCEL_CONF_CASES=1000 QACCEL_GOLDEN_LIMIT=40 QACCEL_QEMU_TIMEOUT=900 \
		tests/driver/run-qemu.sh $(BUILD) $(KREL_612)

ALL_TARGETS += driver
TEST_TARGETS += test-driver
LONG_TEST_TARGETS += test-driver-6.12
LINT_TARGETS += lint-driver
