# Golden cases and cross-backend conformance.
#
# Two independent golden sources (neither uses libqaccel code):
#   tests/golden/gemm_golden.cc  gemmlowp's output pipeline (C++, -fwrapv)
#   tests/golden/conv_golden.py  NumPy int64 reimplementation of conv2d/GEMM
#                                and of the gemmlowp/TFLite requantization
# Every generated case set is first cross-checked: NumPy recomputes the
# gemmlowp GEMM cases, gemmlowp recomputes the NumPy GEMM cases and (via an
# explicit im2col per group) the NumPy CONV2D cases; any disagreement stops
# the build before qaccel is looked at.
#
#   make golden-cases           generate + cross-check $(BUILD)/cases
#   make test-conformance       run the cases on every compiled-in backend
#   make test-conformance-long  bigger case set in $(BUILD)/cases-long
#   make conformance CONF_DEVICE=sim [CONF_LIMIT=N]   one backend only
#
# Paths are spelled with $(BUILD) so this works wherever the top Makefile
# defines OBJ/QACCEL relative to its include of the fragments.

GOLDEN_OBJ := $(BUILD)/obj
GOLDEN_QACCEL := $(BUILD)/bin/qaccel
GEMM_GOLDEN := $(BUILD)/tests/gemm_golden
NPYCMP := $(BUILD)/bin/npycmp
CONV_GOLDEN := tests/golden/conv_golden.py
CONF_RUN := tests/conformance/run.sh
GOLDEN_CXXFLAGS := -std=c++17 -O2 -g -fwrapv -Wall -Wextra -Werror

# Case counts (make test) and their long counterparts (make test-long).
CONF_GEMM_CASES ?= 300
CONF_CONV_CASES ?= 300
CONF_NPGEMM_CASES ?= 100
CONF_MAX_MACS ?= 2000000
CONF_SEED ?= 1
CONF_LONG_GEMM_CASES ?= 3000
CONF_LONG_CONV_CASES ?= 3000
CONF_LONG_NPGEMM_CASES ?= 1000
CONF_LONG_MAX_MACS ?= 8000000
CONF_LONG_SEED ?= 1001

# Per-backend case limit (cases per suite; 0 = all). Slow executors get a sample.
CONF_BACKENDS_KNOWN := ref hls sim xrt kdrv
CONF_LIMIT_ref ?= 0
CONF_LIMIT_hls ?= 0
CONF_LIMIT_sim ?= 0
CONF_LIMIT_xrt ?= 10
CONF_LIMIT_kdrv ?= 25
CONF_LONG_LIMIT_ref ?= 0
CONF_LONG_LIMIT_hls ?= 600
CONF_LONG_LIMIT_sim ?= 250
CONF_LONG_LIMIT_xrt ?= 100
CONF_LONG_LIMIT_kdrv ?= 250
# Backends to exercise; default: what `qaccel info --list` reports (else ref).
# A listed backend that cannot be opened here (`qaccel info --device B`
# fails: no XRT device, no /dev node, ...) is reported and skipped, unless it
# is in CONF_REQUIRE, which makes that a failure.
CONF_BACKENDS ?=
CONF_REQUIRE ?= ref hls sim

DEPS_PKGS += g++ libgemmlowp-dev python3-numpy
TEST_TARGETS += test-npycmp test-conformance
LONG_TEST_TARGETS += test-conformance-long

.PHONY: golden-tools golden-cases golden-cases-long test-conformance \
	test-conformance-long conformance test-npycmp

golden-tools: $(GEMM_GOLDEN) $(NPYCMP)

$(GEMM_GOLDEN): tests/golden/gemm_golden.cc
	@mkdir -p $(dir $@)
	$(CXX) $(GOLDEN_CXXFLAGS) -o $@ $< -lpthread

$(NPYCMP): $(GOLDEN_OBJ)/tools/npycmp.o $(GOLDEN_OBJ)/runtime/cli/npy.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^

# $(1): output dir, $(2) gemmlowp gemm count, $(3) numpy conv count,
# $(4) numpy gemm count, $(5) max MACs per case, $(6) seed
define golden_generate
	rm -rf $(1).tmp
	mkdir -p $(1).tmp
	$(GEMM_GOLDEN) gen $(1).tmp/gemm_gemmlowp $(2) $(6) $(5)
	$(PYTHON) $(CONV_GOLDEN) gen-conv $(1).tmp/conv_numpy $(3) $(6) $(5)
	$(PYTHON) $(CONV_GOLDEN) gen-gemm $(1).tmp/gemm_numpy $(4) $(6) $(5)
	$(PYTHON) $(CONV_GOLDEN) gen-edge $(1).tmp/edge_numpy $(6)
	@echo "cross-checking the golden sources against each other:"
	$(PYTHON) $(CONV_GOLDEN) check $(1).tmp/gemm_gemmlowp
	$(GEMM_GOLDEN) check $(1).tmp/gemm_numpy
	$(GEMM_GOLDEN) check $(1).tmp/edge_numpy
	$(GEMM_GOLDEN) check-conv $(1).tmp/conv_numpy
	rm -rf $(1)
	mv $(1).tmp $(1)
	touch $(1)/.stamp
endef

GOLDEN_GEN_DEPS := $(GEMM_GOLDEN) $(CONV_GOLDEN) tests/golden.mk

$(BUILD)/cases/.stamp: $(GOLDEN_GEN_DEPS)
	$(call golden_generate,$(BUILD)/cases,$(CONF_GEMM_CASES),$(CONF_CONV_CASES),$(CONF_NPGEMM_CASES),$(CONF_MAX_MACS),$(CONF_SEED))

$(BUILD)/cases-long/.stamp: $(GOLDEN_GEN_DEPS)
	$(call golden_generate,$(BUILD)/cases-long,$(CONF_LONG_GEMM_CASES),$(CONF_LONG_CONV_CASES),$(CONF_LONG_NPGEMM_CASES),$(CONF_LONG_MAX_MACS),$(CONF_LONG_SEED))

golden-cases: $(BUILD)/cases/.stamp
golden-cases-long: $(BUILD)/cases-long/.stamp

# npycmp must be able to fail: identical files pass, a changed byte, dtype or
# shape fails with 1, garbage gives 2.
test-npycmp: $(NPYCMP)
	@set -e; d=$$(mktemp -d); trap 'rm -rf "$$d"' EXIT; \
	$(PYTHON) -c "import numpy as np, sys; d = sys.argv[1]; \
a = np.arange(-6, 6, dtype=np.int8).reshape(3, 4); np.save(d + '/a.npy', a); \
b = a.copy(); b[2, 1] = 99; np.save(d + '/b.npy', b); \
np.save(d + '/c.npy', a.astype(np.int32)); np.save(d + '/e.npy', a.reshape(4, 3)); \
open(d + '/g.npy', 'wb').write(b'garbage')" "$$d"; \
	$(NPYCMP) $$d/a.npy $$d/a.npy; \
	out=$$($(NPYCMP) $$d/a.npy $$d/b.npy) && exit 1 || test $$? -eq 1; \
	echo "$$out" | grep -q 'first mismatch at \[2, 1\]: expected 3, actual 99; 1 of 12'; \
	$(NPYCMP) $$d/a.npy $$d/c.npy >/dev/null && exit 1 || test $$? -eq 1; \
	$(NPYCMP) $$d/a.npy $$d/e.npy >/dev/null && exit 1 || test $$? -eq 1; \
	$(NPYCMP) $$d/a.npy $$d/g.npy 2>/dev/null && exit 1 || test $$? -eq 2; \
	$(NPYCMP) $$d/a.npy $$d/missing.npy 2>/dev/null && exit 1 || test $$? -eq 2; \
	echo "test-npycmp: ok"

# Shell snippet setting $$lim for backend $$b from CONF_$(1)LIMIT_<backend>.
CONF_LIMIT_CASE = case $$b in $(foreach b,$(CONF_BACKENDS_KNOWN),$(b)$(rparen) lim=$(CONF_$(1)LIMIT_$(b));;) esac;
rparen := )

# Backends: $(CONF_BACKENDS), else the names `qaccel info --list` prints (one
# per line), else ref.
CONF_BACKEND_LIST = backends="$(CONF_BACKENDS)"; \
	if [ -z "$$backends" ]; then \
		backends=$$($(GOLDEN_QACCEL) info --list 2>/dev/null | grep -E '^[a-z][a-z0-9_]*$$' || true); \
	fi; \
	[ -n "$$backends" ] || backends=ref;

# $(1): cases dir; $(2): limit set ("" for make test, LONG_ for test-long)
define conf_run_all
	@set -e; $(CONF_BACKEND_LIST) rc=0; \
	for b in $$backends; do \
		if ! why=$$($(GOLDEN_QACCEL) info --device $$b 2>&1 >/dev/null); then \
			case " $(CONF_REQUIRE) " in \
			*" $$b "*) echo "== conformance on $$b: FAILED, cannot open: $$why"; rc=1;; \
			*) echo "== conformance on $$b: skipped, cannot open here: $$why";; \
			esac; \
			continue; \
		fi; \
		lim=0; $(call CONF_LIMIT_CASE,$(2)) \
		echo "== conformance on $$b ($(1), limit $$lim per suite)"; \
		$(CONF_RUN) $(BUILD) $$b $(1) --limit $$lim || rc=1; \
	done; exit $$rc
endef

test-conformance: $(BUILD)/cases/.stamp $(NPYCMP) $(GOLDEN_QACCEL)
	$(call conf_run_all,$(BUILD)/cases,)

test-conformance-long: $(BUILD)/cases-long/.stamp $(NPYCMP) $(GOLDEN_QACCEL)
	$(call conf_run_all,$(BUILD)/cases-long,LONG_)

# One backend by hand: make conformance CONF_DEVICE=sim CONF_LIMIT=10
CONF_DEVICE ?= ref
CONF_LIMIT ?= 0
conformance: $(BUILD)/cases/.stamp $(NPYCMP) $(GOLDEN_QACCEL)
	$(CONF_RUN) $(BUILD) $(CONF_DEVICE) $(BUILD)/cases --limit $(CONF_LIMIT)
