// SPDX-License-Identifier: MIT
/*
 * gemm_golden: independent golden-value generator for qaccel's GEMM and
 * CONV2D conformance cases, built on Google's gemmlowp (Debian
 * libgemmlowp-dev, header-only). It shares no code with libqaccel: the
 * arithmetic is gemmlowp's own output pipeline, the .npy writer/reader is
 * the small one below.
 *
 *   gemm_golden gen SUITE_DIR COUNT SEED [MAX_MACS]
 *       write COUNT random GEMM cases SUITE_DIR/gNNNN/ (see
 *       tests/golden/README.md for the case format)
 *   gemm_golden check SUITE_DIR
 *       recompute expected.npy of every GEMM case in SUITE_DIR with gemmlowp
 *       (used on the cases conv_golden.py writes with NumPy); exit 1 on any
 *       difference
 *   gemm_golden check-conv SUITE_DIR
 *       the same for CONV2D cases, lowered here to one gemmlowp GEMM per
 *       group over an explicit im2col matrix
 *
 * How the qaccel contract maps onto gemmlowp:
 *   - acc = sum (A - a_zp)(B - b_zp): gemmlowp ADDS lhs_offset/rhs_offset, so
 *     we pass -a_zp and -b_zp.
 *   - gemmlowp's L8R8 path takes uint8 operands only. An int8 operand x with
 *     zero point z is passed as the uint8 x + 128 with zero point z + 128:
 *     (x + 128) - (z + 128) == x - z, so the accumulator is identical.
 *   - requantization: OutputStageBiasAddition, then
 *     OutputStageScaleInt32ByFixedPointAndExponentPC<Row> (per output column:
 *     left shift by max(shift, 0), SaturatingRoundingDoublingHighMul,
 *     RoundingDivideByPOT by max(-shift, 0), add out_zp), OutputStageClamp
 *     (act range) and OutputStageSaturatingCastToInt8/Uint8. For the int32
 *     output type only the bias stage runs (raw accumulators).
 *   - gemmlowp adds out_zp in int32 (wrapping); the qaccel contract adds it
 *     without wrapping. Cases where scaled + out_zp would leave int32 are
 *     never generated (the channel's parameters are redrawn), so both
 *     readings give the same bytes.
 * Built with -fwrapv: gemmlowp's scalar ShiftLeft is a plain `<<` on int32,
 * which the contract defines as modulo 2^32.
 */
#include <gemmlowp/public/gemmlowp.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <string>
#include <sys/stat.h>
#include <tuple>
#include <vector>

namespace {

enum Dt { I8, U8, I32 };

const char *dt_descr(Dt t)
{
	return t == I8 ? "|i1" : t == U8 ? "|u1" : "<i4";
}

const char *dt_name(Dt t)
{
	return t == I8 ? "int8" : t == U8 ? "uint8" : "int32";
}

int dt_min(Dt t)
{
	return t == I8 ? -128 : t == U8 ? 0 : INT32_MIN;
}

int dt_max(Dt t)
{
	return t == I8 ? 127 : t == U8 ? 255 : INT32_MAX;
}

[[noreturn]] void die(const std::string &msg)
{
	std::fprintf(stderr, "gemm_golden: %s\n", msg.c_str());
	std::exit(2);
}

/* ---- minimal .npy I/O (v1.0, the way numpy.save writes it) -------------- */

void npy_write(const std::string &path, const char *descr, const std::vector<uint64_t> &shape,
	       const void *data, size_t nbytes)
{
	std::string d = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (";
	for (size_t i = 0; i < shape.size(); i++) {
		if (i)
			d += ", ";
		d += std::to_string(shape[i]);
	}
	if (shape.size() == 1)
		d += ",";
	d += "), }";
	size_t hlen = d.size() + 1;
	size_t pad = 64 - ((10 + hlen) % 64);
	d.append(pad, ' ');
	d += '\n';
	FILE *f = std::fopen(path.c_str(), "wb");
	if (!f)
		die(path + ": cannot create: " + std::strerror(errno));
	unsigned char pre[10] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
				  (unsigned char)(d.size() & 0xff), (unsigned char)(d.size() >> 8) };
	bool ok = std::fwrite(pre, 1, 10, f) == 10 &&
		  std::fwrite(d.data(), 1, d.size(), f) == d.size() &&
		  (nbytes == 0 || std::fwrite(data, 1, nbytes, f) == nbytes);
	if (std::fclose(f) != 0 || !ok)
		die(path + ": write failed");
}

struct Npy {
	std::string descr;
	std::vector<uint64_t> shape;
	std::vector<unsigned char> data;
	uint64_t count() const
	{
		uint64_t c = 1;
		for (uint64_t s : shape)
			c *= s;
		return c;
	}
	Dt dt() const
	{
		if (descr == "|i1")
			return I8;
		if (descr == "|u1")
			return U8;
		if (descr == "<i4")
			return I32;
		die("unexpected dtype " + descr);
	}
	int32_t i32(size_t i) const
	{
		int32_t v;
		std::memcpy(&v, &data[i * 4], 4);
		return v;
	}
};

bool file_exists(const std::string &p)
{
	struct stat st;
	return stat(p.c_str(), &st) == 0;
}

/* Reads the files this program and numpy.save write; not a general parser. */
Npy npy_read(const std::string &path)
{
	FILE *f = std::fopen(path.c_str(), "rb");
	if (!f)
		die(path + ": cannot open");
	std::vector<unsigned char> b;
	unsigned char buf[65536];
	size_t n;
	while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0)
		b.insert(b.end(), buf, buf + n);
	std::fclose(f);
	if (b.size() < 10 || std::memcmp(b.data(), "\x93NUMPY", 6) != 0)
		die(path + ": not a .npy file");
	size_t pre = b[6] == 1 ? 10 : 12;
	size_t hlen = b[6] == 1 ? (b[8] | b[9] << 8) :
				  (b[8] | b[9] << 8 | b[10] << 16 | (size_t)b[11] << 24);
	if (b.size() < pre + hlen)
		die(path + ": truncated header");
	std::string h(b.begin() + (long)pre, b.begin() + (long)(pre + hlen));
	Npy a;
	size_t p = h.find("'descr': '");
	if (p == std::string::npos)
		die(path + ": no descr");
	a.descr = h.substr(p + 10, 3);
	if (h.find("'fortran_order': False") == std::string::npos)
		die(path + ": not C order");
	p = h.find("'shape': (");
	if (p == std::string::npos)
		die(path + ": no shape");
	p += 10;
	while (h[p] != ')') {
		if (h[p] >= '0' && h[p] <= '9') {
			uint64_t v = 0;
			while (h[p] >= '0' && h[p] <= '9')
				v = v * 10 + (uint64_t)(h[p++] - '0');
			a.shape.push_back(v);
		} else {
			p++;
		}
	}
	size_t isz = a.dt() == I32 ? 4 : 1;
	if (b.size() - pre - hlen != a.count() * isz)
		die(path + ": data size mismatch");
	a.data.assign(b.begin() + (long)(pre + hlen), b.end());
	return a;
}

/* ---- deterministic random numbers ------------------------------------ */

struct Rng {
	uint64_t s;
	explicit Rng(uint64_t seed) : s(0)
	{
		/* Hash the seed so that seeds i and i+1 give unrelated streams. */
		s = seed ^ 0x5DEECE66Dull;
		s = next() ^ (seed << 1);
		s = next();
	}
	uint64_t next()
	{
		/* splitmix64 */
		uint64_t z = (s += 0x9E3779B97F4A7C15ull);
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
		z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
		return z ^ (z >> 31);
	}
	/* uniform in [lo, hi] */
	int64_t range(int64_t lo, int64_t hi)
	{
		return lo + (int64_t)(next() % (uint64_t)(hi - lo + 1));
	}
	bool chance(int percent) { return range(0, 99) < percent; }
	double unit() { return (double)(next() >> 11) / 9007199254740992.0; }
};

/* ---- gemmlowp wrappers ----------------------------------------------- */

struct GemmProblem {
	int m, k, n;
	Dt a_t, b_t, out_t;
	int a_zp, b_zp, out_zp, act_min, act_max;
	std::vector<int> a, b;           /* values in their own type */
	bool has_bias;
	std::vector<int32_t> bias, mult, shift;
	/* Leave defaults to the CLI: act range = full out type, out type = A's. */
	bool omit_act = false, omit_out_type = false;
};

using RowVec = gemmlowp::VectorMap<const int32_t, gemmlowp::VectorShape::Row>;

/* Operand as uint8 for gemmlowp, with the matching (negated) offset. */
static std::vector<uint8_t> as_u8(const std::vector<int> &v, Dt t, int zp, int *offset)
{
	std::vector<uint8_t> u(v.size());
	int bias = t == I8 ? 128 : 0;
	for (size_t i = 0; i < v.size(); i++)
		u[i] = (uint8_t)(v[i] + bias);
	*offset = -(zp + bias);
	return u;
}

template <typename OutT, typename Pipeline>
std::vector<OutT> run_gemm(const GemmProblem &p, const Pipeline &pipeline)
{
	int lhs_off, rhs_off;
	std::vector<uint8_t> a = as_u8(p.a, p.a_t, p.a_zp, &lhs_off);
	std::vector<uint8_t> b = as_u8(p.b, p.b_t, p.b_zp, &rhs_off);
	std::vector<OutT> out((size_t)p.m * (size_t)p.n);
	gemmlowp::MatrixMap<const uint8_t, gemmlowp::MapOrder::RowMajor> lhs(a.data(), p.m, p.k);
	gemmlowp::MatrixMap<const uint8_t, gemmlowp::MapOrder::RowMajor> rhs(b.data(), p.k, p.n);
	gemmlowp::MatrixMap<OutT, gemmlowp::MapOrder::RowMajor> res(out.data(), p.m, p.n);
	gemmlowp::GemmContext ctx;
	ctx.set_max_num_threads(1);
	gemmlowp::GemmWithOutputPipeline<uint8_t, OutT, gemmlowp::DefaultL8R8BitDepthParams>(
		&ctx, lhs, rhs, &res, lhs_off, rhs_off, pipeline);
	return out;
}

/* Raw accumulators plus bias (the int32 output type). */
std::vector<int32_t> gemm_acc(const GemmProblem &p)
{
	std::vector<int32_t> zero((size_t)p.n, 0);
	gemmlowp::OutputStageBiasAddition<RowVec> bias;
	bias.bias_vector = RowVec(p.has_bias ? p.bias.data() : zero.data(), p.n);
	return run_gemm<int32_t>(p, std::make_tuple(bias));
}

/* Requantized values before out_zp, clamp and cast. */
std::vector<int32_t> gemm_scaled(const GemmProblem &p)
{
	std::vector<int32_t> zero((size_t)p.n, 0);
	gemmlowp::OutputStageBiasAddition<RowVec> bias;
	bias.bias_vector = RowVec(p.has_bias ? p.bias.data() : zero.data(), p.n);
	gemmlowp::OutputStageScaleInt32ByFixedPointAndExponentPC<gemmlowp::VectorShape::Row> sc;
	sc.result_fixedpoint_multiplier = RowVec(p.mult.data(), p.n);
	sc.result_exponent = RowVec(p.shift.data(), p.n);
	sc.result_offset_after_shift = 0;
	return run_gemm<int32_t>(p, std::make_tuple(bias, sc));
}

/* The golden output, as raw little-endian bytes of the output type. */
std::vector<unsigned char> gemm_golden(const GemmProblem &p)
{
	std::vector<unsigned char> bytes;
	if (p.out_t == I32) {
		std::vector<int32_t> acc = gemm_acc(p);
		bytes.resize(acc.size() * 4);
		if (!acc.empty())
			std::memcpy(bytes.data(), acc.data(), bytes.size());
		return bytes;
	}
	std::vector<int32_t> zero((size_t)p.n, 0);
	gemmlowp::OutputStageBiasAddition<RowVec> bias;
	bias.bias_vector = RowVec(p.has_bias ? p.bias.data() : zero.data(), p.n);
	gemmlowp::OutputStageScaleInt32ByFixedPointAndExponentPC<gemmlowp::VectorShape::Row> sc;
	sc.result_fixedpoint_multiplier = RowVec(p.mult.data(), p.n);
	sc.result_exponent = RowVec(p.shift.data(), p.n);
	sc.result_offset_after_shift = p.out_zp;
	gemmlowp::OutputStageClamp clamp;
	clamp.min = p.act_min;
	clamp.max = p.act_max;
	if (p.out_t == I8) {
		std::vector<int8_t> y = run_gemm<int8_t>(
			p, std::make_tuple(bias, sc, clamp, gemmlowp::OutputStageSaturatingCastToInt8()));
		bytes.resize(y.size());
		std::memcpy(bytes.data(), y.data(), y.size());
	} else {
		std::vector<uint8_t> y = run_gemm<uint8_t>(
			p, std::make_tuple(bias, sc, clamp, gemmlowp::OutputStageSaturatingCastToUint8()));
		bytes.assign(y.begin(), y.end());
	}
	return bytes;
}

/*
 * acc * 2^max(shift, 0) outside int32. The qaccel contract (and TFLite's
 * x * (1 << left_shift), SIMD shifts) wrap modulo 2^32 there, but this
 * gemmlowp's scalar ShiftLeft saturates, so such cases are never generated
 * here and are skipped by `check` (conv_golden.py covers them).
 */
bool left_shift_overflows(int32_t acc, int32_t shift)
{
	if (shift <= 0)
		return false;
	int64_t v = (int64_t)acc * ((int64_t)1 << shift);
	return v < INT32_MIN || v > INT32_MAX;
}

/* ---- random case generation ------------------------------------------- */

int pick_dim(Rng &r, bool allow_big)
{
	static const int pool[] = { 1, 1, 2, 3, 4, 5, 7, 8, 9, 11, 13, 15, 16, 17, 23, 31, 32, 33,
				    37, 47, 63, 64, 65, 97, 127, 128, 129 };
	static const int big[] = { 251, 256, 257, 263, 300, 383, 512, 521 };
	if (allow_big && r.chance(10))
		return big[r.range(0, sizeof(big) / sizeof(big[0]) - 1)];
	return pool[r.range(0, sizeof(pool) / sizeof(pool[0]) - 1)];
}

int pick_zp(Rng &r, Dt t)
{
	int lo = dt_min(t), hi = dt_max(t);
	int c = (int)r.range(0, 9);
	if (c == 0)
		return 0;
	if (c == 1)
		return lo;
	if (c == 2)
		return hi;
	if (c <= 4)
		return (int)r.range(-8, 8) + (t == U8 ? 128 : 0);
	return (int)r.range(lo, hi);
}

std::vector<int> random_values(Rng &r, size_t n, Dt t, int zp)
{
	std::vector<int> v(n);
	int lo = dt_min(t), hi = dt_max(t), mode = (int)r.range(0, 29);
	for (size_t i = 0; i < n; i++) {
		if (mode == 0)
			v[i] = zp;                        /* all zero after offset */
		else if (mode <= 2)
			v[i] = r.chance(50) ? lo : hi;    /* extremes: largest |acc| */
		else if (mode <= 4)
			v[i] = std::min(hi, std::max(lo, zp + (int)r.range(-3, 3)));
		else
			v[i] = (int)r.range(lo, hi);
	}
	return v;
}

/* TFLite QuantizeMultiplier-like conversion of a positive real scale. */
void scale_to_fixed(double s, int32_t *mult, int32_t *shift)
{
	int e;
	double q = std::frexp(s, &e);
	int64_t m = std::llround(q * 2147483648.0);
	if (m == (1ll << 31)) {
		m /= 2;
		e++;
	}
	if (e > 30) {
		e = 30;
		m = INT32_MAX;
	}
	if (e < -31) {
		e = -31;
		m = 1 << 30;
	}
	*mult = (int32_t)m;
	*shift = e;
}

void pick_channel_params(Rng &r, int64_t maxabs, bool extreme, int32_t *mult, int32_t *shift)
{
	if (extreme) {
		int c = (int)r.range(0, 5);
		*mult = c == 0 ? (1 << 30) : c == 1 ? INT32_MAX : c == 2 ? 0 :
			(int32_t)r.range(1 << 30, INT32_MAX);
		c = (int)r.range(0, 7);
		*shift = c == 0 ? -31 : c == 1 ? 30 : c == 2 ? 0 : c == 3 ? -1 : c == 4 ? 1 :
			 (int32_t)r.range(-31, 30);
		return;
	}
	if (maxabs <= 0)
		maxabs = 1;
	/* Map the channel's |acc| range onto ~[-128, 128] times 2^[-2, 2]. */
	double s = 128.0 / (double)maxabs * std::exp2(r.unit() * 4.0 - 2.0);
	scale_to_fixed(s, mult, shift);
}

GemmProblem random_gemm(Rng &r, uint64_t max_macs)
{
	GemmProblem p;
	for (;;) {
		p.m = pick_dim(r, true);
		p.k = pick_dim(r, true);
		p.n = pick_dim(r, true);
		if ((uint64_t)p.m * p.k * p.n <= max_macs)
			break;
	}
	p.a_t = r.chance(50) ? I8 : U8;
	p.b_t = r.chance(50) ? I8 : U8;
	int oc = (int)r.range(0, 9);
	p.out_t = oc < 4 ? I8 : oc < 8 ? U8 : I32;
	p.a_zp = pick_zp(r, p.a_t);
	p.b_zp = pick_zp(r, p.b_t);
	p.a = random_values(r, (size_t)p.m * p.k, p.a_t, p.a_zp);
	p.b = random_values(r, (size_t)p.k * p.n, p.b_t, p.b_zp);
	p.has_bias = r.chance(70);
	p.bias.assign((size_t)p.n, 0);
	if (p.has_bias) {
		int mag = (int)r.range(0, 24);
		for (auto &v : p.bias)
			v = (int32_t)r.range(-(1ll << mag), (1ll << mag));
	}
	p.out_zp = 0;
	p.act_min = 0;
	p.act_max = 0;
	if (p.out_t == I32)
		return p;

	int lo = dt_min(p.out_t), hi = dt_max(p.out_t);
	p.out_zp = pick_zp(r, p.out_t);
	int am = (int)r.range(0, 9);
	if (am < 5) {
		p.act_min = lo;
		p.act_max = hi;
	} else if (am < 7) {                      /* ReLU */
		p.act_min = p.out_zp;
		p.act_max = hi;
	} else if (am < 8) {                      /* ReLU6-like */
		p.act_min = p.out_zp;
		p.act_max = std::min(hi, p.out_zp + (int)r.range(1, 120));
	} else {
		int x = (int)r.range(lo, hi), y = (int)r.range(lo, hi);
		p.act_min = std::min(x, y);
		p.act_max = std::max(x, y);
	}
	if (p.act_min >= p.act_max) {             /* e.g. ReLU with out_zp == hi */
		p.act_min = lo;
		p.act_max = hi;
	}
	p.omit_act = p.act_min == lo && p.act_max == hi && r.chance(40);
	p.omit_out_type = p.out_t == p.a_t && r.chance(30);

	std::vector<int32_t> acc = gemm_acc(p);
	/* Typical |acc| per channel: 2.5x its RMS (so a few outliers saturate). */
	std::vector<int64_t> maxabs((size_t)p.n, 0);
	for (int j = 0; j < p.n; j++) {
		double ss = 0;
		for (int i = 0; i < p.m; i++) {
			double v = acc[(size_t)i * p.n + j];
			ss += v * v;
		}
		maxabs[(size_t)j] = (int64_t)(2.5 * std::sqrt(ss / p.m));
	}
	bool extreme = r.chance(15), per_tensor = r.chance(20);
	p.mult.assign((size_t)p.n, 0);
	p.shift.assign((size_t)p.n, 0);
	for (int j = 0; j < p.n; j++) {
		if (per_tensor && j > 0) {
			p.mult[(size_t)j] = p.mult[0];
			p.shift[(size_t)j] = p.shift[0];
			continue;
		}
		pick_channel_params(r, maxabs[(size_t)j], extreme && r.chance(60),
				    &p.mult[(size_t)j], &p.shift[(size_t)j]);
	}
	/* Never generate a case where scaled + out_zp leaves int32 (see top). */
	for (int tries = 0;; tries++) {
		std::vector<int32_t> sc = gemm_scaled(p);
		std::vector<bool> bad((size_t)p.n, false);
		bool any = false;
		for (size_t i = 0; i < sc.size(); i++) {
			int64_t v = (int64_t)sc[i] + p.out_zp;
			if (v < INT32_MIN || v > INT32_MAX || left_shift_overflows(acc[i],
						p.shift[i % (size_t)p.n])) {
				bad[i % (size_t)p.n] = true;
				any = true;
			}
		}
		if (!any)
			break;
		for (int j = 0; j < p.n; j++) {
			if (!bad[(size_t)j])
				continue;
			if (tries == 0)
				pick_channel_params(r, maxabs[(size_t)j], false, &p.mult[(size_t)j],
						    &p.shift[(size_t)j]);
			else
				p.shift[(size_t)j] = -31;
		}
		if (tries > 2)
			die("could not avoid int32 overflow of scaled + out_zp");
	}
	return p;
}

void write_bytes_npy(const std::string &path, Dt t, const std::vector<uint64_t> &shape,
		     const std::vector<int> &v)
{
	std::vector<unsigned char> b(v.size());
	for (size_t i = 0; i < v.size(); i++)
		b[i] = (unsigned char)(v[i] & 0xff);
	npy_write(path, dt_descr(t), shape, b.data(), b.size());
}

void write_i32_npy(const std::string &path, const std::vector<int32_t> &v)
{
	npy_write(path, "<i4", { (uint64_t)v.size() }, v.data(), v.size() * 4);
}

void write_gemm_case(const std::string &dir, const GemmProblem &p)
{
	if (mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST)
		die(dir + ": mkdir failed");
	write_bytes_npy(dir + "/a.npy", p.a_t, { (uint64_t)p.m, (uint64_t)p.k }, p.a);
	write_bytes_npy(dir + "/b.npy", p.b_t, { (uint64_t)p.k, (uint64_t)p.n }, p.b);
	if (p.has_bias)
		write_i32_npy(dir + "/bias.npy", p.bias);
	char args[256];
	if (p.out_t == I32) {
		std::snprintf(args, sizeof(args), "gemm --a-zp %d --b-zp %d --out-zp 0 --out-type int32\n",
			      p.a_zp, p.b_zp);
	} else {
		write_i32_npy(dir + "/multiplier.npy", p.mult);
		write_i32_npy(dir + "/shift.npy", p.shift);
		char act[64] = "", ot[32] = "";
		if (!p.omit_act)
			std::snprintf(act, sizeof(act), " --act-min %d --act-max %d", p.act_min,
				      p.act_max);
		if (!p.omit_out_type)
			std::snprintf(ot, sizeof(ot), " --out-type %s", dt_name(p.out_t));
		std::snprintf(args, sizeof(args), "gemm --a-zp %d --b-zp %d --out-zp %d%s%s\n", p.a_zp,
			      p.b_zp, p.out_zp, act, ot);
	}
	FILE *f = std::fopen((dir + "/args").c_str(), "w");
	if (!f || std::fputs(args, f) < 0 || std::fclose(f) != 0)
		die(dir + "/args: write failed");
	std::vector<unsigned char> y = gemm_golden(p);
	npy_write(dir + "/expected.npy", dt_descr(p.out_t), { (uint64_t)p.m, (uint64_t)p.n },
		  y.data(), y.size());
}

/* ---- reading cases back (for the cross-checks) -------------------------- */

std::vector<std::string> read_args(const std::string &dir)
{
	FILE *f = std::fopen((dir + "/args").c_str(), "r");
	if (!f)
		die(dir + "/args: cannot open");
	char line[1024];
	if (!std::fgets(line, sizeof(line), f))
		die(dir + "/args: empty");
	std::fclose(f);
	std::vector<std::string> out;
	char *save = nullptr;
	for (char *t = strtok_r(line, " \t\n", &save); t; t = strtok_r(nullptr, " \t\n", &save))
		out.push_back(t);
	return out;
}

std::string arg_value(const std::vector<std::string> &a, const std::string &key,
		      const std::string &def)
{
	for (size_t i = 1; i + 1 < a.size(); i++)
		if (a[i] == key)
			return a[i + 1];
	return def;
}

std::vector<int> bytes_of(const Npy &a)
{
	std::vector<int> v(a.data.size());
	for (size_t i = 0; i < v.size(); i++)
		v[i] = a.dt() == I8 ? (int)(int8_t)a.data[i] : (int)a.data[i];
	return v;
}

std::vector<int32_t> i32_of(const Npy &a)
{
	std::vector<int32_t> v(a.count());
	for (size_t i = 0; i < v.size(); i++)
		v[i] = a.i32(i);
	return v;
}

Dt parse_out_type(const std::string &s, Dt def)
{
	if (s == "int8")
		return I8;
	if (s == "uint8")
		return U8;
	if (s == "int32")
		return I32;
	return def;
}

/* Fills the quantization part of p from a case directory. */
void load_quant(const std::string &dir, const std::vector<std::string> &args, const char *zp1,
		const char *zp2, GemmProblem &p)
{
	p.a_zp = std::atoi(arg_value(args, zp1, "0").c_str());
	p.b_zp = std::atoi(arg_value(args, zp2, "0").c_str());
	p.out_t = parse_out_type(arg_value(args, "--out-type", ""), p.a_t);
	p.out_zp = std::atoi(arg_value(args, "--out-zp", "0").c_str());
	p.act_min = std::atoi(arg_value(args, "--act-min", std::to_string(dt_min(p.out_t))).c_str());
	p.act_max = std::atoi(arg_value(args, "--act-max", std::to_string(dt_max(p.out_t))).c_str());
	p.has_bias = file_exists(dir + "/bias.npy");
	if (p.has_bias)
		p.bias = i32_of(npy_read(dir + "/bias.npy"));
	if (p.out_t != I32) {
		p.mult = i32_of(npy_read(dir + "/multiplier.npy"));
		p.shift = i32_of(npy_read(dir + "/shift.npy"));
	}
}

/* 1: matches, 0: differs, -1: not a GEMM case, -2: not checkable (see above). */
int check_gemm_case(const std::string &dir)
{
	std::vector<std::string> args = read_args(dir);
	if (args.empty() || args[0] != "gemm")
		return -1;
	Npy a = npy_read(dir + "/a.npy"), b = npy_read(dir + "/b.npy");
	GemmProblem p;
	p.m = (int)a.shape[0];
	p.k = (int)a.shape[1];
	p.n = (int)b.shape[1];
	p.a_t = a.dt();
	p.b_t = b.dt();
	p.a = bytes_of(a);
	p.b = bytes_of(b);
	load_quant(dir, args, "--a-zp", "--b-zp", p);
	if (p.out_t != I32) {
		std::vector<int32_t> acc = gemm_acc(p);
		for (size_t i = 0; i < acc.size(); i++)
			if (left_shift_overflows(acc[i], p.shift[i % (size_t)p.n]))
				return -2;
	}
	Npy e = npy_read(dir + "/expected.npy");
	std::vector<unsigned char> y = gemm_golden(p);
	if (e.dt() != p.out_t || e.data != y) {
		std::fprintf(stderr, "MISMATCH %s\n", dir.c_str());
		return 0;
	}
	return 1;
}

/*
 * Conv2d as im2col + one gemmlowp GEMM per group: column j of group g is
 * output channel g*cout_g + j, row (n, oy, ox) of the patch matrix holds
 * input[n][oy*sh - pt + ky*dh][ox*sw - pl + kx*dw][g*cin_g + c] (or the
 * input zero point outside the image) in (ky, kx, c) order.
 */
int check_conv_case(const std::string &dir)
{
	std::vector<std::string> args = read_args(dir);
	if (args.empty() || args[0] != "conv2d")
		return -1;
	Npy x = npy_read(dir + "/input.npy"), w = npy_read(dir + "/weights.npy");
	Npy e = npy_read(dir + "/expected.npy");
	int sh, sw, dh, dw, pt, pl, pb, pr;
	if (std::sscanf(arg_value(args, "--stride", "1,1").c_str(), "%d,%d", &sh, &sw) != 2 ||
	    std::sscanf(arg_value(args, "--dilation", "1,1").c_str(), "%d,%d", &dh, &dw) != 2 ||
	    std::sscanf(arg_value(args, "--pad", "0,0,0,0").c_str(), "%d,%d,%d,%d", &pt, &pl, &pb,
			&pr) != 4)
		die(dir + "/args: bad geometry");
	int groups = std::atoi(arg_value(args, "--groups", "1").c_str());
	int nb = (int)x.shape[0], ih = (int)x.shape[1], iw = (int)x.shape[2], ic = (int)x.shape[3];
	int oc = (int)w.shape[0], kh = (int)w.shape[1], kw = (int)w.shape[2], cg = (int)w.shape[3];
	int ocg = oc / groups;
	int oh = (ih + pt + pb - dh * (kh - 1) - 1) / sh + 1;
	int ow = (iw + pl + pr - dw * (kw - 1) - 1) / sw + 1;
	if (cg * groups != ic || ocg * groups != oc)
		die(dir + ": bad group split");
	GemmProblem full;
	full.a_t = x.dt();
	full.b_t = w.dt();
	load_quant(dir, args, "--input-zp", "--weights-zp", full);
	std::vector<int> xv = bytes_of(x), wv = bytes_of(w);
	size_t isz = full.out_t == I32 ? 4 : 1;
	std::vector<unsigned char> y((size_t)nb * oh * ow * oc * isz);
	for (int g = 0; g < groups; g++) {
		GemmProblem p = full;
		p.m = nb * oh * ow;
		p.k = kh * kw * cg;
		p.n = ocg;
		p.a.assign((size_t)p.m * p.k, full.a_zp);
		for (int n = 0; n < nb; n++)
			for (int oy = 0; oy < oh; oy++)
				for (int ox = 0; ox < ow; ox++) {
					size_t row = ((size_t)n * oh + oy) * ow + ox;
					for (int ky = 0; ky < kh; ky++)
						for (int kx = 0; kx < kw; kx++) {
							int iy = oy * sh - pt + ky * dh;
							int ix = ox * sw - pl + kx * dw;
							if (iy < 0 || iy >= ih || ix < 0 || ix >= iw)
								continue;
							for (int c = 0; c < cg; c++)
								p.a[row * p.k + ((size_t)ky * kw + kx) * cg + c] =
									xv[(((size_t)n * ih + iy) * iw + ix) * ic +
									   (size_t)g * cg + c];
						}
				}
		p.b.assign((size_t)p.k * p.n, 0);
		for (int j = 0; j < ocg; j++)
			for (int kk = 0; kk < p.k; kk++)
				p.b[(size_t)kk * p.n + j] = wv[((size_t)g * ocg + j) * p.k + kk];
		p.bias.assign((size_t)ocg, 0);
		if (full.has_bias)
			for (int j = 0; j < ocg; j++)
				p.bias[(size_t)j] = full.bias[(size_t)g * ocg + j];
		if (full.out_t != I32) {
			p.mult.assign(full.mult.begin() + (long)g * ocg, full.mult.begin() + (long)(g + 1) * ocg);
			p.shift.assign(full.shift.begin() + (long)g * ocg,
				       full.shift.begin() + (long)(g + 1) * ocg);
		}
		if (p.m == 0 || p.n == 0)
			continue;
		if (p.out_t != I32) {
			std::vector<int32_t> acc = gemm_acc(p);
			for (size_t i = 0; i < acc.size(); i++)
				if (left_shift_overflows(acc[i], p.shift[i % (size_t)p.n]))
					return -2;
		}
		std::vector<unsigned char> yg = gemm_golden(p);
		for (int r = 0; r < p.m; r++)
			std::memcpy(&y[((size_t)r * oc + (size_t)g * ocg) * isz], &yg[(size_t)r * ocg * isz],
				    (size_t)ocg * isz);
	}
	if (e.dt() != full.out_t || e.data != y) {
		std::fprintf(stderr, "MISMATCH %s\n", dir.c_str());
		return 0;
	}
	return 1;
}

std::vector<std::string> list_cases(const std::string &suite)
{
	std::vector<std::string> out;
	DIR *d = opendir(suite.c_str());
	if (!d)
		die(suite + ": cannot open directory");
	while (struct dirent *de = readdir(d)) {
		if (de->d_name[0] == '.')
			continue;
		std::string p = suite + "/" + de->d_name;
		if (file_exists(p + "/args"))
			out.push_back(p);
	}
	closedir(d);
	std::sort(out.begin(), out.end());
	return out;
}

int usage()
{
	std::fprintf(stderr, "usage: gemm_golden gen SUITE_DIR COUNT SEED [MAX_MACS]\n"
			     "       gemm_golden check SUITE_DIR\n"
			     "       gemm_golden check-conv SUITE_DIR\n");
	return 2;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 3)
		return usage();
	std::string cmd = argv[1], suite = argv[2];
	if (cmd == "gen") {
		if (argc < 5)
			return usage();
		long count = std::atol(argv[3]);
		uint64_t seed = std::strtoull(argv[4], nullptr, 0);
		uint64_t max_macs = argc > 5 ? std::strtoull(argv[5], nullptr, 0) : 2000000;
		if (mkdir(suite.c_str(), 0777) != 0 && errno != EEXIST)
			die(suite + ": mkdir failed");
		for (long i = 0; i < count; i++) {
			Rng r(seed * 1000003ull + (uint64_t)i);
			char name[32];
			std::snprintf(name, sizeof(name), "/g%04ld", i);
			write_gemm_case(suite + name, random_gemm(r, max_macs));
		}
		std::printf("gemm_golden: wrote %ld gemm cases to %s\n", count, suite.c_str());
		return 0;
	}
	if (cmd == "check" || cmd == "check-conv") {
		std::vector<std::string> cases = list_cases(suite);
		long bad = 0, n = 0, skipped = 0;
		for (const std::string &c : cases) {
			int ok = cmd == "check" ? check_gemm_case(c) : check_conv_case(c);
			if (ok == -2)
				skipped++;
			if (ok < 0)
				continue;
			bad += !ok;
			n++;
		}
		std::printf("gemm_golden %s %s: %ld cases agree, %ld mismatches, %ld skipped "
			    "(pre-shift overflows int32: gemmlowp saturates, contract wraps)\n",
			    cmd.c_str(), suite.c_str(), n - bad, bad, skipped);
		return bad || n == 0 ? 1 : 0;
	}
	return usage();
}
