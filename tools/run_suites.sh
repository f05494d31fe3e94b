#!/usr/bin/env bash
# Runs each test suite (a make target, with its variables) even when an
# earlier one failed, then prints one line per suite and the totals.
# Usage: run_suites.sh MAKE "target [VAR=value ...]" ...
set -u
make_cmd=$1
shift
passed=0 failed=0 report=""
for suite in "$@"; do
	start=$(date +%s)
	# shellcheck disable=SC2086 # a suite is a target plus its variables
	if $make_cmd $suite; then
		passed=$((passed + 1)); verdict=ok
	else
		failed=$((failed + 1)); verdict=FAILED
	fi
	report+=$(printf '  %-6s %4ss  %s' "$verdict" $(( $(date +%s) - start )) "$suite")$'\n'
done
printf '\ntest suites:\n%s' "$report"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
