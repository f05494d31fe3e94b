#!/bin/sh
# SPDX-License-Identifier: MIT
#
# tests/conformance/run.sh BUILD_DIR DEVICE CASES_ROOT [--limit N]
#
# Runs every golden case CASES_ROOT/<suite>/<case>/ through
#   BUILD_DIR/bin/qaccel <args> <file options> --out OUT.npy --device DEVICE
# and compares OUT.npy with the case's expected.npy using BUILD_DIR/bin/npycmp
# (dtype, shape and bytes must be identical). Prints one line per failure,
# one count line per suite, and finally exactly "N passed, M failed".
# Exit status is non-zero if any case failed or if no case ran.
#
# --limit N runs only the first N cases of each suite (for slow backends).
# QACCEL_CASE_TIMEOUT (seconds, default 600) bounds each qaccel run.
set -u

usage() {
	echo "usage: $0 BUILD_DIR DEVICE CASES_ROOT [--limit N]" >&2
	exit 2
}

[ $# -ge 3 ] || usage
build=$1
device=$2
root=$3
shift 3
limit=0
while [ $# -gt 0 ]; do
	case $1 in
	--limit)
		[ $# -ge 2 ] || usage
		limit=$2
		shift 2
		;;
	--limit=*)
		limit=${1#--limit=}
		shift
		;;
	*)
		usage
		;;
	esac
done
case $limit in
'' | *[!0-9]*) echo "$0: --limit wants a non-negative integer, got '$limit'" >&2; exit 2 ;;
esac

qaccel=$build/bin/qaccel
npycmp=$build/bin/npycmp
for tool in "$qaccel" "$npycmp"; do
	if [ ! -x "$tool" ]; then
		echo "$0: $tool not found (build it first)" >&2
		exit 2
	fi
done
if [ ! -d "$root" ]; then
	echo "$0: no cases directory $root" >&2
	exit 2
fi

timeout_s=${QACCEL_CASE_TIMEOUT:-600}
run_timeout=
if command -v timeout >/dev/null 2>&1; then
	run_timeout="timeout $timeout_s"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qaccel_conf.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 141' PIPE

total_pass=0
total_fail=0
summary=

for suite_dir in "$root"/*/; do
	[ -d "$suite_dir" ] || continue
	suite=$(basename "$suite_dir")
	pass=0
	fail=0
	n=0
	for case_dir in "$suite_dir"*/; do
		[ -f "$case_dir/args" ] || continue
		if [ "$limit" -gt 0 ] && [ "$n" -ge "$limit" ]; then
			break
		fi
		n=$((n + 1))
		name=$suite/$(basename "$case_dir")
		d=${case_dir%/}
		args=$(cat "$d/args")
		op=${args%% *}
		case $op in
		gemm)
			files="--a $d/a.npy --b $d/b.npy"
			;;
		conv2d)
			files="--input $d/input.npy --weights $d/weights.npy"
			;;
		*)
			echo "FAIL $name: unknown operation '$op' in args"
			fail=$((fail + 1))
			continue
			;;
		esac
		[ -f "$d/bias.npy" ] && files="$files --bias $d/bias.npy"
		if [ -f "$d/multiplier.npy" ]; then
			files="$files --multiplier $d/multiplier.npy --shift $d/shift.npy"
		fi
		out=$tmp/out.npy
		rm -f "$out"
		# $args and $files are split on blanks on purpose (paths have none).
		# shellcheck disable=SC2086
		$run_timeout "$qaccel" $args $files --out "$out" --device "$device" \
			>"$tmp/stdout" 2>"$tmp/stderr"
		rc=$?
		if [ "$rc" -ne 0 ]; then
			msg=$(head -n 1 "$tmp/stderr")
			[ "$rc" = 124 ] && [ -n "$run_timeout" ] && msg="timed out after ${timeout_s}s"
			echo "FAIL $name: qaccel exited $rc: $msg"
			echo "     $qaccel $args $files --out OUT.npy --device $device"
			fail=$((fail + 1))
			continue
		fi
		if cmp_out=$("$npycmp" "$d/expected.npy" "$out" 2>&1); then
			pass=$((pass + 1))
		else
			echo "FAIL $name: $(echo "$cmp_out" | head -n 1)"
			fail=$((fail + 1))
		fi
	done
	summary="${summary}suite $suite ($device): $pass passed, $fail failed
"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
done

printf '%s' "$summary"
echo "$total_pass passed, $total_fail failed"
if [ $((total_pass + total_fail)) -eq 0 ]; then
	echo "$0: no cases ran from $root" >&2
	exit 1
fi
[ "$total_fail" -eq 0 ]
