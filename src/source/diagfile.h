/* Replay of raw sock_diag messages as `ss -D FILE` writes them: the netlink
 * datagrams of the AF_INET dump, its NLMSG_DONE, then those of AF_INET6. */
#ifndef TCPDOC_DIAGFILE_H
#define TCPDOC_DIAGFILE_H

#include <stddef.h>
#include <stdio.h>

#include "model/filter.h"
#include "model/sock.h"
#include "util/err.h"

/* Stream every socket message of the open file through cb (filtered by f,
 * which may be NULL), reading both families; every length is checked. `name`
 * is used in messages. Returns 1 when done, 0 when cb stopped, -errno. */
int diagfile_walk_stream(FILE *fp, const char *name, const struct tc_filter *f, tc_sock_cb cb,
			 void *arg, struct tc_err *err);

/* The same from a path ("-" is standard input). */
int diagfile_walk(const char *path, const struct tc_filter *f, tc_sock_cb cb, void *arg,
		  struct tc_err *err);

#endif
