/* Helpers shared by the libFuzzer targets: exact-size copies (so AddressSanitizer
 * sees any read past a length), a sink that reads every field of a decoded
 * socket, and the contract checks every decoder must satisfy. A broken
 * contract aborts, which libFuzzer reports as a crash with its input saved. */
#ifndef TCPDOC_FUZZ_COMMON_H
#define TCPDOC_FUZZ_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "model/sock.h"
#include "model/state.h"
#include "util/err.h"

static volatile uint64_t fuzz_sink;

#define FUZZ_FAIL(...)                                                                             \
	do {                                                                                       \
		fprintf(stderr, "fuzz contract broken at %s:%d: ", __FILE__, __LINE__);            \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fputc('\n', stderr);                                                               \
		abort();                                                                           \
	} while (0)

/* A heap copy of exactly n bytes (one byte allocated for n == 0, never read). */
static inline char *fuzz_dup(const void *p, size_t n)
{
	char *c = malloc(n ? n : 1);

	if (!c)
		abort();
	if (n)
		memcpy(c, p, n);
	return c;
}

/* Read every field, so uninitialised or out-of-range data shows up under the
 * sanitizers, and check what struct tc_sock promises its users. */
static inline void fuzz_touch_sock(const struct tc_sock *sk)
{
	uint64_t h = 0;

	h += sk->family + sk->state + sk->timer + sk->retrans + sk->sport + sk->dport;
	for (size_t i = 0; i < sizeof(sk->src); i++)
		h = h * 31 + sk->src[i] + sk->dst[i];
	h += sk->have + sk->rqueue + sk->wqueue + sk->uid + sk->ifindex;
	h += sk->inode + sk->cookie + sk->expires_ms;
	h += sk->rtt_us + sk->rttvar_us + sk->rto_us + sk->last_data_recv_ms +
	     sk->last_data_sent_ms + sk->total_retrans + sk->backoff + sk->probes;
	h += (uint64_t)strlen(state_name(sk->state)) + (uint64_t)strlen(state_label(sk->state));
	fuzz_sink += h;

	if (sk->family != AF_INET && sk->family != AF_INET6)
		FUZZ_FAIL("family %u is neither AF_INET nor AF_INET6", sk->family);
	if (sk->state < 1 || sk->state > TC_NSTATES)
		FUZZ_FAIL("state %u outside 1..%d", sk->state, TC_NSTATES);
	if (sk->timer > TC_TIMER_MAX)
		FUZZ_FAIL("timer %u above %d", sk->timer, TC_TIMER_MAX);
	if (sk->family == AF_INET) {
		static const uint8_t zero[12];

		if (memcmp(sk->src + 4, zero, 12) || memcmp(sk->dst + 4, zero, 12))
			FUZZ_FAIL("IPv4 socket with bytes set past the first 4 of an address");
	}
}

/* A failed call must say why in err (except the documented silent -ENOENT). */
static inline void fuzz_check_err(int r, const struct tc_err *err, const char *what)
{
	if (memchr(err->msg, '\0', sizeof(err->msg)) == NULL)
		FUZZ_FAIL("%s: error message not NUL-terminated", what);
	if (r < 0 && r != -ENOENT && err->msg[0] == '\0')
		FUZZ_FAIL("%s: returned %d without a message", what, r);
	if (r < 0 && err->code != -r)
		FUZZ_FAIL("%s: returned %d but err->code is %d", what, r, err->code);
	fuzz_sink += strlen(err->msg);
}

#endif
