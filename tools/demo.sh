#!/usr/bin/env bash
# make demo: run a real quantized layer end to end on the best backend built,
# check it against the CPU reference, and show the result.
set -euo pipefail
BUILD=${1:-build}
Q="$BUILD/bin/qaccel"
PY=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Best backend that can run here: the RTL model when built, else HLS C-sim, else ref.
backends=$("$Q" info --list)
device=ref
for b in hls sim; do
	if grep -qx "$b" <<<"$backends"; then device=$b; fi
done

echo "== qaccel demo: ResNet-50 layer2.0.conv2 (3x3, 56x56x64 -> 64, int8, per-channel) on '$device'"
"$PY" - "$work" <<'PYEOF'
import sys, numpy as np
d = sys.argv[1]
rng = np.random.default_rng(2026)
x = rng.integers(-128, 128, size=(1, 56, 56, 64), dtype=np.int8)
w = rng.integers(-127, 128, size=(64, 3, 3, 64), dtype=np.int8)
b = rng.integers(-2000, 2000, size=(64,), dtype=np.int32)
# Per-channel effective scales in_scale*w_scale/out_scale, as a converter would produce.
s = (rng.uniform(0.5, 2.0, size=(64,)) * 2.0 ** -11).astype(np.float32)
np.save(f"{d}/x.npy", x); np.save(f"{d}/w.npy", w); np.save(f"{d}/b.npy", b); np.save(f"{d}/s.npy", s)
PYEOF

run() {
	"$Q" conv2d --input "$work/x.npy" --weights "$work/w.npy" --bias "$work/b.npy" \
		--input-zp -3 --weights-zp 0 --out-zp 5 --scale "$work/s.npy" \
		--act-min -128 --act-max 127 --stride 1,1 --pad 1,1,1,1 --dilation 1,1 --groups 1 \
		--out "$work/$1.npy" --device "$1" --stats
}
run "$device"
[ "$device" = ref ] || run ref
"$BUILD/bin/npycmp" "$work/ref.npy" "$work/$device.npy" 2>/dev/null \
	|| cmp <(tail -c 200704 "$work/ref.npy") <(tail -c 200704 "$work/$device.npy")
echo "== output: $device matches the CPU reference bit for bit"
"$PY" - "$work/$device.npy" <<'PYEOF'
import sys, numpy as np
y = np.load(sys.argv[1])
print(f"output {y.shape} {y.dtype}: min {y.min()} max {y.max()} mean {y.mean():.2f}")
print("y[0, 0, 0, :16] =", y[0, 0, 0, :16].tolist())
hist, edges = np.histogram(y, bins=8, range=(-128, 128))
for h, e in zip(hist, edges):
    print(f"  [{int(e):4d}, {int(e) + 32:4d}) {'#' * int(60 * h / hist.max())}")
PYEOF
