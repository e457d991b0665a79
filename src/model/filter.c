#include "model/filter.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "model/state.h"
#include "util/num.h"

/* A port or prefix length: at most 10 digits, within max. */
static int parse_uint(const char *s, size_t n, unsigned long max, unsigned long *out)
{
	uint64_t v;

	if (n > 10 || num_parse_u64(s, n, max, &v) < 0)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

int filter_parse_ports(const char *s, struct tc_port_range *r, struct tc_err *err)
{
	const char *dash = strchr(s, '-');
	unsigned long lo, hi;

	if (dash) {
		if (parse_uint(s, (size_t)(dash - s), 65535, &lo) ||
		    parse_uint(dash + 1, strlen(dash + 1), 65535, &hi))
			return tc_err_usage(
			    err, "bad port range '%.64s' (want PORT or LO-HI, 0-65535)", s);
		if (lo > hi)
			return tc_err_usage(err, "bad port range '%.64s': %lu is above %lu", s, lo,
					    hi);
	} else {
		if (parse_uint(s, strlen(s), 65535, &lo))
			return tc_err_usage(err,
					    "bad port '%.64s' (want a number 0-65535 or LO-HI)", s);
		hi = lo;
	}
	r->set = 1;
	r->lo = (uint16_t)lo;
	r->hi = (uint16_t)hi;
	return 0;
}

int filter_parse_prefix(const char *s, struct tc_prefix *p, struct tc_err *err)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strrchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	const char *a = s;
	unsigned long len;
	unsigned max;

	if (alen >= 2 && a[0] == '[' && a[alen - 1] == ']') {
		a++;
		alen -= 2;
	}
	if (alen == 0 || alen >= sizeof(buf))
		return tc_err_usage(err, "bad address '%.64s'", s);
	memcpy(buf, a, alen);
	buf[alen] = '\0';
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, buf, p->addr) == 1) {
		p->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, p->addr) == 1) {
		p->family = AF_INET6;
		max = 128;
	} else {
		return tc_err_usage(err, "bad address '%.64s' (want an IPv4 or IPv6 address)", s);
	}
	len = max;
	if (slash && parse_uint(slash + 1, strlen(slash + 1), max, &len))
		return tc_err_usage(err, "bad prefix length in '%.64s' (0-%u)", s, max);
	p->len = (uint8_t)len;
	p->set = 1;
	return 0;
}

/*
 * Bytecode. Each op is {code, yes, no}: the kernel jumps `yes` bytes when the
 * condition holds and `no` bytes when it does not; the program accepts when it
 * lands exactly on its end and rejects when it lands 4 bytes past it. The
 * kernel's audit walks the `yes` chain, so `yes` always points at the next op.
 * Fragments are built by concatenation (AND) and by a JMP-separated pair (OR),
 * the way ss builds them, with every reject jump of a fragment aimed at
 * fragment-end + 4.
 */
struct bc_frag {
	uint8_t b[TC_BC_MAX];
	size_t len;
};

static struct inet_diag_bc_op *bc_op_at(uint8_t *b, size_t off)
{
	return (struct inet_diag_bc_op *)(void *)(b + off);
}

/* Re-aim the reject jumps of the first `len` bytes by `reloc` more bytes. */
static void bc_patch(uint8_t *b, size_t len, size_t reloc)
{
	size_t off = 0;

	while (off < len) {
		struct inet_diag_bc_op *op = bc_op_at(b, off);

		if ((size_t)op->no == len - off + 4)
			op->no = (unsigned short)(op->no + reloc);
		off += op->yes;
	}
}

static int bc_port(struct bc_frag *f, int code, uint16_t port)
{
	struct inet_diag_bc_op op[2] = {
	    {.code = (unsigned char)code, .yes = 8, .no = 12},
	    {.code = 0, .yes = 0, .no = port},
	};

	memcpy(f->b, op, sizeof(op));
	f->len = sizeof(op);
	return 0;
}

static void bc_hostcond(struct bc_frag *f, int code, const struct tc_prefix *p)
{
	size_t alen = p->family == AF_INET ? 4 : 16;
	struct inet_diag_hostcond hc;
	size_t len = sizeof(struct inet_diag_bc_op) + sizeof(hc) + alen;
	struct inet_diag_bc_op op = {.code = (unsigned char)code,
				     .yes = (unsigned char)len,
				     .no = (unsigned short)(len + 4)};

	/* padding too goes to the kernel: zero all of it */
	memset(&hc, 0, sizeof(hc));
	hc.family = p->family;
	hc.prefix_len = p->len;
	hc.port = -1;
	memcpy(f->b, &op, sizeof(op));
	memcpy(f->b + sizeof(op), &hc, sizeof(hc));
	memcpy(f->b + sizeof(op) + sizeof(hc), p->addr, alen);
	f->len = len;
}

static int bc_and(struct bc_frag *a, const struct bc_frag *b)
{
	if (a->len + b->len > TC_BC_MAX)
		return -E2BIG;
	bc_patch(a->b, a->len, b->len);
	memcpy(a->b + a->len, b->b, b->len);
	a->len += b->len;
	return 0;
}

static int bc_or(struct bc_frag *a, const struct bc_frag *b)
{
	struct inet_diag_bc_op jmp = {.code = INET_DIAG_BC_JMP, .yes = 4, .no = 0};

	if (a->len + 4 + b->len > TC_BC_MAX)
		return -E2BIG;
	/* a's rejects land at a->len + 4: the start of b, past the JMP. */
	jmp.no = (unsigned short)(b->len + 4);
	memcpy(a->b + a->len, &jmp, sizeof(jmp));
	memcpy(a->b + a->len + 4, b->b, b->len);
	a->len += 4 + b->len;
	return 0;
}

static void bc_range(struct bc_frag *f, int ge, int le, const struct tc_port_range *r)
{
	struct bc_frag hi;

	bc_port(f, ge, r->lo);
	bc_port(&hi, le, r->hi);
	bc_and(f, &hi);
}

static int bc_append(struct bc_frag *prog, int *have, const struct bc_frag *term)
{
	if (!*have) {
		*prog = *term;
		*have = 1;
		return 0;
	}
	return bc_and(prog, term);
}

int filter_compile(struct tc_filter *f, struct tc_err *err)
{
	struct bc_frag prog, t, u;
	int have = 0, r = 0;

	if (f->port.set) {
		bc_range(&t, INET_DIAG_BC_S_GE, INET_DIAG_BC_S_LE, &f->port);
		bc_range(&u, INET_DIAG_BC_D_GE, INET_DIAG_BC_D_LE, &f->port);
		r |= bc_or(&t, &u);
		r |= bc_append(&prog, &have, &t);
	}
	if (f->sport.set) {
		bc_range(&t, INET_DIAG_BC_S_GE, INET_DIAG_BC_S_LE, &f->sport);
		r |= bc_append(&prog, &have, &t);
	}
	if (f->dport.set) {
		bc_range(&t, INET_DIAG_BC_D_GE, INET_DIAG_BC_D_LE, &f->dport);
		r |= bc_append(&prog, &have, &t);
	}
	if (f->host.set) {
		bc_hostcond(&t, INET_DIAG_BC_S_COND, &f->host);
		bc_hostcond(&u, INET_DIAG_BC_D_COND, &f->host);
		r |= bc_or(&t, &u);
		r |= bc_append(&prog, &have, &t);
	}
	if (f->src.set) {
		bc_hostcond(&t, INET_DIAG_BC_S_COND, &f->src);
		r |= bc_append(&prog, &have, &t);
	}
	if (f->dst.set) {
		bc_hostcond(&t, INET_DIAG_BC_D_COND, &f->dst);
		r |= bc_append(&prog, &have, &t);
	}
	if (r)
		return tc_err_usage(err, "filter too long");
	f->bc_len = have ? prog.len : 0;
	if (have)
		memcpy(f->bc, prog.b, prog.len);
	return 0;
}

/* The first `bits` bits of a and b are equal (both in network order). */
static int bits_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes) != 0)
		return 0;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff00u >> rest);

		if ((a[bytes] ^ b[bytes]) & mask)
			return 0;
	}
	return 1;
}

static const uint8_t v4mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static int bc_hostcond_run(const uint8_t *opb, size_t avail, const struct tc_sock *sk, int src)
{
	struct inet_diag_hostcond hc;
	const uint8_t *addr = src ? sk->src : sk->dst;
	const uint8_t *caddr = opb + sizeof(struct inet_diag_bc_op) + sizeof(hc);
	size_t need = sizeof(struct inet_diag_bc_op) + sizeof(hc), alen;

	if (avail < need)
		return 0;
	memcpy(&hc, opb + sizeof(struct inet_diag_bc_op), sizeof(hc));
	/* The kernel's audit (valid_hostcond) knows these families only, and
	 * AF_UNSPEC only with prefix 0: anything else never matches. */
	if (hc.family == AF_INET)
		alen = 4;
	else if (hc.family == AF_INET6)
		alen = 16;
	else if (hc.family == AF_UNSPEC)
		alen = 0;
	else
		return 0;
	if (avail < need + alen || hc.prefix_len > 8 * alen)
		return 0;
	if (hc.port != -1 && hc.port != (src ? sk->sport : sk->dport))
		return 0;
	if (hc.family != 0 && hc.family != sk->family) {
		/* The kernel lets an IPv4 condition match a v4-mapped IPv6 address. */
		if (sk->family == AF_INET6 && hc.family == AF_INET &&
		    memcmp(addr, v4mapped_prefix, 12) == 0)
			return bits_match(addr + 12, caddr, hc.prefix_len);
		return 0;
	}
	if (hc.prefix_len == 0)
		return 1;
	return bits_match(addr, caddr, hc.prefix_len);
}

int filter_bc_run(const uint8_t *bc, size_t blen, const struct tc_sock *sk)
{
	long len = (long)blen;
	size_t off = 0;

	while (len > 0) {
		struct inet_diag_bc_op op, arg = {0};
		int yes = 1;

		if ((size_t)len < sizeof(op))
			return 0;
		memcpy(&op, bc + off, sizeof(op));
		if ((size_t)len >= 2 * sizeof(op))
			memcpy(&arg, bc + off + sizeof(op), sizeof(arg));
		switch (op.code) {
		case INET_DIAG_BC_NOP:
			break;
		case INET_DIAG_BC_JMP:
			yes = 0;
			break;
		case INET_DIAG_BC_S_EQ:
			yes = sk->sport == arg.no;
			break;
		case INET_DIAG_BC_S_GE:
			yes = sk->sport >= arg.no;
			break;
		case INET_DIAG_BC_S_LE:
			yes = sk->sport <= arg.no;
			break;
		case INET_DIAG_BC_D_EQ:
			yes = sk->dport == arg.no;
			break;
		case INET_DIAG_BC_D_GE:
			yes = sk->dport >= arg.no;
			break;
		case INET_DIAG_BC_D_LE:
			yes = sk->dport <= arg.no;
			break;
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND:
			yes = bc_hostcond_run(bc + off, (size_t)len, sk,
					      op.code == INET_DIAG_BC_S_COND);
			break;
		default:
			return 0; /* the kernel's audit would have refused it */
		}
		{
			unsigned step = yes ? op.yes : op.no;

			if (step == 0)
				return 0; /* never loop */
			len -= step;
			off += step;
		}
	}
	return len == 0;
}

uint32_t filter_states(const struct tc_filter *f)
{
	return f->states ? f->states : TC_STATES_ALL;
}

int filter_match(const struct tc_filter *f, const struct tc_sock *sk)
{
	if (!(filter_states(f) & (1u << sk->state)))
		return 0;
	if (f->family && f->family != sk->family)
		return 0;
	return filter_bc_run(f->bc, f->bc_len, sk);
}
