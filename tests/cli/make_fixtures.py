#!/usr/bin/python3
"""Writes the .npy fixtures the CLI tests use (valid and malformed) into argv[1]."""
import sys, os
import numpy as np

d = sys.argv[1]
os.makedirs(d, exist_ok=True)
rng = np.random.default_rng(7)
S = lambda name, arr: np.save(os.path.join(d, name), arr)

S("a.npy", rng.integers(-128, 128, (5, 7), dtype=np.int8))
S("a_u8.npy", rng.integers(0, 256, (5, 7), dtype=np.uint8))
S("b.npy", rng.integers(-128, 128, (7, 3), dtype=np.int8))
S("b_k6.npy", rng.integers(-128, 128, (6, 3), dtype=np.int8))
S("a3d.npy", rng.integers(-128, 128, (2, 5, 7), dtype=np.int8))
S("a_f32.npy", rng.random((5, 7), dtype=np.float32))
S("bias.npy", rng.integers(-500, 500, (3,), dtype=np.int32))
S("bias4.npy", rng.integers(-500, 500, (4,), dtype=np.int32))
S("mult.npy", np.full((3,), 1 << 30, dtype=np.int32))
S("mult_bad.npy", np.array([1 << 30, 5, 1 << 30], dtype=np.int32))
S("shift.npy", np.full((3,), -6, dtype=np.int32))
S("shift_bad.npy", np.array([0, 31, 0], dtype=np.int32))
S("scale.npy", np.full((3,), 2.0 ** -7, dtype=np.float32))
S("scale_f64.npy", np.full((3,), 2.0 ** -7, dtype=np.float64))
S("scale_neg.npy", np.array([0.1, -0.1, 0.1], dtype=np.float32))
S("x.npy", rng.integers(-128, 128, (1, 6, 6, 4), dtype=np.int8))
S("w.npy", rng.integers(-128, 128, (4, 3, 3, 4), dtype=np.int8))
S("w_dw.npy", rng.integers(-128, 128, (8, 3, 3, 1), dtype=np.int8))
S("w_big.npy", rng.integers(-128, 128, (4, 9, 9, 4), dtype=np.int8))
S("mult4.npy", np.full((4,), 1 << 30, dtype=np.int32))
S("shift4.npy", np.full((4,), -8, dtype=np.int32))
S("mult8.npy", np.full((8,), 1 << 30, dtype=np.int32))
S("shift8.npy", np.full((8,), -8, dtype=np.int32))
np.save(os.path.join(d, "fortran.npy"), np.asfortranarray(rng.integers(-128, 128, (5, 7), dtype=np.int8)))
raw = open(os.path.join(d, "a.npy"), "rb").read()
open(os.path.join(d, "truncated.npy"), "wb").write(raw[:-3])
open(os.path.join(d, "garbage.npy"), "wb").write(b"this is not an npy file at all\n")
open(os.path.join(d, "empty.npy"), "wb").write(b"")
hdr = b"{'descr': '|i1', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }"
hdr += b" " * (64 - (10 + len(hdr) + 1) % 64) + b"\n"
open(os.path.join(d, "overflow.npy"), "wb").write(b"\x93NUMPY\x01\x00" + len(hdr).to_bytes(2, "little") + hdr)
