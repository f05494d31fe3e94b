/* SPDX-License-Identifier: MIT */
/*
 * Verilator harness around the qaccel RTL core: a plain C ABI so the
 * runtime (dlopen'd), the RTL tests and later co-simulation front ends
 * (XRT hw_emu device process, QEMU x-pci-proxy-dev, DESIGN.md section 10)
 * can all drive the same model.
 *
 * The harness owns one VerilatedContext and one model; no globals. The
 * device memory is a flat byte array that the caller may supply (so a
 * front end can hand in guest RAM or a shared mapping); the AXI4 memory
 * model serves the core's bursts from it with configurable latency and
 * bandwidth. Register access goes through real AXI4-Lite handshakes.
 */
#ifndef QA_SIM_H
#define QA_SIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QA_SIM_ABI_VERSION 2

struct qa_sim;

struct qa_sim_config {
	void *mem;                /* backing store, or NULL: the harness allocates */
	uint64_t mem_size;        /* bytes */
	uint64_t mem_addr;        /* AXI address of mem[0] (default 0) */
	uint32_t rd_latency;      /* cycles from AR handshake to first R beat (default 40) */
	uint32_t wr_latency;      /* cycles from last W beat to B (default 20) */
	uint32_t bytes_per_cycle; /* read (and write) bandwidth (default 16, max 16 used per beat) */
	uint32_t max_outstanding; /* AR bursts accepted before ARREADY drops (default 32) */
	uint32_t rand_reset;      /* 0: zero-initialise state, 2: randomise (x-initial unique) */
	uint64_t seed;            /* for rand_reset */
	const char *trace_path;   /* FST waveform, NULL for none (needs a --trace-fst model) */
	uint32_t wr_bytes_per_cycle; /* 0: writes share bytes_per_cycle (one DDR-like data bus);
				      * else a write channel of its own (max 16 used per beat) */
};

struct qa_sim_counters {
	uint64_t cycles;          /* harness clock cycles since create */
	uint64_t rd_beats, wr_beats;
	uint64_t protocol_errors; /* AXI rule violations seen by the harness */
};

/* Fills cfg with the defaults (DDR-like: 40-cycle read latency, 16 B/cycle). */
void qa_sim_config_default(struct qa_sim_config *cfg);
int qa_sim_abi_version(void);
/* Model description, e.g. "qa_top 16x16 verilator 5.006 (test build)". */
const char *qa_sim_model_name(void);
struct qa_sim *qa_sim_create(const struct qa_sim_config *cfg);
void qa_sim_destroy(struct qa_sim *sim);
uint8_t *qa_sim_mem_ptr(struct qa_sim *sim, uint64_t *size);

/* AXI4-Lite accesses; return 0, or -1 when the slave does not answer in time. */
int qa_sim_reg_write(struct qa_sim *sim, uint32_t off, uint32_t val);
int qa_sim_reg_read(struct qa_sim *sim, uint32_t off, uint32_t *val);

/* Clock n cycles. */
void qa_sim_step(struct qa_sim *sim, uint64_t n);
/*
 * Clock until the interrupt output is high (1), or until max_cycles pass
 * (0), or until the bus has been silent for stall_limit cycles while the
 * core is not idle (-1: hung). stall_limit 0 disables the progress check.
 */
int qa_sim_run_until_irq(struct qa_sim *sim, uint64_t max_cycles, uint64_t stall_limit);
/*
 * Driver-style polling: reads CTRL every poll cycles until ap_done is seen
 * (returns 1, *ctrl = the value read, which cleared ap_done), or 0 on timeout.
 */
int qa_sim_poll_done(struct qa_sim *sim, uint64_t max_cycles, uint32_t poll, uint32_t *ctrl);
/* Hold reset for n cycles (the memory model drops in-flight transfers). */
void qa_sim_reset(struct qa_sim *sim, uint32_t n);
int qa_sim_irq(const struct qa_sim *sim);
void qa_sim_counters(const struct qa_sim *sim, struct qa_sim_counters *c);
/* Text of the first protocol error ("" if none). */
const char *qa_sim_protocol_error(const struct qa_sim *sim);
/* Start (path) or stop (NULL) an FST trace at run time; -1 if the model has no tracing. */
int qa_sim_trace(struct qa_sim *sim, const char *path);

#ifdef __cplusplus
}
#endif

#endif /* QA_SIM_H */
