#include "source/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "model/state.h"
#include "util/io.h"
#include "util/num.h"

#define PROC_LINE_MAX 4096
#define PROC_READ_BUF (256 * 1024) /* large reads: the file is re-seeked between reads */
#define PROC_FIELDS_MIN 10	   /* sl local rem st queues timer retrnsmt uid timeout inode */
#define PROC_FIELDS_MAX 32

struct field {
	const char *p;
	size_t n;
};

/* Hex digit values, 0 for every other byte (hex_valid below says which are digits). */
static const uint8_t hex_table[256] = {
    ['0'] = 0,	['1'] = 1,  ['2'] = 2,	['3'] = 3,  ['4'] = 4,	['5'] = 5,  ['6'] = 6,	['7'] = 7,
    ['8'] = 8,	['9'] = 9,  ['a'] = 10, ['b'] = 11, ['c'] = 12, ['d'] = 13, ['e'] = 14, ['f'] = 15,
    ['A'] = 10, ['B'] = 11, ['C'] = 12, ['D'] = 13, ['E'] = 14, ['F'] = 15,
};
static uint8_t hex_valid[256]; /* 1 for a hex digit; filled once */

static void hex_init(void)
{
	static int done;

	if (done)
		return;
	for (const char *d = "0123456789abcdefABCDEF"; *d; d++)
		hex_valid[(uint8_t)*d] = 1;
	done = 1;
}

/* Exactly n hex digits (1..16) into *v. */
static int hex_n(const char *p, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	unsigned bad = 0;

	if (n == 0 || n > 16)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)p[i];

		bad |= hex_valid[c] ^ 1u;
		x = (x << 4) | hex_table[c];
	}
	if (bad)
		return -1;
	*v = x;
	return 0;
}

static int dec_n(const char *p, size_t n, uint64_t *v)
{
	return n > 20 ? -1 : num_parse_u64(p, n, UINT64_MAX, v);
}

/* "HHHH:HHHH" with two hex numbers of up to `max` digits each. */
static int hex_pair(const struct field *f, size_t max, uint64_t *a, uint64_t *b)
{
	const char *colon = memchr(f->p, ':', f->n);
	size_t n1, n2;

	if (!colon)
		return -1;
	n1 = (size_t)(colon - f->p);
	n2 = f->n - n1 - 1;
	if (n1 > max || n2 > max)
		return -1;
	return hex_n(f->p, n1, a) || hex_n(colon + 1, n2, b) ? -1 : 0;
}

/* ADDR:PORT where ADDR is 8 (IPv4) or 32 (IPv6) hex digits, each 32-bit word
 * printed as a host-order integer: decode each word and store it back as is. */
static int parse_endpoint(const struct field *f, int family, uint8_t *addr, uint16_t *port)
{
	size_t alen = family == AF_INET ? 8 : 32;
	uint64_t v;

	if (f->n != alen + 5 || f->p[alen] != ':')
		return -1;
	for (size_t w = 0; w < alen / 8; w++) {
		uint32_t word;

		if (hex_n(f->p + w * 8, 8, &v))
			return -1;
		word = (uint32_t)v;
		memcpy(addr + w * 4, &word, 4);
	}
	if (hex_n(f->p + alen + 1, 4, &v))
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* Ticks per second of tm->when (USER_HZ). */
static uint64_t user_hz(void)
{
	static uint64_t hz;

	if (!hz) {
		long v = sysconf(_SC_CLK_TCK);

		hz = v > 0 ? (uint64_t)v : 100;
	}
	return hz;
}

/* Field separators: space, tab and CR (a CRLF file). */
static const uint8_t sep_table[256] = {[' '] = 1, ['\t'] = 1, ['\r'] = 1};

static size_t split(const char *line, size_t len, struct field *fv, size_t max)
{
	const uint8_t *p = (const uint8_t *)line, *end = p + len;
	size_t n = 0;

	for (;;) {
		while (p < end && sep_table[*p])
			p++;
		if (p == end)
			break;
		if (n == max)
			return max + 1;
		fv[n].p = (const char *)p;
		while (p < end && !sep_table[*p])
			p++;
		fv[n].n = (size_t)((const char *)p - fv[n].p);
		n++;
	}
	return n;
}

int proc_parse_line(const char *line, size_t len, int family, struct tc_sock *sk, const char **why)
{
	struct field fv[PROC_FIELDS_MAX];
	size_t n;
	uint64_t a, b, v;

	hex_init();
	n = split(line, len, fv, PROC_FIELDS_MAX);

	memset(sk, 0, sizeof(*sk));
	sk->family = (uint8_t)family;
	if (n < PROC_FIELDS_MIN || n > PROC_FIELDS_MAX) {
		*why = n > PROC_FIELDS_MAX ? "too many fields" : "too few fields";
		return -EINVAL;
	}
	/* "sl:" is a decimal slot number and a colon */
	if (fv[0].n < 2 || fv[0].p[fv[0].n - 1] != ':' || dec_n(fv[0].p, fv[0].n - 1, &v)) {
		*why = "bad slot number";
		return -EINVAL;
	}
	if (parse_endpoint(&fv[1], family, sk->src, &sk->sport)) {
		*why = "bad local address";
		return -EINVAL;
	}
	if (parse_endpoint(&fv[2], family, sk->dst, &sk->dport)) {
		*why = "bad remote address";
		return -EINVAL;
	}
	if (fv[3].n != 2 || hex_n(fv[3].p, 2, &v) || v < 1 || v > TC_NSTATES) {
		*why = "bad state";
		return -EINVAL;
	}
	sk->state = (uint8_t)v;
	if (hex_pair(&fv[4], 8, &a, &b)) {
		*why = "bad queues";
		return -EINVAL;
	}
	sk->wqueue = 0; /* tx_queue is the unacked count; the backlog is not in /proc */
	sk->rqueue = (uint32_t)b;
	/* Send-Q as ss shows it: tx_queue; for LISTEN ss shows the backlog, which
	 * /proc lacks, so it stays 0 there. */
	if (sk->state != TC_STATE_LISTEN)
		sk->wqueue = (uint32_t)a;
	if (hex_pair(&fv[5], 8, &a, &b) || a > TC_TIMER_MAX) {
		*why = "bad timer";
		return -EINVAL;
	}
	sk->timer = (uint8_t)a;
	sk->expires_ms = b * 1000 / user_hz();
	if (hex_n(fv[6].p, fv[6].n, &v) || v > 0xffffffffu) {
		*why = "bad retransmit count";
		return -EINVAL;
	}
	sk->retrans = v > 255 ? 255 : (uint8_t)v;
	if (dec_n(fv[7].p, fv[7].n, &v) || v > 0xffffffffu) {
		*why = "bad uid";
		return -EINVAL;
	}
	sk->uid = (uint32_t)v;
	sk->have |= TC_HAVE_UID;
	/* timeout: unanswered probes (a signed int in the kernel) */
	if (dec_n(fv[8].p, fv[8].n, &v) &&
	    !(fv[8].n > 1 && fv[8].p[0] == '-' && dec_n(fv[8].p + 1, fv[8].n - 1, &v) == 0)) {
		*why = "bad timeout";
		return -EINVAL;
	}
	sk->probes = v > 255 ? 255 : (uint8_t)v;
	if (dec_n(fv[9].p, fv[9].n, &v)) {
		*why = "bad inode";
		return -EINVAL;
	}
	sk->inode = v;
	/* In timewait rows the timer retransmit field carries nothing useful. */
	if (sk->state == TC_STATE_TIME_WAIT || sk->timer == TC_TIMER_TIMEWAIT)
		sk->retrans = 0;
	if (sk->timer == TC_TIMER_KEEPALIVE || sk->timer == TC_TIMER_PROBE)
		sk->retrans = sk->probes;
	return 0;
}

struct proc_reader {
	int fd;
	char *buf;
	size_t len, off;
	int eof;
};

/* Next line (without newline) or NULL at the end; *toolong set when a line
 * exceeds PROC_LINE_MAX. The last line may lack its newline. */
static const char *reader_line(struct proc_reader *r, size_t *n, int *err)
{
	ssize_t got;

	for (;;) {
		char *start = r->buf + r->off;
		char *nl = memchr(start, '\n', r->len - r->off);

		if (nl) {
			*n = (size_t)(nl - start);
			r->off += *n + 1;
			if (*n > PROC_LINE_MAX) {
				*err = -E2BIG;
				return NULL;
			}
			return start;
		}
		if (r->eof) {
			if (r->off < r->len) {
				*n = r->len - r->off;
				r->off = r->len;
				if (*n > PROC_LINE_MAX) {
					*err = -E2BIG;
					return NULL;
				}
				return start;
			}
			return NULL;
		}
		if (r->len - r->off > PROC_LINE_MAX) {
			*err = -E2BIG;
			return NULL;
		}
		memmove(r->buf, start, r->len - r->off);
		r->len -= r->off;
		r->off = 0;
		got = io_read(r->fd, r->buf + r->len, PROC_READ_BUF - r->len);
		if (got < 0) {
			*err = -errno;
			return NULL;
		}
		if (got == 0)
			r->eof = 1;
		r->len += (size_t)got;
	}
}

static int line_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

int proc_walk_file(const char *path, int family, const struct tc_filter *f, tc_sock_cb cb,
		   void *arg, struct tc_err *err)
{
	static char buf[PROC_READ_BUF];
	struct proc_reader r = {.buf = buf};
	struct tc_sock sk;
	unsigned long lineno = 0;
	const char *line;
	size_t n;
	int rc = 0, ret = 1;

	r.fd = io_open(path, O_RDONLY | O_CLOEXEC);
	if (r.fd < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		return tc_err_set(err, errno, "cannot open %s: %s", path, strerror(errno));
	}
	while ((line = reader_line(&r, &n, &rc)) != NULL) {
		const char *why = NULL;

		lineno++;
		if (memchr(line, '\0', n)) {
			ret = tc_err_set(err, EINVAL, "%s:%lu: binary data in a text table", path,
					 lineno);
			break;
		}
		/* Line 1 is the kernel's column header. */
		if (lineno == 1 || line_blank(line, n))
			continue;
		if (proc_parse_line(line, n, family, &sk, &why) < 0) {
			ret = tc_err_set(err, EINVAL, "%s:%lu: bad row: %s", path, lineno, why);
			break;
		}
		if (f && !filter_match(f, &sk))
			continue;
		ret = cb(&sk, arg);
		if (ret <= 0)
			break;
	}
	if (rc == -E2BIG)
		ret = tc_err_set(err, E2BIG, "%s:%lu: line longer than %d bytes", path, lineno + 1,
				 PROC_LINE_MAX);
	else if (rc < 0)
		ret = tc_err_set(err, -rc, "cannot read %s: %s", path, strerror(-rc));
	close(r.fd);
	return ret < 0 ? ret : ret > 0;
}

int proc_walk(const char *dir, const struct tc_filter *f, tc_sock_cb cb, void *arg,
	      struct tc_err *err)
{
	char path[4096];
	int r;

	if (!f || f->family != AF_INET6) {
		snprintf(path, sizeof(path), "%s/net/tcp", dir);
		r = proc_walk_file(path, AF_INET, f, cb, arg, err);
		if (r == -ENOENT)
			return tc_err_set(err, ENOENT, "cannot open %s: %s", path,
					  strerror(ENOENT));
		if (r <= 0)
			return r;
	}
	if (!f || f->family != AF_INET) {
		snprintf(path, sizeof(path), "%s/net/tcp6", dir);
		r = proc_walk_file(path, AF_INET6, f, cb, arg, err);
		if (r == -ENOENT) /* no tcp6: IPv6 is disabled */
			return 1;
		return r;
	}
	return 1;
}
