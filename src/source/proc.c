#include "source/proc.h"

#include <endian.h>
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

/* A row is decoded left to right where it stands: each of the ten fields tcpdoc
 * reads is checked by its own decoder, which also finds where the field ends, so
 * the row is never split into fields first (splitting it byte by byte cost more
 * than all the decoding). The fields after the inode are only counted. */
struct cursor {
	const uint8_t *p, *end;
};

/* Field separators: space, tab and CR (a CRLF file). */
static const uint8_t sep_table[256] = {[' '] = 1, ['\t'] = 1, ['\r'] = 1};

/* Skip the separators before a field; 0 when the row ends there instead. */
static inline int field_start(struct cursor *c)
{
	while (c->p < c->end && sep_table[*c->p])
		c->p++;
	return c->p < c->end;
}

/* A field ends at a separator or at the end of the row, never inside a word. */
static inline int field_end(const struct cursor *c)
{
	return c->p == c->end || sep_table[*c->p];
}

static inline int take(struct cursor *c, uint8_t ch)
{
	if (c->p == c->end || *c->p != ch)
		return 0;
	c->p++;
	return 1;
}

/* Word-at-a-time byte tests (SWAR). The row is read 8 bytes at a time as a
 * little-endian word, so byte i of the word is the i-th character; each test
 * leaves the high bit set in every byte that passes and clears all else. */
#define BYTES(b) (0x0101010101010101ull * (uint8_t)(b))

static inline uint64_t load8(const uint8_t *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
	return le64toh(x);
}

/* Bytes b with lo < b < hi (lo and hi at most 128; bytes from 128 up never pass):
 * neither sum nor difference can carry into the next byte. */
static inline uint64_t bytes_between(uint64_t x, unsigned lo, unsigned hi)
{
	uint64_t low7 = x & BYTES(0x7f);

	return (BYTES(127 + hi) - low7) & ~x & (low7 + BYTES(127 - lo)) & BYTES(0x80);
}

static inline uint64_t bytes_equal(uint64_t x, uint8_t b)
{
	return bytes_between(x, b - 1u, b + 1u);
}

/* Eight hex digits, the first the most significant: -1 unless all are digits. */
static inline __attribute__((always_inline)) int hex8(uint64_t x, uint32_t *v)
{
	uint64_t digit = bytes_between(x, '0' - 1, '9' + 1);
	uint64_t letter = bytes_between(x | BYTES(0x20), 'a' - 1, 'f' + 1); /* A-F, a-f */

	if ((digit | letter) != BYTES(0x80))
		return -1;
	x = (x & BYTES(0x0f)) + (letter >> 7) * 9;	    /* each byte: its digit's value */
	x = ((x << 4) | (x >> 8)) & 0x00ff00ff00ff00ffull;  /* two digits per 16 bits */
	x = ((x << 8) | (x >> 16)) & 0x0000ffff0000ffffull; /* four per 32 bits */
	*v = (uint32_t)((x << 16) | (x >> 32));
	return 0;
}

/* Exactly n (<= 8) hex digits at p: they fill the end of a word of '0's. */
static inline __attribute__((always_inline)) int hex_word(const uint8_t *p, size_t n, uint32_t *v)
{
	uint8_t word[8];

	memset(word, '0', 8 - n);
	memcpy(word + 8 - n, p, n);
	return hex8(load8(word), v);
}

static inline int hex_exact(struct cursor *c, size_t n, uint32_t *v)
{
	if ((size_t)(c->end - c->p) < n || hex_word(c->p, n, v))
		return -1;
	c->p += n;
	return 0;
}

static inline int hex_digit(uint8_t ch)
{
	if ((unsigned)(ch - '0') < 10)
		return ch - '0';
	ch |= 0x20;
	if ((unsigned)(ch - 'a') < 6)
		return ch - 'a' + 10;
	return -1;
}

/* A run of 1..max hex digits (max <= 16). The kernel prints runs of 8, which
 * take one word; any other length is read digit by digit. */
static inline int hex_run(struct cursor *c, size_t max, uint64_t *v)
{
	const uint8_t *s = c->p;
	uint64_t x = 0;
	uint32_t w;
	int d;

	if (c->end - c->p >= 8 && hex8(load8(c->p), &w) == 0) {
		x = w;
		c->p += 8;
	}
	while (c->p < c->end && (d = hex_digit(*c->p)) >= 0) {
		x = (x << 4) | (unsigned)d;
		c->p++;
	}
	if (c->p == s || (size_t)(c->p - s) > max)
		return -1;
	*v = x;
	return 0;
}

/* "HHHH:HHHH": two runs of 1..8 hex digits. */
static inline int hex_pair(struct cursor *c, uint64_t *a, uint64_t *b)
{
	return hex_run(c, 8, a) || !take(c, ':') || hex_run(c, 8, b) ? -1 : 0;
}

/* A run of 1..20 decimal digits that fits in 64 bits. */
static inline int dec_run(struct cursor *c, uint64_t *v)
{
	const uint8_t *s = c->p;
	uint64_t x = 0;

	while (c->p < c->end && (unsigned)(*c->p - '0') < 10)
		x = x * 10 + (unsigned)(*c->p++ - '0');
	if (c->p == s || c->p - s > 20)
		return -1;
	if (c->p - s == 20) /* only 20 digits can overflow: check them the slow way */
		return num_parse_u64((const char *)s, 20, UINT64_MAX, v);
	*v = x;
	return 0;
}

/* A run of decimal digits after an optional '-': its magnitude. */
static inline int dec_magnitude(struct cursor *c, uint64_t *v)
{
	take(c, '-');
	return dec_run(c, v);
}

/* ADDR:PORT where ADDR is 8 (IPv4) or 32 (IPv6) hex digits, each 32-bit word
 * printed as a host-order integer: decode each word and store it back as is. */
static inline int endpoint(struct cursor *c, int family, uint8_t *addr, uint16_t *port)
{
	size_t words = family == AF_INET ? 1 : 4;
	uint32_t v;

	for (size_t w = 0; w < words; w++) {
		if (hex_exact(c, 8, &v))
			return -1;
		memcpy(addr + w * 4, &v, 4);
	}
	if (!take(c, ':') || hex_exact(c, 4, &v))
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* The separators of sep_table, a word at a time. */
static inline uint64_t bytes_sep(uint64_t x)
{
	return bytes_equal(x, ' ') | bytes_equal(x, '\t') | bytes_equal(x, '\r');
}

/* How many fields start in [p, end), which follows a separator: a field starts
 * at each non-separator whose previous byte is one. */
static size_t count_fields(const uint8_t *p, const uint8_t *end)
{
	uint64_t prev = BYTES(0x80), starts; /* the byte before p is a separator */
	size_t n = 0;

	while (p < end) {
		uint8_t tail[8];
		uint64_t x, sep;

		if (end - p >= 8) {
			x = load8(p);
			p += 8;
		} else { /* the last bytes, padded with blanks, which start nothing */
			memset(tail, ' ', 8);
			memcpy(tail, p, (size_t)(end - p));
			x = load8(tail);
			p = end;
		}
		sep = bytes_sep(x);
		starts = ~sep & ((sep << 8) | (prev >> 56)) & BYTES(0x80);
		n += ((starts >> 7) * BYTES(1)) >> 56; /* adds up the bytes' flags */
		prev = sep;
	}
	return n;
}

/* Whether [p, end), the rest of a row after its inode, holds more fields than
 * a row may have there. k fields take at least 2k - 1 bytes, so a rest shorter
 * than that is not counted: every kernel row's, once the blanks tcp4 pads its
 * rows with are off the end. */
static int too_many_after_inode(const uint8_t *p, const uint8_t *end)
{
	const size_t too_many = PROC_FIELDS_MAX - PROC_FIELDS_MIN + 1;

	while (end - p >= 8 && load8(end - 8) == BYTES(' '))
		end -= 8;
	while (end > p && end[-1] == ' ')
		end--;
	if ((size_t)(end - p) < 2 * too_many - 1)
		return 0;
	return count_fields(p, end) >= too_many;
}

/* The fields from the state to the retransmit count, as either reading below
 * finds them. */
struct fixed_fields {
	uint32_t state, txq, rxq, timer, when, retrans;
};

/* The kernel prints the fields from the local address to the retransmit count
 * with fixed widths, one blank apart: " %08X:%04X %08X:%04X %02X %08X:%08X
 * %02X:%08lX %08X " after the slot, with 32-digit addresses in tcp6. A row of
 * exactly that shape is read at fixed offsets here, with no search for where
 * fields end; any other row (more blanks, shorter runs, or a bad field) is left
 * to the field-by-field decoders, which then also say what is wrong. Both read
 * a row the same way: the unit tests and fuzz_proc_line hold them to a third,
 * plain reading (tests/fuzz/proc_ref.h). Returns the bytes read, or 0 (also
 * for a state or timer kind out of range). */
static int fixed_widths(const uint8_t *p, size_t avail, int family, struct tc_sock *sk,
			struct fixed_fields *f)
{
	/* where each field starts; p[0] is the separator that ended the slot */
	const size_t A = family == AF_INET ? 8 : 32; /* address digits */
	const size_t L = 1;			     /* local address, ':', 4-digit port */
	const size_t R = L + A + 6;		     /* remote address, ':', port */
	const size_t S = R + A + 6;		     /* state, 2 digits */
	const size_t Q = S + 3;			     /* tx_queue:rx_queue, 8 digits each */
	const size_t T = Q + 18;		     /* timer kind, 2 digits, ':', 8 of ticks */
	const size_t X = T + 12;		     /* retransmits, 8 digits */
	uint32_t w, port[2];

	if (avail < X + 9 || p[L + A] != ':' || p[L + A + 5] != ' ' || p[R + A] != ':' ||
	    p[R + A + 5] != ' ' || p[S + 2] != ' ' || p[Q + 8] != ':' || p[Q + 17] != ' ' ||
	    p[T + 2] != ':' || p[T + 11] != ' ' || !sep_table[p[X + 8]])
		return 0;
	for (size_t i = 0; i < A / 8; i++) {
		if (hex8(load8(p + L + 8 * i), &w))
			return 0;
		memcpy(sk->src + 4 * i, &w, 4);
		if (hex8(load8(p + R + 8 * i), &w))
			return 0;
		memcpy(sk->dst + 4 * i, &w, 4);
	}
	if (hex_word(p + L + A + 1, 4, &port[0]) || hex_word(p + R + A + 1, 4, &port[1]) ||
	    hex_word(p + S, 2, &f->state) || hex8(load8(p + Q), &f->txq) ||
	    hex8(load8(p + Q + 9), &f->rxq) || hex_word(p + T, 2, &f->timer) ||
	    hex8(load8(p + T + 3), &f->when) || hex8(load8(p + X), &f->retrans))
		return 0;
	if (f->state < 1 || f->state > TC_NSTATES || f->timer > TC_TIMER_MAX)
		return 0; /* free_widths names the field */
	sk->sport = (uint16_t)port[0];
	sk->dport = (uint16_t)port[1];
	return (int)(X + 8);
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

static int bad(const char **why, const char *what)
{
	*why = what;
	return -EINVAL;
}

/* The fields from the local address to the retransmit count, field by field.
 * A row that ends before one of them is named by proc_parse_line. */
static int free_widths(struct cursor *c, int family, struct tc_sock *sk, struct fixed_fields *f,
		       const char **why)
{
	uint64_t a, b, v;

	if (!field_start(c) || endpoint(c, family, sk->src, &sk->sport) || !field_end(c))
		return bad(why, "bad local address");
	if (!field_start(c) || endpoint(c, family, sk->dst, &sk->dport) || !field_end(c))
		return bad(why, "bad remote address");
	if (!field_start(c) || hex_exact(c, 2, &f->state) || !field_end(c) || f->state < 1 ||
	    f->state > TC_NSTATES)
		return bad(why, "bad state");
	if (!field_start(c) || hex_pair(c, &a, &b) || !field_end(c))
		return bad(why, "bad queues");
	f->txq = (uint32_t)a;
	f->rxq = (uint32_t)b;
	if (!field_start(c) || hex_pair(c, &a, &b) || !field_end(c) || a > TC_TIMER_MAX)
		return bad(why, "bad timer");
	f->timer = (uint32_t)a;
	f->when = (uint32_t)b;
	if (!field_start(c) || hex_run(c, 16, &v) || !field_end(c) || v > 0xffffffffu)
		return bad(why, "bad retransmit count");
	f->retrans = (uint32_t)v;
	return 0;
}

static int decode_row(const char *line, size_t len, int family, struct tc_sock *sk,
		      const char **why)
{
	struct cursor c = {(const uint8_t *)line, (const uint8_t *)line + len};
	struct fixed_fields f;
	uint64_t v;
	int n;

	memset(sk, 0, sizeof(*sk));
	sk->family = (uint8_t)family;

	/* "sl:" is a decimal slot number and a colon */
	if (!field_start(&c) || dec_run(&c, &v) || !take(&c, ':') || !field_end(&c))
		return bad(why, "bad slot number");
	n = fixed_widths(c.p, (size_t)(c.end - c.p), family, sk, &f);
	if (n > 0)
		c.p += n;
	else if (free_widths(&c, family, sk, &f, why))
		return -EINVAL;
	sk->state = (uint8_t)f.state;
	sk->rqueue = f.rxq;
	/* Send-Q as ss shows it: tx_queue, the unacked count. For LISTEN ss shows
	 * the backlog, which /proc lacks, so it stays 0 there. */
	if (sk->state != TC_STATE_LISTEN)
		sk->wqueue = f.txq;
	sk->timer = (uint8_t)f.timer;
	sk->expires_ms = (uint64_t)f.when * 1000 / user_hz();
	sk->retrans = f.retrans > 255 ? 255 : (uint8_t)f.retrans;

	if (!field_start(&c) || dec_run(&c, &v) || !field_end(&c) || v > 0xffffffffu)
		return bad(why, "bad uid");
	sk->uid = (uint32_t)v;
	sk->have |= TC_HAVE_UID;
	/* timeout: unanswered probes (a signed int in the kernel) */
	if (!field_start(&c) || dec_magnitude(&c, &v) || !field_end(&c))
		return bad(why, "bad timeout");
	sk->probes = v > 255 ? 255 : (uint8_t)v;
	if (!field_start(&c) || dec_run(&c, &v) || !field_end(&c))
		return bad(why, "bad inode");
	sk->inode = v;
	if (too_many_after_inode(c.p, c.end))
		return bad(why, "too many fields");

	/* In timewait rows the timer retransmit field carries nothing useful. */
	if (sk->state == TC_STATE_TIME_WAIT || sk->timer == TC_TIMER_TIMEWAIT)
		sk->retrans = 0;
	if (sk->timer == TC_TIMER_KEEPALIVE || sk->timer == TC_TIMER_PROBE)
		sk->retrans = sk->probes;
	return 0;
}

int proc_parse_line(const char *line, size_t len, int family, struct tc_sock *sk, const char **why)
{
	const uint8_t *p = (const uint8_t *)line;
	size_t n;

	if (decode_row(line, len, family, sk, why) == 0)
		return 0;
	/* A row with too few or too many fields is called that, whichever field
	 * the decoders stopped at: it is likely no row of this table at all. */
	n = count_fields(p, p + len);
	if (n < PROC_FIELDS_MIN)
		*why = "too few fields";
	else if (n > PROC_FIELDS_MAX)
		*why = "too many fields";
	return -EINVAL;
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
	struct cursor c = {(const uint8_t *)p, (const uint8_t *)p + n};

	return !field_start(&c);
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
