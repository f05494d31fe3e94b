# qaccel top-level build. `make help` lists the targets.
#
# Parts of the tree add themselves through fragments (hls/hls.mk, sim/sim.mk,
# ...) that append to the variables below, so adding a backend never means
# editing this file.

VERSION_MAJOR := 0
VERSION_MINOR := 1
VERSION_PATCH := 0
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)

BUILD ?= build
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
DESTDIR ?=

CC ?= cc
CXX ?= c++
OPT ?= -O2
PYTHON := /usr/bin/python3
SANITIZE ?=
SAN_ON := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_FLAGS := $(if $(SANITIZE),$(SAN_ON))

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
CPPFLAGS_ALL := -Iinclude -Iruntime -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CFLAGS_ALL := -std=c11 $(OPT) -g $(WARN) -fPIC -fvisibility=hidden $(SAN_FLAGS)
LDFLAGS_ALL := $(SAN_FLAGS)

# ---- what the fragments extend ---------------------------------------------
DEPS_PKGS := build-essential pkg-config libcmocka-dev libgemmlowp-dev python3-numpy
LIB_SRCS := runtime/device.c runtime/backends.c runtime/buffer.c runtime/job.c \
	runtime/quant.c runtime/qa_heap.c runtime/qa_memdev.c runtime/backend_ref.c \
	runtime/exec/qa_desc.c runtime/exec/qa_exec.c
LIB_CPPFLAGS :=
LIB_LDLIBS := -lpthread -lm
CLI_SRCS := $(wildcard runtime/cli/*.c)
ALL_TARGETS :=
TEST_TARGETS :=
LONG_TEST_TARGETS :=
BENCH_TARGETS :=
LINT_TARGETS :=
CLEAN_FILES :=

# Output paths, fixed before the fragments so they can use them.
OBJ := $(BUILD)/obj
SONAME := libqaccel.so.$(VERSION_MAJOR)
LIB_SO := $(BUILD)/lib/libqaccel.so.$(VERSION)
LIB_A := $(BUILD)/lib/libqaccel.a
LIB_PC := $(BUILD)/lib/pkgconfig/qaccel.pc
QACCEL := $(BUILD)/bin/qaccel

# `make` builds everything (the fragments' rules would otherwise come first)
.DEFAULT_GOAL := all
include $(sort $(wildcard */*.mk))

# ---- library ---------------------------------------------------------------
LIB_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(LIB_SRCS))
CLI_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(CLI_SRCS))

.PHONY: all lib cli deps deps-check test test-long test-c lint demo bench install \
	uninstall clean help
all: lib cli $(ALL_TARGETS)
lib: $(LIB_SO) $(LIB_A) $(LIB_PC)
cli: $(QACCEL)

$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(LIB_CPPFLAGS) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(LIB_SO): $(LIB_OBJS) runtime/libqaccel.map
	@mkdir -p $(dir $@)
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=runtime/libqaccel.map \
		-Wl,--no-undefined $(LDFLAGS_ALL) -o $@ $(LIB_OBJS) $(LIB_LDLIBS)
	ln -sf libqaccel.so.$(VERSION) $(BUILD)/lib/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/lib/libqaccel.so

$(LIB_A): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

PC_SUBST = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	-e 's|@LIBS_PRIVATE@|$(LIB_LDLIBS)|'

$(LIB_PC): runtime/qaccel.pc.in Makefile
	@mkdir -p $(dir $@)
	$(PC_SUBST) $< > $@

# The CLI links the static library: one self-contained binary.
$(QACCEL): $(CLI_OBJS) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJS) $(LIB_A) $(LIB_LDLIBS)

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d)

# ---- packages ----------------------------------------------------------------
deps:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(sort $(DEPS_PKGS))

# Installs what is missing, so `make test` / `make demo` work on a fresh machine.
deps-check:
	@missing=$$(for p in $(sort $(DEPS_PKGS)); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "missing packages:" $$missing "-- running make deps"; \
		if [ "$$(id -u)" = 0 ]; then $(MAKE) deps; else sudo $(MAKE) deps; fi; \
	fi

# ---- tests -------------------------------------------------------------------
# Every suite runs even if an earlier one fails; the last line sums them up.
test: deps-check
	$(MAKE) all
	@tools/run_suites.sh "$(MAKE) --no-print-directory" test-c \
		"test-c BUILD=$(BUILD)/asan SANITIZE=1 OPT=-O1" $(TEST_TARGETS)

test-long: test $(LONG_TEST_TARGETS)

lint: $(LINT_TARGETS)

bench: deps-check all $(BENCH_TARGETS)

demo: deps-check
	$(MAKE) all
	tools/demo.sh $(BUILD)

# ---- install -----------------------------------------------------------------
install: lib cli
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(BINDIR)
	install -m 0644 include/qaccel.h $(DESTDIR)$(INCLUDEDIR)/qaccel.h
	install -m 0755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf libqaccel.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libqaccel.so
	install -m 0644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	$(PC_SUBST) runtime/qaccel.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/qaccel.pc
	install -m 0755 $(QACCEL) $(DESTDIR)$(BINDIR)/qaccel

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/qaccel.h $(DESTDIR)$(LIBDIR)/libqaccel.* \
		$(DESTDIR)$(LIBDIR)/pkgconfig/qaccel.pc $(DESTDIR)$(BINDIR)/qaccel

clean:
	rm -rf $(BUILD) $(CLEAN_FILES)

help:
	@echo "make deps       install the Debian packages every part needs (as root)"
	@echo "make            build build/bin/qaccel, build/lib/libqaccel.{so,a}, qaccel.pc"
	@echo "make test       all tests, incl. the C tests again under ASan+UBSan"
	@echo "make test-long  slow sweeps and the full conformance counts"
	@echo "make demo       run a real quantized layer end to end"
	@echo "make bench      benchmarks, JSON results under bench/results/"
	@echo "make lint       static checks (RTL lint, ...)"
	@echo "make install    PREFIX=/usr/local"
