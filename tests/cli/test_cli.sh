#!/usr/bin/env bash
# The qaccel CLI on good and bad input: every failure must exit non-zero
# (never by a signal), name the offending argument or file on stderr, and
# write no output file.
set -uo pipefail
Q=$(realpath "${1:?path to qaccel}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$(dirname "$0")/make_fixtures.py" "$work" || exit 1
cd "$work"
pass=0 fail=0

# expect_fail "description" "stderr regex" args...
expect_fail() {
	local what=$1 pattern=$2
	shift 2
	rm -f out.npy
	"$Q" "$@" >stdout.txt 2>stderr.txt
	local rc=$?
	if [ $rc -eq 0 ] || [ $rc -ge 128 ]; then
		echo "FAIL: $what: exit $rc"; fail=$((fail + 1)); return
	fi
	if ! grep -Eq -- "$pattern" stderr.txt; then
		echo "FAIL: $what: stderr lacks /$pattern/:"; sed 's/^/    /' stderr.txt; fail=$((fail + 1)); return
	fi
	if [ -e out.npy ]; then
		echo "FAIL: $what: wrote out.npy anyway"; fail=$((fail + 1)); return
	fi
	pass=$((pass + 1))
}

expect_ok() {
	local what=$1
	shift
	"$Q" "$@" >stdout.txt 2>stderr.txt
	local rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: $what: exit $rc"; sed 's/^/    /' stderr.txt; fail=$((fail + 1)); return 1
	fi
	pass=$((pass + 1))
}

G="gemm --a a.npy --b b.npy --a-zp 1 --b-zp 0 --out-zp 2"
G0="gemm --a a.npy --b b.npy --a-zp 1 --b-zp 0 --out-zp 0"
GM="--multiplier mult.npy --shift shift.npy"
C="conv2d --input x.npy --input-zp 0 --weights-zp 0 --out-zp 0 --multiplier mult4.npy --shift shift4.npy"

expect_fail "no arguments" "usage"
expect_fail "unknown command" "unknown command 'frobnicate'" frobnicate
expect_fail "unknown option" "unknown option '--bogus'" $G $GM --out out.npy --bogus 1
expect_fail "repeated option" "given twice" $G $GM --out out.npy --a a.npy
expect_fail "option without value" "needs a value" $G $GM --out
expect_fail "missing --out" "missing required option --out" $G $GM
expect_fail "missing --a" "missing required option --a" gemm --b b.npy --a-zp 0 --b-zp 0 --out-zp 0 $GM --out out.npy
expect_fail "missing requant" "--multiplier and --shift, or --scale" $G --out out.npy
expect_fail "both requant forms" "not both" $G $GM --scale 0.1 --out out.npy
expect_fail "nonexistent file" "nope.npy" gemm --a nope.npy --b b.npy --a-zp 0 --b-zp 0 --out-zp 0 $GM --out out.npy
expect_fail "garbage npy" "garbage.npy" gemm --a garbage.npy --b b.npy --a-zp 0 --b-zp 0 --out-zp 0 $GM --out out.npy
expect_fail "empty npy" "empty.npy" gemm --a empty.npy --b b.npy --a-zp 0 --b-zp 0 --out-zp 0 $GM --out out.npy
expect_fail "truncated npy" "truncated.npy.*(truncat|short|bytes)" gemm --a truncated.npy --b b.npy --a-zp 0 --b-zp 0 --out-zp 0 $GM --out out.npy
expect_fail "fortran order" "fortran.npy.*[Ff]ortran" gemm --a fortran.npy --b b.npy --a-zp 0 --b-zp 0 --out-zp 0 $GM --out out.npy
expect_fail "shape product overflow" "overflow.npy.*(overflow|too large)" gemm --a overflow.npy --b b.npy --a-zp 0 --b-zp 0 --out-zp 0 $GM --out out.npy
expect_fail "3-D A" "--a must be \(M,K\)" gemm --a a3d.npy --b b.npy --a-zp 0 --b-zp 0 --out-zp 0 $GM --out out.npy
expect_fail "float A" "--a: dtype <f4" gemm --a a_f32.npy --b b.npy --a-zp 0 --b-zp 0 --out-zp 0 $GM --out out.npy
expect_fail "K mismatch" "shape mismatch.*K must agree" gemm --a a.npy --b b_k6.npy --a-zp 0 --b-zp 0 --out-zp 0 $GM --out out.npy
expect_fail "zp out of int8 range" "input zero point 300 outside the int8 range" gemm --a a.npy --b b.npy --a-zp 300 --b-zp 0 --out-zp 0 $GM --out out.npy
expect_fail "negative zp for uint8" "input zero point -1 outside the uint8 range" gemm --a a_u8.npy --b b.npy --a-zp -1 --b-zp 0 --out-zp 0 $GM --out out.npy
expect_fail "zp not a number" "--a-zp 'abc' is not a 32-bit integer" gemm --a a.npy --b b.npy --a-zp abc --b-zp 0 --out-zp 0 $GM --out out.npy
expect_fail "zp beyond int32" "--b-zp '99999999999' is not a 32-bit integer" gemm --a a.npy --b b.npy --a-zp 0 --b-zp 99999999999 --out-zp 0 $GM --out out.npy
expect_fail "bias wrong length" "--bias: expected shape \(3,\)" $G $GM --bias bias4.npy --out out.npy
expect_fail "multiplier out of range" "channel 1 has multiplier 5" $G --multiplier mult_bad.npy --shift shift.npy --out out.npy
expect_fail "shift out of range" "shift 31" $G --multiplier mult.npy --shift shift_bad.npy --out out.npy
expect_fail "negative scale" "--scale '-0.5'" $G --scale -0.5 --out out.npy
expect_fail "nan scale" "--scale 'nan'" $G --scale nan --out out.npy
expect_fail "scale file not float32" "--scale: scale_f64.npy: unsupported dtype '<f8'" $G --scale scale_f64.npy --out out.npy
expect_fail "negative per-channel scale" "channel 1 has scale" $G --scale scale_neg.npy --out out.npy
expect_fail "bad out type" "--out-type 'int4'" $G $GM --out-type int4 --out out.npy
expect_fail "act range inverted" "act_min 10 is greater than act_max 5" $G $GM --act-min 10 --act-max 5 --out out.npy
expect_fail "act outside type" "act_max 300 outside the int8 range" $G $GM --act-max 300 --out out.npy
expect_fail "int32 with output zp" "--out-zp must be 0" $G --out-type int32 --out out.npy
expect_fail "int32 with requant" "do not apply to --out-type int32" $G0 $GM --out-type int32 --out out.npy
expect_fail "unknown device" "cannot open device 'nonesuch'" $G $GM --out out.npy --device nonesuch
expect_fail "unwritable output" "--out: .*nodir/y.npy" $G $GM --out nodir/y.npy
expect_fail "conv zero stride" "--stride and --dilation values must be >= 1" $C --weights w.npy --stride 0,1 --out out.npy
expect_fail "conv stride arity" "--stride '2' must be 2 comma-separated" $C --weights w.npy --stride 2 --out out.npy
expect_fail "conv pad arity" "--pad '1,2,3' must be 4 comma-separated" $C --weights w.npy --pad 1,2,3 --out out.npy
expect_fail "conv negative pad" "--pad '1,-1,0,0'" $C --weights w.npy --pad 1,-1,0,0 --out out.npy
expect_fail "conv groups do not divide" "--groups 3 must divide" $C --weights w.npy --groups 3 --out out.npy
expect_fail "conv weights Cin mismatch" "shape mismatch: --weights has 1 input channels per group" $C --weights w_dw.npy --out out.npy
expect_fail "conv kernel too large" "9x9 kernel .* does not fit" $C --weights w_big.npy --out out.npy
expect_fail "conv groups zero" "--groups 0 must be >= 1" $C --weights w.npy --groups 0 --out out.npy
expect_fail "conv input not 4-D" "--input must be \(N,H,W,Cin\)" conv2d --input a.npy --weights w.npy --input-zp 0 --weights-zp 0 --out-zp 0 $GM --out out.npy
expect_fail "selftest bad count" "--cases 0 must be" selftest --cases 0
expect_fail "info on unknown device" "cannot open device" info --device nonesuch

# Good input: --scale F equals the multiplier/shift it converts to (2^-7 = 2^30 * 2^(-6-31+... )).
expect_ok "gemm with mult/shift" $G $GM --out ms.npy
expect_ok "gemm with --scale 2^-7" $G --scale 0.0078125 --out sc.npy
expect_ok "gemm with per-channel --scale" $G --scale scale.npy --out scv.npy
if cmp -s ms.npy sc.npy && cmp -s ms.npy scv.npy; then pass=$((pass + 1)); else echo "FAIL: --scale differs from --multiplier/--shift"; fail=$((fail + 1)); fi
expect_ok "gemm --stats" $G $GM --out st.npy --stats
if grep -Eq '^stats: device=ref cycles=[0-9]+ macs=105 utilization=[0-9.]+$' stderr.txt; then
	pass=$((pass + 1)); else echo "FAIL: --stats line: $(cat stderr.txt)"; fail=$((fail + 1)); fi
expect_ok "conv defaults" $C --weights w.npy --out cv.npy
expect_ok "depthwise conv, multiplier 2" conv2d --input x.npy --weights w_dw.npy --input-zp 0 --weights-zp 0 --out-zp 0 --multiplier mult8.npy --shift shift8.npy --groups 4 --pad 1,1,1,1 --out dw.npy
expect_ok "int32 output" $G0 --out-type int32 --out i32.npy
expect_ok "info" info
expect_ok "info --list" info --list
grep -qx ref stdout.txt && pass=$((pass + 1)) || { echo "FAIL: info --list lacks ref"; fail=$((fail + 1)); }
/usr/bin/python3 - <<'PY' && pass=$((pass + 1)) || { echo "FAIL: output shapes/dtypes"; fail=$((fail + 1)); }
import numpy as np
assert np.load("ms.npy").shape == (5, 3) and np.load("ms.npy").dtype == np.int8
assert np.load("cv.npy").shape == (1, 4, 4, 4)
assert np.load("dw.npy").shape == (1, 6, 6, 8)
assert np.load("i32.npy").dtype == np.int32
a = np.load("a.npy").astype(np.int64) - 1; b = np.load("b.npy").astype(np.int64)
assert (np.load("i32.npy") == a @ b).all()
PY

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
