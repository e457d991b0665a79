/* sock_diag messages: nl_decode on crafted and real messages, the diag file
 * reader on ss1.dump and the zoo's dump (against ss's own output), corrupted
 * copies that must be refused, and the dump request builder. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "helpers.h"
#include "model/filter.h"
#include "model/state.h"
#include "source/diagfile.h"
#include "source/netlink.h"
#include "source/seen.h"
#include "suites.h"

#define SS1 "iproute2-ss/ss1.dump"
#define ZOO_DUMP "linux-6.18-zoo/expected/ss-diag.dump"

static FILE *mem_stream(const void *buf, size_t len)
{
	/* fmemopen of 0 bytes is refused by some libcs: an empty file instead */
	FILE *fp = len ? fmemopen((void *)(uintptr_t)buf, len, "rb") : fopen("/dev/null", "rb");

	ck_assert_ptr_nonnull(fp);
	return fp;
}

static int walk_mem(const void *buf, size_t len, struct sockvec *sv, struct tc_err *err)
{
	FILE *fp = mem_stream(buf, len);
	int r = diagfile_walk_stream(fp, "mem", NULL, sockvec_cb, sv, err);

	fclose(fp);
	return r;
}

/* ---- ss1.dump against ss1.dump.decoded.txt ---- */

struct decoded {
	int family, state, timer, retrans;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t ifindex, rqueue, wqueue, uid;
	uint64_t cookie, expires, inode;
};

static void parse_endpoint(int family, const char *v, uint8_t *addr, uint16_t *port)
{
	char a[64];
	const char *colon = strrchr(v, ':');

	ck_assert_ptr_nonnull(colon);
	snprintf(a, sizeof(a), "%.*s", (int)(colon - v), v);
	memset(addr, 0, 16);
	ck_assert_msg(inet_pton(family, a, addr) == 1, "bad address %s", a);
	*port = (uint16_t)strtoul(colon + 1, NULL, 10);
}

/* Every "family=..." line of the hand decoding, in file order. */
static size_t read_decoded(struct decoded *d, size_t max)
{
	char *text = slurp(fixture("iproute2-ss/ss1.dump.decoded.txt"), NULL);
	char *save = NULL;
	size_t n = 0;

	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *s2 = NULL;

		while (*l == ' ')
			l++;
		if (strncmp(l, "family=", 7) != 0)
			continue;
		ck_assert_uint_lt(n, max);
		memset(&d[n], 0, sizeof(d[n]));
		d[n].family = atoi(l + 7);
		for (char *t = strtok_r(l, " ", &s2); t; t = strtok_r(NULL, " ", &s2)) {
			char *eq = strchr(t, '=');
			const char *v;

			ck_assert_ptr_nonnull(eq);
			*eq = '\0';
			v = eq + 1;
			if (strcmp(t, "family") == 0)
				continue;
			else if (strcmp(t, "state") == 0)
				d[n].state = atoi(v);
			else if (strcmp(t, "timer") == 0)
				d[n].timer = atoi(v);
			else if (strcmp(t, "retrans") == 0)
				d[n].retrans = atoi(v);
			else if (strcmp(t, "src") == 0)
				parse_endpoint(d[n].family, v, d[n].src, &d[n].sport);
			else if (strcmp(t, "dst") == 0)
				parse_endpoint(d[n].family, v, d[n].dst, &d[n].dport);
			else if (strcmp(t, "if") == 0)
				d[n].ifindex = (uint32_t)strtoul(v, NULL, 10);
			else if (strcmp(t, "cookie") == 0)
				d[n].cookie = strtoull(v, NULL, 10);
			else if (strcmp(t, "expires_ms") == 0)
				d[n].expires = strtoull(v, NULL, 10);
			else if (strcmp(t, "rqueue") == 0)
				d[n].rqueue = (uint32_t)strtoul(v, NULL, 10);
			else if (strcmp(t, "wqueue") == 0)
				d[n].wqueue = (uint32_t)strtoul(v, NULL, 10);
			else if (strcmp(t, "uid") == 0)
				d[n].uid = (uint32_t)strtoul(v, NULL, 10);
			else if (strcmp(t, "inode") == 0)
				d[n].inode = strtoull(v, NULL, 10);
			else
				ck_abort_msg("unknown field %s in the decoded file", t);
		}
		n++;
	}
	free(text);
	return n;
}

static void check_decoded(const struct tc_sock *sk, const struct decoded *d, size_t i)
{
	ck_assert_msg(sk->family == d->family, "socket %zu: family %u, want %d", i, sk->family,
		      d->family);
	ck_assert_msg(sk->state == d->state, "socket %zu: state %u, want %d", i, sk->state,
		      d->state);
	ck_assert_msg(sk->timer == d->timer, "socket %zu: timer", i);
	ck_assert_msg(sk->retrans == d->retrans, "socket %zu: retrans", i);
	ck_assert_msg(sk->sport == d->sport, "socket %zu: sport %u, want %u", i, sk->sport,
		      d->sport);
	ck_assert_msg(sk->dport == d->dport, "socket %zu: dport %u, want %u", i, sk->dport,
		      d->dport);
	ck_assert_msg(memcmp(sk->src, d->src, 16) == 0, "socket %zu: src", i);
	ck_assert_msg(memcmp(sk->dst, d->dst, 16) == 0, "socket %zu: dst", i);
	ck_assert_msg(sk->ifindex == d->ifindex, "socket %zu: ifindex", i);
	ck_assert_msg(sk->cookie == d->cookie, "socket %zu: cookie %llu, want %llu", i,
		      (unsigned long long)sk->cookie, (unsigned long long)d->cookie);
	ck_assert_msg(sk->expires_ms == d->expires, "socket %zu: expires %llu, want %llu", i,
		      (unsigned long long)sk->expires_ms, (unsigned long long)d->expires);
	ck_assert_msg(sk->rqueue == d->rqueue, "socket %zu: rqueue", i);
	ck_assert_msg(sk->wqueue == d->wqueue, "socket %zu: wqueue %u, want %u", i, sk->wqueue,
		      d->wqueue);
	ck_assert_msg(sk->uid == d->uid, "socket %zu: uid %u, want %u", i, sk->uid, d->uid);
	ck_assert_msg(sk->inode == d->inode, "socket %zu: inode %llu, want %llu", i,
		      (unsigned long long)sk->inode, (unsigned long long)d->inode);
	ck_assert_msg((sk->have & (TC_HAVE_COOKIE | TC_HAVE_UID)) == (TC_HAVE_COOKIE | TC_HAVE_UID),
		      "socket %zu: have 0x%x", i, sk->have);
	ck_assert_msg(!(sk->have & TC_HAVE_INFO), "socket %zu: ss1.dump has no tcp_info", i);
}

START_TEST(test_ss1_diagfile)
{
	struct decoded d[16];
	size_t nd = read_decoded(d, 16), n4 = 0, n6 = 0;
	struct sockvec sv = {0};
	struct tc_err err = {0};

	ck_assert_uint_eq(nd, 7);
	ck_assert_int_eq(diagfile_walk(fixture(SS1), NULL, sockvec_cb, &sv, &err), 1);
	ck_assert_str_eq(err.msg, "");
	ck_assert_uint_eq(sv.n, 7);
	for (size_t i = 0; i < sv.n; i++) {
		check_decoded(&sv.v[i], &d[i], i);
		n4 += sv.v[i].family == AF_INET;
		n6 += sv.v[i].family == AF_INET6;
	}
	/* both halves: upstream ss stops at the first NLMSG_DONE, tcpdoc must not */
	ck_assert_uint_eq(n4, 4);
	ck_assert_uint_eq(n6, 3);
	/* a few by eye, in case the decoded file and the decoder share a mistake */
	{
		const struct tc_sock *l = sockvec_find(&sv, "0.0.0.0:22", "0.0.0.0:*");
		const struct tc_sock *e =
		    sockvec_find(&sv, "[fec0:42::24]:40520", "[fec0:42::1]:22");

		ck_assert_ptr_nonnull(l);
		ck_assert_uint_eq(l->state, TC_STATE_LISTEN);
		ck_assert_uint_eq(l->wqueue, 128);
		ck_assert_uint_eq(l->inode, 411);
		ck_assert_uint_eq(l->cookie, 3);
		ck_assert_ptr_nonnull(e);
		ck_assert_uint_eq(e->timer, TC_TIMER_KEEPALIVE);
		ck_assert_uint_eq(e->expires_ms, 6577864);
		ck_assert_uint_eq(e->uid, 1000);
		ck_assert_uint_eq(e->inode, 1647);
	}
	sockvec_free(&sv);
}
END_TEST

/* nl_decode alone on each SOCK_DIAG_BY_FAMILY message of the file. */
START_TEST(test_ss1_nl_decode)
{
	struct decoded d[16];
	size_t len, off = 0, n = 0, nd = read_decoded(d, 16);
	char *buf = slurp(fixture(SS1), &len);
	unsigned done = 0;

	ck_assert_uint_eq(len, 720);
	while (off < len) {
		struct nlmsghdr h;

		memcpy(&h, buf + off, sizeof(h));
		ck_assert_uint_ge(h.nlmsg_len, NLMSG_HDRLEN);
		if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY) {
			struct tc_sock sk;
			const char *why = NULL;

			ck_assert_msg(nl_decode(buf + off, len - off, &sk, &why) == 0,
				      "message at %zu: %s", off, why);
			ck_assert_uint_lt(n, nd);
			check_decoded(&sk, &d[n], n);
			n++;
		} else {
			ck_assert_uint_eq(h.nlmsg_type, NLMSG_DONE);
			done++;
		}
		off += NLMSG_ALIGN(h.nlmsg_len);
	}
	ck_assert_uint_eq(n, 7);
	ck_assert_uint_eq(done, 2);
	free(buf);
}
END_TEST

/* ---- the zoo's dump against ss's view of it ---- */

START_TEST(test_zoo_dump_state_counts)
{
	char *text = slurp(fixture("linux-6.18-zoo/expected/state-counts.txt"), NULL);
	uint64_t want[TC_NSTATES + 1] = {0}, got[TC_NSTATES + 1] = {0};
	struct sockvec sv = {0};
	struct tc_err err = {0};
	char *save = NULL;

	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char name[64];
		unsigned long long n;
		int st;

		ck_assert_int_eq(sscanf(l, "%63s %llu", name, &n), 2);
		st = state_lookup(name);
		ck_assert_msg(st >= 1 && st <= TC_NSTATES, "unknown ss state %s", name);
		want[st] = n;
	}
	free(text);
	ck_assert_int_eq(diagfile_walk(fixture(ZOO_DUMP), NULL, sockvec_cb, &sv, &err), 1);
	for (size_t i = 0; i < sv.n; i++) {
		ck_assert_uint_le(sv.v[i].state, TC_NSTATES);
		got[sv.v[i].state]++;
	}
	for (unsigned s = 1; s <= TC_NSTATES; s++)
		ck_assert_msg(got[s] == want[s], "%s: %llu in the dump, ss counted %llu",
			      state_name(s), (unsigned long long)got[s],
			      (unsigned long long)want[s]);
	ck_assert_uint_eq(sv.n, 81);
	sockvec_free(&sv);
}
END_TEST

static int ss_timer_kind(const char *name)
{
	static const char *const kinds[] = {"off", "on", "keepalive", "timewait", "persist"};

	for (int i = 0; i < 5; i++)
		if (strcmp(name, kinds[i]) == 0)
			return i;
	ck_abort_msg("unknown ss timer kind %s", name);
	return -1;
}

/* Every socket line of `ss -tanoie state all` has its twin in the dump:
 * state, queues, addresses, ports, inode, cookie (sk:), timer kind and count. */
START_TEST(test_zoo_dump_vs_ss_output)
{
	char *text = slurp(fixture("linux-6.18-zoo/expected/ss-tanoie.txt"), NULL);
	struct sockvec sv = {0};
	struct tc_err err = {0};
	char *save = NULL;
	size_t lines = 0;
	int seen_7700 = 0;

	ck_assert_int_eq(diagfile_walk(fixture(ZOO_DUMP), NULL, sockvec_cb, &sv, &err), 1);
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char st[32] = "", local[96] = "", peer[96] = "", *s2 = NULL;
		unsigned long rq = 0, wq = 0;
		unsigned long long ino = ~0ull, cookie = ~0ull;
		int timer = 0, tcount = -1;
		const struct tc_sock *sk;
		char *t;
		int k = 0;

		if (l[0] == '\t' || l[0] == ' ' || strncmp(l, "State", 5) == 0)
			continue;
		for (t = strtok_r(l, " ", &s2); t; t = strtok_r(NULL, " ", &s2), k++) {
			if (k == 0)
				snprintf(st, sizeof(st), "%s", t);
			else if (k == 1)
				rq = strtoul(t, NULL, 10);
			else if (k == 2)
				wq = strtoul(t, NULL, 10);
			else if (k == 3 || k == 4)
				/* ss prints the wildcard of a dual-stack socket as "*"; tcpdoc
				 * prints the address, "[::]" */
				snprintf(k == 3 ? local : peer, sizeof(local), "%s%s",
					 strncmp(t, "*:", 2) == 0 ? "[::]" : "",
					 strncmp(t, "*:", 2) == 0 ? t + 1 : t);
			else if (strncmp(t, "ino:", 4) == 0)
				ino = strtoull(t + 4, NULL, 10);
			else if (strncmp(t, "sk:", 3) == 0)
				cookie = strtoull(t + 3, NULL, 16);
			else if (strncmp(t, "timer:(", 7) == 0) {
				char kind[16];
				const char *last = strrchr(t, ',');

				ck_assert_int_eq(sscanf(t + 7, "%15[a-z]", kind), 1);
				timer = ss_timer_kind(kind);
				ck_assert_ptr_nonnull(last);
				tcount = atoi(last + 1);
			}
		}
		ck_assert_int_ge(k, 5);
		lines++;
		sk = sockvec_find(&sv, local, peer);
		ck_assert_msg(sk != NULL, "ss shows %s %s -> %s, not in the dump", st, local, peer);
		ck_assert_msg(sk->state == state_lookup(st), "%s -> %s: state %s, ss %s", local,
			      peer, state_name(sk->state), st);
		ck_assert_msg(sk->rqueue == rq && sk->wqueue == wq,
			      "%s -> %s: queues %u/%u, ss %lu/%lu", local, peer, sk->rqueue,
			      sk->wqueue, rq, wq);
		ck_assert_msg(sk->inode == ino, "%s -> %s: inode %llu, ss %llu", local, peer,
			      (unsigned long long)sk->inode, ino);
		ck_assert_msg(sk->cookie == cookie, "%s -> %s: cookie %llx, ss sk:%llx", local,
			      peer, (unsigned long long)sk->cookie, cookie);
		ck_assert_msg(sk->timer == timer, "%s -> %s: timer %u, ss %d", local, peer,
			      sk->timer, timer);
		if (tcount >= 0)
			ck_assert_msg(sk->retrans == tcount, "%s -> %s: retrans %u, ss %d", local,
				      peer, sk->retrans, tcount);
		if (strcmp(local, "127.0.0.1:7700") == 0 && strcmp(peer, "0.0.0.0:*") == 0) {
			/* the full backlog-1 listener */
			ck_assert_uint_eq(sk->state, TC_STATE_LISTEN);
			ck_assert_uint_eq(sk->rqueue, 2);
			ck_assert_uint_eq(sk->wqueue, 1);
			ck_assert_uint_eq(sk->inode, 416867);
			seen_7700 = 1;
		}
	}
	ck_assert_uint_eq(lines, 81);
	ck_assert_int_eq(seen_7700, 1);
	free(text);
	sockvec_free(&sv);
}
END_TEST

/* ---- corrupted copies of ss1.dump ---- */

static uint8_t *ss1_copy(size_t *len)
{
	return (uint8_t *)slurp(fixture(SS1), len);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

enum corruption {
	C_EMPTY,
	C_TRUNC_HEADER,
	C_TRUNC_BODY,
	C_TRUNC_SECOND,
	C_LEN_0,
	C_LEN_15,
	C_LEN_HUGE,
	C_LEN_ABOVE_64K,
	C_LEN_PAST_EOF,
	C_LEN_40,
	C_LEN_87,
	C_LEN_MISALIGNED_SHORT,
	C_NLA_PAST_MSG,
	C_NLA_ONE_PAST,
	C_NLA_LEN_3,
	C_NLA_LEN_0,
	C_NLMSG_ERROR_TYPE,
	C_NLMSG_ERROR_MSG,
	C_TYPE_99,
	C_FAMILY_7,
	C_STATE_0,
	C_STATE_14,
	C_GARBAGE,
	C_COUNT
};

static const char *const corruption_names[C_COUNT] = {
    "empty file",
    "truncated header",
    "truncated body",
    "second message cut",
    "nlmsg_len 0",
    "nlmsg_len 15",
    "nlmsg_len 0xffffffff",
    "nlmsg_len above 64 KiB",
    "nlmsg_len past the end of file",
    "nlmsg_len 40 (< inet_diag_msg)",
    "nlmsg_len 87 (< inet_diag_msg)",
    "nlmsg_len 84 then the rest misread",
    "nla_len running past the message",
    "nla_len one byte past the message",
    "nla_len 3",
    "nla_len 0",
    "NLMSG_ERROR type on a socket message",
    "a real NLMSG_ERROR message",
    "unknown message type",
    "address family 7",
    "TCP state 0",
    "TCP state 14",
    "random bytes",
};

START_TEST(test_corrupted_ss1)
{
	size_t len;
	uint8_t *b = ss1_copy(&len);
	uint8_t *big = NULL;
	struct sockvec sv = {0};
	struct tc_err err = {0};
	int r;

	ck_assert_uint_eq(len, 720);
	switch ((enum corruption)_i) {
	case C_EMPTY:
		len = 0;
		break;
	case C_TRUNC_HEADER:
		len = 10;
		break;
	case C_TRUNC_BODY:
		len = 50;
		break;
	case C_TRUNC_SECOND:
		len = 96 + 40;
		break;
	case C_LEN_0:
		put32(b, 0);
		break;
	case C_LEN_15:
		put32(b, 15);
		break;
	case C_LEN_HUGE:
		put32(b, 0xffffffffu);
		break;
	case C_LEN_ABOVE_64K:
		put32(b, 70000);
		break;
	case C_LEN_PAST_EOF:
		put32(b, 60000);
		break;
	case C_LEN_40:
		put32(b, 40);
		break;
	case C_LEN_87:
		put32(b, 87);
		break;
	case C_LEN_MISALIGNED_SHORT:
		put32(b, 84);
		break;
	case C_NLA_PAST_MSG:
		put16(b + 88, 200); /* the INET_DIAG_SHUTDOWN attribute of message 1 */
		break;
	case C_NLA_ONE_PAST:
		put16(b + 88, 9); /* 8 bytes of attributes in a 96-byte message */
		break;
	case C_NLA_LEN_3:
		put16(b + 88, 3);
		break;
	case C_NLA_LEN_0:
		put16(b + 88, 0);
		break;
	case C_NLMSG_ERROR_TYPE:
		put16(b + 4, NLMSG_ERROR);
		break;
	case C_NLMSG_ERROR_MSG: {
		/* message 1, then what the kernel sends when a dump fails */
		struct nlmsghdr eh = {.nlmsg_len = NLMSG_HDRLEN + sizeof(struct nlmsgerr),
				      .nlmsg_type = NLMSG_ERROR,
				      .nlmsg_seq = 123456};
		struct nlmsgerr e = {.error = -EPERM};

		big = malloc(96 + eh.nlmsg_len + (len - 96));
		ck_assert_ptr_nonnull(big);
		memcpy(big, b, 96);
		memcpy(big + 96, &eh, sizeof(eh));
		memcpy(big + 96 + sizeof(eh), &e, sizeof(e));
		memcpy(big + 96 + eh.nlmsg_len, b + 96, len - 96);
		len += eh.nlmsg_len;
		free(b);
		b = big;
		break;
	}
	case C_TYPE_99:
		put16(b + 96 + 4, 99);
		break;
	case C_FAMILY_7:
		b[96 + 16] = 7;
		break;
	case C_STATE_0:
		b[96 + 17] = 0;
		break;
	case C_STATE_14:
		b[96 + 17] = 14;
		break;
	case C_GARBAGE:
		for (size_t i = 0; i < len; i++)
			b[i] = (uint8_t)(i * 131 + 7);
		break;
	case C_COUNT:
		break;
	}
	r = walk_mem(b, len, &sv, &err);
	ck_assert_msg(r < 0, "%s: accepted (%d, %zu sockets)", corruption_names[_i], r, sv.n);
	ck_assert_msg(err.msg[0] != '\0', "%s: no message", corruption_names[_i]);
	ck_assert_msg(strstr(err.msg, "mem") != NULL, "%s: message does not name the file: %s",
		      corruption_names[_i], err.msg);
	if (_i == C_NLMSG_ERROR_TYPE || _i == C_NLMSG_ERROR_MSG)
		ck_assert_msg(strstr(err.msg, "error") != NULL, "%s: message does not say so: %s",
			      corruption_names[_i], err.msg);
	free(b);
	sockvec_free(&sv);
}
END_TEST

/* Every prefix of ss1.dump: whole messages are read, a cut one is refused. */
START_TEST(test_truncation_sweep)
{
	static const size_t bounds[] = {96, 192, 288, 384, 404, 508, 604, 700, 720};
	static const size_t socks_before[] = {1, 2, 3, 4, 4, 5, 6, 7, 7};
	size_t len;
	uint8_t *b = ss1_copy(&len);

	for (size_t cut = 0; cut <= len; cut++) {
		struct sockvec sv = {0};
		struct tc_err err = {0};
		/* an exact-size heap copy so AddressSanitizer sees overreads */
		uint8_t *p = malloc(cut ? cut : 1);
		int r, at = -1;

		ck_assert_ptr_nonnull(p);
		memcpy(p, b, cut);
		r = walk_mem(p, cut, &sv, &err);
		for (size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++)
			if (bounds[i] == cut)
				at = (int)i;
		if (at >= 0) {
			ck_assert_msg(r == 1, "cut at %zu (a message boundary): %d %s", cut, r,
				      err.msg);
			ck_assert_msg(sv.n == socks_before[at], "cut at %zu: %zu sockets, want %zu",
				      cut, sv.n, socks_before[at]);
		} else {
			ck_assert_msg(r < 0 && err.msg[0], "cut at %zu: accepted (%d)", cut, r);
		}
		free(p);
		sockvec_free(&sv);
	}
	free(b);
}
END_TEST

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ull) >> 32);
}

/* Random damage never crashes the reader; every refusal says why. */
START_TEST(test_random_damage)
{
	size_t len;
	uint8_t *orig = ss1_copy(&len);
	unsigned accepted = 0, refused = 0;

	for (int it = 0; it < 4000; it++) {
		uint8_t *b = malloc(len);
		struct sockvec sv = {0};
		struct tc_err err = {0};
		size_t n = len;
		int r;

		ck_assert_ptr_nonnull(b);
		memcpy(b, orig, len);
		for (unsigned k = 1 + rnd() % 4; k > 0; k--) {
			size_t at = rnd() % len;

			/* aim at the length fields half of the time */
			if (rnd() % 2) {
				static const size_t lens[] = {0,   1,	88,  89,  96, 97,
							      184, 185, 384, 404, 492};

				at = lens[rnd() % (sizeof(lens) / sizeof(lens[0]))];
			}
			b[at] = (uint8_t)rnd();
		}
		if (rnd() % 4 == 0)
			n = rnd() % (len + 1);
		r = walk_mem(b, n, &sv, &err);
		if (r == 1) {
			accepted++;
			ck_assert_uint_le(sv.n, 7);
			for (size_t i = 0; i < sv.n; i++) {
				ck_assert(sv.v[i].family == AF_INET || sv.v[i].family == AF_INET6);
				ck_assert(sv.v[i].state >= 1 && sv.v[i].state <= TC_NSTATES);
				ck_assert_uint_le(sv.v[i].timer, TC_TIMER_MAX);
			}
		} else {
			ck_assert_msg(r < 0 && err.msg[0], "iteration %d: %d without a message", it,
				      r);
			refused++;
		}
		free(b);
		sockvec_free(&sv);
	}
	ck_assert_uint_gt(accepted, 0);
	ck_assert_uint_gt(refused, 0);
	free(orig);
}
END_TEST

START_TEST(test_diagfile_misc)
{
	struct sockvec sv = {0};
	struct tc_err err = {0};
	struct tc_filter f;
	char path[512];
	int r;

	/* a missing file */
	snprintf(path, sizeof(path), "%s.missing", fixture(SS1));
	r = diagfile_walk(path, NULL, sockvec_cb, &sv, &err);
	ck_assert_int_eq(r, -ENOENT);
	ck_assert_msg(strstr(err.msg, "ss1.dump.missing") != NULL, "message: %s", err.msg);

	/* a filter in user space: -s listen */
	memset(&f, 0, sizeof(f));
	memset(&err, 0, sizeof(err));
	f.states = STBIT(TC_STATE_LISTEN);
	ck_assert_int_eq(filter_compile(&f, &err), 0);
	ck_assert_int_eq(diagfile_walk(fixture(SS1), &f, sockvec_cb, &sv, &err), 1);
	ck_assert_uint_eq(sv.n, 2);
	ck_assert_uint_eq(sv.v[0].inode, 411);
	ck_assert_uint_eq(sv.v[1].inode, 413);
	sockvec_free(&sv);

	/* -6 */
	memset(&f, 0, sizeof(f));
	f.family = AF_INET6;
	ck_assert_int_eq(diagfile_walk(fixture(SS1), &f, sockvec_cb, &sv, &err), 1);
	ck_assert_uint_eq(sv.n, 3);
	sockvec_free(&sv);
}
END_TEST

/* "-" is standard input, and messages then name it. */
START_TEST(test_diagfile_stdin)
{
	struct sockvec sv = {0};
	struct tc_err err = {0};

	ck_assert_ptr_nonnull(freopen(fixture(SS1), "rb", stdin));
	ck_assert_int_eq(diagfile_walk("-", NULL, sockvec_cb, &sv, &err), 1);
	ck_assert_uint_eq(sv.n, 7);
	sockvec_free(&sv);
	ck_assert_ptr_nonnull(freopen("/dev/null", "rb", stdin));
	ck_assert_int_lt(diagfile_walk("-", NULL, sockvec_cb, &sv, &err), 0);
	ck_assert_msg(strstr(err.msg, "standard input") != NULL, "message: %s", err.msg);
}
END_TEST

static int stop_at_3(const struct tc_sock *sk, void *arg)
{
	int *n = arg;

	(void)sk;
	return ++*n == 3 ? 0 : 1;
}

static int fail_at_2(const struct tc_sock *sk, void *arg)
{
	int *n = arg;

	(void)sk;
	return ++*n == 2 ? -ENOMEM : 1;
}

START_TEST(test_diagfile_callback_return)
{
	struct tc_err err = {0};
	int n = 0;

	ck_assert_int_eq(diagfile_walk(fixture(SS1), NULL, stop_at_3, &n, &err), 0);
	ck_assert_int_eq(n, 3);
	n = 0;
	ck_assert_int_eq(diagfile_walk(fixture(SS1), NULL, fail_at_2, &n, &err), -ENOMEM);
	ck_assert_int_eq(n, 2);
}
END_TEST

/* ---- crafted messages for nl_decode ---- */

struct msg {
	struct nlmsghdr h;
	struct inet_diag_msg m;
	uint8_t attrs[1024];
} __attribute__((aligned(8)));

static size_t mkmsg(struct msg *x, int family, int state)
{
	memset(x, 0, sizeof(*x));
	x->h.nlmsg_len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(x->m));
	x->h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	x->m.idiag_family = (uint8_t)family;
	x->m.idiag_state = (uint8_t)state;
	x->m.id.idiag_sport = htons(443);
	x->m.id.idiag_dport = htons(50000);
	return x->h.nlmsg_len;
}

static void add_attr(struct msg *x, uint16_t type, const void *data, size_t n)
{
	struct nlattr a = {.nla_len = (uint16_t)(NLA_HDRLEN + n), .nla_type = type};
	uint8_t *p = (uint8_t *)x + x->h.nlmsg_len;

	ck_assert_uint_le(x->h.nlmsg_len + NLA_ALIGN(a.nla_len), sizeof(*x));
	memcpy(p, &a, sizeof(a));
	if (n)
		memcpy(p + NLA_HDRLEN, data, n);
	x->h.nlmsg_len += NLA_ALIGN(a.nla_len);
}

static int decode(const struct msg *x, struct tc_sock *sk, const char **why)
{
	*why = NULL;
	return nl_decode(x, x->h.nlmsg_len, sk, why);
}

START_TEST(test_nl_decode_fields)
{
	struct msg x;
	struct tc_sock sk;
	const char *why;
	static const uint8_t v6a[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

	mkmsg(&x, AF_INET, TC_STATE_ESTABLISHED);
	x.m.idiag_timer = 2;
	x.m.idiag_retrans = 3;
	x.m.idiag_expires = 600000;
	x.m.idiag_rqueue = 7;
	x.m.idiag_wqueue = 8;
	x.m.idiag_uid = 4294967294u;
	x.m.idiag_inode = 4000000000u;
	x.m.id.idiag_if = 5;
	x.m.id.idiag_cookie[0] = 0x89abcdefu;
	x.m.id.idiag_cookie[1] = 0x01234567u;
	x.m.id.idiag_src[0] = htonl(0x0a000001);
	x.m.id.idiag_dst[0] = htonl(0xc0a80102);
	/* garbage after the IPv4 address must not leak into tc_sock */
	x.m.id.idiag_src[1] = x.m.id.idiag_src[2] = x.m.id.idiag_src[3] = 0xffffffffu;
	x.m.id.idiag_dst[3] = 0xffffffffu;
	ck_assert_int_eq(decode(&x, &sk, &why), 0);
	ck_assert_uint_eq(sk.family, AF_INET);
	ck_assert_uint_eq(sk.state, TC_STATE_ESTABLISHED);
	ck_assert_uint_eq(sk.timer, 2);
	ck_assert_uint_eq(sk.retrans, 3);
	ck_assert_uint_eq(sk.expires_ms, 600000);
	ck_assert_uint_eq(sk.rqueue, 7);
	ck_assert_uint_eq(sk.wqueue, 8);
	ck_assert_uint_eq(sk.uid, 4294967294u);
	ck_assert_uint_eq(sk.inode, 4000000000u);
	ck_assert_uint_eq(sk.ifindex, 5);
	ck_assert_uint_eq(sk.cookie, 0x0123456789abcdefull);
	ck_assert_uint_eq(sk.sport, 443);
	ck_assert_uint_eq(sk.dport, 50000);
	{
		static const uint8_t s4[16] = {10, 0, 0, 1}, d4[16] = {192, 168, 1, 2};

		ck_assert_mem_eq(sk.src, s4, 16);
		ck_assert_mem_eq(sk.dst, d4, 16);
	}
	ck_assert(!(sk.have & TC_HAVE_INFO));

	/* IPv6: all 16 bytes */
	mkmsg(&x, AF_INET6, TC_STATE_LISTEN);
	memcpy(x.m.id.idiag_src, v6a, 16);
	ck_assert_int_eq(decode(&x, &sk, &why), 0);
	ck_assert_mem_eq(sk.src, v6a, 16);
	ck_assert_uint_eq(sk.state, TC_STATE_LISTEN);

	/* no timer: expires means nothing */
	mkmsg(&x, AF_INET, TC_STATE_ESTABLISHED);
	x.m.idiag_expires = 1234;
	ck_assert_int_eq(decode(&x, &sk, &why), 0);
	ck_assert_uint_eq(sk.expires_ms, 0);
	/* an unknown timer kind is no timer */
	x.m.idiag_timer = 9;
	ck_assert_int_eq(decode(&x, &sk, &why), 0);
	ck_assert_uint_eq(sk.timer, 0);
	ck_assert_uint_eq(sk.expires_ms, 0);
}
END_TEST

START_TEST(test_nl_decode_states)
{
	struct msg x;
	struct tc_sock sk;
	const char *why;

	for (int s = 1; s <= TC_NSTATES; s++) {
		mkmsg(&x, AF_INET, s);
		ck_assert_int_eq(decode(&x, &sk, &why), 0);
		ck_assert_int_eq(sk.state, s);
	}
	/* NEW_SYN_RECV shows as SYN_RECV, BOUND_INACTIVE as CLOSE */
	mkmsg(&x, AF_INET, TC_STATE_NEW_SYN_RECV);
	ck_assert_int_eq(decode(&x, &sk, &why), 0);
	ck_assert_int_eq(sk.state, TC_STATE_SYN_RECV);
	mkmsg(&x, AF_INET6, TC_STATE_BOUND_INACTIVE);
	ck_assert_int_eq(decode(&x, &sk, &why), 0);
	ck_assert_int_eq(sk.state, TC_STATE_CLOSE);
	for (int s = 0; s < 256; s += s == 0 ? 14 : 1) {
		mkmsg(&x, AF_INET, s);
		ck_assert_msg(decode(&x, &sk, &why) == -EINVAL, "state %d accepted", s);
		ck_assert_ptr_nonnull(why);
	}
	/* families other than IPv4 and IPv6 */
	mkmsg(&x, AF_UNIX, TC_STATE_ESTABLISHED);
	ck_assert_int_eq(decode(&x, &sk, &why), -EINVAL);
	mkmsg(&x, 0, TC_STATE_ESTABLISHED);
	ck_assert_int_eq(decode(&x, &sk, &why), -EINVAL);
}
END_TEST

START_TEST(test_nl_decode_lengths)
{
	struct msg x;
	struct tc_sock sk;
	const char *why;
	size_t base = mkmsg(&x, AF_INET, TC_STATE_ESTABLISHED);
	uint8_t *tiny;

	/* fewer bytes than the header: nlmsg_len is not even read */
	for (size_t n = 0; n < NLMSG_HDRLEN; n++) {
		tiny = malloc(n ? n : 1);
		ck_assert_ptr_nonnull(tiny);
		memcpy(tiny, &x, n);
		why = NULL;
		ck_assert_int_eq(nl_decode(tiny, n, &sk, &why), -EINVAL);
		ck_assert_ptr_nonnull(why);
		free(tiny);
	}
	/* nlmsg_len beyond the buffer */
	ck_assert_int_eq(nl_decode(&x, base - 1, &sk, &why), -EINVAL);
	/* nlmsg_len below the header, and below inet_diag_msg */
	x.h.nlmsg_len = 8;
	ck_assert_int_eq(nl_decode(&x, base, &sk, &why), -EINVAL);
	x.h.nlmsg_len = NLMSG_HDRLEN + sizeof(struct inet_diag_msg) - 1;
	ck_assert_int_eq(nl_decode(&x, base, &sk, &why), -EINVAL);
	/* exactly the header and inet_diag_msg, in an exact-size buffer */
	x.h.nlmsg_len = (uint32_t)base;
	tiny = malloc(base);
	ck_assert_ptr_nonnull(tiny);
	memcpy(tiny, &x, base);
	ck_assert_int_eq(nl_decode(tiny, base, &sk, &why), 0);
	free(tiny);
}
END_TEST

START_TEST(test_nl_decode_attrs)
{
	struct msg x;
	struct tc_sock sk;
	const char *why;
	uint8_t one = 1;

	/* unknown and nested-flag attributes are skipped */
	mkmsg(&x, AF_INET, TC_STATE_ESTABLISHED);
	add_attr(&x, INET_DIAG_SHUTDOWN, &one, 1);
	add_attr(&x, 200 | NLA_F_NESTED, "abcdefg", 7);
	add_attr(&x, INET_DIAG_SKV6ONLY, &one, 1);
	ck_assert_int_eq(decode(&x, &sk, &why), 0);
	/* an empty attribute (nla_len 4) is fine */
	mkmsg(&x, AF_INET, TC_STATE_ESTABLISHED);
	add_attr(&x, INET_DIAG_SHUTDOWN, NULL, 0);
	ck_assert_int_eq(decode(&x, &sk, &why), 0);

	/* an attribute longer than what is left of the message */
	mkmsg(&x, AF_INET, TC_STATE_ESTABLISHED);
	add_attr(&x, INET_DIAG_SHUTDOWN, &one, 1);
	add_attr(&x, INET_DIAG_SHUTDOWN, &one, 1);
	{
		struct nlattr a = {.nla_len = 13, .nla_type = INET_DIAG_SHUTDOWN};

		memcpy((uint8_t *)&x + x.h.nlmsg_len - 8, &a, sizeof(a));
	}
	ck_assert_int_eq(decode(&x, &sk, &why), -EINVAL);
	ck_assert_ptr_nonnull(why);
	/* nla_len below the attribute header */
	for (uint16_t bad = 0; bad < NLA_HDRLEN; bad++) {
		struct nlattr a = {.nla_len = bad, .nla_type = INET_DIAG_SHUTDOWN};

		mkmsg(&x, AF_INET, TC_STATE_ESTABLISHED);
		add_attr(&x, INET_DIAG_SHUTDOWN, &one, 1);
		memcpy((uint8_t *)&x + x.h.nlmsg_len - 8, &a, sizeof(a));
		ck_assert_msg(decode(&x, &sk, &why) == -EINVAL, "nla_len %u accepted", bad);
	}
}
END_TEST

START_TEST(test_nl_decode_tcp_info)
{
	struct msg x;
	struct tc_sock sk;
	const char *why;
	struct tcp_info ti;
	uint8_t big[sizeof(struct tcp_info) + 64];

	memset(&ti, 0, sizeof(ti));
	ti.tcpi_rtt = 1234;
	ti.tcpi_rttvar = 567;
	ti.tcpi_rto = 204000;
	ti.tcpi_last_data_recv = 5000;
	ti.tcpi_last_data_sent = 6000;
	ti.tcpi_backoff = 2;
	ti.tcpi_probes = 3;
	ti.tcpi_total_retrans = 9;

	/* this kernel's size */
	mkmsg(&x, AF_INET, TC_STATE_ESTABLISHED);
	add_attr(&x, INET_DIAG_INFO, &ti, sizeof(ti));
	ck_assert_int_eq(decode(&x, &sk, &why), 0);
	ck_assert(sk.have & TC_HAVE_INFO);
	ck_assert_uint_eq(sk.rtt_us, 1234);
	ck_assert_uint_eq(sk.rttvar_us, 567);
	ck_assert_uint_eq(sk.rto_us, 204000);
	ck_assert_uint_eq(sk.last_data_recv_ms, 5000);
	ck_assert_uint_eq(sk.last_data_sent_ms, 6000);
	ck_assert_uint_eq(sk.backoff, 2);
	ck_assert_uint_eq(sk.probes, 3);
	ck_assert_uint_eq(sk.total_retrans, 9);

	/* a newer kernel's bigger struct */
	memset(big, 0xee, sizeof(big));
	memcpy(big, &ti, sizeof(ti));
	mkmsg(&x, AF_INET, TC_STATE_ESTABLISHED);
	add_attr(&x, INET_DIAG_INFO, big, sizeof(big));
	ck_assert_int_eq(decode(&x, &sk, &why), 0);
	ck_assert(sk.have & TC_HAVE_INFO);
	ck_assert_uint_eq(sk.rtt_us, 1234);
	ck_assert_uint_eq(sk.total_retrans, 9);

	/* the oldest tcp_info (Linux 2.6), ending with tcpi_total_retrans */
	mkmsg(&x, AF_INET, TC_STATE_ESTABLISHED);
	add_attr(&x, INET_DIAG_INFO, &ti, offsetof(struct tcp_info, tcpi_total_retrans) + 4);
	ck_assert_int_eq(decode(&x, &sk, &why), 0);
	ck_assert(sk.have & TC_HAVE_INFO);
	ck_assert_uint_eq(sk.rtt_us, 1234);
	ck_assert_uint_eq(sk.total_retrans, 9);

	/* a stub is no tcp_info */
	mkmsg(&x, AF_INET, TC_STATE_ESTABLISHED);
	add_attr(&x, INET_DIAG_INFO, &ti, 8);
	ck_assert_int_eq(decode(&x, &sk, &why), 0);
	ck_assert(!(sk.have & TC_HAVE_INFO));
	ck_assert_uint_eq(sk.rtt_us, 0);
}
END_TEST

/* Regression (found by this test, fixed in baf44e5): a tcp_info attribute
 * that stops before tcpi_rtt (68 bytes) was taken as tcp_info, because the
 * check was plen >= offsetof(tcpi_rcv_ssthresh) while tcpi_rtt, tcpi_rttvar
 * and tcpi_total_retrans lie past it: TC_HAVE_INFO with rtt_us 0 the kernel
 * never sent. Only an attribute holding every field read counts. */
START_TEST(test_nl_decode_tcp_info_cut_before_rtt)
{
	struct msg x;
	struct tc_sock sk;
	const char *why;
	struct tcp_info ti;

	memset(&ti, 0, sizeof(ti));
	ti.tcpi_rtt = 1234;
	ti.tcpi_last_data_recv = 5000;
	mkmsg(&x, AF_INET, TC_STATE_ESTABLISHED);
	add_attr(&x, INET_DIAG_INFO, &ti, offsetof(struct tcp_info, tcpi_rtt));
	ck_assert_int_eq(decode(&x, &sk, &why), 0);
	ck_assert_msg(!(sk.have & TC_HAVE_INFO),
		      "a %zu-byte tcp_info without tcpi_rtt is reported as tcp_info (rtt_us %u)",
		      offsetof(struct tcp_info, tcpi_rtt), sk.rtt_us);
}
END_TEST

/* ---- the dump request ---- */

START_TEST(test_nl_build_request)
{
	static uint8_t buf[4096] __attribute__((aligned(8)));
	const struct nlmsghdr *h = (const struct nlmsghdr *)(void *)buf;
	const struct inet_diag_req_v2 *req = (const void *)(buf + NLMSG_HDRLEN);
	struct tc_filter f;
	struct tc_err err = {0};
	size_t n;

	memset(&f, 0, sizeof(f));
	n = nl_build_request(buf, sizeof(buf), AF_INET6, STBIT(TC_STATE_LISTEN), 0, &f, 77);
	ck_assert_uint_eq(n, h->nlmsg_len);
	ck_assert_uint_eq(n, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*req)));
	ck_assert_uint_eq(h->nlmsg_type, SOCK_DIAG_BY_FAMILY);
	ck_assert_uint_eq(h->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	ck_assert_uint_eq(h->nlmsg_seq, 77);
	ck_assert_uint_eq(req->sdiag_family, AF_INET6);
	ck_assert_uint_eq(req->sdiag_protocol, IPPROTO_TCP);
	ck_assert_uint_eq(req->idiag_states, STBIT(TC_STATE_LISTEN));
	ck_assert_uint_eq(req->idiag_ext, 0);

	/* SYN_RECV asks for NEW_SYN_RECV too; INFO sets its ext bit; bytecode rides along */
	ck_assert_int_eq(filter_parse_ports("8000-8100", &f.sport, &err), 0);
	ck_assert_int_eq(filter_parse_prefix("10.0.0.0/8", &f.dst, &err), 0);
	ck_assert_int_eq(filter_compile(&f, &err), 0);
	n = nl_build_request(buf, sizeof(buf), AF_INET, STBIT(TC_STATE_SYN_RECV), NL_WANT_INFO, &f,
			     78);
	ck_assert_uint_eq(n, h->nlmsg_len);
	ck_assert_uint_eq(req->sdiag_family, AF_INET);
	ck_assert_uint_eq(req->idiag_states,
			  STBIT(TC_STATE_SYN_RECV) | STBIT(TC_STATE_NEW_SYN_RECV));
	ck_assert_uint_eq(req->idiag_ext, 1u << (INET_DIAG_INFO - 1));
	{
		const struct nlattr *a =
		    (const void *)(buf + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*req)));

		ck_assert_uint_eq(a->nla_type, INET_DIAG_REQ_BYTECODE);
		ck_assert_uint_eq(a->nla_len, NLA_HDRLEN + f.bc_len);
		ck_assert_mem_eq((const uint8_t *)a + NLA_HDRLEN, f.bc, f.bc_len);
		ck_assert_uint_eq(n,
				  NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*req)) + NLA_ALIGN(a->nla_len));
		ck_assert_ptr_null(
		    bc_audit((const uint8_t *)a + NLA_HDRLEN, a->nla_len - NLA_HDRLEN));
	}
}
END_TEST

/* ---- one received buffer of a live dump: nl_dump_feed ---- */

#define FEED_SEQ 4242

/* A reply as the kernel sends it: messages back to back, each aligned. */
struct reply {
	uint8_t b[8192] __attribute__((aligned(8)));
	size_t len;
};

static struct nlmsghdr *reply_put(struct reply *r, const void *msg, size_t len)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(void *)(r->b + r->len);

	ck_assert_uint_le(r->len + NLMSG_ALIGN(len), sizeof(r->b));
	memcpy(h, msg, len);
	h->nlmsg_seq = FEED_SEQ;
	r->len += NLMSG_ALIGN(len);
	return h;
}

/* A socket message with this cookie and local port. */
static struct nlmsghdr *reply_sock(struct reply *r, uint64_t cookie, uint16_t port)
{
	struct msg x;

	mkmsg(&x, AF_INET, TC_STATE_ESTABLISHED);
	x.m.id.idiag_cookie[0] = (uint32_t)cookie;
	x.m.id.idiag_cookie[1] = (uint32_t)(cookie >> 32);
	x.m.id.idiag_sport = htons(port);
	return reply_put(r, &x, x.h.nlmsg_len);
}

/* NLMSG_DONE, with the error a failed dump puts in it (0: none). */
static struct nlmsghdr *reply_done(struct reply *r, int error)
{
	struct {
		struct nlmsghdr h;
		int error;
	} d = {{.nlmsg_len = NLMSG_LENGTH(sizeof(int)), .nlmsg_type = NLMSG_DONE}, error};

	return reply_put(r, &d, d.h.nlmsg_len);
}

static struct nlmsghdr *reply_error(struct reply *r, int error)
{
	struct {
		struct nlmsghdr h;
		struct nlmsgerr e;
	} m;

	memset(&m, 0, sizeof(m));
	m.h.nlmsg_len = NLMSG_LENGTH(sizeof(m.e));
	m.h.nlmsg_type = NLMSG_ERROR;
	m.e.error = error;
	return reply_put(r, &m, m.h.nlmsg_len);
}

static int feed(struct nl_dump *d, const struct reply *r, struct tc_err *err)
{
	memset(err, 0, sizeof(*err));
	d->seq = FEED_SEQ;
	return nl_dump_feed(d, r->b, r->len, err);
}

START_TEST(test_nl_feed_sockets_and_done)
{
	struct sockvec sv = {0};
	struct nl_dump d;
	struct tc_err err;
	struct reply r = {.len = 0};

	nl_dump_init(&d, sockvec_cb, &sv);
	reply_sock(&r, 1, 80);
	reply_sock(&r, 2, 81);
	ck_assert_int_eq(feed(&d, &r, &err), 1); /* no DONE yet: receive again */
	ck_assert_uint_eq(sv.n, 2);
	r.len = 0;
	reply_sock(&r, 3, 82);
	reply_done(&r, 0);
	ck_assert_int_eq(feed(&d, &r, &err), 0);
	ck_assert_int_eq(d.stopped, 0);
	ck_assert_uint_eq(sv.n, 3);
	ck_assert_uint_eq(sv.v[2].sport, 82);
	/* an acknowledgement ends it too; NOOP is skipped */
	r.len = 0;
	{
		struct nlmsghdr noop = {.nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_NOOP};

		reply_put(&r, &noop, sizeof(noop));
	}
	reply_error(&r, 0);
	ck_assert_int_eq(feed(&d, &r, &err), 0);
	ck_assert_str_eq(err.msg, "");
	sockvec_free(&sv);
}
END_TEST

/* NLM_F_DUMP_INTR on a socket message or on DONE: NL_DUMP_INTERRUPTED with
 * a message, what came before it delivered (the caller throws it away). */
START_TEST(test_nl_feed_dump_intr)
{
	struct sockvec sv = {0};
	struct nl_dump d;
	struct tc_err err;
	struct reply r = {.len = 0};

	nl_dump_init(&d, sockvec_cb, &sv);
	reply_sock(&r, 1, 80);
	reply_sock(&r, 2, 81)->nlmsg_flags |= NLM_F_DUMP_INTR;
	reply_sock(&r, 3, 82);
	ck_assert_int_eq(feed(&d, &r, &err), NL_DUMP_INTERRUPTED);
	ck_assert_int_eq(NL_DUMP_INTERRUPTED, -EINTR);
	ck_assert_uint_eq(sv.n, 1);
	ck_assert_int_eq(err.code, EINTR);
	ck_assert_msg(strstr(err.msg, "interrupted by changes") != NULL, "message: %s", err.msg);
	sockvec_free(&sv);

	nl_dump_init(&d, sockvec_cb, &sv);
	r.len = 0;
	reply_sock(&r, 1, 80);
	reply_done(&r, 0)->nlmsg_flags |= NLM_F_DUMP_INTR;
	ck_assert_int_eq(feed(&d, &r, &err), NL_DUMP_INTERRUPTED);
	sockvec_free(&sv);
}
END_TEST

/* The kernel's errors: NLMSG_ERROR in the middle, DONE carrying an error. */
START_TEST(test_nl_feed_errors)
{
	struct sockvec sv = {0};
	struct nl_dump d;
	struct tc_err err;
	struct reply r = {.len = 0};
	struct nlmsghdr *h;

	nl_dump_init(&d, sockvec_cb, &sv);
	reply_sock(&r, 1, 80);
	reply_error(&r, -EIO);
	reply_sock(&r, 2, 81);
	ck_assert_int_eq(feed(&d, &r, &err), -EIO);
	ck_assert_uint_eq(sv.n, 1);
	ck_assert_msg(strstr(err.msg, "the kernel failed the dump") != NULL, "message: %s",
		      err.msg);

	r.len = 0;
	reply_done(&r, -ENOBUFS);
	ck_assert_int_eq(feed(&d, &r, &err), -ENOBUFS);

	/* an error message too short for struct nlmsgerr */
	r.len = 0;
	h = reply_error(&r, -EIO);
	h->nlmsg_len = NLMSG_HDRLEN + 2;
	r.len = NLMSG_ALIGN(h->nlmsg_len);
	ck_assert_int_eq(feed(&d, &r, &err), -EPROTO);

	/* a reply to another request */
	r.len = 0;
	reply_sock(&r, 1, 80)->nlmsg_seq = FEED_SEQ + 1;
	ck_assert_int_eq(feed(&d, &r, &err), -EPROTO);
	ck_assert_msg(strstr(err.msg, "another request") != NULL, "message: %s", err.msg);

	/* a message type that has no business in a sock_diag dump */
	r.len = 0;
	reply_sock(&r, 1, 80)->nlmsg_type = 99;
	ck_assert_int_eq(feed(&d, &r, &err), -EPROTO);

	/* a message cut short (nlmsg_len past the end), and bytes left over */
	r.len = 0;
	h = reply_sock(&r, 1, 80);
	h->nlmsg_len += 64;
	ck_assert_int_eq(feed(&d, &r, &err), -EPROTO);
	r.len = 0;
	reply_sock(&r, 7, 80);
	r.len += 8;
	ck_assert_int_eq(feed(&d, &r, &err), -EPROTO);
	/* a socket message nl_decode refuses */
	r.len = 0;
	h = reply_sock(&r, 1, 80);
	h->nlmsg_len = NLMSG_HDRLEN + 4;
	r.len = NLMSG_ALIGN(h->nlmsg_len);
	ck_assert_int_eq(feed(&d, &r, &err), -EPROTO);
	ck_assert_msg(strstr(err.msg, "bad message") != NULL, "message: %s", err.msg);
	sockvec_free(&sv);
}
END_TEST

static int stop_at_2(const struct tc_sock *sk, void *arg)
{
	int *n = arg;

	(void)sk;
	return ++*n == 2 ? 0 : 1;
}

START_TEST(test_nl_feed_callback_return)
{
	struct nl_dump d;
	struct tc_err err;
	struct reply r = {.len = 0};
	int n = 0;

	reply_sock(&r, 1, 80);
	reply_sock(&r, 2, 81);
	reply_sock(&r, 3, 82);
	nl_dump_init(&d, stop_at_2, &n);
	ck_assert_int_eq(feed(&d, &r, &err), 0);
	ck_assert_int_eq(d.stopped, 1);
	ck_assert_int_eq(n, 2);
	n = 0;
	nl_dump_init(&d, fail_at_2, &n);
	ck_assert_int_eq(feed(&d, &r, &err), -ENOMEM);
	ck_assert_int_eq(d.stopped, 0);
}
END_TEST

/* A socket the kernel reports twice (the next batch resumed in its bucket
 * after a change) is passed on once; sockets without a cookie all are. */
START_TEST(test_nl_feed_drops_repeats)
{
	struct sockvec sv = {0};
	struct nl_dump d;
	struct tc_err err;
	struct reply r = {.len = 0};

	nl_dump_init(&d, sockvec_cb, &sv);
	reply_sock(&r, 10, 80);
	reply_sock(&r, 11, 81);
	ck_assert_int_eq(feed(&d, &r, &err), 1);
	r.len = 0;
	reply_sock(&r, 11, 81); /* the next batch starts with the last one again */
	reply_sock(&r, 12, 82);
	reply_sock(&r, 0, 90);
	reply_sock(&r, 0, 90);
	reply_done(&r, 0);
	ck_assert_int_eq(feed(&d, &r, &err), 0);
	ck_assert_uint_eq(sv.n, 5);
	ck_assert_uint_eq(sv.v[2].sport, 82);
	ck_assert_uint_eq(sv.v[3].sport, 90);
	ck_assert_uint_eq(sv.v[4].sport, 90);
	sockvec_free(&sv);
	/* a new walk forgets the cookies of the last */
	nl_dump_init(&d, sockvec_cb, &sv);
	r.len = 0;
	reply_sock(&r, 11, 81);
	ck_assert_int_eq(feed(&d, &r, &err), 1);
	ck_assert_uint_eq(sv.n, 1);
	sockvec_free(&sv);
}
END_TEST

/* The ring against a model (the last TC_SEEN_RING cookies, scanned), over
 * random cookies with repeats near and far; memory is the struct, fixed. */
START_TEST(test_seen_ring)
{
	enum {
		H = 2 * TC_SEEN_RING
	};
	static struct tc_seen s;
	static uint64_t hist[H]; /* what the ring took, newest at hpos - 1 */
	size_t hn = 0, hpos = 0, near = 0, old = 0;
	uint64_t x = 88172645463325252ull;

	ck_assert_uint_lt(sizeof(s), 8 * 1024);
	seen_reset(&s);
	/* exactly the last TC_SEEN_RING distinct cookies are remembered */
	for (uint64_t c = 1; c <= TC_SEEN_RING + 1; c++)
		ck_assert_int_eq(seen_repeat(&s, c), 0);
	ck_assert_int_eq(seen_repeat(&s, TC_SEEN_RING + 1), 1);
	ck_assert_int_eq(seen_repeat(&s, 2), 1);
	ck_assert_int_eq(seen_repeat(&s, 1), 0); /* forgotten, now remembered again */
	ck_assert_int_eq(seen_repeat(&s, 2), 0); /* and 2 went to make room */
	ck_assert_int_eq(seen_repeat(&s, 0), 0);
	ck_assert_int_eq(seen_repeat(&s, 0), 0);

	/* random cookies, half of them a repeat from up to 1.25 rings back */
	seen_reset(&s);
	for (int i = 0; i < 200000; i++) {
		uint64_t c;
		size_t back = 0;
		int want = 0;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		if (x % 2 || hn < H) {
			c = x >> 8 | 1;
		} else {
			back = 1 + (x >> 8) % (TC_SEEN_RING + TC_SEEN_RING / 4);
			c = hist[(hpos + H - back) % H];
		}
		for (size_t k = 1; k <= TC_SEEN_RING && k <= hn; k++)
			if (hist[(hpos + H - k) % H] == c)
				want = 1;
		if (back && want)
			near++;
		else if (back)
			old++;
		ck_assert_int_eq(seen_repeat(&s, c), want);
		if (!want) {
			hist[hpos] = c;
			hpos = (hpos + 1) % H;
			if (hn < H)
				hn++;
		}
	}
	ck_assert_uint_gt(near, 10000);
	ck_assert_uint_gt(old, 1000);
}
END_TEST

/* A diag file holding the kernel's repeat gives the socket once. */
START_TEST(test_diagfile_drops_repeats)
{
	struct sockvec sv = {0};
	struct tc_err err = {0};
	struct reply r = {.len = 0};

	reply_sock(&r, 5, 80);
	reply_sock(&r, 6, 81);
	reply_sock(&r, 5, 80);
	reply_done(&r, 0);
	ck_assert_int_eq(walk_mem(r.b, r.len, &sv, &err), 1);
	ck_assert_uint_eq(sv.n, 2);
	sockvec_free(&sv);
}
END_TEST

Suite *suite_netlink(void)
{
	Suite *s = suite_create("netlink");
	TCase *tf = tcase_create("fixtures");
	TCase *tc = tcase_create("corrupt");
	TCase *td = tcase_create("decode");

	tcase_add_test(tf, test_ss1_diagfile);
	tcase_add_test(tf, test_ss1_nl_decode);
	tcase_add_test(tf, test_zoo_dump_state_counts);
	tcase_add_test(tf, test_zoo_dump_vs_ss_output);
	tcase_add_test(tf, test_diagfile_misc);
	tcase_add_test(tf, test_diagfile_callback_return);
	tcase_add_test(tf, test_diagfile_stdin);
	suite_add_tcase(s, tf);

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_corrupted_ss1, 0, C_COUNT);
	tcase_add_test(tc, test_truncation_sweep);
	tcase_add_test(tc, test_random_damage);
	suite_add_tcase(s, tc);

	tcase_add_test(td, test_nl_decode_fields);
	tcase_add_test(td, test_nl_decode_states);
	tcase_add_test(td, test_nl_decode_lengths);
	tcase_add_test(td, test_nl_decode_attrs);
	tcase_add_test(td, test_nl_decode_tcp_info);
	tcase_add_test(td, test_nl_decode_tcp_info_cut_before_rtt);
	tcase_add_test(td, test_nl_build_request);
	tcase_add_test(td, test_nl_feed_sockets_and_done);
	tcase_add_test(td, test_nl_feed_dump_intr);
	tcase_add_test(td, test_nl_feed_errors);
	tcase_add_test(td, test_nl_feed_callback_return);
	tcase_add_test(td, test_nl_feed_drops_repeats);
	tcase_add_test(td, test_seen_ring);
	tcase_add_test(td, test_diagfile_drops_repeats);
	suite_add_tcase(s, td);
	return s;
}
