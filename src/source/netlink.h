/* sock_diag over NETLINK_SOCK_DIAG with libmnl: the request builder, the pure
 * message decoder, and the live dump. */
#ifndef TCPDOC_NETLINK_H
#define TCPDOC_NETLINK_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "model/filter.h"
#include "model/sock.h"
#include "source/seen.h"
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

/* One dump being read: the callback, and what must last from one buffer the
 * kernel sends to the next. */
struct nl_dump {
	tc_sock_cb cb;
	void *arg;
	uint32_t seq, portid; /* of the request: replies must match */
	int stopped;	      /* cb returned 0 */
	unsigned long passed; /* sockets given to cb */
	struct tc_seen seen;  /* drops sockets reported twice */
};

/* Ready d for a walk (both families: the cookies seen are kept across them)
 * with the callback cb. */
void nl_dump_init(struct nl_dump *d, tc_sock_cb cb, void *arg);

/* Process one buffer received for the request d->seq: decode each socket,
 * drop repeats and pass the rest to d->cb. Returns 1 when the dump goes on
 * (receive again), 0 when it is complete or cb stopped (d->stopped), cb's
 * negative return, or -errno with err set: NL_DUMP_INTERRUPTED when the
 * kernel flagged the dump NLM_F_DUMP_INTR (the socket tables changed under
 * it, so sockets may be missing or repeated: the caller may walk again), the
 * kernel's error for NLMSG_ERROR, -EPROTO for a malformed message. */
int nl_dump_feed(struct nl_dump *d, const void *buf, size_t len, struct tc_err *err);

/* What nl_dump_feed and nl_walk return for an interrupted dump. */
#define NL_DUMP_INTERRUPTED (-EINTR)

/* Dump every TCP socket (AF_INET, then AF_INET6) through cb; the kernel does
 * the filtering. Returns 1 when done, 0 when cb stopped, cb's negative
 * return, or -errno with err set: NL_DUMP_INTERRUPTED, or why the socket
 * could not be opened (-EPROTONOSUPPORT, -EACCES, ...) or the dump failed.
 * *passed (when not NULL): how many sockets cb was given, failure or not. */
int nl_walk(const struct tc_filter *f, unsigned want, tc_sock_cb cb, void *arg,
	    unsigned long *passed, struct tc_err *err);

#endif
