/* sock_diag over NETLINK_SOCK_DIAG with libmnl: the request builder, the pure
 * message decoder, and the live dump. */
#ifndef TCPDOC_NETLINK_H
#define TCPDOC_NETLINK_H

#include <stddef.h>
#include <stdint.h>

#include "model/filter.h"
#include "model/sock.h"
#include "util/err.h"

/* What the output needs from the kernel beyond struct inet_diag_msg. */
enum nl_want {
	NL_WANT_INFO = 1 << 0, /* tcp_info: rtt, idle time (costs ~20% kernel time) */
};

/* Decode one SOCK_DIAG_BY_FAMILY message of `len` bytes (header included)
 * into sk, checking every length. Returns 0, or -EINVAL with `why` set. */
int nl_decode(const void *msg, size_t len, struct tc_sock *sk, const char **why);

/* Build the dump request for one family into buf (at least 4 KiB); returns
 * its length. */
size_t nl_build_request(void *buf, size_t size, int family, uint32_t states, unsigned want,
			const struct tc_filter *f, uint32_t seq);

/* Dump every TCP socket (AF_INET, then AF_INET6) through cb; the kernel does
 * the filtering. Returns 1 when done, 0 when cb stopped, -errno on failure
 * (the socket could not be opened: -EPROTONOSUPPORT and friends). */
int nl_walk(const struct tc_filter *f, unsigned want, tc_sock_cb cb, void *arg, struct tc_err *err);

#endif
