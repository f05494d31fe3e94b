#!/bin/sh
# Runs each libFuzzer target for SECONDS, seeded with the valid inputs and
# any corpus kept from earlier runs; prints the exec counts.
# Usage: tests/fuzz/run.sh FUZZ_DIR SECONDS XCLBIN BOARD_OUT
set -eu
dir=$1 secs=$2 xclbin=$3 boards=$4
mkdir -p "$dir/corpus-xclbin" "$dir/corpus-dt"
cp "$xclbin" "$dir/corpus-xclbin/seed-default.xclbin"
for f in "$boards"/base/*.dtb "$boards"/applied/*.dtb; do
	[ -e "$f" ] && cp "$f" "$dir/corpus-dt/seed-$(basename "$f")"
done
cp tests/fuzz/regress/dt-* "$dir/corpus-dt/" 2>/dev/null || true
cp tests/fuzz/regress/xclbin-* "$dir/corpus-xclbin/" 2>/dev/null || true
fail=0
for t in xclbin dt; do
	log=$dir/fuzz-$t.log
	if nice -n 10 "$dir/fuzz_$t" -max_total_time="$secs" -max_len=65536 -timeout=10 \
		-artifact_prefix="$dir/crash-$t-" \
		-rss_limit_mb=1024 -print_final_stats=1 "$dir/corpus-$t" > "$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "fuzz_$t: ok, $execs executions in ${secs}s, corpus $(ls "$dir/corpus-$t" | wc -l) files"
	else
		echo "fuzz_$t: FAILED (see $log)"; tail -30 "$log"; fail=1
	fi
done
exit $fail
