// SPDX-License-Identifier: MIT
/* Jobs: layers validated once here and kept as binary descriptors. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qa_internal.h"
#include "qaccel_requant.h"
#include "exec/qa_exec.h"

int qa_job_fail(qaccel_job *job, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(job->error, sizeof(job->error), fmt, ap);
	va_end(ap);
	return err;
}

QA_EXPORT int qaccel_job_create(qaccel_device *dev, qaccel_job **out)
{
	qaccel_job *job;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!dev)
		return -EINVAL;
	job = calloc(1, sizeof(*job));
	if (!job)
		return -ENOMEM;
	job->dev = dev;
	*out = job;
	return 0;
}

QA_EXPORT void qaccel_job_free(qaccel_job *job)
{
	if (!job)
		return;
	if (job->state == QA_JOB_RUNNING)
		qaccel_job_wait(job, -1);
	if (job->dev->be->job_free) {
		pthread_mutex_lock(&job->dev->lock);
		job->dev->be->job_free(job->dev, job);
		pthread_mutex_unlock(&job->dev->lock);
	}
	free(job->layers);
	free(job);
}

QA_EXPORT int qaccel_job_count(const qaccel_job *job)
{
	return job ? (int)job->count : -EINVAL;
}

QA_EXPORT const char *qaccel_job_error(const qaccel_job *job)
{
	return job ? job->error : "no job";
}

static const char *dtype_name(unsigned int t)
{
	return t == QA_DT_INT8 ? "int8" : t == QA_DT_UINT8 ? "uint8" : t == QA_DT_INT32 ? "int32" : "?";
}

static int check_zp(qaccel_job *job, const char *what, int32_t v, unsigned int type)
{
	if (v < qa_dtype_min(type) || v > qa_dtype_max(type))
		return qa_job_fail(job, -EINVAL, "%s %d outside the %s range [%d, %d]", what, v,
				   dtype_name(type), qa_dtype_min(type), qa_dtype_max(type));
	return 0;
}

/* Quantization fields: specific messages first, the descriptor check as backstop. */
static int fill_quant(qaccel_job *job, const struct qaccel_quant *q, struct qa_desc *d)
{
	int err;

	if ((unsigned int)q->in_type > QACCEL_UINT8 || (unsigned int)q->w_type > QACCEL_UINT8)
		return qa_job_fail(job, -EINVAL, "input and weight types must be int8 or uint8");
	if ((unsigned int)q->out_type > QACCEL_INT32)
		return qa_job_fail(job, -EINVAL, "output type must be int8, uint8 or int32");
	d->in_type = (uint8_t)q->in_type;
	d->w_type = (uint8_t)q->w_type;
	d->out_type = (uint8_t)q->out_type;
	err = check_zp(job, "input zero point", q->in_zp, d->in_type);
	if (!err)
		err = check_zp(job, "weight zero point", q->w_zp, d->w_type);
	if (err)
		return err;
	if (q->out_type == QACCEL_INT32) {
		if (q->out_zp || q->act_min || q->act_max)
			return qa_job_fail(job, -EINVAL,
					   "int32 output takes no output zero point or activation range");
	} else {
		err = check_zp(job, "output zero point", q->out_zp, d->out_type);
		if (!err)
			err = check_zp(job, "act_min", q->act_min, d->out_type);
		if (!err)
			err = check_zp(job, "act_max", q->act_max, d->out_type);
		if (err)
			return err;
		if (q->act_min > q->act_max)
			return qa_job_fail(job, -EINVAL, "act_min %d is greater than act_max %d",
					   q->act_min, q->act_max);
	}
	d->in_zp = q->in_zp;
	d->w_zp = q->w_zp;
	d->out_zp = q->out_zp;
	d->act_min = q->act_min;
	d->act_max = q->act_max;
	return 0;
}

static const char *const operand_name[QA_OPND_COUNT] = {
	"input", "weights", "bias", "multiplier", "shift", "output",
};

/* Bind each operand to its buffer after checking it holds the whole extent. */
static int bind_operands(qaccel_job *job, const struct qaccel_operands *ops,
			 struct qa_job_layer *l)
{
	const struct qaccel_tensor *t[QA_OPND_COUNT] = {
		&ops->input, &ops->weights, &ops->bias, &ops->multiplier, &ops->shift, &ops->output,
	};
	struct qa_desc_extents e;
	uint64_t out, out_len;
	int i, code;

	if (ops->bias.buf)
		l->desc.flags |= QA_DESC_F_BIAS;
	code = qa_desc_extents(&l->desc, &e);
	if (code)
		return qa_job_fail(job, qa_hw_error_to_errno(code), "%s", qa_hw_error_string(code));
	for (i = 0; i < QA_OPND_COUNT; i++) {
		const qaccel_buffer *b = t[i]->buf;
		uint64_t len = e.len[i], align = qa_desc_operand_align(&l->desc, (unsigned int)i);

		if (!b) {
			if (len)
				return qa_job_fail(job, -EINVAL, "%s operand is missing", operand_name[i]);
			continue;
		}
		if (!len)
			continue; /* e.g. multiplier given for an int32 output: unused */
		if (b->dev != job->dev)
			return qa_job_fail(job, -EXDEV, "%s buffer belongs to another device",
					   operand_name[i]);
		if (len == UINT64_MAX)
			return qa_job_fail(job, -EOVERFLOW, "%s size overflows", operand_name[i]);
		if (t[i]->offset > b->size || len > b->size - t[i]->offset)
			return qa_job_fail(job, -ERANGE,
					   "%s needs %llu bytes at offset %llu of a %llu-byte buffer",
					   operand_name[i], (unsigned long long)len,
					   (unsigned long long)t[i]->offset,
					   (unsigned long long)b->size);
		if ((b->dev_addr + t[i]->offset) & (align - 1))
			return qa_job_fail(job, -EINVAL, "%s must be %llu-byte aligned",
					   operand_name[i], (unsigned long long)align);
		l->bufs[i] = t[i]->buf;
		l->offsets[i] = t[i]->offset;
		qa_desc_set_operand_addr(&l->desc, (unsigned int)i, b->dev_addr + t[i]->offset);
	}
	out = l->desc.out_addr;
	out_len = e.len[QA_OPND_OUT];
	for (i = 0; i < QA_OPND_OUT; i++) {
		uint64_t a = qa_desc_operand_addr(&l->desc, (unsigned int)i);

		if (l->bufs[i] && a < out + out_len && out < a + e.len[i])
			return qa_job_fail(job, -EINVAL, "output overlaps the %s operand",
					   operand_name[i]);
	}
	return 0;
}

static int append_layer(qaccel_job *job, const struct qa_job_layer *l)
{
	if (job->state == QA_JOB_RUNNING)
		return qa_job_fail(job, -EBUSY, "job is running");
	if (job->count >= 0xFFFF)
		return qa_job_fail(job, -EOVERFLOW, "a job holds at most 65535 layers");
	if (job->count == job->cap) {
		uint32_t cap = job->cap ? job->cap * 2 : 8;
		struct qa_job_layer *n = realloc(job->layers, cap * sizeof(*n));

		if (!n)
			return qa_job_fail(job, -ENOMEM, "out of memory");
		job->layers = n;
		job->cap = cap;
	}
	job->layers[job->count++] = *l;
	job->error[0] = '\0';
	return 0;
}

static int finish_layer(qaccel_job *job, const struct qaccel_quant *q,
			const struct qaccel_operands *ops, struct qa_job_layer *l)
{
	int err = fill_quant(job, q, &l->desc);
	int code;

	if (err)
		return err;
	code = qa_desc_check_fields(&l->desc);
	if (code == QA_ERR_TOO_DEEP)
		return qa_job_fail(job, -EOVERFLOW, "reduction depth %llu exceeds %u (int32 accumulator)",
				   (unsigned long long)qa_desc_reduction(&l->desc), QA_MAX_REDUCTION);
	if (code)
		return qa_job_fail(job, qa_hw_error_to_errno(code), "%s", qa_hw_error_string(code));
	err = bind_operands(job, ops, l);
	if (err)
		return err;
	return append_layer(job, l);
}

QA_EXPORT int qaccel_job_add_gemm(qaccel_job *job, const struct qaccel_gemm *g,
				  const struct qaccel_quant *q, const struct qaccel_operands *ops)
{
	struct qa_job_layer l;

	if (!job)
		return -EINVAL;
	if (!g || !q || !ops)
		return qa_job_fail(job, -EINVAL, "NULL argument");
	if (!g->m || !g->n || !g->k)
		return qa_job_fail(job, -EINVAL, "GEMM dimensions must be non-zero (m=%u n=%u k=%u)",
				   g->m, g->n, g->k);
	memset(&l, 0, sizeof(l));
	l.desc.header = QA_DESC_HEADER(QA_OP_GEMM);
	l.desc.batch = 1;
	l.desc.in_h = g->m;
	l.desc.in_w = 1;
	l.desc.in_c = g->k;
	l.desc.out_h = g->m;
	l.desc.out_w = 1;
	l.desc.out_c = g->n;
	l.desc.groups = 1;
	l.desc.kernel_h = l.desc.kernel_w = 1;
	l.desc.stride_h = l.desc.stride_w = 1;
	l.desc.dilation_h = l.desc.dilation_w = 1;
	return finish_layer(job, q, ops, &l);
}

QA_EXPORT int qaccel_conv2d_output_size(const struct qaccel_conv2d *c, uint32_t *out_h,
					uint32_t *out_w)
{
	uint64_t ph, pw, eh, ew, oh, ow;

	if (!c || !out_h || !out_w || !c->kernel_h || !c->kernel_w || !c->stride_h ||
	    !c->stride_w || !c->dilation_h || !c->dilation_w)
		return -EINVAL;
	ph = (uint64_t)c->in_h + c->pad_top + c->pad_bottom;
	pw = (uint64_t)c->in_w + c->pad_left + c->pad_right;
	eh = (uint64_t)c->dilation_h * (c->kernel_h - 1) + 1;
	ew = (uint64_t)c->dilation_w * (c->kernel_w - 1) + 1;
	if (eh > ph || ew > pw)
		return -EINVAL;
	oh = (ph - eh) / c->stride_h + 1;
	ow = (pw - ew) / c->stride_w + 1;
	if (oh > UINT32_MAX || ow > UINT32_MAX)
		return -EOVERFLOW;
	*out_h = (uint32_t)oh;
	*out_w = (uint32_t)ow;
	return 0;
}

QA_EXPORT int qaccel_job_add_conv2d(qaccel_job *job, const struct qaccel_conv2d *c,
				    const struct qaccel_quant *q, const struct qaccel_operands *ops)
{
	const uint32_t geom[] = {
		c ? c->kernel_h : 0, c ? c->kernel_w : 0, c ? c->stride_h : 0, c ? c->stride_w : 0,
		c ? c->dilation_h : 0, c ? c->dilation_w : 0, c ? c->pad_top : 0,
		c ? c->pad_left : 0, c ? c->pad_bottom : 0, c ? c->pad_right : 0,
	};
	struct qa_job_layer l;
	uint32_t oh, ow;
	size_t i;
	int err;

	if (!job)
		return -EINVAL;
	if (!c || !q || !ops)
		return qa_job_fail(job, -EINVAL, "NULL argument");
	if (!c->batch || !c->in_h || !c->in_w || !c->in_c || !c->out_c || !c->groups)
		return qa_job_fail(job, -EINVAL, "conv2d dimensions and groups must be non-zero");
	for (i = 0; i < sizeof(geom) / sizeof(geom[0]); i++)
		if (geom[i] > QA_MAX_DIM)
			return qa_job_fail(job, -EINVAL,
					   "kernel, stride, dilation and padding must be <= %u",
					   QA_MAX_DIM);
	if (c->in_c % c->groups || c->out_c % c->groups)
		return qa_job_fail(job, -EINVAL,
				   "groups (%u) must divide input channels (%u) and output channels (%u)",
				   c->groups, c->in_c, c->out_c);
	err = qaccel_conv2d_output_size(c, &oh, &ow);
	if (err)
		return qa_job_fail(job, err, "kernel (with dilation) does not fit the padded input,"
				   " or stride/dilation/kernel is zero");
	memset(&l, 0, sizeof(l));
	l.desc.header = QA_DESC_HEADER(QA_OP_CONV2D);
	l.desc.batch = c->batch;
	l.desc.in_h = c->in_h;
	l.desc.in_w = c->in_w;
	l.desc.in_c = c->in_c;
	l.desc.out_h = oh;
	l.desc.out_w = ow;
	l.desc.out_c = c->out_c;
	l.desc.groups = c->groups;
	l.desc.kernel_h = (uint16_t)c->kernel_h;
	l.desc.kernel_w = (uint16_t)c->kernel_w;
	l.desc.stride_h = (uint16_t)c->stride_h;
	l.desc.stride_w = (uint16_t)c->stride_w;
	l.desc.dilation_h = (uint16_t)c->dilation_h;
	l.desc.dilation_w = (uint16_t)c->dilation_w;
	l.desc.pad_top = (uint16_t)c->pad_top;
	l.desc.pad_left = (uint16_t)c->pad_left;
	l.desc.pad_bottom = (uint16_t)c->pad_bottom;
	l.desc.pad_right = (uint16_t)c->pad_right;
	return finish_layer(job, q, ops, &l);
}

void qa_job_encode(const qaccel_job *job, uint8_t *dst)
{
	uint32_t i;

	for (i = 0; i < job->count; i++)
		qa_desc_encode(&job->layers[i].desc, dst + (size_t)i * QA_DESC_SIZE);
}

QA_EXPORT int qaccel_job_submit(qaccel_job *job)
{
	qaccel_device *dev;
	int err;

	if (!job)
		return -EINVAL;
	if (job->state == QA_JOB_RUNNING)
		return qa_job_fail(job, -EBUSY, "job is still running; wait for it first");
	if (!job->count)
		return qa_job_fail(job, -EINVAL, "job has no layers");
	dev = job->dev;
	job->error[0] = '\0';
	job->result = 0;
	memset(&job->stats, 0, sizeof(job->stats));
	job->submit_ns = qa_now_ns();
	job->state = QA_JOB_RUNNING;
	pthread_mutex_lock(&dev->lock);
	err = dev->be->submit(dev, job);
	pthread_mutex_unlock(&dev->lock);
	if (err) {
		job->state = QA_JOB_IDLE;
		if (!job->error[0])
			qa_job_fail(job, err, "submit failed: %s", qaccel_strerror(err));
	}
	return err;
}

QA_EXPORT int qaccel_job_wait(qaccel_job *job, int64_t timeout_ns)
{
	int err;

	if (!job)
		return -EINVAL;
	if (job->state == QA_JOB_IDLE)
		return qa_job_fail(job, -EINVAL, "job was not submitted");
	if (job->state == QA_JOB_RUNNING) {
		err = job->dev->be->wait(job->dev, job, timeout_ns);
		if (err)
			return err;
		job->state = QA_JOB_DONE;
		job->stats.wall_ns = qa_now_ns() - job->submit_ns;
		if (!job->stats.wall_ns)
			job->stats.wall_ns = 1;
		if (job->stats.has_cycles && job->stats.cycles) {
			struct qaccel_device_info info;

			if (!qaccel_device_info(job->dev, &info) && info.array_rows)
				job->stats.utilization = (double)job->stats.macs /
					((double)info.array_rows * info.array_cols * job->stats.cycles);
		}
	}
	return job->result;
}

QA_EXPORT int qaccel_job_stats(const qaccel_job *job, struct qaccel_job_stats *stats)
{
	if (!job || !stats)
		return -EINVAL;
	if (job->state != QA_JOB_DONE)
		return -EBUSY;
	*stats = job->stats;
	return 0;
}
