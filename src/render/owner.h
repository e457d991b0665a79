/* Naming who holds a socket: "nginx/812", several owners after fork, or what
 * kind of socket has no file at all. */
#ifndef TCPDOC_OWNER_H
#define TCPDOC_OWNER_H

#include <stddef.h>
#include <stdint.h>

#include "model/sock.h"
#include "source/procmap.h"

/* For sockets without a file (inode 0): "(timewait)", "(request)",
 * "(not-accepted)" (waiting in a listener's accept queue) or "(orphan)"
 * (closed by its program, still finishing). NULL when the socket has a file. */
const char *owner_kind(const struct tc_sock *sk);

/* "comm/pid" for each owner, comma-separated and escaped, or owner_kind, or
 * "(unknown)" when no readable process holds it. */
void owner_describe(const struct tc_procmap *m, const struct tc_sock *sk, char *buf, size_t size);

/* A tc_owner_fn over a procmap (arg): the owner with the lowest pid. */
void owner_for_group(void *arg, const struct tc_sock *sk, uint32_t *pid, char name[64]);

#endif
