// SPDX-License-Identifier: MIT
// Verilator harness for rtl/qa_top.v: clock, reset, AXI4-Lite register
// access, an AXI4 memory model with latency and bandwidth, AXI protocol
// checks and optional FST tracing. Exposes the C ABI of sim/qa_sim.h.
#include "qa_sim.h"

#include <sys/mman.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>

#include "Vqa_top.h"
#include "Vqa_top___024root.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif

#ifndef QA_SIM_BUILD
#define QA_SIM_BUILD "fast build"
#endif

#define QA_SIM_API extern "C" __attribute__((visibility("default")))

namespace {

constexpr unsigned kBeat = 16;

struct RdBurst {
	uint64_t addr;
	uint32_t beats;
	uint64_t ready_at;
};

struct WrBurst {
	uint64_t addr;
	uint32_t beats;
	uint32_t done;
	bool err;
};

struct BResp {
	uint64_t ready_at;
	uint8_t resp;
};

// A channel's payload while VALID is high and READY low must not change.
struct HoldCheck {
	bool pending = false;
	uint64_t addr = 0;
	uint32_t len = 0;
};

// The model's outputs that the harness samples between clock edges.
struct Outs {
	uint64_t araddr, awaddr;
	uint32_t wdata[4], s_rdata;
	uint16_t wstrb;
	uint8_t v[20];

	bool operator==(const Outs &o) const { return memcmp(this, &o, sizeof(*this)) == 0; }
};

void sample_outs(const Vqa_top *t, Outs *o)
{
	memset(o, 0, sizeof(*o));
	o->araddr = t->m_axi_araddr;
	o->awaddr = t->m_axi_awaddr;
	for (int i = 0; i < 4; i++)
		o->wdata[i] = t->m_axi_wdata[i];
	o->s_rdata = t->s_axil_rdata;
	o->wstrb = t->m_axi_wstrb;
	const uint8_t v[] = {t->m_axi_arlen, t->m_axi_arsize, t->m_axi_arburst, t->m_axi_arvalid,
			     t->m_axi_rready, t->m_axi_awlen, t->m_axi_awsize, t->m_axi_awburst,
			     t->m_axi_awvalid, t->m_axi_wlast, t->m_axi_wvalid, t->m_axi_bready,
			     t->__SYM__interrupt, t->s_axil_awready, t->s_axil_wready,
			     t->s_axil_bresp, t->s_axil_bvalid, t->s_axil_arready, t->s_axil_rresp,
			     t->s_axil_rvalid};
	static_assert(sizeof(v) == sizeof(o->v), "Outs::v");
	memcpy(o->v, v, sizeof(v));
}

// One eval() per clock cycle instead of two. The core has only rising-edge
// logic and no combinational path from an input to an output, so the eval at
// the falling edge (which settles logic fed by the inputs the memory model
// just drove) changes no output the harness samples, and the next rising
// edge's eval settles that logic anyway before the flip-flops update. What
// the falling edge must still do is let the model see clk low, or the next
// rise is no edge: with Verilator 5 that is the trigger's previous-value
// variable, set here directly. Models that lack it (another Verilator
// version) take the eval as before.
template <typename R>
static auto clk_low_no_eval(R *r, int) -> decltype(r->__Vtrigrprev__TOP__clk = 0, bool())
{
	r->__Vtrigrprev__TOP__clk = 0;
	return true;
}
template <typename R> static bool clk_low_no_eval(R *, long)
{
	return false;
}

} // namespace

struct qa_sim {
	VerilatedContext *ctx = nullptr;
	Vqa_top *top = nullptr;
#if VM_TRACE
	VerilatedFstC *tfp = nullptr;
#endif
	qa_sim_config cfg{};
	uint8_t *mem = nullptr;
	bool own_mem = false;
	uint64_t cycle = 0;
	uint64_t last_activity = 0;
	double credit = 0;        // bytes the data bus may move (reads, and writes if shared)
	double wcredit = 0;       // a separate write channel's bytes (wr_bytes_per_cycle)
	std::deque<RdBurst> rq;
	std::deque<WrBurst> wq;
	std::deque<BResp> bq;
	HoldCheck ar_hold, aw_hold;
	uint64_t rd_beats = 0, wr_beats = 0, proto_errors = 0;
	std::string proto_msg;
	bool dirty = true;
	// Falling-edge eval: 0 = skip (one eval per cycle), 1 = always (tracing, or
	// QACCEL_SIM_EXACT=1), 2 = always, and check that it changes no output
	// (the test build: catches a combinational input-to-output path, which
	// would make skipping it wrong).
	int fall_eval = 0;
};

// The pool that write beats draw on: the shared data bus, or a write channel of its own.
static double &write_credit(qa_sim *s)
{
	return s->cfg.wr_bytes_per_cycle ? s->wcredit : s->credit;
}

// A cycle's bandwidth into a pool, which holds at most four beats' worth.
static void refill(double *credit, uint32_t bytes_per_cycle)
{
	*credit += bytes_per_cycle;
	if (*credit > 4.0 * kBeat)
		*credit = 4.0 * kBeat;
}

static void proto_error(qa_sim *s, const char *fmt, uint64_t a, uint64_t b)
{
	char buf[200];

	s->proto_errors++;
	if (s->proto_msg.empty()) {
		snprintf(buf, sizeof(buf), fmt, (unsigned long long)a, (unsigned long long)b);
		s->proto_msg = "cycle " + std::to_string(s->cycle) + ": " + buf;
		fprintf(stderr, "qa_sim: AXI protocol error: %s\n", s->proto_msg.c_str());
	}
}

static bool in_mem(const qa_sim *s, uint64_t addr, uint64_t len)
{
	return addr >= s->cfg.mem_addr && addr - s->cfg.mem_addr <= s->cfg.mem_size &&
	       len <= s->cfg.mem_size - (addr - s->cfg.mem_addr);
}

static void check_burst(qa_sim *s, const char *ch, uint64_t addr, uint32_t len, uint32_t size,
			uint32_t burst)
{
	(void)ch;
	if (size != 4)
		proto_error(s, "AxSIZE %llu (expected 4: 16-byte beats), addr 0x%llx", size, addr);
	if (burst != 1)
		proto_error(s, "AxBURST %llu is not INCR, addr 0x%llx", burst, addr);
	if (addr & (kBeat - 1))
		proto_error(s, "unaligned burst address 0x%llx (len %llu)", addr, len);
	if ((addr >> 12) != ((addr + (uint64_t)(len + 1) * kBeat - 1) >> 12))
		proto_error(s, "burst at 0x%llx of %llu beats crosses a 4 KiB boundary", addr, len + 1);
}

// Drive the memory model's outputs for the current cycle.
static void drive_outputs(qa_sim *s)
{
	Vqa_top *t = s->top;

	t->m_axi_arready = s->rq.size() < s->cfg.max_outstanding;
	bool rv = !s->rq.empty() && s->rq.front().ready_at <= s->cycle && s->credit >= kBeat;
	t->m_axi_rvalid = rv;
	if (rv) {
		const RdBurst &b = s->rq.front();
		uint8_t beat[kBeat];

		if (in_mem(s, b.addr, kBeat)) {
			memcpy(beat, s->mem + (b.addr - s->cfg.mem_addr), kBeat);
			t->m_axi_rresp = 0;
		} else {
			memset(beat, 0, kBeat);
			t->m_axi_rresp = 3; // DECERR
		}
		for (int i = 0; i < 4; i++) {
			uint32_t w;
			memcpy(&w, beat + 4 * i, 4);
			t->m_axi_rdata[i] = w;
		}
		t->m_axi_rlast = b.beats == 1;
	} else {
		t->m_axi_rlast = 0;
		t->m_axi_rresp = 0;
	}
	t->m_axi_awready = s->wq.size() < 8;
	t->m_axi_wready = !s->wq.empty() && write_credit(s) >= kBeat;
	bool bv = !s->bq.empty() && s->bq.front().ready_at <= s->cycle;
	t->m_axi_bvalid = bv;
	t->m_axi_bresp = bv ? s->bq.front().resp : 0;
}

/* Drive the clock to `level`, settle the model, record the trace, advance time. */
static void clock_edge(qa_sim *s, int level)
{
	s->top->clk = level;
	s->top->eval();
#if VM_TRACE
	if (s->tfp)
		s->tfp->dump(s->ctx->time());
#endif
	s->ctx->timeInc(1);
}

static void tick(qa_sim *s)
{
	Vqa_top *t = s->top;

	if (s->dirty) {
		t->eval();
		s->dirty = false;
	}
	// Handshakes as seen before the edge.
	bool ar_hs = t->m_axi_arvalid && t->m_axi_arready;
	bool r_hs = t->m_axi_rvalid && t->m_axi_rready;
	bool aw_hs = t->m_axi_awvalid && t->m_axi_awready;
	bool w_hs = t->m_axi_wvalid && t->m_axi_wready;
	bool b_hs = t->m_axi_bvalid && t->m_axi_bready;
	uint64_t araddr = t->m_axi_araddr, awaddr = t->m_axi_awaddr;
	uint32_t arlen = t->m_axi_arlen, awlen = t->m_axi_awlen;

	if (t->rst_n) {
		// VALID must stay high, with a stable payload, until READY.
		if (s->ar_hold.pending && (!t->m_axi_arvalid || araddr != s->ar_hold.addr ||
					   arlen != s->ar_hold.len))
			proto_error(s, "ARVALID dropped or AR payload changed before ARREADY (0x%llx/%llu)",
				    s->ar_hold.addr, s->ar_hold.len);
		if (s->aw_hold.pending && (!t->m_axi_awvalid || awaddr != s->aw_hold.addr ||
					   awlen != s->aw_hold.len))
			proto_error(s, "AWVALID dropped or AW payload changed before AWREADY (0x%llx/%llu)",
				    s->aw_hold.addr, s->aw_hold.len);
		s->ar_hold = {t->m_axi_arvalid && !t->m_axi_arready, araddr, arlen};
		s->aw_hold = {t->m_axi_awvalid && !t->m_axi_awready, awaddr, awlen};
		if (ar_hs)
			check_burst(s, "AR", araddr, arlen, t->m_axi_arsize, t->m_axi_arburst);
		if (aw_hs)
			check_burst(s, "AW", awaddr, awlen, t->m_axi_awsize, t->m_axi_awburst);
	}
	// W data for the burst at the head of the write queue (AW first).
	uint8_t wbeat[kBeat];
	uint32_t wstrb = t->m_axi_wstrb;
	bool wlast = t->m_axi_wlast;
	if (w_hs)
		for (int i = 0; i < 4; i++) {
			uint32_t w = t->m_axi_wdata[i];
			memcpy(wbeat + 4 * i, &w, 4);
		}

	clock_edge(s, 1);

	if (!t->rst_n) {
		s->rq.clear();
		s->wq.clear();
		s->bq.clear();
		s->ar_hold = {};
		s->aw_hold = {};
	} else {
		if (ar_hs || r_hs || aw_hs || w_hs || b_hs)
			s->last_activity = s->cycle;
		if (r_hs) {
			RdBurst &b = s->rq.front();
			b.addr += kBeat;
			s->credit -= kBeat;
			s->rd_beats++;
			if (--b.beats == 0)
				s->rq.pop_front();
		} else if (t->m_axi_rvalid && !t->m_axi_rready) {
			// fine: the master may apply back-pressure
		}
		if (ar_hs)
			s->rq.push_back({araddr, arlen + 1, s->cycle + s->cfg.rd_latency});
		if (aw_hs)
			s->wq.push_back({awaddr, awlen + 1, 0, false});
		if (w_hs) {
			WrBurst &b = s->wq.front();
			uint64_t a = b.addr + (uint64_t)b.done * kBeat;

			if (in_mem(s, a, kBeat)) {
				uint8_t *p = s->mem + (a - s->cfg.mem_addr);
				for (unsigned i = 0; i < kBeat; i++)
					if (wstrb & (1u << i))
						p[i] = wbeat[i];
			} else {
				b.err = true;
			}
			write_credit(s) -= kBeat;
			s->wr_beats++;
			b.done++;
			if (wlast != (b.done == b.beats))
				proto_error(s, "WLAST %llu on beat %llu of the burst", wlast, b.done);
			if (b.done == b.beats || wlast) {
				s->bq.push_back({s->cycle + s->cfg.wr_latency, (uint8_t)(b.err ? 3 : 0)});
				s->wq.pop_front();
			}
		}
		if (b_hs)
			s->bq.pop_front();
		if (r_hs && !t->m_axi_rvalid)
			proto_error(s, "R handshake without RVALID %llu%llu", 0, 0);
	}
	s->cycle++;
	refill(&s->credit, s->cfg.bytes_per_cycle);
	refill(&s->wcredit, s->cfg.wr_bytes_per_cycle);

	drive_outputs(s);
#if VM_TRACE
	bool tracing = s->tfp != nullptr;
#else
	bool tracing = false;
#endif
	if (s->fall_eval == 0 && !tracing) {
		t->clk = 0;
		if (clk_low_no_eval(t->rootp, 0)) {
			s->ctx->timeInc(1);
			return;
		}
		s->fall_eval = 1;
	}
	if (s->fall_eval == 2) {
		Outs before, after;

		sample_outs(t, &before);
		clock_edge(s, 0);
		sample_outs(t, &after);
		if (!(before == after))
			proto_error(s, "an output changed at the falling-edge eval: the model has a "
				    "combinational input-to-output path, and the one-eval-per-cycle "
				    "fast build is not exact for it (QACCEL_SIM_EXACT=1; cycle %llu%.0llu)",
				    s->cycle, 0);
		return;
	}
	clock_edge(s, 0);
}

QA_SIM_API void qa_sim_config_default(qa_sim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_size = 64ull << 20;
	cfg->rd_latency = 40;
	cfg->wr_latency = 20;
	cfg->bytes_per_cycle = 16;
	cfg->max_outstanding = 32;
	cfg->rand_reset = 0;
	cfg->seed = 1;
}

QA_SIM_API int qa_sim_abi_version(void)
{
	return QA_SIM_ABI_VERSION;
}

QA_SIM_API const char *qa_sim_model_name(void)
{
	return "qa_top verilator " QA_SIM_BUILD;
}

QA_SIM_API qa_sim *qa_sim_create(const qa_sim_config *cfg)
{
	qa_sim *s = new qa_sim;

	if (cfg)
		s->cfg = *cfg;
	else
		qa_sim_config_default(&s->cfg);
	if (!s->cfg.bytes_per_cycle)
		s->cfg.bytes_per_cycle = 16;
	if (!s->cfg.max_outstanding)
		s->cfg.max_outstanding = 32;
	if (s->cfg.mem) {
		s->mem = static_cast<uint8_t *>(s->cfg.mem);
	} else {
		void *p = mmap(nullptr, s->cfg.mem_size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED) {
			delete s;
			return nullptr;
		}
		s->mem = static_cast<uint8_t *>(p);
		s->own_mem = true;
	}
#ifdef QA_SIM_CHECK_FALL_EVAL
	s->fall_eval = 2;
#else
	{
		const char *e = getenv("QACCEL_SIM_EXACT");
		s->fall_eval = e && *e && strcmp(e, "0") ? 1 : 0;
	}
#endif
	s->ctx = new VerilatedContext;
	s->ctx->randReset((int)s->cfg.rand_reset);
	if (s->cfg.rand_reset)
		s->ctx->randSeed((int)(s->cfg.seed & 0x7fffffff));
#if VM_TRACE
	s->ctx->traceEverOn(true);
#endif
	s->top = new Vqa_top{s->ctx, "qa_top"};
	Vqa_top *t = s->top;
	t->clk = 0;
	t->rst_n = 0;
	t->s_axil_awvalid = 0;
	t->s_axil_wvalid = 0;
	t->s_axil_bready = 0;
	t->s_axil_arvalid = 0;
	t->s_axil_rready = 0;
	t->s_axil_wstrb = 0xF;
	t->eval();
	if (s->cfg.trace_path)
		qa_sim_trace(s, s->cfg.trace_path);
	qa_sim_reset(s, 4);
	return s;
}

QA_SIM_API void qa_sim_destroy(qa_sim *s)
{
	if (!s)
		return;
	qa_sim_trace(s, nullptr);
	s->top->final();
	delete s->top;
	delete s->ctx;
	if (s->own_mem)
		munmap(s->mem, s->cfg.mem_size);
	delete s;
}

QA_SIM_API uint8_t *qa_sim_mem_ptr(qa_sim *s, uint64_t *size)
{
	if (size)
		*size = s->cfg.mem_size;
	return s->mem;
}

QA_SIM_API void qa_sim_step(qa_sim *s, uint64_t n)
{
	while (n--)
		tick(s);
}

QA_SIM_API void qa_sim_reset(qa_sim *s, uint32_t n)
{
	s->top->rst_n = 0;
	s->dirty = true;
	for (uint32_t i = 0; i < (n ? n : 1); i++)
		tick(s);
	s->top->rst_n = 1;
	s->dirty = true;
	s->credit = 0;
	s->wcredit = 0;
	tick(s);
}

static const uint64_t kLiteTimeout = 1000;

QA_SIM_API int qa_sim_reg_write(qa_sim *s, uint32_t off, uint32_t val)
{
	Vqa_top *t = s->top;
	bool aw_done = false, w_done = false;
	uint64_t n;

	t->s_axil_awaddr = off & 0x7F;
	t->s_axil_awvalid = 1;
	t->s_axil_wdata = val;
	t->s_axil_wstrb = 0xF;
	t->s_axil_wvalid = 1;
	t->s_axil_bready = 1;
	s->dirty = true;
	for (n = 0; n < kLiteTimeout && !(aw_done && w_done); n++) {
		t->eval();
		bool awh = t->s_axil_awvalid && t->s_axil_awready;
		bool wh = t->s_axil_wvalid && t->s_axil_wready;
		tick(s);
		if (awh) {
			aw_done = true;
			t->s_axil_awvalid = 0;
			s->dirty = true;
		}
		if (wh) {
			w_done = true;
			t->s_axil_wvalid = 0;
			s->dirty = true;
		}
	}
	for (; n < kLiteTimeout; n++) {
		t->eval();
		bool bh = t->s_axil_bvalid && t->s_axil_bready;
		tick(s);
		if (bh) {
			t->s_axil_bready = 0;
			s->dirty = true;
			return 0;
		}
	}
	t->s_axil_awvalid = 0;
	t->s_axil_wvalid = 0;
	t->s_axil_bready = 0;
	s->dirty = true;
	return -1;
}

QA_SIM_API int qa_sim_reg_read(qa_sim *s, uint32_t off, uint32_t *val)
{
	Vqa_top *t = s->top;
	uint64_t n;
	bool ar_done = false;

	t->s_axil_araddr = off & 0x7F;
	t->s_axil_arvalid = 1;
	t->s_axil_rready = 1;
	s->dirty = true;
	for (n = 0; n < kLiteTimeout; n++) {
		t->eval();
		bool arh = t->s_axil_arvalid && t->s_axil_arready;
		bool rh = t->s_axil_rvalid && t->s_axil_rready;
		uint32_t data = t->s_axil_rdata;
		tick(s);
		if (arh) {
			ar_done = true;
			t->s_axil_arvalid = 0;
			s->dirty = true;
		}
		if (rh && ar_done) {
			*val = data;
			t->s_axil_rready = 0;
			s->dirty = true;
			return 0;
		}
	}
	t->s_axil_arvalid = 0;
	t->s_axil_rready = 0;
	s->dirty = true;
	return -1;
}

QA_SIM_API int qa_sim_irq(const qa_sim *s)
{
	return s->top->__SYM__interrupt;
}

QA_SIM_API int qa_sim_run_until_irq(qa_sim *s, uint64_t max_cycles, uint64_t stall_limit)
{
	uint64_t end = s->cycle + max_cycles;

	s->last_activity = s->cycle;
	while (s->cycle < end) {
		if (s->top->__SYM__interrupt)
			return 1;
		tick(s);
		if (stall_limit && s->cycle - s->last_activity > stall_limit)
			return -1;
	}
	return s->top->__SYM__interrupt ? 1 : 0;
}

QA_SIM_API int qa_sim_poll_done(qa_sim *s, uint64_t max_cycles, uint32_t poll, uint32_t *ctrl)
{
	uint64_t end = s->cycle + max_cycles;
	uint32_t v = 0;

	while (s->cycle < end) {
		if (qa_sim_reg_read(s, 0x00, &v))
			return -1;
		if (v & 0x2u) {
			if (ctrl)
				*ctrl = v;
			return 1;
		}
		qa_sim_step(s, poll);
	}
	return 0;
}

QA_SIM_API void qa_sim_counters(const qa_sim *s, struct qa_sim_counters *c)
{
	c->cycles = s->cycle;
	c->rd_beats = s->rd_beats;
	c->wr_beats = s->wr_beats;
	c->protocol_errors = s->proto_errors;
}

QA_SIM_API const char *qa_sim_protocol_error(const qa_sim *s)
{
	return s->proto_msg.c_str();
}

QA_SIM_API int qa_sim_trace(qa_sim *s, const char *path)
{
#if VM_TRACE
	if (s->tfp) {
		s->tfp->close();
		delete s->tfp;
		s->tfp = nullptr;
	}
	if (!path)
		return 0;
	s->tfp = new VerilatedFstC;
	s->top->trace(s->tfp, 99);
	s->tfp->open(path);
	return s->tfp->isOpen() ? 0 : -1;
#else
	(void)s;
	return path ? -1 : 0;
#endif
}
