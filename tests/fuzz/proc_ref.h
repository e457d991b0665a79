/* A second reading of a /proc/net/tcp row, written apart from
 * src/source/proc.c and the slow plain way: split the row into words, then hold
 * each word to its column's format with the C library. proc_parse_line must
 * accept exactly the rows this accepts and decode them to the same socket;
 * fuzz_proc_line and the unit tests (tests/unit/test_proc.c) check it. */
#ifndef TCPDOC_PROC_REF_H
#define TCPDOC_PROC_REF_H

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "model/sock.h"
#include "model/state.h"

#define REF_WORDS_MAX 32

struct word {
	const char *p;
	size_t n;
};

static int ref_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The words of the row; REF_WORDS_MAX + 1 means more than REF_WORDS_MAX. */
static size_t ref_split(const char *p, size_t len, struct word *w)
{
	size_t n = 0, i = 0;

	while (i < len) {
		size_t start;

		if (ref_sep(p[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < len && !ref_sep(p[i]))
			i++;
		if (n == REF_WORDS_MAX)
			return n + 1;
		w[n].p = p + start;
		w[n].n = i - start;
		n++;
	}
	return n;
}

/* All n bytes from p pass `is`, 1 <= n <= max: then their value in `base`. */
static int ref_number(const char *p, size_t n, size_t max, int (*is)(int), int base, uint64_t *v)
{
	char s[32];

	if (n == 0 || n > max)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!is((unsigned char)p[i]))
			return -1;
	memcpy(s, p, n);
	s[n] = '\0';
	errno = 0;
	*v = strtoull(s, NULL, base);
	return errno ? -1 : 0;
}

/* "H:H", each side 1..8 hex digits. */
static int ref_hex_pair(const struct word *w, uint64_t *a, uint64_t *b)
{
	const char *colon = memchr(w->p, ':', w->n);

	if (!colon)
		return -1;
	return ref_number(w->p, (size_t)(colon - w->p), 8, isxdigit, 16, a) ||
		       ref_number(colon + 1, w->n - (size_t)(colon - w->p) - 1, 8, isxdigit, 16, b)
		   ? -1
		   : 0;
}

/* Address words of 8 hex digits, each a host-order integer, then ':' and a port. */
static int ref_endpoint(const struct word *w, int family, uint8_t *addr, uint16_t *port)
{
	size_t alen = family == AF_INET ? 8 : 32;
	uint64_t v;

	if (w->n != alen + 5 || w->p[alen] != ':')
		return -1;
	for (size_t i = 0; i < alen / 8; i++) {
		uint32_t word;

		if (ref_number(w->p + 8 * i, 8, 8, isxdigit, 16, &v))
			return -1;
		word = (uint32_t)v;
		memcpy(addr + 4 * i, &word, 4);
	}
	if (ref_number(w->p + alen + 1, 4, 4, isxdigit, 16, &v))
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int ref_parse(const char *line, size_t len, int family, struct tc_sock *sk)
{
	struct word w[REF_WORDS_MAX];
	size_t n = ref_split(line, len, w);
	uint64_t v, a, b;
	long hz = sysconf(_SC_CLK_TCK);

	memset(sk, 0, sizeof(*sk));
	sk->family = (uint8_t)family;
	if (n < 10 || n > REF_WORDS_MAX)
		return -1;
	if (w[0].n < 2 || w[0].p[w[0].n - 1] != ':' ||
	    ref_number(w[0].p, w[0].n - 1, 20, isdigit, 10, &v))
		return -1;
	if (ref_endpoint(&w[1], family, sk->src, &sk->sport) ||
	    ref_endpoint(&w[2], family, sk->dst, &sk->dport))
		return -1;
	if (w[3].n != 2 || ref_number(w[3].p, 2, 2, isxdigit, 16, &v) || v < 1 || v > TC_NSTATES)
		return -1;
	sk->state = (uint8_t)v;
	if (ref_hex_pair(&w[4], &a, &b))
		return -1;
	sk->rqueue = (uint32_t)b;
	sk->wqueue = sk->state == TC_STATE_LISTEN ? 0 : (uint32_t)a;
	if (ref_hex_pair(&w[5], &a, &b) || a > TC_TIMER_MAX)
		return -1;
	sk->timer = (uint8_t)a;
	sk->expires_ms = b * 1000 / (uint64_t)(hz > 0 ? hz : 100);
	if (ref_number(w[6].p, w[6].n, 16, isxdigit, 16, &v) || v > UINT32_MAX)
		return -1;
	sk->retrans = v > 255 ? 255 : (uint8_t)v;
	if (ref_number(w[7].p, w[7].n, 20, isdigit, 10, &v) || v > UINT32_MAX)
		return -1;
	sk->uid = (uint32_t)v;
	sk->have = TC_HAVE_UID;
	if (w[8].n > 0 && w[8].p[0] == '-' ? ref_number(w[8].p + 1, w[8].n - 1, 20, isdigit, 10, &v)
					   : ref_number(w[8].p, w[8].n, 20, isdigit, 10, &v))
		return -1;
	sk->probes = v > 255 ? 255 : (uint8_t)v;
	if (ref_number(w[9].p, w[9].n, 20, isdigit, 10, &v))
		return -1;
	sk->inode = v;
	if (sk->state == TC_STATE_TIME_WAIT || sk->timer == TC_TIMER_TIMEWAIT)
		sk->retrans = 0;
	if (sk->timer == TC_TIMER_KEEPALIVE || sk->timer == TC_TIMER_PROBE)
		sk->retrans = sk->probes;
	return 0;
}

/* The fields both readings fill are the same. */
static int ref_same(const struct tc_sock *a, const struct tc_sock *b)
{
	return a->family == b->family && a->state == b->state && a->timer == b->timer &&
	       a->retrans == b->retrans && a->sport == b->sport && a->dport == b->dport &&
	       !memcmp(a->src, b->src, 16) && !memcmp(a->dst, b->dst, 16) && a->have == b->have &&
	       a->rqueue == b->rqueue && a->wqueue == b->wqueue && a->uid == b->uid &&
	       a->inode == b->inode && a->expires_ms == b->expires_ms && a->probes == b->probes;
}

#endif
