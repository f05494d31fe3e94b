# Benchmarks: `make bench` (never part of `make test`). Results: bench/results/*.json
BENCH_RESULTS := bench/results

$(BUILD)/bench/ref_vs_gemmlowp: bench/ref_vs_gemmlowp.cc $(LIB_A)
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O3 -march=native -Iinclude -Wall -Wextra -Werror \
		-Wno-unused-parameter -o $@ $< $(LIB_A) $(LIB_LDLIBS)

.PHONY: bench-ref
bench-ref: $(BUILD)/bench/ref_vs_gemmlowp $(QACCEL)
	@mkdir -p $(BENCH_RESULTS)
	$(BUILD)/bench/ref_vs_gemmlowp $(BENCH_RESULTS)/ref_vs_gemmlowp.json
	$(QACCEL) bench --device ref --json $(BENCH_RESULTS)/ref_bench.json
BENCH_TARGETS += bench-ref
