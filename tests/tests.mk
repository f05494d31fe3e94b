# C unit tests (cmocka). Each tests/unit/test_*.c is one binary linked
# against the static library; `make test-c` runs them all (make test runs
# them twice: plain and under ASan+UBSan via BUILD=build/asan SANITIZE=1).

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
TEST_SUPPORT_SRCS := $(filter-out runtime/cli/main.c,$(CLI_SRCS))
TEST_SUPPORT_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(TEST_SUPPORT_SRCS))

$(BUILD)/tests/%: tests/unit/%.c $(LIB_A) $(TEST_SUPPORT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(LIB_CPPFLAGS) -Iruntime/cli $(CFLAGS_ALL) -Wno-missing-prototypes \
		-o $@ $< $(TEST_SUPPORT_OBJS) $(LIB_A) -lcmocka $(LIB_LDLIBS) $(LDFLAGS_ALL)

# The executor once more without the AVX2 micro-kernel: the portable path is
# what the kernel driver's emulated device and non-x86 hosts run.
EXEC_GENERIC_SRCS := tests/unit/test_exec.c runtime/exec/qa_exec.c runtime/exec/qa_desc.c \
	runtime/cli/naive_ref.c
$(BUILD)/tests/test_exec_generic: $(EXEC_GENERIC_SRCS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) -Iruntime/cli -DQA_EXEC_NO_SIMD $(CFLAGS_ALL) -Wno-missing-prototypes \
		-o $@ $(EXEC_GENERIC_SRCS) -lcmocka $(LDFLAGS_ALL)
UNIT_BINS += $(BUILD)/tests/test_exec_generic

.PHONY: test-c test-install
# Unit tests and the CLI's good/bad-input checks; `make test` runs this under ASan+UBSan too.
test-c: $(UNIT_BINS) $(QACCEL)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done
	tests/cli/test_cli.sh $(QACCEL)
	$(QACCEL) selftest --cases 300

# make install into a scratch prefix; a program outside the tree builds with pkg-config.
test-install: lib cli
	tests/install/test_install.sh $(BUILD)
TEST_TARGETS += test-install


# Static analysis of the C runtime (cppcheck: warnings and portability are errors).
.PHONY: lint-c
lint-c:
	cppcheck -q --std=c11 --enable=warning,portability --error-exitcode=1 --inline-suppr \
		-Iinclude -Iruntime --suppress=missingIncludeSystem -DQA_HAVE_DT \
		runtime/*.c runtime/exec/*.c runtime/cli/*.c
LINT_TARGETS += lint-c
DEPS_PKGS += cppcheck
