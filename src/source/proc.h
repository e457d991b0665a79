/* /proc/net/tcp and /proc/net/tcp6: a line decoder and a streaming walker. */
#ifndef TCPDOC_PROC_H
#define TCPDOC_PROC_H

#include <stddef.h>

#include "model/filter.h"
#include "model/sock.h"
#include "util/err.h"

/* Decode one row (without its newline) of a /proc/net/tcp (family AF_INET)
 * or tcp6 (AF_INET6) table into sk. Handles full rows, request-socket rows
 * and 12-field timewait rows. Returns 0, or -EINVAL with why in `why`. */
int proc_parse_line(const char *line, size_t len, int family, struct tc_sock *sk, const char **why);

/* Stream every row of the table at `path` through cb, skipping the header.
 * Returns 1 when done, 0 when cb asked to stop, negative -errno on failure.
 * Rows that fail filter f (may be NULL) are not passed on. A missing file is
 * -ENOENT without a message so callers can treat a missing tcp6 as "no IPv6".
 * Memory is constant: lines longer than 4 KiB are rejected. */
int proc_walk_file(const char *path, int family, const struct tc_filter *f, tc_sock_cb cb,
		   void *arg, struct tc_err *err);

/* Walk DIR/net/tcp then DIR/net/tcp6 (missing tcp6: IPv4 only, no error).
 * DIR is "/proc" for the live host. Returns like proc_walk_file. */
int proc_walk(const char *dir, const struct tc_filter *f, tc_sock_cb cb, void *arg,
	      struct tc_err *err);

#endif
