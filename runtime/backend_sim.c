// SPDX-License-Identifier: MIT
/*
 * `sim`: the RTL core (rtl/) under Verilator. The model and its harness are
 * a separate shared object with a plain C ABI (sim/qa_sim.h) that is
 * dlopen()ed at open time, so libqaccel stays plain C:
 *   $QACCEL_SIM_LIB, else <dir of libqaccel>/qaccel/libqaccel_sim.so, else
 *   <dir of the executable>/../lib/qaccel/libqaccel_sim.so.
 * The device memory is the memory-image of qa_memdev (buffers are plain
 * host memory) handed to the harness as the AXI memory model's backing.
 * Jobs are driven exactly as the kernel driver drives the hardware: write
 * the arguments, enable the done interrupt, set ap_start, take the
 * interrupt, clear ISR by writing back what was read, read CTRL (clears
 * ap_done), then STATUS and the cycle/MAC/stall counters.
 *
 * Open arguments, comma separated: mem_mb=N, lib=PATH, lat=N (read latency,
 * cycles), wlat=N, bw=N (bytes/cycle of the data bus), wbw=N (bytes/cycle of
 * a write channel of its own; default 0: writes share bw), ost=N (read bursts
 * the interconnect accepts before ARREADY drops, default 32), trace=FILE.fst,
 * poll (poll CTRL instead of taking the interrupt), nocheck (let the core
 * alone validate).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "qa_memdev.h"
#include "../sim/qa_sim.h"

#define SIM_ALIGN 64u
#define SIM_PATH_MAX 4096

struct sim_api {
	void (*config_default)(struct qa_sim_config *cfg);
	int (*abi_version)(void);
	const char *(*model_name)(void);
	struct qa_sim *(*create)(const struct qa_sim_config *cfg);
	void (*destroy)(struct qa_sim *sim);
	int (*reg_write)(struct qa_sim *sim, uint32_t off, uint32_t val);
	int (*reg_read)(struct qa_sim *sim, uint32_t off, uint32_t *val);
	int (*run_until_irq)(struct qa_sim *sim, uint64_t max_cycles, uint64_t stall_limit);
	int (*poll_done)(struct qa_sim *sim, uint64_t max_cycles, uint32_t poll, uint32_t *ctrl);
	void (*reset)(struct qa_sim *sim, uint32_t n);
	void (*counters)(const struct qa_sim *sim, struct qa_sim_counters *c);
	const char *(*protocol_error)(const struct qa_sim *sim);
};

/* The qa_memdev must stay the first member: the shared buffer ops cast dev->priv to it. */
struct sim_dev {
	struct qa_memdev md;
	void *dl;
	struct sim_api api;
	struct qa_sim *sim;
	uint32_t version;
	int poll;
	int nocheck;
	char lib[SIM_PATH_MAX];
};

struct sim_job {
	uint64_t desc_addr;
	uint64_t desc_len;
};

struct sim_args {
	uint64_t mem_mb;
	uint32_t lat, wlat, bw, wbw;     /* wbw 0: writes share bw */
	uint32_t ost;                    /* outstanding read bursts */
	int poll, nocheck;
	char lib[SIM_PATH_MAX];
	char trace[SIM_PATH_MAX];
};

/* A decimal value in [min, max] into *out; -EINVAL (and *out untouched) otherwise. */
static int parse_u32(const char *v, size_t len, uint32_t min, uint32_t max, uint32_t *out)
{
	char buf[24], *end;
	unsigned long long x;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, v, len);
	buf[len] = '\0';
	errno = 0;
	x = strtoull(buf, &end, 10);
	if (errno || *end || x < min || x > max)
		return -EINVAL;
	*out = (uint32_t)x;
	return 0;
}

static int copy_str(char *dst, const char *v, size_t len)
{
	if (!len || len >= SIM_PATH_MAX)
		return -EINVAL;
	memcpy(dst, v, len);
	dst[len] = '\0';
	return 0;
}

static int parse_args(const char *args, struct sim_args *a)
{
	const char *p = args ? args : "";

	memset(a, 0, sizeof(*a));
	a->mem_mb = QA_MEMDEV_DEFAULT_MB;
	a->lat = 40;
	a->wlat = 20;
	a->bw = 16;
	a->ost = 32;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t klen = eq ? (size_t)(eq - p) : len;
		const char *v = eq ? eq + 1 : p + len;
		size_t vlen = eq ? len - klen - 1 : 0;
		uint32_t x;
		int err = 0;

		if (klen == 6 && !strncmp(p, "mem_mb", 6)) {
			err = parse_u32(v, vlen, 1, 1u << 20, &x);
			if (!err)
				a->mem_mb = x;
		} else if (klen == 3 && !strncmp(p, "lat", 3)) {
			err = parse_u32(v, vlen, 0, 100000, &a->lat);
		} else if (klen == 4 && !strncmp(p, "wlat", 4)) {
			err = parse_u32(v, vlen, 0, 100000, &a->wlat);
		} else if (klen == 2 && !strncmp(p, "bw", 2)) {
			err = parse_u32(v, vlen, 1, 16, &a->bw);
		} else if (klen == 3 && !strncmp(p, "wbw", 3)) {
			err = parse_u32(v, vlen, 0, 16, &a->wbw);
		} else if (klen == 3 && !strncmp(p, "ost", 3)) {
			err = parse_u32(v, vlen, 1, 1024, &a->ost);
		} else if (klen == 3 && !strncmp(p, "lib", 3)) {
			err = copy_str(a->lib, v, vlen);
		} else if (klen == 5 && !strncmp(p, "trace", 5)) {
			err = copy_str(a->trace, v, vlen);
		} else if (len == 4 && !strncmp(p, "poll", 4)) {
			a->poll = 1;
		} else if (len == 7 && !strncmp(p, "nocheck", 7)) {
			a->nocheck = 1;
		} else {
			err = -EINVAL;
		}
		if (err)
			return err;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

static void *try_dlopen(const char *path, char *used)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (h)
		snprintf(used, SIM_PATH_MAX, "%s", path);
	return h;
}

/* Model library search: explicit, env, next to libqaccel, ../lib/qaccel of the executable. */
static void *open_model(const char *explicit_path, char *used)
{
	const char *env = getenv("QACCEL_SIM_LIB");
	char path[SIM_PATH_MAX];
	Dl_info info;
	void *h;

	if (explicit_path && *explicit_path)
		return try_dlopen(explicit_path, used);
	if (env && *env)
		return try_dlopen(env, used);
	if (dladdr((void *)&open_model, &info) && info.dli_fname) {
		const char *slash = strrchr(info.dli_fname, '/');
		int dlen = slash ? (int)(slash - info.dli_fname) : 1;
		const char *dir = slash ? info.dli_fname : ".";

		snprintf(path, sizeof(path), "%.*s/qaccel/libqaccel_sim.so", dlen, dir);
		h = try_dlopen(path, used);
		if (h)
			return h;
		snprintf(path, sizeof(path), "%.*s/../lib/qaccel/libqaccel_sim.so", dlen, dir);
		h = try_dlopen(path, used);
		if (h)
			return h;
	}
	return NULL;
}

#define SIM_SYM(field, name)                                   \
	do {                                                   \
		void *s_ = dlsym(sd->dl, name);                \
		if (!s_)                                       \
			return -ENOEXEC;                       \
		memcpy(&sd->api.field, &s_, sizeof(s_));       \
	} while (0)

static int bind_api(struct sim_dev *sd)
{
	SIM_SYM(config_default, "qa_sim_config_default");
	SIM_SYM(abi_version, "qa_sim_abi_version");
	SIM_SYM(model_name, "qa_sim_model_name");
	SIM_SYM(create, "qa_sim_create");
	SIM_SYM(destroy, "qa_sim_destroy");
	SIM_SYM(reg_write, "qa_sim_reg_write");
	SIM_SYM(reg_read, "qa_sim_reg_read");
	SIM_SYM(run_until_irq, "qa_sim_run_until_irq");
	SIM_SYM(poll_done, "qa_sim_poll_done");
	SIM_SYM(reset, "qa_sim_reset");
	SIM_SYM(counters, "qa_sim_counters");
	SIM_SYM(protocol_error, "qa_sim_protocol_error");
	return sd->api.abi_version() == QA_SIM_ABI_VERSION ? 0 : -ENOEXEC;
}

static int sim_open(qaccel_device *dev, const char *args)
{
	struct sim_dev *sd;
	struct sim_args a;
	struct qa_sim_config cfg;
	uint32_t config = 0;
	void *base;
	int err = parse_args(args, &a);

	if (err)
		return err;
	sd = calloc(1, sizeof(*sd));
	if (!sd)
		return -ENOMEM;
	sd->poll = a.poll;
	sd->nocheck = a.nocheck;
	sd->dl = open_model(a.lib, sd->lib);
	if (!sd->dl) {
		err = -ENODEV;
		goto err_free;
	}
	err = bind_api(sd);
	if (err)
		goto err_dl;
	sd->md.mem.size = a.mem_mb << 20;
	base = mmap(NULL, sd->md.mem.size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		err = -ENOMEM;
		goto err_dl;
	}
	sd->md.mem.base = base;
	err = qa_heap_init(&sd->md.heap, sd->md.mem.size, SIM_ALIGN);
	if (err)
		goto err_unmap;
	sd->api.config_default(&cfg);
	cfg.mem = base;
	cfg.mem_size = sd->md.mem.size;
	cfg.rd_latency = a.lat;
	cfg.wr_latency = a.wlat;
	cfg.bytes_per_cycle = a.bw;
	cfg.wr_bytes_per_cycle = a.wbw;
	cfg.max_outstanding = a.ost;
	cfg.trace_path = a.trace[0] ? a.trace : getenv("QACCEL_SIM_TRACE");
	sd->sim = sd->api.create(&cfg);
	if (!sd->sim) {
		err = -ENOMEM;
		goto err_heap;
	}
	if (sd->api.reg_read(sd->sim, QA_REG_VERSION, &sd->version) ||
	    sd->api.reg_read(sd->sim, QA_REG_CONFIG, &config)) {
		err = -EIO;
		goto err_sim;
	}
	sd->md.rows = QA_CONFIG_ROWS(config);
	sd->md.cols = QA_CONFIG_COLS(config);
	sd->md.features = QA_CONFIG_FEATURES(config);
	dev->priv = sd;
	return 0;

err_sim:
	sd->api.destroy(sd->sim);
err_heap:
	qa_heap_fini(&sd->md.heap);
err_unmap:
	munmap(sd->md.mem.base, sd->md.mem.size);
err_dl:
	dlclose(sd->dl);
err_free:
	free(sd);
	return err;
}

static void sim_close(qaccel_device *dev)
{
	struct sim_dev *sd = dev->priv;

	sd->api.destroy(sd->sim);
	qa_heap_fini(&sd->md.heap);
	munmap(sd->md.mem.base, sd->md.mem.size);
	dlclose(sd->dl);
	free(sd);
}

static int sim_info(const qaccel_device *dev, struct qaccel_device_info *info)
{
	const struct sim_dev *sd = dev->priv;

	info->mem_size = sd->md.mem.size;
	info->core_version = sd->version;
	info->array_rows = sd->md.rows;
	info->array_cols = sd->md.cols;
	info->features = sd->md.features;
	info->has_cycle_counter = 1;
	snprintf(info->detail, sizeof(info->detail), "model: %.100s\nlibrary: %.800s\n",
		 sd->api.model_name(), sd->lib);
	return 0;
}

static int reg_rd(struct sim_dev *sd, uint32_t off, uint32_t *v)
{
	return sd->api.reg_read(sd->sim, off, v) ? -EIO : 0;
}

static int reg_wr(struct sim_dev *sd, uint32_t off, uint32_t v)
{
	return sd->api.reg_write(sd->sim, off, v) ? -EIO : 0;
}

static int reg_rd64(struct sim_dev *sd, uint32_t lo, uint32_t hi, uint64_t *v)
{
	uint32_t l, h;
	int err = reg_rd(sd, lo, &l);

	if (!err)
		err = reg_rd(sd, hi, &h);
	if (!err)
		*v = ((uint64_t)h << 32) | l;
	return err;
}

/* One doorbell: program the arguments, start, wait for done, read the results. */
static int sim_run(struct sim_dev *sd, qaccel_job *job, uint64_t desc_addr, uint32_t count,
		   uint64_t budget, uint32_t *status)
{
	uint32_t ctrl = 0, isr = 0;
	int err, r;

	err = reg_wr(sd, QA_REG_DESC_ADDR_LO, (uint32_t)desc_addr);
	err = err ? err : reg_wr(sd, QA_REG_DESC_ADDR_HI, (uint32_t)(desc_addr >> 32));
	err = err ? err : reg_wr(sd, QA_REG_DESC_COUNT, count);
	err = err ? err : reg_wr(sd, QA_REG_MEM_BASE_LO, 0);
	err = err ? err : reg_wr(sd, QA_REG_MEM_BASE_HI, 0);
	err = err ? err : reg_wr(sd, QA_REG_GIE, sd->poll ? 0 : 1);
	err = err ? err : reg_wr(sd, QA_REG_IER, sd->poll ? 0 : QA_IRQ_DONE);
	err = err ? err : reg_wr(sd, QA_REG_CTRL, QA_CTRL_AP_START);
	if (err)
		return qa_job_fail(job, err, "sim: register write failed");
	if (sd->poll) {
		r = sd->api.poll_done(sd->sim, budget, 64, &ctrl);
	} else {
		/* A core that moves nothing on the bus for 1M cycles is hung. */
		r = sd->api.run_until_irq(sd->sim, budget, 1000000);
		if (r == 1) {
			err = reg_rd(sd, QA_REG_ISR, &isr);
			err = err ? err : reg_wr(sd, QA_REG_ISR, isr);
			err = err ? err : reg_rd(sd, QA_REG_CTRL, &ctrl);
			if (err)
				return qa_job_fail(job, err, "sim: register access failed");
			if (!(isr & QA_IRQ_DONE) || !(ctrl & QA_CTRL_AP_DONE))
				return qa_job_fail(job, -EIO, "sim: interrupt without ap_done "
						   "(ISR 0x%x, CTRL 0x%x)", isr, ctrl);
		}
	}
	if (r != 1) {
		sd->api.reset(sd->sim, 16);
		return qa_job_fail(job, -ETIMEDOUT, "sim: core %s; reset",
				   r < 0 ? "made no progress for 1M cycles" : "exceeded its cycle budget");
	}
	err = reg_rd(sd, QA_REG_STATUS, status);
	err = err ? err : reg_rd64(sd, QA_REG_CYCLES_LO, QA_REG_CYCLES_HI, &job->stats.cycles);
	err = err ? err : reg_rd64(sd, QA_REG_MACS_LO, QA_REG_MACS_HI, &job->stats.macs);
	err = err ? err : reg_rd64(sd, QA_REG_STALLS_LO, QA_REG_STALLS_HI,
				   &job->stats.stall_cycles);
	if (err)
		return qa_job_fail(job, err, "sim: register read failed");
	job->stats.has_cycles = 1;
	return 0;
}

static int sim_submit(qaccel_device *dev, qaccel_job *job)
{
	struct sim_dev *sd = dev->priv;
	struct sim_job *sj = job->priv;
	uint64_t len = (uint64_t)job->count * QA_DESC_SIZE;
	uint64_t budget = 4000000, macs = 0;
	struct qa_sim_counters cnt;
	uint32_t i, status = 0;
	int err;

	if (!sj) {
		sj = calloc(1, sizeof(*sj));
		if (!sj)
			return -ENOMEM;
		job->priv = sj;
	}
	if (sj->desc_len != len) {
		if (sj->desc_len)
			qa_heap_free(&sd->md.heap, sj->desc_addr, sj->desc_len);
		sj->desc_len = 0;
		err = qa_heap_alloc(&sd->md.heap, len, &sj->desc_addr);
		if (err)
			return err;
		sj->desc_len = len;
	}
	qa_job_encode(job, sd->md.mem.base + sj->desc_addr);
	/* Validate the whole list first, as the driver's SUBMIT does: nothing runs on a bad job. */
	for (i = 0; i < job->count; i++) {
		struct qa_desc d;
		int code;

		qa_desc_decode(sd->md.mem.base + sj->desc_addr + (uint64_t)i * QA_DESC_SIZE, &d);
		code = sd->nocheck ? QA_ERR_NONE : qa_desc_check(&d, &sd->md.mem);
		if (code) {
			job->result = qa_job_fail(job, qa_hw_error_to_errno(code),
						  "descriptor %u: %s", i, qa_hw_error_string(code));
			return 0;
		}
		macs += qa_desc_macs(&d);
	}
	/* Generous: the core needs far fewer than 64 cycles per array-wide step. */
	budget += 64 * (macs / 16 + 1);
	err = sim_run(sd, job, sj->desc_addr, job->count, budget, &status);
	if (err) {
		job->result = err;
		return 0;
	}
	sd->api.counters(sd->sim, &cnt);
	if (cnt.protocol_errors) {
		job->result = qa_job_fail(job, -EIO, "sim: AXI protocol error: %s",
					  sd->api.protocol_error(sd->sim));
		return 0;
	}
	if (QA_STATUS_CODE(status))
		job->result = qa_job_fail(job, qa_hw_error_to_errno(QA_STATUS_CODE(status)),
					  "descriptor %u: %s", QA_STATUS_INDEX(status),
					  qa_hw_error_string(QA_STATUS_CODE(status)));
	else
		job->result = 0;
	return 0;
}

static int sim_wait(qaccel_device *dev, qaccel_job *job, int64_t timeout_ns)
{
	(void)dev;
	(void)job;
	(void)timeout_ns;
	return 0; /* submit clocked the model to completion */
}

static void sim_job_free(qaccel_device *dev, qaccel_job *job)
{
	struct sim_dev *sd = dev->priv;
	struct sim_job *sj = job->priv;

	if (!sj)
		return;
	if (sj->desc_len)
		qa_heap_free(&sd->md.heap, sj->desc_addr, sj->desc_len);
	free(sj);
	job->priv = NULL;
}

const struct qa_backend qa_backend_sim = {
	.name = "sim",
	.description = "RTL core under Verilator (cycle-accurate, AXI memory model)",
	.open = sim_open,
	.close = sim_close,
	.info = sim_info,
	.buf_alloc = qa_memdev_buf_alloc,
	.buf_free = qa_memdev_buf_free,
	.buf_write = qa_memdev_buf_write,
	.buf_read = qa_memdev_buf_read,
	.submit = sim_submit,
	.wait = sim_wait,
	.job_free = sim_job_free,
};
