#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Regenerates the numpy-written .npy fixtures used by tests/unit/test_npy.c.

Run from anywhere: /usr/bin/python3 tests/golden/npy/make_fixtures.py
Element i (flat C-order index) of every fixture is a fixed formula of i, which
test_npy.c recomputes (see fixture_value() there):
  i1: ((i*37 + 5) % 256) - 128     u1: (i*37 + 5) % 256
  i4: i*100003 - 5000000           f4: i*0.5 - 3.0
"""
import os
import numpy as np
from numpy.lib import format as npf

HERE = os.path.dirname(os.path.abspath(__file__))


def values(dt, shape):
    n = int(np.prod(shape, dtype=np.int64))
    i = np.arange(n, dtype=np.int64)
    if dt == 'i1':
        v = ((i * 37 + 5) % 256 - 128).astype(np.int8)
    elif dt == 'u1':
        v = ((i * 37 + 5) % 256).astype(np.uint8)
    elif dt == 'i4':
        v = (i * 100003 - 5000000).astype(np.int32)
    else:
        v = (i * 0.5 - 3.0).astype(np.float32)
    return v.reshape(shape)


FIXTURES = [
    # name, dtype, shape, version (None = what np.save picks)
    ('i1_r2', 'i1', (3, 5), None),
    ('u1_r1', 'u1', (7,), None),
    ('i4_r3', 'i4', (2, 3, 4), None),
    ('f4_r0', 'f4', (), None),
    ('u1_r8', 'u1', (1, 2, 1, 3, 1, 2, 1, 2), None),
    ('i4_empty', 'i4', (0, 4), None),
    ('f4_r2', 'f4', (4, 3), None),
    ('i1_v2', 'i1', (4, 4), (2, 0)),
    ('f4_v3', 'f4', (5,), (3, 0)),
    ('i4_v2', 'i4', (2, 2), (2, 0)),
]


def main():
    for name, dt, shape, version in FIXTURES:
        arr = values(dt, shape)
        path = os.path.join(HERE, name + '.npy')
        if version is None:
            np.save(path, arr)
        else:
            with open(path, 'wb') as f:
                npf.write_array(f, arr, version=version)


if __name__ == '__main__':
    main()
