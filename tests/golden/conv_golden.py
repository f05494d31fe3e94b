#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Independent NumPy golden generator for qaccel CONV2D (and GEMM) cases.

Nothing here comes from libqaccel: the requantization is written directly
from the gemmlowp / TFLite reference definitions in int64 NumPy arithmetic,
and the convolution is a direct sum over kernel taps of strided slices of the
zero-point-padded input.

  conv_golden.py gen-conv SUITE_DIR COUNT SEED [MAX_MACS]
  conv_golden.py gen-gemm SUITE_DIR COUNT SEED [MAX_MACS]
  conv_golden.py gen-edge SUITE_DIR SEED   requantization corner cases (GEMM)
  conv_golden.py check SUITE_DIR      recompute expected.npy of every case
                                      (gemm and conv2d) with NumPy; exit 1
                                      on any difference

Case directory format: see tests/golden/README.md.
"""
import os
import sys

import numpy as np

INT32_MIN = -(1 << 31)
INT32_MAX = (1 << 31) - 1
TYPES = {
    'int8': (np.int8, -128, 127),
    'uint8': (np.uint8, 0, 255),
    'int32': (np.int32, INT32_MIN, INT32_MAX),
}
DTYPE_NAME = {np.dtype(np.int8): 'int8', np.dtype(np.uint8): 'uint8',
              np.dtype(np.int32): 'int32'}


# ---- requantization (gemmlowp fixedpoint.h / TFLite reference) -------------

def to_int32_wrap(x):
    """Reduce int64 values modulo 2^32 into the int32 range."""
    x = np.asarray(x, dtype=np.int64) & 0xFFFFFFFF
    return np.where(x >= (1 << 31), x - (1 << 32), x)


def srdhm(a, b):
    """SaturatingRoundingDoublingHighMul(a, b) for int32 a, b (int64 arrays).

    gemmlowp:  overflow = a == b && a == INT32_MIN
               ab_64 = a * b
               nudge = ab_64 >= 0 ? 1 << 30 : 1 - (1 << 30)
               ab_x2_high32 = (ab_64 + nudge) / (1ll << 31)   # C division
               return overflow ? INT32_MAX : ab_x2_high32
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    overflow = (a == b) & (a == INT32_MIN)
    ab = a * b
    nudge = np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    t = ab + nudge
    q = np.where(t >= 0, t // (1 << 31), -((-t) // (1 << 31)))  # truncate
    return np.where(overflow, INT32_MAX, q)


def rounding_divide_by_pot(x, exponent):
    """RoundingDivideByPOT: round-half-away-from-zero division by 2^exponent.

    gemmlowp:  mask = (1 << exponent) - 1
               remainder = x & mask
               threshold = (mask >> 1) + (x < 0 ? 1 : 0)
               return (x >> exponent) + (remainder > threshold ? 1 : 0)
    """
    x = np.asarray(x, dtype=np.int64)
    e = np.asarray(exponent, dtype=np.int64)
    mask = (np.int64(1) << e) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (x < 0).astype(np.int64)
    return (x >> e) + (remainder > threshold).astype(np.int64)


def requantize_scaled(acc, mult, shift):
    """MultiplyByQuantizedMultiplier with per-channel (last axis) mult/shift:
    RoundingDivideByPOT(SRDHM(acc * 2^max(shift,0) mod 2^32, mult), max(-shift,0))."""
    mult = np.asarray(mult, dtype=np.int64)
    shift = np.asarray(shift, dtype=np.int64)
    left = np.maximum(shift, 0)
    right = np.maximum(-shift, 0)
    shifted = to_int32_wrap(np.asarray(acc, dtype=np.int64) << left)
    return rounding_divide_by_pot(srdhm(shifted, mult), right)


def output_stage(acc, q):
    """acc (int64, channels last) -> expected array of the output type."""
    if q['out_type'] == 'int32':
        assert acc.min(initial=0) >= INT32_MIN and acc.max(initial=0) <= INT32_MAX
        return acc.astype(np.int32)
    scaled = requantize_scaled(acc, q['mult'], q['shift'])
    y = scaled + q['out_zp']
    # The generators never produce a case where this leaves int32.
    assert y.min(initial=0) >= INT32_MIN and y.max(initial=0) <= INT32_MAX
    y = np.clip(y, q['act_min'], q['act_max'])
    dt, lo, hi = TYPES[q['out_type']]
    return np.clip(y, lo, hi).astype(dt)


# ---- layers ----------------------------------------------------------------

def gemm_acc(a, b, a_zp, b_zp, bias):
    acc = (a.astype(np.int64) - a_zp) @ (b.astype(np.int64) - b_zp)
    if bias is not None:
        acc = acc + bias.astype(np.int64)
    return acc


def conv_out_size(size, pad0, pad1, k, stride, dil):
    return (size + pad0 + pad1 - dil * (k - 1) - 1) // stride + 1


def conv2d_acc(x, w, x_zp, w_zp, bias, stride, pad, dil, groups):
    """x (N,H,W,Cin), w (Cout,KH,KW,Cin/G) -> int64 acc (N,OH,OW,Cout)."""
    n, h, wd, cin = x.shape
    cout, kh, kw, cg = w.shape
    sh, sw = stride
    pt, pl, pb, pr = pad
    dh, dw = dil
    assert cin == cg * groups and cout % groups == 0
    og = cout // groups
    oh = conv_out_size(h, pt, pb, kh, sh, dh)
    ow = conv_out_size(wd, pl, pr, kw, sw, dw)
    assert oh >= 1 and ow >= 1
    # Pad with the input zero point, then subtract it: padding contributes 0.
    xp = np.full((n, h + pt + pb, wd + pl + pr, cin), x_zp, dtype=np.int64)
    xp[:, pt:pt + h, pl:pl + wd, :] = x
    xp -= x_zp
    xp = xp.reshape(n, h + pt + pb, wd + pl + pr, groups, cg)
    wg = (w.astype(np.int64) - w_zp).reshape(groups, og, kh, kw, cg)
    acc = np.zeros((n, oh, ow, groups, og), dtype=np.int64)
    for ky in range(kh):
        for kx in range(kw):
            y0, x0 = ky * dh, kx * dw
            tap = xp[:, y0:y0 + (oh - 1) * sh + 1:sh, x0:x0 + (ow - 1) * sw + 1:sw]
            acc += np.einsum('nhwgc,goc->nhwgo', tap, wg[:, :, ky, kx, :])
    acc = acc.reshape(n, oh, ow, cout)
    if bias is not None:
        acc = acc + bias.astype(np.int64)
    return acc


# ---- random cases ------------------------------------------------------------

def pick_zp(rng, t):
    _, lo, hi = TYPES[t]
    c = rng.integers(0, 10)
    if c == 0:
        return 0
    if c == 1:
        return lo
    if c == 2:
        return hi
    if c <= 4:
        return int(rng.integers(-8, 9)) + (128 if t == 'uint8' else 0)
    return int(rng.integers(lo, hi + 1))


def random_values(rng, shape, t, zp):
    dt, lo, hi = TYPES[t]
    mode = rng.integers(0, 30)
    if mode == 0:
        v = np.full(shape, zp)
    elif mode <= 2:
        v = np.where(rng.integers(0, 2, size=shape) == 1, hi, lo)
    elif mode <= 4:
        v = np.clip(zp + rng.integers(-3, 4, size=shape), lo, hi)
    else:
        v = rng.integers(lo, hi + 1, size=shape)
    return v.astype(dt)


def scale_to_fixed(s):
    """Positive real -> (mult in [2^30, 2^31), shift), as TFLite QuantizeMultiplier."""
    q, e = np.frexp(s)
    m = int(round(q * (1 << 31)))
    if m == (1 << 31):
        m //= 2
        e += 1
    if e > 30:
        e, m = 30, INT32_MAX
    if e < -31:
        e, m = -31, 1 << 30
    return m, int(e)


def channel_params(rng, typical, extreme):
    if extreme:
        c = rng.integers(0, 6)
        m = [1 << 30, INT32_MAX, 0][c] if c < 3 else int(rng.integers(1 << 30, 1 << 31))
        c = rng.integers(0, 8)
        s = [-31, 30, 0, -1, 1][c] if c < 5 else int(rng.integers(-31, 31))
        return m, s
    typical = max(int(typical), 1)
    return scale_to_fixed(128.0 / typical * 2.0 ** (rng.random() * 4.0 - 2.0))


def random_quant(rng, acc, in_type):
    """Output type, zero point, act range and per-channel mult/shift for acc."""
    oc = rng.integers(0, 10)
    out_type = 'int8' if oc < 4 else 'uint8' if oc < 8 else 'int32'
    q = {'out_type': out_type, 'out_zp': 0, 'act_min': 0, 'act_max': 0}
    if out_type == 'int32':
        return q
    _, lo, hi = TYPES[out_type]
    zp = pick_zp(rng, out_type)
    am = rng.integers(0, 10)
    if am < 5:
        amin, amax = lo, hi
    elif am < 7:
        amin, amax = zp, hi
    elif am < 8:
        amin, amax = zp, min(hi, zp + int(rng.integers(1, 121)))
    else:
        x, y = int(rng.integers(lo, hi + 1)), int(rng.integers(lo, hi + 1))
        amin, amax = min(x, y), max(x, y)
    if amin >= amax:
        amin, amax = lo, hi
    q.update(out_zp=zp, act_min=amin, act_max=amax)
    nch = acc.shape[-1]
    flat = acc.reshape(-1, nch).astype(np.float64)
    typical = 2.5 * np.sqrt((flat ** 2).mean(axis=0)) if flat.shape[0] else np.ones(nch)
    extreme = rng.random() < 0.15
    per_tensor = rng.random() < 0.2
    mult = np.zeros(nch, dtype=np.int64)
    shift = np.zeros(nch, dtype=np.int64)
    for j in range(nch):
        if per_tensor and j > 0:
            mult[j], shift[j] = mult[0], shift[0]
        else:
            mult[j], shift[j] = channel_params(rng, typical[j], extreme and rng.random() < 0.6)
    # Never emit a case where scaled + out_zp leaves int32 (gemmlowp would
    # wrap there, the qaccel contract would not): redraw those channels.
    for tries in range(4):
        y = requantize_scaled(flat.astype(np.int64), mult, shift) + zp
        bad = ((y < INT32_MIN) | (y > INT32_MAX)).any(axis=0)
        if not bad.any():
            break
        for j in np.nonzero(bad)[0]:
            if tries == 0:
                mult[j], shift[j] = channel_params(rng, typical[j], False)
            else:
                shift[j] = -31
    else:
        raise RuntimeError('could not avoid int32 overflow of scaled + out_zp')
    q['mult'] = mult.astype(np.int32)
    q['shift'] = shift.astype(np.int32)
    return q


def random_bias(rng, n):
    if rng.random() >= 0.7:
        return None
    mag = 1 << int(rng.integers(0, 21))
    return rng.integers(-mag, mag + 1, size=n).astype(np.int32)


def pick_dim(rng, choices):
    return int(choices[rng.integers(0, len(choices))])


def quant_args(q, in_type=None, rng=None):
    """The args for q; with rng, sometimes leave the act range (when full) and
    the out type (when it is the input's) to the CLI's defaults."""
    if q['out_type'] == 'int32':
        return '--out-zp 0 --out-type int32'
    _, lo, hi = TYPES[q['out_type']]
    s = '--out-zp %d' % q['out_zp']
    if not (rng is not None and q['act_min'] == lo and q['act_max'] == hi
            and rng.random() < 0.4):
        s += ' --act-min %d --act-max %d' % (q['act_min'], q['act_max'])
    if not (rng is not None and q['out_type'] == in_type and rng.random() < 0.3):
        s += ' --out-type %s' % q['out_type']
    return s


def write_case(d, args, arrays, bias, q, expected):
    os.makedirs(d, exist_ok=True)
    for name, arr in arrays.items():
        np.save(os.path.join(d, name + '.npy'), arr)
    if bias is not None:
        np.save(os.path.join(d, 'bias.npy'), bias)
    if q['out_type'] != 'int32':
        np.save(os.path.join(d, 'multiplier.npy'), q['mult'])
        np.save(os.path.join(d, 'shift.npy'), q['shift'])
    np.save(os.path.join(d, 'expected.npy'), expected)
    with open(os.path.join(d, 'args'), 'w') as f:
        f.write(args + '\n')


def gen_conv_case(rng, d, max_macs):
    while True:
        n = pick_dim(rng, [1, 1, 1, 2, 3])
        h = pick_dim(rng, [1, 2, 3, 4, 5, 7, 8, 9, 11, 14, 16, 17, 23, 32])
        w = pick_dim(rng, [1, 2, 3, 4, 5, 7, 8, 9, 11, 14, 16, 17, 23, 32])
        mode = rng.integers(0, 4)
        if mode <= 1:                       # ordinary
            groups = 1
            cin = pick_dim(rng, [1, 2, 3, 4, 8, 13, 16, 17, 32, 64])
            cout = pick_dim(rng, [1, 2, 3, 5, 8, 16, 17, 32, 33, 64])
        elif mode == 2:                     # depthwise, channel multiplier >= 1
            cin = pick_dim(rng, [1, 2, 3, 8, 16, 17, 32])
            groups = cin
            cout = cin * pick_dim(rng, [1, 1, 1, 2, 3])
        else:                               # grouped
            groups = pick_dim(rng, [2, 3, 4, 8])
            cin = groups * pick_dim(rng, [1, 2, 3, 4, 8])
            cout = groups * pick_dim(rng, [1, 2, 3, 4, 8])
        kh = pick_dim(rng, [1, 1, 2, 3, 3, 3, 5, 7])
        kw = pick_dim(rng, [1, 1, 2, 3, 3, 3, 5, 7]) if rng.random() < 0.3 else kh
        sh = pick_dim(rng, [1, 1, 1, 2, 2, 3])
        sw = pick_dim(rng, [1, 1, 1, 2, 2, 3]) if rng.random() < 0.3 else sh
        dh = pick_dim(rng, [1, 1, 1, 1, 2, 3])
        dw = pick_dim(rng, [1, 1, 1, 1, 2, 3]) if rng.random() < 0.3 else dh
        if rng.random() < 0.5:
            pad = [int(p) for p in rng.integers(0, 4, size=4)]
        else:                               # "same"-like
            ph, pw = dh * (kh - 1), dw * (kw - 1)
            pad = [ph // 2, pw // 2, ph - ph // 2, pw - pw // 2]
        oh = conv_out_size(h, pad[0], pad[2], kh, sh, dh)
        ow = conv_out_size(w, pad[1], pad[3], kw, sw, dw)
        if oh < 1 or ow < 1:
            continue
        macs = n * oh * ow * cout * kh * kw * (cin // groups)
        if macs <= max_macs:
            break
    in_t = 'int8' if rng.random() < 0.5 else 'uint8'
    w_t = 'int8' if rng.random() < 0.5 else 'uint8'
    x_zp, w_zp = pick_zp(rng, in_t), pick_zp(rng, w_t)
    x = random_values(rng, (n, h, w, cin), in_t, x_zp)
    wt = random_values(rng, (cout, kh, kw, cin // groups), w_t, w_zp)
    bias = random_bias(rng, cout)
    acc = conv2d_acc(x, wt, x_zp, w_zp, bias, (sh, sw), pad, (dh, dw), groups)
    q = random_quant(rng, acc, in_t)
    expected = output_stage(acc, q)
    args = ('conv2d --input-zp %d --weights-zp %d %s --stride %d,%d --pad %d,%d,%d,%d '
            '--dilation %d,%d --groups %d') % (x_zp, w_zp, quant_args(q, in_t, rng), sh, sw,
                                                *pad, dh, dw, groups)
    write_case(d, args, {'input': x, 'weights': wt}, bias, q, expected)


def gen_gemm_case(rng, d, max_macs):
    dims = [1, 2, 3, 5, 7, 8, 13, 16, 17, 31, 32, 33, 61, 64, 100, 127, 128, 257, 300]
    while True:
        m, k, n = pick_dim(rng, dims), pick_dim(rng, dims), pick_dim(rng, dims)
        if m * k * n <= max_macs:
            break
    a_t = 'int8' if rng.random() < 0.5 else 'uint8'
    b_t = 'int8' if rng.random() < 0.5 else 'uint8'
    a_zp, b_zp = pick_zp(rng, a_t), pick_zp(rng, b_t)
    a = random_values(rng, (m, k), a_t, a_zp)
    b = random_values(rng, (k, n), b_t, b_zp)
    bias = random_bias(rng, n)
    acc = gemm_acc(a, b, a_zp, b_zp, bias)
    q = random_quant(rng, acc, a_t)
    expected = output_stage(acc, q)
    args = 'gemm --a-zp %d --b-zp %d %s' % (a_zp, b_zp, quant_args(q, a_t, rng))
    write_case(d, args, {'a': a, 'b': b}, bias, q, expected)


def gen_edge_cases(suite, seed):
    """Deterministic corner cases of the requantization, one GEMM each.

    A is (256, 1) holding every int8 (or uint8) value once and B is (1, N)
    with B - b_zp = +1 or -1, so column n sees 256 consecutive accumulators
    around bias[n]: every rounding tie of every right shift, SRDHM ties
    (mult = 2^30 halves exactly), accumulators next to INT32_MIN/INT32_MAX,
    and every shift in [-31, 0] ("right") or [1, 30] ("left", where the
    pre-shift wraps modulo 2^32 for large accumulators).
    """
    rng = np.random.Generator(np.random.PCG64([seed, 0xED6E]))
    bases = [0, 1 << 20, -(1 << 20) - 77, INT32_MAX - 200, INT32_MIN + 200, 12345678]
    mults = ['half', 'max', 'random']
    i = 0
    for out_type in ('int8', 'uint8'):
        for base in bases:
            for mm in mults:
                for side in ('right', 'left'):
                    a_t = 'int8' if (i % 2) == 0 else 'uint8'
                    _, alo, ahi = TYPES[a_t]
                    a = np.arange(alo, ahi + 1).reshape(256, 1).astype(TYPES[a_t][0])
                    a_zp = 0 if a_t == 'int8' else 128
                    shifts = np.arange(-31, 1) if side == 'right' else np.arange(1, 31)
                    n = len(shifts)
                    b_zp = int(rng.integers(1, 255))
                    sign = 1 if (i // 2) % 2 == 0 else -1
                    b = np.full((1, n), b_zp + sign, dtype=np.uint8)
                    bias = (base + rng.integers(-3, 4, size=n)).astype(np.int64)
                    bias = np.clip(bias, INT32_MIN + 200, INT32_MAX - 200).astype(np.int32)
                    if mm == 'half':
                        mult = np.full(n, 1 << 30)
                    elif mm == 'max':
                        mult = np.full(n, INT32_MAX)
                    else:
                        mult = rng.integers(1 << 30, 1 << 31, size=n)
                    _, lo, hi = TYPES[out_type]
                    q = {'out_type': out_type, 'out_zp': pick_zp(rng, out_type),
                         'act_min': lo, 'act_max': hi,
                         'mult': mult.astype(np.int32), 'shift': shifts.astype(np.int32)}
                    acc = gemm_acc(a, b, a_zp, b_zp, bias)
                    y = requantize_scaled(acc, q['mult'], q['shift']) + q['out_zp']
                    if y.min() < INT32_MIN or y.max() > INT32_MAX:
                        q['out_zp'] = 0
                    expected = output_stage(acc, q)
                    args = 'gemm --a-zp %d --b-zp %d %s' % (a_zp, b_zp, quant_args(q))
                    write_case(os.path.join(suite, 'e%04d' % i), args, {'a': a, 'b': b},
                               bias, q, expected)
                    i += 1
    # Raw int32 accumulators next to both ends of the int32 range.
    for base in (INT32_MAX - 128 * 255 - 1, INT32_MIN + 128 * 255 + 1):
        a = np.arange(-128, 128).reshape(256, 1).astype(np.int8)
        b = np.array([[0, 255, 1, 254]], dtype=np.uint8)
        bias = np.full(4, base, dtype=np.int32)
        q = {'out_type': 'int32', 'out_zp': 0, 'act_min': 0, 'act_max': 0}
        acc = gemm_acc(a, b, 0, 128, bias)
        write_case(os.path.join(suite, 'e%04d' % i), 'gemm --a-zp 0 --b-zp 128 %s' % quant_args(q),
                   {'a': a, 'b': b}, bias, q, output_stage(acc, q))
        i += 1
    return i


# ---- checking existing cases --------------------------------------------------

def parse_args_file(d):
    with open(os.path.join(d, 'args')) as f:
        toks = f.read().split()
    opts = {}
    for i in range(1, len(toks) - 1, 2):
        opts[toks[i]] = toks[i + 1]
    return toks[0], opts


def load_quant(d, opts, in_dtype):
    out_type = opts.get('--out-type', DTYPE_NAME[in_dtype])
    _, lo, hi = TYPES[out_type]
    q = {'out_type': out_type, 'out_zp': int(opts.get('--out-zp', 0)),
         'act_min': int(opts.get('--act-min', lo)), 'act_max': int(opts.get('--act-max', hi))}
    if out_type != 'int32':
        q['mult'] = np.load(os.path.join(d, 'multiplier.npy'))
        q['shift'] = np.load(os.path.join(d, 'shift.npy'))
    bp = os.path.join(d, 'bias.npy')
    return q, (np.load(bp) if os.path.exists(bp) else None)


def check_case(d):
    op, opts = parse_args_file(d)
    if op == 'gemm':
        a, b = np.load(os.path.join(d, 'a.npy')), np.load(os.path.join(d, 'b.npy'))
        q, bias = load_quant(d, opts, a.dtype)
        acc = gemm_acc(a, b, int(opts['--a-zp']), int(opts['--b-zp']), bias)
    elif op == 'conv2d':
        x, w = np.load(os.path.join(d, 'input.npy')), np.load(os.path.join(d, 'weights.npy'))
        q, bias = load_quant(d, opts, x.dtype)
        pair = lambda s: tuple(int(v) for v in s.split(','))
        acc = conv2d_acc(x, w, int(opts['--input-zp']), int(opts['--weights-zp']), bias,
                         pair(opts.get('--stride', '1,1')), pair(opts.get('--pad', '0,0,0,0')),
                         pair(opts.get('--dilation', '1,1')), int(opts.get('--groups', 1)))
    else:
        return None
    got = output_stage(acc, q)
    exp = np.load(os.path.join(d, 'expected.npy'))
    return exp.dtype == got.dtype and exp.shape == got.shape and np.array_equal(exp, got)


def main(argv):
    if len(argv) >= 5 and argv[1] in ('gen-conv', 'gen-gemm'):
        suite, count, seed = argv[2], int(argv[3]), int(argv[4])
        max_macs = int(argv[5]) if len(argv) > 5 else 2000000
        gen = gen_conv_case if argv[1] == 'gen-conv' else gen_gemm_case
        prefix = 'c' if argv[1] == 'gen-conv' else 'n'
        os.makedirs(suite, exist_ok=True)
        for i in range(count):
            rng = np.random.Generator(np.random.PCG64([seed, i]))
            gen(rng, os.path.join(suite, '%s%04d' % (prefix, i)), max_macs)
        print('conv_golden: wrote %d %s cases to %s' % (count, argv[1][4:], suite))
        return 0
    if len(argv) == 4 and argv[1] == 'gen-edge':
        os.makedirs(argv[2], exist_ok=True)
        n = gen_edge_cases(argv[2], int(argv[3]))
        print('conv_golden: wrote %d edge cases to %s' % (n, argv[2]))
        return 0
    if len(argv) == 3 and argv[1] == 'check':
        suite = argv[2]
        n = bad = 0
        for name in sorted(os.listdir(suite)):
            d = os.path.join(suite, name)
            if not os.path.exists(os.path.join(d, 'args')):
                continue
            ok = check_case(d)
            if ok is None:
                continue
            n += 1
            if not ok:
                bad += 1
                print('MISMATCH %s' % d, file=sys.stderr)
        print('conv_golden check %s: %d cases, %d mismatches' % (suite, n, bad))
        return 1 if bad or n == 0 else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
