/* Command-line values and the inet_diag bytecode built from them.
 *
 * The input is split on NUL and newline into fields; every field goes through
 * state_parse_list, state_lookup, filter_parse_ports and filter_parse_prefix.
 * The fields then fill a filter by position:
 *
 *   0 --state LIST   1 --port   2 --sport   3 --dport
 *   4 --host         5 --src    6 --dst     7 family ("4" or "6")
 *
 * (an empty or unparsable field leaves that part unset). The filter is
 * compiled and run over a set of sockets built around its own ports and
 * prefixes, and three answers must agree: filter_bc_run on the compiled
 * bytecode, a port of the kernel's inet_diag_bc_run on the same bytecode, and
 * a direct reading of what the options mean. The compiled bytecode must also
 * pass a port of the kernel's inet_diag_bc_audit, or the kernel would refuse
 * the dump with EINVAL.
 *
 * Finally the raw input is run as bytecode against fixed sockets: it must
 * never crash or loop, and when the kernel's audit would accept it, the
 * answer must be the kernel's. */
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "model/filter.h"
#include "model/state.h"

#define MAX_FIELDS 16

/* ---- the kernel's view (net/ipv4/inet_diag.c), restricted to the ops tcpdoc
 * knows; written from the kernel's logic, for a differential check ---- */

static struct inet_diag_bc_op op_at(const uint8_t *bc, size_t blen, long off)
{
	struct inet_diag_bc_op op;

	if (off < 0 || (size_t)off + sizeof(op) > blen)
		FUZZ_FAIL("reference: op read out of bounds at %ld of %zu", off, blen);
	memcpy(&op, bc + off, sizeof(op));
	return op;
}

static int k_valid_cc(const uint8_t *bc, long len, long cc)
{
	long off = 0, blen = len;

	while (len >= 0) {
		struct inet_diag_bc_op op;

		if (cc > len)
			return 0;
		if (cc == len)
			return 1;
		/* The kernel would read past the end here; the main loop rejects
		 * such a yes-chain anyway, so the verdict is the same. */
		if (len < (long)sizeof(op))
			return 0;
		op = op_at(bc, (size_t)blen, off);
		if (op.yes < 4 || op.yes & 3)
			return 0;
		len -= op.yes;
		off += op.yes;
	}
	return 0;
}

/* 1 when the kernel accepts the bytecode and it uses only the ops tcpdoc's
 * filter_bc_run implements (so their answers must agree); 0 otherwise. */
static int k_audit(const uint8_t *bc, size_t blen)
{
	long len = (long)blen, off = 0;

	if (blen < sizeof(struct inet_diag_bc_op))
		return 0;
	while (len > 0) {
		long min_len = sizeof(struct inet_diag_bc_op);
		struct inet_diag_bc_op op;

		if (len < min_len) /* the kernel reads past the end, then rejects */
			return 0;
		op = op_at(bc, blen, off);

		switch (op.code) {
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND: {
			struct inet_diag_hostcond hc;
			long alen;

			min_len += sizeof(hc);
			if (len < min_len)
				return 0;
			memcpy(&hc, bc + off + sizeof(op), sizeof(hc));
			if (hc.family == AF_UNSPEC)
				alen = 0;
			else if (hc.family == AF_INET)
				alen = 4;
			else if (hc.family == AF_INET6)
				alen = 16;
			else
				return 0;
			min_len += alen;
			if (len < min_len || hc.prefix_len > 8 * alen)
				return 0;
			break;
		}
		case INET_DIAG_BC_S_EQ:
		case INET_DIAG_BC_S_GE:
		case INET_DIAG_BC_S_LE:
		case INET_DIAG_BC_D_EQ:
		case INET_DIAG_BC_D_GE:
		case INET_DIAG_BC_D_LE:
			min_len += sizeof(struct inet_diag_bc_op);
			if (len < min_len)
				return 0;
			break;
		case INET_DIAG_BC_JMP:
		case INET_DIAG_BC_NOP:
			break;
		default: /* AUTO, DEV_COND, MARK_COND, CGROUP_COND or garbage */
			return 0;
		}
		if (op.code != INET_DIAG_BC_NOP) {
			if (op.no < min_len || op.no > len + 4 || op.no & 3)
				return 0;
			if (op.no < len && !k_valid_cc(bc, (long)blen, len - op.no))
				return 0;
		}
		if (op.yes < min_len || op.yes > len + 4 || op.yes & 3)
			return 0;
		off += op.yes;
		len -= op.yes;
	}
	return len == 0;
}

static int k_bits(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	for (unsigned i = 0; i < bits; i++) {
		unsigned m = 0x80u >> (i % 8);

		if ((a[i / 8] & m) != (b[i / 8] & m))
			return 0;
	}
	return 1;
}

static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static int is_port_op(unsigned code)
{
	return code == INET_DIAG_BC_S_EQ || code == INET_DIAG_BC_S_GE ||
	       code == INET_DIAG_BC_S_LE || code == INET_DIAG_BC_D_EQ ||
	       code == INET_DIAG_BC_D_GE || code == INET_DIAG_BC_D_LE;
}

/* inet_diag_bc_run on bytecode k_audit accepted. */
static int k_run(const uint8_t *bc, size_t blen, const struct tc_sock *sk)
{
	long len = (long)blen, off = 0;

	while (len > 0) {
		struct inet_diag_bc_op op = op_at(bc, blen, off), arg = {0};
		int yes = 1;

		if (is_port_op(op.code))
			arg = op_at(bc, blen, off + 4);
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
		case INET_DIAG_BC_D_COND: {
			struct inet_diag_hostcond hc;
			const uint8_t *caddr = bc + off + sizeof(op) + sizeof(hc);
			int src = op.code == INET_DIAG_BC_S_COND;
			const uint8_t *addr = src ? sk->src : sk->dst;

			memcpy(&hc, bc + off + sizeof(op), sizeof(hc));
			if (hc.port != -1 && hc.port != (src ? sk->sport : sk->dport)) {
				yes = 0;
				break;
			}
			if (hc.family != AF_UNSPEC && hc.family != sk->family) {
				if (sk->family == AF_INET6 && hc.family == AF_INET &&
				    memcmp(addr, v4mapped, 12) == 0 &&
				    k_bits(addr + 12, caddr, hc.prefix_len))
					break;
				yes = 0;
				break;
			}
			if (hc.prefix_len == 0)
				break;
			if (k_bits(addr, caddr, hc.prefix_len))
				break;
			yes = 0;
			break;
		}
		default:
			FUZZ_FAIL("reference: op %u passed the audit", op.code);
		}
		if (yes) {
			len -= op.yes;
			off += op.yes;
		} else {
			len -= op.no;
			off += op.no;
		}
	}
	return len == 0;
}

/* ---- what the options mean, read directly ---- */

static int ref_range(const struct tc_port_range *r, uint16_t port)
{
	return r->lo <= port && port <= r->hi;
}

static int ref_prefix(const struct tc_prefix *p, const struct tc_sock *sk, const uint8_t *addr)
{
	if (p->family == sk->family)
		return k_bits(addr, p->addr, p->len);
	/* An IPv4 prefix also matches IPv4-mapped IPv6 addresses, as in the kernel. */
	if (sk->family == AF_INET6 && p->family == AF_INET && memcmp(addr, v4mapped, 12) == 0)
		return k_bits(addr + 12, p->addr, p->len);
	return 0;
}

static int ref_filter(const struct tc_filter *f, const struct tc_sock *sk)
{
	if (f->port.set && !ref_range(&f->port, sk->sport) && !ref_range(&f->port, sk->dport))
		return 0;
	if (f->sport.set && !ref_range(&f->sport, sk->sport))
		return 0;
	if (f->dport.set && !ref_range(&f->dport, sk->dport))
		return 0;
	if (f->host.set && !ref_prefix(&f->host, sk, sk->src) && !ref_prefix(&f->host, sk, sk->dst))
		return 0;
	if (f->src.set && !ref_prefix(&f->src, sk, sk->src))
		return 0;
	if (f->dst.set && !ref_prefix(&f->dst, sk, sk->dst))
		return 0;
	return 1;
}

/* ---- the parsers, one field at a time ---- */

static void check_usage_err(int r, const struct tc_err *err, const char *what)
{
	if (r != -EINVAL)
		FUZZ_FAIL("%s returned %d, want 0 or -EINVAL", what, r);
	if (err->kind != TC_ERR_USAGE || err->msg[0] == '\0')
		FUZZ_FAIL("%s failed without a usage message", what);
	fuzz_check_err(r, err, what);
}

static void parse_states(const char *s, uint32_t *mask_out)
{
	struct tc_err err = {0};
	uint32_t mask = 0xdeadbeef;
	int r = state_parse_list(s, &mask, &err), one = state_lookup(s);

	if (r == 0) {
		if (mask == 0 || (mask & ~(uint32_t)TC_STATES_ALL))
			FUZZ_FAIL("state list '%s' gave mask %#x", s, mask);
		*mask_out = mask;
	} else {
		check_usage_err(r, &err, "state_parse_list");
	}
	if (one != -1 && (one < 1 || one > TC_NSTATES))
		FUZZ_FAIL("state_lookup('%s') = %d", s, one);
	/* One name without a comma means the same to both functions. */
	if (one > 0 && !strchr(s, ',') && (r != 0 || mask != 1u << one))
		FUZZ_FAIL("state_lookup('%s') = %d but state_parse_list gives r=%d mask=%#x", s,
			  one, r, mask);
	if (one > 0 && state_lookup(state_name((unsigned)one)) != one)
		FUZZ_FAIL("state %d does not round-trip through its name", one);
}

static void parse_ports(const char *s, struct tc_port_range *out)
{
	struct tc_err err = {0};
	struct tc_port_range r = {0};
	int rc = filter_parse_ports(s, &r, &err);

	if (rc == 0) {
		if (!r.set || r.lo > r.hi)
			FUZZ_FAIL("port range '%s' gave set=%d %u-%u", s, r.set, r.lo, r.hi);
		*out = r;
	} else {
		check_usage_err(rc, &err, "filter_parse_ports");
	}
}

static void parse_prefix(const char *s, struct tc_prefix *out)
{
	struct tc_err err = {0};
	struct tc_prefix p;
	int rc = filter_parse_prefix(s, &p, &err);

	if (rc != 0) {
		check_usage_err(rc, &err, "filter_parse_prefix");
		return;
	}
	if (!p.set || (p.family != AF_INET && p.family != AF_INET6) ||
	    p.len > (p.family == AF_INET ? 32 : 128))
		FUZZ_FAIL("prefix '%s' gave set=%d family=%u len=%u", s, p.set, p.family, p.len);
	/* The address must print and parse back to itself. */
	{
		char text[INET6_ADDRSTRLEN + 8];
		struct tc_prefix q;
		struct tc_err err2 = {0};

		if (!inet_ntop(p.family, p.addr, text, INET6_ADDRSTRLEN))
			FUZZ_FAIL("prefix '%s': address does not print", s);
		snprintf(text + strlen(text), 8, "/%u", p.len);
		if (filter_parse_prefix(text, &q, &err2) != 0 || q.family != p.family ||
		    q.len != p.len || memcmp(q.addr, p.addr, 16) != 0)
			FUZZ_FAIL("prefix '%s' does not round-trip through '%s'", s, text);
	}
	*out = p;
}

/* ---- sockets around the filter's own values ---- */

struct cands {
	uint16_t port[32];
	size_t nport;
	uint8_t v4[24][4];
	size_t nv4;
	uint8_t v6[48][16];
	size_t nv6;
};

static void add_port(struct cands *c, long p)
{
	if (p >= 0 && p <= 65535 && c->nport < 32)
		c->port[c->nport++] = (uint16_t)p;
}

static void add_range(struct cands *c, const struct tc_port_range *r)
{
	if (!r->set)
		return;
	add_port(c, r->lo - 1L);
	add_port(c, r->lo);
	add_port(c, r->hi);
	add_port(c, r->hi + 1L);
}

static void add_v4(struct cands *c, const uint8_t *a)
{
	if (c->nv4 < 24)
		memcpy(c->v4[c->nv4++], a, 4);
	if (c->nv6 < 48) {
		memcpy(c->v6[c->nv6], v4mapped, 12);
		memcpy(c->v6[c->nv6++] + 12, a, 4);
	}
}

static void add_v6(struct cands *c, const uint8_t *a)
{
	if (c->nv6 < 48)
		memcpy(c->v6[c->nv6++], a, 16);
}

/* The prefix's address, and copies with the last bit inside the prefix and
 * the first bit outside it flipped (one must fail, the other match). */
static void add_prefix(struct cands *c, const struct tc_prefix *p)
{
	unsigned bits = p->family == AF_INET ? 32 : 128;
	uint8_t a[16];

	if (!p->set)
		return;
	for (int k = 0; k < 3; k++) {
		memcpy(a, p->addr, 16);
		if (k == 1 && p->len > 0)
			a[(p->len - 1) / 8] ^= (uint8_t)(0x80u >> ((p->len - 1) % 8));
		else if (k == 2 && p->len < bits)
			a[p->len / 8] ^= (uint8_t)(0x80u >> (p->len % 8));
		else if (k != 0)
			continue;
		if (p->family == AF_INET)
			add_v4(c, a);
		else
			add_v6(c, a);
	}
}

static void check_sock(const struct tc_filter *f, const struct tc_sock *sk)
{
	int got = filter_bc_run(f->bc, f->bc_len, sk);
	int kern = f->bc_len ? k_run(f->bc, f->bc_len, sk) : 1;
	int want = ref_filter(f, sk);
	int match = filter_match(f, sk);
	int want_match = (filter_states(f) & (1u << sk->state)) &&
			 (!f->family || f->family == sk->family) && want;

	if (got != want || kern != want || match != want_match) {
		char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

		inet_ntop(sk->family, sk->src, s, sizeof(s));
		inet_ntop(sk->family, sk->dst, d, sizeof(d));
		FUZZ_FAIL("socket %s:%u -> %s:%u state %u: filter_bc_run %d, kernel %d, "
			  "meaning %d; filter_match %d, want %d",
			  s, sk->sport, d, sk->dport, sk->state, got, kern, want, match,
			  want_match);
	}
}

static uint32_t hash(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void run_filter(const struct tc_filter *f, uint32_t seed)
{
	static const uint8_t any4[4], lo4[4] = {127, 0, 0, 1}, ten4[4] = {10, 1, 2, 3};
	static const uint8_t any6[16], lo6[16] = {[15] = 1};
	static const long ports[] = {0, 1, 22, 80, 443, 8080, 65535};
	struct cands c = {0};

	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		add_port(&c, ports[i]);
	add_range(&c, &f->port);
	add_range(&c, &f->sport);
	add_range(&c, &f->dport);
	add_v4(&c, any4);
	add_v4(&c, lo4);
	add_v4(&c, ten4);
	add_v6(&c, any6);
	add_v6(&c, lo6);
	add_prefix(&c, &f->host);
	add_prefix(&c, &f->src);
	add_prefix(&c, &f->dst);

	for (uint32_t i = 0; i < 96; i++) {
		struct tc_sock sk = {0};
		uint32_t r = seed ^ (i * 2654435761u);

		r ^= r >> 15;
		r *= 2246822519u;
		r ^= r >> 13;
		sk.state = (uint8_t)(1 + i % TC_NSTATES);
		sk.sport = c.port[(r >> 3) % c.nport];
		sk.dport = c.port[(r >> 11) % c.nport];
		if (i & 1) {
			sk.family = AF_INET;
			memcpy(sk.src, c.v4[(r >> 17) % c.nv4], 4);
			memcpy(sk.dst, c.v4[(r >> 23) % c.nv4], 4);
		} else {
			sk.family = AF_INET6;
			memcpy(sk.src, c.v6[(r >> 17) % c.nv6], 16);
			memcpy(sk.dst, c.v6[(r >> 23) % c.nv6], 16);
		}
		check_sock(f, &sk);
	}
}

/* ---- raw bytes as bytecode ---- */

static void run_raw(const uint8_t *bc, size_t n)
{
	static const struct tc_sock socks[] = {
	    {.family = AF_INET,
	     .state = 1,
	     .sport = 22,
	     .dport = 40000,
	     .src = {10, 0, 0, 1},
	     .dst = {10, 0, 0, 2}},
	    {.family = AF_INET6,
	     .state = 10,
	     .sport = 8080,
	     .dport = 0,
	     .src = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}},
	    {.family = AF_INET6,
	     .state = 6,
	     .sport = 443,
	     .dport = 55555,
	     .src = {[10] = 0xff, [11] = 0xff, 127, 0, 0, 1},
	     .dst = {[10] = 0xff, [11] = 0xff, 192, 168, 1, 1}},
	};
	int audited = k_audit(bc, n);

	for (size_t i = 0; i < sizeof(socks) / sizeof(socks[0]); i++) {
		int got = filter_bc_run(bc, n, &socks[i]);

		if (got != 0 && got != 1)
			FUZZ_FAIL("filter_bc_run returned %d", got);
		if (audited && got != k_run(bc, n, &socks[i]))
			FUZZ_FAIL(
			    "bytecode the kernel accepts: filter_bc_run %d, kernel %d (socket %zu)",
			    got, !got, i);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *fields[MAX_FIELDS];
	size_t nf = 0, start = 0;
	struct tc_filter f;
	struct tc_err err = {0};

	for (size_t i = 0; i <= size && nf < MAX_FIELDS; i++) {
		if (i == size || data[i] == '\0' || data[i] == '\n') {
			size_t n = i - start;

			fields[nf] = malloc(n + 1);
			if (!fields[nf])
				abort();
			if (n)
				memcpy(fields[nf], data + start, n);
			fields[nf++][n] = '\0';
			start = i + 1;
		}
	}

	memset(&f, 0, sizeof(f));
	for (size_t i = 0; i < nf; i++) {
		uint32_t mask = 0;
		struct tc_port_range r = {0};
		struct tc_prefix p = {0};

		parse_states(fields[i], &mask);
		parse_ports(fields[i], &r);
		parse_prefix(fields[i], &p);
		switch (i) {
		case 0:
			f.states = mask;
			break;
		case 1:
			f.port = r;
			break;
		case 2:
			f.sport = r;
			break;
		case 3:
			f.dport = r;
			break;
		case 4:
			f.host = p;
			break;
		case 5:
			f.src = p;
			break;
		case 6:
			f.dst = p;
			break;
		case 7:
			if (strcmp(fields[i], "4") == 0)
				f.family = AF_INET;
			else if (strcmp(fields[i], "6") == 0)
				f.family = AF_INET6;
			break;
		}
	}

	if (filter_compile(&f, &err) != 0)
		FUZZ_FAIL("filter_compile failed on valid options: %s", err.msg);
	if (f.bc_len > TC_BC_MAX)
		FUZZ_FAIL("bc_len %zu above TC_BC_MAX", f.bc_len);
	if ((f.bc_len != 0) !=
	    (f.port.set || f.sport.set || f.dport.set || f.host.set || f.src.set || f.dst.set))
		FUZZ_FAIL("bc_len %zu does not match the conditions set", f.bc_len);
	if (f.bc_len && !k_audit(f.bc, f.bc_len))
		FUZZ_FAIL("compiled bytecode (%zu bytes) fails the kernel's audit", f.bc_len);
	run_filter(&f, hash(data, size));

	run_raw(data, size);

	for (size_t i = 0; i < nf; i++)
		free(fields[i]);
	return 0;
}
