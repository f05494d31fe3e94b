// SPDX-License-Identifier: MIT
/*
 * Strict, bounded .npy reader/writer.
 *
 * Format (numpy.lib.format): "\x93NUMPY", major, minor, then a little-endian
 * header length (u16 for 1.0, u32 for 2.0/3.0), then that many bytes of a
 * Python dict literal ending in '\n', then the raw data.
 *
 * The reader treats the file as untrusted, libfdt-style: the fixed prefix is
 * checked first, the header length is bounded by NPY_MAX_HEADER and by the
 * file, the dict is parsed by a small recursive-descent parser that accepts
 * exactly the Python literal syntax numpy writes (and what hand-written files
 * plausibly contain), every dimension and every product is checked for
 * overflow, and the data size must match the file exactly.
 */
#include "npy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAGIC_LEN 6
#define NPY_ALIGN 64
/* Streams (pipes, character devices) are read up to this many bytes. */
#define NPY_MAX_STREAM ((size_t)1 << 30)

static const char *const dtype_names[] = { "|i1", "|u1", "<i4", "<f4" };
static const size_t dtype_sizes[] = { 1, 1, 4, 4 };

size_t npy_item_size(enum npy_dtype dtype)
{
	if ((unsigned int)dtype >= sizeof(dtype_sizes) / sizeof(dtype_sizes[0]))
		return 0;
	return dtype_sizes[dtype];
}

const char *npy_dtype_name(enum npy_dtype dtype)
{
	if ((unsigned int)dtype >= sizeof(dtype_names) / sizeof(dtype_names[0]))
		return "?";
	return dtype_names[dtype];
}

static int fail(int ret, char *err, size_t errlen, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail(int ret, char *err, size_t errlen, const char *name, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err && errlen) {
		n = snprintf(err, errlen, "%s: ", name ? name : "(npy)");
		if (n >= 0 && (size_t)n < errlen) {
			va_start(ap, fmt);
			vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return ret;
}

void npy_free(struct npy_array *arr)
{
	if (!arr)
		return;
	free(arr->data);
	arr->data = NULL;
}

/* ---- header dict parser ------------------------------------------------- */

struct hdr_parser {
	const char *p;
	const char *end;
	const char *name;
	char *err;
	size_t errlen;
};

struct npy_header {
	enum npy_dtype dtype;
	int ndim;
	uint64_t shape[NPY_MAX_DIMS];
	uint64_t count;
	size_t nbytes;
	size_t data_offset;
};

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(struct hdr_parser *ps)
{
	while (ps->p < ps->end && is_ws(*ps->p))
		ps->p++;
}

static int peek(struct hdr_parser *ps)
{
	skip_ws(ps);
	return ps->p < ps->end ? (unsigned char)*ps->p : -1;
}

static long hdr_pos(const struct hdr_parser *ps, const char *start)
{
	return (long)(ps->p - start);
}

static int expect(struct hdr_parser *ps, char c, const char *what)
{
	if (peek(ps) != (unsigned char)c) {
		if (ps->p >= ps->end)
			return fail(-EINVAL, ps->err, ps->errlen, ps->name,
				    "bad header: expected '%c' %s, found end of header", c, what);
		return fail(-EINVAL, ps->err, ps->errlen, ps->name,
			    "bad header: expected '%c' %s, found '%c'", c, what,
			    (*ps->p >= 0x20 && *ps->p < 0x7f) ? *ps->p : '?');
	}
	ps->p++;
	return 0;
}

/* A quoted string ('...' or "...") without escapes; copies into buf. */
static int parse_string(struct hdr_parser *ps, char *buf, size_t buflen, const char *what)
{
	char q;
	size_t n = 0;
	int c = peek(ps);

	if (c != '\'' && c != '"')
		return fail(-EINVAL, ps->err, ps->errlen, ps->name,
			    "bad header: expected a quoted string for %s", what);
	q = (char)c;
	ps->p++;
	while (ps->p < ps->end && *ps->p != q) {
		unsigned char ch = (unsigned char)*ps->p;

		if (ch == '\\' || ch < 0x20 || ch >= 0x7f)
			return fail(-EINVAL, ps->err, ps->errlen, ps->name,
				    "bad header: unsupported character in string for %s", what);
		if (n + 1 >= buflen)
			return fail(-EINVAL, ps->err, ps->errlen, ps->name,
				    "bad header: string too long for %s", what);
		buf[n++] = (char)ch;
		ps->p++;
	}
	if (ps->p >= ps->end)
		return fail(-EINVAL, ps->err, ps->errlen, ps->name,
			    "bad header: unterminated string for %s", what);
	ps->p++;
	buf[n] = '\0';
	return 0;
}

static int is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static int parse_bool(struct hdr_parser *ps, int *out)
{
	const char *s;
	size_t n;

	skip_ws(ps);
	s = ps->p;
	while (ps->p < ps->end && is_ident_char(*ps->p))
		ps->p++;
	n = (size_t)(ps->p - s);
	if (n == 5 && !memcmp(s, "False", 5)) {
		*out = 0;
		return 0;
	}
	if (n == 4 && !memcmp(s, "True", 4)) {
		*out = 1;
		return 0;
	}
	return fail(-EINVAL, ps->err, ps->errlen, ps->name,
		    "bad header: fortran_order must be True or False");
}

static int parse_dim(struct hdr_parser *ps, uint64_t *out)
{
	uint64_t v = 0;
	const char *s;

	skip_ws(ps);
	if (ps->p < ps->end && (*ps->p == '-' || *ps->p == '+')) {
		if (*ps->p == '-')
			return fail(-EINVAL, ps->err, ps->errlen, ps->name,
				    "bad shape: negative dimension");
		return fail(-EINVAL, ps->err, ps->errlen, ps->name,
			    "bad shape: signed dimension");
	}
	s = ps->p;
	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
		unsigned int d = (unsigned int)(*ps->p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return fail(-EOVERFLOW, ps->err, ps->errlen, ps->name,
				    "bad shape: dimension does not fit in 64 bits");
		v = v * 10 + d;
		ps->p++;
	}
	if (ps->p == s)
		return fail(-EINVAL, ps->err, ps->errlen, ps->name,
			    "bad shape: expected a dimension (non-negative integer)");
	if (ps->p - s > 1 && *s == '0')
		return fail(-EINVAL, ps->err, ps->errlen, ps->name,
			    "bad shape: dimension with a leading zero");
	/* Python 2 era files write 3L. */
	if (ps->p < ps->end && (*ps->p == 'L' || *ps->p == 'l'))
		ps->p++;
	if (ps->p < ps->end && (is_ident_char(*ps->p) || *ps->p == '.'))
		return fail(-EINVAL, ps->err, ps->errlen, ps->name,
			    "bad shape: dimension is not an integer");
	*out = v;
	return 0;
}

/* "()" | "(d,)" | "(d, d [, d]* [,])": Python tuple literal syntax. */
static int parse_shape(struct hdr_parser *ps, struct npy_header *h)
{
	int ret, n = 0, c;

	ret = expect(ps, '(', "to open shape tuple");
	if (ret)
		return ret;
	if (peek(ps) == ')') {
		ps->p++;
		h->ndim = 0;
		return 0;
	}
	for (;;) {
		uint64_t d = 0;

		if (n == NPY_MAX_DIMS)
			return fail(-EINVAL, ps->err, ps->errlen, ps->name,
				    "bad shape: more than %d dimensions", NPY_MAX_DIMS);
		ret = parse_dim(ps, &d);
		if (ret)
			return ret;
		h->shape[n++] = d;
		c = peek(ps);
		if (c == ',') {
			ps->p++;
			if (peek(ps) == ')') {
				ps->p++;
				break;
			}
			continue;
		}
		if (c == ')') {
			if (n == 1)
				return fail(-EINVAL, ps->err, ps->errlen, ps->name,
					    "bad shape: '(d)' is not a tuple, write '(d,)'");
			ps->p++;
			break;
		}
		return fail(-EINVAL, ps->err, ps->errlen, ps->name,
			    "bad shape: expected ',' or ')' in shape tuple");
	}
	h->ndim = n;
	return 0;
}

static int parse_descr(struct hdr_parser *ps, struct npy_header *h)
{
	char buf[32];
	unsigned int i;
	int ret = parse_string(ps, buf, sizeof(buf), "descr");

	if (ret)
		return ret;
	for (i = 0; i < sizeof(dtype_names) / sizeof(dtype_names[0]); i++) {
		if (!strcmp(buf, dtype_names[i])) {
			h->dtype = (enum npy_dtype)i;
			return 0;
		}
	}
	return fail(-ENOTSUP, ps->err, ps->errlen, ps->name,
		    "unsupported dtype '%s' (supported: |i1 |u1 <i4 <f4)", buf);
}

enum { KEY_DESCR = 1, KEY_FORTRAN = 2, KEY_SHAPE = 4 };

static int parse_dict(struct hdr_parser *ps, struct npy_header *h)
{
	int seen = 0, ret, fortran = 0;
	char key[32];

	ret = expect(ps, '{', "at start of header dict");
	if (ret)
		return ret;
	for (;;) {
		int bit;

		if (peek(ps) == '}') {
			ps->p++;
			break;
		}
		ret = parse_string(ps, key, sizeof(key), "a dict key");
		if (ret)
			return ret;
		if (!strcmp(key, "descr"))
			bit = KEY_DESCR;
		else if (!strcmp(key, "fortran_order"))
			bit = KEY_FORTRAN;
		else if (!strcmp(key, "shape"))
			bit = KEY_SHAPE;
		else
			return fail(-EINVAL, ps->err, ps->errlen, ps->name,
				    "bad header: unknown key '%s'", key);
		if (seen & bit)
			return fail(-EINVAL, ps->err, ps->errlen, ps->name,
				    "bad header: duplicate key '%s'", key);
		seen |= bit;
		ret = expect(ps, ':', "after dict key");
		if (ret)
			return ret;
		if (bit == KEY_DESCR)
			ret = parse_descr(ps, h);
		else if (bit == KEY_FORTRAN)
			ret = parse_bool(ps, &fortran);
		else
			ret = parse_shape(ps, h);
		if (ret)
			return ret;
		if (peek(ps) == ',') {
			ps->p++;
			continue;
		}
		ret = expect(ps, '}', "to close header dict");
		if (ret)
			return ret;
		break;
	}
	if (seen != (KEY_DESCR | KEY_FORTRAN | KEY_SHAPE))
		return fail(-EINVAL, ps->err, ps->errlen, ps->name,
			    "bad header: missing key '%s'",
			    !(seen & KEY_DESCR) ? "descr" :
			    !(seen & KEY_FORTRAN) ? "fortran_order" : "shape");
	if (fortran)
		return fail(-ENOTSUP, ps->err, ps->errlen, ps->name,
			    "fortran_order True is not supported (C order only)");
	return 0;
}

/*
 * Checks the prefix and header of `buf` (at least the whole header must be
 * present) and fills h. Does not look at the data.
 */
static int parse_header(const uint8_t *buf, size_t len, const char *name, struct npy_header *h,
			char *err, size_t errlen)
{
	struct hdr_parser ps;
	size_t prefix, hlen;
	uint64_t count = 1;
	int i, ret;

	memset(h, 0, sizeof(*h));
	if (len == 0)
		return fail(-EINVAL, err, errlen, name, "empty file, not a .npy file");
	if (len < NPY_MAGIC_LEN)
		return fail(-EINVAL, err, errlen, name,
			    "file too short (%zu bytes) for the .npy magic", len);
	if (memcmp(buf, NPY_MAGIC, NPY_MAGIC_LEN))
		return fail(-EINVAL, err, errlen, name, "bad magic, not a .npy file");
	if (len < NPY_MAGIC_LEN + 2)
		return fail(-EINVAL, err, errlen, name, "truncated header: no version");
	if (buf[6] < 1 || buf[6] > 3 || buf[7] != 0)
		return fail(-ENOTSUP, err, errlen, name, "unsupported .npy version %u.%u",
			    buf[6], buf[7]);
	if (buf[6] == 1) {
		prefix = NPY_MAGIC_LEN + 2 + 2;
		if (len < prefix)
			return fail(-EINVAL, err, errlen, name,
				    "truncated header: no header length");
		hlen = (size_t)buf[8] | (size_t)buf[9] << 8;
	} else {
		prefix = NPY_MAGIC_LEN + 2 + 4;
		if (len < prefix)
			return fail(-EINVAL, err, errlen, name,
				    "truncated header: no header length");
		hlen = (size_t)buf[8] | (size_t)buf[9] << 8 | (size_t)buf[10] << 16 |
		       (size_t)buf[11] << 24;
	}
	if (hlen == 0)
		return fail(-EINVAL, err, errlen, name, "bad header: header length is 0");
	if (hlen > NPY_MAX_HEADER)
		return fail(-EINVAL, err, errlen, name,
			    "header length %zu exceeds the limit of %u bytes", hlen,
			    NPY_MAX_HEADER);
	if (hlen > len - prefix)
		return fail(-EINVAL, err, errlen, name,
			    "truncated header: header length %zu past end of file (%zu bytes)",
			    hlen, len);
	if (buf[prefix + hlen - 1] != '\n')
		return fail(-EINVAL, err, errlen, name,
			    "bad header: does not end with a newline");

	ps.p = (const char *)buf + prefix;
	ps.end = (const char *)buf + prefix + hlen;
	ps.name = name;
	ps.err = err;
	ps.errlen = errlen;
	ret = parse_dict(&ps, h);
	if (ret)
		return ret;
	skip_ws(&ps);
	if (ps.p != ps.end)
		return fail(-EINVAL, err, errlen, name,
			    "bad header: garbage after the header dict at offset %ld",
			    hdr_pos(&ps, (const char *)buf));

	for (i = 0; i < h->ndim; i++) {
		if (h->shape[i] && count > UINT64_MAX / h->shape[i])
			return fail(-EOVERFLOW, err, errlen, name,
				    "bad shape: element count overflows 64 bits");
		count *= h->shape[i];
	}
	if (count > SIZE_MAX / dtype_sizes[h->dtype])
		return fail(-EOVERFLOW, err, errlen, name,
			    "bad shape: data size overflows (%llu elements of %zu bytes)",
			    (unsigned long long)count, dtype_sizes[h->dtype]);
	h->count = count;
	h->nbytes = (size_t)count * dtype_sizes[h->dtype];
	h->data_offset = prefix + hlen;
	return 0;
}

static int check_data_size(const struct npy_header *h, size_t len, const char *name, char *err,
			   size_t errlen)
{
	size_t have = len - h->data_offset;

	if (have < h->nbytes)
		return fail(-EINVAL, err, errlen, name,
			    "truncated data: header says %zu bytes, file has %zu", h->nbytes, have);
	if (have > h->nbytes)
		return fail(-EINVAL, err, errlen, name,
			    "trailing bytes: header says %zu bytes of data, file has %zu",
			    h->nbytes, have);
	return 0;
}

static void fill_array(struct npy_array *arr, const struct npy_header *h, void *data)
{
	int i;

	memset(arr, 0, sizeof(*arr));
	arr->dtype = h->dtype;
	arr->ndim = h->ndim;
	for (i = 0; i < h->ndim; i++)
		arr->shape[i] = h->shape[i];
	arr->count = h->count;
	arr->nbytes = h->nbytes;
	arr->data = data;
}

int npy_parse(const void *buf, size_t len, const char *name, struct npy_array *arr, char *err,
	      size_t errlen)
{
	struct npy_header h;
	void *data;
	int ret;

	if (!arr)
		return fail(-EINVAL, err, errlen, name, "no output array");
	memset(arr, 0, sizeof(*arr));
	if (!buf && len)
		return fail(-EINVAL, err, errlen, name, "no input buffer");
	ret = parse_header(buf, len, name, &h, err, errlen);
	if (ret)
		return ret;
	ret = check_data_size(&h, len, name, err, errlen);
	if (ret)
		return ret;
	data = malloc(h.nbytes ? h.nbytes : 1);
	if (!data)
		return fail(-ENOMEM, err, errlen, name, "out of memory for %zu bytes", h.nbytes);
	if (h.nbytes)
		memcpy(data, (const uint8_t *)buf + h.data_offset, h.nbytes);
	fill_array(arr, &h, data);
	return 0;
}

/* ---- file I/O ----------------------------------------------------------- */

/* Reads the whole of fd, at most `cap` bytes (more is -EFBIG). */
static int read_all(int fd, size_t hint, size_t cap, uint8_t **out, size_t *out_len,
		    const char *name, char *err, size_t errlen)
{
	size_t size = hint ? hint + 1 : 4096, len = 0;
	uint8_t *buf;

	if (size > cap + 1)
		size = cap + 1;
	buf = malloc(size);
	if (!buf)
		return fail(-ENOMEM, err, errlen, name, "out of memory reading the file");
	for (;;) {
		ssize_t n;

		if (len == size) {
			size_t nsize;
			uint8_t *nbuf;

			if (size > cap) {
				free(buf);
				return fail(-EFBIG, err, errlen, name,
					    "file larger than the limit of %zu bytes", cap);
			}
			nsize = size > cap / 2 ? cap + 1 : size * 2;
			nbuf = realloc(buf, nsize);
			if (!nbuf) {
				free(buf);
				return fail(-ENOMEM, err, errlen, name,
					    "out of memory reading the file");
			}
			buf = nbuf;
			size = nsize;
		}
		n = read(fd, buf + len, size - len);
		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			return fail(-e, err, errlen, name, "read failed: %s", strerror(e));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > cap) {
		free(buf);
		return fail(-EFBIG, err, errlen, name, "file larger than the limit of %zu bytes",
			    cap);
	}
	*out = buf;
	*out_len = len;
	return 0;
}

int npy_load(const char *path, struct npy_array *arr, char *err, size_t errlen)
{
	struct npy_header h;
	struct stat st;
	uint8_t *buf = NULL;
	size_t len = 0, cap, hint = 0;
	void *data;
	int fd, ret;

	if (!arr)
		return fail(-EINVAL, err, errlen, path, "no output array");
	memset(arr, 0, sizeof(*arr));
	if (!path)
		return fail(-EINVAL, err, errlen, "(null)", "no file name");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		return fail(-e, err, errlen, path, "cannot open: %s", strerror(e));
	}
	if (fstat(fd, &st)) {
		int e = errno;

		close(fd);
		return fail(-e, err, errlen, path, "cannot stat: %s", strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return fail(-EISDIR, err, errlen, path, "is a directory");
	}
	if (S_ISREG(st.st_mode)) {
		if ((uint64_t)st.st_size >= SIZE_MAX / 2) {
			close(fd);
			return fail(-EFBIG, err, errlen, path, "file too large");
		}
		/* A file that grows while we read it is caught by the cap. */
		hint = (size_t)st.st_size;
		cap = hint;
	} else {
		cap = NPY_MAX_STREAM;
	}
	ret = read_all(fd, hint, cap, &buf, &len, path, err, errlen);
	close(fd);
	if (ret)
		return ret;
	ret = parse_header(buf, len, path, &h, err, errlen);
	if (!ret)
		ret = check_data_size(&h, len, path, err, errlen);
	if (ret) {
		free(buf);
		return ret;
	}
	/* Move the data to the front and keep the allocation. */
	if (h.nbytes)
		memmove(buf, buf + h.data_offset, h.nbytes);
	data = realloc(buf, h.nbytes ? h.nbytes : 1);
	if (!data)
		data = buf;
	fill_array(arr, &h, data);
	return 0;
}

/* ---- writer ------------------------------------------------------------- */

static int write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

int npy_save(const char *path, enum npy_dtype dtype, int ndim, const uint64_t *shape,
	     const void *data, char *err, size_t errlen)
{
	/* Largest dict: 3 keys + 8 dims of 20 digits + growth padding: < 512. */
	char dict[512];
	uint8_t prefix[12];
	size_t dlen, plen, hlen, pad, total, nbytes;
	uint64_t count = 1;
	int n, i, fd, ret;
	char *hdr;

	if (!path)
		return fail(-EINVAL, err, errlen, "(null)", "no file name");
	if ((unsigned int)dtype >= sizeof(dtype_sizes) / sizeof(dtype_sizes[0]))
		return fail(-EINVAL, err, errlen, path, "bad dtype %d", (int)dtype);
	if (ndim < 0 || ndim > NPY_MAX_DIMS || (ndim && !shape))
		return fail(-EINVAL, err, errlen, path, "bad rank %d", ndim);
	for (i = 0; i < ndim; i++) {
		if (shape[i] && count > UINT64_MAX / shape[i])
			return fail(-EOVERFLOW, err, errlen, path, "element count overflows");
		count *= shape[i];
	}
	if (count > SIZE_MAX / dtype_sizes[dtype])
		return fail(-EOVERFLOW, err, errlen, path, "data size overflows");
	nbytes = (size_t)count * dtype_sizes[dtype];
	if (nbytes && !data)
		return fail(-EINVAL, err, errlen, path, "no data");

	/* Same bytes as numpy.save: sorted keys, repr() of the shape tuple. */
	n = snprintf(dict, sizeof(dict), "{'descr': '%s', 'fortran_order': False, 'shape': (",
		     dtype_names[dtype]);
	dlen = (size_t)n;
	for (i = 0; i < ndim; i++) {
		n = snprintf(dict + dlen, sizeof(dict) - dlen, "%s%llu%s", i ? ", " : "",
			     (unsigned long long)shape[i], ndim == 1 ? "," : "");
		dlen += (size_t)n;
	}
	n = snprintf(dict + dlen, sizeof(dict) - dlen, "), }");
	dlen += (size_t)n;
	/* numpy leaves room for the first axis to grow to 21 digits. */
	if (ndim > 0) {
		char d0[24];
		int l0 = snprintf(d0, sizeof(d0), "%llu", (unsigned long long)shape[0]);

		for (i = l0; i < 21; i++)
			dict[dlen++] = ' ';
	}

	plen = NPY_MAGIC_LEN + 2 + 2;
	hlen = dlen + 1;
	pad = NPY_ALIGN - ((plen + hlen) % NPY_ALIGN);
	if (hlen + pad > 0xffff) {
		plen = NPY_MAGIC_LEN + 2 + 4;
		pad = NPY_ALIGN - ((plen + hlen) % NPY_ALIGN);
	}
	total = plen + hlen + pad;
	hdr = malloc(total);
	if (!hdr)
		return fail(-ENOMEM, err, errlen, path, "out of memory");
	memcpy(prefix, NPY_MAGIC, NPY_MAGIC_LEN);
	prefix[6] = plen == 10 ? 1 : 2;
	prefix[7] = 0;
	hlen += pad;
	prefix[8] = (uint8_t)hlen;
	prefix[9] = (uint8_t)(hlen >> 8);
	prefix[10] = (uint8_t)(hlen >> 16);
	prefix[11] = (uint8_t)(hlen >> 24);
	memcpy(hdr, prefix, plen);
	memcpy(hdr + plen, dict, dlen);
	memset(hdr + plen + dlen, ' ', pad);
	hdr[total - 1] = '\n';

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		int e = errno;

		free(hdr);
		return fail(-e, err, errlen, path, "cannot create: %s", strerror(e));
	}
	ret = write_all(fd, hdr, total);
	free(hdr);
	if (!ret && nbytes)
		ret = write_all(fd, data, nbytes);
	if (close(fd) && !ret)
		ret = -errno;
	if (ret)
		return fail(ret, err, errlen, path, "write failed: %s", strerror(-ret));
	return 0;
}
